/*
 * paths.c - `kgraph path FROM TO FILE...`: how two entities connect.
 *
 * The command turns options into a kg_path_options, asks kg_query_paths,
 * and renders the answer as text (one path a line, arrows showing each
 * relation's written direction; --explain adds each step's evidence),
 * TSV (one row per step) or JSON (docs/json.md). Exit 0 when a path
 * exists, 1 when none does, with nothing on stdout.
 */
#define _POSIX_C_SOURCE 200809L
#include "query_opts.h"
#include "render_cmd.h"
#include "print.h"
#include "db_cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char kg_cli_path_help[] =
	"Usage: kgraph path [OPTIONS] FROM TO FILE...\n"
	"\n"
	"Show how entity FROM connects to entity TO: by default one shortest path,\n"
	"following relations both ways. FROM and TO are ids, names or aliases, in\n"
	"any case. Each path is one line; '\xE2\x80\x94type\xE2\x86\x92' is a relation followed as written,\n"
	"'\xE2\x86\x90type\xE2\x80\x94' one followed against it, '\xE2\x80\x94type\xE2\x80\x94' a symmetric one.\n"
	"\n"
	"Which paths:\n"
	"      --all-shortest     every shortest path\n"
	"  -k N                   the N shortest paths (loopless), shortest first\n"
	"      --all              every path of at most --max-hops relations\n"
	"      --max-hops N       paths of at most N relations (1 to 64; required\n"
	"                         with --all)\n"
	"      --limit M          print at most M paths (default 1000)\n"
	"      --directed         follow relations only as written (symmetric\n"
	"                         types both ways)\n"
	"      --weight ATTR      the lightest paths, each relation weighing its\n"
	"                         ATTR attribute ('weight' for weight:; 1 without)\n"
	"\n"
	"Filters (combine freely; NAME,... lists may also be repeated):\n"
	"      --rel TYPE,...     only relations of these types\n"
	"      --exclude-rel TYPE,...  no relations of these types\n"
	"      --through TYPE,... entities inside a path must be of these types\n"
	"      --avoid ENTITY,... never pass through these entities (the ends excepted)\n"
	"      --as-of DATE       only relations valid on DATE (since/until)\n"
	"\n"
	"From a database (kgraph push), instead of FILE...:\n"
	"      --db URL --graph NAME  ask graph NAME stored in PostgreSQL (one shortest\n"
	"                         path; not with --all-shortest, -k, --all, --weight)\n"
	"\n"
	"Output:\n"
	"      --explain          each step with its evidence: date, source, quote\n"
	"      --format FORMAT    text (default), tsv or json\n"
	"      --color WHEN       auto (default: on a terminal, unless NO_COLOR is\n"
	"                         set), always or never\n"
	"  -h, --help             show this help\n"
	"\n"
	"Exit status: 0 a path exists, 1 there is none, 2 invalid input (a graph\n"
	"error, an unknown name), 3 usage error, 4 a file could not be read or the\n"
	"database failed.\n"
	"\n"
	"Examples:\n"
	"  kgraph path biden zelenskyy graphs/ukraine-long-range-strikes-2024.yaml\n"
	"  kgraph path --all-shortest starmer atacms graphs/ukraine-long-range-strikes-2024.yaml\n"
	"  kgraph path --explain --rel heads,serves,met_with lammy austin graphs/ukraine-long-range-strikes-2024.yaml\n"
	"  kgraph path -k 3 --format tsv sullivan storm_shadow graphs/ukraine-long-range-strikes-2024.yaml\n";

void kg_cli_path_args_init(kg_cli_path_args *p)
{
	kg_path_options init = KG_PATH_OPTIONS_INIT;

	memset(p, 0, sizeof *p);
	p->opts = init;
}

