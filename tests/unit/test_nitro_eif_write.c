/* Writing enclave images: the cpio encoding (gocpio's conventions, field by
 * field), the bootstrap ramdisk and PCR1 of synthetic blobs against the
 * values of an independent prototype of linuxkit's rules, the synthetic EIF
 * vector's sections written again (its PCRs, its layout), canonical
 * ramdisk 2 (independent of times, owners, modes and directory order on
 * disk), refusals, and the memory rule. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nitro/cpio.h"
#include "nitro/eif.h"
#include "nitro/eif_write.h"
#include "nitro/ramdisk.h"
#include "testutil.h"
#include "util/hash.h"
#include "util/hex.h"

static int hex_is(const uint8_t *p, size_t n, const char *hex) {
    uint8_t b[64];
    return ns_hex_decode(b, sizeof b, hex) == (long)n && memcmp(b, p, n) == 0;
}

static uint64_t be(const uint8_t *p, int w) {
    uint64_t v = 0;
    for (int i = 0; i < w; i++) v = v << 8 | p[i];
    return v;
}

static void test_cpio_encoding(void) {
    ns_cpio c;
    ns_error err;
    ns_cpio_init(&c);
    CHECK(ns_cpio_add(&c, "d", NS_CPIO_DIR, 0755, 0, 0, 1492533000u, NULL, 0, &err) == 0);
    CHECK(ns_cpio_add(&c, "ab", NS_CPIO_FILE, 0104755, 1, 2, 7, "xyz", 3, &err) == 0);
    CHECK(ns_cpio_add(&c, "l", NS_CPIO_SYMLINK, 0777, 0, 0, 0, "/t", 2, &err) == 0);
    CHECK(ns_cpio_finish(&c, &err) == 0);
    CHECK(ns_cpio_add(&c, "late", NS_CPIO_FILE, 0644, 0, 0, 0, "", 0, &err) != 0);
    const char *d_hdr = "070701000002d1000041ed00000000000000000000000258f63f08000000000000000300000001"
                        "000000000000000000000002" "00000000";
    CHECK(c.len == 512);
    CHECK(memcmp(c.data, d_hdr, 110) == 0);
    CHECK(memcmp(c.data + 110, "d", 2) == 0); /* 110 + 2 = 112: no padding */
    const char *f_hdr = "070701000002d2000089ed00000001000000020000000100000007000000030000000300000001"
                        "000000000000000000000003" "00000000";
    CHECK(memcmp(c.data + 112, f_hdr, 110) == 0); /* setuid kept in 07777, type regular */
    CHECK(memcmp(c.data + 222, "ab\0\0\0\0xyz\0", 10) == 0); /* name padded to 228, data to 232 */
    CHECK(memcmp(c.data + 232, "070701000002d3" "0000a1ff", 14) == 0);
    CHECK(memcmp(c.data + 342, "l\0/t\0\0", 6) == 0);
    const uint8_t *t = c.data + 348;
    CHECK(memcmp(t, "070701000002d4" "00000000" "00000000" "00000000" "00000001" "00000000" "00000000"
                    "00000003" "00000001",
                 78) == 0);
    CHECK(memcmp(t + 110, "TRAILER!!!\0", 11) == 0);
    for (size_t i = (size_t)(t - c.data) + 124; i < c.len; i++) CHECK_MSG(c.data[i] == 0, "padding at %zu", i);
    ns_cpio_free(&c);
    ns_cpio_init(&c);
    CHECK(ns_cpio_add(&c, "d", NS_CPIO_DIR, 0755, 0, 0, 0, "x", 1, &err) != 0);
    CHECK(ns_cpio_add(&c, "", NS_CPIO_FILE, 0644, 0, 0, 0, NULL, 0, &err) != 0);
    ns_cpio_free(&c);
}

/* init = bytes 0..255 x 16, nsm.ko = "nsm" x 333, kernel = "K" x 1000,
 * cmdline "console=ttyS0": values from the research prototype of
 * linuxkit's cpio rules (not from our code). */
