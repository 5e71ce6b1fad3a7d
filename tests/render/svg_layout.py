#!/usr/bin/env python3
"""svg_layout.py - `kgraph render --layout FILE` keeps a picture's layout
(docs/rendering.md, "Layouts that stay put"; issue 19 section 3).

    svg_layout.py KGRAPH ROOT WORK

For a graph of 60 entities made here from a seeded generator, and for the
shipped graph:
  1. render the graph with --layout L (L does not exist: it is written);
  2. add two entities (each joined to entities already drawn) and remove
     a relation, and render again with L;
  3. read the entities' positions back from both SVGs (the centre of each
     node's label, `<g id="e-ID">`), and require the median movement of
     the unchanged entities to be under 5% of the first drawing's
     diagonal; the same figure for a render without L is printed beside
     it (a whole drawing shifted without moving its parts is not
     movement: each pair is compared after the median shift is taken
     out);
  4. the new entities start beside their neighbours: each is within 15% of
     the diagonal of the mean of its neighbours;
  5. the same graph and layout file give the same bytes again;
  6. remove an entity and render with --diff and L: its red ghost sits
     where the entity was, and L no longer names it.
Exit status 0 when all of this holds, 1 with the reasons otherwise.
"""
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
LIMIT = 0.05


def generated():
    """60 entities of three types, a spanning tree plus 30 more relations,
    from a fixed seed."""
    rnd = random.Random(19)
    types = ["person", "organization", "event"]
    rtypes = ["knows", "member_of", "funds", "attended", "reported"]
    lines = ["title: Sixty", "entities:"]
    for i in range(60):
        lines.append(f"  n{i:02d}: {{type: {types[i % 3]}, name: Entity {i:02d}}}")
    lines.append("relations:")
    pairs = set()
    for i in range(1, 60):
        pairs.add((rnd.randrange(i), i))
    while len(pairs) < 89:
        a, b = rnd.sample(range(60), 2)
        if (a, b) not in pairs and (b, a) not in pairs:
            pairs.add((a, b))
    for a, b in sorted(pairs):
        lines.append(f"  - [n{a:02d}, {rnd.choice(rtypes)}, n{b:02d}]")
    return "\n".join(lines) + "\n"


