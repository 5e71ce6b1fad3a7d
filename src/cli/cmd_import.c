/*
 * cmd_import.c - `kgraph import -F FORMAT FILE... [-o graph.yaml]`: turn
 * another tool's files into a kgraph graph (kgraph/import.h), written as
 * kgraph YAML by the same writer as `kgraph export -T yaml`, so that
 * `kgraph check` accepts it.
 *
 * Nothing is written unless the whole import succeeds: the output starts
 * only once the graph is built, and a file output goes through a
 * temporary renamed into place (kgraph/file.h). The output may not be
 * one of the inputs. A summary on standard error says what was imported
 * and what was left out, with counts.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "options.h"
#include "print.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* In kg_import_format's order, so that -F's choice is the format. */
static const char *const format_names[] = {"json", "csv", "ftm", "graphml", NULL};

static const kg_cli_option opt_f = {.key = KG_OPT_F, .short_name = 'F', .arg = "FORMAT", .kind = KG_CLI_CHOICE,
	.values = format_names, .nocase = true,
	.help = "json (node-link, as NetworkX and d3 write it,\nwith \"edges\" or \"links\"), csv (an entities table\nand a relations table), ftm (FollowTheMoney entities,\nJSON lines, from Aleph or OpenSanctions), graphml\n(NetworkX, Gephi, yEd, igraph)"};
static const kg_cli_option opt_output = {.key = KG_OPT_OUTPUT, .name = "--output", .short_name = 'o', .arg = "OUT",
	.kind = KG_CLI_FILE, .help = "the YAML file to write; '-' or none: standard output"};
static const kg_cli_option opt_default_type = {.key = KG_OPT_DEFAULT_TYPE, .name = "--default-type", .arg = "TYPE",
	.kind = KG_CLI_STRING, .help = "the type of a node that names none (default thing)"};
static const kg_cli_option opt_default_rel = {.key = KG_OPT_DEFAULT_REL_TYPE, .name = "--default-rel-type",
	.arg = "TYPE", .kind = KG_CLI_STRING,
	.help = "the type of an edge that names none (default\nrelated_to)"};

#define CSV_COLUMN(var, key_, name_, help_) \
	static const kg_cli_option var = {.key = key_, .name = name_, .arg = "COLUMN", .kind = KG_CLI_STRING, \
		.help = help_}
CSV_COLUMN(opt_id, KG_OPT_CSV_ID, "--id", "the entities' id column (default id)");
CSV_COLUMN(opt_type, KG_OPT_CSV_TYPE, "--type", "the entities' type column (default type)");
CSV_COLUMN(opt_name, KG_OPT_CSV_NAME, "--name", "the entities' name column (default name)");
CSV_COLUMN(opt_from, KG_OPT_CSV_FROM, "--from", "the relations' start column (default from)");
CSV_COLUMN(opt_to, KG_OPT_CSV_TO, "--to", "the relations' end column (default to)");
CSV_COLUMN(opt_rel_type, KG_OPT_CSV_REL_TYPE, "--rel-type", "the relations' type column (default type)");

static const kg_cli_option *const options[] = {&opt_f, &opt_output, &opt_default_type, &opt_default_rel,
	&kg_cli_opt_help, NULL};
static const kg_cli_option *const csv_options[] = {&opt_id, &opt_type, &opt_name, &opt_from, &opt_to,
	&opt_rel_type, NULL};
static const kg_cli_group groups[] = {
	{"Options", options},
	{"CSV columns (a table with the --from and --to columns holds relations;\n"
	 "sources.csv holds sources; any other, entities; other columns become attributes)", csv_options},
	{NULL, NULL}};
static const char *const examples[] = {
	"kgraph import -F json examples/import/board.json",
	"kgraph import -F csv --id Name --type Kind --from Person --to Company --rel-type Role "
	"examples/import/people.csv examples/import/roles.csv",
	NULL};

static int run(int argc, char **argv);

const kg_cli_command kg_cli_import_command = {
	.name = "import",
	.summary = "turn node-link JSON, CSV tables or FtM entities into a graph",
	.usage = "-F FORMAT FILE... [-o OUT]",
	.description =
		"Read other tools' files and write one kgraph graph (YAML) that 'kgraph check'\n"
		"accepts. Ids become kgraph ids (slugs; a taken one numbered -2, -3, ...),\n"
		"keeping the original in an original_id attribute; what has no place in\n"
		"kgraph is left out, with a warning and a count. docs/interop.md has the\n"
		"mapping of each format.",
	.groups = groups,
	.exit_status = "0 written, 2 invalid input (nothing written), 3 usage error (also: OUT\n"
	               "is one of the inputs), 4 a file could not be read or written.",
	.examples = examples,
	.run = run};

static const char *s_(size_t n)
{
	return n == 1 ? "" : "s";
}

static void summary(const kg_import_summary *s)
{
	fprintf(stderr,
	        "kgraph: import: %zu entit%s, %zu relation%s, %zu source%s, %zu type%s and %zu relation type%s "
	        "from %zu file%s\n",
	        s->entities, s->entities == 1 ? "y" : "ies", s->relations, s_(s->relations), s->sources,
	        s_(s->sources), s->types, s_(s->types), s->relation_types, s_(s->relation_types), s->files,
	        s_(s->files));
	if (s->renamed)
		fprintf(stderr, "kgraph: import: %zu id%s changed to kgraph ids (entities keep theirs as original_id)\n",
		        s->renamed, s_(s->renamed));
	if (s->left_attrs || s->left_values || s->left_fields)
		fprintf(stderr,
		        "kgraph: import: left out: %zu attribute%s with no kgraph form, %zu value%s kgraph cannot read, "
		        "%zu field%s with no kgraph meaning (d3's positions)\n",
		        s->left_attrs, s_(s->left_attrs), s->left_values, s_(s->left_values), s->left_fields,
		        s_(s->left_fields));
}

