/*
 * cmd_export.c - `kgraph export -T FORMAT FILE... [-o OUT]`: the graph, or
 * the part a drawing with the same options would show, in a format other
 * tools read (kgraph/export.h does the writing; docs/interop.md).
 *
 * The command turns options into a render selection and an export, and
 * streams the output: to standard output, or to a file (or, for csv and
 * neo4j, to each file of a folder) through a temporary beside it that is
 * renamed into place when that file is complete, so a failed export never
 * leaves a half-written file under the final name. It never writes over
 * one of the graph's files, named or included (exit 3).
 *
 * (Self-contained until the one-file-per-command option tables land; it
 * reuses render's option parsing for -o, --focus and --depth.)
 */
#define _POSIX_C_SOURCE 200809L
#include "render_cmd.h"
#include "print.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char kg_cli_export_help[] =
	"Usage: kgraph export -T FORMAT [OPTIONS] FILE... [-o OUT]\n"
	"\n"
	"Write the graph, or part of it, for another tool (docs/interop.md says what\n"
	"each format carries and loses):\n"
	"  json     NetworkX node-link JSON (nx.node_link_graph), d3\n"
	"  graphml  Gephi, yEd, Cytoscape, NetworkX, igraph\n"
	"  gexf     Gephi (GEXF 1.3, dynamic: dates on its timeline)\n"
	"  csv      a folder: entities.csv, relations.csv, sources.csv\n"
	"  yaml     kgraph's own format: one file, e.g. a part, or files merged\n"
	"  neo4j    a folder of CSV files for neo4j-admin, and import.sh\n"
	"  cypher   Cypher statements for cypher-shell\n"
	"  ttl      RDF Turtle, each relation's source and quote as PROV-O\n"
	"  ftm      FollowTheMoney entities (JSON lines) for Aleph and ftm tools\n"
	"\n"
	"Output:\n"
	"  -T FORMAT              one of the formats above\n"
	"  -o, --output OUT       the file to write, or for csv and neo4j the folder\n"
	"                         (created if needed); '-' or none: standard output\n"
	"      --links            json: name the edge list \"links\", as NetworkX\n"
	"                         before 3.6 and d3 expect (default \"edges\")\n"
	"\n"
	"What to export (as for 'kgraph render'; combine freely):\n"
	"      --focus ENTITY,... only these entities and their neighbourhood\n"
	"      --depth N          ... within N relations (default 1)\n"
	"      --type TYPE,...    only entities of these types\n"
	"      --rel TYPE,...     only relations of these types\n"
	"      --exclude-rel TYPE,...  no relations of these types\n"
	"      --as-of DATE       only relations valid on DATE (since/until)\n"
	"  -h, --help             show this help\n"
	"\n"
	"Exit status: 0 written, 1 nothing selected, 2 invalid input, 3 usage error\n"
	"(also: OUT is one of the graph's files), 4 a file could not be read or written.\n"
	"\n"
	"Examples:\n"
	"  kgraph export -T json graphs/ukraine-long-range-strikes-2024.yaml\n"
	"  kgraph export -T yaml --focus biden --depth 1 graphs/ukraine-long-range-strikes-2024.yaml\n";

typedef struct export_args {
	kg_cli_render_args r; /* -o, --focus, --depth and the selection */
	bool links;
} export_args;

/* Our options: -T and --links here; -o, --focus and --depth as render
 * reads them; render's drawing options are not taken. */
static int export_arg(void *ctx, kg_cli_query *q, int argc, char **argv, int *i, int *code)
{
	export_args *x = ctx;
	const char *a = argv[*i];

	*code = EXIT_OK;
	if (strcmp(a, "--links") == 0) {
		x->links = true;
		return 1;
	}
	if (strcmp(a, "-T") == 0 || (a[0] == '-' && a[1] == 'T' && a[2]) || strcmp(a, "-o") == 0 ||
	    strncmp(a, "--output", 8) == 0 || strncmp(a, "--focus", 7) == 0 || strncmp(a, "--depth", 7) == 0)
		return kg_cli_render_arg(&x->r, q, argc, argv, i, code);
	return 0;
}

/* ---- where the output goes ------------------------------------------------ */

typedef struct sink {
	const char *out;            /* -o, or "-" */
	bool folder;
	const char *const *inputs;  /* the graph's files, never written over */
	size_t ninputs;
	const char *part;           /* the part being written (folder) */
	char *path, *tmp;           /* its final and temporary names */
	FILE *f;
	int err;                    /* errno of the first failure */
	bool refused;               /* a part would have overwritten an input */
} sink;

/* Close the file being written and rename it into place. */
static int sink_close(sink *s)
{
	int rc = 0;

	if (!s->f)
		return 0;
	if (fclose(s->f) != 0 && !s->err)
		s->err = errno ? errno : EIO;
	s->f = NULL;
	if (!s->err && rename(s->tmp, s->path) != 0)
		s->err = errno;
	if (s->err) {
		unlink(s->tmp);
		rc = -1;
	}
	free(s->tmp);
	s->tmp = NULL;
	return rc;
}

