/*
 * yen.c - the k shortest paths, by Yen's algorithm.
 *
 * Pipeline position: graph -> query; kg_query_paths (query.c) calls it.
 * Each spur search is a kg__all_shortest (shortest.c) limited to one
 * path, over the context with some relations and entities removed
 * (ctx.rel_gone, ent_gone). Results are in the order query.h promises:
 * lighter first, then by relation indexes. Its cost grows with the square
 * of k (each candidate is compared with the paths found), which is why k
 * is bounded by KG_MAX_PATH_K.
 */
#include "query/query_internal.h"

static bool same_steps(const kg_step *a, size_t na, const kg_step *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (a[i].relation != b[i].relation || a[i].forward != b[i].forward)
			return false;
	return true;
}

/* Order of results: lighter first, then by relation indexes. */
static int cmp_paths(const kg_paths *p, size_t a, size_t b)
{
	const pathrec *x = &p->paths.v[a], *y = &p->paths.v[b];
	size_t i;

	if (!same_weight(x->weight, y->weight))
		return x->weight < y->weight ? -1 : 1;
	for (i = 0; i < x->n && i < y->n; i++) {
		uint32_t rx = p->steps.v[x->start + i].relation, ry = p->steps.v[y->start + i].relation;
		if (rx != ry)
			return rx < ry ? -1 : 1;
		if (p->steps.v[x->start + i].forward != p->steps.v[y->start + i].forward)
			return p->steps.v[x->start + i].forward ? 1 : -1;
	}
	return x->n < y->n ? -1 : x->n > y->n;
}

static bool holds_path(const kg_paths *p, const kg_step *steps, size_t n)
{
	size_t i;

	for (i = 0; i < p->paths.n; i++)
		if (same_steps(p->steps.v + p->paths.v[i].start, p->paths.v[i].n, steps, n))
			return true;
	return false;
}

/*
 * Yen's algorithm: each next path deviates from an earlier one at some
 * entity (the spur), follows the earlier path up to it (the root), and
 * continues by the shortest way that avoids the root's entities and the
 * relations earlier paths with the same root took next.
 */
int kg__k_shortest(ctx *c, kg_paths *out, uint32_t from, uint32_t to, unsigned max_hops, size_t k)
{
	kg_paths cand, spur;
	int rc;
	size_t kk;

	memset(&cand, 0, sizeof cand);
	memset(&spur, 0, sizeof spur);
	c->rel_gone = kg__calloc(c->nrel ? c->nrel : 1, 1);
	c->plain = false;
	c->ent_gone = kg__calloc(c->nent ? c->nent : 1, 1);
	if (!c->rel_gone || !c->ent_gone)
		return KG_ENOMEM;
	rc = kg__all_shortest(c, out, from, to, max_hops, 1);
	for (kk = 1; rc == KG_OK && kk < k && out->paths.n == kk; kk++) {
		pathrec prev = out->paths.v[kk - 1];
		size_t i, j, best;
		double root_w = 0;
		for (i = 0; rc == KG_OK && i < prev.n; i++) {
			const kg_step *root = out->steps.v + prev.start;
			kg_path pp;
			uint32_t spur_at;
			pp.from = from;
			pp.steps = root;
			pp.nsteps = prev.n;
			spur_at = i ? kg_path_entity_after(c->g, &pp, i - 1) : from;
			if (i)
				root_w += hop_weight(c, root[i - 1].relation);
			if (max_hops && i >= max_hops)
				break;
			memset(c->rel_gone, 0, c->nrel);
			memset(c->ent_gone, 0, c->nent);
			for (j = 0; j < out->paths.n; j++) {
				const pathrec *q = &out->paths.v[j];
				if (q->n > i && same_steps(out->steps.v + q->start, i, root, i))
					c->rel_gone[out->steps.v[q->start + i].relation] = 1;
			}
			for (j = 0; j < i; j++)
				c->ent_gone[j ? kg_path_entity_after(c->g, &pp, j - 1) : from] = 1;
			spur.steps.n = spur.paths.n = 0;
			rc = kg__all_shortest(c, &spur, spur_at, to, max_hops ? max_hops - (unsigned)i : 0, 1);
			if (rc != KG_OK || !spur.paths.n)
				continue;
			{
				kg_step *tmp = kg__malloc((i + spur.paths.v[0].n + 1) * sizeof *tmp);
				if (!tmp) {
					rc = KG_ENOMEM;
					break;
				}
				memcpy(tmp, root, i * sizeof *tmp);
				memcpy(tmp + i, spur.steps.v, spur.paths.v[0].n * sizeof *tmp);
				if (!holds_path(out, tmp, i + spur.paths.v[0].n) &&
				    !holds_path(&cand, tmp, i + spur.paths.v[0].n))
					rc = kg__paths_add(&cand, from, to, tmp, i, tmp + i, spur.paths.v[0].n,
					                   c->weight ? root_w + spur.paths.v[0].weight
					                             : (double)(i + spur.paths.v[0].n));
				kg__free(tmp);
			}
		}
		if (rc != KG_OK || !cand.paths.n)
			break;
		for (best = 0, j = 1; j < cand.paths.n; j++)
			if (cmp_paths(&cand, j, best) < 0)
				best = j;
		rc = kg__paths_add(out, from, to, cand.steps.v + cand.paths.v[best].start, cand.paths.v[best].n,
		                   NULL, 0, cand.paths.v[best].weight);
		cand.paths.v[best] = cand.paths.v[--cand.paths.n];
	}
	KG_VEC_FREE(cand.steps);
	KG_VEC_FREE(cand.paths);
	KG_VEC_FREE(spur.steps);
	KG_VEC_FREE(spur.paths);
	return rc;
}
