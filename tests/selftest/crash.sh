# Self-test of the harness: killed by a signal after its checks passed;
# run.sh must fail.
. "$(dirname "$0")/../lib.sh"
check "true is true" true
kill -SEGV $$
done_tests
