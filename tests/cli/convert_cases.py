#!/usr/bin/env python3
"""convert_cases.py - moves golden cases from the old layout, one small file
per part (tests/cli/cases/NAME.args .stdin .out .err .code, beside their
input files), into the group files tests/cli/*.test that tests/cli/golden.c
runs (the format is in tests/cli/README.md).

    python3 tests/cli/convert_cases.py

It converts whatever old-format files it finds, and only those, so it can be
run again after merging a branch that still adds or changes cases the old
way:
  - a case NAME goes to the group file its name picks (GROUPS below), at
    the end; when that file already has a case NAME, the old files that are
    there (say only NAME.out) replace those parts of it;
  - an input file that one case alone uses (through its arguments or an
    include), that is plain text and that nothing outside the cases names,
    is written into that case; an input that a case already holds is
    updated there; every other input (shared, binary, a folder, or named by
    docs or other tests) moves to tests/cli/inputs/;
  - the old files are deleted, and tests/cli/cases/ once empty.
Run ctest afterwards; `git diff` shows what moved where.

The encoding of blocks repeats golden.c's (plain when the text can be read
back exactly, else escaped), so that --update leaves converted cases as
they are.
"""
import os
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OLD = os.path.join(HERE, "cases")
INPUTS = os.path.join(HERE, "inputs")
PARTS = (".args", ".stdin", ".out", ".err", ".code")

# The group file of a case, by its name: the first pattern that matches.
GROUPS = [
    (r"check-(usage|valid|example|missing-file|stdin|warn|quotes|quiet)", "check"),
    (r"check-", "diagnostics"),
    (r"match-", "match"),
    (r"([a-z]+)-", r"\1"),
    (r"", "misc"),
]
HEADERS = {
    "bad": "bad inputs small enough to write here: byte order marks, control\n"
           "# characters, huge numbers, a PNG; the large ones are made at test time by\n"
           "# tests/cli/bad_inputs.cmake.",
    "check": "`kgraph check` and the command as a whole: usage, help,\n"
             "# valid graphs, warnings, quotes, missing files and standard input.",
    "diagnostics": "what kgraph says about graph files that are wrong: YAML it\n"
                   "# cannot read, entities, relations and types that do not fit, includes that\n"
                   "# go wrong. Every command that loads a graph says the same; these run check.",
    "list": "`kgraph list`: entities and relations, filtered, in each format.",
    "match": "`kgraph match`: pattern questions in a subset of Cypher, their\n"
             "# answers in each format, drawings, and mistakes in the query.",
    "neighbors": "`kgraph neighbors`: the entities within a few relations of one.",
    "path": "`kgraph path`: shortest paths, all paths, k paths, weights, dates.",
    "render": "`kgraph render`: drawings as DOT or SVG, and their usage errors.",
    "show": "`kgraph show`: one entity with its names, attributes and relations.",
}
# Where a file name is looked for to see whether anything but the cases
# uses it (such an input stays a file).
EXTERNAL = ["tests/CMakeLists.txt", "tests/cli/*.cmake", "docs/*.md", "scripts/*", "README.md"]


def group_of(name):
    for pattern, group in GROUPS:
        m = re.match(pattern, name)
        if m:
            return m.expand(group)
    raise AssertionError


# ---- Blocks, as golden.c writes and reads them --------------------------

def utf8_seq(b, i):
    """The length of the valid UTF-8 sequence at b[i] (2 to 4), or 0."""
    c = b[i]
    if 0xC2 <= c <= 0xDF:
        k = 2
    elif 0xE0 <= c <= 0xEF:
        k = 3
    elif 0xF0 <= c <= 0xF4:
        k = 4
    else:
        return 0
    try:
        cp = ord(b[i:i + k].decode("utf-8"))
    except UnicodeDecodeError:
        return 0
    return 0 if cp == 0xFEFF else k


def is_case_marker(line):
    return line.startswith(b"=== ")


