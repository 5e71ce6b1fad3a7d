/*
 * db_cmd.c - `kgraph push --db URL [--graph NAME] FILE...`, and the --db
 * side of path and neighbors: instead of loading files, fetch from the
 * database the part of the graph the question reads (kgraph/db.h), then
 * answer and print exactly as on files.
 *
 * Exit codes: a server that cannot be reached, a failed statement or a
 * graph name the database does not hold is 4; names that resolve to no
 * entity are 2, as on files.
 */
#include "db_cmd.h"
#include "print.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char kg_cli_push_help[] =
	"Usage: kgraph push --db URL [--graph NAME] FILE...\n"
	"\n"
	"Load the graph files and store the graph in PostgreSQL under NAME (by\n"
	"default the first file's name without its directory and extension), in\n"
	"the schema of share/kgraph/kgraph.sql, which is created if missing. A graph\n"
	"of the same name is replaced in one transaction: readers see the old one\n"
	"or the new one, and a push that fails leaves the old one.\n"
	"\n"
	"Options:\n"
	"      --db URL        a libpq connection string: postgresql://USER@HOST/DB\n"
	"                      or 'host=... dbname=...'; PG* variables fill in the rest\n"
	"      --graph NAME    the graph's name in the database\n"
	"  -h, --help          show this help\n"
	"\n"
	"Then ask it with --db URL --graph NAME instead of files, e.g.\n"
	"'kgraph path --db URL --graph NAME biden zelenskyy'.\n"
	"\n"
	"Exit status: 0 stored, 2 invalid input, 3 usage error, 4 a file could not\n"
	"be read or the database failed (nothing was changed).\n";

/* Print the diagnostics and turn a library code into an exit code. */
static int db_exit(int rc, kg_diag_list *diags)
{
	if (diags)
		kg_cli_print_diags(stderr, diags, true);
	switch (rc) {
	case KG_OK: return EXIT_OK;
	case KG_ENOMEM: return kg_cli_out_of_memory();
	case KG_EINVALID: return EXIT_INVALID;
	default: return EXIT_IO;
	}
}

static int open_db(kg_db **db, const char *url, kg_diag_list **diags)
{
	*db = NULL;
	if (!(*diags = kg_diag_list_new()))
		return kg_cli_out_of_memory();
	return db_exit(kg_db_open(db, url, *diags), *diags);
}

int kg_cli_db_arg(kg_cli_db_args *d, int argc, char **argv, int *i, const char *cmd, int *code)
{
	int m;
	const char *v = NULL;

	*code = EXIT_OK;
	if ((m = kg_cli_long_opt(argc, argv, i, "--db", &v)) > 0)
		d->url = v;
	else if (m == 0 && (m = kg_cli_long_opt(argc, argv, i, "--graph", &v)) > 0)
		d->graph = v;
	if (m < 0) {
		*code = kg_cli_usage_error("%s: %s needs a value (see 'kgraph %s --help')", cmd, argv[*i], cmd);
		return -1;
	}
	return m;
}

int kg_cli_db_check(const kg_cli_db_args *d, const char *cmd)
{
	if (d->graph && !d->url)
		return kg_cli_usage_error("%s: --graph goes with --db URL (see 'kgraph %s --help')", cmd, cmd);
	if (d->url && !d->graph)
		return kg_cli_usage_error("%s: --db needs --graph NAME (see 'kgraph %s --help')", cmd, cmd);
	return EXIT_OK;
}

/* Forget what kg_cli_query_resolve put in q, so that it can resolve the
 * same names again on another graph. */
static void reset_resolved(kg_cli_query *q)
{
	kg_filter none = KG_FILTER_INIT;

	free((void *)q->filter.rel_types);
	free((void *)q->filter.exclude_rel_types);
	free((void *)q->filter.through_types);
	free((void *)q->filter.avoid);
	free(q->type_ids);
	q->type_ids = NULL;
	q->ntype_ids = 0;
	none.directed = q->filter.directed;
	q->filter = none;
}

/* The frame (types and the entities the names may mean), the entities
 * resolved on it, and q's filter resolved on it. */
