"""Tests for utils/analysis/store_counts.py: counting over a store equals counting in memory, exactly.

Each row calls a Store method and the in-memory function with the same options, on the
five texts and on a few hundred generated documents, and compares the DataFrames with
``assert_frame_equal`` (columns, dtypes, order, ties, values).
"""
from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import utils
from test_store import write_folder


@pytest.fixture(scope="module", params=["five texts", "generated"])
def both(request, tmp_path_factory):
    """(store, the token table of the same texts in memory)."""
    root = tmp_path_factory.mktemp("counts")
    if request.param == "five texts":
        source = utils.CORPUS_DIR / "texts"
        texts = utils.load_texts(source)
        tokens = utils.tokenize(texts)
    else:
        source = root / "in"
        docs = write_folder(source, n=300, seed=1)
        tokens = utils.tokenize(dict(sorted(docs.items())))
    store = utils.tokenize_to_store(source, root / "store", batch_mb=0.05, progress=False)
    return store, tokens


FREQUENCIES = [
    {},
    {"pos": ["名詞"]},
    {"stopwords": True},
    {"by": "surface", "pos": ["名詞", "動詞"], "stopwords": True, "min_count": 3},
    {"group": "doc_id", "pos": ["名詞"]},
    {"group": ["doc_id", "pos1"], "by": "reading", "min_count": 2},
]


@pytest.mark.parametrize("options", FREQUENCIES)
def test_frequencies(both, options):
    store, tokens = both
    assert_frame_equal(store.frequencies(**options), utils.frequencies(tokens, **options))


@pytest.mark.parametrize("call", [
    lambda t: utils.frequencies(t, pos=["名詞"], group="doc_id"),
    lambda t: utils.kwic(t, "停戦", window=3),
    lambda t: utils.tfidf(t, pos=["名詞"]),
], ids=["frequencies", "kwic", "tfidf"])
def test_the_in_memory_functions_take_a_store_in_place_of_the_table(both, call):
    """Moving code from five texts to an archive changes one argument."""
    store, tokens = both
    assert_frame_equal(call(store), call(tokens))


KEYNESS = [
    {},
    {"pos": ["名詞"]},
    {"stopwords": True, "min_count": 2, "zero": None, "correction": "bonferroni"},
    {"by": "surface", "min_count": 1},
]


@pytest.mark.parametrize("options", KEYNESS)
def test_keyness_of_a_subset_against_the_rest(both, options):
    store, tokens = both
    ids = sorted(set(tokens["doc_id"]))[::3]
    inside = tokens["doc_id"].isin(ids)
    assert_frame_equal(store.keyness(ids, **options),
                       utils.keyness(tokens[inside], tokens[~inside], **options))


def test_keyness_by_folder(tmp_path):
    docs = write_folder(tmp_path / "in", n=24, seed=4)
    store = utils.tokenize_to_store(tmp_path / "in", tmp_path / "s", progress=False)
    tokens = utils.tokenize(dict(sorted(docs.items())))
    inside = tokens["doc_id"].str.startswith("1/")
    assert_frame_equal(store.keyness({"folder": "1"}, min_count=2),
                       utils.keyness(tokens[inside], tokens[~inside], min_count=2))


def test_keyness_by_a_metadata_column(both):
    store, tokens = both
    ids = sorted(set(tokens["doc_id"]))
    metadata = pd.DataFrame({"doc_id": ids, "half": ["a" if i % 2 else "b"
                                                     for i in range(len(ids))]})
    inside = tokens["doc_id"].isin(metadata.loc[metadata.half == "a", "doc_id"])
    assert_frame_equal(store.keyness({"half": "a"}, metadata=metadata, pos=["名詞"]),
                       utils.keyness(tokens[inside], tokens[~inside], pos=["名詞"]))


@pytest.mark.parametrize("keyword, options", [
    ("停戦", {}),
    ("ロシア", {"window": 2, "sep": " "}),
    (["キー", "ウ"], {}),
    ("ＮＡＴＯ", {}),
    ("言う", {"by": "lemma"}),
    ("ない言葉", {}),
])
def test_kwic(both, keyword, options):
    store, tokens = both
    assert_frame_equal(store.kwic(keyword, **options), utils.kwic(tokens, keyword, **options))


@pytest.mark.parametrize("options", [{}, {"pos": ["名詞"], "tf": "log", "idf": "smooth"},
                                     {"stopwords": True, "tf": "count"}])
def test_tfidf(both, options):
    store, tokens = both
    assert_frame_equal(store.tfidf(**options), utils.tfidf(tokens, **options))


def test_document_frequencies_are_the_df_of_tfidf(both):
    store, tokens = both
    df = store.document_frequencies(pos=["名詞"])
    expected = (utils.tfidf(tokens, pos=["名詞"])[["term", "df"]].drop_duplicates()
                .sort_values(["df", "term"], ascending=[False, True], ignore_index=True))
    assert_frame_equal(df, expected)
    assert df.attrs["n_groups"] == tokens["doc_id"].nunique()


def test_tokens_of_some_documents(both):
    store, tokens = both
    ids = sorted(set(tokens["doc_id"]))[1:3]
    expected = tokens[tokens["doc_id"].isin(ids)].reset_index(drop=True)
    assert_frame_equal(store.tokens(ids), expected)


@pytest.mark.parametrize("call, error, words", [
    (lambda s: s.frequencies(by="nope"), ValueError, "by='nope' is not a column of the store"),
    (lambda s: s.frequencies(pos=["名刺"]), ValueError, "pos contains '名刺'"),
    (lambda s: s.frequencies(stopwords="yes"), TypeError, "stopwords must be True or False"),
    (lambda s: s.keyness(["nope"]), ValueError, r"doc_id\(s\) \['nope'\] that the store"),
    (lambda s: s.keyness([]), ValueError, "keyness compares a non-empty subset"),
    (lambda s: s.keyness({"nope": 1}), ValueError, "names column 'nope'"),
    (lambda s: s.tokens("000"), TypeError, "doc_ids must be a list"),
    (lambda s: s.tfidf(tf="raw"), ValueError, "tf must be one of"),
])
def test_bad_arguments_name_the_value(both, call, error, words):
    with pytest.raises(error, match=words):
        call(both[0])


def test_a_folder_that_is_not_a_store(tmp_path):
    with pytest.raises(utils.StoreError, match="not a token store"):
        utils.Store(tmp_path)
