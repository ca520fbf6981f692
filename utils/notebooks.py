"""Read, write and run the kit's notebooks: nbgrader metadata, stable files, fresh kernels.

Shared by ``python -m utils release`` (generation), ``python -m utils grade`` (the
grader) and ``python -m utils execute`` (re-running a solution notebook in place).

* nbgrader's cell metadata (schema v3) is read with :func:`nbgrader_meta`,
  :func:`is_grade`, :func:`is_solution`, :func:`is_locked`; :func:`compute_checksum` and
  :func:`determine_grade` follow ``nbgrader/utils.py`` so both tools agree on every cell.
* :func:`notebook_text` serializes a notebook the same way on every machine (nbformat's
  layout: sorted keys, one-space indent, UTF-8, final newline).
* :class:`KernelSession` runs cells one at a time in a fresh IPython kernel with a
  per-cell timeout, and tells apart an error, a timeout, a hung kernel and a dead one.
"""
from __future__ import annotations

import argparse
import asyncio
import copy
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

# nbformat validates with jsonschema, whose optional IRI format checker imports
# rfc3987_syntax, which compiles a grammar for 2-3 s at import. No notebook schema uses
# that format, so the kit skips it: every `python -m utils` command and every pytest run
# (pyproject loads this module early with `-p utils.notebooks`) starts seconds faster.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)

import nbformat  # noqa: E402

from .nbfile import (NotebookFileError, as_cell, as_notebook, file_problem,  # noqa: E402
                     notebook_problem)

__all__ = [
    "KIT_ROOT", "SOLUTIONS_DIR", "LESSONS_DIR", "KERNEL_NAME", "error_of",
    "read_notebook", "notebook_text", "write_notebook", "write_atomic",
    "nbgrader_meta", "is_grade", "is_solution", "is_locked", "compute_checksum",
    "determine_grade", "CellRun", "KernelSession", "execute_notebook", "NotebookRunError",
    "NotebookFileError",
]

#: The kit's top folder (the one holding ``utils/``, ``solutions/`` and ``lessons/``).
KIT_ROOT = Path(__file__).resolve().parent.parent
#: Master notebooks: prose, answers, checks and saved outputs.
SOLUTIONS_DIR = KIT_ROOT / "solutions"
#: Student notebooks generated from ``solutions/``.
LESSONS_DIR = KIT_ROOT / "lessons"
#: The kernel every lesson runs in (the current Python, with ipykernel).
KERNEL_NAME = "python3"

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


# --------------------------------------------------------------------------- files

