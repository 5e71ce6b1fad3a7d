/*
 * select.c - what to draw: the entities and relations a drawing shows.
 *
 * Pipeline position: graph + query -> render. The options select by
 * focus and depth (kg_query_neighbors, whose filter is the drawing's
 * relation filter, limited to the asked types), by entity type, by the
 * relation filter (kg_filter_admits), and by paths, drawn alone or
 * highlighted in their context, and by items given one by one (what a
 * match bound), drawn as paths are. A relation is drawn when both its ends
 * are and the filter admits it; path relations always are. The lists of
 * what is drawn are in index order, which keeps the output deterministic.
 */
#include "render/render_internal.h"
#include "kgraph/common.h"
#include "util/util.h"

void kg__selection_free(kg__selection *s)
{
	kg__free(s->entity);
	kg__free(s->relation);
	KG_VEC_FREE(s->entities);
	KG_VEC_FREE(s->relations);
}

/* A highlighted relation is drawn with both its ends. */
static void mark_relation(kg__selection *s, const kg_graph *g, uint32_t r)
{
	s->relation[r] |= KG__SEL_DRAWN | KG__SEL_PATH;
	s->entity[kg_relation_from(g, r)] |= KG__SEL_DRAWN | KG__SEL_PATH;
	s->entity[kg_relation_to(g, r)] |= KG__SEL_DRAWN | KG__SEL_PATH;
}

/* Every entity and relation on a path: drawn, and marked for highlighting. */
static void mark_paths(kg__selection *s, const kg_graph *g, const kg_paths *paths)
{
	size_t i, j;

	for (i = 0; i < kg_paths_count(paths); i++) {
		kg_path p = kg_paths_get(paths, i);
		s->entity[p.from] |= KG__SEL_DRAWN | KG__SEL_PATH;
		s->entity[p.to] |= KG__SEL_DRAWN | KG__SEL_PATH;
		for (j = 0; j < p.nsteps; j++)
			mark_relation(s, g, p.steps[j].relation);
	}
}

/* Items given one by one (what kg_match bound) are drawn as paths are. */
static void mark_items(kg__selection *s, const kg_graph *g, const kg_render_options *o)
{
	size_t i;

	for (i = 0; i < o->nentities; i++)
		s->entity[o->entities[i]] |= KG__SEL_DRAWN | KG__SEL_PATH;
	for (i = 0; i < o->nrelations; i++)
		mark_relation(s, g, o->relations[i]);
}

int kg__select(kg__selection *s, const kg_graph *g, const kg_render_options *o)
{
	size_t ne = kg_graph_entity_count(g), nr = kg_graph_relation_count(g), i;
	bool items = o->nentities || o->nrelations;
	bool path_only = (o->paths || items) && o->path_only;

	s->entity = kg__calloc(ne ? ne : 1, 1);
	s->relation = kg__calloc(nr ? nr : 1, 1);
	if (!s->entity || !s->relation)
		return KG_ENOMEM;
	if (o->paths)
		mark_paths(s, g, o->paths);
	mark_items(s, g, o);
	s->highlight = !o->path_only && ((o->paths && kg_paths_count(o->paths) > 0) || items);
	if (!path_only) {
		if (o->nfocus) {
			kg_neighbor_options no = KG_NEIGHBOR_OPTIONS_INIT;
			no.filter = o->filter;
			if (o->ntypes && !o->filter.nthrough_types) {
				no.filter.through_types = o->types;
				no.filter.nthrough_types = o->ntypes;
			}
			no.depth = o->depth ? o->depth : 1;
			no.direction = o->direction;
			for (i = 0; i < o->nfocus; i++) {
				kg_neighbors *nb = NULL;
				size_t j;
				int rc = kg_query_neighbors(&nb, g, o->focus[i], &no);
				if (rc)
					return rc;
				s->entity[o->focus[i]] |= KG__SEL_DRAWN | KG__SEL_FOCUS;
				for (j = 0; j < kg_neighbors_count(nb); j++) {
					uint32_t e = kg_neighbors_get(nb, j)->entity;
					if (!o->ntypes || kg__in_list(o->types, o->ntypes, kg_entity_type(g, e)))
						s->entity[e] |= KG__SEL_DRAWN;
				}
				kg_neighbors_free(nb);
			}
		} else {
			for (i = 0; i < ne; i++) {
				if (o->ntypes && !kg__in_list(o->types, o->ntypes, kg_entity_type(g, (uint32_t)i)))
					continue;
				if (o->filter.navoid && kg__in_list(o->filter.avoid, o->filter.navoid, (uint32_t)i))
					continue;
				s->entity[i] |= KG__SEL_DRAWN;
			}
		}
		for (i = 0; i < nr; i++) {
			uint32_t r = (uint32_t)i;
			if ((s->entity[kg_relation_from(g, r)] & KG__SEL_DRAWN) && (s->entity[kg_relation_to(g, r)] & KG__SEL_DRAWN) &&
			    kg_filter_admits(g, &o->filter, r))
				s->relation[i] |= KG__SEL_DRAWN;
		}
	}
	for (i = 0; i < ne; i++)
		if ((s->entity[i] & KG__SEL_DRAWN) && KG_VEC_PUSH(s->entities, (uint32_t)i))
			return KG_ENOMEM;
	for (i = 0; i < nr; i++)
		if ((s->relation[i] & KG__SEL_DRAWN) && KG_VEC_PUSH(s->relations, (uint32_t)i))
			return KG_ENOMEM;
	return KG_OK;
}
