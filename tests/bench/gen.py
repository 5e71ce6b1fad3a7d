#!/usr/bin/env python3
"""gen.py - a seeded generator of synthetic kgraph graphs for the benchmark.

    gen.py --relations 250000 --seed 1 --out DIR/r250k

writes DIR/r250k.yaml (the graph, format version 1), DIR/r250k.edges (the
same relations as an undirected edge list, for igraph), DIR/r250k.queries
(the query pairs every tool answers) and DIR/r250k.meta.json (counts).

The graph looks like a large hand-written one: typed entities with names,
aliases and attributes; 20 declared relation types, two of them symmetric,
used with a Zipf-like frequency; 90% of relations compact `[from, type, to]`,
10% in full form with a date, a source and a quote. Entities are about a
fifth of the relations (1M relations, 200k entities, about 80 MB).

Structure: preferential attachment (each new entity links to m existing
ones, chosen in proportion to their degree; m is drawn from an exponential
distribution with mean 5), so degrees follow a power law and the entities so
linked form one giant component; 1% of entities sit in small separate trees
of 2 to 5 entities. No two relations join the same pair of entities (in
either direction) and none joins an entity to itself, so a simple undirected
graph (NetworkX Graph, igraph) has exactly the paths kgraph has: path counts
can be compared one for one. Entities and relations are written in a
shuffled order, so file order carries no locality.

A second shape, `--shape wide`, so that tuning to the first one shows: a
different degree distribution (entities in communities of about 40, joined
uniformly at random, 85% of relations inside a community: degrees close to
Poisson, no hubs), one source per 100 relations (10k at 1M), two to six
attributes per entity, longer ids and names (titles, middle names, longer
organisation names), and full-form relations (still 10%) with a confidence
and a note besides the date, source and quote. Its files are named as
asked, like the first shape's; bench.py keeps them apart.

--no-all-pairs writes no pairs for all simple paths: bench.py's 10m size
runs no query rows, and at 10M relations those pairs are too rare to find quickly.

What it leaves out: includes, anchors, weights and since/until (the loader
handles them, but they are rare in real graphs and would only blur the
comparison with peers that ignore them).

Only the standard library: the same seed gives the same files on any
Python 3.
"""
import argparse
import json
import os
import random
import sys

GEN_VERSION = 6  # bump when the output changes, so cached files are remade

# (type, share of entities). The seven built-ins and three declared types.
ENTITY_TYPES = [
    ("person", 0.40), ("organization", 0.18), ("place", 0.10), ("event", 0.10),
    ("weapon", 0.05), ("decision", 0.05), ("media", 0.04), ("group", 0.04),
    ("document", 0.03), ("country", 0.01),
]
DECLARED_TYPES = {
    "media": "News outlet", "group": "Group of people", "document": "Document",
}
# 20 relation types; the order is their frequency rank (Zipf, s = 1).
RELATION_TYPES = [
    ("member_of", "is a member of", False), ("works_for", "works for", False),
    ("met_with", "met with", True), ("located_in", "is located in", False),
    ("participated_in", "took part in", False), ("supports", "supports", False),
    ("opposes", "opposes", False), ("heads", "heads", False),
    ("funds", "funds", False), ("supplies", "supplies", False),
    ("part_of", "is part of", False), ("decided", "decided", False),
    ("advises", "advises", False), ("allied_with", "is allied with", True),
    ("signed", "signed", False), ("owns", "owns", False),
    ("produced", "produced", False), ("commands", "commands", False),
    ("criticized", "criticized", False), ("reported_on", "reported on", False),
]

FIRST = ("Ada Alan Anna Boris Carla Chen David Elena Farid Grace Hana Ivan Jonas "
         "Kara Leila Marco Nadia Olga Pavel Priya Rosa Sami Tomas Una Viktor Wen "
         "Yara Zoe Amir Bea Chiara Dmitri Emeka Fatima Goran Hugo Ines Jun Kofi "
         "Lena Mateo Noor Omar Petra Quinn Rafael Sofia Taro Ulla Vera").split()
LAST = ("Lin Reyes Novak Okafor Schmidt Tanaka Kovacs Rossi Haddad Moreau Silva "
        "Nguyen Petrov Kim Larsen Costa Weber Sato Ivanova Mendes Ferrari Dubois "
        "Yilmaz Horvat Jensen Castro Bauer Popescu Szabo Lund Marsh Oduya Varga "
        "Brandt Ortega Falk Ito Keller Navarro Aziz").split()
