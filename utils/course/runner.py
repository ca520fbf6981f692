"""Run a graded notebook cell by cell, surviving answers that hang or kill the kernel.

Used by the grader (``utils/course/grader.py``) for a student's run and its re-run on a
changed corpus, and by ``utils/course/verify.py`` for the master's run on that corpus. A
:class:`Runner` keeps its kernel between passes, so the re-run costs no new kernel.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

import nbformat

from .kernel import CellRun, KernelSession

__all__ = ["SKIPPED_SOURCE", "RunResult", "Runner"]

#: what replaces an answer cell that hung or killed the kernel, when the notebook re-runs
SKIPPED_SOURCE = "raise RuntimeError('not run by the grader: {why}')"


@dataclass
class RunResult:
    """How a pass went: the last run of every cell, the answer cells that had to be
    skipped (index -> (status, where)), and a message if the lesson's own cells broke."""

    runs: dict[int, CellRun] = field(default_factory=dict)
    stopped: dict[int, tuple[str, str]] = field(default_factory=dict)
    broken: str | None = None


def _skip(nb: nbformat.NotebookNode, index: int, status: str) -> None:
    why = "it hung the kernel" if status == "timeout" else "it killed the kernel"
    nb.cells[index].source = SKIPPED_SOURCE.format(why=why)


class Runner:
    """Runs passes over graded notebooks in one kernel, replacing it only when an answer
    hangs or kills it. Use ``async with Runner(...) as runner:``.

    Every pass runs a notebook of ``master`` (:class:`utils.course.masters.Master`), whose
    ``answer_of``, ``answers_of`` and ``exercise_of_check`` say which cell to blame.
    ``after_cell(index, run)`` is called after each cell.
    """

    def __init__(self, master, *, cwd: str | os.PathLike, timeout: float,
                 env: dict[str, str] | None = None,
                 after_cell: Callable[[int, CellRun], None] | None = None):
        self.cwd = cwd
        self.timeout = timeout
        self.answer_of = master.answer_of
        self.answers_of = master.answers_of
        self.exercise_of_check = master.exercise_of_check
        self.env = env
        self.after_cell = after_cell
        self.session: KernelSession | None = None

    async def __aenter__(self) -> Runner:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def close(self) -> None:
        if self.session is not None:
            session, self.session = self.session, None
            await session.close()

    async def _session(self, nb: nbformat.NotebookNode) -> KernelSession:
        if self.session is None:
            grace = max(1.0, min(5.0, self.timeout / 2))
            # checks read what cells compute, never the pictures: build figures, skip drawing
            self.session = KernelSession(nb, cwd=self.cwd, timeout=self.timeout, grace=grace,
                                         draw=False, env=self.env, fork=True)
            await self.session.start()
        else:
            self.session.use(nb)
        return self.session

    async def run(self, nb: nbformat.NotebookNode, *, prelude: str = "",
                  stopped: dict[int, tuple[str, str]] | None = None,
                  last: int | None = None) -> RunResult:
        """Run the cells of ``nb`` in order (outputs land in ``nb``), after ``prelude`` (the
        grader's own code), up to cell ``last`` (default: every cell; the cells after the
        last check grade nothing). After a hang or a crash, skip the answer cell to blame
        and run the pass again in a fresh kernel. ``stopped`` carries answer cells already
        known to hang or crash: they are skipped from the start."""
        result = RunResult(stopped=dict(stopped or {}))
        for index, (status, _) in result.stopped.items():
            _skip(nb, index, status)
        while True:
            runs: dict[int, CellRun] = {}
            culprit = None
            for cell in nb.cells:
                if cell.cell_type == "code":
                    cell.outputs = []
                    cell.execution_count = None
            session = await self._session(nb)
            if prelude:
                await session.run_code(prelude)
            end = len(nb.cells) if last is None else min(len(nb.cells), last + 1)
            for index in range(end):
                run = await session.run_cell(index)
                runs[index] = run
                if self.after_cell is not None:
                    self.after_cell(index, run)
                if run.status not in ("hung", "dead"):
                    continue
                if index in self.answer_of:
                    culprit = index
                else:
                    ex = self.exercise_of_check.get(index)
                    own = [i for i in self.answers_of.get(ex, []) if i < index] if ex else []
                    before = own or [i for i in self.answer_of
                                     if i < index and i not in result.stopped]
                    culprit = max(before) if before else None
                break
            result.runs = runs
            failed = [r for r in runs.values() if r.status in ("hung", "dead")]
            if failed:
                await self.close()  # that kernel is of no more use
            if culprit is None:
                if failed:
                    r = failed[0]
                    result.broken = (f"the lesson's own cell {r.index + 1} "
                                     f"{'hung' if r.status == 'hung' else 'killed the kernel'}")
                return result
            if culprit in result.stopped:
                result.broken = f"cell {culprit + 1} still breaks the kernel after a restart"
                return result
            failing = max(runs)
            hung = runs[failing].status == "hung"
            result.stopped[culprit] = ("timeout" if hung else "kernel-died",
                                       "answer" if failing == culprit else "check")
            _skip(nb, culprit, result.stopped[culprit][0])
