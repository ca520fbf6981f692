"""Tests for utils/analysis/tokens.py and utils/analysis/stoplist.py: the token table, its offsets, compounds,
stopwords, bad input."""
from __future__ import annotations

import importlib.util
import math
import multiprocessing
import os
import re

import numpy as np
import pandas as pd
import pytest

import utils
from sweep_tables import check_row, sweep_ids
from utils.analysis.dictionary import tagger
from utils.analysis.stoplist import remove_stopwords, stopwords
from utils.analysis.dictionary import dictionary_info
from utils.analysis.processes import process_context
from utils.analysis.tokens import TOKEN_COLUMNS, tokenize

TOKENS_PER_TEXT = {"000": 1527, "001": 2195, "002": 4821, "003": 1339, "004": 1136}


def test_the_unidic_package_is_not_installed_and_unidic_lite_is_used():
    import unidic_lite

    assert importlib.util.find_spec("unidic") is None
    info = dictionary_info()
    assert os.path.dirname(info["filename"]) == unidic_lite.DICDIR
    assert info["package"] == "unidic-lite" and info["charset"] == "utf8"


@pytest.mark.parametrize("doc_id, n", sorted(TOKENS_PER_TEXT.items()))
def test_tokens_per_text(tokens, doc_id, n):
    assert (tokens.doc_id == doc_id).sum() == n


def test_token_counts_agree_with_a_plain_fugashi_loop(corpus, tokens):
    import fugashi

    tagger = fugashi.Tagger()  # the default dictionary: unidic-lite, as the test above proves
    for doc_id, text in zip(corpus.doc_id, corpus.text):
        plain = sum(1 for line in utils.normalize(text).splitlines() for w in tagger(line))
        assert plain == (tokens.doc_id == doc_id).sum(), doc_id


def test_columns_and_types(tokens):
    assert list(tokens.columns) == TOKEN_COLUMNS
    for col in ["doc_id", "surface", "lemma", "pos1", "pos2", "pos3", "pos4", "reading", "goshu"]:
        assert pd.api.types.is_string_dtype(tokens[col]), col
    for col in ["sent_id", "token_id", "start", "end"]:
        assert tokens[col].dtype == np.int64, col
    assert tokens.is_unknown.dtype == bool
    assert not tokens.isna().any().any()


def test_offsets_index_the_raw_text(corpus, tokens):
    texts = dict(zip(corpus.doc_id, corpus.text))
    for doc_id, group in tokens.groupby("doc_id"):
        raw = texts[doc_id]
        assert [utils.normalize(raw[s:e]) for s, e in zip(group.start, group.end)] == group.surface.tolist()
        assert group.token_id.tolist() == list(range(len(group)))
        assert (group.start.to_numpy()[1:] >= group.end.to_numpy()[:-1]).all()
        assert group.sent_id.is_monotonic_increasing


def test_sentence_ids_follow_split_sentences(corpus, tokens):
    for doc_id, text in zip(corpus.doc_id, corpus.text):
        sents = utils.split_sentences(text)
        group = tokens[tokens.doc_id == doc_id]
        assert group.sent_id.max() == len(sents) - 1
        for row in group.iloc[::50].itertuples():
            s = sents.iloc[row.sent_id]
            assert s.start <= row.start and row.end <= s.end


@pytest.mark.parametrize("surface, lemma, pos1, pos2, unknown", [
    ("ロシア", "ロシア", "名詞", "固有名詞", False),     # UniDic's ロシア-Rossiya, cleaned
    ("キエフ", "キエフ", "名詞", "固有名詞", False),     # known to the 2013 dictionary
    ("ゼレンスキー", "ゼレンスキー", "名詞", "普通名詞", True),
    ("ポクロウシク", "ポクロウシク", "名詞", "普通名詞", True),
    ("私", "私", "代名詞", "", False),                   # 私-代名詞, cleaned
    ("停戦", "停戦", "名詞", "普通名詞", False),
])
def test_lemmas_are_display_clean_and_unknown_words_marked(tokens, surface, lemma, pos1, pos2, unknown):
    rows = tokens[tokens.surface == surface]
    assert len(rows) > 0
    row = rows.iloc[0]
    assert (row.lemma, row.pos1, row.pos2, bool(row.is_unknown)) == (lemma, pos1, pos2, unknown)
    assert not tokens.lemma.str.contains(r"^[^-]+-[A-Za-z]").any()


