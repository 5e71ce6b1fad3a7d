/*
 * gv_process.c - run Graphviz where it cannot harm the program: in a
 * forked child process with limits, or in-process when asked.
 *
 * Pipeline position: render, around gv.c. Graphviz cannot be
 * cancelled, calls exit() when malloc fails, may crash on inputs it
 * dislikes, leaks and is not thread-safe (gv.c's opening comment has the
 * whole story). This file forks the child, which runs gv.c's
 * kg__gv_child_main; reads its frames and stderr; kills it at the
 * wall-clock timeout; turns how it ended into diagnostics; and blanks
 * the PDF's creation date. It needs no Graphviz header: what the child
 * does with Graphviz is gv.c's.
 */
#define _POSIX_C_SOURCE 200809L

#include "render/drawing.h"
#include "render/gv_process.h"
#include "kgraph/common.h"
#include "kgraph/render.h"
#include "core/diag_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define KG_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KG_UNDER_ASAN 1
#endif
#endif

/* Graphviz's stderr kept at most (a runaway plugin cannot fill memory). */
#define KG_GV_MAX_STDERR 65536

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- reading frames ------------------------------------------------- */

/* Turn the 'M' frames in buf[0..n) into diagnostics; stop at the first
 * other frame. Returns the offset reached. */
size_t kg__gv_read_messages(const char *buf, size_t n, kg_diag_list *diags)
{
	size_t at = 0;

	while (at + 6 <= n && buf[at] == 'M') {
		uint32_t len;
		char sev = buf[at + 1];
		memcpy(&len, buf + at + 2, sizeof len);
		if (len > n - at - 6)
			break;
		kg__diag_addf(diags, sev == 'E' ? KG_SEV_ERROR : KG_SEV_WARNING, NULL, NULL, NULL,
		              "graphviz: %.*s", (int)len, buf + at + 6);
		at += 6 + len;
	}
	return at;
}

/* Graphviz's stderr, one warning per non-empty line. */
static void stderr_messages(const kg__buf *err, kg_diag_list *diags)
{
	const char *s = err->p, *end = err->p + err->n;

	while (s && s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
		if (len)
			kg__diag_addf(diags, KG_SEV_WARNING, NULL, NULL, NULL, "graphviz: %.*s", (int)len, s);
		s += len + 1;
	}
}

/* ---- the child process ---------------------------------------------- */

bool kg__gv_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		len -= (size_t)w;
	}
	return true;
}


static void set_limit(int resource, rlim_t value)
{
	struct rlimit rl;

	if (getrlimit(resource, &rl) == 0 && (rl.rlim_max == RLIM_INFINITY || value < rl.rlim_max)) {
		rl.rlim_cur = value;
		setrlimit(resource, &rl);
	}
}

/* The Graphviz child being waited for, 0 when none (see the top). */
static volatile sig_atomic_t running_child;

