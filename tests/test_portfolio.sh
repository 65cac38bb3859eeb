#!/bin/sh
# `fuelsim portfolio` on tests/scenarios/portfolio, whose answers are known
# by hand (see tests/scenarios/README.md): budget 0 -> no option; 100 -> the
# hospital tank (avoids 1800); 200 -> lorry and precontract together (avoid
# 3600, interaction 3600), not the best single option; 300 -> the same pair,
# no dearer set. Also: no set above its budget, exhaustive search agrees,
# the same bytes on 1 and 2 threads (here and on two options of the embedded
# scenario, whose replicates differ), --resume re-uses the cached sets and
# gives the same bytes (and refuses other arguments), requires/excludes
# change the answer, bad rows give file:line and exit 2, usage errors exit 2.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
F=$FUELSIM
S="$top/tests/scenarios/portfolio"
tmp_dir portfolio-sh

col() { # col FILE BUDGET COLUMN: the cell of that budget's row
    awk -F, -v b="$2" -v c="$3" 'NR == 1 { for (i = 1; i <= NF; i++) k[$i] = i; next }
                                 $1 == b { print $(k[c]) }' "$1"
}

"$F" portfolio "$S" --policy greedy --invest "$S/investments.csv" --budget 0:300:100 -n 4 --threads 1 --out "$T/a" \
    >"$T/a.out" 2>"$T/a.err"
check "portfolio exits 0" [ $? -eq 0 ]
fr="$T/a/frontier.csv"
check "budget 0: empty set" [ "$(col "$fr" 0 options)" = "" ]
check "budget 0: cost 0" [ "$(col "$fr" 0 cost_yen)" = "0" ]
check "budget 100: the hospital tank" [ "$(col "$fr" 100 options)" = "storage" ]
check "budget 100: avoids 1800" [ "$(col "$fr" 100 ws_avoided_mean)" = "1800" ]
check "budget 200: the pair without the best single" [ "$(col "$fr" 200 options)" = "lorry;precontract" ]
check "budget 200: best single is storage" [ "$(col "$fr" 200 best_single)" = "storage" ]
check "budget 200: avoids 3600" [ "$(col "$fr" 200 ws_avoided_mean)" = "3600" ]
check "budget 200: interaction 3600" [ "$(col "$fr" 200 interaction_mean)" = "3600" ]
check "budget 200: interaction CI 3600" [ "$(col "$fr" 200 interaction_ci_lo)" = "3600" ]
check "budget 200: 1800 more than the best single" [ "$(col "$fr" 200 vs_best_single_mean)" = "1800" ]
check "budget 200: 36 class-1 dry hours avoided" [ "$(col "$fr" 200 dry_hours_class1_avoided_mean)" = "36" ]
check "budget 300: the same pair, cost 200" [ "$(col "$fr" 300 options),$(col "$fr" 300 cost_yen)" = "lorry;precontract,200" ]
check "no set costs more than its budget" \
    awk -F, 'NR > 1 && $3 + 0 > $1 + 0 { bad = 1 } END { exit bad }' "$fr"
check "portfolio.json names the pair's interaction" \
    grep -q '"a":[[:space:]]*"lorry"' "$T/a/portfolio.json"
check "the report has the frontier section" grep -q '<section id="frontier">' "$T/a/report.html"
check "the report draws one point per budget" [ "$(grep -o '<circle class="set"' "$T/a/report.html" | wc -l)" -eq 4 ]

"$F" portfolio "$S" --policy greedy --invest "$S/investments.csv" --budget 0:300:100 -n 4 --threads 2 --out "$T/b" >/dev/null 2>&1
check "2 threads exit 0" [ $? -eq 0 ]
check "frontier.csv: same bytes on 1 and 2 threads" cmp -s "$T/a/frontier.csv" "$T/b/frontier.csv"
check "portfolio.json: same bytes on 1 and 2 threads" cmp -s "$T/a/portfolio.json" "$T/b/portfolio.json"

"$F" portfolio "$S" --policy greedy --invest "$S/investments.csv" --budget 0:300:100 -n 4 --search exhaustive --out "$T/e" \
    >/dev/null 2>&1
check "exhaustive search exits 0" [ $? -eq 0 ]
check "exhaustive search chooses the same sets" \
    [ "$(cut -d, -f1-3 "$T/e/frontier.csv")" = "$(cut -d, -f1-3 "$fr")" ]

# threads on a scenario whose replicates differ: two options of the embedded example
E="$top/scenarios/tokyo-bay"
grep -E '^(option|tokyo_racks|hospital_storage_tokyo),' "$E/investments.csv" >"$T/two.csv"
"$F" portfolio "$E" --policy greedy --invest "$T/two.csv" --budget 0,2e9 -n 6 --threads 1 --out "$T/t1" >/dev/null 2>&1
check "embedded, 1 thread: exit 0" [ $? -eq 0 ]
"$F" portfolio "$E" --policy greedy --invest "$T/two.csv" --budget 0,2e9 -n 6 --threads 2 --out "$T/t2" >/dev/null 2>&1
check "embedded, 2 threads: exit 0" [ $? -eq 0 ]
check "embedded: replicates differ (the comparison means something)" \
    [ "$(tail -n +3 "$T/t1/sets/search-0000000000000000.csv" | cut -d, -f2 | sort -u | wc -l)" -gt 3 ]
