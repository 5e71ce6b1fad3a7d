/*
 * igraph_graphml.c - a real consumer of kgraph's GraphML: igraph's C
 * reader (igraph_read_graph_graphml). Reads FILE and checks that it has
 * the expected numbers of vertices and edges, that it is directed, and
 * that the string attribute ATTR of the vertex whose "id" is ID is VALUE
 * (given as arguments, so the test data stays in CMake).
 *
 *   igraph_graphml FILE NVERTICES NEDGES [ID ATTR VALUE]
 *
 * Exit 0 when everything matches, 1 (with a message) when not.
 */
#include <igraph.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	igraph_t g;
	FILE *f;
	long nv, ne;
	int ok = 1;

	if (argc != 4 && argc != 7) {
		fprintf(stderr, "usage: %s FILE NVERTICES NEDGES [ID ATTR VALUE]\n", argv[0]);
		return 2;
	}
	f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	igraph_set_attribute_table(&igraph_cattribute_table);
	if (igraph_read_graph_graphml(&g, f, 0) != IGRAPH_SUCCESS) {
		fprintf(stderr, "igraph could not read %s\n", argv[1]);
		fclose(f);
		return 1;
	}
	fclose(f);
	nv = (long)igraph_vcount(&g);
	ne = (long)igraph_ecount(&g);
	if (nv != atol(argv[2]) || ne != atol(argv[3]) || !igraph_is_directed(&g)) {
		fprintf(stderr, "igraph read %ld vertices and %ld edges (%s), expected %s and %s (directed)\n", nv, ne,
		        igraph_is_directed(&g) ? "directed" : "undirected", argv[2], argv[3]);
		ok = 0;
	}
	if (ok && argc == 7) {
		igraph_integer_t v;
		ok = 0;
		for (v = 0; v < igraph_vcount(&g); v++) {
			if (strcmp(VAS(&g, "id", v), argv[4]) != 0)
				continue;
			ok = strcmp(VAS(&g, argv[5], v), argv[6]) == 0;
			if (!ok)
				fprintf(stderr, "vertex %s: %s is '%s', expected '%s'\n", argv[4], argv[5], VAS(&g, argv[5], v),
				        argv[6]);
			break;
		}
		if (v == igraph_vcount(&g))
			fprintf(stderr, "no vertex with id %s\n", argv[4]);
	}
	igraph_destroy(&g);
	if (ok)
		printf("igraph read %ld vertices and %ld edges\n", nv, ne);
	return ok ? 0 : 1;
}
