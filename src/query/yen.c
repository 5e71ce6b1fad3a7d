/*
 * yen.c - the k shortest paths, by Yen's algorithm with Lawler's
 * refinement.
 *
 * Pipeline position: graph -> query; kg_query_paths (query.c) calls it.
 * Each next path deviates from an earlier one at some entity (the spur),
 * follows the earlier path up to it (the root), and continues by the
 * shortest way that avoids the root's entities and the relations that
 * earlier paths with the same root took next. The spur search is a
 * kg__all_shortest (shortest.c) limited to one path, over the context
 * with those relations and entities removed (ctx.rel_gone, ent_gone).
 *
 * What keeps the cost at what the answer needs (a chain of 60 diamonds
 * has 2^60 paths; -k 10000 of them took minutes when every candidate was
 * compared with every path found):
 * - the paths found form a trie of their steps, so the relations to
 *   remove at a spur are the children of one trie node, not a scan of
 *   every path found;
 * - a path is only spurred from where it left its parent (Lawler): the
 *   spurs before that were tried when the parent was;
 * - candidates wait in a binary heap, and are told apart by a hash of
 *   their steps, not by comparison with every other;
 * - only the best k - found candidates can still be answers: when there
 *   are twice as many the rest are dropped, and the weight of the worst
 *   kept bounds every later spur search (and a spur whose distance to
 *   the target, known from one search at the start, cannot beat it is
 *   not searched at all);
 * - the spur searches together stop after KG_MAX_PATH_WORK entities
 *   expanded (kg_paths_gave_up).
 * Results are in the order query.h promises (lighter first, then by
 * relation indexes), each handed over as soon as it is final, which it
 * is when it leaves the heap.
 */
#include "query/query_internal.h"
#include "kgraph/limits.h"

/* A trie of the paths found: node 0 is the empty root. */
typedef struct tnode {
	kg_step step;
	uint32_t child, sibling; /* 0 = none (the root is nobody's child) */
} tnode;

/* A candidate: its steps in y->steps, the step at which it left the
 * path it was spurred from (Lawler's deviation index). */
typedef struct cand {
	size_t start;
	uint32_t n, dev;
	double weight;
	uint64_t hash;
} cand;

typedef struct yen {
	ctx *c;
	kg_paths *out;
	uint32_t from, to;
	unsigned max_hops;
	size_t k;
	KG_VEC(tnode) trie;
	KG_VEC(cand) cands;
	KG_VEC(kg_step) steps;  /* of the candidates */
	KG_VEC(uint32_t) heap;  /* live candidates, best first */
	uint32_t *set;          /* candidate index + 1 by hash; 0 = empty */
	size_t nset, setcap;    /* setcap a power of two */
	double bound;           /* weight of the worst candidate that can still be an answer */
	bool bounded;
	KG_VEC(kg_step) prev;   /* the path being spurred */
	KG_VEC(uint32_t) ents;  /* its entities */
	double *dist;           /* to the target, with nothing removed */
	kg_paths spur;
} yen;

static uint64_t steps_hash(const kg_step *s, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15u ^ n;
	size_t i;

	for (i = 0; i < n; i++) {
		h = (h ^ ((uint64_t)s[i].relation << 1 | s[i].forward)) * 0xFF51AFD7ED558CCDu;
		h ^= h >> 32;
	}
	return h;
}

/* Order of results: lighter first, then by relation indexes (a step
 * against its relation before one along it), then shorter. */
static int cmp_cands(const yen *y, uint32_t a, uint32_t b)
{
	const cand *x = &y->cands.v[a], *z = &y->cands.v[b];
	const kg_step *sx = y->steps.v + x->start, *sz = y->steps.v + z->start;
	size_t i;

	if (!same_weight(x->weight, z->weight))
		return x->weight < z->weight ? -1 : 1;
	for (i = 0; i < x->n && i < z->n; i++) {
		if (sx[i].relation != sz[i].relation)
			return sx[i].relation < sz[i].relation ? -1 : 1;
		if (sx[i].forward != sz[i].forward)
			return sx[i].forward ? 1 : -1;
	}
	return x->n < z->n ? -1 : x->n > z->n;
}

