/* `nitrosetup zkey` subcommands (argv[0] is the subcommand name). */
#ifndef NS_CLI_ZKEY_COMMANDS_H
#define NS_CLI_ZKEY_COMMANDS_H

int ns_zkey_cmd_new(int argc, char **argv);        /* src/cli/zkey_new.c */
int ns_zkey_cmd_export(int argc, char **argv);     /* src/cli/zkey_export.c */
int ns_zkey_cmd_info(int argc, char **argv);       /* src/cli/zkey_info.c */
int ns_zkey_cmd_contribute(int argc, char **argv); /* src/cli/zkey_contribute.c (contribute + beacon) */
int ns_zkey_cmd_beacon(int argc, char **argv);     /* src/cli/zkey_contribute.c */
int ns_zkey_cmd_verify(int argc, char **argv);     /* src/cli/zkey_verify.c */

#endif
