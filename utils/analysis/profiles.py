"""Profile texts by their surface: length, sentences, scripts, quotations, URLs, English.

A first comparison of sources needs no tokenizer. How long a text is, how long its
sentences are, how much of it is kanji, hiragana, katakana or Latin letters (文字種),
how much sits inside 「…」 and how many URLs and English passages it carries already
separate a wire report from a blog post or a dialogue written as speech bubbles.

Character classes (:data:`CHAR_CLASSES`), by Unicode code point:

* ``kanji``: CJK Unified Ideographs U+4E00–9FFF, Extension A U+3400–4DBF, Extensions B
  and later U+20000–3134F, CJK Compatibility Ideographs U+F900–FAFF, and the
  ideographic marks 々 (U+3005), 〆 (U+3006) and 〇 (U+3007);
* ``hiragana``: U+3041–3096 and the iteration marks ゝゞゟ (U+309D–309F);
* ``katakana``: U+30A1–30FA, the long-vowel mark ー (U+30FC), ヽヾヿ (U+30FD–30FF),
  the small katakana U+31F0–31FF and half-width katakana U+FF66–FF9F. The middle dot
  ・ (U+30FB) is punctuation, so it is ``other``;
* ``latin``: the Latin letters A–Z and a–z, their full-width forms (U+FF21–FF3A,
  U+FF41–FF5A) and the accented letters of Latin-1 and Latin Extended-A/B
  (U+00C0–024F except × U+00D7 and ÷ U+00F7);
* ``digit``: 0–9 and their full-width forms U+FF10–FF19 (kanji numerals are ``kanji``,
  circled numbers such as ① are ``other``);
* ``space``: every character for which ``str.isspace()`` is true (line breaks, the
  ASCII and the ideographic space, U+00A0 …);
* ``other``: everything else: punctuation 。、「」, symbols, ・, ①, emoji …, and the
  lone surrogates a ``surrogateescape`` read leaves for bytes it could not decode.

Shares are fractions of the **non-white-space** characters (``n_nonspace``): white
space is left out of every denominator, so a text's layout (blank lines, indentation)
does not change its profile.
"""
from __future__ import annotations

import numbers
import re

import numpy as np
import pandas as pd

from .corpus import documents

__all__ = ["CHAR_CLASSES", "PROFILE_COLUMNS", "URL_PATTERN", "char_class", "char_classes",
           "english_passages", "text_profile"]

#: The character classes, in the order of :func:`char_classes` and the profile columns.
CHAR_CLASSES = ("kanji", "hiragana", "katakana", "latin", "digit", "other", "space")

# inclusive code point ranges of each class (see the module docstring)
_RANGES = {
    "kanji": [(0x3005, 0x3007), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
              (0x20000, 0x3134F)],
    "hiragana": [(0x3041, 0x3096), (0x309D, 0x309F)],
    "katakana": [(0x30A1, 0x30FA), (0x30FC, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F)],
    "latin": [(0x41, 0x5A), (0x61, 0x7A), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A),
              (0xC0, 0xD6), (0xD8, 0xF6), (0xF8, 0x24F)],
    "digit": [(0x30, 0x39), (0xFF10, 0xFF19)],
}
#: Every code point for which str.isspace() is true (tests/analysis/test_profiles.py checks it).
_SPACE_POINTS = (list(range(0x09, 0x0E)) + list(range(0x1C, 0x21)) + [0x85, 0xA0, 0x1680]
                 + list(range(0x2000, 0x200B)) + [0x2028, 0x2029, 0x202F, 0x205F, 0x3000])

#: Columns of :func:`text_profile`, in order.
PROFILE_COLUMNS = ["n_chars", "n_nonspace", "n_sentences", "mean_sentence_chars",
                   "share_kanji", "share_hiragana", "share_katakana", "share_latin",
                   "share_digit", "share_other", "share_quoted", "n_quotes", "n_urls",
                   "share_english"]

#: What counts as a URL: http:// or https:// up to white space, a Japanese character,
#: a bracket or a closing parenthesis.
URL_PATTERN = re.compile(r"https?://[^\s\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef()「」『』<>\"]+")

# A Latin "word" (letters, digits, inner apostrophes and hyphens) and what may separate
# two words of one English passage (spaces, line breaks, ASCII punctuation, quotes).
_WORD = r"[A-Za-z0-9\u00c0-\u024f]+(?:['’\-][A-Za-z0-9\u00c0-\u024f]+)*"
_SEP = r"[\s,.;:!?()\"'“”‘’\-–—/&]+"
_PASSAGE = re.compile(f"{_WORD}(?:{_SEP}{_WORD})*")
_WORD_RX = re.compile(_WORD)
_HAS_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")


