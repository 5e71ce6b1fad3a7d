/*
 * render_cmd.h - drawing from the command line: `kgraph render`, and the
 * -o FILE of `kgraph path`, which draws its answer the same way.
 */
#ifndef KG_CLI_RENDER_CMD_H
#define KG_CLI_RENDER_CMD_H

#include "query_opts.h"

typedef struct kg_cli_render_args {
	kg_render_options ro;
	bool full;               /* kgraph render: --focus and --path too */
	const char *output;      /* -o FILE, "-" for standard output */
	const char *format_name; /* -T FORMAT */
	const char **focus;      /* --focus names, each may be a comma list */
	size_t nfocus;
	const char *path_from, *path_to; /* --path FROM TO */
	uint32_t *focus_ids;
} kg_cli_render_args;

/* full: the render command (all options), else path's -o and styles. */
void kg_cli_render_args_init(kg_cli_render_args *r, bool full);
void kg_cli_render_args_free(kg_cli_render_args *r);

/* The drawing options. Same protocol as kg_cli_query_arg. */
int kg_cli_render_arg(void *r, kg_cli_query *q, int argc, char **argv, int *i, int *code);

/* After the arguments: settle the format (-T, else the output's
 * extension). An exit code. */
int kg_cli_render_check(kg_cli_render_args *r, const kg_cli_query *q);

/* Draw and write to r->output, refusing to overwrite one of the inputs;
 * a file is replaced only when the drawing succeeded. An exit code (4
 * when Graphviz or the write fails). */
int kg_cli_render_write(const kg_graph *g, kg_cli_render_args *r, const kg_cli_query *q,
                        const char *const *inputs, size_t ninputs);

/* Is path the same file as one of the inputs (by name, or by device and
 * inode)? */
bool kg_cli_is_input(const char *path, const char *const *inputs, size_t n);

/* Resolve the --focus names (each a comma list) into r->ro.focus. An
 * exit code. */
int kg_cli_render_resolve_focus(kg_cli_render_args *r, const kg_graph *g);

int kg_cli_cmd_render(int argc, char **argv);
extern const char kg_cli_render_help[];

#endif