def test_kyiv_is_split_by_the_2013_dictionary_and_merged_by_compounds(corpus):
    text = corpus.set_index("doc_id").text["000"]
    plain = tokenize(text)
    assert "キーウ" not in set(plain.surface)
    merged = tokenize(text, compounds={"キーウ": "名詞-固有名詞-地名-一般"})
    kyiv = merged[merged.surface == "キーウ"]
    assert len(kyiv) == text.count("キーウ") > 0
    assert set(kyiv.pos3) == {"地名"} and not kyiv.is_unknown.any()
    assert all(text[s:e] == "キーウ" for s, e in zip(kyiv.start, kyiv.end))
    assert len(merged) == len(plain) - len(kyiv)  # each キー|ウ pair became one token
    assert merged.token_id.tolist() == list(range(len(merged)))


@pytest.mark.parametrize("text, compounds, surfaces", [
    ("キーウで", ["キーウ"], ["キーウ", "で"]),
    ("キーウ。キー", ["キーウ"], ["キーウ", "。", "キー"]),
    ("ゼレンスキー氏", ["ゼレンスキー"], ["ゼレンスキー", "氏"]),       # an unknown word relabelled
    ("キー\nウ", ["キーウ"], ["キー", "ウ"]),                             # never across lines
    ("米ロ首脳会談", ["米ロ首脳", "米ロ首脳会談"], ["米ロ首脳会談"]),     # longest first
    ("東京都", ["京都"], ["東京", "都"]),                                  # not on token boundaries
])
def test_compounds(text, compounds, surfaces):
    out = tokenize(text, compounds=compounds)
    assert out.surface.tolist() == surfaces
    for row in out.itertuples():
        assert text[row.start:row.end] == row.surface


def test_a_compound_unknown_word_is_no_longer_unknown():
    out = tokenize("ゼレンスキー氏", compounds={"ゼレンスキー": "名詞-固有名詞-人名-姓"})
    row = out.iloc[0]
    assert (row.pos2, row.pos3, row.pos4, bool(row.is_unknown)) == ("固有名詞", "人名", "姓", False)


@pytest.mark.parametrize("text, surface, lemma, pos, reading, unknown", [
    ("NATO", "NATO", "NATO", ("名詞", "固有名詞", "一般"), "ナトー", False),     # ＮＡＴＯ in UniDic
    ("ＮＡＴＯ", "NATO", "NATO", ("名詞", "固有名詞", "一般"), "ナトー", False),  # normalized first
    ("EU", "EU", "EU", ("名詞", "普通名詞", "一般"), "イーユー", False),
    ("NHK", "NHK", "NHK", ("名詞", "固有名詞", "一般"), "エヌエイチケー", False),
    # English words stay unknown: UniDic's full-width entries for them are loanwords
    ("the", "the", "the", ("名詞", "普通名詞", "一般"), "", True),         # not ザ
    ("days", "days", "days", ("名詞", "普通名詞", "一般"), "", True),      # not デー
    ("Google", "Google", "Google", ("名詞", "普通名詞", "一般"), "", True),  # not グーグル
    ("He", "He", "He", ("名詞", "普通名詞", "一般"), "", True),            # not the abbreviation ＨＥ
    ("www", "www", "WWW", ("名詞", "普通名詞", "一般"), "ダブリューダブリューダブリュー", False),
    ("BRICS", "BRICS", "BRICS", ("名詞", "普通名詞", "一般"), "", True),  # ＢＲＩ+ＣＳ: not one word
    ("nhk", "nhk", "nhk", ("名詞", "普通名詞", "一般"), "", True),        # UniDic has ＮＨＫ only
    ("2025", "2025", "2025", ("名詞", "数詞", ""), "", True),             # numbers stay as they were
])
def test_latin_letter_words_are_tagged_as_unidic_lists_them_in_full_width(
        text, surface, lemma, pos, reading, unknown):
    row = tokenize(text).iloc[0]
    assert (row.surface, row.lemma, (row.pos1, row.pos2, row.pos3), row.reading,
            bool(row.is_unknown)) == (surface, lemma, pos, reading, unknown)
    assert (row.start, row.end) == (0, len(text))


