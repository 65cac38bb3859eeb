#!/bin/sh
# Live drills (issue 18): `fuelsim branch` replays a replicate with the
# players' decisions. Checks: an empty decisions file is `run`; the trace
# and hourly series before the first decision are `run`'s byte for byte;
# each action on a hand-checked tiny scenario; bad rows of every column
# (file:line: message, exit 2); the injects from an exercise time on.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
F=$FUELSIM
tmp_dir branch
TD=$top/tests/scenarios/two_depots
BR=$top/tests/scenarios/branch
TB=$top/scenarios/tokyo-bay

# dec NAME ROW...: a decisions file T/NAME.csv with those rows
dec() {
    n=$1; shift
    printf 'at_h,action,target,value,note\n' >"$T/$n.csv"
    for r in "$@"; do printf '%s\n' "$r" >>"$T/$n.csv"; done
}
# br NAME DIR [options]: branch of seed 1 rep 0 (greedy) with T/NAME.csv into T/NAME
br() {
    n=$1; d=$2; shift 2
    "$F" branch "$d" --seed 1 --rep 0 --policy greedy --decisions "$T/$n.csv" --out "$T/$n" "$@" >"$T/$n.out" 2>&1
}
same() { cmp -s "$1" "$2"; }

# ---- an empty file is the base run ---------------------------------------------
"$F" run "$TB" --seed 3 --rep 2 --policy greedy --out "$T/run" >/dev/null 2>&1
check "run tokyo-bay" [ $? -eq 0 ]
dec empty
"$F" branch "$TB" --seed 3 --rep 2 --policy greedy --decisions "$T/empty.csv" --out "$T/empty" >/dev/null 2>&1
check "branch with a header-only file exits 0" [ $? -eq 0 ]
for f in trace.csv timeseries.csv metrics.json; do
    check "header-only decisions: $f is run's" same "$T/run/$f" "$T/empty/$f"
done
: >"$T/zero.csv"
"$F" branch "$TB" --seed 3 --rep 2 --policy greedy --decisions "$T/zero.csv" --out "$T/zero" >/dev/null 2>&1
check "an empty (0-byte) decisions file: trace is run's" same "$T/run/trace.csv" "$T/zero/trace.csv"
check "no decision: branch.json says no divergence" grep -q '"trace_line":[[:space:]]*null' "$T/empty/branch.json"

# ---- the byte-identical prefix ----------------------------------------------------
dec late "30,mobilise,lorry_paj_west,,PAJ lorries asked at 30 h" "30.5,priority,T01_ss,1,"
"$F" branch "$TB" --seed 3 --rep 2 --policy greedy --decisions "$T/late.csv" --out "$T/late" >/dev/null 2>&1
check "branch tokyo-bay with decisions at 30 h exits 0" [ $? -eq 0 ]
awk -F, 'NR == 1 || $1 < 30' "$T/run/trace.csv" >"$T/p_run"
awk -F, 'NR == 1 || $1 < 30' "$T/late/trace.csv" >"$T/p_late"
check "trace rows before 30 h are run's" same "$T/p_run" "$T/p_late"
check "the prefix is not empty" [ "$(wc -l <"$T/p_run")" -gt 100 ]
awk -F, 'NR == 1 || $1 < 30' "$T/run/timeseries.csv" >"$T/s_run"
awk -F, 'NR == 1 || $1 < 30' "$T/late/timeseries.csv" >"$T/s_late"
check "timeseries hours 0-29 are run's" same "$T/s_run" "$T/s_late"
check "the decision is in the trace at 30 h" grep -q '^30.0000,decision,,[a-z_0-9]*,,,#1 mobilise lorry_paj_west -$' "$T/late/trace.csv"
check "the traces differ after it" sh -c "! cmp -s '$T/run/trace.csv' '$T/late/trace.csv'"
tdiv=$(grep -A3 '"first_divergence"' "$T/late/branch.json" | grep '"time_h"' | tr -dc '0-9.')
check "branch.json: first divergence ($tdiv h) not before the first decision" awk -v t="$tdiv" 'BEGIN { exit !(t != "" && t >= 30) }'
ws_run=$(grep -m1 '"weighted_shortfall"' "$T/run/metrics.json" | tr -d ' \t,')
ws_base=$(grep -A1 '"base":' "$T/late/branch.json" | grep '"weighted_shortfall"' | tr -d ' \t,')
check "branch.json: the base's weighted shortfall is run's ($ws_run)" [ -n "$ws_run" ] && [ "$ws_run" = "$ws_base" ]
check "msel: the decision is a player action" grep -q 'Player decision 1: request PAJ' "$T/late/msel.csv"
check "msel: the note is shown" grep -q '(PAJ lorries asked at 30 h)' "$T/late/msel.csv"
check "msel.xlsx written" [ -s "$T/late/msel.xlsx" ]

