"""Tests of utils/analysis/similarity.py: tfidf and similarity."""
from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd
import pytest

import utils
from utils.analysis.similarity import similarity, tfidf


def build(**docs) -> pd.DataFrame:
    """A token table by hand: doc_id -> str of ``lemma[:pos1]`` specs (pos1 名詞 by default)."""
    rows = []
    for doc_id, text in docs.items():
        for token_id, spec in enumerate(text.split()):
            lemma, _, pos1 = spec.partition(":")
            rows.append({"doc_id": doc_id, "token_id": token_id, "lemma": lemma,
                         "pos1": pos1 or "名詞"})
    return pd.DataFrame(rows)


TOKENS = build(**{"000": "停戦 合意 合意", "001": "停戦 核", "002": "核 核 延期 。:補助記号"})
LN = math.log


def rows(table):
    return [tuple(r) for r in table.itertuples(index=False)]


@pytest.mark.parametrize("kwargs, expected", [
    # doc_id, term, count, tf, df, idf: N = 3 documents; tf = count / tokens of the doc
    ({}, [("000", "合意", 2, 2 / 3, 1, LN(3)), ("000", "停戦", 1, 1 / 3, 2, LN(3 / 2)),
          ("001", "停戦", 1, 1 / 2, 2, LN(3 / 2)), ("001", "核", 1, 1 / 2, 2, LN(3 / 2)),
          ("002", "。", 1, 1 / 4, 1, LN(3)), ("002", "延期", 1, 1 / 4, 1, LN(3)),
          ("002", "核", 2, 2 / 4, 2, LN(3 / 2))]),
    # POS filter: 。 goes, but tf still divides by all 4 tokens of 002
    ({"pos": ["名詞"]}, [("000", "合意", 2, 2 / 3, 1, LN(3)), ("000", "停戦", 1, 1 / 3, 2, LN(3 / 2)),
                        ("001", "停戦", 1, 1 / 2, 2, LN(3 / 2)), ("001", "核", 1, 1 / 2, 2, LN(3 / 2)),
                        ("002", "延期", 1, 1 / 4, 1, LN(3)), ("002", "核", 2, 2 / 4, 2, LN(3 / 2))]),
    ({"tf": "count", "pos": ["名詞"]},
     [("000", "合意", 2, 2, 1, LN(3)), ("000", "停戦", 1, 1, 2, LN(3 / 2)),
      ("001", "停戦", 1, 1, 2, LN(3 / 2)), ("001", "核", 1, 1, 2, LN(3 / 2)),
      ("002", "延期", 1, 1, 1, LN(3)), ("002", "核", 2, 2, 2, LN(3 / 2))]),
    ({"tf": "log", "idf": "smooth", "pos": ["名詞"]},
     [("000", "合意", 2, 1 + LN(2), 1, LN(4 / 2) + 1), ("000", "停戦", 1, 1, 2, LN(4 / 3) + 1),
      ("001", "停戦", 1, 1, 2, LN(4 / 3) + 1), ("001", "核", 1, 1, 2, LN(4 / 3) + 1),
      ("002", "核", 2, 1 + LN(2), 2, LN(4 / 3) + 1), ("002", "延期", 1, 1, 1, LN(4 / 2) + 1)]),
])
def test_tfidf_by_hand(kwargs, expected):
    table = tfidf(TOKENS, **kwargs)
    assert list(table.columns) == ["doc_id", "term", "count", "tf", "df", "idf", "tfidf"]
    assert [r[:3] for r in rows(table)] == [e[:3] for e in expected]
    assert table.df.tolist() == [e[4] for e in expected]
    assert table.tf.tolist() == pytest.approx([e[3] for e in expected])
    assert table.idf.tolist() == pytest.approx([e[5] for e in expected])
    assert table.tfidf.tolist() == pytest.approx([e[3] * e[5] for e in expected])


def test_a_term_in_every_document_weighs_nothing():
    table = tfidf(build(**{"a": "停戦 合意", "b": "停戦"}))
    assert table.set_index(["doc_id", "term"]).tfidf.to_dict() == {
        ("a", "合意"): pytest.approx(0.5 * LN(2)), ("a", "停戦"): 0.0, ("b", "停戦"): 0.0}


