#!/bin/sh
# Outputs are written whole or not at all: a full disk or an unwritable
# output folder gives a clear message and exit 1, leaves no partial or
# temporary file, and leaves earlier results intact. Uses small tmpfs
# mounts (needs root); without them the checks are reported as skipped.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
F=$FUELSIM
S="$top/tests/supply/one_lorry"
work=$(mktemp -d)
cleanup() { umount "$work/full" 2>/dev/null; umount "$work/ro" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# An output path below a regular file cannot be created.
: >"$work/afile"
"$F" run "$S" --seed 1 --out "$work/afile/out" >/dev/null 2>"$work/err"
check "output under a file: exit 1" [ $? -eq 1 ]
check "output under a file: message names the folder" grep -q "cannot create $work/afile/out" "$work/err"

# A device or a pipe given as an output is written in place, not replaced by a
# file (a temporary renamed over /dev/null would turn it into a regular file).
mkfifo "$work/fifo"
cat "$work/fifo" >"$work/from_fifo" &
"$F" plan "$S" --seed 1 --out "$work/plan" --write-lp "$work/fifo" >/dev/null 2>"$work/err"
rc=$?
wait
check "LP written into a pipe: exit 0" [ $rc -eq 0 ]
check "LP written into a pipe: the pipe is still a pipe" [ -p "$work/fifo" ]
check "LP written into a pipe: the reader got the LP" grep -q "Minimize\|minimize" "$work/from_fifo"

mkdir -p "$work/full" "$work/ro"
if ! mount -t tmpfs -o size=256k tmpfs "$work/full" 2>/dev/null; then
    echo "SKIP: cannot mount tmpfs (not root?): full-disk checks not run" >&2
    done_tests
    exit 0
fi
# A first run fits; keep its bytes.
"$F" run "$S" --seed 1 --out "$work/full/out" >/dev/null 2>"$work/err"; rc=$?
check "first run on the small disk succeeds: $(cat "$work/err")" [ $rc -eq 0 ]
cp -r "$work/full/out" "$work/before"
# Fill the disk, leaving too little for another trace.
dd if=/dev/zero of="$work/full/filler" bs=1k count=1000 2>/dev/null
"$F" run "$S" --seed 2 --out "$work/full/out" >/dev/null 2>"$work/err"
check "full disk: exit 1" [ $? -eq 1 ]
check "full disk: clear message" grep -q "No space left on device" "$work/err"
check "full disk: earlier results intact" diff -r "$work/before" "$work/full/out"
check "full disk: no temporary files left" sh -c "! ls '$work/full/out' | grep -q tmp"

# A read-only file system.
mount -t tmpfs -o size=256k,ro tmpfs "$work/ro"
"$F" run "$S" --seed 1 --out "$work/ro/out" >/dev/null 2>"$work/err"
check "read-only: exit 1" [ $? -eq 1 ]
check "read-only: clear message" grep -q "Read-only file system" "$work/err"
done_tests
