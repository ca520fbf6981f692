"""Run a token store's batches: in this process, in worker processes, or on a Dask cluster.

Each batch is tagged by :func:`utils.analysis.store_files.run_batch` wherever it runs (each
process holds its own tagger and writes its own token part); the caller's ``commit``
writes the batch's manifest part as soon as the batch is done.
"""
from __future__ import annotations

import multiprocessing
import sys
import threading
import uuid
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from .store_files import StoreError, run_batch

# used by utils.analysis.store; the public names are exported from there
__all__: list[str] = []


def progress_bar(total: int, files: int, enabled):
    """A tqdm bar: a widget in JupyterLab (plain text on stdout without ipywidgets), on
    stderr in a terminal; none when output is not a terminal, unless asked for."""
    if enabled is False:
        return None
    shell = sys.modules.get("IPython") and sys.modules["IPython"].get_ipython()
    kernel = shell is not None and hasattr(shell, "kernel")
    if enabled is None and not kernel and not sys.stderr.isatty():
        return None
    options = {"total": total, "unit": "B", "unit_scale": True, "desc": "tokenize",
               "postfix": {"files": f"0/{files}", "tokens": 0}}
    if kernel:
        try:
            import ipywidgets  # noqa: F401
            from tqdm.notebook import tqdm
        except ImportError:
            from tqdm.std import tqdm
            options["file"] = sys.stdout  # stderr would mark the cell as failed
        return tqdm(**options)
    from tqdm.std import tqdm

    return tqdm(file=sys.stderr, **options)


def start_method() -> str:
    # fork is safe in a single-threaded script; Jupyter kernels run threads: spawn there
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return "fork"
    return "spawn"


#: a worker process tags this many batches, then a fresh one takes over: the tagger's
#: tables of words seen grow with the vocabulary, so a process that lived for a whole
#: archive would grow with it
RECYCLE = 16
#: runs of less text than this tag in this process (no process to start)
IN_PROCESS_BYTES = 32e6


def run_local(batches, out: str, options: dict, workers: int, commit, total: int) -> None:
    """Run batches in this process (one worker, a small run) or in worker processes,
    ``workers`` running and one queued, each replaced after RECYCLE batches; commit each
    batch as soon as it is done."""
    if workers == 1 and total < IN_PROCESS_BYTES:
        for batch, entries in batches:
            commit(batch, run_batch(out, batch, entries, options))
        return
    context = multiprocessing.get_context(start_method())
    pool, used, pending = None, 0, {}

    def collect() -> None:
        finished, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in finished:
            batch = pending.pop(future)
            commit(batch, future.result())

    try:
        for batch, entries in batches:
            if pool is None or used == RECYCLE * workers:
                while pending:
                    collect()
                if pool is not None:
                    pool.shutdown(wait=True)
                pool, used = ProcessPoolExecutor(workers, mp_context=context), 0
            pending[pool.submit(run_batch, out, batch, entries, options)] = batch
            used += 1
            while len(pending) > workers:
                collect()
        while pending:
            collect()
    except BrokenProcessPool:
        raise StoreError("a worker process died (out of memory, or killed); the batches "
                         "committed so far are kept: run the same command again to finish "
                         "(a smaller --batch-mb needs less memory)") from None
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def run_dask(batches, out: str, options: dict, scheduler, commit) -> None:
    """Run batches on a Dask cluster: each worker process tags with its own tagger and
    writes its own token parts; this process commits the manifest parts."""
    from distributed import Client, as_completed

    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    try:
        limit = 2 * max(1, sum(client.nthreads().values()))
        pending = as_completed()
        batch_of = {}

        def collect(future) -> None:
            commit(batch_of.pop(future.key), future.result())

        for batch, entries in batches:
            future = client.submit(run_batch, out, batch, entries, options, pure=False,
                                   key=f"tokenize-batch-{batch}-{uuid.uuid4().hex[:8]}")
            batch_of[future.key] = batch
            pending.add(future)
            if len(batch_of) >= limit:
                collect(next(pending))
        for future in pending:
            collect(future)
    finally:
        if client is not scheduler:
            client.close()
