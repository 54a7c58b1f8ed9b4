#!/usr/bin/env python3
"""Prints models/README.md's table of bundled models from drsim's own output.

    python3 scripts/models-table.py [path/to/drsim]     (default: .build/release/drsim)

Runs every model in models/ at its own seed and replication count (`drsim run --json`) and prints one
Markdown row per model: what the settings move first (the median time until 90% of traffic is back, the
mean failed requests), then medians of detection and half back, the RTO (99% back for good, with the
share of incidents that never get there) beside its stale-DNS tail (the RTO of the TTL-honouring
traffic, and the share of traffic still stale 15 minutes after the DNS change), and the mean lost and
delayed writes. The last column, what each model
shows, is prose kept below; a model without it is an error, so that a new model gets one.
"""
import json
import os
import subprocess
import sys
import tempfile

SHOWS = {
    "seed-active-passive": "DNS failover as written: 90% of traffic is back near detection + TTL in every incident; the last percent waits on the few small resolvers that extend TTLs",
    "tuned-active-passive": "tuning DNS shortens detection and the 90% mark, not the extended-TTL tail, and leaves RPO alone",
    "seed-active-active-as-written": "both records hold the load balancer's address: DNS never moves anything; the load balancer does it all (eu-west-1's half never fails)",
    "seed-active-passive-warm-standby": "a 25% standby serves exactly half the traffic until it has scaled; writes wait for repointing",
    "seed-three-region": "the passive third region needs activation, its own health check, DNS and scaling",
    "split-gcp-app-outage": "the app's provider fails, the database's does not: the same failover, and no write lost",
    "split-aws-database-outage": "the database's provider fails, the app's does not: the health check stays green, nothing fails over, writes fail for the whole outage and arrive late",
    "test-disable-health-check": "disabling the check does nothing: it counts as healthy",
    "test-firewall-checkers": "a real failover with no outage (1 false failover per run); open connections keep users on the healthy region",
    "seed-with-noise-and-cost": "the seed over a year of placeholder noise and outages, and its cost: the same incident, plus about 1.3 false failovers and 9 minutes down a year (drsim run prints them) at about USD 1,900 a month",
    "test-app-hang": "DNS fails over and clients give up on the hung region when their requests time out: the one test method that shows users' experience",
}


def fmt_s(x):
    if x is None:
        return "never"
    return f"{x:,.0f} s"


def main():
    drsim = sys.argv[1] if len(sys.argv) > 1 else ".build/release/drsim"
    models = sorted(f[:-5] for f in os.listdir("models") if f.endswith(".json"))
    missing = [m for m in models if m not in SHOWS]
    if missing:
        sys.exit(f"no description in scripts/models-table.py for: {', '.join(missing)}")
    order = [m for m in SHOWS if m in models]
    print("| model | 90% back | failed requests | detection | half back | 99% back for good (RTO) "
          "| RTO, TTL-honouring traffic | stale at 15 min | lost writes | delayed writes | what it shows |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as out:
        for m in order:
            run = subprocess.run([drsim, "run", f"models/{m}.json", "--json", "--out", os.path.join(out, m)],
                                 capture_output=True, text=True, check=True)
            s = {x["metric"]: x for x in json.loads(run.stdout)["metrics"]}

            def p50(k):
                return fmt_s(s[k]["p50"])

            def with_never(k):
                cens = s[k]["censored"] / s[k]["count"] if s[k]["count"] else 0
                return p50(k) + (f" ({cens:.0%} never)" if cens >= 0.005 else "")

            stale = s["stale_share_15m"]["mean"]
            stale_text = "-" if stale is None else f"{stale:.1%}"
            print(f"| {m} | {p50('recovered_90_s')} | {s['failed_requests']['mean']:,.0f} | {p50('detection_s')} | "
                  f"{p50('recovered_50_s')} | {with_never('rto_s')} | {with_never('rto_honouring_s')} | "
                  f"{stale_text} | {s['lost_writes']['mean']:,.0f} | {s['delayed_writes']['mean']:,.0f} | "
                  f"{SHOWS[m]} |")

if __name__ == "__main__":
    main()
