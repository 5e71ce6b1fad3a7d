/*
 * kgraph.c - the kgraph command: dispatch, help, and `check`. The query
 * commands (path, neighbors, show, list) are in paths.c, neighbors.c and
 * show.c. Pipeline position: cli, on top of the public API only.
 *
 * Exit codes (also in --help and the README):
 *   0 ok, 1 no result, 2 invalid input data, 3 usage error,
 *   4 I/O or rendering failure.
 * Results go to stdout, diagnostics to stderr; stdout is checked for write
 * errors before exiting.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "render_cmd.h"
#include "print.h"

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char main_help[] =
	"Usage: kgraph COMMAND [OPTIONS] FILE...\n"
	"\n"
	"Build knowledge graphs from YAML files and ask them questions.\n"
	"\n"
	"Commands:\n"
	"  check      load and validate graph files, and summarise them\n"
	"  path       how two entities are connected: the shortest paths between them\n"
	"  neighbors  the entities within a few relations of one entity\n"
	"  show       one entity: its names, attributes and relations\n"
	"  list       the entities (or, with --relations, the relations)\n"
	"  match      pattern questions in a subset of Cypher (MATCH ... RETURN)\n"
	"  render     draw the graph, or part of it, as SVG, PNG, PDF or DOT\n"
	"  help       show the help of a command\n"
	"\n"
	"Options:\n"
	"  -h, --help     show this help\n"
	"  --version      show the version\n"
	"\n"
	"A FILE of '-' is standard input. 'kgraph help COMMAND' or\n"
	"'kgraph COMMAND --help' shows a command's options.\n"
	"\n"
	"Exit status:\n"
	"  0  success\n"
	"  1  no result (nothing matched)\n"
	"  2  invalid input data (the diagnostics say where)\n"
	"  3  usage error\n"
	"  4  input/output or rendering failure\n"
	"\n"
	"Environment:\n"
	"  NO_COLOR             no colour on a terminal unless --color always\n"
	"  KGRAPH_PARSE_THREAD  auto (default), on or off: parse the YAML of a large\n"
	"                       file (2 MiB or more) in a second thread, which\n"
	"                       overlaps the rest of loading when the process may\n"
	"                       use 2 or more CPUs; the result is the same either way\n"
	"\n"
	"Examples:\n"
	"  kgraph check graphs/ukraine-long-range-strikes-2024.yaml\n"
	"  kgraph path biden zelenskyy graphs/ukraine-long-range-strikes-2024.yaml\n"
	"  kgraph neighbors atacms graphs/ukraine-long-range-strikes-2024.yaml\n"
	"  kgraph show 'Keir Starmer' graphs/ukraine-long-range-strikes-2024.yaml\n"
	"  kgraph list --type person graphs/ukraine-long-range-strikes-2024.yaml\n";

static const char check_help[] =
	"Usage: kgraph check [OPTIONS] FILE...\n"
	"\n"
	"Load graph files (merged into one graph, with their includes), report every\n"
	"error and warning as FILE:LINE:COLUMN, and print a summary: entities by type,\n"
	"relations by type, sources.\n"
	"\n"
	"Warnings (the graph is still valid): an entity with no relations, a source\n"
	"that no relation cites, a relation type used once whose name is close to\n"
	"another's, an attribute key one letter from a key with a meaning.\n"
	"\n"
	"Options:\n"
	"  -q, --quiet           print errors only: no summary, no warnings\n"
	"      --timing          also print how long parsing, building and indexing took\n"
	"      --quotes          check that every quote: occurs word for word (white\n"
	"                        space folded; '...' marks omitted words) in the text\n"
	"                        of the source it cites (the source's file:)\n"
	"      --source ID=FILE  take source ID's text from FILE (implies --quotes);\n"
	"                        may be repeated\n"
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 valid, 2 invalid, 3 usage error, 4 a file could not be read.\n"
	"\n"
	"Examples:\n"
	"  kgraph check graphs/ukraine-long-range-strikes-2024.yaml\n"
	"  kgraph check -q examples/multi-file/main.yaml\n"
	"  kgraph check --quotes examples/council.yaml\n"
	"  kgraph check --source memo=examples/council-memo.txt examples/council.yaml\n";

static const char help_help[] =
	"Usage: kgraph help [COMMAND]\n"
	"\n"
	"Show the help of COMMAND, or kgraph's help.\n";

/* ---- check --------------------------------------------------------- */

