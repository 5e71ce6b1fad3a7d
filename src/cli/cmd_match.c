/*
 * cmd_match.c - `kgraph match QUERY FILE...`: a pattern question in the
 * Cypher subset of kgraph/match.h, answered as an aligned table, TSV or
 * JSON, or drawn with -o.
 *
 * Pipeline position: cli, on the public API only. The query's mistakes
 * come back as diagnostics located in the query ("query:1:27") and are
 * printed like the loader's. Exit 1 when the pattern matched nothing
 * (a count is still printed, as 0).
 *
 * This file is self-contained (its help, options and output) so that it
 * moves unchanged into the option-table layout of the CLI.
 */
#include "cli.h"
#include "print.h"
#include "query_opts.h"
#include "render_cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char kg_cli_match_help[] =
	"Usage: kgraph match [OPTIONS] QUERY FILE...\n"
	"\n"
	"Answer a pattern question written in a subset of Cypher (docs/match.md):\n"
	"  MATCH (a:person)-[:decided]->(d:decision) WHERE d.date >= \"2024-05\"\n"
	"  RETURN a.name, d.name ORDER BY d.date\n"
	"MATCH patterns: (v:type1|type2 {key: value}), -[r:t1|t2]->, <-[...]-, -[...]-,\n"
	"-[:t*1..3]-> (the upper bound is required, at most 16). WHERE: = <> < <= > >=,\n"
	"AND OR NOT, IN [...], STARTS WITH, ENDS WITH, CONTAINS, IS [NOT] NULL, lower().\n"
	"RETURN: AS, DISTINCT, count(*), count(x), ORDER BY [DESC], SKIP, LIMIT.\n"
	"Without ORDER BY, rows come in the order of the matched items in the files.\n"
	"\n"
	"Options:\n"
	"      --as-of DATE       only relations valid on DATE (since/until)\n"
	"      --format FORMAT    text (default), tsv or json\n"
	"      --color WHEN       auto (default), always or never\n"
	"  -o FILE                draw the matched entities and relations instead\n"
	"                         (.svg, .png, .pdf, .dot; '-' with -T FORMAT)\n"
	"  -T FORMAT              svg, png, pdf or dot\n"
	"      --context          draw the whole graph with the answer highlighted\n"
	"  -h, --help             show this help\n"
	"\n"
	"Exit status: 0 something matched, 1 nothing did, 2 invalid input (a graph\n"
	"error, a mistake in the query), 3 usage error, 4 a file could not be read\n"
	"or written.\n"
	"\n"
	"Examples:\n"
	"  kgraph match 'MATCH (p:person)-[:decided]->(d:decision) RETURN p.name, d.name' "
	"graphs/ukraine-long-range-strikes-2024.yaml\n"
	"  kgraph match 'MATCH (d:decision) RETURN count(*) AS decisions' graphs/ukraine-long-range-strikes-2024.yaml\n";

typedef struct match_args {
	bool context;
} match_args;

static int match_arg(void *ctx, kg_cli_query *q, int argc, char **argv, int *i, int *code)
{
	match_args *m = ctx;
	const char *v = NULL;
	int r;

	*code = EXIT_OK;
	if (strcmp(argv[*i], "--context") == 0) {
		m->context = true;
		return 1;
	}
	if ((r = kg_cli_long_opt(argc, argv, i, "--as-of", &v)) != 0) {
		if (r < 0) {
			*code = kg_cli_usage_error("match: --as-of needs a date (see 'kgraph match --help')");
			return -1;
		}
		if (kg_date_parse(&q->as_of, v, strlen(v)) != KG_OK) {
			*code = kg_cli_input_error("write it as YYYY, YYYY-MM or YYYY-MM-DD",
			                           "--as-of '%.40s' is not a valid date", v);
			return -1;
		}
		q->as_of_text = v;
		return 1;
	}
	return 0;
}

/* ---- one cell -------------------------------------------------------- */

/* A relation as "from —type→ to", by ids. */
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

	if (!cells || !vals) {
		out->failed = true;
		free(cells);
		free(vals);
		return;
	}
	kg_cli_table_init(&t, nc, NULL);
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
	kg_cli_table_put(out, &t, "", 0);
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

int kg_cli_cmd_match(int argc, char **argv)
{
	kg_cli_query q;
	kg_cli_render_args ra;
	match_args ma = {false};
	kg_graph *g = NULL;
	kg_match_result *r = NULL;
	kg_cli_buf out = {.stream = stdout};
	int code = EXIT_OK;

	kg_cli_render_args_init(&ra, false);
	if (!kg_cli_query_init(&q, "match", kg_cli_match_help, 0, argc)) {
		code = kg_cli_out_of_memory();
		goto done;
	}
	if (kg_cli_query_parse(&q, argc, argv, match_arg, &ma, kg_cli_render_arg, &ra, &code) < 0)
		goto done;
	if (q.nargs < 2) {
		code = kg_cli_usage_error("match: needs a QUERY and at least one FILE (see 'kgraph match --help')");
		goto done;
	}
	if ((code = kg_cli_query_finish_args(&q)) != EXIT_OK || (code = kg_cli_render_check(&ra, &q)) != EXIT_OK)
		goto done;
	if ((code = kg_cli_load(&g, q.args + 1, q.nargs - 1)) != EXIT_OK)
		goto done;
	if ((code = run_query(&r, g, q.args[0], q.as_of)) != EXIT_OK)
		goto done;
	if (ra.output) {
		if (kg_match_binding_count(r) == 0) {
			fprintf(stderr, "kgraph: nothing matched; nothing to draw\n");
			code = EXIT_NO_RESULT;
			goto done;
		}
		ra.ro.entities = kg_match_entities(r, &ra.ro.nentities);
		ra.ro.relations = kg_match_relations(r, &ra.ro.nrelations);
		ra.ro.path_only = !ma.context;
		q.filter.as_of = q.as_of;
		code = kg_cli_render_write(g, &ra, &q, q.args + 1, q.nargs - 1);
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
	kg_cli_render_args_free(&ra);
	kg_graph_free(g);
	kg_cli_query_free(&q);
	return code;
}