int kg_cli_path_arg(void *ctx, kg_cli_query *q, int argc, char **argv, int *i, int *code)
{
	kg_cli_path_args *p = ctx;
	const char *a = argv[*i], *v = NULL;
	unsigned long n;
	int m;

	*code = EXIT_OK;
	if (strcmp(a, "--directed") == 0) {
		p->opts.filter.directed = true;
	} else if (strcmp(a, "--all-shortest") == 0) {
		p->opts.mode = KG_PATHS_ALL_SHORTEST;
		p->modes++;
	} else if (strcmp(a, "--all") == 0) {
		p->opts.mode = KG_PATHS_ALL;
		p->modes++;
	} else if (strcmp(a, "--explain") == 0) {
		p->explain = true;
	} else if (strncmp(a, "-k", 2) == 0) {
		v = a[2] == '=' ? a + 3 : a[2] ? a + 2 : *i + 1 < argc ? argv[++*i] : NULL;
		if (!v) {
			*code = kg_cli_usage_error("path: -k needs a value (see 'kgraph path --help')");
			return -1;
		}
		if ((*code = kg_cli_parse_count(&n, q, "-k", v, 1, KG_MAX_PATH_K, "KG_MAX_PATH_K")) != EXIT_OK)
			return -1;
		p->opts.mode = KG_PATHS_K_SHORTEST;
		p->opts.k = n;
		p->has_k = true;
		p->modes++;
	} else if ((m = kg_cli_long_opt(argc, argv, i, "--max-hops", &v)) > 0) {
		if ((*code = kg_cli_parse_count(&n, q, "--max-hops", v, 1, KG_MAX_PATH_HOPS, "KG_MAX_PATH_HOPS")) !=
		    EXIT_OK)
			return -1;
		p->opts.max_hops = (unsigned)n;
		p->has_max_hops = true;
	} else if (m == 0 && (m = kg_cli_long_opt(argc, argv, i, "--limit", &v)) > 0) {
		if ((*code = kg_cli_parse_count(&n, q, "--limit", v, 1, KG_MAX_PATH_LIMIT, "KG_MAX_PATH_LIMIT")) != EXIT_OK)
			return -1;
		p->opts.limit = n;
		p->has_limit = true;
	} else if (m == 0 && (m = kg_cli_long_opt(argc, argv, i, "--weight", &v)) > 0) {
		if (!*v) {
			*code = kg_cli_usage_error("path: --weight takes an attribute name, e.g. --weight weight");
			return -1;
		}
		p->opts.weight = v;
	} else if (m < 0) {
		*code = kg_cli_usage_error("path: %s needs a value (see 'kgraph path --help')", a);
		return -1;
	} else {
		return 0;
	}
	return 1;
}

/* ---- text ---------------------------------------------------------- */

static void put_entity(kg_cli_buf *b, const kg_graph *g, const kg_cli_style *st, uint32_t e)
{
	kg_cli_puts(b, st->entity);
	kg_cli_put_clean(b, kg_entity_name(g, e));
	kg_cli_puts(b, st->off);
}

/* " —type→ NAME" for each step from the entity before it. */
static void put_step(kg_cli_buf *b, const kg_graph *g, const kg_cli_style *st, const kg_step *s)
{
	uint32_t next = s->forward ? kg_relation_to(g, s->relation) : kg_relation_from(g, s->relation);

	kg_cli_puts(b, " ");
	kg_cli_puts(b, st->rel);
	kg_cli_put_arrow(b, g, s->relation, s->forward);
	kg_cli_puts(b, st->off);
	kg_cli_puts(b, " ");
	put_entity(b, g, st, next);
}

