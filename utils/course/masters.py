"""Read the master notebooks a grader grades against: their exercises, cells and points.

A :class:`Master` is one notebook of ``solutions/`` (or, on a student's copy of the kit
without it, of ``lessons/``) with its student rendering; an :class:`Exercise` lists the
answer cells, check cells and points of one ``exNN_MM``.
"""
from __future__ import annotations

import copy
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .lesson_format import (CHECK_CALL, exercise_id, exercise_kind, is_master_only,
                            lesson_problems)
from .nbgrader_rules import error_of, is_grade, is_solution, nbgrader_meta
from .notebooks import LESSONS_DIR, SOLUTIONS_DIR, read_notebook
from .outputs import as_paths
from .release import release_notebook

if TYPE_CHECKING:
    import nbformat

__all__ = ["Exercise", "Master", "masters_folder", "load_masters", "find_exercise"]


@dataclass
class Exercise:
    """The cells of one exercise in a master: answer cells, check cells and points."""

    id: str
    answers: list[int] = field(default_factory=list)
    checks: list[int] = field(default_factory=list)
    max_points: float = 0.0
    #: points of the written answers (markdown cells graded by a person)
    manual_points: float = 0.0
    #: value, code or judgement (:func:`utils.course.lesson_format.exercise_kind` of its first check)
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
    def last_graded(self) -> int:
        """The index of the last cell that counts for a grade (an answer or a check):
        the cells after it (a worked comparison, going further) grade nothing."""
        return max(self.ids.values(), default=len(self.nb.cells) - 1)

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


def find_exercise(masters: dict[str, Master], grade_id: str) -> tuple[Master, Exercise]:
    """Find the master and the exercise that ``grade_id`` (``ex05_10`` or one of its cells)
    belongs to; a ValueError lists the written answers when there is none."""
    wanted = exercise_id(grade_id)
    for master in masters.values():
        if wanted in master.exercises:
            return master, master.exercises[wanted]
    written = [ex.id for m in masters.values() for ex in m.exercises.values()
               if ex.manual_points > 0]
    raise ValueError(f"no exercise {grade_id!r} in the lessons ({', '.join(masters)}); the "
                     f"written answers are {', '.join(written) or 'none'}")
