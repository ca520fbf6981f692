"""Build and draw co-occurrence networks (共起ネットワーク) of the main terms of a text.

A co-occurrence network shows which words appear together: one node per frequent word,
one edge between two words that often occur in the same sentence. It is the signature
figure of KH Coder (樋口耕一『社会調査のための計量テキスト分析』, 第2版, ナカニシヤ出版,
2020), and this module follows its defaults: words of the chosen parts of speech,
the most frequent ones as nodes, the Jaccard coefficient over sentences as edge weight,
bubble size by frequency, colours by community (KH Coder's サブグラフ検出).
"""
from __future__ import annotations

import math
import numbers
from collections.abc import Mapping

import numpy as np
import pandas as pd

from .freq import (_check_bool, _check_column_name, _check_frame, _check_pos,
                   _check_unique_tokens, _check_values, _keep_mask, _require_columns)

__all__ = ["MEASURES", "cooccurrence_network", "network_layout", "network_communities",
           "plot_network"]

#: Edge weights :func:`cooccurrence_network` can compute (see its docstring).
MEASURES = ("jaccard", "dice", "cosine", "simpson", "count")


def _positive_int(value, name: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def cooccurrence_network(tokens: pd.DataFrame, *, by: str = "lemma", pos=("名詞",),
                         unit: str = "sent_id", top: int = 30, min_edge: int = 2,
                         measure: str = "jaccard", stopwords: bool = False,
                         max_edges: int | None = 60, isolates: bool = False):
    """Build the co-occurrence network of the ``top`` most frequent terms (共起ネットワーク).

    Tokens are filtered by ``pos`` (``pos1`` values; ``None`` keeps all) and, with
    ``stopwords=True``, by :func:`utils.remove_stopwords`. The nodes are the ``top``
    terms (values of ``by``) with the highest token counts, ties broken by term in code
    point order. A **unit** is a sentence (``unit="sent_id"``, i.e. one
    ``(doc_id, sent_id)`` pair), a document (``unit="doc_id"``) or any other column
    (within each document). With ``n_a`` the number of units that contain term a and
    ``n_ab`` the number that contain both a and b, an edge joins a and b when
    ``n_ab >= min_edge``, weighted by ``measure``:

    * ``"jaccard"`` (default, as KH Coder): ``n_ab / (n_a + n_b - n_ab)``, the Jaccard
      coefficient of the two sets of units (Jaccard 1912, "The distribution of the flora
      in the alpine zone", *New Phytologist* 11(2));
    * ``"dice"``: ``2 n_ab / (n_a + n_b)``; ``"cosine"``: ``n_ab / sqrt(n_a n_b)``;
      ``"simpson"``: ``n_ab / min(n_a, n_b)``; ``"count"``: ``n_ab`` itself.

    ``max_edges`` (default 60, as KH Coder) keeps only the strongest edges, by weight,
    then ``n_ab``, then the terms' rank; ``None`` keeps every edge. Nodes left without an edge are dropped unless
    ``isolates=True``.

    Returns a :class:`networkx.Graph`: node attributes ``count`` (tokens) and ``units``
    (``n_a``), edge attributes ``weight`` (the measure) and ``count`` (``n_ab``), graph
    attributes ``measure``, ``unit``, ``by`` and ``n_units`` (units holding any kept
    token). Nodes are added by count, descending, edges by weight, descending.

    >>> toks = pd.DataFrame({"doc_id": "000", "sent_id": [0, 0, 1, 1, 2, 2],
    ...     "lemma": ["停戦", "合意", "停戦", "合意", "停戦", "交渉"], "pos1": "名詞"})
    >>> g = cooccurrence_network(toks, min_edge=1)
    >>> sorted(g.nodes(data="count"))
    [('交渉', 1), ('停戦', 3), ('合意', 2)]
    >>> sorted((a, b, round(w, 3)) for a, b, w in g.edges(data="weight"))
    [('停戦', '交渉', 0.333), ('停戦', '合意', 0.667)]
    """
    import networkx as nx

    _check_frame(tokens)
    by = _check_column_name(by, "by", tokens)
    unit = _check_column_name(unit, "unit", tokens)
    top = _positive_int(top, "top", 2)
    min_edge = _positive_int(min_edge, "min_edge", 1)
    if max_edges is not None:
        max_edges = _positive_int(max_edges, "max_edges", 1)
    if not isinstance(measure, str) or measure not in MEASURES:
        raise ValueError(f"measure must be one of {list(MEASURES)}, got {measure!r}")
    stopwords = _check_bool(stopwords, "stopwords")
    isolates = _check_bool(isolates, "isolates")
    if pos is not None:
        _require_columns(tokens, [by, "pos1"], why=" (pos= filters on pos1)")
    pos = _check_pos(pos, tokens)
    unit_cols = [unit] if unit == "doc_id" or "doc_id" not in tokens.columns \
        else ["doc_id", unit]
    _check_values(tokens, [by, *unit_cols] + (["pos1"] if pos is not None else []))
    _check_unique_tokens(tokens)

    kept = tokens.loc[_keep_mask(tokens, pos, stopwords), [*unit_cols, by]]
    if kept.empty:
        raise ValueError("no token is left after the pos/stopwords filters (pos="
                         f"{sorted(pos) if pos else None}); check pos= against the "
                         "table's pos1 values")
    counts = kept[by].value_counts(sort=False)
    order = sorted(counts.index, key=lambda t: (-int(counts[t]), str(t)))
    nodes = order[:top]
    unit_code = kept.groupby(unit_cols, sort=True).ngroup().to_numpy()
    n_units = int(unit_code.max()) + 1
    term_code = pd.Index(nodes).get_indexer(kept[by])
    inside = term_code >= 0
    incidence = np.zeros((n_units, len(nodes)), dtype=np.int64)
    incidence[unit_code[inside], term_code[inside]] = 1
    co = incidence.T @ incidence
    n = np.diag(co).astype(float)

    graph = nx.Graph(measure=measure, unit=unit, by=by, n_units=n_units)
    for i, term in enumerate(nodes):
        graph.add_node(term, count=int(counts[term]), units=int(n[i]))  # noqa: E501
    edges = []
    for i in range(len(nodes)):
        for j in range(i + 1, len(nodes)):
            both = int(co[i, j])
            if both < min_edge:
                continue
            if measure == "jaccard":
                w = both / (n[i] + n[j] - both)
            elif measure == "dice":
                w = 2 * both / (n[i] + n[j])
            elif measure == "cosine":
                w = both / math.sqrt(n[i] * n[j])
            elif measure == "simpson":
                w = both / min(n[i], n[j])
            else:
                w = float(both)
            edges.append((-w, -both, i, j))
    edges.sort()
    if max_edges is not None:
        edges = edges[:max_edges]
    for w, both, i, j in edges:
        graph.add_edge(nodes[i], nodes[j], weight=float(-w), count=int(-both))
    if not isolates:
        graph.remove_nodes_from([v for v in nodes if graph.degree(v) == 0])
    return graph


def _check_graph(graph):
    """Check the graph and its numbers: edge weights and node counts finite and >= 0."""
    import networkx as nx

    if not isinstance(graph, nx.Graph) or graph.is_directed() or graph.is_multigraph():
        raise TypeError(f"graph must be a networkx.Graph (from utils.cooccurrence_network), "
                        f"got {type(graph).__name__}")
    if graph.number_of_nodes() == 0:
        raise ValueError("graph has no nodes; lower min_edge or raise top in "
                         "cooccurrence_network, or pass isolates=True")
    for where, items in (("edge", ((f"{a!r}-{b!r}", "weight", w) for a, b, w in
                                   graph.edges(data="weight", default=1.0))),
                         ("node", ((repr(v), "count", c) for v, c in
                                   graph.nodes(data="count", default=1)))):
        for name, attribute, value in items:
            if (isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real)
                    or not math.isfinite(value) or value < 0):
                raise ValueError(f"{where} {name} has {attribute} {value!r}; {attribute}s "
                                 "must be finite numbers >= 0")
    return graph


