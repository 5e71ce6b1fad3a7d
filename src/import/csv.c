/*
 * csv.c - CSV tables (RFC 4180) onto the builder: an entities table and a
 * relations table, as a spreadsheet or `kgraph export -T csv` writes them.
 *
 * Which table a file is: one whose header has the --from and --to columns
 * is a relations table; one called sources.csv (what export writes) a
 * sources table; any other an entities table, which must have the --id
 * column. Every entities table is read before any relations table, so
 * the files may come in any order.
 *
 * Cells: comma separated; a cell in double quotes may hold commas, line
 * breaks and doubled quotes; lines end in CRLF or LF; a byte order mark
 * is skipped. A quote inside an unquoted cell, an unclosed quote, text
 * after a closing quote, a row with more cells than the header, a cell
 * that is not UTF-8 or holds a NUL are errors at their line and column.
 * A row with fewer cells has the rest empty; an empty cell is no value.
 *
 * Columns: the fixed ones (named by the options: id, type, name, aliases;
 * from, to, the relation type, date, since, until, weight, source, quote)
 * and any other, which becomes an attribute named by its header. Aliases
 * are split on "|", as export joins them; "attr_KEY" is read as KEY, as
 * export writes an attribute named like a fixed column. A relations
 * table's "id" column (export's r0, r1, ...) is dropped.
 */
#include "import/import_internal.h"

#include "kgraph/limits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One parsed table: cells row by row, each with where it starts. */
typedef struct cell {
	const char *s;
	unsigned line, col;
} cell;

typedef struct table {
	const char *file;
	KG_VEC(cell) cells;
	size_t ncols, nrows; /* rows after the header */
	int kind;            /* 'e', 'r', 's' */
} table;

/* ---- reading ------------------------------------------------------------ */

typedef struct reader {
	const unsigned char *p, *end;
	unsigned line, col;
	kg__build *b;
	kg__arena *arena;
	kg__buf cur;
} reader;

static void step(reader *r)
{
	kg__text_step(&r->line, &r->col, *r->p++);
}

/* Whether len bytes at s are UTF-8 without NUL. */
static bool utf8_ok(const unsigned char *s, size_t len)
{
	const unsigned char *end = s + len;
	size_t n;

	for (; s < end; s += n)
		if (!*s || !(n = kg__utf8_valid(s, end)))
			return false;
	return true;
}

/* One cell at r->p into *c; *last says whether it ended its row. 0, or
 * -1 after an error. */
static int read_cell(reader *r, cell *c, bool *last)
{
	c->line = r->line;
	c->col = r->col;
	r->cur.n = 0;
	if (r->p < r->end && *r->p == '"') {
		step(r);
		for (;;) {
			const unsigned char *from = r->p;
			while (r->p < r->end && *r->p != '"')
				step(r);
			if (kg__buf_add(&r->cur, (const char *)from, (size_t)(r->p - from)) != 0)
				return r->b->nomem = 1, -1;
			if (r->p >= r->end) {
				kg__build_diag(r->b, KG_SEV_ERROR, c->line, c->col, "a quoted cell is not closed");
				return -1;
			}
			step(r);
			if (r->p < r->end && *r->p == '"') {
				if (kg__buf_add(&r->cur, "\"", 1) != 0)
					return r->b->nomem = 1, -1;
				step(r);
				continue;
			}
			break;
		}
		if (r->p < r->end && *r->p != ',' && *r->p != '\n' && !(*r->p == '\r' && r->p + 1 < r->end && r->p[1] == '\n')) {
			kg__build_diag(r->b, KG_SEV_ERROR, r->line, r->col,
			               "text after the closing quote of a cell (a quote inside a cell is written \"\")");
			return -1;
		}
	} else {
		const unsigned char *from = r->p;
		while (r->p < r->end && *r->p != ',' && *r->p != '\n' && *r->p != '"' &&
		       !(*r->p == '\r' && r->p + 1 < r->end && r->p[1] == '\n'))
			step(r);
		if (r->p < r->end && *r->p == '"') {
			kg__build_diag(r->b, KG_SEV_ERROR, r->line, r->col,
			               "a quote inside a cell that does not start with one (quote the cell and write it \"\")");
			return -1;
		}
		if (kg__buf_add(&r->cur, (const char *)from, (size_t)(r->p - from)) != 0)
			return r->b->nomem = 1, -1;
	}
	if (!utf8_ok((const unsigned char *)(r->cur.p ? r->cur.p : ""), r->cur.n)) {
		kg__build_diag(r->b, KG_SEV_ERROR, c->line, c->col, "a cell is not UTF-8 text (or holds a NUL byte)");
		return -1;
	}
	if (!(c->s = kg__arena_strndup(r->arena, r->cur.p ? r->cur.p : "", r->cur.n)))
		return r->b->nomem = 1, -1;
	*last = true;
	if (r->p < r->end && *r->p == ',') {
		step(r);
		*last = false;
	} else if (r->p < r->end) {
		if (*r->p == '\r')
			step(r);
		step(r);
	}
	return 0;
}

