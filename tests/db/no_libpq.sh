#!/bin/sh
# no_libpq.sh KGRAPH GRAPH - kgraph without libpq on the machine: a --db
# command says so, with a hint, and exits 4; a command on files works and
# loads nothing of libpq (src/db/db_pq.h opens it on first use). libpq is
# hidden by mounting /dev/null over it in a mount namespace of its own,
# which needs root and unshare: skipped (77) without them.
set -u
kgraph=$1
graph=$2
lib=$(ldconfig -p 2>/dev/null | awk '/libpq\.so\.5 /{print $NF; exit}')
if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null || [ -z "$lib" ] ||
   ! unshare -m true 2>/dev/null; then
	echo "SKIP: needs root, unshare and libpq.so.5 to hide"
	exit 77
fi
lib=$(readlink -f "$lib")
exec unshare -m sh -c '
	set -u
	mount --bind /dev/null "$1" || exit 77
	err=$("$2" path --db "host=/nonexistent dbname=x" --graph g a b 2>&1 >/dev/null)
	code=$?
	[ "$code" = 4 ] || { echo "FAIL: --db without libpq exited $code, not 4"; exit 1; }
	case $err in
	*"PostgreSQL support needs libpq, which could not be loaded"*"install libpq5"*) ;;
	*) echo "FAIL: unexpected message: $err"; exit 1 ;;
	esac
	out=$("$2" path biden starmer "$3") || { echo "FAIL: a command on files failed without libpq"; exit 1; }
	[ -n "$out" ] || { echo "FAIL: no path printed"; exit 1; }
	echo "ok: $err"
' sh "$lib" "$kgraph" "$graph"
