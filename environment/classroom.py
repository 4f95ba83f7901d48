"""Classroom load test of `environment/lab hub` (`environment/lab classroom-test`; not part of `lab test`; root).

    classroom.py [--students 24] [--notebooks 01,02,...,09] [--idle-wait 60] [--cell-timeout 1800] [--no-append]

N throw-away students (environment/hub.py users add) each start their server through the hub's REST API
and run a quick-mode notebook through a real kernel and the hub's proxy (student i runs the i-th notebook
of --notebooks, round robin), all at the same time. First, each notebook of the mix runs once alone on
the same hub, for its wall time alone. Measured per student, from /proc: the kernel JVM's peak resident
memory (VmHWM, the kernel's own high-water mark, read after its notebook and again after the idle wait)
and the notebook server's; the kernel's resident memory
(VmRSS) after the notebook finished and --idle-wait seconds passed. Reported: the medians and maxima,
each notebook's wall time in the class against alone, failures, and the largest class this machine's
memory holds: MemAvailable before the test / the median student's peak (kernel + server).
Appends to BENCHMARKS.md the line
    classroom students=N ok=K kernel_rss_mb_median=X idle_rss_mb_median=Y
and a table (unless --no-append). Everything is removed afterwards, as in hub_test.py.
"""
import argparse
import asyncio
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import hub  # noqa: E402
import hub_test as ht  # noqa: E402

ROOT = ht.ROOT


def meminfo(key):
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) << 10
    raise RuntimeError(f"no {key} in /proc/meminfo")


