/*
 * query_internal.h - what the searches of src/query share (private).
 *
 * A search runs over a context (ctx): the graph, the filter precomputed
 * into tables (filter.c), and the scratch buffer of kg__hops_of. The small
 * tests the inner loops make on every relation (hop_ok, inner_ok,
 * adj_at, ...) are static inline here, so that splitting the searches
 * into files added no calls to their hot loops (docs/performance.md);
 * what was already a call (kg__hops_of, kg__hop_ok_filtered,
 * kg__seen_add) stays one. Names without kg__ have internal linkage.
 *
 *   query.c      results, kg_query_paths (picks the search)
 *   filter.c     kg_filter_admits, weights, the context, step lists
 *   searchmap.c  the hash map of what a search has seen (searchmap.h)
 *   shortest.c   distances to the target, all shortest paths with weights,
 *                one shortest path by a bidirectional search
 *   allpaths.c   enumeration: every simple path, every shortest path
 *   yen.c        the k shortest paths
 *   neighbors.c  kg_query_neighbors
 */
#ifndef KG_QUERY_INTERNAL_H
#define KG_QUERY_INTERNAL_H

#include "kgraph/common.h"
#include "kgraph/query.h"
#include "core/graph_internal.h"
#include "query/searchmap.h"
#include "util/util.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- results (query.c) --------------------------------------------- */

typedef struct pathrec {
	size_t start, n; /* in steps */
	uint32_t from, to;
	double weight;
} pathrec;

struct kg_paths {
	KG_VEC(kg_step) steps;
	KG_VEC(pathrec) paths;
	size_t count;       /* paths found: held, or handed to on_path */
	kg_path_fn on_path; /* kg_path_options.on_path: paths are handed over, not held */
	void *on_path_data;
	bool truncated;
	bool gave_up;
};

/* Append a path made of the steps a[0..na) then b[0..nb), or hand it to
 * p->on_path; 0, KG_ENOMEM or what on_path returned. */
int kg__paths_add(kg_paths *p, uint32_t from, uint32_t to, const kg_step *a, size_t na, const kg_step *b,
                  size_t nb, double weight);

/* ---- the search context (filter.c) --------------------------------- */

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
	/* With weights: kg__all_shortest looks no farther than this from
	 * the target (a spur search of yen.c that cannot beat the k-th
	 * candidate); < 0 = no bound. */
	double bound;
	size_t expanded;    /* entities distances_to and ball_to expanded (Yen's work) */
	/* Undirected, and no filter on relations: every relation but a
	 * self-relation is a hop, which hop_ok says without a call. */
	bool plain;
	KG_VEC(hop) hops;   /* scratch for kg__hops_of */
} ctx;

/* Prepare the filter's tables (and with weight, read every relation's
 * weight, reporting a bad one in diags). O(types + avoided entities), with
 * a weight O(E). 0, KG_ENOMEM or KG_EINVALID; free with kg__ctx_free
 * either way. */
int kg__ctx_init(ctx *c, const kg_graph *g, const kg_filter *f, const char *weight, kg_diag_list *diags);
void kg__ctx_free(ctx *c);

/* qsort/bsearch order of uint32_t; inline, so that glibc's inline
 * bsearch in inner_ok can inline it too. */
static inline int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
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
size_t kg__hops_of(ctx *c, uint32_t u, int reverse);

/* May a search step over relation r, as written when fwd? The rules of
 * kg__hops_of, for loops that walk the adjacency arrays directly (hop_ok). */
bool kg__hop_ok_filtered(const ctx *c, uint32_t r, bool fwd);

/* Is relation r in force on the day as_of (its since and until)? */
static inline bool in_force(const kg_graph *g, kg_date as_of, uint32_t r)
{
	kg_date day = kg_date_first_day(as_of);
	kg_date since = kg_relation_since(g, r), until = kg_relation_until(g, r);
	kg_date date = kg_relation_date(g, r);

	/* An event (date:) has not happened before its first day: a meeting
	 * on 27 October is not yet part of the graph as of 20 October. Once
	 * it has happened it stays, as a fact about the past does. */
	if (date && day < kg_date_first_day(date))
		return false;
	if (since && day < kg_date_first_day(since))
		return false;
	return !(until && day >= kg_date_first_day(until));
}

/* May entity e be inside a path (not one of its ends)? */
static inline bool inner_ok(const ctx *c, uint32_t e)
{
	if (c->etype_ok && !c->etype_ok[kg_entity_type(c->g, e)])
		return false;
	return !(c->avoid && bsearch(&e, c->avoid, c->navoid, sizeof e, cmp_u32));
}

/* Does the filter admit relation r: its type, its dates? */
static inline bool admitted(const ctx *c, uint32_t r)
{
	if (c->rtype_ok && !c->rtype_ok[kg_relation_type(c->g, r)])
		return false;
	return !c->f->as_of || in_force(c->g, c->f->as_of, r);
}

static inline bool usable(const ctx *c, uint32_t rel)
{
	return admitted(c, rel) && !(c->rel_gone && c->rel_gone[rel]);
}

/* May a search enter entity e on its way to target? The target itself
 * always may; others must be allowed as inner entities. */
static inline bool enterable(const ctx *c, uint32_t e, uint32_t target)
{
	if (e == target)
		return !(c->ent_gone && c->ent_gone[e]);
	return inner_ok(c, e) && !(c->ent_gone && c->ent_gone[e]);
}

