/*
 * cmd_show.c - `kgraph show ENTITY FILE...`: one entity's card, as text,
 * TSV or JSON. It reads the graph through graph.h only; with --db, the
 * graph is the entity and its relations fetched from the database.
 */
#define _POSIX_C_SOURCE 200809L
#include "db_opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const kg_cli_option *const options[] = {&kg_cli_opt_format, &kg_cli_opt_color, &kg_cli_opt_include_path, &kg_cli_opt_cache, &kg_cli_opt_help, NULL};
static const kg_cli_group groups[] = {{"Options", options}, KG_CLI_DB_GROUP, {NULL, NULL}};
static const char *const examples[] = {
	"kgraph show biden graphs/ukraine-long-range-strikes-2024.yaml",
	"kgraph show --format json 'Storm Shadow' graphs/ukraine-long-range-strikes-2024.yaml",
	"kgraph show politico-2024-09 graphs/ukraine-long-range-strikes-2024.yaml",
	NULL};

static int run(int argc, char **argv);

const kg_cli_command kg_cli_show_command = {
	.name = "show",
	.summary = "one entity: its names, attributes and relations",
	.usage = "[OPTIONS] ENTITY|SOURCE-ID FILE...",
	.description =
		"Show ENTITY (an id, name or alias, in any case): its id, type, name,\n"
		"aliases and attributes, then its relations grouped by direction\n"
		"(outgoing: as written from ENTITY; incoming: towards it) and relation type,\n"
		"each with the other entity, when it held (date, since, until) and the source.\n"
		"\n"
		"A source's id, when no entity has that name, shows the source instead: its\n"
		"title, publisher, date, url, and the relations that cite it.",
	.groups = groups,
	.exit_status = "0 shown, 2 invalid input (an unknown name), 3 usage error,\n4 a file could not be read or the database failed.",
	.examples = examples,
	.run = run};

/* ---- show ---------------------------------------------------------- */

/* The relations of one direction, grouped by type: types in the order
 * they first occur among them, relations in file order within a type. */
static size_t group_by_type(uint32_t *out, const kg_graph *g, const uint32_t *rels, size_t n)
{
	size_t i, j, k = 0;

	for (i = 0; i < n; i++) {
		bool earlier = false;
		uint32_t t = kg_relation_type(g, rels[i]);
		for (j = 0; j < i && !earlier; j++)
			earlier = kg_relation_type(g, rels[j]) == t;
		if (earlier)
			continue;
		for (j = i; j < n; j++)
			if (kg_relation_type(g, rels[j]) == t)
				out[k++] = rels[j];
	}
	return k;
}

/* The entity's outgoing and incoming relations, each grouped by type,
 * in one array: *nout outgoing first, then incoming. NULL when out of
 * memory. */
static uint32_t *grouped_relations(const kg_graph *g, uint32_t e, size_t *nout, size_t *nin)
{
	const uint32_t *out = kg_graph_out(g, e, nout), *in = kg_graph_in(g, e, nin);
	uint32_t *all = malloc((*nout + *nin + 1) * sizeof *all);

	if (!all)
		return NULL;
	group_by_type(all, g, out, *nout);
	group_by_type(all + *nout, g, in, *nin);
	return all;
}

/* The rows of the entity's table: id, type, aliases, attributes, where
 * it is defined. */
static void entity_rows(kg_cli_table *t, kg_cli_buf *b, const kg_graph *g, uint32_t e)
{
	kg_location at = kg_entity_location(g, e);
	size_t i, n;

	kg_cli_table_row(t, (const char *const[]){"id:", kg_entity_id(g, e)});
	kg_cli_table_row(t, (const char *const[]){"type:", kg_type_name(g, kg_entity_type(g, e))});
	n = kg_entity_alias_count(g, e);
	for (i = 0; i < n; i++)
		kg_cli_table_row(t, (const char *const[]){i ? "" : "aliases:", kg_entity_alias(g, e, i)});
	n = kg_entity_attr_count(g, e);
	for (i = 0; i < n; i++) {
		kg_attr a = kg_entity_attr(g, e, i);
		bool cont = i && a.in_list && kg_entity_attr(g, e, i - 1).in_list &&
		            strcmp(kg_entity_attr(g, e, i - 1).key, a.key) == 0;
		kg_cli_buf key = {0};
		kg_cli_puts(&key, a.key);
		kg_cli_puts(&key, ":");
		kg_cli_table_row(t, (const char *const[]){cont ? "" : key.p, a.value});
		if (key.failed)
			b->failed = true;
		kg_cli_buf_free(&key);
	}
	if (at.file) {
		kg_cli_buf where = {0};
		kg_cli_puts(&where, at.file);
		if (at.line)
			kg_cli_printf(&where, ":%u", at.line);
		kg_cli_table_row(t, (const char *const[]){"defined at:", where.p});
		if (where.failed)
			b->failed = true;
		kg_cli_buf_free(&where);
	}
}