static int read_table(kg__build *b, kg__arena *arena, table *t, const char *data, size_t len)
{
	reader r;
	size_t n = 0;
	int rc = 0;

	memset(&r, 0, sizeof r);
	r.p = (const unsigned char *)data;
	r.end = r.p + len;
	r.line = r.col = 1;
	r.b = b;
	r.arena = arena;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		r.p += 3;
	while (r.p < r.end) {
		cell c;
		bool last;
		if (read_cell(&r, &c, &last) != 0) {
			rc = -1;
			break;
		}
		if (t->ncols && n == t->ncols) {
			kg__build_diag(b, KG_SEV_ERROR, c.line, c.col, "a row with more cells than the header's %zu", t->ncols);
			rc = -1;
			break;
		}
		if (KG_VEC_PUSH(t->cells, c) != 0) {
			b->nomem = 1;
			rc = -1;
			break;
		}
		n++;
		if (last) {
			if (!t->ncols)
				t->ncols = n;
			else {
				cell empty = {"", c.line, c.col};
				for (; n < t->ncols; n++)
					if (KG_VEC_PUSH(t->cells, empty) != 0) {
						b->nomem = 1;
						rc = -1;
						break;
					}
				t->nrows++;
			}
			n = 0;
		}
	}
	kg__buf_free(&r.cur);
	return rc;
}

/* ---- mapping ------------------------------------------------------------ */

static const char *const relation_fixed[] = {"date", "since", "until", "weight", "source", "quote", NULL};

static int column(const table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->cells.v[i].s, name) == 0)
			return (int)i;
	return -1;
}

static const cell *at(const table *t, size_t row, int col)
{
	return col < 0 ? NULL : &t->cells.v[(row + 1) * t->ncols + (size_t)col];
}

static bool is_fixed(const char *h, const char *const *fixed);

/* An attribute column's key: "attr_KEY" as KEY when KEY is a fixed one
 * that the YAML record does not reserve. */
static const char *attr_key(const char *h, const char *const *fixed, const char *const *reserved)
{
	size_t i;

	if (strncmp(h, "attr_", 5) == 0 && !is_fixed(h + 5, reserved))
		for (i = 0; fixed[i]; i++)
			if (fixed[i][0] && strcmp(h + 5, fixed[i]) == 0)
				return h + 5;
	return h;
}

static bool is_fixed(const char *h, const char *const *fixed)
{
	size_t i;

	for (i = 0; fixed[i]; i++)
		if (strcmp(h, fixed[i]) == 0)
			return true;
	return false;
}

/* The other cells of a row as attributes; a header that is a key of the
 * YAML record (reserved) but not read as one is written "attr_KEY". */
static void attrs(kg__build *b, kg__buf *out, const table *t, size_t row, const char *const *fixed,
                  const char *const *reserved)
{
	char key[80];
	size_t c;

	for (c = 0; c < t->ncols; c++) {
		const char *h = t->cells.v[c].s, *v = t->cells.v[(row + 1) * t->ncols + c].s;
		if (!*v || is_fixed(h, fixed))
			continue;
		h = attr_key(h, fixed, reserved);
		if (!*h || (h == t->cells.v[c].s && is_fixed(h, reserved))) {
			snprintf(key, sizeof key, "attr_%.60s", h);
			h = key;
		}
		kg__build_kv(b, out, "    ", h, v);
	}
}

static const char *const entity_keys[] = {"type", "name", "aliases", NULL};
static const char *const source_keys[] = {"title", "publisher", "date", "url", "file", NULL};
static const char *const relation_keys[] = {"from", "to", "type", "date", "since", "until", "weight", "source",
                                            "quote", NULL};

