/*
 * cmd_render.c - `kgraph render FILE... -o OUT`: the graph, or the part
 * that answers a question, as DOT, SVG, PNG or PDF.
 *
 * What to draw is chosen here (--path) and in draw_opts.c (--focus,
 * --depth, which `kgraph export` shares, and the filters); how to draw it
 * and writing it are draw_opts.c's, which `kgraph path -o` shares, and
 * the paths are path_opts.c's. --layout's file is read and written here
 * (the library reads and formats its text). With --db, the part of a
 * pushed graph that the drawing shows is fetched (db_opts.c) instead of
 * loading files, and drawn the same way.
 */
#define _POSIX_C_SOURCE 200809L
#include "db_opts.h"
#include "draw_opts.h"
#include "path_opts.h"
#include "print.h"

#include "kgraph/file.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const kg_cli_option opt_output = {.key = KG_OPT_OUTPUT, .name = "--output", .short_name = 'o', .arg = "OUT",
	.kind = KG_CLI_FILE,
	.help = "the file to write (its extension picks the format);\n'-' writes to standard output"};
static const kg_cli_option opt_path = {.key = KG_OPT_PATH, .name = "--path", .arg = "FROM TO", .kind = KG_CLI_PAIR,
	.help = "draw the path from FROM to TO bold, the rest faded;\nthe path options below apply"};
static const kg_cli_option opt_path_only = {.key = KG_OPT_PATH_ONLY, .name = "--path-only",
	.help = "draw only the path(s)"};
static const kg_cli_option opt_timeline = {.key = KG_OPT_TIMELINE, .name = "--timeline",
	.help = "draw a timeline: dated relations and entities along a time\n"
	        "axis, since/until as bars, undated ones listed below\n"
	        "(--engine, --rankdir, --fit, --cluster-by and --path do not apply)"};

static const kg_cli_option opt_diff = {.key = KG_OPT_DIFF, .name = "--diff", .arg = "OLD", .kind = KG_CLI_FILE,
	.help = "draw what changed since the graph file OLD: added items green,\n"
	        "changed ones orange, removed ones as red dashed ghosts\n"
	        "(print theme: bold, double, dashed grey)"};

static const kg_cli_option opt_layout = {.key = KG_OPT_LAYOUT, .name = "--layout", .arg = "FILE",
	.kind = KG_CLI_FILE,
	.help = "keep the layout from one render to the next: start from the\n"
	        "positions in FILE when it exists (entities drawn before stay\n"
	        "put, new ones start beside their neighbours; with --diff,\n"
	        "removed ones are drawn where they were), then write this\n"
	        "drawing's positions to FILE. Drawn with neato, without clusters"};

static const kg_cli_option *const output_opts[] = {&opt_output, &kg_cli_opt_t, &opt_layout, NULL};
static const kg_cli_option *const what_opts[] = {&kg_cli_opt_focus, &kg_cli_opt_focus_depth, &kg_cli_opt_type,
	&kg_cli_opt_rel, &kg_cli_opt_exclude_rel, &kg_cli_opt_as_of, &opt_path, &opt_path_only, NULL};
static const kg_cli_option *const path_opts[] = {&kg_cli_opt_all_shortest, &kg_cli_opt_k, &kg_cli_opt_all,
	&kg_cli_opt_max_hops, &kg_cli_opt_limit, &kg_cli_opt_directed, &kg_cli_opt_weight, &kg_cli_opt_path_through,
	&kg_cli_opt_path_avoid, NULL};
static const kg_cli_option *const how_opts[] = {&opt_timeline, &opt_diff, &kg_cli_opt_engine, &kg_cli_opt_rankdir, &kg_cli_opt_theme,
	&kg_cli_opt_label, &kg_cli_opt_no_edge_labels, &kg_cli_opt_edge_dates, &kg_cli_opt_legend, &kg_cli_opt_no_legend,
	&kg_cli_opt_no_title, &kg_cli_opt_cluster_by, &kg_cli_opt_fit, &kg_cli_opt_credit, &kg_cli_opt_caption, &kg_cli_opt_dpi,
	&kg_cli_opt_timeout, &kg_cli_opt_include_path, &kg_cli_opt_cache, &kg_cli_opt_help, NULL};
static const kg_cli_group groups[] = {
	{"Output", output_opts},
	{"What to draw (combine freely)", what_opts},
	{"Which paths, with --path (as for 'kgraph path')", path_opts},
	{"How to draw it", how_opts},
	KG_CLI_DB_GROUP,
	{NULL, NULL}};
