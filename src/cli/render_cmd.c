/*
 * render_cmd.c - `kgraph render FILE... -o OUT`: the graph, or the part
 * that answers a question, as DOT, SVG, PNG or PDF; and the -o FILE of
 * `kgraph path`, which draws its paths the same way.
 *
 * The command only turns options into a kg_render_options (kgraph/
 * render.h does the drawing) and writes the result: to a file through a
 * temporary beside it, renamed over the file only on success, or to
 * standard output with -o -.
 */
#define _POSIX_C_SOURCE 200809L
#include "render_cmd.h"
#include "print.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char kg_cli_render_help[] =
	"Usage: kgraph render [OPTIONS] FILE... -o OUT\n"
	"\n"
	"Draw the graph, or part of it, as an image for a report or a web page:\n"
	"SVG, PNG, PDF, or DOT (the graph with its styles, for Graphviz's own tools).\n"
	"Entity types get their own shapes and colours, relation types their own\n"
	"colours and line styles, and a legend explains them.\n"
	"\n"
	"Output:\n"
	"  -o, --output OUT       the file to write (its extension picks the format);\n"
	"                         '-' writes to standard output\n"
	"  -T FORMAT              svg, png, pdf or dot, whatever OUT is called\n"
	"\n"
	"What to draw (combine freely):\n"
	"      --focus ENTITY,... only these entities and their neighbourhood\n"
	"      --depth N          ... within N relations (default 1)\n"
	"      --type TYPE,...    only entities of these types\n"
	"      --rel TYPE,...     only relations of these types\n"
	"      --exclude-rel TYPE,...  no relations of these types\n"
	"      --as-of DATE       only relations valid on DATE (since/until)\n"
	"      --path FROM TO     draw the path from FROM to TO bold, the rest faded;\n"
	"                         the path options of 'kgraph path' apply (-k N,\n"
	"                         --all-shortest, --avoid, --through, ...)\n"
	"      --path-only        draw only the path(s)\n"
	"\n"
	"How to draw it:\n"
	"      --engine ENGINE    auto (default: dot for small graphs, sfdp for large),\n"
	"                         dot, neato, fdp, sfdp, circo or twopi\n"
	"      --rankdir DIR      TB (default), LR, BT or RL\n"
	"      --theme THEME      light (default), dark, or print (black and white)\n"
	"      --label WHAT       name (default), id or both, on each entity\n"
	"      --no-edge-labels   no relation type on the edges\n"
	"      --edge-dates       add each relation's date to its edge\n"
	"      --legend / --no-legend  always / never (default: when more than one\n"
	"                         type is drawn)\n"
	"      --no-title         leave out the graph's title\n"
	"      --cluster-by WHAT  group entities in boxes: 'type', or an attribute\n"
	"      --dpi N            PNG resolution (default 96)\n"
	"      --timeout SECONDS  give up on layout after SECONDS (default 60)\n"
	"  -h, --help             show this help\n"
	"\n"
	"Exit status: 0 drawn, 1 nothing to draw (or no path), 2 invalid input,\n"
	"3 usage error, 4 a file could not be read or written, or Graphviz failed.\n"
	"\n"
	"Examples:\n"
	"  kgraph render graphs/ukraine-long-range-strikes-2024.yaml -T dot -o -\n"
	"  kgraph render --focus biden --depth 1 -T svg -o - graphs/ukraine-long-range-strikes-2024.yaml\n"
	"  kgraph render --path starmer atacms --path-only -T dot -o - graphs/ukraine-long-range-strikes-2024.yaml\n";

void kg_cli_render_args_init(kg_cli_render_args *r, bool full)
{
	kg_render_options init = KG_RENDER_OPTIONS_INIT;

	memset(r, 0, sizeof *r);
	r->ro = init;
	r->full = full;
}

void kg_cli_render_args_free(kg_cli_render_args *r)
{
	free(r->focus);
	free(r->focus_ids);
}

/* The value of an option that takes one; NULL (after a usage error in
 * *code) when it is missing. m is kg_cli_long_opt's answer. */
static int need_value(int m, const kg_cli_query *q, const char *opt, int *code)
{
	if (m < 0) {
		*code = kg_cli_usage_error("%s: %s needs a value (see 'kgraph %s --help')", q->cmd, opt, q->cmd);
		return -1;
	}
	return m;
}

