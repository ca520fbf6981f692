"""Grade one submission against its master: put the answers in, run the master's checks.

Only the student's **answer cells** (nbgrader ``solution`` cells) are taken, matched by
``grade_id``, and put into a copy of the master, whose **own** check cells then run,
hidden tests included; editing or deleting a check gains nothing, and the row says it
happened. Each cell has a timeout; a cell that hangs or kills the kernel is replaced and
the rest runs in a fresh kernel (:class:`utils.course.runner.Runner`). The notebook runs in a
private copy of the kit (:mod:`utils.course.sandbox`): what an answer writes there is undone
after every cell and costs that exercise (``touched-kit``). An exercise that earned
points runs a second time on a changed corpus (:mod:`utils.course.verify`) and keeps them only
where its answers follow the texts (``not-computed`` otherwise). What each row then says
is decided by :func:`utils.course.outcome.classify`.
"""
from __future__ import annotations

import asyncio
import copy
import time
from dataclasses import dataclass, field

from .gradebook import Row
from .masters import Master
from .nbgrader_rules import determine_grade, error_of, is_solution, nbgrader_meta
from .outcome import ExerciseRun, check_message, classify, clean_message
from .lesson_format import exercise_id
from .runner import Runner
from .sandbox import Change, KitCopy
from .submissions import StudentCell, Submission, SubmissionProblem, lesson_numbers, parse_cells
from .verify import RECORDING, Verifier, compare, kernel_env, to_recheck

__all__ = ["grade_submission", "rows_for_all", "Slot"]


def rows_for_all(master: Master, student: str, status: str, reason: str,
                 notes: list[str] | None = None) -> list[Row]:
    """Return one row per exercise of ``master``, all with the same status and no points."""
    return [Row(student, master.name, ex.id, 0.0, ex.max_points, status, reason,
                list(notes or []))
            for ex in master.exercises.values()]


def _unusable(sub: Submission, master: Master) -> tuple[list[Row] | None, list[StudentCell]]:
    """Rows for a file that cannot be graded at all (none: go on), and its cells."""
    student, notes = sub.student, sub.notes
    if sub.data is None:
        return rows_for_all(master, student, "not-submitted",
                            f"no {master.name}.ipynb was handed in", notes), []
    if sub.path.suffix != ".ipynb":
        return rows_for_all(master, student, "not-a-notebook",
                            f"{sub.path.name} is not a notebook; hand in {master.name}.ipynb "
                            "(File → Save, then hand in the .ipynb file)", notes), []
    try:
        cells = parse_cells(sub.data)
    except SubmissionProblem as problem:
        return rows_for_all(master, student, problem.status,
                            f"{sub.path.name}: {problem.reason}", notes), []
    numbers = lesson_numbers(cells)
    if master.number and numbers and master.number not in numbers:
        other = numbers.most_common(1)[0][0]
        return rows_for_all(master, student, "wrong-lesson",
                            f"{sub.path.name} holds the exercises of lesson {other} "
                            f"(ex{other}_…), not of {master.name}", notes), []
    return None, cells


def _pick_duplicate(cells: list[StudentCell], stub: str) -> tuple[StudentCell, str]:
    edited = [c for c in cells if c.source.strip() != stub.strip()]
    chosen = (edited or cells)[-1]
    where = ", ".join(str(c.position) for c in cells)
    return chosen, (f"{len(cells)} cells (cells {where}) carry the id of this answer; "
                    f"graded cell {chosen.position}")


@dataclass
class _Filled:
    """The master with the student's answers in it, and what was found on the way."""

    nb: object
    notes: dict[str, list[str]]
    general: list[str]
    missing: dict[int, str] = field(default_factory=dict)
    unchanged: set[int] = field(default_factory=set)
    matched: int = 0


def _fill_answers(sub: Submission, master: Master, cells: list[StudentCell]) -> _Filled:
    """Put the student's answer cells into a copy of the master, noting what is odd."""
    by_id: dict[str, list[StudentCell]] = {}
    for cell in cells:
        if cell.grade_id:
            by_id.setdefault(cell.grade_id, []).append(cell)
    filled = _Filled(copy.deepcopy(master.nb), {ex: [] for ex in master.exercises},
                     list(sub.notes))
    for ex in master.exercises.values():
        for index in ex.answers:
            _fill_one(filled, master, index, by_id, filled.notes[ex.id])
        for index in ex.checks:
            if is_solution(master.nb.cells[index]):
                continue  # a written answer: the student is meant to edit it
            grade_id = nbgrader_meta(master.nb.cells[index])["grade_id"]
            theirs = by_id.get(grade_id, [])
            shown = (master.released.cells[index].source.strip(),
                     master.nb.cells[index].source.strip())
            if not theirs:
                filled.notes[ex.id].append(f"the check cell {grade_id} was deleted; the "
                                           "original check was run")
            elif any(c.source.strip() not in shown for c in theirs):
                filled.notes[ex.id].append(f"the check cell {grade_id} was edited; the "
                                           "original check was run")
    for grade_id in sorted(set(by_id) - set(master.ids)):
        positions = ", ".join(str(c.position) for c in by_id[grade_id])
        note = (f"cell {positions} has the id {grade_id!r}, which this lesson does not have; "
                "it was ignored (was the id changed?)")
        ex = exercise_id(grade_id)
        (filled.notes[ex] if ex in filled.notes else filled.general).append(note)
    return filled


