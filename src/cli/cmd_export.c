/*
 * cmd_export.c - `kgraph export -T FORMAT FILE... [-o OUT]`: the graph, or
 * the part a drawing with the same options would show, in a format other
 * tools read (kgraph/export.h does the writing; docs/interop.md).
 *
 * The command turns options into a render selection and an export, and
 * streams the output: to standard output, or to a file (or, for csv and
 * neo4j, to each file of a folder) as every kgraph output is written
 * (kgraph/file.h): a regular file through a temporary beside it, renamed
 * into place when complete and keeping the old file's mode, a device or
 * FIFO in place. It never writes over one of the graph's files, named or
 * included, or a source's text (exit 3).
 *
 * What to export is chosen as `kgraph render` chooses what to draw, with
 * the same options (--focus and --depth from draw_opts.c, the filters
 * from query_opts.c) and the same library call (kg_render_select).
 */
#define _POSIX_C_SOURCE 200809L
#include "draw_opts.h"
#include "print.h"
#include "db_opts.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* In kg_export_format's order, so that -T's choice is the format. */
static const char *const format_names[] = {"json", "graphml", "gexf", "csv", "yaml", "neo4j", "cypher", "ttl", "ftm",
	"sql", NULL};

static const kg_cli_option opt_t = {.key = KG_OPT_T, .short_name = 'T', .arg = "FORMAT", .kind = KG_CLI_CHOICE,
	.values = format_names, .nocase = true,
	.help = "json (NetworkX node-link, d3), graphml (Gephi, yEd,\n"
	        "Cytoscape, igraph), gexf (Gephi's timeline), csv (a\n"
	        "folder for spreadsheets), yaml (kgraph's own), neo4j\n"
	        "(a folder for neo4j-admin), cypher (cypher-shell),\n"
	        "ttl (RDF Turtle with PROV-O), ftm (FollowTheMoney),\n"
	        "sql (a psql script: what kgraph push stores)"};
static const kg_cli_option opt_output = {.key = KG_OPT_OUTPUT, .name = "--output", .short_name = 'o', .arg = "OUT",
	.kind = KG_CLI_FILE,
	.help = "the file to write, or for csv and neo4j the folder\n(created if needed); '-' or none: standard output"};
static const kg_cli_option opt_links = {.key = KG_OPT_LINKS, .name = "--links",
	.help = "json: name the edge list \"links\", as NetworkX\nbefore 3.6 and d3 expect (default \"edges\")"};

static const kg_cli_option *const output_opts[] = {&opt_t, &opt_output, &opt_links, &kg_cli_opt_graph, NULL};
static const kg_cli_option *const what_opts[] = {&kg_cli_opt_focus, &kg_cli_opt_focus_depth, &kg_cli_opt_type,
	&kg_cli_opt_rel, &kg_cli_opt_exclude_rel, &kg_cli_opt_as_of, &kg_cli_opt_include_path, &kg_cli_opt_cache, &kg_cli_opt_help, NULL};
static const kg_cli_group groups[] = {
	{"Output", output_opts},
	{"What to export (as for 'kgraph render'; combine freely)", what_opts},
	{NULL, NULL}};
static const char *const examples[] = {
	"kgraph export -T json graphs/ukraine-long-range-strikes-2024.yaml",
	"kgraph export -T yaml --focus biden --depth 1 graphs/ukraine-long-range-strikes-2024.yaml",
	NULL};

static int run(int argc, char **argv);

const kg_cli_command kg_cli_export_command = {
	.name = "export",
	.summary = "write the graph, or part of it, for Gephi, NetworkX, Neo4j, ...",
	.usage = "-T FORMAT [OPTIONS] FILE... [-o OUT]",
	.description =
		"Write the graph, or part of it, for another tool: NetworkX and d3 (json),\n"
		"Gephi, yEd, Cytoscape and igraph (graphml, gexf), spreadsheets (csv),\n"
		"Neo4j (neo4j, cypher), RDF stores (ttl), Aleph and the ftm tools (ftm),\n"
		"or kgraph itself (yaml: a part, or many files merged into one).\n"
		"docs/interop.md says what each format carries and what it loses.",
	.groups = groups,
	.exit_status = "0 written, 1 nothing selected, 2 invalid input, 3 usage error\n"
	               "(also: OUT is one of the graph's files), 4 a file could not be read or written.",
	.examples = examples,
	.run = run};

