/*
 * gv.c - lay out and render a drawing with Graphviz (libcgraph,
 * libgvc). The only file in kgraph that includes Graphviz headers.
 *
 * Pipeline position: render.c builds the drawing (drawing.h);
 * this file turns it into cgraph objects, calls gvLayout and
 * gvRenderData, and hands back the bytes. It knows nothing of the graph.
 * The geometry it applies to a layout (the picture's size, the stretch
 * into the fit bounds, label distances, a PNG's shrink) is in
 * gv_geom.c, on plain numbers: this file holds what needs Graphviz.
 * Where it runs (the child process below, its limits, the pipe, the
 * timeout) is gv_process.c's: it calls kg__gv_child_main in the child,
 * or kg__gv_in_process.
 *
 * Isolation. Graphviz cannot be cancelled, calls exit() when malloc
 * fails, may crash on inputs it dislikes, leaks (fontconfig, pango, its
 * plugin configuration) and is not thread-safe. So by default everything
 * Graphviz does happens in a forked child process: its output comes back
 * through a pipe, its stderr through a second one (turned into warnings),
 * and the parent kills it when the wall-clock timeout passes. The child
 * has RLIMIT_AS (memory), RLIMIT_CPU and alarm() as backstops, and leaves
 * with _exit so it never runs the parent's atexit handlers. in_process
 * skips all that (for debugging and leak checking).
 *
 * The child never outlives the parent: the running child's pid is kept
 * where a signal handler can reach it (kg__gv_signal_cleanup, called by
 * kg_render_abort_in_progress from a program's SIGINT or SIGTERM
 * handler), and on Linux the child also asks the kernel to kill it when
 * the parent dies (PR_SET_PDEATHSIG), which covers SIGKILL and a parent
 * killed before it recorded the pid.
 *
 * The child speaks in frames on the pipe, all in native byte order (the
 * two ends are one program on one machine):
 *   'M' severity(1: 'E' or 'W') length(u32) text   a Graphviz message
 *   'P' count(u64) count*2 doubles                node positions, when asked
 *   'S' dpi(u32)                                  the PNG dpi used
 *   'D' length(u64) bytes                         the rendered output
 *   'X' rc(i32)                                   done; always last
 * A stream without 'X' means the child died. In-process rendering
 * collects the same message frames in memory, so one parser serves both.
 *
 * Graphviz 2.43 API notes: functions take char * (never written through
 * here, hence the casts); gvRenderData's length is unsigned int (size_t
 * from Graphviz 13); the error callback receives a message in pieces
 * ("Error", ": ", "text\n"), so pieces are joined up to the newline.
 */
#define _POSIX_C_SOURCE 200809L

#include "render/drawing.h"
#include "render/gv_geom.h"
#include "render/gv_process.h"
#include "kgraph/common.h"
#include "kgraph/render.h"
#include "core/diag_internal.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- collecting Graphviz messages ---------------------------------- */

/* agseterrf takes no context pointer; Graphviz is single-threaded
 * anyway. `frames` receives 'M' frames; `pending` holds the pieces of
 * the message being reported. */
static kg__buf *msg_frames;
static kg__buf msg_pending;
static bool msg_error_seen, msg_oom;

static void frame_message(kg__buf *frames, char severity, const char *text, size_t len)
{
	uint32_t n = (uint32_t)len;
	char head[2] = {'M', severity};

	if (kg__buf_add(frames, head, 2) || kg__buf_add(frames, (const char *)&n, sizeof n) ||
	    kg__buf_add(frames, text, len))
		msg_oom = true;
}

static void flush_message(void)
{
	const char *s = msg_pending.p;
	size_t n = msg_pending.n;
	char sev = 'W';

	if (!n)
		return;
	if (n >= 7 && strncmp(s, "Error: ", 7) == 0) {
		sev = 'E';
		s += 7;
		n -= 7;
	} else if (n >= 9 && strncmp(s, "Warning: ", 9) == 0) {
		s += 9;
		n -= 9;
	}
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		n--;
	if (sev == 'E')
		msg_error_seen = true;
	if (n && msg_frames)
		frame_message(msg_frames, sev, s, n);
	msg_pending.n = 0;
}

static int collect_message(char *piece)
{
	size_t len = strlen(piece);

	if (kg__buf_add(&msg_pending, piece, len))
		msg_oom = true;
	else if (msg_pending.n && msg_pending.p[msg_pending.n - 1] == '\n')
		flush_message();
	return 0;
}

/* ---- object ids in creation order ----------------------------------- */

/* cgraph's default id discipline makes a named object's id the address of
 * its interned name, and keeps subgraphs in id order: clusters came out
 * in the order malloc happened to place their names, which differed
 * between a render from the files and the same render from --db (and, now
 * and then, between two runs). Here a name's id is its rank among the
 * names first seen (even, as cgraph expects of named ids; anonymous ones
 * stay odd), so every order cgraph derives from ids is creation order. */