def read_notebook(path: str | os.PathLike) -> nbformat.NotebookNode:
    """Read a notebook file as nbformat v4, without validation warnings.

    >>> nb = read_notebook(SOLUTIONS_DIR / "00_getting_started.ipynb")
    >>> nb.nbformat
    4

    A file that is not one (not UTF-8, not JSON, no list of cells, a cell that is not a
    cell) raises :class:`NotebookFileError` (a ValueError) that names it and says why; a
    missing file raises FileNotFoundError. A UTF-8 byte order mark is allowed.
    """
    if isinstance(path, bool) or not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a notebook file (str or os.PathLike), not "
                        f"{type(path).__name__}: {path!r}")
    if os.path.isdir(path):
        raise IsADirectoryError(f"{os.fspath(path)} is a folder, not a notebook")
    where = f"{os.fspath(path)}: cannot be read as a notebook"
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        text = data.decode("utf-8-sig")
        problem = file_problem(json.loads(text))
    except ValueError:  # not UTF-8, not JSON
        raise NotebookFileError(f"{where}: {notebook_problem(path)}") from None
    if problem:
        raise NotebookFileError(f"{where}: {problem}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return nbformat.reads(text, as_version=4)
    except Exception as err:  # nbformat's TypeError, AttributeError, … on odd content
        raise NotebookFileError(f"{where}: nbformat cannot read it ({type(err).__name__}: "
                                f"{err})") from None


def notebook_text(nb: nbformat.NotebookNode) -> str:
    """Serialize a notebook exactly as nbformat writes it, ending with one newline.

    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("停戦", id="c1")])
    >>> notebook_text(nb).endswith("}\\n")
    True
    """
    nb = as_notebook(nb)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        text = nbformat.writes(nb, version=4)
    return text if text.endswith("\n") else text + "\n"


def _file_mode(path: Path) -> int:
    """The mode a new file would get (``0o666`` less the umask), or the existing file's."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_atomic(path: str | os.PathLike, text: str) -> None:
    """Write a text file atomically (a temporary file beside it, then a rename), LF, UTF-8.

    Raises TypeError for text that is not a str, ValueError for text that cannot be UTF-8
    (a lone surrogate) and IsADirectoryError for a folder, before anything is written.
    """
    path = Path(path)
    if not isinstance(text, str):
        raise TypeError(f"{path}: the text to write must be a str, not {type(text).__name__}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise ValueError(f"{path}: the text holds {text[err.start]!r} at position "
                         f"{err.start}, a lone surrogate that UTF-8 cannot store; nothing "
                         "was written") from None
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder; give a file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_notebook(nb: nbformat.NotebookNode, path: str | os.PathLike) -> None:
    """Write a notebook atomically with :func:`notebook_text`."""
    write_atomic(path, notebook_text(nb))


# --------------------------------------------------------------------------- nbgrader metadata

def nbgrader_meta(cell) -> dict:
    """Return a cell's ``metadata.nbgrader`` dict, or ``{}`` when it has none."""
    meta = (as_cell(cell).get("metadata") or {}).get("nbgrader")
    return meta if isinstance(meta, dict) else {}


def is_grade(cell) -> bool:
    """Tell whether nbgrader grades this cell (``grade: true``)."""
    return bool(nbgrader_meta(cell).get("grade", False))


def is_solution(cell) -> bool:
    """Tell whether this cell holds a student's answer (``solution: true``)."""
    return bool(nbgrader_meta(cell).get("solution", False))


def is_locked(cell) -> bool:
    """Tell whether nbgrader treats this cell as read-only, exactly as nbgrader does.

    A solution cell is never locked; a grade (check) cell always is.
    """
    meta = nbgrader_meta(cell)
    if not meta:
        return False
    if is_solution(cell):
        return False
    if is_grade(cell):
        return True
    return bool(meta.get("locked", False))


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def compute_checksum(cell) -> str:
    """Compute nbgrader's cell checksum: md5 over source, type, flags, id and points.

    Same bytes, same order as ``nbgrader.utils.compute_checksum``, so nbgrader accepts the
    checksums that ``python -m utils release`` writes.

    >>> cell = nbformat.v4.new_code_cell("x = 1")
    >>> cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True,
    ...     "grade_id": "ex00_01", "points": 2, "schema_version": 3}
    >>> compute_checksum(cell)
    '67bb7d16572774b63ab78d89ea0facfa'
    """
    meta = nbgrader_meta(cell)
    digest = hashlib.md5()
    digest.update(_source(cell).encode("utf-8"))
    digest.update(str(cell.get("cell_type")).encode("utf-8"))
    digest.update(str(is_grade(cell)).encode("utf-8"))
    digest.update(str(is_solution(cell)).encode("utf-8"))
    digest.update(str(is_locked(cell)).encode("utf-8"))
    digest.update(str(meta["grade_id"]).encode("utf-8"))
    if is_grade(cell):
        digest.update(str(float(meta["points"])).encode("utf-8"))
    return digest.hexdigest()


def _partial_grade(output, max_points: float) -> float | None:
    """nbgrader's reading of an ``execute_result``: a single number in (0, max] is the grade.

    Returns ``None`` for a number above ``max_points`` (nbgrader stops with an error there).
    """
    text = (output.get("data") or {}).get("text/plain", "")
    if isinstance(text, list):
        if len(text) > 1:
            return max_points
        text = text[0] if text else ""
    try:
        grade = float(text)
    except (TypeError, ValueError):
        return max_points
    if grade > 0.0:
        return None if grade > max_points else grade
    return max_points


def error_of(cell) -> tuple[str, str] | None:
    """Return ``(ename, evalue)`` of the first error output of an executed cell, or None.

    >>> cell = nbformat.v4.new_code_cell("1/0")
    >>> cell.outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError",
    ...                                        evalue="division by zero", traceback=[])]
    >>> error_of(cell)
    ('ZeroDivisionError', 'division by zero')
    """
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return output.get("ename", ""), output.get("evalue", "")
    return None


def determine_grade(cell) -> tuple[float | None, float]:
    """Score an executed grade cell the way nbgrader's ``determine_grade`` does.

    An ``error`` output or any ``stderr`` stream is zero; an ``execute_result`` that
    parses as a number in (0, points] is partial credit; anything else is full marks. A
    markdown answer cell needs a person (``None``) unless it is still the released stub.
    Returns ``(points or None, max_points)``; ``points`` is ``None`` when it must be read
    by hand, and also for a partial-credit number above ``max_points``.

    >>> cell = nbformat.v4.new_code_cell("check()")
    >>> cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True,
    ...     "grade_id": "ex00_01", "points": 2, "schema_version": 3}
    >>> cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="✅\\n")]
    >>> determine_grade(cell)
    (2.0, 2.0)
    >>> cell.outputs = [nbformat.v4.new_output("error", ename="CheckFailed", evalue="?",
    ...                                        traceback=[])]
    >>> determine_grade(cell)
    (0, 2.0)
    """
    if not is_grade(cell):
        raise ValueError(f"cell {nbgrader_meta(cell).get('grade_id')!r} is not a grade cell")
    max_points = float(nbgrader_meta(cell)["points"])
    if is_solution(cell):
        meta = nbgrader_meta(cell)
        if "checksum" in meta and meta["checksum"] == compute_checksum(cell):
            return 0, max_points
        return None, max_points
    if cell.get("cell_type") == "code":
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "error" or (kind == "stream" and output.get("name") == "stderr"):
                return 0, max_points
            if kind == "execute_result":
                return _partial_grade(output, max_points), max_points
        return max_points, max_points
    return None, max_points


# --------------------------------------------------------------------------- kernels

class NotebookRunError(RuntimeError):
    """Raised when a notebook cannot be run the way a command needs it to run."""


@dataclass
class CellRun:
    """What happened when one cell ran: ``status`` is ok, error, timeout, hung or dead."""

    index: int
    status: str
    seconds: float
    ename: str = ""
    evalue: str = ""


_TIMEOUT_ENAME = "CellTimeout"


#: matplotlib backend of kernels that need no figures (see utils/_nodraw_backend.py)
NODRAW_BACKEND = "module://utils._nodraw_backend"


def kernel_env(*, draw: bool = True) -> dict[str, str]:
    """Return the environment for a kernel: quiet, UTF-8, no debugger chatter; with
    ``draw=False``, a matplotlib backend that builds figures but never draws them."""
    env = dict(os.environ)
    env.update({
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",   # no frozen-modules warning at start
        "JUPYTER_PLATFORM_DIRS": "1",             # no platformdirs migration warning
        "PYTHONIOENCODING": "utf-8",
    })
    if draw:
        if env.get("MPLBACKEND") == NODRAW_BACKEND:
            del env["MPLBACKEND"]  # a kernel that draws gets Jupyter's inline backend
    else:
        env["MPLBACKEND"] = NODRAW_BACKEND
    return env


#: How kernels of :class:`KernelSession` start: as ``ipykernel_launcher`` does, but without
#: ipykernel's debugger. Nobody attaches a debugger to a grading run, and importing
#: debugpy is about a third of a bare kernel's start (0.57 -> 0.39 s of CPU, median of 7).
_LAUNCHER = ("import sys\n"
             "if sys.path and sys.path[0] == '':\n"
             "    del sys.path[0]  # IPython puts it back after the standard library\n"
             "sys.modules['debugpy'] = None  # ipykernel then starts without its debugger\n"
             "from ipykernel import kernelapp\n"
             "kernelapp.launch_new_instance()\n")


def _without_debugger(argv: list[str]) -> list[str]:
    """Return a kernel spec's command line with :data:`_LAUNCHER` in place of
    ``-m ipykernel_launcher`` (any other command is returned as it is)."""
    if argv[1:3] == ["-m", "ipykernel_launcher"]:
        return [argv[0], "-c", _LAUNCHER, *argv[3:]]
    return list(argv)


_IOPUB_TIMEOUT = 2  # seconds to wait for a cell's last outputs after its reply


def _client_class():
    """nbclient's NotebookClient, waiting less for outputs once a cell has timed out."""
    from nbclient import NotebookClient

    class Client(NotebookClient):
        async def _async_handle_timeout(self, timeout, cell=None):
            # After an interrupt the outputs either come at once or never (a hung kernel):
            # do not wait the full iopub timeout for them.
            self.iopub_timeout = 1
            return await super()._async_handle_timeout(timeout, cell)

    return Client


class KernelSession:
    """Run the code cells of a notebook one at a time in a fresh kernel.

    ``async with KernelSession(nb, cwd=...) as session: await session.run_cell(i)`` fills
    ``nb.cells[i].outputs`` and returns a :class:`CellRun`. A cell that runs longer than
    ``timeout`` seconds is interrupted; if the kernel then does not answer within
    ``grace`` seconds it is reported as ``hung`` and the session must be closed. A kernel
    that died is reported as ``dead``. Kernels talk over IPC sockets in a private folder
    (TCP on Windows) and are killed, not asked, when the session ends. With
    ``draw=False`` figures are built but never drawn (:data:`NODRAW_BACKEND`): for runs
    whose outputs only a program reads, such as grading. ``env`` adds to the kernel's
    environment. Kernels start without ipykernel's debugger (:data:`_LAUNCHER`); with
    ``fork=True``, as forks of a warm process where that is possible (``utils/zygote.py``).
    """

    def __init__(self, nb: nbformat.NotebookNode, *, cwd: str | os.PathLike,
                 timeout: float = 30, grace: float = 5, startup_timeout: float = 60,
                 draw: bool = True, env: dict[str, str] | None = None, fork: bool = False):
        self.nb = nb
        self.draw = draw
        self.env = dict(env or {})
        self.fork = fork
        self.cwd = os.fspath(cwd)
        self.timeout = timeout
        self.grace = grace
        self.startup_timeout = startup_timeout
        self.km = None
        self.client = None
        self._ipc_dir: str | None = None
        self._replies: dict[int, dict] = {}
        self.executed = 0

    async def __aenter__(self) -> KernelSession:
        await self.start()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def start(self) -> None:
        from jupyter_client.manager import AsyncKernelManager

        client_class = _client_class()

        if os.name == "posix":
            self._ipc_dir = tempfile.mkdtemp(prefix="kit-kernel-")
            self.km = AsyncKernelManager(kernel_name=KERNEL_NAME, transport="ipc",
                                         ip=os.path.join(self._ipc_dir, "k"))
        else:  # pragma: no cover - Windows has no IPC sockets
            self.km = AsyncKernelManager(kernel_name=KERNEL_NAME)
        self.km.kernel_spec.argv = _without_debugger(self.km.kernel_spec.argv)
        if self.fork:
            from . import zygote

            if zygote.available() and self.km.kernel_spec.argv[1:2] == ["-c"]:
                zygote.register()
                self.km.kernel_spec.metadata["kernel_provisioner"] = {
                    "provisioner_name": zygote.ZYGOTE_NAME, "config": {}}
        timeout = max(1, int(round(self.timeout)))
        self.client = client_class(
            self.nb, km=self.km, timeout=timeout, allow_errors=True,
            interrupt_on_timeout=True, record_timing=False, iopub_timeout=_IOPUB_TIMEOUT,
            startup_timeout=int(self.startup_timeout), shutdown_kernel="immediate",
            error_on_timeout={"ename": _TIMEOUT_ENAME,
                              "evalue": f"the cell ran longer than {timeout} s", "traceback": []},
            on_cell_executed=self._remember_reply,
        )
        try:
            await self.km.start_kernel(
                cwd=self.cwd, env={**kernel_env(draw=self.draw), **self.env},
                stderr=subprocess.DEVNULL,
                extra_arguments=["--HistoryManager.hist_file=:memory:"])
            await self.client.async_start_new_kernel_client()
        except BaseException:
            await self.close()
            raise

    def _remember_reply(self, cell, cell_index, execute_reply):
        self._replies[cell_index] = (execute_reply or {}).get("content", {})

    async def close(self) -> None:
        """Kill the kernel and free every socket and file it used."""
        km, client = self.km, self.client
        self.km = self.client = None
        try:
            if client is not None and client.kc is not None:
                client.kc.stop_channels()
                client.kc = None
            if km is not None:
                try:
                    if km.has_kernel:
                        await km.shutdown_kernel(now=True)
                    else:
                        await km.cleanup_resources()
                except Exception:  # already dead, or never started
                    pass
        finally:
            if self._ipc_dir:
                shutil.rmtree(self._ipc_dir, ignore_errors=True)
                self._ipc_dir = None

    async def _responsive(self) -> bool:
        """Tell whether the kernel answers a trivial request within ``grace`` seconds."""
        from queue import Empty

        kc = self.client.kc
        msg_id = kc.execute("", silent=True, store_history=False)
        deadline = time.monotonic() + self.grace
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            try:
                msg = await kc.get_shell_msg(timeout=remaining)
            except Empty:
                return False
            if msg.get("parent_header", {}).get("msg_id") == msg_id:
                return True

    def use(self, nb: nbformat.NotebookNode) -> None:
        """Run the cells of ``nb`` from now on, in the same kernel (its state is kept)."""
        self.nb = nb
        if self.client is not None:
            self.client.nb = nb
        self._replies.clear()

    async def run_code(self, source: str) -> CellRun:
        """Run code that is not a cell of the notebook (the grader's own set-up)."""
        cell = nbformat.v4.new_code_cell(source)
        return await self.run_cell(-1, cell=cell)

    async def run_cell(self, index: int, *, cell=None) -> CellRun:
        """Run cell ``index`` of the notebook and report how it went."""
        from nbclient.exceptions import DeadKernelError

        cell = self.nb.cells[index] if cell is None else cell
        start = time.monotonic()
        if cell.cell_type != "code" or not cell.source.strip():
            return CellRun(index, "ok", 0.0)
        self._replies.pop(index, None)
        self.client.iopub_timeout = _IOPUB_TIMEOUT
        self.executed += 1
        try:
            await self.client.async_execute_cell(cell, index, execution_count=self.executed)
        except DeadKernelError:
            return CellRun(index, "dead", time.monotonic() - start, "DeadKernelError",
                           "the kernel died")
        seconds = time.monotonic() - start
        reply = self._replies.get(index, {})
        if reply.get("ename") == _TIMEOUT_ENAME:
            message = reply.get("evalue", "")
            if not any(o.get("output_type") == "error" for o in cell.outputs):
                cell.outputs.append(nbformat.v4.new_output(
                    "error", ename=_TIMEOUT_ENAME, evalue=message, traceback=[message]))
            alive = await self._responsive()
            return CellRun(index, "timeout" if alive else "hung", seconds, _TIMEOUT_ENAME, message)
        for output in cell.outputs:
            if output.get("output_type") == "error":
                return CellRun(index, "error", seconds, output.get("ename", ""),
                               output.get("evalue", ""))
        if reply.get("status") == "error":
            # The kernel said the cell failed, but its error output did not arrive in time
            # (a busy machine): record it from the reply, so a failed check never passes.
            cell.outputs.append(nbformat.v4.new_output(
                "error", ename=reply.get("ename", ""), evalue=reply.get("evalue", ""),
                traceback=reply.get("traceback", [])))
            return CellRun(index, "error", seconds, reply.get("ename", ""),
                           reply.get("evalue", ""))
        return CellRun(index, "ok", seconds)


def run(coro):
    """Run a coroutine to completion from synchronous code (a fresh event loop)."""
    return asyncio.run(coro)


# --------------------------------------------------------------------------- execute command

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


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def strip_ansi(text: str) -> str:
    """Remove terminal colour codes from a traceback line.

    >>> strip_ansi("\\x1b[0;31m停戦\\x1b[0m")
    '停戦'
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}: {text!r}")
    return _ANSI.sub("", text)
