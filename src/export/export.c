/*
 * export.c - kg_export: check the options, settle what is exported, and
 * run one writer over a streaming output buffer; plus the buffer itself,
 * dates, and the attribute columns the table formats share.
 *
 * Pipeline position: graph (+ a render selection) -> export -> a writer
 * callback. Uses only the public graph interface. The escaping of text
 * for each format is in escape.c; each format's writer in its own file.
 *
 * Invariants. Memory is bounded by the graph: the buffer is flushed to
 * the callback whenever it passes KG_EXPORT_CHUNK, and the only other
 * allocations are per-graph arrays (the selection, the exported sources,
 * the attribute columns). The first error sticks in x->err and makes every
 * later x_* call a no-op, so writers need not check after each call.
 */
#define _POSIX_C_SOURCE 200809L

#include "export/export_internal.h"
#include "core/diag_internal.h"
#include "kgraph/common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const format_names[] = {"json", "graphml", "gexf",   "csv", "yaml",
                                           "neo4j", "cypher", "ttl", "ftm", "sql"};
#define NFORMATS (sizeof format_names / sizeof *format_names)

int kg_export_format_from_name(kg_export_format *out, const char *name)
{
	size_t i;

	if (!out || !name)
		return KG_EARG;
	for (i = 0; i < NFORMATS; i++)
		if (strcasecmp(name, format_names[i]) == 0) {
			*out = (kg_export_format)i;
			return KG_OK;
		}
	return KG_EARG;
}

const char *kg_export_format_name(kg_export_format format)
{
	return (unsigned)format < NFORMATS ? format_names[format] : "unknown";
}

bool kg_export_format_is_folder(kg_export_format format)
{
	return format == KG_EXPORT_CSV || format == KG_EXPORT_NEO4J;
}

/* ---- output ------------------------------------------------------------ */

void x_flush(kg__export *x)
{
	if (x->err || !x->out.n)
		return;
	if (x->o->write(x->o->write_ctx, x->part, x->out.p, x->out.n) != 0)
		x->err = KG_EIO;
	x->out.n = 0;
}

void x_put(kg__export *x, const char *s, size_t len)
{
	if (x->err)
		return;
	if (kg__buf_add(&x->out, s, len)) {
		x->err = KG_ENOMEM;
		return;
	}
	if (x->out.n >= KG_EXPORT_CHUNK && !x->capturing)
		x_flush(x);
}

void x_puts(kg__export *x, const char *s)
{
	x_put(x, s, strlen(s));
}

void x_printf(kg__export *x, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	/* only numbers and fixed words go through here: 256 bytes is plenty */
	if (n < 0 || (size_t)n >= sizeof small) {
		x->err = x->err ? x->err : KG_EARG;
		return;
	}
	x_put(x, small, (size_t)n);
}

void x_capture(kg__export *x)
{
	x->saved = x->out;
	x->out = x->scratch;
	x->out.n = 0;
	x->capturing = true;
}

const char *x_captured(kg__export *x)
{
	x->scratch = x->out;
	x->out = x->saved;
	x->capturing = false;
	return x->scratch.p && !x->err ? x->scratch.p : "";
}

void x_part(kg__export *x, const char *part)
{
	x_flush(x);
	x->part = part;
}

int x_fail(kg__export *x, int rc)
{
	if (rc && !x->err)
		x->err = rc;
	return x->err;
}

void x_warn(kg__export *x, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (x->diags && kg_diag_list_add(x->diags, KG_SEV_WARNING, NULL, msg, NULL, NULL, NULL) != KG_OK &&
	    !x->err)
		x->err = KG_ENOMEM;
}

/* ---- dates ------------------------------------------------------------- */

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : days[m - 1];
}

void x_date(kg__export *x, kg_date d)
{
	char buf[11];
	x_puts(x, kg_date_format(buf, d));
}

void x_day(kg__export *x, kg_date d, bool first)
{
	int y = KG_DATE_YEAR(d), m = KG_DATE_MONTH(d), day = KG_DATE_DAY(d);

	if (!m)
		m = first ? 1 : 12;
	if (!day)
		day = first ? 1 : month_days(y, m);
	x_printf(x, "%04d-%02d-%02d", y, m, day);
}