def _check_seed(seed) -> int:
    if (isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral)
            or not 0 <= seed < 2 ** 32):
        raise ValueError(f"seed must be an integer from 0 to 2**32 - 1 (fixed, so the "
                         f"figure is the same every time), got {seed!r}")
    return int(seed)


def network_communities(graph, *, seed: int = 0) -> dict:
    """Group the nodes into communities (KH Coder's サブグラフ検出) and number them.

    Uses Louvain modularity on the edge weights (Blondel et al. 2008, "Fast unfolding of
    communities in large networks", *J. Stat. Mech.* P10008) with a fixed ``seed``.
    Communities are numbered 0, 1, … by size, descending, then by their first node in
    code point order; a node alone in its community gets -1.

    >>> import networkx as nx
    >>> g = nx.Graph([("停戦", "合意"), ("核", "兵器")])
    >>> network_communities(g)
    {'停戦': 0, '兵器': 1, '合意': 0, '核': 1}
    """
    import networkx as nx

    _check_graph(graph)
    seed = _check_seed(seed)
    if graph.size(weight="weight") == 0:  # no edge, or all of weight 0: nobody is tied
        return {str(v): -1 for v in sorted(graph.nodes, key=str)}
    groups = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    groups = sorted((sorted(map(str, g)) for g in groups), key=lambda g: (-len(g), g[0]))
    label = {}
    number = 0
    for members in groups:
        for m in members:
            label[m] = number if len(members) > 1 else -1
        if len(members) > 1:
            number += 1
    return {str(v): label[str(v)] for v in sorted(graph.nodes, key=str)}


def _label_width(label: str) -> float:
    """Width of a label in character widths (a kana or kanji is 1, ASCII 0.6)."""
    return sum(0.6 if ord(c) < 0x2E80 else 1.0 for c in label)


