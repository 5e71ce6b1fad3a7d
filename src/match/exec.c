/*
 * exec.c - evaluating match queries: values and WHERE tests, the planner,
 * and the depth-first search that enumerates bindings.
 *
 * Pipeline position: match, on the public graph interface only (lookups,
 * counts, per-entity adjacency) and kg_filter_admits for --as-of.
 *
 * The plan: each connected group of patterns starts at its most
 * selective node variable (an id given: one entity; a name given: the
 * entities kg_graph_resolve finds; otherwise the fewest entities of its
 * types) and then binds relation patterns one at a time, each from an
 * end that is already bound, following kg_graph_out/kg_graph_in of that
 * entity: no step ever scans all relations. A WHERE condition (split at
 * its top-level ANDs) is tested as soon as every variable it reads is
 * bound. Every candidate tried and relation followed is a step; past
 * max_work steps the search stops with an error rather than run for
 * hours.
 *
 * Invariants: a relation is bound at most once per binding (the search
 * keeps the relations bound so far on a stack and checks it); the
 * bindings are stored unordered and result.c puts them in file order.
 */
#include "match/match_internal.h"
#include "kgraph/query.h"
#include "util/fold.h"

#include <stdlib.h>
#include <string.h>

/* ---- values ----------------------------------------------------------- */

void kg__match_scratch_clear(mscratch *sc)
{
	size_t i;
	for (i = 0; i < sc->strings.n; i++)
		kg__free(sc->strings.v[i]);
	sc->strings.n = 0;
}

static mval vnull(void)
{
	mval v;
	memset(&v, 0, sizeof v);
	return v;
}

static mval vstr(const char *s)
{
	mval v = vnull();
	if (s) {
		v.kind = V_STR;
		v.s = s;
	}
	return v;
}

static mval vdate(kg_date d)
{
	mval v = vnull();
	if (d) {
		v.kind = V_DATE;
		v.date = d;
	}
	return v;
}

/* An attribute: NULL when absent, a list when written as one. */
static mval attr_value(const kg_graph *g, bool rel, uint32_t idx, const char *key)
{
	size_t n = rel ? kg_relation_attr_count(g, idx) : kg_entity_attr_count(g, idx), i;
	for (i = 0; i < n; i++) {
		kg_attr a = rel ? kg_relation_attr(g, idx, i) : kg_entity_attr(g, idx, i);
		if (!strcmp(a.key, key)) {
			mval v = vstr(a.value);
			if (a.in_list) {
				v.kind = V_LIST;
				v.idx = idx;
				v.of_rel = rel;
				v.key = key;
			}
			return v;
		}
	}
	return vnull();
}

/* The items of a list value (aliases or a list attribute). */
size_t kg__match_list_count(const kg_graph *g, const mval *v)
{
	size_t n, i, c = 0;
	if (!v->key)
		return kg_entity_alias_count(g, v->idx);
	n = v->of_rel ? kg_relation_attr_count(g, v->idx) : kg_entity_attr_count(g, v->idx);
	for (i = 0; i < n; i++) {
		kg_attr a = v->of_rel ? kg_relation_attr(g, v->idx, i) : kg_entity_attr(g, v->idx, i);
		c += !strcmp(a.key, v->key);
	}
	return c;
}

mval kg__match_list_item(const kg_graph *g, const mval *v, size_t k)
{
	size_t n, i;
	if (!v->key)
		return vstr(kg_entity_alias(g, v->idx, k));
	n = v->of_rel ? kg_relation_attr_count(g, v->idx) : kg_entity_attr_count(g, v->idx);
	for (i = 0; i < n; i++) {
		kg_attr a = v->of_rel ? kg_relation_attr(g, v->idx, i) : kg_entity_attr(g, v->idx, i);
		if (!strcmp(a.key, v->key) && k-- == 0)
			return vstr(a.value);
	}
	return vnull();
}

