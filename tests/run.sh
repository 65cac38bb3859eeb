#!/bin/sh
# Runs the whole suite: every unit-test binary, then every tests/test_*.sh
# script (command-line, bad-input, determinism, outputs). Each prints
# "RESULT passed failed" lines; the totals end with one line
# "N passed, M failed", and the exit code is non-zero when anything failed
# (a test that crashes counts as one failure).
# Needs FUELSIM (the binary) and TESTBIN_DIR (unit-test binaries).
cd "$(dirname "$0")/.." || exit 2
: "${FUELSIM:=./fuelsim}" "${TESTBIN_DIR:=build/tests}"
export FUELSIM
pass=0; fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# tally NAME RC: add up the RESULT lines of $tmp/out (no pipes: the sums
# must survive in this shell); a non-zero exit without a failure counted is
# one failure.
tally() {
    p=$(awk '/^RESULT /{s+=$2} END{print s+0}' "$tmp/out")
    f=$(awk '/^RESULT /{s+=$3} END{print s+0}' "$tmp/out")
    if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "$1: exited with status $2" >&2; fi
    echo "$1: $p passed, $f failed"
    pass=$((pass + p)); fail=$((fail + f))
}
for t in "$TESTBIN_DIR"/test_*; do
    [ -x "$t" ] || continue
    "$t" >"$tmp/out" 2>"$tmp/err"; rc=$?
    [ $rc -ne 0 ] && grep -v '^  ' "$tmp/err" >&2
    tally "$(basename "$t")" $rc
done
for s in tests/test_*.sh; do
    [ -f "$s" ] || continue
    sh "$s" >"$tmp/out" 2>"$tmp/err"; rc=$?
    cat "$tmp/err" >&2
    grep -v '^RESULT ' "$tmp/out" >&2
    tally "$(basename "$s")" $rc
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
