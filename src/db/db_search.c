/*
 * db_search.c - the searches run against the database: what a shortest
 * path or a neighbourhood reads, fetched one frontier per round trip.
 *
 * Pipeline position: database -> partial graph (db_build.c) -> query.
 * These searches do not compute the answer themselves: they decide which
 * entities the in-memory search of src/query would expand, fetch exactly
 * their relations (and the records at the other ends), and hand over a
 * partial graph on which that search, with its tie-breaking, runs
 * unchanged. That keeps one definition of every answer.
 *
 * Why the partial graph suffices: the in-memory searches are breadth
 * first, and which entities they expand depends only on sets (the
 * entities at each distance, the sizes of the two frontiers), not on the
 * order relations are read in. Mirroring those sets here with the same
 * rules (direction, symmetric types, self-relations, --through,
 * --avoid; relation types and --as-of are applied by the SQL), every
 * entity the in-memory search expands has all its admitted relations in
 * the partial graph, and their relative order (ord) is the pushed one.
 * Lightest paths (--weight) are the exception to "breadth first": a
 * bidirectional Dijkstra at the end of this file, with its own argument.
 */
#include "db/db_internal.h"
#include "util/fold.h"
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Per search: the graph being fetched and the filter in pushed ords. */
typedef struct search {
	kg__dbg *b;
	kg_db *db;
	char gid[24];
	const kg_filter *f;
	uint32_t *avoid; /* ords */
	size_t navoid;
	uint32_t from, to; /* ords; to is KG_NONE for a neighbourhood */
} search;

/* Distances known to a search, by ord: a list, and a map from ord to
 * its place in the list. */
typedef struct dist {
	uint32_t ord;
	int32_t ds, dt;
} dist;

typedef struct dists {
	KG_VEC(dist) v;
	kg__omap at;
} dists;

typedef KG_VEC(uint32_t) ords;

static dist *dist_get(const dists *d, uint32_t ord)
{
	const uint64_t *i = kg__omap_get(&d->at, ord);

	return i ? &d->v.v[*i] : NULL;
}

static dist *dist_add(dists *d, uint32_t ord)
{
	dist *x = dist_get(d, ord), nd = {ord, -1, -1};

	if (x)
		return x;
	if (KG_VEC_PUSH(d->v, nd) || kg__omap_put(&d->at, ord, d->v.n - 1) < 0)
		return NULL;
	return &d->v.v[d->v.n - 1];
}

static void dists_free(dists *d)
{
	KG_VEC_FREE(d->v);
	kg__omap_free(&d->at);
}

/* The entities of front as a set. */
static int front_set(kg__omap *set, const ords *front)
{
	size_t i;

	kg__omap_free(set);
	for (i = 0; i < front->n; i++)
		if (kg__omap_put(set, front->v[i], 0) < 0)
			return KG_ENOMEM;
	return KG_OK;
}

