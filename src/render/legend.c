/*
 * legend.c - the legend: what the shapes, colours and lines of a drawing
 * mean.
 *
 * Pipeline position: render. One entry per entity type drawn, per
 * relation type drawn (when they are few enough to be worth it), and the
 * path when one is highlighted. With dot and fdp the entries sit in a
 * cluster; other engines draw no clusters, so a heading and invisible
 * edges keep them together. Shown when asked, or automatically when
 * more than one type is drawn.
 */
#include "render/render_internal.h"
#include "kgraph/common.h"

#include <string.h>

/* Relation types listed in the legend: all when edges carry no text
 * (then colour and line style are all there is to go by), otherwise only
 * when they are few enough to be worth it. */
#define LEGEND_MAX_RTYPES_LABELLED 12
#define LEGEND_MAX_RTYPES 40
/* Most entries in a row (TB/BT; a column for LR/RL) of the legend. */
#define LEGEND_ROW 8

/* A type's label for the legend and clusters; a built-in type without a
 * label of its own is shown capitalised ("person" -> "Person"). */
size_t kg__type_label(kg__render *r, uint32_t t)
{
	const char *label = kg_type_label(r->g, t);
	size_t at;

	if (!kg_type_is_builtin(r->g, t) || strcmp(label, kg_type_name(r->g, t)) != 0 || label[0] < 'a' ||
	    label[0] > 'z')
		return kg__val_text(&r->b, label, KG__ESC_LABEL, r->o->wrap);
	at = kg__valf(&r->b, "%c%s", label[0] - 'a' + 'A', label + 1);
	return at;
}

bool kg__legend_wanted(const kg__render *r)
{
	if (r->o->legend == KG_RENDER_LEGEND_ON)
		return true;
	if (r->o->legend == KG_RENDER_LEGEND_OFF)
		return false;
	return r->ntypes_used > 1 || r->nrtypes_used > 1;
}

