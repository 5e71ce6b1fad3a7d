/*
 * bench_util.h - what the benchmark's C programs share: a clock, peak and
 * current memory, reading the .queries file, and JSON lines out.
 *
 * Header-only (static functions) so each program stays one .c file plus
 * this. Not part of the library; the library never prints, these
 * programs do nothing else.
 */
#ifndef KG_BENCH_UTIL_H
#define KG_BENCH_UTIL_H

#define _POSIX_C_SOURCE 200809L
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static inline double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of this process: less disturbed than wall time by other work
 * on a shared machine. */
static inline double bench_cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Peak resident set of this process so far, in KiB. Linux's VmHWM,
 * which starts afresh at execve; getrusage's ru_maxrss does not (it keeps
 * the peak of the process that forked us, e.g. a large Python), so it is
 * only the fallback. */
static inline long bench_maxrss_kb(void)
{
	struct rusage ru;
	char line[256];
	long kb = -1;
	FILE *fp = fopen("/proc/self/status", "r");

	while (fp && fgets(line, sizeof line, fp))
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	if (fp)
		fclose(fp);
	if (kb >= 0)
		return kb;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* Bytes malloc has handed out and not had back (heap and mmap'ed blocks):
 * the difference across a build is what the structure costs, whatever
 * glibc keeps cached. */
static inline size_t bench_malloc_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

/* One line of the .queries file written by gen.py:
 *   KIND FROM_ID TO_ID FROM_NUMBER TO_NUMBER
 * ("-" and -1 for the missing end of a neighbourhood query). */
typedef struct bench_query {
	char kind[16];
	char from_id[128], to_id[128];
	long from_n, to_n;
} bench_query;

typedef struct bench_queries {
	bench_query *q;
	size_t n;
} bench_queries;

static inline int bench_read_queries(bench_queries *out, const char *path)
{
	FILE *fp = fopen(path, "r");
	bench_query q;
	size_t cap = 0;

	out->q = NULL;
	out->n = 0;
	if (!fp) {
		perror(path);
		return -1;
	}
	while (fscanf(fp, "%15s %127s %127s %ld %ld", q.kind, q.from_id, q.to_id, &q.from_n, &q.to_n) == 5) {
		if (out->n == cap) {
			cap = cap ? 2 * cap : 128;
			out->q = realloc(out->q, cap * sizeof *out->q);
			if (!out->q)
				abort();
		}
		out->q[out->n++] = q;
	}
	fclose(fp);
	return 0;
}

/* Results of one kind of query: per-repetition batch times and one
 * answer per query (a path length, a path count, a neighbourhood size). */
typedef struct bench_result {
	const char *kind;
	double *times;
	size_t ntimes;
	long *answers;
	size_t nanswers;
} bench_result;

static inline void bench_print_result(FILE *fp, const bench_result *r, int last)
{
	size_t i;

	fprintf(fp, "\"%s\": {\"times\": [", r->kind);
	for (i = 0; i < r->ntimes; i++)
		fprintf(fp, "%s%.9f", i ? ", " : "", r->times[i]);
	fprintf(fp, "], \"answers\": [");
	for (i = 0; i < r->nanswers; i++)
		fprintf(fp, "%s%ld", i ? ", " : "", r->answers[i]);
	fprintf(fp, "]}%s", last ? "" : ", ");
}

#endif
