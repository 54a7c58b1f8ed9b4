#!/usr/bin/env python3
"""How much of a metric's variation the architect's settings decide, and how much the placeholders do.

A crossed design: S setting points (TTL, failure threshold, request interval, drawn by Latin hypercube
over the ranges below) times A assumption points (each assumption drawn uniformly over the plausible
range `drsim sensitivity` gives it, log-uniformly for factors), every cell one `drsim run` of the same
incidents (the config's seed). For each statistic (a metric's p50 or p90 over the cell's replications)
the total variance over the S x A cells splits exactly into the settings' main effect (variance of the
row means), the assumptions' main effect (variance of the column means) and the rest (interactions and
Monte Carlo noise). A metric the settings decide has a large settings share.

    scripts/variance-split.py DRSIM CONFIG [--settings 24] [--assumptions 12] [--replications 200]

Prints one line per statistic; writes nothing else. Takes S x A runs (288 by default, about a minute
for the seed model on two cores).
"""
import argparse
import json
import math
import random
import subprocess
import sys
import tempfile
from pathlib import Path

SETTINGS = {  # name: (low, high, integer?)
    "ttl_s": (0, 900, True),
    "failure_threshold": (1, 10, True),
    "interval_s": (10, 30, None),  # one of the two
}

# name: (kind, low, high); kinds as in Sources/DRSimStudy/Assumptions.swift
ASSUMPTIONS = {
    "extension_length": ("factor", 0.33, 3),
    "extending_share": ("value", 0.04, 0.15),
    "browser_share": ("value", 0.2, 0.6),
    "status_to_dns": ("factor", 0.5, 2),
    "probe_rtt": ("factor", 0.2, 3),
    "dns_query_rate": ("factor", 0.2, 5),
    "resolvers": ("value", 200, 5000),
    "resolver_zipf": ("value", 0.7, 1.3),
    "honouring_top_share": ("value", 0.3, 0.7),
    "think_time": ("factor", 0.3, 3),
    "request_timeout": ("value", 10, 60),
    "jvm_cache": ("value", 5, 60),
}

STATISTICS = [
    ("recovered_90_s", "p50"), ("recovered_90_s", "p90"), ("failed_requests", "p50"),
    ("first_recovery_s", "p50"), ("rto_s", "p50"), ("rto_s", "p90"), ("rto_honouring_s", "p50"),
]


def scaled(dist, f):
    """A distribution as a resolved config writes it, every duration f times as long."""
    if isinstance(dist, (int, float)):
        return dist * f
    (kind, p), = dist.items()
    if kind == "lognormal":
        if "mu" in p:
            return {kind: {**p, "mu": p["mu"] + math.log(f)}}
        return {kind: {k: v * f for k, v in p.items()}}
    if kind in ("uniform", "empirical"):
        return {kind: [x * f for x in p]}
    if kind == "fixed":
        return {kind: p * f}
    if kind == "exponential":
        return {kind: {"mean": p["mean"] * f}}
    return {kind: {k: (v * f if k in ("mean", "sd", "scale") else v) for k, v in p.items()}}


def reshare(mix, key, value, share, donor):
    """Sets the class whose `key` is `value` to `share`; the class `donor` (key, value) takes the rest."""
    target = next((c for c in mix if c.get(key) == value), None)
    other = next((c for c in mix if c.get(donor[0]) == donor[1]), None)
    if target is None or other is None:
        return
    other["share"] -= share - target["share"]
    target["share"] = share


def apply_assumptions(cfg, a):
    c = cfg["clients"]
    for cls in c["resolver_mix"]:
        if "extra_s" in cls:
            cls["extra_s"] = scaled(cls["extra_s"], a["extension_length"])
    reshare(c["resolver_mix"], "behaviour", "extend", a["extending_share"], ("behaviour", "honour"))
    reshare(c["client_mix"], "kind", "browser", a["browser_share"], ("kind", "stub"))
    for hc in cfg["health_checks"]:
        hc["status_to_dns_s"] = scaled(hc["status_to_dns_s"], a["status_to_dns"])
        hc["probe_rtt_s"] = scaled(hc["probe_rtt_s"], a["probe_rtt"])
    c["dns_queries_per_s"] *= a["dns_query_rate"]
    c["resolvers"] = int(round(a["resolvers"]))
    c["resolver_zipf_exponent"] = a["resolver_zipf"]
    c["honouring_top_share"] = a["honouring_top_share"]
    c["think_time_s"] = scaled(c["think_time_s"], a["think_time"])
    c["request_timeout_s"] = a["request_timeout"]
    for k in c["client_mix"]:
        if k.get("kind") == "jvm":
            k["cache_s"] = a["jvm_cache"]


