"""Tests for utils/analysis/text.py: normalization with offsets, sentences, cleaning."""
from __future__ import annotations

import random
import re
import sys
import unicodedata

import numpy as np
import pytest

import utils
from sweep_tables import check_row, sweep_ids
import utils.analysis.sentences as text_module  # where the sentence splitter's switches live
import utils.analysis._normalize as normalize_module
from utils.analysis._normalize import NFKC_STABLE
from utils.analysis.sentences import sentence_bounds as _sentence_bounds
from utils.analysis.sentences import sentence_bounds_loop as _sentence_bounds_loop
from utils.analysis.sentences import split_sentences
from utils.analysis.text import chrome_patterns, clean, normalize, normalize_with_offsets


@pytest.mark.parametrize("raw, expected", [
    ("ＮＡＴＯ", "NATO"),                 # full-width ASCII
    ("ｷｰｳ", "キーウ"),                     # half-width katakana
    ("ｶﾞｽ", "ガス"),                       # half-width voiced mark composes
    ("か\u3099", "が"),                    # combining voiced mark composes
    ("㈱", "(株)"),                        # enclosed form spelled out
    ("！？", "!?"),
    ("展開…", "展開…"),                    # ellipsis kept (NFKC would give ...)
    ("‥", "‥"),
    ("3日～5日", "3日〜5日"),              # full-width tilde -> wave dash
    ("3日〜5日", "3日〜5日"),
    ("a\tb\u3000c\u00a0d", "a b c d"),     # white space -> one ASCII space each
    ("ロシア-ウクライナ", "ロシア-ウクライナ"),  # a dash between names is not a long vowel
    ("ロシア―ウクライナ", "ロシア―ウクライナ"),
    ("2022-03", "2022-03"),                # other hyphens stay
    ("一行\n二行", "一行\n二行"),          # line breaks stay
    ("", ""),
])
def test_normalize(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize("raw", ["ｷｰｳは㈱です", "ｶﾞｽ\n①②", "普通の文。\nｶﾞ", "展開…㈱"])
def test_offsets_map_every_normalized_character_to_its_source(raw):
    norm, starts, ends = normalize_with_offsets(raw)
    assert len(starts) == len(ends) == len(norm)
    assert np.all(np.diff(starts) >= 0) and np.all(ends > starts)
    # each source unit, normalized alone, gives the characters mapped to it
    for a, b in sorted(set(zip(starts.tolist(), ends.tolist()))):
        mapped = "".join(c for c, s, e in zip(norm, starts, ends) if (s, e) == (a, b))
        assert normalize(raw[a:b]) == mapped


def test_identity_when_nothing_moves():
    norm, starts, ends = normalize_with_offsets("ロシア軍、撤退。")
    assert norm == "ロシア軍、撤退。" and starts is None and ends is None


def test_nfkc_stable_set_is_really_stable():
    rx = re.compile(f"[{NFKC_STABLE}]")
    moved = [hex(c) for c in range(sys.maxunicode + 1)
             if rx.match(chr(c)) and unicodedata.normalize("NFKC", chr(c)) != chr(c)]
    assert moved == []


def test_normalize_rejects_non_str():
    with pytest.raises(TypeError, match="expects a str, got NoneType"):
        normalize(None)


# --- sentences ------------------------------------------------------------------------

@pytest.mark.parametrize("text, sentences", [
    ("停戦だ。合意した。", ["停戦だ。", "合意した。"]),
    ("本当か？そうだ！", ["本当か？", "そうだ！"]),
    ("本当か?そうだ!!次", ["本当か?", "そうだ!!", "次"]),
    ("彼は「停戦だ。今すぐ。」と述べた。次。", ["彼は「停戦だ。今すぐ。」と述べた。", "次。"]),
    ("『戦争は終わる。』本当か。", ["『戦争は終わる。』本当か。"]),
    ("「開いたまま。\n次の行。", ["「開いたまま。", "次の行。"]),
    ("一行目\n\n\u3000二行目\u3000\n", ["一行目", "二行目"]),
    ("一行目\r\n二行目", ["一行目", "二行目"]),
    ("（注）括弧。終わり", ["（注）括弧。", "終わり"]),
    ("", []),
    ("\n \n", []),
])
def test_split_sentences(text, sentences):
    df = split_sentences(text)
    assert df.text.tolist() == sentences
    assert [text[s:e] for s, e in zip(df.start, df.end)] == sentences
    assert df.sent_id.tolist() == list(range(len(sentences)))


def test_split_sentences_on_the_corpus_never_cuts_inside_a_same_line_quote():
    corpus = utils.load_corpus()
    for text in corpus.text:
        for sentence in split_sentences(text).text:
            assert sentence == sentence.strip()
            assert "\n" not in sentence


def test_a_long_text_without_line_breaks_is_split_linearly():
    text = "ロシアとウクライナ、そして米国" * 25_000  # 1.1 MB of UTF-8, no line break, no 。
    df = split_sentences(text)
    assert len(df) == 1 and df.end.iloc[0] == len(text)
    tokens = utils.tokenize(text)
    assert tokens.end.max() == len(text)
    assert (tokens.start.to_numpy()[1:] >= tokens.end.to_numpy()[:-1]).all()


# _sentence_bounds: the numpy path must return exactly what the reference loop returns.

@pytest.fixture
def fast_path(monkeypatch):
    """Send texts of every length through the numpy path (short ones take the loop)."""
    monkeypatch.setattr(text_module, "_FAST_MIN_CHARS", 0)


@pytest.mark.parametrize("text, max_chars, expected", [
    ("彼は「停戦だ。今すぐ。」と述べた。次。", None, [(0, 17), (17, 19)]),
    ("「『深い。』まだ。」終わり。", None, [(0, 14)]),     # nested, closed inside terminator runs
    ("」あ。「い。」う。", None, [(0, 3), (3, 9)]),        # unbalanced 」 before 「
    ("」」「あ。」い。", None, [(0, 8)]),                  # depth clamps at 0, then opens
    ("終わり。」次。", None, [(0, 5), (5, 7)]),            # 。」 at depth 0 ends the sentence
    ("「開いたまま。\n次の行。", None, [(0, 7), (8, 12)]),  # a line break resets depth
    ("一\r\n二\r三\n", None, [(0, 1), (3, 4), (5, 6)]),  # \r\n and a lone \r
    ("本当?!」』か。", None, [(0, 6), (6, 8)]),            # one run of terminators and closers
    ("「『本当?!」』か。", None, [(0, 10)]),               # ... closing two quotes at once
    ("一行目\n \u3000\t\n\u3000二行目\u3000\n", None, [(0, 3), (9, 12)]),  # white space only
    ("\u3000あ。\u3000い。\u3000", None, [(1, 3), (4, 6)]),  # full-width spaces trimmed
    ("", None, []),
    ("あ。いう", None, [(0, 2), (2, 4)]),                  # ends without a terminator
    ("あいうえお、かきくけこ、さしすせそ。", 8, [(0, 6), (6, 12), (12, 18)]),  # cut at 、
    ("あいうえおかきくけこ", 4, [(0, 4), (4, 8), (8, 10)]),  # hard cuts
    ("あ い う え お か", 0, [(0, 11)]),                    # max_chars 0: no cut
    ("（注）括弧。終わり", None, [(0, 6), (6, 9)]),        # closers not after a terminator
    ("「あ。」。い", None, [(0, 5), (5, 6)]),              # a new run right after the closers
    ("「あ。）い」う。", None, [(0, 8)]),                  # ） in a run closes no quote
    ("「あ。）」い。", None, [(0, 7)]),
    ("\r\n\r\n", None, []),
    ("\ufeffBOM。", None, [(1, 5)]),
    ("あ。 \nい", None, [(0, 2), (4, 5)]),
    ("あ）。い", None, [(0, 3), (3, 4)]),
    ("😀。あ", None, [(0, 2), (2, 3)]),                    # offsets count code points
    ("\ud800。あ\udfff", None, [(0, 2), (2, 4)]),          # lone surrogates
])
def test_sentence_bounds_tricky_inputs(fast_path, text, max_chars, expected):
    assert _sentence_bounds_loop(text, max_chars) == expected
    assert _sentence_bounds(text, max_chars) == expected


_ALPHABET = list("「『」』。．！？!?）)】〕>》\"'’”\r\n \t\u3000\u00a0\ufeff、,，") + [
    "\r\n", "あ", "か", "ン", "語"]


def test_sentence_bounds_random_strings_match_the_loop(fast_path):
    rng = random.Random(20240611)
    mismatches = []
    for _ in range(1000):
        weights = [rng.random() ** 2 for _ in _ALPHABET]  # each string its own mix
        text = "".join(rng.choices(_ALPHABET, weights, k=rng.choice([1, 2, 5, 20, 80, 300])))
        for max_chars in (None, 5, 40):
            if _sentence_bounds(text, max_chars) != _sentence_bounds_loop(text, max_chars):
                mismatches.append((text, max_chars))
    assert mismatches == []


def test_sentence_bounds_long_random_text_takes_the_fast_path(monkeypatch):
    rng = random.Random(7)
    text = "".join(rng.choices(_ALPHABET, k=50_000))
    expected = _sentence_bounds_loop(text, 30)

    def refuse(*args):
        raise AssertionError("the loop was used")
    monkeypatch.setattr(text_module, "sentence_bounds_loop", refuse)
    assert _sentence_bounds(text, 30) == expected
    with pytest.raises(AssertionError, match="the loop was used"):
        _sentence_bounds("短い。", None)


@pytest.mark.parametrize("normalized", [False, True])
def test_sentence_bounds_on_the_corpus_match_the_loop(fast_path, normalized):
    texts = [normalize(t) if normalized else t for t in utils.load_corpus().text]
    for text in [*texts, "\n".join(texts) * 3]:
        for max_chars in (None, 60, 4000):
            assert _sentence_bounds(text, max_chars) == _sentence_bounds_loop(text, max_chars)


# --- cleaning ---------------------------------------------------------------------------

def _lines(doc_id):
    text = utils.load_corpus().set_index("doc_id").text[doc_id]
    return clean(text)


@pytest.mark.parametrize("doc_id, chrome_lines, duplicate_lines", [
    # line numbers checked by reading each text (see corpus/README.md)
    ("000", [], []),
    ("001", [53, *range(56, 79)], []),
    ("002", list(range(86, 92)), []),
    ("003", [], []),
    ("004", [10, *range(18, 28)], list(range(11, 18))),
])
def test_clean_on_the_corpus(doc_id, chrome_lines, duplicate_lines):
    c = _lines(doc_id)
    raw_lines = c.raw.split("\n")
    blank = {i + 1 for i, line in enumerate(raw_lines) if not line.strip(" \t\u3000\u00a0")}
    removed = c.removed
    got_chrome = removed[removed.reason.str.startswith("chrome")].line.tolist()
    got_dup = removed[removed.reason.str.startswith("duplicate")].line.tolist()
    assert got_chrome == [n for n in chrome_lines if n not in blank]
    assert got_dup == duplicate_lines
    for row in removed.itertuples():
        assert c.raw[row.start:row.end] == row.text == raw_lines[row.line - 1]


def test_clean_masks_without_moving_offsets():
    text = "本文の一段落目はここにあります。\n本文の一段落目はここにあります。\nXでシェアする\n最後"
    c = clean(text)
    assert len(c.masked) == len(text)
    assert c.masked.split("\n") == ["本文の一段落目はここにあります。", " " * 16, " " * 7, "最後"]
    assert c.text == "本文の一段落目はここにあります。\n最後"
    assert c.kept.values.tolist() == [[0, 16], [42, 44]]
    assert repr(c) == "Cleaned(removed 2 lines, 23 of 44 characters: chrome 1, duplicate 1)"
    tokens = utils.tokenize({"x": c})
    assert tokens.surface.tolist()[-1] == "最後" and tokens.start.tolist()[-1] == 42


def test_clean_options():
    text = "同じ段落が二度あらわれる例文です。\n同じ段落が二度あらわれる例文です。"
    assert len(clean(text, duplicates=False).removed) == 0
    assert len(clean(text, min_duplicate_chars=100).removed) == 0
    assert len(clean("Xでシェアする", chrome=False).removed) == 0
    with pytest.raises(ValueError, match="min_duplicate_chars must be at least 1, got 0"):
        clean(text, min_duplicate_chars=0)
    with pytest.raises(TypeError, match="clean expects a str"):
        clean(3)


def test_clean_can_remove_urls_inside_kept_lines():
    text = "記事はこちら(https://example.jp/a?b=1)です。\n別の行 http://x.com/y、続き\nhttps://t.co/z"
    c = clean(text, urls=True)
    assert c.removed[["line", "reason", "text"]].values.tolist() == [
        [1, "url", "https://example.jp/a?b=1"], [2, "url", "http://x.com/y"],
        [3, "url", "https://t.co/z"]]
    assert c.text == "記事はこちら()です。\n別の行 、続き"  # a line that was only a URL goes
    assert len(c.masked) == len(text) and "http" not in c.masked
    assert repr(c) == "Cleaned(removed 0 lines and 3 URLs, 52 of 72 characters: url 3)"
    assert clean(text).removed.empty


def test_clean_urls_in_the_corpus():
    corpus = utils.load_corpus().set_index("doc_id")
    counts = {d: int((clean(t, urls=True).removed.reason == "url").sum())
              for d, t in corpus.text.items()}
    raw_counts = {d: len(re.findall(r"https?://", t)) for d, t in corpus.text.items()}
    assert counts["002"] == raw_counts["002"] and counts["000"] == 0
    tokens = utils.tokenize({d: clean(t, urls=True) for d, t in corpus.text.items()})
    assert not tokens.surface.isin(["https", "http", "www"]).any()


# --- issue 13: offsets that always point at the raw text, in linear time ----------------

def _units_of(raw, norm, starts, ends):
    """Check the mapping: every source unit, normalized alone, gives what maps to it."""
    if starts is None:
        assert len(norm) == len(raw)
        starts, ends = np.arange(len(raw)), np.arange(1, len(raw) + 1)
    assert len(starts) == len(ends) == len(norm)
    assert np.all(np.diff(starts) >= 0) and np.all(ends > starts)
    pieces = {}
    for c, a, b in zip(norm, starts.tolist(), ends.tolist()):
        pieces[a, b] = pieces.get((a, b), "") + c
    for (a, b), mapped in pieces.items():
        assert normalize(raw[a:b]) == mapped, (raw, a, b)


@pytest.mark.parametrize("raw", [
    "㈱\u09c7\u09be\u09c7\u09be 停戦",   # +2 from ㈱, -2 from two compositions: same length
    "\u09c7\u09be㈱",
    "ｶﾞ\u1100\u1161\u11a8㈱",              # half-width voicing, Hangul jamo composing
    "\u3131\u314f",                       # compatibility jamo: NFKC makes one syllable
    "x\u0302\u0323y",                     # marks reordered, nothing composed
    "\u0f73\u0f72",                       # a ccc-0 character that decomposes to marks
])
def test_offsets_point_at_the_raw_text_even_when_lengths_cancel(raw):
    norm, starts, ends = normalize_with_offsets(raw)
    assert norm == normalize(raw) == unicodedata.normalize("NFKC", raw)
    _units_of(raw, norm, starts, ends)


def test_tokens_of_a_cancelling_text_point_at_the_raw_text():
    raw = "㈱\u09c7\u09be\u09c7\u09be 停戦"
    tokens = utils.tokenize(raw)
    kabu = tokens[tokens.surface == "株"].iloc[0]
    assert (kabu.start, kabu.end) == (0, 1)
    assert [utils.normalize(raw[s:e]) for s, e in zip(tokens.start, tokens.end)
            if (s, e) != (0, 1)] == tokens.surface.tolist()[3:]


def test_normalize_of_a_long_line_with_one_compatibility_character_is_linear():
    import time

    line = "ロシアとウクライナ、そして米国" * 115_000 + "㈱ｱ"  # 5 MB of UTF-8, one line
    start = time.perf_counter()
    norm, starts, ends = normalize_with_offsets(line)
    assert time.perf_counter() - start < 3.0  # line by line, unit by unit: about 15 s
    assert norm.endswith("(株)ア") and len(norm) == len(line) + 2
    assert starts[-4:].tolist() == [len(line) - 2] * 3 + [len(line) - 1]


_NORM_ALPHABET = list("あア語。、\n\r ｱｶﾞﾟｷ㈱①ＡＮ！～…‥\u3000\t") + [
    "か\u3099", "\u0301", "e\u0301", "\u3099", "\uff9e"]


def test_linear_offsets_equal_the_old_line_by_line_ones():
    from old_normalize import old_normalize_with_offsets

    rng = random.Random(20261207)
    texts = list(utils.load_corpus().text) + ["".join(rng.choices(
        _NORM_ALPHABET, [rng.random() ** 2 for _ in _NORM_ALPHABET], k=rng.choice([1, 3, 20, 200])))
        for _ in range(500)]
    for raw in texts:
        new, old = normalize_with_offsets(raw), old_normalize_with_offsets(raw)
        assert new[0] == old[0], raw
        if old[1] is not None and new[1] is None:  # None means the identity, as documented
            new = (new[0], np.arange(len(raw)), np.arange(1, len(raw) + 1))
        if old[1] is None:
            assert new[1] is None, raw
        else:
            assert new[1].tolist() == old[1].tolist() and new[2].tolist() == old[2].tolist(), raw


def test_joiners_are_what_unicodedata_says():
    from utils.analysis._normalize import JOINERS

    planes = [*range(0x40000), *range(0xE0000, 0xE1000)]  # planes 4-13 hold no characters
    points = [c for c in planes if not 0xD800 <= c < 0xE000 and c != 0]  # NUL: the separator
    base = {c for c in points if unicodedata.combining(chr(c))}
    for c in points:
        d = unicodedata.decomposition(chr(c))
        if d and not d.startswith("<") and len(d.split()) == 2:
            a, b = (int(x, 16) for x in d.split())
            if unicodedata.normalize("NFC", chr(a) + chr(b)) == chr(c):
                base.add(b)  # the second half of a pair that composes
    base |= set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))  # Hangul V and T jamo
    nfkd = unicodedata.normalize("NFKD", "\x00".join(map(chr, points))).split("\x00")
    joiners = {c for c, d in zip(points, nfkd) if c in base or (d and ord(d[0]) in base)}
    declared = {c for c in points if re.match(f"[{JOINERS}]", chr(c))}
    assert sorted(joiners - declared) == []
    # declared for a newer Unicode than this Python's (3.11 has 14.0, 3.13 has 15.1)
    assert [hex(c) for c in sorted(declared - joiners)
            if unicodedata.category(chr(c)) != "Cn"] == []
    assert not re.search(f"[{JOINERS}]", "".join(map(chr, range(0x20))) + "\x85\u2028\u2029")
    assert not [c for c in joiners if re.match(f"[{NFKC_STABLE}]", chr(c))]


