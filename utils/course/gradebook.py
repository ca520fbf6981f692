"""Keep the class's grades: the gradebook rows and the files written from them.

One :class:`Row` per student and exercise; ``gradebook.csv`` holds them, ``summary.csv``
one line per student, ``feedback/<student>.md`` what each student reads, and
``manual_todo.csv`` the written answers still waiting for a person (see
:mod:`utils.course.manual_scores`). Every file is written atomically.
"""
from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .i18n import kit_catalog
from .notebooks import write_atomic
from .outputs import check_output_folder, distinct_file_names, grades_dropped

__all__ = ["GRADEBOOK_COLUMNS", "STATUSES", "MANUAL_COLUMNS", "Row", "fmt_points", "csv_text",
           "needs_person", "manual_todo_text", "feedback_text", "write_reports",
           "read_gradebook", "with_kept_grades"]

#: Columns of ``gradebook.csv``, one row per student and exercise.
GRADEBOOK_COLUMNS = ["student", "lesson", "grade_id", "points", "max_points", "status",
                     "reason", "notes", "edition"]
#: columns a gradebook written before the Japanese edition may lack (read as English)
_OPTIONAL_COLUMNS = ("edition",)

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
    #: the language of the lesson the student handed in (``en`` or ``ja``): their feedback's
    edition: str = "en"
    #: points of each check cell, ``{grade_id: (points, max_points)}`` (not in the CSV)
    checks: dict[str, tuple[float | None, float]] = field(default_factory=dict, repr=False)

    def as_csv(self) -> dict[str, str]:
        return {"student": self.student, "lesson": self.lesson, "grade_id": self.grade_id,
                "points": fmt_points(self.points), "max_points": fmt_points(self.max_points),
                "status": self.status, "reason": self.reason, "notes": " | ".join(self.notes),
                "edition": self.edition}


def fmt_points(number: float | None) -> str:
    """Format points the way people write them: ``2``, ``1.5``, or blank for unknown.

    >>> fmt_points(2.0), fmt_points(1.5), fmt_points(None)
    ('2', '1.5', '')
    """
    if number is None:
        return ""
    number = round(float(number), 4)
    return str(int(number)) if number.is_integer() else f"{number:g}"


#: Columns of the instructor's scores file (``manual.csv``); ``comment`` is optional and
#: other columns (such as ``max_points`` in ``manual_todo.csv``) are ignored.
MANUAL_COLUMNS = ["student", "lesson", "grade_id", "points", "comment"]


def needs_person(rows: list[Row]) -> list[Row]:
    """The rows of written answers still waiting for a person's score."""
    return [r for r in rows if r.status == "manual"]


def manual_todo_text(rows: list[Row]) -> str:
    """Return ``manual_todo.csv``: one line per written answer waiting, points blank."""
    header = [*MANUAL_COLUMNS, "max_points"]
    lines = [{"student": r.student, "lesson": r.lesson, "grade_id": r.grade_id, "points": "",
              "comment": "", "max_points": fmt_points(r.max_points)} for r in needs_person(rows)]
    return csv_text(header, lines)


