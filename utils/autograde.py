"""Grade one notebook, or a whole class, against the masters in ``solutions/``.

``python -m utils grade PATH... [-j N] [--timeout S] [--out DIR]`` where each PATH is a
notebook (a student checking their own work) or a submissions folder laid out as
``submissions/<student>/<lesson>.ipynb`` (nbgrader's ``submitted/<student>/<assignment>/
<lesson>.ipynb`` works too).

How a submission is graded:

* Only the student's **answer cells** (nbgrader ``solution`` cells) are taken, matched by
  ``grade_id``; they are put into a copy of the master, and the master's **own** check
  cells run, hidden tests included. Editing or deleting a check gains nothing, and the
  report says it happened. Everything else in the student's notebook is ignored.
* Each cell has a timeout (30 s by default); a cell that hangs the kernel or kills it is
  replaced and the notebook is re-run in a fresh kernel, so the other exercises still
  count. Syntax errors, missing, duplicated or renamed cells, the wrong lesson, a file that
  is not a notebook or not JSON: each gets its score and a reason.
* Check cells are scored like nbgrader's ``determine_grade``
  (:func:`utils.notebooks.determine_grade`).
* Computed, not typed: every notebook that earned points on a value or code exercise runs
  a second time on a changed copy of the corpus, and keeps those points only where its
  answers follow the texts as the master's do (``utils/verify.py``; status
  ``not-computed`` otherwise). Judgements are graded once.
* Each notebook runs against a private copy of the kit (``utils/sandbox.py``): what an
  answer writes to or deletes there is undone before the next cell and costs that
  exercise (``touched-kit``); the real kit and the submissions are checked after every
  notebook and put back if anything changed them.
* Written answers (nbgrader cells that are both ``solution`` and ``grade``, in markdown)
  need a person: their rows have the status ``manual`` and no points. The instructor
  records scores in a CSV file (default ``<out>/manual.csv``, see :func:`read_manual_scores`)
  that the next run reads: those rows become ``graded-manually``, with the points and the
  comment, in the gradebook and the feedback. ``<out>/manual_todo.csv`` lists the written
  answers still waiting. ``python -m utils answers`` puts every student's answer to one
  question side by side (:func:`export_answers`), for fair marking.
* Written to ``--out`` (default ``grades/``): ``gradebook.csv`` (one row per student and
  exercise), ``summary.csv`` (one row per student) and ``feedback/<student>.md``. Every
  file is written atomically; submissions are read once, up front, and never written.
"""
from __future__ import annotations

import argparse
import asyncio
import copy
import csv
import io
import json
import math
import os
import re
import sys
import tempfile
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import notebooks as _notebooks  # noqa: F401  (first: it makes nbformat import fast)

import nbformat  # noqa: E402

from .corpus import CORPUS_DIR  # noqa: E402
from .grading import CHECKS_FOLDER  # noqa: E402
from .notebooks import (LESSONS_DIR, SOLUTIONS_DIR, determine_grade,  # noqa: E402
                        error_of, is_grade, is_solution, nbgrader_meta, read_notebook,
                        write_atomic)
from .release import (CHECK_CALL, KIT_ID_PATTERN, exercise_id, exercise_kind,  # noqa: E402
                      is_master_only, lesson_problems, release_notebook)
from .runner import Runner  # noqa: E402
from .outputs import (as_paths, check_input_paths, check_output_file,  # noqa: E402
                      check_output_folder, check_scores_file, distinct_file_names,
                      grades_dropped)
from .sandbox import Change, KitCopy, KitGuard  # noqa: E402
from .verify import RECORDING, Verifier, base_seed, compare, kernel_env, to_recheck  # noqa: E402

__all__ = ["GRADEBOOK_COLUMNS", "STATUSES", "MANUAL_COLUMNS", "Row", "Master", "Submission",
           "ManualScore", "ManualScoresError", "load_masters", "find_submissions",
           "grade_submission", "grade", "read_manual_scores", "check_manual_scores",
           "apply_manual_scores", "unused_scores", "write_reports", "read_gradebook",
           "export_answers", "main", "answers_main"]

#: Columns of ``gradebook.csv``, one row per student and exercise.
GRADEBOOK_COLUMNS = ["student", "lesson", "grade_id", "points", "max_points", "status",
                     "reason", "notes"]

#: Every status a row can have, and what it means.
STATUSES = {
    "passed": "every check passed",
    "partial": "a check gave partial credit",
    "failed": "a check did not pass (the reason is its question)",
    "not-attempted": "the answer cell still holds the stub",
    "error": "the answer cell (or the check) raised an error",
    "timeout": "a cell ran longer than the timeout and was stopped",
    "kernel-died": "the answer crashed or hung the kernel; graded the rest in a new kernel",
    "missing": "the answer cell is not in the notebook",
    "manual": "a written answer: a person must read it (record the score in manual.csv)",
    "graded-manually": "a written answer, scored by a person (reason: their comment)",
    "wrong-lesson": "the notebook holds another lesson's exercises",
    "invalid-json": "the file is not valid JSON",
    "not-a-notebook": "the file is not a Jupyter notebook",
    "not-submitted": "no file for this lesson",
    "not-computed": "right on the corpus, but not when the code ran again on a changed "
                    "copy of it (a typed-in value, or code that only fits these texts)",
    "touched-kit": "the answer wrote to or deleted files of the kit (they were put back)",
    "pending": "a judgement graded against material only the instructor has (your own "
               "grading cannot score it)",
    "grader-error": "the grader itself, or its environment, failed on this notebook",
}


@dataclass
class Row:
    """One line of the gradebook: how one student did on one exercise."""

    student: str
    lesson: str
    grade_id: str
    points: float | None
    max_points: float
    status: str
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    #: points of each check cell, ``{grade_id: (points, max_points)}`` (not in the CSV)
    checks: dict[str, tuple[float | None, float]] = field(default_factory=dict, repr=False)

    def as_csv(self) -> dict[str, str]:
        return {"student": self.student, "lesson": self.lesson, "grade_id": self.grade_id,
                "points": _fmt(self.points), "max_points": _fmt(self.max_points),
                "status": self.status, "reason": self.reason, "notes": " | ".join(self.notes)}


def _fmt(number: float | None) -> str:
    """Format points the way people write them: ``2``, ``1.5``, or blank for unknown.

    >>> _fmt(2.0), _fmt(1.5), _fmt(None)
    ('2', '1.5', '')
    """
    if number is None:
        return ""
    number = round(float(number), 4)
    return str(int(number)) if number.is_integer() else f"{number:g}"


# --------------------------------------------------------------------------- masters

@dataclass
class Exercise:
    """The cells of one exercise in a master: answer cells, check cells and points."""

    id: str
    answers: list[int] = field(default_factory=list)
    checks: list[int] = field(default_factory=list)
    max_points: float = 0.0
    #: points of the written answers (markdown cells graded by a person)
    manual_points: float = 0.0
    #: value, code or judgement (:func:`utils.release.exercise_kind` of its first check)
    kind: str = "value"


