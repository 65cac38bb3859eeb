#!/bin/sh
# `fuelsim plan` as planners read it, on the embedded scenario's default
# earthquake at hour 24: the kL in plan.csv, in plan.md's tasking tables,
# in plan.json's totals and on the report's flow map all add up to the
# plan's planned kL; plan.json lists bottlenecks with kind, id, value and
# unit, closed roads opened now with the hours gained and the value per
# hour earlier, and a reason for every short point; a fleet ready after the plan's
# end is named as such; plan.xlsx has one sheet per
# asset group holding the same kL; --lang ja names places in Japanese,
# --start puts departures on the exercise clock; `fuelsim report` prints the
# plan's page again; bad --lang and --start exit 2.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
F=$FUELSIM
TB="$top/scenarios/tokyo-bay"
tmp_dir plan-sheets

json_num() { # file key: the number after "key":
    sed -n "s/.*\"$2\":[[:space:]]*\([-0-9.eE+]*\).*/\1/p" "$1" | head -1
}
near() { # a b: |a - b| <= 1e-3 max(1, |a|) (the files round kL to 3 or 1 decimals)
    awk -v a="$1" -v b="$2" -v t="${3:-1e-6}" 'BEGIN { d = a - b; if (d < 0) d = -d; m = a < 0 ? -a : a; if (m < 1) m = 1;
                                   exit !(a != "" && b != "" && d <= t * m) }'
}

"$F" plan "$TB" --seed 1 --at 24 --out "$T/p" >"$T/p.out" 2>"$T/p.err"
check "plan at hour 24: exit 0" [ $? -eq 0 ]
for f in plan.csv plan.json plan.md plan.xlsx report.html; do
    check "plan writes $f" [ -s "$T/p/$f" ]
done
kl=$(json_num "$T/p/plan.json" planned_kl)
check "plan.json has planned kL ($kl)" awk -v k="$kl" 'BEGIN { exit !(k > 1000) }'

# plan.csv: names beside the ids, kL adding up
check "plan.csv header" sh -c "head -1 '$T/p/plan.csv' | grep -qx 'group,asset_type,asset,asset_name,day,period,from,from_name,to,to_name,dest_class,product,kl,loads,depart_h,arrive_h'"
csv_kl=$(python3 -c 'import csv,sys; print(sum(float(r["kl"]) for r in csv.DictReader(open(sys.argv[1]))))' "$T/p/plan.csv")
check "plan.csv kL $csv_kl = planned $kl" near "$csv_kl" "$kl" 1e-6
check "plan.csv names places" grep -q ',ENEOS Negishi Refinery\|,"Tokyo port coastal oil terminals' "$T/p/plan.csv"

# plan.md: the rows of every tasking table, and the totals table
md_kl=$(awk -F'|' '/^## Tasking sheets/ { on = 1 } /^## Totals/ { on = 0 }
    on && /^\| [0-9]+ \| [0-9]+ \|/ { s += $7 } END { printf "%.3f", s }' "$T/p/plan.md")
check "plan.md tasking rows add up: $md_kl = $kl" near "$md_kl" "$kl" 1e-3
md_tot=$(awk -F'|' '/^\| Total \|/ { print $8 }' "$T/p/plan.md")
check "plan.md total $md_tot = $kl" near "$md_tot" "$kl" 1e-3
grp=$(awk -F'|' '/^## Totals/ { on = 1 } on && /^\| [A-Z][^|]* \| [0-9]/ && !/^\| Total/ { s += $8 } END { printf "%.3f", s }' "$T/p/plan.md")
check "plan.md group totals add up: $grp" near "$grp" "$kl" 1e-3
check "plan.md says what is short" grep -q '^1\. One more ' "$T/p/plan.md"
top_road=$(python3 -c 'import json,sys; print([x["id"] for x in json.load(open(sys.argv[1]))["bottlenecks"] if x["kind"] == "road"][0])' "$T/p/plan.json")
check "plan.md words the top road ($top_road)" grep -q "^[0-9]*\. Opening the road from .* ($top_road) now instead of .* avoids [0-9.]* weighted kL ([0-9.]* per hour earlier)\.\$" "$T/p/plan.md"
check "plan.md states the road screen" grep -q "^Roads: of the [0-9]* roads closed at the plan's start" "$T/p/plan.md"
check "plan.md says why demand stays unmet" grep -q '^## Why demand stays unmet' "$T/p/plan.md"

# plan.json: totals, bottlenecks, reasons
python3 - "$T/p/plan.json" >"$T/json.out" 2>&1 <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
kl = j["planned_kl"]
t = sum(x["kl"] for x in j["tasking"])
assert abs(t - kl) <= 1e-6 * kl, (t, kl)
g = sum(v["kl"] for k, v in j["totals"].items() if isinstance(v, dict))
assert abs(g - kl) <= 1e-6 * kl, (g, kl)
b = j["bottlenecks"]
assert b and all(set(x) >= {"kind", "id", "value", "unit"} for x in b), b[:2]
assert all(b[i]["value"] >= b[i + 1]["value"] for i in range(len(b) - 1))
assert {x["kind"] for x in b} <= {"fleet", "stock", "queue", "opening", "mobilisation", "road"}
# a closed road opened now: the whole saving, the hours gained to its forecast return (or the
# plan's end at 96) and the saving per hour earlier
r = [x for x in b if x["kind"] == "road"]
assert r, "no road valued"
assert all(x["unit"] == "weighted kL opened now" and x["from_h"] == 24 and x["hours"] > 0 for x in r), r[:2]
assert all(x["at_h"] == 24 + x["hours"] if "at_h" in x else x["hours"] == 72 for x in r), r[:2]
assert all(abs(x["per_hour"] - x["value"] / x["hours"]) <= 1e-9 * x["value"] for x in r)
# a fleet ready an hour earlier: valued per hour, never above what its hours are worth at the duals
assert all(x["unit"] == "weighted kL per hour earlier" for x in b if x["kind"] in ("opening", "mobilisation"))
u = j["unmet_points"]
assert u and all(x["limit"] in ("no_source", "fleet", "queue", "stock", "other") for x in u), u[:2]
c34 = j["unmet_kl_by_class"]["class3"] + j["unmet_kl_by_class"]["class4"]
assert abs(sum(x["kl"] for x in u if x["class"] >= 3) - c34) <= 1e-3 * max(1, c34)
print("ok")
EOF
check "plan.json: tasking, totals, bottlenecks and reasons agree ($(tail -1 "$T/json.out"))" grep -qx ok "$T/json.out"

# the report's flow map: arrows by mode carry all the kL; circles the unmet points
map_kl=$(grep -o 'class="flow"[^>]*data-kl="[0-9.]*"' "$T/p/report.html" | sed 's/.*data-kl="//; s/"//' |
    awk '{ s += $1 } END { printf "%.3f", s }')
check "map arrows carry $map_kl = $kl kL" near "$map_kl" "$kl" 1e-4
check "map has air and road arrows" sh -c "grep -q 'data-mode=\"air\"' '$T/p/report.html' && grep -q 'data-mode=\"road\"' '$T/p/report.html'"
n_un=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["unmet_points"]))' "$T/p/plan.json")
n_circ=$(grep -c '<circle class="unmet"' "$T/p/report.html")
check "map has a circle per short point ($n_circ of $n_un)" [ "$n_circ" -eq "$n_un" ]
check "report has the tasking tables" grep -q 'id="plantasks"' "$T/p/report.html"

