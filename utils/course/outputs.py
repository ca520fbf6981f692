"""Check where a command may write (and what it reads), before it does any work.

Every command of ``python -m utils`` that writes calls one of these first, so that a bad
``--out`` is refused in one line, before a class is graded, and never after: a file where
a folder is wanted (or the reverse), a parent that is a file, an output that is one of
the inputs or lies inside an input folder (submissions are read, never written).

>>> check_output_file("report.html", inputs=["report.html"], suffixes=(".html",))
Traceback (most recent call last):
...
utils.course.outputs.OutputPathError: --out report.html is the input report.html itself; give another file name
"""
from __future__ import annotations

import os
from pathlib import Path

__all__ = ["OutputPathError", "check_output_file", "check_output_folder",
           "distinct_file_names", "check_input_paths", "check_scores_file", "as_paths",
           "grades_dropped"]


class OutputPathError(ValueError):
    """An output path a command refuses to write to; the message names it and says why."""


def _as_path(value, option: str) -> Path:
    if isinstance(value, bool) or not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{option} must be a path (str or os.PathLike), not "
                        f"{type(value).__name__}: {value!r}")
    text = os.fspath(value)
    if isinstance(text, bytes):
        raise TypeError(f"{option} must be a text path, not bytes: {value!r}")
    if not text.strip():
        raise OutputPathError(f"{option} is empty; give a path")
    if "\x00" in text:
        raise OutputPathError(f"{option} {text!r} holds a NUL character; give a path")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise OutputPathError(f"{option} {text!r} holds a lone surrogate (an undecodable "
                              "name); give a path that is valid Unicode") from None
    return Path(text)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return Path(os.path.abspath(path))


def _blocking_parent(path: Path) -> Path | None:
    """The nearest existing ancestor of ``path`` when it is not a folder, else None."""
    for parent in path.parents:
        if parent.exists() or parent.is_symlink():
            return None if parent.is_dir() else parent
    return None


def _check_against_inputs(out: Path, option: str, inputs) -> None:
    target = _resolved(out)
    for raw in inputs:
        given = Path(raw)
        source = _resolved(given)
        if target == source:
            raise OutputPathError(f"{option} {out} is the input {given} itself; give "
                                  "another " + ("folder" if source.is_dir() else "file name"))
        if source.is_dir() and source in target.parents:
            raise OutputPathError(f"{option} {out} is inside the input folder {given}, "
                                  "which is only read; give a path outside it")


def check_output_file(out, *, inputs=(), suffixes: tuple[str, ...] = (),
                      option: str = "--out") -> Path:
    """Return ``out`` as a Path if a command may write a file there; raise otherwise.

    Raises :class:`OutputPathError` when ``out`` is a folder, when a parent of it is a
    file, when it is one of ``inputs`` or inside an input folder, or when its suffix is
    not one of ``suffixes`` (compared without case; empty: any).

    >>> check_output_file("答え.md", suffixes=(".html", ".md")).name
    '答え.md'
    >>> check_output_file("grades/manual.csv", suffixes=(".html", ".md"))
    Traceback (most recent call last):
    ...
    utils.course.outputs.OutputPathError: --out grades/manual.csv must end in .html or .md, not '.csv'
    """
    path = _as_path(out, option)
    if path.is_dir():
        raise OutputPathError(f"{option} {path} is a folder; give a file name "
                              f"(e.g. {path / ('out' + (suffixes[0] if suffixes else ''))})")
    blocker = _blocking_parent(path)
    if blocker is not None:
        raise OutputPathError(f"{option} {path}: {blocker} is a file, so nothing can be "
                              "written inside it; give a path in a folder")
    if suffixes and path.suffix.lower() not in suffixes:
        raise OutputPathError(f"{option} {path} must end in {' or '.join(suffixes)}, not "
                              f"{path.suffix or 'nothing'!r}")
    _check_against_inputs(path, option, inputs)
    return path


def check_output_folder(out, *, inputs=(), option: str = "--out") -> Path:
    """Return ``out`` as a Path if a command may write files into it; raise otherwise.

    The folder need not exist (it is created when the command writes). Raises
    :class:`OutputPathError` when ``out`` or one of its parents is a file, or when it
    is one of ``inputs`` or inside an input folder.

    >>> check_output_folder("grades").name
    'grades'
    """
    path = _as_path(out, option)
    if path.exists() and not path.is_dir():
        raise OutputPathError(f"{option} {path} is a file, not a folder; give a folder "
                              "(it is created if it does not exist)")
    blocker = _blocking_parent(path)
    if blocker is not None:
        raise OutputPathError(f"{option} {path}: {blocker} is a file, not a folder, so "
                              f"{path.name} cannot be created in it; give another folder")
    _check_against_inputs(path, option, inputs)
    return path


# characters no file name may hold on Windows, macOS or Linux
_FORBIDDEN = set('<>:"/\\|?*')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}
#: longest file name stem, in UTF-8 bytes (file systems allow 255; room for a suffix)
MAX_STEM_BYTES = 150


