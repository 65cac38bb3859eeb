#!/bin/sh
# The hazard, fragility and damage commands: CSV shape, values against hand
# computation, usage errors (exit 2), determinism of a sampled outcome, and
# the dependency rules as they show in the damage table. Uses a small
# scenario written here, then the embedded and test scenarios if present.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
F=$FUELSIM
tmp_dir haz
S=$T/scn
mkdir -p "$S"

cat >"$S/scenario.json" <<'EOF'
{
  "id": "hazard-cli-test", "name_en": "Hazard command test", "name_ja": "ハザード試験",
  "horizon_h": 48, "default_quake": "q1",
  "class_weights": {"1": 100, "2": 30, "3": 10, "4": 1},
  "capacity_fraction": {"none": 1, "slight": 0.8, "moderate": 0.5, "extensive": 0.1, "complete": 0},
  "request_threshold_days": 1,
  "hazard": {"sigma_between_ln": 0.3, "sigma_within_ln": 0.5, "corr_range_km": 40.7,
             "corr_range_pgv_km": 26, "trip_pga_g": 0.18, "trip_inspection_h": 240},
  "tables": {
    "areas": "areas.csv", "fragility": "fragility.csv", "restoration": "restoration.csv",
    "earthquakes": "earthquakes.csv", "facilities": "facilities.csv", "demand": "demand.csv",
    "components": "components.csv", "stock": "stock.csv", "links": "links.csv",
    "assets": "assets.csv", "consumption": "consumption.csv", "grid": "grid.csv",
    "tsunami": "tsunami.csv"
  }
}
EOF
cat >"$S/areas.csv" <<'EOF'
id,name_en,name_ja,source
a1,Area one,第一地区,test
EOF
cat >"$S/facilities.csv" <<'EOF'
id,name_en,name_ja,kind,operator,lat,lon,area,avs30_ms,liq_susceptibility,gw_depth_m,has_generator,source
ref1,Refinery,製油所,refinery,Op,35.45,139.70,a1,150,high,1.5,0,test
lng1,LNG terminal,LNG基地,lng_terminal,Op,35.40,139.85,a1,150,high,1.5,1,test
term,Terminal above the quake,真上の油槽所,oil_terminal,Op,35.6,139.73,a1,400,none,5,1,test
mouth,Bay mouth,湾口,waypoint,,35.2,139.75,a1,600,none,0,0,test
EOF
cat >"$S/components.csv" <<'EOF'
id,facility,kind,fragility_class,pgd_fragility_class,restoration_class,count,rate_kl_h,source
ref1_proc,ref1,process,ref_f,,ref_r,1,0,test
ref1_berth,ref1,berth,,wharf_f,port_r,2,500,test
ref1_rack,ref1,rack,ref_f,,ref_r,4,120,test
lng1_proc,lng1,process,ref_f,,ref_r,1,0,test
term_tank,term,tank,ref_f,,ref_r,1,0,test
EOF
cat >"$S/stock.csv" <<'EOF'
facility,product,tank_kl,initial_kl,output_kl_d,source
ref1,diesel,1000,500,200,test
term,diesel,1000,500,0,test
EOF
cat >"$S/links.csv" <<'EOF'
id,mode,from,to,distance_km,time_h,emergency_road,fragility_class,restoration_class,clear_h,source
r1,road,ref1,h1,30,1,1,,,6,test
r2,road,term,h1,10,0.5,0,,,6,test
r3,road,term,h1,11,0.5,1,,,6,test
s1,sea,mouth,ref1,25,2,0,,,72,test
EOF
cat >"$S/assets.csv" <<'EOF'
id,name_en,name_ja,type,mode,count,capacity_kl,products,speed_kmh,home,lead_time_h,load_rate_kl_h,cost_per_km,source
l1,Lorry,ローリー,lorry_commercial,road,1,10,diesel,40,ref1,0,20,300,test
EOF
cat >"$S/demand.csv" <<'EOF'
id,name_en,name_ja,prefecture,kind,priority,lat,lon,area,avs30_ms,liq_susceptibility,gw_depth_m,source
h1,Hospital,病院,Tokyo,hospital,1,35.65,139.70,a1,300,low,3,test
EOF
cat >"$S/consumption.csv" <<'EOF'
point,product,when,use_kl_d,storage_kl,initial_kl,source
h1,diesel,always,2,10,8,test
EOF
cat >"$S/fragility.csv" <<'EOF'
class,ds,param,median,beta,source
ref_f,slight,pga_g,0.38,0.45,Hazus refinery medium/large anchored
ref_f,moderate,pga_g,0.6,0.45,Hazus
ref_f,extensive,pga_g,0.98,0.5,Hazus
ref_f,complete,pga_g,1.26,0.45,Hazus
wharf_f,slight,pgd_in,5,0.5,Hazus port waterfront structure
wharf_f,moderate,pgd_in,12,0.5,Hazus
wharf_f,extensive,pgd_in,17,0.5,Hazus
wharf_f,complete,pgd_in,43,0.5,Hazus
EOF
cat >"$S/restoration.csv" <<'EOF'
class,ds,mean_days,sd_days,source
ref_r,slight,0.4,0.1,Hazus
ref_r,moderate,3,2.2,Hazus
ref_r,extensive,14,12,Hazus
ref_r,complete,190,80,Hazus
port_r,slight,0.6,0.2,Hazus
port_r,moderate,3.5,3.5,Hazus
port_r,extensive,22,22,Hazus
port_r,complete,85,73,Hazus
EOF
cat >"$S/earthquakes.csv" <<'EOF'
id,name_en,name_ja,mw,lat,lon,depth_km,fault_type,strike_deg,dip_deg,length_km,width_km,top_km,source
q1,Point source under term,試験地震,7.3,35.6,139.73,40,intraslab,0,90,0,0,40,test
far,Far great quake,遠地巨大地震,9.5,26.6,139.73,20,interplate,45,15,500,200,5,test
EOF
cat >"$S/grid.csv" <<'EOF'
area,facility,share,source
a1,lng1,1,test
EOF
cat >"$S/tsunami.csv" <<'EOF'
quake,place,depth_m,recede_h,source
q1,ref1,0.8,12,test
EOF

