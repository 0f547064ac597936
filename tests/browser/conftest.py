"""Fixtures for the real-browser tests: Debian's chromium (driven by Playwright), a JupyterLab
or Voilà server on 127.0.0.1 with a random token, and a scratch copy of the notebooks.

Design, after /work/shared/notes/jupyter-testing.md (measured pitfalls):

* Every Jupyter, IPython and matplotlib folder lives in a temporary directory, and the
  JupyterLab settings are pre-seeded so the "Jupyter news?" prompt never appears.
* Tests open a copy of a notebook with its outputs cleared, never the committed file
  (stale widget outputs render silently as text; Lab autosaves).
* The server and every kernel it started are stopped in a finaliser, whatever happened.
* Without chromium the tests skip with the reason, except under ``CI=true`` where a
  missing browser is a failure: CI installs it (``.ci/run``).
* Every wait has a timeout, so a hang fails a test instead of stalling the suite.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
CHROMIUM = Path(os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
SERVER_START_TIMEOUT = 60  # seconds; measured 3-8 s, far more on a loaded machine
BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def chromium():
    """The chromium executable; skip (or fail under CI=true) when it is missing."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return str(CHROMIUM)
    reason = f"no chromium at {CHROMIUM}: install Debian's package (apt-get install chromium)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; under CI=true the browser tests must run", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory):
    """Where screenshots go: $BROWSER_ARTIFACTS if set, else a temporary folder."""
    folder = os.environ.get("BROWSER_ARTIFACTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("browser-artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Debian's chromium, never a downloaded one (`playwright install` is never run)
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS, timeout=60_000
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    # tall enough for the stability lab in presentation mode: element screenshots of
    # what lies below the viewport come out blank in headless chromium
    context = browser.new_context(viewport={"width": 1400, "height": 1600})
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def isolated_environment(home):
    """Environment variables putting every config and runtime folder under ``home``."""
    env = dict(os.environ)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR",
                 "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR", "IPYTHONDIR",
                 "MPLCONFIGDIR"):
        env[name] = str(home / name.lower())
        Path(env[name]).mkdir(parents=True, exist_ok=True)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("JUPYTER_TOKEN", None)
    # A fresh settings folder would ask "get notified about Jupyter news?": answer it here.
    notification = (Path(env["JUPYTERLAB_SETTINGS_DIR"]) / "@jupyterlab" / "apputils-extension"
                    / "notification.jupyterlab-settings")
    notification.parent.mkdir(parents=True, exist_ok=True)
    notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    return env


def notebook_copy(name, folder):
    """Copy ``notebooks/<name>`` into ``folder`` with every output and widget state cleared."""
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, folder / name)
    return folder / name


class Server:
    """A Jupyter server process on 127.0.0.1 with a token, stopped with its kernels."""

    def __init__(self, command, env, port, token, cwd, ready_path):
        self.port, self.token = port, token
        self.base = f"http://127.0.0.1:{port}"
        self.log_path = Path(env["JUPYTER_RUNTIME_DIR"]) / f"server-{port}.log"
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            command, env=env, cwd=cwd, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: its kernels are stopped with it
        )
        self._wait_until_ready(ready_path)

    def url(self, path):
        return f"{self.base}{path}{'&' if '?' in path else '?'}token={self.token}"

    def api(self, method, path):
        request = urllib.request.Request(self.url(path), method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log(self):
        return self.log_path.read_text(errors="replace")[-4000:]

    def _wait_until_ready(self, ready_path):
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log()}")
            try:
                urllib.request.urlopen(self.url(ready_path), timeout=5).close()
                return
            except urllib.error.HTTPError:
                return  # an HTTP answer, even an error, means the server is up
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"server not ready after {SERVER_START_TIMEOUT} s:\n{self.log()}")

    def stop(self):
        """Shut kernels down through the API, then stop the server and its process group."""
        if self.process.poll() is None:
            try:
                for session in self.api("GET", "/api/sessions") or []:
                    self.api("DELETE", f"/api/sessions/{session['id']}")
                for kernel in self.api("GET", "/api/kernels") or []:
                    self.api("DELETE", f"/api/kernels/{kernel['id']}")
            except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
                pass  # Voilà has no such API; the process group below covers its kernels
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        try:  # kernels started by this server, still running: same process group
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self._log.close()


@pytest.fixture
def workdir(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    # the notebooks import course_utils from the project: keep relative data paths working
    for extra in ("nbval_sanitize.cfg",):
        source = ROOT / "tests" / extra
        if source.exists():
            shutil.copy(source, folder / extra)
    return folder


@pytest.fixture
def lab_server(tmp_path, workdir):
    """Start JupyterLab on a random port, serving ``workdir``; yield it; stop it and its kernels."""
    env = isolated_environment(tmp_path / "home")
    token = secrets.token_hex(16)
    env["JUPYTER_TOKEN"] = token  # not on the command line, where `ps` would show it
    port = free_port()
    command = [
        str(BIN / "jupyter-lab"), "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        "--ServerApp.port_retries=0", f"--ServerApp.root_dir={workdir}",
        "--LabApp.news_url=None", "--ServerApp.disable_check_xsrf=False",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    server = Server(command, env, port, token, cwd=workdir, ready_path="/api/status")
    yield server
    server.stop()


def start_voila(notebook, tmp_path, attempt):
    env = isolated_environment(tmp_path / f"voila-home-{attempt}")
    token = secrets.token_hex(16)
    config = Path(env["JUPYTER_CONFIG_DIR"]) / "voila.json"
    config.write_text(json.dumps({"Voila": {"token": token}}))  # not on the command line
    port = free_port()
    command = [
        str(BIN / "voila"), str(notebook), "--no-browser", "--Voila.ip=127.0.0.1",
        f"--port={port}",
        # Voilà's executor can miss a kernel reply and, with no timeout, wait for ever
        # (shared notes: about 1 run in 3-8): bound every cell, and retry once (tests).
        "--VoilaExecutor.timeout=60",
        "--MappingKernelManager.cull_idle_timeout=120",
    ]
    # any answer will do: requesting the notebook itself would start a kernel
    return Server(command, env, port, token, cwd=notebook.parent, ready_path="/voila/static/")


AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_script():
    """axe-core's script (``make test`` installs it with npm); skip, or fail under CI=true."""
    if AXE.is_file():
        return AXE
    reason = f"no axe-core at {AXE}: run `make test` (npm install --prefix tests/browser)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; under CI=true the accessibility audit must run", pytrace=False)
    pytest.skip(reason)