typedef struct gv_ids {
	char **names;      /* by rank */
	uint32_t *slots;   /* open addressing: rank + 1, or 0 */
	size_t n, cap;     /* names; slots has 2 * cap entries */
	IDTYPE anonymous;  /* the next odd id */
} gv_ids;

static void *ids_open(Agraph_t *g, Agdisc_t *disc)
{
	gv_ids *t = kg__calloc(1, sizeof *t);
	(void)g;
	(void)disc;
	if (t)
		t->anonymous = 1;
	return t; /* NULL: ids_map then refuses every object */
}

static uint32_t *ids_slot(gv_ids *t, const char *s, uint64_t h)
{
	size_t mask = 2 * t->cap - 1, i = (size_t)h & mask;
	while (t->slots[i] && strcmp(t->names[t->slots[i] - 1], s) != 0)
		i = (i + 1) & mask;
	return &t->slots[i];
}

static int ids_grow(gv_ids *t)
{
	size_t cap = t->cap ? 2 * t->cap : 64, i;
	char **names = kg__realloc(t->names, cap * sizeof *names);
	uint32_t *slots;
	if (!names)
		return -1;
	t->names = names;
	if (!(slots = kg__calloc(2 * cap, sizeof *slots)))
		return -1;
	kg__free(t->slots);
	t->slots = slots;
	t->cap = cap;
	for (i = 0; i < t->n; i++)
		*ids_slot(t, t->names[i], kg__hash(t->names[i], strlen(t->names[i]))) = (uint32_t)i + 1;
	return 0;
}

static long ids_map(void *state, int objtype, char *str, IDTYPE *id, int createflag)
{
	gv_ids *t = state;
	uint32_t *slot;
	uint64_t h;
	(void)objtype;
	if (!t)
		return 0; /* ids_open ran out of memory: no object can be made */
	if (!str) {
		*id = t->anonymous;
		t->anonymous += 2;
		return 1;
	}
	h = kg__hash(str, strlen(str));
	if (t->cap && *(slot = ids_slot(t, str, h))) {
		*id = (IDTYPE)*slot * 2;
		return 1;
	}
	if (!createflag) {
		*id = 0; /* as the default discipline: a name never seen */
		return 1;
	}
	if ((t->n == t->cap && ids_grow(t) != 0) || t->n >= UINT32_MAX - 1)
		return 0;
	if (!(t->names[t->n] = kg__strndup(str, strlen(str))))
		return 0;
	t->n++;
	*ids_slot(t, str, h) = (uint32_t)t->n;
	*id = (IDTYPE)t->n * 2;
	return 1;
}

static long ids_alloc(void *state, int objtype, IDTYPE id)
{
	(void)state;
	(void)objtype;
	(void)id;
	return 0; /* no caller-chosen ids */
}

static void ids_free(void *state, int objtype, IDTYPE id)
{
	(void)state;
	(void)objtype;
	(void)id; /* names live until the graph is closed */
}

static char *ids_print(void *state, int objtype, IDTYPE id)
{
	gv_ids *t = state;
	(void)objtype;
	if (!t || id % 2 || id / 2 == 0 || id / 2 > t->n)
		return NULL; /* anonymous: cgraph names it itself */
	return t->names[id / 2 - 1];
}

static void ids_close(void *state)
{
	gv_ids *t = state;
	size_t i;
	if (!t)
		return;
	for (i = 0; i < t->n; i++)
		kg__free(t->names[i]);
	kg__free(t->names);
	kg__free(t->slots);
	kg__free(t);
}

static void ids_register(void *state, int objtype, void *obj)
{
	(void)state;
	(void)objtype;
	(void)obj;
}

static Agiddisc_t ids_disc = {ids_open, ids_map, ids_alloc, ids_free, ids_print, ids_close, ids_register};

/* ---- building the cgraph graph -------------------------------------- */

/* Declare key at the root with an empty default when it is new: what the
 * DOT parser does before setting an attribute anywhere. */
static void declare(Agraph_t *root, int kind, const char *key)
{
	if (!agattr(root, kind, (char *)key, NULL))
		agattr(root, kind, (char *)key, "");
}

/* The cgraph graph of the drawing; with skip, without the nodes it marks
 * (and the edges and cluster places of those nodes). */