static bool in_ords(const uint32_t *v, size_t n, uint32_t x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

/* May entity ord be inside a path (or be passed through)? */
static bool inner_ok(const search *s, uint32_t ord)
{
	if (s->f->nthrough_types && s->f->through_types &&
	    !kg__in_list(s->f->through_types, s->f->nthrough_types, kg__dbg_entity_type(s->b, ord)))
		return false;
	return !in_ords(s->avoid, s->navoid, ord);
}

/* Fetch the relations of the entities in front, as the filter admits
 * them. */
static int fetch(search *s, const ords *front, kg__dbrel **rels, size_t *n, kg_diag_list *diags)
{
	return kg__dbg_relations(s->b, front->v, front->n, s->f->nrel_types ? s->f->rel_types : NULL,
	                         s->f->rel_types ? s->f->nrel_types : 0,
	                         s->f->exclude_rel_types ? s->f->exclude_rel_types : NULL,
	                         s->f->exclude_rel_types ? s->f->nexclude_rel_types : 0, s->f->as_of, rels, n, diags);
}

/* Open the graph and fetch the frame's entities (so that names resolve
 * on the result as on the frame), and the ords of the avoided ones. */
static int begin(search *s, kg_db *db, const char *graph, const kg_graph *frame, const kg_filter *f,
                 kg_diag_list *diags)
{
	const char **ids = NULL;
	size_t i, n = kg_graph_entity_count(frame);
	int rc;

	memset(s, 0, sizeof *s);
	s->f = f;
	s->db = db;
	if ((rc = kg__db_graph_id(db, diags, graph, s->gid)) != KG_OK ||
	    (rc = kg__dbg_new(&s->b, db, s->gid, diags)) != KG_OK)
		return rc;
	ids = kg__malloc((n + 1) * sizeof *ids);
	s->avoid = kg__malloc((f->navoid + 1) * sizeof *s->avoid);
	if (!ids || !s->avoid) {
		kg__free(ids);
		return KG_ENOMEM;
	}
	for (i = 0; i < n; i++)
		ids[i] = kg_entity_id(frame, (uint32_t)i);
	rc = n ? kg__dbg_names(s->b, ids, n, false, diags) : KG_OK;
	kg__free(ids);
	for (i = 0; rc == KG_OK && f->avoid && i < f->navoid; i++)
		s->avoid[s->navoid++] = kg__dbg_ord_of(s->b, kg_entity_id(frame, f->avoid[i]));
	return rc;
}

static void end(search *s)
{
	kg__dbg_free(s->b);
	kg__free(s->avoid);
}

/* The k-th way (k = 0: from its from, 1: from its to) a search can
 * step over relation r out of the frontier `set`: the frontier entity
 * into *w, the other end into *y, whether r leaves w into *leaves. False
 * when that end is not in the frontier, or r is a self-relation, which
 * no search follows. */
static bool step_of(const kg__dbrel *r, int k, const kg__omap *set, uint32_t *w, uint32_t *y, bool *leaves)
{
	*leaves = k == 0;
	*w = *leaves ? r->from : r->to;
	*y = *leaves ? r->to : r->from;
	return r->from != r->to && kg__omap_get(set, *w);
}

/*
 * One level of the bidirectional search: expand front (the s side when
 * s_side, else the t side) and put the entities it reaches first into
 * next. *met when it reaches the other side: the search ends there, as
 * the in-memory one does somewhere in the same level.
 */
static int level(search *s, dists *d, const ords *front, bool s_side, int32_t lv, ords *next, bool *met,
                 kg_diag_list *diags)
{
	kg__dbrel *rels = NULL;
	kg__omap set = {0};
	size_t n = 0, i;
	int k, rc = fetch(s, front, &rels, &n, diags);

	if (rc == KG_OK)
		rc = front_set(&set, front);
	for (i = 0; rc == KG_OK && i < n && !*met; i++) {
		for (k = 0; k < 2 && !*met; k++) {
			uint32_t w, y;
			bool leaves, forward;
			dist *x;
			if (!step_of(&rels[i], k, &set, &w, &y, &leaves))
				continue;
			/* Leaving w as written on the s side; on the t side the path
			 * steps y -> w, as written when the relation enters w. */
			forward = s_side ? leaves : !leaves;
			if (s->f->directed && !forward && !kg__dbg_symmetric(s->b, rels[i].type))
				continue;
			if (y != s->from && y != s->to && !inner_ok(s, y))
				continue;
			if (!(x = dist_add(d, y))) {
				rc = KG_ENOMEM;
				break;
			}
			if (s_side ? x->dt >= 0 : x->ds >= 0) {
				*met = true;
			} else if ((s_side ? x->ds : x->dt) < 0) {
				if (s_side)
					x->ds = lv + 1;
				else
					x->dt = lv + 1;
				if (KG_VEC_PUSH(*next, y))
					rc = KG_ENOMEM;
			}
		}
	}
	kg__free(rels);
	kg__omap_free(&set);
	return rc;
}

/*
 * One level of a search from s->from: follow the relations of front that
 * go in direction dir, and put into next the entities they reach first
 * (avoided ones are never reached). Of those, next keeps the ones the
 * following level expands: those a path or a neighbourhood may pass
 * through, never s->to.
 */
static int grow(search *s, dists *d, const ords *front, kg_direction dir, ords *next, kg_diag_list *diags)
{
	kg__dbrel *rels = NULL;
	kg__omap set = {0};
	size_t n = 0, i, k;
	int rc = fetch(s, front, &rels, &n, diags);

	next->n = 0;
	if (rc == KG_OK)
		rc = front_set(&set, front);
	for (i = 0; rc == KG_OK && i < n; i++) {
		for (k = 0; k < 2 && rc == KG_OK; k++) {
			uint32_t w, y;
			bool leaves;
			if (!step_of(&rels[i], (int)k, &set, &w, &y, &leaves))
				continue;
			if (dir != KG_DIRECTION_BOTH && leaves != (dir == KG_DIRECTION_OUT) &&
			    !kg__dbg_symmetric(s->b, rels[i].type))
				continue;
			if (dist_get(d, y) || in_ords(s->avoid, s->navoid, y))
				continue;
			if (!dist_add(d, y) || KG_VEC_PUSH(*next, y))
				rc = KG_ENOMEM;
		}
	}
	for (i = k = 0; rc == KG_OK && i < next->n; i++)
		if (next->v[i] != s->to && inner_ok(s, next->v[i]))
			next->v[k++] = next->v[i];
	if (rc == KG_OK)
		next->n = k;
	kg__free(rels);
	kg__omap_free(&set);
	return rc;
}

int kg_db_fetch_path(kg_graph **out, kg_db *db, const char *graph, const kg_graph *frame, uint32_t from,
                     uint32_t to, const kg_filter *filter, unsigned max_hops, kg_diag_list *diags)
{
	search s;
	dists d;
	ords sf = {0}, tf = {0}, next = {0};
	int32_t ls = 0, lt = 0;
	bool met = false;
	dist *x;
	int rc;

	if (!out || !db || !graph || !frame || !filter || from >= kg_graph_entity_count(frame) ||
	    to >= kg_graph_entity_count(frame))
		return KG_EARG;
	*out = NULL;
	memset(&d, 0, sizeof d);
	if ((rc = begin(&s, db, graph, frame, filter, diags)) != KG_OK)
		goto done;
	s.from = kg__dbg_ord_of(s.b, kg_entity_id(frame, from));
	s.to = kg__dbg_ord_of(s.b, kg_entity_id(frame, to));
	if (!(x = dist_add(&d, s.from)) || (x->ds = 0, !(x = dist_add(&d, s.to))) || KG_VEC_PUSH(sf, s.from) ||
	    KG_VEC_PUSH(tf, s.to)) {
		rc = KG_ENOMEM;
		goto done;
	}
	x->dt = 0;
	/* The loop of shortest_bidirectional in src/query/query.c: the
	 * smaller frontier grows, the s side on a tie. */
	while (rc == KG_OK && !met && s.from != s.to && sf.n && tf.n && !(max_hops && (unsigned)(ls + lt) >= max_hops)) {
		bool s_side = sf.n <= tf.n;
		ords *front = s_side ? &sf : &tf;
		next.n = 0;
		rc = level(&s, &d, front, s_side, s_side ? ls : lt, &next, &met, diags);
		if (rc == KG_OK && !met) {
			ords t = *front;
			*front = next;
			next = t;
			if (s_side)
				ls++;
			else
				lt++;
		}
	}
	if (rc == KG_OK)
		rc = kg__dbg_finish(s.b, out, diags);
done:
	end(&s);
	dists_free(&d);
	KG_VEC_FREE(sf);
	KG_VEC_FREE(tf);
	KG_VEC_FREE(next);
	return rc;
}

int kg_db_fetch_neighbors(kg_graph **out, kg_db *db, const char *graph, const kg_graph *frame, uint32_t entity,
                          const kg_neighbor_options *opts, kg_diag_list *diags)
{
	kg_neighbor_options defaults = KG_NEIGHBOR_OPTIONS_INIT;
	search s;
	dists d;
	ords front = {0}, next = {0};
	unsigned depth, lv;
	int rc;

	memset(&d, 0, sizeof d);

	if (!out || !db || !graph || !frame || entity >= kg_graph_entity_count(frame))
		return KG_EARG;
	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (!KG__OPTIONS_VERSION_OK(opts->version, KG_NEIGHBOR_OPTIONS_VERSION))
		return KG_EARG;
	depth = opts->depth ? opts->depth : 1;
	if ((rc = begin(&s, db, graph, frame, &opts->filter, diags)) != KG_OK)
		goto done;
	s.from = kg__dbg_ord_of(s.b, kg_entity_id(frame, entity));
	s.to = KG_NONE;
	if (!dist_add(&d, s.from) || KG_VEC_PUSH(front, s.from)) {
		rc = KG_ENOMEM;
		goto done;
	}
	/* The loop of kg_query_neighbors, a level at a time: entities other
	 * than the start that --through rules out are reached but not
	 * expanded. */
	for (lv = 0; rc == KG_OK && lv < depth && front.n; lv++)
		if ((rc = grow(&s, &d, &front, opts->direction, &next, diags)) == KG_OK) {
			ords t = front;
			front = next;
			next = t;
		}
	if (rc == KG_OK)
		rc = kg__dbg_finish(s.b, out, diags);
done:
	end(&s);
	dists_free(&d);
	KG_VEC_FREE(front);
	KG_VEC_FREE(next);
	return rc;
}

int kg_db_fetch_names(kg_graph **out, kg_db *db, const char *graph, const char *const *names, size_t nnames,
                      kg_diag_list *diags)
{
	kg__dbg *b = NULL;
	char gid[24];
	int rc;

	if (!out || !db || !graph || (nnames && !names))
		return KG_EARG;
	*out = NULL;
	if ((rc = kg__db_graph_id(db, diags, graph, gid)) == KG_OK && (rc = kg__dbg_new(&b, db, gid, diags)) == KG_OK &&
	    (!nnames || (rc = kg__dbg_names(b, names, nnames, true, diags)) == KG_OK))
		rc = kg__dbg_finish(b, out, diags);
	kg__dbg_free(b);
	return rc;
}

int kg_db_fetch_entity(kg_graph **out, kg_db *db, const char *graph, const kg_graph *frame, uint32_t entity,
                       kg_diag_list *diags)
{
	kg_filter none = KG_FILTER_INIT;
	ords one = {0};
	search s;
	kg__dbrel *rels = NULL;
	size_t n;
	int rc;

	if (!out || !db || !graph || !frame || entity >= kg_graph_entity_count(frame))
		return KG_EARG;
	*out = NULL;
	if ((rc = begin(&s, db, graph, frame, &none, diags)) == KG_OK) {
		uint32_t ord = kg__dbg_ord_of(s.b, kg_entity_id(frame, entity));
		if (KG_VEC_PUSH(one, ord))
			rc = KG_ENOMEM;
	}
	if (rc == KG_OK && (rc = fetch(&s, &one, &rels, &n, diags)) == KG_OK)
		rc = kg__dbg_finish(s.b, out, diags);
	end(&s);
	kg__free(rels);
	KG_VEC_FREE(one);
	return rc;
}

int kg_db_fetch_list(kg_graph **out, kg_db *db, const char *graph, bool relations, const uint32_t *types,
                     size_t ntypes, const kg_filter *filter, kg_diag_list *diags)
{
	kg_filter none = KG_FILTER_INIT;
	kg__dbg *b = NULL;
	kg__dbrel *rels = NULL;
	char gid[24];
	size_t n;
	int rc;

	if (!out || !db || !graph || (ntypes && !types))
		return KG_EARG;
	*out = NULL;
	if (!filter)
		filter = &none;
	if ((rc = kg__db_graph_id(db, diags, graph, gid)) != KG_OK || (rc = kg__dbg_new(&b, db, gid, diags)) != KG_OK)
		goto done;
	if (relations)
		rc = kg__dbg_relations(b, NULL, 0, filter->nrel_types ? filter->rel_types : NULL,
		                       filter->rel_types ? filter->nrel_types : 0, filter->exclude_rel_types,
		                       filter->exclude_rel_types ? filter->nexclude_rel_types : 0, filter->as_of, &rels, &n,
		                       diags);
	else
		rc = kg__dbg_entities_of_types(b, types, ntypes, diags);
	if (rc == KG_OK)
		rc = kg__dbg_finish(b, out, diags);
done:
	kg__dbg_free(b);
	kg__free(rels);
	return rc;
}

static int fetch_lightest(kg_graph **out, search *s, const char *weight, kg_diag_list *diags);

int kg_db_fetch_search(kg_graph **out, kg_db *db, const char *graph, const char *text,
                       const kg_search_options *opts, kg_diag_list *diags)
{
	kg_search_options defaults = KG_SEARCH_OPTIONS_INIT;
	kg__buf q = {0}, words = {0};
	kg__dbg *b = NULL;
	char gid[24];
	size_t nwords = 0;
	int rc;

	if (!out || !db || !graph || !text)
		return KG_EARG;
	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (!KG__OPTIONS_VERSION_OK(opts->version, KG_SEARCH_OPTIONS_VERSION))
		return KG_EARG;
	/* The words as kg_query_search takes them (none: it refuses the text). */
	if ((rc = kg__fold_search(&q, text, strlen(text))) == KG__FOLD_NOMEM ||
	    (rc == 0 && q.p && (nwords = kg__search_words(&words, q.p)) == (size_t)-1)) {
		rc = KG_ENOMEM;
		goto done;
	}
	if ((rc = kg__db_graph_id(db, diags, graph, gid)) != KG_OK || (rc = kg__dbg_new(&b, db, gid, diags)) != KG_OK)
		goto done;
	if (nwords)
		rc = kg__dbg_search(b, words.p, opts->attributes, opts->ntypes ? opts->types : NULL,
		                    opts->types ? opts->ntypes : 0, diags);
	if (rc == KG_OK)
		rc = kg__dbg_finish(b, out, diags);
done:
	kg__dbg_free(b);
	kg__buf_free(&q);
	kg__buf_free(&words);
	return rc;
}

/*
 * Is the query's answer on h, the ball of radius r around `from`, the
 * answer on the whole graph? (The argument is at kg_db_fetch_paths.)
 * *done when it is; KG_OK or an error of the query.
 */
static int ball_suffices(bool *done, const kg_graph *h, const kg_graph *frame, uint32_t from, uint32_t to,
                         const kg_path_options *opts, unsigned r, kg_diag_list *diags)
{
	kg_path_options o = *opts;
	uint32_t *avoid = NULL;
	kg_paths *res = NULL;
	size_t i, n;
	int rc;

	*done = opts->max_hops && r >= opts->max_hops;
	if (*done || opts->mode == KG_PATHS_ALL)
		return KG_OK;
	/* The filter's entities are the frame's: find them in h. */
	if (opts->filter.navoid && !(avoid = kg__malloc(opts->filter.navoid * sizeof *avoid)))
		return KG_ENOMEM;
	for (i = 0; i < opts->filter.navoid; i++)
		avoid[i] = kg_graph_find_entity(h, kg_entity_id(frame, opts->filter.avoid[i]));
	o.filter.avoid = avoid;
	o.on_path = NULL;
	o.on_path_data = NULL;
	rc = kg_query_paths(&res, h, kg_graph_find_entity(h, kg_entity_id(frame, from)),
	                    kg_graph_find_entity(h, kg_entity_id(frame, to)), &o, diags);
	if (rc == KG_OK && (n = kg_paths_count(res)) > 0) {
		/* All shortest: the first path is as short as any; k shortest:
		 * the k-th is the longest that counts. */
		if (opts->mode == KG_PATHS_ALL_SHORTEST || n >= opts->k)
			*done = kg_paths_get(res, n - 1).nsteps <= r;
	}
	kg_paths_free(res);
	kg__free(avoid);
	return rc;
}

int kg_db_fetch_paths(kg_graph **out, kg_db *db, const char *graph, const kg_graph *frame, uint32_t from,
                      uint32_t to, const kg_path_options *opts, kg_diag_list *diags)
{
	search s;
	dists d;
	ords front = {0}, next = {0};
	kg_graph *h = NULL;
	unsigned r;
	bool done = false;
	int rc;

	if (!out || !db || !graph || !frame || !opts || from >= kg_graph_entity_count(frame) ||
	    to >= kg_graph_entity_count(frame))
		return KG_EARG;
	*out = NULL;
	if (!KG__OPTIONS_VERSION_OK(opts->version, KG_PATH_OPTIONS_VERSION) || opts->version < KG_PATH_OPTIONS_VERSION ||
	    opts->time_respecting || opts->timed_only || opts->from_date || opts->earliest || opts->mode > KG_PATHS_ALL ||
	    (opts->weight && opts->mode > KG_PATHS_ALL_SHORTEST))
		return KG_EARG;
	memset(&d, 0, sizeof d);
	if ((rc = begin(&s, db, graph, frame, &opts->filter, diags)) != KG_OK)
		goto done;
	s.from = kg__dbg_ord_of(s.b, kg_entity_id(frame, from));
	s.to = kg__dbg_ord_of(s.b, kg_entity_id(frame, to));
	/* kg_query_paths refuses a weight with max_hops: the frame alone lets
	 * it say so, as on the files. */
	if (opts->weight) {
		rc = opts->max_hops ? kg__dbg_finish(s.b, &h, diags) : fetch_lightest(&h, &s, opts->weight, diags);
		goto done_h;
	}
	if (!dist_add(&d, s.from) || KG_VEC_PUSH(front, s.from)) {
		rc = KG_ENOMEM;
		goto done;
	}
	/* front: the entities first reached at distance r that a path may
	 * pass through (the start; never the target). */
	for (r = 0; rc == KG_OK; r++) {
		if (r > 0 || s.from == s.to) {
			if ((rc = kg__dbg_finish(s.b, &h, diags)) != KG_OK)
				break;
			if (!front.n || s.from == s.to)
				done = true;
			else
				rc = ball_suffices(&done, h, frame, from, to, opts, r, diags);
			if (rc != KG_OK || done)
				break;
			kg_graph_free(h);
			h = NULL;
		}
		if ((rc = grow(&s, &d, &front, opts->filter.directed ? KG_DIRECTION_OUT : KG_DIRECTION_BOTH, &next,
		               diags)) == KG_OK) {
			ords t = front;
			front = next;
			next = t;
		}
	}
done_h:
	if (rc == KG_OK) {
		*out = h;
		h = NULL;
	}
done:
	kg_graph_free(h);
	end(&s);
	dists_free(&d);
	KG_VEC_FREE(front);
	KG_VEC_FREE(next);
	return rc;
}

/* ---- lightest paths: Dijkstra from both ends, a batch per round trip --- */

/*
 * With --weight, kg_db_fetch_paths grows the two balls by weight instead
 * of by levels. Each side pops entities in order of their distance from
 * its end, as Dijkstra does, and the first time it pops an entity whose
 * relations are not here yet, it fetches them for every entity at that
 * same distance in its queue (one statement). The search stops when the
 * two smallest distances still queued, Rs and Rt, add up to more than
 * mu, the lightest way through a meeting point found so far (at least
 * the lightest path's weight D).
 *
 * Why the partial graph H then holds every lightest path of the graph
 * G: take one, and a relation u -> v on it, with a its weight up to u.
 * If a < Rs, u was popped on the s side (its distance is at most a),
 * so its relations are here. Otherwise the rest of the path after v
 * weighs at most D - a <= mu - Rs < Rt, so v was popped on the t side,
 * and its relations are here. H is part of G with the records in their
 * relative order, so the in-memory search, whose answer depends only on
 * the lightest paths and their relation indexes, answers the same on H.
 * When a queue runs empty, that side has everything its end can reach.
 * mu is compared with a margin of 1e-9 of itself, so that rounding in
 * sums taken in another order (the in-memory search adds from the
 * target) cannot leave out a path it counts as lightest.
 */
typedef struct whop {
	uint32_t y, type; /* the other end, the relation's type */
	double w;
	bool leaves; /* the relation leaves the entity it is listed under */
} whop;

typedef struct wnode {
	uint32_t ord;
	double d[2]; /* from the start (0), to the target (1); -1 = not reached */
	bool done[2], fetched;
	size_t hop, nhop; /* its relations, in wsearch.hops */
} wnode;

typedef struct wentry {
	double d;
	size_t node;
} wentry;

typedef KG_VEC(wentry) wheap;

typedef struct wsearch {
	search *s;
	KG_VEC(wnode) nodes;
	kg__omap at;
	KG_VEC(whop) hops;
	wheap heap[2];
	bool bad; /* a relation whose weight is not valid (H shows which) */
} wsearch;

static int wheap_push(wheap *h, double d, size_t node)
{
	wentry e = {d, node};
	size_t i;

	if (KG_VEC_PUSH(*h, e))
		return KG_ENOMEM;
	for (i = h->n - 1; i > 0 && h->v[(i - 1) / 2].d > d; i = (i - 1) / 2)
		h->v[i] = h->v[(i - 1) / 2];
	h->v[i] = e;
	return KG_OK;
}

static void wheap_pop(wheap *h)
{
	wentry last = h->v[--h->n];
	size_t i = 0, c;

	while ((c = 2 * i + 1) < h->n) {
		if (c + 1 < h->n && h->v[c + 1].d < h->v[c].d)
			c++;
		if (h->v[c].d >= last.d)
			break;
		h->v[i] = h->v[c];
		i = c;
	}
	if (h->n)
		h->v[i] = last;
}

/* Is heap entry e still what it says (not settled, not improved)? */
static bool wentry_live(const wsearch *ws, const wentry *e, int side)
{
	const wnode *x = &ws->nodes.v[e->node];

	return !x->done[side] && x->d[side] == e->d;
}

/* The index of ord's node, added when new; (size_t)-1 when out of memory. */
static size_t wnode_of(wsearch *ws, uint32_t ord)
{
	const uint64_t *i = kg__omap_get(&ws->at, ord);
	wnode x = {ord, {-1, -1}, {false, false}, false, 0, 0};

	if (i)
		return (size_t)*i;
	if (KG_VEC_PUSH(ws->nodes, x) || kg__omap_put(&ws->at, ord, ws->nodes.n - 1) < 0)
		return (size_t)-1;
	return ws->nodes.n - 1;
}

/* Fetch the relations of every entity queued on side at distance d (the
 * one on top among them) whose relations are not here yet, and list
 * them under each. */
static int wfetch(wsearch *ws, int side, double d, kg_diag_list *diags)
{
	const wheap *h = &ws->heap[side];
	ords batch = {0};
	kg__dbrel *rels = NULL;
	size_t i, j, n = 0;
	int rc = KG_OK;

	for (i = 0; i < h->n && rc == KG_OK; i++) {
		wnode *x = &ws->nodes.v[h->v[i].node];
		if (h->v[i].d == d && wentry_live(ws, &h->v[i], side) && !x->fetched) {
			x->fetched = true; /* also keeps a node queued twice out of the batch */
			if (KG_VEC_PUSH(batch, x->ord))
				rc = KG_ENOMEM;
		}
	}
	if (rc == KG_OK)
		rc = fetch(ws->s, &batch, &rels, &n, diags);
	/* Each entity's relations in a run of hops: the batch is small
	 * next to what it fetches, so one pass over the relations each. */
	for (i = 0; rc == KG_OK && i < batch.n; i++) {
		wnode *x = &ws->nodes.v[*kg__omap_get(&ws->at, batch.v[i])];
		x->hop = ws->hops.n;
		for (j = 0; j < n && rc == KG_OK; j++) {
			const kg__dbrel *r = &rels[j];
			whop hp;
			if (r->from == r->to || (r->from != x->ord && r->to != x->ord))
				continue;
			if (r->w < 0)
				ws->bad = true;
			hp.leaves = r->from == x->ord;
			hp.y = hp.leaves ? r->to : r->from;
			hp.type = r->type;
			hp.w = r->w;
			if (KG_VEC_PUSH(ws->hops, hp))
				rc = KG_ENOMEM;
		}
		x->nhop = ws->hops.n - x->hop;
	}
	kg__free(rels);
	KG_VEC_FREE(batch);
	return rc;
}

/* Settle node u on side and relax its relations; *mu takes the lightest
 * way through a meeting point. */
static int wsettle(wsearch *ws, size_t u, int side, double *mu)
{
	const search *s = ws->s;
	uint32_t end = side ? s->from : s->to;
	size_t k;

	ws->nodes.v[u].done[side] = true;
	/* The other side's end is where a path stops, not a way through. */
	if (ws->nodes.v[u].ord == end)
		return KG_OK;
	for (k = 0; k < ws->nodes.v[u].nhop; k++) {
		whop hp = ws->hops.v[ws->nodes.v[u].hop + k];
		bool forward = side ? !hp.leaves : hp.leaves;
		double nd = ws->nodes.v[u].d[side] + hp.w;
		size_t y;
		wnode *x;
		if (s->f->directed && !forward && !kg__dbg_symmetric(s->b, hp.type))
			continue;
		if (hp.y != s->from && hp.y != s->to && !inner_ok(s, hp.y))
			continue;
		if ((y = wnode_of(ws, hp.y)) == (size_t)-1)
			return KG_ENOMEM;
		x = &ws->nodes.v[y];
		if (!x->done[side] && (x->d[side] < 0 || nd < x->d[side])) {
			x->d[side] = nd;
			if (wheap_push(&ws->heap[side], nd, y))
				return KG_ENOMEM;
		}
		if (x->d[!side] >= 0 && nd + x->d[!side] < *mu)
			*mu = nd + x->d[!side];
	}
	return KG_OK;
}

/*
 * What kg_query_paths checks before a weighted search, made to come out
 * the same on H: a relation anywhere in G whose weight is not valid (the
 * first, by ord, is fetched; the search is then skipped, and the
 * in-memory search on H reports it), and for the CLI's warning about an
 * attribute no relation has: the first relation with the attribute, else
 * the first relation and the first entity with it.
 */
static int wcheck(wsearch *ws, const char *attr, bool *bad, kg_diag_list *diags)
{
	/* Values that are certainly valid numbers are left out in SQL; the
	 * rest are judged here, by kg_relation_weight_by's rule. */
	static const char odd[] =
		"SELECT ord, " W_TEXT("$2") " FROM kgraph.relations WHERE graph = $1 AND ord > $3::int AND "
		"CASE WHEN $2::text = 'weight' THEN weight > 1e15 ELSE attrs ? $2::text AND "
		"NOT coalesce(attrs ->> $2::text ~ '^[0-9]{1,15}([.][0-9]{1,15})?$', false) END ORDER BY ord LIMIT 1000";
	static const char firsts[] =
		"SELECT (SELECT ord FROM kgraph.relations WHERE graph = $1 AND CASE WHEN $2::text = 'weight' "
		"THEN weight IS NOT NULL ELSE attrs ? $2::text END ORDER BY ord LIMIT 1), "
		"(SELECT min(ord) FROM kgraph.relations WHERE graph = $1), "
		"(SELECT min(ord) FROM kgraph.entities WHERE graph = $1 AND attrs ? $2::text)";
	const char *params[3] = {ws->s->gid, attr, "-1"};
	char last[16];
	PGresult *res = NULL;
	uint32_t ord;
	int i, n, rc = KG_OK;

	*bad = false;
	do {
		PQclear(res);
		if (!(res = kg__db_exec(ws->s->db, diags, "cannot read weights", odd, 3, params)))
			return KG_EIO;
		n = PQntuples(res);
		for (i = 0; i < n && !*bad; i++)
			*bad = kg__dbg_weight_of(PQgetvalue(res, i, 1)) < 0;
		if (n) {
			snprintf(last, sizeof last, "%s", PQgetvalue(res, (*bad ? i : n) - 1, 0));
			params[2] = last;
		}
	} while (!*bad && n == 1000);
	PQclear(res);
	if (*bad) {
		ord = (uint32_t)strtoul(last, NULL, 10);
		return kg__dbg_relations_by_ord(ws->s->b, &ord, 1, diags);
	}
	if (!(res = kg__db_exec(ws->s->db, diags, "cannot read weights", firsts, 2, params)))
		return KG_EIO;
	for (i = 0; i < 2 && rc == KG_OK; i++)
		if (!PQgetisnull(res, 0, i)) {
			ord = (uint32_t)strtoul(PQgetvalue(res, 0, i), NULL, 10);
			rc = kg__dbg_relations_by_ord(ws->s->b, &ord, 1, diags);
			if (i == 0)
				break; /* a relation has it: no warning, nothing more to show */
		}
	if (rc == KG_OK && PQgetisnull(res, 0, 0) && !PQgetisnull(res, 0, 2)) {
		ord = (uint32_t)strtoul(PQgetvalue(res, 0, 2), NULL, 10);
		rc = kg__dbg_entities(ws->s->b, &ord, 1, diags);
	}
	PQclear(res);
	return rc;
}

/* The weighted search of kg_db_fetch_paths (SHORTEST, ALL_SHORTEST). */
static int fetch_lightest(kg_graph **out, search *s, const char *weight, kg_diag_list *diags)
{
	wsearch ws;
	double mu = HUGE_VAL;
	bool bad;
	size_t i;
	int side, rc;

	memset(&ws, 0, sizeof ws);
	ws.s = s;
	kg__dbg_weigh(s->b, weight);
	if ((rc = wcheck(&ws, weight, &bad, diags)) != KG_OK || bad || s->from == s->to)
		goto done;
	for (side = 0; side < 2; side++) {
		if ((i = wnode_of(&ws, side ? s->to : s->from)) == (size_t)-1 || wheap_push(&ws.heap[side], 0, i)) {
			rc = KG_ENOMEM;
			goto done;
		}
		ws.nodes.v[i].d[side] = 0;
	}
	while (rc == KG_OK && !ws.bad) {
		for (side = 0; side < 2; side++)
			while (ws.heap[side].n && !wentry_live(&ws, &ws.heap[side].v[0], side))
				wheap_pop(&ws.heap[side]);
		if (!ws.heap[0].n || !ws.heap[1].n || ws.heap[0].v[0].d + ws.heap[1].v[0].d > mu + mu * 1e-9)
			break;
		side = ws.heap[0].v[0].d <= ws.heap[1].v[0].d ? 0 : 1;
		i = ws.heap[side].v[0].node;
		if (!ws.nodes.v[i].fetched && (rc = wfetch(&ws, side, ws.heap[side].v[0].d, diags)) != KG_OK)
			break;
		wheap_pop(&ws.heap[side]);
		rc = wsettle(&ws, i, side, &mu);
	}
done:
	if (rc == KG_OK)
		rc = kg__dbg_finish(s->b, out, diags);
	KG_VEC_FREE(ws.nodes);
	KG_VEC_FREE(ws.hops);
	KG_VEC_FREE(ws.heap[0]);
	KG_VEC_FREE(ws.heap[1]);
	kg__omap_free(&ws.at);
	return rc;
}
