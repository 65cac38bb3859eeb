#!/bin/sh
# Memcheck over short real jobs: a small sweep of the embedded scenario on two
# threads, one traced run, and a scenario with bad input. Any memory error or
# definite/indirect leak fails (libgomp's thread pool is "possibly lost" by
# design and not counted). Usage: valgrind.sh FUELSIM
F=${1:-./fuelsim}
command -v valgrind >/dev/null || { apt-get install -y -qq valgrind >/dev/null; }
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
VG="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --show-possibly-lost=no --error-exitcode=99"
fail=0
$VG "$F" sweep "$top/scenarios/tokyo-bay" -n 4 --threads 2 --out "$work/sweep" >/dev/null 2>"$work/err" || { cat "$work/err"; fail=1; }
$VG "$F" run "$top/scenarios/tokyo-bay" --seed 3 --out "$work/run" >/dev/null 2>"$work/err" || { cat "$work/err"; fail=1; }
$VG "$F" validate "$top/tests/bad-input/base" >/dev/null 2>"$work/err" || { cat "$work/err"; fail=1; }
cp -r "$top/tests/bad-input/base" "$work/bad"
cp "$top/tests/bad-input/several_problems/assets.csv" "$work/bad/"
$VG "$F" validate "$work/bad" >/dev/null 2>"$work/err"
[ $? -eq 2 ] || { cat "$work/err"; fail=1; }
[ $fail -eq 0 ] && echo "valgrind: clean (sweep, run, validate, bad input)"
exit $fail
