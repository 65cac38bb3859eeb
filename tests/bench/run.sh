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