void x_day_before(kg__export *x, kg_date d)
{
	kg_date f = kg_date_first_day(d);
	int y = KG_DATE_YEAR(f), m = KG_DATE_MONTH(f), day = KG_DATE_DAY(f) - 1;

	if (day < 1) {
		if (--m < 1) {
			m = 12;
			y--;
		}
		day = month_days(y, m);
	}
	if (y < 1) { /* the day before 0001-01-01: keep the bound itself */
		x_day(x, d, true);
		return;
	}
	x_printf(x, "%04d-%02d-%02d", y, m, day);
}

/* ---- numbers ----------------------------------------------------------- */

void x_number(kg__export *x, double v)
{
	char buf[40];
	int prec;

	/* the shortest text that reads back as the same double */
	for (prec = 15; prec < 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	snprintf(buf, sizeof buf, "%.*g", prec, v);
	x_puts(x, buf);
}

/* ---- attribute columns ---------------------------------------------------- */

const kg__attrs_of kg__entity_attrs = {kg_entity_attr_count, kg_entity_attr};
const kg__attrs_of kg__relation_attrs = {kg_relation_attr_count, kg_relation_attr};
const kg__attrs_of kg__source_attrs = {kg_source_attr_count, kg_source_attr};

/* The column of key, or SIZE_MAX. */
static size_t column_of(const kg__columns *c, const char *key)
{
	size_t mask = c->nslot - 1, i;

	if (!c->nslot)
		return SIZE_MAX;
	for (i = (size_t)kg__hash(key, strlen(key)) & mask; c->slot[i]; i = (i + 1) & mask)
		if (strcmp(c->key[c->slot[i] - 1], key) == 0)
			return c->slot[i] - 1;
	return SIZE_MAX;
}

static bool name_taken(const kg__columns *c, const char *name, const char *const *fixed)
{
	size_t i;

	for (i = 0; fixed[i]; i++)
		if (strcmp(fixed[i], name) == 0)
			return true;
	for (i = 0; i < c->n; i++)
		if (strcmp(c->name[i], name) == 0)
			return true;
	return false;
}

/* Rebuild the hash index at twice the size. */
static int rehash(kg__columns *c)
{
	size_t n = c->nslot ? c->nslot * 2 : 64, i;
	uint32_t *slot = kg__calloc(n, sizeof *slot);

	if (!slot)
		return -1;
	kg__free(c->slot);
	c->slot = slot;
	c->nslot = n;
	for (i = 0; i < c->n; i++) {
		size_t j = (size_t)kg__hash(c->key[i], strlen(c->key[i])) & (n - 1);
		while (slot[j])
			j = (j + 1) & (n - 1);
		slot[j] = (uint32_t)(i + 1);
	}
	return 0;
}

static int add_column(kg__columns *c, const char *key, bool list, const char *const *fixed)
{
	kg__buf name = {0};

	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		void *k = kg__realloc(c->key, cap * sizeof *c->key), *nm, *l;
		if (!k)
			return -1;
		c->key = k;
		if (!(nm = kg__realloc(c->name, cap * sizeof *c->name)))
			return -1;
		c->name = nm;
		if (!(l = kg__realloc(c->list, cap * sizeof *c->list)))
			return -1;
		c->list = l;
		c->cap = cap;
	}
	if (kg__buf_puts(&name, key))
		return -1;
	while (name_taken(c, name.p, fixed)) {
		kg__buf longer = {0};
		if (kg__buf_puts(&longer, "attr_") || kg__buf_puts(&longer, name.p)) {
			kg__buf_free(&longer);
			kg__buf_free(&name);
			return -1;
		}
		kg__buf_free(&name);
		name = longer;
	}
	c->key[c->n] = key;
	c->name[c->n] = name.p;
	c->list[c->n] = list;
	c->n++;
	if (c->n * 2 > c->nslot)
		return rehash(c);
	{
		size_t j = (size_t)kg__hash(key, strlen(key)) & (c->nslot - 1);
		while (c->slot[j])
			j = (j + 1) & (c->nslot - 1);
		c->slot[j] = (uint32_t)c->n;
	}
	return 0;
}

