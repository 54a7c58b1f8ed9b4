#!/usr/bin/env python3
"""drsim's peer in SimPy: the same scenario semantics, written the way a SimPy user would write them.

    python3 bench/simpy_twin.py incidents --resolved results/x/run.json --replications 300 --seed 1
    python3 bench/simpy_twin.py hold --pending 1000 --events 200000

`incidents` reads the resolved config that drsim writes to run.json (every default filled in), so
both simulators run the very same settings. Supported: two regions, a failover record set, Route 53
health checks, the resolver and client population (resolver behaviour by size, connections that end
on their front door's rules), one region_outage fault from t = 0, MREC lost writes. It
prints one JSON object: wall-clock seconds and every incident's metrics.

Where drsim samples a stationary state or a distribution directly, the twin simulates instead:
checkers warm up probe by probe before the fault, and every write of the last minute before the fault
is generated with its own replication lag. Agreement between the two (a two-sample Kolmogorov-Smirnov
test in drsim's test suite) therefore also checks drsim's shortcuts.
"""
import argparse
import bisect
import json
import math
import random
import sys
import time

import simpy

Z99 = 2.3263478740408408  # the standard normal's 99th percentile


def lognormal_params(v):
    """(mu, sigma) of a drsim log-normal given as mu/sigma or as median/p99."""
    if "mu" in v:
        return v["mu"], v["sigma"]
    return math.log(v["median"]), math.log(v["p99"] / v["median"]) / Z99


def sample(d, rng):
    """One draw from a drsim distribution (docs/config.md, "Distributions")."""
    if isinstance(d, (int, float)):
        return float(d)
    (kind, v), = d.items()
    if kind == "fixed":
        return float(v)
    if kind == "uniform":
        return rng.uniform(v[0], v[1])
    if kind == "exponential":
        return rng.expovariate(1 / v["mean"])
    if kind == "lognormal":
        return rng.lognormvariate(*lognormal_params(v))
    if kind == "normal":
        while True:
            x = rng.gauss(v["mean"], v["sd"])
            if x >= 0:
                return x
    if kind == "weibull":
        return rng.weibullvariate(v["scale"], v["shape"])
    if kind == "gamma":
        return rng.gammavariate(v["shape"], v["scale"])
    if kind == "empirical":
        return float(rng.choice(v))
    raise ValueError(f"unknown distribution {kind}")


def _phi(z):
    return math.exp(-z * z / 2) / math.sqrt(2 * math.pi)


def _Phi(z):
    return 0.5 * math.erfc(-z / math.sqrt(2))


def mean(d):
    """E[X] of a drsim distribution (normal: of the normal truncated at 0, as drsim samples it)."""
    if isinstance(d, (int, float)):
        return float(d)
    (kind, v), = d.items()
    if kind == "fixed":
        return float(v)
    if kind == "uniform":
        return (v[0] + v[1]) / 2
    if kind == "exponential":
        return v["mean"]
    if kind == "lognormal":
        mu, s = lognormal_params(v)
        return math.exp(mu + s * s / 2)
    if kind == "normal":
        m, s = v["mean"], v["sd"]
        return m + s * _phi(m / s) / _Phi(m / s)
    if kind == "gamma":
        return v["shape"] * v["scale"]
    if kind == "weibull":
        return v["scale"] * math.gamma(1 + 1 / v["shape"])
    if kind == "empirical":
        return sum(v) / len(v)
    raise ValueError(f"no mean for {kind}")


def recovered(times, values, level):
    """After s(t) first fell below `level`, the first time it is back at it; 0 if it never fell, None
    if it never came back (drsim's recovered_*_s)."""
    fell = False
    for t, v in zip(times, values):
        if v < level - 1e-12:
            fell = True
        elif fell:
            return t
    return None if fell else 0.0