def _plain_name(name: str) -> str:
    import unicodedata

    name = unicodedata.normalize("NFC", name)
    chars = ["_" if c in _FORBIDDEN or unicodedata.category(c)[0] == "C"
             or unicodedata.category(c) in ("Zl", "Zp") else c for c in name]
    text = "".join(chars).strip(" .")
    while len(text.encode("utf-8")) > MAX_STEM_BYTES:
        text = text[:-1]
    if not text:
        return "student"
    if text.split(".")[0].upper() in _RESERVED:
        return text + "_"
    return text


def distinct_file_names(names) -> dict[str, str]:
    """Map each name (a student's) to a file name stem of its own, usable on every system.

    A name that is already a safe file name keeps it (spaces and Japanese included). One
    that is not (``/``, ``:``, control characters, line separators, a trailing dot, over
    150 bytes), or that differs from another only by case or Unicode normalization (the
    same file on macOS and Windows), gets a short hash of the full name appended, so no two
    names ever share a file.

    >>> distinct_file_names(["a b", "a_b", "山田 太郎"])
    {'a b': 'a b', 'a_b': 'a_b', '山田 太郎': '山田 太郎'}
    >>> names = distinct_file_names(["Aiko", "aiko", "a/b"])
    >>> sorted(v.split("-")[0] for v in names.values()), len(set(names.values()))
    (['Aiko', 'a_b', 'aiko'], 3)
    """
    import hashlib

    if isinstance(names, (str, bytes)) or not hasattr(names, "__iter__"):
        raise TypeError(f"names must be a list of str, not {type(names).__name__}: {names!r}")
    names = list(dict.fromkeys(names))
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"a name must be a str, not {type(name).__name__}: {name!r}")
    plain = {name: _plain_name(name) for name in names}
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(plain[name].casefold(), []).append(name)
    stems = {}
    for name in names:
        stem = plain[name]
        if stem != name or len(groups[stem.casefold()]) > 1:
            digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()
            stem = f"{stem}-{digest[:8]}"
        stems[name] = stem
    taken = {}
    for name in names:  # a hashed stem can (very rarely) equal another name: lengthen it
        stem, width = stems[name], 8
        while stem.casefold() in taken:
            width += 8
            digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()
            stem = f"{plain[name]}-{digest[:width]}"
        taken[stem.casefold()] = name
        stems[name] = stem
    return stems


def check_input_paths(paths, *, option: str = "PATH", files_only: bool = False) -> list[Path]:
    """Return ``paths`` as Paths if each exists (a file, or a folder unless
    ``files_only``); raise FileNotFoundError naming the first that does not.

    >>> check_input_paths([])
    Traceback (most recent call last):
    ...
    ValueError: give at least one PATH
    """
    result = as_paths(paths, option=option)
    if not result:
        raise ValueError(f"give at least one {option}")
    for path in result:
        if not path.exists():
            raise FileNotFoundError(f"{option} {path}: no such file or folder")
        if files_only and not path.is_file():
            raise IsADirectoryError(f"{option} {path} is a folder; give a file")
    return result


def as_paths(paths, *, option: str = "PATH") -> list[Path]:
    """Return ``paths`` (one path, or a list of them) as a list of Paths; refuse other types.

    >>> as_paths("submissions")
    [PosixPath('submissions')]
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if not isinstance(paths, (list, tuple)):
        raise TypeError(f"{option} must be a path or a list of paths, not "
                        f"{type(paths).__name__}: {paths!r}")
    return [_as_path(p, option) for p in paths]


def check_scores_file(path, *, option: str = "--manual") -> Path:
    """Return ``path`` if it is an existing file; raise FileNotFoundError otherwise."""
    path = _as_path(path, option)
    if not path.is_file():
        raise FileNotFoundError(f"{option} {path}: no such scores file" if not path.exists()
                                else f"{option} {path} is a folder, not a scores file (CSV)")
    return path


def grades_dropped(gradebook, pairs) -> list[tuple[str, str]]:
    """Return the (student, lesson) pairs an existing ``gradebook`` holds that ``pairs``
    (what a new run grades) lack: writing the new gradebook over it would lose them.

    A re-grade of the same class drops nothing; grading one notebook into a class's
    ``grades/`` would drop the whole class. A missing or unreadable gradebook drops
    nothing (there is nothing to keep).

    >>> import tempfile, pathlib
    >>> book = pathlib.Path(tempfile.mkdtemp()) / "gradebook.csv"
    >>> _ = book.write_text("student,lesson,grade_id\\n山田,00_x,ex00_01\\naiko,00_x,ex00_01\\n",
    ...                     "utf-8")
    >>> grades_dropped(book, {("aiko", "00_x")})
    [('山田', '00_x')]
    """
    import csv

    path = _as_path(gradebook, "gradebook")
    if not path.is_file():
        return []
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            held = {(row["student"], row.get("lesson") or "")
                    for row in csv.DictReader(handle) if row.get("student")}
    except (OSError, UnicodeDecodeError, csv.Error):
        return []
    return sorted(held - set(pairs))
