/*
 * read_sections.c - a graph file's top level and its sections of
 * declarations: sources:, types:, relation_types: and entities: (the
 * relations: are read by read_relations.c), title:, description: and
 * include:.
 *
 * Declarations go straight into the graph's arrays. A reference that
 * cannot be resolved yet (an entity's type or a relation type's end types,
 * declared later or in an include) is queued with its location for
 * resolve.c. A record with an error is dropped, but its id is kept, so
 * that references to it are not reported as unknown too.
 */
#include "load/loader.h"
#include "util/path.h"

#include <errno.h>
#include <string.h>

/* ---- types and relation types -------------------------------------- */

static const char *const type_keys[] = {"label"};
static const char *const rtype_keys[] = {"label", "symmetric", "from", "to"};

static int type_key(kg__loader *L, const kg__ev *k, const kg__ev *v, void *ctx)
{
	kg__type *t = ctx;

	if (strcmp(k->val, "label") != 0)
		return 0;
	TRY(kg__ld_get_text(L, v, "label", &t->label));
	return 1;
}

static int type_item(kg__loader *L, const kg__ev *k, uint32_t name, const kg__ev *v)
{
	uint32_t idx = kg__idmap_get(L->g, &L->g->type_ids, kg__type_key, name);
	kg__type t;

	if (idx != KG_NONE && L->g->types.v[idx].declared) {
		TRY(kg__ld_error_dup(L, k, "type", L->g->types.v[idx].loc));
		return kg__ld_skip(L, v);
	}
	memset(&t, 0, sizeof t);
	t.name = name;
	t.attrs.start = (uint32_t)L->g->attrs.n;
	TRY(kg__ld_read_style_map(L, v, "a type", type_key, type_keys, 1, &t));
	t.attrs.count = (uint32_t)(L->g->attrs.n - t.attrs.start);
	t.loc = kg__ld_loc(L, k->line, k->col);
	t.declared = 1;
	if (idx == KG_NONE) {
		if (KG_VEC_PUSH(L->g->types, t) ||
		    kg__idmap_put(L->g, &L->g->type_ids, kg__type_key, name, (uint32_t)L->g->types.n - 1))
			return KG_ENOMEM;
	} else {
		t.builtin = L->g->types.v[idx].builtin;
		L->g->types.v[idx] = t;
	}
	return 0;
}

/* Add a relation type seen for the first time; returns its index. */
int kg__ld_new_rtype(kg__loader *L, uint32_t name, kg__loc loc, uint32_t *idx)
{
	kg__rtype t;

	if (L->g->rtypes.n >= KG_MAX_RELATION_TYPES) {
		TRY(kg__ld_error_at(L, loc.line, loc.col, "more than %u relation types", KG_MAX_RELATION_TYPES));
		return LD_STOP;
	}
	memset(&t, 0, sizeof t);
	t.name = name;
	t.loc = loc;
	if (KG_VEC_PUSH(L->g->rtypes, t) ||
	    kg__idmap_put(L->g, &L->g->rtype_ids, kg__rtype_key, name, (uint32_t)L->g->rtypes.n - 1))
		return KG_ENOMEM;
	*idx = (uint32_t)L->g->rtypes.n - 1;
	return 0;
}

static int push_pend(kg__loader *L, int kind, uint32_t target, uint32_t sid, unsigned line, unsigned col)
{
	kg__pend p;

	p.kind = (unsigned char)kind;
	p.target = target;
	p.sid = sid;
	p.loc = kg__ld_loc(L, line, col);
	return KG_VEC_PUSH(L->pend, p) ? KG_ENOMEM : 0;
}

/* A type name in a relation type's from:/to: list, kept for resolution. */
static int push_end_type(kg__loader *L, const kg__ev *e, uint32_t sid, int in_list, void *ctx)
{
	(void)in_list;
	(void)ctx;
	if (KG_VEC_PUSH(L->g->u32, KG_NONE))
		return KG_ENOMEM;
	return push_pend(L, KG__PEND_RTYPE_END, (uint32_t)L->g->u32.n - 1, sid, e->line, e->col);
}

