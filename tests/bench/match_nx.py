#!/usr/bin/python3
"""match_nx.py - the questions of match_bench.c asked of NetworkX.

    match_nx.py FILE.yaml ID

Loads the graph with peer_nx.load (PyYAML's C loader into a MultiDiGraph),
then times, after load, the selective two-hop pattern from ID and the
type-wide count, each the best of several runs, written the way a Python
user would write them.
"""
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from peer_nx import load  # noqa: E402


def two_hop(G, p):
    rows = []
    for _, o, k, d in G.out_edges(p, keys=True, data=True):
        if d.get("type") != "member_of":
            continue
        for q, _, k2, d2 in G.in_edges(o, keys=True, data=True):
            # Cypher binds a relation once: the second is not the first.
            if (d2.get("type") == "member_of" and G.nodes[q].get("type") == "person"
                    and (q, k2) != (p, k)):
                rows.append((q, o))
    return rows


def type_wide(G):
    n = 0
    for u, v, d in G.edges(data=True):
        if (d.get("type") == "member_of" and G.nodes[u].get("type") == "person"
                and G.nodes[v].get("type") == "organization"):
            n += 1
    return n


def best(f, reps):
    b, r = 1e9, None
    for _ in range(reps):
        t = time.perf_counter()
        r = f()
        b = min(b, time.perf_counter() - t)
    return b, r


def main():
    path, pid = sys.argv[1], sys.argv[2]
    t = time.perf_counter()
    _, G = load(path)
    print("load       %.0f ms" % ((time.perf_counter() - t) * 1e3))
    s, rows = best(lambda: two_hop(G, pid), 20)
    print("two-hop    %10d rows %10.3f ms" % (len(rows), s * 1e3))
    s, n = best(lambda: type_wide(G), 3)
    print("type-wide  %10d rows %10.3f ms" % (n, s * 1e3))


if __name__ == "__main__":
    main()
