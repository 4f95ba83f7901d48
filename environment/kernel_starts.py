"""Starts a Jupyter kernel N times and counts the starts that never become usable.

Each start: start the kernel, wait_for_ready (kernel_info_request answered) within --timeout s,
execute `1+1` and check its result, then check the two other sockets that have their own loop
thread: the heartbeat must echo a ping, and the control loop must pick up an interrupt_request
(seen in the kernel log as "[ControlChannel]: Handling message"; rapaio 3.0.1 sends the reply on
the shell socket, so it never reaches the client's control channel). Then shut the kernel down.
A failed start keeps the kernel's own log (stdout+stderr) and a thread dump of the JVM
(`jstack <pid>`, taken while the kernel is still up) in --keep, so a silent kernel shows which of
its threads are missing. --shell-only skips the heartbeat and control checks.

  /usr/bin/python3 environment/kernel_starts.py --kernel rnnlab -n 30
  /usr/bin/python3 environment/kernel_starts.py --kernel rnnlab-a --kernel rnnlab-b -n 30   # interleaved

With several --kernel names the starts alternate between them (n starts each), so both see the
same machine load. Prints one line per start and a summary; exits 1 if any start failed.
"""
import argparse
import os
import shutil
import subprocess
import sys
import time

import zmq
from jupyter_client import KernelManager


def thread_dump(pid):
    jstack = shutil.which("jstack")
    if not jstack or pid is None:
        return "(no jstack or no pid)\n"
    try:
        r = subprocess.run([jstack, str(pid)], capture_output=True, text=True, timeout=60)
        return r.stdout + r.stderr
    except subprocess.TimeoutExpired:
        return "(jstack timed out)\n"


def kernel_pid(km):
    p = getattr(getattr(km, "provisioner", None), "process", None)
    return getattr(p, "pid", None)


def heartbeat_echoes(km, timeout):
    info = km.get_connection_info()
    ctx = zmq.Context.instance()
    sock = ctx.socket(zmq.REQ)
    sock.linger = 0
    try:
        sock.connect(f"{info['transport']}://{info['ip']}:{info['hb_port']}")
        sock.send(b"ping")
        return sock.poll(int(timeout * 1000)) != 0 and sock.recv() == b"ping"
    finally:
        sock.close()


def control_handles(kc, log_path, timeout):
    kc.control_channel.send(kc.session.msg("interrupt_request", {}))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with open(log_path, errors="replace") as f:
            if "[ControlChannel]: Handling message" in f.read():
                return True
        time.sleep(0.2)
    return False


def one_start(kernel, timeout, keep, tag, shell_only=False):
    os.makedirs(keep, exist_ok=True)
    log_path = os.path.join(keep, f"{tag}.log")
    log = open(log_path, "w")
    km = KernelManager(kernel_name=kernel)
    t0 = time.monotonic()
    error = None
    kc = None
    try:
        km.start_kernel(stdout=log, stderr=log)
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=timeout)
        reply = kc.execute_interactive("1+1", timeout=timeout, output_hook=lambda m: None)
        if reply["content"].get("status") != "ok":
            error = f"execute status {reply['content'].get('status')}"
        elif not shell_only and not heartbeat_echoes(km, timeout):
            error = "heartbeat did not echo"
        elif not shell_only and not control_handles(kc, log_path, timeout):
            error = "control loop did not handle interrupt_request"
    except Exception as e:  # noqa: BLE001 - any failure to start counts
        error = f"{type(e).__name__}: {e}"
    elapsed = time.monotonic() - t0
    if error is not None:
        alive = km.is_alive()
        dump = thread_dump(kernel_pid(km)) if alive else "(kernel process already gone)\n"
        with open(os.path.join(keep, f"{tag}.threads.txt"), "w") as f:
            f.write(f"# {kernel}: {error}\n# kernel alive: {alive}\n# uptime: {uptime()}\n")
            f.write(dump)
    try:
        if kc is not None:
            kc.stop_channels()
        km.shutdown_kernel(now=error is not None)
    except Exception:  # noqa: BLE001
        pass
    log.close()
    if error is None:
        os.remove(log_path)
    return error, elapsed


def uptime():
    try:
        with open("/proc/loadavg") as f:
            return "load " + " ".join(f.read().split()[:3])
    except OSError:
        return "load ?"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kernel", action="append", required=True, help="kernelspec name (repeatable)")
    ap.add_argument("-n", type=int, default=30, help="starts per kernel")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for kernel_info")
    ap.add_argument("--keep", default="build/kernel_starts", help="folder for logs of failed starts")
    ap.add_argument("--shell-only", action="store_true", help="only check kernel_info and execute")
    a = ap.parse_args()

    fails = {k: 0 for k in a.kernel}
    times = {k: [] for k in a.kernel}
    print(f"start: {uptime()}", flush=True)
    for i in range(1, a.n + 1):
        for k in a.kernel:
            error, elapsed = one_start(k, a.timeout, a.keep, f"{k}-{i:03d}", a.shell_only)
            times[k].append(elapsed)
            if error:
                fails[k] += 1
            print(f"{k} #{i}: {'FAIL ' + error if error else 'ok'} ({elapsed:.1f} s, {uptime()})", flush=True)
    print(f"end: {uptime()}")
    for k in a.kernel:
        ok = sorted(t for t in times[k])
        print(f"{k}: {fails[k]}/{a.n} starts failed; median start+execute {ok[len(ok) // 2]:.1f} s")
    sys.exit(1 if any(fails.values()) else 0)


if __name__ == "__main__":
    main()
