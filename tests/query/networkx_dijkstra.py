#!/usr/bin/python3
"""networkx_dijkstra.py - `kgraph path --weight` against NetworkX's Dijkstra.

    networkx_dijkstra.py KGRAPH WORKDIR [SEED]

On seeded random graphs whose weights spread over 18 orders of magnitude
(10^U(-6, 12)), with parallel relations, each lightest path kgraph returns
must weigh what NetworkX's Dijkstra says (relative 1e-12), and must be a
real path of that weight: each step a relation of the graph, followed from
the entity the previous step reached, the weights of its relations adding
up to the weight printed. Undirected (a MultiGraph: `path` follows
relations both ways) and with --directed (a MultiDiGraph). "No path" must
agree too.

Exit 0 when every answer agrees, 1 with the first that does not (and the
graph left in WORKDIR), 77 when NetworkX is not installed (a ctest SKIP;
scripts/setup installs python3-networkx).
"""
import json
import math
import os
import random
import subprocess
import sys

try:
    import networkx as nx
except ImportError:
    print("networkx_dijkstra: NetworkX is not installed (apt-get install python3-networkx); skipped")
    sys.exit(77)

GRAPHS = 24
QUERIES = 12


def make_graph(rng, path):
    """A random graph written as kgraph YAML: returns (entities,
    relations), each relation (from, to, weight, line)."""
    n = rng.randint(4, 40)
    ents = ["e%d" % i for i in range(n)]
    rels = []
    lines = ["entities:"] + ["  %s: {type: place}" % e for e in ents] + ["relations:"]
    for _ in range(rng.randint(n, 4 * n)):
        a, b = rng.randrange(n), rng.randrange(n)
        w = 10.0 ** rng.uniform(-6, 12)
        copies = 2 if rng.random() < 0.15 else 1  # parallel relations
        for _ in range(copies):
            if copies == 2:
                w = 10.0 ** rng.uniform(-6, 12)
            lines.append("  - [%s, r, %s, {weight: %r}]" % (ents[a], ents[b], w))
            rels.append((ents[a], ents[b], w, len(lines)))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return ents, rels


def nx_graph(ents, rels, directed):
    g = nx.MultiDiGraph() if directed else nx.MultiGraph()
    g.add_nodes_from(ents)
    for a, b, w, _ in rels:
        if a != b:  # a path never takes a self-relation
            g.add_edge(a, b, weight=w)
    return g


def close(x, y):
    return math.isclose(x, y, rel_tol=1e-12, abs_tol=0.0)


def check(kgraph, path, ents, rels, directed, src, dst, g):
    """None when kgraph and NetworkX agree, else what differs."""
    args = [kgraph, "path", "--weight", "weight", "--format", "json"]
    args += ["--directed"] if directed else []
    run = subprocess.run(args + [src, dst, path], capture_output=True, text=True)
    try:
        want = nx.dijkstra_path_length(g, src, dst, weight="weight")
    except nx.NetworkXNoPath:
        want = None
    if want is None or run.returncode == 1:
        if want is None and run.returncode == 1:
            return None
        return "kgraph exit %d (%s), NetworkX %s" % (run.returncode, run.stderr.strip(), want)
    if run.returncode != 0:
        return "kgraph exit %d: %s" % (run.returncode, run.stderr.strip()[:2000])
    got = json.loads(run.stdout)["paths"][0]
    if not close(got["weight"], want):
        return "weight %r, NetworkX %r" % (got["weight"], want)
    by_line = {line: (a, b, w) for a, b, w, line in rels}
    at, total = src, 0.0
    for step in got["steps"]:
        a, b, w = by_line[step["line"]]
        fwd = step["direction"] == "forward"
        if (a, b) != ((step["from"], step["to"]) if fwd else (step["to"], step["from"])) or step["from"] != at:
            return "step %r is not a relation taken from %s" % (step, at)
        if directed and not fwd:
            return "--directed took relation at line %d against its direction" % step["line"]
        at = step["to"]
        total += w
    if at != dst or not close(total, got["weight"]):
        return "the steps end at %s and weigh %r, not %s and %r" % (at, total, dst, got["weight"])
    return None


def main():
    kgraph, work = sys.argv[1], sys.argv[2]
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 12
    os.makedirs(work, exist_ok=True)
    rng = random.Random(seed)
    asked = 0
    for gi in range(GRAPHS):
        path = os.path.join(work, "g%d.yaml" % gi)
        ents, rels = make_graph(rng, path)
        for directed in (False, True):
            g = nx_graph(ents, rels, directed)
            for _ in range(QUERIES):
                src, dst = rng.choice(ents), rng.choice(ents)
                problem = check(kgraph, path, ents, rels, directed, src, dst, g)
                asked += 1
                if problem:
                    print("networkx_dijkstra: seed %d, %s, %s%s -> %s: %s"
                          % (seed, path, "--directed " if directed else "", src, dst, problem))
                    return 1
        os.remove(path)
    print("networkx_dijkstra: %d questions, every answer agrees with NetworkX" % asked)
    return 0


if __name__ == "__main__":
    sys.exit(main())
