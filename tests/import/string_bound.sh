#!/bin/sh
# string_bound.sh KGRAPH WORKDIR - KG_MAX_JSON_STRING_BYTES: a JSON string
# one byte over 16 MiB is refused at its line and column, nothing written;
# one exactly at the bound is read.
set -e
kgraph=$1 work=$2
mkdir -p "$work"
for n in 16777216 16777217; do
  { printf '{"nodes": [{"id": "a", "note": "'; head -c "$n" /dev/zero | tr '\0' 'x'; printf '"}]}\n'; } > "$work/s$n.json"
done
rm -f "$work/out.yaml"
"$kgraph" import -F json "$work/s16777216.json" -o "$work/ok.yaml" 2>/dev/null
if "$kgraph" import -F json "$work/s16777217.json" -o "$work/out.yaml" 2> "$work/err"; then
  echo "a string over the bound was read"; exit 1
fi
grep -q 's16777217.json:1:32: error: a string longer than 16777216 bytes (KG_MAX_JSON_STRING_BYTES)' "$work/err" || {
  cat "$work/err"; exit 1; }
test ! -e "$work/out.yaml" || { echo "something was written"; exit 1; }
echo "string_bound: ok"