# ---- common random numbers after a decision ---------------------------------------
# crn: two halves that share nothing (ref_a -> hospital by lorry_a and the SDF
# truck, diesel; oil_b -> station by lorry_b, gasoline), travel and loading
# times varying. Asking the SDF at 1 h changes the hospital's trips; the
# station's trips must keep their random factors and so their times, row for
# row, and lorry_a's third trip (smaller in the branch) its drive times.
CR=$top/tests/scenarios/crn
dec crnbase
br crnbase "$CR"
dec crnmob "1,mobilise,sdf_truck,,ask the SDF early"
br crnmob "$CR"
grep -E 'lorry_b|stn_s|gasoline' "$T/crnbase/trace.csv" >"$T/crn_b0"
grep -E 'lorry_b|stn_s|gasoline' "$T/crnmob/trace.csv" >"$T/crn_b1"
check "crn: the station's half has trips" [ "$(grep -c ',dispatch,lorry_b' "$T/crn_b0")" -ge 5 ]
check "crn: the decision changes the hospital's half" sh -c \
    "! cmp -s '$T/crnbase/trace.csv' '$T/crnmob/trace.csv' && grep -q '^1.0000,mobilise,,ref_a,,,sdf_truck$' '$T/crnmob/trace.csv'"
check "crn: the station's half is the base's, row for row" same "$T/crn_b0" "$T/crn_b1"
# leg hours of lorry_a's 3rd trip: depart -> arrive and unload -> return
legs() {
    awk -F, '$3 != "lorry_a#1" { next } $2 == "dispatch" && ++n == 3 { kl = $6 }
             n == 3 && $2 == "depart" { d = $1 } n == 3 && $2 == "arrive" { a = $1 }
             n == 3 && $2 == "unload" { u = $1 }
             n == 3 && $2 == "return" { printf "%.4f %.4f %s\n", a - d, $1 - u, kl; exit }' "$1"
}
l0=$(legs "$T/crnbase/trace.csv"); l1=$(legs "$T/crnmob/trace.csv")
check "crn: lorry_a's 3rd trip carries another load in the branch ($l0 / $l1)" [ "${l0##* }" != "${l1##* }" ]
check "crn: ... with the same drive hours out and back" [ -n "$l0" ] && [ "${l0% *}" = "${l1% *}" ]

# ---- each action on a tiny scenario, by hand --------------------------------------
# two_depots: the lorry starts at ref_a, road_ah (ref_a-hosp_h, 1 h) is closed
# until 17.74 h, the hospital is served from oil_b over road_bh (2 h): deadhead
# 1.5 h, load 0.5 h, drive 2 h, unload 0.5 h: first delivery ends at 4.5 h.
dec none
br none "$TD"
check "two_depots base: first delivery ends at 4.5 h" sh -c \
    "grep -m1 'unload,lorry_a#1,hosp_h' '$T/none/trace.csv' | grep -q '^4.5000,'"
# close road_bh at 0: no way to the hospital until road_ah is back; at the tick
# of 18 h the lorry loads at ref_a (0.5 h), drives 1 h, unloads 0.5 h: 20 h.
dec close "0,close,road_bh,,police close the road"
br close "$TD"
check "close: first delivery ends at 20 h" sh -c \
    "grep -m1 'unload,lorry_a#1,hosp_h' '$T/close/trace.csv' | grep -q '^20.0000,'"
