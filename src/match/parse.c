/*
 * parse.c - the match query language: recursive-descent parser and name
 * resolution over the tokens of lex.c, producing the mquery of
 * match_internal.h.
 *
 * Pipeline position: match, above core (it reads the graph only to
 * resolve type, relation type and property names). Every error points at
 * a byte of the query and becomes a diagnostic with line, column, the
 * query line and, where a name was mistyped, a did-you-mean. Cypher that
 * the subset leaves out is recognised and named ("OPTIONAL MATCH is not
 * supported") rather than reported as a syntax error.
 *
 * Invariants: everything the parser allocates lives in q->arena; at most
 * KG_MAX_MATCH_ELEMENTS variables (so a variable set fits in 64 bits) and
 * expressions nested at most KG_MAX_MATCH_NESTING deep.
 */
#include "match/lex.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef KG_VEC(melem) melem_vec;
typedef KG_VEC(mexpr *) mexpr_vec;

typedef struct parser {
	mquery *q;
	kg_diag_list *diags;
	const char *name;
	mtoken_vec toks;
	size_t i;
	int depth;
	bool in_return; /* count() is allowed */
} parser;

#define ERR(p, pos, hint, ...) kg__match_error((p)->diags, (p)->name, (p)->q->text, (pos), (hint), __VA_ARGS__)
#define TRY(x) do { int rc_ = (x); if (rc_) return rc_; } while (0)

/* ---- token helpers --------------------------------------------------- */

static const mtoken *peek(const parser *p, size_t ahead)
{
	size_t i = p->i + ahead;
	return &p->toks.v[i < p->toks.n ? i : p->toks.n - 1];
}

static bool is_punct(const mtoken *t, const char *sym)
{
	return t->kind == T_PUNCT && !strcmp(t->text, sym);
}

static bool is_kw(const mtoken *t, const char *kw)
{
	return t->kind == T_IDENT && !kg__match_casecmp(t->text, kw);
}

static bool accept(parser *p, const char *sym)
{
	if (!is_punct(peek(p, 0), sym))
		return false;
	p->i++;
	return true;
}

static bool accept_kw(parser *p, const char *kw)
{
	if (!is_kw(peek(p, 0), kw))
		return false;
	p->i++;
	return true;
}

/* "did you mean 'near'?" in buf, or NULL when nothing is near. */
static const char *did_you_mean(char *buf, size_t size, const char *near)
{
	if (!near)
		return NULL;
	snprintf(buf, size, "did you mean '%s'?", near);
	return buf;
}

/* An error for an unsupported Cypher word, or 0 if t is not one. */
static int check_unsupported(parser *p, const mtoken *t)
{
	return kg__match_unsupported(p->diags, p->name, p->q, t);
}

/* "expected X" at the current token, naming an unsupported word or
 * suggesting a keyword for a mistyped one. */
static int expected(parser *p, const char *what)
{
	const mtoken *t = peek(p, 0);
	const char *hint = NULL;
	char buf[96];

	TRY(check_unsupported(p, t));
	if (t->kind == T_EOF)
		return ERR(p, t->pos, NULL, "expected %s, found the end of the query", what);
	if (t->kind == T_IDENT)
		hint = did_you_mean(buf, sizeof buf, kg__match_near_keyword(t->text));
	return ERR(p, t->pos, hint, "expected %s, found '%.*s'", what, (int)t->len, p->q->text + t->pos);
}

static int expect(parser *p, const char *sym, const char *what)
{
	return accept(p, sym) ? 0 : expected(p, what);
}

static int expect_kw(parser *p, const char *kw)
{
	char what[32];
	if (accept_kw(p, kw))
		return 0;
	snprintf(what, sizeof what, "%s", kw);
	return expected(p, what);
}

/* ---- names ----------------------------------------------------------- */

static const char *const node_props[] = {"id", "name", "type", "aliases"};
static const char *const rel_props[] = {"type", "date", "since", "until", "weight", "source", "quote"};
static const mprop node_codes[] = {P_ID, P_NAME, P_TYPE, P_ALIASES};
static const mprop rel_codes[] = {P_TYPE, P_DATE, P_SINCE, P_UNTIL, P_WEIGHT, P_SOURCE, P_QUOTE};

/* Whether some entity (or relation) has an attribute key; else the
 * closest key, or builtin name, for the hint. */
