/*
 * read_relations.c - the relations: section, compact [from, type, to] or
 * full {from:, type:, to:, ...}.
 *
 * The hot path of a large graph: most of its events are relations. No
 * allocation per relation (its references are in a fixed array, its ends'
 * text in the loader), and each end is looked up once the relation is
 * read, when its string-table slot has been prefetched (see
 * rel_endpoint). An end not known yet is queued for resolve.c.
 */
#include "load/loader.h"

#include <string.h>

typedef struct relctx {
	kg__relation r;
	kg__loc loc;
	kg__relation_ext x;
	int has_ext;
	kg__pend refs[3];
	int nrefs;
	uint32_t from_sid, to_sid; /* string ids of ends not resolved yet */
	uint32_t type; /* relation type index; KG_NONE until read */
	bool have_from, have_to;
	/* The ends' text (in L->end_text) and hash, looked up only once the
	 * relation is read: see rel_endpoint. refs[end_ref[i]] is the
	 * reference queued for end i should it be unknown. */
	uint32_t end_len[2], end_hash[2];
	int end_ref[2];
	unsigned since_line, since_col;
} relctx;

static const char *const rel_keys[] = {
	"from", "type", "to", "date", "since", "until", "source", "quote", "weight",
};

/* One end of a relation, checked now and looked up in resolve_ends once
 * the relation is read. On a large graph the lookup is three cache
 * misses (the string table's slot, then the text and the owner's word);
 * the slot was prefetched when the event was parsed (parse_ahead), and
 * waiting for the rest of the relation lets libyaml's work hide more of
 * the misses. The
 * reference for an unknown end takes its place among the relation's
 * references now, so that they are reported in the order written. */
static int rel_endpoint(kg__loader *L, relctx *c, const kg__ev *e, int which)
{
	int i = which == KG__PEND_FROM ? 0 : 1;
	kg__pend *p;
	bool ok;

	TRY(kg__ld_check_id(L, e, which == KG__PEND_FROM ? "from" : "to", &ok));
	if (!ok)
		return 0;
	memcpy(L->end_text[i], e->val, e->len); /* check_id: at most KG_MAX_ID_BYTES */
	c->end_len[i] = (uint32_t)e->len;
	c->end_hash[i] = e->hashed ? e->hash : kg__strtab_hash(e->val, e->len);
	c->end_ref[i] = c->nrefs;
	p = &c->refs[c->nrefs++];
	p->kind = (unsigned char)which;
	p->sid = 0;
	p->loc = kg__ld_loc(L, e->line, e->col);
	if (which == KG__PEND_FROM)
		c->have_from = true;
	else
		c->have_to = true;
	return 0;
}

/* Resolve the ends rel_endpoint saw: a known entity's id is in the string
 * table with the entity as its owner's word, so one lookup, which neither
 * allocates nor copies, finds it; an unknown one is interned and its
 * reference queued (KG__PEND_NONE marks a reference no longer needed). */
static int resolve_ends(kg__loader *L, relctx *c)
{
	kg__strtab *t = &L->g->strings;
	bool have[2];
	int i;

	have[0] = c->have_from;
	have[1] = c->have_to;
	for (i = 0; i < 2; i++)
		if (have[i])
			kg__strtab_prefetch_text(t, c->end_hash[i]);
	for (i = 0; i < 2; i++) {
		uint32_t sid, idx;
		kg__pend *p;
		if (!have[i])
			continue;
		p = &c->refs[c->end_ref[i]];
		idx = kg__ld_entity_of(L, kg__strtab_find_hashed(t, L->end_text[i], c->end_len[i], c->end_hash[i]));
		sid = 0;
		if (idx == KG_NONE) {
			sid = kg__strtab_intern(t, L->end_text[i], c->end_len[i]);
			if (!sid)
				return KG_ENOMEM;
			p->sid = sid;
		} else {
			p->kind = KG__PEND_NONE;
		}
		if (i == 0) {
			c->r.from = idx;
			c->from_sid = sid;
		} else {
			c->r.to = idx;
			c->to_sid = sid;
		}
	}
	return 0;
}

static int rel_type(kg__loader *L, relctx *c, const kg__ev *e)
{
	uint32_t sid, idx;

	TRY(kg__ld_get_id(L, e, "relation type", &sid));
	if (!sid)
		return 0;
	idx = kg__idmap_get(L->g, &L->g->rtype_ids, kg__rtype_key, sid);
	if (idx == KG_NONE)
		TRY(kg__ld_new_rtype(L, sid, kg__ld_loc(L, e->line, e->col), &idx));
	c->type = idx;
	return 0;
}

