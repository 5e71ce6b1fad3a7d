/*
 * draw_opts.h - drawing from the command line, shared by `kgraph render`
 * and the -o FILE of `kgraph path`, which draws its answer the same way:
 * the style options, the output file and format, and writing the drawing;
 * and the part of the graph to draw (--focus, --depth), which
 * `kgraph export` selects the same way.
 */
#ifndef KG_CLI_DRAW_OPTS_H
#define KG_CLI_DRAW_OPTS_H

#include "query_opts.h"

typedef struct kg_cli_draw_args {
	kg_render_options ro;
	const char *output;      /* -o FILE, "-" for standard output */
	const char *format_name; /* -T FORMAT */
	const char **focus;      /* --focus values, each may be a comma list */
	size_t nfocus;
	uint32_t *focus_ids;     /* ro.focus, once resolved */
} kg_cli_draw_args;

/* -T and the options of how to draw (--engine ... --timeout); each
 * command declares its own -o and --path-only, whose help differs. */
extern const kg_cli_option kg_cli_opt_t, kg_cli_opt_engine, kg_cli_opt_rankdir, kg_cli_opt_theme, kg_cli_opt_label,
	kg_cli_opt_no_edge_labels, kg_cli_opt_edge_dates, kg_cli_opt_legend, kg_cli_opt_no_legend, kg_cli_opt_no_title,
	kg_cli_opt_cluster_by, kg_cli_opt_dpi, kg_cli_opt_timeout, kg_cli_opt_fit, kg_cli_opt_credit,
	kg_cli_opt_caption;

/* --focus and --depth: only these entities and their neighbourhood. */
extern const kg_cli_option kg_cli_opt_focus, kg_cli_opt_focus_depth;

void kg_cli_draw_args_init(kg_cli_draw_args *r);
void kg_cli_draw_args_free(kg_cli_draw_args *r);

/* Take -o, -T, --path-only, --focus, --depth or a style option. Returns
 * an exit code, or KG_CLI_PASS for another option. */
int kg_cli_draw_take(kg_cli_draw_args *r, const kg_cli_arg *a);

/* After loading: the --focus names (each a comma list) into ro.focus,
 * and q's filters and --type into ro (keeping ro.filter.directed, which
 * the path options set). An exit code. */
int kg_cli_draw_select(kg_cli_draw_args *r, const kg_graph *g, const kg_cli_query *q);

/* After the arguments: settle the format (-T, else the output's
 * extension). required: there must be an output (render; path without
 * -o prints its answer instead). An exit code. */
int kg_cli_draw_check(kg_cli_draw_args *r, const kg_cli_query *q, bool required);

/* Is path a file the graph was read from (those named, their includes,
 * standard input when it is a file) or the text of one of its sources,
 * recognised by device and inode? *name is the graph's name for it,
 * *source the source's id or NULL. Outputs are checked with this so as
 * never to overwrite one. */
bool kg_cli_is_graph_file(const kg_graph *g, const char *path, const char **name, const char **source);

/* After loading, before any long search: refuse (exit 3, with a message
 * naming cmd) an output path that kg_cli_is_graph_file recognises.
 * EXIT_OK otherwise, and for NULL or "-". */
int kg_cli_check_output(const kg_graph *g, const char *cmd, const char *path);
/* The same for the output file of option opt (named in the message). */
int kg_cli_check_output_of(const kg_graph *g, const char *cmd, const char *opt, const char *path);

/* Draw and write to r->output (kg_cli_check_output first); a file is
 * replaced only when the drawing succeeded. An exit code (4 when Graphviz
 * or the write fails). */
int kg_cli_draw_write(const kg_graph *g, kg_cli_draw_args *r, const kg_cli_query *q);

#endif
