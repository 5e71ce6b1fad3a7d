/*
 * test_export.c - the export module (kgraph/export.h): the YAML export
 * loads back into the same graph (every entity, relation, attribute,
 * date, source and quote compared through the public API), output larger
 * than a chunk streams in pieces that add up to the whole, a writer that
 * stops fails the export, and bad options are refused. The other formats
 * are read back by their real consumers in tests/export/consumers.py.
 */
#include "test_common.h"

#include <math.h>

#define ROOT KGRAPH_TEST_DATA "/../.."

typedef struct sink {
	char *data;
	size_t len, calls;
	long stop_after; /* fail the call after this many; -1 = never */
} sink;

static int to_sink(void *ctx, const char *part, const void *data, size_t len)
{
	sink *s = ctx;
	(void)part;
	if (s->stop_after >= 0 && (long)s->calls >= s->stop_after)
		return -1;
	s->data = realloc(s->data, s->len + len + 1);
	assert_non_null(s->data);
	memcpy(s->data + s->len, data, len);
	s->len += len;
	s->data[s->len] = '\0';
	s->calls++;
	return 0;
}

static int export_to(sink *s, const kg_graph *g, kg_export_format f, const kg_render_selection *sel)
{
	kg_export_options o = KG_EXPORT_OPTIONS_INIT;
	memset(s, 0, sizeof *s);
	s->stop_after = -1;
	o.format = f;
	o.selection = sel;
	o.write = to_sink;
	o.write_ctx = s;
	return kg_export(g, &o, NULL);
}

static kg_graph *load_file(const char *path)
{
	kg_graph *g = NULL;
	kg_diag_list *d = kg_diag_list_new();
	const char *paths[] = {path};
	assert_int_equal(kg_load_files(&g, paths, 1, test_load_options(), d), KG_OK);
	kg_diag_list_free(d);
	return g;
}

