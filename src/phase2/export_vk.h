/* `zkey export verificationkey`: the verification key JSON exactly as
 * snarkjs 0.7.6 writes it (docs/snarkjs-formats.md): keys protocol, curve,
 * nPublic, vk_alpha_1, vk_beta_2, vk_gamma_2, vk_delta_2, vk_alphabeta_12
 * (= e(alpha1, beta2)), IC; canonical decimal strings; bfj layout with one
 * space of indentation per level, every element on its own line, no
 * trailing newline. */
#ifndef NS_PHASE2_EXPORT_VK_H
#define NS_PHASE2_EXPORT_VK_H

#include <stddef.h>

#include "formats/zkey.h"
#include "util/error.h"

/* Builds the JSON text (malloc'd, NUL-terminated; *len excludes the NUL).
 * alpha1 and beta2 must be valid curve points ("<file>: section 2: alpha1
 * is not a valid G1 point"). */
int ns_export_vk_json(char **out, size_t *len, const ns_zkey *z, ns_error *err);

/* ns_export_vk_json + atomic write to path. */
int ns_export_vk_write(const ns_zkey *z, const char *path, ns_error *err);

#endif
