/*
 * result.c - from bindings to rows: file order, RETURN, DISTINCT and
 * count(), ORDER BY, SKIP and LIMIT; and kg_match itself.
 *
 * Pipeline position: match, after exec.c found the bindings in whatever
 * order the plan met them. Sorting the bindings by the items they bind,
 * in the order the pattern names them (entities and relations by index,
 * which is file order), makes the answer independent of the plan: the
 * same query gives the same rows whichever node the planner starts from.
 *
 * Invariants: sorts are stable merge sorts, so ORDER BY ties keep file
 * order; every string a row holds is borrowed from the graph or copied
 * into the result's arena.
 */
#include "match/match_internal.h"

#include <stdlib.h>
#include <string.h>

struct kg_match_result {
	kg__arena arena;
	size_t ncols, nrows, nbindings;
	const char **names;
	kg_match_value *cells;
	uint32_t *ents, *rels;
	size_t nents, nrels;
};

/* ---- a stable sort of indexes with a context ------------------------ */

typedef int (*cmp_fn)(const void *ctx, uint32_t a, uint32_t b);

static int merge_sort(uint32_t *v, size_t n, cmp_fn cmp, const void *ctx)
{
	uint32_t *tmp;
	size_t width, i;

	if (n < 2)
		return KG_OK;
	if (!(tmp = kg__malloc(n * sizeof *tmp)))
		return KG_ENOMEM;
	for (width = 1; width < n; width *= 2) {
		for (i = 0; i < n; i += 2 * width) {
			size_t lo = i, mid = i + width < n ? i + width : n, hi = i + 2 * width < n ? i + 2 * width : n;
			size_t a = lo, b = mid, k = lo;
			while (a < mid && b < hi)
				tmp[k++] = cmp(ctx, v[b], v[a]) < 0 ? v[b++] : v[a++];
			while (a < mid)
				tmp[k++] = v[a++];
			while (b < hi)
				tmp[k++] = v[b++];
		}
		memcpy(v, tmp, n * sizeof *v);
	}
	kg__free(tmp);
	return KG_OK;
}

/* ---- file order of bindings ------------------------------------------ */

typedef struct bctx {
	const mquery *q;
	const mbindings *bs;
} bctx;

static int cmp_binding(const void *ctx, uint32_t x, uint32_t y)
{
	const bctx *c = ctx;
	mbind a, b;
	size_t v, k;

	kg__match_binding(&a, c->q, c->bs, x);
	kg__match_binding(&b, c->q, c->bs, y);
	for (v = 0; v < c->q->nvars; v++) {
		if (!c->q->vars[v].is_rel) {
			if (a.ent[v] != b.ent[v])
				return a.ent[v] < b.ent[v] ? -1 : 1;
			continue;
		}
		for (k = 0; k < a.len[v] && k < b.len[v]; k++)
			if (a.rels[a.start[v] + k] != b.rels[b.start[v] + k])
				return a.rels[a.start[v] + k] < b.rels[b.start[v] + k] ? -1 : 1;
		if (a.len[v] != b.len[v])
			return a.len[v] < b.len[v] ? -1 : 1;
	}
	return 0;
}

/* ---- rows ------------------------------------------------------------ */

typedef struct rows {
	const mquery *q;
	size_t ncols;
	mval *cells;     /* per row, ncols */
	uint32_t *rep;   /* per row: its first binding */
	size_t n;
	mval *keys;      /* ORDER BY values, per row */
} rows;

static uint64_t hash_val(const mval *v)
{
	uint64_t h = v->kind;
	switch (v->kind) {
	case V_STR: return kg__hash(v->s, strlen(v->s));
	case V_NUM:
	case V_BOOL: return h ^ (uint64_t)(int64_t)v->num;
	case V_DATE: return h ^ v->date;
	case V_ENT:
	case V_REL:
	case V_LIST: return h * 31 + v->idx;
	case V_PATH: return v->n ? kg__hash(v->rels, v->n * sizeof *v->rels) : h;
	default: return h;
	}
}

static int cmp_rows(const void *ctx, uint32_t x, uint32_t y)
{
	const rows *r = ctx;
	size_t k;
	for (k = 0; k < r->q->norder; k++) {
		int c = kg__match_order(r->q->g, &r->keys[x * r->q->norder + k], &r->keys[y * r->q->norder + k]);
		if (c)
			return r->q->order[k].desc ? -c : c;
	}
	return 0;
}

