#include "aws/s3.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/interrupt.h"

#define DEFAULT_CHUNK ((uint64_t)256 << 20)

int ns_s3_check_bucket(const char *bucket, const char *what, ns_error *err) {
    size_t n = bucket != NULL ? strlen(bucket) : 0;
    if (n < 3 || n > 63 || strspn(bucket, "abcdefghijklmnopqrstuvwxyz0123456789.-") != n || bucket[0] == '.' ||
        bucket[0] == '-' || bucket[n - 1] == '.' || bucket[n - 1] == '-')
        return ns_error_set(err, "%s: '%.80s' is not an S3 bucket name (3-63 of a-z 0-9 . -)", what,
                            bucket ? bucket : "");
    return 0;
}

int ns_s3_check_key(const char *key, const char *what, ns_error *err) {
    size_t n = key != NULL ? strlen(key) : 0;
    if (n < 1 || n > 1024) return ns_error_set(err, "%s: an S3 key has 1 to 1024 bytes", what);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)key[i] < 0x20 || key[i] == 0x7f)
            return ns_error_set(err, "%s: control character in the S3 key", what);
    return 0;
}

static int uri(char *out, size_t cap, const char *bucket, const char *key, ns_error *err) {
    if (ns_s3_check_bucket(bucket, "bucket", err) != 0) return -1;
    if (snprintf(out, cap, "s3://%s/%s", bucket, key) >= (int)cap) return ns_error_set(err, "s3 key too long");
    return 0;
}

int ns_s3_put_file(const ns_aws *a, const char *bucket, const char *key, const char *path, const ns_s3_put_opts *o,
                   ns_aws_result *r, ns_error *err) {
    ns_s3_put_opts none = {0};
    if (o == NULL) o = &none;
    char dst[1200];
    if (ns_s3_check_key(key, "upload", err) != 0 || uri(dst, sizeof dst, bucket, key, err) != 0) return -1;
    const char *args[24];
    int n = 0;
    args[n++] = "s3";
    args[n++] = "cp";
    args[n++] = path;
    args[n++] = dst;
    args[n++] = "--no-progress";
    args[n++] = "--only-show-errors";
    if (o->storage_class) args[n++] = "--storage-class", args[n++] = o->storage_class;
    if (o->metadata) args[n++] = "--metadata", args[n++] = o->metadata;
    if (o->content_type) args[n++] = "--content-type", args[n++] = o->content_type;
    if (o->requester_pays) args[n++] = "--request-payer", args[n++] = "requester";
    args[n] = NULL;
    ns_aws_result local = {0};
    ns_aws_result *res = r != NULL ? r : &local;
    int rc = ns_aws_run_retry(a, res, args, o->attempts > 0 ? o->attempts : 3, err);
    if (r == NULL) ns_aws_result_free(&local);
    if (rc != 0) return ns_error_prefix(err, "%s", dst);
    return 0;
}

/* A temporary file in $TMPDIR (else /tmp) holding data; path filled. */
static int temp_with(char *path, size_t cap, const void *data, size_t n, ns_error *err) {
    const char *tmp = getenv("TMPDIR");
    snprintf(path, cap, "%s/nitrosetup-s3-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) return ns_error_set(err, "%s: cannot create a temporary file: %s", path, strerror(errno));
    const unsigned char *p = data;
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, p + done, n - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            int e = errno;
            close(fd);
            unlink(path);
            return ns_error_set(err, "%s: %s", path, strerror(e));
        }
        done += (size_t)w;
    }
    close(fd);
    return 0;
}

int ns_s3_put_buffer(const ns_aws *a, const char *bucket, const char *key, const void *data, size_t n,
                     const ns_s3_put_opts *o, ns_aws_result *r, ns_error *err) {
    char path[4096];
    if (temp_with(path, sizeof path, data, n, err) != 0) return -1;
    int slot = ns_interrupt_track_file(path);
    int rc = ns_s3_put_file(a, bucket, key, path, o, r, err);
    unlink(path);
    ns_interrupt_untrack(slot);
    return rc;
}

