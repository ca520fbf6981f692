"""Grade a whole class: every submission against its master, several kernels at once.

:func:`grade` finds the submissions (:mod:`utils.course.submissions`), loads the masters
(:mod:`utils.course.masters`), checks the instructor's scores of written answers
(:mod:`utils.course.manual_scores`) before any notebook runs, grades each notebook
(:func:`utils.course.grader.grade_submission`) with at most ``jobs`` kernels at a time, and guards
the real kit: a change to it while notebooks ran is blamed on the notebook that made it
(graded again alone when several ran at once).
"""
from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

from ..analysis.corpus import CORPUS_DIR
from .gradebook import Row
from .grader import grade_submission, rows_for_all
from .manual_scores import ManualScore, ManualScoresError, apply_manual_scores, \
    check_manual_scores, read_manual_scores
from .masters import Master, load_masters, masters_folder
from .outcome import clean_message
from .outputs import check_input_paths
from .sandbox import Change, KitGuard
from .submissions import (Submission, attempted, find_submissions, no_notebooks_message,
                          unmatched_reason, unmatched_status)
from .verify import Verifier, base_seed

from ..paths import PACKAGE_DIR

__all__ = ["grade"]


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
            return rows_for_all(master, sub.student, "grader-error",
                             clean_message(f"the grader failed: {type(err).__name__}: {err}"),
                             sub.notes)

    async def one(sub: Submission) -> list[Row]:
        master = masters.get(sub.lesson) if sub.lesson else None
        if master is None:
            return [Row(sub.student, sub.path.stem, "", 0.0, 0.0,
                        unmatched_status(sub), unmatched_reason(sub, masters), sub.notes)]
        rows = await graded(sub, master)
        progress(sub, rows, sub.seconds)
        return rows

    # the masters' runs on the changed corpus go first in the queue: every notebook's
    # second run waits for its master's
    first = {s.lesson for s in subs if s.lesson in masters and not masters[s.lesson].is_lesson
             and attempted(s, masters[s.lesson])}
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
            row.reason = clean_message("while this notebook ran, the kit's own files changed: "
                                f"{shown} (they were put back); answers may read the kit, "
                                "never change it")
    for sub, rows in zip(subs, results):  # feedback in the language of the lesson handed in
        for row in rows:
            row.edition = sub.edition
    return [row for rows in results for row in rows]


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
    package = PACKAGE_DIR
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