def test_latin_lookup_never_changes_segmentation_or_offsets(corpus, tokens):
    import fugashi

    tagger = fugashi.Tagger()
    for doc_id, text in zip(corpus.doc_id, corpus.text):
        plain = [w.surface for line in utils.normalize(text).splitlines() for w in tagger(line)]
        mine = tokens[tokens.doc_id == doc_id]
        assert mine.surface.tolist() == plain, doc_id
    latin = tokens[tokens.surface.str.fullmatch(r"[A-Za-z]+")]
    # NATO was an unknown 普通名詞 before UniDic's full-width entry was looked up
    nato = latin[latin.surface == "NATO"]
    assert len(nato) > 0 and set(nato.pos2) == {"固有名詞"} and not nato.is_unknown.any()
    assert latin.is_unknown.any()  # words UniDic does not list stay unknown


def test_normalized_input_keeps_raw_offsets():
    raw = "ｷｰｳで㈱ＮＡＴＯ！"
    out = tokenize(raw)
    assert out.surface.tolist()[:2] == ["キー", "ウ"]
    assert out.surface.tolist() == ["キー", "ウ", "で", "(", "株", ")", "NATO", "!"]
    # ㈱ became three characters: each of its tokens points at the one raw character
    assert list(zip(out.start, out.end)) == [(0, 2), (2, 3), (3, 4), (4, 5), (4, 5), (4, 5),
                                             (5, 9), (9, 10)]


@pytest.mark.parametrize("data, ids", [
    ("一つの文。", ["000"]),
    (["文一。", "文二。"], ["000", "001"]),
    ({"a": "文一。", "b": "文二。"}, ["a", "b"]),
    (pd.Series({"x": "文一。"}), ["x"]),
    (pd.DataFrame({"doc_id": ["p"], "text": ["文一。"]}), ["p"]),
])
def test_accepted_inputs(data, ids):
    assert sorted(set(tokenize(data).doc_id)) == ids


def test_empty_texts_give_an_empty_table_with_the_columns():
    out = tokenize({"a": "", "b": "  \n "})
    assert list(out.columns) == TOKEN_COLUMNS and len(out) == 0
    assert list(tokenize([]).columns) == TOKEN_COLUMNS


@pytest.mark.parametrize("data, error, message", [
    ({"a": None}, ValueError, "document 'a' is None"),
    ({"a": math.nan}, ValueError, "document 'a' is nan"),
    (pd.DataFrame({"doc_id": ["a"], "text": [None]}), ValueError, "document 'a' is None"),
    ({"a": 3}, TypeError, "document 'a' is a int"),
    (pd.DataFrame({"id": ["a"], "body": ["x"]}), ValueError, r"missing \['doc_id', 'text'\]"),
    (3.5, TypeError, "tokenize expects a str"),
    (pd.DataFrame({"doc_id": ["a", "a"], "text": ["x", "y"]}), ValueError, r"repeated: \['a'\]"),
])
def test_bad_input(data, error, message):
    with pytest.raises(error, match=message):
        tokenize(data)


