"""What the browser tests do to and check on a page with the course's explorers.

The expected values are computed here, in the test process, by the same course_utils code
the kernel runs: an explorer built in-process with the logits the browser shows gives the
readout text to the character and the heatmap colours to the pixel.
"""

import base64
import io
import time

import numpy as np
from PIL import Image

from course_utils.plots.heatmap import heatmap_artists

MINUS = "\N{MINUS SIGN}"
FAILURE_TEXTS = ("Error displaying widget", "Loading widget", "Model not found")
REPR_TEXTS = ("VBox(", "SoftmaxExplorer(", "JacobianExplorer(", "StabilityLab(")
UPDATE_TIMEOUT = 20.0  # seconds for the kernel to answer one slider move


def explorers(page):
    return page.locator(".course-explorer")


def assert_widgets_rendered(page, count, sliders):
    """Every explorer rendered as a widget: none as text, no error, every slider there."""
    body = page.locator("body").text_content()
    for text in FAILURE_TEXTS:
        assert text not in body, f"page shows {text!r}"
    for text in REPR_TEXTS:  # what a widget falls back to when its view never renders
        assert text not in body, f"a widget rendered as its text repr ({text!r})"
    assert explorers(page).count() == count
    assert page.locator(".course-explorer .noUi-handle").count() == sliders
    for index in range(count):
        image = explorers(page).nth(index).locator(".widget-image").first
        assert image.get_attribute("src"), f"explorer {index} shows no figure"


def readout(explorer):
    return explorer.locator(".course-readout pre").text_content()


def wait_for_readout(explorer, expected, timeout=UPDATE_TIMEOUT):
    """Wait until the explorer's readout is ``expected``; fail with both texts if not."""
    deadline = time.monotonic() + timeout
    text = readout(explorer)
    while text != expected and time.monotonic() < deadline:
        time.sleep(0.1)
        text = readout(explorer)
    assert text == expected, f"readout after {timeout} s:\n{text}\n--- expected:\n{expected}"


def slider(explorer, label):
    """The slider whose description is ``label`` (x₁, T, classes D, ...)."""
    return explorer.locator(".widget-slider").filter(
        has=explorer.page.locator(".widget-label", has_text=label)
    ).first


def slider_value(explorer, label):
    """The value a slider's readout shows, as a float (it writes U+2212 for minus)."""
    text = slider(explorer, label).locator(".widget-readout").text_content()
    return float(text.replace(MINUS, "-"))


def press(explorer, label, key):
    handle = slider(explorer, label).locator(".noUi-handle")
    handle.focus()
    handle.press(key)


def drag(explorer, label, pixels):
    """Drag a slider's handle sideways by ``pixels`` with the mouse, in steps, and release."""
    handle = slider(explorer, label).locator(".noUi-handle")
    handle.scroll_into_view_if_needed()
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    mouse = explorer.page.mouse
    mouse.move(x, y)
    mouse.down()
    mouse.move(x + pixels, y, steps=8)
    mouse.up()


def figure_png(explorer):
    """The PNG bytes the explorer's image shows (fetched from the image's blob URL)."""
    encoded = explorer.locator(".widget-image").first.evaluate(
        """async (image) => {
            const bytes = new Uint8Array(await (await fetch(image.src)).arrayBuffer());
            let text = "";
            for (const byte of bytes) text += String.fromCharCode(byte);
            return btoa(text);
        }"""
    )
    return base64.b64decode(encoded)


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def wait_for_new_figure(explorer, before, timeout=UPDATE_TIMEOUT):
    deadline = time.monotonic() + timeout
    png = figure_png(explorer)
    while png == before and time.monotonic() < deadline:
        time.sleep(0.1)
        png = figure_png(explorer)
    assert png != before, "the figure did not change"
    return png


def assert_heatmap_shows(png, reference):
    """Each heatmap cell of ``png`` has the colour of ``reference.jacobian``'s entry.

    ``reference`` is a Jacobian explorer built in this process with the same logits: its
    axes give where each cell is drawn. A cell is sampled near its top-left corner, clear
    of the value written at its centre and of the diagonal's outline.
    """
    image = heatmap_artists(reference._image)[0]
    jacobian = reference.jacobian
    shown = pixels(png)
    height = shown.shape[0]
    assert shown.shape == pixels(reference.png).shape, "figure of another size"
    for row in range(jacobian.shape[0]):
        for column in range(jacobian.shape[1]):
            x, y = image.axes.transData.transform((column - 0.3, row - 0.3))
            colour = shown[int(round(height - y)), int(round(x))]
            expected = np.round(255 * np.asarray(image.cmap(image.norm(jacobian[row, column]))[:3]))
            assert np.abs(colour - expected).max() <= 3, (
                f"cell ({row}, {column}): colour {colour.tolist()}, expected "
                f"{expected.tolist()} for ∂σ/∂x = {jacobian[row, column]:.4f}"
            )


def mismatched_fraction(png, reference_png):
    """The fraction of pixels that differ between two PNGs of the same size."""
    shown, expected = pixels(png), pixels(reference_png)
    assert shown.shape == expected.shape
    return float(np.mean(np.any(shown != expected, axis=-1)))
