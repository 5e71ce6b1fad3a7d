/*
 * layout.c - layout files: where the nodes of a drawing were placed, read
 * from and written as text, so that the next render can keep them there
 * (kg_render_options.layout, render --layout).
 *
 * Pipeline position: render. The positions come from gv.c (by node
 * index) and render.c names them by node id; this file only holds them,
 * reads and writes them. The format is one node a line, `ID X Y` in
 * points, under a first line `# kgraph layout 1` - plain enough to
 * review in a git diff, one changed line per node that moved.
 *
 * A layout file is untrusted input (it sits beside the graph in a
 * repository): the reader is bounded by KG_RENDER_LAYOUT_MAX_*, never
 * reads past len, takes no NUL or non-ASCII byte, and stops at the first
 * problem with its line and column, so a fuzzer reaches every branch.
 */
#include "render/render_internal.h"
#include "kgraph/common.h"
#include "kgraph/limits.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define HEADER "# kgraph layout 1"

typedef struct lay_entry {
	size_t id;     /* offset into ids */
	double x, y;   /* points */
	unsigned line; /* in the file read; 0 when made by a render */
} lay_entry;

struct kg_render_layout {
	kg__buf ids;                /* NUL-terminated ids, one after another */
	KG_VEC(lay_entry) v;        /* in file (or drawing) order */
	size_t *sorted;             /* indexes into v, by id */
};

kg_render_layout *kg__layout_new(void)
{
	return kg__calloc(1, sizeof(kg_render_layout));
}

void kg_render_layout_free(kg_render_layout *l)
{
	if (!l)
		return;
	kg__buf_free(&l->ids);
	KG_VEC_FREE(l->v);
	kg__free(l->sorted);
	kg__free(l);
}

size_t kg_render_layout_count(const kg_render_layout *l)
{
	return l ? l->v.n : 0;
}

int kg__layout_add(kg_render_layout *l, const char *id, size_t idlen, double x, double y, unsigned line)
{
	lay_entry e;

	e.id = l->ids.n;
	e.x = x;
	e.y = y;
	e.line = line;
	if (kg__buf_add(&l->ids, id, idlen) || kg__buf_add(&l->ids, "", 1) || KG_VEC_PUSH(l->v, e))
		return KG_ENOMEM;
	return KG_OK;
}

/* qsort has no context pointer; sorting happens once per layout. */
static const kg_render_layout *sorting;

static int by_id(const void *a, const void *b)
{
	const lay_entry *ea = &sorting->v.v[*(const size_t *)a], *eb = &sorting->v.v[*(const size_t *)b];
	int c = strcmp(sorting->ids.p + ea->id, sorting->ids.p + eb->id);
	/* equal ids: file order, so the first of a pair is found first */
	return c ? c : ea->line < eb->line ? -1 : ea->line > eb->line;
}

int kg__layout_seal(kg_render_layout *l)
{
	size_t i;

	kg__free(l->sorted);
	l->sorted = kg__malloc((l->v.n ? l->v.n : 1) * sizeof *l->sorted);
	if (!l->sorted)
		return KG_ENOMEM;
	for (i = 0; i < l->v.n; i++)
		l->sorted[i] = i;
	sorting = l;
	qsort(l->sorted, l->v.n, sizeof *l->sorted, by_id);
	sorting = NULL;
	return KG_OK;
}

