/*
 * kgraph/export.h - write a graph, or the part of it a drawing would show,
 * in the formats other tools read: NetworkX node-link JSON, GraphML, GEXF,
 * CSV tables, kgraph's own YAML, Neo4j import files, Cypher, Turtle with
 * PROV-O, and FollowTheMoney entities. docs/interop.md says what each
 * format carries and what it loses.
 *
 * What is exported. Everything, or a kg_render_selection (kgraph/render.h:
 * focus and depth, entity types, relation filter), so that an export and a
 * drawing made with the same options show the same part. The vocabulary
 * (types and relation types) is always exported whole; sources are those
 * the exported relations cite, or all of them when exporting everything.
 *
 * Streaming. Output goes to a callback in chunks of about 64 KiB as it is
 * made: memory is bounded by the graph (a few bytes per entity and
 * relation for the selection and the attribute columns), not by the
 * output. Formats written as a folder of files (csv, neo4j) pass each
 * file's name with its data; the files come one after another, each
 * complete before the next begins.
 *
 * Text. Every string from the graph is escaped for the format it goes
 * into, so quotes, commas, newlines, <, &, control characters and any
 * Unicode come out as the same text in the consumer. Where a format
 * cannot hold a character at all (XML 1.0 has no way to write most
 * control characters), it is replaced by U+FFFD with a warning.
 *
 * Determinism: output is written in graph index order and depends on
 * nothing else; the same graph and options give the same bytes.
 */
#ifndef KGRAPH_EXPORT_H
#define KGRAPH_EXPORT_H

#include "kgraph/diag.h"
#include "kgraph/graph.h"
#include "kgraph/render.h"
#include "kgraph/visibility.h"

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kg_export_format {
	KG_EXPORT_JSON = 0,    /**< NetworkX node-link JSON (multigraph) */
	KG_EXPORT_GRAPHML = 1, /**< GraphML with typed keys */
	KG_EXPORT_GEXF = 2,    /**< GEXF 1.3, dynamic, for Gephi's timeline */
	KG_EXPORT_CSV = 3,     /**< folder: entities.csv, relations.csv, sources.csv */
	KG_EXPORT_YAML = 4,    /**< kgraph's own format, one file */
	KG_EXPORT_NEO4J = 5,   /**< folder: header-typed CSV + import.sh */
	KG_EXPORT_CYPHER = 6,  /**< Cypher: constraints, then UNWIND ... MERGE */
	KG_EXPORT_TTL = 7,     /**< Turtle, each relation also a PROV-O node */
	KG_EXPORT_FTM = 8,     /**< FollowTheMoney entities, JSON lines */
	KG_EXPORT_SQL = 9      /**< a psql script: kgraph push's schema and rows */
} kg_export_format;

/** The format called name ("json", "graphml", ...; any case). Returns
 * KG_OK, or KG_EARG when it names none (*out untouched). */
KG_EXPORT int kg_export_format_from_name(kg_export_format *out, const char *name);

/** "json", "graphml", ...; static. */
KG_EXPORT const char *kg_export_format_name(kg_export_format format);

/** True for the formats written as a folder of files (csv, neo4j). */
KG_EXPORT bool kg_export_format_is_folder(kg_export_format format);

/**
 * Receives the output. part is NULL for a format written as one stream,
 * or the name of the file within the folder ("entities.csv"). Return 0 to
 * go on, anything else to stop the export (it then fails with KG_EIO).
 */
typedef int (*kg_export_write_fn)(void *ctx, const char *part, const void *data, size_t len);

/** The version of kg_export_options these headers describe. */
#define KG_EXPORT_OPTIONS_VERSION 2

/** Options for kg_export. Start from KG_EXPORT_OPTIONS_INIT and set the
 * fields you need, by name. */
typedef struct kg_export_options {
	/** KG_EXPORT_OPTIONS_VERSION, set by KG_EXPORT_OPTIONS_INIT: fields
	 * added later go at the end, and the library reads only those the
	 * caller's version has. */
	unsigned version;
	kg_export_format format;
	/** Export only this part (borrowed for the call); NULL = everything. */
	const kg_render_selection *selection;
	/** json: name the edge list "links" (NetworkX before 3.6, d3)
	 * instead of "edges". */
	bool links;
	/** Where the output goes (required). */
	kg_export_write_fn write;
	void *write_ctx;
	/** sql: the graph's name in the database (as kgraph push --graph);
	 * NULL = the first file's name without folder and extension. Since
	 * version 2. */
	const char *graph_name;
} kg_export_options;

#define KG_EXPORT_OPTIONS_INIT {KG_EXPORT_OPTIONS_VERSION, KG_EXPORT_JSON, NULL, false, NULL, NULL, NULL}

/**
 * Write the graph (or opts->selection) in opts->format through opts->write.
 *
 * @param diags  receives warnings (what a format could not carry: ftm
 *               types without a schema, characters XML cannot hold) and
 *               errors; may be NULL
 * @return KG_OK; KG_EARG for a bad option (no writer, an unknown format,
 *         a selection index out of range, an unknown opts->version); KG_EIO when the writer asked to
 *         stop; KG_ENOMEM. Output already passed to the writer stays
 *         written: a caller that must not leave partial files writes to a
 *         temporary and renames it on success.
 *
 * O(V + E + A) for the V entities, E relations and A attributes
 * exported, plus the size of the output.
 */
KG_EXPORT int kg_export(const kg_graph *g, const kg_export_options *opts, kg_diag_list *diags);

#ifdef __cplusplus
}
#endif

#endif
