#!/bin/sh
# The report (issue 9): sweep, run and drill write OUT/report.html and
# OUT/network.geojson; `fuelsim report OUT` rewrites them (same bytes), in
# Japanese too, and fails cleanly on missing input (1) and bad usage (2); a
# hostile facility name shows as text. Then, in headless Chromium (installed
# by `make deps`; skipped with a message when absent): each chart is in the
# DOM with as many data points as its input has, no script element exists,
# and a screenshot is not blank. Screenshots are kept in TESTBIN_DIR.
. "$(dirname "$0")/lib.sh"
F=$FUELSIM
tmp_dir report
SHOTS=${TESTBIN_DIR:-build/tests}
BASE=tests/bad-input/base
LORRY=tests/supply/one_lorry

count() { # count PATTERN FILE: occurrences (not lines) of a fixed string
    grep -o -F -- "$1" "$2" | wc -l | tr -d ' '
}
rows() { # data rows of a simple CSV (no quoted newlines)
    echo $(($(wc -l <"$1") - 1))
}

# ---- the commands write the report ---------------------------------------------
"$F" sweep $BASE -n 40 --seed 5 --out "$T/sw" >/dev/null 2>"$T/err"; rc=$?
check "sweep exits 0: $(cat "$T/err")" [ $rc -eq 0 ]
check "sweep writes report.html" [ -s "$T/sw/report.html" ]
check "sweep writes network.geojson" [ -s "$T/sw/network.geojson" ]
cp "$T/sw/report.html" "$T/sw_first.html"
"$F" report "$T/sw" >/dev/null 2>&1
check "report OUT exits 0 (scenario found from OUT)" [ $? -eq 0 ]
check "report OUT gives the same bytes as the sweep's" cmp -s "$T/sw/report.html" "$T/sw_first.html"
"$F" report "$T/sw" --scenario $BASE >/dev/null 2>&1
check "report --scenario exits 0" [ $? -eq 0 ]

"$F" run $LORRY --seed 1 --out "$T/run" >/dev/null 2>"$T/err"; rc=$?
check "run exits 0: $(cat "$T/err")" [ $rc -eq 0 ]
check "run writes report.html" [ -s "$T/run/report.html" ]

"$F" drill $LORRY --pick worst -n 4 --out "$T/drill" >/dev/null 2>"$T/err"; rc=$?
check "drill exits 0: $(cat "$T/err")" [ $rc -eq 0 ]
check "drill writes report.html" [ -s "$T/drill/report.html" ]

cat >"$T/inv.csv" <<'EOF'
option,name_en,name_ja,cost_yen,change,target,product,value,source
nothing,"Control <b>&amp;</b>",対照,0,none,,,,test
more,More lorries,増車,1000000,fleet_add,l1,,2,test
EOF
"$F" compare $BASE --invest "$T/inv.csv" -n 4 --out "$T/cmp" >/dev/null 2>"$T/err"; rc=$?
check "compare exits 0: $(cat "$T/err")" [ $rc -eq 0 ]
check "compare writes report.html" [ -s "$T/cmp/report.html" ]
check "compare report draws the baseline sweep" grep -q 'sweeps/baseline/' "$T/cmp/report.html"

mkdir -p "$T/ja" && cp "$T/sw"/summary.json "$T/sw"/bands.csv "$T/sw"/replicates.csv "$T/ja/"
"$F" report "$T/ja" --lang ja --scenario $BASE >/dev/null 2>&1
check "report --lang ja exits 0" [ $? -eq 0 ]
check "Japanese page" grep -q '<html lang="ja">' "$T/ja/report.html"
check "Japanese names" grep -q '製油所一' "$T/ja/report.html"

