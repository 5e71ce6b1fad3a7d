#!/usr/bin/env python3
"""svg_timeline.py - `kgraph render --timeline` read back from the SVG
(docs/time.md, issue 19 section 4).

    svg_timeline.py KGRAPH ROOT WORK

For the small dated graph of the time cases, the shipped graph, and
graphs made here whose span needs a scale of years and of days:
  - every dated item (an element with id t-YYYY-MM-DD-...) lies above the
    axis and left to right in the order of its date: the centre of a dot
    or an entity's marker, the left end of a bar;
  - the axis carries the labels the span needs (years, months or days);
  - undated items (ids u-...) lie below the axis.
Exit status 0 when all of this holds, 1 with the reasons otherwise.
"""
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"

YEARS = """title: Decades
entities:
  a: {type: person, name: A}
  b: {type: person, name: B}
  c: {type: organization, name: C, date: 2015-06}
relations:
  - [a, knows, b, {date: 2010}]
  - [a, member_of, c, {since: 2016, until: 2019-03}]
  - [b, member_of, c, {date: 2021-02-03}]
"""

DAYS = """title: A fortnight
entities:
  a: {type: person, name: A}
  b: {type: person, name: B}
  c: {type: person, name: C}
relations:
  - [a, called, b, {date: 2024-03-12}]
  - [b, called, c, {date: 2024-03-03}]
  - [c, called, a, {date: 2024-03-18}]
  - [a, knows, c]
"""

CASES = [
    # name, graph (a path under ROOT, or text), labels the axis must carry
    ("small", "tests/cli/inputs/time-small.yaml",
     ["Jan 2024", "Feb", "Mar", "Jun", "Dec", "Jan 2025"]),
    ("shipped", "graphs/ukraine-long-range-strikes-2024.yaml",
     ["May 2024", "Jun", "Jul", "Aug", "Sep", "Oct"]),
    ("years", YEARS, ["2010", "2012", "2020", "2022"]),
    ("days", DAYS, ["3 Mar 2024", "5 Mar", "19 Mar"]),
]


def points(el):
    """The x and y coordinates of a shape element."""
    if el.tag in (SVG + "ellipse",):
        cx, cy = float(el.get("cx")), float(el.get("cy"))
        rx, ry = float(el.get("rx")), float(el.get("ry"))
        return [cx - rx, cx + rx], [cy - ry, cy + ry]
    if el.tag in (SVG + "polygon", SVG + "polyline"):
        nums = [float(v) for v in re.split(r"[ ,]+", el.get("points").strip())]
        return nums[0::2], nums[1::2]
    if el.tag == SVG + "path":
        nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", el.get("d"))]
        return nums[0::2], nums[1::2]
    return None


def shape_box(g):
    xs, ys = [], []
    for el in g.iter():
        p = points(el)
        if p:
            xs += p[0]
            ys += p[1]
    return (min(xs), max(xs), min(ys), max(ys)) if xs else None


def check(kgraph, root, work, name, graph, labels):
    problems = []
    if "\n" in graph:
        path = os.path.join(work, name + ".yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(graph)
    else:
        path = os.path.join(root, graph)
    out = os.path.join(work, name + ".svg")
    subprocess.run([kgraph, "render", "--timeline", path, "-o", out], check=True)
    svg = ET.parse(out).getroot()

    texts = {t.text for t in svg.iter(SVG + "text")}
    for label in labels:
        if label not in texts:
            problems.append(f"{name}: the axis has no label '{label}'")

    axis_y = None
    dated, undated = [], []
    for g in svg.iter(SVG + "g"):
        gid, cls = g.get("id") or "", (g.get("class") or "").split()
        if "kg-axis" in cls and axis_y is None:
            box = shape_box(g)
            if box and box[3] - box[2] < 1:  # the horizontal axis line
                axis_y = box[2]
        m = re.match(r"t-(\d{4}-\d\d-\d\d)-", gid)
        box = shape_box(g)
        if m and box:
            bar = "kg-relation" in cls and box[1] - box[0] > 11 and box[3] - box[2] < 13
            anchor = box[0] if bar else (box[0] + box[1]) / 2
            dated.append((m.group(1), anchor, (box[2] + box[3]) / 2, gid))
        elif gid.startswith("u-") and box:
            undated.append(((box[2] + box[3]) / 2, gid))
    if not dated:
        problems.append(f"{name}: no dated item drawn")
    if axis_y is None:
        problems.append(f"{name}: no axis line")
        return problems
    dated.sort()
    for (d1, x1, _, id1), (d2, x2, _, id2) in zip(dated, dated[1:]):
        if d1 < d2 and x1 > x2 + 0.5:
            problems.append(f"{name}: {id1} ({d1}) is right of {id2} ({d2}): x {x1:.1f} > {x2:.1f}")
    for d, x, y, gid in dated:
        if y >= axis_y:  # SVG's y grows downwards
            problems.append(f"{name}: {gid} is not above the axis")
    for y, gid in undated:
        if y <= axis_y:
            problems.append(f"{name}: undated {gid} is not below the axis")
    if name == "days" and not undated:
        problems.append("days: the undated relation is not listed")
    return problems


def main():
    kgraph, root, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    problems = []
    for name, graph, labels in CASES:
        problems += check(kgraph, root, work, name, graph, labels)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
