#!/usr/bin/python3
"""path_nx.py - `kgraph path FROM TO FILE` as a Python user would write it.

    path_nx.py FROM TO FILE

The end-to-end peer of the benchmark: start Python, load the graph file
with PyYAML's C loader into a NetworkX MultiDiGraph (peer_nx.build), find
one shortest path following relations both ways, and print it as names
joined by the relation types, one line, like kgraph's text output. Exit
status 1 when there is no path, like kgraph.
"""
import sys

import networkx as nx

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from peer_nx import load  # noqa: E402


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.split("\n\n")[1])
    a, b, path = sys.argv[1:]
    _, G = load(path)
    try:
        nodes = nx.shortest_path(G.to_undirected(as_view=True), a, b)
    except nx.NetworkXNoPath:
        return 1
    out = [G.nodes[nodes[0]].get("name", nodes[0])]
    for u, v in zip(nodes, nodes[1:]):
        if G.has_edge(u, v):
            out.append(f"—{next(iter(G[u][v].values()))['type']}→")
        else:
            out.append(f"←{next(iter(G[v][u].values()))['type']}—")
        out.append(G.nodes[v].get("name", v))
    print(" ".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
