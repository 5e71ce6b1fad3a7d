/*
 * cmd_path.c - `kgraph path FROM TO FILE...`: how two entities connect.
 *
 * The command turns options into a kg_path_options, asks kg_query_paths,
 * and renders the answer as text (one path a line, arrows showing each
 * relation's written direction; --explain adds each step's evidence),
 * TSV (one row per step) or JSON (docs/json.md). Each path is printed as
 * soon as the search has it final (kg_path_options.on_path), so that a
 * long search shows its answers as it goes and a million paths need no
 * memory for the million. Exit 0 when a path exists, 1 when none does,
 * with nothing on stdout.
 */
#define _POSIX_C_SOURCE 200809L
#include "draw_opts.h"
#include "path_opts.h"
#include "print.h"
#include "db_opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const kg_cli_option opt_explain = {.key = KG_OPT_EXPLAIN, .name = "--explain",
	.help = "each step with its evidence: date, source, quote"};
static const kg_cli_option opt_output = {.key = KG_OPT_OUTPUT, .name = "--output", .short_name = 'o', .arg = "OUT",
	.kind = KG_CLI_FILE,
	.help = "draw the paths into OUT instead of printing them (its\nextension picks the format); '-' writes to standard\noutput. "
	        "Not with --format or --explain, which\nshape the printed answer"};
static const kg_cli_option opt_path_only = {.key = KG_OPT_PATH_ONLY, .name = "--path-only",
	.help = "draw only the path(s), not the rest of the graph faded"};

static const kg_cli_option *const which_opts[] = {&kg_cli_opt_all_shortest, &kg_cli_opt_k, &kg_cli_opt_all,
	&kg_cli_opt_max_hops, &kg_cli_opt_limit, &kg_cli_opt_directed, &kg_cli_opt_weight, NULL};
static const kg_cli_option *const time_opts[] = {&kg_cli_opt_time_respecting, &kg_cli_opt_timed_only,
	&kg_cli_opt_from_date, &kg_cli_opt_earliest, NULL};
static const kg_cli_option *const filter_opts[] = {&kg_cli_opt_rel, &kg_cli_opt_exclude_rel, &kg_cli_opt_path_through,
	&kg_cli_opt_path_avoid, &kg_cli_opt_as_of, NULL};
static const kg_cli_option *const output_opts[] = {&opt_explain, &kg_cli_opt_format, &kg_cli_opt_color, &kg_cli_opt_include_path, &kg_cli_opt_cache, &kg_cli_opt_help, NULL};
static const kg_cli_option *const drawing_opts[] = {&opt_output, &kg_cli_opt_t, &opt_path_only, &kg_cli_opt_engine,
	&kg_cli_opt_rankdir, &kg_cli_opt_theme, &kg_cli_opt_label, &kg_cli_opt_no_edge_labels, &kg_cli_opt_edge_dates,
	&kg_cli_opt_legend, &kg_cli_opt_no_legend, &kg_cli_opt_no_title, &kg_cli_opt_cluster_by, &kg_cli_opt_fit,
	&kg_cli_opt_credit, &kg_cli_opt_caption, &kg_cli_opt_dpi, &kg_cli_opt_timeout, NULL};
static const kg_cli_group groups[] = {
	{"Which paths", which_opts},
	{"Time (docs/time.md)", time_opts},
	{"Filters (combine freely; NAME,... lists may also be repeated)", filter_opts},
	KG_CLI_DB_GROUP,
	{"Output", output_opts},
	{"Drawing the paths (as 'kgraph render' draws)", drawing_opts},
	{NULL, NULL}};
static const char *const examples[] = {
	"kgraph path biden zelenskyy graphs/ukraine-long-range-strikes-2024.yaml",
	"kgraph path --all-shortest starmer atacms graphs/ukraine-long-range-strikes-2024.yaml",
	"kgraph path --explain --rel heads,serves,met_with lammy austin graphs/ukraine-long-range-strikes-2024.yaml",
	"kgraph path -k 3 --format tsv sullivan storm_shadow graphs/ukraine-long-range-strikes-2024.yaml",
	"kgraph path --time-respecting --explain starmer atacms graphs/ukraine-long-range-strikes-2024.yaml",
	"kgraph path starmer atacms --path-only -T dot -o - graphs/ukraine-long-range-strikes-2024.yaml",
	NULL};

