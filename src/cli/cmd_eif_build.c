/* `nitrosetup eif build <out.eif> --rootfs DIR [--blobs DIR] [--env K=V]... -- CMD...`:
 * an enclave image written without Docker or linuxkit, the same bytes for
 * the same inputs (nitro/eif_write.h, nitro/ramdisk.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>

#include "cli/commands.h"
#include "cli/opt.h"
#include "nitro/eif.h"
#include "nitro/eif_write.h"
#include "nitro/ramdisk.h"
#include "util/hash.h"
#include "util/hex.h"
#include "util/mapfile.h"

#define MAX_ENV 64

static const ns_cmd_spec BUILD = {
    "eif build", "<out.eif> --rootfs DIR [--] CMD [ARG...]", 2, -1,
    "Writes an Enclave Image File without Docker or linuxkit, byte for byte the\n"
    "same for the same inputs:\n"
    "  kernel and cmdline     from the blob set (--blobs: bzImage or Image, cmdline)\n"
    "  ramdisk 1 (PCR1)       the blobs' init and nsm.ko, laid out exactly as\n"
    "                         nitro-cli's linuxkit writes them (so PCR1 is AWS's value\n"
    "                         for the same blobs)\n"
    "  ramdisk 2 (PCR2)       canonical newc cpio of --rootfs DIR under rootfs/ (paths\n"
    "                         sorted, uid/gid 0, one time, fixed modes) with the start\n"
    "                         command CMD ARG... (the words after the output file; put\n"
    "                         '--' before them) and --env values for AWS's init\n"
    "  metadata (unmeasured)  fixed: image name and version, BuildTime from\n"
    "                         SOURCE_DATE_EPOCH (else 1970), blob SHA-256s\n"
    "Prints nitro-cli build-enclave's {\"Measurements\": {...}} JSON with the image's\n"
    "SHA-256, size and the least enclave memory nitro-cli accepts for it\n"
    "(MinMemoryMiB = 4 x the file size, rounded up to MiB, at least 64).\n",
};

static int load(ns_mapfile *f, const char *dir, const char *name, char *path, size_t cap, ns_error *err) {
    snprintf(path, cap, "%s/%s", dir, name);
    return ns_mapfile_open(f, path, err);
}

static void sha256_hex(char out[65], const void *data, size_t n) {
    uint8_t d[32];
    ns_sha256(d, data, n);
    ns_hex_encode(out, d, 32);
}

/* nitro-cli's rule: line 3 of the kernel .config, "# Linux/<arch> <version> Kernel Configuration". */
static void kernel_config(const char *dir, const char *kernel, char *os, size_t oscap, char *ver, size_t vercap) {
    char path[4096], line[512];
    snprintf(path, sizeof path, "%s/%s.config", dir, kernel);
    FILE *f = fopen(path, "r");
    for (int i = 0; f != NULL && i < 3 && fgets(line, sizeof line, f) != NULL; i++) {
        char a[128], b[128], c[128];
        if (i == 2 && sscanf(line, "%127s %127s %127s", a, b, c) == 3) {
            snprintf(os, oscap, "%s", b);
            snprintf(ver, vercap, "%s", c);
        }
    }
    if (f != NULL) fclose(f);
}

/* The kernel blob of this machine's architecture when the set has both;
 * path gets its path.  NULL (after the message) when there is none. */
static const char *pick_kernel(char *path, size_t cap, const char *blobs) {
    struct stat st;
#if defined(__aarch64__)
    const char *kname = "Image";
#else
    const char *kname = "bzImage";
#endif
    snprintf(path, cap, "%s/%s", blobs, kname);
    if (stat(path, &st) != 0) kname = strcmp(kname, "Image") == 0 ? "bzImage" : "Image";
    snprintf(path, cap, "%s/%s", blobs, kname);
    if (stat(path, &st) != 0) {
        fprintf(stderr, "nitrosetup: %s: no kernel blob (bzImage for x86_64, Image for aarch64)\n", blobs);
        return NULL;
    }
    return kname;
}

