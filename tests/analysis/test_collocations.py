"""Tests of utils/analysis/collocations.py: collocations and association."""
from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency

import utils
from utils.analysis.collocations import COLLOCATION_COLUMNS, association, collocations


def build(*docs) -> pd.DataFrame:
    """A token table by hand: each doc a list of sentences of ``lemma[:pos1]`` specs."""
    rows = []
    for d, doc in enumerate(docs):
        token_id = 0
        for s, sentence in enumerate(doc):
            for spec in sentence.split():
                lemma, _, pos1 = spec.partition(":")
                rows.append({"doc_id": f"{d:03d}", "sent_id": s, "token_id": token_id,
                             "lemma": lemma, "pos1": pos1 or "名詞"})
                token_id += 1
    return pd.DataFrame(rows)


#   000: 合意 停戦 交渉 は | 停戦 合意 延期      001: 合意 停戦 。
TOKENS = build(["合意 停戦 交渉 は:助詞", "停戦 合意 延期"], ["合意 停戦 。:補助記号"])


def g2_by_hand(o11, r1, c1, n):
    """Dunning's G² from the four cells, written out; signed by O11 - E11."""
    cells = [(o11, r1 * c1 / n), (r1 - o11, r1 * (n - c1) / n),
             (c1 - o11, (n - r1) * c1 / n), (n - r1 - c1 + o11, (n - r1) * (n - c1) / n)]
    g2 = 2 * sum(o * math.log(o / e) for o, e in cells if o > 0)
    return -g2 if o11 < r1 * c1 / n else g2


def pairs(table):
    return [(w1, w2, o, r1, c1, n) for w1, w2, o, r1, c1, n, *_ in table.itertuples(index=False)]


@pytest.mark.parametrize("kwargs, expected", [
    # node windows of ±1 in the document: spans {合意, 交渉} {は, 合意} | {合意, 。};
    # n = 7 tokens that are not the node, r1 = 6 of them inside a span
    ({"window": 1}, [("停戦", "合意", 3, 6, 3, 7), ("停戦", "。", 1, 6, 1, 7),
                     ("停戦", "は", 1, 6, 1, 7), ("停戦", "交渉", 1, 6, 1, 7)]),
    # the same sentence only: は (sentence 0) is no longer next to 停戦 (sentence 1)
    ({"window": 1, "within": "sent_id"},
     [("停戦", "合意", 3, 5, 3, 7), ("停戦", "。", 1, 5, 1, 7), ("停戦", "交渉", 1, 5, 1, 7)]),
    # only nouns count: は and 。 leave the spans and n
    ({"window": 1, "pos": ["名詞"]}, [("停戦", "合意", 3, 4, 3, 5), ("停戦", "交渉", 1, 4, 1, 5)]),
    # ±2: overlapping spans, each token counted once; every token is in a span
    ({"window": 2}, [("停戦", "。", 1, 7, 1, 7), ("停戦", "は", 1, 7, 1, 7),
                     ("停戦", "交渉", 1, 7, 1, 7), ("停戦", "延期", 1, 7, 1, 7),
                     ("停戦", "合意", 3, 7, 3, 7)]),
    ({"window": 1, "min_count": 2}, [("停戦", "合意", 3, 6, 3, 7)]),
])
def test_node_collocates_and_their_contingency_tables(kwargs, expected):
    table = collocations(TOKENS, node="停戦", **{"min_count": 1, **kwargs})
    assert list(table.columns) == COLLOCATION_COLUMNS
    got = pairs(table)
    assert sorted(got) == sorted(expected)
    for row, (_, _, o, r1, c1, n) in zip(table.itertuples(index=False), got):
        assert row.expected == pytest.approx(r1 * c1 / n)
        assert row.pmi == pytest.approx(math.log2(o / (r1 * c1 / n)))
        assert row.log_likelihood == pytest.approx(g2_by_hand(o, r1, c1, n), abs=1e-12)
    assert table.log_likelihood.is_monotonic_decreasing


