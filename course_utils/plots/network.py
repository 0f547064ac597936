r"""A softmax layer drawn as a network: why every output depends on every logit.

Inputs :math:`h_1, h_2, \dots` (the previous layer's outputs; ``h`` so as not to clash
with the course's other name for the logits, ``x``) feed the logits :math:`z_1 \dots z_D`
through a dense layer; each logit becomes :math:`e^{z_k}`; all the exponentials feed ONE
shared denominator :math:`\sum_k e^{z_k}`; output :math:`S_i` divides its own
:math:`e^{z_i}` by that denominator. The numerator arrows (blue) link :math:`z_i` to
:math:`S_i` only; the denominator arrows (orange) link every :math:`z_j` to every
:math:`S_i`. ``highlight=j`` colours every path leaving :math:`z_j`, so the picture shows
that it reaches all the outputs.

The figure's facts are kept as data (:class:`NetworkDiagram`: nodes, edges, what is
highlighted) so tests check them, not pixels.
"""

from dataclasses import dataclass, field

from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from .style import COLORS, new_figure

NODE_GID = "network-node"
EDGE_GID = "network-edge"
LABEL_GID = "network-label"

_COLUMN_X = {"input": 0.0, "logit": 1.7, "exp": 3.4, "sum": 5.3, "output": 7.2}
_COLUMN_TITLES = {
    "input": "inputs",
    "logit": "logits",
    "exp": "exponentials",
    "sum": "shared\ndenominator",
    "output": "outputs",
}
_RADIUS = 0.36
_ROW_GAP = 1.1
_EDGE_STYLE = {  # kind of edge -> (colour, line width)
    "weight": (COLORS["black"], 0.6),
    "exp": (COLORS["black"], 1.0),
    "numerator": (COLORS["blue"], 1.6),
    "denominator": (COLORS["orange"], 1.6),
}
_FADED_ALPHA = 0.2


@dataclass
class NetworkDiagram:
    """What :func:`softmax_network_diagram` drew, as data.

    Attributes
    ----------
    ax : matplotlib.axes.Axes
    nodes : dict
        Node name (``"h1"``, ``"z1"``, ``"exp1"``, ``"sum"``, ``"S1"``) -> (x, y) centre.
    edges : list of (str, str, str)
        (source, target, kind), kind one of ``"weight"``, ``"exp"``, ``"numerator"``,
        ``"denominator"``.
    highlighted : set of (str, str)
        The (source, target) pairs drawn in the highlight colour.
    """

    ax: object
    nodes: dict = field(default_factory=dict)
    edges: list = field(default_factory=list)
    highlighted: set = field(default_factory=set)

    def reachable(self, start):
        """Every node that a path of edges leads to from ``start`` (``start`` excluded).

        Examples
        --------
        >>> import matplotlib.pyplot as plt
        >>> diagram = softmax_network_diagram(3)
        >>> sorted(name for name in diagram.reachable("z1") if name.startswith("S"))
        ['S1', 'S2', 'S3']
        >>> plt.close(diagram.ax.figure)
        """
        found, frontier = set(), [start]
        while frontier:
            node = frontier.pop()
            for source, target, _ in self.edges:
                if source == node and target not in found:
                    found.add(target)
                    frontier.append(target)
        return found


def softmax_network_diagram(n_outputs=3, n_inputs=2, ax=None, highlight=None):
    r"""Draw a softmax layer: inputs -> logits -> exponentials -> shared denominator -> outputs.

    Parameters
    ----------
    n_outputs : int, optional
        D, the number of logits and outputs (2 to 6 fit), 3 by default.
    n_inputs : int, optional
        The number of inputs feeding the logits (1 to 6), 2 by default.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure.
    highlight : int, optional
        Colour every path that leaves logit :math:`z_{highlight}` (numbered from 1) and
        fade the rest.

    Returns
    -------
    NetworkDiagram
        The axes and the drawn nodes and edges.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> diagram = softmax_network_diagram(3, n_inputs=2)
    >>> len(diagram.edges)  # 2*3 weights + 3 exps + 3 numerators + 3 + 3 denominator arrows
    18
    >>> len([p for p in diagram.ax.patches if p.get_gid() == EDGE_GID])
    18
    >>> plt.close(diagram.ax.figure)
    """
    if not 2 <= n_outputs <= 6:
        raise ValueError(f"n_outputs must be between 2 and 6, got {n_outputs}")
    if not 1 <= n_inputs <= 6:
        raise ValueError(f"n_inputs must be between 1 and 6, got {n_inputs}")
    if highlight is not None and not 1 <= highlight <= n_outputs:
        raise ValueError(f"highlight must be a logit number from 1 to {n_outputs}, got {highlight}")
    if ax is None:
        _, ax = new_figure(8.0, 1.4 + 0.95 * max(n_outputs, n_inputs))
    diagram = NetworkDiagram(ax=ax)
    _place_nodes(diagram, n_outputs, n_inputs)
    _connect(diagram, n_outputs, n_inputs)
    if highlight is not None:
        start = f"z{highlight}"
        reached = diagram.reachable(start) | {start}
        diagram.highlighted = {(s, t) for s, t, _ in diagram.edges if s in reached}
    _draw(diagram, n_outputs, highlight)
    return diagram


