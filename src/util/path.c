/*
 * path.c - the one rule for the files a graph may read: an include or a
 * source's file: is read only when, once every symbolic link is followed
 * (realpath), it lies inside a folder the graph may read: the folder of
 * the file named on the command line that led to it, or one the user
 * named (--include-path). The loader applies it to includes and sources'
 * file:, the quote checker again right before it reads a source's text,
 * so both decide the same way from the same folders.
 *
 * The test is on the resolved names, before anything is opened: a graph
 * from elsewhere cannot make kgraph read /etc/shadow, /proc/self/environ or
 * ../../secret, directly or through a link, and print its lines.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "util/path.h"
#include "util/util.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

char *kg__path_folder(const char *dir)
{
	char *real = realpath(dir && *dir ? dir : ".", NULL), *out;
	size_t n;

	if (!real)
		return NULL;
	n = strlen(real);
	out = kg__malloc(n + 2);
	if (!out) {
		free(real);
		errno = ENOMEM;
		return NULL;
	}
	memcpy(out, real, n);
	/* "/" stays "/"; any other folder gets its '/'. */
	if (n == 0 || out[n - 1] != '/')
		out[n++] = '/';
	out[n] = '\0';
	free(real);
	return out;
}

int kg__path_confined(char **real, const char *path, const char *const *folders, size_t nfolders)
{
	char *r = realpath(path, NULL);
	size_t i, n;

	*real = NULL;
	if (!r)
		return -1;
	n = strlen(r);
	for (i = 0; i < nfolders; i++) {
		size_t m = folders[i] ? strlen(folders[i]) : 0;
		/* Inside: below the folder, or the folder itself. */
		if (m && ((n >= m && memcmp(r, folders[i], m) == 0) || (n + 1 == m && memcmp(r, folders[i], n) == 0))) {
			*real = kg__strndup(r, n);
			free(r);
			if (!*real) {
				errno = ENOMEM;
				return -1;
			}
			return 1;
		}
	}
	free(r);
	return 0;
}
