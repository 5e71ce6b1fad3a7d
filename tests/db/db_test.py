#!/usr/bin/env python3
"""db_test.py KGRAPH STATE SRCDIR WORKDIR GROUP - the --db tests against a real
PostgreSQL server (started by tests/db/pg.sh; STATE holds its socket folder).

GROUP differential: push the shipped graph and seeded random graphs (with
parallel and self-relations, symmetric types, dates and validity), then run the
same path (one, all shortest, k shortest, all), neighbors, show and list
questions on the files and with --db: stdout, stderr and
the exit code must be byte-identical.
GROUP script: `export -T sql` scripts loaded with psql hold the same rows as
push stores (every table, column by column), and --db answers on them equal
the files'.
GROUP partitioned: the schema with entities, sources and relations
partitioned by hash of graph (standing in for Citus shards), loaded into a
fresh database; graphs pushed into it answer as on the files.
GROUP weighted: path --weight (one lightest path, --all-shortest, -k) with
filters on seeded graphs with tied weights, equal to the files' answers, and
the same errors and warnings about weights.
GROUP pgrouting: pgRouting's pgr_bdDijkstra over kgraph.edges finds paths of
the same length (and, weighted, the same weight) as path --db on a few pairs;
exit 77 (skip) when pgRouting is not installed.
GROUP render: render --db draws focus neighbourhoods and paths (with the
filters, on the shipped graph and on seeded graphs with more relation types
than styles) with the same DOT and SVG bytes as render on the files, and
refuses a drawing of the whole graph.
GROUP faults: connection refused, wrong password, unknown graph, a graph name
with quotes, backslashes and $$, and a push cut off by a server stopped in the
middle (the old graph survives): each a clear message and exit 4.
Exit 77 (skip) when the server could not be started."""
import json
import os
import random
import subprocess
import sys

kgraph, state, srcdir, work, group = sys.argv[1:6]
if not os.path.exists(state):
    print("no PostgreSQL server (see tests/db/pg.sh)")
    sys.exit(77)
sock = open(state).read().strip()
url = f"host={sock} user=kg dbname=kgtest"
os.makedirs(work, exist_ok=True)
failures = 0


def run(*args):
    p = subprocess.run([kgraph, *args], capture_output=True)
    return p.returncode, p.stdout, p.stderr


def fail(msg):
    global failures
    failures += 1
    print("FAIL:", msg)


def push(name, *files, db=None):
    code, out, err = run("push", "--db", db or url, "--graph", name, *files)
    if code != 0:
        fail(f"push {name}: {code} {err.decode()}")


def same(name, files, args, db_url=None):
    """The question on the files and from the database: identical answers."""
    cmd, rest = args[0], args[1:]
    mem = run(cmd, *rest, *files)
    db = run(cmd, "--db", db_url or url, "--graph", name, *rest)
    if mem != db:
        fail(f"{cmd} {' '.join(rest)} on {name}:\n  files: {str(mem)[:400]}\n  db:    {str(db)[:400]}")
        if os.environ.get("KGRAPH_DB_DUMP"):
            for side, r in (("files", mem), ("db", db)):
                with open(os.path.join(work, f"dump-{side}.out"), "wb") as f:
                    f.write(r[1] + b"\n--stderr--\n" + r[2])


def random_graph(path, seed, n_ent, n_rel):
    """A graph that exercises ties: few entities, parallel relations,
    self-relations, a symmetric type, dates and since/until."""
    rnd = random.Random(seed)
    types = ["person", "country", "organization", "place"]
    lines = ["title: random %d" % seed, "relation_types:",
             "  allied: {symmetric: true}", "  meets: {symmetric: true}",
             "entities:"]
    for i in range(n_ent):
        lines.append(f"  e{i}: {{type: {rnd.choice(types)}, name: 'Entity {i}'}}")
    lines.append("relations:")
    for _ in range(n_rel):
        a, b = rnd.randrange(n_ent), rnd.randrange(n_ent)
        t = rnd.choice(["supports", "allied", "funds", "meets", "leads"])
        extra = ""
        if rnd.random() < 0.3:
            y = rnd.randrange(2018, 2025)
            extra += f", since: {y}-{rnd.randrange(1, 13):02d}"
            if rnd.random() < 0.5:
                extra += f", until: {y + rnd.randrange(1, 4)}"
        if rnd.random() < 0.2:
            extra += f", date: {rnd.randrange(2015, 2025)}"
        lines.append(f"  - {{from: e{a}, type: {t}, to: e{b}{extra}}}")
    open(path, "w").write("\n".join(lines) + "\n")


