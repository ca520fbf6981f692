"""Hash an answer so that a check can compare it without showing it.

Check cells never hold an expected value in plain text: they hold :func:`answer_hash` of
it, and :meth:`utils.course.grading.Checks.hash` compares the student's answer by its hash.
Equal answers hash equally whatever their Python or pandas type.
"""
from __future__ import annotations

import hashlib
import json
import math
import numbers
import sys
from collections.abc import Mapping, Set

__all__ = ["answer_hash"]


def _canonical(value, digits: int | None):
    """Turn a value into plain JSON data so equal answers hash equally."""
    if type(value).__module__ == "numpy" and getattr(value, "shape", None) == ():
        value = value.item()  # numpy scalar -> Python scalar
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isnan(number):
            return "NaN"
        if digits is not None:
            number = round(number, digits)
        if math.isfinite(number) and number.is_integer():
            return int(number)
        return number
    pandas = sys.modules.get("pandas")
    if pandas is not None:
        if isinstance(value, pandas.DataFrame):
            if value.index.is_unique and value.columns.is_unique:
                value = value.to_dict(orient="index")  # {row: {column: value}}
            else:
                return {"columns": _canonical(list(value.columns), digits),
                        "rows": [_canonical(list(row), digits)
                                 for row in value.itertuples(index=True, name=None)]}
        if isinstance(value, pandas.Series):
            value = dict(zip(value.index, value.tolist()))
        elif isinstance(value, pandas.Index):
            value = value.tolist()
    if isinstance(value, Mapping):
        items = [[_canonical(k, digits), _canonical(v, digits)] for k, v in value.items()]
        return {"map": sorted(items, key=lambda kv: json.dumps(kv[0], ensure_ascii=False))}
    if isinstance(value, Set):
        items = [_canonical(v, digits) for v in value]
        return {"set": sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False))}
    if isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
        items = value.tolist() if hasattr(value, "tolist") else value
        return [_canonical(v, digits) for v in items]
    raise TypeError(f"cannot hash a {type(value).__name__}; use a number, a string, a list, "
                    "a dict, a set, a pandas Series or DataFrame")


def answer_hash(value, *, digits: int | None = None) -> str:
    """Return a short, stable hash of an answer, for checks that must not show it.

    Equal answers hash equally whatever their Python type: ``5``, ``5.0`` and
    ``numpy.int64(5)`` agree; a tuple equals a list; a Series hashes like the dict
    ``{index: value}`` and a DataFrame like ``{row: {column: value}}``, so order does
    not matter in them, nor in dicts and sets.
    ``digits`` rounds floats first (``round(x, digits)``), for answers that are ratios.

    >>> answer_hash("停戦") == answer_hash("停戦")
    True
    >>> answer_hash(5) == answer_hash(5.0)
    True
    >>> answer_hash({"a": 1, "b": 2}) == answer_hash({"b": 2, "a": 1})
    True
    >>> answer_hash(0.3333333, digits=3) == answer_hash(1 / 3, digits=3)
    True
    >>> len(answer_hash([1, 2, 3]))
    16
    """
    data = json.dumps(_canonical(value, digits), ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))
    return hashlib.sha256(("jmedia-kit:" + data).encode("utf-8")).hexdigest()[:16]
