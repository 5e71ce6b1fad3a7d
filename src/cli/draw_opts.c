/*
 * draw_opts.c - drawing from the command line, for `kgraph render` and
 * `kgraph path -o FILE`: the style options, the format, and the write;
 * and what to draw by --focus and --depth, which `kgraph export` shares
 * so that it writes exactly the part a drawing would show.
 *
 * The commands only turn options into a kg_render_options (kgraph/
 * render.h does the drawing) and write the result: to a file through a
 * temporary beside it, renamed over the file only on success, or to
 * standard output with -o -.
 */
#define _POSIX_C_SOURCE 200809L
#include "draw_opts.h"
#include "print.h"
#include "signals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const format_names[] = {"svg", "png", "pdf", "dot", "gv", NULL};
static const char *const engine_names[] = {"auto", "dot", "neato", "fdp", "sfdp", "circo", "twopi", NULL};
static const char *const rankdir_names[] = {"TB", "LR", "BT", "RL", NULL};
static const char *const theme_names[] = {"light", "dark", "print", NULL};
static const char *const fit_names[] = {"page", "slide", "none", NULL};
/* In kg_render_label's order. */
static const char *const label_names[] = {"name", "id", "both", NULL};

/* Graphviz's own names, which kg_render reads in any case. */
const kg_cli_option kg_cli_opt_t = {.key = KG_OPT_T, .short_name = 'T', .arg = "FORMAT", .kind = KG_CLI_CHOICE,
	.values = format_names, .nocase = true, .help = "svg, png, pdf or dot, whatever OUT is called"};
const kg_cli_option kg_cli_opt_engine = {.key = KG_OPT_ENGINE, .name = "--engine", .arg = "ENGINE",
	.kind = KG_CLI_CHOICE, .values = engine_names, .nocase = true,
	.help = "auto (default: dot for small graphs, sfdp for large),\ndot, neato, fdp, sfdp, circo or twopi"};
const kg_cli_option kg_cli_opt_rankdir = {.key = KG_OPT_RANKDIR, .name = "--rankdir", .arg = "DIR",
	.kind = KG_CLI_CHOICE, .values = rankdir_names, .nocase = true, .help = "TB (default), LR, BT or RL"};
const kg_cli_option kg_cli_opt_theme = {.key = KG_OPT_THEME, .name = "--theme", .arg = "THEME",
	.kind = KG_CLI_CHOICE, .values = theme_names, .nocase = true,
	.help = "light (default), dark, or print (black and white)"};
const kg_cli_option kg_cli_opt_label = {.key = KG_OPT_LABEL, .name = "--label", .arg = "WHAT",
	.kind = KG_CLI_CHOICE, .values = label_names, .help = "name (default), id or both, on each entity"};
const kg_cli_option kg_cli_opt_no_edge_labels = {.key = KG_OPT_NO_EDGE_LABELS, .name = "--no-edge-labels",
	.help = "no relation type on the edges"};
const kg_cli_option kg_cli_opt_edge_dates = {.key = KG_OPT_EDGE_DATES, .name = "--edge-dates",
	.help = "add each relation's date to its edge"};
const kg_cli_option kg_cli_opt_legend = {.key = KG_OPT_LEGEND, .name = "--legend",
	.help = "always draw the legend (default: when more than one\ntype is drawn)"};
const kg_cli_option kg_cli_opt_no_legend = {.key = KG_OPT_NO_LEGEND, .name = "--no-legend",
	.help = "never draw the legend"};
const kg_cli_option kg_cli_opt_no_title = {.key = KG_OPT_NO_TITLE, .name = "--no-title",
	.help = "leave out the graph's title"};
const kg_cli_option kg_cli_opt_cluster_by = {.key = KG_OPT_CLUSTER_BY, .name = "--cluster-by", .arg = "WHAT",
	.kind = KG_CLI_STRING, .help = "group entities in boxes: 'type', or an attribute"};
const kg_cli_option kg_cli_opt_dpi = {.key = KG_OPT_DPI, .name = "--dpi", .arg = "N", .kind = KG_CLI_NUMBER,
	.min = 1, .max = KG_RENDER_MAX_DPI, .help = "PNG resolution (default 96)"};
