/*
 * kgraph/render.h - draw a graph, or the part of it that answers a
 * question, as DOT, SVG, PNG or PDF.
 *
 * What is drawn. By default every entity and relation. Options narrow it,
 * and combine: a focus (entities and their neighbourhood within a depth,
 * found with kg_query_neighbors), entity types, the relation filter of
 * kgraph/query.h (relation types, excluded types, a date), and paths from
 * kg_query_paths, drawn bold in their context with the rest faded, or
 * alone. The legend, title and clusters are described with the options.
 *
 * How it is drawn. Rendering first builds one description of the picture
 * (nodes, edges, clusters and their Graphviz attributes) and then either
 * writes it as DOT text (KG_RENDER_DOT: no layout, no Graphviz needed; the
 * text names its layout engine, so `dot -Tsvg` on it draws the same
 * picture) or hands it to Graphviz (libcgraph/libgvc) in-process for SVG,
 * PNG or PDF. docs/rendering.md shows the styles, engines and limits.
 *
 * Safety. Text from the graph (names, quotes, attribute values, urls)
 * always appears literally: it is escaped for Graphviz and never read as
 * DOT, HTML labels or SVG markup. Style keys written under `types:` and
 * `relation_types:` are Graphviz attribute names checked against an
 * allowlist; attributes that read files (image, shapefile, fontpath,
 * imagepath, stylesheet), links, `shape: record` and `splines` are refused.
 * Links are kept only for http and https urls.
 *
 * Isolation and threads. Graphviz has no way to cancel a layout, may call
 * exit() when out of memory, and is not thread-safe. By default kg_render
 * therefore runs Graphviz in a child process (fork) that it kills after
 * timeout_seconds, with its address space and CPU time limited; the
 * result comes back through a pipe. kg_render must not be called from two
 * threads at once, and in a multithreaded program the child is forked
 * while other threads may hold locks: call it from a program that is
 * single-threaded at that moment, or use in_process with your own lock.
 * KG_RENDER_DOT never involves Graphviz or a child process.
 *
 * Determinism. The same graph, options, Graphviz version and installed
 * fonts give byte-identical DOT, SVG and PNG output, and PDF apart from
 * the creation time cairo writes into it: objects are created in graph
 * index order and nothing depends on time, addresses or hash order.
 * (Graphviz's SVG carries a version comment; text widths, and so the
 * layout, depend on the fonts fontconfig finds.)
 */
#ifndef KGRAPH_RENDER_H
#define KGRAPH_RENDER_H

#include "kgraph/visibility.h"

#include "kgraph/diag.h"
#include "kgraph/graph.h"
#include "kgraph/limits.h"
#include "kgraph/query.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- bounds -------------------------------------------------------- */

/** Seconds layout and rendering may take when timeout_seconds is 0. */
#define KG_RENDER_DEFAULT_TIMEOUT 60
/** Address space (MiB) of the Graphviz child when memory_limit_mb is 0. */
#define KG_RENDER_DEFAULT_MEMORY_MB 4096
/* The bounds on rendering (KG_RENDER_MAX_DPI, _TIMEOUT, _PNG_SIDE,
 * _PNG_PIXELS, _NODES, _EDGES) are in kgraph/limits.h with the others. */
/** With engine "auto": dot for up to this many entities and relations
 * drawn, sfdp above. dot, forced on a larger drawing, runs with bounded
 * effort (mclimit, nslimit). docs/rendering.md has the measurements. */
#define KG_RENDER_AUTO_DOT_MAX_NODES 150
#define KG_RENDER_AUTO_DOT_MAX_EDGES 300
/** With dot: relation text as ordinary edge labels up to this many
 * relations drawn, as external labels (xlabel) above, which dot lays out
 * 10-20 times faster. */
#define KG_RENDER_DOT_MAX_EDGE_LABELS 150
/** With the automatic engine, relation types are written on edges up to
 * this many relations drawn; above, colours and the legend tell them
 * apart (placing thousands of labels dominated the layout time). */
#define KG_RENDER_AUTO_MAX_EDGE_LABELS 1000
/** Characters per line of node and edge labels when wrap is not given. */
#define KG_RENDER_DEFAULT_WRAP 22

/* ---- formats ------------------------------------------------------- */