def _code_points(text: str) -> np.ndarray:
    # surrogatepass: a lone surrogate (left by a surrogateescape read) is "other"
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def _in_ranges(points: np.ndarray, ranges) -> np.ndarray:
    mask = np.zeros(len(points), dtype=bool)
    for lo, hi in ranges:
        mask |= (points >= lo) & (points <= hi)
    return mask


def _class_codes(text: str) -> np.ndarray:
    """One integer per character: its index in CHAR_CLASSES."""
    points = _code_points(text)
    codes = np.full(len(points), CHAR_CLASSES.index("other"), dtype=np.int8)
    for name, ranges in _RANGES.items():
        codes[_in_ranges(points, ranges)] = CHAR_CLASSES.index(name)
    codes[np.isin(points, _SPACE_POINTS)] = CHAR_CLASSES.index("space")
    return codes


def _check_str(text, func: str, what: str = "text") -> str:
    if not isinstance(text, str):
        raise TypeError(f"{func} expects {what} as a str, got {type(text).__name__}: "
                        f"{text!r:.60}")
    return text


def char_class(char: str) -> str:
    """Name the class of one character: kanji, hiragana, katakana, latin, digit, other or space.

    >>> [char_class(c) for c in "露はキーウ・A1。　"]
    ['kanji', 'hiragana', 'katakana', 'katakana', 'katakana', 'other', 'latin', 'digit', 'other', 'space']
    """
    _check_str(char, "char_class", "one character")
    if len(char) != 1:
        raise ValueError(f"char_class expects exactly one character, got {len(char)}: "
                         f"{char!r:.60}; use char_classes() for a whole text")
    return CHAR_CLASSES[int(_class_codes(char)[0])]


def char_classes(text: str) -> pd.Series:
    """Count the characters of each class in ``text`` (see :data:`CHAR_CLASSES`).

    Returns a Series of counts indexed by the seven classes, white space (``space``)
    last; it sums to ``len(text)``. Divide by ``len(text) - counts["space"]`` for shares
    of the non-white-space characters, as :func:`text_profile` does.

    >>> char_classes("プーチン大統領は「停戦」と述べた。 NATO 2025")
    kanji        6
    hiragana     4
    katakana     4
    latin        4
    digit        4
    other        3
    space        2
    dtype: int64
    """
    _check_str(text, "char_classes")
    counts = np.bincount(_class_codes(text), minlength=len(CHAR_CLASSES))
    return pd.Series(counts.astype("int64"), index=list(CHAR_CLASSES))


def english_passages(text: str, *, min_words: int = 3) -> pd.DataFrame:
    """Find the English (Latin-script) passages of a text: runs of at least ``min_words`` words.

    A word is a run of Latin letters and digits (with inner ``'`` ``’`` ``-``); the words
    of one passage are separated only by white space (line breaks included) and ASCII
    punctuation or quotes, so any Japanese character ends a passage. At least
    ``min_words`` of its words must contain a letter, so ``2025.2.27 ISW`` is not a
    passage. URLs (:data:`URL_PATTERN`) are never part of a passage.

    Returns ``start, end, n_words, text``, offsets into ``text`` (end exclusive).

    >>> english_passages("「US is ‘done’ funding Ukraine」とGoogle Mapに")
       start  end  n_words                          text
    0      1   29        5  US is ‘done’ funding Ukraine
    """
    _check_str(text, "english_passages")
    if isinstance(min_words, bool) or not isinstance(min_words, numbers.Integral) \
            or min_words < 1:
        raise ValueError(f"min_words must be a positive integer, got {min_words!r}")
    masked = URL_PATTERN.sub(lambda m: "\u25a0" * len(m.group()), text)  # ■ ends a passage
    rows = []
    for m in _PASSAGE.finditer(masked):
        words = _WORD_RX.findall(m.group())
        n = sum(1 for w in words if _HAS_LETTER.search(w))
        if n >= min_words:
            rows.append((m.start(), m.end(), n, text[m.start():m.end()]))
    out = pd.DataFrame(rows, columns=["start", "end", "n_words", "text"])
    return out.astype({"start": "int64", "end": "int64", "n_words": "int64"})


def _quoted_mask(text: str, quotes: pd.DataFrame) -> np.ndarray:
    mask = np.zeros(len(text), dtype=bool)
    for a, b in zip(quotes["start"], quotes["end"]):
        mask[a:b] = True
    return mask