def csv_text(header: list[str], rows: list[dict[str, str]]) -> str:
    """Return rows as CSV text with a header line (``\n`` line ends, as written to disk)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def feedback_text(student: str, rows: list[Row], *, catalogs: dict | None = None) -> str:
    """Return the Markdown feedback of one student: points and messages, no test code.

    It speaks the language of the edition the student handed in (:attr:`Row.edition`):
    ``catalogs`` maps ``(lesson, language)`` to the :class:`~utils.course.i18n.Catalog` of
    that lesson's questions (:func:`utils.course.translations.lesson_catalog`); the kit's
    own wording is translated in any case.
    """
    if not isinstance(student, str) or not isinstance(rows, list) \
            or not all(isinstance(r, Row) for r in rows):
        raise TypeError(f"feedback_text takes a student name (str) and a list of Row, not "
                        f"{type(student).__name__} and {type(rows).__name__}")
    editions = [r.edition for r in rows]
    language = max(sorted(set(editions)), key=editions.count) if editions else "en"
    say = kit_catalog(language).translate
    lines = [say(f"# Feedback for {student}"), ""]
    lessons: dict[str, list[Row]] = {}
    for row in rows:
        lessons.setdefault(row.lesson, []).append(row)
    for lesson, items in lessons.items():
        lines += _lesson_feedback(lesson, items, catalogs or {})
    return "\n".join(lines)


def _lesson_feedback(lesson: str, items: list[Row], catalogs: dict) -> list[str]:
    language = items[0].edition
    kit = kit_catalog(language)
    catalog = catalogs.get((lesson, language))
    say = (catalog + kit if catalog is not None else kit).translate
    got = sum(r.points or 0 for r in items)
    top = sum(r.max_points for r in items)
    waiting = sum(r.max_points for r in needs_person(items))
    lines = [say(f"## {lesson}: {fmt_points(got)} / {fmt_points(top)} points"), ""]
    if waiting:
        lines += [say(f"Written answers worth up to {fmt_points(waiting)} points are not "
                      "scored yet."), ""]
    lines += [say("| exercise | points | status | feedback |"), "|---|---:|---|---|"]
    for r in items:
        if r.status == "passed":
            text = "✅"
        elif r.status == "manual":
            text = say("a written answer: your instructor reads it and scores it")
        else:
            text = re.sub(r"\s*\n\s*", " ", say(r.reason)).replace("|", "\\|")
        lines.append(f"| {r.grade_id} | {fmt_points(r.points) or '?'} / "
                     f"{fmt_points(r.max_points)} | {r.status} | {text} |")
    notes = [(r.grade_id, say(n)) for r in items for n in r.notes]
    if notes:
        lines += ["", say("Notes:"), ""]
        lines += [f"* {gid + ': ' if gid else ''}{n}" for gid, n in notes]
    lines.append("")
    return lines


def write_reports(rows: list[Row], out: str | os.PathLike, *,
                  catalogs: dict | None = None) -> dict[str, Path]:
    """Write ``gradebook.csv``, ``summary.csv`` and ``feedback/<student>.md`` atomically.

    Every student has a feedback file of their own: a name that is not a safe file name,
    or that differs from another only by case, gets a short hash appended
    (:func:`utils.course.outputs.distinct_file_names`). ``rows`` must not be empty.

    When the lessons have written answers, ``manual_todo.csv`` lists those still waiting
    for a person (the format of ``manual.csv``, points blank). ``catalogs`` translates
    the questions of feedback files in another edition (see :func:`feedback_text`).
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
    write_atomic(paths["gradebook"], csv_text(GRADEBOOK_COLUMNS, [r.as_csv() for r in rows]))
    ids = list(dict.fromkeys(r.grade_id for r in rows if r.grade_id))
    students = list(dict.fromkeys(r.student for r in rows))
    table = []
    for student in students:
        mine = [r for r in rows if r.student == student]
        line = {"student": student}
        line.update({gid: fmt_points(r.points) for r in mine for gid in [r.grade_id] if gid})
        line["total"] = fmt_points(sum(r.points or 0 for r in mine))
        line["max_total"] = fmt_points(sum(r.max_points for r in mine))
        line["needs_attention"] = str(sum(r.status not in ("passed", "graded-manually")
                                          for r in mine))
        table.append(line)
    header = ["student", *ids, "total", "max_total", "needs_attention"]
    write_atomic(paths["summary"], csv_text(header, table))
    stems = distinct_file_names(students)
    for student in students:
        write_atomic(paths["feedback"] / f"{stems[student]}.md",
                     feedback_text(student, [r for r in rows if r.student == student],
                                   catalogs=catalogs))
    if any(r.status in ("manual", "graded-manually") for r in rows):
        paths["manual_todo"] = out / "manual_todo.csv"
        write_atomic(paths["manual_todo"], manual_todo_text(rows))
    return paths


def read_gradebook(path: str | os.PathLike) -> list[Row]:
    """Read the rows of a ``gradebook.csv`` that :func:`write_reports` wrote.

    Raises ValueError naming the file and line for a file without the gradebook's
    columns or with points that are not numbers.
    """
    path = Path(path)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in GRADEBOOK_COLUMNS if c not in (reader.fieldnames or [])
                   and c not in _OPTIONAL_COLUMNS]
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
                            [n for n in (raw["notes"] or "").split(" | ") if n],
                            raw.get("edition") if raw.get("edition") in ("en", "ja") else "en"))
    return rows


def with_kept_grades(rows: list[Row], gradebook: Path) -> tuple[list[Row], int]:
    """``rows`` after the rows of ``gradebook`` whose student and lesson this run did not
    grade (one notebook graded into a class's grades/, lesson 01 after lesson 00), and how
    many student/lesson pairs were kept: a run adds to a gradebook and never loses it."""
    kept_pairs = set(grades_dropped(gradebook, {(r.student, r.lesson) for r in rows}))
    if not kept_pairs:
        return rows, 0
    kept = [r for r in read_gradebook(gradebook) if (r.student, r.lesson) in kept_pairs]
    return kept + rows, len(kept_pairs)
