"""Validates an exported notebook (nbformat), runs it top to bottom (nbclient, a Python kernel), and
checks that the numbers its summary cell prints equal those of the result folder's summary.csv.

usage: check_notebook.py NOTEBOOK SUMMARY_CSV
Prints one line per check; exits 1 with the reason on the first failure.
"""
import csv
import math
import re
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


path, summary_path = Path(sys.argv[1]), Path(sys.argv[2])
nb = nbformat.read(path, as_version=4)
nbformat.validate(nb)
print(f"valid nbformat {nb.nbformat}.{nb.nbformat_minor}, {len(nb.cells)} cells")

NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
if errors:
    fail(f"a cell raised {errors[0].ename}: {errors[0].evalue}")
printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "stream")
images = sum(1 for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if "image/png" in o.get("data", {}))
print(f"ran top to bottom: {images} figures")
if images < 2:
    fail(f"expected the CDF and timeline figures, found {images}")

with open(summary_path, newline="") as f:
    summary = {row["metric"]: row for row in csv.DictReader(f)}
compared = 0
for line in printed.splitlines():
    m = re.match(r"^(\w+): (.*) censored=(\d+) of (\d+)$", line)
    if not m:
        continue
    metric, cells = m.group(1), dict(kv.split("=", 1) for kv in m.group(2).split())
    row = summary[metric]
    for key, text in cells.items():
        expected = float(row[key]) if row[key] != "" else math.nan
        value = float(text)
        if not (value == expected or (math.isnan(value) and math.isnan(expected))):
            fail(f"{metric} {key}: the notebook printed {text}, summary.csv has {row[key]!r}")
        compared += 1
    if int(m.group(3)) != int(row["censored"]) or int(m.group(4)) != int(row["count"]):
        fail(f"{metric}: censored/count differ from summary.csv")
    compared += 2
if compared < 20:
    fail(f"only {compared} printed numbers found:\n{printed}")
print(f"{compared} printed numbers equal summary.csv's")
