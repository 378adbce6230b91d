#include "protocol/cbundle.h"
#include "protocol/circom.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "formats/tar.h"
#include "util/hash.h"
#include "util/hex.h"
#include "util/interrupt.h"
#include "util/mapfile.h"
#include "util/outfile.h"
#include "util/rmtree.h"

#define MANIFEST_MAGIC "nitrosetup-circuit-bundle 1\n"

typedef struct {
    char path[100];   /* bundle path */
    char *real;       /* realpath on the host (create only) */
    uint8_t *data;
    size_t size;
} entry;

typedef struct {
    entry *v;
    int n;
} entry_list;

/* ---------- include scanner ---------- */

/* Calls fn for every `include "<path>"` outside comments and strings. */
static int scan_includes(const char *s, size_t n, int (*fn)(void *, const char *), void *ctx,
                         const char *file, ns_error *err) {
    size_t i = 0;
    while (i < n) {
        char c = s[i];
        if (c == '/' && i + 1 < n && s[i + 1] == '/') {
            while (i < n && s[i] != '\n') i++;
        } else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
            i += 2;
            while (i + 1 < n && !(s[i] == '*' && s[i + 1] == '/')) i++;
            i += 2;
        } else if (c == '"') {
            i++;
            while (i < n && s[i] != '"') i += (s[i] == '\\') ? 2 : 1;
            i++;
        } else if (c == 'i' && n - i >= 7 && memcmp(s + i, "include", 7) == 0 &&
                   (i == 0 || !(s[i - 1] == '_' || s[i - 1] == '$' ||
                                (s[i - 1] >= '0' && s[i - 1] <= '9') ||
                                ((s[i - 1] | 32) >= 'a' && (s[i - 1] | 32) <= 'z')))) {
            size_t j = i + 7;
            if (j < n && (s[j] == '_' || (s[j] >= '0' && s[j] <= '9') ||
                          ((s[j] | 32) >= 'a' && (s[j] | 32) <= 'z'))) {
                i = j;
                continue;
            }
            while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r')) j++;
            if (j >= n || s[j] != '"')
                return ns_error_set(err, "%s: malformed include statement", file);
            size_t k = j + 1;
            while (k < n && s[k] != '"' && s[k] != '\n') k++;
            if (k >= n || s[k] != '"' || k - j - 1 == 0 || k - j - 1 >= PATH_MAX)
                return ns_error_set(err, "%s: malformed include path", file);
            char inc[PATH_MAX];
            memcpy(inc, s + j + 1, k - j - 1);
            inc[k - j - 1] = 0;
            if (fn(ctx, inc) != 0) return -1;
            i = k + 1;
        } else {
            i++;
        }
    }
    return 0;
}

/* ---------- create ---------- */

typedef struct {
    entry_list *files;
    char roots[NS_CBUNDLE_MAX_LIBS + 1][PATH_MAX]; /* 0 = main dir, 1.. = libs */
    int nroots;
    const char *cur_real; /* file being scanned */
    ns_error *err;
} create_ctx;

