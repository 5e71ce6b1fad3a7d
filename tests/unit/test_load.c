/* test_load.c - the loader: every error it reports, with its position,
 * and the YAML features it must accept or bound. Most cases are rows of a
 * table (a text, and the one error or the first warning it must give);
 * what a row cannot say (related locations, the graph built, files) is
 * written out. */
#define _POSIX_C_SOURCE 200809L
#include "test_common.h"

#include <sys/stat.h>
#include <unistd.h>

#define E(x) "entities:\n" x
#define REL(x) E("  a: {type: person}\n  b: {type: person}\n") "relations:\n" x
#define COUNT(a) (sizeof(a) / sizeof *(a))

/* A text that must fail to load with exactly one error, at line:col,
 * whose message contains message; when hint (hint_part) is given, the
 * error's hint is exactly that (contains that). */
typedef struct error_case {
	const char *yaml;
	unsigned line, col;
	const char *message;
	const char *hint;
	const char *hint_part;
} error_case;

static void expect_errors(const error_case *cases, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const error_case *c = &cases[i];
		const char *h = expect_error(c->yaml, c->line, c->col, c->message);
		if (c->hint && (!h || strcmp(h, c->hint) != 0))
			fail_msg("case %zu (%s): hint \"%s\", wanted \"%s\"", i, c->message, h ? h : "(none)", c->hint);
		if (c->hint_part && (!h || !strstr(h, c->hint_part)))
			fail_msg("case %zu (%s): hint \"%s\" lacks \"%s\"", i, c->message, h ? h : "(none)", c->hint_part);
	}
}

/* A text that loads, with a warning first: its message (exact), line and
 * hint (exact, when given); then check(g), when given, looks at the graph. */
typedef struct warning_case {
	const char *yaml;
	unsigned line;
	const char *message;
	const char *hint;
	void (*check)(const kg_graph *g);
} warning_case;

static void expect_warnings(const warning_case *cases, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const warning_case *c = &cases[i];
		kg_diag_list *d;
		kg_graph *g;
		const kg_diag *w;
		assert_int_equal(load_text(&g, &d, c->yaml), KG_OK);
		w = first_of(d, KG_SEV_WARNING);
		assert_string_equal(w->message, c->message);
		assert_int_equal(w->where.line, c->line);
		if (c->hint)
			assert_string_equal(w->hint, c->hint);
		if (c->check)
			c->check(g);
		kg_graph_free(g);
		kg_diag_list_free(d);
	}
}

static void test_load__minimal_graphs(void **state)
{
	static const struct {
		const char *yaml;
		size_t entities, relations;
	} cases[] = {
		{"{}", 0, 0},
		{"entities:\nrelations:\n", 0, 0},
		/* A UTF-8 byte-order mark is fine. */
		{"\xEF\xBB\xBF" "entities: {a: {type: place}}\n", 1, 0},
	};
	size_t i;
	(void)state;

	for (i = 0; i < COUNT(cases); i++) {
		kg_graph *g = load_ok(cases[i].yaml);
		assert_int_equal(kg_graph_entity_count(g), cases[i].entities);
		assert_int_equal(kg_graph_relation_count(g), cases[i].relations);
		kg_graph_free(g);
	}
}

static void test_load__syntax_error_has_position_and_context(void **state)
{
	kg_diag_list *d;
	kg_graph *g;
	const kg_diag *e;
	(void)state;

	assert_int_equal(load_text(&g, &d, "entities:\n  a: {type: person\n  b: 1\n"), KG_EINVALID);
	/* "person b" reads as one plain scalar first, an invalid id; but the
	 * syntax error just after it is the one reported. */
	assert_int_equal(kg_diag_list_count(d), 1);
	e = kg_diag_list_get(d, 0);
	assert_non_null(e);
	assert_non_null(strstr(e->message, "YAML syntax error"));
	assert_int_equal(e->where.line, 3);
	assert_string_equal(e->related_message, "parsing a flow mapping");
	assert_int_equal(e->related.line, 2);
	assert_int_equal(e->related.column, 6);
	assert_string_equal(e->source_line, "  b: 1");
	kg_diag_list_free(d);
}

static void test_load__unknown_top_level_key(void **state)
{
	static const error_case cases[] = {
		{"entites: {}\n", 1, 1, "unknown top-level key 'entites'", "did you mean 'entities'?", NULL},
		{"title: x\nzzzzzz: 1\n", 2, 1, "unknown top-level key 'zzzzzz'", NULL, "the top-level keys are"},
	};
	(void)state;
	expect_errors(cases, COUNT(cases));
}

static void test_load__empty_and_wrong_documents(void **state)
{
	static const error_case cases[] = {
		{"", 0, 0, "the file is empty", NULL, NULL},
		{"# only a comment\n", 0, 0, "the file is empty", NULL, NULL},
		{"- a\n- b\n", 1, 1, "the top level must be a mapping, not a list", NULL, NULL},
		{"---\n", 1, 4, "the document is empty", NULL, NULL},
		{"title: a\n---\ntitle: b\n", 2, 1, "a second YAML document", NULL, NULL},
	};
	(void)state;
	expect_errors(cases, COUNT(cases));
}