# plan.xlsx: one sheet per group, the same kL
if /usr/bin/python3 -c 'import openpyxl' 2>/dev/null; then
    /usr/bin/python3 - "$T/p/plan.xlsx" "$kl" >"$T/xlsx.out" 2>&1 <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
groups = ["sdf_helicopter", "sdf_truck", "lorry_paj", "lorry_commercial", "coastal_tanker", "rail_train", "sdf_ship"]
assert wb.sheetnames[:7] == groups and wb.sheetnames[-1] == "About", wb.sheetnames
s = sum(r[5] for g in groups for r in wb[g].iter_rows(min_row=2, values_only=True) if r[5] is not None)
kl = float(sys.argv[2])
assert abs(s - kl) <= 1e-6 * kl, (s, kl)
print("ok")
EOF
    check "plan.xlsx: a sheet per group, kL add up ($(tail -1 "$T/xlsx.out"))" grep -qx ok "$T/xlsx.out"
else
    bad "python3-openpyxl missing (make test-deps installs it)"
fi

# language and exercise clock
"$F" plan "$TB" --seed 1 --at 24 --lang ja --start 2026-09-01T09:00+09:00 --out "$T/j" >/dev/null 2>&1
check "plan --lang ja --start: exit 0" [ $? -eq 0 ]
check "Japanese names in plan.md" grep -q '根岸製油所\|東京港' "$T/j/plan.md"
check "plan.md in Japanese words the road" grep -q "間の道路($top_road)" "$T/j/plan.md"
check "exercise clock in plan.csv" sh -c "head -1 '$T/j/plan.csv' | grep -q ',depart,arrive$' && grep -q ',2026-09-02T09:00:00+09:00,' '$T/j/plan.csv'"
check "same plan in either language" [ "$(json_num "$T/j/plan.json" objective)" = "$(json_num "$T/p/plan.json" objective)" ]
"$F" plan "$TB" --seed 1 --at 24 --lang fr --out "$T/x" >/dev/null 2>"$T/x.err"
check "--lang fr: exit 2" [ $? -eq 2 ]
"$F" plan "$TB" --seed 1 --at 24 --start tomorrow --out "$T/x" >/dev/null 2>"$T/x.err"
check "--start tomorrow: exit 2" [ $? -eq 2 ]
check "bad --start says why" grep -q -- '--start' "$T/x.err"

# the helicopters mobilise by hour 38: an hour earlier is worth something over 72 h
# (solved again), nothing over a 12-h horizon that ends at 36, and plan.md says why
check "72 h: the helicopters an hour earlier are valued" python3 -c 'import json, sys
b = [x for x in json.load(open(sys.argv[1]))["bottlenecks"] if x["kind"] == "mobilisation" and x["id"] == "sdf_ch47_drums"]
sys.exit(not (b and b[0]["value"] > 1 and b[0]["at_h"] == 38))' "$T/p/plan.json"
"$F" plan "$TB" --seed 1 --at 24 --horizon 12 --out "$T/h12" >/dev/null 2>&1
check "12 h: no hour earlier of the helicopters" python3 -c 'import json, sys
sys.exit(any(x["kind"] == "mobilisation" for x in json.load(open(sys.argv[1]))["bottlenecks"]))' "$T/h12/plan.json"
check "12 h: plan.md says they come only after its end" grep -q "^Ready only at or after the plan's end (36.0).*CH-47J/JA helicopters carrying 200 L drums (ready 38.0)" "$T/h12/plan.md"

# fuelsim report on the plan folder
cp "$T/p/report.html" "$T/first.html"
"$F" report "$T/p" >/dev/null 2>"$T/r.err"
check "report on a plan folder: exit 0" [ $? -eq 0 ]
check "report on a plan folder: the same page" cmp -s "$T/first.html" "$T/p/report.html"

done_tests