/* Whether path is the same file as one of the inputs. */
static bool is_input(const char *path, char **inputs, size_t n)
{
	struct stat out, in;
	size_t i;

	if (stat(path, &out) != 0)
		return false;
	for (i = 0; i < n; i++)
		if (strcmp(inputs[i], "-") != 0 && stat(inputs[i], &in) == 0 && in.st_dev == out.st_dev &&
		    in.st_ino == out.st_ino)
			return true;
	return false;
}

static int to_stdout(void *ctx, const char *part, const void *data, size_t len)
{
	(void)ctx;
	(void)part;
	return fwrite(data, 1, len, stdout) == len ? 0 : -1;
}

static int to_file(void *ctx, const char *part, const void *data, size_t len)
{
	(void)part;
	return kg_file_writer_write(ctx, data, len) == KG_OK ? 0 : -1;
}

/* Write g as kgraph YAML to output ("-": standard output). */
static int write_yaml(const kg_graph *g, const char *output, kg_diag_list *diags)
{
	kg_export_options eo = KG_EXPORT_OPTIONS_INIT;
	kg_file_writer *f = NULL;
	int rc;

	eo.format = KG_EXPORT_YAML;
	if (strcmp(output, "-") == 0) {
		eo.write = to_stdout;
		rc = kg_export(g, &eo, diags);
		kg_cli_print_diags(stderr, diags, false);
		return kg_cli_finish_output(rc == KG_OK ? EXIT_OK : rc == KG_ENOMEM ? kg_cli_out_of_memory() : EXIT_IO);
	}
	if ((rc = kg_file_writer_open(&f, output)) == KG_OK) {
		eo.write = to_file;
		eo.write_ctx = f;
		rc = kg_export(g, &eo, diags);
		if (rc == KG_OK)
			rc = kg_file_writer_commit(f);
		else
			kg_file_writer_abort(f);
	}
	kg_cli_print_diags(stderr, diags, false);
	if (rc == KG_ENOMEM)
		return kg_cli_out_of_memory();
	if (rc != KG_OK) {
		fprintf(stderr, "kgraph: import: cannot write %s: %s\n", output, strerror(errno ? errno : EIO));
		return EXIT_IO;
	}
	return EXIT_OK;
}

static int run(int argc, char **argv)
{
	kg_import_options io = KG_IMPORT_OPTIONS_INIT;
	kg_import_summary sum;
	kg_cli_parser ps;
	kg_cli_arg a;
	kg_diag_list *diags = kg_diag_list_new();
	kg_graph *g = NULL;
	char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
	const char *output = "-";
	size_t n = 0;
	bool has_format = false;
	int rc, code = EXIT_OK;

	if (!diags || !inputs) {
		code = kg_cli_out_of_memory();
		goto done;
	}
	kg_cli_parser_init(&ps, &kg_cli_import_command, argc, argv);
	while ((rc = kg_cli_next(&ps, &a, &code)) > 0) {
		if (!a.opt)
			inputs[n++] = (char *)a.value;
		else if (a.opt->key == KG_OPT_F) {
			io.format = (kg_import_format)a.choice;
			has_format = true;
		} else if (a.opt->key == KG_OPT_OUTPUT)
			output = a.value;
		else if (a.opt->key == KG_OPT_DEFAULT_TYPE)
			io.default_type = a.value;
		else if (a.opt->key == KG_OPT_DEFAULT_REL_TYPE)
			io.default_relation_type = a.value;
		else if (a.opt->key == KG_OPT_CSV_ID)
			io.csv_id = a.value;
		else if (a.opt->key == KG_OPT_CSV_TYPE)
			io.csv_type = a.value;
		else if (a.opt->key == KG_OPT_CSV_NAME)
			io.csv_name = a.value;
		else if (a.opt->key == KG_OPT_CSV_FROM)
			io.csv_from = a.value;
		else if (a.opt->key == KG_OPT_CSV_TO)
			io.csv_to = a.value;
		else if (a.opt->key == KG_OPT_CSV_REL_TYPE)
			io.csv_rel_type = a.value;
	}
	if (rc < 0)
		goto done;
	if (!n) {
		code = kg_cli_usage_error("import: no FILE given (see 'kgraph import --help')");
		goto done;
	}
	if (!has_format) {
		code = kg_cli_usage_error("import: say which format: -F json, csv, ftm or graphml");
		goto done;
	}
	if (strcmp(output, "-") != 0 && is_input(output, inputs, n)) {
		code = kg_cli_usage_error("import: %s is one of the inputs; it would be overwritten", output);
		goto done;
	}
	rc = kg_import_files(&g, &sum, (const char *const *)inputs, n, &io, diags);
	kg_diag_list_read_source_lines(diags);
	kg_cli_print_diags(stderr, diags, false);
	if (rc != KG_OK) {
		if (rc == KG_EINVALID)
			fprintf(stderr, "kgraph: import: nothing written: the input has errors\n");
		code = rc == KG_EINVALID ? EXIT_INVALID : rc == KG_ENOMEM ? kg_cli_out_of_memory()
		                                      : rc == KG_EARG ? EXIT_USAGE : EXIT_IO;
		goto done;
	}
	kg_diag_list_free(diags);
	if (!(diags = kg_diag_list_new())) {
		code = kg_cli_out_of_memory();
		goto done;
	}
	if ((code = write_yaml(g, output, diags)) == EXIT_OK)
		summary(&sum);
done:
	kg_graph_free(g);
	kg_diag_list_free(diags);
	free(inputs);
	return code;
}
