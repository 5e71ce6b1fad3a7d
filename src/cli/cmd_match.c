/*
 * cmd_match.c - `kgraph match QUERY FILE...`: a pattern question in the
 * Cypher subset of kgraph/match.h, answered as an aligned table, TSV or
 * JSON, or drawn with -o.
 *
 * Pipeline position: cli, on the public API only. The query's mistakes
 * come back as diagnostics located in the query ("query:1:27") and are
 * printed like the loader's. Exit 1 when the pattern matched nothing
 * (a count is still printed, as 0). Drawing the answer is draw_opts.c's,
 * as for `kgraph path -o`: the matched entities and relations are drawn
 * alone, or with --context highlighted in the whole graph.
 */
#define _POSIX_C_SOURCE 200809L
#include "draw_opts.h"
#include "print.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const kg_cli_option opt_output = {.key = KG_OPT_OUTPUT, .name = "--output", .short_name = 'o', .arg = "OUT",
	.kind = KG_CLI_FILE,
	.help = "draw the matched entities and relations into OUT\ninstead of printing the rows (its extension picks\n"
	        "the format); '-' writes to standard output"};
static const kg_cli_option opt_context = {.key = KG_OPT_CONTEXT, .name = "--context",
	.help = "draw the whole graph with the answer highlighted,\nnot the answer alone"};

static const kg_cli_option *const output_opts[] = {&kg_cli_opt_as_of, &kg_cli_opt_format, &kg_cli_opt_color,
	&kg_cli_opt_include_path, &kg_cli_opt_cache, &kg_cli_opt_help, NULL};
static const kg_cli_option *const drawing_opts[] = {&opt_output, &kg_cli_opt_t, &opt_context, &kg_cli_opt_engine,
	&kg_cli_opt_rankdir, &kg_cli_opt_theme, &kg_cli_opt_label, &kg_cli_opt_no_edge_labels, &kg_cli_opt_edge_dates,
	&kg_cli_opt_legend, &kg_cli_opt_no_legend, &kg_cli_opt_no_title, &kg_cli_opt_cluster_by, &kg_cli_opt_dpi,
	&kg_cli_opt_timeout, NULL};
static const kg_cli_group groups[] = {
	{"Options", output_opts},
	{"Drawing the answer (as 'kgraph render' draws)", drawing_opts},
	{NULL, NULL}};
static const char *const examples[] = {
	"kgraph match 'MATCH (p:person)-[:decided]->(d:decision) RETURN p.name, d.name' "
	"graphs/ukraine-long-range-strikes-2024.yaml",
	"kgraph match 'MATCH (d:decision) RETURN count(*) AS decisions' graphs/ukraine-long-range-strikes-2024.yaml",
	"kgraph match 'MATCH (p:person)-[:decided]->(d:decision) RETURN p, d' -T dot -o - "
	"graphs/ukraine-long-range-strikes-2024.yaml",
	NULL};

static int run(int argc, char **argv);

const kg_cli_command kg_cli_match_command = {
	.name = "match",
	.summary = "pattern questions in a subset of Cypher (MATCH ... RETURN)",
	.usage = "[OPTIONS] QUERY FILE...",
	.description =
		"Answer a pattern question written in a subset of Cypher (docs/match.md):\n"
		"  MATCH (a:person)-[:decided]->(d:decision) WHERE d.date >= \"2024-05\"\n"
		"  RETURN a.name, d.name ORDER BY d.date\n"
		"MATCH patterns: (v:type1|type2 {key: value}), -[r:t1|t2]->, <-[...]-, -[...]-,\n"
		"-[:t*1..3]-> (the upper bound is required, at most 16). WHERE: = <> < <= > >=,\n"
		"AND OR NOT, IN [...], STARTS WITH, ENDS WITH, CONTAINS, IS [NOT] NULL, lower().\n"
		"RETURN: AS, DISTINCT, count(*), count(x), ORDER BY [DESC], SKIP, LIMIT.\n"
		"Without ORDER BY, rows come in the order of the matched items in the files.",
	.groups = groups,
	.exit_status = "0 something matched, 1 nothing did, 2 invalid input (a graph\n"
	               "error, a mistake in the query), 3 usage error, 4 a file could not be read\n"
	               "or written.",
	.examples = examples,
	.run = run};

/* ---- one cell -------------------------------------------------------- */

/* A relation as "from —label→ to": entities by id, the type by its label. */
static void put_relation(kg_cli_buf *b, const kg_graph *g, uint32_t rel)
{
	kg_cli_put_clean(b, kg_entity_id(g, kg_relation_from(g, rel)));
	kg_cli_puts(b, " ");
	kg_cli_put_arrow(b, g, rel, true);
	kg_cli_puts(b, " ");
	kg_cli_put_clean(b, kg_entity_id(g, kg_relation_to(g, rel)));
}

