"""Notebook 09's attention explorer in JupyterLab, in Debian's chromium: drawn in the page, NumPy's numbers.

One cycle (start a server, open a copy of notebook 09, run all, press keys, drag, check, stop).
For every frame the page drew, the readout must be the one AttentionExplorer writes with NumPy
for the scale the page drew at; after the page moved the slider, the kernel's ``factor`` must be
the page's. Latencies and frame counts are measured in the page's own clock and printed.
"""

import os
import statistics
import time
from pathlib import Path

import nbformat
import pytest
import widget_checks as check
from conftest import notebook_copy

from course_utils.widgets.attention import AttentionExplorer

pytestmark = pytest.mark.browser

NOTEBOOK = "09_attention_and_a_hidden_layer.ipynb"
PROBE = 'print(f"kernel factor {explorer.factor:.2f}")'
REFERENCE = AttentionExplorer(n_tokens=6, width=16)  # as notebook 09 makes it

# At every animation frame in which the explorer drew something new: the page's clock, the
# factor it drew at and its readout; key presses and pointer events stamped in the same clock.
RECORDER = """(root) => {
  root.records = []; root.stamps = []; let last = -1;
  for (const type of ["keydown", "pointerdown", "pointerup"]) {
    root.addEventListener(type, () => root.stamps.push([type, performance.now()]), true);
  }
  const loop = (now) => {
    const frame = root.courseFrame();
    if (frame.frames !== last) {
      last = frame.frames;
      root.records.push({ time: now, factor: frame.factor, text: frame.readout });
    }
    if (!root.stopRecording) requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
}"""
# A drag driven by the page itself: a new slider value at every animation frame for 1.2 s, as
# a fast mouse gives, without Playwright's round trips (5-50 ms each on a loaded machine).
PAGE_DRAG = """async (root) => {
  const input = root.querySelector("input[type=range]");
  const start = performance.now(); const drawn = new Set(); let ticks = 0;
  await new Promise((done) => {
    const tick = (now) => {
      const t = (now - start) / 1200;
      input.value = String(0.5 + 3 * Math.min(t, 1));
      input.dispatchEvent(new Event("input", { bubbles: true }));
      drawn.add(root.courseFrame().factor);
      ticks += 1;
      if (t < 1) requestAnimationFrame(tick); else done();
    };
    requestAnimationFrame(tick);
  });
  input.dispatchEvent(new Event("change", { bubbles: true }));
  return { seconds: (performance.now() - start) / 1000, distinct: drawn.size, ticks };
}"""
STOP = "(root) => { root.stopRecording = true; return {records: root.records, stamps: root.stamps}; }"


def kernel_cpu_seconds(server):
    """CPU seconds used so far by the kernels ``server`` started (its child processes)."""
    total, found = 0, False
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue  # the process ended meanwhile
        if int(fields[1]) == server.process.pid and b"ipykernel" in cmdline:  # parent: the server
            total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
            found = True
    assert found, "no kernel of this server found in /proc"
    return total / os.sysconf("SC_CLK_TCK")


def expected_readout(factor):
    REFERENCE.set_factor(round(factor, 2))
    return REFERENCE.readout_text


def run_all(page, server, workdir):
    path = notebook_copy(NOTEBOOK, workdir)
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(PROBE))  # re-run after moving the slider
    nbformat.write(notebook, path)
    check.run_all_cells(page, server.url(f"/lab/tree/{NOTEBOOK}"))


def rerun_probe(page):
    """Run the last cell again and return the factor the kernel holds."""
    # JupyterLab renders a long notebook in a window: scroll to its end, then find the cell
    page.locator(".jp-WindowedPanel-outer").evaluate("(panel) => { panel.scrollTop = panel.scrollHeight; }")
    cell = page.locator(".jp-CodeCell", has_text="kernel factor {explorer.factor")
    cell.wait_for(timeout=10_000)
    cell.scroll_into_view_if_needed()
    cell.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Shift+Enter")
    output = cell.locator(".jp-OutputArea-output")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        text = output.all_text_contents()
        running = "*" in cell.locator(".jp-InputPrompt").text_content()
        if text and "kernel factor" in text[-1] and not running:
            return float(text[-1].split()[-1])
        time.sleep(0.2)
    pytest.fail(f"the probe cell printed {output.all_text_contents()}")


