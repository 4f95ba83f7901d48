"""A class on one machine: JupyterHub serving the rnnlab notebooks to many students (`environment/lab hub`).

    hub.py serve [--port 8000] [--dir build/hub] [--group rnnlab-students] [--admin NAME] [--data DIR]
                 [--mem 3G] [--cpus 1] [--heap 2g] [--offheap 2G]
                 [--kernel-idle 1800] [--server-idle 3600]
    hub.py users add CLASSLIST [--group rnnlab-students] [--out FILE]
    hub.py users remove CLASSLIST [--group rnnlab-students] [--delete-home]

`serve` (as root: PAM logins and starting each student's server as that student need it) installs
Debian's jupyterhub and configurable-http-proxy if missing, registers the kernelspec for the hub's
users only (under DIR/share/jupyter, which the students' servers get as JUPYTER_PATH, with the heap,
off-heap and thread limits below) and runs JupyterHub on 127.0.0.1 with environment/jupyterhub_config.py
until Ctrl-C (which stops every student's server too). Accounts are the machine's users (PAM); only
members of --group (and --admin) may log in. `users add` creates a class list's accounts in that group
with random passwords, written to a file only root can read.

Per student (see the README, "Teaching a class"):
  - a private copy of notebooks/*.ipynb in ~/rnnlab on first login; a notebook the teacher adds later
    is copied at the next start, an existing copy is never overwritten;
  - RNNLAB_MODE=quick, figures under ~/rnnlab/figures, the project's data/ and --data read only;
  - the kernel's JVM heap (--heap) and ND4J off-heap cap (--offheap) are enforced by the JVM and
    JavaCPP; --mem and --cpus are enforced by a cgroup per student where this machine lets root create
    one (cgroup v1 memory+cpu, or v2), else only logged as not enforced;
  - a kernel idle for --kernel-idle seconds is shut down (the notebook server's own culler), and a
    server with no kernel and no activity for --server-idle seconds stops itself.
"""
import argparse
import grp
import os
import pwd
import re
import secrets
import shutil
import stat
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
APT_PKGS = ["jupyterhub", "node-configurable-http-proxy"]
NAME_RE = re.compile(r"^[a-z_][a-z0-9_-]{0,30}$")
CGROUP_PARENT = "rnnlab-hub"
# The class's cgroup competes for CPU with the processes outside it as this many busy processes would
# (cgroup v1 cpu.shares 1024 each, v2 cpu.weight 100 each). With the default weight of one process, six
# students on a 2-core machine with a load average of ~14 got 3-5% of a core each: after 4 minutes each
# kernel had used 8-13 s of CPU on notebooks 01-03, which take 9-12 s alone. One per core gives the class the machine when nothing else runs, and a fair
# half of it when as many busy processes as cores run beside it.
CLASS_WEIGHT = os.cpu_count() or 1


def say(msg):
    print(f"rnnlab hub: {msg}", file=sys.stderr, flush=True)


def die(msg, code=1):
    say(msg)
    sys.exit(code)


# --- sizes ---------------------------------------------------------------------------------------

def size_bytes(s):
    """'3G', '512m', '1073741824' -> bytes; anything else is an error naming the accepted forms."""
    m = re.fullmatch(r"\s*(\d+)\s*([kKmMgGtT]?)[bB]?\s*", str(s))
    if not m:
        raise ValueError(f"'{s}' is not a size; write a whole number with an optional unit k, m, g or t (e.g. 3G)")
    return int(m.group(1)) << {"": 0, "k": 10, "m": 20, "g": 30, "t": 40}[m.group(2).lower()]


# --- packages and permissions ---------------------------------------------------------------------

