/*
 * replay.c - run a fuzz target's LLVMFuzzerTestOneInput once on each file
 * named on the command line (or each file in each named directory), so
 * the regression corpus runs under ctest without libFuzzer or clang.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, got;
	unsigned char chunk[65536];

	if (!f) {
		perror(path);
		return 1;
	}
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (len + got > cap) {
			unsigned char *nb;
			cap = (len + got) * 2;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return 1;
			}
			buf = nb;
		}
		memcpy(buf + len, chunk, got);
		len += got;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf ? buf : (const unsigned char *)"", len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int i, failed = 0, runs = 0;

	for (i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			DIR *dir = opendir(argv[i]);
			struct dirent *e;
			while (dir && (e = readdir(dir))) {
				char path[4096];
				if (e->d_name[0] == '.')
					continue;
				snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
				failed |= run_file(path);
				runs++;
			}
			if (dir)
				closedir(dir);
		} else {
			failed |= run_file(argv[i]);
			runs++;
		}
	}
	printf("%d inputs replayed\n", runs);
	return failed;
}
