"""Load the bundled corpus, or a folder of your own ``.txt`` files, as a DataFrame.

Every text is kept exactly as stored (only a UTF-8 byte-order mark is dropped), so
offsets computed anywhere in the kit index straight into the ``text`` column.
"""
from __future__ import annotations

import math
import numbers
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ..validate import NOT_IN_DOC_ID
from .textfiles import CorpusError, as_path, newline_kind, read_text_file, sha256_hex

from ..paths import KIT_ROOT

__all__ = ["CORPUS_DIR", "load_corpus", "load_texts", "corpus_compounds"]
# as_doc_id and check_unique_doc_ids are public to the kit's modules (naming.py uses them)
# but not exported from utils itself.

#: The bundled corpus: ``corpus/`` at the top of the kit (next to ``utils/``).
CORPUS_DIR = KIT_ROOT / "corpus"

_FIRST_COLUMNS = ["doc_id", "label", "title", "text", "n_chars", "n_lines", "newline"]
# columns the loaders compute from each file, which metadata.csv may not set
_COMPUTED = ["text", "n_chars", "n_lines", "newline"]


def _first_line(text: str, width: int = 40) -> str:
    for line in text.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= width else line[: width - 1] + "…"
    return ""


def _frame(records: list[dict], metadata: pd.DataFrame | None) -> pd.DataFrame:
    df = pd.DataFrame.from_records(records)
    if metadata is not None:
        extra = metadata
        df = df.drop(columns=[c for c in ("label", "title") if c in extra.columns],
                     errors="ignore").merge(
            extra, on="doc_id", how="left", validate="one_to_one")
        if "label" not in df.columns:
            df["label"] = df["doc_id"]
        if "title" not in df.columns:
            df["title"] = [_first_line(t) for t in df["text"]]
        df["label"] = df["label"].fillna(df["doc_id"])
    ordered = [c for c in _FIRST_COLUMNS if c in df.columns]
    df = df[ordered + [c for c in df.columns if c not in ordered]]
    return df.sort_values("doc_id", kind="stable").reset_index(drop=True)


def _read_metadata(path: Path) -> pd.DataFrame:
    try:
        meta = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except pd.errors.EmptyDataError:
        raise CorpusError(f"{path}: the file is empty; it needs a header line with a doc_id "
                          "column and one row per text") from None
    except (UnicodeDecodeError, pd.errors.ParserError) as err:
        raise CorpusError(f"{path.name}: cannot be read as a UTF-8 CSV ({err})") from None
    if "doc_id" not in meta.columns:
        raise CorpusError(f"{path.name}: needs a doc_id column; it has {list(meta.columns)}")
    computed = [c for c in _COMPUTED if c in meta.columns]
    if computed:
        raise CorpusError(f"{path.name}: column(s) {computed} are computed by the loader from "
                          "each file; remove or rename them in metadata.csv")
    blank = [i + 2 for i, d in enumerate(meta["doc_id"]) if not d.strip()]
    if blank:
        raise CorpusError(f"{path.name}: line(s) {blank[:10]} have an empty doc_id; give every "
                          "row the file name of its text without .txt")
    dup = meta["doc_id"][meta["doc_id"].duplicated()].tolist()
    if dup:
        raise CorpusError(f"{path.name}: doc_id repeated: {dup}")
    return meta


def _check_file_doc_id(path: Path, folder: Path) -> None:
    """Refuse a file whose name makes a doc_id the kit refuses (see :func:`as_doc_id`).

    The doc_id comes from the file name, so the only fix is to rename the file; saying so
    here beats an error from tokenize or write_spans that asks to rewrite the doc_id.
    """
    doc_id, name = path.stem, path.relative_to(folder).as_posix()
    for char in doc_id:
        if unicodedata.category(char) in NOT_IN_DOC_ID:
            kind = ("a tab" if char == "\t"    # a line break: str.splitlines() splits at it
                    else "a line break" if char.splitlines() == [""]
                    else f"U+{ord(char):04X}, a control or format character")
            raise CorpusError(
                f"{name!r}: its name gives doc_id {doc_id!r}, which holds {char!r} ({kind}); "
                "rename the file: a doc_id must be one line without tabs, line breaks, "
                "control or format characters, e.g. '000.txt'")
    if doc_id != doc_id.strip():
        better = f"{doc_id.strip()}{path.suffix}" if doc_id.strip() else f"000{path.suffix}"
        raise CorpusError(f"{name!r}: its name gives doc_id {doc_id!r}, which has white space "
                          f"around it; rename the file to {better!r}")


