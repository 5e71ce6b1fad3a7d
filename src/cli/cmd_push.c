/*
 * cmd_push.c - `kgraph push --db URL [--graph NAME] FILE...`: load the
 * graph files and store the graph in PostgreSQL (kgraph/db.h), where path
 * and neighbors can then ask it with --db instead of the files.
 *
 * The command only names the graph and reports: the library does the
 * push in one transaction, so a push that fails leaves the old version.
 */
#define _POSIX_C_SOURCE 200809L
#include "db_opts.h"
#include "print.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const kg_cli_option *const options[] = {&kg_cli_opt_db, &kg_cli_opt_graph, &kg_cli_opt_help, NULL};
static const kg_cli_group groups[] = {{"Options", options}, {NULL, NULL}};

static int run(int argc, char **argv);

const kg_cli_command kg_cli_push_command = {
	.name = "push",
	.summary = "store the graph in PostgreSQL, to ask it with --db",
	.usage = "--db URL [--graph NAME] FILE...",
	.description =
		"Load the graph files and store the graph in PostgreSQL under NAME (by\n"
		"default the first file's name without its directory and extension), in\n"
		"the schema of share/kgraph/kgraph.sql, which is created if missing. A graph\n"
		"of the same name is replaced in one transaction: readers see the old one\n"
		"or the new one, and a push that fails leaves the old one.\n"
		"\n"
		"Then ask it with --db URL --graph NAME instead of files.",
	.groups = groups,
	/* Not under Examples, which the tests run: these need a server. */
	.notes = "For example (docs/postgresql.md):\n"
	         "  kgraph push --db postgresql:///kgraph graphs/ukraine-long-range-strikes-2024.yaml\n"
	         "  kgraph path --db postgresql:///kgraph --graph ukraine-long-range-strikes-2024 \\\n"
	         "      biden zelenskyy",
	.exit_status = "0 stored, 2 invalid input, 3 usage error, 4 a file could not\n"
	               "be read or the database failed (nothing was changed).",
	.run = run};

/* The default graph name: the file's name without directory and the
 * last extension. */
static const char *default_name(char *buf, size_t size, const char *file)
{
	const char *base = strrchr(file, '/'), *dot;

	base = base ? base + 1 : file;
	dot = strrchr(base, '.');
	snprintf(buf, size, "%.*s", (int)(dot && dot != base ? (size_t)(dot - base) : strlen(base)), base);
	return buf;
}

static int run(int argc, char **argv)
{
	kg_cli_db_args d = {NULL, NULL};
	const char **files = calloc((size_t)argc + 1, sizeof *files);
	size_t nfiles = 0;
	kg_graph *g = NULL;
	kg_db *db = NULL;
	kg_diag_list *diags = NULL;
	kg_db_push_stats stats;
	kg_cli_parser ps;
	kg_cli_arg a;
	char name[256];
	int r, code = EXIT_OK;

	if (!files)
		return kg_cli_out_of_memory();
	kg_cli_parser_init(&ps, &kg_cli_push_command, argc, argv);
	while ((r = kg_cli_next(&ps, &a, &code)) > 0) {
		if (!a.opt)
			files[nfiles++] = a.value;
		else
			code = kg_cli_db_take(&d, &a); /* the table holds only its options */
		if (code != EXIT_OK)
			goto done;
	}
	if (r < 0)
		goto done;
	if (!d.url || !nfiles) {
		code = kg_cli_usage_error("push: needs --db URL and at least one FILE (see 'kgraph push --help')");
		goto done;
	}
	if (!d.graph)
		d.graph = default_name(name, sizeof name, files[0]);
	if (!*d.graph) {
		code = kg_cli_usage_error("push: the graph name is empty (give one with --graph)");
		goto done;
	}
	if ((code = kg_cli_load(&g, files, nfiles)) != EXIT_OK || (code = kg_cli_db_open(&db, d.url, &diags)) != EXIT_OK)
		goto done;
	if ((code = kg_cli_db_exit(kg_db_push(db, g, d.graph, &stats, diags), diags)) != EXIT_OK)
		goto done;
	printf("pushed graph '%s': %zu entities, %zu relations in %.2f s\n", d.graph, stats.entities, stats.relations,
	       stats.seconds);
	code = kg_cli_finish_output(EXIT_OK);
done:
	kg_db_close(db);
	kg_diag_list_free(diags);
	kg_graph_free(g);
	free(files);
	return code;
}
