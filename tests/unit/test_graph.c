/* test_graph.c - dates, records, lookups and adjacency of a loaded graph. */
#define _POSIX_C_SOURCE 200809L
#include "test_common.h"
#include "util/strtab.h"

#include <unistd.h>

static const char small[] =
	"title: Small\n"
	"sources:\n"
	"  memo: {title: A memo, publisher: Desk, date: 2024-09, url: https://example.org/m}\n"
	"types:\n"
	"  person: {shape: ellipse}\n"
	"  media: {label: News outlet, color: \"#8c564b\"}\n"
	"relation_types:\n"
	"  met_with: {label: met with, symmetric: true}\n"
	"  heads: {from: [person], to: [country]}\n"
	"entities:\n"
	"  biden: {type: person, name: Joe Biden, aliases: [President Biden, Biden]}\n"
	"  usa: {type: country, name: United States, aliases: U.S.}\n"
	"  zelenskyy: {type: person, name: Volodymyr Zelenskyy, aliases: [Зеленський]}\n"
	"  starmer:\n"
	"    type: person\n"
	"    name: Keir Starmer\n"
	"    role: Prime Minister\n"
	"    offices: [PM, MP]\n"
	"  paper: {type: media, name: Paper}\n"
	"  paper2: {type: media, name: paper two, aliases: [The Paper]}\n"
	"  paper3: {type: media, name: The paper}\n"
	"relations:\n"
	"  - [biden, heads, usa]\n"
	"  - [biden, met_with, starmer, {date: 2024-09-13, source: memo, quote: They met., weight: 2.5}]\n"
	"  - from: zelenskyy\n"
	"    type: met_with\n"
	"    to: biden\n"
	"    since: 2024-05\n"
	"    until: 2024-11\n"
	"    venue: White House\n"
	"  - [paper, reported, biden]\n";

static void test_graph__dates_parse_and_order(void **state)
{
	kg_date a, b, c, d;
	char buf[11];
	(void)state;

	assert_int_equal(kg_date_parse(&a, "2024", 4), KG_OK);
	assert_int_equal(kg_date_parse(&b, "2024-05", 7), KG_OK);
	assert_int_equal(kg_date_parse(&c, "2024-05-31", 10), KG_OK);
	assert_int_equal(kg_date_parse(&d, "2024-02-29", 10), KG_OK); /* leap year */
	assert_true(a < b && b < c);
	assert_int_equal(KG_DATE_YEAR(c), 2024);
	assert_int_equal(KG_DATE_MONTH(c), 5);
	assert_int_equal(KG_DATE_DAY(c), 31);
	assert_string_equal(kg_date_format(buf, a), "2024");
	assert_string_equal(kg_date_format(buf, b), "2024-05");
	assert_string_equal(kg_date_format(buf, c), "2024-05-31");
	assert_string_equal(kg_date_format(buf, 0), "");
	assert_string_equal(kg_date_format(buf, kg_date_first_day(a)), "2024-01-01");
	assert_string_equal(kg_date_format(buf, kg_date_first_day(b)), "2024-05-01");
	assert_int_equal(kg_date_first_day(c), c);
	assert_int_equal(kg_date_first_day(0), 0);
}

static void test_graph__bad_dates_are_refused(void **state)
{
	static const char *const bad[] = {
		"2024-13-45", "2023-02-29", "1900-02-29", "2024-04-31", "2024-00", "0000",
		"24-05-01", "2024/05/01", "2024-5-1", "2024-05-01T00", "", "abcd",
	};
	size_t i;
	kg_date d;
	(void)state;

	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (kg_date_parse(&d, bad[i], strlen(bad[i])) != KG_EINVALID)
			fail_msg("date '%s' was accepted", bad[i]);
		assert_int_equal(d, 0);
	}
	assert_int_equal(kg_date_parse(&d, "2000-02-29", 10), KG_OK);
}

