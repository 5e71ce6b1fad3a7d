#!/usr/bin/python3
"""Read kgraph's exports back with the tools people use them with.

    consumers.py KGRAPH WORKDIR FORMAT

FORMAT is json, json-links, graphml, gexf, csv, neo4j, cypher, ttl, ftm or
yaml. Each exports tests/data/export/hostile.yaml (text that tries to break
every format) and the shipped example graph, reads the result with a real
consumer (NetworkX, rdflib/raptor, Python's csv module, ...), and checks the
counts, attributes, dates, parallel relations and that every hostile text
comes back unchanged. The expected values come from the YAML itself, read
with PyYAML (all scalars as text), not from kgraph.

Run with Debian's /usr/bin/python3, which sees apt's python3-* packages.
Exits 77 (ctest's SKIP_RETURN_CODE) with a message when a consumer is not
installed; scripts/setup installs them all.
"""
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
HOSTILE = os.path.join(ROOT, "tests", "data", "export", "hostile.yaml")
SHIPPED = os.path.join(ROOT, "graphs", "ukraine-long-range-strikes-2024.yaml")
FFFD = "\ufffd"


def skip(what):
    print(f"SKIP: {what} is not installed (scripts/setup installs it)")
    sys.exit(77)


def need(module, package):
    try:
        return __import__(module)
    except ImportError:
        skip(f"{module} (Debian package {package})")


def export(kgraph, fmt, graph, out, *extra):
    r = subprocess.run([kgraph, "export", "-T", fmt, graph, "-o", out, *extra], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"kgraph export -T {fmt} {graph} failed ({r.returncode}): {r.stderr}")
    return r.stderr


class Expected:
    """What the YAML says, read by PyYAML with every scalar as text."""

    def __init__(self, path):
        yaml = need("yaml", "python3-yaml")
        doc = yaml.load(open(path, encoding="utf-8"), Loader=yaml.BaseLoader)
        self.title = doc.get("title")
        self.entities = doc.get("entities") or {}
        self.sources = doc.get("sources") or {}
        self.relations = []
        for r in doc.get("relations") or []:
            if isinstance(r, list):
                d = dict(r[3]) if len(r) > 3 else {}
                d.update({"from": r[0], "type": r[1], "to": r[2]})
                r = d
            self.relations.append(r)

    def name(self, eid):
        return self.entities[eid].get("name", eid)

    def attrs(self, eid):
        return {k: v for k, v in self.entities[eid].items() if k not in ("type", "name", "aliases")}


def same(what, got, want, xml=False):
    if xml and isinstance(want, str):
        want = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", FFFD, want)
    if got != want:
        sys.exit(f"{what}: got {got!r}, expected {want!r}")


def check_nx_graph(G, exp, xml=False, name_key="name"):
    """A NetworkX multigraph read back: counts, names, attributes, parallel
    relations, dates and quotes."""
    same("entities", G.number_of_nodes(), len(exp.entities))
    same("relations", G.number_of_edges(), len(exp.relations))
    for eid in exp.entities:
        same(f"{eid} name", G.nodes[eid].get(name_key), exp.name(eid), xml)
        for k, v in exp.attrs(eid).items():
            if isinstance(v, list):
                continue  # lists are format-specific text; checked per format
            key = k if k in G.nodes[eid] and k != "id" else "attr_" + k
            same(f"{eid} attribute {k}", G.nodes[eid].get(key), v, xml)
    pairs = {}
    for r in exp.relations:
        pairs[(r["from"], r["to"])] = pairs.get((r["from"], r["to"]), 0) + 1
    for (a, b), n in pairs.items():
        same(f"relations {a} -> {b}", G.number_of_edges(a, b), n)
    for i, r in enumerate(exp.relations):
        data = G.get_edge_data(r["from"], r["to"], key=f"r{i}")
        if data is None:
            sys.exit(f"relation r{i} ({r['from']} -> {r['to']}) is missing")
        same(f"r{i} type", data.get("type"), r["type"])
        for k in ("date", "since", "until", "quote"):
            same(f"r{i} {k}", data.get(k), r.get(k), xml)
        if "weight" in r:
            same(f"r{i} weight", float(data.get("weight")), float(r["weight"]))