/* A value as text: entities by id, relations as arrows, null as "". */
static void put_value(kg_cli_buf *b, const kg_graph *g, const kg_match_value *v)
{
	char date[11];
	size_t i;

	switch (v->kind) {
	case KG_MATCH_STRING: kg_cli_put_clean(b, v->string); break;
	case KG_MATCH_NUMBER: kg_cli_put_number(b, v->number); break;
	case KG_MATCH_DATE: kg_cli_puts(b, kg_date_format(date, v->date)); break;
	case KG_MATCH_ENTITY: kg_cli_put_clean(b, kg_entity_id(g, v->index)); break;
	case KG_MATCH_RELATION: put_relation(b, g, v->index); break;
	case KG_MATCH_RELATIONS:
		for (i = 0; i < v->nrelations; i++) {
			if (i)
				kg_cli_puts(b, ", ");
			put_relation(b, g, v->relations[i]);
		}
		break;
	default: break;
	}
}

static void json_relation(kg_cli_json *j, const kg_graph *g, uint32_t rel)
{
	kg_cli_json_object(j);
	kg_cli_json_kstring(j, "from", kg_entity_id(g, kg_relation_from(g, rel)));
	kg_cli_json_kstring(j, "type", kg_relation_type_name(g, kg_relation_type(g, rel)));
	kg_cli_json_kstring(j, "to", kg_entity_id(g, kg_relation_to(g, rel)));
	kg_cli_json_evidence(j, g, rel);
	kg_cli_json_end(j, '}');
}

static void json_value(kg_cli_json *j, const kg_graph *g, const kg_match_value *v)
{
	char date[11];
	size_t i;

	switch (v->kind) {
	case KG_MATCH_STRING: kg_cli_json_string(j, v->string); break;
	case KG_MATCH_NUMBER: kg_cli_json_number(j, v->number); break;
	case KG_MATCH_DATE: kg_cli_json_string(j, kg_date_format(date, v->date)); break;
	case KG_MATCH_ENTITY:
		kg_cli_json_object(j);
		kg_cli_json_kstring(j, "id", kg_entity_id(g, v->index));
		kg_cli_json_kstring(j, "name", kg_entity_name(g, v->index));
		kg_cli_json_kstring(j, "type", kg_type_name(g, kg_entity_type(g, v->index)));
		kg_cli_json_end(j, '}');
		break;
	case KG_MATCH_RELATION: json_relation(j, g, v->index); break;
	case KG_MATCH_RELATIONS:
		kg_cli_json_array(j);
		for (i = 0; i < v->nrelations; i++)
			json_relation(j, g, v->relations[i]);
		kg_cli_json_end(j, ']');
		break;
	default: kg_cli_json_null(j); break;
	}
}

/* ---- the answer ------------------------------------------------------ */

static void print_text(kg_cli_buf *out, const kg_graph *g, const kg_match_result *r)
{
	size_t nc = kg_match_column_count(r), row, c;
	const char **cells = calloc(nc ? nc : 1, sizeof *cells);
	kg_cli_buf *vals = calloc(nc ? nc : 1, sizeof *vals);
	kg_cli_table t;
	int pass;

	if (!cells || !vals) {
		out->failed = true;
		free(cells);
		free(vals);
		return;
	}
	/* Two passes over the rows, the first to measure the columns: the
	 * table never holds the answer. */
	kg_cli_table_init(&t, nc, NULL, out, "", 0);
	for (pass = 0; pass < 2; pass++) {
		kg_cli_table_pass(&t, pass);
		for (c = 0; c < nc; c++)
			cells[c] = kg_match_column_name(r, c);
		kg_cli_table_row(&t, cells);
		for (row = 0; row < kg_match_row_count(r); row++) {
			for (c = 0; c < nc; c++) {
				kg_match_value v = kg_match_get(r, row, c);
				vals[c].len = 0;
				put_value(&vals[c], g, &v);
				kg_cli_put(&vals[c], "", 1); /* the NUL, counted out again below */
				vals[c].len--;
				out->failed |= vals[c].failed;
				cells[c] = vals[c].failed ? "" : vals[c].p;
			}
			kg_cli_table_row(&t, cells);
		}
	}
	kg_cli_table_free(&t);
	for (c = 0; c < nc; c++)
		kg_cli_buf_free(&vals[c]);
	free(vals);
	free(cells);
}

static void print_tsv(kg_cli_buf *out, const kg_graph *g, const kg_match_result *r)
{
	size_t nc = kg_match_column_count(r), row, c;

	for (c = 0; c < nc; c++) {
		kg_cli_puts(out, c ? "\t" : "");
		kg_cli_put_clean(out, kg_match_column_name(r, c));
	}
	kg_cli_puts(out, "\n");
	for (row = 0; row < kg_match_row_count(r); row++) {
		for (c = 0; c < nc; c++) {
			kg_match_value v = kg_match_get(r, row, c);
			kg_cli_puts(out, c ? "\t" : "");
			put_value(out, g, &v);
		}
		kg_cli_puts(out, "\n");
	}
}

