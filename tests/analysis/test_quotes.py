"""Tests of utils/analysis/quotes.py: find_quotes (offsets, unbalanced brackets, speakers, cues)."""
from __future__ import annotations

import pandas as pd
import pytest
from sweep_tables import check_row

import utils
from utils.analysis.quotes import QUOTE_COLUMNS, find_quotes


def rows(text, **kwargs):
    q = find_quotes(text, **kwargs)
    return [(r.text, r.depth, r.status) for r in q.itertuples()]


@pytest.mark.parametrize("text, expected", [
    ("彼は「停戦だ」と言った。", [("停戦だ", 0, "balanced")]),
    ("「a『b』c」", [("a『b』c", 0, "balanced"), ("b", 1, "balanced")]),
    ("「」", [("", 0, "balanced")]),
    ("「開いたまま  ", [("開いたまま", 0, "unclosed")]),
    ("  閉じただけ」と", [("閉じただけ", 0, "unopened")]),
    # an unopened quotation contains the balanced one before it on its line
    ("話は『戦闘終結』と批判」", [("話は『戦闘終結』と批判", 0, "unopened"),
                          ("戦闘終結", 1, "balanced")]),
    # mismatched: 『 left open inside 「…」 ends at the closer of 「
    ("「a『b」", [("a『b", 0, "balanced"), ("b", 1, "unclosed")]),
    # per line: a quotation over two lines is two pieces
    ("「一行目\n二行目」", [("一行目", 0, "unclosed"), ("二行目", 0, "unopened")]),
    ("停戦", []),
])
def test_brackets_per_line(text, expected):
    assert rows(text) == expected


def test_offsets_index_the_raw_text_and_lines_count_from_one():
    text = "前置き\n米大統領は「停戦する」と述べた。\n「平和」"
    q = find_quotes(text)
    assert list(q.columns) == QUOTE_COLUMNS
    assert [text[a:b] for a, b in zip(q.start, q.end)] == q.text.tolist() == ["停戦する", "平和"]
    assert q.start.tolist() == [10, 22] and q.end.tolist() == [14, 24]
    assert q.line.tolist() == [2, 3]


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\x1c", "\x1d", "\x1e", "\x85", "\u2028",
                                     "\u2029"])
def test_every_line_break_of_clean_ends_a_line_as_newline_does(newline):
    text = "首相は\n「戦争だ」と述べた。\n「平和\nだ」と述べた。"
    expected = find_quotes(text)
    assert expected.line.tolist() == [2, 3, 4] and set(expected.speaker) == {""}
    found = find_quotes(text.replace("\n", newline))
    shift = len(newline) - 1
    assert found.line.tolist() == expected.line.tolist()
    assert found.start.tolist() == [a + shift * (n - 1) for a, n in zip(expected.start,
                                                                        expected.line)]
    assert found.drop(columns=["start", "end"]).equals(expected.drop(columns=["start", "end"]))
    text = text.replace("\n", newline)
    assert [text[a:b] for a, b in zip(found.start, found.end)] == found.text.tolist()


def test_across_lines_joins_a_paragraph_but_not_across_blank_lines():
    text = "「一行目\n二行目」\n\n「三行目\n\n四行目」"
    assert rows(text, across_lines=True) == [("一行目\n二行目", 0, "balanced"),
                                             ("三行目", 0, "unclosed"),
                                             ("四行目", 0, "unopened")]


@pytest.mark.parametrize("text, speaker, cue", [
    ("トランプ米大統領は21日、「近く停戦する」と述べた。", "トランプ米大統領", "と述べた"),
    ("ゼレンスキー大統領は『ありえない』と強く批判しています", "ゼレンスキー大統領", "と強く批判しています"),
    ("プーチン大統領は「使用する。」「ハッタリではない」と警告した。", "プーチン大統領", "と警告した"),
    ("ザハロワ氏は声明で、岩屋外相の発言が「核心だ」と指摘。", "ザハロワ氏", "と指摘"),
    ("元将校のTatarigami氏が「陥落した場合」と題して投稿した", "Tatarigami氏", "と題して投稿した"),
    ("ロシアは「応じない」と主張した", "ロシア", "と主張した"),
    ("ロイター通信によると、「爆発があった」という。", "ロイター通信", "によると"),
    ("キーウ市長は「停電が続く」と述べた。", "キーウ市長", "と述べた"),      # local officials,
    ("同社の社長が「撤退する」と語った。", "社長", "と語った"),              # companies and
    ("外務省担当者は「確認中だ」と答えた。", "外務省担当者", "と答えた"),    # the unnamed
    ("政府関係者は「協議は続く」と明らかにした。", "政府関係者", "と明らかにした"),
    ("「停戦」と述べた。", "", "と述べた"),                 # a cue, no speaker
    ("プーチン大統領は「特別軍事作戦」を敢行した。", "", ""),  # no cue: a term, not speech
    ("「一方的に」という言葉", "", ""),                    # という names, it does not report
    ("これは「平和が来る」と言える", "", ""),              # the writer's own と言える
])
def test_speaker_and_cue(text, speaker, cue):
    q = find_quotes(text)
    assert (q.speaker.iloc[0], q.cue.iloc[0]) == (speaker, cue)


