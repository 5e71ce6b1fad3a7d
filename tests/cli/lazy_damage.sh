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

# Relation 1 (bo -> cy) names an entity that does not exist (section 9,
# word 4 = relation 1's to).
cp g.kgs rel.kgs && python3 "$PATCH" rel.kgs 9 4 u32=0xfffff || exit 1
expect rel-path 2 'rel.kgs: damaged snapshot: the outgoing adjacency of entity 1' path ada dee rel.kgs
expect rel-list 2 'rel.kgs: damaged snapshot: relation 1 names entity 1048575 of 4' list --relations rel.kgs
expect rel-export 2 'damaged snapshot' export -T json rel.kgs
# A question that does not reach the relation reads no damage.
expect rel-far 0 '' neighbors dee rel.kgs --depth 1
expect rel-check 2 "section relations's checksum does not match" check rel.kgs

# Ada's name loses its NUL (section 6, the string text).
cp g.kgs str.kgs && python3 "$PATCH" str.kgs 6 'find=Ada Lovelace' 0x41 || exit 1
expect str-show 2 'str.kgs: damaged snapshot: string' show ada str.kgs
expect str-far 0 '' path cy dee str.kgs
expect str-check 2 'checksum does not match' check str.kgs

# Every string slot names a string that does not exist (section 7).
cp g.kgs slot.kgs
i=0
while [ $i -lt 1000 ]; do
	python3 "$PATCH" slot.kgs 7 $i u32=0x7fffffff 2>/dev/null || break
	i=$((i + 1))
done
expect slot-path 2 "slot.kgs: damaged snapshot: the string table's slots" path ada dee slot.kgs

[ "$failed" = 0 ] && echo "lazy_damage: all passed"
exit "$failed"
