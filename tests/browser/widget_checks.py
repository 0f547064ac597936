"""What the browser tests (and the browser benchmark) do to and check on a page with explorers.

The explorers draw in the page (course_utils/widgets/assets/explorer.js). The expected
values are computed here, in the test process, by NumPy through course_utils: for every
frame the page drew, the readout must be the one course_utils writes for the values the
sliders show, and each heatmap cell must have the colour of NumPy's Jacobian entry.
Timing is taken in the page's own clock (``performance.now()``), never by Playwright.
"""

import re
import time

import numpy as np

from course_utils import softmax, softmax_jacobian
from course_utils.plots.heatmap import colormap_samples
from course_utils.widgets.readouts import jacobian_text, probabilities_text
from course_utils.widgets.stability import compare_methods, comparison_text

MINUS = "\N{MINUS SIGN}"
FAILURE_TEXTS = ("Error displaying widget", "Loading widget", "Model not found")
REPR_TEXTS = ("SoftmaxExplorer(", "JacobianExplorer(", "StabilityLab(")
UPDATE_TIMEOUT = 20.0  # seconds for the kernel to hear of a change
COLORMAP = np.array([[int(colour[k:k + 2], 16) for k in (1, 3, 5)] for colour in colormap_samples()])

# Records, at every animation frame in which the explorer drew something new, what it
# drew from (its state), its readout, the slider readouts and the colour of every cell.
RECORDER = """(root) => {
  const canvas = root.querySelector("canvas");
  const pre = root.querySelector(".course-readout pre");
  root.records = [];
  root.stamps = [];
  let last = -1;
  for (const type of ["keydown", "pointerdown", "pointerup"]) {
    root.addEventListener(type, () => root.stamps.push([type, performance.now()]), true);
  }
  const loop = (now) => {
    const frame = root.courseFrame();
    if (frame.frames !== last) {
      last = frame.frames;
      const ctx = canvas.getContext("2d");
      const at = (v) => Math.round((v + 3) * frame.ratio);
      const cells = (frame.layout.cells || []).map((row) => row.map((c) =>
        Array.from(ctx.getImageData(at(c.x), at(c.y), 1, 1).data.slice(0, 3))));
      const outputs = [...root.querySelectorAll(".course-slider:not(.course-off) output")]
        .map((o) => o.textContent);
      root.records.push({ time: now, state: frame.state, text: pre.textContent, outputs, cells });
    }
    if (!root.stopRecording) requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
}"""


KERNEL_IDLE = "Python 3 (ipykernel) | Idle"
RUN_ALL_TIMEOUT = 180  # seconds; a course notebook runs in under 10 s in nbclient on an idle machine


def run_all_cells(page, url, timeout=RUN_ALL_TIMEOUT):
    """Open a notebook in JupyterLab at ``url``, Run All, wait until every cell ran; no error shown.

    The toolbar says idle before any kernel exists, and cells run then render their widgets as
    plain text, silently: the status bar names the kernel only once it is there.
    """
    page.goto(url)
    page.get_by_text(KERNEL_IDLE).wait_for(timeout=90_000)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    prompts = page.locator(".jp-CodeCell .jp-InputPrompt")
    deadline = time.monotonic() + timeout
    texts = []
    while time.monotonic() < deadline:
        texts = prompts.all_text_contents()
        done = texts and all(re.search(r"\[\d+\]", text) for text in texts)
        if done and page.get_by_text(KERNEL_IDLE).count():
            break
        time.sleep(0.5)
    else:
        raise AssertionError(f"cells still running or not run after {timeout} s: {texts}")
    errors = page.locator("[data-mime-type='application/vnd.jupyter.error']")
    assert errors.count() == 0, errors.first.text_content()


def explorers(page):
    return page.locator(".course-explorer")


def assert_widgets_rendered(page, count):
    """Every explorer rendered by its front end: none as text, no error, a canvas each."""
    body = page.locator("body").text_content()
    for text in FAILURE_TEXTS + REPR_TEXTS:
        assert text not in body, f"page shows {text!r}"
    assert explorers(page).count() == count
    for index in range(count):
        canvas = explorers(page).nth(index).locator("canvas")
        assert canvas.get_attribute("aria-label"), f"explorer {index} has no text alternative"


def readout(explorer):
    return explorer.locator(".course-readout pre").text_content()


def state(explorer):
    return explorer.evaluate("(root) => root.courseFrame().state")


