/*
 * temporal.c - paths that respect time: every step happens no earlier
 * than the one before it (docs/time.md says it for users).
 *
 * Pipeline position: graph -> query; kg_query_paths (query.c) calls
 * kg__temporal_paths when the options ask for time. Only kgraph/graph.h
 * and the search context of query_internal.h are used.
 *
 * Time. A relation's time is a half-open span of days [start, end): its
 * date's whole period (2024-03 is March), else since (inclusive) to until
 * (exclusive), else every day (timeless; none with timed_only). Days are
 * kg_date values of kg_date_first_day, which compare as integers; an end
 * is the first key after the period (day + 1 is fine as a key even when
 * it is not a real day: it still sorts after every day of the period and
 * before every later one). 0 is "before all time", UINT32_MAX "after".
 *
 * The rule. A path fits when its steps can be given days t1 <= t2 <= ...
 * each within its relation's span. Greedily, arrival a0 = --from-date
 * (or 0) and a_i = max(a_{i-1}, start_i), which must be < end_i: the
 * earliest day each step can happen. Arriving earlier never hurts (every
 * later arrival is then no later), which gives the two facts the
 * searches rest on: a walk that fits stays fitting when a cycle is cut
 * out of it, so the shortest fitting walk is a simple path; and whether
 * `to` can be reached from entity v in at most h steps, arriving at v on
 * day a, is a threshold: a < bound[h][v].
 *
 * Shortest paths that respect time are not prefix-optimal (the shortest
 * way to an entity may arrive too late to go on), so no Dijkstra or BFS
 * over entities answers them. The table bound[h][v] (the latest arrival
 * from which `to` is reachable in h steps; O(H * (V + E)) by H rounds of
 * relaxation, like Bellman-Ford over (entity, steps left) states) is the
 * search over (entity, arrival) states in closed form: a depth-first walk
 * in relation order takes only steps after which the table says `to` is
 * still reachable. For paths of the shortest length L the table is exact:
 * a walk it promises that meets the current prefix again could be spliced
 * into a path shorter than L, which cannot exist; so that walk never
 * backtracks and the first path it finds is the first in relation order.
 * Longer lengths (-k, --all) may meet dead ends; KG_MAX_PATH_WORK bounds
 * them as it bounds the other enumerations.
 *
 * Earliest arrival is the one-pass algorithm of Wu et al., "Path
 * Problems in Temporal Graphs" (PVLDB 2014), for spans instead of
 * instants: the relations are swept in order of their start; an entity
 * reached on day a at once takes every relation already in force (start
 * <= a < end), and one that starts later is taken when the sweep reaches
 * its start. Days only grow, so an entity's first arrival is its
 * earliest. O(E log E) for the sort, then O(V + E).
 */
#include "query/temporal.h"
#include "kgraph/limits.h"

#include <stddef.h>

#define T_NEVER UINT32_MAX

typedef struct tspan {
	uint32_t start, end;
} tspan;

/* The first key after the period date names. */
static uint32_t period_end(kg_date d)
{
	uint32_t year = d >> 9, month = (d >> 5) & 15, day = d & 31;

	if (!month)
		return (year + 1) << 9;
	if (!day)
		return (year << 9) | ((month + 1) << 5);
	return d + 1;
}

static tspan span_of(const kg_graph *g, uint32_t r, bool timed_only)
{
	kg_date date = kg_relation_date(g, r), since = kg_relation_since(g, r), until = kg_relation_until(g, r);
	tspan s = {0, T_NEVER};

	if (date) {
		s.start = kg_date_first_day(date);
		s.end = period_end(date);
	} else if (since || until) {
		s.start = kg_date_first_day(since);
		s.end = until ? kg_date_first_day(until) : T_NEVER;
	} else if (timed_only) {
		s.start = T_NEVER; /* never fits */
	}
	return s;
}

/* ---- options ------------------------------------------------------- */

bool kg__path_is_temporal(const kg_path_options *o)
{
	return o->time_respecting || o->timed_only || o->from_date || o->earliest;
}

bool kg__temporal_options_ok(const kg_path_options *o)
{
	if (o->weight)
		return false;
	return !o->earliest || (o->mode == KG_PATHS_SHORTEST && !o->max_hops);
}