_ODD_ALPHABET = list("あか語 \n㈱ｶﾞﾟｱ①Ａ\u3099\u309a\u0301\u0323\u0302e\u09c7\u09be\u0b47\u0b3e"
                     "\u1100\u1161\u11a8\uac00\u3131\u314f\uffa1\uffc2\u0f71\u0f72\u0f73\u2028"
                     "\u0344\u1e0b\u0307\ufb01\u00bd\ud800\ufeff")


def test_random_odd_text_normalizes_like_nfkc_with_true_offsets():
    rng = random.Random(13)
    for i in range(200):
        raw = "".join(rng.choices(_ODD_ALPHABET, k=rng.choice([1, 2, 4, 12, 40])))
        if i % 2:  # mostly stable text: odd runs are normalized one by one
            raw = "".join(c + "停戦の交渉" * rng.randrange(8) for c in raw)
        norm, starts, ends = normalize_with_offsets(raw)
        assert norm == normalize_module._finish(unicodedata.normalize("NFKC", raw.replace("\u2026", "\ue026"))), raw
        _units_of(raw, norm, starts, ends)


@pytest.mark.parametrize("sep", ["\n", "\r", "\r\n", "\u2028", "\u2029", "\x85", "\x1c", "\x1d",
                                 "\x1e"])