static Agraph_t *build(const kg__rdrawing *d, const uint8_t *skip)
{
	Agdisc_t disc = {&AgMemDisc, &ids_disc, &AgIoDisc};
	Agraph_t *g = agopen("kgraph", Agdirected, &disc);
	Agnode_t **nodes;
	char name[32];
	size_t i, j;

	if (!g)
		return NULL;
	nodes = kg__calloc(d->nodes.n ? d->nodes.n : 1, sizeof *nodes);
	if (!nodes) {
		agclose(g);
		return NULL;
	}
	for (i = 0; i < d->graph.count; i++) {
		const kg__rattr *a = &d->attrs.v[d->graph.first + i];
		agattr(g, AGRAPH, (char *)a->key, (char *)kg__rvalue(d, a));
	}
	for (i = 0; i < d->node_defaults.count; i++) {
		const kg__rattr *a = &d->attrs.v[d->node_defaults.first + i];
		agattr(g, AGNODE, (char *)a->key, (char *)kg__rvalue(d, a));
	}
	for (i = 0; i < d->edge_defaults.count; i++) {
		const kg__rattr *a = &d->attrs.v[d->edge_defaults.first + i];
		agattr(g, AGEDGE, (char *)a->key, (char *)kg__rvalue(d, a));
	}
	for (i = 0; i < d->nodes.n; i++) {
		if (skip && skip[i])
			continue;
		snprintf(name, sizeof name, "n%zu", i + 1);
		nodes[i] = agnode(g, name, 1);
		for (j = 0; j < d->nodes.v[i].count; j++) {
			const kg__rattr *a = &d->attrs.v[d->nodes.v[i].first + j];
			agsafeset(nodes[i], (char *)a->key, (char *)kg__rvalue(d, a), "");
		}
	}
	for (i = 0; i < d->clusters.n; i++) {
		const kg__rcluster *c = &d->clusters.v[i];
		Agraph_t *sg;
		snprintf(name, sizeof name, "cluster_%zu", i + 1);
		sg = agsubg(g, name, 1);
		for (j = 0; j < c->attrs.count; j++) {
			const kg__rattr *a = &d->attrs.v[c->attrs.first + j];
			declare(g, AGRAPH, a->key);
			agattr(sg, AGRAPH, (char *)a->key, (char *)kg__rvalue(d, a));
		}
		for (j = 0; j < c->nmembers; j++)
			if (nodes[d->members.v[c->first_member + j]])
				agsubnode(sg, nodes[d->members.v[c->first_member + j]], 1);
	}
	for (i = 0; i < d->edges.n; i++) {
		const kg__redge *e = &d->edges.v[i];
		Agedge_t *ge;
		if (!nodes[e->tail] || !nodes[e->head])
			continue;
		ge = agedge(g, nodes[e->tail], nodes[e->head], NULL, 1);
		for (j = 0; j < e->attrs.count; j++) {
			const kg__rattr *a = &d->attrs.v[e->attrs.first + j];
			agsafeset(ge, (char *)a->key, (char *)kg__rvalue(d, a), "");
		}
	}
	kg__free(nodes);
	return g;
}

/* ---- one Graphviz run ------------------------------------------------ */

typedef struct gv_result {
	kg__buf frames; /* 'M' frames */
	char *data;     /* from gvRenderData; release with gvFreeRenderData */
	unsigned int len;
	unsigned dpi_used;
	double *pos; /* 2 per node, when the job wants positions */
	size_t npos;
	int rc;
} gv_result;

static void result_message(gv_result *r, char sev, const char *text)
{
	frame_message(&r->frames, sev, text, strlen(text));
}

/* The picture's size in points (gv_geom.h). */
static void picture_size(Agraph_t *g, double *w, double *h)
{
	kg__picture_size(agget(g, "bb"), agget(g, "pad"), w, h);
}

/* Whether the engine ignores `ratio`, so fit_stretch shapes its pictures
 * (dot honours it; fdp's cluster boxes would not follow a stretch). */
static bool ignores_ratio(const kg__rdrawing *d)
{
	return strcmp(d->engine, "dot") != 0 && strcmp(d->engine, "fdp") != 0;
}

/* Whether a laid-out picture's width : height (*a; its size *w x *h) is
 * outside the drawing's fit bounds. An empty picture is not. */
static bool outside_fit(Agraph_t *g, const kg__rdrawing *d, double *w, double *h, double *a)
{
	picture_size(g, w, h);
	return kg__outside_fit(*w, *h, d->fit_lo, d->fit_hi, a);
}

static int compact_legend(Agraph_t *g, const kg__rdrawing *d);

/* Bring a laid-out picture's width : height within the drawing's fit
 * bounds. Graphviz's numeric `ratio` (height / width of the layout)
 * stretches the layout - never its text - in one direction; it cannot
 * say "only when outside", so the layout is measured first, and since
 * the title and pad are not stretched, corrected once more. Only graph
 * attributes change. Returns 0, or -1 when a layout failed. */
static int fit_ratio(GVC_t *gvc, Agraph_t *g, const kg__rdrawing *d)
{
	double w, h, ratio = 0;
	int round;

	if (compact_legend(g, d) != KG_OK)
		return -1;
	if (d->fit_lo <= 0 || ignores_ratio(d))
		return 0; /* three more layouts would change nothing */
	for (round = 0; round < 3; round++) {
		double a;
		char buf[32];
		if (!outside_fit(g, d, &w, &h, &a))
			return 0;
		ratio = kg__fit_next_ratio(ratio, w, h, a, d->fit_lo, d->fit_hi);
		snprintf(buf, sizeof buf, "%.4f", ratio);
		gvFreeLayout(gvc, g);
		agattr(g, AGRAPH, "ratio", buf);
		if (gvLayout(gvc, g, (char *)d->engine) != 0 || compact_legend(g, d) != KG_OK)
			return -1;
	}
	return 0;
}

