/*
 * test_common.h - what every cmocka unit test includes: cmocka's
 * prerequisites in the order it needs them, and helpers to load a graph
 * from text and look at its diagnostics.
 */
#ifndef KG_TEST_COMMON_H
#define KG_TEST_COMMON_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kgraph.h"

/* The options of every load in the tests: the defaults, except that
 * KGRAPH_PARSE_THREAD=on in the environment parses in a second thread
 * even the smallest text, so that ctest can run the same tests both ways. */
static inline const kg_load_options *test_load_options(void)
{
	static kg_load_options opts = KG_LOAD_OPTIONS_INIT;
	const char *t = getenv("KGRAPH_PARSE_THREAD");
#ifdef KGRAPH_TEST_DATA
	/* Graphs in memory name the tests' data by its absolute path. */
	static const char *const data[] = {KGRAPH_TEST_DATA};
	opts.include_paths = data;
	opts.include_path_count = 1;
#endif

	opts.thread = t && strcmp(t, "on") == 0 ? KG_LOAD_THREAD_ON : KG_LOAD_THREAD_AUTO;
	return &opts;
}

/* Load yaml (named "t.yaml") into *g; diagnostics into a new *diags.
 * Returns the kg_load_string result. */
static inline int load_text(kg_graph **g, kg_diag_list **diags, const char *yaml)
{
	*diags = kg_diag_list_new();
	assert_non_null(*diags);
	return kg_load_string(g, "t.yaml", yaml, strlen(yaml), test_load_options(), *diags);
}

/* The first diagnostic of severity sev, or fail. */
static inline const kg_diag *first_of(const kg_diag_list *d, kg_severity sev)
{
	size_t i;

	for (i = 0; i < kg_diag_list_count(d); i++)
		if (kg_diag_list_get(d, i)->severity == sev)
			return kg_diag_list_get(d, i);
	fail_msg("no diagnostic of severity %d", (int)sev);
	return NULL;
}

/* Assert that loading yaml fails with exactly one error, at line:col,
 * whose message contains text. Returns the diagnostic's hint (or NULL) in
 * a static buffer so callers can check it too. */
static inline const char *expect_error(const char *yaml, unsigned line, unsigned col, const char *text)
{
	static char hint[512];
	kg_diag_list *d;
	kg_graph *g = NULL;
	const kg_diag *e;
	int rc = load_text(&g, &d, yaml);

	e = kg_diag_list_count_severity(d, KG_SEV_ERROR) ? first_of(d, KG_SEV_ERROR) : NULL;
	if (rc != KG_EINVALID || g || kg_diag_list_count_severity(d, KG_SEV_ERROR) != 1 ||
	    !strstr(e->message, text) || e->where.line != line || e->where.column != col ||
	    strcmp(e->where.file, "t.yaml") != 0) {
		size_t i;
		for (i = 0; i < kg_diag_list_count(d); i++) {
			const kg_diag *x = kg_diag_list_get(d, i);
			print_error("  got %d: %u:%u: %s\n", x->severity, x->where.line, x->where.column, x->message);
		}
		fail_msg("wanted one error at %u:%u containing \"%s\" (rc %d)", line, col, text, rc);
	}
	snprintf(hint, sizeof hint, "%s", e->hint ? e->hint : "");
	kg_diag_list_free(d);
	return hint[0] ? hint : NULL;
}

/* Load yaml that must be valid; fail with its first diagnostic if not. */
static inline kg_graph *load_ok(const char *yaml)
{
	kg_diag_list *d;
	kg_graph *g = NULL;
	int rc = load_text(&g, &d, yaml);

	if (rc != KG_OK) {
		const kg_diag *e = kg_diag_list_get(d, 0);
		fail_msg("load failed (%d): %u:%u: %s", rc, e ? e->where.line : 0, e ? e->where.column : 0,
		         e ? e->message : "(no diagnostic)");
	}
	kg_diag_list_free(d);
	return g;
}

#endif
