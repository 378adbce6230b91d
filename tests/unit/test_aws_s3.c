/* Tests for src/aws/s3.c against a stand-in `aws` script that keeps one
 * object in a file: the argv of each operation, the resumable download in
 * pieces (a cut in the middle, the resume from the .part, a .part that is
 * not this object's), head, requester pays, multipart listing and abort, and
 * the refusals.  The real CLI against the AWS twin: tests/aws/aws_s3.test.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aws/s3.h"
#include "testutil.h"

static char dir[256];

static void path_of(char *out, size_t cap, const char *name) { snprintf(out, cap, "%s/%s", dir, name); }

static void write_text(const char *name, const char *text) {
    char p[512];
    path_of(p, sizeof p, name);
    FILE *f = fopen(p, "w");
    fputs(text, f);
    fclose(f);
}

static void write_fake(void) {
    char p[512];
    path_of(p, sizeof p, "aws");
    FILE *f = fopen(p, "w");
    fprintf(f,
            "#!/bin/sh\n"
            "D='%s'\n"
            "if [ \"$1\" = --version ]; then echo 'aws-cli/2.9.19 Python/3.11.2 Linux/6'; exit 0; fi\n"
            "{ printf '%%s\\n' \"$@\"; echo ---; } >> \"$D/log\"\n"
            "prev=; out=; range=\n"
            "for a in \"$@\"; do\n"
            "  [ \"$prev\" = --range ] && range=$a\n"
            "  [ \"$a\" = --output ] && [ -z \"$out\" ] && out=$prev\n"
            "  prev=$a\n"
            "done\n"
            "case \"$1 $2\" in\n"
            "'s3 cp') cp \"$3\" \"$D/put.last\"\n"
            "  [ -f \"$D/fail-put\" ] && { echo 'upload failed: x An error occurred (AccessDenied) when calling the "
            "PutObject operation: Access Denied' >&2; exit 1; }\n"
            "  exit 0 ;;\n"
            "'s3api head-object')\n"
            "  [ -f \"$D/deny\" ] && { echo 'An error occurred (403) when calling the HeadObject operation: Forbidden' >&2; "
            "exit 254; }\n"
            "  echo \"{\\\"ContentLength\\\": $(stat -c %%s \"$D/object\"), \\\"ETag\\\": \\\"\\\\\\\"e1\\\\\\\"\\\", "
            "\\\"Metadata\\\": {\\\"blake2b\\\": \\\"ab12\\\"}}\" ;;\n"
            "'s3api get-object')\n"
            "  n=$(cat \"$D/gets\" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > \"$D/gets\"\n"
            "  if [ -f \"$D/cut\" ] && [ \"$(cat \"$D/cut\")\" = $n ]; then head -c 10 /dev/zero > \"$out\"; "
            "echo 'Connection reset by peer' >&2; exit 255; fi\n"
            "  a=${range#bytes=}; a=${a%%-*}; b=${range##*-}\n"
            "  tail -c +$((a + 1)) \"$D/object\" | head -c $((b - a + 1)) > \"$out\"\n"
            "  echo '{\"ContentLength\": 1}' ;;\n"
            "'s3api list-multipart-uploads') cat \"$D/uploads.json\" ;;\n"
            "'s3api abort-multipart-upload') echo \"$6 $8\" >> \"$D/aborted\" ;;\n"
            "'s3 rm') ;;\n"
            "*) echo \"unexpected $1 $2\" >&2; exit 252 ;;\n"
            "esac\n",
            dir);
    fclose(f);
    chmod(p, 0755);
    setenv("NITROSETUP_AWS", p, 1);
}

/* The log of calls since the last reset (malloc'd), and a reset. */
static char *take_log(void) {
    char p[512];
    path_of(p, sizeof p, "log");
    char *s = (char *)ns_test_read_file(p, NULL);
    unlink(p);
    return s != NULL ? s : strdup("");
}

static int count(const char *hay, const char *needle) {
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle)) n++;
    return n;
}