static void test_load__unknown_references_suggest(void **state)
{
	static const error_case cases[] = {
		{E("  biden: {type: person}\n  usa: {type: country}\n") "relations:\n  - [bidn, heads, usa]\n",
		 5, 6, "unknown entity 'bidn'", "did you mean 'biden'?", NULL},
		{E("  biden: {type: persn}\n"), 2, 17, "unknown entity type 'persn'", "did you mean 'person'?", NULL},
		{E("  biden: {type: spaceship}\n"), 2, 17, "unknown entity type 'spaceship'", NULL,
		 "declare it under types:"},
		{"sources: {memo: {title: M}}\n" E("  a: {type: person}\n")
		 "relations:\n  - {from: a, type: x, to: a, source: mem}\n",
		 5, 39, "unknown source 'mem'", "did you mean 'memo'?", NULL},
	};
	(void)state;
	expect_errors(cases, COUNT(cases));
}

static void test_load__references_may_come_later_or_from_includes(void **state)
{
	kg_graph *g;
	(void)state;
	g = load_ok("relations:\n  - [a, knows, b, {source: s}]\n"
	            "entities:\n  a: {type: t}\n  b: {type: person}\n"
	            "types:\n  t: {}\nsources:\n  s: {title: S}\n");
	assert_int_equal(kg_entity_type(g, 0), kg_graph_find_type(g, "t"));
	assert_int_equal(kg_relation_source(g, 0), 0);
	kg_graph_free(g);
}

static void test_load__duplicates_name_both_places(void **state)
{
	static const error_case cases[] = {
		{E("  a: {type: person, name: A, name: B}\n"), 2, 30, "duplicate key 'name'", NULL, NULL},
		{"title: a\ntitle: b\n", 2, 1, "duplicate key 'title'", NULL, NULL},
		{"sources: {s: {}}\nsources: {}\n", 2, 1, "duplicate key 'sources'", NULL, NULL},
		{"sources:\n  s: {}\n  s: {}\n", 3, 3, "duplicate source 's'", NULL, NULL},
		{"types:\n  t: {}\n  t: {}\n", 3, 3, "duplicate type 't'", NULL, NULL},
		{"relation_types:\n  r: {}\n  r: {}\n", 3, 3, "duplicate relation type 'r'", NULL, NULL},
		{"title: &x a\ndescription: &x b\n", 2, 14, "duplicate anchor '&x'", NULL, NULL},
	};
	kg_diag_list *d;
	kg_graph *g;
	const kg_diag *e;
	(void)state;

	assert_int_equal(load_text(&g, &d, E("  a: {type: person}\n  b: {type: place}\n  a: {type: place}\n")),
	                 KG_EINVALID);
	e = first_of(d, KG_SEV_ERROR);
	assert_string_equal(e->message, "duplicate entity 'a'");
	assert_int_equal(e->where.line, 4);
	assert_int_equal(e->related.line, 2);
	assert_int_equal(e->related.column, 3);
	assert_string_equal(e->related_message, "first defined here");
	kg_diag_list_free(d);

	expect_errors(cases, COUNT(cases));
}

static void test_load__wrong_kinds_of_value(void **state)
{
	static const error_case cases[] = {
		{E("  a: {type: person, name: {x: y}}\n"), 2, 27, "name must be text, not a mapping", NULL, NULL},
		{E("  a: {type: person, aliases: [x, {y: z}]}\n"), 2, 34, "must be text, not a mapping", NULL, NULL},
		{E("  a: {type: person, role: {x: y}}\n"), 2, 27, "must be text or a list of text", NULL, NULL},
		{E("  a: person\n"), 2, 6, "entity 'a' must be a mapping", NULL, NULL},
		{E("  a: {name: A}\n"), 2, 3, "entity 'a' has no type:", NULL, NULL},
		{E("  \"bad id\": {type: person}\n"), 2, 3, "entity id 'bad id' is not a valid id", NULL, NULL},
		{E("  _a: {type: person}\n"), 2, 3, "is not a valid id", NULL, NULL},
		{"entities: [a, b]\n", 1, 11, "entities: must be a mapping of entity ids, not a list", NULL, NULL},
		{"relations: {a: b}\n", 1, 12, "relations: must be a list, not a mapping", NULL, NULL},
		{"title: [a]\n", 1, 8, "title must be text, not a list", NULL, NULL},
		{"title:\n", 1, 7, "title is empty", NULL, NULL},
		{"relation_types: {r: {symmetric: maybe}}\n", 1, 33, "symmetric must be true or false", NULL, NULL},
		{"types: {t: {shape: [a, b]}}\n", 1, 20, "style key 'shape' must be text, not a list", NULL, NULL},
	};
	(void)state;
	expect_errors(cases, COUNT(cases));
}

static void test_load__relation_forms(void **state)
{
	static const error_case cases[] = {
		{REL("  - [a, knows]\n"), 5, 5, "this one has 2", NULL, NULL},
		{REL("  - [a, knows, b, {}, c]\n"), 5, 5, "this one has 5", NULL, NULL},
		{REL("  - [a, knows, b, c]\n"), 5, 19, "the 4th item of a compact relation must be a mapping", NULL, NULL},
		{REL("  - [a, knows, b, {from: a}]\n"), 5, 20, "'from' belongs in the list", NULL, NULL},
		{REL("  - {from: a, type: knows}\n"), 5, 5, "relation has no 'to:'", NULL, NULL},
		{REL("  - {type: knows, to: b}\n"), 5, 5, "relation has no 'from:'", NULL, NULL},
		{REL("  - {from: a, to: b}\n"), 5, 5, "relation has no 'type:'", NULL, NULL},
		{REL("  - a knows b\n"), 5, 5, "a relation must be a list [from, type, to] or a mapping", NULL, NULL},
		{REL("  - [a, \"knows well\", b]\n"), 5, 9, "relation type 'knows well' is not a valid id", NULL, NULL},
	};
	(void)state;
	expect_errors(cases, COUNT(cases));
}

