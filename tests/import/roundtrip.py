#!/usr/bin/python3
"""roundtrip.py - `kgraph export -T json | kgraph import -F json` gives back the same graph.

    roundtrip.py KGRAPH WORKDIR [SEED]

For the shipped graph, tests/data/export/hostile.yaml and seeded random
graphs (hostile text, ids that need quoting, attributes and lists, dates,
validity, weights, sources and quotes, symmetric types, parallel and self
relations), each exported as node-link JSON (both "edges" and --links)
and imported again must:
- pass `kgraph check` with no error;
- export to the very same JSON bytes (entities, relations, attributes,
  dates, validity, weights, provenance, in the same order);
- answer the same path queries (shortest, --weight, -k 3) the same way.
GraphML (export -T graphml, import -F graphml, export -T graphml) comes
back byte for byte. FtM entities (export -T ftm, import -F ftm) import with one entity or
relation per line and pass check. The CSV tables (export -T csv, import -F csv, export -T csv) come back
byte for byte. The YAML round trip too: `export -T yaml` loaded and exported again gives
the same YAML and the same JSON as the original.

Exit 0 when all hold, 1 with the first difference (files left in WORKDIR).
"""
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SHIPPED = os.path.join(ROOT, "graphs", "ukraine-long-range-strikes-2024.yaml")
HOSTILE = os.path.join(ROOT, "tests", "data", "export", "hostile.yaml")
GRAPHS = 12

TEXTS = ["plain", "Ada \"The Count\" O'Lin, Jr.", "line one\nline two", "tab\there", "<b>&amp;</b>",
         "Кириллица", "🦀 crab", "semi;colon|pipe", "null", "2024", "true", "# not a comment", "  spaces  ",
         "back\\slash", "ctl\x07bell", "para\u2028sep"]


def q(s):
    """A YAML double-quoted scalar."""
    out = []
    for ch in s:
        c = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif c < 0x20 or 0x7f <= c <= 0x9f:
            out.append("\\x%02X" % c)
        elif c in (0x2028, 0x2029, 0xFEFF):
            out.append("\\u%04X" % c)
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def make_graph(rng, path):
    n = rng.randint(3, 30)
    ents = ["e%d" % i for i in range(n)] + ["U.S.", "2024", "null-x"][:rng.randint(0, 3)]
    types = ["person", "organization", "group", "vessel"]
    lines = ['title: %s' % q(rng.choice(TEXTS)), "sources:"]
    nsrc = rng.randint(1, 3)
    for s in range(nsrc):
        lines.append("  src-%d:" % s)
        lines.append("    title: %s" % q(rng.choice(TEXTS)))
        if rng.random() < 0.5:
            lines.append("    date: 2024-0%d" % rng.randint(1, 9))
        if rng.random() < 0.5:
            lines.append("    lang: %s" % q(rng.choice(TEXTS)))
    lines += ["types:", "  group: {label: %s}" % q(rng.choice(TEXTS)), "  vessel:",
              "relation_types:", "  met: {label: %s, symmetric: true}" % q(rng.choice(TEXTS)),
              "  owns: {label: owns}", "entities:"]
    for e in ents:
        lines.append("  %s:" % q(e))
        lines.append("    type: %s" % rng.choice(types))
        if rng.random() < 0.7:
            lines.append("    name: %s" % q(rng.choice(TEXTS)))
        if rng.random() < 0.3:
            lines.append("    aliases: [%s]" % ", ".join(q(rng.choice(TEXTS)) for _ in range(rng.randint(1, 3))))
        for k in rng.sample(["role", "id", "note", "date", "key with spaces", "source", "weight"],
                            rng.randint(0, 3)):
            if rng.random() < 0.3:
                lines.append("    %s: [%s]" % (q(k), ", ".join(q(rng.choice(TEXTS)) for _ in range(rng.randint(1, 3)))))
            else:
                lines.append("    %s: %s" % (q(k), q(rng.choice(TEXTS))))
    lines.append("relations:")
    for _ in range(rng.randint(0, 3 * len(ents))):
        a, b = rng.choice(ents), rng.choice(ents)
        lines.append("  - from: %s" % q(a))
        lines.append("    type: %s" % rng.choice(["met", "owns", "knows", "funds"]))
        lines.append("    to: %s" % q(b))
        if rng.random() < 0.3:
            lines.append("    date: %d-%02d-%02d" % (rng.randint(1990, 2030), rng.randint(1, 12), rng.randint(1, 28)))
        if rng.random() < 0.3:
            lines.append("    since: %d" % rng.randint(1990, 2010))
            if rng.random() < 0.5:
                lines.append("    until: %d-%02d" % (rng.randint(2011, 2030), rng.randint(1, 12)))
        if rng.random() < 0.5:
            lines.append("    weight: %r" % rng.choice([0, 1, 2.5, rng.random() * 100, 1e-7, 123456789.125]))
        if rng.random() < 0.5:
            lines.append("    source: src-%d" % rng.randrange(nsrc))
            lines.append("    quote: %s" % q(rng.choice(TEXTS)))
        if rng.random() < 0.3:
            lines.append("    %s: %s" % (q(rng.choice(["note", "key", "label", "target"])), q(rng.choice(TEXTS))))
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return ents


