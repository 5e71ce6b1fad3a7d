/*
 * path.h - which files a graph may read (private): a file named by a graph
 * (an include, a source's file:) must be, once every symbolic link is
 * followed, inside one of the folders the graph may read.
 */
#ifndef KG_UTIL_PATH_H
#define KG_UTIL_PATH_H

#include <stddef.h>

/* What a file outside those folders is called, and what to do about it:
 * the words of every message that refuses one. */
#define KG__PATH_OUTSIDE "it is outside the folders this graph may read"
#define KG__PATH_OUTSIDE_HINT                                                                        \
	"a graph reads only files inside the folder of the file named on the command line, or inside a " \
	"folder named with --include-path"

/* The folder dir ("" is the current folder) as an absolute path with no
 * symbolic link, ending in '/', malloc'd (kg__free). NULL when it cannot
 * be resolved (errno says why) or when out of memory (errno ENOMEM). */
char *kg__path_folder(const char *dir);

/* Whether path, once every symbolic link is followed, is inside one of
 * the nfolders folders (each from kg__path_folder; NULL entries are
 * skipped). Returns 1 with *real set to the resolved path (malloc'd, the
 * caller frees it: open that, not path, so that a link changed in between
 * cannot take the read elsewhere); 0 when it is outside; -1 when it cannot
 * be resolved (errno says why: ENOENT, ENOMEM, ...). *real is NULL unless
 * 1 is returned. Nothing is opened. */
int kg__path_confined(char **real, const char *path, const char *const *folders, size_t nfolders);

#endif
