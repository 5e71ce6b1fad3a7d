/* test_check.c - warnings about likely mistakes, and quotes checked
 * against their sources' text. */
#define _POSIX_C_SOURCE 200809L
#include "test_common.h"

#include <stdlib.h>
#include <unistd.h>

static void test_check__warnings(void **state)
{
	kg_graph *g = load_ok("sources:\n  used: {}\n  unused: {}\n"
	                      "entities:\n  a: {type: person}\n  b: {type: person}\n  lonely: {type: place}\n"
	                      "relations:\n  - [a, supports, b, {source: used}]\n  - [b, supports, a]\n"
	                      "  - [a, suports, b]\n  - [a, opposes, b]\n");
	kg_diag_list *d = kg_diag_list_new();
	const kg_diag *w;
	(void)state;

	{
		size_t n;
		assert_int_equal(kg_check_warnings(&n, g, d), KG_OK);
		assert_int_equal(n, 3);
	}
	w = kg_diag_list_get(d, 0);
	assert_string_equal(w->message, "entity 'lonely' has no relations");
	assert_int_equal(w->where.line, 7);
	w = kg_diag_list_get(d, 1);
	assert_string_equal(w->message, "source 'unused' is cited by no relation");
	assert_int_equal(w->where.line, 3);
	w = kg_diag_list_get(d, 2);
	assert_string_equal(w->message, "relation type 'suports' is used once and is close to 'supports'");
	assert_string_equal(w->hint, "did you mean 'supports'?");
	assert_int_equal(w->where.line, 11);
	assert_int_equal(w->where.column, 9);
	/* "opposes" is used once too, but close to nothing. */
	kg_diag_list_free(d);
	kg_graph_free(g);
}

/* check and render share one allowlist: the same errors, in the same
 * order, at the same places; a clean graph passes both. */
static void test_check__styles_as_render_sees_them(void **state)
{
	kg_graph *g = load_ok("types:\n  media: {colr: red, shape: note}\n  office: {image: x.png}\n"
	                      "relation_types:\n  heads: {arrowhead: odimond}\n"
	                      "entities:\n  a: {type: media}\n  b: {type: office}\n"
	                      "relations:\n  - [a, heads, b]\n");
	kg_graph *ok = load_ok("types:\n  media: {color: red, shape: note}\n"
	                       "entities:\n  a: {type: media}\n");
	kg_render_options ro = KG_RENDER_OPTIONS_INIT;
	kg_diag_list *dc = kg_diag_list_new(), *dr = kg_diag_list_new();
	unsigned char *data = NULL;
	size_t len = 0, i;
	(void)state;

	assert_int_equal(kg_check_styles(g, dc), KG_EINVALID);
	assert_int_equal(kg_diag_list_count(dc), 3);
	assert_string_equal(kg_diag_list_get(dc, 0)->message, "type 'media': unknown style key 'colr'");
	assert_string_equal(kg_diag_list_get(dc, 0)->hint, "did you mean 'color'?");
	assert_int_equal(kg_diag_list_get(dc, 0)->where.line, 2);
	ro.format = KG_RENDER_DOT;
	assert_int_equal(kg_render(&data, &len, g, &ro, dr), KG_EINVALID);
	assert_int_equal(kg_diag_list_count(dr), kg_diag_list_count(dc));
	for (i = 0; i < kg_diag_list_count(dc); i++) {
		assert_string_equal(kg_diag_list_get(dr, i)->message, kg_diag_list_get(dc, i)->message);
		assert_int_equal(kg_diag_list_get(dr, i)->where.line, kg_diag_list_get(dc, i)->where.line);
	}
	kg_diag_list_free(dc);
	dc = kg_diag_list_new();
	assert_int_equal(kg_check_styles(ok, dc), KG_OK);
	assert_int_equal(kg_diag_list_count(dc), 0);
	kg_diag_list_free(dc);
	kg_diag_list_free(dr);
	kg_graph_free(ok);
	kg_graph_free(g);
}

