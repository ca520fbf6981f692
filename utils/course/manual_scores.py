"""Score written answers by hand: the instructor's ``manual.csv``, read, checked, applied.

Written answers (nbgrader cells that are both ``solution`` and ``grade``, in markdown) get
the status ``manual`` and no points from the grader; the instructor records scores in a
CSV file (``student, lesson, grade_id, points, comment``) that the next run reads, and
those rows become ``graded-manually``.
"""
from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import dataclass
from pathlib import Path

from .gradebook import MANUAL_COLUMNS, Row, fmt_points
from .masters import Master
from .lesson_format import exercise_id

__all__ = ["ManualScoresError", "ManualScore", "read_manual_scores", "check_manual_scores",
           "apply_manual_scores", "unused_scores"]


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
    name, text = _scores_text(path)
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
            f"{','.join(MANUAL_COLUMNS)} (comment is optional), found "
            f"{','.join(header) or 'nothing'}")
    problems, scores = _parse_rows(reader, name)
    if problems:
        raise ManualScoresError("\n".join(problems))
    return scores


def _scores_text(path) -> tuple[str, str]:
    """Read a scores file (a path or an open file) as text: its name and its contents."""
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
    return name, text


def _parse_rows(reader: csv.DictReader, name: str) -> tuple[list[str], list[ManualScore]]:
    """Read the scores of a CSV reader, line by line: the problems, and the scores."""
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
    return problems, scores


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
            problems.append(f"{where}: {fmt_points(s.points)} points is more than the "
                            f"{fmt_points(ex.manual_points)} that {s.grade_id} is worth")
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