static const char *const examples[] = {
	"kgraph render graphs/ukraine-long-range-strikes-2024.yaml -T dot -o -",
	"kgraph render --focus biden --depth 1 -T svg -o - graphs/ukraine-long-range-strikes-2024.yaml",
	"kgraph render --path starmer atacms --path-only -T dot -o - graphs/ukraine-long-range-strikes-2024.yaml",
	"kgraph render --timeline -T svg -o - graphs/ukraine-long-range-strikes-2024.yaml",
	"kgraph render --layout /tmp/ukraine.layout -o /tmp/ukraine.svg graphs/ukraine-long-range-strikes-2024.yaml",
	NULL};

/* With --db, what must be said, for the message and the docs. */
#define DB_SELECTION "--focus ENTITY (with --depth), or --path FROM TO with --path-only or --focus"

static int run(int argc, char **argv);

const kg_cli_command kg_cli_render_command = {
	.name = "render",
	.summary = "draw the graph, or part of it, as SVG, PNG, PDF or DOT",
	.usage = "[OPTIONS] FILE... -o OUT",
	.description =
		"Draw the graph, or part of it, as an image for a report or a web page:\n"
		"SVG, PNG, PDF, or DOT (the graph with its styles, for Graphviz's own tools).\n"
		"Entity types get their own shapes and colours, relation types their own\n"
		"colours and line styles, and a legend explains them. With --db URL --graph\n"
		"NAME instead of FILE, draw part of a graph pushed into PostgreSQL: a --focus\n"
		"neighbourhood, or paths (docs/postgresql.md).",
	.groups = groups,
	.exit_status = "0 drawn, 1 nothing to draw (or no path), 2 invalid input,\n"
	               "3 usage error, 4 a file could not be read or written, or Graphviz failed.",
	.examples = examples,
	.run = run};

typedef struct render_args {
	kg_cli_draw_args draw;
	const char *path_from, *path_to; /* --path FROM TO */
	const char *diff_old;            /* --diff OLD */
	const char *layout;              /* --layout FILE */
} render_args;

/* Whether a and b name one file (by name, or by device and inode). */
static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (!a || !b || strcmp(a, "-") == 0 || strcmp(b, "-") == 0)
		return false;
	return strcmp(a, b) == 0 ||
	       (stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino);
}

/* Read the layout file path into *out; a file that does not exist yet is
 * no layout (*out NULL): the render will write it. A bad file is an
 * error in the file, shown with its line. */
static int read_layout(kg_render_layout **out, const char *path)
{
	kg_diag_list *diags;
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t len = 0, cap = 0;
	int code = EXIT_OK, rc;

	*out = NULL;
	if (!f && errno == ENOENT)
		return EXIT_OK;
	if (!f) {
		fprintf(stderr, "kgraph: error: cannot read '%s': %s\n", path, strerror(errno));
		return EXIT_IO;
	}
	/* one byte past the bound, so that a file over it is told apart */
	while (len <= KG_RENDER_LAYOUT_MAX_BYTES) {
		size_t got;
		if (len == cap) {
			char *p;
			cap = cap ? cap * 2 : 65536;
			if (cap > (size_t)KG_RENDER_LAYOUT_MAX_BYTES + 1)
				cap = (size_t)KG_RENDER_LAYOUT_MAX_BYTES + 1;
			p = realloc(text, cap);
			if (!p) {
				fclose(f);
				free(text);
				return kg_cli_out_of_memory();
			}
			text = p;
		}
		got = fread(text + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "kgraph: error: cannot read '%s': %s\n", path, strerror(errno));
		fclose(f);
		free(text);
		return EXIT_IO;
	}
	fclose(f);
	diags = kg_diag_list_new();
	if (!diags) {
		free(text);
		return kg_cli_out_of_memory();
	}
	rc = kg_render_layout_parse(out, text, len, path, diags);
	if (rc == KG_ENOMEM || kg_diag_list_read_source_lines(diags) == KG_ENOMEM)
		code = kg_cli_out_of_memory();
	else if (rc != KG_OK)
		code = EXIT_INVALID;
	kg_cli_print_diags(stderr, diags, false);
	kg_diag_list_free(diags);
	free(text);
	return code;
}

/* Write the positions a render made to path, whole or not at all. */
static int write_layout(const char *path, const kg_render_layout *layout)
{
	unsigned char *text = NULL;
	size_t len = 0;
	kg_file_writer *w = NULL;
	int rc = kg_render_layout_format(&text, &len, layout);

	if (rc != KG_OK)
		return kg_cli_out_of_memory();
	rc = kg_file_writer_open(&w, path);
	if (rc == KG_OK && (rc = kg_file_writer_write(w, text, len)) != KG_OK)
		kg_file_writer_abort(w);
	else if (rc == KG_OK)
		rc = kg_file_writer_commit(w);
	kg_render_free(text);
	if (rc == KG_ENOMEM)
		return kg_cli_out_of_memory();
	if (rc != KG_OK) {
		fprintf(stderr, "kgraph: error: cannot write '%s': %s\n", path, strerror(errno));
		return EXIT_IO;
	}
	return EXIT_OK;
}

