"""Show every occurrence of a word in its context: keyword in context (KWIC, コンコーダンス)."""
from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

from .tokenview import store_of, token_order, variants
from ..validate import (check_bool, check_column_name, check_frame, check_int, check_values,
                       require_columns, whole_numbers)

__all__ = ["kwic", "kwic_lines", "display_width"]

KWIC_COLUMNS = ["doc_id", "sent_id", "token_id", "start", "end", "left", "keyword", "right"]


def _check_keyword(keyword) -> list[str]:
    if isinstance(keyword, str):
        parts = [keyword]
    elif isinstance(keyword, (list, tuple)):
        parts = list(keyword)
        if not parts:
            raise ValueError("keyword is an empty list; pass a word such as '停戦' or a list "
                             "of consecutive tokens such as ['キー', 'ウ']")
    else:
        raise TypeError(f"keyword must be a str such as '停戦' or a list of consecutive "
                        f"tokens such as ['キー', 'ウ'], got {keyword!r} "
                        f"({type(keyword).__name__})")
    for part in parts:
        if not isinstance(part, str):
            raise TypeError(f"keyword parts must be str, got {part!r} in {keyword!r}")
        if part == "":
            raise ValueError(f"keyword contains an empty string: {keyword!r}; pass the "
                             "token values to match, e.g. '停戦'")
    return parts


def _join(surfaces: np.ndarray, starts: np.ndarray, ends: np.ndarray, a: int, b: int,
          sep: str | None) -> str:
    """Join tokens a..b-1; with sep None, put one space where the raw text had a gap."""
    if b <= a:
        return ""
    if sep is not None:
        return sep.join(surfaces[a:b])
    pieces = [surfaces[a]]
    for i in range(a + 1, b):
        if starts[i] > ends[i - 1]:
            pieces.append(" ")
        pieces.append(surfaces[i])
    return "".join(pieces)


def kwic(tokens: pd.DataFrame, keyword, *, window: int = 5, by: str = "surface",
         sep: str | None = None) -> pd.DataFrame:
    """Find every occurrence of ``keyword`` and show it with ``window`` tokens each side.

    ``keyword`` is matched exactly against the ``by`` column (``"surface"`` by default;
    ``by="lemma"`` finds every inflected form). Pass a list of consecutive token values
    for expressions the tokenizer splits, e.g. ``["キー", "ウ"]``. The keyword is also
    tried in its NFKC form and as :func:`utils.normalize` spells it, the form surfaces
    have (``"ＮＡＴＯ"`` finds ``NATO``, ``"～"`` finds ``〜``). Context never crosses a
    document boundary but may cross sentences.

    Context is built from the ``surface`` column. Japanese needs no spaces, so tokens
    are joined directly, with one space only where the raw text had a gap between
    tokens (``start`` of a token after ``end`` of the previous one, as between English
    words or at a line break), also at the edges of the keyword (``left`` then ends,
    or ``right`` starts, with that space); ``sep=" "`` instead shows every token
    boundary.

    Returns one row per match, in text order, with the columns ``doc_id, sent_id,
    token_id`` (of the first matched token), ``start, end`` (raw-text offsets of the
    whole match, end exclusive), ``left, keyword, right``. A keyword that never occurs
    gives an empty table with these columns. Print it with :func:`kwic_lines`.

    >>> toks = pd.DataFrame({"doc_id": "000", "sent_id": 0, "token_id": range(5),
    ...                      "start": [0, 3, 4, 6, 7], "end": [3, 4, 6, 7, 9],
    ...                      "surface": ["ロシア", "が", "停戦", "を", "拒否"]})
    >>> kwic(toks, "停戦", window=2)[["token_id", "start", "end", "left", "keyword", "right"]]
       token_id  start  end   left keyword right
    0         2      4    6  ロシアが      停戦   を拒否
    """
    store = store_of(tokens)
    if store is not None:  # a token store: the documents that hold the keyword
        return store.kwic(keyword, window=window, by=by, sep=sep)
    check_frame(tokens)
    parts = _check_keyword(keyword)
    window = check_int(window, "window", 1)
    by = check_column_name(by, "by", tokens)
    if sep is not None and not isinstance(sep, str):
        raise TypeError(f"sep must be None (join as in the text) or a str such as ' ', "
                        f"got {sep!r}")
    needed = ["doc_id", "sent_id", "token_id", "start", "end", "surface", by]
    require_columns(tokens, needed)
    check_values(tokens, needed)

    order = token_order(tokens)
    docs = tokens["doc_id"].to_numpy()[order]
    values = tokens[by].to_numpy()[order]
    surfaces = tokens["surface"].astype(str).to_numpy()[order]
    position = {c: whole_numbers(tokens, c) for c in ("token_id", "start", "end")}
    starts = position["start"][order]
    ends = position["end"][order]
    sents = tokens["sent_id"].to_numpy()[order]
    ids = position["token_id"][order]

    hits = _matches(values, docs, parts)
    rows = _rows(hits, len(parts), docs, sents, ids, surfaces, starts, ends, window, sep)
    dtypes = {c: position[c].dtype if c in position else tokens[c].dtype
              for c in KWIC_COLUMNS[:5]}
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, str)) for c in KWIC_COLUMNS})
    table = pd.DataFrame(rows, columns=KWIC_COLUMNS)
    for c in KWIC_COLUMNS[:5]:
        table[c] = table[c].astype(dtypes[c])
    return table


