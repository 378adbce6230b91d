/* The requester-pays ptau mirror (docs/aws-mirror.md): one bucket holding
 * the Hermez files under ptau/, made and refreshed by `nitrosetup aws
 * mirror-ptau`.
 *
 *   bucket     created when missing (in its region); public-access block with
 *              BlockPublicAcls and IgnorePublicAcls on, the two policy ones off;
 *              request payment Requester; a policy letting any AWS principal
 *              GetObject under ptau/; the tag nitrosetup:role=ptau-mirror
 *   each power ptau/<Hermez file name>: skipped when the object is there with
 *              "blake2b" metadata equal to the table's (and, with --from, the
 *              local file's size); else the file from --from DIR or downloaded
 *              (resumable) into a scratch directory, its BLAKE2b-512 checked
 *              against the Hermez table, uploaded One Zone-IA with the
 *              metadata blake2b=<hex>.  A file whose hash is wrong is refused,
 *              named, and not uploaded; the other powers go on.
 *   B2SUMS     ptau/B2SUMS at the end: b2sum lines of the files in the mirror
 *
 * Idempotent: a second run changes nothing but the bucket settings (put
 * again) and B2SUMS. */
#ifndef NS_APP_PTAU_MIRROR_H
#define NS_APP_PTAU_MIRROR_H

#include <stdint.h>

#include "util/error.h"

typedef struct {
    const char *bucket;
    const char *region;    /* NULL: us-east-1 */
    uint32_t min_power, max_power; /* within 8 .. 28 */
    const char *from_dir;  /* take the files from here when present, or NULL */
    const char *url_base;  /* NULL: $NITROSETUP_PTAU_URL_BASE, else Hermez's */
    const char *scratch;   /* downloads go to <scratch>/nitrosetup-mirror-<bucket>/ (NULL: $TMPDIR), kept
                              when cut so the next run resumes; each file goes once uploaded */
    /* one line per step for the user (NULL: stdout) */
    void (*say)(void *ctx, const char *line);
    void *say_ctx;
} ns_mirror_opts;

typedef struct {
    int skipped, uploaded, refused, failed;
} ns_mirror_report;

/* 0 when every power is in the mirror; -1 otherwise (err: the first problem,
 * rep: the counts). */
int ns_ptau_mirror(const ns_mirror_opts *o, ns_mirror_report *rep, ns_error *err);

#endif