def network_layout(graph, *, seed: int = 0, layout: str = "spring",
                   boxes: dict | None = None) -> dict:
    """Place the nodes of ``graph`` in the plane, deterministically, labels kept apart.

    ``layout="spring"`` (default) is networkx's Fruchterman–Reingold layout seeded with
    ``seed``, started from the Kamada–Kawai layout (on distances ``1.05 - weight``, so
    strongly tied words sit close); ``"kamada_kawai"`` uses that alone. Positions are
    centred, spread a little in the crowded centre and scaled into [-1, 1]; then nodes whose boxes overlap are pushed apart, a
    little at a time, until no two overlap. ``boxes`` maps a node to the ``(width,
    height)`` it needs in those units (:func:`plot_network` passes the size of each label
    and bubble); by default a label is 0.055 wide per character and 0.11 high.

    Returns ``{node: (x, y)}``, the same on every machine for the same graph and seed.

    >>> import networkx as nx
    >>> pos = network_layout(nx.Graph([("停戦", "合意"), ("合意", "交渉")]))
    >>> sorted(pos), all(-1.5 <= c <= 1.5 for xy in pos.values() for c in xy)
    (['交渉', '停戦', '合意'], True)
    """
    import networkx as nx

    _check_graph(graph)
    seed = _check_seed(seed)
    if not isinstance(layout, str) or layout not in ("spring", "kamada_kawai"):
        raise ValueError(f"layout must be 'spring' or 'kamada_kawai', got {layout!r}")
    nodes = list(graph.nodes)
    if boxes is None:
        boxes = {v: (0.055 * _label_width(str(v)) + 0.06, 0.11) for v in nodes}
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
    width = np.array([float(boxes[v][0]) for v in nodes])
    height = np.array([float(boxes[v][1]) for v in nodes])
    half_w = (width[:, None] + width[None, :]) / 2
    half_h = (height[:, None] + height[None, :]) / 2
    upper = np.triu(np.ones((len(nodes), len(nodes)), dtype=bool), 1)
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
    return {v: (float(round(x, 6)), float(round(y, 6))) for v, (x, y) in zip(nodes, xy)}


_PALETTE = ["#8dd3c7", "#fdb462", "#bebada", "#fb8072", "#80b1d3", "#b3de69", "#fccde5",
            "#ffed6f", "#bc80bd", "#ccebc5"]


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

    _check_graph(graph)
    check_ax(ax)
    title = check_title(title)
    communities = _check_bool(communities, "communities")
    for v in graph.nodes:
        check_label(str(v), "node")
    for name, value, top in (("font_size", font_size, 200),
                             ("min_node_size", min_node_size, 100_000),
                             ("max_node_size", max_node_size, 100_000)):
        if (isinstance(value, bool) or not isinstance(value, numbers.Real)
                or not math.isfinite(value) or not 0 < value <= top):
            raise ValueError(f"{name} must be a positive number up to {top}, got {value!r}")
    if min_node_size > max_node_size:
        raise ValueError(f"min_node_size ({min_node_size}) must not exceed max_node_size "
                         f"({max_node_size})")
    use_japanese_font()
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 6))
    nodes = list(graph.nodes)
    counts = np.array([float(graph.nodes[v].get("count", 1)) for v in nodes])
    root = np.sqrt(counts)
    span = root.max() - root.min()
    sizes = min_node_size + (max_node_size - min_node_size) * (
        (root - root.min()) / span if span > 0 else np.full(len(nodes), 0.5))
    # boxes in layout units: the axes span about 2.6 x 2.4 units (see set_xlim below)
    box = ax.get_position()
    unit_x = 2.6 / (box.width * ax.figure.get_figwidth() * 72)   # units per point
    unit_y = 2.4 / (box.height * ax.figure.get_figheight() * 72)
    diameter = 2 * np.sqrt(sizes / math.pi) * 0.85
    boxes = {v: (max(_label_width(str(v)) * font_size + 6, d) * unit_x,
                 max(font_size * 1.5, d) * unit_y) for v, d in zip(nodes, diameter)}
    pos = network_layout(graph, seed=seed, layout=layout, boxes=boxes)
    group = network_communities(graph, seed=seed) if communities and \
        graph.number_of_edges() else {str(v): -1 for v in graph.nodes}
    weights = [float(w) for _, _, w in graph.edges(data="weight", default=1.0)]
    if weights:
        lo, hi = min(weights), max(weights)
        for (a, b, w) in graph.edges(data="weight", default=1.0):
            width = 0.6 + 3.4 * ((w - lo) / (hi - lo) if hi > lo else 0.5)
            same = group[str(a)] == group[str(b)] and group[str(a)] >= 0
            ax.plot([pos[a][0], pos[b][0]], [pos[a][1], pos[b][1]], color="#666666",
                    linewidth=width, linestyle="-" if same or not communities else "--",
                    alpha=0.55, zorder=1, solid_capstyle="round")
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