def differential():
    shipped = os.path.join(srcdir, "graphs", "ukraine-long-range-strikes-2024.yaml")
    push("ukraine", shipped)
    code, out, _ = run("list", "--format", "tsv", shipped)
    ids = [line.split("\t")[0] for line in out.decode().splitlines()[1:]]
    rnd = random.Random(7)
    filters = [[], ["--directed"], ["--rel", "heads,serves,met_with,decided"],
               ["--exclude-rel", "met_with"], ["--through", "person,country"],
               ["--avoid", "united_states"], ["--as-of", "2024-06"], ["--max-hops", "2"]]
    for i in range(60):
        a, b = rnd.choice(ids), rnd.choice(ids)
        f = filters[i % len(filters)]
        fmt = ["--format", ["text", "json", "tsv"][i % 3]]
        same("ukraine", [shipped], ["path", *f, *fmt, a, b])
    for i, e in enumerate(ids[:20]):
        f = [[], ["--direction", "out"], ["--direction", "in", "--depth", "2"], ["--depth", "3", "--through", "person"],
             ["--as-of", "2024-10", "--depth", "2"]][i % 5]
        same("ukraine", [shipped], ["neighbors", *f, "--format", "json", e])
    # Many paths: the ball around FROM, grown until the answer is provably whole.
    for i in range(30):
        a, b = rnd.choice(ids), rnd.choice(ids)
        mode = [["--all-shortest"], ["-k", "4"], ["--all", "--max-hops", "3"], ["-k", "12"],
                ["--all-shortest", "--limit", "2"]][i % 5]
        f = filters[i % len(filters)]
        if "--max-hops" in f and "--all" in mode:
            f = []
        fmt = ["--format", ["text", "json", "tsv"][i % 3]]
        same("ukraine", [shipped], ["path", *mode, *f, *fmt, a, b])
    for i, e in enumerate(ids[::3]):
        same("ukraine", [shipped], ["show", "--format", ["text", "json", "tsv"][i % 3], e])
    same("ukraine", [shipped], ["show", "Storm Shadow"])
    same("ukraine", [shipped], ["show", "no_such_entity"])
    lists = [[], ["--type", "person,weapon"], ["--type", "no_such_type"], ["--relations"],
             ["--relations", "--rel", "met_with,heads"], ["--relations", "--exclude-rel", "met_with"],
             ["--relations", "--as-of", "2024-06"], ["--relations", "--rel", "met_with", "--as-of", "1990"]]
    for f in lists:
        for fmt in ["text", "json", "tsv"]:
            same("ukraine", [shipped], ["list", *f, "--format", fmt])
    # search: candidates chosen in SQL by keys kgraph folded at push.
    for text in ["starmer", "keir", "joe biden", "kyiv", "st", "BIDEN", "  bush ", "!!", "zzzz", "storm shadow",
                 "a"]:
        for i, f in enumerate([[], ["--type", "person,weapon"], ["--attributes"]]):
            same("ukraine", [shipped], ["search", *f, "--format", ["text", "json", "tsv"][i], text])
    same("ukraine", [shipped], ["search", "--type", "no_such_type", "x"])
    accents = os.path.join(work, "accents.yaml")
    open(accents, "w").write(
        "entities:\n"
        "  munich: {type: place, name: München, aliases: [Minga], office: Bürgermeisterin}\n"
        "  istanbul: {type: place, name: Istanbul, aliases: [İstanbul, 'Kostantiniyye']}\n"
        "  bush: {type: person, name: George W. Bush, role: 'Präsident'}\n"
        "  zelenskyy: {type: person, name: Володимир Зеленський, aliases: ['ﬁnance ﬁle']}\n"
        "  quote: {type: person, name: 'O''Brien \"Q\" \\\\ $$'}\n"
        "  twin_a: {type: person, name: Ana Ana}\n"
        "  twin_b: {type: person, name: ANA}\n")
    push("accents", accents)
    for text in ["munchen", "MÜNCHEN", "istanbul", "İSTANBUL", "george bush", "bush george", "w. bush", "зеленський",
                 "ЗЕЛЕН", "finance", "fi", "o'brien", '"q"', "\\", "$$", "ana", "an", "burgermeisterin", "prasident",
                 "minga"]:
        for f in [[], ["--attributes"], ["--type", "place"]]:
            same("accents", [accents], ["search", *f, "--format", "json", text])
    same("ukraine", [shipped], ["path", "no_such_entity", "biden"])
    same("ukraine", [shipped], ["path", "BIDEN", "zelenskyy"])
    for seed in range(1, 5):
        path = os.path.join(work, f"random{seed}.yaml")
        random_graph(path, seed, 40 + 20 * seed, 120 * seed)
        push(f"random{seed}", path)
        rnd = random.Random(seed)
        n = 40 + 20 * seed
        for i in range(24):
            a, b = f"e{rnd.randrange(n)}", f"e{rnd.randrange(n)}"
            f = [[], ["--directed"], ["--rel", "allied,funds"], ["--as-of", "2021-03"],
                 ["--avoid", f"e{rnd.randrange(n)}"], ["--through", "person,place"]][i % 6]
            same(f"random{seed}", [path], ["path", *f, "--format", "json", a, b])
        for i in range(16):
            a, b = f"e{rnd.randrange(n)}", f"e{rnd.randrange(n)}"
            mode = [["--all-shortest"], ["-k", "5"], ["--all", "--max-hops", "3"]][i % 3]
            f = [[], ["--directed"], ["--rel", "allied,funds"], ["--as-of", "2021-03"],
                 ["--avoid", f"e{rnd.randrange(n)}"], ["--through", "person,place"], ["--max-hops", "2"],
                 ["--directed", "--exclude-rel", "meets"]][i % 8]
            if "--max-hops" in f and "--all" in mode:
                f = []
            same(f"random{seed}", [path], ["path", *mode, *f, "--format", "json", a, b])
        for i in range(10):
            e = f"e{rnd.randrange(n)}"
            f = [["--depth", "2"], ["--direction", "out", "--depth", "3"], ["--direction", "in"],
                 ["--as-of", "2020", "--depth", "2"], ["--exclude-rel", "allied", "--depth", "2"]][i % 5]
            same(f"random{seed}", [path], ["neighbors", *f, "--format", "json", e])
        for i in range(10):
            same(f"random{seed}", [path], ["show", "--format", ["text", "json", "tsv"][i % 3], f"e{rnd.randrange(n)}"])
        for f in [["--type", "person,place"], ["--relations", "--format", "json"],
                  ["--relations", "--rel", "allied,funds", "--as-of", "2021-03"], ["--relations", "--exclude-rel", "meets"]]:
            same(f"random{seed}", [path], ["list", *f])
    gen = os.path.join(srcdir, "tests", "bench", "gen.py")
    big = os.path.join(work, "gen5k")
    subprocess.run([sys.executable, gen, "--relations", "5000", "--seed", "3", "--out", big], check=True,
                   capture_output=True)
    push("gen5k", big + ".yaml")
    # A line of .queries: "shortest FROM TO ...".
    pairs = [line.split()[1:3] for line in open(big + ".queries")][:16]
    for i, (a, b) in enumerate(pairs):
        f = [[], ["--directed"], ["--max-hops", "3"]][i % 3]
        same("gen5k", [big + ".yaml"], ["path", *f, a, b])
    for i, (a, b) in enumerate(pairs[:8]):
        same("gen5k", [big + ".yaml"], ["path", *[["-k", "3"], ["--all-shortest"]][i % 2], a, b])


