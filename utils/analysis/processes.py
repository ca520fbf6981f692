"""Choose how worker processes start: fork, a fork server or spawn, by platform and threads.

``utils.tokenize(..., n_jobs=)`` and the token store's workers start their processes this
way (``utils/analysis/tokens.py``, ``utils/analysis/store_run.py``).
"""
from __future__ import annotations

import multiprocessing
import sys
import threading
from collections.abc import Iterable

__all__ = ["START_METHODS", "start_method", "process_context"]

#: the start methods of :mod:`multiprocessing` the kit uses
START_METHODS = ("fork", "forkserver", "spawn")


def start_method(*, platform: str | None = None, threads: int | None = None) -> str:
    """Return how worker processes should start on ``platform`` (default: this one) in a
    process running ``threads`` threads (default: this process's).

    - ``"fork"`` on Linux with one thread: each worker is a copy of this process, its
      imports included, and starts at once.
    - ``"forkserver"`` on Linux with several threads, as in a Jupyter kernel, where a fork
      can deadlock on a lock another thread held: a server process started clean imports
      the kit once and forks every worker from it.
    - ``"spawn"`` elsewhere (macOS, whose system libraries make fork unsafe, and Windows,
      which has no fork): every worker is a new Python.

    >>> start_method(platform="linux", threads=1)
    'fork'
    >>> start_method(platform="linux", threads=3)
    'forkserver'
    >>> start_method(platform="darwin", threads=1)
    'spawn'
    """
    platform = sys.platform if platform is None else platform
    threads = threading.active_count() if threads is None else threads
    if not platform.startswith("linux"):
        return "spawn"
    return "fork" if threads == 1 else "forkserver"


def process_context(method: str | None = None, *, preload: Iterable[str] = ()):
    """Return a :mod:`multiprocessing` context for ``method`` (default:
    :func:`start_method`). With a fork server, the modules named in ``preload`` are imported
    by the server before it forks workers (the first server of this process decides).

    >>> process_context("spawn").get_start_method()
    'spawn'
    >>> process_context("thread")
    Traceback (most recent call last):
    ValueError: method must be one of ('fork', 'forkserver', 'spawn'), got 'thread'
    """
    method = start_method() if method is None else method
    if method not in START_METHODS:
        raise ValueError(f"method must be one of {START_METHODS}, got {method!r}")
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(list(preload))
    return context