def _matches(values: np.ndarray, docs: np.ndarray, parts: list) -> np.ndarray:
    """Positions where the ``parts`` of a keyword follow each other in one document."""
    k = len(parts)
    m = len(values) - k + 1
    if m <= 0:
        return np.zeros(0, dtype=np.int64)
    match = np.ones(m, dtype=bool)
    for j, part in enumerate(parts):
        match &= pd.Series(values[j:j + m]).isin(variants(part)).to_numpy()
        match &= docs[j:j + m] == docs[:m]
    return np.flatnonzero(match)


def _rows(hits, k, docs, sents, ids, surfaces, starts, ends, window, sep) -> list[dict]:
    """One KWIC row per match of ``k`` tokens: its context, within its document."""
    rows = []
    if not len(hits):
        return rows
    change = np.flatnonzero(docs[1:] != docs[:-1]) + 1
    doc_start = np.concatenate([[0], change])
    doc_end = np.concatenate([change, [len(docs)]])
    which = np.searchsorted(doc_start, hits, side="right") - 1
    for i, d in zip(hits.tolist(), which.tolist()):
        last = i + k
        first, stop = max(doc_start[d], i - window), min(doc_end[d], last + window)
        left = _join(surfaces, starts, ends, first, i, sep)
        right = _join(surfaces, starts, ends, last, stop, sep)
        if sep is None and first < i and starts[i] > ends[i - 1]:
            left += " "  # the raw text has a gap before the keyword
        if sep is None and last < stop and starts[last] > ends[last - 1]:
            right = " " + right
        rows.append({
            "doc_id": docs[i], "sent_id": sents[i], "token_id": ids[i],
            "start": starts[i], "end": ends[last - 1],
            "left": left, "keyword": _join(surfaces, starts, ends, i, last, sep),
            "right": right,
        })
    return rows


# ---------------------------------------------------------------- text rendering

def _char_width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Measure how many terminal columns ``text`` takes: 2 per wide (全角) character.

    Wide and fullwidth characters (``unicodedata.east_asian_width`` W or F) count 2,
    combining marks 0, everything else (including ambiguous-width characters such
    as ``…``) 1, as in a monospaced terminal font.

    >>> display_width("停戦 NATO")
    9
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {text!r}")
    return sum(_char_width(ch) for ch in text)


def _clip_left(text: str, width: int) -> str:
    """Keep the end of ``text`` within ``width`` columns, ``…`` marking the cut."""
    if display_width(text) <= width:
        return text
    kept, used = [], 0
    for ch in reversed(text):
        used += _char_width(ch)
        if used > width - 1:
            break
        kept.append(ch)
    return "…" + "".join(reversed(kept))