static void test_load__relation_values(void **state)
{
	static const error_case cases[] = {
		{REL("  - [a, knows, b, {date: 2024-13-45}]\n"), 5, 26, "date '2024-13-45' is not a valid date",
		 "there is no month 13", NULL},
		{REL("  - [a, knows, b, {since: 2023-02-29}]\n"), 5, 27, "since '2023-02-29' is not a valid date",
		 "2023-02 has no day 29", NULL},
		{REL("  - [a, knows, b, {until: 2024-13}]\n"), 5, 27, "until '2024-13' is not a valid date",
		 "there is no month 13", NULL},
		{REL("  - [a, knows, b, {until: 24.5.2024}]\n"), 5, 27, "is not a valid date",
		 "write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2024-09-11", NULL},
		{REL("  - [a, knows, b, {since: 2024-05, until: 2024-05}]\n"), 5, 27,
		 "since 2024-05 is not before until 2024-05", NULL, NULL},
		/* A year starts with its first month: this interval holds no date. */
		{REL("  - [a, knows, b, {since: 2024, until: 2024-01}]\n"), 5, 27,
		 "since 2024 is not before until 2024-01", NULL, NULL},
		{REL("  - [a, knows, b, {weight: heavy}]\n"), 5, 28, "weight 'heavy' is not a finite number", NULL, NULL},
		{REL("  - [a, knows, b, {weight: .inf}]\n"), 5, 28, "is not a finite number", NULL, NULL},
		{REL("  - [a, knows, b, {weight: .nan}]\n"), 5, 28, "is not a finite number", NULL, NULL},
		{REL("  - [a, knows, b, {weight: 1e999}]\n"), 5, 28, "is not a finite number", NULL, NULL},
		{REL("  - [a, knows, b, {weight: \"1\"}]\n"), 5, 28, "weight must be a number, not quoted text",
		 "write weight: 1 without quotes", NULL},
		{REL("  - [a, knows, b, {weight: \"x\"}]\n"), 5, 28, "weight 'x' is not a finite number", NULL, NULL},
		{REL("  - [a, knows, b, {weight: -1}]\n"), 5, 28, "weight -1 is negative", NULL, NULL},
		{REL("  - [a, knows, b, {quote: {x: y}}]\n"), 5, 27, "quote must be text, not a mapping", NULL, NULL},
	};
	(void)state;
	expect_errors(cases, COUNT(cases));
}

static void test_load__relation_values_accepted(void **state)
{
	kg_graph *g = load_ok(REL("  - [a, knows, b, {weight: 0}]\n  - [a, knows, b, {weight: 1.5e2, date: 2024}]\n"
	                          "  - [a, knows, a]\n"));
	double w;
	(void)state;
	assert_true(kg_relation_weight(g, 0, &w) && w == 0);
	assert_true(kg_relation_weight(g, 1, &w) && w == 150);
	kg_graph_free(g);
}

static void soruce_is_an_attribute(const kg_graph *g)
{
	assert_int_equal(kg_relation_attr_count(g, 0), 1);
}

static void symetric_is_not_symmetric(const kg_graph *g)
{
	assert_false(kg_relation_type_is_symmetric(g, 0));
}

static void test_load__warnings(void **state)
{
	static const warning_case cases[] = {
		{REL("  - [a, knows, a]\n"), 5, "relation from 'a' to itself", NULL, NULL},
		/* A typo of a key with a meaning is kept, with a word. */
		{REL("  - {from: a, type: knows, to: b, soruce: x}\n"), 5, "'soruce' is kept as a plain attribute",
		 "did you mean 'source'?", soruce_is_an_attribute},
		{"relation_types:\n  met: {symetric: true}\n", 2, "'symetric' is kept as a plain attribute",
		 "did you mean 'symmetric'?", symetric_is_not_symmetric},
	};
	(void)state;
	expect_warnings(cases, COUNT(cases));
}

