/*
 * kgraph.h - the kgraph library: load YAML knowledge graphs into a fast
 * in-memory graph and ask it questions.
 *
 * Include this header for everything, or the topic headers one by one:
 *   kgraph/common.h  error codes, version
 *   kgraph/version.h the headers' version (generated), KG_VERSION_CHECK
 *   kgraph/visibility.h  KG_EXPORT, the mark on every public function
 *   kgraph/limits.h  every bound the library enforces
 *   kgraph/diag.h    diagnostics (the library never prints)
 *   kgraph/text.h    text from a graph made fit for a terminal
 *   kgraph/graph.h   the graph: entities, relations, types, sources, lookup
 *   kgraph/load.h    reading graph files
 *   kgraph/check.h   validation beyond loading: warnings, quote checks
 *   kgraph/query.h   paths and neighbourhoods
 *   kgraph/match.h   pattern questions in a subset of Cypher
 *   kgraph/render.h  drawing: DOT, SVG, PNG, PDF through Graphviz
 *   kgraph/export.h  writing for other tools: node-link JSON, GraphML, GEXF,
 *                    CSV, YAML, Neo4j, Cypher, Turtle, FollowTheMoney
 *   kgraph/db.h      graphs in PostgreSQL: push, and queries from the database
 *   kgraph/snapshot.h compiled snapshots: a graph in one file, opened by mmap
 */
#ifndef KGRAPH_H
#define KGRAPH_H

#include "kgraph/visibility.h"
#include "kgraph/version.h"
#include "kgraph/common.h"
#include "kgraph/limits.h"
#include "kgraph/diag.h"
#include "kgraph/text.h"
#include "kgraph/graph.h"
#include "kgraph/load.h"
#include "kgraph/check.h"
#include "kgraph/query.h"
#include "kgraph/match.h"
#include "kgraph/render.h"
#include "kgraph/export.h"
#include "kgraph/import.h"
#include "kgraph/db.h"
#include "kgraph/snapshot.h"
#include "kgraph/diff.h"
#include "kgraph/file.h"

#endif
