/*
 * test_layout.c - layout files (kg_render_layout_*) and renders that keep
 * a layout (kg_render_options.layout, layout_out): reading back what was
 * written, every refusal of a bad file, bounds, failed allocations, and
 * the positions a render gives back; the geometry gv.c applies to a
 * layout (gv_geom.c).
 */
#include "test_common.h"
#include "util/util.h"
#include "render/gv_geom.h"
#include "kgraph/limits.h"

#include <math.h>

static const char graph[] = "entities:\n"
                            "  a: {type: person, name: A}\n"
                            "  b: {type: person, name: B}\n"
                            "  c: {type: organization, name: C}\n"
                            "relations:\n"
                            "  - [a, knows, b]\n"
                            "  - [b, member_of, c]\n";

static int parse(kg_render_layout **l, const char *text, kg_diag_list *d)
{
	return kg_render_layout_parse(l, text, strlen(text), "t.layout", d);
}

static void test_layout__reads_what_it_writes(void **state)
{
	const char text[] = "# kgraph layout 1\r\n# a comment\n\n  e-a 1.5 -2\n\te-b\t1e2   3.25\ne-c 0 0";
	kg_render_layout *l = NULL, *again = NULL;
	unsigned char *out = NULL, *out2 = NULL;
	size_t len = 0, len2 = 0;
	double x = 0, y = 0;
	(void)state;

	assert_int_equal(parse(&l, text, NULL), KG_OK);
	assert_int_equal(kg_render_layout_count(l), 3);
	assert_true(kg_render_layout_find(l, "e-b", &x, &y));
	assert_true(x == 100 && y == 3.25);
	assert_false(kg_render_layout_find(l, "e-d", &x, &y));
	assert_false(kg_render_layout_find(l, NULL, &x, &y));
	assert_int_equal(kg_render_layout_format(&out, &len, l), KG_OK);
	assert_non_null(strstr((char *)out, "\ne-a 1.50 -2.00\ne-b 100.00 3.25\ne-c 0.00 0.00\n"));
	/* written, read and written again: the same bytes */
	assert_int_equal(kg_render_layout_parse(&again, (char *)out, len, "t.layout", NULL), KG_OK);
	assert_int_equal(kg_render_layout_format(&out2, &len2, again), KG_OK);
	assert_int_equal(len, len2);
	assert_memory_equal(out, out2, len);
	kg_render_free(out);
	kg_render_free(out2);
	kg_render_layout_free(l);
	kg_render_layout_free(again);
	kg_render_layout_free(NULL);
}

/* Each bad file: refused (KG_EINVALID, no layout) with one error at the
 * line and column given. */
static void test_layout__refuses_bad_files_saying_where(void **state)
{
	static const struct {
		const char *text;
		unsigned line, column;
		const char *message;
	} bad[] = {
		{"", 1, 1, "not a kgraph layout file"},
		{"# kgraph layout 2\n", 1, 1, "not a kgraph layout file"},
		{"# kgraph layout 1x\n", 1, 1, "not a kgraph layout file"},
		{"# kgraph layout 1\ne-a 1 x\n", 2, 7, "'x' is not a number"},
		{"# kgraph layout 1\ne-a 1 nan\n", 2, 7, "'nan' is not a number"},
		{"# kgraph layout 1\ne-a 1 -1e8\n", 2, 7, "at most 10000000 points"},
		{"# kgraph layout 1\ne-a 1\n", 2, 6, "two numbers"},
		{"# kgraph layout 1\ne-a\n", 2, 4, "not followed by a position"},
		{"# kgraph layout 1\ne-a 1 2 3\n", 2, 9, "unexpected text"},
		{"# kgraph layout 1\ne:a 1 2\n", 2, 2, "cannot contain"},
		{"# kgraph layout 1\ne-\xc3\xa9 1 2\n", 2, 3, "unexpected byte"},
		{"# kgraph layout 1\ne-a 1 2\ne-a 1 2\n", 3, 1, "given twice"},
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		kg_diag_list *d = kg_diag_list_new();
		kg_render_layout *l = (kg_render_layout *)d; /* must be set to NULL */
		const kg_diag *g;
		assert_int_equal(parse(&l, bad[i].text, d), KG_EINVALID);
		assert_null(l);
		assert_int_equal(kg_diag_list_count(d), 1);
		g = kg_diag_list_get(d, 0);
		assert_string_equal(g->where.file, "t.layout");
		if (g->where.line != bad[i].line || g->where.column != bad[i].column ||
		    !strstr(g->message, bad[i].message))
			fail_msg("case %zu: %u:%u: %s", i, g->where.line, g->where.column, g->message);
		kg_diag_list_free(d);
	}
}