static void puts_and_heads(const ns_aws *a) {
    ns_error e;
    ns_aws_result r = {0};
    char src[512];
    path_of(src, sizeof src, "in.bin");
    write_text("in.bin", "hello");
    ns_s3_put_opts o = {.storage_class = "ONEZONE_IA", .metadata = "blake2b=ab12", .requester_pays = 1};
    CHECK(ns_s3_put_file(a, "my-bucket", "ptau/x.ptau", src, &o, &r, &e) == 0);
    char *log = take_log();
    char want[2048];
    snprintf(want, sizeof want,
             "s3\ncp\n%s\ns3://my-bucket/ptau/x.ptau\n--no-progress\n--only-show-errors\n--storage-class\nONEZONE_IA\n"
             "--metadata\nblake2b=ab12\n--request-payer\nrequester\n--output\njson\n",
             src);
    CHECK_MSG(strncmp(log, want, strlen(want)) == 0, "put argv:\n%s", log);
    free(log);

    /* a buffer goes through a temporary file that is gone afterwards */
    char tmpd[512], last[512];
    path_of(tmpd, sizeof tmpd, "tmp");
    mkdir(tmpd, 0700);
    setenv("TMPDIR", tmpd, 1);
    ns_s3_put_opts j = {.content_type = "application/json"};
    CHECK(ns_s3_put_buffer(a, "my-bucket", "jobs/j/out/status.json", "{\"seq\":1}", 9, &j, &r, &e) == 0);
    path_of(last, sizeof last, "put.last");
    size_t n;
    char *got = (char *)ns_test_read_file(last, &n);
    CHECK(got != NULL && n == 9 && memcmp(got, "{\"seq\":1}", 9) == 0);
    free(got);
    CHECK(rmdir(tmpd) == 0); /* empty: the temporary file was removed */
    unsetenv("TMPDIR");
    log = take_log();
    CHECK(strstr(log, "\ns3://my-bucket/jobs/j/out/status.json\n--no-progress\n--only-show-errors\n--content-type\n"
                      "application/json\n--output") != NULL);
    free(log);

    write_text("fail-put", "");
    CHECK(ns_s3_put_file(a, "my-bucket", "k", src, NULL, &r, &e) != 0);
    CHECK_MSG(strstr(e.msg, "s3://my-bucket/k: ") == e.msg && strstr(e.msg, "AccessDenied") != NULL, "%s", e.msg);
    CHECK(r.kind == NS_AWS_E_SERVICE);
    path_of(last, sizeof last, "fail-put");
    unlink(last);
    free(take_log());

    write_text("object", "0123456789");
    ns_s3_object ob;
    CHECK(ns_s3_head(a, "my-bucket", "k", 1, &ob, &r, &e) == 0);
    CHECK(ob.bytes == 10 && strcmp(ob.blake2b, "ab12") == 0 && strcmp(ob.etag, "\"e1\"") == 0);
    log = take_log();
    CHECK(strncmp(log, "s3api\nhead-object\n--bucket\nmy-bucket\n--key\nk\n--request-payer\nrequester\n--output\n", 80) == 0);
    free(log);
    write_text("deny", "");
    CHECK(ns_s3_head(a, "my-bucket", "k", 0, &ob, &r, &e) != 0);
    CHECK(r.kind == NS_AWS_E_SERVICE && strcmp(r.code, "403") == 0);
    CHECK_MSG(strstr(e.msg, "s3://my-bucket/k") != NULL, "%s", e.msg);
    log = take_log();
    CHECK(strstr(log, "--request-payer") == NULL);
    free(log);
    path_of(last, sizeof last, "deny");
    unlink(last);

    CHECK(ns_s3_put_file(a, "Bad_Bucket", "k", src, NULL, &r, &e) != 0);
    CHECK(strstr(e.msg, "not an S3 bucket name") != NULL);
    CHECK(ns_s3_check_key("", "x", &e) != 0 && ns_s3_check_key("a\nb", "x", &e) != 0);
    CHECK(ns_s3_check_key("in/job.json", "x", &e) == 0);
    CHECK(ns_s3_check_bucket("ab", "x", &e) != 0 && ns_s3_check_bucket("-abc", "x", &e) != 0);
    CHECK(ns_s3_check_bucket("nitrosetup-jobs-123456789012-us-east-1", "x", &e) == 0);
    free(take_log());
    ns_aws_result_free(&r);
}

typedef struct {
    int calls;
    uint64_t last, total;
} prog;

static void on_prog(void *v, uint64_t done, uint64_t total) {
    prog *p = v;
    p->calls++;
    p->last = done;
    p->total = total;
}