class Master:
    """A master notebook of ``solutions/`` with its student rendering and its exercises.

    ``nb`` is the master without its ``master-only`` cells, which is what the grader runs;
    ``released`` (the student's lesson) has the same cells, one for one.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path).resolve()
        self.name = self.path.stem
        self.number = self.name[:2] if re.match(r"^\d\d_", self.name) else None
        source = read_notebook(self.path)
        problems = lesson_problems(source, name=self.name)
        if problems:
            raise ValueError(f"{self.path.name} is not a valid master:\n  "
                             + "\n  ".join(problems))
        self.released = release_notebook(source)
        self.nb = copy.deepcopy(source)
        self.nb.cells = [c for c in self.nb.cells if not is_master_only(c)]
        self.exercises: dict[str, Exercise] = {}
        self.ids: dict[str, int] = {}
        for index, cell in enumerate(self.nb.cells):
            meta = nbgrader_meta(cell)
            if not (meta.get("grade") or meta.get("solution")):
                continue
            grade_id = meta["grade_id"]
            self.ids[grade_id] = index
            ex = self.exercises.setdefault(exercise_id(grade_id), Exercise(exercise_id(grade_id)))
            if is_solution(cell):
                ex.answers.append(index)
            if is_grade(cell):
                if not ex.checks:
                    ex.kind = exercise_kind(cell)
                ex.checks.append(index)
                ex.max_points += float(meta["points"])
                if is_solution(cell):
                    ex.manual_points += float(meta["points"])
        #: answer cell -> its exercise; exercise -> its answer cells; check cell -> exercise
        self.answer_of = {i: ex.id for ex in self.exercises.values() for i in ex.answers}
        self.answers_of = {ex.id: ex.answers for ex in self.exercises.values()}
        self.exercise_of_check = {i: ex.id for ex in self.exercises.values() for i in ex.checks}
        # a student lesson used as the master (a copy of the kit without solutions/)
        self.is_lesson = any(
            is_grade(c) and c.cell_type == "code" and c.source.strip()
            == CHECK_CALL.format(grade_id=nbgrader_meta(c)["grade_id"]) for c in self.nb.cells)

    @property
    def max_points(self) -> float:
        return sum(ex.max_points for ex in self.exercises.values())

    def setup_error(self, nb: nbformat.NotebookNode) -> tuple[int, str, str] | None:
        """The first of the lesson's own cells that failed, in ``nb`` (this master after a
        run), before any answer ran: ``(index, error name, message)``, or None."""
        for index in range(min(self.answer_of, default=len(nb.cells))):
            error = None if index in self.exercise_of_check else error_of(nb.cells[index])
            if error:
                return index, *error
        return None

    def __repr__(self) -> str:
        return f"Master({self.name!r}, {len(self.exercises)} exercises)"


def masters_folder() -> tuple[Path, bool]:
    """Return the folder to grade against, and whether it holds only the student lessons.

    That is ``solutions/``, or, on a student's copy of the kit without it, ``lessons/``:
    then only the visible checks run (the hidden tests live in the masters).
    """
    if any(SOLUTIONS_DIR.glob("*.ipynb")) or not any(LESSONS_DIR.glob("*.ipynb")):
        return SOLUTIONS_DIR, False
    return LESSONS_DIR, True


def load_masters(solutions: str | os.PathLike = SOLUTIONS_DIR) -> dict[str, Master]:
    """Load every master notebook of a folder, keyed by lesson name."""
    [folder] = as_paths(solutions, option="solutions")
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(f"{folder} is a file; give the folder of master notebooks")
    masters = {p.stem: Master(p) for p in sorted(folder.glob("*.ipynb"))}
    if not masters:
        raise FileNotFoundError(f"no master notebooks (*.ipynb) in {folder}"
                                + ("" if folder.exists() else " (no such folder)"))
    return masters


# --------------------------------------------------------------------------- submissions

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


def parse_cells(data: bytes) -> list[StudentCell]:
    """Read a submitted notebook's cells leniently; raise :class:`SubmissionProblem`.

    >>> parse_cells(b"not json")
    Traceback (most recent call last):
    ...
    utils.autograde.SubmissionProblem: the file is not valid JSON (line 1, column 1: ...
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


def _lesson_numbers(cells: list[StudentCell]) -> Counter:
    return Counter(m.group(1) for c in cells if c.grade_id
                   for m in [KIT_ID_PATTERN.match(c.grade_id)] if m)


def _guess_lesson(sub: Submission, masters: dict[str, Master]) -> str | None:
    """Find the master of a notebook: by file name, else by the ids of its cells."""
    if sub.path.stem in masters:
        return sub.path.stem
    if sub.data is None:
        return None
    try:
        numbers = _lesson_numbers(parse_cells(sub.data))
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


# --------------------------------------------------------------------------- grading one

def _all_rows(master: Master, student: str, status: str, reason: str,
              notes: list[str] | None = None) -> list[Row]:
    return [Row(student, master.name, ex.id, 0.0, ex.max_points, status, reason,
                list(notes or []))
            for ex in master.exercises.values()]


def _clean(text: str, limit: int = 300) -> str:
    """One line, no colour codes, no temporary file names, at most ``limit`` characters.

    >>> _clean("\\x1b[31mSyntaxError\\x1b[0m: invalid syntax (3420874.py, line 2)\\n「　」")
    'SyntaxError: invalid syntax (line 2) 「　」'
    """
    text = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", str(text))
    text = re.sub(r"\(\S*?\.py, line (\d+)\)", r"(line \1)", text)
    text = re.sub(r"[ \t\r\n\f\v]+", " ", text).strip()  # keeps the full-width space
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _check_message(cell) -> str:
    """The student-visible message of a failed check: its question, never its source."""
    error = error_of(cell)
    if error is None:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                return "the check wrote to stderr, which counts as a failure"
        return ""
    ename, evalue = error
    if ename in ("CheckFailed", "AssertionError"):
        return _clean(evalue) or "a hidden check did not pass"
    if ename in ("KeyboardInterrupt", "CellTimeout"):
        return "the check ran too long and was stopped"
    return _clean(f"the check raised {ename}: {evalue}")


def _pick_duplicate(cells: list[StudentCell], stub: str) -> tuple[StudentCell, str]:
    edited = [c for c in cells if c.source.strip() != stub.strip()]
    chosen = (edited or cells)[-1]
    where = ", ".join(str(c.position) for c in cells)
    return chosen, (f"{len(cells)} cells (cells {where}) carry the id of this answer; "
                    f"graded cell {chosen.position}")


async def grade_submission(sub: Submission, master: Master, *, timeout: float = 30,
                           verifier: Verifier | None = None,
                           limit: asyncio.Semaphore | None = None, tracker=None) -> list[Row]:
    """Grade one submission against its master; never raises for a bad notebook.

    With a ``verifier`` the notebook runs a second time on a changed corpus to confirm
    that its answers are computed (``utils/verify.py``). ``limit`` bounds the kernels
    that run at once (the run waits for the master's run outside it).
    """
    student = sub.student
    if sub.data is None:
        return _all_rows(master, student, "not-submitted",
                         f"no {master.name}.ipynb was handed in", sub.notes)
    if sub.path.suffix != ".ipynb":
        return _all_rows(master, student, "not-a-notebook",
                         f"{sub.path.name} is not a notebook; hand in {master.name}.ipynb "
                         "(File → Save, then hand in the .ipynb file)", sub.notes)
    try:
        cells = parse_cells(sub.data)
    except SubmissionProblem as problem:
        return _all_rows(master, student, problem.status, f"{sub.path.name}: {problem.reason}",
                         sub.notes)
    by_id: dict[str, list[StudentCell]] = {}
    for cell in cells:
        if cell.grade_id:
            by_id.setdefault(cell.grade_id, []).append(cell)
    numbers = _lesson_numbers(cells)
    if master.number and numbers and master.number not in numbers:
        other = numbers.most_common(1)[0][0]
        return _all_rows(master, student, "wrong-lesson",
                         f"{sub.path.name} holds the exercises of lesson {other} "
                         f"(ex{other}_…), not of {master.name}", sub.notes)

    graded = copy.deepcopy(master.nb)
    notes: dict[str, list[str]] = {ex: [] for ex in master.exercises}
    general = list(sub.notes)
    missing: dict[int, str] = {}
    unchanged: set[int] = set()
    matched = 0
    for ex in master.exercises.values():
        for index in ex.answers:
            grade_id = nbgrader_meta(master.nb.cells[index])["grade_id"]
            stub = master.released.cells[index].source
            candidates = by_id.get(grade_id, [])
            if not candidates:
                missing[index] = grade_id
                graded.cells[index].source = stub
                continue
            matched += 1
            chosen = candidates[0]
            if len(candidates) > 1:
                chosen, note = _pick_duplicate(candidates, stub)
                notes[ex.id].append(note)
            if chosen.cell_type != master.nb.cells[index].cell_type:
                notes[ex.id].append(f"the answer cell was turned into a {chosen.cell_type} "
                                    f"cell; its text was run as {master.nb.cells[index].cell_type}")
            graded.cells[index].source = chosen.source
            if chosen.source.strip() == stub.strip():
                unchanged.add(index)
        for index in ex.checks:
            if is_solution(master.nb.cells[index]):
                continue  # a written answer: the student is meant to edit it
            grade_id = nbgrader_meta(master.nb.cells[index])["grade_id"]
            theirs = by_id.get(grade_id, [])
            if not theirs:
                notes[ex.id].append(f"the check cell {grade_id} was deleted; the original "
                                    "check was run")
            elif any(c.source.strip() not in (master.released.cells[index].source.strip(),
                                              master.nb.cells[index].source.strip())
                     for c in theirs):
                notes[ex.id].append(f"the check cell {grade_id} was edited; the original "
                                    "check was run")
    for grade_id in sorted(set(by_id) - set(master.ids)):
        positions = ", ".join(str(c.position) for c in by_id[grade_id])
        note = (f"cell {positions} has the id {grade_id!r}, which this lesson does not have; "
                "it was ignored (was the id changed?)")
        ex = exercise_id(grade_id)
        (notes[ex] if ex in notes else general).append(note)
    if matched == 0:
        return [Row(student, master.name, ex.id, 0.0, ex.max_points, "missing",
                    "none of this lesson's answer cells is in the notebook (was the work "
                    "done in new cells, or in another notebook?)", notes[ex.id] + general)
                for ex in master.exercises.values()]

    exercises = master.exercises
    answer_of, exercise_of_check = master.answer_of, master.exercise_of_check
    touched: dict[str, list[Change]] = {}
    last_answer: list[int | None] = [None]
    kit = KitCopy(master.path.parent)

    def after_cell(index: int, run) -> None:
        """Undo what a cell wrote to the kit's copy, and blame its exercise."""
        if index in answer_of:
            last_answer[0] = index
        changes = kit.restore()
        if not changes:
            return
        blamed = (answer_of.get(index) or exercise_of_check.get(index)
                  or answer_of.get(last_answer[0]))
        if blamed is not None:
            touched.setdefault(blamed, [])
            touched[blamed] += [c for c in changes if c not in touched[blamed]]

    runner = Runner(master, cwd=kit.cwd, timeout=timeout, env={**kit.env(), **kernel_env()},
                    after_cell=after_cell)
    try:
        async with _Slot(limit, sub, tracker):
            first = await runner.run(graded)
        rows = _rows(sub, master, graded, first, missing, unchanged, notes, general, timeout)
        failed_setup = master.setup_error(graded)
        if failed_setup:
            index, name, message = failed_setup
            return _all_rows(master, student, "grader-error",
                             _clean(f"the lesson's own cell {index + 1} failed before any "
                                    f"answer ran ({name}: {message}): a problem of the "
                                    "grading environment, not of this work"), sub.notes)
        row_of = {row.grade_id: row for row in rows}
        if master.is_lesson:
            for ex in exercises.values():
                row = row_of[ex.id]
                if ex.kind == "judgement" and ex.manual_points == 0 and row.status == "passed":
                    row.points, row.status = None, "pending"
                    row.reason = ("a judgement: your instructor scores it against material "
                                  "you do not have; the checks here only look at its form")
        recheck = [ex for ex in to_recheck(master)
                   if (row_of[ex.id].points or 0) > 0 and ex.id not in touched]
        if recheck and verifier is not None:
            expected = await verifier.expected(master)
            again = None
            if expected.variant is not None and not expected.broken:
                second = copy.deepcopy(graded)
                wanted = {i for ex in recheck for i in ex.checks}
                for index in exercise_of_check:
                    if index not in wanted and second.cells[index].cell_type == "code":
                        second.cells[index].source = ""
                for index, run in first.runs.items():
                    if index in answer_of and run.status == "timeout":
                        second.cells[index].source = ""  # it would only time out again
                kit.use_corpus(expected.variant)
                last_answer[0] = None
                async with _Slot(limit, sub, tracker):
                    again = await runner.run(second, prelude=RECORDING, stopped=first.stopped)
            for ex in recheck:
                row = row_of[ex.id]
                if expected.broken or again is None:
                    row.points, row.status = 0.0, "grader-error"
                    row.reason = _clean("the grader could not run the lesson on a changed "
                                        f"copy of the corpus to check this answer: "
                                        f"{expected.broken or 'no variant'}")
                    continue
                if ex.id in expected.problems:
                    row.notes.append("not re-checked on a changed corpus ("
                                     f"{expected.problems[ex.id]}); please report it")
                    continue
                if ex.id in touched:
                    continue
                why = compare(ex, second, again.runs, expected)
                if why:
                    row.points, row.status, row.reason = 0.0, "not-computed", why
    finally:
        await runner.close()
        kit.close()
    for ex_id, changes in touched.items():
        row = row_of[ex_id]
        row.points, row.status = 0.0, "touched-kit"
        row.reason = _clean("your answer wrote to or deleted files of the kit: "
                            + ", ".join(map(str, changes[:5]))
                            + ("…" if len(changes) > 5 else "")
                            + " (they were put back); answers may read the kit, never change it")
    return rows


class _Slot:
    """A place among the kernels that may run at once (``limit``), timed: what a notebook
    spends running, not waiting, goes to ``sub.seconds``; ``tracker`` learns who ran."""

    def __init__(self, limit: asyncio.Semaphore | None, sub: Submission, tracker=None):
        self.limit, self.sub, self.tracker = limit, sub, tracker

    async def __aenter__(self):
        if self.limit is not None:
            await self.limit.acquire()
        self.started = time.monotonic()
        if self.tracker is not None:
            self.tracker.enter(self.sub)
        return self

    async def __aexit__(self, *exc):
        self.sub.seconds += time.monotonic() - self.started
        if self.tracker is not None:
            self.tracker.leave(self.sub)
        if self.limit is not None:
            self.limit.release()
        return False


class _Tracker:
    """Who ran while the real kit changed: the guard is checked each time a notebook's run
    ends, and the change is blamed on the notebooks that ran since the last check (one:
    that one; several: each is graded again alone, and blamed if it does it again)."""

    def __init__(self, guard: KitGuard | None):
        self.guard = guard
        self.running: set[int] = set()
        self.window: set[int] = set()
        self.blamed: dict[int, list[Change]] = {}
        self.unclear: set[int] = set()

    def enter(self, sub: Submission) -> None:
        self.running.add(id(sub))
        self.window.add(id(sub))

    def leave(self, sub: Submission) -> None:
        self.running.discard(id(sub))
        changes = self.guard.restore() if self.guard is not None else []
        if changes:
            if len(self.window) == 1:
                self.blamed.setdefault(id(sub), []).extend(changes)
            else:
                self.unclear |= self.window
        self.window = set(self.running)


def _rows(sub: Submission, master: Master, graded, result, missing: dict[int, str],
          unchanged: set[int], notes: dict[str, list[str]], general: list[str],
          timeout: float) -> list[Row]:
    """The gradebook rows of one notebook after its run on the corpus."""
    runs, stopped, broken = result.runs, result.stopped, result.broken
    rows = []
    for ex in master.exercises.values():
        points, manual, bad_partial = 0.0, False, False
        messages = []
        check_points: dict[str, tuple[float | None, float]] = {}
        for index in ex.checks:
            cell = graded.cells[index]
            if is_solution(cell):  # a written (markdown) answer, graded by a person
                cell.metadata["nbgrader"]["checksum"] = \
                    master.released.cells[index].metadata["nbgrader"]["checksum"]
                if index not in missing and index not in unchanged:
                    manual = True
                continue
            if index not in runs:
                messages.append("the check did not run")
                continue
            got, top = determine_grade(cell)
            check_points[nbgrader_meta(cell)["grade_id"]] = (got, top)
            if got is None:
                bad_partial = True
                continue
            points += got
            if got < float(nbgrader_meta(cell)["points"]):
                message = _check_message(cell)
                if message and message not in messages:
                    messages.append(message)
        answer_errors = []
        for index in ex.answers:
            if index in missing or index in stopped or graded.cells[index].cell_type != "code":
                continue
            error = error_of(graded.cells[index])
            if error:
                answer_errors.append((index, *error))
        row = Row(sub.student, master.name, ex.id, points, ex.max_points, "passed",
                  notes=notes[ex.id] + (general if not rows else []), checks=check_points)
        if broken:
            row.notes.append(f"grading stopped early: {broken}")
        stop, where = next((stopped[i] for i in ex.answers if i in stopped), (None, None))
        answer_timeout = any(runs.get(i) and runs[i].status == "timeout" for i in ex.answers)
        check_timeout = any(runs.get(i) and runs[i].status == "timeout" for i in ex.checks)
        if check_timeout and not answer_timeout:
            where = "check"
        if manual:
            row.points, row.status = None, "manual"
            row.reason = f"a written answer: read it and give up to {_fmt(ex.max_points)} points"
        elif bad_partial:
            row.points, row.status = 0.0, "error"
            row.reason = "a check printed a partial grade larger than its points"
        elif points >= ex.max_points:
            row.status = "passed"
            if answer_errors:
                row.notes.append(f"the answer cell raised {answer_errors[0][1]}, but the "
                                 "checks passed")
        elif any(i in missing for i in ex.answers):
            ids = ", ".join(missing[i] for i in ex.answers if i in missing)
            row.status = "missing"
            row.reason = (f"no answer cell {ids} in the notebook (was it deleted, or was the "
                          "work done in a new cell?)")
        elif stop == "timeout" or answer_timeout or check_timeout:
            row.status = "timeout"
            row.reason = (f"the check ran longer than {_fmt(timeout)} s on your answer and was "
                          "stopped (does your answer make it loop forever?)" if where == "check"
                          else f"the answer cell ran longer than {_fmt(timeout)} s and was "
                          "stopped (an endless loop?)")
        elif stop == "kernel-died":
            row.status = "kernel-died"
            row.reason = ("the answer crashed the Python kernel (too much memory, os._exit?)"
                          if where == "answer" else "the check crashed the Python kernel on "
                          "your answer")
            row.reason += "; the other exercises were graded in a fresh kernel"
        elif any(i in unchanged for i in ex.answers) or any(
                e[1] == "NotImplementedError" for e in answer_errors):
            row.status = "not-attempted"
            written = all(master.nb.cells[i].cell_type == "markdown" for i in ex.answers)
            row.reason = ("the answer cell still holds YOUR ANSWER HERE" if written
                          else "the answer cell still holds `raise NotImplementedError()`")
        elif answer_errors:
            _, ename, evalue = answer_errors[0]
            if ename == "_IncompleteInputError":  # Python 3.13's name for an unfinished line
                ename = "SyntaxError"
            row.status = "error"
            row.reason = _clean(f"your answer cell raised {ename}: {evalue}")
        elif messages and all(m.startswith("the check raised") for m in messages):
            row.status = "error"
            row.reason = "; ".join(messages)
        else:
            row.status = "partial" if points > 0 else "failed"
            row.reason = "; ".join(messages) or (
                f"partial credit: {_fmt(points)} of {_fmt(ex.max_points)} points"
                if points > 0 else "a check did not pass")
        rows.append(row)
    return rows


# --------------------------------------------------------------------------- grading many

async def _grade_all(subs: list[Submission], masters: dict[str, Master], *, jobs: int,
                     timeout: float, progress, seed: str | None, workdir: Path,
                     guard: KitGuard | None) -> list[Row]:
    limit = asyncio.Semaphore(max(1, jobs))
    verifier = Verifier(workdir, seed=seed or base_seed(masters.values()), timeout=timeout,
                        limit=limit, moved_only=False)
    lesson_verifier = Verifier(workdir / "self", seed="self-check", timeout=timeout,
                               limit=limit, moved_only=True)
    tracker = _Tracker(guard)

    async def graded(sub: Submission, master: Master, *, tracker=tracker) -> list[Row]:
        try:
            return await grade_submission(
                sub, master, timeout=timeout, limit=limit, tracker=tracker,
                verifier=lesson_verifier if master.is_lesson else verifier)
        except Exception as err:  # keep grading the rest of the class
            return _all_rows(master, sub.student, "grader-error",
                             _clean(f"the grader failed: {type(err).__name__}: {err}"),
                             sub.notes)

    async def one(sub: Submission) -> list[Row]:
        master = masters.get(sub.lesson) if sub.lesson else None
        if master is None:
            return [Row(sub.student, sub.path.stem, "", 0.0, 0.0,
                        _unknown_status(sub), _unknown_reason(sub, masters), sub.notes)]
        rows = await graded(sub, master)
        progress(sub, rows, sub.seconds)
        return rows

    # the masters' runs on the changed corpus go first in the queue: every notebook's
    # second run waits for its master's
    first = {s.lesson for s in subs if s.lesson in masters and not masters[s.lesson].is_lesson
             and _attempted(s, masters[s.lesson])}
    for name in sorted(first):
        asyncio.ensure_future(verifier.expected(masters[name]))
    results = list(await asyncio.gather(*(one(sub) for sub in subs)))
    # a change to the real kit while several notebooks ran: grade each suspect alone
    number_of = {id(sub): n for n, sub in enumerate(subs)}
    blamed = {number_of[key]: changes for key, changes in tracker.blamed.items()}
    for key in sorted(tracker.unclear, key=lambda k: number_of[k]):
        number = number_of[key]
        sub = subs[number]
        sub.seconds = 0.0
        results[number] = await graded(sub, masters[sub.lesson], tracker=None)
        changes = guard.restore() if guard is not None else []
        if changes:
            blamed.setdefault(number, []).extend(changes)
    for number, changes in blamed.items():
        shown = ", ".join(dict.fromkeys(map(str, changes)))
        for row in results[number]:
            row.points, row.status = 0.0, "touched-kit"
            row.reason = _clean("while this notebook ran, the kit's own files changed: "
                                f"{shown} (they were put back); answers may read the kit, "
                                "never change it")
    return [row for rows in results for row in rows]


def _attempted(sub: Submission, master: Master) -> bool:
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


def _unknown_status(sub: Submission) -> str:
    if sub.data is None:
        return "not-submitted"
    try:
        parse_cells(sub.data)
    except SubmissionProblem as problem:
        return problem.status
    return "wrong-lesson"


def _unknown_reason(sub: Submission, masters: dict[str, Master]) -> str:
    if sub.data is not None:
        try:
            parse_cells(sub.data)
        except SubmissionProblem as problem:
            return f"{sub.path.name}: {problem.reason}"
    return (f"{sub.path.name} matches none of the lessons ({', '.join(masters)}) by name or "
            "by its exercise ids")


def grade(paths: list[str | os.PathLike], *, solutions: str | os.PathLike | None = None,
          jobs: int = 1, timeout: float = 30, progress=None, manual=None,
          seed: str | None = None) -> list[Row]:
    """Grade notebooks and submission folders; return the gradebook rows, sorted.

    ``solutions`` is the folder of masters (default: :func:`masters_folder`). ``manual``
    is a scores file of written answers (:func:`read_manual_scores`) or a list of
    :class:`ManualScore`; it is checked against the masters before any notebook runs, and
    a bad file raises :class:`ManualScoresError`. Scores of students not in this run are
    not an error (grading one notebook of a class is normal): :func:`unused_scores` lists
    them. ``seed`` chooses the changed corpus of the second run (default: one derived
    from the masters, which students do not have).
    """
    paths = check_input_paths(paths)
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be a whole number of at least 1, not {jobs!r}")
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) \
            or not 0 < timeout < float("inf"):
        raise ValueError(f"timeout must be a number of seconds above 0, not {timeout!r}")
    folder = Path(solutions if solutions is not None else masters_folder()[0])
    masters = load_masters(folder)
    subs = find_submissions(paths, masters)
    if not subs:
        raise FileNotFoundError(no_notebooks_message(paths))
    scores: list[ManualScore] = []
    if manual is not None:
        scores = manual if isinstance(manual, list) else read_manual_scores(manual)
        problems = check_manual_scores(scores, masters)
        if problems:
            name = "" if isinstance(manual, list) else f"{Path(manual).name}, "
            raise ManualScoresError("\n".join(name + p for p in problems))
    package = Path(__file__).resolve().parent
    guarded = [package, CORPUS_DIR, folder]
    guarded += [Path(p) for p in paths if Path(p).is_dir()]
    guard = KitGuard([f for f in dict.fromkeys(guarded) if f.is_dir()],
                     [Path(p) for p in paths if Path(p).is_file()])
    with tempfile.TemporaryDirectory(prefix="kit-grade-") as workdir:
        rows = asyncio.run(_grade_all(subs, masters, jobs=jobs, timeout=timeout,
                                      progress=progress or (lambda *a: None), seed=seed,
                                      workdir=Path(workdir), guard=guard))
    apply_manual_scores(rows, scores)
    order = {name: i for i, name in enumerate(masters)}
    rows.sort(key=lambda r: (r.student, order.get(r.lesson, len(order)), r.lesson, r.grade_id))
    return rows