def test_half_width_brackets_are_found_like_full_width_ones():
    q = find_quotes({"d": "首相は｢戦争だ｣と述べた。｢停戦｣｢平和｣と語った。"})
    assert q[["text", "bracket", "status", "speaker", "cue"]].values.tolist() == [
        ["戦争だ", "｢｣", "balanced", "首相", "と述べた"],
        ["停戦", "｢｣", "balanced", "", "と語った"],
        ["平和", "｢｣", "balanced", "", "と語った"]]


def test_inner_quotation_speaker_is_found_inside_the_outer_one():
    text = "「トランプ氏は、ゼレンスキー氏が独裁者かとの質問に対し、「言ったのか」と答えた。"
    q = find_quotes(text)
    inner = q[q.depth == 1].iloc[0]
    assert (inner.text, inner.speaker, inner.cue) == ("言ったのか", "トランプ氏", "と答えた")


def test_previous_sentence_is_not_the_speaker():
    q = find_quotes("プーチン大統領は来た。「停戦だ」と述べた。")
    assert (q.speaker.iloc[0], q.cue.iloc[0]) == ("", "と述べた")


def test_corpus_unbalanced_brackets_of_000_and_001_as_the_card_says():
    corpus = utils.load_corpus()
    q = find_quotes(corpus)
    odd = q[q.status != "balanced"]
    assert odd[odd.doc_id == "000"][["line", "status"]].values.tolist() == [
        [5, "unclosed"], [8, "unopened"], [11, "unclosed"], [14, "unopened"], [23, "unopened"]]
    assert odd[odd.doc_id == "001"][["line", "status"]].values.tolist() == [
        [17, "unclosed"], [39, "unopened"], [43, "unclosed"], [45, "unclosed"]]
    texts = corpus.set_index("doc_id")["text"]
    assert all(texts[d][a:b] == t for d, a, b, t in zip(q.doc_id, q.start, q.end, q.text))


@pytest.mark.parametrize("kwargs, error, match", [
    ({"brackets": ["「"]}, ValueError, "two different characters"),
    ({"brackets": ["「」", "」』"]}, ValueError, "must not repeat across pairs"),
    ({"brackets": []}, ValueError, "brackets is empty"),
    ({"brackets": 5}, TypeError, "list of two-character strings"),
    ({"across_lines": "no"}, TypeError, "across_lines must be True or False"),
])
def test_bad_options(kwargs, error, match):
    with pytest.raises(error, match=match):
        find_quotes("「停戦」", **kwargs)


def test_bad_input():
    with pytest.raises(TypeError, match="find_quotes expects a str"):
        find_quotes(3.5)
    with pytest.raises(ValueError, match="find_quotes needs a table with columns doc_id and text"):
        find_quotes(pd.DataFrame({"x": [1]}))


# -- issue 13: linear in the quotations of a line, same results -------------------------------------

PIECES = ["「", "」", "『", "』", "「", "」", "\n", " ", "\u3000", "。", "！", "停戦", "だ",
          "プーチン大統領は", "米国務省が", "ロイター通信によると", "と述べた", "と強く批判した",
          "という", "ゼレンスキーは", "氏は", "アメリカ", "と", "は", "が", "〓", "「」", "（",
          "）"]


def random_text(rng, n):
    return "".join(PIECES[int(k)] for k in rng.integers(0, len(PIECES), n))


@pytest.mark.parametrize("seed", range(4))
def test_find_quotes_equals_the_reference_on_random_texts(seed):
    import numpy as np

    from _span_reference import find_quotes as reference

    rng = np.random.default_rng(seed)
    texts = {f"d{i}": random_text(rng, int(rng.integers(0, 120))) for i in range(8)}
    for kwargs in ({}, {"across_lines": True}, {"brackets": ["「」"]},
                   {"brackets": ["「」", "『』", "（）"], "across_lines": True},
                   {"brackets": ["アメ"]}):
        pd.testing.assert_frame_equal(find_quotes(texts, **kwargs), reference(texts, **kwargs))


def test_find_quotes_equals_the_reference_on_the_corpus():
    from _span_reference import find_quotes as reference

    corpus = utils.load_corpus()
    cleaned = {d: utils.clean(t).masked for d, t in zip(corpus.doc_id, corpus.text)}
    for data in (corpus, cleaned):
        for across_lines in (False, True):
            pd.testing.assert_frame_equal(find_quotes(data, across_lines=across_lines),
                                          reference(data, across_lines=across_lines))


