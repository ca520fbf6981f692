"""Tokenize a corpus larger than memory into a token store, on this machine or a Dask cluster.

``python -m utils tokenize FOLDER --out STORE`` (or :func:`tokenize_to_store`) streams a
folder of ``.txt`` files (recursively), or one CSV / JSON Lines file with an id and a
text column, into STORE: Parquet files holding the token table of :func:`utils.tokenize`
(same columns and dtypes, offsets into each raw text) and a manifest with one row per
input. Work goes in batches of about ``batch_mb`` megabytes, so memory stays bounded
whatever the corpus size; a rerun does only what is missing (see :mod:`utils.analysis.store_files`
for the layout and why an interrupted run never counts a half-written file).
"""
from __future__ import annotations

import argparse
import math
import numbers
import sys
import uuid
from pathlib import Path


from .store_files import (TABLE_SUFFIXES, MANIFEST_COLUMNS, StoreError, drop_docs,
                          sha256_file, check_settings, committed, manifest_frame,
                          part_path, publish, scan_folder, scan_table, settings,
                          table_chunks, table_entry, user_dict_option, write_atomic)
from .store_run import progress_bar, run_dask, run_local

__all__ = ["tokenize_to_store", "MANIFEST_COLUMNS", "StoreError"]


def _check_paths(source, out) -> tuple[Path, Path, str]:
    for value, what in ((source, "source"), (out, "out")):
        if not isinstance(value, (str, Path)) or not str(value).strip():
            raise TypeError(f"{what} must be a path (str or pathlib.Path), got {value!r}")
    source, out = Path(source), Path(out)
    if not source.exists():
        raise StoreError(f"{source}: no such file or folder; pass a folder of .txt files, or "
                         "a .csv or .jsonl file with an id and a text column")
    if source.is_dir():
        kind = "folder"
    elif source.suffix.lower() in TABLE_SUFFIXES:
        kind = TABLE_SUFFIXES[source.suffix.lower()]
    else:
        raise StoreError(f"{source}: is a {source.suffix or 'suffix-less'} file; pass a folder "
                         "of .txt files, or a .csv or .jsonl (JSON Lines) file")
    src, dst = source.resolve(), out.resolve()
    if kind == "folder" and (dst == src or src in dst.parents):
        raise StoreError(f"{out}: is inside the input folder {source}; the store's files "
                         "would be mixed with the texts: choose an --out folder outside it")
    if dst in src.parents or dst == src:
        raise StoreError(f"{out}: holds the input {source}; choose an --out folder that "
                         "does not contain it")
    for path in (out, *out.parents):
        if path.exists() and not path.is_dir():
            raise StoreError(f"{path}: is a file; --out must be a new folder or a token store")
    if out.is_dir() and any(out.iterdir()) and not (out / "_store.json").exists():
        raise StoreError(f"{out}: is a folder that is not a token store (it has no "
                         "_store.json); choose a new or empty folder")
    return source, out, kind


def _check_options(workers, batch_mb, scheduler, id_column, text_column, encoding, progress):
    if isinstance(workers, bool) or not isinstance(workers, numbers.Integral) or workers < 1:
        raise ValueError(f"workers must be a whole number >= 1 (processes on this machine), "
                         f"got {workers!r}")
    if (isinstance(batch_mb, bool) or not isinstance(batch_mb, numbers.Real)
            or not 0 < batch_mb < float("inf")):
        raise ValueError(f"batch_mb must be a number of megabytes > 0 such as 4, "
                         f"got {batch_mb!r}")
    if scheduler is not None and workers != 1:
        raise ValueError(f"workers={workers!r} and a scheduler: give one of them (workers for "
                         "this machine, scheduler for a Dask cluster, whose workers it counts)")
    if scheduler is not None and not isinstance(scheduler, str):
        from distributed import Client

        if not isinstance(scheduler, Client):
            raise TypeError(f"scheduler must be an address such as 'tcp://10.0.0.1:8786' or "
                            f"a distributed.Client, got {type(scheduler).__name__}")
    for name, value in (("id_column", id_column), ("text_column", text_column)):
        if not isinstance(value, str) or not value:
            raise TypeError(f"{name} must be a column name (str), got {value!r}")
    if encoding is not None and not isinstance(encoding, str):
        raise TypeError(f"encoding must be a codec name such as 'shift_jis' or None (UTF-8), "
                        f"got {encoding!r}")
    if progress not in (None, True, False):
        raise TypeError(f"progress must be None (automatic), True or False, got {progress!r}")


def _plan(kind, source, entries, done, prune) -> dict:
    """Which entries to do, which committed rows to drop (changed or pruned inputs)."""
    old = done.set_index("doc_id") if len(done) else None
    todo, changed, skipped = [], [], 0
    for e in entries:
        if old is None or e["doc_id"] not in old.index:
            todo.append(e)
            continue
        sha = e.get("sha256") or sha256_file(Path(e["file"]))
        if sha == old.at[e["doc_id"], "sha256"]:
            skipped += 1
        else:
            changed.append(e["doc_id"])
            todo.append(e)
    present = {e["doc_id"] for e in entries}
    deleted = sorted(set(done["doc_id"]) - present)
    drop = set(changed) | (set(deleted) if prune else set())
    return {"todo": todo, "changed": changed, "skipped": skipped, "deleted": deleted,
            "drop": drop}