# ---- hazard ----
out=$("$F" hazard "$S" 2>"$T/err"); rc=$?
check "hazard exits 0 ($(cat "$T/err"))" [ $rc -eq 0 ]
printf '%s\n' "$out" >"$T/haz.csv"
check "hazard header has the contract columns" sh -c \
  "head -1 '$T/haz.csv' | grep -q '^site,lat,lon,mw,fault_type,depth_km,dist_km,avs30,pga_rock_g,pgv_rock_cms,pga_g,pgv_cms,pgd_cm,p_liquefaction'"
check "hazard: one row per facility, demand point and link (4+1+4)" [ "$(sed 1d "$T/haz.csv" | wc -l)" -eq 9 ]
check "hazard: no nan or inf" sh -c "! grep -qi 'nan\|inf' '$T/haz.csv'"
# Site right above a 40 km deep Mw 7.3 intraslab point source, AVS30 400 (class C):
# X = 40 km; Si & Midorikawa PGA = 0.5376 g (hand value), PGV 26.05 cm/s x ARV(400) 1.4127 = 36.80.
row=$(grep '^term,' "$T/haz.csv")
check "hazard: X = depth above the hypocentre ($row)" sh -c "echo '$row' | awk -F, '{exit !(\$7 == 40.00)}'"
check "hazard: PGA above the quake 0.5376 g" sh -c "echo '$row' | awk -F, '{exit !(\$9 == 0.5376 && \$11 == 0.5376)}'"
check "hazard: PGV amplified by ARV(400)" sh -c "echo '$row' | awk -F, '{exit !(\$12 > 36.75 && \$12 < 36.85)}'"
# Soft, highly liquefiable refinery ground: surface PGV about 3.26 x rock; liquefaction possible.
row=$(grep '^ref1,' "$T/haz.csv")
check "hazard: soft refinery ground amplifies PGV and may liquefy ($row)" sh -c \
  "echo '$row' | awk -F, '{r = \$12 / \$10; exit !(r > 3.25 && r < 3.27 && \$14 > 0 && \$13 > 0)}'"

