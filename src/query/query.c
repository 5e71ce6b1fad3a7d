/*
 * query.c - paths and neighbourhoods over the core graph interface.
 *
 * Pipeline position: graph -> query. Only kgraph/graph.h is used: the
 * adjacency arrays (kg_graph_out/in, each in relation order) and the
 * relation and entity accessors. Nothing here knows YAML or rendering.
 *
 * The building blocks:
 * - step lists: the relations a search may follow from an entity, in
 *   increasing relation index, with the entity each leads to; the filter,
 *   the direction rules and self-relations are applied here, once;
 * - distances to the target: a breadth-first search (or Dijkstra, with
 *   weights) backwards from the target; for every simple path within
 *   max_hops, only a ball of half that radius (see ball_to, within);
 * - enumeration: a depth-first walk that only takes steps which keep the
 *   remaining distance right, trying steps in increasing relation index,
 *   so paths come out in the order query.h promises.
 * One shortest path without weights is the common case and the one that
 * must not explore a large graph needlessly: it uses a bidirectional
 * breadth-first search instead (see shortest_bidirectional).
 * Searches that touch a small part of the graph keep what they learn in a
 * hash map (seenmap), never in arrays over all entities: allocating and
 * clearing those would cost more than the search.
 */
#include "kgraph/query.h"
#include "kgraph/common.h"
#include "kgraph/limits.h"
#include "core/diag_internal.h"
#include "util/util.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- results ------------------------------------------------------- */

typedef struct pathrec {
	size_t start, n; /* in steps */
	uint32_t from, to;
	double weight;
} pathrec;

struct kg_paths {
	KG_VEC(kg_step) steps;
	KG_VEC(pathrec) paths;
	bool truncated;
	bool gave_up;
};

struct kg_neighbors {
	KG_VEC(kg_neighbor) items;
};

size_t kg_paths_count(const kg_paths *p) { return p ? p->paths.n : 0; }
bool kg_paths_truncated(const kg_paths *p) { return p && p->truncated; }
bool kg_paths_gave_up(const kg_paths *p) { return p && p->gave_up; }

kg_path kg_paths_get(const kg_paths *p, size_t i)
{
	const pathrec *r = &p->paths.v[i];
	kg_path out;

	out.from = r->from;
	out.to = r->to;
	out.nsteps = r->n;
	out.steps = r->n ? p->steps.v + r->start : NULL;
	out.weight = r->weight;
	return out;
}

void kg_paths_free(kg_paths *p)
{
	if (!p)
		return;
	KG_VEC_FREE(p->steps);
	KG_VEC_FREE(p->paths);
	kg__free(p);
}

uint32_t kg_path_entity_after(const kg_graph *g, const kg_path *path, size_t i)
{
	const kg_step *s = &path->steps[i];
	return s->forward ? kg_relation_to(g, s->relation) : kg_relation_from(g, s->relation);
}

size_t kg_neighbors_count(const kg_neighbors *n) { return n ? n->items.n : 0; }
const kg_neighbor *kg_neighbors_get(const kg_neighbors *n, size_t i) { return &n->items.v[i]; }

void kg_neighbors_free(kg_neighbors *n)
{
	if (!n)
		return;
	KG_VEC_FREE(n->items);
	kg__free(n);
}

/* ---- the filter ---------------------------------------------------- */

bool kg_filter_admits(const kg_graph *g, const kg_filter *f, uint32_t rel)
{
	uint32_t t = kg_relation_type(g, rel);

	if (f->nrel_types && f->rel_types && !kg__in_list(f->rel_types, f->nrel_types, t))
		return false;
	if (f->nexclude_rel_types && f->exclude_rel_types && kg__in_list(f->exclude_rel_types, f->nexclude_rel_types, t))
		return false;
	if (f->as_of) {
		kg_date day = kg_date_first_day(f->as_of);
		kg_date since = kg_relation_since(g, rel), until = kg_relation_until(g, rel);
		if (since && day < kg_date_first_day(since))
			return false;
		if (until && day >= kg_date_first_day(until))
			return false;
	}
	return true;
}

int kg_relation_weight_by(double *out, const kg_graph *g, uint32_t rel, const char *attr)
{
	size_t i, n;

	*out = 1;
	if (!attr || strcmp(attr, "weight") == 0) {
		kg_relation_weight(g, rel, out);
		return KG_OK;
	}
	n = kg_relation_attr_count(g, rel);
	for (i = 0; i < n; i++) {
		kg_attr a = kg_relation_attr(g, rel, i);
		double v;
		if (strcmp(a.key, attr) != 0)
			continue;
		/* The same numbers as the loader's weight: key accepts. */
		if (a.in_list || kg__parse_number(a.value, strlen(a.value), &v) || v < 0)
			return KG_EINVALID;
		*out = v;
		return KG_OK;
	}
	return KG_OK;
}

/* ---- the search context -------------------------------------------- */