static bool attr_known(const kg_graph *g, bool rel, const char *key, const char **near)
{
	size_t n = rel ? kg_graph_relation_count(g) : kg_graph_entity_count(g), i, j;
	unsigned best = kg__suggest_distance(strlen(key)) + 1;

	*near = kg__closest(key, strlen(key), rel ? rel_props : node_props,
	                   rel ? sizeof rel_props / sizeof *rel_props : sizeof node_props / sizeof *node_props, false);
	if (*near)
		best = kg__edit_distance(key, strlen(key), *near, strlen(*near), best - 1);
	for (i = 0; i < n; i++) {
		size_t na = rel ? kg_relation_attr_count(g, (uint32_t)i) : kg_entity_attr_count(g, (uint32_t)i);
		for (j = 0; j < na; j++) {
			kg_attr a = rel ? kg_relation_attr(g, (uint32_t)i, j) : kg_entity_attr(g, (uint32_t)i, j);
			unsigned d;
			if (!strcmp(a.key, key))
				return true;
			d = kg__edit_distance(key, strlen(key), a.key, strlen(a.key), best - 1);
			if (d < best) {
				best = d;
				*near = a.key;
			}
		}
	}
	return false;
}

static mexpr *new_expr(parser *p, mexpr_kind kind, size_t pos)
{
	mexpr *e = kg__arena_alloc(&p->q->arena, sizeof *e);
	if (e) {
		memset(e, 0, sizeof *e);
		e->kind = kind;
		e->pos = pos;
		e->end = pos;
	}
	return e;
}

/* Resolve var.key into a property expression. */
static int make_prop(parser *p, mexpr **out, int var, const mtoken *key, size_t pos)
{
	const mquery *q = p->q;
	const mvar *v = &q->vars[var];
	const char *const *names = v->is_rel ? rel_props : node_props;
	const mprop *codes = v->is_rel ? rel_codes : node_codes;
	size_t n = v->is_rel ? sizeof rel_props / sizeof *rel_props : sizeof node_props / sizeof *node_props, k;
	mexpr *e = new_expr(p, X_PROP, pos);
	const char *near;
	char buf[160];

	if (!e)
		return KG_ENOMEM;
	if (v->varlen)
		return ERR(p, pos, "give the relations' conditions inside the pattern: -[:t* {key: value}]-",
		           "'%s' is a variable-length relation, a list of relations without properties", v->name);
	e->var = var;
	e->vars = (uint64_t)1 << var;
	e->str = key->text;
	e->end = key->pos + key->len;
	for (k = 0; k < n; k++)
		if (!strcmp(key->text, names[k])) {
			e->prop = codes[k];
			*out = e;
			return KG_OK;
		}
	if (!attr_known(q->g, v->is_rel, key->text, &near)) {
		if (near)
			snprintf(buf, sizeof buf, "did you mean '%s'?", near);
		return ERR(p, key->pos, near ? buf : NULL, "unknown property '%s': no %s has it", key->text,
		           v->is_rel ? "relation" : "entity");
	}
	e->prop = P_ATTR;
	*out = e;
	return KG_OK;
}

static int find_var(const mquery *q, const char *name)
{
	size_t i;
	for (i = 0; i < q->nvars; i++)
		if (q->vars[i].name && !strcmp(q->vars[i].name, name))
			return (int)i;
	return -1;
}

static int add_var(parser *p, int *out, const char *name, bool is_rel, size_t pos)
{
	mquery *q = p->q;
	if (q->nvars >= KG_MAX_MATCH_ELEMENTS)
		return ERR(p, pos, NULL, "more than %d node and relation patterns (KG_MAX_MATCH_ELEMENTS)",
		           KG_MAX_MATCH_ELEMENTS);
	memset(&q->vars[q->nvars], 0, sizeof *q->vars);
	memset(&q->nodes[q->nvars], 0, sizeof *q->nodes);
	q->vars[q->nvars].name = name;
	q->vars[q->nvars].is_rel = is_rel;
	q->vars[q->nvars].pos = pos;
	q->vars[q->nvars].order = (int)q->nvars;
	*out = (int)q->nvars++;
	return KG_OK;
}

/* ---- expressions ----------------------------------------------------- */

static int parse_expr(parser *p, mexpr **out);

