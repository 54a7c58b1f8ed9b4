#!/usr/bin/env python3
"""drsim's fastest fair peer in SimPy: the twin's scenario, written the way an expert SimPy user would write it for speed.

    python3 bench/simpy_expert.py incidents --resolved results/x/run.json --replications 300 --seed 1

Same input (drsim's resolved config in run.json), same command line and same JSON output as
`simpy_twin.py incidents`. Where the twin simulates everything as it happens, this one keeps SimPy for
the event-driven part and computes the rest directly, in bulk, as drsim does (docs/model.md):

- the Route 53 health checkers run in SimPy, one process per health check over a heap of its
  checkers' next probe results (a probe's outcome is known when it is sent, so only results are
  events); each checker starts from its stationary state (solved exactly for transient failures) and
  drops out as soon as its status can no longer change before the horizon, and checks that can never
  change are not started at all; status changes reach DNS through plain timeout callbacks;
- the resolvers' caches at an answer change are drawn for all resolvers at once (numpy): a resolver
  holds an answer with probability L/(L + 1/λ), its remaining life uniform on [0, L]; each cohort's move
  time follows directly (stub at R, JVM at R + U·h, browser at R behind a TTL above its floor, else by the
  floor rule), no event per query;
- connections: a black-holed region holds a client U·request_timeout_s after its caches let go, a
  refusing one not at all; a region that is up holds it until its front door closes the connection;
- the success curve is one sort of the move times and a cumulative sum; a cohort follows the latest
  answer change whose move it has made, as in drsim;
- the unreplicated writes at the fault are Poisson with mean λ·E[L] and the oldest one's age is the
  largest of that many draws from the equilibrium (residual-life) distribution of the lag, no event
  per write.

Supported, as in the twin: two regions, failover records, at most one region_outage (scope both) from
t = 0, MREC with local writes; anything else is refused.
"""
import argparse
import bisect
import heapq
import json
import math
import random
import sys
import time

import numpy as np
import simpy

sys.dont_write_bytecode = True  # no bench/__pycache__ from the import below
from simpy_twin import _Phi, _phi, lognormal_params, mean, sample  # noqa: E402

TIMEOUT_S = {"tcp": 10.0, "http": 4.0, "https": 4.0}  # Route 53's connect timeouts


# --- distributions ----------------------------------------------------------------------------------

def _kind(d):
    if isinstance(d, (int, float)):
        return "fixed", float(d)
    (kind, v), = d.items()
    return kind, v


def draw(d, rng, size):
    """`size` draws of a drsim distribution, as a numpy array (normal: truncated at 0)."""
    kind, v = _kind(d)
    if kind == "fixed":
        return np.full(size, float(v))
    if kind == "uniform":
        return rng.uniform(v[0], v[1], size)
    if kind == "exponential":
        return rng.exponential(v["mean"], size)
    if kind == "lognormal":
        return rng.lognormal(*lognormal_params(v), size)
    if kind == "normal":
        out = rng.normal(v["mean"], v["sd"], size)
        bad = np.flatnonzero(out < 0)
        while bad.size:
            out[bad] = rng.normal(v["mean"], v["sd"], bad.size)
            bad = bad[out[bad] < 0]
        return out
    if kind == "weibull":
        return v["scale"] * rng.weibull(v["shape"], size)
    if kind == "gamma":
        return rng.gamma(v["shape"], v["scale"], size)
    if kind == "empirical":
        return rng.choice(np.asarray(v, dtype=float), size)
    raise ValueError(f"unknown distribution {kind}")


