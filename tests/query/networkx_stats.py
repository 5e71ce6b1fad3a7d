#!/usr/bin/python3
"""networkx_stats.py - `kgraph stats` against NetworkX.

    networkx_stats.py KGRAPH WORKDIR GRAPH.yaml

On seeded random graphs (isolated entities, parallel relations,
self-relations, two relation types and two entity types, so that --rel
and --type filter something) and on the shipped GRAPH, what
`kgraph stats --format json` says must be what NetworkX computes on the
same network as an nx.Graph (undirected, one edge per pair, no
self-loops): the entity and relation counts, every component's size,
the isolated entities, the degree of every entity, its betweenness
(nx.betweenness_centrality, normalised, relative 1e-9) and the diameter
of the largest component. A graph too large for exact betweenness must
say it was estimated, bound the diameter around the true one, and give
the same numbers when run again (the seed is fixed).

Exit 0 when all agree, 1 with the first difference (the graph left in
WORKDIR), 77 when NetworkX is not installed (a ctest SKIP; scripts/setup
installs python3-networkx).
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
    print("networkx_stats: NetworkX is not installed (apt-get install python3-networkx); skipped")
    sys.exit(77)

GRAPHS = 20


def make_graph(rng, path):
    """A random graph as kgraph YAML; returns (types, relations) with
    types[entity] and relations (from, type, to)."""
    n = rng.randint(3, 60)
    types = {"e%d" % i: rng.choice(["person", "place"]) for i in range(n)}
    rels = []
    p = rng.uniform(0.3, 2.5)
    for _ in range(int(p * n)):
        a, b = rng.choice(list(types)), rng.choice(list(types))
        t = rng.choice(["knows", "visited"])
        rels.append((a, t, b))
        if rng.random() < 0.1:
            rels.append((b, t, a))  # parallel, the other way
    lines = ["entities:"] + ["  %s: {type: %s}" % (e, t) for e, t in types.items()] + ["relations:"]
    lines += ["  - [%s, %s, %s]" % r for r in rels] or ["  []"]
    if not rels:
        lines = lines[:-2] + ["relations: []"]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return types, rels


def nx_graph(types, rels, rel=None, etype=None):
    g = nx.Graph()
    g.add_nodes_from(e for e, t in types.items() if etype is None or t == etype)
    count = 0
    for a, t, b in rels:
        if (rel is None or t == rel) and a in g and b in g:
            count += 1
            if a != b:
                g.add_edge(a, b)
    return g, count


def kgraph_stats(kgraph, path, args):
    run = subprocess.run([kgraph, "stats", "--format", "json", "--top", "1000000"] + args + [path],
                         capture_output=True, text=True)
    if run.returncode != 0:
        return None, "exit %d: %s" % (run.returncode, run.stderr)
    return json.loads(run.stdout), None


def compare(got, g, nrel):
    """None when kgraph's JSON agrees with NetworkX on g, else what differs."""
    if got["entities"] != g.number_of_nodes():
        return "entities %d, NetworkX %d" % (got["entities"], g.number_of_nodes())
    if got["relations"] != nrel:
        return "relations %d, expected %d" % (got["relations"], nrel)
    sizes = sorted((len(c) for c in nx.connected_components(g)), reverse=True)
    if got["component_sizes"] != sizes:
        return "component sizes %s, NetworkX %s" % (got["component_sizes"], sizes)
    isolated = sum(1 for v in g if g.degree(v) == 0)
    if got["isolated"] != isolated:
        return "isolated %d, NetworkX %d" % (got["isolated"], isolated)
    degree = {e["id"]: e["value"] for e in got["top_degree"]}
    if degree != dict(g.degree()):
        return "degrees %s, NetworkX %s" % (degree, dict(g.degree()))
    bc = nx.betweenness_centrality(g)
    if not got["betweenness"]["exact"]:
        return "betweenness estimated on a small graph"
    for e in got["betweenness"]["top"]:
        if not math.isclose(e["value"], bc[e["id"]], rel_tol=1e-9, abs_tol=1e-12):
            return "betweenness of %s %r, NetworkX %r" % (e["id"], e["value"], bc[e["id"]])
    if len(got["betweenness"]["top"]) != len(bc):
        return "betweenness of %d entities, NetworkX %d" % (len(got["betweenness"]["top"]), len(bc))
    if sizes:
        big = [c for c in nx.connected_components(g) if len(c) == sizes[0]]
        diameters = {nx.diameter(g.subgraph(c)) for c in big}
        d = got["diameter"]
        if not d["exact"] or d["at_least"] not in diameters:
            return "diameter %s, NetworkX %s" % (d, diameters)
    return None


def fail(msg, path):
    print("networkx_stats: %s (graph: %s)" % (msg, path))
    sys.exit(1)


def main():
    kgraph, work, shipped = sys.argv[1], sys.argv[2], sys.argv[3]
    os.makedirs(work, exist_ok=True)
    rng = random.Random(20261206)
    path = os.path.join(work, "random.yaml")
    for i in range(GRAPHS):
        types, rels = make_graph(rng, path)
        for args, rel, etype in (([], None, None), (["--rel", "knows"], "knows", None),
                                 (["--type", "person"], None, "person")):
            g, nrel = nx_graph(types, rels, rel, etype)
            got, err = kgraph_stats(kgraph, path, args)
            if err and g.number_of_nodes() == 0 and err.startswith("exit 1"):
                continue  # no entity of the type: nothing to measure
            if err or (err := compare(got, g, nrel)):
                fail("graph %d %s: %s" % (i, " ".join(args), err), path)

    # The shipped graph, read by NetworkX from kgraph's own listing.
    run = subprocess.run([kgraph, "list", "--relations", "--format", "tsv", shipped], capture_output=True, text=True)
    ents = subprocess.run([kgraph, "list", "--format", "tsv", shipped], capture_output=True, text=True)
    types = {line.split("\t")[0]: line.split("\t")[1] for line in ents.stdout.splitlines()[1:]}
    rels = [tuple(line.split("\t")[:3]) for line in run.stdout.splitlines()[1:]]
    g, nrel = nx_graph(types, rels)
    got, err = kgraph_stats(kgraph, shipped, [])
    if err or (err := compare(got, g, nrel)):
        fail("shipped graph: %s" % err, shipped)

    # A cycle too large for exact betweenness: estimated, said so, the
    # same twice, and the diameter bounds hold the true one (n / 2).
    n = 12000
    path = os.path.join(work, "cycle.yaml")
    with open(path, "w") as f:
        f.write("entities:\n" + "".join("  c%d: {type: place}\n" % i for i in range(n)))
        f.write("relations:\n" + "".join("  - [c%d, r, c%d]\n" % (i, (i + 1) % n) for i in range(n)))
    first, err = kgraph_stats(kgraph, path, [])
    again, err2 = kgraph_stats(kgraph, path, [])
    if err or err2:
        fail(err or err2, path)
    if first["betweenness"]["exact"] or first != again:
        fail("a large graph's betweenness is not a repeatable estimate", path)
    d = first["diameter"]
    if d["exact"] or not d["at_least"] <= n // 2 <= d["at_most"]:
        fail("diameter bounds %s do not hold %d" % (d, n // 2), path)
    print("networkx_stats: %d random graphs, the shipped graph and a large cycle agree" % GRAPHS)


main()