/* Check quotes, which must succeed; the number of errors added. */
static size_t quote_errors(const kg_graph *g, const kg_source_text *texts, size_t ntexts, kg_diag_list *d)
{
	kg_quote_counts n;

	assert_int_equal(kg_check_quotes(&n, g, texts, ntexts, d), KG_OK);
	assert_true(n.found <= n.checked);
	return n.errors;
}

static kg_graph *load_quotes(const char *name, kg_diag_list *d)
{
	char path[512];
	const char *p = path;
	kg_graph *g = NULL;

	snprintf(path, sizeof path, "%s/quotes/%s", KGRAPH_TEST_DATA, name);
	assert_int_equal(kg_load_files(&g, &p, 1, test_load_options(), d), KG_OK);
	return g;
}

static void test_check__quotes_found_with_folded_space_and_elision(void **state)
{
	kg_diag_list *d = kg_diag_list_new();
	kg_graph *g = load_quotes("good.yaml", d);
	(void)state;

	assert_int_equal(quote_errors(g, NULL, 0, d), 0);
	assert_int_equal(kg_diag_list_count_severity(d, KG_SEV_ERROR), 0);
	kg_graph_free(g);
	kg_diag_list_free(d);
}

static void test_check__altered_quote_is_an_error(void **state)
{
	kg_diag_list *d = kg_diag_list_new();
	kg_graph *g = load_quotes("bad.yaml", d);
	const kg_diag *e;
	(void)state;

	assert_int_equal(quote_errors(g, NULL, 0, d), 1);
	e = first_of(d, KG_SEV_ERROR);
	assert_string_equal(e->message, "the quote is not in the text of source 'memo'");
	assert_int_equal(e->where.line, kg_relation_location(g, 1).line);
	assert_non_null(strstr(e->hint, "but not what follows"));
	kg_graph_free(g);
	kg_diag_list_free(d);
}

static void test_check__override_and_missing_texts(void **state)
{
	kg_diag_list *d = kg_diag_list_new();
	kg_graph *g = load_quotes("good.yaml", d);
	char other[512];
	kg_source_text wrong = {"memo", other}, unknown = {"nosuch", other}, missing = {"memo", "/nonexistent"};
	(void)state;

	/* The good quotes are not in another text (an empty file). */
	snprintf(other, sizeof other, "%s", "/tmp/kgraph-empty-XXXXXX");
	close(mkstemp(other));
	assert_int_equal(quote_errors(g, &wrong, 1, d), 3);
	kg_diag_list_free(d);
	d = kg_diag_list_new();
	assert_int_equal(quote_errors(g, &unknown, 1, d), 1);
	assert_string_equal(first_of(d, KG_SEV_ERROR)->message, "the graph has no source 'nosuch' for this text");
	kg_diag_list_free(d);
	d = kg_diag_list_new();
	assert_int_equal(kg_check_quotes(NULL, g, &missing, 1, d), KG_EIO);
	assert_int_equal(kg_diag_list_count_severity(d, KG_SEV_ERROR), 1);
	kg_diag_list_free(d);
	/* Only regular files: /dev/zero would never end, a directory is no text. */
	d = kg_diag_list_new();
	missing.file = "/dev/zero";
	assert_int_equal(kg_check_quotes(NULL, g, &missing, 1, d), KG_EIO);
	assert_string_equal(first_of(d, KG_SEV_ERROR)->message,
	                    "cannot read the text of source 'memo': it is not a regular file");
	kg_diag_list_free(d);
	d = kg_diag_list_new();
	missing.file = "/tmp";
	assert_int_equal(kg_check_quotes(NULL, g, &missing, 1, d), KG_EIO);
	assert_string_equal(first_of(d, KG_SEV_ERROR)->message,
	                    "cannot read the text of source 'memo': it is a directory");
	assert_non_null(strstr(first_of(d, KG_SEV_ERROR)->message, "cannot read the text of source 'memo'"));
	kg_diag_list_free(d);
	kg_graph_free(g);
	unlink(other);
}

