#!/usr/bin/env python3
"""svg_pictures.py - checks on the pictures kgraph draws, read back from
the SVG as a reader's eye would measure them (docs/rendering.md, issue 13).

    svg_pictures.py KGRAPH ROOT WORK CHECK

CHECK is one of:
  styles   two different selections of one graph: every relation type
           drawn in both has the same stroke colour and dash pattern;
  aspect   the whole shipped graph and a depth-2 focus: width : height
           between 1 : 1.5 and 1.5 : 1 (and 16 : 9 within 1.5-2.1 with
           --fit slide), with dot and with sfdp;
  overlap  no two node boxes overlap, with dot and with sfdp;
  legend   the dot legend is compact (its box at most 1.6 times as high
           as its rows of entries need; no empty band between entries, in
           a row or, with LR, a column, also when the page fit stretched
           the picture) and sits beside the drawing, no edge passes
           through it;
  labels   with more relations than dot gets ordinary labels for (external
           labels, xlabel), each edge's text within 25 pt of its line;
  print    the print theme tells types apart without colour: no two
           entity types drawn share shape, dash pattern, outline and
           fill, no two relation types line, width and arrowhead
           (unless the legend says they are drawn neutral), and each
           legend sample looks like what it stands for; also for a
           graph whose own style keys repeat automatic looks.
Exit status 0 when the check holds, 1 with the reasons otherwise.
"""
import math
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
             ("slide", [GRAPH, "--fit", "slide"], 1.5, 2.1),
             # sfdp ignores ratio: 1.92 : 1 before kgraph stretched it
             ("example-sfdp", [EXAMPLE, "--engine", "sfdp"], 1 / 1.5, 1.5),
             ("example-sfdp-slide", [EXAMPLE, "--engine", "sfdp", "--fit", "slide"], 1.5, 2.1)]
    for name, args, lo, hi in cases:
        w, h = size(render(kgraph, root, work, "aspect-" + name, args))
        if not lo <= w / h <= hi:
            problems.append(f"{' '.join(args)}: {w:.0f} x {h:.0f} pt, aspect {w / h:.2f} not in {lo:.2f}-{hi:.2f}")
    return problems


def node_boxes_of(g):
    return [b[1:] for b in node_boxes_in([g])]


def node_boxes(svg):
    return node_boxes_in(g for g in svg.iter(SVG + "g") if "node" in classes(g))


def node_boxes_in(groups):
    boxes = []
    for g in groups:
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


SHAPES = ("polygon", "polyline", "ellipse", "path")


def arrow_shape(el):
    """An arrowhead's outline whatever its direction: its points'
    distances from their centre, rounded."""
    if el.tag == SVG + "ellipse":
        return ("ellipse", el.get("fill"))
    pts = [tuple(map(float, p.split(","))) for p in el.get("points").split()]
    if pts[0] == pts[-1]:
        pts = pts[:-1]
    cx = sum(p[0] for p in pts) / len(pts)
    cy = sum(p[1] for p in pts) / len(pts)
    return (el.tag[len(SVG):], el.get("fill"),
            tuple(sorted(round(((x - cx) ** 2 + (y - cy) ** 2) ** 0.5) for x, y in pts)))


def node_look(g):
    """How a node is drawn, less its size: each outline's kind and number
    of corners, fill, dash pattern and width."""
    return tuple((el.tag[len(SVG):], len((el.get("points") or "").split()), el.get("fill"),
                  el.get("stroke-dasharray"), el.get("stroke-width"))
                 for el in g.iter() if el.tag[len(SVG):] in SHAPES)


def edge_look(g):
    """How an edge is drawn: its line's stroke, dash pattern and width,
    and its arrowheads."""
    line = next(g.iter(SVG + "path"))
    heads = tuple(arrow_shape(el) for el in g.iter() if el.tag[len(SVG):] in ("polygon", "ellipse")
                  and el is not line)
    return (line.get("stroke"), line.get("stroke-dasharray"), line.get("stroke-width"), heads)


