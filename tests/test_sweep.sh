#!/bin/sh
# `fuelsim sweep` from the command line: the same bytes on 1 and 2 threads;
# kill -9 mid-sweep then --resume gives the same files as an uninterrupted
# run; SIGINT stops with exit 130 and prints the command that resumes, and
# resuming with another seed is refused (exit 2); usage errors exit 2; and,
# when Open MPI is installed, 2 ranks write the same files as 1 process
# (the MPI binary is built here, in its own folder under the build folder).
# Greedy dispatch: these check the runner; test_plan.sh checks optimised sweeps.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
F=$FUELSIM
S="$top/tests/bad-input/base"
tmp_dir sweep-sh

same() { # same DIR1 DIR2: the three outputs are identical
    for f in replicates.csv summary.json bands.csv; do
        cmp -s "$1/$f" "$2/$f" || { echo "  $f differs: $1 $2" >&2; return 1; }
    done
}

ckpt_done() { # replicates recorded in DIR's checkpoint, 0 when none yet
    sed -n 's/^done //p' "$1/sweep.ckpt" 2>/dev/null | head -1 | grep . || echo 0
}

# Start a sweep of N replicates in the background into DIR (pid in $pid),
# and wait until its checkpoint holds at least 500 of them.
start_and_wait() { # DIR N
    FUELSIM_CKPT_INTERVAL=0.02 "$F" sweep "$S" --policy greedy -n "$2" --threads 1 --out "$1" >"$1.out" 2>"$1.err" &
    pid=$!
    i=0
    while [ "$(ckpt_done "$1")" -lt 500 ] && [ $i -lt 1000 ] && kill -0 $pid 2>/dev/null; do
        sleep 0.01; i=$((i + 1))
    done
}

# Start a sweep of N replicates into DIR as start_and_wait does, then send
# it SIGNAL; its exit code in $rc.
stop_sweep() { # SIGNAL DIR
    start_and_wait "$2" $N
    kill -"$1" $pid 2>/dev/null
    { wait $pid; } 2>/dev/null; rc=$?
}

# ---- threads -------------------------------------------------------------
"$F" sweep "$S" --policy greedy -n 400 --seed 7 --threads 1 --out "$T/t1" >"$T/t1.out" 2>"$T/t1.err"
check "sweep on 1 thread exits 0" [ $? -eq 0 ]
"$F" sweep "$S" --policy greedy -n 400 --seed 7 --threads 2 --out "$T/t2" >/dev/null 2>&1
check "sweep on 2 threads exits 0" [ $? -eq 0 ]
check "1 and 2 threads write the same files" same "$T/t1" "$T/t2"
check "replicates.csv has a header and 400 rows" [ "$(wc -l <"$T/t1/replicates.csv")" -eq 401 ]
check "replicates.csv starts with the headline columns" \
    grep -q '^replicate,weighted_shortfall,dry_hours_class1,t90_supply_h,resilience_loss,unserved_kl_class1' "$T/t1/replicates.csv"
check "summary.json has the run and the metrics" grep -q '"weighted_shortfall"' "$T/t1/summary.json"
check "summary.json has per-facility damage states" grep -q '"damage_state"' "$T/t1/summary.json"
check "bands.csv has an hour column" grep -q '^hour,served_class1_p10,served_class1_p50,served_class1_p90' "$T/t1/bands.csv"
check "headline on stdout" grep -q 'weighted shortfall' "$T/t1.out"
check "one progress line on stderr when not a terminal" [ "$(wc -l <"$T/t1.err")" -eq 1 ]
check "no checkpoint left after a finished sweep" [ ! -e "$T/t1/sweep.ckpt" ]

# ---- kill -9, then --resume ------------------------------------------------
N=30000
"$F" sweep "$S" --policy greedy -n $N --threads 2 --out "$T/ref" >/dev/null 2>&1
check "reference sweep exits 0" [ $? -eq 0 ]

stop_sweep 9 "$T/k9"
check "kill -9 interrupted the sweep (exit $rc)" [ $rc -eq 137 ]
check "after kill -9 the rows are kept" [ -s "$T/k9/replicates.csv.part" ]
check "after kill -9 there is no replicates.csv yet" [ ! -e "$T/k9/replicates.csv" ]
"$F" sweep "$S" --policy greedy -n $N --threads 2 --out "$T/k9" --resume >/dev/null 2>"$T/k9.err2"
check "resume after kill -9 exits 0" [ $? -eq 0 ]
check "kill -9 then --resume equals an uninterrupted sweep" same "$T/ref" "$T/k9"

