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
#include "kgraph/common.h"
#include "kgraph/render.h"
#include "core/diag_internal.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define KG_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KG_UNDER_ASAN 1
#endif
#endif

/* Graphviz's stderr kept at most (a runaway plugin cannot fill memory). */
#define KG_GV_MAX_STDERR 65536

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

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
	Agraph_t *g = agopen("kgraph", Agdirected, NULL);
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
		if (gvLayout(gvc, g, (char *)d->engine) != 0)
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
			if (gvLayout(gvc, g, (char *)engine) != 0) {
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

/* ---- reading frames ------------------------------------------------- */

/* Turn the 'M' frames in buf[0..n) into diagnostics; stop at the first
 * other frame. Returns the offset reached. */
static size_t read_messages(const char *buf, size_t n, kg_diag_list *diags)
{
	size_t at = 0;

	while (at + 6 <= n && buf[at] == 'M') {
		uint32_t len;
		char sev = buf[at + 1];
		memcpy(&len, buf + at + 2, sizeof len);
		if (len > n - at - 6)
			break;
		kg__diag_addf(diags, sev == 'E' ? KG_SEV_ERROR : KG_SEV_WARNING, NULL, NULL, NULL,
		              "graphviz: %.*s", (int)len, buf + at + 6);
		at += 6 + len;
	}
	return at;
}

/* Graphviz's stderr, one warning per non-empty line. */
static void stderr_messages(const kg__buf *err, kg_diag_list *diags)
{
	const char *s = err->p, *end = err->p + err->n;

	while (s && s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
		if (len)
			kg__diag_addf(diags, KG_SEV_WARNING, NULL, NULL, NULL, "graphviz: %.*s", (int)len, s);
		s += len + 1;
	}
}

/* ---- the child process ---------------------------------------------- */

static bool write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		len -= (size_t)w;
	}
	return true;
}

static void child_main(int out, const kg__rdrawing *d, const kg__gvjob *job)
{
	gv_result r;
	int32_t rc;

	memset(&r, 0, sizeof r);
	gv_run(&r, d, job);
	if (!write_all(out, r.frames.p ? r.frames.p : "", r.frames.n))
		_exit(3);
	if (r.rc == KG_OK) {
		uint64_t len = r.len, npos = r.npos;
		uint32_t dpi = r.dpi_used;
		if (r.pos && (!write_all(out, "P", 1) || !write_all(out, &npos, sizeof npos) ||
		              !write_all(out, r.pos, r.npos * 2 * sizeof *r.pos)))
			_exit(3);
		if (!write_all(out, "S", 1) || !write_all(out, &dpi, sizeof dpi) ||
		    !write_all(out, "D", 1) || !write_all(out, &len, sizeof len) ||
		    !write_all(out, r.data, r.len))
			_exit(3);
	}
	rc = r.rc;
	if (!write_all(out, "X", 1) || !write_all(out, &rc, sizeof rc))
		_exit(3);
	_exit(0);
}

static void set_limit(int resource, rlim_t value)
{
	struct rlimit rl;

	if (getrlimit(resource, &rl) == 0 && (rl.rlim_max == RLIM_INFINITY || value < rl.rlim_max)) {
		rl.rlim_cur = value;
		setrlimit(resource, &rl);
	}
}

/* The Graphviz child being waited for, 0 when none (see the top). */
static volatile sig_atomic_t running_child;