def _clip_right(text: str, width: int) -> str:
    """Keep the start of ``text`` within ``width`` columns, ``…`` marking the cut."""
    if display_width(text) <= width:
        return text
    kept, used = [], 0
    for ch in text:
        used += _char_width(ch)
        if used > width - 1:
            break
        kept.append(ch)
    return "".join(kept) + "…"


def _one_line(text: str, what: str) -> None:
    """Refuse a line break inside ``text``: it would break the alignment of the lines."""
    if len(text.splitlines()) > 1 or text.endswith(("\n", "\r")) or (
            text and text != text.splitlines()[0]):
        raise ValueError(f"{what} holds a line break in {text!r}; kwic_lines prints one line "
                         "per match: use sep=None or a sep without line breaks in kwic")
    surrogate = next((ch for ch in text if "\ud800" <= ch <= "\udfff"), None)
    if surrogate is not None:
        raise ValueError(f"{what} holds the lone surrogate {surrogate!r} in {text!r}, which "
                         "cannot be printed; a token table from utils.tokenize never has one")


def kwic_lines(table: pd.DataFrame, *, width: int | None = None, ids: bool = True,
               brackets: tuple[str, str] = ("【", "】")) -> str:
    """Render a :func:`kwic` table as aligned text lines, keyword in one column.

    The left context is right-aligned by display width (wide Japanese characters
    count as two columns, see :func:`display_width`), so the keywords line up in a
    monospaced font. ``width`` clips each context to that many columns (``…`` marks a
    cut); ``ids`` prefixes each line with ``doc_id:sent_id``; ``brackets`` surround
    the keyword. Returns one str; ``print`` it, e.g. ``print(kwic_lines(kwic(toks,
    "停戦")))`` or ``kwic(toks, "停戦").pipe(kwic_lines)``. An empty table gives ``""``.

    >>> table = pd.DataFrame({"doc_id": ["000", "003"], "sent_id": [4, 12],
    ...                       "left": ["ロシアが", "部分"], "keyword": ["停戦", "停戦"],
    ...                       "right": ["を拒否", "合意に"]})
    >>> print(kwic_lines(table))
    000:4   ロシアが【停戦】を拒否
    003:12      部分【停戦】合意に
    """
    check_frame(table, "table")
    require_columns(table, ["left", "keyword", "right"] + (["doc_id", "sent_id"] if ids else []),
                     name="table", why=" (a table from utils.kwic)")
    if width is not None:
        width = check_int(width, "width", 1)
    ids = check_bool(ids, "ids")
    if (not isinstance(brackets, (tuple, list)) or len(brackets) != 2
            or not all(isinstance(b, str) for b in brackets)):
        raise TypeError(f"brackets must be a pair of str such as ('【', '】'), got {brackets!r}")
    for b in brackets:
        _one_line(b, "brackets")
    if len(table) == 0:
        return ""
    check_values(table, ["left", "keyword", "right"], name="table")
    for column in ("left", "keyword", "right"):
        for value in table[column]:
            if not isinstance(value, str):
                raise TypeError(f"column {column!r} of table must hold str (contexts from "
                                f"utils.kwic), got {value!r}")
            _one_line(value, f"column {column!r} of table")
    lefts = list(table["left"])
    rights = list(table["right"])
    if width is not None:
        lefts = [_clip_left(s, width) for s in lefts]
        rights = [_clip_right(s, width) for s in rights]
    prefixes = ([f"{d}:{s}" for d, s in zip(table["doc_id"], table["sent_id"])]
                if ids else [""] * len(table))
    pre_w = max(display_width(p) for p in prefixes)
    left_w = max(display_width(s) for s in lefts)
    open_, close = brackets
    lines = []
    for prefix, left, kw, right in zip(prefixes, lefts, table["keyword"], rights):
        head = prefix + " " * (pre_w - display_width(prefix)) + ("  " if ids else "")
        pad = " " * (left_w - display_width(left))
        lines.append(f"{head}{pad}{left}{open_}{kw}{close}{right}".rstrip())
    return "\n".join(lines)