/* Evaluate a RETURN or ORDER BY expression on a binding, copying text
 * that lower() made into the result. */
static int eval_kept(mval *out, kg_match_result *res, const mquery *q, const mexpr *e, const mbind *b,
                     mscratch *sc)
{
	*out = kg__match_eval(q, e, b, sc);
	if (out->kind == V_STR && e->kind == X_LOWER &&
	    !(out->s = kg__arena_strndup(&res->arena, out->s, strlen(out->s))))
		return KG_ENOMEM;
	kg__match_scratch_clear(sc);
	return KG_OK;
}

/* The public form of a value. */
static int publish(kg_match_value *out, kg_match_result *res, const kg_graph *g, const mval *v)
{
	memset(out, 0, sizeof *out);
	switch (v->kind) {
	case V_STR:
		/* Copied: literals live in the query, which is freed. */
		out->kind = KG_MATCH_STRING;
		if (!(out->string = kg__arena_strndup(&res->arena, v->s, strlen(v->s))))
			return KG_ENOMEM;
		break;
	case V_BOOL:
		out->kind = KG_MATCH_STRING;
		out->string = v->num ? "true" : "false";
		break;
	case V_NUM:
		out->kind = KG_MATCH_NUMBER;
		out->number = v->num;
		break;
	case V_DATE:
		out->kind = KG_MATCH_DATE;
		out->date = v->date;
		break;
	case V_ENT:
	case V_REL:
		out->kind = v->kind == V_ENT ? KG_MATCH_ENTITY : KG_MATCH_RELATION;
		out->index = v->idx;
		break;
	case V_PATH:
		out->kind = KG_MATCH_RELATIONS;
		out->nrelations = v->n;
		if (v->n && !(out->relations = kg__arena_alloc4(&res->arena, v->n * sizeof *v->rels)))
			return KG_ENOMEM;
		if (v->n)
			memcpy((uint32_t *)out->relations, v->rels, v->n * sizeof *v->rels);
		break;
	case V_LIST: {
		kg__buf b = {0};
		size_t i, n = kg__match_list_count(g, v);
		int rc = 0;
		for (i = 0; !rc && i < n; i++) {
			mval it = kg__match_list_item(g, v, i);
			rc = (i && kg__buf_puts(&b, ", ")) || kg__buf_puts(&b, it.s);
		}
		out->kind = KG_MATCH_STRING;
		out->string = rc ? NULL : kg__arena_strndup(&res->arena, b.p ? b.p : "", b.n);
		kg__buf_free(&b);
		if (!out->string)
			return KG_ENOMEM;
		break;
	}
	default:
		break;
	}
	return KG_OK;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Sort v, drop repeats, and copy it into the arena. */
typedef KG_VEC(uint32_t) u32_vec;

static int add_unique(uint32_t **out, size_t *nout, u32_vec *v, kg__arena *arena)
{
	size_t i, n = 0;
	if (v->n > 1)
		qsort(v->v, v->n, sizeof *v->v, cmp_u32);
	for (i = 0; i < v->n; i++)
		if (!n || v->v[i] != v->v[n - 1])
			v->v[n++] = v->v[i];
	*nout = n;
	if (!(*out = kg__arena_alloc4(arena, (n ? n : 1) * sizeof **out)))
		return KG_ENOMEM;
	if (n)
		memcpy(*out, v->v, n * sizeof **out);
	return KG_OK;
}

/* Group rows with equal non-count columns (DISTINCT, count()): the row
 * index of row's group, adding row as a new group if it is the first. */
static uint32_t find_group(rows *r, uint32_t *slot, size_t nslots, const mval *row, uint64_t h)
{
	size_t at, c;
	for (at = h & (nslots - 1); slot[at] != UINT32_MAX; at = (at + 1) & (nslots - 1)) {
		const mval *other = r->cells + slot[at] * r->ncols;
		bool same = true;
		for (c = 0; same && c < r->ncols; c++)
			same = r->q->ret[c].e->kind == X_COUNT ||
			       (other[c].kind == row[c].kind && !kg__match_order(r->q->g, &other[c], &row[c]));
		if (same)
			return slot[at];
	}
	slot[at] = (uint32_t)r->n;
	return (uint32_t)r->n;
}

int kg__match_project(kg_match_result *res, const mquery *q, const mbindings *bs)
{
	rows r;
	uint32_t *order = NULL, *group = NULL, *slot = NULL, *sorted = NULL;
	uint8_t *kept = NULL;
	size_t nslots = 16, i, c, first, last;
	bool grouping = q->distinct || q->aggregate, keys = false;
	mscratch sc;
	u32_vec ents = {0}, rels = {0};
	int rc = KG_ENOMEM;

	memset(&r, 0, sizeof r);
	memset(&sc, 0, sizeof sc);
	r.q = q;
	r.ncols = q->nret;
	res->nbindings = bs->count;
	for (c = 0; c < q->nret; c++)
		keys |= q->ret[c].e->kind != X_COUNT;
	if (!(order = kg__malloc((bs->count + 1) * sizeof *order)) ||
	    !(group = kg__malloc((bs->count + 1) * sizeof *group)))
		goto done;
	for (i = 0; i < bs->count; i++)
		order[i] = (uint32_t)i;
	if (keys) {
		/* Bindings in file order (a bare count needs none). */
		bctx ctx = {q, bs};
		if (merge_sort(order, bs->count, cmp_binding, &ctx))
			goto done;
	}
	if (!(r.cells = kg__calloc((bs->count + 1) * r.ncols, sizeof *r.cells)) ||
	    !(r.rep = kg__malloc((bs->count + 1) * sizeof *r.rep)))
		goto done;
	while (nslots < 2 * bs->count)
		nslots *= 2;
	if (grouping && !(slot = kg__malloc(nslots * sizeof *slot)))
		goto done;
	for (i = 0; grouping && i < nslots; i++)
		slot[i] = UINT32_MAX;
	for (i = 0; i < bs->count; i++) {
		mbind bd;
		mval *row = r.cells + r.n * r.ncols;
		uint64_t h = 0;
		uint32_t gi = (uint32_t)r.n;
		kg__match_binding(&bd, q, bs, order[i]);
		for (c = 0; c < r.ncols; c++) {
			if (q->ret[c].e->kind == X_COUNT)
				continue;
			if (eval_kept(&row[c], res, q, q->ret[c].e, &bd, &sc))
				goto done;
			h = h * 1000003 ^ hash_val(&row[c]);
		}
		if (grouping)
			gi = find_group(&r, slot, nslots, row, h);
		group[order[i]] = gi;
		if (gi == r.n) {
			r.rep[r.n++] = order[i];
		} else {
			memset(row, 0, r.ncols * sizeof *row);
			row = r.cells + (size_t)gi * r.ncols;
		}
		for (c = 0; c < r.ncols; c++) {
			const mexpr *e = q->ret[c].e;
			mval x;
			if (e->kind != X_COUNT)
				continue;
			row[c].kind = V_NUM;
			if (e->a) {
				x = kg__match_eval(q, e->a, &bd, &sc);
				kg__match_scratch_clear(&sc);
				if (x.kind == V_NULL)
					continue;
			}
			row[c].num++;
		}
	}
	if (q->aggregate && !keys && r.n == 0) {
		/* count(*) of nothing is one row of 0. */
		for (c = 0; c < r.ncols; c++)
			r.cells[c].kind = V_NUM;
		r.rep[r.n++] = UINT32_MAX;
	}
	/* ORDER BY, stable over file order. */
	if (!(sorted = kg__malloc((r.n + 1) * sizeof *sorted)))
		goto done;
	for (i = 0; i < r.n; i++)
		sorted[i] = (uint32_t)i;
	if (q->norder) {
		if (!(r.keys = kg__calloc(r.n * q->norder + 1, sizeof *r.keys)))
			goto done;
		for (i = 0; i < r.n; i++)
			for (c = 0; c < q->norder; c++) {
				const mitem *it = &q->order[c];
				mbind bd;
				if (it->column >= 0) {
					r.keys[i * q->norder + c] = r.cells[i * r.ncols + (size_t)it->column];
					continue;
				}
				kg__match_binding(&bd, q, bs, r.rep[i]);
				if (eval_kept(&r.keys[i * q->norder + c], res, q, it->e, &bd, &sc))
					goto done;
			}
		if (merge_sort(sorted, r.n, cmp_rows, &r))
			goto done;
	}
	/* SKIP and LIMIT, then the public rows. */
	first = q->skip < r.n ? q->skip : r.n;
	last = q->has_limit && q->limit < r.n - first ? first + q->limit : r.n;
	res->ncols = r.ncols;
	res->nrows = last - first;
	if (!(res->names = kg__arena_alloc(&res->arena, (r.ncols + 1) * sizeof *res->names)) ||
	    !(res->cells = kg__arena_alloc(&res->arena, (res->nrows * r.ncols + 1) * sizeof *res->cells)) ||
	    !(kept = kg__calloc(r.n + 1, 1)))
		goto done;
	for (c = 0; c < r.ncols; c++)
		if (!(res->names[c] = kg__arena_strndup(&res->arena, q->ret[c].name, strlen(q->ret[c].name))))
			goto done;
	for (i = first; i < last; i++) {
		kept[sorted[i]] = 1;
		for (c = 0; c < r.ncols; c++)
			if (publish(&res->cells[(i - first) * r.ncols + c], res, q->g, &r.cells[sorted[i] * r.ncols + c]))
				goto done;
	}
	/* What the kept rows bound, for drawing. */
	for (i = 0; i < bs->count; i++) {
		mbind bd;
		size_t v, k, end;
		if (!kept[group[i]])
			continue;
		kg__match_binding(&bd, q, bs, i);
		for (v = 0; v < q->nvars; v++)
			if (!q->vars[v].is_rel && KG_VEC_PUSH(ents, bd.ent[v]))
				goto done;
		end = i + 1 < bs->count ? bs->rel_at.v[i + 1] : bs->rels.n;
		for (k = bs->rel_at.v[i]; k < end; k++) {
			uint32_t rel = bs->rels.v[k];
			if (KG_VEC_PUSH(rels, rel) || KG_VEC_PUSH(ents, kg_relation_from(q->g, rel)) ||
			    KG_VEC_PUSH(ents, kg_relation_to(q->g, rel)))
				goto done;
		}
	}
	if (add_unique(&res->ents, &res->nents, &ents, &res->arena) ||
	    add_unique(&res->rels, &res->nrels, &rels, &res->arena))
		goto done;
	rc = KG_OK;
done:
	kg__match_scratch_clear(&sc);
	KG_VEC_FREE(sc.strings);
	KG_VEC_FREE(ents);
	KG_VEC_FREE(rels);
	kg__free(order);
	kg__free(group);
	kg__free(slot);
	kg__free(sorted);
	kg__free(kept);
	kg__free(r.cells);
	kg__free(r.rep);
	kg__free(r.keys);
	return rc;
}

/* ---- the public interface ------------------------------------------- */

int kg_match(kg_match_result **out, const kg_graph *g, const char *query, const kg_match_options *opts,
             kg_diag_list *diags)
{
	kg_match_options o = KG_MATCH_OPTIONS_INIT;
	kg_match_result *res;
	mquery q;
	mbindings bs;
	int rc;

	if (!out)
		return KG_EARG;
	*out = NULL;
	if (!g || !query)
		return KG_EARG;
	if (opts && !KG__OPTIONS_VERSION_OK(opts->version, KG_MATCH_OPTIONS_VERSION))
		return KG_EARG;
	if (opts)
		o = *opts;
	if (!(res = kg__calloc(1, sizeof *res)))
		return KG_ENOMEM;
	memset(&q, 0, sizeof q);
	memset(&bs, 0, sizeof bs);
	rc = kg__match_parse(&q, g, query, o.name, diags);
	if (!rc)
		rc = kg__match_run(&bs, &q, &o, diags);
	if (!rc)
		rc = kg__match_project(res, &q, &bs);
	KG_VEC_FREE(bs.data);
	KG_VEC_FREE(bs.rels);
	KG_VEC_FREE(bs.rel_at);
	kg__arena_free(&q.arena);
	if (rc) {
		kg_match_free(res);
		return rc;
	}
	*out = res;
	return KG_OK;
}

void kg_match_free(kg_match_result *r)
{
	if (!r)
		return;
	kg__arena_free(&r->arena);
	kg__free(r);
}

size_t kg_match_column_count(const kg_match_result *r)
{
	return r->ncols;
}

const char *kg_match_column_name(const kg_match_result *r, size_t col)
{
	return r->names[col];
}

size_t kg_match_row_count(const kg_match_result *r)
{
	return r->nrows;
}

kg_match_value kg_match_get(const kg_match_result *r, size_t row, size_t col)
{
	return r->cells[row * r->ncols + col];
}

size_t kg_match_binding_count(const kg_match_result *r)
{
	return r->nbindings;
}

const uint32_t *kg_match_entities(const kg_match_result *r, size_t *count)
{
	*count = r->nents;
	return r->ents;
}

const uint32_t *kg_match_relations(const kg_match_result *r, size_t *count)
{
	*count = r->nrels;
	return r->rels;
}