typedef enum kg_render_format {
	KG_RENDER_DOT = 0, /**< DOT text with every style, not laid out */
	KG_RENDER_SVG = 1,
	KG_RENDER_PNG = 2,
	KG_RENDER_PDF = 3
} kg_render_format;

/**
 * The format a name or a file name stands for: "svg" or "SVG", or a file
 * name ending in .dot, .gv, .svg, .png or .pdf (any case).
 * Returns KG_OK, or KG_EARG when it names no format (*out untouched).
 * O(length of name).
 */
KG_EXPORT int kg_render_format_from_name(kg_render_format *out, const char *name_or_filename);

/** "dot", "svg", "png" or "pdf"; static. */
KG_EXPORT const char *kg_render_format_name(kg_render_format format);

/* ---- options ------------------------------------------------------- */

/** What a node says. */
typedef enum kg_render_label {
	KG_RENDER_LABEL_NAME = 0, /**< the entity's name */
	KG_RENDER_LABEL_ID = 1,   /**< its id */
	KG_RENDER_LABEL_BOTH = 2  /**< name, then the id in parentheses */
} kg_render_label;

typedef enum kg_render_legend {
	KG_RENDER_LEGEND_AUTO = 0, /**< when more than one entity type, or more
	                                than one relation type, is drawn */
	KG_RENDER_LEGEND_ON = 1,
	KG_RENDER_LEGEND_OFF = 2
} kg_render_legend;

/** What a render did, for a caller that wants to report it. */
typedef struct kg_render_stats {
	const char *engine;    /**< the layout engine used (static); for DOT,
	                            the one the text names */
	size_t entities;       /**< entities drawn */
	size_t relations;      /**< relations drawn */
	size_t entity_types;   /**< entity types among them */
	size_t relation_types; /**< relation types among them */
	bool legend;           /**< a legend was drawn */
	bool xlabels;          /**< relation text was drawn as external labels */
	unsigned dpi;          /**< PNG: the dpi used, after any scaling down */
	double seconds;        /**< wall time of layout and rendering */
} kg_render_stats;

/** The version of kg_render_options these headers describe: 2 added the
 * item lists (entities, relations), 3 fit, credit and caption, 4
 * timeline, 5 diff_old, 6 layout and layout_out. An older caller's
 * struct is still taken (the newer fields take their defaults). */
#define KG_RENDER_OPTIONS_VERSION 6

/** Where the nodes of a drawing were placed: node ids (those of the SVG:
 * e-ID for an entity, legend-... for a legend entry) with positions in
 * points. Opaque; made by kg_render (layout_out) or read from a file by
 * kg_render_layout_parse, freed with kg_render_layout_free. */
typedef struct kg_render_layout kg_render_layout;

/**
 * Options for kg_render. Start from KG_RENDER_OPTIONS_INIT and set the
 * fields you need, by name. Arrays and
 * strings are borrowed for the call. Names given as text (engine,
 * rankdir, theme) are checked: an unknown one is KG_EARG with a
 * diagnostic and a did-you-mean hint.
 */