def test_the_attention_explorer_draws_numpys_weights_and_the_kernel_follows(page, lab_server, workdir,
                                                                            artifacts):
    run_all(page, lab_server, workdir)
    explorer = page.locator(".course-attention")
    explorer.scroll_into_view_if_needed()
    assert explorer.count() == 1
    alternative = explorer.locator("canvas").get_attribute("aria-label")
    assert alternative.startswith("Heatmap of the attention weights")
    # Run All left it where its cells put it: 1.0 after the three scales set from Python
    assert explorer.locator("pre").text_content() == expected_readout(1.0)
    explorer.screenshot(path=artifacts / "lab_attention_explorer.png")

    slider = explorer.locator("input[type=range]")
    explorer.evaluate(RECORDER)
    slider.focus()
    for _ in range(8):  # 8 key presses, 80 ms apart: 1.00 down to 0.60
        page.keyboard.press("ArrowLeft")
        time.sleep(0.08)
    cpu_before, clock_before = kernel_cpu_seconds(lab_server), time.monotonic()
    box = slider.bounding_box()
    x0 = box["x"] + box["width"] * (0.60 - 0.05) / (4.0 - 0.05)
    y = box["y"] + box["height"] / 2
    page.mouse.move(x0, y)
    page.mouse.down()
    for step in range(1, 61):  # a 1.2 s drag to the right
        page.mouse.move(x0 + 120 * step / 60, y)
        time.sleep(0.02)
    page.mouse.up()
    kernel_share = (kernel_cpu_seconds(lab_server) - cpu_before) / (time.monotonic() - clock_before)
    time.sleep(0.3)
    recorded = explorer.evaluate(STOP)

    records, stamps = recorded["records"], recorded["stamps"]
    for record in records:  # every frame drawn shows NumPy's numbers for its own scale
        assert record["text"] == expected_readout(record["factor"]), record
    factors = [record["factor"] for record in records]
    assert 0.6 in factors and factors[-1] > 0.6
    keys = [time for kind, time in stamps if kind == "keydown"]
    latencies = [min(r["time"] for r in records if r["time"] >= key) - key for key in keys]
    down = next(time for kind, time in stamps if kind == "pointerdown")
    up = next(time for kind, time in stamps if kind == "pointerup")
    dragged = [r for r in records if down <= r["time"] <= up]
    final = [r for r in records if r["time"] >= up and r["factor"] == factors[-1]]
    release = final[0]["time"] - up if final else 0.0  # 0: the last frame came before the release
    seconds = (up - down) / 1000
    fps = len({r["factor"] for r in dragged}) / seconds
    print(f"\nattention explorer: key press -> frame median {statistics.median(latencies):.0f} ms, "
          f"{fps:.0f} distinct frames per second while dragging ({len(dragged) / seconds:.0f} drawn), "
          f"release -> final frame {release:.0f} ms, kernel CPU {kernel_share:.0%} of a core")
    assert len({r["factor"] for r in dragged}) >= 10, "the heatmap must follow the drag, not only the release"

    fast = explorer.evaluate(PAGE_DRAG)
    print(f"attention explorer, page-driven drag: {fast['distinct'] / fast['seconds']:.0f} distinct pictures "
          f"per second, in {fast['distinct']} of the browser's {fast['ticks']} animation frames")
    assert fast["distinct"] >= 0.7 * fast["ticks"], "a new picture at (almost) every frame the browser gives"
    time.sleep(0.3)
    assert explorer.locator("pre").text_content() == expected_readout(3.5)
    factors.append(3.5)

    # the kernel heard of the last value: Python's weights are the page's
    assert rerun_probe(page) == pytest.approx(factors[-1])
    assert not page.errors, page.errors
