"""Follow nbgrader's rules for cells: metadata, locks, checksums and grades.

nbgrader's cell metadata (schema v3) is read with :func:`nbgrader_meta`, :func:`is_grade`,
:func:`is_solution`, :func:`is_locked`; :func:`compute_checksum` and :func:`determine_grade`
follow ``nbgrader/utils.py`` so that both tools agree on every cell.
"""
from __future__ import annotations

import hashlib

from .nbfile import as_cell

__all__ = ["nbgrader_meta", "is_grade", "is_solution", "is_locked", "compute_checksum",
           "error_of", "determine_grade"]

def nbgrader_meta(cell) -> dict:
    """Return a cell's ``metadata.nbgrader`` dict, or ``{}`` when it has none."""
    meta = (as_cell(cell).get("metadata") or {}).get("nbgrader")
    return meta if isinstance(meta, dict) else {}


def is_grade(cell) -> bool:
    """Tell whether nbgrader grades this cell (``grade: true``)."""
    return bool(nbgrader_meta(cell).get("grade", False))


def is_solution(cell) -> bool:
    """Tell whether this cell holds a student's answer (``solution: true``)."""
    return bool(nbgrader_meta(cell).get("solution", False))


def is_locked(cell) -> bool:
    """Tell whether nbgrader treats this cell as read-only, exactly as nbgrader does.

    A solution cell is never locked; a grade (check) cell always is.
    """
    meta = nbgrader_meta(cell)
    if not meta:
        return False
    if is_solution(cell):
        return False
    if is_grade(cell):
        return True
    return bool(meta.get("locked", False))


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def compute_checksum(cell) -> str:
    """Compute nbgrader's cell checksum: md5 over source, type, flags, id and points.

    Same bytes, same order as ``nbgrader.utils.compute_checksum``, so nbgrader accepts the
    checksums that ``python -m utils release`` writes.

    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell("x = 1")
    >>> cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True,
    ...     "grade_id": "ex00_01", "points": 2, "schema_version": 3}
    >>> compute_checksum(cell)
    '67bb7d16572774b63ab78d89ea0facfa'
    """
    meta = nbgrader_meta(cell)
    digest = hashlib.md5()
    digest.update(_source(cell).encode("utf-8"))
    digest.update(str(cell.get("cell_type")).encode("utf-8"))
    digest.update(str(is_grade(cell)).encode("utf-8"))
    digest.update(str(is_solution(cell)).encode("utf-8"))
    digest.update(str(is_locked(cell)).encode("utf-8"))
    digest.update(str(meta["grade_id"]).encode("utf-8"))
    if is_grade(cell):
        digest.update(str(float(meta["points"])).encode("utf-8"))
    return digest.hexdigest()


def _partial_grade(output, max_points: float) -> float | None:
    """nbgrader's reading of an ``execute_result``: a single number in (0, max] is the grade.

    Returns ``None`` for a number above ``max_points`` (nbgrader stops with an error there).
    """
    text = (output.get("data") or {}).get("text/plain", "")
    if isinstance(text, list):
        if len(text) > 1:
            return max_points
        text = text[0] if text else ""
    try:
        grade = float(text)
    except (TypeError, ValueError):
        return max_points
    if grade > 0.0:
        return None if grade > max_points else grade
    return max_points


def error_of(cell) -> tuple[str, str] | None:
    """Return ``(ename, evalue)`` of the first error output of an executed cell, or None.

    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell("1/0")
    >>> cell.outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError",
    ...                                        evalue="division by zero", traceback=[])]
    >>> error_of(cell)
    ('ZeroDivisionError', 'division by zero')
    """
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return output.get("ename", ""), output.get("evalue", "")
    return None


def determine_grade(cell) -> tuple[float | None, float]:
    """Score an executed grade cell the way nbgrader's ``determine_grade`` does.

    An ``error`` output or any ``stderr`` stream is zero; an ``execute_result`` that
    parses as a number in (0, points] is partial credit; anything else is full marks. A
    markdown answer cell needs a person (``None``) unless it is still the released stub.
    Returns ``(points or None, max_points)``; ``points`` is ``None`` when it must be read
    by hand, and also for a partial-credit number above ``max_points``.

    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell("check()")
    >>> cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True,
    ...     "grade_id": "ex00_01", "points": 2, "schema_version": 3}
    >>> cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="✅\\n")]
    >>> determine_grade(cell)
    (2.0, 2.0)
    >>> cell.outputs = [nbformat.v4.new_output("error", ename="CheckFailed", evalue="?",
    ...                                        traceback=[])]
    >>> determine_grade(cell)
    (0, 2.0)
    """
    if not is_grade(cell):
        raise ValueError(f"cell {nbgrader_meta(cell).get('grade_id')!r} is not a grade cell")
    max_points = float(nbgrader_meta(cell)["points"])
    if is_solution(cell):
        meta = nbgrader_meta(cell)
        if "checksum" in meta and meta["checksum"] == compute_checksum(cell):
            return 0, max_points
        return None, max_points
    if cell.get("cell_type") == "code":
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "error" or (kind == "stream" and output.get("name") == "stderr"):
                return 0, max_points
            if kind == "execute_result":
                return _partial_grade(output, max_points), max_points
        return max_points, max_points
    return None, max_points