void kg__gv_signal_cleanup(void)
{
	pid_t pid = (pid_t)running_child;

	if (pid > 0) {
		running_child = 0;
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
}

/* Prepare the child: quiet standard streams, default signal actions,
 * resource limits, death with the parent. */
static void child_setup(int err_fd, const kg__gvjob *job, pid_t parent)
{
	int null;

#ifdef __linux__
	/* If the parent died before this call, nothing would send the
	 * signal: check that it is still the parent. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == 0 && getppid() != parent)
		_exit(1);
#else
	(void)parent;
#endif
	null = open("/dev/null", O_RDWR);

	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		if (null > 2)
			close(null);
	}
	dup2(err_fd, 2);
	signal(SIGALRM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGXCPU, SIG_DFL);
	/* the parent's handlers are for the parent's cleanup */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
#ifndef KG_UNDER_ASAN
	/* AddressSanitizer has reserved terabytes of address space already;
	 * a limit would make every later allocation fail. */
	set_limit(RLIMIT_AS, (rlim_t)job->memory_limit_mb * 1024 * 1024);
#endif
	set_limit(RLIMIT_CPU, (rlim_t)job->timeout_seconds + 1);
	alarm(job->timeout_seconds + 2);
}

static int timeout_error(kg_diag_list *diags, const kg__rdrawing *d, const kg__gvjob *job)
{
	size_t at = kg_diag_list_count(diags);
	bool fast = strcmp(d->engine, "sfdp") == 0;

	kg__diag_addf(diags, KG_SEV_ERROR, NULL, NULL, NULL,
	              "layout with engine '%s' did not finish within %u s and was stopped",
	              d->engine, job->timeout_seconds);
	if (fast)
		kg__diag_hintf(diags, at, "draw fewer entities (a focus, a depth, entity or relation types), or allow more time");
	else
		kg__diag_hintf(diags, at, "try the faster engine 'sfdp', draw fewer entities, or allow more time");
	return KG_EIO;
}

static int run_forked(kg__buf *raw, kg__buf *err, const kg__rdrawing *d, const kg__gvjob *job,
                      kg_diag_list *diags, int *status, bool *timed_out)
{
	int outp[2], errp[2];
	struct pollfd fds[2];
	double deadline;
	pid_t pid, parent = getpid();
	int rc = KG_OK;

	*timed_out = false;
	if (pipe(outp) != 0)
		goto pipe_failed;
	if (pipe(errp) != 0) {
		close(outp[0]);
		close(outp[1]);
		goto pipe_failed;
	}
	fcntl(outp[0], F_SETFD, FD_CLOEXEC);
	fcntl(errp[0], F_SETFD, FD_CLOEXEC);
	fflush(NULL); /* so the child cannot write the parent's buffered output again */
	pid = fork();
	if (pid < 0) {
		int e = errno;
		close(outp[0]);
		close(outp[1]);
		close(errp[0]);
		close(errp[1]);
		kg__diag_addf(diags, KG_SEV_ERROR, NULL, NULL, NULL, "cannot start the Graphviz process: %s",
		              strerror(e));
		return KG_EIO;
	}
	if (pid == 0) {
		close(outp[0]);
		close(errp[0]);
		child_setup(errp[1], job, parent);
		kg__gv_child_main(outp[1], d, job);
		_exit(0);
	}
	running_child = (sig_atomic_t)pid;
	close(outp[1]);
	close(errp[1]);

	deadline = now_seconds() + job->timeout_seconds;
	fds[0].fd = outp[0];
	fds[1].fd = errp[0];
	while (fds[0].fd >= 0 || fds[1].fd >= 0) {
		char chunk[65536];
		double left = deadline - now_seconds();
		int i, n;
		if (left <= 0) {
			*timed_out = true;
			break;
		}
		fds[0].events = fds[1].events = POLLIN;
		fds[0].revents = fds[1].revents = 0;
		n = poll(fds, 2, (int)(left * 1000) + 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			kg__diag_addf(diags, KG_SEV_ERROR, NULL, NULL, NULL, "waiting for Graphviz: %s", strerror(errno));
			rc = KG_EIO;
			break;
		}
		for (i = 0; i < 2; i++) {
			ssize_t got;
			if (fds[i].fd < 0 || !fds[i].revents)
				continue;
			got = read(fds[i].fd, chunk, sizeof chunk);
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0) {
				close(fds[i].fd);
				fds[i].fd = -1;
				continue;
			}
			if (i == 0 && kg__buf_add(raw, chunk, (size_t)got)) {
				rc = KG_ENOMEM;
				break;
			}
			if (i == 1 && err->n < KG_GV_MAX_STDERR &&
			    kg__buf_add(err, chunk, (size_t)got < KG_GV_MAX_STDERR - err->n ? (size_t)got : KG_GV_MAX_STDERR - err->n)) {
				rc = KG_ENOMEM;
				break;
			}
		}
		if (rc != KG_OK)
			break;
	}
	if (fds[0].fd >= 0)
		close(fds[0].fd);
	if (fds[1].fd >= 0)
		close(fds[1].fd);
	if (*timed_out || rc != KG_OK)
		kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0) {
		if (errno != EINTR) {
			*status = -1; /* e.g. SIGCHLD ignored by the program: unknown */
			break;
		}
	}
	running_child = 0;
	return rc;

pipe_failed:
	kg__diag_addf(diags, KG_SEV_ERROR, NULL, NULL, NULL, "cannot create a pipe for Graphviz: %s",
	              strerror(errno));
	return KG_EIO;
}

