"""The explorers in a real browser, side by side with the usual way: ``python -m benchmarks.browser``.

One JupyterLab server, one Chromium page, one notebook holding the course's three explorers
(Jacobian explorer, softmax explorer, stability lab, each at D = 10) and the Jacobian
explorer's peer, the same 10 x 10 heatmap written the way most courses do it:
``ipywidgets.interact`` with a full matplotlib redraw. Each is timed by the one ``measure``
below, in the page's own clock (``performance.now()``, a ``requestAnimationFrame`` loop
that notes each frame whose picture or readout changed); the kernel's CPU is read from
/proc around a 5 s drag. Prints a table with the CPU model and the load, and the ratios
Jacobian explorer / peer.
"""

import math
import os
import re
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from conftest import (  # noqa: E402
    BIN,
    CHROMIUM,
    CHROMIUM_ARGS,
    Server,
    free_port,
    isolated_environment,
    start_voila,
)

CELLS = [
    "import course_utils as cu\nimport numpy as np",
    "explorer = cu.widgets.jacobian_explorer(np.linspace(0.0, 2.0, 10))\nexplorer",
    "bars = cu.widgets.softmax_explorer(np.linspace(0.0, 2.0, 10))\nbars",
    "lab = cu.widgets.stability_lab(np.linspace(0.0, 2.0, 10))\nlab",
    # the peer: what a course usually writes
    """import ipywidgets as widgets
import matplotlib.pyplot as plt
sliders = {f"x{k}": widgets.FloatSlider(value=0.2 * k, min=-10, max=10, step=0.1) for k in range(1, 11)}
def show(**logits):
    jacobian = cu.softmax_jacobian(np.array(list(logits.values())))
    fig, ax = plt.subplots(figsize=(5, 4.2))
    ax.imshow(jacobian, cmap="PuOr_r", vmin=-0.25, vmax=0.25)
    for (i, j), value in np.ndenumerate(jacobian):
        ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=7)
    plt.show()
widgets.interact(show, **sliders);""",
]

# the course's explorers, by the ``kind`` their front end marks them with (course-<kind>)
EXPLORERS = ["jacobian", "softmax", "stability"]

# Notes the page time of each frame whose signature changed; keydown and pointer events.
PROBE = """([root, kind]) => {
  root.frames = []; root.stamps = [];
  root.moves = [];
  const stamp = (type) => root.stamps.push([type, performance.now()]);
  for (const type of ["keydown", "pointerup"]) root.addEventListener(type, () => stamp(type), true);
  document.addEventListener("pointermove", () => root.moves.push(performance.now()), true);
  let last = null;
  const signature = () => kind === "course"
    ? root.querySelector(".course-readout pre").textContent
    : Array.from(root.querySelectorAll("img")).map((img) => img.src).join();
  root.ticks = [];
  const loop = (now) => {
    root.ticks.push(now);
    const s = signature();
    if (s !== last) { last = s; root.frames.push(now); }
    if (!root.stop) requestAnimationFrame(loop); };
  requestAnimationFrame(loop);
}"""


