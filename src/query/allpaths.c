/*
 * allpaths.c - enumeration: every simple path within max_hops, and every
 * shortest path counted in relations.
 *
 * Pipeline position: graph -> query; kg_query_paths (query.c) and
 * kg__all_shortest (shortest.c) call it. Paths come out by length, then
 * in relation order (a depth-first walk trying steps in increasing
 * relation index), as query.h promises; the work is bounded by
 * KG_MAX_PATH_WORK branches and the answer by the caller's limit.
 *
 * The enumeration takes a step to v only when v can still reach the
 * target in the relations left: distance(v) <= left, with distances as
 * distances_to would compute them. Computing them all (a breadth-first
 * search out to max_hops - 1 from the target) covers most of a
 * small-world graph. Instead, a ball of radius max_hops / 2 around the
 * target gives the exact distance inside it and "more than the radius"
 * outside, which answers every question asked with left <= radius; the
 * few asked with a larger left (near the start) go one relation further
 * (within), memoised. The answers, and so the branches explored (the
 * work budget) and the paths, are those of the full search.
 *
 * An enumeration may explore millions of branches over a few entities,
 * so the entities it meets get small local numbers (lnode) and their
 * step lists are built once and kept (lhop): a branch then costs array
 * reads, not hash lookups and copies.
 */
#include "query/query_internal.h"
#include "kgraph/limits.h"

#include <limits.h>

typedef struct lnode {
	uint32_t entity;
	uint32_t hops, nhops; /* its steps in w->lhops; hops = KG_NONE until listed */
	uint8_t on_path;      /* on the current partial path */
	uint8_t enter;        /* may be on a path (enterable) */
	uint32_t lo, hi;      /* distance to the target >= lo, and <= hi - 1 when hi > 0 */
} lnode;

typedef struct lhop {
	uint32_t rel;
	uint32_t next; /* local number, or entity when far */
	bool forward;
	/* Outside the target's ball and not yet numbered: pruned whenever
	 * at most `radius` relations are left, without a lookup; numbered
	 * (next becomes local) the first time more are left. Numbering
	 * every neighbour of every entity expanded would cost a hash insert
	 * per relation, most of them for entities that are always pruned. */
	bool far;
} lhop;

/* Shared with dfs in shortest.c. */
int kg__walk_emit(walk *w)
{
	if (w->out->count == w->limit) {
		w->full = true;
		w->out->truncated = true;
		return KG_OK;
	}
	return kg__paths_add(w->out, w->from, w->to, w->cur.v, w->cur.n, NULL, 0,
	                     w->c->weight ? w->cur_weight : (double)w->cur.n);
}

/* The target's ball: dt for every entity within radius of `to`, through
 * entities a path may contain (the start too, as distances_to allows);
 * or, when stop_at is reached first, for every entity nearer than it.
 * O(relations of the entities within radius - 1). */
static int ball_to(ctx *c, seenmap *m, uint32_t to, uint32_t from, unsigned radius, uint32_t stop_at)
{
	KG_VEC(uint32_t) queue = {0};
	size_t head;
	seen *x = kg__seen_add(m, to);

	if (!x || KG_VEC_PUSH(queue, to)) {
		KG_VEC_FREE(queue);
		return KG_ENOMEM;
	}
	x->dt = 0;
	for (head = 0; head < queue.n; head++) {
		uint32_t u = queue.v[head];
		int32_t du = seen_get(m, u)->dt;
		size_t i;
		adj a;
		/* Every entity nearer than stop_at is known by now. */
		if (u == stop_at)
			break;
		if ((unsigned)du >= radius)
			continue;
		c->expanded++;
		adj_of(c, u, &a);
		for (i = 0; i < a.nout + a.nin; i++) {
			uint32_t r, v;
			bool is_out = adj_at(&a, i, &r, &v);
			/* Into u: an in-relation v -> u is taken as written. */
			if (!hop_ok(c, u, r, v, !is_out) || !may_start_or_enter(c, v, from, to))
				continue;
			if (!(x = kg__seen_add(m, v)) || (x->dt < 0 && ((x->dt = du + 1), KG_VEC_PUSH(queue, v)))) {
				KG_VEC_FREE(queue);
				return KG_ENOMEM;
			}
		}
	}
	KG_VEC_FREE(queue);
	return KG_OK;
}

/* The local number of entity e (the seen map's `via` holds it), given
 * when first asked; KG_NONE when out of memory. */
