/* test_alloc.c - out of memory: make the Nth allocation fail for every N
 * in turn; each load must return KG_ENOMEM (never crash, never report a
 * wrong error) until N passes the number of allocations a load needs.
 * Leaks are caught by running this test under ASan or valgrind. */
#include "test_common.h"
#include "util/util.h"

static const char graph[] =
	"title: T\n"
	"sources: {s: {title: S, file: x.txt}}\n"
	"types: {media: {label: Media, shape: note}}\n"
	"relation_types: {met: {symmetric: true, from: [person]}}\n"
	"entities:\n"
	"  a: &p {type: person, name: Ada, aliases: [A, Зеленський], role: x}\n"
	"  b: *p\n"
	"  c: {type: later}\n"
	"  d: {type: media}\n"
	"types2: 1\n";

static void run(const char *yaml, int want_ok)
{
	long n;

	for (n = 1;; n++) {
		kg_diag_list *d = kg_diag_list_new();
		kg_graph *g = NULL;
		int rc;
		assert_non_null(d);
		kg__alloc_fail_at(n);
		rc = kg_load_string(&g, "t.yaml", yaml, strlen(yaml), test_load_options(), d);
		if (kg__alloc_fail_at(0) < n) {
			/* Fewer than n allocations: this load ran to the end. */
			assert_int_equal(rc, want_ok ? KG_OK : KG_EINVALID);
			kg_graph_free(g);
			kg_diag_list_free(d);
			break;
		}
		if (rc != KG_ENOMEM && rc != (want_ok ? KG_OK : KG_EINVALID))
			fail_msg("allocation %ld failing gave %d", n, rc);
		kg_graph_free(g);
		kg_diag_list_free(d);
	}
	assert_true(n > 20);
}

static void test_alloc__every_failure_is_reported_during_a_valid_load(void **state)
{
	(void)state;
	run("entities:\n  a: {type: person, name: Ada}\n  b: {type: place}\n"
	    "relations:\n  - [a, visited, b, {date: 2024, quote: q, x: y}]\n  - [b, near, a]\n", 1);
}

static void test_alloc__every_failure_is_reported_during_an_invalid_load(void **state)
{
	(void)state;
	run(graph, 0);
}

/* A lookup that runs out of memory while folding the text says so; it
 * does not claim that nothing matched. */
static void test_alloc__resolve_reports_enomem_not_not_found(void **state)
{
	const char *texts[] = {"ADA", "ЗЕЛЕНСЬКИЙ"};
	kg_diag_list *d;
	kg_graph *g;
	size_t i;
	(void)state;
	assert_int_equal(load_text(&g, &d, "entities:\n  a: {type: person, name: Ada, aliases: [Зеленський]}\n"), KG_OK);
	for (i = 0; i < 2; i++) {
		uint32_t e;
		kg__alloc_fail_at(1);
		assert_int_equal(kg_graph_resolve(&e, NULL, NULL, g, texts[i]), KG_ENOMEM);
		assert_int_equal(e, KG_NONE);
		kg__alloc_fail_at(0);
		assert_int_equal(kg_graph_resolve(&e, NULL, NULL, g, texts[i]), KG_OK);
		assert_int_equal(e, 0);
	}
	/* Text that is not UTF-8 still names nothing. */
	{
		uint32_t e;
		assert_int_equal(kg_graph_resolve(&e, NULL, NULL, g, "\xC3("), KG_ENOTFOUND);
	}
	kg_graph_free(g);
	kg_diag_list_free(d);
}

/* Search and stats under every failing allocation: KG_ENOMEM and no
 * result, or the full answer; never a partial one (leaks show under ASan). */
static void test_alloc__search_and_stats_report_enomem(void **state)
{
	kg_diag_list *d;
	kg_graph *g;
	long n;
	(void)state;
	assert_int_equal(load_text(&g, &d,
	                           "entities:\n  a: {type: person, name: München, aliases: [İstanbul]}\n"
	                           "  b: {type: person, name: Munich}\n  c: {type: place}\n"
	                           "relations:\n  - [a, r, b]\n  - [b, r, c]\n"),
	                 KG_OK);
	for (n = 1;; n++) {
		kg_search *s = NULL;
		kg_stats *st = NULL;
		int rs, rt;
		kg__alloc_fail_at(n);
		rs = kg_query_search(&s, g, "MUNCHEN", NULL);
		rt = kg_query_stats(&st, g, NULL);
		if (kg__alloc_fail_at(0) < n) {
			assert_int_equal(rs, KG_OK);
			assert_int_equal(rt, KG_OK);
			assert_int_equal(kg_search_count(s), 1);
			assert_int_equal(st->diameter_low, 2);
			kg_search_free(s);
			kg_stats_free(st);
			break;
		}
		assert_true(rs == KG_OK || (rs == KG_ENOMEM && s == NULL));
		assert_true(rt == KG_OK || (rt == KG_ENOMEM && st == NULL));
		kg_search_free(s);
		kg_stats_free(st);
	}
	kg_graph_free(g);
	kg_diag_list_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc__search_and_stats_report_enomem),
		cmocka_unit_test(test_alloc__every_failure_is_reported_during_a_valid_load),
		cmocka_unit_test(test_alloc__every_failure_is_reported_during_an_invalid_load),
		cmocka_unit_test(test_alloc__resolve_reports_enomem_not_not_found),
	};
	return cmocka_run_group_tests_name("alloc", tests, NULL, NULL);
}
