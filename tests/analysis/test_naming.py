"""Tests of utils/analysis/naming.py: find_variants and count_variants (longest match first)."""
from __future__ import annotations

import pandas as pd
import pytest

import utils
from sweep_tables import check_row, sweep_ids
from utils.analysis.naming import VARIANT_COLUMNS, count_variants, find_variants

KYIV = {"キーウ": "Kyiv (2022 official)", "キエフ": "Kiev (old official)",
        "キエフ政権": "'Kiev regime'"}


@pytest.mark.parametrize("text, variants, overlapping, expected", [
    ("キエフ政権とキーウ、キエフ", KYIV, False, [1, 1, 1]),
    ("キエフ政権とキーウ、キエフ", KYIV, True, [1, 2, 1]),
    ("米露と米ロと露軍、露骨に", ["米露", "米ロ", "露", "露骨"], False, [1, 1, 1, 1]),
    ("米露と米ロと露軍、露骨に", ["米露", "米ロ", "露", "露骨"], True, [1, 1, 3, 1]),
    # the longest match at a position wins; the scan goes on after it
    ("ゼレンスキー大統領とゼレンスキー氏とゼレンスキー",
     ["ゼレンスキー", "ゼレンスキー大統領", "ゼレンスキー氏"], False, [1, 1, 1]),
    ("ｷｰｳ", ["キーウ"], False, [1]),          # searched in normalized text
    ("なし", ["キーウ"], False, [0]),
])
def test_count_variants(text, variants, overlapping, expected):
    got = count_variants({"d": text}, variants, overlapping=overlapping)
    assert list(got.columns) == list(variants) and list(got.index) == ["d"]
    assert got.loc["d"].tolist() == expected


def test_every_text_gets_a_row_and_labels_can_name_columns():
    got = count_variants({"a": "キーウ", "b": "なし"}, KYIV, columns="label")
    assert list(got.index) == ["a", "b"] and got.index.name == "doc_id"
    assert list(got.columns) == list(KYIV.values())
    assert got.values.tolist() == [[1, 0, 0], [0, 0, 0]]


def test_find_variants_gives_raw_offsets_even_when_normalization_moves_them():
    text = "①ｷｰｳと…キエフ政権"
    found = find_variants(text, KYIV)
    assert list(found.columns) == VARIANT_COLUMNS
    assert found[["start", "end", "variant"]].values.tolist() == [[1, 4, "キーウ"],
                                                                 [6, 11, "キエフ政権"]]
    assert found.text.tolist() == ["ｷｰｳ", "キエフ政権"]
    assert found.label.tolist() == ["Kyiv (2022 official)", "'Kiev regime'"]


def test_token_table_is_joined_per_sentence_so_clean_tokens_leave_chrome_out():
    text = "キーウに着いた。\nXでシェアする\n米ロ協議"
    toks = utils.tokenize(text, clean=True)
    assert count_variants(toks, ["キーウ", "シェア", "米ロ"]).loc["000"].tolist() == [1, 0, 1]


def test_corpus_counts_agree_with_the_card():
    corpus = utils.load_corpus()
    got = count_variants(corpus, ["キーウ", "キエフ", "キエフ政権", "米露", "米ロ"])
    assert got["キエフ政権"].tolist() == [0, 0, 7, 0, 0]
    assert got["キエフ"].tolist() == [0, 0, 0, 1, 0]         # 002's seven are all キエフ政権
    assert got["キーウ"].tolist() == [2, 0, 1, 0, 0]
    assert got.loc["002", ["米露", "米ロ"]].tolist() == [19, 1]


@pytest.mark.parametrize("variants, error, match", [
    ("キーウ", TypeError, r"not a single str; did you mean \['キーウ'\]"),
    ([], ValueError, "variants is empty"),
    ([""], ValueError, "non-empty str"),
    ({"キーウ": 1}, TypeError, "label of variant 'キーウ' must be a str"),
    (["ＣＩＡ"], ValueError, "changes under utils.normalize"),
    (["キーウ", "キーウ"], ValueError, "listed twice"),
    (5, TypeError, "list of spellings or a dict"),
])
def test_bad_variants(variants, error, match):
    with pytest.raises(error, match=match):
        count_variants("キーウ", variants)


def test_bad_options_and_inputs():
    with pytest.raises(ValueError, match="columns must be 'variant' or 'label'"):
        count_variants("キーウ", ["キーウ"], columns="labels")
    with pytest.raises(ValueError, match="needs unique labels; repeated: \\['Kyiv'\\]"):
        count_variants("キーウ", {"キーウ": "Kyiv", "Kyiv": "Kyiv"}, columns="label")
    with pytest.raises(TypeError, match="overlapping must be True or False"):
        find_variants("キーウ", ["キーウ"], overlapping=1)
    with pytest.raises(ValueError, match="a token table needs the columns"):
        count_variants(pd.DataFrame({"surface": ["キー"]}), ["キーウ"])


# --- issue 13: the sweep ----------------------------------------------------------------
# (function, args, kwargs, expected): an exception type and a regex for its message, or
# a check of the result.

def _found(df):
    return df[["doc_id", "start", "end", "variant", "text"]].values.tolist()