# ---- SIGINT: message, refusal with other arguments, resume -----------------
stop_sweep INT "$T/int"
check "SIGINT exits 130 (got $rc)" [ $rc -eq 130 ]
check "SIGINT says how many are saved" grep -q 'stopped after [0-9]* of 30000 replicates' "$T/int.err"
cmd=$(sed -n 's/^to resume: //p' "$T/int.err")
check "SIGINT prints the command to resume" sh -c "printf '%s' \"\$0\" | grep -q -- '--resume'" "$cmd"
"$F" sweep "$S" --policy greedy -n $N --seed 2 --out "$T/int" --resume >/dev/null 2>"$T/int.err2"
check "resume with another seed exits 2" [ $? -eq 2 ]
check "resume with another seed says why" grep -q 'other arguments' "$T/int.err2"
"$F" sweep "$S" --policy greedy -n 29999 --out "$T/int" --resume >/dev/null 2>&1
check "resume with another n exits 2" [ $? -eq 2 ]
# the same arguments on another scenario content (one more blank line), or a
# checkpoint written by another version: refused, naming what differs
cp -r "$S" "$T/S2" && printf '\n' >>"$T/S2/scenario.json"
"$F" sweep "$T/S2" -n $N --out "$T/int" --resume >/dev/null 2>"$T/int.err3"
check "resume on changed scenario files exits 2" [ $? -eq 2 ]
check "... and says the scenario content differs" grep -q 'scenario_sha256 differs' "$T/int.err3"
cp "$T/int/sweep.ckpt" "$T/ckpt.keep"
sed -i 's/version=[^ ]*/version=0.0.1+0123456789ab/' "$T/int/sweep.ckpt"
"$F" sweep "$S" -n $N --out "$T/int" --resume >/dev/null 2>"$T/int.err4"
check "resume from another version's checkpoint exits 2" [ $? -eq 2 ]
check "... and says the version differs" grep -q 'version differs: checkpoint 0.0.1+0123456789ab' "$T/int.err4"
cp "$T/ckpt.keep" "$T/int/sweep.ckpt"
sh -c "$cmd" >/dev/null 2>&1
check "the printed resume command exits 0" [ $? -eq 0 ]
check "SIGINT then resume equals an uninterrupted sweep" same "$T/ref" "$T/int"

# ---- SIGTERM ------------------------------------------------------------------
stop_sweep TERM "$T/term"
check "SIGTERM exits 143 (got $rc)" [ $rc -eq 143 ]
"$F" sweep "$S" --policy greedy -n $N --threads 1 --out "$T/term" --resume >/dev/null 2>&1
check "SIGTERM then resume equals an uninterrupted sweep" same "$T/ref" "$T/term"

# ---- usage and bad input -------------------------------------------------------
for args in "" "-n 10" "--out $T/u" "-n 0 --out $T/u" "-n x --out $T/u" "-n -3 --out $T/u" \
            "-n 10 --out $T/u --threads 0" "-n 10 --out $T/u --seed -1" \
            "-n 10 --out $T/u --policy fast" "-n 10 --out $T/u --quake nowhere" \
            "-n 10 --out $T/u --bogus"; do
    "$F" sweep "$S" $args >/dev/null 2>&1
    check "sweep $args exits 2" [ $? -eq 2 ]
done
"$F" sweep "$top/tests/nonexistent" -n 10 --out "$T/u" >/dev/null 2>&1
check "sweep of a missing folder exits 2" [ $? -eq 2 ]
"$F" sweep "$S" -n 3 --out "$T/opt" --policy optimise >/dev/null 2>"$T/opt.err"; rc=$?
check "--policy optimise runs: $(cat "$T/opt.err")" [ $rc -eq 0 ]
check "--policy optimise counts failed plans" grep -q 'plan_failures' "$T/opt/replicates.csv"
check "no output after usage errors" [ ! -e "$T/u/replicates.csv" ]

