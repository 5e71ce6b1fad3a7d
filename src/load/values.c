/*
 * values.c - the pieces every section of the format is made of: mapping
 * keys (text, each once per mapping), scalars (text, ids, dates, true or
 * false), attribute values, and the two shapes of mapping that recur
 * (a map of ids to bodies, a map of style keys).
 *
 * A value of the wrong kind is reported and skipped whole, so that the
 * reader goes on with the next key; only LD_STOP and KG_ENOMEM stop it.
 * Duplicate keys are found with one key set per nesting level, reused from
 * mapping to mapping: a linear scan while a mapping is small, a hash table
 * once it is not (the top-level entities: of a large graph).
 */
#include "load/loader.h"

#include <string.h>

/* ---- mapping keys -------------------------------------------------- */

kg__keyset *kg__ld_keyset_begin(kg__loader *L)
{
	kg__keyset *ks = &L->keysets[L->depth];

	ks->ents.n = 0;
	if (ks->hashed) {
		memset(ks->slot, 0, ks->nslot * sizeof *ks->slot);
		ks->hashed = 0;
	}
	return ks;
}

static size_t ks_slot(uint32_t sid, size_t nslot)
{
	return (size_t)((sid * 0x9E3779B1u) >> 5) & (nslot - 1);
}

/* Add key sid to the set. Returns 1 and reports when it is there already. */
int kg__ld_keyset_add(kg__loader *L, kg__keyset *ks, uint32_t sid, unsigned line, unsigned col)
{
	const kg__keyent *dup = NULL;
	kg__keyent k;
	size_t i;

	if (ks->ents.n < 16) {
		for (i = 0; i < ks->ents.n; i++)
			if (ks->ents.v[i].sid == sid)
				dup = &ks->ents.v[i];
	} else {
		if (!ks->hashed || (ks->ents.n + 1) * 2 > ks->nslot) {
			size_t nslot = ks->nslot ? ks->nslot : 64, j;
			while ((ks->ents.n + 1) * 2 > nslot)
				nslot *= 2;
			if (nslot != ks->nslot) {
				uint32_t *s = kg__realloc(ks->slot, nslot * sizeof *s);
				if (!s)
					return KG_ENOMEM;
				ks->slot = s;
				ks->nslot = nslot;
			}
			memset(ks->slot, 0, ks->nslot * sizeof *ks->slot);
			for (j = 0; j < ks->ents.n; j++) {
				size_t h = ks_slot(ks->ents.v[j].sid, ks->nslot);
				while (ks->slot[h])
					h = (h + 1) & (ks->nslot - 1);
				ks->slot[h] = (uint32_t)j + 1;
			}
			ks->hashed = 1;
		}
		for (i = ks_slot(sid, ks->nslot); ks->slot[i]; i = (i + 1) & (ks->nslot - 1))
			if (ks->ents.v[ks->slot[i] - 1].sid == sid) {
				dup = &ks->ents.v[ks->slot[i] - 1];
				break;
			}
	}
	if (dup) {
		TRY(kg__ld_error_rel(L, line, col, dup->line, dup->col, "first given here",
		                     "duplicate key '%s'", kg__str(&L->g->strings, sid)));
		return 1;
	}
	k.sid = sid;
	k.line = line;
	k.col = col;
	if (KG_VEC_PUSH(ks->ents, k))
		return KG_ENOMEM;
	if (ks->hashed) {
		i = ks_slot(sid, ks->nslot);
		while (ks->slot[i])
			i = (i + 1) & (ks->nslot - 1);
		ks->slot[i] = (uint32_t)ks->ents.n;
	}
	return 0;
}

/* Read the next key of the mapping being read into *k, with its text
 * interned: k->val then stays valid after the value is read, and *sid is
 * its string id. Returns 1 with a key, 0 at the end of the mapping, or
 * <0. Keys that are not text are reported and skipped with their values. */