out=$("$F" hazard "$S" --quake none); rc=$?
check "hazard --quake none exits 0" [ $rc -eq 0 ]
check "hazard --quake none: no motion" sh -c "printf '%s\n' \"$out\" | sed 1d | awk -F, '\$11 != 0 {exit 1}'"
out=$("$F" hazard "$S" --quake far); rc=$?
check "hazard far Mw 9.5 exits 0" [ $rc -eq 0 ]
check "hazard far Mw 9.5: finite and small" sh -c \
  "printf '%s\n' \"$out\" | sed 1d | awk -F, '(\$11 + 0 != \$11) || \$11 >= 0.02 || \$11 <= 0 {exit 1}'"
check "hazard: tsunami depth and recession from the table" sh -c "echo '$row' | awk -F, '{exit !(\$19 == 0.80 && \$20 == 12.0)}'"
"$F" hazard "$S" --quake nosuch >/dev/null 2>&1; check "hazard unknown quake exits 2" [ $? -eq 2 ]
"$F" hazard "$T/nonexistent" >/dev/null 2>&1;  check "hazard missing scenario exits 2" [ $? -eq 2 ]
"$F" hazard >/dev/null 2>&1;                   check "hazard without DIR exits 2" [ $? -eq 2 ]

# ---- fragility ----
# Hand values: Phi(ln(0.5/0.38)/0.45) = 0.729023, Phi(ln(0.5/0.6)/0.45) = 0.342680,
# Phi(ln(0.5/0.98)/0.5) = 0.089169, Phi(ln(0.5/1.26)/0.45) = 0.019992.
# fragility_is CLASS OPTION VALUE P1 P2 P3 P4: the command's table is
# P(DS >= slight .. complete) = P1 .. P4.
fragility_is() {
    out=$("$F" fragility "$S" "$1" "$2" "$3")
    exp=$(printf 'ds,p_exceed\nslight,%s\nmoderate,%s\nextensive,%s\ncomplete,%s' "$4" "$5" "$6" "$7")
    [ "$out" = "$exp" ]
}
check "fragility ref_f at 0.5 g matches hand values" fragility_is ref_f --pga 0.5 0.729023 0.342680 0.089169 0.019992
# 30 cm = 11.811 in; beta 0.5: 0.957210, 0.487337, 0.233197, 0.004878.
check "fragility wharf_f at 30 cm matches hand values" fragility_is wharf_f --pgd 30 0.957210 0.487337 0.233197 0.004878
"$F" fragility "$S" nosuch --pga 0.5 >/dev/null 2>&1;        check "fragility unknown class exits 2" [ $? -eq 2 ]
err=$("$F" fragility "$S" nosuch --pga 0.5 2>&1 >/dev/null)
check "fragility unknown class names it" sh -c "printf '%s' \"$err\" | grep -q nosuch"
"$F" fragility "$S" wharf_f --pga 0.5 >/dev/null 2>&1;       check "fragility PGA on a PGD class exits 2" [ $? -eq 2 ]
"$F" fragility "$S" ref_f --pgd 10 >/dev/null 2>&1;          check "fragility PGD on a PGA class exits 2" [ $? -eq 2 ]
"$F" fragility "$S" ref_f >/dev/null 2>&1;                   check "fragility without IM exits 2" [ $? -eq 2 ]
"$F" fragility "$S" ref_f --pga 1 --pgd 1 >/dev/null 2>&1;   check "fragility with both IMs exits 2" [ $? -eq 2 ]
"$F" fragility "$S" ref_f --pga abc >/dev/null 2>&1;         check "fragility bad number exits 2" [ $? -eq 2 ]
"$F" fragility "$S" ref_f --pga -1 >/dev/null 2>&1;          check "fragility negative PGA exits 2" [ $? -eq 2 ]