static void test_layout__bounds_and_arguments(void **state)
{
	size_t big = (size_t)KG_RENDER_LAYOUT_MAX_BYTES + 1, n;
	char *text = malloc(big), id[KG_RENDER_LAYOUT_MAX_ID + 40];
	kg_render_layout *l = NULL;
	kg_diag_list *d = kg_diag_list_new();
	(void)state;

	assert_non_null(text);
	memset(text, ' ', big);
	memcpy(text, "# kgraph layout 1\n", 18);
	assert_int_equal(kg_render_layout_parse(&l, text, big, "t.layout", d), KG_EINVALID);
	assert_non_null(strstr(kg_diag_list_get(d, 0)->message, "at most 16777216 bytes"));
	free(text);
	/* an id one byte too long */
	memset(id, 'x', sizeof id);
	n = (size_t)snprintf(id, sizeof id, "# kgraph layout 1\n");
	memset(id + n, 'x', KG_RENDER_LAYOUT_MAX_ID + 1);
	memcpy(id + n + KG_RENDER_LAYOUT_MAX_ID + 1, " 1 2", 5);
	assert_int_equal(parse(&l, id, NULL), KG_EINVALID);
	id[n + KG_RENDER_LAYOUT_MAX_ID] = ' '; /* at the bound: taken */
	assert_int_equal(parse(&l, id, NULL), KG_OK);
	kg_render_layout_free(l);
	assert_int_equal(kg_render_layout_parse(NULL, "", 0, NULL, NULL), KG_EARG);
	assert_int_equal(kg_render_layout_parse(&l, NULL, 1, NULL, NULL), KG_EARG);
	assert_int_equal(kg_render_layout_format(NULL, &n, NULL), KG_EARG);
	assert_int_equal(kg_render_layout_count(NULL), 0);
	kg_diag_list_free(d);
}

static void test_layout__out_of_memory_fails_cleanly(void **state)
{
	const char text[] = "# kgraph layout 1\ne-a 1 2\ne-b 3 4\ne-c 5 6\n";
	long n;
	(void)state;

	for (n = 1;; n++) {
		kg_render_layout *l = NULL;
		int rc;
		kg__alloc_fail_at(n);
		rc = parse(&l, text, NULL);
		kg__alloc_fail_at(0);
		if (rc == KG_OK) {
			kg_render_layout_free(l);
			break;
		}
		assert_int_equal(rc, KG_ENOMEM);
		assert_null(l);
		assert_true(n < 1000);
	}
}

/* A render gives back every node's position (ghosts left out); a second
 * render from them keeps each entity exactly there, in DOT as pos "x,y!",
 * and gives back the same layout. */
static void test_layout__render_gives_back_and_keeps_positions(void **state)
{
	kg_graph *g = NULL;
	kg_diag_list *d = NULL;
	kg_render_options o = KG_RENDER_OPTIONS_INIT;
	kg_render_layout *first = NULL, *second = NULL;
	unsigned char *out = NULL, *t1 = NULL, *t2 = NULL;
	size_t len, l1, l2;
	double x, y;
	char pin[64];
	(void)state;

	assert_int_equal(load_text(&g, &d, graph), KG_OK);
	o.format = KG_RENDER_SVG;
	o.in_process = true;
	o.legend = KG_RENDER_LEGEND_OFF;
	o.layout_out = &first;
	assert_int_equal(kg_render(&out, &len, g, &o, d), KG_OK);
	kg_render_free(out);
	assert_non_null(first);
	assert_int_equal(kg_render_layout_count(first), 3);
	assert_true(kg_render_layout_find(first, "e-c", &x, &y));

	o.layout = first;
	o.layout_out = &second;
	assert_int_equal(kg_render(&out, &len, g, &o, d), KG_OK);
	kg_render_free(out);
	assert_int_equal(kg_render_layout_format(&t1, &l1, first), KG_OK);
	assert_int_equal(kg_render_layout_format(&t2, &l2, second), KG_OK);
	assert_int_equal(l1, l2);
	assert_memory_equal(t1, t2, l1);
	kg_render_layout_free(second);
	second = NULL;

	o.format = KG_RENDER_DOT;
	o.layout_out = NULL;
	assert_int_equal(kg_render(&out, &len, g, &o, d), KG_OK);
	snprintf(pin, sizeof pin, "pos=\"%.2f,%.2f!\"", x, y);
	assert_non_null(strstr((char *)out, pin));
	assert_non_null(strstr((char *)out, "layout=\"neato\""));
	kg_render_free(out);
	/* DOT cannot give positions back; a timeline cannot keep them */
	o.layout_out = &second;
	assert_int_equal(kg_render(&out, &len, g, &o, d), KG_EARG);
	o.format = KG_RENDER_SVG;
	o.timeline = true;
	assert_int_equal(kg_render(&out, &len, g, &o, d), KG_EARG);
	assert_null(second);
	kg_render_free(t1);
	kg_render_free(t2);
	kg_render_layout_free(first);
	kg_graph_free(g);
	kg_diag_list_free(d);
}