NONASCII_FIRST = "Володимир Олена Jürgen Zoë Łukasz Αλέξης Søren José Ærin Ñico".split()
NONASCII_LAST = "Зеленський Шевченко Müller Gómez Wałęsa Παπαδόπουλος Ørsted Çelik".split()
WORDS = ("northern southern eastern western central national regional united free "
         "new old river harbour valley mountain coastal federal joint strategic "
         "green iron silver red blue open public civil naval air ground digital "
         "energy water grain steel trade security defence health labour finance "
         "research transport archive council alliance bureau agency front union "
         "league forum office institute company works fund press herald").split()
ORG_SUFFIX = "Institute Agency Council Company Group Union Foundation Ministry Bank Works".split()
PLACE_SUFFIX = "City Port Valley Ridge Bay Heights Field Junction Harbour Crossing".split()
VERBS = ("said announced confirmed denied reported signed approved rejected warned "
         "agreed visited discussed supplied funded opposed supported").split()


def pick_type(rng):
    x = rng.random()
    for name, share in ENTITY_TYPES:
        x -= share
        if x < 0:
            return name
    return ENTITY_TYPES[-1][0]


def zipf_table(n):
    w = [1.0 / (i + 1) for i in range(n)]
    total = sum(w)
    acc, out = 0.0, []
    for x in w:
        acc += x / total
        out.append(acc)
    return out


def pick_cdf(rng, cdf):
    x = rng.random()
    lo, hi = 0, len(cdf) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cdf[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def make_entity(rng, n, etype):
    """(id, name, aliases, attributes) for entity number n."""
    if etype == "person":
        if rng.random() < 0.05:
            first, last = rng.choice(NONASCII_FIRST), rng.choice(NONASCII_LAST)
        else:
            first, last = rng.choice(FIRST), rng.choice(LAST)
        name = f"{first} {last}"
        aliases = [last] if rng.random() < 0.3 else []
        if rng.random() < 0.1:
            aliases.append(f"{first[0]}. {last}")
        attrs = [("role", f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} adviser")] \
            if rng.random() < 0.5 else []
    elif etype in ("organization", "media", "group"):
        words = [rng.choice(WORDS).capitalize() for _ in range(rng.randint(1, 3))]
        name = " ".join(words + [rng.choice(ORG_SUFFIX)])
        aliases = ["".join(w[0] for w in name.split())] if rng.random() < 0.4 else []
        attrs = [("founded", str(rng.randint(1900, 2023)))] if rng.random() < 0.5 else []
    elif etype in ("place", "country"):
        name = f"{rng.choice(WORDS).capitalize()} {rng.choice(PLACE_SUFFIX)}"
        aliases = []
        attrs = [("region", rng.choice(WORDS))] if rng.random() < 0.3 else []
    else:  # event, weapon, decision, document
        name = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 4))).capitalize()
        aliases = [name.split()[0].upper()] if rng.random() < 0.15 else []
        attrs = [("date", f"{rng.randint(1990, 2024)}-{rng.randint(1, 12):02d}")] \
            if rng.random() < 0.4 else []
    if rng.random() < 0.1:
        attrs.append(("tags", [rng.choice(WORDS) for _ in range(rng.randint(1, 3))]))
    # Ids as people write them: a slug of the name, made unique by n.
    words = [w.lower() for w in name.replace(".", "").split() if w.isascii()]
    words = words[:2] if etype == "person" else words[:1]
    return "_".join(words or [etype]) + f"_{n}", name, aliases, attrs


