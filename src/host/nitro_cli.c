#include "host/nitro_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/proc.h"

static const char *cli_name(void) {
    const char *e = getenv("NS_NITRO_CLI");
    return e && *e ? e : "nitro-cli";
}

int ns_nitro_parse_run_output(ns_nitro_enclave *out, const char *json, size_t len, ns_error *err) {
    memset(out, 0, sizeof *out);
    /* nitro-cli may print log lines before the JSON object. */
    const char *start = memchr(json, '{', len);
    if (start == NULL) return ns_error_set(err, "nitro-cli run-enclave: no JSON in its output");
    json_error_t je;
    json_t *o = json_loadb(start, len - (size_t)(start - json), JSON_DISABLE_EOF_CHECK, &je);
    if (o == NULL) return ns_error_set(err, "nitro-cli run-enclave: bad JSON: %s", je.text);
    const char *id = json_string_value(json_object_get(o, "EnclaveID"));
    json_t *cid = json_object_get(o, "EnclaveCID");
    int rc = 0;
    if (id == NULL || strlen(id) >= sizeof out->enclave_id || !json_is_integer(cid) ||
        json_integer_value(cid) < 4 || json_integer_value(cid) >= 0xffffffffLL) {
        rc = ns_error_set(err, "nitro-cli run-enclave: output lacks a valid EnclaveID/EnclaveCID");
    } else {
        snprintf(out->enclave_id, sizeof out->enclave_id, "%s", id);
        out->cid = (uint32_t)json_integer_value(cid);
    }
    json_decref(o);
    return rc;
}

int ns_nitro_run_enclave(ns_nitro_enclave *out, const char *eif, int cpu_count, int memory_mib, int debug,
                         ns_error *err) {
    char cpus[16], mem[16];
    snprintf(cpus, sizeof cpus, "%d", cpu_count);
    snprintf(mem, sizeof mem, "%d", memory_mib);
    char *argv[12];
    int n = 0;
    argv[n++] = (char *)cli_name();
    argv[n++] = "run-enclave";
    argv[n++] = "--eif-path";
    argv[n++] = (char *)eif;
    argv[n++] = "--cpu-count";
    argv[n++] = cpus;
    argv[n++] = "--memory";
    argv[n++] = mem;
    if (debug) argv[n++] = "--debug-mode";
    argv[n] = NULL;
    char buf[16384];
    size_t len;
    int st = ns_proc_run_capture(argv, buf, sizeof buf, &len, err);
    if (st < 0) return -1;
    if (st != 0) return ns_error_set(err, "nitro-cli run-enclave failed (exit %d): %.200s", st, buf);
    return ns_nitro_parse_run_output(out, buf, len, err);
}

int ns_nitro_terminate(const char *enclave_id, ns_error *err) {
    char *argv[] = {(char *)cli_name(), "terminate-enclave", "--enclave-id", (char *)enclave_id, NULL};
    char buf[4096];
    size_t len;
    int st = ns_proc_run_capture(argv, buf, sizeof buf, &len, err);
    if (st < 0) return -1;
    if (st != 0) return ns_error_set(err, "nitro-cli terminate-enclave failed (exit %d)", st);
    return 0;
}

int ns_nitro_terminate_all(ns_error *err) {
    char *argv[] = {(char *)cli_name(), "terminate-enclave", "--all", NULL};
    char buf[4096];
    size_t len;
    int st = ns_proc_run_capture(argv, buf, sizeof buf, &len, err);
    if (st < 0) return -1;
    if (st != 0) return ns_error_set(err, "nitro-cli terminate-enclave --all failed (exit %d)", st);
    return 0;
}

int ns_nitro_parse_state(char *state, size_t cap, const char *json, size_t len, const char *enclave_id, ns_error *err) {
    const char *start = memchr(json, '[', len);
    if (start == NULL) return ns_error_set(err, "nitro-cli describe-enclaves: no JSON array in its output");
    json_error_t je;
    json_t *a = json_loadb(start, len - (size_t)(start - json), JSON_DISABLE_EOF_CHECK, &je);
    if (!json_is_array(a)) {
        json_decref(a);
        return ns_error_set(err, "nitro-cli describe-enclaves: bad JSON");
    }
    snprintf(state, cap, "absent");
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *e = json_array_get(a, i);
        const char *id = json_string_value(json_object_get(e, "EnclaveID"));
        const char *st = json_string_value(json_object_get(e, "State"));
        if (id != NULL && strcmp(id, enclave_id) == 0) snprintf(state, cap, "%s", st ? st : "unknown");
    }
    json_decref(a);
    return 0;
}

int ns_nitro_enclave_state(char *state, size_t cap, const char *enclave_id, ns_error *err) {
    char *argv[] = {(char *)cli_name(), "describe-enclaves", NULL};
    char buf[16384];
    size_t len;
    int st = ns_proc_run_capture(argv, buf, sizeof buf, &len, err);
    if (st < 0) return -1;
    if (st != 0) return ns_error_set(err, "nitro-cli describe-enclaves failed (exit %d)", st);
    return ns_nitro_parse_state(state, cap, buf, len, enclave_id, err);
}