int kg__ld_next_key(kg__loader *L, kg__ev *k, uint32_t *sid)
{
	for (;;) {
		kg__ev v;
		TRY(kg__ld_next(L, k));
		if (k->type == KG__EV_MAPPING_END)
			return 0;
		if (k->type == KG__EV_SCALAR && k->plain && strcmp(k->val, "<<") == 0) {
			TRY(kg__ld_error_at(L, k->line, k->col, "merge keys ('<<') are not supported"));
			kg__diag_hintf(L->diags, L->last_diag, "%s",
			               "write the keys out, or reuse a whole mapping with an alias (*name)");
		} else if (k->type == KG__EV_SCALAR) {
			TRY(kg__ld_intern_text(L, k, "a key", sid));
			if (*sid) {
				k->val = kg__str(&L->g->strings, *sid);
				return 1;
			}
		} else {
			TRY(kg__ld_error_at(L, k->line, k->col, "a key must be text, not %s", kg__ld_event_name(k->type)));
			TRY(kg__ld_skip(L, k));
		}
		TRY(kg__ld_next(L, &v));
		TRY(kg__ld_skip(L, &v));
	}
}

/* ---- scalars ------------------------------------------------------- */

/* Intern a scalar's text, refusing NUL characters. *sid = 0 after an
 * error. */
int kg__ld_intern_text(kg__loader *L, const kg__ev *e, const char *what, uint32_t *sid)
{
	*sid = 0;
	if (memchr(e->val, '\0', e->len)) {
		TRY(kg__ld_error_at(L, e->line, e->col, "%s contains a NUL character", what));
		return 0;
	}
	*sid = e->hashed ? kg__strtab_intern_hashed(&L->g->strings, e->val, e->len, e->hash)
	                 : kg__strtab_intern(&L->g->strings, e->val, e->len);
	return *sid ? 0 : KG_ENOMEM;
}

/* A non-empty text value. */
int kg__ld_get_text(kg__loader *L, const kg__ev *e, const char *what, uint32_t *sid)
{
	*sid = 0;
	if (e->type != KG__EV_SCALAR)
		return kg__ld_wrong_kind(L, e, what, "text");
	if (kg__ld_is_null(e) || e->len == 0)
		return kg__ld_error_at(L, e->line, e->col, "%s is empty", what);
	return kg__ld_intern_text(L, e, what, sid);
}

static int valid_id(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > KG_MAX_ID_BYTES)
		return 0;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= '0' && s[0] <= '9')))
		return 0;
	for (i = 1; i < len; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return 0;
	}
	return 1;
}

/* Check that e is an id: text matching [A-Za-z0-9][A-Za-z0-9_.-]*, at most
 * KG_MAX_ID_BYTES. *ok is set when it is; otherwise it was reported (and
 * skipped). */
int kg__ld_check_id(kg__loader *L, const kg__ev *e, const char *what, bool *ok)
{
	*ok = false;
	if (e->type != KG__EV_SCALAR)
		return kg__ld_wrong_kind(L, e, what, "an id");
	if (kg__ld_is_null(e))
		return kg__ld_error_at(L, e->line, e->col, "%s is empty", what);
	if (!valid_id(e->val, e->len)) {
		if (e->len > KG_MAX_ID_BYTES)
			return kg__ld_error_at(L, e->line, e->col, "%s is %zu bytes long; ids are at most %d",
			                       what, e->len, KG_MAX_ID_BYTES);
		TRY(kg__ld_error_at(L, e->line, e->col, "%s '%.*s' is not a valid id", what,
		                    (int)(e->len > 80 ? 80 : e->len), e->val));
		kg__diag_hintf(L->diags, L->last_diag, "%s",
		               "ids start with a letter or digit and contain only letters, digits, '_', '.' and '-'");
		return 0;
	}
	*ok = true;
	return 0;
}

/* An id, interned; *sid = 0 after an error. */
int kg__ld_get_id(kg__loader *L, const kg__ev *e, const char *what, uint32_t *sid)
{
	bool ok;

	*sid = 0;
	TRY(kg__ld_check_id(L, e, what, &ok));
	return ok ? kg__ld_intern_text(L, e, what, sid) : 0;
}

