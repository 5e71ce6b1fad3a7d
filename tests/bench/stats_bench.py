#!/usr/bin/python3
"""stats_bench.py - `kgraph stats` against NetworkX's equivalent measures.

    stats_bench.py --kgraph BUILD/kgraph --graph BUILD/bench-graphs/r1m
                   [--runs 5] [--nx-runs 3] [--nx-sources 16]

GRAPH is a prefix made by gen.py: GRAPH.yaml for kgraph, GRAPH.edges (the
same relations as an undirected edge list) for NetworkX. Measured, runs
interleaved so that a busy machine slows each alike, medians (min-max):

- `kgraph stats GRAPH.yaml`: the whole command, YAML load included;
- `kgraph stats GRAPH.kgs`: the same on a compiled snapshot, so nearly
  all of it is the measures;
- NetworkX 3 on an nx.Graph built from GRAPH.edges (the build timed
  apart, no YAML: PyYAML alone takes about 110 s on 1M relations), each
  measure kgraph gives: degree distribution, connected components,
  betweenness and the diameter's bounds.

NetworkX is capped, and the table says so: exact betweenness (Brandes
from all 200k sources) or an exact diameter would take hours in pure
Python, so it samples --nx-sources sources (kgraph samples 64 on this
size, KG_STATS_MIN_SAMPLES) with nx.betweenness_centrality(k=, seed=1),
and its time per source is given beside it; the diameter is
nx.approximation.diameter (a lower bound from 2-sweeps), kgraph's is a
lower and an upper bound from 4 BFS sweeps.

The exact measures are compared: the degree distribution, the component
sizes and the isolated count must be equal (exit 1 otherwise). Sampled
betweenness is not compared (the samples differ).
"""
import argparse
import collections
import json
import os
import statistics
import subprocess
import sys
import time


def nx_peer(edges, sources):
    """One NetworkX run: JSON with each measure's seconds and results."""
    import networkx as nx
    out = {"networkx": nx.__version__}
    t0 = time.perf_counter()
    G = nx.Graph()
    with open(edges) as f:
        n, _ = map(int, f.readline().split())
        G.add_nodes_from(range(n))
        G.add_edges_from(tuple(map(int, line.split())) for line in f)
    out["build"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    hist = collections.Counter(d for _, d in G.degree())
    out["degree"] = time.perf_counter() - t0
    out["degree_distribution"] = sorted(hist.items())

    t0 = time.perf_counter()
    comps = sorted((len(c) for c in nx.connected_components(G)), reverse=True)
    out["components"] = time.perf_counter() - t0
    out["component_sizes"] = comps
    out["isolated"] = hist.get(0, 0)

    t0 = time.perf_counter()
    bc = nx.betweenness_centrality(G, k=sources, seed=1, normalized=True)
    out["betweenness"] = time.perf_counter() - t0
    out["betweenness_top"] = sorted(bc, key=bc.get, reverse=True)[:10]

    t0 = time.perf_counter()
    giant = G.subgraph(max(nx.connected_components(G), key=len))
    out["diameter_at_least"] = nx.approximation.diameter(giant, seed=1)
    out["diameter"] = time.perf_counter() - t0
    return out


def timed(cmd):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode:
        sys.exit(f"stats_bench: {' '.join(cmd)} failed ({p.returncode}):\n{p.stderr}")
    return time.perf_counter() - t0, p.stdout


def fmt(xs):
    return f"{statistics.median(xs):.2f} s ({min(xs):.2f}-{max(xs):.2f}, {len(xs)} runs)"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kgraph", required=True)
    ap.add_argument("--graph", required=True, help="prefix made by gen.py")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--nx-runs", type=int, default=3)
    ap.add_argument("--nx-sources", type=int, default=16)
    ap.add_argument("--peer", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.peer:
        print(json.dumps(nx_peer(a.graph + ".edges", a.nx_sources)))
        return 0

    yaml_file, snap = a.graph + ".yaml", a.graph + ".kgs"
    subprocess.run([a.kgraph, "compile", yaml_file, "-o", snap], check=True)
    kg_yaml, kg_snap, nx_runs = [], [], []
    kg = None
    for i in range(max(a.runs, a.nx_runs)):
        if i < a.runs:
            t, out = timed([a.kgraph, "stats", "--format", "json", yaml_file])
            kg_yaml.append(t)
            kg = json.loads(out)
            kg_snap.append(timed([a.kgraph, "stats", "--format", "json", snap])[0])
        if i < a.nx_runs:
            _, out = timed([sys.executable, __file__, "--peer", "--kgraph", a.kgraph, "--graph", a.graph,
                            "--nx-sources", str(a.nx_sources)])
            nx_runs.append(json.loads(out))
        print(f"stats_bench: run {i + 1} done, load {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)

    ok = True
    nxr = nx_runs[-1]
    kg_hist = sorted((int(k), v) for k, v in kg["degree_distribution"].items())
    for what, mine, theirs in (("degree distribution", kg_hist, [tuple(x) for x in nxr["degree_distribution"]]),
                               ("component sizes", kg["component_sizes"], nxr["component_sizes"]),
                               ("isolated", kg["isolated"], nxr["isolated"])):
        same = mine == theirs
        ok &= same
        print(f"| {what} | {'same' if same else 'DIFFERENT'} |")
    med = lambda k: statistics.median(r[k] for r in nx_runs)
    b = kg["betweenness"]
    d = kg["diameter"]
    print(f"\nentities {kg['entities']}, relations {kg['relations']}, load average {os.getloadavg()[0]:.1f}")
    print(f"kgraph stats, YAML:     {fmt(kg_yaml)}")
    how = f"exact, all {b['sources']} sources" if b["exact"] else f"from {b['sources']} sampled sources"
    diam = d.get("value") if d.get("exact") else f"{d.get('at_least')}-{d.get('at_most')}"
    print(f"kgraph stats, snapshot: {fmt(kg_snap)}  (betweenness {how}, diameter {diam})")
    total = sum(med(k) for k in ("degree", "components", "betweenness", "diameter"))
    print(f"NetworkX {nxr['networkx']} ({len(nx_runs)} runs, medians): build from edge list {med('build'):.2f} s; "
          f"degree {med('degree'):.2f} s, components {med('components'):.2f} s, "
          f"betweenness ({a.nx_sources} sources) {med('betweenness'):.2f} s "
          f"= {med('betweenness') / a.nx_sources:.2f} s a source, "
          f"diameter >= {nxr['diameter_at_least']} {med('diameter'):.2f} s; measures {total:.2f} s")
    print(f"NetworkX with kgraph's {b['sources']} sources, extrapolated: "
          f"{total + med('betweenness') / a.nx_sources * (b['sources'] - a.nx_sources):.0f} s of measures")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