/* Open a temporary beside path, created exclusively (0666 less umask). */
static int sink_open(sink *s, const char *path)
{
	size_t n = strlen(path) + 40;
	unsigned attempt;
	int fd = -1;

	free(s->path);
	s->path = strdup(path);
	s->tmp = malloc(n);
	if (!s->path || !s->tmp) {
		s->err = ENOMEM;
		return -1;
	}
	if (kg_cli_is_input(path, s->inputs, s->ninputs)) {
		s->refused = true;
		return -1;
	}
	for (attempt = 0; attempt < 100; attempt++) {
		snprintf(s->tmp, n, "%s.tmp-%ld-%u", path, (long)getpid(), attempt);
		fd = open(s->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0 || !(s->f = fdopen(fd, "w"))) {
		s->err = errno;
		if (fd >= 0) {
			close(fd);
			unlink(s->tmp);
		}
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
	if (fwrite(data, 1, len, s->f) != len) {
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

static int run_export(const kg_graph *g, export_args *x, kg_export_format format)
{
	kg_export_options eo = KG_EXPORT_OPTIONS_INIT;
	kg_render_selection sel;
	kg_diag_list *diags = kg_diag_list_new();
	const char **files = NULL;
	size_t nfiles = kg_graph_file_count(g), i;
	sink s;
	int rc, code;

	memset(&s, 0, sizeof s);
	memset(&sel, 0, sizeof sel);
	files = malloc((nfiles ? nfiles : 1) * sizeof *files);
	if (!diags || !files) {
		kg_diag_list_free(diags);
		free(files);
		return kg_cli_out_of_memory();
	}
	for (i = 0; i < nfiles; i++)
		files[i] = kg_graph_file(g, i);
	s.out = x->r.output ? x->r.output : "-";
	s.folder = kg_export_format_is_folder(format);
	s.inputs = files;
	s.ninputs = nfiles;
	if (strcmp(s.out, "-") == 0 && s.folder) {
		code = kg_cli_usage_error("export: -T %s writes a folder of files: give it with -o FOLDER",
		                          kg_export_format_name(format));
		goto done;
	}
	if (strcmp(s.out, "-") != 0 && !s.folder && kg_cli_is_input(s.out, files, nfiles)) {
		code = kg_cli_usage_error("export: -o %s is one of the graph's files; it would be overwritten", s.out);
		goto done;
	}
	if (s.folder && mkdir(s.out, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "kgraph: export: cannot create the folder %s: %s\n", s.out, strerror(errno));
		code = EXIT_IO;
		goto done;
	}
	rc = kg_render_select(&sel, g, &x->r.ro, diags);
	if (rc == KG_OK && !sel.nentities && kg_graph_entity_count(g)) {
		kg_cli_print_diags(stderr, diags, false);
		fprintf(stderr, "kgraph: export: nothing selected: no entity passes the options\n");
		code = EXIT_NO_RESULT;
		goto done;
	}
	if (rc == KG_OK) {
		eo.format = format;
		eo.selection = &sel;
		eo.links = x->links;
		eo.write = sink_write;
		eo.write_ctx = &s;
		rc = kg_export(g, &eo, diags);
	}
	if (sink_close(&s) != 0 && rc == KG_OK)
		rc = KG_EIO;
	if (s.refused) {
		kg_cli_print_diags(stderr, diags, false);
		code = kg_cli_usage_error("export: %s is one of the graph's files; it would be overwritten", s.path);
		goto done;
	}
	code = report(rc, diags);
	if (s.err)
		fprintf(stderr, "kgraph: export: cannot write %s: %s\n", s.path ? s.path : s.out, strerror(s.err));
	if (strcmp(s.out, "-") == 0)
		code = kg_cli_finish_output(code);
done:
	if (s.f) {
		fclose(s.f);
		unlink(s.tmp);
	}
	free(s.tmp);
	free(s.path);
	free(files);
	kg_render_selection_free(&sel);
	kg_diag_list_free(diags);
	return code;
}

int kg_cli_cmd_export(int argc, char **argv)
{
	kg_cli_query q;
	export_args x;
	kg_export_format format = KG_EXPORT_JSON;
	kg_graph *g = NULL;
	int code = EXIT_OK;

	memset(&x, 0, sizeof x);
	kg_cli_render_args_init(&x.r, true);
	if (!kg_cli_query_init(&q, "export", kg_cli_export_help, KG_CLI_OPT_FILTERS | KG_CLI_OPT_LIST, argc)) {
		code = kg_cli_out_of_memory();
		goto done;
	}
	if (kg_cli_query_parse(&q, argc, argv, export_arg, &x, NULL, NULL, &code) < 0)
		goto done;
	if (q.nargs < 1) {
		code = kg_cli_usage_error("export: no FILE given (see 'kgraph export --help')");
		goto done;
	}
	if (q.relations) {
		code = kg_cli_usage_error("export: --relations is for 'kgraph list'");
		goto done;
	}
	if (!x.r.format_name) {
		code = kg_cli_usage_error("export: say which format: -T json, graphml, gexf, csv, yaml, neo4j, cypher, "
		                          "ttl or ftm");
		goto done;
	}
	if (kg_export_format_from_name(&format, x.r.format_name) != KG_OK) {
		code = kg_cli_usage_error("export: -T takes json, graphml, gexf, csv, yaml, neo4j, cypher, ttl or ftm, "
		                          "not '%s'", x.r.format_name);
		goto done;
	}
	if (x.links && format != KG_EXPORT_JSON) {
		code = kg_cli_usage_error("export: --links is for -T json");
		goto done;
	}
	if ((code = kg_cli_load(&g, q.args, q.nargs)) != EXIT_OK || (code = kg_cli_query_resolve(&q, g)) != EXIT_OK ||
	    (code = kg_cli_render_resolve_focus(&x.r, g)) != EXIT_OK)
		goto done;
	x.r.ro.filter = q.filter;
	x.r.ro.types = q.type_ids;
	x.r.ro.ntypes = q.ntype_ids;
	code = run_export(g, &x, format);
done:
	kg_cli_render_args_free(&x.r);
	kg_graph_free(g);
	kg_cli_query_free(&q);
	return code;
}