/* The evidence of one relation, under its step. */
static void put_evidence(kg_cli_buf *b, const kg_graph *g, const kg_cli_style *st, uint32_t rel)
{
	uint32_t src = kg_relation_source(g, rel);
	kg_location at = kg_relation_location(g, rel);
	const char *quote = kg_relation_quote(g, rel);
	char date[11];

	if (kg_relation_date(g, rel))
		kg_cli_printf(b, "     date:   %s\n", kg_date_format(date, kg_relation_date(g, rel)));
	if (src != KG_NONE) {
		const char *publisher = kg_source_publisher(g, src);
		kg_date sdate = kg_source_date(g, src);
		kg_cli_puts(b, "     source: ");
		kg_cli_puts(b, st->dim);
		kg_cli_put_clean(b, kg_source_id(g, src));
		kg_cli_puts(b, st->off);
		if (kg_source_title(g, src)) {
			kg_cli_puts(b, ", ");
			kg_cli_put_clean(b, kg_source_title(g, src));
		}
		if (publisher || sdate) {
			kg_cli_puts(b, " (");
			kg_cli_put_clean(b, publisher);
			kg_cli_puts(b, publisher && sdate ? ", " : "");
			kg_cli_puts(b, sdate ? kg_date_format(date, sdate) : "");
			kg_cli_puts(b, ")");
		}
		kg_cli_puts(b, "\n");
	}
	if (quote) {
		kg_cli_puts(b, "     quote:  \"");
		kg_cli_put_clean(b, quote);
		kg_cli_puts(b, "\"\n");
	}
	if (!kg_relation_date(g, rel) && src == KG_NONE && !quote)
		kg_cli_puts(b, "     (no date, source or quote given)\n");
	if (at.file) {
		kg_cli_puts(b, "     at:     ");
		kg_cli_puts(b, st->dim);
		kg_cli_put_clean(b, at.file);
		if (at.line)
			kg_cli_printf(b, ":%u", at.line);
		kg_cli_puts(b, st->off);
		kg_cli_puts(b, "\n");
	}
}

static void render_text(kg_cli_buf *b, const kg_graph *g, const kg_cli_query *q, const kg_cli_path_args *p,
                        const kg_paths *paths)
{
	size_t i, s, n = kg_paths_count(paths);

	for (i = 0; i < n; i++) {
		kg_path path = kg_paths_get(paths, i);
		if (p->explain && i)
			kg_cli_puts(b, "\n");
		put_entity(b, g, &q->style, path.from);
		for (s = 0; s < path.nsteps; s++)
			put_step(b, g, &q->style, &path.steps[s]);
		if (p->opts.weight) {
			kg_cli_puts(b, "  (weight ");
			kg_cli_put_number(b, path.weight);
			kg_cli_puts(b, ")");
		}
		kg_cli_puts(b, "\n");
		for (s = 0; p->explain && s < path.nsteps; s++) {
			const kg_step *st = &path.steps[s];
			kg_cli_printf(b, "  %zu. ", s + 1);
			put_entity(b, g, &q->style, s ? kg_path_entity_after(g, &path, s - 1) : path.from);
			put_step(b, g, &q->style, st);
			kg_cli_puts(b, "\n");
			put_evidence(b, g, &q->style, st->relation);
		}
	}
}

/* ---- TSV ----------------------------------------------------------- */

static void render_tsv(kg_cli_buf *b, const kg_graph *g, const kg_paths *paths)
{
	size_t i, s, n = kg_paths_count(paths);

	kg_cli_puts(b, "path\tstep\tfrom\trelation\tto\tdirection\tdate\tsource\n");
	for (i = 0; i < n; i++) {
		kg_path path = kg_paths_get(paths, i);
		uint32_t at = path.from;
		for (s = 0; s < path.nsteps; s++) {
			uint32_t next = kg_path_entity_after(g, &path, s);
			uint32_t rel = path.steps[s].relation;
			kg_cli_printf(b, "%zu\t%zu\t", i + 1, s + 1);
			kg_cli_put_clean(b, kg_entity_id(g, at));
			kg_cli_puts(b, "\t");
			kg_cli_put_clean(b, kg_relation_type_name(g, kg_relation_type(g, rel)));
			kg_cli_puts(b, "\t");
			kg_cli_put_clean(b, kg_entity_id(g, next));
			kg_cli_puts(b, "\t");
			kg_cli_puts(b, kg_cli_direction_name(path.steps[s].forward));
			kg_cli_tsv_date_source(b, g, rel);
			kg_cli_puts(b, "\n");
			at = next;
		}
	}
}

/* ---- JSON ---------------------------------------------------------- */

