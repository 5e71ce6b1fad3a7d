/*
 * fuzz_cli.c - libFuzzer target for the command line itself: arguments
 * and a graph file together, so that option parsing, entity names given
 * on the command line and every command's output path are fuzzed, not only
 * the loader.
 *
 * An input is the argument words, one a line, then an empty line, then the
 * bytes of a graph file. The file is written as g.yaml in a scratch folder
 * (the current directory is left alone: libFuzzer keeps its corpus by
 * relative names); the word "@" stands for its path, and a run whose words
 * name no file gets it as its last argument. Under libFuzzer, -close_fd_mask=3 (scripts/fuzz) keeps the
 * command's output off the terminal while libFuzzer's own reports still
 * show; the replay under ctest (KG_FUZZ_REPLAY) sends it to /dev/null.
 *
 * What is left out, and why: `render` and every `-o` (they fork Graphviz
 * and write files; fuzz_render covers drawing), `--generate` (it writes
 * the man page), and --timeout-like waits. They are dropped from the words,
 * so the rest of the command line still runs.
 *
 * Built as a libFuzzer target with -DKGRAPH_FUZZ=ON (scripts/fuzz cli),
 * and always as fuzz_cli_replay, which runs the regression corpus under
 * ctest.
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int kg_cli_run(int argc, char **argv);

#define MAX_WORDS 32
#define MAX_WORD 256

static char scratch[64];
static char graph[96];
static int saved_out = -1, saved_err = -1;

/* At exit: the scratch folder goes, and the process's own output comes
 * back (the replay prints how many inputs it ran). */
static void tear_down(void)
{
	if (scratch[0]) {
		unlink(graph);
		rmdir(scratch);
	}
	/* Each run flushed its own output to /dev/null; what is buffered now
	 * is the caller's, and goes where stdout went before. */
	if (saved_out >= 0)
		dup2(saved_out, STDOUT_FILENO);
	if (saved_err >= 0)
		dup2(saved_err, STDERR_FILENO);
}

/* Once per process: a scratch folder to run in, and output to /dev/null. */
static void set_up(void)
{
	int null;

	if (scratch[0])
		return;
	snprintf(scratch, sizeof scratch, "/tmp/kgraph-fuzz-cli-XXXXXX");
	if (!mkdtemp(scratch))
		abort();
	snprintf(graph, sizeof graph, "%s/g.yaml", scratch);
	atexit(tear_down);
#ifdef KG_FUZZ_REPLAY
	null = open("/dev/null", O_WRONLY);
	if (null < 0)
		abort();
	fflush(stdout);
	fflush(stderr);
	saved_out = dup(STDOUT_FILENO);
	saved_err = dup(STDERR_FILENO);
	dup2(null, STDOUT_FILENO);
	dup2(null, STDERR_FILENO);
	close(null);
#else
	(void)null;
#endif
}

static int dropped(const char *w)
{
	static const char *const words[] = {"render", "-o", "--output", "--generate", "-T", NULL};
	size_t i;

	for (i = 0; words[i]; i++)
		if (strcmp(w, words[i]) == 0 || (strncmp(w, words[i], strlen(words[i])) == 0 &&
		                                 w[strlen(words[i])] == '=' && words[i][1] == '-'))
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char words[MAX_WORDS][MAX_WORD], *argv[MAX_WORDS + 3];
	int argc = 0, named = 0;
	size_t at = 0, n = 0;
	FILE *f;

	set_up();
	argv[argc++] = "kgraph";
	/* The words, up to an empty line. */
	while (at < size && data[at] != '\n') {
		size_t len = 0;
		while (at + len < size && data[at + len] != '\n')
			len++;
		if (n < MAX_WORDS && len < MAX_WORD) {
			memcpy(words[n], data + at, len);
			words[n][len] = '\0';
			if (strlen(words[n]) == len && !dropped(words[n])) {
				if (strcmp(words[n], "@") == 0) {
					snprintf(words[n], MAX_WORD, "%s", graph);
					named = 1;
				}
				argv[argc++] = words[n];
				n++;
			}
		}
		at += len + 1;
	}
	at++;
	f = fopen(graph, "wb");
	if (!f)
		abort();
	if (at < size)
		fwrite(data + at, 1, size - at, f);
	fclose(f);
	if (!named && argc > 1)
		argv[argc++] = graph;
	argv[argc] = NULL;
	kg_cli_run(argc, argv);
	fflush(stdout);
	fflush(stderr);
	clearerr(stdout);
	return 0;
}
