"""Find what a class handed in: one :class:`Submission` per student and lesson.

Submissions are read once, up front, as bytes, and never written. :func:`parse_cells`
reads a submitted notebook leniently (nbformat 3, cells without metadata, stray types)
and raises :class:`SubmissionProblem` with a status and a reason for a file that cannot be
graded at all.
"""
from __future__ import annotations

import json
import os
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .editions import edition_of
from .grading import CHECKS_FOLDER
from .masters import Master
from .nbgrader_rules import nbgrader_meta
from .notebooks import LESSONS_DIR
from .outputs import as_paths
from .lesson_format import KIT_ID_PATTERN

__all__ = ["SubmissionProblem", "StudentCell", "Submission", "parse_cells", "lesson_numbers",
           "find_submissions", "attempted", "unmatched_status", "unmatched_reason",
           "no_notebooks_message"]


class SubmissionProblem(Exception):
    """A file that cannot be graded at all; ``status`` says why."""

    def __init__(self, status: str, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass
class StudentCell:
    position: int          # 1-based, as a student counts cells
    cell_type: str
    source: str
    grade_id: str | None


@dataclass
class Submission:
    """One file handed in: who, which lesson, and its bytes (read once, never written)."""

    student: str
    path: Path
    data: bytes | None
    lesson: str | None = None
    notes: list[str] = field(default_factory=list)
    #: seconds its kernels ran (waiting for a free slot or for the master not counted)
    seconds: float = 0.0

    @property
    def edition(self) -> str:
        """The language of the lesson handed in (``en`` when it does not say, or cannot
        be read): the English and Japanese editions are graded against the same master."""
        try:
            return edition_of(json.loads(self.data))
        except (TypeError, ValueError, RecursionError):
            return "en"


def parse_cells(data: bytes) -> list[StudentCell]:
    """Read a submitted notebook's cells leniently; raise :class:`SubmissionProblem`.

    >>> parse_cells(b"not json")
    Traceback (most recent call last):
    ...
    utils.course.submissions.SubmissionProblem: the file is not valid JSON (line 1, column 1: ...
    """
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"data must be the file's bytes, not {type(data).__name__}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SubmissionProblem("not-a-notebook", "the file is not text (is it a PDF, an "
                                "image or a zip?); hand in the .ipynb file") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as err:
        raise SubmissionProblem(
            "invalid-json", f"the file is not valid JSON (line {err.lineno}, column "
            f"{err.colno}: {err.msg}); was it saved by Jupyter, and saved completely?") from None
    if isinstance(raw, dict) and "worksheets" in raw and "cells" not in raw:
        import nbformat  # after .notebooks, which makes its import fast

        try:  # an nbformat 3 notebook
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                raw = nbformat.reads(text, as_version=4)
        except Exception:
            pass
    if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list):
        raise SubmissionProblem("not-a-notebook", "the file is JSON but not a Jupyter "
                                "notebook (it has no list of cells)")
    cells = []
    for position, cell in enumerate(raw["cells"], 1):
        if not isinstance(cell, dict):
            continue
        source = cell.get("source", "")
        source = "".join(map(str, source)) if isinstance(source, list) else str(source)
        meta = cell.get("metadata")
        nbg = meta.get("nbgrader") if isinstance(meta, dict) else None
        grade_id = nbg.get("grade_id") if isinstance(nbg, dict) else None
        cells.append(StudentCell(position, str(cell.get("cell_type", "")), source,
                                 grade_id if isinstance(grade_id, str) and grade_id else None))
    return cells


def lesson_numbers(cells: list[StudentCell]) -> Counter:
    """Count the lesson numbers of the kit's grade_ids among ``cells`` (``ex05_…`` → ``05``)."""
    return Counter(m.group(1) for c in cells if c.grade_id
                   for m in [KIT_ID_PATTERN.match(c.grade_id)] if m)


def _guess_lesson(sub: Submission, masters: dict[str, Master]) -> str | None:
    """Find the master of a notebook: by file name, else by the ids of its cells."""
    if sub.path.stem in masters:
        return sub.path.stem
    if sub.data is None:
        return None
    try:
        numbers = lesson_numbers(parse_cells(sub.data))
    except SubmissionProblem:
        return None
    for number, _ in numbers.most_common():
        for name, master in masters.items():
            if master.number == number:
                return name
    return None


def _is_hidden(path: Path) -> bool:
    return any(part.startswith(".") or part == "__pycache__" for part in path.parts)