def build_structure_wide(rng, nrel, nent):
    """As build_structure, for the wide shape: a random tree joins each
    community to the one before, and the other relations join two
    entities picked uniformly, 85% of them inside one community."""
    nsmall = max(2, nent // 100)
    ngiant = nent - nsmall
    edges, seen = [], set()

    def add(a, b):
        a, b = min(a, b), max(a, b)
        if a == b or a * nent + b in seen:
            return False
        seen.add(a * nent + b)
        edges.append((a, b))
        return True

    size = 40
    for v in range(1, ngiant):  # a spanning tree, mostly inside communities
        base = v - v % size
        add(rng.randrange(base, v) if v > base else rng.randrange(v), v)
    v = ngiant
    while v < nent:  # the small components, as in the first shape
        k = min(rng.randint(2, 5), nent - v)
        if k == 1:
            add(v - 1, v)
            v += 1
            break
        for j in range(1, k):
            add(v + rng.randrange(j), v + j)
        v += k
    while len(edges) < nrel:
        a = rng.randrange(ngiant)
        if rng.random() < 0.85:
            base = a - a % size
            b = rng.randrange(base, min(base + size, ngiant))
        else:
            b = rng.randrange(ngiant)
        add(a, b)
    return edges, ngiant


TITLES = "Dr. Prof. Gen. Col. Sen. Amb. Rev. Judge Minister Governor".split()
MORE_ATTRS = ("website", "country", "founded", "status", "headquarters", "notes", "employees", "sector")


def make_entity_wide(rng, n, etype):
    """make_entity with longer ids and names and two to six attributes."""
    _, name, aliases, attrs = make_entity(rng, n, etype)
    if etype == "person":
        first, _, last = name.partition(" ")
        middle = rng.choice(FIRST)
        name = f"{rng.choice(TITLES)} {first} {middle} {last}" if rng.random() < 0.5 else f"{first} {middle} {last}"
    else:
        name = f"{name} of {rng.choice(WORDS).capitalize()} {rng.choice(PLACE_SUFFIX)}"
    have = {k for k, _ in attrs}
    for k in rng.sample(MORE_ATTRS, rng.randint(2, 6)):
        if len(attrs) >= 6 or k in have:
            continue
        if k == "website":
            v = f"https://www.{rng.choice(WORDS)}-{rng.choice(WORDS)}.example/{n}"
        elif k in ("founded", "employees"):
            v = str(rng.randint(10, 2023))
        elif k == "notes":
            v = yaml_text(" ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 16))).capitalize() + ".")
        else:
            v = f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)}"
        attrs.append((k, v))
    words = [w.lower() for w in name.replace(".", "").split() if w.isascii()]
    return "_".join(words[:3] or [etype]) + f"_{n}", name, aliases, attrs