# --------------------------------------------------------------------------- manual scores

#: Columns of the instructor's scores file (``manual.csv``); ``comment`` is optional and
#: other columns (such as ``max_points`` in ``manual_todo.csv``) are ignored.
MANUAL_COLUMNS = ["student", "lesson", "grade_id", "points", "comment"]


class ManualScoresError(ValueError):
    """A scores file the grader cannot use; the message lists every problem, by line."""


@dataclass
class ManualScore:
    """One score a person gave to one written answer (a line of ``manual.csv``)."""

    student: str
    lesson: str
    grade_id: str
    points: float | None
    comment: str = ""
    line: int = 0


def read_manual_scores(path: str | os.PathLike) -> list[ManualScore]:
    """Read an instructor's scores file: CSV, UTF-8, one written answer per line.

    The header must hold ``student, lesson, grade_id, points``; ``comment`` is optional.
    ``grade_id`` is the exercise as in the gradebook (``ex05_10``). A blank ``points``
    means "not scored yet" (the line is skipped), so a filled-in ``manual_todo.csv`` can be
    used as it is. Raises :class:`ManualScoresError` naming the file and line of every
    problem: a missing column, points that are not a number or are negative, a written
    answer scored twice.

    >>> import io
    >>> f = io.StringIO("student,lesson,grade_id,points,comment\\n"
    ...                 "aiko,05_capstone,ex05_10,5,良い比較です\\nben,05_capstone,ex05_10,,\\n")
    >>> [(s.student, s.points, s.comment) for s in read_manual_scores(f)]
    [('aiko', 5.0, '良い比較です')]
    """
    name = getattr(path, "name", None) or "<buffer>"
    if hasattr(path, "read"):
        text = path.read()
        if isinstance(text, bytes):
            try:
                text = text.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ManualScoresError(f"{name}: not UTF-8; save it as 'CSV UTF-8'") from None
    elif not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a scores file (a path or an open file), not "
                        f"{type(path).__name__}: {path!r}")
    else:
        path = Path(path)
        name = path.name
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise ManualScoresError(f"{path}: no such scores file") from None
        except IsADirectoryError:
            raise ManualScoresError(f"{path} is a folder, not a scores file (CSV)") from None
        except UnicodeDecodeError:
            raise ManualScoresError(f"{name}: not UTF-8; save it as 'CSV UTF-8' (a "
                                    "spreadsheet's 'Save as' offers it)") from None
    text = text.removeprefix("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    twice = sorted({h for h in header if h and header.count(h) > 1})
    if twice:
        raise ManualScoresError(f"{name}, line 1: the column {', '.join(twice)} appears more "
                                "than once; keep one")
    missing = [c for c in MANUAL_COLUMNS[:4] if c not in header]
    if missing:
        raise ManualScoresError(
            f"{name}, line 1: the header lacks {', '.join(missing)}; it must be "
            f"{','.join(MANUAL_COLUMNS)} (comment is optional), found {','.join(header) or 'nothing'}")
    problems, scores, seen = [], [], {}
    for number, raw in enumerate(reader, 2):
        row = {(k or "").strip(): (v or "").strip() if isinstance(v, str) else ""
               for k, v in raw.items()}
        if not any(row.get(c) for c in MANUAL_COLUMNS):
            continue
        where = f"{name}, line {number}"
        empty = [c for c in MANUAL_COLUMNS[:3] if not row.get(c)]
        if empty:
            problems.append(f"{where}: {', '.join(empty)} is empty")
            continue
        value = row.get("points", "")
        points = None
        if value:
            try:
                points = float(value.replace(",", "."))
            except ValueError:
                problems.append(f"{where}: points {value!r} is not a number")
                continue
            if not math.isfinite(points):
                problems.append(f"{where}: points {value!r} is not a finite number; give "
                                "0 or more")
                continue
            if not points >= 0:
                problems.append(f"{where}: points {value!r} is negative; give 0 or more")
                continue
        key = (row["student"], row["lesson"], row["grade_id"])
        if key in seen and points is not None:
            problems.append(f"{where}: {row['student']} / {row['lesson']} / {row['grade_id']} "
                            f"is scored twice (also on line {seen[key]}); keep one line")
            continue
        if points is None:
            continue
        seen[key] = number
        scores.append(ManualScore(*key, points, row.get("comment", ""), number))
    if problems:
        raise ManualScoresError("\n".join(problems))
    return scores


def check_manual_scores(scores: list[ManualScore], masters: dict[str, Master],
                        students: list[str] | None = None) -> list[str]:
    """List what is wrong with scores for these masters (and students): unknown lessons,
    exercises or students, scores for exercises that are graded automatically, points
    above what an answer is worth. An empty list means every score can be used."""
    problems = []
    for s in scores:
        where = f"line {s.line}" if s.line else f"{s.student} / {s.grade_id}"
        master = masters.get(s.lesson)
        if master is None:
            problems.append(f"{where}: no lesson {s.lesson!r}; the lessons are "
                            f"{', '.join(masters)}")
            continue
        written = [ex.id for ex in master.exercises.values() if ex.manual_points > 0]
        ex = master.exercises.get(exercise_id(s.grade_id))
        if ex is None:
            problems.append(f"{where}: {s.lesson} has no exercise {s.grade_id!r}; its written "
                            f"answers are {', '.join(written) or 'none'}")
        elif ex.manual_points <= 0:
            problems.append(f"{where}: {s.grade_id} is graded automatically; only the written "
                            f"answers of {s.lesson} ({', '.join(written) or 'none'}) take "
                            "manual scores")
        elif s.points > ex.manual_points + 1e-9:
            problems.append(f"{where}: {_fmt(s.points)} points is more than the "
                            f"{_fmt(ex.manual_points)} that {s.grade_id} is worth")
        if students is not None and s.student not in students:
            problems.append(f"{where}: no submission from a student {s.student!r} (the "
                            f"students are {', '.join(sorted(students)[:12]) or 'none'}"
                            f"{' …' if len(students) > 12 else ''})")
    return problems


def _check_rows_and_scores(rows, scores) -> None:
    if not isinstance(rows, list) or not all(isinstance(r, Row) for r in rows):
        raise TypeError(f"rows must be a list of Row (as grade() returns), not "
                        f"{type(rows).__name__}")
    if not isinstance(scores, list) or not all(isinstance(s, ManualScore) for s in scores):
        raise TypeError(f"scores must be a list of ManualScore (as read_manual_scores() "
                        f"returns), not {type(scores).__name__}")


def apply_manual_scores(rows: list[Row], scores: list[ManualScore]) -> list[Row]:
    """Put the scores of written answers into the gradebook rows (in place); return them.

    A scored row becomes ``graded-manually``: its points are those of its automatic checks
    (if any) plus the manual score, its reason is the comment. A score for an answer the
    grader found missing or unchanged is used too (the instructor has the last word), with
    a note saying what the grader found.
    """
    _check_rows_and_scores(rows, scores)
    by_key = {(s.student, s.lesson, exercise_id(s.grade_id)): s for s in scores}
    for row in rows:
        score = by_key.get((row.student, row.lesson, row.grade_id))
        if score is None:
            continue
        automatic = sum(p or 0 for p, _ in row.checks.values())
        if row.status != "manual":
            row.notes.append(f"scored by hand, although the grader found: {row.status}"
                             + (f" ({row.reason})" if row.reason else ""))
        row.points = automatic + score.points
        row.status = "graded-manually"
        row.reason = score.comment or "scored by hand"
    return rows


def unused_scores(rows: list[Row], scores: list[ManualScore]) -> list[ManualScore]:
    """The scores that matched no gradebook row (a misspelt student, a lesson not graded)."""
    _check_rows_and_scores(rows, scores)
    keys = {(r.student, r.lesson, r.grade_id) for r in rows}
    return [s for s in scores if (s.student, s.lesson, exercise_id(s.grade_id)) not in keys]


def needs_person(rows: list[Row]) -> list[Row]:
    """The rows of written answers still waiting for a person's score."""
    return [r for r in rows if r.status == "manual"]


def manual_todo_text(rows: list[Row]) -> str:
    """Return ``manual_todo.csv``: one line per written answer waiting, points blank."""
    header = [*MANUAL_COLUMNS, "max_points"]
    lines = [{"student": r.student, "lesson": r.lesson, "grade_id": r.grade_id, "points": "",
              "comment": "", "max_points": _fmt(r.max_points)} for r in needs_person(rows)]
    return _csv_text(header, lines)


# --------------------------------------------------------------------------- reports

def _csv_text(header: list[str], rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def feedback_text(student: str, rows: list[Row]) -> str:
    """Return the Markdown feedback of one student: points and messages, no test code."""
    if not isinstance(student, str) or not isinstance(rows, list) \
            or not all(isinstance(r, Row) for r in rows):
        raise TypeError(f"feedback_text takes a student name (str) and a list of Row, not "
                        f"{type(student).__name__} and {type(rows).__name__}")
    lines = [f"# Feedback for {student}", ""]
    lessons: dict[str, list[Row]] = {}
    for row in rows:
        lessons.setdefault(row.lesson, []).append(row)
    for lesson, items in lessons.items():
        got = sum(r.points or 0 for r in items)
        top = sum(r.max_points for r in items)
        waiting = sum(r.max_points for r in needs_person(items))
        lines += [f"## {lesson}: {_fmt(got)} / {_fmt(top)} points", ""]
        if waiting:
            lines += [f"Written answers worth up to {_fmt(waiting)} points are not scored yet.",
                      ""]
        lines += ["| exercise | points | status | feedback |", "|---|---:|---|---|"]
        for r in items:
            if r.status == "passed":
                text = "✅"
            elif r.status == "manual":
                text = "a written answer: your instructor reads it and scores it"
            else:
                text = re.sub(r"\s*\n\s*", " ", r.reason).replace("|", "\\|")
            lines.append(f"| {r.grade_id} | {_fmt(r.points) or '?'} / {_fmt(r.max_points)} "
                         f"| {r.status} | {text} |")
        notes = [(r.grade_id, n) for r in items for n in r.notes]
        if notes:
            lines += ["", "Notes:", ""]
            lines += [f"* {gid + ': ' if gid else ''}{n}" for gid, n in notes]
        lines.append("")
    return "\n".join(lines)


def write_reports(rows: list[Row], out: str | os.PathLike) -> dict[str, Path]:
    """Write ``gradebook.csv``, ``summary.csv`` and ``feedback/<student>.md`` atomically.

    Every student has a feedback file of their own: a name that is not a safe file name,
    or that differs from another only by case, gets a short hash appended
    (:func:`utils.outputs.distinct_file_names`). ``rows`` must not be empty.

    When the lessons have written answers, ``manual_todo.csv`` lists those still waiting
    for a person (the format of ``manual.csv``, points blank).
    """
    if not isinstance(rows, list) or not all(isinstance(r, Row) for r in rows):
        raise TypeError(f"rows must be a list of Row (as grade() returns), not "
                        f"{type(rows).__name__}")
    if not rows:
        raise ValueError("no gradebook rows to write (no notebook was graded); nothing "
                         "was written")
    out = check_output_folder(out)
    paths = {"gradebook": out / "gradebook.csv", "summary": out / "summary.csv",
             "feedback": out / "feedback"}
    write_atomic(paths["gradebook"], _csv_text(GRADEBOOK_COLUMNS, [r.as_csv() for r in rows]))
    ids = list(dict.fromkeys(r.grade_id for r in rows if r.grade_id))
    students = list(dict.fromkeys(r.student for r in rows))
    table = []
    for student in students:
        mine = [r for r in rows if r.student == student]
        line = {"student": student}
        line.update({gid: _fmt(r.points) for r in mine for gid in [r.grade_id] if gid})
        line["total"] = _fmt(sum(r.points or 0 for r in mine))
        line["max_total"] = _fmt(sum(r.max_points for r in mine))
        line["needs_attention"] = str(sum(r.status not in ("passed", "graded-manually")
                                          for r in mine))
        table.append(line)
    header = ["student", *ids, "total", "max_total", "needs_attention"]
    write_atomic(paths["summary"], _csv_text(header, table))
    stems = distinct_file_names(students)
    for student in students:
        write_atomic(paths["feedback"] / f"{stems[student]}.md",
                     feedback_text(student, [r for r in rows if r.student == student]))
    if any(r.status in ("manual", "graded-manually") for r in rows):
        paths["manual_todo"] = out / "manual_todo.csv"
        write_atomic(paths["manual_todo"], manual_todo_text(rows))
    return paths


def no_notebooks_message(paths) -> str:
    """Say that ``paths`` hold no notebook to grade (and that nothing was written)."""
    paths = as_paths(paths)
    shown = ", ".join(str(p) for p in paths[:5]) + (" …" if len(paths) > 5 else "")
    return (f"found no notebooks (*.ipynb) in {shown}; give a notebook or a folder with one "
            "sub-folder per student holding their .ipynb files. Nothing was written")


def read_gradebook(path: str | os.PathLike) -> list[Row]:
    """Read the rows of a ``gradebook.csv`` that :func:`write_reports` wrote.

    Raises ValueError naming the file and line for a file without the gradebook's
    columns or with points that are not numbers.
    """
    path = Path(path)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in GRADEBOOK_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path} is not a gradebook: it lacks the column(s) "
                             f"{', '.join(missing)} (a gradebook has "
                             f"{', '.join(GRADEBOOK_COLUMNS)})")
        rows = []
        for line, raw in enumerate(reader, start=2):
            try:
                points = float(raw["points"]) if raw["points"] else None
                top = float(raw["max_points"])
            except (TypeError, ValueError):
                raise ValueError(f"{path}, line {line}: points {raw['points']!r} / "
                                 f"{raw['max_points']!r} are not numbers") from None
            rows.append(Row(raw["student"], raw["lesson"], raw["grade_id"], points, top,
                            raw["status"], raw["reason"] or "",
                            [n for n in (raw["notes"] or "").split(" | ") if n]))
    return rows