static void test_bootstrap_vector(void) {
    uint8_t init[4096], nsm[999], kernel[1000];
    for (int i = 0; i < 4096; i++) init[i] = (uint8_t)i;
    for (int i = 0; i < 999; i++) nsm[i] = (uint8_t)"nsm"[i % 3];
    memset(kernel, 'K', sizeof kernel);
    ns_cpio rd;
    ns_error err;
    CHECK(ns_ramdisk_bootstrap(&rd, init, sizeof init, nsm, sizeof nsm, &err) == 0);
    CHECK(rd.len == 5632);
    uint8_t d[48];
    ns_hash *h = ns_hash_new(NS_HASH_SHA384);
    ns_hash_update(h, rd.data, rd.len);
    ns_hash_final(h, d);
    CHECK(hex_is(d, 48, "a4b3cf25d15d90bdf2ab294a2aec862ce49b7a53cd2ac65332ad271b432f9f84b762eebc14d0f8b89b216d6c8ad79e91"));
    ns_hash_update(h, kernel, sizeof kernel);
    ns_hash_update(h, "console=ttyS0", 13);
    ns_hash_update(h, rd.data, rd.len);
    ns_hash_final(h, d);
    ns_hash_free(h);
    uint8_t pcr1[48] = {0};
    ns_eif_pcr_extend(pcr1, d, 48);
    CHECK(hex_is(pcr1, 48, "5c0162fb9669b1308c22f3c0305c38594c282860a0ac72217e9982b9d67efaad488b163f93eb5882173c34c1206bf5dc"));
    ns_cpio_free(&rd);
}

/* The synthetic vector's kernel, cmdline and three ramdisks written again:
 * the same PCRs, and the same layout apart from the metadata section. */
static void test_rewrite_vector(const char *tmp) {
    size_t n;
    uint8_t *v = ns_test_read_file(ns_test_vector_path("nitro/synthetic/synthetic_v4_3ramdisks.eif"), &n);
    CHECK(v != NULL);
    if (v == NULL) return;
    ns_eif_image img;
    memset(&img, 0, sizeof img);
    char cmdline[256] = "";
    for (unsigned i = 0; i < be(v + 26, 2); i++) {
        const uint8_t *sh = v + be(v + 28 + 8 * i, 8);
        uint64_t size = be(sh + 4, 8);
        unsigned type = (unsigned)be(sh, 2);
        if (type == 1) img.kernel = sh + 12, img.kernel_len = (size_t)size;
        if (type == 2 && size < sizeof cmdline) memcpy(cmdline, sh + 12, (size_t)size);
        if (type == 3) {
            img.ramdisk[img.nramdisks] = sh + 12;
            img.ramdisk_len[img.nramdisks++] = (size_t)size;
        }
    }
    img.cmdline = cmdline;
    img.meta.image_name = "synthetic";
    char path[512];
    snprintf(path, sizeof path, "%s/rewrite.eif", tmp);
    uint8_t pcrs[3][48];
    uint64_t size;
    ns_error err;
    CHECK(ns_eif_write(path, &img, pcrs, &size, &err) == 0);
    CHECK(hex_is(pcrs[0], 48, "5db52c6d8e58ee9430cb2218f46ce778cdc8e092e54d3764310f5babc17490ec450b73b1d7a258cc73950f2ba8227cf9"));
    CHECK(hex_is(pcrs[1], 48, "174a086156a2a004e410f9e3d1cc6cde285a4b8958e25a0a29e8727f95ab93684f8dbb1a8e87816bb7347c657bcf3c3f"));
    CHECK(hex_is(pcrs[2], 48, "dd086b6b655662c2f2e9fc946ec9ddfad05f0f0497ddd6f1363e0173c725bf156734e707217213fb9e223d33c115ca09"));
    ns_eif_measurement m;
    CHECK(ns_eif_measure_file(&m, path, &err) == 0);
    CHECK(memcmp(m.pcr0, pcrs[0], 48) == 0 && memcmp(m.pcr1, pcrs[1], 48) == 0 && memcmp(m.pcr2, pcrs[2], 48) == 0);
    CHECK(m.version == 4 && m.flags == 0 && m.default_mem == 1ull << 30 && m.default_cpus == 2 && m.has_metadata &&
          m.nramdisks == 3 && m.num_sections == 6);
    size_t wn;
    uint8_t *w = ns_test_read_file(path, &wn);
    CHECK(w != NULL && wn == size);
    /* same header fields and kernel/cmdline placement as the vector */
    CHECK(w != NULL && memcmp(w, v, 28) == 0 && memcmp(w + 28, v + 28, 24) == 0 && memcmp(w + 284, v + 284, 16) == 0);
    /* trimmed cmdline: leading and trailing blanks do not reach the image */
    char padded[300];
    snprintf(padded, sizeof padded, " \t%s\n\n", cmdline);
    img.cmdline = padded;
    uint8_t pcrs2[3][48];
    CHECK(ns_eif_write(path, &img, pcrs2, &size, &err) == 0);
    CHECK(memcmp(pcrs, pcrs2, sizeof pcrs) == 0);
    uint8_t *w2 = ns_test_read_file(path, &wn);
    CHECK(w != NULL && w2 != NULL && wn == size && memcmp(w, w2, wn) == 0);
    img.cmdline = " \n";
    CHECK(ns_eif_write(path, &img, pcrs2, &size, &err) != 0);
    img.cmdline = cmdline;
    img.meta.custom_json = "{not json";
    CHECK(ns_eif_write(path, &img, pcrs2, &size, &err) != 0);
    free(w);
    free(w2);
    free(v);
}