def apply_settings(cfg, s):
    cfg["dns"]["ttl_s"] = s["ttl_s"]
    for hc in cfg["health_checks"]:
        hc["failure_threshold"] = s["failure_threshold"]
        hc["interval_s"] = s["interval_s"]


def latin_hypercube(n, rng):
    columns = {}
    for name, (lo, hi, integer) in SETTINGS.items():
        strata = [(i + rng.random()) / n for i in range(n)]
        rng.shuffle(strata)
        if integer is None:
            columns[name] = [lo if u < 0.5 else hi for u in strata]
        else:
            columns[name] = [int(lo + u * (hi - lo + 1)) if integer else lo + u * (hi - lo) for u in strata]
    return [{k: columns[k][i] for k in SETTINGS} for i in range(n)]


def assumption_points(n, rng):
    points = []
    for _ in range(n):
        p = {}
        for name, (kind, lo, hi) in ASSUMPTIONS.items():
            u = rng.random()
            p[name] = lo * (hi / lo) ** u if kind == "factor" else lo + u * (hi - lo)
        points.append(p)
    return points


def run(drsim, cfg, replications, folder, extra):
    path = Path(folder) / "config.json"
    path.write_text(json.dumps(cfg))
    out = subprocess.run(
        [drsim, "run", str(path), "--replications", str(replications), "--out", str(Path(folder) / "out"),
         "--force", "--json", "--quiet", *extra], check=True, capture_output=True, text=True).stdout
    metrics = {m["metric"]: m for m in json.loads(out)["metrics"]}
    values = {}
    for metric, stat in STATISTICS:
        m = metrics.get(metric)
        if m is None or m["count"] == 0:
            continue
        v = m.get(stat)
        values[(metric, stat)] = cfg["horizon_s"] if v is None else v  # censored beyond the statistic
    return values


def split(table):
    """Shares of the total variance: settings' main effect, assumptions', and the rest."""
    rows, cols = len(table), len(table[0])
    grand = sum(map(sum, table)) / (rows * cols)
    total = sum((x - grand) ** 2 for row in table for x in row) / (rows * cols)
    if total == 0:
        return None
    row_means = [sum(r) / cols for r in table]
    col_means = [sum(table[i][j] for i in range(rows)) / rows for j in range(cols)]
    s = sum((m - grand) ** 2 for m in row_means) / rows
    a = sum((m - grand) ** 2 for m in col_means) / cols
    return s / total, a / total, 1 - (s + a) / total


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("drsim")
    ap.add_argument("config")
    ap.add_argument("--settings", type=int, default=24)
    ap.add_argument("--assumptions", type=int, default=12)
    ap.add_argument("--replications", type=int, default=200)
    ap.add_argument("--design-seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.design_seed)
    # The extension shapes' range is not needed here, and a drsim without it has no such flag.
    usage = subprocess.run([args.drsim, "run", "--help"], capture_output=True, text=True).stdout
    extra = ["--no-placeholder-range"] if "--no-placeholder-range" in usage else []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([args.drsim, "run", args.config, "--replications", "1", "--out", f"{tmp}/base", "--quiet"],
                       check=True)
        base = json.loads(Path(f"{tmp}/base/run.json").read_text())["config"]
        settings = latin_hypercube(args.settings, rng)
        assumptions = assumption_points(args.assumptions, rng)
        cells = []
        for s in settings:
            row = []
            for a in assumptions:
                cfg = json.loads(json.dumps(base))
                apply_settings(cfg, s)
                apply_assumptions(cfg, a)
                row.append(run(args.drsim, cfg, args.replications, tmp, extra))
            cells.append(row)
            print(f"  settings point {len(cells)}/{len(settings)}", file=sys.stderr, end="\r")
    print(f"{len(settings)} setting points x {len(assumptions)} assumption points, "
          f"{args.replications} replications each", file=sys.stderr)
    print(f"{'statistic':<24} {'settings':>9} {'assumptions':>12} {'rest':>6}")
    for key in STATISTICS:
        if not all(key in c for row in cells for c in row):
            continue
        shares = split([[c[key] for c in row] for row in cells])
        name = f"{key[0]}:{key[1]}"
        if shares is None:
            print(f"{name:<24} {'(constant)':>9}")
        else:
            print(f"{name:<24} {shares[0]:>9.1%} {shares[1]:>12.1%} {shares[2]:>6.1%}")


if __name__ == "__main__":
    main()
