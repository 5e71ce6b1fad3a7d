#!/usr/bin/env bash
# completions.sh - the generated shell completions parse, and offer what
# the option tables hold.
#
#   bash tests/cli/completions.sh DIR   # DIR holds kgraph.bash, _kgraph, kgraph.fish
#
# bash is always checked; zsh and fish only when installed (their checks
# print "skipped" otherwise). Exits non-zero on the first failure.
set -euo pipefail
dir=$1
fail() { echo "completions: $*" >&2; exit 1; }

bash -n "$dir/kgraph.bash" || fail "bash -n kgraph.bash"

# Complete words as bash would: COMP_WORDS up to the cursor word.
complete_bash() {
	bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _kgraph; printf "%s\n" "${COMPREPLY[@]}"' \
		_ "$dir/kgraph.bash" "$@"
}
expect() { # expect WORD COMMAND-WORDS...: WORD is among the completions
	local want=$1
	shift
	complete_bash "$@" | grep -x -- "$want" >/dev/null || fail "bash: '${*}<TAB>' does not offer '$want' (offers: $(complete_bash "$@" | tr '\n' ' '))"
}
expect path kgraph pa
expect dot kgraph render --engine ''
expect sfdp kgraph render --engine ''
expect twopi kgraph path --engine t
expect dark kgraph render --theme ''
expect json kgraph neighbors --format ''
expect --max-hops kgraph path --max-h
expect --depth kgraph neighbors --de
expect --version kgraph --v
expect render kgraph help r
[ -z "$(complete_bash kgraph path --max-hops '')" ] || fail "bash: a number is completed"

if command -v zsh >/dev/null; then
	zsh -n "$dir/_kgraph" || fail "zsh -n _kgraph"
	grep -q "'--engine=\[.*\]:ENGINE:(auto dot neato fdp sfdp circo twopi)'" "$dir/_kgraph" ||
		fail "zsh: --engine does not offer the engines"
else
	echo "completions: zsh not installed: skipped"
fi

if command -v fish >/dev/null; then
	fish -n "$dir/kgraph.fish" || fail "fish -n kgraph.fish"
	out=$(fish --no-config -c 'source $argv[1]; complete -C "kgraph pa"; complete -C "kgraph render --engine "' "$dir/kgraph.fish")
	grep -q '^path' <<<"$out" || fail "fish: 'kgraph pa' does not offer path"
	grep -qx 'sfdp' <<<"$out" || fail "fish: 'kgraph render --engine ' does not offer sfdp"
else
	echo "completions: fish not installed: skipped"
fi
echo "completions: ok"
