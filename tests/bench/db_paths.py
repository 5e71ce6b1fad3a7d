#!/usr/bin/env python3
"""db_paths.py - one shortest path three ways on the same PostgreSQL tables:
kgraph path --db (a frontier per round trip), the recursive CTE
kgraph.shortest_path of share/kgraph/kgraph.sql, and pgRouting's
pgr_bdDijkstra over the view kgraph.edges. Each call is a process (kgraph or
psql: start, connection, query), timed by wall clock; a row gives the median
over the pairs of the median over --runs runs.

The CTE is asked with max_hops 1, 2, ... up to the length kgraph found (its
most favourable bound), each under statement_timeout --cap; when a depth
exceeds the cap, the row says so and the deepest depth that finished.

  db_paths.py --kgraph build/kgraph --url 'host=/tmp/x user=kg dbname=kgtest' \\
      --graph gen200k --queries gen200k.queries --pairs 10

The graph must have been pushed (kgraph push) and pgRouting created in the
database (CREATE EXTENSION pgrouting CASCADE), or --no-pgrouting. Not run by
ctest: it measures, it does not check (db.pgrouting checks)."""
import argparse
import json
import statistics
import subprocess
import time


def timed(cmd, **kw):
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, **kw)
    return time.perf_counter() - t, p


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kgraph", required=True)
    ap.add_argument("--url", required=True, help="libpq connection string")
    ap.add_argument("--graph", required=True)
    ap.add_argument("--queries", required=True, help="gen.py's .queries file: lines 'shortest FROM TO'")
    ap.add_argument("--pairs", type=int, default=10)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cap", type=float, default=10.0, help="seconds allowed to one CTE statement")
    ap.add_argument("--no-pgrouting", action="store_true")
    a = ap.parse_args()
    pairs = [line.split()[1:3] for line in open(a.queries) if line.startswith("shortest")][:a.pairs]

    def psql(sql, **params):
        """sql with psql variables :'name' (quoted by psql) for the values."""
        opts = [x for k, v in params.items() for x in ("-v", f"{k}={v}")]
        return timed(["psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-d", a.url, *opts],
                     input=sql.encode())

    gid = psql("SELECT id FROM kgraph.graphs WHERE name = :'g';", g=a.graph)[1].stdout.decode().strip()
    ours, cte, pgr = [], [], []
    cte_notes = []
    for src, dst in pairs:
        runs = []
        for _ in range(a.runs):
            t, p = timed([a.kgraph, "path", "--db", a.url, "--graph", a.graph, "--format", "json", src, dst])
            runs.append(t)
        ours.append(statistics.median(runs))
        hops = len(json.loads(p.stdout)["paths"][0]["steps"]) if p.returncode == 0 else None
        if not a.no_pgrouting:
            runs = []
            for _ in range(a.runs):
                t, q = psql("SELECT count(*) - 1 FROM pgr_bdDijkstra('SELECT id, source, target, cost, reverse_cost "
                            "FROM kgraph.edges WHERE graph = ' || :'gid', "
                            "(SELECT ord FROM kgraph.entities WHERE graph = :'gid' AND id = :'a'), "
                            "(SELECT ord FROM kgraph.entities WHERE graph = :'gid' AND id = :'b'), true);",
                            gid=int(gid), a=src, b=dst)
                runs.append(t)
            pgr.append(statistics.median(runs))
            n = int(q.stdout.decode().strip() or -1)
            if hops is not None and n != hops:
                print(f"MISMATCH {src} {dst}: kgraph {hops} relations, pgRouting {n}")
        # The CTE, one depth at a time, under the cap.
        done_depth, last = 0, None
        for depth in range(1, (hops or 0) + 1):
            t, q = psql("SET statement_timeout = :'cap'; SELECT kgraph.shortest_path(:'g', :'a', :'b', :'d');",
                        cap=int(a.cap * 1000), g=a.graph, a=src, b=dst, d=depth)
            if q.returncode:
                break
            done_depth, last = depth, t
        if hops and done_depth == hops:
            cte.append(last)
        else:
            cte_notes.append(f"{src}->{dst} (distance {hops}): over {a.cap:g} s at depth {done_depth + 1}, "
                             f"depth {done_depth} took {last if last is None else round(last, 2)} s")
        print(f"{src} -> {dst}: {hops} relations; kgraph {ours[-1] * 1000:.0f} ms"
              + (f", pgRouting {pgr[-1] * 1000:.0f} ms" if pgr else "")
              + (f", CTE {cte[-1] * 1000:.0f} ms" if hops and done_depth == hops else ", CTE over the cap"),
              flush=True)
    print(f"\n{len(pairs)} pairs, median of {a.runs} runs each, then the median over pairs:")
    print(f"  kgraph path --db:  {statistics.median(ours) * 1000:.0f} ms")
    if pgr:
        print(f"  pgr_bdDijkstra:    {statistics.median(pgr) * 1000:.0f} ms")
    if cte:
        print(f"  recursive CTE:     {statistics.median(cte) * 1000:.0f} ms ({len(cte)} pairs under the cap)")
    for note in cte_notes:
        print("  CTE " + note)


if __name__ == "__main__":
    main()