typedef struct count {
	const char *name;
	size_t n;
} count;

static int cmp_count(const void *a, const void *b)
{
	const count *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Name and count pairs, most frequent first, then by name. */
static void print_counts(count *c, size_t n, int width)
{
	size_t i;

	qsort(c, n, sizeof *c, cmp_count);
	for (i = 0; i < n; i++)
		if (c[i].n)
			printf("  %-*s  %zu\n", width, c[i].name, c[i].n);
}

static int print_summary(const kg_graph *g)
{
	size_t nt = kg_graph_type_count(g), nrt = kg_graph_relation_type_count(g);
	size_t ne = kg_graph_entity_count(g), nr = kg_graph_relation_count(g);
	size_t ns = kg_graph_source_count(g), i, files = kg_graph_file_count(g), width = 8;
	count *types = calloc(nt ? nt : 1, sizeof *types);
	count *rel = calloc(nrt ? nrt : 1, sizeof *rel);

	if (!types || !rel) {
		free(types);
		free(rel);
		fputs("kgraph: out of memory\n", stderr);
		return EXIT_IO;
	}
	for (i = 0; i < nt; i++)
		types[i].name = kg_type_name(g, (uint32_t)i);
	for (i = 0; i < ne; i++)
		types[kg_entity_type(g, (uint32_t)i)].n++;
	for (i = 0; i < nrt; i++) {
		rel[i].name = kg_relation_type_name(g, (uint32_t)i);
		rel[i].n = kg_relation_type_use_count(g, (uint32_t)i);
	}
	for (i = 0; i < nt; i++)
		if (types[i].n && strlen(types[i].name) > width)
			width = strlen(types[i].name);
	for (i = 0; i < nrt; i++)
		if (rel[i].n && strlen(rel[i].name) > width)
			width = strlen(rel[i].name);
	for (i = 0; i < ns; i++)
		if (strlen(kg_source_id(g, (uint32_t)i)) > width)
			width = strlen(kg_source_id(g, (uint32_t)i));

	printf("valid: %zu file%s\n", files, files == 1 ? "" : "s");
	if (kg_graph_title(g))
		printf("title: %s\n", kg_graph_title(g));
	printf("entities: %zu\n", ne);
	print_counts(types, nt, (int)width);
	printf("relations: %zu\n", nr);
	print_counts(rel, nrt, (int)width);
	printf("sources: %zu\n", ns);
	for (i = 0; i < ns; i++) {
		size_t c = kg_source_cite_count(g, (uint32_t)i);
		printf("  %-*s  cited by %zu relation%s\n", (int)width, kg_source_id(g, (uint32_t)i), c,
		       c == 1 ? "" : "s");
	}
	free(types);
	free(rel);
	return EXIT_OK;
}

static void print_totals(const kg_diag_list *diags, bool quiet)
{
	size_t e = kg_diag_list_count_severity(diags, KG_SEV_ERROR);
	size_t w = kg_diag_list_count_severity(diags, KG_SEV_WARNING);

	if (quiet) {
		if (e)
			fprintf(stderr, "kgraph: %zu error%s\n", e, e == 1 ? "" : "s");
	} else if (e || w)
		fprintf(stderr, "kgraph: %zu error%s, %zu warning%s\n", e, e == 1 ? "" : "s", w, w == 1 ? "" : "s");
}

static int cmd_check(int argc, char **argv)
{
	bool quiet = false, timing = false, quotes = false;
	const char **files = calloc((size_t)argc + 1, sizeof *files);
	kg_source_text *texts = calloc((size_t)argc + 1, sizeof *texts);
	size_t nfiles = 0, ntexts = 0;
	kg_load_options opts = KG_LOAD_OPTIONS_INIT;
	kg_load_stats stats;
	kg_cli_progress progress;
	kg_diag_list *diags = NULL;
	kg_graph *g = NULL;
	bool options_done = false;
	int i, rc, code = EXIT_OK, stdin_used = 0;

	if (!files || !texts) {
		fputs("kgraph: out of memory\n", stderr);
		code = EXIT_IO;
		goto done;
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		int m;
		if (options_done || a[0] != '-' || strcmp(a, "-") == 0) {
			if (strcmp(a, "-") == 0 && stdin_used++) {
				code = kg_cli_usage_error("check: standard input ('-') can be read only once");
				goto done;
			}
			files[nfiles++] = a;
		} else if (strcmp(a, "--") == 0) {
			options_done = true;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(check_help, stdout);
			code = kg_cli_finish_output(EXIT_OK);
			goto done;
		} else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			quiet = true;
		} else if (strcmp(a, "--timing") == 0) {
			timing = true;
		} else if (strcmp(a, "--quotes") == 0) {
			quotes = true;
		} else if ((m = kg_cli_long_opt(argc, argv, &i, "--source", &v)) != 0) {
			const char *eq = m > 0 ? strchr(v, '=') : NULL;
			if (!eq || eq == v || !eq[1]) {
				code = kg_cli_usage_error("check: --source takes ID=FILE, e.g. --source memo=examples/council-memo.txt");
				goto done;
			}
			texts[ntexts].source = strndup(v, (size_t)(eq - v));
			texts[ntexts].file = eq + 1;
			if (!texts[ntexts].source) {
				fputs("kgraph: out of memory\n", stderr);
				code = EXIT_IO;
				goto done;
			}
			ntexts++;
			quotes = true;
		} else {
			code = kg_cli_usage_error("check: unknown option '%s' (see 'kgraph check --help')", a);
			goto done;
		}
	}
	if (!nfiles) {
		code = kg_cli_usage_error("check: no FILE given (see 'kgraph check --help')");
		goto done;
	}

	diags = kg_diag_list_new();
	if (!diags) {
		fputs("kgraph: out of memory\n", stderr);
		code = EXIT_IO;
		goto done;
	}
	if (timing)
		opts.stats = &stats;
	kg_cli_load_options(&opts, &progress);
	rc = kg_load_files(&g, files, nfiles, &opts, diags);
	for (i = 0; rc == KG_OK && (size_t)i < ntexts; i++) {
		if (kg_graph_find_source(g, texts[i].source) == KG_NONE) {
			kg_cli_print_diags(stderr, diags, quiet);
			code = kg_cli_usage_error("check: --source %s=%s: the graph has no source '%s'%s",
			                   texts[i].source, texts[i].file, texts[i].source,
			                   kg_graph_source_count(g) ? "" : " (it has none)");
			goto done;
		}
	}
	if (rc == KG_OK) {
		int warn_rc = kg_check_warnings(g, diags);
		int quote_rc = quotes ? kg_check_quotes(g, texts, ntexts, diags) : 0;
		if (warn_rc == KG_ENOMEM || quote_rc == KG_ENOMEM)
			rc = KG_ENOMEM;
		else if (quote_rc == KG_EIO)
			rc = KG_EIO;
		else if (kg_diag_list_count_severity(diags, KG_SEV_ERROR))
			rc = KG_EINVALID;
		/* The checks run after the files were read; show their lines too. */
		if (rc != KG_ENOMEM && kg_diag_list_read_source_lines(diags) == KG_ENOMEM)
			rc = KG_ENOMEM;
	}
	kg_cli_print_diags(stderr, diags, quiet);
	print_totals(diags, quiet);
	if (rc == KG_OK && !quiet)
		code = print_summary(g);
	if (rc == KG_OK && timing)
		printf("timing: parse %.3f ms, build %.3f ms, index %.3f ms (%zu bytes in %zu file%s)\n",
		       stats.parse * 1e3, stats.build * 1e3, stats.index * 1e3, stats.bytes, stats.files,
		       stats.files == 1 ? "" : "s");
	switch (rc) {
	case KG_OK: break;
	case KG_EIO: code = EXIT_IO; break;
	case KG_ENOMEM:
		fputs("kgraph: out of memory\n", stderr);
		code = EXIT_IO;
		break;
	default: code = EXIT_INVALID; break;
	}
	code = kg_cli_finish_output(code);
done:
	for (i = 0; texts && (size_t)i < ntexts; i++)
		free((char *)texts[i].source);
	free(texts);
	free(files);
	kg_graph_free(g);
	kg_diag_list_free(diags);
	return code;
}

