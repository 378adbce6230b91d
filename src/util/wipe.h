/* Wiping secrets.  Every buffer that held a secret scalar, seed or key is
 * passed to ns_wipe before it goes out of scope. */
#ifndef NS_UTIL_WIPE_H
#define NS_UTIL_WIPE_H

#include <stddef.h>

void ns_wipe(void *p, size_t n);

#endif