class Incident:
    """One replication: a fault at t = 0 in a system that has run for a long time."""

    def __init__(self, cfg, rng):
        self.cfg, self.rng = cfg, rng
        self.regions = [r["name"] for r in cfg["regions"]]
        self.horizon = cfg["horizon_s"]

    def down(self, region, t):
        return self.fault_region == region and 0 <= t < self.down_until

    def run(self):
        cfg, rng = self.cfg, self.rng
        env = simpy.Environment()
        self.env = env
        self.fault_region, self.down_until, self.mode = None, math.inf, "blackhole"
        for f in cfg["faults"]:
            self.fault_region = self.regions.index(f["region"])
            self.mode = f["mode"]
            self.down_until = math.inf if f["duration_s"] == "permanent" else sample(f["duration_s"], rng)

        checks = cfg["health_checks"]
        ids = [h["id"] for h in checks]
        records = cfg["dns"]["records"]
        self.primary = next(r for r in records if r["role"] == "primary")
        self.secondary = next(r for r in records if r["role"] == "secondary")
        used = {r["health_check"] for r in records if "health_check" in r}
        self.dns_healthy = {h["id"]: True for h in checks}
        self.reported = {h["id"]: True for h in checks}
        self.last_arrival = {h["id"]: 0.0 for h in checks}
        self.healthy_count = {}
        self.min_healthy = {}
        for h in checks:
            k = h["checkers"]
            self.min_healthy[h["id"]] = next(x for x in range(k + 2) if x / k > h["healthy_above"])
            self.healthy_count[h["id"]] = 0
        # Start every checker from a warmed-up state, then its probe loop.
        starts = []
        for h in checks:
            if h["id"] not in used or h["disabled"]:
                self.healthy_count[h["id"]] = h["checkers"]
                continue
            for _ in range(h["checkers"]):
                state = self.warm_up(h)
                if state["healthy"]:
                    self.healthy_count[h["id"]] += 1
                starts.append((h, state))
        for h in checks:
            if h["id"] in used and not h["disabled"]:
                agg = self.healthy_count[h["id"]] >= self.min_healthy[h["id"]]
                self.reported[h["id"]] = self.report(h, agg)
                self.dns_healthy[h["id"]] = self.reported[h["id"]]
        self.answer = self.current_answer()
        self.initial_answer = self.answer
        self.changes = []
        for h, state in starts:
            env.process(self.checker(h, state))
        env.run(until=self.horizon)
        return self.metrics()

    def warm_up(self, h):
        """A checker's state after a long healthy run: simulate 300 probes with transient failures."""
        state = {"healthy": True, "run": 0}
        p = h["transient_failure_prob"]
        if p > 0:
            for _ in range(300):
                self.update(h, state, self.rng.random() >= p)
        return state

    @staticmethod
    def update(h, state, ok):
        """N consecutive results against the status flip it. Returns True when it flipped."""
        if state["healthy"] == ok:
            state["run"] = 0
            return False
        state["run"] += 1
        if state["run"] == h["failure_threshold"]:
            state["healthy"], state["run"] = ok, 0
            return True
        return False

    @staticmethod
    def report(h, aggregate):
        if h["disabled"]:
            return True
        return (not aggregate) if h["inverted"] else aggregate

    def checker(self, h, state):
        env, rng = self.env, self.rng
        interval = h["interval_s"]
        rtt = mean(h["probe_rtt_s"])
        period = interval + rtt
        target = self.regions.index(h["target"])
        x = rng.uniform(0, period)
        if x < rtt:  # a probe sent before the fault is still in flight
            yield env.timeout(rtt - x)
            self.result(h, state, rng.random() >= h["transient_failure_prob"])
            yield env.timeout(interval)
        else:
            yield env.timeout(period - x)
        while True:
            if self.down(target, env.now):
                ok = False
                if self.mode == "blackhole":
                    took = 10.0 if h["protocol"] == "tcp" else 4.0
                else:
                    took = sample(h["probe_rtt_s"], rng)
            else:
                ok = rng.random() >= h["transient_failure_prob"]
                took = sample(h["probe_rtt_s"], rng)
            yield env.timeout(took)
            self.result(h, state, ok)
            yield env.timeout(interval)

    def result(self, h, state, ok):
        if not self.update(h, state, ok):
            return
        hid = h["id"]
        self.healthy_count[hid] += 1 if state["healthy"] else -1
        rep = self.report(h, self.healthy_count[hid] >= self.min_healthy[hid])
        if rep != self.reported[hid]:
            self.reported[hid] = rep
            arrival = max(self.env.now + sample(h["status_to_dns_s"], self.rng), self.last_arrival[hid])
            self.last_arrival[hid] = arrival
            self.env.process(self.reach_dns(arrival - self.env.now, hid, rep))

    def reach_dns(self, delay, hid, healthy):
        yield self.env.timeout(delay)
        self.dns_healthy[hid] = healthy
        a = self.current_answer()
        if a != self.answer:
            self.answer = a
            self.changes.append((self.env.now, a))

    def current_answer(self):
        def healthy(r):
            return self.dns_healthy[r["health_check"]] if "health_check" in r else True
        for r in (self.primary, self.secondary):
            if healthy(r):
                return self.regions.index(r["target"])
        return self.regions.index(self.primary["target"])

    # --- caches and traffic ---------------------------------------------------------------------

    def population(self):
        """Resolver shares, cohort counts and weights, as docs/model.md defines."""
        c = self.cfg["clients"]
        n = c["resolvers"]
        raw = [1 / (i ** c["resolver_zipf_exponent"]) for i in range(1, n + 1)]
        total = sum(raw)
        share = [x / total for x in raw]
        cohorts = [min(16, max(1, math.ceil(s / 0.005))) for s in share]
        return share, cohorts

    def success_curve(self):
        cfg, rng = self.cfg, self.rng
        c = cfg["clients"]
        ttl = cfg["dns"]["ttl_s"]
        share, cohorts = self.population()
        classes = c["resolver_mix"]
        n = len(share)
        # Behaviour follows size: the largest resolvers, carrying honouring_top_share of the traffic,
        # honour TTLs; each later class gets round(share * n) resolvers drawn among the others.
        large, acc = 0, 0.0
        while large < n and acc < c["honouring_top_share"] - 1e-12:
            acc += share[large]
            large += 1
        small = list(range(large, n))
        rng.shuffle(small)
        chosen = [classes[0]] * n
        taken = 0
        for cl in classes[1:]:
            for r in small[taken:taken + round(cl["share"] * n)]:
                chosen[r] = cl
            taken += round(cl["share"] * n)
        effective = []
        for cl in chosen:
            if cl["behaviour"] == "honour":
                effective.append(ttl)
            elif cl["behaviour"] == "floor":
                effective.append(max(ttl, cl["floor_s"]))
            else:
                effective.append(ttl + sample(cl["extra_s"], rng))
        # Cohorts: (weight, answer index in use); moves: (time, change, cohort).
        weights, moves = [], []
        first = True
        answers = [self.initial_answer] + [a for _, a in self.changes]
        for j, (t, _) in enumerate(self.changes, start=1):
            cohort = 0
            for r, s in enumerate(share):
                L, lam = effective[r], s * c["dns_queries_per_s"]
                full = L > 0 and rng.random() < lam * L / (lam * L + 1)
                R = rng.random() * L if full else 0.0
                m = cohorts[r]
                for k in c["client_mix"]:
                    if k["kind"] == "stub":
                        offsets = [R]
                    elif k["kind"] == "jvm":
                        offsets = [R + (i + rng.random()) / m * k["cache_s"] for i in range(m)]
                    else:
                        # A browser behind a resolver that keeps answers longer than its floor expires
                        # with the resolver; otherwise it refreshes at its own phase.
                        f = k["min_cache_s"]
                        offsets = []
                        for i in range(m):
                            u = (i + rng.random()) / m * f
                            offsets.append(R if L > f else u if u >= R else max(R, u + f))
                    for off in offsets:
                        if first:
                            weights.append(s * k["share"] / len(offsets))
                        moves.append((self.release(answers[j - 1], t + off), j, cohort))
                        cohort += 1
            first = False
        if not self.changes:  # nobody moves; the weights still matter for s(0)
            weights = [1.0]
        moves.sort()
        routed = [0.0] * len(self.regions)
        routed[self.initial_answer] = 1.0
        using = [0] * len(weights)
        region_events = sorted(t for t in (self.down_until,) if 0 < t <= self.horizon)

        def up_share(t):
            return sum(routed[r] for r in range(len(self.regions)) if not self.down(r, t))

        times, values = [0.0], [up_share(0.0)]
        events = sorted([(t, 0, j, c) for t, j, c in moves if t <= self.horizon] + [(t, 1, 0, 0) for t in region_events])
        for t, kind, j, c in events:
            if kind == 0 and j > using[c]:
                routed[answers[using[c]]] -= weights[c]
                routed[answers[j]] += weights[c]
                using[c] = j
            v = up_share(t)
            if times[-1] == t:
                values[-1] = v
            else:
                times.append(t)
                values.append(v)
        return times, values

    def release(self, old, t):
        """When a client whose caches let go of region `old` at t leaves it: its connection ends.
        Refused: at once. Black-holed: when the request under way times out. Still up: when the front
        door closes it (maximum age, or the first pause between requests longer than the idle timeout;
        the pauses are drawn one by one)."""
        c, rng = self.cfg["clients"], self.rng
        if t >= self.horizon:
            return t
        if self.down(old, t):
            return t if self.mode == "refused" else t + rng.random() * c["request_timeout_s"]
        door = self.cfg["regions"][old]["front_door"]
        end = math.inf
        if door["max_age_s"] != "none":
            end = t + rng.random() * door["max_age_s"]
        if door["idle_timeout_s"] != "none":
            idle, at = door["idle_timeout_s"], t
            while at < min(end, t + 10 * self.horizon):
                pause = sample(c["think_time_s"], rng)
                if pause > idle:
                    end = min(end, at + idle)
                    break
                at += pause
        return end

    def metrics(self):
        cfg = self.cfg
        times, values = self.success_curve()
        target, window, h = cfg["slo"]["success_target"], cfg["slo"]["stable_for_s"], self.horizon
        # Normal service is not a recovery: only after s(t) first fell below the target, and the
        # stability window must end by the horizon.
        rto, since, fell = None, None, False
        for i, v in enumerate(values):
            end = times[i + 1] if i + 1 < len(times) else h
            if v >= target - 1e-12:
                if not fell:
                    continue
                since = times[i] if since is None else since
                if since + window > h:
                    break
                if end - since >= window:
                    rto = since
                    break
            else:
                fell, since = True, None
        if not fell:
            rto = 0.0
        lost, rpo = self.lost_writes()
        return {
            "detection_s": self.changes[0][0] if self.changes else None,
            "rto_s": h if rto is None else rto,
            "recovered_50_s": recovered(times, values, 0.5),
            "rpo_s": rpo,
            "lost_writes": lost,
        }

    # --- writes -----------------------------------------------------------------------------------

    def lost_writes(self):
        """Every write of the last minute before the fault, as SimPy events, each with its own lag."""
        cfg, rng = self.cfg, self.rng
        if self.fault_region is None or self.initial_answer != self.fault_region:
            return 0, 0.0
        rate = cfg["traffic"]["requests_per_s"] * cfg["traffic"]["write_share"]
        lag = cfg["database"]["replication_lag_s"]
        window = max(60.0, 100 * mean(lag))
        env = simpy.Environment()
        in_flight = []

        def writer():
            while True:
                yield env.timeout(rng.expovariate(rate))
                if env.now >= window:
                    return
                if env.now + sample(lag, rng) > window:
                    in_flight.append(window - env.now)

        if rate > 0:
            env.process(writer())
            env.run()
        return len(in_flight), max(in_flight, default=0.0)


