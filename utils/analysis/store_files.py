"""Write a token store's files: inputs, batches, atomic parts, the manifest, settings.

A token store is a folder that pandas (``pd.read_parquet(STORE)``) and DuckDB read
directly::

    STORE/part-000000.parquet            token rows of batch 0 (the columns of utils.tokenize)
    STORE/_manifest/part-000000.parquet  one row per input of batch 0 (MANIFEST_COLUMNS)
    STORE/_store.json                    how the store was made (checked on every rerun)
    STORE/_problems.csv                  the inputs that could not be read, when there are any

Readers skip names that start with ``_`` or ``.``, so ``pd.read_parquet(STORE)`` is the
token table. Every file is written to a temporary name and renamed. A batch's token part
is written first, under a hidden name (``.pending-part-N.parquet``); then its manifest
part, which makes the batch count as done; then the token part gets its visible name (a
rerun finishes that rename if a run stopped just before it). So readers never see tokens
of a batch that is not done, an interrupted run leaves nothing half-done that a rerun
would count, and the rerun does only what is missing. The command and :func:`utils.tokenize_to_store` are in
:mod:`utils.analysis.store`; counting over a store in :mod:`utils.analysis.store_counts`.
"""
from __future__ import annotations

import hashlib
import inspect
import json
import os
import re
import stat
import uuid
from pathlib import Path

import pandas as pd

from .corpus import as_doc_id
from .textfiles import CorpusError, read_text_file

# shared by utils.analysis.store and store_counts; the public names are exported from there
__all__: list[str] = []

#: Columns of a store's manifest, one row per input file (or row of a CSV / JSON Lines file).
MANIFEST_COLUMNS = ["doc_id", "path", "sha256", "size", "tokens", "status", "reason", "batch"]
FORMAT = 1
_PART = re.compile(r"part-(\d{6})\.parquet")
TABLE_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}


class StoreError(ValueError):
    """Raised when a token store cannot be written or read as asked."""


# ---------------------------------------------------------------- the store's files

def part_path(out: Path, batch: int, manifest: bool = False, pending: bool = False) -> Path:
    """A batch's token part (``pending``: its name until the manifest part is written,
    hidden from readers by the dot) or manifest part."""
    name = f"{'.pending-' if pending else ''}part-{batch:06d}.parquet"
    return (out / "_manifest" if manifest else out) / name


def publish(out: Path, batch: int) -> None:
    """Give a committed batch's token part its visible name (if it has tokens)."""
    pending = part_path(out, batch, pending=True)
    if pending.exists():
        os.replace(pending, part_path(out, batch))


