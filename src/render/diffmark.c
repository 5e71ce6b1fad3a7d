/*
 * diffmark.c - a drawing of what changed (kg_render_options.diff_old):
 * the new graph, with what was added, removed and changed since the old
 * one told apart.
 *
 * Pipeline position: render, beside elements.c. kg_diff_graphs
 * (kgraph/diff.h) pairs the two graphs' items; added and changed ones
 * are drawn as usual with a mark on top (green and bold, orange and a
 * double outline), and removed ones are added as ghosts: red, dashed,
 * unfilled, each removed relation between the entities it joined (the
 * new ones when they are still drawn, else their ghosts). In the print
 * theme line weight, dash patterns and a mark tell them apart: added bold
 * with a plus at the line's start (bold alone looked like a thick print
 * style), removed dashed grey, changed double (outline or line). The
 * legend's samples carry the same marks.
 */
#include "render/render_internal.h"
#include "kgraph/common.h"
#include "kgraph/diff.h"
#include "util/util.h"

#include <string.h>

#define ADDED_COLOR "#1A9850"
#define REMOVED_COLOR "#D73027"
#define CHANGED_COLOR "#E08214"

int kg__diff_plan(kg__render *r)
{
	const kg_graph *old = r->o->diff_old;
	kg_diff *d = NULL;
	size_t i, n;
	int rc;

	r->diff_entity = kg__calloc(kg_graph_entity_count(r->g) + 1, 1);
	r->diff_relation = kg__calloc(kg_graph_relation_count(r->g) + 1, 1);
	if (!r->diff_entity || !r->diff_relation)
		return KG_ENOMEM;
	rc = kg_diff_graphs(&d, old, r->g);
	if (rc)
		return rc;
	n = kg_diff_count(d);
	for (i = 0; i < n && !rc; i++) {
		kg_diff_change c = kg_diff_get(d, i);
		uint8_t mark = c.kind == KG_DIFF_ADDED ? KG__DIFF_ADDED : KG__DIFF_CHANGED;
		if (c.item == KG_DIFF_ENTITY && c.kind != KG_DIFF_REMOVED)
			r->diff_entity[c.new_index] = mark;
		else if (c.item == KG_DIFF_RELATION && c.kind != KG_DIFF_REMOVED)
			r->diff_relation[c.new_index] = mark;
		else if (c.item == KG_DIFF_ENTITY && KG_VEC_PUSH(r->removed_entities, c.old_index))
			rc = KG_ENOMEM;
		else if (c.item == KG_DIFF_RELATION && c.kind == KG_DIFF_REMOVED &&
		         KG_VEC_PUSH(r->removed_relations, c.old_index))
			rc = KG_ENOMEM;
	}
	kg_diff_free(d);
	return rc;
}

/* Add cls to p's classes (the item's own stay, for CSS and scripts). */
static void add_class(kg__render *r, kg__props *p, const char *cls)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->v[i].key, "class") == 0) {
			r->b.tmp.n = 0;
			if (kg__buf_puts(&r->b.tmp, kg__rvalue(r->b.d, &p->v[i])))
				r->b.err = KG_ENOMEM;
			else
				p->v[i].value = kg__valf(&r->b, "%s %s", r->b.tmp.p, cls);
			return;
		}
	kg__prop(p, "class", kg__val(&r->b, cls));
}

/* The mark goes on top of the item's style; a relation keeps its type's
 * dash pattern (in print it is what tells the types apart). */
