"""Lay out and draw a co-occurrence network (共起ネットワーク) the way KH Coder does.

:func:`network_layout` places the nodes deterministically (seeded, labels kept apart);
:func:`plot_network` draws bubbles sized by frequency, edges as wide as their weight and
colours by community (:func:`utils.analysis.network.network_communities`), with Japanese labels.
"""
from __future__ import annotations

import math
import numbers
from collections.abc import Mapping

import numpy as np

from ..validate import check_bool
from .network import check_graph, check_seed, network_communities

__all__ = ["network_layout", "plot_network"]


def _label_width(label: str) -> float:
    """Width of a label in character widths (a kana or kanji is 1, ASCII 0.6)."""
    return sum(0.6 if ord(c) < 0x2E80 else 1.0 for c in label)


def network_layout(graph, *, seed: int = 0, layout: str = "spring",
                   boxes: dict | None = None) -> dict:
    """Place the nodes of ``graph`` in the plane, deterministically, labels kept apart.

    ``layout="spring"`` (default) is networkx's Fruchterman–Reingold layout seeded with
    ``seed``, started from the Kamada–Kawai layout (on distances ``1.05 - weight``, so
    strongly tied words sit close); ``"kamada_kawai"`` uses that alone. Positions are
    centred, spread a little in the crowded centre and scaled into [-1, 1]; then nodes
    whose boxes overlap are pushed apart, a little at a time, until no two overlap.
    ``boxes`` maps a node to the ``(width, height)`` it needs in those units (:func:`plot_network` passes the size of each label
    and bubble); by default a label is 0.055 wide per character and 0.11 high.

    Returns ``{node: (x, y)}``, the same on every machine for the same graph and seed.

    >>> import networkx as nx
    >>> pos = network_layout(nx.Graph([("停戦", "合意"), ("合意", "交渉")]))
    >>> sorted(pos), all(-1.5 <= c <= 1.5 for xy in pos.values() for c in xy)
    (['交渉', '停戦', '合意'], True)
    """
    import networkx as nx

    check_graph(graph)
    seed = check_seed(seed)
    if not isinstance(layout, str) or layout not in ("spring", "kamada_kawai"):
        raise ValueError(f"layout must be 'spring' or 'kamada_kawai', got {layout!r}")
    nodes = list(graph.nodes)
    if boxes is None:
        boxes = {v: (0.055 * _label_width(str(v)) + 0.06, 0.11) for v in nodes}
    _check_boxes(boxes, nodes)
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    dist = nx.Graph()
    dist.add_nodes_from(nodes)
    for a, b, w in graph.edges(data="weight", default=1.0):
        dist.add_edge(a, b, d=max(1.05 - float(w), 0.05))
    start = nx.kamada_kawai_layout(dist, weight="d") if nx.is_connected(dist) else \
        nx.circular_layout(sorted(nodes, key=str))
    if layout == "spring":
        pos = nx.spring_layout(graph, pos=start, seed=seed, k=1.6 / math.sqrt(len(nodes)),
                               iterations=200, weight="weight")
    else:
        pos = start
    xy = np.array([pos[v] for v in nodes], dtype=float)
    xy -= xy.mean(axis=0)
    xy /= max(np.abs(xy).max(), 1e-9)
    # spread the crowded centre (a radial power < 1), then fill the square
    r = np.sqrt((xy ** 2).sum(axis=1, keepdims=True))
    xy = xy * np.where(r > 0, r ** -0.3, 1.0)
    xy -= (xy.max(axis=0) + xy.min(axis=0)) / 2
    xy /= np.maximum(np.abs(xy).max(axis=0), 1e-9)
    xy = _separate(xy, np.array([float(boxes[v][0]) for v in nodes]),
                   np.array([float(boxes[v][1]) for v in nodes]))
    return {v: (float(round(x, 6)), float(round(y, 6))) for v, (x, y) in zip(nodes, xy)}


