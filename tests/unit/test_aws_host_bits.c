/* Small parts of the EC2 host and the job packer: describe-enclaves' State
 * for an enclave id (host/nitro_cli.c), s3://bucket/prefix/ splitting
 * (app/job_pack.c), and the instance id from an IMDSv2 stand-in on
 * 127.0.0.1 (host/aws_job.c over util/http's PUT and extra headers): the
 * token is required, a wrong one gets 401, no server gives "unknown". */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "app/job_pack.h"
#include "host/aws_job.h"
#include "host/nitro_cli.h"
#include "testutil.h"

static void describe_cases(void) {
    ns_error e;
    char st[64];
    const char *out = "[\n  {\"EnclaveName\": \"a\", \"EnclaveID\": \"i-1-enc1\", \"State\": \"RUNNING\"},\n"
                      "  {\"EnclaveID\": \"i-1-enc2\", \"State\": \"TERMINATING\"}\n]\n";
    CHECK(ns_nitro_parse_state(st, sizeof st, out, strlen(out), "i-1-enc1", &e) == 0 && strcmp(st, "RUNNING") == 0);
    CHECK(ns_nitro_parse_state(st, sizeof st, out, strlen(out), "i-1-enc2", &e) == 0 && strcmp(st, "TERMINATING") == 0);
    CHECK(ns_nitro_parse_state(st, sizeof st, out, strlen(out), "i-1-enc3", &e) == 0 && strcmp(st, "absent") == 0);
    CHECK(ns_nitro_parse_state(st, sizeof st, "[]", 2, "i-1-enc1", &e) == 0 && strcmp(st, "absent") == 0);
    const char *logs = "some log line\n[{\"EnclaveID\": \"x\", \"State\": \"RUNNING\"}]";
    CHECK(ns_nitro_parse_state(st, sizeof st, logs, strlen(logs), "x", &e) == 0 && strcmp(st, "RUNNING") == 0);
    CHECK(ns_nitro_parse_state(st, sizeof st, "no json", 7, "x", &e) != 0);
    CHECK(ns_nitro_parse_state(st, sizeof st, "[{\"a\":", 6, "x", &e) != 0);
}

static void url_cases(void) {
    char b[64], p[256];
    ns_error e;
    CHECK(ns_s3_url_split(b, sizeof b, p, sizeof p, "s3://nitrosetup-ptau/ptau/", &e) == 0 &&
          strcmp(b, "nitrosetup-ptau") == 0 && strcmp(p, "ptau/") == 0);
    CHECK(ns_s3_url_split(b, sizeof b, p, sizeof p, "s3://mirror-b/a/b/", &e) == 0 && strcmp(p, "a/b/") == 0);
    CHECK(ns_s3_url_split(b, sizeof b, p, sizeof p, "s3://mirror-b", &e) == 0 && strcmp(p, "") == 0);
    CHECK(ns_s3_url_split(b, sizeof b, p, sizeof p, "s3://mirror-b/ptau", &e) != 0); /* no trailing / */
    CHECK(ns_s3_url_split(b, sizeof b, p, sizeof p, "https://mirror-b/ptau/", &e) != 0);
    CHECK(ns_s3_url_split(b, sizeof b, p, sizeof p, "s3://Bad_Bucket/ptau/", &e) != 0);
}

/* ---- an IMDSv2 stand-in: one connection at a time ---- */

typedef struct {
    int fd, port, requests, bad_token;
    pthread_t th;
} imds;

static void answer(int c, int code, const char *body) {
    char out[512];
    int n = snprintf(out, sizeof out, "HTTP/1.1 %d X\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s", code,
                     strlen(body), body);
    ssize_t w = write(c, out, (size_t)n);
    (void)w;
}

static void *imds_main(void *v) {
    imds *s = v;
    for (;;) {
        int c = accept(s->fd, NULL, NULL);
        if (c < 0) break;
        char req[4096];
        ssize_t n = read(c, req, sizeof req - 1);
        req[n > 0 ? n : 0] = 0;
        s->requests++;
        if (strncmp(req, "PUT /latest/api/token ", 22) == 0 && strstr(req, "X-aws-ec2-metadata-token-ttl-seconds: "))
            answer(c, 200, "TOKEN123");
        else if (strncmp(req, "GET /latest/meta-data/instance-id ", 34) == 0 &&
                 strstr(req, s->bad_token ? "no such header" : "X-aws-ec2-metadata-token: TOKEN123\r\n"))
            answer(c, 200, "i-0123456789abcdef0");
        else
            answer(c, 401, "");
        close(c);
    }
    return NULL;
}

static int imds_start(imds *s) {
    memset(s, 0, sizeof *s);
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t l = sizeof a;
    if (bind(s->fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(s->fd, 8) != 0 ||
        getsockname(s->fd, (struct sockaddr *)&a, &l) != 0)
        return -1;
    s->port = ntohs(a.sin_port);
    return pthread_create(&s->th, NULL, imds_main, s);
}

static void imds_cases(void) {
    imds s;
    if (imds_start(&s) != 0) {
        CHECK(!"cannot start the IMDS stand-in");
        return;
    }
    char base[64], id[64];
    snprintf(base, sizeof base, "http://127.0.0.1:%d", s.port);
    unsetenv("NITROSETUP_INSTANCE_ID");
    unsetenv("AWS_EC2_METADATA_DISABLED");
    setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", base, 1);
    ns_aws_job_instance_id(id, sizeof id);
    CHECK_MSG(strcmp(id, "i-0123456789abcdef0") == 0, "instance id '%s'", id);
    CHECK(s.requests == 2);
    s.bad_token = 1; /* the id needs the token: without it, 401 */
    ns_aws_job_instance_id(id, sizeof id);
    CHECK(strcmp(id, "unknown") == 0);
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    int before = s.requests;
    ns_aws_job_instance_id(id, sizeof id);
    CHECK(strcmp(id, "unknown") == 0 && s.requests == before);
    setenv("NITROSETUP_INSTANCE_ID", "i-from-env", 1);
    ns_aws_job_instance_id(id, sizeof id);
    CHECK(strcmp(id, "i-from-env") == 0);
    unsetenv("NITROSETUP_INSTANCE_ID");
    unsetenv("AWS_EC2_METADATA_DISABLED");
    shutdown(s.fd, SHUT_RDWR);
    close(s.fd);
    pthread_join(s.th, NULL);
    ns_aws_job_instance_id(id, sizeof id); /* nobody listens any more */
    CHECK(strcmp(id, "unknown") == 0);
}

int main(void) {
    describe_cases();
    url_cases();
    imds_cases();
    return ns_test_report("aws_host_bits");
}
