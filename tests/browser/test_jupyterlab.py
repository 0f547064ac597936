"""Notebook 04 in JupyterLab, in Debian's chromium: run every cell, then move sliders.

One test, one cycle (start a server, open a copy of the notebook, run all, check, move,
check, stop): ~20-50 s on two cores.
"""

import re
import time

import numpy as np
import pytest
import widget_checks as check
from conftest import notebook_copy

from course_utils import softmax
from course_utils.widgets import jacobian_explorer, softmax_explorer, stability_lab
from course_utils.widgets.readouts import probabilities_text

pytestmark = pytest.mark.browser

NOTEBOOK = "04_interactive_jacobian.ipynb"
KERNEL_IDLE = "Python 3 (ipykernel) | Idle"
RUN_ALL_TIMEOUT = 120  # seconds; the notebook runs in ~8 s in nbclient


def open_and_run_all(page, server, workdir):
    notebook_copy(NOTEBOOK, workdir)
    page.goto(server.url(f"/lab/tree/{NOTEBOOK}"))
    # The toolbar says idle before any kernel exists; cells run then render their widgets
    # as plain text, silently. The status bar names the kernel only once it is there.
    page.get_by_text(KERNEL_IDLE).wait_for(timeout=90_000)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    prompts = page.locator(".jp-CodeCell .jp-InputPrompt")
    deadline = time.monotonic() + RUN_ALL_TIMEOUT
    while time.monotonic() < deadline:
        texts = prompts.all_text_contents()
        if texts and all(re.search(r"\[\d+\]", text) for text in texts):
            break
        time.sleep(0.5)
    else:
        pytest.fail(f"cells still running or not run after {RUN_ALL_TIMEOUT} s: {texts}")
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    tracebacks = page.locator(".jp-RenderedText[data-mime-type='application/vnd.jupyter.error']")
    assert tracebacks.count() == 0, tracebacks.first.text_content()
    assert errors.count() == 0, errors.first.text_content()


def test_notebook_04_widgets_render_and_respond(page, lab_server, workdir, artifacts):
    open_and_run_all(page, lab_server, workdir)
    check.assert_widgets_rendered(page, count=3, sliders=16)
    probabilities, jacobian, lab = (check.explorers(page).nth(index) for index in range(3))

    # The widgets show the state the kernel left them in, after every cell ran (the
    # Jacobian explorer at the "huge scale" preset, the lab at scale 1000 in float64):
    # no value sent back by the browser overwrote one the kernel had set.
    reference_jacobian = jacobian_explorer()
    reference_jacobian.apply_preset("huge scale")
    check.wait_for_readout(probabilities, softmax_explorer([1.0, 2.0, 3.0]).readout_text)
    check.wait_for_readout(jacobian, reference_jacobian.readout_text)
    check.wait_for_readout(lab, stability_lab(scale=1000.0, dtype="float64").readout_text)
    check.assert_heatmap_shows(check.figure_png(jacobian), reference_jacobian)
    for index, name in enumerate(["softmax_explorer", "jacobian_explorer", "stability_lab"]):
        check.explorers(page).nth(index).screenshot(path=artifacts / f"lab_{name}.png")

    # Keyboard: x₁ of the probability explorer, one step (0.1) to the right.
    check.press(probabilities, "x₁", "ArrowRight")
    assert check.slider_value(probabilities, "x₁") == 1.1
    check.wait_for_readout(probabilities, probabilities_text(softmax([1.1, 2.0, 3.0])))

    # Mouse: drag x₂ of the probability explorer to the right.
    check.drag(probabilities, "x₂", 40)
    moved = check.slider_value(probabilities, "x₂")
    assert moved > 2.0
    check.wait_for_readout(probabilities, probabilities_text(softmax([1.1, moved, 3.0])))

    # Keyboard on the Jacobian explorer: x₁ from 1000 (its maximum) one step down.
    before = check.figure_png(jacobian)
    check.press(jacobian, "x₁", "ArrowLeft")
    reference_jacobian.set_logits([999.9, 999.0, 998.0])
    check.wait_for_readout(jacobian, reference_jacobian.readout_text)
    after_key = check.wait_for_new_figure(jacobian, before)
    check.assert_heatmap_shows(after_key, reference_jacobian)

    # Mouse on the Jacobian explorer: drag the temperature down.
    check.drag(jacobian, "T", -30)
    temperature = check.slider_value(jacobian, "T")
    assert temperature < 1.0
    # the slider shows T to 3 digits; the kernel's T is 10**k on the slider's 0.01 grid,
    # whose neighbours differ by 2.3 %: the 3 digits tell which k
    exact_temperature = 10 ** round(np.log10(temperature), 2)
    reference_jacobian.set_logits([999.9, 999.0, 998.0], temperature=exact_temperature)
    check.wait_for_readout(jacobian, reference_jacobian.readout_text)
    after_drag = check.wait_for_new_figure(jacobian, after_key)
    check.assert_heatmap_shows(after_drag, reference_jacobian)
    assert check.mismatched_fraction(after_drag, reference_jacobian.png) < 0.01

    check.assert_widgets_rendered(page, count=3, sliders=16)
    assert not page.errors, page.errors
    page.screenshot(path=artifacts / "lab_page.png", full_page=False)