int kg_cli_render_arg(void *ctx, kg_cli_query *q, int argc, char **argv, int *i, int *code)
{
	kg_cli_render_args *r = ctx;
	const char *a = argv[*i], *v = NULL;
	unsigned long n;
	int m;

	*code = EXIT_OK;
	if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 || strncmp(a, "--output=", 9) == 0) {
		if (a[1] == 'o' && !a[2]) {
			if (*i + 1 >= argc)
				return need_value(-1, q, a, code);
			v = argv[++*i];
		} else if (need_value(kg_cli_long_opt(argc, argv, i, "--output", &v), q, "--output", code) < 0) {
			return -1;
		}
		r->output = v;
	} else if (strcmp(a, "-T") == 0 || (a[0] == '-' && a[1] == 'T' && a[2])) {
		if (!a[2] && *i + 1 >= argc)
			return need_value(-1, q, "-T", code);
		r->format_name = a[2] ? a + 2 : argv[++*i];
	} else if (strcmp(a, "--path-only") == 0) {
		r->ro.path_only = true;
	} else if (strcmp(a, "--no-edge-labels") == 0) {
		r->ro.edge_labels = false;
	} else if (strcmp(a, "--edge-dates") == 0) {
		r->ro.edge_dates = true;
	} else if (strcmp(a, "--legend") == 0) {
		r->ro.legend = KG_RENDER_LEGEND_ON;
	} else if (strcmp(a, "--no-legend") == 0) {
		r->ro.legend = KG_RENDER_LEGEND_OFF;
	} else if (strcmp(a, "--no-title") == 0) {
		r->ro.title = false;
	} else if ((m = kg_cli_long_opt(argc, argv, i, "--engine", &v)) != 0) {
		if (need_value(m, q, a, code) < 0)
			return -1;
		r->ro.engine = v;
	} else if ((m = kg_cli_long_opt(argc, argv, i, "--rankdir", &v)) != 0) {
		if (need_value(m, q, a, code) < 0)
			return -1;
		r->ro.rankdir = v;
	} else if ((m = kg_cli_long_opt(argc, argv, i, "--theme", &v)) != 0) {
		if (need_value(m, q, a, code) < 0)
			return -1;
		r->ro.theme = v;
	} else if ((m = kg_cli_long_opt(argc, argv, i, "--cluster-by", &v)) != 0) {
		if (need_value(m, q, a, code) < 0)
			return -1;
		r->ro.cluster_by = v;
	} else if ((m = kg_cli_long_opt(argc, argv, i, "--label", &v)) != 0) {
		if (need_value(m, q, a, code) < 0)
			return -1;
		if (strcmp(v, "name") == 0)
			r->ro.label = KG_RENDER_LABEL_NAME;
		else if (strcmp(v, "id") == 0)
			r->ro.label = KG_RENDER_LABEL_ID;
		else if (strcmp(v, "both") == 0)
			r->ro.label = KG_RENDER_LABEL_BOTH;
		else {
			*code = kg_cli_usage_error("%s: --label takes name, id or both, not '%s'", q->cmd, v);
			return -1;
		}
	} else if ((m = kg_cli_long_opt(argc, argv, i, "--dpi", &v)) != 0) {
		if (need_value(m, q, a, code) < 0 ||
		    (*code = kg_cli_parse_count(&n, q, "--dpi", v, 1, 600, NULL)) != EXIT_OK)
			return -1;
		r->ro.dpi = (unsigned)n;
	} else if ((m = kg_cli_long_opt(argc, argv, i, "--timeout", &v)) != 0) {
		if (need_value(m, q, a, code) < 0 ||
		    (*code = kg_cli_parse_count(&n, q, "--timeout", v, 1, 86400, NULL)) != EXIT_OK)
			return -1;
		r->ro.timeout_seconds = (unsigned)n;
	} else if (r->full && (m = kg_cli_long_opt(argc, argv, i, "--depth", &v)) != 0) {
		if (need_value(m, q, a, code) < 0 ||
		    (*code = kg_cli_parse_count(&n, q, "--depth", v, 1, KG_MAX_NEIGHBOR_DEPTH,
		                                "KG_MAX_NEIGHBOR_DEPTH")) != EXIT_OK)
			return -1;
		r->ro.depth = (unsigned)n;
	} else if (r->full && (m = kg_cli_long_opt(argc, argv, i, "--focus", &v)) != 0) {
		const char **f;
		if (need_value(m, q, a, code) < 0)
			return -1;
		f = realloc(r->focus, (r->nfocus + 1) * sizeof *f);
		if (!f) {
			*code = kg_cli_out_of_memory();
			return -1;
		}
		r->focus = f;
		r->focus[r->nfocus++] = v;
	} else if (r->full && strcmp(a, "--path") == 0) {
		if (*i + 2 >= argc) {
			*code = kg_cli_usage_error("%s: --path needs FROM and TO (see 'kgraph %s --help')", q->cmd, q->cmd);
			return -1;
		}
		r->path_from = argv[++*i];
		r->path_to = argv[++*i];
	} else {
		return 0;
	}
	return 1;
}