check "close: trace row" grep -q '^0.0000,decision,,oil_b,,,#1 close road_bh -$' "$T/close/trace.csv"
# open road_ah at 0: the lorry loads where it stands (ref_a, 0.5 h), drives 1 h,
# unloads 0.5 h: 2 h.
dec open "0,open,road_ah,,cleared by the SDF"
br open "$TD"
check "open: first delivery ends at 2 h" sh -c \
    "grep -m1 'unload,lorry_a#1,hosp_h' '$T/open/trace.csv' | grep -q '^2.0000,'"
# close then open: the closure ends with the opening (a delivery through road_bh again)
dec reopen "0,close,road_bh,," "10,open,road_bh,,"
br reopen "$TD"
check "close at 0, open at 10: first delivery from oil_b ends at 10 + 4.5 = 14.5 h" sh -c \
    "grep -m1 'unload,lorry_a#1,hosp_h' '$T/reopen/trace.csv' | grep -q '^14.5000,'"

# branch: hospital (class 1) and station S (class 4, listed first), one lorry,
# an SDF truck (lead time 5 h) that nobody asks for in the first hour.
dec bnone
br bnone "$BR"
check "branch scenario base: the first trip is to the hospital" sh -c \
    "grep -m1 ',dispatch,' '$T/bnone/trace.csv' | grep -q ',hosp_h$'"
check "branch scenario base: the lorry serves the station too" grep -q 'dispatch,lorry_a#1,.*,stn_s$' "$T/bnone/trace.csv"
dec mob "1,mobilise,sdf_truck,,ask the SDF early"
br mob "$BR"
check "mobilise at 1 h: requested at 1 h" grep -q '^1.0000,mobilise,,oil_b,,,sdf_truck$' "$T/mob/trace.csv"
check "mobilise at 1 h: ready at 6 h (lead time 5 h)" grep -q '^6.0000,mobilised,,oil_b,,,sdf_truck$' "$T/mob/trace.csv"
check "mobilise: the decision row comes before the request" sh -c \
    "grep -n 'sdf_truck' '$T/mob/trace.csv' | head -1 | grep -q 'decision'"
dec res "0,reserve,lorry_a,1,lorry for the hospital only"
br res "$BR"
check "reserve lorry_a for class 1: it never goes to the class-4 station" sh -c \
    "! grep -q 'dispatch,lorry_a#1,.*,stn_s$' '$T/res/trace.csv'"
check "reserve: the hospital is still served" grep -q 'dispatch,lorry_a#1,.*,hosp_h$' "$T/res/trace.csv"
# by hand: the station (1 kL/h, 12 kL at the start) burns its stock in ticks
# 0-11 and is dry from tick 12 to 47: 36 kL of class 4 unserved, weighted
# shortfall 36 x 1 = 36; the hospital is served as before (0 dry hours)
check "reserve: the station is dry from 12 h" grep -q '^12.0000,dry,,stn_s,diesel,,$' "$T/res/trace.csv"
check "reserve: 36 kL of class 4 unserved" grep -q '"class4":[[:space:]]*36$' "$T/res/metrics.json"
check "reserve: weighted shortfall 6 -> 36" sh -c \
    "grep -q '\"weighted_shortfall\":[[:space:]]*36,' '$T/res/metrics.json' && grep -q '\"weighted_shortfall\":[[:space:]]*6,' '$T/bnone/metrics.json'"
check "reserve: no class-1 dry hour" grep -q '"dry_hours_class1":[[:space:]]*0,' "$T/res/metrics.json"
dec pri "0,priority,stn_s,1,the station fuels the ambulances"
br pri "$BR"
check "priority stn_s 1: the first trip is to the station" sh -c \
    "grep -m1 ',dispatch,' '$T/pri/trace.csv' | grep -q ',stn_s$'"