int ns_s3_head(const ns_aws *a, const char *bucket, const char *key, int requester_pays, ns_s3_object *o,
               ns_aws_result *r, ns_error *err) {
    memset(o, 0, sizeof *o);
    if (ns_s3_check_bucket(bucket, "bucket", err) != 0 || ns_s3_check_key(key, "head", err) != 0) return -1;
    const char *args[] = {"s3api", "head-object", "--bucket", bucket, "--key", key,
                          requester_pays ? "--request-payer" : NULL, "requester", NULL};
    ns_aws_result local = {0};
    ns_aws_result *res = r != NULL ? r : &local;
    int rc = -1;
    json_t *j = NULL;
    for (int i = 0; i < 4 && j == NULL; i++) { /* a head is safe to repeat */
        j = ns_aws_json(a, args, res, err);
        if (j == NULL && res->kind != NS_AWS_E_THROTTLED && res->kind != NS_AWS_E_NETWORK) break;
        if (j == NULL && i < 3) sleep(1u << i);
    }
    if (j == NULL) {
        ns_error_prefix(err, "s3://%s/%s", bucket, key);
        goto out;
    }
    json_t *len = json_object_get(j, "ContentLength");
    if (!json_is_integer(len) || json_integer_value(len) < 0) {
        ns_error_set(err, "s3://%s/%s: head-object gave no ContentLength", bucket, key);
        goto out;
    }
    o->bytes = (uint64_t)json_integer_value(len);
    const char *etag = json_string_value(json_object_get(j, "ETag"));
    if (etag) snprintf(o->etag, sizeof o->etag, "%s", etag);
    const char *b2 = json_string_value(json_object_get(json_object_get(j, "Metadata"), "blake2b"));
    if (b2 && strlen(b2) < sizeof o->blake2b) snprintf(o->blake2b, sizeof o->blake2b, "%s", b2);
    rc = 0;
out:
    json_decref(j);
    if (r == NULL) ns_aws_result_free(&local);
    return rc;
}

/* Appends the file at src to the open descriptor dst (in 1 MiB pieces). */
static int append_file(int dst, const char *src, const char *dstname, ns_error *err) {
    int fd = open(src, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ns_error_set(err, "%s: %s", src, strerror(errno));
    enum { BUF = 1 << 20 };
    char *buf = malloc(BUF);
    int rc = 0;
    if (buf == NULL) rc = ns_error_set(err, "out of memory");
    for (ssize_t got; rc == 0 && (got = read(fd, buf, BUF)) != 0;) {
        if (got < 0) {
            if (errno == EINTR) continue;
            rc = ns_error_set(err, "%s: %s", src, strerror(errno));
            break;
        }
        for (ssize_t off = 0; off < got;) {
            ssize_t w = write(dst, buf + off, (size_t)(got - off));
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) {
                rc = ns_error_set(err, "%s: %s", dstname, w < 0 ? strerror(errno) : "short write");
                break;
            }
            off += w;
        }
    }
    free(buf);
    close(fd);
    return rc;
}

/* One get-object call for bytes [from, to] into piece, appended to the
 * part file; repeated while throttled or the network fails. */
static int get_piece(const ns_aws *a, const char *bucket, const char *key, uint64_t from, uint64_t to,
                     const char *piece, int part_fd, const char *part, const ns_s3_get_opts *o, ns_aws_result *r,
                     ns_error *err) {
    char range[64];
    snprintf(range, sizeof range, "bytes=%llu-%llu", (unsigned long long)from, (unsigned long long)to);
    const char *args[16];
    int n = 0;
    args[n++] = "s3api";
    args[n++] = "get-object";
    args[n++] = "--bucket";
    args[n++] = bucket;
    args[n++] = "--key";
    args[n++] = key;
    args[n++] = "--range";
    args[n++] = range;
    if (o->requester_pays) args[n++] = "--request-payer", args[n++] = "requester";
    args[n++] = piece;
    args[n] = NULL;
    int slot = ns_interrupt_track_file(piece);
    int rc = ns_aws_run_retry(a, r, args, o->attempts > 0 ? o->attempts : 4, err);
    struct stat st;
    if (rc == 0 && (stat(piece, &st) != 0 || (uint64_t)st.st_size != to - from + 1))
        rc = ns_error_set(err, "get-object %s: expected %llu bytes, got %lld", range,
                          (unsigned long long)(to - from + 1), (long long)(rc == 0 ? st.st_size : -1));
    if (rc == 0) rc = append_file(part_fd, piece, part, err);
    if (rc == 0 && fsync(part_fd) != 0) rc = ns_error_set(err, "%s: %s", part, strerror(errno));
    unlink(piece);
    ns_interrupt_untrack(slot);
    return rc;
}