def ensure_packages():
    """Installs Debian's jupyterhub and configurable-http-proxy when missing (as install.sh does for Jupyter)."""
    missing = [p for p in APT_PKGS if subprocess.run(["dpkg-query", "-W", "-f=${Status}", p], capture_output=True,
                                                      text=True).stdout.find("install ok installed") < 0]
    if not missing:
        return
    if os.environ.get("RNNLAB_SKIP_APT"):
        say(f"RNNLAB_SKIP_APT is set; not installing: {' '.join(missing)}")
        return
    if not shutil.which("apt-get"):
        die(f"missing {' '.join(missing)} and no apt-get: install JupyterHub 3 and configurable-http-proxy yourself")
    say(f"installing system packages: {' '.join(missing)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], env=env, check=True)
    r = subprocess.run(["apt-get", "install", "-y", "-qq", *missing], env=env, capture_output=True, text=True)
    if r.returncode != 0:
        die(f"apt-get install {' '.join(missing)} failed:\n{r.stdout[-2000:]}{r.stderr[-2000:]}")
    if "jupyterhub" in missing and os.path.isdir("/run/systemd/system") and shutil.which("systemctl"):
        # Debian's package enables and starts its own jupyterhub.service (port 8000, every interface, its
        # own configuration): not the class's hub, and it would take lab hub's port.
        subprocess.run(["systemctl", "disable", "--now", "jupyterhub.service"], capture_output=True)
        say("stopped and disabled the jupyterhub.service the Debian package started (lab hub runs its own hub; "
            "systemctl enable --now jupyterhub undoes this)")


def others_can_read(path):
    """None if every folder on the way to path is searchable and path readable by any user, else the first
    one that is not (a student's server runs as the student, not as root)."""
    path = os.path.abspath(path)
    parts = path.split(os.sep)
    for i in range(2, len(parts) + 1):
        p = os.sep.join(parts[:i]) or os.sep
        mode = os.stat(p).st_mode
        need = stat.S_IXOTH if stat.S_ISDIR(mode) else stat.S_IROTH
        if stat.S_ISDIR(mode) and p == path:
            need |= stat.S_IROTH
        if not mode & need:
            return p
    return None


def others_can_write(path):
    """The first file or folder under path (itself included) that users other than its owner may write, or None."""
    for d, dirs, files in os.walk(path):
        for p in [d] + [os.path.join(d, f) for f in files]:
            st = os.lstat(p)
            if not stat.S_ISLNK(st.st_mode) and st.st_mode & (stat.S_IWOTH | stat.S_IWGRP):
                return p
    return None


# --- per-student set-up (called by jupyterhub_config.py in the hub process, as root) -----------------

def copy_notebooks(username, src=os.path.join(ROOT, "notebooks"), folder="rnnlab"):
    """Gives the student ~/<folder>/ with a copy of every notebook in src they do not have yet; never
    overwrites one (a student's edits stay theirs). The folder is the student's own, mode 0700."""
    pw = pwd.getpwnam(username)
    dest = os.path.join(pw.pw_dir, folder)
    if not os.path.isdir(pw.pw_dir):
        raise RuntimeError(f"{username}'s home {pw.pw_dir} does not exist; create the account with "
                           f"environment/lab hub-users add (useradd -m)")
    made = []
    if not os.path.isdir(dest):
        os.makedirs(dest, mode=0o700)
        os.chown(dest, pw.pw_uid, pw.pw_gid)
    for name in sorted(os.listdir(src)):
        s, d = os.path.join(src, name), os.path.join(dest, name)
        if name.endswith(".ipynb") and os.path.isfile(s) and not os.path.lexists(d):
            shutil.copyfile(s, d)
            os.chown(d, pw.pw_uid, pw.pw_gid)
            os.chmod(d, 0o600)
            made.append(name)
    return dest, made


class Cgroups:
    """A cgroup per student holding their notebook server and its kernels, with a memory and a CPU limit:
    cgroup v1 (memory and cpu controllers, as here) or v2. The students' cgroups sit under the hub's own
    cgroup (v1), or under /sys/fs/cgroup/rnnlab-hub (v2), so a container's own limits still hold.
    `enforced` is False (and `reason` says why) when this machine does not let the hub create them."""

    def __init__(self, mem_bytes, cpus, fs="/sys/fs/cgroup"):
        self.mem, self.cpus, self.fs = mem_bytes, cpus, fs
        self.reason = None
        self.enforced = False
        self.parents = self._parents()
        self.enforced = bool(self.parents) and self._probe()

    def _own(self):
        own = {}
        with open("/proc/self/cgroup") as f:
            for line in f:
                _, ctrls, path = line.rstrip("\n").split(":", 2)
                for c in ctrls.split(","):
                    own[c] = path
        return own

    def _parents(self):
        try:
            if os.geteuid() != 0:
                self.reason = "the hub does not run as root"
                return {}
            own = self._own()
            if os.path.exists(os.path.join(self.fs, "cgroup.controllers")):  # v2
                base = os.path.join(self.fs, CGROUP_PARENT)
                os.makedirs(base, exist_ok=True)
                with open(os.path.join(base, "cgroup.subtree_control"), "w") as f:
                    f.write("+memory +cpu")
                _write(os.path.join(base, "cpu.weight"), str(min(10000, 100 * CLASS_WEIGHT)))
                return {"v2": base}
            parents = {}
            for c in ("memory", "cpu"):
                mount = os.path.join(self.fs, c)
                if not os.path.isdir(mount) or c not in own:
                    self.reason = f"no cgroup v1 '{c}' controller mounted at {mount}"
                    return {}
                base = os.path.join(mount, own[c].lstrip("/"), CGROUP_PARENT)
                os.makedirs(base, exist_ok=True)
                if c == "cpu":
                    _write(os.path.join(base, "cpu.shares"), str(1024 * CLASS_WEIGHT))
                parents[c] = base
            return parents
        except OSError as e:
            self.reason = f"cannot create cgroups: {e}"
            return {}

    def _probe(self):
        """Starts a short `sleep` the way the spawner starts a server (joining the cgroups before exec) and
        checks it landed there: creating a cgroup can work where joining one does not."""
        name = "rnnlab-probe"
        try:
            procs = self.prepare(name, probe=True)
            p = subprocess.Popen(["sleep", "30"], preexec_fn=join_cgroups(procs, lambda: None))
            try:
                with open(f"/proc/{p.pid}/cgroup") as f:
                    text = f.read()
            finally:
                p.kill()
                p.wait()
            if f"/{CGROUP_PARENT}/{name}\n" not in text:
                self.reason = f"a process started in {', '.join(procs)} is not there:\n{text}"
                return False
            return True
        except (OSError, subprocess.SubprocessError) as e:
            self.reason = f"cannot start a process in a cgroup: {e}"
            return False
        finally:
            self.remove(name, wait=2.0)

    def dirs(self, username):
        return [os.path.join(p, username) for p in self.parents.values()]

    def prepare(self, username, probe=False):
        """Creates the student's cgroups with their limits; returns the cgroup.procs files to join."""
        if not (self.enforced or probe):
            return []
        period = 100000
        quota = max(1000, int(self.cpus * period))
        if "v2" in self.parents:
            d = os.path.join(self.parents["v2"], username)
            os.makedirs(d, exist_ok=True)
            _write(os.path.join(d, "memory.max"), str(self.mem))
            _write(os.path.join(d, "cpu.max"), f"{quota} {period}")
            return [os.path.join(d, "cgroup.procs")]
        m = os.path.join(self.parents["memory"], username)
        c = os.path.join(self.parents["cpu"], username)
        for d in (m, c):
            os.makedirs(d, exist_ok=True)
        _write(os.path.join(m, "memory.limit_in_bytes"), str(self.mem))
        _write(os.path.join(c, "cpu.cfs_period_us"), str(period))
        _write(os.path.join(c, "cpu.cfs_quota_us"), str(quota))
        return [os.path.join(m, "cgroup.procs"), os.path.join(c, "cgroup.procs")]

    def remove(self, username, wait=10.0):
        """Removes the student's cgroups once their processes are gone (waits up to `wait` seconds)."""
        left = []
        for d in self.dirs(username):
            deadline = time.time() + wait
            while os.path.isdir(d):
                try:
                    os.rmdir(d)
                except OSError:
                    if time.time() > deadline:
                        left.append(d)
                        break
                    time.sleep(0.2)
        return left

    def describe(self):
        if not self.enforced:
            return f"per-student memory/CPU limits NOT enforced ({self.reason}); the kernel's heap and off-heap caps still are"
        where = ", ".join(sorted(self.parents.values()))
        return f"per-student cgroups under {where}: memory {self.mem >> 20} MB, {self.cpus:g} CPU"


def join_cgroups(procs, then):
    """A preexec_fn: moves the new process into each cgroup (cgroup.procs files), then calls `then`
    (the spawner's switch to the student's uid). Runs in the child, as root, before exec."""
    def preexec():
        pid = str(os.getpid())
        for p in procs:
            with open(p, "w") as f:
                f.write(pid)
        then()
    return preexec


def _write(path, text):
    with open(path, "w") as f:
        f.write(text)


# --- accounts ----------------------------------------------------------------------------------

def read_class_list(path):
    """One user name a line; blank lines and '#' comments are skipped. Bad names are an error listing them."""
    names, bad = [], []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            name = line.split("#", 1)[0].strip()
            if not name:
                continue
            (names if NAME_RE.match(name) else bad).append(name if NAME_RE.match(name) else f"line {n}: '{name}'")
    if bad:
        die(f"{path}: not valid user names (lower-case letters, digits, '_' or '-', starting with a letter "
            f"or '_', at most 31 characters): {', '.join(bad)}", 2)
    if not names:
        die(f"{path} names no users (one user name a line)", 2)
    return names


def user_exists(name):
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def group_members(group):
    try:
        g = grp.getgrnam(group)
    except KeyError:
        return set()
    return set(g.gr_mem) | {p.pw_name for p in pwd.getpwall() if p.pw_gid == g.gr_gid}


def users_add(names, group, out):
    if os.geteuid() != 0:
        die("creating accounts needs root (useradd, chpasswd): run it with sudo", 3)
    try:
        grp.getgrnam(group)
    except KeyError:
        subprocess.run(["groupadd", group], check=True)
        say(f"created group {group}")
    lines = []
    for name in names:
        if user_exists(name):
            subprocess.run(["usermod", "-aG", group, name], check=True)
            say(f"{name}: account exists; added to {group}, password unchanged")
            continue
        subprocess.run(["useradd", "-m", "-s", "/bin/bash", "-G", group, name], check=True)
        password = secrets.token_urlsafe(9)
        subprocess.run(["chpasswd"], input=f"{name}:{password}\n", text=True, check=True)
        lines.append(f"{name},{password}\n")
    if lines:
        os.makedirs(os.path.dirname(os.path.abspath(out)), mode=0o700, exist_ok=True)
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a") as f:
            f.writelines(lines)
        os.chmod(out, 0o600)
        say(f"created {len(lines)} account(s); their passwords are in {out} (user,password; only root can read it)")


def users_remove(names, group, delete_home):
    if os.geteuid() != 0:
        die("removing accounts needs root (userdel): run it with sudo", 3)
    members = group_members(group)
    for name in names:
        if not user_exists(name):
            say(f"{name}: no such account")
        elif name not in members:
            say(f"{name}: not in group {group}; left alone (only class accounts are removed)")
        else:
            subprocess.run(["userdel", *(["-r"] if delete_home else []), name], check=True,
                           stderr=subprocess.DEVNULL if delete_home else None)
            say(f"{name}: removed{' with its home' if delete_home else ' (home kept)'}")


# --- serve -------------------------------------------------------------------------------------

def install_kernelspec(a, prefix):
    env = dict(os.environ, RNNLAB_KERNEL_HEAP=a.heap, RNNLAB_KERNEL_OFFHEAP=a.offheap,
               RNNLAB_KERNEL_THREADS=str(max(1, int(-(-a.cpus // 1)))))
    r = subprocess.run([sys.executable, os.path.join(HERE, "kernelspec.py"), "--project", ROOT, "--name", a.kernel,
                        "--prefix", prefix], env=env)
    if r.returncode != 0:
        die("registering the hub's kernelspec failed (see above)")
    for d, dirs, files in os.walk(prefix):
        os.chmod(d, 0o755)
        for f in files:
            os.chmod(os.path.join(d, f), 0o644)


def serve(a):
    if os.geteuid() != 0:
        die("JupyterHub must run as root here: it checks passwords with PAM and starts each student's server "
            "as that student. Run: sudo environment/lab hub", 3)
    for v, what in ((a.mem, "--mem"), (a.heap, "--heap"), (a.offheap, "--offheap")):
        try:
            size_bytes(v)
        except ValueError as e:
            die(f"{what}: {e}", 2)
    if not 0 < a.cpus <= (os.cpu_count() or 1) * 4:
        die(f"--cpus {a.cpus}: give a positive number of CPUs per student (e.g. 1 or 0.5)", 2)
    try:
        grp.getgrnam(a.group)
    except KeyError:
        say(f"warning: group '{a.group}' does not exist, so no student can log in yet; create the class's "
            f"accounts with: environment/lab hub-users add CLASSLIST --group {a.group}")
    ensure_packages()
    for exe in ("jupyterhub", "jupyterhub-singleuser", "configurable-http-proxy"):
        if not shutil.which(exe):
            die(f"{exe} not found after installing {' '.join(APT_PKGS)}")
    needed = [os.path.join(ROOT, "lib-src", "target", "rnnlab.jar"), os.path.join(ROOT, "data"),
              os.path.join(ROOT, "notebooks"), os.path.join(ROOT, "environment", "init.jshell")]
    for p in needed:
        if not os.path.exists(p):
            die(f"{p} is missing: run environment/lab setup first")
        blocked = others_can_read(p)
        if blocked:
            die(f"students cannot read {p} ({blocked} is not readable by other users): put the project where "
                f"every user can read it (e.g. /opt/rnnlab) or chmod o+rX the folders on the way")
    for d in [os.path.join(ROOT, "data")] + ([a.data] if a.data else []):
        if not os.path.isdir(d):
            die(f"--data {d}: no such folder", 2)
        w = others_can_write(d)
        if w:
            die(f"{w} is writable by users other than its owner; the shared data must be read only for "
                f"students: chmod -R go-w {d}")
    state = os.path.abspath(a.dir)
    private = os.path.join(state, "private")
    os.makedirs(private, exist_ok=True)
    os.chmod(state, 0o755)
    os.chmod(private, 0o700)
    prefix = os.path.join(state, "jupyter")
    install_kernelspec(a, prefix)
    blocked = others_can_read(os.path.join(prefix, "share", "jupyter", "kernels", a.kernel, "kernel.json"))
    if blocked:
        die(f"students cannot read the hub's kernelspec: {blocked} is not readable by other users; "
            f"give --dir a folder every user can read (chmod o+rx the folders on the way)")
    env = dict(os.environ,
               RNNLAB_ROOT=ROOT, RNNLAB_KERNEL=a.kernel, RNNLAB_HUB_PORT=str(a.port),
               RNNLAB_HUB_HUB_PORT=str(a.hub_port), RNNLAB_HUB_PROXY_API_PORT=str(a.proxy_api_port),
               RNNLAB_HUB_PRIVATE=private, RNNLAB_HUB_JUPYTER_PATH=os.path.join(prefix, "share", "jupyter"),
               RNNLAB_HUB_GROUP=a.group, RNNLAB_HUB_ADMINS=",".join(a.admin), RNNLAB_HUB_MEM=str(size_bytes(a.mem)),
               RNNLAB_HUB_CPUS=str(a.cpus), RNNLAB_HUB_KERNEL_IDLE=str(a.kernel_idle),
               RNNLAB_HUB_SERVER_IDLE=str(a.server_idle), RNNLAB_HUB_DATA=os.path.abspath(a.data) if a.data else "")
    if os.path.isdir("/usr/share/nodejs"):
        # Debian's configurable-http-proxy finds its modules there only with Debian's own nodejs; a
        # Node.js from elsewhere (NodeSource) needs them named, or the proxy fails: "Cannot find module 'commander'"
        env["NODE_PATH"] = os.pathsep.join(p for p in ("/usr/share/nodejs", env.get("NODE_PATH")) if p)
    say(f"JupyterHub on http://127.0.0.1:{a.port}/ for members of group '{a.group}'"
        f"{' and ' + ', '.join(a.admin) if a.admin else ''}; kernel '{a.kernel}' (heap {a.heap}, off-heap {a.offheap}); "
        f"kernels idle {a.kernel_idle} s and servers idle {a.server_idle} s are stopped; Ctrl-C stops the hub "
        f"and every student's server")
    os.chdir(private)
    os.execvpe(sys.executable, [sys.executable, shutil.which("jupyterhub"), "-f",
                                os.path.join(HERE, "jupyterhub_config.py")], env)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve", help="run JupyterHub for a class (as root)")
    s.add_argument("--port", type=int, default=8000, help="the students' port on 127.0.0.1 (default 8000)")
    s.add_argument("--hub-port", type=int, default=8081, help="the hub's internal API port (default 8081)")
    s.add_argument("--proxy-api-port", type=int, default=8001, help="the proxy's internal API port (default 8001)")
    s.add_argument("--dir", default=os.path.join(ROOT, "build", "hub"),
                   help="the hub's state: database, cookie secret, kernelspec (default build/hub)")
    s.add_argument("--group", default="rnnlab-students", help="only members of this group may log in")
    s.add_argument("--admin", action="append", default=[], help="an account that may log in and administer the hub")
    s.add_argument("--data", help="a shared full-data folder (RNNLAB_DATA for every student), read only for them")
    s.add_argument("--mem", default="3G", help="memory per student: server, kernel and plots together (default 3G)")
    s.add_argument("--cpus", type=float, default=1.0, help="CPUs per student (default 1)")
    s.add_argument("--heap", default="2g", help="each kernel's JVM heap, -Xmx (default 2g)")
    s.add_argument("--offheap", default="2G", help="each kernel's ND4J off-heap cap (default 2G)")
    s.add_argument("--kernel-idle", type=int, default=1800, help="stop a kernel idle this many seconds (default 1800)")
    s.add_argument("--server-idle", type=int, default=3600,
                   help="a server with no kernel and no activity for this many seconds stops itself (default 3600)")
    s.add_argument("--kernel", default=os.environ.get("RNNLAB_KERNEL", "rnnlab"),
                   help="the kernelspec name the students get (default RNNLAB_KERNEL or rnnlab)")
    u = sub.add_parser("users", help="create or remove a class list's accounts (as root)")
    u.add_argument("action", choices=["add", "remove"])
    u.add_argument("classlist", help="a text file with one user name a line")
    u.add_argument("--group", default="rnnlab-students")
    u.add_argument("--out", default=os.path.join(ROOT, "build", "hub", "private", "class-passwords.csv"),
                   help="where 'add' appends user,password lines (mode 0600; default build/hub/private/class-passwords.csv)")
    u.add_argument("--delete-home", action="store_true", help="'remove' also deletes the home folders")
    a = ap.parse_args()
    if a.cmd == "serve":
        serve(a)
    elif a.action == "add":
        users_add(read_class_list(a.classlist), a.group, a.out)
    else:
        users_remove(read_class_list(a.classlist), a.group, a.delete_home)


if __name__ == "__main__":
    main()