def check_json(kgraph, work, links):
    nx = need("networkx", "python3-networkx")
    exp = Expected(HOSTILE)
    out = os.path.join(work, "hostile.json")
    export(kgraph, "json", HOSTILE, out, *(["--links"] if links else []))
    doc = json.load(open(out, encoding="utf-8"))
    same("edge list key", "links" in doc, links)
    same("edge list key", "edges" in doc, not links)
    same("title", doc["graph"]["title"], exp.title)
    if not links:
        # NetworkX before 3.6 reads only "links": check the edges form by
        # its shape, then hand it over under the old name.
        if hasattr(nx, "__version__") and tuple(int(p) for p in nx.__version__.split(".")[:2]) >= (3, 4):
            G = nx.node_link_graph(doc, edges="edges")
        else:
            doc["links"] = doc.pop("edges")
            G = nx.node_link_graph(doc)
    else:
        G = nx.node_link_graph(doc)
    same("multigraph", G.is_multigraph() and G.is_directed(), True)
    check_nx_graph(G, exp)
    same("ada aliases", G.nodes["ada"]["aliases"], exp.entities["ada"]["aliases"])
    same("bob tags", G.nodes["bob"]["tags"], exp.entities["bob"]["tags"])
    shipped = os.path.join(work, "shipped.json")
    export(kgraph, "json", SHIPPED, shipped, "--links")
    G = nx.node_link_graph(json.load(open(shipped, encoding="utf-8")))
    same("shipped graph", (G.number_of_nodes(), G.number_of_edges()), (68, 114))


def check_graphml(kgraph, work):
    nx = need("networkx", "python3-networkx")
    exp = Expected(HOSTILE)
    out = os.path.join(work, "hostile.graphml")
    export(kgraph, "graphml", HOSTILE, out)
    G = nx.read_graphml(out, force_multigraph=True)
    check_nx_graph(G, exp, xml=True, name_key="label")
    same("ada aliases", json.loads(G.nodes["ada"]["aliases"]), exp.entities["ada"]["aliases"])
    shipped = os.path.join(work, "shipped.graphml")
    export(kgraph, "graphml", SHIPPED, shipped)
    G = nx.read_graphml(shipped, force_multigraph=True)
    same("shipped graph", (G.number_of_nodes(), G.number_of_edges()), (68, 114))


def check_gexf(kgraph, work):
    nx = need("networkx", "python3-networkx")
    from networkx.readwrite import gexf
    if "1.3" not in gexf.GEXF.versions:  # NetworkX before 3.0 knows up to 1.2draft
        gexf.GEXF.versions["1.3"] = dict(gexf.GEXF.versions["1.2draft"], NS_GEXF="http://gexf.net/1.3",
                                         NS_VIZ="http://gexf.net/1.3/viz", VERSION="1.3")
    exp = Expected(HOSTILE)
    out = os.path.join(work, "hostile.gexf")
    export(kgraph, "gexf", HOSTILE, out)
    G = nx.read_gexf(out, version="1.3")
    same("mode", G.graph.get("mode"), "dynamic")
    check_nx_graph(G, exp, xml=True, name_key="label")
    e = G.get_edge_data("ada", "bob", key="r1")
    same("date 2024 as a spell", e.get("spells"), [("2024-01-01", "2024-12-31")])
    e = G.get_edge_data("ada", "acme", key="r2")
    same("since/until as start/end", (e.get("start"), e.get("end")), ("2019-05-01", "2023-12-31"))
    e = G.get_edge_data("bob", "acme", key="r3")
    same("a leap day until March", (e.get("start"), e.get("end")), ("2020-02-29", "2020-02-29"))


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def check_csv(kgraph, work):
    exp = Expected(HOSTILE)
    out = os.path.join(work, "hostile-csv")
    shutil.rmtree(out, ignore_errors=True)
    export(kgraph, "csv", HOSTILE, out)
    ents = {r["id"]: r for r in read_csv(os.path.join(out, "entities.csv"))}
    rels = read_csv(os.path.join(out, "relations.csv"))
    srcs = {r["id"]: r for r in read_csv(os.path.join(out, "sources.csv"))}
    same("entities", len(ents), len(exp.entities))
    same("relations", len(rels), len(exp.relations))
    same("sources", set(srcs), set(exp.sources))
    for eid in exp.entities:
        same(f"{eid} name", ents[eid]["name"], exp.name(eid))
        for k, v in exp.attrs(eid).items():
            col = "attr_id" if k == "id" else k
            same(f"{eid} {k}", ents[eid][col], "|".join(v) if isinstance(v, list) else v)
    for i, r in enumerate(exp.relations):
        row = rels[i]
        same(f"r{i} id", row["id"], f"r{i}")
        for k in ("from", "type", "to", "date", "since", "until", "source", "quote"):
            same(f"r{i} {k}", row[k], r.get(k, ""))
    same("source title", srcs["src-1"]["title"], exp.sources["src-1"]["title"])