def cosine_by_hand(weights: dict) -> dict:
    """Cosine of sparse vectors {doc: {term: weight}}, written out."""
    def norm(v):
        return math.sqrt(sum(x * x for x in v.values()))
    out = {}
    for p, u in weights.items():
        for q, v in weights.items():
            dot = sum(w * v.get(t, 0.0) for t, w in u.items())
            out[p, q] = dot / (norm(u) * norm(v)) if norm(u) and norm(v) else 0.0
    return out


def test_similarity_by_hand():
    weights = {"000": {"合意": 2 / 3 * LN(3), "停戦": 1 / 3 * LN(1.5)},
               "001": {"停戦": 0.5 * LN(1.5), "核": 0.5 * LN(1.5)},
               "002": {"延期": 0.25 * LN(3), "核": 0.5 * LN(1.5)}}
    expected = cosine_by_hand(weights)
    sims = similarity(TOKENS, pos=["名詞"])
    assert sims.index.tolist() == sims.columns.tolist() == ["000", "001", "002"]
    assert sims.index.name == sims.columns.name == "doc_id"
    for (p, q), value in expected.items():
        assert sims.loc[p, q] == pytest.approx(value if p != q else 1.0)
    assert np.diag(sims.to_numpy()).tolist() == [1.0, 1.0, 1.0]
    assert (sims.to_numpy() == sims.to_numpy().T).all()
    # 000 and 002 share no weighted term
    assert sims.loc["000", "002"] == 0.0


def test_similarity_accepts_a_tfidf_table():
    weights = tfidf(TOKENS, pos=["名詞"], tf="log")
    pd.testing.assert_frame_equal(similarity(weights),
                                  similarity(TOKENS, pos=["名詞"], tf="log"))


def test_documents_of_ubiquitous_words_have_zero_vectors():
    sims = similarity(build(**{"b": "停戦", "a": "停戦 停戦"}))
    assert sims.index.tolist() == ["a", "b"]
    assert sims.to_numpy().tolist() == [[1.0, 0.0], [0.0, 1.0]]


def test_similarity_keeps_documents_without_kept_terms():
    sims = similarity(build(**{"000": "停戦 合意", "001": "停戦 核", "002": "。:補助記号"}),
                      pos=["名詞"])
    assert sims.index.tolist() == ["000", "001", "002"]
    assert sims.loc["002"].tolist() == [0.0, 0.0, 1.0]


@pytest.mark.parametrize("kwargs, error, message", [
    ({"tf": "bm25"}, ValueError, r"tf must be one of \['relative', 'count', 'log'\], got 'bm25'"),
    ({"idf": "prob"}, ValueError, r"idf must be one of \['log', 'smooth'\], got 'prob'"),
    ({"group": "document"}, ValueError, r"group='document' is not a column"),
    ({"by": "surface"}, ValueError, r"by='surface' is not a column"),
    ({"pos": ["名"]}, ValueError, r"pos contains '名'"),
])
@pytest.mark.parametrize("function", [tfidf, similarity])
def test_bad_options_are_rejected(function, kwargs, error, message):
    with pytest.raises(error, match=message):
        function(TOKENS, **kwargs)


def test_bad_tables_are_rejected():
    with pytest.raises(TypeError, match=r"tokens must be a pandas DataFrame"):
        tfidf({"000": "停戦"})
    with pytest.raises(TypeError, match=r"data must be a pandas DataFrame"):
        similarity([1, 2])
    holes = TOKENS.copy()
    holes.loc[0, "doc_id"] = None
    with pytest.raises(ValueError, match=r"column 'doc_id' of tokens has 1 missing value"):
        tfidf(holes)
    weights = pd.concat([tfidf(TOKENS)] * 2)
    with pytest.raises(ValueError, match=r"several rows for one \(doc_id, term\) pair"):
        similarity(weights)


# ---------------------------------------------------------------- the real corpus

def test_corpus_similarity_matches_an_independent_computation(tokens):
    sims = similarity(tokens, pos=["名詞"])
    sizes = Counter(tokens.doc_id)
    counts = {d: Counter(g.lemma[g.pos1 == "名詞"]) for d, g in tokens.groupby("doc_id")}
    df = Counter(t for c in counts.values() for t in c)
    weights = {d: {t: k / sizes[d] * math.log(len(counts) / df[t]) for t, k in c.items()}
               for d, c in counts.items()}
    expected = cosine_by_hand(weights)
    assert sims.index.tolist() == ["000", "001", "002", "003", "004"]
    for (p, q), value in expected.items():
        assert sims.loc[p, q] == pytest.approx(value)
    off = sims.to_numpy()[~np.eye(5, dtype=bool)]
    assert ((off > 0) & (off < 1)).all()


