/*
 * yaml_scan.c - the floor for any libyaml loader: read a file as a stream
 * of YAML events and do nothing with them.
 *
 *   yaml_scan FILE
 *
 * prints one JSON line: seconds (wall and CPU), events, peak RSS. The file is read the way
 * kg_load_files reads it (yaml_parser_set_input_file on a FILE *), so the
 * difference between the two is exactly what kgraph does with the events:
 * checks, interning, records, resolving and indexes. Each event is
 * deleted as soon as it is read, as a streaming loader would.
 */
#include "bench_util.h"

#include <yaml.h>

int main(int argc, char **argv)
{
	yaml_parser_t parser;
	yaml_event_t event;
	unsigned long long events = 0;
	double t0, t1, c0, c1;
	FILE *fp;
	int done = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: yaml_scan FILE\n");
		return 3;
	}
	t0 = bench_now();
	c0 = bench_cpu_now();
	fp = fopen(argv[1], "rb");
	if (!fp) {
		perror(argv[1]);
		return 4;
	}
	if (!yaml_parser_initialize(&parser)) {
		fprintf(stderr, "yaml_scan: out of memory\n");
		return 4;
	}
	yaml_parser_set_input_file(&parser, fp);
	while (!done) {
		if (!yaml_parser_parse(&parser, &event)) {
			fprintf(stderr, "%s:%lu:%lu: %s\n", argv[1], (unsigned long)parser.problem_mark.line + 1,
			        (unsigned long)parser.problem_mark.column + 1, parser.problem ? parser.problem : "error");
			return 2;
		}
		done = event.type == YAML_STREAM_END_EVENT;
		events++;
		yaml_event_delete(&event);
	}
	yaml_parser_delete(&parser);
	fclose(fp);
	t1 = bench_now();
	c1 = bench_cpu_now();
	printf("{\"seconds\": %.6f, \"cpu\": %.6f, \"events\": %llu, \"maxrss_kb\": %ld, \"libyaml\": \"%s\"}\n",
	       t1 - t0, c1 - c0, events, bench_maxrss_kb(), yaml_get_version_string());
	return 0;
}
