#!/usr/bin/env python3
"""Per-facility damage table of refineries and LNG terminals over replicates.

Authoring aid (Python 3 standard library): runs `fuelsim damage` for
replicates 0..N-1 of one seed and prints a Markdown table per facility:
median sampled PGA, P(complete) of each component, the mean capacity
fraction of its tank farm, and P(production stopped) at 24, 72 and 168 h
(its process component not yet usable; the crude-berth gap is not counted).

    python3 scenarios/tokyo-bay/tools/facility_table.py ./fuelsim scenarios/tokyo-bay -n 100 --seed 1
"""
import argparse
import csv
import io
import statistics
import subprocess


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("fuelsim")
    ap.add_argument("scenario")
    ap.add_argument("-n", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--quake", default=None)
    a = ap.parse_args()
    pga, comp, tank, stop = {}, {}, {}, {}
    order = []
    for rep in range(a.n):
        cmd = [a.fuelsim, "damage", a.scenario, "--seed", str(a.seed), "--rep", str(rep)]
        if a.quake:
            cmd += ["--quake", a.quake]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        for row in csv.DictReader(io.StringIO(out)):
            if row["item"] != "component":
                continue
            f = row["at"]
            if not (f.startswith("ref_") or f.startswith("lng_")):
                continue
            if f not in pga:
                pga[f], tank[f], stop[f] = [], [], {24: 0, 72: 0, 168: 0}
                order.append(f)
            role = row["role"]
            c = comp.setdefault((f, role), [0, 0])
            c[0] += row["ds"] == "complete"
            c[1] += 1
            if role == "process":
                pga[f].append(float(row["pga_g"]))
                u = float(row["usable_h"]) if row["usable_h"] != "inf" else 1e18
                for t in stop[f]:
                    stop[f][t] += u > t
            if role == "tank":
                tank[f].append(float(row["capacity_fraction"]))
    roles = ["process", "tank", "power", "berth", "rack", "siding"]
    print("| facility | median PGA g | " + " | ".join("P(cpl) " + r for r in roles) +
          " | tank cap mean | P(stop) 24 h | 72 h | 168 h |")
    print("|" + "---|" * (len(roles) + 6))
    for f in order:
        cells = []
        for r in roles:
            c = comp.get((f, r))
            cells.append("%.2f" % (c[0] / c[1]) if c else "-")
        n = len(pga[f])
        print("| %s | %.2f | %s | %.2f | %.2f | %.2f | %.2f |" % (
            f, statistics.median(pga[f]), " | ".join(cells), statistics.mean(tank[f]) if tank[f] else 1.0,
            stop[f][24] / n, stop[f][72] / n, stop[f][168] / n))


if __name__ == "__main__":
    main()
