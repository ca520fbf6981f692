"""Tests of utils/analysis/kwic.py: kwic, kwic_lines, display_width."""
from __future__ import annotations

import re
import unicodedata

import pandas as pd
import pytest

from utils.analysis.kwic import KWIC_COLUMNS, display_width, kwic, kwic_lines


def build(*docs, gap_before=()) -> pd.DataFrame:
    """A token table by hand: each doc a list of sentences, each a str of token specs.

    A spec is ``surface[=lemma]``. Tokens are contiguous in the raw text, except that a
    one-character gap (a space or line break) precedes the token ids in ``gap_before``.
    """
    rows = []
    for d, doc in enumerate(docs):
        offset = token_id = 0
        for s, sentence in enumerate(doc):
            for spec in sentence.split():
                surface, _, lemma = spec.partition("=")
                if (d, token_id) in gap_before:
                    offset += 1
                rows.append({"doc_id": f"{d:03d}", "sent_id": s, "token_id": token_id,
                             "start": offset, "end": offset + len(surface),
                             "surface": surface, "lemma": lemma or surface})
                offset += len(surface)
                token_id += 1
    return pd.DataFrame(rows)


TOKENS = build(
    ["ロシア は 停戦 を 拒ん=拒む だ 。", "停戦 交渉 は 続く 。"],
    ["キー ウ で 停戦 協議 。"],
)


def rows(table: pd.DataFrame) -> list[tuple]:
    return [tuple(r) for r in table.itertuples(index=False)]


@pytest.mark.parametrize("keyword, kwargs, expected", [
    # doc_id, sent_id, token_id, start, end, left, keyword, right
    ("停戦", {"window": 2}, [
        ("000", 0, 2, 4, 6, "ロシアは", "停戦", "を拒ん"),
        ("000", 1, 7, 11, 13, "だ。", "停戦", "交渉は"),      # left crosses the sentence
        ("001", 0, 3, 4, 6, "ウで", "停戦", "協議。"),
    ]),
    ("停戦", {"window": 10}, [
        ("000", 0, 2, 4, 6, "ロシアは", "停戦", "を拒んだ。停戦交渉は続く。"),
        ("000", 1, 7, 11, 13, "ロシアは停戦を拒んだ。", "停戦", "交渉は続く。"),
        ("001", 0, 3, 4, 6, "キーウで", "停戦", "協議。"),    # never crosses documents
    ]),
    (["キー", "ウ"], {"window": 1}, [("001", 0, 0, 0, 3, "", "キーウ", "で")]),
    (("停戦", "交渉"), {"window": 1}, [("000", 1, 7, 11, 15, "。", "停戦交渉", "は")]),
    ("拒む", {"window": 1, "by": "lemma"}, [("000", 0, 4, 7, 9, "を", "拒ん", "だ")]),
    ("拒む", {"window": 1}, []),                      # surfaces are matched by default
    ("ＣＣ", {"window": 1}, []),
    ("停戦", {"window": 1, "sep": " "}, [
        ("000", 0, 2, 4, 6, "は", "停戦", "を"),
        ("000", 1, 7, 11, 13, "。", "停戦", "交渉"),
        ("001", 0, 3, 4, 6, "で", "停戦", "協議"),
    ]),
    (["キー", "ウ"], {"window": 2, "sep": " "}, [("001", 0, 0, 0, 3, "", "キー ウ", "で 停戦")]),
])
def test_kwic_finds_every_match_in_text_order(keyword, kwargs, expected):
    table = kwic(TOKENS, keyword, **kwargs)
    assert list(table.columns) == KWIC_COLUMNS
    assert rows(table) == expected


def test_kwic_keyword_is_also_tried_in_nfkc_form():
    toks = build(["NATO と ロシア"])
    assert rows(kwic(toks, "ＮＡＴＯ", window=1)) == [("000", 0, 0, 0, 4, "", "NATO", "と")]


