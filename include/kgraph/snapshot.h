/*
 * kgraph/snapshot.h - compiled snapshots: a loaded graph written to one
 * file that later opens in place, through mmap, with no parsing.
 *
 * A snapshot holds everything a kg_graph holds (records, text, both
 * adjacency directions, the name index, file names and locations), the
 * warnings of the load that made it, and for every source file its path,
 * size, modification time and content hash. Its format is described in
 * docs/snapshot.md. A snapshot is input like any other: every bound and
 * index the graph's code relies on is checked before it is used, those
 * sized by the entities when the file is opened and the rest as they are
 * read, so a truncated, damaged or hostile file gives KG_EINVALID with a
 * diagnostic, or a graph that says it is damaged (kg_graph_damage),
 * never a crash. A snapshot is only read on the kind of machine that
 * wrote it (same byte order and record layout).
 */
#ifndef KGRAPH_SNAPSHOT_H
#define KGRAPH_SNAPSHOT_H

#include "kgraph/export.h"

#include "kgraph/diag.h"
#include "kgraph/graph.h"

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The version of kg_snapshot_options these headers describe. */
#define KG_SNAPSHOT_OPTIONS_VERSION 2

/** Options for kg_snapshot_write and kg_snapshot_open. Start from
 * KG_SNAPSHOT_OPTIONS_INIT and set the fields you need, by name. */
typedef struct kg_snapshot_options {
	/** KG_SNAPSHOT_OPTIONS_VERSION; set by KG_SNAPSHOT_OPTIONS_INIT. */
	unsigned version;
	/** Open: also verify every section's checksum, which reads the
	 * whole file (about 1 ms per 5 MB), and check the whole structure
	 * (check_all); without it only the header's checksum is verified. */
	bool verify;
	/** Write: the files the graph was loaded from, as given to
	 * kg_load_files (its includes are found again from them), kept so
	 * that the snapshot can be compiled again (kg_snapshot_inputs). */
	const char *const *inputs;
	size_t ninputs;
	/** Write: the diagnostics of the load (warnings), kept so that
	 * kg_snapshot_open gives them back as kg_load_files did. NULL: none. */
	const kg_diag_list *diags;
	/** Open (since version 2): check every relation, string, attribute
	 * and adjacency list before returning, O(entities + relations +
	 * strings). Without it (and without verify) opening checks what is
	 * sized by the entities, O(entities), and the rest is checked as it
	 * is read (kg_graph_damage). */
	bool check_all;
	/** Open (since version 2): called once, from the thread that found
	 * it, when a read finds the snapshot damaged, with the reason (as
	 * kg_graph_damage gives it). NULL: none. */
	void (*on_damage)(void *data, const char *why);
	void *on_damage_data;
} kg_snapshot_options;

#define KG_SNAPSHOT_OPTIONS_INIT {KG_SNAPSHOT_OPTIONS_VERSION, false, NULL, 0, NULL, false, NULL, NULL}

/**
 * Write graph g to path as a snapshot, atomically (a failure leaves path
 * as it was). Every file in kg_graph_file is read once more to record its
 * size and content hash.
 *
 * @return KG_OK; KG_EIO when path cannot be written (diags says why);
 *         KG_EARG when opts->version is unknown or the graph is too large
 *         for the format (text over 4 GiB); KG_ENOMEM.
 * O(size of the graph + size of its files).
 */
KG_EXPORT int kg_snapshot_write(const kg_graph *g, const char *path, const kg_snapshot_options *opts,
                                kg_diag_list *diags);

/**
 * Open the snapshot at path as a read-only graph whose arrays live in the
 * mapped file; free it with kg_graph_free, which unmaps it. The load's
 * warnings kept in the snapshot are appended to diags, as kg_load_files
 * appends them.
 *
 * Every section's bounds and every count are checked, and every offset
 * and index that is sized by the entities (entities, declarations, the
 * name index, adjacency offsets): O(entities). Relations, strings,
 * attributes and adjacency lists are checked as the graph's accessors
 * read them; a read that finds a lie answers something harmless and
 * marks the graph damaged (kg_graph_damage, opts->on_damage). With
 * opts->check_all or opts->verify everything is checked now instead:
 * O(entities + relations + strings), one pass over each section (the
 * adjacency in a second thread on large snapshots), no hashing of text.
 * See docs/snapshot.md.
 *
 * @param out   receives the graph, NULL on failure
 * @param opts  options, or NULL for the defaults
 * @param diags receives the reason for a failure; may be NULL
 * @return KG_OK; KG_EIO when path cannot be read; KG_EINVALID when it is
 *         not a snapshot this library reads, or is damaged; KG_EARG when
 *         opts->version is unknown; KG_ENOMEM.
 */
KG_EXPORT int kg_snapshot_open(kg_graph **out, const char *path, const kg_snapshot_options *opts,
                               kg_diag_list *diags);

/** Whether the file at path starts like a snapshot (its first 8 bytes),
 * damaged or not. Only regular files are looked at, so that a pipe is
 * never read from. */
KG_EXPORT bool kg_snapshot_sniff(const char *path);

/**
 * For a graph from kg_snapshot_open: append a warning to diags for every
 * source file that changed (or went missing) since the snapshot was
 * compiled. A file whose size and modification time are as recorded is
 * taken as unchanged; otherwise its content hash decides.
 *
 * @return the number of changed files (0 for a graph that was not opened
 *         from a snapshot), or KG_ENOMEM.
 */
KG_EXPORT int kg_snapshot_stale(const kg_graph *g, kg_diag_list *diags);

/** For a graph from kg_snapshot_open: how many files it was compiled
 * from, and the i-th of them as an absolute path, borrowed from the graph
 * (NULL when i is out of range); 0 and NULL for other graphs. */
KG_EXPORT const char *kg_snapshot_input(const kg_graph *g, size_t i);
KG_EXPORT size_t kg_snapshot_input_count(const kg_graph *g);

#ifdef __cplusplus
}
#endif

#endif