def test_all_tokens_in_the_spans_give_no_association():
    table = collocations(TOKENS, node="停戦", window=2, min_count=1)
    assert table.log_likelihood.tolist() == pytest.approx([0.0] * 5, abs=1e-12)
    assert table.pmi.tolist() == pytest.approx([0.0] * 5, abs=1e-12)
    # ties are ordered by w1 then w2 (code points: 。 < は < 交渉 < 合意 < 延期)
    assert table.w2.tolist() == ["。", "は", "交渉", "合意", "延期"]


@pytest.mark.parametrize("kwargs, expected", [
    # adjacent pairs within documents: n = 8
    ({}, [("合意", "停戦", 2, 3, 3, 8), ("交渉", "は", 1, 1, 1, 8), ("合意", "延期", 1, 3, 1, 8),
          ("停戦", "。", 1, 3, 1, 8), ("停戦", "交渉", 1, 3, 1, 8), ("停戦", "合意", 1, 3, 1, 8),
          ("は", "停戦", 1, 1, 3, 8)]),
    ({"within": "sent_id"},
     [("合意", "停戦", 2, 3, 2, 7), ("交渉", "は", 1, 1, 1, 7), ("合意", "延期", 1, 3, 1, 7),
      ("停戦", "。", 1, 3, 1, 7), ("停戦", "交渉", 1, 3, 1, 7), ("停戦", "合意", 1, 3, 1, 7)]),
    # only noun-noun pairs that are adjacent in the text
    ({"pos": ["名詞"]}, [("合意", "停戦", 2, 3, 2, 5), ("合意", "延期", 1, 3, 1, 5),
                        ("停戦", "交渉", 1, 2, 1, 5), ("停戦", "合意", 1, 2, 1, 5)]),
    ({"min_count": 2}, [("合意", "停戦", 2, 3, 3, 8)]),
])
def test_adjacent_pairs(kwargs, expected):
    table = collocations(TOKENS, **{"min_count": 1, **kwargs})
    assert sorted(pairs(table)) == sorted(expected)
    for row in table.itertuples(index=False):
        assert row.log_likelihood == pytest.approx(
            g2_by_hand(row.observed, row.r1, row.c1, row.n), abs=1e-12)


@pytest.mark.parametrize("measure", ["log_likelihood", "pmi", "observed"])
def test_sorted_by_the_measure_then_the_pair(measure):
    table = collocations(TOKENS, min_count=1, measure=measure)
    keys = list(zip(-table[measure], table.w1, table.w2))
    assert keys == sorted(keys)


def test_log_likelihood_is_negative_for_avoided_words():
    # ±1 around 停戦: A, A, Y; Y makes up 9 of the 11 other tokens, so it is avoided
    toks = build(["停戦 A " + "Y " * 8 + "A 停戦 Y"])
    table = collocations(toks, node="停戦", window=1, min_count=1).set_index("w2")
    assert table.loc["Y", ["observed", "r1", "c1", "n"]].tolist() == [1, 3, 9, 11]
    assert table.loc["Y", "expected"] == pytest.approx(27 / 11)
    assert table.loc["Y", "log_likelihood"] == pytest.approx(g2_by_hand(1, 3, 9, 11))
    assert table.loc["Y", "log_likelihood"] < 0 < table.loc["A", "log_likelihood"]
    assert table.index.tolist() == ["A", "Y"]


@pytest.mark.parametrize("o11, r1, c1, n", [(10, 20, 40, 1000), (3, 6, 3, 7), (1, 3, 9, 11),
                                             (36, 73, 38, 1158)])
def test_association_agrees_with_scipy(o11, r1, c1, n):
    cells = np.array([[o11, r1 - o11], [c1 - o11, n - r1 - c1 + o11]])
    g2 = chi2_contingency(cells, correction=False, lambda_="log-likelihood").statistic
    row = association(o11, r1, c1, n).iloc[0]
    assert abs(row.log_likelihood) == pytest.approx(g2)
    assert row.expected == pytest.approx(r1 * c1 / n)
    assert row.pmi == pytest.approx(math.log2(o11 * n / (r1 * c1)))


def test_association_rejects_impossible_tables():
    with pytest.raises(ValueError, match=r"do not form a contingency table"):
        association(5, 3, 10, 100)


