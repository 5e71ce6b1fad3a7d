/*
 * ftm.c - FollowTheMoney entities (JSON lines, as Aleph, OpenSanctions
 * and the ftm tools write them) onto the builder.
 *
 * Each line is one entity: {"id", "schema", "properties": {PROP: [text,
 * ...]}}. Schemata with two ends (the interval schemata below) become
 * relations; every other schema an entity whose type is the schema's name
 * in snake case (Person -> person, PublicBody -> public_body). Lines are
 * read in two passes, entities first, since a relation may come before
 * the entities it joins.
 *
 * Entities: the first name is the name, the other names and every alias
 * the aliases; any other property an attribute (a list when it holds more
 * than one value). Relations: the relation type from the schema (as
 * `kgraph export -T ftm` maps it the other way), UnknownLink's from its
 * role; startDate -> since, endDate -> until (FtM's end is as written),
 * date -> date, summary -> quote, sourceUrl and publisher -> a source
 * (one per distinct URL, else per publisher); other properties are
 * attributes. A date with a time (2024-05-03T10:00) keeps its day. An
 * end that is no entity of the input is an error.
 */
#include "import/import_internal.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *schema, *from, *to, *type;
} intervals[] = {
	{"Directorship", "director", "organization", "director_of"},
	{"Membership", "member", "organization", "member_of"},
	{"Ownership", "owner", "asset", "owns"},
	{"Employment", "employee", "employer", "works_for"},
	{"Family", "person", "relative", "family_of"},
	{"Associate", "person", "associate", "associate_of"},
	{"Representation", "agent", "client", "represents"},
	{"Succession", "predecessor", "successor", "succeeded_by"},
	{"Payment", "payer", "beneficiary", "paid"},
	{"Debt", "debtor", "creditor", "owes"},
	{"UnknownLink", "subject", "object", NULL},
};

/* What a relation reads itself (UnknownLink's role too: its type). */
static const char *const interval_props[] = {"startDate", "endDate", "date", "summary", "sourceUrl", "publisher",
                                             NULL};

static int interval_of(const char *schema)
{
	size_t i;

	for (i = 0; i < sizeof intervals / sizeof *intervals; i++)
		if (strcmp(intervals[i].schema, schema) == 0)
			return (int)i;
	return -1;
}

