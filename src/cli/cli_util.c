#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/opt.h"
#include "util/hex.h"

int ns_cli_usage_error(const char *cmd, const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "%s: %s: ", ns_program_name, cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see '%s %s --help')\n", ns_program_name, cmd);
    return 2;
}

int ns_cli_dispatch(const char *group, const char *intro, const ns_cli_subcommand *subs, size_t nsubs,
                    int argc, char **argv) {
    const char *prog = ns_program_name, *sp = group ? " " : "", *g = group ? group : "";
    const char *what = group ? "subcommand" : "command";
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        FILE *out = argc < 2 ? stderr : stdout;
        fprintf(out, "usage: %s%s%s <%s> [<args>]\n\n%s\n", prog, sp, g, what, intro);
        for (size_t i = 0; i < nsubs; i++) fprintf(out, "  %-11s %s\n", subs[i].name, subs[i].summary);
        fprintf(out, "\nRun '%s%s%s <%s> --help' for options.\n", prog, sp, g, what);
        return argc < 2 ? 2 : 0;
    }
    for (size_t i = 0; i < nsubs; i++)
        if (strcmp(argv[1], subs[i].name) == 0) return subs[i].run(argc - 1, argv + 1);
    if (group == NULL) {
        fprintf(stderr, "%s: '%s' is not a command. See '%s --help'.\n", prog, argv[1], prog);
        return 2;
    }
    return ns_cli_usage_error(group, "unknown subcommand '%s'", argv[1]);
}

int ns_cli_parse_pcr(const char *cmd, const char *arg, uint32_t *mask, uint8_t pcr[][48]) {
    char *end;
    long idx = strtol(arg, &end, 10);
    if (end == arg || *end != '=' || idx < 0 || idx > 31)
        return ns_cli_usage_error(cmd, "--pcr: expected N=HEX with N in 0..31, got '%.40s'", arg);
    if (ns_hex_decode(pcr[idx], 48, end + 1) != 48)
        return ns_cli_usage_error(cmd, "--pcr %ld: expected 96 hex digits (48 bytes)", idx);
    *mask |= (uint32_t)1 << idx;
    return 0;
}

int ns_cli_open_r1cs(ns_r1cs *r, ns_mapfile *map, const char *path, ns_error *err) {
    if (ns_mapfile_open(map, path, err) != 0) return -1;
    if (ns_r1cs_parse(r, map->data, map->size, path, err) != 0) {
        ns_mapfile_close(map);
        return -1;
    }
    return 0;
}