def _batches(entries, total: float, batch_bytes: float, workers: int, first: int):
    """(batch id, entries) in input order, none above ``batch_bytes`` (unless one input
    is): their number is a multiple of ``workers``, at least 4 a worker while batches keep
    0.2 MB, and each ends at the input nearest to an equal share of the ``total`` bytes
    left, so that the workers end together instead of one tagging a last batch alone."""
    n = max(1, math.ceil(total / batch_bytes))
    if workers > 1:
        n = max(n, min(4 * workers, math.ceil(total / 2e5)))
        n = math.ceil(n / workers) * workers
    current, size, batch, left = [], 0, first, total
    for e in entries:
        if current and (size + e["size"] > batch_bytes or size + e["size"] / 2 > left / n):
            yield batch, current
            current, size, batch, left, n = [], 0, batch + 1, left - size, max(1, n - 1)
        current.append(e)
        size += e["size"]
    if current:
        yield batch, current


def _with_texts(source: Path, todo: list[dict], id_column: str, text_column: str):
    """The to-do entries of a CSV / JSON Lines file with their texts, read again in order
    (so that no more than a batch of texts is held at once)."""
    wanted = {e["path"]: e for e in todo}
    for chunk in table_chunks(source, id_column, text_column):
        for row, doc_id, text in zip(chunk.index, chunk["doc_id"], chunk["text"]):
            e = wanted.get(f"{source.name}#{row}")
            if e is not None:
                yield {**e, "text": None if e["reason"] else
                       table_entry(source, row, doc_id, text)["text"]}


def tokenize_to_store(source, out, *, workers: int = 1, user_dict=None, scheduler=None,
                      batch_mb: float = 4, id_column: str = "doc_id", text_column: str = "text",
                      encoding: str | None = None, prune: bool = False, progress=None):
    """Tokenize a folder of ``.txt`` files (or a CSV / JSON Lines file) into a token store.

    ``source`` is a folder (every ``.txt`` below it; doc_id is the path relative to it
    without ``.txt``, e.g. ``2024/01/a``) or a ``.csv`` / ``.jsonl`` file whose
    ``id_column`` and ``text_column`` give doc_id and text. ``out`` is the store's
    folder (new, or a store to finish or update). Options: ``workers`` processes on this
    machine, or ``scheduler`` (a Dask scheduler's address or a ``distributed.Client``)
    to run the batches on a cluster; ``user_dict`` is passed to :func:`utils.tokenize`
    where it takes one; ``batch_mb`` is the most text per batch (a process needs about
    50 MB per MB of text in its batch, besides the tagger and the dictionary it maps: see
    docs/store.md); ``encoding`` reads non-UTF-8 files; ``prune=True`` drops inputs that
    no longer exist; ``progress`` None shows a bar on a terminal or in JupyterLab only.

    Returns a :class:`utils.Store` over ``out``; its ``last_run`` says what this run did
    and ``summary`` says it in words. A file that cannot be read (encoding, binary,
    empty) gets status ``unreadable`` and its reason in the manifest (and in
    ``_problems.csv``); the rest goes on.

    >>> import tempfile, pathlib
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (tmp / "in").mkdir(), (tmp / "in" / "a.txt").write_text("停戦を求めた。")
    >>> store = tokenize_to_store(tmp / "in", tmp / "store", progress=False)
    >>> store.manifest[["doc_id", "tokens", "status"]].to_dict("records")
    [{'doc_id': 'a', 'tokens': 5, 'status': 'ok'}]
    """
    from .store_counts import Store

    source, out, kind = _check_paths(source, out)
    _check_options(workers, batch_mb, scheduler, id_column, text_column, encoding, progress)
    wanted = settings(kind, id_column, text_column, user_dict, encoding)
    entries = (scan_folder(source) if kind == "folder"
               else scan_table(source, id_column, text_column))
    (out / "_manifest").mkdir(parents=True, exist_ok=True)
    check_settings(out, wanted)
    done = committed(out)
    plan = _plan(kind, source, entries, done, prune)
    for batch, rows in done[done["doc_id"].isin(plan["drop"])].groupby("batch"):
        drop_docs(out, int(batch), set(rows["doc_id"]))
    first = int(done["batch"].max()) + 1 if len(done) else 0
    todo = plan["todo"]
    stream = todo if kind == "folder" else _with_texts(source, todo, id_column, text_column)
    options = {"encoding": encoding, **user_dict_option(user_dict)}
    bar = progress_bar(sum(e["size"] for e in todo), len(todo), progress)
    run = {"done": 0, "unreadable": 0, "tokens": 0, "bytes": 0, "batches": 0}

    def commit(batch: int, rows: list[dict]) -> None:
        write_atomic(manifest_frame(rows), part_path(out, batch, manifest=True))
        publish(out, batch)
        ok = [r for r in rows if r["status"] == "ok"]
        run.update(done=run["done"] + len(ok), unreadable=run["unreadable"] + len(rows) - len(ok),
                   tokens=run["tokens"] + sum(r["tokens"] for r in ok), batches=run["batches"] + 1,
                   bytes=run["bytes"] + sum(r["size"] for r in rows))
        if bar is not None:  # one refresh per batch: the postfix waits for the update
            bar.set_postfix(files=f"{run['done'] + run['unreadable']}/{len(todo)}",
                            tokens=run["tokens"], refresh=False)
            bar.update(sum(r["size"] for r in rows))

    try:
        total = sum(e["size"] for e in todo)
        batches = _batches(stream, total, batch_mb * 1e6, workers, first)
        if scheduler is not None:
            run_dask(batches, str(out.resolve()), options, scheduler, commit)
        else:
            run_local(batches, str(out.resolve()), options, workers, commit, total)
    finally:
        if bar is not None:
            bar.close()
    store = Store(out)
    run.update(skipped=plan["skipped"], changed=len(plan["changed"]),
               deleted=plan["deleted"], pruned=prune, problems=_write_problems(store))
    store.last_run = run
    store.summary = _summary(run, out)
    return store


