/*
 * flip.c - run the fuzz target on every one-byte change
 * of FILE (each byte in turn XORed with 0xFF, then with 0x01), so that a
 * small snapshot's every field meets a wrong value: nothing may crash or
 * read out of bounds (run under AddressSanitizer in the sanitizer build).
 *
 *   snapshot_flip --flip SNAPSHOT
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	FILE *f;
	uint8_t *buf;
	long size;
	size_t i;
	int x;

	if (argc != 3 || strcmp(argv[1], "--flip") != 0) {
		fputs("usage: snapshot_flip --flip SNAPSHOT\n", stderr);
		return 2;
	}
	if (!(f = fopen(argv[2], "rb")) || fseek(f, 0, SEEK_END) || (size = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) ||
	    !(buf = malloc((size_t)size)) || fread(buf, 1, (size_t)size, f) != (size_t)size) {
		perror(argv[2]);
		return 1;
	}
	fclose(f);
	for (x = 0; x < 2; x++)
		for (i = 0; i < (size_t)size; i++) {
			uint8_t mask = x ? 0x01 : 0xFF;
			buf[i] ^= mask;
			LLVMFuzzerTestOneInput(buf, (size_t)size);
			buf[i] ^= mask;
		}
	printf("%ld bytes, each changed twice: no crash\n", size);
	free(buf);
	return 0;
}
