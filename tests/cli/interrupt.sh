#!/bin/sh
# interrupt.sh - `kgraph render` stopped by SIGTERM, SIGHUP or SIGKILL
# while Graphviz lays out (issue 12): it ends with the signal (exit status
# 128+N), and its Graphviz child ends with it instead of running on,
# orphaned, until its own alarm.
#
#   sh interrupt.sh path/to/kgraph scratch/dir
#
# Needs pgrep (procps) and /proc to find the child; skipped without them.
# SIGINT is not tried: a shell starts background jobs with it ignored,
# and kgraph leaves an ignored signal ignored.
set -u
KGRAPH=$1
WORK=$2
failed=0
fail() { echo "FAIL: $*"; failed=1; }

[ -r /proc/self/stat ] && command -v pgrep >/dev/null 2>&1 || { echo "skipped: no /proc or pgrep"; exit 0; }
rm -rf "$WORK"
mkdir -p "$WORK" && cd "$WORK" || exit 1

# 1,500 entities in a ring with chords: dot takes minutes over it.
awk 'BEGIN {
	n = 1500
	print "entities:"
	for (i = 0; i < n; i++) printf "  e%d: {type: person}\n", i
	print "relations:"
	for (i = 0; i < n; i++) {
		printf "  - [e%d, knows, e%d]\n", i, (i + 1) % n
		printf "  - [e%d, knows, e%d]\n", i, (i * 7 + 3) % n
	}
}' > big.yaml

# The pids of the processes whose parent is $1.
children() { pgrep -P "$1"; }

# Is process $1 still running (not gone, not a zombie waiting to be reaped)?
running() { [ -d /proc/$1 ] && [ "$(cut -d' ' -f3 /proc/$1/stat 2>/dev/null)" != Z ]; }

# SIGKILL cannot be handled: then the kernel kills the child when its
# parent dies (PR_SET_PDEATHSIG), a moment later.
for sig in TERM:15 HUP:1 KILL:9; do
	number=${sig#*:}
	sig=${sig%:*}
	"$KGRAPH" render big.yaml --engine dot --timeout 300 -o out-$sig.svg 2>/dev/null &
	pid=$!
	child=""
	tries=0
	while [ -z "$child" ] && [ $tries -lt 600 ]; do
		child=$(children $pid)
		[ -n "$child" ] || sleep 0.1
		tries=$((tries + 1))
	done
	if [ -z "$child" ]; then
		fail "$sig: no Graphviz child appeared"
		kill -KILL $pid
		continue
	fi
	kill -$sig $pid
	wait $pid
	code=$?
	want=$((128 + number))
	[ "$code" = "$want" ] || fail "$sig: exit status $code, not $want"
	tries=0
	while running $child && [ $tries -lt 50 ]; do
		sleep 0.1
		tries=$((tries + 1))
	done
	if running $child; then
		fail "$sig: the Graphviz child $child runs on"
		kill -KILL $child
	fi
	left=$(ls | grep -v '^big\.yaml$')
	[ -z "$left" ] || fail "$sig: files left: $left"
done
[ "$failed" = 0 ] && echo "ok"
exit $failed