static int run(int argc, char **argv);

const kg_cli_command kg_cli_path_command = {
	.name = "path",
	.summary = "how two entities are connected: the shortest paths between them",
	.usage = "[OPTIONS] FROM TO FILE...",
	.description =
		"Show how entity FROM connects to entity TO: by default one shortest path,\n"
		"following relations both ways. FROM and TO are ids, names or aliases, in\n"
		"any case. Each path is one line; '\xE2\x80\x94label\xE2\x86\x92' is a relation followed as written,\n"
		"'\xE2\x86\x90label\xE2\x80\x94' one followed against it, '\xE2\x80\x94label\xE2\x80\x94' a symmetric one, with the\n"
		"relation type's label: (its id is in --tsv and --json).",
	.groups = groups,
	.exit_status = "0 a path exists, 1 there is none, 2 invalid input (a graph\n"
	               "error, an unknown name), 3 usage error, 4 a file could not be read or the\n"
	               "database failed.",
	.examples = examples,
	.run = run};

/* ---- text ---------------------------------------------------------- */

static void put_entity(kg_cli_buf *b, const kg_graph *g, const kg_cli_style *st, uint32_t e)
{
	kg_cli_puts(b, st->entity);
	kg_cli_put_text(b, kg_entity_name(g, e));
	kg_cli_puts(b, st->off);
}

/* " —label→ NAME" for each step from the entity before it. */
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
static void put_evidence(kg_cli_buf *b, const kg_graph *g, const kg_cli_style *st, const char *weight, uint32_t rel)
{
	uint32_t src = kg_relation_source(g, rel);
	kg_location at = kg_relation_location(g, rel);
	const char *quote = kg_relation_quote(g, rel);
	char date[11];
	double w;

	/* The search has checked every weight already: this cannot fail. */
	if (weight && kg_relation_weight_by(&w, g, rel, weight) == KG_OK) {
		kg_cli_puts(b, "     weight: ");
		kg_cli_put_number(b, w);
		kg_cli_puts(b, "\n");
	}

	if (kg_relation_date(g, rel))
		kg_cli_printf(b, "     date:   %s\n", kg_date_format(date, kg_relation_date(g, rel)));
	if (kg_relation_since(g, rel))
		kg_cli_printf(b, "     since:  %s\n", kg_date_format(date, kg_relation_since(g, rel)));
	if (kg_relation_until(g, rel))
		kg_cli_printf(b, "     until:  %s\n", kg_date_format(date, kg_relation_until(g, rel)));
	if (src != KG_NONE) {
		const char *publisher = kg_source_publisher(g, src);
		kg_date sdate = kg_source_date(g, src);
		kg_cli_puts(b, "     source: ");
		kg_cli_puts(b, st->dim);
		kg_cli_put_text(b, kg_source_id(g, src));
		kg_cli_puts(b, st->off);
		if (kg_source_title(g, src)) {
			kg_cli_puts(b, ", ");
			kg_cli_put_text(b, kg_source_title(g, src));
		}
		if (publisher || sdate) {
			kg_cli_puts(b, " (");
			kg_cli_put_text(b, publisher);
			kg_cli_puts(b, publisher && sdate ? ", " : "");
			kg_cli_puts(b, sdate ? kg_date_format(date, sdate) : "");
			kg_cli_puts(b, ")");
		}
		kg_cli_puts(b, "\n");
	}
	if (quote) {
		kg_cli_puts(b, "     quote:  \"");
		kg_cli_put_text(b, quote);
		kg_cli_puts(b, "\"\n");
	}
	if (!kg_relation_date(g, rel) && !kg_relation_since(g, rel) && !kg_relation_until(g, rel) && src == KG_NONE &&
	    !quote)
		kg_cli_puts(b, "     (no date, source or quote given)\n");
	if (at.file) {
		kg_cli_puts(b, "     at:     ");
		kg_cli_puts(b, st->dim);
		kg_cli_put_text(b, at.file);
		if (at.line)
			kg_cli_printf(b, ":%u", at.line);
		kg_cli_puts(b, st->off);
		kg_cli_puts(b, "\n");
	}
}

/* The earliest day a path of a time-respecting search can reach its end,
 * into date; false when no step is dated (it arrives at any time). */