def centres(path):
    """Entity id -> centre of its label (mean of its text positions), for
    entities (e-ID) and ghosts (removed-e-ID)."""
    out = {}
    for g in ET.parse(path).getroot().iter(SVG + "g"):
        gid = g.get("id", "")
        m = re.fullmatch(r"(e|removed-e)-(.+)", gid)
        if not m or g.get("class", "").split()[0] != "node":
            continue
        pts = [(float(t.get("x")), float(t.get("y"))) for t in g.iter(SVG + "text")]
        if pts:
            key = m.group(2) if m.group(1) == "e" else "removed:" + m.group(2)
            out[key] = (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
    return out


def diagonal(path):
    vb = [float(v) for v in ET.parse(path).getroot().get("viewBox").split()]
    return (vb[2] ** 2 + vb[3] ** 2) ** 0.5


def median_movement(a, b, keys):
    """Median distance between a[k] and b[k] once the median shift of the
    whole drawing is taken out."""
    dx = statistics.median(b[k][0] - a[k][0] for k in keys)
    dy = statistics.median(b[k][1] - a[k][1] for k in keys)
    return statistics.median(((b[k][0] - dx - a[k][0]) ** 2 + (b[k][1] - dy - a[k][1]) ** 2) ** 0.5 for k in keys)


def run(kgraph, args, cwd):
    p = subprocess.run([kgraph] + args, cwd=cwd, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"kgraph {' '.join(args)}: exit {p.returncode}\n{p.stderr}")


def case(kgraph, work, name, base, changed, added, neighbours, removed_entity, smaller):
    """base, changed, smaller: lists of graph files (changed: two entities
    added and a relation removed; smaller: changed without removed_entity)."""
    problems = []
    lay = os.path.join(work, name + ".layout")
    run(kgraph, ["render", "--layout", lay, "-o", name + "-1.svg"] + base, work)
    before = centres(os.path.join(work, name + "-1.svg"))
    diag = diagonal(os.path.join(work, name + "-1.svg"))
    shutil.copy(lay, lay + ".1")
    run(kgraph, ["render", "--layout", lay, "-o", name + "-2.svg"] + changed, work)
    run(kgraph, ["render", "-o", name + "-fresh.svg"] + changed, work)
    kept, fresh = centres(os.path.join(work, name + "-2.svg")), centres(os.path.join(work, name + "-fresh.svg"))
    keys = sorted(k for k in before if k in kept and k in fresh and not k.startswith("removed:"))
    with_layout = median_movement(before, kept, keys) / diag
    without = median_movement(before, fresh, keys) / diag
    print(f"{name}: {len(keys)} unchanged entities, median movement {100 * with_layout:.2f}% of the diagonal "
          f"with --layout, {100 * without:.2f}% without")
    if with_layout >= LIMIT:
        problems.append(f"{name}: median movement {100 * with_layout:.2f}% is not under {100 * LIMIT:.0f}%")
    for e in added:
        if e not in kept:
            problems.append(f"{name}: the new entity {e} is not drawn")
            continue
        near = [kept[n] for n in neighbours[e] if n in kept]
        mx, my = sum(p[0] for p in near) / len(near), sum(p[1] for p in near) / len(near)
        d = ((kept[e][0] - mx) ** 2 + (kept[e][1] - my) ** 2) ** 0.5 / diag
        print(f"{name}: new entity {e} is {100 * d:.1f}% of the diagonal from the mean of its neighbours")
        if d > 0.15:
            problems.append(f"{name}: the new entity {e} is {100 * d:.1f}% of the diagonal from its neighbours")
    # the same inputs and layout file: the same bytes
    shutil.copy(lay + ".1", lay + ".again")
    run(kgraph, ["render", "--layout", lay + ".again", "-o", name + "-2-again.svg"] + changed, work)
    if open(os.path.join(work, name + "-2.svg"), "rb").read() != open(os.path.join(work, name + "-2-again.svg"), "rb").read():
        problems.append(f"{name}: the same graph and layout file gave different SVG")
    if open(lay, "rb").read() != open(lay + ".again", "rb").read():
        problems.append(f"{name}: the same graph and layout file gave different layout files")
    # a removed entity: its ghost where it was, and gone from the file
    run(kgraph, ["render", "--layout", lay, "--diff", changed[0], "-o", name + "-3.svg"] + smaller, work)
    ghosts = centres(os.path.join(work, name + "-3.svg"))
    g = ghosts.get("removed:" + removed_entity)
    if not g:
        problems.append(f"{name}: no ghost of the removed entity {removed_entity}")
    else:
        # Graphviz's SVG coordinates start at the drawing's corner: take
        # out the shift the other (pinned) entities show
        common = [k for k in kept if k in ghosts]
        dx = statistics.median(ghosts[k][0] - kept[k][0] for k in common)
        dy = statistics.median(ghosts[k][1] - kept[k][1] for k in common)
        d = ((g[0] - dx - kept[removed_entity][0]) ** 2 + (g[1] - dy - kept[removed_entity][1]) ** 2) ** 0.5
        if d > 2:
            problems.append(f"{name}: the ghost of {removed_entity} is {d:.1f} points from where it was")
    if re.search(r"^e-" + re.escape(removed_entity) + " ", open(lay).read(), re.M):
        problems.append(f"{name}: the layout file still names the removed entity {removed_entity}")
    return problems


def main():
    kgraph, root, work = (os.path.abspath(a) for a in sys.argv[1:4])
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    problems = []

    # the generated graph: n60 and n61 join in, n03 -> n?? goes, then n05 leaves
    text = generated()
    with open(os.path.join(work, "sixty.yaml"), "w") as f:
        f.write(text)
    rel = re.search(r"^  - \[n00, \w+, n\d\d\]\n", text, re.M)
    changed = text[:rel.start()] + text[rel.end():]
    changed = changed.replace("relations:\n", "  n60: {type: person, name: Entity 60}\n"
                              "  n61: {type: event, name: Entity 61}\nrelations:\n"
                              "  - [n60, knows, n10]\n  - [n60, knows, n20]\n  - [n61, attended, n30]\n", 1)
    with open(os.path.join(work, "sixty-2.yaml"), "w") as f:
        f.write(changed)
    smaller = "\n".join(l for l in changed.split("\n") if not re.search(r"\bn05\b", l)) + "\n"
    with open(os.path.join(work, "sixty-3.yaml"), "w") as f:
        f.write(smaller)
    problems += case(kgraph, work, "sixty", ["sixty.yaml"], ["sixty-2.yaml"], ["n60", "n61"],
                     {"n60": ["n10", "n20"], "n61": ["n30"]}, "n05", ["sixty-3.yaml"])

    # the shipped graph: a relation removed, two entities added in a file of their own
    shipped = open(os.path.join(root, "graphs", "ukraine-long-range-strikes-2024.yaml")).read()
    start = shipped.index("  - from: keir_starmer\n    type: heads\n")
    end = shipped.index("\n  - ", start + 1) + 1
    with open(os.path.join(work, "ukraine-2.yaml"), "w") as f:
        f.write(shipped[:start] + shipped[end:])
    with open(os.path.join(work, "ukraine-added.yaml"), "w") as f:
        f.write("entities:\n  new_minister: {type: person, name: A new minister}\n"
                "  new_summit: {type: event, name: A new summit}\n"
                "relations:\n  - [new_minister, attended, new_summit]\n  - [new_minister, serves, united_kingdom]\n"
                "  - [keir_starmer, attended, new_summit]\n")
    # then Pokrovsk leaves (its relations with it)
    smaller = re.sub(r"\n  pokrovsk:\n(    .*\n)+", "\n", shipped[:start] + shipped[end:])
    head, rels = smaller.split("\nrelations:\n", 1)
    blocks = re.split(r"(?m)^(?=  - )", rels)
    smaller = head + "\nrelations:\n" + "".join(b for b in blocks if "pokrovsk" not in b)
    with open(os.path.join(work, "ukraine-3.yaml"), "w") as f:
        f.write(smaller)
    problems += case(kgraph, work, "ukraine", [os.path.join(root, "graphs", "ukraine-long-range-strikes-2024.yaml")],
                     ["ukraine-2.yaml", "ukraine-added.yaml"], ["new_minister", "new_summit"],
                     {"new_minister": ["united_kingdom", "new_summit"], "new_summit": ["keir_starmer"]},
                     "pokrovsk", ["ukraine-3.yaml", "ukraine-added.yaml"])
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
