/*
 * report.c - the loader's diagnostics: errors and warnings at a position
 * of the file being read, or at one the graph stored, counted against
 * the error limit; did-you-mean hints.
 *
 * Once max_errors errors were reported, the load stops: every report
 * after that returns LD_STOP and adds nothing, so a flood of one mistake
 * ends with one note ("too many errors") rather than a million lines.
 */
#include "load/loader.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Report a diagnostic at where (NULL: the file as a whole); errors count
 * towards max_errors. Returns 0, or LD_STOP once too many errors were
 * reported, or KG_ENOMEM. */
#if defined(__GNUC__)
__attribute__((format(printf, 6, 0)))
#endif
static int vreport(kg__loader *L, kg_severity sev, const kg_location *where,
                   const kg_location *related, const char *related_msg,
                   const char *fmt, va_list ap)
{
	char msg[1024];
	int rc;

	if (L->stopped)
		return LD_STOP;
	vsnprintf(msg, sizeof msg, fmt, ap);
	rc = kg_diag_list_add(L->diags, sev, where, msg, NULL, related, related_msg);
	if (rc)
		return KG_ENOMEM;
	L->last_diag = kg_diag_list_count(L->diags) - 1;
	if (sev == KG_SEV_ERROR && ++L->nerrors >= L->max_errors) {
		char note[96];
		snprintf(note, sizeof note, "too many errors (%u); stopping here", L->nerrors);
		if (kg_diag_list_add(L->diags, KG_SEV_NOTE, NULL, note, NULL, NULL, NULL))
			return KG_ENOMEM;
		L->stopped = 1;
		return LD_STOP;
	}
	return 0;
}

int kg__ld_report(kg__loader *L, const kg_location *where, const kg_location *related,
                  const char *related_msg, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vreport(L, KG_SEV_ERROR, where, related, related_msg, fmt, ap);
	va_end(ap);
	return rc;
}

int kg__ld_error_at(kg__loader *L, unsigned line, unsigned col, const char *fmt, ...)
{
	kg_location where = kg__ld_pub_loc(L, line, col);
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vreport(L, KG_SEV_ERROR, &where, NULL, NULL, fmt, ap);
	va_end(ap);
	return rc;
}

int kg__ld_warning_at(kg__loader *L, unsigned line, unsigned col, const char *fmt, ...)
{
	kg_location where = kg__ld_pub_loc(L, line, col);
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vreport(L, KG_SEV_WARNING, &where, NULL, NULL, fmt, ap);
	va_end(ap);
	return rc;
}

/* An error at a location stored in the graph, with an optional related
 * location, used once the file it is in may be closed. */
int kg__ld_error_loc(kg__loader *L, kg__loc at, const kg_location *related,
                     const char *related_msg, const char *fmt, ...)
{
	kg_location where = kg__graph_location(L->g, at);
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vreport(L, KG_SEV_ERROR, &where, related, related_msg, fmt, ap);
	va_end(ap);
	return rc;
}

/* Add "did you mean 'x'?" to the last diagnostic when there is an x. */
void kg__ld_hint_near(kg__loader *L, const char *near)
{
	if (near)
		kg__diag_hintf(L->diags, L->last_diag, "did you mean '%s'?", near);
}

/* Closest record name among the string ids key_of(0..n-1). */
const char *kg__ld_closest_key(kg__loader *L, const char *text, kg__key_fn key_of, size_t n)
{
	size_t len = strlen(text), i;
	unsigned best = kg__suggest_distance(len) + 1;
	const char *pick = NULL;

	for (i = 0; i < n; i++) {
		uint32_t sid = key_of(L->g, (uint32_t)i);
		unsigned d = kg__edit_distance(text, len, kg__str(&L->g->strings, sid),
		                               kg__strlen(&L->g->strings, sid), best - 1);
		if (d < best) {
			best = d;
			pick = kg__str(&L->g->strings, sid);
		}
	}
	return pick;
}

const char *kg__ld_event_name(kg__ev_type t)
{
	switch (t) {
	case KG__EV_MAPPING_START: return "a mapping";
	case KG__EV_SEQUENCE_START: return "a list";
	case KG__EV_SCALAR: return "text";
	default: return "nothing";
	}
}

/* An error here, with a related place in the same file. */
int kg__ld_error_rel(kg__loader *L, unsigned line, unsigned col, unsigned rline, unsigned rcol,
                     const char *related_msg, const char *fmt, ...)
{
	kg_location where = kg__ld_pub_loc(L, line, col), rel = kg__ld_pub_loc(L, rline, rcol);
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vreport(L, KG_SEV_ERROR, &where, &rel, related_msg, fmt, ap);
	va_end(ap);
	return rc;
}

/* A duplicate definition of what at key k; the first is at first. */
int kg__ld_error_dup(kg__loader *L, const kg__ev *k, const char *what, kg__loc first)
{
	kg_location where = kg__ld_pub_loc(L, k->line, k->col);
	kg_location rel = kg__graph_location(L->g, first);

	return kg__ld_report(L, &where, &rel, "first defined here", "duplicate %s '%s'", what, k->val);
}

/* Report that e is not what was expected, and skip it. */
int kg__ld_wrong_kind(kg__loader *L, const kg__ev *e, const char *what, const char *expected)
{
	TRY(kg__ld_error_at(L, e->line, e->col, "%s must be %s, not %s", what, expected, kg__ld_event_name(e->type)));
	return kg__ld_skip(L, e);
}