static void put_file(const char *path, const char *text, mode_t mode) {
    FILE *f = fopen(path, "w");
    if (f != NULL) {
        fputs(text, f);
        fclose(f);
    }
    chmod(path, mode);
}

static int make_tree(const char *root, int variant) {
    char p[600];
    mkdir(root, variant ? 0700 : 0755);
    const char *dirs[] = {"usr", "usr/lib", "bin", "bin", "usr", "usr/lib"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", root, dirs[3 * variant + i]);
        mkdir(p, variant ? 0750 : 0755);
    }
    /* created in another order, other modes (same execute bit), other times */
    snprintf(p, sizeof p, "%s/%s", root, variant ? "usr/lib/libz.so" : "bin/tool");
    put_file(p, variant ? "lib" : "#!tool", variant ? 0600 : 0755);
    snprintf(p, sizeof p, "%s/%s", root, variant ? "bin/tool" : "usr/lib/libz.so");
    put_file(p, variant ? "#!tool" : "lib", variant ? 0700 : 0644);
    snprintf(p, sizeof p, "%s/lib", root);
    if (symlink("usr/lib", p) != 0) return -1;
    if (variant) {
        snprintf(p, sizeof p, "%s/bin/tool", root);
        struct timespec ts[2] = {{12345, 0}, {12345, 0}};
        utimensat(AT_FDCWD, p, ts, AT_SYMLINK_NOFOLLOW);
    }
    return 0;
}