def _with_kept_grades(rows: list[Row], gradebook: Path) -> tuple[list[Row], int]:
    """``rows`` after the rows of ``gradebook`` whose student and lesson this run did not
    grade (one notebook graded into a class's grades/, lesson 01 after lesson 00), and how
    many student/lesson pairs were kept: a run adds to a gradebook and never loses it."""
    kept_pairs = set(grades_dropped(gradebook, {(r.student, r.lesson) for r in rows}))
    if not kept_pairs:
        return rows, 0
    kept = [r for r in read_gradebook(gradebook) if (r.student, r.lesson) in kept_pairs]
    return kept + rows, len(kept_pairs)


def main(argv: list[str] | None = None) -> int:
    """``python -m utils grade PATH... [-j N] [--timeout S] [--out DIR] [--manual FILE]``."""
    parser = argparse.ArgumentParser(
        prog="python -m utils grade",
        description="Grade notebooks against the masters in solutions/: one notebook (check "
                    "your own work) or a submissions folder (submissions/<student>/<lesson>"
                    ".ipynb). Writes gradebook.csv, summary.csv and feedback/<student>.md. "
                    "Written answers wait for a person: record their scores in "
                    "<out>/manual.csv (student,lesson,grade_id,points,comment) and run again.")
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="a notebook, or a folder with one sub-folder per student")
    parser.add_argument("-j", "--jobs", type=int, default=1,
                        help="notebooks graded at once (default: 1)")
    parser.add_argument("--timeout", type=float, default=30,
                        help="seconds allowed per cell (default: 30)")
    parser.add_argument("--out", type=Path, default=Path("grades"),
                        help="folder for the gradebook and feedback (default: grades/)")
    parser.add_argument("--solutions", type=Path, default=None,
                        help="folder of master notebooks (default: the kit's solutions/, or "
                             "lessons/ on a copy without it: visible checks only)")
    parser.add_argument("--manual", type=Path, default=None, metavar="FILE",
                        help="scores of written answers, CSV with the columns student, lesson, "
                             "grade_id, points, comment (default: <out>/manual.csv if it "
                             "exists; it is created, points blank, when it does not)")
    parser.add_argument("--seed", default=None,
                        help="seed of the changed corpus every notebook runs on a second time "
                             "(default: one derived from the masters, which students do not "
                             "have)")
    parser.add_argument("--replace", action="store_true",
                        help="write a gradebook of this run only (default: the grades an "
                             "existing gradebook in --out holds of other students or lessons "
                             "are kept)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the summary")
    args = parser.parse_args(argv)
    if args.jobs < 1 or not 0 < args.timeout < float("inf"):
        parser.error(f"-j must be at least 1 (not {args.jobs}) and --timeout a number of "
                     f"seconds above 0 (not {args.timeout})")
    visible_only = False
    if args.solutions is None:
        args.solutions, visible_only = masters_folder()

    def progress(sub: Submission, rows: list[Row], seconds: float) -> None:
        if not args.quiet:
            got = sum(r.points or 0 for r in rows)
            top = sum(r.max_points for r in rows)
            print(f"graded {sub.student} / {rows[0].lesson}: {_fmt(got)} / {_fmt(top)} "
                  f"({seconds:.1f} s)", flush=True)

    try:  # every argument is checked before any notebook runs
        check_output_folder(args.out, inputs=args.paths)
        check_input_paths(args.paths)
        if args.manual is not None:
            check_scores_file(args.manual)
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    manual_path = args.manual or args.out / "manual.csv"
    started = time.monotonic()
    try:
        rows = grade(args.paths, solutions=args.solutions, jobs=args.jobs,
                     timeout=args.timeout, progress=progress,
                     manual=manual_path if manual_path.is_file() else None, seed=args.seed)
    except ManualScoresError as err:
        print(f"error: the scores of written answers cannot be used; nothing was graded. "
              f"Fix {manual_path}:\n  " + str(err).replace("\n", "\n  "), file=sys.stderr)
        return 2
    except (FileNotFoundError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    try:
        written, kept = (rows, 0) if args.replace else _with_kept_grades(
            rows, args.out / "gradebook.csv")
    except ValueError as err:
        print(f"error: {err}; nothing was written (--replace writes over it)", file=sys.stderr)
        return 2
    paths = write_reports(written, args.out)
    if kept:
        print(f"kept the grades of {kept} other student/lesson pair(s) from "
              f"{paths['gradebook']} (--replace leaves them out)")
    if manual_path.is_file():
        students = sorted({r.student for r in rows})
        for score in unused_scores(rows, read_manual_scores(manual_path)):
            known = score.student in students
            print(f"warning: {manual_path.name}, line {score.line}: the score for "
                  f"{score.student} / {score.lesson} / {score.grade_id} was not used: "
                  + (f"{score.student} handed in no {score.lesson} in this run" if known else
                     f"no student {score.student!r} in this run (the students are "
                     f"{', '.join(students[:12])}{' …' if len(students) > 12 else ''})"),
                  file=sys.stderr)
    waiting = needs_person(rows)
    created = False
    if waiting and not manual_path.exists():
        write_atomic(manual_path, manual_todo_text(rows))
        created = True
    students = list(dict.fromkeys(r.student for r in rows))
    if len(students) == 1:
        print()
        print(feedback_text(students[0], rows))
    else:
        for student in students:
            mine = [r for r in rows if r.student == student]
            print(f"{student:<24} {_fmt(sum(r.points or 0 for r in mine)):>6} / "
                  f"{_fmt(sum(r.max_points for r in mine))}")
    if waiting:
        print(f"\n{len(waiting)} written answer(s) need a person (up to "
              f"{_fmt(sum(r.max_points for r in waiting))} points):")
        for r in waiting[:20]:
            print(f"  {r.student:<20} {r.lesson:<24} {r.grade_id:<10} up to "
                  f"{_fmt(r.max_points)} points")
        if len(waiting) > 20:
            print(f"  … and {len(waiting) - 20} more, listed in {paths['manual_todo']}")
        print(f"Record their scores in {manual_path} ({'created now, ' if created else ''}"
              "columns student, lesson, grade_id, points, comment) and run this command "
              "again; `python -m utils answers PATH --grade-id ID` shows the answers to one "
              "question side by side.\n")
    print(f"{len(students)} student(s) graded in {time.monotonic() - started:.1f} s; "
          f"wrote {paths['gradebook']}, {paths['summary']} and {paths['feedback']}/")
    if visible_only:
        print("Note: this copy of the kit has no solutions/ folder, so only the visible "
              "checks ran; your instructor's grading also runs hidden tests.")
    return 0


# --------------------------------------------------------------------------- answers side by side

_ANSWERS_CSS = """
body { font-family: "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Yu Gothic", "Meiryo",
       "Noto Sans CJK JP", "Noto Sans JP", "IPAexGothic", "IPAGothic", sans-serif;
       margin: 2em; line-height: 1.6; color: #222; }
.prompt { background: #f4f6f8; border-left: 4px solid #4a6fa5; padding: 0.5em 1em;
          margin-bottom: 1.5em; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(26em, 1fr));
        gap: 1em; }
.answer { border: 1px solid #ccc; border-radius: 6px; padding: 0.6em 1em; break-inside: avoid; }
.answer h2 { font-size: 1.05em; margin: 0 0 0.4em 0; display: flex;
             justify-content: space-between; }
.status { font-size: 0.85em; color: #a33; }
.score { font-size: 0.9em; color: #555; border-top: 1px dashed #ccc; margin-top: 0.6em;
         padding-top: 0.3em; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 0.2em 0.5em; }
"""


def _markdown_html(text: str) -> str:
    """Render Markdown to HTML with every raw HTML tag escaped (student text is untrusted)."""
    import mistune

    return mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])(text)


