#!/usr/bin/env python3
"""Derive the tables of the embedded Tokyo Bay scenario.

Authoring aid only (Python 3 standard library): fuelsim does not need it to
build or run. Run from anywhere:

    python3 scenarios/tokyo-bay/tools/generate.py

It writes, in scenarios/tokyo-bay/: scenario.json, areas.csv, grid.csv,
facilities.csv, components.csv, stock.csv, links.csv, assets.csv, demand.csv,
consumption.csv, earthquakes.csv, tsunami.csv, and the block between the
"generated" markers of notes.md (the supply/demand arithmetic).
fragility.csv and restoration.csv are copies of the reference rows (plus two
road classes) and are not written here; this script only checks that every
class it uses is in them.

Inputs: the figures below (each with its source or marked as an assumption)
and tools/clusters.csv (the 32 population clusters with their sources).
Every derivation rule is stated next to its code and again in notes.md.
"""
import csv
import heapq
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
A = "assumption, see notes.md"   # source text of pure assumptions

PRODUCTS = ["gasoline", "diesel", "kerosene", "heavy_a"]

# ---------------------------------------------------------------- helpers

def gc_km(lat1, lon1, lat2, lon2):
    """Great-circle distance (haversine, R = 6371 km), as world_dist_km."""
    k = math.pi / 180
    dlat, dlon = (lat2 - lat1) * k, (lon2 - lon1) * k
    a = math.sin(dlat / 2) ** 2 + math.cos(lat1 * k) * math.cos(lat2 * k) * math.sin(dlon / 2) ** 2
    return 2 * 6371 * math.asin(min(1, math.sqrt(a)))