# The README's cluster recipe, as written, in a copy of the tree where `make run`
# has left a plain ./fuelsim and its objects: `make MPI=1` must give an MPI
# ./fuelsim whose ranks share one sweep. The recipe's commands are taken from
# the README; only its size is cut (-np 2, -n 24, one thread, this host) and
# mpirun is allowed to run as root here.
cluster_recipe() {
    R="$T/tree"
    mkdir -p "$R/build/mpi" "$R/scenarios"
    (cd "$top" && cp -rp Makefile sim models viz "$R/") &&
    cp -rp "$top/scenarios/tokyo-bay" "$R/scenarios/" &&
    cp -p "$F" "$R/fuelsim" && cp -p "$F" "$R/build/fuelsim" &&
    (cd "$B" && tar cf - --exclude=tests .) | (cd "$R/build/mpi" && tar xf -)
    check "the tree copies" [ $? -eq 0 ]
    awk '/^## Sweeps on a cluster/{c=1} c && /^```/{n++; next} c && n==1' "$top/README.md" \
        | sed -e 's/[[:space:]]*#.*$//' | awk '/\\$/{sub(/\\$/,""); printf "%s", $0; next} {print}' \
        | sed -e 's/-np 8/-np 2/' -e 's/-n 100000/-n 24/' -e 's/OMP_NUM_THREADS=4/OMP_NUM_THREADS=1/' \
              -e 's/^mpirun /mpirun --allow-run-as-root --oversubscribe /' >"$R/recipe.sh"
    check "the README has the recipe (make MPI=1, then mpirun)" \
        sh -c "grep -q '^make MPI=1' '$R/recipe.sh' && grep -q '^mpirun .*fuelsim sweep' '$R/recipe.sh'"
    echo "localhost slots=2" >"$R/hosts"
    # as typed in a shell: without the settings of a make that runs this test (make asan)
    (cd "$R" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u BUILD -u SAN -u OPT -u WERROR -u CFLAGS -u CC -u MPI sh -e recipe.sh) >"$T/recipe.log" 2>&1; rc=$?
    check "the README's cluster recipe runs: $(tail -3 "$T/recipe.log")" [ $rc -eq 0 ]
    check "make MPI=1 after make leaves an MPI ./fuelsim" sh -c "'$R/fuelsim' --version | grep -q 'Open MPI build'"
    check "the recipe's sweep wrote all its replicates" [ "$(wc -l <"$R/out/big/replicates.csv")" -eq 25 ]
    "$F" sweep "$R/scenarios/tokyo-bay" -n 24 --seed 1 --threads 1 --out "$T/big1" >/dev/null 2>&1
    check "... the same rows as one plain process" cmp -s "$R/out/big/replicates.csv" "$T/big1/replicates.csv"
}

# ---- Open MPI --------------------------------------------------------------------
if command -v mpirun >/dev/null 2>&1 && command -v mpicc >/dev/null 2>&1; then
    # next to the binary under test when it lives in a build folder
    case "$F" in build/*|*/build/*) B=$(dirname "$F")/mpi ;; *) B="$top/build/mpi" ;; esac
    # A plain build (no sanitizer: Open MPI's own allocations would be reported).
    if make -s -C "$top" MPI=1 BUILD="$B" SAN= OPT="-O2 -g" "$B/fuelsim" >"$T/mpi-build.log" 2>&1; then
        ok
        MPIRUN="mpirun --allow-run-as-root --oversubscribe"
        $MPIRUN -np 2 "$B/fuelsim" sweep "$S" --policy greedy -n 400 --seed 7 --threads 1 --out "$T/m2" >/dev/null 2>"$T/m2.err"
        check "sweep under mpirun -np 2 exits 0" [ $? -eq 0 ]
        check "2 MPI ranks write the same files as 1 process" same "$T/t1" "$T/m2"
        $MPIRUN -np 3 "$B/fuelsim" sweep "$S" --policy greedy -n 400 --seed 7 --threads 2 --out "$T/m3" >/dev/null 2>&1
        check "3 MPI ranks of 2 threads write the same files as 1 process" same "$T/t1" "$T/m3"
        # resume under MPI from a checkpoint of an interrupted single process
        start_and_wait "$T/mres" $N
        kill -INT $pid 2>/dev/null; wait $pid
        $MPIRUN -np 2 "$B/fuelsim" sweep "$S" --policy greedy -n $N --threads 1 --out "$T/mres" --resume >/dev/null 2>&1
        check "resume under mpirun -np 2 equals an uninterrupted sweep" same "$T/ref" "$T/mres"
        check "the MPI binary says so in --version" sh -c "'$B/fuelsim' --version | grep -q 'Open MPI build'"
        # A plain build under mpirun: stops at once, exit 2, says how to build, writes nothing.
        $MPIRUN -np 2 "$F" sweep "$S" -n 40 --seed 7 --threads 1 --out "$T/plain-mpi" >/dev/null 2>"$T/plain-mpi.err"
        check "a plain build under mpirun -np 2 exits 2" [ $? -eq 2 ]
        check "... says to build with make MPI=1" grep -q 'make MPI=1' "$T/plain-mpi.err"
        check "... and writes nothing" [ ! -e "$T/plain-mpi" ]
        cluster_recipe
    else
        bad "make MPI=1 failed: $(tail -5 "$T/mpi-build.log")"
    fi
else
    echo "test_sweep.sh: mpirun or mpicc not installed, MPI checks skipped" >&2
fi
done_tests