/* The metadata's varying fields, fixed by the inputs and SOURCE_DATE_EPOCH
 * only: BuildTime, OS and kernel version, and CustomMetadata (the blobs'
 * SHA-256).  *custom is malloc'd. */
static int image_metadata(char **custom, char build_time[64], char os[128], char kver[128], const char *blobs,
                          const char *kname, const ns_mapfile *fk, const ns_mapfile *fc, const ns_mapfile *fi,
                          const ns_mapfile *fn, ns_error *err) {
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    char *end = NULL;
    long long epoch = sde && *sde ? strtoll(sde, &end, 10) : 0;
    if (sde && *sde && (*end != 0 || epoch < 0))
        return ns_error_set(err, "SOURCE_DATE_EPOCH '%s' is not a number of seconds", sde);
    time_t t = (time_t)epoch;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(build_time, 64, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
    snprintf(os, 128, "Unknown");
    snprintf(kver, 128, "Unknown");
    kernel_config(blobs, kname, os, 128, kver, 128);
    char hk[65], hc[65], hi[65], hn[65];
    sha256_hex(hk, fk->data, (size_t)fk->size);
    sha256_hex(hc, fc->data, (size_t)fc->size);
    sha256_hex(hi, fi->data, (size_t)fi->size);
    sha256_hex(hn, fn->data, (size_t)fn->size);
    json_t *cj = json_pack("{s:{s:s,s:s,s:s,s:s},s:I}", "BlobSha256", kname, hk, "cmdline", hc, "init", hi, "nsm.ko",
                           hn, "SourceDateEpoch", (json_int_t)epoch);
    *custom = cj ? json_dumps(cj, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(cj);
    return *custom == NULL ? ns_error_set(err, "out of memory") : 0;
}

/* nitro-cli build-enclave's Measurements JSON, plus the file's facts. */
static int print_measurements(const char *out, const uint8_t pcrs[3][48], uint64_t size, int aarch64,
                              size_t rd1, size_t rd2, ns_error *err) {
    ns_mapfile fo;
    if (ns_mapfile_open(&fo, out, err) != 0) return -1;
    char hsum[65], p[3][97];
    sha256_hex(hsum, fo.data, (size_t)fo.size);
    ns_mapfile_close(&fo);
    for (int k = 0; k < 3; k++) ns_hex_encode(p[k], pcrs[k], 48);
    json_t *o = json_pack("{s:{s:s,s:s,s:s,s:s},s:s,s:s,s:I,s:I,s:I,s:I}", "Measurements", "HashAlgorithm",
                          "Sha384 { ... }", "PCR0", p[0], "PCR1", p[1], "PCR2", p[2], "Arch",
                          aarch64 ? "aarch64" : "x86_64", "Sha256", hsum, "Size", (json_int_t)size, "Ramdisk1Size",
                          (json_int_t)rd1, "Ramdisk2Size", (json_int_t)rd2, "MinMemoryMiB",
                          (json_int_t)ns_eif_min_memory_mib(size));
    json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    printf("\n");
    json_decref(o);
    return 0;
}

int ns_cmd_eif_build(int argc, char **argv) {
    const char *blobs = "/usr/share/nitro_enclaves/blobs", *rootfs = NULL, *name = "nitrosetup",
               *version = NS_VERSION;
    const char *env_items[MAX_ENV];
    ns_opt_list envs = {env_items, 0, MAX_ENV};
    int rc;
    const ns_opt OPTS[] = {
        OPT_STRING(0, "blobs", &blobs, "DIR", "AWS blob set (default /usr/share/nitro_enclaves/blobs)"),
        OPT_STRING(0, "rootfs", &rootfs, "DIR", "the application's root file system (required)"),
        OPT_LIST(0, "env", &envs, "KEY=VALUE", "environment of the start command (repeatable, in order)"),
        OPT_STRING(0, "name", &name, "NAME", "ImageName in the metadata (default nitrosetup)"),
        OPT_STRING(0, "image-version", &version, "V", "ImageVersion in the metadata (default: this version)"),
        OPT_END(),
    };
    if (ns_opt_parse(&BUILD, OPTS, &argc, argv, &rc) != 0) return rc;
    if (rootfs == NULL) return ns_cli_usage_error("eif build", "--rootfs DIR is required");
    for (int i = 0; i < envs.n; i++)
        if (strchr(envs.items[i], '=') == NULL || envs.items[i][0] == '=')
            return ns_cli_usage_error("eif build", "--env '%s' is not KEY=VALUE", envs.items[i]);
    const char *out = argv[1];
    const char *const *cmd = (const char *const *)argv + 2;
    int ncmd = argc - 2;
    if (cmd[0][0] != '/')
        return ns_cli_usage_error("eif build", "the command '%s' must be an absolute path (AWS's init "
                                               "searches only /sbin:/usr/sbin:/bin:/usr/bin)", cmd[0]);

    char path[4096];
    const char *kname = pick_kernel(path, sizeof path, blobs);
    if (kname == NULL) return 2;
    int aarch64 = strcmp(kname, "Image") == 0;

    ns_error err;
    ns_mapfile fk = {0}, fc = {0}, fi = {0}, fn = {0};
    ns_cpio rd1, rd2;
    ns_cpio_init(&rd1);
    ns_cpio_init(&rd2);
    char *cmdline = NULL, *custom = NULL;
    rc = 2;
    if (load(&fk, blobs, kname, path, sizeof path, &err) != 0 ||
        load(&fc, blobs, "cmdline", path, sizeof path, &err) != 0 ||
        load(&fi, blobs, "init", path, sizeof path, &err) != 0 ||
        load(&fn, blobs, "nsm.ko", path, sizeof path, &err) != 0)
        goto done;
    if ((cmdline = malloc((size_t)fc.size + 1)) == NULL) {
        ns_error_set(&err, "out of memory");
        goto done;
    }
    if (fc.size) memcpy(cmdline, fc.data, (size_t)fc.size);
    cmdline[fc.size] = 0;
    if (strlen(cmdline) != fc.size) {
        ns_error_set(&err, "%s/cmdline: contains a NUL byte", blobs);
        goto done;
    }
    if (ns_ramdisk_bootstrap(&rd1, fi.data, (size_t)fi.size, fn.data, (size_t)fn.size, &err) != 0 ||
        ns_ramdisk_application(&rd2, rootfs, cmd, ncmd, env_items, envs.n, &err) != 0)
        goto done;

    char build_time[64], os[128], kver[128];
    if (image_metadata(&custom, build_time, os, kver, blobs, kname, &fk, &fc, &fi, &fn, &err) != 0) goto done;
    ns_eif_image img = {
        .aarch64 = aarch64,
        .kernel = fk.data,
        .kernel_len = (size_t)fk.size,
        .cmdline = cmdline,
        .ramdisk = {rd1.data, rd2.data},
        .ramdisk_len = {rd1.len, rd2.len},
        .nramdisks = 2,
        .meta = {name, version, build_time, "nitrosetup eif build", NS_VERSION, os, kver, custom},
    };
    uint8_t pcrs[3][48];
    uint64_t size;
    if (ns_eif_write(out, &img, pcrs, &size, &err) != 0) goto done;
    /* the written file, read back by the same code as `eif measure` */
    ns_eif_measurement m;
    if (ns_eif_measure_file(&m, out, &err) != 0) goto done;
    if (memcmp(m.pcr0, pcrs[0], 48) != 0 || memcmp(m.pcr1, pcrs[1], 48) != 0 || memcmp(m.pcr2, pcrs[2], 48) != 0) {
        ns_error_set(&err, "%s: the measurements read back differ from those written", out);
        remove(out);
        rc = 1;
        goto done;
    }
    if (print_measurements(out, (const uint8_t(*)[48])pcrs, size, aarch64, rd1.len, rd2.len, &err) != 0) goto done;
    rc = 0;
done:
    if (rc != 0) ns_error_print(&err);
    ns_mapfile_close(&fk);
    ns_mapfile_close(&fc);
    ns_mapfile_close(&fi);
    ns_mapfile_close(&fn);
    ns_cpio_free(&rd1);
    ns_cpio_free(&rd2);
    free(cmdline);
    free(custom);
    return rc;
}
