/* One option parser for every command: a table of options per command,
 * parsed the same way everywhere, with the usage line and the option list
 * of --help generated from the table.
 *
 *   static const ns_opt OPTS[] = {
 *       OPT_STRING('n', "name", &name, "TEXT", "contributor name"),
 *       OPT_THREADS(&threads),
 *       OPT_END(),
 *   };
 *   static const ns_cmd_spec SPEC = {"zkey contribute", "<in.zkey> <out.zkey>", 2, 2, "Adds ..."};
 *   int rc;
 *   if (ns_opt_parse(&SPEC, OPTS, &argc, argv, &rc) != 0) return rc;
 *   // argv[1] .. argv[argc - 1] are the positional arguments
 *
 * Syntax: --long VALUE, --long=VALUE, -s VALUE; "--" ends the options; "-"
 * alone is an argument (standard input), and so is a negative number.  -h/--help anywhere before "--"
 * prints the help on stdout (exit 0).  An unknown option, a missing or bad
 * value, or a wrong number of arguments is a usage error: one line on
 * stderr (ending in a pointer to --help), exit 2. */
#ifndef NS_CLI_OPT_H
#define NS_CLI_OPT_H

#include <stddef.h>
#include <stdio.h>

typedef enum {
    NS_OPT_END = 0,
    NS_OPT_BOOL,    /* int *: set to 1 */
    NS_OPT_STRING,  /* const char **: the value (the last one when repeated) */
    NS_OPT_LIST,    /* ns_opt_list *: every value, in order (repeatable) */
    NS_OPT_INT,     /* long long *: a decimal integer in [min, max] */
    NS_OPT_DOUBLE,  /* double *: a number in [min, max] */
    NS_OPT_THREADS, /* int *: a thread count, 0 = all cores (util/parallel.h) */
} ns_opt_type;

typedef struct {
    const char **items;
    int n, cap;
} ns_opt_list;

typedef struct {
    ns_opt_type type;
    char short_name;       /* 0: none */
    const char *long_name; /* without the leading "--" */
    void *value;
    const char *arg_name;  /* shown in the help: "FILE", "N"; NULL for flags */
    const char *help;      /* one line or more ("\n" continues the text under the column) */
    double min, max;       /* NS_OPT_INT, NS_OPT_DOUBLE */
} ns_opt;

#define OPT_BOOL(s, l, v, h) {NS_OPT_BOOL, (s), (l), (v), NULL, (h), 0, 0}
#define OPT_STRING(s, l, v, a, h) {NS_OPT_STRING, (s), (l), (v), (a), (h), 0, 0}
#define OPT_LIST(s, l, v, a, h) {NS_OPT_LIST, (s), (l), (v), (a), (h), 0, 0}
#define OPT_INT(s, l, v, a, lo, hi, h) {NS_OPT_INT, (s), (l), (v), (a), (h), (lo), (hi)}
#define OPT_DOUBLE(s, l, v, a, lo, hi, h) {NS_OPT_DOUBLE, (s), (l), (v), (a), (h), (lo), (hi)}
#define OPT_THREADS(v) {NS_OPT_THREADS, 't', "threads", (v), "N", "worker threads (default: all cores)", 0, 0}
#define OPT_JSON(v) {NS_OPT_BOOL, 0, "json", (v), NULL, "machine-readable output", 0, 0}
#define OPT_END() {NS_OPT_END, 0, NULL, NULL, NULL, NULL, 0, 0}

typedef struct {
    const char *cmd;      /* "zkey new": for messages, after the program name */
    const char *args;     /* the positional arguments in the usage line: "<in.zkey> <out.zkey>" */
    int min_args, max_args; /* how many positionals (max -1: any number) */
    const char *about;    /* the help text between the usage line and the options */
} ns_cmd_spec;

/* The program name in messages and help: a constant each executable
 * defines ("nitrosetup" in cli/main.c, "nitrosetup-bench" in bench/main.c). */
extern const char ns_program_name[];

/* Parses argv[1..*argc-1] against opts.  Returns 0 with the positional
 * arguments moved to argv[1..] and *argc = 1 + their number; or 1 when the
 * command must end now with *exit_code (0 after --help, 2 after a usage
 * error, both already printed). */
int ns_opt_parse(const ns_cmd_spec *spec, const ns_opt *opts, int *argc, char **argv, int *exit_code);

/* Prints the help of a command: usage line, about, options. */
void ns_opt_help(const ns_cmd_spec *spec, const ns_opt *opts, FILE *out);

#endif