static int parse_literal(parser *p, mexpr **out)
{
	const mtoken *t = peek(p, 0);
	mexpr *e;
	bool neg = false;

	if (is_punct(t, "-") && peek(p, 1)->kind == T_NUMBER) {
		neg = true;
		p->i++;
		t = peek(p, 0);
	}
	if (t->kind == T_STRING) {
		if (!(e = new_expr(p, X_STR, t->pos)))
			return KG_ENOMEM;
		e->str = t->text;
	} else if (t->kind == T_NUMBER) {
		if (!(e = new_expr(p, X_NUM, t->pos)))
			return KG_ENOMEM;
		e->num = neg ? -t->num : t->num;
	} else if (is_kw(t, "NULL") || is_kw(t, "TRUE") || is_kw(t, "FALSE")) {
		if (!(e = new_expr(p, is_kw(t, "NULL") ? X_NULL : X_BOOL, t->pos)))
			return KG_ENOMEM;
		e->op = is_kw(t, "TRUE");
	} else if (is_punct(t, "[")) {
		KG_VEC(mexpr *) items = {0};
		size_t pos = t->pos;
		int rc = 0;
		p->i++;
		while (!rc && !accept(p, "]")) {
			mexpr *item = NULL;
			if (items.n && (rc = expect(p, ",", "',' or ']'")))
				break;
			if (!(rc = parse_literal(p, &item)) && KG_VEC_PUSH(items, item))
				rc = KG_ENOMEM;
		}
		if (!rc && !(e = new_expr(p, X_LIST, pos)))
			rc = KG_ENOMEM;
		if (!rc && items.n && !(e->items = kg__arena_alloc(&p->q->arena, items.n * sizeof *items.v)))
			rc = KG_ENOMEM;
		if (!rc) {
			if (items.n)
				memcpy(e->items, items.v, items.n * sizeof *items.v);
			e->nitems = items.n;
			e->end = peek(p, 0)[-1].pos + 1;
		}
		KG_VEC_FREE(items);
		if (rc)
			return rc;
		*out = e;
		return KG_OK;
	} else if (is_punct(t, "$")) {
		return ERR(p, t->pos, "write the value into the query", "parameters ($name) are not supported");
	} else {
		return expected(p, "a value (a string, a number, null, true, false or a [list])");
	}
	e->end = t->pos + t->len;
	p->i++;
	*out = e;
	return KG_OK;
}

static int parse_primary(parser *p, mexpr **out)
{
	const mtoken *t = peek(p, 0);
	mexpr *e;
	int var;

	if (t->kind == T_IDENT && is_punct(peek(p, 1), "(")) {
		const char *fn = t->text;
		size_t pos = t->pos;
		TRY(check_unsupported(p, t));
		if (!kg__match_casecmp(fn, "count")) {
			if (!p->in_return)
				return ERR(p, pos, NULL, "count() can only be used in RETURN and ORDER BY");
			p->i += 2;
			if (!(e = new_expr(p, X_COUNT, pos)))
				return KG_ENOMEM;
			e->var = -1;
			if (accept_kw(p, "DISTINCT"))
				return ERR(p, peek(p, 0)[-1].pos, "use RETURN DISTINCT x, then count the rows",
				           "count(DISTINCT ...) is not supported");
			if (!accept(p, "*"))
				TRY(parse_expr(p, &e->a));
		} else if (!kg__match_casecmp(fn, "lower") || !kg__match_casecmp(fn, "toLower") || !kg__match_casecmp(fn, "type")) {
			bool type = !kg__match_casecmp(fn, "type");
			p->i += 2;
			if (!(e = new_expr(p, X_LOWER, pos)))
				return KG_ENOMEM;
			TRY(parse_expr(p, &e->a));
			e->vars = e->a->vars;
			if (type) {
				/* type(r) is r.type. */
				mtoken key = {T_IDENT, e->a->pos, 0, "type", 0};
				if (e->a->kind != X_VAR || !p->q->vars[e->a->var].is_rel)
					return ERR(p, e->a->pos, NULL, "type() takes a relation variable");
				TRY(make_prop(p, &e, e->a->var, &key, pos));
			}
		} else {
			static const char *const fns[] = {"count", "lower", "toLower", "type"};
			char buf[96];
			const char *hint;
			hint = did_you_mean(buf, sizeof buf, kg__closest(fn, strlen(fn), fns, 4, true));
			return ERR(p, pos, hint ? hint : "the functions are count(), lower() and type()",
			           "function '%s' is not supported", fn);
		}
		TRY(expect(p, ")", "')'"));
		e->end = peek(p, 0)[-1].pos + 1;
		*out = e;
		return KG_OK;
	}
	if (t->kind == T_IDENT && !is_kw(t, "NULL") && !is_kw(t, "TRUE") && !is_kw(t, "FALSE")) {
		TRY(check_unsupported(p, t));
		if ((var = find_var(p->q, t->text)) < 0) {
			const char *names[KG_MAX_MATCH_ELEMENTS];
			size_t n = 0, i;
			char buf[96];
			const char *hint;
			for (i = 0; i < p->q->nvars; i++)
				if (p->q->vars[i].name)
					names[n++] = p->q->vars[i].name;
			hint = did_you_mean(buf, sizeof buf, kg__closest(t->text, strlen(t->text), names, n, false));
			if (!hint)
				hint = did_you_mean(buf, sizeof buf, kg__match_near_keyword(t->text));
			return ERR(p, t->pos, hint, "unknown variable '%s'", t->text);
		}
		p->i++;
		if (accept(p, ".")) {
			const mtoken *key = peek(p, 0);
			if (key->kind != T_IDENT && key->kind != T_QIDENT)
				return expected(p, "a property name");
			p->i++;
			return make_prop(p, out, var, key, t->pos);
		}
		if (!(e = new_expr(p, X_VAR, t->pos)))
			return KG_ENOMEM;
		e->var = var;
		e->vars = (uint64_t)1 << var;
		e->end = t->pos + t->len;
		*out = e;
		return KG_OK;
	}
	if (accept(p, "(")) {
		size_t pos = t->pos;
		if (is_punct(peek(p, 0), ")") || (is_punct(peek(p, 1), ")") &&
		                                  (is_punct(peek(p, 2), "-") || is_punct(peek(p, 2), "<-"))))
			return ERR(p, pos, "match the pattern in MATCH and test its variables",
			           "patterns inside WHERE are not supported");
		TRY(parse_expr(p, out));
		TRY(expect(p, ")", "')'"));
		(*out)->pos = pos;
		(*out)->end = peek(p, 0)[-1].pos + 1;
		return KG_OK;
	}
	return parse_literal(p, out);
}

