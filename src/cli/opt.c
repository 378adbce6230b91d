#include "cli/opt.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "util/parallel.h"

static int opt_usage_error(const ns_cmd_spec *spec, int *exit_code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int opt_usage_error(const ns_cmd_spec *spec, int *exit_code, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    *exit_code = ns_cli_usage_error(spec->cmd, "%s", msg);
    return 1;
}

/* "-t, --threads N" as shown in the help. */
static void opt_label(char *buf, size_t cap, const ns_opt *o) {
    int n = 0;
    if (o->short_name && o->long_name)
        n = snprintf(buf, cap, "-%c, --%s", o->short_name, o->long_name);
    else if (o->short_name)
        n = snprintf(buf, cap, "-%c", o->short_name);
    else
        n = snprintf(buf, cap, "    --%s", o->long_name);
    if (o->arg_name != NULL && n >= 0 && (size_t)n < cap) snprintf(buf + n, cap - (size_t)n, " %s", o->arg_name);
}

void ns_opt_help(const ns_cmd_spec *spec, const ns_opt *opts, FILE *out) {
    int has_opts = opts[0].type != NS_OPT_END;
    fprintf(out, "usage: %s %s%s%s%s\n", ns_program_name, spec->cmd, spec->args && *spec->args ? " " : "",
            spec->args ? spec->args : "", has_opts ? " [options]" : "");
    if (spec->about && *spec->about) fprintf(out, "\n%s", spec->about);
    size_t width = strlen("-h, --help");
    char label[96];
    for (const ns_opt *o = opts; o->type != NS_OPT_END; o++) {
        opt_label(label, sizeof label, o);
        if (strlen(label) > width) width = strlen(label);
    }
    fprintf(out, "\n");
    for (const ns_opt *o = opts; o->type != NS_OPT_END; o++) {
        opt_label(label, sizeof label, o);
        fprintf(out, "  %-*s  ", (int)width, label);
        for (const char *h = o->help; *h; h++) {
            fputc(*h, out);
            if (*h == '\n' && h[1]) fprintf(out, "  %-*s  ", (int)width, "");
        }
        fputc('\n', out);
    }
    fprintf(out, "  %-*s  %s\n", (int)width, "-h, --help", "show this help");
}

static const ns_opt *opt_find_long(const ns_opt *opts, const char *name, size_t len) {
    for (const ns_opt *o = opts; o->type != NS_OPT_END; o++)
        if (o->long_name && strlen(o->long_name) == len && strncmp(o->long_name, name, len) == 0) return o;
    return NULL;
}

static const ns_opt *opt_find_short(const ns_opt *opts, char c) {
    for (const ns_opt *o = opts; o->type != NS_OPT_END; o++)
        if (o->short_name == c) return o;
    return NULL;
}

/* Stores the value of o; 0, or 1 after a usage error. */
static int opt_store(const ns_cmd_spec *spec, const ns_opt *o, const char *shown, const char *v, int *exit_code) {
    char *end;
    switch (o->type) {
    case NS_OPT_BOOL:
        *(int *)o->value = 1;
        return 0;
    case NS_OPT_STRING:
        *(const char **)o->value = v;
        return 0;
    case NS_OPT_LIST: {
        ns_opt_list *l = o->value;
        if (l->n >= l->cap) return opt_usage_error(spec, exit_code, "%s given more than %d times", shown, l->cap);
        l->items[l->n++] = v;
        return 0;
    }
    case NS_OPT_INT: {
        errno = 0;
        long long x = strtoll(v, &end, 10);
        if (*v == '\0' || *end != '\0' || errno != 0 || (double)x < o->min || (double)x > o->max)
            return opt_usage_error(spec, exit_code, "invalid %s value '%s' (want %.0f..%.0f)", shown, v, o->min, o->max);
        *(long long *)o->value = x;
        return 0;
    }
    case NS_OPT_DOUBLE: {
        double x = strtod(v, &end);
        if (*v == '\0' || *end != '\0' || !isfinite(x) || x < o->min || x > o->max)
            return opt_usage_error(spec, exit_code, "invalid %s value '%s' (want %g..%g)", shown, v, o->min, o->max);
        *(double *)o->value = x;
        return 0;
    }
    case NS_OPT_THREADS: {
        int t = ns_threads_parse(v);
        if (t < 0) return opt_usage_error(spec, exit_code, "invalid %s value '%s'", shown, v);
        *(int *)o->value = t;
        return 0;
    }
    case NS_OPT_END:
        break;
    }
    return 0;
}

int ns_opt_parse(const ns_cmd_spec *spec, const ns_opt *opts, int *argc, char **argv, int *exit_code) {
    int n = *argc;
    for (int i = 1; i < n && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            ns_opt_help(spec, opts, stdout);
            *exit_code = 0;
            return 1;
        }
    }
    int npos = 0, only_args = 0;
    for (int i = 1; i < n; i++) {
        char *a = argv[i];
        int negative_number = a[0] == '-' && a[1] >= '0' && a[1] <= '9' && opt_find_short(opts, a[1]) == NULL;
        if (only_args || a[0] != '-' || a[1] == '\0' || negative_number) {
            argv[1 + npos++] = a; /* npos < i: never overwrites what is still to be read */
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_args = 1;
            continue;
        }
        const ns_opt *o;
        const char *inline_value = NULL;
        if (a[1] == '-') {
            const char *eq = strchr(a + 2, '=');
            size_t len = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);
            o = opt_find_long(opts, a + 2, len);
            if (eq) inline_value = eq + 1;
        } else {
            o = a[2] == '\0' || a[2] == '=' ? opt_find_short(opts, a[1]) : NULL;
            if (o && a[2] == '=') inline_value = a + 3;
        }
        char shown[80];
        if (o == NULL) {
            snprintf(shown, sizeof shown, "%.*s", (int)strcspn(a, "="), a);
            return opt_usage_error(spec, exit_code, "unknown option '%s'", shown);
        }
        if (o->long_name) snprintf(shown, sizeof shown, "--%s", o->long_name);
        else snprintf(shown, sizeof shown, "-%c", o->short_name);
        const char *v = NULL;
        if (o->type == NS_OPT_BOOL) {
            if (inline_value) return opt_usage_error(spec, exit_code, "%s takes no value", shown);
        } else if (inline_value) {
            v = inline_value;
        } else if (i + 1 < n) {
            v = argv[++i];
        } else {
            return opt_usage_error(spec, exit_code, "%s needs a value", shown);
        }
        if (opt_store(spec, o, shown, v, exit_code) != 0) return 1;
    }
    if (npos < spec->min_args || (spec->max_args >= 0 && npos > spec->max_args)) {
        if (npos > spec->max_args && spec->max_args >= 0)
            return opt_usage_error(spec, exit_code, "too many arguments (usage: %s %s)", spec->cmd, spec->args);
        return opt_usage_error(spec, exit_code, "expected %s", spec->args);
    }
    argv[1 + npos] = NULL;
    *argc = 1 + npos;
    return 0;
}
