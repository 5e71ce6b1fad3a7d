/*
 * test_match.c - kg_match: the language, its errors, and agreement with a
 * brute-force reference matcher.
 *
 * The reference enumerates every binding naively: the first node over all
 * entities, every relation pattern over all relations of the graph (never
 * the adjacency), hop by hop for variable lengths; it evaluates WHERE from
 * its own tree with its own date periods, and orders, makes distinct and
 * limits the rows itself. Random graphs (fixed seeds; symmetric t0,
 * self-relations, repeated pairs, dates, since/until) and random queries
 * (1-3 relations, directions, variable lengths, a closing cycle, WHERE,
 * DISTINCT, ORDER BY, SKIP, LIMIT, count, --as-of) must give the same rows.
 */
#include "test_common.h"

static uint64_t rng_state;

static unsigned rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

static bool chance(unsigned percent)
{
	return rnd(100) < percent;
}

typedef struct sbuf {
	char *s;
	size_t n, cap;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (b->n + (size_t)k + 1 > b->cap) {
		b->cap = (b->n + (size_t)k + 1) * 2;
		b->s = realloc(b->s, b->cap);
		assert_non_null(b->s);
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->n, (size_t)k + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)k;
}

static kg_graph *load(const char *yaml)
{
	kg_graph *g = NULL;
	kg_diag_list *d;
	if (load_text(&g, &d, yaml) != KG_OK)
		fail_msg("%s\n%s", kg_diag_list_get(d, 0)->message, yaml);
	kg_diag_list_free(d);
	return g;
}

/* Run a query that must succeed; its rows as "a|b|c\n" text. */
static char *rows_of(const kg_graph *g, const char *query, kg_date as_of, size_t *nbind)
{
	kg_match_options o = KG_MATCH_OPTIONS_INIT;
	kg_match_result *r = NULL;
	kg_diag_list *d = kg_diag_list_new();
	sbuf b = {0};
	size_t i, c;
	int rc;

	o.as_of = as_of;
	rc = kg_match(&r, g, query, &o, d);
	if (rc != KG_OK) {
		for (i = 0; i < kg_diag_list_count(d); i++)
			print_error("%s\n", kg_diag_list_get(d, i)->message);
		fail_msg("kg_match failed (%d) on: %s", rc, query);
	}
	sb_printf(&b, "%s", "");
	for (i = 0; i < kg_match_row_count(r); i++) {
		for (c = 0; c < kg_match_column_count(r); c++) {
			kg_match_value v = kg_match_get(r, i, c);
			char date[11];
			if (c)
				sb_printf(&b, "|");
			if (v.kind == KG_MATCH_STRING)
				sb_printf(&b, "%s", v.string);
			else if (v.kind == KG_MATCH_NUMBER)
				sb_printf(&b, "%g", v.number);
			else if (v.kind == KG_MATCH_DATE)
				sb_printf(&b, "%s", kg_date_format(date, v.date));
			else if (v.kind == KG_MATCH_ENTITY)
				sb_printf(&b, "%s", kg_entity_id(g, v.index));
			else if (v.kind == KG_MATCH_RELATION)
				sb_printf(&b, "r%u", v.index);
			else if (v.kind == KG_MATCH_RELATIONS)
				sb_printf(&b, "[%zu]", v.nrelations);
			else
				sb_printf(&b, "null");
		}
		sb_printf(&b, "\n");
	}
	if (nbind)
		*nbind = kg_match_binding_count(r);
	kg_match_free(r);
	kg_diag_list_free(d);
	return b.s;
}

/* The query must fail with one error at column col containing text (and
 * a hint containing hint, when not NULL). */
static void expect_query_error(const kg_graph *g, const char *query, unsigned col, const char *text, const char *hint)
{
	kg_match_result *r = NULL;
	kg_diag_list *d = kg_diag_list_new();
	const kg_diag *e;
	int rc = kg_match(&r, g, query, NULL, d);

	assert_int_equal(rc, KG_EINVALID);
	assert_null(r);
	assert_int_equal(kg_diag_list_count(d), 1);
	e = kg_diag_list_get(d, 0);
	if (!strstr(e->message, text) || e->where.column != col || strcmp(e->where.file, "query") ||
	    (hint && (!e->hint || !strstr(e->hint, hint))))
		fail_msg("%s\n  got %u: %s (hint %s)", query, e->where.column, e->message, e->hint ? e->hint : "none");
	assert_non_null(e->source_line);
	kg_diag_list_free(d);
}