static int rtype_key(kg__loader *L, const kg__ev *k, const kg__ev *v, void *ctx)
{
	kg__rtype *t = ctx;
	int b = 0;

	if (strcmp(k->val, "label") == 0) {
		TRY(kg__ld_get_text(L, v, "label", &t->label));
	} else if (strcmp(k->val, "symmetric") == 0) {
		TRY(kg__ld_get_bool(L, v, "symmetric", &b));
		t->symmetric = (uint8_t)b;
	} else if (strcmp(k->val, "from") == 0 || strcmp(k->val, "to") == 0) {
		kg__range *r = k->val[0] == 'f' ? &t->from : &t->to;
		r->start = (uint32_t)L->g->u32.n;
		TRY(kg__ld_text_or_list(L, v, "an entity type", 1, push_end_type, NULL));
		r->count = (uint32_t)(L->g->u32.n - r->start);
	} else {
		return 0;
	}
	return 1;
}

static int rtype_item(kg__loader *L, const kg__ev *k, uint32_t name, const kg__ev *v)
{
	uint32_t idx = kg__idmap_get(L->g, &L->g->rtype_ids, kg__rtype_key, name);
	kg__rtype t;

	if (idx != KG_NONE && L->g->rtypes.v[idx].declared) {
		TRY(kg__ld_error_dup(L, k, "relation type", L->g->rtypes.v[idx].loc));
		return kg__ld_skip(L, v);
	}
	memset(&t, 0, sizeof t);
	t.name = name;
	t.attrs.start = (uint32_t)L->g->attrs.n;
	TRY(kg__ld_read_style_map(L, v, "a relation type", rtype_key, rtype_keys, 4, &t));
	t.attrs.count = (uint32_t)(L->g->attrs.n - t.attrs.start);
	t.loc = kg__ld_loc(L, k->line, k->col);
	t.declared = 1;
	if (idx == KG_NONE)
		TRY(kg__ld_new_rtype(L, name, t.loc, &idx));
	t.uses = L->g->rtypes.v[idx].uses;
	L->g->rtypes.v[idx] = t;
	return 0;
}

/* ---- sources ------------------------------------------------------- */

/* dir + path, unless path is absolute; interned. */
static int resolve_path(kg__loader *L, const char *path, size_t len, uint32_t *sid)
{
	kg__buf b = {0};

	if (path[0] != '/' && kg__buf_puts(&b, L->f->dir)) {
		kg__buf_free(&b);
		return KG_ENOMEM;
	}
	if (kg__buf_add(&b, path, len)) {
		kg__buf_free(&b);
		return KG_ENOMEM;
	}
	*sid = kg__strtab_intern(&L->g->strings, b.p, b.n);
	kg__buf_free(&b);
	return *sid ? 0 : KG_ENOMEM;
}

/* A source's file:, kept when the graph may read it (util/path.h). One
 * that does not exist (yet) is kept too: `check --quotes` says so when
 * it wants the text, and checks the folder again before reading. */
static int source_file(kg__loader *L, const kg__ev *v, const char *path, size_t len, kg__source *s)
{
	char *real;
	uint32_t sid;
	int in;

	TRY(resolve_path(L, path, len, &sid));
	s->folder = L->f->folder;
	in = kg__graph_confined(&real, L->g, s->folder, kg__str(&L->g->strings, sid));
	kg__free(real);
	if (in < 0 && errno == ENOMEM)
		return KG_ENOMEM;
	if (in == 0) {
		TRY(kg__ld_error_at(L, v->line, v->col, "cannot use source file '%s': %s", path, KG__PATH_OUTSIDE));
		kg__diag_hintf(L->diags, L->last_diag, "%s", KG__PATH_OUTSIDE_HINT);
		return 0;
	}
	s->file = sid;
	return 0;
}

