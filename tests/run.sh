#!/bin/sh
# Runs the whole suite: every unit-test binary, then every tests/test_*.sh
# script (command-line, bad-input, determinism, outputs). Each prints
# "RESULT passed failed" lines; the totals end with one line
# "N passed, M failed", and the exit code is non-zero when anything failed
# (a test that crashes counts as one failure).
# Needs FUELSIM (the binary) and TESTBIN_DIR (unit-test binaries); TEST_SCRIPTS
# (default tests/test_*.sh) names the scripts, so that tests/test_harness.sh
# can run this file on the deliberately broken scripts of tests/selftest/.
cd "$(dirname "$0")/.." || exit 2
: "${FUELSIM:=./fuelsim}" "${TESTBIN_DIR:=build/tests}" "${TEST_SCRIPTS:=tests/test_*.sh}"
export FUELSIM
pass=0; fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# tally NAME RC: add up the RESULT lines of $tmp/out (no pipes: the sums
# must survive in this shell). A test whose output does not end with its
# RESULT line stopped early (an exit before done_tests, a crash): one
# failure; so is a non-zero exit without a failure counted.
tally() {
    p=$(awk '/^RESULT /{s+=$2} END{print s+0}' "$tmp/out")
    f=$(awk '/^RESULT /{s+=$3} END{print s+0}' "$tmp/out")
    case $(tail -n 1 "$tmp/out") in
        "RESULT "*) ;;
        *) f=$((f + 1)); echo "$1: ended without its RESULT line" >&2 ;;
    esac
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
for s in $TEST_SCRIPTS; do
    [ -f "$s" ] || continue
    sh "$s" >"$tmp/out" 2>"$tmp/err"; rc=$?
    cat "$tmp/err" >&2
    grep -v '^RESULT ' "$tmp/out" >&2
    tally "$(basename "$s")" $rc
done
# Nothing counted at all means nothing was tested.
[ $((pass + fail)) -eq 0 ] && { echo "no test ran" >&2; fail=1; }
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
