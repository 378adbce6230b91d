#include "protocol/bundle.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/outfile.h"
#include "util/rmtree.h"

static int dir_is_empty(const char *path) {
    DIR *d = opendir(path);
    if (d == NULL) return 0;
    struct dirent *e;
    int empty = 1;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) empty = 0;
    closedir(d);
    return empty;
}

int ns_bundle_stage_open(ns_bundle_stage *b, const char *dest, ns_error *err) {
    memset(b, 0, sizeof *b);
    size_t L = strlen(dest);
    while (L > 1 && dest[L - 1] == '/') L--;
    if (L == 0 || L + 20 >= sizeof b->dest) return ns_error_set(err, "%s: bad output directory", dest);
    memcpy(b->dest, dest, L);
    struct stat st;
    if (stat(b->dest, &st) == 0 && (!S_ISDIR(st.st_mode) || !dir_is_empty(b->dest)))
        return ns_error_set(err, "%s: exists and is not an empty directory; refusing to overwrite", b->dest);
    snprintf(b->stage, sizeof b->stage, "%s.partial-XXXXXX", b->dest);
    if (mkdtemp(b->stage) == NULL) {
        int e = errno;
        b->stage[0] = 0;
        return ns_error_set(err, "%s: cannot create a staging directory: %s", b->dest, strerror(e));
    }
    return 0;
}

void ns_bundle_stage_path(char *out, size_t cap, const ns_bundle_stage *b, const char *name) {
    snprintf(out, cap, "%s/%s", b->stage, name);
}

int ns_bundle_stage_commit(ns_bundle_stage *b, ns_error *err) {
    struct stat st;
    if (stat(b->dest, &st) == 0 && S_ISDIR(st.st_mode) && dir_is_empty(b->dest)) rmdir(b->dest);
    if (rename(b->stage, b->dest) != 0) {
        int e = errno;
        return ns_error_set(err, "%s: cannot move the bundle into place: %s", b->dest, strerror(e));
    }
    b->stage[0] = 0;
    return 0;
}

void ns_bundle_stage_abort(ns_bundle_stage *b) {
    if (b->stage[0]) ns_rmtree(b->stage);
    b->stage[0] = 0;
}

int ns_copy_file(const char *dst, const char *src, ns_error *err) {
    int in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0) return ns_error_set(err, "%s: %s", src, strerror(errno));
    ns_outfile out;
    if (ns_outfile_open(&out, dst, err) != 0) {
        close(in);
        return -1;
    }
    char *buf = malloc(1 << 20);
    int rc = buf ? 0 : ns_error_set(err, "out of memory");
    for (;;) {
        if (rc != 0) break;
        ssize_t r = read(in, buf, 1 << 20);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            rc = ns_error_set(err, "%s: read: %s", src, strerror(errno));
            break;
        }
        if (r == 0) break;
        rc = ns_outfile_write(&out, buf, (size_t)r, err);
    }
    free(buf);
    close(in);
    if (rc == 0) rc = ns_outfile_commit(&out, err);
    if (rc != 0) ns_outfile_abort(&out);
    return rc;
}
