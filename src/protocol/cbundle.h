/* The circuit bundle: a deterministic tar (ustar) holding a circom main
 * file and every file it includes, with a path+hash manifest as the first
 * entry.  Host and enclave both compile the circuit from the bundle, so the
 * R1CS each side gets comes from the same bytes.
 *
 * Layout inside the tar (entries after MANIFEST sorted by path; mode 0644,
 * uid/gid 0, mtime 0, no user names):
 *   MANIFEST              "nitrosetup-circuit-bundle 1\n"
 *                         "main src/<file>.circom\n"
 *                         "libs <n>\n"
 *                         "<blake2b-512 hex> <size> <path>\n" per file
 *   src/...               the main file's directory tree (files actually used)
 *   lib<i>/...            files found through the i-th library directory (-l)
 *
 * Includes are resolved like circom: relative to the including file's
 * directory first, then in each library directory in order. */
#ifndef NS_PROTOCOL_CBUNDLE_H
#define NS_PROTOCOL_CBUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

#define NS_CBUNDLE_MAX_FILES 4096
#define NS_CBUNDLE_MAX_FILE (16u << 20)
#define NS_CBUNDLE_MAX_SIZE (64ull << 20)
#define NS_CBUNDLE_MAX_LIBS 16

typedef struct {
    char main[100];   /* bundle path of the main file, "src/x.circom" */
    int nlibs;
    int nfiles;       /* including the main file, excluding MANIFEST */
    uint64_t total;   /* bytes of circuit source */
} ns_cbundle_info;

/* Packs main_circom and everything it includes into out_tar (atomic). */
int ns_cbundle_create(const char *out_tar, const char *main_circom, const char *const *libdirs,
                      int nlibs, ns_cbundle_info *info, ns_error *err);

/* Checks a bundle completely (structure, canonical order and headers, the
 * manifest, every hash) and, when dest_dir is not NULL, writes its files
 * below dest_dir (which must exist).  Rejects anything create() would not
 * have produced. */
int ns_cbundle_extract(const char *tar_path, const char *dest_dir, ns_cbundle_info *info,
                       ns_error *err);

/* Extracts the bundle into workdir/circuit and runs circom there
 * (`<circom_cmd> src/<main> --r1cs --prime bn128 -o out -l lib0 ...`, with
 * the bundle directory as working directory).  circom_cmd is split on
 * spaces.  Writes the path of the produced .r1cs to r1cs_path. */
int ns_cbundle_compile(char *r1cs_path, size_t cap, const char *tar_path, const char *workdir,
                       const char *circom_cmd, ns_error *err);

#endif