static bool in(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

/* PublicBody -> public_body. */
static void snake(char *out, size_t size, const char *s)
{
	size_t n = 0;

	for (; *s && n + 2 < size; s++) {
		if (*s >= 'A' && *s <= 'Z') {
			if (n)
				out[n++] = '_';
			out[n++] = (char)(*s - 'A' + 'a');
		} else
			out[n++] = *s;
	}
	out[n] = '\0';
}

/* The first text of property p, or NULL. */
static const kg__jval *first(const kg__jval *props, const char *p)
{
	const kg__jval *v = kg__json_get(props, p);

	return v && v->type == KG__J_ARRAY && v->child && v->child->type == KG__J_STRING ? v->child : NULL;
}

/* Every property is a list of text: anything else is an error. */
static bool well_formed(kg__build *b, const kg__jval *props)
{
	const kg__jval *p, *v;

	for (p = props->child; p; p = p->next) {
		if (p->type != KG__J_ARRAY) {
			kg__build_diag(b, KG_SEV_ERROR, p->line, p->col, "property '%s' must be a list of text", p->key);
			return false;
		}
		for (v = p->child; v; v = v->next)
			if (v->type != KG__J_STRING) {
				kg__build_diag(b, KG_SEV_ERROR, v->line, v->col, "property '%s' must be a list of text", p->key);
				return false;
			}
	}
	return true;
}

/* The keys a YAML entity or relation record reads itself: a property of
 * that name becomes an attribute "attr_NAME", and so does one whose name
 * already starts with "attr_", so that no two properties meet on one key
 * (found by fuzz_import: a property "type" gave the record two). */
static const char *const entity_keys[] = {"type", "name", "aliases", NULL};
static const char *const relation_keys[] = {"from", "type", "to", "date", "since", "until", "source", "quote",
                                            "weight", NULL};

static void attribute(kg__build *b, kg__buf *out, const kg__jval *p, const char *const *reserved)
{
	const kg__jval *v;
	char *escaped = NULL;
	const char *key = p->key;

	if (!p->n)
		return;
	if (in(reserved, key) || strncmp(key, "attr_", 5) == 0) {
		size_t n = strlen(key);
		if (!(escaped = kg__malloc(n + 6))) {
			b->nomem = 1;
			return;
		}
		memcpy(escaped, "attr_", 5);
		memcpy(escaped + 5, key, n + 1);
		key = escaped;
	}
	if (p->n == 1) {
		kg__build_kv(b, out, "    ", key, p->child->s);
		kg__free(escaped);
		return;
	}
	kg__build_key(b, out, "    ", key);
	kg__build_put(b, out, " [");
	for (v = p->child; v; v = v->next) {
		kg__build_yaml(b, out, v->s);
		kg__build_put(b, out, v->next ? ", " : "]\n");
	}
	kg__free(escaped);
}

static void entity(kg__build *b, const kg__jval *id, const char *schema, const kg__jval *props)
{
	const kg__jval *p, *v, *name = first(props, "name");
	char type[128];
	const char *slug, *t;
	bool renamed, any = false;

	if (kg__build_find(b, 'E', id->s)) {
		kg__build_diag(b, KG_SEV_ERROR, id->line, id->col, "entity '%s' is given twice", id->s);
		return;
	}
	snake(type, sizeof type, schema);
	if (!(slug = kg__build_assign(b, KG__NS_ENTITY, id->s, &renamed)) ||
	    kg__build_link(b, 'E', id->s, KG__NS_ENTITY, slug) != KG_OK || !(t = kg__build_type(b, type, NULL)))
		return;
	b->sum->entities++;
	kg__build_put(b, &b->entities, "  ");
	kg__build_yaml(b, &b->entities, slug);
	kg__build_put(b, &b->entities, ":\n");
	kg__build_field(b, &b->entities, "    ", "type", t);
	if (name && name->len)
		kg__build_field(b, &b->entities, "    ", "name", name->s);
	/* the other names and the aliases */
	for (p = props->child; p; p = p->next) {
		if (strcmp(p->key, "name") != 0 && strcmp(p->key, "alias") != 0)
			continue;
		for (v = p->child; v; v = v->next) {
			if (v == name || !v->len)
				continue;
			kg__build_put(b, &b->entities, any ? ", " : "    aliases: [");
			kg__build_yaml(b, &b->entities, v->s);
			any = true;
		}
	}
	if (any)
		kg__build_put(b, &b->entities, "]\n");
	if (renamed && !kg__json_get(props, "original_id"))
		kg__build_kv(b, &b->entities, "    ", "original_id", id->s);
	for (p = props->child; p; p = p->next)
		if (strcmp(p->key, "name") != 0 && strcmp(p->key, "alias") != 0)
			attribute(b, &b->entities, p, entity_keys);
}

/* A date property as a kgraph date: a time after the day is dropped. */
static kg_date date(kg__build *b, kg__buf *out, const kg__jval *props, const char *prop, const char *key)
{
	const kg__jval *v = first(props, prop);
	char day[11];

	if (!v)
		return 0;
	if (v->len > 10 && v->s[10] == 'T') {
		memcpy(day, v->s, 10);
		day[10] = '\0';
		return kg__build_date(b, out, "    ", key, day, prop, v->line, v->col);
	}
	return kg__build_date(b, out, "    ", key, v->s, prop, v->line, v->col);
}

static void relation(kg__build *b, const kg__jval *line, int k, const kg__jval *props)
{
	const kg__jval *f = first(props, intervals[k].from), *t = first(props, intervals[k].to), *p, *v;
	const char *from = f ? kg__build_find(b, 'E', f->s) : NULL, *to = t ? kg__build_find(b, 'E', t->s) : NULL;
	const char *rt = intervals[k].type, *src = NULL;
	kg__buf *out = &b->relations;
	kg_date since;

	if (!f || !t) {
		kg__build_diag(b, KG_SEV_ERROR, line->line, line->col, "a %s needs '%s' and '%s'", intervals[k].schema,
		               intervals[k].from, intervals[k].to);
		return;
	}
	if (!from)
		kg__build_diag(b, KG_SEV_ERROR, f->line, f->col, "'%s' is not an entity of the input", f->s);
	if (!to)
		kg__build_diag(b, KG_SEV_ERROR, t->line, t->col, "'%s' is not an entity of the input", t->s);
	if (!from || !to)
		return;
	if (!rt)
		rt = (v = first(props, "role")) && v->len ? v->s : "related_to";
	if (!(rt = kg__build_rtype(b, rt, NULL, false)))
		return;
	if ((v = first(props, "sourceUrl")) || (v = first(props, "publisher"))) {
		bool fresh = !kg__build_find(b, KG__NS_SOURCE, v->s);
		if ((src = kg__build_cited_source(b, v->s)) && fresh) {
			const kg__jval *u = first(props, "sourceUrl"), *pub = first(props, "publisher");
			if (u && u->len)
				kg__build_field(b, &b->sources, "    ", "url", u->s);
			if (pub && pub->len)
				kg__build_field(b, &b->sources, "    ", "publisher", pub->s);
		}
	}
	b->sum->relations++;
	kg__build_field(b, out, "  - ", "from", from);
	kg__build_field(b, out, "    ", "type", rt);
	kg__build_field(b, out, "    ", "to", to);
	date(b, out, props, "date", "date");
	since = date(b, out, props, "startDate", "since");
	kg__build_validity(b, since, date(b, out, props, "endDate", "until"), line->line, line->col);
	if (src)
		kg__build_field(b, out, "    ", "source", src);
	if ((v = first(props, "summary")) && v->len)
		kg__build_field(b, out, "    ", "quote", v->s);
	for (p = props->child; p; p = p->next)
		if (!in(interval_props, p->key) && strcmp(p->key, intervals[k].from) != 0 &&
		    strcmp(p->key, intervals[k].to) != 0 && (intervals[k].type || strcmp(p->key, "role") != 0))
			attribute(b, out, p, relation_keys);
}

typedef struct line_doc {
	const kg__jval *doc, *id, *props;
	const char *schema;
} line_doc;

int kg__import_ftm(kg__build *b, const char *data, size_t len, const kg_import_options *o)
{
	kg__arena arena = {0};
	KG_VEC(line_doc) docs = {0};
	size_t at = 0, i;
	unsigned line = 1;
	int pass, rc;

	(void)o;
	while (at < len && !b->nomem) {
		const char *nl = memchr(data + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (data + at)) : len - at;
		kg__json_error je;
		kg__jval *doc;
		line_doc d;
		size_t k;
		for (k = 0; k < n && (data[at + k] == ' ' || data[at + k] == '\t' || data[at + k] == '\r'); k++)
			;
		if (k < n) {
			if (kg__json_parse(&doc, &arena, data + at, n, &je) != 0) {
				if (!je.line) {
					b->nomem = 1;
					break;
				}
				kg__build_diag(b, KG_SEV_ERROR, line, je.col, "%s", je.msg);
			} else {
				const kg__jval *schema = kg__json_get(doc, "schema");
				/* the line's values were numbered from 1: give them the file's line */
				kg__json_shift_lines(doc, line - 1);
				d.doc = doc;
				d.id = kg__json_get(doc, "id");
				d.props = kg__json_get(doc, "properties");
				if (!d.id || d.id->type != KG__J_STRING || !d.id->len || !schema || schema->type != KG__J_STRING ||
				    !schema->len || (d.props && d.props->type != KG__J_OBJECT))
					kg__build_diag(b, KG_SEV_ERROR, line, 1,
					               "a FollowTheMoney entity is an object with a text \"id\", a text \"schema\" "
					               "and \"properties\", an object of lists of text");
				else if (!d.props || well_formed(b, d.props)) {
					d.schema = schema->s;
					if (KG_VEC_PUSH(docs, d) != 0)
						b->nomem = 1;
				}
			}
		}
		at += n + (nl != NULL);
		line++;
	}
	for (pass = 0; pass < 2 && !b->nomem; pass++)
		for (i = 0; i < docs.n; i++) {
			int k = interval_of(docs.v[i].schema);
			static const kg__jval none = {KG__J_OBJECT, 0, 0, NULL, 0, NULL, NULL, NULL, 0};
			const kg__jval *props = docs.v[i].props ? docs.v[i].props : &none;
			if (pass == 0 && k < 0)
				entity(b, docs.v[i].id, docs.v[i].schema, props);
			else if (pass == 1 && k >= 0)
				relation(b, docs.v[i].doc, k, props);
		}
	rc = b->nomem ? KG_ENOMEM : b->errors ? KG_EINVALID : KG_OK;
	KG_VEC_FREE(docs);
	kg__arena_free(&arena);
	return rc;
}
