/*
 * db_weight.c - lightest paths (path --weight --db) read from the
 * database: a bidirectional Dijkstra that fetches a batch of entities'
 * relations per round trip, and the check of every weight that
 * kg_query_paths makes on a loaded graph, done in the server.
 *
 * Pipeline position: database -> partial graph (db_build.c) -> query, as
 * the breadth-first searches of db_search.c; kg_db_fetch_paths calls in
 * here when it is given a weight.
 */
#include "db/db_internal.h"
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	kg__dbsearch *s;
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

static void wsearch_free(wsearch *ws)
{
	KG_VEC_FREE(ws->nodes);
	KG_VEC_FREE(ws->hops);
	KG_VEC_FREE(ws->heap[0]);
	KG_VEC_FREE(ws->heap[1]);
	kg__omap_free(&ws->at);
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
	kg__ords batch = {0};
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
		rc = kg__dbs_fetch(ws->s, &batch, &rels, &n, diags);
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
	const kg__dbsearch *s = ws->s;
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
		if (hp.y != s->from && hp.y != s->to && !kg__dbs_inner_ok(s, hp.y))
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
int kg__dbs_lightest(kg_graph **out, kg__dbsearch *s, const char *weight, kg_diag_list *diags)
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
	wsearch_free(&ws);
	return rc;
}

/* ---- the k lightest paths: a ball grown by weight ---------------------- */

/*
 * -k N with a weight (Yen's algorithm in memory) reads the ball around
 * the start grown by weight: Dijkstra from the start alone, fetching a
 * batch of entities' relations per round trip as above, the target
 * reached but never expanded (no path passes through it). When R is the
 * smallest weight still queued, every entity a path may pass through at
 * a weight below R from the start has its relations in the partial graph
 * H. So (weights being >= 0) every path of G lighter than R lies in H,
 * and every path of G that is not in H weighs R or more: it leaves an
 * entity that was not expanded, which is at R or beyond, and is not the
 * target. The answer (paths by weight, then by their relation indexes,
 * cut at k) is then the same on H as on G as soon as H has k paths and
 * the k-th weighs less than R (with the margin of 1e-9 used above),
 * or when the queue is empty (H has everything the start reaches).
 *
 * The query runs on H after 1, 2, 4, ... batches, and whenever R has
 * passed the k-th weight found last: H only grows, so the k-th weight
 * can only fall, and that test succeeds.
 */
int kg__dbs_k_lightest(kg_graph **out, kg__dbsearch *s, const kg_graph *frame, uint32_t from, uint32_t to,
                       const kg_path_options *opts, kg_diag_list *diags)
{
	wsearch ws;
	double mu = HUGE_VAL, kth = HUGE_VAL;
	kg_graph *h = NULL;
	size_t i, batches = 0, next_test = 1;
	bool bad;
	int rc;

	*out = NULL;
	memset(&ws, 0, sizeof ws);
	ws.s = s;
	kg__dbg_weigh(s->b, opts->weight);
	if ((rc = wcheck(&ws, opts->weight, &bad, diags)) != KG_OK || bad || s->from == s->to)
		goto done;
	if ((i = wnode_of(&ws, s->from)) == (size_t)-1 || wheap_push(&ws.heap[0], 0, i)) {
		rc = KG_ENOMEM;
		goto done;
	}
	ws.nodes.v[i].d[0] = 0;
	for (;;) {
		double r;
		while (ws.heap[0].n && !wentry_live(&ws, &ws.heap[0].v[0], 0))
			wheap_pop(&ws.heap[0]);
		if (!ws.heap[0].n)
			break;
		r = ws.heap[0].v[0].d;
		if (batches >= next_test || (kth < HUGE_VAL && kth + kth * 1e-9 < r)) {
			kg_paths *res = NULL;
			size_t n;
			next_test = 2 * batches + 1;
			if ((rc = kg__dbg_finish(s->b, &h, diags)) != KG_OK ||
			    (rc = kg__dbs_paths_on(&res, h, frame, from, to, opts, NULL)) != KG_OK)
				goto done;
			n = kg_paths_count(res);
			kth = n >= opts->k ? kg_paths_get(res, n - 1).weight : HUGE_VAL;
			kg_paths_free(res);
			kg_graph_free(h);
			h = NULL;
			if (kth < HUGE_VAL && kth + kth * 1e-9 < r)
				break;
		}
		i = ws.heap[0].v[0].node;
		if (!ws.nodes.v[i].fetched) {
			if ((rc = wfetch(&ws, 0, r, diags)) != KG_OK)
				goto done;
			batches++;
		}
		wheap_pop(&ws.heap[0]);
		if ((rc = wsettle(&ws, i, 0, &mu)) != KG_OK)
			goto done;
	}
done:
	kg_graph_free(h);
	/* An error of the query on H (KG_EINVALID, ...) is the caller's to
	 * report, by asking again on the result. */
	if (rc == KG_OK || (rc != KG_ENOMEM && rc != KG_EIO))
		rc = kg__dbg_finish(s->b, out, diags);
	wsearch_free(&ws);
	return rc;
}