def _find_exercise(masters: dict[str, Master], grade_id: str) -> tuple[Master, Exercise]:
    wanted = exercise_id(grade_id)
    for master in masters.values():
        if wanted in master.exercises:
            return master, master.exercises[wanted]
    written = [ex.id for m in masters.values() for ex in m.exercises.values()
               if ex.manual_points > 0]
    raise ValueError(f"no exercise {grade_id!r} in the lessons ({', '.join(masters)}); the "
                     f"written answers are {', '.join(written) or 'none'}")


def collect_answers(paths: list[str | os.PathLike], grade_id: str, *,
                    solutions: str | os.PathLike | None = None) -> dict:
    """Read every student's answer to one exercise, without running anything.

    Returns ``{"lesson", "grade_id", "points", "prompt", "answers"}`` where ``answers`` is a
    list of ``{"student", "status", "text"}`` sorted by student; ``status`` is
    ``answered``, ``not-attempted`` (the stub), ``missing``, ``not-submitted`` or the
    reason a file could not be read.
    """
    masters = load_masters(solutions if solutions is not None else masters_folder()[0])
    master, ex = _find_exercise(masters, grade_id)
    first = min(ex.answers) if ex.answers else min(ex.checks)
    prompt = ""
    if first > 0 and master.nb.cells[first - 1].cell_type == "markdown" \
            and not nbgrader_meta(master.nb.cells[first - 1]):
        prompt = master.nb.cells[first - 1].source
    cells = [(nbgrader_meta(master.nb.cells[i])["grade_id"], master.released.cells[i].source)
             for i in ex.answers]
    answers = []
    subs = find_submissions(paths, masters)
    if not subs:
        raise FileNotFoundError(no_notebooks_message(paths))
    if not any(sub.lesson == master.name for sub in subs):
        raise FileNotFoundError(f"none of the {len(subs)} notebook(s) found is lesson "
                                f"{master.name}, which {grade_id} belongs to; nothing was "
                                "written")
    for sub in subs:
        if sub.lesson != master.name:
            continue
        entry = {"student": sub.student, "status": "answered", "text": ""}
        if sub.data is None:
            entry["status"] = "not-submitted"
        else:
            try:
                theirs = parse_cells(sub.data)
            except SubmissionProblem as problem:
                entry["status"] = problem.status
                entry["text"] = problem.reason
                theirs = None
            if theirs is not None:
                texts, unchanged = [], True
                for cell_id, stub in cells:
                    found = [c for c in theirs if c.grade_id == cell_id]
                    if not found:
                        continue
                    chosen = ([c for c in found if c.source.strip() != stub.strip()]
                              or found)[-1]
                    unchanged &= chosen.source.strip() == stub.strip()
                    texts.append(chosen.source)
                if not texts:
                    entry["status"] = "missing"
                elif unchanged:
                    entry["status"] = "not-attempted"
                entry["text"] = "\n\n".join(texts)
        answers.append(entry)
    answers.sort(key=lambda a: a["student"])
    return {"lesson": master.name, "grade_id": ex.id, "points": ex.max_points,
            "prompt": prompt, "answers": answers}


