#!/usr/bin/env python3
"""Fuzzes drsim's config reader, validator and a short run with mutated configs.

    python3 scripts/fuzz.py --drsim .build/release/drsim --inputs 2000 --seed 1

Each input is a bundled model (models/*.json) or a file of the broken-config corpus
(scripts/fuzz-corpus/, Tests/DRSimCLITests/BadConfigs/), mutated at one to three random places: a
leaf replaced by a hostile value (huge, tiny, negative, zero, a wrong type, an extreme distribution),
a key removed, renamed or duplicated in the text, an array emptied or its entry repeated, the text cut
short. drsim must answer every input within the time limit with exit 0 (and then result files with no
NaN, infinity or negative count), 64 or 65 (and a message on stderr); never a signal, a hang or
another status. Deterministic for a given --seed. Prints how many inputs were tried and exits 1 on the
first failure, with the input saved to --keep.
"""
import argparse
import copy
import csv
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

HOSTILE_NUMBERS = [0, -1, 1e-300, 1e300, 1e13, 2**53 + 1, -1e300, 0.5, 1, 7, 1e6, 3.7e9]
HOSTILE_VALUES = HOSTILE_NUMBERS + [
    "", "x" * 300, "a/b", "\u0001", None, True, [], {}, [1, 2], {"fixed": 1e300},
    {"uniform": [0, 1e300]}, {"uniform": [5, 1]}, {"exponential": {"mean": 1e300}},
    {"lognormal": {"median": 1e10, "p99": 1e300}}, {"lognormal": {"mu": 1000, "sigma": 1}},
    {"weibull": {"shape": 0.05, "scale": 1}}, {"gamma": {"shape": 1e-6, "scale": 1}},
    {"normal": {"mean": 0, "sd": 1e300}}, {"empirical": []}, "permanent", "blackhole", "load_balancer",
]