/* The rows of the relations rels[from..to), outgoing or incoming. */
static void relation_rows(kg_cli_table *t, kg_cli_buf *b, const kg_graph *g, const uint32_t *rels, size_t from,
                          size_t to, bool outgoing)
{
	char time[KG_CLI_TIME_LEN];
	size_t r;

	for (r = from; r < to; r++) {
		uint32_t rel = rels[r], src = kg_relation_source(g, rel);
		uint32_t other = outgoing ? kg_relation_to(g, rel) : kg_relation_from(g, rel);
		bool same = r > from && kg_relation_type(g, rels[r - 1]) == kg_relation_type(g, rel);
		kg_cli_buf arrow = {0};
		kg_cli_put_arrow(&arrow, g, rel, outgoing);
		kg_cli_table_row(t, (const char *const[]){same ? "" : arrow.p, kg_entity_name(g, other),
		                                          kg_entity_id(g, other),
		                                          kg_cli_relation_time(time, g, rel),
		                                          src != KG_NONE ? kg_source_id(g, src) : ""});
		if (arrow.failed)
			b->failed = true;
		kg_cli_buf_free(&arrow);
	}
}

static void show_text(kg_cli_buf *b, const kg_graph *g, const kg_cli_style *st, uint32_t e, const uint32_t *rels,
                      size_t nout, size_t nin)
{
	const char *rel_colors[5];
	kg_cli_table t;
	size_t i;
	int pass;

	kg_cli_puts(b, st->entity);
	kg_cli_put_text(b, kg_entity_name(g, e));
	kg_cli_puts(b, st->off);
	kg_cli_puts(b, "\n");
	kg_cli_table_init(&t, 2, NULL, b, st->off, 2);
	for (pass = 0; pass < 2; pass++) {
		kg_cli_table_pass(&t, pass);
		entity_rows(&t, b, g, e);
	}
	kg_cli_table_free(&t);

	rel_colors[0] = st->rel;
	rel_colors[1] = st->entity;
	rel_colors[2] = st->dim;
	rel_colors[3] = "";
	rel_colors[4] = st->dim;
	for (i = 0; i < 2; i++) {
		size_t from = i ? nout : 0, to = i ? nout + nin : nout;
		if (from == to)
			continue;
		kg_cli_puts(b, "\n");
		kg_cli_puts(b, st->head);
		kg_cli_puts(b, i ? "incoming:" : "outgoing:");
		kg_cli_puts(b, st->off);
		kg_cli_puts(b, "\n");
		kg_cli_table_init(&t, 5, rel_colors, b, st->off, 2);
		for (pass = 0; pass < 2; pass++) {
			kg_cli_table_pass(&t, pass);
			relation_rows(&t, b, g, rels, from, to, i == 0);
		}
		kg_cli_table_free(&t);
	}
	if (!nout && !nin)
		kg_cli_puts(b, "\nno relations\n");
}

/* A row's first three cells; a relation's row goes on with its time and
 * source (kg_cli_tsv_evidence), any other row with empty cells. */
static void tsv_row(kg_cli_buf *b, const char *kind, const char *key, const char *value)
{
	kg_cli_puts(b, kind);
	kg_cli_puts(b, "\t");
	kg_cli_put_clean(b, key);
	kg_cli_puts(b, "\t");
	kg_cli_put_clean(b, value);
}

static void tsv_plain_row(kg_cli_buf *b, const char *kind, const char *key, const char *value)
{
	tsv_row(b, kind, key, value);
	kg_cli_puts(b, "\t\t\t\t\n");
}