static mval prop_value(const mquery *q, const mexpr *e, const mbind *b)
{
	const kg_graph *g = q->g;
	mval v = vnull();

	if (q->vars[e->var].is_rel) {
		uint32_t r = b->rels[b->start[e->var]];
		double w;
		switch (e->prop) {
		case P_TYPE: return vstr(kg_relation_type_name(g, kg_relation_type(g, r)));
		case P_DATE: return vdate(kg_relation_date(g, r));
		case P_SINCE: return vdate(kg_relation_since(g, r));
		case P_UNTIL: return vdate(kg_relation_until(g, r));
		case P_WEIGHT:
			if (kg_relation_weight(g, r, &w)) {
				v.kind = V_NUM;
				v.num = w;
			}
			return v;
		case P_SOURCE:
			return kg_relation_source(g, r) == KG_NONE ? v : vstr(kg_source_id(g, kg_relation_source(g, r)));
		case P_QUOTE: return vstr(kg_relation_quote(g, r));
		default: return attr_value(g, true, r, e->str);
		}
	}
	{
		uint32_t ent = b->ent[e->var];
		switch (e->prop) {
		case P_ID: return vstr(kg_entity_id(g, ent));
		case P_NAME: return vstr(kg_entity_name(g, ent));
		case P_TYPE: return vstr(kg_type_name(g, kg_entity_type(g, ent)));
		case P_ALIASES:
			if (kg_entity_alias_count(g, ent)) {
				v.kind = V_LIST;
				v.idx = ent;
			}
			return v;
		default: return attr_value(g, false, ent, e->str);
		}
	}
}

mval kg__match_eval(const mquery *q, const mexpr *e, const mbind *b, mscratch *sc)
{
	mval v = vnull();

	switch (e->kind) {
	case X_STR: return vstr(e->str);
	case X_NUM:
		v.kind = V_NUM;
		v.num = e->num;
		return v;
	case X_VAR:
		if (!q->vars[e->var].is_rel) {
			v.kind = V_ENT;
			v.idx = b->ent[e->var];
		} else if (!q->vars[e->var].varlen) {
			v.kind = V_REL;
			v.idx = b->rels[b->start[e->var]];
		} else {
			v.kind = V_PATH;
			v.rels = b->rels + b->start[e->var];
			v.n = b->len[e->var];
		}
		return v;
	case X_PROP: return prop_value(q, e, b);
	case X_LOWER: {
		kg__buf buf = {0};
		mval a = kg__match_eval(q, e->a, b, sc);
		if (a.kind != V_STR)
			return vnull();
		if (kg__fold(&buf, a.s, strlen(a.s)) || KG_VEC_PUSH(sc->strings, buf.p)) {
			/* Text that is not UTF-8 (or no memory) stays as it is. */
			kg__buf_free(&buf);
			return a;
		}
		return vstr(buf.p ? buf.p : "");
	}
	default: {
		int t = kg__match_test(q, e, b, sc);
		if (t < 0)
			return vnull();
		v.kind = V_BOOL;
		v.num = t;
		return v;
	}
	}
}

/* A date's first and last day as packed values, so that "2024-05"
 * covers 2024-05-01 to 2024-05-31 (day 31 of every month is fine: only
 * the order matters). */
static void period(kg_date d, uint32_t *first, uint32_t *last)
{
	*first = kg_date_first_day(d);
	if (KG_DATE_DAY(d))
		*last = d;
	else if (KG_DATE_MONTH(d))
		*last = d | 31;
	else
		*last = d | (12u << 5) | 31;
}

static bool as_date(const mval *v, kg_date *out)
{
	if (v->kind == V_DATE) {
		*out = v->date;
		return true;
	}
	return v->kind == V_STR && kg_date_parse(out, v->s, strlen(v->s)) == KG_OK;
}

/* Compare two scalars for op: 1, 0, or -1 when they cannot be compared. */
static int cmp_scalar(const mval *a, const mval *b, int op)
{
	kg_date da, db;
	double na, nb;
	int c;

	if (a->kind == V_NULL || b->kind == V_NULL)
		return -1;
	if ((a->kind == V_DATE || b->kind == V_DATE || (a->kind == V_STR && b->kind == V_STR)) && as_date(a, &da) &&
	    as_date(b, &db)) {
		/* Periods: before, after, or one inside the other (equal). */
		uint32_t fa, la, fb, lb;
		period(da, &fa, &la);
		period(db, &fb, &lb);
		c = la < fb ? -1 : fa > lb ? 1 : 0;
	} else if ((a->kind == V_NUM || a->kind == V_STR) && (b->kind == V_NUM || b->kind == V_STR) &&
	           (a->kind == V_NUM || b->kind == V_NUM)) {
		na = a->num;
		nb = b->num;
		if ((a->kind == V_STR && kg__parse_number(a->s, strlen(a->s), &na)) ||
		    (b->kind == V_STR && kg__parse_number(b->s, strlen(b->s), &nb)))
			return -1;
		c = na < nb ? -1 : na > nb;
	} else if (a->kind == V_STR && b->kind == V_STR) {
		c = strcmp(a->s, b->s);
	} else if (a->kind == b->kind && (a->kind == V_ENT || a->kind == V_REL || a->kind == V_BOOL)) {
		if (op != C_EQ && op != C_NE)
			return -1;
		c = a->kind == V_BOOL ? (a->num != b->num) : (a->idx != b->idx);
	} else {
		return -1;
	}
	switch (op) {
	case C_EQ: return c == 0;
	case C_NE: return c != 0;
	case C_LT: return c < 0;
	case C_LE: return c <= 0;
	case C_GT: return c > 0;
	default: return c >= 0;
	}
}