bool kg_path_time_respecting(const kg_graph *g, const kg_path *path, kg_date from_date, bool timed_only,
                             kg_date *arrival)
{
	uint32_t a = kg_date_first_day(from_date);
	kg_date as_written = from_date;
	size_t i;

	if (!g || !path)
		return false;
	for (i = 0; i < path->nsteps; i++) {
		uint32_t r = path->steps[i].relation;
		tspan s = span_of(g, r, timed_only);
		if (s.start > a) {
			a = s.start;
			as_written = kg_relation_date(g, r) ? kg_relation_date(g, r) : kg_relation_since(g, r);
		}
		if (a >= s.end)
			return false;
	}
	if (arrival)
		*arrival = as_written;
	return true;
}

/* ---- the search ---------------------------------------------------- */

typedef struct frame {
	uint32_t v, a;   /* the entity, and the day the path arrived there */
	size_t h0, nh, i; /* its steps in t->hs, and the next to try */
} frame;

typedef struct tsearch {
	ctx *c;
	kg_paths *out;
	uint32_t from, to, a0;
	tspan *span;       /* per relation */
	uint32_t *bound;   /* layers of nent: bound[h * nent + v] */
	unsigned nlayers;  /* computed; later layers equal the last */
	size_t limit;
	uint8_t *on_path;
	KG_VEC(hop) hs;
	KG_VEC(frame) frames;
	KG_VEC(kg_step) cur;
	size_t work;
	bool stop;
} tsearch;

static uint32_t bound_at(const tsearch *t, unsigned h, uint32_t v)
{
	if (h >= t->nlayers)
		h = t->nlayers - 1;
	return t->bound[(size_t)h * t->c->nent + v];
}

/*
 * Layers 0 .. upto of the table (fewer when a layer repeats the one
 * before: then all later ones do too). With until_from, stop at the
 * first layer from which `from` reaches `to`. Returns that layer's
 * number (the shortest length), 0 when there is none, or -1 when out of
 * memory. O(layers * (V + E)).
 */
static long build_bounds(tsearch *t, unsigned upto, bool until_from)
{
	ctx *c = t->c;
	size_t n = c->nent, v, k;
	unsigned h;

	t->bound = kg__malloc(((size_t)upto + 1) * n * sizeof *t->bound);
	if (!t->bound)
		return -1;
	memset(t->bound, 0, n * sizeof *t->bound);
	t->bound[t->to] = T_NEVER;
	t->nlayers = 1;
	for (h = 1; h <= upto; h++) {
		const uint32_t *prev = t->bound + (size_t)(h - 1) * n;
		uint32_t *cur = t->bound + (size_t)h * n;
		bool changed = false;
		memcpy(cur, prev, n * sizeof *cur);
		for (v = 0; v < n; v++) {
			size_t nh;
			if (v == t->to || (v != t->from && !inner_ok(c, (uint32_t)v)))
				continue;
			if ((nh = kg__hops_of(c, (uint32_t)v, 0)) == (size_t)-1)
				return -1;
			for (k = 0; k < nh; k++) {
				const hop *hp = &c->hops.v[k];
				uint32_t b = prev[hp->next];
				tspan s = t->span[hp->rel];
				uint32_t reach = s.end < b ? s.end : b;
				if (s.start < b && reach > cur[v]) {
					cur[v] = reach;
					changed = true;
				}
			}
		}
		if (!changed)
			break;
		t->nlayers = h + 1;
		if (t->a0 < cur[t->from] && until_from)
			return h;
	}
	for (h = 1; h < t->nlayers; h++)
		if (t->a0 < t->bound[(size_t)h * n + t->from])
			return h;
	return 0;
}

static int emit(tsearch *t)
{
	if (t->out->paths.n == t->limit) {
		t->out->truncated = true;
		t->stop = true;
		return KG_OK;
	}
	return kg__paths_add(t->out, t->from, t->to, t->cur.v, t->cur.n, NULL, 0, (double)t->cur.n);
}

static int push_frame(tsearch *t, uint32_t v, uint32_t a)
{
	frame f = {v, a, t->hs.n, 0, 0};
	size_t nh = kg__hops_of(t->c, v, 0);

	if (nh == (size_t)-1 || KG_VEC_RESERVE(t->hs, t->hs.n + nh) || KG_VEC_PUSH(t->frames, f))
		return KG_ENOMEM;
	if (nh)
		memcpy(t->hs.v + t->hs.n, t->c->hops.v, nh * sizeof *t->hs.v);
	t->hs.n += nh;
	t->frames.v[t->frames.n - 1].nh = nh;
	t->on_path[v] = 1;
	return KG_OK;
}

/* Every fitting path of exactly len relations, in relation order, until
 * t->limit (and one more, to see truncation) or the work bound. */
