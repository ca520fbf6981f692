"""Tests of utils/analysis/profiles.py: char_class, char_classes, english_passages, text_profile."""
from __future__ import annotations

import sys

import pandas as pd
import pytest

import utils
from sweep_tables import check_row, sweep_ids
from utils.analysis.profiles import (CHAR_CLASSES, PROFILE_COLUMNS, _SPACE_POINTS, char_class,
                            char_classes, english_passages, text_profile)


@pytest.mark.parametrize("char, expected", [
    ("露", "kanji"), ("々", "kanji"), ("〇", "kanji"), ("\u3400", "kanji"), ("𠮷", "kanji"),
    ("\uf900", "kanji"),
    ("あ", "hiragana"), ("ゞ", "hiragana"), ("ゝ", "hiragana"),
    ("キ", "katakana"), ("ー", "katakana"), ("ヶ", "katakana"), ("ｷ", "katakana"),
    ("ㇰ", "katakana"),
    ("・", "other"), ("゠", "other"),
    ("A", "latin"), ("z", "latin"), ("Ａ", "latin"), ("é", "latin"), ("Ł", "latin"),
    ("×", "other"), ("÷", "other"),
    ("7", "digit"), ("７", "digit"), ("①", "other"), ("三", "kanji"),
    ("。", "other"), ("「", "other"), ("!", "other"), ("…", "other"), ("😀", "other"),
    (" ", "space"), ("\u3000", "space"), ("\u00a0", "space"), ("\n", "space"),
    ("\t", "space"),
])
def test_char_class(char, expected):
    assert char_class(char) == expected


def test_space_points_are_exactly_what_isspace_says():
    assert sorted(_SPACE_POINTS) == [c for c in range(sys.maxunicode + 1) if chr(c).isspace()]


@pytest.mark.parametrize("text, counts", [
    # kanji hiragana katakana latin digit other space
    ("プーチン大統領は「停戦」と述べた。", (6, 4, 4, 0, 0, 3, 0)),
    ("NATO 2025年", (1, 0, 0, 4, 4, 0, 1)),
    ("キーウ・キエフ\n", (0, 0, 6, 0, 0, 1, 1)),
    ("ＣＩＡ　１２", (0, 0, 0, 3, 2, 0, 1)),
    ("", (0, 0, 0, 0, 0, 0, 0)),
])
def test_char_classes_counts(text, counts):
    got = char_classes(text)
    assert list(got.index) == list(CHAR_CLASSES)
    assert tuple(got.tolist()) == counts
    assert got.sum() == len(text)


@pytest.mark.parametrize("text, min_words, passages", [
    ("「US is ‘done’ funding Ukraine」と", 3, ["US is ‘done’ funding Ukraine"]),
    ("Google Mapによる", 3, []),
    ("Google Mapによる", 2, ["Google Map"]),
    ("We agrees to halt\nenergy targets for 30 days.", 3,
     ["We agrees to halt\nenergy targets for 30 days"]),
    ("2025.2.27 ISWレポート", 2, []),          # one word with letters only
    ("See https://example.com/a-b-c now", 2, []),  # URL is not English
    ("NATOとEUとG7", 1, ["NATO", "EU", "G7"]),
])
def test_english_passages(text, min_words, passages):
    found = english_passages(text, min_words=min_words)
    assert found["text"].tolist() == passages
    assert [text[a:b] for a, b in zip(found.start, found.end)] == passages


def test_text_profile_by_hand():
    texts = {"a": "「停戦だ」と述べた。\n米露は合意", "b": "Russia and Ukraine agreed. 30日"}
    p = text_profile(texts)
    assert list(p.columns) == PROFILE_COLUMNS and list(p.index) == ["a", "b"]
    a, b = p.loc["a"], p.loc["b"]
    # a: 16 characters, 1 line break -> 15 non-space; 2 sentences of 10 and 5
    assert (a.n_chars, a.n_nonspace, a.n_sentences, a.mean_sentence_chars) == (16, 15, 2, 7.5)
    assert a.share_kanji == pytest.approx(7 / 15)     # 停戦述米露合意
    assert a.share_hiragana == pytest.approx(5 / 15)  # だとべたは
    assert a.share_other == pytest.approx(3 / 15)     # 「」。
    assert a.share_quoted == pytest.approx(3 / 15) and a.n_quotes == 1
    # b: 30 characters, 4 spaces -> 26; "Russia and Ukraine agreed. 30" is one passage
    # (digits are words too; 日 ends it): 22 letters + "." + "30" = 25 characters
    assert (b.n_chars, b.n_nonspace) == (30, 26)
    assert b.share_latin == pytest.approx(22 / 26) and b.share_digit == pytest.approx(2 / 26)
    assert b.share_english == pytest.approx(25 / 26)
    shares = p[[c for c in PROFILE_COLUMNS if c.startswith("share_")][:6]].sum(axis=1)
    assert shares.tolist() == pytest.approx([1.0, 1.0])