static void show_tsv(kg_cli_buf *b, const kg_graph *g, uint32_t e, const uint32_t *rels, size_t nout, size_t nin)
{
	size_t i, n;

	kg_cli_puts(b, "kind\tkey\tvalue\t" KG_CLI_TSV_EVIDENCE "\n");
	tsv_plain_row(b, "id", "", kg_entity_id(g, e));
	tsv_plain_row(b, "type", "", kg_type_name(g, kg_entity_type(g, e)));
	tsv_plain_row(b, "name", "", kg_entity_name(g, e));
	n = kg_entity_alias_count(g, e);
	for (i = 0; i < n; i++)
		tsv_plain_row(b, "alias", "", kg_entity_alias(g, e, i));
	n = kg_entity_attr_count(g, e);
	for (i = 0; i < n; i++) {
		kg_attr a = kg_entity_attr(g, e, i);
		tsv_plain_row(b, "attribute", a.key, a.value);
	}
	for (i = 0; i < nout + nin; i++) {
		uint32_t rel = rels[i];
		tsv_row(b, i < nout ? "outgoing" : "incoming", kg_relation_type_name(g, kg_relation_type(g, rel)),
		        kg_entity_id(g, i < nout ? kg_relation_to(g, rel) : kg_relation_from(g, rel)));
		kg_cli_tsv_evidence(b, g, rel);
		kg_cli_puts(b, "\n");
	}
}

/* Attributes as an object; a list value as an array. */
static void json_attrs(kg_cli_json *j, const kg_graph *g, uint32_t e)
{
	size_t i, n = kg_entity_attr_count(g, e);

	kg_cli_json_object(j);
	for (i = 0; i < n; i++) {
		kg_attr a = kg_entity_attr(g, e, i);
		if (!a.in_list) {
			kg_cli_json_kstring(j, a.key, a.value);
			continue;
		}
		kg_cli_json_key(j, a.key);
		kg_cli_json_array(j);
		for (; i < n; i++) {
			kg_attr x = kg_entity_attr(g, e, i);
			if (!x.in_list || strcmp(x.key, a.key) != 0)
				break;
			kg_cli_json_string(j, x.value);
		}
		i--;
		kg_cli_json_end(j, ']');
	}
	kg_cli_json_end(j, '}');
}

static void json_direction(kg_cli_json *j, const kg_graph *g, const uint32_t *rels, size_t n, bool outgoing)
{
	size_t i;

	kg_cli_json_object(j);
	for (i = 0; i < n; i++) {
		uint32_t rel = rels[i], t = kg_relation_type(g, rel);
		uint32_t other = outgoing ? kg_relation_to(g, rel) : kg_relation_from(g, rel);
		if (i == 0 || kg_relation_type(g, rels[i - 1]) != t) {
			if (i)
				kg_cli_json_end(j, ']');
			kg_cli_json_key(j, kg_relation_type_name(g, t));
			kg_cli_json_array(j);
		}
		kg_cli_json_object(j);
		kg_cli_json_kstring(j, "entity", kg_entity_id(g, other));
		kg_cli_json_kstring(j, "name", kg_entity_name(g, other));
		kg_cli_json_evidence(j, g, rel);
		kg_cli_json_end(j, '}');
	}
	if (n)
		kg_cli_json_end(j, ']');
	kg_cli_json_end(j, '}');
}

static void show_json(kg_cli_buf *b, const kg_graph *g, uint32_t e, const uint32_t *rels, size_t nout, size_t nin)
{
	size_t i, n = kg_entity_alias_count(g, e);
	kg_location at = kg_entity_location(g, e);
	kg_cli_json j;

	kg_cli_json_init(&j, b);
	kg_cli_json_object(&j);
	kg_cli_json_kstring(&j, "id", kg_entity_id(g, e));
	kg_cli_json_kstring(&j, "type", kg_type_name(g, kg_entity_type(g, e)));
	kg_cli_json_kstring(&j, "name", kg_entity_name(g, e));
	kg_cli_json_key(&j, "aliases");
	kg_cli_json_array(&j);
	for (i = 0; i < n; i++)
		kg_cli_json_string(&j, kg_entity_alias(g, e, i));
	kg_cli_json_end(&j, ']');
	kg_cli_json_key(&j, "attributes");
	json_attrs(&j, g, e);
	kg_cli_json_location(&j, at);
	kg_cli_json_key(&j, "outgoing");
	json_direction(&j, g, rels, nout, true);
	kg_cli_json_key(&j, "incoming");
	json_direction(&j, g, rels + nout, nin, false);
	kg_cli_json_end(&j, '}');
}