/* The index in sorted of the first entry with id, or SIZE_MAX. */
static size_t find(const kg_render_layout *l, const char *id)
{
	size_t lo = 0, hi = l && l->sorted ? l->v.n : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(l->ids.p + l->v.v[l->sorted[mid]].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < (l && l->sorted ? l->v.n : 0) && strcmp(l->ids.p + l->v.v[l->sorted[lo]].id, id) == 0 ? lo
	                                                                                                    : SIZE_MAX;
}

bool kg_render_layout_find(const kg_render_layout *l, const char *id, double *x, double *y)
{
	size_t at = id ? find(l, id) : SIZE_MAX;

	if (at == SIZE_MAX)
		return false;
	if (x)
		*x = l->v.v[l->sorted[at]].x;
	if (y)
		*y = l->v.v[l->sorted[at]].y;
	return true;
}

/* v to two decimals, as it will be written, with no negative zero: -0.001
 * written as "-0.00" would read back as 0 and be written "0.00", and a
 * layout file must come out of a render unchanged when nothing moved. */
static double hundredths(double v)
{
	double r = round(v * 100) / 100;
	return r == 0 ? 0.0 : r;
}

int kg_render_layout_format(unsigned char **text, size_t *len, const kg_render_layout *l)
{
	kg__buf b = {0};
	size_t i;
	int err;

	if (!text || !len || !l)
		return KG_EARG;
	*text = NULL;
	*len = 0;
	err = kg__buf_puts(&b, HEADER "\n"
	                       "# Where kgraph render --layout placed each node, in points: ID X Y.\n"
	                       "# The next render with this file keeps these nodes here.\n");
	for (i = 0; i < l->v.n && !err; i++) {
		const lay_entry *e = &l->v.v[i];
		err = kg__buf_printf(&b, "%s %.2f %.2f\n", l->ids.p + e->id, hundredths(e->x), hundredths(e->y));
	}
	if (err) {
		kg__buf_free(&b);
		return KG_ENOMEM;
	}
	*text = (unsigned char *)b.p;
	*len = b.n;
	return KG_OK;
}

/* ---- reading --------------------------------------------------------- */

typedef struct reader {
	const char *name;
	kg_diag_list *diags;
	unsigned line;
} reader;

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int fail(reader *rd, size_t column, const char *hint, const char *fmt, ...)
{
	kg_location at = {rd->name, rd->line, (unsigned)column};
	size_t i = rd->diags ? kg_diag_list_count(rd->diags) : 0;
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = kg__diag_vaddf(rd->diags, KG_SEV_ERROR, rd->name ? &at : NULL, NULL, NULL, fmt, ap);
	va_end(ap);
	if (err)
		return KG_ENOMEM;
	if (hint && rd->diags && kg__diag_hintf(rd->diags, i, "%s", hint))
		return KG_ENOMEM;
	return KG_EINVALID;
}

static bool id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
	       c == '-';
}

/* One coordinate at s[0..n), the field starting at column col. */
static int read_coord(reader *rd, const char *s, size_t n, size_t col, double *out)
{
	char shown[KG_MAX_NUMBER_BYTES + 1];

	if (n > KG_MAX_NUMBER_BYTES || kg__parse_number(s, n, out) != 0) {
		memcpy(shown, s, n < KG_MAX_NUMBER_BYTES ? n : KG_MAX_NUMBER_BYTES);
		shown[n < KG_MAX_NUMBER_BYTES ? n : KG_MAX_NUMBER_BYTES] = '\0';
		return fail(rd, col, NULL, "'%s' is not a number (a coordinate in points)", shown);
	}
	if (fabs(*out) > KG_RENDER_LAYOUT_MAX_COORD)
		return fail(rd, col, NULL, "a coordinate is at most %.0f points from the origin", KG_RENDER_LAYOUT_MAX_COORD);
	return KG_OK;
}

/* One line s[0..n) that is not blank and not a comment: ID X Y. */
static int read_line(reader *rd, kg_render_layout *l, const char *s, size_t n)
{
	size_t at = 0, start[3], len[3], k;
	double x, y;
	int rc;

	for (k = 0; k < 3; k++) {
		while (at < n && (s[at] == ' ' || s[at] == '\t'))
			at++;
		if (at == n)
			return fail(rd, at + 1, "a line is a node id and its position: ID X Y",
			            "%s", k == 1 ? "the id is not followed by a position" : "a position needs two numbers, X and Y");
		start[k] = at;
		while (at < n && s[at] != ' ' && s[at] != '\t')
			at++;
		len[k] = at - start[k];
	}
	while (at < n && (s[at] == ' ' || s[at] == '\t'))
		at++;
	if (at < n)
		return fail(rd, at + 1, "a line is a node id and its position: ID X Y",
		            "unexpected text after the position");
	if (len[0] > KG_RENDER_LAYOUT_MAX_ID)
		return fail(rd, start[0] + 1, NULL, "a node id is at most %d bytes", KG_RENDER_LAYOUT_MAX_ID);
	for (k = 0; k < len[0]; k++)
		if (!id_char(s[start[0] + k]))
			return fail(rd, start[0] + k + 1, "ids contain only letters, digits, '_', '.' and '-'",
			            "a node id cannot contain this character");
	if ((rc = read_coord(rd, s + start[1], len[1], start[1] + 1, &x)) ||
	    (rc = read_coord(rd, s + start[2], len[2], start[2] + 1, &y)))
		return rc;
	if (l->v.n >= KG_RENDER_LAYOUT_MAX_NODES)
		return fail(rd, 1, NULL, "a layout file holds at most %d positions", KG_RENDER_LAYOUT_MAX_NODES);
	return kg__layout_add(l, s + start[0], len[0], x, y, rd->line);
}

