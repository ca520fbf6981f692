"""Split Japanese text into sentences, with offsets into the raw text.

A sentence ends at 。！？ (and ．!?) outside 「…」 and 『…』, with the closing brackets
that follow the terminator, and at every line break. :func:`sentence_bounds` is the fast
path (numpy, linear time) of :func:`sentence_bounds_loop`, the definition; the tokenizer
uses the bounds, students :func:`split_sentences`.
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from ._normalize import LINE_BREAKS, TRIMMED

__all__ = ["split_sentences"]

_TERMINATORS = "。．！？!?"
_CLOSERS = "」』）)】〕>》\"'’”"


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
                        (_TERMINATORS, _K_TERM), (LINE_BREAKS, _K_BREAK), (TRIMMED, _K_WS)):
        classes[[ord(c) for c in chars]] = kind
    link = np.zeros((8, 8), dtype=bool)  # link[previous, next]
    for a, b in ((_K_TERM, _K_TERM), (_K_TERM, _K_QCLOSE), (_K_TERM, _K_CLOSE),
                 (_K_QCLOSE, _K_QCLOSE), (_K_QCLOSE, _K_CLOSE), (_K_CLOSE, _K_QCLOSE),
                 (_K_CLOSE, _K_CLOSE), (_K_WS, _K_WS)):
        link[a, b] = True
    steps = np.zeros(8, dtype=np.int64)
    steps[_K_OPEN], steps[_K_QCLOSE] = 1, -1
    return classes, link, steps


# Why sentence_bounds returns what sentence_bounds_loop returns:
#
# * Events. Chains of adjacent special characters are formed the way ``_SENT_EVENT``
#   consumes them: a terminator event is a maximal run of terminators plus the closers
#   right after it (``[T]+[C]*``, greedy); a chain of closers not so attached holds
#   lone 」』 events (other closers there are no event). A line break ends the piece
#   before it and starts the next one after it; taking "\r\n" as two breaks only adds
#   an empty piece between them, which is dropped.
# * Depth. Every step of the loop is ``depth = max(depth + s, 0)``: ``s = +1`` for
#   「『, ``-1`` for a lone 」』, ``-k`` for a terminator event holding k 」』 (at depth 0
#   the loop leaves depth at 0, which is the same), and a line break sets 0, which is
#   the same as a step of -(a bound on depth). Clamping -k at once equals clamping k
#   steps of -1, so depth is the clamped walk over 「『 (+1), every 」』 (-1) and line
#   breaks; a clamped walk from 0 equals its unclamped partial sum S minus min(0,
#   running minimum of S), so depth is 0 exactly where S equals its running minimum.
#   A terminator event ends a sentence iff depth is 0 just before it.
# * Trimming: a piece that starts (ends) on a ``TRIMMED`` character starts after (ends
#   before) the whole run of them, as lstrip (rstrip) does; a piece left empty is
#   dropped. ``cut_long`` is then applied as before.
def sentence_bounds(text: str, max_chars: int | None = None) -> list[tuple[int, int]]:
    """Return (start, end) of each sentence, whitespace-trimmed, empty ones dropped.

    Exactly what :func:`sentence_bounds_loop` returns (that loop is the definition;
    tests/analysis/test_text.py compares the two), computed with numpy on the code points of
    texts of _FAST_MIN_CHARS characters or more, in time linear in the text (why the
    result is the same: see the comment above this function).
    """
    n = len(text)
    if n < _FAST_MIN_CHARS:
        return sentence_bounds_loop(text, max_chars)
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
    # chains: runs of adjacent characters that one event (or one run of TRIMMED) takes
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
        bounds = [piece for s, e in bounds for piece in cut_long(text, s, e, max_chars)]
    return bounds


def sentence_bounds_loop(text: str, max_chars: int | None = None) -> list[tuple[int, int]]:
    """The reference implementation of :func:`sentence_bounds`: one Python pass over the
    events that matter (brackets, terminators, line breaks), so the cost grows with the
    number of events, never quadratically. Used for short texts and by tests/analysis/test_text.py
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
        lead = len(piece) - len(piece.lstrip(TRIMMED))
        trail = len(piece.rstrip(TRIMMED))
        if trail > lead:
            append((a + lead, a + trail))
        a = m.end()
    piece = text[a:]
    lead = len(piece) - len(piece.lstrip(TRIMMED))
    trail = len(piece.rstrip(TRIMMED))
    if trail > lead:
        append((a + lead, a + trail))
    if max_chars and any(e - s > max_chars for s, e in bounds):
        bounds = [piece for s, e in bounds for piece in cut_long(text, s, e, max_chars)]
    return bounds


def cut_long(text: str, a: int, b: int, max_chars: int):
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
    bounds = sentence_bounds(text)
    return pd.DataFrame({
        "sent_id": np.arange(len(bounds), dtype=np.int64),
        "start": np.array([a for a, _ in bounds], dtype=np.int64),
        "end": np.array([b for _, b in bounds], dtype=np.int64),
        "text": [text[a:b] for a, b in bounds],
    })
