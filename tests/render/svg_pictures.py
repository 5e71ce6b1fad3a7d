#!/usr/bin/env python3
"""svg_pictures.py - checks on the pictures kgraph draws, read back from
the SVG as a reader's eye would measure them (docs/rendering.md, issue 13).

    svg_pictures.py KGRAPH ROOT WORK CHECK

CHECK is one of:
  styles   two different selections of one graph: every relation type
           drawn in both has the same stroke colour and dash pattern;
  aspect   the whole shipped graph and a depth-2 focus: width : height
           between 1 : 1.5 and 1.5 : 1 (and 16 : 9 within 1.5-2.1 with
           --fit slide);
  overlap  no two node boxes overlap, with dot and with sfdp.
Exit status 0 when the check holds, 1 with the reasons otherwise.
"""
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
GRAPH = "graphs/ukraine-long-range-strikes-2024.yaml"
EXAMPLE = "examples/newsroom.yaml"


def render(kgraph, root, work, name, args):
    out = os.path.join(work, name + ".svg")
    subprocess.run([kgraph, "render", *args, "-o", out], cwd=root, check=True)
    return ET.parse(out).getroot()


def classes(g):
    return (g.get("class") or "").split()


def edge_styles(svg):
    """relation type -> set of (stroke, dasharray) of its edges' lines."""
    styles = {}
    for g in svg.iter(SVG + "g"):
        c = classes(g)
        if "kg-relation" not in c or "kg-path" in c:
            continue
        rtype = next(x[len("kg-rtype-"):] for x in c if x.startswith("kg-rtype-"))
        for path in g.iter(SVG + "path"):
            styles.setdefault(rtype, set()).add((path.get("stroke"), path.get("stroke-dasharray")))
    return styles


def check_styles(kgraph, root, work):
    problems = []
    for graph, a, b in ((GRAPH, [], ["--focus", "starmer", "--depth", "2"]),
                        (EXAMPLE, ["--focus", "ofcom", "--depth", "1"], ["--focus", "marta_ruiz", "--depth", "2"])):
        name = os.path.basename(graph).split(".")[0]
        sa = edge_styles(render(kgraph, root, work, name + "-a", [graph, *a]))
        sb = edge_styles(render(kgraph, root, work, name + "-b", [graph, *b]))
        shared = sorted(set(sa) & set(sb))
        if len(shared) < 3:
            problems.append(f"{graph}: only {len(shared)} relation types in both pictures")
        for t in shared:
            if sa[t] != sb[t] or len(sa[t]) != 1:
                problems.append(f"{graph}: relation type {t}: {sorted(sa[t], key=str)} vs {sorted(sb[t], key=str)}")
    return problems


def size(svg):
    w = float(re.match(r"[\d.]+", svg.get("width")).group())
    h = float(re.match(r"[\d.]+", svg.get("height")).group())
    return w, h


def check_aspect(kgraph, root, work):
    problems = []
    cases = [("whole", [GRAPH], 1 / 1.5, 1.5),
             ("focus2", [GRAPH, "--focus", "biden", "--depth", "2"], 1 / 1.5, 1.5),
             ("example", [EXAMPLE], 1 / 1.5, 1.5),
             ("slide", [GRAPH, "--fit", "slide"], 1.5, 2.1)]
    for name, args, lo, hi in cases:
        w, h = size(render(kgraph, root, work, "aspect-" + name, args))
        if not lo <= w / h <= hi:
            problems.append(f"{' '.join(args)}: {w:.0f} x {h:.0f} pt, aspect {w / h:.2f} not in {lo:.2f}-{hi:.2f}")
    return problems


def node_boxes(svg):
    boxes = []
    for g in svg.iter(SVG + "g"):
        c = classes(g)
        if "node" not in c:
            continue
        xs, ys = [], []
        for poly in g.iter(SVG + "polygon"):
            for pt in poly.get("points").split():
                x, y = pt.split(",")
                xs.append(float(x))
                ys.append(float(y))
        for el in g.iter(SVG + "ellipse"):
            cx, cy, rx, ry = (float(el.get(k)) for k in ("cx", "cy", "rx", "ry"))
            xs += [cx - rx, cx + rx]
            ys += [cy - ry, cy + ry]
        if xs:
            boxes.append((g.get("id"), min(xs), min(ys), max(xs), max(ys)))
    return boxes


def check_overlap(kgraph, root, work):
    problems = []
    for name, args in (("dot", [GRAPH]), ("sfdp", [GRAPH, "--engine", "sfdp"]),
                       ("example-dot", [EXAMPLE]), ("example-sfdp", [EXAMPLE, "--engine", "sfdp"])):
        boxes = node_boxes(render(kgraph, root, work, "overlap-" + name, args))
        if len(boxes) < 10:
            problems.append(f"{name}: only {len(boxes)} nodes found")
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                # 0.5 pt of slack: outlines may touch
                if a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5 and a[2] < b[4] - 0.5 and b[2] < a[4] - 0.5:
                    problems.append(f"{name}: {a[0]} and {b[0]} overlap")
    return problems


def main():
    kgraph, root, work, check = sys.argv[1:5]
    os.makedirs(work, exist_ok=True)
    problems = {"styles": check_styles, "aspect": check_aspect, "overlap": check_overlap}[check](kgraph, root, work)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