def move(lat, lon, az_deg, km):
    """Point km away from (lat, lon) on azimuth az (flat-earth, fine for < 200 km)."""
    az = math.radians(az_deg)
    dlat = km * math.cos(az) / 111.2
    dlon = km * math.sin(az) / (111.2 * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon


def r1(x):
    return round(x + 1e-12, 1)


def r2(x):
    return round(x + 1e-12, 2)


def r3(x):
    return round(x + 1e-12, 3)


def fmt(x):
    """Numbers as short text: integers without .0."""
    if isinstance(x, float):
        if abs(x - round(x)) < 1e-9:
            return str(int(round(x)))
        return ("%.4f" % x).rstrip("0").rstrip(".")
    return str(x)


def write_csv(name, header, rows):
    path = os.path.join(OUT, name)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([fmt(r[h]) if not isinstance(r[h], str) else r[h] for h in header])


def largest_remainder(total, weights, minimum=0):
    """Integers proportional to weights summing to total, each >= minimum."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [max(minimum, int(math.floor(x))) for x in raw]
    rem = total - sum(out)
    order = sorted(range(len(raw)), key=lambda i: -(raw[i] - math.floor(raw[i])))
    i = 0
    while rem > 0:
        out[order[i % len(order)]] += 1
        rem -= 1
        i += 1
    return out

# ---------------------------------------------------------------- grid areas

AREAS = [
    ("tokyo_23", "Tokyo 23 wards", "東京都区部"),
    ("tama", "Tokyo Tama", "東京都多摩地域"),
    ("kanagawa_east", "Kanagawa east (Yokohama, Kawasaki, Miura)", "神奈川県東部(横浜・川崎・三浦)"),
    ("kanagawa_west", "Kanagawa west (Sagamihara, Shonan, central, west)", "神奈川県西部(相模原・湘南・県央・県西)"),
    ("saitama", "Saitama", "埼玉県"),
    ("chiba_west", "Chiba west (Keiyo bay side and Tokatsu)", "千葉県西部(京葉臨海・東葛)"),
    ("chiba_east", "Chiba east (Inba, Narita, Boso)", "千葉県東部(印旛・成田・房総)"),
    ("north_kanto", "North Kanto and Ibaraki coast (Gunma, Tochigi, Kashima, Hitachi)", "北関東・茨城沿岸(群馬・栃木・鹿島・日立)"),
]

# Shares of LNG-fired supply per area (assumption, see notes.md: proximity on the
# 500 kV ring; coal, hydro, pumped storage and interconnections are left out).
GRID = {
    "tokyo_23": [("lng_futtsu", 0.25), ("lng_sodegaura", 0.25), ("lng_ohgishima", 0.2),
                 ("lng_higashi_ohgishima", 0.15), ("lng_negishi", 0.15)],
    "tama": [("lng_futtsu", 0.25), ("lng_sodegaura", 0.2), ("lng_higashi_ohgishima", 0.2),
             ("lng_negishi", 0.2), ("lng_ohgishima", 0.15)],
    "kanagawa_east": [("lng_negishi", 0.35), ("lng_higashi_ohgishima", 0.3), ("lng_ohgishima", 0.15),
                      ("lng_futtsu", 0.2)],
    "kanagawa_west": [("lng_negishi", 0.4), ("lng_higashi_ohgishima", 0.3), ("lng_futtsu", 0.3)],
    "saitama": [("lng_futtsu", 0.3), ("lng_sodegaura", 0.3), ("lng_higashi_ohgishima", 0.2),
                ("lng_hitachi", 0.2)],
    "chiba_west": [("lng_sodegaura", 0.5), ("lng_futtsu", 0.5)],
    "chiba_east": [("lng_futtsu", 0.4), ("lng_sodegaura", 0.4), ("lng_hitachi", 0.2)],
    "north_kanto": [("lng_hitachi", 0.5), ("lng_sodegaura", 0.25), ("lng_futtsu", 0.25)],
}

# ---------------------------------------------------------------- facilities

# Product yields on CDU throughput (derived, see notes.md): FY2019 national
# sales 47.80 / 31.99 / 13.45 / 10.59 M kL over about 170 M kL of crude run.
YIELD = {"gasoline": 0.28, "diesel": 0.19, "kerosene": 0.08, "heavy_a": 0.06}
REF_TANK_DAYS = 20      # product working storage, days of that product's output (assumption)
REF_FILL = 0.6          # initial fill of product tanks (assumption)
REF_CRUDE_DAYS = 20     # days of crude on hand at full run (assumption, notes.md "Crude on hand")
# Tank farms are sampled tank by tank (components.csv count). Fuji Oil
# Sodegaura: 119 product/semi-product tanks (reference README) plus about 11
# crude tanks (1,146,200 kL at ~100,000 kL each, assumption) = 130 for a CDU
# of 22,735 kL/d; the other refineries are scaled by CDU (assumption).
REF_TANKS_PER_KLD = 130 / 22735
OIL_TANK = "tank_steel_onground_ala_fill60"
OIL_TANK_SRC = ("on-grade steel tanks, one curve per tank (ALA 2001 after O'Rourke & So 2000, fill >= 60%%: "
                "fragility.csv); %s; farm sampled tank by tank with a shared site term (hazard.tank_site_rho, notes.md)")
# LNG tanks: counts from the reference where given, else storage / 100,000 kL
# (assumption: the common size of the bay's 1970s-2000s tanks).
LNG_TANKS = {"lng_sodegaura": (35, "35 tanks (reference)"), "lng_ohgishima": (4, "4 in-ground tanks (reference)"),
             "lng_hitachi": (1, "tank No.1 (reference)")}
LANE_PER_KLD = 1000.0   # one lorry lane per 1,000 kL/day of CDU (assumption, see notes.md)
RACK_RATE = 120.0       # kL/h per loading arm (1.5-2.5 kL/min, assets.md)
BERTH_RATE = 500.0      # kL/h per product berth (several hundred kL/h, assets.md)
SIDING_RATE = 300.0     # kL/h per siding track (assumption)

SRC_REF = "reference facilities.csv: "

# id, name_en, name_ja, operator, lat, lon, area, CDU kL/d, size class,
# product berths, siding tracks, source of capacity
REFINERIES = [
    ("ref_negishi", "ENEOS Negishi Refinery (Yokohama, Isogo)", "ENEOS 根岸製油所(横浜市磯子区)", "ENEOS",
     35.404, 139.637, "kanagawa_east", 24325, "medium_large", 6, 2,
     "CDU 153,000 b/d after the No.1 topper closed Oct 2022 (ENEOS release 2021 via response.jp; kkc.or.jp 2025); rail siding to JR Negishi (assets.md)"),
    ("ref_kawasaki", "ENEOS Kawasaki Refinery (Kawasaki, Ukishima)", "ENEOS 川崎製油所(川崎市川崎区浮島)", "ENEOS (ex-TonenGeneral)",
     35.518, 139.782, "kanagawa_east", 37362, "medium_large", 6, 0,
     "CDU 235,000 b/d from Mar 2017 (chem-t.com 2017-02-24)"),
    ("ref_toa_keihin", "Toa Oil Keihin Refinery, Mizue works (Kawasaki)", "東亜石油 京浜製油所 水江工場(川崎市川崎区)", "Toa Oil (Idemitsu group)",
     35.505, 139.730, "kanagawa_east", 11129, "small", 3, 0,
     "CDU 70,000 b/d (chem-t.com 2019-12-24); Hazus 'small' class (< 100,000 b/d)"),
    ("ref_idemitsu_chiba", "Idemitsu Chiba Complex (Ichihara, Anesaki-kaigan)", "出光興産 千葉事業所(市原市姉崎海岸)", "Idemitsu Kosan",
     35.484, 140.035, "chiba_west", 30208, "medium_large", 5, 0,
     "CDU 190,000 b/d = 30,000 kL/d (site visit report 2017, evfevent.sblo.jp)"),
    ("ref_cosmo_chiba", "Cosmo Oil Chiba Refinery (Ichihara, Goi-kaigan)", "コスモ石油 千葉製油所(市原市五井海岸)", "Cosmo Oil",
     35.525, 140.070, "chiba_west", 28141, "medium_large", 5, 1,
     "CDU 177,000 b/d (Cosmo CSR site report Jun 2018); rail shipments resumed Oct 2011 (e-nenpi 2011, assets.md)"),
    ("ref_eneos_chiba", "ENEOS Chiba Refinery (ex-Kyokuto; Ichihara, Chigusa-kaigan)", "ENEOS 千葉製油所(旧極東石油・市原市千種海岸)", "ENEOS",
     35.510, 140.055, "chiba_west", 20509, "medium_large", 4, 0,
     "CDU 129,000 b/d from Mar 2017 (chem-t.com 2017-02-24)"),
    ("ref_fuji_sodegaura", "Fuji Oil Sodegaura Refinery (Sodegaura, Kitasode)", "富士石油 袖ケ浦製油所(袖ケ浦市北袖)", "Fuji Oil",
     35.455, 139.955, "chiba_west", 22735, "medium_large", 5, 1,
     "CDU 143,000 b/d (energy-planner.jp 2015); products/semi-products tanks 1,382,080 kL (Fuji Oil website); own pier to 120,000 DWT plus Keiyo Sea Berth; rail siding (butsuryu.web.fc2.com, assets.md)"),
    ("ref_eneos_kashima", "ENEOS Kashima Refinery (Kamisu, Ibaraki; outside the bay)", "ENEOS 鹿島製油所(茨城県神栖市)", "ENEOS (Kashima Oil)",
     35.905, 140.690, "north_kanto", 31320, "medium_large", 6, 0,
     "CDU 197,000 b/d from Mar 2017 (JX release via chem-t.com 2017-02-24)"),
]

# id, name_en, name_ja, operator, lat, lon, area, storage kL, berths,
# in-ground tanks (pgd class), source
LNG = [
    ("lng_sodegaura", "Sodegaura LNG Terminal (Sodegaura)", "袖ケ浦LNG基地(袖ケ浦市中袖)", "Tokyo Gas / JERA",
     35.435, 139.935, "chiba_west", 2660000, 3, False,
     "35 tanks, 2,660,000 kL, 3 berths (TEPCO/Tokyo Gas release 2001-05-08)"),
    ("lng_futtsu", "Futtsu LNG Terminal (Futtsu; JERA Futtsu power station)", "富津LNG基地(富津市)", "JERA",
     35.335, 139.835, "chiba_west", 1110000, 2, False,
     "storage ~1,110,000 kL (general knowledge, unverified); in service 1985 (response.jp 2009-04-07)"),
    ("lng_negishi", "Negishi LNG Terminal (Yokohama, Isogo)", "根岸LNG基地(横浜市磯子区)", "Tokyo Gas / JERA",
     35.390, 139.630, "kanagawa_east", 1180000, 2, True,
     "storage ~1,180,000 kL (general knowledge, unverified); first LNG cargo 1969 (Tokyo Gas 2008-12-18)"),
    ("lng_ohgishima", "Ohgishima LNG Terminal (Yokohama, Tsurumi, Ogishima)", "扇島LNG基地(横浜市鶴見区扇島)", "Tokyo Gas",
     35.477, 139.727, "kanagawa_east", 850000, 1, True,
     "4 in-ground tanks 850,000 kL (Tokyo Gas releases 2003, 2009; offshore-energy.biz 2013)"),
    ("lng_higashi_ohgishima", "Higashi-Ohgishima LNG Terminal (Kawasaki)", "東扇島LNG基地(川崎市川崎区)", "JERA",
     35.490, 139.765, "kanagawa_east", 540000, 1, False,
     "storage ~540,000 kL (general knowledge, unverified)"),
    ("lng_hitachi", "Hitachi LNG Terminal (Ibaraki; backup to the bay terminals)", "日立LNG基地(茨城県日立市)", "Tokyo Gas",
     36.500, 140.630, "north_kanto", 230000, 1, False,
     "tank No.1 230,000 kL in service Mar 2016 (eic.or.jp 2016; tankterminals.com 2015)"),
]

# Coastal oil terminals: no reference figures; names are generic groups at
# real oil districts; storage and equipment are assumptions (notes.md).
# id, name_en, name_ja, operator, lat, lon, area, storage kL, berths, lanes, source
TERMINALS = [
    ("oil_tokyo_port", "Tokyo port coastal oil terminals (Koto, Shiomi-Tatsumi district)", "東京港 臨海部油槽所群(江東区潮見・辰巳地区)",
     "several oil companies (assumed group)", 35.650, 139.815, "tokyo_23", 100000, 2, 12,
     "assumption, see notes.md (no reference figure; terminal group placed in Tokyo port's oil district)"),
    ("oil_yokohama", "Yokohama port coastal oil terminals (Tsurumi-Daikoku district)", "横浜港 臨海部油槽所群(鶴見・大黒地区)",
     "several oil companies (assumed group)", 35.482, 139.680, "kanagawa_east", 100000, 2, 10,
     "assumption, see notes.md (no reference figure)"),
    ("oil_toa_ogishima", "Toa Oil Ogishima storage and Keihin-Kawasaki sea berth (Kawasaki)", "東亜石油 扇島貯油設備・京浜川崎シーバース(川崎市)",
     "Toa Oil (Idemitsu group)", 35.488, 139.742, "kanagawa_east", 150000, 2, 8,
     "kept after the Ogimachi works closed in 2011 (response.jp 2010-02-17, reference facilities.csv); storage and equipment assumed, see notes.md"),
    ("oil_funabashi", "Funabashi coastal oil terminals (Chiba port, Kazusa-Katsunan district)", "千葉港葛南地区 船橋油槽所群(船橋市)",
     "several oil companies (assumed group)", 35.685, 139.975, "chiba_west", 80000, 2, 10,
     "assumption, see notes.md (no reference figure)"),
]

# JOT inland depots (rail-fed). Storage was not found: assumption.
# id, name_en, name_ja, lat, lon, area, storage kL, siding tracks, lanes, source
DEPOTS = [
    ("dep_jot_hachioji", "JOT Hachioji terminal (Hachioji station)", "日本オイルターミナル 八王子営業所",
     35.657, 139.330, "tama", 30000, 2, 8,
     "opened Dec 1971 (butsuryu.web.fc2.com); storage not found: assumed, see notes.md"),
    ("dep_jot_takasaki", "JOT Takasaki terminal (Kuragano station, Takasaki)", "日本オイルターミナル 高崎営業所(倉賀野)",
     36.305, 139.045, "north_kanto", 30000, 2, 8,
     "opened Oct 1967, rail-served from Tokyo Bay refineries (butsuryu.web.fc2.com); storage not found: assumed, see notes.md"),
    ("dep_jot_utsunomiya", "JOT Utsunomiya terminal (Utsunomiya Freight Terminal)", "日本オイルターミナル 宇都宮営業所(宇都宮貨物ターミナル)",
     36.500, 139.880, "north_kanto", 40000, 2, 10,
     "opened Dec 1971 (butsuryu.web.fc2.com); ~6,000 kL/day by rail in Apr 2011 (Cabinet Office 2011-04-27); storage not found: assumed, see notes.md"),
]

PORTS = [
    ("port_higashi_ogishima", "Higashi-Ogishima core wide-area disaster base (Kawasaki port)",
     "川崎港東扇島地区 基幹的広域防災拠点", "MLIT / Kawasaki City", 35.490, 139.770, "kanagawa_east", 4,
     "BCP target: restore within ~24 h, 15.8 ha (Kanto RDB port BCP 2015 via lnews.jp, kanaloco.jp); berth count assumed"),
    ("port_tokyo_ariake", "Tokyo port seismically reinforced emergency quays (Ariake-no-oka core disaster base)",
     "東京港 有明の丘基幹的広域防災拠点・耐震強化岸壁", "Tokyo Metropolitan Government / MLIT", 35.632, 139.792, "tokyo_23", 2,
     "Ariake-no-oka is Tokyo's core wide-area disaster base and Tokyo port has seismically reinforced quays (general knowledge, unverified); port BCP 24-72 h for sea-borne supply (Tokyo Port 2015, assets.md); berth count assumed"),
]

# Sea waypoints and SDF bases (kind waypoint).
WAYPOINTS = [
    ("wp_uraga_channel", "Uraga channel (bay mouth)", "浦賀水道航路(湾口)", 35.230, 139.770, "kanagawa_east",
     "Tokyo Bay mouth traffic route (general knowledge); position approximate"),
    ("wp_nakanose", "Nakanose route (mid-bay)", "中ノ瀬航路(湾央)", 35.420, 139.790, "kanagawa_east",
     "Tokyo Bay mid-bay traffic route (general knowledge); position approximate"),
    ("wp_nojimazaki", "Off Cape Nojima (south Boso)", "野島埼沖", 34.860, 139.880, "chiba_east",
     "sea route round the Boso peninsula (general knowledge); position approximate"),
    ("wp_inubozaki", "Off Cape Inubo (east Boso)", "犬吠埼沖", 35.690, 140.900, "chiba_east",
     "sea route round the Boso peninsula (general knowledge); position approximate"),
    ("wp_camp_nerima", "JGSDF Camp Nerima (1st Division)", "陸上自衛隊 練馬駐屯地(第1師団)", 35.765, 139.655, "tokyo_23",
     "1st Division HQ and its logistic support regiment (general knowledge, unverified); position approximate"),
    ("wp_camp_kisarazu", "JGSDF Camp Kisarazu (1st Helicopter Brigade, CH-47)", "陸上自衛隊 木更津駐屯地(第1ヘリコプター団)", 35.398, 139.912, "chiba_west",
     "CH-47J/JA base of the 1st Helicopter Brigade (general knowledge, unverified); position approximate"),
]

# Site conditions of supply facilities (estimates by landform and age of
# fill, see notes.md "Site conditions"; not read off J-SHIS meshes).
SITE_BAY_FILL = dict(avs30=150, liq="high", gw=1.5)          # reclaimed bay land
# Per facility: AVS30, susceptibility, groundwater, free face (quay wall or
# canal bank next to the plant), and the basis of the figures.
_NEW_FILL = "reclaimed 1960s-70s, sandy hydraulic fill"
_SCP = "reclaimed, ground improved with sand compaction piles under the tank yard"
SITE_FAC = {
    "ref_negishi": dict(avs30=170, liq="high", gw=1.5, ff=1, why="Negishi bay fill (1959-64) of sandy cut material over alluvium"),
    "ref_kawasaki": dict(avs30=150, liq="high", gw=1.5, ff=1, why="Ukishima, " + _NEW_FILL + " over thick soft alluvium"),
    "ref_toa_keihin": dict(avs30=160, liq="moderate", gw=2.0, ff=1, why="Mizue, older fill (1920s-30s Asano reclamation), aged and partly consolidated"),
    "ref_idemitsu_chiba": dict(avs30=170, liq="high", gw=1.5, ff=1, why="Anesaki-kaigan, " + _NEW_FILL + " over Pleistocene sand at shallower depth than Keihin"),
    "ref_cosmo_chiba": dict(avs30=170, liq="high", gw=1.5, ff=1, why="Goi-kaigan, " + _NEW_FILL + " over Pleistocene sand"),
    "ref_eneos_chiba": dict(avs30=170, liq="high", gw=1.5, ff=1, why="Chigusa-kaigan, " + _NEW_FILL + " over Pleistocene sand"),
    "ref_fuji_sodegaura": dict(avs30=170, liq="high", gw=1.5, ff=1, why="Kitasode, " + _NEW_FILL + " over Pleistocene sand"),
    "ref_eneos_kashima": dict(avs30=200, liq="high", gw=1.5, ff=1, why="Kashima port dug into dune sand; liquefaction in 2011 (NRIFD survey, reference first_week.md)"),
    "lng_sodegaura": dict(avs30=220, liq="low", gw=1.5, ff=0, why="Nakasode, " + _SCP + " (LNG practice, general knowledge, unverified)"),
    "lng_futtsu": dict(avs30=220, liq="low", gw=1.5, ff=0, why="Futtsu, " + _SCP + " (general knowledge, unverified)"),
    "lng_negishi": dict(avs30=200, liq="low", gw=1.5, ff=0, why="Negishi fill, " + _SCP + " (general knowledge, unverified)"),
    "lng_ohgishima": dict(avs30=200, liq="low", gw=1.5, ff=0, why="Ogishima, 1970s fill, " + _SCP + "; in-ground tanks (general knowledge, unverified)"),
    "lng_higashi_ohgishima": dict(avs30=200, liq="low", gw=1.5, ff=0, why="Higashi-Ogishima, 1970s fill, " + _SCP + " (general knowledge, unverified)"),
    "lng_hitachi": dict(avs30=250, liq="moderate", gw=2.0, ff=0, why="Hitachi port, newer fill on the Pacific coast"),
    "oil_tokyo_port": dict(avs30=140, liq="high", gw=1.0, ff=1, why="Shiomi-Tatsumi, Koto: fill of the 1960s-70s; liquefied in 2011 (reference first_week.md 1e)"),
    "oil_yokohama": dict(avs30=150, liq="high", gw=1.5, ff=1, why="Tsurumi-Daikoku fill; Daikoku liquefied in 2011 (reference first_week.md 1c)"),
    "oil_toa_ogishima": dict(avs30=150, liq="high", gw=1.5, ff=1, why="Ogishima, 1970s fill"),
    "oil_funabashi": dict(avs30=150, liq="high", gw=1.5, ff=1, why="Katsunan district fill; Chiba port Katsunan central pier liquefied in 2011 (reference first_week.md 1e)"),
    "port_higashi_ogishima": dict(avs30=170, liq="moderate", gw=1.5, ff=1, why="Higashi-Ogishima core disaster base: reinforced quays on improved ground (general knowledge, unverified)"),
    "port_tokyo_ariake": dict(avs30=160, liq="moderate", gw=1.5, ff=1, why="Ariake fill; core disaster base with reinforced quays on improved ground (general knowledge, unverified)"),
}
SITE_SRC = "site conditions estimated by landform and age of fill (notes.md, Site conditions): "
# What burns after damage (fire_class): LPG spheres at refineries (Cosmo Chiba
# 2011 is the known case), floating-roof tank farms at coastal terminals.
FIRE_CLASS = {"refinery": "lpg_sphere_braced", "oil_terminal": "tank_floating_roof_unanchored"}
SITE_KASHIMA = dict(avs30=200, liq="high", gw=1.5)
SITE_HITACHI = dict(avs30=250, liq="moderate", gw=2.0)
SITE_INLAND = {"dep_jot_hachioji": dict(avs30=330, liq="low", gw=5.0),
               "dep_jot_takasaki": dict(avs30=350, liq="low", gw=5.0),
               "dep_jot_utsunomiya": dict(avs30=320, liq="low", gw=4.0)}
SITE_SEA = dict(avs30=150, liq="none", gw=0.0)   # sea waypoints: no ground failure

# ---------------------------------------------------------------- clusters

# Per cluster: grid area, AVS30 (m/s), liquefaction susceptibility,
# groundwater (m), type (ward / suburb / rural: last-mile distance), number of
# municipal disaster HQs (wards, cities, towns; ward offices of designated
# cities count), prefectural HQ here. Site values: general knowledge,
# unverified (notes.md).
CLUSTER = {
    "T01": ("tokyo_23", 250, "low", 3.0, "ward", 6, True),
    "T02": ("tokyo_23", 280, "low", 4.0, "ward", 4, False),
    "T03": ("tokyo_23", 320, "very_low", 6.0, "ward", 3, False),
    "T04": ("tokyo_23", 300, "low", 5.0, "ward", 3, False),
    "T05": ("tokyo_23", 160, "moderate", 1.5, "ward", 5, False),
    "T06": ("tokyo_23", 140, "high", 1.0, "ward", 2, False),
    "T07": ("tama", 380, "very_low", 8.0, "suburb", 5, False),
    "T08": ("tama", 400, "very_low", 8.0, "suburb", 9, False),
    "T09": ("tama", 380, "very_low", 8.0, "suburb", 16, False),
    "K01": ("kanagawa_east", 170, "high", 1.5, "ward", 3, False),
    "K02": ("kanagawa_east", 300, "low", 5.0, "suburb", 5, False),
    "K03": ("kanagawa_east", 270, "low", 4.0, "suburb", 6, False),
    "K04": ("kanagawa_east", 240, "moderate", 2.5, "ward", 8, True),
    "K05": ("kanagawa_east", 330, "very_low", 6.0, "suburb", 5, False),
    "K06": ("kanagawa_west", 380, "very_low", 8.0, "suburb", 4, False),
    "K07": ("kanagawa_east", 350, "low", 4.0, "suburb", 4, False),
    "K08": ("kanagawa_west", 260, "moderate", 2.5, "suburb", 4, False),
    "K09": ("kanagawa_west", 350, "very_low", 6.0, "suburb", 6, False),
    "K10": ("kanagawa_west", 300, "low", 4.0, "rural", 16, False),
    "S01": ("saitama", 280, "low", 4.0, "suburb", 11, True),
    "S02": ("saitama", 180, "moderate", 2.0, "suburb", 3, False),
    "S03": ("saitama", 320, "low", 5.0, "suburb", 7, False),
    "S04": ("saitama", 360, "very_low", 6.0, "suburb", 8, False),
    "S05": ("saitama", 170, "moderate", 1.5, "suburb", 7, False),
    "S06": ("saitama", 300, "low", 3.0, "rural", 37, False),
    "C01": ("chiba_west", 230, "moderate", 2.5, "suburb", 7, True),
    "C02": ("chiba_west", 220, "moderate", 2.5, "suburb", 3, False),
    "C03": ("chiba_west", 150, "high", 1.5, "suburb", 2, False),
    "C04": ("chiba_west", 260, "low", 3.0, "suburb", 6, False),
    "C05": ("chiba_west", 220, "moderate", 2.0, "suburb", 5, False),
    "C06": ("chiba_east", 320, "low", 4.0, "rural", 9, False),
    "C07": ("chiba_east", 300, "low", 3.0, "rural", 28, False),
}
PREF_HQ = {"T01": ("Tokyo Metropolitan Government", "東京都庁"),
           "K04": ("Kanagawa Prefectural Government", "神奈川県庁"),
           "S01": ("Saitama Prefectural Government", "埼玉県庁"),
           "C01": ("Chiba Prefectural Government", "千葉県庁")}

# Last-mile (hub to demand point) distance by cluster type, km, and speed.
LAST_MILE_KM = {"ward": 4.0, "suburb": 7.0, "rural": 15.0}
LAST_MILE_KMH = 20.0

# Road graph between cluster hubs (adjacent clusters joined by main roads).
HUB_ADJ = [
    ("T01", "T02"), ("T01", "T03"), ("T01", "T04"), ("T01", "T05"), ("T01", "T06"),
    ("T02", "T03"), ("T02", "K01"), ("T02", "K02"), ("T02", "T08"),
    ("T03", "T04"), ("T03", "T08"), ("T03", "T09"), ("T03", "S03"),
    ("T04", "T05"), ("T04", "S02"), ("T04", "S03"),
    ("T05", "T06"), ("T05", "S02"), ("T05", "S05"), ("T05", "C04"),
    ("T06", "C03"),
    ("T07", "T08"), ("T07", "T09"), ("T07", "K02"), ("T07", "K06"),
    ("T08", "T09"), ("T09", "S04"),
    ("K01", "K02"), ("K01", "K03"),
    ("K02", "K03"),
    ("K03", "K04"), ("K03", "K05"),
    ("K04", "K05"), ("K04", "K07"),
    ("K05", "K08"), ("K05", "K09"),
    ("K06", "K09"), ("K06", "K10"),
    ("K07", "K08"),
    ("K08", "K09"), ("K08", "K10"),
    ("K09", "K10"),
    ("S01", "S02"), ("S01", "S03"), ("S01", "S04"), ("S01", "S05"), ("S01", "S06"),
    ("S02", "S05"), ("S03", "S04"), ("S04", "S06"), ("S05", "S06"), ("S05", "C04"),
    ("C01", "C02"), ("C01", "C05"), ("C01", "C06"), ("C01", "C07"),
    ("C02", "C03"), ("C02", "C04"), ("C02", "C06"),
    ("C03", "C04"), ("C06", "C07"),
]
# Sources, depots, ports and SDF bases joined to hubs.
FAC_ROADS = {
    "ref_negishi": ["K04", "K07"],
    "ref_kawasaki": ["K01", "T02"],
    "ref_toa_keihin": ["K01"],
    "oil_toa_ogishima": ["K01", "K03"],
    "oil_yokohama": ["K03", "K04"],
    "oil_tokyo_port": ["T06", "T01"],
    "oil_funabashi": ["C02", "C03"],
    "ref_idemitsu_chiba": ["C05", "C01"],
    "ref_cosmo_chiba": ["C05", "C01"],
    "ref_eneos_chiba": ["C05", "C01"],
    "ref_fuji_sodegaura": ["C05"],
    "ref_eneos_kashima": ["C07", "C06"],
    "dep_jot_hachioji": ["T07", "T09", "K06"],
    "dep_jot_takasaki": ["S06"],
    "dep_jot_utsunomiya": ["S06"],
    "port_higashi_ogishima": ["K01"],
    "port_tokyo_ariake": ["T06", "T01"],
    "wp_camp_nerima": ["T03"],
    "wp_camp_kisarazu": ["C05"],
}
ROAD_CIRCUITY = 1.3


def road_time_h(km):
    """Normal lorry time (assumption): the first 10 km at 25 km/h (surface
    streets), the next 30 km at 35 km/h, the rest at 50 km/h (the expressway
    share grows with distance). Continuous and increasing in km."""
    return min(km, 10) / 25.0 + min(max(km - 10, 0), 30) / 35.0 + max(km - 40, 0) / 50.0


ROAD_TIME_TEXT = "first 10 km at 25 km/h, next 30 km at 35 km/h, beyond at 50 km/h"

# ---------------------------------------------------------------- demand rules

# Disaster base hospitals per prefecture (demand.md 2.1).
HOSPITALS = {"Tokyo": 80, "Kanagawa": 35, "Saitama": 22, "Chiba": 26}
HOSP_GEN_KLD = 11.0        # heavy_a per hospital on generator (Osaka plan, demand.md 2.3)
HOSP_GEN_DAYS = 3.0        # on-site stock rule (MHLW, demand.md 2.2)
HOSP_GEN_FILL = 0.9        # assumption
HOSP_DIESEL_KLD = 0.3      # always: hospital vehicles, small boilers (assumption)
HOSP_DIESEL_DAYS = 10.0

HQ_KLD = 2.0               # municipal HQ generator, diesel (FDMA, demand.md 6)
PREF_HQ_KLD = 5.0          # prefectural HQ generator (assumption)
HQ_DAYS = 3.0              # 72 h target (FDMA)
HQ_FILL_DAYS = 2.0         # 41% meet 72 h, 29% under 24 h: about 2 days on average (assumption)

# Emergency vehicles per 100,000 people (demand.md 6, derived in notes.md),
# 40 L per vehicle-day.
VEH_PER_1E5 = {"police": 42000 / 1261.46, "fire": 21272 / 1261.46, "ambulance": 5359 / 1261.46,
               "municipal": 25.0, "outside": 8500 / 369.14}
VEH_L_D = 40.0
EF_DAYS = 4.0

# Shelters: 2.9 M evacuees in shelters at 2 weeks (CDMC 2013), split
# Tokyo 45 / Kanagawa 22 / Chiba 19 / Saitama 14 % (CDMC 2005), then by population.
SHELTER_EVAC = 2.9e6
SHELTER_SPLIT = {"Tokyo": 0.45, "Kanagawa": 0.22, "Chiba": 0.19, "Saitama": 0.14}
KERO_L_PER_EVAC = 0.3      # winter, demand.md 5.2 (0.25-0.4)
EVAC_KERO_DAYS = 3.0
SHELTERS_PER_PERSON = 3200 / 14.0e6   # Tokyo: ~3,200 shelters for ~14 M (NHK, demand.md 5.1)
SHELTER_GEN_SHARE = 0.3    # shelters with a generator (assumption)
SHELTER_GEN_KLD = 0.05     # 4 L/h x 12 h (assumption)
SHELTER_GEN_DAYS = 2.0
SHELTER_GEN_FILL_DAYS = 1.6

# Core SS (PAJ: 1,591 at end FY2023), by population share of Japan.
CORE_SS_JAPAN = 1591
JAPAN_POP = 126146099
SS_USE = {"gasoline": 6.0, "diesel": 3.4, "kerosene": 2.2}     # kL/day per core SS
SS_TANK = {"gasoline": 30.0, "diesel": 20.0, "kerosene": 10.0}  # kL per core SS

THRESHOLD_DAYS = 1.5

# ---------------------------------------------------------------- assets

LORRY_CAP = 20.0
LORRY_RATE = 40.0          # kL/h effective filling / discharge (20 kL in 30 min)
# Passage permits for controlled roads, hours after the quake (notes.md,
# "Traffic control and permits"): SDF vehicles are emergency vehicles, the PAJ
# plan's lorries are registered in advance; company lorries apply after the
# quake (assumption: 72 h).
PERMIT_H = {"sdf_truck": 0, "lorry_paj": 0, "lorry_commercial": 72}
# Bridges on road links (notes.md, "Bridges and viaducts"): expressway
# viaducts between the bay's clusters and terminals, one bridge per 5 km.
VIADUCT_CLUSTERS = {"T01", "T02", "T03", "T04", "T05", "T06", "K01", "K03", "K04", "C01", "C02", "C03"}
VIADUCT_FACILITIES = {"ref_negishi", "ref_kawasaki", "ref_toa_keihin", "oil_toa_ogishima", "oil_yokohama",
                      "oil_tokyo_port", "oil_funabashi", "port_tokyo_ariake", "port_higashi_ogishima"}
VIADUCT_KM_PER_BRIDGE = 5
BRIDGE_CLASS = "bridge_seismic_pga"
BRIDGE_REST = "hazus_bridge"
HEAVY_CAP = 16.0

# ---------------------------------------------------------------- earthquakes

FAULT_TYPE = {"intraslab_philippine_sea_plate": "intraslab", "intraslab_pacific_plate": "intraslab", "crustal": "crustal",
              "interplate_sagami_trough": "interplate", "interplate_nankai_trough": "interplate",
              "interplate_japan_trench": "interplate"}
QUAKE_JA = {
    "tonan_chokka_2013": "都心南部直下地震(Mw7.3)",
    "kawasaki_chokka_2013": "川崎市直下地震(Mw7.3)",
    "ichihara_chokka_2013": "市原市直下地震(Mw7.3)",
    "tokyowan_chokka_2013": "東京湾直下地震(Mw7.3)",
    "yokohama_chokka_2013": "横浜市直下の地殻内地震(Mw6.8)",
    "taisho_kanto_type": "大正関東地震タイプ(1923年型)",
    "genroku_kanto_type": "元禄関東地震タイプ(1703年型)",
    "sagami_max_2013": "相模トラフ沿いの最大クラスの地震",
    "nankai_max_2012": "南海トラフ巨大地震(最大クラス)",
    "tohoku_2011": "平成23年(2011年)東北地方太平洋沖地震(検証用)",
    "fukushima_oki_2022": "令和4年(2022年)福島県沖の地震(検証用)",
}
# Rupture rectangles (low confidence, see notes.md): strike, dip, length, width,
# top of the fault; for "centroid" the reference point is the surface projection
# of the rectangle's centre and D the depth of that centre; for "top" the
# given point is the centre of the top edge.
GEOM = {
    # PHS-plate internal Mw 7.3 (CDMC 2013): a compact plane inside the slab
    # just below the plate top (~20-30 km under the bay, 10 km shallower than
    # the 2005 model), centred under the Cabinet Office epicentre: see notes.md.
    "tonan_chokka_2013": dict(kind="centroid", strike=300, dip=45, L=30, W=20, lat=35.600, lon=139.730, D=29),
    "kawasaki_chokka_2013": dict(kind="centroid", strike=300, dip=45, L=30, W=20, lat=35.530, lon=139.700, D=29),
    "ichihara_chokka_2013": dict(kind="centroid", strike=300, dip=45, L=30, W=20, lat=35.500, lon=140.100, D=34),
    "tokyowan_chokka_2013": dict(kind="centroid", strike=300, dip=45, L=30, W=20, lat=35.550, lon=139.900, D=31),
    "yokohama_chokka_2013": dict(kind="centroid", strike=315, dip=60, L=24, W=16),
    "taisho_kanto_type": dict(kind="top", lat=35.00, lon=139.50, strike=295, dip=20, L=130, W=65, top=2),
    "genroku_kanto_type": dict(kind="top", lat=34.80, lon=139.90, strike=295, dip=20, L=200, W=90, top=2),
    "sagami_max_2013": dict(kind="top", lat=34.55, lon=140.45, strike=295, dip=15, L=300, W=130, top=2),
    "nankai_max_2012": dict(kind="top", lat=33.10, lon=135.70, strike=240, dip=12, L=700, W=120, top=5),
    "tohoku_2011": dict(kind="top", lat=38.00, lon=143.60, strike=200, dip=12, L=450, W=180, top=5),
    "fukushima_oki_2022": dict(kind="centroid", strike=20, dip=40, L=50, W=40),
}
GEOM_SRC = {
    "tonan_chokka_2013": "CDMC 2013 model-committee report (Dec 2013) and TMG 2022 p.2-8 (same fault as the Cabinet Office): epicentre under the southern wards; plane 30 x 20 km (area ~600 km2 for an intraslab Mw 7.3 with high stress drop, estimate), strike 300 and dip 45 estimated, top ~22 km estimated just inside the slab (CDMC: plate top ~30 km under central Tokyo, shallower to the south; TMG 2022 p.2-8 draws the plane on its plate-top contour map, depth not read); centred under the epicentre; medium-low confidence",
    "yokohama_chokka_2013": "rectangle assumed (24 x 16 km for Mw 6.8, dip 60), centred under the reference point; low confidence",
    "taisho_kanto_type": "rectangle for 1923: dip 20 (Nyst et al. 2006, JGR 111 B11306, geodetic model of the 1923 Kanto earthquake: two adjacent planes dipping 20 deg, geometry from seismic reflection); 130 x 65 km (ja.wikipedia Sagami trough article: the 1923 fault 130 x 65 km2; secondary, weak); strike 295 along the Sagami trough (general knowledge, unverified); top edge along the trough; not the CDMC 2013 Taisho-type model, whose plane was not found; low confidence",
    "genroku_kanto_type": "rectangle assumed (200 x 90 km, strike 295, dip 20) extending the 1923 plane south-east off Boso; low confidence",
    "sagami_max_2013": "rectangle 300 x 130 km (~39,000 km2 vs ~40,000 km2 source area, trough ~300 km: Cabinet Office 2013 via 123deta) along the Sagami trough from Sagami Bay to the triple junction, dip 15; low confidence",
    "nankai_max_2012": "rectangle 700 x 120 km along the Nankai trough from Suruga Bay to Hyuga-nada (trough ~800 km, area ~140,000 km2: Cabinet Office 2013 via 123deta), strike 240, dip 12; a rectangle cannot follow the trough's curve; low confidence",
    "fukushima_oki_2022": "JMA teleseismic source model: main rupture ~50 km along strike x ~40 km down dip, a reverse fault striking NNE-SSW and dipping ESE (JMA, as summarised on a public wiki mirror); strike 20 and dip 40 estimated; centred under the JMA hypocentre; medium-low confidence",
    "tohoku_2011": "rectangle 450 x 180 km, strike 200, dip 12, top edge near the Japan trench (general knowledge of published finite-fault models, unverified); low confidence",
}

# Tsunami inundation at coastal facilities (low confidence, see notes.md):
# zone -> (depth m, recede h) per interplate earthquake.
TSU_ZONE = {
    "mouth": ["lng_futtsu", "ref_negishi", "lng_negishi"],
    "keihin": ["oil_yokohama", "ref_kawasaki", "ref_toa_keihin", "oil_toa_ogishima", "lng_ohgishima",
               "lng_higashi_ohgishima", "port_higashi_ogishima"],
    "tokyo": ["oil_tokyo_port", "port_tokyo_ariake"],
    "chiba": ["oil_funabashi", "ref_idemitsu_chiba", "ref_cosmo_chiba", "ref_eneos_chiba",
              "ref_fuji_sodegaura", "lng_sodegaura"],
    "pacific": ["ref_eneos_kashima", "lng_hitachi"],
}
TSU = {
    "sagami_max_2013": {"mouth": (1.5, 36), "keihin": (0.8, 24), "tokyo": (0.5, 24), "chiba": (0.6, 24), "pacific": (2.0, 48)},
    "genroku_kanto_type": {"mouth": (1.0, 36), "keihin": (0.5, 24), "tokyo": (0.3, 24), "chiba": (0.4, 24), "pacific": (1.5, 48)},
    "taisho_kanto_type": {"mouth": (0.3, 24)},
    "nankai_max_2012": {"mouth": (0.8, 36), "keihin": (0.4, 24), "tokyo": (0.2, 24), "chiba": (0.3, 24), "pacific": (1.0, 48)},
    "tohoku_2011": {"pacific": (1.5, 48)},
}


# ================================================================ build

FIRST_WEEK = {
    # issue 15; sources and caveats in notes.md, "The first week"
    "switches": {"variability": True, "request_chain": True, "roads": True, "rail_sea": True, "power": True,
                 "permits": True, "bridges": True},
    "variability": {
        "travel_factor": [0.8, 1.8],
        "load_factor": [0.9, 2.0],
        "demand_factor": [0.8, 1.25],
        "panic_multiplier": [3.3, 3.6],
        "panic_days": [7, 14],
    },
    "request_chain": {
        "ministry_request_h": [2, 24],
        "joint_room_after_h": [2, 8],
        "prefecture_to_agency_h": [0.5, 6],
        "agency_to_room_h": [0.5, 4],
        "priority_max_class": 3,
        "designated_depots": ["oil_tokyo_port", "oil_yokohama", "oil_toa_ogishima", "oil_funabashi",
                              "dep_jot_hachioji", "dep_jot_takasaki", "dep_jot_utsunomiya",
                              "ref_negishi", "ref_kawasaki", "ref_idemitsu_chiba", "ref_cosmo_chiba"],
        "stockpile_days": 4,
        "stockpile_release_h": [48, 168],
        "sdf_draw_kl_d": {"diesel": 600, "gasoline": 150},
    },
    "roads": {
        "centre_lat": 35.681,
        "centre_lon": 139.767,
        "direction_open_h": [12, 48],
        "ordinary_clear_h": [48, 720],
        "congestion_factor": [1.5, 5],
        "congestion_days": [3, 30],
        "traffic_control_h": 168,
        "controlled_factor": 1.3,
        "detour_factor": 3,
        "control_pga_g": 0.25,
    },
    "rail_sea": {"rail_reopen_h": [120, 1440], "fairway_clear_h": [24, 168], "severe_pga_g": 0.25},
    "power": {"outage_h": [3, 55], "light_outage_h": [1, 16], "plant_restart_h": [72, 720], "import_share": 0.3,
              "restraint": 0.85, "lng_backup": 0.7},
}


def load_clusters():
    with open(os.path.join(HERE, "clusters.csv"), encoding="utf-8") as f:
        return list(csv.DictReader(f))


def build():
    clusters = load_clusters()
    fac, comp, stock, links, assets, dem, use, quakes, tsu = [], [], [], [], [], [], [], [], []

    def add_fac(id_, en, ja, kind, op, lat, lon, area, site, gen, src):
        if id_ in SITE_FAC:
            site = SITE_FAC[id_]
            src = src.replace("site conditions and own generation assumed", "own generation assumed")
            src = src.replace("; site conditions assumed, see notes.md", "")
            src += "; " + SITE_SRC + site["why"]
        fac.append(dict(id=id_, name_en=en, name_ja=ja, kind=kind, operator=op, lat=r3(lat), lon=r3(lon),
                        area=area, avs30_ms=site["avs30"], liq_susceptibility=site["liq"],
                        gw_depth_m=site["gw"], has_generator=gen, free_face=site.get("ff", 0),
                        fire_class=FIRE_CLASS.get(kind, ""),
                        crude_days=REF_CRUDE_DAYS if kind == "refinery" else "", source=src))

    def add_comp(fid, kind, frag, pgd, rest, count, rate, src):
        comp.append(dict(id="%s_%s" % (fid, kind), facility=fid, kind=kind, fragility_class=frag,
                         pgd_fragility_class=pgd, restoration_class=rest, count=count, rate_kl_h=rate,
                         source=src))

    CS = "class choice: notes.md; class rows copied from reference fragility.csv/restoration.csv"
    QUAY = "quay_wall_gravity"
    QUAY_SRC = "gravity quay wall on PGA (quay_wall_gravity, after Ichii 2004 and PIANC 2001 damage degrees: notes.md)"
    # refineries
    for (id_, en, ja, op, lat, lon, area, cdu, size, berths, sidings, src) in REFINERIES:
        site = SITE_KASHIMA if id_ == "ref_eneos_kashima" else SITE_BAY_FILL
        add_fac(id_, en, ja, "refinery", op, lat, lon, area, site, 1,
                SRC_REF + src + "; lat/lon approximate (general knowledge); site conditions and own generation assumed, see notes.md")
        add_comp(id_, "process", "hazus_refinery_%s_anchored" % size, "", "hazus_refinery", 1, 0,
                 "Hazus refinery %s, anchored (reference README: Toa Keihin small, others medium/large; anchoring assumed); kept for want of a Japanese process-plant curve, double counting with the tank and power components noted (notes.md, Process units and power intakes)" % size.replace("_", "/"))
        ntank = max(2, int(round(cdu * REF_TANKS_PER_KLD)))
        add_comp(id_, "tank", OIL_TANK, "", "hazus_storage_tank", ntank, 0,
                 OIL_TANK_SRC % ("floating-roof crude and product tanks; count: Fuji Oil 119 product tanks + ~11 crude (reference README), "
                                 "others scaled by CDU (assumption)"))
        add_comp(id_, "berth", QUAY, "", "hazus_port_waterfront_structure",
                 berths, BERTH_RATE, "product berths count assumed; rate several hundred kL/h (assets.md); " + QUAY_SRC)
        lanes = max(2, int(round(cdu / LANE_PER_KLD)))
        add_comp(id_, "rack", "hazus_port_fuel_facility_anchored_backup_power", "", "hazus_port_fuel_facility",
                 lanes, RACK_RATE, "lanes = CDU kL/d / 1,000 (assumption scaled from JX Sendai's 37-52 lanes, assets.md); 120 kL/h per arm (1.5-2.5 kL/min, assets.md); fuel-facility class as proxy")
        if sidings:
            add_comp(id_, "siding", "hazus_port_fuel_facility_anchored_backup_power", "", "hazus_port_fuel_facility",
                     sidings, SIDING_RATE, "rail siding (assets.md); track count and rate assumed; fuel-facility class as proxy")
        add_comp(id_, "power", "hazus_substation_low_voltage_anchored", "", "hazus_substation", 1, 0,
                 "power intake as a Hazus low-voltage (34.5-150 kV) anchored substation, the voltage class of a 66-154 kV receiving station (the higher-voltage classes are more fragile; in-house generation did not keep units running in 2021-2022: notes.md, Process units and power intakes); " + CS)
        for p in PRODUCTS:
            out = cdu * YIELD[p]
            tank = out * REF_TANK_DAYS
            stock.append(dict(facility=id_, product=p, tank_kl=round(tank), initial_kl=round(tank * REF_FILL),
                              output_kl_d=round(out),
                              source="CDU %d kL/d x yield %.2f (derived, notes.md); tank %d days of output, %d%% full (assumption)"
                              % (cdu, YIELD[p], REF_TANK_DAYS, REF_FILL * 100)))
    # LNG terminals
    for (id_, en, ja, op, lat, lon, area, storage, berths, inground, src) in LNG:
        site = SITE_HITACHI if id_ == "lng_hitachi" else SITE_BAY_FILL
        add_fac(id_, en, ja, "lng_terminal", op, lat, lon, area, site, 1,
                SRC_REF + src + "; lat/lon approximate; send-out capacity not found; site conditions assumed, see notes.md")
        add_comp(id_, "process", "hazus_pumping_plant_medium_large_anchored", "", "hazus_pumping_plant_water", 1, 0,
                 "vaporisers and send-out pumps, Hazus pumping-plant proxy (assumption); " + CS)
        ntank, why = LNG_TANKS.get(id_, (max(1, int(round(storage / 100000))),
                                         "storage / 100,000 kL (assumption)"))
        if inground:
            add_comp(id_, "tank", "", "hazus_tank_buried_concrete", "hazus_storage_tank", ntank, 0,
                     "in-ground LNG tanks: Hazus buried concrete tank on PGD (borrowed: an in-ground tank is a buried concrete vessel, ground failure governs; notes.md); count: %s; %s" % (why, CS))
        else:
            add_comp(id_, "tank", "hazus_tank_onground_anchored_concrete", "", "hazus_storage_tank", ntank, 0,
                     "above-ground PC LNG tanks: Hazus on-ground anchored concrete tank (proxy, assumption); count: %s; %s" % (why, CS))
        add_comp(id_, "berth", QUAY, "", "hazus_port_waterfront_structure",
                 berths, 12000, "LNG berths (Sodegaura 3: reference; others assumed); unloading ~12,000 m3/h (general knowledge, unverified); " + QUAY_SRC)
        add_comp(id_, "power", "hazus_substation_low_voltage_anchored", "", "hazus_substation", 1, 0,
                 "power intake; " + CS)
    # coastal terminals
    split = {"gasoline": 0.4, "diesel": 0.3, "kerosene": 0.2, "heavy_a": 0.1}
    for (id_, en, ja, op, lat, lon, area, storage, berths, lanes, src) in TERMINALS:
        add_fac(id_, en, ja, "oil_terminal", op, lat, lon, area, SITE_BAY_FILL, 1, src)
        add_comp(id_, "tank", OIL_TANK, "", "hazus_storage_tank", max(2, int(round(storage / 5000))), 0,
                 OIL_TANK_SRC % "floating-roof product tanks; count: storage / 5,000 kL (assumption)")
        add_comp(id_, "berth", QUAY, "", "hazus_port_waterfront_structure",
                 berths, BERTH_RATE, "berths assumed; " + QUAY_SRC)
        add_comp(id_, "rack", "hazus_port_fuel_facility_anchored_backup_power", "", "hazus_port_fuel_facility",
                 lanes, RACK_RATE, "lanes assumed; 120 kL/h per arm (assets.md); fuel-facility class as proxy")
        add_comp(id_, "power", "hazus_substation_low_voltage_anchored", "", "hazus_substation", 1, 0, "power intake; " + CS)
        for p in PRODUCTS:
            t = storage * split[p]
            stock.append(dict(facility=id_, product=p, tank_kl=round(t), initial_kl=round(t * 0.7), output_kl_d=0,
                              source="assumption, see notes.md (total %d kL split 40/30/20/10, 70%% full)" % storage))
    # inland depots
    for (id_, en, ja, lat, lon, area, storage, sidings, lanes, src) in DEPOTS:
        add_fac(id_, en, ja, "inland_depot", "Japan Oil Terminal (JOT)", lat, lon, area, SITE_INLAND[id_], 0,
                "reference facilities.csv: " + src + "; lat/lon approximate")
        add_comp(id_, "tank", "hazus_tank_onground_anchored_steel", "", "hazus_storage_tank",
                 max(2, int(round(storage / 2500))), 0,
                 "assumption; count: storage / 2,500 kL (assumption), sampled tank by tank (notes.md); " + CS)
        add_comp(id_, "siding", "hazus_port_fuel_facility_anchored_backup_power", "", "hazus_port_fuel_facility",
                 sidings, SIDING_RATE, "receiving tracks assumed; fuel-facility class as proxy")
        add_comp(id_, "rack", "hazus_port_fuel_facility_anchored_backup_power", "", "hazus_port_fuel_facility",
                 lanes, RACK_RATE, "lanes assumed; 120 kL/h per arm (assets.md)")
        add_comp(id_, "power", "hazus_substation_low_voltage_anchored", "", "hazus_substation", 1, 0, "power intake; " + CS)
        for p in PRODUCTS:
            t = storage * split[p]
            stock.append(dict(facility=id_, product=p, tank_kl=round(t), initial_kl=round(t * 0.7), output_kl_d=0,
                              source="storage not found (reference): assumption, see notes.md (total %d kL split 40/30/20/10, 70%% full)" % storage))
    # ports
    for (id_, en, ja, op, lat, lon, area, berths, src) in PORTS:
        add_fac(id_, en, ja, "port", op, lat, lon, area, SITE_BAY_FILL, 1, src + "; lat/lon approximate")
        add_comp(id_, "berth", "quay_wall_reinforced", "", "hazus_port_waterfront_structure",
                 berths, 100, "seismically reinforced quays (quay_wall_reinforced: notes.md); count and rate assumed")
        add_comp(id_, "power", "hazus_substation_low_voltage_anchored", "", "hazus_substation", 1, 0, "power intake; " + CS)
    # waypoints
    for (id_, en, ja, lat, lon, area, src) in WAYPOINTS:
        site = SITE_SEA if not id_.startswith("wp_camp") else dict(avs30=300, liq="low", gw=4.0)
        add_fac(id_, en, ja, "waypoint", "", lat, lon, area, site, 0, src)

    # ------------------------------------------------------------ demand
    pref_pop = {}
    for c in clusters:
        pref_pop[c["prefecture"]] = pref_pop.get(c["prefecture"], 0) + int(c["population"])
    hosp_n = {}
    for pref, n in HOSPITALS.items():
        cs = [c for c in clusters if c["prefecture"] == pref]
        for c, k in zip(cs, largest_remainder(n, [int(c["population"]) for c in cs], 1)):
            hosp_n[c["id"]] = k
    total_pop = sum(pref_pop.values())
    core_total = round(CORE_SS_JAPAN * total_pop / JAPAN_POP)
    ss_n = dict(zip([c["id"] for c in clusters],
                    largest_remainder(core_total, [int(c["population"]) for c in clusters], 1)))
    veh_gas = (VEH_PER_1E5["police"] + VEH_PER_1E5["ambulance"] + VEH_PER_1E5["municipal"] / 2 + VEH_PER_1E5["outside"] / 2)
    veh_die = (VEH_PER_1E5["fire"] + VEH_PER_1E5["municipal"] / 2 + VEH_PER_1E5["outside"] / 2)

    hubs = {}
    offsets = {"hospital": (0, 1.6), "hq": (180, 1.6), "emergency_fuel": (90, 1.6),
               "evacuation": (270, 1.6), "service_station": (45, 2.2)}
    kind_en = {"hospital": "disaster base hospitals", "hq": "disaster HQs", "emergency_fuel": "emergency-vehicle fuelling points",
               "evacuation": "evacuation centres", "service_station": "core service stations"}
    kind_ja = {"hospital": "災害拠点病院", "hq": "災害対策本部", "emergency_fuel": "緊急車両給油拠点",
               "evacuation": "避難所", "service_station": "中核SS"}
    for ci, c in enumerate(clusters):
        cid = c["id"]
        area, avs, liq, gw, ctype, nmuni, pref_hq = CLUSTER[cid]

        def stagger(lo, hi, salt):
            """Initial fill between lo and hi, on one of 8 levels that differ by
            cluster and by kind, so that requests do not all fall due at the
            same hour (real stocks are not synchronised; assumption)."""
            k = (ci * 3 + salt) % 8
            return lo + (hi - lo) * k / 7.0
        lat, lon, pop, pref = float(c["lat"]), float(c["lon"]), int(c["population"]), c["prefecture"]
        short_en = c["name_en"].split(" (")[0]
        short_ja = c["name_ja"].split("(")[0]
        hub = "hub_" + cid
        hubs[cid] = hub
        add_fac(hub, "Road hub %s (%s)" % (cid, short_en), "道路結節点 %s(%s)" % (cid, short_ja), "waypoint", "",
                lat, lon, area, dict(avs30=avs, liq=liq, gw=gw), 0,
                "cluster centroid (reference demand_clusters.csv, approximate +/-3 km)")
        site = dict(avs30_ms=avs, liq_susceptibility=liq, gw_depth_m=gw)

        def point(kind, prio, count_text_en, count_text_ja, src):
            az, km = offsets[kind]
            plat, plon = move(lat, lon, az, km)
            pid = "%s_%s" % (cid, {"hospital": "hosp", "hq": "hq", "emergency_fuel": "efuel",
                                   "evacuation": "evac", "service_station": "ss"}[kind])
            d = dict(id=pid, name_en="%s: %s (%s)" % (short_en, kind_en[kind], count_text_en),
                     name_ja="%s %s(%s)" % (short_ja, kind_ja[kind], count_text_ja),
                     prefecture=pref, kind=kind, priority=prio, lat=r3(plat), lon=r3(plon), area=area,
                     source=src + "; position = cluster centroid offset %.1f km (nominal)" % km, ctype=ctype, cid=cid)
            d.update(site)
            dem.append(d)
            return pid

        def add_use(pid, p, when, kld, storage, initial, src):
            use.append(dict(point=pid, product=p, when=when, use_kl_d=r2(kld), storage_kl=r1(storage),
                            initial_kl=r1(min(initial, storage)), source=src))

        n = hosp_n[cid]
        pid = point("hospital", 1, "%d hospitals" % n, "%d病院" % n,
                    "%s has %d disaster base hospitals (demand.md 2.1), allocated by population (derived)" % (pref, HOSPITALS[pref]))
        add_use(pid, "heavy_a", "grid_down", n * HOSP_GEN_KLD, n * HOSP_GEN_KLD * HOSP_GEN_DAYS,
                n * HOSP_GEN_KLD * HOSP_GEN_DAYS * HOSP_GEN_FILL,
                "generators 11 kL/day per hospital (Osaka plan, derived, demand.md 2.3); 3 days on site (MHLW); 90% full (assumption)")
        add_use(pid, "diesel", "always", n * HOSP_DIESEL_KLD, n * HOSP_DIESEL_KLD * HOSP_DIESEL_DAYS,
                n * HOSP_DIESEL_KLD * stagger(5.0, 9.0, 1), A)

        hq_kld = nmuni * HQ_KLD + (PREF_HQ_KLD if pref_hq else 0)
        en_txt = "%d municipal%s" % (nmuni, " + " + PREF_HQ[cid][0] if pref_hq else "")
        ja_txt = "市区町村%d%s" % (nmuni, "・" + PREF_HQ[cid][1] if pref_hq else "")
        pid = point("hq", 1 if pref_hq else 2, en_txt, ja_txt,
                    "municipal disaster HQs by count of wards/cities/towns (ward offices of designated cities count); class 1 where the prefectural HQ is (assumption)")
        add_use(pid, "diesel", "grid_down", hq_kld, hq_kld * HQ_DAYS, hq_kld * HQ_FILL_DAYS,
                "about 2 kL/day per HQ generator (FDMA 72 h rule and generator curve, demand.md 6); prefectural HQ 5 kL/day and 2 days of stock (assumption)")

        nveh = pop / 1e5 * (veh_gas + veh_die)
        pid = point("emergency_fuel", 2, "~%d vehicles" % round(nveh), "約%d台" % round(nveh),
                    "police, fire, ambulance, municipal and reinforcement vehicles per 100,000 people (demand.md 6, derived in notes.md)")
        g = pop / 1e5 * veh_gas * VEH_L_D / 1000
        dsl = pop / 1e5 * veh_die * VEH_L_D / 1000
        add_use(pid, "gasoline", "always", g, g * EF_DAYS, g * stagger(2.0, 3.75, 2),
                "40 L/vehicle-day (placeholder 15-60 L, demand.md 6); 4 days of tanks, 2-3.75 days full (assumption)")
        add_use(pid, "diesel", "always", dsl, dsl * EF_DAYS, dsl * stagger(2.0, 3.75, 5),
                "40 L/vehicle-day (placeholder 15-60 L, demand.md 6); 4 days of tanks, 2-3.75 days full (assumption)")

        evac = SHELTER_EVAC * SHELTER_SPLIT[pref] * pop / pref_pop[pref]
        shelters = pop * SHELTERS_PER_PERSON
        pid = point("evacuation", 3, "~%d shelters, ~%dk evacuees" % (round(shelters), round(evac / 1000)),
                    "避難所約%d・避難者約%d千人" % (round(shelters), round(evac / 1000)),
                    "2.9 M shelter evacuees at 2 weeks (CDMC 2013) split by prefecture (CDMC 2005 shares) and population; shelters ~3,200 per 14 M (NHK), demand.md 5.1")
        k = evac * KERO_L_PER_EVAC / 1000
        add_use(pid, "kerosene", "always", k, k * EVAC_KERO_DAYS, k * stagger(1.7, 2.8, 3),
                "0.3 L per shelter evacuee per day, winter (derived, demand.md 5.2); 3 days storage, 1.7-2.8 days full (assumption)")
        gd = shelters * SHELTER_GEN_SHARE * SHELTER_GEN_KLD
        add_use(pid, "diesel", "grid_down", gd, gd * SHELTER_GEN_DAYS, gd * SHELTER_GEN_FILL_DAYS,
                "30% of shelters with a ~10 kVA generator, 4 L/h x 12 h (assumption; TMG: shelter generators last ~1 day, demand.md 5.2)")

        m = ss_n[cid]
        pid = point("service_station", 4, "%d core SS" % m, "中核SS %d" % m,
                    "1,591 core SS in Japan at end FY2023 (PAJ, demand.md 4.2), allocated by population share (derived)")
        for p in ("gasoline", "diesel", "kerosene"):
            add_use(pid, p, "always", m * SS_USE[p], m * SS_TANK[p],
                    m * SS_TANK[p] * stagger(0.45, 0.8, {"gasoline": 4, "diesel": 6, "kerosene": 7}[p]),
                    "per core SS %.1f kL/day (derived from 4.6 kL/day average gasoline sales x 1.3 and the FY2015 product mix, demand.md 4.3); tanks %d kL per SS (core SS rule >= 20 kL regular), 45-80%% full (assumption)"
                    % (SS_USE[p], SS_TANK[p]))

    # ------------------------------------------------------------ links
    pos = {f["id"]: (f["lat"], f["lon"]) for f in fac}
    for d in dem:
        pos[d["id"]] = (d["lat"], d["lon"])

    def add_link(id_, mode, a, b, km, h, emerg, frag, rest, clear, src, control="", bridges=0,
                 bridge_class=BRIDGE_CLASS):
        br = dict(bridges=bridges, bridge_class=bridge_class, bridge_restoration=BRIDGE_REST) if bridges else \
            dict(bridges="", bridge_class="", bridge_restoration="")
        links.append(dict(id=id_, mode=mode, **{"from": a}, to=b, distance_km=r1(km), time_h=r2(h),
                          emergency_road=emerg, fragility_class=frag, restoration_class=rest, clear_h=clear,
                          traffic_control=control, **br, source=src))

    ward_set = {"T01", "T02", "T03", "T04", "T05", "T06", "K01"}

    def road(a, b, emerg=1, frag="hazus_major_road_pgd", clear=None, cids=()):
        km = max(3.0, gc_km(*pos[a], *pos[b]) * ROAD_CIRCUITY)
        if clear is None:
            clear = 24 if any(c in ward_set for c in cids) else 12
        # expressway viaducts (Shuto, Wangan, Keiyo) between the bay's hubs and
        # terminals; elsewhere one river or rail crossing (assumption, notes.md)
        viaduct = all(c in VIADUCT_CLUSTERS for c in cids) and (a.startswith("hub_") or a in VIADUCT_FACILITIES)
        nb = max(1, round(km / VIADUCT_KM_PER_BRIDGE)) if viaduct else 1
        add_link("road_%s__%s" % (a, b), "road", a, b, km, road_time_h(km), emerg, frag, "hazus_road", clear,
                 "great circle x %.1f; normal lorry time %s (assumption, notes.md); emergency transport road; clear_h assumed; %s"
                 % (ROAD_CIRCUITY, ROAD_TIME_TEXT,
                    "expressway viaduct, one bridge per %d km (assumption)" % VIADUCT_KM_PER_BRIDGE if viaduct
                    else "one river or rail crossing (assumption)"), bridges=nb)

    for a, b in HUB_ADJ:
        road(hubs[a], hubs[b], cids=(a, b))
    # Tokyo Bay Aqua-Line (Kawasaki - Kisarazu): explicit length
    add_link("road_aqualine", "road", hubs["K01"], hubs["C05"], 38.0, 38.0 / 50.0, 1, "hazus_major_road_pgd",
             "hazus_road", 24,
             "Tokyo Bay Aqua-Line, 15.1 km tunnel and bridge (general knowledge) plus ~23 km of access to the two hubs; 50 km/h (assumption); "
             "the 4.4 km Aqua-Bridge as one bridge; a toll expressway with no street beside it: closed to vehicles without a permit under traffic control",
             control="closed", bridges=1)
    for f, cs in FAC_ROADS.items():
        for c in cs:
            road(f, hubs[c], cids=(c,))
    for d in dem:
        km = LAST_MILE_KM[d["ctype"]]
        emerg = 0 if d["kind"] == "evacuation" else 1
        add_link("road_%s" % d["id"], "road", hubs[d["cid"]], d["id"], km, km / LAST_MILE_KMH, emerg,
                 "hazus_urban_road_pgd", "hazus_road", 24 if emerg else 48,
                 "representative intra-cluster delivery distance by cluster type at %d km/h (assumption, notes.md)" % LAST_MILE_KMH)

    # sea: fairways
    SEA_CIRC = 1.15
    SEA_KMH = 22.0

    def sea(a, b, clear, src):
        km = gc_km(*pos[a], *pos[b]) * SEA_CIRC
        add_link("sea_%s__%s" % (a, b), "sea", a, b, km, km / SEA_KMH, 0, "", "", clear,
                 "great circle x %.2f, %d km/h (12 kn) coastal tanker; %s" % (SEA_CIRC, SEA_KMH, src))

    CH = "channel clearance before reopening (assumption from assets.md: port BCP 24-72 h, 2011 clearance from day 3, Tokyo 2022 ~1 week)"
    sea("wp_uraga_channel", "wp_nakanose", 48, "main traffic route; " + CH)
    sea("wp_uraga_channel", "wp_nojimazaki", 24, "open sea; tsunami warnings first")
    sea("wp_nojimazaki", "wp_inubozaki", 24, "open sea round Boso")
    for f in ("ref_negishi", "lng_negishi", "lng_futtsu"):
        sea("wp_uraga_channel", f, 72, CH)
    inner = ["oil_yokohama", "ref_kawasaki", "ref_toa_keihin", "oil_toa_ogishima", "lng_ohgishima",
             "lng_higashi_ohgishima", "oil_tokyo_port", "oil_funabashi", "ref_idemitsu_chiba",
             "ref_cosmo_chiba", "ref_eneos_chiba", "ref_fuji_sodegaura", "lng_sodegaura"]
    for f in inner:
        sea("wp_nakanose", f, 72, CH)
    sea("wp_nakanose", "port_higashi_ogishima", 24, "core disaster base: BCP target ~24 h (assets.md)")
    sea("wp_nakanose", "port_tokyo_ariake", 24, "emergency quays: BCP target 24-72 h (assets.md)")
    sea("wp_inubozaki", "ref_eneos_kashima", 48, "Kashima port approach; " + CH)
    sea("wp_inubozaki", "lng_hitachi", 48, "Hitachi port approach; " + CH)

    # rail: sidings to inland depots (route lengths general knowledge, unverified)
    RAIL_KMH = 35.0
    for a, b, km, via in [
        ("ref_negishi", "dep_jot_hachioji", 55, "Negishi line and Yokohama line"),
        ("ref_negishi", "dep_jot_takasaki", 170, "Musashino line and Takasaki line"),
        ("ref_negishi", "dep_jot_utsunomiya", 175, "Musashino line and Tohoku line"),
        ("ref_cosmo_chiba", "dep_jot_takasaki", 170, "Keiyo Rinkai, Keiyo/Musashino and Takasaki lines"),
        ("ref_fuji_sodegaura", "dep_jot_utsunomiya", 180, "Keiyo Rinkai, Keiyo/Musashino and Tohoku lines"),
    ]:
        add_link("rail_%s__%s" % (a, b), "rail", a, b, km, km / RAIL_KMH, 0, "", "", 72,
                 "route via %s, length approximate (general knowledge, unverified); %d km/h average freight speed; 72 h inspection (assumption)" % (via, RAIL_KMH))

    # ------------------------------------------------------------ earthquakes
    ref_quakes = [
        ("tonan_chokka_2013", "Tokyo Metropolitan south (Toshin-nanbu chokka) earthquake", 7.3, 35.60, 139.73, 40, "intraslab_philippine_sea_plate",
         "Cabinet Office CDMC Shuto-chokka WG (Dec 2013): Mw 7.3 PHS-plate internal, core scenario; epicentre and depth rough (reference scenarios.csv)"),
        ("kawasaki_chokka_2013", "Kawasaki City direct-hit earthquake", 7.3, 35.53, 139.70, 40, "intraslab_philippine_sea_plate",
         "one of 10 PHS-internal Mw 7.3 cases (Cabinet Office 2013 via secondary summary); city centre, depth assumed; low confidence (reference scenarios.csv)"),
        ("ichihara_chokka_2013", "Ichihara City direct-hit earthquake", 7.3, 35.50, 140.10, 45, "intraslab_philippine_sea_plate",
         "one of 10 PHS-internal Mw 7.3 cases (Cabinet Office 2013); city centre, depth assumed; low confidence (reference scenarios.csv)"),
        ("tokyowan_chokka_2013", "Tokyo Bay direct-hit earthquake", 7.3, 35.55, 139.90, 40, "intraslab_philippine_sea_plate",
         "one of 10 PHS-internal Mw 7.3 cases (Cabinet Office 2013); mid-bay, depth assumed; low confidence (reference scenarios.csv)"),
        ("yokohama_chokka_2013", "Yokohama City direct-hit crustal earthquake", 6.8, 35.45, 139.62, 10, "crustal",
         "one of 2 crustal Mw 6.8 cases (Cabinet Office 2013); city centre, depth assumed; low confidence (reference scenarios.csv)"),
        ("taisho_kanto_type", "Taisho-type Kanto earthquake (1923 repeat)", 8.2, 35.33, 139.14, 23, "interplate_sagami_trough",
         "Mw 8.2 per Cabinet Office 2013 (general knowledge, unverified); D = 23 km, JMA 1923 hypocentre 35.33N 139.14E (reference scenarios.csv)"),
        ("genroku_kanto_type", "Genroku-type Kanto earthquake (1703 repeat)", 8.5, 34.70, 139.80, 20, "interplate_sagami_trough",
         "Mw ~8.5 per Cabinet Office 2013 (general knowledge, unverified); reference point 34.70N 139.80E rough, low confidence (reference scenarios.csv)"),
        ("sagami_max_2013", "Sagami Trough maximum-class earthquake", 8.7, 34.90, 139.80, 20, "interplate_sagami_trough",
         "Mw ~8.7 (general knowledge, unverified); source area ~40,000 km2 (Cabinet Office 2013 via 123deta); reference point 34.90N 139.80E nominal (reference scenarios.csv)"),
        ("nankai_max_2012", "Nankai Trough maximum-class earthquake", 9.1, 33.20, 135.80, 20, "interplate_nankai_trough",
         "Cabinet Office 2012: Mw 9.0 strong motion, 9.1 tsunami (general knowledge); reference point 33.20N 135.80E nominal (reference scenarios.csv)"),
        ("tohoku_2011", "2011 off the Pacific coast of Tohoku earthquake (validation case)", 9.0, 38.10, 142.86, 24, "interplate_japan_trench",
         "JMA hypocentre 38.10N 142.86E 24 km, Mw 9.0 (general knowledge; reference scenarios.csv)"),
        ("fukushima_oki_2022", "2022 off Fukushima earthquake, 16 March (validation case)", 7.3, 37.697, 141.622, 57, "intraslab_pacific_plate",
         "JMA: 2022-03-16 23:36, 37.697N 141.622E, depth 57 km, Mj 7.4 / Mw 7.3, reverse faulting inside the Pacific plate (JMA press release via janet-dr.com and news reports 2022-03-17)"),
    ]
    for (qid, en, mw, lat, lon, depth, ft, src) in ref_quakes:
        g = GEOM[qid]
        if "D" in g:
            # CDMC 2013 position and a depth inside the slab (notes.md)
            lat, lon, depth = g["lat"], g["lon"], g["D"]
            src = src.replace("epicentre and depth rough (reference scenarios.csv)", "position per CDMC 2013 (see geometry)")
            src = src.replace("city centre, depth assumed; low confidence (reference scenarios.csv)", "centre under the city named by CDMC 2013, depth in the slab estimated")
            src = src.replace("mid-bay, depth assumed; low confidence (reference scenarios.csv)", "centre under the bay named by CDMC 2013, depth in the slab estimated")
        if g["kind"] == "centroid":
            top = depth - g["W"] / 2 * math.sin(math.radians(g["dip"]))
            # top-edge centre: up-dip (strike - 90) of the centroid by W/2 cos(dip)
            tlat, tlon = move(lat, lon, g["strike"] - 90, g["W"] / 2 * math.cos(math.radians(g["dip"])))
            gsrc = GEOM_SRC.get(qid, GEOM_SRC["tonan_chokka_2013"].replace("epicentre under the southern wards", "one of the 10 PHS-internal cases, same plane as Toshin-nanbu moved under the named place").replace("under the epicentre", "under the named place"))
            gsrc += "; lat/lon = top-edge centre, so that the rectangle's centre lies under the reference point at depth D"
        else:
            top = g["top"]
            tlat, tlon = g["lat"], g["lon"]
            gsrc = GEOM_SRC[qid] + "; lat/lon = top-edge centre chosen for the rectangle (not the reference point)"
        quakes.append(dict(id=qid, name_en=en, name_ja=QUAKE_JA[qid], mw=mw, lat=r3(tlat), lon=r3(tlon),
                           depth_km=depth, fault_type=FAULT_TYPE[ft], strike_deg=g["strike"] % 360,
                           dip_deg=g["dip"], length_km=g["L"], width_km=g["W"], top_km=r1(top),
                           source=src + "; " + gsrc))
    for qid, zones in TSU.items():
        for z, (depth_m, recede) in zones.items():
            for place in TSU_ZONE[z]:
                tsu.append(dict(quake=qid, place=place, depth_m=depth_m, recede_h=recede,
                                source="inundation depth and access loss estimated for zone '%s' (low confidence, see notes.md)" % z))

    return dict(fac=fac, comp=comp, stock=stock, links=links, dem=dem, use=use, quakes=quakes, tsu=tsu,
                hubs=hubs, pos=pos, clusters=clusters, ss_n=ss_n, hosp_n=hosp_n, core_total=core_total,
                pref_pop=pref_pop, veh=(veh_gas, veh_die))


# ================================================================ assets

def add_assets(S, counts):
    """Fleets; lorry counts per home come from `counts` (sized in size_fleet)."""
    assets = []

    def add(id_, en, ja, type_, mode, count, cap, prods, speed, home, lead, rate, cost, src):
        permit = PERMIT_H.get(type_, "") if mode == "road" else ""
        assets.append(dict(id=id_, name_en=en, name_ja=ja, type=type_, mode=mode, count=count, capacity_kl=cap,
                           products=";".join(prods), speed_kmh=speed, home=home, lead_time_h=lead,
                           load_rate_kl_h=rate, cost_per_km=cost, permit_h=permit, source=src))

    fname = {f["id"]: (f["name_en"].split(" (")[0], f["name_ja"].split("(")[0]) for f in S["fac"]}
    LSRC = ("large rigid lorry ~20 kL, the 2011 standard (driversjob.jp, assets.md); 40 kL/h effective = 20 kL in 30 min on site (assets.md 30-60 min); "
            "count sized for normal-time demand with margin (derived, notes.md); 400 yen/km (assumption)")
    for home, n in counts["white"].items():
        en, ja = fname[home]
        add("lorry_%s" % home.split("_", 1)[1], "Commercial tank lorries based at %s" % en,
            "%s配置の石油元売系タンクローリー" % ja, "lorry_commercial", "road", n, LORRY_CAP,
            ["gasoline", "diesel", "kerosene"], 40, home, 0, LORRY_RATE, 400, LSRC)
    for home, n in counts["heavy"].items():
        en, ja = fname[home]
        add("lorry_heavy_%s" % home.split("_", 1)[1], "A-heavy-oil and diesel lorries based at %s" % en,
            "%s配置の重油・軽油ローリー" % ja, "lorry_commercial", "road", n, HEAVY_CAP,
            ["heavy_a", "diesel", "kerosene"], 40, home, 0, LORRY_RATE, 400,
            "20 t GVW lorry ~16 kL (driversjob.jp, assets.md); heavy-oil fleet kept apart from gasoline lorries; count assumed for the grid-down load (notes.md)")
    add("lorry_paj_west", "PAJ-arranged lorries from western Japan (white products)", "石油連盟手配の西日本からの応援ローリー(白油)",
        "lorry_paj", "road", 150, LORRY_CAP, ["gasoline", "diesel", "kerosene"], 40, "ref_kawasaki", 72, LORRY_RATE, 400,
        "2011: JX sent ~150 lorries, 303 extra by 26 Apr, ~300 pledged 17 Mar (assets.md); lead 72 h under the post-2011 PAJ plan (assumption; 6 days in 2011)")
    add("lorry_paj_heavy", "PAJ-arranged A-heavy-oil lorries from western Japan", "石油連盟手配の応援ローリー(重油)",
        "lorry_paj", "road", 50, HEAVY_CAP, ["heavy_a", "diesel", "kerosene"], 40, "ref_idemitsu_chiba", 72, LORRY_RATE, 400,
        "share of the ~300 pledged in 2011 (assets.md) assumed for hospital generator fuel; lead 72 h (assumption)")
    add("tanker_keihin_999", "Coastal product tankers, 999 GT class (Keihin)", "内航白油タンカー 999総トン型(京浜)",
        "coastal_tanker", "sea", 6, 2000, ["gasoline", "diesel", "kerosene"], 22, "ref_kawasaki", 0, 400, 3000,
        "999 GT product tanker ~2,490 m3 (naiko-kaiun.or.jp), 2,000 kL loads as in 2011 (lnews.jp); count assumed; 12 kn; several hundred kL/h (assets.md)")
    add("tanker_chiba_999", "Coastal product tankers, 999 GT class (Chiba)", "内航白油タンカー 999総トン型(千葉)",
        "coastal_tanker", "sea", 6, 2000, ["gasoline", "diesel", "kerosene"], 22, "ref_cosmo_chiba", 0, 400, 3000,
        "as above; count assumed")
    add("tanker_bay_499", "Coastal product tankers, 499 GT class (bay)", "内航白油タンカー 499総トン型(湾内)",
        "coastal_tanker", "sea", 8, 1100, ["gasoline", "diesel", "kerosene"], 20, "ref_negishi", 0, 300, 2000,
        "499 GT ~1,000-1,300 kL (general knowledge, unverified, assets.md); count assumed")
    add("tanker_black_499", "Coastal black-oil tankers, 499 GT class (A heavy oil)", "内航黒油タンカー 499総トン型(A重油)",
        "coastal_tanker", "sea", 4, 1000, ["heavy_a"], 20, "ref_idemitsu_chiba", 0, 300, 2000,
        "A heavy oil moves in black-oil ships (general knowledge, unverified); size as the 499 GT class; count assumed")
    add("tanker_kashima_5000", "Large coastal tankers, ~5,000 kL (Kashima)", "大型内航タンカー 約5,000kL(鹿島)",
        "coastal_tanker", "sea", 3, 5000, ["gasoline", "diesel", "kerosene"], 24, "ref_eneos_kashima", 0, 500, 4000,
        "~5,000 kL per call into oil terminals (Tozai Oil Terminal; Idemitsu Hachinohe 5,400 kL 2011; Shiogama 2011), assets.md; count assumed")
    add("train_negishi", "Oil trains from Negishi (Taki 1000 tank cars)", "根岸発石油列車(タキ1000形)",
        "rail_train", "rail", 4, 1000, PRODUCTS, 60, "ref_negishi", 0, SIDING_RATE, 5000,
        "18 cars = 792 kL (Taki 38000, 2011 Morioka trains); Taki 1000 ~60 kL/car (assets.md): 1,000 kL per train assumed; 4 sets assumed; heavy_a carriage assumed")
    add("train_chiba", "Oil trains from Cosmo Chiba", "コスモ千葉発石油列車",
        "rail_train", "rail", 2, 1000, PRODUCTS, 60, "ref_cosmo_chiba", 0, SIDING_RATE, 5000,
        "Cosmo Chiba rail shipments (assets.md); 2 sets and 1,000 kL assumed")
    add("train_sodegaura", "Oil trains from Fuji Oil Sodegaura", "富士石油袖ケ浦発石油列車",
        "rail_train", "rail", 1, 1000, PRODUCTS, 60, "ref_fuji_sodegaura", 0, SIDING_RATE, 5000,
        "Fuji Oil Sodegaura active siding (assets.md); 1 set and 1,000 kL assumed")
    add("sdf_fuel_truck_3t5", "JGSDF 3 1/2 t fuel tank trucks", "陸上自衛隊 3 1/2tトラック燃料タンク車",
        "sdf_truck", "road", 30, 6, ["diesel", "gasoline"], 60, "wp_camp_nerima", 12, 20, 300,
        "payload 5,100 kg ~6 kL diesel, 97 km/h (Wikipedia mirror, assets.md); 30 units and 12 h lead assumed")
    add("sdf_fuel_truck_10kl", "JGSDF 10,000 L fuel tank trucks", "陸上自衛隊 燃料タンク車(10,000L)",
        "sdf_truck", "road", 10, 10, ["diesel", "kerosene", "heavy_a"], 60, "wp_camp_nerima", 12, 30, 300,
        "10 kL, 95 km/h, aviation refueller (3rd-in.co.jp mirror, assets.md); carrying diesel/kerosene/heavy_a, 10 units and 12 h lead assumed")
    add("sdf_ch47_drums", "JGSDF CH-47J/JA helicopters carrying 200 L drums", "陸上自衛隊 CH-47J/JA(ドラム缶空輸)",
        "sdf_helicopter", "air", 8, 8, PRODUCTS, 260, "wp_camp_kisarazu", 24, 8, 5000,
        "~40 drums = 8 kL per sortie by weight (derived), cruise ~260 km/h, ~60 in JGSDF (assets.md); 8 for fuel and 24 h lead assumed; drum handling 8 kL/h assumed")
    add("sdf_lst_osumi", "JMSDF Osumi-class LST carrying fuel in lorries and drums", "海上自衛隊 おおすみ型輸送艦(ローリー・ドラム缶積載)",
        "sdf_ship", "sea", 1, 500, PRODUCTS, 30, "port_higashi_ogishima", 72, 100, 10000,
        "Osumi class up to ~1,400 t cargo (upper bound, assets.md); 500 kL of fuel assumed; 72 h lead incl. transit from its home port (assumption)")
    return assets


# ================================================================ checks and arithmetic

def dijkstra(adj, src):
    dist = {src: 0.0}
    pq = [(0.0, src)]
    while pq:
        d, u = heapq.heappop(pq)
        if d > dist.get(u, 1e18):
            continue
        for v, w in adj.get(u, []):
            nd = d + w
            if nd < dist.get(v, 1e18):
                dist[v] = nd
                heapq.heappush(pq, (nd, v))
    return dist


def road_adj(links):
    adj = {}
    for l in links:
        if l["mode"] != "road":
            continue
        adj.setdefault(l["from"], []).append((l["to"], l["time_h"]))
        adj.setdefault(l["to"], []).append((l["from"], l["time_h"]))
    return adj


def arithmetic(S, white_counts=None, heavy_counts=None):
    """Normal-time balance: demand per product/class, nearest-source
    assignment by road time, lorry-hours, rack use, stock cover."""
    fac = {f["id"]: f for f in S["fac"]}
    dem = {d["id"]: d for d in S["dem"]}
    adj = road_adj(S["links"])
    stock_fp = {(s["facility"], s["product"]): s for s in S["stock"]}
    sources = [f["id"] for f in S["fac"] if f["kind"] in ("refinery", "oil_terminal", "inland_depot")]
    dist = {s: dijkstra(adj, s) for s in sources}
    res = dict(by_pc={}, grid={}, src_load={}, lorry_h={}, unreach=[], nearest={}, by_src_prod={})
    for u in S["use"]:
        d = dem[u["point"]]
        key = (u["product"], d["priority"])
        if u["when"] == "always":
            res["by_pc"][key] = res["by_pc"].get(key, 0) + u["use_kl_d"]
        else:
            res["grid"][key] = res["grid"].get(key, 0) + u["use_kl_d"]
    for u in S["use"]:
        if u["when"] != "always" or u["use_kl_d"] <= 0:
            continue
        best = None
        for s in sources:
            if (s, u["product"]) not in stock_fp:
                continue
            t = dist[s].get(u["point"])
            if t is not None and (best is None or t < best[0]):
                best = (t, s)
        if best is None:
            res["unreach"].append(u["point"])
            continue
        t, s = best
        res["nearest"][(u["point"], u["product"])] = (s, t)
        refill = u["storage_kl"] - THRESHOLD_DAYS * u["use_kl_d"]   # about what one request asks
        load = min(LORRY_CAP, refill)
        trips = u["use_kl_d"] / load
        cycle = 2 * t + load / LORRY_RATE + load / LORRY_RATE
        res["lorry_h"][s] = res["lorry_h"].get(s, 0) + trips * cycle
        res["src_load"][s] = res["src_load"].get(s, 0) + trips * load / LORRY_RATE   # rack hours/day
        k = (s, u["product"])
        res["by_src_prod"][k] = res["by_src_prod"].get(k, 0) + u["use_kl_d"]
    # reachability of every demand point from some source
    for d in S["dem"]:
        if not any(d["id"] in dist[s] for s in sources):
            res["unreach"].append(d["id"])
    # refineries-only variant (depots and terminals empty)
    refs = [f["id"] for f in S["fac"] if f["kind"] == "refinery"]
    lh = 0
    for u in S["use"]:
        if u["when"] != "always" or u["use_kl_d"] <= 0:
            continue
        t = min(dist[s][u["point"]] for s in refs if u["point"] in dist[s])
        refill = u["storage_kl"] - THRESHOLD_DAYS * u["use_kl_d"]
        load = min(LORRY_CAP, refill)
        lh += u["use_kl_d"] / load * (2 * t + 2 * load / LORRY_RATE)
    res["lorry_h_refonly"] = lh
    return res


def size_fleet(S, res):
    """Commercial white-product lorries per home: lorry-hours needed per
    source for normal-time 'always' demand x 1.5 margin / 16 working hours,
    rounded up to 5, at least 5 at every refinery, terminal and depot
    (derivation, notes.md)."""
    white = {}
    for f in S["fac"]:
        if f["kind"] in ("refinery", "oil_terminal", "inland_depot"):
            h = res["lorry_h"].get(f["id"], 0.0)
            white[f["id"]] = max(5, int(math.ceil(h * 1.5 / 16.0 / 5.0)) * 5)
    heavy = {"ref_negishi": 8, "ref_kawasaki": 8, "oil_tokyo_port": 8, "ref_idemitsu_chiba": 8,
             "dep_jot_hachioji": 4, "oil_funabashi": 4}
    return dict(white=white, heavy=heavy)


def self_check(S, assets, frag_classes, rest_classes):
    errs = []
    ids = {}
    for name, rows, key in [("facilities", S["fac"], "id"), ("demand", S["dem"], "id"),
                            ("components", S["comp"], "id"), ("links", S["links"], "id"),
                            ("assets", assets, "id"), ("earthquakes", S["quakes"], "id")]:
        seen = set()
        for r in rows:
            if r[key] in seen:
                errs.append("%s: duplicate id %s" % (name, r[key]))
            seen.add(r[key])
        ids[name] = seen
    places = ids["facilities"] | ids["demand"]
    if ids["facilities"] & ids["demand"]:
        errs.append("facility and demand ids overlap")
    areas = {a[0] for a in AREAS}
    for f in S["fac"] + S["dem"]:
        if f["area"] not in areas:
            errs.append("bad area %s" % f["id"])
    for f in S["fac"]:
        if f["fire_class"] and f["fire_class"] not in frag_classes:
            errs.append("facility %s: fire class %s" % (f["id"], f["fire_class"]))
    for c in S["comp"]:
        if c["facility"] not in ids["facilities"]:
            errs.append("component %s: facility" % c["id"])
        for k in ("fragility_class", "pgd_fragility_class"):
            if c[k] and c[k] not in frag_classes:
                errs.append("component %s: class %s" % (c["id"], c[k]))
        if c["restoration_class"] not in rest_classes:
            errs.append("component %s: restoration %s" % (c["id"], c["restoration_class"]))
    for l in S["links"]:
        for k in ("from", "to"):
            if l[k] not in places:
                errs.append("link %s: %s %s" % (l["id"], k, l[k]))
        if l["fragility_class"] and l["fragility_class"] not in frag_classes:
            errs.append("link %s: class" % l["id"])
        if l["restoration_class"] and l["restoration_class"] not in rest_classes:
            errs.append("link %s: restoration" % l["id"])
    for a in assets:
        if a["home"] not in places:
            errs.append("asset %s: home" % a["id"])
    for u in S["use"]:
        if u["point"] not in ids["demand"]:
            errs.append("use %s" % u["point"])
        if u["initial_kl"] > u["storage_kl"] + 1e-9:
            errs.append("use %s %s: initial > storage" % (u["point"], u["product"]))
        if u["use_kl_d"] > 0 and u["initial_kl"] < THRESHOLD_DAYS * u["use_kl_d"] - 1e-6:
            errs.append("use %s %s: initial below threshold" % (u["point"], u["product"]))
    for area, feeds in GRID.items():
        if abs(sum(s for _, s in feeds) - 1) > 1e-9:
            errs.append("grid %s shares" % area)
        for f, _ in feeds:
            if f not in ids["facilities"]:
                errs.append("grid %s: %s" % (area, f))
    for t in S["tsu"]:
        if t["place"] not in places:
            errs.append("tsunami place %s" % t["place"])
    return errs


def read_classes(name, col="class"):
    with open(os.path.join(OUT, name), encoding="utf-8") as f:
        return {r[col] for r in csv.DictReader(f)}


def notes_block(S, res, assets):
    """Markdown of the normal-time arithmetic for notes.md."""
    L = []
    P = PRODUCTS
    out_p = {p: sum(s["output_kl_d"] for s in S["stock"] if s["product"] == p) for p in P}
    stk_ref = {p: sum(s["initial_kl"] for s in S["stock"] if s["product"] == p and s["facility"].startswith("ref_")) for p in P}
    stk_dep = {p: sum(s["initial_kl"] for s in S["stock"] if s["product"] == p and not s["facility"].startswith("ref_")) for p in P}
    dem_always = {p: sum(v for (pp, c), v in res["by_pc"].items() if pp == p) for p in P}
    dem_grid = {p: sum(v for (pp, c), v in res["grid"].items() if pp == p) for p in P}
    L.append("### Supply and demand per product (kL/day unless stated)\n")
    L.append("| product | refinery output | refinery stock at t=0 (kL) | terminal+depot stock (kL) | demand, always | extra while grid down | output / all demand |")
    L.append("|---|---:|---:|---:|---:|---:|---:|")
    for p in P:
        tot = dem_always[p] + dem_grid[p]
        L.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            p, "{:,.0f}".format(out_p[p]), "{:,.0f}".format(stk_ref[p]), "{:,.0f}".format(stk_dep[p]),
            "{:,.0f}".format(dem_always[p]), "{:,.0f}".format(dem_grid[p]),
            ("%.0f x" % (out_p[p] / tot)) if tot else "-"))
    L.append("")
    L.append("### Demand per product and class (kL/day)\n")
    L.append("| class | " + " | ".join("%s always / grid-down" % p for p in P) + " |")
    L.append("|---|" + "---:|" * len(P))
    for c in (1, 2, 3, 4):
        L.append("| %d | " % c + " | ".join("%s / %s" % ("{:,.0f}".format(res["by_pc"].get((p, c), 0)),
                                                       "{:,.0f}".format(res["grid"].get((p, c), 0))) for p in P) + " |")
    tot_always = sum(dem_always.values())
    tot_grid = sum(dem_grid.values())
    L.append("")
    L.append("Total: %s kL/day always, %s kL/day more while the grid is down everywhere." % (
        "{:,.0f}".format(tot_always), "{:,.0f}".format(tot_grid)))
    L.append("")
    # lorries
    white = [a for a in assets if a["type"] == "lorry_commercial" and a["products"].startswith("gasoline")]
    heavy = [a for a in assets if a["type"] == "lorry_commercial" and a["products"].startswith("heavy_a")]
    nw = sum(a["count"] for a in white)
    nh = sum(a["count"] for a in heavy)
    need_h = sum(res["lorry_h"].values())
    have16 = (nw + nh) * 16.0
    have24 = (nw + nh) * 24.0
    L.append("### Lorry fleet against normal-time demand\n")
    L.append("Each 'always' consumption row is served from its nearest source by road time "
             "(as the greedy dispatch does). Per row: load = min(20 kL, storage - %.1f days of use) "
             "(what one request asks for), trips/day = use / load, cycle = load/40 + 2 x one-way time + load/40 h. "
             "Lorry-hours per day are summed per source." % THRESHOLD_DAYS)
    L.append("")
    L.append("| source | kL/day served | lorry-h/day needed | white lorries based there | rack lanes | rack use (lane-h/day of 24 x lanes) |")
    L.append("|---|---:|---:|---:|---:|---:|")
    lanes = {c["facility"]: c["count"] for c in S["comp"] if c["kind"] == "rack"}
    wc = {a["home"]: a["count"] for a in white}
    for s in sorted(res["lorry_h"]):
        kl = sum(v for (ss, p), v in res["by_src_prod"].items() if ss == s)
        L.append("| %s | %s | %.0f | %d | %d | %.1f%% |" % (s, "{:,.0f}".format(kl), res["lorry_h"][s], wc.get(s, 0), lanes[s],
                                                        100 * res["src_load"][s] / (24 * lanes[s])))
    L.append("")
    L.append("- Lorry-hours needed: %.0f per day (%.0f if every load came from a refinery, depots and terminals empty)." % (
        need_h, res["lorry_h_refonly"]))
    L.append("- Commercial fleet on hand at t=0: %d white-product lorries of 20 kL and %d heavy-oil lorries of 16 kL "
             "(which also carry diesel and kerosene): %d lorry-hours at 16 working hours a day, %d at 24." % (nw, nh, have16, have24))
    L.append("- Margin = available / needed: **%.2f** at 16 h/day (%.2f at 24 h/day); refinery-only case %.2f at 16 h/day." % (
        have16 / need_h, have24 / need_h, have16 / res["lorry_h_refonly"]))
    cap_kld = sum((a["count"] * a["capacity_kl"]) for a in white + heavy)
    L.append("- In kL/day: mean cycle %.2f h gives %.1f trips per lorry per 16 h, so the fleet carries about %s kL/day "
             "against %s kL/day of 'always' demand (ratio %.2f)." % (
                 need_h / sum(u["use_kl_d"] / min(LORRY_CAP, u["storage_kl"] - THRESHOLD_DAYS * u["use_kl_d"])
                              for u in S["use"] if u["when"] == "always" and u["use_kl_d"] > 0),
                 16.0 / (need_h / sum(u["use_kl_d"] / min(LORRY_CAP, u["storage_kl"] - THRESHOLD_DAYS * u["use_kl_d"])
                                      for u in S["use"] if u["when"] == "always" and u["use_kl_d"] > 0)),
                 "{:,.0f}".format(have16 / need_h * tot_always), "{:,.0f}".format(tot_always), have16 / need_h))
    L.append("")
    # stock cover at terminals and depots (14 days of the demand they serve)
    L.append("### Stock cover at terminals and depots (no resupply)\n")
    L.append("| source | product | kL/day it serves | initial kL | days |")
    L.append("|---|---|---:|---:|---:|")
    st = {(s["facility"], s["product"]): s for s in S["stock"]}
    for (s, p), v in sorted(res["by_src_prod"].items()):
        if s.startswith("ref_"):
            continue
        L.append("| %s | %s | %.0f | %.0f | %.1f |" % (s, p, v, st[(s, p)]["initial_kl"], st[(s, p)]["initial_kl"] / v))
    L.append("")
    L.append("Terminals and depots reorder by ship or train below half of their tank (supply model); even without "
             "resupply the refineries remain reachable by road, which the refinery-only margin above covers.")
    L.append("")
    # demand point stock rule
    worst = min(u["initial_kl"] / u["use_kl_d"] for u in S["use"] if u["use_kl_d"] > 0)
    L.append("### Demand-point stock rule\n")
    L.append("Every consumption row starts with at least %.1f days of its use (the request threshold); the smallest "
             "initial cover is %.2f days (shelter generators, grid-down use)." % (THRESHOLD_DAYS, worst))
    if res["unreach"]:
        L.append("\nUNREACHABLE: " + ", ".join(sorted(set(res["unreach"]))))
    else:
        L.append("Every demand point is reachable by road from at least one source.")
    return "\n".join(L) + "\n"


# Restart after a trip without damage, h, as observed (reference
# first_week.md 2): 2022 Negishi units back by the next day and Toa's planned
# for the next day (24, 24); 2021 Fuji Oil +2.5 d (60); 2011 Negishi and
# Kawasaki ~10 days of inspection (240, 240). 2018 Idemitsu Hokkaido (+38 d)
# is left out: one source reports partial damage and the island-wide blackout
# held it. See notes.md.
TRIP_RESTART_H = [24, 24, 60, 240, 240]


def main():
    S = build()
    res = arithmetic(S)
    counts = size_fleet(S, res)
    assets = add_assets(S, counts)
    frag = read_classes("fragility.csv")
    rest = read_classes("restoration.csv")
    errs = self_check(S, assets, frag, rest)
    if errs:
        for e in errs:
            print("error:", e, file=sys.stderr)
        sys.exit(1)

    write_csv("areas.csv", ["id", "name_en", "name_ja", "source"],
              [dict(id=a, name_en=en, name_ja=ja, source="grid areas of the scenario (assumption, see notes.md)") for a, en, ja in AREAS])
    write_csv("grid.csv", ["area", "facility", "share", "source"],
              [dict(area=a, facility=f, share=s, source=A) for a, feeds in GRID.items() for f, s in feeds])
    write_csv("facilities.csv", ["id", "name_en", "name_ja", "kind", "operator", "lat", "lon", "area", "avs30_ms",
                                 "liq_susceptibility", "gw_depth_m", "has_generator", "free_face", "fire_class",
                                 "crude_days", "source"], S["fac"])
    write_csv("components.csv", ["id", "facility", "kind", "fragility_class", "pgd_fragility_class",
                                 "restoration_class", "count", "rate_kl_h", "source"], S["comp"])
    write_csv("stock.csv", ["facility", "product", "tank_kl", "initial_kl", "output_kl_d", "source"], S["stock"])
    write_csv("links.csv", ["id", "mode", "from", "to", "distance_km", "time_h", "emergency_road",
                            "fragility_class", "restoration_class", "clear_h", "traffic_control", "bridges",
                            "bridge_class", "bridge_restoration", "source"], S["links"])
    write_csv("assets.csv", ["id", "name_en", "name_ja", "type", "mode", "count", "capacity_kl", "products",
                             "speed_kmh", "home", "lead_time_h", "load_rate_kl_h", "cost_per_km", "permit_h",
                             "source"], assets)
    write_csv("demand.csv", ["id", "name_en", "name_ja", "prefecture", "kind", "priority", "lat", "lon", "area",
                             "avs30_ms", "liq_susceptibility", "gw_depth_m", "source"], S["dem"])
    write_csv("consumption.csv", ["point", "product", "when", "use_kl_d", "storage_kl", "initial_kl", "source"], S["use"])
    write_csv("earthquakes.csv", ["id", "name_en", "name_ja", "mw", "lat", "lon", "depth_km", "fault_type",
                                  "strike_deg", "dip_deg", "length_km", "width_km", "top_km", "source"], S["quakes"])
    write_csv("tsunami.csv", ["quake", "place", "depth_m", "recede_h", "source"], S["tsu"])

    sigma_total = 0.27 * math.log(10)
    between = 0.30
    scen = {
        "id": "tokyo-bay",
        "name_en": "Tokyo Bay fuel supply after a great earthquake",
        "name_ja": "首都直下・海溝型地震後の東京湾岸燃料供給",
        "horizon_h": 336,
        "default_quake": "tonan_chokka_2013",
        "class_weights": {"1": 100, "2": 30, "3": 10, "4": 1},
        "capacity_fraction": {"none": 1, "slight": 0.8, "moderate": 0.5, "extensive": 0.2, "complete": 0},
        "request_threshold_days": THRESHOLD_DAYS,
        "hazard": {
            "sigma_between_ln": between,
            "sigma_within_ln": round(math.sqrt(sigma_total ** 2 - between ** 2), 3),
            "corr_range_km": 40.7,
            "corr_range_pgv_km": 25.7,
            "trip_pga_g": 0.18,
            "trip_pga_beta": 0.3,
            "trip_inspection_h": 240,
            "trip_restart_h": TRIP_RESTART_H,
            "trip_restart_rho": 0.8,
            "liq_corr_range_km": 10.0,
            "liq_regional": 0.3,
            "tank_site_rho": 0.5,
            "fire_p": {"slight": 0.005, "moderate": 0.03, "extensive": 0.1, "complete": 0.3},
            "fire_burn_h": 72,
            "fire_burn_beta": 0.8,
            "fire_restart_d": 365,
            "fire_restart_beta": 0.5,
        },
        "bcp_target_h": {"berth": 72, "rack": 24, "siding": 72, "power": 24, "process": 240},
        "tables": {k: k + ".csv" for k in ("facilities", "components", "stock", "links", "assets", "demand",
                                           "consumption", "fragility", "restoration", "earthquakes", "areas",
                                           "grid", "tsunami", "validation")},
        "first_week": FIRST_WEEK,
        "notes": "notes.md",
    }
    with open(os.path.join(OUT, "scenario.json"), "w", encoding="utf-8") as f:
        json.dump(scen, f, ensure_ascii=False, indent=2)
        f.write("\n")

    block = notes_block(S, res, assets)
    npath = os.path.join(OUT, "notes.md")
    if os.path.exists(npath):
        with open(npath, encoding="utf-8") as f:
            text = f.read()
        b, e = "<!-- BEGIN generated by tools/generate.py -->", "<!-- END generated -->"
        if b in text and e in text:
            text = text[:text.index(b) + len(b)] + "\n" + block + text[text.index(e):]
            with open(npath, "w", encoding="utf-8") as f:
                f.write(text)
    else:
        print(block)
    print("facilities %d, components %d, stock %d, links %d, assets %d, demand %d, consumption %d, quakes %d, tsunami %d"
          % (len(S["fac"]), len(S["comp"]), len(S["stock"]), len(S["links"]), len(assets), len(S["dem"]),
             len(S["use"]), len(S["quakes"]), len(S["tsu"])))


if __name__ == "__main__":
    main()