int ns_s3_get_resumable(const ns_aws *a, const char *bucket, const char *key, const char *dest,
                        const ns_s3_get_opts *o, ns_aws_result *r, ns_error *err) {
    ns_s3_get_opts none = {0};
    if (o == NULL) o = &none;
    ns_aws_result local = {0};
    ns_aws_result *res = r != NULL ? r : &local;
    char part[4200], piece[4300];
    if (snprintf(part, sizeof part, "%s.part", dest) >= (int)sizeof part) return ns_error_set(err, "%s: path too long", dest);
    snprintf(piece, sizeof piece, "%s.piece", part);
    ns_s3_object obj;
    if (ns_s3_head(a, bucket, key, o->requester_pays, &obj, res, err) != 0) {
        if (r == NULL) ns_aws_result_free(&local);
        return -1;
    }
    struct stat st;
    uint64_t have = stat(part, &st) == 0 ? (uint64_t)st.st_size : 0;
    int fd = open(part, O_WRONLY | O_CREAT | O_CLOEXEC | (have > obj.bytes ? O_TRUNC : O_APPEND), 0644);
    if (fd < 0) {
        if (r == NULL) ns_aws_result_free(&local);
        return ns_error_set(err, "%s: %s", part, strerror(errno));
    }
    if (have > obj.bytes) have = 0; /* not this object: start again */
    if (have > 0 && lseek(fd, 0, SEEK_END) != (off_t)have) have = 0;
    uint64_t chunk = o->chunk > 0 ? o->chunk : DEFAULT_CHUNK;
    int rc = 0;
    if (o->progress) o->progress(o->progress_ctx, have, obj.bytes);
    while (rc == 0 && have < obj.bytes) {
        uint64_t to = obj.bytes - have > chunk ? have + chunk - 1 : obj.bytes - 1;
        rc = get_piece(a, bucket, key, have, to, piece, fd, part, o, res, err);
        if (rc == 0) {
            have = to + 1;
            if (o->progress) o->progress(o->progress_ctx, have, obj.bytes);
        }
    }
    if (close(fd) != 0 && rc == 0) rc = ns_error_set(err, "%s: %s", part, strerror(errno));
    if (rc == 0 && rename(part, dest) != 0) rc = ns_error_set(err, "%s: %s", dest, strerror(errno));
    if (rc != 0) ns_error_prefix(err, "s3://%s/%s", bucket, key);
    if (r == NULL) ns_aws_result_free(&local);
    return rc;
}

int ns_s3_list_uploads(const ns_aws *a, const char *bucket, const char *prefix, ns_s3_upload **out, size_t *n,
                       ns_aws_result *r, ns_error *err) {
    *out = NULL;
    *n = 0;
    if (ns_s3_check_bucket(bucket, "bucket", err) != 0) return -1;
    const char *args[] = {"s3api", "list-multipart-uploads", "--bucket", bucket, "--prefix", prefix, NULL};
    json_t *j = ns_aws_json(a, args, r, err);
    if (j == NULL) return ns_error_prefix(err, "s3://%s/%s", bucket, prefix);
    json_t *ups = json_object_get(j, "Uploads");
    size_t cnt = json_array_size(ups);
    ns_s3_upload *list = cnt > 0 ? calloc(cnt, sizeof *list) : NULL;
    if (cnt > 0 && list == NULL) {
        json_decref(j);
        return ns_error_set(err, "out of memory");
    }
    for (size_t i = 0; i < cnt; i++) {
        const char *k = json_string_value(json_object_get(json_array_get(ups, i), "Key"));
        const char *id = json_string_value(json_object_get(json_array_get(ups, i), "UploadId"));
        if (k == NULL || id == NULL || strlen(k) >= sizeof list->key || strlen(id) >= sizeof list->upload_id) continue;
        snprintf(list[*n].key, sizeof list->key, "%s", k);
        snprintf(list[*n].upload_id, sizeof list->upload_id, "%s", id);
        (*n)++;
    }
    json_decref(j);
    *out = list;
    return 0;
}

int ns_s3_abort_uploads(const ns_aws *a, const char *bucket, const char *prefix, int *aborted, ns_aws_result *r,
                        ns_error *err) {
    if (aborted) *aborted = 0;
    ns_s3_upload *ups;
    size_t n;
    ns_aws_result local = {0};
    ns_aws_result *res = r != NULL ? r : &local;
    int rc = ns_s3_list_uploads(a, bucket, prefix, &ups, &n, res, err);
    int first = 1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const char *args[] = {"s3api", "abort-multipart-upload", "--bucket", bucket, "--key", ups[i].key,
                              "--upload-id", ups[i].upload_id, NULL};
        ns_error e2;
        if (ns_aws_run_retry(a, res, args, 4, &e2) == 0 || res->kind == NS_AWS_E_NOT_FOUND) {
            if (aborted) (*aborted)++;
        } else if (first) { /* the others still go */
            ns_error_set(err, "s3://%s/%s: abort-multipart-upload: %s", bucket, ups[i].key, e2.msg);
            first = 0;
        }
    }
    if (!first) rc = -1;
    free(ups);
    if (r == NULL) ns_aws_result_free(&local);
    return rc;
}

int ns_s3_delete_prefix(const ns_aws *a, const char *bucket, const char *prefix, ns_aws_result *r, ns_error *err) {
    if (prefix == NULL || *prefix == 0) return ns_error_set(err, "s3://%s: refusing to delete with an empty prefix", bucket);
    char target[1200];
    if (uri(target, sizeof target, bucket, prefix, err) != 0) return -1;
    const char *args[] = {"s3", "rm", target, "--recursive", "--only-show-errors", NULL};
    ns_aws_result local = {0};
    int rc = ns_aws_run_retry(a, r != NULL ? r : &local, args, 4, err);
    ns_aws_result_free(&local);
    return rc;
}
