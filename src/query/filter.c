/*
 * filter.c - the filter, weights, and what a search may step over.
 *
 * Pipeline position: graph -> query. The public kg_filter_admits and
 * kg_relation_weight_by; and the search context (query_internal.h): the
 * filter precomputed into tables over types once per query, so that a
 * search costs nothing per relation or entity it does not look at, and
 * the step lists built from them. The rules live here once: relation
 * types and dates (admitted), entity types and avoided entities
 * (inner_ok), direction and symmetric types (kg__hops_of,
 * kg__hop_ok_filtered), and self-relations, which no path takes.
 */
#include "query/query_internal.h"
#include "core/diag_internal.h"
#include "kgraph/limits.h"

bool kg_filter_admits(const kg_graph *g, const kg_filter *f, uint32_t rel)
{
	uint32_t t = kg_relation_type(g, rel);

	if (f->nrel_types && f->rel_types && !kg__in_list(f->rel_types, f->nrel_types, t))
		return false;
	if (f->nexclude_rel_types && f->exclude_rel_types && kg__in_list(f->exclude_rel_types, f->nexclude_rel_types, t))
		return false;
	return !f->as_of || in_force(g, f->as_of, rel);
}

int kg_relation_weight_by(double *out, const kg_graph *g, uint32_t rel, const char *attr)
{
	size_t i, n;

	*out = 1;
	if (!attr || strcmp(attr, "weight") == 0) {
		kg_relation_weight(g, rel, out);
		return *out <= KG_MAX_WEIGHT ? KG_OK : KG_EINVALID;
	}
	n = kg_relation_attr_count(g, rel);
	for (i = 0; i < n; i++) {
		kg_attr a = kg_relation_attr(g, rel, i);
		double v;
		if (strcmp(a.key, attr) != 0)
			continue;
		/* The same numbers as the loader's weight: key accepts. */
		if (a.in_list || kg__parse_number(a.value, strlen(a.value), &v) || v < 0 || v > KG_MAX_WEIGHT)
			return KG_EINVALID;
		*out = v;
		return KG_OK;
	}
	return KG_OK;
}

void kg__ctx_free(ctx *c)
{
	kg__free(c->rtype_ok);
	kg__free(c->etype_ok);
	kg__free(c->avoid);
	kg__free(c->rel_gone);
	kg__free(c->ent_gone);
	kg__free(c->weight);
	KG_VEC_FREE(c->hops);
}

int kg__ctx_init(ctx *c, const kg_graph *g, const kg_filter *f, const char *weight, kg_diag_list *diags)
{
	size_t i, nrt = kg_graph_relation_type_count(g), nt = kg_graph_type_count(g);

	memset(c, 0, sizeof *c);
	c->bound = -1.0;
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
					              "relation %s -%s-> %s: its '%s' is not a number from 0 to %g (KG_MAX_WEIGHT)",
					              kg_entity_id(g, kg_relation_from(g, (uint32_t)i)),
					              kg_relation_type_name(g, kg_relation_type(g, (uint32_t)i)),
					              kg_entity_id(g, kg_relation_to(g, (uint32_t)i)), weight, KG_MAX_WEIGHT);
				return KG_EINVALID;
			}
		}
	}
	return KG_OK;
}

/* The two adjacency lists merged in relation order: the order every
 * enumeration promises comes from here. */
size_t kg__hops_of(ctx *c, uint32_t u, int reverse)
{
	size_t nout, nin, i = 0, j = 0;
	const uint32_t *out = kg_graph_out(c->g, u, &nout);
	const uint32_t *in = kg_graph_in(c->g, u, &nin);

	c->hops.n = 0;
	if (KG_VEC_RESERVE(c->hops, nout + nin))
		return (size_t)-1;
	while (i < nout || j < nin) {
		bool take_out = j == nin || (i < nout && out[i] < in[j]);
		uint32_t r = take_out ? out[i++] : in[j++];
		uint32_t other = take_out ? kg_relation_to(c->g, r) : kg_relation_from(c->g, r);
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

/* Out of line: hop_ok only calls it when the search is filtered or
 * directed, and inlining it would grow every loop that calls hop_ok. */
bool kg__hop_ok_filtered(const ctx *c, uint32_t r, bool fwd)
{
	return usable(c, r) &&
	       !(c->f->directed && !fwd && !kg_relation_type_is_symmetric(c->g, kg_relation_type(c->g, r)));
}