NEO4J_TYPES = r"(int|long|float|double|boolean|byte|short|char|string|date|localtime|time|localdatetime|datetime|duration|point)"
NEO4J_FIELD = re.compile(r"^(?P<name>[^:]*)(:(?P<kind>ID|LABEL|START_ID|END_ID|TYPE|IGNORE)(\((?P<space>[^)]*)\))?"
                         r"|:(?P<type>" + NEO4J_TYPES + r")(?P<array>\[\])?)?$")


def check_neo4j_file(path, kind, delim):
    """The header rules of neo4j-admin import (docs-operations,
    import/header-format.adoc), and every row against its header."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    kinds, names = [], []
    for field in header:
        m = NEO4J_FIELD.match(field)
        if not m:
            sys.exit(f"{path}: header field {field!r} breaks the header format")
        if m.group("kind"):
            kinds.append(m.group("kind"))
        if m.group("name"):
            if m.group("name") in names:
                sys.exit(f"{path}: property {m.group('name')!r} twice")
            names.append(m.group("name"))
    if kind == "nodes":
        same(f"{path}: :ID columns", kinds.count("ID"), 1)
        same(f"{path}: relationship columns", [k for k in kinds if k in ("START_ID", "END_ID", "TYPE")], [])
    else:
        same(f"{path}: relationship columns", sorted(kinds), ["END_ID", "START_ID", "TYPE"])
    for n, row in enumerate(body, 2):
        same(f"{path}: row {n} width", len(row), len(header))
        for field, cell in zip(header, row):
            m = NEO4J_FIELD.match(field)
            if m.group("type") == "date" and cell and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", cell):
                sys.exit(f"{path}: row {n}: {cell!r} is not a date")
            if m.group("type") == "double" and cell:
                float(cell)
    return header, body


def check_neo4j(kgraph, work):
    exp = Expected(HOSTILE)
    out = os.path.join(work, "hostile-neo4j")
    shutil.rmtree(out, ignore_errors=True)
    export(kgraph, "neo4j", HOSTILE, out)
    script = open(os.path.join(out, "import.sh"), encoding="utf-8").read()
    m = re.search(r"--array-delimiter='(.)'", script)
    if not m or "neo4j-admin database import full" not in script:
        sys.exit("import.sh does not hold the import command with its array delimiter")
    delim = m.group(1)
    for part in ("entities.csv", "sources.csv", "relations.csv"):
        if f"={part}" not in script:
            sys.exit(f"import.sh does not load {part}")
    header, body = check_neo4j_file(os.path.join(out, "entities.csv"), "nodes", delim)
    check_neo4j_file(os.path.join(out, "sources.csv"), "nodes", delim)
    _, rels = check_neo4j_file(os.path.join(out, "relations.csv"), "relationships", delim)
    same("entities", len(body), len(exp.entities))
    same("relations", len(rels), len(exp.relations))
    ada = dict(zip(header, next(r for r in body if r[0] == "ada")))
    same("ada name", ada["name"], exp.name("ada"))
    same("ada aliases", ada["aliases:string[]"].split(delim), exp.entities["ada"]["aliases"])
    same("ada label", ada[":LABEL"].split(";"), ["Entity", "person"])


def cypher_strings(text):
    """The string literals of a Cypher text, decoded by Cypher's rules."""
    escapes = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}
    out, i = [], 0
    while True:
        i = text.find("'", i)
        if i < 0:
            return out
        s, i = [], i + 1
        while text[i] != "'":
            if text[i] == "\\":
                if text[i + 1] == "u":
                    s.append(chr(int(text[i + 2:i + 6], 16)))
                    i += 6
                    continue
                s.append(escapes[text[i + 1]])
                i += 2
                continue
            s.append(text[i])
            i += 1
        out.append("".join(s))
        i += 1