/* ---- dispatch ------------------------------------------------------ */

typedef struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
} command;

static int cmd_help(int argc, char **argv);

static const command commands[] = {
	{"check", cmd_check, check_help},
	{"path", kg_cli_cmd_path, kg_cli_path_help},
	{"neighbors", kg_cli_cmd_neighbors, kg_cli_neighbors_help},
	{"show", kg_cli_cmd_show, kg_cli_show_help},
	{"list", kg_cli_cmd_list, kg_cli_list_help},
	{"match", kg_cli_cmd_match, kg_cli_match_help},
	{"render", kg_cli_cmd_render, kg_cli_render_help},
	{"help", cmd_help, help_help},
};

static const command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof commands / sizeof *commands; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static int unknown_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof commands / sizeof *commands; i++) {
		size_t a = strlen(name), b = strlen(commands[i].name);
		if ((a > b ? a - b : b - a) <= 2 && strncmp(name, commands[i].name, 2) == 0)
			return kg_cli_usage_error("unknown command '%s'; did you mean '%s'? (see 'kgraph --help')", name,
			                   commands[i].name);
	}
	return kg_cli_usage_error("unknown command '%s' (see 'kgraph --help')", name);
}

static int cmd_help(int argc, char **argv)
{
	const command *c;

	if (argc < 2) {
		fputs(main_help, stdout);
		return kg_cli_finish_output(EXIT_OK);
	}
	c = find_command(argv[1]);
	if (!c)
		return unknown_command(argv[1]);
	fputs(c->help, stdout);
	return kg_cli_finish_output(EXIT_OK);
}

int main(int argc, char **argv)
{
	const command *c;

	/* A reader that goes away (`kgraph list ... | head -1`) makes writes
	 * fail with EPIPE, which kg_cli_finish_output treats quietly, instead
	 * of killing the process. */
	signal(SIGPIPE, SIG_IGN);
	/* stderr is unbuffered by default: every fputc() of a diagnostic's
	 * caret line was a write(2) of its own, some 30 per diagnostic, and a
	 * file with 100,000 warnings took 20 s to report. A line at a time
	 * keeps messages in order with stdout on a terminal and is ten times
	 * faster; the progress line, which has no newline, flushes itself. */
	setvbuf(stderr, NULL, _IOLBF, BUFSIZ);
	if (argc < 2) {
		fputs(main_help, stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		fputs(main_help, stdout);
		return kg_cli_finish_output(EXIT_OK);
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("kgraph %s\n", kg_version());
		return kg_cli_finish_output(EXIT_OK);
	}
	if (argv[1][0] == '-')
		return kg_cli_usage_error("unknown option '%s' (see 'kgraph --help')", argv[1]);
	c = find_command(argv[1]);
	if (!c)
		return unknown_command(argv[1]);
	return c->run(argc - 1, argv + 1);
}
