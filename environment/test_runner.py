"""Self-test of the environment, through real Jupyter and the rnnlab kernel: a good notebook (using a
DL4J, a Tribuo and a Tablesaw class with no magic) passes and leaves .ipynb + .html; a failing cell
fails the run naming the notebook and the cell; an unmet output expectation fails it too; in quick
mode an exact reproduction row that differs or a conclusion that fails fails its notebook while the
run goes on, and build/notebooks/reproduction.json is written with every notebook's rows; in full
mode the same table passes and becomes the notebook's full-run record;
re-registering the kernelspec changes nothing; interrupting a running fit ends the cell and keeps the
kernel usable (interrupt_check.py); the kernel and `lab jupyter` work with code and clients nobody here
wrote (interop_check.py); the installer names a missing Java, Maven or Jupyter
and how to install it."""
import json
import os
import subprocess
import sys
import tempfile

import shutil

import nbformat
from jupyter_client.kernelspec import KernelSpecManager

HERE = os.path.dirname(os.path.abspath(__file__))
# The kernelspec under test (run_notebooks.py, kernelspec.py and install.sh read the same variable).
KERNEL = os.environ.get("RNNLAB_KERNEL", "rnnlab")
ROOT = os.path.dirname(HERE)
RUNNER = os.path.join(HERE, "run_notebooks.py")


