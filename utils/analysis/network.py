"""Build co-occurrence networks (共起ネットワーク) of the main terms of a text, and their communities.

A co-occurrence network shows which words appear together: one node per frequent word,
one edge between two words that often occur in the same sentence. It is the signature
figure of KH Coder (樋口耕一『社会調査のための計量テキスト分析』, 第2版, ナカニシヤ出版,
2020), and this module follows its defaults: words of the chosen parts of speech,
the most frequent ones as nodes, the Jaccard coefficient over sentences as edge weight,
bubble size by frequency, colours by community (KH Coder's サブグラフ検出). The
layout and the drawing are in :mod:`utils.analysis.network_plot`.
"""
from __future__ import annotations

import math
import numbers

import numpy as np
import pandas as pd

from .tokenview import keep_mask
from ..validate import (check_bool, check_column_name, check_frame, check_pos, check_unique_tokens,
                       check_values, require_columns)

# check_graph and check_seed are shared with utils.analysis.network_plot, not part of utils' API
__all__ = ["MEASURES", "cooccurrence_network", "network_communities"]

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
    then ``n_ab``, then the terms' rank; ``None`` keeps every edge. Nodes left without an
    edge are dropped unless ``isolates=True``.

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

    by, unit, unit_cols, pos, top, min_edge, max_edges, stopwords, isolates = _network_args(
        tokens, by, pos, unit, top, min_edge, measure, stopwords, max_edges, isolates)
    kept = tokens.loc[keep_mask(tokens, pos, stopwords), [*unit_cols, by]]
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
        graph.add_node(term, count=int(counts[term]), units=int(n[i]))
    for weight, both, i, j in _ranked_edges(co, n, measure, min_edge, max_edges):
        graph.add_edge(nodes[i], nodes[j], weight=weight, count=both)
    if not isolates:
        graph.remove_nodes_from([v for v in nodes if graph.degree(v) == 0])
    return graph


def _network_args(tokens, by, pos, unit, top, min_edge, measure, stopwords, max_edges,
                  isolates):
    """Check the arguments of :func:`cooccurrence_network`; return them cleaned, with the
    columns that name a unit."""
    check_frame(tokens)
    by = check_column_name(by, "by", tokens)
    unit = check_column_name(unit, "unit", tokens)
    top = _positive_int(top, "top", 2)
    min_edge = _positive_int(min_edge, "min_edge", 1)
    if max_edges is not None:
        max_edges = _positive_int(max_edges, "max_edges", 1)
    if not isinstance(measure, str) or measure not in MEASURES:
        raise ValueError(f"measure must be one of {list(MEASURES)}, got {measure!r}")
    stopwords = check_bool(stopwords, "stopwords")
    isolates = check_bool(isolates, "isolates")
    if pos is not None:
        require_columns(tokens, [by, "pos1"], why=" (pos= filters on pos1)")
    pos = check_pos(pos, tokens)
    unit_cols = [unit] if unit == "doc_id" or "doc_id" not in tokens.columns \
        else ["doc_id", unit]
    check_values(tokens, [by, *unit_cols] + (["pos1"] if pos is not None else []))
    check_unique_tokens(tokens)
    return by, unit, unit_cols, pos, top, min_edge, max_edges, stopwords, isolates


def _weight(measure: str, both: int, n_a: float, n_b: float) -> float:
    """The weight of an edge: ``measure`` of the two terms' unit counts and shared units."""
    if measure == "jaccard":
        return both / (n_a + n_b - both)
    if measure == "dice":
        return 2 * both / (n_a + n_b)
    if measure == "cosine":
        return both / math.sqrt(n_a * n_b)
    if measure == "simpson":
        return both / min(n_a, n_b)
    return float(both)


def _ranked_edges(co: np.ndarray, n: np.ndarray, measure: str, min_edge: int,
                  max_edges: int | None) -> list[tuple[float, int, int, int]]:
    """The edges ``(weight, n_ab, i, j)`` with ``n_ab >= min_edge``, strongest first (by
    weight, then n_ab, then the terms' rank), at most ``max_edges`` of them."""
    edges = []
    for i in range(len(n)):
        for j in range(i + 1, len(n)):
            both = int(co[i, j])
            if both >= min_edge:
                edges.append((-_weight(measure, both, n[i], n[j]), -both, i, j))
    edges.sort()
    if max_edges is not None:
        edges = edges[:max_edges]
    return [(float(-w), int(-both), i, j) for w, both, i, j in edges]


def check_graph(graph):
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


def check_seed(seed) -> int:
    """Check a random seed: an integer from 0 to 2**32 - 1."""
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

    check_graph(graph)
    seed = check_seed(seed)
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