static int frame_for(kg_graph **frame, kg_db *db, const kg_cli_db_args *d, kg_cli_query *q, uint32_t *ends,
                     size_t nends, kg_diag_list *diags)
{
	const char **names = malloc((nends + q->avoid.n + 1) * sizeof *names);
	size_t i;
	int code;

	*frame = NULL;
	if (!names)
		return kg_cli_out_of_memory();
	for (i = 0; i < nends; i++)
		names[i] = q->args[i];
	for (i = 0; i < q->avoid.n; i++)
		names[nends + i] = q->avoid.v[i];
	code = db_exit(kg_db_fetch_names(frame, db, d->graph, names, nends + q->avoid.n, diags), diags);
	free(names);
	for (i = 0; code == EXIT_OK && i < nends; i++)
		code = kg_cli_resolve_entity(&ends[i], *frame, q->args[i], NULL);
	if (code == EXIT_OK)
		code = kg_cli_query_resolve(q, *frame);
	return code;
}

int kg_cli_db_path_graph(kg_graph **out, const kg_cli_db_args *d, kg_cli_query *q, const kg_path_options *opts)
{
	kg_db *db = NULL;
	kg_diag_list *diags = NULL;
	kg_graph *frame = NULL;
	kg_filter f;
	uint32_t ends[2];
	int code;

	*out = NULL;
	if ((code = open_db(&db, d->url, &diags)) == EXIT_OK &&
	    (code = frame_for(&frame, db, d, q, ends, 2, diags)) == EXIT_OK) {
		/* --directed is a path option, kept apart from q's filter. */
		f = q->filter;
		f.directed = opts->filter.directed;
		code = db_exit(kg_db_fetch_path(out, db, d->graph, frame, ends[0], ends[1], &f, opts->max_hops, diags),
		               diags);
	}
	reset_resolved(q);
	kg_graph_free(frame);
	kg_db_close(db);
	kg_diag_list_free(diags);
	return code;
}

int kg_cli_db_neighbors_graph(kg_graph **out, const kg_cli_db_args *d, kg_cli_query *q,
                              const kg_neighbor_options *opts)
{
	kg_db *db = NULL;
	kg_diag_list *diags = NULL;
	kg_graph *frame = NULL;
	kg_neighbor_options o = *opts;
	uint32_t start;
	int code;

	*out = NULL;
	if ((code = open_db(&db, d->url, &diags)) == EXIT_OK &&
	    (code = frame_for(&frame, db, d, q, &start, 1, diags)) == EXIT_OK) {
		o.filter = q->filter;
		code = db_exit(kg_db_fetch_neighbors(out, db, d->graph, frame, start, &o, diags), diags);
	}
	reset_resolved(q);
	kg_graph_free(frame);
	kg_db_close(db);
	kg_diag_list_free(diags);
	return code;
}

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

int kg_cli_cmd_push(int argc, char **argv)
{
	kg_cli_db_args d = {NULL, NULL};
	const char **files = calloc((size_t)argc + 1, sizeof *files);
	size_t nfiles = 0;
	kg_graph *g = NULL;
	kg_db *db = NULL;
	kg_diag_list *diags = NULL;
	kg_db_push_stats stats;
	char name[256];
	bool options_done = false;
	int i, m, code = EXIT_OK;

	if (!files)
		return kg_cli_out_of_memory();
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (options_done || a[0] != '-' || strcmp(a, "-") == 0) {
			files[nfiles++] = a;
		} else if (strcmp(a, "--") == 0) {
			options_done = true;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(kg_cli_push_help, stdout);
			code = kg_cli_finish_output(EXIT_OK);
			goto done;
		} else if ((m = kg_cli_db_arg(&d, argc, argv, &i, "push", &code)) < 0) {
			goto done;
		} else if (m == 0) {
			code = kg_cli_usage_error("push: unknown option '%s' (see 'kgraph push --help')", a);
			goto done;
		}
	}
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
	if ((code = kg_cli_load(&g, files, nfiles)) != EXIT_OK || (code = open_db(&db, d.url, &diags)) != EXIT_OK)
		goto done;
	if ((code = db_exit(kg_db_push(db, g, d.graph, &stats, diags), diags)) != EXIT_OK)
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