# the station's class-4 shortfall of the base (6 kL) goes: served first, and the
# hospital's class-1 request, now waiting 6 h, has the SDF truck asked for
check "priority: base leaves 6 kL of class 4 unserved" grep -q '"class4":[[:space:]]*6$' "$T/bnone/metrics.json"
check "priority: the branch serves all" grep -q '"weighted_shortfall":[[:space:]]*0,' "$T/pri/metrics.json"
check "priority: the SDF truck is asked for (never in the base)" sh -c \
    "grep -q ',mobilise,,oil_b,,,sdf_truck' '$T/pri/trace.csv' && ! grep -q ',mobilise,' '$T/bnone/trace.csv'"
# the same two under the optimiser (the default policy): its plan and its
# dispatch follow the decisions too
dec bnoneo
br bnoneo "$BR" --policy optimise
check "optimise base: lorry_a serves the station from 22 h" grep -q '^22.0000,dispatch,lorry_a#1,.*,stn_s$' "$T/bnoneo/trace.csv"
check "optimise base: leaves 2 kL of class 4 unserved" grep -q '"class4":[[:space:]]*2$' "$T/bnoneo/metrics.json"
dec reso "0,reserve,lorry_a,1,lorry for the hospital only"
br reso "$BR" --policy optimise
check "optimise, reserve lorry_a for class 1: it never goes to the class-4 station" sh -c \
    "! grep -q 'dispatch,lorry_a#1,.*,stn_s$' '$T/reso/trace.csv'"
check "optimise, reserve: the hospital is still served" grep -q 'dispatch,lorry_a#1,.*,hosp_h$' "$T/reso/trace.csv"
# at 20 h, between the plans of 12 and 24 h: the decision re-plans at once
dec res20o "20,reserve,lorry_a,1,"
br res20o "$BR" --policy optimise
check "optimise, reserve at 20 h: lorry_a never goes to the station" sh -c \
    "! grep -q 'dispatch,lorry_a#1,.*,stn_s$' '$T/res20o/trace.csv'"
dec prio "0,priority,stn_s,1,the station fuels the ambulances"
br prio "$BR" --policy optimise
check "optimise, priority stn_s 1: the first trip is to the station" sh -c \
    "grep -m1 ',dispatch,' '$T/prio/trace.csv' | grep -q ',stn_s$'"
check "optimise, priority: the branch serves all" grep -q '"weighted_shortfall":[[:space:]]*0,' "$T/prio/metrics.json"
# oil_b holds 900 of 1000 kL: a release of 500 kL from outside fills its 100 kL of room
dec rel "0,release,oil_b:diesel,500,company reserve"
br rel "$BR"
check "release: 100 kL (the free tank space) at oil_b" grep -q '^0.0000,decision,,oil_b,diesel,100.000,#1 release oil_b:diesel 500.000$' "$T/rel/trace.csv"
check "release: counted as produced in the fuel balance" grep -q '"produced_kl":	100,' "$T/rel/metrics.json"
dec stp "0,release,stockpile,500,"
br stp "$BR"
check "release stockpile without a national stockpile: 0 kL" grep -q '^0.0000,decision,,,,,#1 release stockpile 500.000$' "$T/stp/trace.csv"
# stockpile: the branch scenario with a national stockpile of 2 days of the
# normal diesel use (hospital 24 + station 24 kL/day) = 96 kL, held at oil_b
# (the one designated depot) and not released within the horizon. By hand:
SP=$top/tests/scenarios/stockpile
"$F" run "$SP" --seed 1 --rep 0 --policy greedy --out "$T/sprun" >/dev/null 2>&1
check "stockpile scenario: 96 kL counted in the initial inventory (1424 + 96)" \
    grep -q '"initial_inventory_kl":[[:space:]]*1520,' "$T/sprun/metrics.json"
