"""Tests for course_utils.plots.network: the softmax layer drawn as a network, checked as data."""

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_hex

from course_utils.plots import softmax_network_diagram
from course_utils.plots.network import EDGE_GID, LABEL_GID, NODE_GID
from course_utils.plots.style import COLORS


@pytest.fixture
def diagram():
    diagram = softmax_network_diagram(3, n_inputs=2)
    yield diagram
    plt.close(diagram.ax.figure)


def patches_with(ax, gid):
    return [patch for patch in ax.patches if patch.get_gid() == gid]


def test_nodes_of_the_three_output_picture(diagram):
    assert sorted(diagram.nodes) == sorted(
        ["h1", "h2", "x1", "x2", "x3", "exp1", "exp2", "exp3", "sum", "sigma1", "sigma2", "sigma3"]
    )
    assert len(patches_with(diagram.ax, NODE_GID)) == 12


def test_every_node_is_labelled_once(diagram):
    labels = [text.get_text() for text in diagram.ax.texts if text.get_gid() == LABEL_GID]
    assert len(labels) == len(diagram.nodes)
    assert {"$x_1$", "$x_3$", "$e^{x_2}$", r"$\sigma_3$", r"$\Sigma_k\, e^{x_k}$"} <= set(labels)


@pytest.mark.parametrize(("n_outputs", "n_inputs"), [(2, 1), (3, 2), (4, 3), (6, 4)])
def test_one_arrow_per_edge(n_outputs, n_inputs):
    diagram = softmax_network_diagram(n_outputs, n_inputs=n_inputs)
    expected = n_inputs * n_outputs + 4 * n_outputs  # weights; exp, numerator, 2 denominator
    assert len(diagram.edges) == expected
    assert len(patches_with(diagram.ax, EDGE_GID)) == expected
    plt.close(diagram.ax.figure)


def test_each_output_has_one_numerator_and_one_shared_denominator(diagram):
    for index in (1, 2, 3):
        into_output = [(s, kind) for s, t, kind in diagram.edges if t == f"sigma{index}"]
        assert sorted(into_output) == [(f"exp{index}", "numerator"), ("sum", "denominator")]
    into_sum = sorted(s for s, t, _ in diagram.edges if t == "sum")
    assert into_sum == ["exp1", "exp2", "exp3"]


def test_every_output_depends_on_every_logit_and_input(diagram):
    outputs = {"sigma1", "sigma2", "sigma3"}
    for start in ("x1", "x2", "x3", "h1", "h2"):
        assert outputs <= diagram.reachable(start)


def test_without_the_shared_denominator_an_output_sees_only_its_own_logit(diagram):
    diagram.edges = [edge for edge in diagram.edges if edge[2] != "denominator"]
    assert {name for name in diagram.reachable("x1") if name.startswith("sigma")} == {"sigma1"}


def test_highlight_colours_every_path_leaving_the_logit():
    diagram = softmax_network_diagram(3, highlight=1)
    assert diagram.highlighted == {
        ("x1", "exp1"), ("exp1", "sum"), ("exp1", "sigma1"),
        ("sum", "sigma1"), ("sum", "sigma2"), ("sum", "sigma3"),
    }
    arrows = patches_with(diagram.ax, EDGE_GID)
    bright = [arrow for arrow in arrows if arrow.get_alpha() in (None, 1.0)]
    assert len(bright) == 6
    # a highlighted arrow keeps the colour of its kind, so the legend's colours still hold
    assert {to_hex(arrow.get_edgecolor()) for arrow in bright} == {
        COLORS["black"].lower(), COLORS["blue"].lower(), COLORS["orange"].lower()
    }
    plt.close(diagram.ax.figure)


def test_no_highlight_fades_nothing(diagram):
    assert diagram.highlighted == set()
    assert all(arrow.get_alpha() in (None, 1.0) for arrow in patches_with(diagram.ax, EDGE_GID))


def test_draws_on_given_axes():
    fig, ax = plt.subplots()
    assert softmax_network_diagram(2, ax=ax).ax is ax
    plt.close(fig)


@pytest.mark.parametrize(
    "kwargs", [{"n_outputs": 1}, {"n_outputs": 7}, {"n_inputs": 0}, {"highlight": 4}]
)
def test_rejects_sizes_that_do_not_fit(kwargs):
    with pytest.raises(ValueError):
        softmax_network_diagram(**{"n_outputs": 3, **kwargs})


def test_every_text_is_at_least_9_points():
    diagram = softmax_network_diagram(3, highlight=2)
    texts = diagram.ax.texts + diagram.ax.get_legend().get_texts()
    assert min(text.get_fontsize() for text in texts) >= 9
    # the formula labels carry superscripts, drawn at about 70 %: they need 13 pt for 9 pt
    formulas = [text for text in diagram.ax.texts if "^" in text.get_text()]
    assert formulas and min(text.get_fontsize() for text in formulas) >= 13
    plt.close(diagram.ax.figure)
