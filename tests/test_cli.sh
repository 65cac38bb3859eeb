#!/bin/sh
# The command-line contract: help, usage errors (exit 2), commands not built
# yet (exit 1), validate on the embedded and test scenarios.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
F=$FUELSIM

"$F" --help >/tmp/fuelsim_cli_$$ 2>&1
check "--help exits 0" [ $? -eq 0 ]
for c in validate hazard fragility damage run sweep plan drill bcp compare report bench; do
    check "--help lists $c" grep -q "^  $c " /tmp/fuelsim_cli_$$
    "$F" $c --help >/dev/null 2>&1
    check "$c --help exits 0" [ $? -eq 0 ]
done
rm -f /tmp/fuelsim_cli_$$

"$F" >/dev/null 2>&1;                          check "no command exits 2" [ $? -eq 2 ]
"$F" frobnicate >/dev/null 2>&1;               check "unknown command exits 2" [ $? -eq 2 ]
"$F" validate --bogus x >/dev/null 2>&1;       check "unknown option exits 2" [ $? -eq 2 ]
"$F" validate >/dev/null 2>&1;                 check "missing argument exits 2" [ $? -eq 2 ]
"$F" validate a b >/dev/null 2>&1;             check "extra argument exits 2" [ $? -eq 2 ]
err=$("$F" validate --bogus x 2>&1 >/dev/null)
check "usage on stderr" sh -c "printf '%s' \"$err\" | grep -q 'usage: fuelsim validate'"
"$F" validate "$top/tests/nonexistent" >/dev/null 2>&1; check "missing folder exits 2" [ $? -eq 2 ]

# Commands whose issue has not landed say so and exit 1.
for c in run sweep plan drill bcp compare report; do
    if "$F" $c --help 2>/dev/null | grep -q 'not built yet'; then
        "$F" $c x >/dev/null 2>&1
        check "$c not built: exit 1" [ $? -eq 1 ]
    fi
done

for s in "$top"/scenarios/tokyo-bay "$top"/tests/scenarios/*/; do
    [ -f "$s/scenario.json" ] || continue
    out=$("$F" validate "$s" 2>&1); rc=$?
    check "validate $(basename "$s"): $out" [ $rc -eq 0 ]
done
done_tests
