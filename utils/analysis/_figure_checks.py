"""Check what the figure functions draw: frequency tables, Axes, labels, colours.

Shared by :mod:`utils.analysis.plot` and :mod:`utils.analysis.network`; every check names the bad value and
what would be valid, so nothing fails later inside matplotlib, PIL or wordcloud, and
nothing that cannot be drawn reaches them (a glyph warning would go to stderr).
"""
from __future__ import annotations

import math
import numbers
import re

import matplotlib as mpl
import matplotlib.axes  # noqa: F401  (mpl.axes.Axes)
import numpy as np
import pandas as pd

# Line breaks (what str.splitlines() breaks at; PIL cannot anchor a word cloud word on
# them), other control characters (no font has a glyph: matplotlib warns on stderr) and
# lone surrogates (cannot be encoded): none can be drawn as part of a one-line label.
UNDRAWABLE = "[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]"


def check_positive_int(value, name: str, maximum: int | None = None) -> int:
    """Check that ``value`` (the option ``name``) is an int from 1 to ``maximum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer (1, 2, ...), got {value!r}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum}, got {value!r}")
    return int(value)


def check_label(text, what: str) -> str:
    """Check that ``text`` (a term, title or node) can be drawn as one line of text."""
    found = re.search(UNDRAWABLE, text)
    if found:
        raise ValueError(
            f"{what} {text!r} holds {found.group()!r} (U+{ord(found.group()):04X}), a line "
            f"break or control character; a {what} is drawn on one line: remove it first, "
            "e.g. with .str.replace(r'[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029]', ' ', regex=True)"
        )
    return text


def check_title(title) -> str | None:
    """Check that ``title`` is None or a str that can be drawn on one line."""
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a str or None, got {title!r}")
    return None if title is None else check_label(title, "title")


def check_ax(ax):
    """Check that ``ax`` is None (a new figure) or a matplotlib Axes to draw on."""
    if ax is not None and not isinstance(ax, mpl.axes.Axes):
        raise TypeError(f"ax must be a matplotlib Axes (e.g. from fig, ax = plt.subplots()) "
                        f"or None for a new figure, got {ax!r}")
    return ax


def check_color(color, name: str):
    """Check a PIL colour: None, a name or '#rrggbb' str, or an (r, g, b[, a]) tuple."""
    from PIL import ImageColor

    if color is None:
        return None
    if isinstance(color, str):
        try:
            ImageColor.getrgb(color)
        except ValueError:
            raise ValueError(f"{name} {color!r} is not a colour; use a name such as 'white' "
                             "or a hex code such as '#ffffff'") from None
        return color
    if (isinstance(color, tuple) and len(color) in (3, 4)
            and all(isinstance(c, numbers.Integral) and not isinstance(c, bool)
                    and 0 <= c <= 255 for c in color)):
        return color
    raise TypeError(f"{name} must be a colour name, a hex code or an (r, g, b) tuple of "
                    f"0..255, got {color!r}")


def check_freqs(freqs, column: str = "count", *, by: str | None = None) -> pd.DataFrame:
    """Return a copy of the frequency table with ``column`` as finite floats >= 0."""
    from ..validate import check_frame

    check_frame(freqs, "freqs", "with columns 'term' and 'count', as utils.frequencies returns")
    if not isinstance(column, str):
        raise ValueError(f"column must be a column name (str), got {column!r}")
    needed = ["term", column] + ([by] if by is not None else [])
    missing = [name for name in needed if name not in freqs.columns]
    if missing:
        raise ValueError(
            f"freqs lacks the column(s) {missing}; it has {list(map(str, freqs.columns))}. "
            "A frequency table needs 'term' and a numeric column such as 'count' or 'per_10k'"
        )
    if freqs.empty:
        raise ValueError(
            "freqs is empty (0 rows); pass a frequency table with at least one term"
        )
    values = freqs[column]
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        for term, value in zip(freqs["term"], values):
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise ValueError(
                    f"column {column!r} must hold numbers, but term {term!r} has "
                    f"{value!r} ({type(value).__name__}); convert it first, e.g. "
                    f"freqs[{column!r}] = pd.to_numeric(freqs[{column!r}])"
                )
    table = freqs.copy()
    table[column] = values.astype(float)
    for term, value in zip(table["term"], table[column]):
        if not math.isfinite(value) or value < 0:
            raise ValueError(
                f"column {column!r} must hold finite numbers >= 0, but term {term!r} "
                f"has {value!r}"
            )
    if table["term"].isna().any():
        raise ValueError("column 'term' has missing values (NaN/None); drop those rows first")
    table["term"] = table["term"].astype(str)
    # Python's re, not pandas' .str.contains: with pyarrow installed pandas hands the
    # pattern to pyarrow, which cannot encode the lone surrogates of UNDRAWABLE
    undrawable = re.compile(UNDRAWABLE)
    broken = np.array([bool(undrawable.search(t)) for t in table["term"]], dtype=bool)
    if broken.any():
        check_label(table["term"].iloc[int(broken.argmax())], "term")
    keys = ["term"] if by is None else [by, "term"]
    duplicated = table.duplicated(keys, keep=False)
    if duplicated.any():
        first = table.loc[duplicated, keys].iloc[0].tolist()
        hint = (
            " It looks grouped by document: pass by='doc_id' (plot_zipf) or keep one "
            "document, e.g. freqs[freqs.doc_id == '000']"
            if by is None and "doc_id" in table.columns
            else ""
        )
        raise ValueError(
            f"freqs has several rows for {dict(zip(keys, first))}; each term must appear "
            f"once{' per ' + repr(by) if by else ''}.{hint}"
        )
    return table


def sort_terms(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """Sort by ``column`` descending, ties by term (code point order), stably."""
    return table.sort_values(
        [column, "term"], ascending=[False, True], kind="mergesort", ignore_index=True
    )