def _check_boxes(boxes, nodes: list) -> None:
    """Check that ``boxes`` gives every node a (width, height) in (0, 10] layout units."""
    if not isinstance(boxes, Mapping):
        raise TypeError(f"boxes must be a dict node -> (width, height), got {boxes!r}")
    missing = [v for v in nodes if v not in boxes]
    if missing:
        raise ValueError(f"boxes has no (width, height) for the node(s) {missing[:5]}")
    for v in nodes:
        box = boxes[v]
        if (not isinstance(box, (tuple, list)) or len(box) != 2
                or not all(isinstance(x, numbers.Real) and not isinstance(x, (bool, np.bool_))
                           and math.isfinite(x) and 0 < x <= 10 for x in box)):
            raise ValueError(f"boxes[{v!r}] must be a (width, height) pair of numbers in "
                             f"(0, 10] layout units, got {box!r}")


def _separate(xy: np.ndarray, width: np.ndarray, height: np.ndarray) -> np.ndarray:
    """Push apart the boxes (centred at ``xy``) that overlap, a little at a time, along
    the axis where they overlap least, until none do (at most 500 passes)."""
    half_w = (width[:, None] + width[None, :]) / 2
    half_h = (height[:, None] + height[None, :]) / 2
    upper = np.triu(np.ones((len(xy), len(xy)), dtype=bool), 1)
    for _ in range(500):
        dx = xy[None, :, 0] - xy[:, None, 0]
        dy = xy[None, :, 1] - xy[:, None, 1]
        ox, oy = half_w - np.abs(dx), half_h - np.abs(dy)
        clash = upper & (ox > 0) & (oy > 0)
        if not clash.any():
            break
        shift = np.zeros_like(xy)
        for i, j in zip(*np.nonzero(clash)):
            if oy[i, j] <= ox[i, j]:  # cheaper to separate vertically
                step = (oy[i, j] / 2 + 0.004) * (1 if dy[i, j] >= 0 else -1)
                shift[i, 1] -= step
                shift[j, 1] += step
            else:
                step = (ox[i, j] / 2 + 0.004) * (1 if dx[i, j] >= 0 else -1)
                shift[i, 0] -= step
                shift[j, 0] += step
        xy += 0.5 * shift
    return xy


_PALETTE = ["#8dd3c7", "#fdb462", "#bebada", "#fb8072", "#80b1d3", "#b3de69", "#fccde5",
            "#ffed6f", "#bc80bd", "#ccebc5"]


def _check_sizes(font_size, min_node_size, max_node_size) -> None:
    """Check the sizes of :func:`plot_network`: positive numbers, min not above max."""
    for name, value, top in (("font_size", font_size, 200),
                             ("min_node_size", min_node_size, 100_000),
                             ("max_node_size", max_node_size, 100_000)):
        if (isinstance(value, bool) or not isinstance(value, numbers.Real)
                or not math.isfinite(value) or not 0 < value <= top):
            raise ValueError(f"{name} must be a positive number up to {top}, got {value!r}")
    if min_node_size > max_node_size:
        raise ValueError(f"min_node_size ({min_node_size}) must not exceed max_node_size "
                         f"({max_node_size})")


def _label_boxes(ax, nodes: list, sizes: np.ndarray, font_size: float) -> dict:
    """The (width, height) each node needs in layout units: its label or its bubble."""
    # boxes in layout units: the axes span about 2.6 x 2.4 units (see set_xlim below)
    box = ax.get_position()
    unit_x = 2.6 / (box.width * ax.figure.get_figwidth() * 72)   # units per point
    unit_y = 2.4 / (box.height * ax.figure.get_figheight() * 72)
    diameter = 2 * np.sqrt(sizes / math.pi) * 0.85
    return {v: (max(_label_width(str(v)) * font_size + 6, d) * unit_x,
                 max(font_size * 1.5, d) * unit_y) for v, d in zip(nodes, diameter)}