def many_types_graph(path, seed, n_ent, n_rel):
    """A graph with more relation types (30) than a drawing has styles
    (21), used unevenly: which types get a style of their own, and which
    one, follows their use in the whole graph, not in the part drawn."""
    rnd = random.Random(seed)
    types = ["person", "country", "organization", "place", "weapon"]
    lines = [f"title: many types {seed}", "relation_types:", "  t0: {symmetric: true}", "entities:"]
    for i in range(n_ent):
        lines.append(f"  e{i}: {{type: {rnd.choice(types)}, name: 'Entity {i}', group: g{i % 3}}}")
    lines.append("relations:")
    for _ in range(n_rel):
        a, b = rnd.randrange(n_ent), rnd.randrange(n_ent)
        t = min(int(rnd.expovariate(0.12)), 29)
        extra = f", date: {rnd.randrange(2019, 2025)}-0{rnd.randrange(1, 10)}" if rnd.random() < 0.4 else ""
        lines.append(f"  - {{from: e{a}, type: t{t}, to: e{b}{extra}}}")
    open(path, "w").write("\n".join(lines) + "\n")


def render():
    """render --db: the same DOT and SVG, byte for byte, as render on the
    files, for focus neighbourhoods, paths alone and paths in a focus,
    with the filters; and the drawings it refuses."""
    shipped = os.path.join(srcdir, "graphs", "ukraine-long-range-strikes-2024.yaml")
    push("ukraine", shipped)
    selections = [["--focus", "biden"], ["--focus", "biden,starmer", "--depth", "2"],
                  ["--focus", "atacms", "--depth", "2", "--type", "person,country,weapon"],
                  ["--focus", "atacms", "--depth", "2", "--rel", "decided,prepares,concerns"],
                  ["--focus", "zelenskyy", "--depth", "2", "--exclude-rel", "met_with", "--as-of", "2024-06"],
                  ["--focus", "storm_shadow", "--depth", "3", "--through", "person,country"],
                  ["--focus", "biden", "--depth", "2", "--avoid", "united_states"],
                  ["--path", "starmer", "atacms", "--path-only"],
                  ["--path", "sullivan", "storm_shadow", "-k", "3", "--path-only"],
                  ["--path", "biden", "zelenskyy", "--all-shortest", "--path-only", "--directed"],
                  ["--path", "starmer", "atacms", "--focus", "biden"],
                  ["--path", "lammy", "austin", "--all-shortest", "--focus", "zelenskyy", "--rel",
                   "heads,serves,met_with,counterpart_of"],
                  ["--path", "biden", "atacms", "--weight", "weight", "--focus", "atacms", "--depth", "2"],
                  ["--path", "biden", "zelenskyy", "-k", "3", "--weight", "weight", "--path-only"],
                  ["--focus", "biden", "--timeline"], ["--focus", "biden", "--credit", "--cluster-by", "type"],
                  ["--focus", "starmer", "--depth", "2", "--theme", "print", "--legend", "--edge-dates"]]
    for sel in selections:
        for fmt in ["dot", "svg"]:
            same("ukraine", [shipped], ["render", *sel, "-T", fmt, "-o", "-"])
    # Names and filters that resolve to nothing: the same messages.
    same("ukraine", [shipped], ["render", "--focus", "biden", "--type", "no_such_type", "-T", "dot", "-o", "-"])
    same("ukraine", [shipped], ["render", "--path", "biden", "BIDEN", "--path-only", "-T", "dot", "-o", "-"])
    same("ukraine", [shipped], ["render", "--focus", "biden", "--rel", "nothing_like_it", "-T", "dot", "-o", "-"])
    for seed in range(1, 4):
        path = os.path.join(work, f"many{seed}.yaml")
        n = 40 + 20 * seed
        many_types_graph(path, seed, n, 150 * seed)
        push(f"many{seed}", path)
        rnd = random.Random(seed)
        for i in range(10):
            e, a, b = (f"e{rnd.randrange(n)}" for _ in range(3))
            sel = [["--focus", e], ["--focus", f"{e},{a}", "--depth", "2"], ["--path", a, b, "--path-only"],
                   ["--path", a, b, "-k", "3", "--focus", e], ["--focus", e, "--depth", "2", "--rel", "t0,t1,t5,t20"],
                   ["--focus", e, "--type", "person,place", "--depth", "3"],
                   ["--focus", e, "--depth", "2", "--as-of", "2022-01", "--cluster-by", "group"],
                   ["--path", a, b, "--all-shortest", "--directed", "--path-only", "--theme", "print"],
                   ["--focus", e, "--depth", "1", "--theme", "dark"],
                   ["--path", a, b, "--through", "person,country", "--focus", a]][i]
            for fmt in ["dot", "svg"]:
                same(f"many{seed}", [path], ["render", *sel, "-T", fmt, "-o", "-"])
    # What --db does not draw: usage errors (exit 3), nothing read.
    db = ["render", "--db", url, "--graph", "ukraine", "-T", "dot", "-o", "-"]
    for args, text in [([], b"say what to draw"), (["--path", "biden", "atacms"], b"add --path-only"),
                       (["--focus", "biden", "--diff", shipped], b"no --diff"),
                       (["--focus", "biden", shipped], b"give no FILE")]:
        code, out, err = run(*db, *args)
        if code != 3 or text not in err or out:
            fail(f"render --db {args}: {code} {err!r}")
    code, out, err = run("render", "--graph", "ukraine", "--focus", "biden", "-T", "dot", "-o", "-")
    if code != 3 or b"--graph goes with --db" not in err:
        fail(f"render --graph without --db: {code} {err!r}")