/* sfdp and the other force-directed engines ignore `ratio` in Graphviz
 * 2.43, so a picture of theirs still outside the fit bounds is stretched
 * by hand: every node's position is scaled along the short side -
 * stretched, never squeezed, so nodes apart stay apart and text keeps
 * its size - and neato lays the graph out again with every node pinned
 * there (in points: inputscale 72), no overlap removal (none is needed)
 * and no packing, which would move whole parts: it only routes the edges,
 * as for a timeline. The graph's `layout` must say neato too: gvLayout
 * obeys it over its own argument. The pad and title do not stretch, hence
 * up to three rounds. 0, or -1 when a layout failed. */
static int fit_stretch(GVC_t *gvc, Agraph_t *g, const kg__rdrawing *d)
{
	int round;

	if (d->fit_lo <= 0 || !ignores_ratio(d))
		return 0;
	for (round = 0; round < 3; round++) {
		double w, h, a, sx, sy;
		Agnode_t *n;
		char buf[64];

		if (!outside_fit(g, d, &w, &h, &a))
			return 0;
		kg__fit_stretch_factors(a, d->fit_lo, d->fit_hi, &sx, &sy);
		for (n = agfstnode(g); n; n = agnxtnode(g, n)) {
			snprintf(buf, sizeof buf, "%.2f,%.2f!", ND_coord(n).x * sx, ND_coord(n).y * sy);
			agsafeset(n, "pos", buf, "");
		}
		gvFreeLayout(gvc, g);
		agattr(g, AGRAPH, "layout", "neato");
		agattr(g, AGRAPH, "inputscale", "72");
		agattr(g, AGRAPH, "overlap", "true");
		agattr(g, AGRAPH, "pack", "false");
		agattr(g, AGRAPH, "ratio", ""); /* fit_ratio's, which neato would apply */
		if (gvLayout(gvc, g, "neato") != 0)
			return -1;
	}
	return 0;
}

static Agnode_t *node_at(Agraph_t *g, size_t i);

/* Move an edge's line, arrowheads and labels by (dx, dy). */
static void move_edge(Agedge_t *e, double dx, double dy)
{
	textlabel_t *labels[4] = {ED_label(e), ED_xlabel(e), ED_head_label(e), ED_tail_label(e)};
	int i, j;

	for (i = 0; ED_spl(e) && i < ED_spl(e)->size; i++) {
		bezier *bz = &ED_spl(e)->list[i];
		for (j = 0; j < bz->size; j++) {
			bz->list[j].x += dx;
			bz->list[j].y += dy;
		}
		bz->sp.x += dx;
		bz->sp.y += dy;
		bz->ep.x += dx;
		bz->ep.y += dy;
	}
	for (i = 0; i < 4; i++)
		if (labels[i]) {
			labels[i]->pos.x += dx;
			labels[i]->pos.y += dy;
		}
}

/* Extend *lo, *hi (along y when `across`, else x) to cover a box of
 * centre c and half size h. */
static void cover(double *lo, double *hi, double c, double h)
{
	*lo = fmin(*lo, c - h);
	*hi = fmax(*hi, c + h);
}

/* After the legend shrank, the picture shrinks too on the legend's far
 * side (below it with rankdir LR, right of it otherwise) down to what is
 * drawn: nodes, visible edges and their labels, clusters. The title (or
 * caption, below) keeps its room and is centred again. Not past the
 * fit bounds: the stretch that brought the picture into them stays. */