def _token_table():
    return utils.tokenize({"a": "キーウに着いた。", "b": "キエフ"})


_KY = ["キーウ"]
SWEEP = [
    # find_variants: texts
    (find_variants, [None, _KY], {}, (TypeError, r"find_variants expects a str, a list of str")),
    (find_variants, [b"x", _KY], {}, (TypeError, r"expects text as str, got bytes")),
    (find_variants, [{"a", "b"}, _KY], {}, (TypeError, r"got a set, which has no order")),
    (find_variants, [{None: "キーウ"}, _KY], {}, (ValueError, r"doc_id None is missing")),
    (find_variants, [{"a": float("nan")}, _KY], {}, (ValueError, r"the text of document 'a' is nan")),
    (find_variants, [pd.DataFrame({"doc_id": ["a", "a"], "text": ["x", "y"]}), _KY], {},
     (ValueError, r"repeated: \['a'\]")),
    (find_variants, [{}, _KY], {}, lambda df: df.empty and list(df.columns) == VARIANT_COLUMNS),
    (find_variants, [{"a": "ｷｰｳとキーウ\u2028キーウ"}, _KY], {},
     lambda df: _found(df) == [["a", 0, 3, "キーウ", "ｷｰｳ"], ["a", 4, 7, "キーウ", "キーウ"],
                               ["a", 8, 11, "キーウ", "キーウ"]]),
    (find_variants, [{"a": "㈱\u09c7\u09beキーウ"}, _KY], {},     # offsets after a cancelling pair
     lambda df: _found(df) == [["a", 3, 6, "キーウ", "キーウ"]]),
    (find_variants, [{"a": "キ\ud800ーウ キーウ\x1c"}, _KY], {},
     lambda df: _found(df) == [["a", 5, 8, "キーウ", "キーウ"]]),
    (find_variants, [{"a": "ｷ\u3099ーウ"}, ["ギーウ"]], {},       # a combining voicing mark
     lambda df: _found(df) == [["a", 0, 4, "ギーウ", "ｷ\u3099ーウ"]]),
    (find_variants, [{"a": "キーウ" * 100_000}, _KY], {}, lambda df: len(df) == 100_000),
    # find_variants: variants and options
    (find_variants, ["キーウ", None], {}, (TypeError, r"variants must be a list of spellings")),
    (find_variants, ["キーウ", {"キーウ", "キエフ"}], {}, (TypeError, r"not a set, which has no order")),
    (find_variants, ["キーウ", [float("nan")]], {}, (ValueError, r"non-empty str, got nan")),
    (find_variants, ["キーウ", ["ｷｰｳ"]], {}, (ValueError, r"changes under utils.normalize")),
    (find_variants, ["キーウ", {"キーウ": None}], {}, (TypeError, r"label of variant 'キーウ' must be a str")),
    (find_variants, ["キーウ", _KY], {"overlapping": None}, (TypeError, r"overlapping must be True or False")),
    # find_variants: token tables
    (find_variants, [_token_table().assign(doc_id=float("nan")), _KY], {},
     (ValueError, r"doc_id nan is missing")),
    (find_variants, [_token_table().assign(doc_id=[1] * 6 + ["b"]), _KY], {},
     lambda df: _found(df) == [["1", 0, 3, "キーウ", "キーウ"]]),
    (find_variants, [pd.concat([_token_table(), _token_table().assign(doc_id=1)]).assign(
        doc_id=lambda t: t.doc_id.where(t.doc_id != "a", "1")), _KY], {},
     (ValueError, r"int 1 and str '1' are the same doc_id")),
    # count_variants
    (count_variants, [None, _KY], {}, (TypeError, r"count_variants expects a str")),
    (count_variants, [{"a": "キーウ"}, _KY], {"columns": None}, (ValueError, r"columns must be 'variant' or 'label', got None")),
    (count_variants, [{"a": "キーウ"}, {"キーウ": "x", "キエフ": "x"}], {"columns": "label"},
     (ValueError, r"needs unique labels; repeated: \['x'\]")),
    (count_variants, [{"a": "キーウ"}, {"キーウ", "キエフ"}], {}, (TypeError, r"not a set")),
    (count_variants, [{1: "キーウ", "1": "キエフ"}, _KY], {}, (ValueError, r"int 1 and str '1'")),
    (count_variants, [[], _KY], {}, lambda df: df.empty and df.columns.tolist() == _KY),
    (count_variants, [{"a": "ｷｰｳ\u2029キエフ", "b": ""}, ["キーウ", "キエフ"]], {},
     lambda df: df.values.tolist() == [[1, 1], [0, 0]] and df.index.tolist() == ["a", "b"]),
    (count_variants, [_token_table().assign(doc_id=[7] * 6 + [8]), ["キーウ", "キエフ"]], {},
     lambda df: df.values.tolist() == [[1, 0], [0, 1]] and df.index.tolist() == ["7", "8"]),
]


@pytest.mark.parametrize("func, args, kwargs, expected", SWEEP, ids=sweep_ids(SWEEP))
def test_sweep(func, args, kwargs, expected):
    check_row(func, args, kwargs, expected)
