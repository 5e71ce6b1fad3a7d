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
 * bidirectional Dijkstra in db_weight.c, with its own argument.
 */
#include "db/db_internal.h"
#include "util/fold.h"
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef kg__dbsearch search;

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

typedef kg__ords ords;

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
bool kg__dbs_inner_ok(const search *s, uint32_t ord)
{
	if (s->f->nthrough_types && s->f->through_types &&
	    !kg__in_list(s->f->through_types, s->f->nthrough_types, kg__dbg_entity_type(s->b, ord)))
		return false;
	return !in_ords(s->avoid, s->navoid, ord);
}

/* Fetch the relations of the entities in front, as the filter admits
 * them. */
int kg__dbs_fetch(search *s, const ords *front, kg__dbrel **rels, size_t *n, kg_diag_list *diags)
{
	return kg__dbg_relations(s->b, front->v, front->n, s->f->nrel_types ? s->f->rel_types : NULL,
	                         s->f->rel_types ? s->f->nrel_types : 0,
	                         s->f->exclude_rel_types ? s->f->exclude_rel_types : NULL,
	                         s->f->exclude_rel_types ? s->f->nexclude_rel_types : 0, s->f->as_of, rels, n, diags);
}

/* Search with filter f from now on: its avoided entities (the frame's,
 * fetched already) as ords. */