def _gamma_p(a, x):
    """The regularized lower incomplete gamma function P(a, x) (series, or Lentz's continued fraction)."""
    if x <= 0:
        return 0.0
    lead = math.exp(a * math.log(x) - x - math.lgamma(a))
    if x < a + 1:
        term = total = 1 / a
        k = a
        while abs(term) > 1e-16 * abs(total):
            k += 1
            term *= x / k
            total += term
        return total * lead
    b, c, d = x + 1 - a, 1e300, 1 / (x + 1 - a)
    h = d
    for i in range(1, 1000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = 1 / (d if abs(d) > 1e-300 else 1e-300)
        c = b + an / c
        c = c if abs(c) > 1e-300 else 1e-300
        h *= d * c
        if abs(d * c - 1) < 1e-16:
            break
    return 1 - lead * h


def below(d, x):
    """(P(X ≤ x), E[X; X ≤ x]) in closed form, for the idle-timeout rule."""
    kind, v = _kind(d)
    if kind == "fixed":
        return (1.0, float(v)) if v <= x else (0.0, 0.0)
    if kind == "uniform":
        a, b = v
        if x < a:
            return 0.0, 0.0
        if x >= b or a == b:
            return 1.0, (a + b) / 2
        return (x - a) / (b - a), (x * x - a * a) / (2 * (b - a))
    if kind == "exponential":
        m = v["mean"]
        return 1 - math.exp(-x / m), m - (x + m) * math.exp(-x / m)
    if kind == "lognormal":
        mu, s = lognormal_params(v)
        if x <= 0:
            return 0.0, 0.0
        z = (math.log(x) - mu) / s
        return _Phi(z), math.exp(mu + s * s / 2) * _Phi(z - s)
    if kind == "normal":
        m, s = v["mean"], v["sd"]
        if x <= 0:
            return 0.0, 0.0
        z0, zx, kept = -m / s, (x - m) / s, 1 - _Phi(-m / s)
        return (_Phi(zx) - _Phi(z0)) / kept, (m * (_Phi(zx) - _Phi(z0)) - s * (_phi(zx) - _phi(z0))) / kept
    if kind == "weibull":
        k, lam = v["shape"], v["scale"]
        y = (x / lam) ** k
        return 1 - math.exp(-y), lam * math.gamma(1 + 1 / k) * _gamma_p(1 + 1 / k, y)
    if kind == "gamma":
        k, th = v["shape"], v["scale"]
        return _gamma_p(k, x / th), k * th * _gamma_p(k + 1, x / th)
    if kind == "empirical":
        kept = [y for y in v if y <= x]
        return len(kept) / len(v), sum(kept) / len(v)
    raise ValueError(f"unknown distribution {kind}")


def oldest_age(d, n, rng):
    """The largest of n independent ages from the equilibrium density P(L > a)/E[L]: an age is U times
    a length-biased draw of L (closed forms below); the truncated normal inverts its tail integral."""
    kind, v = _kind(d)
    u = rng.random(n)
    if kind == "fixed":
        return float(v) * u.max()
    if kind == "uniform":
        a, b = v
        return float((np.sqrt(a * a + rng.random(n) * (b * b - a * a)) * u).max())
    if kind == "exponential":
        return float(rng.exponential(v["mean"], n).max())
    if kind == "lognormal":
        mu, s = lognormal_params(v)
        return float((rng.lognormal(mu + s * s, s, n) * u).max())
    if kind == "gamma":
        return float((rng.gamma(v["shape"] + 1, v["scale"], n) * u).max())
    if kind == "weibull":
        k = v["shape"]
        return float((v["scale"] * rng.gamma(1 + 1 / k, 1.0, n) ** (1 / k) * u).max())
    if kind == "empirical":
        vals = np.asarray(v, dtype=float)
        if vals.sum() <= 0:
            return 0.0
        return float((rng.choice(vals, n, p=vals / vals.sum()) * u).max())
    if kind == "normal":
        # E[(L − x)⁺] for the truncated normal, and the x where it falls to (1 − U^{1/n})·E[L].
        m, s = v["mean"], v["sd"]
        tail = _Phi(m / s)

        def excess(x):
            z = (m - x) / s
            return ((m - x) * _Phi(z) + s * _phi(z)) / tail
        target = (1 - rng.random() ** (1 / n)) * excess(0.0)
        lo, hi = 0.0, max(m, s, 1e-9)
        while excess(hi) > target:
            lo, hi = hi, hi * 2
        for _ in range(200):
            mid = (lo + hi) / 2
            if excess(mid) > target:
                lo = mid
            else:
                hi = mid
            if hi - lo <= 1e-12 * hi:
                break
        return (lo + hi) / 2
    raise ValueError(f"unknown distribution {kind}")


def stationary_cumulative(n, p):
    """Cumulative stationary distribution of a checker's chain over its 2N states (healthy with
    0..N−1 consecutive failures, then unhealthy with 0..N−1 consecutive successes), solved exactly."""
    m = 2 * n
    if p <= 0:
        return [1.0] * m

    def nxt(s, ok):
        if s < n:
            return 0 if ok else (n if s + 1 == n else s + 1)
        return (0 if s - n + 1 == n else s + 1) if ok else n
    A = [[0.0] * (m + 1) for _ in range(m)]
    for s in range(m):  # A = Pᵀ − I
        A[nxt(s, True)][s] += 1 - p
        A[nxt(s, False)][s] += p
        A[s][s] -= 1
    A[m - 1] = [1.0] * (m + 1)  # Σπ = 1
    for col in range(m):
        piv = max(range(col, m), key=lambda i: abs(A[i][col]))
        A[col], A[piv] = A[piv], A[col]
        d = A[col][col]
        A[col] = [x / d for x in A[col]]
        for i in range(m):
            if i != col and A[i][col] != 0:
                f = A[i][col]
                A[i] = [a - f * b for a, b in zip(A[i], A[col])]
    acc, cum = 0.0, []
    for i in range(m):
        acc += max(0.0, A[i][m])
        cum.append(acc)
    return cum


# --- the scenario, prepared once ---------------------------------------------------------------------

def unsupported(cfg):
    """Why the config is outside what the twins simulate (empty list: supported)."""
    why = []
    names = [r["name"] for r in cfg["regions"]]
    if len(names) != 2:
        why.append(f"{len(names)} regions (exactly two are supported)")
    if cfg.get("load_balancer") is not None:
        why.append("a global load balancer")
    for r in cfg["regions"]:
        for key in ("capacity_rps", "standby", "activation"):
            if key in r:
                why.append(f"regions[{r['name']}].{key}")
        if r.get("db_endpoint", "local") != "local":
            why.append(f"regions[{r['name']}].db_endpoint {r['db_endpoint']} (only local)")
    dns = cfg["dns"]
    if dns["policy"] != "failover":
        why.append(f"dns.policy {dns['policy']} (only failover)")
    else:
        roles = sorted(r.get("role", "") for r in dns["records"])
        if roles != ["primary", "secondary"]:
            why.append(f"failover records {roles} (exactly one primary and one secondary)")
        for r in dns["records"]:
            if r["target"] not in names:
                why.append(f"record {r['id']} targets {r['target']} (only regions)")
    checks = {h["id"]: h for h in cfg["health_checks"]}
    for r in dns["records"]:
        h = checks.get(r.get("health_check"))
        if h is not None and h["target"] not in names:
            why.append(f"health check {h['id']} targets {h['target']} (only regions)")
    db = cfg["database"]
    if db["mode"] != "mrec":
        why.append(f"database.mode {db['mode']} (only mrec)")
    if db.get("writes", "local") != "local":
        why.append(f"database.writes {db['writes']} (only local)")
    faults = cfg["faults"]
    if len(faults) > 1:
        why.append(f"{len(faults)} faults (at most one)")
    for f in faults:
        if f["kind"] != "region_outage":
            why.append(f"a fault of kind {f['kind']} (only region_outage)")
        elif f.get("scope", "both") != "both" or f["mode"] not in ("blackhole", "refused"):
            why.append(f"a region_outage with scope {f.get('scope')} and mode {f['mode']} (only scope both, blackhole or refused)")
    return why


def recovered(times, values, level):
    """After s(t) first fell below `level`, the first time it is back at it; 0 if it never fell, None
    if it never came back (drsim's recovered_*_s)."""
    below = np.flatnonzero(np.asarray(values) < level - 1e-12)
    if below.size == 0:
        return 0.0
    back = np.flatnonzero(np.asarray(values)[below[0]:] >= level - 1e-12)
    return None if back.size == 0 else float(times[below[0] + back[0]])


class Check:
    """One Route 53 health check that a record uses: its settings and its live aggregate."""
    __slots__ = ("id", "k", "n", "p", "interval", "rtt", "rtt_mean", "period", "took_down", "to_dns",
                 "min_healthy", "inverted", "target", "cumulative", "count", "reported", "last_arrival")

    def __init__(self, h, regions, blackhole):
        self.id, self.k, self.n = h["id"], h["checkers"], h["failure_threshold"]
        self.p, self.interval, self.rtt = h["transient_failure_prob"], h["interval_s"], h["probe_rtt_s"]
        self.rtt_mean = mean(self.rtt)
        self.period = self.interval + self.rtt_mean
        # A black-holed probe fails at the connect timeout; a refused one in a round trip (None: draw it).
        self.took_down = TIMEOUT_S[h["protocol"]] if blackhole else None
        self.to_dns = h["status_to_dns_s"]
        self.min_healthy = next(x for x in range(self.k + 2) if x / self.k > h["healthy_above"])
        self.inverted = h["inverted"]
        self.target = regions.index(h["target"])
        self.cumulative = stationary_cumulative(self.n, self.p)

    def report(self):
        agg = self.count >= self.min_healthy
        return (not agg) if self.inverted else agg


class Plan:
    """Everything about the config that does not change between incidents."""

    def __init__(self, cfg):
        self.cfg = cfg
        self.regions = [r["name"] for r in cfg["regions"]]
        self.horizon = float(cfg["horizon_s"])
        self.fault = cfg["faults"][0] if cfg["faults"] else None
        self.fault_region = self.regions.index(self.fault["region"]) if self.fault else None
        self.blackhole = self.fault is not None and self.fault["mode"] == "blackhole"
        records = cfg["dns"]["records"]
        self.primary = next(r for r in records if r["role"] == "primary")
        self.secondary = next(r for r in records if r["role"] == "secondary")
        self.order = [(self.regions.index(r["target"]), r.get("health_check")) for r in (self.primary, self.secondary)]
        used = {r["health_check"] for r in records if "health_check" in r}
        self.checks = [Check(h, self.regions, self.blackhole) for h in cfg["health_checks"]
                       if h["id"] in used and not h["disabled"]]
        self.ttl = float(cfg["dns"]["ttl_s"])
        self.target, self.window = cfg["slo"]["success_target"], cfg["slo"]["stable_for_s"]

        c = cfg["clients"]
        n = c["resolvers"]
        raw = np.arange(1, n + 1, dtype=float) ** -c["resolver_zipf_exponent"]
        share = raw / raw.sum()
        self.n, self.rate = n, share * c["dns_queries_per_s"]
        cohorts = np.minimum(16, np.maximum(1, np.ceil(share / 0.005))).astype(int)
        # The largest resolvers, carrying honouring_top_share of the traffic, honour TTLs; each class
        # that does not honour gets round(share · n) of the others, drawn anew in every incident.
        large, acc = 0, 0.0
        while large < n and acc < c["honouring_top_share"] - 1e-12:
            acc += share[large]
            large += 1
        self.small = np.arange(large, n)
        self.classes = [(cl, int(round(cl["share"] * n))) for cl in c["resolver_mix"] if cl["behaviour"] != "honour"]
        self.misbehaving = sum(k for _, k in self.classes)
        if self.misbehaving > len(self.small):
            sys.exit(f"simpy_expert: the resolver classes need {self.misbehaving} small resolvers, only {len(self.small)} exist")
        # Cohorts, kind by kind (each kind a contiguous slice): the resolver of each, its stratum's start
        # i/m and width 1/m, its kind's cache parameter (0 for stubs), its share of the traffic.
        res, base, width, cache, weight, self.browsers = [], [], [], [], [], []
        at = 0
        for k in c["client_mix"]:
            if k["kind"] == "stub":
                r, m = np.arange(n), np.ones(n)
                b, wd, param = np.zeros(n), np.zeros(n), 0.0
            else:
                r = np.repeat(np.arange(n), cohorts)
                m = cohorts[r].astype(float)
                first = np.repeat(np.cumsum(cohorts) - cohorts, cohorts)
                b, wd = (np.arange(r.size) - first) / m, 1 / m
                param = float(k["cache_s"] if k["kind"] == "jvm" else k["min_cache_s"])
            if k["kind"] == "browser":
                self.browsers.append((at, at + r.size, param))
            at += r.size
            res.append(r)
            base.append(b)
            width.append(wd)
            cache.append(np.full(r.size, param))
            weight.append(share[r] * k["share"] / m)
        self.res, self.base, self.width, self.cache = (np.concatenate(a) for a in (res, base, width, cache))
        self.weight = np.concatenate(weight)
        self.weight /= self.weight.sum()  # shares of all traffic

        self.timeout = c["request_timeout_s"]
        self.think = c["think_time_s"]
        self.doors = []
        for r in cfg["regions"]:
            d = r["front_door"]
            age = None if d["max_age_s"] == "none" else float(d["max_age_s"])
            idle = None if d["idle_timeout_s"] == "none" else float(d["idle_timeout_s"])
            long_share = short_mean = 0.0
            if idle is not None:
                # P(T > idle) and E[T | T ≤ idle] for the users' think time T.
                p_below, part = below(self.think, idle)
                long_share, short_mean = 1 - p_below, (part / p_below if p_below > 0 else 0.0)
            self.doors.append((age, idle, long_share, short_mean))

        self.write_rate = cfg["traffic"]["requests_per_s"] * cfg["traffic"]["write_share"]
        self.lag = cfg["database"]["replication_lag_s"]
        self.lag_mean = mean(self.lag)


# --- one incident ------------------------------------------------------------------------------------

class Incident:
    def __init__(self, plan, rng, gen):
        self.plan, self.rng, self.gen = plan, rng, gen  # random.Random for scalars, numpy for arrays

    def run(self):
        plan, rng = self.plan, self.rng
        self.down_until = -math.inf
        if plan.fault is not None:
            d = plan.fault["duration_s"]
            self.down_until = math.inf if d == "permanent" else sample(d, rng)
        changes, initial = self.answer_changes()
        times, values, routed_elsewhere = self.success_curve(changes, initial)
        lost, rpo = self.unreplicated_writes(initial, routed_elsewhere)
        return {
            "detection_s": changes[0][0] if changes else None,
            "rto_s": self.rto(times, values),
            "recovered_50_s": recovered(times, values, 0.5),
            "rpo_s": rpo,
            "lost_writes": lost,
        }

    # --- health checks and DNS: SimPy ------------------------------------------------------------

    def answer_changes(self):
        """The failover answer's changes [(t, region)], and the answer before the fault."""
        plan, rng = self.plan, self.rng
        random_ = rng.random
        horizon, down_until, fault = plan.horizon, self.down_until, plan.fault_region
        env = simpy.Environment()
        timeout = env.timeout
        healthy = {}
        starts = {}
        for ck in plan.checks:
            ck.count, ck.last_arrival = 0, 0.0
            # A checker can change only under transient failures or if its target fails before the horizon.
            moving = ck.p > 0 or (ck.target == fault and down_until > 0)
            for _ in range(ck.k):
                s = 0 if ck.p <= 0 else bisect.bisect_right(ck.cumulative, random_())
                ok = s < ck.n
                ck.count += ok
                if moving:
                    starts.setdefault(ck, []).append((ok, s if ok else s - ck.n))
            ck.reported = ck.report()
            healthy[ck.id] = ck.reported

        def answer():
            for region, hc in plan.order:
                if hc is None or healthy.get(hc, True):
                    return region
            return plan.order[0][0]

        state = [answer()]
        initial = state[0]
        changes = []

        def reach_dns(ck_id, rep):
            def apply(_):
                healthy[ck_id] = rep
                a = answer()
                if a != state[0]:
                    state[0] = a
                    changes.append((env.now, a))
            return apply

        def flip(ck, now):
            rep = ck.report()
            if rep != ck.reported:
                ck.reported = rep
                arrival = max(now + sample(ck.to_dns, rng), ck.last_arrival)
                ck.last_arrival = arrival
                timeout(arrival - now).callbacks.append(reach_dns(ck.id, rep))

        def probe(ck, send):
            """A probe sent at `send`: (when its result arrives, whether it succeeded). Its outcome is
            decided by the target's condition when it is sent, a known function of time."""
            down = ck.target == fault and send < down_until
            if down:
                took = ck.took_down if ck.took_down is not None else sample(ck.rtt, rng)
                return send + took, False
            return send + sample(ck.rtt, rng), ck.p <= 0 or random_() >= ck.p

        def checkers(ck, states):
            """All the checkers of one health check, in one process over a heap of their next results:
            the process wakes once per probe result."""
            p, n, interval = ck.p, ck.n, ck.interval
            fails_here = ck.target == fault
            settles = down_until >= horizon  # the target's condition never changes again after t = 0

            def done(ok_state, send):
                # Without transient failures, a checker that agrees with a condition that no longer
                # changes is done.
                down = fails_here and send < down_until
                return p <= 0 and ok_state != down and (not fails_here or settles or send >= down_until)
            heap = []
            for i, (ok_state, _) in enumerate(states):
                x = random_() * ck.period
                if x < ck.rtt_mean:  # a probe sent before the fault is still in flight
                    heap.append((ck.rtt_mean - x, i, p <= 0 or random_() >= p))
                elif not done(ok_state, ck.period - x):
                    at, ok = probe(ck, ck.period - x)
                    heap.append((at, i, ok))
            heapq.heapify(heap)
            while heap:
                at, i, ok = heapq.heappop(heap)
                if at > env.now:
                    yield timeout(at - env.now)
                ok_state, run = states[i]
                if ok != ok_state:
                    run += 1
                    if run == n:
                        ok_state, run = ok, 0
                        ck.count += 1 if ok else -1
                        flip(ck, env.now)
                else:
                    run = 0
                states[i] = (ok_state, run)
                send = at + interval
                if not done(ok_state, send):
                    nxt, ok = probe(ck, send)
                    heapq.heappush(heap, (nxt, i, ok))

        for ck, states in starts.items():
            env.process(checkers(ck, states))
        env.run(until=horizon)
        return changes, initial

    # --- caches, connections and the success curve: in bulk -----------------------------------------

    def effective_ttls(self):
        plan, gen = self.plan, self.gen
        L = np.full(plan.n, plan.ttl)
        if plan.misbehaving:
            picked = plan.small[0] + gen.choice(plan.small.size, plan.misbehaving, replace=False)
            at = 0
            for cl, k in plan.classes:
                idx = picked[at:at + k]
                at += k
                if cl["behaviour"] == "floor":
                    L[idx] = max(plan.ttl, cl["floor_s"])
                else:
                    L[idx] = plan.ttl + draw(cl["extra_s"], gen, k)
        lam_L = plan.rate * L
        return L, np.where(L > 0, lam_L / (lam_L + 1), 0.0)

    def move_times(self, t, old, L, p_full):
        """Every cohort's move for an answer change at t away from region `old`."""
        plan, gen = self.plan, self.gen
        n = plan.n
        R = np.where(gen.random(n) < p_full, gen.random(n) * L, 0.0)[plan.res]
        u = (plan.base + gen.random(R.size) * plan.width) * plan.cache  # cache phases (0 for stubs)
        off = R + u  # stub at R, JVM at its first refresh after R
        Lc = L[plan.res]
        for a, b, f in plan.browsers:  # browser: at R behind L > f (it expires with its resolver), else at u if the resolver has let go by then
            ub, Rb = u[a:b], R[a:b]
            off[a:b] = np.where(Lc[a:b] > f, Rb, np.where(ub >= Rb, ub, np.maximum(Rb, ub + f)))
        off += t
        return self.release(old, off)

    def release(self, old, x):
        """When clients whose caches let go of region `old` at x leave it (docs/model.md, "Connections")."""
        plan, gen = self.plan, self.gen
        if old == plan.fault_region and self.down_until >= plan.horizon:
            # Down for the whole run: a refused client leaves at once, a black-holed one when its request
            # times out (after the horizon, where its exact time does not matter, as well).
            return x + gen.random(x.size) * plan.timeout if plan.blackhole else x
        T = x.copy()
        live = x < plan.horizon
        if old == plan.fault_region:
            down = live & (x < self.down_until)
            if plan.blackhole:
                idx = np.flatnonzero(down)
                T[idx] += gen.random(idx.size) * plan.timeout
            live &= ~down
        idx = np.flatnonzero(live)
        if idx.size == 0:
            return T
        age, idle, long_share, short_mean = plan.doors[old]
        start = x[idx]
        end = np.full(idx.size, np.inf)
        if age is not None:
            end = start + gen.random(idx.size) * age
        if idle is not None:
            end = np.minimum(end, start + self.idle_wait(idle, long_share, short_mean, idx.size))
        T[idx] = end
        return T

    def idle_wait(self, idle, q, short_mean, size):
        """How long until the front door closes each of `size` connections for idleness: `idle` after the
        first pause longer than it, so idle plus K shorter pauses, K geometric with P(T > idle) = q.
        As drsim: up to 16 short pauses are drawn, more are summed by their mean (law of large numbers)."""
        gen = self.gen
        if q <= 0:
            return np.full(size, np.inf)
        if q >= 1:
            return np.full(size, idle)
        k = np.floor(np.log(1 - gen.random(size)) / math.log1p(-q))
        wait = idle + k * short_mean
        few = np.flatnonzero((k > 0) & (k <= 16))
        if few.size:
            counts = k[few].astype(int)
            need = int(counts.sum())
            pauses = np.empty(0)
            while pauses.size < need:  # short pauses: draws of T kept when T ≤ idle
                d = draw(self.plan.think, gen, int((need - pauses.size) / (1 - q) * 1.1) + 8)
                pauses = np.concatenate([pauses, d[d <= idle]])
            wait[few] = idle + np.add.reduceat(pauses[:need], np.cumsum(counts) - counts)
        return wait

    def success_curve(self, changes, initial):
        """s(t) as a step function (times, values), and whether the other region served traffic
        before the fault ended (for the data-loss window of delayed writes)."""
        plan = self.plan
        h, du, fault = plan.horizon, self.down_until, plan.fault_region
        w = plan.weight
        share1 = 1.0 if initial == 1 else 0.0  # traffic on region 1 before any change
        if not changes:
            times, share = np.empty(0), np.empty(0)
        else:
            answers = [initial] + [a for _, a in changes]
            L, p_full = self.effective_ttls()
            T = [self.move_times(t, answers[j], L, p_full) for j, (t, _) in enumerate(changes)]
            if len(T) == 1:
                idx = np.flatnonzero(T[0] <= h)
                ev_t, ev_d = T[0][idx], w[idx] if answers[1] == 1 else -w[idx]
            else:
                # A cohort follows the move of the latest change it has picked up: change j's move
                # counts only if no later change's move came first.
                later = np.full(w.size, np.inf)
                accepted = [None] * len(T)
                for j in range(len(T) - 1, -1, -1):
                    accepted[j] = (T[j] <= h) & (T[j] <= later)
                    later = np.minimum(later, T[j])
                on1 = np.full(w.size, share1)
                ts, ds = [], []
                for j, acc in enumerate(accepted, start=1):
                    idx = np.flatnonzero(acc)
                    to1 = 1.0 if answers[j] == 1 else 0.0
                    ds.append(w[idx] * (to1 - on1[idx]))
                    ts.append(T[j - 1][idx])
                    on1[idx] = to1
                ev_t, ev_d = np.concatenate(ts), np.concatenate(ds)
            order = np.argsort(ev_t)
            times = ev_t[order]
            share = np.cumsum(ev_d[order])
            share += share1
        # s(t): the traffic on regions that are up. The fault's end is a step of its own.
        if fault is not None and 0 < du <= h:
            k = int(np.searchsorted(times, du, side="right"))
            times = np.insert(times, k, du)
            share = np.insert(share, k, share[k - 1] if k > 0 else share1)
        if fault is None:
            values = np.ones(times.size)
        else:
            values = np.where(times < du, share if fault == 0 else 1 - share, 1.0)
        times = np.concatenate(([0.0], times))
        values = np.concatenate(([1.0 if du <= 0 else (share1 if fault == 0 else 1 - share1)] if fault is not None else [1.0], values))
        share = np.concatenate(([share1], share))
        same = times[1:] == times[:-1]
        if same.any():  # keep the last step at each time
            last = np.ones(times.size, dtype=bool)
            last[:-1] = ~same
            times, values, share = times[last], values[last], share[last]
        routed_elsewhere = False
        if fault is not None and du < h:
            elsewhere = share > 1e-12 if fault == 0 else share < 1 - 1e-12
            routed_elsewhere = bool(np.any((times < du) & elsewhere))
        return times, values, routed_elsewhere

    def rto(self, times, values):
        """After s(t) first fell below the target: the start of the first stretch at or above it that
        lasts `stable_for_s`, ending by the horizon; the horizon if none; 0 if s(t) never fell."""
        plan = self.plan
        h, window = plan.horizon, plan.window
        below = values < plan.target - 1e-12
        if not below.any():
            return 0.0
        starts = np.flatnonzero(~below[1:] & below[:-1]) + 1
        falls = np.flatnonzero(below)
        ends = np.searchsorted(falls, starts)
        for s, e in zip(starts.tolist(), ends.tolist()):
            since = times[s]
            if since + window > h:
                break
            end = times[falls[e]] if e < falls.size else h
            if end - since >= window:
                return float(since)
        return h

    # --- writes --------------------------------------------------------------------------------------

    def unreplicated_writes(self, initial, routed_elsewhere):
        """Writes the failed table held unreplicated: Poisson with mean λ·E[L], the oldest one's age
        the largest of that many equilibrium ages. Lost if the table never comes back before the
        horizon; else delayed, and in the data-loss window only if the other region served meanwhile."""
        plan, gen = self.plan, self.gen
        if plan.fault_region is None or initial != plan.fault_region or plan.write_rate <= 0:
            return 0, 0.0
        n = int(gen.poisson(plan.write_rate * plan.lag_mean))
        if n == 0:
            return 0, 0.0
        oldest = oldest_age(plan.lag, n, gen)
        if self.down_until >= plan.horizon:
            return n, oldest
        return 0, oldest if routed_elsewhere else 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    inc = sub.add_parser("incidents", help="run incidents of the resolved config and print their metrics as JSON")
    inc.add_argument("--resolved", required=True, help="run.json written by drsim run")
    inc.add_argument("--replications", type=int, required=True)
    inc.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    cfg = json.load(open(args.resolved))["config"]
    why = unsupported(cfg)
    if why:
        sys.exit("simpy_expert: unsupported config: " + "; ".join(why)
                 + ". Supported: two regions, failover records, at most one region_outage (scope both) from t = 0, MREC with local writes.")
    rng = random.Random(args.seed)
    gen = np.random.default_rng(args.seed)
    start = time.perf_counter()
    plan = Plan(cfg)
    results = [Incident(plan, rng, gen).run() for _ in range(args.replications)]
    out = {"seconds": time.perf_counter() - start, "replications": args.replications}
    for key in ("detection_s", "rto_s", "recovered_50_s", "rpo_s", "lost_writes"):
        out[key] = [r[key] for r in results]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
