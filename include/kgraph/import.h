/*
 * kgraph/import.h - turn what analysts already have into a kgraph graph:
 * NetworkX / d3 node-link JSON, CSV tables and FollowTheMoney entities
 * (docs/interop.md, "Import").
 *
 * An import reads the files, maps their records onto kgraph's model and
 * loads the result as a graph that `kgraph check` accepts; the caller
 * writes it out with kg_export (KG_EXPORT_YAML), so imported and exported
 * YAML come from one writer.
 *
 * Ids. Every entity id, type, relation type and source id must be a
 * kgraph id (docs/format.md, "Ids"). An original id that is one is kept;
 * any other becomes a slug (letters, digits, '_', '.', '-'; other runs of
 * characters become one '_'), and a slug already taken gets "-2", "-3",
 * ... in input order, so the same input always gives the same ids. An
 * entity whose id changed keeps the original in an `original_id`
 * attribute. What has no place in a kgraph graph (nested objects, null
 * values, dates kgraph cannot read) is left out and counted in the
 * summary, with a warning at its line and column.
 *
 * Errors. Bad input (JSON syntax, a wrong shape, an edge to a node that
 * is not there, a node id given twice) is an error at FILE:LINE:COLUMN;
 * the import then fails as a whole with no graph.
 */
#ifndef KGRAPH_IMPORT_H
#define KGRAPH_IMPORT_H

#include "kgraph/common.h"
#include "kgraph/diag.h"
#include "kgraph/graph.h"
#include "kgraph/visibility.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kg_import_format {
	KG_IMPORT_JSON = 0, /**< node-link JSON: NetworkX (edges or links), d3 */
	KG_IMPORT_CSV = 1,  /**< CSV tables: entities, relations (and sources.csv) */
	KG_IMPORT_FTM = 2,  /**< FollowTheMoney entities, JSON lines (Aleph, OpenSanctions) */
	KG_IMPORT_GRAPHML = 3 /**< GraphML: NetworkX, Gephi, yEd, igraph */
} kg_import_format;

/** The format called name ("json", "csv", "ftm", "graphml"; any case). KG_OK, or KG_EARG when it
 * names none (*out untouched). */
KG_EXPORT int kg_import_format_from_name(kg_import_format *out, const char *name);

/** What an import read and what it left out. */
typedef struct kg_import_summary {
	size_t files;
	size_t entities, relations, sources, types, relation_types;
	size_t renamed;        /**< ids that were not kgraph ids or were taken */
	size_t left_attrs;     /**< attribute values left out (null, nested) */
	size_t left_values;    /**< dates, weights, names, quotes left out */
	size_t left_fields;    /**< d3's layout members (index, x, y, vx, vy, fx, fy) */
} kg_import_summary;

/** The version of kg_import_options these headers describe. */
#define KG_IMPORT_OPTIONS_VERSION 1

/** Options for kg_import_files. Start from KG_IMPORT_OPTIONS_INIT. */
typedef struct kg_import_options {
	/** KG_IMPORT_OPTIONS_VERSION: fields added later go at the end. */
	unsigned version;
	kg_import_format format;
	/** The type of an entity whose record names none (NULL: "thing"). */
	const char *default_type;
	/** The relation type of a relation whose record names none (NULL:
	 * "related_to"). */
	const char *default_relation_type;
	/** csv: the columns holding an entity's id, type and name, and a
	 * relation's two ends and type (NULL: "id", "type", "name", "from",
	 * "to", "type"). */
	const char *csv_id, *csv_type, *csv_name, *csv_from, *csv_to, *csv_rel_type;
} kg_import_options;

#define KG_IMPORT_OPTIONS_INIT {KG_IMPORT_OPTIONS_VERSION, KG_IMPORT_JSON, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}

/**
 * Import the files named in paths ("-" is standard input) into one graph.
 *
 * @param out      receives the new graph (the caller frees it with
 *                 kg_graph_free), NULL on failure
 * @param summary  receives the counts; may be NULL
 * @param diags    receives errors and warnings with file, line and column;
 *                 may be NULL
 * @return KG_OK; KG_EINVALID when a file is not valid input (see diags);
 *         KG_EIO when a file cannot be read; KG_EARG for bad options;
 *         KG_ENOMEM.
 *
 * O(B + V + E + A) for B bytes of input, V nodes, E edges and A attribute
 * values (records are looked up by hash; an object's members are scanned
 * once per member the importer asks for).
 */
KG_EXPORT int kg_import_files(kg_graph **out, kg_import_summary *summary, const char *const *paths, size_t npaths,
                              const kg_import_options *opts, kg_diag_list *diags);

/**
 * Import one file held in memory (len bytes at data); name is used in
 * diagnostics. Same results as kg_import_files.
 */
KG_EXPORT int kg_import_string(kg_graph **out, kg_import_summary *summary, const char *name, const char *data,
                               size_t len, const kg_import_options *opts, kg_diag_list *diags);

#ifdef __cplusplus
}
#endif

#endif