def kernel_cpu_seconds(server_pid):
    """User + system CPU seconds of the server's kernels (its descendants), from /proc."""
    parents, times = {}, {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        parents[int(pid)] = int(fields[1])
        if b"ipykernel" in command:
            times[int(pid)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def descends(pid):
        while pid > 1:
            if pid == server_pid:
                return True
            pid = parents.get(pid, 0)
        return False

    return sum(seconds for pid, seconds in times.items() if descends(pid))


def cpu_model():
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown CPU"


def handle(root, kind, index=0):
    if kind == "course":  # the logit sliders: labelled x₁, x₂, ...
        return root.locator(".course-logits .course-slider:not(.course-off) input").nth(index)
    return root.locator(".noUi-handle").nth(index)


def drag(page, target, seconds):
    """Drag the thumb back and forth over 40 % of its track, for about ``seconds``.

    Each leg is one Playwright call of one-pixel steps (no Python round trip between moves),
    starting at the thumb and staying on the track, so every move can change the value.
    """
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    if target.evaluate("(e) => e.tagName") == "INPUT":  # the thumb sits at the value
        value, low, high = (float(target.evaluate(f"(e) => e.{name}")) for name in ("value", "min", "max"))
        x, track = box["x"] + box["width"] * (value - low) / (high - low), box["width"]
    else:  # a noUi handle: its track is the slider around it
        track = target.evaluate("(e) => e.closest('.noUi-target').getBoundingClientRect().width")
    half = int(0.2 * track)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + half, y, steps=half)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page.mouse.move(x - half, y, steps=2 * half)
        page.mouse.move(x + half, y, steps=2 * half)
    page.mouse.up()


def measure(page, root, kind, server_pid):
    root.scroll_into_view_if_needed()
    root.evaluate(f"(root) => ({PROBE})([root, {kind!r}])")
    # frames while dragging, and the kernel's CPU over a 5 s drag
    time.sleep(0.5)
    for _ in range(30):  # until the kernel has finished displaying (the PNG fallbacks)
        before = kernel_cpu_seconds(server_pid)
        time.sleep(1.0)
        if kernel_cpu_seconds(server_pid) - before < 0.02:
            break
    idle_before, idle_started = kernel_cpu_seconds(server_pid), time.monotonic()
    time.sleep(3.0)  # the kernel's own idle work (heartbeats, status), for comparison
    idle = (kernel_cpu_seconds(server_pid) - idle_before) / (time.monotonic() - idle_started)
    frames_before = root.evaluate("(r) => r.frames.length")
    cpu_before = kernel_cpu_seconds(server_pid)
    started = time.monotonic()
    drag(page, handle(root, kind), 5.0)
    elapsed = time.monotonic() - started
    cpu = (kernel_cpu_seconds(server_pid) - cpu_before) / elapsed
    time.sleep(2.0)  # let the peer's queue drain
    stamps = root.evaluate("(r) => r.stamps")
    frames = root.evaluate("(r) => r.frames")
    release = [t for name, t in stamps if name == "pointerup"][-1]
    drag_frames = [t for t in frames[frames_before:] if t <= release]
    seconds = (release - drag_frames[0]) / 1e3 if len(drag_frames) > 1 else float("inf")
    fps = len(drag_frames) / seconds
    moves = len([t for t in root.evaluate("(r) => r.moves") if drag_frames[0] <= t <= release]) / seconds
    ticks = len([t for t in root.evaluate("(r) => r.ticks") if drag_frames[0] <= t <= release]) / seconds
    after_release = [t for t in frames if t > release]
    release_ms = (after_release[-1] - release) if after_release else 0.0
    # key press -> next frame, 15 presses 300 ms apart
    latencies = []
    target = handle(root, kind, 1)
    target.focus()
    for press in range(15):
        before = root.evaluate("(r) => r.frames.length")
        target.press("ArrowRight" if press % 2 == 0 else "ArrowLeft")
        time.sleep(0.3 if kind == "course" else 1.0)
        frames = root.evaluate("(r) => r.frames")
        key = [t for name, t in root.evaluate("(r) => r.stamps") if name == "keydown"][-1]
        new = [t for t in frames[before:] if t >= key]
        if new:
            latencies.append(new[0] - key)
    d_ms = float("nan")
    if kind == "course":  # changing D: 3 <-> 10 by Home / End on its slider
        size = root.locator(".course-slider input").first
        size.focus()
        times = []
        for press in range(6):
            before = root.evaluate("(r) => r.frames.length")
            size.press("Home" if press % 2 == 0 else "End")
            time.sleep(0.4)
            key = [t for name, t in root.evaluate("(r) => r.stamps") if name == "keydown"][-1]
            new = [t for t in root.evaluate("(r) => r.frames")[before:] if t >= key]
            if new:
                times.append(new[0] - key)
        d_ms = statistics.median(times)
    key_ms = statistics.median(latencies) if latencies else float("nan")
    return {"ticks": ticks, "idle": 100 * idle, "d_ms": d_ms, "moves": moves, "fps": fps, "key_ms": key_ms,
            "release_ms": release_ms, "cpu": 100 * cpu}


def lab_server(work, home):
    """JupyterLab on 127.0.0.1 with a token, serving ``work``; its page runs every cell on Run All."""
    env = isolated_environment(home / "lab-home")
    token = secrets.token_hex(16)
    env["JUPYTER_TOKEN"] = token
    port = free_port()
    command = [str(BIN / "jupyter-lab"), "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               f"--ServerApp.root_dir={work}"] + (["--allow-root"] if os.geteuid() == 0 else [])
    return Server(command, env, port, token, cwd=work, ready_path="/api/status")


def open_in_lab(page, server):
    page.goto(server.url("/lab/tree/bench.ipynb"))
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=90_000)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()


def open_in_voila(page, server):
    page.goto(server.url("/"), timeout=180_000)


def measure_all(browser, server, open_page):
    """Every explorer and the peer on one page, each timed by :func:`measure`."""
    page = browser.new_page(viewport={"width": 1400, "height": 1400})
    open_page(page, server)
    for name in EXPLORERS:
        page.locator(f".course-explorer.course-{name}").wait_for(timeout=180_000)
    page.locator(".widget-interact img").first.wait_for(timeout=180_000)
    time.sleep(2)
    results = {name: measure(page, page.locator(f".course-explorer.course-{name}"), "course",
                             server.process.pid) for name in EXPLORERS}
    results["peer"] = measure(page, page.locator(".widget-interact"), "peer", server.process.pid)
    page.close()
    return results


def main():
    from playwright.sync_api import sync_playwright

    runs = {}
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        work = home / "notebooks"
        work.mkdir()
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                           "language": "python"}
        nbformat.write(notebook, work / "bench.ipynb")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                                 args=CHROMIUM_ARGS)
            for where, start, open_page in [("JupyterLab", lab_server, open_in_lab),
                                            ("Voilà", lambda w, h: start_voila(w / "bench.ipynb", h, 0),
                                             open_in_voila)]:
                server = start(work, home)
                try:
                    runs[where] = measure_all(browser, server, open_page)
                finally:
                    server.stop()
            browser.close()
    load = os.getloadavg()[0]
    print(f"CPU: {cpu_model()}, {os.cpu_count()} cores; load average (1 min) {load:.2f}")
    for where, results in runs.items():
        print_table(where, results)


