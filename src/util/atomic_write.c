/*
 * atomic_write.c - replace a file through a temporary file and rename()
 * (atomic_write.h).
 *
 * Invariant: between open and commit or abort, f->fd is an open
 * descriptor of f->tmp, a file this process created; commit and abort
 * close it, and remove it unless it was renamed over the target, so no
 * temporary file outlives a failure.
 */
#define _POSIX_C_SOURCE 200809L

#include "util/atomic_write.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Names tried before giving up when another file already has the name
 * (a leftover of a process with the same PID). */
#define ATTEMPTS 100

int kg__atomic_open(kg__atomic_file *f, const char *path)
{
	size_t n = strlen(path) + sizeof ".tmp-" + 3 * sizeof(long) + 3 * sizeof(unsigned) + 2;
	unsigned attempt;

	f->fd = -1;
	f->path = path;
	f->tmp = kg__malloc(n);
	if (!f->tmp)
		return -1;
	for (attempt = 0; attempt < ATTEMPTS; attempt++) {
		snprintf(f->tmp, n, "%s.tmp-%ld-%u", path, (long)getpid(), attempt);
		f->fd = open(f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (f->fd >= 0)
			return 0;
		if (errno != EEXIST)
			break;
	}
	{
		int err = errno;
		kg__free(f->tmp);
		f->tmp = NULL;
		return err;
	}
}

int kg__atomic_write(kg__atomic_file *f, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t done = 0;

	while (done < len) {
		ssize_t w = write(f->fd, p + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? errno : EIO;
		done += (size_t)w;
	}
	return 0;
}

int kg__atomic_commit(kg__atomic_file *f)
{
	int err = 0;

	if (close(f->fd) != 0)
		err = errno;
	if (!err && rename(f->tmp, f->path) != 0)
		err = errno;
	if (err)
		unlink(f->tmp);
	kg__free(f->tmp);
	f->tmp = NULL;
	f->fd = -1;
	return err;
}

void kg__atomic_abort(kg__atomic_file *f)
{
	close(f->fd);
	unlink(f->tmp);
	kg__free(f->tmp);
	f->tmp = NULL;
	f->fd = -1;
}