def check_cypher(kgraph, work):
    exp = Expected(HOSTILE)
    out = os.path.join(work, "hostile.cypher")
    export(kgraph, "cypher", HOSTILE, out)
    text = open(out, encoding="utf-8").read()
    statements = [s for s in re.split(r";\n", text) if s.strip() and not s.startswith("//")]
    code = [s.split("\n", 1)[1] if s.startswith("//") else s for s in re.split(r";\n", text) if s.strip()]
    same("constraints first", all(s.startswith("CREATE CONSTRAINT") for s in code[:2]), True)
    same("then UNWIND ... MERGE", all(s.startswith("UNWIND [") and "MERGE" in s for s in code[2:]), True)
    strings = set(cypher_strings(text))
    for eid in exp.entities:
        if exp.name(eid) not in strings:
            sys.exit(f"{eid}'s name does not come back from the Cypher string literals")
    for r in exp.relations:
        if "quote" in r and r["quote"] not in strings:
            sys.exit(f"the quote {r['quote']!r} does not come back from the Cypher string literals")
    same("relation statements", sum(s.count("{from: ") for s in statements), len(exp.relations))


def check_ttl(kgraph, work):
    rdflib = need("rdflib", "python3-rdflib")
    exp = Expected(HOSTILE)
    out = os.path.join(work, "hostile.ttl")
    export(kgraph, "ttl", HOSTILE, out)
    g = rdflib.Graph()
    g.parse(out, format="turtle")
    RDFS = rdflib.RDFS
    PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
    KG = rdflib.Namespace("urn:kgraph:vocab#")
    E = lambda i: rdflib.URIRef("urn:kgraph:entity:" + i)
    for eid in exp.entities:
        same(f"{eid} label", str(g.value(E(eid), RDFS.label)), exp.name(eid))
    for i, r in enumerate(exp.relations):
        node = rdflib.URIRef(f"urn:kgraph:relation:r{i}")
        same(f"r{i} subject", g.value(node, rdflib.RDF.subject), E(r["from"]))
        if "quote" in r:
            same(f"r{i} prov:value", str(g.value(node, PROV.value)), r["quote"])
            same(f"r{i} prov:wasQuotedFrom", g.value(node, PROV.wasQuotedFrom),
                 rdflib.URIRef("urn:kgraph:source:" + r["source"]))
        if "date" in r:
            lit = g.value(node, KG.date)
            same(f"r{i} date", str(lit), r["date"])
            want = {10: "date", 7: "gYearMonth", 4: "gYear"}[len(r["date"])]
            same(f"r{i} date type", str(lit.datatype), "http://www.w3.org/2001/XMLSchema#" + want)
    # The expected triples, counted from the YAML: every entity's type,
    # id, label, aliases and attribute values; per relation the triple
    # itself and its statement node; the vocabulary and the sources.
    n = 0
    for eid, e in exp.entities.items():
        n += 3 + len(e.get("aliases", []))
        n += sum(len(v) if isinstance(v, list) else 1 for v in exp.attrs(eid).values())
    keys = {"date", "since", "until", "weight", "source", "quote"}
    direct = set()
    for r in exp.relations:
        direct.add((r["from"], r["type"], r["to"]))
        n += 5 + sum(1 for k in keys if k in r)  # 2 types + subject, predicate, object
        n += sum(len(v) if isinstance(v, list) else 1 for k, v in r.items() if k not in keys | {"from", "type", "to"})
    n += len(direct)
    for sid, s in exp.sources.items():
        s = s or {}
        n += 3 + sum(len(v) if isinstance(v, list) else 1 for v in s.values())
    rtypes = {r["type"] for r in exp.relations}
    ntypes = len(set(e["type"] for e in exp.entities.values()) | {"person", "country", "organization", "weapon",
                                                                     "decision", "event", "place", "group", "vessel"})
    n += 2 * ntypes + 2 * len(rtypes) + 1  # a class/property and a label each; one symmetric type
    same("triples (rdflib)", len(g), n)
    if shutil.which("rapper"):
        r = subprocess.run(["rapper", "-i", "turtle", "-c", out], capture_output=True, text=True)
        m = re.search(r"returned (\d+) triples", r.stderr)
        # rapper counts each triple written; rdflib keeps a set, and the
        # two parallel met_with relations write the same plain triple
        same("triples (raptor)", int(m.group(1)) if m else None, n + 1)