/* The layout options: refuse a layout file that is an input or the
 * drawing, read it, and ask the render for the positions to write back. */
static int setup_layout(render_args *r, const kg_graph *g, const kg_graph *old, kg_render_layout **in,
                        kg_render_layout **out)
{
	int code;

	if (same_file(r->layout, r->draw.output))
		return kg_cli_usage_error("render: --layout %s is also the drawing (-o)", r->layout);
	if (same_file(r->layout, r->diff_old))
		return kg_cli_usage_error("render: --layout %s is the graph file given to --diff; it would be overwritten",
		                          r->layout);
	if ((code = kg_cli_check_output_of(g, "render", "--layout", r->layout)) != EXIT_OK ||
	    (old && (code = kg_cli_check_output_of(old, "render", "--layout", r->layout)) != EXIT_OK) ||
	    (code = read_layout(in, r->layout)) != EXIT_OK)
		return code;
	if (r->draw.ro.format == KG_RENDER_DOT && !*in)
		return kg_cli_usage_error("render: --layout %s does not exist yet, and DOT text is not laid out: draw SVG, "
		                          "PNG or PDF first to write it", r->layout);
	r->draw.ro.layout = *in;
	if (r->draw.ro.format != KG_RENDER_DOT)
		r->draw.ro.layout_out = out;
	return EXIT_OK;
}

/*
 * With --db, only a drawing of part of the graph: a focus, or paths
 * drawn alone or in a focus (drawn among the whole graph, faded, they
 * would need all of it). A drawing of everything is refused rather than
 * read whole; --diff compares two whole graphs.
 */
static int db_refuse(const render_args *r)
{
	if (r->diff_old)
		return kg_cli_usage_error("render: with --db, no --diff (it compares two whole graphs)");
	if (!r->draw.nfocus && !r->path_from)
		return kg_cli_usage_error("render: with --db, say what to draw: " DB_SELECTION
		                          " (the whole graph is not read from a database)");
	if (r->path_from && !r->draw.ro.path_only && !r->draw.nfocus)
		return kg_cli_usage_error("render: with --db, --path draws the whole graph around the paths: add "
		                          "--path-only, or --focus to draw them in a neighbourhood");
	return EXIT_OK;
}

/* The part of the pushed graph the drawing shows: the --focus names
 * (comma lists, split here) and --path's ends, resolved on the database. */
static int db_graph(kg_graph **g, const kg_cli_db_args *d, kg_cli_query *q, const render_args *r,
                    const kg_cli_path_args *p)
{
	kg_neighbor_options around = KG_NEIGHBOR_OPTIONS_INIT;
	const char *ends[2] = {r->path_from, r->path_to};
	const char **names = NULL;
	char **copies = calloc(r->draw.nfocus + 1, sizeof *copies);
	size_t i, n = 0, cap = 0;
	int code = copies ? EXIT_OK : kg_cli_out_of_memory();

	for (i = 0; code == EXIT_OK && i < r->draw.nfocus; i++) {
		char *item, *next;
		if (!(copies[i] = strdup(r->draw.focus[i]))) {
			code = kg_cli_out_of_memory();
			break;
		}
		for (item = copies[i]; item && code == EXIT_OK; item = next) {
			if ((next = strchr(item, ',')))
				*next++ = '\0';
			if (!*item)
				continue;
			if (n == cap) {
				const char **more = realloc(names, (cap = cap ? 2 * cap : 8) * sizeof *names);
				if (!more) {
					code = kg_cli_out_of_memory();
					break;
				}
				names = more;
			}
			names[n++] = item;
		}
	}
	around.depth = r->draw.ro.depth;
	around.direction = r->draw.ro.direction;
	if (code == EXIT_OK)
		code = kg_cli_db_render_graph(g, d, q, names, n, r->draw.ro.path_only ? NULL : &around,
		                              r->path_from ? ends : NULL, &p->opts);
	for (i = 0; copies && i < r->draw.nfocus; i++)
		free(copies[i]);
	free(copies);
	free(names);
	return code;
}

