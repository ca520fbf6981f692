"""Checks of single values for :mod:`utils.spans`: doc_ids, offsets, paths (internal).

Each returns the reason a value is refused (or raises), so that the span functions can
put the file and line, or the table row, in front of it.
"""
from __future__ import annotations

import numbers
import os
import unicodedata
from functools import lru_cache

import numpy as np

__all__ = ["MAX_OFFSET", "check_target", "doc_id_problem", "index", "offset_problem"]

# Characters a doc_id may not hold: controls (tab, CR, LF, \x1c-\x1f, U+0085), format
# characters (the BOM, zero-width space), surrogates and the line/paragraph separators;
# a file could not hold them on one line, or not at all (surrogates are not UTF-8).
NOT_IN_DOC_ID = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
#: The largest offset a span table holds (its offsets are int64).
MAX_OFFSET = 2 ** 63 - 1


def _char_name(char: str) -> str:
    return unicodedata.name(char, f"U+{ord(char):04X}")


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


@lru_cache(maxsize=4096)
def doc_id_problem(doc_id: str) -> str | None:
    """Say why a (non-empty str) doc_id cannot stand in a span file, or return None."""
    for char in doc_id:
        if unicodedata.category(char) in NOT_IN_DOC_ID:
            return (f"doc_id {doc_id!r} holds {char!r} ({_char_name(char)}); a doc_id must be "
                    "one line without tabs, line breaks, control or format characters, "
                    "e.g. '000'")
    if doc_id != doc_id.strip():
        return f"doc_id {doc_id!r} has white space around it; write it as {doc_id.strip()!r}"
    return None


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
