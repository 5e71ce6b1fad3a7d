#!/bin/sh
# cache.sh - the snapshot cache (KGRAPH_CACHE=DIR, --cache DIR; issue 17):
# the second run reads the entry the first wrote, with the same output
# byte for byte; an edit to an included file, the named file or the
# include paths is a new answer; a damaged, truncated, foreign or linked
# entry is a warning, is never written through, and is replaced; standard
# input is not cached; runs at the same time leave one whole entry.
#
#   sh cache.sh path/to/kgraph scratch/dir
#
# KGRAPH_CACHE_TRACE=1 makes kgraph say what the cache did ("read",
# "wrote", "out of date"), which is what shows that an entry was used.
set -u
KGRAPH=$1
WORK=$2
failed=0
fail() { echo "FAIL: $*"; failed=1; }

rm -rf "$WORK"
mkdir -p "$WORK" || exit 1
cd "$WORK" || exit 1
unset KGRAPH_CACHE
export KGRAPH_CACHE_TRACE=1

# A graph with an include, and warnings (check shows them from the entry).
printf 'include: [more.yaml]\nentities:\n  ada: {type: person}\n  bo: {type: person}\n  tom: {type: person}\nrelations:\n  - [ada, knows, bo]\n' > g.yaml
printf 'entities:\n  cy: {type: person}\nrelations:\n  - [bo, knows, cy]\n' > more.yaml

# run NAME ARGS...: kgraph ARGS with the outputs in NAME.out, NAME.err and
# NAME.code; what the cache says (its trace, its warnings) goes to
# NAME.trace, apart.
run() {
	name=$1; shift
	"$KGRAPH" "$@" > "$name.out" 2> "$name.all"
	echo $? > "$name.code"
	grep -E '^kgraph: (cache: |warning: cache entry )' "$name.all" > "$name.trace"
	grep -Ev '^kgraph: (cache: |warning: cache entry )' "$name.all" > "$name.err"
}
# same A B: the command's outputs and exit code are identical.
same() {
	for part in out err code; do
		cmp -s "$1.$part" "$2.$part" || fail "$1 and $2 differ in $part: $(diff "$1.$part" "$2.$part" | head -5)"
	done
}
traced() { grep -q "^kgraph: cache: $2 " "$1.trace" || fail "$1: no '$2' in: $(cat "$1.trace")"; }
entries() { ls c 2>/dev/null | grep -c '\.kgs$'; }

for cmd in "check g.yaml" "path ada cy g.yaml" "show bo g.yaml"; do
	tag=$(echo "$cmd" | cut -d' ' -f1)
	rm -rf c
	run "$tag-plain" $cmd
	run "$tag-first" $cmd --cache c
	run "$tag-second" $cmd --cache c
	same "$tag-plain" "$tag-first"
	same "$tag-plain" "$tag-second"
	traced "$tag-first" wrote
	traced "$tag-second" read
done
grep -q "warning: entity 'tom' has no relations" check-second.err || fail "check from the cache lost its warnings"
[ "$(entries)" = 1 ] || fail "one entry expected, found $(entries)"
[ "$(stat -c %a c)" = 700 ] || fail "the cache folder is not private: $(stat -c %a c)"
entry=c/$(ls c | grep '\.kgs$')

# KGRAPH_CACHE does what --cache does; --cache '' turns it off.
KGRAPH_CACHE=c run env path ada cy g.yaml
traced env read
KGRAPH_CACHE=c run off path ada cy g.yaml --cache ''
[ -s off.trace ] && fail "--cache '' still used the cache: $(cat off.trace)"
same path-plain env
same path-plain off

# An edit to the included file: out of date, the new answer, written again.
printf 'entities:\n  cy: {type: person}\nrelations:\n  - [ada, knows, cy]\n' > more.yaml
run inc-plain path ada cy g.yaml
run inc-cached path ada cy g.yaml --cache c
same inc-plain inc-cached
traced inc-cached "out of date"
traced inc-cached wrote
run inc-again path ada cy g.yaml --cache c
traced inc-again read
same inc-plain inc-again

# An edit to the named file is another key, so another entry.
printf '\n' >> g.yaml
run named path ada cy g.yaml --cache c
traced named wrote
[ "$(entries)" = 2 ] || fail "an edited named file should have its own entry: $(entries)"
rm -f c/*.kgs
run named2 path ada cy g.yaml --cache c
entry=c/$(ls c | grep '\.kgs$')
run plain path ada cy g.yaml

# damage NAME: the entry as damaged is warned about, the answer is still
# the YAML's, the entry is written again and then read.
damaged() {
	run "$1" path ada cy g.yaml --cache c
	same plain "$1"
	grep -q "^kgraph: warning: cache entry $entry: .*; written again" "$1.trace" ||
		fail "$1: no warning: $(cat "$1.trace")"
	run "$1-after" path ada cy g.yaml --cache c
	traced "$1-after" read
	same plain "$1-after"
}
cp "$entry" good.kgs
size=$(stat -c %s "$entry")
# A byte changed in the middle: only the checksums can tell.
printf '\377' | dd of="$entry" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
cmp -s "$entry" good.kgs && fail "the entry was not changed"
damaged flipped
head -c $((size / 3)) good.kgs > "$entry"
damaged truncated
printf 'entities: {}\n' > "$entry"
damaged foreign
# Another valid snapshot put under this name: another graph's answers.
printf 'entities:\n  ada: {type: person}\n  cy: {type: person}\nrelations:\n  - [cy, knows, ada]\n' > other.yaml
"$KGRAPH" compile other.yaml -o "$entry" 2>/dev/null || fail "compile other.yaml"
run other path ada cy g.yaml --cache c
same plain other
traced other "out of date"

# A link at the entry's name is removed, not written through.
printf 'keep me\n' > victim
rm -f "$entry"
ln -s "$WORK/victim" "$entry"
run linked path ada cy g.yaml --cache c
same plain linked
grep -q "^kgraph: warning: cache entry $entry: not a regular file; replaced" linked.trace ||
	fail "linked: no warning: $(cat linked.trace)"
[ "$(cat victim)" = "keep me" ] || fail "the cache wrote through a link at an entry's name"
[ -L "$entry" ] && fail "the link at the entry's name is still there"
run linked-after path ada cy g.yaml --cache c
traced linked-after read

# Standard input is read as it comes: never cached.
rm -rf c
printf 'entities:\n  ada: {type: person}\n' | "$KGRAPH" check - --cache c > /dev/null 2>stdin.err
[ "$(entries)" = 0 ] || fail "standard input was cached"

# --include-path is part of the key.
mkdir -p lib
run ip1 path ada cy g.yaml --cache c
run ip2 path ada cy g.yaml --cache c --include-path lib
traced ip2 wrote
[ "$(entries)" = 2 ] || fail "--include-path should change the key: $(entries)"

# Four runs at once on an empty cache: each answers right, and what is
# left is one whole entry, no temporary file.
rm -rf c
for i in 1 2 3 4; do
	"$KGRAPH" path ada cy g.yaml --cache c > "par$i.out" 2> "par$i.err" &
done
wait
for i in 1 2 3 4; do
	cmp -s plain.out "par$i.out" || fail "run $i at the same time answered otherwise"
done
[ "$(ls c | wc -l)" = 1 ] || fail "runs at the same time left: $(ls c)"
run par-after path ada cy g.yaml --cache c
traced par-after read

[ "$failed" = 0 ] && echo "cache: all passed"
exit "$failed"