/* ---- a source: SOURCE-ID names no entity ---------------------------- */

/* The relations that cite source s, in file order. */
static void source_relation_rows(kg_cli_table *t, kg_cli_buf *b, const kg_graph *g, uint32_t s)
{
	char time[KG_CLI_TIME_LEN];
	size_t r, n = kg_graph_relation_count(g);

	for (r = 0; r < n; r++) {
		uint32_t rel = (uint32_t)r;
		kg_cli_buf arrow = {0};
		if (kg_relation_source(g, rel) != s)
			continue;
		kg_cli_put_arrow(&arrow, g, rel, true);
		kg_cli_table_row(t, (const char *const[]){kg_entity_id(g, kg_relation_from(g, rel)), arrow.p,
		                                          kg_entity_id(g, kg_relation_to(g, rel)),
		                                          kg_cli_relation_time(time, g, rel),
		                                          kg_relation_quote(g, rel) ? "quoted" : ""});
		if (arrow.failed)
			b->failed = true;
		kg_cli_buf_free(&arrow);
	}
}

static void source_text(kg_cli_buf *b, const kg_graph *g, const kg_cli_style *st, uint32_t s)
{
	const char *colors[5];
	char date[11];
	kg_location at = kg_source_location(g, s);
	size_t n = kg_source_cite_count(g, s);
	kg_cli_table t;
	int pass;

	kg_cli_puts(b, st->entity);
	kg_cli_put_text(b, kg_source_title(g, s) ? kg_source_title(g, s) : kg_source_id(g, s));
	kg_cli_puts(b, st->off);
	kg_cli_puts(b, "\n");
	kg_cli_table_init(&t, 2, NULL, b, st->off, 2);
	for (pass = 0; pass < 2; pass++) {
		kg_cli_buf where = {0};
		kg_cli_table_pass(&t, pass);
		kg_cli_table_row(&t, (const char *const[]){"source:", kg_source_id(g, s)});
		if (kg_source_publisher(g, s))
			kg_cli_table_row(&t, (const char *const[]){"publisher:", kg_source_publisher(g, s)});
		if (kg_source_date(g, s))
			kg_cli_table_row(&t, (const char *const[]){"date:", kg_date_format(date, kg_source_date(g, s))});
		if (kg_source_url(g, s))
			kg_cli_table_row(&t, (const char *const[]){"url:", kg_source_url(g, s)});
		if (kg_source_file(g, s))
			kg_cli_table_row(&t, (const char *const[]){"text in:", kg_source_file(g, s)});
		if (at.file) {
			kg_cli_puts(&where, at.file);
			if (at.line)
				kg_cli_printf(&where, ":%u", at.line);
			kg_cli_table_row(&t, (const char *const[]){"defined at:", where.p});
		}
		if (where.failed)
			b->failed = true;
		kg_cli_buf_free(&where);
	}
	kg_cli_table_free(&t);
	if (!n) {
		kg_cli_puts(b, "\ncited by no relation\n");
		return;
	}
	kg_cli_printf(b, "\n%scited by %zu relation%s:%s\n", st->head, n, n == 1 ? "" : "s", st->off);
	colors[0] = st->entity;
	colors[1] = st->rel;
	colors[2] = st->entity;
	colors[3] = "";
	colors[4] = st->dim;
	kg_cli_table_init(&t, 5, colors, b, st->off, 2);
	for (pass = 0; pass < 2; pass++) {
		kg_cli_table_pass(&t, pass);
		source_relation_rows(&t, b, g, s);
	}
	kg_cli_table_free(&t);
}

/* TSV: the relations citing the source, with their evidence. */
static void source_tsv(kg_cli_buf *b, const kg_graph *g, uint32_t s)
{
	size_t r, n = kg_graph_relation_count(g);

	kg_cli_puts(b, "from\trelation\tto\t" KG_CLI_TSV_EVIDENCE "\n");
	for (r = 0; r < n; r++) {
		uint32_t rel = (uint32_t)r;
		if (kg_relation_source(g, rel) != s)
			continue;
		kg_cli_put_clean(b, kg_entity_id(g, kg_relation_from(g, rel)));
		kg_cli_puts(b, "\t");
		kg_cli_put_clean(b, kg_relation_type_name(g, kg_relation_type(g, rel)));
		kg_cli_puts(b, "\t");
		kg_cli_put_clean(b, kg_entity_id(g, kg_relation_to(g, rel)));
		kg_cli_tsv_evidence(b, g, rel);
		kg_cli_puts(b, "\n");
	}
}