/* String tests on scalars. */
static int str_test(mexpr_kind kind, const mval *a, const mval *b)
{
	size_t la, lb;
	if (a->kind != V_STR || b->kind != V_STR)
		return -1;
	la = strlen(a->s);
	lb = strlen(b->s);
	if (kind == X_CONTAINS)
		return strstr(a->s, b->s) != NULL;
	if (lb > la)
		return 0;
	return !memcmp(kind == X_STARTS ? a->s : a->s + la - lb, b->s, lb);
}

/* A list property compares true when any of its items does; unknown
 * when no item does and one was unknown. */
static int any_test(const mquery *q, mexpr_kind kind, int op, const mval *a, const mval *b)
{
	int r = 0, t;
	size_t i, n;

	if (a->kind == V_LIST || b->kind == V_LIST) {
		bool left = a->kind == V_LIST;
		const mval *l = left ? a : b;
		n = kg__match_list_count(q->g, l);
		for (i = 0; i < n; i++) {
			mval it = kg__match_list_item(q->g, l, i);
			t = left ? any_test(q, kind, op, &it, b) : any_test(q, kind, op, a, &it);
			if (t > 0)
				return 1;
			if (t < 0)
				r = -1;
		}
		return r;
	}
	return kind == X_CMP ? cmp_scalar(a, b, op) : str_test(kind, a, b);
}

int kg__match_test(const mquery *q, const mexpr *e, const mbind *b, mscratch *sc)
{
	mval x, y;
	int l, r;
	size_t i;

	switch (e->kind) {
	case X_AND:
		l = kg__match_test(q, e->a, b, sc);
		if (l == 0)
			return 0;
		r = kg__match_test(q, e->b, b, sc);
		return r == 0 ? 0 : (l < 0 || r < 0) ? -1 : 1;
	case X_OR:
		l = kg__match_test(q, e->a, b, sc);
		if (l == 1)
			return 1;
		r = kg__match_test(q, e->b, b, sc);
		return r == 1 ? 1 : (l < 0 || r < 0) ? -1 : 0;
	case X_NOT:
		l = kg__match_test(q, e->a, b, sc);
		return l < 0 ? -1 : !l;
	case X_BOOL: return e->op;
	case X_NULL: return -1;
	case X_ISNULL:
	case X_NOTNULL:
		x = kg__match_eval(q, e->a, b, sc);
		return (x.kind == V_NULL) == (e->kind == X_ISNULL);
	case X_IN:
		x = kg__match_eval(q, e->a, b, sc);
		if (e->b->kind == X_LIST) {
			r = 0;
			for (i = 0; i < e->b->nitems; i++) {
				y = kg__match_eval(q, e->b->items[i], b, sc);
				l = any_test(q, X_CMP, C_EQ, &x, &y);
				if (l > 0)
					return 1;
				if (l < 0)
					r = -1;
			}
			return r;
		}
		y = kg__match_eval(q, e->b, b, sc);
		return any_test(q, X_CMP, C_EQ, &x, &y);
	case X_CMP:
	case X_STARTS:
	case X_ENDS:
	case X_CONTAINS:
		x = kg__match_eval(q, e->a, b, sc);
		y = kg__match_eval(q, e->b, b, sc);
		return any_test(q, e->kind, e->op, &x, &y);
	default:
		/* A bare value as a condition: true only for true. */
		x = kg__match_eval(q, e, b, sc);
		return x.kind == V_BOOL ? (int)x.num : -1;
	}
}

