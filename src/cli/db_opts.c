/*
 * db_opts.c - the options --db URL --graph NAME, shared by push and the
 * query commands, and the --db side of path and neighbors: instead of
 * loading files, fetch from the database the part of the graph the
 * question reads (kgraph/db.h), then answer and print exactly as on files.
 * show and list do the same with what they read: one entity and its
 * relations, or the rows listed.
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

bool kg_cli_parse_query_db(int *code, kg_cli_query *q, kg_cli_db_args *d, const kg_cli_command *cmd, int argc,
                           char **argv)
{
	kg_cli_parser ps;
	kg_cli_arg a;
	int r;

	*code = EXIT_OK;
	kg_cli_parser_init(&ps, cmd, argc, argv);
	while ((r = kg_cli_next(&ps, &a, code)) > 0) {
		if ((*code = kg_cli_query_take(q, &a)) == KG_CLI_PASS)
			*code = kg_cli_db_take(d, &a);
		if (*code != EXIT_OK)
			return false;
	}
	return r == 0;
}

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
		return nnames ? kg_cli_usage_error("%s: with --db, give %s and no FILE", cmd, usage)
		              : kg_cli_usage_error("%s: with --db, give no FILE", cmd);
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

/* What one command fetches, once the frame is there and q resolved on
 * it: a library code. ends are the entities q->args name. */
typedef int (*fetch_fn)(kg_graph **out, kg_db *db, const char *graph, const kg_graph *frame, const uint32_t *ends,
                        const kg_cli_query *q, const void *opts, kg_diag_list *diags);

/* Connect, resolve q's first nends operands and its filter on a frame,
 * fetch with fn, and leave q as it was: the command resolves the same
 * names again on the fetched graph. */
static int fetch_graph(kg_graph **out, const kg_cli_db_args *d, kg_cli_query *q, size_t nends, fetch_fn fn,
                       const void *opts)
{
	kg_db *db = NULL;
	kg_diag_list *diags = NULL;
	kg_graph *frame = NULL;
	uint32_t ends[2];
	int code;

	*out = NULL;
	if ((code = kg_cli_db_open(&db, d->url, &diags)) == EXIT_OK &&
	    (code = frame_for(&frame, db, d, q, ends, nends, diags)) == EXIT_OK)
		code = kg_cli_db_exit(fn(out, db, d->graph, frame, ends, q, opts, diags), diags);
	reset_resolved(q);
	kg_graph_free(frame);
	kg_db_close(db);
	kg_diag_list_free(diags);
	return code;
}

static int fetch_path(kg_graph **out, kg_db *db, const char *graph, const kg_graph *frame, const uint32_t *ends,
                      const kg_cli_query *q, const void *opts, kg_diag_list *diags)
{
	const kg_path_options *po = opts;
	/* --directed is a path option, kept apart from q's filter. */
	kg_filter f = q->filter;

	f.directed = po->filter.directed;
	if (po->mode != KG_PATHS_SHORTEST || po->weight) {
		kg_path_options o = *po;
		o.filter = f;
		return kg_db_fetch_paths(out, db, graph, frame, ends[0], ends[1], &o, diags);
	}
	return kg_db_fetch_path(out, db, graph, frame, ends[0], ends[1], &f, po->max_hops, diags);
}

static int fetch_neighbors(kg_graph **out, kg_db *db, const char *graph, const kg_graph *frame,
                           const uint32_t *ends, const kg_cli_query *q, const void *opts, kg_diag_list *diags)
{
	kg_neighbor_options o = *(const kg_neighbor_options *)opts;

	o.filter = q->filter;
	return kg_db_fetch_neighbors(out, db, graph, frame, ends[0], &o, diags);
}

static int fetch_entity(kg_graph **out, kg_db *db, const char *graph, const kg_graph *frame, const uint32_t *ends,
                        const kg_cli_query *q, const void *opts, kg_diag_list *diags)
{
	(void)q, (void)opts;
	return kg_db_fetch_entity(out, db, graph, frame, ends[0], diags);
}

static int fetch_list(kg_graph **out, kg_db *db, const char *graph, const kg_graph *frame, const uint32_t *ends,
                      const kg_cli_query *q, const void *opts, kg_diag_list *diags)
{
	(void)frame, (void)ends, (void)opts;
	return kg_db_fetch_list(out, db, graph, q->relations, q->type_ids, q->ntype_ids, &q->filter, diags);
}

