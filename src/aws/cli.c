#include "aws/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/interrupt.h"
#include "util/proc.h"

#define MAX_ARGS 160
#define MAX_ERR 65536

const char *ns_aws_kind_name(ns_aws_kind k) {
    static const char *const names[] = {"ok",       "service", "not-found", "credentials", "throttled",
                                        "network", "usage",   "config",    "interrupted", "other"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "other";
}

static int has(const char *s, const char *needle) { return s != NULL && strstr(s, needle) != NULL; }

static int code_in(const char *code, const char *const *list) {
    for (; *list != NULL; list++)
        if (strcmp(code, *list) == 0) return 1;
    return 0;
}

/* "An error occurred (Code) when calling the Op operation: message" */
static void parse_service_error(ns_aws_result *r, const char *text) {
    const char *p = strstr(text, "An error occurred (");
    if (p == NULL) return;
    p += strlen("An error occurred (");
    const char *e = strchr(p, ')');
    if (e == NULL) return;
    size_t n = (size_t)(e - p) < sizeof r->code - 1 ? (size_t)(e - p) : sizeof r->code - 1;
    memcpy(r->code, p, n);
    r->code[n] = 0;
    const char *op = strstr(e, "when calling the ");
    if (op != NULL) {
        op += strlen("when calling the ");
        const char *oe = strchr(op, ' ');
        if (oe != NULL) {
            n = (size_t)(oe - op) < sizeof r->op - 1 ? (size_t)(oe - op) : sizeof r->op - 1;
            memcpy(r->op, op, n);
            r->op[n] = 0;
        }
    }
    const char *m = strstr(e, "operation");
    if (m != NULL) {
        m = strchr(m, ':');
        if (m != NULL) {
            m++;
            while (*m == ' ') m++;
            n = strcspn(m, "\n");
            if (n >= sizeof r->message) n = sizeof r->message - 1;
            memcpy(r->message, m, n);
            r->message[n] = 0;
        }
    }
}

/* The last non-empty line of stderr. */
static void last_line(char *out, size_t cap, const char *text) {
    out[0] = 0;
    const char *end = text + strlen(text);
    while (end > text && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' ')) end--;
    const char *start = end;
    while (start > text && start[-1] != '\n') start--;
    size_t n = (size_t)(end - start) < cap - 1 ? (size_t)(end - start) : cap - 1;
    memcpy(out, start, n);
    out[n] = 0;
}

void ns_aws_classify(ns_aws_result *r, int exit_code, const char *t) {
    static const char *const expired[] = {"ExpiredToken",          "ExpiredTokenException", "RequestExpired",
                                          "InvalidClientTokenId",  "UnrecognizedClientException",
                                          "InvalidAccessKeyId",    "SignatureDoesNotMatch", "AuthFailure",
                                          "InvalidToken",          NULL};
    static const char *const throttled[] = {"Throttling",       "ThrottlingException",      "ThrottledException",
                                            "RequestLimitExceeded", "SlowDown", "TooManyRequestsException",
                                            "RequestThrottled", "RequestThrottledException", "EC2ThrottledException",
                                            "503",              NULL};
    static const char *const notfound[] = {"NoSuchKey", "404", "NotFound", "NoSuchUpload", "ResourceNotFoundException",
                                           "NoSuchEntity", NULL};
    if (t == NULL) t = "";
    r->exit_code = exit_code;
    r->code[0] = r->op[0] = r->message[0] = 0;
    if (exit_code == 0) {
        r->kind = NS_AWS_OK;
        return;
    }
    parse_service_error(r, t);
    if (r->message[0] == 0) last_line(r->message, sizeof r->message, t);
    if (r->message[0] == 0) snprintf(r->message, sizeof r->message, "exit code %d", exit_code);
    size_t cl = strlen(r->code);
    if (exit_code == 130) r->kind = NS_AWS_E_INTERRUPTED;
    else if (exit_code == 252) r->kind = NS_AWS_E_USAGE;
    else if (code_in(r->code, expired) || has(t, "Token has expired") || has(t, "Unable to locate credentials") ||
             has(t, "The security token included in the request is expired") ||
             has(t, "Error when retrieving token from sso"))
        r->kind = NS_AWS_E_CREDENTIALS;
    else if (exit_code == 253) r->kind = NS_AWS_E_CONFIG;
    else if (code_in(r->code, throttled) || has(t, "Rate exceeded") || has(t, "reached max retries"))
        r->kind = NS_AWS_E_THROTTLED;
    else if (code_in(r->code, notfound) || (cl > 9 && strcmp(r->code + cl - 9, ".NotFound") == 0) ||
             (strcmp(r->code, "ValidationError") == 0 && has(r->message, "does not exist")))
        r->kind = NS_AWS_E_NOT_FOUND;
    else if (r->code[0] == 0 &&
             (has(t, "Could not connect to the endpoint URL") || has(t, "Connect timeout") || has(t, "Read timeout") ||
              has(t, "Connection was closed") || has(t, "Connection reset") || has(t, "EndpointConnectionError")))
        r->kind = NS_AWS_E_NETWORK;
    else if (r->code[0] != 0) r->kind = NS_AWS_E_SERVICE;
    else r->kind = NS_AWS_E_OTHER;
}

