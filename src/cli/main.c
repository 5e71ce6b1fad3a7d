/*
 * main.c - the kgraph command: its own option table and help, and
 * dispatch to the commands, one cmd_<name>.c each. Pipeline position:
 * cli, on top of the public API only.
 *
 * Exit codes (also in --help and the README):
 *   0 ok, 1 no result, 2 invalid input data, 3 usage error,
 *   4 I/O or rendering failure.
 * Results go to stdout, diagnostics to stderr; stdout is checked for write
 * errors before exiting.
 */
#define _POSIX_C_SOURCE 200809L
#include "options.h"
#include "signals.h"
#include "cache.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static const kg_cli_option opt_version = {.key = KG_OPT_VERSION, .name = "--version", .help = "show the version"};
static const kg_cli_option *const options[] = {&kg_cli_opt_help, &opt_version, NULL};
static const kg_cli_group groups[] = {{"Options", options}, {NULL, NULL}};

static const kg_cli_command *const commands[] = {
	&kg_cli_check_command, &kg_cli_path_command, &kg_cli_neighbors_command, &kg_cli_show_command,
	&kg_cli_list_command, &kg_cli_search_command, &kg_cli_stats_command, &kg_cli_match_command,
	&kg_cli_render_command, &kg_cli_export_command, &kg_cli_import_command,
	&kg_cli_diff_command, &kg_cli_push_command, &kg_cli_compile_command, &kg_cli_help_command, NULL};

static const kg_cli_item exit_codes[] = {
	{"0", "success"},
	{"1", "no result (nothing matched)"},
	{"2", "invalid input data (the diagnostics say where)"},
	{"3", "usage error"},
	{"4", "input/output or rendering failure"},
	{NULL, NULL}};

static const kg_cli_item environment[] = {
	{"NO_COLOR", "no colour on a terminal unless --color always"},
	{"TERM", "dumb: no colour, as NO_COLOR"},
	{"KGRAPH_CACHE", "a folder: commands on YAML files keep a snapshot of\n"
	                 "them there and open it while they are unchanged\n"
	                 "(--cache DIR)"},
	{"KGRAPH_PARSE_THREAD", "auto (default), on or off: parse the YAML of a large\n"
	                        "file (2 MiB or more) in a second thread, which\n"
	                        "overlaps the rest of loading when the process may\n"
	                        "use 2 or more CPUs; the result is the same either way"},
	{NULL, NULL}};

static const char *const examples[] = {
	"kgraph check graphs/ukraine-long-range-strikes-2024.yaml",
	"kgraph path biden zelenskyy graphs/ukraine-long-range-strikes-2024.yaml",
	"kgraph neighbors atacms graphs/ukraine-long-range-strikes-2024.yaml",
	"kgraph show 'Keir Starmer' graphs/ukraine-long-range-strikes-2024.yaml",
	"kgraph list --type person graphs/ukraine-long-range-strikes-2024.yaml",
	NULL};

const kg_cli_command kg_cli_main = {
	.usage = "COMMAND [OPTIONS] FILE...",
	.description = "Build knowledge graphs from YAML files and ask them questions.",
	.groups = groups,
	.notes = "A FILE of '-' is standard input. 'kgraph help COMMAND' or\n"
	         "'kgraph COMMAND --help' shows a command's options.",
	.exit_codes = exit_codes,
	.environment = environment,
	.examples = examples,
	.commands = commands};

const kg_cli_command *kg_cli_find_command(const char *name)
{
	size_t i;

	for (i = 0; commands[i]; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

int kg_cli_run(int argc, char **argv)
{
	const kg_cli_command *c;
	kg_cli_buf help = {0};

	kg_cli_cache_dir = NULL;
	if (argc < 2) {
		kg_cli_put_help(&help, &kg_cli_main);
		if (!help.failed)
			fputs(help.p, stderr);
		kg_cli_buf_free(&help);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		kg_cli_put_help(&help, &kg_cli_main);
		return kg_cli_buf_flush(&help, EXIT_OK);
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("kgraph %s\n", kg_version());
		return kg_cli_finish_output(EXIT_OK);
	}
	/* The build writes the man page and the shell completions from the
	 * option tables with this; it is not for people, so --help leaves
	 * it out. */
	if (strcmp(argv[1], "--generate") == 0 && argc == 3)
		return kg_cli_generate(argv[2]);
	if (argv[1][0] == '-')
		return kg_cli_unknown_option(&kg_cli_main, argv[1]);
	c = kg_cli_find_command(argv[1]);
	if (!c)
		return kg_cli_unknown_command(argv[1]);
	return kg_cli_damage_exit(c->run(argc - 1, argv + 1));
}

#ifndef KG_CLI_NO_MAIN
int main(int argc, char **argv)
{
	/* A reader that goes away (`kgraph list ... | head -1`) makes writes
	 * fail with EPIPE, which kg_cli_finish_output treats quietly, instead
	 * of killing the process. */
	signal(SIGPIPE, SIG_IGN);
	/* stderr is unbuffered by default: every fputc() of a diagnostic's
	 * caret line was a write(2) of its own, some 30 per diagnostic, and a
	 * file with 100,000 warnings took 20 s to report. A line at a time
	 * keeps messages in order with stdout on a terminal and is ten times
	 * faster; the progress line, which has no newline, flushes itself. */
	setvbuf(stderr, NULL, _IOLBF, BUFSIZ);
	return kg_cli_run(argc, argv);
}
#endif