def expected_readout(kind, frame_state):
    """The readout course_utils (NumPy) writes for the values the page drew from."""
    logits = np.array(frame_state["logits"], dtype=float)
    temperature = frame_state["temperature"]
    if kind == "softmax":
        return probabilities_text(softmax(logits, temperature=temperature), temperature)
    if kind == "jacobian":
        return jacobian_text(softmax(logits, temperature=temperature),
                             softmax_jacobian(logits, temperature), temperature)
    scaled = frame_state["scale"] * logits / temperature
    return comparison_text(compare_methods(scaled, frame_state["dtype"]), frame_state["dtype"])


_NUMBER = re.compile(r"[−-]?\d+\.\d+(?:e[−+-]\d+)?")
_ROUNDING = re.compile(r"\(largest [^)]*\)")  # bounds on rounding errors: their bits may differ


def assert_same_text(shown, expected):
    """Equal, except numbers may differ by one unit of their last printed digit."""
    shown, expected = _ROUNDING.sub("(…)", shown), _ROUNDING.sub("(…)", expected)
    assert _NUMBER.sub("#", shown) == _NUMBER.sub("#", expected), f"{shown}\n--- expected:\n{expected}"
    for a, b in zip(_NUMBER.findall(shown), _NUMBER.findall(expected), strict=True):
        decimals = len(a.split("e")[0].split(".")[1])
        x, y = (float(v.replace(MINUS, "-")) for v in (a, b))
        scale = 10 ** int(a.split("e")[1].replace(MINUS, "-")) if "e" in a else 1
        assert abs(x - y) <= 1.01 * scale * 10**-decimals, f"{a} vs {b}\n{shown}\n--- expected:\n{expected}"


def assert_frame_consistent(kind, record):
    """One drawn frame: its readout is NumPy's for its state, its cells NumPy's colours."""
    frame_state = record["state"]
    assert_same_text(record["text"], expected_readout(kind, frame_state))
    shown = record["outputs"]
    logits = [f"{value:.2f}".replace("-", MINUS) for value in frame_state["logits"]]
    assert shown[0] == str(len(logits)) and shown[-len(logits):] == logits, (shown, frame_state)
    if kind == "jacobian":
        jacobian = softmax_jacobian(np.array(frame_state["logits"]), frame_state["temperature"])
        cells = np.array(record["cells"])
        assert cells.shape[:2] == jacobian.shape
        index = np.round((np.clip(jacobian, -0.25, 0.25) + 0.25) / 0.5 * (len(COLORMAP) - 1))
        expected = COLORMAP[index.astype(int)]
        assert np.abs(cells - expected).max() <= 12, (cells.tolist(), jacobian.round(4).tolist())


def start_recording(explorer):
    explorer.evaluate(RECORDER)


def stop_recording(explorer):
    return explorer.evaluate(
        "(root) => { root.stopRecording = true; return {records: root.records, stamps: root.stamps}; }"
    )


def slider(explorer, label):
    """The range input labelled ``label`` (x₁, T, classes D, scale)."""
    return explorer.locator(".course-slider").filter(
        has=explorer.page.locator("label", has_text=re.compile(f"^{re.escape(label)}$"))
    ).locator("input")


def drag(explorer, label, pixels, steps=60, seconds=1.2):
    """Drag a slider's thumb sideways by ``pixels`` with the mouse, in ``steps``, and release."""
    handle = slider(explorer, label)
    handle.scroll_into_view_if_needed()
    box = handle.bounding_box()
    value = float(handle.input_value())
    low, high = float(handle.get_attribute("min")), float(handle.get_attribute("max"))
    x = box["x"] + box["width"] * (value - low) / (high - low)
    y = box["y"] + box["height"] / 2
    mouse = explorer.page.mouse
    mouse.move(x, y)
    mouse.down()
    for step in range(1, steps + 1):
        mouse.move(x + pixels * step / steps, y)
        time.sleep(seconds / steps)
    mouse.up()


def wait_until(predicate, timeout=UPDATE_TIMEOUT, message="condition"):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"{message} not met after {timeout} s"
        time.sleep(0.1)


def layout_shift_observer(page):
    page.evaluate("""() => { window.courseShift = 0; new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.courseShift += entry.value;  // input or not
    }).observe({ type: "layout-shift", buffered: false }); }""")


def layout_shift(page):
    return page.evaluate("() => window.courseShift")