int kg__columns_collect(kg__columns *c, const kg_graph *g, const kg__attrs_of *of, const uint32_t *ids,
                        size_t n, const char *const *fixed)
{
	size_t i, j;

	memset(c, 0, sizeof *c);
	for (i = 0; i < n; i++) {
		uint32_t id = ids ? ids[i] : (uint32_t)i;
		size_t na = of->count(g, id);
		for (j = 0; j < na; j++) {
			kg_attr a = of->get(g, id, j);
			size_t col = column_of(c, a.key);
			if (col == SIZE_MAX) {
				if (add_column(c, a.key, a.in_list, fixed))
					return KG_ENOMEM;
			} else if (a.in_list) {
				c->list[col] = true;
			}
		}
	}
	c->first = kg__calloc(c->n + 1, sizeof *c->first);
	c->count = kg__calloc(c->n + 1, sizeof *c->count);
	return c->first && c->count ? KG_OK : KG_ENOMEM;
}

void kg__columns_free(kg__columns *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		kg__free(c->name[i]);
	kg__free(c->key);
	kg__free(c->name);
	kg__free(c->list);
	kg__free(c->slot);
	kg__free(c->first);
	kg__free(c->count);
	memset(c, 0, sizeof *c);
}

void kg__columns_row(kg__columns *c, const kg_graph *g, const kg__attrs_of *of, uint32_t id)
{
	size_t na = of->count(g, id), j;

	memset(c->count, 0, c->n * sizeof *c->count);
	for (j = 0; j < na; j++) {
		size_t col = column_of(c, of->get(g, id, j).key);
		if (col == SIZE_MAX)
			continue;
		if (!c->count[col]++)
			c->first[col] = j;
	}
}

void x_values(kg__export *x, const kg__columns *c, size_t col, const kg__attrs_of *of, uint32_t id,
              void (*str)(kg__export *, const char *), const char *open, const char *sep, const char *close)
{
	size_t k;

	x_puts(x, open);
	for (k = 0; k < c->count[col]; k++) {
		if (k)
			x_puts(x, sep);
		str(x, of->get(x->g, id, c->first[col] + k).value);
	}
	x_puts(x, close);
}

void x_json_value(kg__export *x, const kg__columns *c, size_t col, const kg__attrs_of *of, uint32_t id)
{
	if (of->get(x->g, id, c->first[col]).in_list)
		x_values(x, c, col, of, id, x_json, "[", ", ", "]");
	else
		x_json(x, of->get(x->g, id, c->first[col]).value);
}

void x_xml_attrs(kg__export *x, kg__columns *c, const kg__attrs_of *of, uint32_t id, char prefix,
                 const char *before, const char *middle, const char *after)
{
	size_t col;

	kg__columns_row(c, x->g, of, id);
	for (col = 0; col < c->n; col++) {
		if (!c->count[col])
			continue;
		x_puts(x, before);
		x_printf(x, "%ca%zu", prefix, col);
		x_puts(x, middle);
		if (of->get(x->g, id, c->first[col]).in_list) {
			x_capture(x);
			x_values(x, c, col, of, id, x_json, "[", ", ", "]");
			x_xml(x, x_captured(x));
		} else {
			x_xml(x, of->get(x->g, id, c->first[col]).value);
		}
		x_puts(x, after);
	}
}

void x_json_aliases(kg__export *x, uint32_t e)
{
	size_t n = kg_entity_alias_count(x->g, e), i;

	x_puts(x, "[");
	for (i = 0; i < n; i++) {
		if (i)
			x_puts(x, ", ");
		x_json(x, kg_entity_alias(x->g, e, i));
	}
	x_puts(x, "]");
}

int x_graph_columns(kg__export *x, kg__columns *nc, kg__columns *ec, const char *const *node_fixed,
                    const char *const *edge_fixed)
{
	memset(ec, 0, sizeof *ec);
	if (x_fail(x, kg__columns_collect(nc, x->g, &kg__entity_attrs, x->ents, x->nents, node_fixed)) != KG_OK)
		return x->err;
	return x_fail(x, kg__columns_collect(ec, x->g, &kg__relation_attrs, x->rels, x->nrels, edge_fixed));
}

/* ---- kg_export ----------------------------------------------------------- */

typedef void (*writer_fn)(kg__export *);

static const writer_fn writers[] = {kg__export_json,  kg__export_graphml, kg__export_gexf,
                                    kg__export_csv,   kg__export_yaml,    kg__export_neo4j,
                                    kg__export_cypher, kg__export_ttl,    kg__export_ftm,
                                    kg__export_sql};