# release stockpile 40: 40 of the 96 kL
dec sp40 "3,release,stockpile,40,the ministry releases part"
br sp40 "$SP"
check "release stockpile 40 of 96 kL: 40 kL" grep -q '^3.0000,decision,,,,40.000,#1 release stockpile 40.000$' "$T/sp40/trace.csv"
# release stockpile 500: all 96 kL, no more
dec sp500 "3,release,stockpile,500,"
br sp500 "$SP"
check "release stockpile 500: the 96 kL held" grep -q '^3.0000,decision,,,,96.000,#1 release stockpile 500.000$' "$T/sp500/trace.csv"
# a stock row holding stockpile releases the stockpile first: 500 asked at
# oil_b gives its 96 kL (not the 100 kL of free tank space of the branch
# scenario); then the stockpile is empty: a second release gives 0 kL
dec sprow "0,release,oil_b:diesel,500,from the depot" "5,release,stockpile,10,"
br sprow "$SP"
check "release oil_b:diesel 500 with 96 kL of stockpile there: 96 kL" \
    grep -q '^0.0000,decision,,oil_b,diesel,96.000,#1 release oil_b:diesel 500.000$' "$T/sprow/trace.csv"
check "... then release stockpile 10: 0 kL" grep -q '^5.0000,decision,,,,,#2 release stockpile 10.000$' "$T/sprow/trace.csv"
check "... not counted as production (it was inventory already)" grep -q '"produced_kl":[[:space:]]*0,' "$T/sprow/metrics.json"
# policy: optimise from the start, greedy from hour 0 = the greedy run plus the decision row
"$F" run "$BR" --seed 1 --rep 0 --policy greedy --out "$T/grun" >/dev/null 2>&1
dec pol "0,policy,,greedy,back to rules"
br pol "$BR" --policy optimise
check "policy greedy at 0 under --policy optimise exits 0" [ $? -eq 0 ]
grep -v ',decision,' "$T/pol/trace.csv" >"$T/pol_nodec"
check "policy greedy at 0: the greedy run's trace besides the decision" same "$T/grun/trace.csv" "$T/pol_nodec"
check "policy: trace row" grep -q '^0.0000,decision,,,,,#1 policy - greedy$' "$T/pol/trace.csv"

# policy optimise from 10 h under --policy greedy: the planner is made for it;
# before 10 h the greedy run's rows
dec polo "10,policy,,optimise,the planner takes over"
br polo "$BR"
check "policy optimise at 10 h under --policy greedy exits 0" [ $? -eq 0 ]
awk -F, 'NR == 1 || $1 < 10' "$T/grun/trace.csv" >"$T/polo_a"
awk -F, 'NR == 1 || $1 < 10' "$T/polo/trace.csv" >"$T/polo_b"
check "policy optimise at 10 h: rows before 10 h are the greedy run's" same "$T/polo_a" "$T/polo_b"
check "policy optimise: trace row" grep -q '^10.0000,decision,,,,,#1 policy - optimise$' "$T/polo/trace.csv"

# ---- the exercise goes on: injects from an exercise time on -----------------------
dec live "1,mobilise,sdf_truck,,ask the SDF" "2,reserve,lorry_a,1,"
br live "$BR" --from-exercise-time 2026-09-01T11:00:00+09:00
check "--from-exercise-time exits 0" [ $? -eq 0 ]
check "--from-exercise-time: msel.csv header first" sh -c "head -1 '$T/live.out' | grep -q '^inject_id,scenario_time_h,exercise_time'"
check "--from-exercise-time: no inject before 11:00" sh -c \
    "! tail -n +2 '$T/live.out' | grep -q '^INJ-[0-9]*,[0-9.]*,2026-09-01T\(09\|10\):'"
check "--from-exercise-time: the 11:00 decision is there" grep -q '^INJ-[0-9]*,2.00,2026-09-01T11:00:00+09:00,Exercise players' "$T/live.out"
check "--from-exercise-time: rows are msel.csv's" sh -c "tail -n +2 '$T/live.out' | while IFS= read -r l; do grep -qxF \"\$l\" '$T/live/msel.csv' || exit 1; done"
br live "$BR" --lang ja
check "--lang ja: player action in Japanese" grep -q 'プレーヤーの決定1' "$T/live/msel.csv"
"$F" report "$T/late" >/dev/null 2>&1
check "report with branch.json: a branch section" grep -q 'id="branch"' "$T/late/report.html"

