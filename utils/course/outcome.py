"""Decide what a gradebook row says: an exercise's status, points and reason from its run.

The grader (:mod:`utils.course.grader`) runs a notebook and gathers, for each exercise, what
happened to its cells: the points its checks gave, the errors its answer cells raised,
whether a cell was stopped, missing or left as the stub. :func:`classify` turns those
facts into the row a student and an instructor read. It is a pure function (no kernel,
no file), so every status of :data:`utils.course.gradebook.STATUSES` that a run can give is
tested from a table.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .gradebook import fmt_points
from .nbgrader_rules import error_of

__all__ = ["ExerciseRun", "Outcome", "classify", "clean_message", "check_message"]


@dataclass(frozen=True)
class ExerciseRun:
    """What happened to one exercise's cells in one run of a notebook."""

    points: float
    max_points: float
    #: a written (markdown) answer was edited: a person must score it
    written: bool = False
    #: a check printed a partial grade larger than its points
    bad_partial: bool = False
    #: grade_ids of answer cells the notebook does not have
    missing: tuple[str, ...] = ()
    #: how the run stopped in this exercise ("timeout", "kernel-died") and where
    #: ("answer", "check"), if it did
    stopped: str | None = None
    stopped_in: str | None = None
    answer_timeout: bool = False
    check_timeout: bool = False
    #: an answer cell still holds its stub
    unchanged: bool = False
    #: every answer cell is markdown (a written answer)
    markdown_answers: bool = False
    #: (error name, message) of each answer cell that raised
    answer_errors: tuple[tuple[str, str], ...] = ()
    #: the questions of the checks that did not pass, in order, without repeats
    messages: tuple[str, ...] = ()
    #: seconds a cell may run
    timeout: float = 30


@dataclass(frozen=True)
class Outcome:
    """A row's verdict: ``status`` (a key of STATUSES), points, reason, and a note."""

    status: str
    points: float | None
    reason: str = ""
    note: str = ""


def classify(run: ExerciseRun) -> Outcome:
    """Return the status, points and reason of one exercise after its run.

    The first rule that applies wins: a written answer waits for a person; a broken
    partial grade is an error; full points pass whatever else happened; then missing
    cells, timeouts, a dead kernel, an untouched stub, an answer that raised, a check
    that raised, and last a plain failure (or partial credit).

    >>> classify(ExerciseRun(points=2.0, max_points=2.0)).status
    'passed'
    >>> classify(ExerciseRun(points=0.0, max_points=2.0, unchanged=True)).reason
    'the answer cell still holds `raise NotImplementedError()`'
    >>> classify(ExerciseRun(points=1.0, max_points=2.0, messages=("語彙素で数えましたか?",)))
    Outcome(status='partial', points=1.0, reason='語彙素で数えましたか?', note='')
    """
    points, top = run.points, run.max_points
    if run.written:
        return Outcome("manual", None,
                       f"a written answer: read it and give up to {fmt_points(top)} points")
    if run.bad_partial:
        return Outcome("error", 0.0, "a check printed a partial grade larger than its points")
    if points >= top:
        note = (f"the answer cell raised {run.answer_errors[0][0]}, but the checks passed"
                if run.answer_errors else "")
        return Outcome("passed", points, "", note)
    if run.missing:
        return Outcome("missing", points,
                       f"no answer cell {', '.join(run.missing)} in the notebook (was it "
                       "deleted, or was the work done in a new cell?)")
    timed_out = run.stopped == "timeout" or run.answer_timeout or run.check_timeout
    if timed_out:
        in_check = (run.stopped_in == "check"
                    or (run.check_timeout and not run.answer_timeout))
        seconds = fmt_points(run.timeout)
        return Outcome("timeout", points,
                       f"the check ran longer than {seconds} s on your answer and was "
                       "stopped (does your answer make it loop forever?)" if in_check
                       else f"the answer cell ran longer than {seconds} s and was stopped "
                       "(an endless loop?)")
    if run.stopped == "kernel-died":
        reason = ("the answer crashed the Python kernel (too much memory, os._exit?)"
                  if run.stopped_in == "answer"
                  else "the check crashed the Python kernel on your answer")
        return Outcome("kernel-died", points,
                       reason + "; the other exercises were graded in a fresh kernel")
    if run.unchanged or any(name == "NotImplementedError" for name, _ in run.answer_errors):
        return Outcome("not-attempted", points,
                       "the answer cell still holds YOUR ANSWER HERE" if run.markdown_answers
                       else "the answer cell still holds `raise NotImplementedError()`")
    if run.answer_errors:
        name, message = run.answer_errors[0]
        if name == "_IncompleteInputError":  # Python 3.13's name for an unfinished line
            name = "SyntaxError"
        return Outcome("error", points, clean_message(f"your answer cell raised {name}: "
                                                      f"{message}"))
    if run.messages and all(m.startswith("the check raised") for m in run.messages):
        return Outcome("error", points, "; ".join(run.messages))
    if points > 0:
        return Outcome("partial", points, "; ".join(run.messages) or
                       f"partial credit: {fmt_points(points)} of {fmt_points(top)} points")
    return Outcome("failed", points, "; ".join(run.messages) or "a check did not pass")


def clean_message(text: str, limit: int = 300) -> str:
    """Make one line of a message: no colour codes, no temporary file names, at most
    ``limit`` characters.

    >>> clean_message("\\x1b[31mSyntaxError\\x1b[0m: invalid syntax (3420874.py, line 2)\\n「　」")
    'SyntaxError: invalid syntax (line 2) 「　」'
    """
    text = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", str(text))
    text = re.sub(r"\(\S*?\.py, line (\d+)\)", r"(line \1)", text)
    text = re.sub(r"[ \t\r\n\f\v]+", " ", text).strip()  # keeps the full-width space
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_message(cell) -> str:
    """Return the student-visible message of a failed check: its question, never its
    source ("" when the check cell shows no failure)."""
    error = error_of(cell)
    if error is None:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                return "the check wrote to stderr, which counts as a failure"
        return ""
    ename, evalue = error
    if ename in ("CheckFailed", "AssertionError"):
        return clean_message(evalue) or "a hidden check did not pass"
    if ename in ("KeyboardInterrupt", "CellTimeout"):
        return "the check ran too long and was stopped"
    return clean_message(f"the check raised {ename}: {evalue}")