def notebook(path, cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Java (rnnlab)", "language": "java"}
    for src, expect in cells:
        c = nbformat.v4.new_code_cell(src)
        if expect:
            c.metadata["rnnlab"] = {"expect": expect}
        nb.cells.append(c)
    nbformat.write(nb, path)


def run(paths, out, **env):
    return subprocess.run([sys.executable, RUNNER, "--kernel", KERNEL, "--out", out, *paths], capture_output=True, text=True,
                          env=dict(os.environ, **env) if env else None)


ROW_KEYS = ["quantity", "kind", "report", "recorded_full_run", "this_run", "verdict"]


def reproduction_checks(d, check):
    """Reproduction rows: quick mode fails a notebook on a differing exact row or a failing conclusion,
    goes on with the next notebook and writes reproduction.json; full mode records the run instead."""
    out = os.path.join(d, "out-repro")
    full_runs = os.path.join(d, "full-run")
    env = {"RNNLAB_FULL_RUN_DIR": full_runs, "RNNLAB_FIGURES": os.path.join(d, "figures")}
    table = os.path.join(d, "repro-table.ipynb")
    notebook(table, [('javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(8, 8, 1), "png", '
                      'Lab.figuresDir("repro-table").resolve("tiny.png").toFile());', None),
                     ('Reproduction.of("Runner self-test")\n'
                      '    .exact("same", "1", "1")\n'
                      '    .exact("printout", "[1 2]", "[2 1]")\n'
                      '    .measured("accuracy", 0.9, 0.5, "%.2f")\n'
                      '    .conclusion("A beats B", "0.9 vs 0.6", "0.5 vs 0.7", false)\n'
                      '    .conclusion("A learns", "0.9", "0.8", true)\n'
                      '    .build()', ["A beats B"])])
    plain = os.path.join(d, "no-table.ipynb")
    notebook(plain, [("System.out.println(1 + 1);", ["2"])])
    r = run([table, plain], out, RNNLAB_MODE="quick", **env)
    msg = r.stdout + r.stderr
    check("a differing exact row and a failing conclusion fail the notebook in quick mode, and the run goes on",
          r.returncode == 1 and "notebooks: 1 passed, 1 failed" in r.stdout and "FAILED repro-table" in msg
          and "'printout': differs" in msg and "'A beats B': fails" in msg and "'A learns'" not in msg
          and os.path.exists(os.path.join(out, "no-table.ipynb")), msg)
    path = os.path.join(out, "reproduction.json")
    try:
        with open(path, encoding="utf-8") as f:
            rep = json.load(f)
        nbs = rep["notebooks"]
        rows = nbs[0]["rows"]
        ok = (list(rep) == ["mode", "notebooks"] and rep["mode"] == "quick"
              and [n["notebook"] for n in nbs] == ["repro-table", "no-table"]
              and all(list(n) == ["notebook", "seconds", "rows"] and isinstance(n["seconds"], float) and n["seconds"] > 0
                      for n in nbs)
              and nbs[1]["rows"] == [] and all(list(x) == ROW_KEYS for x in rows)
              and [(x["kind"], x["verdict"]) for x in rows] == [("exact", "identical"), ("exact", "differs"),
                                                               ("number", "Δ -0.40"), ("conclusion", "fails"),
                                                               ("conclusion", "holds")]
              and all(x["recorded_full_run"] is None for x in rows)
              and not any(f.endswith(".tmp") for f in os.listdir(out)))
        detail = json.dumps(rep, ensure_ascii=False, indent=1)
    except (OSError, ValueError, KeyError, IndexError) as e:
        ok, detail = False, f"{path}: {e!r}\n{msg}"
    check("reproduction.json lists every notebook's seconds and rows (quantity, kind, report, recorded_full_run, "
          "this_run, verdict)", ok, detail)

    r = run([table], out, RNNLAB_MODE="full", **env)
    record = os.path.join(full_runs, "repro-table", "record.json")
    try:
        with open(record, encoding="utf-8") as f:
            rec = json.load(f)
        with open(path, encoding="utf-8") as f:
            rep = json.load(f)
        ok = (r.returncode == 0 and rec["mode"] == "full" and rec["notebook"] == "repro-table"
              and len(rec["rows"]) == 5 and rep["mode"] == "full" and rec["figures"] == ["tiny.png"]
              and os.path.exists(os.path.join(full_runs, "repro-table", "tiny.png")))
        detail = r.stdout + r.stderr + json.dumps(rec, ensure_ascii=False)
    except (OSError, ValueError, KeyError) as e:
        ok, detail = False, f"{record}: {e!r}\n{r.stdout}{r.stderr}"
    check("in full mode the same table passes and is recorded as the notebook's full run", ok, detail)

    figs = os.path.join(d, "repro-figures.ipynb")
    notebook(figs, [('FullRun.figures("repro-table")', ["Recorded full run of", "regenerate: RNNLAB_MODE=full environment/lab run repro",
                                                        "data:image/png;base64,"])])
    r = run([table, figs], out, RNNLAB_MODE="quick", **env)
    try:
        with open(path, encoding="utf-8") as f:
            rows = json.load(f)["notebooks"][0]["rows"]
        ok = ([x["recorded_full_run"] for x in rows] == ["1", "[2 1]", "0.50", "0.5 vs 0.7 (fails)", "0.8 (holds)"]
              and "notebooks: 1 passed, 1 failed" in r.stdout)
        detail = json.dumps(rows, ensure_ascii=False) + r.stdout + r.stderr
    except (OSError, ValueError, KeyError, IndexError) as e:
        ok, detail = False, repr(e)
    check("a later quick run shows the recorded full run beside each row, and FullRun.figures shows its PNGs", ok, detail)
    if os.path.exists(record):
        reproduction_md_checks(d, record, check)


def reproduction_md_checks(d, record, check):
    """REPRODUCTION.md's generated section, from a record the kernel wrote: rendered between the markers,
    prose kept, --check fails when stale; a malformed record or missing markers are named."""
    script = os.path.join(HERE, "reproduction_md.py")
    root = os.path.join(d, "md-root")
    folder = os.path.join(root, "notebooks", "full-run", "repro-table")
    os.makedirs(folder)
    shutil.copy(record, os.path.join(folder, "record.json"))
    md = os.path.join(root, "REPRODUCTION.md")
    import reproduction_md
    with open(md, "w", encoding="utf-8") as f:
        f.write(f"# Prose before\n\n{reproduction_md.BEGIN}\nold text\n{reproduction_md.END}\n\nProse after.\n")

    def md_run(*args):
        return subprocess.run([sys.executable, script, "--root", root, *args], capture_output=True, text=True)

    stale = md_run("--check")
    write = md_run()
    text = open(md, encoding="utf-8").read()
    fresh = md_run("--check")
    check("reproduction_md.py renders each record between the markers and --check passes only when fresh",
          stale.returncode == 1 and "stale" in stale.stderr and write.returncode == 0 and fresh.returncode == 0
          and text.startswith("# Prose before\n") and text.endswith("\n\nProse after.\n") and "old text" not in text
          and "| quantity | report | recorded full run | verdict |" in text
          and "| printout | [1 2] | [2 1] | differs |" in text and "| conclusion: A beats B | 0.9 vs 0.6 | 0.5 vs 0.7 | fails |" in text
          and "RNNLAB_MODE=full environment/lab run repro" in text,
          stale.stdout + stale.stderr + write.stdout + write.stderr + fresh.stdout + fresh.stderr + text)
    with open(os.path.join(folder, "record.json"), encoding="utf-8") as f:
        rec = json.load(f)
    rec["rows"][0]["this_run"] = "2"
    with open(os.path.join(folder, "record.json"), "w", encoding="utf-8") as f:
        json.dump(rec, f)
    changed = md_run("--check")
    with open(os.path.join(folder, "record.json"), "w", encoding="utf-8") as f:
        f.write('{"notebook": "repro-table", ')
    bad = md_run("--check")
    os.remove(os.path.join(folder, "record.json"))
    with open(md, "w", encoding="utf-8") as f:
        f.write("no markers here\n")
    nomarkers = md_run("--check")
    check("reproduction_md.py --check fails on a changed record, names a malformed record and missing markers",
          changed.returncode == 1 and bad.returncode == 2 and "record.json: not valid JSON" in bad.stderr
          and nomarkers.returncode == 2 and "markers" in nomarkers.stderr,
          changed.stderr + bad.stderr + nomarkers.stderr)


def main():
    results = []

    def check(name, ok, detail=""):
        results.append(ok)
        print(f"{'PASS' if ok else 'FAIL'} {name}" + ("" if ok else f"\n{detail}"), flush=True)

    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "out")
        good = os.path.join(d, "good.ipynb")
        notebook(good, [("var a = Nd4j.ones(2, 2);\nSystem.out.println(a.sumNumber());", ["4.0"]),
                        ("var conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().list()"
                         ".layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(2).nOut(1).build()).build();\n"
                         "var label = new org.tribuo.classification.Label(\"pos\");\n"
                         "System.out.println(new MultiLayerNetwork(conf).getClass().getSimpleName() + \" \" + label.getLabel());",
                         ["MultiLayerNetwork pos"]),
                        ("import tech.tablesaw.api.*;\nTable.create(\"t\").addColumns(IntColumn.create(\"x\", new int[]{7}))", ["<table"])])
        r = run([good], out)
        check("a good notebook passes and is exported",
              r.returncode == 0 and os.path.exists(os.path.join(out, "good.ipynb"))
              and os.path.exists(os.path.join(out, "good.html")), r.stdout + r.stderr)

        bad = os.path.join(d, "bad-cell.ipynb")
        notebook(bad, [("int x = 1;", None), ("throw new IllegalStateException(\"boom from cell two\");", None),
                       ("System.out.println(\"never\");", None)])
        r = run([bad], out)
        msg = r.stdout + r.stderr
        check("a failing cell fails the run with notebook, cell and error",
              r.returncode == 1 and "bad-cell: cell 2" in msg and "boom from cell two" in msg, msg)
        saved = nbformat.read(os.path.join(out, "bad-cell.ipynb"), 4)
        check("the partly executed notebook is still written",
              saved.cells[0].get("execution_count") is not None, json.dumps(saved.cells[0]))

        unmet = os.path.join(d, "unmet.ipynb")
        notebook(unmet, [("System.out.println(\"Total params: 1\");", ["Total params: 2"])])
        r = run([unmet], out)
        msg = r.stdout + r.stderr
        check("an unmet expectation fails the run", r.returncode == 1 and "unmet: cell 1" in msg
              and "Total params: 2" in msg, msg)

        reproduction_checks(d, check)

    ksm = KernelSpecManager()
    spec_dir = ksm.find_kernel_specs().get(KERNEL)
    check(f"the {KERNEL} kernelspec is registered", spec_dir is not None)
    if spec_dir:
        before = open(os.path.join(spec_dir, "kernel.json")).read()
        subprocess.run([sys.executable, os.path.join(HERE, "kernelspec.py"), "--project", ROOT, "--name", KERNEL],
                       check=True, capture_output=True)
        after = open(os.path.join(spec_dir, "kernel.json")).read()
        check("re-registering the kernelspec changes nothing", before == after)

    # Jupyter's interrupt (the stop button): the cell ends, the rest of it is skipped, the kernel lives on.
    from interrupt_check import run_checks
    run_checks(KERNEL, check)

    # Other people's code and clients: Tribuo-style notebooks, %dependency clashes, text/plain, lab
    # jupyter as root with its token, lab bench without PyTorch (issue 19).
    from interop_check import run_checks as run_interop_checks
    run_interop_checks(KERNEL, check)

    # The installer, on a PATH that lacks one tool at a time, names it and says how to install it.
    with tempfile.TemporaryDirectory() as d:
        base = ["bash", "dirname", "dpkg-query", "grep", "id", "sed", "cat", "printf"]
        for missing, words in (("java", "Java not found"), ("mvn", "Maven not found"), ("jupyter", "Jupyter not found")):
            bindir = os.path.join(d, "bin-" + missing)
            os.makedirs(bindir)
            tools = base + [t for t in ("java", "mvn", "jupyter") if t != missing]
            for t in tools:
                real = shutil.which(t)
                if real:
                    os.symlink(real, os.path.join(bindir, t))
            r = subprocess.run([os.path.join(bindir, "bash"), os.path.join(HERE, "install.sh")], capture_output=True,
                               text=True, env={"PATH": bindir, "HOME": os.environ.get("HOME", d), "RNNLAB_SKIP_APT": "1"})
            check(f"the installer names a missing {missing} and how to install it",
                  r.returncode != 0 and words in r.stderr and "install" in r.stderr.split(words, 1)[1],
                  r.stdout + r.stderr)

    failed = results.count(False)
    print(f"runner: {len(results) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