static void test_load__endpoint_type_constraints(void **state)
{
	static const error_case cases[] = {
		{"relation_types:\n  heads: {to: [country, organization]}\n"
		 E("  a: {type: person}\n  c: {type: country}\n") "relations:\n  - [a, heads, a]\n",
		 7, 5, "'heads' relations go to country or organization, but 'a' is a person", NULL, NULL},
		{"relation_types:\n  r: {from: [persn]}\n", 2, 14, "unknown entity type 'persn'", NULL, NULL},
		/* Both ways round fail for a symmetric type: the written way is named. */
		{"relation_types:\n  allied: {symmetric: true, from: [country], to: [organization]}\n"
		 E("  fr: {type: country}\n  ada: {type: person}\n") "relations:\n  - [fr, allied, ada]\n",
		 7, 5, "'allied' relations go to organization, but 'ada' is a person", NULL, NULL},
		{"relation_types:\n  heads: {from: [person]}\n"
		 E("  nato: {type: organization}\n") "relations:\n  - [nato, heads, nato]\n",
		 6, 5, "'heads' relations come from person, but 'nato' is an organization", NULL, NULL},
	};
	kg_diag_list *d;
	kg_graph *g;
	const kg_diag *e;
	(void)state;

	assert_int_equal(load_text(&g, &d,
	                           "relation_types:\n  heads: {from: [person], to: [country, organization]}\n"
	                           E("  a: {type: person}\n  c: {type: country}\n")
	                           "relations:\n  - [c, heads, a]\n"), KG_EINVALID);
	e = first_of(d, KG_SEV_ERROR);
	assert_string_equal(e->message, "'heads' relations come from person, but 'c' is a country");
	assert_int_equal(e->where.line, 7);
	assert_int_equal(e->related.line, 2);
	kg_diag_list_free(d);

	expect_errors(cases, COUNT(cases));
	/* A symmetric type may be written either way round. */
	g = load_ok("relation_types:\n  m: {symmetric: true, from: [person], to: [country]}\n"
	            E("  a: {type: person}\n  c: {type: country}\n") "relations:\n  - [c, m, a]\n");
	kg_graph_free(g);
}

static void test_load__tags_and_empty_text(void **state)
{
	static const error_case cases[] = {
		{REL("  - [a, knows, b, {weight: !!str 2}]\n"), 5, 28, "weight must be a number, not quoted text", NULL, NULL},
		/* Quoted empty text is as empty as a missing value. */
		{E("  a: {type: person, name: \"\"}\n"), 2, 27, "name is empty", NULL, NULL},
		{REL("  - [a, knows, b, {quote: ''}]\n"), 5, 27, "quote is empty", NULL, NULL},
	};
	kg_graph *g;
	double w;
	(void)state;

	/* An explicit core-schema tag asks for that resolution. */
	g = load_ok(REL("  - [a, knows, b, {weight: !!float \"2.5\"}]\n") "relation_types: {knows: {symmetric: !!bool true}}\n");
	assert_true(kg_relation_weight(g, 0, &w) && w == 2.5);
	assert_true(kg_relation_type_is_symmetric(g, 0));
	kg_graph_free(g);
	expect_errors(cases, COUNT(cases));
	/* An attribute may be empty text. */
	g = load_ok(E("  a: {type: person, note: \"\"}\n  b: {type: place}\n"));
	assert_string_equal(kg_entity_attr(g, 0, 0).value, "");
	kg_graph_free(g);
	/* A source may be declared with nothing but its id. */
	g = load_ok("sources:\n  s:\n");
	assert_int_equal(kg_graph_source_count(g), 1);
	kg_graph_free(g);
}

static void test_load__yaml_features(void **state)
{
	static const error_case cases[] = {
		{"title: !python/object x\n", 1, 8, "unknown tag '!python/object'", NULL, NULL},
		{"title: *nothing\n", 1, 8, "alias '*nothing' names no anchor defined before it", NULL, NULL},
		{"entities:\n  a: &p {type: person}\n  b:\n    type: place\n    <<: *p\n", 5, 5,
		 "merge keys ('<<') are not supported", NULL, "write the keys out"},
		/* An alias inside its own anchor would be a cycle; it is undefined. */
		{"entities:\n  a: {type: person, tags: &x [*x]}\n", 2, 31, "alias '*x' names no anchor", NULL, NULL},
	};
	kg_graph *g;
	uint32_t a;
	(void)state;

	/* Anchors and aliases replay the anchored node. */
	g = load_ok("entities:\n  a: &p {type: person, tags: &t [x, y]}\n  b: *p\n  c: {type: place, tags: *t}\n");
	assert_int_equal(kg_graph_entity_count(g), 3);
	a = kg_graph_find_entity(g, "c");
	assert_int_equal(kg_entity_attr_count(g, a), 2);
	assert_string_equal(kg_entity_attr(g, a, 1).value, "y");
	kg_graph_free(g);
	/* Core-schema tags are fine. */
	g = load_ok("title: !!str 2024\nentities: !!map {}\n");
	assert_string_equal(kg_graph_title(g), "2024");
	kg_graph_free(g);
	expect_errors(cases, COUNT(cases));
}

static void test_load__billion_laughs_is_bounded(void **state)
{
	const char *lol =
		"title: lol\n"
		"a: &a [x, x, x, x, x, x, x, x, x]\n"
		"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
		"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
		"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
		"f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
		"g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
		"h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
		"i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n"
		"entities: {z: {type: person, lol: *i}}\n";
	kg_diag_list *d;
	kg_graph *g;
	const kg_diag *e;
	(void)state;

	assert_int_equal(load_text(&g, &d, lol), KG_EINVALID);
	e = first_of(d, KG_SEV_ERROR);
	/* The unknown keys a..i are reported first; the bomb stops the file. */
	e = kg_diag_list_get(d, kg_diag_list_count(d) - 1);
	assert_non_null(strstr(e->message, "aliases expand to more than"));
	assert_null(g);
	kg_diag_list_free(d);
}

