"""Normalize, split into sentences and clean Japanese text, always keeping raw offsets.

Three functions, one promise: whatever they change, every position they report is a
Python ``str`` index into the raw text as stored (0-based, end exclusive).
"""
from __future__ import annotations

import csv
import io
import numbers
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

__all__ = ["normalize", "normalize_with_offsets", "split_sentences", "clean", "Cleaned",
           "chrome_patterns", "LINE_BREAKS", "LINE_BREAK"]

# --- normalization -----------------------------------------------------------------

from ._normalize import LINE_BREAKS, NFKC_STABLE, _finish, normalize_with_offsets  # noqa: F401


def normalize(text: str) -> str:
    """Normalize Japanese text for counting: NFKC plus three small, documented rules.

    1. NFKC (Unicode compatibility composition): full-width ASCII becomes half-width
       (``ＣＩＡ`` → ``CIA``, ``！`` → ``!``), half-width katakana becomes full-width
       (``ｷｰｳ`` → ``キーウ``), enclosed and compatibility forms are spelled out
       (``㈱`` → ``(株)``).
    2. Before NFKC, the full-width tilde ``～`` becomes the wave dash ``〜`` (NFKC would
       turn it into ASCII ``~``), so both spellings of 〜 count as one; the ellipses
       ``…`` and ``‥`` are kept as they are (NFKC would make ``…`` three full stops).
    3. After NFKC, every white-space character other than a line break (tab, no-break
       space, the ideographic space U+3000 …) becomes one ASCII space.

    Nothing is lower-cased, deleted or reordered. Use :func:`normalize_with_offsets` to map
    positions back to the raw text.

    >>> normalize("ＮＡＴＯ加盟？　ｷｰｳ～")
    'NATO加盟? キーウ〜'
    """
    return normalize_with_offsets(text)[0]


# --- sentences ---------------------------------------------------------------------

_TERMINATORS = "。．！？!?"
_CLOSERS = "」』）)】〕>》\"'’”"
#: One line break of the kit's texts (``"\r\n"`` counts as one; LINE_BREAKS lists the rest):
#: split_sentences, clean, tokenize and find_quotes end lines at it.
LINE_BREAK = re.compile(f"\r\n|[{LINE_BREAKS}]")
_LINE = re.compile(f"[^{LINE_BREAKS}]+")
# White space trimmed around sentences and lines (\v, \f and \x1f become spaces in
# normalized text, so they are trimmed in raw text too)
_WS = " \t\u3000\u00a0\ufeff\x0b\x0c\x1f"


_SENT_EVENT = re.compile(r"[「『]|[」』]|[%s]+[%s]*|\r\n|[%s]" % (
    re.escape(_TERMINATORS), re.escape(_CLOSERS), LINE_BREAKS))


# The vectorized sentence splitter sorts characters into classes, one byte per code point.
_K_OPEN, _K_QCLOSE, _K_CLOSE, _K_TERM, _K_BREAK, _K_WS = 1, 2, 3, 4, 5, 6
_FAST_MIN_CHARS = 1000  # shorter texts take the loop: numpy's fixed cost outweighs its speed