static void same_text(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void same_attrs(size_t na, size_t nb, kg_attr (*get)(const kg_graph *, uint32_t, size_t), const kg_graph *a,
                       uint32_t ia, const kg_graph *b, uint32_t ib)
{
	size_t i;
	assert_int_equal(na, nb);
	for (i = 0; i < na; i++) {
		kg_attr x = get(a, ia, i), y = get(b, ib, i);
		assert_string_equal(x.key, y.key);
		assert_string_equal(x.value, y.value);
		assert_int_equal(x.in_list, y.in_list);
	}
}

/* Everything a graph says, compared by id (and relations in order). */
static void same_graph(const kg_graph *a, const kg_graph *b)
{
	size_t i, j;

	same_text(kg_graph_title(a), kg_graph_title(b));
	same_text(kg_graph_description(a), kg_graph_description(b));
	assert_int_equal(kg_graph_type_count(a), kg_graph_type_count(b));
	for (i = 0; i < kg_graph_type_count(a); i++) {
		uint32_t t = (uint32_t)i, u = kg_graph_find_type(b, kg_type_name(a, t));
		assert_int_equal(u, t);
		assert_string_equal(kg_type_label(a, t), kg_type_label(b, u));
		same_attrs(kg_type_attr_count(a, t), kg_type_attr_count(b, u), kg_type_attr, a, t, b, u);
	}
	for (i = 0; i < kg_graph_relation_type_count(a); i++) {
		uint32_t t = (uint32_t)i, u = kg_graph_find_relation_type(b, kg_relation_type_name(a, t));
		assert_int_not_equal(u, KG_NONE);
		assert_string_equal(kg_relation_type_label(a, t), kg_relation_type_label(b, u));
		assert_int_equal(kg_relation_type_is_symmetric(a, t), kg_relation_type_is_symmetric(b, u));
		assert_int_equal(kg_relation_type_is_declared(a, t), kg_relation_type_is_declared(b, u));
		assert_int_equal(kg_relation_type_from_count(a, t), kg_relation_type_from_count(b, u));
		for (j = 0; j < kg_relation_type_from_count(a, t); j++)
			assert_int_equal(kg_relation_type_from(a, t, j), kg_relation_type_from(b, u, j));
		assert_int_equal(kg_relation_type_to_count(a, t), kg_relation_type_to_count(b, u));
		for (j = 0; j < kg_relation_type_to_count(a, t); j++)
			assert_int_equal(kg_relation_type_to(a, t, j), kg_relation_type_to(b, u, j));
		same_attrs(kg_relation_type_attr_count(a, t), kg_relation_type_attr_count(b, u), kg_relation_type_attr, a,
		           t, b, u);
	}
	assert_int_equal(kg_graph_source_count(a), kg_graph_source_count(b));
	for (i = 0; i < kg_graph_source_count(a); i++) {
		uint32_t s = (uint32_t)i, t = kg_graph_find_source(b, kg_source_id(a, s));
		assert_int_equal(t, s);
		same_text(kg_source_title(a, s), kg_source_title(b, t));
		same_text(kg_source_publisher(a, s), kg_source_publisher(b, t));
		same_text(kg_source_url(a, s), kg_source_url(b, t));
		assert_int_equal(kg_source_date(a, s), kg_source_date(b, t));
		assert_int_equal(kg_source_file(a, s) != NULL, kg_source_file(b, t) != NULL);
		same_attrs(kg_source_attr_count(a, s), kg_source_attr_count(b, t), kg_source_attr, a, s, b, t);
	}
	assert_int_equal(kg_graph_entity_count(a), kg_graph_entity_count(b));
	for (i = 0; i < kg_graph_entity_count(a); i++) {
		uint32_t e = (uint32_t)i, f = kg_graph_find_entity(b, kg_entity_id(a, e));
		assert_int_equal(f, e);
		assert_string_equal(kg_type_name(a, kg_entity_type(a, e)), kg_type_name(b, kg_entity_type(b, f)));
		assert_string_equal(kg_entity_name(a, e), kg_entity_name(b, f));
		assert_int_equal(kg_entity_alias_count(a, e), kg_entity_alias_count(b, f));
		for (j = 0; j < kg_entity_alias_count(a, e); j++)
			assert_string_equal(kg_entity_alias(a, e, j), kg_entity_alias(b, f, j));
		same_attrs(kg_entity_attr_count(a, e), kg_entity_attr_count(b, f), kg_entity_attr, a, e, b, f);
	}
	assert_int_equal(kg_graph_relation_count(a), kg_graph_relation_count(b));
	for (i = 0; i < kg_graph_relation_count(a); i++) {
		uint32_t r = (uint32_t)i, sa = kg_relation_source(a, r), sb = kg_relation_source(b, r);
		double wa = NAN, wb = NAN;
		assert_int_equal(kg_relation_from(a, r), kg_relation_from(b, r));
		assert_int_equal(kg_relation_to(a, r), kg_relation_to(b, r));
		assert_string_equal(kg_relation_type_name(a, kg_relation_type(a, r)),
		                    kg_relation_type_name(b, kg_relation_type(b, r)));
		assert_int_equal(kg_relation_date(a, r), kg_relation_date(b, r));
		assert_int_equal(kg_relation_since(a, r), kg_relation_since(b, r));
		assert_int_equal(kg_relation_until(a, r), kg_relation_until(b, r));
		assert_int_equal(sa, sb);
		same_text(kg_relation_quote(a, r), kg_relation_quote(b, r));
		assert_int_equal(kg_relation_weight(a, r, &wa), kg_relation_weight(b, r, &wb));
		if (!isnan(wa))
			assert_true(wa == wb);
		same_attrs(kg_relation_attr_count(a, r), kg_relation_attr_count(b, r), kg_relation_attr, a, r, b, r);
	}
}

static void round_trip(const char *path)
{
	kg_graph *a = load_file(path), *b = NULL;
	kg_diag_list *d = kg_diag_list_new();
	sink s;

	assert_int_equal(export_to(&s, a, KG_EXPORT_YAML, NULL), KG_OK);
	if (kg_load_string(&b, "export.yaml", s.data, s.len, test_load_options(), d) != KG_OK)
		fail_msg("the YAML export of %s does not load:\n%s", path, s.data);
	assert_int_equal(kg_diag_list_count_severity(d, KG_SEV_ERROR), 0);
	same_graph(a, b);
	kg_graph_free(a);
	kg_graph_free(b);
	kg_diag_list_free(d);
	free(s.data);
}

static void test_export__yaml_round_trip_hostile(void **state)
{
	(void)state;
	round_trip(KGRAPH_TEST_DATA "/export/hostile.yaml");
}

static void test_export__yaml_round_trip_shipped(void **state)
{
	(void)state;
	round_trip(ROOT "/graphs/ukraine-long-range-strikes-2024.yaml");
	round_trip(ROOT "/examples/council.yaml");
	round_trip(ROOT "/examples/multi-file/main.yaml");
}

/* A part exported as YAML is a valid graph with just that part. */
static void test_export__yaml_selection_is_valid(void **state)
{
	kg_graph *a = load_file(ROOT "/graphs/ukraine-long-range-strikes-2024.yaml"), *b = NULL;
	kg_render_options ro = KG_RENDER_OPTIONS_INIT;
	kg_render_selection sel;
	uint32_t focus = kg_graph_find_entity(a, "joe_biden");
	sink s;

	(void)state;
	ro.focus = &focus;
	ro.nfocus = 1;
	assert_int_equal(kg_render_select(&sel, a, &ro, NULL), KG_OK);
	assert_true(sel.nentities > 1 && sel.nentities < kg_graph_entity_count(a));
	assert_int_equal(export_to(&s, a, KG_EXPORT_YAML, &sel), KG_OK);
	assert_int_equal(kg_load_string(&b, "part.yaml", s.data, s.len, test_load_options(), NULL), KG_OK);
	assert_int_equal(kg_graph_entity_count(b), sel.nentities);
	assert_int_equal(kg_graph_relation_count(b), sel.nrelations);
	kg_render_selection_free(&sel);
	kg_graph_free(a);
	kg_graph_free(b);
	free(s.data);
}

/* Output larger than a chunk arrives in several calls, all of it. */
static void test_export__streams_in_chunks(void **state)
{
	char *yaml = NULL;
	size_t len = 0, cap = 0, i;
	kg_graph *g = NULL;
	sink s, whole;
	int format;

	(void)state;
	for (i = 0; i < 3000; i++) {
		char line[160];
		int n = snprintf(line, sizeof line, "%s  e%zu: {type: person, name: \"Entity number %zu, <&>\"}\n",
		                 i ? "" : "entities:\n", i, i);
		if (len + (size_t)n + 1 > cap) {
			cap = (cap + (size_t)n + 1) * 2;
			yaml = realloc(yaml, cap);
			assert_non_null(yaml);
		}
		memcpy(yaml + len, line, (size_t)n + 1);
		len += (size_t)n;
	}
	assert_int_equal(kg_load_string(&g, "big.yaml", yaml, len, test_load_options(), NULL), KG_OK);
	for (format = KG_EXPORT_JSON; format <= KG_EXPORT_FTM; format++) {
		assert_int_equal(export_to(&s, g, (kg_export_format)format, NULL), KG_OK);
		assert_true(s.len > 64 * 1024);
		assert_true(s.calls > 1);
		/* a writer that stops gets KG_EIO */
		memset(&whole, 0, sizeof whole);
		whole.stop_after = 1;
		{
			kg_export_options o = KG_EXPORT_OPTIONS_INIT;
			o.format = (kg_export_format)format;
			o.write = to_sink;
			o.write_ctx = &whole;
			if (kg_export(g, &o, NULL) != KG_EIO)
				fail_msg("format %s did not stop", kg_export_format_name(o.format));
		}
		free(whole.data);
		free(s.data);
	}
	kg_graph_free(g);
	free(yaml);
}

static void test_export__bad_options(void **state)
{
	kg_graph *g = load_file(KGRAPH_TEST_DATA "/export/hostile.yaml");
	kg_export_options o = KG_EXPORT_OPTIONS_INIT;
	kg_render_selection sel;
	uint32_t bad = 1000;
	kg_export_format f;
	sink s;

	(void)state;
	assert_int_equal(kg_export(g, &o, NULL), KG_EARG); /* no writer */
	memset(&sel, 0, sizeof sel);
	sel.entities = &bad;
	sel.nentities = 1;
	assert_int_equal(export_to(&s, g, KG_EXPORT_JSON, &sel), KG_EARG);
	assert_int_equal(kg_export_format_from_name(&f, "GraphML"), KG_OK);
	assert_int_equal(f, KG_EXPORT_GRAPHML);
	assert_int_equal(kg_export_format_from_name(&f, "xls"), KG_EARG);
	assert_true(kg_export_format_is_folder(KG_EXPORT_NEO4J));
	assert_false(kg_export_format_is_folder(KG_EXPORT_TTL));
	kg_graph_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_export__yaml_round_trip_hostile),
		cmocka_unit_test(test_export__yaml_round_trip_shipped),
		cmocka_unit_test(test_export__yaml_selection_is_valid),
		cmocka_unit_test(test_export__streams_in_chunks),
		cmocka_unit_test(test_export__bad_options),
	};
	return cmocka_run_group_tests_name("export", tests, NULL, NULL);
}