static void test_graph__records_keep_what_was_written(void **state)
{
	kg_graph *g = load_ok(small);
	uint32_t starmer = kg_graph_find_entity(g, "starmer"), media, person, t;
	kg_attr a;
	double w;
	char buf[11];
	(void)state;

	assert_string_equal(kg_graph_title(g), "Small");
	assert_int_equal(kg_graph_entity_count(g), 7);
	assert_int_equal(kg_graph_relation_count(g), 4);
	assert_string_equal(kg_entity_name(g, starmer), "Keir Starmer");
	assert_int_equal(kg_entity_attr_count(g, starmer), 3);
	a = kg_entity_attr(g, starmer, 0);
	assert_string_equal(a.key, "role");
	assert_string_equal(a.value, "Prime Minister");
	assert_false(a.in_list);
	a = kg_entity_attr(g, starmer, 2);
	assert_string_equal(a.key, "offices");
	assert_string_equal(a.value, "MP");
	assert_true(a.in_list);
	assert_int_equal(kg_entity_location(g, starmer).line, 14);
	assert_int_equal(kg_entity_location(g, starmer).column, 3);

	/* Types: built-ins first, a built-in restyled keeps its index. */
	person = kg_graph_find_type(g, "person");
	media = kg_graph_find_type(g, "media");
	assert_int_equal(person, 0);
	assert_int_equal(media, 7);
	assert_true(kg_type_is_builtin(g, person));
	assert_int_equal(kg_type_attr_count(g, person), 1);
	assert_string_equal(kg_type_label(g, media), "News outlet");
	assert_string_equal(kg_type_label(g, person), "person");
	assert_false(kg_type_is_builtin(g, media));

	/* Relations and their optional parts. */
	assert_int_equal(kg_relation_from(g, 1), kg_graph_find_entity(g, "biden"));
	assert_int_equal(kg_relation_to(g, 1), starmer);
	assert_string_equal(kg_date_format(buf, kg_relation_date(g, 1)), "2024-09-13");
	assert_int_equal(kg_relation_source(g, 1), kg_graph_find_source(g, "memo"));
	assert_string_equal(kg_relation_quote(g, 1), "They met.");
	assert_true(kg_relation_weight(g, 1, &w));
	assert_true(w == 2.5);
	assert_false(kg_relation_weight(g, 0, &w));
	assert_int_equal(kg_relation_source(g, 0), KG_NONE);
	assert_null(kg_relation_quote(g, 0));
	assert_string_equal(kg_date_format(buf, kg_relation_since(g, 2)), "2024-05");
	assert_string_equal(kg_date_format(buf, kg_relation_until(g, 2)), "2024-11");
	assert_int_equal(kg_relation_attr_count(g, 2), 1);
	assert_string_equal(kg_relation_attr(g, 2, 0).value, "White House");
	assert_int_equal(kg_relation_location(g, 2).line, 25);

	/* Relation types: declared and used ones. */
	t = kg_graph_find_relation_type(g, "met_with");
	assert_true(kg_relation_type_is_symmetric(g, t));
	assert_string_equal(kg_relation_type_label(g, t), "met with");
	assert_int_equal(kg_relation_type_use_count(g, t), 2);
	t = kg_graph_find_relation_type(g, "heads");
	assert_int_equal(kg_relation_type_from_count(g, t), 1);
	assert_int_equal(kg_relation_type_from(g, t, 0), person);
	t = kg_graph_find_relation_type(g, "reported");
	assert_false(kg_relation_type_is_declared(g, t));
	assert_string_equal(kg_relation_type_label(g, t), "reported");

	/* Sources. */
	t = kg_graph_find_source(g, "memo");
	assert_string_equal(kg_source_title(g, t), "A memo");
	assert_string_equal(kg_source_url(g, t), "https://example.org/m");
	assert_int_equal(kg_source_cite_count(g, t), 1);
	assert_string_equal(kg_date_format(buf, kg_source_date(g, t)), "2024-09");
	assert_null(kg_source_file(g, t));
	kg_graph_free(g);
}

/* Relation locations are kept compressed (a difference from the first
 * relation of a block of 32); check every kind that does not fit: a far
 * column, lines far apart, and an alias, whose relation is where the
 * anchored node was written, before the alias. */
static void test_graph__relation_locations_exact(void **state)
{
	unsigned lines[100], cols[100];
	char *yaml = malloc(200000);
	size_t n = 0;
	unsigned line = 1, i, j;
	kg_graph *g;
	(void)state;

	assert_non_null(yaml);
	n += (size_t)sprintf(yaml + n, "entities: {a: {type: person}, b: {type: person}}\nrelations:\n");
	line = 3;
	for (i = 0; i < 100; i++) {
		unsigned pad = i % 7 == 3 ? 70 + i : 1;
		if (i == 40 || i == 77)
			for (j = 0; j < 1500; j++, line++)
				n += (size_t)sprintf(yaml + n, "#\n");
		if (i == 5) {
			n += (size_t)sprintf(yaml + n, "  - &r5 [a, r, b]\n");
			lines[i] = line;
			cols[i] = 5; /* the node starts at its anchor */
		} else if (i == 60) {
			n += (size_t)sprintf(yaml + n, "  - *r5\n");
			lines[i] = lines[5];
			cols[i] = cols[5];
		} else {
			n += (size_t)sprintf(yaml + n, "  -%*s[b, r, a]\n", (int)pad, "");
			lines[i] = line;
			cols[i] = 4 + pad;
		}
		line++;
	}
	g = load_ok(yaml);
	assert_int_equal(kg_graph_relation_count(g), 100);
	for (i = 0; i < 100; i++) {
		kg_location at = kg_relation_location(g, i);
		assert_int_equal(at.line, lines[i]);
		assert_int_equal(at.column, cols[i]);
		assert_string_equal(at.file, "t.yaml");
	}
	kg_graph_free(g);
	free(yaml);
}

