/*
 * diff.c - what changed between two versions of a graph (kgraph/diff.h
 * says what is matched and compared).
 *
 * Pipeline position: graph -> diff; only kgraph/graph.h is used, and
 * the CLI (`kgraph diff`) writes the result as text, TSV or JSON.
 *
 * Every item is first turned into a field list: its named fields in a
 * fixed order (a NULL value where it has none), then its attributes, one
 * entry per key (a list as one "[a, b]" text). Two items differ in the
 * fields whose texts differ; so one comparison serves entities, relations
 * and sources, and "identical" (for pairing repeated relations) is "no
 * field differs". Texts are copied into the result, which therefore
 * outlives both graphs.
 */
#include "kgraph/diff.h"
#include "kgraph/common.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fv {
	const char *name;
	char *value; /* owned; NULL when absent */
	bool attribute;
} fv;

typedef KG_VEC(fv) fvec;

typedef struct chg {
	kg_diff_item item;
	kg_diff_kind kind;
	uint32_t old_index, new_index;
	size_t first, n; /* in fields */
} chg;

struct kg_diff {
	KG_VEC(chg) changes;
	KG_VEC(kg_diff_field) fields;
	KG_VEC(char *) owned; /* every text the fields point to */
};

static char *copy(const char *s)
{
	size_t n;
	char *p;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	if ((p = kg__malloc(n)))
		memcpy(p, s, n);
	return p;
}

/* ---- field lists --------------------------------------------------- */

typedef struct fields {
	fvec v;
	KG_VEC(char) text; /* scratch for lists */
	bool failed;
} fields;

static void fields_clear(fields *f)
{
	for (size_t i = 0; i < f->v.n; i++)
		kg__free(f->v.v[i].value);
	f->v.n = 0;
}

static void fields_free(fields *f)
{
	fields_clear(f);
	KG_VEC_FREE(f->v);
	KG_VEC_FREE(f->text);
}

static void add(fields *f, const char *name, const char *value, bool attribute)
{
	fv x = {name, NULL, attribute};

	if (value && !(x.value = copy(value)))
		f->failed = true;
	else if (KG_VEC_PUSH(f->v, x)) {
		kg__free(x.value);
		f->failed = true;
	}
}

static void add_date(fields *f, const char *name, kg_date d)
{
	char buf[11];

	add(f, name, d ? kg_date_format(buf, d) : NULL, false);
}

static void text_put(fields *f, const char *s)
{
	size_t n = strlen(s);

	if (KG_VEC_RESERVE(f->text, f->text.n + n + 1)) {
		f->failed = true;
		return;
	}
	memcpy(f->text.v + f->text.n, s, n + 1);
	f->text.n += n;
}

/* "[a, b]" of the values get(i) for i < n, into f->text. */
static const char *list_text(fields *f, const char *(*get)(const kg_graph *, uint32_t, size_t), const kg_graph *g,
                             uint32_t item, size_t n)
{
	f->text.n = 0;
	text_put(f, "[");
	for (size_t i = 0; i < n; i++) {
		text_put(f, i ? ", " : "");
		text_put(f, get(g, item, i));
	}
	text_put(f, "]");
	return f->failed ? NULL : f->text.v;
}

/* The attributes of an item, one entry per key, lists joined. */
typedef kg_attr (*attr_fn)(const kg_graph *, uint32_t, size_t);

static void add_attrs(fields *f, const kg_graph *g, uint32_t item, size_t n, attr_fn get)
{
	size_t i = 0;

	while (i < n) {
		kg_attr a = get(g, item, i);
		size_t j = i + 1;
		if (!a.in_list) {
			add(f, a.key, a.value, true);
			i++;
			continue;
		}
		f->text.n = 0;
		text_put(f, "[");
		text_put(f, a.value);
		for (; j < n && get(g, item, j).in_list && strcmp(get(g, item, j).key, a.key) == 0; j++) {
			text_put(f, ", ");
			text_put(f, get(g, item, j).value);
		}
		text_put(f, "]");
		if (!f->failed)
			add(f, a.key, f->text.v, true);
		i = j;
	}
}

static void entity_fields(fields *f, const kg_graph *g, uint32_t e)
{
	fields_clear(f);
	add(f, "type", kg_type_name(g, kg_entity_type(g, e)), false);
	add(f, "name", kg_entity_name(g, e), false);
	add(f, "aliases",
	    kg_entity_alias_count(g, e) ? list_text(f, kg_entity_alias, g, e, kg_entity_alias_count(g, e)) : NULL, false);
	add_attrs(f, g, e, kg_entity_attr_count(g, e), kg_entity_attr);
}