/* Make sense of what the child sent and how it ended. */
static int finish_forked(unsigned char **out, size_t *len, kg__buf *raw, int status,
                         const kg__rdrawing *d, kg__gvjob *job, kg_diag_list *diags)
{
	size_t at = kg__gv_read_messages(raw->p, raw->n, diags);
	size_t data_at = 0;
	uint64_t data_len = 0;
	int32_t rc = KG_EIO;
	bool done = false;

	while (at < raw->n && !done) {
		char tag = raw->p[at];
		if (tag == 'S' && raw->n - at >= 5) {
			uint32_t dpi;
			memcpy(&dpi, raw->p + at + 1, sizeof dpi);
			job->dpi_used = dpi;
			at += 5;
		} else if (tag == 'P' && raw->n - at >= 9) {
			uint64_t npos;
			memcpy(&npos, raw->p + at + 1, sizeof npos);
			if (npos != d->nodes.n || npos * 2 * sizeof(double) > raw->n - at - 9)
				break;
			kg__free(job->positions);
			job->positions = kg__malloc(npos ? (size_t)npos * 2 * sizeof(double) : 1);
			if (!job->positions)
				return KG_ENOMEM;
			memcpy(job->positions, raw->p + at + 9, (size_t)npos * 2 * sizeof(double));
			job->npositions = (size_t)npos;
			at += 9 + (size_t)npos * 2 * sizeof(double);
		} else if (tag == 'D' && raw->n - at >= 9) {
			memcpy(&data_len, raw->p + at + 1, sizeof data_len);
			if (data_len > raw->n - at - 9)
				break;
			data_at = at + 9;
			at = data_at + (size_t)data_len;
		} else if (tag == 'X' && raw->n - at >= 5) {
			memcpy(&rc, raw->p + at + 1, sizeof rc);
			done = true;
		} else {
			break;
		}
	}
	if (!done) {
		if (status != -1 && WIFSIGNALED(status) &&
		    (WTERMSIG(status) == SIGXCPU || WTERMSIG(status) == SIGALRM))
			return timeout_error(diags, d, job);
		if (status != -1 && WIFSIGNALED(status)) {
			size_t i = kg_diag_list_count(diags);
			kg__diag_addf(diags, KG_SEV_ERROR, NULL, NULL, NULL,
			              "Graphviz crashed (signal %d) while drawing with engine '%s'",
			              WTERMSIG(status), d->engine);
			kg__diag_hintf(diags, i, "it may have run out of memory (limit %u MiB); try the engine 'sfdp' or draw fewer entities",
			               job->memory_limit_mb);
		} else {
			kg__diag_addf(diags, KG_SEV_ERROR, NULL, NULL, NULL,
			              "Graphviz stopped (exit status %d) while drawing with engine '%s'; it may have run out of memory",
			              status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1, d->engine);
		}
		return KG_EIO;
	}
	if (rc != KG_OK)
		return rc;
	/* Hand the buffer over: move the output to its start. */
	memmove(raw->p, raw->p + data_at, (size_t)data_len);
	raw->p[data_len] = '\0';
	*out = (unsigned char *)raw->p;
	*len = (size_t)data_len;
	raw->p = NULL;
	raw->n = raw->cap = 0;
	return KG_OK;
}

/* cairo 1.16 writes the time of the render into the PDF's document
 * information dictionary, "/CreationDate (D:20241124005527Z)", and offers
 * no way to fix it (not even SOURCE_DATE_EPOCH), so two renders of the
 * same graph would differ. The entry is overwritten with spaces, which
 * keeps every byte offset in the cross-reference table valid and leaves
 * a dictionary PDF readers accept. Only the last occurrence is touched
 * (the information dictionary is written at the end) and only when its
 * value is a date, so nothing else in the file can be mistaken for it. */
static void pdf_blank_creation_date(unsigned char *p, size_t len)
{
	static const char key[] = "/CreationDate (D:";
	size_t klen = sizeof key - 1;

	for (size_t at = len >= klen ? len - klen + 1 : 0; at-- > 0;) {
		if (memcmp(p + at, key, klen) != 0)
			continue;
		size_t end = at + klen;
		while (end < len && p[end] != '\0' && strchr("0123456789Z+-'", p[end]))
			end++;
		if (end < len && p[end] == ')')
			memset(p + at, ' ', end + 1 - at);
		return;
	}
}

int kg__render_graphviz(unsigned char **out, size_t *len, const kg__rdrawing *d,
                        kg__gvjob *job, kg_diag_list *diags)
{
	double start = now_seconds();
	int rc;

	*out = NULL;
	*len = 0;
	job->dpi_used = job->dpi;
	if (job->in_process) {
		rc = kg__gv_in_process(out, len, d, job, diags);
	} else {
		kg__buf raw = {0}, err = {0};
		int status = 0;
		bool timed_out;
		rc = run_forked(&raw, &err, d, job, diags, &status, &timed_out);
		stderr_messages(&err, diags);
		if (rc == KG_OK && timed_out)
			rc = timeout_error(diags, d, job);
		else if (rc == KG_OK)
			rc = finish_forked(out, len, &raw, status, d, job, diags);
		kg__buf_free(&raw);
		kg__buf_free(&err);
	}
	if (rc == KG_OK && strcmp(job->format, "pdf") == 0)
		pdf_blank_creation_date(*out, *len);
	job->seconds = now_seconds() - start;
	return rc;
}