typedef struct kg_render_options {
	/** KG_RENDER_OPTIONS_VERSION: which version of this struct the caller was
	 * built with, so that fields can be added without breaking programs
	 * built against older headers. Set by KG_RENDER_OPTIONS_INIT. */
	unsigned version;
	kg_render_format format;
	/** "auto" (or NULL): dot for up to KG_RENDER_AUTO_DOT_MAX_NODES
	 * entities and KG_RENDER_AUTO_DOT_MAX_EDGES relations, sfdp above;
	 * or one of dot, neato, fdp, sfdp, circo, twopi. Only dot and fdp
	 * draw clusters. */
	const char *engine;
	/** TB (NULL), LR, BT or RL: the direction relations point in (dot). */
	const char *rankdir;
	/** light (NULL), dark, or print: black and white, types told apart
	 * by shape and line style only. */
	const char *theme;
	/** PNG resolution; 0 = 96. At most KG_RENDER_MAX_DPI. */
	unsigned dpi;
	kg_render_label label;
	/** Write each relation's type label on its edge. */
	bool edge_labels;
	/** Add the relation's date (or since/until) to its edge label. */
	bool edge_dates;
	kg_render_legend legend;
	/** Draw the graph's title (kg_graph_title) above the drawing. */
	bool title;
	/** Break node and edge labels at spaces into lines of about this
	 * many characters; 0 = never break. */
	unsigned wrap;

	/** Relations drawn must pass this filter (kg_filter_admits: relation
	 * types, excluded types, as_of). through_types, avoid and directed
	 * shape the focus neighbourhood; avoided entities are never drawn. */
	kg_filter filter;
	/** Draw only these entities and those within `depth` relations of
	 * them (depth 0 = 1, at most KG_MAX_NEIGHBOR_DEPTH), following
	 * relations in `direction`. NULL/0 = the whole graph. */
	const uint32_t *focus;
	size_t nfocus;
	unsigned depth;
	kg_direction direction;
	/** Draw only entities of these types (focus entities always). With a
	 * focus and no filter.through_types, the neighbourhood only passes
	 * through these types, so what is drawn stays connected. */
	const uint32_t *types;
	size_t ntypes;
	/** Paths to highlight: their entities and relations are always drawn,
	 * bold and coloured, and everything else faded; with path_only only
	 * they are drawn (the other subset options are then ignored). */
	const kg_paths *paths;
	bool path_only;
	/** Group entities in labelled boxes: "type" by entity type, any other
	 * text by the value of that attribute (entities without it stay
	 * outside). NULL = no clusters. */
	const char *cluster_by;

	/** Seconds layout and rendering may take; 0 = KG_RENDER_DEFAULT_TIMEOUT. */
	unsigned timeout_seconds;
	/** Address space limit of the Graphviz child in MiB; 0 =
	 * KG_RENDER_DEFAULT_MEMORY_MB. Not applied under AddressSanitizer. */
	unsigned memory_limit_mb;
	/** Run Graphviz in this process instead of a child: no timeout, no
	 * memory limit, and Graphviz's own leaks stay in this process. For
	 * debugging, leak checking, and systems without fork. */
	bool in_process;
	/** When not NULL, filled in on success. */
	kg_render_stats *stats;

	/** An answer to highlight given item by item (e.g. what kg_match
	 * bound), drawn like paths: bold in context, or alone with
	 * path_only. Each relation brings its two entities. Indexes must be
	 * in range (KG_EARG). */
	const uint32_t *entities;
	size_t nentities;
	const uint32_t *relations;
	size_t nrelations;

	/* ---- version 3 ---- */
	/** The shape of the picture: "page" (NULL): width : height between
	 * 1 : 1.5 and 1.5 : 1; "slide": about 16 : 9 (1.5 to 2.1); "none":
	 * whatever the layout gives. With dot and no rankdir, the direction
	 * that comes closest is chosen (TB or LR); then a laid-out picture
	 * still outside the bounds is stretched (Graphviz's ratio) to meet
	 * them. DOT text carries the direction, not the stretch. */
	const char *fit;
	/** A footer naming the sources cited by the relations drawn
	 * (publisher and date, or title). */
	bool credit;
	/** A caption under the drawing; NULL = none. */
	const char *caption;

	/* ---- version 4 ---- */
	/** Draw a timeline instead of a network: dated relations and
	 * entities (an entity's `date:` attribute, when it is a valid date)
	 * placed along a labelled time axis, a relation's `date` as a dot
	 * (a day) or a bar over the month or year it names, `since`/`until`
	 * as a bar across its validity; undated relations and entities in a
	 * band of their own below the axis. Positions are fixed (engine
	 * neato, every node pinned); engine, rankdir, fit, cluster_by and
	 * paths play no part. docs/time.md shows one. KG_ENOTFOUND when
	 * nothing selected is dated. */
	bool timeline;

	/* ---- version 5 ---- */
	/** Draw what changed since this older version of the graph
	 * (kgraph/diff.h pairs the items): added entities and relations
	 * green and bold, changed ones orange (entities with a double
	 * outline), removed ones as red dashed ghosts, joined to the
	 * entities they joined; the legend says which is which. In the
	 * print theme: added bold, removed dashed grey, changed double.
	 * Borrowed for the call; NULL = no diff. Not with timeline. */
	const kg_graph *diff_old;

	/* ---- version 6 ---- */
	/** Keep the picture's layout from one render to the next. A node
	 * whose id is in layout is pinned where it was; a new one starts at
	 * the mean position of its placed neighbours; with diff_old, a
	 * removed entity's ghost sits where the entity was. The layout is
	 * then made by neato whatever engine says (only neato and fdp keep
	 * given positions, and neato routes the edges round the nodes).
	 * When layout places none of the nodes drawn, the engine chosen
	 * makes the first layout (dot by default) and neato then draws it
	 * with every node pinned, so that the first picture and the ones
	 * after it are drawn alike. Either way clusters are not drawn and
	 * fit plays no part beyond the first layout. Borrowed; NULL = none. */
	const kg_render_layout *layout;
	/** When not NULL, receives on success (SVG, PNG or PDF) where the
	 * nodes were placed, removed entities' ghosts left out: the layout
	 * to give the next render. Owned by the caller
	 * (kg_render_layout_free). Asking for it draws as layout does. */
	kg_render_layout **layout_out;
} kg_render_options;

