"""Tests of utils/analysis/network.py and utils/analysis/network_plot.py: co-occurrence networks, communities,
layout, drawing."""
from __future__ import annotations

import math
import os
import subprocess
import sys

import matplotlib
import networkx as nx
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import utils  # noqa: E402
from conftest import background, background_result  # noqa: E402
from utils.analysis.network import cooccurrence_network, network_communities  # noqa: E402
from utils.analysis.network_plot import network_layout, plot_network  # noqa: E402

# four sentences; counts: 停戦 4, 合意 3, 交渉 2, 核 1 (+ one verb)
SENTENCES = [["停戦", "合意"], ["停戦", "合意", "交渉"], ["停戦", "合意"], ["停戦", "交渉", "核"]]


def table(sentences=SENTENCES, doc="000"):
    rows = [(doc, s, w, "名詞") for s, words in enumerate(sentences) for w in words]
    rows.append((doc, 0, "述べる", "動詞"))
    return pd.DataFrame(rows, columns=["doc_id", "sent_id", "lemma", "pos1"])


def edges(g):
    return {tuple(sorted((a, b))): round(w, 4) for a, b, w in g.edges(data="weight")}


@pytest.mark.parametrize("measure, expected", [
    # units: 停戦 4, 合意 3, 交渉 2; both: 停戦&合意 3, 停戦&交渉 2, 合意&交渉 1
    ("jaccard", {("停戦", "合意"): 0.75, ("交渉", "停戦"): 0.5, ("交渉", "合意"): 0.25}),
    ("dice", {("停戦", "合意"): round(6 / 7, 4), ("交渉", "停戦"): round(4 / 6, 4),
              ("交渉", "合意"): 0.4}),
    ("cosine", {("停戦", "合意"): round(3 / math.sqrt(12), 4),
                ("交渉", "停戦"): round(2 / math.sqrt(8), 4),
                ("交渉", "合意"): round(1 / math.sqrt(6), 4)}),
    ("simpson", {("停戦", "合意"): 1.0, ("交渉", "停戦"): 1.0, ("交渉", "合意"): 0.5}),
    ("count", {("停戦", "合意"): 3, ("交渉", "停戦"): 2, ("交渉", "合意"): 1}),
])
def test_measures_by_hand(measure, expected):
    g = cooccurrence_network(table(), top=3, min_edge=1, measure=measure)
    assert edges(g) == expected
    assert dict(g.nodes(data="count")) == {"停戦": 4, "合意": 3, "交渉": 2}
    assert dict(g.nodes(data="units")) == {"停戦": 4, "合意": 3, "交渉": 2}
    assert g.graph == {"measure": measure, "unit": "sent_id", "by": "lemma", "n_units": 4}


@pytest.mark.parametrize("kwargs, nodes, n_edges", [
    ({"top": 3, "min_edge": 2}, ["停戦", "合意", "交渉"], 2),        # 合意-交渉 (1) dropped
    ({"top": 3, "min_edge": 3}, ["停戦", "合意"], 1),                # 交渉 left alone: dropped
    ({"top": 3, "min_edge": 3, "isolates": True}, ["停戦", "合意", "交渉"], 1),
    ({"top": 4, "min_edge": 1}, ["停戦", "合意", "交渉", "核"], 5),
    ({"top": 4, "min_edge": 1, "max_edges": 2}, ["停戦", "合意", "交渉"], 2),
    ({"top": 4, "min_edge": 1, "pos": None}, ["停戦", "合意", "交渉", "核"], 5),  # 述べる: rank 5
    ({"top": 5, "min_edge": 1, "pos": None}, ["停戦", "合意", "交渉", "核", "述べる"], 7),
])
def test_selection(kwargs, nodes, n_edges):
    g = cooccurrence_network(table(), **kwargs)
    assert list(g.nodes) == nodes and g.number_of_edges() == n_edges


def test_ties_in_count_are_broken_by_term():
    t = table([["b", "a"], ["c", "a"], ["b", "c"]])
    assert list(cooccurrence_network(t, top=2, min_edge=1, isolates=True).nodes) == ["a", "b"]


def test_units_are_per_document_and_can_be_documents():
    two = pd.concat([table([["停戦", "合意"]], "000"), table([["停戦"], ["合意"]], "001")])
    by_sentence = cooccurrence_network(two, top=2, min_edge=1)
    assert edges(by_sentence) == {("停戦", "合意"): round(1 / 3, 4)}   # 3 sentence units
    assert by_sentence.graph["n_units"] == 3
    by_doc = cooccurrence_network(two, top=2, min_edge=1, unit="doc_id")
    assert edges(by_doc) == {("停戦", "合意"): 1.0}