static void relation_fields(fields *f, const kg_graph *g, uint32_t r)
{
	uint32_t src = kg_relation_source(g, r);
	double w;
	char buf[32];

	fields_clear(f);
	add_date(f, "date", kg_relation_date(g, r));
	add_date(f, "since", kg_relation_since(g, r));
	add_date(f, "until", kg_relation_until(g, r));
	add(f, "source", src != KG_NONE ? kg_source_id(g, src) : NULL, false);
	add(f, "quote", kg_relation_quote(g, r), false);
	if (kg_relation_weight(g, r, &w))
		snprintf(buf, sizeof buf, "%.17g", w);
	add(f, "weight", kg_relation_weight(g, r, &w) ? buf : NULL, false);
	add_attrs(f, g, r, kg_relation_attr_count(g, r), kg_relation_attr);
}

static void source_fields(fields *f, const kg_graph *g, uint32_t s)
{
	fields_clear(f);
	add(f, "title", kg_source_title(g, s), false);
	add(f, "publisher", kg_source_publisher(g, s), false);
	add(f, "url", kg_source_url(g, s), false);
	add_date(f, "date", kg_source_date(g, s));
	add_attrs(f, g, s, kg_source_attr_count(g, s), kg_source_attr);
}

static bool same_text(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static const fv *find_attr(const fields *f, const char *key)
{
	for (size_t i = 0; i < f->v.n; i++)
		if (f->v.v[i].attribute && strcmp(f->v.v[i].name, key) == 0)
			return &f->v.v[i];
	return NULL;
}

/* Call each(ctx, name, attribute, old, new) for every field that
 * differs: the named fields in order, then the old attributes, then the
 * attributes only the new side has. Returns how many differ. */
static size_t compare(const fields *a, const fields *b,
                      int (*each)(void *, const char *, bool, const char *, const char *), void *ctx, int *rc)
{
	size_t i, n = 0;

	for (i = 0; i < a->v.n && !a->v.v[i].attribute; i++)
		if (!same_text(a->v.v[i].value, b->v.v[i].value)) {
			n++;
			if (each && !*rc)
				*rc = each(ctx, a->v.v[i].name, false, a->v.v[i].value, b->v.v[i].value);
		}
	for (; i < a->v.n; i++) {
		const fv *x = &a->v.v[i], *y = find_attr(b, x->name);
		if (!y || !same_text(x->value, y->value)) {
			n++;
			if (each && !*rc)
				*rc = each(ctx, x->name, true, x->value, y ? y->value : NULL);
		}
	}
	for (i = 0; i < b->v.n; i++)
		if (b->v.v[i].attribute && !find_attr(a, b->v.v[i].name)) {
			n++;
			if (each && !*rc)
				*rc = each(ctx, b->v.v[i].name, true, NULL, b->v.v[i].value);
		}
	return n;
}

/* ---- the result ---------------------------------------------------- */

typedef struct differ {
	kg_diff *d;
	const kg_graph *og, *ng;
	fields a, b;
} differ;

static int keep(kg_diff *d, const char *s, const char **out)
{
	char *p = NULL;

	*out = NULL;
	if (!s)
		return KG_OK;
	if (!(p = copy(s)) || KG_VEC_PUSH(d->owned, p)) {
		kg__free(p);
		return KG_ENOMEM;
	}
	*out = p;
	return KG_OK;
}

static int add_field(void *ctx, const char *name, bool attribute, const char *o, const char *n)
{
	kg_diff *d = ctx;
	kg_diff_field f = {NULL, attribute, NULL, NULL};

	if (keep(d, name, &f.name) || keep(d, o, &f.old_value) || keep(d, n, &f.new_value))
		return KG_ENOMEM;
	return KG_VEC_PUSH(d->fields, f) ? KG_ENOMEM : KG_OK;
}

static int add_change(differ *df, kg_diff_item item, kg_diff_kind kind, uint32_t o, uint32_t n)
{
	chg c = {item, kind, o, n, df->d->fields.n, 0};
	int rc = KG_OK;

	if (kind == KG_DIFF_CHANGED) {
		c.n = compare(&df->a, &df->b, add_field, df->d, &rc);
		if (rc)
			return rc;
		if (!c.n)
			return KG_OK;
	}
	return KG_VEC_PUSH(df->d->changes, c) ? KG_ENOMEM : KG_OK;
}

/* ---- entities and sources: by id ----------------------------------- */

typedef struct by_id {
	kg_diff_item item;
	size_t (*count)(const kg_graph *);
	const char *(*id)(const kg_graph *, uint32_t);
	uint32_t (*find)(const kg_graph *, const char *);
	void (*fields_of)(fields *, const kg_graph *, uint32_t);
} by_id;

static int diff_by_id(differ *df, const by_id *k)
{
	size_t i, no = k->count(df->og), nn = k->count(df->ng);
	int rc;

	for (i = 0; i < no; i++) {
		uint32_t j = k->find(df->ng, k->id(df->og, (uint32_t)i));
		if (j == KG_NONE) {
			rc = add_change(df, k->item, KG_DIFF_REMOVED, (uint32_t)i, KG_NONE);
		} else {
			k->fields_of(&df->a, df->og, (uint32_t)i);
			k->fields_of(&df->b, df->ng, j);
			if (df->a.failed || df->b.failed)
				return KG_ENOMEM;
			rc = add_change(df, k->item, KG_DIFF_CHANGED, (uint32_t)i, j);
		}
		if (rc)
			return rc;
	}
	for (i = 0; i < nn; i++)
		if (k->find(df->og, k->id(df->ng, (uint32_t)i)) == KG_NONE &&
		    (rc = add_change(df, k->item, KG_DIFF_ADDED, KG_NONE, (uint32_t)i)))
			return rc;
	return KG_OK;
}

/* ---- relations: by (from, type, to) -------------------------------- */

typedef struct rkey {
	const char *a, *type, *b; /* the ends, in order for a symmetric type */
	uint32_t rel;
	uint32_t match; /* the paired relation on the other side, or KG_NONE */
} rkey;

static int cmp_rkey(const void *x, const void *y)
{
	const rkey *p = x, *q = y;
	int c = strcmp(p->a, q->a);

	if (!c)
		c = strcmp(p->type, q->type);
	if (!c)
		c = strcmp(p->b, q->b);
	return c ? c : (p->rel > q->rel) - (p->rel < q->rel);
}

static bool same_key(const rkey *p, const rkey *q)
{
	return strcmp(p->a, q->a) == 0 && strcmp(p->type, q->type) == 0 && strcmp(p->b, q->b) == 0;
}

static rkey *relation_keys(const kg_graph *g)
{
	size_t n = kg_graph_relation_count(g);
	rkey *k = kg__malloc((n + 1) * sizeof *k);

	if (!k)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		uint32_t t = kg_relation_type(g, (uint32_t)i);
		const char *from = kg_entity_id(g, kg_relation_from(g, (uint32_t)i));
		const char *to = kg_entity_id(g, kg_relation_to(g, (uint32_t)i));
		bool swap = kg_relation_type_is_symmetric(g, t) && strcmp(from, to) > 0;
		k[i] = (rkey){swap ? to : from, kg_relation_type_name(g, t), swap ? from : to, (uint32_t)i, KG_NONE};
	}
	qsort(k, n, sizeof *k, cmp_rkey);
	return k;
}

