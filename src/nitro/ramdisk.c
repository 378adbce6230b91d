#include "nitro/ramdisk.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/mapfile.h"

#define MTIME NS_CPIO_LINUXKIT_MTIME

int ns_ramdisk_bootstrap(ns_cpio *out, const uint8_t *init, size_t init_len, const uint8_t *nsm_ko, size_t nsm_len,
                         ns_error *err) {
    ns_cpio_init(out);
    if (ns_cpio_add(out, "dev", NS_CPIO_DIR, 0755, 0, 0, MTIME, NULL, 0, err) != 0 ||
        ns_cpio_add(out, "init", NS_CPIO_FILE, 0755, 0, 0, MTIME, init, init_len, err) != 0 ||
        ns_cpio_add(out, "nsm.ko", NS_CPIO_FILE, 0755, 0, 0, MTIME, nsm_ko, nsm_len, err) != 0 ||
        ns_cpio_finish(out, err) != 0) {
        ns_cpio_free(out);
        return ns_error_prefix(err, "ramdisk 1");
    }
    return 0;
}

typedef struct {
    char **v;
    size_t n, cap;
} pathlist;

static int list_push(pathlist *l, const char *s, ns_error *err) {
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 256;
        char **p = realloc(l->v, cap * sizeof *p);
        if (p == NULL) return ns_error_set(err, "out of memory");
        l->v = p;
        l->cap = cap;
    }
    if ((l->v[l->n] = strdup(s)) == NULL) return ns_error_set(err, "out of memory");
    l->n++;
    return 0;
}

static void list_free(pathlist *l) {
    for (size_t i = 0; i < l->n; i++) free(l->v[i]);
    free(l->v);
}

/* Collects every path below root/rel (relative names, no leading "/"). */
static int walk(pathlist *l, const char *root, const char *rel, int depth, ns_error *err) {
    char dir[PATH_MAX];
    if (snprintf(dir, sizeof dir, "%s%s%s", root, *rel ? "/" : "", rel) >= (int)sizeof dir)
        return ns_error_set(err, "%s/%s: path too long", root, rel);
    if (depth > 64) return ns_error_set(err, "%s: directories nested too deeply", dir);
    DIR *d = opendir(dir);
    if (d == NULL) return ns_error_set(err, "%s: %s", dir, strerror(errno));
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (errno = 0, e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        char sub[PATH_MAX], full[PATH_MAX];
        if (snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name) >= (int)sizeof sub ||
            snprintf(full, sizeof full, "%s/%s", root, sub) >= (int)sizeof full) {
            rc = ns_error_set(err, "%s/%s: path too long", dir, e->d_name);
            break;
        }
        if (strchr(sub, '\n') != NULL) {
            rc = ns_error_set(err, "%s: a newline in a file name", dir);
            break;
        }
        struct stat st;
        if (lstat(full, &st) != 0) {
            rc = ns_error_set(err, "%s: %s", full, strerror(errno));
            break;
        }
        rc = list_push(l, sub, err);
        if (rc == 0 && S_ISDIR(st.st_mode)) rc = walk(l, root, sub, depth + 1, err);
    }
    if (rc == 0 && errno != 0) rc = ns_error_set(err, "%s: %s", dir, strerror(errno));
    closedir(d);
    return rc;
}

static int cmp_path(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* "a\nb\n" from the strings; NULL on allocation failure. */
static char *lines(const char *const *v, int n, size_t *len, const char *what, ns_error *err) {
    size_t total = 0;
    for (int i = 0; i < n; i++) {
        if (strchr(v[i], '\n') != NULL) {
            ns_error_set(err, "%s element %d contains a newline", what, i);
            return NULL;
        }
        total += strlen(v[i]) + 1;
    }
    char *s = malloc(total + 1);
    if (s == NULL) {
        ns_error_set(err, "out of memory");
        return NULL;
    }
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        size_t l = strlen(v[i]);
        memcpy(s + k, v[i], l);
        s[k + l] = '\n';
        k += l + 1;
    }
    s[k] = 0;
    *len = k;
    return s;
}