@lru_cache(maxsize=1)
def _sentence_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(class of each code point, which class may follow which in one chain, depth steps)."""
    classes = np.zeros(0x110000, dtype=np.uint8)
    for chars, kind in (("「『", _K_OPEN), (_CLOSERS, _K_CLOSE), ("」』", _K_QCLOSE),
                        (_TERMINATORS, _K_TERM), (LINE_BREAKS, _K_BREAK), (_WS, _K_WS)):
        classes[[ord(c) for c in chars]] = kind
    link = np.zeros((8, 8), dtype=bool)  # link[previous, next]
    for a, b in ((_K_TERM, _K_TERM), (_K_TERM, _K_QCLOSE), (_K_TERM, _K_CLOSE),
                 (_K_QCLOSE, _K_QCLOSE), (_K_QCLOSE, _K_CLOSE), (_K_CLOSE, _K_QCLOSE),
                 (_K_CLOSE, _K_CLOSE), (_K_WS, _K_WS)):
        link[a, b] = True
    steps = np.zeros(8, dtype=np.int64)
    steps[_K_OPEN], steps[_K_QCLOSE] = 1, -1
    return classes, link, steps


def _sentence_bounds(text: str, max_chars: int | None = None) -> list[tuple[int, int]]:
    """Return (start, end) of each sentence, whitespace-trimmed, empty ones dropped.

    Exactly what :func:`_sentence_bounds_loop` returns (that loop is the definition;
    tests/test_text.py compares the two), computed with numpy on the code points of
    texts of _FAST_MIN_CHARS characters or more, in time linear in the text. Why the
    result is the same:

    * Events. Chains of adjacent special characters are formed the way ``_SENT_EVENT``
      consumes them: a terminator event is a maximal run of terminators plus the closers
      right after it (``[T]+[C]*``, greedy); a chain of closers not so attached holds
      lone 」』 events (other closers there are no event). A line break ends the piece
      before it and starts the next one after it; taking "\\r\\n" as two breaks only adds
      an empty piece between them, which is dropped.
    * Depth. Every step of the loop is ``depth = max(depth + s, 0)``: ``s = +1`` for
      「『, ``-1`` for a lone 」』, ``-k`` for a terminator event holding k 」』 (at depth 0
      the loop leaves depth at 0, which is the same), and a line break sets 0, which is
      the same as a step of -(a bound on depth). Clamping -k at once equals clamping k
      steps of -1, so depth is the clamped walk over 「『 (+1), every 」』 (-1) and line
      breaks; a clamped walk from 0 equals its unclamped partial sum S minus min(0,
      running minimum of S), so depth is 0 exactly where S equals its running minimum.
      A terminator event ends a sentence iff depth is 0 just before it.
    * Trimming: a piece that starts (ends) on a ``_WS`` character starts after (ends
      before) the whole run of them, as lstrip (rstrip) does; a piece left empty is
      dropped. ``_cut_long`` is then applied as before.
    """
    n = len(text)
    if n < _FAST_MIN_CHARS:
        return _sentence_bounds_loop(text, max_chars)
    classes, link, steps = _sentence_tables()
    cls = classes[np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)]
    where = cls.nonzero()[0]
    m = len(where)
    # the special characters, with a sentinel at each end (kind 0, adjacent to nothing)
    pos = np.empty(m + 2, dtype=np.int64)
    pos[0], pos[m + 1] = -2, n + 1
    pos[1:m + 1] = where
    kind = np.zeros(m + 2, dtype=np.uint8)
    kind[1:m + 1] = cls[where]
    # chains: runs of adjacent characters that one event (or one run of _WS) takes
    new = np.ones(m + 2, dtype=bool)
    new[1:] = (pos[1:] - pos[:-1] != 1) | ~link[kind[:-1], kind[1:]]
    first = new.nonzero()[0]
    last = np.empty_like(first)
    last[:-1] = first[1:] - 1
    last[-1] = m + 1
    # quote depth as a walk; a line break steps down by more than any depth
    is_break = kind == _K_BREAK
    breaks = is_break.nonzero()[0]
    step = steps[kind]
    step[breaks] = -(m + 1)
    walk = np.add.accumulate(step)
    low = np.minimum.accumulate(walk)
    emit = (kind[first] == _K_TERM) & (walk[first] == low[first])
    # cut after each terminator event at depth 0 and around each line break
    cuts = np.concatenate((last[emit], breaks))
    cuts.sort()
    at = pos[cuts]
    k = len(cuts)
    starts = np.empty(k + 1, dtype=np.int64)
    starts[0] = 0
    starts[1:] = at + 1
    ends = np.empty(k + 1, dtype=np.int64)
    cut_break = is_break[cuts]
    ends[:k] = at + 1 - cut_break
    ends[k] = n
    if np.count_nonzero(kind == _K_WS):
        chain = np.add.accumulate(new) - 1
        after = np.empty(k + 1, dtype=np.int64)  # the special character at or after a start
        after[0] = 1
        after[1:] = cuts + 1
        lead = (kind[after] == _K_WS) & (pos[after] == starts)
        starts[lead] = pos[last[chain[after[lead]]]] + 1
        before = np.empty(k + 1, dtype=np.int64)  # the one at or before an end - 1
        before[:k] = cuts - cut_break
        before[k] = m
        trail = (kind[before] == _K_WS) & (pos[before] == ends - 1)
        ends[trail] = pos[first[chain[before[trail]]]]
    keep = starts < ends
    bounds = list(zip(starts[keep].tolist(), ends[keep].tolist()))
    if max_chars and any(e - s > max_chars for s, e in bounds):
        bounds = [piece for s, e in bounds for piece in _cut_long(text, s, e, max_chars)]
    return bounds


def _sentence_bounds_loop(text: str, max_chars: int | None = None) -> list[tuple[int, int]]:
    """The reference implementation of :func:`_sentence_bounds`: one Python pass over the
    events that matter (brackets, terminators, line breaks), so the cost grows with the
    number of events, never quadratically. Used for short texts and by tests/test_text.py
    as the definition the fast path must match exactly.
    """
    bounds: list[tuple[int, int]] = []
    append = bounds.append
    depth = 0
    a = 0
    for m in _SENT_EVENT.finditer(text):
        tok = m.group()
        c = tok[0]
        if c in "「『":
            depth += 1
            continue
        if c in "」』":
            depth = depth - 1 if depth else 0
            continue
        if c in LINE_BREAKS:
            depth = 0  # quotes never run across a line break here
            b = m.start()
        elif depth:
            # 。」 closes the quotation that holds the terminator; the sentence goes on
            # (「…。」と述べた。) until a terminator outside quotes
            closed = tok.count("」") + tok.count("』")
            depth = depth - closed if depth > closed else 0
            continue
        else:
            b = m.end()
        piece = text[a:b]
        lead = len(piece) - len(piece.lstrip(_WS))
        trail = len(piece.rstrip(_WS))
        if trail > lead:
            append((a + lead, a + trail))
        a = m.end()
    piece = text[a:]
    lead = len(piece) - len(piece.lstrip(_WS))
    trail = len(piece.rstrip(_WS))
    if trail > lead:
        append((a + lead, a + trail))
    if max_chars and any(e - s > max_chars for s, e in bounds):
        bounds = [piece for s, e in bounds for piece in _cut_long(text, s, e, max_chars)]
    return bounds


def _cut_long(text: str, a: int, b: int, max_chars: int):
    """Cut an over-long sentence at spaces or commas (else hard), in linear time."""
    if max_chars < 1:  # the loop would never end: each cut would go backwards
        raise ValueError(f"max_chars must be at least 1, got {max_chars!r}")
    while b - a > max_chars:
        window = text[a + max_chars // 2: a + max_chars]
        k = max(window.rfind(c) for c in " 、,，")
        cut = a + max_chars // 2 + k + 1 if k >= 0 else a + max_chars
        yield a, cut
        a = cut
    if a < b:
        yield a, b


def split_sentences(text: str) -> pd.DataFrame:
    """Split text into sentences at 。！？ (and ．!?) and at line breaks.

    A terminator inside 「…」 or 『…』 does not end the sentence; closing brackets after a
    terminator (``。」``) stay with it. Offsets are into ``text``; surrounding white space
    is trimmed and empty lines are dropped.

    >>> split_sentences("彼は「停戦だ。今すぐ。」と述べた。本当か？\\n次の行")
       sent_id  start  end              text
    0        0      0   17  彼は「停戦だ。今すぐ。」と述べた。
    1        1     17   21              本当か？
    2        2     22   25               次の行
    """
    if not isinstance(text, str):
        raise TypeError(f"split_sentences expects a str, got {type(text).__name__}: {text!r:.60}")
    bounds = _sentence_bounds(text)
    return pd.DataFrame({
        "sent_id": np.arange(len(bounds), dtype=np.int64),
        "start": np.array([a for a, _ in bounds], dtype=np.int64),
        "end": np.array([b for _, b in bounds], dtype=np.int64),
        "text": [text[a:b] for a, b in bounds],
    })


# --- cleaning ----------------------------------------------------------------------

@lru_cache(maxsize=1)
def chrome_patterns() -> pd.DataFrame:
    """Return the shipped platform-chrome patterns (``utils/data/chrome.tsv``).

    Lines starting with ``# `` in the file are comments. ``kind`` is ``footer`` (the line and everything after it is chrome) or ``line``
    (only matching lines are).

    >>> chrome_patterns().columns.tolist()
    ['kind', 'pattern', 'note']
    """
    raw = resources.files("utils").joinpath("data/chrome.tsv").read_text(encoding="utf-8")
    body = "\n".join(line for line in raw.splitlines() if not line.startswith("# "))
    df = pd.read_csv(io.StringIO(body), sep="\t", dtype=str, keep_default_na=False,
                     quoting=csv.QUOTE_NONE)
    bad = set(df["kind"]) - {"footer", "line"}
    if bad:
        raise ValueError(f"chrome.tsv: unknown kind {sorted(bad)}; use 'footer' or 'line'")
    return df


@dataclass(frozen=True)
class Cleaned:
    """The result of :func:`clean`: the raw text, what was removed, and views of the rest."""

    raw: str
    removed: pd.DataFrame = field(repr=False)

    @property
    def masked(self) -> str:
        """The raw text with removed lines blanked out by spaces: same length, same offsets."""
        chars = list(self.raw)
        for a, b in zip(self.removed["start"], self.removed["end"]):
            chars[a:b] = [" "] * (b - a)
        return "".join(chars)

    @property
    def kept(self) -> pd.DataFrame:
        """Kept lines as (start, end) spans into the raw text."""
        removed = set(zip(self.removed["start"], self.removed["end"]))
        rows = [(m.start(), m.end()) for m in _LINE.finditer(self.raw)
                if (m.start(), m.end()) not in removed and m.group().strip(_WS)]
        return pd.DataFrame(rows, columns=["start", "end"], dtype=np.int64)

    @property
    def text(self) -> str:
        """The kept lines without removed URLs, joined by line breaks (for reading; offsets
        do not carry over: use ``masked`` for that)."""
        urls = self.removed[self.removed["reason"] == "url"]
        if urls.empty:
            return "\n".join(self.raw[a:b] for a, b in zip(self.kept["start"], self.kept["end"]))
        masked = list(self.raw)
        for a, b in zip(urls["start"], urls["end"]):
            masked[a:b] = [""] * (b - a)
        return "\n".join("".join(masked[a:b]) for a, b in zip(self.kept["start"], self.kept["end"]))

    def __repr__(self) -> str:
        n = len(self.removed)
        chars = int((self.removed["end"] - self.removed["start"]).sum()) if n else 0
        by = self.removed["reason"].str.split(":").str[0].value_counts().sort_index()
        what = ", ".join(f"{k} {v}" for k, v in by.items()) or "nothing"
        n_lines = int((self.removed["reason"] != "url").sum())
        urls = f" and {n - n_lines} URLs" if n > n_lines else ""
        return (f"Cleaned(removed {n_lines} lines{urls}, {chars} of {len(self.raw)} "
                f"characters: {what})")


_URL = re.compile(r"https?://[^\s\u3000「」『』（）()<>\[\]{}、。,]+")


def clean(text: str, *, chrome: bool = True, duplicates: bool = True,
          min_duplicate_chars: int = 16, urls: bool = False) -> Cleaned:
    """Remove platform chrome and repeated paragraphs, and report what was removed.

    Chrome is matched line by line, as stored and after :func:`normalize` (so
    half-width ｼｪｱ counts), against :func:`chrome_patterns` (share buttons,
    comment forms, ranking banners, blog navigation …); a ``footer`` pattern removes its
    line and everything after it. A line of at least ``min_duplicate_chars`` characters
    that repeats an earlier kept line (after :func:`normalize`) is removed as a
    duplicate. ``urls=True`` also removes each http(s) URL inside the kept lines (reason
    ``url``), so that https, www and com do not show up among the nouns. Nothing is
    rewritten: the result keeps the raw text and reports removed lines (and URLs) as raw
    offsets, and ``.masked`` blanks them out without moving anything.

    >>> c = clean("本文です。本文の段落はここにあります。\\n本文です。本文の段落はここにあります。\\nXでシェアする")
    >>> c.removed[["start", "end", "reason"]]
       start  end                 reason
    0     20   39  duplicate: of line 1
    1     40   47  chrome: share button
    >>> c.text
    '本文です。本文の段落はここにあります。'
    """
    if not isinstance(text, str):
        raise TypeError(f"clean expects a str, got {type(text).__name__}: {text!r:.60}")
    for name, value in (("chrome", chrome), ("duplicates", duplicates), ("urls", urls)):
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"{name} must be True or False, got {value!r}")
    if isinstance(min_duplicate_chars, (bool, np.bool_)) or not isinstance(
            min_duplicate_chars, numbers.Integral):
        raise TypeError(f"min_duplicate_chars must be an int of at least 1 (characters), got "
                        f"{min_duplicate_chars!r}")
    if min_duplicate_chars < 1:
        raise ValueError(f"min_duplicate_chars must be at least 1, got {min_duplicate_chars}")
    patterns = chrome_patterns() if chrome else chrome_patterns().iloc[0:0]
    compiled = [(k, re.compile(p), note) for k, p, note in patterns.itertuples(index=False)]
    rows = []
    seen: dict[str, int] = {}
    footer = None
    lineno, prev = 1, 0
    for m in _LINE.finditer(text):
        a, b = m.span()
        lineno += len(LINE_BREAK.findall(text, prev, a))  # as str.splitlines() counts them
        prev = a
        s = m.group().strip(_WS)
        if not s:
            continue
        if footer is not None:
            rows.append((a, b, lineno, f"chrome: after {footer}", m.group()))
            continue
        key = normalize(s)  # half-width ｼｪｱ is chrome too, as ＣＩＡ repeats CIA
        hit = next(((k, note) for k, rx, note in compiled if rx.search(s) or rx.search(key)),
                   None)
        if hit:
            kind, note = hit
            rows.append((a, b, lineno, f"chrome: {note}", m.group()))
            if kind == "footer":
                footer = f"{note} (line {lineno})"
            continue
        if duplicates and len(s) >= min_duplicate_chars:
            if key in seen:
                rows.append((a, b, lineno, f"duplicate: of line {seen[key]}", m.group()))
                continue
            seen[key] = lineno
    if urls:
        gone = {(a, b) for a, b, *_ in rows}
        lineno, prev = 1, 0
        for m in _LINE.finditer(text):
            lineno += len(LINE_BREAK.findall(text, prev, m.start()))
            prev = m.start()
            if (m.start(), m.end()) in gone:
                continue
            for u in _URL.finditer(m.group()):
                rows.append((m.start() + u.start(), m.start() + u.end(), lineno, "url", u.group()))
        rows.sort(key=lambda r: r[0])
    removed = pd.DataFrame(rows, columns=["start", "end", "line", "reason", "text"])
    removed = removed.astype({"start": np.int64, "end": np.int64, "line": np.int64})
    return Cleaned(text, removed)