# ---- usage and missing input ------------------------------------------------------
"$F" report >/dev/null 2>&1;                        check "no OUT exits 2" [ $? -eq 2 ]
"$F" report "$T/sw" --lang fr >/dev/null 2>&1;      check "--lang fr exits 2" [ $? -eq 2 ]
"$F" report "$T/absent" >/dev/null 2>"$T/err";      check "missing OUT exits 1" [ $? -eq 1 ]
check "missing OUT says so" grep -q 'absent: No such file or directory' "$T/err"
mkdir "$T/empty"
"$F" report "$T/empty" >/dev/null 2>"$T/err";       check "empty OUT exits 1" [ $? -eq 1 ]
check "empty OUT says so" grep -q 'holds no fuelsim outputs' "$T/err"
mkdir "$T/part" && cp "$T/sw/summary.json" "$T/sw/replicates.csv" "$T/part/"
"$F" report "$T/part" --scenario $BASE >/dev/null 2>"$T/err"
check "missing bands.csv exits 1" [ $? -eq 1 ]
check "missing bands.csv is named" grep -q 'bands.csv: No such file or directory' "$T/err"
check "nothing written after a failure" [ ! -e "$T/part/report.html" ]
"$F" report "$T/sw" --scenario $LORRY >/dev/null 2>"$T/err"
check "another scenario exits 2" [ $? -eq 2 ]
check "another scenario says so" grep -q 'was made from scenario "bad-input-base"' "$T/err"

# ---- offline: no requests, no scripts, printable -------------------------------------
for o in sw run drill cmp; do
    h="$T/$o/report.html"
    check "$o: no script element" [ "$(count '<script' "$h")" -eq 0 ]
    check "$o: no src or href" [ "$(grep -c -E ' (src|href)=' "$h")" -eq 0 ]
    check "$o: no URL but the SVG namespace" \
        [ "$(grep -o -E 'https?://[^" ]*' "$h" | grep -v -c -F 'http://www.w3.org/2000/svg')" -eq 0 ]
    check "$o: CSP forbids scripts and requests" grep -q "default-src 'none'" "$h"
    check "$o: print CSS" grep -q '@media print' "$h"
done

# ---- GeoJSON: one feature per facility, demand point and link -------------------------
nfac=$(rows $BASE/facilities.csv); ndem=$(rows $BASE/demand.csv); nlink=$(rows $BASE/links.csv)
g="$T/sw/network.geojson"
check "geojson: one feature per facility" [ "$(count '"layer":"facility"' "$g")" -eq "$nfac" ]
check "geojson: one feature per demand point" [ "$(count '"layer":"demand"' "$g")" -eq "$ndem" ]
check "geojson: one feature per link" [ "$(count '"layer":"link"' "$g")" -eq "$nlink" ]
check "geojson: a FeatureCollection" grep -q '"type":"FeatureCollection"' "$g"