def is_block_marker(line):
    return len(line) >= 7 and line.startswith(b"-- ") and line.endswith(b" --")


def plain_ok(data):
    if not data:
        return True
    if not data.endswith(b"\n") or data == b"\n" or data.endswith(b"\n\n"):
        return False
    for line in data[:-1].split(b"\n"):
        if line.endswith((b" ", b"\t")) or is_case_marker(line) or is_block_marker(line):
            return False
    i = 0
    while i < len(data):
        c = data[i]
        if c >= 0x80:
            k = utf8_seq(data, i)
            if not k:
                return False
            i += k
            continue
        if (c < 0x20 and c not in (0x09, 0x0A)) or c == 0x7F:
            return False
        i += 1
    return True


def escape(data):
    out = bytearray()
    i = 0
    while i < len(data):
        c = data[i]
        line_start = i == 0 or data[i - 1] == 0x0A
        if line_start and (data.startswith(b"=== ", i) or data.startswith(b"-- ", i)):
            out += b"\\x%02x" % c
        elif c == 0x5C:
            out += b"\\\\"
        elif c == 0x0A:
            out += b"\\n\n"
        elif c == 0x09:
            out += b"\\t"
        elif c == 0x1B:
            out += b"\\e"
        elif c >= 0x80 and utf8_seq(data, i):
            k = utf8_seq(data, i)
            out += data[i:i + k]
            i += k
            continue
        elif c < 0x20 or c >= 0x7F or (c == 0x20 and i == len(data) - 1):
            out += b"\\x%02x" % c
        else:
            out.append(c)
        i += 1
    if data and not data.endswith(b"\n"):
        out += b"\n"
    return bytes(out)


def unescape(text):
    out = bytearray()
    for line in text.split(b"\n"):
        i = 0
        while i < len(line):
            c = line[i]
            if c != 0x5C:
                out.append(c)
                i += 1
                continue
            e = line[i + 1:i + 2]
            simple = {b"n": b"\n", b"t": b"\t", b"e": b"\x1b", b"\\": b"\\"}
            if e in simple:
                out += simple[e]
                i += 2
            elif e == b"x":
                out.append(int(line[i + 2:i + 4], 16))
                i += 4
            else:
                raise ValueError("unknown escape \\%r" % e)
    return bytes(out)


def block(name, data):
    if plain_ok(data):
        return b"-- %s --\n" % name + data
    return b"-- %s (escaped) --\n" % name + escape(data)


SAFE = re.compile(rb"[A-Za-z0-9_./=,:@%+^-]")


def quote(arg):
    """A word for the "$ kgraph" line, quoted only when it must be."""
    if arg and all(c >= 0x80 or SAFE.match(bytes([c])) for c in arg):
        return arg
    return b"'" + arg.replace(b"'", b"'\\''") + b"'"


def split_words(line):
    """The words of a "$ kgraph" line (golden.c's split_words)."""
    words, i = [], 0
    while True:
        while i < len(line) and line[i:i + 1] in (b" ", b"\t"):
            i += 1
        if i >= len(line):
            return words
        w = bytearray()
        while i < len(line) and line[i:i + 1] not in (b" ", b"\t"):
            c = line[i:i + 1]
            if c == b"'":
                end = line.index(b"'", i + 1)
                w += line[i + 1:end]
                i = end + 1
            elif c == b'"':
                i += 1
                while line[i:i + 1] != b'"':
                    if line[i:i + 1] == b"\\" and line[i + 1:i + 2] in (b'"', b"\\"):
                        i += 1
                    w += line[i:i + 1]
                    i += 1
                i += 1
            else:
                if c == b"\\" and i + 1 < len(line):
                    i += 1
                w += line[i:i + 1]
                i += 1
        words.append(bytes(w))


# ---- Case files ---------------------------------------------------------