void kg__gv_signal_cleanup(void)
{
	pid_t pid = (pid_t)running_child;

	if (pid > 0) {
		running_child = 0;
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
}

/* Prepare the child: quiet standard streams, default signal actions,
 * resource limits, death with the parent. */
static void child_setup(int err_fd, const kg__gvjob *job, pid_t parent)
{
	int null;

#ifdef __linux__
	/* If the parent died before this call, nothing would send the
	 * signal: check that it is still the parent. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == 0 && getppid() != parent)
		_exit(1);
#else
	(void)parent;
#endif
	null = open("/dev/null", O_RDWR);

	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		if (null > 2)
			close(null);
	}
	dup2(err_fd, 2);
	signal(SIGALRM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGXCPU, SIG_DFL);
	/* the parent's handlers are for the parent's cleanup */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
#ifndef KG_UNDER_ASAN
	/* AddressSanitizer has reserved terabytes of address space already;
	 * a limit would make every later allocation fail. */
	set_limit(RLIMIT_AS, (rlim_t)job->memory_limit_mb * 1024 * 1024);
#endif
	set_limit(RLIMIT_CPU, (rlim_t)job->timeout_seconds + 1);
	alarm(job->timeout_seconds + 2);
}

static int timeout_error(kg_diag_list *diags, const kg__rdrawing *d, const kg__gvjob *job)
{
	size_t at = kg_diag_list_count(diags);
	bool fast = strcmp(d->engine, "sfdp") == 0;

	kg__diag_addf(diags, KG_SEV_ERROR, NULL, NULL, NULL,
	              "layout with engine '%s' did not finish within %u s and was stopped",
	              d->engine, job->timeout_seconds);
	if (fast)
		kg__diag_hintf(diags, at, "draw fewer entities (a focus, a depth, entity or relation types), or allow more time");
	else
		kg__diag_hintf(diags, at, "try the faster engine 'sfdp', draw fewer entities, or allow more time");
	return KG_EIO;
}

static int run_forked(kg__buf *raw, kg__buf *err, const kg__rdrawing *d, const kg__gvjob *job,
                      kg_diag_list *diags, int *status, bool *timed_out)
{
	int outp[2], errp[2];
	struct pollfd fds[2];
	double deadline;
	pid_t pid, parent = getpid();
	int rc = KG_OK;

	*timed_out = false;
	if (pipe(outp) != 0)
		goto pipe_failed;
	if (pipe(errp) != 0) {
		close(outp[0]);
		close(outp[1]);
		goto pipe_failed;
	}
	fcntl(outp[0], F_SETFD, FD_CLOEXEC);
	fcntl(errp[0], F_SETFD, FD_CLOEXEC);
	fflush(NULL); /* so the child cannot write the parent's buffered output again */
	pid = fork();
	if (pid < 0) {
		int e = errno;
		close(outp[0]);
		close(outp[1]);
		close(errp[0]);
		close(errp[1]);
		kg__diag_addf(diags, KG_SEV_ERROR, NULL, NULL, NULL, "cannot start the Graphviz process: %s",
		              strerror(e));
		return KG_EIO;
	}
	if (pid == 0) {
		close(outp[0]);
		close(errp[0]);
		child_setup(errp[1], job, parent);
		child_main(outp[1], d, job);
		_exit(0);
	}
	running_child = (sig_atomic_t)pid;
	close(outp[1]);
	close(errp[1]);

	deadline = now_seconds() + job->timeout_seconds;
	fds[0].fd = outp[0];
	fds[1].fd = errp[0];
	while (fds[0].fd >= 0 || fds[1].fd >= 0) {
		char chunk[65536];
		double left = deadline - now_seconds();
		int i, n;
		if (left <= 0) {
			*timed_out = true;
			break;
		}
		fds[0].events = fds[1].events = POLLIN;
		fds[0].revents = fds[1].revents = 0;
		n = poll(fds, 2, (int)(left * 1000) + 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			kg__diag_addf(diags, KG_SEV_ERROR, NULL, NULL, NULL, "waiting for Graphviz: %s", strerror(errno));
			rc = KG_EIO;
			break;
		}
		for (i = 0; i < 2; i++) {
			ssize_t got;
			if (fds[i].fd < 0 || !fds[i].revents)
				continue;
			got = read(fds[i].fd, chunk, sizeof chunk);
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0) {
				close(fds[i].fd);
				fds[i].fd = -1;
				continue;
			}
			if (i == 0 && kg__buf_add(raw, chunk, (size_t)got)) {
				rc = KG_ENOMEM;
				break;
			}
			if (i == 1 && err->n < KG_GV_MAX_STDERR &&
			    kg__buf_add(err, chunk, (size_t)got < KG_GV_MAX_STDERR - err->n ? (size_t)got : KG_GV_MAX_STDERR - err->n)) {
				rc = KG_ENOMEM;
				break;
			}
		}
		if (rc != KG_OK)
			break;
	}
	if (fds[0].fd >= 0)
		close(fds[0].fd);
	if (fds[1].fd >= 0)
		close(fds[1].fd);
	if (*timed_out || rc != KG_OK)
		kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0) {
		if (errno != EINTR) {
			*status = -1; /* e.g. SIGCHLD ignored by the program: unknown */
			break;
		}
	}
	running_child = 0;
	return rc;

pipe_failed:
	kg__diag_addf(diags, KG_SEV_ERROR, NULL, NULL, NULL, "cannot create a pipe for Graphviz: %s",
	              strerror(errno));
	return KG_EIO;
}