static void json_entity(kg_cli_json *j, const kg_graph *g, uint32_t e)
{
	kg_cli_json_key(j, kg_entity_id(g, e));
	kg_cli_json_object(j);
	kg_cli_json_kstring(j, "type", kg_type_name(g, kg_entity_type(g, e)));
	kg_cli_json_kstring(j, "name", kg_entity_name(g, e));
	kg_cli_json_end(j, '}');
}

static void json_source(kg_cli_json *j, const kg_graph *g, uint32_t s)
{
	char date[11];

	kg_cli_json_key(j, kg_source_id(g, s));
	kg_cli_json_object(j);
	kg_cli_json_kstring(j, "title", kg_source_title(g, s));
	kg_cli_json_kstring(j, "publisher", kg_source_publisher(g, s));
	kg_cli_json_kstring(j, "date", kg_source_date(g, s) ? kg_date_format(date, kg_source_date(g, s)) : NULL);
	kg_cli_json_kstring(j, "url", kg_source_url(g, s));
	kg_cli_json_end(j, '}');
}

static int render_json(kg_cli_buf *b, const kg_graph *g, const kg_cli_path_args *p, const kg_paths *paths,
                       uint32_t from, uint32_t to)
{
	size_t i, s, n = kg_paths_count(paths);
	bool *seen = calloc(kg_graph_entity_count(g) + 1, 1);
	bool *cited = calloc(kg_graph_source_count(g) + 1, 1);
	kg_cli_json j;

	if (!seen || !cited) {
		free(seen);
		free(cited);
		return kg_cli_out_of_memory();
	}
	kg_cli_json_init(&j, b);
	kg_cli_json_object(&j);
	kg_cli_json_kstring(&j, "from", kg_entity_id(g, from));
	kg_cli_json_kstring(&j, "to", kg_entity_id(g, to));
	kg_cli_json_key(&j, "paths");
	kg_cli_json_array(&j);
	for (i = 0; i < n; i++) {
		kg_path path = kg_paths_get(paths, i);
		kg_cli_json_object(&j);
		kg_cli_json_kuint(&j, "length", path.nsteps);
		kg_cli_json_key(&j, "weight");
		kg_cli_json_number(&j, p->opts.weight ? path.weight : (double)path.nsteps);
		kg_cli_json_key(&j, "entities");
		kg_cli_json_array(&j);
		kg_cli_json_string(&j, kg_entity_id(g, path.from));
		for (s = 0; s < path.nsteps; s++)
			kg_cli_json_string(&j, kg_entity_id(g, kg_path_entity_after(g, &path, s)));
		kg_cli_json_end(&j, ']');
		kg_cli_json_key(&j, "steps");
		kg_cli_json_array(&j);
		for (s = 0; s < path.nsteps; s++)
			kg_cli_json_step(&j, g, path.steps[s].relation, path.steps[s].forward);
		kg_cli_json_end(&j, ']');
		kg_cli_json_end(&j, '}');
	}
	kg_cli_json_end(&j, ']');
	kg_cli_json_key(&j, "truncated");
	kg_cli_json_bool(&j, kg_paths_truncated(paths));
	/* Every entity and source the paths mention, in order of first
	 * mention, so that a reader needs no second lookup. */
	kg_cli_json_key(&j, "entities");
	kg_cli_json_object(&j);
	for (i = 0; i < n; i++) {
		kg_path path = kg_paths_get(paths, i);
		for (s = 0; s <= path.nsteps; s++) {
			uint32_t e = s ? kg_path_entity_after(g, &path, s - 1) : path.from;
			if (!seen[e]) {
				seen[e] = true;
				json_entity(&j, g, e);
			}
		}
	}
	kg_cli_json_end(&j, '}');
	kg_cli_json_key(&j, "sources");
	kg_cli_json_object(&j);
	for (i = 0; i < n; i++) {
		kg_path path = kg_paths_get(paths, i);
		for (s = 0; s < path.nsteps; s++) {
			uint32_t src = kg_relation_source(g, path.steps[s].relation);
			if (src != KG_NONE && !cited[src]) {
				cited[src] = true;
				json_source(&j, g, src);
			}
		}
	}
	kg_cli_json_end(&j, '}');
	kg_cli_json_end(&j, '}');
	free(seen);
	free(cited);
	return EXIT_OK;
}