static int walk_length(tsearch *t, unsigned len)
{
	int rc;

	t->frames.n = t->hs.n = t->cur.n = 0;
	if ((rc = push_frame(t, t->from, t->a0)) != KG_OK)
		return rc;
	while (t->frames.n && !t->stop) {
		frame *f = &t->frames.v[t->frames.n - 1];
		unsigned left = len - (unsigned)t->cur.n - 1; /* after this step */
		kg_step st;
		uint32_t a;
		tspan s;
		hop h;
		if (f->i == f->nh) {
			t->on_path[f->v] = 0;
			t->hs.n = f->h0;
			t->frames.n--;
			if (t->cur.n)
				t->cur.n--;
			continue;
		}
		h = t->hs.v[f->h0 + f->i++];
		if (t->on_path[h.next])
			continue;
		s = t->span[h.rel];
		a = f->a > s.start ? f->a : s.start;
		if (a >= s.end)
			continue;
		st.relation = h.rel;
		st.forward = h.forward;
		if (h.next == t->to) {
			if (left)
				continue;
			if (KG_VEC_PUSH(t->cur, st) || emit(t) != KG_OK)
				return KG_ENOMEM;
			t->cur.n--;
			continue;
		}
		if (!left || !inner_ok(t->c, h.next) || a >= bound_at(t, left, h.next))
			continue;
		if (++t->work > KG_MAX_PATH_WORK) {
			t->out->truncated = t->out->gave_up = true;
			t->stop = true;
			break;
		}
		if (KG_VEC_PUSH(t->cur, st) || push_frame(t, h.next, a) != KG_OK)
			return KG_ENOMEM;
	}
	/* Leave on_path clean for the next length. */
	for (size_t i = 0; i < t->frames.n; i++)
		t->on_path[t->frames.v[i].v] = 0;
	return KG_OK;
}

/* ---- earliest arrival ---------------------------------------------- */

typedef struct tevent {
	uint32_t start, rel;
} tevent;

static int cmp_event(const void *x, const void *y)
{
	const tevent *a = x, *b = y;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->rel < b->rel ? -1 : a->rel > b->rel;
}

typedef struct early {
	tsearch *t;
	uint32_t *arr;     /* per entity: the day first reached, T_NEVER before */
	kg_step *via;      /* per entity: the step that reached it */
	uint32_t *queue;   /* entities reached and not yet expanded */
	size_t qhead, qtail;
} early;

/* May entity w be reached (not yet reached, and may be on a path)? */
static bool may_reach(const early *e, uint32_t w)
{
	return e->arr[w] == T_NEVER && (w == e->t->to || inner_ok(e->t->c, w));
}

static void reach(early *e, uint32_t w, uint32_t day, uint32_t rel, bool forward)
{
	e->arr[w] = day;
	e->via[w].relation = rel;
	e->via[w].forward = forward;
	e->queue[e->qtail++] = w;
}

/* Expand every entity reached, each taking the relations in force on
 * the day it was reached, until the queue is empty or `to` is reached. */
static int expand(early *e)
{
	tsearch *t = e->t;

	while (e->qhead < e->qtail && e->arr[t->to] == T_NEVER) {
		uint32_t u = e->queue[e->qhead++], a = e->arr[u];
		size_t k, nh;
		if ((nh = kg__hops_of(t->c, u, 0)) == (size_t)-1)
			return KG_ENOMEM;
		for (k = 0; k < nh; k++) {
			hop h = t->c->hops.v[k];
			tspan s = t->span[h.rel];
			if (s.start <= a && a < s.end && may_reach(e, h.next))
				reach(e, h.next, a, h.rel, h.forward);
		}
	}
	return KG_OK;
}

/* Could the relation be followed from u, as written when forward? The
 * rules of kg__hops_of for one relation. */
static bool may_follow(const ctx *c, uint32_t r, bool forward)
{
	if (!usable(c, r))
		return false;
	return forward || !c->f->directed || kg_relation_type_is_symmetric(c->g, kg_relation_type(c->g, r));
}