@pytest.mark.parametrize("line, quotes", [
    ("米大統領は「停戦だ」と述べた。" * 4_000, 4_000),    # was 16 s
    ("「停戦」" * 4_000, 4_000),                          # was 12 s
    ("「" * 6_000 + "』" * 6_000, 6_000),                 # a deep stack, closers of the other pair
    # every 」 unopened; a paragraph keeps the output small (one line of 20,000: 14 s)
    ("「停戦」と言った」\n" * 10_000, 20_000),
])
def test_find_quotes_is_not_quadratic_in_the_quotations_of_a_line(line, quotes):
    import time

    began = time.perf_counter()
    found = find_quotes(line, across_lines=True)
    assert time.perf_counter() - began < 3
    assert len(found) >= quotes


# -- the sweep ------------------------------------------------------------------------------------

NAN = float("nan")
BRACKET = r"^bracket pair '{}' holds '{}', a space, line break, control or format character"

SWEEP_FIND_QUOTES = [
    (None, {}, (TypeError, r"^find_quotes expects a str, a list of str, a dict doc_id -> text")),
    (3.5, {}, (TypeError, r"^find_quotes expects a str")),
    ({"a": None}, {}, (ValueError, r"^the text of document 'a' is None; every text must be a str")),
    ({"a": NAN}, {}, (ValueError, r"^the text of document 'a' is nan")),
    (pd.DataFrame({"doc_id": ["a", "a"], "text": ["x", "y"]}), {},
     (ValueError, r"^doc_id values must be unique; repeated: \['a'\]$")),
    ("「a」", {"brackets": None}, (TypeError, r"^brackets must be a list of two-character strings")),
    ("「a」", {"brackets": ["「"]}, (ValueError, r"^each bracket pair must be two different")),
    ("「a」", {"brackets": ["「」", "」』"]}, (ValueError, r"must not repeat across pairs")),
    ("「a」", {"brackets": ["\n」"]}, (ValueError, BRACKET.format(r"\\n」", r"\\n"))),
    ("「a」", {"brackets": ["\u3000」"]}, (ValueError, BRACKET.format(r"\\u3000」", r"\\u3000"))),
    ("「a」", {"brackets": ["\u2028」"]}, (ValueError, BRACKET.format(r"\\u2028」", r"\\u2028"))),
    ("「a」", {"brackets": ["\ufeff」"]}, (ValueError, BRACKET.format(r"\\ufeff」", r"\\ufeff"))),
    ("「a」", {"brackets": ["\udce2」"]}, (ValueError, BRACKET.format(r"\\udce2」", r"\\udce2"))),
    ("「a」", {"across_lines": None}, (TypeError, r"^across_lines must be True or False, got None$")),
    ("「a」", {"across_lines": 1}, (TypeError, r"^across_lines must be True or False, got 1$")),
    ("", {}, []),
    ({}, {}, []),
    ("「a」", {"across_lines": __import__("numpy").True_}, [("a", 0, "balanced")]),
    # every line break of split_sentences and clean ends a line, not only \n and \r\n
    ("「a\u2028b」\u2029「c", {}, [("a", 0, "unclosed"), ("b", 0, "unopened"),
                                 ("c", 0, "unclosed")]),
    ("「a\rb」\x85「c\x1c", {}, [("a", 0, "unclosed"), ("b", 0, "unopened"),
                              ("c", 0, "unclosed")]),
    ("「a\x1db」\x1e「c\r\n", {}, [("a", 0, "unclosed"), ("b", 0, "unopened"),
                                  ("c", 0, "unclosed")]),
    ("「a\x1db」\n\u2028「c", {"across_lines": True}, [("a\x1db", 0, "balanced"),
                                                    ("c", 0, "unclosed")]),
    # \v and \f are white space to clean, not line breaks
    ("「a\x0bb」\x0c", {}, [("a\x0bb", 0, "balanced")]),
    ("\ufeff「a」", {}, [("a", 0, "balanced")]),
    ("「\udce2」", {}, [("\udce2", 0, "balanced")]),
    # ｢｣ (half-width) is a default pair too
    ("｢ｱ｣「a\u0301」", {}, [("ｱ", 0, "balanced"), ("a\u0301", 0, "balanced")]),
    ("｢a「b」｣c｣", {}, [("｢a「b」｣c", 0, "unopened"), ("a「b」", 1, "balanced"),
                      ("b", 2, "balanced")]),
    # a pair of its own: 」 does not close ｢ (as it does not close 『)
    ("｢a」", {}, [("｢a", 1, "unopened"), ("a」", 0, "unclosed")]),
    ("｢ｱ｣", {"brackets": ["「」"]}, []),
    ("｢ｱ｣", {"brackets": ["｢｣"]}, [("ｱ", 0, "balanced")]),
    ("「停戦」" * 5_000, {}, [("停戦", 0, "balanced")] * 5_000),
]


@pytest.mark.parametrize("data, kwargs, expected", SWEEP_FIND_QUOTES)
def test_sweep_find_quotes(data, kwargs, expected):
    check_row(rows, (data,), kwargs, expected)


@pytest.mark.parametrize("doc_id", [NAN, None])
def test_sweep_find_quotes_refuses_a_missing_doc_id(doc_id):
    with pytest.raises((TypeError, ValueError), match="doc_id"):
        find_quotes(pd.DataFrame({"doc_id": [doc_id], "text": ["「a」"]}))