@pytest.mark.parametrize("keyword, surface", [
    ("～", "〜"),            # utils.normalize makes the full-width tilde a wave dash, NFKC "~"
    ("〜", "〜"),
    ("～", "~"),             # a table made with plain NFKC still matches
    ("ｷｰｳ～", "キーウ〜"),
    ("ＮＡＴＯ", "NATO"),
])
def test_kwic_keyword_is_also_tried_as_utils_normalize_spells_it(keyword, surface):
    toks = build([f"5 {surface} 10 人"])
    assert rows(kwic(toks, keyword, window=1)) == [
        ("000", 0, 1, 1, 1 + len(surface), "5", surface, "10")]


def test_kwic_finds_a_full_width_tilde_in_a_tokenized_text():
    import utils

    tokens = utils.tokenize("5～10人が来た。")
    assert len(kwic(tokens, "～")) == len(kwic(tokens, "〜")) == 1


def test_kwic_puts_one_space_where_the_raw_text_had_a_gap():
    toks = build(["発表 。", "We agrees to halt"], gap_before={(0, 2), (0, 3), (0, 4), (0, 5)})
    (row,) = rows(kwic(toks, "We", window=3))
    assert row[5:] == ("発表。 ", "We", " agrees to halt")
    (row,) = rows(kwic(toks, "to", window=1))
    assert row[5:] == ("agrees ", "to", " halt")
    (row,) = rows(kwic(toks, "We", window=3, sep="/"))
    assert row[5:] == ("発表/。", "We", "agrees/to/halt")


def test_kwic_offsets_index_the_raw_text():
    text = "ロシアは停戦を拒んだ。停戦交渉は続く。"
    table = kwic(TOKENS[TOKENS.doc_id == "000"], "停戦")
    assert [text[s:e] for s, e in zip(table.start, table.end)] == ["停戦", "停戦"]


def test_kwic_without_match_is_empty_with_the_columns():
    table = kwic(TOKENS, "核兵器")
    assert list(table.columns) == KWIC_COLUMNS
    assert len(table) == 0
    assert table["token_id"].dtype == TOKENS["token_id"].dtype
    assert kwic_lines(table) == ""


def test_kwic_follows_token_id_not_row_order():
    assert rows(kwic(TOKENS.iloc[::-1], "停戦")) == rows(kwic(TOKENS, "停戦"))


@pytest.mark.parametrize("keyword, kwargs, error, message", [
    ("停戦", {"window": 0}, ValueError, r"window must be an integer >= 1, got 0"),
    ("停戦", {"window": 2.0}, TypeError, r"window must be an integer >= 1, got 2.0"),
    ("停戦", {"by": "form"}, ValueError, r"by='form' is not a column.*'surface'"),
    ("停戦", {"sep": 0}, TypeError, r"sep must be None"),
    ("", {}, ValueError, r"keyword contains an empty string"),
    ([], {}, ValueError, r"keyword is an empty list"),
    (["キー", None], {}, TypeError, r"keyword parts must be str, got None"),
    (5, {}, TypeError, r"keyword must be a str.*got 5 \(int\)"),
    (None, {}, TypeError, r"keyword must be a str.*got None"),
])
def test_kwic_rejects_bad_arguments(keyword, kwargs, error, message):
    with pytest.raises(error, match=message):
        kwic(TOKENS, keyword, **kwargs)


def test_kwic_rejects_bad_tables():
    with pytest.raises(TypeError, match=r"tokens must be a pandas DataFrame, .*got str|"
                                         r"tokens must be a pandas DataFrame"):
        kwic("ロシアは停戦を拒んだ", "停戦")
    with pytest.raises(ValueError, match=r"missing the column\(s\) \['start', 'end'\]"):
        kwic(TOKENS.drop(columns=["start", "end"]), "停戦")
    holes = TOKENS.copy()
    holes.loc[3, "surface"] = None
    with pytest.raises(ValueError, match=r"column 'surface' of tokens has 1 missing value"):
        kwic(holes, "停戦")


# ---------------------------------------------------------------- rendering

@pytest.mark.parametrize("text, width", [
    ("", 0), ("abc", 3), ("停戦", 4), ("ロシア軍 NATO", 13), ("ｱｲ", 2),  # half-width kana
    ("…", 1), ("１２", 4), ("e\u0301", 1),                             # combining accent
])
def test_display_width(text, width):
    assert display_width(text) == width