static int binary(parser *p, mexpr **out, mexpr_kind kind, int op, mexpr *a, mexpr *b)
{
	mexpr *e = new_expr(p, kind, a->pos);
	if (!e)
		return KG_ENOMEM;
	e->op = op;
	e->a = a;
	e->b = b;
	e->end = b ? b->end : peek(p, 0)[-1].pos + peek(p, 0)[-1].len;
	e->vars = a->vars | (b ? b->vars : 0);
	*out = e;
	return KG_OK;
}

static int parse_cmp(parser *p, mexpr **out)
{
	static const char *const ops[] = {"=", "<>", "<", "<=", ">", ">="};
	mexpr *a, *b;
	const mtoken *t;
	size_t k;

	TRY(parse_primary(p, &a));
	t = peek(p, 0);
	for (k = 0; k < 6; k++)
		if (is_punct(t, ops[k]) || (k == C_NE && is_punct(t, "!="))) {
			p->i++;
			TRY(parse_primary(p, &b));
			return binary(p, out, X_CMP, (int)k, a, b);
		}
	if (is_punct(t, "=~"))
		return ERR(p, t->pos, "compare lower(x) with lower-case text: lower(p.name) CONTAINS \"bide\"",
		           "regular expressions (=~) are not supported");
	if (is_punct(t, "+") || is_punct(t, "-") || is_punct(t, "*") || is_punct(t, "/") || is_punct(t, "%") ||
	    is_punct(t, "^"))
		return ERR(p, t->pos, NULL, "arithmetic ('%s') is not supported", t->text);
	if (accept_kw(p, "IN")) {
		TRY(parse_primary(p, &b));
		return binary(p, out, X_IN, 0, a, b);
	}
	if (accept_kw(p, "STARTS") || accept_kw(p, "ENDS")) {
		mexpr_kind kind = is_kw(&t[0], "STARTS") ? X_STARTS : X_ENDS;
		TRY(expect_kw(p, "WITH"));
		TRY(parse_primary(p, &b));
		return binary(p, out, kind, 0, a, b);
	}
	if (accept_kw(p, "CONTAINS")) {
		TRY(parse_primary(p, &b));
		return binary(p, out, X_CONTAINS, 0, a, b);
	}
	if (accept_kw(p, "IS")) {
		bool not = accept_kw(p, "NOT");
		TRY(expect_kw(p, "NULL"));
		return binary(p, out, not ? X_NOTNULL : X_ISNULL, 0, a, NULL);
	}
	*out = a;
	return KG_OK;
}

static int parse_not(parser *p, mexpr **out)
{
	const mtoken *t = peek(p, 0);
	int rc;

	if (++p->depth > KG_MAX_MATCH_NESTING)
		return ERR(p, t->pos, NULL, "expression nested more than %d deep (KG_MAX_MATCH_NESTING)",
		           KG_MAX_MATCH_NESTING);
	if (accept_kw(p, "NOT")) {
		mexpr *a;
		if (!(rc = parse_not(p, &a))) {
			rc = binary(p, out, X_NOT, 0, a, NULL);
			if (!rc)
				(*out)->pos = t->pos;
		}
	} else {
		rc = parse_cmp(p, out);
	}
	p->depth--;
	return rc;
}