def _column(count):
    """y positions of ``count`` nodes centred on 0, top to bottom."""
    top = (count - 1) * _ROW_GAP / 2
    return [top - index * _ROW_GAP for index in range(count)]


def _place_nodes(diagram, n_outputs, n_inputs):
    for index, y in enumerate(_column(n_inputs), start=1):
        diagram.nodes[f"h{index}"] = (_COLUMN_X["input"], y)
    for index, y in enumerate(_column(n_outputs), start=1):
        diagram.nodes[f"z{index}"] = (_COLUMN_X["logit"], y)
        diagram.nodes[f"exp{index}"] = (_COLUMN_X["exp"], y)
        diagram.nodes[f"S{index}"] = (_COLUMN_X["output"], y)
    # Between two rows, so no numerator arrow runs through it.
    diagram.nodes["sum"] = (_COLUMN_X["sum"], 0.0 if n_outputs % 2 == 0 else _ROW_GAP / 2)


def _connect(diagram, n_outputs, n_inputs):
    edges = diagram.edges
    for logit in range(1, n_outputs + 1):
        edges.extend((f"h{source}", f"z{logit}", "weight") for source in range(1, n_inputs + 1))
    for index in range(1, n_outputs + 1):
        edges.append((f"z{index}", f"exp{index}", "exp"))
        edges.append((f"exp{index}", "sum", "denominator"))
        edges.append((f"exp{index}", f"S{index}", "numerator"))
    edges.extend(("sum", f"S{index}", "denominator") for index in range(1, n_outputs + 1))


def _node_label(name):
    if name == "sum":
        return r"$\Sigma_k\, e^{z_k}$"
    letter, number = name.rstrip("0123456789"), name.lstrip("abcdefghijklmnopqrstuvwxyzS")
    if letter == "exp":
        return rf"$e^{{z_{number}}}$"
    return rf"${letter}_{number}$"


def _draw(diagram, n_outputs, highlight):
    ax = diagram.ax
    fading = bool(diagram.highlighted)
    for name, (x, y) in diagram.nodes.items():
        if name == "sum":
            width, height = 1.15, 0.8
            patch = FancyBboxPatch(
                (x - width / 2, y - height / 2), width, height, boxstyle="round,pad=0.05",
                facecolor="white", edgecolor=COLORS["orange"], linewidth=1.8, gid=NODE_GID,
            )
        else:
            patch = Circle((x, y), _RADIUS, facecolor="white", edgecolor=COLORS["black"],
                           linewidth=1.2, gid=NODE_GID)
        ax.add_patch(patch)
        ax.text(x, y, _node_label(name), ha="center", va="center", fontsize=11, gid=LABEL_GID)
    for source, target, kind in diagram.edges:
        colour, width = _EDGE_STYLE[kind]
        alpha = 1.0
        if fading and (source, target) in diagram.highlighted:
            colour, width = COLORS["vermillion"], width + 0.8
        elif fading:
            alpha = _FADED_ALPHA
        ax.add_patch(_arrow(diagram.nodes, source, target, colour, width, alpha))
    top = max(y for _, y in diagram.nodes.values()) + 0.75
    for column, title in _COLUMN_TITLES.items():
        ax.text(_COLUMN_X[column], top, title, ha="center", va="bottom", fontsize=10,
                color="0.3")
    for index in range(1, n_outputs + 1):
        x, y = diagram.nodes[f"S{index}"]
        ax.text(x + _RADIUS + 0.15, y, rf"$= e^{{z_{index}}} / \Sigma_k\, e^{{z_k}}$", ha="left",
                va="center", fontsize=10)
    legend = [
        Line2D([], [], color=_EDGE_STYLE["numerator"][0], lw=2, label="numerator: its own logit"),
        Line2D([], [], color=_EDGE_STYLE["denominator"][0], lw=2,
               label="shared denominator: every logit"),
    ]
    if fading:
        legend.append(Line2D([], [], color=COLORS["vermillion"], lw=2.5,
                             label=f"every path leaving $z_{highlight}$"))
    ax.legend(handles=legend, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=len(legend),
              frameon=False, fontsize=9)
    bottom = min(y for _, y in diagram.nodes.values()) - 0.6
    ax.set_xlim(_COLUMN_X["input"] - 0.6, _COLUMN_X["output"] + 2.3)
    ax.set_ylim(bottom, top + 0.6)
    ax.set_aspect("equal")
    ax.axis("off")


def _arrow(nodes, source, target, colour, width, alpha):
    """An arrow from the edge of one node to the edge of the other."""
    (x0, y0), (x1, y1) = nodes[source], nodes[target]
    length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
    start_gap = 0.62 if source == "sum" else _RADIUS + 0.02
    end_gap = 0.62 if target == "sum" else _RADIUS + 0.04
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    return FancyArrowPatch(
        (x0 + ux * start_gap, y0 + uy * start_gap), (x1 - ux * end_gap, y1 - uy * end_gap),
        arrowstyle="-|>", mutation_scale=10, color=colour, linewidth=width, alpha=alpha,
        shrinkA=0, shrinkB=0, gid=EDGE_GID,
    )