def export_answers(paths: list[str | os.PathLike], grade_id: str, *,
                   solutions: str | os.PathLike | None = None, manual=None,
                   anonymous: bool = False, fmt: str = "html") -> tuple[str, list[tuple[str, str]]]:
    """Put every student's answer to one exercise side by side, for fair marking.

    Returns the page (``fmt`` ``"html"`` or ``"md"``) and the key ``[(label, student)]``.
    With ``anonymous=True`` names become ``answer 01`` … in an order that does not follow
    the names (a hash of name and exercise), and only the key links them back; scores
    already in ``manual`` (a scores file) are shown under each answer otherwise.
    """
    import hashlib
    import html as _html

    if fmt not in ("html", "md"):
        raise ValueError(f"fmt must be 'html' or 'md', not {fmt!r}")
    data = collect_answers(paths, grade_id, solutions=solutions)
    scores = {}
    if manual is not None:
        scores = {(s.student, s.lesson, exercise_id(s.grade_id)): s
                  for s in (manual if isinstance(manual, list) else read_manual_scores(manual))}
    items = data["answers"]
    if anonymous:
        items = sorted(items, key=lambda a: hashlib.sha256(
            f"{a['student']}/{data['grade_id']}".encode("utf-8")).hexdigest())
    key, cards = [], []
    width = max(2, len(str(len(items))))
    for number, item in enumerate(items, 1):
        label = f"answer {number:0{width}d}" if anonymous else item["student"]
        key.append((label, item["student"]))
        score = None if anonymous else scores.get((item["student"], data["lesson"],
                                                   data["grade_id"]))
        cards.append((label, item, score))
    title = f"{data['lesson']} · {data['grade_id']}: {len(items)} answer(s), " \
            f"{_fmt(data['points'])} points each"
    if fmt == "md":
        lines = [f"# {title}", "", "## The question", "", data["prompt"] or "(no prompt)", ""]
        for label, item, score in cards:
            lines += [f"## {label}" + ("" if item["status"] == "answered"
                                        else f" ({item['status']})"), "",
                      item["text"].strip() or "_(nothing)_", ""]
            lines += [f"Score: {_fmt(score.points)} / {_fmt(data['points'])}"
                      + (f": {score.comment}" if score.comment else "") if score
                      else f"Score: ___ / {_fmt(data['points'])}", ""]
        return "\n".join(lines), key
    parts = ["<!DOCTYPE html>", '<html lang="ja">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{_html.escape(title)}</title>", f"<style>{_ANSWERS_CSS}</style>",
             "</head>", "<body>", f"<h1>{_html.escape(title)}</h1>",
             f'<div class="prompt">{_markdown_html(data["prompt"] or "(no prompt)")}</div>',
             '<div class="grid">']
    for label, item, score in cards:
        status = ("" if item["status"] == "answered"
                  else f'<span class="status">{_html.escape(item["status"])}</span>')
        body = (_markdown_html(item["text"]) if item["status"] in ("answered", "not-attempted")
                else f"<p>{_html.escape(item['text'])}</p>")
        mark = (f"{_fmt(score.points)} / {_fmt(data['points'])}"
                + (f": {_html.escape(score.comment)}" if score.comment else "")
                if score else f"___ / {_fmt(data['points'])}")
        parts += ['<section class="answer">',
                  f"<h2><span>{_html.escape(label)}</span>{status}</h2>", body,
                  f'<div class="score">score: {mark}</div>', "</section>"]
    parts += ["</div>", "</body>", "</html>", ""]
    return "\n".join(parts), key


