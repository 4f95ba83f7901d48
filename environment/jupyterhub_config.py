# JupyterHub 3 configuration for a class on one machine; environment/hub.py starts the hub with it and
# passes its settings as RNNLAB_HUB_* variables (see `environment/lab hub --help` and the README,
# "Teaching a class"). Settings that carry over to Zero to JupyterHub are named there.
import asyncio
import os
import sys

from jupyterhub.spawner import LocalProcessSpawner

ROOT = os.environ["RNNLAB_ROOT"]
sys.path.insert(0, os.path.join(ROOT, "environment"))
import hub  # noqa: E402  (environment/hub.py: notebook copies, cgroups)

env = os.environ
c = get_config()  # noqa: F821  (defined by JupyterHub when it reads this file)

# --- network: loopback only ---------------------------------------------------------------------
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = int(env.get("RNNLAB_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env.get("RNNLAB_HUB_HUB_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env.get('RNNLAB_HUB_PROXY_API_PORT', '8001')}"
private = env["RNNLAB_HUB_PRIVATE"]
c.JupyterHub.db_url = "sqlite:///" + os.path.join(private, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(private, "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = os.path.join(private, "jupyterhub-proxy.pid")
c.JupyterHub.cleanup_servers = True   # stopping the hub stops every student's server
c.JupyterHub.cleanup_proxy = True

# --- accounts: the machine's users (PAM), members of the class group --------------------------------
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_groups = {env.get("RNNLAB_HUB_GROUP", "rnnlab-students")}
admins = {a for a in env.get("RNNLAB_HUB_ADMINS", "").split(",") if a}
c.Authenticator.admin_users = admins
# an admin token for scripts and tests (environment/hub_test.py), only when one is given
if env.get("RNNLAB_HUB_API_TOKEN"):
    c.JupyterHub.services = [{"name": "rnnlab-admin", "api_token": env["RNNLAB_HUB_API_TOKEN"]}]
    c.JupyterHub.load_roles = [{"name": "rnnlab-admin", "services": ["rnnlab-admin"],
                                "scopes": ["admin:users", "admin:servers", "access:servers", "read:users"]}]

# --- each student's server ----------------------------------------------------------------------
cgroups = hub.Cgroups(int(env.get("RNNLAB_HUB_MEM", str(3 << 30))), float(env.get("RNNLAB_HUB_CPUS", "1")))
print("rnnlab hub: " + cgroups.describe(), file=sys.stderr, flush=True)


class RnnlabSpawner(LocalProcessSpawner):
    """LocalProcessSpawner whose server (and so its kernels) starts inside the student's cgroup."""

    async def start(self):
        self._cgroup_procs = cgroups.prepare(self.user.name)
        return await super().start()

    def make_preexec_fn(self, name):
        # joined as root, before the server becomes the student (the same code hub.Cgroups probes with)
        return hub.join_cgroups(list(getattr(self, "_cgroup_procs", [])), super().make_preexec_fn(name))


c.JupyterHub.spawner_class = RnnlabSpawner
c.Spawner.cmd = ["/usr/bin/jupyterhub-singleuser"] if os.path.exists("/usr/bin/jupyterhub-singleuser") \
    else ["jupyterhub-singleuser"]
c.Spawner.notebook_dir = "~/rnnlab"
c.Spawner.default_url = "/tree"
c.Spawner.mem_limit = cgroups.mem if cgroups.enforced else None
c.Spawner.cpu_limit = cgroups.cpus if cgroups.enforced else None
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
kernel_idle = int(env.get("RNNLAB_HUB_KERNEL_IDLE", "1800"))
c.Spawner.args = [
    # Debian's single-user server is the classic notebook server (notebook 6.4): its own culler
    f"--MappingKernelManager.cull_idle_timeout={kernel_idle}",
    f"--MappingKernelManager.cull_interval={max(5, min(60, kernel_idle // 3))}",
    "--MappingKernelManager.cull_connected=True",   # an open but idle tab does not keep a 1 GB kernel
    f"--NotebookApp.shutdown_no_activity_timeout={int(env.get('RNNLAB_HUB_SERVER_IDLE', '3600'))}",
]
student_env = {
    "JUPYTERHUB_SINGLEUSER_APP": "notebook.notebookapp.NotebookApp",
    "JUPYTER_PATH": env["RNNLAB_HUB_JUPYTER_PATH"],    # the hub's kernelspec, with the per-student heap
    "RNNLAB_MODE": "quick",
    "RNNLAB_HOME": ROOT,
    "RNNLAB_SAMPLES": os.path.join(ROOT, "data"),
    "RNNLAB_FIGURES": "~/rnnlab/figures",             # Lab expands ~ to the student's home
    "JAVA_HOME": env.get("JAVA_HOME", ""),
}
if env.get("RNNLAB_HUB_DATA"):
    student_env["RNNLAB_DATA"] = env["RNNLAB_HUB_DATA"]
c.Spawner.environment = {k: v for k, v in student_env.items() if v}


def pre_spawn_hook(spawner):
    dest, made = hub.copy_notebooks(spawner.user.name)
    if made:
        spawner.log.info("rnnlab: copied %d notebook(s) into %s", len(made), dest)


async def post_stop_hook(spawner):
    # the kernels leave a moment after their server: retry without blocking the hub's event loop
    for _ in range(25):
        left = cgroups.remove(spawner.user.name, wait=0)
        if not left:
            break
        await asyncio.sleep(0.2)
    if left:
        spawner.log.warning("rnnlab: cgroups still in use, not removed: %s", ", ".join(left))


c.Spawner.pre_spawn_hook = pre_spawn_hook
c.Spawner.post_stop_hook = post_stop_hook
