/*
 * kgraph/common.h - error codes and version shared by every kgraph module.
 *
 * Every fallible function returns an int: KG_OK (0) on success or one of the
 * negative kg_error codes below. Details for the user (file, line, message)
 * go to a kg_diag_list that the caller owns; the library never prints.
 *
 * Threads. kgraph keeps no global state that a call changes, so:
 * - A loaded kg_graph is read-only. Any number of threads may read the
 *   same graph at once: everything in kgraph/graph.h, kg_query_paths,
 *   kg_query_neighbors and the rest of kgraph/query.h, and the checks of
 *   kgraph/check.h, each thread with its own results and its own
 *   kg_diag_list. Only kg_graph_free must wait until no thread reads it.
 * - Loads (kgraph/load.h) may run in several threads at once, each making
 *   its own graph.
 * - An object a call writes to (a kg_diag_list being appended to, a
 *   result being freed) must not be used by another thread meanwhile;
 *   reading a result or a diagnostic list from several threads is safe.
 * - kg_strerror, kg_version and the date functions may be called anywhere.
 * - kg_render is the exception: Graphviz is not thread-safe, and by
 *   default kg_render forks. kgraph/render.h says how to call it.
 * Numbers are read and written the same whatever the locale the program
 * has set (setlocale): "2.5" is always two and a half.
 */
#ifndef KGRAPH_COMMON_H
#define KGRAPH_COMMON_H

#include "kgraph/visibility.h"
#include "kgraph/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Error codes. 0 is success; every failure is negative. */
typedef enum kg_error {
	KG_OK = 0,
	KG_ENOMEM = -1,     /**< an allocation failed */
	KG_EIO = -2,        /**< a file could not be opened or read */
	KG_EINVALID = -3,   /**< the input data is invalid; see the diagnostics */
	KG_ENOTFOUND = -4,  /**< a lookup found nothing */
	KG_EAMBIGUOUS = -5, /**< a lookup matched more than one entity */
	KG_EARG = -6        /**< a caller passed an invalid argument */
} kg_error;

/**
 * Return a short English description of an error code, such as
 * "out of memory". The string is static; never NULL.
 */
KG_EXPORT const char *kg_strerror(int error);

/** Return the version of the library the program runs with, e.g. "0.1.0"
 * (KG_VERSION_STRING of kgraph/version.h is that of the headers it was
 * built with). Static; never NULL. */
KG_EXPORT const char *kg_version(void);

#ifdef __cplusplus
}
#endif

#endif
