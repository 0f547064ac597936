"""Every text of the course's bar, curve, region and network figures is at least 9 pt."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.text import Text

from course_utils import plots, softmax


def figure_texts(fig):
    fig.canvas.draw()  # tick labels exist once drawn
    return [text for text in fig.findobj(Text) if text.get_text().strip() and text.get_visible()]


@pytest.mark.parametrize("draw", [
    lambda: plots.probability_bars(softmax([1.0, 2.0, 3.0]))[0].figure,
    lambda: plots.loss_curves({"a": [1.0, 0.5, 0.2], "b": [1.0, 0.7, 0.6]}).figure,
    lambda: plots.timing_lines([8, 64], {"a": [1e-5, 1e-3], "b": [1e-5, 2e-5]}).figure,
    lambda: plots.decision_regions(None, np.array([[0.0, 0.0], [1.0, 1.0]]), [0, 1],
                                   linear=(np.array([[1.0, -1.0], [0.0, 0.0]]), np.zeros(2))).figure,
    lambda: plots.softmax_network_diagram(3, highlight=1).ax.figure,
], ids=["bars", "loss curves", "timing lines", "decision regions", "network"])
def test_no_text_below_9_points(draw):
    fig = draw()
    sizes = [text.get_fontsize() for text in figure_texts(fig)]
    plt.close(fig)
    assert sizes and min(sizes) >= 9