static int read_source(kg__loader *L, const kg__ev *start, kg__source *s)
{
	static const char *const keys[] = {"title", "publisher", "url", "file", "date"};
	kg__keyset *ks;
	kg__ev k, v;
	uint32_t key;
	int rc;

	if (kg__ld_is_null(start))
		return 0;
	if (start->type != KG__EV_MAPPING_START)
		return kg__ld_wrong_kind(L, start, "a source", "a mapping (title:, publisher:, date:, url:, file:)");
	ks = kg__ld_keyset_begin(L);
	s->attrs.start = (uint32_t)L->g->attrs.n;
	while ((rc = kg__ld_next_key(L, &k, &key)) == 1) {
		rc = kg__ld_keyset_add(L, ks, key, k.line, k.col);
		TRY(rc);
		TRY(kg__ld_next(L, &v));
		if (rc) {
			TRY(kg__ld_skip(L, &v));
		} else if (strcmp(k.val, "title") == 0) {
			TRY(kg__ld_get_text(L, &v, "title", &s->title));
		} else if (strcmp(k.val, "publisher") == 0) {
			TRY(kg__ld_get_text(L, &v, "publisher", &s->publisher));
		} else if (strcmp(k.val, "url") == 0) {
			TRY(kg__ld_get_text(L, &v, "url", &s->url));
		} else if (strcmp(k.val, "date") == 0) {
			TRY(kg__ld_get_date(L, &v, "date", &s->date));
		} else if (strcmp(k.val, "file") == 0) {
			uint32_t f;
			TRY(kg__ld_get_text(L, &v, "file", &f));
			if (f)
				TRY(source_file(L, &v, kg__str(&L->g->strings, f), kg__strlen(&L->g->strings, f), s));
		} else {
			TRY(kg__ld_warn_near_key(L, &k, keys, sizeof keys / sizeof *keys));
			TRY(kg__ld_read_attr(L, key, &v, "an attribute"));
		}
	}
	s->attrs.count = (uint32_t)(L->g->attrs.n - s->attrs.start);
	return rc;
}

static int source_item(kg__loader *L, const kg__ev *k, uint32_t id, const kg__ev *v)
{
	uint32_t idx = kg__idmap_get(L->g, &L->g->source_ids, kg__source_key, id);
	kg__source src;

	if (idx != KG_NONE) {
		TRY(kg__ld_error_dup(L, k, "source", L->g->sources.v[idx].loc));
		return kg__ld_skip(L, v);
	}
	memset(&src, 0, sizeof src);
	src.id = id;
	src.loc = kg__ld_loc(L, k->line, k->col);
	TRY(read_source(L, v, &src));
	if (KG_VEC_PUSH(L->g->sources, src) ||
	    kg__idmap_put(L->g, &L->g->source_ids, kg__source_key, id, (uint32_t)L->g->sources.n - 1))
		return KG_ENOMEM;
	return 0;
}

/* ---- entities ------------------------------------------------------ */

static int push_alias(kg__loader *L, const kg__ev *e, uint32_t sid, int in_list, void *ctx)
{
	(void)e;
	(void)in_list;
	(void)ctx;
	return KG_VEC_PUSH(L->g->u32, sid) ? KG_ENOMEM : 0;
}

static int read_entity(kg__loader *L, const kg__ev *key, const kg__ev *start, kg__entity *en, kg__pend *type_ref)
{
	static const char *const keys[] = {"type", "name", "aliases"};
	int have_type = 0, rc;
	kg__keyset *ks;
	kg__ev k, v;
	uint32_t kid;

	/* Set first: the caller drops what the entity added, from here,
	 * when it has an error, also one found before anything was added. */
	en->attrs.start = (uint32_t)L->g->attrs.n;
	en->aliases.start = (uint32_t)L->g->u32.n;
	if (start->type != KG__EV_MAPPING_START) {
		TRY(kg__ld_error_at(L, start->line, start->col,
		                    "entity '%s' must be a mapping with at least type:, not %s", key->val,
		                    kg__ld_event_name(start->type)));
		return kg__ld_skip(L, start);
	}
	ks = kg__ld_keyset_begin(L);
	while ((rc = kg__ld_next_key(L, &k, &kid)) == 1) {
		rc = kg__ld_keyset_add(L, ks, kid, k.line, k.col);
		TRY(rc);
		TRY(kg__ld_next(L, &v));
		if (rc) {
			TRY(kg__ld_skip(L, &v));
		} else if (strcmp(k.val, "type") == 0) {
			uint32_t sid;
			TRY(kg__ld_get_id(L, &v, "type", &sid));
			have_type = 1;
			if (sid) {
				type_ref->sid = sid;
				type_ref->loc = kg__ld_loc(L, v.line, v.col);
			}
		} else if (strcmp(k.val, "name") == 0) {
			TRY(kg__ld_get_text(L, &v, "name", &en->name));
		} else if (strcmp(k.val, "aliases") == 0) {
			TRY(kg__ld_text_or_list(L, &v, "aliases", 0, push_alias, NULL));
		} else {
			TRY(kg__ld_warn_near_key(L, &k, keys, sizeof keys / sizeof *keys));
			TRY(kg__ld_read_attr(L, kid, &v, "an attribute"));
		}
	}
	TRY(rc);
	en->attrs.count = (uint32_t)(L->g->attrs.n - en->attrs.start);
	en->aliases.count = (uint32_t)(L->g->u32.n - en->aliases.start);
	if (!have_type) {
		TRY(kg__ld_error_at(L, key->line, key->col, "entity '%s' has no type:", key->val));
		kg__diag_hintf(L->diags, L->last_diag, "%s",
		               "add e.g. 'type: person' (built-in types: person, country, organization, "
		               "weapon, decision, event, place)");
	}
	return 0;
}