class Case:
    def __init__(self, name):
        self.name = name
        self.head = []          # comment lines, kept as they are
        self.args = None        # list of bytes
        self.exit = None
        self.blocks = []        # [kind or file name, content], in order
        self.raw = None         # the text as read, while nothing changed
        self.order = []         # the names of the files it reads, in order

    def get(self, kind):
        for name, data in self.blocks:
            if name == kind:
                return data
        return None

    def set(self, kind, data):
        self.raw = None
        self.blocks = [b for b in self.blocks if b[0] != kind]
        if data or kind not in (b"stdout", b"stderr"):
            self.blocks.append([kind, data])

    def files(self):
        return [(n, d) for n, d in self.blocks if n not in (b"stdin", b"stdout", b"stderr")]

    def text(self):
        if self.raw is not None:
            return self.raw
        out = [b"=== %s\n" % self.name.encode()]
        out += [h + b"\n" for h in self.head]
        out.append(b" ".join([b"$ kgraph"] + [quote(a) for a in self.args]) + b"\n")
        out.append(b"exit %d\n" % self.exit)
        # Input files first, in the order the command meets them.
        order = {b"stdin": 1000001, b"stdout": 1000002, b"stderr": 1000003}
        order.update((n.encode(), i) for i, n in enumerate(self.order))
        for name, data in sorted(self.blocks, key=lambda b: order.get(b[0], 1000000)):
            out.append(block(name, data))
        return b"".join(out)


def parse(path):
    """The preamble and the cases of a group file."""
    with open(path, "rb") as f:
        text = f.read()
    chunks = re.split(rb"^(?==== )", text, flags=re.M)
    preamble, cases = chunks[0], []
    for chunk in chunks[1:]:
        lines = chunk.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        c = Case(lines[0][4:].decode())
        cur, escaped = None, False

        def finish():
            if cur is not None:
                body = cur[1]
                while body and not body[-1].strip():
                    body.pop()
                data = b"\n".join(body)
                cur[1] = unescape(data) if escaped else (data + b"\n" if body else b"")
                c.blocks.append(cur)
        for line in lines[1:]:
            if is_block_marker(line):
                finish()
                name = line[3:-3]
                escaped = name.endswith(b" (escaped)")
                cur = [name[:-10] if escaped else name, []]
            elif cur is not None:
                cur[1].append(line)
            elif line.startswith(b"$ "):
                c.args = split_words(line[2:])[1:]
            elif line.startswith(b"exit "):
                c.exit = int(line[5:])
            elif line.strip():
                c.head.append(line)
        finish()
        c.raw = chunk.rstrip(b"\n") + b"\n"
        cases.append(c)
    return preamble, cases


# ---- Converting ---------------------------------------------------------

def refers(text, name):
    """Where text names the file, if it does."""
    return re.search(rb"(?<![\w.-])" + re.escape(name.encode()) + rb"(?![\w.-])", text)


def external_text():
    import glob
    text = b""
    for pattern in EXTERNAL:
        for path in glob.glob(os.path.join(ROOT, pattern)):
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    text += f.read() + b"\n"
    return text


def read(path):
    with open(path, "rb") as f:
        return f.read()


