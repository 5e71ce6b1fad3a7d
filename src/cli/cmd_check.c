/*
 * cmd_check.c - `kgraph check FILE...`: load graph files, report every
 * error and warning as FILE:LINE:COLUMN, and summarise the graph.
 *
 * The summary goes to stdout, the diagnostics to stderr; -q keeps only
 * the errors. The quote check (--quotes, --source) runs after loading,
 * on the loaded graph.
 */
#define _POSIX_C_SOURCE 200809L
#include "options.h"
#include "print.h"
#include "cache.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const kg_cli_option opt_quiet = {.key = KG_OPT_QUIET, .name = "--quiet", .short_name = 'q',
	.help = "print errors only: no summary, no warnings"};
static const kg_cli_option opt_timing = {.key = KG_OPT_TIMING, .name = "--timing",
	.help = "also print how long parsing, building and\nindexing took"};
static const kg_cli_option opt_quotes = {.key = KG_OPT_QUOTES, .name = "--quotes",
	.help = "check that every quote: occurs word for word (white\nspace folded; '...' marks omitted words) in the text\n"
	        "of the source it cites (the source's file:); curly quotes,\ndashes, spaces and accents written another way are\nfound with a warning"};
static const kg_cli_option opt_source = {.key = KG_OPT_SOURCE, .name = "--source", .arg = "ID=FILE",
	.kind = KG_CLI_STRING, .help = "take source ID's text from FILE (implies --quotes);\nmay be repeated"};

static const kg_cli_option opt_unsourced = {.key = KG_OPT_UNSOURCED, .name = "--unsourced",
	.help = "list the relations that cite no source and give no\nquote: FILE:LINE, from, type, to"};

static const kg_cli_option *const options[] = {&opt_quiet, &opt_timing, &opt_quotes, &opt_source, &opt_unsourced,
	&kg_cli_opt_include_path, &kg_cli_opt_cache, &kg_cli_opt_help, NULL};
static const kg_cli_group groups[] = {{"Options", options}, {NULL, NULL}};
static const char *const examples[] = {
	"kgraph check graphs/ukraine-long-range-strikes-2024.yaml",
	"kgraph check -q examples/multi-file/main.yaml",
	"kgraph check --quotes examples/council.yaml",
	"kgraph check --unsourced examples/council.yaml",
	"kgraph check --source memo=examples/council-memo.txt examples/council.yaml",
	NULL};

static int run(int argc, char **argv);

const kg_cli_command kg_cli_check_command = {
	.name = "check",
	.summary = "load and validate graph files, and summarise them",
	.usage = "[OPTIONS] FILE...",
	.description =
		"Load graph files (merged into one graph, with their includes), report every\n"
		"error and warning as FILE:LINE:COLUMN, and print a summary: entities by type,\n"
		"relations by type, how many relations have no evidence (no source, no\n"
		"quote; --unsourced lists them), sources.\n"
		"\n"
		"Style keys of types and relation types are checked against the allowlist\n"
		"that render applies: a key render would refuse is an error here too.\n"
		"\n"
		"Warnings (the graph is still valid): an entity with no relations, a source\n"
		"that no relation cites, a relation type used once whose name is close to\n"
		"another's, an attribute key one letter from a key with a meaning.",
	.groups = groups,
	.exit_status = "0 valid, 2 invalid, 3 usage error, 4 a file could not be read.",
	.examples = examples,
	.run = run};

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

/* A relation with no evidence: it cites no source and quotes nothing. */
static bool unsourced(const kg_graph *g, uint32_t rel)
{
	return kg_relation_source(g, rel) == KG_NONE && !kg_relation_quote(g, rel);
}

static size_t unsourced_count(const kg_graph *g)
{
	size_t i, n = kg_graph_relation_count(g), c = 0;

	for (i = 0; i < n; i++)
		c += unsourced(g, (uint32_t)i);
	return c;
}

/* --unsourced: one line each, FILE:LINE then from, type, to, in file
 * order, so that an editor can jump to each. */
