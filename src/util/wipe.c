#include "util/wipe.h"

#include <openssl/crypto.h>

void ns_wipe(void *p, size_t n) {
    if (p != NULL && n > 0) OPENSSL_cleanse(p, n);
}
