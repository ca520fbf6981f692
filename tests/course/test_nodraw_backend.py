"""Tests for utils/course/_nodraw_backend.py: figures are built, never drawn, and closed.

In-process: pyplot switches to the backend for one test at a time (and back to Agg). The
grader runs every lesson with it (tests/course/test_notebooks.py: full marks on the solution),
which shows that no check needs a figure drawn.
"""
from __future__ import annotations

import io
import types

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402

from utils.course import _nodraw_backend  # noqa: E402
from utils.course.kernel import NODRAW_BACKEND, kernel_env  # noqa: E402


@pytest.fixture
def draws(monkeypatch):
    """Switch pyplot to the backend; count the figures the Agg canvas draws."""
    drawn = []
    real = FigureCanvasAgg.draw

    def counting(self):
        drawn.append(self.figure)
        return real(self)

    monkeypatch.setattr(FigureCanvasAgg, "draw", counting)
    plt.close("all")
    plt.switch_backend(NODRAW_BACKEND)
    yield drawn
    plt.close("all")
    plt.switch_backend("Agg")


def test_show_closes_every_figure_without_drawing(draws):
    fig, ax = plt.subplots()
    ax.set_title("停戦")
    plt.figure()
    assert plt.get_fignums() == [1, 2]
    plt.show()
    assert (plt.get_fignums(), draws) == ([], [])
    # what a check reads is still there
    assert ax.get_title() == "停戦" and fig.axes == [ax]


def test_savefig_still_draws(draws):
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    assert buffer.getvalue().startswith(b"\x89PNG") and draws == [fig]


class FakeEvents:
    def __init__(self):
        self.callbacks = {"post_execute": []}

    def register(self, event, function):
        self.callbacks[event].append(function)


@pytest.mark.parametrize("imports", [1, 2])
def test_figures_are_closed_after_each_cell_once_registered(monkeypatch, imports):
    import IPython

    shell = types.SimpleNamespace(events=FakeEvents())
    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)
    for _ in range(imports):
        _nodraw_backend._close_after_each_cell()
    assert shell.events.callbacks["post_execute"] == [_nodraw_backend.show]


def test_outside_ipython_nothing_is_registered(monkeypatch):
    import IPython

    monkeypatch.setattr(IPython, "get_ipython", lambda: None)
    _nodraw_backend._close_after_each_cell()  # no shell: nothing to do, no error


@pytest.mark.parametrize("outer, draw, expected", [
    (None, True, None),                     # Jupyter's inline backend
    (None, False, NODRAW_BACKEND),
    ("Agg", True, "Agg"),                   # a user's own choice is kept
    ("Agg", False, NODRAW_BACKEND),
    (NODRAW_BACKEND, True, None),           # a drawing kernel never inherits it
])
def test_kernel_environment(monkeypatch, outer, draw, expected):
    if outer is None:
        monkeypatch.delenv("MPLBACKEND", raising=False)
    else:
        monkeypatch.setenv("MPLBACKEND", outer)
    assert kernel_env(draw=draw).get("MPLBACKEND") == expected