static int is_regular(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Bundle path of a host file, by the first root that contains it. */
static int bundle_path_of(char *out, const create_ctx *cx, const char *real) {
    for (int r = 0; r < cx->nroots; r++) {
        size_t L = strlen(cx->roots[r]);
        if (strncmp(real, cx->roots[r], L) == 0 && real[L] == '/') {
            int w = r == 0 ? snprintf(out, 100, "src/%s", real + L + 1)
                           : snprintf(out, 100, "lib%d/%s", r - 1, real + L + 1);
            return (w > 0 && w < 100) ? 0 : -2;
        }
    }
    return -1;
}

static int add_file(create_ctx *cx, const char *real);

static int on_include(void *vctx, const char *inc) {
    create_ctx *cx = vctx;
    if (inc[0] == '/')
        return ns_error_set(cx->err, "%s: absolute include \"%s\" is not supported", cx->cur_real, inc);
    char cand[PATH_MAX * 2], real[PATH_MAX];
    const char *slash = strrchr(cx->cur_real, '/');
    snprintf(cand, sizeof cand, "%.*s/%s", (int)(slash - cx->cur_real), cx->cur_real, inc);
    int found = is_regular(cand);
    for (int r = 1; !found && r < cx->nroots; r++) {
        snprintf(cand, sizeof cand, "%s/%s", cx->roots[r], inc);
        found = is_regular(cand);
    }
    if (!found)
        return ns_error_set(cx->err, "%s: include \"%s\" not found (relative to the file or in a -l directory)",
                            cx->cur_real, inc);
    if (realpath(cand, real) == NULL)
        return ns_error_set(cx->err, "%s: %s", cand, strerror(errno));
    const char *saved = cx->cur_real;
    int rc = add_file(cx, real);
    cx->cur_real = saved;
    return rc;
}

static int add_file(create_ctx *cx, const char *real) {
    for (int i = 0; i < cx->files->n; i++)
        if (strcmp(cx->files->v[i].real, real) == 0) return 0;
    if (cx->files->n >= NS_CBUNDLE_MAX_FILES)
        return ns_error_set(cx->err, "circuit: more than %d files", NS_CBUNDLE_MAX_FILES);
    char bp[100];
    int b = bundle_path_of(bp, cx, real);
    if (b == -1)
        return ns_error_set(cx->err, "%s: outside the circuit's directory and every -l directory", real);
    if (b == -2) return ns_error_set(cx->err, "%s: path too long for the bundle", real);
    FILE *f = fopen(real, "rb");
    if (f == NULL) return ns_error_set(cx->err, "%s: %s", real, strerror(errno));
    uint8_t *data = malloc(NS_CBUNDLE_MAX_FILE + 1);
    size_t n = data ? fread(data, 1, NS_CBUNDLE_MAX_FILE + 1, f) : 0;
    int bad = data == NULL || ferror(f) || n > NS_CBUNDLE_MAX_FILE;
    fclose(f);
    if (bad) {
        free(data);
        return ns_error_set(cx->err, "%s: unreadable or larger than %u bytes", real, NS_CBUNDLE_MAX_FILE);
    }
    entry *nv = realloc(cx->files->v, sizeof(entry) * (size_t)(cx->files->n + 1));
    if (nv == NULL) {
        free(data);
        return ns_error_set(cx->err, "out of memory");
    }
    cx->files->v = nv;
    entry *e = &nv[cx->files->n++];
    memset(e, 0, sizeof *e);
    memcpy(e->path, bp, sizeof bp);
    e->real = strdup(real);
    e->data = data;
    e->size = n;
    if (e->real == NULL) return ns_error_set(cx->err, "out of memory");
    cx->cur_real = e->real;
    return scan_includes((const char *)data, n, on_include, cx, e->real, cx->err);
}

static void free_entries(entry_list *l) {
    for (int i = 0; i < l->n; i++) {
        free(l->v[i].real);
        free(l->v[i].data);
    }
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static int cmp_entry(const void *a, const void *b) {
    return strcmp(((const entry *)a)->path, ((const entry *)b)->path);
}

int ns_cbundle_create(const char *out_tar, const char *main_circom, const char *const *libdirs,
                      int nlibs, ns_cbundle_info *info, ns_error *err) {
    entry_list files = {0};
    create_ctx cx;
    memset(&cx, 0, sizeof cx);
    cx.files = &files;
    cx.err = err;
    char real_main[PATH_MAX];
    if (nlibs > NS_CBUNDLE_MAX_LIBS) return ns_error_set(err, "too many library directories");
    if (realpath(main_circom, real_main) == NULL || !is_regular(real_main))
        return ns_error_set(err, "%s: cannot read the circuit: %s", main_circom, strerror(errno));
    strcpy(cx.roots[0], real_main);
    *strrchr(cx.roots[0], '/') = 0;
    cx.nroots = 1;
    for (int i = 0; i < nlibs; i++) {
        if (realpath(libdirs[i], cx.roots[cx.nroots]) == NULL)
            return ns_error_set(err, "%s: library directory: %s", libdirs[i], strerror(errno));
        cx.nroots++;
    }
    int rc = -1;
    char *manifest = NULL;
    ns_outfile out;
    int out_open = 0;
    if (add_file(&cx, real_main) != 0) goto done;
    ns_cbundle_info inf;
    memset(&inf, 0, sizeof inf);
    memcpy(inf.main, files.v[0].path, sizeof inf.main);
    inf.nlibs = nlibs;
    inf.nfiles = files.n;
    qsort(files.v, (size_t)files.n, sizeof(entry), cmp_entry);
    size_t cap = 256 + (size_t)files.n * 256, len = 0;
    manifest = malloc(cap);
    if (manifest == NULL) {
        ns_error_set(err, "out of memory");
        goto done;
    }
    len += (size_t)snprintf(manifest + len, cap - len, MANIFEST_MAGIC "main %s\nlibs %d\n", inf.main, nlibs);
    for (int i = 0; i < files.n; i++) {
        uint8_t h[NS_BLAKE2B_LEN];
        char hex[2 * NS_BLAKE2B_LEN + 1];
        ns_blake2b512(h, files.v[i].data, files.v[i].size);
        ns_hex_encode(hex, h, sizeof h);
        len += (size_t)snprintf(manifest + len, cap - len, "%s %zu %s\n", hex, files.v[i].size,
                                files.v[i].path);
        inf.total += files.v[i].size;
    }
    if (ns_outfile_open(&out, out_tar, err) != 0) goto done;
    out_open = 1;
    if (ns_tar_put(&out, "MANIFEST", (const uint8_t *)manifest, len, err) != 0) goto done;
    for (int i = 0; i < files.n; i++)
        if (ns_tar_put(&out, files.v[i].path, files.v[i].data, files.v[i].size, err) != 0) goto done;
    if (ns_tar_end(&out, err) != 0) goto done;
    if (ns_outfile_commit(&out, err) != 0) goto done;
    out_open = 0;
    if (info != NULL) *info = inf;
    rc = 0;
done:
    if (out_open) ns_outfile_abort(&out);
    free(manifest);
    free_entries(&files);
    return rc;
}

/* ---------- extract / check ---------- */

typedef struct {
    char name[100];
    const uint8_t *data;
    uint64_t size;
} bentry;

typedef struct {
    const bentry *ents;
    int n;
    const bentry *cur;
    const char *tar;
    ns_error *err;
} inc_ctx;

/* Normalises root-relative "a/b/../c" into out; -1 when ".." climbs above
 * the first `keep` segments (the root: "src" or "lib<i>"). */
static int normalise(char *out, size_t cap, const char *path, int keep) {
    char buf[PATH_MAX];
    const char *seg[PATH_MAX / 2];
    int n = 0;
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) return -1;
    char *save = NULL;
    for (char *t = strtok_r(buf, "/", &save); t != NULL; t = strtok_r(NULL, "/", &save)) {
        if (strcmp(t, ".") == 0) continue;
        if (strcmp(t, "..") == 0) {
            if (n <= keep) return -1;
            n--;
            continue;
        }
        seg[n++] = t;
    }
    size_t o = 0;
    for (int i = 0; i < n; i++) {
        int w = snprintf(out + o, cap - o, "%s%s", i ? "/" : "", seg[i]);
        if (w < 0 || (size_t)w >= cap - o) return -1;
        o += (size_t)w;
    }
    return 0;
}

static int has_entry(const inc_ctx *ic, const char *name) {
    for (int i = 0; i < ic->n; i++)
        if (strcmp(ic->ents[i].name, name) == 0) return 1;
    return 0;
}

static int check_include(void *vctx, const char *inc) {
    inc_ctx *ic = vctx;
    if (inc[0] == '/')
        return ns_error_set(ic->err, "%s: %s: absolute include \"%s\" is not allowed", ic->tar, ic->cur->name, inc);
    char cand[PATH_MAX], norm[PATH_MAX];
    const char *slash = strrchr(ic->cur->name, '/');
    /* relative to the including file, inside its own root */
    int w = snprintf(cand, sizeof cand, "%.*s/%s", (int)(slash - ic->cur->name), ic->cur->name, inc);
    if (w < 0 || (size_t)w >= sizeof cand || normalise(norm, sizeof norm, cand, 1) != 0)
        return ns_error_set(ic->err, "%s: %s: include \"%s\" leaves the bundle", ic->tar, ic->cur->name, inc);
    if (has_entry(ic, norm)) return 0;
    /* then each library directory */
    for (int li = 0; li < NS_CBUNDLE_MAX_LIBS; li++) {
        w = snprintf(cand, sizeof cand, "lib%d/%s", li, inc);
        if (w < 0 || (size_t)w >= sizeof cand || normalise(norm, sizeof norm, cand, 1) != 0)
            return ns_error_set(ic->err, "%s: %s: include \"%s\" leaves the bundle", ic->tar, ic->cur->name, inc);
        if (has_entry(ic, norm)) return 0;
    }
    return ns_error_set(ic->err, "%s: %s: include \"%s\" is not in the bundle", ic->tar, ic->cur->name, inc);
}

static int path_ok(const char *p) {
    if (strncmp(p, "src/", 4) != 0 && strncmp(p, "lib", 3) != 0) return 0;
    if (p[0] == '/' || strstr(p, "//") != NULL) return 0;
    for (const char *s = p; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f || c == '\\') return 0;
    }
    const char *seg = p;
    for (;;) {
        const char *e = strchr(seg, '/');
        size_t L = e ? (size_t)(e - seg) : strlen(seg);
        if (L == 0 || (L == 1 && seg[0] == '.') || (L == 2 && seg[0] == '.' && seg[1] == '.'))
            return 0;
        if (e == NULL) break;
        seg = e + 1;
    }
    return 1;
}