static int add_path(ns_cpio *out, const char *root, const char *rel, ns_error *err) {
    char full[PATH_MAX], name[PATH_MAX];
    snprintf(full, sizeof full, "%s/%s", root, rel);
    snprintf(name, sizeof name, "rootfs/%s", rel);
    struct stat st;
    if (lstat(full, &st) != 0) {
        /* the mount points added for init need not exist on disk */
        if (errno == ENOENT) return ns_cpio_add(out, name, NS_CPIO_DIR, 0755, 0, 0, MTIME, NULL, 0, err);
        return ns_error_set(err, "%s: %s", full, strerror(errno));
    }
    if (S_ISDIR(st.st_mode)) return ns_cpio_add(out, name, NS_CPIO_DIR, 0755, 0, 0, MTIME, NULL, 0, err);
    if (S_ISLNK(st.st_mode)) {
        char target[PATH_MAX];
        ssize_t tl = readlink(full, target, sizeof target);
        if (tl <= 0 || (size_t)tl >= sizeof target) return ns_error_set(err, "%s: unreadable symbolic link", full);
        return ns_cpio_add(out, name, NS_CPIO_SYMLINK, 0777, 0, 0, MTIME, target, (size_t)tl, err);
    }
    if (!S_ISREG(st.st_mode))
        return ns_error_set(err, "%s: not a regular file, directory or symbolic link (refused in an image)", full);
    ns_mapfile f;
    if (ns_mapfile_open(&f, full, err) != 0) return -1;
    int rc = ns_cpio_add(out, name, NS_CPIO_FILE, st.st_mode & 0111 ? 0755 : 0644, 0, 0, MTIME, f.data,
                         (size_t)f.size, err);
    ns_mapfile_close(&f);
    return rc;
}

int ns_ramdisk_application(ns_cpio *out, const char *rootfs_dir, const char *const *cmd, int ncmd,
                           const char *const *env, int nenv, ns_error *err) {
    static const char *const MOUNTS[] = {"dev", "proc", "run", "sys", "tmp", "var"};
    ns_cpio_init(out);
    pathlist l = {0};
    char *cmd_text = NULL, *env_text = NULL;
    size_t cmd_len = 0, env_len = 0;
    int rc = -1;
    struct stat st;
    if (ncmd < 1) {
        ns_error_set(err, "the image needs a command");
        goto done;
    }
    if (stat(rootfs_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        ns_error_set(err, "%s: not a directory", rootfs_dir);
        goto done;
    }
    if ((cmd_text = lines(cmd, ncmd, &cmd_len, "cmd", err)) == NULL ||
        (env_text = lines(env, nenv, &env_len, "env", err)) == NULL)
        goto done;
    if (walk(&l, rootfs_dir, "", 0, err) != 0) goto done;
    for (size_t i = 0; i < sizeof MOUNTS / sizeof MOUNTS[0]; i++) {
        int have = 0;
        for (size_t k = 0; k < l.n && !have; k++) have = strcmp(l.v[k], MOUNTS[i]) == 0;
        if (!have && list_push(&l, MOUNTS[i], err) != 0) goto done;
    }
    qsort(l.v, l.n, sizeof *l.v, cmp_path);
    /* "cmd" < "env" < "rootfs" < "rootfs/...": the whole archive is in bytewise order */
    if (ns_cpio_add(out, "cmd", NS_CPIO_FILE, 0644, 0, 0, MTIME, cmd_text, cmd_len, err) != 0 ||
        ns_cpio_add(out, "env", NS_CPIO_FILE, 0644, 0, 0, MTIME, env_text, env_len, err) != 0 ||
        ns_cpio_add(out, "rootfs", NS_CPIO_DIR, 0755, 0, 0, MTIME, NULL, 0, err) != 0)
        goto done;
    for (size_t i = 0; i < l.n; i++)
        if (add_path(out, rootfs_dir, l.v[i], err) != 0) goto done;
    if (ns_cpio_finish(out, err) != 0) goto done;
    rc = 0;
done:
    list_free(&l);
    free(cmd_text);
    free(env_text);
    if (rc != 0) {
        ns_cpio_free(out);
        ns_error_prefix(err, "ramdisk 2");
    }
    return rc;
}