static int parse_and(parser *p, mexpr **out)
{
	TRY(parse_not(p, out));
	while (accept_kw(p, "AND")) {
		mexpr *b;
		TRY(parse_not(p, &b));
		TRY(binary(p, out, X_AND, 0, *out, b));
	}
	return KG_OK;
}

static int parse_expr(parser *p, mexpr **out)
{
	if (++p->depth > KG_MAX_MATCH_NESTING)
		return ERR(p, peek(p, 0)->pos, NULL, "expression nested more than %d deep (KG_MAX_MATCH_NESTING)",
		           KG_MAX_MATCH_NESTING);
	TRY(parse_and(p, out));
	while (accept_kw(p, "OR")) {
		mexpr *b;
		TRY(parse_and(p, &b));
		TRY(binary(p, out, X_OR, 0, *out, b));
	}
	TRY(check_unsupported(p, peek(p, 0)));
	p->depth--;
	return KG_OK;
}

/* ---- patterns -------------------------------------------------------- */

/* {key: value, ...} on variable var: equality tests. */
static int parse_props(parser *p, int var, mexpr ***out, size_t *nout)
{
	KG_VEC(mexpr *) v = {0};
	int rc = 0;

	while (!rc && !accept(p, "}")) {
		const mtoken *key;
		mexpr *prop = NULL, *val = NULL, *eq = NULL;
		if (v.n && (rc = expect(p, ",", "',' or '}'")))
			break;
		key = peek(p, 0);
		if (key->kind != T_IDENT && key->kind != T_QIDENT) {
			rc = expected(p, "a property name");
			break;
		}
		p->i++;
		if ((rc = expect(p, ":", "':'")) || (rc = make_prop(p, &prop, var, key, key->pos)) ||
		    (rc = parse_literal(p, &val)) || (rc = binary(p, &eq, X_CMP, C_EQ, prop, val)))
			break;
		if (KG_VEC_PUSH(v, eq))
			rc = KG_ENOMEM;
	}
	if (!rc && v.n) {
		mexpr **all = kg__arena_alloc(&p->q->arena, (*nout + v.n) * sizeof *all);
		if (!all)
			rc = KG_ENOMEM;
		else {
			if (*nout)
				memcpy(all, *out, *nout * sizeof *all);
			memcpy(all + *nout, v.v, v.n * sizeof *all);
			*out = all;
			*nout += v.n;
		}
	}
	KG_VEC_FREE(v);
	return rc;
}

/* :a|b|:c — a list of type indexes, resolved with did-you-mean. */
static int parse_labels(parser *p, bool rel, uint32_t **out, size_t *n)
{
	KG_VEC(uint32_t) v = {0};
	int rc = 0;

	do {
		const mtoken *t;
		uint32_t id;
		accept(p, ":");
		t = peek(p, 0);
		if (t->kind != T_IDENT && t->kind != T_QIDENT) {
			rc = expected(p, rel ? "a relation type" : "a type");
			break;
		}
		id = rel ? kg_graph_find_relation_type(p->q->g, t->text) : kg_graph_find_type(p->q->g, t->text);
		if (id == KG_NONE) {
			const char *near = rel ? kg_graph_suggest_relation_type(p->q->g, t->text)
			                       : kg_graph_suggest_type(p->q->g, t->text);
			char buf[160];
			if (near)
				snprintf(buf, sizeof buf, "did you mean '%s'?", near);
			rc = ERR(p, t->pos, near ? buf : NULL, "unknown %s '%s'", rel ? "relation type" : "type", t->text);
			break;
		}
		p->i++;
		if (KG_VEC_PUSH(v, id))
			rc = KG_ENOMEM;
	} while (!rc && accept(p, "|"));
	if (!rc && !(*out = kg__arena_alloc4(&p->q->arena, v.n * sizeof *v.v)))
		rc = KG_ENOMEM;
	if (!rc) {
		memcpy(*out, v.v, v.n * sizeof *v.v);
		*n = v.n;
	}
	KG_VEC_FREE(v);
	return rc;
}