static int mkdirs_for(const char *dest, const char *rel, ns_error *err) {
    char buf[PATH_MAX];
    int w = snprintf(buf, sizeof buf, "%s/%s", dest, rel);
    if (w < 0 || (size_t)w >= sizeof buf) return ns_error_set(err, "%s: path too long", rel);
    for (char *s = buf + strlen(dest) + 1; *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
            int e = errno;
            return ns_error_set(err, "%s: mkdir: %s", buf, strerror(e));
        }
        *s = '/';
    }
    return 0;
}

/* The MANIFEST entry: magic, main and libs lines; *files points at the
 * first file line. */
static int parse_manifest_head(ns_cbundle_info *inf, const char **files, const char *man, const char *tar,
                               ns_error *err) {
    if (strncmp(man, MANIFEST_MAGIC, strlen(MANIFEST_MAGIC)) != 0)
        return ns_error_set(err, "%s: bad MANIFEST header", tar);
    const char *p = man + strlen(MANIFEST_MAGIC);
    char mainp[100];
    int nlibs, used = 0;
    if (sscanf(p, "main %99[^\n]\nlibs %d\n%n", mainp, &nlibs, &used) != 2 || used == 0 || nlibs < 0 ||
        nlibs > NS_CBUNDLE_MAX_LIBS || !path_ok(mainp) || strncmp(mainp, "src/", 4) != 0)
        return ns_error_set(err, "%s: bad MANIFEST main/libs lines", tar);
    memcpy(inf->main, mainp, sizeof inf->main);
    inf->nlibs = nlibs;
    *files = p + used;
    return 0;
}