static const char small_graph[] =
	"relation_types:\n  met: {symmetric: true}\n"
	"entities:\n"
	"  biden: {type: person, name: Joe Biden, aliases: [President Biden], rank: 3}\n"
	"  starmer: {type: person, name: Keir Starmer, rank: 10}\n"
	"  uk: {type: country, name: United Kingdom}\n"
	"  d1: {type: decision, name: May decision, date: 2024-05-15}\n"
	"  d2: {type: decision, name: November decision, date: 2024-11}\n"
	"  atacms: {type: weapon}\n"
	"relations:\n"
	"  - [biden, decided, d1, {date: 2024-05-15}]\n"
	"  - [biden, decided, d2, {date: 2024-11-17}]\n"
	"  - [d1, restricts, atacms]\n"
	"  - [d2, excludes, atacms, {source: s1}]\n"
	"  - [starmer, heads, uk, {since: 2024-07}]\n"
	"  - [biden, met, starmer, {date: 2024-09-13}]\n"
	"sources:\n  s1: {title: A source}\n";

static void test_match__basic_patterns(void **state)
{
	kg_graph *g = load(small_graph);
	char *s;
	(void)state;

	s = rows_of(g, "MATCH (p:person)-[:decided]->(d:decision)-[:restricts|excludes]->(w:weapon) "
	               "RETURN p.name, d.name, w.id ORDER BY d.date DESC", 0, NULL);
	assert_string_equal(s, "Joe Biden|November decision|atacms\nJoe Biden|May decision|atacms\n");
	free(s);
	/* A symmetric type matches a directed pattern either way round. */
	s = rows_of(g, "MATCH (a)-[:met]->(b) RETURN a.id, b.id", 0, NULL);
	assert_string_equal(s, "biden|starmer\nstarmer|biden\n");
	free(s);
	s = rows_of(g, "MATCH (a)<-[:decided]-(b) RETURN a.id", 0, NULL);
	assert_string_equal(s, "d1\nd2\n");
	free(s);
	/* Joins across comma-separated patterns, and a relation bound once. */
	s = rows_of(g, "MATCH (p)-[:decided]->(x), (p)-[:decided]->(y) RETURN x.id, y.id", 0, NULL);
	assert_string_equal(s, "d1|d2\nd2|d1\n");
	free(s);
	s = rows_of(g, "MATCH (p {id: 'biden'})-[r*2..2]->(w) RETURN DISTINCT w.id, count(*) AS n", 0, NULL);
	assert_string_equal(s, "atacms|2\nuk|1\n"); /* met is symmetric */
	free(s);
	kg_graph_free(g);
}

static void test_match__where_and_dates(void **state)
{
	kg_graph *g = load(small_graph);
	char *s;
	(void)state;

	/* A day in May is equal to "2024-05", >= and <= it, not > or <. */
	s = rows_of(g, "MATCH (d:decision) WHERE d.date >= '2024-05' AND d.date <= '2024-05' AND d.date = '2024-05' "
	               "AND NOT d.date > '2024-05' AND NOT d.date < '2024-05' RETURN d.id", 0, NULL);
	assert_string_equal(s, "d1\n");
	free(s);
	s = rows_of(g, "MATCH (d:decision) WHERE d.date > '2024-05' RETURN d.id", 0, NULL);
	assert_string_equal(s, "d2\n");
	free(s);
	s = rows_of(g, "MATCH ()-[r]->() WHERE r.date >= '2024-09' RETURN type(r), r.date", 0, NULL);
	assert_string_equal(s, "decided|2024-11-17\nmet|2024-09-13\nmet|2024-09-13\n"); /* both ways */
	free(s);
	s = rows_of(g, "MATCH (p:person) WHERE p.rank > 5 RETURN p.id", 0, NULL);
	assert_string_equal(s, "starmer\n");
	free(s);
	s = rows_of(g, "MATCH (p) WHERE lower(p.name) CONTAINS 'biden' OR 'President Biden' IN p.aliases "
	               "RETURN p.id, p.aliases", 0, NULL);
	assert_string_equal(s, "biden|President Biden\n");
	free(s);
	s = rows_of(g, "MATCH (a)-[r:decided|excludes]->(b) WHERE r.source IS NULL RETURN b.id", 0, NULL);
	assert_string_equal(s, "d1\nd2\n");
	free(s);
	s = rows_of(g, "MATCH (p) WHERE p.id STARTS WITH 'd' AND p.id ENDS WITH '2' RETURN p.name AS name", 0, NULL);
	assert_string_equal(s, "November decision\n");
	free(s);
	/* --as-of: heads is valid from July 2024. */
	s = rows_of(g, "MATCH (a)-[:heads]->(b) RETURN a.id", 0x1000 /* a date in year 8 */, NULL);
	assert_string_equal(s, "");
	free(s);
	kg_graph_free(g);
}

