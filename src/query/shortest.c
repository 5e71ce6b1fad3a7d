/*
 * shortest.c - shortest paths: distances to the target, every shortest
 * path with weights, and one shortest path without.
 *
 * Pipeline position: graph -> query; kg_query_paths (query.c) picks the
 * search. Three parts:
 * - distances_to: a breadth-first search (or Dijkstra, with weights)
 *   backwards from the target, into an array over all entities;
 * - kg__all_shortest: with weights, a depth-first walk that only takes
 *   steps which keep the remaining distance right, in increasing relation
 *   index, so paths come out in the order query.h promises; without, the
 *   enumeration of allpaths.c;
 * - kg__shortest_bidirectional: one shortest path without weights, the
 *   common case and the one that must not explore a large graph
 *   needlessly. Its loops are the hottest code of kgraph's queries
 *   (docs/performance.md): they read the adjacency arrays directly and
 *   call only inline helpers (query_internal.h, searchmap.h).
 */
#include "query/query_internal.h"
#include "kgraph/limits.h"

/* ---- distances to the target --------------------------------------- */

/*
 * dist[v] = the least weight (or hops) of a path from v to target, for
 * every v from which the target can be reached through entities a path
 * may contain (start may be a path's start even when it could not be
 * inside one); UNSEEN elsewhere. Stops once every entity within bound is
 * known (bound < 0: no bound), or, with stop_at_start, once every entity
 * as near as start is. Breadth-first without weights; Dijkstra with them.
 * O(V + E), with weights O((V + E) log V).
 */
typedef struct heapent {
	double d;
	uint32_t v;
} heapent;

static void heap_push(heapent *h, size_t *n, heapent x)
{
	size_t i = (*n)++;

	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (h[p].d < x.d || (h[p].d == x.d && h[p].v <= x.v))
			break;
		h[i] = h[p];
		i = p;
	}
	h[i] = x;
}

static heapent heap_pop(heapent *h, size_t *n)
{
	heapent top = h[0], x = h[--*n];
	size_t i = 0;

	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		heapent best = x;
		if (l < *n && (h[l].d < best.d || (h[l].d == best.d && h[l].v < best.v))) {
			m = l;
			best = h[l];
		}
		if (r < *n && (h[r].d < best.d || (h[r].d == best.d && h[r].v < best.v)))
			m = r;
		if (m == i)
			break;
		h[i] = h[m];
		i = m;
	}
	if (*n)
		h[i] = x;
	return top;
}

static int distances_to(ctx *c, uint32_t target, uint32_t start, bool stop_at_start, double bound,
                        double *dist)
{
	size_t i;

	for (i = 0; i < c->nent; i++)
		dist[i] = UNSEEN;
	if (c->ent_gone && c->ent_gone[target])
		return KG_OK;
	dist[target] = 0;
	if (!c->weight) {
		uint32_t *queue = kg__malloc((c->nent ? c->nent : 1) * sizeof *queue);
		size_t head = 0, tail = 0;
		if (!queue)
			return KG_ENOMEM;
		queue[tail++] = target;
		while (head < tail) {
			uint32_t u = queue[head++];
			size_t n, k;
			/* Every entity nearer than the start is known by now. */
			if (stop_at_start && u == start)
				break;
			if (bound >= 0 && dist[u] >= bound)
				continue;
			c->expanded++;
			if ((n = kg__hops_of(c, u, 1)) == (size_t)-1) {
				kg__free(queue);
				return KG_ENOMEM;
			}
			for (k = 0; k < n; k++) {
				uint32_t v = c->hops.v[k].next;
				if (dist[v] != UNSEEN || !may_start_or_enter(c, v, start, target))
					continue;
				dist[v] = dist[u] + 1;
				queue[tail++] = v;
			}
		}
		kg__free(queue);
		return KG_OK;
	} else {
		/* Dijkstra with lazy deletion; the heap holds at most one entry
		 * per relation plus one. */
		heapent *heap = kg__malloc((c->nrel + 1) * sizeof *heap);
		uint8_t *done = kg__calloc(c->nent ? c->nent : 1, 1);
		size_t nh = 0;
		heapent first = {0, target};
		if (!heap || !done) {
			kg__free(heap);
			kg__free(done);
			return KG_ENOMEM;
		}
		heap_push(heap, &nh, first);
		while (nh) {
			heapent top = heap_pop(heap, &nh);
			uint32_t u = top.v;
			size_t n, k;
			if (done[u] || top.d > dist[u])
				continue;
			/* Once the start is settled, only entities exactly as far
			 * (zero weights) can still be on a lightest path. */
			if (stop_at_start && done[start] && !same_weight(top.d, dist[start]))
				break;
			done[u] = 1;
			if (bound >= 0 && dist[u] >= bound)
				continue;
			c->expanded++;
			if ((n = kg__hops_of(c, u, 1)) == (size_t)-1) {
				kg__free(heap);
				kg__free(done);
				return KG_ENOMEM;
			}
			for (k = 0; k < n; k++) {
				uint32_t v = c->hops.v[k].next;
				double d = dist[u] + hop_weight(c, c->hops.v[k].rel);
				heapent x;
				if (done[v] || !may_start_or_enter(c, v, start, target))
					continue;
				if (dist[v] != UNSEEN && dist[v] <= d)
					continue;
				dist[v] = d;
				x.d = d;
				x.v = v;
				heap_push(heap, &nh, x);
			}
		}
		/* Entities left in the heap have tentative distances only. */
		for (i = 0; i < c->nent; i++)
			if (!done[i])
				dist[i] = UNSEEN;
		kg__free(heap);
		kg__free(done);
		return KG_OK;
	}
}

