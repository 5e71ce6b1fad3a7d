/*
 * cli.h - what the kgraph command's files share: exit codes, messages,
 * checked output, and loading the graph.
 *
 * The CLI sits at the end of the pipeline and uses the public API only.
 */
#ifndef KG_CLI_CLI_H
#define KG_CLI_CLI_H

#include "kgraph.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

enum {
	EXIT_OK = 0,
	EXIT_NO_RESULT = 1,
	EXIT_INVALID = 2,
	EXIT_USAGE = 3,
	EXIT_IO = 4
};

/* The whole command: parse argv (argv[0] is the program), run the command
 * it names, and return its exit status. main() only sets up the process
 * (SIGPIPE, stderr's buffering) around it; the command-line fuzzer
 * (tests/fuzz/fuzz_cli.c) calls it in-process. */
int kg_cli_run(int argc, char **argv);

/* Print "kgraph: MESSAGE" on stderr; returns EXIT_USAGE. */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
int kg_cli_usage_error(const char *fmt, ...);

/* Print "kgraph: error: MESSAGE" on stderr (and "hint: HINT" when hint is
 * not NULL), the way the loader's diagnostics without a file look;
 * returns EXIT_INVALID. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
int kg_cli_input_error(const char *hint, const char *fmt, ...);

/* Report an allocation failure; returns EXIT_IO. */
int kg_cli_out_of_memory(void);

/* Flush stdout and report a failed write (a full disk); a closed pipe
 * is not reported. Returns code, or EXIT_IO when the output was lost. */
int kg_cli_finish_output(int code);

/* Progress while loading large files: shown on stderr when it is a
 * terminal and loading has taken more than a second; the line is cleared
 * when a file is done. */
typedef struct kg_cli_progress {
	double start;
	bool shown, tty;
} kg_cli_progress;

void kg_cli_progress_init(kg_cli_progress *p);
void kg_cli_show_progress(void *ctx, const char *file, size_t done, size_t total);
/* Set opts to report progress through p (initialised here). */
void kg_cli_load_options(kg_load_options *opts, kg_cli_progress *p);

/* The one place graph files are read: one snapshot (recognised by its
 * magic, whatever its name) is opened, its checksums verified when
 * verify, and a warning printed for each source file that changed since
 * it was compiled; anything else is loaded with opts (stats zeroed for a
 * snapshot). A kg_error code; diags gets what kg_load_files or
 * kg_snapshot_open gives. */
/* A graph file read whole by this run outside the library's record of
 * files (a snapshot), so that -o never writes over it. */
typedef struct kg_cli_read_file {
	const char *name; /* NULL: none */
	struct stat st;
} kg_cli_read_file;
extern kg_cli_read_file kg_cli_snapshot_read;

/* The exit status of a command that returned code: EXIT_INVALID, with
 * the reason on stderr, when a snapshot it read was found damaged while
 * it was read (kg_graph_damage); else code. */
int kg_cli_damage_exit(int code);

int kg_cli_read_graph(kg_graph **out, const char *const *files, size_t nfiles, const kg_load_options *opts,
                      kg_diag_list *diags, bool verify);

/* Load the graph files for a query command: errors (not warnings) are
 * printed like check -q prints them. Returns EXIT_OK with *out set, or
 * the exit code to end with. */
int kg_cli_load(kg_graph **out, const char *const *files, size_t nfiles, const char *const *include_paths,
                size_t ninclude_paths);

#endif