KW = pd.DataFrame({"doc_id": ["000", "003"], "sent_id": [4, 12],
                   "left": ["ロシアが", "NATO部分"], "keyword": ["停戦", "停戦"],
                   "right": ["を拒否", ""]})


@pytest.mark.parametrize("kwargs, expected", [
    ({}, ["000:4   ロシアが【停戦】を拒否",
          "003:12  NATO部分【停戦】"]),
    ({"ids": False}, ["ロシアが【停戦】を拒否",
                      "NATO部分【停戦】"]),
    ({"ids": False, "brackets": (" ", " ")}, ["ロシアが 停戦 を拒否",
                                              "NATO部分 停戦"]),
    ({"ids": False, "width": 5}, ["…アが【停戦】を拒…",
                                  "…部分【停戦】"]),
    ({"ids": False, "width": 1}, ["…【停戦】…",
                                  "…【停戦】"]),
])
def test_kwic_lines_align_the_keyword_by_display_width(kwargs, expected):
    text = kwic_lines(KW, **kwargs)
    assert text.split("\n") == expected
    keyword_columns = {display_width(line[:line.index(kwargs.get("brackets", "【")[0])])
                       for line in expected}
    assert len(keyword_columns) == 1


def test_kwic_lines_is_pipe_friendly():
    assert kwic(TOKENS, "停戦", window=1).pipe(kwic_lines) == (
        "000:0  は【停戦】を\n000:1  。【停戦】交渉\n001:0  で【停戦】協議")


@pytest.mark.parametrize("kwargs, error, message", [
    ({"width": 0}, ValueError, r"width must be an integer >= 1, got 0"),
    ({"ids": "no"}, TypeError, r"ids must be True or False"),
    ({"brackets": "【】"}, TypeError, r"brackets must be a pair of str"),
])
def test_kwic_lines_rejects_bad_options(kwargs, error, message):
    with pytest.raises(error, match=message):
        kwic_lines(KW, **kwargs)


def test_kwic_lines_needs_a_kwic_table():
    with pytest.raises(ValueError, match=r"missing the column\(s\) \['left', 'keyword', 'right'\]"):
        kwic_lines(TOKENS)


# ---------------------------------------------------------------- the real corpus

def test_every_occurrence_is_found_at_its_raw_offsets(corpus, tokens):
    texts = dict(zip(corpus.doc_id, corpus.text))
    table = kwic(tokens, "停戦")
    assert len(table) == sum(t.count("停戦") for t in texts.values()) == 39
    assert {texts[d][s:e] for d, s, e in zip(table.doc_id, table.start, table.end)} == {"停戦"}
    # left + keyword + right is the raw text (NFKC, whitespace squeezed to the one space)
    for d, left, kw, right in zip(table.doc_id, table.left, table.keyword, table.right):
        squeezed = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", texts[d]))
        assert left + kw + right in squeezed


def test_a_known_line_of_003(tokens):
    table = kwic(tokens[tokens.doc_id == "003"], "停戦", window=5)
    first = table.iloc[0]
    assert (first.sent_id, first.start, first.end) == (1, 84, 86)
    assert (first.left, first.keyword, first.right) == ("30日間の「部分", "停戦", "合意」に応じた")


def test_a_split_name_is_found_as_a_token_sequence(corpus, tokens):
    table = kwic(tokens, ["キー", "ウ"], window=3)
    raw = {d: t.count("キーウ") for d, t in zip(corpus.doc_id, corpus.text)}
    assert table.doc_id.value_counts().to_dict() == {d: n for d, n in raw.items() if n}
    assert set(table.keyword) == {"キーウ"}


# ---------------------------------------------------------------- issue 13: keys read back as text

def test_kwic_orders_string_token_ids_and_offsets_as_numbers(tokens):
    text = tokens.astype(str)   # as pd.read_csv(dtype=str) reads a saved token table
    got, expected = kwic(text, "停戦"), kwic(tokens, "停戦")
    assert rows(got[["left", "keyword", "right"]]) == rows(expected[["left", "keyword", "right"]])
    assert rows(got[["token_id", "start", "end"]]) == rows(expected[["token_id", "start", "end"]])


