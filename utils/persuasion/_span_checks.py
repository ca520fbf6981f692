"""Checks of single values for :mod:`utils.persuasion.spans`: doc_ids, offsets, paths (internal).

Each returns the reason a value is refused (or raises), so that the span functions can
put the file and line, or the table row, in front of it.
"""
from __future__ import annotations

import numbers
import os

import numpy as np

__all__ = ["MAX_OFFSET", "check_target", "index", "offset_problem"]

#: The largest offset a span table holds (its offsets are int64).
MAX_OFFSET = 2 ** 63 - 1


def offset_problem(field_name: str, value: int | str) -> str | None:
    """Say why an offset (an int, or a field of digits) is too large, or return None.

    Works on the digits, so that a 5,000-digit field never reaches ``int()`` (Python
    refuses to convert more than 4,300 digits).
    """
    if isinstance(value, str):
        digits = value.lstrip("0") or "0"
        if len(digits) <= 19 and int(digits) <= MAX_OFFSET:
            return None
        shown = f"{digits[:12]}… ({len(digits)} digits)"
    else:
        if value <= MAX_OFFSET:
            return None
        size = int(value.bit_length() * 0.30103) + 1       # log10(2)
        shown = (f"{str(value)[:12]}… ({len(str(value))} digits)" if size < 4000
                 else f"of about {size} digits")
    return f"{field_name} {shown} is too large for a character offset (at most {MAX_OFFSET})"


def index(value, name: str) -> int:
    """An int from an integer (numpy ones too); TypeError for bools, floats and the rest."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int (a character offset), got "
                        f"{type(value).__name__} {value!r:.40}")
    return int(value)


def check_target(target, param: str, method: str) -> None:
    """Refuse what is neither a path nor a text buffer with a ``read``/``write`` method."""
    if isinstance(target, (str, os.PathLike)):
        if not os.fspath(target):
            raise ValueError(f"{param} is an empty path; name a span file such as 'gold.tsv'")
        return
    if not callable(getattr(target, method, None)):
        kind = "readable" if method == "read" else "writable"
        raise TypeError(f"{param} must be a file path or a {kind} text buffer (such as "
                        f"open(..., encoding='utf-8') or io.StringIO()), got "
                        f"{type(target).__name__}")
