/*
 * test_query.c - paths and neighbourhoods (kgraph/query.h), checked
 * against brute force.
 *
 * What is checked, and how:
 *
 * - Property tests on 300 seeded random small graphs per test (2-8
 *   entities of 3 entity types, 0-14 relations of 3 relation types, t0
 *   symmetric; multi-edges, self-relations, since/until, weight: and a
 *   numeric `cost:` attribute). Each graph is generated as YAML text with
 *   a tiny xorshift PRNG (fixed seeds) and loaded with load_ok. The
 *   brute force reads the graph only through kgraph/graph.h and
 *   enumerates EVERY simple path from `from` to `to` by DFS (relations
 *   tried in index order, each followed as query.h allows: both ways, or
 *   only as written with symmetric types both ways; self-relations never;
 *   no entity twice; filters on relations, through_types/avoid on inner
 *   entities only), then sorts them by (length or weight, relation index
 *   sequence). Every answer of the library is compared with a prefix of
 *   that list, as the mode asks (SHORTEST: the first; ALL_SHORTEST: all of
 *   the least length/weight; ALL: those within max_hops; K_SHORTEST: the
 *   lengths of the first k), with the limit and kg_paths_truncated. Every
 *   returned path is also checked on its own: its ends, each step's
 *   relation, direction and forward flag, kg_path_entity_after, no entity
 *   twice, filters, hop bound, and its weight.
 * - Neighbourhoods against a breadth-first search (the same reading of
 *   directions), loosely (entities, distances, a valid via/parent) and
 *   strictly (the order query.h documents: nearest first, then in the
 *   order first reached, relations explored in file order).
 * - Edge cases: from == to, no path, KG_EARG, KG_EINVALID weights with
 *   their diagnostic, kg_relation_weight_by, a small graph by hand, and
 *   the smallest cases of what the properties once found (entity filters
 *   at a path's ends, zero weights).
 * - A large generated graph (2000 entities, 6000 relations): SHORTEST
 *   against an O(V + E) exact answer (BFS distances to `to`, then the
 *   smallest relation at each step), the number of shortest paths against
 *   a count by dynamic programming, lightest weights against Dijkstra,
 *   and the same questions asked twice (and of a second load of the same
 *   text) giving identical answers.
 *
 * A failing property prints the graph's YAML, the query, and the expected
 * and returned answers on stderr.
 */
#include "test_common.h"

#include <limits.h>
#include <math.h>

/* ---- a tiny deterministic PRNG (xorshift64*) ------------------------ */

static uint64_t rng_state;

static void rng_seed(uint64_t seed)
{
	rng_state = seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
	if (!rng_state)
		rng_state = 1;
}

static uint64_t rng_next(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545F4914F6CDD1Dull;
}

/* 0 .. n-1 */
static unsigned rnd(unsigned n)
{
	return (unsigned)((rng_next() >> 11) % n);
}

static bool chance(unsigned percent)
{
	return rnd(100) < percent;
}

/* ---- growable text ------------------------------------------------- */