def build_structure(rng, nrel, nent):
    """Edges (u, v) between entity numbers 0..nent-1, exactly nrel of
    them, no duplicate pair, no self loop; returns (edges, ngiant)."""
    # Small components: 1% of the entities, in trees of 2 to 5.
    nsmall = max(2, nent // 100)
    ngiant = nent - nsmall
    small_edges = []
    v = ngiant
    while v < nent:
        size = min(rng.randint(2, 5), nent - v)
        if size == 1:  # a lone leftover joins the previous tree
            small_edges.append((v - 1, v))
            v += 1
            break
        for k in range(1, size):
            small_edges.append((v + rng.randrange(k), v + k))
        v += size
    egiant = nrel - len(small_edges)
    # Giant component: a 6-clique, then preferential attachment. `ends`
    # holds each endpoint once per incident edge: a uniform pick from it is
    # a pick in proportion to degree.
    seed = 6
    edges = [(a, b) for a in range(seed) for b in range(a + 1, seed)]
    ends = [x for e in edges for x in e]
    seen = set(a * nent + b for a, b in edges)
    left = egiant - len(edges)
    nodes_left = ngiant - seed
    for node in range(seed, ngiant):
        mean = left / nodes_left if nodes_left else left
        m = max(1, int(rng.expovariate(1.0 / max(mean - 0.5, 0.5)) + 0.5))
        m = min(m, node, left - (nodes_left - 1))  # every later node needs >= 1
        m = max(m, 1)
        targets = set()
        while len(targets) < m:
            t = ends[rng.randrange(len(ends))] if rng.random() < 0.9 else rng.randrange(node)
            targets.add(t)
        for t in sorted(targets):
            edges.append((t, node))
            seen.add(t * nent + node)
            ends.append(t)
            ends.append(node)
        left -= m
        nodes_left -= 1
    # Whatever the draws left over: extra relations between existing giant
    # entities, one end by degree, one uniform, skipping pairs already used.
    while left > 0:
        a, b = ends[rng.randrange(len(ends))], rng.randrange(ngiant)
        if a == b:
            continue
        a, b = min(a, b), max(a, b)
        if a * nent + b in seen:
            continue
        seen.add(a * nent + b)
        edges.append((a, b))
        ends.append(a)
        ends.append(b)
        left -= 1
    edges.extend(small_edges)
    return edges, ngiant


def bfs(adj, s, maxd):
    dist = {s: 0}
    frontier = [s]
    for d in range(1, maxd + 1):
        nxt = []
        for u in frontier:
            for w in adj[u]:
                if w not in dist:
                    dist[w] = d
                    nxt.append(w)
        frontier = nxt
    return dist


def count_paths(adj, s, t, maxhops, cap):
    """Simple s-t paths of at most maxhops edges, or cap+1 when more."""
    dt = bfs(adj, t, maxhops - 1)  # farther from t always prunes below: s is already one hop away
    count = 0
    onpath = {s}
    stack = [(s, iter(adj[s]), 0)]
    while stack:
        u, it, d = stack[-1]
        w = next(it, None)
        if w is None:
            stack.pop()
            onpath.discard(u)
            continue
        if w in onpath or dt.get(w, maxhops + 1) > maxhops - d - 1:
            continue
        if w == t:
            count += 1
            if count > cap:
                return count
            continue
        onpath.add(w)
        stack.append((w, iter(adj[w]), d + 1))
    return count


def choose_queries(rng, adj, ngiant, all_pairs=True):
    """The pairs every tool answers: 100 shortest-path pairs, 10 pairs for
    all simple paths of at most 4 hops (none without all_pairs), 10
    neighbourhood centres."""
    n = len(adj)
    deg = [len(a) for a in adj]
    shortest = []
    while len(shortest) < 100:
        s, t = rng.randrange(ngiant), rng.randrange(ngiant)
        if s != t:
            shortest.append((s, t))
    if not all_pairs:
        return shortest, [], [rng.randrange(ngiant) for _ in range(10)]
    # For all simple paths, "manageable": a peer without target pruning
    # (NetworkX, igraph) walks every simple path of up to 4 hops from the
    # start; work4[s] bounds that number (walks, not only simple paths).
    s1 = [sum(deg[w] for w in adj[u]) for u in range(n)]
    s2 = [sum(s1[w] for w in adj[u]) for u in range(n)]
    work4 = [sum(s2[w] for w in adj[u]) for u in range(n)]
    budget = 4_000_000
    allpairs = []
    tries = 0
    while len(allpairs) < 10:
        tries += 1
        if tries > 100000:
            sys.exit("gen.py: cannot find 10 pairs for all simple paths")
        s = rng.randrange(ngiant)
        if work4[s] > budget:
            continue
        ds = bfs(adj, s, 3)
        want = rng.choice((2, 3))  # ends 2 or 3 hops apart, so longer paths exist too
        cands = sorted(w for w, d in ds.items() if d == want)
        if not cands:
            continue
        t = rng.choice(cands)
        if work4[t] > budget:
            continue
        # At least 10 paths, so that enumerating is the work, and at most
        # 200,000, so that every tool holds them all.
        c = count_paths(adj, s, t, 4, 200000)
        if 10 <= c <= 200000 and (s, t) not in allpairs:
            allpairs.append((s, t))
    neighbors = [rng.randrange(ngiant) for _ in range(10)]
    return shortest, allpairs, neighbors


def yaml_text(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--relations", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True, help="path prefix of the files written")
    ap.add_argument("--shape", choices=("attach", "wide"), default="attach",
                    help="attach: preferential attachment (the default); wide: communities, "
                         "more sources and attributes, longer names")
    ap.add_argument("--no-all-pairs", action="store_true",
                    help="choose no pairs for all simple paths: on 10M relations of the attach shape, the "
                         "hubs make pairs within the peers' budget so rare that the search may fail after "
                         "most of an hour")
    a = ap.parse_args()

    nrel = a.relations
    nent = max(20, nrel // 5)
    wide = a.shape == "wide"
    # The first shape's seed string is as it always was: its files do not change.
    rng = random.Random(f"kgraph-bench/{GEN_VERSION}/{a.seed}/{nrel}" + ("/wide" if wide else ""))

    edges, ngiant = (build_structure_wide if wide else build_structure)(rng, nrel, nent)
    assert len(edges) == nrel
    adj = [[] for _ in range(nent)]
    for u, v in edges:
        adj[u].append(v)
        adj[v].append(u)

    types = [pick_type(rng) for _ in range(nent)]
    ents = [(make_entity_wide if wide else make_entity)(rng, n, types[n]) for n in range(nent)]
    ids = [e[0] for e in ents]
    nsources = max(5, nrel // (100 if wide else 1000))
    rtype_cdf = zipf_table(len(RELATION_TYPES))

    shortest, allpairs, neighbors = choose_queries(rng, adj, ngiant, not a.no_all_pairs)

    tmp = a.out + ".yaml.tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        w = f.write
        w(f"# Synthetic benchmark graph: {nrel} relations, {nent} entities.\n")
        w(f"# Written by tests/bench/gen.py (version {GEN_VERSION}, seed {a.seed}); do not edit.\n\n")
        w(f"title: Synthetic benchmark graph, {nrel} relations\n")
        w("description: Generated by kgraph's benchmark; the names, quotes and sources are invented.\n\n")
        w("sources:\n")
        for i in range(nsources):
            w(f"  src-{i}:\n    title: {rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} report {i}\n")
            w(f"    publisher: {rng.choice(WORDS).capitalize()} {rng.choice(ORG_SUFFIX)}\n")
            w(f"    date: {rng.randint(2000, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n")
        w("\ntypes:\n")
        for t, label in DECLARED_TYPES.items():
            w(f"  {t}: {{label: {label}, shape: note}}\n")
        w("\nrelation_types:\n")
        for name, label, sym in RELATION_TYPES:
            w(f"  {name}: {{label: {label}" + (", symmetric: true" if sym else "") + "}\n")
        w("\nentities:\n")
        order = list(range(nent))
        rng.shuffle(order)
        for n in order:
            eid, name, aliases, attrs = ents[n]
            if rng.random() < 0.5:  # flow style on one line
                parts = [f"type: {types[n]}", f"name: {name}"]
                if aliases:
                    parts.append("aliases: [" + ", ".join(aliases) + "]")
                for k, v in attrs:
                    parts.append(f"{k}: [" + ", ".join(v) + "]" if isinstance(v, list) else f"{k}: {v}")
                w(f"  {eid}: {{" + ", ".join(parts) + "}\n")
            else:  # block style
                w(f"  {eid}:\n    type: {types[n]}\n    name: {name}\n")
                if aliases:
                    w("    aliases: [" + ", ".join(aliases) + "]\n")
                for k, v in attrs:
                    if isinstance(v, list):
                        w(f"    {k}:\n" + "".join(f"      - {x}\n" for x in v))
                    else:
                        w(f"    {k}: {v}\n")
        w("\nrelations:\n")
        order = list(range(nrel))
        rng.shuffle(order)
        for i in order:
            u, v = edges[i]
            if rng.random() < 0.5:
                u, v = v, u
            rt = RELATION_TYPES[pick_cdf(rng, rtype_cdf)][0]
            if rng.random() < 0.9:
                w(f"  - [{ids[u]}, {rt}, {ids[v]}]\n")
            else:
                words = [rng.choice(WORDS) for _ in range(rng.randint(4, 12))]
                quote = f"{ents[u][1]} {rng.choice(VERBS)} " + " ".join(words)
                w(f"  - from: {ids[u]}\n    type: {rt}\n    to: {ids[v]}\n"
                  f"    date: {rng.randint(2000, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n"
                  f"    source: src-{rng.randrange(nsources)}\n"
                  f"    quote: {yaml_text(quote)}\n")
                if wide:
                    w(f"    confidence: {rng.choice(('high', 'medium', 'low'))}\n"
                      f"    note: {yaml_text(' '.join(rng.choice(WORDS) for _ in range(rng.randint(3, 10))))}\n")
    os.replace(tmp, a.out + ".yaml")

    with open(a.out + ".edges", "w") as f:
        f.write(f"{nent} {nrel}\n")
        f.writelines(f"{u} {v}\n" for u, v in edges)
    with open(a.out + ".queries", "w") as f:
        # kind, from id, to id, from number, to number (numbers index .edges)
        for s, t in shortest:
            f.write(f"shortest {ids[s]} {ids[t]} {s} {t}\n")
        for s, t in allpairs:
            f.write(f"all {ids[s]} {ids[t]} {s} {t}\n")
        for c in neighbors:
            f.write(f"neighbors {ids[c]} - {c} -1\n")
    meta = {
        "generator_version": GEN_VERSION, "shape": a.shape, "seed": a.seed, "relations": nrel,
        "entities": nent, "giant_component": ngiant, "sources": nsources,
        "max_degree": max(len(x) for x in adj), "all_pairs": len(allpairs),
        "bytes": os.path.getsize(a.out + ".yaml"),
    }
    with open(a.out + ".meta.json", "w") as f:
        json.dump(meta, f, indent=1)
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