static int fetch_search(kg_graph **out, kg_db *db, const char *graph, const kg_graph *frame, const uint32_t *ends,
                        const kg_cli_query *q, const void *opts, kg_diag_list *diags)
{
	kg_search_options o = *(const kg_search_options *)opts;

	(void)frame, (void)ends;
	o.types = q->type_ids;
	o.ntypes = q->ntype_ids;
	return kg_db_fetch_search(out, db, graph, q->args[0], &o, diags);
}

int kg_cli_db_search_graph(kg_graph **out, const kg_cli_db_args *d, kg_cli_query *q, const kg_search_options *opts)
{
	return fetch_graph(out, d, q, 0, fetch_search, opts);
}

int kg_cli_db_path_graph(kg_graph **out, const kg_cli_db_args *d, kg_cli_query *q, const kg_path_options *opts)
{
	return fetch_graph(out, d, q, 2, fetch_path, opts);
}

int kg_cli_db_neighbors_graph(kg_graph **out, const kg_cli_db_args *d, kg_cli_query *q,
                              const kg_neighbor_options *opts)
{
	return fetch_graph(out, d, q, 1, fetch_neighbors, opts);
}

int kg_cli_db_show_graph(kg_graph **out, const kg_cli_db_args *d, kg_cli_query *q)
{
	return fetch_graph(out, d, q, 1, fetch_entity, NULL);
}

int kg_cli_db_list_graph(kg_graph **out, const kg_cli_db_args *d, kg_cli_query *q)
{
	return fetch_graph(out, d, q, 0, fetch_list, NULL);
}

int kg_cli_db_render_graph(kg_graph **out, const kg_cli_db_args *d, kg_cli_query *q, const char *const *focus,
                           size_t nfocus, const kg_neighbor_options *around, const char *const *ends,
                           const kg_path_options *paths)
{
	size_t nends = ends ? 2 : 0, nnames = nends + nfocus + q->avoid.n, i;
	const char **names = malloc((nnames + 1) * sizeof *names);
	uint32_t *ids = malloc((nends + nfocus + 1) * sizeof *ids);
	kg_neighbor_options o = KG_NEIGHBOR_OPTIONS_INIT;
	kg_path_options po = *paths;
	kg_db *db = NULL;
	kg_diag_list *diags = NULL;
	kg_graph *frame = NULL;
	int code;

	*out = NULL;
	if (!names || !ids) {
		free(names);
		free(ids);
		return kg_cli_out_of_memory();
	}
	for (i = 0; i < nends; i++)
		names[i] = ends[i];
	for (i = 0; i < nfocus; i++)
		names[nends + i] = focus[i];
	for (i = 0; i < q->avoid.n; i++)
		names[nends + nfocus + i] = q->avoid.v[i];
	if ((code = kg_cli_db_open(&db, d->url, &diags)) == EXIT_OK)
		code = kg_cli_db_exit(kg_db_fetch_names(&frame, db, d->graph, names, nnames, diags), diags);
	/* In the order render resolves them on files: filters, focus, path. */
	if (code == EXIT_OK)
		code = kg_cli_query_resolve(q, frame);
	for (i = 0; code == EXIT_OK && i < nfocus; i++)
		code = kg_cli_resolve_entity(&ids[nends + i], frame, focus[i], "--focus");
	for (i = 0; code == EXIT_OK && i < nends; i++)
		code = kg_cli_resolve_entity(&ids[i], frame, ends[i], "--path");
	if (code == EXIT_OK) {
		/* The filters as kg_render and kg_cli_find_paths apply them. */
		if (around)
			o = *around;
		o.filter = q->filter;
		if (q->ntype_ids && !o.filter.nthrough_types) {
			o.filter.through_types = q->type_ids;
			o.filter.nthrough_types = q->ntype_ids;
		}
		po.filter = q->filter;
		po.filter.directed = paths->filter.directed;
		code = kg_cli_db_exit(kg_db_fetch_drawing(out, db, d->graph, frame, ids + nends, around ? nfocus : 0, &o,
		                                          ends ? ids : NULL, &po, diags),
		                      diags);
	}
	reset_resolved(q);
	free(names);
	free(ids);
	kg_graph_free(frame);
	kg_db_close(db);
	kg_diag_list_free(diags);
	return code;
}
