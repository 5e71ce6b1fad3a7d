/*
 * resolve.c - after every file is read: the references queued while
 * reading (to entities, types and sources declared later or in another
 * file) are resolved or reported, with a did-you-mean, and each relation's
 * ends are checked against its type's from: and to:. Then the diagnostics
 * of files already closed get their source lines.
 */
#include "load/loader.h"

#include <stdio.h>
#include <string.h>

/* "a or b" / "a, b or c" of the type names in a from:/to: list. */
static void type_list(const kg_graph *g, kg__range r, kg__buf *out)
{
	uint32_t i;

	for (i = 0; i < r.count; i++) {
		uint32_t t = g->u32.v[r.start + i];
		if (i)
			kg__buf_puts(out, i + 1 == r.count ? " or " : ", ");
		kg__buf_puts(out, t == KG_NONE ? "?" : kg_type_name(g, t));
	}
}

/* Whether a from:/to: list holds a type that does not exist. */
static bool has_unknown(const kg_graph *g, kg__range r)
{
	for (uint32_t i = 0; i < r.count; i++)
		if (g->u32.v[r.start + i] == KG_NONE)
			return true;
	return false;
}

static int allows(const kg_graph *g, kg__range r, uint32_t type)
{
	uint32_t i;

	if (!r.count)
		return 1;
	for (i = 0; i < r.count; i++)
		if (g->u32.v[r.start + i] == type)
			return 1;
	return 0;
}


int kg__ld_resolve(kg__loader *L)
{
	kg_graph *g = L->g;
	size_t i, unread = 0;

	for (i = 0; i < L->pend.n && !L->stopped; i++) {
		const kg__pend *p = &L->pend.v[i];
		const char *text = kg__str(&g->strings, p->sid);
		uint32_t idx;
		switch (p->kind) {
		case KG__PEND_FROM:
		case KG__PEND_TO:
			idx = kg__ld_entity_of(L, p->sid);
			if (idx == KG_NONE && L->syntax_failed) {
				/* Most likely defined after the syntax error, in
				 * the part of its file that was not read: one
				 * note for all, not an error each. */
				unread++;
			} else if (idx == KG_NONE) {
				TRY(kg__ld_error_loc(L, p->loc, NULL, NULL, "unknown entity '%s'", text));
				kg__ld_hint_near(L, kg_graph_suggest_entity(g, text));
			} else if (p->kind == KG__PEND_FROM) {
				g->relations.v[p->target].from = idx;
			} else {
				g->relations.v[p->target].to = idx;
			}
			break;
		case KG__PEND_ETYPE:
		case KG__PEND_RTYPE_END:
			idx = kg__idmap_get(g, &g->type_ids, kg__type_key, p->sid);
			if (idx == KG_NONE) {
				const char *near = kg_graph_suggest_type(g, text);
				TRY(kg__ld_error_loc(L, p->loc, NULL, NULL, "unknown entity type '%s'", text));
				if (near)
					kg__ld_hint_near(L, near);
				else
					kg__diag_hintf(L->diags, L->last_diag, "%s",
					               "use a built-in type (person, country, organization, weapon, "
					               "decision, event, place) or declare it under types:");
			}
			if (p->kind == KG__PEND_ETYPE)
				g->entities.v[p->target].type = idx;
			else /* the string id it held until now is no type */
				g->u32.v[p->target] = idx;
			break;
		case KG__PEND_SOURCE:
			idx = kg__idmap_get(g, &g->source_ids, kg__source_key, p->sid);
			if (idx == KG_NONE) {
				TRY(kg__ld_error_loc(L, p->loc, NULL, NULL, "unknown source '%s'", text));
				kg__ld_hint_near(L, kg__ld_closest_key(L, text, kg__source_key, g->sources.n));
			} else {
				kg__relation_ext_of(g, p->target)->source = idx;
			}
			break;
		}
	}
	if (L->stopped)
		return LD_STOP;
	if (unread) {
		char note[160];
		snprintf(note, sizeof note,
		         "%zu reference%s to unknown entities not reported: the syntax error above left part of "
		         "a file unread", unread, unread == 1 ? "" : "s");
		if (kg_diag_list_add(L->diags, KG_SEV_NOTE, NULL, note, NULL, NULL, NULL))
			return KG_ENOMEM;
	}

	for (i = 0; i < g->relations.n; i++) {
		const kg__relation *r = &g->relations.v[i];
		const kg__rtype *t = &g->rtypes.v[r->type];
		uint32_t ft, tt;
		int ok_from, ok_to;
		const kg__relation_ext *x = kg__relation_ext_of(g, (uint32_t)i);
		if (x && x->source != KG_NONE)
			g->sources.v[x->source].cites++;
		/* A type list with an unknown type in it was reported above;
		 * checking against the rest would only add confusing errors. */
		if (r->from == KG_NONE || r->to == KG_NONE || (!t->from.count && !t->to.count) ||
		    has_unknown(g, t->from) || has_unknown(g, t->to))
			continue;
		ft = g->entities.v[r->from].type;
		tt = g->entities.v[r->to].type;
		if (ft == KG_NONE || tt == KG_NONE)
			continue;
		ok_from = allows(g, t->from, ft);
		ok_to = allows(g, t->to, tt);
		/* A symmetric relation may be written either way round; when
		 * neither way fits, report the way it was written. */
		if (t->symmetric && !(ok_from && ok_to) && allows(g, t->from, tt) && allows(g, t->to, ft))
			continue;
		if (!ok_from || !ok_to) {
			const char *tname = kg_type_name(g, ok_from ? tt : ft);
			kg_location rel = kg__graph_location(g, t->loc);
			kg__buf allowed = {0};
			int rc;
			type_list(g, ok_from ? t->to : t->from, &allowed);
			rc = kg__ld_error_loc(L, kg__relation_loc(g, (uint32_t)i), &rel,
			                      "the relation type is declared here",
			                      "'%s' relations %s %s, but '%s' is %s %s",
			                      kg__str(&g->strings, t->name), ok_from ? "go to" : "come from",
			                      allowed.p ? allowed.p : "?",
			                      kg_entity_id(g, ok_from ? r->to : r->from),
			                      strchr("aeiou", tname[0]) ? "an" : "a", tname);
			kg__buf_free(&allowed);
			TRY(rc);
		}
	}
	return 0;
}

/* Source lines for diagnostics reported after their file was closed
 * (unknown references, include problems): one more look at each file
 * that has such a diagnostic. */
int kg__ld_fill_late_positions(kg__loader *L)
{
	const char *stdin_name = L->opts->stdin_name ? L->opts->stdin_name : "<stdin>";
	size_t i;

	for (i = 0; i < L->g->files.n; i++) {
		const char *name = L->g->files.v[i];
		int rc;
		if (L->mem_data)
			rc = kg__diag_fill_lines(L->diags, name, NULL, L->mem_data, L->mem_len, 0, NULL, 0);
		else if (L->stdin_text.p && strcmp(name, stdin_name) == 0)
			rc = kg__diag_fill_lines(L->diags, name, NULL, L->stdin_text.p, L->stdin_text.n, 0, NULL, 0);
		else
			continue;
		if (rc)
			return rc;
	}
	return kg_diag_list_read_source_lines(L->diags);
}
