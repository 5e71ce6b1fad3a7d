/*
 * test_diff.c - kg_diff_graphs (kgraph/diff.h): matching by id and by
 * (from, type, to), the rule for repeated relations, symmetric types, the
 * fields compared, and a result that outlives its graphs.
 */
#include "test_common.h"

static kg_diff *diff_of(const char *old_yaml, const char *new_yaml)
{
	kg_graph *a = load_ok(old_yaml), *b = load_ok(new_yaml);
	kg_diff *d = NULL;

	assert_int_equal(kg_diff_graphs(&d, a, b), KG_OK);
	/* The result owns its text: the graphs may go first. */
	kg_graph_free(a);
	kg_graph_free(b);
	return d;
}

static const char *const base =
	"relation_types:\n  knows: {symmetric: true}\n  paid: {}\n"
	"entities:\n  ada: {type: person, name: Ada}\n  bob: {type: person, name: Bob}\n"
	"relations:\n"
	"  - [ada, paid, bob, {date: 2024-01, quote: first}]\n"
	"  - [ada, paid, bob, {date: 2024-02, quote: second}]\n"
	"  - [ada, knows, bob]\n";

static void test_diff__equal_graphs_have_no_changes(void **state)
{
	kg_diff *d = diff_of(base, base);

	(void)state;
	assert_int_equal(kg_diff_count(d), 0);
	kg_diff_free(d);
	kg_diff_free(NULL);
}

static void test_diff__removing_one_repeated_relation_removes_that_one(void **state)
{
	/* The first of two repeated relations deleted: paired in file order
	 * alone, it would read as "first changed into second, second
	 * removed". Identical ones are paired first. */
	char edited[1024];
	char *line;
	kg_diff *d;
	kg_diff_change c;

	(void)state;
	snprintf(edited, sizeof edited, "%s", base);
	line = strstr(edited, "  - [ada, paid, bob, {date: 2024-01");
	memmove(line, strchr(line, '\n') + 1, strlen(strchr(line, '\n') + 1) + 1);
	d = diff_of(base, edited);
	assert_int_equal(kg_diff_count(d), 1);
	c = kg_diff_get(d, 0);
	assert_int_equal(c.item, KG_DIFF_RELATION);
	assert_int_equal(c.kind, KG_DIFF_REMOVED);
	assert_int_equal(c.old_index, 0);
	assert_int_equal(c.new_index, KG_NONE);
	kg_diff_free(d);
}

static void test_diff__symmetric_relations_match_either_way(void **state)
{
	char edited[1024];
	kg_diff *d;

	(void)state;
	snprintf(edited, sizeof edited, "%s", base);
	memcpy(strstr(edited, "[ada, knows, bob]"), "[bob, knows, ada]", 17);
	d = diff_of(base, edited);
	assert_int_equal(kg_diff_count(d), 0);
	kg_diff_free(d);
}

static void test_diff__changed_fields_are_named(void **state)
{
	const char *edited =
		"relation_types:\n  knows: {symmetric: true}\n  paid: {}\n"
		"entities:\n  ada: {type: person, name: Ada Lin, aliases: [A], tags: [x, y]}\n"
		"  bob: {type: person, name: Bob}\n  cy: {type: person, name: Cy}\n"
		"relations:\n"
		"  - [ada, paid, bob, {date: 2024-01, quote: first}]\n"
		"  - [ada, paid, bob, {date: 2024-03, quote: second}]\n"
		"  - [ada, knows, bob]\n";
	kg_diff *d;
	kg_diff_change c;

	(void)state;
	d = diff_of(base, edited);
	assert_int_equal(kg_diff_count(d), 3);
	c = kg_diff_get(d, 0); /* ada: name, aliases, attribute tags */
	assert_int_equal(c.kind, KG_DIFF_CHANGED);
	assert_int_equal(c.nfields, 3);
	assert_string_equal(c.fields[0].name, "name");
	assert_string_equal(c.fields[0].old_value, "Ada");
	assert_string_equal(c.fields[0].new_value, "Ada Lin");
	assert_string_equal(c.fields[1].name, "aliases");
	assert_null(c.fields[1].old_value);
	assert_string_equal(c.fields[1].new_value, "[A]");
	assert_true(c.fields[2].attribute);
	assert_string_equal(c.fields[2].new_value, "[x, y]");
	c = kg_diff_get(d, 1); /* cy added: entities come first */
	assert_int_equal(c.kind, KG_DIFF_ADDED);
	assert_int_equal(c.item, KG_DIFF_ENTITY);
	c = kg_diff_get(d, 2); /* the second paid: its date */
	assert_int_equal(c.item, KG_DIFF_RELATION);
	assert_int_equal(c.nfields, 1);
	assert_string_equal(c.fields[0].name, "date");
	assert_string_equal(c.fields[0].old_value, "2024-02");
	assert_string_equal(c.fields[0].new_value, "2024-03");

	kg_diff_free(d);
}

static void test_diff__null_arguments_are_earg(void **state)
{
	kg_diff *d = (kg_diff *)1;

	(void)state;
	assert_int_equal(kg_diff_graphs(&d, NULL, NULL), KG_EARG);
	assert_null(d);
	assert_int_equal(kg_diff_graphs(NULL, NULL, NULL), KG_EARG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diff__equal_graphs_have_no_changes),
		cmocka_unit_test(test_diff__removing_one_repeated_relation_removes_that_one),
		cmocka_unit_test(test_diff__symmetric_relations_match_either_way),
		cmocka_unit_test(test_diff__changed_fields_are_named),
		cmocka_unit_test(test_diff__null_arguments_are_earg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
