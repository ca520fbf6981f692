"""Re-run solution notebooks in place: ``python -m utils execute [NB ...]``.

A master is run top to bottom in a fresh kernel (cwd: its folder), its stream outputs are
coalesced, its metadata made machine-independent (:func:`stable_metadata`), and it is
saved only when no cell failed, wrote to stderr or printed an absolute path.
"""
from __future__ import annotations

import argparse
import copy
import os
import sys
import time
from pathlib import Path

import nbformat

from .kernel import CellRun, KernelSession, NotebookRunError, run
from .notebooks import KIT_ROOT, SOLUTIONS_DIR, read_notebook, write_notebook

__all__ = ["stable_metadata", "execute_notebook", "main"]

# Stable notebook-level metadata: the kernel every lesson uses, without the Python version
# (which would change the committed files from one machine to the next).
_KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
_LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}


def stable_metadata(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy of ``nb`` with machine-independent metadata and no timings.

    Notebook metadata keeps only the kernelspec and a version-free ``language_info``
    (plus any ``nbgrader`` or kit keys); cells lose ``execution`` timing and
    ``collapsed``/``scrolled`` view state.
    """
    nb = copy.deepcopy(nb)
    keep = {k: v for k, v in nb.metadata.items() if k not in ("kernelspec", "language_info",
                                                              "widgets", "toc", "celltoolbar")}
    nb.metadata = nbformat.from_dict({"kernelspec": dict(_KERNELSPEC),
                                      "language_info": copy.deepcopy(_LANGUAGE_INFO), **keep})
    for cell in nb.cells:
        for key in ("execution", "collapsed", "scrolled", "ExecuteTime"):
            cell.metadata.pop(key, None)
    return nb


def _problems(nb: nbformat.NotebookNode, path: Path) -> list[str]:
    """List what makes an executed solution notebook unfit to commit."""
    roots = {str(KIT_ROOT), str(Path.home())} - {"/"}
    problems = []
    for number, cell in enumerate(nb.cells, 1):
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            kind = output.get("output_type")
            if kind == "error":
                problems.append(f"cell {number}: raised {output.get('ename')}: "
                                f"{output.get('evalue', '')[:200]}")
            elif kind == "stream" and output.get("name") == "stderr":
                problems.append(f"cell {number}: wrote to stderr: {output.get('text', '')[:200]!r}")
            blob = str(output)
            for root in roots:
                if root and root in blob:
                    problems.append(f"cell {number}: its output contains the absolute path {root}")
    return problems


async def _execute(nb: nbformat.NotebookNode, *, cwd: Path, timeout: float) -> list[CellRun]:
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    runs = []
    async with KernelSession(nb, cwd=cwd, timeout=timeout) as session:
        for index in range(len(nb.cells)):
            result = await session.run_cell(index)
            runs.append(result)
            if result.status in ("hung", "dead"):
                break
    return runs


def execute_notebook(path: str | os.PathLike, *, timeout: float = 120,
                     write: bool = True) -> nbformat.NotebookNode:
    """Execute a solution notebook in place: cwd is its folder, metadata stays stable.

    Raises :class:`NotebookRunError` (and writes nothing) when a cell fails, writes to
    stderr or prints an absolute path, so only clean runs get committed.
    """
    path = Path(path).resolve()
    nb = read_notebook(path)
    runs = run(_execute(nb, cwd=path.parent, timeout=timeout))
    for result in runs:
        if result.status in ("timeout", "hung", "dead"):
            raise NotebookRunError(f"{path.name}: cell {result.index + 1} {result.status}: "
                                   f"{result.evalue}")
    # one stream output per cell and stream, however the kernel's flushes fell in this run,
    # so that re-running a notebook does not change its saved outputs
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor

    nb, _ = CoalesceStreamsPreprocessor().preprocess(nb, {})
    nb = stable_metadata(nb)
    problems = _problems(nb, path)
    if problems:
        raise NotebookRunError(f"{path.name}: not saved, fix these first:\n  "
                               + "\n  ".join(problems))
    if write:
        write_notebook(nb, path)
    return nb


def main(argv: list[str] | None = None) -> int:
    """``python -m utils execute [NB ...]``: re-run solution notebooks and save them."""
    parser = argparse.ArgumentParser(
        prog="python -m utils execute",
        description="Re-run solution notebooks in place (cwd = the notebook's folder), with "
                    "stable metadata and no timings, so their saved outputs can be committed. "
                    "Nothing is written for a notebook whose run fails.")
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to run (default: every solutions/*.ipynb)")
    parser.add_argument("--timeout", type=float, default=120,
                        help="seconds allowed per cell (default: 120)")
    args = parser.parse_args(argv)
    if not args.timeout > 0 or args.timeout == float("inf"):
        parser.error(f"--timeout must be a number of seconds above 0, not {args.timeout}")
    paths = args.notebooks or sorted(SOLUTIONS_DIR.glob("*.ipynb"))
    if not paths:
        print(f"error: no notebooks found in {SOLUTIONS_DIR}", file=sys.stderr)
        return 2
    for nb_path in paths:  # every path is checked before any notebook runs
        problem = (None if nb_path.is_file() and nb_path.suffix == ".ipynb" else
                   "no such notebook" if not nb_path.exists() else
                   "a folder, not a notebook" if nb_path.is_dir() else
                   "not a notebook (.ipynb) file")
        if problem is None:
            try:
                read_notebook(nb_path)
            except (OSError, ValueError) as err:
                problem = str(err).removeprefix(f"{nb_path}: ")
        if problem:
            print(f"error: {nb_path}: {problem}; nothing was run", file=sys.stderr)
            return 2
    status = 0
    for nb_path in paths:
        started = time.monotonic()
        try:
            execute_notebook(nb_path, timeout=args.timeout)
        except (NotebookRunError, OSError, ValueError) as err:
            print(f"FAILED {err}", file=sys.stderr)
            status = 1
            continue
        print(f"executed {nb_path} ({time.monotonic() - started:.1f} s)")
    if status == 0 and paths:
        print("Now run `python -m utils release` to regenerate lessons/.")
    return status