def test_real_tokens_and_stopwords():
    toks = utils.tokenize("ロシアは停戦に合意した。ロシアと米国は停戦の事を協議した。")
    g = cooccurrence_network(toks, top=5, min_edge=2, stopwords=True)
    assert edges(g) == {("ロシア", "停戦"): 1.0}


@pytest.mark.parametrize("kwargs, error, match", [
    ({"by": "nope"}, ValueError, "by='nope' is not a column"),
    ({"unit": "para"}, ValueError, "unit='para' is not a column"),
    ({"top": 1}, ValueError, "top must be an integer >= 2"),
    ({"min_edge": 0}, ValueError, "min_edge must be an integer >= 1"),
    ({"max_edges": 0}, ValueError, "max_edges must be an integer >= 1"),
    ({"measure": "pmi"}, ValueError, "measure must be one of"),
    ({"pos": ["名刺"]}, ValueError, "pos contains '名刺'"),
    ({"pos": ["記号"]}, ValueError, "no token is left"),
    ({"isolates": 1}, TypeError, "isolates must be True or False"),
])
def test_bad_options(kwargs, error, match):
    with pytest.raises(error, match=match):
        cooccurrence_network(table(), **kwargs)


def test_bad_tokens():
    with pytest.raises(TypeError, match="tokens must be a pandas DataFrame"):
        cooccurrence_network(["停戦"])


def test_communities_are_numbered_by_size_and_alone_is_minus_one():
    g = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y")])
    g.add_node("z")
    assert network_communities(g) == {"a": 0, "b": 0, "c": 0, "x": 1, "y": 1, "z": -1}


def test_layout_is_deterministic_and_keeps_boxes_apart():
    g = cooccurrence_network(table(), top=4, min_edge=1)
    first, again = network_layout(g, seed=3), network_layout(g, seed=3)
    assert first == again and set(first) == set(g.nodes)
    boxes = {v: (0.5, 0.3) for v in g.nodes}
    pos = network_layout(g, boxes=boxes)
    names = list(pos)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert (abs(pos[a][0] - pos[b][0]) >= 0.5 - 1e-6
                    or abs(pos[a][1] - pos[b][1]) >= 0.3 - 1e-6)


HASH_EDGES = [("停戦", "合意", 0.75), ("停戦", "交渉", 0.5), ("合意", "交渉", 0.25),
              ("核", "兵器", 0.5), ("兵器", "交渉", 0.2)]


@background("other_hash_seed_run", pool="processes")
def _layout_in_a_python_with_another_hash_seed(folder):
    code = ("import networkx as nx; from utils.analysis.network_plot import network_layout; "
            "from utils.analysis.network import network_communities; "
            f"g = nx.Graph(); g.add_weighted_edges_from({HASH_EDGES!r}); "
            "print(repr((network_layout(g), network_communities(g))))")
    seed = "1" if os.environ.get("PYTHONHASHSEED") != "1" else "2"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONHASHSEED": seed}, check=True).stdout


@pytest.fixture
def other_hash_seed_run():
    return background_result("other_hash_seed_run")


def test_layout_and_communities_do_not_depend_on_the_hash_seed(other_hash_seed_run):
    # this process has a random hash seed; a fresh one with another must agree
    g = nx.Graph()
    g.add_weighted_edges_from(HASH_EDGES)
    here = repr((network_layout(g), network_communities(g)))
    assert other_hash_seed_run.strip() == here


def test_plot_network_draws_every_label_in_the_japanese_font():
    g = cooccurrence_network(table(), top=4, min_edge=1)
    fig, ax = plt.subplots()
    assert plot_network(g, ax=ax, title="共起") is ax
    assert sorted(t.get_text() for t in ax.texts) == sorted(g.nodes)
    assert ax.get_title() == "共起"
    assert matplotlib.rcParams["font.family"][0] == "IPAexGothic"
    assert len(ax.collections) == 1 and len(ax.lines) == g.number_of_edges()
    plt.close(fig)


