# Self-test of the harness: a command exits 3 and the check wants 0, with a
# command substitution in the description (as the real scripts have); the
# status is taken right after the command, so the check fails whatever sh is.
. "$(dirname "$0")/../lib.sh"
echo "some error text" >"${TMPDIR:-/tmp}/fuelsim_selftest_err.$$"
sh -c 'exit 3'; rc=$?
check "command exits 0: $(cat "${TMPDIR:-/tmp}/fuelsim_selftest_err.$$")" [ $rc -eq 0 ]
rm -f "${TMPDIR:-/tmp}/fuelsim_selftest_err.$$"
done_tests
