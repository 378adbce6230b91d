/* The pinned AWS Nitro Enclaves root certificate (G1), compiled in. */
#ifndef NS_NITRO_AWS_ROOT_H
#define NS_NITRO_AWS_ROOT_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

#define NS_AWS_NITRO_ROOT_DER_LEN 533

extern const uint8_t NS_AWS_NITRO_ROOT_DER[NS_AWS_NITRO_ROOT_DER_LEN];

/* Checks the compiled-in DER against the SHA-256 fingerprint AWS publishes
 * (641a0321...79bb5b).  Call once at start-up; -1 means the binary is corrupt. */
int ns_aws_root_selftest(ns_error *err);

#endif
