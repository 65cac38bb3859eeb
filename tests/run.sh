#!/bin/sh
# Runs the whole suite: every unit-test binary, then every tests/*.sh script
# (command-line, bad-input, determinism). Each prints "RESULT passed failed" lines;
# the totals end with one line "N passed, M failed", non-zero exit on failure.
# Needs FUELSIM (the binary) and TESTBIN_DIR (unit-test binaries).
cd "$(dirname "$0")/.." || exit 2
: "${FUELSIM:=./fuelsim}" "${TESTBIN_DIR:=build/tests}"
export FUELSIM
pass=0; fail=0
tally() { # $1 = name, stdin = output
    r=$(grep '^RESULT ' | awk '{p+=$2; f+=$3} END {print p+0, f+0}')
    p=${r% *}; f=${r#* }
    echo "$1: $p passed, $f failed"
    pass=$((pass + p)); fail=$((fail + f))
}
for t in "$TESTBIN_DIR"/test_*; do
    [ -x "$t" ] || continue
    out=$("$t" 2>"$TESTBIN_DIR/.stderr") ; rc=$?
    [ $rc -ne 0 ] && [ $rc -ne 1 ] && { cat "$TESTBIN_DIR/.stderr" >&2; out="$out
RESULT 0 1"; }
    [ $rc -eq 1 ] && grep -v '^  ' "$TESTBIN_DIR/.stderr" >&2
    printf '%s\n' "$out" | tally "$(basename "$t")"
done
for s in tests/test_*.sh; do
    [ -f "$s" ] || continue
    out=$(sh "$s" 2>&1); rc=$?
    printf '%s\n' "$out" | grep -v '^RESULT ' >&2
    [ $rc -gt 1 ] && out="$out
RESULT 0 1"
    printf '%s\n' "$out" | tally "$(basename "$s")"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