static uint32_t local_of(walk *w, uint32_t e)
{
	seen *x = kg__seen_add(w->m, e);
	lnode nd;

	if (!x)
		return KG_NONE;
	if (x->via != KG_NONE)
		return x->via;
	nd.entity = e;
	nd.hops = KG_NONE;
	nd.nhops = 0;
	nd.on_path = 0;
	nd.enter = enterable(w->c, e, w->to);
	if (x->dt >= 0) {
		nd.lo = (uint32_t)x->dt;
		nd.hi = (uint32_t)x->dt + 1;
	} else {
		nd.lo = w->radius + 1;
		nd.hi = 0;
	}
	x->via = (uint32_t)w->nodes.n;
	return KG_VEC_PUSH(w->nodes, nd) ? KG_NONE : x->via;
}

/* List the steps from local entity li once; 0 or KG_ENOMEM. */
static int list_hops(walk *w, uint32_t li)
{
	size_t n, k, start = w->lhops.n;

	if (w->nodes.v[li].hops != KG_NONE)
		return KG_OK;
	if ((n = kg__hops_of(w->c, w->nodes.v[li].entity, 0)) == (size_t)-1 ||
	    KG_VEC_RESERVE(w->lhops, start + n))
		return KG_ENOMEM;
	for (k = 0; k < n; k++) {
		lhop *h = &w->lhops.v[start + k];
		uint32_t y = w->c->hops.v[k].next;
		const seen *x = seen_get(w->m, y);
		h->rel = w->c->hops.v[k].rel;
		h->forward = w->c->hops.v[k].forward;
		h->far = !x;
		h->next = x ? local_of(w, y) : y;
		if (h->next == KG_NONE)
			return KG_ENOMEM;
	}
	w->lhops.n = start + n;
	w->nodes.v[li].hops = (uint32_t)start;
	w->nodes.v[li].nhops = (uint32_t)n;
	return KG_OK;
}

/* Is local entity li's distance to the target at most l? 1 yes, 0 no,
 * -1 out of memory. Exact: in the target's ball the distance is known;
 * outside it, it is more than the radius, and for a larger l the
 * question is asked of li's neighbours with l - 1. Those are read from
 * the graph and looked up, stopping at the first that answers yes,
 * rather than listed: most entities asked about are never expanded. */
static int within(walk *w, uint32_t li, unsigned l)
{
	const lnode *nd = &w->nodes.v[li];
	const ctx *c = w->c;
	uint32_t u = nd->entity;
	int found = 0;
	size_t i;
	adj a;

	if (nd->hi && l + 1 >= nd->hi)
		return 1;
	if (l < nd->lo)
		return 0;
	/* Outside the ball (inside, lo and hi settle every l). */
	if (!nd->enter && u != w->from)
		return 0;
	adj_of(c, u, &a);
	for (i = 0; i < a.nout + a.nin && !found; i++) {
		uint32_t r, y;
		bool is_out = adj_at(&a, i, &r, &y);
		const seen *x;
		uint32_t ly;
		if (!hop_ok(c, u, r, y, is_out))
			continue;
		x = seen_get(w->m, y);
		if (x && x->via == KG_NONE && x->dt >= 0) {
			found = (unsigned)x->dt <= l - 1;
			continue;
		}
		if (!x && l - 1 <= w->radius)
			continue; /* outside the ball, and too far */
		if ((ly = local_of(w, y)) == KG_NONE || (found = within(w, ly, l - 1)) < 0)
			return -1;
	}
	if (found)
		w->nodes.v[li].hi = l + 1;
	else
		w->nodes.v[li].lo = l + 1;
	return found;
}

/*
 * Depth-first from local entity li, in relation order, taking only steps
 * after which the target can still be reached in exactly w->exact
 * relations in all: branch for branch what a search knowing every
 * distance would explore.
 */
