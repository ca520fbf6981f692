"""Normalization with raw offsets, in time linear in the text (used by :mod:`utils.analysis.text`).

NFKC works on *units*: a character and the characters after it that may merge with it
(combining marks, voicing marks, the second half of a canonical pair such as Bengali
U+09BE, Hangul vowel and final jamo, and anything that decomposes to one of these). No
unit interacts with another, so NFKC of a text is the NFKC of its units put together,
and each normalized character comes from exactly one unit. The units and their
normalized lengths are found with numpy over the code points; only units of two or more
characters (rare) are normalized one by one.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np

# One-to-one replacements applied before NFKC (so they never move offsets): the
# full-width tilde becomes the wave dash, and the ellipses … ‥ are parked on private-use
# code points, which NFKC leaves alone, and put back afterwards (NFKC would turn … into
# three full stops, which the tagger reads as three tokens).
# (str.replace is used, not str.translate: it is many times faster on Japanese text.)
_PRE = (("\uff5e", "\u301c"), ("\u2053", "\u301c"), ("\u2026", "\ue026"), ("\u2025", "\ue025"))
_POST = (("\ue026", "\u2026"), ("\ue025", "\u2025"))
# Characters NFKC never changes and that make up most Japanese prose: ASCII, hiragana,
# katakana, CJK ideographs, the usual punctuation and brackets. A text made only of them
# skips NFKC (tests/analysis/test_text.py checks every one of them against unicodedata).
NFKC_STABLE = ("\n\r\x20-\x7e\u3001-\u3003\u3005-\u3007\u3008-\u3011\u3014-\u301c"
               "\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fb-\u30fe\u4e00-\u9fff")
_UNSTABLE = re.compile(f"[^{NFKC_STABLE}]")
# Characters that NFKC may merge with the character before them (see the module
# docstring), in Unicode 15.0/15.1 (Python 3.12, 3.13), which holds those of Unicode 14.0
# (Python 3.11): tests/analysis/test_text.py derives the set from this Python's unicodedata and
# checks that it is covered, and that the rest is unassigned in this Python's Unicode.
JOINERS = (
    "\u0300-\u034e\u0350-\u036f\u0483-\u0487\u0591-\u05bd\u05bf\u05c1-\u05c2"
    "\u05c4-\u05c5\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4"
    "\u06e7-\u06e8\u06ea-\u06ed\u0711\u0730-\u074a\u07eb-\u07f3\u07fd\u0816-\u0819"
    "\u081b-\u0823\u0825-\u0827\u0829-\u082d\u0859-\u085b\u0898-\u089f\u08ca-\u08e1"
    "\u08e3-\u08ff\u093c\u094d\u0951-\u0954\u09bc\u09be\u09cd\u09d7\u09fe\u0a3c\u0a4d"
    "\u0abc\u0acd\u0b3c\u0b3e\u0b4d\u0b56-\u0b57\u0bbe\u0bcd\u0bd7\u0c3c\u0c4d"
    "\u0c55-\u0c56\u0cbc\u0cc2\u0ccd\u0cd5-\u0cd6\u0d3b-\u0d3c\u0d3e\u0d4d\u0d57"
    "\u0dca\u0dcf\u0ddf\u0e38-\u0e3a\u0e48-\u0e4b\u0eb8-\u0eba\u0ec8-\u0ecb"
    "\u0f18-\u0f19\u0f35\u0f37\u0f39\u0f71-\u0f75\u0f7a-\u0f7d\u0f80-\u0f84"
    "\u0f86-\u0f87\u0fc6\u102e\u1037\u1039-\u103a\u108d\u1161-\u1175\u11a8-\u11c2"
    "\u135d-\u135f\u1714-\u1715\u1734\u17d2\u17dd\u18a9\u1939-\u193b\u1a17-\u1a18"
    "\u1a60\u1a75-\u1a7c\u1a7f\u1ab0-\u1abd\u1abf-\u1ace\u1b34-\u1b35\u1b44"
    "\u1b6b-\u1b73\u1baa-\u1bab\u1be6\u1bf2-\u1bf3\u1c37\u1cd0-\u1cd2\u1cd4-\u1ce0"
    "\u1ce2-\u1ce8\u1ced\u1cf4\u1cf8-\u1cf9\u1dc0-\u1dff\u20d0-\u20dc\u20e1"
    "\u20e5-\u20f0\u2cef-\u2cf1\u2d7f\u2de0-\u2dff\u302a-\u302f\u3099-\u309a\u3133"
    "\u3135-\u3136\u313a-\u313f\u314f-\u3163\ua66f\ua674-\ua67d\ua69e-\ua69f"
    "\ua6f0-\ua6f1\ua806\ua82c\ua8c4\ua8e0-\ua8f1\ua92b-\ua92d\ua953\ua9b3\ua9c0"
    "\uaab0\uaab2-\uaab4\uaab7-\uaab8\uaabe-\uaabf\uaac1\uaaf6\uabed\ufb1e"
    "\ufe20-\ufe2f\uff9e-\uff9f\uffa3\uffa5-\uffa6\uffaa-\uffaf\uffc2-\uffc7"
    "\uffca-\uffcf\uffd2-\uffd7\uffda-\uffdc\U000101fd\U000102e0\U00010376-\U0001037a"
    "\U00010a0d\U00010a0f\U00010a38-\U00010a3a\U00010a3f\U00010ae5-\U00010ae6"
    "\U00010d24-\U00010d27\U00010eab-\U00010eac\U00010efd-\U00010eff"
    "\U00010f46-\U00010f50\U00010f82-\U00010f85\U00011046\U00011070\U0001107f"
    "\U000110b9-\U000110ba\U00011100-\U00011102\U00011127\U00011133-\U00011134"
    "\U00011173\U000111c0\U000111ca\U00011235-\U00011236\U000112e9-\U000112ea"
    "\U0001133b-\U0001133c\U0001133e\U0001134d\U00011357\U00011366-\U0001136c"
    "\U00011370-\U00011374\U00011442\U00011446\U0001145e\U000114b0\U000114ba"
    "\U000114bd\U000114c2-\U000114c3\U000115af\U000115bf-\U000115c0\U0001163f"
    "\U000116b6-\U000116b7\U0001172b\U00011839-\U0001183a\U00011930"
    "\U0001193d-\U0001193e\U00011943\U000119e0\U00011a34\U00011a47\U00011a99"
    "\U00011c3f\U00011d42\U00011d44-\U00011d45\U00011d97\U00011f41-\U00011f42"
    "\U00016af0-\U00016af4\U00016b30-\U00016b36\U00016ff0-\U00016ff1\U0001bc9e"
    "\U0001d165-\U0001d169\U0001d16d-\U0001d172\U0001d17b-\U0001d182"
    "\U0001d185-\U0001d18b\U0001d1aa-\U0001d1ad\U0001d242-\U0001d244"
    "\U0001e000-\U0001e006\U0001e008-\U0001e018\U0001e01b-\U0001e021"
    "\U0001e023-\U0001e024\U0001e026-\U0001e02a\U0001e08f\U0001e130-\U0001e136"
    "\U0001e2ae\U0001e2ec-\U0001e2ef\U0001e4ec-\U0001e4ef\U0001e8d0-\U0001e8d6"
    "\U0001e944-\U0001e94a"
)
# After NFKC: white space other than line breaks becomes one ASCII space each (\x1f, the
# unit separator, is white space to Python but a symbol to MeCab).
# (No rule turns a dash between katakana into the long-vowel mark ー, as some Japanese
# normalizers do: in news text that dash more often joins two names, ロシア-ウクライナ.)
_SPACE_CHARS = ("\t\x0b\x0c\x1f\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
                "\u2008\u2009\u200a\u202f\u205f\u3000")
#: Line breaks of the kit: what str.splitlines() splits at, except \v and \f (which
#: normalize() makes spaces): \n, \r, the file/group/record separators, NEL and the
#: Unicode line and paragraph separators. "\r\n" is one break (see utils.analysis.text.LINE_BREAK).
LINE_BREAKS = "\n\r\x1c\x1d\x1e\x85\u2028\u2029"
# White space trimmed around sentences and lines (\v, \f and \x1f become spaces in
# normalized text, so they are trimmed in raw text too)
TRIMMED = " \t\u3000\u00a0\ufeff\x0b\x0c\x1f"
# NFKC joins nothing across any of these, nor across \v and \f
_BREAK_POINTS = np.array([ord(c) for c in LINE_BREAKS + "\x0b\x0c"], dtype=np.uint32)
_SPACES = str.maketrans({c: " " for c in _SPACE_CHARS})
_SPACES_RX = re.compile(f"[{_SPACE_CHARS}]")


def _finish(s: str) -> str:
    if _SPACES_RX.search(s):
        s = s.translate(_SPACES)
    for a, b in _POST:
        s = s.replace(a, b)
    return s


def _ranges(spec: str) -> list[tuple[int, int]]:
    """Inclusive code point ranges of a regex character-class body such as 'a-z\\u3000'."""
    out, i = [], 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            out.append((ord(spec[i]), ord(spec[i + 2])))
            i += 3
        else:
            out.append((ord(spec[i]), ord(spec[i])))
            i += 1
    return out


@lru_cache(maxsize=1)
def _tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(is unstable, is a joiner, NFKC length or -1 if not yet known) per code point."""
    unstable = np.ones(0x110000, dtype=bool)
    for lo, hi in _ranges(NFKC_STABLE):
        unstable[lo:hi + 1] = False
    joiner = np.zeros(0x110000, dtype=bool)
    for lo, hi in _ranges(JOINERS):
        joiner[lo:hi + 1] = True
    return unstable, joiner, np.full(0x110000, -1, dtype=np.int16)