static void test_load__deep_nesting_is_bounded(void **state)
{
	char *yaml = malloc(300000);
	size_t n = 0;
	int i;
	(void)state;

	n += (size_t)sprintf(yaml, "title: ");
	for (i = 0; i < 100000; i++)
		yaml[n++] = '[';
	yaml[n] = '\0';
	{
		kg_diag_list *d;
		kg_graph *g;
		const kg_diag *e;
		assert_int_equal(load_text(&g, &d, yaml), KG_EINVALID);
		/* "title must be text" first; then the depth stops the file.
		 * The top mapping is level 1, so the first '[' (column 8) is
		 * level 2 and the one past the limit is at 8 + 63. */
		e = kg_diag_list_get(d, kg_diag_list_count(d) - 1);
		assert_string_equal(e->message, "nesting deeper than 64 levels");
		assert_int_equal(e->where.line, 1);
		assert_int_equal(e->where.column, 8 + KG_MAX_YAML_DEPTH - 1);
		kg_diag_list_free(d);
	}
	free(yaml);
}

static void test_load__reader_errors_point_at_the_byte(void **state)
{
	static const error_case cases[] = {
		{"title: ok\nentities:\n  a: {type: person, name: x\xff}\n", 3, 28, "unreadable text", NULL, NULL},
		{"title: \"a\\0b\"\n", 1, 8, "title contains a NUL character", NULL, NULL},
		/* A byte-order mark does not count as a column. */
		{"\xEF\xBB\xBFtitle: \xff\n", 1, 8, "unreadable text", NULL, NULL},
		/* Columns count characters: "Зеленський" is 10 characters and 20 bytes. */
		{"entities:\n  z: {name: Зеленський, type: persn}\n", 2, 31, "unknown entity type 'persn'", NULL, NULL},
	};
	(void)state;
	expect_errors(cases, COUNT(cases));
	/* A NUL byte in the text: its length is given, not found by strlen. */
	{
		static const char nul[] = "title: ok\nde\0scription: x\n";
		kg_diag_list *d = kg_diag_list_new();
		kg_graph *g;
		const kg_diag *e;
		assert_int_equal(kg_load_string(&g, "t.yaml", nul, sizeof nul - 1, test_load_options(), d), KG_EINVALID);
		e = first_of(d, KG_SEV_ERROR);
		assert_string_equal(e->message, "unreadable text: control characters are not allowed (byte 0x00)");
		assert_int_equal(e->where.line, 2);
		assert_int_equal(e->where.column, 3);
		kg_diag_list_free(d);
	}
}

static void test_load__error_count_is_capped(void **state)
{
	char *yaml = malloc(100000);
	size_t n = 0;
	kg_diag_list *d;
	kg_graph *g;
	int i;
	(void)state;

	n += (size_t)sprintf(yaml, "entities: {a: {type: person}}\nrelations:\n");
	for (i = 0; i < 80; i++)
		n += (size_t)sprintf(yaml + n, "  - [a, knows, nobody%d]\n", i);
	assert_int_equal(load_text(&g, &d, yaml), KG_EINVALID);
	assert_int_equal(kg_diag_list_count_severity(d, KG_SEV_ERROR), KG_MAX_ERRORS);
	assert_non_null(strstr(kg_diag_list_get(d, kg_diag_list_count(d) - 1)->message, "too many errors"));
	kg_diag_list_free(d);
	free(yaml);
}

typedef struct progress_seen {
	int calls;
	size_t last_done, total;
	int went_back;
} progress_seen;

static void on_progress(void *ctx, const char *file, size_t done, size_t total)
{
	progress_seen *p = ctx;

	assert_string_equal(file, "big.yaml");
	if (done < p->last_done)
		p->went_back = 1;
	p->calls++;
	p->last_done = done;
	p->total = total;
}

static void test_load__reports_progress_on_large_input(void **state)
{
	char *yaml = malloc(4000000);
	size_t n = 0;
	int i;
	progress_seen seen = {0, 0, 0, 0};
	kg_load_options opts = *test_load_options();
	kg_graph *g;
	(void)state;

	n += (size_t)sprintf(yaml, "entities: {a: {type: person}}\nrelations:\n");
	for (i = 0; i < 60000; i++)
		n += (size_t)sprintf(yaml + n, "  - [a, knows, a, {n: '%d'}]\n", i);
	opts.progress = on_progress;
	opts.progress_ctx = &seen;
	assert_int_equal(kg_load_string(&g, "big.yaml", yaml, n, &opts, NULL), KG_OK);
	assert_false(kg_graph_file_id(g, 0, NULL, NULL)); /* text in memory is no file */
	/* 60,000 relations are about 600,000 events: several calls, and the
	 * last says the whole file was read. */
	assert_true(seen.calls >= 5);
	assert_false(seen.went_back);
	assert_int_equal(seen.total, n);
	assert_int_equal(seen.last_done, n);
	kg_graph_free(g);
	free(yaml);
}

/* ---- the parser thread ----------------------------------------------- */

static int same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Load text with and without the parser thread: the same result, the
 * same diagnostics in the same order, and the same graph. Returns the
 * result; *errors is the number of errors, and msgs their first
 * messages, one per line. */