def leaves(node, path=()):
    """Every (path, value) in the JSON tree, containers included."""
    yield path, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from leaves(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from leaves(v, path + (i,))


def set_at(root, path, value):
    node = root
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = value


def remove_at(root, path):
    node = root
    for p in path[:-1]:
        node = node[p]
    if isinstance(node, dict):
        del node[path[-1]]
    else:
        node.pop(path[-1])


def mutate(doc, rng):
    """One structural mutation of a parsed config, in place."""
    places = [p for p, _ in leaves(doc) if p]
    if not places:
        return doc
    path = rng.choice(places)
    kind = rng.random()
    numbers = [p for p, v in leaves(doc) if p and isinstance(v, (int, float)) and not isinstance(v, bool)]
    if kind < 0.35 and numbers:
        # Plausible but extreme: a number scaled up or down (often still valid, so the run is exercised).
        p = rng.choice(numbers)
        node = doc
        for q in p[:-1]:
            node = node[q]
        node[p[-1]] = node[p[-1]] * rng.choice([0, 0.001, 0.1, 0.5, 2, 10, 1000, 1e6])
    elif kind < 0.6:
        set_at(doc, path, copy.deepcopy(rng.choice(HOSTILE_VALUES)))
    elif kind < 0.75:
        remove_at(doc, path)
    elif kind < 0.85:
        node = doc
        for p in path[:-1]:
            node = node[p]
        if isinstance(node, list):
            node.extend(copy.deepcopy(node[path[-1]]) for _ in range(rng.choice([1, 2, 40])))
        elif isinstance(node, dict):
            node[str(path[-1]) + "_typo"] = copy.deepcopy(node[path[-1]])
    else:
        set_at(doc, path, [] if rng.random() < 0.5 else {})
    return doc


def text_mutation(text, rng):
    """Damage at the text level: what a JSON parser must refuse (or read) without crashing."""
    kind = rng.random()
    if kind < 0.25:
        return text[: rng.randrange(len(text))]
    if kind < 0.5:
        i = text.find('"', rng.randrange(len(text)))
        j = text.find(":", i)
        if i > 0 and j > 0:   # a duplicated key
            return text[:i] + text[i:j] + ': 1, ' + text[i:]
        return text
    if kind < 0.75:
        return text.replace("}", ",}", 1)
    return "[" * rng.choice([10, 100, 10000]) + text


def check_results(folder):
    problems = []
    for name in ("summary.csv", "replications.csv", "timeline.csv", "breakdown.csv"):
        path = os.path.join(folder, name)
        if not os.path.exists(path):
            problems.append(f"{name} missing")
            continue
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                for k, v in row.items():
                    if v in ("", None) or k in ("metric", "decided_by"):
                        continue
                    try:
                        x = float(v)
                    except ValueError:
                        problems.append(f"{name}: {k} = {v!r}")
                        continue
                    if math.isnan(x) or math.isinf(x):
                        problems.append(f"{name}: {k} = {v}")
                    elif x < 0 and k not in ("t_s",):
                        problems.append(f"{name}: negative {k} = {v}")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--drsim", default=os.path.join(ROOT, ".build/release/drsim"))
    ap.add_argument("--inputs", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=60, help="seconds per drsim call")
    ap.add_argument("--keep", default=os.path.join(tempfile.gettempdir(), "drsim-fuzz-failure.json"))
    args = ap.parse_args()

    rng = random.Random(args.seed)
    sources = sorted(os.path.join(ROOT, "models", f) for f in os.listdir(os.path.join(ROOT, "models")) if f.endswith(".json"))
    for d in ("scripts/fuzz-corpus", "Tests/DRSimCLITests/BadConfigs"):
        full = os.path.join(ROOT, d)
        if os.path.isdir(full):
            sources += sorted(os.path.join(full, f) for f in os.listdir(full))
    work = tempfile.mkdtemp(prefix="drsim-fuzz-")
    counts = {0: 0, 64: 0, 65: 0}
    # Every source once as it is (the corpus holds the reproductions of past crashes), then mutants.
    total = len(sources) + args.inputs
    try:
        for n in range(total):
            src = sources[n] if n < len(sources) else rng.choice(sources)
            text = open(src, encoding="utf-8", errors="replace").read()
            try:
                doc = json.loads(text)
            except (ValueError, RecursionError):
                doc = None
            if n < len(sources):
                pass
            elif doc is not None and rng.random() < 0.85:
                for _ in range(rng.randint(1, 3)):
                    doc = mutate(doc, rng)
                if isinstance(doc, dict):
                    doc["replications"] = rng.choice([1, 3, 5])
                text = json.dumps(doc, allow_nan=False) if _finite(doc) else text
            else:
                text = text_mutation(text, rng) if text else text
            cfg = os.path.join(work, "input.json")
            with open(cfg, "w", encoding="utf-8") as f:
                f.write(text)
            out = os.path.join(work, "out")
            shutil.rmtree(out, ignore_errors=True)
            for cmd in (["validate", cfg], ["run", cfg, "--replications", "3", "--threads", "2", "--quiet", "--out", out]):
                try:
                    p = subprocess.run([args.drsim] + cmd, capture_output=True, timeout=args.timeout)
                except subprocess.TimeoutExpired:
                    fail(args, text, f"input {n} ({os.path.basename(src)}): drsim {cmd[0]} took over {args.timeout} s")
                if p.returncode not in (0, 64, 65):
                    fail(args, text, f"input {n} ({os.path.basename(src)}): drsim {cmd[0]} exited {p.returncode}: "
                                     f"{p.stderr.decode(errors='replace')[-400:]}")
                if p.returncode != 0 and not p.stderr.strip():
                    fail(args, text, f"input {n}: drsim {cmd[0]} exited {p.returncode} with nothing on stderr")
                if cmd[0] == "run" and p.returncode == 0:
                    problems = check_results(out)
                    if problems:
                        fail(args, text, f"input {n} ({os.path.basename(src)}): " + "; ".join(problems[:5]))
                counts[p.returncode] += 1
                if p.returncode != 0:
                    break
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"fuzz: {total} inputs ({len(sources)} unmutated, {args.inputs} mutants, seed {args.seed}), no crash, hang or bad number; "
          f"{counts[0]} calls succeeded, {counts[65]} bad configs, {counts[64]} bad command lines")


def _finite(doc):
    return all(not (isinstance(v, float) and (math.isnan(v) or math.isinf(v))) for _, v in leaves(doc))


def fail(args, text, why):
    with open(args.keep, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"fuzz: FAILED: {why}\n(the input is in {args.keep})", file=sys.stderr)
    sys.exit(1)


if __name__ == "__main__":
    main()