void ns_aws_result_free(ns_aws_result *r) {
    if (r == NULL) return;
    free(r->out);
    r->out = NULL;
    r->out_len = 0;
}

/* Reads the whole stdout pipe (bounded); 0, or -1 when over the limit. */
static int read_all(int fd, char **out, size_t *len) {
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    int over = 0;
    char drop[8192];
    for (;;) {
        if (buf == NULL) return -1;
        if (!over && n + 1 >= cap) {
            if (cap >= NS_AWS_MAX_OUT) over = 1;
            else {
                char *nb = realloc(buf, cap * 2);
                if (nb == NULL) {
                    free(buf);
                    return -1;
                }
                buf = nb;
                cap *= 2;
            }
        }
        ssize_t r = over ? read(fd, drop, sizeof drop) : read(fd, buf + n, cap - 1 - n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        if (!over) n += (size_t)r;
    }
    buf[n] = 0;
    *out = buf;
    *len = n;
    return over ? -1 : 0;
}

static char *read_file_bounded(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    char *b = malloc(MAX_ERR + 1);
    size_t n = 0;
    if (b != NULL) {
        off_t size = lseek(fd, 0, SEEK_END);
        off_t from = size > MAX_ERR ? size - MAX_ERR : 0; /* the end says why */
        lseek(fd, from, SEEK_SET);
        ssize_t r;
        while (n < MAX_ERR && (r = read(fd, b + n, MAX_ERR - n)) > 0) n += (size_t)r;
        b[n] = 0;
    }
    close(fd);
    return b;
}

/* Runs program + args with stdout captured and stderr into a temporary
 * file; fills r->out and returns stderr's text (malloc) or NULL. */
static char *spawn(const char *const *argv, ns_aws_result *r, int *code, int *overflow, ns_error *err) {
    char errpath[4096];
    const char *tmp = getenv("TMPDIR");
    snprintf(errpath, sizeof errpath, "%s/nitrosetup-aws-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int efd = mkstemp(errpath);
    if (efd < 0) {
        ns_error_set(err, "%s: cannot create a temporary file: %s", errpath, strerror(errno));
        return NULL;
    }
    close(efd);
    int slot = ns_interrupt_track_file(errpath);
    ns_proc_opts o = {.program = argv[0], .capture_stdout = 1, .err_path = errpath, .own_group = 1, .stdin_null = 1};
    ns_proc p;
    char *text = NULL;
    if (ns_proc_start(&p, (char *const *)argv, &o, err) == 0) {
        *overflow = read_all(p.out_fd, &r->out, &r->out_len) != 0;
        *code = ns_proc_wait(&p);
        text = read_file_bounded(errpath);
        if (text == NULL) text = strdup("");
    }
    unlink(errpath);
    ns_interrupt_untrack(slot);
    return text;
}

int ns_aws_open(ns_aws *a, const char *region, const char *profile, ns_error *err) {
    memset(a, 0, sizeof *a);
    const char *prog = getenv("NITROSETUP_AWS");
    if (prog == NULL || *prog == 0) prog = "aws";
    if (strlen(prog) >= sizeof a->program) return ns_error_set(err, "NITROSETUP_AWS: path too long");
    snprintf(a->program, sizeof a->program, "%s", prog);
    if (region == NULL || *region == 0) return ns_error_set(err, "no AWS region (give --region or set AWS_REGION)");
    if (strlen(region) >= sizeof a->region || strspn(region, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(region))
        return ns_error_set(err, "region '%s' is not a region name", region);
    snprintf(a->region, sizeof a->region, "%s", region);
    if (profile != NULL && *profile != 0) {
        if (strlen(profile) >= sizeof a->profile) return ns_error_set(err, "profile name too long");
        snprintf(a->profile, sizeof a->profile, "%s", profile);
    }
    /* the CLI's own retries: standard mode, a few attempts */
    setenv("AWS_RETRY_MODE", getenv("AWS_RETRY_MODE") ? getenv("AWS_RETRY_MODE") : "standard", 1);
    if (getenv("AWS_MAX_ATTEMPTS") == NULL) setenv("AWS_MAX_ATTEMPTS", "5", 1);
    setenv("AWS_PAGER", "", 1);
    const char *argv[] = {a->program, "--version", NULL};
    ns_aws_result r = {0};
    int code = -1, over = 0;
    char *text = spawn(argv, &r, &code, &over, err);
    if (text == NULL) return -1;
    const char *v = r.out != NULL && r.out_len > 0 ? r.out : text; /* v1 printed it on stderr */
    size_t n = strcspn(v, "\n");
    if (n >= sizeof a->version) n = sizeof a->version - 1;
    memcpy(a->version, v, n);
    a->version[n] = 0;
    free(text);
    ns_aws_result_free(&r);
    if (code == 127) return ns_error_set(err, "cannot run the AWS CLI '%s' (install AWS CLI v2, or set NITROSETUP_AWS)", prog);
    if (code != 0 || strncmp(a->version, "aws-cli/2.", 10) != 0)
        return ns_error_set(err, "%s is not the AWS CLI v2 (it says '%s'); install v2 or point NITROSETUP_AWS at it", prog,
                            a->version[0] ? a->version : "nothing");
    return 0;
}

static int build_argv(const ns_aws *a, const char *const *args, const char **argv, ns_error *err) {
    int n = 0, k = 0;
    argv[n++] = a->program;
    for (; args[k] != NULL; k++) {
        if (n >= MAX_ARGS - 16) return ns_error_set(err, "aws: too many arguments");
        argv[n++] = args[k];
    }
    if (k < 1) return ns_error_set(err, "aws: no command");
    static const char *const fixed[] = {"--output", "json", "--no-cli-pager", "--cli-connect-timeout", "10",
                                        "--cli-read-timeout", "60", NULL};
    for (int i = 0; fixed[i] != NULL; i++) argv[n++] = fixed[i];
    argv[n++] = "--region";
    argv[n++] = a->region;
    if (a->profile[0]) {
        argv[n++] = "--profile";
        argv[n++] = a->profile;
    }
    argv[n] = NULL;
    return 0;
}

int ns_aws_run(const ns_aws *a, ns_aws_result *r, const char *const *args, ns_error *err) {
    ns_aws_result_free(r);
    memset(r, 0, sizeof *r);
    const char *argv[MAX_ARGS];
    if (build_argv(a, args, argv, err) != 0) {
        r->kind = NS_AWS_E_USAGE;
        return -1;
    }
    int code = -1, over = 0;
    char *text = spawn(argv, r, &code, &over, err);
    const char *what2 = args[1] != NULL ? args[1] : "";
    if (text == NULL) {
        r->kind = NS_AWS_E_OTHER;
        return ns_error_prefix(err, "aws %s %s", args[0], what2);
    }
    if (code == 127) {
        free(text);
        r->kind = NS_AWS_E_OTHER;
        return ns_error_set(err, "cannot run the AWS CLI '%s'", a->program);
    }
    ns_aws_classify(r, code, text);
    free(text);
    if (r->out == NULL) r->out = calloc(1, 1);
    if (code == 0 && over) {
        r->kind = NS_AWS_E_OTHER;
        return ns_error_set(err, "aws %s %s: more than %u MiB of output", args[0], what2, NS_AWS_MAX_OUT >> 20);
    }
    if (code == 0) return 0;
    if (r->code[0])
        return ns_error_set(err, "aws %s %s: %s: %s", args[0], what2, r->code, r->message);
    return ns_error_set(err, "aws %s %s: %s (exit %d)", args[0], what2, r->message, code);
}

int ns_aws_run_retry(const ns_aws *a, ns_aws_result *r, const char *const *args, int attempts, ns_error *err) {
    int delay = 1;
    for (int i = 1;; i++) {
        int rc = ns_aws_run(a, r, args, err);
        if (rc == 0 || i >= attempts || (r->kind != NS_AWS_E_THROTTLED && r->kind != NS_AWS_E_NETWORK)) return rc;
        struct timespec d = {delay, 0};
        nanosleep(&d, NULL);
        if (delay < 16) delay *= 2;
    }
}

int ns_aws_json_opt(const ns_aws *a, const char *const *args, ns_aws_result *r, json_t **out, ns_error *err) {
    ns_aws_result local = {0};
    ns_aws_result *res = r != NULL ? r : &local;
    *out = ns_aws_json(a, args, res, err);
    int rc = *out != NULL || res->kind == NS_AWS_E_NOT_FOUND ? 0 : -1;
    ns_aws_result_free(&local);
    return rc;
}

json_t *ns_aws_json(const ns_aws *a, const char *const *args, ns_aws_result *r, ns_error *err) {
    ns_aws_result local = {0};
    ns_aws_result *res = r != NULL ? r : &local;
    json_t *j = NULL;
    if (ns_aws_run(a, res, args, err) == 0) {
        const char *p = res->out;
        while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t') p++;
        if (*p == 0) j = json_null();
        else {
            json_error_t je;
            j = json_loads(res->out, JSON_DECODE_ANY, &je);
            if (j == NULL)
                ns_error_set(err, "aws %s %s: unreadable JSON answer (%s, line %d)", args[0], args[1] ? args[1] : "",
                             je.text, je.line);
        }
    }
    if (r == NULL) ns_aws_result_free(&local);
    return j;
}