def load_texts(folder: str | os.PathLike, *, encoding: str | Mapping[str, str] | None = None,
               pattern: str = "*.txt") -> pd.DataFrame:
    """Load a folder of plain-text files as a corpus table, one row per file.

    The file name without ``.txt`` becomes ``doc_id``; a name the kit cannot use as one
    (white space at either end, a tab, line break, control or format character) is
    refused with the file to rename. An optional ``metadata.csv`` in the
    folder (with a ``doc_id`` column) is merged in; if it has a ``sha256`` column, every
    file is checked against it. ``encoding`` reads non-UTF-8 files (e.g. ``"shift_jis"``);
    for a folder that mixes encodings, give a dict ``{doc_id: codec}`` for the files that
    are not UTF-8 (``{"2019_01": "shift_jis"}``): every other file is read as UTF-8.

    >>> corpus = load_texts(CORPUS_DIR / "texts")
    >>> corpus[["doc_id", "n_chars"]].head(2).to_string(index=False)
    'doc_id  n_chars\\n   000     2670\\n   001     4107'
    """
    folder = as_path(folder, "load_texts", "the folder that holds your .txt files")
    if not isinstance(pattern, str):
        raise TypeError(f"pattern must be a glob pattern such as '*.txt' or '**/*.txt', got "
                        f"{pattern!r}")
    if not pattern.strip():
        raise ValueError("pattern is empty; use a glob pattern such as '*.txt' or '**/*.txt'")
    if Path(pattern).is_absolute() or ".." in Path(pattern).parts:
        raise ValueError(f"pattern {pattern!r} must stay inside the folder (relative, no '..'), "
                         "such as '*.txt' or '2024/*.txt'")
    if not folder.is_dir():
        raise CorpusError(f"{folder}: no such folder; pass the folder that holds your .txt files")
    meta_path = folder / "metadata.csv"
    files = sorted(p for p in folder.glob(pattern) if p.is_file() and p != meta_path)
    if not files:
        present = sorted(p.name for p in folder.iterdir())[:10]
        raise CorpusError(f"{folder}: no files matching {pattern!r} (the folder holds: "
                          f"{present or 'nothing'}); put UTF-8 .txt files there")
    seen: dict[str, Path] = {}
    for path in files:
        _check_file_doc_id(path, folder)
        other = seen.setdefault(path.stem, path)
        if other is not path:
            raise CorpusError(
                f"{folder}: two files give doc_id {path.stem!r}: "
                f"{other.relative_to(folder).as_posix()} and {path.relative_to(folder).as_posix()}"
                "; doc_ids are file names without .txt, so rename one of them")
    codec_of = _codecs_by_doc_id(encoding, list(seen))
    meta_path = folder / "metadata.csv"
    metadata = _read_metadata(meta_path) if meta_path.is_file() else None
    sha = (dict(zip(metadata["doc_id"], metadata["sha256"]))
           if metadata is not None and "sha256" in metadata.columns else {})
    records = []
    for path in files:
        data = path.read_bytes()
        doc_id = path.stem
        try:
            text = read_text_file(path, encoding=codec_of.get(doc_id))
        except CorpusError as err:
            codec = re.search(r"encoding='([^']+)'", str(err))
            if isinstance(encoding, str) or len(seen) < 2 or codec is None:
                raise
            raise CorpusError(f"{err} If the other files are UTF-8, name this file's alone: "
                              f"encoding={{{doc_id!r}: {codec.group(1)!r}}}.") from None
        if sha:
            expected = sha.get(doc_id)
            if expected and expected != sha256_hex(data):
                raise CorpusError(f"{path.name}: the file has been altered (its sha256 does not "
                                  f"match metadata.csv); restore it with `git checkout -- {path}`")
        records.append({"doc_id": doc_id, "label": doc_id, "title": _first_line(text),
                        "text": text, "n_chars": len(text),
                        "n_lines": len(text.splitlines()), "newline": newline_kind(text)})
    return _frame(records, metadata)


def corpus_compounds(path: str | os.PathLike | None = None) -> dict[str, str]:
    """Return the names and terms unidic-lite splits in the corpus, with their POS.

    The list lives in ``corpus/compounds.tsv`` (expression, pos, gloss, how the dictionary
    splits it); pass the dict to :func:`utils.tokenize` so that each comes out as one
    token with a fitting part of speech, as KH Coder's 強制抽出 does.

    >>> corpus_compounds()["キーウ"]
    '名詞-固有名詞-地名-一般'
    """
    path = (as_path(path, "corpus_compounds", "a .tsv file with expression and pos columns")
            if path is not None else CORPUS_DIR / "compounds.tsv")
    table = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    missing = [c for c in ("expression", "pos") if c not in table.columns]
    if missing:
        raise CorpusError(f"{path.name}: lacks column(s) {missing}; it needs a tab-separated "
                          f"header with expression and pos, got {list(table.columns)}")
    return dict(zip(table["expression"], table["pos"]))