static bool arrival(const kg_graph *g, const kg_cli_path_args *p, const kg_path *path, char date[11])
{
	kg_date day = 0;

	if (!kg_path_time_respecting(g, path, p->opts.from_date, p->opts.timed_only, &day) || !day)
		return false;
	kg_date_format(date, day);
	return true;
}

/* One path, and with --explain each step's evidence under it. */
static void text_path(kg_cli_buf *b, const kg_graph *g, const kg_cli_query *q, const kg_cli_path_args *p,
                      bool explain, const kg_path *path, size_t i)
{
	size_t s;
	char date[11];

	if (explain && i)
		kg_cli_puts(b, "\n");
	put_entity(b, g, &q->style, path->from);
	for (s = 0; s < path->nsteps; s++)
		put_step(b, g, &q->style, &path->steps[s]);
	if (p->opts.weight) {
		kg_cli_puts(b, "  (weight ");
		kg_cli_put_number(b, path->weight);
		kg_cli_puts(b, ")");
	}
	if (p->time && arrival(g, p, path, date))
		kg_cli_printf(b, "  (arrives %s)", date);
	kg_cli_puts(b, "\n");
	for (s = 0; explain && s < path->nsteps; s++) {
		const kg_step *st = &path->steps[s];
		kg_cli_printf(b, "  %zu. ", s + 1);
		put_entity(b, g, &q->style, s ? kg_path_entity_after(g, path, s - 1) : path->from);
		put_step(b, g, &q->style, st);
		kg_cli_puts(b, "\n");
		put_evidence(b, g, &q->style, p->opts.weight, st->relation);
	}
}

/* ---- TSV ----------------------------------------------------------- */