static void test_match__rows(void **state)
{
	kg_graph *g = load(small_graph);
	size_t nb;
	char *s;
	(void)state;

	s = rows_of(g, "MATCH (x:weapon)-[:decided]->() RETURN count(*)", 0, &nb);
	assert_string_equal(s, "0\n");
	assert_int_equal(nb, 0);
	free(s);
	s = rows_of(g, "MATCH (p)-[r]->() RETURN p.id, count(r) ORDER BY count(r) DESC, p.id", 0, NULL);
	assert_string_equal(s, "biden|3\nstarmer|2\nd1|1\nd2|1\n");
	free(s);
	s = rows_of(g, "MATCH (p) RETURN p.id ORDER BY p.id SKIP 2 LIMIT 2", 0, NULL);
	assert_string_equal(s, "d1\nd2\n");
	free(s);
	s = rows_of(g, "MATCH (p) RETURN p.rank ORDER BY p.rank DESC LIMIT 3", 0, NULL);
	assert_string_equal(s, "null\nnull\nnull\n");
	free(s);
	s = rows_of(g, "MATCH (p:person) RETURN p, p.rank ORDER BY p.rank", 0, NULL);
	assert_string_equal(s, "starmer|10\nbiden|3\n"); /* text order: "10" < "3" */
	free(s);
	s = rows_of(g, "MATCH (p:person) WHERE p.rank >= 3 RETURN p ORDER BY p.rank", 0, NULL);
	assert_string_equal(s, "starmer\nbiden\n");
	free(s);
	kg_graph_free(g);
}

static void test_match__errors(void **state)
{
	kg_graph *g = load(small_graph);
	kg_match_result *r = NULL;
	kg_match_options o = KG_MATCH_OPTIONS_INIT;
	kg_diag_list *d = kg_diag_list_new();
	(void)state;

	expect_query_error(g, "MATCH (p:person)-[:decidd]->(d) RETURN p", 20, "unknown relation type 'decidd'",
	                   "'decided'");
	expect_query_error(g, "MATCH (p:persn) RETURN p", 10, "unknown type 'persn'", "'person'");
	expect_query_error(g, "MATCH (p) RETURN p.nme", 20, "unknown property 'nme'", "'name'");
	expect_query_error(g, "MATCH ()-[r]-() RETURN r.dat", 26, "unknown property 'dat'", "'date'");
	expect_query_error(g, "MATCH (p) RETRUN p", 11, "expected RETURN", "'RETURN'");
	expect_query_error(g, "MACTH (p) RETURN p", 1, "expected MATCH", "'MATCH'");
	expect_query_error(g, "MATCH (p) RETURN x", 18, "unknown variable 'x'", "'p'");
	expect_query_error(g, "OPTIONAL MATCH (p) RETURN p", 1, "OPTIONAL MATCH is not supported", NULL);
	expect_query_error(g, "MATCH (p) WITH p RETURN p", 11, "WITH is not supported", NULL);
	expect_query_error(g, "MATCH (p) CREATE (q)", 11, "CREATE is not supported", NULL);
	expect_query_error(g, "MATCH (p) DELETE p", 11, "DELETE is not supported", NULL);
	expect_query_error(g, "MATCH (p) SET p.x = 1", 11, "SET is not supported", NULL);
	expect_query_error(g, "MATCH (p) MERGE (q)", 11, "MERGE is not supported", NULL);
	expect_query_error(g, "UNWIND [1] AS x RETURN x", 1, "UNWIND is not supported", NULL);
	expect_query_error(g, "MATCH p = (a)-->(b) RETURN p", 7, "path variables", NULL);
	expect_query_error(g, "MATCH shortestPath((a)-->(b)) RETURN a", 7, "shortestPath is not supported", NULL);
	expect_query_error(g, "MATCH (p) WHERE p.name =~ 'B.*' RETURN p", 24, "=~", "lower(");
	expect_query_error(g, "MATCH (a)-[*]->(b) RETURN a", 12, "needs an upper bound", NULL);
	expect_query_error(g, "MATCH (a)-[*1..]->(b) RETURN a", 12, "needs an upper bound", NULL);
	expect_query_error(g, "MATCH (a)-[*1..17]->(b) RETURN a", 12, "KG_MAX_MATCH_HOPS", NULL);
	expect_query_error(g, "MATCH (a)-[*3..2]->(b) RETURN a", 12, "lower bound", NULL);
	expect_query_error(g, "MATCH (a)<-[]->(b) RETURN a", 10, "both ways", NULL);
	expect_query_error(g, "MATCH (a)-[r*1..2]->(b) RETURN r.date", 32, "variable-length", NULL);
	expect_query_error(g, "MATCH (a) WHERE count(*) > 1 RETURN a", 17, "count()", NULL);
	expect_query_error(g, "MATCH (a) RETURN DISTINCT a.id ORDER BY a.name", 41, "ORDER BY can only use", NULL);
	expect_query_error(g, "MATCH (a) RETURN foo(a)", 18, "function 'foo'", NULL);
	expect_query_error(g, "MATCH (a) RETURN a LIMIT x", 26, "expected a number", NULL);
	expect_query_error(g, "MATCH (a) RETURN 'open", 18, "no closing", NULL);
	expect_query_error(g, "MATCH (a)\nRETURN a.x + 1", 10, "unknown property", NULL);
	/* ... located on the query's second line, which the diagnostic shows */
	assert_int_equal(kg_match(&r, g, "MATCH (a)\nRETURN a.x + 1", NULL, d), KG_EINVALID);
	assert_int_equal(kg_diag_list_get(d, 0)->where.line, 2);
	assert_string_equal(kg_diag_list_get(d, 0)->source_line, "RETURN a.x + 1");
	kg_diag_list_free(d);
	d = kg_diag_list_new();

	/* The work bound: a pattern that explodes stops with a clear error. */
	o.max_work = 10;
	assert_int_equal(kg_match(&r, g, "MATCH (a)-[*1..3]-(b) RETURN a", &o, d), KG_EINVALID);
	assert_non_null(strstr(kg_diag_list_get(d, 0)->message, "KG_MAX_MATCH_WORK"));
	assert_null(r);
	kg_diag_list_free(d);
	kg_graph_free(g);
}