def test_a_node_that_never_occurs_gives_an_empty_table():
    table = collocations(TOKENS, node="核")
    assert list(table.columns) == COLLOCATION_COLUMNS
    assert len(table) == 0


@pytest.mark.parametrize("kwargs, error, message", [
    ({"window": 0}, ValueError, r"window must be an integer >= 1, got 0"),
    ({"min_count": -1}, ValueError, r"min_count must be an integer >= 1, got -1"),
    ({"measure": "t-score"}, ValueError, r"measure must be one of \['log_likelihood', 'pmi', "
                                         r"'observed'\], got 't-score'"),
    ({"node": ""}, TypeError, r"node must be a word"),
    ({"node": ["停戦"]}, TypeError, r"node must be a word .*got \['停戦'\]"),
    ({"by": "surface"}, ValueError, r"by='surface' is not a column"),
    ({"within": "para"}, ValueError, r"within='para' is not a column"),
    ({"pos": ["Noun"]}, ValueError, r"pos contains 'Noun'"),
])
def test_collocations_reject_bad_options(kwargs, error, message):
    with pytest.raises(error, match=message):
        collocations(TOKENS, **kwargs)


def test_collocations_reject_bad_tables():
    with pytest.raises(TypeError, match=r"tokens must be a pandas DataFrame"):
        collocations(None)
    with pytest.raises(ValueError, match=r"missing the column\(s\) \['token_id'\]"):
        collocations(TOKENS.drop(columns="token_id"))
    holes = TOKENS.copy()
    holes.loc[2, "lemma"] = np.nan
    with pytest.raises(ValueError, match=r"column 'lemma' of tokens has 1 missing value"):
        collocations(holes, node="停戦")


# ---------------------------------------------------------------- the real corpus

def brute_force(tokens, node, window, keep):
    """Collocate counts by explicit loops over each document's positions."""
    observed, c1, r1, n = Counter(), Counter(), 0, 0
    for _, doc in tokens.sort_values(["doc_id", "token_id"]).groupby("doc_id"):
        lemmas, pos = doc.lemma.tolist(), doc.pos1.tolist()
        nodes = [i for i, w in enumerate(lemmas) if w == node]
        span = {j for i in nodes for j in range(i - window, i + window + 1)
                if 0 <= j < len(lemmas)} - set(nodes)
        for j, (w, p) in enumerate(zip(lemmas, pos)):
            if j in nodes or p not in keep:
                continue
            n += 1
            c1[w] += 1
            if j in span:
                r1 += 1
                observed[w] += 1
    return observed, r1, c1, n


def test_collocates_of_ceasefire_match_a_brute_force_count(tokens):
    table = collocations(tokens, node="停戦", window=5, pos=["名詞", "動詞"], min_count=1)
    observed, r1, c1, n = brute_force(tokens, "停戦", 5, {"名詞", "動詞"})
    assert dict(zip(table.w2, table.observed)) == dict(observed)
    assert set(table.r1) == {r1} and set(table.n) == {n}
    assert dict(zip(table.w2, table.c1)) == {w: c1[w] for w in observed}
    top = table[table.observed >= 3].head(3)
    assert top.w2.tolist() == ["30", "合意", "部分"]
    # 部分停戦 and 停戦合意 are what 003 is about
    assert top.observed.tolist() == [5, 4, 4]


def test_top_noun_pairs_of_the_corpus(tokens):
    table = collocations(tokens, pos=["名詞"], min_count=3)
    bigrams = []
    for _, doc in tokens.sort_values(["doc_id", "token_id"]).groupby("doc_id"):
        items = list(zip(doc.lemma, doc.pos1))
        bigrams += [(a, b) for (a, p), (b, q) in zip(items, items[1:])
                    if p == q == "名詞"]
    firsts, seconds, counts = (Counter(a for a, _ in bigrams), Counter(b for _, b in bigrams),
                               Counter(bigrams))
    expected = [(a, b, counts[a, b], firsts[a], seconds[b], len(bigrams))
                for a, b in [("ウクライナ", "戦争"), ("プーチン", "大統領")]]
    assert pairs(table.head(2)) == expected
    assert expected[0][2] == 36  # = "ウクライナ戦争".count in the raw texts (tests/analysis/test_freq.py)