static int run(int argc, char **argv)
{
	kg_cli_query q;
	kg_cli_path_args p;
	render_args r;
	kg_cli_parser ps;
	kg_cli_arg a;
	kg_graph *g = NULL, *old = NULL;
	kg_paths *paths = NULL;
	kg_render_layout *layout_in = NULL, *layout_out = NULL;
	kg_cli_db_args d = {NULL, NULL};
	int rc, code = EXIT_OK;

	kg_cli_path_args_init(&p);
	memset(&r, 0, sizeof r);
	kg_cli_draw_args_init(&r.draw);
	if (!kg_cli_query_init(&q, "render", argc)) {
		code = kg_cli_out_of_memory();
		goto done;
	}
	kg_cli_parser_init(&ps, &kg_cli_render_command, argc, argv);
	while ((rc = kg_cli_next(&ps, &a, &code)) > 0) {
		if (a.opt && a.opt->key == KG_OPT_TIMELINE)
			r.draw.ro.timeline = true;
		else if (a.opt && a.opt->key == KG_OPT_DIFF)
			r.diff_old = a.value;
		else if (a.opt && a.opt->key == KG_OPT_LAYOUT)
			r.layout = a.value;
		else if (a.opt && a.opt->key == KG_OPT_PATH) {
			r.path_from = a.value;
			r.path_to = a.value2;
		} else if ((code = kg_cli_query_take(&q, &a)) == KG_CLI_PASS &&
		           (code = kg_cli_path_take(&p, &q, &a)) == KG_CLI_PASS &&
		           (code = kg_cli_db_take(&d, &a)) == KG_CLI_PASS)
			code = kg_cli_draw_take(&r.draw, &a);
		if (code != EXIT_OK)
			goto done;
	}
	if (rc < 0)
		goto done;
	if (d.url || d.graph) {
		if ((code = kg_cli_db_check(&d, &q, 0, "")) != EXIT_OK || (code = db_refuse(&r)) != EXIT_OK)
			goto done;
	} else if (q.nargs < 1) {
		code = kg_cli_usage_error("render: no FILE given (see 'kgraph render --help')");
		goto done;
	}
	if ((code = kg_cli_path_check(&p, &q)) != EXIT_OK || (code = kg_cli_draw_check(&r.draw, &q, true)) != EXIT_OK)
		goto done;
	if (r.diff_old && r.draw.ro.timeline) {
		code = kg_cli_usage_error("render: --diff and --timeline cannot be combined");
		goto done;
	}
	if (r.layout && r.draw.ro.timeline) {
		code = kg_cli_usage_error("render: --layout and --timeline cannot be combined (time sets a timeline's positions)");
		goto done;
	}
	if (r.draw.ro.path_only && !r.path_from) {
		code = kg_cli_usage_error("render: --path-only needs --path FROM TO");
		goto done;
	}
	code = d.url ? db_graph(&g, &d, &q, &r, &p) : kg_cli_load(&g, q.args, q.nargs, q.include_paths, q.ninclude_paths);
	if (code != EXIT_OK ||
	    (code = kg_cli_check_output(g, q.cmd, r.draw.output)) != EXIT_OK ||
	    (code = kg_cli_query_resolve(&q, g)) != EXIT_OK || (code = kg_cli_draw_select(&r.draw, g, &q)) != EXIT_OK)
		goto done;
	if (r.diff_old) {
		const char *files[1];
		files[0] = r.diff_old;
		if ((code = kg_cli_load(&old, files, 1, q.include_paths, q.ninclude_paths)) != EXIT_OK)
			goto done;
		r.draw.ro.diff_old = old;
	}
	if (r.path_from) {
		uint32_t from, to;
		if ((code = kg_cli_resolve_entity(&from, g, r.path_from, "--path")) != EXIT_OK ||
		    (code = kg_cli_resolve_entity(&to, g, r.path_to, "--path")) != EXIT_OK ||
		    (code = kg_cli_find_paths(&paths, g, from, to, &p, &q)) != EXIT_OK)
			goto done;
		r.draw.ro.paths = paths;
	}
	if (r.layout && (code = setup_layout(&r, g, old, &layout_in, &layout_out)) != EXIT_OK)
		goto done;
	r.draw.ro.filter.directed = p.opts.filter.directed;
	code = kg_cli_draw_write(g, &r.draw, &q);
	if (code == EXIT_OK && layout_out)
		code = write_layout(r.layout, layout_out);
done:
	kg_render_layout_free(layout_in);
	kg_render_layout_free(layout_out);
	kg_paths_free(paths);
	kg_cli_draw_args_free(&r.draw);
	kg_graph_free(g);
	kg_graph_free(old);
	kg_cli_query_free(&q);
	return code;
}