def test_every_line_break_splits_sentences_in_both_splitters(fast_path, sep):
    text = f"一行目{sep}「二行目{sep}\x1f三行目。"
    expected = [(0, 3), (3 + len(sep), 7 + len(sep)), (8 + 2 * len(sep), 12 + 2 * len(sep))]
    assert _sentence_bounds_loop(text) == _sentence_bounds(text) == expected
    assert split_sentences(text).text.tolist() == ["一行目", "「二行目", "三行目。"]


@pytest.mark.parametrize("sep", ["\n", "\r", "\r\n", "\u2028", "\u2029", "\x85", "\x1e"])
def test_clean_numbers_lines_whatever_the_line_ends(sep):
    text = sep.join(["本文の一段落目はここにあります。", "", "本文の一段落目はここにあります。",
                     "Xでシェアする"])
    removed = clean(text).removed
    assert removed.line.tolist() == [3, 4]
    assert removed.reason.tolist() == ["duplicate: of line 1", "chrome: share button"]
    assert [text[a:b] for a, b in zip(removed.start, removed.end)] == removed.text.tolist()


@pytest.mark.parametrize("kwargs, error, message", [
    ({"min_duplicate_chars": None}, TypeError, r"min_duplicate_chars must be an int .* got None"),
    ({"min_duplicate_chars": 2.5}, TypeError, r"min_duplicate_chars must be an int .* got 2\.5"),
    ({"min_duplicate_chars": True}, TypeError, r"min_duplicate_chars must be an int"),
    ({"min_duplicate_chars": -1}, ValueError, r"min_duplicate_chars must be at least 1, got -1"),
    ({"chrome": None}, TypeError, r"chrome must be True or False, got None"),
    ({"duplicates": "no"}, TypeError, r"duplicates must be True or False, got 'no'"),
    ({"urls": 1}, TypeError, r"urls must be True or False, got 1"),
])
def test_clean_refuses_bad_options_by_name(kwargs, error, message):
    with pytest.raises(error, match=message):
        clean("本文。", **kwargs)