/* Pair the old relations o[0..no) with the new n[0..nn), all of one key:
 * identical ones first, then the rest in file order. */
static int pair_group(differ *df, rkey *o, size_t no, rkey *n, size_t nn)
{
	size_t i, j;

	for (i = 0; i < no; i++) {
		relation_fields(&df->a, df->og, o[i].rel);
		for (j = 0; j < nn; j++) {
			int rc = KG_OK;
			if (n[j].match != KG_NONE)
				continue;
			relation_fields(&df->b, df->ng, n[j].rel);
			if (df->a.failed || df->b.failed)
				return KG_ENOMEM;
			if (compare(&df->a, &df->b, NULL, NULL, &rc) == 0) {
				o[i].match = n[j].rel;
				n[j].match = o[i].rel;
				break;
			}
		}
	}
	for (i = j = 0; i < no; i++) {
		if (o[i].match != KG_NONE)
			continue;
		while (j < nn && n[j].match != KG_NONE)
			j++;
		if (j == nn)
			break;
		o[i].match = n[j].rel;
		n[j].match = o[i].rel;
	}
	return KG_OK;
}

static int diff_relations(differ *df)
{
	size_t no = kg_graph_relation_count(df->og), nn = kg_graph_relation_count(df->ng), i = 0, j = 0;
	rkey *o = relation_keys(df->og), *n = relation_keys(df->ng);
	uint32_t *old_match = NULL, *new_match = NULL;
	int rc = KG_ENOMEM;

	if (!o || !n)
		goto done;
	/* Walk both sorted lists group by group. */
	while (i < no && j < nn) {
		int c = strcmp(o[i].a, n[j].a);
		size_t i2 = i, j2 = j;
		if (!c)
			c = strcmp(o[i].type, n[j].type);
		if (!c)
			c = strcmp(o[i].b, n[j].b);
		if (c < 0) {
			i++;
			continue;
		}
		if (c > 0) {
			j++;
			continue;
		}
		while (i2 < no && same_key(&o[i], &o[i2]))
			i2++;
		while (j2 < nn && same_key(&n[j], &n[j2]))
			j2++;
		if ((rc = pair_group(df, o + i, i2 - i, n + j, j2 - j)) != KG_OK)
			goto done;
		i = i2;
		j = j2;
	}
	/* Back to file order for the report. */
	old_match = kg__malloc((no + 1) * sizeof *old_match);
	new_match = kg__malloc((nn + 1) * sizeof *new_match);
	rc = KG_ENOMEM;
	if (!old_match || !new_match)
		goto done;
	for (i = 0; i < no; i++)
		old_match[o[i].rel] = o[i].match;
	for (j = 0; j < nn; j++)
		new_match[n[j].rel] = n[j].match;
	rc = KG_OK;
	for (i = 0; i < no && rc == KG_OK; i++) {
		if (old_match[i] == KG_NONE) {
			rc = add_change(df, KG_DIFF_RELATION, KG_DIFF_REMOVED, (uint32_t)i, KG_NONE);
			continue;
		}
		relation_fields(&df->a, df->og, (uint32_t)i);
		relation_fields(&df->b, df->ng, old_match[i]);
		rc = df->a.failed || df->b.failed ? KG_ENOMEM
		                                   : add_change(df, KG_DIFF_RELATION, KG_DIFF_CHANGED, (uint32_t)i, old_match[i]);
	}
	for (j = 0; j < nn && rc == KG_OK; j++)
		if (new_match[j] == KG_NONE)
			rc = add_change(df, KG_DIFF_RELATION, KG_DIFF_ADDED, KG_NONE, (uint32_t)j);
done:
	kg__free(o);
	kg__free(n);
	kg__free(old_match);
	kg__free(new_match);
	return rc;
}