int kg__distances_to(ctx *c, uint32_t target, uint32_t start, double *dist)
{
	return distances_to(c, target, start, false, -1.0, dist);
}

/*
 * Depth-first from u, taking only hops that keep the path shortest
 * (dist[next] + weight == dist[u]), in relation order.
 */
static int dfs(walk *w, uint32_t u)
{
	ctx *c = w->c;
	hop *hops;
	size_t n, k;
	int rc = KG_OK;

	if (u == w->to)
		return kg__walk_emit(w);
	if (++w->work > KG_MAX_PATH_WORK) {
		w->full = true;
		w->out->truncated = w->out->gave_up = true;
		return KG_OK;
	}
	if ((n = kg__hops_of(c, u, 0)) == (size_t)-1)
		return KG_ENOMEM;
	/* kg__hops_of reuses its buffer: keep a copy for this level. */
	hops = kg__malloc((n ? n : 1) * sizeof *hops);
	if (!hops)
		return KG_ENOMEM;
	memcpy(hops, c->hops.v, n * sizeof *hops);
	w->on_path[u] = 1;
	for (k = 0; k < n && rc == KG_OK && !w->full; k++) {
		uint32_t v = hops[k].next;
		double hw = hop_weight(c, hops[k].rel);
		kg_step s;
		if (w->on_path[v] || w->dist[v] == UNSEEN || !enterable(c, v, w->to))
			continue;
		if (!same_weight(w->dist[v] + hw, w->dist[u]))
			continue;
		s.relation = hops[k].rel;
		s.forward = hops[k].forward;
		if (KG_VEC_PUSH(w->cur, s)) {
			rc = KG_ENOMEM;
			break;
		}
		w->cur_weight += hw;
		rc = dfs(w, v);
		w->cur_weight -= hw;
		w->cur.n--;
	}
	w->on_path[u] = 0;
	kg__free(hops);
	return rc;
}

/* Start a walk from `from` to `to` over dist; 0 or KG_ENOMEM. */
static int walk_init(walk *w, ctx *c, kg_paths *out, uint32_t from, uint32_t to, const double *dist,
                     size_t limit)
{
	walk_setup(w, c, out, from, to, limit);
	w->dist = dist;
	w->on_path = kg__calloc(c->nent ? c->nent : 1, 1);
	return w->on_path ? KG_OK : KG_ENOMEM;
}

/* With weights, over distances_to's array; without, by the enumeration
 * of allpaths.c, which needs no array over all entities. */