#define KG_RENDER_OPTIONS_INIT                                                         \
	{KG_RENDER_OPTIONS_VERSION, KG_RENDER_SVG, NULL, NULL, NULL, 0, KG_RENDER_LABEL_NAME, true, false,        \
	 KG_RENDER_LEGEND_AUTO, true, KG_RENDER_DEFAULT_WRAP, KG_FILTER_INIT, NULL, 0, \
	 1, KG_DIRECTION_BOTH, NULL, 0, NULL, false, NULL, 0, 0, false, NULL, NULL, 0, NULL, 0, NULL, false, NULL, false, NULL, NULL, NULL}

/* ---- rendering ----------------------------------------------------- */

/**
 * Draw the graph (or the part the options select) in opts->format.
 *
 * @param data  receives the output, allocated with malloc and followed by
 *              a NUL byte not counted in *len (so DOT and SVG can be used
 *              as strings; PNG and PDF contain NULs); free it with
 *              kg_render_free. NULL on failure: nothing partial is
 *              returned.
 * @param len   receives its length in bytes
 * @param opts  options, or NULL for KG_RENDER_OPTIONS_INIT
 * @param diags receives errors and warnings; may be NULL. Warnings do not
 *              fail the render: a url that is not http(s) (dropped), a
 *              PNG scaled down, clusters an engine ignores, Graphviz's own
 *              warnings.
 * @return KG_OK;
 *         KG_EARG for an option out of range (unknown engine, rankdir or
 *         theme, an entity or type index out of range, a dpi over
 *         KG_RENDER_MAX_DPI, an opts->version this library does not know);
 *         KG_EINVALID when a style key of a type or relation type is not
 *         allowed, or its value is not (one diagnostic per problem, with
 *         did-you-mean hints);
 *         KG_ENOTFOUND when the options select nothing to draw;
 *         KG_EIO when Graphviz fails, reports an error, crashes or does
 *         not finish within the timeout (the diagnostic then names a
 *         faster engine), or more than KG_RENDER_MAX_NODES entities or
 *         KG_RENDER_MAX_EDGES relations would be laid out;
 *         KG_ENOMEM.
 *
 * Not thread-safe (see the top of this file). Time: selecting and
 * describing the drawing is O(V + E) for the V entities and E relations
 * considered (plus the neighbourhood search); Graphviz's layout dominates
 * everything else: dot is roughly quadratic or worse in the size of the
 * drawing, sfdp about O(V log V).
 */
KG_EXPORT int kg_render(unsigned char **data, size_t *len, const kg_graph *g,
              const kg_render_options *opts, kg_diag_list *diags);

/** Free what kg_render returned. NULL is a no-op. */
KG_EXPORT void kg_render_free(unsigned char *data);

/* ---- selecting without drawing -------------------------------------- */

/** What a set of options selects: the entities and relations kg_render
 * would draw, each as ascending graph indexes. Owned by the caller; free
 * with kg_render_selection_free. */
typedef struct kg_render_selection {
	uint32_t *entities;
	size_t nentities;
	uint32_t *relations;
	size_t nrelations;
} kg_render_selection;

