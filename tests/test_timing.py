"""Tests for course_utils.timing: both backward passes agree, and times are measured sensibly."""

import numpy as np
import pytest

import course_utils as cu
from course_utils import timing


def test_both_backward_passes_agree_with_the_course_backward():
    rng = np.random.default_rng(3)
    logits, upstream = rng.standard_normal((4, 7)), rng.standard_normal((4, 7))
    expected = cu.softmax_backward(cu.softmax(logits), upstream)
    np.testing.assert_allclose(timing.backward_via_jacobian(logits, upstream), expected,
                               atol=1e-15)
    np.testing.assert_allclose(timing.backward_jacobian_free(logits, upstream), expected)


def test_median_seconds_is_the_median(monkeypatch):
    clock = iter([0.0, 3.0, 10.0, 11.0, 20.0, 22.0])  # calls lasting 3, 1 and 2 seconds
    monkeypatch.setattr(timing.time, "perf_counter", lambda: next(clock))
    assert timing.median_seconds(lambda: None, repeats=3) == 2.0
    with pytest.raises(ValueError, match="at least 1"):
        timing.median_seconds(lambda: None, repeats=0)


def test_time_backward_shapes_and_the_jacobian_is_slower_at_large_d():
    times = timing.time_backward([8, 512], n_rows=8, repeats=3)
    assert set(times) == {"form the Jacobian", "Jacobian-free"}
    assert all(len(seconds) == 2 and min(seconds) > 0 for seconds in times.values())
    # 512 x 512 Jacobians: ~2 MiB per row against ~4 KiB; a 10x margin survives a busy machine
    assert times["form the Jacobian"][1] > 10 * times["Jacobian-free"][1]