def hold(pending, events, seed):
    """The classic hold model: `pending` processes, each holding for an exponential time, forever."""
    rng = random.Random(seed)
    env = simpy.Environment()
    count = [0]

    def proc():
        while True:
            yield env.timeout(rng.expovariate(1.0))
            count[0] += 1

    for _ in range(pending):
        env.process(proc())
    while count[0] < events // 10:  # warm up
        env.step()
    start_count, start = count[0], time.perf_counter()
    while count[0] < start_count + events:
        env.step()
    return events / (time.perf_counter() - start)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    inc = sub.add_parser("incidents")
    inc.add_argument("--resolved", required=True, help="run.json written by drsim run")
    inc.add_argument("--replications", type=int, required=True)
    inc.add_argument("--seed", type=int, default=1)
    h = sub.add_parser("hold")
    h.add_argument("--pending", type=int, required=True)
    h.add_argument("--events", type=int, required=True)
    h.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if args.command == "hold":
        print(json.dumps({"pending": args.pending, "events_per_s": hold(args.pending, args.events, args.seed)}))
        return
    cfg = json.load(open(args.resolved))["config"]
    if len(cfg["regions"]) != 2 or cfg["dns"]["policy"] != "failover" or len(cfg["faults"]) > 1:
        sys.exit("simpy_twin: only two regions, failover records and at most one fault are supported")
    rng = random.Random(args.seed)
    start = time.perf_counter()
    results = [Incident(cfg, rng).run() for _ in range(args.replications)]
    out = {"seconds": time.perf_counter() - start, "replications": args.replications}
    for key in ("detection_s", "rto_s", "recovered_50_s", "rpo_s", "lost_writes"):
        out[key] = [r[key] for r in results]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
