/*
 * show.c - `kgraph show ENTITY FILE...` (one entity's card) and
 * `kgraph list FILE...` (entities, or relations, one a line).
 *
 * Both read the graph through graph.h only; list --relations filters
 * with kg_filter_admits so that --rel and --as-of mean exactly what they
 * mean for path and neighbors.
 */
#define _POSIX_C_SOURCE 200809L
#include "query_opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char kg_cli_show_help[] =
	"Usage: kgraph show [OPTIONS] ENTITY FILE...\n"
	"\n"
	"Show ENTITY (an id, name or alias, in any case): its id, type, name,\n"
	"aliases and attributes, then its relations grouped by direction\n"
	"(outgoing: as written from ENTITY; incoming: towards it) and relation type,\n"
	"each with the other entity, the date and the source.\n"
	"\n"
	"Options:\n"
	"      --format FORMAT    text (default), tsv or json\n"
	"      --color WHEN       auto (default), always or never\n"
	"  -h, --help             show this help\n"
	"\n"
	"Exit status: 0 shown, 2 invalid input (an unknown name), 3 usage error,\n"
	"4 a file could not be read.\n"
	"\n"
	"Examples:\n"
	"  kgraph show biden graphs/ukraine-long-range-strikes-2024.yaml\n"
	"  kgraph show --format json 'Storm Shadow' graphs/ukraine-long-range-strikes-2024.yaml\n";

const char kg_cli_list_help[] =
	"Usage: kgraph list [OPTIONS] FILE...\n"
	"\n"
	"List the entities one a line: id, type, name. With --relations, list the\n"
	"relations instead: from, type, to, date, source.\n"
	"\n"
	"Options:\n"
	"      --type TYPE,...    only entities of these types\n"
	"      --relations        list relations, not entities\n"
	"      --rel TYPE,...     (with --relations) only relations of these types\n"
	"      --exclude-rel TYPE,...  (with --relations) no relations of these types\n"
	"      --as-of DATE       (with --relations) only relations valid on DATE\n"
	"      --format FORMAT    text (default), tsv or json\n"
	"      --color WHEN       auto (default), always or never\n"
	"  -h, --help             show this help\n"
	"\n"
	"Exit status: 0 listed some, 1 nothing matched, 2 invalid input,\n"
	"3 usage error, 4 a file could not be read.\n"
	"\n"
	"Examples:\n"
	"  kgraph list graphs/ukraine-long-range-strikes-2024.yaml\n"
	"  kgraph list --type weapon,decision --format tsv graphs/ukraine-long-range-strikes-2024.yaml\n"
	"  kgraph list --relations --rel met_with,visited graphs/ukraine-long-range-strikes-2024.yaml\n";

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

static void show_text(kg_cli_buf *b, const kg_graph *g, const kg_cli_style *st, uint32_t e, const uint32_t *rels,
                      size_t nout, size_t nin)
{
	const char *rel_colors[5];
	kg_cli_table t;
	size_t i, n;
	char date[11];
	kg_location at = kg_entity_location(g, e);

	kg_cli_puts(b, st->entity);
	kg_cli_put_clean(b, kg_entity_name(g, e));
	kg_cli_puts(b, st->off);
	kg_cli_puts(b, "\n");
	kg_cli_table_init(&t, 2, NULL);
	kg_cli_table_row(&t, (const char *const[]){"id:", kg_entity_id(g, e)});
	kg_cli_table_row(&t, (const char *const[]){"type:", kg_type_name(g, kg_entity_type(g, e))});
	n = kg_entity_alias_count(g, e);
	for (i = 0; i < n; i++)
		kg_cli_table_row(&t, (const char *const[]){i ? "" : "aliases:", kg_entity_alias(g, e, i)});
	n = kg_entity_attr_count(g, e);
	for (i = 0; i < n; i++) {
		kg_attr a = kg_entity_attr(g, e, i);
		bool cont = i && a.in_list && kg_entity_attr(g, e, i - 1).in_list &&
		            strcmp(kg_entity_attr(g, e, i - 1).key, a.key) == 0;
		kg_cli_buf key = {0};
		kg_cli_puts(&key, a.key);
		kg_cli_puts(&key, ":");
		kg_cli_table_row(&t, (const char *const[]){cont ? "" : key.p, a.value});
		if (key.failed)
			b->failed = true;
		kg_cli_buf_free(&key);
	}
	if (at.file) {
		kg_cli_buf where = {0};
		kg_cli_puts(&where, at.file);
		if (at.line)
			kg_cli_printf(&where, ":%u", at.line);
		kg_cli_table_row(&t, (const char *const[]){"defined at:", where.p});
		if (where.failed)
			b->failed = true;
		kg_cli_buf_free(&where);
	}
	kg_cli_table_put(b, &t, st->off, 2);

	rel_colors[0] = st->rel;
	rel_colors[1] = st->entity;
	rel_colors[2] = st->dim;
	rel_colors[3] = "";
	rel_colors[4] = st->dim;
	for (i = 0; i < 2; i++) {
		size_t from = i ? nout : 0, to = i ? nout + nin : nout, r;
		if (from == to)
			continue;
		kg_cli_puts(b, "\n");
		kg_cli_puts(b, st->head);
		kg_cli_puts(b, i ? "incoming:" : "outgoing:");
		kg_cli_puts(b, st->off);
		kg_cli_puts(b, "\n");
		kg_cli_table_init(&t, 5, rel_colors);
		for (r = from; r < to; r++) {
			uint32_t rel = rels[r], src = kg_relation_source(g, rel);
			uint32_t other = i ? kg_relation_from(g, rel) : kg_relation_to(g, rel);
			bool same = r > from && kg_relation_type(g, rels[r - 1]) == kg_relation_type(g, rel);
			kg_cli_buf arrow = {0};
			kg_cli_put_arrow(&arrow, g, rel, i == 0);
			kg_cli_table_row(&t, (const char *const[]){same ? "" : arrow.p, kg_entity_name(g, other),
			                                          kg_entity_id(g, other),
			                                          kg_date_format(date, kg_relation_date(g, rel)),
			                                          src != KG_NONE ? kg_source_id(g, src) : ""});
			if (arrow.failed)
				b->failed = true;
			kg_cli_buf_free(&arrow);
		}
		kg_cli_table_put(b, &t, st->off, 2);
	}
	if (!nout && !nin)
		kg_cli_puts(b, "\nno relations\n");
}

