/*
 * alias.c - anchors, alias kg__replay and the nesting bound: the stream of
 * events the readers read (kg__ld_next), made from the event reader's.
 *
 * Inside an anchored node every event is recorded (with a copy of its
 * text) in a log; an alias replays the anchored node's entries from the
 * log, as if it were written again. An anchor is defined only once its
 * node is complete, so an alias can never refer to a node that contains
 * it: no cycles. The total replayed per file is capped
 * (KG_MAX_ALIAS_EVENTS), so a "billion laughs" file stops early. Nesting
 * is capped at KG_MAX_YAML_DEPTH as events arrive, before libyaml's
 * quadratic behaviour on deep flow nesting can matter.
 */
#include "load/loader.h"

#include <string.h>

static int record(kg__loader *L, const kg__ev *e)
{
	kg__arec r;

	r.type = e->type;
	r.val = NULL;
	r.len = 0;
	if (e->type == KG__EV_SCALAR) {
		if (e->len > UINT32_MAX)
			return KG_ENOMEM;
		r.val = kg__arena_strndup(&L->scratch, e->val, e->len);
		if (!r.val)
			return KG_ENOMEM;
		r.len = (uint32_t)e->len;
	}
	r.line = e->line;
	r.col = e->col;
	r.plain = e->plain;
	return KG_VEC_PUSH(L->log, r) ? KG_ENOMEM : 0;
}

/* The anchor named name (an id in L->anames) now stands for the log
 * entries from start to the end of the log. A second anchor of the same
 * name in one file is an error: YAML lets it shadow the first, but that
 * is rarely what a person meant. */
static int define_anchor(kg__loader *L, uint32_t name, uint32_t start, unsigned line, unsigned col)
{
	kg__anchor a;

	if (KG_VEC_RESERVE(L->anchor_of, (size_t)name + 1))
		return KG_ENOMEM;
	while (L->anchor_of.n <= name)
		L->anchor_of.v[L->anchor_of.n++] = 0;
	if (L->anchor_of.v[name]) {
		const kg__anchor *old = &L->anchors.v[L->anchor_of.v[name] - 1];
		TRY(kg__ld_error_rel(L, line, col, old->line, old->col, "first defined here",
		                     "duplicate anchor '&%s'", kg__str(&L->anames, name)));
	}
	a.start = start;
	a.end = (uint32_t)L->log.n;
	a.line = line;
	a.col = col;
	if (KG_VEC_PUSH(L->anchors, a))
		return KG_ENOMEM;
	L->anchor_of.v[name] = (uint32_t)L->anchors.n;
	return 0;
}

/* Start replaying the node an alias names. */
static int start_alias(kg__loader *L, const char *name, unsigned line, unsigned col)
{
	uint32_t id = kg__strtab_find(&L->anames, name, strlen(name));
	kg__replay r;

	if (!id || id >= L->anchor_of.n || !L->anchor_of.v[id]) {
		TRY(kg__ld_error_at(L, line, col, "alias '*%s' names no anchor defined before it", name));
		return LD_STOP;
	}
	r.pos = L->anchors.v[L->anchor_of.v[id] - 1].start;
	r.end = L->anchors.v[L->anchor_of.v[id] - 1].end;
	if (L->replays.n == 0) {
		L->alias_line = line;
		L->alias_col = col;
	}
	return KG_VEC_PUSH(L->replays, r) ? KG_ENOMEM : 0;
}