const kg_cli_option kg_cli_opt_timeout = {.key = KG_OPT_TIMEOUT, .name = "--timeout", .arg = "SECONDS",
	.kind = KG_CLI_NUMBER, .min = 1, .max = KG_RENDER_MAX_TIMEOUT,
	.help = "stop after SECONDS: loading, the path search, the\nlayout and the write together (default 60 when\ndrawing)"};

const kg_cli_option kg_cli_opt_focus = {.key = KG_OPT_FOCUS, .name = "--focus", .arg = "ENTITY,...",
	.kind = KG_CLI_NAMES, .help = "only these entities and their neighbourhood"};
const kg_cli_option kg_cli_opt_focus_depth = {.key = KG_OPT_DEPTH, .name = "--depth", .arg = "N",
	.kind = KG_CLI_NUMBER, .min = 1, .max = KG_MAX_NEIGHBOR_DEPTH, .cap = "KG_MAX_NEIGHBOR_DEPTH",
	.help = "... within N relations (default 1)"};

const kg_cli_option kg_cli_opt_fit = {.key = KG_OPT_FIT, .name = "--fit", .arg = "SHAPE", .kind = KG_CLI_CHOICE,
	.values = fit_names, .nocase = true,
	.help = "page (default: width : height within 1 : 1.5 and 1.5 : 1),\nslide (about 16 : 9) or none (as laid out)"};
const kg_cli_option kg_cli_opt_credit = {.key = KG_OPT_CREDIT, .name = "--credit",
	.help = "add a footer naming the sources of the relations drawn"};
const kg_cli_option kg_cli_opt_caption = {.key = KG_OPT_CAPTION, .name = "--caption", .arg = "TEXT",
	.kind = KG_CLI_STRING, .help = "add a caption under the drawing"};

void kg_cli_draw_args_init(kg_cli_draw_args *r)
{
	kg_render_options init = KG_RENDER_OPTIONS_INIT;

	memset(r, 0, sizeof *r);
	r->ro = init;
}

void kg_cli_draw_args_free(kg_cli_draw_args *r)
{
	free(r->focus);
	free(r->focus_ids);
	r->focus = NULL;
	r->focus_ids = NULL;
	r->nfocus = 0;
}

static int add_focus(kg_cli_draw_args *r, const char *value)
{
	const char **f = realloc(r->focus, (r->nfocus + 1) * sizeof *f);

	if (!f)
		return kg_cli_out_of_memory();
	r->focus = f;
	r->focus[r->nfocus++] = value;
	return EXIT_OK;
}

int kg_cli_draw_take(kg_cli_draw_args *r, const kg_cli_arg *a)
{
	if (!a->opt)
		return KG_CLI_PASS;
	switch (a->opt->key) {
	case KG_OPT_OUTPUT: r->output = a->value; break;
	case KG_OPT_T: r->format_name = a->value; break;
	case KG_OPT_PATH_ONLY: r->ro.path_only = true; break;
	case KG_OPT_FOCUS: return add_focus(r, a->value);
	case KG_OPT_DEPTH: r->ro.depth = (unsigned)a->number; break;
	case KG_OPT_NO_EDGE_LABELS: r->ro.edge_labels = false; break;
	case KG_OPT_EDGE_DATES: r->ro.edge_dates = true; break;
	case KG_OPT_LEGEND: r->ro.legend = KG_RENDER_LEGEND_ON; break;
	case KG_OPT_NO_LEGEND: r->ro.legend = KG_RENDER_LEGEND_OFF; break;
	case KG_OPT_NO_TITLE: r->ro.title = false; break;
	case KG_OPT_ENGINE: r->ro.engine = a->value; break;
	case KG_OPT_RANKDIR: r->ro.rankdir = a->value; break;
	case KG_OPT_THEME: r->ro.theme = a->value; break;
	case KG_OPT_CLUSTER_BY: r->ro.cluster_by = a->value; break;
	case KG_OPT_LABEL: r->ro.label = (kg_render_label)a->choice; break;
	case KG_OPT_DPI: r->ro.dpi = (unsigned)a->number; break;
	case KG_OPT_TIMEOUT: r->ro.timeout_seconds = (unsigned)a->number; break;
	case KG_OPT_FIT: r->ro.fit = a->value; break;
	case KG_OPT_CREDIT: r->ro.credit = true; break;
	case KG_OPT_CAPTION: r->ro.caption = a->value; break;
	default: return KG_CLI_PASS;
	}
	return EXIT_OK;
}