# ---- the base run is kept in OUT/base between calls ------------------------------
# first call: computed; one more decision into the same OUT: reused, and
# every file as a call into a new OUT writes it
dec ex1 "1,mobilise,sdf_truck,,ask the SDF"
dec ex2 "1,mobilise,sdf_truck,,ask the SDF" "2,reserve,lorry_a,1,"
"$F" branch "$BR" --seed 1 --rep 0 --policy greedy --decisions "$T/ex1.csv" --out "$T/ex" >"$T/ex1.out" 2>&1
check "first call: base computed" grep -q 'base run computed' "$T/ex1.out"
check "first call: the base's trace kept" same "$T/bnone/trace.csv" "$T/ex/base/trace.csv"
"$F" branch "$BR" --seed 1 --rep 0 --policy greedy --decisions "$T/ex2.csv" --out "$T/ex" >"$T/ex2.out" 2>&1
check "second call: base reused" grep -q 'base run reused from OUT/base' "$T/ex2.out"
"$F" branch "$BR" --seed 1 --rep 0 --policy greedy --decisions "$T/ex2.csv" --out "$T/exnew" >/dev/null 2>&1
for f in branch.json trace.csv metrics.json timeseries.csv msel.csv; do
    check "reused base: $f as from a new OUT" same "$T/ex/$f" "$T/exnew/$f"
done
check "the replicate's shaking kept (one block of doubles)" test -s "$T/ex/base/shaking.bin"
# another seed, policy or option is another base
"$F" branch "$BR" --seed 2 --rep 0 --policy greedy --decisions "$T/ex2.csv" --out "$T/ex" >"$T/ex3.out" 2>&1
check "another seed: base computed again" grep -q 'base run computed' "$T/ex3.out"
"$F" branch "$BR" --seed 2 --rep 0 --policy optimise --decisions "$T/ex2.csv" --out "$T/ex" >"$T/ex4.out" 2>&1
check "another policy: base computed again" grep -q 'base run computed' "$T/ex4.out"
"$F" branch "$BR" --seed 2 --rep 0 --policy optimise --decisions "$T/ex2.csv" --out "$T/ex" --lang ja >"$T/ex5.out" 2>&1
check "another language only: base reused" grep -q 'base run reused' "$T/ex5.out"
# a kept trace that is not the one its key was written with is not used
printf 'x' >>"$T/ex/base/trace.csv"
"$F" branch "$BR" --seed 2 --rep 0 --policy optimise --decisions "$T/ex2.csv" --out "$T/ex" >"$T/ex6.out" 2>&1
check "an altered kept trace: base computed again" grep -q 'base run computed' "$T/ex6.out"
"$F" branch "$BR" --seed 2 --rep 0 --policy optimise --decisions "$T/ex2.csv" --out "$T/ex6" >/dev/null 2>&1
check "... and branch.json is right" same "$T/ex/branch.json" "$T/ex6/branch.json"
# nor is a kept shaking altered since (the model of a reused base is built from it)
printf 'x' >>"$T/ex/base/shaking.bin"
"$F" branch "$BR" --seed 2 --rep 0 --policy optimise --decisions "$T/ex2.csv" --out "$T/ex" >"$T/ex8.out" 2>&1
check "an altered kept shaking: base computed again" grep -q 'base run computed' "$T/ex8.out"
check "... and the branch's trace is right" same "$T/ex/trace.csv" "$T/ex6/trace.csv"
"$F" branch "$BR" --seed 2 --rep 0 --policy optimise --decisions "$T/ex2.csv" --out "$T/ex" >"$T/ex9.out" 2>&1
check "... and kept again: reused" grep -q 'base run reused' "$T/ex9.out"
check "... with the same trace" same "$T/ex/trace.csv" "$T/ex6/trace.csv"
# another scenario into the same OUT
"$F" branch "$TD" --seed 2 --rep 0 --policy optimise --decisions "$T/none.csv" --out "$T/ex" >"$T/ex7.out" 2>&1
check "another scenario: base computed again" grep -q 'base run computed' "$T/ex7.out"

