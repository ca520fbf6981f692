"""Start grading kernels in a fraction of the time: fork them from a warm process.

Every kernel the grader starts imports the same things before it runs a cell: IPython and
ipykernel, pandas, matplotlib, fugashi, and for most lessons scipy.stats and scikit-learn
(one to two seconds of CPU on a laptop). On Linux a
*zygote* process imports them once, then forks a kernel on demand: the fork starts with
those modules already loaded, and the grader drives it through jupyter_client as usual
(:class:`ZygoteProvisioner`, a kernel provisioner). Whatever the notebook changes stays in
the fork. The kit's own package is never imported in the zygote, so each kernel still
imports ``utils`` from its own copy of the kit (``PYTHONPATH``, ``utils/course/sandbox.py``).

Elsewhere (macOS, where fork after these imports is unsafe, and Windows, which has no
fork), or when the zygote cannot start, kernels start the usual way.
"""
from __future__ import annotations

import atexit
import json
import os
import signal
import subprocess
import sys
import threading
import time

__all__ = ["ZYGOTE_NAME", "STARTUP", "available", "startup_key", "Zygote", "ZygoteProvisioner",
           "register"]

#: the name of the provisioner in a kernel spec's ``metadata.kernel_provisioner``
ZYGOTE_NAME = "kit-zygote"

#: what the zygote imports before it forks: what every kernel needs, and the libraries of
#: the lessons' statistics (scipy.stats, scikit-learn, networkx), the slowest to import
PRELOAD = ["ipykernel.kernelapp", "ipykernel.ipkernel", "IPython.core.interactiveshell",
           "numpy", "pandas", "matplotlib.pyplot", "fugashi", "scipy.stats",
           "sklearn.feature_extraction.text", "sklearn.linear_model", "networkx"]

#: environment variables read when Python starts or the preloaded modules are imported:
#: kernels that differ in one of them need a zygote of their own
STARTUP = ("PYTHONHASHSEED", "PYTHONIOENCODING", "PYTHONUTF8", "PYTHONWARNINGS", "MPLBACKEND",
           "MPLCONFIGDIR", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "OPENBLAS_NUM_THREADS",
           "OMP_NUM_THREADS", "MKL_NUM_THREADS", "JUPYTER_PLATFORM_DIRS")

#: the zygote itself: preload, then fork a kernel for each request read from stdin
_ZYGOTE_CODE = r'''
import gc, json, os, signal, sys
gc.disable()
sys.modules["debugpy"] = None  # kernels start without ipykernel's debugger
if sys.path and sys.path[0] == "":
    del sys.path[0]


class _Kernel:
    kernel = None


class _KernelStream:  # ipykernel's OutStream, as a library sees it at import
    encoding = "UTF-8"

    def write(self, text):
        return len(text)

    def flush(self):
        pass


# what a library decides at import from its surroundings must be decided as in the kernels
# the zygote forks. pandas: display.max_columns is 20 when get_ipython() is a kernel (0 in a
# terminal), display.encoding is the encoding of sys.stdout
import builtins
builtins.get_ipython = _Kernel
saved, sys.stdout, sys.stderr = (sys.stdout, sys.stderr), _KernelStream(), _KernelStream()
for name in PRELOAD:
    try:
        __import__(name)
    except Exception:
        pass
sys.stdout, sys.stderr = saved
del builtins.get_ipython
# what is loaded now is shared with every fork: keep the collector from touching it (each
# touch would copy a page into the fork)
gc.freeze()


def reap(*_):
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


signal.signal(signal.SIGCHLD, reap)
out = sys.stdout
for line in sys.stdin:
    request = json.loads(line)
    pid = os.fork()
    if pid == 0:
        try:
            gc.enable()
            os.setsid()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            os.chdir(request["cwd"])
            os.environ.clear()
            os.environ.update(request["env"])
            extra = [p for p in request["env"].get("PYTHONPATH", "").split(os.pathsep) if p]
            sys.path[:0] = extra
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(devnull, fd)
            sys.argv = request["argv"]
            from ipykernel import kernelapp
            kernelapp.launch_new_instance()
        finally:
            os._exit(0)
    out.write(json.dumps({"pid": pid}) + "\n")
    out.flush()
'''


def available() -> bool:
    """Tell whether kernels can be forked here (Linux, and not switched off with
    ``JMEDIA_KIT_NO_ZYGOTE=1``)."""
    return sys.platform.startswith("linux") and os.environ.get("JMEDIA_KIT_NO_ZYGOTE") != "1"