/* One way to leave an entity: the relation, whether it is followed as
 * written, and the entity it leads to. */
typedef struct hop {
	uint32_t rel;
	uint32_t next;
	bool forward;
} hop;

typedef struct ctx {
	const kg_graph *g;
	const kg_filter *f;
	size_t nent, nrel;
	/* The filter, precomputed into tables over relation types and entity
	 * types so that a query costs nothing per relation or entity it does
	 * not look at; NULL tables mean "no restriction". */
	uint8_t *rtype_ok;  /* per relation type */
	uint8_t *etype_ok;  /* per entity type: may be inside a path */
	uint32_t *avoid;    /* sorted */
	size_t navoid;
	uint8_t *rel_gone;  /* per relation: removed for this search (Yen); may be NULL */
	uint8_t *ent_gone;  /* per entity: removed for this search (Yen); may be NULL */
	double *weight;     /* per relation, or NULL for hop counts */
	/* Undirected, and no filter on relations: every relation but a
	 * self-relation is a hop, which hop_ok says without a call. */
	bool plain;
	KG_VEC(hop) hops;   /* scratch for hops_of */
} ctx;

static void ctx_free(ctx *c)
{
	kg__free(c->rtype_ok);
	kg__free(c->etype_ok);
	kg__free(c->avoid);
	kg__free(c->rel_gone);
	kg__free(c->ent_gone);
	kg__free(c->weight);
	KG_VEC_FREE(c->hops);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Prepare the filter's tables. O(types + avoided entities), and with a
 * weight O(E) to read and check every relation's weight once. */
static int ctx_init(ctx *c, const kg_graph *g, const kg_filter *f, const char *weight, kg_diag_list *diags)
{
	size_t i, nrt = kg_graph_relation_type_count(g), nt = kg_graph_type_count(g);

	memset(c, 0, sizeof *c);
	c->g = g;
	c->f = f;
	c->nent = kg_graph_entity_count(g);
	c->nrel = kg_graph_relation_count(g);
	if ((f->nrel_types && f->rel_types) || (f->nexclude_rel_types && f->exclude_rel_types)) {
		c->rtype_ok = kg__malloc(nrt ? nrt : 1);
		if (!c->rtype_ok)
			return KG_ENOMEM;
		for (i = 0; i < nrt; i++)
			c->rtype_ok[i] = !(f->nrel_types && f->rel_types && !kg__in_list(f->rel_types, f->nrel_types, (uint32_t)i)) &&
			                 !(f->nexclude_rel_types && f->exclude_rel_types &&
			                   kg__in_list(f->exclude_rel_types, f->nexclude_rel_types, (uint32_t)i));
	}
	if (f->nthrough_types && f->through_types) {
		c->etype_ok = kg__malloc(nt ? nt : 1);
		if (!c->etype_ok)
			return KG_ENOMEM;
		for (i = 0; i < nt; i++)
			c->etype_ok[i] = kg__in_list(f->through_types, f->nthrough_types, (uint32_t)i);
	}
	if (f->navoid && f->avoid) {
		c->avoid = kg__malloc(f->navoid * sizeof *c->avoid);
		if (!c->avoid)
			return KG_ENOMEM;
		memcpy(c->avoid, f->avoid, f->navoid * sizeof *c->avoid);
		qsort(c->avoid, f->navoid, sizeof *c->avoid, cmp_u32);
		c->navoid = f->navoid;
	}
	c->plain = !c->rtype_ok && !f->as_of && !f->directed;
	if (weight) {
		c->weight = kg__malloc((c->nrel ? c->nrel : 1) * sizeof *c->weight);
		if (!c->weight)
			return KG_ENOMEM;
		for (i = 0; i < c->nrel; i++) {
			if (kg_relation_weight_by(&c->weight[i], g, (uint32_t)i, weight) != KG_OK) {
				kg_location at = kg_relation_location(g, (uint32_t)i);
				if (diags)
					kg__diag_addf(diags, KG_SEV_ERROR, &at, NULL, NULL,
					              "relation %s -%s-> %s: its '%s' is not a number >= 0",
					              kg_entity_id(g, kg_relation_from(g, (uint32_t)i)),
					              kg_relation_type_name(g, kg_relation_type(g, (uint32_t)i)),
					              kg_entity_id(g, kg_relation_to(g, (uint32_t)i)), weight);
				return KG_EINVALID;
			}
		}
	}
	return KG_OK;
}

/* May entity e be inside a path (not one of its ends)? */
static bool inner_ok(const ctx *c, uint32_t e)
{
	if (c->etype_ok && !c->etype_ok[kg_entity_type(c->g, e)])
		return false;
	return !(c->avoid && bsearch(&e, c->avoid, c->navoid, sizeof e, cmp_u32));
}

/* Does the filter admit relation r: its type, its dates? */
static bool admitted(const ctx *c, uint32_t r)
{
	if (c->rtype_ok && !c->rtype_ok[kg_relation_type(c->g, r)])
		return false;
	if (c->f->as_of) {
		kg_date day = kg_date_first_day(c->f->as_of);
		kg_date since = kg_relation_since(c->g, r), until = kg_relation_until(c->g, r);
		if (since && day < kg_date_first_day(since))
			return false;
		if (until && day >= kg_date_first_day(until))
			return false;
	}
	return true;
}

static bool usable(const ctx *c, uint32_t rel)
{
	return admitted(c, rel) && !(c->rel_gone && c->rel_gone[rel]);
}

/* May a search enter entity e on its way to target? The target itself
 * always may; others must be allowed as inner entities. */
static bool enterable(const ctx *c, uint32_t e, uint32_t target)
{
	if (e == target)
		return !(c->ent_gone && c->ent_gone[e]);
	return inner_ok(c, e) && !(c->ent_gone && c->ent_gone[e]);
}

/*
 * The hops out of entity u, in increasing relation index, into c->hops.
 * reverse = 0: hops a path can take from u (u -> next).
 * reverse = 1: hops a path can take into u, listed from u's side
 *              (next -> u), for searches that run backwards from the target.
 * Directed searches follow relations as written, symmetric types both
 * ways; undirected ones both ways. Self-relations are never listed.
 * Returns the count, or (size_t)-1 when out of memory. O(degree of u).
 */
static size_t hops_of(ctx *c, uint32_t u, int reverse)
{
	size_t nout, nin, i = 0, j = 0;
	const uint32_t *out = kg_graph_out(c->g, u, &nout);
	const uint32_t *in = kg_graph_in(c->g, u, &nin);
	const uint32_t *out_end = kg_graph_out_ends(c->g, u, &nout);
	const uint32_t *in_end = kg_graph_in_ends(c->g, u, &nin);

	c->hops.n = 0;
	if (KG_VEC_RESERVE(c->hops, nout + nin))
		return (size_t)-1;
	while (i < nout || j < nin) {
		bool take_out = j == nin || (i < nout && out[i] < in[j]);
		uint32_t other = take_out ? out_end[i] : in_end[j];
		uint32_t r = take_out ? out[i++] : in[j++];
		hop h;
		if (other == u || !usable(c, r))
			continue;
		/* Going forward from u: out-relations as written, in-relations
		 * against. Going backward into u: in-relations are taken as
		 * written by their from, out-relations against. */
		h.rel = r;
		h.forward = reverse ? !take_out : take_out;
		h.next = other;
		if (c->f->directed && !h.forward &&
		    !kg_relation_type_is_symmetric(c->g, kg_relation_type(c->g, r)))
			continue;
		c->hops.v[c->hops.n++] = h;
	}
	return c->hops.n;
}

/* May a search step from u over relation r (whose other end is `other`),
 * as written when fwd? The rules of hops_of, for loops that walk the
 * adjacency arrays directly instead of copying them into c->hops. */
static bool hop_ok_filtered(const ctx *c, uint32_t r, bool fwd)
{
	return usable(c, r) &&
	       !(c->f->directed && !fwd && !kg_relation_type_is_symmetric(c->g, kg_relation_type(c->g, r)));
}

static inline bool hop_ok(const ctx *c, uint32_t u, uint32_t r, uint32_t other, bool fwd)
{
	return other != u && (c->plain || hop_ok_filtered(c, r, fwd));
}

/* Both adjacency lists of an entity, fetched once per entity. */
typedef struct adj {
	const uint32_t *out, *out_end, *in, *in_end;
	size_t nout, nin;
} adj;

static void adj_of(const ctx *c, uint32_t u, adj *a)
{
	a->out = kg_graph_out(c->g, u, &a->nout);
	a->out_end = kg_graph_out_ends(c->g, u, &a->nout);
	a->in = kg_graph_in(c->g, u, &a->nin);
	a->in_end = kg_graph_in_ends(c->g, u, &a->nin);
}

/* The i-th (below nout + nin) of the relations in a, outgoing ones first,
 * for a walk that needs no order: the relation into *r and the entity at
 * its other end into *v; true when it is outgoing. */
static inline bool adj_at(const adj *a, size_t i, uint32_t *r, uint32_t *v)
{
	if (i < a->nout) {
		*r = a->out[i];
		*v = a->out_end[i];
		return true;
	}
	*r = a->in[i - a->nout];
	*v = a->in_end[i - a->nout];
	return false;
}

static double hop_weight(const ctx *c, uint32_t rel)
{
	return c->weight ? c->weight[rel] : 1.0;
}

/* For a search backwards from target: may v be on a path as its start
 * (v == start: any entity not removed) or as an inner entity? */
static bool may_start_or_enter(const ctx *c, uint32_t v, uint32_t start, uint32_t target)
{
	if (v == start)
		return !(c->ent_gone && c->ent_gone[v]);
	return v != target && enterable(c, v, target);
}

/* Equal within rounding: weights are sums of decimals read from text. */
static bool same_weight(double a, double b)
{
	double m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
	return fabs(a - b) <= 1e-9 * (m > 1 ? m : 1);
}

/* ---- what a search has seen ---------------------------------------- */

/* What a search knows of an entity. A hash map, not arrays over all
 * entities: the searches touch a few small balls, and allocating and
 * clearing V-sized arrays on every query would cost more than the search
 * itself. */
typedef struct seen {
	uint32_t key;       /* entity + 1; 0 = empty slot */
	int32_t ds, dt;     /* distance from the start / to the target, -1 = unknown */
	uint32_t via;       /* bidirectional search: on the start's side, the relation
	                       through which it was first reached; on the target's
	                       side, its smallest relation to an entity one nearer
	                       the target (no entity is on both sides); enumeration:
	                       its local number (local_of) */
} seen;

/* dt of an entity of the start's frontier found to have a relation to the
 * target's frontier (join_from_t): such entities have no dt of their own. */
#define DT_JOINS (-2)

typedef struct seenmap {
	seen *slot;
	size_t nslot, n;
	unsigned shift; /* 32 - log2(nslot) */
} seenmap;

/* Fibonacci hashing: the top bits of a multiplication, so that entities
 * numbered close together spread over the table. */
static size_t seen_hash(const seenmap *m, uint32_t e)
{
	return (size_t)((e * 0x9E3779B1u) >> m->shift);
}

/* An empty map of 2^bits slots; 0 or KG_ENOMEM. Growing rehashes every
 * entry, so a search that usually sees a few thousand entities should
 * start big enough for them: clearing the slots costs less. */
#define SEEN_BITS_BIDIR_MIN 8  /* 4 KB */
#define SEEN_BITS_BIDIR_MAX 14 /* 256 KB */
#define SEEN_BITS_PATHS 12     /* the target's ball of an enumeration */
#define SEEN_BITS_NEIGHBORS 10 /* a neighbourhood, often a few dozen */

static int seen_init(seenmap *m, unsigned bits)
{
	m->nslot = (size_t)1 << bits;
	m->shift = 32 - bits;
	m->n = 0;
	m->slot = kg__calloc(m->nslot, sizeof *m->slot);
	return m->slot ? KG_OK : KG_ENOMEM;
}

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

static void seen_free(seenmap *m)
{
	kg__free(m->slot);
	m->slot = NULL;
}

/* The entry for e, or NULL. */
static seen *seen_get(const seenmap *m, uint32_t e)
{
	size_t i, mask = m->nslot - 1;

	for (i = seen_hash(m, e); m->slot[i].key; i = (i + 1) & mask)
		if (m->slot[i].key == e + 1)
			return &m->slot[i];
	return NULL;
}

/* Double the table; 0 or KG_ENOMEM. Entry pointers do not survive it. */
static int seen_grow(seenmap *m)
{
	seenmap bigger;
	size_t j;

	bigger.nslot = m->nslot * 2;
	bigger.shift = m->shift - 1;
	bigger.n = m->n;
	bigger.slot = kg__calloc(bigger.nslot, sizeof *bigger.slot);
	if (!bigger.slot)
		return KG_ENOMEM;
	for (j = 0; j < m->nslot; j++) {
		size_t k;
		if (!m->slot[j].key)
			continue;
		for (k = seen_hash(&bigger, m->slot[j].key - 1); bigger.slot[k].key; k = (k + 1) & (bigger.nslot - 1))
			;
		bigger.slot[k] = m->slot[j];
	}
	kg__free(m->slot);
	*m = bigger;
	return KG_OK;
}

/* The entry for e, added (nothing known) when missing; NULL when out of
 * memory. Adding may move every entry: pointers from earlier calls are
 * stale after it. */
static seen *seen_add(seenmap *m, uint32_t e);

/* Claim the free slot i for entity e, seen by neither side yet. */
static inline seen *seen_put(seenmap *m, size_t i, uint32_t e)
{
	seen *x = &m->slot[i];

	x->key = e + 1;
	x->ds = x->dt = -1;
	x->via = KG_NONE;
	m->n++;
	return x;
}

/* seen_add for the inner loops: the lookup, and an insert that needs no
 * growing, inline; the rest out of line. */
static inline seen *seen_add_fast(seenmap *m, uint32_t e)
{
	size_t i, mask = m->nslot - 1;

	for (i = seen_hash(m, e); m->slot[i].key; i = (i + 1) & mask)
		if (m->slot[i].key == e + 1)
			return &m->slot[i];
	if ((m->n + 1) * 2 > m->nslot)
		return seen_add(m, e);
	return seen_put(m, i, e);
}

static seen *seen_add(seenmap *m, uint32_t e)
{
	size_t i, mask = m->nslot - 1;

	for (i = seen_hash(m, e); m->slot[i].key; i = (i + 1) & mask)
		if (m->slot[i].key == e + 1)
			return &m->slot[i];
	/* At most half full, so that probes stay short. */
	if ((m->n + 1) * 2 > m->nslot) {
		if (seen_grow(m))
			return NULL;
		mask = m->nslot - 1;
		for (i = seen_hash(m, e); m->slot[i].key; i = (i + 1) & mask)
			;
	}
	return seen_put(m, i, e);
}

/* ---- distances to the target --------------------------------------- */

#define UNSEEN (-1.0)

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
			if ((n = hops_of(c, u, 1)) == (size_t)-1) {
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
			if ((n = hops_of(c, u, 1)) == (size_t)-1) {
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


/* ---- enumeration --------------------------------------------------- */

typedef struct walk {
	ctx *c;
	kg_paths *out;
	uint32_t from, to;
	const double *dist; /* to `to` */
	size_t limit;       /* stop after this many paths (then one more to see truncation) */
	unsigned exact;     /* ALL mode: path length wanted */
	uint8_t *on_path;   /* entities on the current partial path */
	KG_VEC(kg_step) cur;
	/* ALL mode (dfs_all): */
	seenmap *m;         /* the target's ball, and local numbers */
	unsigned radius;    /* of the ball */
	KG_VEC(struct lnode) nodes; /* by local number */
	KG_VEC(struct lhop) lhops;  /* their steps */
	double cur_weight;
	bool full;          /* found limit + 1 paths, or gave up */
	size_t work;        /* branches explored, against KG_MAX_PATH_WORK */
} walk;

static int emit(walk *w)
{
	pathrec r;
	size_t i;

	if (w->out->paths.n == w->limit) {
		w->full = true;
		w->out->truncated = true;
		return KG_OK;
	}
	r.start = w->out->steps.n;
	r.n = w->cur.n;
	r.from = w->from;
	r.to = w->to;
	r.weight = w->c->weight ? w->cur_weight : (double)w->cur.n;
	if (KG_VEC_RESERVE(w->out->steps, w->out->steps.n + w->cur.n))
		return KG_ENOMEM;
	for (i = 0; i < w->cur.n; i++)
		w->out->steps.v[w->out->steps.n++] = w->cur.v[i];
	return KG_VEC_PUSH(w->out->paths, r) ? KG_ENOMEM : KG_OK;
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
		return emit(w);
	if (++w->work > KG_MAX_PATH_WORK) {
		w->full = true;
		w->out->truncated = w->out->gave_up = true;
		return KG_OK;
	}
	if ((n = hops_of(c, u, 0)) == (size_t)-1)
		return KG_ENOMEM;
	/* hops_of reuses its buffer: keep a copy for this level. */
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

/* What every walk starts with. */
static void walk_setup(walk *w, ctx *c, kg_paths *out, uint32_t from, uint32_t to, size_t limit)
{
	memset(w, 0, sizeof *w);
	w->c = c;
	w->out = out;
	w->from = from;
	w->to = to;
	w->limit = limit;
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

static int all_shortest_hops(ctx *c, kg_paths *out, uint32_t from, uint32_t to, unsigned max_hops, size_t limit);

/* All shortest (lightest) paths from -> to, in relation order, at most
 * limit of them (truncated set when there are more). */
static int all_shortest(ctx *c, kg_paths *out, uint32_t from, uint32_t to, unsigned max_hops, size_t limit)
{
	double *dist;
	walk w;
	int rc;

	if (!c->weight)
		return all_shortest_hops(c, out, from, to, max_hops, limit);
	dist = kg__malloc((c->nent ? c->nent : 1) * sizeof *dist);
	if (!dist)
		return KG_ENOMEM;
	rc = distances_to(c, to, from, true, c->weight ? -1.0 : (max_hops ? (double)max_hops : -1.0), dist);
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

/* ---- every simple path within max_hops ------------------------------ */

/*
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

/* The target's ball: dt for every entity within radius of `to`, through
 * entities a path may contain (the start too, as distances_to allows);
 * or, when stop_at is reached first, for every entity nearer than it.
 * O(relations of the entities within radius - 1). */
static int ball_to(ctx *c, seenmap *m, uint32_t to, uint32_t from, unsigned radius, uint32_t stop_at)
{
	KG_VEC(uint32_t) queue = {0};
	size_t head;
	seen *x = seen_add(m, to);

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
		adj_of(c, u, &a);
		for (i = 0; i < a.nout + a.nin; i++) {
			uint32_t r, v;
			bool is_out = adj_at(&a, i, &r, &v);
			/* Into u: an in-relation v -> u is taken as written. */
			if (!hop_ok(c, u, r, v, !is_out) || !may_start_or_enter(c, v, from, to))
				continue;
			if (!(x = seen_add(m, v)) || (x->dt < 0 && ((x->dt = du + 1), KG_VEC_PUSH(queue, v)))) {
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
	seen *x = seen_add(w->m, e);
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
	if ((n = hops_of(w->c, w->nodes.v[li].entity, 0)) == (size_t)-1 ||
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
		return depth == w->exact ? emit(w) : KG_OK;
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
	if (seen_init(m, SEEN_BITS_PATHS))
		return -1;
	w->m = m;
	return 0;
}

static void walk_end(walk *w)
{
	seen_free(w->m);
	KG_VEC_FREE(w->cur);
	KG_VEC_FREE(w->nodes);
	KG_VEC_FREE(w->lhops);
}

/* Every simple path of at most max_hops relations, by length, then in
 * relation order. */
static int all_paths(ctx *c, kg_paths *out, uint32_t from, uint32_t to, unsigned max_hops, size_t limit)
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
static int all_shortest_hops(ctx *c, kg_paths *out, uint32_t from, uint32_t to, unsigned max_hops, size_t limit)
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

/* ---- one shortest path, searching from both ends -------------------- */

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
		uint32_t r = is_out ? a.out[i] : a.in[j];
		uint32_t v = is_out ? a.out_end[i++] : a.in_end[j++];
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
static void join_from_t(const ctx *c, seenmap *m, const uint32_t *sball, size_t s_lo,
                        const uint32_t *tball, size_t q, size_t t_hi, int32_t ls, int32_t lt, uint32_t met,
                        uint32_t *u)
{
	size_t rest = 0, spent = 0, p;

	for (p = q; p < t_hi; p++)
		rest += degree(c, tball[p]);
	for (p = s_lo; sball[p] != met; p++) {
		if ((spent += degree(c, sball[p])) > rest)
			break;
		if (has_hop_to(c, m, sball[p], lt)) {
			*u = sball[p];
			return;
		}
	}
	if (sball[p] == met) {
		*u = met;
		return;
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
	while (seen_get(m, sball[p])->dt != DT_JOINS)
		p++;
	*u = sball[p];
}

static int shortest_bidirectional(ctx *c, kg_paths *out, uint32_t from, uint32_t to, unsigned max_hops)
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

	if (seen_init(&m, bidir_bits(c->nent)))
		return KG_ENOMEM;
	if (!(x = seen_add(&m, from)))
		goto nomem;
	x->ds = 0;
	if (!(x = seen_add(&m, to)))
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
					uint32_t r = is_out ? a.out[i] : a.in[j];
					y = is_out ? a.out_end[i++] : a.in_end[j++];
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
						join_from_t(c, &m, sball.v, s_lo, tball.v, q, t_hi, ls, lt, y, &u);
						if (!first_hop_to(c, &m, u, lt, &st, &v))
							goto nomem; /* cannot happen: u was chosen for it */
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
	seen_free(&m);
	KG_VEC_FREE(sball);
	KG_VEC_FREE(tball);
	return rc;
}

/* ---- the k shortest paths (Yen) ------------------------------------ */

static bool same_steps(const kg_step *a, size_t na, const kg_step *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (a[i].relation != b[i].relation || a[i].forward != b[i].forward)
			return false;
	return true;
}

/* Order of results: lighter first, then by relation indexes. */
static int cmp_paths(const kg_paths *p, size_t a, size_t b)
{
	const pathrec *x = &p->paths.v[a], *y = &p->paths.v[b];
	size_t i;

	if (!same_weight(x->weight, y->weight))
		return x->weight < y->weight ? -1 : 1;
	for (i = 0; i < x->n && i < y->n; i++) {
		uint32_t rx = p->steps.v[x->start + i].relation, ry = p->steps.v[y->start + i].relation;
		if (rx != ry)
			return rx < ry ? -1 : 1;
		if (p->steps.v[x->start + i].forward != p->steps.v[y->start + i].forward)
			return p->steps.v[x->start + i].forward ? 1 : -1;
	}
	return x->n < y->n ? -1 : x->n > y->n;
}

static bool holds_path(const kg_paths *p, const kg_step *steps, size_t n)
{
	size_t i;

	for (i = 0; i < p->paths.n; i++)
		if (same_steps(p->steps.v + p->paths.v[i].start, p->paths.v[i].n, steps, n))
			return true;
	return false;
}

static int add_path(kg_paths *p, uint32_t from, uint32_t to, const kg_step *a, size_t na,
                    const kg_step *b, size_t nb, double weight)
{
	pathrec r;
	size_t i;

	if (KG_VEC_RESERVE(p->steps, p->steps.n + na + nb))
		return KG_ENOMEM;
	r.start = p->steps.n;
	r.n = na + nb;
	r.from = from;
	r.to = to;
	r.weight = weight;
	for (i = 0; i < na; i++)
		p->steps.v[p->steps.n++] = a[i];
	for (i = 0; i < nb; i++)
		p->steps.v[p->steps.n++] = b[i];
	return KG_VEC_PUSH(p->paths, r) ? KG_ENOMEM : KG_OK;
}

/*
 * Yen's algorithm: each next path deviates from an earlier one at some
 * entity (the spur), follows the earlier path up to it (the root), and
 * continues by the shortest way that avoids the root's entities and the
 * relations earlier paths with the same root took next.
 */
static int k_shortest(ctx *c, kg_paths *out, uint32_t from, uint32_t to, unsigned max_hops, size_t k)
{
	kg_paths cand, spur;
	int rc;
	size_t kk;

	memset(&cand, 0, sizeof cand);
	memset(&spur, 0, sizeof spur);
	c->rel_gone = kg__calloc(c->nrel ? c->nrel : 1, 1);
	c->plain = false;
	c->ent_gone = kg__calloc(c->nent ? c->nent : 1, 1);
	if (!c->rel_gone || !c->ent_gone)
		return KG_ENOMEM;
	rc = all_shortest(c, out, from, to, max_hops, 1);
	for (kk = 1; rc == KG_OK && kk < k && out->paths.n == kk; kk++) {
		pathrec prev = out->paths.v[kk - 1];
		size_t i, j, best;
		double root_w = 0;
		for (i = 0; rc == KG_OK && i < prev.n; i++) {
			const kg_step *root = out->steps.v + prev.start;
			kg_path pp;
			uint32_t spur_at;
			pp.from = from;
			pp.steps = root;
			pp.nsteps = prev.n;
			spur_at = i ? kg_path_entity_after(c->g, &pp, i - 1) : from;
			if (i)
				root_w += hop_weight(c, root[i - 1].relation);
			if (max_hops && i >= max_hops)
				break;
			memset(c->rel_gone, 0, c->nrel);
			memset(c->ent_gone, 0, c->nent);
			for (j = 0; j < out->paths.n; j++) {
				const pathrec *q = &out->paths.v[j];
				if (q->n > i && same_steps(out->steps.v + q->start, i, root, i))
					c->rel_gone[out->steps.v[q->start + i].relation] = 1;
			}
			for (j = 0; j < i; j++)
				c->ent_gone[j ? kg_path_entity_after(c->g, &pp, j - 1) : from] = 1;
			spur.steps.n = spur.paths.n = 0;
			rc = all_shortest(c, &spur, spur_at, to, max_hops ? max_hops - (unsigned)i : 0, 1);
			if (rc != KG_OK || !spur.paths.n)
				continue;
			{
				kg_step *tmp = kg__malloc((i + spur.paths.v[0].n + 1) * sizeof *tmp);
				if (!tmp) {
					rc = KG_ENOMEM;
					break;
				}
				memcpy(tmp, root, i * sizeof *tmp);
				memcpy(tmp + i, spur.steps.v, spur.paths.v[0].n * sizeof *tmp);
				if (!holds_path(out, tmp, i + spur.paths.v[0].n) &&
				    !holds_path(&cand, tmp, i + spur.paths.v[0].n))
					rc = add_path(&cand, from, to, tmp, i, tmp + i, spur.paths.v[0].n,
					              c->weight ? root_w + spur.paths.v[0].weight
					                        : (double)(i + spur.paths.v[0].n));
				kg__free(tmp);
			}
		}
		if (rc != KG_OK || !cand.paths.n)
			break;
		for (best = 0, j = 1; j < cand.paths.n; j++)
			if (cmp_paths(&cand, j, best) < 0)
				best = j;
		rc = add_path(out, from, to, cand.steps.v + cand.paths.v[best].start, cand.paths.v[best].n,
		              NULL, 0, cand.paths.v[best].weight);
		cand.paths.v[best] = cand.paths.v[--cand.paths.n];
	}
	KG_VEC_FREE(cand.steps);
	KG_VEC_FREE(cand.paths);
	KG_VEC_FREE(spur.steps);
	KG_VEC_FREE(spur.paths);
	return rc;
}

/* ---- entry points -------------------------------------------------- */

int kg_query_paths(kg_paths **out, const kg_graph *g, uint32_t from, uint32_t to,
                   const kg_path_options *opts, kg_diag_list *diags)
{
	kg_path_options defaults = KG_PATH_OPTIONS_INIT;
	size_t limit;
	kg_paths *res;
	ctx c;
	int rc;

	if (!out)
		return KG_EARG;
	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (!KG__OPTIONS_VERSION_OK(opts->version, KG_PATH_OPTIONS_VERSION))
		return KG_EARG;
	limit = opts->limit ? opts->limit : KG_DEFAULT_PATH_LIMIT;
	if (!g || from >= kg_graph_entity_count(g) || to >= kg_graph_entity_count(g) ||
	    opts->max_hops > KG_MAX_PATH_HOPS || limit > KG_MAX_PATH_LIMIT ||
	    (opts->mode == KG_PATHS_ALL && (!opts->max_hops || opts->weight)) ||
	    (opts->mode == KG_PATHS_K_SHORTEST && (opts->k < 1 || opts->k > KG_MAX_PATH_K)) ||
	    (opts->weight && opts->max_hops) || opts->mode > KG_PATHS_ALL)
		return KG_EARG;
	/* malloc, not calloc: glibc's calloc bypasses its per-thread cache,
	 * so this small block, freed into the cache's overflow when the
	 * caller frees the result, made the next query's first large
	 * allocation consolidate the heap (9% of a shortest path at 10k). */
	res = kg__malloc(sizeof *res);
	if (!res)
		return KG_ENOMEM;
	memset(res, 0, sizeof *res);
	rc = ctx_init(&c, g, &opts->filter, opts->weight, diags);
	if (rc == KG_OK && from == to) {
		rc = add_path(res, from, to, NULL, 0, NULL, 0, 0);
	} else if (rc == KG_OK) {
		switch (opts->mode) {
		case KG_PATHS_SHORTEST:
			rc = c.weight ? all_shortest(&c, res, from, to, 0, 1)
			              : shortest_bidirectional(&c, res, from, to, opts->max_hops);
			break;
		case KG_PATHS_ALL_SHORTEST:
			rc = all_shortest(&c, res, from, to, opts->max_hops, limit);
			break;
		case KG_PATHS_K_SHORTEST:
			rc = k_shortest(&c, res, from, to, opts->max_hops, opts->k);
			break;
		case KG_PATHS_ALL:
			rc = all_paths(&c, res, from, to, opts->max_hops, limit);
			break;
		}
	}
	ctx_free(&c);
	if (rc != KG_OK) {
		kg_paths_free(res);
		return rc;
	}
	/* Only a limit the caller set can truncate: one shortest path and
	 * the k shortest ask for as many as they get. */
	if (opts->mode == KG_PATHS_SHORTEST || opts->mode == KG_PATHS_K_SHORTEST)
		res->truncated = false;
	*out = res;
	return KG_OK;
}

int kg_query_neighbors(kg_neighbors **out, const kg_graph *g, uint32_t entity,
                       const kg_neighbor_options *opts)
{
	kg_neighbor_options defaults = KG_NEIGHBOR_OPTIONS_INIT;
	kg_filter f;
	kg_neighbors *res;
	seenmap m = {NULL, 0, 0, 0};
	unsigned depth;
	size_t head;
	ctx c;
	int rc;

	if (!out)
		return KG_EARG;
	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (!KG__OPTIONS_VERSION_OK(opts->version, KG_NEIGHBOR_OPTIONS_VERSION))
		return KG_EARG;
	depth = opts->depth ? opts->depth : 1;
	if (!g || entity >= kg_graph_entity_count(g) || depth > KG_MAX_NEIGHBOR_DEPTH ||
	    opts->direction > KG_DIRECTION_IN)
		return KG_EARG;
	f = opts->filter;
	f.directed = opts->direction != KG_DIRECTION_BOTH;
	res = kg__calloc(1, sizeof *res);
	if (!res)
		return KG_ENOMEM;
	rc = ctx_init(&c, g, &f, NULL, NULL);
	if (rc == KG_OK)
		rc = seen_init(&m, SEEN_BITS_NEIGHBORS);
	if (rc == KG_OK) {
		seen *x = seen_add(&m, entity);
		if (x)
			x->ds = 0;
		else
			rc = KG_ENOMEM;
	}
	/* Breadth-first; the result, in the order entities are reached, is
	 * the queue (after the start, head 0). Distances are kept in a map
	 * sized to what is reached, not in an array over every entity. */
	for (head = 0; rc == KG_OK && head <= res->items.n; head++) {
		uint32_t u = head ? res->items.v[head - 1].entity : entity;
		unsigned du = head ? res->items.v[head - 1].distance : 0;
		size_t n, k;
		/* Entities of other types than --through are listed, but the
		 * neighbourhood does not go on through them. */
		if (du >= depth || (u != entity && !inner_ok(&c, u)))
			continue;
		if ((n = hops_of(&c, u, opts->direction == KG_DIRECTION_IN)) == (size_t)-1) {
			rc = KG_ENOMEM;
			break;
		}
		for (k = 0; k < n; k++) {
			const hop *h = &c.hops.v[k];
			kg_neighbor nb;
			seen *x = seen_add(&m, h->next);
			if (!x) {
				rc = KG_ENOMEM;
				break;
			}
			if (x->ds >= 0)
				continue;
			if (f.navoid && f.avoid && kg__in_list(f.avoid, f.navoid, h->next))
				continue;
			x->ds = (int32_t)du + 1;
			nb.entity = h->next;
			nb.distance = du + 1;
			nb.via = h->rel;
			nb.forward = opts->direction == KG_DIRECTION_IN ? !h->forward : h->forward;
			nb.parent = u;
			if (KG_VEC_PUSH(res->items, nb)) {
				rc = KG_ENOMEM;
				break;
			}
		}
	}
	seen_free(&m);
	ctx_free(&c);
	if (rc != KG_OK) {
		kg_neighbors_free(res);
		return rc;
	}
	*out = res;
	return KG_OK;
}