def expect(what, result, code, text):
    c, out, err = result
    if c != code or text.encode() not in err:
        fail(f"{what}: exit {c}, stderr {err!r}; wanted exit {code} and '{text}'")


def faults():
    shipped = os.path.join(srcdir, "graphs", "ukraine-long-range-strikes-2024.yaml")
    gone = os.path.join(work, "no-server")
    os.makedirs(gone, exist_ok=True)
    expect("refused", run("path", "--db", f"host={gone} user=kg dbname=kgtest", "--graph", "x", "a", "b"), 4,
           "cannot connect to the database")
    r = run("push", "--db", f"host={sock} user=pw password=wrong-pw dbname=kgtest", shipped)
    expect("wrong password", r, 4, "password authentication failed")
    if b"wrong-pw" in r[2]:
        fail("the password appears in a message")
    expect("bad url", run("push", "--db", "postgresql://kg:secret@[bad", shipped), 4, "not a valid libpq")
    push("ukraine", shipped)
    expect("unknown graph", run("path", "--db", url, "--graph", "nope", "biden", "zelenskyy"), 4,
           "no graph named 'nope'")
    odd = "it's a \\ \"graph\" $$ ; DROP TABLE x"
    push(odd, shipped)
    same(odd, [shipped], ["path", "biden", "zelenskyy"])
    # The server stopped in the middle of a push: the old version survives.
    gen = os.path.join(srcdir, "tests", "bench", "gen.py")
    big = os.path.join(work, "gen200k")
    subprocess.run([sys.executable, gen, "--relations", "200000", "--seed", "5", "--out", big], check=True,
                   capture_output=True)
    before = run("path", "--db", url, "--graph", "ukraine", "biden", "zelenskyy")
    p = subprocess.Popen([kgraph, "push", "--db", url, "--graph", "ukraine", big + ".yaml"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # Wait until the push is streaming rows, then stop the server.
    import time
    for _ in range(600):
        q = subprocess.run(["psql", "-X", "-A", "-t", "-h", sock, "-U", "kg", "-d", "kgtest", "-c",
                            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY kgraph.%'"],
                           capture_output=True)
        if q.stdout.strip() not in (b"", b"0"):
            break
        time.sleep(0.05)
    here = os.path.dirname(os.path.abspath(__file__))
    subprocess.run([os.path.join(here, "pg.sh"), "restart", state], check=True)
    out, err = p.communicate()
    if p.returncode != 4 or b"kgraph: error:" not in err:
        fail(f"push cut off: exit {p.returncode}, {err!r}")
    after = run("path", "--db", url, "--graph", "ukraine", "biden", "zelenskyy")
    if before != after or before[0] != 0:
        fail(f"the old graph did not survive: {before} / {after}")


def psql(*args, **kw):
    return subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", sock, "-U", "kg", "-d", "kgtest",
                           *args], capture_output=True, **kw)


def rows(name):
    """Every row of graph name, without the graph's id, in ord order."""
    out = b""
    for table, key in [("types", "kind, ord"), ("sources", "ord"), ("entities", "ord"), ("relations", "ord")]:
        q = psql("-A", "-t", "-v", f"n={name}", input=(
            f"SELECT to_jsonb(t) - 'graph' FROM kgraph.{table} t "
            f"WHERE graph = (SELECT id FROM kgraph.graphs WHERE name = :'n') ORDER BY {key};").encode())
        out += q.stdout
    q = psql("-A", "-t", "-v", f"n={name}", input=(
        "SELECT title, description, files, entity_count, relation_count FROM kgraph.graphs "
        "WHERE name = :'n';").encode())
    return out + q.stdout


def script():
    shipped = os.path.join(srcdir, "graphs", "ukraine-long-range-strikes-2024.yaml")
    rnd_path = os.path.join(work, "random9.yaml")
    random_graph(rnd_path, 9, 50, 300)
    hostile = "o'brien \\ $$ \"x\""
    for pushed, scripted, files in [("ukraine-pushed", "ukraine-script", [shipped]),
                                    ("random9-pushed", hostile, [rnd_path])]:
        push(pushed, *files)
        sql = os.path.join(work, pushed + ".sql")
        code, _, err = run("export", "-T", "sql", "--graph", scripted, *files, "-o", sql)
        if code != 0:
            fail(f"export -T sql {scripted}: {code} {err.decode()}")
            continue
        # Twice: the second run replaces the first.
        for _ in range(2):
            p = psql("-f", sql)
            if p.returncode != 0:
                fail(f"psql -f {sql}: {p.stderr.decode()[:400]}")
        a, b = rows(pushed), rows(scripted)
        if not a or a != b:
            fail(f"{scripted}: the script's rows differ from push's ({len(a)} / {len(b)} bytes)")
    code, out, _ = run("list", "--format", "tsv", shipped)
    ids = [line.split("\t")[0] for line in out.decode().splitlines()[1:]]
    rnd = random.Random(11)
    for i in range(20):
        same("ukraine-script", [shipped], ["path", "--format", "json", rnd.choice(ids), rnd.choice(ids)])
    for i in range(10):
        same(hostile, [rnd_path], ["path", f"e{rnd.randrange(50)}", f"e{rnd.randrange(50)}"])
        same(hostile, [rnd_path], ["neighbors", "--depth", "2", f"e{rnd.randrange(50)}"])


PARTS = 4


def partitioned_schema():
    """kgraph.sql with entities, sources and relations hash-partitioned on
    graph (PARTS partitions each), as Citus would shard them; graphs and
    types stay plain tables (Citus: reference tables). Derived from the
    shipped file, so the columns cannot drift apart."""
    sql = open(os.path.join(srcdir, "share", "kgraph", "kgraph.sql")).read()
    for table in ["sources", "entities", "relations"]:
        head = f"CREATE TABLE IF NOT EXISTS kgraph.{table} ("
        start = sql.index(head)
        end = sql.index("\n);\n", start) + 2
        sql = sql[:end] + " PARTITION BY HASH (graph)" + sql[end:]
        parts = "".join(f"CREATE TABLE kgraph.{table}_p{i} PARTITION OF kgraph.{table} "
                        f"FOR VALUES WITH (MODULUS {PARTS}, REMAINDER {i});\n" for i in range(PARTS))
        end = sql.index(";\n", end) + 2
        sql = sql[:end] + parts + sql[end:]
    return sql


def partitioned():
    """The same answers from tables partitioned by hash of graph: a fresh
    database with the partitioned schema, several graphs pushed into it
    (spread over the partitions), and --db answers equal to the files'."""
    psql("-d", "postgres", "-c", "DROP DATABASE IF EXISTS kgpart")
    p = psql("-d", "postgres", "-c", "CREATE DATABASE kgpart")
    if p.returncode:
        fail(f"create database: {p.stderr.decode()}")
        return
    part_url = f"host={sock} user=kg dbname=kgpart"
    schema = os.path.join(work, "kgraph-partitioned.sql")
    open(schema, "w").write(partitioned_schema())
    p = psql("-d", "kgpart", "-f", schema)
    if p.returncode:
        fail(f"partitioned schema: {p.stderr.decode()[:400]}")
        return
    shipped = os.path.join(srcdir, "graphs", "ukraine-long-range-strikes-2024.yaml")
    graphs = {"ukraine": shipped}
    for seed in range(21, 25):
        path = os.path.join(work, f"random{seed}.yaml")
        random_graph(path, seed, 60, 300)
        graphs[f"random{seed}"] = path
    for name, path in graphs.items():
        push(name, path, db=part_url)
    # Push (with its schema script) left the tables partitioned, and the
    # graphs are spread over more than one partition.
    q = psql("-d", "kgpart", "-A", "-t", "-c",
             "SELECT c.relname FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
             "ORDER BY 1; SELECT count(DISTINCT tableoid) FROM kgraph.relations")
    lines = q.stdout.decode().split()
    if lines[:3] != ["entities", "relations", "sources"] or int(lines[3]) < 2:
        fail(f"not partitioned as meant: {lines}")
    # A frontier query names one graph, so it reads one partition (shard).
    gid = int(psql("-d", "kgpart", "-A", "-t", "-c", "SELECT id FROM kgraph.graphs WHERE name = 'ukraine'").stdout)
    q = psql("-d", "kgpart", "-A", "-t", "-c",
             f"EXPLAIN (COSTS OFF) SELECT * FROM kgraph.relations WHERE graph = {gid} AND from_ord = ANY('{{1,2}}')")
    scanned = {w for w in q.stdout.decode().split() if w.startswith("relations_p") and w[11:].isdigit()}
    if len(scanned) != 1:
        fail(f"a frontier query reads partitions {scanned}")
    for name, path in graphs.items():
        code, out, _ = run("list", "--format", "tsv", path)
        ids = [line.split("\t")[0] for line in out.decode().splitlines()[1:]]
        rnd = random.Random(name)
        for i in range(15):
            f = [[], ["--directed"], ["--as-of", "2021-03"]][i % 3]
            same(name, [path], ["path", *f, "--format", "json", rnd.choice(ids), rnd.choice(ids)], part_url)
        for i in range(5):
            same(name, [path], ["neighbors", "--depth", "2", rnd.choice(ids)], part_url)
            same(name, [path], ["show", "--format", "json", rnd.choice(ids)], part_url)
        same(name, [path], ["list", "--relations"], part_url)
        same(name, [path], ["list", "--type", "person"], part_url)
    # Replacing a graph works on partitions too.
    push("random21", graphs["random22"], db=part_url)
    same("random21", [graphs["random22"]], ["list", "--relations", "--format", "json"], part_url)


def weighted_graph(path, seed, n_ent, n_rel, bad=None):
    """Like random_graph, with weights that tie: weight: keys (integers,
    halves, zeros), a cost attribute on most relations, and an entity
    attribute rank; bad puts this value of cost on one late relation."""
    rnd = random.Random(seed)
    types = ["person", "country", "organization", "place"]
    lines = ["title: weighted %d" % seed, "relation_types:", "  allied: {symmetric: true}", "entities:"]
    for i in range(n_ent):
        lines.append(f"  e{i}: {{type: {rnd.choice(types)}, name: 'Entity {i}', rank: '{i % 5}'}}")
    lines.append("relations:")
    for k in range(n_rel):
        a, b = rnd.randrange(n_ent), rnd.randrange(n_ent)
        t = rnd.choice(["supports", "allied", "funds", "leads"])
        extra = ""
        if rnd.random() < 0.8:
            extra += f", weight: {rnd.choice(['0', '1', '2', '3', '0.5', '1.5', '10'])}"
        cost = f"'{rnd.choice(['1', '2', '2.25', '4', '0'])}'"
        if bad is not None and k == n_rel - 3:
            cost = bad
        if rnd.random() < 0.7 or cost == bad:
            extra += f", cost: {cost}"
        if rnd.random() < 0.2:
            y = rnd.randrange(2018, 2025)
            extra += f", since: {y}, until: {y + rnd.randrange(1, 4)}"
        lines.append(f"  - {{from: e{a}, type: {t}, to: e{b}{extra}}}")
    open(path, "w").write("\n".join(lines) + "\n")


def pushed_weighted(name, seed, n, n_rel):
    """A weighted_graph written and pushed as name: its file and a random
    generator seeded for picking pairs."""
    path = os.path.join(work, f"{name}.yaml")
    weighted_graph(path, seed, n, n_rel)
    push(name, path)
    return path, random.Random(seed)


def weighted():
    """path --weight with --db: the lightest paths, ties included, as on
    the files; the same errors and warnings for weights."""
    for seed in range(1, 5):
        n = 30 + 15 * seed
        path, rnd = pushed_weighted(f"w{seed}", seed, n, 100 * seed)
        for i in range(40):
            a, b = f"e{rnd.randrange(n)}", f"e{rnd.randrange(n)}"
            w = ["weight", "cost"][i % 2]
            mode = [[], ["--all-shortest"], [], ["--all-shortest", "--limit", "3"]][i % 4]
            f = [[], ["--directed"], ["--rel", "allied,funds"], ["--as-of", "2021-03"],
                 ["--avoid", f"e{rnd.randrange(n)}"], ["--through", "person,place"],
                 ["--directed", "--exclude-rel", "leads"]][i % 7]
            fmt = ["--format", ["text", "json", "tsv"][i % 3]]
            same(f"w{seed}", [path], ["path", "--weight", w, *mode, *f, *fmt, a, b])
        # The k lightest paths: the ball around FROM grown by weight.
        for i in range(16):
            a, b = f"e{rnd.randrange(n)}", f"e{rnd.randrange(n)}"
            k = ["-k", ["2", "4", "7", "12"][i % 4]]
            f = [[], ["--directed"], ["--rel", "allied,funds"], ["--as-of", "2021-03"],
                 ["--avoid", f"e{rnd.randrange(n)}"], ["--through", "person,place"], ["--limit", "3"]][i % 7]
            same(f"w{seed}", [path], ["path", "--weight", ["weight", "cost"][i % 2], *k, *f, "--format",
                                      ["text", "json", "tsv"][i % 3], a, b])
        a, b = f"e{rnd.randrange(n)}", f"e{rnd.randrange(n)}"
        # No relation has it (a warning), only entities have it (and a hint).
        same(f"w{seed}", [path], ["path", "--weight", "nothing", a, b])
        same(f"w{seed}", [path], ["path", "--weight", "rank", a, b])
        same(f"w{seed}", [path], ["path", "--weight", "cost", a, a])
        same(f"w{seed}", [path], ["path", "--weight", "cost", "--max-hops", "2", a, b])
    # A larger graph: many rounds, each batch a handful of entities.
    path = os.path.join(work, "weighted-large.yaml")
    weighted_graph(path, 11, 3000, 9000)
    push("wlarge", path)
    # push analyzes the tables: the planner knows the new rows are there.
    q = psql("-A", "-t", "-c", "SELECT reltuples FROM pg_class WHERE oid = 'kgraph.relations'::regclass")
    if float(q.stdout or 0) < 9000:
        fail(f"kgraph.relations not analyzed after push: reltuples {q.stdout!r}")
    rnd = random.Random(11)
    for i in range(12):
        a, b = f"e{rnd.randrange(3000)}", f"e{rnd.randrange(3000)}"
        same("wlarge", [path], ["path", "--weight", ["cost", "weight"][i % 2], *[[], ["--all-shortest"]][i // 2 % 2],
                                "--format", "json", a, b])
    for i in range(6):
        a, b = f"e{rnd.randrange(3000)}", f"e{rnd.randrange(3000)}"
        same("wlarge", [path], ["path", "--weight", ["cost", "weight"][i % 2], "-k", ["3", "6"][i // 2 % 2],
                                "--format", "json", a, b])
    # A weight that is no number, far from the path: the same error.
    for i, bad in enumerate(["'-1'", "'heavy'", "'1e16'", "['1', '2']", "'3e2'"]):
        path = os.path.join(work, f"badweight{i}.yaml")
        weighted_graph(path, 9, 40, 200, bad)
        push(f"bad{i}", path)
        same(f"bad{i}", [path], ["path", "--weight", "cost", "e1", "e2"])
        same(f"bad{i}", [path], ["path", "--weight", "cost", "--all-shortest", "--format", "json", "e3", "e4"])
        same(f"bad{i}", [path], ["path", "--weight", "cost", "-k", "3", "e5", "e6"])
    # The shipped graph and a generated one (no weights: every step weighs 1).
    shipped = os.path.join(srcdir, "graphs", "ukraine-long-range-strikes-2024.yaml")
    push("ukraine", shipped)
    same("ukraine", [shipped], ["path", "--weight", "weight", "--all-shortest", "biden", "zelenskyy"])
    same("ukraine", [shipped], ["path", "--weight", "weight", "-k", "5", "biden", "zelenskyy"])
    same("ukraine", [shipped], ["path", "--weight", "nothing", "-k", "3", "--format", "tsv", "starmer", "atacms"])


def pgr_path(name, a, b, cost):
    """pgRouting's pgr_bdDijkstra between the entities with ids a and b of
    graph name, over kgraph.edges (cost the given SQL expression, both
    ways): (relations, total cost), or None when it finds no path."""
    q = psql("-A", "-t", "-F", " ", "-v", f"n={name}", "-v", f"a={a}", "-v", f"b={b}", input=(
        "SELECT id AS g FROM kgraph.graphs WHERE name = :'n' \\gset\n"
        "SELECT count(*) - 1, max(agg_cost) FROM pgr_bdDijkstra("
        f"'SELECT e.id, e.source, e.target, {cost} AS cost, {cost} AS reverse_cost "
        "FROM kgraph.edges e JOIN kgraph.relations r ON r.graph = e.graph AND (r.graph << 32 | r.ord) = e.id "
        "WHERE e.graph = ' || :g, "
        "(SELECT ord FROM kgraph.entities WHERE graph = :g AND id = :'a'), "
        "(SELECT ord FROM kgraph.entities WHERE graph = :g AND id = :'b'), true);").encode())
    if q.returncode:
        fail(f"pgr_bdDijkstra {a} {b}: {q.stderr.decode()[:300]}")
        return None
    n, total = q.stdout.decode().split()
    return None if int(n) < 0 else (int(n), float(total))


def kgraph_path(name, a, b, *opts):
    """kgraph path --db's answer as (relations, weight), or None."""
    code, out, err = run("path", "--db", url, "--graph", name, "--format", "json", *opts, a, b)
    if code == 1:
        return None
    if code != 0:
        fail(f"path {a} {b} on {name}: exit {code} {err.decode()[:300]}")
        return None
    p = json.loads(out)["paths"][0]
    return (len(p["steps"]), p["weight"])


def pgrouting():
    """pgRouting's pgr_bdDijkstra on the same tables finds paths as long
    (and, weighted, as light) as kgraph's, on a few pairs."""
    q = psql("-A", "-t", "-c", "SELECT count(*) FROM pg_available_extensions WHERE name = 'pgrouting'")
    if q.stdout.strip() != b"1":
        print("pgRouting is not installed (Debian: postgresql-15-pgrouting; scripts/setup installs it)")
        sys.exit(77)
    q = psql("-c", "CREATE EXTENSION IF NOT EXISTS pgrouting CASCADE")
    if q.returncode:
        fail(f"create extension: {q.stderr.decode()[:300]}")
        return
    checked = 0
    for seed in (1, 2):
        n = 50 + 30 * seed
        _, rnd = pushed_weighted(f"pgr{seed}", seed, n, 160 * seed)
        for _ in range(12):
            a, b = f"e{rnd.randrange(n)}", f"e{rnd.randrange(n)}"
            if a == b:
                continue
            for opts, cost in [((), "1.0"), (("--weight", "weight"), "coalesce(r.weight, 1)")]:
                ours, theirs = kgraph_path(f"pgr{seed}", a, b, *opts), pgr_path(f"pgr{seed}", a, b, cost)
                if opts:  # weighted: the same total; the number of relations may differ on ties
                    ours = ours and ours[1]
                    theirs = theirs and theirs[1]
                else:
                    ours = ours and ours[0]
                    theirs = theirs and theirs[0]
                if ours != theirs:
                    fail(f"{a} -> {b} {' '.join(opts)} on pgr{seed}: kgraph {ours}, pgRouting {theirs}")
                checked += 1
    print(f"{checked} pairs compared")


{"differential": differential, "script": script, "faults": faults, "partitioned": partitioned,
 "weighted": weighted, "pgrouting": pgrouting, "render": render}[group]()
print(f"{group}: {failures} failure(s)")
sys.exit(1 if failures else 0)