static void test_match__drawn_items(void **state)
{
	kg_graph *g = load(small_graph);
	kg_match_result *r = NULL;
	const uint32_t *e, *rel;
	size_t ne, nr;
	(void)state;

	assert_int_equal(kg_match(&r, g, "MATCH (p)-[:decided]->(d)-[x]->(w) RETURN p LIMIT 1", NULL, NULL), KG_OK);
	e = kg_match_entities(r, &ne);
	rel = kg_match_relations(r, &nr);
	/* The first binding only: biden, d1, atacms and two relations. */
	assert_int_equal(ne, 3);
	assert_int_equal(nr, 2);
	assert_int_equal(e[0], kg_graph_find_entity(g, "biden"));
	assert_int_equal(rel[0], 0);
	assert_int_equal(rel[1], 2);
	kg_match_free(r);
	kg_graph_free(g);
}

/* ---- the reference matcher ------------------------------------------ */

#define MAXN 12
#define MAXM 24
static const char *const dates[] = {"2021", "2021-03-15", "2022", "2022-05", "2022-05-20", "2023-01", "2024"};
#define NDATES (sizeof dates / sizeof *dates)
static const char *const types[] = {"person", "country", "organization"};

typedef struct rgraph {
	unsigned n, m;
	unsigned type[MAXN], rank[MAXN];
	unsigned from[MAXM], to[MAXM], rtype[MAXM];
	int date[MAXM], since[MAXM], until[MAXM]; /* index into dates, -1 none */
} rgraph;

static char *gen(rgraph *G)
{
	sbuf b = {0};
	unsigned i;

	G->n = 3 + rnd(MAXN - 3);
	G->m = rnd(MAXM);
	sb_printf(&b, "relation_types:\n  t0: {symmetric: true}\n  t1: {}\n  t2: {}\nentities:\n");
	for (i = 0; i < G->n; i++) {
		G->type[i] = rnd(3);
		G->rank[i] = rnd(20);
		sb_printf(&b, "  e%u: {type: %s, rank: %u}\n", i, types[G->type[i]], G->rank[i]);
	}
	sb_printf(&b, "relations:\n");
	if (!G->m)
		sb_printf(&b, "  []\n");
	for (i = 0; i < G->m; i++) {
		G->from[i] = rnd(G->n);
		G->to[i] = chance(10) ? G->from[i] : rnd(G->n);
		G->rtype[i] = rnd(3);
		G->date[i] = chance(50) ? (int)rnd(NDATES) : -1;
		G->since[i] = chance(20) ? (int)rnd(NDATES) : -1;
		G->until[i] = chance(20) ? (int)rnd(NDATES) : -1;
		if (G->since[i] >= 0 && G->until[i] >= 0) {
			/* since must come first; the periods of dates[] increase. */
			G->since[i] = (int)rnd(NDATES - 1);
			G->until[i] = G->since[i] + 1 + (int)rnd(NDATES - 1 - (unsigned)G->since[i]);
		}
		sb_printf(&b, "  - [e%u, t%u, e%u, {", G->from[i], G->rtype[i], G->to[i]);
		sb_printf(&b, "x: 1");
		if (G->date[i] >= 0)
			sb_printf(&b, ", date: %s", dates[G->date[i]]);
		if (G->since[i] >= 0)
			sb_printf(&b, ", since: %s", dates[G->since[i]]);
		if (G->until[i] >= 0)
			sb_printf(&b, ", until: %s", dates[G->until[i]]);
		sb_printf(&b, "}]\n");
	}
	return b.s;
}

