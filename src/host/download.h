/* Resumable HTTP(S) download of large files (the Hermez ptau files), with
 * progress on stderr.  Data goes to "<dest>.part"; an interrupted download
 * resumes from its size (HTTP Range); the file is renamed to dest only when
 * complete.  The caller checks the content (hash) afterwards. */
#ifndef NS_HOST_DOWNLOAD_H
#define NS_HOST_DOWNLOAD_H

#include <stdint.h>

#include "util/error.h"

int ns_download_resumable(const char *dest, const char *url, ns_error *err);

/* The same, reporting to progress(ctx, bytes in dest.part, total or 0 when
 * unknown) instead of a progress line on stderr (the EC2 host's status). */
int ns_download_resumable_cb(const char *dest, const char *url, void (*progress)(void *ctx, uint64_t done, uint64_t total),
                             void *ctx, ns_error *err);

#endif