static void shrink_picture(Agraph_t *g, const kg__rdrawing *d, bool across)
{
	double lo = HUGE_VAL, hi = -HUGE_VAL;
	textlabel_t *title = GD_label(g);
	const char *loc = agget(g, "labelloc");
	Agraph_t *sg;
	Agnode_t *n;
	Agedge_t *e;
	int i, j;

	for (n = agfstnode(g); n; n = agnxtnode(g, n)) {
		cover(&lo, &hi, across ? ND_coord(n).y : ND_coord(n).x, (across ? ND_height(n) : ND_width(n)) * 36);
		for (e = agfstout(g, n); e; e = agnxtout(g, e)) {
			const char *style = agget(e, "style");
			textlabel_t *labels[4] = {ED_label(e), ED_xlabel(e), ED_head_label(e), ED_tail_label(e)};
			if (style && strstr(style, "invis"))
				continue;
			for (i = 0; ED_spl(e) && i < ED_spl(e)->size; i++)
				for (j = 0; j < ED_spl(e)->list[i].size; j++)
					cover(&lo, &hi, across ? ED_spl(e)->list[i].list[j].y : ED_spl(e)->list[i].list[j].x, 0);
			for (i = 0; i < 4; i++)
				if (labels[i] && labels[i]->set)
					cover(&lo, &hi, across ? labels[i]->pos.y : labels[i]->pos.x,
					      (across ? labels[i]->dimen.y : labels[i]->dimen.x) / 2);
		}
	}
	for (sg = agfstsubg(g); sg; sg = agnxtsubg(sg))
		if (strncmp(agnameof(sg), "cluster", 7) == 0) {
			cover(&lo, &hi, across ? GD_bb(sg).LL.y : GD_bb(sg).LL.x, 0);
			cover(&lo, &hi, across ? GD_bb(sg).UR.y : GD_bb(sg).UR.x, 0);
		}
	if (lo > hi)
		return;
	if (d->fit_lo > 0) {
		/* the least width (height) that keeps width : height inside */
		double w, h;
		picture_size(g, &w, &h);
		if (across)
			lo = fmin(lo, GD_bb(g).LL.y - (w / (d->fit_hi * 0.99) - h));
		else
			hi = fmax(hi, GD_bb(g).UR.x + (h * d->fit_lo * 1.01 - w));
	}
	if (!across) {
		double right = hi;
		if (title && title->dimen.x > right - GD_bb(g).LL.x)
			right = GD_bb(g).LL.x + title->dimen.x;
		if (right < GD_bb(g).UR.x)
			GD_bb(g).UR.x = right;
		if (title)
			title->pos.x = (GD_bb(g).LL.x + GD_bb(g).UR.x) / 2;
	} else if (title && loc && loc[0] == 'b') {
		/* the caption keeps its place under the drawing */
		if (lo - title->dimen.y > GD_bb(g).LL.y) {
			GD_bb(g).LL.y = lo - title->dimen.y;
			title->pos.y = GD_bb(g).LL.y + title->dimen.y / 2;
		}
	} else if (lo > GD_bb(g).LL.y) {
		GD_bb(g).LL.y = lo;
	}
}

/* dot's `ratio` stretches the whole layout, the legend's row too (its
 * column with rankdir LR, where a picture too wide is stretched
 * upwards): entries sat up to 80 pt apart in a 5-entity figure. So after
 * a stretch the entries are packed together again (gv_geom.c), each
 * moved whole with its sample edge, and the legend's box shrinks with
 * them; the box's first side stays, so it stays beside the drawing. The
 * invisible edges that hold the legend in place are not redrawn. */
static int compact_legend(Agraph_t *g, const kg__rdrawing *d)
{
	const char *rd = agget(g, "rankdir");
	bool across = rd && (rd[0] == 'L' || rd[0] == 'R');
	kg__gspan *spans;
	double before = 0, after = 0;
	Agraph_t *box;
	size_t i;

	if (!d->legend.n || !agget(g, "ratio") || !*agget(g, "ratio"))
		return KG_OK; /* not stretched: as dot laid it out, as `dot` would */
	spans = kg__calloc(d->legend.n, sizeof *spans);
	if (!spans) {
		msg_oom = true;
		return KG_ENOMEM;
	}
	for (i = 0; i < d->legend.n; i++) {
		uint32_t k;
		spans[i].lo = HUGE_VAL;
		spans[i].hi = -HUGE_VAL;
		for (k = d->legend.v[i].first; k <= d->legend.v[i].last; k++) {
			Agnode_t *n = node_at(g, k);
			const char *shape = agget(n, "shape");
			double c = across ? ND_coord(n).y : ND_coord(n).x;
			double half = (across ? ND_height(n) : ND_width(n)) * 36;
			/* text and a line's end: what shows, not the node's
			 * least height (half an inch) */
			if (shape && (strcmp(shape, "plaintext") == 0 || strcmp(shape, "point") == 0) && ND_label(n))
				half = (across ? ND_label(n)->dimen.y : ND_label(n)->dimen.x) / 2 + 2;
			spans[i].lo = fmin(spans[i].lo, c - half);
			spans[i].hi = fmax(spans[i].hi, c + half);
		}
		spans[i].row = d->legend.v[i].row;
	}
	if (kg__pack_spans(spans, d->legend.n, KG__LEGEND_GAP, across) != KG_OK) {
		kg__free(spans);
		msg_oom = true;
		return KG_ENOMEM;
	}
	for (box = agfstsubg(g); box; box = agnxtsubg(box))
		if (agget(box, "id") && strcmp(agget(box, "id"), "legend") == 0)
			break;
	if (box) {
		/* the first entry moves up to the box's label (left to its
		 * margin), the others with it: the stretch had moved it off */
		double near = across ? -HUGE_VAL : HUGE_VAL, to, by;
		for (i = 0; i < d->legend.n; i++)
			near = across ? fmax(near, spans[i].hi + spans[i].shift) : fmin(near, spans[i].lo + spans[i].shift);
		to = across ? GD_bb(box).UR.y - (GD_label(box) ? GD_label(box)->dimen.y : 0) - 6 : GD_bb(box).LL.x + 8;
		by = across ? fmax(0, to - near) : fmin(0, to - near);
		for (i = 0; i < d->legend.n; i++)
			spans[i].shift += by;
	}
	for (i = 0; i < d->legend.n; i++) {
		uint32_t k;
		/* the far end of the legend, before and after */
		before = i ? (across ? fmin(before, spans[i].lo) : fmax(before, spans[i].hi))
		           : (across ? spans[i].lo : spans[i].hi);
		after = i ? (across ? fmin(after, spans[i].lo + spans[i].shift) : fmax(after, spans[i].hi + spans[i].shift))
		          : (across ? spans[i].lo + spans[i].shift : spans[i].hi + spans[i].shift);
		for (k = d->legend.v[i].first; k <= d->legend.v[i].last; k++) {
			Agnode_t *n = node_at(g, k);
			Agedge_t *e;
			if (across)
				ND_coord(n).y += spans[i].shift;
			else
				ND_coord(n).x += spans[i].shift;
			/* the entry's own edges: its sample */
			for (e = agfstout(g, n); e; e = agnxtout(g, e)) {
				uint32_t h = (uint32_t)strtoul(agnameof(aghead(e)) + 1, NULL, 10) - 1;
				if (h >= d->legend.v[i].first && h <= d->legend.v[i].last)
					move_edge(e, across ? 0 : spans[i].shift, across ? spans[i].shift : 0);
			}
		}
	}
	if (box && across)
		GD_bb(box).LL.y += after - before;
	else if (box)
		GD_bb(box).UR.x += after - before;
	shrink_picture(g, d, across);
	kg__free(spans);
	return KG_OK;
}