static void downloads(const ns_aws *a) {
    ns_error e;
    ns_aws_result r = {0};
    /* 4500 bytes of varied content */
    char obj[4501];
    for (int i = 0; i < 4500; i++) obj[i] = (char)('a' + (i * 7 + i / 13) % 26);
    obj[4500] = 0;
    write_text("object", obj);
    char dest[512], part[512], gets[512], cut[512];
    path_of(dest, sizeof dest, "dl.bin");
    path_of(part, sizeof part, "dl.bin.part");
    path_of(gets, sizeof gets, "gets");
    path_of(cut, sizeof cut, "cut");

    /* the third piece is cut: the first two stay in .part, no dest */
    write_text("cut", "3");
    prog p = {0};
    ns_s3_get_opts o = {.requester_pays = 1, .chunk = 1000, .attempts = 1, .progress = on_prog, .progress_ctx = &p};
    CHECK(ns_s3_get_resumable(a, "mirror-b", "ptau/p.ptau", dest, &o, &r, &e) != 0);
    CHECK(r.kind == NS_AWS_E_NETWORK);
    CHECK_MSG(strstr(e.msg, "s3://mirror-b/ptau/p.ptau") == e.msg, "%s", e.msg);
    struct stat st;
    CHECK(stat(dest, &st) != 0);
    CHECK(stat(part, &st) == 0 && st.st_size == 2000);
    CHECK(p.calls == 3 && p.last == 2000 && p.total == 4500);
    char *log = take_log();
    CHECK(count(log, "--range\nbytes=0-999\n") == 1 && count(log, "--range\nbytes=1000-1999\n") == 1);
    CHECK(count(log, "--request-payer\nrequester\n") == 4); /* head + 3 gets */
    free(log);

    /* the resume asks for the rest only */
    unlink(cut);
    p = (prog){0};
    CHECK(ns_s3_get_resumable(a, "mirror-b", "ptau/p.ptau", dest, &o, &r, &e) == 0);
    log = take_log();
    CHECK_MSG(count(log, "get-object") == 3 && strstr(log, "bytes=2000-2999") && strstr(log, "bytes=4000-4499") &&
                  !strstr(log, "bytes=0-"),
              "%s", log);
    free(log);
    size_t n;
    char *got = (char *)ns_test_read_file(dest, &n);
    CHECK(got != NULL && n == 4500 && memcmp(got, obj, 4500) == 0);
    free(got);
    CHECK(stat(part, &st) != 0);
    CHECK(p.last == 4500 && p.calls == 4);

    /* a .part longer than the object is not this object's: started again */
    write_text("dl2.bin.part", obj); /* 4500 bytes */
    write_text("object", "short object");
    path_of(dest, sizeof dest, "dl2.bin");
    ns_s3_get_opts o2 = {.chunk = 5};
    CHECK(ns_s3_get_resumable(a, "mirror-b", "k", dest, &o2, &r, &e) == 0);
    got = (char *)ns_test_read_file(dest, &n);
    CHECK(got != NULL && n == 12 && memcmp(got, "short object", 12) == 0);
    free(got);
    log = take_log();
    CHECK(count(log, "get-object") == 3 && strstr(log, "--request-payer") == NULL);
    free(log);

    /* an empty object gives an empty file without a get */
    write_text("object", "");
    path_of(dest, sizeof dest, "dl3.bin");
    CHECK(ns_s3_get_resumable(a, "mirror-b", "k", dest, NULL, &r, &e) == 0);
    CHECK(stat(dest, &st) == 0 && st.st_size == 0);
    log = take_log();
    CHECK(count(log, "get-object") == 0);
    free(log);
    ns_aws_result_free(&r);
}

static void uploads(const ns_aws *a) {
    ns_error e;
    ns_aws_result r = {0};
    write_text("uploads.json", "{\"Uploads\": [{\"UploadId\": \"u-1\", \"Key\": \"jobs/j/out/bundle/0001.zkey\"},"
                               " {\"UploadId\": \"u-2\", \"Key\": \"jobs/j/out/bundle/ptau\"}]}");
    ns_s3_upload *ups;
    size_t n;
    CHECK(ns_s3_list_uploads(a, "jb-bucket", "jobs/j/out/", &ups, &n, &r, &e) == 0);
    CHECK(n == 2 && strcmp(ups[1].upload_id, "u-2") == 0 && strcmp(ups[0].key, "jobs/j/out/bundle/0001.zkey") == 0);
    free(ups);
    char *log = take_log();
    CHECK(strncmp(log, "s3api\nlist-multipart-uploads\n--bucket\njb-bucket\n--prefix\njobs/j/out/\n", 68) == 0);
    free(log);
    int ab = -1;
    CHECK(ns_s3_abort_uploads(a, "jb-bucket", "jobs/j/out/", &ab, &r, &e) == 0);
    CHECK(ab == 2);
    char p[512];
    path_of(p, sizeof p, "aborted");
    char *aborted = (char *)ns_test_read_file(p, NULL);
    CHECK(aborted != NULL &&
          strcmp(aborted, "jobs/j/out/bundle/0001.zkey u-1\njobs/j/out/bundle/ptau u-2\n") == 0);
    free(aborted);
    write_text("uploads.json", "{}");
    CHECK(ns_s3_abort_uploads(a, "jb-bucket", "jobs/j/out/", &ab, &r, &e) == 0 && ab == 0);
    free(take_log());

    CHECK(ns_s3_delete_prefix(a, "jb-bucket", "", &r, &e) != 0);
    CHECK(ns_s3_delete_prefix(a, "jb-bucket", "jobs/j/", &r, &e) == 0);
    log = take_log();
    CHECK(strncmp(log, "s3\nrm\ns3://jb-bucket/jobs/j/\n--recursive\n--only-show-errors\n", 58) == 0);
    free(log);
    ns_aws_result_free(&r);
}

int main(void) {
    snprintf(dir, sizeof dir, "%s/ns-s3-test-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (mkdtemp(dir) == NULL) return 1;
    write_fake();
    ns_aws a;
    ns_error e;
    CHECK(ns_aws_open(&a, "us-east-1", NULL, &e) == 0);
    puts_and_heads(&a);
    downloads(&a);
    uploads(&a);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    return ns_test_report("aws_s3");
}