static int entity_item(kg__loader *L, const kg__ev *k, uint32_t id, const kg__ev *v)
{
	uint32_t idx = kg__ld_entity_of(L, id);
	size_t nerr = L->nerrors;
	kg__entity en;
	kg__pend tref;

	if (idx != KG_NONE) {
		TRY(kg__ld_error_dup(L, k, "entity", kg__entity_loc(L->g, idx)));
		return kg__ld_skip(L, v);
	}
	memset(&en, 0, sizeof en);
	memset(&tref, 0, sizeof tref);
	en.id = id;
	en.type = KG_NONE;
	TRY(read_entity(L, k, v, &en, &tref));
	if (L->nerrors != nerr) {
		/* Drop what this entity added; keep the id so that relations
		 * to it are not reported as unknown too. */
		L->g->attrs.n = en.attrs.start;
		L->g->u32.n = en.aliases.start;
		en.attrs.count = en.aliases.count = 0;
	}
	if (L->g->entities.n >= KG_MAX_ITEMS) {
		TRY(kg__ld_error_at(L, k->line, k->col, "more than %u entities", KG_MAX_ITEMS));
		return LD_STOP;
	}
	if (tref.sid) {
		en.type = kg__idmap_get(L->g, &L->g->type_ids, kg__type_key, tref.sid);
		if (en.type == KG_NONE) {
			tref.kind = KG__PEND_ETYPE;
			tref.target = (uint32_t)L->g->entities.n;
			if (KG_VEC_PUSH(L->pend, tref))
				return KG_ENOMEM;
		}
	}
	if (kg__graph_add_entity(L->g, &en, kg__ld_loc(L, k->line, k->col)) ||
	    kg__strtab_set_aux(&L->g->strings, id, (uint32_t)L->g->entities.n))
		return KG_ENOMEM;
	return 0;
}

/* ---- the top level ------------------------------------------------- */

static const char *const top_keys[] = {
	"title", "description", "include", "sources", "types", "relation_types", "entities", "relations",
};

static int push_include(kg__loader *L, const kg__ev *e, uint32_t sid, int in_list, void *ctx)
{
	kg__ld_incl in;

	(void)in_list;
	(void)ctx;
	in.path = kg__strndup(kg__str(&L->g->strings, sid), kg__strlen(&L->g->strings, sid));
	if (!in.path)
		return KG_ENOMEM;
	in.loc = kg__ld_loc(L, e->line, e->col);
	if (KG_VEC_PUSH(L->f->includes, in)) {
		kg__free(in.path);
		return KG_ENOMEM;
	}
	return 0;
}

/* title: or description:, kept from the first file that gives it. */
static int read_meta(kg__loader *L, const kg__ev *k, const kg__ev *v, uint32_t *slot)
{
	uint32_t sid;

	TRY(kg__ld_get_text(L, v, k->val, &sid));
	if (!sid)
		return 0;
	if (!*slot)
		*slot = sid;
	else if (*slot != sid)
		TRY(kg__ld_warning_at(L, v->line, v->col, "%s ignored: an earlier file set it to \"%s\"", k->val,
		                      kg__str(&L->g->strings, *slot)));
	return 0;
}

/* The first key of a file is unknown and near no top-level key: the file
 * is not a graph file (a configuration file, /etc/passwd, ...). One error,
 * none of its text quoted, and nothing more read of it, rather than one
 * error with its line quoted for each of its lines. */
static int not_a_graph(kg__loader *L, const kg__ev *k)
{
	if (kg__diag_no_excerpts(L->diags, L->f->name))
		return KG_ENOMEM;
	TRY(kg__ld_error_at(L, k->line, k->col, "this is not a graph file: its first key is '%s'", k->val));
	kg__diag_hintf(L->diags, L->last_diag, "%s",
	               "a graph file is a YAML mapping with keys such as entities: and relations:");
	return LD_STOP;
}