@pytest.mark.parametrize("kwargs, message", [
    ({"n_jobs": 0}, "n_jobs must be a positive int"),
    ({"n_jobs": "2"}, "n_jobs must be a positive int"),
    ({"compounds": "キーウ"}, r"did you mean \['キーウ'\]"),
    ({"compounds": [""]}, "each compound must be a non-empty str"),
])
def test_bad_options(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        tokenize("文。", **kwargs)


def test_n_jobs_gives_the_same_table(corpus):
    # 40 documents: 3 processes share 40 batches, each worker sending its tables in parts
    docs = {f"{i:02d}_{d}": t for i in range(8) for d, t in zip(corpus.doc_id, corpus.text)}
    one = tokenize(docs, compounds=["キーウ"])
    pd.testing.assert_frame_equal(tokenize(docs, compounds=["キーウ"], n_jobs=3), one)
    assert one.doc_id.nunique() == 40 and (one.surface == "キーウ").sum() > 0


@pytest.mark.parametrize("method", ["forkserver", "spawn"])
def test_n_jobs_gives_the_same_table_however_its_processes_start(corpus, method, monkeypatch):
    # forkserver: a Jupyter kernel on Linux (it runs threads); spawn: macOS and Windows
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} here")
    import utils.analysis.tokens as tokens_module

    started = []

    def context(preload=()):
        started.append(method)
        return process_context(method, preload=preload)

    monkeypatch.setattr(tokens_module, "process_context", context)
    docs = {f"{i}_{d}": t for i in range(2) for d, t in zip(corpus.doc_id, corpus.text)}
    pd.testing.assert_frame_equal(tokenize(docs, n_jobs=2), tokenize(docs))
    assert started == [method]


def test_clean_drops_chrome_and_the_repeated_body(corpus, tokens):
    cleaned = tokenize(corpus, clean=True)
    before = tokens.groupby("doc_id").size()
    after = cleaned.groupby("doc_id").size()
    assert after["000"] == before["000"] and after["003"] == before["003"]
    assert after["004"] < before["004"] * 0.6      # the body appears twice plus chrome
    assert "シェア" not in set(cleaned[cleaned.doc_id == "001"].surface)
    text = corpus.set_index("doc_id").text["004"]
    c4 = cleaned[cleaned.doc_id == "004"]
    assert [utils.normalize(text[s:e]) for s, e in zip(c4.start, c4.end)] == c4.surface.tolist()


def test_stopwords_file_is_curated_lemmas():
    words = stopwords()
    assert words == sorted(set(words)) and 30 <= len(words) <= 120
    assert {"為る", "事", "此れ"} <= set(words) and "停戦" not in words


@pytest.mark.parametrize("kwargs, lemmas", [
    ({}, ["ロシア", "停戦", "拒む"]),
    ({"words": False}, ["ロシア", "停戦", "為る", "事", "拒む"]),
    ({"pos": None, "words": ["事"]}, ["ロシア", "は", "停戦", "為る", "を", "拒む", "た", "。"]),
])
def test_remove_stopwords(kwargs, lemmas):
    t = tokenize("ロシアは停戦することを拒んだ。")
    assert remove_stopwords(t, **kwargs).lemma.tolist() == lemmas


def test_remove_stopwords_names_missing_columns():
    with pytest.raises(ValueError, match=r"columns \['pos1', 'lemma'\]"):
        remove_stopwords(pd.DataFrame({"surface": ["a"]}))


def test_every_field_is_the_one_fugashi_names(corpus, tokens):
    # fugashi's own Tagger names UniDic's fields; the table must carry the same values for
    # every token MeCab knows (Latin-letter words looked up in full width aside)
    import fugashi

    tagger = fugashi.Tagger()
    for doc_id, table in tokens.groupby("doc_id", sort=True):
        # (a node's fields are read while its line's lattice is alive)
        words = [(w.surface, w.feature, w.is_unk) for line in
                 utils.normalize(corpus.set_index("doc_id").text[doc_id]).splitlines()
                 for w in tagger(line)]
        assert table.surface.tolist() == [w for w, _, _ in words]
        mine = table[~table.is_unknown.to_numpy() & ~table.surface.str.isascii().to_numpy()]
        theirs = [f for (_, f, _), unk, s in zip(words, table.is_unknown, table.surface)
                  if not unk and not s.isascii()]
        for col, name in (("pos1", "pos1"), ("pos2", "pos2"), ("pos3", "pos3"),
                          ("pos4", "pos4"), ("reading", "kana"), ("goshu", "goshu")):
            assert mine[col].tolist() == [getattr(f, name).replace("*", "") for f in theirs], col
        assert mine.lemma.tolist() == [re.sub(r"(?<=.)-.*", "", f.lemma) for f in theirs]
        assert (table.is_unknown == [u for _, _, u in words]).sum() >= len(table) - \
            table.surface.str.fullmatch("[A-Za-z]+").sum()


