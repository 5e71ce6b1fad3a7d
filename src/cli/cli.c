/*
 * cli.c - helpers every kgraph command uses: error messages, checked
 * output, loading graph files (YAML or a snapshot, told apart here).
 *
 * Messages go to stderr; results to stdout, which is checked before the
 * command exits (a full disk is exit 4; a reader that went away, as with
 * `| head -1`, ends the command quietly).
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "cache.h"
#include "output.h"
#include "print.h"

#include <errno.h>
#include <time.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* A message on stderr: prefix, then the formatted text through
 * kg_text_escape (it quotes names and values from the command line and
 * from graphs, which must not forge lines or drive the terminal). */
static void put_message(const char *prefix, const char *fmt, va_list ap)
{
	char small[512], *text = small;
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(small, sizeof small, fmt, ap);
	if (n >= (int)sizeof small && (text = malloc((size_t)n + 1)))
		vsnprintf(text, (size_t)n + 1, fmt, again);
	va_end(again);
	fputs(prefix, stderr);
	kg_cli_fput_text(stderr, n < 0 ? "(message lost)" : text ? text : small);
	fputs("\n", stderr);
	if (text != small)
		free(text);
}

int kg_cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	put_message("kgraph: ", fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

int kg_cli_input_error(const char *hint, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	put_message("kgraph: error: ", fmt, ap);
	va_end(ap);
	if (hint) {
		fputs("hint: ", stderr);
		kg_cli_fput_text(stderr, hint);
		fputs("\n", stderr);
	}
	return EXIT_INVALID;
}

int kg_cli_out_of_memory(void)
{
	fputs("kgraph: out of memory\n", stderr);
	return EXIT_IO;
}

int kg_cli_finish_output(int code)
{
	/* A write that failed earlier left its reason in errno; callers
	 * write just before calling this, so it is still that reason. */
	int err = errno;

	if (!ferror(stdout)) {
		errno = 0;
		if (fflush(stdout) == 0 && !ferror(stdout))
			return code;
		err = errno;
	}
	if (err != EPIPE)
		fprintf(stderr, "kgraph: error writing output: %s\n", err ? strerror(err) : "write failed");
	return EXIT_IO;
}

static double seconds_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void kg_cli_progress_init(kg_cli_progress *p)
{
	p->start = seconds_now();
	p->shown = false;
	p->tty = isatty(STDERR_FILENO) == 1;
}

void kg_cli_show_progress(void *ctx, const char *file, size_t done, size_t total)
{
	kg_cli_progress *p = ctx;

	if (!p->tty)
		return;
	if (done == total && total) {
		if (p->shown) {
			fputs("\r\033[K", stderr); /* clear the line */
			fflush(stderr);      /* stderr is line-buffered (main) */
		}
		p->shown = false;
		return;
	}
	if (!p->shown && seconds_now() - p->start < 1.0)
		return;
	fputs("\rkgraph: reading ", stderr);
	kg_cli_fput_text(stderr, file);
	if (total)
		fprintf(stderr, ": %3.0f%% of %.1f MB\033[K", 100.0 * (double)done / (double)total, (double)total / 1e6);
	else
		fprintf(stderr, ": %.1f MB\033[K", (double)done / 1e6);
	fflush(stderr); /* no newline: show it now */
	p->shown = true;
}

void kg_cli_load_options(kg_load_options *opts, kg_cli_progress *p)
{
	const char *thread = getenv("KGRAPH_PARSE_THREAD");

	kg_cli_progress_init(p);
	opts->progress = kg_cli_show_progress;
	opts->progress_ctx = p;
	if (thread && *thread) {
		if (strcmp(thread, "on") == 0)
			opts->thread = KG_LOAD_THREAD_ON;
		else if (strcmp(thread, "off") == 0)
			opts->thread = KG_LOAD_THREAD_OFF;
		else if (strcmp(thread, "auto") == 0)
			opts->thread = KG_LOAD_THREAD_AUTO;
		else
		{
			fputs("kgraph: warning: KGRAPH_PARSE_THREAD is '", stderr);
			kg_cli_fput_text(stderr, thread);
			fputs("', not on, off or auto; using auto\n", stderr);
		}
	}
}

/* The snapshot this run opened, if any (kg_cli_read_graph). */
kg_cli_read_file kg_cli_snapshot_read;

/* The first damage a snapshot showed while it was read (parts of a
 * snapshot are checked as they are read): the command finishes, and
 * kg_cli_damage_exit reports it and makes the exit status 2. Set from
 * whichever thread found it, once. */
static int damage_state;
static const char *damage_file;
static char damage_why[300];

static void on_damage(void *data, const char *why)
{
	int expect = 0;

	if (!__atomic_compare_exchange_n(&damage_state, &expect, 1, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return;
	damage_file = data;
	snprintf(damage_why, sizeof damage_why, "%s", why);
	__atomic_store_n(&damage_state, 2, __ATOMIC_RELEASE);
}

int kg_cli_damage_exit(int code)
{
	if (__atomic_load_n(&damage_state, __ATOMIC_ACQUIRE) != 2)
		return code;
	fputs("kgraph: ", stderr);
	kg_cli_fput_text(stderr, damage_file);
	fprintf(stderr, ": damaged snapshot: %s; its answers above are not to be trusted\n", damage_why);
	return code == EXIT_IO || code == EXIT_USAGE ? code : EXIT_INVALID;
}

int kg_cli_read_graph(kg_graph **out, const char *const *files, size_t nfiles, const kg_load_options *opts,
                      kg_diag_list *diags, bool verify)
{
	kg_snapshot_options so = KG_SNAPSHOT_OPTIONS_INIT;
	kg_diag_list *stale;
	const char *cache = kg_cli_cache_folder();
	size_t i, snapshots = 0;
	int rc;

	/* By the magic, not the name: a snapshot may be called anything. */
	for (i = 0; i < nfiles; i++)
		snapshots += kg_snapshot_sniff(files[i]);
	if (!snapshots)
		return cache ? kg_cli_cache_load(out, cache, files, nfiles, opts, diags)
		             : kg_load_files(out, files, nfiles, opts, diags);
	*out = NULL;
	if (nfiles != 1) {
		kg_location where = {NULL, 0, 0};
		return kg_diag_list_add(diags, KG_SEV_ERROR, &where,
		                        "a snapshot must be the only graph file: it holds a whole graph",
		                        "compile the files together: kgraph compile FILE... -o OUT", NULL, NULL)
		           ? KG_ENOMEM : KG_EINVALID;
	}
	if (opts && opts->stats)
		memset(opts->stats, 0, sizeof *opts->stats);
	so.verify = verify;
	so.on_damage = on_damage;
	so.on_damage_data = (void *)files[0];
	rc = kg_snapshot_open(out, files[0], &so, diags);
	/* The snapshot was read in this run: no -o may write over it. */
	if (rc == KG_OK && stat(files[0], &kg_cli_snapshot_read.st) == 0)
		kg_cli_snapshot_read.name = files[0];
	/* A stale snapshot is said even by commands that show no warnings:
	 * its answers may be out of date. */
	if (rc == KG_OK && (stale = kg_diag_list_new()) != NULL) {
		kg_snapshot_stale(*out, stale);
		kg_cli_print_diags(stderr, stale, false);
		kg_diag_list_free(stale);
	}
	return rc;
}

int kg_cli_load(kg_graph **out, const char *const *files, size_t nfiles, const char *const *include_paths,
                size_t ninclude_paths)
{
	kg_load_options opts = KG_LOAD_OPTIONS_INIT;
	kg_cli_progress progress;
	kg_diag_list *diags = kg_diag_list_new();
	size_t errors;
	int rc;

	*out = NULL;
	if (!diags)
		return kg_cli_out_of_memory();
	kg_cli_load_options(&opts, &progress);
	opts.include_paths = include_paths;
	opts.include_path_count = ninclude_paths;
	rc = kg_cli_read_graph(out, files, nfiles, &opts, diags, false);
	/* A query needs a valid graph; warnings are for `kgraph check`. */
	kg_cli_print_diags(stderr, diags, true);
	errors = kg_diag_list_count_severity(diags, KG_SEV_ERROR);
	if (errors)
		fprintf(stderr, "kgraph: %zu error%s\n", errors, errors == 1 ? "" : "s");
	kg_diag_list_free(diags);
	switch (rc) {
	case KG_OK: return EXIT_OK;
	case KG_EIO: return EXIT_IO;
	case KG_ENOMEM: return kg_cli_out_of_memory();
	default: return EXIT_INVALID;
	}
}
