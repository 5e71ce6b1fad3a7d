/* test_lib.c - the library as a program embedding it sees it: the version
 * macros and kg_version, options structs that carry their version, and
 * numbers read the same in any locale. */
#include "test_common.h"

#include <locale.h>

static void test_lib__version_macros_agree_with_the_library(void **state)
{
	char s[32];
	(void)state;
	snprintf(s, sizeof s, "%d.%d.%d", KG_VERSION_MAJOR, KG_VERSION_MINOR, KG_VERSION_PATCH);
	assert_string_equal(s, KG_VERSION_STRING);
	assert_string_equal(kg_version(), KG_VERSION_STRING);
	assert_int_equal(KG_VERSION_NUMBER, KG_VERSION_MAJOR * 10000 + KG_VERSION_MINOR * 100 + KG_VERSION_PATCH);
	assert_true(KG_VERSION_CHECK(0, 0, 0));
	assert_true(KG_VERSION_CHECK(KG_VERSION_MAJOR, KG_VERSION_MINOR, KG_VERSION_PATCH));
	assert_false(KG_VERSION_CHECK(KG_VERSION_MAJOR, KG_VERSION_MINOR, KG_VERSION_PATCH + 1));
	assert_false(KG_VERSION_CHECK(KG_VERSION_MAJOR + 1, 0, 0));
}

/* An options struct of an unknown version (newer than the library, or
 * never initialised) is refused before anything else is looked at. */
static void test_lib__options_of_an_unknown_version_are_refused(void **state)
{
	kg_load_options lo = KG_LOAD_OPTIONS_INIT;
	kg_path_options po = KG_PATH_OPTIONS_INIT;
	kg_neighbor_options no = KG_NEIGHBOR_OPTIONS_INIT;
	kg_render_options ro = KG_RENDER_OPTIONS_INIT;
	const char *yaml = "entities:\n  a: {type: person}\n  b: {type: person}\nrelations:\n  - [a, met, b]\n";
	unsigned char *data;
	size_t len;
	kg_paths *p;
	kg_neighbors *n;
	kg_diag_list *d;
	kg_graph *g;
	unsigned bad[] = {0, 3}; /* 3: newer than every options struct here */
	size_t i;
	(void)state;

	assert_int_equal(lo.version, KG_LOAD_OPTIONS_VERSION);
	assert_int_equal(load_text(&g, &d, yaml), KG_OK);
	ro.format = KG_RENDER_DOT;
	for (i = 0; i < 2; i++) {
		kg_graph *g2 = (kg_graph *)1;
		lo.version = po.version = no.version = ro.version = bad[i];
		assert_int_equal(kg_load_string(&g2, "t.yaml", yaml, strlen(yaml), &lo, d), KG_EARG);
		assert_null(g2);
		assert_int_equal(kg_query_paths(&p, g, 0, 1, &po, NULL), KG_EARG);
		assert_null(p);
		assert_int_equal(kg_query_neighbors(&n, g, 0, &no), KG_EARG);
		assert_null(n);
		assert_int_equal(kg_render(&data, &len, g, &ro, NULL), KG_EARG);
		assert_null(data);
	}
	lo.version = po.version = no.version = ro.version = 1;
	assert_int_equal(kg_query_paths(&p, g, 0, 1, &po, NULL), KG_OK);
	assert_int_equal(kg_paths_count(p), 1);
	kg_paths_free(p);
	assert_int_equal(kg_render(&data, &len, g, &ro, NULL), KG_OK);
	kg_render_free(data);
	kg_graph_free(g);
	kg_diag_list_free(d);
}

/* A program that sets a locale whose decimal point is a comma still gets
 * "2.5" read as two and a half, and written back with a point. Skipped
 * when de_DE.UTF-8 is not installed (scripts/setup generates it). */
static void test_lib__numbers_do_not_depend_on_the_locale(void **state)
{
	const char *yaml = "entities:\n  a: {type: person}\n  b: {type: person}\n"
	                   "relations:\n  - [a, met, b, {weight: 2.5, cost: 0.25}]\n";
	kg_render_options ro = KG_RENDER_OPTIONS_INIT;
	unsigned char *dot;
	size_t len;
	kg_diag_list *d;
	kg_graph *g;
	double w;
	char check[8];
	(void)state;

	if (!setlocale(LC_ALL, "de_DE.UTF-8"))
		skip();
	/* The locale really is in force for this process's own printf. */
	snprintf(check, sizeof check, "%.1f", 2.5);
	assert_string_equal(check, "2,5");
	assert_int_equal(load_text(&g, &d, yaml), KG_OK);
	assert_true(kg_relation_weight(g, 0, &w));
	assert_true(w == 2.5);
	assert_int_equal(kg_relation_weight_by(&w, g, 0, "cost"), KG_OK);
	assert_true(w == 0.25);
	ro.format = KG_RENDER_DOT;
	assert_int_equal(kg_render(&dot, &len, g, &ro, d), KG_OK);
	assert_non_null(strstr((const char *)dot, "weight: 2.5"));
	kg_render_free(dot);
	kg_graph_free(g);
	kg_diag_list_free(d);
	setlocale(LC_ALL, "C");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lib__version_macros_agree_with_the_library),
		cmocka_unit_test(test_lib__options_of_an_unknown_version_are_refused),
		cmocka_unit_test(test_lib__numbers_do_not_depend_on_the_locale),
	};
	return cmocka_run_group_tests_name("lib", tests, NULL, NULL);
}