@pytest.mark.parametrize("fields, message", [
    # a dictionary whose records have a length fugashi does not know as UniDic's
    ({"UnidicFeatures26": "Other26"}, r"writes 26 fields per word, not a UniDic layout"),
    # a layout whose names sit at other positions: 日本 would come out wrong
    ({"swap": ("lemma", "kana")}, r"gives 日本 the fields .*its layout is not UniDic's"),
])
def test_a_dictionary_with_another_layout_is_a_clear_error(monkeypatch, fields, message):
    import collections

    import fugashi

    names = list(fugashi.UnidicFeatures26._fields)
    if "swap" in fields:
        i, j = (names.index(n) for n in fields["swap"])
        names[i], names[j] = names[j], names[i]
    else:
        names = [f"f{i}" for i in range(26)]
    monkeypatch.setattr(fugashi, "UnidicFeatures26", collections.namedtuple("U", names))
    tagger.cache_clear()  # the check runs when a tagger is made
    try:
        with pytest.raises(RuntimeError, match=message):
            tokenize("停戦")
    finally:
        monkeypatch.undo()
        tagger.cache_clear()


def test_nothing_is_kept_between_calls_but_one_tagger():
    # module-level containers are the constants only: no cache or learned table; the
    # tagger is made once per process (fugashi never frees one)
    from utils.analysis import tokens as module

    kept = sorted(n for n, v in vars(module).items()
                  if isinstance(v, (dict, list, set)) and not n.startswith("__"))
    assert kept == ["TOKEN_COLUMNS", "_NARROW", "_WIDEN"]
    made = tagger.cache_info().currsize
    first = tokenize("ヴィヴァルディの四季をポクロウシクで聴いた。")
    tokenize("全く別の文を先に読んでおく。NATOとEU。")
    pd.testing.assert_frame_equal(tokenize("ヴィヴァルディの四季をポクロウシクで聴いた。"), first)
    assert tagger.cache_info().currsize == max(made, 1) and tagger()[0] is tagger()[0]


@pytest.mark.parametrize("text, surfaces, starts", [
    ("停戦 合意", ["停戦", "合意"], [0, 3]),                # a space MeCab skips
    ("停戦\t合意", ["停戦", "合意"], [0, 3]),               # a tab too
    ("停戦　　合意", ["停戦", "合意"], [0, 4]),              # ideographic spaces
])
def test_white_space_inside_a_sentence_keeps_offsets(text, surfaces, starts):
    out = tokenize(text)
    assert (out.surface.tolist(), out.start.tolist()) == (surfaces, starts)


# --- issue 13: doc_ids ------------------------------------------------------------------

@pytest.mark.parametrize("data, error, message", [
    ({math.nan: "停戦。"}, ValueError, r"doc_id nan is missing.*str such as '000'"),
    ({None: "停戦。"}, ValueError, r"doc_id None is missing"),
    (pd.DataFrame({"doc_id": ["a", None], "text": ["x", "y"]}), ValueError,
     r"doc_id (None|nan) is missing"),  # pandas' str columns hold None as NaN
    (pd.DataFrame({"doc_id": ["a", math.nan], "text": ["x", "y"]}), ValueError,
     r"doc_id nan is missing"),
    (pd.Series(["x"], index=[math.nan]), ValueError, r"doc_id nan is missing"),
    (pd.Series(["x"], index=pd.Index([None], dtype=object)), ValueError, r"doc_id None is missing"),
    ({1.5: "x"}, TypeError, r"doc_id 1\.5 is a float; .*str such as '000' or an int"),
    ({True: "x"}, TypeError, r"doc_id True is a bool"),
    ({("a", 1): "x"}, TypeError, r"doc_id \('a', 1\) is a tuple"),
    ({"": "x"}, ValueError, r"doc_id '' is empty"),
    ({" a": "x"}, ValueError, r"doc_id ' a' has white space around it; write it as 'a'"),
    ({1: "x", "1": "y"}, ValueError, r"repeated: \['1'\].*int 1 and str '1'"),
])
def test_bad_doc_ids(data, error, message):
    with pytest.raises(error, match=message):
        tokenize(data)