@pytest.mark.parametrize("graph, kwargs, error, match", [
    ("g", {}, TypeError, "graph must be a networkx.Graph"),
    (nx.Graph(), {}, ValueError, "graph has no nodes"),
    (nx.Graph([("a", "b")]), {"font_size": 0}, ValueError, "font_size must be a positive"),
    (nx.Graph([("a", "b")]), {"layout": "circle"}, ValueError, "layout must be 'spring'"),
])
def test_plot_network_bad_input(graph, kwargs, error, match):
    with pytest.raises(error, match=match):
        plot_network(graph, **kwargs)
    plt.close("all")


def test_mixed_doc_ids_and_duplicated_tokens_are_refused():
    mixed = table().astype({"doc_id": object})
    mixed.loc[0, "doc_id"] = 0
    with pytest.raises(ValueError, match=r"column 'doc_id' of tokens mixes number and str"):
        cooccurrence_network(mixed, min_edge=1)
    toks = table().assign(token_id=range(len(table())))
    with pytest.raises(ValueError, match=r"1 duplicated \(doc_id, token_id\)"):
        cooccurrence_network(pd.concat([toks, toks.head(1)]), min_edge=1)


# ---------------------------------------------------------------- sweep (issue 13)

from sweep_tables import BAD_TABLES, ODD_TERMS, good, renamed  # noqa: E402


@pytest.mark.parametrize("case", BAD_TABLES, ids=[c[0] for c in BAD_TABLES])
def test_sweep_network_bad_tables(case):
    _, make, error, message = case
    with pytest.raises(error, match=message.format(name="tokens")):
        cooccurrence_network(make(), min_edge=1)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"top": None}, ValueError, r"top must be an integer >= 2, got None"),
    ({"top": 2.5}, ValueError, r"top must be an integer >= 2, got 2.5"),
    ({"min_edge": True}, ValueError, r"min_edge must be an integer >= 1, got True"),
    ({"max_edges": float("inf")}, ValueError, r"max_edges must be an integer >= 1, got inf"),
    ({"measure": None}, ValueError, r"measure must be one of .*got None"),
    ({"unit": None}, TypeError, r"unit must be a column name"),
    ({"by": "\u2028"}, ValueError, r"by='\\u2028' is not a column"),
    ({"stopwords": None}, TypeError, r"stopwords must be True or False"),
])
def test_sweep_network_options(kwargs, error, match):
    with pytest.raises(error, match=match):
        cooccurrence_network(good(), **kwargs)


@pytest.mark.parametrize("term", ODD_TERMS, ids=[f"U+{ord(t[0]):04X}" for t in ODD_TERMS])
def test_sweep_network_of_odd_terms(term):
    got = cooccurrence_network(renamed(good(), "停戦", term), min_edge=1)
    expected = cooccurrence_network(good(), min_edge=1)
    assert {tuple(sorted("停戦" if v == term else v for v in e)): w
            for e, w in edges(got).items()} == edges(expected)


def _weighted(weight=0.5, count=3):
    g = nx.Graph()
    g.add_node("停戦", count=count)
    g.add_node("合意", count=2)
    g.add_edge("停戦", "合意", weight=weight)
    return g


BAD_GRAPHS = [
    (None, TypeError, r"graph must be a networkx.Graph .*got NoneType"),
    (nx.DiGraph([("a", "b")]), TypeError, r"graph must be a networkx.Graph .*got DiGraph"),
    (nx.MultiGraph([("a", "b")]), TypeError, r"graph must be a networkx.Graph .*got MultiGraph"),
    (nx.Graph(), ValueError, r"graph has no nodes"),
    (_weighted(weight=-0.5), ValueError, r"edge '停戦'-'合意' has weight -0.5; weights must be "
                                         r"finite numbers >= 0"),
    (_weighted(weight=float("nan")), ValueError, r"has weight nan"),
    (_weighted(weight=math.inf), ValueError, r"has weight inf"),
    (_weighted(weight="0.5"), ValueError, r"has weight '0.5'"),
    (_weighted(weight=None), ValueError, r"has weight None"),
    (_weighted(count=-1), ValueError, r"node '停戦' has count -1; counts must be finite"),
    (_weighted(count=math.inf), ValueError, r"node '停戦' has count inf"),
]


@pytest.mark.parametrize("function", [network_layout, network_communities, plot_network],
                         ids=lambda f: f.__name__)
@pytest.mark.parametrize("graph, error, match", BAD_GRAPHS)
def test_sweep_bad_graphs(function, graph, error, match):
    with pytest.raises(error, match=match):
        function(graph)
    plt.close("all")