static void print_unsourced(const kg_graph *g)
{
	size_t i, n = kg_graph_relation_count(g);

	printf("unsourced relations:\n");
	for (i = 0; i < n; i++) {
		uint32_t r = (uint32_t)i;
		kg_location at = kg_relation_location(g, r);
		if (!unsourced(g, r))
			continue;
		fputs("  ", stdout);
		kg_cli_fput_text(stdout, at.file ? at.file : "-");
		printf(":%u  ", at.line);
		kg_cli_fput_text(stdout, kg_entity_id(g, kg_relation_from(g, r)));
		fputs("  ", stdout);
		kg_cli_fput_text(stdout, kg_relation_type_name(g, kg_relation_type(g, r)));
		fputs("  ", stdout);
		kg_cli_fput_text(stdout, kg_entity_id(g, kg_relation_to(g, r)));
		fputs("\n", stdout);
	}
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
	if (kg_graph_title(g)) {
		fputs("title: ", stdout);
		kg_cli_fput_text(stdout, kg_graph_title(g));
		fputs("\n", stdout);
	}
	printf("entities: %zu\n", ne);
	print_counts(types, nt, (int)width);
	printf("relations: %zu\n", nr);
	print_counts(rel, nrt, (int)width);
	i = unsourced_count(g);
	printf("unsourced: %zu relation%s without a source or quote\n", i, i == 1 ? "" : "s");
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

/* What --quotes checked: "quotes: 42 checked in 2 sources, all found". */
static void print_quote_counts(const kg_quote_counts *c)
{
	size_t missing = c->checked - c->found;

	printf("quotes: %zu checked in %zu source%s", c->checked, c->sources, c->sources == 1 ? "" : "s");
	if (!c->checked)
		;
	else if (!missing)
		printf(", %s found", c->checked == 1 ? "it was" : "all");
	else
		printf(", %zu not found", missing);
	if (c->typographic)
		printf(" (%zu only with typography folded)", c->typographic);
	if (c->unchecked)
		printf("; %zu could not be checked", c->unchecked);
	putchar('\n');
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

static int run(int argc, char **argv)
{
	bool quiet = false, timing = false, quotes = false, list_unsourced = false;
	const char **files = calloc((size_t)argc + 1, sizeof *files);
	const char **include_paths = calloc((size_t)argc + 1, sizeof *include_paths);
	kg_source_text *texts = calloc((size_t)argc + 1, sizeof *texts);
	size_t nfiles = 0, ntexts = 0, ninclude_paths = 0;
	kg_load_options opts = KG_LOAD_OPTIONS_INIT;
	kg_load_stats stats;
	kg_cli_progress progress;
	kg_diag_list *diags = NULL;
	kg_graph *g = NULL;
	kg_quote_counts qc = {0, 0, 0, 0, 0, 0};
	kg_cli_parser ps;
	kg_cli_arg a;
	int i, r, rc, code = EXIT_OK;

	if (!files || !texts || !include_paths) {
		fputs("kgraph: out of memory\n", stderr);
		code = EXIT_IO;
		goto done;
	}
	kg_cli_parser_init(&ps, &kg_cli_check_command, argc, argv);
	while ((r = kg_cli_next(&ps, &a, &code)) > 0) {
		const char *eq;
		if (!a.opt) {
			files[nfiles++] = a.value;
			continue;
		}
		switch (a.opt->key) {
		case KG_OPT_QUIET: quiet = true; break;
		case KG_OPT_TIMING: timing = true; break;
		case KG_OPT_INCLUDE_PATH: include_paths[ninclude_paths++] = a.value; break;
		case KG_OPT_CACHE: kg_cli_cache_dir = a.value; break;
		case KG_OPT_QUOTES: quotes = true; break;
		case KG_OPT_UNSOURCED: list_unsourced = true; break;
		case KG_OPT_SOURCE:
			eq = strchr(a.value, '=');
			if (!eq || eq == a.value || !eq[1]) {
				code = kg_cli_usage_error("check: --source takes ID=FILE, e.g. --source memo=examples/council-memo.txt");
				goto done;
			}
			texts[ntexts].source = strndup(a.value, (size_t)(eq - a.value));
			texts[ntexts].file = eq + 1;
			if (!texts[ntexts].source) {
				code = kg_cli_out_of_memory();
				goto done;
			}
			ntexts++;
			quotes = true;
			break;
		default: break;
		}
	}
	if (r < 0)
		goto done;
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
	opts.include_paths = include_paths;
	opts.include_path_count = ninclude_paths;
	rc = kg_cli_read_graph(&g, files, nfiles, &opts, diags, true);
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
		int style_rc = kg_check_styles(g, diags);
		int warn_rc = kg_check_warnings(NULL, g, diags);
		int quote_rc = quotes ? kg_check_quotes(&qc, g, texts, ntexts, diags) : KG_OK;
		if (style_rc == KG_ENOMEM || warn_rc == KG_ENOMEM || quote_rc == KG_ENOMEM)
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
	if (quotes && g && !quiet && rc != KG_ENOMEM)
		print_quote_counts(&qc);
	if (rc == KG_OK && list_unsourced && unsourced_count(g))
		print_unsourced(g);
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
	free(include_paths);
	kg_graph_free(g);
	kg_diag_list_free(diags);
	return code;
}
