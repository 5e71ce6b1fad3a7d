/*
 * kgraph/load.h - read graph files (YAML, format version 1) into a graph.
 *
 * The format is described in docs/format.md. Loading reads each file as
 * a stream of YAML events, follows `include:`, merges everything into one
 * graph, resolves every reference and builds the indexes. It reports
 * problems as diagnostics with file, line and column, and goes on after a
 * semantic error to report up to max_errors of them; a YAML syntax error
 * stops the file it is in.
 */
#ifndef KGRAPH_LOAD_H
#define KGRAPH_LOAD_H

#include "kgraph/visibility.h"

#include "kgraph/diag.h"
#include "kgraph/graph.h"

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** How long each phase of a load took, in seconds. With a parser thread
 * (see kg_load_thread), parse and build overlap: their sum is then more
 * than the time the files took to read. */
typedef struct kg_load_stats {
	double parse;   /**< libyaml turning bytes into events */
	double build;   /**< everything else while reading: checks, interning,
	                     records; not counting waits for the parser thread */
	double index;   /**< resolving references, adjacency and name indexes */
	size_t bytes;   /**< input bytes read */
	size_t files;   /**< files read, includes counted */
} kg_load_stats;

/** Whether a file is parsed in a second thread. libyaml's parsing is
 * about half of a load; in a thread of its own it overlaps the rest (the
 * checks, interning, building the records), and a large file loads in
 * about 0.7 of the time on a machine with two or more free CPUs. The result,
 * the diagnostics and their order are the same either way. */
typedef enum kg_load_thread {
	/** A parser thread for a file of KG_LOAD_THREAD_MIN_BYTES or more when
	 * more than one CPU is available to the process. */
	KG_LOAD_THREAD_AUTO = 0,
	KG_LOAD_THREAD_OFF, /**< parse in the calling thread */
	KG_LOAD_THREAD_ON   /**< a parser thread for every file (for tests) */
} kg_load_thread;

/** Files smaller than this are parsed in the calling thread under
 * KG_LOAD_THREAD_AUTO: starting a thread and handing events over would
 * cost more than it saves (a 0.7 MB file loaded 10% slower with the
 * thread, a 3.8 MB one faster). */
#define KG_LOAD_THREAD_MIN_BYTES (2u * 1024u * 1024u)

/** The version of kg_load_options these headers describe. */
#define KG_LOAD_OPTIONS_VERSION 1

/** Options for kg_load_files and kg_load_string. Start from
 * KG_LOAD_OPTIONS_INIT and set the fields you need, by name. */
typedef struct kg_load_options {
	/** KG_LOAD_OPTIONS_VERSION: which version of this struct the caller was
	 * built with, so that fields can be added without breaking programs
	 * built against older headers. Set by KG_LOAD_OPTIONS_INIT. */
	unsigned version;
	/** Stop after this many errors (0 = KG_MAX_ERRORS). */
	unsigned max_errors;
	/** Name used in diagnostics for standard input ("-"). */
	const char *stdin_name;
	/** When not NULL, filled with timings. Timing the parse separately
	 * costs two clock reads per YAML event, so it is only done on request. */
	kg_load_stats *stats;
	/** When not NULL, called every 64 Ki YAML events with how many bytes
	 * of file have been read of how many (total 0 when unknown, as for
	 * standard input), and once more when the file is done (done ==
	 * total). For showing progress on large files; it must not call
	 * back into the loader. */
	void (*progress)(void *ctx, const char *file, size_t done, size_t total);
	void *progress_ctx;
	/** Whether libyaml parses in a thread of its own (kg_load_thread). */
	kg_load_thread thread;
} kg_load_options;

#define KG_LOAD_OPTIONS_INIT {KG_LOAD_OPTIONS_VERSION, 0, "<stdin>", NULL, NULL, NULL, KG_LOAD_THREAD_AUTO}

/**
 * Load the files named in paths ("-" is standard input) into one graph.
 *
 * @param out     receives the new graph on success (caller frees it with
 *                kg_graph_free), NULL on failure
 * @param paths   npaths file names; each file is read once even if named
 *                or included twice
 * @param opts    options, or NULL for the defaults
 * @param diags   receives errors and warnings; may be NULL to discard them
 * @return KG_OK; KG_EINVALID when any file has errors; KG_EIO when a named
 *         file cannot be read (other files are still checked); KG_EARG
 *         when opts->version is not one this library knows; KG_ENOMEM.
 */
KG_EXPORT int kg_load_files(kg_graph **out, const char *const *paths, size_t npaths,
                  const kg_load_options *opts, kg_diag_list *diags);

/**
 * Load one graph from memory. name is used in diagnostics and is the
 * base for relative includes and source files. Same results as
 * kg_load_files.
 */
KG_EXPORT int kg_load_string(kg_graph **out, const char *name, const char *data, size_t len,
                   const kg_load_options *opts, kg_diag_list *diags);

#ifdef __cplusplus
}
#endif

#endif
