/*
 * cmd_compile.c - `kgraph compile FILE... -o SNAPSHOT`: load graph files
 * once and write them as a snapshot, which every command then opens in
 * place instead of reading the YAML again (include/kgraph/snapshot.h).
 *
 * With --fresh it compiles only when the snapshot is missing, was compiled
 * from other files, or one of its source files changed; without FILE it
 * takes the files the snapshot was compiled from.
 */
#define _XOPEN_SOURCE 700
#include "options.h"
#include "print.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const kg_cli_option opt_output = {.key = KG_OPT_OUTPUT, .name = "--output", .short_name = 'o',
	.arg = "SNAPSHOT", .kind = KG_CLI_FILE, .help = "write the snapshot to SNAPSHOT (required)"};
static const kg_cli_option opt_fresh = {.key = KG_OPT_FRESH, .name = "--fresh",
	.help = "compile only when SNAPSHOT is missing, was compiled from\nother files, or one of its files changed; "
	        "without FILE,\nfrom the files SNAPSHOT was compiled from"};

static const kg_cli_option *const options[] = {&opt_output, &opt_fresh, &kg_cli_opt_help, NULL};
static const kg_cli_group groups[] = {{"Options", options}, {NULL, NULL}};
static const char *const examples[] = {
	"kgraph compile graphs/ukraine-long-range-strikes-2024.yaml -o /tmp/ukraine.kgs",
	"kgraph compile --fresh -o /tmp/ukraine.kgs",
	NULL};

static int run(int argc, char **argv);

const kg_cli_command kg_cli_compile_command = {
	.name = "compile",
	.summary = "load graph files once into a snapshot that opens instantly",
	.usage = "[OPTIONS] FILE... -o SNAPSHOT",
	.description =
		"Load graph files (with their includes, as check does) and write the graph\n"
		"to SNAPSHOT, a file every command accepts in place of the YAML and opens\n"
		"without parsing: the same answers, in milliseconds on any size. A snapshot\n"
		"is recognised by its content, whatever its name; it remembers its source\n"
		"files, and a command warns when one changed since it was compiled.\n"
		"A command checks the parts of a snapshot it reads as it reads them, and\n"
		"exits 2 after its answer when one is damaged; 'kgraph check SNAPSHOT'\n"
		"checks every part and verifies its checksums.",
	.groups = groups,
	.exit_status = "0 written (or up to date), 2 invalid input, 3 usage error,\n4 a file could not be read or written.",
	.examples = examples,
	.run = run};

/* Are the snapshot's recorded inputs the files named (as absolute paths)? */
static bool same_inputs(const kg_graph *snap, const char *const *files, size_t nfiles)
{
	size_t i;

	if (kg_snapshot_input_count(snap) != nfiles)
		return false;
	for (i = 0; i < nfiles; i++) {
		char *abs = realpath(files[i], NULL);
		bool same = abs && strcmp(abs, kg_snapshot_input(snap, i)) == 0;
		free(abs);
		if (!same)
			return false;
	}
	return true;
}

/* --fresh: is output a snapshot of files (its own inputs when nfiles is
 * 0) with none of its source files changed? Sets *inputs to a copy of
 * its inputs when nfiles is 0. Returns an exit code, or -1 to compile. */
static int fresh(const char *output, const char *const *files, size_t nfiles, char ***inputs, size_t *ninputs)
{
	kg_snapshot_options so = KG_SNAPSHOT_OPTIONS_INIT;
	kg_graph *snap = NULL;
	int code = -1;
	size_t i;

	if (!kg_snapshot_sniff(output) || kg_snapshot_open(&snap, output, &so, NULL) != KG_OK) {
		if (!nfiles)
			code = kg_cli_usage_error("compile: --fresh without FILE needs SNAPSHOT to be a snapshot, and %s "
			                          "is not one", output);
		goto done;
	}
	if (!nfiles) {
		*ninputs = kg_snapshot_input_count(snap);
		*inputs = calloc(*ninputs + 1, sizeof **inputs);
		for (i = 0; *inputs && i < *ninputs; i++)
			if (!((*inputs)[i] = strdup(kg_snapshot_input(snap, i))))
				break;
		if (!*inputs || i < *ninputs)
			code = kg_cli_out_of_memory();
		else if (!*ninputs)
			code = kg_cli_usage_error("compile: %s records no files it was compiled from; name them", output);
		else if (kg_snapshot_stale(snap, NULL) == 0)
			code = EXIT_OK;
	} else if (same_inputs(snap, files, nfiles) && kg_snapshot_stale(snap, NULL) == 0) {
		code = EXIT_OK;
	}
done:
	kg_graph_free(snap);
	return code;
}

