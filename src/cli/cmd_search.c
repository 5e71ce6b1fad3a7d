/*
 * cmd_search.c - `kgraph search TEXT FILE...`: the entities whose id,
 * name, aliases (or attribute values) contain TEXT, best match first
 * (kg_query_search does the matching; this file only prints it).
 */
#define _POSIX_C_SOURCE 200809L
#include "db_opts.h"
#include "query_opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const kg_cli_option opt_attributes = {.key = KG_OPT_ATTRIBUTES, .name = "--attributes",
	.help = "also look in the entities' attribute values"};

static const kg_cli_option *const options[] = {&opt_attributes, &kg_cli_opt_type, &kg_cli_opt_format,
	&kg_cli_opt_color, &kg_cli_opt_include_path, &kg_cli_opt_cache, &kg_cli_opt_help, NULL};
static const kg_cli_group groups[] = {{"Options", options}, KG_CLI_DB_GROUP, {NULL, NULL}};
static const char *const examples[] = {
	"kgraph search starmer graphs/ukraine-long-range-strikes-2024.yaml",
	"kgraph search --type person --format tsv 'keir' graphs/ukraine-long-range-strikes-2024.yaml",
	NULL};

static int run(int argc, char **argv);

const kg_cli_command kg_cli_search_command = {
	.name = "search",
	.summary = "entities whose id, name or aliases contain a text",
	.usage = "[OPTIONS] TEXT FILE...",
	.description =
		"List the entities whose id, name or aliases (with --attributes, also\n"
		"attribute values) contain TEXT, ignoring case and accents: 'munchen'\n"
		"finds 'München'. Best first: the whole of a name, then its beginning,\n"
		"then the beginning of one of its words (of each of its words, for a\n"
		"TEXT of several words), then anywhere in it. Each line says which\n"
		"field matched. With --db URL --graph NAME, from the database, with the\n"
		"same answer.",
	.groups = groups,
	.exit_status = "0 found some, 1 nothing matched, 2 invalid input,\n3 usage error, 4 a file could not be read.",
	.examples = examples,
	.run = run};

static const char *const rank_names[] = {"exact", "prefix", "word", "substring"};
static const char *const field_names[] = {"id", "name", "alias", "attribute"};

/* "alias İstanbul", "attribute office: Mayor"; empty for the name or
 * id, which the row shows anyway. */
static void put_matched(kg_cli_buf *b, const kg_search_hit *h)
{
	if (h->field == KG_SEARCH_ID || h->field == KG_SEARCH_NAME)
		return;
	kg_cli_puts(b, field_names[h->field]);
	kg_cli_puts(b, " ");
	if (h->key) {
		kg_cli_put_text(b, h->key);
		kg_cli_puts(b, ": ");
	}
	kg_cli_put_text(b, h->matched);
}

static void render_text(kg_cli_buf *b, const kg_graph *g, const kg_cli_style *st, const kg_search *s)
{
	const char *colors[4] = {st->dim, "", st->entity, st->dim};
	kg_cli_table t;
	size_t i;
	int pass;

	kg_cli_table_init(&t, 4, colors, b, st->off, 0);
	for (pass = 0; pass < 2; pass++)
	for (kg_cli_table_pass(&t, pass), i = 0; i < kg_search_count(s); i++) {
		const kg_search_hit *h = kg_search_get(s, i);
		kg_cli_buf m = {0};
		put_matched(&m, h);
		kg_cli_table_row(&t, (const char *const[]){kg_entity_id(g, h->entity),
		                                          kg_type_name(g, kg_entity_type(g, h->entity)),
		                                          kg_entity_name(g, h->entity), m.p ? m.p : ""});
		if (m.failed)
			b->failed = true;
		kg_cli_buf_free(&m);
	}
	kg_cli_table_free(&t);
}

static void render_tsv(kg_cli_buf *b, const kg_graph *g, const kg_search *s)
{
	size_t i;

	kg_cli_puts(b, "id\ttype\tname\trank\tfield\tkey\tmatched\n");
	for (i = 0; i < kg_search_count(s); i++) {
		const kg_search_hit *h = kg_search_get(s, i);
		kg_cli_put_clean(b, kg_entity_id(g, h->entity));
		kg_cli_puts(b, "\t");
		kg_cli_put_clean(b, kg_type_name(g, kg_entity_type(g, h->entity)));
		kg_cli_puts(b, "\t");
		kg_cli_put_clean(b, kg_entity_name(g, h->entity));
		kg_cli_printf(b, "\t%s\t%s\t", rank_names[h->rank], field_names[h->field]);
		kg_cli_put_clean(b, h->key);
		kg_cli_puts(b, "\t");
		kg_cli_put_clean(b, h->matched);
		kg_cli_puts(b, "\n");
	}
}