def test_int_doc_ids_become_str_as_before():
    import numpy as np

    assert tokenize({3: "停戦。", np.int64(12): "合意。"}).doc_id.unique().tolist() == ["3", "12"]
    assert tokenize(pd.Series(["停戦。"])).doc_id.unique().tolist() == ["0"]


def test_the_duplicate_doc_id_check_is_linear():
    import time

    ids = [f"d{i}" for i in range(60_000)] + ["d7"]
    data = pd.DataFrame({"doc_id": ids, "text": [""] * len(ids)})
    start = time.perf_counter()
    with pytest.raises(ValueError, match=r"repeated: \['d7'\]"):
        tokenize(data)
    assert time.perf_counter() - start < 3.0  # quadratic: about 30 s


# --- issue 13: separators, surrogates --------------------------------------------------

@pytest.mark.parametrize("sep", ["\u2028", "\u2029", "\u0085", "\x1c", "\x1d", "\x1e", "\x1f",
                                 "\r", "\v", "\f"])
def test_line_and_paragraph_separators_are_tokenized_like_line_breaks(sep):
    raw = f"停戦だ。{sep}次の段落です。{sep}{sep}最後"
    out = tokenize(raw)
    plain = tokenize(raw.replace(sep, "\n"))
    assert out.surface.tolist() == plain.surface.tolist()
    assert out[["start", "end", "sent_id"]].values.tolist() == \
        plain[["start", "end", "sent_id"]].values.tolist()
    assert [raw[s:e] for s, e in zip(out.start, out.end)] == out.surface.tolist()


def test_a_separator_inside_a_sentence_ends_the_line():
    raw = "ロシア\u2028軍が撤退した"
    out = tokenize(raw)
    assert out.surface.tolist()[:2] == ["ロシア", "軍"] and out.sent_id.tolist()[:2] == [0, 1]
    assert [raw[s:e] for s, e in zip(out.start, out.end)] == out.surface.tolist()


@pytest.mark.parametrize("text, message", [
    ("停戦\udce2だ", r"document 'd1' holds a lone surrogate \(U\+DCE2\) at offset 2"),
    ("\ud800", r"document 'd1' holds a lone surrogate \(U\+D800\) at offset 0"),
    ("あ\x00いう", r"document 'd1' holds a NUL character \(U\+0000\) at offset 1"),
])
def test_text_the_tagger_cannot_read_is_refused_with_doc_id_and_offset(text, message):
    with pytest.raises(ValueError, match=message):
        tokenize({"d1": text})


@pytest.mark.parametrize("compounds, error, message", [
    ({"キーウ": 5}, TypeError, r"the part of speech of compound 'キーウ' must be a str such as "
                              r"'名詞-固有名詞-地名-一般' \(or up to 4 str\), got 5"),
    ({"キーウ": None}, TypeError, r"compound 'キーウ' .* got None"),
    ({"キーウ": ""}, ValueError, r"compound 'キーウ' .* is empty"),
    ({"キーウ": ["名詞", 3]}, TypeError, r"compound 'キーウ' .* got \['名詞', 3\]"),
    ({"キーウ": "名-詞-a-b-c"}, ValueError, r"compound 'キーウ' has 5 parts .* at most 4"),
    (5, TypeError, r"compounds must be a list of expressions .* got int"),
    ([None], ValueError, r"each compound must be a non-empty str, got None"),
    (["キーウ", "キーウ"], ValueError, r"compound 'キーウ' is listed twice"),
    (["ｷｰｳ", "キーウ"], ValueError, r"compound 'キーウ' is listed twice \(as 'ｷｰｳ' and 'キーウ'"),
])
def test_bad_compounds_are_named(compounds, error, message):
    with pytest.raises(error, match=message):
        tokenize("キーウで", compounds=compounds)


# --- issue 13: the sweep ----------------------------------------------------------------
# (function, args, kwargs, expected): an exception type and a regex for its message, or
# a check of the result.

def _rows(df, cols=("surface", "start", "end", "sent_id")):
    return df[list(cols)].values.tolist()