static void print_json(kg_cli_buf *out, const kg_graph *g, const kg_match_result *r)
{
	size_t nc = kg_match_column_count(r), row, c;
	kg_cli_json j;

	kg_cli_json_init(&j, out);
	kg_cli_json_object(&j);
	kg_cli_json_key(&j, "columns");
	kg_cli_json_array(&j);
	for (c = 0; c < nc; c++)
		kg_cli_json_string(&j, kg_match_column_name(r, c));
	kg_cli_json_end(&j, ']');
	kg_cli_json_key(&j, "rows");
	kg_cli_json_array(&j);
	for (row = 0; row < kg_match_row_count(r); row++) {
		kg_cli_json_array(&j);
		for (c = 0; c < nc; c++) {
			kg_match_value v = kg_match_get(r, row, c);
			json_value(&j, g, &v);
		}
		kg_cli_json_end(&j, ']');
	}
	kg_cli_json_end(&j, ']');
	kg_cli_json_kuint(&j, "matches", kg_match_binding_count(r));
	kg_cli_json_end(&j, '}');
	kg_cli_puts(out, "\n");
}

/* Run the query; print its diagnostics. An exit code. */
static int run_query(kg_match_result **out, const kg_graph *g, const char *text, kg_date as_of)
{
	kg_match_options mo = KG_MATCH_OPTIONS_INIT;
	kg_diag_list *diags = kg_diag_list_new();
	int rc;

	if (!diags)
		return kg_cli_out_of_memory();
	mo.as_of = as_of;
	rc = kg_match(out, g, text, &mo, diags);
	kg_cli_print_diags(stderr, diags, false);
	kg_diag_list_free(diags);
	if (rc == KG_ENOMEM)
		return kg_cli_out_of_memory();
	return rc == KG_OK ? EXIT_OK : EXIT_INVALID;
}

static int run(int argc, char **argv)
{
	kg_cli_query q;
	kg_cli_draw_args ra;
	kg_graph *g = NULL;
	kg_match_result *r = NULL;
	kg_cli_buf out = {.stream = stdout};
	kg_cli_parser ps;
	kg_cli_arg a;
	bool context = false;
	int rc, code = EXIT_OK;

	kg_cli_draw_args_init(&ra);
	if (!kg_cli_query_init(&q, "match", argc)) {
		code = kg_cli_out_of_memory();
		goto done;
	}
	kg_cli_parser_init(&ps, &kg_cli_match_command, argc, argv);
	while ((rc = kg_cli_next(&ps, &a, &code)) > 0) {
		if (a.opt && a.opt->key == KG_OPT_CONTEXT)
			context = true;
		else if ((code = kg_cli_query_take(&q, &a)) == KG_CLI_PASS)
			code = kg_cli_draw_take(&ra, &a);
		if (code != EXIT_OK)
			goto done;
	}
	if (rc < 0)
		goto done;
	if (q.nargs < 2) {
		code = kg_cli_usage_error("match: needs a QUERY and at least one FILE (see 'kgraph match --help')");
		goto done;
	}
	if ((code = kg_cli_query_finish_args(&q)) != EXIT_OK || (code = kg_cli_draw_check(&ra, &q, false)) != EXIT_OK)
		goto done;
	if ((code = kg_cli_load(&g, q.args + 1, q.nargs - 1, q.include_paths, q.ninclude_paths)) != EXIT_OK ||
	    (code = kg_cli_check_output(g, q.cmd, ra.output)) != EXIT_OK)
		goto done;
	if ((code = kg_cli_query_resolve(&q, g)) != EXIT_OK || (code = run_query(&r, g, q.args[0], q.as_of)) != EXIT_OK)
		goto done;
	if (ra.output) {
		if (kg_match_binding_count(r) == 0) {
			fprintf(stderr, "kgraph: nothing matched; nothing to draw\n");
			code = EXIT_NO_RESULT;
			goto done;
		}
		ra.ro.entities = kg_match_entities(r, &ra.ro.nentities);
		ra.ro.relations = kg_match_relations(r, &ra.ro.nrelations);
		ra.ro.path_only = !context;
		code = kg_cli_draw_write(g, &ra, &q);
		goto done;
	}
	if (q.format == KG_CLI_TEXT)
		print_text(&out, g, r);
	else if (q.format == KG_CLI_TSV)
		print_tsv(&out, g, r);
	else
		print_json(&out, g, r);
	code = kg_cli_buf_flush(&out, kg_match_binding_count(r) ? EXIT_OK : EXIT_NO_RESULT);
	if (code == EXIT_NO_RESULT)
		fprintf(stderr, "kgraph: nothing matched\n");
done:
	kg_cli_buf_free(&out);
	kg_match_free(r);
	kg_graph_free(g);
	kg_cli_query_free(&q);
	return code;
}