static int parse_node(parser *p, int *out)
{
	mquery *q = p->q;
	const mtoken *t = peek(p, 0);
	mnode *nd;
	int var = -1;

	if (t->kind == T_IDENT && is_punct(peek(p, 1), "=") && is_punct(peek(p, 2), "("))
		return ERR(p, t->pos, NULL, "path variables (%s = ...) are not supported", t->text);
	TRY(check_unsupported(p, t));
	TRY(expect(p, "(", "'(' to start a node pattern"));
	t = peek(p, 0);
	if (t->kind == T_IDENT || t->kind == T_QIDENT) {
		p->i++;
		var = find_var(q, t->text);
		if (var >= 0 && q->vars[var].is_rel)
			return ERR(p, t->pos, NULL, "'%s' is already a relation variable", t->text);
		if (var < 0)
			TRY(add_var(p, &var, t->text, false, t->pos));
	} else {
		TRY(add_var(p, &var, NULL, false, t->pos));
	}
	nd = &q->nodes[var];
	while (is_punct(peek(p, 0), ":")) {
		uint32_t **ls = kg__arena_alloc(&q->arena, (nd->nlabelsets + 1) * sizeof *ls);
		size_t *ns = kg__arena_alloc(&q->arena, (nd->nlabelsets + 1) * sizeof *ns);
		if (!ls || !ns)
			return KG_ENOMEM;
		if (nd->nlabelsets) {
			memcpy(ls, nd->labels, nd->nlabelsets * sizeof *ls);
			memcpy(ns, nd->nlabels, nd->nlabelsets * sizeof *ns);
		}
		TRY(parse_labels(p, false, &ls[nd->nlabelsets], &ns[nd->nlabelsets]));
		nd->labels = ls;
		nd->nlabels = ns;
		nd->nlabelsets++;
	}
	if (accept(p, "{"))
		TRY(parse_props(p, var, &nd->props, &nd->nprops));
	TRY(expect(p, ")", "')' to close the node pattern"));
	*out = var;
	return KG_OK;
}

static int parse_rel(parser *p, melem *el)
{
	mquery *q = p->q;
	const mtoken *start = peek(p, 0);
	bool left = accept(p, "<-"), right;
	const mtoken *t;
	int var;

	if (!left)
		TRY(expect(p, "-", "'-' or '<-'"));
	memset(el, 0, sizeof *el);
	el->min = el->max = 1;
	if (accept(p, "[")) {
		t = peek(p, 0);
		if (t->kind == T_IDENT || t->kind == T_QIDENT) {
			p->i++;
			if (find_var(q, t->text) >= 0)
				return ERR(p, t->pos, NULL, "variable '%s' is already bound; a relation variable is bound once",
				           t->text);
			TRY(add_var(p, &var, t->text, true, t->pos));
		} else {
			TRY(add_var(p, &var, NULL, true, t->pos));
		}
		el->var = var;
		if (is_punct(peek(p, 0), ":"))
			TRY(parse_labels(p, true, &el->types, &el->ntypes));
		if (accept(p, "*")) {
			const mtoken *star = peek(p, 0) - 1;
			bool range = false;
			q->vars[var].varlen = true;
			el->min = 1;
			el->max = 0;
			if (peek(p, 0)->kind == T_NUMBER)
				el->min = el->max = (unsigned)(p->i++, peek(p, 0)[-1].num);
			if (accept(p, "..")) {
				range = true;
				el->max = 0;
				if (peek(p, 0)->kind == T_NUMBER)
					el->max = (unsigned)(p->i++, peek(p, 0)[-1].num);
			}
			if (!el->max || (range && peek(p, 0)[-1].kind != T_NUMBER))
				return ERR(p, star->pos, "write the most relations to follow, e.g. *1..3",
				           "a variable-length relation needs an upper bound (at most %d, KG_MAX_MATCH_HOPS)",
				           KG_MAX_MATCH_HOPS);
			if (el->max > KG_MAX_MATCH_HOPS)
				return ERR(p, star->pos, NULL, "%u relations is more than %d (KG_MAX_MATCH_HOPS)", el->max,
				           KG_MAX_MATCH_HOPS);
			if (el->min > el->max)
				return ERR(p, star->pos, NULL, "the lower bound %u is above the upper bound %u", el->min,
				           el->max);
		}
		if (accept(p, "{"))
			TRY(parse_props(p, el->var, &el->props, &el->nprops));
		TRY(expect(p, "]", "']' to close the relation pattern"));
	} else {
		TRY(add_var(p, &el->var, NULL, true, start->pos));
	}
	right = accept(p, "->");
	if (!right)
		TRY(expect(p, "-", "'-' or '->'"));
	if (left && right)
		return ERR(p, start->pos, "write <-[...]-, -[...]-> or -[...]-", "a relation cannot point both ways");
	el->dir = left ? D_LEFT : right ? D_RIGHT : D_BOTH;
	return KG_OK;
}

static int parse_pattern(parser *p, melem_vec *elems)
{
	int left;

	if (is_kw(peek(p, 0), "shortestPath") || is_kw(peek(p, 0), "allShortestPaths"))
		return check_unsupported(p, peek(p, 0));
	TRY(parse_node(p, &left));
	while (is_punct(peek(p, 0), "-") || is_punct(peek(p, 0), "<-")) {
		melem el;
		TRY(parse_rel(p, &el));
		el.left = left;
		TRY(parse_node(p, &el.right));
		if (KG_VEC_PUSH(*elems, el))
			return KG_ENOMEM;
		left = el.right;
	}
	return KG_OK;
}