static void tsv_row(kg_cli_buf *b, const char *kind, const char *key, const char *value, const char *date,
                    const char *source)
{
	kg_cli_puts(b, kind);
	kg_cli_puts(b, "\t");
	kg_cli_put_clean(b, key);
	kg_cli_puts(b, "\t");
	kg_cli_put_clean(b, value);
	kg_cli_puts(b, "\t");
	kg_cli_puts(b, date);
	kg_cli_puts(b, "\t");
	kg_cli_put_clean(b, source);
	kg_cli_puts(b, "\n");
}

static void show_tsv(kg_cli_buf *b, const kg_graph *g, uint32_t e, const uint32_t *rels, size_t nout, size_t nin)
{
	size_t i, n;
	char date[11];

	kg_cli_puts(b, "kind\tkey\tvalue\tdate\tsource\n");
	tsv_row(b, "id", "", kg_entity_id(g, e), "", "");
	tsv_row(b, "type", "", kg_type_name(g, kg_entity_type(g, e)), "", "");
	tsv_row(b, "name", "", kg_entity_name(g, e), "", "");
	n = kg_entity_alias_count(g, e);
	for (i = 0; i < n; i++)
		tsv_row(b, "alias", "", kg_entity_alias(g, e, i), "", "");
	n = kg_entity_attr_count(g, e);
	for (i = 0; i < n; i++) {
		kg_attr a = kg_entity_attr(g, e, i);
		tsv_row(b, "attribute", a.key, a.value, "", "");
	}
	for (i = 0; i < nout + nin; i++) {
		uint32_t rel = rels[i], src = kg_relation_source(g, rel);
		tsv_row(b, i < nout ? "outgoing" : "incoming", kg_relation_type_name(g, kg_relation_type(g, rel)),
		        kg_entity_id(g, i < nout ? kg_relation_to(g, rel) : kg_relation_from(g, rel)),
		        kg_date_format(date, kg_relation_date(g, rel)), src != KG_NONE ? kg_source_id(g, src) : "");
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
	kg_cli_json_kstring(&j, "file", at.file);
	kg_cli_json_key(&j, "line");
	if (at.line)
		kg_cli_json_uint(&j, at.line);
	else
		kg_cli_json_null(&j);
	kg_cli_json_key(&j, "outgoing");
	json_direction(&j, g, rels, nout, true);
	kg_cli_json_key(&j, "incoming");
	json_direction(&j, g, rels + nout, nin, false);
	kg_cli_json_end(&j, '}');
}

int kg_cli_cmd_show(int argc, char **argv)
{
	kg_cli_query q;
	kg_graph *g = NULL;
	kg_cli_buf out = {.stream = stdout};
	uint32_t e, *rels = NULL;
	size_t nout = 0, nin = 0;
	int code = EXIT_OK;

	if (!kg_cli_query_init(&q, "show", kg_cli_show_help, 0, argc)) {
		code = kg_cli_out_of_memory();
		goto done;
	}
	if (kg_cli_query_parse(&q, argc, argv, NULL, NULL, NULL, NULL, &code) < 0)
		goto done;
	if (q.nargs < 2) {
		code = kg_cli_usage_error("show: needs ENTITY and at least one FILE (see 'kgraph show --help')");
		goto done;
	}
	if ((code = kg_cli_query_finish_args(&q)) != EXIT_OK ||
	    (code = kg_cli_load(&g, q.args + 1, q.nargs - 1)) != EXIT_OK ||
	    (code = kg_cli_resolve_entity(&e, g, q.args[0], NULL)) != EXIT_OK)
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
 * header row, or a JSON object whose member key holds an array. */
static void begin_listing(const kg_cli_query *q, kg_cli_buf *b, kg_cli_table *t, size_t ncols,
                          const char *const *colors, const char *tsv_header, kg_cli_json *js, const char *key)
{
	if (q->format == KG_CLI_TEXT) {
		kg_cli_table_init(t, ncols, colors);
	} else if (q->format == KG_CLI_TSV) {
		kg_cli_puts(b, tsv_header);
	} else {
		kg_cli_json_init(js, b);
		kg_cli_json_object(js);
		kg_cli_json_key(js, key);
		kg_cli_json_array(js);
	}
}

static size_t list_entities(kg_cli_buf *b, const kg_graph *g, const kg_cli_query *q)
{
	const char *colors[3];
	size_t i, j, n = kg_graph_entity_count(g), found = 0;
	kg_cli_table t;
	kg_cli_json js;

	colors[0] = q->style.dim;
	colors[1] = "";
	colors[2] = q->style.entity;
	begin_listing(q, b, &t, 3, colors, "id\ttype\tname\n", &js, "entities");
	for (i = 0; i < n; i++) {
		uint32_t e = (uint32_t)i, type = kg_entity_type(g, e);
		if (!type_listed(q, type))
			continue;
		found++;
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
	if (q->format == KG_CLI_TEXT)
		kg_cli_table_put(b, &t, q->style.off, 0);
	else if (q->format == KG_CLI_JSON) {
		kg_cli_json_end(&js, ']');
		kg_cli_json_end(&js, '}');
	}
	return found;
}

static size_t list_relations(kg_cli_buf *b, const kg_graph *g, const kg_cli_query *q)
{
	const char *colors[5];
	size_t i, n = kg_graph_relation_count(g), found = 0;
	char date[11], since[11], until[11];
	kg_cli_table t;
	kg_cli_json js;

	colors[0] = q->style.entity;
	colors[1] = q->style.rel;
	colors[2] = q->style.entity;
	colors[3] = "";
	colors[4] = q->style.dim;
	begin_listing(q, b, &t, 5, colors, "from\trelation\tto\tdate\tsince\tuntil\tsource\n", &js, "relations");
	for (i = 0; i < n; i++) {
		uint32_t r = (uint32_t)i, src = kg_relation_source(g, r);
		const char *from = kg_entity_id(g, kg_relation_from(g, r)), *to = kg_entity_id(g, kg_relation_to(g, r));
		const char *type = kg_relation_type_name(g, kg_relation_type(g, r));
		const char *source = src != KG_NONE ? kg_source_id(g, src) : NULL;
		if (!kg_filter_admits(g, &q->filter, r))
			continue;
		found++;
		kg_date_format(date, kg_relation_date(g, r));
		kg_date_format(since, kg_relation_since(g, r));
		kg_date_format(until, kg_relation_until(g, r));
		if (q->format == KG_CLI_TEXT) {
			kg_cli_buf arrow = {0};
			kg_cli_put_arrow(&arrow, g, r, true);
			kg_cli_table_row(&t, (const char *const[]){from, arrow.p, to, date, source});
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
	if (q->format == KG_CLI_TEXT)
		kg_cli_table_put(b, &t, q->style.off, 0);
	else if (q->format == KG_CLI_JSON) {
		kg_cli_json_end(&js, ']');
		kg_cli_json_end(&js, '}');
	}
	return found;
}

int kg_cli_cmd_list(int argc, char **argv)
{
	kg_cli_query q;
	kg_graph *g = NULL;
	kg_cli_buf out = {.stream = stdout};
	size_t found;
	int code = EXIT_OK;

	if (!kg_cli_query_init(&q, "list", kg_cli_list_help, KG_CLI_OPT_LIST, argc)) {
		code = kg_cli_out_of_memory();
		goto done;
	}
	if (kg_cli_query_parse(&q, argc, argv, NULL, NULL, NULL, NULL, &code) < 0)
		goto done;
	if (q.nargs < 1) {
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
	    (code = kg_cli_load(&g, q.args, q.nargs)) != EXIT_OK ||
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
