/*
 * validate.h - the structural checks of a snapshot's graph (private).
 */
#ifndef KG_SNAPSHOT_VALIDATE_H
#define KG_SNAPSHOT_VALIDATE_H

#include "snapshot/format.h"
#include "util/util.h"

#include <stdbool.h>

/* Check what later code relies on in g, whose arrays (and string table)
 * point into a mapped snapshot: everything when all (O(entities +
 * relations + strings + attributes + aliases)), else what is sized by
 * the entities (O(entities + names + relations / 64)) and set g->lazy so
 * that graph.c checks the rest as it reads it. 0, or 1 with the reason in
 * why; KG_ENOMEM. */
int kg__snap_validate(kg_graph *g, kg__snap_ctx *ctx, bool all, kg__buf *why);

/* Every entity found by its id, and every type, relation type and source
 * by its name, in a graph checked whole and complete (its id maps built):
 * what damaged slots would otherwise make answer "no such entity". It
 * reads every id's text. 0, or 1 with the reason in why; KG_ENOMEM. */
int kg__snap_check_found(const kg_graph *g, kg__buf *why);

/* Snapshots of at least this many relations check their adjacency in a
 * second thread (when there is a second CPU). */
extern uint32_t kg__snap_csr_thread_min;

#endif