/* ---- where the output goes ------------------------------------------------ */

typedef struct sink {
	const char *out;            /* -o, or "-" */
	bool folder;
	const kg_graph *g;          /* its files and sources are never written over */
	const char *part;           /* the part being written (folder) */
	char *path;                 /* its name */
	kg_file_writer *f;          /* the file being written (kgraph/file.h) */
	int err;                    /* errno of the first failure */
	bool refused;               /* a part would have overwritten an input */
} sink;

/* Finish the file being written: it takes its place whole, or not at all. */
static int sink_close(sink *s)
{
	kg_file_writer *f = s->f;

	s->f = NULL;
	if (!f)
		return 0;
	if (s->err) {
		kg_file_writer_abort(f);
		return -1;
	}
	if (kg_file_writer_commit(f) != KG_OK) {
		s->err = errno ? errno : EIO;
		return -1;
	}
	return 0;
}

/* Start writing path, as kgraph writes every output (kgraph/file.h): a
 * regular file through a temporary beside it, keeping its mode; a device
 * or FIFO in place. Never one of the graph's files or sources. */
static int sink_open(sink *s, const char *path)
{
	const char *name, *source;
	int rc;

	free(s->path);
	s->path = strdup(path);
	if (!s->path) {
		s->err = ENOMEM;
		return -1;
	}
	if (kg_cli_is_graph_file(s->g, path, &name, &source)) {
		s->refused = true;
		return -1;
	}
	if ((rc = kg_file_writer_open(&s->f, path)) != KG_OK) {
		s->err = rc == KG_ENOMEM ? ENOMEM : errno;
		return -1;
	}
	return 0;
}

static int sink_write(void *ctx, const char *part, const void *data, size_t len)
{
	sink *s = ctx;

	if (s->err || s->refused)
		return -1;
	if (strcmp(s->out, "-") == 0) {
		if (fwrite(data, 1, len, stdout) != len)
			return -1; /* kg_cli_finish_output reports it */
		return 0;
	}
	if (!s->f || (part && (!s->part || strcmp(part, s->part) != 0))) {
		char *path;
		int rc;
		if (sink_close(s) != 0)
			return -1;
		s->part = part;
		if (!part) {
			if (sink_open(s, s->out) != 0)
				return -1;
		} else {
			path = malloc(strlen(s->out) + strlen(part) + 2);
			if (!path) {
				s->err = ENOMEM;
				return -1;
			}
			sprintf(path, "%s/%s", s->out, part);
			rc = sink_open(s, path);
			free(path);
			if (rc)
				return -1;
		}
	}
	if (kg_file_writer_write(s->f, data, len) != KG_OK) {
		s->err = errno ? errno : EIO;
		return -1;
	}
	return 0;
}

/* ---- the command ---------------------------------------------------------- */

/* Print the library's diagnostics and turn its code into an exit code. */
static int report(int rc, kg_diag_list *diags)
{
	kg_cli_print_diags(stderr, diags, false);
	switch (rc) {
	case KG_OK: return EXIT_OK;
	case KG_EARG: return EXIT_USAGE;
	case KG_EINVALID: return EXIT_INVALID;
	case KG_ENOMEM: return kg_cli_out_of_memory();
	default: return EXIT_IO;
	}
}

/* Select with ro, export it as want says (its format, links and graph
 * name) to output (NULL: standard output). */