static void test_application_ramdisk(const char *tmp) {
    char a[512], b[512];
    snprintf(a, sizeof a, "%s/rootA", tmp);
    snprintf(b, sizeof b, "%s/rootB", tmp);
    CHECK(make_tree(a, 0) == 0);
    CHECK(make_tree(b, 1) == 0);
    const char *cmd[] = {"/bin/tool", "--flag", "x y"};
    const char *env[] = {"PATH=/bin", "A=b"};
    ns_cpio ra, rb;
    ns_error err;
    CHECK(ns_ramdisk_application(&ra, a, cmd, 3, env, 2, &err) == 0);
    CHECK(ns_ramdisk_application(&rb, b, cmd, 3, env, 2, &err) == 0);
    CHECK(ra.len == rb.len && ra.len % 512 == 0 && memcmp(ra.data, rb.data, ra.len) == 0);
    /* entry names in order */
    const char *want[] = {"cmd", "env", "rootfs", "rootfs/bin", "rootfs/bin/tool", "rootfs/dev", "rootfs/lib",
                          "rootfs/proc", "rootfs/run", "rootfs/sys", "rootfs/tmp", "rootfs/usr", "rootfs/usr/lib",
                          "rootfs/usr/lib/libz.so", "rootfs/var", "TRAILER!!!"};
    size_t off = 0;
    int k = 0;
    while (off + 110 <= ra.len && k < 16) {
        char f[9];
        unsigned long v[13];
        for (int i = 0; i < 13; i++) {
            memcpy(f, ra.data + off + 6 + 8 * i, 8);
            f[8] = 0;
            v[i] = strtoul(f, NULL, 16);
        }
        const char *name = (const char *)ra.data + off + 110;
        CHECK_MSG(strcmp(name, want[k]) == 0, "entry %d is %s, want %s", k, name, want[k]);
        if (k < 15) CHECK(v[2] == 0 && v[3] == 0 && v[5] == 1492533000u); /* uid, gid, mtime */
        if (strcmp(name, "rootfs/bin/tool") == 0) CHECK(v[1] == 0100755);
        if (strcmp(name, "rootfs/usr/lib/libz.so") == 0) CHECK(v[1] == 0100644);
        if (strcmp(name, "rootfs/lib") == 0) CHECK(v[1] == 0120777 && v[6] == 7);
        if (strcmp(name, "rootfs/usr") == 0) CHECK(v[1] == 040755 && v[4] == 2);
        size_t nl = 110 + v[11];
        off += (nl + 3) / 4 * 4;
        if (strcmp(name, "cmd") == 0) CHECK(v[6] == 21 && memcmp(ra.data + off, "/bin/tool\n--flag\nx y\n", 21) == 0);
        off += (v[6] + 3) / 4 * 4;
        k++;
    }
    CHECK(k == 16);
    ns_cpio_free(&ra);
    ns_cpio_free(&rb);
    /* refusals: a FIFO, a newline in an argument, no command, not a directory */
    char fifo[600];
    snprintf(fifo, sizeof fifo, "%s/bin/pipe", a);
    CHECK(mkfifo(fifo, 0644) == 0);
    CHECK(ns_ramdisk_application(&ra, a, cmd, 3, env, 2, &err) != 0);
    CHECK(strstr(err.msg, "pipe") != NULL);
    unlink(fifo);
    const char *bad[] = {"/bin/tool", "a\nb"};
    CHECK(ns_ramdisk_application(&ra, a, bad, 2, env, 0, &err) != 0);
    CHECK(ns_ramdisk_application(&ra, a, cmd, 0, env, 0, &err) != 0);
    CHECK(ns_ramdisk_application(&ra, fifo, cmd, 1, env, 0, &err) != 0);
}

static void test_memory_rule(void) {
    CHECK(ns_eif_min_memory_mib(0) == 64);
    CHECK(ns_eif_min_memory_mib(16u << 20) == 64);
    CHECK(ns_eif_min_memory_mib((16u << 20) + 1) == 65);
    CHECK(ns_eif_min_memory_mib(100u << 20) == 400);
    CHECK(ns_eif_min_memory_mib((100u << 20) + 3) == 401);
    const char *s;
    CHECK(ns_eif_trim_cmdline("  a b\n", &s) == 3 && memcmp(s, "a b", 3) == 0);
}

int main(void) {
    char tmp[] = "/tmp/ns-eif-write-XXXXXX";
    if (mkdtemp(tmp) == NULL) return 1;
    test_cpio_encoding();
    test_bootstrap_vector();
    test_rewrite_vector(tmp);
    test_application_ramdisk(tmp);
    test_memory_rule();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmp);
    return ns_test_report("nitro_eif_write");
}