# ---- a hostile scenario ------------------------------------------------------------------
mkdir "$T/hostile" && cp $BASE/* "$T/hostile/"
cat >"$T/hostile/facilities.csv" <<'EOF'
id,name_en,name_ja,kind,operator,lat,lon,area,avs30_ms,liq_susceptibility,gw_depth_m,has_generator,source
ref1,"<script>alert(1)</script> & ""Refinery""",製油所<b>一</b>,refinery,"Op & <i>",35.40,139.64,a1,150,high,1.5,1,test
mouth,Bay mouth,湾口,waypoint,,35.2,139.75,a1,600,none,0,0,test
EOF
sed 's|"name_en": *"[^"]*"|"name_en": "</title><script>alert(2)</script>"|' $BASE/scenario.json >"$T/hostile/scenario.json"
"$F" sweep "$T/hostile" -n 5 --out "$T/hout" >/dev/null 2>"$T/err"; rc=$?
check "hostile sweep exits 0: $(cat "$T/err")" [ $rc -eq 0 ]
h="$T/hout/report.html"
check "hostile: no raw script tag" [ "$(count '<script' "$h")" -eq 0 ]
check "hostile: no raw b tag" [ "$(count '<b>' "$h")" -eq 0 ]
check "hostile: no raw i tag" [ "$(count '<i>' "$h")" -eq 0 ]
check "hostile: facility name as text" grep -q -F '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Refinery&quot;' "$h"
check "hostile: scenario name as text" grep -q -F '&lt;/title&gt;&lt;script&gt;alert(2)&lt;/script&gt;' "$h"
"$F" report "$T/hout" >/dev/null 2>&1
check "report finds the scenario folder recorded in network.geojson" [ $? -eq 0 ]

# ---- in the browser ---------------------------------------------------------------------------
CHROME=""
for c in chromium chromium-browser; do command -v $c >/dev/null 2>&1 && CHROME=$c && break; done
if [ -z "$CHROME" ]; then
    echo "SKIP: chromium is not installed (make deps installs it): browser checks of the report skipped"
    done_tests
    exit 0
fi
browse() { # browse OUTFILE ARGS... : headless Chromium, no network, own profile
    prof=$(mktemp -d "$T/prof.XXXXXX")
    timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$prof" "$@" 2>/dev/null
}
for o in sw run drill cmp hout; do
    browse --dump-dom "file://$T/$o/report.html" >"$T/$o.dom"
    check "$o: Chromium dumps the DOM" grep -q '</html>' "$T/$o.dom"
    check "$o: no script element in the DOM" [ "$(count '<script' "$T/$o.dom")" -eq 0 ]
done

dom="$T/sw.dom"
nh=$(rows "$T/sw/bands.csv")
check "map: a marker per facility" [ "$(count 'class="fac"' "$dom")" -eq "$nfac" ]
check "map: a marker per demand point" [ "$(count 'class="dem"' "$dom")" -eq "$ndem" ]
check "map: a line per link" [ "$(count 'class="link"' "$dom")" -eq "$nlink" ]
check "map: the coastline" [ "$(count 'class="coast"' "$dom")" -ge 1 ]
check "map: the epicentre" [ "$(count 'class="epicentre"' "$dom")" -eq 1 ]
check "fan: four classes" [ "$(count 'class="fan" data-class=' "$dom")" -eq 4 ]
check "fan: a median point per hour of bands.csv" [ "$(count "class=\"median\" data-n=\"$nh\"" "$dom")" -eq 4 ]
check "fan: a band per class" [ "$(count 'class="band"' "$dom")" -eq 4 ]
sum=$(grep -o 'data-count="[0-9]*"' "$dom" | tr -dc '0-9\n' | awk '{s+=$1} END {print s+0}')
check "histogram: bars count all $(rows "$T/sw/replicates.csv") replicates ($sum)" [ "$sum" -eq "$(rows "$T/sw/replicates.csv")" ]
check "histogram: the mean" [ "$(count 'class="mean"' "$dom")" -eq 1 ]
check "histogram: the P90" [ "$(count 'class="p90"' "$dom")" -eq 1 ]
check "restoration: intervals" [ "$(count 'class="rst"' "$dom")" -ge 1 ]
check "title says the earthquake, replicates and seed" grep -q 'Test quake (Mw 7.3, q1) · 40 replicates · seed 5' "$dom"

dom="$T/run.dom"
ntrip=$(awk -F, '$2 == "dispatch"' "$T/run/trace.csv" | wc -l | tr -d ' ')
check "gantt: a bar per trip ($ntrip)" [ "$(count 'class="trip"' "$dom")" -eq "$ntrip" ]
check "gantt: trips in the run" [ "$ntrip" -ge 1 ]
check "run: served fraction lines" [ "$(count 'class="median series"' "$dom")" -eq 4 ]
dom="$T/drill.dom"
ninj=$(count '"inject_id"' "$T/drill/msel.json")
check "drill: a marker per inject ($ninj)" [ "$(count 'class="inject"' "$dom")" -eq "$ninj" ]
check "drill: injects exist" [ "$ninj" -ge 1 ]
dom="$T/cmp.dom"
check "compare: three bars per option" [ "$(count 'class="opt"' "$dom")" -eq 6 ]
check "compare: a CI per bar" [ "$(count 'class="ci"' "$dom")" -eq 6 ]
check "compare: option names are text" grep -q -F 'Control &lt;b&gt;&amp;amp;&lt;/b&gt;' "$dom"
check "compare: the baseline's map" [ "$(count 'class="fac"' "$dom")" -eq "$nfac" ]
check "hostile: the name is text in the DOM" grep -q -F '&lt;script&gt;alert(1)&lt;/script&gt;' "$T/hout.dom"

printf '<!DOCTYPE html><html><body></body></html>\n' >"$T/blank.html"
browse --screenshot="$T/blank.png" --window-size=1200,3000 "file://$T/blank.html" >/dev/null
for o in sw run; do
    browse --screenshot="$T/$o.png" --window-size=1200,3000 "file://$T/$o/report.html" >/dev/null
    check "$o: screenshot taken" [ -s "$T/$o.png" ]
    [ -s "$T/$o.png" ] || continue
    cp "$T/$o.png" "$SHOTS/report_$o.png" 2>/dev/null
    bs=$(wc -c <"$T/blank.png"); s=$(wc -c <"$T/$o.png")
    check "$o: screenshot ($s bytes) far larger than a blank page ($bs)" [ "$s" -gt $((bs * 5)) ]
    if command -v python3 >/dev/null 2>&1; then
        # distinct non-grey colours of the decoded PNG (standard library only;
        # text alone is grey, the charts bring colour); stops at 200
        n=$(python3 - "$T/$o.png" <<'PY'
import struct, sys, zlib
d = open(sys.argv[1], 'rb').read()
i, idat = 8, b''
while i < len(d):
    n, = struct.unpack('>I', d[i:i + 4]); t = d[i + 4:i + 8]
    if t == b'IHDR': w, h, bd, ct = struct.unpack('>IIBB', d[i + 8:i + 18])
    if t == b'IDAT': idat += d[i + 8:i + 8 + n]
    i += 12 + n
bpp = {2: 3, 6: 4}[ct]; raw = zlib.decompress(idat); st = w * bpp
prev = bytearray(st); seen = set(); p = 0
for y in range(h):
    f = raw[p]; ln = bytearray(raw[p + 1:p + 1 + st]); p += 1 + st
    if f == 2: ln = bytearray((u + v) & 255 for u, v in zip(ln, prev))
    elif f:
        for x in range(st):
            a = ln[x - bpp] if x >= bpp else 0; b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
            if f == 1: ln[x] = (ln[x] + a) & 255
            elif f == 3: ln[x] = (ln[x] + ((a + b) >> 1)) & 255
            else:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                ln[x] = (ln[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, st, bpp):
        if not (ln[x] == ln[x + 1] == ln[x + 2]): seen.add(bytes(ln[x:x + 3]))
    prev = ln
    if len(seen) >= 200: break
print(len(seen))
PY
)
        check "$o: screenshot has the charts' colours ($n)" [ "${n:-0}" -ge 200 ]
    fi
done
# ---- histogram with a long tail: the axis breaks after the P95, an overflow bar --------
# 200 replicates: shortfall 0..198 and one of 1e6 (the P95 falls in the bulk)
"$F" sweep $BASE -n 200 --seed 5 --out "$T/tail" >/dev/null 2>&1
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "weighted_shortfall") c = i }
                  NR > 1 { $c = (NR == 2) ? 1e6 : NR - 3 } { print }' "$T/tail/replicates.csv" >"$T/tail.csv"
mv "$T/tail.csv" "$T/tail/replicates.csv"
"$F" report "$T/tail" --scenario $BASE >/dev/null 2>&1
check "tail: report exits 0" [ $? -eq 0 ]
check "tail: one overflow bar, up to the outlier" [ "$(grep -c 'class="bar overflow"[^>]*data-hi="1e+06"' "$T/tail/report.html")" -eq 1 ]
check "tail: the bulk's bins end before 200" [ "$(grep -o 'class="bar" data-lo="[0-9.e+]*"' "$T/tail/report.html" | tr -dc '0-9.e+\n' | sort -g | tail -1 | awk '{print ($1 < 200)}')" = 1 ]
check "tail: a break mark on the axis" grep -q 'class="axis-break"' "$T/tail/report.html"
tsum=$(grep -o 'data-count="[0-9]*"' "$T/tail/report.html" | tr -dc '0-9\n' | awk '{s+=$1} END {print s+0}')
check "tail: the bars still count every replicate ($tsum)" [ "$tsum" -eq "$(rows "$T/tail/replicates.csv")" ]
nbars=$(count 'class="bar"' "$T/tail/report.html")
check "tail: the bulk keeps its bins ($nbars bars)" [ "$nbars" -ge 5 ]
check "no overflow bar without a tail" [ "$(count 'overflow' "$T/sw/report.html")" -eq 0 ]
check "histogram axes say their units" grep -q 'weighted shortfall (weight × kL)' "$T/sw/report.html"

# ---- Japanese glyphs: rendered, not the fallback box -------------------------------------
# Two different Japanese words in the report's font stack: with a CJK font
# (Noto CJK, make deps) their screenshots differ; where the font lacks the
# glyphs both show the same boxes. The second pair, under a fontconfig that
# knows only DejaVu, proves that the check sees boxes when they are there.
glyph_page() { # FILE WORD
    printf '<!DOCTYPE html><html lang="ja"><meta charset="utf-8"><body style="margin:20px;font-family:%s;font-size:48px">%s</body></html>\n' \
        "'Noto Sans CJK JP','Hiragino Sans','Yu Gothic',Meiryo,'DejaVu Sans',sans-serif" "$2" >"$1"
}
glyph_page "$T/g1.html" 燃料; glyph_page "$T/g2.html" 供給
printf '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>%s</cachedir></fontconfig>\n' \
    "$T/fc-cache" >"$T/nocjk.conf"
for g in g1 g2; do
    browse --screenshot="$T/$g.png" --window-size=400,400 "file://$T/$g.html" >/dev/null
    FONTCONFIG_FILE="$T/nocjk.conf" browse --screenshot="$T/$g-box.png" --window-size=400,400 "file://$T/$g.html" >/dev/null
done
check "glyphs: screenshots taken" [ -s "$T/g1.png" -a -s "$T/g2.png" -a -s "$T/g1-box.png" -a -s "$T/g2-box.png" ]
check "glyphs: without a CJK font two words are the same boxes (the check can fail)" cmp -s "$T/g1-box.png" "$T/g2-box.png"
check "glyphs: Japanese renders in real glyphs (two words differ; Noto CJK installed)" sh -c "! cmp -s '$T/g1.png' '$T/g2.png'"
check "glyphs: and not as the boxes" sh -c "! cmp -s '$T/g1.png' '$T/g1-box.png'"

# ---- report --pdf: A4, a page per section, Japanese text extractable --------------------
if command -v pdftotext >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1; then
    "$F" report "$T/sw" --lang ja --pdf >/dev/null 2>"$T/err"; rc=$?
    check "report --pdf exits 0: $(cat "$T/err")" [ $rc -eq 0 ]
    check "report.pdf is a PDF" sh -c "head -c 5 '$T/sw/report.pdf' | grep -q '%PDF-'"
    check "no temporary PDF is left" [ -z "$(ls "$T/sw" | grep 'tmp-')" ]
    pdfinfo "$T/sw/report.pdf" >"$T/pdfinfo" 2>&1
    check "report.pdf: poppler reads it, A4 ($(grep 'Page size' "$T/pdfinfo"))" grep -q 'Page size: *59[45].* x 84[12].*(A4)' "$T/pdfinfo"
    nsec=$(count '<section id=' "$T/sw/report.html")
    np=$(sed -n 's/^Pages: *//p' "$T/pdfinfo")
    check "report.pdf: a page per section after the map ($np pages, $nsec sections)" [ "${np:-0}" -ge $((nsec - 1)) ]
    pdftotext "$T/sw/report.pdf" "$T/pdf.txt"
    tr -d ' \n\f' <"$T/pdf.txt" >"$T/pdf.flat"
    # the title and every section heading of the HTML, as text in the PDF
    sed -n 's/.*<h[12][^>]*>\([^<]*\)<\/h[12]>.*/\1/p' "$T/sw/report.html" | sed 's/&amp;/\&/g' >"$T/heads"
    missing=""
    while IFS= read -r h; do
        grep -q -F -- "$(printf '%s' "$h" | tr -d ' ')" "$T/pdf.flat" || missing="$missing [$h]"
    done <"$T/heads"
    check "report.pdf: the Japanese title and headings of the HTML are its text:$missing" \
        sh -c "[ -z '$missing' ] && [ \$(wc -l <'$T/heads') -ge 4 ] && grep -q '燃料供給' '$T/pdf.flat'"
    check "report.pdf: records the scenario's SHA-256" grep -q "$(sed -n 's/.*"scenario_sha256": *"\([0-9a-f]*\)".*/\1/p' "$T/sw/summary.json" | head -1 | cut -c1-16)" "$T/pdf.flat"
    "$F" report "$T/drill" --lang en --pdf >/dev/null 2>"$T/err"; rc=$?
    check "report --lang en --pdf of a drill exits 0: $(cat "$T/err")" [ $rc -eq 0 ]
    check "the English PDF has its text" sh -c "pdftotext '$T/drill/report.pdf' - | grep -q 'Drill inject timeline'"
    FUELSIM_CHROMIUM=/nonexistent "$F" report "$T/run" --pdf >/dev/null 2>"$T/err"; rc=$?
    check "without the browser --pdf exits 1 and says so" sh -c "[ $rc -eq 1 ] && grep -q 'nonexistent' '$T/err'"
    check "... and leaves no report.pdf" [ ! -e "$T/run/report.pdf" ]
else
    echo "SKIP: poppler-utils (pdftotext) is not installed (make test-deps installs it): report.pdf checks skipped"
fi
done_tests
