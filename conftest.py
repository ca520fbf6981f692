"""pytest set-up for the whole kit (tests/conftest.py holds the fixtures of tests/).

nbval runs every master in solutions/ and compares its outputs with the saved ones. Every
figure cell is marked ``# NBVAL_IGNORE_OUTPUT`` (a PNG differs from one machine to the
next), so nbval never looks at a drawn figure: its kernels get the backend that builds
figures without drawing them (utils/_nodraw_backend.py), which takes about a fifth off
each run. A figure cell that nbval did not ignore would lose its image and fail.
``python -m utils execute`` still draws every figure when a master is saved.
"""
from __future__ import annotations

import os

import pytest

from utils.notebooks import NODRAW_BACKEND


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