def main():
    if not os.path.isdir(OLD):
        print("convert_cases: no tests/cli/cases; nothing to convert")
        return 0
    groups = {}     # group -> [preamble, cases]
    for entry in sorted(os.listdir(HERE)):
        if entry.endswith(".test"):
            groups[entry[:-5]] = list(parse(os.path.join(HERE, entry)))
    by_name = {c.name: c for g in groups.values() for c in g[1]}

    entries = sorted(os.listdir(OLD))
    stems = {os.path.splitext(e)[0] for e in entries
             if os.path.splitext(e)[1] == ".args"} | set(by_name)
    part_files = [e for e in entries if os.path.splitext(e)[1] in PARTS
                  and os.path.splitext(e)[0] in stems]
    others = [e for e in entries if e not in part_files]
    converted = 0

    # The cases: new ones at the end of their group, old parts over new.
    for name in sorted({os.path.splitext(e)[0] for e in part_files}):
        c = by_name.get(name)
        if c is None:
            if not os.path.exists(os.path.join(OLD, name + ".args")):
                sys.exit("convert_cases: %s has no .args and no case to go with" % name)
            c = by_name[name] = Case(name)
            c.exit = 0
            group = group_of(name)
            if group not in groups:
                header = "# %s.test - %s\n\n" % (group, HEADERS.get(group, "golden cases."))
                groups[group] = [header.encode(), []]
            groups[group][1].append(c)
        c.raw = None
        base = os.path.join(OLD, name)
        if os.path.exists(base + ".args"):
            # cmake's file(STRINGS) read one argument a line, skipping empty ones.
            c.args = [a for a in read(base + ".args").split(b"\n") if a]
        if os.path.exists(base + ".code"):
            c.exit = int(read(base + ".code").strip())
        for ext, kind in ((".stdin", b"stdin"), (".out", b"stdout"), (".err", b"stderr")):
            if os.path.exists(base + ext):
                c.set(kind, read(base + ext))
        converted += 1

    # The inputs: updated where a case holds them, inlined where one case
    # alone uses them, otherwise moved to tests/cli/inputs.
    outside = external_text()
    candidates = set(others) | set(os.listdir(INPUTS) if os.path.isdir(INPUTS) else [])

    def content(c, name):
        for n, d in c.files():
            if n.decode() == name:
                return d
        for folder in (OLD, INPUTS):
            path = os.path.join(folder, name)
            if os.path.isfile(path):
                return read(path)
        return b""

    def uses(c):
        """The files a case reads, in the order a reader meets them."""
        seen, todo = [], [b"\0".join(c.args or []) + b"\0" + b"".join(d for _, d in c.files())]
        names = candidates | {n.decode() for n, _ in c.files()}
        while todo:
            text = todo.pop(0)
            found = [(m.start(), name) for name in names if name not in seen
                     for m in [refers(text, name)] if m]
            for _, name in sorted(found):
                seen.append(name)
                todo.append(content(c, name))
        return seen

    users = {}
    for c in by_name.values():
        c.order = uses(c)
        for name in c.order:
            users.setdefault(name, []).append(c)
    moved = inlined = 0
    done, to_move = [], []      # acted on once the group files are written
    for name in others:
        path = os.path.join(OLD, name)
        holders = [c for c in by_name.values() if name.encode() in (n for n, _ in c.files())]
        if holders and os.path.isfile(path):
            for c in holders:
                c.set(name.encode(), read(path))
            done.append(path)
            inlined += 1
            continue
        us = users.get(name, [])
        if (os.path.isfile(path) and len(us) == 1 and plain_ok(read(path))
                and not refers(outside, name)):
            us[0].set(name.encode(), read(path))
            done.append(path)
            inlined += 1
            continue
        to_move.append(name)
        moved += 1

    for group, (preamble, cases) in groups.items():
        text = preamble + b"\n".join(c.text() for c in cases)
        path = os.path.join(HERE, group + ".test")
        if not os.path.exists(path) or read(path) != text:
            with open(path, "wb") as f:
                f.write(text)
    for name in to_move:
        os.makedirs(INPUTS, exist_ok=True)
        target = os.path.join(INPUTS, name)
        if os.path.isdir(target):
            shutil.rmtree(target)
        elif os.path.exists(target):
            os.remove(target)
        shutil.move(os.path.join(OLD, name), target)
    for path in done + [os.path.join(OLD, e) for e in part_files]:
        os.remove(path)
    if not os.listdir(OLD):
        os.rmdir(OLD)
    print("convert_cases: %d cases converted, %d inputs written into cases, %d moved to inputs/"
          % (converted, inlined, moved))
    return 0


if __name__ == "__main__":
    sys.exit(main())
