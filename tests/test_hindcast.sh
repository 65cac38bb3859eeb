#!/bin/sh
# `fuelsim hindcast`: the validation table is built (columns, one row per
# observation, P5 <= P50 <= P95, inside agrees with the bands), the same
# bytes on 1 and 2 threads, usage and bad-input errors exit 2. What the table
# says about the model is not tested here: rows outside are findings.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
F=$FUELSIM
tmp_dir hind
S=$top/scenarios/tokyo-bay

"$F" hindcast --help >"$T/help" 2>&1
check "hindcast --help exits 0 and names the outputs" grep -q "validation.md" "$T/help"
"$F" hindcast "$S" >/dev/null 2>&1
check "hindcast without --out is a usage error (2)" [ $? -eq 2 ]
"$F" hindcast "$S" -n 0 --out "$T/x" >/dev/null 2>&1
check "hindcast -n 0 is a usage error (2)" [ $? -eq 2 ]
"$F" hindcast "$top/tests/bad-input/base" --out "$T/x" >/dev/null 2>"$T/err"
check "a scenario without a validation table exits 2" [ $? -eq 2 ]

"$F" hindcast "$S" -n 40 --seed 3 --threads 1 --out "$T/a" 2>"$T/log"
rc=$?
check "hindcast -n 40 exits 0" [ $rc -eq 0 ]
"$F" hindcast "$S" -n 40 --seed 3 --threads 2 --out "$T/b" 2>/dev/null
check "validation.csv identical on 1 and 2 threads" cmp -s "$T/a/validation.csv" "$T/b/validation.csv"
check "validation.md written" [ -s "$T/a/validation.md" ]
check "validation.csv header" sh -c \
  "head -1 '$T/a/validation.csv' | grep -qx 'id,event,metric,site,param,time_h,observed,obs_lo,obs_hi,p5,p50,p95,inside,n,source,note'"
nrows=$(($(wc -l <"$T/a/validation.csv") - 1))
nobs=$(($(grep -c . "$S/validation.csv") - 1))
check "one result row per observation ($nrows vs $nobs)" [ "$nrows" -eq "$nobs" ]
check "at least 15 rows" [ "$nrows" -ge 15 ]
# Columns 10-14 (p5, p50, p95, inside, n) sit before the quoted source; read
# them from the csv with a quote-aware split in awk.
cat >"$T/cols.awk" <<'AWK'
function split_csv(line, f,   n, i, c, q, cur) {
    n = 0; q = 0; cur = ""
    for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (c == "\"") { q = !q; continue }
        if (c == "," && !q) { f[++n] = cur; cur = ""; continue }
        cur = cur c
    }
    f[++n] = cur
    return n
}
NR > 1 {
    n = split_csv($0, f)
    if (n != 16) { print "fields " n " on line " NR; bad = 1; next }
    if (!(f[10] + 0 <= f[11] + 0 && f[11] + 0 <= f[12] + 0)) { print "bands not ordered on line " NR; bad = 1 }
    inside = (f[10] + 0 <= f[9] + 0 && f[8] + 0 <= f[12] + 0)
    if (inside != f[13] + 0) { print "inside disagrees on line " NR; bad = 1 }
    if (f[14] != 40) { print "n " f[14] " on line " NR; bad = 1 }
    if (f[15] == "") { print "no source on line " NR; bad = 1 }
}
END { exit bad }
AWK
awk -f "$T/cols.awk" "$T/a/validation.csv" >"$T/awk.out"
rc=$?
[ $rc -ne 0 ] && cat "$T/awk.out" >&2
check "every row: 16 fields, P5 <= P50 <= P95, inside agrees, n = 40, a source" [ $rc -eq 0 ]
check "validation.md lists the rows outside" grep -q "^## Rows outside their band" "$T/a/validation.md"
check "report.html has the validation section" grep -q '<section id="validation">' "$T/a/report.html"
nhtml=$(grep -c '<tr class="\(in\|out\)">' "$T/a/report.html")
check "one report row per observation ($nhtml)" [ "$nhtml" -eq "$nobs" ]
events=$(awk -F, 'NR > 1 {print $2}' "$T/a/validation.csv" | sort -u | wc -l)
check "at least three earthquakes (two past, one official estimate): $events" [ "$events" -ge 3 ]

# An unknown metric or site is bad input: exit 2, file:line message.
cp -r "$S" "$T/scn"
printf 'zz1,tohoku_2011,no_such_metric,hub_T01,,0,1,0,2,test,\nzz2,tohoku_2011,jma_intensity,no_such_site,,0,1,0,2,test,\n' >>"$T/scn/validation.csv"
"$F" hindcast "$T/scn" -n 2 --out "$T/c" >/dev/null 2>"$T/err"
rc=$?
check "unknown metric or site exits 2" [ $rc -eq 2 ]
check "unknown metric message" grep -q "validation.csv:$((nobs + 2)): metric: \"no_such_metric\" is not a known metric" "$T/err"
check "unknown site message" grep -q "validation.csv:$((nobs + 3)): site: \"no_such_site\" is not a facility or demand-point id" "$T/err"
check "nothing written on bad input" [ ! -e "$T/c" ]
done_tests
