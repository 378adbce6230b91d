#include "util/wipe.h"

#include <sys/mman.h>
#include <unistd.h>

#include <openssl/crypto.h>

void ns_wipe(void *p, size_t n) {
    if (p != NULL && n > 0) OPENSSL_cleanse(p, n);
}

static size_t pages_for(size_t n) {
    long pg = sysconf(_SC_PAGESIZE);
    size_t p = pg > 0 ? (size_t)pg : 4096;
    return (n + p - 1) / p * p;
}

void *ns_secret_alloc(size_t n) {
    size_t len = pages_for(n ? n : 1);
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return NULL;
    (void)mlock(p, len);                    /* may be refused (RLIMIT_MEMLOCK): best effort */
    (void)madvise(p, len, MADV_DONTDUMP);
    return p;
}

void ns_secret_free(void *p, size_t n) {
    if (p == NULL) return;
    size_t len = pages_for(n ? n : 1);
    ns_wipe(p, len);
    munlock(p, len);
    munmap(p, len);
}
