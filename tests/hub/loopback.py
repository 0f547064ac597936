"""A course hub on 127.0.0.1 for the tests and the capacity measurement.

``deploy/jupyterhub_config.py`` is loaded as it is; only the authenticator (DummyAuthenticator,
one shared password), the spawner (SimpleLocalProcessSpawner, homes in a temporary folder),
the ports and the data folder are replaced. An API token for the test, and the password, are
written to the config file (never on a command line). Students' notebooks run through their own
server: the REST API starts a session, the kernel's websocket runs the cells.
"""

import asyncio
import concurrent.futures
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import nbformat
import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PROXY = ROOT / ".venv" / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
CHROMIUM = Path(os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
START_TIMEOUT = 120  # seconds for the hub, and for a student's server; measured 3-10 s
CELL_TIMEOUT = 120

sys.path.insert(0, str(ROOT / "tools"))
from class_link import COURSE_FOLDER, class_link  # noqa: E402


def proxy_command():
    """configurable-http-proxy: the one `make test` installs into .venv, else one on PATH."""
    if PROXY.is_file():
        return str(PROXY)
    return shutil.which("configurable-http-proxy")


def missing_parts():
    """What a hub needs and this machine lacks (empty when everything is there)."""
    missing = []
    for module, package in [("jupyterhub", "jupyterhub"), ("nbgitpuller", "nbgitpuller"),
                            ("jupyterhub_idle_culler", "jupyterhub-idle-culler")]:
        try:
            __import__(module)
        except ImportError:
            missing.append(f"{package} (pip install -r requirements-dev.txt)")
    if not proxy_command():
        missing.append("configurable-http-proxy (make test installs it from npm into .venv/proxy)")
    if not shutil.which("git"):
        missing.append("git")
    return missing


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def git(*arguments, cwd):
    subprocess.run(["git", "-c", "user.name=Instructor", "-c", "user.email=instructor@course.test",
                    *arguments], cwd=cwd, check=True, capture_output=True)


TEST_CONFIG = """
c = get_config()  # noqa: F821
load_subconfig({deploy_config!r})  # noqa: F821 - the course's own configuration, then:
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {homes!r} + "/{{username}}"
c.Spawner.args = c.Spawner.args + {extra_args!r}
c.JupyterHub.services.append({{"name": "course-test", "api_token": {token!r}}})
c.JupyterHub.load_roles.append({{
    "name": "course-test",
    "scopes": ["admin:users", "admin:servers", "tokens", "read:users"],
    "services": ["course-test"],
}})
"""


class Hub:
    """JupyterHub, its proxy and the idle culler on 127.0.0.1; ``stop()`` ends them and every server."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.homes = self.folder / "homes"
        data = self.folder / "data"
        for path in (self.homes, data):
            path.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token, self.password = secrets.token_hex(16), secrets.token_hex(8)
        self.user_tokens, self.sessions = {}, {}
        config = data / "test_config.py"
        config.write_text(TEST_CONFIG.format(
            deploy_config=str(ROOT / "deploy" / "jupyterhub_config.py"), port=self.port,
            hub_port=free_port(), proxy_api_port=free_port(), password=self.password,
            homes=str(self.homes), token=self.token,
            extra_args=["--allow-root"] if os.geteuid() == 0 else [],
        ))
        config.chmod(0o600)
        env = {key: value for key, value in os.environ.items() if not key.startswith(("JUPYTER", "JPY"))}
        env.update(COURSE_HUB_DATA=str(data), COURSE_HUB_PROXY=proxy_command(),
                   PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}")
        env.pop("PYTHONPATH", None)
        self.log_path = data / "hub.log"
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [str(BIN / "jupyterhub"), "-f", str(config)], cwd=data, env=env,
            stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self._wait(lambda: self.api("GET", "/hub/api/").get("version"), "the hub")

    def log(self):
        return self.log_path.read_text(errors="replace")[-6000:]

    def _wait(self, ready, what, timeout=START_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the hub exited:\n{self.log()}")
            try:
                if ready():
                    return
            except (requests.ConnectionError, requests.HTTPError):
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{what} not ready after {timeout} s:\n{self.log()}")

    def api(self, method, path, token=None, **kwargs):
        """A request to the hub (or through it, to a student's server); the JSON answer."""
        headers = {"Authorization": f"token {token or self.token}"}
        response = requests.request(method, self.url + path, headers=headers, timeout=60, **kwargs)
        response.raise_for_status()
        return response.json() if response.content and "json" in response.headers.get("content-type", "") \
            else response

    def add_students(self, names):
        """Create the students and a token for each: what logging in gives them."""
        self.api("POST", "/hub/api/users", json={"usernames": list(names)})
        for name in names:
            answer = self.api("POST", f"/hub/api/users/{name}/tokens", json={"note": "course test"})
            self.user_tokens[name] = answer["token"]

    def start_servers(self, names):
        """Start each student's server (all at once, as a class does); seconds until each is ready."""
        began = time.monotonic()
        for name in names:
            self.api("POST", f"/hub/api/users/{name}/server")
        ready = {}

        def all_ready():
            for name in names:
                if name not in ready and self.api("GET", f"/hub/api/users/{name}")["servers"].get(
                        "", {}).get("ready"):
                    ready[name] = time.monotonic() - began
            return len(ready) == len(names)

        self._wait(all_ready, "the students' servers")
        return ready

    def user(self, name, method, path, **kwargs):
        return self.api(method, f"/user/{name}{path}", token=self.user_tokens[name], **kwargs)

    def login(self, name):
        """Log ``name`` in through the hub's login form, as a browser does; their session."""
        if name not in self.sessions:
            session = requests.Session()
            session.get(f"{self.url}/hub/login", timeout=60).raise_for_status()
            answer = session.post(f"{self.url}/hub/login", timeout=60, data={
                "username": name, "password": self.password, "_xsrf": session.cookies.get("_xsrf", "")})
            answer.raise_for_status()
            assert f"/user/{name}/" in answer.url, answer.url
            self.sessions[name] = session
        return self.sessions[name]

    def pull(self, name, link):
        """``name`` clicks the class link: the hub sends them to their server's nbgitpuller page,
        whose event stream runs the pull. Returns the pull's log lines."""
        session = self.login(name)
        landing = session.get(link, timeout=60)
        landing.raise_for_status()
        assert landing.url.startswith(f"{self.url}/user/{name}/git-pull?"), landing.url
        query = landing.url.split("?", 1)[1]
        stream = session.get(f"{self.url}/user/{name}/git-pull/api?{query}", timeout=120)
        stream.raise_for_status()
        events = [json.loads(line[len("data: "):]) for line in stream.text.splitlines()
                  if line.startswith("data: ")]
        assert events and events[-1]["phase"] == "finished", events[-3:]
        return [event.get("output", "") for event in events]

    def home(self, name):
        return self.homes / name

    def course(self, name):
        return self.home(name) / COURSE_FOLDER

    def stop(self):
        """Stop the hub (which stops the servers it started), then anything it left behind."""
        leftovers = self.processes()
        for process in leftovers:  # servers and kernels first: the hub need not wait for them
            try:
                if "jupyterhub-singleuser" in " ".join(process.cmdline()) or "ipykernel" in " ".join(
                        process.cmdline()):
                    process.kill()
            except Exception:  # noqa: BLE001 - already gone
                pass
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        for process in leftovers:  # a server or kernel still running
            try:
                process.kill()
            except Exception:  # noqa: BLE001 - already gone
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self._log.close()

    def processes(self):
        """Every process below the hub still running (proxy, culler, servers, kernels)."""
        import psutil

        try:
            return psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []


def course_repository(folder, release):
    """A bare repository (the instructor's ``origin``) holding ``release`` on branch ``student``.

    Returns the bare repository's ``file://`` URL and the instructor's working copy.
    """
    bare, work = Path(folder) / "course.git", Path(folder) / "instructor"
    subprocess.run(["git", "init", "--quiet", "--bare", "-b", "student", str(bare)], check=True)
    shutil.copytree(release, work)
    git("init", "--quiet", "-b", "student", cwd=work)
    git("add", "--all", cwd=work)
    git("commit", "--quiet", "-m", "Student release", cwd=work)
    git("remote", "add", "origin", bare.as_uri(), cwd=work)
    git("push", "--quiet", "origin", "student", cwd=work)
    return bare.as_uri(), work


def publish(work, message):
    """The instructor commits everything changed in ``work`` and pushes it."""
    git("add", "--all", cwd=work)
    git("commit", "--quiet", "-m", message, cwd=work)
    git("push", "--quiet", "origin", "student", cwd=work)


def link_for(hub, repository):
    return class_link(hub.url, repository, branch="student")


# --- Running a notebook through a student's server ---------------------------------------------

def message(msg_type, content, session):
    return {
        "header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": session,
                   "username": "student", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "content": content, "channel": "shell", "buffers": [],
    }


async def run_cells(hub, name, notebook_path, cells):
    """Run ``cells`` (code strings) in a new kernel of ``name``'s server, started for ``notebook_path``.

    Returns the kernel id and, per cell, its ``execute_reply`` status and nbformat outputs.
    """
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    session = await asyncio.to_thread(
        hub.user, name, "POST", "/api/sessions",
        json={"path": notebook_path, "type": "notebook", "name": "", "kernel": {"name": "python3"}},
    )
    kernel = session["kernel"]["id"]
    url = f"ws://127.0.0.1:{hub.port}/user/{name}/api/kernels/{kernel}/channels"
    connection = await websocket_connect(HTTPRequest(
        url, headers={"Authorization": f"token {hub.user_tokens[name]}"}, request_timeout=60))
    session_id, results = uuid.uuid4().hex, []
    try:
        for code in cells:
            request = message("execute_request", {"code": code, "silent": False, "store_history": True,
                                                  "user_expressions": {}, "allow_stdin": False,
                                                  "stop_on_error": True}, session_id)
            await connection.write_message(json.dumps(request))
            outputs, status, idle = [], None, False
            while status is None or not idle:
                raw = await asyncio.wait_for(connection.read_message(), CELL_TIMEOUT)
                if raw is None:
                    raise RuntimeError(f"{name}'s kernel closed its connection:\n{hub.log()}")
                if isinstance(raw, bytes):
                    continue  # a widget's message with binary buffers (a figure's bytes)
                reply = json.loads(raw)
                if reply.get("parent_header", {}).get("msg_id") != request["header"]["msg_id"]:
                    continue
                kind = reply["header"]["msg_type"]
                if kind == "execute_reply":
                    status = reply["content"]["status"]
                elif kind == "status" and reply["content"]["execution_state"] == "idle":
                    idle = True
                elif kind in ("stream", "display_data", "execute_result", "error"):
                    outputs.append(nbformat.v4.output_from_msg(reply))
            results.append((status, outputs))
    finally:
        connection.close()
    return kernel, results


def in_a_thread(function, *arguments):
    """``function(*arguments)`` in a thread of its own, its result or its exception here.

    Another test's sync Playwright keeps an asyncio loop running in the main thread for the whole
    session; asyncio.run() and a second sync Playwright refuse to start beside it.
    """
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(function, *arguments).result()


def run_sync(coroutine):
    return in_a_thread(asyncio.run, coroutine)


def run_notebook(hub, name, relative_path):
    """Run every code cell of the student's notebook through their server; (kernel id, results)."""
    notebook = nbformat.read(hub.course(name) / relative_path, as_version=4)
    code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    return run_sync(run_cells(hub, name, f"{COURSE_FOLDER}/{relative_path}", code))


# --- A student in Chromium -----------------------------------------------------------------------

def launch_chromium(playwright):
    """Debian's chromium, headless (never a downloaded browser)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
                                      timeout=60_000)


def run_all_in_lab(page, hub, name, relative_path, timeout=120):
    """Log in on the hub's page, open the student's notebook in JupyterLab and run all its cells."""
    import re

    page.goto(f"{hub.url}/hub/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", hub.password)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(re.compile(f"/user/{name}/"))
    page.goto(f"{hub.url}/user/{name}/lab/tree/{COURSE_FOLDER}/{relative_path}")
    # the status bar names the kernel only once it exists (shared notes: the toolbar says idle sooner)
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=90_000)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    prompts = page.locator(".jp-CodeCell .jp-InputPrompt")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        texts = prompts.all_text_contents()
        if texts and all(re.search(r"\[\d+\]", text) for text in texts):
            return
        time.sleep(0.5)
    raise AssertionError(f"cells not all run after {timeout} s: {texts}")
