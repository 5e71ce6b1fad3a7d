#!/bin/sh
# lazy_damage.sh - a snapshot is checked as it is read (issue 17): opening
# checks what is sized by the entities, and the relations, strings and
# adjacency lists are checked by the reads that use them. A damaged part
# that a command reads makes it exit 2 and name the damage after its
# answer; a damaged part it does not read does not change its answer;
# `kgraph check` (checksums, and every part) refuses the file outright.
#
#   sh lazy_damage.sh path/to/kgraph path/to/snapshot_patch.py scratch/dir
set -u
KGRAPH=$1
PATCH=$2
WORK=$3
failed=0
fail() { echo "FAIL: $*"; failed=1; }

rm -rf "$WORK"
mkdir -p "$WORK" || exit 1
cd "$WORK" || exit 1
unset KGRAPH_CACHE

printf 'entities:\n  ada: {type: person, name: Ada Lovelace}\n  bo: {type: person}\n  cy: {type: person}\n  dee: {type: person, name: Dee Dee}\nrelations:\n  - [ada, knows, bo]\n  - [bo, knows, cy]\n  - [cy, knows, dee]\n' > g.yaml
"$KGRAPH" compile g.yaml -o g.kgs || exit 1

# expect NAME CODE PATTERN ARGS...: kgraph ARGS exits CODE, and its stderr
# matches PATTERN ('' for empty).
expect() {
	name=$1 code=$2 pattern=$3
	shift 3
	"$KGRAPH" "$@" > "$name.out" 2> "$name.err"
	got=$?
	[ "$got" = "$code" ] || fail "$name: exit $got, not $code: $(cat "$name.err")"
	if [ -z "$pattern" ]; then
		[ ! -s "$name.err" ] || fail "$name: says $(cat "$name.err")"
	else
		grep -q -- "$pattern" "$name.err" || fail "$name: stderr lacks '$pattern': $(cat "$name.err")"
	fi
}

expect clean 0 '' path ada dee g.kgs
grep -q 'Ada Lovelace' clean.out || fail "clean: no path: $(cat clean.out)"

# Relation 1 (bo -> cy) names an entity that does not exist (section 9:
# relations are 10 bytes, and byte 16 is the third of relation 1's to).
cp g.kgs rel.kgs && python3 "$PATCH" rel.kgs 9 16 0x10 || exit 1
expect rel-path 2 'rel.kgs: damaged snapshot: the outgoing adjacency of entity 1' path ada dee rel.kgs
expect rel-list 2 'rel.kgs: damaged snapshot: relation 1 names entity 1048578 of 4' list --relations rel.kgs
expect rel-export 2 'damaged snapshot' export -T json rel.kgs
# SQL rows read the arrays directly: the whole snapshot is checked first,
# and nothing is written.
expect rel-sql 2 'rel.kgs: damaged snapshot: relation 1 names entity 1048578 of 4' export -T sql rel.kgs
[ ! -s rel-sql.out ] || fail "rel-sql: wrote $(wc -c < rel-sql.out) bytes of SQL from a damaged snapshot"
# A question that does not reach the relation reads no damage.
expect rel-far 0 '' neighbors dee rel.kgs --depth 1
expect rel-check 2 "section relations's checksum does not match" check rel.kgs

# Cy's incoming list loses relation 1 (bo -> cy) to dee's, which is then
# damaged (section 26: the incoming offsets; entry 3, where cy's list
# ends, becomes 1). Cy's list alone looks sound; a list read must also be
# listed under its other ends, or a search from both ends meets bo -> cy
# from bo's side only (the bidirectional search read a null pointer on
# such a snapshot; found by fuzz_snapshot). Without that check this path
# was printed with exit 0.
cp g.kgs adj.kgs && python3 "$PATCH" adj.kgs 26 3 u32=1 || exit 1
expect adj-path 2 'adj.kgs: damaged snapshot: the outgoing adjacency of entity 1' path ada cy adj.kgs
expect adj-far 0 '' neighbors ada adj.kgs --depth 1 --direction out