/* The geometry gv.c applies to a layout (gv_geom.c), on plain numbers. */
static void test_layout__geometry(void **state)
{
	kg__gbox label = {100, 50, 40, 10};
	double w, h, a = 0, sx, sy, x, y, ratio;
	(void)state;

	/* bb from gvLayout or DOT text, pad in inches or Graphviz's 4 pt */
	kg__picture_size("10 20 110 70", "0.5", &w, &h);
	assert_true(w == 172 && h == 122);
	kg__picture_size("0,0,100,50", NULL, &w, &h);
	assert_true(w == 108 && h == 58);
	kg__picture_size(NULL, "", &w, &h);
	assert_true(w == 8 && h == 8);
	/* outside the page bounds, and by how much */
	assert_false(kg__outside_fit(0, 10, 1 / 1.5, 1.5, &a));
	assert_false(kg__outside_fit(120, 100, 1 / 1.5, 1.5, &a));
	assert_true(kg__outside_fit(300, 100, 1 / 1.5, 1.5, &a) && a == 3);
	/* the first ratio asked for gives a width : height just inside */
	ratio = kg__fit_next_ratio(0, 300, 100, 3, 1 / 1.5, 1.5);
	assert_true(fabs(300 / (300 * ratio) - 1.5 * 0.97) < 1e-9);
	/* a second try corrects the first in proportion */
	assert_true(fabs(kg__fit_next_ratio(ratio, 300, 200, 1.6, 1 / 1.5, 1.5) - ratio * 1.6 / (1.5 * 0.97)) < 1e-9);
	/* stretched along the short side only */
	kg__fit_stretch_factors(3, 1 / 1.5, 1.5, &sx, &sy);
	assert_true(sx == 1 && fabs(sy - 3 / (1.5 * 0.97)) < 1e-9);
	kg__fit_stretch_factors(0.25, 1 / 1.5, 1.5, &sx, &sy);
	assert_true(sy == 1 && sx > 1 && fabs(0.25 * sx - 1.03 / 1.5) < 1e-9);
	/* a label's distance from points: 0 inside, to the nearest side */
	assert_true(kg__box_gap(&label, 100, 50) == 0);
	assert_true(kg__box_gap(&label, 130, 50) == 10);
	assert_true(kg__box_gap(&label, 123, 59) == 5);
	kg__label_beside(&label, 10, 20, &x, &y);
	assert_true(x == 32 && y == 20);
	/* a PNG shrinks to the side bound, then to the pixel bound */
	assert_true(kg__png_scale(1000, 1000) == 1);
	assert_true(kg__png_scale(2.0 * KG_RENDER_MAX_PNG_SIDE, 100) == 0.5);
	x = kg__png_scale(20000, 20000);
	assert_true(fabs(20000 * x * 20000 * x - KG_RENDER_MAX_PNG_PIXELS) < 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout__reads_what_it_writes),
		cmocka_unit_test(test_layout__refuses_bad_files_saying_where),
		cmocka_unit_test(test_layout__bounds_and_arguments),
		cmocka_unit_test(test_layout__out_of_memory_fails_cleanly),
		cmocka_unit_test(test_layout__render_gives_back_and_keeps_positions),
		cmocka_unit_test(test_layout__geometry),
	};
	return cmocka_run_group_tests_name("layout", tests, NULL, NULL);
}
