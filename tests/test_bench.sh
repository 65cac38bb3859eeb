#!/bin/sh
# `fuelsim bench`: the output lines carry the figures the benchmark script
# reads, simulated figures depend on the seed only, and bad options exit 2
# with a message. Runs are kept small: this checks the command, not speed.
. "$(dirname "$0")/lib.sh"
F=$FUELSIM

out=$("$F" bench mmc --lambda 0.5 --mu 1 --servers 1 --customers 20000 --seed 3 2>&1)
check "mmc exits 0: $out" [ $? -eq 0 ]
for k in mean_wait= theory= customers_per_s= events_per_s= utilisation=; do
    check "mmc prints $k" sh -c "printf '%s' '$out' | grep -q '$k'"
done
check "mmc prints one line" [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ]
# theory for M/M/1 at rho = 0.5 is rho / (mu - lambda) = 1
check "mmc theory is Erlang C" sh -c "printf '%s' '$out' | grep -q ' theory=1 '"
w1=$(printf '%s' "$out" | sed 's/.*mean_wait=\([^ ]*\).*/\1/')
w2=$("$F" bench mmc --lambda 0.5 --customers 20000 --seed 3 --repeat 2 | sed 's/.*mean_wait=\([^ ]*\).*/\1/')
check "mmc is a function of the seed ($w1 = $w2)" [ "$w1" = "$w2" ]
w3=$("$F" bench mmc --lambda 0.5 --customers 20000 --seed 4 | sed 's/.*mean_wait=\([^ ]*\).*/\1/')
check "another seed, another run" [ "$w1" != "$w3" ]
out=$("$F" bench mmc --lambda 2.4 --servers 3 --customers 5000 2>&1)
check "mmc with 3 servers" sh -c "printf '%s' '$out' | grep -q 'servers=3'"

out=$("$F" bench hold --pending 1000 --events 20000 --seed 2 2>&1)
check "hold exits 0: $out" [ $? -eq 0 ]
check "hold prints ns_per_event" sh -c "printf '%s' '$out' | grep -q 'ns_per_event='"
t1=$(printf '%s' "$out" | sed 's/.*final_time=\([^ ]*\).*/\1/')
t2=$("$F" bench hold --pending 1000 --events 20000 --seed 2 | sed 's/.*final_time=\([^ ]*\).*/\1/')
check "hold is a function of the seed" [ "$t1" = "$t2" ]

"$F" bench plan >/dev/null 2>&1;            check "bench plan without a scenario: exit 2" [ $? -eq 2 ]
err=$("$F" bench plan 2>&1)
check "bench plan says it needs DIR" sh -c "printf '%s' \"\$1\" | grep -q 'needs a scenario folder'" _ "$err"

bad() { # bad "description" args...: exit 2 and a message naming the problem
    d=$1; shift
    err=$("$F" bench "$@" 2>&1 >/dev/null); rc=$?
    check "$d: exit 2" [ $rc -eq 2 ]
    check "$d: message" sh -c "printf '%s' \"\$1\" | grep -q 'fuelsim bench'" x "$err"
}
bad "no benchmark"
bad "unknown benchmark" frobnicate
bad "lambda not a number" mmc --lambda x
bad "lambda zero" mmc --lambda 0
bad "mu negative" mmc --mu -1
bad "servers zero" mmc --servers 0
bad "customers not an integer" mmc --customers 1.5
bad "customers zero" mmc --customers 0
bad "unstable queue" mmc --lambda 2 --mu 1 --servers 2
bad "seed negative" mmc --seed -3
bad "hold option on mmc" mmc --pending 10
bad "mmc option on hold" hold --lambda 1
bad "pending zero" hold --pending 0
bad "events zero" hold --events 0
bad "repeat zero" hold --repeat 0
bad "unknown option" hold --frob 1
out=$("$F" bench supply "$(dirname "$0")/supply/one_lorry" --reps 3 2>&1)
check "bench supply prints its figures: $out" sh -c "printf '%s' \"\$1\" | grep -q 'replicates=3 .*replicates_per_s=.*events_per_s='" _ "$out"
"$F" bench supply >/dev/null 2>&1;          check "bench supply without a scenario: exit 2" [ $? -eq 2 ]
done_tests