/* A date's period as yyyymmdd numbers. */
static void rperiod(const char *s, long *first, long *last)
{
	int y = 0, m = 0, d = 0;
	sscanf(s, "%d-%d-%d", &y, &m, &d);
	*first = y * 10000L + (m ? m : 1) * 100 + (d ? d : 1);
	*last = y * 10000L + (m ? m : 12) * 100 + (d ? d : 31);
}

/* The query, as the reference sees it. */
typedef struct rquery {
	unsigned nrel;
	int node_type[4];      /* -1 any; else a type; +10: that or the next */
	int rel_type[3];       /* -1 any */
	int dir[3];            /* 0 ->, 1 <-, 2 - */
	unsigned min[3], max[3];
	bool cycle;            /* the last node is n0 again */
	/* WHERE: a small tree. kind 0 atom, 1 NOT, 2 AND, 3 OR */
	int wkind[7], watom[7], warg[7], wvar[7];
	int nw;
	bool distinct, count, order_desc, has_order;
	unsigned skip, limit;
	bool has_limit;
	int as_of; /* index into dates, -1 none */
} rquery;

typedef struct rstate {
	const rgraph *G;
	const rquery *Q;
	unsigned node[4];
	unsigned rels[3][4], nrels[3];
	char (*rows)[64];
	unsigned (*keys)[16];
	size_t nrows, cap;
} rstate;

static unsigned node_var(const rquery *Q, unsigned k)
{
	return Q->cycle && k == Q->nrel ? 0 : k;
}

/* 1, 0 or -1 (null). */
static int ratom(const rstate *s, int i)
{
	const rgraph *G = s->G;
	const rquery *Q = s->Q;
	int k = s->Q->wvar[i], a = Q->warg[i];
	unsigned e = s->node[node_var(Q, (unsigned)k)];
	long f1, l1, f2, l2;
	switch (Q->watom[i]) {
	case 0: return G->type[e] == (unsigned)a;
	case 1: return G->rank[e] >= (unsigned)a;
	case 2: return e == (unsigned)a || e == (unsigned)a + 1;
	case 3: return a == 1 ? (e == 1 || (e >= 10 && e < 20)) : e == (unsigned)a;
	default: {
		/* r_k.date vs dates[a]: only fixed-length relations. */
		unsigned r = s->rels[k][0];
		if (G->date[r] < 0)
			return -1;
		rperiod(dates[G->date[r]], &f1, &l1);
		rperiod(dates[a % NDATES], &f2, &l2);
		if (Q->watom[i] == 4)
			return !(l1 < f2); /* >= : after or equal */
		return l1 < f2;        /* < */
	}
	}
}

static int reval(const rstate *s, int i)
{
	int l, r;
	switch (s->Q->wkind[i]) {
	case 0: return ratom(s, i);
	case 1:
		l = reval(s, i + 1);
		return l < 0 ? -1 : !l;
	case 2:
		l = reval(s, s->Q->warg[i]);
		r = reval(s, s->Q->warg[i] + 1); /* both children are atoms */
		return (l == 0 || r == 0) ? 0 : (l < 0 || r < 0) ? -1 : 1;
	default:
		l = reval(s, s->Q->warg[i]);
		r = reval(s, s->Q->warg[i] + 1); /* both children are atoms */
		return (l == 1 || r == 1) ? 1 : (l < 0 || r < 0) ? -1 : 0;
	}
}

static bool rel_valid(const rgraph *G, const rquery *Q, unsigned r)
{
	long fa, la, f, l;
	if (Q->as_of < 0)
		return true;
	rperiod(dates[Q->as_of], &fa, &la);
	/* An event has not happened before its first day. */
	if (G->date[r] >= 0) {
		rperiod(dates[G->date[r]], &f, &l);
		if (f > fa)
			return false;
	}
	if (G->since[r] >= 0) {
		rperiod(dates[G->since[r]], &f, &l);
		if (f > fa)
			return false;
	}
	if (G->until[r] >= 0) {
		rperiod(dates[G->until[r]], &f, &l);
		if (fa >= f)
			return false;
	}
	return true;
}

static bool used(const rstate *s, unsigned upto, unsigned hops, unsigned r)
{
	unsigned k, h;
	for (k = 0; k <= upto; k++)
		for (h = 0; h < (k == upto ? hops : s->nrels[k]); h++)
			if (s->rels[k][h] == r)
				return true;
	return false;
}

