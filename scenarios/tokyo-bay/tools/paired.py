#!/usr/bin/env python3
"""Paired sweeps of the first-week mechanisms (issue 15).

For each switch of scenario.json's first_week object, the sweep with every
mechanism on is compared with the same sweep with that one mechanism off, on
common random numbers (same seed, same replicates; each mechanism draws from
its own stream), and all on against all off. Prints a Markdown table of the
mean paired difference (on - off) of the headline figures with a 95%
confidence interval (normal approximation), and the class-3 and class-4
served-fraction bands (P10/P50/P90) at a few hours.

usage: paired.py FUELSIM SCENARIO_DIR -n N [--seed S] [--threads T]
                 [--policy greedy|optimise] [--only SWITCH ...]
The sweeps use --policy greedy unless told otherwise; --only measures those
mechanisms alone (each off against all on; no "all off" run). Temporary
copies of the scenario are made in a temporary folder and removed
afterwards.
"""
import argparse
import csv
import json
import math
import os
import shutil
import subprocess
import tempfile

SWITCHES = ["variability", "request_chain", "roads", "rail_sea", "power", "permits", "bridges"]
HEADLINE = ["weighted_shortfall", "dry_hours_class1", "t90_supply_h", "resilience_loss",
            "unserved_kl_class1", "unserved_kl_class2", "unserved_kl_class3", "unserved_kl_class4"]
HOURS = [24, 48, 72, 96, 168, 240, 335]


def sweep(fuelsim, scen, tmp, name, switches, n, seed, threads, policy):
    d = os.path.join(tmp, name)
    shutil.copytree(scen, d)
    p = os.path.join(d, "scenario.json")
    with open(p, encoding="utf-8") as f:
        js = json.load(f)
    # permits need roads: with roads off they go too
    js["first_week"]["switches"] = dict(switches, permits=switches["permits"] and switches["roads"])
    with open(p, "w", encoding="utf-8") as f:
        json.dump(js, f, ensure_ascii=False, indent=2)
    out = os.path.join(tmp, name + "_out")
    subprocess.run([fuelsim, "sweep", d, "-n", str(n), "--seed", str(seed), "--threads", str(threads),
                    "--policy", policy, "--out", out], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    with open(os.path.join(out, "replicates.csv"), encoding="utf-8") as f:
        reps = {int(r["replicate"]): r for r in csv.DictReader(f)}
    with open(os.path.join(out, "bands.csv"), encoding="utf-8") as f:
        bands = {int(r["hour"]): r for r in csv.DictReader(f)}
    return reps, bands


def paired(a, b, col):
    d = [float(a[k][col]) - float(b[k][col]) for k in sorted(a)]
    n = len(d)
    m = sum(d) / n
    sd = math.sqrt(sum((x - m) ** 2 for x in d) / (n - 1)) if n > 1 else 0.0
    return m, 1.96 * sd / math.sqrt(n)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("fuelsim")
    ap.add_argument("scenario")
    ap.add_argument("-n", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--policy", choices=["greedy", "optimise"], default="greedy")
    ap.add_argument("--only", nargs="+", choices=SWITCHES)
    a = ap.parse_args()
    on = {s: True for s in SWITCHES}
    which = a.only or SWITCHES
    with tempfile.TemporaryDirectory() as tmp:
        runs = {"all on": sweep(a.fuelsim, a.scenario, tmp, "on", on, a.n, a.seed, a.threads, a.policy)}
        for s in which:
            runs[s + " off"] = sweep(a.fuelsim, a.scenario, tmp, "no_" + s, dict(on, **{s: False}),
                                     a.n, a.seed, a.threads, a.policy)
        if not a.only:
            runs["all off"] = sweep(a.fuelsim, a.scenario, tmp, "off", {s: False for s in SWITCHES},
                                    a.n, a.seed, a.threads, a.policy)
    base = runs["all on"][0]
    print(f"Paired sweeps: {a.n} replicates, seed {a.seed}, --policy {a.policy}; effect = (all on) - (off), "
          "mean +- 95% CI half-width.\n")
    print("| mechanism | " + " | ".join(HEADLINE) + " |")
    print("|---|" + "---|" * len(HEADLINE))
    for name in [s + " off" for s in which] + ([] if a.only else ["all off"]):
        cells = []
        for col in HEADLINE:
            m, h = paired(base, runs[name][0], col)
            cells.append(f"{m:.4g} +- {h:.3g}")
        label = name.replace(" off", "") if name != "all off" else "all seven"
        print(f"| {label} | " + " | ".join(cells) + " |")
    print("\nMeans with everything on: " + ", ".join(
        f"{c} {sum(float(r[c]) for r in base.values()) / len(base):.4g}" for c in HEADLINE))
    print("\nServed fraction, class 3 and class 4: P10 / P50 / P90 by hour\n")
    print("| run | class | " + " | ".join(f"{h} h" for h in HOURS) + " |")
    print("|---|---|" + "---|" * len(HOURS))
    for name in ["all on"] + ([] if a.only else ["all off"]) + [s + " off" for s in which]:
        bands = runs[name][1]
        for k in (3, 4):
            cells = []
            for h in HOURS:
                r = bands.get(h)
                cells.append("-" if r is None else "/".join(
                    r[f"served_class{k}_{q}"] for q in ("p10", "p50", "p90")))
            print(f"| {name} | {k} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