# Every text a canvas draws, as the box its glyphs cover in CSS pixels (the canvas's
# transform applied), kept for the canvas's latest picture: fitCanvas clears from (0, 0).
TEXT_RECORDER = """() => {
  if (window.courseTextRecorder) return;
  window.courseTextRecorder = true;
  const proto = CanvasRenderingContext2D.prototype;
  const clear = proto.clearRect, fill = proto.fillText;
  proto.clearRect = function (x, y, w, h) {
    if (x === 0 && y === 0) this.canvas.courseTexts = [];
    return clear.call(this, x, y, w, h);
  };
  proto.fillText = function (text, x, y, ...rest) {
    const m = this.measureText(text), t = this.getTransform(), ratio = window.devicePixelRatio || 1;
    const xs = [x - m.actualBoundingBoxLeft, x + m.actualBoundingBoxRight];
    const ys = [y - m.actualBoundingBoxAscent, y + m.actualBoundingBoxDescent];
    const corners = xs.flatMap((cx) => ys.map((cy) =>
      [(t.a * cx + t.c * cy + t.e) / ratio, (t.b * cx + t.d * cy + t.f) / ratio]));
    const px = corners.map((c) => c[0]), py = corners.map((c) => c[1]);
    const box = [Math.min(...px), Math.min(...py), Math.max(...px), Math.max(...py)];
    (this.canvas.courseTexts ||= []).push({ text, box });
    return fill.call(this, text, x, y, ...rest);
  };
}"""


def record_texts(page):
    """From now on, remember where each canvas writes its texts (see ``drawn_texts``)."""
    page.evaluate(TEXT_RECORDER)


def drawn_texts(explorer):
    """The texts of the explorer's latest picture, with their boxes, and the canvas's size."""
    return explorer.evaluate("""(root) => { const c = root.querySelector("canvas");
        return { texts: c.courseTexts || [], width: c.clientWidth, height: c.clientHeight }; }""")


def assert_texts_apart(explorer, where):
    """No two texts of the explorer's picture overlap, and each lies within the canvas."""
    drawn = drawn_texts(explorer)
    texts = [t for t in drawn["texts"] if t["text"].strip()]
    assert texts, f"{where}: no text recorded (was record_texts called before the picture?)"
    slack = 0.5  # px: anti-aliasing at a glyph's edge
    for text in texts:
        left, top, right, bottom = text["box"]
        inside = (left >= -slack and top >= -slack and right <= drawn["width"] + slack
                  and bottom <= drawn["height"] + slack)
        assert inside, f"{where}: {text} leaves the {drawn['width']}x{drawn['height']} canvas"
    for k, first in enumerate(texts):
        for second in texts[k + 1:]:
            a, b = first["box"], second["box"]
            overlap = min(a[2], b[2]) - max(a[0], b[0]) > slack and min(a[3], b[3]) - max(a[1], b[1]) > slack
            assert not overlap, f"{where}: {first} overlaps {second}"


def accessibility_violations(page, axe_script, selector=".course-explorer"):
    """axe-core's critical and serious violations inside the course's own elements."""
    page.add_script_tag(path=str(axe_script))
    results = page.evaluate(
        """async (selector) => {
            const found = await axe.run({ include: [[selector]] }, { resultTypes: ["violations"] });
            return found.violations.map((v) => ({ id: v.id, impact: v.impact,
                nodes: v.nodes.map((n) => n.target.join(" ")) }));
        }""",
        selector,
    )
    return [v for v in results if v["impact"] in ("critical", "serious")]


# -- kept from the kernel-drawn explorers' helpers, for tests written against them -----------


def wait_for_readout(explorer, expected, timeout=UPDATE_TIMEOUT):
    """Wait until the explorer's readout is ``expected``; fail with both texts if not."""
    deadline = time.monotonic() + timeout
    text = readout(explorer)
    while text != expected and time.monotonic() < deadline:
        time.sleep(0.1)
        text = readout(explorer)
    assert text == expected, f"readout after {timeout} s:\n{text}\n--- expected:\n{expected}"


def slider_value(explorer, label):
    """The value a slider's readout shows, as a float (it writes U+2212 for minus)."""
    row = explorer.locator(".course-slider").filter(
        has=explorer.page.locator("label", has_text=re.compile(f"^{re.escape(label)}$"))
    )
    return float(row.locator("output").text_content().replace(MINUS, "-"))


def press(explorer, label, key):
    handle = slider(explorer, label)
    handle.focus()
    handle.press(key)