int kg__match_order(const kg_graph *g, const mval *a, const mval *b)
{
	kg_date da, db;
	size_t i;

	if (a->kind == V_NULL || b->kind == V_NULL)
		return (a->kind == V_NULL) - (b->kind == V_NULL);
	if ((a->kind == V_DATE || b->kind == V_DATE) && as_date(a, &da) && as_date(b, &db))
		return da < db ? -1 : da > db;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	switch (a->kind) {
	case V_NUM:
	case V_BOOL: return a->num < b->num ? -1 : a->num > b->num;
	case V_STR: return strcmp(a->s, b->s);
	case V_ENT:
	case V_REL: return a->idx < b->idx ? -1 : a->idx > b->idx;
	case V_PATH:
		for (i = 0; i < a->n && i < b->n; i++)
			if (a->rels[i] != b->rels[i])
				return a->rels[i] < b->rels[i] ? -1 : 1;
		return a->n < b->n ? -1 : a->n > b->n;
	default: {
		/* Lists: item by item. */
		size_t na = kg__match_list_count(g, a), nb = kg__match_list_count(g, b);
		for (i = 0; i < na && i < nb; i++) {
			mval x = kg__match_list_item(g, a, i), y = kg__match_list_item(g, b, i);
			int c = strcmp(x.s, y.s);
			if (c)
				return c;
		}
		return na < nb ? -1 : na > nb;
	}
	}
}

/* ---- the plan --------------------------------------------------------- */

/* One step: bind a node variable from its candidates (elem < 0), or a
 * relation pattern from its bound end `from` to its other end. */
typedef struct mstep {
	int elem;
	int var;      /* SCAN: the node variable */
	bool reverse; /* EXPAND: from the right end to the left */
	const mexpr **tests;
	size_t ntests;
} mstep;

typedef struct search {
	const mquery *q;
	mbindings *out;
	mstep *steps;
	size_t nsteps;
	uint32_t *ent, *start, *len;
	KG_VEC(uint32_t) stack; /* relations bound, in binding order */
	mbind b;
	mscratch sc;
	kg_filter filter;
	size_t work, max_work;
	KG_VEC(uint32_t) *cands; /* per variable with a seed */
	bool *seeded;
	int rc;
} search;

static uint64_t bit(int v)
{
	return (uint64_t)1 << v;
}

/* The candidates of a seeded variable: ascending entity indexes. */
static int seed_candidates(search *s, int var)
{
	const mnode *nd = &s->q->nodes[var];
	const kg_graph *g = s->q->g;

	if (nd->seed_id) {
		uint32_t e = kg_graph_find_entity(g, nd->seed_id);
		s->seeded[var] = true;
		return e == KG_NONE ? 0 : KG_VEC_PUSH(s->cands[var], e);
	}
	if (nd->seed_name && kg_graph_find_entity(g, nd->seed_name) == KG_NONE) {
		/* Every entity whose name equals the text also folds to it. */
		const uint32_t *many = NULL;
		size_t n = 0, i;
		uint32_t one;
		int rc = kg_graph_resolve(&one, &many, &n, g, nd->seed_name);
		if (rc == KG_ENOMEM)
			return -1;
		s->seeded[var] = true;
		if (rc == KG_OK)
			return KG_VEC_PUSH(s->cands[var], one);
		for (i = 0; rc == KG_EAMBIGUOUS && i < n; i++)
			if (KG_VEC_PUSH(s->cands[var], many[i]))
				return -1;
	}
	return 0;
}

/* How many entities a node variable may be: seeded, typed, or all. */
static size_t estimate(search *s, int var, const size_t *type_count)
{
	const mnode *nd = &s->q->nodes[var];
	size_t best = kg_graph_entity_count(s->q->g), k, i;

	if (s->seeded[var])
		return s->cands[var].n;
	for (k = 0; type_count && k < nd->nlabelsets; k++) {
		size_t n = 0;
		for (i = 0; i < nd->nlabels[k]; i++)
			n += type_count[nd->labels[k][i]];
		if (n < best)
			best = n;
	}
	return best;
}