FTM_SCHEMATA = {"Person", "Organization", "Company", "PublicBody", "Event", "Vessel", "Airplane", "Document",
                "Membership", "Directorship", "Ownership", "Employment", "Family", "Associate", "Representation",
                "UnknownLink"}


def check_ftm(kgraph, work):
    exp = Expected(HOSTILE)
    out = os.path.join(work, "hostile.ftm.json")
    warnings = export(kgraph, "ftm", HOSTILE, out)
    if "no FollowTheMoney schema fits weapon (1), place (1), group (1)" not in warnings:
        sys.exit(f"ftm: the warning does not list what had no schema: {warnings!r}")
    ents = {}
    for line in open(out, encoding="utf-8"):
        d = json.loads(line)
        if d["schema"] not in FTM_SCHEMATA:
            sys.exit(f"ftm: unknown schema {d['schema']}")
        for k, v in d["properties"].items():
            if not isinstance(v, list) or not all(isinstance(s, str) for s in v):
                sys.exit(f"ftm: {d['id']}.{k} is not a list of strings")
        ents[d["id"]] = d
    same("ada", ents["ada"]["properties"]["name"], [exp.name("ada")])
    same("ada aliases", ents["ada"]["properties"]["alias"], exp.entities["ada"]["aliases"])
    same("r2 schema", ents["kgraph-r2"]["schema"], "Employment")
    same("r2 dates", (ents["kgraph-r2"]["properties"]["startDate"], ents["kgraph-r2"]["properties"]["endDate"]),
         (["2019-05"], ["2024"]))
    same("r0 summary", ents["kgraph-r0"]["properties"]["summary"], [exp.relations[0]["quote"]])


def check_yaml(kgraph, work):
    out = os.path.join(work, "hostile.export.yaml")
    export(kgraph, "yaml", HOSTILE, out)
    r = subprocess.run([kgraph, "check", out], capture_output=True, text=True)
    same("check of the YAML export", (r.returncode, "warning" in r.stderr), (0, False))
    exp, got = Expected(HOSTILE), Expected(out)
    same("entities", got.entities, exp.entities)
    same("relations", got.relations, exp.relations)


def main():
    kgraph, work, fmt = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    checks = {"json": lambda: check_json(kgraph, work, False), "json-links": lambda: check_json(kgraph, work, True),
              "graphml": lambda: check_graphml(kgraph, work), "gexf": lambda: check_gexf(kgraph, work),
              "csv": lambda: check_csv(kgraph, work), "neo4j": lambda: check_neo4j(kgraph, work),
              "cypher": lambda: check_cypher(kgraph, work), "ttl": lambda: check_ttl(kgraph, work),
              "ftm": lambda: check_ftm(kgraph, work), "yaml": lambda: check_yaml(kgraph, work)}
    checks[fmt]()
    print(f"{fmt}: read back and checked")


if __name__ == "__main__":
    main()
