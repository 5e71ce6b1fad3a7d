#!/bin/sh
# output_files.sh - what `kgraph render -o OUT` (and `export -o`) does to what is already at
# OUT (issue 12): a regular file is replaced whole but keeps its
# permissions, one the user may not write is refused (exit 4), and a
# device, a FIFO, a symbolic link or /dev/stdout is written in place and
# stays what it was.
#
#   sh output_files.sh path/to/kgraph scratch/dir
#
# Run as root, the refusal is checked as the user nobody (setpriv), since
# root may write any file; without setpriv that part is skipped. Only a
# device node made here is written, never the system's /dev/null, and
# /dev/stdout is written as nobody, who cannot replace it even if the code
# tried.
set -u
KGRAPH=$1
WORK=$2
failed=0
fail() { echo "FAIL: $*"; failed=1; }

umask 022
rm -rf "$WORK"
mkdir -p "$WORK" || exit 1
cd "$WORK" || exit 1
printf 'entities:\n  ada: {type: person}\n  bo: {type: person}\nrelations:\n  - [ada, knows, bo]\n' > g.yaml

render() { "$KGRAPH" render g.yaml -T svg "$@"; }
is_svg() { head -c 5 "$1" | grep -q '^<?xml'; }
mode() { stat -c %a "$1"; }

nobody=""
if [ "$(id -u)" = 0 ]; then
	if command -v setpriv >/dev/null 2>&1; then
		nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
		chmod 755 "$WORK"
	fi
fi
as_user() { $nobody "$@"; }

# A private file stays private (it became 0644 through the rename).
printf 'old' > private.svg && chmod 600 private.svg
render -o private.svg || fail "private: exit $?"
is_svg private.svg || fail "private: not replaced"
[ "$(mode private.svg)" = 600 ] || fail "private: mode $(mode private.svg), not 600"

# A read-only file: its mode is kept when the user may write it anyway
# (root), and it is refused otherwise.
printf 'old' > readonly.svg && chmod 444 readonly.svg
if [ "$(id -u)" = 0 ]; then
	render -o readonly.svg || fail "readonly as root: exit $?"
	is_svg readonly.svg || fail "readonly as root: not replaced"
	[ "$(mode readonly.svg)" = 444 ] || fail "readonly as root: mode $(mode readonly.svg), not 444"
fi
if [ "$(id -u)" != 0 ] || [ -n "$nobody" ]; then
	mkdir user && cp g.yaml user/ && printf 'old' > user/readonly.svg && chmod 444 user/readonly.svg
	[ -n "$nobody" ] && chown -R 65534:65534 user
	err=$(cd user && as_user "$KGRAPH" render g.yaml -T svg -o readonly.svg 2>&1)
	code=$?
	[ "$code" = 4 ] || fail "readonly: exit $code, not 4 ($err)"
	[ "$err" = "kgraph: error: cannot write 'readonly.svg': Permission denied" ] ||
		fail "readonly: stderr '$err'"
	[ "$(cat user/readonly.svg)" = old ] || fail "readonly: the file was replaced"
	[ -z "$(ls user | grep tmp)" ] || fail "readonly: a temporary file was left: $(ls user)"

	# /dev/stdout is written through, whatever it leads to.
	as_user sh -c "cd user && '$KGRAPH' render g.yaml -T svg -o /dev/stdout | cat" > stdout.svg ||
		fail "/dev/stdout: exit $?"
	is_svg stdout.svg || fail "/dev/stdout: nothing written"
else
	echo "skipped: the refusal of a read-only file (root, and no setpriv to run as nobody)"
fi

# A device stays a device (as root, -o /dev/null replaced /dev/null).
if [ "$(id -u)" = 0 ]; then
	mknod null c 1 3 || fail "mknod"
	render -o null || fail "device: exit $?"
	[ -c null ] || fail "device: no longer a character device"
fi

# A FIFO stays a FIFO, and its reader gets the drawing.
mkfifo fifo.svg
timeout 20 cat fifo.svg > from-fifo.svg &
reader=$!
timeout 20 "$KGRAPH" render g.yaml -T svg -o fifo.svg || fail "fifo: exit $?"
wait $reader || fail "fifo: the reader got nothing (exit $?)"
[ -p fifo.svg ] || fail "fifo: no longer a FIFO"
is_svg from-fifo.svg || fail "fifo: the reader did not get the drawing"

# A symbolic link stays a link, and the file it points to is written.
mkdir kept && printf 'old' > kept/real.svg && ln -s kept/real.svg link.svg
render -o link.svg || fail "link: exit $?"
[ -L link.svg ] || fail "link: no longer a symbolic link"
is_svg kept/real.svg || fail "link: the file it points to was not written"

# export writes its files the same way (kgraph/file.h).
printf 'old' > private.json && chmod 600 private.json
"$KGRAPH" export -T json g.yaml -o private.json || fail "export private: exit $?"
grep -q '"nodes"' private.json || fail "export private: not replaced"
[ "$(mode private.json)" = 600 ] || fail "export private: mode $(mode private.json), not 600"
mkfifo fifo.json
timeout 20 cat fifo.json > from-fifo.json &
reader=$!
timeout 20 "$KGRAPH" export -T json g.yaml -o fifo.json || fail "export fifo: exit $?"
wait $reader || fail "export fifo: the reader got nothing (exit $?)"
[ -p fifo.json ] || fail "export fifo: no longer a FIFO"
grep -q '"nodes"' from-fifo.json || fail "export fifo: the reader did not get the export"

left=$(ls -a . kept | grep '\.tmp-')
[ -z "$left" ] || fail "temporary files left: $left"
[ "$failed" = 0 ] && echo "ok"
exit $failed