/**
 * Select what kg_render would draw with opts (focus and depth, entity
 * types, the relation filter, paths), without drawing it, so that other
 * outputs (kgraph/export.h) export exactly the part a drawing shows. The
 * options that only say how to draw are checked but play no part.
 *
 * @param out   receives the selection; zeroed on failure. An empty
 *              selection is not an error here.
 * @param opts  options, or NULL for KG_RENDER_OPTIONS_INIT (everything)
 * @return KG_OK; KG_EARG for an option out of range (with a diagnostic);
 *         KG_ENOMEM.
 *
 * O(V + E), plus the neighbourhood searches of a focus.
 */
KG_EXPORT int kg_render_select(kg_render_selection *out, const kg_graph *g, const kg_render_options *opts,
                     kg_diag_list *diags);

/** Free a selection's arrays and zero it. NULL is a no-op. */
KG_EXPORT void kg_render_selection_free(kg_render_selection *sel);

/* ---- layout files ---------------------------------------------------- */

/**
 * Read a layout file's text (docs/rendering.md, "Layouts that stay put"):
 * a first line `# kgraph layout 1`, then one node a line, `ID X Y`, with
 * X and Y in points; blank lines and lines starting with '#' are skipped.
 * The text is untrusted: it is bounded (kgraph/limits.h,
 * KG_RENDER_LAYOUT_MAX_*) and the first problem found is reported with
 * name, line and column.
 *
 * @param out  receives the layout; NULL on failure
 * @param name the file's name, for diagnostics (may be NULL)
 * @return KG_OK; KG_EINVALID (one diagnostic saying where and why);
 *         KG_EARG when out is NULL or text is NULL with len > 0; KG_ENOMEM.
 * O(len + N log N) for N positions.
 */
KG_EXPORT int kg_render_layout_parse(kg_render_layout **out, const char *text, size_t len, const char *name,
                                     kg_diag_list *diags);

/**
 * The layout as the text of a layout file, nodes in drawing order,
 * coordinates with two decimals (so that reading it back and writing it
 * again gives the same bytes). *text is malloc'd and NUL-terminated; free
 * it with kg_render_free. KG_OK, KG_EARG, KG_ENOMEM. O(N).
 */
KG_EXPORT int kg_render_layout_format(unsigned char **text, size_t *len, const kg_render_layout *layout);

/** The number of positions. O(1). */
KG_EXPORT size_t kg_render_layout_count(const kg_render_layout *layout);

/** The position of the node id: true and *x, *y set (points), or false
 * when the layout has no such node. O(log N). */
KG_EXPORT bool kg_render_layout_find(const kg_render_layout *layout, const char *id, double *x, double *y);

/** Free a layout. NULL is a no-op. */
KG_EXPORT void kg_render_layout_free(kg_render_layout *layout);

/**
 * Write data to the file path without ever leaving a partial file: write
 * a new file beside it (same folder), then rename it over path. On
 * failure the temporary file is removed and path is untouched. A new
 * file gets the usual permissions (0666 less the umask); a file replaced
 * keeps its permission bits (and its owner and group where the system
 * allows), and one the user may not write is refused (EACCES, as cp
 * refuses it; root may write any). What is not a regular file (a device
 * such as /dev/null, a FIFO) and a symbolic link (/dev/stdout) are
 * written in place instead, so they stay what they are.
 *
 * @return KG_OK, or KG_EIO with a diagnostic naming path and the reason.
 * O(len).
 */
KG_EXPORT int kg_render_write_file(const char *path, const unsigned char *data, size_t len,
                         kg_diag_list *diags);

/**
 * For a program's signal handler (SIGINT, SIGTERM, SIGHUP, or the
 * SIGALRM of its own time limit) that is about to end the program: kill
 * and reap the Graphviz child of a kg_render in progress, and remove the
 * temporary file of a kg_render_write_file in progress, so that nothing
 * is left running or lying around. Async-signal-safe; does nothing when
 * neither is in progress, and keeps errno. The interrupted call, if the
 * handler returns, fails (KG_EIO) rather than finishing.
 *
 * Without it, the child still dies with the program on Linux (it asks
 * the kernel to be killed with its parent); elsewhere it would run on
 * until its own time limit.
 */
KG_EXPORT void kg_render_abort_in_progress(void);

#ifdef __cplusplus
}
#endif

#endif
