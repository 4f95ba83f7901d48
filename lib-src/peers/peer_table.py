"""The peer table of issue 22: the reports' own PyTorch code run here beside rnnlab's notebooks, seed by seed.

Both sides write one JSON record per run, of one shape (the "peer record"):

    {"framework": "pytorch" | "rnnlab", "report": "004" | "001-exp1", "seed": 1, "mode": "full" | "quick",
     "quantities": {"LSTM held-out accuracy": 0.665, "LSTM tutorial-evaluation accuracy": 0.819, ...}, ...}

(accuracies as fractions; any other keys, such as the scripts' per-cell details, are ignored here).
report004_names.py and report001_mnist.py write it with --out; an rnnlab run is turned into it by

    peer_table.py from-rnnlab --seed 1 build/peers/rnnlab-09-seed1/reproduction.json --out runs/rnnlab-004-seed1.json

which reads the notebook runner's reproduction.json (or a notebooks/full-run/<nb>/record.json) of
notebook 09 or 07 and keeps the rows the table needs. Then

    peer_table.py table runs/            (files or folders of records; quick-mode records are left out
                                          unless --include-quick)

prints REPRODUCTION.md's table: per row the report's number, the PyTorch runs' and rnnlab's runs'
mean ± sample standard deviation with their seeds, and the verdict: `within` when rnnlab's mean lies
in [min − sd, max + sd] of the PyTorch runs, else `outside: to explain` (a human writes the why).
Standard library only: it runs with any python3.
"""
import argparse
import glob
import json
import math
import os
import re
import sys

HEADER = ("| report | quantity | report's number | PyTorch here (seeds: mean ± sd) | "
          "rnnlab here (seeds: mean ± sd) | verdict |")

# (report label, record "report", quantity shown, report's number, record key)
ROWS = [
    ("004", "004", "RNN held-out accuracy, 100,000 iterations", "≈ 60 %", "RNN held-out accuracy at 100,000 iterations"),
    ("004", "004", "RNN held-out accuracy, 300,000 iterations", "≈ 63 %", "RNN held-out accuracy"),
    ("004", "004", "RNN tutorial-evaluation accuracy, 300,000 iterations", "≈ 63 %", "RNN tutorial-evaluation accuracy"),
    ("004", "004", "LSTM held-out accuracy, 300,000 iterations", "≈ 88 %", "LSTM held-out accuracy"),
    ("004", "004", "LSTM tutorial-evaluation accuracy, 300,000 iterations", "≈ 88 %", "LSTM tutorial-evaluation accuracy"),
    ("004", "004", "GRU held-out accuracy, 300,000 iterations", "≈ 90 %", "GRU held-out accuracy"),
    ("004", "004", "GRU tutorial-evaluation accuracy, 300,000 iterations", "≈ 90 %", "GRU tutorial-evaluation accuracy"),
    ("001 exp 1", "001-exp1", "LeNet-5 test accuracy, best-validation epoch of 20", "99.08 %", "LeNet test accuracy"),
    ("001 exp 1", "001-exp1", "LSTM test accuracy, best-validation epoch of 20", "98.90 %", "LSTM test accuracy"),
    ("001 exp 1", "001-exp1", "RNN test accuracy, best-validation epoch of 20", "96.44 %", "RNN test accuracy"),
]

# notebook → report, and the rows of its reproduction table that feed the record: (regex, key, scale)
NOTEBOOKS = {
    "09-names-rnn-lstm-gru": ("004", [
        (r"^(RNN|LSTM|GRU) held-out accuracy after 300,000 iterations", "{} held-out accuracy", 1.0),
        (r"^(RNN) held-out accuracy after 100,000 iterations", "{} held-out accuracy at 100,000 iterations", 1.0),
        (r"^(RNN|LSTM|GRU) tutorial-protocol accuracy after 300,000 iterations", "{} tutorial-evaluation accuracy", 1.0),
    ]),
    "07-mnist-rnn-lstm-lenet": ("001-exp1", [
        (r"^(LeNet|LSTM|RNN) test accuracy \(%\)$", "{} test accuracy", 0.01),
    ]),
}


class BadRecord(Exception):
    pass


# ---------------------------------------------------------------- arithmetic (tested by test_peer_table.py)

def mean_sd(values):
    """Mean and sample standard deviation (n − 1; 0.0 for a single value)."""
    if not values:
        raise ValueError("no values")
    m = sum(values) / len(values)
    if len(values) == 1:
        return m, 0.0
    return m, math.sqrt(sum((v - m) ** 2 for v in values) / (len(values) - 1))


def verdict(torch_values, rnnlab_values):
    """`within` when rnnlab's mean lies inside the PyTorch runs' range widened by one of their
    standard deviations, else `outside: to explain`; `—` when a side has no run, `pending` with one PyTorch run."""
    if not torch_values or not rnnlab_values:
        return "—"
    if len(torch_values) < 2:
        # one run has no spread: a zero-width range would call almost any rnnlab mean "outside"
        return "pending: 1 PyTorch seed (the rule needs ≥ 2)"
    _, sd = mean_sd(torch_values)
    ours, _ = mean_sd(rnnlab_values)
    lo, hi = min(torch_values) - sd, max(torch_values) + sd
    return "within" if lo <= ours <= hi else "outside: to explain"


def summary(runs):
    """`1, 2, 3: 66.5 ± 1.2 %` from [(seed, fraction)], in seed order; `—` when there is none."""
    if not runs:
        return "—"
    runs = sorted(runs)
    m, sd = mean_sd([v for _, v in runs])
    return f"{', '.join(str(s) for s, _ in runs)}: {100 * m:.2f} ± {100 * sd:.2f} %"


# ---------------------------------------------------------------- records

