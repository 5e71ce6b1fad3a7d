/*
 * cmd_help.c - `kgraph help [COMMAND]`: a command's --help, or kgraph's.
 * The text is made from the command's option table (options.c).
 */
#define _POSIX_C_SOURCE 200809L
#include "options.h"

#include <stddef.h>

static const kg_cli_option *const options[] = {&kg_cli_opt_help, NULL};
static const kg_cli_group groups[] = {{"Options", options}, {NULL, NULL}};

static int run(int argc, char **argv);

const kg_cli_command kg_cli_help_command = {
	.name = "help",
	.summary = "show the help of a command",
	.usage = "[COMMAND]",
	.description = "Show the help of COMMAND, or kgraph's help.",
	.groups = groups,
	.operands_are_commands = true,
	.run = run};

static int run(int argc, char **argv)
{
	const kg_cli_command *cmd = &kg_cli_main;
	kg_cli_buf help = {0};
	kg_cli_parser ps;
	kg_cli_arg a;
	int r, code;

	kg_cli_parser_init(&ps, &kg_cli_help_command, argc, argv);
	while ((r = kg_cli_next(&ps, &a, &code)) > 0) {
		/* Only operands get here: -h is the parser's. */
		if (cmd != &kg_cli_main)
			return kg_cli_usage_error("help: one COMMAND at a time (see 'kgraph help --help')");
		cmd = kg_cli_find_command(a.value);
		if (!cmd)
			return kg_cli_unknown_command(a.value);
	}
	if (r < 0)
		return code;
	kg_cli_put_help(&help, cmd);
	return kg_cli_buf_flush(&help, EXIT_OK);
}