/* After sorting: the first id given twice, reported where it is repeated. */
static int check_duplicates(reader *rd, const kg_render_layout *l)
{
	size_t i;

	for (i = 1; i < l->v.n; i++) {
		const lay_entry *a = &l->v.v[l->sorted[i - 1]], *b = &l->v.v[l->sorted[i]];
		if (strcmp(l->ids.p + a->id, l->ids.p + b->id) == 0) {
			kg_location at = {rd->name, b->line, 1}, first = {rd->name, a->line, 1};
			if (kg__diag_addf(rd->diags, KG_SEV_ERROR, rd->name ? &at : NULL, rd->name ? &first : NULL,
			                  "first given here", "node '%s' is given twice", l->ids.p + a->id))
				return KG_ENOMEM;
			return KG_EINVALID;
		}
	}
	return KG_OK;
}

int kg_render_layout_parse(kg_render_layout **out, const char *text, size_t len, const char *name,
                           kg_diag_list *diags)
{
	reader rd = {name, diags, 1};
	kg_render_layout *l;
	size_t at = 0;
	int rc = KG_OK;

	if (!out || (!text && len))
		return KG_EARG;
	*out = NULL;
	if (len > KG_RENDER_LAYOUT_MAX_BYTES) {
		rd.line = 0;
		return fail(&rd, 0, NULL, "a layout file is at most %d bytes", KG_RENDER_LAYOUT_MAX_BYTES);
	}
	if (len < sizeof HEADER - 1 || memcmp(text, HEADER, sizeof HEADER - 1) != 0 ||
	    (len > sizeof HEADER - 1 && text[sizeof HEADER - 1] != '\n' && text[sizeof HEADER - 1] != '\r'))
		return fail(&rd, 1, "kgraph render --layout FILE writes one; give a new file name to start afresh",
		            "not a kgraph layout file: the first line must be '%s'", HEADER);
	l = kg__layout_new();
	if (!l)
		return KG_ENOMEM;
	while (at < len && rc == KG_OK) {
		const char *s = text + at, *nl = memchr(s, '\n', len - at);
		size_t n = nl ? (size_t)(nl - s) : len - at, i;
		at += n + (nl != NULL);
		if (n && s[n - 1] == '\r')
			n--;
		for (i = 0; i < n && rc == KG_OK; i++)
			if ((unsigned char)s[i] < 0x20 ? s[i] != '\t' : (unsigned char)s[i] >= 0x7f)
				rc = fail(&rd, i + 1, "a layout file is ASCII text", "unexpected byte in a layout file");
		if (rc == KG_OK && rd.line > 1 && n && s[0] != '#') {
			size_t j = 0;
			while (j < n && (s[j] == ' ' || s[j] == '\t'))
				j++;
			if (j < n && s[j] != '#')
				rc = read_line(&rd, l, s, n);
		}
		rd.line++;
	}
	if (rc == KG_OK)
		rc = kg__layout_seal(l);
	if (rc == KG_OK)
		rc = check_duplicates(&rd, l);
	if (rc != KG_OK) {
		kg_render_layout_free(l);
		return rc;
	}
	*out = l;
	return KG_OK;
}

/* ---- keeping a drawing's layout (render.c) ---------------------------- */

/* The id of node i (its "id" attribute), or NULL. */
static const char *node_id(const kg__rdrawing *d, size_t i)
{
	size_t j;

	for (j = 0; j < d->nodes.v[i].count; j++) {
		const kg__rattr *a = &d->attrs.v[d->nodes.v[i].first + j];
		if (strcmp(a->key, "id") == 0)
			return kg__rvalue(d, a);
	}
	return NULL;
}

/* Where node i was: its own id's position, or for the ghost of a removed
 * entity (removed-e-ID), the entity's (e-ID). */
static bool known_at(const kg_render_layout *l, const kg__rdrawing *d, size_t i, double *x, double *y)
{
	const char *id = node_id(d, i);

	if (!id)
		return false;
	if (strncmp(id, "removed-", 8) == 0)
		id += 8;
	return kg_render_layout_find(l, id, x, y);
}