# --- issue 13: the sweep ----------------------------------------------------------------
# One row per odd input: (function, args, kwargs, expected). ``expected`` is an exception
# type and a regex its message must match, or the exact result (a check function gets
# the result where a DataFrame is returned).

def _bounds(df):
    return df[["start", "end"]].values.tolist()


def _removed(c):
    return c.removed[["start", "end", "line", "reason"]].values.tolist()


SWEEP = [
    # normalize
    (normalize, [None], {}, (TypeError, r"normalize expects a str, got NoneType")),
    (normalize, [3], {}, (TypeError, r"normalize expects a str, got int: 3")),
    (normalize, [float("nan")], {}, (TypeError, r"got float: nan")),
    (normalize, [b"abc"], {}, (TypeError, r"got bytes: b'abc'")),
    (normalize, [["ｷｰｳ"]], {}, (TypeError, r"got list")),
    (normalize, [""], {}, ""),
    (normalize, ["停戦だ。\u2028次\u2029\x85"], {}, "停戦だ。\u2028次\u2029\x85"),  # breaks kept
    (normalize, ["a\x1cb\x1dc\x1ed\x1fe"], {}, "a\x1cb\x1dc\x1ed e"),   # \x1f is white space
    (normalize, ["\ud800あ\udce2"], {}, "\ud800あ\udce2"),               # surrogates kept
    (normalize, ["\ufeffあ"], {}, "\ufeffあ"),
    (normalize, ["か\u3099e\u0301"], {}, "がé"),
    (normalize, ["ｶﾞｷﾞｰ"], {}, "ガギー"),
    (normalize, ["あ" * 100_000 + "ｱ"], {}, "あ" * 100_000 + "ア"),
    # normalize_with_offsets
    (normalize_with_offsets, [None], {}, (TypeError, r"normalize expects a str, got NoneType")),
    (normalize_with_offsets, [b"x"], {}, (TypeError, r"got bytes")),
    (normalize_with_offsets, [""], {}, lambda r: r == ("", None, None)),
    (normalize_with_offsets, ["停戦\u2028\x85\x1c"], {}, lambda r: r == ("停戦\u2028\x85\x1c", None, None)),
    (normalize_with_offsets, ["ｶﾞｷﾞ"], {},
     lambda r: r[0] == "ガギ" and r[1].tolist() == [0, 2] and r[2].tolist() == [2, 4]),
    (normalize_with_offsets, ["e\u0301\u0323"], {},                     # reordered + composed
     lambda r: r[1].tolist() == [0, 0] and r[2].tolist() == [3, 3]),
    (normalize_with_offsets, ["\u0301あ"], {}, lambda r: r[1] is None),  # a mark at the start
    (normalize_with_offsets, ["\ud800ｱ"], {},
     lambda r: r[0] == "\ud800ア" and r[1] is None),
    (normalize_with_offsets, ["㈱" + "あ" * 200_000], {},
     lambda r: r[1][:4].tolist() == [0, 0, 0, 1] and len(r[1]) == 200_003),
    # split_sentences
    (split_sentences, [None], {}, (TypeError, r"split_sentences expects a str, got NoneType")),
    (split_sentences, [3.5], {}, (TypeError, r"split_sentences expects a str, got float")),
    (split_sentences, [b"x"], {}, (TypeError, r"got bytes")),
    (split_sentences, [""], {}, lambda df: df.empty and list(df.columns) == ["sent_id", "start",
                                                                            "end", "text"]),
    (split_sentences, ["停戦だ。\u2028次"], {}, lambda df: _bounds(df) == [[0, 4], [5, 6]]),
    (split_sentences, ["あ\x85い。う"], {}, lambda df: _bounds(df) == [[0, 1], [2, 4], [4, 5]]),
    (split_sentences, ["「停戦\u2029だ」と"], {}, lambda df: _bounds(df) == [[0, 3], [4, 7]]),
    (split_sentences, ["a\x1fb。\x1fc"], {}, lambda df: _bounds(df) == [[0, 4], [5, 6]]),
    (split_sentences, ["\ufeff本文。"], {}, lambda df: _bounds(df) == [[1, 4]]),
    (split_sentences, ["\ud800。あ"], {}, lambda df: _bounds(df) == [[0, 2], [2, 3]]),
    (split_sentences, ["か\u3099。ｶﾞ"], {}, lambda df: df.text.tolist() == ["か\u3099。", "ｶﾞ"]),
    (split_sentences, ["あ" * 300_000], {}, lambda df: _bounds(df) == [[0, 300_000]]),
    # clean
    (clean, [None], {}, (TypeError, r"clean expects a str, got NoneType")),
    (clean, [b"x"], {}, (TypeError, r"clean expects a str, got bytes")),
    (clean, ["本文。"], {"min_duplicate_chars": None}, (TypeError, r"min_duplicate_chars must be an int")),
    (clean, ["本文。"], {"min_duplicate_chars": float("nan")}, (TypeError, r"got nan")),
    (clean, ["本文。"], {"min_duplicate_chars": 0}, (ValueError, r"at least 1, got 0")),
    (clean, ["本文。"], {"chrome": "yes"}, (TypeError, r"chrome must be True or False, got 'yes'")),
    (clean, ["本文。"], {"urls": None}, (TypeError, r"urls must be True or False, got None")),
    (clean, [""], {}, lambda c: c.removed.empty and c.text == "" and c.masked == ""),
    (clean, ["本文の一段落目はここにあります。\u2029本文の一段落目はここにあります。"], {},
     lambda c: _removed(c) == [[17, 33, 2, "duplicate: of line 1"]]),
    (clean, ["Xでシェアする\x85本文"], {},
     lambda c: _removed(c) == [[0, 7, 1, "chrome: share button"]] and c.text == "本文"),
    (clean, ["\ufeff本文の一段落目はここにあります。\n本文の一段落目はここにあります。"], {},
     lambda c: _removed(c) == [[18, 34, 2, "duplicate: of line 1"]]),
    (clean, ["本文\rＸでｼｪｱする"], {},                                 # half-width chrome, CR
     lambda c: _removed(c) == [[3, 10, 2, "chrome: share button"]]),
    (clean, ["ｶﾞｽの供給が止まったという報道。\nガスの供給が止まったという報道。"], {},
     lambda c: _removed(c) == [[18, 34, 2, "duplicate: of line 1"]]),
    (clean, ["本文\ud800です。"], {}, lambda c: c.removed.empty and c.text == "本文\ud800です。"),
    (clean, ["\x1c\x1d\x1e"], {}, lambda c: c.removed.empty and c.kept.empty),
    (clean, ["長い行、" * 50_000], {}, lambda c: c.removed.empty and len(c.masked) == 200_000),
    # chrome_patterns
    (chrome_patterns, [1], {}, (TypeError, r"takes 0 positional arguments")),
    (chrome_patterns, [], {}, lambda df: set(df["kind"]) == {"footer", "line"}),
]


@pytest.mark.parametrize("func, args, kwargs, expected", SWEEP, ids=sweep_ids(SWEEP))
def test_sweep(func, args, kwargs, expected):
    check_row(func, args, kwargs, expected)


@pytest.mark.parametrize("max_chars", [-1, -40])
def test_cutting_long_sentences_refuses_a_negative_length_instead_of_looping(max_chars):
    from utils.analysis.sentences import cut_long as _cut_long

    with pytest.raises(ValueError, match=f"max_chars must be at least 1, got {max_chars}"):
        list(_cut_long("停戦" * 50, 0, 100, max_chars))
    assert _sentence_bounds("停戦、" * 40, 10)[0] == (0, 9)