static int make_plan(search *s)
{
	const mquery *q = s->q;
	size_t *type_count = NULL, i, k;
	uint64_t bound = 0, all = 0;
	bool typed = false;
	int rc = 0;

	if (!(s->steps = kg__calloc(q->nvars + 1, sizeof *s->steps)))
		return KG_ENOMEM;
	for (i = 0; i < q->nvars; i++) {
		if (!q->vars[i].is_rel) {
			all |= bit((int)i);
			if (seed_candidates(s, (int)i))
				return KG_ENOMEM;
			typed |= !s->seeded[i] && q->nodes[i].nlabelsets;
		}
	}
	if (typed) {
		/* Entities per type: one pass, only when a type must choose. */
		size_t nt = kg_graph_type_count(q->g), ne = kg_graph_entity_count(q->g);
		if (!(type_count = kg__calloc(nt ? nt : 1, sizeof *type_count)))
			return KG_ENOMEM;
		for (i = 0; i < ne; i++)
			type_count[kg_entity_type(q->g, (uint32_t)i)]++;
	}
	while ((bound & all) != all) {
		/* Start the next group at its most selective unbound node. */
		int pick = -1;
		size_t best = SIZE_MAX;
		bool grew = true;
		for (i = 0; i < q->nvars; i++)
			if ((all & bit((int)i)) && !(bound & bit((int)i))) {
				size_t n = estimate(s, (int)i, type_count);
				if (n < best) {
					best = n;
					pick = (int)i;
				}
			}
		s->steps[s->nsteps].elem = -1;
		s->steps[s->nsteps++].var = pick;
		bound |= bit(pick);
		while (grew) {
			/* Then every relation pattern reachable from what is bound,
			 * preferring one whose far end is bound too (a check) or
			 * seeded, then the first written. */
			int choice = -1, score = -1;
			grew = false;
			for (k = 0; k < q->nelems; k++) {
				const melem *el = &q->elems[k];
				bool l = bound & bit(el->left), r = bound & bit(el->right);
				int sc;
				if ((bound & bit(el->var)) || (!l && !r))
					continue;
				sc = (l && r) ? 3 : s->seeded[l ? el->right : el->left] ? 2 : 1;
				if (sc > score) {
					score = sc;
					choice = (int)k;
				}
			}
			if (choice >= 0) {
				const melem *el = &q->elems[choice];
				s->steps[s->nsteps].elem = choice;
				s->steps[s->nsteps].var = el->var;
				s->steps[s->nsteps++].reverse = !(bound & bit(el->left));
				bound |= bit(el->var) | bit(el->left) | bit(el->right);
				grew = true;
			}
		}
	}
	kg__free(type_count);
	/* Each WHERE condition after the step that binds its last variable. */
	for (k = 0; !rc && k < q->nconj; k++) {
		uint64_t have = 0;
		for (i = 0; i < s->nsteps; i++) {
			const mstep *st = &s->steps[i];
			have |= bit(st->var);
			if (st->elem >= 0)
				have |= bit(q->elems[st->elem].left) | bit(q->elems[st->elem].right);
			if ((q->conj[k]->vars & have) == q->conj[k]->vars)
				break;
		}
		if (i == s->nsteps)
			i = s->nsteps - 1;
		{
			mstep *st = &s->steps[i];
			const mexpr **t = kg__realloc(st->tests, (st->ntests + 1) * sizeof *t);
			if (!t)
				return KG_ENOMEM;
			t[st->ntests++] = q->conj[k];
			st->tests = t;
		}
	}
	return rc;
}

/* ---- the search ------------------------------------------------------- */

static bool node_ok(search *s, int var, uint32_t e)
{
	const mnode *nd = &s->q->nodes[var];
	uint32_t type = kg_entity_type(s->q->g, e);
	size_t k;

	for (k = 0; k < nd->nlabelsets; k++)
		if (!kg__in_list(nd->labels[k], nd->nlabels[k], type))
			return false;
	if (nd->nprops) {
		bool ok = true;
		s->ent[var] = e;
		for (k = 0; ok && k < nd->nprops; k++)
			ok = kg__match_test(s->q, nd->props[k], &s->b, &s->sc) == 1;
		s->ent[var] = KG_NONE;
		return ok;
	}
	return true;
}