def _codecs_by_doc_id(encoding, doc_ids: list[str]) -> dict[str, str | None]:
    """The codec of each file for load_texts: one for all, or a dict by doc_id."""
    if encoding is None or isinstance(encoding, str):
        return dict.fromkeys(doc_ids, encoding)
    if not isinstance(encoding, Mapping):
        raise TypeError("encoding must be a codec name such as 'shift_jis', a dict "
                        "{doc_id: codec} for the files that are not UTF-8, or None (UTF-8), "
                        f"got {encoding!r}")
    unknown = sorted(str(k) for k in encoding if k not in set(doc_ids))
    if unknown:
        raise ValueError(f"encoding names doc_id(s) {unknown} that the folder does not hold; "
                         f"its doc_ids (file names without .txt) are {sorted(doc_ids)[:10]}")
    for doc_id, codec in encoding.items():
        if not isinstance(codec, str):
            raise TypeError(f"encoding[{doc_id!r}] must be a codec name such as 'shift_jis', "
                            f"got {codec!r}")
    return {d: encoding.get(d) for d in doc_ids}


def load_corpus(folder: str | os.PathLike | None = None) -> pd.DataFrame:
    """Load the bundled corpus with its metadata, verifying every file's checksum.

    Returns one row per text: ``doc_id``, ``label`` (short, for plots), ``title``,
    ``text`` (exactly as stored), ``n_chars``, ``n_lines``, ``newline`` and the columns
    of ``corpus/metadata.csv``. A missing or altered file is an error that names it.

    >>> corpus = load_corpus()
    >>> list(corpus.doc_id), int(corpus.n_chars.sum())
    (['000', '001', '002', '003', '004'], 20110)
    """
    root = (as_path(folder, "load_corpus", "the folder that holds metadata.csv and texts/")
            if folder is not None else CORPUS_DIR)
    if not root.is_dir():
        raise CorpusError(f"{root}: no such folder; pass the folder that holds metadata.csv "
                          "and texts/")
    meta_path = root / "metadata.csv"
    if not meta_path.is_file():
        raise CorpusError(f"{meta_path}: the corpus metadata is missing; the bundled corpus "
                          "lives in corpus/ at the top of the kit")
    metadata = _read_metadata(meta_path)
    if metadata.empty:
        raise CorpusError(f"{meta_path}: lists no documents (it has only a header line); add "
                          "one row per text in texts/")
    texts_dir = root / "texts"
    missing = [d for d in metadata["doc_id"] if not (texts_dir / f"{d}.txt").is_file()]
    if missing:
        raise CorpusError(f"missing corpus file(s): {', '.join(f'texts/{d}.txt' for d in missing)}; "
                          "restore them with `git checkout -- corpus/texts`")
    records = []
    altered = []
    sha = dict(zip(metadata["doc_id"], metadata["sha256"])) if "sha256" in metadata else {}
    for doc_id in metadata["doc_id"]:
        path = texts_dir / f"{doc_id}.txt"
        data = path.read_bytes()
        if sha and sha256_hex(data) != sha[doc_id]:
            altered.append(f"texts/{doc_id}.txt")
            continue
        text = read_text_file(path)
        records.append({"doc_id": doc_id, "text": text, "n_chars": len(text),
                        "n_lines": len(text.splitlines()), "newline": newline_kind(text)})
    if altered:
        raise CorpusError(f"altered corpus file(s): {', '.join(altered)} (sha256 differs from "
                          "metadata.csv); restore them with `git checkout -- corpus/texts`")
    return _frame(records, metadata)