void kg__diff_props(kg__render *r, kg__props *p, uint8_t mark, bool edge)
{
	bool mono = r->th->mono;

	if (mark == KG__DIFF_ADDED) {
		add_class(r, p, "kg-added");
		if (!mono)
			kg__prop(p, "color", kg__val(&r->b, ADDED_COLOR));
		kg__prop(p, "penwidth", kg__val(&r->b, mono ? "3.4" : "2.8"));
		if (edge && mono) {
			/* A width alone is not enough on paper: a thick print
			 * style (2.6) looks much like 3.4, so the line also
			 * carries a plus at its start. */
			kg__prop(p, "taillabel", kg__val(&r->b, "+"));
			kg__prop(p, "labelfontsize", kg__val(&r->b, "18"));
			kg__prop(p, "labelfontcolor", kg__val(&r->b, "#000000"));
			kg__prop(p, "labeldistance", kg__val(&r->b, "1.4"));
		}
	} else if (mark == KG__DIFF_CHANGED) {
		add_class(r, p, "kg-changed");
		if (!mono)
			kg__prop(p, "color", kg__val(&r->b, CHANGED_COLOR));
		kg__prop(p, "penwidth", kg__val(&r->b, "2.2"));
		if (edge && mono) /* a double line, as a changed entity has a double outline */
			kg__prop(p, "color", kg__val(&r->b, "#000000:#FFFFFF:#000000"));
		if (!edge)
			kg__prop(p, "peripheries", kg__val(&r->b, "2"));
	} else if (mark == KG__DIFF_REMOVED) {
		add_class(r, p, edge ? "kg-relation kg-removed" : "kg-entity kg-removed");
		kg__prop(p, "color", kg__val(&r->b, mono ? "#777777" : REMOVED_COLOR));
		kg__prop(p, "fontcolor", kg__val(&r->b, mono ? "#777777" : REMOVED_COLOR));
		kg__prop(p, "style", kg__val(&r->b, "dashed"));
		kg__prop(p, "penwidth", kg__val(&r->b, "1.6"));
	}
}

/* The ghost of a removed entity of the old graph, drawn once. */
static uint32_t ghost_node(kg__render *r, uint32_t *ghost_of, uint32_t e)
{
	const kg_graph *old = r->o->diff_old;
	kg__props p;

	if (ghost_of[e] != KG_NONE)
		return ghost_of[e];
	p.n = 0;
	kg__prop(&p, "id", kg__valf(&r->b, "removed-e-%s", kg_entity_id(old, e)));
	kg__prop(&p, "label", kg__val_text(&r->b, kg_entity_name(old, e), KG__ESC_LABEL, r->o->wrap));
	kg__prop(&p, "shape", kg__val(&r->b, "box"));
	kg__prop(&p, "tooltip", kg__valf(&r->b, "removed: %s", kg_entity_id(old, e)));
	kg__diff_props(r, &p, KG__DIFF_REMOVED, false);
	kg__prop(&p, "style", kg__val(&r->b, "dashed,rounded"));
	ghost_of[e] = kg__draw_node(&r->b, &p);
	return ghost_of[e];
}

/* A removed relation's end: the entity of the same id in the new graph
 * when it is drawn, else the removed entity's ghost; KG_NONE when the
 * entity is still there but not drawn. */
static uint32_t ghost_end(kg__render *r, uint32_t *ghost_of, uint32_t e)
{
	uint32_t now = kg_graph_find_entity(r->g, kg_entity_id(r->o->diff_old, e));

	if (now != KG_NONE)
		return r->sel.entity[now] & KG__SEL_DRAWN ? r->node_of[now] : KG_NONE;
	return ghost_node(r, ghost_of, e);
}

void kg__add_ghosts(kg__render *r)
{
	const kg_graph *old = r->o->diff_old;
	uint32_t *ghost_of = kg__malloc((kg_graph_entity_count(old) + 1) * sizeof *ghost_of);
	size_t i;

	if (!ghost_of) {
		r->b.err = KG_ENOMEM;
		return;
	}
	for (i = 0; i < kg_graph_entity_count(old); i++)
		ghost_of[i] = KG_NONE;
	for (i = 0; i < r->removed_entities.n; i++)
		ghost_node(r, ghost_of, r->removed_entities.v[i]);
	for (i = 0; i < r->removed_relations.n && !r->b.err; i++) {
		uint32_t rel = r->removed_relations.v[i], t = kg_relation_type(old, rel);
		uint32_t a = ghost_end(r, ghost_of, kg_relation_from(old, rel)), b = ghost_end(r, ghost_of, kg_relation_to(old, rel));
		kg__props p;
		if (a == KG_NONE || b == KG_NONE)
			continue;
		p.n = 0;
		kg__prop(&p, "id", kg__valf(&r->b, "removed-r-%u", rel));
		if (r->edge_text)
			kg__prop(&p, r->xlabels ? "xlabel" : "label",
			         kg__val_text(&r->b, kg_relation_type_label(old, t), KG__ESC_LABEL, r->o->wrap));
		kg__prop(&p, "tooltip", kg__val(&r->b, "removed"));
		if (kg_relation_type_is_symmetric(old, t))
			kg__prop(&p, "dir", kg__val(&r->b, "none"));
		kg__diff_props(r, &p, KG__DIFF_REMOVED, true);
		kg__draw_edge(&r->b, a, b, &p);
	}
	kg__free(ghost_of);
}
