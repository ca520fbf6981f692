"""Normalize and clean Japanese text, always keeping raw offsets.

Whatever they change, every position these functions report is a Python ``str`` index
into the raw text as stored (0-based, end exclusive); :mod:`utils.analysis.sentences` splits text
into sentences under the same promise.
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

__all__ = ["normalize", "normalize_with_offsets", "clean", "Cleaned", "chrome_patterns",
           "LINE_BREAKS", "LINE_BREAK"]

# --- normalization -----------------------------------------------------------------

from ._normalize import LINE_BREAKS, TRIMMED, normalize_with_offsets


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


#: One line break of the kit's texts (``"\r\n"`` counts as one; LINE_BREAKS lists the rest):
#: split_sentences, clean, tokenize and find_quotes end lines at it.
LINE_BREAK = re.compile(f"\r\n|[{LINE_BREAKS}]")
_LINE = re.compile(f"[^{LINE_BREAKS}]+")


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
                if (m.start(), m.end()) not in removed and m.group().strip(TRIMMED)]
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
        s = m.group().strip(TRIMMED)
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