def _student_of_notebook(path: Path) -> str:
    """Name who handed in one notebook: its folder's name (submissions/aiko/00.ipynb is
    aiko's), but a notebook in a lessons folder (the kit's, or any that holds the visible
    checks) is the user's own work, graded by themselves: their login name, else "you"."""
    folder = path.resolve().parent
    if folder == LESSONS_DIR.resolve() or (folder / CHECKS_FOLDER).is_dir():
        import getpass

        try:
            return getpass.getuser() or "you"
        except (OSError, KeyError, ImportError):  # no login name (some containers)
            return "you"
    return folder.name or "student"


def find_submissions(paths: list[str | os.PathLike],
                     masters: dict[str, Master]) -> list[Submission]:
    """List the submissions under ``paths``, one per student and lesson, bytes included.

    A notebook path is one submission by the student named after its folder. A folder
    holds one sub-folder per student (files straight inside it belong to the folder's
    name). Files with a lesson's name but another extension count as not-a-notebook; a
    student without a file for a lesson someone else handed in gets ``not-submitted``.
    """
    found: list[Submission] = []
    for raw in as_paths(paths):
        path = Path(raw)
        if path.is_file():
            found.append(Submission(_student_of_notebook(path), path, path.read_bytes()))
            continue
        if not path.is_dir():
            raise FileNotFoundError(f"{path}: no such file or folder")
        for child in sorted(path.iterdir()):
            if child.name.startswith("."):
                continue
            if child.is_file():
                files, student = [child], path.resolve().name
            else:
                student = child.name
                files = sorted(p for p in child.rglob("*")
                               if p.is_file() and not _is_hidden(p.relative_to(child)))
                if not files:
                    found.append(Submission(student, child, None))
            for file in files:
                stem = file.name.split(".")[0]
                if file.suffix == ".ipynb" or stem in masters:
                    found.append(Submission(student, file, file.read_bytes()))
    by_key: dict[tuple[str, str | None], list[Submission]] = {}
    students = []
    for sub in found:
        if sub.student not in students:
            students.append(sub.student)
        if sub.data is None:
            continue
        sub.lesson = _guess_lesson(sub, masters)
        by_key.setdefault((sub.student, sub.lesson), []).append(sub)
    chosen = []
    for (student, lesson), subs in by_key.items():
        subs.sort(key=lambda s: (s.path.stem != lesson, s.path.suffix != ".ipynb", str(s.path)))
        keep = subs[0]
        for other in subs[1:]:
            keep.notes.append(f"also found {other.path.name}, which was not graded")
        chosen.append(keep)
    lessons = sorted({s.lesson for s in chosen if s.lesson})
    have = {(s.student, s.lesson) for s in chosen}
    for student in students:
        for lesson in lessons:
            if (student, lesson) not in have:
                chosen.append(Submission(student, Path(lesson + ".ipynb"), None, lesson))
    chosen.sort(key=lambda s: (s.student, s.lesson or "", str(s.path)))
    return chosen


def attempted(sub: Submission, master: Master) -> bool:
    """Whether a submission changed any answer cell (else it needs no second run)."""
    if sub.data is None:
        return False
    try:
        cells = parse_cells(sub.data)
    except SubmissionProblem:
        return False
    stubs = {nbgrader_meta(master.released.cells[i])["grade_id"]:
             master.released.cells[i].source.strip()
             for ex in master.exercises.values() for i in ex.answers}
    return any(c.grade_id in stubs and c.source.strip() != stubs[c.grade_id] for c in cells)


def unmatched_status(sub: Submission) -> str:
    """The status of a file that matches no lesson: why it could not be read, or
    ``wrong-lesson``."""
    if sub.data is None:
        return "not-submitted"
    try:
        parse_cells(sub.data)
    except SubmissionProblem as problem:
        return problem.status
    return "wrong-lesson"


def unmatched_reason(sub: Submission, masters: dict[str, Master]) -> str:
    """Say why a file matches no lesson (the student reads it)."""
    if sub.data is not None:
        try:
            parse_cells(sub.data)
        except SubmissionProblem as problem:
            return f"{sub.path.name}: {problem.reason}"
    return (f"{sub.path.name} matches none of the lessons ({', '.join(masters)}) by name or "
            "by its exercise ids")


def no_notebooks_message(paths) -> str:
    """Say that ``paths`` hold no notebook to grade (and that nothing was written)."""
    paths = as_paths(paths)
    shown = ", ".join(str(p) for p in paths[:5]) + (" …" if len(paths) > 5 else "")
    return (f"found no notebooks (*.ipynb) in {shown}; give a notebook or a folder with one "
            "sub-folder per student holding their .ipynb files. Nothing was written")
