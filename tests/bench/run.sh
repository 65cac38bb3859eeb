#!/bin/sh
# `make bench`: engine speed on one core, one line of figures per run.
# M/M/1 with 1 million customers (goal: >= 16 million customers/s), M/M/c,
# and the hold model at several queue sizes (goal: <= 50 ns/event at 10,000
# pending). Each run is repeated and the fastest kept, which filters out
# interference from other processes; simulated figures do not change.
# Later benchmarks (the optimiser, issue #7) add lines below.
: "${FUELSIM:=./fuelsim}"
R=${BENCH_REPEAT:-5}
echo "== engine: M/M/c queue on the event queue and Resource"
"$FUELSIM" bench mmc --lambda 0.8 --mu 1 --servers 1 --customers 1000000 --seed 1 --repeat "$R" || exit 1
"$FUELSIM" bench mmc --lambda 0.95 --mu 1 --servers 1 --customers 1000000 --seed 1 --repeat "$R" || exit 1
"$FUELSIM" bench mmc --lambda 7.2 --mu 1 --servers 8 --customers 1000000 --seed 1 --repeat "$R" || exit 1
echo "== engine: hold model (Vaucher and Duval), exponential increments"
for p in 10 100 1000 10000 100000; do
    "$FUELSIM" bench hold --pending "$p" --events 5000000 --seed 1 --repeat "$R" || exit 1
done

# ---- supply chain (issue 5): greedy replicates of the embedded scenario's
# default earthquake on one thread, replicates and events per second.
echo "== supply chain: Tokyo Bay default earthquake, greedy dispatch, one thread"
"$FUELSIM" bench supply "$(dirname "$0")/../../scenarios/tokyo-bay" --reps 300 || exit 1

# ---- sweep (issue 6): replicates per second on 1 and 2 threads (the best of
# BENCH_SWEEP_REPEAT runs of BENCH_SWEEP_N replicates, as the sweep reports it:
# loading the scenario is left out), the speed-up (goal >= 1.85 on two
# cores), and one sweep of 10,000 replicates on 2 threads: wall time (goal
# < 120 s) and peak memory (goal < 200 MB), from /usr/bin/time.
echo "== sweep: Tokyo Bay default earthquake, greedy dispatch"
TB="$(dirname "$0")/../../scenarios/tokyo-bay"
SW=$(mktemp -d "${TMPDIR:-/tmp}/fuelsim-bench-sweep.XXXXXX")
SN=${BENCH_SWEEP_N:-300}
sweep_best() { # sweep_best THREADS: the highest replicates/s
    b=0; i=0
    while [ $i -lt "${BENCH_SWEEP_REPEAT:-3}" ]; do
        rm -rf "$SW/o"
        "$FUELSIM" sweep "$TB" -n "$SN" --threads "$1" --policy greedy --out "$SW/o" >/dev/null 2>"$SW/err" || return 1
        r=$(sed -n 's/.* \([0-9.]*\) replicates\/s$/\1/p' "$SW/err" | tail -1)
        b=$(awk -v a="$b" -v r="$r" 'BEGIN { print (r + 0 > a + 0) ? r : a }')
        i=$((i + 1))
    done
    echo "$b"
}
r1=$(sweep_best 1) && r2=$(sweep_best 2) || { echo "sweep failed"; rm -rf "$SW"; exit 1; }
awk -v n="$SN" -v a="$r1" -v b="$r2" 'BEGIN {
    printf "sweep of %d: 1 thread %.1f replicates/s, 2 threads %.1f replicates/s, speed-up %.2f (goal >= 1.85)\n",
           n, a, b, b / a }'
NB=${BENCH_SWEEP_BIG:-10000}
rm -rf "$SW/o"
/usr/bin/time -f "%e %U %M" -o "$SW/t" "$FUELSIM" sweep "$TB" -n "$NB" --threads 2 --policy greedy --out "$SW/o" \
    >/dev/null 2>&1 || { echo "sweep failed"; rm -rf "$SW"; exit 1; }
tail -1 "$SW/t" | awk -v n="$NB" '{
    printf "sweep of %d on 2 threads: %.1f s wall (goal < 120 s), %.1f ms CPU per replicate, peak memory %.1f MB (goal < 200 MB)\n",
           n, $1, 1000 * $2 / n, $3 / 1024 }'
rm -rf "$SW"

# ---- optimiser (issues 7, 16): replicates of the default earthquake with the
# optimise policy and, on the same replicates, greedy, on one thread: CPU per
# replicate (goal: mean <= 150 ms), re-plans per replicate (by the clock and
# on events), mean CPU per re-plan, the first (cold) solve, the model's size,
# and the mean weighted shortfall of both policies.
echo "== optimiser: Tokyo Bay default earthquake, optimise beside greedy, one thread"
"$FUELSIM" bench plan "$(dirname "$0")/../../scenarios/tokyo-bay" --seed 1 --reps "${BENCH_PLAN_REPS:-20}" || exit 1
