/*
 * neighbors.c - the neighbourhood of an entity: every entity within a
 * depth, breadth-first.
 *
 * Pipeline position: graph -> query; render selects what to draw with it.
 * The filter applies as to paths (filter.c), with the direction made a
 * directed search; entities of other types than through_types are listed
 * but not gone through, and avoided entities are left out. Distances are
 * kept in a search map (searchmap.h) sized to what is reached, not in an
 * array over every entity.
 */
#include "query/query_internal.h"
#include "kgraph/limits.h"

struct kg_neighbors {
	KG_VEC(kg_neighbor) items;
};

size_t kg_neighbors_count(const kg_neighbors *n) { return n ? n->items.n : 0; }
const kg_neighbor *kg_neighbors_get(const kg_neighbors *n, size_t i) { return &n->items.v[i]; }

void kg_neighbors_free(kg_neighbors *n)
{
	if (!n)
		return;
	KG_VEC_FREE(n->items);
	kg__free(n);
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
	rc = kg__ctx_init(&c, g, &f, NULL, NULL);
	if (rc == KG_OK)
		rc = kg__seen_init(&m, SEEN_BITS_NEIGHBORS);
	if (rc == KG_OK) {
		seen *x = kg__seen_add(&m, entity);
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
		if ((n = kg__hops_of(&c, u, opts->direction == KG_DIRECTION_IN)) == (size_t)-1) {
			rc = KG_ENOMEM;
			break;
		}
		for (k = 0; k < n; k++) {
			const hop *h = &c.hops.v[k];
			kg_neighbor nb;
			seen *x = kg__seen_add(&m, h->next);
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
	kg__seen_free(&m);
	kg__ctx_free(&c);
	if (rc != KG_OK) {
		kg_neighbors_free(res);
		return rc;
	}
	*out = res;
	return KG_OK;
}
