/* ns_s3_tool: src/aws/s3.h from the command line, for tests/aws/aws_s3.test.sh
 * (tests only, never installed).  The AWS CLI is $NITROSETUP_AWS.
 *
 *   ns_s3_tool get BUCKET KEY DEST [--requester-pays] [--chunk N]
 *   ns_s3_tool head BUCKET KEY [--requester-pays]      size and blake2b metadata
 *   ns_s3_tool put BUCKET KEY FILE [--storage-class C] [--metadata k=v]
 *   ns_s3_tool putbuf BUCKET KEY TEXT
 *   ns_s3_tool uploads BUCKET PREFIX                   one "key upload-id" line each
 *   ns_s3_tool abort BUCKET PREFIX                     prints how many were aborted
 *   ns_s3_tool rm BUCKET PREFIX
 *
 * Exit 0 on success; 1 with "ns_s3_tool: <error> [kind code]" otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/s3.h"

static void progress(void *ctx, uint64_t done, uint64_t total) {
    (void)ctx;
    printf("progress %llu/%llu\n", (unsigned long long)done, (unsigned long long)total);
}

static const char *opt(int argc, char **argv, const char *name) {
    for (int i = 0; i + 1 < argc; i++)
        if (strcmp(argv[i], name) == 0) return argv[i + 1];
    return NULL;
}

static int flag(int argc, char **argv, const char *name) {
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], name) == 0) return 1;
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: ns_s3_tool get|head|put|putbuf|uploads|abort|rm BUCKET KEY|PREFIX ...\n");
        return 2;
    }
    const char *cmd = argv[1], *b = argv[2], *k = argv[3];
    ns_aws a;
    ns_error e;
    ns_aws_result r = {0};
    const char *region = getenv("AWS_REGION");
    if (ns_aws_open(&a, region ? region : "us-east-1", NULL, &e) != 0) {
        fprintf(stderr, "ns_s3_tool: %s\n", e.msg);
        return 1;
    }
    int rp = flag(argc, argv, "--requester-pays"), rc = -1;
    if (strcmp(cmd, "get") == 0 && argc >= 5) {
        const char *chunk = opt(argc, argv, "--chunk");
        ns_s3_get_opts o = {.requester_pays = rp, .chunk = chunk ? strtoull(chunk, NULL, 10) : 0, .progress = progress};
        rc = ns_s3_get_resumable(&a, b, k, argv[4], &o, &r, &e);
    } else if (strcmp(cmd, "head") == 0) {
        ns_s3_object ob;
        rc = ns_s3_head(&a, b, k, rp, &ob, &r, &e);
        if (rc == 0) printf("%llu %s\n", (unsigned long long)ob.bytes, ob.blake2b[0] ? ob.blake2b : "-");
    } else if (strcmp(cmd, "put") == 0 && argc >= 5) {
        ns_s3_put_opts o = {.storage_class = opt(argc, argv, "--storage-class"), .metadata = opt(argc, argv, "--metadata")};
        rc = ns_s3_put_file(&a, b, k, argv[4], &o, &r, &e);
    } else if (strcmp(cmd, "putbuf") == 0 && argc >= 5) {
        rc = ns_s3_put_buffer(&a, b, k, argv[4], strlen(argv[4]), NULL, &r, &e);
    } else if (strcmp(cmd, "uploads") == 0) {
        ns_s3_upload *ups;
        size_t n;
        rc = ns_s3_list_uploads(&a, b, k, &ups, &n, &r, &e);
        for (size_t i = 0; rc == 0 && i < n; i++) printf("%s %s\n", ups[i].key, ups[i].upload_id);
        if (rc == 0) free(ups);
    } else if (strcmp(cmd, "abort") == 0) {
        int n = 0;
        rc = ns_s3_abort_uploads(&a, b, k, &n, &r, &e);
        if (rc == 0) printf("aborted %d\n", n);
    } else if (strcmp(cmd, "rm") == 0) {
        rc = ns_s3_delete_prefix(&a, b, k, &r, &e);
    } else {
        fprintf(stderr, "ns_s3_tool: bad command\n");
        return 2;
    }
    if (rc != 0) fprintf(stderr, "ns_s3_tool: %s [%s %s]\n", e.msg, ns_aws_kind_name(r.kind), r.code);
    ns_aws_result_free(&r);
    return rc == 0 ? 0 : 1;
}