/* The keys a relation may have besides from/type/to; anything else is an
 * attribute. */
static int rel_optional(kg__loader *L, relctx *c, const kg__ev *k, uint32_t key, const kg__ev *v)
{
	if (strcmp(k->val, "date") == 0) {
		TRY(kg__ld_get_date(L, v, "date", &c->x.date));
	} else if (strcmp(k->val, "since") == 0) {
		TRY(kg__ld_get_date(L, v, "since", &c->x.since));
		c->since_line = v->line;
		c->since_col = v->col;
	} else if (strcmp(k->val, "until") == 0) {
		TRY(kg__ld_get_date(L, v, "until", &c->x.until));
	} else if (strcmp(k->val, "source") == 0) {
		uint32_t sid;
		TRY(kg__ld_get_id(L, v, "source", &sid));
		if (sid) {
			kg__pend *p = &c->refs[c->nrefs++];
			p->kind = KG__PEND_SOURCE;
			p->sid = sid;
			p->loc = kg__ld_loc(L, v->line, v->col);
		}
	} else if (strcmp(k->val, "quote") == 0) {
		TRY(kg__ld_get_text(L, v, "quote", &c->x.quote));
	} else if (strcmp(k->val, "weight") == 0) {
		double w;
		if (v->type != KG__EV_SCALAR)
			return kg__ld_wrong_kind(L, v, "weight", "a number");
		if (!v->plain && kg__parse_number(v->val, v->len, &w) == 0) {
			TRY(kg__ld_error_at(L, v->line, v->col, "weight must be a number, not quoted text"));
			kg__diag_hintf(L->diags, L->last_diag, "write weight: %s without quotes", v->val);
		} else if (!v->plain || kg__parse_number(v->val, v->len, &w)) {
			TRY(kg__ld_error_at(L, v->line, v->col, "weight '%.*s' is not a finite number",
			                    (int)(v->len > 40 ? 40 : v->len), v->val));
		} else if (w < 0) {
			TRY(kg__ld_error_at(L, v->line, v->col, "weight %s is negative; weights are distances, 0 or more",
			                    v->val));
		} else {
			c->x.weight = w;
			c->x.flags |= KG__EXT_WEIGHT;
		}
	} else {
		TRY(kg__ld_warn_near_key(L, k, rel_keys, sizeof rel_keys / sizeof *rel_keys));
		return kg__ld_read_attr(L, key, v, "an attribute");
	}
	return 0;
}

/* Read the keys of a full-form relation (full = 1) or of a compact
 * relation's attribute mapping (full = 0). */
static int rel_mapping(kg__loader *L, relctx *c, int full)
{
	kg__keyset *ks = kg__ld_keyset_begin(L);
	kg__ev k, v;
	uint32_t key;
	int rc;

	while ((rc = kg__ld_next_key(L, &k, &key)) == 1) {
		int is_end;
		rc = kg__ld_keyset_add(L, ks, key, k.line, k.col);
		TRY(rc);
		TRY(kg__ld_next(L, &v));
		is_end = strcmp(k.val, "from") == 0 || strcmp(k.val, "to") == 0 || strcmp(k.val, "type") == 0;
		if (rc) {
			TRY(kg__ld_skip(L, &v));
		} else if (is_end && !full) {
			TRY(kg__ld_error_at(L, k.line, k.col,
			                    "'%s' belongs in the list [from, type, to], not among the attributes", k.val));
			TRY(kg__ld_skip(L, &v));
		} else if (strcmp(k.val, "from") == 0) {
			TRY(rel_endpoint(L, c, &v, KG__PEND_FROM));
		} else if (strcmp(k.val, "to") == 0) {
			TRY(rel_endpoint(L, c, &v, KG__PEND_TO));
		} else if (strcmp(k.val, "type") == 0) {
			TRY(rel_type(L, c, &v));
		} else {
			TRY(rel_optional(L, c, &k, key, &v));
		}
	}
	return rc;
}

