"""The instructors' dashboard and notebook 09 in Voilà, in Debian's chromium: the explorers
render in presentation mode, draw live while dragged and agree with NumPy (the same checks as
in JupyterLab, ``test_jupyterlab.exercise_explorers`` and ``test_attention``), and the
attention explorer's page does not shift while it is dragged, nor the explorer itself as it loads.
"""

import time

import pytest
import widget_checks as check
from conftest import notebook_copy, start_voila
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from test_attention import NOTEBOOK as ATTENTION_NOTEBOOK
from test_attention import RECORDER, STOP, expected_readout
from test_jupyterlab import assert_projector_layout, exercise_explorers, scroll_to

from course_utils.widgets import jacobian_explorer, softmax_explorer, stability_lab

pytestmark = pytest.mark.browser

DASHBOARD = "instructor_dashboard.ipynb"
RENDER_TIMEOUT = 90_000  # ms for Voilà to execute the notebook and the widgets to render
MAX_LAYOUT_SHIFT = 0.1  # "good" cumulative layout shift (web.dev), counted with or without input
# Every layout shift from navigation on (buffered), input or not: when, how much, and whether
# an element of the attention explorer moved.
SHIFTS = """() => { window.courseShifts = []; new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.courseShifts.push({
      time: entry.startTime, value: entry.value,
      explorer: entry.sources.some((s) => s.node && s.node.closest && s.node.closest(".course-attention"))});
}).observe({ type: "layout-shift", buffered: true }); }"""


def open_in_voila(page, tmp_path, workdir, name=DASHBOARD, ready=lambda page: check.explorers(page).nth(2)):
    """Start Voilà and load notebook ``name``, retrying once on Voilà's intermittent hang.

    The shared notes measured it (about 1 run in 3-8): the executor misses a kernel reply
    and waits until its timeout. ``start_voila`` bounds every cell; a second, fresh server
    is the retry. Returns the server, which the caller must stop.
    """
    notebook = notebook_copy(name, workdir)
    for attempt in (1, 2):
        server = start_voila(notebook, tmp_path, attempt)
        try:
            page.goto(server.url("/"), timeout=RENDER_TIMEOUT)
            ready(page).locator("canvas").wait_for(timeout=RENDER_TIMEOUT)
            return server
        except PlaywrightTimeout:
            log = server.log()
            server.stop()
            if attempt == 2:
                pytest.fail(f"Voilà did not render {name} twice; server log:\n{log}")
    raise AssertionError("unreachable")


@pytest.fixture
def dashboard(page, tmp_path, workdir):
    server = open_in_voila(page, tmp_path, workdir)
    yield page
    server.stop()


def test_dashboard_explorers_draw_live_and_never_go_stale(dashboard, artifacts, axe_script):
    page = dashboard
    assert "Setup" not in page.locator("body").text_content()  # Voilà hides the code
    probabilities = check.explorers(page).nth(0)
    assert "course-presentation" in (probabilities.get_attribute("class") or "")
    lab = stability_lab(scale=50.0, dtype="float32")
    at_rest = [softmax_explorer([1.0, 2.0, 3.0]), jacobian_explorer([1.0, 2.0, 3.0]), lab]
    exercise_explorers(page, artifacts, "voila", at_rest, lab, axe_script)
    # on a projector: the dashboard opens in projector mode
    check.record_texts(page)
    for width, height in ((1280, 720), (1920, 1080)):
        assert_projector_layout(page, width, height, locate=scroll_to, shots=artifacts / "voila_projector")
    assert not page.errors, page.errors


def settle(page, quiet=1.0, timeout=15.0):
    """Wait until the page has not shifted for ``quiet`` seconds (or ``timeout`` passed)."""
    deadline = time.monotonic() + timeout
    count, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        now = page.evaluate("() => window.courseShifts.length")
        if now != count:
            count, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        time.sleep(0.1)


def test_the_attention_explorer_draws_numpys_weights_in_voila_without_shifting(page, tmp_path, workdir,
                                                                               artifacts):
    attention = lambda page: page.locator(".course-attention")  # noqa: E731
    server = open_in_voila(page, tmp_path, workdir, ATTENTION_NOTEBOOK, attention)
    try:
        page.evaluate(SHIFTS)
        explorer = page.locator(".course-attention")
        assert explorer.count() == 1
        explorer.scroll_into_view_if_needed()
        assert explorer.locator("pre").text_content() == expected_readout(1.0)  # as its cells left it
        explorer.screenshot(path=artifacts / "voila_attention_explorer.png")
        settle(page)  # the prose's maths typesets after the widgets render; drag on a page at rest
        dragged_from = page.evaluate("() => performance.now()")
        explorer.evaluate(RECORDER)
        slider = explorer.locator("input[type=range]")
        box = slider.bounding_box()
        x0 = box["x"] + box["width"] * (1.0 - 0.05) / (4.0 - 0.05)
        y = box["y"] + box["height"] / 2
        page.mouse.move(x0, y)
        page.mouse.down()
        for step in range(1, 41):  # a 0.8 s drag to the right
            page.mouse.move(x0 + 60 * step / 40, y)
            time.sleep(0.02)
        page.mouse.up()
        time.sleep(0.3)
        records = explorer.evaluate(STOP)["records"]
        shifts = page.evaluate("() => window.courseShifts")
    finally:
        server.stop()
    for record in records:  # every frame drawn shows NumPy's numbers for its own scale
        assert record["text"] == expected_readout(record["factor"]), record
    factors = {record["factor"] for record in records}
    loading = sum(entry["value"] for entry in shifts if entry["time"] < dragged_from)
    dragging = sum(entry["value"] for entry in shifts if entry["time"] >= dragged_from)
    print(f"\nVoilà attention explorer: {len(factors)} distinct frames in a 0.8 s drag; layout shift "
          f"while the page loads {loading:.3f} (the prose's maths typeset), while dragged {dragging:.3f}")
    assert len(factors) >= 5 and max(factors) > 1.0, "the heatmap must follow the drag"
    assert dragging <= MAX_LAYOUT_SHIFT, shifts
    assert not [entry for entry in shifts if entry["explorer"]], "the explorer's own elements never move"
    assert not page.errors, page.errors