/* The whole command is bounded when it draws, and whenever --timeout is
 * given (signals.c). */
static void arm_deadline(const kg_cli_draw_args *r, const kg_cli_query *q)
{
	if (r->ro.timeout_seconds)
		kg_cli_deadline_arm(q->cmd, r->ro.timeout_seconds, true);
	else if (r->output)
		kg_cli_deadline_arm(q->cmd, KG_RENDER_DEFAULT_TIMEOUT, false);
}

int kg_cli_draw_check(kg_cli_draw_args *r, const kg_cli_query *q, bool required)
{
	const char *name = r->format_name;

	if (!r->output && !r->format_name) {
		if (required)
			return kg_cli_usage_error("%s: say where to draw: -o FILE (or -T FORMAT -o - for standard output)",
			                          q->cmd);
		arm_deadline(r, q);
		return EXIT_OK;
	}
	if (!r->output)
		r->output = "-";
	if (!name)
		name = r->output;
	/* -T's value was checked against the table; the output's name not. */
	if (kg_render_format_from_name(&r->ro.format, name) != KG_OK)
		return kg_cli_usage_error("%s: cannot tell the format from '%s': name it .svg, .png, .pdf or .dot, "
		                          "or add -T FORMAT", q->cmd, r->output);
	arm_deadline(r, q);
	return EXIT_OK;
}

/* Resolve the --focus names (each a comma list) into r->focus_ids. */
static int resolve_focus(kg_cli_draw_args *r, const kg_graph *g)
{
	size_t i, cap = 0;
	int code;

	for (i = 0; i < r->nfocus; i++) {
		char *copy = strdup(r->focus[i]), *item, *next;
		if (!copy)
			return kg_cli_out_of_memory();
		for (item = copy; item; item = next) {
			uint32_t *ids;
			next = strchr(item, ',');
			if (next)
				*next++ = '\0';
			if (!*item)
				continue;
			if (r->ro.nfocus == cap) {
				cap = cap ? cap * 2 : 8;
				ids = realloc(r->focus_ids, cap * sizeof *ids);
				if (!ids) {
					free(copy);
					return kg_cli_out_of_memory();
				}
				r->focus_ids = ids;
			}
			if ((code = kg_cli_resolve_entity(&r->focus_ids[r->ro.nfocus], g, item, "--focus")) != EXIT_OK) {
				free(copy);
				return code;
			}
			r->ro.nfocus++;
		}
		free(copy);
	}
	r->ro.focus = r->focus_ids;
	return EXIT_OK;
}

/* q's filters and types into r->ro; --directed is the path options'. */
static void apply_query(kg_cli_draw_args *r, const kg_cli_query *q)
{
	bool directed = r->ro.filter.directed;

	r->ro.filter = q->filter;
	r->ro.filter.directed = directed;
	r->ro.types = q->type_ids;
	r->ro.ntypes = q->ntype_ids;
}

int kg_cli_draw_select(kg_cli_draw_args *r, const kg_graph *g, const kg_cli_query *q)
{
	apply_query(r, q);
	return resolve_focus(r, g);
}

/*
 * Is path a file the graph was read from (the files named, their
 * includes, standard input when it is a file) or the text of one of its
 * sources? Files are told apart by device and inode, so a link or another
 * spelling of the name is recognised: the identities of the graph's files
 * were taken as they were read, and path is looked at now, following
 * symbolic links as a write will. *name is the graph's name for the file,
 * *source the source's id (NULL for a graph file).
 */