static int dfs_all(walk *w, uint32_t li, unsigned depth)
{
	size_t k;
	int rc = KG_OK;

	if (w->nodes.v[li].entity == w->to)
		return depth == w->exact ? kg__walk_emit(w) : KG_OK;
	if (++w->work > KG_MAX_PATH_WORK) {
		w->full = true;
		w->out->truncated = w->out->gave_up = true;
		return KG_OK;
	}
	if (list_hops(w, li))
		return KG_ENOMEM;
	w->nodes.v[li].on_path = 1;
	for (k = 0; k < w->nodes.v[li].nhops && rc == KG_OK && !w->full; k++) {
		lhop h = w->lhops.v[w->nodes.v[li].hops + k];
		unsigned left = w->exact - depth - 1;
		const lnode *nd;
		kg_step s;
		if (h.far) {
			if (left <= w->radius)
				continue; /* farther than that */
			if ((h.next = local_of(w, h.next)) == KG_NONE)
				return KG_ENOMEM;
			h.far = false;
			w->lhops.v[w->nodes.v[li].hops + k] = h;
		}
		nd = &w->nodes.v[h.next];
		if (nd->on_path || !nd->enter)
			continue;
		if (nd->entity == w->to) {
			if (left != 0)
				continue;
		} else if ((rc = within(w, h.next, left)) <= 0) {
			rc = rc < 0 ? KG_ENOMEM : KG_OK;
			continue;
		}
		s.relation = h.rel;
		s.forward = h.forward;
		if (KG_VEC_PUSH(w->cur, s)) {
			rc = KG_ENOMEM;
			break;
		}
		rc = dfs_all(w, h.next, depth + 1);
		w->cur.n--;
	}
	w->nodes.v[li].on_path = 0;
	return rc;
}

/* Set up a walk from `from` to `to` over map m (initialised here).
 * 0, or -1 when out of memory. */
static int walk_begin(walk *w, seenmap *m, ctx *c, kg_paths *out, uint32_t from, uint32_t to, size_t limit)
{
	walk_setup(w, c, out, from, to, limit);
	if (kg__seen_init(m, SEEN_BITS_PATHS))
		return -1;
	w->m = m;
	return 0;
}

static void walk_end(walk *w)
{
	kg__seen_free(w->m);
	KG_VEC_FREE(w->cur);
	KG_VEC_FREE(w->nodes);
	KG_VEC_FREE(w->lhops);
}

int kg__all_paths(ctx *c, kg_paths *out, uint32_t from, uint32_t to, unsigned max_hops, size_t limit)
{
	seenmap m;
	walk w;
	unsigned len;
	uint32_t start;
	int rc, in = 0;

	if (walk_begin(&w, &m, c, out, from, to, limit))
		return KG_ENOMEM;
	w.radius = max_hops / 2;
	rc = ball_to(c, &m, to, from, w.radius, KG_NONE);
	if (rc == KG_OK && (start = local_of(&w, from)) == KG_NONE)
		rc = KG_ENOMEM;
	/* The shortest length is the start's distance. */
	for (len = 0; rc == KG_OK && len <= max_hops && !in; len += !in)
		if ((in = within(&w, start, len)) < 0)
			rc = KG_ENOMEM;
	for (; rc == KG_OK && in && len <= max_hops && !w.full; len++) {
		w.exact = len;
		rc = dfs_all(&w, start, 0);
	}
	walk_end(&w);
	return rc;
}

/*
 * Every shortest path counted in relations: the paths of exactly the
 * start's distance, enumerated by dfs_all over a breadth-first ball from
 * the target that stops at the start, as distances_to does, in a map
 * rather than arrays over every entity. Branch for branch what dfs
 * explores over distances_to's array: a step keeps a path shortest
 * exactly when it leads one relation nearer the target, which is what
 * dfs_all asks (distance <= left) when the length is the shortest.
 */
int kg__all_shortest_hops(ctx *c, kg_paths *out, uint32_t from, uint32_t to, unsigned max_hops, size_t limit)
{
	seenmap m;
	walk w;
	const seen *x;
	uint32_t start;
	int rc;

	if (c->ent_gone && c->ent_gone[to])
		return KG_OK;
	if (walk_begin(&w, &m, c, out, from, to, limit))
		return KG_ENOMEM;
	rc = ball_to(c, &m, to, from, max_hops ? max_hops : UINT_MAX, from);
	if (rc == KG_OK && (x = seen_get(&m, from)) && x->dt >= 0 && !(max_hops && (unsigned)x->dt > max_hops)) {
		w.exact = (unsigned)x->dt;
		/* Known: every entity nearer than the start. */
		w.radius = w.exact ? w.exact - 1 : 0;
		if ((start = local_of(&w, from)) == KG_NONE)
			rc = KG_ENOMEM;
		else
			rc = dfs_all(&w, start, 0);
	}
	walk_end(&w);
	return rc;
}
