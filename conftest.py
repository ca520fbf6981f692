"""pytest set-up for the whole kit (tests/conftest.py holds the fixtures of tests/).

nbval runs every master in solutions/ and compares its outputs with the saved ones. Every
figure cell is marked ``# NBVAL_IGNORE_OUTPUT`` (a PNG differs from one machine to the
next), so nbval never looks at a drawn figure: its kernels get the backend that builds
figures without drawing them (utils/course/_nodraw_backend.py), which takes about a fifth off
each run. A figure cell that nbval did not ignore would lose its image and fail.
``python -m utils execute`` still draws every figure when a master is saved.
"""
from __future__ import annotations

import importlib.util
import json
import os
import sys
import tempfile
from pathlib import Path

import pytest

from utils.course.kernel import NODRAW_BACKEND

# tests/typed_in.py, as the module that tests/conftest.py imports (one shared object)
_spec = importlib.util.spec_from_file_location(
    "typed_in", Path(__file__).parent / "tests" / "typed_in.py")
typed_in = sys.modules.setdefault("typed_in", importlib.util.module_from_spec(_spec))
if not hasattr(typed_in, "NBVAL"):
    _spec.loader.exec_module(typed_in)
typed_in.NBVAL.active = True


def pytest_configure(config):
    """nbval's kernels fork from the grader's zygote (``utils/course/zygote.py``) where they
    can: the same kernel, without a second of imports each time. nbval's own
    ``start_new_kernel`` runs unchanged, with a kernel manager that prepares its kernel
    spec the way the grader does. ``python -m utils execute``, which saves the masters'
    outputs, still starts every kernel fresh; JMEDIA_KIT_NO_ZYGOTE=1 does so here too."""
    import nbval.kernel

    from utils.course.kernel import prepare_spec

    class ForkedKernelManager(nbval.kernel.KernelManager):
        def start_kernel(self, **kwargs):
            prepare_spec(self, fork=True)
            return super().start_kernel(**kwargs)

    nbval.kernel.KernelManager = ForkedKernelManager


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    """nbval starts a notebook's kernel while it sets up the first cell: start it without
    drawing."""
    if type(item).__module__.split(".")[0] != "nbval":
        yield
        return
    before = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = NODRAW_BACKEND
    try:
        yield
    finally:
        if before is None:
            del os.environ["MPLBACKEND"]
        else:
            os.environ["MPLBACKEND"] = before


# --------------------------------------------------------------------------- typed-in literals
# The typed-in test of tests/course/test_notebooks.py needs the values each master computes. nbval
# runs every master anyway: after an answer cell, ask its kernel for them (a file written by
# the kernel), rather than running every master a second time.

_ANSWERS: dict[object, tuple[str, str, list[str]]] = {}  # nbval item -> (stem, grade_id, names)
_LAST: dict[str, object] = {}                            # master stem -> its last nbval item


def _is_nbval(item) -> bool:
    return type(item).__module__.split(".")[0] == "nbval"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    by_file: dict[str, list] = {}
    for item in items:
        if _is_nbval(item) and Path(str(item.fspath)).parent.name == "solutions":
            by_file.setdefault(Path(str(item.fspath)).stem, []).append(item)
    for stem, cells in by_file.items():
        answers = 0
        for item in cells:
            meta = item.cell.get("metadata", {}).get("nbgrader", {})
            if (meta.get("solution") and not meta.get("grade")
                    and item.cell.get("cell_type") == "code"):
                names = typed_in.solution_names(item.cell.source)
                _ANSWERS[item] = (stem, meta["grade_id"], names)
                answers += 1
        _LAST[stem] = cells[-1]
        typed_in.NBVAL.expect(stem, answers)
    typed_in.NBVAL.collected.set()


def _ask_kernel(item, code: str) -> None:
    kernel = item.parent.kernel
    msg_id = kernel.execute_cell_input(code, allow_stdin=False)
    kernel.await_reply(msg_id, timeout=120)
    kernel.await_idle(msg_id, timeout=120)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    yield
    if item not in _ANSWERS:
        return
    stem, grade_id, names = _ANSWERS[item]
    try:
        if not item.parent.__dict__.get("_typed_in_ready"):
            _ask_kernel(item, typed_in.LITERAL_CODE)
            item.parent._typed_in_ready = True
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "literals.json")
            _ask_kernel(item, f"_typed_in_dump({names!r}, {path!r})")
            with open(path, encoding="utf-8") as handle:
                typed_in.NBVAL.add(stem, grade_id, json.load(handle))
    except Exception:  # the typed-in builder falls back to a run of its own
        pass


def pytest_runtest_teardown(item, nextitem):
    for stem, last in _LAST.items():
        if item is last:
            typed_in.NBVAL.finish(stem)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session, exitstatus):
    """Release a builder still waiting for literals (a run stopped early, -x)."""
    typed_in.NBVAL.collected.set()
    for stem in list(typed_in.NBVAL.done):
        typed_in.NBVAL.finish(stem)