static bool rel_ok(search *s, const melem *el, uint32_t r)
{
	size_t k;
	bool ok = true;

	if (el->ntypes && !kg__in_list(el->types, el->ntypes, kg_relation_type(s->q->g, r)))
		return false;
	if (s->filter.as_of && !kg_filter_admits(s->q->g, &s->filter, r))
		return false;
	for (k = 0; k < s->stack.n; k++)
		if (s->stack.v[k] == r)
			return false;
	if (el->nprops) {
		/* The property tests read the relation through a one-item run. */
		uint32_t start = s->start[el->var], len = s->len[el->var];
		if (KG_VEC_PUSH(s->stack, r)) {
			s->rc = KG_ENOMEM;
			return false;
		}
		s->b.rels = s->stack.v;
		s->start[el->var] = (uint32_t)s->stack.n - 1;
		s->len[el->var] = 1;
		for (k = 0; ok && k < el->nprops; k++)
			ok = kg__match_test(s->q, el->props[k], &s->b, &s->sc) == 1;
		s->stack.n--;
		s->start[el->var] = start;
		s->len[el->var] = len;
	}
	return ok;
}

static void run_step(search *s, size_t i);

static bool tests_pass(search *s, const mstep *st)
{
	size_t k;
	bool ok = true;
	s->b.rels = s->stack.v;
	for (k = 0; ok && k < st->ntests; k++)
		ok = kg__match_test(s->q, st->tests[k], &s->b, &s->sc) == 1;
	kg__match_scratch_clear(&s->sc);
	return ok;
}

static void emit(search *s)
{
	const mquery *q = s->q;
	mbindings *o = s->out;
	size_t v;

	if (KG_VEC_PUSH(o->rel_at, (uint32_t)o->rels.n) || KG_VEC_RESERVE(o->data, o->data.n + 3 * q->nvars) ||
	    KG_VEC_RESERVE(o->rels, o->rels.n + s->stack.n)) {
		s->rc = KG_ENOMEM;
		return;
	}
	for (v = 0; v < q->nvars; v++)
		o->data.v[o->data.n++] = s->ent[v];
	for (v = 0; v < q->nvars; v++)
		o->data.v[o->data.n++] = s->start[v];
	for (v = 0; v < q->nvars; v++)
		o->data.v[o->data.n++] = s->len[v];
	if (s->stack.n)
		memcpy(o->rels.v + o->rels.n, s->stack.v, s->stack.n * sizeof *s->stack.v);
	/* A variable-length run walked from its right end is stored as
	 * written, left to right, so that it orders and reads the same
	 * whichever end the plan started from. */
	for (v = 0; v < s->nsteps; v++) {
		const mstep *st = &s->steps[v];
		uint32_t *run, len, k;
		if (st->elem < 0 || !st->reverse)
			continue;
		run = o->rels.v + o->rels.n + s->start[st->var];
		len = s->len[st->var];
		for (k = 0; k < len / 2; k++) {
			uint32_t t = run[k];
			run[k] = run[len - 1 - k];
			run[len - 1 - k] = t;
		}
	}
	o->rels.n += s->stack.n;
	o->count++;
}

static bool spend(search *s)
{
	if (++s->work > s->max_work && !s->rc)
		s->rc = KG_EINVALID;
	return !s->rc;
}

/* Bind node variable var to e (or check it when bound) and go on. */
static void bind_node(search *s, size_t i, int var, uint32_t e, bool was_bound)
{
	const mstep *st = &s->steps[i];
	if (was_bound) {
		if (s->ent[var] != e)
			return;
	} else {
		if (!node_ok(s, var, e))
			return;
		s->ent[var] = e;
	}
	if (tests_pass(s, st))
		run_step(s, i + 1);
	if (!was_bound)
		s->ent[var] = KG_NONE;
}

/* Follow hops more relations of element el from entity at; depth is the
 * number followed so far. */
static void walk(search *s, size_t i, const melem *el, bool fwd, uint32_t at, unsigned depth, int to, bool to_bound)
{
	const kg_graph *g = s->q->g;
	int pass;

	if (depth >= el->min) {
		s->len[el->var] = depth;
		bind_node(s, i, to, at, to_bound);
	}
	if (depth == el->max || s->rc)
		return;
	/* fwd: the relation is followed from its left pattern end to its
	 * right one. Pass 0 reads relations as written, pass 1 against. */
	for (pass = 0; pass < 2; pass++) {
		bool out = (pass == 0) == fwd;
		size_t n, k;
		const uint32_t *rels;
		if (el->dir == D_LEFT)
			out = !out;
		rels = out ? kg_graph_out(g, at, &n) : kg_graph_in(g, at, &n);
		for (k = 0; k < n && !s->rc; k++) {
			uint32_t r = rels[k];
			if (!spend(s))
				return;
			if (pass == 1) {
				/* Against the arrow: only undirected patterns and
				 * symmetric types; a loop was already seen. */
				if (kg_relation_from(g, r) == kg_relation_to(g, r))
					continue;
				if (el->dir != D_BOTH && !kg_relation_type_is_symmetric(g, kg_relation_type(g, r)))
					continue;
			}
			if (!rel_ok(s, el, r))
				continue;
			if (KG_VEC_PUSH(s->stack, r)) {
				s->rc = KG_ENOMEM;
				return;
			}
			walk(s, i, el, fwd, out ? kg_relation_to(g, r) : kg_relation_from(g, r), depth + 1, to, to_bound);
			s->stack.n--;
		}
	}
}

