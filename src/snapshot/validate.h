/*
 * validate.h - the structural checks of a snapshot's graph (private).
 */
#ifndef KG_SNAPSHOT_VALIDATE_H
#define KG_SNAPSHOT_VALIDATE_H

#include "snapshot/format.h"
#include "util/util.h"

/* Check everything later code relies on in g, whose arrays point into a
 * mapped snapshot. 0, or 1 with the reason in why; KG_ENOMEM when
 * the reason could not be written. O(entities + relations + strings +
 * attributes + aliases). */
int kg__snap_validate(kg_graph *g, const kg__snap_ctx *ctx, const char *strtext, size_t nstrtext,
                      const uint32_t *stroff, kg__buf *why);

/* Snapshots of at least this many relations check their adjacency in a
 * second thread (when there is a second CPU). */
extern uint32_t kg__snap_csr_thread_min;

#endif
