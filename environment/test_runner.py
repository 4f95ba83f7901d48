"""Self-test of the environment, through real Jupyter and the rnnlab kernel: a good notebook (using a
DL4J, a Tribuo and a Tablesaw class with no magic) passes and leaves .ipynb + .html; a failing cell
fails the run naming the notebook and the cell; an unmet output expectation fails it too;
re-registering the kernelspec changes nothing; interrupting a running fit ends the cell and keeps the
kernel usable (interrupt_check.py); the installer names a missing Java, Maven or Jupyter
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


def run(paths, out):
    return subprocess.run([sys.executable, RUNNER, "--kernel", KERNEL, "--out", out, *paths], capture_output=True, text=True)


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
                        ("Table.create(\"t\").addColumns(IntColumn.create(\"x\", new int[]{7}))", ["<table"])])
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
