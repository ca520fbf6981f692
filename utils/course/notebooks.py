"""Read and write the kit's notebooks: where they live, and files the same on every machine.

:func:`read_notebook` reads a notebook and names what is wrong with a broken file;
:func:`notebook_text` serializes one exactly as nbformat does (sorted keys, one-space
indent, UTF-8, final newline), and :func:`write_atomic` / :func:`write_notebook` write
atomically. nbgrader's cell rules live in :mod:`utils.course.nbgrader_rules`, the kernel runner
in :mod:`utils.course.kernel`, the ``execute`` command in :mod:`utils.course.execute`.
"""
from __future__ import annotations

import json
import os
import tempfile
import warnings
from pathlib import Path

import nbformat

from .nbfile import NotebookFileError, as_notebook, file_problem, notebook_problem

from ..paths import KIT_ROOT as _KIT_ROOT

__all__ = ["KIT_ROOT", "SOLUTIONS_DIR", "LESSONS_DIR", "KERNEL_NAME", "read_notebook",
           "notebook_text", "write_notebook", "write_atomic", "NotebookFileError"]

#: The kit's top folder (the one holding ``utils/``, ``solutions/`` and ``lessons/``).
KIT_ROOT = _KIT_ROOT
#: Master notebooks: prose, answers, checks and saved outputs.
SOLUTIONS_DIR = KIT_ROOT / "solutions"
#: Student notebooks generated from ``solutions/``.
LESSONS_DIR = KIT_ROOT / "lessons"
#: The kernel every lesson runs in (the current Python, with ipykernel).
KERNEL_NAME = "python3"

def read_notebook(path: str | os.PathLike) -> nbformat.NotebookNode:
    """Read a notebook file as nbformat v4, without validation warnings.

    >>> nb = read_notebook(SOLUTIONS_DIR / "00_getting_started.ipynb")
    >>> nb.nbformat
    4

    A file that is not one (not UTF-8, not JSON, no list of cells, a cell that is not a
    cell) raises :class:`NotebookFileError` (a ValueError) that names it and says why; a
    missing file raises FileNotFoundError. A UTF-8 byte order mark is allowed.
    """
    if isinstance(path, bool) or not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a notebook file (str or os.PathLike), not "
                        f"{type(path).__name__}: {path!r}")
    if os.path.isdir(path):
        raise IsADirectoryError(f"{os.fspath(path)} is a folder, not a notebook")
    where = f"{os.fspath(path)}: cannot be read as a notebook"
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        text = data.decode("utf-8-sig")
        problem = file_problem(json.loads(text))
    except ValueError:  # not UTF-8, not JSON
        raise NotebookFileError(f"{where}: {notebook_problem(path)}") from None
    if problem:
        raise NotebookFileError(f"{where}: {problem}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return nbformat.reads(text, as_version=4)
    except Exception as err:  # nbformat's TypeError, AttributeError, … on odd content
        raise NotebookFileError(f"{where}: nbformat cannot read it ({type(err).__name__}: "
                                f"{err})") from None


def notebook_text(nb: nbformat.NotebookNode) -> str:
    """Serialize a notebook exactly as nbformat writes it, ending with one newline.

    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("停戦", id="c1")])
    >>> notebook_text(nb).endswith("}\\n")
    True
    """
    nb = as_notebook(nb)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        text = nbformat.writes(nb, version=4)
    return text if text.endswith("\n") else text + "\n"


def _file_mode(path: Path) -> int:
    """The mode a new file would get (``0o666`` less the umask), or the existing file's."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_atomic(path: str | os.PathLike, text: str) -> None:
    """Write a text file atomically (a temporary file beside it, then a rename), LF, UTF-8.

    Raises TypeError for text that is not a str, ValueError for text that cannot be UTF-8
    (a lone surrogate) and IsADirectoryError for a folder, before anything is written.
    """
    path = Path(path)
    if not isinstance(text, str):
        raise TypeError(f"{path}: the text to write must be a str, not {type(text).__name__}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise ValueError(f"{path}: the text holds {text[err.start]!r} at position "
                         f"{err.start}, a lone surrogate that UTF-8 cannot store; nothing "
                         "was written") from None
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder; give a file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_notebook(nb: nbformat.NotebookNode, path: str | os.PathLike) -> None:
    """Write a notebook atomically with :func:`notebook_text`."""
    write_atomic(path, notebook_text(nb))