int kg__all_shortest(ctx *c, kg_paths *out, uint32_t from, uint32_t to, unsigned max_hops, size_t limit)
{
	double *dist;
	walk w;
	int rc;

	if (!c->weight)
		return kg__all_shortest_hops(c, out, from, to, max_hops, limit);
	dist = kg__malloc((c->nent ? c->nent : 1) * sizeof *dist);
	if (!dist)
		return KG_ENOMEM;
	rc = distances_to(c, to, from, true, c->weight ? c->bound : (max_hops ? (double)max_hops : -1.0), dist);
	if (rc == KG_OK && dist[from] != UNSEEN && !(max_hops && !c->weight && dist[from] > max_hops)) {
		rc = walk_init(&w, c, out, from, to, dist, limit);
		if (rc == KG_OK)
			rc = dfs(&w, from);
		kg__free(w.on_path);
		KG_VEC_FREE(w.cur);
	}
	kg__free(dist);
	return rc;
}

/* ---- one shortest path, searching from both ends -------------------- */

/* dt of an entity of the start's frontier found to have a relation to the
 * target's frontier (join_from_t): such entities have no dt of their own. */
#define DT_JOINS (-2)

/* The size of a bidirectional search's map, from the graph's V: in a
 * small-world graph the two sides meet once their balls' sizes multiply
 * to about V, so each reaches about sqrt(V) entities. 8 sqrt(V) slots
 * leave the map a tenth full for the usual query, where probes are short,
 * and cost one clearing of 4-256 KB instead of growing (rehashing) while
 * the search runs, which cost more than the clearing saved. */
static unsigned bidir_bits(size_t nent)
{
	unsigned bits = SEEN_BITS_BIDIR_MIN;

	while (bits < SEEN_BITS_BIDIR_MAX && ((size_t)1 << (2 * bits)) < 64 * nent)
		bits++;
	return bits;
}

/*
 * Breadth-first from `from` (the s side) and from `to` (the t side), a
 * level at a time, always growing the smaller frontier. While no entity
 * has been seen by both sides, the shortest length d is more than
 * Ls + Lt, the two radii; so the first relation that joins the sides
 * gives d = Ls + Lt + 1, and the search stops there, in the middle of a
 * level: the two balls are all it explores.
 *
 * Picking the path query.h promises needs no more than that. The s side
 * fills each level in the order of the smallest relation sequence that
 * reaches each entity (by induction: a level is filled in the order of
 * its entities' first parents, each parent's relations in increasing
 * index), and `via` records the last relation of that sequence. So the
 * answer runs along the via chain to the first entity u of the s
 * frontier (in that order) that has a relation to the t frontier, takes
 * u's smallest such relation, and then, inside the t ball, where the
 * distance to the target is exact, at each entity its smallest relation
 * to an entity one nearer the target: the t side records that one in
 * `via` as it reads each whole level.
 *
 * When the sides join while the s side grows, u is the entity being
 * expanded: the ones before it had no relation to the t ball at all.
 * When they join while the t side grows, the entity just met is one
 * candidate, and join_from_t finds the first.
 */

/* u's smallest relation, as a path may take it, to an entity whose
 * distance to the target is `want`: into *st and *next; false when there
 * is none. Entities with a known distance to the target are all
 * enterable (the t side adds no others). O(degree of u). */
static bool first_hop_to(const ctx *c, const seenmap *m, uint32_t u, int32_t want, kg_step *st, uint32_t *next)
{
	adj a;
	size_t i = 0, j = 0;

	adj_of(c, u, &a);
	while (i < a.nout || j < a.nin) {
		bool is_out = j == a.nin || (i < a.nout && a.out[i] < a.in[j]);
		uint32_t r = is_out ? a.out[i++] : a.in[j++];
		uint32_t v = is_out ? kg_relation_to(c->g, r) : kg_relation_from(c->g, r);
		const seen *x;
		if (!hop_ok(c, u, r, v, is_out) || !(x = seen_get(m, v)) || x->dt != want)
			continue;
		st->relation = r;
		st->forward = is_out;
		*next = v;
		return true;
	}
	return false;
}

/* Has u such a relation at all? first_hop_to without the order, which
 * costs a comparison per relation: for testing many entities. */
static bool has_hop_to(const ctx *c, const seenmap *m, uint32_t u, int32_t want)
{
	adj a;
	size_t i;

	adj_of(c, u, &a);
	for (i = 0; i < a.nout + a.nin; i++) {
		uint32_t r, v;
		bool is_out = adj_at(&a, i, &r, &v);
		const seen *x;
		if (hop_ok(c, u, r, v, is_out) && (x = seen_get(m, v)) && x->dt == want)
			return true;
	}
	return false;
}