static void source_json(kg_cli_buf *b, const kg_graph *g, uint32_t s)
{
	size_t r, n = kg_graph_relation_count(g);
	kg_location at = kg_source_location(g, s);
	char date[11];
	kg_cli_json j;

	kg_cli_json_init(&j, b);
	kg_cli_json_object(&j);
	kg_cli_json_kstring(&j, "source", kg_source_id(g, s));
	kg_cli_json_kstring(&j, "title", kg_source_title(g, s));
	kg_cli_json_kstring(&j, "publisher", kg_source_publisher(g, s));
	kg_cli_json_kstring(&j, "date", kg_source_date(g, s) ? kg_date_format(date, kg_source_date(g, s)) : NULL);
	kg_cli_json_kstring(&j, "url", kg_source_url(g, s));
	kg_cli_json_kstring(&j, "text_file", kg_source_file(g, s));
	kg_cli_json_location(&j, at);
	kg_cli_json_key(&j, "cited_by");
	kg_cli_json_array(&j);
	for (r = 0; r < n; r++)
		if (kg_relation_source(g, (uint32_t)r) == s)
			kg_cli_json_step(&j, g, (uint32_t)r, true, NULL);
	kg_cli_json_end(&j, ']');
	kg_cli_json_end(&j, '}');
}

/* The source with this id when no entity has that name; KG_NONE else. */
static uint32_t source_asked(const kg_graph *g, const char *text)
{
	uint32_t e;
	const uint32_t *cand = NULL;
	size_t ncand = 0;

	if (kg_graph_find_source(g, text) == KG_NONE || kg_graph_resolve(&e, &cand, &ncand, g, text) != KG_ENOTFOUND)
		return KG_NONE;
	return kg_graph_find_source(g, text);
}

static int run(int argc, char **argv)
{
	kg_cli_query q;
	kg_graph *g = NULL;
	kg_cli_buf out = {.stream = stdout};
	uint32_t e, *rels = NULL;
	size_t nout = 0, nin = 0;
	kg_cli_db_args d = {NULL, NULL};
	int code = EXIT_OK;

	if (!kg_cli_query_init(&q, "show", argc)) {
		code = kg_cli_out_of_memory();
		goto done;
	}
	if (!kg_cli_parse_query_db(&code, &q, &d, &kg_cli_show_command, argc, argv))
		goto done;
	if ((code = kg_cli_db_check(&d, &q, 1, "ENTITY")) != EXIT_OK || (code = kg_cli_query_finish_args(&q)) != EXIT_OK)
		goto done;
	code = d.url ? kg_cli_db_show_graph(&g, &d, &q)
	             : kg_cli_load(&g, q.args + 1, q.nargs - 1, q.include_paths, q.ninclude_paths);
	if (code != EXIT_OK)
		goto done;
	if ((e = source_asked(g, q.args[0])) != KG_NONE) {
		if (q.format == KG_CLI_TEXT)
			source_text(&out, g, &q.style, e);
		else if (q.format == KG_CLI_TSV)
			source_tsv(&out, g, e);
		else
			source_json(&out, g, e);
		code = kg_cli_buf_flush(&out, EXIT_OK);
		goto done;
	}
	if ((code = kg_cli_resolve_entity(&e, g, q.args[0], NULL)) != EXIT_OK)
		goto done;
	rels = grouped_relations(g, e, &nout, &nin);
	if (!rels) {
		code = kg_cli_out_of_memory();
		goto done;
	}
	if (q.format == KG_CLI_TEXT)
		show_text(&out, g, &q.style, e, rels, nout, nin);
	else if (q.format == KG_CLI_TSV)
		show_tsv(&out, g, e, rels, nout, nin);
	else
		show_json(&out, g, e, rels, nout, nin);
	code = kg_cli_buf_flush(&out, EXIT_OK);
done:
	free(rels);
	kg_cli_buf_free(&out);
	kg_graph_free(g);
	kg_cli_query_free(&q);
	return code;
}