def _draw_edges(ax, graph, pos: dict, group: dict, communities: bool) -> None:
    """Draw the edges as wide as their weight (0.6 to 4 points), dashed between
    communities."""
    weights = [float(w) for _, _, w in graph.edges(data="weight", default=1.0)]
    if weights:
        lo, hi = min(weights), max(weights)
        for (a, b, w) in graph.edges(data="weight", default=1.0):
            width = 0.6 + 3.4 * ((w - lo) / (hi - lo) if hi > lo else 0.5)
            same = group[str(a)] == group[str(b)] and group[str(a)] >= 0
            ax.plot([pos[a][0], pos[b][0]], [pos[a][1], pos[b][1]], color="#666666",
                    linewidth=width, linestyle="-" if same or not communities else "--",
                    alpha=0.55, zorder=1, solid_capstyle="round")


def plot_network(graph, *, ax=None, seed: int = 0, layout: str = "spring",
                 communities: bool = True, font_size: float = 10, title: str | None = None,
                 min_node_size: float = 250, max_node_size: float = 1800):
    """Draw a co-occurrence network the way KH Coder does, with readable Japanese labels.

    Bubbles are sized by the node attribute ``count`` (area from ``min_node_size`` to
    ``max_node_size`` points², by square root of the count), edges are as wide as their
    ``weight`` (0.6 to 4 points), positions come from :func:`network_layout` (seeded,
    deterministic) and, with ``communities=True``, bubbles are coloured by
    :func:`network_communities` (grey for a node alone), with dashed edges between
    communities and solid ones inside. The Japanese font is set with
    :func:`utils.use_japanese_font`. Returns the matplotlib ``Axes``.

    >>> import matplotlib.pyplot as plt
    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_nodes_from([("停戦", {"count": 5}), ("合意", {"count": 3})])
    >>> g.add_edge("停戦", "合意", weight=0.5)
    >>> ax = plot_network(g, title="共起ネットワーク")
    >>> sorted(t.get_text() for t in ax.texts)
    ['停戦', '合意']
    >>> plt.close(ax.figure)
    """
    import matplotlib.pyplot as plt

    from .plot import use_japanese_font

    from ._figure_checks import check_ax, check_label, check_title

    check_graph(graph)
    check_ax(ax)
    title = check_title(title)
    communities = check_bool(communities, "communities")
    for v in graph.nodes:
        check_label(str(v), "node")
    _check_sizes(font_size, min_node_size, max_node_size)
    use_japanese_font()
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 6))
    nodes = list(graph.nodes)
    counts = np.array([float(graph.nodes[v].get("count", 1)) for v in nodes])
    root = np.sqrt(counts)
    span = root.max() - root.min()
    sizes = min_node_size + (max_node_size - min_node_size) * (
        (root - root.min()) / span if span > 0 else np.full(len(nodes), 0.5))
    boxes = _label_boxes(ax, nodes, sizes, font_size)
    pos = network_layout(graph, seed=seed, layout=layout, boxes=boxes)
    group = network_communities(graph, seed=seed) if communities and \
        graph.number_of_edges() else {str(v): -1 for v in graph.nodes}
    _draw_edges(ax, graph, pos, group, communities)
    colors = [_PALETTE[group[str(v)] % len(_PALETTE)] if group[str(v)] >= 0 else "#dddddd"
              for v in nodes]
    ax.scatter([pos[v][0] for v in nodes], [pos[v][1] for v in nodes], s=sizes, c=colors,
               edgecolors="#444444", linewidths=0.8, zorder=2)
    for v in nodes:
        ax.text(pos[v][0], pos[v][1], str(v), ha="center", va="center", fontsize=font_size,
                zorder=3, bbox={"boxstyle": "round,pad=0.15", "facecolor": "white",
                                "edgecolor": "none", "alpha": 0.6})
    xs = [x for x, _ in pos.values()]
    ys = [y for _, y in pos.values()]
    ax.set_xlim(min(min(xs) - 0.3, -1.3), max(max(xs) + 0.3, 1.3))
    ax.set_ylim(min(min(ys) - 0.2, -1.2), max(max(ys) + 0.2, 1.2))
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax
