"""Measures a kernel's resident memory while it runs notebooks: peak RSS (the JVM's VmHWM) during each
notebook and idle RSS (VmRSS) --idle seconds after its last cell, plus the notebook's wall seconds, for
one or more JVM settings. Each setting is the kernelspec that environment/kernelspec.py writes, with
options added (--add=-XX:+UseG1GC), options removed by prefix (--drop=-XX:+UseParallelGC) and
environment variables set (--env MALLOC_ARENA_MAX=2); it is installed under --kernel (never 'rnnlab')
and started fresh for every notebook, in quick mode; at the end the plain kernelspec is registered again. Not part of `lab test` (it takes minutes).

    kernel_memory.py --kernel rnnlab-mem [--idle 60] [--label NAME --add OPT ... --drop PREFIX ... --env K=V ...]
                     NOTEBOOK ...

Prints one line per notebook: label, notebook, ok, wall seconds, peak MB, idle MB (README, "Kernel memory (measured)").
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

import nbformat
from jupyter_client import KernelManager
from nbclient import NotebookClient

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from classroom import status_kb  # noqa: E402  (one reader of /proc/<pid>/status)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def install(kernel, add, drop, env):
    if kernel == "rnnlab":
        sys.exit("kernel_memory: refusing to overwrite the shared 'rnnlab' kernelspec; name another with --kernel")
    r = subprocess.run([sys.executable, os.path.join(ROOT, "environment", "kernelspec.py"), "--project", ROOT,
                        "--name", kernel, "--print"], capture_output=True, text=True, check=True)
    spec = json.loads(r.stdout)
    argv = spec["argv"]
    java, rest = argv[0], [o for o in argv[1:] if not any(o.startswith(p) for p in drop)]
    spec["argv"] = [java, *add, *rest]
    spec["env"].update(env)
    with tempfile.TemporaryDirectory() as d:
        kdir = os.path.join(d, kernel)
        os.makedirs(kdir)
        with open(os.path.join(kdir, "kernel.json"), "w") as f:
            json.dump(spec, f, indent=2)
        subprocess.run([sys.executable, "-m", "jupyter_client.kernelspecapp", "install", "--user", "--replace",
                        "--name", kernel, kdir], capture_output=True, text=True, check=True)
    return spec


def run(path, kernel, idle, outdir):
    """Runs one notebook in a fresh kernel; returns the result and a thread that, --idle seconds after
    the last cell, reads the idle RSS and shuts the kernel down (the next notebook runs meanwhile: an
    idle kernel takes no CPU from it)."""
    name = os.path.splitext(os.path.basename(path))[0]
    nb = nbformat.read(path, as_version=4)
    env = dict(os.environ, RNNLAB_NOTEBOOK=name, RNNLAB_RUN_DIR=outdir, RNNLAB_MODE="quick")
    log = open(os.path.join(outdir, name + ".kernel.log"), "w")
    km = KernelManager(kernel_name=kernel)
    km.start_kernel(env=env, stdout=log, stderr=log)
    client = NotebookClient(nb, km=km, timeout=1800, allow_errors=False, startup_timeout=60,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    pid = km.provisioner.process.pid
    res = {"notebook": name, "ok": False}
    with client.setup_kernel():   # the client does not own km: the kernel outlives this block
        t0 = time.time()
        try:
            for i, cell in enumerate(nb.cells):
                if cell.cell_type == "code":
                    client.execute_cell(cell, i)
            res["ok"] = True
        except Exception as e:   # reported; the measurement goes on with the next notebook
            res["error"] = str(e)[-300:]
        res["wall_s"] = round(time.time() - t0, 1)
    res["peak_mb"] = round((status_kb(pid, "VmHWM") or 0) / 1024)
    res["end_mb"] = round((status_kb(pid, "VmRSS") or 0) / 1024)

    def settle():
        time.sleep(idle)
        res["idle_mb"] = round((status_kb(pid, "VmRSS") or 0) / 1024)
        res["peak_mb"] = max(res["peak_mb"], round((status_kb(pid, "VmHWM") or 0) / 1024))
        km.shutdown_kernel(now=True)
        log.close()
    t = threading.Thread(target=settle)
    t.start()
    return res, t


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--idle", type=float, default=60)
    ap.add_argument("--label", default="default")
    ap.add_argument("--add", action="append", default=[])
    ap.add_argument("--drop", action="append", default=[])
    ap.add_argument("--env", action="append", default=[])
    ap.add_argument("notebooks", nargs="+")
    a = ap.parse_args()
    env = dict(kv.split("=", 1) for kv in a.env)
    install(a.kernel, a.add, a.drop, env)
    outdir = tempfile.mkdtemp(prefix="kernel-memory-")
    runs = []
    for nb in a.notebooks:
        path = nb if os.path.exists(nb) else next(os.path.join(ROOT, "notebooks", f) for f in sorted(
            os.listdir(os.path.join(ROOT, "notebooks"))) if f.startswith(nb) and f.endswith(".ipynb"))
        runs.append(run(path, a.kernel, a.idle, outdir))
    for r, t in runs:
        t.join()
        print(json.dumps({"label": a.label, **r}), flush=True)
    install(a.kernel, [], [], {})   # the kernelspec as kernelspec.py writes it again


if __name__ == "__main__":
    main()