/* Entity locations are kept the same way as relations'. */
static void test_graph__entity_locations_exact(void **state)
{
	unsigned lines[70];
	char *yaml = malloc(400000);
	size_t n = 0;
	unsigned line = 2, i, j;
	kg_graph *g;
	(void)state;

	assert_non_null(yaml);
	n += (size_t)sprintf(yaml + n, "entities:\n");
	for (i = 0; i < 70; i++) {
		if (i % 9 == 4)
			for (j = 0; j < 1100; j++, line++)
				n += (size_t)sprintf(yaml + n, "#\n");
		n += (size_t)sprintf(yaml + n, "  e%u:\n    type: person\n", i);
		lines[i] = line;
		line += 2;
	}
	g = load_ok(yaml);
	assert_int_equal(kg_graph_entity_count(g), 70);
	for (i = 0; i < 70; i++) {
		kg_location at = kg_entity_location(g, i);
		assert_int_equal(at.line, lines[i]);
		assert_int_equal(at.column, 3);
	}
	kg_graph_free(g);
	free(yaml);
}

static void test_graph__adjacency_in_file_order(void **state)
{
	kg_graph *g = load_ok(small);
	uint32_t biden = kg_graph_find_entity(g, "biden");
	const uint32_t *rels;
	size_t n;
	(void)state;

	rels = kg_graph_out(g, biden, &n);
	assert_int_equal(n, 2);
	assert_int_equal(rels[0], 0);
	assert_int_equal(rels[1], 1);
	rels = kg_graph_in(g, biden, &n);
	assert_int_equal(n, 2);
	assert_int_equal(rels[0], 2);
	assert_int_equal(rels[1], 3);
	/* The other ends, as the searches read them. */
	assert_int_equal(kg_relation_from(g, 2), kg_graph_find_entity(g, "zelenskyy"));
	assert_int_equal(kg_relation_from(g, 3), kg_graph_find_entity(g, "paper"));
	assert_int_equal(kg_relation_to(g, 0), kg_graph_find_entity(g, "usa"));
	assert_int_equal(kg_relation_to(g, 1), kg_graph_find_entity(g, "starmer"));
	rels = kg_graph_out(g, kg_graph_find_entity(g, "usa"), &n);
	assert_int_equal(n, 0);
	(void)rels;
	kg_graph_free(g);
}

static void test_graph__resolve_by_id_name_alias_any_case(void **state)
{
	kg_graph *g = load_ok(small);
	uint32_t e, biden = kg_graph_find_entity(g, "biden"), z = kg_graph_find_entity(g, "zelenskyy");
	const uint32_t *cand;
	size_t n;
	(void)state;

	assert_int_equal(kg_graph_resolve(&e, NULL, NULL, g, "biden"), KG_OK);
	assert_int_equal(e, biden);
	assert_int_equal(kg_graph_resolve(&e, NULL, NULL, g, "JOE BIDEN"), KG_OK);
	assert_int_equal(e, biden);
	assert_int_equal(kg_graph_resolve(&e, NULL, NULL, g, "president biden"), KG_OK);
	assert_int_equal(e, biden);
	assert_int_equal(kg_graph_resolve(&e, NULL, NULL, g, "BiDeN"), KG_OK);
	assert_int_equal(e, biden);
	/* Full Unicode case folding, not ASCII only. */
	assert_int_equal(kg_graph_resolve(&e, NULL, NULL, g, "зеленський"), KG_OK);
	assert_int_equal(e, z);
	assert_int_equal(kg_graph_resolve(&e, NULL, NULL, g, "ЗЕЛЕНСЬКИЙ"), KG_OK);
	assert_int_equal(e, z);
	assert_int_equal(kg_graph_resolve(&e, NULL, NULL, g, "u.s."), KG_OK);
	assert_int_equal(e, kg_graph_find_entity(g, "usa"));
	/* "the paper" is paper2's alias and paper3's name: ambiguous. */
	assert_int_equal(kg_graph_resolve(&e, &cand, &n, g, "the paper"), KG_EAMBIGUOUS);
	assert_int_equal(e, KG_NONE);
	assert_int_equal(n, 2);
	assert_int_equal(cand[0], kg_graph_find_entity(g, "paper2"));
	assert_int_equal(cand[1], kg_graph_find_entity(g, "paper3"));
	/* An exact id wins over a name that folds to it. */
	assert_int_equal(kg_graph_resolve(&e, NULL, NULL, g, "paper"), KG_OK);
	assert_int_equal(e, kg_graph_find_entity(g, "paper"));
	assert_int_equal(kg_graph_resolve(&e, &cand, &n, g, "nobody"), KG_ENOTFOUND);
	assert_int_equal(n, 0);
	assert_int_equal(kg_graph_resolve(&e, NULL, NULL, g, "\xff\xfe"), KG_ENOTFOUND);
	assert_int_equal(kg_graph_find_entity(g, "Biden"), KG_NONE); /* ids are exact */
	kg_graph_free(g);
}

