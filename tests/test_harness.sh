#!/bin/sh
# The harness cannot lie: tests/run.sh on each deliberately broken script of
# tests/selftest/ (a failing check, an exit before the summary, a crash, a
# status lost behind a command substitution) and on a crashing unit-test
# binary must fail; on a passing script it must succeed. And no real check
# reads $? after a command substitution in its own arguments (in bash that is
# the substitution's status, so a failing command would pass).
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
tmp_dir harness
mkdir "$T/nobin" "$T/crashbin"
cp "$top/tests/selftest/crash_bin" "$T/crashbin/test_crash"

suite() { # suite TESTBIN_DIR SCRIPT: the exit status of run.sh on them alone
    TESTBIN_DIR=$1 TEST_SCRIPTS=$2 sh "$top/tests/run.sh" >"$T/out" 2>&1
}
suite "$T/nobin" tests/selftest/passes.sh
rc=$?
check "run.sh passes a passing script: $(tail -1 "$T/out")" [ $rc -eq 0 ]
for s in failing_check early_exit crash lost_status; do
    suite "$T/nobin" tests/selftest/$s.sh; rc=$?
    check "run.sh fails on selftest/$s.sh: $(tail -1 "$T/out")" [ $rc -ne 0 ]
done
suite "$T/crashbin" tests/selftest/passes.sh; rc=$?
check "run.sh fails on a unit binary that crashes after its RESULT line" [ $rc -ne 0 ]
suite "$T/nobin" tests/selftest/nonexistent.sh; rc=$?
check "run.sh fails when nothing ran" [ $rc -ne 0 ]

# The lost status under both shells, when installed.
for sh in dash bash; do
    command -v $sh >/dev/null 2>&1 || continue
    $sh "$top/tests/selftest/lost_status.sh" >"$T/out" 2>/dev/null
    check "$sh: a wrong status fails its check" grep -qx 'RESULT 0 1' "$T/out"
done

# No check of the real suite takes $? after a substitution in its arguments.
if grep -n 'check .*\$(.*\[ \$? ' "$top"/tests/*.sh >"$T/lint"; then bad "\$? after a substitution: $(cat "$T/lint")"; else ok; fi
done_tests