/* ---- clauses --------------------------------------------------------- */

/* The text of an expression without white space, to match ORDER BY
 * items with RETURN items. */
static char *squeeze(parser *p, size_t pos, size_t end)
{
	char *s = kg__arena_alloc(&p->q->arena, end - pos + 1), *d = s;
	size_t i;
	if (!s)
		return NULL;
	for (i = pos; i < end; i++)
		if (!isspace((unsigned char)p->q->text[i]))
			*d++ = p->q->text[i];
	*d = 0;
	return s;
}

static int parse_items(parser *p, bool order, mitem **out, size_t *nout)
{
	mquery *q = p->q;
	KG_VEC(mitem) v = {0};
	int rc = 0;

	do {
		mitem it = {NULL, NULL, false, -1};
		const mtoken *t = peek(p, 0);
		size_t c;
		if (is_punct(t, "*")) {
			rc = ERR(p, t->pos, "name what to return: RETURN p, d.name", "RETURN * is not supported");
			break;
		}
		if (order && t->kind == T_IDENT && !is_punct(peek(p, 1), ".") && !is_punct(peek(p, 1), "(") &&
		    find_var(q, t->text) < 0)
			for (c = 0; c < q->nret; c++)
				if (!strcmp(q->ret[c].name, t->text)) {
					it.column = (int)c;
					p->i++;
					break;
				}
		if (it.column < 0) {
			if ((rc = parse_expr(p, &it.e)))
				break;
			it.name = kg__arena_strndup(&q->arena, q->text + it.e->pos, it.e->end - it.e->pos);
			if (!it.name) {
				rc = KG_ENOMEM;
				break;
			}
		}
		if (!order && accept_kw(p, "AS")) {
			t = peek(p, 0);
			if (t->kind != T_IDENT && t->kind != T_QIDENT) {
				rc = expected(p, "a column name after AS");
				break;
			}
			it.name = t->text;
			p->i++;
		}
		if (order) {
			if (accept_kw(p, "DESC") || accept_kw(p, "DESCENDING"))
				it.desc = true;
			else if (!accept_kw(p, "ASC"))
				accept_kw(p, "ASCENDING");
			if (it.column < 0) {
				char *mine = squeeze(p, it.e->pos, it.e->end);
				for (c = 0; mine && c < q->nret; c++) {
					char *theirs = squeeze(p, q->ret[c].e->pos, q->ret[c].e->end);
					if (theirs && !strcmp(mine, theirs)) {
						it.column = (int)c;
						break;
					}
				}
				if (it.column < 0 && (q->distinct || q->aggregate)) {
					rc = ERR(p, it.e->pos, "order by a returned column, or its AS name",
					         "with DISTINCT or count(), ORDER BY can only use what RETURN returns");
					break;
				}
				if (it.column < 0 && it.e->kind == X_COUNT) {
					rc = ERR(p, it.e->pos, "return the count, then order by it", "ORDER BY count() needs count() in RETURN");
					break;
				}
			}
		} else if (it.e->kind == X_COUNT) {
			q->aggregate = true;
		}
		if (KG_VEC_PUSH(v, it))
			rc = KG_ENOMEM;
	} while (!rc && accept(p, ","));
	if (!rc && !(*out = kg__arena_alloc(&q->arena, v.n * sizeof *v.v)))
		rc = KG_ENOMEM;
	if (!rc) {
		memcpy(*out, v.v, v.n * sizeof *v.v);
		*nout = v.n;
	}
	KG_VEC_FREE(v);
	return rc;
}

/* count() anywhere but at the top of a RETURN item. */
static int check_count_nested(parser *p, const mexpr *e, bool top)
{
	size_t i;
	if (!e)
		return 0;
	if (e->kind == X_COUNT && !top)
		return ERR(p, e->pos, NULL, "count() must be a whole RETURN item");
	TRY(check_count_nested(p, e->a, false));
	TRY(check_count_nested(p, e->b, false));
	for (i = 0; i < e->nitems; i++)
		TRY(check_count_nested(p, e->items[i], false));
	return 0;
}

static int parse_count(parser *p, size_t *out, const char *what)
{
	const mtoken *t = peek(p, 0);
	if (t->kind != T_NUMBER || t->num != (double)(size_t)t->num)
		return expected(p, what);
	*out = (size_t)t->num;
	p->i++;
	return KG_OK;
}

