#!/bin/sh
# The first week (issue 15) at the command line: the validation rows of its
# metrics are checked (bad direction, class or area: exit 2 with the row's
# line), a run's trace carries the chain of requests and the road plan, and
# a scenario with every first_week switch off writes none of them.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

d="$work/bad"
cp -r "$top/tests/bad-input/base" "$d"
sed 's|"grid": "grid.csv"|"grid": "grid.csv", "validation": "validation.csv"|' \
    "$top/tests/bad-input/base/scenario.json" >"$d/scenario.json"
cat >"$d/validation.csv" <<'CSV'
id,quake,metric,site,param,time_h,observed,obs_lo,obs_hi,source,note
w1,q1,route_open_h,,9,0,48,24,48,test,
w2,q1,shortage_h,,5,0,240,168,336,test,
w3,q1,area_supply_frac,nowhere,,168,0.5,0.4,0.6,test,
CSV
"$FUELSIM" hindcast "$d" -n 2 --out "$work/out_bad" >"$work/o" 2>"$work/e"; rc=$?
check "hindcast with bad first-week rows exits 2 (got $rc)" [ $rc -eq 2 ]
check "direction out of range named" grep -qF "validation.csv:2: param: 9 is not a direction 0..8" "$work/e"
check "class out of range named" grep -qF "validation.csv:3: param: 5 is not a priority class 0..4" "$work/e"
check "unknown area named" grep -qF "validation.csv:4: site: \"nowhere\" is not a grid area id" "$work/e"

"$FUELSIM" run "$top/scenarios/tokyo-bay" --seed 3 --policy greedy --out "$work/on" >/dev/null 2>&1
check "run with the first week exits 0" [ -s "$work/on/trace.csv" ]
for k in ministry_request joint_room relay stockpile route_open; do
    check "trace has $k rows" grep -q ",$k," "$work/on/trace.csv"
done
m=$(grep ",ministry_request," "$work/on/trace.csv" | head -1 | cut -d, -f1)
j=$(grep ",joint_room," "$work/on/trace.csv" | head -1 | cut -d, -f1)
check "the joint room opens after the ministry's request ($m < $j)" awk -v a="$m" -v b="$j" 'BEGIN{exit !(a < b)}'

s="$work/off"
cp -r "$top/scenarios/tokyo-bay" "$s"
sed -i 's/"\(variability\|request_chain\|roads\|rail_sea\|power\|permits\|bridges\)": true/"\1": false/' "$s/scenario.json"
"$FUELSIM" run "$s" --seed 3 --policy greedy --out "$work/offo" >/dev/null 2>&1
check "run with the switches off exits 0" [ -s "$work/offo/trace.csv" ]
check "no first-week rows with the switches off" sh -c "! grep -qE ',(ministry_request|joint_room|relay|stockpile|route_open),' '$work/offo/trace.csv'"
# component damage states (not the gates, which power and roads move)
ds() { grep ',damage,' "$1" | grep -v ' closed ' | awk -F, '{split($7, d, " "); print $4, d[1], d[3]}' | sort; }
ds "$work/on/trace.csv" >"$work/a"; ds "$work/offo/trace.csv" >"$work/b"
check "damage states the same with the switches off" cmp -s "$work/a" "$work/b"
done_tests
