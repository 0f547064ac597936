"""Tests for course_utils.plots.presentation: projector settings on a call, none on import."""

import subprocess
import sys

import matplotlib as mpl
import pytest

import course_utils
from course_utils.plots.presentation import (
    PRESENTATION_RC,
    is_presentation_mode,
    presentation_mode,
)


@pytest.fixture(autouse=True)
def always_switch_off():
    yield
    presentation_mode(False)


def test_switching_on_applies_larger_fonts_and_figures():
    dpi, font_size = mpl.rcParams["figure.dpi"], mpl.rcParams["font.size"]
    presentation_mode()
    assert is_presentation_mode()
    assert mpl.rcParams["figure.dpi"] > dpi and mpl.rcParams["font.size"] > font_size
    for key, value in PRESENTATION_RC.items():
        assert mpl.rcParams[key] == value


def test_switching_off_restores_exactly_what_was_there():
    with mpl.rc_context({"font.size": 9.0}):
        before = {key: mpl.rcParams[key] for key in PRESENTATION_RC}
        presentation_mode()
        presentation_mode()  # twice on must not lose the saved values
        presentation_mode(False)
        assert {key: mpl.rcParams[key] for key in PRESENTATION_RC} == before
        assert not is_presentation_mode()


def test_switching_off_when_off_changes_nothing():
    before = dict(mpl.rcParams)
    presentation_mode(False)
    assert dict(mpl.rcParams) == before


def test_only_listed_settings_change():
    before = dict(mpl.rcParams)
    presentation_mode()
    changed = {key for key in before if mpl.rcParams[key] != before[key]}
    assert changed <= set(PRESENTATION_RC)


def test_course_utils_exposes_it():
    assert course_utils.presentation_mode is presentation_mode


def test_importing_the_interactive_modules_changes_no_global_state():
    code = (
        "import matplotlib as mpl\n"
        "before = dict(mpl.rcParams)\n"
        "import course_utils.plots, course_utils.widgets\n"
        "import course_utils.plots.presentation\n"
        "changed = [k for k in before if mpl.rcParams[k] != before[k]]\n"
        "print(changed)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, timeout=60)
    assert result.stdout.strip() == "[]"


def test_explorers_drawn_in_presentation_mode_are_larger():
    import io

    from PIL import Image

    from course_utils.widgets import jacobian_explorer

    normal = jacobian_explorer()
    normal_width = Image.open(io.BytesIO(normal.png)).width
    presentation_mode()
    projected = jacobian_explorer()
    # the page draws it larger (the front end reads ``presentation``); the PNG fallback too
    assert projected.presentation and not normal.presentation
    assert Image.open(io.BytesIO(projected.png)).width > normal_width