/* Keep external edge labels by their edges. With many labels, Graphviz
 * 2.43's xlabel placer puts the ones it finds no room for wherever there
 * is some: 157 pt from their edge in a 90-entity, 176-relation drawing,
 * where a reader takes them for another edge's. Such a label is moved
 * beside the middle of its edge instead: it may then touch another line
 * or label, but it names the right edge. The middle is a point on the
 * curve (Bezier points 0, 3, 6, ... are), inside the bounding box. */
static void xlabels_by_their_edges(Agraph_t *g)
{
	Agnode_t *n;
	Agedge_t *e;

	for (n = agfstnode(g); n; n = agnxtnode(g, n))
		for (e = agfstout(g, n); e; e = agnxtout(g, e)) {
			textlabel_t *l = ED_xlabel(e);
			const bezier *bz;
			kg__gbox box;
			double gap = HUGE_VAL;
			int i;
			if (!l || !l->set || !ED_spl(e) || ED_spl(e)->size < 1 || ED_spl(e)->list[0].size < 1)
				continue;
			bz = &ED_spl(e)->list[0];
			box = (kg__gbox){l->pos.x, l->pos.y, l->dimen.x, l->dimen.y};
			for (i = 0; i < bz->size; i++)
				gap = fmin(gap, kg__box_gap(&box, bz->list[i].x, bz->list[i].y));
			if (gap <= KG__XLABEL_MAX_GAP)
				continue;
			i = bz->size / 2 / 3 * 3;
			kg__label_beside(&box, bz->list[i].x, bz->list[i].y, &l->pos.x, &l->pos.y);
		}
}

/*
 * One Graphviz context per process, created on first use and never
 * freed. Graphviz 2.43's pango plugin caches a pointer to the last font
 * name in a static variable; the name lives in the context, so freeing a
 * context and creating another made the next text measurement read freed
 * memory (AddressSanitizer: heap-use-after-free in textspan_size). A
 * forked child inherits the parent's context if there is one. The
 * context stays reachable, so leak checkers do not count it.
 */
static GVC_t *shared_gvc;

/* Node i of the drawing (build names it n<i+1>). */
static Agnode_t *node_at(Agraph_t *g, size_t i)
{
	char name[32];

	snprintf(name, sizeof name, "n%zu", i + 1);
	return agnode(g, name, 0);
}

/* A first layout made to be kept (drawing.h, pin_after): *g was laid out
 * by the drawing's engine without the anchored nodes (the legend, which
 * the engine would have placed among the rest); build the whole drawing
 * again with every node pinned - the others where that layout put them,
 * the anchored ones beside them - and lay it out with neato, which keeps
 * the positions and routes the edges round the nodes. Returns 0, or -1
 * when a layout failed (*g is then the new graph, or NULL). */
