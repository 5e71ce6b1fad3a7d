/*
 * cmd_list.c - `kgraph list FILE...`: the entities, or the relations,
 * one a line. list --relations filters with kg_filter_admits so that
 * --rel and --as-of mean exactly what they mean for path and neighbors.
 * With --db the graph is the rows listed, fetched from the database.
 */
#define _POSIX_C_SOURCE 200809L
#include "db_opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const kg_cli_option opt_relations = {.key = KG_OPT_RELATIONS, .name = "--relations",
	.help = "list relations, not entities"};
static const kg_cli_option opt_rel = {.key = KG_OPT_REL, .name = "--rel", .arg = "TYPE,...", .kind = KG_CLI_NAMES,
	.help = "(with --relations) only relations of these types"};
static const kg_cli_option opt_exclude_rel = {.key = KG_OPT_EXCLUDE_REL, .name = "--exclude-rel",
	.arg = "TYPE,...", .kind = KG_CLI_NAMES, .help = "(with --relations) no relations of these types"};
static const kg_cli_option opt_as_of = {.key = KG_OPT_AS_OF, .name = "--as-of", .arg = "DATE", .kind = KG_CLI_DATE,
	.help = "(with --relations) only relations valid on DATE"};

static const kg_cli_option *const options[] = {&kg_cli_opt_type, &opt_relations, &opt_rel, &opt_exclude_rel,
	&opt_as_of, &kg_cli_opt_format, &kg_cli_opt_color, &kg_cli_opt_include_path, &kg_cli_opt_cache, &kg_cli_opt_help, NULL};
static const kg_cli_group groups[] = {{"Options", options}, KG_CLI_DB_GROUP, {NULL, NULL}};
static const char *const examples[] = {
	"kgraph list graphs/ukraine-long-range-strikes-2024.yaml",
	"kgraph list --type weapon,decision --format tsv graphs/ukraine-long-range-strikes-2024.yaml",
	"kgraph list --relations --rel met_with,visited graphs/ukraine-long-range-strikes-2024.yaml",
	NULL};

static int run(int argc, char **argv);

const kg_cli_command kg_cli_list_command = {
	.name = "list",
	.summary = "the entities (or, with --relations, the relations)",
	.usage = "[OPTIONS] FILE...",
	.description =
		"List the entities one a line: id, type, name. With --relations, list the\n"
		"relations instead: from, type, to, when it held (date, since, until), source.",
	.groups = groups,
	.exit_status = "0 listed some, 1 nothing matched, 2 invalid input,\n3 usage error, 4 a file could not be read or the database failed.",
	.examples = examples,
	.run = run};

/* ---- list ---------------------------------------------------------- */

static bool type_listed(const kg_cli_query *q, uint32_t type)
{
	size_t i;

	for (i = 0; i < q->ntype_ids; i++)
		if (q->type_ids[i] == type)
			return true;
	return q->ntype_ids == 0;
}

/* Start a listing in q's format: a text table of ncols columns, a TSV
 * header row, or a JSON object whose member key holds an array. Returns
 * the first pass over the items: a text table goes over them twice
 * (kg_cli_table), the other formats once. */
static int begin_listing(const kg_cli_query *q, kg_cli_buf *b, kg_cli_table *t, size_t ncols,
                         const char *const *colors, const char *tsv_header, kg_cli_json *js, const char *key)
{
	kg_cli_table_init(t, ncols, colors, b, q->style.off, 0);
	if (q->format == KG_CLI_TEXT) {
		return 0;
	} else if (q->format == KG_CLI_TSV) {
		kg_cli_puts(b, tsv_header);
	} else {
		kg_cli_json_init(js, b);
		kg_cli_json_object(js);
		kg_cli_json_key(js, key);
		kg_cli_json_array(js);
	}
	return 1;
}

/* End the listing begin_listing started. */
static void end_listing(const kg_cli_query *q, kg_cli_table *t, kg_cli_json *js)
{
	kg_cli_table_free(t);
	if (q->format == KG_CLI_JSON) {
		kg_cli_json_end(js, ']');
		kg_cli_json_end(js, '}');
	}
}

static size_t list_entities(kg_cli_buf *b, const kg_graph *g, const kg_cli_query *q)
{
	const char *colors[3];
	size_t i, j, n = kg_graph_entity_count(g), found = 0;
	kg_cli_table t;
	kg_cli_json js;
	int pass;

	colors[0] = q->style.dim;
	colors[1] = "";
	colors[2] = q->style.entity;
	pass = begin_listing(q, b, &t, 3, colors, "id\ttype\tname\n", &js, "entities");
	for (; pass < 2; pass++)
	for (kg_cli_table_pass(&t, pass), i = 0; i < n; i++) {
		uint32_t e = (uint32_t)i, type = kg_entity_type(g, e);
		if (!type_listed(q, type))
			continue;
		found += pass;
		if (q->format == KG_CLI_TEXT) {
			kg_cli_table_row(&t, (const char *const[]){kg_entity_id(g, e), kg_type_name(g, type),
			                                          kg_entity_name(g, e)});
		} else if (q->format == KG_CLI_TSV) {
			kg_cli_put_clean(b, kg_entity_id(g, e));
			kg_cli_puts(b, "\t");
			kg_cli_put_clean(b, kg_type_name(g, type));
			kg_cli_puts(b, "\t");
			kg_cli_put_clean(b, kg_entity_name(g, e));
			kg_cli_puts(b, "\n");
		} else {
			kg_cli_json_object(&js);
			kg_cli_json_kstring(&js, "id", kg_entity_id(g, e));
			kg_cli_json_kstring(&js, "type", kg_type_name(g, type));
			kg_cli_json_kstring(&js, "name", kg_entity_name(g, e));
			kg_cli_json_key(&js, "aliases");
			kg_cli_json_array(&js);
			for (j = 0; j < kg_entity_alias_count(g, e); j++)
				kg_cli_json_string(&js, kg_entity_alias(g, e, j));
			kg_cli_json_end(&js, ']');
			kg_cli_json_end(&js, '}');
		}
	}
	end_listing(q, &t, &js);
	return found;
}