/* Give node i a position: a copy of its attribute run with pos added at
 * the end (runs are contiguous, so the old one is left unused). */
static void set_pos(kg__builder *b, size_t i, double x, double y, bool pinned)
{
	kg__rdrawing *d = b->d;
	kg__rattrs run = d->nodes.v[i];
	kg__rattr pos;
	size_t j;

	pos.key = "pos";
	pos.value = kg__valf(b, pinned ? "%.2f,%.2f!" : "%.2f,%.2f", x, y);
	if (b->err || KG_VEC_RESERVE(d->attrs, d->attrs.n + run.count + 1)) {
		b->err = KG_ENOMEM;
		return;
	}
	d->nodes.v[i].first = d->attrs.n;
	for (j = 0; j < run.count; j++)
		d->attrs.v[d->attrs.n++] = d->attrs.v[run.first + j];
	d->attrs.v[d->attrs.n++] = pos;
	d->nodes.v[i].count = run.count + 1;
}

/*
 * New nodes are placed here rather than by neato: neato minimises stress
 * over all pairs of nodes, so with the others pinned where an earlier
 * layout (often dot's) put them, it pulled a new node a fifth of the
 * drawing away from its neighbours. A new node goes instead to the first
 * free spot on rings around the mean of its placed neighbours (or of all
 * placed nodes, for one that has none), free meaning no placed node
 * within a node's usual size; a grid of cells that size finds the nodes
 * near a spot in O(1). The rings are bounded: in a crowded place the node
 * takes the last spot tried, and neato's spline router still draws it.
 */
#define GAP_X 150.0 /* a free spot is this far across ... */
#define GAP_Y 60.0  /* ... or this far up or down from every placed node */
#define RINGS 12
#define MAX_PASSES 64

typedef struct grid {
	size_t *head, *next; /* per cell bucket: first node + 1 (0 = none); per node, the next + 1 */
	size_t nbuckets;
	const double *at;    /* 2 per node */
} grid;

static size_t cell_bucket(const grid *gr, double x, double y)
{
	long long cx = (long long)floor(x / GAP_X), cy = (long long)floor(y / GAP_Y);
	uint64_t h = (uint64_t)cx * 0x9E3779B97F4A7C15u ^ (uint64_t)cy * 0xC2B2AE3D27D4EB4Fu;
	return (size_t)(h % gr->nbuckets);
}

static void grid_add(grid *gr, size_t i)
{
	size_t b = cell_bucket(gr, gr->at[2 * i], gr->at[2 * i + 1]);
	gr->next[i] = gr->head[b];
	gr->head[b] = i + 1;
}

static bool spot_free(const grid *gr, double x, double y)
{
	int dx, dy;

	for (dx = -1; dx <= 1; dx++)
		for (dy = -1; dy <= 1; dy++) {
			size_t k = gr->head[cell_bucket(gr, x + dx * GAP_X, y + dy * GAP_Y)];
			for (; k; k = gr->next[k - 1])
				if (fabs(gr->at[2 * (k - 1)] - x) < GAP_X && fabs(gr->at[2 * (k - 1) + 1] - y) < GAP_Y)
					return false;
		}
	return true;
}

/* The first free spot on square rings around (x, y), row by row. */
static void free_spot(const grid *gr, double *x, double *y)
{
	double x0 = *x, y0 = *y;
	int r, i, j;

	for (r = 0; r <= RINGS; r++)
		for (j = -r; j <= r; j++)
			for (i = -r; i <= r; i++) {
				if (i != -r && i != r && j != -r && j != r)
					continue;
				*x = x0 + i * GAP_X * 0.75;
				*y = y0 + j * GAP_Y * 1.2;
				if (spot_free(gr, *x, *y))
					return;
			}
}

/* Count placed node `from` as a neighbour of the unplaced node `to`. */
static void add_neighbour(double *sum, const uint8_t *placed, const double *at, uint32_t to, uint32_t from)
{
	if ((placed[from] == 1 || placed[from] == 2) && !placed[to]) {
		sum[3 * to] += at[2 * from];
		sum[3 * to + 1] += at[2 * from + 1];
		sum[3 * to + 2]++;
	}
}

