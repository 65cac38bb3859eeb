# Self-test of the harness: a check that fails; run.sh must fail.
. "$(dirname "$0")/../lib.sh"
check "true is true" true
check "false is true (deliberately wrong)" false
done_tests
