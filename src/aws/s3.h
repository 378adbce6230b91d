/* S3 through the AWS CLI v2 (aws/cli.h): the object operations of an AWS
 * job and of the ptau mirror (docs/aws-job.md).
 *
 *   put a file      aws s3 cp FILE s3://B/K --no-progress --only-show-errors
 *                       [--storage-class C] [--metadata k=v] [--content-type T]
 *                       [--request-payer requester]
 *                   (the CLI uses a multipart upload above 8 MiB)
 *   put a buffer    the same from a temporary file
 *   get resumably   aws s3api head-object, then aws s3api get-object --range
 *                   bytes=N-M CHUNK in pieces of at most 256 MiB, each appended
 *                   to DEST.part; DEST appears only when complete
 *   head            aws s3api head-object (size, "blake2b" metadata)
 *   uploads         aws s3api list-multipart-uploads --prefix P, and
 *                   abort-multipart-upload for each
 *   delete prefix   aws s3 rm s3://B/P --recursive
 *
 * Nothing here reads a large file into memory.  Every function returns 0 or
 * -1 with err set to one line; when r is given, it holds the last call's
 * classified failure (r->kind, r->code), so a caller can tell a 403 from a
 * lost network. */
#ifndef NS_AWS_S3_H
#define NS_AWS_S3_H

#include <stddef.h>
#include <stdint.h>

#include "aws/cli.h"
#include "util/error.h"

/* Options of an upload; NULL or zero fields are left out. */
typedef struct {
    const char *storage_class; /* "ONEZONE_IA", ... */
    const char *metadata;      /* "key=value" (one pair) */
    const char *content_type;
    int requester_pays;
    int attempts; /* calls while the failure is throttling or the network (0: 3) */
} ns_s3_put_opts;

int ns_s3_put_file(const ns_aws *a, const char *bucket, const char *key, const char *path, const ns_s3_put_opts *o,
                   ns_aws_result *r, ns_error *err);
int ns_s3_put_buffer(const ns_aws *a, const char *bucket, const char *key, const void *data, size_t n,
                     const ns_s3_put_opts *o, ns_aws_result *r, ns_error *err);

typedef struct {
    uint64_t bytes;
    char etag[96];
    char blake2b[130]; /* the object's "blake2b" metadata, or "" */
} ns_s3_object;

/* 0 and *o filled; -1 otherwise (r->kind NS_AWS_E_NOT_FOUND when there is
 * no such object; without s3:ListBucket S3 says 403 instead). */
int ns_s3_head(const ns_aws *a, const char *bucket, const char *key, int requester_pays, ns_s3_object *o,
               ns_aws_result *r, ns_error *err);

typedef struct {
    int requester_pays;
    uint64_t chunk;    /* bytes per get-object call (0: 256 MiB) */
    int attempts;      /* calls per piece while throttled or the network fails (0: 4) */
    /* called after each piece with the bytes in DEST.part and the object's size */
    void (*progress)(void *ctx, uint64_t done, uint64_t total);
    void *progress_ctx;
} ns_s3_get_opts;

/* Downloads s3://bucket/key to dest through dest.part, resuming from what
 * dest.part holds (a .part larger than the object is started again). */
int ns_s3_get_resumable(const ns_aws *a, const char *bucket, const char *key, const char *dest,
                        const ns_s3_get_opts *o, ns_aws_result *r, ns_error *err);

typedef struct {
    char key[1024];
    char upload_id[512];
} ns_s3_upload;

/* The open multipart uploads whose key starts with prefix: *out (malloc,
 * free it) and *n. */
int ns_s3_list_uploads(const ns_aws *a, const char *bucket, const char *prefix, ns_s3_upload **out, size_t *n,
                       ns_aws_result *r, ns_error *err);

/* Aborts every open multipart upload under prefix; *aborted (may be NULL)
 * counts them.  Goes on after a failed abort and reports the first. */
int ns_s3_abort_uploads(const ns_aws *a, const char *bucket, const char *prefix, int *aborted, ns_aws_result *r,
                        ns_error *err);

/* Deletes every object whose key starts with prefix (which must not be empty). */
int ns_s3_delete_prefix(const ns_aws *a, const char *bucket, const char *prefix, ns_aws_result *r, ns_error *err);

/* Checks a bucket name (S3's rules: 3-63 of a-z 0-9 . -, starting and ending
 * with a letter or digit) and an object key (1-1024 bytes, no control
 * characters); what names the value in the message. */
int ns_s3_check_bucket(const char *bucket, const char *what, ns_error *err);
int ns_s3_check_key(const char *key, const char *what, ns_error *err);

#endif