static int use_filter(search *s, const kg_graph *frame, const kg_filter *f)
{
	size_t i;

	kg__free(s->avoid);
	s->f = f;
	s->navoid = 0;
	if (!(s->avoid = kg__malloc((f->navoid + 1) * sizeof *s->avoid)))
		return KG_ENOMEM;
	for (i = 0; f->avoid && i < f->navoid; i++)
		s->avoid[s->navoid++] = kg__dbg_ord_of(s->b, kg_entity_id(frame, f->avoid[i]));
	return KG_OK;
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
	if (!ids) {
		kg__free(ids);
		return KG_ENOMEM;
	}
	for (i = 0; i < n; i++)
		ids[i] = kg_entity_id(frame, (uint32_t)i);
	rc = n ? kg__dbg_names(s->b, ids, n, false, diags) : KG_OK;
	kg__free(ids);
	return rc == KG_OK ? use_filter(s, frame, f) : rc;
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
	int k, rc = kg__dbs_fetch(s, front, &rels, &n, diags);

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
			if (y != s->from && y != s->to && !kg__dbs_inner_ok(s, y))
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
 * One level of a search from s->from: follow the relations (rels, n) of
 * front that go in direction dir, and put into next the entities they reach first
 * (avoided ones are never reached). Of those, next keeps the ones the
 * following level expands: those a path or a neighbourhood may pass
 * through, never s->to.
 */
static int grow_with(search *s, dists *d, const ords *front, kg_direction dir, const kg__dbrel *rels, size_t n,
                     ords *next)
{
	kg__omap set = {0};
	size_t i, k;
	int rc = front_set(&set, front);

	next->n = 0;
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
		if (next->v[i] != s->to && kg__dbs_inner_ok(s, next->v[i]))
			next->v[k++] = next->v[i];
	if (rc == KG_OK)
		next->n = k;
	kg__omap_free(&set);
	return rc;
}

/* grow_with on the relations of front, fetched in one statement. */
static int grow(search *s, dists *d, const ords *front, kg_direction dir, ords *next, kg_diag_list *diags)
{
	kg__dbrel *rels = NULL;
	size_t n = 0;
	int rc = kg__dbs_fetch(s, front, &rels, &n, diags);

	if (rc == KG_OK)
		rc = grow_with(s, d, front, dir, rels, n, next);
	kg__free(rels);
	return rc;
}

/* What kg_db_fetch_path reads from s->from to s->to, fetched into s->b. */
static int shortest_part(search *s, unsigned max_hops, kg_diag_list *diags)
{
	dists d;
	ords sf = {0}, tf = {0}, next = {0};
	int32_t ls = 0, lt = 0;
	bool met = false;
	dist *x;
	int rc = KG_OK;

	memset(&d, 0, sizeof d);
	if (!(x = dist_add(&d, s->from)) || (x->ds = 0, !(x = dist_add(&d, s->to))) || KG_VEC_PUSH(sf, s->from) ||
	    KG_VEC_PUSH(tf, s->to)) {
		rc = KG_ENOMEM;
		goto done;
	}
	x->dt = 0;
	/* The loop of shortest_bidirectional in src/query/query.c: the
	 * smaller frontier grows, the s side on a tie. */
	while (rc == KG_OK && !met && s->from != s->to && sf.n && tf.n && !(max_hops && (unsigned)(ls + lt) >= max_hops)) {
		bool s_side = sf.n <= tf.n;
		ords *front = s_side ? &sf : &tf;
		next.n = 0;
		rc = level(s, &d, front, s_side, s_side ? ls : lt, &next, &met, diags);
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
done:
	dists_free(&d);
	KG_VEC_FREE(sf);
	KG_VEC_FREE(tf);
	KG_VEC_FREE(next);
	return rc;
}

int kg_db_fetch_path(kg_graph **out, kg_db *db, const char *graph, const kg_graph *frame, uint32_t from,
                     uint32_t to, const kg_filter *filter, unsigned max_hops, kg_diag_list *diags)
{
	search s;
	int rc;

	if (!out || !db || !graph || !frame || !filter || from >= kg_graph_entity_count(frame) ||
	    to >= kg_graph_entity_count(frame))
		return KG_EARG;
	*out = NULL;
	if ((rc = begin(&s, db, graph, frame, filter, diags)) == KG_OK) {
		s.from = kg__dbg_ord_of(s.b, kg_entity_id(frame, from));
		s.to = kg__dbg_ord_of(s.b, kg_entity_id(frame, to));
		if ((rc = shortest_part(&s, max_hops, diags)) == KG_OK)
			rc = kg__dbg_finish(s.b, out, diags);
	}
	end(&s);
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
	if (rc == KG_OK && (rc = kg__dbs_fetch(&s, &one, &rels, &n, diags)) == KG_OK)
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

int kg__dbs_paths_on(kg_paths **res, const kg_graph *h, const kg_graph *frame, uint32_t from, uint32_t to,
                     const kg_path_options *opts, kg_diag_list *diags)
{
	kg_path_options o = *opts;
	uint32_t *avoid = NULL;
	size_t i;
	int rc;

	*res = NULL;
	if (opts->filter.navoid && !(avoid = kg__malloc(opts->filter.navoid * sizeof *avoid)))
		return KG_ENOMEM;
	for (i = 0; i < opts->filter.navoid; i++)
		avoid[i] = kg_graph_find_entity(h, kg_entity_id(frame, opts->filter.avoid[i]));
	o.filter.avoid = avoid;
	o.on_path = NULL;
	o.on_path_data = NULL;
	rc = kg_query_paths(res, h, kg_graph_find_entity(h, kg_entity_id(frame, from)),
	                    kg_graph_find_entity(h, kg_entity_id(frame, to)), &o, diags);
	kg__free(avoid);
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
	kg_paths *res = NULL;
	size_t n;
	int rc;

	*done = opts->max_hops && r >= opts->max_hops;
	if (*done || opts->mode == KG_PATHS_ALL)
		return KG_OK;
	rc = kg__dbs_paths_on(&res, h, frame, from, to, opts, diags);
	if (rc == KG_OK && (n = kg_paths_count(res)) > 0) {
		/* All shortest: the first path is as short as any; k shortest:
		 * the k-th is the longest that counts. */
		if (opts->mode == KG_PATHS_ALL_SHORTEST || n >= opts->k)
			*done = kg_paths_get(res, n - 1).nsteps <= r;
	}
	kg_paths_free(res);
	return rc;
}

/* Options kg_db_fetch_paths takes. */
static bool paths_opts_ok(const kg_path_options *opts)
{
	return KG__OPTIONS_VERSION_OK(opts->version, KG_PATH_OPTIONS_VERSION) && opts->version >= KG_PATH_OPTIONS_VERSION &&
	       !opts->time_respecting && !opts->timed_only && !opts->from_date && !opts->earliest &&
	       opts->mode <= KG_PATHS_ALL && !(opts->weight && opts->mode == KG_PATHS_ALL);
}

/* What kg_db_fetch_paths reads from s->from to s->to (from and to in the
 * frame), fetched into s->b; *h the graph it makes, on which the answer
 * is the whole graph's. */
static int paths_part(kg_graph **h, search *s, const kg_graph *frame, uint32_t from, uint32_t to,
                      const kg_path_options *opts, kg_diag_list *diags)
{
	dists d;
	ords front = {0}, next = {0};
	unsigned r;
	bool done = false;
	int rc = KG_OK;

	*h = NULL;
	/* kg_query_paths refuses a weight with max_hops: the frame alone lets
	 * it say so, as on the files. */
	if (opts->weight && opts->max_hops)
		return kg__dbg_finish(s->b, h, diags);
	if (opts->weight && opts->mode == KG_PATHS_K_SHORTEST)
		return kg__dbs_k_lightest(h, s, frame, from, to, opts, diags);
	if (opts->weight)
		return kg__dbs_lightest(h, s, opts->weight, diags);
	memset(&d, 0, sizeof d);
	if (!dist_add(&d, s->from) || KG_VEC_PUSH(front, s->from)) {
		rc = KG_ENOMEM;
		goto done;
	}
	/* front: the entities first reached at distance r that a path may
	 * pass through (the start; never the target). */
	for (r = 0; rc == KG_OK; r++) {
		if (r > 0 || s->from == s->to) {
			if ((rc = kg__dbg_finish(s->b, h, diags)) != KG_OK)
				break;
			if (!front.n || s->from == s->to)
				done = true;
			else
				rc = ball_suffices(&done, *h, frame, from, to, opts, r, diags);
			if (rc != KG_OK || done)
				break;
			kg_graph_free(*h);
			*h = NULL;
		}
		if ((rc = grow(s, &d, &front, opts->filter.directed ? KG_DIRECTION_OUT : KG_DIRECTION_BOTH, &next,
		               diags)) == KG_OK) {
			ords t = front;
			front = next;
			next = t;
		}
	}
done:
	if (rc != KG_OK) {
		kg_graph_free(*h);
		*h = NULL;
	}
	dists_free(&d);
	KG_VEC_FREE(front);
	KG_VEC_FREE(next);
	return rc;
}

int kg_db_fetch_paths(kg_graph **out, kg_db *db, const char *graph, const kg_graph *frame, uint32_t from,
                      uint32_t to, const kg_path_options *opts, kg_diag_list *diags)
{
	search s;
	int rc;

	if (!out || !db || !graph || !frame || !opts || from >= kg_graph_entity_count(frame) ||
	    to >= kg_graph_entity_count(frame))
		return KG_EARG;
	*out = NULL;
	if (!paths_opts_ok(opts))
		return KG_EARG;
	if ((rc = begin(&s, db, graph, frame, &opts->filter, diags)) == KG_OK) {
		s.from = kg__dbg_ord_of(s.b, kg_entity_id(frame, from));
		s.to = kg__dbg_ord_of(s.b, kg_entity_id(frame, to));
		rc = paths_part(out, &s, frame, from, to, opts, diags);
	}
	end(&s);
	return rc;
}

/* ---- what a drawing reads ---------------------------------------------- */

/*
 * The neighbourhoods of several entities, a level at a time for all of
 * them (one statement per level), each as kg_query_neighbors grows it;
 * every entity reached joins *reached.
 */
static int balls(search *s, const uint32_t *focus, size_t nfocus, const kg_neighbor_options *o, ords *reached,
                 kg_diag_list *diags)
{
	dists *d = kg__calloc(nfocus + 1, sizeof *d);
	ords *front = kg__calloc(nfocus + 1, sizeof *front), all = {0}, next = {0};
	unsigned depth = o->depth ? o->depth : 1, lv;
	kg__dbrel *rels = NULL;
	size_t i, j, n;
	int rc = d && front ? KG_OK : KG_ENOMEM;

	for (i = 0; rc == KG_OK && i < nfocus; i++)
		if (!dist_add(&d[i], focus[i]) || KG_VEC_PUSH(front[i], focus[i]))
			rc = KG_ENOMEM;
	for (lv = 0; rc == KG_OK && lv < depth; lv++) {
		for (i = 0, all.n = 0; rc == KG_OK && i < nfocus; i++)
			for (j = 0; j < front[i].n && rc == KG_OK; j++)
				if (KG_VEC_PUSH(all, front[i].v[j]))
					rc = KG_ENOMEM;
		if (rc != KG_OK || !all.n)
			break;
		if ((rc = kg__dbs_fetch(s, &all, &rels, &n, diags)) != KG_OK)
			break;
		for (i = 0; rc == KG_OK && i < nfocus; i++)
			if ((rc = grow_with(s, &d[i], &front[i], o->direction, rels, n, &next)) == KG_OK) {
				ords t = front[i];
				front[i] = next;
				next = t;
			}
		kg__free(rels);
		rels = NULL;
	}
	for (i = 0; rc == KG_OK && i < nfocus; i++)
		for (j = 0; j < d[i].v.n && rc == KG_OK; j++)
			if (KG_VEC_PUSH(*reached, d[i].v.v[j].ord))
				rc = KG_ENOMEM;
	for (i = 0; d && front && i < nfocus; i++) {
		dists_free(&d[i]);
		KG_VEC_FREE(front[i]);
	}
	kg__free(d);
	kg__free(front);
	KG_VEC_FREE(all);
	KG_VEC_FREE(next);
	return rc;
}

/* The entities of the paths from..to that opts finds on h join *on. A
 * query that fails (a bad weight) adds none: the caller's own query on
 * the result reports it. */
static int path_entities(search *s, const kg_graph *h, const kg_graph *frame, const uint32_t *ends,
                         const kg_path_options *opts, ords *on)
{
	kg_diag_list *quiet = kg_diag_list_new();
	kg_paths *res = NULL;
	size_t i, j;
	int rc;

	if (!quiet)
		return KG_ENOMEM;
	rc = kg__dbs_paths_on(&res, h, frame, ends[0], ends[1], opts, quiet);
	for (i = 0; rc == KG_OK && i < kg_paths_count(res); i++) {
		kg_path p = kg_paths_get(res, i);
		uint32_t e = p.from;
		for (j = 0; rc == KG_OK && j <= p.nsteps; j++) {
			if (KG_VEC_PUSH(*on, kg__dbg_ord_of(s->b, kg_entity_id(h, e))))
				rc = KG_ENOMEM;
			if (j < p.nsteps)
				e = kg_path_entity_after(h, &p, j);
		}
	}
	kg_paths_free(res);
	kg_diag_list_free(quiet);
	return rc == KG_ENOMEM ? rc : KG_OK;
}

int kg_db_fetch_drawing(kg_graph **out, kg_db *db, const char *graph, const kg_graph *frame, const uint32_t *focus,
                        size_t nfocus, const kg_neighbor_options *around, const uint32_t *ends,
                        const kg_path_options *paths, kg_diag_list *diags)
{
	kg_neighbor_options defaults = KG_NEIGHBOR_OPTIONS_INIT;
	kg_filter none = KG_FILTER_INIT;
	search s;
	ords drawn = {0}, fo = {0};
	kg_graph *h = NULL;
	size_t i, ne = frame ? kg_graph_entity_count(frame) : 0;
	int rc;

	if (!out || !db || !graph || !frame || (nfocus && !focus) || (ends && !paths))
		return KG_EARG;
	*out = NULL;
	if (!around)
		around = &defaults;
	if (!KG__OPTIONS_VERSION_OK(around->version, KG_NEIGHBOR_OPTIONS_VERSION) || (ends && !paths_opts_ok(paths)) ||
	    (ends && (ends[0] >= ne || ends[1] >= ne)))
		return KG_EARG;
	for (i = 0; i < nfocus; i++)
		if (focus[i] >= ne)
			return KG_EARG;
	if ((rc = begin(&s, db, graph, frame, ends ? &paths->filter : &none, diags)) != KG_OK)
		goto done;
	/* First the paths, as path --db reads them; with a focus, the
	 * entities on them are drawn among the neighbourhoods, so the
	 * relations between them and those are wanted too. */
	if (ends) {
		s.from = kg__dbg_ord_of(s.b, kg_entity_id(frame, ends[0]));
		s.to = kg__dbg_ord_of(s.b, kg_entity_id(frame, ends[1]));
		if (paths->mode == KG_PATHS_SHORTEST && !paths->weight) {
			if ((rc = shortest_part(&s, paths->max_hops, diags)) == KG_OK && nfocus)
				rc = kg__dbg_finish(s.b, &h, diags);
		} else {
			rc = paths_part(&h, &s, frame, ends[0], ends[1], paths, diags);
		}
		if (rc == KG_OK && nfocus)
			rc = path_entities(&s, h, frame, ends, paths, &drawn);
	}
	/* Then the neighbourhoods, and every relation the filter admits
	 * between two entities that may be drawn: those are drawn too. */
	if (rc == KG_OK && nfocus) {
		for (i = 0; i < nfocus && rc == KG_OK; i++)
			if (KG_VEC_PUSH(fo, kg__dbg_ord_of(s.b, kg_entity_id(frame, focus[i]))))
				rc = KG_ENOMEM;
		s.to = KG_NONE;
		if (rc == KG_OK && (rc = use_filter(&s, frame, &around->filter)) == KG_OK &&
		    (rc = balls(&s, fo.v, fo.n, around, &drawn, diags)) == KG_OK)
			rc = kg__dbg_relations_among(s.b, drawn.v, drawn.n, &around->filter, diags);
	}
	if (rc == KG_OK)
		rc = kg__dbg_finish(s.b, out, diags);
done:
	kg_graph_free(h);
	end(&s);
	KG_VEC_FREE(drawn);
	KG_VEC_FREE(fo);
	return rc;
}
