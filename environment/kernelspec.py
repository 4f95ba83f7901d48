"""Registers the 'rnnlab' Jupyter kernelspec: the rapaio Java kernel with the helper library and
all its dependencies on the classpath, DL4J-friendly memory limits and the rnnlab start-up script.

Re-running rewrites the same kernelspec (jupyter kernelspec install --replace), so it is harmless.
Memory limits can be set at install time:
  RNNLAB_KERNEL_HEAP       JVM heap, e.g. 4g (default: a quarter of RAM, between 1g and 4g)
  RNNLAB_KERNEL_OFFHEAP    ND4J/JavaCPP off-heap limit, e.g. 8G (default: half of RAM, at most 12G)
  RNNLAB_KERNEL_THREADS    ND4J's OpenMP threads (default: the number of cores)
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile


def ram_bytes():
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return 8 << 30


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--project", required=True, help="the rnnlab project folder")
    ap.add_argument("--name", default="rnnlab")
    ap.add_argument("--print", action="store_true", help="print kernel.json instead of installing it")
    a = ap.parse_args()

    root = os.path.abspath(a.project)
    target = os.path.join(root, "lib-src", "target")
    kernel_jar = os.path.join(target, "kernel", "rapaio-jupyter-kernel.jar")
    lib_jar = os.path.join(target, "rnnlab.jar")
    libdir = os.path.join(target, "lib")
    for p in (kernel_jar, lib_jar, libdir):
        if not os.path.exists(p):
            sys.exit(f"rnnlab: {p} is missing: build the library first (mvn package in {root})")
    deps = sorted(os.path.join(libdir, f) for f in os.listdir(libdir) if f.endswith(".jar"))
    # The kernel JVM loads our classes from the application class path (so the kernel's display
    # service finds rnnlab's renderers); JShell compiles against the same jars via RJK_CLASSPATH.
    compile_cp = [lib_jar] + deps
    run_cp = [kernel_jar] + compile_cp

    gib = 1 << 30
    ram = ram_bytes()
    heap = os.environ.get("RNNLAB_KERNEL_HEAP") or f"{max(1, min(4, ram // (4 * gib)))}g"
    offheap = os.environ.get("RNNLAB_KERNEL_OFFHEAP") or f"{max(2, min(12, ram // (2 * gib)))}G"
    threads = os.environ.get("RNNLAB_KERNEL_THREADS") or str(os.cpu_count() or 2)
    java = shutil.which("java") or "java"
    java_home = os.environ.get("JAVA_HOME")
    if java_home and os.path.exists(os.path.join(java_home, "bin", "java")):
        java = os.path.join(java_home, "bin", "java")

    spec = {
        "argv": [
            java,
            f"-Xmx{heap}",
            f"-Dorg.bytedeco.javacpp.maxbytes={offheap}",
            f"-Dorg.bytedeco.javacpp.maxphysicalbytes={offheap}",
            "-XX:+UseParallelGC",
            "-Dfile.encoding=UTF-8",
            "-Djava.awt.headless=true",
            "-cp", os.pathsep.join(run_cp),
            "rnnlab.notebook.kernel.KernelLauncher",
            "{connection_file}",
        ],
        "display_name": "Java (rnnlab)",
        "language": "java",
        "interrupt_mode": "message",
        "env": {
            "RJK_CLASSPATH": os.pathsep.join(compile_cp),
            "RJK_INIT_SCRIPT": os.path.join(root, "environment", "init.jshell"),
            "RJK_COMPILER_OPTIONS": "",
            "RJK_TIMEOUT_MILLIS": "-1",
            "RJK_MIMA_CACHE": os.path.join(os.path.expanduser("~"), ".cache", "rnnlab", "mima_cache"),
            "RNNLAB_HOME": root,
            # Idle OpenMP threads sleep instead of spinning: spinning made training steps 4-30x
            # slower and erratic on a 2-core machine (lib-src/bench/BACKEND.md).
            "OMP_NUM_THREADS": threads,
            "OMP_WAIT_POLICY": "PASSIVE",
        },
        "metadata": {"rnnlab": {"project": root}},
    }
    if a.print:
        print(json.dumps(spec, indent=2))
        return
    with tempfile.TemporaryDirectory() as d:
        kdir = os.path.join(d, a.name)
        os.makedirs(kdir)
        with open(os.path.join(kdir, "kernel.json"), "w") as f:
            json.dump(spec, f, indent=2)
        cmd = [sys.executable, "-m", "jupyter_client.kernelspecapp", "install", "--user", "--replace",
               "--name", a.name, kdir]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"rnnlab: registering the kernelspec failed: {r.stderr.strip()}")
    print(f"rnnlab: kernelspec '{a.name}' installed (heap {heap}, off-heap {offheap}, {threads} threads)", file=sys.stderr)


if __name__ == "__main__":
    main()