def test_stopwords_leave_the_window_but_not_the_counts():
    toks = utils.tokenize("ロシアは停戦を拒んだ。米国は停戦を求めた。")
    table = collocations(toks, node="停戦", window=2, stopwords=True, min_count=1)
    # ±2 tokens of each 停戦: ロシア は | を 拒ん ; 米国 は | を 求め → content words only
    assert sorted(table.w2) == ["ロシア", "拒む", "求める", "米国"]
    content = utils.remove_stopwords(toks)
    assert set(table.n) == {int((content.lemma != "停戦").sum())}
    assert set(table.r1) == {4}


def test_collocations_refuse_mixed_doc_ids():
    mixed = TOKENS.astype({"doc_id": object})
    mixed.loc[mixed.doc_id != mixed.doc_id.iloc[0], "doc_id"] = 1
    with pytest.raises(ValueError, match=r"column 'doc_id' of tokens mixes str and number"):
        collocations(mixed, node="停戦")


def test_collocations_order_string_token_ids_as_numbers(tokens):
    assert pairs(collocations(tokens.astype(str), node="停戦")) == \
        pairs(collocations(tokens, node="停戦"))


# ---------------------------------------------------------------- sweep (issue 13)

from sweep_tables import BAD_TABLES, ODD_TERMS, good, renamed  # noqa: E402


@pytest.mark.parametrize("case", BAD_TABLES, ids=[c[0] for c in BAD_TABLES])
@pytest.mark.parametrize("node", ["停戦", None])
def test_sweep_collocations_bad_tables(node, case):
    _, make, error, message = case
    with pytest.raises(error, match=message.format(name="tokens")):
        collocations(make(), node=node, min_count=1)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"node": ""}, TypeError, r"node must be a word \(str\)"),
    ({"node": 3}, TypeError, r"node must be a word \(str\).*got 3"),
    ({"node": float("nan")}, TypeError, r"node must be a word \(str\).*got nan"),
    ({"window": 0}, ValueError, r"window must be an integer >= 1, got 0"),
    ({"window": None}, TypeError, r"window must be an integer >= 1, got None"),
    ({"min_count": 2.5}, TypeError, r"min_count must be an integer >= 1, got 2.5"),
    ({"measure": "PMI"}, ValueError, r"measure must be one of \['log_likelihood', 'pmi', "
                                     r"'observed'\], got 'PMI'"),
    ({"measure": None}, ValueError, r"measure must be one of .*got None"),
    ({"within": 1}, TypeError, r"within must be a column name"),
    ({"within": "sentence"}, ValueError, r"within='sentence' is not a column"),
    ({"by": "\x1c"}, ValueError, r"by='\\x1c' is not a column"),
    ({"pos": ()}, ValueError, r"pos is empty"),
    ({"stopwords": "yes"}, TypeError, r"stopwords must be True or False"),
])
def test_sweep_collocations_options(kwargs, error, message):
    with pytest.raises(error, match=message):
        collocations(good(), **kwargs)


@pytest.mark.parametrize("term", ODD_TERMS, ids=[f"U+{ord(t[0]):04X}" for t in ODD_TERMS])
def test_sweep_collocations_of_odd_terms(term):
    def spelled(rows_, old, new):
        return [tuple(new if v == old else v for v in r) for r in rows_]
    got = collocations(renamed(good(), "停戦", term), node=term, min_count=1, measure="observed")
    expected = collocations(good(), node="停戦", min_count=1, measure="observed")
    assert sorted(spelled(pairs(got), term, "停戦")) == sorted(pairs(expected))


def test_sweep_collocations_empty_and_legit_variants():
    assert len(collocations(good().iloc[:0], node="停戦")) == 0
    assert len(collocations(good().iloc[:0])) == 0
    base = pairs(collocations(good(), node="停戦", min_count=1))
    for variant in (good().astype(str), good().assign(doc_id=[0] * 6 + [1] * 6)[::-1]):
        assert pairs(collocations(variant, node="停戦", min_count=1)) == base


