#!/usr/bin/python3
"""peer_nx.py - the PyYAML + NetworkX peer of kgraph's benchmark.

    peer_nx.py FILE [QUERIES] [--memory]

Loads FILE the way a Python user would (PyYAML's C loader, CSafeLoader,
then a NetworkX MultiDiGraph holding what kgraph holds: every entity with
its attributes, every relation as a directed edge with its type, date,
source and quote, parallel relations kept), timing the two together, and
reads the peak RSS straight after. With QUERIES, it then asks the
benchmark's questions and prints each batch's time and answers. With
--memory, it also measures the graph's bytes (see graph_bytes). One JSON
line goes to stdout.

The queries run on an undirected simple nx.Graph made from the
MultiDiGraph before the clock starts: kgraph follows relations both ways
by default, the generated graphs have no parallel relations, and a plain
Graph is NetworkX's fastest representation, so this is the peer's best
case.

It checks nothing: no ids, dates, types, references or duplicates, all of
which kgraph's load does. Run it with Debian's /usr/bin/python3, where
python3-yaml and python3-networkx are installed.
"""
import gc
import json
import resource
import sys
import time
import tracemalloc

import networkx as nx
import yaml


def build(doc):
    """A MultiDiGraph with everything kgraph keeps of a graph file."""
    G = nx.MultiDiGraph()
    for key in ("title", "description", "sources", "types", "relation_types"):
        if doc.get(key) is not None:
            G.graph[key] = doc[key]
    for eid, e in (doc.get("entities") or {}).items():
        G.add_node(eid, **e)
    for r in doc.get("relations") or []:
        if isinstance(r, list):
            if len(r) > 3:
                G.add_edge(r[0], r[2], type=r[1], **r[3])
            else:
                G.add_edge(r[0], r[2], type=r[1])
        else:
            r = dict(r)
            u, v = r.pop("from"), r.pop("to")
            G.add_edge(u, v, **r)
    return G


def maxrss_kb():
    """Peak RSS of this process: VmHWM, which starts afresh at exec (unlike
    ru_maxrss, which keeps the peak of the process that forked us)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def load(path, times=None):
    """The document and the graph; times, when given, receives how long
    PyYAML took."""
    t0 = time.perf_counter()
    with open(path, "rb") as f:
        doc = yaml.load(f, Loader=yaml.CSafeLoader)
    if times is not None:
        times["yaml_seconds"] = time.perf_counter() - t0
    return doc, build(doc)


def leaf_bytes(G):
    """Bytes of the objects the graph refers to but did not create: node
    ids and attribute values (strings, dates, lists), each counted once."""
    seen = set()
    total = 0

    def add(x):
        nonlocal total
        if id(x) in seen:
            return
        seen.add(id(x))
        total += sys.getsizeof(x)
        if isinstance(x, (list, tuple)):
            for y in x:
                add(y)
        elif isinstance(x, dict):
            for k, y in x.items():
                add(k)
                add(y)

    for n, d in G.nodes(data=True):
        add(n)
        for k, v in d.items():
            add(k)
            add(v)
    for _, _, d in G.edges(data=True):
        for k, v in d.items():
            add(k)
            add(v)
    for v in G.graph.values():
        add(v)
    return total


def graph_bytes(doc):
    """What the graph costs once the YAML tree is gone: the containers a
    build allocates (traced by tracemalloc, which is slow, so this build is
    a second one, untimed) plus the leaf objects it keeps from the tree."""
    gc.collect()
    tracemalloc.start()
    G = build(doc)
    containers = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return containers + leaf_bytes(G)


def batch(kind, U, queries):
    answers = []
    t0 = time.perf_counter()
    for q in queries:
        if q[0] != kind:
            continue
        if kind == "shortest":
            try:
                answers.append(len(nx.shortest_path(U, q[1], q[2])) - 1)
            except nx.NetworkXNoPath:
                answers.append(-1)
        elif kind == "all":
            answers.append(sum(1 for _ in nx.all_simple_paths(U, q[1], q[2], cutoff=4)))
        else:
            answers.append(len(nx.ego_graph(U, q[1], radius=2)) - 1)
    return {"times": [time.perf_counter() - t0], "answers": answers}


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    memory = "--memory" in sys.argv
    if not 1 <= len(args) <= 2:
        sys.exit(__doc__.split("\n\n")[1])
    out = {
        "pyyaml": yaml.__version__, "networkx": nx.__version__,
        "python": sys.version.split()[0],
        "libyaml": yaml._yaml.get_version_string() if yaml.__with_libyaml__ else None,
    }
    t0, c0 = time.perf_counter(), time.process_time()
    doc, G = load(args[0], out)
    out["seconds"] = time.perf_counter() - t0
    out["cpu"] = time.process_time() - c0
    out["maxrss_kb"] = maxrss_kb()
    out["entities"], out["relations"] = G.number_of_nodes(), G.number_of_edges()
    if memory:
        out["graph_bytes"] = graph_bytes(doc)
    del doc
    gc.collect()
    if len(args) == 2:
        with open(args[1]) as f:
            queries = [line.split() for line in f if line.strip()]
        U = nx.Graph(G)  # undirected, simple: see the docstring
        for kind in ("shortest", "all", "neighbors"):
            out[kind] = batch(kind, U, queries)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