static int run(int argc, char **argv)
{
	const char **files = calloc((size_t)argc + 1, sizeof *files);
	const char *output = NULL;
	char **inputs = NULL;
	size_t nfiles = 0, ninputs = 0, i, errors;
	bool want_fresh = false;
	kg_load_options opts = KG_LOAD_OPTIONS_INIT;
	kg_snapshot_options so = KG_SNAPSHOT_OPTIONS_INIT;
	kg_cli_progress progress;
	kg_diag_list *diags = NULL;
	kg_graph *g = NULL;
	kg_cli_parser ps;
	kg_cli_arg a;
	int r, rc, code = EXIT_OK;

	if (!files)
		return kg_cli_out_of_memory();
	kg_cli_parser_init(&ps, &kg_cli_compile_command, argc, argv);
	while ((r = kg_cli_next(&ps, &a, &code)) > 0) {
		if (!a.opt)
			files[nfiles++] = a.value;
		else if (a.opt->key == KG_OPT_OUTPUT)
			output = a.value;
		else if (a.opt->key == KG_OPT_FRESH)
			want_fresh = true;
	}
	if (r < 0)
		goto done;
	if (!output || strcmp(output, "-") == 0) {
		code = kg_cli_usage_error("compile: -o SNAPSHOT names the file to write (a file, not standard output)");
		goto done;
	}
	if (!nfiles && !want_fresh) {
		code = kg_cli_usage_error("compile: no FILE given (see 'kgraph compile --help')");
		goto done;
	}
	for (i = 0; i < nfiles; i++)
		if (kg_snapshot_sniff(files[i])) {
			code = kg_cli_usage_error("compile: %s is a snapshot already; compile the YAML files", files[i]);
			goto done;
		}
	if (want_fresh && (code = fresh(output, files, nfiles, &inputs, &ninputs)) != -1)
		goto done;
	code = EXIT_OK;
	if (inputs) {
		for (i = 0; i < ninputs; i++)
			files[i] = inputs[i];
		nfiles = ninputs;
	}
	if (!(diags = kg_diag_list_new())) {
		code = kg_cli_out_of_memory();
		goto done;
	}
	kg_cli_load_options(&opts, &progress);
	rc = kg_load_files(&g, files, nfiles, &opts, diags);
	/* Errors only, as the query commands show them; the warnings go into
	 * the snapshot, for check. */
	kg_cli_print_diags(stderr, diags, true);
	errors = kg_diag_list_count_severity(diags, KG_SEV_ERROR);
	if (errors)
		fprintf(stderr, "kgraph: %zu error%s\n", errors, errors == 1 ? "" : "s");
	if (rc == KG_OK) {
		kg_diag_list *wd = kg_diag_list_new();
		so.inputs = files;
		so.ninputs = nfiles;
		so.diags = diags;
		rc = wd ? kg_snapshot_write(g, output, &so, wd) : KG_ENOMEM;
		if (wd)
			kg_cli_print_diags(stderr, wd, false);
		kg_diag_list_free(wd);
	}
	switch (rc) {
	case KG_OK: break;
	case KG_EIO: code = EXIT_IO; break;
	case KG_ENOMEM: code = kg_cli_out_of_memory(); break;
	default: code = EXIT_INVALID; break;
	}
done:
	for (i = 0; inputs && i < ninputs; i++)
		free(inputs[i]);
	free(inputs);
	free(files);
	kg_graph_free(g);
	kg_diag_list_free(diags);
	return code;
}