/* A file entry: a valid path after the previous one, under src/ or an
 * existing lib<i>/, and exactly the next MANIFEST line (hash, size, path). */
static int check_entry(const ns_tar_entry *e, const char *prev, const ns_cbundle_info *inf, const char **mline,
                       const char *tar, ns_error *err) {
    if (!path_ok(e->name) || (prev[0] != 0 && strcmp(prev, e->name) >= 0))
        return ns_error_set(err, "%s: entry %s: bad path or order", tar, e->name);
    if (strncmp(e->name, "lib", 3) == 0) {
        char *end;
        long li = strtol(e->name + 3, &end, 10);
        if (end == e->name + 3 || *end != '/' || li < 0 || li >= inf->nlibs || (e->name[3] == '0' && end != e->name + 4))
            return ns_error_set(err, "%s: entry %s: bad library index", tar, e->name);
    }
    uint8_t hh[NS_BLAKE2B_LEN];
    char hex[2 * NS_BLAKE2B_LEN + 1], line[400];
    ns_blake2b512(hh, e->data, e->size);
    ns_hex_encode(hex, hh, sizeof hh);
    int L = snprintf(line, sizeof line, "%s %llu %s\n", hex, (unsigned long long)e->size, e->name);
    if (*mline == NULL || strncmp(*mline, line, (size_t)L) != 0)
        return ns_error_set(err, "%s: entry %s does not match its MANIFEST line (hash, size or order)", tar, e->name);
    *mline += L;
    return 0;
}

