"""Executes rnnlab notebooks headlessly through real Jupyter (nbclient + the 'rnnlab' kernel).

For each notebook it writes the executed notebook and an HTML export to build/notebooks/, and
checks the expectations a cell declares in its metadata:
    "rnnlab": {"expect": ["Total params: 322,113", ...]}   each string must appear in the cell's output
A failing cell or a missing expectation stops the run with the notebook name, the cell number and
the error; the partly executed notebook is still written so nothing computed is lost.

Each notebook's reproduction table (rnnlab.notebook.Reproduction) leaves its rows in
<out>/<notebook>.rows.json (the kernel gets RNNLAB_RUN_DIR=<out>); after every notebook the runner
rewrites <out>/reproduction.json:
    {"mode": "quick"|"full", "notebooks": [{"notebook": "05-simplernn-imdb", "seconds": 13.2,
      "rows": [{"quantity", "kind", "report", "recorded_full_run", "this_run", "verdict"}, ...]}]}
In quick mode an exact row that "differs" or a conclusion that "fails" fails that notebook; the run
goes on with the remaining notebooks and exits 1 at the end. In full mode each table rewrites its
notebook's record in notebooks/full-run/, and at the end REPRODUCTION.md's generated section is
brought up to date from those records (environment/reproduction_md.py).

    run_notebooks.py [--timeout SECONDS] [--kernel NAME] [NOTEBOOK.ipynb ...]   (default: every notebooks/*.ipynb)

--kernel (or the RNNLAB_KERNEL environment variable) picks another kernelspec than 'rnnlab', e.g. one
registered from a second checkout with `RNNLAB_KERNEL=rnnlab-dev environment/install.sh`.
"""
import argparse
import glob
import json
import os
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter


def cell_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        elif out.get("output_type") in ("execute_result", "display_data"):
            data = out.get("data", {})
            parts.append(data.get("text/plain", ""))
            parts.append(data.get("text/html", ""))
        elif out.get("output_type") == "error":
            parts.append(out.get("ename", "") + ": " + out.get("evalue", ""))
    return "\n".join(p if isinstance(p, str) else "".join(p) for p in parts)


def write_outputs(nb, name, outdir):
    os.makedirs(outdir, exist_ok=True)
    path = os.path.join(outdir, name + ".ipynb")
    nbformat.write(nb, path)
    html, _ = HTMLExporter().from_notebook_node(nb)
    with open(os.path.join(outdir, name + ".html"), "w", encoding="utf-8") as f:
        f.write(html)
    return path


def run_one(path, outdir, timeout, kernel, attempts=8):
    """Runs one notebook. A kernel that does not answer within 30 s is started again (up to
    eight starts; a healthy one answers in 2-10 s). rapaio-jupyter-kernel 3.0.1 used to lose a
    socket loop thread in about one start in four; rnnlab.kernel.KernelLauncher now
    prevents that, and this retry only remains as a safety net for a start that fails anyway
    (environment/kernel_starts.py measures how often). A failing cell is never retried."""
    for attempt in range(1, attempts + 1):
        try:
            return _run_once(path, outdir, timeout, kernel)
        except RuntimeError as e:
            # "didn't respond": the kernel runs but its shell loop does not; "died before
            # replying": the kernel process ended (with upstream's loop race, when all three of
            # its loop threads were lost, main's joinUntilClose returned and the JVM exited).
            silent = "didn't respond" in str(e) or "died before replying" in str(e)
            if not silent or attempt == attempts:
                raise
            print(f"rnnlab:   the kernel did not start ({e}); trying once more", file=sys.stderr, flush=True)


def _run_once(path, outdir, timeout, kernel):
    name = os.path.splitext(os.path.basename(path))[0]
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name=kernel, timeout=timeout, allow_errors=False, startup_timeout=30,
                     resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    failure = None
    t0 = time.time()
    code_no = 0
    os.makedirs(outdir, exist_ok=True)
    rows_path = rows_file(outdir, name)
    if os.path.exists(rows_path):
        os.remove(rows_path)   # a stale table of an earlier run must not stand in for this one's
    log_path = os.path.join(outdir, name + ".kernel.log")
    log = open(log_path, "w", encoding="utf-8")
    env = dict(os.environ, RNNLAB_NOTEBOOK=name, RNNLAB_RUN_DIR=os.path.abspath(outdir))
    with log, client.setup_kernel(env=env, stdout=log, stderr=log):
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            code_no += 1
            try:
                client.execute_cell(cell, index)
            except (CellExecutionError, CellTimeoutError, DeadKernelError) as e:
                failure = f"{name}: cell {code_no} (cell index {index}) failed:\n{e}"
                if isinstance(e, DeadKernelError):
                    failure += f"\n(the kernel died; its log is {log_path})"
                break
            nbformat.write(nb, os.path.join(outdir, name + ".ipynb"))  # progress of a long run, cell by cell
            expect = cell.get("metadata", {}).get("rnnlab", {}).get("expect", [])
            text = cell_text(cell)
            missing = [s for s in expect if s not in text]
            if missing:
                failure = (f"{name}: cell {code_no} (cell index {index}) ran, but its output lacks "
                           f"the expected text: {missing!r}\n--- output was ---\n{text[:2000]}")
                break
    out = write_outputs(nb, name, outdir)
    return failure, time.time() - t0, out


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def rows_file(outdir, name):
    return os.path.join(outdir, name + ".rows.json")