def test_tfidf_with_stopwords():
    toks = utils.tokenize(["ロシアは停戦を拒んだ。", "米国は停戦を求めた。"])
    table = tfidf(toks, stopwords=True)
    assert set(table.term) == set(utils.remove_stopwords(toks).lemma)
    assert table.set_index(["doc_id", "term"]).loc[("000", "ロシア"), "tf"] == pytest.approx(
        1 / int((toks.doc_id == "000").sum()))


@pytest.mark.parametrize("function", [tfidf, similarity])
def test_mixed_doc_ids_are_refused(function):
    toks = pd.DataFrame({"doc_id": ["000", "000", 1], "lemma": ["停戦", "合意", "核"]})
    with pytest.raises(ValueError, match=r"column 'doc_id' of (tokens|data) mixes str and number"):
        function(toks)


# ---------------------------------------------------------------- sweep (issue 13)

from sweep_tables import BAD_TABLES, ODD_TERMS, good, renamed  # noqa: E402


@pytest.mark.parametrize("case", BAD_TABLES, ids=[c[0] for c in BAD_TABLES])
@pytest.mark.parametrize("function", [tfidf, similarity])
def test_sweep_bad_tables(function, case):
    _, make, error, message = case
    name = "tokens" if function is tfidf else "(data|tokens)"
    with pytest.raises(error, match=message.format(name=name)):
        function(make())


@pytest.mark.parametrize("kwargs, error, message", [
    ({"group": None}, TypeError, r"group must be a column name \(str\)"),
    ({"group": "\u2029"}, ValueError, r"group='\\u2029' is not a column"),
    ({"by": 1}, TypeError, r"by must be a column name"),
    ({"tf": None}, ValueError, r"tf must be one of \['relative', 'count', 'log'\], got None"),
    ({"tf": "Relative"}, ValueError, r"tf must be one of .*got 'Relative'"),
    ({"idf": "smoothed"}, ValueError, r"idf must be one of \['log', 'smooth'\], got 'smoothed'"),
    ({"pos": [1]}, ValueError, r"pos contains 1"),
    ({"stopwords": None}, TypeError, r"stopwords must be True or False"),
])
@pytest.mark.parametrize("function", [tfidf, similarity])
def test_sweep_options(function, kwargs, error, message):
    with pytest.raises(error, match=message):
        function(good(), **kwargs)


def _weights(**column):
    return tfidf(good()).assign(**column)


@pytest.mark.parametrize("data, error, message", [
    (_weights(tfidf=math.inf), ValueError, r"column 'tfidf' of data must hold finite numbers, "
                                           r"but has inf at index 0"),
    (_weights(tfidf=True), TypeError, r"column 'tfidf' of data must hold numbers .*True"),
    (_weights(tfidf="0.5"), TypeError, r"column 'tfidf' of data must hold numbers .*'0.5'"),
    (_weights(tfidf=None), ValueError, r"column 'tfidf' of data has \d+ missing value"),
    (pd.concat([_weights(), _weights().head(1)]), ValueError, r"several rows for one \(doc_id, term\)"),
    (_weights().astype({"doc_id": object}).assign(doc_id=lambda t: ["000"] + [1] * (len(t) - 1)),
     ValueError, r"column 'doc_id' of data mixes str and number"),
])
def test_sweep_similarity_of_bad_weights(data, error, message):
    with pytest.raises(error, match=message):
        similarity(data)


@pytest.mark.parametrize("term", ODD_TERMS, ids=[f"U+{ord(t[0]):04X}" for t in ODD_TERMS])
def test_sweep_odd_terms_weigh_as_themselves(term):
    odd = renamed(good(), "合意", term)
    pd.testing.assert_frame_equal(similarity(odd), similarity(good()))
    got = tfidf(odd)
    assert sorted(got["tfidf"]) == pytest.approx(sorted(tfidf(good())["tfidf"]))
    assert term in set(got["term"])


def test_sweep_empty_and_legit_variants():
    assert len(tfidf(good().iloc[:0])) == 0 and similarity(good().iloc[:0]).shape == (0, 0)
    base = similarity(good()).to_numpy()
    for variant in (good().astype(str), good().assign(doc_id=[0] * 6 + [1] * 6)):
        np.testing.assert_allclose(similarity(variant).to_numpy(), base)