/* ---- the command --------------------------------------------------- */

int kg_cli_path_check(kg_cli_path_args *p, const kg_cli_query *q)
{
	if (p->modes > 1)
		return kg_cli_usage_error("%s: choose one of --all-shortest, -k and --all", q->cmd);
	if (p->opts.mode == KG_PATHS_ALL && !p->has_max_hops)
		return kg_cli_usage_error("%s: --all needs --max-hops N (at most %d), to bound the search", q->cmd,
		                          KG_MAX_PATH_HOPS);
	if (p->opts.mode == KG_PATHS_ALL && p->opts.weight)
		return kg_cli_usage_error("%s: --weight finds the lightest paths; it cannot be used with --all", q->cmd);
	/* -k N asks for N paths: let it have them unless --limit says otherwise. */
	if (p->has_k && !p->has_limit && p->opts.k > KG_DEFAULT_PATH_LIMIT)
		p->opts.limit = p->opts.k;
	return EXIT_OK;
}

int kg_cli_find_paths(kg_paths **out, const kg_graph *g, uint32_t from, uint32_t to, kg_cli_path_args *p,
                      const kg_cli_query *q)
{
	kg_diag_list *diags = kg_diag_list_new();
	bool directed = p->opts.filter.directed;
	int rc, code = EXIT_OK;

	*out = NULL;
	if (!diags)
		return kg_cli_out_of_memory();
	p->opts.filter = q->filter;
	p->opts.filter.directed = directed;
	/* A path starts and ends where it was asked to: --avoid applies to
	 * the entities in between. Say so rather than ignore it silently. */
	for (size_t i = 0; i < q->filter.navoid; i++)
		if (q->filter.avoid[i] == from || q->filter.avoid[i] == to) {
			kg_cli_buf msg = {0};
			kg_cli_puts(&msg, "kgraph: warning: --avoid names ");
			kg_cli_put_clean(&msg, kg_entity_name(g, q->filter.avoid[i]));
			kg_cli_puts(&msg, ", an end of the path; only the entities in between are avoided");
			if (!msg.failed)
				fprintf(stderr, "%s\n", msg.p);
			kg_cli_buf_free(&msg);
		}
	rc = kg_query_paths(out, g, from, to, &p->opts, diags);
	if (rc == KG_EINVALID) {
		kg_diag_list_read_source_lines(diags);
		kg_cli_print_diags(stderr, diags, false);
		code = EXIT_INVALID;
	} else if (rc == KG_ENOMEM) {
		code = kg_cli_out_of_memory();
	} else if (rc != KG_OK) {
		code = kg_cli_usage_error("%s: %s", q->cmd, kg_strerror(rc));
	} else if (kg_paths_count(*out) == 0) {
		kg_cli_buf msg = {0};
		kg_cli_puts(&msg, "kgraph: no path from ");
		kg_cli_put_clean(&msg, kg_entity_name(g, from));
		kg_cli_puts(&msg, " to ");
		kg_cli_put_clean(&msg, kg_entity_name(g, to));
		if (!msg.failed)
			fprintf(stderr, "%s\n", msg.p);
		kg_cli_buf_free(&msg);
		code = EXIT_NO_RESULT;
	}
	kg_diag_list_free(diags);
	if (code != EXIT_OK) {
		kg_paths_free(*out);
		*out = NULL;
	}
	return code;
}

/* The path options, then --db and --graph. */
typedef struct path_db_args {
	kg_cli_path_args *p;
	kg_cli_db_args d;
} path_db_args;

static int path_or_db_arg(void *ctx, kg_cli_query *q, int argc, char **argv, int *i, int *code)
{
	path_db_args *a = ctx;
	int m = kg_cli_db_arg(&a->d, argc, argv, i, "path", code);

	return m ? m : kg_cli_path_arg(a->p, q, argc, argv, i, code);
}

