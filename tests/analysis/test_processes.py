"""Tests for utils/analysis/processes.py: how worker processes start, by platform and threads."""
from __future__ import annotations

import pytest

from utils.analysis.processes import START_METHODS, process_context, start_method


@pytest.mark.parametrize("platform, threads, expected", [
    ("linux", 1, "fork"),
    ("linux", 2, "forkserver"),    # a Jupyter kernel, a test session with builders
    ("linux", 12, "forkserver"),
    ("darwin", 1, "spawn"),        # fork is unsafe with macOS's system libraries
    ("darwin", 4, "spawn"),
    ("win32", 1, "spawn"),         # no fork at all
    ("win32", 3, "spawn"),
])
def test_start_method(platform, threads, expected):
    assert start_method(platform=platform, threads=threads) == expected


@pytest.mark.parametrize("method", ["thread", "", "Fork"])
def test_process_context_names_what_is_valid(method):
    with pytest.raises(ValueError, match=rf"one of \('fork', 'forkserver', 'spawn'\), got {method!r}"):
        process_context(method)


def test_the_context_of_this_process_is_the_method_for_it():
    assert process_context().get_start_method() == start_method()