void kg__add_legend(kg__render *r)
{
	const kg_graph *g = r->g;
	const kg__theme *th = r->th;
	size_t nt = kg_graph_type_count(g), nrt = kg_graph_relation_type_count(g), i;
	/* With a path highlighted, every other relation is drawn faded, so
	 * the relation types' colours appear nowhere in the picture: the
	 * legend lists the path instead of them. */
	bool rtypes = r->nrtypes_used && !r->sel.highlight &&
	              (!r->edge_text || r->nrtypes_used <= LEGEND_MAX_RTYPES_LABELLED);
	KG_VEC(uint32_t) nodes = {0};
	size_t listed = 0;
	bool dot = strcmp(r->engine, "dot") == 0;
	kg__props p;

	if (!r->clusters_drawn) {
		/* Engines without clusters get a heading instead of the box label. */
		p.n = 0;
		kg__prop(&p, "id", kg__val(&r->b, "legend"));
		kg__prop(&p, "class", kg__val(&r->b, "kg-legend"));
		kg__prop(&p, "label", kg__val(&r->b, "Legend"));
		kg__prop(&p, "shape", kg__val(&r->b, "plaintext"));
		kg__prop(&p, "style", kg__val(&r->b, ""));
		kg__prop(&p, "fontsize", kg__val(&r->b, "13"));
		if (KG_VEC_PUSH(nodes, kg__draw_node(&r->b, &p)))
			r->b.err = KG_ENOMEM;
	}
	for (i = 0; i < nt; i++) {
		if (!r->type_used[i])
			continue;
		p.n = 0;
		kg__prop(&p, "id", kg__valf(&r->b, "legend-e-%s", kg_type_name(g, (uint32_t)i)));
		kg__prop(&p, "class", kg__val(&r->b, "kg-legend"));
		kg__prop(&p, "label", kg__type_label(r, (uint32_t)i));
		kg__prop(&p, "tooltip", kg__valf(&r->b, "entity type %s", kg_type_name(g, (uint32_t)i)));
		kg__prop_all(&p, &r->type_style[i]);
		kg__prop(&p, "fontsize", kg__val(&r->b, "11"));
		if (KG_VEC_PUSH(nodes, kg__draw_node(&r->b, &p)))
			r->b.err = KG_ENOMEM;
	}
	for (i = 0; i < nrt && rtypes; i++) {
		if (!r->rtype_used[i])
			continue;
		if (++listed > LEGEND_MAX_RTYPES) {
			size_t more = r->nrtypes_used - LEGEND_MAX_RTYPES;
			p.n = 0;
			kg__prop(&p, "id", kg__val(&r->b, "legend-r-more"));
			kg__prop(&p, "class", kg__val(&r->b, "kg-legend"));
			kg__prop(&p, "label", kg__valf(&r->b, "and %zu more relation types", more));
			kg__prop(&p, "shape", kg__val(&r->b, "plaintext"));
			kg__prop(&p, "style", kg__val(&r->b, ""));
			kg__prop(&p, "fontsize", kg__val(&r->b, "11"));
			if (KG_VEC_PUSH(nodes, kg__draw_node(&r->b, &p)))
				r->b.err = KG_ENOMEM;
			break;
		}
		p.n = 0;
		kg__prop(&p, "id", kg__valf(&r->b, "legend-r-%s", kg_relation_type_name(g, (uint32_t)i)));
		kg__prop(&p, "class", kg__val(&r->b, "kg-legend"));
		kg__prop(&p, "label", kg__val_text(&r->b, kg_relation_type_label(g, (uint32_t)i), KG__ESC_LABEL, r->o->wrap));
		kg__prop(&p, "tooltip", kg__valf(&r->b, "relation type %s", kg_relation_type_name(g, (uint32_t)i)));
		kg__prop(&p, "shape", kg__val(&r->b, "underline"));
		kg__prop(&p, "fillcolor", kg__val(&r->b, "none"));
		kg__prop(&p, "penwidth", kg__val(&r->b, "2"));
		kg__prop(&p, "fontsize", kg__val(&r->b, "11"));
		kg__prop_all(&p, &r->rtype_style[i]);
		/* a node's style: keep only what draws a line */
		for (size_t k = 0; k < p.n && !r->b.err; k++)
			if (strcmp(p.v[k].key, "style") == 0 && strcmp(r->b.d->text.p + p.v[k].value, "invis") == 0)
				p.v[k].value = kg__val(&r->b, "solid");
		if (KG_VEC_PUSH(nodes, kg__draw_node(&r->b, &p)))
			r->b.err = KG_ENOMEM;
	}
	if (r->sel.highlight) {
		p.n = 0;
		kg__prop(&p, "id", kg__val(&r->b, "legend-path"));
		kg__prop(&p, "class", kg__val(&r->b, "kg-legend"));
		kg__prop(&p, "label", kg__val(&r->b, "path"));
		kg__prop(&p, "shape", kg__val(&r->b, "underline"));
		kg__prop(&p, "style", kg__val(&r->b, "solid"));
		kg__prop(&p, "fillcolor", kg__val(&r->b, "none"));
		kg__prop(&p, "color", kg__val(&r->b, th->highlight));
		kg__prop(&p, "fontcolor", kg__val(&r->b, th->highlight));
		kg__prop(&p, "penwidth", kg__val(&r->b, "3"));
		kg__prop(&p, "fontsize", kg__val(&r->b, "11"));
		if (KG_VEC_PUSH(nodes, kg__draw_node(&r->b, &p)))
			r->b.err = KG_ENOMEM;
	}
	if (r->b.err)
		goto done;
	if (r->clusters_drawn) {
		p.n = 0;
		kg__cluster_props(r, &p, "legend", kg__val(&r->b, "Legend"));
		kg__prop(&p, "labelloc", kg__val(&r->b, "t"));
		kg__prop(&p, "fillcolor", kg__val(&r->b, th->legend_fill));
		kg__prop(&p, "color", kg__val(&r->b, th->legend_line));
		kg__prop(&p, "style", kg__val(&r->b, th->mono ? "rounded" : "rounded,filled"));
		kg__draw_cluster(&r->b, &p, nodes.v, nodes.n);
	}
	/* Keep the entries together and in order. In dot: rows (TB/BT;
	 * columns for LR/RL) of at most LEGEND_ROW entries, each row chained
	 * by invisible edges of minlen 0 - a flat edge on one rank, which dot
	 * draws tail before head - and each entry tied to the one below it.
	 * fdp keeps a cluster together by itself. Other engines draw no
	 * clusters: a chain of invisible edges holds the entries together. */
	if (!r->clusters_drawn || dot) {
		size_t step = 1, i0;
		if (dot) {
			size_t rows = (nodes.n + LEGEND_ROW - 1) / LEGEND_ROW;
			step = rows ? (nodes.n + rows - 1) / rows : 1;
		}
		for (i0 = 0; i0 + 1 < nodes.n; i0++) {
			kg__props e;
			e.n = 0;
			kg__prop(&e, "style", kg__val(&r->b, "invis"));
			kg__prop(&e, "class", kg__val(&r->b, "kg-legend"));
			if (dot && (i0 + 1) % step) {
				/* LR and RL turn dot's left-to-right into bottom-to-top */
				bool up = r->rankdir == 1 || r->rankdir == 3;
				kg__prop(&e, "minlen", kg__val(&r->b, "0"));
				kg__draw_edge(&r->b, nodes.v[up ? i0 + 1 : i0], nodes.v[up ? i0 : i0 + 1], &e);
				e.n = 0;
				kg__prop(&e, "style", kg__val(&r->b, "invis"));
				kg__prop(&e, "class", kg__val(&r->b, "kg-legend"));
			} else if (!dot) {
				kg__draw_edge(&r->b, nodes.v[i0], nodes.v[i0 + 1], &e);
				continue;
			}
			if (dot && i0 + step < nodes.n) {
				uint32_t a = nodes.v[i0], b = nodes.v[i0 + step];
				if (r->rankdir == 2 || r->rankdir == 3) {
					uint32_t t = a;
					a = b;
					b = t;
				}
				kg__draw_edge(&r->b, a, b, &e);
			}
		}
	}
done:
	KG_VEC_FREE(nodes);
}