def test_clean_blanks_chrome_and_repeats_but_keeps_n_chars():
    body = "ロシア軍が撤退したと報じられた。本当だろうか。"
    text = f"{body}\n{body}\nXでシェアする"
    raw, cleaned = text_profile(text), text_profile(text, clean=True)
    assert raw.n_chars.iloc[0] == cleaned.n_chars.iloc[0] == len(text)
    assert cleaned.n_nonspace.iloc[0] == len(body)
    assert cleaned.n_sentences.iloc[0] == 2


def test_min_quote_chars_drops_short_quotes():
    text = "「停戦」は「ロシアが停戦に応じた」と述べた"
    # 21 characters; 停戦 (2) and ロシアが停戦に応じた (10) are quoted
    assert text_profile(text).share_quoted.iloc[0] == pytest.approx(12 / 21)
    assert text_profile(text, min_quote_chars=5).share_quoted.iloc[0] == pytest.approx(10 / 21)


def test_urls_counted():
    text = "(https://www3.nhk.or.jp/news/a.html)と、https://x.com/KpsZSU/status/1、http://a.jp"
    assert text_profile(text).n_urls.iloc[0] == 3


def test_corpus_profile_matches_the_card():
    corpus = utils.load_corpus()
    p = text_profile(corpus)
    assert p.n_chars.tolist() == corpus.n_chars.tolist()
    assert p.loc["002", "n_urls"] == 11 and p.loc["001", "n_urls"] == 4
    # 004 repeats most of its body: cleaning removes about half of it
    c = text_profile(corpus, clean=True)
    assert c.loc["004", "n_nonspace"] < 0.55 * p.loc["004", "n_nonspace"]


@pytest.mark.parametrize("bad, error, match", [
    (42, TypeError, "expects a str, a list of str"),
    ({"a": None}, ValueError, "the text of document 'a' is None"),
    ({"a": 3}, TypeError, "document 'a' is a int"),
    (pd.DataFrame({"doc_id": ["a"]}), ValueError, r"missing \['text'\]"),
    (pd.DataFrame({"doc_id": ["a"], "surface": ["x"]}), ValueError, "looks like a token table"),
    (pd.DataFrame({"doc_id": ["a", "a"], "text": ["x", "y"]}), ValueError, "repeated: \\['a'\\]"),
])
def test_bad_input(bad, error, match):
    with pytest.raises(error, match=match):
        text_profile(bad)


@pytest.mark.parametrize("kwargs, match", [
    ({"clean": "yes"}, "clean must be True or False"),
    ({"min_english_words": 0}, "min_english_words must be a positive integer"),
    ({"min_quote_chars": 1.5}, "min_quote_chars must be a positive integer"),
])
def test_bad_options(kwargs, match):
    with pytest.raises((TypeError, ValueError), match=match):
        text_profile("停戦", **kwargs)


@pytest.mark.parametrize("bad, error, match", [
    ("停戦", ValueError, "exactly one character, got 2"),
    ("", ValueError, "exactly one character, got 0"),
    (5, TypeError, "expects one character as a str"),
])
def test_char_class_bad_input(bad, error, match):
    with pytest.raises(error, match=match):
        char_class(bad)


def test_char_classes_and_passages_reject_non_str():
    with pytest.raises(TypeError, match="char_classes expects text as a str, got list"):
        char_classes(["停戦"])
    with pytest.raises(ValueError, match="min_words must be a positive integer, got 0"):
        english_passages("a b c", min_words=0)


# --- issue 13: the sweep ----------------------------------------------------------------
# (function, args, kwargs, expected): an exception type and a regex for its message, or
# a check of the result.

def _counts(series):
    return series.tolist()  # kanji hiragana katakana latin digit other space


