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
  (:func:`utils.course.nbgrader_rules.determine_grade`).
* Computed, not typed: every notebook that earned points on a value or code exercise runs
  a second time on a changed copy of the corpus, and keeps those points only where its
  answers follow the texts as the master's do (``utils/course/verify.py``; status
  ``not-computed`` otherwise). Judgements are graded once.
* Each notebook runs against a private copy of the kit (``utils/course/sandbox.py``): what an
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
import sys
import time
from pathlib import Path

from .answers import answers_main, collect_answers, export_answers
from .classgrader import grade
from .gradebook import (GRADEBOOK_COLUMNS, MANUAL_COLUMNS, STATUSES, Row, feedback_text,
                        fmt_points, manual_todo_text, needs_person, read_gradebook,
                        with_kept_grades, write_reports)
from .grader import grade_submission
from .manual_scores import (ManualScore, ManualScoresError, apply_manual_scores,
                            check_manual_scores, read_manual_scores, unused_scores)
from .masters import Master, load_masters, masters_folder
from .notebooks import write_atomic
from .outputs import check_input_paths, check_output_folder, check_scores_file
from .submissions import Submission, SubmissionProblem, find_submissions, parse_cells
from .editions import edition_catalogs

# The grader's public names, from the modules that hold them (this module is the
# `python -m utils grade` command).
__all__ = ["GRADEBOOK_COLUMNS", "STATUSES", "MANUAL_COLUMNS", "Row", "Master", "Submission",
           "SubmissionProblem", "ManualScore", "ManualScoresError", "load_masters",
           "find_submissions", "parse_cells", "grade_submission", "grade",
           "read_manual_scores", "check_manual_scores", "apply_manual_scores",
           "unused_scores", "write_reports", "read_gradebook", "feedback_text",
           "collect_answers", "export_answers", "main", "answers_main"]


def _parser() -> argparse.ArgumentParser:
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
    return parser


def main(argv: list[str] | None = None) -> int:
    """``python -m utils grade PATH... [-j N] [--timeout S] [--out DIR] [--manual FILE]``."""
    parser = _parser()
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
            print(f"graded {sub.student} / {rows[0].lesson}: {fmt_points(got)} / "
                  f"{fmt_points(top)} ({seconds:.1f} s)", flush=True)

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
        written, kept = (rows, 0) if args.replace else with_kept_grades(
            rows, args.out / "gradebook.csv")
    except ValueError as err:
        print(f"error: {err}; nothing was written (--replace writes over it)", file=sys.stderr)
        return 2
    catalogs = edition_catalogs(written, args.solutions)
    paths = write_reports(written, args.out, catalogs=catalogs)
    _report(rows, paths, kept, manual_path, catalogs)
    print(f"{len({r.student for r in rows})} student(s) graded in "
          f"{time.monotonic() - started:.1f} s; wrote {paths['gradebook']}, {paths['summary']} "
          f"and {paths['feedback']}/")
    if visible_only:
        print("Note: this copy of the kit has no solutions/ folder, so only the visible "
              "checks ran; your instructor's grading also runs hidden tests.")
    return 0


def _report(rows: list[Row], paths: dict, kept: int, manual_path: Path,
            catalogs: dict | None = None) -> None:
    """Print what a run did: kept grades, unused scores, the feedback or one line per
    student, and the written answers that need a person (creating manual.csv for them)."""
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
        print(feedback_text(students[0], rows, catalogs=catalogs))
    else:
        for student in students:
            mine = [r for r in rows if r.student == student]
            print(f"{student:<24} {fmt_points(sum(r.points or 0 for r in mine)):>6} / "
                  f"{fmt_points(sum(r.max_points for r in mine))}")
    if waiting:
        print(f"\n{len(waiting)} written answer(s) need a person (up to "
              f"{fmt_points(sum(r.max_points for r in waiting))} points):")
        for r in waiting[:20]:
            print(f"  {r.student:<20} {r.lesson:<24} {r.grade_id:<10} up to "
                  f"{fmt_points(r.max_points)} points")
        if len(waiting) > 20:
            print(f"  … and {len(waiting) - 20} more, listed in {paths['manual_todo']}")
        print(f"Record their scores in {manual_path} ({'created now, ' if created else ''}"
              "columns student, lesson, grade_id, points, comment) and run this command "
              "again; `python -m utils answers PATH --grade-id ID` shows the answers to one "
              "question side by side.\n")