static void render_json(kg_cli_buf *b, const kg_graph *g, const char *text, const kg_search *s)
{
	kg_cli_json j;
	size_t i;

	kg_cli_json_init(&j, b);
	kg_cli_json_object(&j);
	kg_cli_json_kstring(&j, "query", text);
	kg_cli_json_key(&j, "entities");
	kg_cli_json_array(&j);
	for (i = 0; i < kg_search_count(s); i++) {
		const kg_search_hit *h = kg_search_get(s, i);
		kg_cli_json_object(&j);
		kg_cli_json_kstring(&j, "id", kg_entity_id(g, h->entity));
		kg_cli_json_kstring(&j, "type", kg_type_name(g, kg_entity_type(g, h->entity)));
		kg_cli_json_kstring(&j, "name", kg_entity_name(g, h->entity));
		kg_cli_json_kstring(&j, "rank", rank_names[h->rank]);
		kg_cli_json_kstring(&j, "field", field_names[h->field]);
		kg_cli_json_kstring(&j, "key", h->key);
		kg_cli_json_kstring(&j, "matched", h->matched);
		kg_cli_json_end(&j, '}');
	}
	kg_cli_json_end(&j, ']');
	kg_cli_json_end(&j, '}');
}

static int run(int argc, char **argv)
{
	kg_cli_query q;
	kg_search_options opts = KG_SEARCH_OPTIONS_INIT;
	kg_graph *g = NULL;
	kg_search *s = NULL;
	kg_cli_buf out = {.stream = stdout};
	kg_cli_parser ps;
	kg_cli_arg a;
	kg_cli_db_args d = {NULL, NULL};
	int r, rc, code = EXIT_OK;

	if (!kg_cli_query_init(&q, "search", argc)) {
		code = kg_cli_out_of_memory();
		goto done;
	}
	kg_cli_parser_init(&ps, &kg_cli_search_command, argc, argv);
	while ((r = kg_cli_next(&ps, &a, &code)) > 0) {
		if (a.opt && a.opt->key == KG_OPT_ATTRIBUTES)
			opts.attributes = true;
		else if ((code = kg_cli_query_take(&q, &a)) == KG_CLI_PASS)
			code = kg_cli_db_take(&d, &a);
		if (code != EXIT_OK)
			goto done;
	}
	if (r < 0)
		goto done;
	/* From the database: the entities that may match, folded at push; the
	 * search below runs on them unchanged, so ranks and order are the
	 * files'. */
	if ((code = kg_cli_db_check(&d, &q, 1, "TEXT")) != EXIT_OK || (code = kg_cli_query_finish_args(&q)) != EXIT_OK ||
	    (code = d.url ? kg_cli_db_search_graph(&g, &d, &q, &opts)
	                  : kg_cli_load(&g, q.args + 1, q.nargs - 1, q.include_paths, q.ninclude_paths)) != EXIT_OK ||
	    (code = kg_cli_query_resolve(&q, g)) != EXIT_OK)
		goto done;
	opts.types = q.type_ids;
	opts.ntypes = q.ntype_ids;
	rc = kg_query_search(&s, g, q.args[0], &opts);
	if (rc == KG_ENOMEM) {
		code = kg_cli_out_of_memory();
		goto done;
	} else if (rc != KG_OK) {
		code = kg_cli_usage_error("search: TEXT '%s' has no letter or digit to look for", q.args[0]);
		goto done;
	}
	if (kg_search_count(s) == 0) {
		kg_cli_buf msg = {0};
		kg_cli_puts(&msg, "kgraph: no entity matches '");
		kg_cli_put_text(&msg, q.args[0]);
		kg_cli_puts(&msg, "'");
		if (!msg.failed)
			fprintf(stderr, "%s\n", msg.p);
		kg_cli_buf_free(&msg);
		code = EXIT_NO_RESULT;
		goto done;
	}
	if (q.format == KG_CLI_TEXT)
		render_text(&out, g, &q.style, s);
	else if (q.format == KG_CLI_TSV)
		render_tsv(&out, g, s);
	else
		render_json(&out, g, q.args[0], s);
	code = kg_cli_buf_flush(&out, EXIT_OK);
done:
	kg_cli_buf_free(&out);
	kg_search_free(s);
	kg_graph_free(g);
	kg_cli_query_free(&q);
	return code;
}