def status_kb(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def procs(user):
    """(kernel JVM pids, notebook server pids) of the student."""
    uid = ht.pwd.getpwnam(user).pw_uid
    ps = ht.pids_of(uid)
    return [p for p, c in ps if "java" in c.split(" ")[0]], [p for p, c in ps if "jupyterhub-singleuser" in c]


def mb(kb):
    return kb / 1024 if kb is not None else None


async def one(h, user, nb, timeout):
    """Runs nb for user; returns a result dict (ok False with the error when it failed)."""
    r = {"user": user, "notebook": nb, "ok": False}
    try:
        k, secs, _ = await ht.run_notebook(h, user, nb)
        r["seconds"] = secs
        java, server = procs(user)
        r["kernel_peak_mb"] = mb(max((status_kb(p, "VmHWM") or 0) for p in java)) if java else None
        r["server_peak_mb"] = mb(max((status_kb(p, "VmHWM") or 0) for p in server)) if server else None
        r["kernel"] = k
        r["ok"] = r["kernel_peak_mb"] is not None
        if not r["ok"]:
            r["error"] = "no kernel JVM found running as the student after the notebook"
    except (ht.Failure, asyncio.TimeoutError, OSError) as e:
        r["error"] = str(e)[:500]
    return r


async def classroom(h, proc, log, users, mix, a):
    await ht.wait_hub(h, proc, log)
    # each notebook of the mix alone first (student 0), for its wall time alone
    alone = {}
    await ht.start_server(h, users[0])
    for nb in sorted(set(mix)):
        r = await one(h, users[0], nb, a.cell_timeout)
        if not r["ok"]:
            raise ht.Failure(f"{nb} fails even alone: {r.get('error')}")
        alone[nb] = r["seconds"]
        r["kernel"].close()
        await h.call("DELETE", f"/user/{users[0]}/api/kernels/{r['kernel'].id}")
        print(f"classroom: {nb} alone: {r['seconds']:.1f} s, kernel peak {r['kernel_peak_mb']:.0f} MB", file=sys.stderr, flush=True)
    t0 = time.time()
    starts = [0.0] + list(await asyncio.gather(*(ht.start_server(h, u, deadline_s=600) for u in users[1:]),
                                               return_exceptions=True))   # student 0's server runs already
    print(f"classroom: {len(users)} servers started in {time.time() - t0:.0f} s", file=sys.stderr, flush=True)
    results = await asyncio.gather(*(one(h, u, mix[i % len(mix)], a.cell_timeout) if not isinstance(starts[i], Exception)
                                     else _failed(u, mix[i % len(mix)], starts[i]) for i, u in enumerate(users)))
    wall = time.time() - t0
    print(f"classroom: all notebooks done in {wall:.0f} s; waiting {a.idle_wait} s for idle memory", file=sys.stderr, flush=True)
    await asyncio.sleep(a.idle_wait)
    for r in results:
        if r["ok"]:
            java, _ = procs(r["user"])
            r["idle_mb"] = mb(max((status_kb(p, "VmRSS") or 0) for p in java)) if java else None
            # the high-water mark again: a kernel can still grow after its last cell (GC, JIT)
            r["kernel_peak_mb"] = max([r["kernel_peak_mb"]] + [mb(status_kb(p, "VmHWM") or 0) for p in java])
            r["kernel"].close()
    await asyncio.sleep(0.5)   # lets the websockets finish closing
    return results, alone, wall


async def _failed(user, nb, e):
    return {"user": user, "notebook": nb, "ok": False, "error": f"server did not start: {e}"}


def report(results, alone, wall, mix, avail, a):
    ok = [r for r in results if r["ok"]]
    med = lambda xs: statistics.median(xs) if xs else float("nan")  # noqa: E731
    kpeak = [r["kernel_peak_mb"] for r in ok]
    idle = [r["idle_mb"] for r in ok if r.get("idle_mb") is not None]
    student = [r["kernel_peak_mb"] + (r["server_peak_mb"] or 0) for r in ok]
    fits = int(avail / (1 << 20) // med(student)) if student else 0
    line = (f"classroom students={len(results)} ok={len(ok)} kernel_rss_mb_median={med(kpeak):.0f} "
            f"idle_rss_mb_median={med(idle):.0f}")
    rows = ["| notebook | students | ok | kernel peak RSS MB median / max | idle RSS MB median | "
            "server peak RSS MB median | wall s median (class) | wall s alone | class / alone |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for nb in sorted(set(mix)):
        rs = [r for r in results if r["notebook"] == nb]
        g = [r for r in rs if r["ok"]]
        if not g:
            rows.append(f"| {nb.replace('.ipynb', '')} | {len(rs)} | 0 | – | – | – | – | {alone[nb]:.1f} | – |")
            continue
        w = med([r["seconds"] for r in g])
        rows.append(f"| {nb.replace('.ipynb', '')} | {len(rs)} | {len(g)} | {med([r['kernel_peak_mb'] for r in g]):.0f} / "
                    f"{max(r['kernel_peak_mb'] for r in g):.0f} | "
                    f"{med([r['idle_mb'] for r in g if r.get('idle_mb') is not None]):.0f} | "
                    f"{med([r['server_peak_mb'] for r in g if r['server_peak_mb']]):.0f} | {w:.1f} | {alone[nb]:.1f} | "
                    f"{w / alone[nb]:.2f} |")
    load = os.getloadavg()
    notes = [f"- {time.strftime('%Y-%m-%d', time.gmtime())}, `environment/lab classroom-test --students {len(results)} "
             f"--notebooks {a.notebooks} --idle-wait {a.idle_wait} --heap {a.heap} --offheap {a.offheap} --mem {a.mem} "
             f"--cpus {a.cpus:g}`: {os.cpu_count()} cores, "
             f"{meminfo('MemTotal') / (1 << 30):.1f} GB RAM ({avail / (1 << 30):.1f} GB available at the start); "
             f"load average at the end {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}; every student's server started "
             f"together, all notebooks done {wall:.0f} s later; kernel heap {a.heap}, off-heap {a.offheap}, cgroup "
             f"{a.mem} and {a.cpus:g} CPU per student.",
             f"- Kernel max peak RSS {max(kpeak) if kpeak else float('nan'):.0f} MB. A student at the median peak "
             f"(kernel + server, {med(student):.0f} MB) means this machine's available memory holds "
             f"**{fits} students** working at once."]
    fails = [f"- FAILED {r['user']} ({r['notebook']}): {r.get('error', '')[:300]}" for r in results if not r["ok"]]
    return line, rows, notes + fails


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--students", type=int, default=24)
    ap.add_argument("--notebooks", default="01,02,03,04,05,06,07,08,09", help="the mix, round robin over students")
    ap.add_argument("--idle-wait", type=int, default=60, help="seconds after the last notebook before idle RSS is read")
    ap.add_argument("--cell-timeout", type=int, default=1800)
    ap.add_argument("--mem", default="3G")
    ap.add_argument("--cpus", type=float, default=1.0)
    ap.add_argument("--heap", default="2g")
    ap.add_argument("--offheap", default="2G")
    ap.add_argument("--no-append", action="store_true", help="print the result only; leave BENCHMARKS.md alone")
    a = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("classroom-test needs root, as the hub does (PAM accounts, servers started as each student)")
    if not 1 <= a.students <= 200:
        sys.exit(f"--students {a.students}: give 1 to 200")
    nbdir = os.path.join(ROOT, "notebooks")
    mix = []
    for p in a.notebooks.split(","):
        m = [n for n in sorted(os.listdir(nbdir)) if n.startswith(p.strip()) and n.endswith(".ipynb")]
        if len(m) != 1:
            sys.exit(f"--notebooks: '{p}' names {len(m)} notebooks in notebooks/: {m}")
        mix.append(m[0])
    hub.ensure_packages()
    avail = meminfo("MemAvailable")
    tag = secrets.token_hex(3)
    group = f"rnnlabc{tag}"
    users = [f"rnnlabc{tag}{i:03d}" for i in range(a.students)]
    work = tempfile.mkdtemp(prefix="rnnlab-classroom-")
    os.chmod(work, 0o711)
    log = os.path.join(work, "hub.log")
    classlist = os.path.join(work, "class.txt")
    with open(classlist, "w") as f:
        f.write("\n".join(users) + "\n")
    proc = None
    try:
        subprocess.run([sys.executable, os.path.join(HERE, "hub.py"), "users", "add", classlist, "--group", group,
                        "--out", os.path.join(work, "pw.csv")], check=True, capture_output=True)
        port, hub_port, api_port = ht.free_port(), ht.free_port(), ht.free_port()
        token = secrets.token_hex(32)
        with open(log, "w") as out:
            proc = subprocess.Popen(
                [sys.executable, os.path.join(HERE, "hub.py"), "serve", "--port", str(port), "--hub-port", str(hub_port),
                 "--proxy-api-port", str(api_port), "--dir", os.path.join(work, "hub"), "--group", group,
                 "--kernel", ht.KERNEL, "--kernel-idle", "7200", "--mem", a.mem, "--cpus", str(a.cpus),
                 "--heap", a.heap, "--offheap", a.offheap],
                env=dict(os.environ, RNNLAB_HUB_API_TOKEN=token), stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True)
        ht.CELL_TIMEOUT = a.cell_timeout
        results, alone, wall = asyncio.run(classroom(ht.Hub(port, token), proc, log, users, mix, a))
    except ht.Failure as e:
        print(f"classroom: FAILED: {e}\n--- hub log ---\n{ht.tail(log)}", file=sys.stderr)
        return 1
    finally:
        if proc is not None:
            ht.stop(proc, users, log)
        ht.remove_cgroups(users)
        subprocess.run([sys.executable, os.path.join(HERE, "hub.py"), "users", "remove", classlist, "--group", group,
                        "--delete-home"], capture_output=True)
        subprocess.run(["groupdel", group], capture_output=True)
        subprocess.run(["rm", "-rf", work])
    line, rows, notes = report(results, alone, wall, mix, avail, a)
    text = "\n".join([line, "", *rows, "", *notes]) + "\n"
    print(text)
    if not a.no_append:
        path = os.path.join(ROOT, "BENCHMARKS.md")
        with open(path, "a", encoding="utf-8") as f:
            f.write("\n## Classroom load test (environment/lab classroom-test)\n\n" + text)
        print(f"classroom: appended to {path}", file=sys.stderr)
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