int kg__layout_apply(kg__builder *b, const kg_render_layout *l)
{
	kg__rdrawing *d = b->d;
	size_t n = d->nodes.n, i, nplaced = 0;
	double *sum = kg__calloc(n ? n * 3 : 1, sizeof *sum); /* x, y, count of placed neighbours */
	uint8_t *placed = kg__calloc(n ? n : 1, 1);          /* 1 by the layout, 2 placed here */
	uint8_t *anchored = kg__calloc(n ? n : 1, 1);
	double *at = kg__calloc(n ? n * 2 : 1, sizeof *at), cx = 0, cy = 0;
	grid gr;
	bool more = true;
	int pass;

	gr.nbuckets = n ? 2 * n : 1;
	gr.head = kg__calloc(gr.nbuckets, sizeof *gr.head);
	gr.next = kg__calloc(n ? n : 1, sizeof *gr.next);
	gr.at = at;
	if (!sum || !placed || !at || !gr.head || !gr.next || !anchored) {
		b->err = KG_ENOMEM;
		goto done;
	}
	kg__anchor_nodes(d, at, anchored); /* only to learn which they are */
	for (i = 0; i < n; i++)
		if (anchored[i])
			placed[i] = 3; /* neither a neighbour nor to be placed here */
		else if (known_at(l, d, i, &at[2 * i], &at[2 * i + 1])) {
			placed[i] = 1;
			grid_add(&gr, i);
			cx += at[2 * i];
			cy += at[2 * i + 1];
			nplaced++;
		}
	/* Nodes with placed neighbours first, a ring of them at a time (in
	 * index order within it), until a pass places none; the passes are
	 * bounded, so that a long chain of new nodes costs O(E) a ring only
	 * for the first rings (the rest go by the mean of all). */
	for (pass = 0; more && pass < MAX_PASSES; pass++) {
		more = false;
		memset(sum, 0, n * 3 * sizeof *sum);
		for (i = 0; i < d->edges.n; i++) {
			add_neighbour(sum, placed, at, d->edges.v[i].tail, d->edges.v[i].head);
			add_neighbour(sum, placed, at, d->edges.v[i].head, d->edges.v[i].tail);
		}
		for (i = 0; i < n; i++)
			if (!placed[i] && sum[3 * i + 2] > 0) {
				at[2 * i] = sum[3 * i] / sum[3 * i + 2];
				at[2 * i + 1] = sum[3 * i + 1] / sum[3 * i + 2];
				free_spot(&gr, &at[2 * i], &at[2 * i + 1]);
				placed[i] = 2;
				grid_add(&gr, i);
				more = true;
			}
	}
	for (i = 0; i < n && nplaced; i++)
		if (!placed[i]) { /* nothing joins it to a placed node */
			at[2 * i] = cx / (double)nplaced;
			at[2 * i + 1] = cy / (double)nplaced;
			free_spot(&gr, &at[2 * i], &at[2 * i + 1]);
			placed[i] = 2;
			grid_add(&gr, i);
		}
	kg__anchor_nodes(d, at, anchored);
	for (i = 0; i < n && !b->err; i++)
		if (placed[i])
			set_pos(b, i, at[2 * i], at[2 * i + 1], true);
done:
	kg__free(anchored);
	kg__free(sum);
	kg__free(placed);
	kg__free(at);
	kg__free(gr.head);
	kg__free(gr.next);
	return b->err;
}

int kg__layout_collect(kg_render_layout **out, const kg__rdrawing *d, const double *pos, size_t npos)
{
	kg_render_layout *l = kg__layout_new();
	uint8_t *anchored = kg__calloc(d->nodes.n ? d->nodes.n : 1, 1);
	size_t i, j;
	int rc = l && anchored ? KG_OK : KG_ENOMEM;

	*out = NULL;
	for (j = 0; j < d->anchored.n && rc == KG_OK; j++)
		anchored[d->anchored.v[j].node] = 1;
	for (i = 0; i < d->nodes.n && i < npos && rc == KG_OK; i++) {
		const char *id = node_id(d, i);
		/* a ghost's entity is gone, and the legend is set beside the
		 * rest each time: the next render has no use for either */
		if (id && !anchored[i] && strncmp(id, "removed-", 8) != 0)
			rc = kg__layout_add(l, id, strlen(id), pos[2 * i], pos[2 * i + 1], 0);
	}
	kg__free(anchored);
	if (rc == KG_OK)
		rc = kg__layout_seal(l);
	if (rc != KG_OK) {
		kg_render_layout_free(l);
		return rc;
	}
	*out = l;
	return KG_OK;
}