/* The rows of path number i (from 0), the header before the first. */
static void tsv_path(kg_cli_buf *b, const kg_graph *g, const char *weight, const kg_path *path, size_t i)
{
	uint32_t at = path->from;
	size_t s;
	double w;

	if (!i)
		kg_cli_printf(b, "path\tstep\tfrom\trelation\tto\tdirection\t%s" KG_CLI_TSV_EVIDENCE "\n",
		              weight ? "weight\t" : "");
	for (s = 0; s < path->nsteps; s++) {
		uint32_t next = kg_path_entity_after(g, path, s);
		uint32_t rel = path->steps[s].relation;
		kg_cli_printf(b, "%zu\t%zu\t", i + 1, s + 1);
		kg_cli_put_clean(b, kg_entity_id(g, at));
		kg_cli_puts(b, "\t");
		kg_cli_put_clean(b, kg_relation_type_name(g, kg_relation_type(g, rel)));
		kg_cli_puts(b, "\t");
		kg_cli_put_clean(b, kg_entity_id(g, next));
		kg_cli_puts(b, "\t");
		kg_cli_puts(b, kg_cli_direction_name(path->steps[s].forward));
		/* The search has checked every weight already: this cannot fail. */
		if (weight && kg_relation_weight_by(&w, g, rel, weight) == KG_OK) {
			kg_cli_puts(b, "\t");
			kg_cli_put_number(b, w);
		}
		kg_cli_tsv_evidence(b, g, rel);
		kg_cli_puts(b, "\n");
		at = next;
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

/* The document is written as the paths come: its head with the first
 * path (no path, no document), then each path; the entities and sources
 * the paths mention, in order of first mention, are remembered as they
 * come (at most one entry per entity and source of the graph) and
 * written at the end. */
typedef struct json_paths {
	kg_cli_json j;
	bool *seen, *cited;
	uint32_t *ents, *srcs; /* in order of first mention */
	size_t nents, nsrcs;
} json_paths;

static void json_path(json_paths *jp, kg_cli_buf *b, const kg_graph *g, const kg_cli_path_args *p,
                      const kg_path *path, size_t i)
{
	kg_cli_json *j = &jp->j;
	size_t s;

	if (!i) {
		kg_cli_json_init(j, b);
		kg_cli_json_object(j);
		kg_cli_json_kstring(j, "from", kg_entity_id(g, path->from));
		kg_cli_json_kstring(j, "to", kg_entity_id(g, path->to));
		kg_cli_json_key(j, "paths");
		kg_cli_json_array(j);
	}
	kg_cli_json_object(j);
	kg_cli_json_kuint(j, "length", path->nsteps);
	kg_cli_json_key(j, "weight");
	kg_cli_json_number(j, p->opts.weight ? path->weight : (double)path->nsteps);
	if (p->time) {
		char date[11];
		kg_cli_json_kstring(j, "arrives", arrival(g, p, path, date) ? date : NULL);
	}
	kg_cli_json_key(j, "entities");
	kg_cli_json_array(j);
	for (s = 0; s <= path->nsteps; s++) {
		uint32_t e = s ? kg_path_entity_after(g, path, s - 1) : path->from;
		kg_cli_json_string(j, kg_entity_id(g, e));
		if (!jp->seen[e]) {
			jp->seen[e] = true;
			jp->ents[jp->nents++] = e;
		}
	}
	kg_cli_json_end(j, ']');
	kg_cli_json_key(j, "steps");
	kg_cli_json_array(j);
	for (s = 0; s < path->nsteps; s++) {
		uint32_t src = kg_relation_source(g, path->steps[s].relation);
		kg_cli_json_step(j, g, path->steps[s].relation, path->steps[s].forward, p->opts.weight);
		if (src != KG_NONE && !jp->cited[src]) {
			jp->cited[src] = true;
			jp->srcs[jp->nsrcs++] = src;
		}
	}
	kg_cli_json_end(j, ']');
	kg_cli_json_end(j, '}');
}

static void json_finish(json_paths *jp, const kg_graph *g, bool truncated)
{
	kg_cli_json *j = &jp->j;
	size_t i;

	kg_cli_json_end(j, ']');
	kg_cli_json_key(j, "truncated");
	kg_cli_json_bool(j, truncated);
	kg_cli_json_key(j, "entities");
	kg_cli_json_object(j);
	for (i = 0; i < jp->nents; i++)
		json_entity(j, g, jp->ents[i]);
	kg_cli_json_end(j, '}');
	kg_cli_json_key(j, "sources");
	kg_cli_json_object(j);
	for (i = 0; i < jp->nsrcs; i++)
		json_source(j, g, jp->srcs[i]);
	kg_cli_json_end(j, '}');
	kg_cli_json_end(j, '}');
}

/* ---- printing each path as it comes -------------------------------- */

typedef struct printer {
	kg_cli_buf out;
	const kg_graph *g;
	const kg_cli_query *q;
	kg_cli_path_args *p;
	bool explain;
	json_paths json;
} printer;

/* kg_path_options.on_path: print the path now, so that a long search
 * shows its answers as it finds them; stop the search once the output
 * cannot be written. */
static int print_path(const kg_path *path, void *data)
{
	printer *pr = data;
	size_t i = pr->p->handed++;

	if (pr->q->format == KG_CLI_TEXT)
		text_path(&pr->out, pr->g, pr->q, pr->p, pr->explain, path, i);
	else if (pr->q->format == KG_CLI_TSV)
		tsv_path(&pr->out, pr->g, pr->p->opts.weight, path, i);
	else
		json_path(&pr->json, &pr->out, pr->g, pr->p, path, i);
	if (pr->q->format != KG_CLI_JSON)
		kg_cli_buf_pass(&pr->out);
	return pr->out.failed || pr->out.write_failed;
}

/* ---- the command --------------------------------------------------- */

static int run(int argc, char **argv)
{
	kg_cli_query q;
	kg_cli_path_args p;
	kg_cli_draw_args ra;
	kg_graph *g = NULL;
	kg_paths *paths = NULL;
	printer pr = {.out = {.stream = stdout}};
	kg_cli_parser ps;
	kg_cli_arg a;
	uint32_t from, to;
	kg_cli_db_args d = {NULL, NULL};
	bool explain = false, format_given = false;
	int r, code = EXIT_OK;

	kg_cli_path_args_init(&p);
	kg_cli_draw_args_init(&ra);
	if (!kg_cli_query_init(&q, "path", argc)) {
		code = kg_cli_out_of_memory();
		goto done;
	}
	kg_cli_parser_init(&ps, &kg_cli_path_command, argc, argv);
	while ((r = kg_cli_next(&ps, &a, &code)) > 0) {
		format_given |= a.opt && a.opt->key == KG_OPT_FORMAT;
		if (a.opt && a.opt->key == KG_OPT_EXPLAIN)
			explain = true;
		else if ((code = kg_cli_query_take(&q, &a)) == KG_CLI_PASS &&
		         (code = kg_cli_path_take(&p, &q, &a)) == KG_CLI_PASS &&
		         (code = kg_cli_db_take(&d, &a)) == KG_CLI_PASS)
			code = kg_cli_draw_take(&ra, &a);
		if (code != EXIT_OK)
			goto done;
	}
	if (r < 0)
		goto done;
	if ((code = kg_cli_db_check(&d, &q, 2, "FROM, TO")) != EXIT_OK)
		goto done;
	/* -o draws instead of printing: taking these silently would leave
	 * the user waiting for an answer that never comes. */
	if (ra.output && (explain || format_given)) {
		code = kg_cli_usage_error("path: -o draws the paths, so %s (which shapes the printed answer) does not apply; "
		                          "drop -o to print, or run path twice",
		                          explain ? "--explain" : "--format");
		goto done;
	}
	if (d.url && (p.time || ra.output)) {
		code = kg_cli_usage_error("path: with --db, no time options or -o");
		goto done;
	}
	if ((code = kg_cli_path_check(&p, &q)) != EXIT_OK || (code = kg_cli_query_finish_args(&q)) != EXIT_OK ||
	    (code = kg_cli_draw_check(&ra, &q, false)) != EXIT_OK)
		goto done;

	code = d.url ? kg_cli_db_path_graph(&g, &d, &q, &p.opts) : kg_cli_load(&g, q.args + 2, q.nargs - 2, q.include_paths, q.ninclude_paths);
	if (code == EXIT_OK)
		code = kg_cli_check_output(g, q.cmd, ra.output);
	if (code != EXIT_OK)
		goto done;
	if ((code = kg_cli_resolve_entity(&from, g, q.args[0], NULL)) != EXIT_OK ||
	    (code = kg_cli_resolve_entity(&to, g, q.args[1], NULL)) != EXIT_OK ||
	    (code = kg_cli_query_resolve(&q, g)) != EXIT_OK)
		goto done;
	if (!ra.output) {
		/* Printed as found; only a drawing (-o) needs them all at once. */
		pr.g = g;
		pr.q = &q;
		pr.p = &p;
		pr.explain = explain;
		pr.json.seen = calloc(kg_graph_entity_count(g) + 1, 1);
		pr.json.cited = calloc(kg_graph_source_count(g) + 1, 1);
		pr.json.ents = malloc((kg_graph_entity_count(g) + 1) * sizeof *pr.json.ents);
		pr.json.srcs = malloc((kg_graph_source_count(g) + 1) * sizeof *pr.json.srcs);
		if (!pr.json.seen || !pr.json.cited || !pr.json.ents || !pr.json.srcs) {
			code = kg_cli_out_of_memory();
			goto done;
		}
		p.opts.on_path = print_path;
		p.opts.on_path_data = &pr;
	}
	if ((code = kg_cli_find_paths(&paths, g, from, to, &p, &q)) != EXIT_OK)
		goto done;
	if (ra.output) {
		/* -o FILE: draw the answer instead of printing it. */
		ra.ro.paths = paths;
		code = kg_cli_draw_write(g, &ra, &q);
		goto done;
	}
	if (q.format == KG_CLI_JSON && p.handed)
		json_finish(&pr.json, g, kg_paths_truncated(paths));
	code = kg_cli_buf_flush(&pr.out, EXIT_OK);
	/* After the paths, so that a terminal shows it below them. */
	if (code == EXIT_OK && kg_paths_gave_up(paths))
		fprintf(stderr, "kgraph: stopped after exploring %d branches (KG_MAX_PATH_WORK), with %zu path%s; "
		        "there may be more: narrow the question with --max-hops, --rel or --through\n",
		        KG_MAX_PATH_WORK, p.handed, p.handed == 1 ? "" : "s");
	else if (code == EXIT_OK && kg_paths_truncated(paths))
		fprintf(stderr, "kgraph: stopped at %zu path%s (--limit)\n", p.handed, p.handed == 1 ? "" : "s");
done:
	kg_cli_buf_free(&pr.out);
	free(pr.json.seen);
	free(pr.json.cited);
	free(pr.json.ents);
	free(pr.json.srcs);
	kg_paths_free(paths);
	
	kg_graph_free(g);
	kg_cli_query_free(&q);
	return code;
}