static int pin_and_relayout(GVC_t *gvc, Agraph_t **g, const kg__rdrawing *d)
{
	double *pos = kg__calloc(d->nodes.n ? d->nodes.n * 2 : 1, sizeof *pos);
	uint8_t *anchored = kg__calloc(d->nodes.n ? d->nodes.n : 1, 1);
	char buf[80];
	size_t i;
	int rc = -1;

	if (!pos || !anchored) {
		msg_oom = true;
		goto done;
	}
	kg__anchor_nodes(d, pos, anchored); /* to learn which they are */
	for (i = 0; i < d->nodes.n; i++) {
		Agnode_t *n = anchored[i] ? NULL : node_at(*g, i);
		if (n) {
			pos[2 * i] = ND_coord(n).x;
			pos[2 * i + 1] = ND_coord(n).y;
		}
	}
	kg__anchor_nodes(d, pos, anchored);
	gvFreeLayout(gvc, *g);
	agclose(*g);
	*g = build(d, NULL);
	if (!*g) {
		msg_oom = true;
		goto done;
	}
	for (i = 0; i < d->nodes.n; i++) {
		snprintf(buf, sizeof buf, "%.2f,%.2f!", pos[2 * i], pos[2 * i + 1]);
		agsafeset(node_at(*g, i), "pos", buf, "");
	}
	for (i = 0; i < KG__NPIN_ATTRS; i++)
		agattr(*g, AGRAPH, (char *)kg__pin_attrs[i][0], (char *)kg__pin_attrs[i][1]);
	agattr(*g, AGRAPH, "layout", "neato");
	rc = gvLayout(gvc, *g, "neato");
done:
	kg__free(pos);
	kg__free(anchored);
	return rc;
}

/* Every node's position in points, by node index. */
static void read_positions(gv_result *r, Agraph_t *g, const kg__rdrawing *d)
{
	size_t i;

	r->pos = kg__malloc((d->nodes.n ? d->nodes.n : 1) * 2 * sizeof *r->pos);
	if (!r->pos) {
		msg_oom = true;
		return;
	}
	r->npos = d->nodes.n;
	for (i = 0; i < d->nodes.n; i++) {
		Agnode_t *n = node_at(g, i);
		r->pos[2 * i] = n ? ND_coord(n).x : 0;
		r->pos[2 * i + 1] = n ? ND_coord(n).y : 0;
	}
}

/* Lay out and render. On return r->rc is KG_OK with r->data set, or
 * KG_EIO / KG_ENOMEM with the reason in r->frames. */
static void gv_run(gv_result *r, const kg__rdrawing *d, const kg__gvjob *job)
{
	agusererrf old = agseterrf(collect_message);
	GVC_t *gvc = NULL;
	Agraph_t *g = NULL;
	bool laid_out = false;
	const char *engine = d->pin_after ? "neato" : d->engine;
	uint8_t *skip = NULL;
	double *pos = NULL;

	msg_frames = &r->frames;
	msg_error_seen = msg_oom = false;
	msg_pending.n = 0;
	r->rc = KG_EIO;
	r->dpi_used = job->dpi;
	agseterr(AGWARN);

	if (!shared_gvc)
		shared_gvc = gvContext();
	gvc = shared_gvc;
	if (!gvc) {
		result_message(r, 'E', "cannot start Graphviz (gvContext failed)");
		goto done;
	}
	if (d->pin_after) {
		/* the first layout leaves out what will be set beside it */
		skip = kg__calloc(d->nodes.n ? d->nodes.n : 1, 1);
		pos = kg__calloc(d->nodes.n ? d->nodes.n * 2 : 1, sizeof *pos);
		if (!skip || !pos) {
			r->rc = KG_ENOMEM;
			goto done;
		}
		kg__anchor_nodes(d, pos, skip);
	}
	g = build(d, skip);
	if (!g) {
		r->rc = KG_ENOMEM;
		goto done;
	}
	if (gvLayout(gvc, g, (char *)d->engine) != 0) {
		flush_message();
		result_message(r, 'E', "Graphviz layout failed");
		goto done;
	}
	laid_out = true;
	if (fit_ratio(gvc, g, d) != 0 || fit_stretch(gvc, g, d) != 0) {
		laid_out = false;
		flush_message();
		result_message(r, 'E', "Graphviz layout failed");
		goto done;
	}
	if (d->pin_after && pin_and_relayout(gvc, &g, d) != 0) {
		laid_out = false;
		flush_message();
		result_message(r, 'E', "Graphviz layout failed");
		goto done;
	}
	if (strcmp(job->format, "png") == 0) {
		double w, h, s;
		picture_size(g, &w, &h); /* in pixels at the dpi */
		w *= job->dpi / 72.0;
		h *= job->dpi / 72.0;
		s = kg__png_scale(w, h);
		if (s < 1) {
			char buf[256];
			double dpi = floor(job->dpi * s);
			/* Both sides shrink with the dpi, so the picture keeps its
			 * proportions; below the least dpi it would keep nothing
			 * else (a 26,534 x 1 pixel strip). */
			if (dpi < KG_RENDER_MIN_PNG_DPI) {
				snprintf(buf, sizeof buf,
				         "the drawing is too large for a PNG: %.0f x %.0f pixels at %u dpi; scaled down to fit "
				         "(%d pixels a side, %.0f million in all) it would be %.1f dpi, less than %d, too small "
				         "to show anything: draw it as SVG or PDF, or draw fewer entities",
				         w, h, job->dpi, KG_RENDER_MAX_PNG_SIDE, KG_RENDER_MAX_PNG_PIXELS / 1e6, job->dpi * s,
				         KG_RENDER_MIN_PNG_DPI);
				result_message(r, 'E', buf);
				goto done;
			}
			snprintf(buf, sizeof buf,
			         "the PNG would be %.0f x %.0f pixels, more than Graphviz can draw or memory allows; "
			         "scaled down to %.0f dpi (about %.0f x %.0f pixels)",
			         w, h, dpi, w * dpi / job->dpi, h * dpi / job->dpi);
			result_message(r, 'W', buf);
			snprintf(buf, sizeof buf, "%.0f", dpi);
			gvFreeLayout(gvc, g);
			laid_out = false;
			agattr(g, AGRAPH, "dpi", buf);
			if (gvLayout(gvc, g, (char *)engine) != 0 || compact_legend(g, d) != KG_OK) {
				flush_message();
				result_message(r, 'E', "Graphviz layout failed");
				goto done;
			}
			laid_out = true;
			r->dpi_used = (unsigned)dpi;
		}
	}
	if (job->want_positions)
		read_positions(r, g, d);
	xlabels_by_their_edges(g);
	if (gvRenderData(gvc, g, (char *)job->format, &r->data, &r->len) != 0) {
		flush_message();
		result_message(r, 'E', "Graphviz could not render this format");
		r->data = NULL;
		goto done;
	}
	flush_message();
	if (msg_error_seen) {
		gvFreeRenderData(r->data);
		r->data = NULL;
		goto done;
	}
	r->rc = msg_oom ? KG_ENOMEM : KG_OK;
done:
	flush_message();
	if (r->rc != KG_OK && r->data) {
		gvFreeRenderData(r->data);
		r->data = NULL;
	}
	if (r->rc != KG_OK) {
		kg__free(r->pos);
		r->pos = NULL;
		r->npos = 0;
	}
	if (gvc && g && laid_out)
		gvFreeLayout(gvc, g);
	if (g)
		agclose(g);
	kg__buf_free(&msg_pending);
	kg__free(skip);
	kg__free(pos);
	msg_frames = NULL;
	agseterrf(old);
}