bool kg_cli_is_graph_file(const kg_graph *g, const char *path, const char **name, const char **source)
{
	struct stat out, src;
	uint64_t dev, ino;
	size_t i, n;

	*name = *source = NULL;
	if (stat(path, &out) != 0)
		return false; /* nothing there yet: nothing to lose */
	if (kg_cli_snapshot_read.name && kg_cli_snapshot_read.st.st_dev == out.st_dev && kg_cli_snapshot_read.st.st_ino == out.st_ino) {
		*name = kg_cli_snapshot_read.name;
		return true;
	}
	for (i = 0, n = kg_graph_file_count(g); i < n; i++) {
		if (kg_graph_file_id(g, i, &dev, &ino) && dev == (uint64_t)out.st_dev && ino == (uint64_t)out.st_ino) {
			*name = kg_graph_file(g, i);
			return true;
		}
	}
	for (i = 0, n = kg_graph_source_count(g); i < n; i++) {
		const char *file = kg_source_file(g, (uint32_t)i);
		if (file && stat(file, &src) == 0 && src.st_dev == out.st_dev && src.st_ino == out.st_ino) {
			*name = file;
			*source = kg_source_id(g, (uint32_t)i);
			return true;
		}
	}
	return false;
}

int kg_cli_check_output_of(const kg_graph *g, const char *cmd, const char *opt, const char *path)
{
	const char *name, *source;

	if (!path || strcmp(path, "-") == 0 || !kg_cli_is_graph_file(g, path, &name, &source))
		return EXIT_OK;
	if (source)
		return kg_cli_usage_error("%s: %s %s is the text of the graph's source '%s'; it would be overwritten", cmd,
		                          opt, path, source);
	if (strcmp(name, path) == 0)
		return kg_cli_usage_error("%s: %s %s is one of the graph's files; it would be overwritten", cmd, opt, path);
	return kg_cli_usage_error("%s: %s %s is the graph's file %s; it would be overwritten", cmd, opt, path, name);
}

int kg_cli_check_output(const kg_graph *g, const char *cmd, const char *path)
{
	return kg_cli_check_output_of(g, cmd, "-o", path);
}

int kg_cli_draw_write(const kg_graph *g, kg_cli_draw_args *r, const kg_cli_query *q)
{
	kg_diag_list *diags = kg_diag_list_new();
	unsigned char *data = NULL;
	size_t len = 0;
	int rc, code = EXIT_OK;

	if (!diags)
		return kg_cli_out_of_memory();
	apply_query(r, q);
	/* the layout's own limit: what is left of the command's */
	if (kg_cli_deadline_left())
		r->ro.timeout_seconds = kg_cli_deadline_left();
	rc = kg_render(&data, &len, g, &r->ro, diags);
	/* style-key errors point into the graph's files: show the line */
	if (kg_diag_list_read_source_lines(diags) == KG_ENOMEM)
		rc = KG_ENOMEM;
	kg_cli_print_diags(stderr, diags, false);
	switch (rc) {
	case KG_OK:
		break;
	case KG_ENOTFOUND: /* the diagnostic says so */
		code = EXIT_NO_RESULT;
		break;
	case KG_EARG: /* an option's value, named by the diagnostic */
		code = EXIT_USAGE;
		break;
	case KG_EINVALID:
		code = EXIT_INVALID;
		break;
	case KG_ENOMEM:
		code = kg_cli_out_of_memory();
		break;
	default:
		code = EXIT_IO;
		break;
	}
	if (code == EXIT_OK) {
		if (strcmp(r->output, "-") == 0) {
			fwrite(data, 1, len, stdout);
			code = kg_cli_finish_output(EXIT_OK);
		} else {
			kg_diag_list *wd = kg_diag_list_new();
			if (!wd) {
				code = kg_cli_out_of_memory();
			} else if (kg_render_write_file(r->output, data, len, wd) != KG_OK) {
				kg_cli_print_diags(stderr, wd, false);
				code = EXIT_IO;
			}
			kg_diag_list_free(wd);
		}
	}
	kg_render_free(data);
	kg_diag_list_free(diags);
	return code;
}
