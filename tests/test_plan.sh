#!/bin/sh
# `fuelsim plan` and `run --policy optimise` from the command line: usage
# errors and bad scenarios exit 2; the model written with --write-lp, solved
# again by glpsol (its own LP reader and solver), gives the plan's objective
# to 1e-6 relative, for the LP on the embedded scenario and the MIP on a
# hand-checked one; outputs are whole (no temporary left); an optimised run
# repeats byte for byte and conserves fuel; an optimised sweep gives the same
# files on 1 and 2 threads and counts failed plans.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
F=$FUELSIM
TB="$top/scenarios/tokyo-bay"
ONE="$top/tests/supply/one_lorry"
SDF="$top/tests/supply/sdf_lorry"
tmp_dir plan-sh

# ---- usage -----------------------------------------------------------------
usage() { # description, then arguments: exit 2 with a usage line
    d=$1; shift
    "$F" plan "$@" >"$T/u.out" 2>"$T/u.err"
    rc=$?
    check "$d: exit 2 (got $rc)" [ $rc -eq 2 ]
    check "$d: says why" grep -q "fuelsim plan" "$T/u.err"
}
usage "no --seed" "$ONE" --out "$T/x"
usage "no --out" "$ONE" --seed 1
usage "step not whole hours" "$ONE" --seed 1 --step 2.5 --out "$T/x"
usage "horizon below the step" "$ONE" --seed 1 --horizon 3 --step 6 --out "$T/x"
usage "negative hour" "$ONE" --seed 1 --at -1 --out "$T/x"
usage "hour past the simulation" "$ONE" --seed 1 --at 48 --out "$T/x"
usage "unknown option" "$ONE" --seed 1 --bogus --out "$T/x"
usage "empty LP file name" "$ONE" --seed 1 --out "$T/x" --write-lp ""
check "usage errors write nothing" [ ! -e "$T/x" ]

mkdir -p "$T/bad"
cp "$ONE"/* "$T/bad/"
sed -i 's/^lorry,Lorry,ローリー,lorry_commercial,road,1,10,/lorry,Lorry,ローリー,lorry_commercial,road,1,-3,/' "$T/bad/assets.csv"
"$F" plan "$T/bad" --seed 1 --out "$T/x" >/dev/null 2>"$T/bad.err"
check "bad scenario: exit 2" [ $? -eq 2 ]
check "bad scenario: file:line message" grep -q "assets.csv:2: capacity_kl" "$T/bad.err"

# ---- objective against glpsol ---------------------------------------------------
json_num() { # file key: the number after "key":
    sed -n "s/.*\"$2\":[[:space:]]*\([-0-9.eE+]*\).*/\1/p" "$1" | head -1
}
glpsol_obj() { # lp-file: glpsol's objective value
    glpsol --lp "$1" -o "$1.sol" >/dev/null 2>&1 || return 1
    sed -n 's/^Objective:.*= *\([-0-9.eE+]*\).*/\1/p' "$1.sol" | head -1
}
close() { # a b: |a - b| <= 1e-6 max(1, |a|)
    awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; m = a < 0 ? -a : a; if (m < 1) m = 1;
                                   exit !(a != "" && b != "" && d <= 1e-6 * m) }'
}
if ! command -v glpsol >/dev/null 2>&1; then
    bad "glpsol not found (glpk-utils; make deps installs it)"
fi

"$F" plan "$TB" --seed 5 --at 30 --horizon 24 --out "$T/p" --write-lp "$T/p/model.lp" >"$T/p.out" 2>"$T/p.err"
check "plan on the embedded scenario: exit 0" [ $? -eq 0 ]
check "plan.csv header" sh -c "head -1 '$T/p/plan.csv' | grep -qx 'group,asset_type,asset,asset_name,day,period,from,from_name,to,to_name,dest_class,product,kl,loads,depart_h,arrive_h'"
check "plan.csv has movements" [ "$(wc -l <"$T/p/plan.csv")" -gt 10 ]
check "plan.json: optimal" grep -q '"status":[[:space:]]*"optimal"' "$T/p/plan.json"
for k in objective unmet_kl_by_class class1 rows cols nonzeros simplex_iterations; do
    check "plan.json has $k" grep -q "\"$k\"" "$T/p/plan.json"