static void heap_up(yen *y, size_t i)
{
	uint32_t x = y->heap.v[i];

	while (i > 0 && cmp_cands(y, x, y->heap.v[(i - 1) / 2]) < 0) {
		y->heap.v[i] = y->heap.v[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	y->heap.v[i] = x;
}

static uint32_t heap_pop(yen *y)
{
	uint32_t top = y->heap.v[0], x = y->heap.v[--y->heap.n];
	size_t i = 0, n = y->heap.n;

	for (;;) {
		size_t l = 2 * i + 1, m = l;
		if (l >= n)
			break;
		if (l + 1 < n && cmp_cands(y, y->heap.v[l + 1], y->heap.v[l]) < 0)
			m = l + 1;
		if (cmp_cands(y, y->heap.v[m], x) >= 0)
			break;
		y->heap.v[i] = y->heap.v[m];
		i = m;
	}
	if (n)
		y->heap.v[i] = x;
	return top;
}

/* The set slot of candidate idx's steps: where it is, or the empty slot
 * where it would go. */
static size_t set_slot(const yen *y, const kg_step *s, uint32_t n, uint64_t hash)
{
	size_t mask = y->setcap - 1, i = (size_t)hash & mask;

	for (;; i = (i + 1) & mask) {
		const cand *x;
		if (!y->set[i])
			return i;
		x = &y->cands.v[y->set[i] - 1];
		if (x->hash == hash && x->n == n && memcmp(y->steps.v + x->start, s, n * sizeof *s) == 0)
			return i;
	}
}

/* Make room in the set for one more (at most half full). */
static int set_reserve(yen *y)
{
	uint32_t *old = y->set;
	size_t oldcap = y->setcap, i;

	if (2 * (y->nset + 1) <= y->setcap)
		return 0;
	y->setcap = oldcap ? 2 * oldcap : 256;
	if (!(y->set = kg__calloc(y->setcap, sizeof *y->set))) {
		y->set = old;
		y->setcap = oldcap;
		return -1;
	}
	for (i = 0; i < oldcap; i++)
		if (old[i]) {
			const cand *x = &y->cands.v[old[i] - 1];
			y->set[set_slot(y, y->steps.v + x->start, x->n, x->hash)] = old[i];
		}
	kg__free(old);
	return 0;
}

/* A new candidate: root + spur, unless it is one already. Its steps are
 * copied field by field over zeroes, so that memcmp, which compares them
 * in the set, sees no padding. */
static int add_cand(yen *y, const kg_step *root, uint32_t nroot, const kg_step *spur, uint32_t nspur,
                    uint32_t dev, double weight)
{
	size_t start = y->steps.n, slot;
	cand x;

	if (KG_VEC_RESERVE(y->steps, start + nroot + nspur) || set_reserve(y) ||
	    KG_VEC_RESERVE(y->cands, y->cands.n + 1) || KG_VEC_RESERVE(y->heap, y->heap.n + 1))
		return KG_ENOMEM;
	memset(y->steps.v + start, 0, (nroot + nspur) * sizeof *spur);
	for (uint32_t i = 0; i < nroot + nspur; i++) {
		const kg_step *s = i < nroot ? &root[i] : &spur[i - nroot];
		y->steps.v[start + i].relation = s->relation;
		y->steps.v[start + i].forward = s->forward;
	}
	x.start = start;
	x.n = nroot + nspur;
	x.dev = dev;
	x.weight = weight;
	x.hash = steps_hash(y->steps.v + start, x.n);
	slot = set_slot(y, y->steps.v + start, x.n, x.hash);
	if (y->set[slot])
		return KG_OK; /* steps stay unused until the next compaction */
	y->steps.n = start + x.n;
	y->cands.v[y->cands.n] = x;
	y->set[slot] = (uint32_t)++y->cands.n;
	y->nset++;
	y->heap.v[y->heap.n++] = (uint32_t)(y->cands.n - 1);
	heap_up(y, y->heap.n - 1);
	return KG_OK;
}

static int cmp_for_sort(const void *a, const void *b, void *y)
{
	return cmp_cands(y, *(const uint32_t *)a, *(const uint32_t *)b);
}

/* qsort with a context, which C11 lacks: an insertion-free merge sort. */
static void sort_cands(yen *y, uint32_t *v, uint32_t *tmp, size_t n)
{
	size_t i = 0, j, m = n / 2, o = 0;

	if (n < 2)
		return;
	sort_cands(y, v, tmp, m);
	sort_cands(y, v + m, tmp, n - m);
	for (j = m; i < m && j < n;)
		tmp[o++] = cmp_for_sort(&v[j], &v[i], y) < 0 ? v[j++] : v[i++];
	while (i < m)
		tmp[o++] = v[i++];
	while (j < n)
		tmp[o++] = v[j++];
	memcpy(v, tmp, n * sizeof *v);
}

/* Keep the best `need` live candidates, whose worst then bounds every
 * later spur search; drop the rest, and the steps of paths already
 * handed over. A sorted array is a heap. */
static int compact(yen *y, size_t need)
{
	KG_VEC(cand) cands = {0};
	KG_VEC(kg_step) steps = {0};
	uint32_t *tmp = kg__malloc(y->heap.n * sizeof *tmp);
	size_t i, n;

	if (!tmp)
		return KG_ENOMEM;
	sort_cands(y, y->heap.v, tmp, y->heap.n);
	kg__free(tmp);
	n = y->heap.n < need ? y->heap.n : need;
	if (KG_VEC_RESERVE(cands, n ? n : 1))
		return KG_ENOMEM;
	for (i = 0; i < n; i++) {
		cand x = y->cands.v[y->heap.v[i]];
		size_t start = steps.n;
		if (KG_VEC_RESERVE(steps, start + x.n)) {
			KG_VEC_FREE(cands);
			KG_VEC_FREE(steps);
			return KG_ENOMEM;
		}
		memcpy(steps.v + start, y->steps.v + x.start, x.n * sizeof *steps.v);
		steps.n += x.n;
		x.start = start;
		cands.v[cands.n++] = x;
		y->heap.v[i] = (uint32_t)i;
	}
	y->heap.n = n;
	KG_VEC_FREE(y->cands);
	KG_VEC_FREE(y->steps);
	memcpy(&y->cands, &cands, sizeof cands);
	memcpy(&y->steps, &steps, sizeof steps);
	memset(y->set, 0, y->setcap * sizeof *y->set);
	y->nset = 0;
	for (i = 0; i < n; i++) {
		const cand *x = &y->cands.v[i];
		y->set[set_slot(y, y->steps.v + x->start, x->n, x->hash)] = (uint32_t)i + 1;
		y->nset++;
	}
	if (n == need && n) {
		y->bound = y->cands.v[n - 1].weight;
		y->bounded = true;
	}
	return KG_OK;
}

/* The child of trie node t with step s, made when make and missing;
 * 0 when missing, UINT32_MAX when out of memory. */
static uint32_t trie_child(yen *y, uint32_t t, const kg_step *s, bool make)
{
	uint32_t ch;
	tnode nd;

	for (ch = y->trie.v[t].child; ch; ch = y->trie.v[ch].sibling)
		if (y->trie.v[ch].step.relation == s->relation && y->trie.v[ch].step.forward == s->forward)
			return ch;
	if (!make)
		return 0;
	nd.step = *s;
	nd.child = 0;
	nd.sibling = y->trie.v[t].child;
	if (KG_VEC_PUSH(y->trie, nd))
		return UINT32_MAX;
	y->trie.v[t].child = (uint32_t)(y->trie.n - 1);
	return y->trie.v[t].child;
}

/* Does a spur at i, after a root of weight root_w, stand no chance? */
static bool spur_hopeless(const yen *y, uint32_t spur_at, size_t i, double root_w)
{
	double least = root_w + y->dist[spur_at];

	if (y->max_hops && i >= y->max_hops)
		return true;
	/* Loosened by far more than rounding can move a sum: a bound only
	 * saves work, and an exact comparison decides later. */
	return y->bounded && least > y->bound + (y->bound + 1) * 1e-9;
}

/* One spur search from entity i of prev, root steps prev[0..i) at trie
 * node t (whose children are the relations to avoid). */
static int spur_at_step(yen *y, size_t i, uint32_t t, double root_w)
{
	ctx *c = y->c;
	uint32_t spur_at = y->ents.v[i], ch;
	unsigned hops = y->max_hops ? y->max_hops - (unsigned)i : 0;
	int rc;

	if (spur_hopeless(y, spur_at, i, root_w))
		return KG_OK;
	if (!c->weight && y->bounded) {
		/* Hop counts are whole: at most bound - i more relations. */
		unsigned most = (unsigned)(y->bound - (double)i);
		if (!most)
			return KG_OK;
		if (!hops || most < hops)
			hops = most;
	}
	c->bound = c->weight && y->bounded ? y->bound - root_w + (y->bound + 1) * 1e-9 : -1.0;
	for (ch = y->trie.v[t].child; ch; ch = y->trie.v[ch].sibling)
		c->rel_gone[y->trie.v[ch].step.relation] = 1;
	y->spur.steps.n = y->spur.paths.n = y->spur.count = 0;
	rc = kg__all_shortest(c, &y->spur, spur_at, y->to, hops, 1);
	for (ch = y->trie.v[t].child; ch; ch = y->trie.v[ch].sibling)
		c->rel_gone[y->trie.v[ch].step.relation] = 0;
	if (rc != KG_OK || !y->spur.paths.n)
		return rc;
	return add_cand(y, y->prev.v, (uint32_t)i, y->spur.steps.v, (uint32_t)y->spur.paths.v[0].n, (uint32_t)i,
	                c->weight ? root_w + y->spur.paths.v[0].weight : (double)(i + y->spur.paths.v[0].n));
}

/* Hand over the best candidate, add it to the trie, and spur it from
 * where it left its parent. */
static int take_best(yen *y)
{
	ctx *c = y->c;
	uint32_t best = heap_pop(y), t = 0, dev;
	const cand *x = &y->cands.v[best];
	double root_w = 0;
	size_t i;
	int rc;

	y->prev.n = y->ents.n = 0;
	if (KG_VEC_RESERVE(y->prev, x->n) || KG_VEC_RESERVE(y->ents, (size_t)x->n + 1))
		return KG_ENOMEM;
	memcpy(y->prev.v, y->steps.v + x->start, x->n * sizeof *y->prev.v);
	y->prev.n = x->n;
	dev = x->dev;
	rc = kg__paths_add(y->out, y->from, y->to, y->prev.v, y->prev.n, NULL, 0, x->weight);
	if (rc != KG_OK || y->out->count == y->k)
		return rc;
	y->ents.v[y->ents.n++] = y->from;
	for (i = 0; i < y->prev.n; i++) {
		const kg_step *s = &y->prev.v[i];
		y->ents.v[y->ents.n++] = s->forward ? kg_relation_to(c->g, s->relation) : kg_relation_from(c->g, s->relation);
		if ((t = trie_child(y, t, s, true)) == UINT32_MAX)
			return KG_ENOMEM;
	}
	/* Back to the trie node of the root prev[0..dev), its entities gone. */
	for (t = 0, i = 0; i < dev; i++) {
		t = trie_child(y, t, &y->prev.v[i], false);
		c->ent_gone[y->ents.v[i]] = 1;
		root_w += hop_weight(c, y->prev.v[i].relation);
	}
	for (i = dev; rc == KG_OK && i < y->prev.n; i++) {
		if (c->expanded > KG_MAX_PATH_WORK) {
			y->out->gave_up = y->out->truncated = true;
			break;
		}
		rc = spur_at_step(y, i, t, root_w);
		c->ent_gone[y->ents.v[i]] = 1;
		root_w += hop_weight(c, y->prev.v[i].relation);
		t = trie_child(y, t, &y->prev.v[i], false);
	}
	for (i = 0; i < y->ents.n; i++)
		c->ent_gone[y->ents.v[i]] = 0;
	return rc;
}

int kg__k_shortest(ctx *c, kg_paths *out, uint32_t from, uint32_t to, unsigned max_hops, size_t k)
{
	yen y;
	tnode root = {{0, false}, 0, 0};
	int rc;

	memset(&y, 0, sizeof y);
	y.c = c;
	y.out = out;
	y.from = from;
	y.to = to;
	y.max_hops = max_hops;
	y.k = k;
	c->plain = false;
	c->rel_gone = kg__calloc(c->nrel ? c->nrel : 1, 1);
	c->ent_gone = kg__calloc(c->nent ? c->nent : 1, 1);
	y.dist = kg__malloc((c->nent ? c->nent : 1) * sizeof *y.dist);
	if (!c->rel_gone || !c->ent_gone || !y.dist || KG_VEC_PUSH(y.trie, root)) {
		rc = KG_ENOMEM;
		goto done;
	}
	rc = kg__distances_to(c, to, from, y.dist);
	if (rc == KG_OK)
		rc = kg__all_shortest(c, &y.spur, from, to, max_hops, 1);
	if (rc == KG_OK && y.spur.paths.n)
		rc = add_cand(&y, NULL, 0, y.spur.steps.v, (uint32_t)y.spur.paths.v[0].n, 0, y.spur.paths.v[0].weight);
	while (rc == KG_OK && y.heap.n && out->count < k && !out->gave_up) {
		size_t need = k - out->count;
		rc = take_best(&y);
		/* Twice what can still be used (and some): drop the rest. */
		if (rc == KG_OK && y.heap.n > 2 * need + 64)
			rc = compact(&y, need - 1);
	}
done:
	kg__free(y.dist);
	kg__free(y.set);
	KG_VEC_FREE(y.trie);
	KG_VEC_FREE(y.cands);
	KG_VEC_FREE(y.steps);
	KG_VEC_FREE(y.heap);
	KG_VEC_FREE(y.prev);
	KG_VEC_FREE(y.ents);
	KG_VEC_FREE(y.spur.steps);
	KG_VEC_FREE(y.spur.paths);
	return rc;
}