def _write_problems(store) -> int:
    """Write (or remove) the store's ``_problems.csv``; return how many inputs it lists."""
    problems = store.manifest[store.manifest["status"] != "ok"]
    path = store.path / "_problems.csv"
    if len(problems):
        tmp = store.path / f".tmp-_problems.csv-{uuid.uuid4().hex}"
        problems[["doc_id", "path", "reason"]].to_csv(tmp, index=False)
        tmp.replace(path)
    else:
        path.unlink(missing_ok=True)
    return len(problems)


def _summary(run: dict, out: Path) -> str:
    lines = [f"tokenized {run['done']:,} input(s) ({run['bytes'] / 1e6:,.1f} MB, "
             f"{run['tokens']:,} tokens) in {run['batches']} batch(es) into {out}"]
    if run["skipped"]:
        lines.append(f"{run['skipped']:,} input(s) were already in the store and unchanged")
    if run["changed"]:
        lines.append(f"{run['changed']:,} changed input(s) (new sha256) were done again")
    if run["deleted"]:
        what = "dropped from the store" if run["pruned"] else "kept; --prune drops them"
        lines.append(f"{len(run['deleted']):,} input(s) in the store no longer exist ({what}): "
                     + ", ".join(run["deleted"][:5]) + (" …" if len(run["deleted"]) > 5 else ""))
    if run["problems"]:
        lines.append(f"{run['problems']:,} input(s) could not be read "
                     f"({run['unreadable']:,} in this run): see {out / '_problems.csv'} "
                     "(or the manifest's status and reason columns)")
    return "\n".join(lines)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1, not {value}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number > 0, not {text!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number > 0, not {text}")
    return value


def main(argv: list[str]) -> int:
    """``python -m utils tokenize SOURCE --out STORE``: the command line of tokenize_to_store."""
    parser = argparse.ArgumentParser(
        prog="python -m utils tokenize",
        description="Tokenize a folder of .txt files (or a .csv / .jsonl file) into a token "
                    "store: Parquet files that pandas and DuckDB read, and a manifest. "
                    "Rerun the same command to finish an interrupted run.")
    add = parser.add_argument
    add("source", metavar="FOLDER", help="a folder of .txt files (searched recursively), "
        "or a .csv / .jsonl file with an id and a text column")
    add("--out", required=True, metavar="STORE", help="the store's folder (new, or a store)")
    add("--workers", type=_positive_int, default=1, metavar="N",
        help="processes on this machine (default 1)")
    add("--scheduler", metavar="ADDRESS", help="a Dask scheduler's address, e.g. "
        "tcp://10.0.0.1:8786: run the batches on its workers")
    add("--user-dict", metavar="FILE", help="a user dictionary for utils.tokenize")
    add("--batch-mb", type=_positive_float, default=4, metavar="MB",
        help="megabytes of text per batch, at most (default 4)")
    add("--id-column", default="doc_id", metavar="NAME", help="CSV/JSONL: the id column")
    add("--text-column", default="text", metavar="NAME", help="CSV/JSONL: the text column")
    add("--encoding", metavar="CODEC", help="codec of non-UTF-8 .txt files, e.g. shift_jis")
    add("--prune", action="store_true", help="drop inputs that no longer exist from the store")
    add("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    try:
        store = tokenize_to_store(
            args.source, args.out, workers=args.workers, user_dict=args.user_dict,
            scheduler=args.scheduler, batch_mb=args.batch_mb, id_column=args.id_column,
            text_column=args.text_column, encoding=args.encoding, prune=args.prune,
            progress=False if args.quiet else None)
    except KeyboardInterrupt:
        print(f"interrupted: the batches committed so far are kept in {args.out}; run the "
              "same command again to finish", file=sys.stderr)
        return 130
    except (StoreError, ValueError, TypeError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(store.summary)
    return 0
