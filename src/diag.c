/*
 * diag.c - the caller-owned list of diagnostics. Strings are copied into
 * the list's own arena so a diagnostic outlives the graph (or the failed
 * load) that produced it.
 */
#include "diag_internal.h"
#include "arena.h"
#include "kgraph/common.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct kg_diag_list {
	KG_VEC(kg_diag) items;
	kg__arena arena;
};

kg_diag_list *kg_diag_list_new(void)
{
	return kg__calloc(1, sizeof(kg_diag_list));
}

void kg_diag_list_free(kg_diag_list *list)
{
	if (!list)
		return;
	KG_VEC_FREE(list->items);
	kg__arena_free(&list->arena);
	kg__free(list);
}

size_t kg_diag_list_count(const kg_diag_list *list)
{
	return list ? list->items.n : 0;
}

size_t kg_diag_list_count_severity(const kg_diag_list *list, kg_severity severity)
{
	size_t i, n = 0;

	for (i = 0; list && i < list->items.n; i++)
		n += list->items.v[i].severity == severity;
	return n;
}

const kg_diag *kg_diag_list_get(const kg_diag_list *list, size_t i)
{
	return list && i < list->items.n ? &list->items.v[i] : NULL;
}

/* Copy s into the list's arena; NULL stays NULL. Sets *fail on failure. */
static const char *keep(kg_diag_list *list, const char *s, int *fail)
{
	const char *d;

	if (!s)
		return NULL;
	d = kg__arena_strndup(&list->arena, s, strlen(s));
	if (!d)
		*fail = 1;
	return d;
}

int kg_diag_list_add(kg_diag_list *list, kg_severity severity,
                     const kg_location *where, const char *message,
                     const char *hint, const kg_location *related,
                     const char *related_message)
{
	kg_diag d;
	int fail = 0;

	if (!list || !message)
		return KG_EARG;
	memset(&d, 0, sizeof d);
	d.severity = severity;
	if (where) {
		d.where = *where;
		d.where.file = keep(list, where->file, &fail);
	}
	d.message = keep(list, message, &fail);
	d.hint = keep(list, hint, &fail);
	if (related) {
		d.related = *related;
		d.related.file = keep(list, related->file, &fail);
	}
	d.related_message = keep(list, related_message, &fail);
	if (fail || KG_VEC_PUSH(list->items, d))
		return KG_ENOMEM;
	return KG_OK;
}

int kg_diag_set_source_line(kg_diag_list *list, size_t i, const char *text, size_t len)
{
	char *s;

	if (!list || i >= list->items.n || !text)
		return KG_EARG;
	s = kg__arena_strndup(&list->arena, text, len);
	if (!s)
		return KG_ENOMEM;
	list->items.v[i].source_line = s;
	return KG_OK;
}

int kg__diag_addf(kg_diag_list *list, kg_severity sev, const kg_location *where,
                  const kg_location *related, const char *related_message,
                  const char *fmt, ...)
{
	char small[512], *msg = small;
	va_list ap;
	int len, rc;

	va_start(ap, fmt);
	len = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (len < 0)
		return KG_ENOMEM;
	if ((size_t)len >= sizeof small) {
		msg = kg__malloc((size_t)len + 1);
		if (!msg)
			return KG_ENOMEM;
		va_start(ap, fmt);
		vsnprintf(msg, (size_t)len + 1, fmt, ap);
		va_end(ap);
	}
	rc = kg_diag_list_add(list, sev, where, msg, NULL, related, related_message);
	if (msg != small)
		kg__free(msg);
	return rc;
}

int kg__diag_hintf(kg_diag_list *list, size_t i, const char *fmt, ...)
{
	va_list ap;
	int len;
	char *s;

	if (!list || i >= list->items.n)
		return KG_EARG;
	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		return KG_ENOMEM;
	s = kg__arena_alloc(&list->arena, (size_t)len + 1);
	if (!s)
		return KG_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)len + 1, fmt, ap);
	va_end(ap);
	list->items.v[i].hint = s;
	return KG_OK;
}

void kg__diag_set_position(kg_diag_list *list, size_t i, unsigned line, unsigned column)
{
	if (list && i < list->items.n) {
		list->items.v[i].where.line = line;
		list->items.v[i].where.column = column;
	}
}
