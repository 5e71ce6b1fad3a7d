/*
 * draw_opts.h - drawing from the command line, shared by `kgraph render`
 * and the -o FILE of `kgraph path`, which draws its answer the same way:
 * the style options, the output file and format, and writing the drawing.
 */
#ifndef KG_CLI_DRAW_OPTS_H
#define KG_CLI_DRAW_OPTS_H

#include "query_opts.h"

typedef struct kg_cli_draw_args {
	kg_render_options ro;
	const char *output;      /* -o FILE, "-" for standard output */
	const char *format_name; /* -T FORMAT */
} kg_cli_draw_args;

/* -T and the options of how to draw (--engine ... --timeout); each
 * command declares its own -o and --path-only, whose help differs. */
extern const kg_cli_option kg_cli_opt_t, kg_cli_opt_engine, kg_cli_opt_rankdir, kg_cli_opt_theme, kg_cli_opt_label,
	kg_cli_opt_no_edge_labels, kg_cli_opt_edge_dates, kg_cli_opt_legend, kg_cli_opt_no_legend, kg_cli_opt_no_title,
	kg_cli_opt_cluster_by, kg_cli_opt_dpi, kg_cli_opt_timeout, kg_cli_opt_fit, kg_cli_opt_credit,
	kg_cli_opt_caption;

void kg_cli_draw_args_init(kg_cli_draw_args *r);

/* Take -o, -T, --path-only or a style option. Returns an exit code, or
 * KG_CLI_PASS for another option. */
int kg_cli_draw_take(kg_cli_draw_args *r, const kg_cli_arg *a);

/* After the arguments: settle the format (-T, else the output's
 * extension). required: there must be an output (render; path without
 * -o prints its answer instead). An exit code. */
int kg_cli_draw_check(kg_cli_draw_args *r, const kg_cli_query *q, bool required);

/* Draw and write to r->output, refusing to overwrite one of the inputs;
 * a file is replaced only when the drawing succeeded. An exit code (4
 * when Graphviz or the write fails). */
int kg_cli_draw_write(const kg_graph *g, kg_cli_draw_args *r, const kg_cli_query *q, const char *const *inputs,
                      size_t ninputs);

#endif
