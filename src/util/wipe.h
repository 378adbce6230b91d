/* Wiping secrets.  Every buffer that held a secret scalar, seed or key is
 * passed to ns_wipe before it goes out of scope. */
#ifndef NS_UTIL_WIPE_H
#define NS_UTIL_WIPE_H

#include <stddef.h>

void ns_wipe(void *p, size_t n);

/* Memory for secrets: whole private pages, locked in RAM where the process
 * may (mlock, best effort) and left out of core dumps (MADV_DONTDUMP).
 * ns_secret_free wipes before it unmaps.  NULL when out of memory. */
void *ns_secret_alloc(size_t n);
void ns_secret_free(void *p, size_t n);

#endif