def test_kwic_refuses_mixed_doc_ids():
    mixed = TOKENS.astype({"doc_id": object})
    mixed.loc[mixed.doc_id == "001", "doc_id"] = 1
    with pytest.raises(ValueError, match=r"column 'doc_id' of tokens mixes str and number"):
        kwic(mixed, "停戦")


# ---------------------------------------------------------------- sweep (issue 13)

from sweep_tables import BAD_TABLES, ODD_TERMS, good, renamed  # noqa: E402


@pytest.mark.parametrize("case", BAD_TABLES, ids=[c[0] for c in BAD_TABLES])
def test_sweep_kwic_bad_tables(case):
    _, make, error, message = case
    with pytest.raises(error, match=message.format(name="tokens")):
        kwic(make(), "停戦")


@pytest.mark.parametrize("column, value, message", [
    ("start", "x", r"column 'start' of tokens must hold whole numbers .*'x' at index 0"),
    ("end", float("inf"), r"column 'end' of tokens must hold whole numbers .*inf at index 0"),
    ("start", 1.5, r"column 'start' of tokens must hold whole numbers .*1.5 at index 0"),
    ("sent_id", None, r"column 'sent_id' of tokens has 1 missing value"),
])
def test_sweep_kwic_bad_offsets(column, value, message):
    table = good().astype({column: str if isinstance(value, str) else object})
    table.loc[0, column] = value
    with pytest.raises(ValueError, match=message):
        kwic(table, "停戦")


@pytest.mark.parametrize("keyword, kwargs, error, message", [
    ("停戦", {"window": None}, TypeError, r"window must be an integer >= 1, got None"),
    ("停戦", {"window": -1}, ValueError, r"window must be an integer >= 1, got -1"),
    ("停戦", {"window": float("inf")}, TypeError, r"window must be an integer >= 1, got inf"),
    ("停戦", {"by": None}, TypeError, r"by must be a column name"),
    ("停戦", {"sep": b" "}, TypeError, r"sep must be None .*or a str"),
    (b"\xe5\x81\x9c", {}, TypeError, r"keyword must be a str .*got b'"),
    (float("nan"), {}, TypeError, r"keyword must be a str .*got nan \(float\)"),
    ({"停戦"}, {}, TypeError, r"keyword must be a str .*got \{'停戦'\} \(set\)"),
    (["停戦", ""], {}, ValueError, r"keyword contains an empty string"),
])
def test_sweep_kwic_options(keyword, kwargs, error, message):
    with pytest.raises(error, match=message):
        kwic(good(), keyword, **kwargs)


@pytest.mark.parametrize("term", ODD_TERMS, ids=[f"U+{ord(t[0]):04X}" for t in ODD_TERMS])
def test_sweep_kwic_finds_odd_terms_as_themselves(term):
    got = kwic(renamed(good(), "停戦", term), term, window=1)
    expected = kwic(good(), "停戦", window=1)
    assert rows(got[["doc_id", "token_id", "start", "end"]]) == \
        rows(expected[["doc_id", "token_id", "start", "end"]])
    assert got["keyword"].tolist() == [term] * len(expected)


def test_sweep_kwic_empty_and_legit_variants():
    assert rows(kwic(good().iloc[:0], "停戦")) == []
    base = kwic(good(), "停戦", window=2)
    for variant in (good().astype(str), good().assign(doc_id=[0] * 6 + [1] * 6)[::-1]):
        got = kwic(variant, "停戦", window=2)
        # sent_id and doc_id come back as the table has them; the order is by number
        assert rows(got.drop(columns=["doc_id", "sent_id"])) == \
            rows(base.drop(columns=["doc_id", "sent_id"]))


BAD_LINES_TABLE = pd.DataFrame({"doc_id": ["000"], "sent_id": [0], "left": ["ロシアが"],
                                "keyword": ["停戦"], "right": ["を拒否"]})