def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            rec = json.load(f)
    except ValueError as e:
        raise BadRecord(f"{path}: not valid JSON ({e})")
    if not isinstance(rec, dict):
        raise BadRecord(f"{path}: not a JSON object")
    for key in ("framework", "report", "seed", "mode", "quantities"):
        if key not in rec:
            raise BadRecord(f"{path}: \"{key}\" is missing; a peer record is written by report004_names.py / "
                            "report001_mnist.py --out, or by `peer_table.py from-rnnlab`")
    if rec["framework"] not in ("pytorch", "rnnlab"):
        raise BadRecord(f"{path}: \"framework\" is {rec['framework']!r}; expected \"pytorch\" or \"rnnlab\"")
    if not isinstance(rec["seed"], int) or isinstance(rec["seed"], bool):
        raise BadRecord(f"{path}: \"seed\" is {rec['seed']!r}; expected an integer")
    q = rec["quantities"]
    if not isinstance(q, dict) or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in q.values()):
        raise BadRecord(f"{path}: \"quantities\" must map names to numbers")
    return rec


def expand(paths):
    out = []
    for p in paths:
        if os.path.isdir(p):
            out += sorted(glob.glob(os.path.join(p, "*.json")))
        elif os.path.isfile(p):
            out.append(p)
        else:
            raise BadRecord(f"{p}: no such file or folder")
    return out


def collect(records, include_quick=False):
    """{(report, key, framework): [(seed, value)]}; a second record of the same seed is an error."""
    table, seen = {}, {}
    for path, rec in records:
        if rec["mode"] != "full" and not include_quick:
            continue
        for key, value in rec["quantities"].items():
            ident = (rec["report"], key, rec["framework"], rec["seed"])
            if ident in seen:
                raise BadRecord(f"{path} and {seen[ident]}: both give {rec['framework']} seed {rec['seed']} "
                                f"of report {rec['report']} ({key}); keep one")
            seen[ident] = path
            table.setdefault(ident[:3], []).append((rec["seed"], float(value)))
    return table


def render(table):
    lines = [HEADER, "| --- | --- | --- | --- | --- | --- |"]
    for label, report, shown, reported, key in ROWS:
        t = table.get((report, key, "pytorch"), [])
        r = table.get((report, key, "rnnlab"), [])
        lines.append(f"| {label} | {shown} | {reported} | {summary(t)} | {summary(r)} | "
                     f"{verdict([v for _, v in t], [v for _, v in r])} |")
    return "\n".join(lines)


def from_rnnlab(path, seed, notebook=None):
    """A peer record from the notebook runner's reproduction.json or a full-run record.json."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except ValueError as e:
        raise BadRecord(f"{path}: not valid JSON ({e})")
    if not isinstance(doc, dict):
        raise BadRecord(f"{path}: not a JSON object")
    entries = doc["notebooks"] if isinstance(doc.get("notebooks"), list) else [doc]
    entries = [e for e in entries if e.get("notebook") in NOTEBOOKS and (notebook is None or e["notebook"] == notebook)]
    if len(entries) != 1:
        raise BadRecord(f"{path}: expected one run of notebook {notebook or ' or '.join(NOTEBOOKS)}, found "
                        f"{len(entries)}; pass --notebook to choose")
    if doc.get("mode") != "full":
        raise BadRecord(f"{path}: a {doc.get('mode')!r}-mode run; the peer table compares full runs "
                        "(RNNLAB_MODE=full RNNLAB_DATA=/work/shared/datasets)")
    e = entries[0]
    report, patterns = NOTEBOOKS[e["notebook"]]
    quantities = {}
    for row in e.get("rows", []):
        for pattern, key, scale in patterns:
            m = re.match(pattern, row.get("quantity", ""))
            if m:
                try:
                    quantities[key.format(m.group(1))] = round(float(row["this_run"]) * scale, 6)
                except (KeyError, TypeError, ValueError):
                    raise BadRecord(f"{path}: row {row.get('quantity')!r} has no number in \"this_run\"")
    wanted = {k for _, rep, _, _, k in ROWS if rep == report}
    missing = sorted(wanted - set(quantities))
    if missing:
        raise BadRecord(f"{path}: notebook {e['notebook']} has no row for {', '.join(missing)} "
                        "(did its reproduction table change? update NOTEBOOKS in peer_table.py)")
    return {"framework": "rnnlab", "report": report, "seed": seed, "mode": "full", "notebook": e["notebook"],
            "source": os.path.abspath(path), "seconds": e.get("seconds"), "quantities": quantities}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    t = sub.add_parser("table", help="print the peer table from peer records")
    t.add_argument("paths", nargs="+", help="peer records (JSON) or folders of them")
    t.add_argument("--include-quick", action="store_true", help="also use quick-mode records (smoke tests)")
    c = sub.add_parser("from-rnnlab", help="turn an rnnlab run of notebook 09 or 07 into a peer record")
    c.add_argument("source", help="build/.../reproduction.json or notebooks/full-run/<nb>/record.json")
    c.add_argument("--seed", type=int, required=True, help="the RNNLAB_SEED the run was made with")
    c.add_argument("--notebook", choices=sorted(NOTEBOOKS), default=None)
    c.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    try:
        if a.command == "table":
            print(render(collect([(p, load(p)) for p in expand(a.paths)], a.include_quick)))
        else:
            rec = from_rnnlab(a.source, a.seed, a.notebook)
            os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
            with open(a.out, "w", encoding="utf-8") as f:
                json.dump(rec, f, indent=1)
                f.write("\n")
            print(f"{a.out}: rnnlab seed {a.seed}, report {rec['report']}, {len(rec['quantities'])} quantities")
    except BadRecord as e:
        print(f"peer_table: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