/* An id that needs no folding is found in any case, whether it is alone
 * with its folded text (then it is not in the name index: names.c) or
 * shares it with another entity's name (then both answer). */
static void test_graph__resolve_ids_that_fold_to_themselves(void **state)
{
	static const char yaml[] =
		"entities:\n"
		"  paris: {type: place}\n"
		"  city: {type: place, name: PARIS}\n"
		"  lyon: {type: place}\n"
		"  lyon_2: {type: place, aliases: [Lyon_2]}\n"
		"  Nice: {type: place}\n";
	kg_graph *g = load_ok(yaml);
	uint32_t e;
	const uint32_t *cand;
	size_t n;
	(void)state;

	assert_int_equal(kg_graph_resolve(&e, &cand, &n, g, "Paris"), KG_EAMBIGUOUS);
	assert_int_equal(n, 2);
	assert_int_equal(cand[0], kg_graph_find_entity(g, "paris"));
	assert_int_equal(cand[1], kg_graph_find_entity(g, "city"));
	assert_int_equal(kg_graph_resolve(&e, NULL, NULL, g, "paris"), KG_OK); /* the exact id */
	assert_int_equal(e, kg_graph_find_entity(g, "paris"));
	assert_int_equal(kg_graph_resolve(&e, NULL, NULL, g, "LYON"), KG_OK);
	assert_int_equal(e, kg_graph_find_entity(g, "lyon"));
	assert_int_equal(kg_graph_resolve(&e, NULL, NULL, g, "LYON_2"), KG_OK);
	assert_int_equal(e, kg_graph_find_entity(g, "lyon_2"));
	assert_int_equal(kg_graph_resolve(&e, NULL, NULL, g, "nICE"), KG_OK);
	assert_int_equal(e, kg_graph_find_entity(g, "Nice"));
	assert_int_equal(kg_graph_resolve(&e, NULL, NULL, g, "lyons"), KG_ENOTFOUND);
	kg_graph_free(g);
}

/* Two different lowercase texts "n<i>" whose name-index hashes are equal,
 * found by a birthday search (about 80,000 hashes; the hash is fixed, so
 * the pair is always the same). */
static void colliding_names(char a[16], char b[16])
{
	enum { NSLOT = 1 << 20 };
	uint32_t *slot = calloc(NSLOT, sizeof *slot), i; /* i + 1; 0 = empty */
	char s[16];

	assert_non_null(slot);
	for (i = 0; i < 4000000; i++) {
		uint32_t h, k;
		snprintf(s, sizeof s, "n%u", i);
		h = kg__strtab_hash(s, strlen(s));
		for (k = h & (NSLOT - 1); slot[k]; k = (k + 1) & (NSLOT - 1)) {
			snprintf(a, 16, "n%u", slot[k] - 1);
			if (kg__strtab_hash(a, strlen(a)) == h) {
				snprintf(b, 16, "%s", s);
				free(slot);
				return;
			}
		}
		slot[k] = i + 1;
	}
	fail_msg("no collision");
}

/* Entities whose names' texts share a hash are told apart: a lookup
 * answers only the entities that bear the name, all of them, ascending,
 * whether interleaved in entity order or not, also in a snapshot. */