static int write_entry(const char *dest_dir, const ns_tar_entry *e, ns_error *err) {
    char out_path[PATH_MAX];
    if (mkdirs_for(dest_dir, e->name, err) != 0) return -1;
    snprintf(out_path, sizeof out_path, "%s/%s", dest_dir, e->name);
    int fdw = open(out_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fdw < 0) return ns_error_set(err, "%s: %s", out_path, strerror(errno));
    ssize_t w = write(fdw, e->data, e->size);
    close(fdw);
    if (w < 0 || (uint64_t)w != e->size) return ns_error_set(err, "%s: write failed", out_path);
    return 0;
}

/* After every entry: nothing missing, the main file is an entry (by parsed
 * name), and every include of every file resolves inside the bundle as
 * circom will resolve it: a path that leaves the bundle is refused here, so
 * a compiler that follows it never runs. */
static int check_whole(const bentry *ents, int nents, const ns_cbundle_info *inf, const char *mline,
                       const char *tar, ns_error *err) {
    if (mline == NULL || *mline != 0) return ns_error_set(err, "%s: MANIFEST lists files that are missing", tar);
    int found = 0;
    for (int i = 0; i < nents && !found; i++) found = strcmp(ents[i].name, inf->main) == 0;
    if (!found) return ns_error_set(err, "%s: main file %s is not in the bundle", tar, inf->main);
    for (int i = 0; i < nents; i++) {
        inc_ctx ic = {ents, nents, &ents[i], tar, err};
        if (scan_includes((const char *)ents[i].data, ents[i].size, check_include, &ic, ents[i].name, err) != 0)
            return -1;
    }
    return 0;
}

int ns_cbundle_extract(const char *tar_path, const char *dest_dir, ns_cbundle_info *info, ns_error *err) {
    ns_mapfile m;
    if (ns_mapfile_open(&m, tar_path, err) != 0) return -1;
    int rc = -1, nents = 0;
    char *man = NULL, prev[100] = "";
    const char *mline = NULL;
    bentry *ents = NULL;
    ns_cbundle_info inf;
    memset(&inf, 0, sizeof inf);
    if (m.size > NS_CBUNDLE_MAX_SIZE || m.size % NS_TAR_BLOCK != 0 || m.size < 3 * NS_TAR_BLOCK) {
        ns_error_set(err, "%s: not a circuit bundle (size %llu)", tar_path, (unsigned long long)m.size);
        goto out;
    }
    ns_tar_reader tr;
    ns_tar_reader_init(&tr, m.data, m.size, NS_CBUNDLE_MAX_FILE, tar_path);
    ns_tar_entry e;
    for (int r; (r = ns_tar_next(&tr, &e, err)) != 0;) {
        if (r < 0) goto out;
        if (man == NULL) {
            /* the first entry is the MANIFEST, NUL-free text */
            if (strcmp(e.name, "MANIFEST") != 0) {
                ns_error_set(err, "%s: first entry must be MANIFEST", tar_path);
                goto out;
            }
            if ((man = malloc(e.size + 1)) == NULL) {
                ns_error_set(err, "out of memory");
                goto out;
            }
            memcpy(man, e.data, e.size);
            man[e.size] = 0;
            if (strlen(man) != e.size) {
                ns_error_set(err, "%s: bad MANIFEST header", tar_path);
                goto out;
            }
            if (parse_manifest_head(&inf, &mline, man, tar_path, err) != 0) goto out;
            continue;
        }
        if (check_entry(&e, prev, &inf, &mline, tar_path, err) != 0) goto out;
        memcpy(prev, e.name, sizeof prev);
        if (++inf.nfiles > NS_CBUNDLE_MAX_FILES) {
            ns_error_set(err, "%s: too many files", tar_path);
            goto out;
        }
        inf.total += e.size;
        if (nents % 64 == 0) {
            bentry *nv = realloc(ents, sizeof *ents * (size_t)(nents + 64));
            if (nv == NULL) {
                ns_error_set(err, "out of memory");
                goto out;
            }
            ents = nv;
        }
        memcpy(ents[nents].name, e.name, sizeof ents[nents].name);
        ents[nents].data = e.data;
        ents[nents].size = e.size;
        nents++;
        if (dest_dir != NULL && write_entry(dest_dir, &e, err) != 0) goto out;
    }
    if (man == NULL) {
        ns_error_set(err, "%s: first entry must be MANIFEST", tar_path);
        goto out;
    }
    if (check_whole(ents, nents, &inf, mline, tar_path, err) != 0) goto out;
    if (info != NULL) *info = inf;
    rc = 0;
out:
    free(man);
    free(ents);
    ns_mapfile_close(&m);
    return rc;
}