static int load_both_ways(const char *text, size_t len, size_t *errors, char msgs[4096])
{
	kg_load_options on = KG_LOAD_OPTIONS_INIT, off = KG_LOAD_OPTIONS_INIT;
	kg_diag_list *d_on = kg_diag_list_new(), *d_off = kg_diag_list_new();
	kg_graph *g_on = NULL, *g_off = NULL;
	int rc_on, rc_off;
	size_t i;

	assert_non_null(d_on);
	assert_non_null(d_off);
	on.thread = KG_LOAD_THREAD_ON;
	off.thread = KG_LOAD_THREAD_OFF;
	rc_on = kg_load_string(&g_on, "t.yaml", text, len, &on, d_on);
	rc_off = kg_load_string(&g_off, "t.yaml", text, len, &off, d_off);
	assert_int_equal(rc_on, rc_off);
	assert_int_equal(kg_diag_list_count(d_on), kg_diag_list_count(d_off));
	for (i = 0; i < kg_diag_list_count(d_on); i++) {
		const kg_diag *a = kg_diag_list_get(d_on, i), *b = kg_diag_list_get(d_off, i);
		assert_int_equal(a->severity, b->severity);
		assert_int_equal(a->where.line, b->where.line);
		assert_int_equal(a->where.column, b->where.column);
		assert_string_equal(a->message, b->message);
		assert_true(same_text(a->hint, b->hint));
		assert_true(same_text(a->source_line, b->source_line));
		assert_int_equal(a->related.line, b->related.line);
		assert_int_equal(a->related.column, b->related.column);
	}
	*errors = kg_diag_list_count_severity(d_on, KG_SEV_ERROR);
	msgs[0] = '\0';
	for (i = 0; i < kg_diag_list_count(d_on); i++) {
		size_t used = strlen(msgs);
		snprintf(msgs + used, 4096 - used, "%s\n", kg_diag_list_get(d_on, i)->message);
	}
	if (rc_on == KG_OK) {
		assert_int_equal(kg_graph_entity_count(g_on), kg_graph_entity_count(g_off));
		assert_int_equal(kg_graph_relation_count(g_on), kg_graph_relation_count(g_off));
		for (i = 0; i < kg_graph_entity_count(g_on); i++) {
			uint32_t e = (uint32_t)i;
			assert_string_equal(kg_entity_id(g_on, e), kg_entity_id(g_off, e));
			assert_string_equal(kg_entity_name(g_on, e), kg_entity_name(g_off, e));
			assert_int_equal(kg_entity_attr_count(g_on, e), kg_entity_attr_count(g_off, e));
			assert_int_equal(kg_entity_location(g_on, e).column, kg_entity_location(g_off, e).column);
		}
		for (i = 0; i < kg_graph_relation_count(g_on); i++) {
			uint32_t r = (uint32_t)i;
			const char *qa = kg_relation_quote(g_on, r), *qb = kg_relation_quote(g_off, r);
			assert_int_equal(kg_relation_from(g_on, r), kg_relation_from(g_off, r));
			assert_int_equal(kg_relation_to(g_on, r), kg_relation_to(g_off, r));
			assert_int_equal(kg_relation_type(g_on, r), kg_relation_type(g_off, r));
			assert_true(same_text(qa, qb));
			assert_int_equal(kg_relation_location(g_on, r).line, kg_relation_location(g_off, r).line);
		}
	}
	kg_graph_free(g_on);
	kg_graph_free(g_off);
	kg_diag_list_free(d_on);
	kg_diag_list_free(d_off);
	return rc_on;
}

/* The parser thread hands events over in batches of 4,096 events and
 * 128 KiB of text: these texts cross many batch boundaries, with an anchor defined
 * in one batch and its alias used in a later one, a quote longer than a
 * batch's text, tags, an error in the middle, and an early stop. */
static void test_load__parse_thread_changes_nothing(void **state)
{
	size_t cap = 4000000, n = 0, i, errors;
	char *yaml = malloc(cap), msgs[4096];
	(void)state;

	assert_non_null(yaml);
	n += (size_t)sprintf(yaml + n, "entities:\n  a: &who {type: person, name: !!str Anna}\n");
	for (i = 0; i < 3000; i++)
		n += (size_t)sprintf(yaml + n, "  e%zu: {type: organization, note: \"n%zu\"}\n", i, i);
	n += (size_t)sprintf(yaml + n, "  b: *who\nrelations:\n  - {from: a, type: knows, to: b, quote: \"");
	for (i = 0; i < 200000; i++) /* longer than a batch's text, which grows */
		yaml[n++] = (char)('a' + i % 26);
	n += (size_t)sprintf(yaml + n, "\"}\n");
	for (i = 0; i < 3000; i++)
		n += (size_t)sprintf(yaml + n, "  - [e%zu, knows, e%zu]\n", i, (i * 7 + 1) % 3000);
	yaml[n] = '\0';
	assert_int_equal(load_both_ways(yaml, n, &errors, msgs), KG_OK);
	assert_int_equal(errors, 0);

	/* Errors in the middle, and the rest still read. */
	memcpy(strstr(yaml, "  - [e1500,"), "  - [x1500,", 11);
	memcpy(strstr(yaml, "  e2000: {type: organization"), "  e2000: {type: organizatio ", 28);
	assert_int_equal(load_both_ways(yaml, n, &errors, msgs), KG_EINVALID);
	assert_int_equal(errors, 2);

	/* A syntax error near the end: libyaml's error, reported in order
	 * after the others. The unknown x1500 is now one note, not an error:
	 * after a syntax error, an entity may be unknown only because the
	 * rest of its file was not read. */
	assert_memory_equal(yaml + n - 2, "]\n", 2);
	yaml[n - 2] = ' '; /* the last [from, type, to] is never closed */
	assert_int_equal(load_both_ways(yaml, n, &errors, msgs), KG_EINVALID);
	assert_int_equal(errors, 2);
	assert_non_null(strstr(msgs, "YAML syntax error"));
	assert_non_null(strstr(msgs, "1 reference to unknown entities not reported"));
	yaml[n - 2] = ']';

	/* Too many errors: the reader stops and cancels the parser thread,
	 * which may still be parsing or waiting for a free batch. */
	for (i = 0; i < 100; i++)
		memcpy(strstr(yaml, "  - [e"), "  - [x", 6);
	assert_int_equal(load_both_ways(yaml, n, &errors, msgs), KG_EINVALID);
	assert_int_equal(errors, KG_MAX_ERRORS);
	free(yaml);
}