static size_t degree(const ctx *c, uint32_t u)
{
	size_t nout, nin;

	kg_graph_out(c->g, u, &nout);
	kg_graph_in(c->g, u, &nin);
	return nout + nin;
}

/*
 * The sides joined while the t side expanded tball[q] (level lt) and met
 * `met`, an entity of the s frontier sball[s_lo..]. The answer leaves
 * from the first entity of that frontier with a relation to the t
 * frontier (level lt); into *u. Two ways to find it: test the s
 * frontier's entities in order up to `met`, or finish the t level,
 * marking the entities of the s frontier it reaches, and take the first
 * marked. The second reads a known number of relations, the rest of the
 * t level (usually the smaller frontier: that is why it was growing);
 * the first stops at its first success, often early, but its worst
 * case, every entity up to `met`, is not worth learning: that meant
 * reading the offsets of hundreds of entities, cold in a large graph.
 * So the first way goes on while it has read fewer relations than the
 * second would, and the second finishes the job when it has not
 * succeeded by then: at most twice the second's cost.
 */
static bool join_from_t(const ctx *c, seenmap *m, const uint32_t *sball, size_t s_lo, size_t s_hi,
                        const uint32_t *tball, size_t q, size_t t_hi, int32_t ls, int32_t lt, uint32_t met,
                        uint32_t *u)
{
	size_t rest = 0, spent = 0, p;
	const seen *sx;

	for (p = q; p < t_hi; p++)
		rest += degree(c, tball[p]);
	/* Bounded by the frontier's end although `met` is in it: in a
	 * damaged snapshot read lazily a relation can be listed under one of
	 * its ends and not the other (one end's list read as empty), and the
	 * sides then disagree (found by fuzz_snapshot). */
	for (p = s_lo; p < s_hi && sball[p] != met; p++) {
		if ((spent += degree(c, sball[p])) > rest)
			break;
		if (has_hop_to(c, m, sball[p], lt)) {
			*u = sball[p];
			return true;
		}
	}
	if (p == s_hi)
		return false;
	if (sball[p] == met) {
		*u = met;
		return true;
	}
	for (; q < t_hi; q++) {
		uint32_t w = tball[q];
		adj a;
		size_t i;
		adj_of(c, w, &a);
		for (i = 0; i < a.nout + a.nin; i++) {
			uint32_t r, y;
			bool is_out = adj_at(&a, i, &r, &y);
			seen *x;
			/* Into w: an in-relation y -> w is taken as written. */
			if (hop_ok(c, w, r, y, !is_out) && (x = seen_get(m, y)) && x->ds == ls)
				x->dt = DT_JOINS;
		}
	}
	/* Those before p have no relation to the t frontier; `met` has. */
	while (p < s_hi && (!(sx = seen_get(m, sball[p])) || sx->dt != DT_JOINS))
		p++;
	if (p == s_hi)
		return false;
	*u = sball[p];
	return true;
}