static void entities(kg__build *b, const table *t, const kg_import_options *o)
{
	const char *fixed[] = {o->csv_id ? o->csv_id : "id", o->csv_type ? o->csv_type : "type",
	                       o->csv_name ? o->csv_name : "name", "aliases", NULL};
	int cid = column(t, fixed[0]), ctype = column(t, fixed[1]), cname = column(t, fixed[2]),
	    calias = column(t, "aliases");
	size_t row;

	b->file = t->file;
	if (cid < 0) {
		kg__build_diag(b, KG_SEV_ERROR, 1, 1, "an entities table needs an '%s' column (--id names it)", fixed[0]);
		return;
	}
	for (row = 0; row < t->nrows; row++) {
		const cell *id = at(t, row, cid), *type = at(t, row, ctype), *name = at(t, row, cname),
		           *al = at(t, row, calias);
		const char *slug, *ty;
		bool renamed;
		if (!*id->s) {
			kg__build_diag(b, KG_SEV_ERROR, id->line, id->col, "an entity's '%s' cell is empty", fixed[0]);
			continue;
		}
		if (kg__build_find(b, 'E', id->s)) {
			kg__build_diag(b, KG_SEV_ERROR, id->line, id->col, "entity '%s' is given twice", id->s);
			continue;
		}
		if (!(slug = kg__build_assign(b, KG__NS_ENTITY, id->s, &renamed)) ||
		    kg__build_link(b, 'E', id->s, KG__NS_ENTITY, slug) != KG_OK)
			return;
		if (!(ty = kg__build_type(b, type && *type->s ? type->s : o->default_type ? o->default_type : "thing",
		                          NULL)))
			return;
		b->sum->entities++;
		kg__build_put(b, &b->entities, "  ");
		kg__build_yaml(b, &b->entities, slug);
		kg__build_put(b, &b->entities, ":\n");
		kg__build_field(b, &b->entities, "    ", "type", ty);
		if (name && *name->s)
			kg__build_field(b, &b->entities, "    ", "name", name->s);
		else if (renamed)
			kg__build_field(b, &b->entities, "    ", "name", id->s);
		if (al && *al->s) {
			const char *p = al->s;
			bool first = true;
			while (*p) {
				const char *bar = strchr(p, '|');
				size_t n = bar ? (size_t)(bar - p) : strlen(p);
				char *item = kg__strndup(p, n);
				if (!item) {
					b->nomem = 1;
					return;
				}
				if (n) {
					kg__build_put(b, &b->entities, first ? "    aliases: [" : ", ");
					kg__build_yaml(b, &b->entities, item);
					first = false;
				}
				kg__free(item);
				p += n + (bar != NULL);
			}
			if (!first)
				kg__build_put(b, &b->entities, "]\n");
		}
		if (renamed && column(t, "original_id") < 0)
			kg__build_kv(b, &b->entities, "    ", "original_id", id->s);
		attrs(b, &b->entities, t, row, fixed, entity_keys);
	}
}

static void sources(kg__build *b, const table *t)
{
	static const char *const fixed[] = {"id", "title", "publisher", "date", "url", "file", NULL};
	int cid = column(t, "id");
	size_t row, i;

	b->file = t->file;
	if (cid < 0) {
		kg__build_diag(b, KG_SEV_ERROR, 1, 1, "a sources table needs an 'id' column");
		return;
	}
	for (row = 0; row < t->nrows; row++) {
		const cell *id = at(t, row, cid);
		const char *slug;
		if (!*id->s || kg__build_find(b, KG__NS_SOURCE, id->s)) {
			kg__build_diag(b, KG_SEV_ERROR, id->line, id->col, *id->s ? "source '%s' is given twice"
			                                                          : "a source's 'id' cell is empty%s", id->s);
			continue;
		}
		if (!(slug = kg__build_cited_source(b, id->s)))
			return;
		for (i = 1; fixed[i]; i++) {
			const cell *c = at(t, row, column(t, fixed[i]));
			if (!c || !*c->s)
				continue;
			if (strcmp(fixed[i], "date") == 0)
				kg__build_date(b, &b->sources, "    ", "date", c->s, "date", c->line, c->col);
			else
				kg__build_field(b, &b->sources, "    ", fixed[i], c->s);
		}
		attrs(b, &b->sources, t, row, fixed, source_keys);
	}
}