def _fill_one(filled: _Filled, master: Master, index: int, by_id, notes: list[str]) -> None:
    grade_id = nbgrader_meta(master.nb.cells[index])["grade_id"]
    stub = master.released.cells[index].source
    candidates = by_id.get(grade_id, [])
    if not candidates:
        filled.missing[index] = grade_id
        filled.nb.cells[index].source = stub
        return
    filled.matched += 1
    chosen = candidates[0]
    if len(candidates) > 1:
        chosen, note = _pick_duplicate(candidates, stub)
        notes.append(note)
    if chosen.cell_type != master.nb.cells[index].cell_type:
        notes.append(f"the answer cell was turned into a {chosen.cell_type} cell; its text "
                     f"was run as {master.nb.cells[index].cell_type}")
    filled.nb.cells[index].source = chosen.source
    if chosen.source.strip() == stub.strip():
        filled.unchanged.add(index)


class _KitWatch:
    """After each cell: undo what it wrote to the kit's copy, and blame its exercise."""

    def __init__(self, master: Master, kit: KitCopy):
        self.master, self.kit = master, kit
        self.touched: dict[str, list[Change]] = {}
        self.last_answer: int | None = None

    def __call__(self, index: int, run) -> None:
        if index in self.master.answer_of:
            self.last_answer = index
        changes = self.kit.restore()
        if not changes:
            return
        blamed = (self.master.answer_of.get(index) or self.master.exercise_of_check.get(index)
                  or self.master.answer_of.get(self.last_answer))
        if blamed is not None:
            mine = self.touched.setdefault(blamed, [])
            mine += [c for c in changes if c not in mine]


class Slot:
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


async def grade_submission(sub: Submission, master: Master, *, timeout: float = 30,
                           verifier: Verifier | None = None,
                           limit: asyncio.Semaphore | None = None, tracker=None) -> list[Row]:
    """Grade one submission against its master; never raises for a bad notebook.

    With a ``verifier`` the notebook runs a second time on a changed corpus to confirm
    that its answers are computed (``utils/course/verify.py``). ``limit`` bounds the kernels
    that run at once (the run waits for the master's run outside it).
    """
    rows, cells = _unusable(sub, master)
    if rows is not None:
        return rows
    filled = _fill_answers(sub, master, cells)
    if filled.matched == 0:
        return [Row(sub.student, master.name, ex.id, 0.0, ex.max_points, "missing",
                    "none of this lesson's answer cells is in the notebook (was the work "
                    "done in new cells, or in another notebook?)",
                    filled.notes[ex.id] + filled.general)
                for ex in master.exercises.values()]
    kit = KitCopy(master.path.parent)
    watch = _KitWatch(master, kit)
    runner = Runner(master, cwd=kit.cwd, timeout=timeout, env={**kit.env(), **kernel_env()},
                    after_cell=watch)
    try:
        async with Slot(limit, sub, tracker):
            first = await runner.run(filled.nb, last=master.last_graded)
        rows = _rows(sub, master, filled, first, timeout)
        failed_setup = master.setup_error(filled.nb)
        if failed_setup:
            index, name, message = failed_setup
            return rows_for_all(master, sub.student, "grader-error",
                                clean_message(f"the lesson's own cell {index + 1} failed "
                                              f"before any answer ran ({name}: {message}): a "
                                              "problem of the grading environment, not of "
                                              "this work"), sub.notes)
        row_of = {row.grade_id: row for row in rows}
        if master.is_lesson:
            _mark_pending(master, row_of)
        if verifier is not None:
            await _recheck(sub, master, filled.nb, first, row_of, watch, runner, verifier,
                           limit, tracker)
    finally:
        await runner.close()
        kit.close()
    for ex_id, changes in watch.touched.items():
        row = row_of[ex_id]
        row.points, row.status = 0.0, "touched-kit"
        row.reason = clean_message(
            "your answer wrote to or deleted files of the kit: "
            + ", ".join(map(str, changes[:5])) + ("…" if len(changes) > 5 else "")
            + " (they were put back); answers may read the kit, never change it")
    return rows