# A byte of the compressed string text changes (section 6, its first
# block, which holds every string of this graph): no string can be read.
cp g.kgs str.kgs && python3 "$PATCH" str.kgs 6 12 0x5a || exit 1
expect str-show 2 'str.kgs: damaged snapshot: a lookup met a string that cannot be read' show ada str.kgs
expect str-list 2 'str.kgs: damaged snapshot: string [0-9]* cannot be read' list str.kgs
expect str-check 2 'checksum does not match' check str.kgs

# Every string slot names a string that does not exist (section 7), or
# every entity id slot an entity (section 32): the slots are few (keys
# only) or sized by the entities, so opening checks them.
# fill FILE SECTION VALUE: every 32-bit word of the section becomes VALUE.
fill() {
	i=0
	while [ $i -lt 1000 ]; do
		python3 "$PATCH" "$1" "$2" $i "u32=$3" 2>/dev/null || break
		i=$((i + 1))
	done
}
cp g.kgs slot.kgs && fill slot.kgs 7 0x7fffffff
cp g.kgs ids.kgs && fill ids.kgs 32 0x7fffffff
expect slot-path 2 "slot.kgs: error: damaged snapshot: the string slots name a string that does not exist" path ada dee slot.kgs
expect ids-path 2 "ids.kgs: error: damaged snapshot: the entity id slots name an entity that does not exist" path ada dee ids.kgs
# Every entity id slot empty: a lookup by id finds nothing. Answers that
# need no lookup are not damaged; the whole check (which export -T sql
# makes first) finds each entity by its id, and refuses.
cp g.kgs lost.kgs && fill lost.kgs 32 0
expect lost-list 0 '' list lost.kgs
expect lost-path 2 "unknown entity 'ada'" path ada dee lost.kgs
expect lost-sql 2 "lost.kgs: damaged snapshot: entity 0 is not found by its id 'ada'" export -T sql lost.kgs

# The side records, compressed like the text (section 10): a changed
# byte is found by the block's checksum when a date is read.
printf 'entities:\n  ada: {type: person}\n  bo: {type: person}\nrelations:\n' > dated.yaml
i=0
while [ $i -lt 3000 ]; do
	printf '  - {from: ada, type: knows, to: bo, date: 2001-02-03, quote: "q%d"}\n' $i >> dated.yaml
	i=$((i + 1))
done
"$KGRAPH" compile dated.yaml -o dated.kgs || exit 1
expect dated-clean 0 '' path ada bo dated.kgs --format json
cp dated.kgs ext.kgs && python3 "$PATCH" ext.kgs 10 40 0x33 || exit 1
expect ext-path 2 "ext.kgs: damaged snapshot: relation 0's side record is in a damaged block" path ada bo ext.kgs --format json

# A block that compresses too well is kept as it is: a snapshot can never
# decompress to more than 64 times its size. A long run of one letter
# (zstd makes 64 KiB of it into a few bytes) reads back the same.
awk 'BEGIN { printf "entities:\n  ada: {type: person, notes: \"" ; for (i = 0; i < 200000; i++) printf "a"; printf "\"}\n" }' > run.yaml
"$KGRAPH" compile run.yaml -o run.kgs || exit 1
"$KGRAPH" show ada run.yaml > run-yaml.out 2>&1
expect run-show 0 '' show ada run.kgs
cmp -s run-yaml.out run-show.out || fail "run-show: the snapshot's text differs from the YAML's"
[ "$(wc -c < run.kgs)" -gt 200000 ] || fail "run.kgs: $(wc -c < run.kgs) bytes: the run was compressed"
# A block offset that claims a block 65,536 bytes long is stored in 8
# (section 31, the compressed blocks' starts: the text's second start).
cp g.kgs ratio.kgs && python3 "$PATCH" ratio.kgs 31 2 u32=8 || exit 1
expect ratio-open 2 'ratio.kgs: error: damaged snapshot: its compressed blocks do not describe its sections' path ada dee ratio.kgs

# The meta record claims more side records than relations (section 0,
# word 4), which would size a buffer by the lie.
cp g.kgs meta.kgs && python3 "$PATCH" meta.kgs 0 4 u32=0xffffffff || exit 1
expect meta-open 2 'meta.kgs: error: damaged snapshot: its compressed blocks do not describe its sections' path ada dee meta.kgs

[ "$failed" = 0 ] && echo "lazy_damage: all passed"
exit "$failed"