static void relations(kg__build *b, const table *t, const kg_import_options *o)
{
	const char *fixed[] = {o->csv_from ? o->csv_from : "from", o->csv_to ? o->csv_to : "to",
	                       o->csv_rel_type ? o->csv_rel_type : "type", "id", "date", "since", "until", "weight",
	                       "source", "quote", NULL};
	int cfrom = column(t, fixed[0]), cto = column(t, fixed[1]), ctype = column(t, fixed[2]);
	size_t row, i;

	b->file = t->file;
	for (row = 0; row < t->nrows; row++) {
		const cell *f = at(t, row, cfrom), *to = at(t, row, cto), *ty = at(t, row, ctype), *c;
		const char *from = kg__build_find(b, 'E', f->s), *dest = kg__build_find(b, 'E', to->s), *rt;
		kg__buf *out = &b->relations;
		if (!from)
			kg__build_diag(b, KG_SEV_ERROR, f->line, f->col, "'%s' is not an entity of the entities tables", f->s);
		if (!dest)
			kg__build_diag(b, KG_SEV_ERROR, to->line, to->col, "'%s' is not an entity of the entities tables",
			               to->s);
		if (!from || !dest)
			continue;
		if (!(rt = kg__build_rtype(b, ty && *ty->s ? ty->s
		                              : o->default_relation_type ? o->default_relation_type : "related_to",
		                           NULL, false)))
			return;
		b->sum->relations++;
		kg__build_field(b, out, "  - ", "from", from);
		kg__build_field(b, out, "    ", "type", rt);
		kg__build_field(b, out, "    ", "to", dest);
		kg_date d[3] = {0, 0, 0};
		const cell *since = NULL;
		for (i = 0; relation_fixed[i]; i++) {
			if (!(c = at(t, row, column(t, relation_fixed[i]))) || !*c->s)
				continue;
			if (i == 1)
				since = c;
			if (i < 3)
				d[i] = kg__build_date(b, out, "    ", relation_fixed[i], c->s, relation_fixed[i], c->line, c->col);
			else if (i == 3)
				kg__build_weight(b, out, "    ", c->s, c->line, c->col);
			else if (i == 4) {
				const char *s = kg__build_cited_source(b, c->s);
				if (s)
					kg__build_field(b, out, "    ", "source", s);
			} else
				kg__build_field(b, out, "    ", "quote", c->s);
		}
		if (since)
			kg__build_validity(b, d[1], d[2], since->line, since->col);
		attrs(b, out, t, row, fixed, relation_keys);
	}
}

static int by_text(const void *a, const void *b)
{
	const cell *x = *(const cell *const *)a, *y = *(const cell *const *)b;
	int c = strcmp(x->s, y->s);

	return c ? c : x->col < y->col ? -1 : x->col > y->col;
}

/* A header named twice would give a record the same attribute twice.
 * Sorted, so that a header of a million columns is still fast. */
static int unique_headers(kg__build *b, const table *t)
{
	const cell **h = kg__malloc(t->ncols * sizeof *h);
	size_t i;
	int rc = 0;

	if (!h)
		return b->nomem = 1, -1;
	for (i = 0; i < t->ncols; i++)
		h[i] = &t->cells.v[i];
	qsort(h, t->ncols, sizeof *h, by_text);
	for (i = 1; i < t->ncols; i++)
		if (strcmp(h[i - 1]->s, h[i]->s) == 0) {
			kg__build_diag(b, KG_SEV_ERROR, h[i]->line, h[i]->col, "column '%.60s' is named twice", h[i]->s);
			rc = -1;
			break;
		}
	kg__free(h);
	return rc;
}

/* ---- the tables --------------------------------------------------------- */

int kg__import_csv(kg__build *b, const char *const *names, const char *const *data, const size_t *len, size_t n,
                   const kg_import_options *o)
{
	const char *from = o->csv_from ? o->csv_from : "from", *to = o->csv_to ? o->csv_to : "to";
	kg__arena arena = {0};
	table *t = kg__calloc(n ? n : 1, sizeof *t);
	size_t i;
	int pass, rc;

	if (!t)
		return KG_ENOMEM;
	for (i = 0; i < n; i++) {
		const char *base = strrchr(names[i], '/');
		b->file = t[i].file = names[i];
		b->sum->files++;
		if (read_table(b, &arena, &t[i], data[i], len[i]) != 0)
			continue;
		if (!t[i].ncols) {
			kg__build_diag(b, KG_SEV_ERROR, 1, 1, "an empty table: the first row names the columns");
			continue;
		}
		if (unique_headers(b, &t[i]) != 0)
			continue;
		base = base ? base + 1 : names[i];
		t[i].kind = column(&t[i], from) >= 0 && column(&t[i], to) >= 0 ? 'r'
		            : strcmp(base, "sources.csv") == 0                  ? 's'
		                                                                : 'e';
	}
	/* sources, entities, then relations, whatever the order of the files */
	for (pass = 0; pass < 3 && !b->nomem; pass++)
		for (i = 0; i < n; i++) {
			if (t[i].kind == "ser"[pass] && pass == 0)
				sources(b, &t[i]);
			else if (t[i].kind == "ser"[pass] && pass == 1)
				entities(b, &t[i], o);
			else if (t[i].kind == "ser"[pass])
				relations(b, &t[i], o);
		}
	rc = b->nomem ? KG_ENOMEM : b->errors ? KG_EINVALID : KG_OK;
	for (i = 0; i < n; i++)
		KG_VEC_FREE(t[i].cells);
	kg__free(t);
	kg__arena_free(&arena);
	return rc;
}