# ---- bad rows: file:line: message, exit 2 -----------------------------------------
# bad NAME "expected message" ROW: one bad row on line 2
bad_row() {
    n=$1; msg=$2; shift 2
    dec "$n" "$@"
    br "$n" "$BR"
    rc=$?
    check "bad $n: exit 2 (got $rc)" [ $rc -eq 2 ]
    check "bad $n: $msg" grep -qxF "$T/$n.csv:2: $msg" "$T/$n.out"
}
bad_row at_text 'at_h: "soon" is not a time in [0, 48] h' 'soon,mobilise,sdf_truck,,'
bad_row at_neg 'at_h: "-1" is not a time in [0, 48] h' '-1,mobilise,sdf_truck,,'
bad_row at_late 'at_h: "49" is not a time in [0, 48] h' '49,mobilise,sdf_truck,,'
bad_row action 'action: "evacuate" is not mobilise, reserve, priority, close, open, release or policy' '1,evacuate,sdf_truck,,'
bad_row t_fleet 'target: "sdf_tank" is not a fleet (assets.csv)' '1,mobilise,sdf_tank,,'
bad_row t_rfleet 'target: "hosp_h" is not a fleet (assets.csv)' '1,reserve,hosp_h,2,'
bad_row t_point 'target: "lorry_a" is not a demand point (demand.csv)' '1,priority,lorry_a,1,'
bad_row t_link 'target: "road_xx" is not a link (links.csv)' '1,close,road_xx,,'
bad_row t_olink 'target: "" is not a link (links.csv)' '1,open,,,'
bad_row t_stock 'target: "oil_b:gasoline" is not FACILITY:PRODUCT of a stock row, nor "stockpile"' '1,release,oil_b:gasoline,5,'
bad_row t_policy 'target: policy takes no target, found "lorry_a"' '1,policy,lorry_a,greedy,'
bad_row v_class0 'value: "0" is not a priority class 1..4' '1,reserve,lorry_a,0,'
bad_row v_class5 'value: "5" is not a priority class 1..4' '1,priority,stn_s,5,'
bad_row v_kl 'value: "-3" is not a positive number of kL' '1,release,oil_b:diesel,-3,'
bad_row v_policy 'value: "fastest" is not greedy or optimise' '1,policy,,fastest,'
bad_row v_none 'value: mobilise takes no value, found "3"' '1,mobilise,sdf_truck,3,'
# every bad row is reported, each at its line
dec many '1,mobilise,sdf_truck,,' 'x,close,road_bh,,' '2,open,nowhere,,' '3,policy,,greedy,'
br many "$BR"
check "many: exit 2" [ $? -eq 2 ]
check "many: line 3" grep -q "many.csv:3: at_h" "$T/many.out"
check "many: line 4" grep -q "many.csv:4: target" "$T/many.out"
check "many: only two problems" [ "$(grep -c 'many.csv:' "$T/many.out")" -eq 2 ]
printf 'at_h,action,target,value\n1,mobilise,sdf_truck,\n' >"$T/nonote.csv"
br nonote "$BR"
check "missing column: exit 2" [ $? -eq 2 ]
check "missing column: named" grep -q "nonote.csv:1: .*note" "$T/nonote.out"
printf 'at_h,action,target,value,note\n1,mobilise,sdf_truck,,"a, b\n' >"$T/quote.csv"
br quote "$BR"
check "unterminated quote: exit 2" [ $? -eq 2 ]
"$F" branch "$BR" --seed 1 --rep 0 --decisions "$T/absent.csv" --out "$T/absent" >"$T/absent.out" 2>&1
check "missing decisions file: exit 2" [ $? -eq 2 ]
check "missing decisions file: named" grep -q "absent.csv: cannot open" "$T/absent.out"
"$F" branch "$BR" --seed 1 --decisions "$T/empty.csv" --out "$T/norep" >/dev/null 2>&1
check "--rep is required" [ $? -eq 2 ]
"$F" branch "$BR" --seed 1 --rep 0 --decisions "$T/empty.csv" --out "$T/x" --from-exercise-time tomorrow >/dev/null 2>&1
check "bad --from-exercise-time: exit 2" [ $? -eq 2 ]
done_tests