static int split_and(parser *p, mexpr *e, mexpr_vec *out)
{
	(void)p;
	if (e->kind == X_AND) {
		TRY(split_and(p, e->a, out));
		return split_and(p, e->b, out);
	}
	return KG_VEC_PUSH(*out, e) ? KG_ENOMEM : KG_OK;
}

/* A top-level WHERE v.id = "x" (or v.name) picks the start like {id: "x"}. */
static void seed(mquery *q, const mexpr *e)
{
	const mexpr *prop = e->a, *lit = e->b;
	if (e->kind != X_CMP || e->op != C_EQ)
		return;
	if (prop->kind != X_PROP) {
		prop = e->b;
		lit = e->a;
	}
	if (prop->kind != X_PROP || lit->kind != X_STR || q->vars[prop->var].is_rel)
		return;
	if (prop->prop == P_ID && !q->nodes[prop->var].seed_id)
		q->nodes[prop->var].seed_id = lit->str;
	else if (prop->prop == P_NAME && !q->nodes[prop->var].seed_name)
		q->nodes[prop->var].seed_name = lit->str;
}

static int parse_query(parser *p)
{
	mquery *q = p->q;
	melem_vec elems = {0};
	mexpr_vec conj = {0};
	size_t i;
	int rc = 0;

	if (!accept_kw(p, "MATCH")) {
		rc = expected(p, "MATCH");
		goto done;
	}
	do {
		do {
			if ((rc = parse_pattern(p, &elems)))
				goto done;
		} while (accept(p, ","));
	} while (accept_kw(p, "MATCH"));
	if (accept_kw(p, "WHERE")) {
		mexpr *where;
		if ((rc = parse_expr(p, &where)) || (rc = split_and(p, where, &conj)))
			goto done;
	}
	if ((rc = expect_kw(p, "RETURN")))
		goto done;
	q->distinct = accept_kw(p, "DISTINCT");
	p->in_return = true;
	if ((rc = parse_items(p, false, &q->ret, &q->nret)))
		goto done;
	for (i = 0; i < q->nret; i++)
		if ((rc = check_count_nested(p, q->ret[i].e, true)))
			goto done;
	if (accept_kw(p, "ORDER")) {
		if ((rc = expect_kw(p, "BY")) || (rc = parse_items(p, true, &q->order, &q->norder)))
			goto done;
	}
	if (accept_kw(p, "SKIP") && (rc = parse_count(p, &q->skip, "a number of rows to skip")))
		goto done;
	if (accept_kw(p, "LIMIT")) {
		q->has_limit = true;
		if ((rc = parse_count(p, &q->limit, "a number of rows")))
			goto done;
	}
	accept(p, ";");
	if (peek(p, 0)->kind != T_EOF) {
		rc = expected(p, q->has_limit ? "the end of the query"
		                              : "ORDER BY, SKIP, LIMIT or the end of the query");
		goto done;
	}
	q->nelems = elems.n;
	if (elems.n && !(q->elems = kg__arena_alloc(&q->arena, elems.n * sizeof *elems.v))) {
		rc = KG_ENOMEM;
		goto done;
	}
	if (elems.n)
		memcpy(q->elems, elems.v, elems.n * sizeof *elems.v);
	q->nconj = conj.n;
	if (conj.n && !(q->conj = kg__arena_alloc(&q->arena, conj.n * sizeof *conj.v))) {
		rc = KG_ENOMEM;
		goto done;
	}
	for (i = 0; i < conj.n; i++) {
		q->conj[i] = conj.v[i];
		seed(q, conj.v[i]);
	}
	for (i = 0; i < q->nvars; i++) {
		mnode *nd = &q->nodes[i];
		size_t k;
		for (k = 0; k < nd->nprops; k++)
			seed(q, nd->props[k]);
	}
done:
	KG_VEC_FREE(elems);
	KG_VEC_FREE(conj);
	return rc;
}

int kg__match_parse(mquery *q, const kg_graph *g, const char *text, const char *name, kg_diag_list *diags)
{
	parser p;
	int rc;

	memset(&p, 0, sizeof p);
	p.q = q;
	p.diags = diags;
	p.name = name;
	q->g = g;
	q->text = text;
	q->vars = kg__arena_alloc(&q->arena, KG_MAX_MATCH_ELEMENTS * sizeof *q->vars);
	q->nodes = kg__arena_alloc(&q->arena, KG_MAX_MATCH_ELEMENTS * sizeof *q->nodes);
	if (!q->vars || !q->nodes)
		return KG_ENOMEM;
	rc = kg__match_lex(&p.toks, q, name, diags);
	if (!rc)
		rc = parse_query(&p);
	KG_VEC_FREE(p.toks);
	return rc;
}
