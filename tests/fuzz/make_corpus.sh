#!/bin/sh
# Seed corpus for the loader fuzzer: each scenario of tests/ (the bad-input
# base, every bad-input case laid over it, the small supply scenarios, the
# fuzz regressions) packed as its files joined by NUL bytes, in the order
# fuzz_loader.c expects. Usage: make_corpus.sh OUTDIR
set -e
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$1
mkdir -p "$out"
files="scenario.json areas.csv fragility.csv restoration.csv earthquakes.csv facilities.csv demand.csv components.csv stock.csv links.csv assets.csv consumption.csv tsunami.csv grid.csv"
pack() { # pack DIR NAME
    first=1
    for f in $files; do
        [ $first -eq 1 ] || printf '\000'
        first=0
        [ -f "$1/$f" ] && cat "$1/$f"
    done >"$out/$2"
}
base="$top/tests/bad-input/base"
pack "$base" base
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for c in "$top"/tests/bad-input/*/; do
    name=$(basename "$c")
    [ "$name" = base ] && continue
    rm -rf "$tmp/s" && cp -r "$base" "$tmp/s"
    for f in "$c"*; do cp "$f" "$tmp/s/" 2>/dev/null || true; done
    pack "$tmp/s" "bad_$name"
done
for s in "$top"/tests/supply/*/ "$top"/tests/scenarios/*/; do
    [ -f "$s/scenario.json" ] && pack "$s" "scn_$(basename "$s")"
done
[ -d "$top/tests/fuzz/regressions" ] && cp "$top"/tests/fuzz/regressions/* "$out/" 2>/dev/null || true
exit 0