check "embedded: frontier.csv same bytes on 1 and 2 threads" cmp -s "$T/t1/frontier.csv" "$T/t2/frontier.csv"
check "embedded: portfolio.json same bytes on 1 and 2 threads" cmp -s "$T/t1/portfolio.json" "$T/t2/portfolio.json"
check "embedded: budget 0 is the empty set" [ "$(col "$T/t1/frontier.csv" 0 options)" = "" ]
check "embedded: the set costs at most 2e9" \
    awk -F, 'NR > 1 && $3 + 0 > $1 + 0 { bad = 1 } END { exit bad }' "$T/t1/frontier.csv"

# resume: an interrupted run leaves whole cache files; drop some and the outputs
rm -f "$T/b/frontier.csv" "$T/b/portfolio.json" "$T/b/sets/search-0000000000000006.csv"
"$F" portfolio "$S" --policy greedy --invest "$S/investments.csv" --budget 0:300:100 -n 4 --out "$T/b" --resume >"$T/r.out" 2>&1
check "resume exits 0" [ $? -eq 0 ]
check "resume simulates only the missing set" grep -q "1 simulated in this run, 15 re-used" "$T/r.out"
check "resume gives the same frontier.csv" cmp -s "$T/a/frontier.csv" "$T/b/frontier.csv"
check "resume gives the same portfolio.json" cmp -s "$T/a/portfolio.json" "$T/b/portfolio.json"
"$F" portfolio "$S" --policy greedy --invest "$S/investments.csv" --budget 0:300:100 -n 4 --seed 9 --out "$T/b" --resume \
    >/dev/null 2>"$T/r2.err"
check "resume with another seed is refused (exit 2)" [ $? -eq 2 ]
check "the refusal says why" grep -q "made with other arguments" "$T/r2.err"
# a cache from another program or scenario version: the baseline's replicate 0 differs
sed -i '3s/^0,[^,]*,/0,1234.5,/' "$T/b/sets/search-0000000000000000.csv"
"$F" portfolio "$S" --policy greedy --invest "$S/investments.csv" --budget 0:300:100 -n 4 --out "$T/b" --resume \
    >/dev/null 2>"$T/r3.err"
check "resume over a cache the program no longer reproduces is refused (exit 2)" [ $? -eq 2 ]
check "that refusal says why" grep -q "no longer matches this program and scenario" "$T/r3.err"

# requires: precontract needs a survey (cost 50, no effect); storage excludes lorry
sed -e '1s/$/,excludes,requires/' -e '/^storage,/s/$/,lorry,/' -e '/^lorry,/s/$/,,/' \
    -e '/^precontract,/s/$/,,survey/' -e '/^control,/s/$/,,/' "$S/investments.csv" >"$T/req.csv"
echo "survey,Survey,調査,50,none,,,,test,," >>"$T/req.csv"
"$F" portfolio "$S" --policy greedy --invest "$T/req.csv" --budget 200,250 -n 2 --out "$T/q" >/dev/null 2>"$T/q.err"
check "requires: exits 0" [ $? -eq 0 ]
check "requires: at 200 the pair needs the survey, so storage" [ "$(col "$T/q/frontier.csv" 200 options)" = "storage" ]
check "requires: at 250 the pair with its survey" \
    [ "$(col "$T/q/frontier.csv" 250 options)" = "lorry;precontract;survey" ]

# the default policy (the optimiser) is passed through and finds the same pair
"$F" portfolio "$S" --invest "$S/investments.csv" --budget 200 -n 2 --out "$T/o" >/dev/null 2>&1
check "default policy: exit 0" [ $? -eq 0 ]
check "default policy is optimise" grep -q '"policy":[[:space:]]*"optimise"' "$T/o/portfolio.json"
check "optimise: budget 200 the pair" [ "$(col "$T/o/frontier.csv" 200 options)" = "lorry;precontract" ]

# bad rows
printf 'option,cost_yen,change,target,product,value,excludes,requires\na,1,none,,,,b,\nb,1,none,,,,,zz\n' \
    >"$T/bad.csv"
"$F" portfolio "$S" --policy greedy --invest "$T/bad.csv" --budget 1 -n 2 --out "$T/x" >/dev/null 2>"$T/bad.err"
check "bad requires: exit 2" [ $? -eq 2 ]
check "bad requires: file:line message" grep -qx "$T/bad.csv:3: requires: \"zz\" is not an option of this file" \
    "$T/bad.err"

"$F" portfolio "$S" --policy greedy --invest "$S/investments.csv" --budget 1e9,,2 -n 2 --out "$T/x" >/dev/null 2>&1
check "bad --budget: exit 2" [ $? -eq 2 ]
"$F" portfolio "$S" --policy greedy --invest "$S/investments.csv" --budget 1 --risk worst -n 2 --out "$T/x" >/dev/null 2>&1
check "bad --risk: exit 2" [ $? -eq 2 ]
"$F" portfolio "$S" --policy greedy --invest "$S/investments.csv" -n 2 --out "$T/x" >/dev/null 2>&1
check "missing --budget: exit 2" [ $? -eq 2 ]
"$F" portfolio "$S" --policy greedy --invest "$S/investments.csv" --budget 0,100 --risk cvar90 -n 3 --out "$T/c" >/dev/null 2>&1
check "--risk cvar90 exits 0" [ $? -eq 0 ]
check "--risk cvar90: budget 100 still the tank" [ "$(col "$T/c/frontier.csv" 100 options)" = "storage" ]
done_tests