_T = "ロシアは停戦することを拒んだ。"
SWEEP = [
    # tokenize: what it is given
    (tokenize, [None], {}, (TypeError, r"tokenize expects a str, a list of str, a dict")),
    (tokenize, [3], {}, (TypeError, r"tokenize expects a str.*got int")),
    (tokenize, [math.nan], {}, (TypeError, r"tokenize expects a str.*got float")),
    (tokenize, [b"abc"], {}, (TypeError, r"tokenize expects text as str, got bytes; decode it")),
    (tokenize, [{"停戦", "合意"}], {}, (TypeError, r"got a set, which has no order")),
    (tokenize, [[None]], {}, (ValueError, r"the text of document '000' is None")),
    (tokenize, [{"a": b"x"}], {}, (TypeError, r"document 'a' is a bytes, not a str")),
    (tokenize, [{math.nan: "x"}], {}, (ValueError, r"doc_id nan is missing")),
    (tokenize, [pd.DataFrame({"doc_id": ["a", "a"], "text": ["x", "y"]})], {},
     (ValueError, r"doc_id values must be unique; repeated: \['a'\]")),
    (tokenize, [pd.DataFrame([["a", "x", "y"]], columns=["doc_id", "text", "text"])], {},
     (ValueError, r"more than one column named \['text'\]")),
    (tokenize, [pd.DataFrame({"doc_id": [1.0], "text": ["x"]})], {},
     (TypeError, r"doc_id 1\.0 is a float")),
    (tokenize, [pd.DataFrame({"doc_id": pd.Series([], dtype=str), "text": pd.Series([], dtype=str)})],
     {}, lambda df: df.empty and list(df.columns) == TOKEN_COLUMNS),
    (tokenize, [""], {}, lambda df: df.empty),
    (tokenize, [(t for t in ["停戦"])], {}, lambda df: _rows(df) == [["停戦", 0, 2, 0]]),
    # tokenize: odd Unicode
    (tokenize, ["停戦だ。\u2028次"], {},
     lambda df: _rows(df) == [["停戦", 0, 2, 0], ["だ", 2, 3, 0], ["。", 3, 4, 0], ["次", 5, 6, 1]]),
    (tokenize, ["停戦\u2029合意\x85次\x1c終"], {},
     lambda df: _rows(df) == [["停戦", 0, 2, 0], ["合意", 3, 5, 1], ["次", 6, 7, 2], ["終", 8, 9, 3]]),
    (tokenize, ["ｷｰｳ\x1f停戦"], {},
     lambda df: _rows(df) == [["キー", 0, 2, 0], ["ウ", 2, 3, 0], ["停戦", 4, 6, 0]]),
    (tokenize, ["\ufeff停戦"], {}, lambda df: _rows(df) == [["停戦", 1, 3, 0]]),
    (tokenize, ["か\u3099ｶﾞ"], {}, lambda df: _rows(df) == [["が", 0, 2, 0], ["ガ", 2, 4, 0]]),
    (tokenize, ["㈱\u09c7\u09be停戦"], {},
     lambda df: _rows(df)[1] == ["株", 0, 1, 0] and _rows(df)[-1] == ["停戦", 3, 5, 0]),
    (tokenize, [{"d": "停\udce2戦"}], {}, (ValueError, r"document 'd' holds a lone surrogate "
                                                       r"\(U\+DCE2\) at offset 1")),
    (tokenize, [{"d": "停戦\x00合意"}], {}, (ValueError, r"document 'd' holds a NUL character")),
    (tokenize, ["停戦、" * 20_000], {},                     # one long line, cut at commas
     lambda df: len(df) == 40_000 and df.end.iloc[-1] == 60_000),
    # tokenize: options
    (tokenize, ["停戦"], {"clean": None}, (TypeError, r"clean must be True or False, got None")),
    (tokenize, ["停戦"], {"clean": "yes"}, (TypeError, r"clean must be True or False, got 'yes'")),
    (tokenize, ["停戦"], {"n_jobs": 0}, (ValueError, r"n_jobs must be a positive int .* got 0")),
    (tokenize, ["停戦"], {"n_jobs": True}, (ValueError, r"n_jobs must be a positive int .* got True")),
    (tokenize, ["停戦"], {"n_jobs": 2.0}, (ValueError, r"got 2\.0")),
    (tokenize, ["停戦"], {"n_jobs": -2}, (ValueError, r"got -2")),
    (tokenize, ["キーウで"], {"compounds": {"キーウ": 5}}, (TypeError, r"compound 'キーウ' must be a str")),
    (tokenize, ["キーウで"], {"compounds": [math.nan]}, (ValueError, r"non-empty str, got nan")),
    (tokenize, ["キーウで"], {"compounds": {"キーウ", "で"}},   # a set: order does not matter
     lambda df: df.surface.tolist() == ["キーウ", "で"]),
    (tokenize, ["ｷｰｳで"], {"compounds": ["ｷｰｳ"]},          # matched after normalize
     lambda df: _rows(df)[0] == ["キーウ", 0, 3, 0]),
    # stopwords, dictionary_info: no arguments
    (stopwords, [1], {}, (TypeError, r"takes 0 positional arguments")),
    (stopwords, [], {}, lambda words: words == sorted(set(words)) and "事" in words),
    (dictionary_info, ["unidic"], {}, (TypeError, r"takes 0 positional arguments")),
    (dictionary_info, [], {}, lambda info: info["package"] == "unidic-lite"),
    # remove_stopwords
    (remove_stopwords, [None], {}, (TypeError, r"expects a token table .* got NoneType")),
    (remove_stopwords, ["ロシア"], {}, (TypeError, r"expects a token table .* got str")),
    (remove_stopwords, [pd.DataFrame({"surface": ["a"]})], {},
     (ValueError, r"needs a token table with columns \['pos1', 'lemma'\]")),
    (remove_stopwords, [tokenize(_T)], {"pos": "助詞"}, (TypeError, r"did you mean \['助詞'\]")),
    (remove_stopwords, [tokenize(_T)], {"words": "為る"}, (TypeError, r"did you mean \['為る'\]")),
    (remove_stopwords, [tokenize(_T)], {"pos": 5}, (TypeError, r"pos must be a list of str or None, got 5")),
    (remove_stopwords, [tokenize(_T)], {"words": 1}, (TypeError, r"words must be a list of str")),
    (remove_stopwords, [tokenize(_T)], {"by": 3}, (TypeError, r"by must be a column name")),
    (remove_stopwords, [tokenize(_T)], {"by": "nope"}, (ValueError, r"columns \['nope'\]")),
    (remove_stopwords, [pd.concat([tokenize(_T), tokenize(_T)[["pos1"]]], axis=1)], {},
     (ValueError, r"more than one column named \['pos1'\]")),
    (remove_stopwords, [tokenize(_T)], {"words": None},
     lambda df: df.lemma.tolist() == ["ロシア", "停戦", "為る", "事", "拒む"]),
    (remove_stopwords, [tokenize(_T)], {"pos": None, "words": False}, lambda df: len(df) == 9),
    (remove_stopwords, [tokenize(_T).iloc[0:0]], {}, lambda df: df.empty),
    (remove_stopwords, [tokenize(_T).assign(lemma=np.nan)], {}, lambda df: len(df) == 5),
    (remove_stopwords, [tokenize(_T)], {"words": {"事"}, "by": "surface"},
     lambda df: df.surface.tolist() == ["ロシア", "停戦", "する", "こと", "拒ん"]),
]


@pytest.mark.parametrize("func, args, kwargs, expected", SWEEP, ids=sweep_ids(SWEEP))
def test_sweep(func, args, kwargs, expected):
    check_row(func, args, kwargs, expected)


@pytest.mark.parametrize("raw", ["㍻３１年㈱テスト。", "½杯の水", "ｶﾞｿﾘﾝ代が゛上がる", "停戦\u2028合意\u2029だ",
                                 "e\u0301t\u00e9 の ﾃｲｾﾝ", "①から⑩まで ＮＡＴＯ"])
def test_raw_piece_of_every_token_normalizes_to_a_text_holding_its_surface(raw):
    """docs/design.md: a token's offsets cover the smallest raw piece that holds it."""
    toks = tokenize(raw)
    assert [(s, raw[a:b]) for s, a, b in zip(toks.surface, toks.start, toks.end)
            if s not in utils.normalize(raw[a:b])] == []
