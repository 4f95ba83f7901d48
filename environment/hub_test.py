"""Test of `environment/lab hub` (part of `environment/lab test`; needs root, as the hub does).

Creates a throw-away group with two throw-away accounts (environment/hub.py users add), starts the hub
on free loopback ports with an admin API token, and through the hub's proxy (http://127.0.0.1:PORT/user/NAME/...):
  - a student logs in with their password (PAM); a wrong password, and an account outside the class
    group, are refused;
  - the admin token starts both students' servers; each has its own copy of the notebooks;
  - both students run notebook 01 at the same time in a real kernel (REST + the kernel's websocket),
    every cell's declared expectations met, in quick mode, as themselves;
  - from the kernel: the shared data/ cannot be written, the other student's notebooks cannot be read;
  - an edit saved by one student changes neither the other student's copy nor the teacher's;
  - where the hub enforces per-student cgroups, the server and the kernel JVM run in the student's
    cgroup with the memory limit;
  - a kernel left idle is shut down by the culler after the hub's --kernel-idle.
Everything is removed afterwards (hub, servers, kernels, accounts with their homes, cgroups), also on failure.

    /usr/bin/python3 environment/hub_test.py [--notebook 01]     (RNNLAB_KERNEL names the kernelspec)
"""
import argparse
import asyncio
import glob
import hashlib
import json
import os
import pwd
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import hub  # noqa: E402

KERNEL = os.environ.get("RNNLAB_KERNEL", "rnnlab")
KERNEL_IDLE = 30        # seconds: the culling check waits this long (plus the culler's interval)
MEM = "3G"
CELL_TIMEOUT = 180      # seconds per cell (classroom.py raises it)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


class Hub:
    def __init__(self, port, token):
        from tornado.httpclient import AsyncHTTPClient
        self.base = f"http://127.0.0.1:{port}"
        self.token = token
        self.http = AsyncHTTPClient()

    async def call(self, method, path, body=None, ok=(200, 201, 202, 204), token=True, **kw):
        from tornado.httpclient import HTTPClientError, HTTPRequest
        headers = {"Authorization": f"token {self.token}"} if token else {}
        headers.update(kw.pop("headers", {}))
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            headers["Content-Type"] = "application/json"
        req = HTTPRequest(self.base + path, method=method, headers=headers, body=body,
                          allow_nonstandard_methods=True, request_timeout=60, **kw)
        try:
            r = await self.http.fetch(req, raise_error=False)
        except (OSError, HTTPClientError) as e:
            raise Failure(f"{method} {path}: {e}")
        if ok and r.code not in ok:
            raise Failure(f"{method} {path}: HTTP {r.code}: {(r.body or b'')[:500]!r}")
        return r

    async def json(self, method, path, body=None, **kw):
        r = await self.call(method, path, body, **kw)
        return json.loads(r.body) if r.body else None


async def wait_hub(h, proc, log, deadline_s=90):
    t0 = time.time()
    while time.time() - t0 < deadline_s:
        if proc.poll() is not None:
            raise Failure(f"the hub exited with {proc.returncode}; its log:\n{tail(log)}")
        try:
            r = await h.call("GET", "/hub/api/", ok=None)
            if r.code == 200:
                return time.time() - t0
        except Failure:
            pass
        await asyncio.sleep(0.5)
    raise Failure(f"the hub did not answer on {h.base} within {deadline_s} s; its log:\n{tail(log)}")


def tail(path, n=40):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except OSError:
        return "(no log)"