/* ---------- compile ---------- */

int ns_cbundle_compile(char *r1cs_path, size_t cap, const char *tar_path, const char *workdir,
                       const char *circom_cmd, ns_error *err) {
    char dir[PATH_MAX], outdir[PATH_MAX + 8], log[PATH_MAX + 16];
    snprintf(dir, sizeof dir, "%s/circuit", workdir);
    ns_rmtree(dir);
    if (mkdir(dir, 0755) != 0) return ns_error_set(err, "%s: mkdir: %s", dir, strerror(errno));
    ns_cbundle_info info;
    if (ns_cbundle_extract(tar_path, dir, &info, err) != 0) return -1;
    snprintf(outdir, sizeof outdir, "%s/out", dir);
    snprintf(log, sizeof log, "%s/circom.log", workdir);
    if (mkdir(outdir, 0755) != 0) return ns_error_set(err, "%s: mkdir: %s", outdir, strerror(errno));

    /* argv: the command's words, then our arguments. */
    char cmdbuf[4096], *argv[NS_CIRCOM_MAX_ARGS];
    char libs[NS_CBUNDLE_MAX_LIBS][16];
    int argc = 0;
    if (ns_circom_split(argv, &argc, cmdbuf, sizeof cmdbuf, circom_cmd, err) != 0) return -1;
    if (argc + 6 + 2 * info.nlibs >= NS_CIRCOM_MAX_ARGS) return ns_error_set(err, "circom command has too many words");
    argv[argc++] = info.main;
    argv[argc++] = "--r1cs";
    argv[argc++] = "--prime";
    argv[argc++] = "bn128";
    argv[argc++] = "-o";
    argv[argc++] = "out";
    for (int i = 0; i < info.nlibs; i++) {
        snprintf(libs[i], sizeof libs[i], "lib%d", i);
        argv[argc++] = "-l";
        argv[argc++] = libs[i];
    }
    argv[argc] = NULL;
    int st;
    if (ns_circom_run(&st, argv, dir, log, NULL, 0, err) != 0) return -1;
    const char *first = argv[0];
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        char tail[300] = "";
        FILE *f = fopen(log, "r");
        if (f != NULL) {
            char line[300];
            while (fgets(line, sizeof line, f) != NULL)
                if (strlen(line) > 1) memcpy(tail, line, sizeof tail);
            fclose(f);
            tail[strcspn(tail, "\n")] = 0;
        }
        if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
            return ns_error_set(err, "circom: cannot run '%s' (use --circom CMD)", first);
        return ns_error_set(err, "circom failed on %s (exit %d): %s (log: %s)", info.main,
                            WIFEXITED(st) ? WEXITSTATUS(st) : -1, tail, log);
    }
    const char *base = strrchr(info.main, '/') + 1;
    size_t bl = strlen(base);
    if (bl > 7 && strcmp(base + bl - 7, ".circom") == 0) bl -= 7;
    int w = snprintf(r1cs_path, cap, "%s/%.*s.r1cs", outdir, (int)bl, base);
    if (w < 0 || (size_t)w >= cap) return ns_error_set(err, "r1cs path too long");
    if (!is_regular(r1cs_path)) return ns_error_set(err, "circom did not produce %s", r1cs_path);
    return 0;
}