SWEEP = [
    # char_class
    (char_class, [None], {}, (TypeError, r"char_class expects one character as a str, got NoneType")),
    (char_class, [b"a"], {}, (TypeError, r"got bytes")),
    (char_class, [float("nan")], {}, (TypeError, r"got float")),
    (char_class, ["か\u3099"], {}, (ValueError, r"exactly one character, got 2")),
    (char_class, ["\u2028"], {}, lambda c: c == "space"),
    (char_class, ["\x1c"], {}, lambda c: c == "space"),
    (char_class, ["\x1f"], {}, lambda c: c == "space"),
    (char_class, ["\x85"], {}, lambda c: c == "space"),
    (char_class, ["\ud800"], {}, lambda c: c == "other"),      # a lone surrogate
    (char_class, ["\ufeff"], {}, lambda c: c == "other"),
    (char_class, ["\u3099"], {}, lambda c: c == "other"),      # a combining mark
    (char_class, ["ﾞ"], {}, lambda c: c == "katakana"),        # half-width voicing mark
    (char_class, ["ｱ"], {}, lambda c: c == "katakana"),
    # char_classes
    (char_classes, [None], {}, (TypeError, r"char_classes expects text as a str, got NoneType")),
    (char_classes, [b"x"], {}, (TypeError, r"got bytes")),
    (char_classes, [""], {}, lambda s: _counts(s) == [0] * 7),
    (char_classes, ["停\ud800\u2028\x1c\x1fｱ\u3099\ufeff"], {},
     lambda s: _counts(s) == [1, 0, 1, 0, 0, 3, 3]),
    (char_classes, ["ｶﾞＡ１\x85\u2029"], {}, lambda s: _counts(s) == [0, 0, 2, 1, 1, 0, 2]),
    (char_classes, ["停戦" * 500_000], {}, lambda s: _counts(s) == [1_000_000] + [0] * 6),
    # english_passages
    (english_passages, [None], {}, (TypeError, r"english_passages expects text as a str")),
    (english_passages, ["a b c"], {"min_words": None}, (ValueError, r"min_words must be a positive integer, got None")),
    (english_passages, ["a b c"], {"min_words": True}, (ValueError, r"got True")),
    (english_passages, ["a b c"], {"min_words": 2.0}, (ValueError, r"got 2\.0")),
    (english_passages, ["a b c"], {"min_words": -1}, (ValueError, r"got -1")),
    (english_passages, [""], {}, lambda df: df.empty and list(df.columns) == ["start", "end", "n_words", "text"]),
    (english_passages, ["US is\u2028done funding"], {},        # a line separator is white space
     lambda df: df[["start", "end", "n_words"]].values.tolist() == [[0, 18, 4]]),
    (english_passages, ["US is\ud800done funding"], {"min_words": 2},  # a surrogate ends one
     lambda df: df[["start", "end", "n_words"]].values.tolist() == [[0, 5, 2], [6, 18, 2]]),
    (english_passages, ["ｕｓ ｉｓ ｄｏｎｅ"], {}, lambda df: df.empty),  # full-width: not English
    (english_passages, ["a b c\ufeff"], {}, lambda df: df.text.tolist() == ["a b c"]),
    (english_passages, ["word " * 100_000], {}, lambda df: df.n_words.tolist() == [100_000]),
    # text_profile
    (text_profile, [None], {}, (TypeError, r"text_profile expects a str, a list of str")),
    (text_profile, [b"x"], {}, (TypeError, r"text_profile expects text as str, got bytes")),
    (text_profile, [{"a", "b"}], {}, (TypeError, r"got a set, which has no order")),
    (text_profile, [{float("nan"): "停戦"}], {}, (ValueError, r"doc_id nan is missing")),
    (text_profile, [pd.Series(["x"], index=[None])], {}, (ValueError, r"doc_id None is missing")),
    (text_profile, [{1: "x", "1": "y"}], {}, (ValueError, r"int 1 and str '1' are the same doc_id")),
    (text_profile, ["停戦"], {"clean": None}, (TypeError, r"clean must be True or False, got None")),
    (text_profile, ["停戦"], {"min_quote_chars": None}, (ValueError, r"min_quote_chars must be a positive integer")),
    (text_profile, [{}], {}, lambda df: df.empty and list(df.columns) == PROFILE_COLUMNS),
    (text_profile, [""], {}, lambda df: df.iloc[0].tolist() == [0] * len(PROFILE_COLUMNS)),
    (text_profile, [{"a": "停戦\u2028合意。\ud800"}], {},
     lambda df: df.loc["a", ["n_chars", "n_nonspace", "n_sentences"]].tolist() == [7, 6, 3]),
    (text_profile, [{7: "停戦"}], {}, lambda df: df.index.tolist() == ["7"]),
]


@pytest.mark.parametrize("func, args, kwargs, expected", SWEEP, ids=sweep_ids(SWEEP))
def test_sweep(func, args, kwargs, expected):
    check_row(func, args, kwargs, expected)