static int run_export(const kg_graph *g, const kg_render_options *ro, const char *output,
                      const kg_export_options *want)
{
	kg_export_options eo = *want;
	kg_render_selection sel;
	kg_diag_list *diags = kg_diag_list_new();
	sink s;
	int rc, code;

	memset(&s, 0, sizeof s);
	memset(&sel, 0, sizeof sel);
	if (!diags)
		return kg_cli_out_of_memory();
	s.out = output ? output : "-";
	s.folder = kg_export_format_is_folder(want->format);
	s.g = g;
	if (strcmp(s.out, "-") == 0 && s.folder) {
		code = kg_cli_usage_error("export: -T %s writes a folder of files: give it with -o FOLDER",
		                          kg_export_format_name(want->format));
		goto done;
	}
	if (!s.folder && (code = kg_cli_check_output(g, "export", s.out)) != EXIT_OK)
		goto done;
	if (s.folder && mkdir(s.out, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "kgraph: export: cannot create the folder %s: %s\n", s.out, strerror(errno));
		code = EXIT_IO;
		goto done;
	}
	rc = kg_render_select(&sel, g, ro, diags);
	if (rc == KG_OK && !sel.nentities && kg_graph_entity_count(g)) {
		kg_cli_print_diags(stderr, diags, false);
		fprintf(stderr, "kgraph: export: nothing selected: no entity passes the options\n");
		code = EXIT_NO_RESULT;
		goto done;
	}
	if (rc == KG_OK) {
		eo.selection = &sel;
		eo.write = sink_write;
		eo.write_ctx = &s;
		rc = kg_export(g, &eo, diags);
	}
	if (sink_close(&s) != 0 && rc == KG_OK)
		rc = KG_EIO;
	if (s.refused) {
		kg_cli_print_diags(stderr, diags, false);
		code = kg_cli_usage_error("export: %s is one of the graph's files or sources; it would be overwritten", s.path);
		goto done;
	}
	code = report(rc, diags);
	if (s.err)
		fprintf(stderr, "kgraph: export: cannot write %s: %s\n", s.path ? s.path : s.out, strerror(s.err));
	if (strcmp(s.out, "-") == 0)
		code = kg_cli_finish_output(code);
done:
	kg_file_writer_abort(s.f);
	free(s.path);
	kg_render_selection_free(&sel);
	kg_diag_list_free(diags);
	return code;
}

static int run(int argc, char **argv)
{
	kg_cli_query q;
	kg_cli_draw_args r; /* the selection: --focus, --depth, the filters */
	kg_cli_parser ps;
	kg_cli_arg a;
	bool has_format = false;
	kg_export_options want = KG_EXPORT_OPTIONS_INIT;
	kg_graph *g = NULL;
	int rc, code = EXIT_OK;

	kg_cli_draw_args_init(&r);
	if (!kg_cli_query_init(&q, "export", argc)) {
		code = kg_cli_out_of_memory();
		goto done;
	}
	kg_cli_parser_init(&ps, &kg_cli_export_command, argc, argv);
	while ((rc = kg_cli_next(&ps, &a, &code)) > 0) {
		if (a.opt && a.opt->key == KG_OPT_T) {
			want.format = (kg_export_format)a.choice;
			has_format = true;
		} else if (a.opt && a.opt->key == KG_OPT_LINKS)
			want.links = true;
		else if (a.opt && a.opt->key == KG_OPT_GRAPH)
			want.graph_name = a.value;
		else if ((code = kg_cli_query_take(&q, &a)) == KG_CLI_PASS)
			code = kg_cli_draw_take(&r, &a);
		if (code != EXIT_OK)
			goto done;
	}
	if (rc < 0)
		goto done;
	if (q.nargs < 1) {
		code = kg_cli_usage_error("export: no FILE given (see 'kgraph export --help')");
		goto done;
	}
	if (!has_format) {
		code = kg_cli_usage_error("export: say which format: -T json, graphml, gexf, csv, yaml, neo4j, cypher, "
		                          "ttl, ftm or sql");
		goto done;
	}
	if (want.links && want.format != KG_EXPORT_JSON) {
		code = kg_cli_usage_error("export: --links is for -T json");
		goto done;
	}
	if ((code = kg_cli_load(&g, q.args, q.nargs, q.include_paths, q.ninclude_paths)) != EXIT_OK || (code = kg_cli_query_resolve(&q, g)) != EXIT_OK ||
	    (code = kg_cli_draw_select(&r, g, &q)) != EXIT_OK)
		goto done;
	code = run_export(g, &r.ro, r.output, &want);
done:
	kg_cli_draw_args_free(&r);
	kg_graph_free(g);
	kg_cli_query_free(&q);
	return code;
}