int kg_cli_cmd_path(int argc, char **argv)
{
	kg_cli_query q;
	kg_cli_path_args p;
	kg_cli_render_args ra;
	kg_graph *g = NULL;
	kg_paths *paths = NULL;
	kg_cli_buf out = {.stream = stdout};
	uint32_t from, to;
	path_db_args pd = {&p, {NULL, NULL}};
	int code = EXIT_OK;

	kg_cli_path_args_init(&p);
	kg_cli_render_args_init(&ra, false);
	if (!kg_cli_query_init(&q, "path", kg_cli_path_help, KG_CLI_OPT_FILTERS, argc)) {
		code = kg_cli_out_of_memory();
		goto done;
	}
	if (kg_cli_query_parse(&q, argc, argv, path_or_db_arg, &pd, kg_cli_render_arg, &ra, &code) < 0)
		goto done;
	if ((code = kg_cli_db_check(&pd.d, "path")) != EXIT_OK)
		goto done;
	if (pd.d.url && (q.nargs != 2 || p.modes || p.opts.weight || ra.output)) {
		code = kg_cli_usage_error(q.nargs != 2 ? "path: with --db, give FROM and TO and no FILE"
		                                       : "path: with --db, one shortest path only (no --all-shortest, -k, "
		                                         "--all, --weight or -o)");
		goto done;
	}
	if (!pd.d.url && q.nargs < 3) {
		code = kg_cli_usage_error("path: needs FROM, TO and at least one FILE (see 'kgraph path --help')");
		goto done;
	}
	if ((code = kg_cli_path_check(&p, &q)) != EXIT_OK || (code = kg_cli_query_finish_args(&q)) != EXIT_OK ||
	    (code = kg_cli_render_check(&ra, &q)) != EXIT_OK)
		goto done;

	if (pd.d.url)
		code = kg_cli_db_path_graph(&g, &pd.d, &q, &p.opts);
	else
		code = kg_cli_load(&g, q.args + 2, q.nargs - 2);
	if (code != EXIT_OK)
		goto done;
	if ((code = kg_cli_resolve_entity(&from, g, q.args[0], NULL)) != EXIT_OK ||
	    (code = kg_cli_resolve_entity(&to, g, q.args[1], NULL)) != EXIT_OK ||
	    (code = kg_cli_query_resolve(&q, g)) != EXIT_OK)
		goto done;
	if ((code = kg_cli_find_paths(&paths, g, from, to, &p, &q)) != EXIT_OK)
		goto done;
	if (ra.output) {
		/* -o FILE: draw the answer instead of printing it. */
		ra.ro.paths = paths;
		code = kg_cli_render_write(g, &ra, &q, q.args + 2, q.nargs - 2);
		goto done;
	}
	if (q.format == KG_CLI_TEXT)
		render_text(&out, g, &q, &p, paths);
	else if (q.format == KG_CLI_TSV)
		render_tsv(&out, g, paths);
	else if ((code = render_json(&out, g, &p, paths, from, to)) != EXIT_OK)
		goto done;
	code = kg_cli_buf_flush(&out, EXIT_OK);
	/* After the paths, so that a terminal shows it below them. */
	if (code == EXIT_OK && kg_paths_gave_up(paths))
		fprintf(stderr, "kgraph: stopped after exploring %d branches (KG_MAX_PATH_WORK), with %zu path%s; "
		        "there may be more: narrow the question with --max-hops, --rel or --through\n",
		        KG_MAX_PATH_WORK, kg_paths_count(paths), kg_paths_count(paths) == 1 ? "" : "s");
	else if (code == EXIT_OK && kg_paths_truncated(paths))
		fprintf(stderr, "kgraph: stopped at %zu path%s (--limit)\n", kg_paths_count(paths),
		        kg_paths_count(paths) == 1 ? "" : "s");
done:
	kg_cli_buf_free(&out);
	kg_paths_free(paths);
	kg_cli_render_args_free(&ra);
	kg_graph_free(g);
	kg_cli_query_free(&q);
	return code;
}