static void test_check__hint_follows_the_elision(void **state)
{
	char yaml[1024];
	kg_graph *g;
	kg_diag_list *d = kg_diag_list_new();
	(void)state;

	snprintf(yaml, sizeof yaml,
	         "sources: {memo: {file: %s/quotes/memo.txt}}\nentities: {a: {type: person}}\n"
	         "relations:\n  - [a, says, a, {source: memo, quote: \"Mayor Ada Lin ... opposed the bridge\"}]\n",
	         KGRAPH_TEST_DATA);
	g = load_ok(yaml);
	assert_int_equal(quote_errors(g, NULL, 0, d), 1);
	/* "opposed the" occurs after "Mayor Ada Lin"; "bridge" does not follow it. */
	assert_string_equal(first_of(d, KG_SEV_ERROR)->hint,
	                    "the text has \"opposed the\" but not what follows: \" bridge\"");
	kg_diag_list_free(d);
	kg_graph_free(g);
}

static void test_check__unverifiable_quotes_warn(void **state)
{
	kg_graph *g = load_ok("sources: {s: {title: S}}\nentities: {a: {type: person}}\n"
	                      "relations:\n  - [a, says, a, {quote: hello, source: s}]\n  - [a, says, a, {quote: hi}]\n");
	kg_diag_list *d = kg_diag_list_new();
	(void)state;

	assert_int_equal(quote_errors(g, NULL, 0, d), 0);
	assert_int_equal(kg_diag_list_count_severity(d, KG_SEV_WARNING), 2);
	assert_string_equal(kg_diag_list_get(d, 0)->message, "quote not checked: source 's' has no text (give it file:)");
	assert_string_equal(kg_diag_list_get(d, 1)->message, "quote not checked: the relation cites no source");
	kg_diag_list_free(d);
	kg_graph_free(g);
}

/* The quote checker reads a source's text by the loader's rule: a link
 * that pointed inside the graph's folder at load time and outside it when
 * the text is wanted is refused, and the outside file is not read. */
static void test_check__source_text_stays_inside_the_graph_folder(void **state)
{
	char tmp[] = "/tmp/kgraph-check-XXXXXX", path[256], text[256], link[256];
	const char *p = path;
	kg_diag_list *d = kg_diag_list_new();
	kg_load_options o = KG_LOAD_OPTIONS_INIT;
	kg_graph *g;
	FILE *f;
	(void)state;

	assert_non_null(mkdtemp(tmp));
	snprintf(path, sizeof path, "%s/g.yaml", tmp);
	snprintf(text, sizeof text, "%s/memo.txt", tmp);
	snprintf(link, sizeof link, "%s/link.txt", tmp);
	assert_non_null(f = fopen(text, "w"));
	fputs("hello there\n", f);
	fclose(f);
	assert_non_null(f = fopen(path, "w"));
	fputs("sources: {s: {file: link.txt}}\nentities: {a: {type: person}}\n"
	      "relations:\n  - [a, says, a, {source: s, quote: hello}]\n", f);
	fclose(f);
	assert_int_equal(symlink("memo.txt", link), 0);
	assert_int_equal(kg_load_files(&g, &p, 1, &o, d), KG_OK);
	assert_int_equal(quote_errors(g, NULL, 0, d), 0);
	assert_int_equal(unlink(link), 0);
	assert_int_equal(symlink("/etc/hostname", link), 0);
	assert_int_equal(kg_check_quotes(NULL, g, NULL, 0, d), KG_EIO);
	assert_non_null(strstr(first_of(d, KG_SEV_ERROR)->message, "outside the folders this graph may read"));
	kg_diag_list_free(d);
	kg_graph_free(g);
	unlink(link);
	unlink(text);
	unlink(path);
	rmdir(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check__warnings),
		cmocka_unit_test(test_check__styles_as_render_sees_them),
		cmocka_unit_test(test_check__quotes_found_with_folded_space_and_elision),
		cmocka_unit_test(test_check__altered_quote_is_an_error),
		cmocka_unit_test(test_check__override_and_missing_texts),
		cmocka_unit_test(test_check__hint_follows_the_elision),
		cmocka_unit_test(test_check__unverifiable_quotes_warn),
		cmocka_unit_test(test_check__source_text_stays_inside_the_graph_folder),
	};
	return cmocka_run_group_tests_name("check", tests, NULL, NULL);
}