typedef struct sbuf {
	char *s;
	size_t len, cap;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_printf(sbuf *b, const char *fmt, ...)
{
	/* Never a null destination: GCC's -Wformat-truncation flags one,
	 * even with a size of 0. */
	if (!b->s) {
		b->cap = 64;
		b->s = malloc(b->cap);
		assert_non_null(b->s);
	}
	for (;;) {
		va_list ap;
		size_t avail = b->cap - b->len;
		int n;

		va_start(ap, fmt);
		n = vsnprintf(b->s + b->len, avail, fmt, ap);
		va_end(ap);
		assert_true(n >= 0);
		if ((size_t)n < avail) {
			b->len += (size_t)n;
			return;
		}
		b->cap = (b->cap + (size_t)n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		assert_non_null(b->s);
	}
}

/* ---- generated graphs ---------------------------------------------- */

/* since/until values; their first days strictly increase. */
static const char *const rel_dates[] = {"2020",    "2020-06", "2021-03-15", "2022",
                                        "2022-02-10", "2022-09", "2023",   "2024-01-02"};
#define NREL_DATES (sizeof rel_dates / sizeof *rel_dates)
/* as_of values: the bounds above in other precisions, and around them. */
static const char *const asof_dates[] = {"2019",       "2020",    "2020-06",    "2021",
                                         "2021-03-15", "2022",    "2022-01",    "2022-01-01",
                                         "2022-02",    "2022-02-10", "2022-09", "2022-09-01",
                                         "2023",       "2023-12-31", "2024-01-02", "2025"};
#define NASOF_DATES (sizeof asof_dates / sizeof *asof_dates)
/* Weights whose sums are exact in binary floating point. */
static const char *const weights_pos[] = {"0.5", "1", "2", "3"};
static const char *const weights_zero[] = {"0", "0", "0.5", "1", "2"};
static const char *const entity_types[] = {"person", "country", "organization"};

/*
 * A graph of n entities e0.. and m relations as YAML: relation types t0
 * (symmetric), t1, t2; about a quarter of the relations repeat an earlier
 * pair (either way round, any type), a tenth are self-relations; some have
 * since/until, a weight: and a cost: attribute.
 */
static char *gen_graph(unsigned n, unsigned m, bool zero_weights)
{
	sbuf b = {0};
	unsigned *pf = malloc((m + 1) * sizeof *pf), *pt = malloc((m + 1) * sizeof *pt);
	const char *const *wv = zero_weights ? weights_zero : weights_pos;
	unsigned nw = zero_weights ? 5 : 4;
	unsigned i;

	assert_true(pf && pt && n >= 2);
	sb_printf(&b, "relation_types:\n  t0: {symmetric: true}\n  t1: {label: one}\n  t2: {label: two}\n"
	              "entities:\n");
	for (i = 0; i < n; i++)
		sb_printf(&b, "  e%u: {type: %s}\n", i, entity_types[rnd(3)]);
	sb_printf(&b, "relations:\n");
	for (i = 0; i < m; i++) {
		unsigned a, c;
		bool open = false;

		if (i && chance(25)) {
			unsigned j = rnd(i);
			a = pf[j];
			c = pt[j];
			if (chance(50)) {
				unsigned t = a;
				a = c;
				c = t;
			}
		} else if (chance(10)) {
			a = c = rnd(n);
		} else {
			a = rnd(n);
			c = rnd(n - 1);
			if (c >= a)
				c++;
		}
		pf[i] = a;
		pt[i] = c;
		sb_printf(&b, "  - [e%u, t%u, e%u", a, rnd(3), c);
		if (chance(30)) {
			unsigned kind = rnd(3);
			if (kind == 0) {
				sb_printf(&b, ", {since: %s", rel_dates[rnd(NREL_DATES)]);
			} else if (kind == 1) {
				sb_printf(&b, ", {until: %s", rel_dates[rnd(NREL_DATES)]);
			} else {
				unsigned s = rnd(NREL_DATES - 1);
				unsigned u = s + 1 + rnd((unsigned)NREL_DATES - 1 - s);
				sb_printf(&b, ", {since: %s, until: %s", rel_dates[s], rel_dates[u]);
			}
			open = true;
		}
		if (chance(50)) {
			sb_printf(&b, "%sweight: %s", open ? ", " : ", {", wv[rnd(nw)]);
			open = true;
		}
		if (chance(40)) {
			sb_printf(&b, "%scost: %s", open ? ", " : ", {", wv[rnd(nw)]);
			open = true;
		}
		sb_printf(&b, "%s]\n", open ? "}" : "");
	}
	free(pf);
	free(pt);
	return b.s;
}

/* ---- the graph as the brute force sees it (graph.h only) ------------ */

typedef struct model {
	const kg_graph *g;
	const char *yaml;
	size_t n, m;
	uint32_t *rfrom, *rto, *rtype;
	kg_date *since, *until; /* first days; 0 = none */
	double *wkey, *wcost;   /* weight: and cost:, 1 when absent */
	uint32_t *etype;
	bool *sym;              /* per relation type */
	size_t *adj_off;        /* relations touching each entity, ascending */
	uint32_t *adj;
	uint32_t rt[3];         /* t0 t1 t2 */
	uint32_t et[3];         /* person country organization */
} model;

static void model_init(model *M, const kg_graph *g, const char *yaml)
{
	size_t r, e, i, nrt = kg_graph_relation_type_count(g);

	memset(M, 0, sizeof *M);
	M->g = g;
	M->yaml = yaml;
	M->n = kg_graph_entity_count(g);
	M->m = kg_graph_relation_count(g);
	M->rfrom = calloc(M->m + 1, sizeof *M->rfrom);
	M->rto = calloc(M->m + 1, sizeof *M->rto);
	M->rtype = calloc(M->m + 1, sizeof *M->rtype);
	M->since = calloc(M->m + 1, sizeof *M->since);
	M->until = calloc(M->m + 1, sizeof *M->until);
	M->wkey = calloc(M->m + 1, sizeof *M->wkey);
	M->wcost = calloc(M->m + 1, sizeof *M->wcost);
	M->etype = calloc(M->n + 1, sizeof *M->etype);
	M->sym = calloc(nrt + 1, sizeof *M->sym);
	M->adj_off = calloc(M->n + 2, sizeof *M->adj_off);
	M->adj = calloc(2 * M->m + 1, sizeof *M->adj);
	assert_true(M->rfrom && M->rto && M->rtype && M->since && M->until && M->wkey && M->wcost &&
	            M->etype && M->sym && M->adj_off && M->adj);
	for (i = 0; i < nrt; i++)
		M->sym[i] = kg_relation_type_is_symmetric(g, (uint32_t)i);
	for (e = 0; e < M->n; e++)
		M->etype[e] = kg_entity_type(g, (uint32_t)e);
	for (r = 0; r < M->m; r++) {
		uint32_t rr = (uint32_t)r;
		double w;

		M->rfrom[r] = kg_relation_from(g, rr);
		M->rto[r] = kg_relation_to(g, rr);
		M->rtype[r] = kg_relation_type(g, rr);
		M->since[r] = kg_date_first_day(kg_relation_since(g, rr));
		M->until[r] = kg_date_first_day(kg_relation_until(g, rr));
		M->wkey[r] = kg_relation_weight(g, rr, &w) ? w : 1.0;
		M->wcost[r] = 1.0;
		for (i = 0; i < kg_relation_attr_count(g, rr); i++) {
			kg_attr a = kg_relation_attr(g, rr, i);
			if (strcmp(a.key, "cost") == 0)
				M->wcost[r] = strtod(a.value, NULL);
		}
		M->adj_off[M->rfrom[r] + 1]++;
		if (M->rto[r] != M->rfrom[r])
			M->adj_off[M->rto[r] + 1]++;
	}
	for (e = 0; e < M->n; e++)
		M->adj_off[e + 1] += M->adj_off[e];
	{
		size_t *fill = calloc(M->n + 1, sizeof *fill);
		assert_non_null(fill);
		for (r = 0; r < M->m; r++) {
			M->adj[M->adj_off[M->rfrom[r]] + fill[M->rfrom[r]]++] = (uint32_t)r;
			if (M->rto[r] != M->rfrom[r])
				M->adj[M->adj_off[M->rto[r]] + fill[M->rto[r]]++] = (uint32_t)r;
		}
		free(fill);
	}
	for (i = 0; i < 3; i++) {
		char name[4] = {'t', (char)('0' + i), 0};
		M->rt[i] = kg_graph_find_relation_type(g, name);
		M->et[i] = kg_graph_find_type(g, entity_types[i]);
	}
}

static void model_free(model *M)
{
	free(M->rfrom);
	free(M->rto);
	free(M->rtype);
	free(M->since);
	free(M->until);
	free(M->wkey);
	free(M->wcost);
	free(M->etype);
	free(M->sym);
	free(M->adj_off);
	free(M->adj);
}

static const char *eid(const model *M, uint32_t e)
{
	return e < M->n ? kg_entity_id(M->g, e) : "(out of range)";
}

/* ---- brute-force reading of query.h -------------------------------- */

enum { W_COUNT = 0, W_WEIGHT = 1, W_COST = 2 };

static bool in_u32(const uint32_t *a, size_t n, uint32_t x)
{
	size_t i;

	for (i = 0; a && i < n; i++)
		if (a[i] == x)
			return true;
	return false;
}

/* The relation filters: types, excluded types, as_of. */
static bool bf_admits(const model *M, const kg_filter *f, uint32_t r)
{
	if (f->rel_types && f->nrel_types && !in_u32(f->rel_types, f->nrel_types, M->rtype[r]))
		return false;
	if (in_u32(f->exclude_rel_types, f->nexclude_rel_types, M->rtype[r]))
		return false;
	if (f->as_of) {
		kg_date a = kg_date_first_day(f->as_of);
		if (M->since[r] && a < M->since[r])
			return false;
		if (M->until[r] && !(a < M->until[r]))
			return false;
	}
	return true;
}

/* May a path pass through entity v (not one of its ends)? */
static bool bf_inner_ok(const model *M, const kg_filter *f, uint32_t v)
{
	if (f->through_types && f->nthrough_types && !in_u32(f->through_types, f->nthrough_types, M->etype[v]))
		return false;
	return !in_u32(f->avoid, f->navoid, v);
}

/* Can a path standing at u follow relation r? The other end into *v,
 * whether as written into *fwd. */
static bool bf_step(const model *M, bool directed, uint32_t r, uint32_t u, uint32_t *v, bool *fwd)
{
	if (M->rfrom[r] == M->rto[r])
		return false;
	if (M->rfrom[r] == u) {
		*v = M->rto[r];
		*fwd = true;
		return true;
	}
	if (M->rto[r] == u && (!directed || M->sym[M->rtype[r]])) {
		*v = M->rfrom[r];
		*fwd = false;
		return true;
	}
	return false;
}

static double bf_weight(const model *M, int wmode, uint32_t r)
{
	return wmode == W_WEIGHT ? M->wkey[r] : wmode == W_COST ? M->wcost[r] : 1.0;
}

/* A list of paths (all from the same entity). */
typedef struct bf_path {
	size_t off, len;
	double w; /* weight, or len */
} bf_path;

typedef struct pathset {
	bf_path *p;
	size_t n, cap;
	kg_step *steps;
	size_t nsteps, capsteps;
} pathset;

static void ps_add(pathset *ps, const kg_step *steps, size_t len, double w)
{
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? 2 * ps->cap : 64;
		ps->p = realloc(ps->p, ps->cap * sizeof *ps->p);
		assert_non_null(ps->p);
	}
	if (ps->nsteps + len + 1 > ps->capsteps) {
		ps->capsteps = 2 * (ps->nsteps + len + 1) + 256;
		ps->steps = realloc(ps->steps, ps->capsteps * sizeof *ps->steps);
		assert_non_null(ps->steps);
	}
	if (len)
		memcpy(ps->steps + ps->nsteps, steps, len * sizeof *steps);
	ps->p[ps->n].off = ps->nsteps;
	ps->p[ps->n].len = len;
	ps->p[ps->n].w = w;
	ps->n++;
	ps->nsteps += len;
}

static void ps_clear(pathset *ps)
{
	ps->n = 0;
	ps->nsteps = 0;
}

static void ps_free(pathset *ps)
{
	free(ps->p);
	free(ps->steps);
	memset(ps, 0, sizeof *ps);
}

static const kg_step *ps_steps(const pathset *ps, size_t i)
{
	return ps->steps + ps->p[i].off;
}

/* Compare two relation index sequences step by step. */
static int lex_cmp(const kg_step *a, size_t na, const kg_step *b, size_t nb)
{
	size_t i;

	for (i = 0; i < na && i < nb; i++) {
		if (a[i].relation != b[i].relation)
			return a[i].relation < b[i].relation ? -1 : 1;
		if (a[i].forward != b[i].forward)
			return a[i].forward ? 1 : -1;
	}
	return na < nb ? -1 : na > nb ? 1 : 0;
}

static const pathset *sort_ps;

/* Result order: weight (= length when counting), then relation indexes. */
static int cmp_result_order(const void *x, const void *y)
{
	const bf_path *a = x, *b = y;

	if (a->w != b->w)
		return a->w < b->w ? -1 : 1;
	return lex_cmp(sort_ps->steps + a->off, a->len, sort_ps->steps + b->off, b->len);
}

static bool path_equal(const pathset *A, size_t i, const pathset *B, size_t j)
{
	return A->p[i].len == B->p[j].len && A->p[i].w == B->p[j].w &&
	       lex_cmp(ps_steps(A, i), A->p[i].len, ps_steps(B, j), B->p[j].len) == 0;
}

typedef struct dfs_state {
	const model *M;
	const kg_filter *f;
	uint32_t to;
	size_t maxlen;
	int wmode;
	bool *seen;
	kg_step *stack;
	pathset *out;
} dfs_state;

static void dfs_run(dfs_state *d, uint32_t u, size_t depth, double w)
{
	const model *M = d->M;
	size_t i;

	for (i = M->adj_off[u]; i < M->adj_off[u + 1]; i++) {
		uint32_t r = M->adj[i], v;
		bool fwd;
		double nw;

		if (!bf_admits(M, d->f, r) || !bf_step(M, d->f->directed, r, u, &v, &fwd) || d->seen[v])
			continue;
		d->stack[depth].relation = r;
		d->stack[depth].forward = fwd;
		nw = w + bf_weight(M, d->wmode, r);
		if (v == d->to) {
			ps_add(d->out, d->stack, depth + 1, d->wmode == W_COUNT ? (double)(depth + 1) : nw);
			assert_true(d->out->n < 4000000);
		} else if (depth + 1 < d->maxlen && bf_inner_ok(M, d->f, v)) {
			d->seen[v] = true;
			dfs_run(d, v, depth + 1, nw);
			d->seen[v] = false;
		}
	}
}

/* Every simple path from `from` to `to` of at most maxlen relations (0:
 * any), in result order. */
static void bf_paths(const model *M, const kg_filter *f, uint32_t from, uint32_t to, unsigned maxlen,
                     int wmode, pathset *out)
{
	dfs_state d;

	ps_clear(out);
	if (from == to) {
		ps_add(out, NULL, 0, 0.0);
		return;
	}
	d.M = M;
	d.f = f;
	d.to = to;
	d.maxlen = maxlen ? maxlen : M->n;
	d.wmode = wmode;
	d.seen = calloc(M->n, sizeof *d.seen);
	d.stack = calloc(M->n + 1, sizeof *d.stack);
	d.out = out;
	assert_true(d.seen && d.stack);
	d.seen[from] = true;
	dfs_run(&d, from, 0, 0.0);
	free(d.seen);
	free(d.stack);
	sort_ps = out;
	if (out->n > 1)
		qsort(out->p, out->n, sizeof *out->p, cmp_result_order);
}

/* ---- reports -------------------------------------------------------- */

static size_t nqueries; /* queries checked by the current test */

static void sb_path(sbuf *b, const model *M, uint32_t from, const kg_step *steps, size_t len, double w)
{
	uint32_t cur = from;
	size_t i;

	sb_printf(b, "%s", eid(M, cur));
	for (i = 0; i < len; i++) {
		uint32_t r = steps[i].relation;
		if (r >= M->m) {
			sb_printf(b, " ?r%u?", r);
			continue;
		}
		cur = steps[i].forward ? M->rto[r] : M->rfrom[r];
		sb_printf(b, steps[i].forward ? " -r%u:%s-> %s" : " <-r%u:%s- %s", r,
		          kg_relation_type_name(M->g, M->rtype[r]), eid(M, cur));
	}
	sb_printf(b, "   [weight %g]", w);
}

static void sb_list_types(sbuf *b, const model *M, const char *what, const uint32_t *a, size_t n, int kind)
{
	size_t i;

	if (!a || !n)
		return;
	sb_printf(b, ", %s [", what);
	for (i = 0; i < n; i++) {
		const char *name = kind == 0   ? kg_relation_type_name(M->g, a[i])
		                   : kind == 1 ? kg_type_name(M->g, a[i])
		                               : eid(M, a[i]);
		sb_printf(b, "%s%s", i ? " " : "", name);
	}
	sb_printf(b, "]");
}

static void sb_filter(sbuf *b, const model *M, const kg_filter *f)
{
	char date[11];

	sb_printf(b, "%s", f->directed ? ", directed" : ", undirected");
	sb_list_types(b, M, "rel_types", f->rel_types, f->nrel_types, 0);
	sb_list_types(b, M, "exclude_rel_types", f->exclude_rel_types, f->nexclude_rel_types, 0);
	sb_list_types(b, M, "through_types", f->through_types, f->nthrough_types, 1);
	sb_list_types(b, M, "avoid", f->avoid, f->navoid, 2);
	if (f->as_of)
		sb_printf(b, ", as_of %s", kg_date_format(date, f->as_of));
}

static const char *mode_name(kg_path_mode m)
{
	switch (m) {
	case KG_PATHS_SHORTEST: return "SHORTEST";
	case KG_PATHS_ALL_SHORTEST: return "ALL_SHORTEST";
	case KG_PATHS_K_SHORTEST: return "K_SHORTEST";
	case KG_PATHS_ALL: return "ALL";
	}
	return "?";
}

static void sb_query(sbuf *b, const model *M, uint32_t from, uint32_t to, const kg_path_options *o)
{
	sb_printf(b, "kg_query_paths %s -> %s, mode %s", eid(M, from), eid(M, to), mode_name(o->mode));
	sb_filter(b, M, &o->filter);
	if (o->mode == KG_PATHS_K_SHORTEST)
		sb_printf(b, ", k %zu", o->k);
	if (o->max_hops)
		sb_printf(b, ", max_hops %u", o->max_hops);
	if (o->limit)
		sb_printf(b, ", limit %zu", o->limit);
	if (o->weight)
		sb_printf(b, ", weight \"%s\"", o->weight);
}

static void fail_paths(const model *M, const sbuf *query, uint32_t from, const char *problem,
                       const pathset *exp, size_t nexp, const pathset *got, bool got_trunc)
{
	sbuf b = {0};
	size_t i;

	sb_printf(&b, "\n---- graph (t.yaml):\n%s---- query: %s\n---- problem: %s\n---- expected (%zu):\n",
	          M->yaml, query->s, problem, nexp);
	for (i = 0; i < nexp && i < 40; i++) {
		sb_printf(&b, "  ");
		sb_path(&b, M, from, ps_steps(exp, i), exp->p[i].len, exp->p[i].w);
		sb_printf(&b, "\n");
	}
	if (nexp > 40)
		sb_printf(&b, "  ...\n");
	sb_printf(&b, "---- got (%zu%s):\n", got ? got->n : 0, got_trunc ? ", truncated" : "");
	for (i = 0; got && i < got->n && i < 40; i++) {
		sb_printf(&b, "  ");
		sb_path(&b, M, from, ps_steps(got, i), got->p[i].len, got->p[i].w);
		sb_printf(&b, "\n");
	}
	fprintf(stderr, "%s", b.s);
	free(b.s);
	fail_msg("%s", problem);
}

/* Why a returned path is not a valid answer to the query, or NULL. */
static const char *bad_path(const model *M, const kg_path_options *o, int wmode, uint32_t from, uint32_t to,
                            const kg_path *p)
{
	static char why[300];
	bool *seen;
	uint32_t cur = from;
	double w = 0;
	size_t i;

	if (p->from != from || p->to != to) {
		snprintf(why, sizeof why, "a path says it goes from %u to %u", p->from, p->to);
		return why;
	}
	if (p->nsteps && !p->steps)
		return "a path has steps but no step array";
	if (o->max_hops && p->nsteps > o->max_hops) {
		snprintf(why, sizeof why, "a path of %zu relations is longer than max_hops", p->nsteps);
		return why;
	}
	seen = calloc(M->n, sizeof *seen);
	assert_non_null(seen);
	seen[from] = true;
	why[0] = 0;
	for (i = 0; i < p->nsteps && !why[0]; i++) {
		uint32_t r = p->steps[i].relation, v = KG_NONE, after;
		bool fwd = false;

		if (r >= M->m) {
			snprintf(why, sizeof why, "step %zu: relation index %u out of range", i, r);
			break;
		}
		if (!bf_admits(M, &o->filter, r)) {
			snprintf(why, sizeof why, "step %zu uses r%u, which the filter does not admit", i, r);
			break;
		}
		if (!bf_step(M, o->filter.directed, r, cur, &v, &fwd)) {
			snprintf(why, sizeof why, "step %zu: r%u cannot be followed from %s", i, r, eid(M, cur));
			break;
		}
		if (fwd != p->steps[i].forward) {
			snprintf(why, sizeof why, "step %zu (r%u from %s): forward is %d, should be %d", i, r,
			         eid(M, cur), p->steps[i].forward, fwd);
			break;
		}
		after = kg_path_entity_after(M->g, p, i);
		if (after != v) {
			snprintf(why, sizeof why, "kg_path_entity_after(path, %zu) is %u, should be %s", i, after,
			         eid(M, v));
			break;
		}
		if (seen[v]) {
			snprintf(why, sizeof why, "step %zu comes back to %s", i, eid(M, v));
			break;
		}
		if (i + 1 < p->nsteps && !bf_inner_ok(M, &o->filter, v)) {
			snprintf(why, sizeof why, "step %zu passes through %s, which through_types/avoid forbid", i,
			         eid(M, v));
			break;
		}
		seen[v] = true;
		w += bf_weight(M, wmode, r);
		cur = v;
	}
	free(seen);
	if (why[0])
		return why;
	if (cur != to) {
		snprintf(why, sizeof why, "the path ends at %s", eid(M, cur));
		return why;
	}
	if (wmode == W_COUNT)
		w = (double)p->nsteps;
	if (p->weight != w) {
		snprintf(why, sizeof why, "a path's weight is %g; its relations weigh %g", p->weight, w);
		return why;
	}
	return NULL;
}

/* ---- checking kg_query_paths against brute force -------------------- */

static int wmode_of(const kg_path_options *o)
{
	if (!o->weight)
		return W_COUNT;
	return strcmp(o->weight, "weight") == 0 ? W_WEIGHT : W_COST;
}

/*
 * Ask, and compare with brute force. strict: K_SHORTEST must return
 * exactly the first k paths in result order, and weighted SHORTEST exactly
 * the first (otherwise only lengths/weights are compared for those two).
 */
static void check_paths(const model *M, uint32_t from, uint32_t to, const kg_path_options *o, bool strict)
{
	kg_paths *res = NULL;
	pathset all = {0}, got = {0};
	sbuf q = {0};
	int wmode = wmode_of(o);
	size_t limit = o->limit ? o->limit : KG_DEFAULT_PATH_LIMIT;
	size_t i, j, nexp = 0;
	bool trunc, want_trunc = false;
	char problem[400];
	int rc;

	nqueries++;
	sb_query(&q, M, from, to, o);
	bf_paths(M, &o->filter, from, to, o->max_hops, wmode, &all);
	rc = kg_query_paths(&res, M->g, from, to, o, NULL);
	if (rc != KG_OK || !res) {
		snprintf(problem, sizeof problem, "kg_query_paths returned %d (result %p)", rc, (void *)res);
		fail_paths(M, &q, from, problem, &all, all.n, NULL, false);
	}
	trunc = kg_paths_truncated(res);
	for (i = 0; i < kg_paths_count(res); i++) {
		kg_path p = kg_paths_get(res, i);
		ps_add(&got, p.steps, p.nsteps, p.weight);
	}
	for (i = 0; i < kg_paths_count(res); i++) {
		kg_path p = kg_paths_get(res, i);
		const char *why = bad_path(M, o, wmode, from, to, &p);
		if (why) {
			snprintf(problem, sizeof problem, "returned path %zu is invalid: %s", i, why);
			fail_paths(M, &q, from, problem, &all, all.n, &got, trunc);
		}
	}

	switch (o->mode) {
	case KG_PATHS_SHORTEST:
		nexp = all.n ? 1 : 0;
		if (got.n != nexp)
			fail_paths(M, &q, from, "wrong number of paths", &all, nexp, &got, trunc);
		if (nexp && (wmode == W_COUNT || strict) && !path_equal(&all, 0, &got, 0))
			fail_paths(M, &q, from,
			           wmode == W_COUNT ? "not the shortest path with the smallest relation indexes"
			                            : "not the lightest path with the smallest relation indexes",
			           &all, nexp, &got, trunc);
		if (nexp && got.p[0].w != all.p[0].w)
			fail_paths(M, &q, from, "not the lightest path", &all, nexp, &got, trunc);
		if (trunc)
			fail_paths(M, &q, from, "SHORTEST says truncated", &all, nexp, &got, trunc);
		break;
	case KG_PATHS_ALL_SHORTEST:
	case KG_PATHS_ALL: {
		size_t nall = all.n;
		if (o->mode == KG_PATHS_ALL_SHORTEST)
			for (nall = 0; nall < all.n && all.p[nall].w == all.p[0].w; nall++)
				;
		nexp = nall < limit ? nall : limit;
		want_trunc = nall > limit;
		if (got.n != nexp)
			fail_paths(M, &q, from, "wrong number of paths", &all, nall, &got, trunc);
		for (i = 0; i < nexp; i++) {
			if (!path_equal(&all, i, &got, i)) {
				/* Say whether only the order is wrong. */
				size_t found = 0;
				for (j = 0; j < nexp; j++) {
					size_t x;
					for (x = 0; x < nexp; x++)
						if (path_equal(&all, j, &got, x))
							break;
					found += x < nexp;
				}
				snprintf(problem, sizeof problem, "path %zu differs (%s)", i,
				         found == nexp ? "the same paths in another order" : "not the same paths");
				fail_paths(M, &q, from, problem, &all, nall, &got, trunc);
			}
		}
		if (trunc != want_trunc)
			fail_paths(M, &q, from, want_trunc ? "kg_paths_truncated is false, there are more paths"
			                                   : "kg_paths_truncated is true, but that is all the paths",
			           &all, nall, &got, trunc);
		break;
	}
	case KG_PATHS_K_SHORTEST:
		nexp = all.n < o->k ? all.n : o->k;
		if (got.n != nexp)
			fail_paths(M, &q, from, "wrong number of paths", &all, all.n, &got, trunc);
		for (i = 0; i < nexp; i++) {
			if (got.p[i].w != all.p[i].w) {
				snprintf(problem, sizeof problem, "path %zu has %s %g; the %zu-th shortest has %g", i,
				         wmode ? "weight" : "length", got.p[i].w, i + 1, all.p[i].w);
				fail_paths(M, &q, from, problem, &all, all.n, &got, trunc);
			}
			for (j = 0; j < i; j++)
				if (path_equal(&got, i, &got, j)) {
					snprintf(problem, sizeof problem, "paths %zu and %zu are the same", j, i);
					fail_paths(M, &q, from, problem, &all, all.n, &got, trunc);
				}
			if (strict && !path_equal(&all, i, &got, i)) {
				snprintf(problem, sizeof problem,
				         "path %zu is not the %zu-th in result order (length/weight, then relation indexes)",
				         i, i + 1);
				fail_paths(M, &q, from, problem, &all, all.n, &got, trunc);
			}
		}
		break;
	}
	kg_paths_free(res);
	ps_free(&all);
	ps_free(&got);
	free(q.s);
}

/* ---- checking kg_query_neighbors against BFS ------------------------ */

typedef struct nb {
	uint32_t entity;
	unsigned distance;
	uint32_t via;
	bool forward;
	uint32_t parent;
} nb;

/* Can a neighbourhood standing at u follow r in direction dir? */
static bool nb_step(const model *M, kg_direction dir, uint32_t r, uint32_t u, uint32_t *v, bool *fwd)
{
	bool sym;

	if (M->rfrom[r] == M->rto[r])
		return false;
	sym = M->sym[M->rtype[r]];
	if (M->rfrom[r] == u) {
		*v = M->rto[r];
		*fwd = true;
		return dir == KG_DIRECTION_BOTH || dir == KG_DIRECTION_OUT || sym;
	}
	if (M->rto[r] == u) {
		*v = M->rfrom[r];
		*fwd = false;
		return dir == KG_DIRECTION_BOTH || dir == KG_DIRECTION_IN || sym;
	}
	return false;
}

/* Breadth-first, relations of each entity in file order: the neighbours in
 * query.h's order; dist[] gets every distance (UINT_MAX: not within). */
static size_t bf_neighbors(const model *M, const kg_filter *f, uint32_t start, unsigned depth, kg_direction dir,
                           nb *out, unsigned *dist)
{
	uint32_t *queue = malloc((M->n + 1) * sizeof *queue);
	size_t head = 0, tail = 0, nout = 0, e, i;

	assert_non_null(queue);
	for (e = 0; e < M->n; e++)
		dist[e] = UINT_MAX;
	dist[start] = 0;
	queue[tail++] = start;
	while (head < tail) {
		uint32_t u = queue[head++];
		if (dist[u] >= depth)
			continue;
		for (i = M->adj_off[u]; i < M->adj_off[u + 1]; i++) {
			uint32_t r = M->adj[i], v;
			bool fwd;
			if (!bf_admits(M, f, r) || !nb_step(M, dir, r, u, &v, &fwd) || dist[v] != UINT_MAX)
				continue;
			dist[v] = dist[u] + 1;
			out[nout].entity = v;
			out[nout].distance = dist[v];
			out[nout].via = r;
			out[nout].forward = fwd;
			out[nout].parent = u;
			nout++;
			queue[tail++] = v;
		}
	}
	free(queue);
	return nout;
}

static const char *dir_name(kg_direction d)
{
	return d == KG_DIRECTION_OUT ? "OUT" : d == KG_DIRECTION_IN ? "IN" : "BOTH";
}

static void sb_nb(sbuf *b, const model *M, const nb *x)
{
	sb_printf(b, "  %s distance %u via r%u %s from %s\n", eid(M, x->entity), x->distance, x->via,
	          x->forward ? "forward" : "backward", eid(M, x->parent));
}

static void fail_neighbors(const model *M, uint32_t start, const kg_neighbor_options *o, const char *problem,
                           const nb *exp, size_t nexp, const kg_neighbors *res)
{
	sbuf b = {0};
	size_t i;

	sb_printf(&b, "\n---- graph (t.yaml):\n%s---- query: kg_query_neighbors %s, depth %u, direction %s",
	          M->yaml, eid(M, start), o->depth, dir_name(o->direction));
	sb_filter(&b, M, &o->filter);
	sb_printf(&b, " (directed ignored)\n---- problem: %s\n---- expected (%zu):\n", problem, nexp);
	for (i = 0; i < nexp; i++)
		sb_nb(&b, M, &exp[i]);
	sb_printf(&b, "---- got (%zu):\n", kg_neighbors_count(res));
	for (i = 0; res && i < kg_neighbors_count(res); i++) {
		const kg_neighbor *x = kg_neighbors_get(res, i);
		nb y = {x->entity, x->distance, x->via, x->forward, x->parent};
		sb_nb(&b, M, &y);
	}
	fprintf(stderr, "%s", b.s);
	free(b.s);
	fail_msg("%s", problem);
}

/*
 * Loosely: the same entities at the same distances, nearest first, each
 * reached through a relation that really leads from its parent, one
 * relation nearer. strict: also exactly query.h's order and parents.
 */
static void check_neighbors(const model *M, uint32_t start, const kg_neighbor_options *o, bool strict)
{
	kg_neighbors *res = NULL;
	unsigned depth = o->depth ? o->depth : 1;
	nb *exp = malloc((M->n + 1) * sizeof *exp);
	unsigned *dist = malloc((M->n + 1) * sizeof *dist);
	bool *listed = calloc(M->n + 1, sizeof *listed);
	size_t nexp, i;
	char problem[300];
	int rc;

	assert_true(exp && dist && listed);
	nqueries++;
	nexp = bf_neighbors(M, &o->filter, start, depth, o->direction, exp, dist);
	rc = kg_query_neighbors(&res, M->g, start, o);
	if (rc != KG_OK || !res) {
		snprintf(problem, sizeof problem, "kg_query_neighbors returned %d", rc);
		fail_neighbors(M, start, o, problem, exp, nexp, NULL);
	}
	if (kg_neighbors_count(res) != nexp)
		fail_neighbors(M, start, o, "wrong number of neighbours", exp, nexp, res);
	for (i = 0; i < nexp; i++) {
		const kg_neighbor *x = kg_neighbors_get(res, i);
		uint32_t v = KG_NONE;
		bool fwd = false;

		problem[0] = 0;
		if (x->entity >= M->n || x->entity == start || listed[x->entity])
			snprintf(problem, sizeof problem, "neighbour %zu: entity %u is the start, listed twice or out of range", i,
			         x->entity);
		else if (x->distance != dist[x->entity])
			snprintf(problem, sizeof problem, "neighbour %zu (%s): distance %u, should be %u%s", i,
			         eid(M, x->entity), x->distance, dist[x->entity],
			         dist[x->entity] == UINT_MAX ? " (not within depth)" : "");
		else if (i && x->distance < kg_neighbors_get(res, i - 1)->distance)
			snprintf(problem, sizeof problem, "neighbour %zu is nearer than the one before it", i);
		else if (x->via >= M->m || x->parent >= M->n)
			snprintf(problem, sizeof problem, "neighbour %zu: via %u or parent %u out of range", i, x->via, x->parent);
		else if (!bf_admits(M, &o->filter, x->via))
			snprintf(problem, sizeof problem, "neighbour %zu: via r%u, which the filter does not admit", i, x->via);
		else if (!nb_step(M, o->direction, x->via, x->parent, &v, &fwd) || v != x->entity)
			snprintf(problem, sizeof problem, "neighbour %zu: r%u does not lead from %s to %s in direction %s", i,
			         x->via, eid(M, x->parent), eid(M, x->entity), dir_name(o->direction));
		else if (fwd != x->forward)
			snprintf(problem, sizeof problem, "neighbour %zu: forward is %d, should be %d", i, x->forward, fwd);
		else if (dist[x->parent] != x->distance - 1)
			snprintf(problem, sizeof problem, "neighbour %zu: parent %s is not one relation nearer", i,
			         eid(M, x->parent));
		else if (strict && (x->entity != exp[i].entity || x->via != exp[i].via || x->parent != exp[i].parent))
			snprintf(problem, sizeof problem,
			         "neighbour %zu is not in query.h's order (nearest first, then as first reached "
			         "exploring relations in file order)",
			         i);
		if (problem[0])
			fail_neighbors(M, start, o, problem, exp, nexp, res);
		listed[x->entity] = true;
	}
	kg_neighbors_free(res);
	free(exp);
	free(dist);
	free(listed);
}

/* ---- random queries ------------------------------------------------- */

typedef struct rfilter {
	kg_filter f;
	uint32_t rt[3], ex[3], tt[3], av[8];
} rfilter;

/* A random filter; entity_filters: also through_types and avoid. */
static void random_filter(rfilter *rf, const model *M, bool entity_filters)
{
	kg_filter init = KG_FILTER_INIT;
	unsigned t, n;

	rf->f = init;
	rf->f.directed = chance(50);
	if (chance(30)) {
		for (n = 0, t = 0; t < 3; t++)
			if (chance(50))
				rf->rt[n++] = M->rt[t];
		if (!n)
			rf->rt[n++] = M->rt[rnd(3)];
		rf->f.rel_types = rf->rt;
		rf->f.nrel_types = n;
	}
	if (chance(30)) {
		rf->ex[0] = M->rt[rnd(3)];
		n = 1;
		if (chance(30))
			rf->ex[n++] = M->rt[rnd(3)];
		rf->f.exclude_rel_types = rf->ex;
		rf->f.nexclude_rel_types = n;
	}
	if (entity_filters && chance(30)) {
		for (n = 0, t = 0; t < 3; t++)
			if (chance(50))
				rf->tt[n++] = M->et[t];
		if (!n)
			rf->tt[n++] = M->et[rnd(3)];
		rf->f.through_types = rf->tt;
		rf->f.nthrough_types = n;
	}
	if (entity_filters && chance(30)) {
		unsigned most = M->n >= 24 ? 8 : (unsigned)M->n / 3 + 1;
		n = 1 + rnd(most);
		for (t = 0; t < n; t++)
			rf->av[t] = (uint32_t)rnd((unsigned)M->n);
		rf->f.avoid = rf->av;
		rf->f.navoid = n;
	}
	if (chance(40)) {
		const char *d = asof_dates[rnd(NASOF_DATES)];
		assert_int_equal(kg_date_parse(&rf->f.as_of, d, strlen(d)), KG_OK);
	}
}

static void random_pair(const model *M, uint32_t *a, uint32_t *b)
{
	*a = (uint32_t)rnd((unsigned)M->n);
	*b = chance(10) ? *a : (uint32_t)rnd((unsigned)M->n);
}

/* kg_filter_admits agrees with the brute force's reading. */
static void check_filter_admits(const model *M, const kg_filter *f)
{
	uint32_t r;

	for (r = 0; r < M->m; r++) {
		if (kg_filter_admits(M->g, f, r) != bf_admits(M, f, r)) {
			sbuf b = {0};
			char d1[11], d2[11];
			sb_filter(&b, M, f);
			fprintf(stderr, "\n---- graph:\n%s---- filter%s\n---- relation r%u (since %s until %s)\n", M->yaml,
			        b.s, r, kg_date_format(d1, kg_relation_since(M->g, r)),
			        kg_date_format(d2, kg_relation_until(M->g, r)));
			free(b.s);
			fail_msg("kg_filter_admits(r%u) is %d, should be %d", r, !bf_admits(M, f, r), bf_admits(M, f, r));
		}
	}
}

/* ---- property tests on small graphs --------------------------------- */

#define NGRAPHS 300
#define PAIRS_PER_GRAPH 8

typedef void (*graph_fn)(const model *M);

static void for_each_small_graph(uint64_t seed, bool zero_weights, graph_fn fn, const char *what)
{
	unsigned i;

	nqueries = 0;
	for (i = 0; i < NGRAPHS; i++) {
		unsigned n, m;
		char *yaml;
		kg_graph *g;
		model M;

		rng_seed(seed * 100003u + i);
		n = 2 + rnd(7);
		m = rnd(15);
		yaml = gen_graph(n, m, zero_weights);
		g = load_ok(yaml);
		model_init(&M, g, yaml);
		assert_int_equal(M.n, n);
		assert_int_equal(M.m, m);
		fn(&M);
		model_free(&M);
		kg_graph_free(g);
		free(yaml);
	}
	print_message("%s: %u graphs, %zu queries\n", what, NGRAPHS, nqueries);
}

static void each_mode_plain(const model *M, kg_path_mode mode, bool strict)
{
	unsigned q, directed;

	for (q = 0; q < PAIRS_PER_GRAPH; q++) {
		uint32_t a, b;
		random_pair(M, &a, &b);
		for (directed = 0; directed < 2; directed++) {
			kg_path_options o = KG_PATH_OPTIONS_INIT;
			o.filter.directed = directed;
			o.mode = mode;
			if (mode == KG_PATHS_ALL)
				o.max_hops = 1 + rnd(5);
			if (mode == KG_PATHS_K_SHORTEST)
				o.k = 1 + rnd(6);
			check_paths(M, a, b, &o, strict);
		}
	}
}

static void g_shortest(const model *M) { each_mode_plain(M, KG_PATHS_SHORTEST, false); }
static void g_all_shortest(const model *M) { each_mode_plain(M, KG_PATHS_ALL_SHORTEST, false); }
static void g_all(const model *M) { each_mode_plain(M, KG_PATHS_ALL, false); }
static void g_k(const model *M) { each_mode_plain(M, KG_PATHS_K_SHORTEST, false); }
static void g_k_strict(const model *M) { each_mode_plain(M, KG_PATHS_K_SHORTEST, true); }

static void g_filters(const model *M)
{
	unsigned q;

	for (q = 0; q < PAIRS_PER_GRAPH; q++) {
		rfilter rf;
		kg_path_options o = KG_PATH_OPTIONS_INIT;
		uint32_t a, b;

		random_pair(M, &a, &b);
		random_filter(&rf, M, true);
		check_filter_admits(M, &rf.f);
		o.filter = rf.f;
		o.mode = KG_PATHS_SHORTEST;
		o.max_hops = chance(30) ? 1 + rnd(4) : 0;
		check_paths(M, a, b, &o, false);
		o.mode = KG_PATHS_ALL;
		o.max_hops = 1 + rnd(5);
		check_paths(M, a, b, &o, false);
	}
}

static void g_filters_other_modes(const model *M)
{
	unsigned q;

	for (q = 0; q < PAIRS_PER_GRAPH; q++) {
		rfilter rf;
		kg_path_options o = KG_PATH_OPTIONS_INIT;
		uint32_t a, b;

		random_pair(M, &a, &b);
		random_filter(&rf, M, true);
		o.filter = rf.f;
		o.mode = KG_PATHS_ALL_SHORTEST;
		o.max_hops = chance(30) ? 1 + rnd(4) : 0;
		check_paths(M, a, b, &o, false);
		o.mode = KG_PATHS_K_SHORTEST;
		o.k = 1 + rnd(6);
		o.max_hops = chance(30) ? 1 + rnd(4) : 0;
		check_paths(M, a, b, &o, false);
	}
}

/* Weighted: by weight: or by the cost: attribute; half of the queries
 * filtered too. strict: SHORTEST must be the first in result order. */
static void weighted(const model *M, bool strict)
{
	unsigned q;

	for (q = 0; q < PAIRS_PER_GRAPH; q++) {
		rfilter rf;
		kg_path_options o = KG_PATH_OPTIONS_INIT;
		uint32_t a, b;

		random_pair(M, &a, &b);
		random_filter(&rf, M, true);
		if (chance(50)) {
			kg_filter plain = KG_FILTER_INIT;
			plain.directed = rf.f.directed;
			rf.f = plain;
		}
		o.filter = rf.f;
		o.weight = chance(50) ? "weight" : "cost";
		o.mode = KG_PATHS_SHORTEST;
		check_paths(M, a, b, &o, strict);
		if (strict)
			continue;
		o.mode = KG_PATHS_ALL_SHORTEST;
		check_paths(M, a, b, &o, false);
		o.mode = KG_PATHS_K_SHORTEST;
		o.k = 1 + rnd(6);
		check_paths(M, a, b, &o, false);
	}
}

static void g_weighted(const model *M) { weighted(M, false); }
static void g_weighted_strict(const model *M) { weighted(M, true); }

static void g_limit(const model *M)
{
	unsigned q;

	for (q = 0; q < PAIRS_PER_GRAPH; q++) {
		kg_path_options o = KG_PATH_OPTIONS_INIT;
		uint32_t a, b;

		random_pair(M, &a, &b);
		o.filter.directed = chance(50);
		o.mode = KG_PATHS_ALL;
		o.max_hops = 1 + rnd(5);
		o.limit = 1 + rnd(4);
		check_paths(M, a, b, &o, false);
		o.mode = KG_PATHS_ALL_SHORTEST;
		o.max_hops = 0;
		o.limit = 1 + rnd(3);
		check_paths(M, a, b, &o, false);
	}
}

static void neighbors(const model *M, bool strict)
{
	uint32_t e;

	for (e = 0; e < M->n; e++) {
		kg_neighbor_options o = KG_NEIGHBOR_OPTIONS_INIT;
		rfilter rf;

		random_filter(&rf, M, false);
		if (chance(50)) {
			kg_filter plain = KG_FILTER_INIT;
			plain.directed = rf.f.directed;
			rf.f = plain;
		}
		o.filter = rf.f; /* directed: ignored */
		o.depth = rnd(4); /* 0 means 1 */
		o.direction = (kg_direction)rnd(3);
		check_neighbors(M, e, &o, strict);
	}
}

static void g_neighbors(const model *M) { neighbors(M, false); }
static void g_neighbors_strict(const model *M) { neighbors(M, true); }

/*
 * The property tests: each a test of its own (named here, run by
 * run_property), over NGRAPHS graphs from its own seed, asking every
 * graph the questions of fn.
 */
typedef struct property {
	const char *test;  /* the cmocka test name */
	uint64_t seed;
	bool zero_weights; /* weights drawn from weights_zero */
	graph_fn fn;
	const char *what;  /* for the summary line */
} property;

static const property properties[] = {
	{"test_query__shortest_is_first_brute_force_path", 1, false, g_shortest, "SHORTEST"},
	{"test_query__all_shortest_matches_brute_force", 2, false, g_all_shortest, "ALL_SHORTEST"},
	{"test_query__all_within_max_hops_matches_brute_force", 3, false, g_all, "ALL"},
	{"test_query__k_shortest_lengths_match_brute_force", 4, false, g_k, "K_SHORTEST lengths"},
	/* query.h: results are ordered by length, then relation indexes, and
	 * of equally good answers the smallest comes first; Yen's algorithm
	 * that breaks ties this way returns exactly the first k. */
	{"test_query__k_shortest_are_first_k_in_result_order", 5, false, g_k_strict, "K_SHORTEST exact"},
	{"test_query__filters_match_brute_force", 6, false, g_filters, "filters, SHORTEST and ALL"},
	{"test_query__filters_all_shortest_and_k_shortest", 7, false, g_filters_other_modes,
	 "filters, ALL_SHORTEST and K_SHORTEST"},
	{"test_query__weighted_matches_brute_force", 8, false, g_weighted,
	 "weighted SHORTEST, ALL_SHORTEST, K_SHORTEST"},
	{"test_query__weighted_shortest_breaks_ties_by_relation_index", 9, false, g_weighted_strict,
	 "weighted SHORTEST exact"},
	/* Weights of 0 are allowed (>= 0): equally light paths of different
	 * lengths, and zero-weight cycles, must not upset the searches. */
	{"test_query__zero_weights_match_brute_force", 10, true, g_weighted, "zero weights"},
	{"test_query__limit_truncates_in_result_order", 11, false, g_limit, "limit"},
	{"test_query__neighbors_match_bfs", 12, false, g_neighbors, "neighbours"},
	{"test_query__neighbors_in_documented_order", 13, false, g_neighbors_strict, "neighbours, exact order"},
};
#define NPROPERTIES (sizeof properties / sizeof *properties)

static void run_property(void **state)
{
	const property *p = *state;

	for_each_small_graph(p->seed, p->zero_weights, p->fn, p->what);
}

/* ---- by hand -------------------------------------------------------- */

static const char hand[] =
	"relation_types:\n"
	"  met: {symmetric: true}\n"
	"entities:\n"
	"  a: {type: person}\n"
	"  b: {type: person}\n"
	"  c: {type: person}\n"
	"  d: {type: country}\n"
	"  lone: {type: person}\n"
	"relations:\n"
	"  - [a, knows, b]\n"                  /* r0 */
	"  - [b, knows, c]\n"                  /* r1 */
	"  - [a, met, d]\n"                    /* r2 */
	"  - [c, met, d, {cost: heavy}]\n"     /* r3: followed d -> c against, symmetric */
	"  - [c, knows, a]\n"                  /* r4 */
	"  - [a, knows, a]\n";                 /* r5: a self-relation */

static uint32_t ent(const kg_graph *g, const char *id)
{
	uint32_t e = kg_graph_find_entity(g, id);
	assert_int_not_equal(e, KG_NONE);
	return e;
}

static kg_paths *ask(const kg_graph *g, const char *from, const char *to, const kg_path_options *o)
{
	kg_paths *p = NULL;
	assert_int_equal(kg_query_paths(&p, g, ent(g, from), ent(g, to), o, NULL), KG_OK);
	assert_non_null(p);
	return p;
}

static void expect_steps(const kg_graph *g, kg_path p, const char *from, const char *to, size_t n,
                         const uint32_t *rels, const bool *fwd, const char *const *after)
{
	size_t i;

	assert_int_equal(p.from, ent(g, from));
	assert_int_equal(p.to, ent(g, to));
	assert_int_equal(p.nsteps, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(p.steps[i].relation, rels[i]);
		assert_int_equal(p.steps[i].forward, fwd[i]);
		assert_int_equal(kg_path_entity_after(g, &p, i), ent(g, after[i]));
	}
}

/* A path expected by hand: its relations, whether each is followed as
 * written, the entity after each, and its weight. */
typedef struct hand_path {
	size_t n;
	uint32_t rel[2];
	bool fwd[2];
	const char *after[2];
	double weight;
} hand_path;

/* A question and its whole answer: every path, in order, and not
 * truncated. */
typedef struct hand_case {
	const char *what;
	const char *from, *to;
	kg_path_mode mode;
	bool directed;
	const char *through; /* the only entity type inside paths, or NULL */
	const char *weight;  /* the weight attribute, or NULL for hops */
	size_t npaths;
	hand_path paths[2];
} hand_case;

static void run_hand_cases(const char *yaml, const hand_case *cases, size_t n)
{
	kg_graph *g = load_ok(yaml);
	size_t i, j;

	for (i = 0; i < n; i++) {
		const hand_case *c = &cases[i];
		kg_path_options o = KG_PATH_OPTIONS_INIT;
		uint32_t through = KG_NONE;
		kg_paths *p;

		o.mode = c->mode;
		o.filter.directed = c->directed;
		o.weight = c->weight;
		if (c->through) {
			through = kg_graph_find_type(g, c->through);
			assert_int_not_equal(through, KG_NONE);
			o.filter.through_types = &through;
			o.filter.nthrough_types = 1;
		}
		p = ask(g, c->from, c->to, &o);
		if (kg_paths_count(p) != c->npaths)
			fail_msg("%s: %zu paths, want %zu", c->what, kg_paths_count(p), c->npaths);
		for (j = 0; j < c->npaths; j++) {
			const hand_path *e = &c->paths[j];
			kg_path x = kg_paths_get(p, j);
			expect_steps(g, x, c->from, c->to, e->n, e->rel, e->fwd, e->after);
			if (!(x.weight == e->weight))
				fail_msg("%s: path %zu weighs %g, want %g", c->what, j, x.weight, e->weight);
		}
		assert_false(kg_paths_truncated(p));
		kg_paths_free(p);
	}
	kg_graph_free(g);
}

static const hand_case hand_cases[] = {
	{"both ways: a <- c by r4 against its direction", "a", "c", KG_PATHS_SHORTEST, false, NULL, NULL,
	 1, {{1, {4}, {false}, {"c"}, 1.0}}},
	{"directed: a -> b -> c", "a", "c", KG_PATHS_SHORTEST, true, NULL, NULL,
	 1, {{2, {0, 1}, {true, true}, {"b", "c"}, 2.0}}},
	{"directed, every shortest: a -> b -> c, and a -> d -> c through the symmetric r3", "a", "c",
	 KG_PATHS_ALL_SHORTEST, true, NULL, NULL,
	 2, {{2, {0, 1}, {true, true}, {"b", "c"}, 2.0}, {2, {2, 3}, {true, false}, {"d", "c"}, 2.0}}},
	{"directed c -> b: not against r1 (not symmetric), so c -> a -> b by r4, r0", "c", "b",
	 KG_PATHS_SHORTEST, true, NULL, NULL,
	 1, {{2, {4, 0}, {true, true}, {"a", "b"}, 2.0}}},
	{"directed, only through countries: a -> d -> c", "a", "c", KG_PATHS_SHORTEST, true, "country", NULL,
	 1, {{2, {2, 3}, {true, false}, {"d", "c"}, 2.0}}},
};

static void test_query__small_graph_by_hand(void **state)
{
	(void)state;
	run_hand_cases(hand, hand_cases, sizeof hand_cases / sizeof *hand_cases);
}

/* through_types and avoid concern the entities inside a path, never its
 * two ends: in every mode (the smallest cases of what the property tests
 * check). */
static void test_query__entity_filters_spare_both_ends_in_every_mode(void **state)
{
	kg_graph *g = load_ok("entities: {a: {type: person}, b: {type: country}, c: {type: person}}\n"
	                      "relations:\n"
	                      "  - [a, r, b]\n"
	                      "  - [b, r, c]\n");
	uint32_t country = kg_graph_find_type(g, "country");
	const char *const avoid_ids[] = {"a", "c"};
	kg_path_mode mode;
	size_t i;
	(void)state;

	for (mode = KG_PATHS_SHORTEST; mode <= KG_PATHS_ALL; mode++) {
		for (i = 0; i < 3; i++) {
			kg_path_options o = KG_PATH_OPTIONS_INIT;
			uint32_t avoid;
			kg_paths *p;

			o.mode = mode;
			o.k = 2;
			o.max_hops = 2;
			if (i < 2) { /* avoid one end */
				avoid = ent(g, avoid_ids[i]);
				o.filter.avoid = &avoid;
				o.filter.navoid = 1;
			} else { /* only through countries: b is one, a and c are not */
				o.filter.through_types = &country;
				o.filter.nthrough_types = 1;
			}
			p = ask(g, "a", "c", &o);
			if (kg_paths_count(p) != 1)
				fail_msg("mode %s, a -> c, %s%s: %zu paths, want 1 (a -r0-> b -r1-> c)", mode_name(mode),
				         i < 2 ? "avoid " : "through_types [country]", i < 2 ? avoid_ids[i] : "",
				         kg_paths_count(p));
			expect_steps(g, kg_paths_get(p, 0), "a", "c", 2, (uint32_t[]){0, 1}, (bool[]){true, true},
			             (const char *[]){"b", "c"});
			kg_paths_free(p);
		}
	}
	kg_graph_free(g);
}

/* Weights of 0: a -> b directly and a -> c -> b weigh 0 both; both are
 * lightest (the smallest case of what the zero-weight property finds). */
static const hand_case zero_weight_cases[] = {
	{"SHORTEST a -> b by weight: the first, [r0]", "a", "b", KG_PATHS_SHORTEST, false, NULL, "weight",
	 1, {{1, {0}, {true}, {"b"}, 0.0}}},
	{"ALL_SHORTEST a -> b by weight: [r0] and [r1 r2], both weigh 0", "a", "b", KG_PATHS_ALL_SHORTEST, false,
	 NULL, "weight", 2, {{1, {0}, {true}, {"b"}, 0.0}, {2, {1, 2}, {true, true}, {"c", "b"}, 0.0}}},
};

static void test_query__zero_weights_all_lightest_paths(void **state)
{
	(void)state;
	run_hand_cases("entities: {a: {type: person}, b: {type: person}, c: {type: person}}\n"
	               "relations:\n"
	               "  - [a, r, b, {weight: 0}]\n"
	               "  - [a, r, c, {weight: 0}]\n"
	               "  - [c, r, b, {weight: 0}]\n",
	               zero_weight_cases, sizeof zero_weight_cases / sizeof *zero_weight_cases);
}

/* ---- edge cases ----------------------------------------------------- */

static void test_query__from_equals_to(void **state)
{
	kg_graph *g = load_ok(hand);
	kg_path_mode modes[] = {KG_PATHS_SHORTEST, KG_PATHS_ALL_SHORTEST, KG_PATHS_K_SHORTEST, KG_PATHS_ALL};
	size_t i;
	(void)state;

	/* One path of no relations, whatever the mode (a path never visits an
	 * entity twice, so there is no other), even with a self-relation on a. */
	for (i = 0; i < 8; i++) {
		kg_path_options o = KG_PATH_OPTIONS_INIT;
		kg_paths *p;
		kg_path x;

		o.mode = modes[i % 4];
		o.k = 3;
		o.max_hops = o.mode == KG_PATHS_ALL ? 3 : 0;
		o.weight = i >= 4 && o.mode != KG_PATHS_ALL ? "weight" : NULL;
		o.filter.directed = i & 1;
		p = ask(g, "a", "a", &o);
		if (kg_paths_count(p) != 1)
			fail_msg("mode %s: %zu paths from a to a", mode_name(o.mode), kg_paths_count(p));
		x = kg_paths_get(p, 0);
		assert_int_equal(x.from, ent(g, "a"));
		assert_int_equal(x.to, ent(g, "a"));
		assert_int_equal(x.nsteps, 0);
		assert_true(x.weight == 0.0);
		assert_false(kg_paths_truncated(p));
		kg_paths_free(p);
	}
	kg_graph_free(g);
}

static void test_query__no_path(void **state)
{
	kg_graph *g = load_ok(hand);
	kg_path_mode modes[] = {KG_PATHS_SHORTEST, KG_PATHS_ALL_SHORTEST, KG_PATHS_K_SHORTEST, KG_PATHS_ALL};
	size_t i;
	(void)state;

	for (i = 0; i < 4; i++) {
		kg_path_options o = KG_PATH_OPTIONS_INIT;
		kg_paths *p;

		o.mode = modes[i];
		o.k = 2;
		o.max_hops = o.mode == KG_PATHS_ALL ? 5 : 0;
		p = ask(g, "a", "lone", &o);
		assert_int_equal(kg_paths_count(p), 0);
		assert_false(kg_paths_truncated(p));
		kg_paths_free(p);
		/* Directed b -> d: b -> c -> d (r1, r3 as written); none
		 * without `knows`, b's only relations. */
		o.filter.directed = true;
		p = ask(g, "b", "d", &o); /* b -> c -> d (r1, r3 as written) */
		assert_int_equal(kg_paths_count(p) > 0, 1);
		kg_paths_free(p);
		{
			uint32_t knows = kg_graph_find_relation_type(g, "knows");
			o.filter.exclude_rel_types = &knows;
			o.filter.nexclude_rel_types = 1;
			p = ask(g, "b", "d", &o);
			assert_int_equal(kg_paths_count(p), 0);
			kg_paths_free(p);
		}
	}
	kg_paths_free(NULL);
	kg_neighbors_free(NULL);
	kg_graph_free(g);
}

/* Stands for the entity count (one past the last entity) in earg_cases. */
#define PAST_END (KG_NONE - 1)

/* Questions kg_query_paths refuses, and the nearest it answers. */
static const struct {
	const char *what;
	uint32_t from, to;
	kg_path_mode mode;
	unsigned max_hops, k;
	int rc;
} earg_cases[] = {
	{"from out of range", PAST_END, 0, KG_PATHS_SHORTEST, 0, 1, KG_EARG},
	{"to out of range", 0, PAST_END, KG_PATHS_SHORTEST, 0, 1, KG_EARG},
	{"from KG_NONE", KG_NONE, 0, KG_PATHS_SHORTEST, 0, 1, KG_EARG},
	{"to KG_NONE", 0, KG_NONE, KG_PATHS_SHORTEST, 0, 1, KG_EARG},
	{"ALL without max_hops", 0, 2, KG_PATHS_ALL, 0, 1, KG_EARG},
	{"ALL over KG_MAX_PATH_HOPS", 0, 2, KG_PATHS_ALL, KG_MAX_PATH_HOPS + 1, 1, KG_EARG},
	{"ALL at KG_MAX_PATH_HOPS", 0, 2, KG_PATHS_ALL, KG_MAX_PATH_HOPS, 1, KG_OK},
	{"K_SHORTEST with k = 0", 0, 2, KG_PATHS_K_SHORTEST, 0, 0, KG_EARG},
};

static void test_query__bad_arguments_are_earg(void **state)
{
	kg_graph *g = load_ok(hand);
	uint32_t n = (uint32_t)kg_graph_entity_count(g);
	kg_neighbor_options no = KG_NEIGHBOR_OPTIONS_INIT;
	kg_neighbors *nres = NULL;
	int dummy;
	size_t i;
	(void)state;

	for (i = 0; i < sizeof earg_cases / sizeof *earg_cases; i++) {
		kg_path_options o = KG_PATH_OPTIONS_INIT;
		uint32_t from = earg_cases[i].from == PAST_END ? n : earg_cases[i].from;
		uint32_t to = earg_cases[i].to == PAST_END ? n : earg_cases[i].to;
		kg_paths *p = (kg_paths *)&dummy;
		int rc;

		o.mode = earg_cases[i].mode;
		o.max_hops = earg_cases[i].max_hops;
		o.k = earg_cases[i].k;
		rc = kg_query_paths(&p, g, from, to, &o, NULL);
		if (rc != earg_cases[i].rc)
			fail_msg("%s: kg_query_paths returned %d, want %d", earg_cases[i].what, rc, earg_cases[i].rc);
		if (rc == KG_OK)
			assert_non_null(p);
		else
			assert_null(p);
		if (rc == KG_OK)
			kg_paths_free(p);
	}
	/* Neighbours of an entity out of range. */
	nres = (kg_neighbors *)&dummy;
	assert_int_equal(kg_query_neighbors(&nres, g, n, &no), KG_EARG);
	assert_null(nres);
	kg_graph_free(g);
}

/* A cost: that is not a number, or is negative: KG_EINVALID, with an error
 * at the relation. */
static void expect_bad_weight(const char *yaml, const char *what)
{
	kg_graph *g = load_ok(yaml);
	kg_path_mode modes[] = {KG_PATHS_SHORTEST, KG_PATHS_ALL_SHORTEST, KG_PATHS_K_SHORTEST};
	uint32_t bad = 1;
	kg_location at = kg_relation_location(g, bad);
	size_t i, j;

	for (i = 0; i < 3; i++) {
		kg_path_options o = KG_PATH_OPTIONS_INIT;
		kg_diag_list *d = kg_diag_list_new();
		kg_paths *p = NULL;
		bool named = false;
		int rc;

		o.mode = modes[i];
		o.k = 2;
		o.weight = "cost";
		rc = kg_query_paths(&p, g, ent(g, "a"), ent(g, "c"), &o, d);
		if (rc != KG_EINVALID)
			fail_msg("%s, mode %s: kg_query_paths returned %d, not KG_EINVALID", what, mode_name(o.mode), rc);
		assert_null(p);
		for (j = 0; j < kg_diag_list_count(d); j++) {
			const kg_diag *x = kg_diag_list_get(d, j);
			if (x->severity == KG_SEV_ERROR && x->where.file && strcmp(x->where.file, "t.yaml") == 0 &&
			    x->where.line == at.line)
				named = true;
		}
		if (!named) {
			for (j = 0; j < kg_diag_list_count(d); j++) {
				const kg_diag *x = kg_diag_list_get(d, j);
				print_error("  diag %d %s:%u:%u: %s\n", x->severity, x->where.file ? x->where.file : "(none)",
				            x->where.line, x->where.column, x->message);
			}
			fail_msg("%s, mode %s: no error at the relation, t.yaml:%u", what, mode_name(o.mode), at.line);
		}
		kg_diag_list_free(d);
		/* Without a diagnostic list too. */
		assert_int_equal(kg_query_paths(&p, g, ent(g, "a"), ent(g, "c"), &o, NULL), KG_EINVALID);
		assert_null(p);
	}
	kg_graph_free(g);
}

/* Each its own test (named in main), run by run_bad_weight. */
static const struct bad_weight {
	const char *test;
	const char *yaml;
	const char *what;
} bad_weights[] = {
	{"test_query__weight_not_a_number_is_einvalid",
	 "entities: {a: {type: person}, b: {type: person}, c: {type: person}}\n"
	 "relations:\n"
	 "  - [a, r, b, {cost: 1}]\n"
	 "  - [b, r, c, {cost: heavy}]\n",
	 "cost: heavy"},
	{"test_query__negative_weight_is_einvalid",
	 "entities: {a: {type: person}, b: {type: person}, c: {type: person}}\n"
	 "relations:\n"
	 "  - [a, r, b, {cost: 1}]\n"
	 "  - [b, r, c, {cost: -1}]\n",
	 "cost: -1"},
};
#define NBAD_WEIGHTS (sizeof bad_weights / sizeof *bad_weights)

static void run_bad_weight(void **state)
{
	const struct bad_weight *b = *state;

	expect_bad_weight(b->yaml, b->what);
}

static void test_query__relation_weight_by(void **state)
{
	kg_graph *g = load_ok("entities: {a: {type: person}, b: {type: person}, c: {type: person}}\n"
	                      "relations:\n"
	                      "  - [a, r, b, {weight: 2.5, cost: 4}]\n"
	                      "  - [a, r, c]\n"
	                      "  - [b, r, c, {cost: heavy}]\n"
	                      "  - [b, r, a, {cost: \"-1\"}]\n"
	                      "  - [c, r, a, {cost: 1e999}]\n"
	                      "  - [c, r, b, {cost: 0, weight: 0}]\n");
	/* relation, attribute, result, and the weight when KG_OK */
	static const struct {
		uint32_t rel;
		const char *attr;
		int rc;
		double w;
	} cases[] = {
		{0, "weight", KG_OK, 2.5},  {0, "cost", KG_OK, 4.0},      {1, "weight", KG_OK, 1.0},
		{1, "cost", KG_OK, 1.0},    {2, "cost", KG_EINVALID, 0},  {3, "cost", KG_EINVALID, 0},
		{4, "cost", KG_EINVALID, 0}, {5, "cost", KG_OK, 0.0},     {5, "weight", KG_OK, 0.0},
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		double w = -7;
		int rc = kg_relation_weight_by(&w, g, cases[i].rel, cases[i].attr);
		if (rc != cases[i].rc || (rc == KG_OK && !(w == cases[i].w)))
			fail_msg("relation %u, '%s': %d and %g, want %d and %g", cases[i].rel, cases[i].attr, rc, w,
			         cases[i].rc, cases[i].w);
	}
	kg_graph_free(g);
}

/* ---- a large graph -------------------------------------------------- */

#define BIG_N 2000
#define BIG_M 6000

static char *big_yaml(void)
{
	rng_seed(424242);
	return gen_graph(BIG_N, BIG_M, false);
}

/* Distances to `to` over what the filter admits (UINT_MAX: cannot reach),
 * only through entities a path may pass through; and the number of
 * shortest paths from each entity (saturating). */
static void bf_dist_to(const model *M, const kg_filter *f, uint32_t from, uint32_t to, unsigned *dist,
                       uint64_t *count)
{
	uint32_t *queue = malloc(M->n * sizeof *queue);
	size_t head = 0, tail = 0, e, i;

	assert_non_null(queue);
	for (e = 0; e < M->n; e++) {
		dist[e] = UINT_MAX;
		count[e] = 0;
	}
	dist[to] = 0;
	count[to] = 1;
	queue[tail++] = to;
	while (head < tail) {
		uint32_t x = queue[head++];
		if (x == from && x != to)
			continue; /* an end: not passed through */
		for (i = M->adj_off[x]; i < M->adj_off[x + 1]; i++) {
			uint32_t r = M->adj[i], v, y;
			bool fwd;
			if (!bf_admits(M, f, r) || M->rfrom[r] == M->rto[r])
				continue;
			v = M->rfrom[r] == x ? M->rto[r] : M->rfrom[r];
			if (!bf_step(M, f->directed, r, v, &y, &fwd) || y != x)
				continue; /* cannot step v -> x */
			if (v != from && !bf_inner_ok(M, f, v))
				continue;
			if (dist[v] == UINT_MAX) {
				dist[v] = dist[x] + 1;
				queue[tail++] = v;
			}
			if (dist[v] == dist[x] + 1) {
				count[v] += count[x];
				if (count[v] > (uint64_t)1 << 40)
					count[v] = (uint64_t)1 << 40;
			}
		}
	}
	free(queue);
}

/* Lightest weights from `from` (Dijkstra, O(V^2)); only `from` and
 * admissible inner entities are left from. */
static void bf_dijkstra(const model *M, const kg_filter *f, uint32_t from, uint32_t to, int wmode, double *dist)
{
	bool *done = calloc(M->n, sizeof *done);
	size_t e, i, round;

	assert_non_null(done);
	for (e = 0; e < M->n; e++)
		dist[e] = INFINITY;
	dist[from] = 0;
	for (round = 0; round < M->n; round++) {
		uint32_t u = KG_NONE;
		for (e = 0; e < M->n; e++)
			if (!done[e] && dist[e] < INFINITY && (u == KG_NONE || dist[e] < dist[u]))
				u = (uint32_t)e;
		if (u == KG_NONE)
			break;
		done[u] = true;
		if (u == to || (u != from && !bf_inner_ok(M, f, u)))
			continue;
		for (i = M->adj_off[u]; i < M->adj_off[u + 1]; i++) {
			uint32_t r = M->adj[i], v;
			bool fwd;
			if (bf_admits(M, f, r) && bf_step(M, f->directed, r, u, &v, &fwd) &&
			    dist[u] + bf_weight(M, wmode, r) < dist[v])
				dist[v] = dist[u] + bf_weight(M, wmode, r);
		}
	}
	free(done);
}

/* Ask a question of the large graph; fail if a returned path is invalid.
 * The answer is left in *got (and returned, to be freed). */
static kg_paths *ask_large(const model *M, uint32_t from, uint32_t to, const kg_path_options *o,
                           const pathset *exp, pathset *got, sbuf *qd)
{
	kg_paths *res = NULL;
	size_t i;

	nqueries++;
	qd->len = 0;
	sb_query(qd, M, from, to, o);
	assert_int_equal(kg_query_paths(&res, M->g, from, to, o, NULL), KG_OK);
	ps_clear(got);
	for (i = 0; i < kg_paths_count(res); i++) {
		kg_path p = kg_paths_get(res, i);
		ps_add(got, p.steps, p.nsteps, p.weight);
	}
	for (i = 0; i < kg_paths_count(res); i++) {
		kg_path p = kg_paths_get(res, i);
		const char *why = bad_path(M, o, wmode_of(o), from, to, &p);
		if (why)
			fail_paths(M, qd, from, why, exp, exp->n, got, kg_paths_truncated(res));
	}
	return res;
}

static void test_query__large_graph_shortest_is_lex_first(void **state)
{
	char *yaml = big_yaml();
	kg_graph *g = load_ok(yaml);
	model M;
	unsigned *dist = malloc(BIG_N * sizeof *dist);
	uint64_t *count = malloc(BIG_N * sizeof *count);
	double *wdist = malloc(BIG_N * sizeof *wdist);
	kg_step *expect = malloc((BIG_N + 1) * sizeof *expect);
	pathset exp = {0}, got = {0};
	sbuf qd = {0};
	unsigned q;
	(void)state;

	assert_true(dist && count && wdist && expect);
	model_init(&M, g, "(the large generated graph: gen_graph(2000, 6000) after rng_seed(424242))\n");
	nqueries = 0;
	rng_seed(777);
	for (q = 0; q < 60; q++) {
		rfilter rf;
		kg_path_options o = KG_PATH_OPTIONS_INIT;
		uint32_t from = (uint32_t)rnd(BIG_N), to = (uint32_t)rnd(BIG_N), cur;
		kg_paths *res;
		size_t len = 0, i, j;
		uint64_t npaths;
		char problem[200];
		bool reach;

		if (q % 3 == 0) {
			random_filter(&rf, &M, true);
			o.filter = rf.f;
		} else {
			o.filter.directed = q & 1;
		}
		o.max_hops = chance(20) ? 1 + rnd(4) : 0;
		bf_dist_to(&M, &o.filter, from, to, dist, count);
		reach = dist[from] != UINT_MAX && (!o.max_hops || dist[from] <= o.max_hops);
		npaths = reach ? count[from] : 0;
		/* The expected path: at each step the smallest relation that stays
		 * on a shortest path (one nearer to `to`). */
		ps_clear(&exp);
		for (cur = from; reach && cur != to; len++) {
			uint32_t next = KG_NONE;
			for (i = M.adj_off[cur]; i < M.adj_off[cur + 1] && next == KG_NONE; i++) {
				uint32_t r = M.adj[i], v;
				bool fwd;
				if (bf_admits(&M, &o.filter, r) && bf_step(&M, o.filter.directed, r, cur, &v, &fwd) &&
				    dist[v] != UINT_MAX && dist[v] + 1 == dist[cur]) {
					expect[len].relation = r;
					expect[len].forward = fwd;
					next = v;
				}
			}
			assert_int_not_equal(next, KG_NONE);
			cur = next;
		}
		if (reach)
			ps_add(&exp, expect, len, (double)len);

		/* SHORTEST: exactly that path. */
		o.mode = KG_PATHS_SHORTEST;
		res = ask_large(&M, from, to, &o, &exp, &got, &qd);
		if (got.n != exp.n || (exp.n && !path_equal(&exp, 0, &got, 0)))
			fail_paths(&M, &qd, from, "not the shortest path with the smallest relation indexes", &exp, exp.n,
			           &got, false);
		kg_paths_free(res);

		/* ALL_SHORTEST: as many as counted, that path first, in order. */
		o.mode = KG_PATHS_ALL_SHORTEST;
		res = ask_large(&M, from, to, &o, &exp, &got, &qd);
		if (got.n != (npaths > KG_DEFAULT_PATH_LIMIT ? KG_DEFAULT_PATH_LIMIT : npaths) ||
		    kg_paths_truncated(res) != (npaths > KG_DEFAULT_PATH_LIMIT)) {
			snprintf(problem, sizeof problem, "%zu paths%s; there are %llu shortest paths", got.n,
			         kg_paths_truncated(res) ? " (truncated)" : "", (unsigned long long)npaths);
			fail_paths(&M, &qd, from, problem, &exp, exp.n, &got, kg_paths_truncated(res));
		}
		if (exp.n && !path_equal(&exp, 0, &got, 0))
			fail_paths(&M, &qd, from, "the first shortest path is not the one with the smallest relation indexes",
			           &exp, exp.n, &got, false);
		for (i = 0; i < got.n; i++)
			if (got.p[i].len != len || (i && lex_cmp(ps_steps(&got, i - 1), len, ps_steps(&got, i), len) >= 0))
				fail_paths(&M, &qd, from, "ALL_SHORTEST: not all shortest, or not in relation index order", &exp,
				           exp.n, &got, false);
		kg_paths_free(res);

		/* K_SHORTEST: first a shortest one, lengths never decrease, no twins. */
		o.mode = KG_PATHS_K_SHORTEST;
		o.k = 4;
		res = ask_large(&M, from, to, &o, &exp, &got, &qd);
		if ((exp.n == 0) != (got.n == 0) || (exp.n && got.p[0].len != len))
			fail_paths(&M, &qd, from, "K_SHORTEST: the first path is not a shortest one", &exp, exp.n, &got, false);
		for (i = 1; i < got.n; i++) {
			if (got.p[i].len < got.p[i - 1].len)
				fail_paths(&M, &qd, from, "K_SHORTEST: a shorter path after a longer one", &exp, exp.n, &got,
				           false);
			for (j = 0; j < i; j++)
				if (path_equal(&got, i, &got, j))
					fail_paths(&M, &qd, from, "K_SHORTEST: a path twice", &exp, exp.n, &got, false);
		}
		kg_paths_free(res);

		/* Lightest by weight:, against Dijkstra. */
		if (!o.max_hops) {
			o.mode = KG_PATHS_SHORTEST;
			o.weight = "weight";
			bf_dijkstra(&M, &o.filter, from, to, W_WEIGHT, wdist);
			res = ask_large(&M, from, to, &o, &exp, &got, &qd);
			if (got.n != (wdist[to] < INFINITY ? 1u : 0u) || (got.n && got.p[0].w != wdist[to])) {
				snprintf(problem, sizeof problem, "weight %g (%zu paths); Dijkstra says %g",
				         got.n ? got.p[0].w : -1.0, got.n, wdist[to]);
				fail_paths(&M, &qd, from, problem, &exp, 0, &got, false);
			}
			kg_paths_free(res);
		}
	}
	print_message("large graph: %zu queries\n", nqueries);
	ps_free(&exp);
	ps_free(&got);
	free(qd.s);
	model_free(&M);
	free(dist);
	free(count);
	free(wdist);
	free(expect);
	kg_graph_free(g);
	free(yaml);
}

static bool same_paths(const kg_paths *a, const kg_paths *b)
{
	size_t i;

	if (kg_paths_count(a) != kg_paths_count(b) || kg_paths_truncated(a) != kg_paths_truncated(b))
		return false;
	for (i = 0; i < kg_paths_count(a); i++) {
		kg_path x = kg_paths_get(a, i), y = kg_paths_get(b, i);
		if (x.from != y.from || x.to != y.to || x.nsteps != y.nsteps || x.weight != y.weight ||
		    lex_cmp(x.steps, x.nsteps, y.steps, y.nsteps) != 0)
			return false;
	}
	return true;
}

static bool same_neighbors(const kg_neighbors *a, const kg_neighbors *b)
{
	size_t i;

	if (kg_neighbors_count(a) != kg_neighbors_count(b))
		return false;
	for (i = 0; i < kg_neighbors_count(a); i++) {
		const kg_neighbor *x = kg_neighbors_get(a, i), *y = kg_neighbors_get(b, i);
		if (x->entity != y->entity || x->distance != y->distance || x->via != y->via ||
		    x->forward != y->forward || x->parent != y->parent)
			return false;
	}
	return true;
}

static void test_query__large_graph_is_deterministic(void **state)
{
	char *yaml = big_yaml();
	kg_graph *g1 = load_ok(yaml), *g2 = load_ok(yaml);
	unsigned q, run;
	(void)state;

	rng_seed(99);
	for (q = 0; q < 24; q++) {
		uint32_t from = (uint32_t)rnd(BIG_N), to = (uint32_t)rnd(BIG_N);
		kg_path_options o = KG_PATH_OPTIONS_INIT;
		kg_neighbor_options no = KG_NEIGHBOR_OPTIONS_INIT;
		kg_paths *p[3];
		kg_neighbors *n[3];

		o.mode = (kg_path_mode)(q % 4);
		o.filter.directed = (q / 4) & 1;
		o.k = 5;
		o.max_hops = o.mode == KG_PATHS_ALL ? 3 : 0;
		o.weight = (q / 8) % 3 == 1 && o.mode != KG_PATHS_ALL ? "weight" : NULL;
		for (run = 0; run < 3; run++) {
			p[run] = NULL;
			assert_int_equal(kg_query_paths(&p[run], run == 2 ? g2 : g1, from, to, &o, NULL), KG_OK);
		}
		if (!same_paths(p[0], p[1]) || !same_paths(p[0], p[2]))
			fail_msg("mode %s, e%u -> e%u, %s%s: different answers to the same question", mode_name(o.mode), from,
			         to, o.filter.directed ? "directed" : "undirected", o.weight ? ", weighted" : "");
		for (run = 0; run < 3; run++)
			kg_paths_free(p[run]);

		no.depth = 1 + q % 3;
		no.direction = (kg_direction)(q % 3);
		for (run = 0; run < 3; run++) {
			n[run] = NULL;
			assert_int_equal(kg_query_neighbors(&n[run], run == 2 ? g2 : g1, from, &no), KG_OK);
		}
		if (!same_neighbors(n[0], n[1]) || !same_neighbors(n[0], n[2]))
			fail_msg("neighbours of e%u, depth %u: different answers to the same question", from, no.depth);
		for (run = 0; run < 3; run++)
			kg_neighbors_free(n[run]);
	}
	kg_graph_free(g1);
	kg_graph_free(g2);
	free(yaml);
}

static void test_query__large_graph_neighbors_match_bfs(void **state)
{
	char *yaml = big_yaml();
	kg_graph *g = load_ok(yaml);
	model M;
	unsigned q;
	(void)state;

	model_init(&M, g, "(the large generated graph, see big_yaml)\n");
	rng_seed(31337);
	for (q = 0; q < 30; q++) {
		kg_neighbor_options o = KG_NEIGHBOR_OPTIONS_INIT;
		o.depth = 1 + rnd(3);
		o.direction = (kg_direction)rnd(3);
		check_neighbors(&M, (uint32_t)rnd(BIG_N), &o, false);
	}
	model_free(&M);
	kg_graph_free(g);
	free(yaml);
}

/* on_path hands over, in order, exactly the paths a held result holds,
 * in every mode, and a non-zero return stops the search with that code. */
typedef struct handed {
	kg_step steps[4096];
	size_t nsteps, npaths, stop_after;
	double weights[512];
} handed;

static int take_path(const kg_path *path, void *data)
{
	handed *h = data;

	assert_true(h->nsteps + path->nsteps <= 4096 && h->npaths < 512);
	memcpy(h->steps + h->nsteps, path->steps, path->nsteps * sizeof *path->steps);
	h->nsteps += path->nsteps;
	h->weights[h->npaths++] = path->weight;
	return h->npaths == h->stop_after ? 42 : 0;
}

static void test_query__on_path_hands_over_the_held_paths(void **state)
{
	kg_graph *g = load_ok(hand);
	size_t i, m, nsteps;
	(void)state;

	for (m = 0; m < 8; m++) {
		kg_path_options o = KG_PATH_OPTIONS_INIT;
		kg_paths *held, *streamed;
		handed *h = calloc(1, sizeof *h);
		assert_non_null(h);
		o.mode = (kg_path_mode)(m % 4);
		o.k = 20;
		o.max_hops = o.mode == KG_PATHS_ALL ? 4 : 0;
		o.weight = m >= 4 && o.mode != KG_PATHS_ALL ? "weight" : NULL;
		held = ask(g, "a", "c", &o);
		o.on_path = take_path;
		o.on_path_data = h;
		streamed = ask(g, "a", "c", &o);
		assert_int_equal(kg_paths_count(streamed), 0);
		assert_int_equal(h->npaths, kg_paths_count(held));
		for (i = nsteps = 0; i < h->npaths; i++) {
			kg_path x = kg_paths_get(held, i);
			assert_true(x.weight == h->weights[i]);
			for (size_t s = 0; s < x.nsteps; s++, nsteps++) {
				assert_int_equal(x.steps[s].relation, h->steps[nsteps].relation);
				assert_int_equal(x.steps[s].forward, h->steps[nsteps].forward);
			}
		}
		assert_int_equal(nsteps, h->nsteps);
		kg_paths_free(streamed);
		memset(h, 0, sizeof *h);
		h->stop_after = 1;
		assert_int_equal(kg_query_paths(&streamed, g, ent(g, "a"), ent(g, "c"), &o, NULL), 42);
		assert_null(streamed);
		assert_int_equal(h->npaths, 1);
		kg_paths_free(held);
		free(h);
	}
	kg_graph_free(g);
}

/* Search: ranks in order, folding of case and accents, the fields, the
 * type filter, and text with nothing to look for. */
static void test_query__search_ranks_and_folds(void **state)
{
	kg_graph *g = load_ok("entities:\n"
	                      "  bushehr: {type: place}\n"
	                      "  gwb: {type: person, name: George W. Bush, office: President}\n"
	                      "  bush: {type: person, name: Barbara}\n"
	                      "  pub: {type: place, name: Ambush Inn}\n"
	                      "  ist: {type: place, name: Constantinople, aliases: [İstanbul]}\n");
	kg_search_options o = KG_SEARCH_OPTIONS_INIT;
	uint32_t place = kg_graph_find_type(g, "place");
	kg_search *s;
	(void)state;
	assert_int_equal(kg_query_search(&s, g, " BUSH ", NULL), KG_OK);
	assert_int_equal(kg_search_count(s), 4);
	assert_string_equal(kg_entity_id(g, kg_search_get(s, 0)->entity), "bush");
	assert_int_equal(kg_search_get(s, 0)->rank, KG_SEARCH_EXACT);
	assert_int_equal(kg_search_get(s, 1)->rank, KG_SEARCH_PREFIX);
	assert_int_equal(kg_search_get(s, 2)->rank, KG_SEARCH_WORD);
	assert_int_equal(kg_search_get(s, 2)->field, KG_SEARCH_NAME);
	assert_int_equal(kg_search_get(s, 3)->rank, KG_SEARCH_SUBSTRING);
	kg_search_free(s);
	assert_int_equal(kg_query_search(&s, g, "istanbul", NULL), KG_OK);
	assert_int_equal(kg_search_count(s), 1);
	assert_int_equal(kg_search_get(s, 0)->field, KG_SEARCH_ALIAS);
	assert_string_equal(kg_search_get(s, 0)->matched, "İstanbul");
	kg_search_free(s);
	assert_int_equal(kg_query_search(&s, g, "president", NULL), KG_OK);
	assert_int_equal(kg_search_count(s), 0);
	kg_search_free(s);
	o.attributes = true;
	assert_int_equal(kg_query_search(&s, g, "president", &o), KG_OK);
	assert_int_equal(kg_search_count(s), 1);
	assert_string_equal(kg_search_get(s, 0)->key, "office");
	kg_search_free(s);
	o.types = &place;
	o.ntypes = 1;
	assert_int_equal(kg_query_search(&s, g, "bush", &o), KG_OK);
	assert_int_equal(kg_search_count(s), 2);
	kg_search_free(s);
	assert_int_equal(kg_query_search(&s, g, " -- ", NULL), KG_EARG);
	assert_null(s);
	kg_graph_free(g);
}

/* Stats on a graph small enough to know by hand: a path a-b-c-d with a
 * parallel relation and a self-relation, and an isolated e. */
static void test_query__stats_by_hand(void **state)
{
	kg_graph *g = load_ok("entities:\n"
	                      "  a: {type: person}\n  b: {type: person}\n  c: {type: person}\n"
	                      "  d: {type: place}\n  e: {type: place}\n"
	                      "relations:\n  - [a, r, b]\n  - [b, r, a]\n  - [b, r, c]\n  - [c, s, d]\n"
	                      "  - [d, s, d]\n");
	kg_stats_options o = KG_STATS_OPTIONS_INIT;
	uint32_t s_type = kg_graph_find_relation_type(g, "s");
	kg_stats *st;
	(void)state;
	assert_int_equal(kg_query_stats(&st, g, NULL), KG_OK);
	assert_int_equal(st->entities, 5);
	assert_int_equal(st->relations, 5);
	assert_int_equal(st->ncomponents, 2);
	assert_int_equal(st->component_sizes[0], 4);
	assert_int_equal(st->isolated, 1);
	assert_int_equal(st->max_degree, 2);
	assert_int_equal(st->degree_count[1], 2);
	assert_int_equal(st->degree_count[2], 2);
	/* b and c each lie on 2 of the (5-1)(5-2)/2 = 6 pairs: 2/6. */
	assert_true(st->betweenness_exact);
	assert_string_equal(kg_entity_id(g, st->top_betweenness[0].entity), "b");
	assert_true(fabs(st->top_betweenness[0].value - 2.0 / 6.0) < 1e-12);
	assert_true(st->diameter_exact);
	assert_int_equal(st->diameter_low, 3);
	kg_stats_free(st);
	o.filter.exclude_rel_types = &s_type;
	o.filter.nexclude_rel_types = 1;
	o.top = 1;
	assert_int_equal(kg_query_stats(&st, g, &o), KG_OK);
	assert_int_equal(st->relations, 3);
	assert_int_equal(st->ncomponents, 3);
	assert_int_equal(st->ntop, 1);
	assert_int_equal(st->diameter_low, 2);
	kg_stats_free(st);
	kg_graph_free(g);
}

int main(void)
{
	/* The property and bad-weight tests are tables; each case is a test. */
#define PROPERTY(i) {properties[i].test, run_property, NULL, NULL, (void *)&properties[i]}
#define BAD_WEIGHT(i) {bad_weights[i].test, run_bad_weight, NULL, NULL, (void *)&bad_weights[i]}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query__small_graph_by_hand),
		cmocka_unit_test(test_query__search_ranks_and_folds),
		cmocka_unit_test(test_query__stats_by_hand),
		PROPERTY(0), PROPERTY(1), PROPERTY(2), PROPERTY(3), PROPERTY(4), PROPERTY(5), PROPERTY(6),
		PROPERTY(7), PROPERTY(8), PROPERTY(9), PROPERTY(10), PROPERTY(11), PROPERTY(12),
		cmocka_unit_test(test_query__entity_filters_spare_both_ends_in_every_mode),
		cmocka_unit_test(test_query__zero_weights_all_lightest_paths),
		cmocka_unit_test(test_query__from_equals_to),
		cmocka_unit_test(test_query__on_path_hands_over_the_held_paths),
		cmocka_unit_test(test_query__no_path),
		cmocka_unit_test(test_query__bad_arguments_are_earg),
		BAD_WEIGHT(0), BAD_WEIGHT(1),
		cmocka_unit_test(test_query__relation_weight_by),
		cmocka_unit_test(test_query__large_graph_shortest_is_lex_first),
		cmocka_unit_test(test_query__large_graph_is_deterministic),
		cmocka_unit_test(test_query__large_graph_neighbors_match_bfs),
	};
#undef PROPERTY
#undef BAD_WEIGHT

	/* A case added to a table must be added above too. */
	if (NPROPERTIES != 13 || NBAD_WEIGHTS != 2) {
		fprintf(stderr, "test_query: main lists 13 properties and 2 bad weights; the tables hold %zu and %zu\n",
		        NPROPERTIES, NBAD_WEIGHTS);
		return 1;
	}
	return cmocka_run_group_tests_name("query", tests, NULL, NULL);
}