/* Make sense of what the child sent and how it ended. */
static int finish_forked(unsigned char **out, size_t *len, kg__buf *raw, int status,
                         const kg__rdrawing *d, kg__gvjob *job, kg_diag_list *diags)
{
	size_t at = read_messages(raw->p, raw->n, diags);
	size_t data_at = 0;
	uint64_t data_len = 0;
	int32_t rc = KG_EIO;
	bool done = false;

	while (at < raw->n && !done) {
		char tag = raw->p[at];
		if (tag == 'S' && raw->n - at >= 5) {
			uint32_t dpi;
			memcpy(&dpi, raw->p + at + 1, sizeof dpi);
			job->dpi_used = dpi;
			at += 5;
		} else if (tag == 'P' && raw->n - at >= 9) {
			uint64_t npos;
			memcpy(&npos, raw->p + at + 1, sizeof npos);
			if (npos != d->nodes.n || npos * 2 * sizeof(double) > raw->n - at - 9)
				break;
			kg__free(job->positions);
			job->positions = kg__malloc(npos ? (size_t)npos * 2 * sizeof(double) : 1);
			if (!job->positions)
				return KG_ENOMEM;
			memcpy(job->positions, raw->p + at + 9, (size_t)npos * 2 * sizeof(double));
			job->npositions = (size_t)npos;
			at += 9 + (size_t)npos * 2 * sizeof(double);
		} else if (tag == 'D' && raw->n - at >= 9) {
			memcpy(&data_len, raw->p + at + 1, sizeof data_len);
			if (data_len > raw->n - at - 9)
				break;
			data_at = at + 9;
			at = data_at + (size_t)data_len;
		} else if (tag == 'X' && raw->n - at >= 5) {
			memcpy(&rc, raw->p + at + 1, sizeof rc);
			done = true;
		} else {
			break;
		}
	}
	if (!done) {
		if (status != -1 && WIFSIGNALED(status) &&
		    (WTERMSIG(status) == SIGXCPU || WTERMSIG(status) == SIGALRM))
			return timeout_error(diags, d, job);
		if (status != -1 && WIFSIGNALED(status)) {
			size_t i = kg_diag_list_count(diags);
			kg__diag_addf(diags, KG_SEV_ERROR, NULL, NULL, NULL,
			              "Graphviz crashed (signal %d) while drawing with engine '%s'",
			              WTERMSIG(status), d->engine);
			kg__diag_hintf(diags, i, "it may have run out of memory (limit %u MiB); try the engine 'sfdp' or draw fewer entities",
			               job->memory_limit_mb);
		} else {
			kg__diag_addf(diags, KG_SEV_ERROR, NULL, NULL, NULL,
			              "Graphviz stopped (exit status %d) while drawing with engine '%s'; it may have run out of memory",
			              status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1, d->engine);
		}
		return KG_EIO;
	}
	if (rc != KG_OK)
		return rc;
	/* Hand the buffer over: move the output to its start. */
	memmove(raw->p, raw->p + data_at, (size_t)data_len);
	raw->p[data_len] = '\0';
	*out = (unsigned char *)raw->p;
	*len = (size_t)data_len;
	raw->p = NULL;
	raw->n = raw->cap = 0;
	return KG_OK;
}

/* cairo 1.16 writes the time of the render into the PDF's document
 * information dictionary, "/CreationDate (D:20241124005527Z)", and offers
 * no way to fix it (not even SOURCE_DATE_EPOCH), so two renders of the
 * same graph would differ. The entry is overwritten with spaces, which
 * keeps every byte offset in the cross-reference table valid and leaves
 * a dictionary PDF readers accept. Only the last occurrence is touched
 * (the information dictionary is written at the end) and only when its
 * value is a date, so nothing else in the file can be mistaken for it. */
static void pdf_blank_creation_date(unsigned char *p, size_t len)
{
	static const char key[] = "/CreationDate (D:";
	size_t klen = sizeof key - 1;

	for (size_t at = len >= klen ? len - klen + 1 : 0; at-- > 0;) {
		if (memcmp(p + at, key, klen) != 0)
			continue;
		size_t end = at + klen;
		while (end < len && p[end] != '\0' && strchr("0123456789Z+-'", p[end]))
			end++;
		if (end < len && p[end] == ')')
			memset(p + at, ' ', end + 1 - at);
		return;
	}
}

int kg__render_graphviz(unsigned char **out, size_t *len, const kg__rdrawing *d,
                        kg__gvjob *job, kg_diag_list *diags)
{
	double start = now_seconds();
	int rc;

	*out = NULL;
	*len = 0;
	job->dpi_used = job->dpi;
	if (job->in_process) {
		gv_result r;
		memset(&r, 0, sizeof r);
		gv_run(&r, d, job);
		read_messages(r.frames.p, r.frames.n, diags);
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
	} else {
		kg__buf raw = {0}, err = {0};
		int status = 0;
		bool timed_out;
		rc = run_forked(&raw, &err, d, job, diags, &status, &timed_out);
		stderr_messages(&err, diags);
		if (rc == KG_OK && timed_out)
			rc = timeout_error(diags, d, job);
		else if (rc == KG_OK)
			rc = finish_forked(out, len, &raw, status, d, job, diags);
		kg__buf_free(&raw);
		kg__buf_free(&err);
	}
	if (rc == KG_OK && strcmp(job->format, "pdf") == 0)
		pdf_blank_creation_date(*out, *len);
	job->seconds = now_seconds() - start;
	return rc;
}