def write_atomic(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` to ``path`` as Parquet so that ``path`` is either whole or absent."""
    tmp = path.parent / f".tmp-{path.name}-{uuid.uuid4().hex}"
    try:
        frame.to_parquet(tmp, index=False)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def committed(out: Path) -> pd.DataFrame:
    """The manifest of every committed batch; removes what interrupted runs left behind."""
    for tmp in [*out.glob(".tmp-*"), *(out / "_manifest").glob(".tmp-*")]:
        tmp.unlink(missing_ok=True)
    parts = sorted((out / "_manifest").glob("part-*.parquet"))
    done = {int(_PART.fullmatch(p.name).group(1)) for p in parts if _PART.fullmatch(p.name)}
    for batch in done:  # committed, stopped before the rename: finish it
        publish(out, batch)
    for token_part in [*out.glob("part-*.parquet"), *out.glob(".pending-part-*.parquet")]:
        match = _PART.fullmatch(token_part.name.removeprefix(".pending-"))
        if match and int(match.group(1)) not in done:  # tokens whose manifest never came
            token_part.unlink()
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("size", "tokens", "batch")
                                          else "str") for c in MANIFEST_COLUMNS})
    frame = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
    return frame[MANIFEST_COLUMNS]


def manifest_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=MANIFEST_COLUMNS)
    for c in ("size", "tokens", "batch"):
        frame[c] = frame[c].astype("int64")
    for c in ("doc_id", "path", "sha256", "status", "reason"):
        frame[c] = frame[c].astype("str")
    return frame


def drop_docs(out: Path, batch: int, doc_ids: set[str]) -> None:
    """Rewrite one committed batch without ``doc_ids`` (changed or deleted inputs): the
    token part first, then the manifest part, each replaced atomically."""
    tokens_path, manifest_path = part_path(out, batch), part_path(out, batch, True)
    manifest = pd.read_parquet(manifest_path)
    keep = manifest[~manifest["doc_id"].isin(doc_ids)]
    if tokens_path.exists():
        tokens = pd.read_parquet(tokens_path)
        tokens = tokens[~tokens["doc_id"].isin(doc_ids)].reset_index(drop=True)
        if len(tokens):
            write_atomic(tokens, tokens_path)
    if len(keep):
        write_atomic(keep.reset_index(drop=True), manifest_path)
    else:
        manifest_path.unlink()
    if tokens_path.exists() and (not len(keep) or not (keep["tokens"] > 0).any()):
        tokens_path.unlink()


# ---------------------------------------------------------------- inputs

def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def scan_folder(folder: Path) -> list[dict]:
    """One entry per ``.txt`` file under ``folder`` (recursively, sorted): doc_id is the
    path relative to the folder without ``.txt`` (``2024/01/article``). The folder is
    resolved once (not each file: that took half the scan, which no worker shares)."""
    root, entries = folder.resolve(), []
    for path in sorted(root.rglob("*.txt")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts):
            continue
        try:
            info = path.stat()
        except (FileNotFoundError, NotADirectoryError):  # a broken link
            continue
        if stat.S_ISREG(info.st_mode):
            entries.append({"doc_id": rel.with_suffix("").as_posix(), "path": rel.as_posix(),
                            "size": info.st_size, "file": str(path)})
    return entries


def table_chunks(path: Path, id_column: str, text_column: str, rows: int = 2000):
    """DataFrames of ``rows`` rows (id and text as read) of a CSV or JSON Lines file."""
    kind = TABLE_SUFFIXES[path.suffix.lower()]
    if kind == "csv":
        reader = pd.read_csv(path, dtype=str, keep_default_na=False, chunksize=rows,
                             encoding="utf-8")
    else:
        reader = pd.read_json(path, lines=True, dtype=False, chunksize=rows, encoding="utf-8")
    first = 0
    with reader:
        for chunk in reader:
            missing = [c for c in (id_column, text_column) if c not in chunk.columns]
            if missing:
                raise StoreError(f"{path.name}: has no column(s) {missing}; its columns are "
                                 f"{[str(c) for c in chunk.columns]}; name the id and text "
                                 "columns with --id-column and --text-column")
            chunk = chunk[[id_column, text_column]].set_axis(["doc_id", "text"], axis=1)
            chunk.index = range(first, first + len(chunk))
            first += len(chunk)
            yield chunk


def table_entry(path: Path, row: int, doc_id, text) -> dict:
    """The entry of one table row; ``text`` stays in it (None for an unreadable row)."""
    reason = ""
    try:
        doc_id = as_doc_id(doc_id if not isinstance(doc_id, float) or doc_id == doc_id
                           else None)
    except (TypeError, ValueError) as err:
        reason, doc_id = f"bad doc_id: {err}", f"{path.name}#{row}"
    if not reason and not isinstance(text, str):
        reason = f"the text is {text!r}, not a str"
    elif not reason and not text.strip():
        reason = "the text is empty"
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else b""
    return {"doc_id": doc_id, "path": f"{path.name}#{row}", "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(), "reason": reason,
            "text": text if not reason else None}


def scan_table(path: Path, id_column: str, text_column: str) -> list[dict]:
    """One entry per row (without its text, which a second pass reads again)."""
    entries, seen = [], {}
    for chunk in table_chunks(path, id_column, text_column):
        for row, doc_id, text in zip(chunk.index, chunk["doc_id"], chunk["text"]):
            entry = table_entry(path, row, doc_id, text)
            entry.pop("text")
            first = seen.setdefault(entry["doc_id"], row)
            if first != row:
                entry["reason"] = f"doc_id {entry['doc_id']!r} repeated (first at row {first})"
                entry["doc_id"] = f"{path.name}#{row}"
            entries.append(entry)
    return entries


# ---------------------------------------------------------------- one batch (any process)

def _tokenize(docs: dict[str, str], options: dict) -> pd.DataFrame:
    import utils

    kwargs = {}
    if options.get("user_dict") is not None:
        kwargs["user_dict"] = options["user_dict"]
    return utils.tokenize(docs, **kwargs)


def run_batch(out: str, batch: int, entries: list[dict], options: dict) -> list[dict]:
    """Tokenize one batch, write its token part (atomically) and return its manifest rows.

    Runs in this process, a worker process or a Dask worker: each has its own tagger.
    An input that cannot be read or tagged gets status ``unreadable`` and its reason;
    the others go on.
    """
    rows, docs = [], {}
    for e in entries:
        row = {"doc_id": e["doc_id"], "path": e["path"], "sha256": e.get("sha256", ""),
               "size": e["size"], "tokens": 0, "status": "unreadable",
               "reason": e.get("reason", ""), "batch": batch}
        rows.append(row)
        if row["reason"]:
            continue
        try:
            text = e.get("text")
            if text is None:
                data = Path(e["file"]).read_bytes()
                row["sha256"], row["size"] = hashlib.sha256(data).hexdigest(), len(data)
                text = read_text_file(e["file"], encoding=options.get("encoding"))
                as_doc_id(e["doc_id"])
        except (CorpusError, OSError, TypeError, ValueError) as err:
            row["reason"] = str(err)
            continue
        docs[row["doc_id"]] = text
    tokens = _tokenize_each(docs, rows, options)
    counts = tokens["doc_id"].value_counts() if len(tokens) else {}
    for row in rows:
        if row["doc_id"] in docs and not row["reason"]:
            row.update(status="ok", tokens=int(counts.get(row["doc_id"], 0)))
    if len(tokens):
        write_atomic(tokens, part_path(Path(out), batch, pending=True))
    return rows


def _tokenize_each(docs: dict[str, str], rows: list[dict], options: dict) -> pd.DataFrame:
    """The batch's token table; if tagging the batch fails, each document alone, so that
    only the one that fails is marked unreadable (with the error as its reason)."""
    if not docs:
        return pd.DataFrame()
    try:
        return _tokenize(docs, options)
    except (TypeError, ValueError, RuntimeError, UnicodeError) as err:
        if len(docs) == 1:
            reason = {next(iter(docs)): f"could not be tokenized: {err}"}
            parts = []
        else:
            parts, reason = [], {}
            for doc_id, text in docs.items():
                try:
                    parts.append(_tokenize({doc_id: text}, options))
                except (TypeError, ValueError, RuntimeError, UnicodeError) as one:
                    reason[doc_id] = f"could not be tokenized: {one}"
    for row in rows:
        if row["doc_id"] in reason:
            row["reason"] = reason[row["doc_id"]]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


# ---------------------------------------------------------------- settings

def settings(kind: str, id_column: str, text_column: str, user_dict, encoding) -> dict:
    """What makes two runs' tokens comparable: written once, checked on every rerun."""
    import unidic_lite

    import utils

    if user_dict is not None:
        if not isinstance(user_dict, (str, os.PathLike)) or not Path(user_dict).is_file():
            raise StoreError(f"{user_dict}: no such user dictionary file")
        if "user_dict" not in inspect.signature(utils.tokenize).parameters:
            raise StoreError("user_dict: this version of utils.tokenize takes no user "
                             "dictionary; leave --user-dict out")
    version = Path(unidic_lite.DICDIR, "version")
    return {"format": FORMAT, "input": kind,
            "id_column": id_column if kind != "folder" else None,
            "text_column": text_column if kind != "folder" else None,
            "encoding": encoding,
            "user_dict_sha256": sha256_file(Path(user_dict)) if user_dict else None,
            "dictionary": ("unidic-lite " + version.read_text("utf-8").strip()
                           if version.exists() else "unidic-lite")}


def check_settings(out: Path, wanted: dict) -> None:
    """Write ``_store.json`` in a new store; refuse a rerun with other settings."""
    path = out / "_store.json"
    if not path.exists():
        tmp = out / f".tmp-_store.json-{uuid.uuid4().hex}"
        tmp.write_text(json.dumps(wanted, indent=1, sort_keys=True) + "\n", "utf-8")
        os.replace(tmp, path)
        return
    have = json.loads(path.read_text("utf-8"))
    differ = sorted(k for k in set(have) | set(wanted) if have.get(k) != wanted.get(k))
    if differ:
        pairs = ", ".join(f"{k}: {have.get(k)!r} then, {wanted.get(k)!r} now" for k in differ)
        raise StoreError(f"{out}: this store was made with other settings ({pairs}); "
                         "tokens made both ways would not be comparable: write to a new "
                         "--out folder, or delete this one")


def user_dict_option(user_dict) -> dict:
    return {} if user_dict is None else {"user_dict": str(Path(user_dict).resolve())}

