/* Tests for src/cli/opt.c: argument forms, positional compaction, "--",
 * negative numbers, lists, ranges, and the usage errors. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/opt.h"
#include "testutil.h"

const char ns_program_name[] = "nitrosetup"; /* defined by each executable */

typedef struct {
    int flag, threads;
    const char *name;
    long long n;
    double d;
    const char *items[2];
    ns_opt_list list;
} vals;

static const ns_cmd_spec SPEC = {"test cmd", "<a> [<b>]", 1, 2, "About.\n"};

/* Parses a space-separated command line; returns ns_opt_parse's result. */
static int run(vals *v, char *line, int *argc, char **argv, int *code) {
    memset(v, 0, sizeof *v);
    v->list = (ns_opt_list){v->items, 0, 2};
    const ns_opt OPTS[] = {
        OPT_BOOL('f', "flag", &v->flag, "a flag"),
        OPT_STRING('n', "name", &v->name, "TEXT", "a string"),
        OPT_INT(0, "count", &v->n, "N", -5, 10, "an integer"),
        OPT_DOUBLE(0, "secs", &v->d, "S", 0.5, 2, "a number"),
        OPT_LIST('l', NULL, &v->list, "DIR", "a list"),
        OPT_THREADS(&v->threads),
        OPT_END(),
    };
    int n = 0;
    argv[n++] = "cmd";
    for (char *t = strtok(line, " "); t != NULL; t = strtok(NULL, " ")) argv[n++] = t;
    argv[n] = NULL;
    *argc = n;
    /* the parser's messages and help go to /dev/null; ours come back after */
    fflush(stdout), fflush(stderr);
    int out = dup(1), err = dup(2), nul = open("/dev/null", O_WRONLY);
    dup2(nul, 1), dup2(nul, 2);
    int rc = ns_opt_parse(&SPEC, OPTS, argc, argv, code);
    fflush(stdout), fflush(stderr);
    dup2(out, 1), dup2(err, 2);
    close(out), close(err), close(nul);
    return rc;
}

int main(void) {
    vals v;
    char *argv[32];
    int argc, code = -1;
    char l1[] = "x --flag --name=bob -n alice --count -5 --secs 1.5 -l d1 y -l d2 -t 3";
    CHECK(run(&v, l1, &argc, argv, &code) == 0);
    CHECK(argc == 3 && strcmp(argv[1], "x") == 0 && strcmp(argv[2], "y") == 0 && argv[3] == NULL);
    CHECK(v.flag == 1 && strcmp(v.name, "alice") == 0 && v.n == -5 && v.d == 1.5 && v.threads == 3);
    CHECK(v.list.n == 2 && strcmp(v.items[0], "d1") == 0 && strcmp(v.items[1], "d2") == 0);

    char l2[] = "-- -f -";
    CHECK(run(&v, l2, &argc, argv, &code) == 0 && argc == 3 && strcmp(argv[1], "-f") == 0 && !v.flag);
    char l3[] = "-7 -";
    CHECK(run(&v, l3, &argc, argv, &code) == 0 && argc == 3 && strcmp(argv[1], "-7") == 0);
    char l4[] = "--count=9 a";
    CHECK(run(&v, l4, &argc, argv, &code) == 0 && v.n == 9);

    /* usage errors: exit code 2 */
    const char *bad[] = {"a --nope", "a --count 11", "a --count x", "a --secs 3", "a --flag=1", "a --name",
                         "", "a b c", "a -l 1 -l 2 -l 3", "a -t -1", "a -x", "a --count="};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%s", bad[i]);
        code = -1;
        CHECK_MSG(run(&v, buf, &argc, argv, &code) == 1 && code == 2, "'%s' should be a usage error", bad[i]);
    }
    /* --help wins, exit 0 (the help goes to stdout) */
    char l5[] = "a --nope --help";
    code = -1;
    CHECK(run(&v, l5, &argc, argv, &code) == 1 && code == 0);
    return ns_test_report("cli_opt");
}