int kg__ld_get_date(kg__loader *L, const kg__ev *e, const char *what, kg_date *d)
{
	*d = 0;
	if (e->type != KG__EV_SCALAR)
		return kg__ld_wrong_kind(L, e, what, "a date");
	if (kg_date_parse(d, e->val, e->len) != KG_OK) {
		kg_date ym;
		TRY(kg__ld_error_at(L, e->line, e->col, "%s '%.*s' is not a valid date", what,
		                    (int)(e->len > 40 ? 40 : e->len), e->val));
		/* Say what is wrong with a date of the right shape. */
		if (e->len == 10 && kg_date_parse(&ym, e->val, 7) == KG_OK)
			kg__diag_hintf(L->diags, L->last_diag, "%.7s has no day %.2s", e->val, e->val + 8);
		else if ((e->len == 7 || e->len == 10) && kg_date_parse(&ym, e->val, 4) == KG_OK &&
		         e->val[4] == '-')
			kg__diag_hintf(L->diags, L->last_diag, "there is no month %.2s", e->val + 5);
		else
			kg__diag_hintf(L->diags, L->last_diag, "%s",
			               "write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2024-09-11");
	}
	return 0;
}


int kg__ld_get_bool(kg__loader *L, const kg__ev *e, const char *what, int *out)
{
	static const char *const yes[] = {"true", "True", "TRUE"}, *const no[] = {"false", "False", "FALSE"};
	size_t i;

	if (e->type != KG__EV_SCALAR)
		return kg__ld_wrong_kind(L, e, what, "true or false");
	for (i = 0; i < 3; i++) {
		if (e->plain && strcmp(e->val, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (e->plain && strcmp(e->val, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return kg__ld_error_at(L, e->line, e->col, "%s must be true or false, not '%.*s'", what,
	                       (int)(e->len > 40 ? 40 : e->len), e->val);
}

/* Call item() for a text value, or for each item of a list of text. */
int kg__ld_text_or_list(kg__loader *L, const kg__ev *e, const char *what, int want_id, kg__ld_text_fn item,
                        void *ctx)
{
	uint32_t sid;
	kg__ev x;

	if (e->type == KG__EV_SCALAR) {
		TRY(want_id ? kg__ld_get_id(L, e, what, &sid) : kg__ld_get_text(L, e, what, &sid));
		return sid ? item(L, e, sid, 0, ctx) : 0;
	}
	if (e->type != KG__EV_SEQUENCE_START)
		return kg__ld_wrong_kind(L, e, what, "text or a list of text");
	for (;;) {
		TRY(kg__ld_next(L, &x));
		if (x.type == KG__EV_SEQUENCE_END)
			return 0;
		if (x.type != KG__EV_SCALAR) {
			TRY(kg__ld_wrong_kind(L, &x, "an item of this list", "text"));
			continue;
		}
		TRY(want_id ? kg__ld_get_id(L, &x, what, &sid) : kg__ld_get_text(L, &x, what, &sid));
		if (sid)
			TRY(item(L, &x, sid, 1, ctx));
	}
}

/* ---- attributes ---------------------------------------------------- */

static int push_attr(kg__loader *L, const kg__ev *e, uint32_t sid, int in_list, void *ctx)
{
	kg__attr a;

	(void)e;
	a.key = *(uint32_t *)ctx | (in_list ? KG__ATTR_LIST : 0);
	a.value = sid;
	return KG_VEC_PUSH(L->g->attrs, a) ? KG_ENOMEM : 0;
}

/* An attribute value: text (empty allowed) or a list of text. */
int kg__ld_read_attr(kg__loader *L, uint32_t key, const kg__ev *e, const char *what)
{
	uint32_t sid;

	if (e->type == KG__EV_SCALAR && e->split) {
		/* Kept as an empty attribute, the user would never know the
		 * value they wrote lost its end. */
		TRY(kg__ld_warning_at(L, e->line, e->col,
		                      "'%s' is a key without a value: a value was probably split at the comma before it",
		                      kg__str(&L->g->strings, key)));
		kg__diag_hintf(L->diags, L->last_diag, "%s",
		               "in {...} a comma ends a value; quote a value that holds one, as in "
		               "{name: \"Washington, D.C.\"}");
	}
	if (e->type == KG__EV_SCALAR) {
		TRY(kg__ld_intern_text(L, e, what, &sid));
		return sid ? push_attr(L, e, sid, 0, &key) : 0;
	}
	if (e->type == KG__EV_SEQUENCE_START)
		return kg__ld_text_or_list(L, e, what, 0, push_attr, &key);
	return kg__ld_wrong_kind(L, e, what, "text or a list of text");
}

/* Warn when an attribute key is one typo away from a key with a meaning,
 * e.g. "soruce" for "source": the value would otherwise be kept as a
 * plain attribute without a word. */
int kg__ld_warn_near_key(kg__loader *L, const kg__ev *k, const char *const *keys, size_t n)
{
	const char *near;

	if (k->len < 4)
		return 0;
	near = kg__closest(k->val, k->len, keys, n, false);
	if (near && kg__edit_distance(k->val, k->len, near, strlen(near), 1) <= 1) {
		TRY(kg__ld_warning_at(L, k->line, k->col, "'%s' is kept as a plain attribute", k->val));
		kg__ld_hint_near(L, near);
	}
	return 0;
}

/* Read a mapping of style keys (for types and relation types): every
 * value must be text. Calls known() first for keys with a meaning; it
 * returns 1 when it took the key. */
int kg__ld_read_style_map(kg__loader *L, const kg__ev *start, const char *what, kg__ld_key_fn known,
                          const char *const *keys, size_t nkeys, void *ctx)
{
	kg__keyset *ks;
	kg__ev k, v;
	uint32_t key;
	int rc;

	if (kg__ld_is_null(start))
		return 0;
	if (start->type != KG__EV_MAPPING_START)
		return kg__ld_wrong_kind(L, start, what, "a mapping");
	ks = kg__ld_keyset_begin(L);
	while ((rc = kg__ld_next_key(L, &k, &key)) == 1) {
		rc = kg__ld_keyset_add(L, ks, key, k.line, k.col);
		TRY(rc);
		TRY(kg__ld_next(L, &v));
		if (rc) {
			TRY(kg__ld_skip(L, &v));
			continue;
		}
		rc = known(L, &k, &v, ctx);
		TRY(rc);
		if (rc)
			continue;
		TRY(kg__ld_warn_near_key(L, &k, keys, nkeys));
		if (v.type != KG__EV_SCALAR) {
			char w[160];
			snprintf(w, sizeof w, "style key '%s'", k.val);
			TRY(kg__ld_wrong_kind(L, &v, w, "text"));
			continue;
		}
		TRY(kg__ld_read_attr(L, key, &v, "a style value"));
	}
	return rc;
}

/* A section that maps ids to bodies (types:, relation_types:, sources:,
 * entities:): checks the shape and each id, then hands each valid id and
 * the first event of its body to item(), which must consume the body. */
int kg__ld_read_id_map(kg__loader *L, const kg__ev *start, const char *section, const char *id_what,
                       kg__ld_id_item_fn item)
{
	char expected[64];
	kg__ev k, v;
	uint32_t key, id;
	int rc;

	if (kg__ld_is_null(start))
		return 0;
	if (start->type != KG__EV_MAPPING_START) {
		snprintf(expected, sizeof expected, "a mapping of %ss", id_what);
		return kg__ld_wrong_kind(L, start, section, expected);
	}
	while ((rc = kg__ld_next_key(L, &k, &key)) == 1) {
		TRY(kg__ld_get_id(L, &k, id_what, &id));
		TRY(kg__ld_next(L, &v));
		TRY(id ? item(L, &k, id, &v) : kg__ld_skip(L, &v));
	}
	return rc;
}