def _nfkc_by_units(pre: str) -> tuple[str, np.ndarray | None, np.ndarray | None]:
    """NFKC of ``pre`` and the raw (start, end) of each of its characters: the unit it
    comes from; None, None when every unit is one character that stays one character (a
    unit of several characters is mapped as a whole even when NFKC leaves it as it is).

    Only runs of units that hold an unstable character are normalized (NFKC of a whole
    text costs far more than finding them), each run at once.
    """
    unstable, joiner, nfkc_len = _tables()
    points = np.frombuffer(pre.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    first = ~joiner[points]
    first[0] = True
    # a line break joins nothing: the marks after it start a unit of their own
    first[1:] |= np.isin(points[:-1], _BREAK_POINTS)
    unit_start = np.flatnonzero(first)
    unit_end = np.empty_like(unit_start)
    unit_end[:-1] = unit_start[1:]
    unit_end[-1] = len(points)
    out_len = np.ones(len(unit_start), dtype=np.int64)
    multi = np.flatnonzero(unit_end - unit_start > 1)
    single = unstable[points[unit_start]]
    single[multi] = False
    codes = points[unit_start[single]]
    lens = nfkc_len[codes]
    if (lens < 0).any():
        for c in np.unique(codes[lens < 0]).tolist():
            nfkc_len[c] = len(unicodedata.normalize("NFKC", chr(c)))
        lens = nfkc_len[codes]
    out_len[single] = lens
    cache: dict[str, int] = {}
    for u, a, b in zip(multi.tolist(), unit_start[multi].tolist(), unit_end[multi].tolist()):
        piece = pre[a:b]
        n = cache.get(piece)
        if n is None:
            n = cache[piece] = len(unicodedata.normalize("NFKC", piece))
        out_len[u] = n
    norm = _nfkc_runs(pre, unit_start, unit_end, single, multi)
    if int(out_len.sum()) != len(norm):
        # JOINERS out of date for this Python's Unicode (a test guards against this):
        # fall back to NFKC of the whole text and whole lines, which NFKC never joins
        norm = unicodedata.normalize("NFKC", pre)
        return (norm, *_line_offsets(pre))
    if len(multi) == 0 and bool((lens == 1).all()):
        return norm, None, None
    return norm, np.repeat(unit_start, out_len), np.repeat(unit_end, out_len)


def _nfkc_runs(pre: str, unit_start: np.ndarray, unit_end: np.ndarray, single: np.ndarray,
               multi: np.ndarray) -> str:
    """NFKC of ``pre``: each run of consecutive units that NFKC may change, normalized."""
    dirty = single.copy()
    dirty[multi] = True
    units = np.flatnonzero(dirty)
    if not len(units):
        return pre
    gap = np.flatnonzero(np.diff(units) > 1)
    run_a = unit_start[units[np.concatenate(([0], gap + 1))]].tolist()
    run_b = unit_end[units[np.concatenate((gap, [len(units) - 1]))]].tolist()
    if len(run_a) > len(pre) // 16:  # scattered: one call over everything is cheaper
        return unicodedata.normalize("NFKC", pre)
    parts, last = [], 0
    for a, b in zip(run_a, run_b):
        parts.append(pre[last:a])
        parts.append(unicodedata.normalize("NFKC", pre[a:b]))
        last = b
    parts.append(pre[last:])
    return "".join(parts)


def _line_offsets(pre: str) -> tuple[np.ndarray, np.ndarray]:
    starts, ends, pos = [], [], 0
    for line in pre.splitlines(keepends=True):
        n = len(unicodedata.normalize("NFKC", line))
        starts.append(np.full(n, pos))
        ends.append(np.full(n, pos + len(line)))
        pos += len(line)
    return np.concatenate(starts), np.concatenate(ends)


def normalize_with_offsets(text: str) -> tuple[str, np.ndarray | None, np.ndarray | None]:
    """Normalize ``text`` and return where each normalized character came from.

    Returns ``(normalized, starts, ends)``: normalized character ``i`` comes from
    ``text[starts[i]:ends[i]]``. Both arrays are ``None`` when normalization kept every
    character in place (the usual case), which callers can treat as the identity.

    >>> norm, starts, ends = normalize_with_offsets("ｷｰｳは㈱")
    >>> norm, starts.tolist(), ends.tolist()
    ('キーウは(株)', [0, 1, 2, 3, 4, 4, 4], [1, 2, 3, 4, 5, 5, 5])
    """
    if not isinstance(text, str):
        raise TypeError(f"normalize expects a str, got {type(text).__name__}: {text!r:.60}")
    pre = text
    for a, b in _PRE:
        pre = pre.replace(a, b)
    if not _UNSTABLE.search(pre):
        return _finish(pre), None, None
    norm, starts, ends = _nfkc_by_units(pre)
    return _finish(norm), starts, ends