@pytest.mark.parametrize("args, error, message", [
    ((None, 20, 40, 1000), TypeError, r"o11 must be a count \(a number >= 0\).*got None"),
    (("10", 20, 40, 1000), TypeError, r"o11 must be a count .*got '10'"),
    ((True, 20, 40, 1000), TypeError, r"o11 must be a count .*got True"),
    ((10, [20, None], 40, 1000), TypeError, r"r1 must be a count .*got \[20, None\]"),
    ((float("nan"), 20, 40, 1000), ValueError, r"o11 must be a finite number >= 0, got nan"),
    ((10, 20, float("inf"), 1000), ValueError, r"c1 must be a finite number >= 0, got inf"),
    ((10, 20, 40, float("inf")), ValueError, r"n must be a finite number > 0, got inf"),
    ((0, 0, 0, 0), ValueError, r"n must be a finite number > 0, got 0.0"),
    ((-1, 20, 40, 1000), ValueError, r"o11 must be a finite number >= 0, got -1.0"),
    ((30, 20, 40, 1000), ValueError, r"the counts do not form a contingency table"),
    ((10, 20, 40, 45), ValueError, r"the counts do not form a contingency table"),
    ((10**30, 20, 40, 1000), ValueError, r"the counts do not form a contingency table"),
    (([1, 2], [3, 4, 5], 6, 10), ValueError, r"scalars or arrays of one length, got lengths \[2, 3, 1, 1\]"),
])
def test_sweep_association(args, error, message):
    with pytest.raises(error, match=message):
        association(*args)


def test_sweep_association_legit_edges():
    # all tokens in the window, or a pair never seen: finite, signed as documented
    table = association([0, 5, 5], [5, 5, 10], [5, 5, 5], [10, 10, 10])
    assert table["pmi"].tolist()[0] == -math.inf
    assert np.isfinite(table["log_likelihood"]).all()
    assert table["log_likelihood"].tolist()[2] == pytest.approx(0.0)


# ---------------------------------------------------------------- linear windows (issue 13)

def in_window_by_distance(is_node, segment, window):
    """The former algorithm: one pass per distance d = 1..window (quadratic when the
    window is as long as the text)."""
    in_span = np.zeros(len(is_node), dtype=bool)
    for d in range(1, window + 1):
        if d >= len(is_node):
            break
        same = segment[d:] == segment[:-d]
        in_span[d:] |= is_node[:-d] & same
        in_span[:-d] |= is_node[d:] & same
    return in_span


def test_window_marking_equals_the_former_algorithm_on_random_inputs():
    from utils.analysis.collocations import _in_window

    rng = np.random.default_rng(13)
    for _ in range(300):
        n = int(rng.integers(0, 60))
        is_node = rng.random(n) < rng.choice([0.0, 0.05, 0.3, 1.0])
        segment = np.cumsum(rng.random(n) < 0.2)     # runs, as (doc_id, sent_id) in text order
        window = int(rng.choice([1, 2, 3, 5, 10, 100]))
        np.testing.assert_array_equal(_in_window(is_node, segment, window),
                                      in_window_by_distance(is_node, segment, window))


@pytest.mark.parametrize("within", [None, "sent_id"])
def test_window_marking_equals_the_former_algorithm_on_the_corpus(tokens, within):
    from utils.analysis.collocations import _in_window
    from utils.analysis.tokenview import sequence as _sequence

    values, segment, _ = _sequence(tokens, "lemma", within, None, False)
    is_node = values == "停戦"
    for window in (1, 5, 40):
        np.testing.assert_array_equal(_in_window(is_node, segment, window),
                                      in_window_by_distance(is_node, segment, window))


def test_a_window_as_long_as_the_text_is_linear():
    import time

    from utils.analysis.collocations import _in_window

    n = 200_000                                   # the former loop took ~15 s here
    is_node = np.zeros(n, dtype=bool)
    is_node[::1000] = True
    segment = np.arange(n) // 50_000
    start = time.perf_counter()
    marked = _in_window(is_node, segment, 10**9)
    assert time.perf_counter() - start < 1.0
    assert marked.sum() == n                      # every token shares a document with a node