def documents(data, func: str, convert=None) -> list[tuple[str, str]]:
    """Turn what the text functions accept into (doc_id, text) pairs, with clear errors.

    Accepted: a str, a list of str, a dict doc_id -> text, a Series or a corpus DataFrame
    (doc_id and text columns). ``func`` names the caller in messages; ``convert`` maps
    each value first (tokenize uses it to accept :class:`utils.Cleaned` results).
    """
    if isinstance(data, str):
        items = [("000", data)]
    elif isinstance(data, (bytes, bytearray)):
        raise TypeError(f"{func} expects text as str, got {type(data).__name__}; decode it "
                        "first (data.decode('utf-8')) or read the file with "
                        "utils.read_text_file")
    elif isinstance(data, (set, frozenset)):
        raise TypeError(f"{func} got a {type(data).__name__}, which has no order, so its "
                        "doc_ids would change from run to run; pass a list or a dict "
                        "doc_id -> text")
    elif isinstance(data, pd.DataFrame):
        missing = [c for c in ("doc_id", "text") if c not in data.columns]
        if missing:
            hint = (" (this looks like a token table; pass the texts, e.g. "
                    "utils.load_corpus())" if "surface" in data.columns else "")
            raise ValueError(f"{func} needs a table with columns doc_id and text; missing "
                             f"{missing} (columns are {[str(c) for c in data.columns]}){hint}")
        twice = [c for c in ("doc_id", "text") if list(data.columns).count(c) > 1]
        if twice:
            raise ValueError(f"{func} got a table with more than one column named {twice}; "
                             "keep one of each")
        items = list(zip(data["doc_id"], data["text"]))
    elif isinstance(data, pd.Series):
        items = list(zip(data.index, data.to_numpy()))
    elif isinstance(data, Mapping):
        items = list(data.items())
    elif isinstance(data, Iterable):
        items = [(f"{i:03d}", t) for i, t in enumerate(data)]
    else:
        raise TypeError(f"{func} expects a str, a list of str, a dict doc_id -> text, a "
                        f"Series or a corpus DataFrame; got {type(data).__name__}")
    docs = []
    for doc_id, text in items:
        doc_id = as_doc_id(doc_id)
        if convert is not None:
            text = convert(text)
        if text is None or (isinstance(text, float) and math.isnan(text)):
            raise ValueError(f"the text of document {doc_id!r} is {text!r}; every text must "
                             "be a str (use an empty string for an empty document)")
        if not isinstance(text, str):
            raise TypeError(f"the text of document {doc_id!r} is a {type(text).__name__}, "
                            "not a str")
        docs.append((doc_id, text))
    check_unique_doc_ids([d for d, _ in items], [d for d, _ in docs])
    return docs


def as_doc_id(doc_id) -> str:
    """Return a doc_id as a str: str values as they are, ints (numpy's too) written out.

    >>> as_doc_id("000"), as_doc_id(7)
    ('000', '7')

    None, NaN, floats, bools and other types are refused: ``str()`` would turn them into
    ids such as ``'nan'`` or ``'1.0'`` that match nothing else in the kit. Empty ids and
    ids with white space around them are refused as :mod:`utils.persuasion.spans` refuses them.
    """
    if isinstance(doc_id, str):
        if not doc_id.strip():
            raise ValueError(f"doc_id {doc_id!r} is empty; every doc_id must be a str such "
                             "as '000'")
        if doc_id != doc_id.strip():
            raise ValueError(f"doc_id {doc_id!r} has white space around it; write it as "
                             f"{doc_id.strip()!r}")
        return doc_id
    if isinstance(doc_id, numbers.Integral) and not isinstance(doc_id, (bool, np.bool_)):
        return str(int(doc_id))
    if doc_id is None or doc_id is pd.NA or doc_id is pd.NaT or (
            isinstance(doc_id, float) and math.isnan(doc_id)):
        raise ValueError(f"doc_id {doc_id!r} is missing; every doc_id must be a str such "
                         "as '000' (or an int)")
    raise TypeError(f"doc_id {doc_id!r:.60} is a {type(doc_id).__name__}; every doc_id must "
                    "be a str such as '000' or an int")


def check_unique_doc_ids(given: list, ids: list[str]) -> None:
    """Refuse repeated doc_ids, naming them (and the int/str pairs that collide).

    ``given`` are the doc_ids as passed, ``ids`` the same after :func:`as_doc_id`.

    >>> check_unique_doc_ids([1, "1"], ["1", "1"])
    Traceback (most recent call last):
    ...
    ValueError: doc_id values must be unique; repeated: ['1']; ints are written as str, so int 1 and str '1' are the same doc_id
    """
    counts = Counter(ids)
    if len(counts) == len(ids):
        return
    dup = sorted(d for d, n in counts.items() if n > 1)
    kinds: dict[str, set] = {}
    for raw, d in zip(given, ids):
        if counts[d] > 1:
            kinds.setdefault(d, set()).add(type(raw).__name__ if not isinstance(raw, str)
                                           else "str")
    mixed = [d for d in dup if len(kinds[d]) > 1]
    note = ("; ints are written as str, so " + ", ".join(
        f"int {d} and str {d!r}" for d in mixed[:3]) + " are the same doc_id") if mixed else ""
    raise ValueError(f"doc_id values must be unique; repeated: {dup[:20]}"
                     f"{' …' if len(dup) > 20 else ''}{note}")