static size_t list_relations(kg_cli_buf *b, const kg_graph *g, const kg_cli_query *q)
{
	const char *colors[5];
	size_t i, n = kg_graph_relation_count(g), found = 0;
	char date[11], since[11], until[11], time[KG_CLI_TIME_LEN];
	kg_cli_table t;
	kg_cli_json js;
	int pass;

	colors[0] = q->style.entity;
	colors[1] = q->style.rel;
	colors[2] = q->style.entity;
	colors[3] = "";
	colors[4] = q->style.dim;
	pass = begin_listing(q, b, &t, 5, colors, "from\trelation\tto\tdate\tsince\tuntil\tsource\n", &js,
	                     "relations");
	for (; pass < 2; pass++)
	for (kg_cli_table_pass(&t, pass), i = 0; i < n; i++) {
		uint32_t r = (uint32_t)i, src = kg_relation_source(g, r);
		const char *from = kg_entity_id(g, kg_relation_from(g, r)), *to = kg_entity_id(g, kg_relation_to(g, r));
		const char *type = kg_relation_type_name(g, kg_relation_type(g, r));
		const char *source = src != KG_NONE ? kg_source_id(g, src) : NULL;
		if (!kg_filter_admits(g, &q->filter, r))
			continue;
		found += pass;
		kg_date_format(date, kg_relation_date(g, r));
		kg_date_format(since, kg_relation_since(g, r));
		kg_date_format(until, kg_relation_until(g, r));
		if (q->format == KG_CLI_TEXT) {
			kg_cli_buf arrow = {0};
			kg_cli_put_arrow(&arrow, g, r, true);
			kg_cli_table_row(&t, (const char *const[]){from, arrow.p, to, kg_cli_relation_time(time, g, r),
			                                          source});
			if (arrow.failed)
				b->failed = true;
			kg_cli_buf_free(&arrow);
		} else if (q->format == KG_CLI_TSV) {
			kg_cli_put_clean(b, from);
			kg_cli_puts(b, "\t");
			kg_cli_put_clean(b, type);
			kg_cli_puts(b, "\t");
			kg_cli_put_clean(b, to);
			kg_cli_printf(b, "\t%s\t%s\t%s\t", date, since, until);
			kg_cli_put_clean(b, source);
			kg_cli_puts(b, "\n");
		} else {
			kg_cli_json_object(&js);
			kg_cli_json_kstring(&js, "from", from);
			kg_cli_json_kstring(&js, "relation", type);
			kg_cli_json_kstring(&js, "to", to);
			kg_cli_json_kstring(&js, "date", *date ? date : NULL);
			kg_cli_json_kstring(&js, "since", *since ? since : NULL);
			kg_cli_json_kstring(&js, "until", *until ? until : NULL);
			kg_cli_json_kstring(&js, "source", source);
			kg_cli_json_kstring(&js, "quote", kg_relation_quote(g, r));
			kg_cli_json_end(&js, '}');
		}
	}
	end_listing(q, &t, &js);
	return found;
}

static int run(int argc, char **argv)
{
	kg_cli_query q;
	kg_graph *g = NULL;
	kg_cli_buf out = {.stream = stdout};
	size_t found;
	kg_cli_db_args d = {NULL, NULL};
	int code = EXIT_OK;

	if (!kg_cli_query_init(&q, "list", argc)) {
		code = kg_cli_out_of_memory();
		goto done;
	}
	if (!kg_cli_parse_query_db(&code, &q, &d, &kg_cli_list_command, argc, argv))
		goto done;
	if ((d.url || d.graph) && (code = kg_cli_db_check(&d, &q, 0, NULL)) != EXIT_OK)
		goto done;
	if (!d.url && q.nargs < 1) {
		code = kg_cli_usage_error("list: no FILE given (see 'kgraph list --help')");
		goto done;
	}
	if (q.relations && q.types.n) {
		code = kg_cli_usage_error("list: --type selects entities; with --relations use --rel");
		goto done;
	}
	if (!q.relations && (q.rel.n || q.exclude_rel.n || q.as_of_text)) {
		code = kg_cli_usage_error("list: --rel, --exclude-rel and --as-of select relations; add --relations");
		goto done;
	}
	if ((code = kg_cli_query_finish_args(&q)) != EXIT_OK ||
	    (code = d.url ? kg_cli_db_list_graph(&g, &d, &q)
	                  : kg_cli_load(&g, q.args, q.nargs, q.include_paths, q.ninclude_paths)) != EXIT_OK ||
	    (code = kg_cli_query_resolve(&q, g)) != EXIT_OK)
		goto done;
	found = q.relations ? list_relations(&out, g, &q) : list_entities(&out, g, &q);
	if (!found) {
		fprintf(stderr, "kgraph: no %s matched\n", q.relations ? "relation" : "entity");
		code = EXIT_NO_RESULT;
		goto done;
	}
	code = kg_cli_buf_flush(&out, EXIT_OK);
done:
	kg_cli_buf_free(&out);
	kg_graph_free(g);
	kg_cli_query_free(&q);
	return code;
}
