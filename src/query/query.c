/*
 * query.c - paths over the core graph interface: the results, and
 * kg_query_paths, which checks the options and picks the search.
 *
 * Pipeline position: graph -> query. Only kgraph/graph.h is used: the
 * adjacency arrays (kg_graph_out/in, each in relation order) and the
 * relation and entity accessors. Nothing in src/query knows YAML or
 * rendering. The searches are in their own files (query_internal.h lists
 * them); one shortest path without weights, the common case, is the
 * bidirectional search of shortest.c.
 *
 * A result holds every path's steps in one array and a record per path
 * (start, length, ends, weight), so a result of many paths is two
 * allocations.
 */
#include "query/query_internal.h"
#include "query/temporal.h"
#include "kgraph/limits.h"

#include <stddef.h>

/* ---- results ------------------------------------------------------- */

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

int kg__paths_add(kg_paths *p, uint32_t from, uint32_t to, const kg_step *a, size_t na, const kg_step *b,
                  size_t nb, double weight)
{
	pathrec r;
	size_t i;

	if (KG_VEC_RESERVE(p->steps, p->steps.n + na + nb))
		return KG_ENOMEM;
	p->count++;
	if (p->on_path) {
		/* steps is only scratch then: the path is contiguous for the call. */
		kg_path path;
		if (na)
			memcpy(p->steps.v, a, na * sizeof *a);
		if (nb)
			memcpy(p->steps.v + na, b, nb * sizeof *b);
		path.from = from;
		path.to = to;
		path.nsteps = na + nb;
		path.steps = path.nsteps ? p->steps.v : NULL;
		path.weight = weight;
		return p->on_path(&path, p->on_path_data);
	}
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

/* ---- the entry point ---------------------------------------------- */

/* The bidirectional search writes its path into the result's arrays
 * directly; hand it over from there when the caller takes paths one by
 * one. */
static int shortest_handed_over(ctx *c, kg_paths *res, uint32_t from, uint32_t to, unsigned max_hops)
{
	kg_path_fn fn = res->on_path;
	kg_path path;
	int rc;

	res->on_path = NULL;
	rc = kg__shortest_bidirectional(c, res, from, to, max_hops);
	res->on_path = fn;
	res->count = res->paths.n;
	if (rc != KG_OK || !fn || !res->paths.n)
		return rc;
	path = kg_paths_get(res, 0);
	rc = fn(&path, res->on_path_data);
	res->steps.n = res->paths.n = 0;
	return rc;
}

int kg_query_paths(kg_paths **out, const kg_graph *g, uint32_t from, uint32_t to,
                   const kg_path_options *opts, kg_diag_list *diags)
{
	kg_path_options defaults = KG_PATH_OPTIONS_INIT, o = KG_PATH_OPTIONS_INIT;
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
	/* An older caller's struct ends before the fields its version lacks:
	 * read no further, and take the defaults for the rest. */
	memcpy(&o, opts, opts->version == 1   ? offsetof(kg_path_options, on_path)
	                 : opts->version == 2 ? offsetof(kg_path_options, time_respecting)
	                                      : sizeof o);
	opts = &o;
	limit = opts->limit ? opts->limit : KG_DEFAULT_PATH_LIMIT;
	if (!g || from >= kg_graph_entity_count(g) || to >= kg_graph_entity_count(g) ||
	    opts->max_hops > KG_MAX_PATH_HOPS || limit > KG_MAX_PATH_LIMIT ||
	    (opts->mode == KG_PATHS_ALL && (!opts->max_hops || opts->weight)) ||
	    (opts->mode == KG_PATHS_K_SHORTEST && (opts->k < 1 || opts->k > KG_MAX_PATH_K)) ||
	    (opts->weight && opts->max_hops) || opts->mode > KG_PATHS_ALL ||
	    (kg__path_is_temporal(opts) && !kg__temporal_options_ok(opts)))
		return KG_EARG;
	/* malloc, not calloc: glibc's calloc bypasses its per-thread cache,
	 * so this small block, freed into the cache's overflow when the
	 * caller frees the result, made the next query's first large
	 * allocation consolidate the heap (9% of a shortest path at 10k). */
	res = kg__malloc(sizeof *res);
	if (!res)
		return KG_ENOMEM;
	memset(res, 0, sizeof *res);
	res->on_path = opts->on_path;
	res->on_path_data = opts->on_path_data;
	rc = kg__ctx_init(&c, g, &opts->filter, opts->weight, diags);
	if (rc == KG_OK && from == to) {
		rc = kg__paths_add(res, from, to, NULL, 0, NULL, 0, 0);
	} else if (rc == KG_OK && kg__path_is_temporal(opts)) {
		rc = kg__temporal_paths(&c, res, from, to, opts, limit);
	} else if (rc == KG_OK) {
		switch (opts->mode) {
		case KG_PATHS_SHORTEST:
			rc = c.weight ? kg__all_shortest(&c, res, from, to, 0, 1)
			              : shortest_handed_over(&c, res, from, to, opts->max_hops);
			break;
		case KG_PATHS_ALL_SHORTEST:
			rc = kg__all_shortest(&c, res, from, to, opts->max_hops, limit);
			break;
		case KG_PATHS_K_SHORTEST:
			rc = kg__k_shortest(&c, res, from, to, opts->max_hops, opts->k);
			break;
		case KG_PATHS_ALL:
			rc = kg__all_paths(&c, res, from, to, opts->max_hops, limit);
			break;
		}
	}
	kg__ctx_free(&c);
	if (rc != KG_OK) {
		kg_paths_free(res);
		return rc;
	}
	/* Only a limit the caller set, or the work bound, can truncate: one
	 * shortest path and the k shortest ask for as many as they get. */
	if (opts->mode == KG_PATHS_SHORTEST || opts->mode == KG_PATHS_K_SHORTEST)
		res->truncated = res->gave_up;
	*out = res;
	return KG_OK;
}
