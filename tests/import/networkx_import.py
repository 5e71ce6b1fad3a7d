#!/usr/bin/python3
"""networkx_import.py - kgraph imports what NetworkX writes.

    networkx_import.py KGRAPH WORKDIR

NetworkX builds a MultiDiGraph (text and number node ids, ids that are no
kgraph ids, hostile text, parallel edges, weights, dates, lists, nested
values kgraph cannot hold) and an undirected Graph, and writes them with
node_link_data ("links" in NetworkX before 3.6, and "edges" where the
installed NetworkX can). kgraph imports each; the result must pass
`kgraph check`, and NetworkX reading kgraph's own export of it back must
find the same nodes (by original id), the same number of edges between
each pair, and the same names, weights, dates and attributes.

Exit 0 when all agree, 1 at the first difference, 77 when NetworkX is
not installed (scripts/setup installs python3-networkx).
"""
import json
import os
import subprocess
import sys

try:
    import networkx as nx
    from networkx.readwrite import json_graph
except ImportError:
    print("networkx_import: NetworkX is not installed (apt-get install python3-networkx); skipped")
    sys.exit(77)


def fail(msg):
    print("networkx_import: " + msg)
    sys.exit(1)


def run(kgraph, *args):
    r = subprocess.run([kgraph] + list(args), capture_output=True)
    return r.returncode, r.stdout.decode(), r.stderr.decode()


def multi():
    g = nx.MultiDiGraph(name="multi")
    g.add_node(1, name="One", type="person", role="Chair, \"acting\"")
    g.add_node("1", name="Один 🦀", type="organization", tags=["a", "b, c"])
    g.add_node("not an id", type="vessel", note="line\nbreak")
    g.add_node("plain", meta={"nested": True})
    g.add_edge(1, "1", type="heads", weight=2.5, since="2019-05", until="2024")
    g.add_edge(1, "1", type="heads", weight=1, date="2021-01-02")
    g.add_edge("1", "not an id", type="owns", quote="we own it", source_id="memo-1")
    g.add_edge("plain", "plain", count=3)
    return g


def simple():
    g = nx.Graph()
    g.add_edge("a", "b", type="met")
    g.add_edge("b", "c", type="met")
    return g


def node_link(g, key):
    """node_link_data with the edge list under key, as far as the installed
    NetworkX can say it (3.4+ takes edges=, older ones link=)."""
    for kw in ({"edges": key}, {"link": key}):
        try:
            d = json_graph.node_link_data(g, **kw)
            if key in d:
                return d
        except TypeError:
            pass
    return None


def read_links(data):
    """node_link_graph of a "links" file, in any NetworkX."""
    for kw in ({"edges": "links"}, {"link": "links"}, {}):
        try:
            return json_graph.node_link_graph(data, directed=True, multigraph=True, **kw)
        except TypeError:
            pass
    fail("NetworkX cannot read a \"links\" file")


