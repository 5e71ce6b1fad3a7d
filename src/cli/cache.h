/*
 * cache.h - the transparent snapshot cache (KGRAPH_CACHE=DIR or --cache
 * DIR): a command on YAML files reuses a snapshot of them, written on the
 * first run. docs/snapshot.md, "The cache".
 */
#ifndef KG_CLI_CACHE_H
#define KG_CLI_CACHE_H

#include "kgraph.h"

#include <stddef.h>

/* --cache DIR of this run (NULL: KGRAPH_CACHE decides); kg_cli_run
 * resets it, since the command-line fuzzer runs many commands in one
 * process. */
extern const char *kg_cli_cache_dir;

/* The cache folder this run uses, or NULL for none. */
const char *kg_cli_cache_folder(void);

/* Load files as kg_load_files does, through the cache in dir: a valid,
 * up-to-date entry for these files and options is opened instead of the
 * YAML (its warnings given back in diags); otherwise the files are loaded
 * and, when they load without error, an entry is written. A damaged
 * entry, or one that cannot be written, is a warning on stderr, never a
 * failure of the command. Standard input is never cached. */
int kg_cli_cache_load(kg_graph **out, const char *dir, const char *const *files, size_t nfiles,
                      const kg_load_options *opts, kg_diag_list *diags);

#endif
