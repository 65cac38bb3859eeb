#!/bin/sh
# The planner commands (issue 8): drill (MSEL), bcp (port BCP annex) and
# compare (investments on common random numbers). Usage errors exit 2; the
# MSEL of the hand-checked SDF scenario; exercise clock arithmetic; both
# languages; same arguments and any thread count give the same bytes; BCP
# figures against the sweep's own replicates.csv and summary.json; a
# do-nothing option reproduces the baseline on every replicate, a fleet
# increase does not raise mean shortfall, the paired CI against a
# recomputation from the rows; bad investments files give file:line.
. "$(dirname "$0")/lib.sh"
F=$FUELSIM
tmp_dir plan
TB=scenarios/tokyo-bay
SDF=tests/supply/sdf_lorry
BASE=tests/bad-input/base
have_tb=0
[ -f $TB/scenario.json ] && have_tb=1

exit_is() { # exit_is CODE command...
    want=$1; shift
    "$@" >"$T/out" 2>"$T/err"; rc=$?
    [ "$rc" -eq "$want" ] || { echo "exit $rc, expected $want: $*" >&2; cat "$T/err" >&2; return 1; }
}
# near A B TOL: |A - B| <= TOL
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'; }
# value of column NAME in row (2 = first data row) of a CSV without quoted commas
csv_col() { awk -F, -v name="$2" -v row="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i } NR == row { print $c }' "$1"; }
summary_q() { # FILE SECTION ID FIELD KEY
    awk -v sec="\"$2\":" -v id="\"$3\":" -v fld="\"$4\":" -v key="\"$5\":" '
        index($0, sec) { s = 1 } s && index($0, id) { i = 1 } s && i && index($0, fld) { f = 1 }
        s && i && f && index($0, key) { v = $2; sub(/,$/, "", v); print v; exit }' "$1"
}

# ---- drill: usage -------------------------------------------------------------------
check "drill without --pick or --rep" exit_is 2 $F drill $SDF --out "$T/d"
check "drill with both --pick and --rep" exit_is 2 $F drill $SDF --pick median --rep 1 --out "$T/d"
check "drill --pick mean" exit_is 2 $F drill $SDF --pick mean --out "$T/d"
check "drill --lang fr" exit_is 2 $F drill $SDF --rep 0 --lang fr --out "$T/d"
check "drill --start not ISO" exit_is 2 $F drill $SDF --rep 0 --start 2026-09-01 --out "$T/d"
check "drill --compress 0" exit_is 2 $F drill $SDF --rep 0 --compress 0 --out "$T/d"
check "drill -n 0" exit_is 2 $F drill $SDF --pick median -n 0 --out "$T/d"
check "drill -n with --rep" exit_is 2 $F drill $SDF --rep 0 -n 5 --out "$T/d"
check "drill without --out" exit_is 2 $F drill $SDF --rep 0
check "drill --help" exit_is 0 $F drill --help
check "nothing written on usage errors" test ! -e "$T/d"

# ---- drill: the hand-checked SDF scenario ---------------------------------------------
# Request at 0, SDF asked at 6 h, dry at 12 h, SDF ready at 26 h, first delivery at
# 28 h (tests/supply/README.md) with greedy dispatch; 12 scenario hours per
# exercise hour from 08:30.
check "drill sdf" exit_is 0 $F drill $SDF --rep 0 --policy greedy --compress 12 --start 2026-01-15T08:30:00+09:00 --out "$T/sdf"
check "msel.csv header" test "$(head -1 "$T/sdf/msel.csv")" = \
    "inject_id,scenario_time_h,exercise_time,from,to,method,message,expected_action,objective"
check "main shock at the start" grep -q '^INJ-001,0.00,2026-01-15T08:30:00+09:00,Exercise control' "$T/sdf/msel.csv"
check "dry at 12 h is 1 exercise hour later" \
    grep -q '^INJ-004,12.00,2026-01-15T09:30:00+09:00,Hospital,Tokyo disaster HQ,Disaster radio,Hospital: diesel has run out.,' "$T/sdf/msel.csv"
check "SDF asked at 6 h = 09:00" grep -q '^INJ-003,6.00,2026-01-15T09:00:00+09:00,Prefecture disaster HQ,SDF liaison,' "$T/sdf/msel.csv"
check "SDF ready at 26 h = 10:40" grep -q '^INJ-005,26.00,2026-01-15T10:40:00+09:00,SDF liaison,' "$T/sdf/msel.csv"
check "resupplied at 28 h = 10:50" grep -q '^INJ-006,28.00,2026-01-15T10:50:00+09:00,Hospital,' "$T/sdf/msel.csv"
ndry=$(grep -c ',dry,' "$T/sdf/trace.csv")
check "one dry inject per dry row" test "$(grep -c 'has run out' "$T/sdf/msel.csv")" -eq "$ndry"
check "json has every inject" test "$(grep -c '"inject_id"' "$T/sdf/msel.json")" -eq "$(($(wc -l <"$T/sdf/msel.csv") - 1))"
check "json names the replicate" grep -q '"pick":	"rep"' "$T/sdf/msel.json"
check "json names the policy" grep -q '"policy":	"greedy"' "$T/sdf/msel.json"
check "drill sdf in Japanese" exit_is 0 $F drill $SDF --rep 0 --policy greedy --lang ja --out "$T/sdfja"
check "Japanese message" grep -q '病院:軽油が枯渇。' "$T/sdfja/msel.csv"
check "Japanese receiving HQ" grep -q '東京都災害対策本部' "$T/sdfja/msel.csv"
check "default start 2026-09-01 09:00 JST" grep -q '^INJ-004,12.00,2026-09-01T21:00:00+09:00,' "$T/sdfja/msel.csv"
check "start given in UTC is shown in JST" exit_is 0 $F drill $SDF --rep 0 --policy greedy --start 2026-01-15T00:00Z --out "$T/sdfz"
check "UTC start" grep -q '^INJ-001,0.00,2026-01-15T09:00:00+09:00,' "$T/sdfz/msel.csv"

# ---- drill: picking on a damaging scenario, determinism ------------------------------------
if [ $have_tb -eq 1 ]; then D=$TB; else D=$BASE; fi
check "drill p90" exit_is 0 $F drill $D --pick p90 -n 6 --seed 3 --threads 1 --out "$T/p1"
check "drill p90 again, 2 threads" exit_is 0 $F drill $D --pick p90 -n 6 --seed 3 --threads 2 --out "$T/p2"
for f in msel.csv msel.json trace.csv; do
    check "same bytes: $f" cmp -s "$T/p1/$f" "$T/p2/$f"
done
check "the optimiser is the default" grep -q '"policy":	"optimise"' "$T/p1/msel.json"
rep=$(grep -m1 '"rep":' "$T/p1/msel.json" | tr -dc 0-9)
check "drill --rep of the picked replicate" exit_is 0 $F drill $D --rep "$rep" --seed 3 --out "$T/p3"
check "same injects by --rep" cmp -s "$T/p1/msel.csv" "$T/p3/msel.csv"
check "drill worst in Japanese" exit_is 0 $F drill $D --pick worst -n 6 --seed 3 --lang ja --out "$T/pj"
check "drill worst in English" exit_is 0 $F drill $D --pick worst -n 6 --seed 3 --lang en --out "$T/pe"
check "same number of injects in both languages" test "$(wc -l <"$T/pj/msel.csv")" -eq "$(wc -l <"$T/pe/msel.csv")"
if [ $have_tb -eq 1 ]; then
    name_en="ENEOS Negishi Refinery (Yokohama, Isogo)"; name_ja="ENEOS 根岸製油所(横浜市磯子区)"
else
    name_en="Refinery one"; name_ja="製油所一"
fi
check "Japanese facility name in ja" grep -q "$name_ja" "$T/pj/msel.csv"
check "English facility name in en" grep -q "$name_en" "$T/pe/msel.csv"
check "no English facility name in ja" sh -c "! grep -q '$name_en reports' '$T/pj/msel.csv'"
ndry=$(grep -c ',dry,' "$T/pe/trace.csv")
nlines=$(awk '/"kind":	"dry"/ { d = 1 } /"trace_lines":/ && d { n += gsub(/,/, ",") + 1; d = 0 } END { print n + 0 }' "$T/pe/msel.json")
check "dry injects cover every dry row ($ndry)" test "$nlines" -eq "$ndry"

# ---- bcp --------------------------------------------------------------------------------
check "bcp without -n" exit_is 2 $F bcp $BASE --out "$T/b"
check "bcp without --out" exit_is 2 $F bcp $BASE -n 5
check "bcp --quake unknown" exit_is 2 $F bcp $BASE -n 5 --quake nope --out "$T/b"
check "bcp -n 0" exit_is 2 $F bcp $BASE -n 0 --out "$T/b"
check "bcp base" exit_is 0 $F bcp $BASE -n 20 --seed 7 --threads 2 --out "$T/b"
B=$T/b
R=$B/sweep/replicates.csv
check "bcp files" test -s $B/bcp.csv -a -s $B/bcp.md -a -s $R -a -s $B/sweep/summary.json
check "bcp.csv header" test "$(head -1 $B/bcp.csv)" = \
    "level,facility,component,kind,name_en,name_ja,p_none,p_slight,p_moderate,p_extensive,p_complete,restore_p50_h,restore_p90_h,target_h,p_within_target"
# damage-state probabilities of the facility and of its berth, counted from the rows
for spec in "facility:ds_ref1:2" "berth:berth_ds_ref1_berth:4"; do
    col=$(echo $spec | cut -d: -f2); line=$(echo $spec | cut -d: -f3)
    for ds in 0 1 2 3 4; do
        want=$(awk -F, -v name="$col" -v ds=$ds 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
                { n++; k += ($c == ds) } END { printf "%.6f", k / n }' $R)
        got=$(awk -F, -v line=$line -v f=$((7 + ds)) 'NR == line { print $f }' $B/bcp.csv)
        check "P(ds $ds) of $col" near "$got" "$want" 1e-6
    done
done
# restoration quantiles as summary.json has them
got=$(csv_col $B/bcp.csv restore_p50_h 4); want=$(summary_q $B/sweep/summary.json berths ref1_berth restore_h p50)
check "berth P50 = summary.json ($want)" near "$got" "$want" 1e-3
got=$(csv_col $B/bcp.csv restore_p90_h 2); want=$(summary_q $B/sweep/summary.json facilities ref1 restore_h p90)
check "facility P90 = summary.json ($want)" near "$got" "$want" 1e-2
got=$(csv_col $B/bcp.csv restore_p50_h 5); want=$(summary_q $B/sweep/summary.json components ref1_rack restore_h p50)
check "rack P50 = summary.json ($want)" near "$got" "$want" 1e-3
# P(back within the 72 h berth target), counted from the rows
want=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "berth_restore_h_ref1_berth") c = i; next }
        { n++; k += ($c <= 72) } END { printf "%.6f", k / n }' $R)
