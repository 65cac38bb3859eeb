#!/bin/sh
# Workbooks (issue 17): drill writes msel.xlsx, bcp writes bcp.xlsx, compare
# writes compare.xlsx. Read back with Debian's openpyxl (python3-openpyxl):
# the expected sheets and header (units, Japanese), a frozen header row,
# filters over every row, widths that fit the text, the same injects and
# Japanese text as msel.csv, the exercise clock as real dates in Japan time,
# and an About sheet with the version, the command, the seed and the scenario
# fingerprint (checked against sha256sum). Then LibreOffice (headless, to
# CSV) must read the same sheets and Japanese text; without soffice (not
# installable here) those checks are skipped with a SKIP line.
. "$(dirname "$0")/lib.sh"
F=$FUELSIM
S=scenarios/tokyo-bay
tmp_dir wb
PY=/usr/bin/python3   # Debian's, where python3-openpyxl is installed

"$F" drill $S --pick p90 -n 4 --seed 2 --lang ja --out "$T/drill" >/dev/null 2>"$T/err"; rc=$?
check "drill exits 0: $(cat "$T/err")" [ $rc -eq 0 ]
check "drill writes msel.xlsx" [ -s "$T/drill/msel.xlsx" ]
# every undamaged but unusable component says why, in both languages
check "the injects name undamaged components held back" grep -q '被害なし(使用不可:' "$T/drill/msel.csv"
check "no undamaged component is unusable without a reason (ja)" sh -c "! grep -q '被害なし(使用不可)' '$T/drill/msel.csv'"
"$F" drill $S --pick p90 -n 4 --seed 2 --lang en --out "$T/drill-en" >/dev/null 2>&1
check "... and in English: a reason" grep -q 'no damage, out of service: ' "$T/drill-en/msel.csv"
check "no undamaged component is unusable without a reason (en)" sh -c "! grep -q -E 'no damage, out of service[.,;]' '$T/drill-en/msel.csv'"
"$F" bcp $S -n 6 --seed 2 --out "$T/bcp" >/dev/null 2>"$T/err"; rc=$?
check "bcp exits 0: $(cat "$T/err")" [ $rc -eq 0 ]
check "bcp writes bcp.xlsx" [ -s "$T/bcp/bcp.xlsx" ]
check "bcp.md says why undamaged components are out of service" grep -q '^| .* | fairway not yet cleared | 航路啓開待ち |' "$T/bcp/bcp.md"
check "bcp.md records version, commit and the scenario's SHA-256" \
    sh -c "grep -q '^| Program | fuelsim ' '$T/bcp/bcp.md' && grep -q '^| Scenario files | SHA-256 \`[0-9a-f]\{64\}' '$T/bcp/bcp.md'"
"$F" compare $S --invest $S/investments.csv -n 4 --seed 2 --out "$T/cmp" >/dev/null 2>"$T/err"; rc=$?
check "compare exits 0: $(cat "$T/err")" [ $rc -eq 0 ]
check "compare writes compare.xlsx" [ -s "$T/cmp/compare.xlsx" ]
check "no temporary workbook is left" [ -z "$(ls "$T"/*/ | grep tmp-)" ]
fp=$(cd $S && sha256sum $("$PY" -c 'import json,sys; print(" ".join(f["name"] for f in json.load(open(sys.argv[1]))["meta"]["provenance"]["files"]))' "$T/drill/msel.json") | sha256sum | cut -c1-64)
ver=$("$F" --version | sed -n 's/^fuelsim \([^ ]*\) (commit \([^,)]*\).*/\1 \2/p')

if "$PY" -c 'import openpyxl' 2>/dev/null; then
    "$PY" - "$T" "$fp" "$ver" >"$T/py.out" 2>&1 <<'EOF'
import csv, datetime, sys, openpyxl
T, fp, ver = sys.argv[1], sys.argv[2], sys.argv[3].split()
fails = []
def check(name, cond):
    print(("ok   " if cond else "FAIL ") + name)

def width(s):
    return max((sum(2 if ord(ch) >= 0x1100 else 1 for ch in line) for line in str(s).split("\n")), default=0)

def common(ws, nrows):
    check(ws.title + ": header row frozen", ws.freeze_panes == "A2")
    check(ws.title + ": filters over every row", ws.auto_filter.ref is not None and
          ws.auto_filter.ref.endswith(str(nrows + 1)) and ws.auto_filter.ref.startswith("A1:"))
    tight = []
    for col in ws.iter_cols(min_row=2):
        letter = col[0].column_letter
        need = min(60, max((width(c.value) for c in col if isinstance(c.value, str)), default=0))
        w = ws.column_dimensions[letter].width
        if w is None or w + 0.5 < need: tight.append((letter, w, need))
    check(ws.title + ": column widths fit the text %s" % tight, not tight)