done
"$F" plan "$TB" --seed 5 --at 30 --horizon 24 --out "$T/p2" --write-lp "$T/p/model.lp" >/dev/null 2>&1
check "plan.json: the same seed writes the same bytes" cmp -s "$T/p/plan.json" "$T/p2/plan.json"
ours=$(json_num "$T/p/plan.json" objective)
theirs=$(glpsol_obj "$T/p/model.lp")
check "LP: glpsol's objective $theirs equals the plan's $ours" close "$ours" "$theirs"
check "no temporary files left" sh -c "! ls '$T/p' | grep -q tmp"

"$F" plan "$ONE" --seed 1 --at 2 --horizon 12 --integer --out "$T/m" --write-lp "$T/m/model.lp" >/dev/null 2>"$T/m.err"
check "MIP plan: exit 0" [ $? -eq 0 ]
check "MIP plan.json: optimal" grep -q '"status":[[:space:]]*"optimal"' "$T/m/plan.json"
for k in mip_gap nodes node_limit; do
    check "MIP plan.json has $k" grep -q "\"$k\"" "$T/m/plan.json"
done
check "MIP: the LP file declares integer columns" grep -q "^General" "$T/m/model.lp"
check "MIP plan.md: the duals are the LP's with the whole trips fixed" grep -q '^Whole trips (--integer): the duals are those of the LP' "$T/m/plan.md"
check "MIP plan.json: bottlenecks from those duals" grep -q '"bottlenecks"' "$T/m/plan.json"
ours=$(json_num "$T/m/plan.json" objective)
theirs=$(glpsol_obj "$T/m/model.lp")
check "MIP: glpsol's objective $theirs equals the plan's $ours" close "$ours" "$theirs"

"$F" plan "$ONE" --seed 1 --out "$T/w" --write-lp "$T/nodir/model.lp" >/dev/null 2>"$T/w.err"
check "LP file in a missing folder: exit 1" [ $? -eq 1 ]
check "LP file in a missing folder: nothing written" [ ! -e "$T/nodir" ]

# ---- run --policy optimise ------------------------------------------------------
"$F" run "$SDF" --seed 3 --policy optimise --out "$T/r1" >"$T/r1.out" 2>&1
check "run --policy optimise: exit 0" [ $? -eq 0 ]
"$F" run "$SDF" --seed 3 --policy optimise --out "$T/r2" >/dev/null 2>&1
for f in trace.csv metrics.json timeseries.csv; do
    check "optimised run repeats: $f" cmp -s "$T/r1/$f" "$T/r2/$f"
done
check "metrics.json reports the planner" grep -q '"planner"' "$T/r1/metrics.json"
check "no failed plans" grep -q '"failed_plans":[[:space:]]*0' "$T/r1/metrics.json"
res=$(json_num "$T/r1/metrics.json" residual_kl)
check "fuel conserved (residual $res)" awk -v r="$res" 'BEGIN { exit !(r != "" && r <= 1e-6 && r >= -1e-6) }'
"$F" run "$SDF" --seed 3 --policy bogus --out "$T/r3" >/dev/null 2>&1
check "unknown policy: exit 2" [ $? -eq 2 ]
"$F" run "$SDF" --seed 3 --out "$T/r4" >/dev/null 2>&1
check "the optimiser is the default" cmp -s "$T/r1/trace.csv" "$T/r4/trace.csv"
check "metrics.json names the policy" grep -q '"policy":[[:space:]]*"optimise"' "$T/r4/metrics.json"
check "metrics.json names the forecast" grep -q '"forecast":[[:space:]]*"median"' "$T/r4/metrics.json"
"$F" run "$SDF" --seed 3 --policy greedy --out "$T/r5" >/dev/null 2>&1
check "--policy greedy is named" grep -q '"policy":[[:space:]]*"greedy"' "$T/r5/metrics.json"
"$F" run "$SDF" --seed 3 --forecast p50 --out "$T/r6" >/dev/null 2>&1
check "unknown forecast: exit 2" [ $? -eq 2 ]
"$F" run "$SDF" --seed 3 --policy greedy --forecast p90 --out "$T/r6" >/dev/null 2>&1
check "a forecast without the optimiser: exit 2" [ $? -eq 2 ]

