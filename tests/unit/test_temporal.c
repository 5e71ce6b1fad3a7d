/*
 * test_temporal.c - paths that respect time (kg_path_options v2,
 * kg_path_time_respecting), checked against brute force.
 *
 * On 400 seeded random small graphs (3-7 entities, 0-13 relations of 3
 * types, one symmetric; each relation timeless, dated at year, month or
 * day precision, or with since and/or until), the brute force enumerates
 * EVERY simple path from `from` to `to` (relations in index order, both
 * ways or as written), keeps those that fit the rule of docs/time.md by
 * its own reckoning of days (ordinal numbers, a date's period as an
 * inclusive range of them: no kg_date arithmetic), and sorts them by
 * (length, relation sequence). Each mode's answer must be the prefix of
 * that list the mode asks for; --earliest must fit and arrive on the
 * least arrival day of the list. The plain shortest path is asked too,
 * and the test requires that many of those graphs have a shortest path
 * that does not fit while a longer one does: the case the search exists
 * for, planted on purpose in half of them.
 */
#include "test_common.h"

/* ---- a tiny deterministic PRNG (xorshift64*) ------------------------ */

static uint64_t rng_state;

static void rng_seed(uint64_t seed)
{
	rng_state = seed * 0x9E3779B97F4A7C15ull + 1;
}

static unsigned rnd(unsigned n)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return (unsigned)(((x * 0x2545F4914F6CDD1Dull) >> 11) % n);
}

/* ---- days, reckoned independently of kg_date ------------------------ */

#define NEVER 1000000000L

static long ordinal(unsigned y, unsigned m, unsigned d)
{
	return (long)y * 400 + m * 32 + d;
}

/* The inclusive range of ordinals a relation's time covers; [lo, hi]
 * empty (lo > hi) for a timeless relation when timed_only. */
static void range_of(const kg_graph *g, uint32_t r, bool timed_only, long *lo, long *hi)
{
	kg_date date = kg_relation_date(g, r), since = kg_relation_since(g, r), until = kg_relation_until(g, r);
	unsigned y, m, d;

	*lo = 0;
	*hi = NEVER;
	if (date) {
		y = date >> 9, m = (date >> 5) & 15, d = date & 31;
		*lo = ordinal(y, m ? m : 1, d ? d : 1);
		*hi = ordinal(y, m ? m : 12, d ? d : 31);
	} else if (since || until) {
		if (since) {
			y = since >> 9, m = (since >> 5) & 15, d = since & 31;
			*lo = ordinal(y, m ? m : 1, d ? d : 1);
		}
		if (until) {
			y = until >> 9, m = (until >> 5) & 15, d = until & 31;
			*hi = ordinal(y, m ? m : 1, d ? d : 1) - 1;
		}
	} else if (timed_only) {
		*lo = 1, *hi = 0;
	}
}

/* Does the path fit, and when does it arrive at the earliest? */
static bool fits(const kg_graph *g, const uint32_t *rels, size_t n, long start, bool timed_only, long *arrival)
{
	long a = start, lo, hi;

	for (size_t i = 0; i < n; i++) {
		range_of(g, rels[i], timed_only, &lo, &hi);
		if (lo > a)
			a = lo;
		if (a > hi)
			return false;
	}
	*arrival = a;
	return true;
}

/* ---- brute force ---------------------------------------------------- */

typedef struct bpath {
	size_t n;
	uint32_t rel[16];
	bool fwd[16];
	long arrival;
} bpath;

typedef struct brute {
	const kg_graph *g;
	uint32_t to;
	bool directed, timed_only;
	long start;
	uint32_t avoid; /* KG_NONE or an entity not to pass through */
	bool on[16];
	bpath cur;
	bpath *list;
	size_t n, cap;
} brute;

static void enumerate(brute *b, uint32_t u)
{
	size_t nrel = kg_graph_relation_count(b->g);

	if (u == b->to) {
		long arrival;
		if (fits(b->g, b->cur.rel, b->cur.n, b->start, b->timed_only, &arrival)) {
			if (b->n == b->cap) {
				b->cap = b->cap ? 2 * b->cap : 64;
				b->list = realloc(b->list, b->cap * sizeof *b->list);
				assert_non_null(b->list);
			}
			b->cur.arrival = arrival;
			b->list[b->n++] = b->cur;
		}
		return;
	}
	b->on[u] = true;
	for (uint32_t r = 0; r < nrel; r++) {
		uint32_t x = kg_relation_from(b->g, r), y = kg_relation_to(b->g, r), next;
		bool fwd;
		if (x == y)
			continue;
		if (x == u) {
			next = y, fwd = true;
		} else if (y == u && (!b->directed || kg_relation_type_is_symmetric(b->g, kg_relation_type(b->g, r)))) {
			next = x, fwd = false;
		} else {
			continue;
		}
		if (b->on[next] || (next == b->avoid && next != b->to))
			continue;
		b->cur.rel[b->cur.n] = r;
		b->cur.fwd[b->cur.n++] = fwd;
		enumerate(b, next);
		b->cur.n--;
	}
	b->on[u] = false;
}