def text_profile(corpus_or_texts, *, clean: bool = False, min_english_words: int = 3,
                 min_quote_chars: int = 1) -> pd.DataFrame:
    """Profile each text by its surface: size, sentences, scripts, quotations, URLs, English.

    ``corpus_or_texts`` is a corpus DataFrame (``doc_id``, ``text``), a Series or dict
    ``doc_id -> text``, a list of str or one str. With ``clean=True`` platform chrome and
    repeated paragraphs are first blanked out (:func:`utils.clean`, ``.masked``): they
    become white space, which no share counts.

    Returns one row per text, indexed by ``doc_id``, with the columns
    :data:`PROFILE_COLUMNS`:

    * ``n_chars``: all characters (``len(text)``, chrome included even with
      ``clean=True``); ``n_nonspace``: the characters that are not white space (after
      cleaning), the denominator of every ``share_*`` column;
    * ``n_sentences`` and ``mean_sentence_chars``: the sentences of
      :func:`utils.split_sentences` and their mean length in non-white-space characters;
    * ``share_kanji`` … ``share_other``: the character classes of :func:`char_classes`;
      these six shares sum to 1;
    * ``share_quoted``: characters inside 「…」 or 『…』 (the brackets themselves not
      included, nested quotations counted once), from :func:`utils.find_quotes` per line,
      unbalanced brackets included; quotations shorter than ``min_quote_chars``
      characters are left out (e.g. ``min_quote_chars=10`` ignores 「停戦」-style terms);
      ``n_quotes``: the outermost such quotations;
    * ``n_urls``: http(s) URLs (:data:`URL_PATTERN`);
    * ``share_english``: characters of :func:`english_passages` (runs of at least
      ``min_english_words`` Latin words), so single names like ``NATO`` do not count.

    >>> p = text_profile({"a": "「停戦だ」と述べた。\\nSee https://x.com now", "b": "ロシア軍。"})
    >>> p[["n_chars", "n_nonspace", "n_sentences", "mean_sentence_chars", "n_urls"]]
            n_chars  n_nonspace  n_sentences  mean_sentence_chars  n_urls
    doc_id
    a            32          29            2                 14.5       1
    b             5           5            1                  5.0       0
    >>> p.loc["a", ["share_kanji", "share_latin", "share_quoted"]].round(3).tolist()
    [0.103, 0.517, 0.103]
    """
    from .quotes import find_quotes
    from .sentences import split_sentences
    from .text import clean as _clean

    docs = documents(corpus_or_texts, "text_profile")
    if not isinstance(clean, (bool, np.bool_)):
        raise TypeError(f"clean must be True or False, got {clean!r}")
    for name, value in (("min_english_words", min_english_words),
                        ("min_quote_chars", min_quote_chars)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    rows = []
    for doc_id, raw in docs:
        text = _clean(raw).masked if clean else raw
        codes = _class_codes(text)
        nonspace = codes != CHAR_CLASSES.index("space")
        n_nonspace = int(nonspace.sum())
        counts = np.bincount(codes, minlength=len(CHAR_CLASSES))
        denom = n_nonspace if n_nonspace else 1
        sents = split_sentences(text)
        cum = np.concatenate([[0], np.cumsum(nonspace)])
        sent_chars = cum[sents["end"].to_numpy()] - cum[sents["start"].to_numpy()]
        quotes = find_quotes(text)
        quotes = quotes[quotes["end"] - quotes["start"] >= min_quote_chars]
        quoted = _quoted_mask(text, quotes) & nonspace
        english = english_passages(text, min_words=min_english_words)
        eng = _quoted_mask(text, english) & nonspace
        row = {"doc_id": doc_id, "n_chars": len(raw), "n_nonspace": n_nonspace,
               "n_sentences": len(sents),
               "mean_sentence_chars": float(sent_chars.mean()) if len(sents) else 0.0}
        for name in CHAR_CLASSES[:-1]:
            row[f"share_{name}"] = counts[CHAR_CLASSES.index(name)] / denom
        row["share_quoted"] = quoted.sum() / denom
        row["n_quotes"] = int((quotes["depth"] == 0).sum())
        row["n_urls"] = len(URL_PATTERN.findall(text))
        row["share_english"] = eng.sum() / denom
        rows.append(row)
    table = pd.DataFrame(rows, columns=["doc_id", *PROFILE_COLUMNS]).set_index("doc_id")
    ints = ["n_chars", "n_nonspace", "n_sentences", "n_quotes", "n_urls"]
    table[ints] = table[ints].astype("int64")
    floats = [c for c in PROFILE_COLUMNS if c not in ints]
    table[floats] = table[floats].astype("float64")
    return table
