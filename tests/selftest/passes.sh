# Self-test of the harness: one passing check; run.sh must succeed.
. "$(dirname "$0")/../lib.sh"
check "true is true" true
done_tests