@pytest.mark.parametrize("function", [network_layout, network_communities, plot_network],
                         ids=lambda f: f.__name__)
@pytest.mark.parametrize("seed", [None, -1, 2 ** 32, 1.5, True, "0"])
def test_sweep_seeds(function, seed):
    with pytest.raises(ValueError, match=r"seed must be an integer from 0 to 2\*\*32 - 1"):
        function(_weighted(), seed=seed)
    plt.close("all")


@pytest.mark.parametrize("boxes, error, match", [
    ([(1, 1)], TypeError, r"boxes must be a dict node -> \(width, height\)"),
    ({"停戦": (0.1, 0.1)}, ValueError, r"boxes has no \(width, height\) for the node\(s\) \['合意'\]"),
    ({"停戦": (0.1, 0.1), "合意": (0, 0.1)}, ValueError, r"boxes\['合意'\] must be a \(width, "
                                                        r"height\) pair of numbers in \(0, 10\]"),
    ({"停戦": (0.1, 0.1), "合意": (math.inf, 0.1)}, ValueError, r"boxes\['合意'\] must be"),
    ({"停戦": (0.1, 0.1), "合意": (float("nan"), 0.1)}, ValueError, r"boxes\['合意'\] must be"),
    ({"停戦": (0.1, 0.1), "合意": ("0.1", 0.1)}, ValueError, r"boxes\['合意'\] must be"),
    ({"停戦": (0.1, 0.1), "合意": (0.1,)}, ValueError, r"boxes\['合意'\] must be"),
    ({"停戦": (0.1, 0.1), "合意": (1e30, 0.1)}, ValueError, r"boxes\['合意'\] must be"),
    ({"停戦": (0.1, 0.1), "合意": (True, 0.1)}, ValueError, r"boxes\['合意'\] must be"),
])
def test_sweep_network_layout_boxes(boxes, error, match):
    with pytest.raises(error, match=match):
        network_layout(_weighted(), boxes=boxes)


@pytest.mark.parametrize("layout", [None, "Spring", ["spring"]])
def test_sweep_network_layout_names(layout):
    with pytest.raises(ValueError, match=r"layout must be 'spring' or 'kamada_kawai'"):
        network_layout(_weighted(), layout=layout)


def test_sweep_zero_weights_make_no_community():
    # all-zero weights made Louvain divide by zero
    assert network_communities(_weighted(weight=0.0)) == {"停戦": -1, "合意": -1}
    ax = plot_network(_weighted(weight=0.0))
    assert sorted(t.get_text() for t in ax.texts) == ["停戦", "合意"]
    plt.close("all")


@pytest.mark.parametrize("kwargs, error, match", [
    ({"ax": "ax"}, TypeError, r"ax must be a matplotlib Axes"),
    ({"title": 5}, TypeError, r"title must be a str or None"),
    ({"title": "共起\n"}, ValueError, r"title '共起\\n' holds '\\n'"),
    ({"communities": 1}, TypeError, r"communities must be True or False, got 1"),
    ({"font_size": math.inf}, ValueError, r"font_size must be a positive number up to 200"),
    ({"font_size": 1e30}, ValueError, r"font_size must be a positive number up to 200"),
    ({"min_node_size": float("nan")}, ValueError, r"min_node_size must be a positive number"),
    ({"min_node_size": 900, "max_node_size": 300}, ValueError,
     r"min_node_size \(900\) must not exceed max_node_size \(300\)"),
])
def test_sweep_plot_network_options(kwargs, error, match):
    with pytest.raises(error, match=match):
        plot_network(_weighted(), **kwargs)
    plt.close("all")


@pytest.mark.parametrize("node", ["停\n戦", "\x1c", "\x85", "\u2028", "\ud800", "\x00"])
def test_sweep_plot_network_undrawable_labels(node):
    with pytest.raises(ValueError, match=r"node .* holds .*a line break or control character"):
        plot_network(nx.Graph([(node, "合意")]))
    plt.close("all")


@pytest.mark.parametrize("node", ["\ufeff停戦", "e\u0301", "ﾃｲｾﾝ", 3, ("a", 1)])
def test_sweep_plot_network_odd_but_drawable_labels(node):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = plot_network(nx.Graph([(node, "合意")]))
        ax.figure.canvas.draw()
    assert sorted(t.get_text() for t in ax.texts) == sorted([str(node), "合意"])
    plt.close("all")
