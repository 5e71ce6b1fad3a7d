/* test_diag.c - the caller-owned diagnostics list. */
#include "test_common.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diag__add_copies_every_string),
		cmocka_unit_test(test_diag__counts_by_severity),
		cmocka_unit_test(test_diag__error_strings),
	};
	return cmocka_run_group_tests_name("diag", tests, NULL, NULL);
}