def run(kgraph, *args):
    return subprocess.run([kgraph] + list(args), capture_output=True)


def fail(msg):
    print("roundtrip: " + msg)
    sys.exit(1)


def read(path):
    with open(path, "rb") as f:
        return f.read()


FOUND = [0]


def check_graph(kgraph, work, name, graph, ents, rng):
    base = os.path.join(work, name)
    for links in (False, True):
        a, b, c = [base + ("-links" if links else "") + x for x in (".json", ".imported.yaml", ".again.json")]
        extra = ["--links"] if links else []
        r = run(kgraph, "export", "-T", "json", *extra, graph, "-o", a)
        if r.returncode:
            fail("%s: export failed: %s" % (name, r.stderr.decode()))
        r = run(kgraph, "import", "-F", "json", a, "-o", b)
        if r.returncode:
            fail("%s: import failed: %s" % (name, r.stderr.decode()))
        r = run(kgraph, "check", b)
        if r.returncode:
            fail("%s: check of the import failed: %s" % (name, r.stderr.decode()))
        r = run(kgraph, "export", "-T", "json", *extra, b, "-o", c)
        if r.returncode or read(a) != read(c):
            fail("%s: the JSON of the imported graph differs (links=%s): diff %s %s" % (name, links, a, c))
    # csv: the tables of the imported graph are the same tables (labels
    # and type styles are not in them)
    c1, c2, cy = base + ".csv", base + ".csv2", base + ".csv.yaml"
    if run(kgraph, "export", "-T", "csv", graph, "-o", c1).returncode:
        fail("%s: csv export failed" % name)
    r = run(kgraph, "import", "-F", "csv", *[os.path.join(c1, t + ".csv") for t in ("relations", "sources", "entities")],
            "-o", cy)
    if r.returncode or run(kgraph, "check", cy).returncode:
        fail("%s: csv import failed: %s" % (name, r.stderr.decode()))
    run(kgraph, "export", "-T", "csv", cy, "-o", c2)
    for t in ("entities", "relations", "sources"):
        if read(os.path.join(c1, t + ".csv")) != read(os.path.join(c2, t + ".csv")):
            fail("%s: %s.csv differs after the csv round trip: diff %s %s" % (name, t, c1, c2))
    # graphml: as far as GraphML carries, the same graph: the imported
    # graph exports to the same GraphML bytes
    g1, gy, g2 = base + ".graphml", base + ".graphml.yaml", base + ".again.graphml"
    run(kgraph, "export", "-T", "graphml", graph, "-o", g1)
    r = run(kgraph, "import", "-F", "graphml", g1, "-o", gy)
    if r.returncode or run(kgraph, "check", gy).returncode:
        fail("%s: graphml import failed: %s" % (name, r.stderr.decode()))
    run(kgraph, "export", "-T", "graphml", gy, "-o", g2)
    if read(g1) != read(g2):
        fail("%s: the GraphML of the imported graph differs: diff %s %s" % (name, g1, g2))
    # ftm: what export -T ftm writes imports, passes check, and has one
    # entity per FtM entity line and one relation per interval line
    f1, fy = base + ".ftm.json", base + ".ftm.yaml"
    run(kgraph, "export", "-T", "ftm", graph, "-o", f1)
    r = run(kgraph, "import", "-F", "ftm", f1, "-o", fy)
    if r.returncode or run(kgraph, "check", fy).returncode:
        fail("%s: ftm import failed: %s" % (name, r.stderr.decode()))
    with open(f1, encoding="utf-8") as f:
        lines = [l for l in f.read().split("\n") if l]
    nrel = sum('"id": "kgraph-r' in l for l in lines)
    want = "%d entit%s, %d relation%s" % (len(lines) - nrel, "y" if len(lines) - nrel == 1 else "ies", nrel,
                                          "" if nrel == 1 else "s")
    if want not in r.stderr.decode():
        fail("%s: ftm import: expected %s, got %s" % (name, want, r.stderr.decode()))
    # the YAML round trip
    y1, y2, y3 = base + ".export.yaml", base + ".export2.yaml", base + ".export.json"
    if run(kgraph, "export", "-T", "yaml", graph, "-o", y1).returncode or \
            run(kgraph, "export", "-T", "yaml", y1, "-o", y2).returncode:
        fail("%s: yaml export failed" % name)
    if read(y1) != read(y2):
        fail("%s: yaml export of the yaml export differs: diff %s %s" % (name, y1, y2))
    run(kgraph, "export", "-T", "json", y1, "-o", y3)
    if read(y3) != read(base + ".json"):
        fail("%s: the yaml export does not load as the same graph: diff %s %s" % (name, y3, base + ".json"))
    # the same answers to path queries
    for _ in range(6):
        s, t = rng.choice(ents), rng.choice(ents)
        for opts in ([], ["--weight"], ["-k", "3"], ["--directed", "--all-shortest"]):
            r1 = run(kgraph, "path", *opts, "--tsv", s, t, graph)
            r2 = run(kgraph, "path", *opts, "--tsv", s, t, base + ".imported.yaml")
            if (r1.returncode, r1.stdout) != (r2.returncode, r2.stdout):
                fail("%s: path %s %s %s differs:\n%s\n---\n%s" % (name, " ".join(opts), s, t,
                                                                 r1.stdout.decode(), r2.stdout.decode()))
            FOUND[0] += r1.returncode == 0


def main():
    kgraph, work = sys.argv[1], sys.argv[2]
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 15
    os.makedirs(work, exist_ok=True)
    rng = random.Random(seed)
    check_graph(kgraph, work, "shipped", SHIPPED, ["joe_biden", "keir_starmer", "ukraine", "russia",
                                                   "atacms", "storm_shadow"], rng)
    check_graph(kgraph, work, "hostile", HOSTILE, ["ada", "bob", "acme", "crew", "boat"], rng)
    for i in range(GRAPHS):
        path = os.path.join(work, "random-%d.yaml" % i)
        ents = make_graph(rng, path)
        r = run(kgraph, "check", path)
        if r.returncode:
            fail("random-%d: the generated graph is not valid: %s" % (i, r.stderr.decode()))
        check_graph(kgraph, work, "random-%d" % i, path, ents, rng)
    if FOUND[0] < 30:
        fail("only %d path queries found a path: the comparison says too little" % FOUND[0])
    print("roundtrip: %d paths found; %d graphs, json (edges and links), graphml, csv, ftm and yaml: same graph, same paths" % (FOUND[0], GRAPHS + 2))


main()