check "berth target" test "$(csv_col $B/bcp.csv target_h 4)" = 72
check "P(berth within target) = $want" near "$(csv_col $B/bcp.csv p_within_target 4)" "$want" 1e-6
check "no target for the rack" test -z "$(csv_col $B/bcp.csv target_h 5)"
check "bcp.md title" grep -q '^# Port BCP annex: fuel supply after Test quake' $B/bcp.md
check "bcp.md replicates and seed" grep -q '| Replicates | 20 sampled damage outcomes, seed 7 |' $B/bcp.md
check "bcp.md says where no target is set" grep -q 'No BCP target is set for: process (1 component), rack (1 component)' $B/bcp.md
check "bcp.md without notes says so" grep -q 'The scenario has no notes file' $B/bcp.md
check "bcp.md names the policy (the default)" grep -q -- '| Dispatch policy | optimise, forecast median |' $B/bcp.md
check "bcp summary.json names the policy" grep -q '"policy":[[:space:]]*"optimise"' $B/sweep/summary.json
check "bcp.md generator fuel for class 1" grep -q '^| 1 | 1 | 11.0 | 33.0 | 30.0 |' $B/bcp.md
# first dry hour of class 1: the sweep's column against the annex
p24=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "first_dry_h_class1") c = i; next }
      { n++; k += ($c < 24) } END { printf "%.2f", k / n }' $R)