@pytest.mark.parametrize("table, kwargs, error, message", [
    (None, {}, TypeError, r"table must be a pandas DataFrame .*got NoneType"),
    ("停戦", {}, TypeError, r"table must be a pandas DataFrame .*got str"),
    (BAD_LINES_TABLE.drop(columns="left"), {}, ValueError, r"table is missing the column\(s\)"),
    (BAD_LINES_TABLE.drop(columns="doc_id"), {}, ValueError, r"missing the column\(s\).*doc_id"),
    (BAD_LINES_TABLE, {"width": 0}, ValueError, r"width must be an integer >= 1, got 0"),
    (BAD_LINES_TABLE, {"width": 2.5}, TypeError, r"width must be an integer >= 1, got 2.5"),
    (BAD_LINES_TABLE, {"ids": 0}, TypeError, r"ids must be True or False, got 0"),
    (BAD_LINES_TABLE, {"ids": None}, TypeError, r"ids must be True or False, got None"),
    (BAD_LINES_TABLE, {"brackets": "【】"}, TypeError, r"brackets must be a pair of str"),
    (BAD_LINES_TABLE, {"brackets": ("【", None)}, TypeError, r"brackets must be a pair of str"),
    (BAD_LINES_TABLE, {"brackets": ("\n", "】")}, ValueError, r"brackets holds a line break"),
    (BAD_LINES_TABLE.assign(left=[None]), {}, ValueError, r"column 'left' of table has 1 missing"),
    (BAD_LINES_TABLE.assign(left=[3]), {}, TypeError,
     r"column 'left' of table must hold str .*got 3"),
    (BAD_LINES_TABLE.assign(right=["を\u2028拒否"]), {}, ValueError,
     r"column 'right' of table holds a line break in 'を\\u2028拒否'"),
    (BAD_LINES_TABLE.assign(left=["が\x85"]), {}, ValueError, r"column 'left' .*line break"),
    (BAD_LINES_TABLE.assign(left=["が\x1c"]), {}, ValueError, r"column 'left' .*line break"),
    (BAD_LINES_TABLE.assign(keyword=["停\r戦"]), {}, ValueError, r"column 'keyword' .*line break"),
    (BAD_LINES_TABLE.assign(left=["\ud800"]), {}, ValueError,
     r"column 'left' of table holds the lone surrogate '\\ud800'"),
    (pd.concat([BAD_LINES_TABLE, BAD_LINES_TABLE[["left"]]], axis=1), {}, ValueError,
     r"table has several columns named \['left'\]"),
])
def test_sweep_kwic_lines(table, kwargs, error, message):
    with pytest.raises(error, match=message):
        kwic_lines(table, **kwargs)


@pytest.mark.parametrize("left, expected", [
    ("\ufeffロシア", "000:0  \ufeffロシア【停戦】を拒否"),   # BOM: zero width, kept
    ("ﾛｼｱ", "000:0  ﾛｼｱ【停戦】を拒否"),                       # half-width: 1 column each
    ("e\u0301", "000:0  e\u0301【停戦】を拒否"),                 # combining mark: 0 columns
    ("停" * 10_000, "000:0  …" + "停" * 4 + "【停戦】を拒否"),   # very long, clipped to width
])
def test_sweep_kwic_lines_odd_but_legit_contexts(left, expected):
    assert kwic_lines(BAD_LINES_TABLE.assign(left=[left]), width=10 if len(left) > 100 else None) \
        == expected


@pytest.mark.parametrize("text, outcome", [
    (None, TypeError), (3, TypeError), (b"abc", TypeError), (["停戦"], TypeError),
    ("\u2028", 1), ("\x85", 1), ("\x1f", 1), ("\ufeff", 0), ("e\u0301", 1), ("ﾃｲｾﾝ", 4),
    ("\ud800", 1), ("停" * 100_000, 200_000),
])
def test_sweep_display_width(text, outcome):
    if isinstance(outcome, type):
        with pytest.raises(outcome, match=r"text must be a str, got"):
            display_width(text)
    else:
        assert display_width(text) == outcome