async def login(h, user, password):
    """PAM: the login form redirects and sets the hub's cookie for the right password only."""
    form = urllib.parse.urlencode({"username": user, "password": password})
    r = await h.call("POST", "/hub/login", form, ok=None, token=False, follow_redirects=False,
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    cookies = " ".join(r.headers.get_list("Set-Cookie"))
    return r.code == 302 and "jupyterhub-hub-login=" in cookies


async def start_server(h, user, deadline_s=150):
    # a student the hub has not seen log in yet is added first (409: already known)
    await h.call("POST", f"/hub/api/users/{user}", ok=(201, 409))
    await h.call("POST", f"/hub/api/users/{user}/server")
    t0 = time.time()
    while time.time() - t0 < deadline_s:
        model = await h.json("GET", f"/hub/api/users/{user}")
        server = (model.get("servers") or {}).get("")
        if server and server.get("ready"):
            return time.time() - t0
        await asyncio.sleep(0.5)
    raise Failure(f"{user}'s server was not ready within {deadline_s} s")


def cell_text(outputs):
    parts = []
    for o in outputs:
        if o["output_type"] == "stream":
            parts.append(o["text"])
        elif o["output_type"] in ("execute_result", "display_data"):
            parts += [o["data"].get("text/plain", ""), o["data"].get("text/html", "")]
        elif o["output_type"] == "error":
            parts.append(o["ename"] + ": " + o["evalue"])
    return "\n".join(p if isinstance(p, str) else "".join(p) for p in parts)


class Kernel:
    """A kernel of a student's server, driven through the hub's proxy: REST to start it, the websocket
    channels (Jupyter messaging protocol) to execute code."""

    def __init__(self, h, user):
        self.h, self.user, self.session = h, user, uuid.uuid4().hex

    async def start(self):
        k = await self.h.json("POST", f"/user/{self.user}/api/kernels", {"name": KERNEL})
        self.id = k["id"]
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect
        url = self.h.base.replace("http", "ws") + f"/user/{self.user}/api/kernels/{self.id}/channels"
        self.ws = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {self.h.token}"}),
                                          max_message_size=64 << 20)
        return self

    async def execute(self, code, timeout=None):
        timeout = timeout or CELL_TIMEOUT
        msg_id = uuid.uuid4().hex
        await self.ws.write_message(json.dumps({
            "header": {"msg_id": msg_id, "username": self.user, "session": self.session,
                       "msg_type": "execute_request", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        outputs, reply, idle = [], None, False
        deadline = time.time() + timeout
        while reply is None or not idle:
            left = deadline - time.time()
            if left <= 0:
                raise Failure(f"{self.user}: a cell did not finish within {timeout} s:\n{code[:300]}")
            raw = await asyncio.wait_for(self.ws.read_message(), left)
            if raw is None:
                raise Failure(f"{self.user}: the kernel's websocket closed while a cell ran:\n{code[:300]}")
            if isinstance(raw, bytes):
                continue    # binary frames carry buffers (widgets); the lab's outputs never use them
            m = json.loads(raw)
            if m.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            t = m["msg_type"]
            if m["channel"] == "shell" and t == "execute_reply":
                reply = m["content"]
            elif t == "status":
                idle = m["content"]["execution_state"] == "idle"
            elif t in ("stream", "execute_result", "display_data", "error"):
                outputs.append(dict(m["content"], output_type=t))
        if reply["status"] != "ok":
            raise Failure(f"{self.user}: cell failed: {reply.get('ename')}: {reply.get('evalue')}\n{code[:300]}")
        return outputs

    def close(self):
        self.ws.close()


async def run_notebook(h, user, nb_name):
    """Runs every code cell of the student's own copy of the notebook; checks its declared expectations."""
    model = await h.json("GET", f"/user/{user}/api/contents/{nb_name}")
    nb = model["content"]
    k = await Kernel(h, user).start()
    t0 = time.time()
    code_no = 0
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        code_no += 1
        src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        text = cell_text(await k.execute(src))
        missing = [s for s in cell.get("metadata", {}).get("rnnlab", {}).get("expect", []) if s not in text]
        check(not missing, f"{user}: {nb_name} cell {code_no}: the output lacks {missing!r}:\n{text[:1500]}")
    return k, time.time() - t0, code_no


def isolation_cell(user, other):
    other_nb = os.path.join(pwd.getpwnam(other).pw_dir, "rnnlab")
    return f"""
var samples = rnnlab.lab.Lab.samplesDir();
boolean wrote;
try {{ java.nio.file.Files.delete(java.nio.file.Files.createTempFile(samples, "student", ".tmp")); wrote = true; }}
catch (java.io.IOException e) {{ wrote = false; }}
boolean readOther;
try (var s = java.nio.file.Files.list(java.nio.file.Path.of("{other_nb}"))) {{ readOther = s.count() >= 0; }}
catch (java.io.IOException e) {{ readOther = false; }}
System.out.println("user=" + System.getProperty("user.name") + " mode=" + rnnlab.lab.Lab.mode()
    + " samples=" + samples + " wrote_samples=" + wrote + " read_other=" + readOther
    + " figures=" + rnnlab.lab.Lab.figuresDir("hub-test"));
"""


def pids_of(uid):
    out = []
    for d in glob.glob("/proc/[0-9]*"):
        try:
            if os.stat(d).st_uid == uid:
                with open(os.path.join(d, "cmdline"), "rb") as f:
                    out.append((int(os.path.basename(d)), f.read().replace(b"\0", b" ").decode(errors="replace")))
        except OSError:
            pass
    return out


def cgroup_check(user):
    """Every process of the student (server and kernel JVM) is in the student's cgroup with the memory limit."""
    uid = pwd.getpwnam(user).pw_uid
    procs = pids_of(uid)
    check(any("java" in cmd for _, cmd in procs), f"{user}: no kernel JVM running as the student: {procs}")
    for pid, cmd in procs:
        with open(f"/proc/{pid}/cgroup") as f:
            lines = [ln.rstrip("\n").split(":", 2) for ln in f]
        mem = [p for _, ctrls, p in lines if "memory" in ctrls.split(",")]
        unified = [p for hid, ctrls, p in lines if hid == "0" and ctrls == ""]
        if mem:
            check(mem[0].endswith(f"/{hub.CGROUP_PARENT}/{user}"), f"{user}: pid {pid} ({cmd[:60]}) is in memory cgroup {mem[0]}")
            limit_file = f"/sys/fs/cgroup/memory{mem[0]}/memory.limit_in_bytes"
        else:
            check(unified and unified[0].endswith(f"/{hub.CGROUP_PARENT}/{user}"), f"{user}: pid {pid} is in cgroup {unified}")
            limit_file = f"/sys/fs/cgroup{unified[0]}/memory.max"
        with open(limit_file) as f:
            limit = int(f.read().strip())
        check(limit == hub.size_bytes(MEM), f"{user}: {limit_file} is {limit}, not {MEM}")
    return len(procs)


async def scenario(h, proc, log, users, outsider, passwords, nb_name):
    t_hub = await wait_hub(h, proc, log)
    print(f"rnnlab hub test: hub up in {t_hub:.1f} s", file=sys.stderr, flush=True)
    a, b = users
    check(await login(h, a, passwords[a]), f"{a} could not log in with their password (PAM)")
    check(not await login(h, a, passwords[a] + "x"), f"{a} logged in with a wrong password")
    check(not await login(h, outsider, passwords[outsider]), f"{outsider}, not in the class group, logged in")
    starts = await asyncio.gather(*(start_server(h, u) for u in users))
    print("rnnlab hub test: servers ready in " + ", ".join(f"{s:.1f} s" for s in starts), file=sys.stderr, flush=True)
    teacher = os.path.join(ROOT, "notebooks", nb_name)
    with open(teacher, "rb") as f:
        teacher_hash = hashlib.sha256(f.read()).hexdigest()
    runs = await asyncio.gather(*(run_notebook(h, u, nb_name) for u in users))
    for u, (_, secs, cells) in zip(users, runs):
        print(f"rnnlab hub test: {u} ran {nb_name} ({cells} code cells) in {secs:.1f} s", file=sys.stderr, flush=True)
    for (u, other), (k, _, _) in zip(((a, b), (b, a)), runs):
        text = cell_text(await k.execute(isolation_cell(u, other)))
        want = [f"user={u} ", "mode=quick", "wrote_samples=false", "read_other=false",
                f"figures={pwd.getpwnam(u).pw_dir}/rnnlab/figures/hub-test"]
        missing = [w for w in want if w not in text]
        check(not missing, f"{u}: isolation check lacks {missing!r}; the kernel printed:\n{text}")
    enforced = "NOT enforced" not in tail(log, 400)
    if enforced:
        n = [cgroup_check(u) for u in users]
        print(f"rnnlab hub test: cgroups hold {n} processes with memory.limit {MEM}", file=sys.stderr, flush=True)
    else:
        print("rnnlab hub test: this machine gives no per-student cgroups; checked the JVM limits only",
              file=sys.stderr, flush=True)
    # an edit by one student touches neither the other student's copy nor the teacher's
    model = await h.json("GET", f"/user/{a}/api/contents/{nb_name}")
    model["content"]["cells"].insert(0, {"cell_type": "markdown", "metadata": {}, "source": f"edited by {a}"})
    await h.call("PUT", f"/user/{a}/api/contents/{nb_name}", {"type": "notebook", "content": model["content"]})
    again = await h.json("GET", f"/user/{a}/api/contents/{nb_name}")
    check(again["content"]["cells"][0]["source"] == f"edited by {a}", f"{a}'s edit was not saved")
    other = await h.json("GET", f"/user/{b}/api/contents/{nb_name}")
    check(all(f"edited by {a}" not in "".join(c["source"]) for c in other["content"]["cells"]),
          f"{a}'s edit shows in {b}'s copy")
    with open(teacher, "rb") as f:
        check(hashlib.sha256(f.read()).hexdigest() == teacher_hash, f"the teacher's {teacher} changed")
    # culling: both kernels are left idle; the server's culler must shut them down
    for k, _, _ in runs:
        k.close()
    t0 = time.time()
    while True:
        left = {u: await h.json("GET", f"/user/{u}/api/kernels") for u in users}
        if not any(left.values()):
            break
        check(time.time() - t0 < KERNEL_IDLE + 45, f"idle kernels not culled after {time.time() - t0:.0f} s: {left}")
        await asyncio.sleep(2)
    print(f"rnnlab hub test: idle kernels culled {time.time() - t0:.0f} s after the last cell "
          f"(--kernel-idle {KERNEL_IDLE})", file=sys.stderr, flush=True)
    for u in users:
        await h.call("DELETE", f"/hub/api/users/{u}/server")


def stop(proc, users, log):
    """Stops the hub (it stops the servers), then anything the throw-away users still run."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
    try:
        os.killpg(proc.pid, signal.SIGKILL)   # the proxy, if the hub left it behind
    except ProcessLookupError:
        pass
    for u in users:
        try:
            uid = pwd.getpwnam(u).pw_uid
        except KeyError:
            continue
        for pid, _ in pids_of(uid):
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def remove_cgroups(users):
    own = {}
    with open("/proc/self/cgroup") as f:
        for line in f:
            _, ctrls, path = line.rstrip("\n").split(":", 2)
            for c in ctrls.split(",") if ctrls else ["unified"]:
                own[c] = path
    parents = [os.path.join("/sys/fs/cgroup", c, own[c].lstrip("/"), hub.CGROUP_PARENT) for c in ("memory", "cpu") if c in own]
    parents.append(os.path.join("/sys/fs/cgroup", hub.CGROUP_PARENT))
    for p in parents:
        for d in [os.path.join(p, u) for u in users] + [p]:
            for _ in range(25):
                if not os.path.isdir(d):
                    break
                try:
                    os.rmdir(d)
                except OSError:   # still in use (a process leaving) or, for the parent, another hub's
                    time.sleep(0.2)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--notebook", default="01", help="the notebook each student runs (default 01)")
    a = ap.parse_args()
    if os.geteuid() != 0:
        print("rnnlab hub test: SKIPPED: the hub needs root (PAM logins, servers started as each student); "
              "run environment/lab test as root to include it", file=sys.stderr)
        return 0
    names = [n for n in sorted(os.listdir(os.path.join(ROOT, "notebooks"))) if n.startswith(a.notebook) and n.endswith(".ipynb")]
    if len(names) != 1:
        sys.exit(f"rnnlab hub test: --notebook {a.notebook} names {len(names)} notebooks in notebooks/: {names}")
    hub.ensure_packages()
    t0 = time.time()
    tag = secrets.token_hex(3)
    group = f"rnnlabt{tag}"
    users = [f"rnnlabt{tag}a", f"rnnlabt{tag}b"]
    outsider = f"rnnlabt{tag}x"   # an account of the machine outside the class group
    work = tempfile.mkdtemp(prefix="rnnlab-hub-test-")
    os.chmod(work, 0o711)   # the students' servers read the hub's kernelspec below it
    log = os.path.join(work, "hub.log")
    proc = None
    try:
        classlist = os.path.join(work, "class.txt")
        with open(classlist, "w") as f:
            f.write("# throw-away accounts of environment/hub_test.py\n" + "\n".join(users) + "\n")
        pwfile = os.path.join(work, "passwords.csv")
        subprocess.run([sys.executable, os.path.join(HERE, "hub.py"), "users", "add", classlist, "--group", group,
                        "--out", pwfile], check=True)
        with open(pwfile) as f:
            passwords = dict(line.strip().split(",", 1) for line in f if line.strip())
        check(sorted(passwords) == sorted(users), f"users add wrote passwords for {sorted(passwords)}")
        subprocess.run(["useradd", "-m", outsider], check=True)
        passwords[outsider] = secrets.token_urlsafe(9)
        subprocess.run(["chpasswd"], input=f"{outsider}:{passwords[outsider]}\n", text=True, check=True)
        port, hub_port, api_port = free_port(), free_port(), free_port()
        token = secrets.token_hex(32)
        with open(log, "w") as out:
            proc = subprocess.Popen(
                [sys.executable, os.path.join(HERE, "hub.py"), "serve", "--port", str(port), "--hub-port", str(hub_port),
                 "--proxy-api-port", str(api_port), "--dir", os.path.join(work, "hub"), "--group", group,
                 "--kernel", KERNEL, "--kernel-idle", str(KERNEL_IDLE), "--mem", MEM, "--cpus", "1"],
                env=dict(os.environ, RNNLAB_HUB_API_TOKEN=token), stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True)
        asyncio.run(scenario(Hub(port, token), proc, log, users, outsider, passwords, names[0]))
    except Failure as e:
        print(f"rnnlab hub test: FAILED: {e}\n--- hub log (last lines) ---\n{tail(log)}", file=sys.stderr)
        return 1
    finally:
        if proc is not None:
            stop(proc, users, log)
        remove_cgroups(users)
        subprocess.run([sys.executable, os.path.join(HERE, "hub.py"), "users", "remove", os.path.join(work, "class.txt"),
                        "--group", group, "--delete-home"], capture_output=True)
        subprocess.run(["groupdel", group], capture_output=True)
        subprocess.run(["userdel", "-r", outsider], capture_output=True)
        left = [u for u in users + [outsider] if hub.user_exists(u)]
        if left:
            print(f"rnnlab hub test: WARNING: could not remove the throw-away accounts {left}", file=sys.stderr)
        subprocess.run(["rm", "-rf", work])
    print(f"rnnlab hub test: passed in {time.time() - t0:.0f} s (two students, {names[0]} through the hub)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
