"""JupyterHub for the course on one server: `jupyterhub -f deploy/jupyterhub_config.py`.

Every student gets their own single-user JupyterLab (a local process, as their own system user),
the course arrives in their home through the class link (nbgitpuller, `make class-link`), and
idle servers and kernels are stopped so that memory follows the students actually working.
docs/deploying.md gives the steps, the capacity measured on loopback and the Kubernetes route.

The settings an installation changes are read from the environment (defaults in brackets):

COURSE_HUB_DATA   [/srv/jupyterhub]  the hub's database, cookie secret and class list
COURSE_HUB_URL    [http://127.0.0.1:8000]  where the hub listens; put a TLS proxy in front of it
COURSE_HUB_PROXY  [configurable-http-proxy on PATH]  the proxy from npm
COURSE_FOLDER     [softmax-course]  the folder the class link pulls the course into

tests/test_hub.py loads this file and replaces only the authenticator (DummyAuthenticator),
the spawner (SimpleLocalProcessSpawner), the ports and the data folder.
"""

import os
import pwd
import shutil
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

HUB_DATA = Path(os.environ.get("COURSE_HUB_DATA", "/srv/jupyterhub"))
COURSE_FOLDER = os.environ.get("COURSE_FOLDER", "softmax-course")
BIN = Path(sys.executable).parent  # the environment the hub runs in also runs the students' servers

# --- Where the hub listens and keeps its state ----------------------------------------------------
c.JupyterHub.bind_url = os.environ.get("COURSE_HUB_URL", "http://127.0.0.1:8000")
c.JupyterHub.db_url = f"sqlite:///{HUB_DATA / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(HUB_DATA / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(HUB_DATA / "jupyterhub.pid")
c.ConfigurableHTTPProxy.command = [
    os.environ.get("COURSE_HUB_PROXY") or shutil.which("configurable-http-proxy") or "configurable-http-proxy"
]

# --- Who may log in -----------------------------------------------------------------------------
# System accounts (PAM) by default; a university would use its single sign-on (oauthenticator,
# ldapauthenticator). The class list is one user name per line; admins may add users later.
c.JupyterHub.authenticator_class = "pam"
class_list = HUB_DATA / "class_list.txt"
if class_list.is_file():
    c.Authenticator.allowed_users = set(class_list.read_text().split())
c.Authenticator.allow_existing_users = True
c.Authenticator.admin_users = set(os.environ.get("COURSE_HUB_ADMINS", "").split())

# --- Each student's server ----------------------------------------------------------------------
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120  # seconds; measured 3-10 s each on loopback, 150 at once take longer
c.Spawner.http_timeout = 60


def course_on_python_path(spawner):
    """The student's own copy of the course, so a course_utils update arrives with the class link."""
    home = getattr(spawner, "home_dir", None) or pwd.getpwnam(spawner.user.name).pw_dir
    return os.path.join(home, COURSE_FOLDER)


# The kernel imports course_utils from the pulled course, ahead of any installed copy.
c.Spawner.environment = {"PYTHONPATH": course_on_python_path}

# Kernels idle for 40 minutes are shut down even with a browser tab open (their memory is most
# of a student's share); the server itself is stopped by the idle culler below.
c.Spawner.args = [
    "--MappingKernelManager.cull_idle_timeout=2400",
    "--MappingKernelManager.cull_interval=300",
    "--MappingKernelManager.cull_connected=True",
]

# --- Limits, from the capacity measured in docs/deploying.md ------------------------------------
c.JupyterHub.concurrent_spawn_limit = 50  # servers starting at once, when a class logs in together
c.JupyterHub.active_server_limit = 60  # what a 2-core / 24 GB server holds (docs/deploying.md)

# --- Stop servers nobody used for an hour (jupyterhub-idle-culler) -------------------------------
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", "--timeout=3600", "--cull-every=300"],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
