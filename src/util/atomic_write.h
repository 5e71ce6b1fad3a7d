/*
 * atomic_write.h - write a file so that readers see the old contents or
 * the new, never a part (private).
 *
 * The data goes to a new temporary file beside the target (same
 * directory, so the same file system) and replaces the target by
 * rename() only when every byte is written and the file is closed. A
 * failure leaves the target as it was and removes the temporary file.
 * No fsync: this guards against a failed or interrupted write, not
 * against a power cut.
 *
 *   kg__atomic_file f;
 *   int err = kg__atomic_open(&f, path);
 *   if (!err) err = kg__atomic_write(&f, data, len);
 *   err = err ? (kg__atomic_abort(&f), err) : kg__atomic_commit(&f);
 *
 * Each call returns 0, an errno value for an I/O failure, or -1 when an
 * allocation failed (no errno: the caller says "out of memory", not
 * "cannot write"). After an error from kg__atomic_open nothing is left
 * to clean up; after kg__atomic_open succeeds, exactly one of commit or
 * abort must follow, and each releases everything, on failure too.
 */
#ifndef KG_ATOMIC_WRITE_H
#define KG_ATOMIC_WRITE_H

#include <stddef.h>

typedef struct kg__atomic_file {
	int fd;
	char *tmp;         /* the temporary file's name */
	const char *path;  /* the target, borrowed from the caller */
} kg__atomic_file;

/* Create the temporary file beside path: path.tmp-PID-N, created
 * exclusively with mode 0666 so that the umask applies as for any new
 * file. path must stay valid until commit or abort. */
int kg__atomic_open(kg__atomic_file *f, const char *path);

/* Append len bytes (retrying short writes and EINTR). */
int kg__atomic_write(kg__atomic_file *f, const void *data, size_t len);

/* Close the temporary file and rename it over the target; on failure
 * remove it. */
int kg__atomic_commit(kg__atomic_file *f);

/* Close and remove the temporary file; the target is untouched. */
void kg__atomic_abort(kg__atomic_file *f);

#endif