static int cmp_bpath(const void *x, const void *y)
{
	const bpath *a = x, *b = y;

	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	for (size_t i = 0; i < a->n; i++)
		if (a->rel[i] != b->rel[i])
			return a->rel[i] < b->rel[i] ? -1 : 1;
	return 0;
}

/* ---- random graphs -------------------------------------------------- */

static void put_date(char *buf, size_t size, unsigned precision)
{
	unsigned y = 2020 + rnd(4), m = 1 + rnd(12), d = 1 + rnd(28);

	if (precision == 0)
		snprintf(buf, size, "%u", y);
	else if (precision == 1)
		snprintf(buf, size, "%u-%02u", y, m);
	else
		snprintf(buf, size, "%u-%02u-%02u", y, m, d);
}

static char *random_graph(unsigned *nent)
{
	static char yaml[8192];
	size_t len = 0;
	unsigned n = 3 + rnd(5), m = rnd(14), i;

	len += (size_t)snprintf(yaml + len, sizeof yaml - len,
	                        "relation_types:\n  t0: {symmetric: true}\n  t1: {}\n  t2: {}\nentities:\n");
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(yaml + len, sizeof yaml - len, "  e%u: {type: person, name: E%u}\n", i, i);
	len += (size_t)snprintf(yaml + len, sizeof yaml - len, "relations:\n");
	/* Half the time, a trap: e0-e1-e3 is shortest but goes back in
	 * time; e0-e2-e1-e3 is longer and fits. */
	if (n >= 4 && rnd(2))
		len += (size_t)snprintf(yaml + len, sizeof yaml - len,
		                        "  - [e0, t1, e1, {date: 2023-06}]\n  - [e1, t1, e3, {date: 2021-02}]\n"
		                        "  - [e0, t2, e2, {date: 2020-05}]\n  - [e2, t2, e1, {date: 2020-09}]\n");
	for (i = 0; i < m; i++) {
		char d1[16], d2[16], when[64] = "";
		unsigned kind = rnd(6);
		if (kind == 1 || kind == 2) {
			put_date(d1, sizeof d1, rnd(3));
			snprintf(when, sizeof when, ", {date: %s}", d1);
		} else if (kind == 3) {
			put_date(d1, sizeof d1, 2);
			snprintf(when, sizeof when, ", {since: %s}", d1);
		} else if (kind == 4) {
			put_date(d1, sizeof d1, 2);
			snprintf(when, sizeof when, ", {until: %s}", d1);
		} else if (kind == 5) {
			unsigned y = 2020 + rnd(3);
			snprintf(d1, sizeof d1, "%u-%02u", y, 1 + rnd(12));
			snprintf(d2, sizeof d2, "%u", y + 1 + rnd(2));
			snprintf(when, sizeof when, ", {since: %s, until: %s}", d1, d2);
		}
		len += (size_t)snprintf(yaml + len, sizeof yaml - len, "  - [e%u, t%u, e%u%s]\n", rnd(n), rnd(3), rnd(n),
		                        when);
	}
	*nent = n;
	return yaml;
}

/* ---- comparing ------------------------------------------------------ */

static bool same_path(const kg_path *p, const bpath *b)
{
	if (p->nsteps != b->n)
		return false;
	for (size_t i = 0; i < b->n; i++)
		if (p->steps[i].relation != b->rel[i] || p->steps[i].forward != b->fwd[i])
			return false;
	return true;
}

static const kg_path_options *failing_options;

static void fail_with(const char *yaml, const char *what, unsigned from, unsigned to, size_t got, size_t want)
{
	const kg_path_options *o = failing_options;

	print_error("graph:\n%s\nquery e%u -> e%u: %s (got %zu paths, want %zu)\n", yaml, from, to, what, got, want);
	if (o)
		print_error("directed %d, timed_only %d, from_date %u-%u-%u, avoid %u\n", o->filter.directed, o->timed_only,
		            o->from_date >> 9, (o->from_date >> 5) & 15, o->from_date & 31,
		            o->filter.navoid ? o->filter.avoid[0] : 99);
	fail();
}

static kg_paths *ask(const kg_graph *g, uint32_t from, uint32_t to, const kg_path_options *o)
{
	kg_paths *p = NULL;

	assert_int_equal(kg_query_paths(&p, g, from, to, o, NULL), KG_OK);
	return p;
}

