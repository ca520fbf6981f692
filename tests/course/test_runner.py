"""Tests for utils/course/runner.py: which cells a grading pass runs, with a stand-in kernel."""
from __future__ import annotations

import asyncio

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell

from conftest import tiny_master
from utils.course.kernel import CellRun
from utils.course.masters import Master
from utils.course.notebooks import notebook_text
import utils.course.runner as runner_module
from utils.course.runner import Runner


class FakeSession:
    """Stands in for :class:`utils.course.kernel.KernelSession`: runs nothing, records
    which cells were asked for, and reports a hang where told to."""

    def __init__(self, hangs=()):
        self.ran, self.hangs = [], set(hangs)

    def __call__(self, nb, **options):  # the Runner makes its session: this one
        return self

    async def start(self):
        pass

    async def run_code(self, code):
        pass

    async def run_cell(self, index):
        self.ran.append(index)
        return CellRun(index, "hung" if index in self.hangs else "ok", 0.0)

    def use(self, nb):
        pass

    async def close(self):
        pass


@pytest.fixture
def master(tmp_path):
    nb = tiny_master("98")
    # a worked comparison after the last check: it grades nothing
    nb.cells += [new_markdown_cell("## Worked comparison", id="wc"),
                 new_code_cell("while True:\n    pass", id="trailing")]
    path = tmp_path / "98_tiny.ipynb"
    path.write_text(notebook_text(nb), "utf-8")
    return Master(path)


def run(master, session, monkeypatch, **options):
    monkeypatch.setattr(runner_module, "KernelSession", session)
    return asyncio.run(Runner(master, cwd=".", timeout=5).run(master.nb, **options))


def test_last_graded_is_the_last_answer_or_check(master):
    assert master.last_graded == master.ids["ex98_04"] == len(master.nb.cells) - 3


@pytest.mark.parametrize("last, expected", [
    (None, "every cell"),
    ("last_graded", "up to the last graded cell"),
    (3, "up to cell 3"),
])
def test_a_pass_runs_the_cells_up_to_last(master, last, expected, monkeypatch):
    session = FakeSession()
    stop = master.last_graded if last == "last_graded" else last
    result = run(master, session, monkeypatch, last=stop)
    end = len(master.nb.cells) - 1 if stop is None else stop
    assert session.ran == list(range(end + 1)), expected
    assert sorted(result.runs) == session.ran


def test_a_cell_after_the_last_graded_one_cannot_hang_the_grade(master, monkeypatch):
    trailing = len(master.nb.cells) - 1
    whole = run(master, FakeSession(hangs=[trailing]), monkeypatch)
    # run to the end, the trailing cell's hang is blamed on the answers before it …
    assert whole.stopped and whole.broken
    graded = run(master, FakeSession(hangs=[trailing]), monkeypatch,
                 last=master.last_graded)
    assert graded.broken is None and trailing not in graded.runs  # … it is never run
