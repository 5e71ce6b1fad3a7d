#!/usr/bin/python3
"""bench.py - run kgraph's benchmark against its peers; one table per size.

    bench.py --build BUILD [--sizes 10k,250k,1m[,10m]] [--shapes attach,wide] [--runs 5]
             [--py-runs 3] [--python-1m] [--no-python] [--snapshot-only] [--seed 1]
             [--markdown FILE]

Usually started by tests/bench/run, which installs the peers and builds
BUILD first (kgraph, kg_bench, yaml_scan, igraph_bench). The graphs are
made by gen.py into BUILD/bench-graphs and kept for later runs, in two
shapes (gen.py --shape): every row, the load targets among them (load ÷
libyaml scan, peak RSS ÷ file size, bytes per relation), is measured and
reported on each, so that tuning to one shape shows.

Every time is the median of several runs (min and max beside it), each
peer measured in the same invocation, with the runs of the different tools
interleaved so that a busy machine slows them alike. Each query row checks
that kgraph and its peers give the same answers (path lengths, path
counts, neighbourhood sizes); a mismatch is printed loudly and makes the
exit status 1. A target missed is reported, not an error: the benchmark
measures, it does not judge.

The PyYAML + NetworkX peer needs about 110 s and 3 GB for the 1M graph,
so by default it does not run on that size; --python-1m runs it once.

Rows 8 to 11 measure compiled snapshots (`kgraph compile`, issue 17):
compiling against a load, the snapshot's size against the YAML's,
`kgraph path` on the snapshot against the same command on the YAML, and
end to end against row 6's Python peer. The 10m size (10 million
relations, about 800 MB of YAML) runs only when asked for (--sizes 10m);
there the Python peers, igraph and the query rows 2-4 and 6 are left
out, as they are everywhere with --snapshot-only, which keeps rows 1, 5
and the snapshot rows.
"""
import argparse
import json
import os
import platform
import tempfile
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PYTHON = "/usr/bin/python3"  # Debian's, with python3-yaml and python3-networkx
SIZES = {"10k": 10_000, "250k": 250_000, "1m": 1_000_000, "10m": 10_000_000}
PATH_PAIRS = 10  # the first shortest-path pairs of a .queries file, for rows 10 and 11
mismatches = []


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def run(cmd, ok=(0,), env=None):
    p = subprocess.run(cmd, capture_output=True, text=True,
                       env=None if env is None else {**os.environ, **env})
    if p.returncode not in ok:
        sys.exit(f"bench: {' '.join(cmd)} failed ({p.returncode}):\n{p.stderr}")
    return p


def run_json(cmd, env=None):
    return json.loads(run(cmd, env=env).stdout)


def wall(cmd):
    """Wall-clock seconds of a command as the shell would run it, and its
    output; for the end-to-end row."""
    t0 = time.perf_counter()
    p = run(cmd, ok=(0, 1))
    return time.perf_counter() - t0, p.stdout