def looks_by(svg, cls, prefix, look):
    by = {}
    for g in svg.iter(SVG + "g"):
        c = classes(g)
        if cls in c:
            t = next(x[len(prefix):] for x in c if x.startswith(prefix))
            by.setdefault(t, set()).add(look(g))
    return by


def legend_entry(svg, key):
    return next((g for g in svg.iter(SVG + "g") if g.get("id") == key), None)


def path_points(d):
    """Points along an SVG path of M and C commands (Graphviz's edges and
    cluster boxes), each Bezier sampled at 16 steps."""
    nums = [float(x) for x in re.findall(r"-?[\d.]+(?:e-?\d+)?", d)]
    pts = list(zip(nums[0::2], nums[1::2]))
    out = [pts[0]]
    for i in range(1, len(pts) - 2, 3):
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
        for k in range(1, 17):
            t = k / 16
            out.append(tuple((1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t * t * c + t ** 3 * e
                             for a, b, c, e in zip(p0, p1, p2, p3)))
    return out


def bbox(points):
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def check_legend(kgraph, root, work):
    problems = []
    for name, args in (("whole", [GRAPH]), ("focus", [GRAPH, "--focus", "biden", "--depth", "2"]),
                       ("example", [EXAMPLE]), ("print", [GRAPH, "--theme", "print", "--no-edge-labels"]),
                       ("lr", [EXAMPLE, "--rankdir", "LR"]),
                       # LR chosen by the page fit, which stretches the picture upwards
                       ("lr-fit", [GRAPH, "--focus", "biden", "--depth", "1", "--fit", "page"]),
                       ("lr-print", [GRAPH, "--theme", "print", "--rankdir", "LR", "--no-edge-labels"])):
        svg = render(kgraph, root, work, "legend-" + name, args)
        box = legend_entry(svg, "legend")
        if box is None:
            problems.append(f"{name}: no legend box")
            continue
        lx0, ly0, lx1, ly1 = bbox(path_points(next(box.iter(SVG + "path")).get("d")))
        # rows of entries: the boxes of the legend's nodes
        nodes = [g for g in svg.iter(SVG + "g") if "kg-legend" in classes(g) and "node" in classes(g)]
        ys = sorted({round(float(t.get("y"))) for g in nodes for t in g.iter(SVG + "text")})
        rows = 1 + sum(1 for a, b in zip(ys, ys[1:]) if b - a > 30)
        need = rows * 60 + 30
        column = ly1 - ly0 > lx1 - lx0  # LR sets the legend in columns
        if not column and ly1 - ly0 > 1.6 * need:
            problems.append(f"{name}: legend {ly1 - ly0:.0f} pt high for {rows} rows (at most {1.6 * need:.0f})")
        # no empty band between entries (what a stretch leaves): in a
        # column (LR) none taller than 30 pt, in a row none wider than 40
        parts = [g for g in svg.iter(SVG + "g") if "kg-legend" in classes(g)]
        for axis, most in ((1, 30),) if column else ((0, 40),):
            spans = [(b[axis], b[2 + axis]) for g in nodes for b in node_boxes_of(g)]
            for g in parts:
                for t in g.iter(SVG + "text"):
                    x, y, half = float(t.get("x")), float(t.get("y")), len(t.text or "") * 2.9
                    spans.append((y - 10, y + 2) if axis else (x - half, x + half))
                for path in g.iter(SVG + "path"):
                    b = bbox(path_points(path.get("d")))
                    spans.append((b[axis], b[2 + axis]))
            spans.sort()
            reach = spans[0][1] if spans else 0
            for a, b in spans[1:]:
                if a - reach > most:
                    problems.append(f"{name}: {a - reach:.0f} pt of empty legend between entries ({'y' if axis else 'x'})")
                    break
                reach = max(reach, b)
        for g in svg.iter(SVG + "g"):
            if "kg-relation" not in classes(g):
                continue
            for path in g.iter(SVG + "path"):
                if any(lx0 < x < lx1 and ly0 < y < ly1 for x, y in path_points(path.get("d"))):
                    problems.append(f"{name}: edge {g.get('id')} passes through the legend")
                    break
        # beside the drawing: within 150 pt of the box around its entities
        ents = [b[1:] for b in node_boxes(svg) if b[0] and b[0].startswith("e-")]
        ex0, ey0 = min(e[0] for e in ents), min(e[1] for e in ents)
        ex1, ey1 = max(e[2] for e in ents), max(e[3] for e in ents)
        gap = max(ex0 - lx1, lx0 - ex1, ey0 - ly1, ly0 - ey1, 0)
        if gap > 150:
            problems.append(f"{name}: legend {gap:.0f} pt from the drawing")
    return problems


def distinct(problems, kind, looks, sample_of, look, sample_required):
    """Each type of looks (type -> set of looks) drawn one way, as its
    legend sample shows it, and no two types alike. Returns look -> type."""
    seen = {}
    for t, lks in sorted(looks.items()):
        sample = sample_of(t)
        if len(lks) != 1:
            problems.append(f"{kind} type {t} drawn {len(lks)} ways: {lks}")
        elif (sample is None and sample_required) or (sample is not None and {look(sample)} != lks):
            problems.append(f"{kind} type {t}: legend sample differs from what it stands for")
        for lk in lks:
            if lk in seen:
                problems.append(f"{kind} types {seen[lk]} and {t} look the same: {lk}")
            seen[lk] = t
    return seen


def dense_graph(path):
    """90 entities and 176 relations between random pairs (fixed seed):
    dot, with its edge text as xlabels (more than 150 relations)."""
    import random
    rnd = random.Random(7)
    types = ["met_with", "called", "wrote_to", "sued", "funded", "hired", "praised", "criticised", "advised",
             "joined"]
    out = ["title: Dense", "relation_types:"]
    out += [f"  {t}: {{label: {t.replace('_', ' ')}}}" for t in types]
    out.append("entities:")
    out += [f"  e{i}: {{type: {rnd.choice(['person', 'organization', 'event'])}, name: Entity number {i}}}"
            for i in range(90)]
    out.append("relations:")
    for _ in range(180):
        a, b = rnd.randrange(90), rnd.randrange(90)
        if a != b:
            out.append(f"  - {{from: e{a}, type: {rnd.choice(types)}, to: e{b}}}")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def check_labels(kgraph, root, work):
    problems = []
    graph = os.path.join(work, "dense.yaml")
    dense_graph(graph)
    svg = render(kgraph, root, work, "labels-dense", [graph])
    gaps = []
    for g in svg.iter(SVG + "g"):
        texts = [t for t in g.iter(SVG + "text")]
        if "kg-relation" not in classes(g) or not texts:
            continue
        pts = path_points(next(g.iter(SVG + "path")).get("d"))
        # the text's box from its anchor (middle), 10 pt Helvetica
        x0 = min(float(t.get("x")) - len(t.text or "") * 2.8 for t in texts)
        x1 = max(float(t.get("x")) + len(t.text or "") * 2.8 for t in texts)
        y0 = min(float(t.get("y")) - 9 for t in texts)
        y1 = max(float(t.get("y")) + 2 for t in texts)
        gaps.append((min(math.hypot(max(x0 - x, 0, x - x1), max(y0 - y, 0, y - y1)) for x, y in pts), g.get("id")))
    if len(gaps) < 150:
        problems.append(f"only {len(gaps)} labelled edges")
    for gap, edge in gaps:
        if gap > 25:
            problems.append(f"edge {edge}: its text is {gap:.0f} pt from its line")
    return problems


def check_print(kgraph, root, work):
    problems = []
    svg = render(kgraph, root, work, "print-whole", [GRAPH, "--theme", "print", "--no-edge-labels"])
    types = looks_by(svg, "kg-entity", "kg-type-", node_look)
    distinct(problems, "entity", types, lambda t: legend_entry(svg, "legend-e-" + t), node_look, True)
    if len(types) < 11:
        problems.append(f"only {len(types)} entity types drawn")
    rtypes = looks_by(svg, "kg-relation", "kg-rtype-", edge_look)
    other = legend_entry(svg, "legend-r-other")
    sample = legend_entry(svg, "legend-r-other-sample")
    grey = edge_look(sample)[0] if sample is not None else None
    neutral = [t for t in rtypes if any(lk[0] == grey for lk in rtypes[t])]
    if neutral:
        said = other is not None and re.match(r"(\d+) other", " ".join(
            (x.text or "") for x in other.iter(SVG + "text")))
        if not said or int(said.group(1)) != len(neutral):
            problems.append(f"{len(neutral)} relation types drawn neutral; the legend does not say so")
    # past 40 entries the legend says "and N more": no sample for those
    seen = distinct(problems, "relation", {t: lk for t, lk in rtypes.items() if t not in neutral},
                    lambda t: legend_entry(svg, f"legend-r-{t}-sample"), edge_look, False)
    if len(seen) < 40:
        problems.append(f"only {len(seen)} relation types told apart")
    if sum(legend_entry(svg, f"legend-r-{t}-sample") is not None for t in seen.values()) < 40:
        problems.append("fewer than 40 relation types in the legend")
    # a graph whose own style keys equal looks the automatic plan gives
    graph = os.path.join(work, "declared.yaml")
    declared_graph(graph)
    svg = render(kgraph, root, work, "print-declared", [graph, "--theme", "print", "--no-edge-labels"])
    types = looks_by(svg, "kg-entity", "kg-type-", node_look)
    distinct(problems, "declared entity", types, lambda t: legend_entry(svg, "legend-e-" + t), node_look, True)
    rtypes = looks_by(svg, "kg-relation", "kg-rtype-", edge_look)
    distinct(problems, "declared relation", rtypes, lambda t: legend_entry(svg, f"legend-r-{t}-sample"),
             edge_look, True)
    if len(types) != 6 or len(rtypes) != 24:
        problems.append(f"declared: {len(types)} entity and {len(rtypes)} relation types drawn, not 6 and 24")
    return problems


def declared_graph(path):
    """Types whose own style keys repeat a look the print plan gives
    automatically: an ellipse declared dashed (the fourth ellipse's
    automatic look), relation types declared dashed, solid with a normal
    arrowhead, thick and dotted with vee: each another type's automatic
    line. The declared types are the least used, so the plan reaches
    them last."""
    out = ["title: Declared looks", "types:"]
    out += [f"  {t}: {{shape: ellipse}}" for t in ("group", "club", "team")]
    out.append('  band: {shape: ellipse, style: "filled,dashed"}')
    out.append("relation_types:")
    plain = [f"r{i:02}" for i in range(20)]
    out += [f"  {t}: {{label: {t}}}" for t in plain]
    out += ["  d_dashed: {style: dashed}", "  d_solid: {style: solid, arrowhead: normal}",
            "  d_thick: {style: dotted, penwidth: 2.6, arrowhead: vee}", "  d_empty: {arrowhead: empty}"]
    out.append("entities:")
    kinds = ["person", "group", "club", "team", "band", "organization"]
    out += [f"  e{i}: {{type: {kinds[i % 6]}, name: Entity {i}}}" for i in range(12)]
    out.append("relations:")
    for i, t in enumerate(plain):
        for k in range(30 - i):  # r00 the most used
            out.append(f"  - {{from: e{(i + k) % 12}, type: {t}, to: e{(i + k + 1 + i % 5) % 12}}}")
    for i, t in enumerate(("d_dashed", "d_solid", "d_thick", "d_empty")):
        out.append(f"  - {{from: e{i}, type: {t}, to: e{i + 6}}}")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def main():
    kgraph, root, work, check = sys.argv[1:5]
    os.makedirs(work, exist_ok=True)
    problems = {"styles": check_styles, "aspect": check_aspect, "overlap": check_overlap,
                "print": check_print, "legend": check_legend,
                "labels": check_labels}[check](kgraph, root, work)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