static void run_step(search *s, size_t i)
{
	const mquery *q = s->q;
	const mstep *st;

	if (s->rc)
		return;
	if (i == s->nsteps) {
		emit(s);
		return;
	}
	st = &s->steps[i];
	if (st->elem < 0) {
		size_t n = s->seeded[st->var] ? s->cands[st->var].n : kg_graph_entity_count(q->g), k;
		for (k = 0; k < n && spend(s); k++)
			bind_node(s, i, st->var, s->seeded[st->var] ? s->cands[st->var].v[k] : (uint32_t)k, false);
	} else {
		const melem *el = &q->elems[st->elem];
		int from = st->reverse ? el->right : el->left, to = st->reverse ? el->left : el->right;
		uint32_t saved = s->start[el->var];
		s->start[el->var] = (uint32_t)s->stack.n;
		walk(s, i, el, !st->reverse, s->ent[from], 0, to, s->ent[to] != KG_NONE);
		s->start[el->var] = saved;
		s->len[el->var] = 0;
	}
}

int kg__match_run(mbindings *out, const mquery *q, const kg_match_options *opts, kg_diag_list *diags)
{
	search s;
	size_t i;
	int rc;

	memset(&s, 0, sizeof s);
	s.q = q;
	s.out = out;
	s.max_work = opts->max_work && opts->max_work < KG_MAX_MATCH_WORK ? opts->max_work : KG_MAX_MATCH_WORK;
	s.filter.as_of = opts->as_of;
	s.ent = kg__malloc((q->nvars ? q->nvars : 1) * 3 * sizeof *s.ent);
	s.cands = kg__calloc(q->nvars ? q->nvars : 1, sizeof *s.cands);
	s.seeded = kg__calloc(q->nvars ? q->nvars : 1, sizeof *s.seeded);
	if (!s.ent || !s.cands || !s.seeded) {
		rc = KG_ENOMEM;
		goto done;
	}
	s.start = s.ent + q->nvars;
	s.len = s.start + q->nvars;
	for (i = 0; i < q->nvars; i++) {
		s.ent[i] = KG_NONE;
		s.start[i] = s.len[i] = 0;
	}
	s.b.ent = s.ent;
	s.b.start = s.start;
	s.b.len = s.len;
	if ((rc = make_plan(&s)))
		goto done;
	run_step(&s, 0);
	rc = s.rc;
	if (rc == KG_EINVALID)
		rc = kg__match_error(diags, opts->name, q->text, 0,
		                     "start from something selective: an id or name ({id: \"...\"}), a type, "
		                     "fewer hops",
		                     "the pattern took more than %zu steps (KG_MAX_MATCH_WORK) and was stopped",
		                     s.max_work);
done:
	kg__match_scratch_clear(&s.sc);
	KG_VEC_FREE(s.sc.strings);
	for (i = 0; s.steps && i < s.nsteps; i++)
		kg__free(s.steps[i].tests);
	kg__free(s.steps);
	for (i = 0; s.cands && i < q->nvars; i++)
		KG_VEC_FREE(s.cands[i]);
	kg__free(s.cands);
	kg__free(s.seeded);
	kg__free(s.ent);
	KG_VEC_FREE(s.stack);
	return rc;
}

void kg__match_binding(mbind *b, const mquery *q, const mbindings *bs, size_t i)
{
	const uint32_t *d = bs->data.v + i * 3 * q->nvars;
	b->ent = d;
	b->start = d + q->nvars;
	b->len = d + 2 * q->nvars;
	b->rels = bs->rels.v + bs->rel_at.v[i];
}