def _mark_pending(master: Master, row_of: dict[str, Row]) -> None:
    """On a student's copy (no masters), a judgement's checks only see its form."""
    for ex in master.exercises.values():
        row = row_of[ex.id]
        if ex.kind == "judgement" and ex.manual_points == 0 and row.status == "passed":
            row.points, row.status = None, "pending"
            row.reason = ("a judgement: your instructor scores it against material you do "
                          "not have; the checks here only look at its form")


async def _recheck(sub, master, graded, first, row_of, watch, runner, verifier, limit,
                   tracker) -> None:
    """Run the exercises that earned points again on a changed corpus; keep their points
    only where the answers follow the texts as the master's do."""
    recheck = [ex for ex in to_recheck(master)
               if (row_of[ex.id].points or 0) > 0 and ex.id not in watch.touched]
    if not recheck:
        return
    expected = await verifier.expected(master)
    again = second = None
    if expected.variant is not None and not expected.broken:
        second = copy.deepcopy(graded)
        wanted = {i for ex in recheck for i in ex.checks}
        for index in master.exercise_of_check:
            if index not in wanted and second.cells[index].cell_type == "code":
                second.cells[index].source = ""
        for index, run in first.runs.items():
            if index in master.answer_of and run.status == "timeout":
                second.cells[index].source = ""  # it would only time out again
        watch.kit.use_corpus(expected.variant)
        watch.last_answer = None
        async with Slot(limit, sub, tracker):
            again = await runner.run(second, prelude=RECORDING, stopped=first.stopped,
                                     last=max(wanted))
    for ex in recheck:
        row = row_of[ex.id]
        if expected.broken or again is None:
            row.points, row.status = 0.0, "grader-error"
            row.reason = clean_message("the grader could not run the lesson on a changed "
                                       "copy of the corpus to check this answer: "
                                       f"{expected.broken or 'no variant'}")
        elif ex.id in expected.problems:
            row.notes.append(f"not re-checked on a changed corpus ({expected.problems[ex.id]}"
                             "); please report it")
        elif ex.id not in watch.touched:
            why = compare(ex, second, again.runs, expected)
            if why:
                row.points, row.status, row.reason = 0.0, "not-computed", why


def _rows(sub: Submission, master: Master, filled: _Filled, result, timeout: float) -> list[Row]:
    """The gradebook rows of one notebook after its run on the corpus."""
    rows = []
    for ex in master.exercises.values():
        run, check_points = _exercise_run(ex, master, filled, result, timeout)
        outcome = classify(run)
        row = Row(sub.student, master.name, ex.id, outcome.points, ex.max_points,
                  outcome.status, outcome.reason,
                  notes=filled.notes[ex.id] + (filled.general if not rows else []),
                  checks=check_points)
        if result.broken:
            row.notes.append(f"grading stopped early: {result.broken}")
        if outcome.note:
            row.notes.append(outcome.note)
        rows.append(row)
    return rows


def _exercise_run(ex, master: Master, filled: _Filled, result, timeout: float):
    """Gather what happened to one exercise's cells: an ExerciseRun, and each check's
    points ``{grade_id: (points, max_points)}``."""
    graded, runs, stopped = filled.nb, result.runs, result.stopped
    points, written, bad_partial, messages, check_points = 0.0, False, False, [], {}
    for index in ex.checks:
        cell = graded.cells[index]
        if is_solution(cell):  # a written (markdown) answer, graded by a person
            cell.metadata["nbgrader"]["checksum"] = \
                master.released.cells[index].metadata["nbgrader"]["checksum"]
            written |= index not in filled.missing and index not in filled.unchanged
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
        message = check_message(cell) if got < float(nbgrader_meta(cell)["points"]) else ""
        if message and message not in messages:
            messages.append(message)
    errors = [error_of(graded.cells[i]) for i in ex.answers
              if i not in filled.missing and i not in stopped
              and graded.cells[i].cell_type == "code"]
    stop, where = next((stopped[i] for i in ex.answers if i in stopped), (None, None))
    timed_out = [i for i in (*ex.answers, *ex.checks) if runs.get(i)
                 and runs[i].status == "timeout"]
    run = ExerciseRun(
        points=points, max_points=ex.max_points, written=written, bad_partial=bad_partial,
        missing=tuple(filled.missing[i] for i in ex.answers if i in filled.missing),
        stopped=stop, stopped_in=where,
        answer_timeout=any(i in ex.answers for i in timed_out),
        check_timeout=any(i in ex.checks for i in timed_out),
        unchanged=any(i in filled.unchanged for i in ex.answers),
        markdown_answers=all(master.nb.cells[i].cell_type == "markdown" for i in ex.answers),
        answer_errors=tuple(e for e in errors if e), messages=tuple(messages), timeout=timeout)
    return run, check_points
