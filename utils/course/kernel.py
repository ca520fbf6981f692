"""Run a notebook's cells one at a time in a fresh IPython kernel, with a timeout per cell.

:class:`KernelSession` tells apart an error, a timeout, a hung kernel and a dead one; the
grader (:mod:`utils.course.runner`), ``python -m utils execute`` (:mod:`utils.course.execute`) and the
re-runs on changed corpora (:mod:`utils.course.verify`) all run notebooks through it.
"""
from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass

import nbformat

from .notebooks import KERNEL_NAME

__all__ = ["NotebookRunError", "CellRun", "NODRAW_BACKEND", "kernel_env", "prepare_spec",
           "KernelSession", "run"]


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


#: matplotlib backend of kernels that need no figures (see utils/course/_nodraw_backend.py)
NODRAW_BACKEND = "module://utils.course._nodraw_backend"
#: set in the environment of kernels whose figures nobody sees (the grader's runs): helpers
#: may then skip work that only makes a figure look right (utils.plot_correspondence)
UNSEEN_FIGURES = "KIT_UNSEEN_FIGURES"


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
        env.pop(UNSEEN_FIGURES, None)
    else:
        env["MPLBACKEND"] = NODRAW_BACKEND
        env[UNSEEN_FIGURES] = "1"
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


def prepare_spec(km, *, fork: bool) -> None:
    """Make the kernels of ``km`` (a jupyter_client kernel manager, before its kernel
    starts) start without ipykernel's debugger and, with ``fork``, as forks of a warm
    process where that is possible (``utils/course/zygote.py``)."""
    km.kernel_spec.argv = _without_debugger(km.kernel_spec.argv)
    if fork:
        from . import zygote

        if zygote.available() and km.kernel_spec.argv[1:2] == ["-c"]:
            zygote.register()
            km.kernel_spec.metadata["kernel_provisioner"] = {
                "provisioner_name": zygote.ZYGOTE_NAME, "config": {}}


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
    ``fork=True``, as forks of a warm process where that is possible (``utils/course/zygote.py``).
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
        prepare_spec(self.km, fork=self.fork)
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