# ---- damage ----
"$F" damage "$S" >/dev/null 2>&1;                    check "damage without --seed exits 2" [ $? -eq 2 ]
"$F" damage "$S" --seed x >/dev/null 2>&1;           check "damage bad seed exits 2" [ $? -eq 2 ]
"$F" damage "$S" --seed 1 --quake nosuch >/dev/null 2>&1; check "damage unknown quake exits 2" [ $? -eq 2 ]
"$F" damage "$S" --seed 1 --rep 3 >"$T/d1.csv"; rc=$?
check "damage exits 0" [ $rc -eq 0 ]
"$F" damage "$S" --seed 1 --rep 3 >"$T/d2.csv"
"$F" damage "$S" --seed 1 --rep 4 >"$T/d3.csv"
check "damage: same seed and rep, same bytes" cmp -s "$T/d1.csv" "$T/d2.csv"
check "damage: another rep, another outcome" sh -c "! cmp -s '$T/d1.csv' '$T/d3.csv'"
check "damage: header" sh -c "head -1 '$T/d1.csv' | grep -q '^item,id,at,role,pga_g,pgd_cm,liquefied,ds,capacity_fraction,repair_h,usable_h,full_h,waits_for'"
check "damage: a row per component and link" [ "$(grep -c '^component,\|^link,' "$T/d1.csv")" -eq 9 ]
check "damage: no nan" sh -c "! grep -qi nan '$T/d1.csv'"
# Over several replicates: production never before the crude berth, the berth
# never before its fairway (s1), emergency road r3 never after ordinary road r2
# (same ends, same clear_h), nothing at the flooded refinery before 12 h.
okdep=1
for r in 0 1 2 3 4 5 6 7 8 9; do
    "$F" damage "$S" --seed 7 --rep $r >"$T/d.csv" || okdep=0
    awk -F, '
        $1 == "component" && $2 == "ref1_proc"  {p = $11}
        $1 == "component" && $2 == "ref1_berth" {b = $11}
        $1 == "link" && $2 == "s1" {s = $11}
        $1 == "link" && $2 == "r3" {r1 = $11}
        $1 == "link" && $2 == "r2" {r2 = $11}
        $1 == "component" && $3 == "ref1" && $11 + 0 < 12 {wet = 1}
        END {exit !(p + 0 >= b + 0 && b + 0 >= s + 0 && r1 + 0 <= r2 + 0 && !wet)}' "$T/d.csv" || okdep=0
done
check "damage: refinery after berth after fairway; emergency road first; flooded until 12 h" [ $okdep -eq 1 ]
"$F" damage "$S" --seed 1 --quake none >"$T/dn.csv"
check "damage --quake none: nothing damaged, all usable at 0" sh -c \
  "awk -F, '(\$1 == \"component\" || \$1 == \"link\") && (\$8 != \"none\" || \$11 != \"0.00\") {exit 1}' '$T/dn.csv'"

# ---- the embedded and test scenarios, when present ----
for s in "$top"/scenarios/tokyo-bay "$top"/tests/scenarios/*/; do
    [ -f "$s/scenario.json" ] || continue
    n=$(basename "$s")
    "$F" validate "$s" >/dev/null 2>&1 || continue    # a scenario mid-edit is validate's business
    "$F" hazard "$s" >"$T/h.csv" 2>"$T/err"; rc=$?
    check "hazard $n exits 0 ($(head -3 "$T/err"))" [ $rc -eq 0 ]
    check "hazard $n: no nan" sh -c "! grep -qi nan '$T/h.csv'"
    "$F" damage "$s" --seed 1 >"$T/d.csv" 2>"$T/err"; rc=$?
    check "damage $n exits 0 ($(head -3 "$T/err"))" [ $rc -eq 0 ]
    check "damage $n: no nan" sh -c "! grep -qi nan '$T/d.csv'"
done

# ---- issue 14 on the embedded scenario: sites told apart ----
S=$top/scenarios/tokyo-bay
if [ -f "$S/scenario.json" ] && "$F" hazard "$S" >"$T/hb.csv" 2>/dev/null; then
    cat >"$T/shore.awk" <<'AWK'
NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
$1 == "ref_kawasaki" { kj = $c["jma_intensity"]; kp = $c["pga_g"] }
$1 == "ref_cosmo_chiba" { ij = $c["jma_intensity"]; ip = $c["pga_g"] }
$c["free_face"] == 0 && $c["pgd_lateral_cm"] != 0 { bad = 1 }
END { exit !(kj >= ij + 0.2 && kp >= 1.1 * ip && !bad) }
AWK
    check "Toshin-nanbu: Kawasaki shakes harder than Ichihara (JMA +0.2, PGA +10%); no lateral spread without a free face" \
        awk -F, -f "$T/shore.awk" "$T/hb.csv"
fi
done_tests