def about(wb, cmd):
    a = dict((r[0], r[1]) for r in wb["About"].iter_rows(min_row=2, values_only=True))
    check("About: scenario SHA-256 is sha256sum's", a.get("scenario SHA-256") == fp)
    check("About: version and commit as --version", [a.get("fuelsim version"), a.get("commit")] == ver)
    check("About: the command " + str(a.get("command")), (a.get("command") or "").startswith(cmd)
          and (a.get("command") or "").endswith("--out OUT"))
    check("About: the seed", a.get("seed") == "2")
    check("About: the Japanese scenario name", any(ord(ch) > 0x3000 for ch in a.get("シナリオ名") or ""))

# msel.xlsx against msel.csv
wb = openpyxl.load_workbook(T + "/drill/msel.xlsx")
check("msel.xlsx sheets MSEL, About: %s" % wb.sheetnames, wb.sheetnames == ["MSEL", "About"])
ws = wb["MSEL"]
head = [c.value for c in ws[1]]
check("MSEL header in Japanese: %s" % head, head[:3] == ["番号", "想定時刻(発災後h)", "演習時刻(JST)"]
      and head[6] == "状況付与(メッセージ)")
rows = list(csv.DictReader(open(T + "/drill/msel.csv", encoding="utf-8")))
data = list(ws.iter_rows(min_row=2, values_only=True))
check("one row per inject (%d, csv %d)" % (len(data), len(rows)), len(data) == len(rows) and len(rows) > 5)
same = all(str(d[0]) == r["inject_id"] and d[6] == r["message"] and d[7] == r["expected_action"]
           for d, r in zip(data, rows))
check("the same injects and Japanese text as msel.csv", same)
check("Japanese text in the messages", any("被害" in (d[6] or "") for d in data))
def jst(s):  # "2026-09-01T10:00:00+09:00" -> naive Japan time
    return datetime.datetime.fromisoformat(s).replace(tzinfo=None)
clock = all(isinstance(d[2], datetime.datetime) and d[2] == jst(r["exercise_time"]) for d, r in zip(data, rows))
check("exercise clock: Excel dates in JST equal to msel.csv", clock)
check("exercise clock cells have a date format", "yyyy" in ws["C2"].number_format)
common(ws, len(rows))
about(wb, "fuelsim drill scenarios/tokyo-bay --pick p90 -n 4 --seed 2 --lang ja")

# bcp.xlsx against bcp.csv
wb = openpyxl.load_workbook(T + "/bcp/bcp.xlsx")
want = ["Facilities", "Berths", "Components", "Generator fuel", "Grid areas", "Class 1", "Transport bottlenecks", "About"]
check("bcp.xlsx sheets %s" % wb.sheetnames, wb.sheetnames == want)
bc = list(csv.DictReader(open(T + "/bcp/bcp.csv", encoding="utf-8")))
fac = [r for r in bc if r["level"] == "facility"]
ws = wb["Facilities"]
head = [c.value for c in ws[1]]
check("Facilities: units in the header %s" % head, "back, P50 (h)" in head and "名称" in head)
data = list(ws.iter_rows(min_row=2, values_only=True))
check("Facilities: one row per port facility (%d, csv %d)" % (len(data), len(fac)), len(data) == len(fac) > 0)
check("Facilities: Japanese names as bcp.csv", [d[2] for d in data] == [r["name_ja"] for r in fac])
check("Facilities: P(none) as bcp.csv", all(abs(d[4] - float(r["p_none"])) < 1e-6 for d, r in zip(data, fac)))
check("Berths: hours and target in the header", "BCP target (h)" in [c.value for c in wb["Berths"][1]])
bh = [c.value for c in wb["Berths"][1]]
check("Berths: why undamaged berths are out of service, both languages", "why (most often)" in bh and "理由" in bh)
reasons = [r[bh.index("理由")] for r in wb["Berths"].iter_rows(min_row=2, values_only=True)]
check("Berths: a Japanese reason where one applies %s" % reasons[:3], any(x and "待ち" in x for x in reasons))
check("Generator fuel: kL in the header", "generator use (kL/day)" in [c.value for c in wb["Generator fuel"][1]])
# the bottleneck section in all three: bcp.md's table, bcp_bottlenecks.csv and the sheet
bn = list(csv.DictReader(open(T + "/bcp/bcp_bottlenecks.csv", encoding="utf-8")))
md = [l.split("|")[1:-1] for l in open(T + "/bcp/bcp.md", encoding="utf-8").read().split(
    "## What limits emergency transport")[1].splitlines() if l.startswith("| ") and not l.startswith("| limit")]