def check(kgraph, work, name, g, key):
    data = node_link(g, key)
    if data is None:
        print("networkx_import: this NetworkX cannot write \"%s\"; that variant not tested" % key)
        return
    src = os.path.join(work, "%s-%s.json" % (name, key))
    out = os.path.join(work, "%s-%s.yaml" % (name, key))
    back = os.path.join(work, "%s-%s.back.json" % (name, key))
    with open(src, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, default=str)
    code, _, err = run(kgraph, "import", "-F", "json", src, "-o", out)
    if code:
        fail("%s: import failed (%d): %s" % (src, code, err))
    code, _, err = run(kgraph, "check", out)
    if code:
        fail("%s: check failed: %s" % (out, err))
    code, _, err = run(kgraph, "export", "-T", "json", "--links", out, "-o", back)
    if code:
        fail("%s: export failed: %s" % (out, err))
    with open(back, encoding="utf-8") as f:
        h = read_links(json.load(f))
    # kgraph id -> the original id, as text (1 and "1" both read back as "1"-ish texts)
    orig = {n: str(d.get("original_id", n)) for n, d in h.nodes(data=True)}
    if sorted(orig.values()) != sorted(str(n) for n in g.nodes):
        fail("%s: nodes differ: %s vs %s" % (name, sorted(orig.values()), sorted(str(n) for n in g.nodes)))
    by_orig = {}
    for n, d in h.nodes(data=True):
        by_orig.setdefault(orig[n], []).append(d)
    for n, d in g.nodes(data=True):
        got = by_orig[str(n)]
        if not any(all(str(x.get(k)) == str(v) if not isinstance(v, (list, dict)) else x.get(k) == v
                       for k, v in d.items() if k != "meta") for x in got):
            fail("%s: node %r: attributes %r not in %r" % (name, n, d, got))
        if "meta" in d and any("meta" in x for x in got):
            fail("%s: node %r: a nested value was imported" % (name, n))
    pairs = {}
    for u, v, d in h.edges(data=True):
        pairs.setdefault((orig[u], orig[v]), []).append(d)
    want = {}
    for u, v, d in g.edges(data=True):
        want.setdefault((str(u), str(v)), []).append(d)
    if sorted((k, len(x)) for k, x in pairs.items()) != sorted((k, len(x)) for k, x in want.items()):
        fail("%s: edges differ: %r vs %r" % (name, sorted(pairs), sorted(want)))
    for k, ds in want.items():
        for d in ds:
            if not any(all(str(e.get(a)) == str(b) for a, b in d.items()) for e in pairs[k]):
                fail("%s: edge %r %r not found in %r" % (name, k, d, pairs[k]))
    if not g.is_directed():
        for e in h.edges(data=True):
            if not e[2].get("symmetric"):
                fail("%s: an undirected graph's relation is not symmetric: %r" % (name, e))
    print("networkx_import: %s (\"%s\", NetworkX %s): %d nodes, %d edges back" % (name, key, nx.__version__,
                                                                          h.number_of_nodes(), h.number_of_edges()))


def graphml(kgraph, work):
    """NetworkX's write_graphml: typed keys, text and number ids, parallel
    edges keyed by their id; imported, then read back by NetworkX."""
    g = nx.MultiDiGraph()
    g.add_node("Ada Lin", name="Ada", type="person", born=1961)
    g.add_node("ACME, Ltd.", type="organization", listed=True)
    g.add_edge("Ada Lin", "ACME, Ltd.", type="director_of", weight=2.5, since="2019-05")
    g.add_edge("Ada Lin", "ACME, Ltd.", type="director_of", weight=1.0, note="second term")
    src, out, back = [os.path.join(work, "nx" + x) for x in (".graphml", ".graphml.yaml", ".graphml.back.graphml")]
    nx.write_graphml(g, src)
    code, _, err = run(kgraph, "import", "-F", "graphml", src, "-o", out)
    if code or run(kgraph, "check", out)[0]:
        fail("%s: graphml import failed: %s" % (src, err))
    run(kgraph, "export", "-T", "graphml", out, "-o", back)
    h = nx.read_graphml(back)
    names = sorted(d.get("label") for _, d in h.nodes(data=True))
    if names != ["ACME, Ltd.", "Ada"] or h.number_of_edges() != 2:
        fail("graphml: nodes %r, %d edges" % (names, h.number_of_edges()))
    ws = sorted(d.get("weight") for _, _, d in h.edges(data=True))
    if ws != [1.0, 2.5]:
        fail("graphml: weights %r" % ws)
    ada = [d for _, d in h.nodes(data=True) if d.get("label") == "Ada"][0]
    if str(ada.get("born")) != "1961" or ada.get("original_id") != "Ada Lin":
        fail("graphml: attributes %r" % ada)
    print("networkx_import: write_graphml (NetworkX %s): 2 nodes, 2 parallel edges back" % nx.__version__)


def main():
    kgraph, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    graphml(kgraph, work)
    for key in ("links", "edges"):
        check(kgraph, work, "multi", multi(), key)
        check(kgraph, work, "simple", simple(), key)


main()
