#include "nitro/eif_write.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/hash.h"
#include "util/outfile.h"

enum { SEC_KERNEL = 1, SEC_CMDLINE = 2, SEC_RAMDISK = 3, SEC_METADATA = 5 };

typedef struct {
    uint16_t type;
    const uint8_t *data;
    uint64_t len;
} section;

static void put_be(uint8_t *p, uint64_t v, int w) {
    for (int i = w - 1; i >= 0; i--, v >>= 8) p[i] = (uint8_t)v;
}

size_t ns_eif_trim_cmdline(const char *s, const char **start) {
    const char *ws = " \t\n\v\f\r";
    while (*s && strchr(ws, *s)) s++;
    size_t n = strlen(s);
    while (n > 0 && strchr(ws, s[n - 1])) n--;
    *start = s;
    return n;
}

uint64_t ns_eif_min_memory_mib(uint64_t eif_size) {
    const uint64_t mib = 1u << 20;
    uint64_t m = (4 * eif_size + mib - 1) / mib;
    return m < 64 ? 64 : m;
}

static json_t *str_or_unknown(const char *s) { return json_string(s && *s ? s : "Unknown"); }

/* nitro-cli's metadata keys, in its order, compact. */
static char *metadata_json(const ns_eif_metadata *md, ns_error *err) {
    json_t *custom = json_null();
    if (md->custom_json != NULL) {
        json_error_t je;
        json_decref(custom);
        custom = json_loads(md->custom_json, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
        if (custom == NULL) {
            ns_error_set(err, "EIF metadata: custom metadata is not JSON: %s", je.text);
            return NULL;
        }
    }
    json_t *bm = json_object(), *o = json_object();
    json_object_set_new(bm, "BuildTime", str_or_unknown(md->build_time));
    json_object_set_new(bm, "BuildTool", str_or_unknown(md->build_tool));
    json_object_set_new(bm, "BuildToolVersion", str_or_unknown(md->build_tool_version));
    json_object_set_new(bm, "OperatingSystem", str_or_unknown(md->operating_system));
    json_object_set_new(bm, "KernelVersion", str_or_unknown(md->kernel_version));
    json_object_set_new(o, "ImageName", str_or_unknown(md->image_name));
    json_object_set_new(o, "ImageVersion", str_or_unknown(md->image_version));
    json_object_set_new(o, "BuildMetadata", bm);
    json_object_set_new(o, "DockerInfo", json_null());
    json_object_set_new(o, "CustomMetadata", custom);
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
    json_decref(o);
    if (s == NULL) ns_error_set(err, "EIF metadata: out of memory");
    return s;
}

int ns_eif_write(const char *path, const ns_eif_image *img, uint8_t pcrs[3][48], uint64_t *size, ns_error *err) {
    if (img->nramdisks < 1 || img->nramdisks > NS_EIF_MAX_RAMDISKS)
        return ns_error_set(err, "%s: an image needs 1..%d ramdisks", path, NS_EIF_MAX_RAMDISKS);
    if (img->kernel_len == 0) return ns_error_set(err, "%s: empty kernel", path);
    const char *cl;
    size_t cl_len = ns_eif_trim_cmdline(img->cmdline ? img->cmdline : "", &cl);
    if (cl_len == 0) return ns_error_set(err, "%s: empty kernel command line", path);
    char *meta = metadata_json(&img->meta, err);
    if (meta == NULL) return ns_error_prefix(err, "%s", path);

    section sec[3 + NS_EIF_MAX_RAMDISKS];
    int ns = 0;
    sec[ns++] = (section){SEC_KERNEL, img->kernel, img->kernel_len};
    sec[ns++] = (section){SEC_CMDLINE, (const uint8_t *)cl, cl_len};
    sec[ns++] = (section){SEC_METADATA, (const uint8_t *)meta, strlen(meta)};
    for (int i = 0; i < img->nramdisks; i++) sec[ns++] = (section){SEC_RAMDISK, img->ramdisk[i], img->ramdisk_len[i]};

    uint8_t hdr[NS_EIF_HEADER_LEN];
    memset(hdr, 0, sizeof hdr);
    memcpy(hdr, ".eif", 4);
    put_be(hdr + 4, 4, 2);
    put_be(hdr + 6, img->aarch64 ? 1 : 0, 2);
    put_be(hdr + 8, 1ull << 30, 8);
    put_be(hdr + 16, 2, 8);
    put_be(hdr + 26, (uint64_t)ns, 2);
    uint64_t off = NS_EIF_HEADER_LEN;
    for (int i = 0; i < ns; i++) {
        put_be(hdr + 28 + 8 * i, off, 8);
        put_be(hdr + 284 + 8 * i, sec[i].len, 8);
        off += 12 + sec[i].len;
    }
    uint8_t sh[3 + NS_EIF_MAX_RAMDISKS][12];
    uint32_t crc = ns_eif_crc32(0, hdr, 544);
    for (int i = 0; i < ns; i++) {
        put_be(sh[i], sec[i].type, 2);
        put_be(sh[i] + 2, 0, 2);
        put_be(sh[i] + 4, sec[i].len, 8);
        crc = ns_eif_crc32(crc, sh[i], 12);
        crc = ns_eif_crc32(crc, sec[i].data, (size_t)sec[i].len);
    }
    put_be(hdr + 544, crc, 4);

    ns_hash *h[3] = {ns_hash_new(NS_HASH_SHA384), ns_hash_new(NS_HASH_SHA384), ns_hash_new(NS_HASH_SHA384)};
    ns_outfile out;
    int rc = -1, opened = 0;
    if (h[0] == NULL || h[1] == NULL || h[2] == NULL) {
        ns_error_set(err, "out of memory");
        goto done;
    }
    if (ns_outfile_open(&out, path, err) != 0) goto done;
    opened = 1;
    if (ns_outfile_write(&out, hdr, sizeof hdr, err) != 0) goto done;
    int nrd = 0;
    for (int i = 0; i < ns; i++) {
        if (ns_outfile_write(&out, sh[i], 12, err) != 0 ||
            ns_outfile_write(&out, sec[i].data, (size_t)sec[i].len, err) != 0)
            goto done;
        ns_outfile_start_writeback(&out);
        if (sec[i].type == SEC_METADATA) continue;
        ns_hash_update(h[0], sec[i].data, (size_t)sec[i].len);
        if (sec[i].type != SEC_RAMDISK || nrd++ == 0)
            ns_hash_update(h[1], sec[i].data, (size_t)sec[i].len);
        else
            ns_hash_update(h[2], sec[i].data, (size_t)sec[i].len);
    }
    if (ns_outfile_commit(&out, err) != 0) {
        opened = 0;
        goto done;
    }
    opened = 0;
    for (int k = 0; k < 3; k++) {
        uint8_t d[48];
        ns_hash_final(h[k], d);
        if (pcrs != NULL) {
            memset(pcrs[k], 0, 48);
            ns_eif_pcr_extend(pcrs[k], d, 48);
        }
    }
    if (size != NULL) *size = off;
    rc = 0;
done:
    if (opened) ns_outfile_abort(&out);
    for (int k = 0; k < 3; k++) ns_hash_free(h[k]);
    free(meta);
    return rc;
}