class Zygote:
    """A warm Python process that forks kernels; one per set of start-up settings."""

    _shared: dict[tuple, Zygote] = {}
    _lock = threading.Lock()

    def __init__(self, env: dict[str, str]):
        code = f"PRELOAD = {PRELOAD!r}\n" + _ZYGOTE_CODE
        self.process = subprocess.Popen(
            [sys.executable, "-c", code], env=env, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1,
            start_new_session=True)
        self.lock = threading.Lock()

    @classmethod
    def shared(cls, env: dict[str, str]) -> Zygote:
        """The zygote for kernels with these start-up settings (:data:`STARTUP`; each fork
        sets its whole environment for itself), started on first use and stopped when
        Python exits."""
        key = startup_key(env)
        with cls._lock:
            zygote = cls._shared.get(key)
            if zygote is None or zygote.process.poll() is not None:
                start = {k: v for k, v in env.items() if k != "PYTHONPATH"}
                # one thread for the maths libraries: their thread pools do not survive a
                # fork, and grading runs many kernels at once anyway
                for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
                    start.setdefault(name, "1")
                zygote = cls._shared[key] = cls(start)
            return zygote

    def spawn(self, argv: list[str], env: dict[str, str], cwd: str) -> int:
        """Fork a kernel that runs ``python argv…`` (``argv`` after the interpreter) in
        ``cwd`` with ``env``; return its process id."""
        request = json.dumps({"argv": argv, "env": env, "cwd": cwd})
        with self.lock:
            self.process.stdin.write(request + "\n")
            self.process.stdin.flush()
            answer = self.process.stdout.readline()
        if not answer:
            raise RuntimeError("the kernel zygote has stopped")
        return int(json.loads(answer)["pid"])

    def close(self) -> None:
        try:
            self.process.stdin.close()
            self.process.kill()
            self.process.wait(timeout=5)
        except Exception:
            pass

    @classmethod
    def close_all(cls) -> None:
        with cls._lock:
            for zygote in cls._shared.values():
                zygote.close()
            cls._shared.clear()


atexit.register(Zygote.close_all)


def startup_key(env: dict[str, str]) -> tuple:
    """What a kernel's environment must share with a zygote's to be forked from it.

    >>> startup_key({"PYTHONHASHSEED": "0", "PYTHONPATH": "/a"}) == startup_key(
    ...     {"PYTHONHASHSEED": "0", "PYTHONPATH": "/b", "PYTEST_CURRENT_TEST": "x"})
    True
    >>> startup_key({"PYTHONHASHSEED": "0"}) == startup_key({"PYTHONHASHSEED": "1"})
    False
    """
    return tuple((name, env.get(name)) for name in STARTUP)


class _Forked:
    """What jupyter_client expects of a kernel process (poll, wait, signals), for a fork
    of the zygote (its parent, the zygote, reaps it)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = -signal.SIGKILL
            except PermissionError:  # the pid was taken by someone else's process
                self.returncode = -signal.SIGKILL
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("kernel", timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def _provisioner_class():
    from jupyter_client.provisioning import LocalProvisioner

    class ZygoteProvisioner(LocalProvisioner):
        """Launch the kernel as a fork of the zygote (see the module's docstring)."""

        async def launch_kernel(self, cmd, **kwargs):
            env = dict(kwargs.get("env") or os.environ)
            cwd = os.fspath(kwargs.get("cwd") or os.getcwd())
            if not available():
                return await super().launch_kernel(cmd, **kwargs)
            try:
                pid = Zygote.shared(env).spawn(list(cmd[1:]), env, cwd)
            except Exception:
                return await super().launch_kernel(cmd, **kwargs)
            self.process = _Forked(pid)
            self.pid = pid
            self.pgid = pid  # the fork made itself a session (and group) leader
            self.cwd = cwd
            return self.connection_info

    return ZygoteProvisioner


_CLASS = []


def __getattr__(name: str):
    if name == "ZygoteProvisioner":  # made on first use: jupyter_client loads it lazily
        if not _CLASS:
            _CLASS.append(_provisioner_class())
        return _CLASS[0]
    raise AttributeError(name)


def register() -> None:
    """Make the provisioner known to jupyter_client (as an entry point would)."""
    from importlib.metadata import EntryPoint

    from jupyter_client.provisioning import KernelProvisionerFactory

    factory = KernelProvisionerFactory.instance()
    if ZYGOTE_NAME not in factory.provisioners:
        factory.provisioners[ZYGOTE_NAME] = EntryPoint(
            name=ZYGOTE_NAME, value="utils.course.zygote:ZygoteProvisioner",
            group=KernelProvisionerFactory.GROUP_NAME)