static bool node_ok(const rstate *s, unsigned k, unsigned e)
{
	int t = s->Q->node_type[k];
	if (t < 0)
		return true;
	if (t >= 10)
		return s->G->type[e] == (unsigned)(t - 10) || s->G->type[e] == (unsigned)(t - 10 + 1) % 3;
	return s->G->type[e] == (unsigned)t;
}

static void record(rstate *s)
{
	const rquery *Q = s->Q;
	unsigned k, h, nk = 0;
	char *row;

	if (Q->nw && reval(s, 0) != 1)
		return;
	if (s->nrows == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->rows = realloc(s->rows, s->cap * sizeof *s->rows);
		s->keys = realloc(s->keys, s->cap * sizeof *s->keys);
	}
	row = s->rows[s->nrows];
	row[0] = 0;
	/* File order: n0, r0, n1, r1, ... (relation runs padded, longer later). */
	for (k = 0; k <= Q->nrel; k++) {
		if (!(Q->cycle && k == Q->nrel))
			s->keys[s->nrows][nk++] = s->node[k];
		if (k < Q->nrel) {
			for (h = 0; h < 4; h++)
				s->keys[s->nrows][nk++] = h < s->nrels[k] ? s->rels[k][h] + 1 : 0;
		}
	}
	for (; nk < 16; nk++)
		s->keys[s->nrows][nk] = 0;
	for (k = 0; k <= Q->nrel; k++)
		if (!(Q->cycle && k == Q->nrel))
			sprintf(row + strlen(row), "%se%u", k ? "|" : "", s->node[k]);
	s->nrows++;
}

static void rmatch(rstate *s, unsigned k, unsigned hops, unsigned at);

/* Bind the node after relation pattern k (or check it), then go on. */
static void rnode(rstate *s, unsigned k, unsigned e)
{
	unsigned v = node_var(s->Q, k + 1);
	if (v < k + 1) {
		if (s->node[v] != e)
			return;
	} else if (!node_ok(s, k + 1, e)) {
		return;
	}
	s->node[k + 1] = e;
	if (k + 1 == s->Q->nrel)
		record(s);
	else
		rmatch(s, k + 1, 0, e);
}

/* Relation pattern k, hops followed so far, standing at entity at:
 * every relation of the graph is tried. */
static void rmatch(rstate *s, unsigned k, unsigned hops, unsigned at)
{
	const rgraph *G = s->G;
	const rquery *Q = s->Q;
	unsigned r;

	if (hops >= Q->min[k]) {
		s->nrels[k] = hops;
		rnode(s, k, at);
	}
	if (hops == Q->max[k])
		return;
	for (r = 0; r < G->m; r++) {
		int way;
		if ((Q->rel_type[k] >= 0 && G->rtype[r] != (unsigned)Q->rel_type[k]) || !rel_valid(G, Q, r) ||
		    used(s, k, hops, r))
			continue;
		for (way = 0; way < 2; way++) {
			/* way 0: as written (from at), way 1: against it. */
			unsigned near = way ? G->to[r] : G->from[r], far = way ? G->from[r] : G->to[r];
			bool ok;
			bool both = Q->dir[k] == 2 || G->rtype[r] == 0;
			if (near != at)
				continue;
			/* A self-relation matches once, even where both ways fit. */
			if (way == 1 && G->from[r] == G->to[r] && both)
				continue;
			ok = both || way == Q->dir[k];
			if (!ok)
				continue;
			s->rels[k][hops] = r;
			s->nrels[k] = hops + 1;
			rmatch(s, k, hops + 1, far);
		}
	}
}