int kg_cli_render_check(kg_cli_render_args *r, const kg_cli_query *q)
{
	const char *name = r->format_name;

	if (!r->output && !r->format_name) {
		if (r->full)
			return kg_cli_usage_error("%s: say where to draw: -o FILE (or -T FORMAT -o - for standard output)",
			                          q->cmd);
		return EXIT_OK; /* path without -o prints its answer */
	}
	if (!r->output)
		r->output = "-";
	if (!name)
		name = r->output;
	if (kg_render_format_from_name(&r->ro.format, name) != KG_OK) {
		if (r->format_name)
			return kg_cli_usage_error("%s: -T takes svg, png, pdf or dot, not '%s'", q->cmd, r->format_name);
		return kg_cli_usage_error("%s: cannot tell the format from '%s': name it .svg, .png, .pdf or .dot, "
		                          "or add -T FORMAT", q->cmd, r->output);
	}
	if (r->ro.path_only && !r->path_from && r->full)
		return kg_cli_usage_error("%s: --path-only needs --path FROM TO", q->cmd);
	return EXIT_OK;
}

bool kg_cli_is_input(const char *path, const char *const *inputs, size_t n)
{
	struct stat out, in;
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(path, inputs[i]) == 0)
			return true;
		if (stat(path, &out) == 0 && stat(inputs[i], &in) == 0 && out.st_dev == in.st_dev &&
		    out.st_ino == in.st_ino)
			return true;
	}
	return false;
}

int kg_cli_render_write(const kg_graph *g, kg_cli_render_args *r, const kg_cli_query *q,
                        const char *const *inputs, size_t ninputs)
{
	kg_diag_list *diags = kg_diag_list_new();
	unsigned char *data = NULL;
	size_t len = 0;
	int rc, code = EXIT_OK;

	if (!diags)
		return kg_cli_out_of_memory();
	if (strcmp(r->output, "-") != 0 && kg_cli_is_input(r->output, inputs, ninputs)) {
		kg_diag_list_free(diags);
		return kg_cli_usage_error("%s: -o %s is one of the graph's files; it would be overwritten", q->cmd,
		                          r->output);
	}
	{
		bool directed = r->ro.filter.directed;
		r->ro.filter = q->filter;
		r->ro.filter.directed = directed;
	}
	r->ro.types = q->type_ids;
	r->ro.ntypes = q->ntype_ids;
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

int kg_cli_render_resolve_focus(kg_cli_render_args *r, const kg_graph *g)
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

int kg_cli_cmd_render(int argc, char **argv)
{
	kg_cli_query q;
	kg_cli_path_args p;
	kg_cli_render_args r;
	kg_graph *g = NULL;
	kg_paths *paths = NULL;
	int code = EXIT_OK;

	kg_cli_path_args_init(&p);
	kg_cli_render_args_init(&r, true);
	if (!kg_cli_query_init(&q, "render", kg_cli_render_help, KG_CLI_OPT_FILTERS | KG_CLI_OPT_LIST, argc)) {
		code = kg_cli_out_of_memory();
		goto done;
	}
	if (kg_cli_query_parse(&q, argc, argv, kg_cli_render_arg, &r, kg_cli_path_arg, &p, &code) < 0)
		goto done;
	if (q.nargs < 1) {
		code = kg_cli_usage_error("render: no FILE given (see 'kgraph render --help')");
		goto done;
	}
	if (q.relations) {
		code = kg_cli_usage_error("render: --relations is for 'kgraph list'");
		goto done;
	}
	if ((code = kg_cli_path_check(&p, &q)) != EXIT_OK || (code = kg_cli_render_check(&r, &q)) != EXIT_OK)
		goto done;
	if ((code = kg_cli_load(&g, q.args, q.nargs)) != EXIT_OK || (code = kg_cli_query_resolve(&q, g)) != EXIT_OK ||
	    (code = kg_cli_render_resolve_focus(&r, g)) != EXIT_OK)
		goto done;
	if (r.path_from) {
		uint32_t from, to;
		if ((code = kg_cli_resolve_entity(&from, g, r.path_from, "--path")) != EXIT_OK ||
		    (code = kg_cli_resolve_entity(&to, g, r.path_to, "--path")) != EXIT_OK ||
		    (code = kg_cli_find_paths(&paths, g, from, to, &p, &q)) != EXIT_OK)
			goto done;
		r.ro.paths = paths;
	}
	r.ro.filter.directed = p.opts.filter.directed;
	code = kg_cli_render_write(g, &r, &q, q.args, q.nargs);
done:
	kg_paths_free(paths);
	kg_cli_render_args_free(&r);
	kg_graph_free(g);
	kg_cli_query_free(&q);
	return code;
}
