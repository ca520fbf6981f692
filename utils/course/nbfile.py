"""Say why a file is not a Jupyter notebook, in one line that names it.

:func:`utils.course.notebooks.read_notebook` uses this when nbformat cannot read a file (or reads
something that is not a notebook), so that ``release``, ``execute``, ``grade`` and
``export`` answer a master saved as PNG bytes, half a JSON file or ``{"cells": 5}`` with
a sentence instead of nbformat's ``TypeError`` or ``AttributeError``.
"""
from __future__ import annotations

import json
import os

__all__ = ["NotebookFileError", "notebook_problem", "structure_problem", "file_problem",
           "as_notebook", "as_cell"]

CELL_TYPES = ("code", "markdown", "raw")


class NotebookFileError(ValueError):
    """A file that is not a readable Jupyter notebook; the message names it and says why."""


def structure_problem(raw) -> str | None:
    """Return what makes parsed JSON ``raw`` not an nbformat 4 notebook, or None.

    >>> structure_problem({"cells": 5})
    'it is JSON but not a Jupyter notebook ("cells" is a int, not a list)'
    >>> structure_problem({"cells": [{"cell_type": "code", "source": ""}], "metadata": {}})
    """
    if not isinstance(raw, dict):
        return f"it is JSON but not a Jupyter notebook (a {type(raw).__name__}, not an object)"
    if "worksheets" in raw and "cells" not in raw:
        return None  # nbformat 3, which nbformat converts
    cells = raw.get("cells")
    if not isinstance(cells, list):
        what = "has no \"cells\"" if cells is None else \
            f"\"cells\" is a {type(cells).__name__}, not a list"
        return f"it is JSON but not a Jupyter notebook ({what})"
    if "metadata" in raw and not isinstance(raw["metadata"], dict):
        return "its \"metadata\" is not an object"
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict):
            return f"cell {number} is a {type(cell).__name__}, not an object"
        kind = cell.get("cell_type")
        if kind not in CELL_TYPES:
            return f"cell {number} has the cell_type {kind!r}; it must be one of " \
                   + ", ".join(CELL_TYPES)
        source = cell.get("source", "")
        if not (isinstance(source, str)
                or isinstance(source, list) and all(isinstance(s, str) for s in source)):
            return f"cell {number}'s source is a {type(source).__name__}, not text"
        if "metadata" in cell and not isinstance(cell["metadata"], dict):
            return f"cell {number}'s metadata is not an object"
        if kind == "code" and not isinstance(cell.get("outputs", []), list):
            return f"cell {number}'s outputs are not a list"
    return None


def file_problem(raw) -> str | None:
    """Return what makes parsed JSON ``raw`` not a notebook *file*, or None: the shape
    (:func:`structure_problem`) and the ``nbformat`` version every notebook file states
    (without it, nbformat reads the file as version 1 and silently drops its cells).

    >>> file_problem({"cells": []})
    'it has no "nbformat" version (every notebook file states one)'
    """
    problem = structure_problem(raw)
    if problem is None and not isinstance(raw.get("nbformat"), int):
        problem = 'it has no "nbformat" version (every notebook file states one)'
    return problem


def notebook_problem(path: str | os.PathLike) -> str:
    """Return, in words, why the file at ``path`` cannot be read as a notebook.

    Never raises for a file that exists; for one that does not, the OSError says so.
    """
    with open(path, "rb") as handle:
        data = handle.read()
    if not data.strip():
        return "the file is empty"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        return (f"it is not text (byte {err.start} is not UTF-8: is it an image, a PDF or "
                "a zip?)")
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as err:
        return (f"it is not valid JSON (line {err.lineno}, column {err.colno}: {err.msg}); "
                "was it saved completely?")
    return file_problem(raw) or "nbformat cannot read it"


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def as_notebook(nb, *, what: str = "the notebook"):
    """Return ``nb`` as an ``nbformat.NotebookNode``; refuse anything else in words.

    A plain dict shaped like a notebook is converted; something else raises TypeError,
    a dict that is not a notebook :class:`NotebookFileError`.

    >>> as_notebook(None)
    Traceback (most recent call last):
    ...
    TypeError: the notebook must be a notebook (nbformat.NotebookNode, as utils.course.notebooks.read_notebook returns), not NoneType: None
    """
    import nbformat

    if not isinstance(nb, dict):
        raise TypeError(f"{what} must be a notebook (nbformat.NotebookNode, as "
                        "utils.course.notebooks.read_notebook returns), not "
                        f"{type(nb).__name__}: {_short(nb)}")
    problem = structure_problem(nb)
    if problem is None and not isinstance(nb.get("cells"), list):
        problem = "it has no list of cells (an nbformat 3 notebook: read it with read_notebook)"
    if problem:
        raise NotebookFileError(f"{what} is not a notebook: {problem}")
    if isinstance(nb, nbformat.NotebookNode):
        return nb
    return nbformat.from_dict({"metadata": {}, "nbformat": 4, "nbformat_minor": 5, **nb})


def as_cell(cell, *, what: str = "the cell"):
    """Return ``cell`` if it is a notebook cell (a dict); raise TypeError otherwise.

    >>> as_cell({"cell_type": "code", "source": ""})["cell_type"]
    'code'
    """
    if not isinstance(cell, dict):
        raise TypeError(f"{what} must be a notebook cell (a dict such as "
                        f"nbformat.v4.new_code_cell() returns), not {type(cell).__name__}: "
                        f"{_short(cell)}")
    if "metadata" in cell and not isinstance(cell["metadata"], dict):
        raise TypeError(f"{what}'s metadata must be a dict, not "
                        f"{type(cell['metadata']).__name__}: {_short(cell['metadata'])}")
    return cell
