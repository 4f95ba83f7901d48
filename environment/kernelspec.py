"""Registers the 'rnnlab' Jupyter kernelspec: the rapaio Java kernel started by rnnlab's launcher
(lib-src/kernel/target/rnnlab-kernel.jar), with the helper library and all its dependencies on the
classpath, DL4J-friendly memory limits and the rnnlab start-up script.

Re-running rewrites the same kernelspec (jupyter kernelspec install --replace), so it is harmless.
Memory limits can be set at install time:
  RNNLAB_KERNEL_HEAP       JVM heap, e.g. 4g (default: a quarter of RAM, between 1g and 4g)
  RNNLAB_KERNEL_OFFHEAP    ND4J/JavaCPP off-heap limit, e.g. 8G (default: half of RAM, at most 12G)
  RNNLAB_KERNEL_THREADS    ND4J's OpenMP threads (default: the number of cores)

Start-up: the JVM maps a class-data archive (AppCDS) of the classes a kernel loads, made by
environment/kernel_archive.py (install.sh runs it) as lib-src/kernel/target/<name>.jsa. The kernel
starts without it (the JDK's own archive is named first, so a missing or stale top archive only
costs speed; a stale one logs one "[cds,dynamic] Unable to use shared archive" warning).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


def ram_bytes():
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return 8 << 30


# The kernel's main class, in lib-src/kernel (rnnlab-kernel.jar); kernel_archive.py finds the JVM options before it.
LAUNCHER = "rnnlab.kernel.KernelLauncher"

JIT_STARTUP = ["-XX:Tier4InvocationThreshold=150000", "-XX:Tier4MinInvocationThreshold=18000",
               "-XX:Tier4CompileThreshold=450000", "-XX:Tier4BackEdgeThreshold=1200000"]


def java_home(java):
    """The JDK home of the java executable, from its own settings (None if it cannot say)."""
    try:
        r = subprocess.run([java, "-XshowSettings:properties", "-version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r"^\s*java\.home = (.+)$", r.stderr, re.M)
    return m.group(1).strip() if m else None


def size_bytes(s):
    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
    s = s.strip().lower()
    return int(s[:-1]) * units[s[-1]] if s and s[-1] in units else int(s)


def archive_option(java, heap, archive):
    """-XX:SharedArchiveFile=<JDK's base archive>:<our dynamic archive>, or None when the JDK has no base
    archive (a dynamic archive needs one). Naming the base first keeps the JDK's default sharing when
    ours is missing or stale. Heaps of 32 GB and more run without compressed oops: another base."""
    home = java_home(java)
    if not home:
        return None
    base = os.path.join(home, "lib", "server", "classes_nocoops.jsa" if size_bytes(heap) >= 32 << 30 else "classes.jsa")
    return f"-XX:SharedArchiveFile={base}:{archive}" if os.path.isfile(base) else None


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--project", required=True, help="the rnnlab project folder")
    ap.add_argument("--name", default="rnnlab")
    ap.add_argument("--print", action="store_true", help="print kernel.json instead of installing it")
    ap.add_argument("--prefix", help="install under PREFIX/share/jupyter/kernels instead of the user's own kernels "
                    "(for every user: /usr/local, or a folder named in their JUPYTER_PATH; environment/hub.py uses it)")
    a = ap.parse_args()

    root = os.path.abspath(a.project)
    target = os.path.join(root, "lib-src", "target")
    kernel_target = os.path.join(root, "lib-src", "kernel", "target")
    launcher_jar = os.path.join(kernel_target, "rnnlab-kernel.jar")
    kernel_libdir = os.path.join(kernel_target, "lib")
    lib_jar = os.path.join(target, "rnnlab.jar")
    libdir = os.path.join(target, "lib")
    for p in (launcher_jar, kernel_libdir, lib_jar, libdir):
        if not os.path.exists(p):
            sys.exit(f"rnnlab: {p} is missing: build the library and the kernel first (mvn -B package -DskipTests in {root})")
    jars = lambda d: sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".jar"))
    deps = jars(libdir)
    # rapaio-jupyter-kernel (and any other jar the kernel module needs beyond the library's)
    kernel_deps = jars(kernel_libdir)
    if not any(os.path.basename(j).startswith("rapaio-jupyter-kernel") for j in kernel_deps):
        sys.exit(f"rnnlab: no rapaio-jupyter-kernel jar in {kernel_libdir}: rebuild (mvn -B package -DskipTests in {root})")
    # The kernel JVM loads our classes from the application class path (so the kernel's display
    # service finds rnnlab's renderers in rnnlab-kernel.jar); JShell compiles against the library's
    # jars only (RJK_CLASSPATH), so a cell sees rnnlab.jar, never the launcher's classes.
    compile_cp = [lib_jar] + deps
    run_cp = kernel_deps + [launcher_jar] + compile_cp

    gib = 1 << 30
    ram = ram_bytes()
    heap = os.environ.get("RNNLAB_KERNEL_HEAP") or f"{max(1, min(4, ram // (4 * gib)))}g"
    offheap = os.environ.get("RNNLAB_KERNEL_OFFHEAP") or f"{max(2, min(12, ram // (2 * gib)))}G"
    threads = os.environ.get("RNNLAB_KERNEL_THREADS") or str(os.cpu_count() or 2)
    java = shutil.which("java") or "java"
    java_home = os.environ.get("JAVA_HOME")
    if java_home and os.path.exists(os.path.join(java_home, "bin", "java")):
        java = os.path.join(java_home, "bin", "java")

    archive = os.path.join(kernel_target, f"{a.name}.jsa")
    cds = archive_option(java, heap, archive)

    spec = {
        "argv": [
            java,
            *([cds] if cds else []),
            f"-Xmx{heap}",
            f"-Dorg.bytedeco.javacpp.maxbytes={offheap}",
            f"-Dorg.bytedeco.javacpp.maxphysicalbytes={offheap}",
            "-XX:+UseParallelGC",
            # C2 compiles a method after 30x the usual calls/loop iterations (C1 still compiles at
            # the usual counts): a fresh kernel spent ~1 s of CPU C2-compiling JShell's compiler and
            # the JDK code it calls before its first cell answered; training steps measured the same
            # (lib-src/bench/BACKEND.md, "Kernel start-up").
            *JIT_STARTUP,
            # the Vector API for the convolution layers' loops, and their early compilation (the file says why)
            "@" + os.path.join(root, "lib-src", "jvm", "vector-api.args"),
            "-Dfile.encoding=UTF-8",
            "-Djava.awt.headless=true",
            "-cp", os.pathsep.join(run_cp),
            LAUNCHER,
            "{connection_file}",
        ],
        # a second checkout's kernelspec (RNNLAB_KERNEL=name) shows under its own name in Jupyter's menu
        "display_name": "Java (rnnlab)" if a.name == "rnnlab" else f"Java ({a.name})",
        "language": "java",
        "interrupt_mode": "message",
        "env": {
            "RJK_CLASSPATH": os.pathsep.join(compile_cp),
            "RJK_INIT_SCRIPT": os.path.join(root, "environment", "init.jshell"),
            "RJK_COMPILER_OPTIONS": "",
            "RJK_TIMEOUT_MILLIS": "-1",
            "RNNLAB_HOME": root,
            # Idle OpenMP threads sleep instead of spinning: spinning made training steps 4-30x
            # slower and erratic on a 2-core machine (lib-src/bench/BACKEND.md).
            "OMP_NUM_THREADS": threads,
            "OMP_WAIT_POLICY": "PASSIVE",
        },
        "metadata": {"rnnlab": {"project": root, **({"class_archive": archive} if cds else {})}},
    }
    if a.print:
        print(json.dumps(spec, indent=2))
        return
    with tempfile.TemporaryDirectory() as d:
        kdir = os.path.join(d, a.name)
        os.makedirs(kdir)
        with open(os.path.join(kdir, "kernel.json"), "w") as f:
            json.dump(spec, f, indent=2)
        where = ["--prefix", os.path.abspath(a.prefix)] if a.prefix else ["--user"]
        cmd = [sys.executable, "-m", "jupyter_client.kernelspecapp", "install", *where, "--replace",
               "--name", a.name, kdir]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"rnnlab: registering the kernelspec failed: {r.stderr.strip()}")
    print(f"rnnlab: kernelspec '{a.name}' installed (heap {heap}, off-heap {offheap}, {threads} threads)", file=sys.stderr)


if __name__ == "__main__":
    main()
