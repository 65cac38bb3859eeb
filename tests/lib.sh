# Shell test helpers: ok/bad count results; each script ends with `done_tests`.
# FUELSIM is the binary under test.
: "${FUELSIM:=./fuelsim}"
T_PASS=0; T_FAIL=0
ok()  { T_PASS=$((T_PASS + 1)); }
bad() { T_FAIL=$((T_FAIL + 1)); echo "FAIL: $*" >&2; }
check() { # check "description" command...
    d=$1; shift
    if "$@"; then ok; else bad "$d"; fi
}
done_tests() { echo "RESULT $T_PASS $T_FAIL"; }
tmp_dir() { # tmp_dir NAME: T is a new folder under $TMPDIR (or /tmp), removed on exit
    T=$(mktemp -d "${TMPDIR:-/tmp}/fuelsim-$1.XXXXXX")
    trap 'rm -rf "$T"' EXIT
}