/* ---- the two ways to run it (gv_process.c) --------------------------- */

/* In the child: lay out, render and send it all as frames. */
void kg__gv_child_main(int out, const kg__rdrawing *d, const kg__gvjob *job)
{
	gv_result r;
	int32_t rc;

	memset(&r, 0, sizeof r);
	gv_run(&r, d, job);
	if (!kg__gv_write_all(out, r.frames.p ? r.frames.p : "", r.frames.n))
		_exit(3);
	if (r.rc == KG_OK) {
		uint64_t len = r.len, npos = r.npos;
		uint32_t dpi = r.dpi_used;
		if (r.pos && (!kg__gv_write_all(out, "P", 1) || !kg__gv_write_all(out, &npos, sizeof npos) ||
		              !kg__gv_write_all(out, r.pos, r.npos * 2 * sizeof *r.pos)))
			_exit(3);
		if (!kg__gv_write_all(out, "S", 1) || !kg__gv_write_all(out, &dpi, sizeof dpi) ||
		    !kg__gv_write_all(out, "D", 1) || !kg__gv_write_all(out, &len, sizeof len) ||
		    !kg__gv_write_all(out, r.data, r.len))
			_exit(3);
	}
	rc = r.rc;
	if (!kg__gv_write_all(out, "X", 1) || !kg__gv_write_all(out, &rc, sizeof rc))
		_exit(3);
	_exit(0);
}

int kg__gv_in_process(unsigned char **out, size_t *len, const kg__rdrawing *d, kg__gvjob *job,
                      kg_diag_list *diags)
{
	gv_result r;
	int rc;

	memset(&r, 0, sizeof r);
	gv_run(&r, d, job);
	kg__gv_read_messages(r.frames.p, r.frames.n, diags);
	kg__buf_free(&r.frames);
	rc = r.rc;
	if (rc == KG_OK) {
		*out = kg__malloc((size_t)r.len + 1);
		if (*out) {
			memcpy(*out, r.data, r.len);
			(*out)[r.len] = '\0';
			*len = r.len;
			job->dpi_used = r.dpi_used;
			job->positions = r.pos;
			job->npositions = r.npos;
			r.pos = NULL;
		} else {
			rc = KG_ENOMEM;
		}
	}
	if (r.data)
		gvFreeRenderData(r.data);
	kg__free(r.pos);
	return rc;
}