/* The library's answer must be exactly want[0..nwant). */
static void expect_list(const char *yaml, const char *what, unsigned from, unsigned to, const kg_paths *p,
                        const bpath *want, size_t nwant)
{
	if (kg_paths_count(p) != nwant)
		fail_with(yaml, what, from, to, kg_paths_count(p), nwant);
	for (size_t i = 0; i < nwant; i++) {
		kg_path path = kg_paths_get(p, i);
		if (!same_path(&path, &want[i]))
			fail_with(yaml, what, from, to, i, nwant);
	}
}

static void test_temporal__matches_brute_force(void **state)
{
	unsigned seed, shortest_unfit = 0, checked = 0;

	(void)state;
	for (seed = 1; seed <= 400; seed++) {
		unsigned n;
		char *yaml;
		kg_graph *g;
		rng_seed(seed);
		yaml = random_graph(&n);
		g = load_ok(yaml);
		for (unsigned from = 0; from < n; from++)
			for (unsigned to = 0; to < n; to++) {
				kg_path_options o = KG_PATH_OPTIONS_INIT;
				brute b;
				kg_paths *p;
				size_t nshort = 0;
				char date[16];
				uint32_t av;
				if (from == to)
					continue;
				memset(&b, 0, sizeof b);
				b.g = g;
				b.to = to;
				b.directed = o.filter.directed = rnd(3) == 0;
				b.timed_only = o.timed_only = rnd(4) == 0;
				b.avoid = KG_NONE;
				o.time_respecting = true;
				if (rnd(3) == 0) {
					av = rnd(n);
					b.avoid = av;
					o.filter.avoid = &av;
					o.filter.navoid = 1;
				}
				if (rnd(3) == 0) {
					put_date(date, sizeof date, rnd(3));
					assert_int_equal(kg_date_parse(&o.from_date, date, strlen(date)), KG_OK);
					b.start = ordinal(o.from_date >> 9, ((o.from_date >> 5) & 15) ? (o.from_date >> 5) & 15 : 1,
					                  (o.from_date & 31) ? o.from_date & 31 : 1);
				}
				failing_options = &o;
				enumerate(&b, from);
				if (b.n)
					qsort(b.list, b.n, sizeof *b.list, cmp_bpath);
				while (nshort < b.n && b.list[nshort].n == b.list[0].n)
					nshort++;
				checked++;

				/* Every path the brute force kept fits by the library's
				 * rule too, with the same arrival day. */
				for (size_t i = 0; i < b.n; i++) {
					kg_step steps[16];
					kg_path path = {from, to, b.list[i].n, steps, 0};
					kg_date arrival = 0;
					for (size_t s = 0; s < b.list[i].n; s++)
						steps[s] = (kg_step){b.list[i].rel[s], b.list[i].fwd[s]};
					assert_true(kg_path_time_respecting(g, &path, o.from_date, o.timed_only, &arrival));
				}

				o.mode = KG_PATHS_SHORTEST;
				p = ask(g, from, to, &o);
				expect_list(yaml, "shortest", from, to, p, b.list, b.n ? 1 : 0);
				kg_paths_free(p);

				o.mode = KG_PATHS_ALL_SHORTEST;
				p = ask(g, from, to, &o);
				expect_list(yaml, "all shortest", from, to, p, b.list, nshort);
				kg_paths_free(p);

				o.mode = KG_PATHS_K_SHORTEST;
				o.k = 1 + rnd(4);
				p = ask(g, from, to, &o);
				expect_list(yaml, "k shortest", from, to, p, b.list, b.n < o.k ? b.n : o.k);
				kg_paths_free(p);

				o.mode = KG_PATHS_ALL;
				o.max_hops = 1 + rnd(5);
				{
					size_t within = 0;
					while (within < b.n && b.list[within].n <= o.max_hops)
						within++;
					p = ask(g, from, to, &o);
					expect_list(yaml, "all", from, to, p, b.list, within);
					kg_paths_free(p);
				}
				o.max_hops = 0;

				o.mode = KG_PATHS_SHORTEST;
				o.earliest = true;
				p = ask(g, from, to, &o);
				if (kg_paths_count(p) != (b.n ? 1u : 0u))
					fail_with(yaml, "earliest", from, to, kg_paths_count(p), b.n ? 1 : 0);
				if (b.n) {
					kg_path path = kg_paths_get(p, 0);
					long best = NEVER, got;
					uint32_t rels[64];
					for (size_t i = 0; i < b.n; i++)
						if (b.list[i].arrival < best)
							best = b.list[i].arrival;
					for (size_t s = 0; s < path.nsteps; s++)
						rels[s] = path.steps[s].relation;
					assert_true(path.nsteps < 64);
					if (!fits(g, rels, path.nsteps, b.start, b.timed_only, &got) || got != best)
						fail_with(yaml, "earliest arrival", from, to, (size_t)got, (size_t)best);
				}
				kg_paths_free(p);
				o.earliest = false;

				/* The plain shortest path, for the count of graphs where
				 * it does not fit but a longer path does. */
				if (b.n && !o.timed_only && !o.from_date) {
					kg_path_options plain = KG_PATH_OPTIONS_INIT;
					long unused;
					uint32_t rels[64];
					plain.filter = o.filter;
					p = ask(g, from, to, &plain);
					if (kg_paths_count(p)) {
						kg_path path = kg_paths_get(p, 0);
						for (size_t s = 0; s < path.nsteps; s++)
							rels[s] = path.steps[s].relation;
						if (!fits(g, rels, path.nsteps, 0, false, &unused) && path.nsteps < b.list[0].n)
							shortest_unfit++;
					}
					kg_paths_free(p);
				}
				free(b.list);
			}
		kg_graph_free(g);
	}
	print_message("%u queries, %u with a shortest path that does not respect time\n", checked, shortest_unfit);
	assert_true(shortest_unfit >= 50);
}

