/* Resumable HTTP(S) download of large files (the Hermez ptau files), with
 * progress on stderr.  Data goes to "<dest>.part"; an interrupted download
 * resumes from its size (HTTP Range); the file is renamed to dest only when
 * complete.  The caller checks the content (hash) afterwards. */
#ifndef NS_HOST_DOWNLOAD_H
#define NS_HOST_DOWNLOAD_H

#include "util/error.h"

int ns_download_resumable(const char *dest, const char *url, ns_error *err);

#endif
