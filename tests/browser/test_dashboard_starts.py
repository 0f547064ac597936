"""`make dashboard`, the instructors' own command, started fresh and opened in Debian's chromium.

Each start runs the Makefile's target (token, executor timeout, culling) on a free port and
loads the page; it must render all three explorers within RENDER_BUDGET seconds, timed in the
page's own clock (``performance.now()`` counts from the navigation's start). The test starts
it DASHBOARD_STARTS times (once by default: the CI budget); ``python -m
benchmarks.bench_dashboard_starts`` does the issue's 20 and prints the table. The same test
checks the token (no page without it) and that the kernel of a closed page is culled.
"""

import os
import re
import secrets
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest
import widget_checks as check
from conftest import ROOT, Server, free_port, isolated_environment

pytestmark = pytest.mark.browser

RENDER_BUDGET = 30.0  # seconds from navigation to every explorer drawn (issue 14)
STARTS = int(os.environ.get("DASHBOARD_STARTS", "1"))
CULL_SECONDS = 4  # the test's culling delay; the instructors' default is 120 s
REQUIREMENTS = ROOT / "requirements-instructor.txt"


def start_dashboard(home, cull=CULL_SECONDS):
    """`make dashboard` on a free port, its token in the environment; a conftest Server."""
    env = isolated_environment(Path(home))
    token = secrets.token_hex(16)
    env["JUPYTER_TOKEN"] = token  # what --token picks up, never on the command line
    port = free_port()
    command = ["make", "-s", "--no-print-directory", "dashboard", f"DASHBOARD_PORT={port}",
               f"DASHBOARD_CULL={cull}", "DASHBOARD_FLAGS=--no-browser"]
    return Server(command, env, port, token, cwd=ROOT, ready_path="/voila/static/")


def kernels(server):
    """The kernels the dashboard's Voilà started: ipykernel processes under `make`."""
    children = psutil.Process(server.process.pid).children(recursive=True)
    found = []
    for child in children:
        try:
            if "ipykernel_launcher" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.NoSuchProcess:
            pass
    return found


def voila_command_line(server):
    for child in psutil.Process(server.process.pid).children(recursive=True):
        line = " ".join(child.cmdline())
        if "voila" in line and "ipykernel" not in line:
            return line
    raise AssertionError("no voila process under make")


def render_seconds(page, server):
    """Load the dashboard; the seconds, in the page's clock, until every explorer is drawn."""
    page.goto(server.url("/"), timeout=RENDER_BUDGET * 1000 * 3)
    check.explorers(page).nth(2).locator("canvas").wait_for(timeout=RENDER_BUDGET * 1000 * 3)
    check.assert_widgets_rendered(page, count=3)
    return page.evaluate("performance.now()") / 1000


def test_every_start_of_make_dashboard_renders_in_time(browser, tmp_path):
    seconds = []
    for start in range(STARTS):
        server = start_dashboard(tmp_path / f"home-{start}")
        context = browser.new_context(viewport={"width": 1400, "height": 1600})
        try:
            page = context.new_page()
            seconds.append(render_seconds(page, server))
            if start == 0:
                line = voila_command_line(server)
                assert "--Voila.ip=127.0.0.1" in line and "--token" in line
                assert re.search(r"--VoilaExecutor.timeout=\d+", line)
                assert f"--MappingKernelManager.cull_idle_timeout={CULL_SECONDS}" in line
                assert server.token not in line  # the token stays out of `ps`
                with pytest.raises(urllib.error.HTTPError) as refused:  # no token, no dashboard
                    opener = urllib.request.build_opener(NoRedirect)
                    opener.open(f"{server.base}/", timeout=10)
                assert refused.value.code in (302, 401, 403)
                assert len(kernels(server)) == 1
                context.close()  # the instructor closes the page: its kernel must go
                deadline = time.monotonic() + CULL_SECONDS * 6 + 10
                while kernels(server) and time.monotonic() < deadline:
                    time.sleep(0.5)
                assert not kernels(server), "the closed page's kernel was not culled"
        finally:
            context.close()
            log = server.log()
            server.stop()
        assert seconds[-1] < RENDER_BUDGET, f"start {start + 1}: {seconds[-1]:.1f} s\n{log}"
    print("dashboard renders (s):", ", ".join(f"{value:.1f}" for value in seconds))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_make_dashboard_needs_only_the_course_and_voila():
    """The target installs requirements-instructor.txt (course + Voilà + slides), no test tools."""
    recipe = subprocess.run(["make", "-n", "-B", "dashboard"], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout
    assert "requirements-instructor.txt" in recipe
    assert "requirements-dev.txt" not in recipe
    lines = [line.split("#")[0].strip() for line in REQUIREMENTS.read_text().splitlines()]
    packages = {re.split(r"[<>=]", line)[0] for line in lines if line and not line.startswith("-r")}
    assert packages == {"voila", "jupyterlab-slideshow", "jupyter-server-mathjax"}
    assert "-r requirements.txt" in lines
    for line in REQUIREMENTS.read_text().splitlines():
        if line and not line.startswith(("#", "-r")):
            assert re.match(r"^[\w.\-]+>=[0-9.]+\s+#\s*\S", line), f"{line!r} needs `package>=version  # why`"