/* ---- files and includes ---------------------------------------------- */

static char dir[64];

static void put(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int make_dir(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/kgraph-test-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	return 0;
}

static int remove_dir(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int load_path(kg_graph **g, kg_diag_list **d, const char *name)
{
	char path[256];
	const char *p = path;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	*d = kg_diag_list_new();
	return kg_load_files(g, &p, 1, test_load_options(), *d);
}

static void test_load__includes_merge_relative_to_the_file(void **state)
{
	kg_diag_list *d;
	kg_graph *g;
	char sub[128];
	(void)state;

	snprintf(sub, sizeof sub, "%s/common", dir);
	mkdir(sub, 0700);
	put("main.yaml", "title: Main\ninclude: [common/people.yaml, common/places.yaml]\n"
	                 "relations:\n  - [biden, visited, kyiv, {source: memo}]\n");
	put("common/people.yaml", "include: places.yaml\nentities:\n  biden: {type: person}\n"
	                          "sources: {memo: {file: memo.txt}}\n");
	put("common/places.yaml", "title: Ignored\nentities:\n  kyiv: {type: place}\n");
	assert_int_equal(load_path(&g, &d, "main.yaml"), KG_OK);
	assert_int_equal(kg_graph_entity_count(g), 2);
	assert_int_equal(kg_graph_file_count(g), 3); /* places.yaml read once */
	/* Each file's identity is the one stat() gives for it. */
	for (size_t i = 0; i < 3; i++) {
		struct stat st;
		uint64_t dev = 0, ino = 0;
		assert_true(kg_graph_file_id(g, i, &dev, &ino));
		assert_int_equal(stat(kg_graph_file(g, i), &st), 0);
		assert_true(dev == (uint64_t)st.st_dev && ino == (uint64_t)st.st_ino);
	}
	assert_false(kg_graph_file_id(g, 3, NULL, NULL));
	assert_string_equal(kg_graph_title(g), "Main");
	/* A source's file: is relative to the file that declares it. */
	{
		char want[256];
		snprintf(want, sizeof want, "%s/common/memo.txt", dir);
		assert_string_equal(kg_source_file(g, 0), want);
	}
	/* The second title is reported, not silently dropped. */
	assert_non_null(strstr(first_of(d, KG_SEV_WARNING)->message, "title ignored"));
	kg_graph_free(g);
	kg_diag_list_free(d);
}

static void test_load__include_problems(void **state)
{
	kg_diag_list *d;
	kg_graph *g;
	const kg_diag *e;
	(void)state;

	put("self.yaml", "include: self.yaml\n");
	assert_int_equal(load_path(&g, &d, "self.yaml"), KG_EINVALID);
	e = first_of(d, KG_SEV_ERROR);
	assert_non_null(strstr(e->message, "include cycle: "));
	assert_non_null(strstr(e->message, "self.yaml -> "));
	assert_int_equal(e->where.line, 1);
	assert_int_equal(e->where.column, 10);
	kg_diag_list_free(d);

	put("c1.yaml", "include: c2.yaml\n");
	put("c2.yaml", "include: c3.yaml\n");
	put("c3.yaml", "entities: {}\ninclude: c1.yaml\n");
	assert_int_equal(load_path(&g, &d, "c1.yaml"), KG_EINVALID);
	e = first_of(d, KG_SEV_ERROR);
	assert_non_null(strstr(e->message, "c1.yaml -> "));
	assert_non_null(strstr(e->message, "c2.yaml -> "));
	assert_non_null(strstr(e->message, "c3.yaml -> "));
	assert_non_null(strstr(e->where.file, "c3.yaml"));
	assert_int_equal(e->where.line, 2);
	kg_diag_list_free(d);

	/* A chain that starts in memory names its files correctly. */
	{
		char name[256], yaml[512];
		snprintf(name, sizeof name, "%s/mem.yaml", dir);
		snprintf(yaml, sizeof yaml, "include: c1.yaml\n");
		d = kg_diag_list_new();
		assert_int_equal(kg_load_string(&g, name, yaml, strlen(yaml), test_load_options(), d), KG_EINVALID);
		e = first_of(d, KG_SEV_ERROR);
		assert_non_null(strstr(e->message, "include cycle: "));
		assert_null(strstr(e->message, "mem.yaml"));
		assert_non_null(strstr(e->message, "c1.yaml -> "));
		kg_diag_list_free(d);
	}

	put("missing.yaml", "title: x\ninclude: [nowhere.yaml]\n");
	assert_int_equal(load_path(&g, &d, "missing.yaml"), KG_EINVALID);
	e = first_of(d, KG_SEV_ERROR);
	assert_non_null(strstr(e->message, "cannot include '"));
	assert_non_null(strstr(e->message, "No such file or directory"));
	assert_int_equal(e->where.line, 2);
	assert_int_equal(e->where.column, 11);
	assert_string_equal(e->source_line, "include: [nowhere.yaml]");
	kg_diag_list_free(d);

	put("dir.yaml", "include: .\n");
	assert_int_equal(load_path(&g, &d, "dir.yaml"), KG_EINVALID);
	assert_non_null(strstr(first_of(d, KG_SEV_ERROR)->message, "it is a directory"));
	kg_diag_list_free(d);

	/* Outside the graph's folder: refused before it is opened. */
	put("dev.yaml", "include: /dev/zero\n");
	assert_int_equal(load_path(&g, &d, "dev.yaml"), KG_EINVALID);
	assert_non_null(strstr(first_of(d, KG_SEV_ERROR)->message, "outside the folders this graph may read"));
	kg_diag_list_free(d);
	/* Allowed by an include path: opened, and refused as no regular file. */
	{
		kg_load_options o = *test_load_options();
		const char *inc[] = {"/dev"}, *p;
		char path[256];
		o.include_paths = inc;
		o.include_path_count = 1;
		snprintf(path, sizeof path, "%s/dev.yaml", dir);
		p = path;
		d = kg_diag_list_new();
		assert_int_equal(kg_load_files(&g, &p, 1, &o, d), KG_EINVALID);
		assert_non_null(strstr(first_of(d, KG_SEV_ERROR)->message, "not a regular file"));
		kg_diag_list_free(d);
	}
}

static void test_load__duplicates_across_files(void **state)
{
	char p1[256], p2[256];
	const char *paths[2] = {p1, p2};
	kg_diag_list *d = kg_diag_list_new();
	kg_graph *g;
	const kg_diag *e;
	(void)state;

	put("one.yaml", "entities:\n  a: {type: person}\n");
	put("two.yaml", "entities:\n  b: {type: person}\n  a: {type: place}\n");
	snprintf(p1, sizeof p1, "%s/one.yaml", dir);
	snprintf(p2, sizeof p2, "%s/two.yaml", dir);
	assert_int_equal(kg_load_files(&g, paths, 2, test_load_options(), d), KG_EINVALID);
	e = first_of(d, KG_SEV_ERROR);
	assert_string_equal(e->message, "duplicate entity 'a'");
	assert_string_equal(e->where.file, p2);
	assert_int_equal(e->where.line, 3);
	assert_string_equal(e->related.file, p1);
	assert_int_equal(e->related.line, 2);
	kg_diag_list_free(d);
}

static void test_load__unreadable_file_is_an_io_error(void **state)
{
	const char *p = "/nonexistent/kgraph.yaml";
	kg_diag_list *d = kg_diag_list_new();
	kg_graph *g;
	(void)state;

	assert_int_equal(kg_load_files(&g, &p, 1, test_load_options(), d), KG_EIO);
	assert_null(g);
	assert_string_equal(first_of(d, KG_SEV_ERROR)->where.file, p);
	assert_non_null(strstr(first_of(d, KG_SEV_ERROR)->message, "cannot read"));
	kg_diag_list_free(d);
	assert_int_equal(kg_load_files(NULL, &p, 1, NULL, NULL), KG_EARG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load__minimal_graphs),
		cmocka_unit_test(test_load__syntax_error_has_position_and_context),
		cmocka_unit_test(test_load__unknown_top_level_key),
		cmocka_unit_test(test_load__empty_and_wrong_documents),
		cmocka_unit_test(test_load__unknown_references_suggest),
		cmocka_unit_test(test_load__references_may_come_later_or_from_includes),
		cmocka_unit_test(test_load__duplicates_name_both_places),
		cmocka_unit_test(test_load__wrong_kinds_of_value),
		cmocka_unit_test(test_load__relation_forms),
		cmocka_unit_test(test_load__relation_values),
		cmocka_unit_test(test_load__relation_values_accepted),
		cmocka_unit_test(test_load__warnings),
		cmocka_unit_test(test_load__endpoint_type_constraints),
		cmocka_unit_test(test_load__tags_and_empty_text),
		cmocka_unit_test(test_load__yaml_features),
		cmocka_unit_test(test_load__billion_laughs_is_bounded),
		cmocka_unit_test(test_load__deep_nesting_is_bounded),
		cmocka_unit_test(test_load__reader_errors_point_at_the_byte),
		cmocka_unit_test(test_load__error_count_is_capped),
		cmocka_unit_test(test_load__reports_progress_on_large_input),
		cmocka_unit_test(test_load__parse_thread_changes_nothing),
		cmocka_unit_test(test_load__includes_merge_relative_to_the_file),
		cmocka_unit_test(test_load__include_problems),
		cmocka_unit_test(test_load__duplicates_across_files),
		cmocka_unit_test(test_load__unreadable_file_is_an_io_error),
	};
	return cmocka_run_group_tests_name("load", tests, make_dir, remove_dir);
}