int kg__ld_next(kg__loader *L, kg__ev *e)
{
	const char *aname = NULL;

	for (;;) {
		if (L->replays.n) {
			kg__replay *r = &L->replays.v[L->replays.n - 1];
			const kg__arec *x;
			if (r->pos == r->end) {
				L->replays.n--;
				continue;
			}
			x = &L->log.v[r->pos++];
			if (++L->replayed > KG_MAX_ALIAS_EVENTS) {
				TRY(kg__ld_error_at(L, L->alias_line, L->alias_col,
				                    "aliases expand to more than %d YAML events; "
				                    "is this a \"billion laughs\" file?", KG_MAX_ALIAS_EVENTS));
				return LD_STOP;
			}
			/* Few events can still be many bytes: one large text
			 * aliased a few thousand times. */
			L->replayed_bytes += x->len;
			if (L->replayed_bytes > KG_MAX_ALIAS_BYTES) {
				TRY(kg__ld_error_at(L, L->alias_line, L->alias_col,
				                    "aliases expand to more than %d bytes of text; "
				                    "is this a \"billion laughs\" file?", KG_MAX_ALIAS_BYTES));
				return LD_STOP;
			}
			memset(e, 0, sizeof *e);
			e->type = x->type;
			e->val = x->val;
			e->len = x->len;
			e->line = x->line;
			e->col = x->col;
			e->plain = x->plain;
			aname = NULL;
			break;
		}
		TRY(kg__ld_read_event(L, e, &aname));
		if (e->type == KG__EV_ALIAS) {
			TRY(start_alias(L, aname, e->line, e->col));
			continue;
		}
		break;
	}

	if (e->type == KG__EV_SEQUENCE_START || e->type == KG__EV_MAPPING_START) {
		if (++L->depth > KG_MAX_YAML_DEPTH) {
			TRY(kg__ld_error_at(L, e->line, e->col, "nesting deeper than %d levels", KG_MAX_YAML_DEPTH));
			return LD_STOP;
		}
		if (aname) {
			kg__aframe fr;
			fr.name = kg__strtab_intern(&L->anames, aname, strlen(aname));
			if (!fr.name)
				return KG_ENOMEM;
			fr.start = (uint32_t)L->log.n;
			fr.depth = L->depth;
			fr.line = e->line;
			fr.col = e->col;
			if (KG_VEC_PUSH(L->frames, fr))
				return KG_ENOMEM;
		}
		if (L->frames.n)
			TRY(record(L, e));
	} else if (e->type == KG__EV_SEQUENCE_END || e->type == KG__EV_MAPPING_END) {
		if (L->frames.n)
			TRY(record(L, e));
		while (L->frames.n && L->frames.v[L->frames.n - 1].depth == L->depth) {
			kg__aframe fr = L->frames.v[--L->frames.n];
			TRY(define_anchor(L, fr.name, fr.start, fr.line, fr.col));
		}
		L->depth--;
	} else if (e->type == KG__EV_SCALAR) {
		if (aname) {
			uint32_t name = kg__strtab_intern(&L->anames, aname, strlen(aname));
			uint32_t start = (uint32_t)L->log.n;
			if (!name)
				return KG_ENOMEM;
			TRY(record(L, e));
			TRY(define_anchor(L, name, start, e->line, e->col));
			/* record() copied the text; point at the copy, which
			 * outlives libyaml's event like any replayed one. */
			e->val = L->log.v[start].val;
		} else if (L->frames.n) {
			TRY(record(L, e));
		}
	}
	return 0;
}

int kg__ld_skip(kg__loader *L, const kg__ev *e)
{
	int depth;
	kg__ev x;

	if (e->type != KG__EV_SEQUENCE_START && e->type != KG__EV_MAPPING_START)
		return 0;
	for (depth = 1; depth > 0;) {
		TRY(kg__ld_next(L, &x));
		if (x.type == KG__EV_SEQUENCE_START || x.type == KG__EV_MAPPING_START)
			depth++;
		else if (x.type == KG__EV_SEQUENCE_END || x.type == KG__EV_MAPPING_END)
			depth--;
	}
	return 0;
}

void kg__ld_aliases_reset(kg__loader *L)
{
	L->log.n = 0;
	L->anchor_of.n = 0;
	L->anchors.n = 0;
	L->frames.n = 0;
	L->replays.n = 0;
	L->replayed = 0;
	L->replayed_bytes = 0;
	L->depth = 0;
	kg__strtab_free(&L->anames);
	kg__arena_free(&L->scratch);
}

void kg__ld_aliases_free(kg__loader *L)
{
	kg__ld_aliases_reset(L);
	KG_VEC_FREE(L->log);
	KG_VEC_FREE(L->anchor_of);
	KG_VEC_FREE(L->anchors);
	KG_VEC_FREE(L->frames);
	KG_VEC_FREE(L->replays);
}