# ---- sweep --policy optimise ---------------------------------------------------
BASE="$top/tests/bad-input/base"
"$F" sweep "$BASE" -n 6 --seed 3 --threads 1 --policy optimise --out "$T/s1" >/dev/null 2>"$T/s1.err"
check "optimised sweep on 1 thread: exit 0" [ $? -eq 0 ]
"$F" sweep "$BASE" -n 6 --seed 3 --threads 2 --policy optimise --out "$T/s2" >/dev/null 2>&1
check "optimised sweep on 2 threads: exit 0" [ $? -eq 0 ]
for f in replicates.csv summary.json bands.csv; do
    check "optimised sweep, 1 and 2 threads: same $f" cmp -s "$T/s1/$f" "$T/s2/$f"
done
check "replicates.csv counts failed plans" sh -c "head -1 '$T/s1/replicates.csv' | grep -q ',plan_failures$'"
check "no plan failed" awk -F, 'NR > 1 && $NF != 0 { bad = 1 } END { exit bad }' "$T/s1/replicates.csv"
check "summary.json names the policy" grep -q '"policy":[[:space:]]*"optimise"' "$T/s1/summary.json"
"$F" sweep "$BASE" -n 6 --seed 3 --threads 1 --out "$T/s3" >/dev/null 2>&1
check "the optimiser is the sweep's default" cmp -s "$T/s1/replicates.csv" "$T/s3/replicates.csv"
if command -v mpirun >/dev/null 2>&1 && command -v mpicc >/dev/null 2>&1; then
    case "$F" in build/*|*/build/*) B=$(dirname "$F")/mpi ;; *) B="$top/build/mpi" ;; esac
    if make -s -C "$top" MPI=1 BUILD="$B" SAN= OPT="-O2 -g" "$B/fuelsim" >"$T/mpi-build.log" 2>&1; then
        mpirun --allow-run-as-root --oversubscribe -np 2 "$B/fuelsim" sweep "$BASE" -n 6 --seed 3 --threads 1 \
            --policy optimise --out "$T/sm" >/dev/null 2>&1
        check "optimised sweep under mpirun -np 2: exit 0" [ $? -eq 0 ]
        for f in replicates.csv summary.json bands.csv; do
            check "optimised sweep, 2 MPI ranks and 1 process: same $f" cmp -s "$T/s1/$f" "$T/sm/$f"
        done
    else
        bad "make MPI=1 failed: $(tail -5 "$T/mpi-build.log")"
    fi
fi

# ---- what the planner may know --------------------------------------------
# Before the inspection delay the plan assumes the state it sees persists;
# states only improve with restoration, so that plan can promise no more than
# the one that knows the restoration forecast (--inspect 0).
"$F" plan "$TB" --seed 1 --at 0 --inspect 0 --out "$T/k0" >/dev/null 2>&1
check "plan knowing the forecast" [ $? -eq 0 ]
"$F" plan "$TB" --seed 1 --at 0 --inspect 6 --out "$T/k6" >/dev/null 2>&1
check "plan before inspection" [ $? -eq 0 ]
o0=$(sed -n 's/.*"objective":[[:space:]]*\([-0-9.e+]*\).*/\1/p' "$T/k0/plan.json" | head -1)
o6=$(sed -n 's/.*"objective":[[:space:]]*\([-0-9.e+]*\).*/\1/p' "$T/k6/plan.json" | head -1)
check "unknown damage makes the plan no better ($o6 vs $o0)" awk -v a="$o6" -v b="$o0" 'BEGIN { exit !(a >= b * (1 - 1e-9)) }'
"$F" plan "$ONE" --seed 1 --inspect -1 --out "$T/x" >/dev/null 2>&1
check "negative --inspect exits 2" [ $? -eq 2 ]

done_tests