int kg__shortest_bidirectional(ctx *c, kg_paths *out, uint32_t from, uint32_t to, unsigned max_hops)
{
	seenmap m;
	KG_VEC(uint32_t) sball = {0}, tball = {0};
	size_t s_lo = 0, t_lo = 0, q;
	int32_t ls = 0, lt = 0, ds, dt;
	uint32_t u = KG_NONE, v = KG_NONE, y;
	kg_step st = {0, false};
	pathrec rec;
	int rc = KG_OK;
	seen *x;

	if (kg__seen_init(&m, bidir_bits(c->nent)))
		return KG_ENOMEM;
	if (!(x = kg__seen_add(&m, from)))
		goto nomem;
	x->ds = 0;
	if (!(x = kg__seen_add(&m, to)))
		goto nomem;
	x->dt = 0;
	/* Every entity in the map is in one of the balls, and the map is at
	 * most half full: room for what usually comes, in one allocation
	 * each. */
	if (KG_VEC_RESERVE(sball, m.nslot / 2) || KG_VEC_RESERVE(tball, m.nslot / 2))
		goto nomem;
	sball.v[sball.n++] = from;
	tball.v[tball.n++] = to;
	for (;;) {
		size_t s_hi = sball.n, t_hi = tball.n;
		if (s_lo == s_hi || t_lo == t_hi || (max_hops && (unsigned)(ls + lt) >= max_hops))
			goto done; /* a side ran dry: no path (within max_hops) */
		if (s_hi - s_lo <= t_hi - t_lo) {
			for (q = s_lo; q < s_hi; q++) {
				uint32_t w = sball.v[q];
				size_t i = 0, j = 0;
				adj a;
				adj_of(c, w, &a);
				/* In relation order: the order of the levels depends on it. */
				while (i < a.nout || j < a.nin) {
					bool is_out = j == a.nin || (i < a.nout && a.out[i] < a.in[j]);
					uint32_t r = is_out ? a.out[i++] : a.in[j++];
					y = is_out ? kg_relation_to(c->g, r) : kg_relation_from(c->g, r);
					if (!hop_ok(c, w, r, y, is_out) || (y != from && y != to && !inner_ok(c, y)))
						continue;
					if (!(x = seen_add_fast(&m, y)))
						goto nomem;
					if (x->dt >= 0) {
						u = w;
						st.relation = r;
						st.forward = is_out;
						v = y;
						goto found;
					}
					if (x->ds >= 0)
						continue;
					x->ds = ls + 1;
					x->via = r;
					if (KG_VEC_PUSH(sball, y))
						goto nomem;
				}
			}
			s_lo = s_hi;
			ls++;
		} else {
			for (q = t_lo; q < t_hi; q++) {
				uint32_t w = tball.v[q];
				size_t i;
				adj a;
				adj_of(c, w, &a);
				/* Any order: distances do not depend on it. */
				for (i = 0; i < a.nout + a.nin; i++) {
					uint32_t r;
					bool is_out = adj_at(&a, i, &r, &y);
					if (!hop_ok(c, w, r, y, !is_out) || (y != from && y != to && !inner_ok(c, y)))
						continue;
					if (!(x = seen_add_fast(&m, y)))
						goto nomem;
					if (x->ds >= 0) {
						/* Neither fails on a sound graph: u is chosen
						 * for its hop. On a damaged one, no path (the
						 * graph says it is damaged). */
						if (!join_from_t(c, &m, sball.v, s_lo, sball.n, tball.v, q, t_hi, ls, lt, y, &u) ||
						    !first_hop_to(c, &m, u, lt, &st, &v))
							goto done;
						goto found;
					}
					if (x->dt < 0) {
						x->dt = lt + 1;
						if (KG_VEC_PUSH(tball, y))
							goto nomem;
					}
					/* Level lt is read whole before level lt + 1 is
					 * used, so this ends as y's smallest relation one
					 * step nearer the target. */
					if (x->dt == lt + 1 && r < x->via)
						x->via = r;
				}
			}
			t_lo = t_hi;
			lt++;
		}
	}

found:
	ds = seen_get(&m, u)->ds;
	dt = seen_get(&m, v)->dt;
	rec.start = out->steps.n;
	rec.n = (size_t)ds + 1 + (size_t)dt;
	rec.from = from;
	rec.to = to;
	rec.weight = (double)rec.n;
	if (KG_VEC_RESERVE(out->steps, out->steps.n + rec.n))
		goto nomem;
	/* The via chain, from u back to `from`, written from its end. */
	for (y = u, q = (size_t)ds; y != from;) {
		uint32_t r = seen_get(&m, y)->via, rf = kg_relation_from(c->g, r), rt = kg_relation_to(c->g, r);
		kg_step back;
		back.relation = r;
		back.forward = rt == y;
		out->steps.v[out->steps.n + --q] = back;
		y = rt == y ? rf : rt;
	}
	out->steps.n += (size_t)ds;
	out->steps.v[out->steps.n++] = st;
	/* Down the t ball, along the smallest relations it recorded. */
	for (; dt > 0; dt--) {
		uint32_t r = seen_get(&m, v)->via, rf = kg_relation_from(c->g, r), rt = kg_relation_to(c->g, r);
		st.relation = r;
		st.forward = rf == v;
		v = rf == v ? rt : rf;
		out->steps.v[out->steps.n++] = st;
	}
	if (KG_VEC_PUSH(out->paths, rec))
		goto nomem;
	goto done;
nomem:
	rc = KG_ENOMEM;
done:
	kg__seen_free(&m);
	KG_VEC_FREE(sball);
	KG_VEC_FREE(tball);
	return rc;
}
