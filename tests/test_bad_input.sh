#!/bin/sh
# Every tests/bad-input/CASE/ is the base scenario with some files replaced
# (and an optional setup.sh run in the copy). Validation must exit 2, print
# each line of CASE/expected exactly (DIR stands for the scenario folder),
# and write nothing. Then: the base loads, and so does a BOM + CRLF copy.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
base="$top/tests/bad-input/base"

"$FUELSIM" validate "$base" >"$work/out" 2>&1; rc=$?
check "base scenario validates: $(head -3 "$work/out")" [ $rc -eq 0 ]

for c in "$top"/tests/bad-input/*/; do
    name=$(basename "$c")
    [ "$name" = base ] && continue
    d="$work/$name"
    cp -r "$base" "$d"
    for f in "$c"*; do
        case $(basename "$f") in expected|setup.sh) ;; *) cp "$f" "$d/" ;; esac
    done
    [ -f "$c/setup.sh" ] && (cd "$d" && sh "$c/setup.sh")
    before=$(ls -la "$d" | md5sum)
    "$FUELSIM" validate "$d" >"$work/out" 2>"$work/err"
    rc=$?
    if [ $rc -ne 2 ]; then bad "$name: exit code $rc, expected 2"; continue; fi
    ok
    missing=0
    while IFS= read -r line; do
        want=$(printf '%s' "$line" | sed "s|DIR|$d|g")
        grep -qxF -- "$want" "$work/err" || { missing=1; bad "$name: no line '$want' in: $(cat "$work/err")"; }
    done <"$c/expected"
    [ $missing -eq 0 ] && ok
    [ "$(ls -la "$d" | md5sum)" = "$before" ] && [ ! -s "$work/out" ] && ok || bad "$name: something was written"
done

# A byte-order mark and CRLF line ends are accepted.
d="$work/bom_crlf"
cp -r "$base" "$d"
for f in "$d"/*.csv "$d"/scenario.json; do
    { printf '\357\273\277'; sed 's/$/\r/' "$f"; } >"$f.new" && mv "$f.new" "$f"
done
"$FUELSIM" validate "$d" >"$work/out" 2>&1; rc=$?
check "BOM + CRLF scenario validates: $(head -3 "$work/out")" [ $rc -eq 0 ]

# Quoted fields may span lines; the row after one keeps its true line number.
d="$work/multiline"
cp -r "$base" "$d"
printf 'id,name_en,name_ja,source\na1,"Area\none",第一地区,test\n"a 2",x,y,z\n' >"$d/areas.csv"
"$FUELSIM" validate "$d" 2>"$work/err" >/dev/null
check "line numbers count physical lines" grep -qxF "$d/areas.csv:4: id: \"a 2\" is not an id (ASCII letters, digits, '_' or '-', at most 64)" "$work/err"

done_tests