static int read_top(kg__loader *L)
{
	kg__keyset *ks = kg__ld_keyset_begin(L);
	kg__ev k, v;
	uint32_t key;
	int rc, first = 1;

	while ((rc = kg__ld_next_key(L, &k, &key)) == 1) {
		const char *name = k.val;
		if (first && !kg__closest(k.val, k.len, top_keys, sizeof top_keys / sizeof *top_keys, false))
			return not_a_graph(L, &k);
		first = 0;
		rc = kg__ld_keyset_add(L, ks, key, k.line, k.col);
		TRY(rc);
		TRY(kg__ld_next(L, &v));
		if (rc) {
			TRY(kg__ld_skip(L, &v));
		} else if (strcmp(name, "title") == 0) {
			TRY(read_meta(L, &k, &v, &L->g->title));
		} else if (strcmp(name, "description") == 0) {
			TRY(read_meta(L, &k, &v, &L->g->description));
		} else if (strcmp(name, "include") == 0) {
			TRY(kg__ld_text_or_list(L, &v, "include", 0, push_include, NULL));
		} else if (strcmp(name, "sources") == 0) {
			TRY(kg__ld_read_id_map(L, &v, "sources:", "source id", source_item));
		} else if (strcmp(name, "types") == 0) {
			TRY(kg__ld_read_id_map(L, &v, "types:", "type name", type_item));
		} else if (strcmp(name, "relation_types") == 0) {
			TRY(kg__ld_read_id_map(L, &v, "relation_types:", "relation type name", rtype_item));
		} else if (strcmp(name, "entities") == 0) {
			TRY(kg__ld_read_id_map(L, &v, "entities:", "entity id", entity_item));
		} else if (strcmp(name, "relations") == 0) {
			TRY(kg__ld_read_relations(L, &v));
		} else {
			TRY(kg__ld_error_at(L, k.line, k.col, "unknown top-level key '%s'", k.val));
			kg__ld_hint_near(L, kg__closest(k.val, k.len, top_keys, sizeof top_keys / sizeof *top_keys, false));
			if (!kg_diag_list_get(L->diags, L->last_diag)->hint)
				kg__diag_hintf(L->diags, L->last_diag, "%s",
				               "the top-level keys are title, description, include, sources, types, "
				               "relation_types, entities and relations");
			TRY(kg__ld_skip(L, &v));
		}
	}
	return rc;
}

/* One YAML stream holding one document whose root is a mapping. */
int kg__ld_read_stream(kg__loader *L)
{
	kg__ev e;

	TRY(kg__ld_next(L, &e)); /* stream start */
	TRY(kg__ld_next(L, &e));
	if (e.type == KG__EV_STREAM_END) {
		TRY(kg__ld_error_at(L, 0, 0, "the file is empty"));
		kg__diag_hintf(L->diags, L->last_diag, "%s",
		               "a graph file is a YAML mapping with keys such as entities: and relations:");
		return 0;
	}
	TRY(kg__ld_next(L, &e));
	if (e.type != KG__EV_MAPPING_START) {
		if (kg__ld_is_null(&e))
			TRY(kg__ld_error_at(L, e.line, e.col, "the document is empty"));
		else if (kg__diag_no_excerpts(L->diags, L->f->name))
			return KG_ENOMEM; /* not a graph file: quote none of it */
		else
			TRY(kg__ld_error_at(L, e.line, e.col, "the top level must be a mapping, not %s",
			                    kg__ld_event_name(e.type)));
		kg__diag_hintf(L->diags, L->last_diag, "%s",
		               "a graph file is a YAML mapping with keys such as entities: and relations:");
		TRY(kg__ld_skip(L, &e));
	} else {
		TRY(read_top(L));
	}
	TRY(kg__ld_next(L, &e)); /* document end */
	TRY(kg__ld_next(L, &e));
	if (e.type == KG__EV_DOCUMENT_START) {
		TRY(kg__ld_error_at(L, e.line, e.col, "a second YAML document; a graph file holds exactly one"));
		kg__diag_hintf(L->diags, L->last_diag, "%s",
		               "remove the '---' line, or split the documents into files and use include:");
	}
	return 0;
}