/* The graph of tests/cli/inputs/time-small.yaml, by hand. */
static const char *const small =
	"relation_types:\n  met: {symmetric: true}\n  called: {}\n  paid: {}\n  knows: {symmetric: true}\n"
	"entities:\n"
	"  ana: {type: person, name: Ana}\n  bo: {type: person, name: Bo}\n  cy: {type: person, name: Cy}\n"
	"  eve: {type: person, name: Eve}\n  fay: {type: person, name: Fay}\n  dan: {type: person, name: Dan}\n"
	"relations:\n"
	"  - [ana, met, bo, {date: 2024-05}]\n"
	"  - [bo, paid, dan, {date: 2024-03-10}]\n"
	"  - [ana, met, cy, {date: 2024-01}]\n"
	"  - [cy, called, eve, {date: 2024-02-20}]\n"
	"  - [eve, paid, dan, {date: 2024-04}]\n"
	"  - [ana, knows, fay]\n"
	"  - [fay, paid, dan, {since: 2024-06, until: 2025}]\n";

static size_t first_length(const kg_graph *g, const kg_path_options *o)
{
	kg_paths *p = ask(g, kg_graph_find_entity(g, "ana"), kg_graph_find_entity(g, "dan"), o);
	size_t n = kg_paths_count(p) ? kg_paths_get(p, 0).nsteps : 0;

	kg_paths_free(p);
	return n;
}

static void test_temporal__small_graph_by_hand(void **state)
{
	kg_graph *g = load_ok(small);
	kg_path_options o = KG_PATH_OPTIONS_INIT;

	(void)state;
	assert_int_equal(first_length(g, &o), 2); /* ana-bo-dan: May, then March */
	o.time_respecting = true;
	assert_int_equal(first_length(g, &o), 2); /* ana-fay-dan: timeless, then since June */
	o.timed_only = true;
	assert_int_equal(first_length(g, &o), 3); /* ana-cy-eve-dan */
	o.timed_only = false;
	o.earliest = true;
	assert_int_equal(first_length(g, &o), 3); /* April beats June */
	assert_int_equal(kg_date_parse(&o.from_date, "2024-02", 7), KG_OK);
	assert_int_equal(first_length(g, &o), 2); /* January is too early */
	kg_graph_free(g);
}

static void test_temporal__older_options_ignore_time(void **state)
{
	kg_graph *g = load_ok(small);
	kg_path_options o = KG_PATH_OPTIONS_INIT;

	(void)state;
	/* A program built against version 1 passed a struct that ends at
	 * weight: what follows it is not its, and must not be read. */
	o.version = 1;
	o.time_respecting = o.timed_only = true;
	assert_int_equal(first_length(g, &o), 2);
	o.version = 3;
	assert_int_equal(first_length(g, &o), 3);
	kg_graph_free(g);
}

static void test_temporal__bad_combinations_are_earg(void **state)
{
	kg_graph *g = load_ok(small);
	kg_path_options o = KG_PATH_OPTIONS_INIT;
	kg_paths *p = NULL;

	(void)state;
	o.time_respecting = true;
	o.weight = "weight";
	assert_int_equal(kg_query_paths(&p, g, 0, 1, &o, NULL), KG_EARG);
	o.weight = NULL;
	o.earliest = true;
	o.mode = KG_PATHS_K_SHORTEST;
	o.k = 2;
	assert_int_equal(kg_query_paths(&p, g, 0, 1, &o, NULL), KG_EARG);
	o.mode = KG_PATHS_SHORTEST;
	o.max_hops = 3;
	assert_int_equal(kg_query_paths(&p, g, 0, 1, &o, NULL), KG_EARG);
	assert_null(p);
	kg_graph_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_temporal__matches_brute_force),
		cmocka_unit_test(test_temporal__small_graph_by_hand),
		cmocka_unit_test(test_temporal__older_options_ignore_time),
		cmocka_unit_test(test_temporal__bad_combinations_are_earg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