def answers_main(argv: list[str] | None = None) -> int:
    """``python -m utils answers PATH... --grade-id ID [--out FILE] [--anonymous]``."""
    parser = argparse.ArgumentParser(
        prog="python -m utils answers",
        description="Put every student's answer to one exercise side by side (an HTML page, "
                    "or Markdown if --out ends in .md), for fair marking of written answers. "
                    "Nothing is run; submissions are only read.")
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="a submissions folder (one sub-folder per student) or notebooks")
    parser.add_argument("--grade-id", required=True, help="the exercise, e.g. ex05_10")
    parser.add_argument("--out", type=Path, default=None,
                        help="output file (default: answers_<grade-id>.html)")
    parser.add_argument("--anonymous", action="store_true",
                        help="hide the names (answer 01, 02 … in a scrambled order); the key "
                             "goes to <out>.key.csv")
    parser.add_argument("--manual", type=Path, default=None, metavar="FILE",
                        help="show the scores already recorded in this file (default: "
                             "grades/manual.csv if it exists)")
    parser.add_argument("--solutions", type=Path, default=None,
                        help="folder of master notebooks (default: the kit's solutions/)")
    args = parser.parse_args(argv)
    out = args.out or Path(f"answers_{args.grade_id}.html")
    manual = args.manual or (Path("grades") / "manual.csv")
    try:  # every argument is checked before anything is read or written
        check_output_file(out, inputs=args.paths, suffixes=(".html", ".htm", ".md"))
        if args.anonymous:
            key_file = check_output_file(out.with_name(out.name + ".key.csv"),
                                         inputs=args.paths)
            if key_file.exists():
                raise ValueError(
                    f"{key_file} exists: it says whose each numbered answer is, and a new "
                    "run numbers the answers anew, so marks written against it would go to "
                    "other students. Move it away once you have marked, or give another "
                    "--out")
        check_input_paths(args.paths)
        if args.manual is not None:
            check_scores_file(args.manual)
        text, key = export_answers(args.paths, args.grade_id, solutions=args.solutions,
                                   manual=manual if manual.is_file() else None,
                                   anonymous=args.anonymous,
                                   fmt="md" if out.suffix.lower() == ".md" else "html")
    except (FileNotFoundError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    write_atomic(out, text)
    print(f"wrote {out} ({len(key)} answer(s))")
    if args.anonymous:
        key_path = out.with_name(out.name + ".key.csv")
        write_atomic(key_path, _csv_text(["answer", "student"],
                                         [{"answer": a, "student": s} for a, s in key]))
        print(f"wrote {key_path} (which answer is whose: keep it until you have marked)")
    return 0