static int check_selection(const kg_graph *g, const kg_render_selection *s, kg_diag_list *diags)
{
	size_t i, ne = kg_graph_entity_count(g), nr = kg_graph_relation_count(g);

	if ((s->nentities && !s->entities) || (s->nrelations && !s->relations))
		goto bad;
	for (i = 0; i < s->nentities; i++)
		if (s->entities[i] >= ne || (i && s->entities[i] <= s->entities[i - 1]))
			goto bad;
	for (i = 0; i < s->nrelations; i++)
		if (s->relations[i] >= nr || (i && s->relations[i] <= s->relations[i - 1]))
			goto bad;
	return KG_OK;
bad:
	kg_diag_list_add(diags, KG_SEV_ERROR, NULL,
	                 "the selection does not belong to this graph (indexes out of range or not ascending)",
	                 NULL, NULL, NULL);
	return KG_EARG;
}

/* Every index from 0 to n-1, for exporting everything. */
static uint32_t *all_indexes(size_t n)
{
	uint32_t *v = kg__malloc((n ? n : 1) * sizeof *v);
	size_t i;

	if (v)
		for (i = 0; i < n; i++)
			v[i] = (uint32_t)i;
	return v;
}

/* The sources to export: all of them, or those the relations cite. */
static int pick_sources(kg__export *x, bool all)
{
	size_t ns = kg_graph_source_count(x->g), i;
	uint8_t *cited;

	if (all) {
		x->srcs = all_indexes(ns);
		x->nsrcs = ns;
		return x->srcs ? KG_OK : KG_ENOMEM;
	}
	cited = kg__calloc(ns ? ns : 1, 1);
	x->srcs = kg__malloc((ns ? ns : 1) * sizeof *x->srcs);
	if (!cited || !x->srcs) {
		kg__free(cited);
		return KG_ENOMEM;
	}
	for (i = 0; i < x->nrels; i++) {
		uint32_t s = kg_relation_source(x->g, x->rels[i]);
		if (s != KG_NONE)
			cited[s] = 1;
	}
	for (i = 0; i < ns; i++)
		if (cited[i])
			x->srcs[x->nsrcs++] = (uint32_t)i;
	kg__free(cited);
	return KG_OK;
}

int kg_export(const kg_graph *g, const kg_export_options *opts, kg_diag_list *diags)
{
	kg__export x;
	uint32_t *ents = NULL, *rels = NULL;
	int rc;

	if (!g || !opts || !KG__OPTIONS_VERSION_OK(opts->version, KG_EXPORT_OPTIONS_VERSION) || !opts->write ||
	    (unsigned)opts->format >= NFORMATS) {
		kg_diag_list_add(diags, KG_SEV_ERROR, NULL, "export: no writer, or an unknown format", NULL, NULL,
		                 NULL);
		return KG_EARG;
	}
	memset(&x, 0, sizeof x);
	x.g = g;
	x.o = opts;
	x.diags = diags;
	if (opts->selection) {
		if ((rc = check_selection(g, opts->selection, diags)) != KG_OK)
			return rc;
		x.ents = opts->selection->entities;
		x.nents = opts->selection->nentities;
		x.rels = opts->selection->relations;
		x.nrels = opts->selection->nrelations;
	} else {
		x.nents = kg_graph_entity_count(g);
		x.nrels = kg_graph_relation_count(g);
		x.ents = ents = all_indexes(x.nents);
		x.rels = rels = all_indexes(x.nrels);
		if (!ents || !rels) {
			rc = KG_ENOMEM;
			goto done;
		}
	}
	if ((rc = pick_sources(&x, !opts->selection)) != KG_OK)
		goto done;
	writers[opts->format](&x);
	x_flush(&x);
	if (!x.err && x.replaced)
		x_warn(&x, "%zu character%s that XML 1.0 cannot hold (control characters) written as U+FFFD",
		       x.replaced, x.replaced == 1 ? "" : "s");
	rc = x.err;
	if (rc == KG_EIO)
		kg_diag_list_add(diags, KG_SEV_ERROR, NULL, "export: the output could not be written", NULL,
		                 NULL, NULL);
done:
	kg__buf_free(&x.out);
	kg__buf_free(&x.scratch);
	kg__free(x.srcs);
	kg__free(ents);
	kg__free(rels);
	return rc;
}
