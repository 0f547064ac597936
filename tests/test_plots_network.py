"""Tests for course_utils.plots.network: the softmax layer drawn as a network, checked as data."""

import matplotlib.pyplot as plt
import pytest

from course_utils.plots import softmax_network_diagram
from course_utils.plots.network import EDGE_GID, LABEL_GID, NODE_GID


@pytest.fixture
def diagram():
    diagram = softmax_network_diagram(3, n_inputs=2)
    yield diagram
    plt.close(diagram.ax.figure)


def patches_with(ax, gid):
    return [patch for patch in ax.patches if patch.get_gid() == gid]


def test_nodes_of_the_three_output_picture(diagram):
    assert sorted(diagram.nodes) == sorted(
        ["h1", "h2", "z1", "z2", "z3", "exp1", "exp2", "exp3", "sum", "S1", "S2", "S3"]
    )
    assert len(patches_with(diagram.ax, NODE_GID)) == 12


def test_every_node_is_labelled_once(diagram):
    labels = [text.get_text() for text in diagram.ax.texts if text.get_gid() == LABEL_GID]
    assert len(labels) == len(diagram.nodes)
    assert {"$z_1$", "$z_3$", "$e^{z_2}$", "$S_3$", r"$\Sigma_k\, e^{z_k}$"} <= set(labels)


@pytest.mark.parametrize(("n_outputs", "n_inputs"), [(2, 1), (3, 2), (4, 3), (6, 4)])
def test_one_arrow_per_edge(n_outputs, n_inputs):
    diagram = softmax_network_diagram(n_outputs, n_inputs=n_inputs)
    expected = n_inputs * n_outputs + 4 * n_outputs  # weights; exp, numerator, 2 denominator
    assert len(diagram.edges) == expected
    assert len(patches_with(diagram.ax, EDGE_GID)) == expected
    plt.close(diagram.ax.figure)


def test_each_output_has_one_numerator_and_one_shared_denominator(diagram):
    for index in (1, 2, 3):
        into_output = [(s, kind) for s, t, kind in diagram.edges if t == f"S{index}"]
        assert sorted(into_output) == [(f"exp{index}", "numerator"), ("sum", "denominator")]
    into_sum = sorted(s for s, t, _ in diagram.edges if t == "sum")
    assert into_sum == ["exp1", "exp2", "exp3"]


def test_every_output_depends_on_every_logit_and_input(diagram):
    outputs = {"S1", "S2", "S3"}
    for start in ("z1", "z2", "z3", "h1", "h2"):
        assert outputs <= diagram.reachable(start)


def test_without_the_shared_denominator_an_output_sees_only_its_own_logit(diagram):
    diagram.edges = [edge for edge in diagram.edges if edge[2] != "denominator"]
    assert {name for name in diagram.reachable("z1") if name.startswith("S")} == {"S1"}


def test_highlight_colours_every_path_leaving_the_logit():
    diagram = softmax_network_diagram(3, highlight=1)
    assert diagram.highlighted == {
        ("z1", "exp1"), ("exp1", "sum"), ("exp1", "S1"),
        ("sum", "S1"), ("sum", "S2"), ("sum", "S3"),
    }
    arrows = patches_with(diagram.ax, EDGE_GID)
    bright = [arrow for arrow in arrows if arrow.get_alpha() in (None, 1.0)]
    assert len(bright) == 6
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