/* ---- the entry points ---------------------------------------------- */

int kg_diff_graphs(kg_diff **out, const kg_graph *old_graph, const kg_graph *new_graph)
{
	static const by_id entities = {KG_DIFF_ENTITY, kg_graph_entity_count, kg_entity_id, kg_graph_find_entity,
	                               entity_fields};
	static const by_id sources = {KG_DIFF_SOURCE, kg_graph_source_count, kg_source_id, kg_graph_find_source,
	                              source_fields};
	differ df;
	int rc;

	if (!out)
		return KG_EARG;
	*out = NULL;
	if (!old_graph || !new_graph)
		return KG_EARG;
	memset(&df, 0, sizeof df);
	df.og = old_graph;
	df.ng = new_graph;
	if (!(df.d = kg__malloc(sizeof *df.d)))
		return KG_ENOMEM;
	memset(df.d, 0, sizeof *df.d);
	rc = diff_by_id(&df, &entities);
	if (rc == KG_OK)
		rc = diff_relations(&df);
	if (rc == KG_OK)
		rc = diff_by_id(&df, &sources);
	fields_free(&df.a);
	fields_free(&df.b);
	if (rc != KG_OK) {
		kg_diff_free(df.d);
		return rc;
	}
	*out = df.d;
	return KG_OK;
}

size_t kg_diff_count(const kg_diff *d)
{
	return d ? d->changes.n : 0;
}

kg_diff_change kg_diff_get(const kg_diff *d, size_t i)
{
	const chg *c = &d->changes.v[i];
	kg_diff_change out = {c->item, c->kind, c->old_index, c->new_index, c->n, c->n ? d->fields.v + c->first : NULL};

	return out;
}

void kg_diff_free(kg_diff *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->owned.n; i++)
		kg__free(d->owned.v[i]);
	KG_VEC_FREE(d->owned);
	KG_VEC_FREE(d->changes);
	KG_VEC_FREE(d->fields);
	kg__free(d);
}