def child(cmd, ok=(0,)):
    """One run of a command from process start to exit: wall seconds, and
    the CPU seconds (user + sys) of the child alone from os.wait4, which a
    busy machine disturbs less; and its standard output. Output goes to
    temporary files, so the child never waits on a pipe."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        t = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait again
        out.seek(0)
        err.seek(0)
        if p.returncode not in ok:
            sys.exit(f"bench: {' '.join(cmd)} failed ({p.returncode}):\n{err.read().decode(errors='replace')}")
        return {"seconds": t, "cpu": ru.ru_utime + ru.ru_stime}, out.read().decode(errors="replace")


def loadavg():
    try:
        return open("/proc/loadavg").read().split()[0]
    except OSError:
        return "?"


# ---- versions ---------------------------------------------------------

def versions(build, nx_info, scan):
    v = {}
    kg = run([os.path.join(build, "kgraph"), "--version"]).stdout.strip().removeprefix("kgraph ")
    try:
        head = run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]).stdout.strip()
        dirty = run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"]).stdout.strip()
        kg += f" (git {head}{', with uncommitted changes' if dirty else ''})"
    except SystemExit:
        pass
    v["kgraph"] = kg
    v["libyaml"] = scan.get("libyaml", "?")
    if nx_info:
        v["PyYAML"] = f"{nx_info['pyyaml']} (C loader on libyaml {nx_info['libyaml']})"
        v["NetworkX"] = nx_info["networkx"]
        v["Python"] = nx_info["python"]
    else:
        v["PyYAML"] = v["NetworkX"] = "not run"
    dot = shutil.which("dot")
    v["Graphviz"] = "not installed"
    if dot:
        m = re.search(r"version (\S+)", run([dot, "-V"]).stderr)
        v["Graphviz"] = f"dot {m.group(1) if m else '?'}"
    cc = ""
    cache = os.path.join(build, "CMakeCache.txt")
    if os.path.exists(cache):
        text = open(cache).read()
        m = re.search(r"^CMAKE_BUILD_TYPE:\w+=(.*)$", text, re.M)
        c = re.search(r"^CMAKE_C_COMPILER:\w+=(.*)$", text, re.M)
        if c:
            cc = run([c.group(1), "--version"]).stdout.splitlines()[0]
        v["build"] = f"{m.group(1) if m else '?'}, {cc}"
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    v["machine"] = f"{os.cpu_count()} CPUs, {cpu}, {platform.system()} {platform.release()}"
    return v


# ---- statistics and formatting ----------------------------------------

class S:
    """Samples of one measurement."""

    def __init__(self, xs):
        self.xs = [x for x in xs if x is not None]

    def __bool__(self):
        return bool(self.xs)

    @property
    def med(self):
        return statistics.median(self.xs)

    @property
    def lo(self):
        return min(self.xs)

    @property
    def hi(self):
        return max(self.xs)


def fmt_time(s):
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.1f} ms"
    return f"{s * 1e6:.0f} µs"


def fmt_mb(kb):
    return f"{kb / 1024:.0f} MB" if kb >= 10240 else f"{kb / 1024:.1f} MB"


def fmt_ratio(r):
    return f"{r:.0f}" if r >= 100 else f"{r:.1f}" if r >= 10 else f"{r:.2f}"


def verdict(value, op, target):
    if value is None:
        return "—"
    met = value <= target if op == "<=" else value >= target
    return "met" if met else "**missed**"


def same(what, kg, peer, name, size):
    """Compare answers; record and shout about a mismatch."""
    if kg == peer:
        return f"same ({len(kg)} {what})"
    bad = [i for i, (a, b) in enumerate(zip(kg, peer)) if a != b]
    if len(kg) != len(peer):
        bad.append(min(len(kg), len(peer)))
    msg = (f"MISMATCH {size} {name}: {len(bad)} of {len(kg)} {what} differ; first at query {bad[0]}: "
           f"kgraph {kg[bad[0]] if bad[0] < len(kg) else '-'}, "
           f"{name} {peer[bad[0]] if bad[0] < len(peer) else '-'}")
    mismatches.append(msg)
    print(f"\n!!! {msg}\n", file=sys.stderr, flush=True)
    return f"**MISMATCH** ({len(bad)} of {len(kg)})"


# ---- measuring one size ------------------------------------------------

def generate(build, size, seed, shape="attach"):
    d = os.path.join(build, "bench-graphs")
    os.makedirs(d, exist_ok=True)
    prefix = os.path.join(d, f"r{size}-s{seed}" if shape == "attach" else f"r{size}-{shape}-s{seed}")
    gen = os.path.join(HERE, "gen.py")
    want = int(re.search(r"^GEN_VERSION = (\d+)", open(gen).read(), re.M).group(1))
    meta_path = prefix + ".meta.json"
    if os.path.exists(meta_path):
        meta = json.load(open(meta_path))
        if meta.get("generator_version") == want and os.path.exists(prefix + ".yaml"):
            return prefix, meta
    log(f"{size}: generating {SIZES[size]} relations (seed {seed}, shape {shape})")
    # 10m runs no query rows, and its pairs for all simple paths are too rare to find quickly (gen.py --help).
    run([PYTHON, gen, "--relations", str(SIZES[size]), "--seed", str(seed), "--shape", shape, "--out", prefix]
        + (["--no-all-pairs"] if size == "10m" else []))
    return prefix, json.load(open(meta_path))


def steps_of(text):
    """Relations on the one path `kgraph path` (or path_nx.py) printed:
    '—t→' and '←t—' hold one '—' and one arrow, a symmetric '—t—' two '—'."""
    line = text.strip()
    if not line:
        return -1
    return (line.count("—") + line.count("→") + line.count("←")) // 2


def measure(build, size, prefix, meta, a):
    bench = os.path.join(build, "tests/bench")
    kgraph = os.path.join(build, "kgraph")
    yaml_file, edges, queries = prefix + ".yaml", prefix + ".edges", prefix + ".queries"
    snap, snap_timed = prefix + ".kgs", prefix + ".compile-timed.kgs"
    with open(queries) as f:
        pairs = [line.split()[1:3] for line in f if line.startswith("shortest")][:PATH_PAIRS]
    e2e_pair = pairs[0]
    # Rows 2-4, 6 and the igraph peer: not with --snapshot-only, nor on 10m,
    # where the peers would take longer than everything else together.
    full = not a.snapshot_only and size != "10m"
    python = full and not a.no_python and (size != "1m" or a.python_1m)
    py_runs = (1 if size == "1m" else a.py_runs) if python else 0
    m = {"kg_load": [], "kg_load_1t": [], "scan": [], "ig_mem": [], "nx": [], "e2e_kg": [], "e2e_py": [],
         "compile": [], "check": [], "snap_path": [], "yaml_path": [], "path_pairs": pairs,
         "full": full, "python": python, "py_runs": py_runs, "loadavg": [loadavg()]}

    log(f"{size}: kgraph load phases (one run with kg_load_stats)")
    m["kg_stats"] = run_json([f"{bench}/kg_bench", "load", yaml_file, "--stats"])
    # The snapshot the path rows open: compiled afresh (kgraph may have
    # changed its format since the last run), then each pair asked once,
    # untimed, so that the file is in the page cache as after any first use.
    log(f"{size}: compiling {os.path.basename(snap)}; {len(pairs)} paths on it, untimed")
    run([kgraph, "compile", yaml_file, "-o", snap])
    m["snapshot_bytes"] = os.path.getsize(snap)
    m["snap_answers"] = [steps_of(child([kgraph, "path", *p, snap], ok=(0, 1))[1]) for p in pairs]
    for i in range(max(a.runs, py_runs)):
        log(f"{size}: run {i + 1}/{max(a.runs, py_runs)} (load avg {loadavg()})")
        if i < a.runs:
            m["kg_load"].append(run_json([f"{bench}/kg_bench", "load", yaml_file]))
            m["kg_load_1t"].append(run_json([f"{bench}/kg_bench", "load", yaml_file],
                                            env={"KGRAPH_PARSE_THREAD": "off"}))
            m["scan"].append(run_json([f"{bench}/yaml_scan", yaml_file]))
            if full:
                m["ig_mem"].append(run_json([f"{bench}/igraph_bench", "mem", edges]))
                m["e2e_kg"].append(wall([kgraph, "path", *e2e_pair, yaml_file]))
            m["compile"].append(child([kgraph, "compile", yaml_file, "-o", snap_timed])[0])
            m["check"].append(child([kgraph, "check", "-q", yaml_file])[0])
            for j, p in enumerate(pairs):
                r, out = child([kgraph, "path", *p, snap], ok=(0, 1))
                m["snap_path"].append({**r, "pair": j, "length": steps_of(out)})
            j = i % len(pairs)  # the YAML's load dominates: one pair a run, in turn
            r, out = child([kgraph, "path", *pairs[j], yaml_file], ok=(0, 1))
            m["yaml_path"].append({**r, "pair": j, "length": steps_of(out)})
        if i < py_runs:
            cmd = [PYTHON, os.path.join(HERE, "peer_nx.py"), yaml_file, queries]
            m["nx"].append(run_json(cmd + (["--memory"] if i == 0 else [])))
            m["e2e_py"].append(wall([PYTHON, os.path.join(HERE, "path_nx.py"), *e2e_pair, yaml_file]))
    if os.path.exists(snap_timed):
        os.remove(snap_timed)
    if full:
        log(f"{size}: queries, {a.runs} repetitions in one process each (kgraph, igraph)")
        m["kg_query"] = run_json([f"{bench}/kg_bench", "query", yaml_file, queries, str(a.runs)])
        m["ig_query"] = run_json([f"{bench}/igraph_bench", "query", edges, queries, str(a.runs)])
    m["loadavg"].append(loadavg())
    return m


def svg_shape(path):
    """Nodes and edges an SVG from Graphviz draws."""
    text = open(path, encoding="utf-8", errors="replace").read()
    return text.count('class="node'), text.count('class="edge')


def measure_render(build, a):
    """Row 7: kgraph's in-process SVG against `dot -Tsvg` on the DOT text
    kgraph writes, for the example graph and a generated 3,000-entity one
    (default options: engine "auto", which picks sfdp above 200 entities).
    None when this kgraph has no renderer yet."""
    prog = os.path.join(build, "tests/bench/render_bench")
    dot = shutil.which("dot")
    if not os.path.exists(prog) or not dot:
        return None
    out = {}
    d = os.path.join(build, "bench-graphs")
    os.makedirs(d, exist_ok=True)
    cases = [("example", os.path.join(ROOT, "graphs/ukraine-long-range-strikes-2024.yaml"), a.runs, a.runs)]
    g3k = os.path.join(d, f"r3k-s{a.seed}")
    if not os.path.exists(g3k + ".yaml"):
        log("render: generating a 3,000-entity graph (15,000 relations)")
        run([PYTHON, os.path.join(HERE, "gen.py"), "--relations", "15000", "--seed", str(a.seed), "--out", g3k])
    cases.append(("3k", g3k + ".yaml", a.render_runs, 1))
    for name, path, reps, creps in cases:
        prefix = os.path.join(d, f"render-{name}")
        log(f"render: {name}: kgraph, {reps} runs in process, {creps} in a child")
        k = run_json([prog, path, prefix, str(reps), str(creps)])
        peer = []
        for i in range(reps):
            log(f"render: {name}: dot -Tsvg, run {i + 1}/{reps}")
            peer.append(wall([dot, "-Tsvg", prefix + ".dot", "-o", prefix + "-dot.svg"])[0])
        k["dot"] = peer
        k["identical"] = open(prefix + ".svg", "rb").read() == open(prefix + "-dot.svg", "rb").read()
        k["shape"] = svg_shape(prefix + ".svg")
        k["dot_shape"] = svg_shape(prefix + "-dot.svg")
        out[name] = k
    return out


def render_table(r, size, why):
    head = ["row", "tool", "median", "min", "max", "ratio", "target", "target met?", "same answers?"]
    if r is None:
        return head, [["7 rendering", "kgraph `kg_render` SVG", why, "", "", "", "", "—", ""]]
    rows = []
    for name, title in (("example", "7 rendering: graphs/ukraine-long-range-strikes-2024.yaml"),
                        ("3k", "7 rendering: 3,000 entities, 15,000 relations")):
        k = r[name]
        ks, ds = S(k["in_process"]), S(k["dot"])
        what = f"{k['entities']} entities, {k['relations']} relations, engine {k['engine']}"
        cells = lambda s: [fmt_time(s.med), fmt_time(s.lo), fmt_time(s.hi)]
        if name == "example":
            rat = ks.med / ds.med
            rows.append([title, "kgraph `kg_render` SVG, Graphviz in process"] + cells(ks) +
                        [what, "", "", ""])
        else:
            rows.append([title, "kgraph `kg_render` SVG, Graphviz in process"] + cells(ks) +
                         [what, "< 5 s", verdict(ks.med, "<=", 5.0), ""])
        if k["child"]:
            cs = S(k["child"])
            rows.append(["", "kgraph `kg_render` SVG, in a child (the default)"] + cells(cs) + ["", "", "", ""])
        if k["identical"]:
            ans = "identical SVG"
        elif k["shape"] == k["dot_shape"]:
            ans = f"same ({k['shape'][0]} nodes, {k['shape'][1]} edges)"
        else:
            ans = same("nodes and edges", list(k["shape"]), list(k["dot_shape"]), f"dot -Tsvg ({name})", size)
        rat = ks.med / ds.med
        rows.append(["", "`dot -Tsvg` on kgraph's DOT text"] + cells(ds) +
                    [f"kgraph ÷ dot = {fmt_ratio(rat)}", "≤ 1.05" if name == "example" else "",
                     verdict(rat, "<=", 1.05) if name == "example" else "", ans])
    return head, rows


# ---- the table ----------------------------------------------------------

def not_run(size, m):
    """Why the Python peer (and, when m["full"] is false, every row but 1,
    5 and the snapshot rows) did not run."""
    if not m["full"]:
        return "not run: 10m" if size == "10m" else "not run: --snapshot-only"
    return "not run: --python-1m" if size == "1m" else "not run: --no-python"


def table(size, meta, m):
    rows = []
    nrel = meta["relations"]
    ybytes = meta["bytes"]
    nx_ok = bool(m["nx"])
    skipped = left_out = not_run(size, m)  # left_out: only used where m["full"] is false

    def row(what, tool, s=None, fmt=fmt_time, ratio="", target="", ok="", answers=""):
        cells = [fmt(s.med), fmt(s.lo), fmt(s.hi)] if s else ["", "", ""]
        rows.append([what, tool] + cells + [ratio, target, ok, answers])

    def skip(what, tool):
        rows.append([what, tool, skipped, "", "", "", "", "", ""])

    # 1. load
    kg = S([r["seconds"] for r in m["kg_load"]])
    scan = S([r["seconds"] for r in m["scan"]])
    st = m["kg_stats"]
    row("1 load (parse + build + index)", "kgraph `kg_load_files` (libyaml in its own thread)", kg,
        ratio=f"phases: parse {fmt_time(st['parse'])}, build {fmt_time(st['build'])}, "
              f"index {fmt_time(st['index'])}")
    kgc = S([r["cpu"] for r in m["kg_load"]])
    r = kg.med / scan.med
    rc = kgc.med / S([r["cpu"] for r in m["scan"]]).med
    row("", "bare libyaml event scan", scan, ratio=f"kgraph ÷ scan = {fmt_ratio(r)} (CPU time {fmt_ratio(rc)})",
        target="≤ 1.43", ok=verdict(r, "<=", 1.43))
    if m["kg_load_1t"]:
        one = S([r["seconds"] for r in m["kg_load_1t"]])
        row("", "kgraph `kg_load_files`, no parser thread", one,
            ratio=f"this ÷ scan = {fmt_ratio(one.med / scan.med)}; ÷ kgraph = {fmt_ratio(one.med / kg.med)}")
    if nx_ok:
        py = S([r["seconds"] for r in m["nx"]])
        r = py.med / kg.med
        rc = S([r["cpu"] for r in m["nx"]]).med / kgc.med
        share = S([r["yaml_seconds"] / r["seconds"] for r in m["nx"] if "yaml_seconds" in r])
        share = f"; PyYAML {share.med:.0%} of it" if share else ""
        row("", "PyYAML CSafeLoader + NetworkX MultiDiGraph", py,
            ratio=f"peer ÷ kgraph = {fmt_ratio(r)} (CPU time {fmt_ratio(rc)}){share}", target="≥ 50",
            ok=verdict(r, ">=", 50))
    else:
        skip("", "PyYAML CSafeLoader + NetworkX MultiDiGraph")

    # 2-4. queries
    q = [("shortest", "2 100 shortest paths (undirected)", "lengths", "`shortest_path`",
          "`igraph_get_shortest_path`", 20, 500),
         ("all", "3 all simple paths ≤ 4 hops, 10 pairs", "path counts", "`all_simple_paths(cutoff=4)`",
          "`igraph_get_all_simple_paths`", 20, 20),
         ("neighbors", "4 depth-2 neighbourhood, 10 entities", "sizes", "`ego_graph(radius=2)`",
          "`igraph_neighborhood_size`", None, None)]
    for kind, title, what, nxname, igname, nxt, igt in q:
        if not m["full"]:
            rows.append([title, "kgraph, NetworkX, igraph", left_out, "", "", "", "", "", ""])
            continue
        k = m["kg_query"][kind]
        ks = S(k["times"])
        extra = ""
        if kind == "all":
            extra = f"{sum(x for x in k['answers'] if x > 0)} paths in all"
        row(title, "kgraph `kg_query_paths`" if kind != "neighbors" else "kgraph `kg_query_neighbors`",
            ks, ratio=extra)
        if nx_ok:
            ns = S([r[kind]["times"][0] for r in m["nx"]])
            r = ns.med / ks.med
            ans = same(what, k["answers"], m["nx"][0][kind]["answers"], "NetworkX", size)
            for other in m["nx"][1:]:
                same(what, k["answers"], other[kind]["answers"], "NetworkX", size)
            row("", f"NetworkX {nxname}", ns, ratio=f"peer ÷ kgraph = {fmt_ratio(r)}",
                target=f"≥ {nxt}" if nxt else "", ok=verdict(r, ">=", nxt) if nxt else "", answers=ans)
        else:
            skip("", f"NetworkX {nxname}")
        g = m["ig_query"][kind]
        gs = S(g["times"])
        r = gs.med / ks.med
        ans = same(what, k["answers"], g["answers"], "igraph", size)
        row("", f"igraph {igname}", gs, ratio=f"peer ÷ kgraph = {fmt_ratio(r)}",
            target=f"≥ {igt}" if igt else "", ok=verdict(r, ">=", igt) if igt else "", answers=ans)

    # 5. memory
    rss = S([r["maxrss_kb"] for r in m["kg_load"]])
    gb = m["kg_load"][0]["graph_bytes"]
    tb = m["kg_load"][0]["text_bytes"]
    r = rss.med * 1024 / ybytes
    row("5 peak memory (RSS, one process per load)", "kgraph load", rss, fmt=fmt_mb,
        ratio=f"peak ÷ YAML file ({ybytes / 2**20:.0f} MB) = {fmt_ratio(r)}", target="≤ 1",
        ok=verdict(r, "<=", 1.0))
    per = (gb - tb) / nrel
    rows.append(["  graph bytes per relation", "kgraph `kg_graph_memory`",
                 f"{gb / nrel:.0f} B", "", "",
                 f"{per:.0f} B + text {tb / nrel:.0f} B ({gb / 2**20:.0f} MB in all)",
                 "≤ 48 B + text", verdict(per, "<=", 48), ""])
    srss = S([r["maxrss_kb"] for r in m["scan"]])
    row("", "bare libyaml event scan", srss, fmt=fmt_mb, ratio="the floor: a streaming parser")
    if nx_ok:
        nrss = S([r["maxrss_kb"] for r in m["nx"]])
        row("", "PyYAML + NetworkX", nrss, fmt=fmt_mb, ratio=f"peer ÷ kgraph = {fmt_ratio(nrss.med / rss.med)}")
        nb = m["nx"][0]["graph_bytes"]
        rows.append(["", "  NetworkX graph, bytes per relation", f"{nb / nrel:.0f} B", "", "",
                     f"peer ÷ kgraph = {fmt_ratio(nb / gb)}", "", "", ""])
    else:
        skip("", "PyYAML + NetworkX")
    if m["ig_mem"]:
        irss = S([r["maxrss_kb"] for r in m["ig_mem"]])
        row("", "igraph (from an edge list)", irss, fmt=fmt_mb,
            ratio=f"peer ÷ kgraph = {fmt_ratio(irss.med / rss.med)}")
        ib = m["ig_mem"][0]["graph_bytes"]
        rows.append(["", "  igraph graph, bytes per relation", f"{ib / nrel:.0f} B", "", "",
                     f"structure only, no text; kgraph's structure: {per:.0f} B", "", "", ""])
    else:
        rows.append(["", "igraph (from an edge list)", left_out, "", "", "", "", "", ""])

    # 6. end to end
    if m["e2e_kg"]:
        ek = S([t for t, _ in m["e2e_kg"]])
        klen = [steps_of(out) for _, out in m["e2e_kg"]]
        row("6 end to end, from the shell", "`kgraph path A B FILE`", ek)
    else:
        rows.append(["6 end to end, from the shell", "`kgraph path A B FILE`", left_out, "", "", "", "", "", ""])
    if m["e2e_py"]:
        ep = S([t for t, _ in m["e2e_py"]])
        plen = [steps_of(out) for _, out in m["e2e_py"]]
        r = ep.med / ek.med
        ans = same("path length", klen[:1], plen[:1], "Python script", size)
        row("", "Python: PyYAML + NetworkX `shortest_path`", ep, ratio=f"peer ÷ kgraph = {fmt_ratio(r)}",
            target="≥ 50", ok=verdict(r, ">=", 50), answers=ans)
    else:
        skip("", "Python: PyYAML + NetworkX `shortest_path`")

    rows += snapshot_rows(size, meta, m, kg)
    head = ["row", "tool", "median", "min", "max", "ratio", "target", "target met?", "same answers?"]
    return head, rows


def snapshot_rows(size, meta, m, load):
    """Rows 8-11: compiled snapshots (issue 17). load: row 1's kgraph load
    times, the peer of `kgraph compile`."""
    rows = []

    def row(what, tool, s, ratio="", target="", ok="", answers=""):
        rows.append([what, tool, fmt_time(s.med), fmt_time(s.lo), fmt_time(s.hi), ratio, target, ok, answers])

    def cpu(xs):
        return S([r["cpu"] for r in xs])

    # 8. compile against a load, and against the command that loads and checks
    comp, check = S([r["seconds"] for r in m["compile"]]), S([r["seconds"] for r in m["check"]])
    loadc = S([r["cpu"] for r in m["kg_load"]])
    row("8 compile a snapshot", "`kgraph compile FILE.yaml -o FILE.kgs`", comp,
        ratio=f"CPU time {fmt_time(cpu(m['compile']).med)}")
    r, rc = comp.med / load.med, cpu(m["compile"]).med / loadc.med
    row("", "kgraph `kg_load_files` (row 1)", load,
        ratio=f"compile ÷ load = {fmt_ratio(r)} (CPU time {fmt_ratio(rc)})", target="≤ 1.2", ok=verdict(r, "<=", 1.2))
    r, rc = comp.med / check.med, cpu(m["compile"]).med / cpu(m["check"]).med
    row("", "`kgraph check -q FILE.yaml`", check, ratio=f"compile ÷ check = {fmt_ratio(r)} (CPU time {fmt_ratio(rc)})")

    # 9. size
    sb, yb = m["snapshot_bytes"], meta["bytes"]
    rows.append(["9 snapshot size", "FILE.kgs", fmt_mb(sb / 1024), "", "",
                 f"snapshot ÷ YAML ({fmt_mb(yb / 1024)}) = {sb / yb:.2f}", "≤ 0.6", verdict(sb / yb, "<=", 0.6), ""])

    # 10. path on the snapshot against the same command on the YAML
    n = len(m["path_pairs"])
    answers = m["snap_answers"]
    sp, yp = S([r["seconds"] for r in m["snap_path"]]), S([r["seconds"] for r in m["yaml_path"]])
    limit = {"1m": 0.020, "10m": 0.050}.get(size)
    # Every timed run gives the untimed run's answers, which are row 2's.
    ans = same("path lengths", [r["length"] for r in m["snap_path"]],
               [answers[r["pair"]] for r in m["snap_path"]], "the untimed run on the snapshot", size)
    if m.get("kg_query") and "MISMATCH" not in ans:
        ans = same("path lengths", answers, m["kg_query"]["shortest"]["answers"][:n], "`kg_bench query`", size)
    row(f"10 `kgraph path A B`, {n} pairs, process start to exit", "`kgraph path A B FILE.kgs`", sp,
        ratio=f"CPU time {fmt_time(cpu(m['snap_path']).med)}",
        target=f"≤ {limit * 1e3:.0f} ms" if limit else "", ok=verdict(sp.med, "<=", limit) if limit else "",
        answers=ans)
    r, rc = yp.med / sp.med, cpu(m["yaml_path"]).med / cpu(m["snap_path"]).med
    ans = same("path lengths", [answers[r["pair"]] for r in m["yaml_path"]],
               [r["length"] for r in m["yaml_path"]], "`kgraph path` on the YAML", size)
    row("", "`kgraph path A B FILE.yaml` (one pair a run, in turn)", yp,
        ratio=f"YAML ÷ snapshot = {fmt_ratio(r)} (CPU time {fmt_ratio(rc)})", target="≥ 100",
        ok=verdict(r, ">=", 100), answers=ans)

    # 11. end to end against row 6's Python peer, on row 6's pair
    if m["e2e_py"]:
        s0 = S([r["seconds"] for r in m["snap_path"] if r["pair"] == 0])
        ep = S([t for t, _ in m["e2e_py"]])
        r = ep.med / s0.med
        row("11 end to end with a snapshot", "`kgraph path A B FILE.kgs` (row 6's pair)", s0)
        ans = same("path length", answers[:1], [steps_of(out) for _, out in m["e2e_py"][:1]], "Python script", size)
        row("", "Python: PyYAML + NetworkX `shortest_path` (row 6)", ep, ratio=f"peer ÷ kgraph = {fmt_ratio(r)}",
            target="≥ 1000", ok=verdict(r, ">=", 1000), answers=ans)
    else:
        rows.append(["11 end to end with a snapshot", "Python: PyYAML + NetworkX `shortest_path` (row 6)",
                     not_run(size, m), "", "", "", "", "", ""])
    return rows


def markdown(head, rows):
    widths = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    out = [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(r) for r in rows]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", required=True, help="the CMake build directory (-DKGRAPH_BENCH=ON)")
    ap.add_argument("--sizes", default="10k,250k,1m",
                    help="comma-separated: 10k, 250k, 1m, and 10m (10 million relations, about 800 MB of YAML: "
                         "only when named; rows 1, 5 and 8-10 only)")
    ap.add_argument("--shapes", default="attach,wide",
                    help="comma-separated graph shapes (gen.py --shape): attach, wide")
    ap.add_argument("--runs", type=int, default=5, help="runs of each C measurement (default 5)")
    ap.add_argument("--py-runs", type=int, default=3, help="runs of the Python peers (default 3)")
    ap.add_argument("--python-1m", action="store_true",
                    help="also run the PyYAML + NetworkX peers on 1M relations, once (about 5 minutes, 3 GB)")
    ap.add_argument("--no-python", action="store_true", help="skip the PyYAML + NetworkX peers")
    ap.add_argument("--snapshot-only", action="store_true",
                    help="only rows 1 and 5 (load, scan, memory) and the snapshot rows 8-10: no query rows, "
                         "no igraph, no Python")
    ap.add_argument("--render-runs", type=int, default=3,
                    help="runs of the 3,000-entity rendering, kgraph and dot each (default 3)")
    ap.add_argument("--no-render", action="store_true", help="skip the rendering row")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--markdown", help="also write the tables to this file")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    sizes = [s.strip().lower() for s in a.sizes.split(",") if s.strip()]
    for s in sizes:
        if s not in SIZES:
            sys.exit(f"bench: unknown size '{s}' (choose from {', '.join(SIZES)})")
    shapes = [s.strip().lower() for s in a.shapes.split(",") if s.strip()]
    for s in shapes:
        if s not in ("attach", "wide"):
            sys.exit(f"bench: unknown shape '{s}' (choose from attach, wide)")

    started = time.time()
    out = []
    command = os.environ.get("KGRAPH_BENCH_COMMAND") or " ".join(["bench.py"] + sys.argv[1:])
    results = {}
    nx_info = scan0 = None
    for size, shape in [(z, h) for z in sizes for h in shapes]:
        prefix, meta = generate(build, size, a.seed, shape)
        m = measure(build, size, prefix, meta, a)
        results[size if shape == "attach" else f"{size}-{shape}"] = {"meta": meta, "measurements": m}
        nx_info = nx_info or (m["nx"][0] if m["nx"] else None)
        scan0 = scan0 or m["scan"][0]
        head, rows = table(size, meta, m)
        title = (f"#### {size.upper()} relations, shape {shape}: {meta['relations']:,} relations, {meta['entities']:,} entities, "
                 f"{meta['bytes'] / 2**20:.1f} MB of YAML (seed {a.seed}; max degree {meta['max_degree']})")
        note = (f"{a.runs} runs of each C measurement, {m['py_runs']} of the Python peers; "
                f"load average {m['loadavg'][0]} at the start, {m['loadavg'][1]} at the end.")
        text = f"{title}\n\n{note}\n\n{markdown(head, rows)}\n"
        print(text, flush=True)
        out.append(text)

    render = None if a.no_render else measure_render(build, a)
    head, rows = render_table(render, "render", "not run: --no-render" if a.no_render else
                              "not yet: rendering lands in a later change")
    text = ("#### Rendering\n\n" +
            (f"Default options (engine \"auto\"); {a.runs} runs for the example graph, {a.render_runs} for the "
             "3,000-entity graph (one in a child process).\n\n" if render else "") + markdown(head, rows) + "\n")
    print(text, flush=True)
    out.append(text)
    results["render"] = render

    v = versions(build, nx_info, scan0 or {})
    ig = [r["measurements"]["ig_mem"] for k, r in results.items() if k != "render" and r["measurements"]["ig_mem"]]
    v["igraph"] = ig[0][0]["version"] if ig else "not run"
    vtext = "Versions: " + "; ".join(f"{k} {val}" for k, val in v.items())
    vtext += f".\nCommand: `{command}`; {time.time() - started:.0f} s in all."
    print(vtext)
    out.append(vtext + "\n")
    with open(os.path.join(build, "bench-results.json"), "w") as f:
        json.dump({"versions": v, "results": results}, f, indent=1)
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write("\n".join(out))
    if mismatches:
        print("\n!!! kgraph and a peer disagree:\n" + "\n".join(f"!!! {x}" for x in mismatches), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
