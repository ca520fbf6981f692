"""Run a token store's batches: in this process, in worker processes, or on a Dask cluster.

Each batch is tagged by :func:`utils.analysis.store_files.run_batch` wherever it runs (each
process holds its own tagger and writes its own token part); the caller's ``commit``
writes the batch's manifest part as soon as the batch is done.
"""
from __future__ import annotations

import sys
import uuid
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from .processes import process_context, start_method
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


#: a worker process is replaced (its pool, once the batches running are committed) when
#: its peak RSS has grown by more than this many MB since the pool's first batch: a tagging
#: process grows as it touches more of the dictionary and as its heap fragments (575 to
#: 617 MB over 100 MB of the benchmark's text, levelling off), so an archive of any size
#: keeps each process within its first batch's peak plus this, plus one batch's growth
GROWTH_MB = 150
#: runs of less text than this tag in this process (no process to start)
IN_PROCESS_BYTES = 32e6


def peak_rss_mb() -> float:
    """This process's peak RSS so far in MB (the kernel's high-water mark)."""
    try:
        import resource
    except ImportError:  # Windows: the peak working set
        import psutil

        return psutil.Process().memory_info().peak_wset / 1e6
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak / 1e3  # bytes there, KB here


def run_measured(out: str, batch: int, entries: list, options: dict) -> tuple[list, float]:
    """Run a batch in a worker process; return its manifest rows and the process's peak RSS."""
    return run_batch(out, batch, entries, options), peak_rss_mb()


def run_local(batches, out: str, options: dict, workers: int, commit, total: int) -> None:
    """Run batches in this process (one worker, a small run) or in worker processes,
    ``workers`` running and one queued; commit each batch as soon as it is done. The
    processes are replaced when one has grown by GROWTH_MB (not after a number of
    batches: a new process maps its dictionary pages again, and waiting for the running
    batches to end leaves a core idle)."""
    if workers == 1 and total < IN_PROCESS_BYTES:
        for batch, entries in batches:
            commit(batch, run_batch(out, batch, entries, options))
        return
    context = process_context(start_method(), preload=[run_batch.__module__])
    pool, pending, peaks = None, {}, []

    def collect() -> None:
        finished, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in finished:
            batch = pending.pop(future)
            rows, peak = future.result()
            commit(batch, rows)
            peaks.append(peak)

    try:
        for batch, entries in batches:
            if pool is None or (peaks and max(peaks) > peaks[0] + GROWTH_MB):
                while pending:
                    collect()
                if pool is not None:
                    pool.shutdown(wait=True)
                pool, peaks = ProcessPoolExecutor(workers, mp_context=context), []
            pending[pool.submit(run_measured, out, batch, entries, options)] = batch
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