static int read_relation(kg__loader *L, const kg__ev *start)
{
	size_t nerr = L->nerrors;
	relctx c;
	int i;

	memset(&c, 0, sizeof c);
	c.r.from = c.r.to = c.type = KG_NONE;
	c.loc = kg__ld_loc(L, start->line, start->col);
	c.x.source = KG_NONE;
	c.x.attrs.start = (uint32_t)L->g->attrs.n;

	if (start->type == KG__EV_SEQUENCE_START) {
		unsigned n = 0;
		kg__ev e;
		for (;;) {
			TRY(kg__ld_next(L, &e));
			if (e.type == KG__EV_SEQUENCE_END)
				break;
			n++;
			if (n == 1)
				TRY(rel_endpoint(L, &c, &e, KG__PEND_FROM));
			else if (n == 2)
				TRY(rel_type(L, &c, &e));
			else if (n == 3)
				TRY(rel_endpoint(L, &c, &e, KG__PEND_TO));
			else if (n == 4 && e.type == KG__EV_MAPPING_START)
				TRY(rel_mapping(L, &c, 0));
			else if (n == 4)
				TRY(kg__ld_wrong_kind(L, &e, "the 4th item of a compact relation", "a mapping of attributes"));
			else
				TRY(kg__ld_skip(L, &e));
		}
		if (n < 3 || n > 4) {
			TRY(kg__ld_error_at(L, start->line, start->col,
			                    "a compact relation has 3 items [from, type, to] and optionally a mapping of "
			                    "attributes; this one has %u", n));
		}
	} else if (start->type == KG__EV_MAPPING_START) {
		TRY(rel_mapping(L, &c, 1));
		if (L->nerrors == nerr) {
			const char *missing = NULL;
			if (!c.have_from)
				missing = "from";
			else if (c.type == KG_NONE)
				missing = "type";
			else if (!c.have_to)
				missing = "to";
			if (missing) {
				TRY(kg__ld_error_at(L, start->line, start->col, "relation has no '%s:'", missing));
				kg__diag_hintf(L->diags, L->last_diag, "%s",
				               "a relation needs from:, type: and to:");
			}
		}
	} else {
		TRY(kg__ld_error_at(L, start->line, start->col,
		                    "a relation must be a list [from, type, to] or a mapping with from:, type: and to:, "
		                    "not %s", kg__ld_event_name(start->type)));
		return kg__ld_skip(L, start);
	}

	if (c.x.since && c.x.until && kg_date_first_day(c.x.until) <= kg_date_first_day(c.x.since)) {
		char a[11], b[11];
		TRY(kg__ld_error_at(L, c.since_line, c.since_col, "since %s is not before until %s",
		                    kg_date_format(a, c.x.since), kg_date_format(b, c.x.until)));
		kg__diag_hintf(L->diags, L->last_diag, "%s", "until: is exclusive: the first date the relation no longer holds");
	}
	if (L->nerrors != nerr) {
		L->g->attrs.n = c.x.attrs.start;
		return 0;
	}
	TRY(resolve_ends(L, &c));
	if (c.r.from != KG_NONE ? c.r.from == c.r.to : c.from_sid == c.to_sid)
		TRY(kg__ld_warning_at(L, start->line, start->col, "relation from '%s' to itself",
		                      c.r.from != KG_NONE ? kg_entity_id(L->g, c.r.from)
		                                          : kg__str(&L->g->strings, c.from_sid)));
	c.x.attrs.count = (uint32_t)(L->g->attrs.n - c.x.attrs.start);
	if (c.x.date || c.x.since || c.x.until || c.x.quote || c.x.flags || c.x.attrs.count)
		c.has_ext = 1;
	for (i = 0; i < c.nrefs; i++)
		if (c.refs[i].kind == KG__PEND_SOURCE)
			c.has_ext = 1;
	if (L->g->relations.n >= KG_MAX_ITEMS) {
		TRY(kg__ld_error_at(L, start->line, start->col, "more than %u relations", KG_MAX_ITEMS));
		return LD_STOP;
	}
	for (i = 0; i < c.nrefs; i++) {
		if (c.refs[i].kind == KG__PEND_NONE)
			continue;
		c.refs[i].target = (uint32_t)L->g->relations.n;
		if (KG_VEC_PUSH(L->pend, c.refs[i]))
			return KG_ENOMEM;
	}
	L->g->rtypes.v[c.type].uses++;
	c.r.type = (uint16_t)c.type; /* below KG_MAX_RELATION_TYPES (kg__ld_new_rtype) */
	return kg__graph_add_relation(L->g, &c.r, c.loc, c.has_ext ? &c.x : NULL);
}

int kg__ld_read_relations(kg__loader *L, const kg__ev *start)
{
	kg__ev e;

	if (kg__ld_is_null(start))
		return 0;
	if (start->type != KG__EV_SEQUENCE_START)
		return kg__ld_wrong_kind(L, start, "relations:", "a list");
	for (;;) {
		TRY(kg__ld_next(L, &e));
		if (e.type == KG__EV_SEQUENCE_END)
			return 0;
		TRY(read_relation(L, &e));
	}
}