static inline bool hop_ok(const ctx *c, uint32_t u, uint32_t r, uint32_t other, bool fwd)
{
	return other != u && (c->plain || kg__hop_ok_filtered(c, r, fwd));
}

/* Both adjacency lists of an entity, fetched once per entity. */
typedef struct adj {
	const kg__relation *rel; /* the graph's relation records */
	const uint32_t *out, *in;
	size_t nout, nin;
} adj;

static inline void adj_of(const ctx *c, uint32_t u, adj *a)
{
	a->rel = c->g->relations.v;
	a->out = kg_graph_out(c->g, u, &a->nout);
	a->in = kg_graph_in(c->g, u, &a->nin);
}

/* How many relations ahead adj_at asks for a record: each is a cache
 * miss in a large graph (the adjacency holds no other ends), and a walk
 * does little else, so several are kept in flight. */
#define ADJ_AHEAD 6

/* The i-th (below nout + nin) of the relations in a, outgoing ones first,
 * for a walk that needs no order: the relation into *r and the entity at
 * its other end into *v; true when it is outgoing. The records are read
 * directly: kg_graph_out and kg_graph_in give only lists whose relations
 * were checked, even in a snapshot read lazily (core/graph.c). */
static inline bool adj_at(const adj *a, size_t i, uint32_t *r, uint32_t *v)
{
#if defined(__GNUC__)
	size_t ahead = i + ADJ_AHEAD;
	if (ahead < a->nout)
		__builtin_prefetch(&a->rel[a->out[ahead]]);
	else if (ahead < a->nout + a->nin)
		__builtin_prefetch(&a->rel[a->in[ahead - a->nout]]);
#endif
	if (i < a->nout) {
		*r = a->out[i];
		*v = a->rel[*r].to;
		return true;
	}
	*r = a->in[i - a->nout];
	*v = a->rel[*r].from;
	return false;
}

static inline double hop_weight(const ctx *c, uint32_t rel)
{
	return c->weight ? c->weight[rel] : 1.0;
}

/* For a search backwards from target: may v be on a path as its start
 * (v == start: any entity not removed) or as an inner entity? */
static inline bool may_start_or_enter(const ctx *c, uint32_t v, uint32_t start, uint32_t target)
{
	if (v == start)
		return !(c->ent_gone && c->ent_gone[v]);
	return v != target && enterable(c, v, target);
}

/* Ties are exact. A tolerance made 1e12 and 499999999900 +
 * 499999999900 "equal" and returned the heavier path; sums are rounded
 * as NetworkX rounds them (IEEE doubles, added along the path), and
 * docs/queries.md says what that means for decimals such as 0.1 + 0.2. */
static inline bool same_weight(double a, double b)
{
	return a == b;
}

/* ---- searches ------------------------------------------------------ */

/* dist[] value of an entity the target cannot be reached from. */
#define UNSEEN (-1.0)

/* A depth-first enumeration of paths from `from` to `to`: dfs in
 * shortest.c (over a distance array), dfs_all in allpaths.c (over the
 * target's ball in a search map). */
typedef struct walk {
	ctx *c;
	kg_paths *out;
	uint32_t from, to;
	const double *dist; /* to `to` */
	size_t limit;       /* stop after this many paths in out->count (then one more to see truncation) */
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

/* What every walk starts with. */
static inline void walk_setup(walk *w, ctx *c, kg_paths *out, uint32_t from, uint32_t to, size_t limit)
{
	memset(w, 0, sizeof *w);
	w->c = c;
	w->out = out;
	w->from = from;
	w->to = to;
	w->limit = limit;
}

/* Record the current path w->cur as a result, or note that the limit is
 * reached (w->full, truncated). 0 or KG_ENOMEM. (allpaths.c) */
int kg__walk_emit(walk *w);

/* dist[v] = the least weight (or hops) from v to target, for every v,
 * through entities a path from start may contain; UNSEEN where the
 * target cannot be reached. O(V + E), with weights O((V + E) log V).
 * (shortest.c) */
int kg__distances_to(ctx *c, uint32_t target, uint32_t start, double *dist);

/* All shortest (lightest) paths from -> to, in relation order, at most
 * limit of them (a truncated set when there are more). (shortest.c) */
int kg__all_shortest(ctx *c, kg_paths *out, uint32_t from, uint32_t to, unsigned max_hops, size_t limit);

/* kg__all_shortest without weights, by enumeration over the target's
 * ball. (allpaths.c) */
int kg__all_shortest_hops(ctx *c, kg_paths *out, uint32_t from, uint32_t to, unsigned max_hops, size_t limit);

/* One shortest path without weights, the first in relation order, by a
 * breadth-first search from both ends. (shortest.c) */
int kg__shortest_bidirectional(ctx *c, kg_paths *out, uint32_t from, uint32_t to, unsigned max_hops);

/* Every simple path of at most max_hops relations, by length, then in
 * relation order. (allpaths.c) */
int kg__all_paths(ctx *c, kg_paths *out, uint32_t from, uint32_t to, unsigned max_hops, size_t limit);

/* The k shortest paths (Yen's algorithm), each handed to kg__paths_add
 * as soon as it is final. Sets up c->rel_gone and c->ent_gone. (yen.c) */
int kg__k_shortest(ctx *c, kg_paths *out, uint32_t from, uint32_t to, unsigned max_hops, size_t k);

#endif