static int earliest(tsearch *t)
{
	ctx *c = t->c;
	early e = {t, NULL, NULL, NULL, 0, 0};
	tevent *ev = NULL;
	size_t nev = 0, i;
	uint32_t r;
	int rc = KG_ENOMEM;

	e.arr = kg__malloc(c->nent * sizeof *e.arr);
	e.via = kg__malloc(c->nent * sizeof *e.via);
	e.queue = kg__malloc(c->nent * sizeof *e.queue);
	ev = kg__malloc((c->nrel + 1) * sizeof *ev);
	if (!e.arr || !e.via || !e.queue || !ev)
		goto done;
	for (i = 0; i < c->nent; i++)
		e.arr[i] = T_NEVER;
	/* Relations that start after the search does, by start: those in force
	 * at the start are taken by expand. */
	for (r = 0; r < c->nrel; r++)
		if (t->span[r].start > t->a0 && t->span[r].start < t->span[r].end)
			ev[nev++] = (tevent){t->span[r].start, r};
	qsort(ev, nev, sizeof *ev, cmp_event);
	reach(&e, t->from, t->a0, KG_NONE, true);
	if ((rc = expand(&e)) != KG_OK)
		goto done;
	for (i = 0; i < nev && e.arr[t->to] == T_NEVER; i++) {
		uint32_t rel = ev[i].rel, day = ev[i].start;
		uint32_t x = kg_relation_from(c->g, rel), y = kg_relation_to(c->g, rel);
		if (x == y)
			continue;
		/* Both ends have been reached no later than day, if at all. */
		if (e.arr[x] != T_NEVER && (x == t->from || inner_ok(c, x)) && may_reach(&e, y) &&
		    may_follow(c, rel, true))
			reach(&e, y, day, rel, true);
		else if (e.arr[y] != T_NEVER && (y == t->from || inner_ok(c, y)) && may_reach(&e, x) &&
		         may_follow(c, rel, false))
			reach(&e, x, day, rel, false);
		if ((rc = expand(&e)) != KG_OK)
			goto done;
	}
	if (e.arr[t->to] != T_NEVER) {
		/* The steps back from `to`, then reversed into t->cur. */
		uint32_t v = t->to;
		t->cur.n = 0;
		while (v != t->from) {
			kg_step st = e.via[v];
			if (KG_VEC_PUSH(t->cur, st)) {
				rc = KG_ENOMEM;
				goto done;
			}
			v = st.forward ? kg_relation_from(c->g, st.relation) : kg_relation_to(c->g, st.relation);
		}
		for (i = 0; i < t->cur.n / 2; i++) {
			kg_step tmp = t->cur.v[i];
			t->cur.v[i] = t->cur.v[t->cur.n - 1 - i];
			t->cur.v[t->cur.n - 1 - i] = tmp;
		}
		rc = emit(t);
	}
done:
	kg__free(e.arr);
	kg__free(e.via);
	kg__free(e.queue);
	kg__free(ev);
	return rc;
}

/* ---- the entry point ----------------------------------------------- */

int kg__temporal_paths(ctx *c, kg_paths *out, uint32_t from, uint32_t to, const kg_path_options *o, size_t limit)
{
	tsearch t;
	unsigned maxlen = o->max_hops ? o->max_hops : KG_MAX_PATH_HOPS, len;
	bool one_length = o->mode == KG_PATHS_SHORTEST || o->mode == KG_PATHS_ALL_SHORTEST;
	long shortest;
	int rc = KG_ENOMEM;

	memset(&t, 0, sizeof t);
	t.c = c;
	t.out = out;
	t.from = from;
	t.to = to;
	t.a0 = kg_date_first_day(o->from_date);
	t.limit = o->mode == KG_PATHS_SHORTEST ? 1 : o->mode == KG_PATHS_K_SHORTEST ? o->k : limit;
	t.span = kg__malloc((c->nrel + 1) * sizeof *t.span);
	t.on_path = kg__malloc(c->nent);
	if (!t.span || !t.on_path)
		goto done;
	memset(t.on_path, 0, c->nent);
	for (uint32_t r = 0; r < c->nrel; r++)
		t.span[r] = span_of(c->g, r, o->timed_only);
	if (o->earliest) {
		rc = earliest(&t);
		goto done;
	}
	if ((shortest = build_bounds(&t, maxlen, one_length)) < 0)
		goto done;
	rc = KG_OK;
	if (shortest == 0)
		goto done; /* no path */
	for (len = (unsigned)shortest; len <= maxlen && rc == KG_OK && !t.stop; len++) {
		rc = walk_length(&t, len);
		if (one_length)
			break;
	}
done:
	kg__free(t.span);
	kg__free(t.on_path);
	kg__free(t.bound);
	KG_VEC_FREE(t.hs);
	KG_VEC_FREE(t.frames);
	KG_VEC_FREE(t.cur);
	return rc;
}
