/* test_diag.c - the caller-owned diagnostics list. */
#include "test_common.h"
#include "core/diag_internal.h"

static void test_diag__add_copies_every_string(void **state)
{
	kg_diag_list *l = kg_diag_list_new();
	char file[] = "a.yaml", msg[] = "boom", hint[] = "try x", rfile[] = "b.yaml";
	kg_location where = {file, 3, 7}, rel = {rfile, 1, 2};
	const kg_diag *d;
	(void)state;

	assert_non_null(l);
	assert_int_equal(kg_diag_list_add(l, KG_SEV_ERROR, &where, msg, hint, &rel, "first here"), KG_OK);
	/* The list must not keep the caller's buffers. */
	file[0] = msg[0] = hint[0] = rfile[0] = '#';
	d = kg_diag_list_get(l, 0);
	assert_string_equal(d->where.file, "a.yaml");
	assert_int_equal(d->where.line, 3);
	assert_int_equal(d->where.column, 7);
	assert_string_equal(d->message, "boom");
	assert_string_equal(d->hint, "try x");
	assert_string_equal(d->related.file, "b.yaml");
	assert_string_equal(d->related_message, "first here");
	assert_null(d->source_line);
	assert_int_equal(kg_diag_set_source_line(l, 0, "  type: persn\nmore", 13), KG_OK);
	assert_string_equal(kg_diag_list_get(l, 0)->source_line, "  type: persn");
	kg_diag_list_free(l);
}

static void test_diag__counts_by_severity(void **state)
{
	kg_diag_list *l = kg_diag_list_new();
	(void)state;

	assert_int_equal(kg_diag_list_count(l), 0);
	assert_null(kg_diag_list_get(l, 0));
	assert_int_equal(kg_diag_list_add(l, KG_SEV_WARNING, NULL, "w", NULL, NULL, NULL), KG_OK);
	assert_int_equal(kg_diag_list_add(l, KG_SEV_ERROR, NULL, "e1", NULL, NULL, NULL), KG_OK);
	assert_int_equal(kg_diag_list_add(l, KG_SEV_ERROR, NULL, "e2", NULL, NULL, NULL), KG_OK);
	assert_int_equal(kg_diag_list_count(l), 3);
	assert_int_equal(kg_diag_list_count_severity(l, KG_SEV_ERROR), 2);
	assert_int_equal(kg_diag_list_count_severity(l, KG_SEV_WARNING), 1);
	assert_null(kg_diag_list_get(l, 0)->where.file);
	assert_int_equal(kg_diag_list_add(l, KG_SEV_ERROR, NULL, NULL, NULL, NULL, NULL), KG_EARG);
	assert_int_equal(kg_diag_set_source_line(l, 9, "x", 1), KG_EARG);
	kg_diag_list_free(l);
	kg_diag_list_free(NULL);
}

static void test_diag__error_strings(void **state)
{
	(void)state;
	assert_string_equal(kg_strerror(KG_OK), "success");
	assert_string_equal(kg_strerror(KG_ENOMEM), "out of memory");
	assert_string_equal(kg_strerror(KG_EINVALID), "invalid input");
	assert_string_equal(kg_strerror(-999), "unknown error");
	assert_string_equal(kg_version(), KG_VERSION_STRING);
}

/* kg_diag_format gives what the kgraph command prints: location,
 * severity and message, the source line with a caret, the hint. */
static void test_diag__format_like_a_compiler(void **state)
{
	const char *yaml = "entities:\n  biden: {type: person}\n  a: {type: person}\n"
	                   "relations:\n  - [a, met, bidne]\n";
	kg_diag_list *d;
	kg_graph *g;
	char *text;
	size_t len;
	(void)state;

	assert_int_equal(load_text(&g, &d, yaml), KG_EINVALID);
	assert_int_equal(kg_diag_format(&text, &len, first_of(d, KG_SEV_ERROR)), KG_OK);
	assert_string_equal(text, "t.yaml:5:14: error: unknown entity 'bidne'\n"
	                          " 5 |   - [a, met, bidne]\n"
	                          "   |              ^\n"
	                          "hint: did you mean 'biden'?\n");
	assert_int_equal(len, strlen(text));
	kg_diag_format_free(text);
	kg_diag_list_free(d);
}

/* Nothing is cut at a fixed size, a source line cannot drive the
 * terminal, and the related location comes as a note. */
static void test_diag__format_cuts_nothing_and_shows_no_control_characters(void **state)
{
	kg_diag_list *l = kg_diag_list_new();
	kg_location where = {"a.yaml", 2, 3}, rel = {"b.yaml", 1, 0};
	char big[5001], *text;
	size_t len;
	(void)state;

	assert_non_null(l);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(kg__diag_addf(l, KG_SEV_WARNING, &where, &rel, "first here", "long: %s", big), KG_OK);
	assert_int_equal(strlen(kg_diag_list_get(l, 0)->message), 6 + 5000);
	assert_int_equal(kg_diag_set_source_line(l, 0, "a\033[2Jb", 7), KG_OK);
	assert_int_equal(kg_diag_format(&text, &len, kg_diag_list_get(l, 0)), KG_OK);
	assert_int_equal(len, strlen("a.yaml:2:3: warning: long: ") + 5000 + 1 +
	                      strlen(" 2 | a?[2Jb\n   |   ^\nb.yaml:1: note: first here\n"));
	assert_non_null(strstr(text, " 2 | a?[2Jb\n   |   ^\nb.yaml:1: note: first here\n"));
	kg_diag_format_free(text);

	/* No file: the program's name stands in. */
	assert_int_equal(kg_diag_list_add(l, KG_SEV_NOTE, NULL, "done", NULL, NULL, NULL), KG_OK);
	assert_int_equal(kg_diag_format(&text, NULL, kg_diag_list_get(l, 1)), KG_OK);
	assert_string_equal(text, "kgraph: note: done\n");
	kg_diag_format_free(text);
	assert_int_equal(kg_diag_format(&text, &len, NULL), KG_EARG);
	assert_null(text);
	kg_diag_list_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diag__add_copies_every_string),
		cmocka_unit_test(test_diag__counts_by_severity),
		cmocka_unit_test(test_diag__error_strings),
		cmocka_unit_test(test_diag__format_like_a_compiler),
		cmocka_unit_test(test_diag__format_cuts_nothing_and_shows_no_control_characters),
	};
	return cmocka_run_group_tests_name("diag", tests, NULL, NULL);
}
