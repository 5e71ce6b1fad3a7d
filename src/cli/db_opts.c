/*
 * db_opts.c - the options --db URL --graph NAME, shared by push and the
 * query commands, and the --db side of path and neighbors: instead of
 * loading files, fetch from the database the part of the graph the
 * question reads (kgraph/db.h), then answer and print exactly as on files.
 *
 * Exit codes: a server that cannot be reached, a failed statement or a
 * graph name the database does not hold is 4; names that resolve to no
 * entity are 2, as on files.
 */
#include "db_opts.h"
#include "print.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const kg_cli_option kg_cli_opt_db = {.key = KG_OPT_DB, .name = "--db", .arg = "URL", .kind = KG_CLI_STRING,
	.help = "a libpq connection string: postgresql://USER@HOST/DB\n"
	        "or 'host=... dbname=...'; PG* variables fill in the rest"};
const kg_cli_option kg_cli_opt_graph = {.key = KG_OPT_GRAPH, .name = "--graph", .arg = "NAME", .kind = KG_CLI_STRING,
	.help = "the graph's name in the database"};
const kg_cli_option *const kg_cli_db_options[] = {&kg_cli_opt_db, &kg_cli_opt_graph, NULL};

int kg_cli_db_take(kg_cli_db_args *d, const kg_cli_arg *a)
{
	if (a->opt && a->opt->key == KG_OPT_DB)
		d->url = a->value;
	else if (a->opt && a->opt->key == KG_OPT_GRAPH)
		d->graph = a->value;
	else
		return KG_CLI_PASS;
	return EXIT_OK;
}

int kg_cli_db_check(const kg_cli_db_args *d, const kg_cli_query *q, size_t nnames, const char *usage)
{
	const char *cmd = q->cmd;

	if (d->graph && !d->url)
		return kg_cli_usage_error("%s: --graph goes with --db URL (see 'kgraph %s --help')", cmd, cmd);
	if (d->url && !d->graph)
		return kg_cli_usage_error("%s: --db needs --graph NAME (see 'kgraph %s --help')", cmd, cmd);
	if (d->url && q->nargs != nnames)
		return kg_cli_usage_error("%s: with --db, give %s and no FILE", cmd, usage);
	if (!d->url && q->nargs <= nnames)
		return kg_cli_usage_error("%s: needs %s and at least one FILE (see 'kgraph %s --help')", cmd, usage, cmd);
	return d->url ? EXIT_OK : kg_cli_check_files_last(q, nnames);
}

int kg_cli_db_exit(int rc, kg_diag_list *diags)
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

int kg_cli_db_open(kg_db **db, const char *url, kg_diag_list **diags)
{
	*db = NULL;
	if (!(*diags = kg_diag_list_new()))
		return kg_cli_out_of_memory();
	return kg_cli_db_exit(kg_db_open(db, url, *diags), *diags);
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
	code = kg_cli_db_exit(kg_db_fetch_names(frame, db, d->graph, names, nends + q->avoid.n, diags), diags);
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
	if ((code = kg_cli_db_open(&db, d->url, &diags)) == EXIT_OK &&
	    (code = frame_for(&frame, db, d, q, ends, 2, diags)) == EXIT_OK) {
		/* --directed is a path option, kept apart from q's filter. */
		f = q->filter;
		f.directed = opts->filter.directed;
		code = kg_cli_db_exit(kg_db_fetch_path(out, db, d->graph, frame, ends[0], ends[1], &f, opts->max_hops, diags),
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
	if ((code = kg_cli_db_open(&db, d->url, &diags)) == EXIT_OK &&
	    (code = frame_for(&frame, db, d, q, &start, 1, diags)) == EXIT_OK) {
		o.filter = q->filter;
		code = kg_cli_db_exit(kg_db_fetch_neighbors(out, db, d->graph, frame, start, &o, diags), diags);
	}
	reset_resolved(q);
	kg_graph_free(frame);
	kg_db_close(db);
	kg_diag_list_free(diags);
	return code;
}