ROWS = [("pointer moves the page received per second (the drag's input)", "moves", "{:.0f}"),
        ("animation frames the browser ran per second (the most it can show)", "ticks", "{:.0f}"),
        ("distinct frames per second while dragging", "fps", "{:.0f}"),
        ("key press → new frame (median ms)", "key_ms", "{:.0f}"),
        ("mouse release → final frame (ms)", "release_ms", "{:.0f}"),
        ("kernel CPU during a 5 s drag (% of a core)", "cpu", "{:.1f}"),
        ("kernel CPU at rest, 3 s before it (% of a core)", "idle", "{:.1f}"),
        ("change D, 10 ↔ 3 → new frame (median ms; the peer has no D)", "d_ms", "{:.0f}")]


def print_table(where, results):
    def cell(value, fmt):
        return "—" if math.isnan(value) else fmt.format(value)

    print(f"\n{where}\n")
    print("| D = 10 | Jacobian explorer | softmax explorer | stability lab | ipywidgets.interact peer"
          " (Jacobian heatmap) | Jacobian explorer / peer |")
    print("|---|---|---|---|---|---|")
    course, peer = results["jacobian"], results["peer"]
    for label, key, fmt in ROWS:
        ratio = course[key] / peer[key] if peer[key] and not math.isnan(peer[key]) else float("nan")
        values = " | ".join(cell(results[name][key], fmt) for name in [*EXPLORERS, "peer"])
        print(f"| {label} | {values} | {cell(ratio, '{:.2f}')} |")

if __name__ == "__main__":
    main()