sb = list(wb["Transport bottlenecks"].iter_rows(min_row=2, values_only=True))
check("bottlenecks: some bind in the sample (%d)" % len(bn), len(bn) > 0)
check("bottlenecks: bcp.md, the csv and the sheet list the same limits in order",
      [(x[0].strip(), x[1].strip()) for x in md] == [(r["kind"], r["id"]) for r in bn] == [(r[0], r[1]) for r in sb])
check("bottlenecks: the same counts and mean values",
      all(x[2].strip() == "%s of %s" % (r["binds_in"], r["sampled"]) and abs(float(x[3]) - float(r["mean_value"])) < 1e-3
          and y[4] == int(r["binds_in"]) and abs(y[7] - float(r["mean_value"])) < 1e-6 for x, r, y in zip(md, bn, sb)))
check("bottlenecks: Japanese names in the sheet", all(y[3] == r["name_ja"] and y[3] for r, y in zip(bn, sb)))
for name in want[:-1]:
    common(wb[name], wb[name].max_row - 1)
about(wb, "fuelsim bcp scenarios/tokyo-bay -n 6 --seed 2")

# compare.xlsx against compare.csv
wb = openpyxl.load_workbook(T + "/cmp/compare.xlsx")
check("compare.xlsx sheets Options, About", wb.sheetnames == ["Options", "About"])
cc = list(csv.DictReader(open(T + "/cmp/compare.csv", encoding="utf-8")))
data = list(wb["Options"].iter_rows(min_row=2, values_only=True))
check("Options: one row per option", len(data) == len(cc) > 0)
check("Options: Japanese names", all(any(ord(ch) > 0x3000 for ch in (d[3] or "")) for d in data))
check("Options: ranks 1..n", sorted(d[0] for d in data) == list(range(1, len(data) + 1)))
common(wb["Options"], len(data))
about(wb, "fuelsim compare scenarios/tokyo-bay --invest")
EOF
    check "openpyxl reads the workbooks: $(grep -v '^ok' "$T/py.out" | head -5)" \
        sh -c "! grep -qv '^ok' '$T/py.out' && [ \$(grep -c '^ok' '$T/py.out') -ge 40 ]"
else
    bad "python3-openpyxl is not installed (make deps installs it)"
fi

# ---- LibreOffice: every sheet to CSV (UTF-8, filter option 76; sheet -1 = all) ----
if command -v soffice >/dev/null 2>&1; then
    mkdir -p "$T/lo"
    for f in drill/msel bcp/bcp cmp/compare; do
        HOME="$T/lo" soffice --headless -env:UserInstallation=file://"$T/lo/profile" \
            --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
            --outdir "$T/lo" "$T/$f.xlsx" >"$T/lo.log" 2>&1
    done
    check "LibreOffice: msel.xlsx has MSEL and About" [ -s "$T/lo/msel-MSEL.csv" -a -s "$T/lo/msel-About.csv" ]
    check "LibreOffice: the MSEL's Japanese header" grep -q '状況付与(メッセージ)' "$T/lo/msel-MSEL.csv"
    m1=$(sed -n '2p' "$T/drill/msel.csv" | cut -d, -f7)
    check "LibreOffice: the first inject's Japanese message" grep -q -F "$m1" "$T/lo/msel-MSEL.csv"
    check "LibreOffice: the exercise clock as a date" grep -q '2026-09-01 09:00' "$T/lo/msel-MSEL.csv"
    check "LibreOffice: the About sheet's fingerprint" grep -q "$fp" "$T/lo/msel-About.csv"
    for s in Facilities Berths Components "Generator fuel" "Grid areas" "Class 1" "Transport bottlenecks" About; do
        check "LibreOffice: bcp.xlsx sheet $s" [ -s "$T/lo/bcp-$s.csv" ]
    done
    n1=$(awk -F, 'NR>1 && $1=="facility"' "$T/bcp/bcp.csv" | head -1 | cut -d, -f6)
    check "LibreOffice: a facility's Japanese name ($n1)" grep -q -F "$n1" "$T/lo/bcp-Facilities.csv"
    check "LibreOffice: compare.xlsx Options" grep -q 'yen per kL avoided' "$T/lo/compare-Options.csv"
else
    echo "SKIP: LibreOffice (soffice) is not installed and could not be: its checks of the workbooks did not run" >&2
    echo "SKIP test_workbooks.sh LibreOffice checks (install libreoffice-calc-nogui)"
fi
done_tests