def read_rows(outdir, name):
    """The rows the notebook's reproduction table left, or [] when it has none (or did not get that far)."""
    path = rows_file(outdir, name)
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        data = json.load(f)   # ValueError when it is not JSON: the caller fails the notebook
    keys = ("quantity", "kind", "report", "recorded_full_run", "this_run", "verdict")
    return [{k: r.get(k) for k in keys} for r in data.get("rows", [])]


def failed_rows(rows):
    """What fails a quick-mode run: exact rows that differ and conclusions that fail."""
    return [r for r in rows if (r["kind"], r["verdict"]) in (("exact", "differs"), ("conclusion", "fails"))]


def write_json_atomically(path, data):
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path), suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=1)
            f.write("\n")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def resolve(name):
    """A notebook path, or a name in notebooks/: '06-lstm-imdb', '06-lstm-imdb.ipynb' or just '06'."""
    if os.path.isfile(name):
        return name
    shipped = sorted(glob.glob(os.path.join(ROOT, "notebooks", "*.ipynb")))
    stem = os.path.basename(name)
    stem = stem[:-len(".ipynb")] if stem.endswith(".ipynb") else stem
    hits = [p for p in shipped if os.path.basename(p)[:-len(".ipynb")] == stem]
    hits = hits or [p for p in shipped if os.path.basename(p).startswith(stem + "-")]
    if len(hits) == 1:
        return hits[0]
    names = ", ".join(os.path.basename(p)[:-len(".ipynb")] for p in shipped)
    sys.exit(f"rnnlab: no such notebook: {name}; give a path or one of: {names}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("notebooks", nargs="*")
    # A full-mode fit cell runs for tens of minutes (notebook 04: 50 epochs of ~38 s per model, more on
    # a shared machine), so the default limit per cell is 30 minutes in quick mode and 24 hours in full.
    full = os.environ.get("RNNLAB_MODE", "quick").strip().lower() == "full"
    ap.add_argument("--timeout", type=int,
                    default=int(os.environ.get("RNNLAB_CELL_TIMEOUT", "86400" if full else "1800")),
                    help="seconds one cell may run (default 1800 in quick mode, 86400 in full mode; RNNLAB_CELL_TIMEOUT)")
    ap.add_argument("--kernel", default=os.environ.get("RNNLAB_KERNEL", "rnnlab"),
                    help="kernelspec to run them on (default rnnlab; RNNLAB_KERNEL)")
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "notebooks"))
    a = ap.parse_args()
    paths = a.notebooks or sorted(glob.glob(os.path.join(ROOT, "notebooks", "*.ipynb")))
    if not paths:
        sys.exit("rnnlab: no notebooks found in notebooks/")
    paths = [resolve(p) for p in paths]
    mode = (os.environ.get("RNNLAB_MODE") or "quick").strip().lower()
    if mode not in ("quick", "full"):
        sys.exit(f"rnnlab: RNNLAB_MODE is '{mode}'; allowed values: quick, full")
    total = time.time()
    record = {"mode": mode, "notebooks": []}
    record_path = os.path.join(a.out, "reproduction.json")
    passed, failed = 0, []

    def finish(code):
        write_json_atomically(record_path, record)
        print(f"rnnlab: {len(record['notebooks'])} notebooks in {time.time() - total:.1f}s total; outputs in {a.out}; "
              f"reproduction rows in {record_path}")
        if mode == "full" and not os.environ.get("RNNLAB_FULL_RUN_DIR"):
            # the full runs rewrote notebooks/full-run: REPRODUCTION.md's generated section follows them
            import reproduction_md
            if reproduction_md.main(["--root", ROOT]) != 0:
                code = 1
        if failed:
            print("rnnlab: failed: " + ", ".join(failed), file=sys.stderr, flush=True)
        print(f"notebooks: {passed} passed, {len(failed)} failed")
        sys.exit(code)

    for p in paths:
        name = os.path.splitext(os.path.basename(p))[0]
        print(f"rnnlab: running {os.path.basename(p)} ({mode} mode)", flush=True)
        failure, secs, out = run_one(p, a.out, a.timeout, a.kernel)
        try:
            rows = read_rows(a.out, name)
        except ValueError as e:
            rows = []
            failure = failure or (f"{name}: its reproduction rows {rows_file(a.out, name)} are not valid JSON ({e}); "
                                  "they are written by rnnlab.notebook.Reproduction.build()")
        record["notebooks"].append({"notebook": name, "seconds": round(secs, 1), "rows": rows})
        write_json_atomically(record_path, record)   # progress of a long run, notebook by notebook
        if failure:
            print(f"rnnlab: FAILED after {secs:.0f}s; partial output in {out}\n{failure}", file=sys.stderr, flush=True)
            failed.append(name)
            finish(1)
        bad = failed_rows(rows) if mode == "quick" else []
        if bad:
            lines = "\n".join(f"  - {r['kind']} row '{r['quantity']}': {r['verdict']} (report {r['report']!r}, "
                              f"this run {r['this_run']!r})" for r in bad)
            print(f"rnnlab: FAILED {name} after {secs:.1f}s: its reproduction table has {len(bad)} row(s) that must "
                  f"hold in quick mode (exact rows identical, conclusions holding):\n{lines}\n"
                  f"  output in {out}", file=sys.stderr, flush=True)
            failed.append(name)
            continue
        passed += 1
        print(f"rnnlab:   ok in {secs:.1f}s -> {out}", flush=True)
    finish(1 if failed else 0)


if __name__ == "__main__":
    main()