static int cmp_keys(const unsigned *a, const unsigned *b)
{
	int i;
	for (i = 0; i < 16; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

/* The reference rows as text, like rows_of. */
static char *reference(const rgraph *G, const rquery *Q)
{
	rstate s;
	sbuf b = {0};
	size_t i, j, n;
	unsigned e;
	char (*out)[64];
	size_t *cnt;

	memset(&s, 0, sizeof s);
	s.G = G;
	s.Q = Q;
	for (e = 0; e < G->n; e++)
		if (node_ok(&s, 0, e)) {
			s.node[0] = e;
			rmatch(&s, 0, 0, e);
		}
	/* Order of the items in the files (insertion sort: stable). */
	for (i = 1; i < s.nrows; i++)
		for (j = i; j > 0 && cmp_keys(s.keys[j - 1], s.keys[j]) > 0; j--) {
			char t[64];
			unsigned k[16];
			memcpy(t, s.rows[j], 64), memcpy(s.rows[j], s.rows[j - 1], 64), memcpy(s.rows[j - 1], t, 64);
			memcpy(k, s.keys[j], sizeof k), memcpy(s.keys[j], s.keys[j - 1], sizeof k),
				memcpy(s.keys[j - 1], k, sizeof k);
		}
	out = calloc(s.nrows + 1, sizeof *out);
	cnt = calloc(s.nrows + 1, sizeof *cnt);
	n = 0;
	for (i = 0; i < s.nrows; i++) {
		const char *row = s.rows[i];
		char first[64];
		if (Q->distinct || Q->count) {
			/* Group by n0 only. */
			snprintf(first, sizeof first, "%.*s", (int)strcspn(row, "|"), row);
			row = first;
			for (j = 0; j < n && strcmp(out[j], row); j++)
				;
			if (j < n) {
				cnt[j]++;
				continue;
			}
		}
		snprintf(out[n], 64, "%s", row);
		cnt[n++] = 1;
	}
	if (Q->has_order) {
		/* ORDER BY n0.id [DESC]: ids compare as text; stable. */
		for (i = 1; i < n; i++)
			for (j = i; j > 0; j--) {
				char a[64], c[64];
				size_t t;
				int d;
				snprintf(a, sizeof a, "%.*s", (int)strcspn(out[j - 1], "|"), out[j - 1]);
				snprintf(c, sizeof c, "%.*s", (int)strcspn(out[j], "|"), out[j]);
				d = strcmp(a, c);
				if (Q->order_desc ? d >= 0 : d <= 0)
					break;
				memcpy(a, out[j], 64), memcpy(out[j], out[j - 1], 64), memcpy(out[j - 1], a, 64);
				t = cnt[j], cnt[j] = cnt[j - 1], cnt[j - 1] = t;
			}
	}
	sb_printf(&b, "%s", "");
	for (i = Q->skip; i < n && (!Q->has_limit || i < Q->skip + Q->limit); i++) {
		if (Q->count)
			sb_printf(&b, "%s|%zu\n", out[i], cnt[i]);
		else
			sb_printf(&b, "%s\n", out[i]);
	}
	free(out);
	free(cnt);
	free(s.rows);
	free(s.keys);
	return b.s;
}

/* WHERE node i and what follows it, as text. */
static void gen_where(rquery *Q, int depth)
{
	int i = Q->nw++;
	int kind = depth < 2 ? (int)rnd(4) : 0;
	Q->wkind[i] = kind;
	if (kind == 1) {
		gen_where(Q, depth + 1);
	} else if (kind >= 2) {
		Q->warg[i] = Q->nw;
		gen_where(Q, 2);
		gen_where(Q, 2);
	} else {
		Q->watom[i] = (int)rnd(6);
		if (Q->watom[i] >= 4) {
			unsigned k, fixed = 0;
			for (k = 0; k < Q->nrel; k++)
				fixed += Q->min[k] == 1 && Q->max[k] == 1;
			if (!fixed) {
				Q->watom[i] = 1;
			} else {
				do
					k = rnd(Q->nrel);
				while (!(Q->min[k] == 1 && Q->max[k] == 1));
				Q->wvar[i] = (int)k;
				Q->warg[i] = (int)rnd(NDATES);
				return;
			}
		}
		Q->wvar[i] = (int)rnd(Q->nrel + 1 - Q->cycle);
		Q->warg[i] = Q->watom[i] == 0 ? (int)rnd(3) : Q->watom[i] == 1 ? (int)rnd(20) : (int)rnd(10);
	}
}

static int where_text(sbuf *b, const rquery *Q, int i)
{
	static const char *const ops[] = {"", "", "", "", ">=", "<"};
	int next;
	switch (Q->wkind[i]) {
	case 0:
		switch (Q->watom[i]) {
		case 0: sb_printf(b, "n%d.type = '%s'", Q->wvar[i], types[Q->warg[i]]); break;
		case 1: sb_printf(b, "n%d.rank >= %d", Q->wvar[i], Q->warg[i]); break;
		case 2: sb_printf(b, "n%d.id IN ['e%d', 'e%d']", Q->wvar[i], Q->warg[i], Q->warg[i] + 1); break;
		case 3: sb_printf(b, Q->warg[i] == 1 ? "n%d.id STARTS WITH 'e1'" : "n%d.id = 'e%d'", Q->wvar[i], Q->warg[i]); break;
		default: sb_printf(b, "r%d.date %s '%s'", Q->wvar[i], ops[Q->watom[i]], dates[Q->warg[i]]); break;
		}
		return i + 1;
	case 1:
		sb_printf(b, "NOT (");
		next = where_text(b, Q, i + 1);
		sb_printf(b, ")");
		return next;
	default:
		sb_printf(b, "(");
		next = where_text(b, Q, Q->warg[i]);
		sb_printf(b, Q->wkind[i] == 2 ? " AND " : " OR ");
		next = where_text(b, Q, next);
		sb_printf(b, ")");
		return next;
	}
}

static void test_match__agrees_with_reference(void **state)
{
	unsigned seed, t, k;
	(void)state;

	for (seed = 1; seed <= 40; seed++) {
		rgraph G;
		char *yaml;
		kg_graph *g;
		rng_state = 0x9E3779B97F4A7C15ull * seed;
		yaml = gen(&G);
		g = load(yaml);
		for (t = 0; t < 25; t++) {
			rquery Q;
			sbuf q = {0};
			char *want, *got;
			kg_date asof = 0;
			memset(&Q, 0, sizeof Q);
			Q.nrel = 1 + rnd(3);
			Q.cycle = Q.nrel > 1 && chance(20);
			for (k = 0; k <= Q.nrel; k++)
				Q.node_type[k] = chance(40) ? (int)rnd(3) + (chance(30) ? 10 : 0) : -1;
			for (k = 0; k < Q.nrel; k++) {
				Q.rel_type[k] = chance(50) ? (int)rnd(3) : -1;
				Q.dir[k] = (int)rnd(3);
				Q.min[k] = Q.max[k] = 1;
				if (chance(25)) {
					Q.min[k] = rnd(2) + (chance(20) ? 0 : 1) - (Q.nrel > 1 ? 0 : 0);
					if (Q.min[k] == 0 && chance(50))
						Q.min[k] = 1;
					Q.max[k] = Q.min[k] + rnd(2) + (Q.min[k] == 0);
				}
			}
			if (chance(50))
				gen_where(&Q, 0);
			Q.distinct = chance(20);
			Q.count = !Q.distinct && chance(15);
			Q.has_order = chance(40);
			Q.order_desc = chance(50);
			Q.skip = chance(20) ? rnd(3) : 0;
			Q.has_limit = chance(30);
			Q.limit = rnd(5);
			Q.as_of = chance(20) ? (int)rnd(NDATES) : -1;

			sb_printf(&q, "MATCH (n0");
			for (k = 0; k <= Q.nrel; k++) {
				int nt = Q.node_type[k];
				if (k) {
					static const char *const l[] = {"-", "<-", "-"}, *const r[] = {"->", "-", "-"};
					sb_printf(&q, "%s[r%u", l[Q.dir[k - 1]], k - 1);
					if (Q.rel_type[k - 1] >= 0)
						sb_printf(&q, ":t%d", Q.rel_type[k - 1]);
					if (Q.min[k - 1] != 1 || Q.max[k - 1] != 1)
						sb_printf(&q, "*%u..%u", Q.min[k - 1], Q.max[k - 1]);
					sb_printf(&q, "]%s(n%u", r[Q.dir[k - 1]], node_var(&Q, k));
				}
				if (Q.cycle && k == Q.nrel)
					nt = -1, Q.node_type[k] = -1;
				if (nt >= 10)
					sb_printf(&q, ":%s|%s", types[nt - 10], types[(nt - 10 + 1) % 3]);
				else if (nt >= 0)
					sb_printf(&q, ":%s", types[nt]);
				sb_printf(&q, ")");
			}
			if (Q.nw) {
				sb_printf(&q, " WHERE ");
				where_text(&q, &Q, 0);
			}
			if (Q.count)
				sb_printf(&q, " RETURN n0.id, count(*)");
			else if (Q.distinct)
				sb_printf(&q, " RETURN DISTINCT n0.id");
			else {
				sb_printf(&q, " RETURN n0.id");
				for (k = 1; k <= Q.nrel - Q.cycle; k++)
					sb_printf(&q, ", n%u.id", k);
			}
			if (Q.has_order)
				sb_printf(&q, " ORDER BY n0.id%s", Q.order_desc ? " DESC" : "");
			if (Q.skip)
				sb_printf(&q, " SKIP %u", Q.skip);
			if (Q.has_limit)
				sb_printf(&q, " LIMIT %u", Q.limit);
			if (Q.as_of >= 0)
				assert_int_equal(kg_date_parse(&asof, dates[Q.as_of], strlen(dates[Q.as_of])), KG_OK);

			want = reference(&G, &Q);
			got = rows_of(g, q.s, asof, NULL);
			if (strcmp(want, got)) {
				print_error("%s", yaml);
				print_error("--- want:\n%s--- got:\n%s", want, got);
				fail_msg("seed %u query %u: %s", seed, t, q.s);
			}
			free(want);
			free(got);
			free(q.s);
		}
		kg_graph_free(g);
		free(yaml);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match__basic_patterns),
		cmocka_unit_test(test_match__where_and_dates),
		cmocka_unit_test(test_match__rows),
		cmocka_unit_test(test_match__errors),
		cmocka_unit_test(test_match__drawn_items),
		cmocka_unit_test(test_match__agrees_with_reference),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