static void expect_collided(const kg_graph *g, const char *a, const char *b)
{
	uint32_t e, want_a[] = {0, 2, 3}, want_b[] = {1, 3, 4};
	const uint32_t *cand;
	char upper[16];
	size_t n, i;

	assert_int_equal(kg_graph_resolve(&e, &cand, &n, g, a), KG_EAMBIGUOUS);
	assert_int_equal(n, 3);
	for (i = 0; i < 3; i++)
		assert_int_equal(cand[i], want_a[i]);
	for (i = 0; b[i]; i++)
		upper[i] = (char)(b[i] == 'n' ? 'N' : b[i]);
	upper[i] = 0;
	assert_int_equal(kg_graph_resolve(&e, &cand, &n, g, upper), KG_EAMBIGUOUS);
	assert_int_equal(n, 3);
	for (i = 0; i < 3; i++)
		assert_int_equal(cand[i], want_b[i]);
	/* f's name collides with nothing but itself; g bears both texts. */
	assert_int_equal(kg_graph_resolve(&e, NULL, NULL, g, "only f"), KG_OK);
	assert_int_equal(e, 5);
}

static void test_graph__resolve_tells_colliding_names_apart(void **state)
{
	char a[16], b[16], dir[] = "/tmp/kgraph-names-XXXXXX", yaml[64], kgs[64], text[512];
	const char *path = yaml;
	kg_diag_list *d = kg_diag_list_new();
	kg_graph *g, *s;
	FILE *f;
	(void)state;

	colliding_names(a, b);
	assert_string_not_equal(a, b);
	assert_int_equal(kg__strtab_hash(a, strlen(a)), kg__strtab_hash(b, strlen(b)));
	/* a's entities 0, 2, 3 and b's 1, 3, 4 interleave; names are given
	 * in capitals, so that they are folded. */
	snprintf(text, sizeof text,
	         "entities:\n"
	         "  e0: {type: person, name: N%s}\n"
	         "  e1: {type: person, name: N%s}\n"
	         "  e2: {type: person, name: x, aliases: [N%s]}\n"
	         "  e3: {type: person, name: N%s, aliases: [N%s, %s]}\n"
	         "  e4: {type: person, name: y, aliases: [N%s]}\n"
	         "  e5: {type: person, name: Only F}\n",
	         a + 1, b + 1, a + 1, a + 1, b + 1, b, b + 1);
	assert_non_null(mkdtemp(dir));
	snprintf(yaml, sizeof yaml, "%s/g.yaml", dir);
	snprintf(kgs, sizeof kgs, "%s/g.kgs", dir);
	assert_non_null(f = fopen(yaml, "w"));
	fputs(text, f);
	fclose(f);
	assert_int_equal(kg_load_files(&g, &path, 1, test_load_options(), d), KG_OK);
	expect_collided(g, a, b);
	assert_int_equal(kg_snapshot_write(g, kgs, NULL, d), KG_OK);
	assert_int_equal(kg_snapshot_open(&s, kgs, NULL, d), KG_OK);
	expect_collided(s, a, b);
	kg_graph_free(s);
	kg_graph_free(g);
	kg_diag_list_free(d);
	remove(kgs);
	remove(yaml);
	remove(dir);
}

static void test_graph__suggest_nearest_entity(void **state)
{
	kg_graph *g = load_ok(small);
	(void)state;

	assert_string_equal(kg_graph_suggest_entity(g, "bidn"), "biden");
	assert_string_equal(kg_graph_suggest_entity(g, "Keir Starmr"), "starmer");
	assert_string_equal(kg_graph_suggest_entity(g, "Presiden Biden"), "biden"); /* an alias */
	assert_null(kg_graph_suggest_entity(g, "completely different"));
	assert_string_equal(kg_graph_suggest_type(g, "persn"), "person");
	assert_string_equal(kg_graph_suggest_type(g, "mdia"), "media");
	assert_null(kg_graph_suggest_type(g, "spaceship"));
	assert_string_equal(kg_graph_suggest_relation_type(g, "met_wiht"), "met_with");
	assert_null(kg_graph_suggest_relation_type(g, "xyzzy"));
	kg_graph_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_graph__dates_parse_and_order),
		cmocka_unit_test(test_graph__bad_dates_are_refused),
		cmocka_unit_test(test_graph__records_keep_what_was_written),
		cmocka_unit_test(test_graph__relation_locations_exact),
		cmocka_unit_test(test_graph__entity_locations_exact),
		cmocka_unit_test(test_graph__adjacency_in_file_order),
		cmocka_unit_test(test_graph__resolve_by_id_name_alias_any_case),
		cmocka_unit_test(test_graph__resolve_ids_that_fold_to_themselves),
		cmocka_unit_test(test_graph__resolve_tells_colliding_names_apart),
		cmocka_unit_test(test_graph__suggest_nearest_entity),
	};
	return cmocka_run_group_tests_name("graph", tests, NULL, NULL);
}