check "P(class 1 dry within 24 h) = $p24" grep -q "| P(a class-1 user runs short within 24 h) | $p24 |" $B/bcp.md
if [ $have_tb -eq 1 ]; then
    check "bcp tokyo-bay" exit_is 0 $F bcp $TB -n 4 --out "$T/btb"
    check "caveats from the notes" grep -q 'From the scenario notes (`notes.md`)' "$T/btb/bcp.md"
    check "a caveat of the notes" grep -q 'All coordinates' "$T/btb/bcp.md"
    # the annex's bottleneck section: each sampled replicate planned as `fuelsim plan --at 24` would
    check "bcp.md has the transport bottlenecks" grep -q '^## What limits emergency transport' "$T/btb/bcp.md"
    for r in 0 1 2 3; do $F plan $TB --seed 1 --rep $r --at 24 --out "$T/bp$r" >/dev/null 2>&1; done
    want=$(for r in 0 1 2 3; do python3 -c 'import json, sys
for b in json.load(open(sys.argv[1]))["bottlenecks"]:
    if b["id"] == "sdf_ch47_drums" and b["kind"] == "fleet": print(b["value"])' "$T/bp$r/plan.json"; done | awk '{ s += $1; n++ } END { printf "%d %.3f", n, s / n }')
    got=$(awk -F'|' '$2 == " fleet " && $3 == " sdf_ch47_drums " { split($4, a, " "); printf "%d %.3f", a[1], $5 }' "$T/btb/bcp.md")
    check "helicopters bind in as many replicates with the same mean as the plans say ($got vs $want)" test "$got" = "$want"
fi

# ---- compare ------------------------------------------------------------------------------
cat >"$T/bad.csv" <<'EOF'
option,cost_yen,change,target,product,value
x,100,fleet_add,l1,,2
y,50,retrofit,no_such_component,,2
z,oops,none,,,
EOF
check "bad investments file: exit 2" exit_is 2 $F compare $BASE --invest "$T/bad.csv" -n 3 --out "$T/cb"
check "bad investments file: line 3" grep -q "^$T/bad.csv:3: target: \"no_such_component\" is not a component id$" "$T/err"
check "bad investments file: line 4" grep -q "^$T/bad.csv:4: cost_yen: \"oops\"" "$T/err"
check "bad investments file: nothing run" test ! -e "$T/cb/sweeps"
check "compare without --invest" exit_is 2 $F compare $BASE -n 3 --out "$T/cb"
check "compare missing file" exit_is 2 $F compare $BASE --invest "$T/none.csv" -n 3 --out "$T/cb"
if [ $have_tb -eq 1 ]; then
    cat >"$T/inv.csv" <<'EOF'
option,name_en,name_ja,cost_yen,change,target,product,value,source
nothing,Control,対照,0,none,,,,test
lorries,More lorries,増車,800000000,fleet_add,lorry_tokyo_port,,20,test
retro,Berth retrofit,桟橋補強,1000000000,retrofit,oil_yokohama_berth,,3,test
EOF
    C=$T/ctb
    check "compare tokyo-bay" exit_is 0 $F compare $TB --invest "$T/inv.csv" -n 6 --seed 2 --out $C
    check "compare.json names the policy" grep -q '"policy":[[:space:]]*"optimise"' $C/compare.json
    check "compare files" test -s $C/compare.csv -a -s $C/compare.json -a -s $C/sweeps/baseline/replicates.csv
    check "do-nothing reproduces the baseline on every replicate" \
        cmp -s $C/sweeps/baseline/replicates.csv $C/sweeps/nothing/replicates.csv
    row=$(grep -n ',nothing,' $C/compare.csv | cut -d: -f1)
    for col in ws_avoided_mean ws_avoided_ci_lo ws_avoided_ci_hi unserved_kl_avoided_mean dry_hours_class1_avoided_mean; do
        check "do-nothing $col is 0" test "$(csv_col $C/compare.csv $col $row)" = 0
    done
    row=$(grep -n ',lorries,' $C/compare.csv | cut -d: -f1)
    # Greedy dispatch is a heuristic, so on six replicates more lorries may
    # avoid less than nothing by chance; what must not happen is lorries that
    # do significantly worse: the 95% CI of the shortfall avoided reaches 0.
    hi=$(csv_col $C/compare.csv ws_avoided_ci_hi $row)
    check "more lorries are not significantly worse (CI upper bound $hi)" awk -v x="$hi" 'BEGIN { exit !(x >= 0) }'
    got=$(csv_col $C/compare.csv ws_avoided_mean $row)
    # the paired CI recomputed from the two sweeps' rows; t(0.975, 5) = 2.5705818366
    want=$(awk -F, 'FNR == 1 { for (i = 1; i <= NF; i++) if ($i == "weighted_shortfall") c = i; next }
            FILENAME == ARGV[1] { b[FNR] = $c; next }
            { d = b[FNR] - $c; n++; s += d; q[n] = d }
            END { m = s / n; for (i = 1; i <= n; i++) v += (q[i] - m) ^ 2; sd = sqrt(v / (n - 1));
                  printf "%.10g %.10g", m, m - 2.5705818366 * sd / sqrt(n) }' \
            $C/sweeps/baseline/replicates.csv $C/sweeps/lorries/replicates.csv)
    check "paired mean from the rows" near "$got" "${want% *}" 1e-6
    check "paired CI low end from the rows" near "$(csv_col $C/compare.csv ws_avoided_ci_lo $row)" "${want#* }" 1e-5
    # the retrofit changes the damage of its own berth only
    diffcols=$(awk -F, 'FNR == 1 { for (i = 1; i <= NF; i++) name[i] = $i; next }
        FILENAME == ARGV[1] { for (i = 1; i <= NF; i++) b[FNR, i] = $i; next }
        { for (i = 1; i <= NF; i++) if (name[i] ~ /^(berth_)?ds_/ && $i != b[FNR, i]) print name[i] }' \
        $C/sweeps/baseline/replicates.csv $C/sweeps/retro/replicates.csv | sort -u | tr '\n' ' ')
    case "$diffcols" in
        ""|"berth_ds_oil_yokohama_berth "|"berth_ds_oil_yokohama_berth ds_oil_yokohama "|"ds_oil_yokohama ") ok ;;
        *) bad "retrofit changed other damage states: $diffcols" ;;
    esac
    check "ranks 1..3" test "$(cut -d, -f1 $C/compare.csv | tail -n +2 | tr '\n' ' ')" = "1 2 3 "
fi

done_tests
