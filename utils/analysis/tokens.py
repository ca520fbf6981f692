"""Tokenize Japanese text into a tidy token table with fugashi and unidic-lite.

形態素解析 (morphological analysis) splits text into morphemes and tags each with its
part of speech, lemma and reading. Here it produces one pandas row per token, with
offsets into the raw text, so every count can be traced back to the sentence it came from.
"""
from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from importlib import resources
import multiprocessing
import re
import sys
import threading

import numpy as np
import pandas as pd

from ._compounds import as_compounds
from ._tagcheck import check_bool, check_stop_options, check_taggable
from .corpus import documents
from .sentences import sentence_bounds
from .text import LINE_BREAK, Cleaned, clean as _clean, normalize_with_offsets

__all__ = ["TOKEN_COLUMNS", "DEFAULT_STOP_POS", "tokenize", "dictionary_info", "stopwords",
           "remove_stopwords"]

#: Columns of the token table, in order.
TOKEN_COLUMNS = ["doc_id", "sent_id", "token_id", "start", "end", "surface", "lemma",
                 "pos1", "pos2", "pos3", "pos4", "reading", "goshu", "is_unknown"]
#: Parts of speech (``pos1``) that :func:`remove_stopwords` drops by default.
DEFAULT_STOP_POS = ("助詞", "助動詞", "補助記号", "記号", "空白")

# per-token arrays of _tag_doc (one per document), joined by _assemble
_ROW_ARRAYS = ("sent_id", "start", "end", "line")
_STRING_COLUMNS = ["surface", "lemma", "pos1", "pos2", "pos3", "pos4", "reading", "goshu"]
_FEATURE_COLUMNS = ["pos1", "pos2", "pos3", "pos4", "lemma", "reading", "goshu", "status"]
# MeCab output, one line per token: leading white space + surface, a tab, then a short
# "node key": the entry's left and right context ids, its word cost and %s, the node
# status (1 = unknown word). Dictionary entries that agree on all of these are the same
# to MeCab's search, which breaks ties by dictionary order, so one node key always comes
# with one feature record; _Lines learns that record the first time it meets the key,
# with _LATTICE: surface, node key and UniDic's whole record (%H, then \v, a character
# normalize() never leaves in text, and %s), of the word alone or, failing that, of its
# sentence group tagged again. Short keys are about a fifth the
# length of full ones, so MeCab prints, and Python splits and hashes, far less per token;
# each feature record is decoded once (_decode_key): UniDic 2.1.2 fields 0-3 POS,
# 7 lemma, 17 kana, 12 goshu.
_NODE = r"%pS%m\\t%phl,%phr,%pw,%s\\n"
# the best path's nodes (with -a, every node of the lattice): surface, node key, record
_LATTICE = r"%m\\t%phl,%phr,%pw,%s\\t%H\\v%s\\n"
_MAX_SENTENCE = 4000  # characters per MeCab call; longer sentences are cut at a comma or space


def _mecab(node_format: str, options: str = ""):
    import fugashi
    import unidic_lite

    return fugashi.GenericTagger(f'-d "{unidic_lite.DICDIR}" -r /dev/null -O "" {options}'
                                 f'-F {node_format} -U {node_format} -E "" -B ""')


@lru_cache(maxsize=1)
def _tagger():
    return _mecab(_NODE)


@lru_cache(maxsize=2)
def _lattice_tagger(all_nodes: bool):
    return _mecab(_LATTICE, "-a " if all_nodes else "")


def _record_from_lattice(surface: str, node_key: str) -> str | None:
    """The record of the dictionary entry (or unknown-word node) that MeCab printed as
    ``surface`` with ``node_key``: the node of the lattice of ``surface`` alone that
    spells it whole and carries that key (the best path is tried first: most often it is
    that one node); None unless exactly one record fits."""
    best = _lattice_tagger(False).parse(surface).split("\t", 2)
    if len(best) == 3 and best[0] == surface and best[1] == node_key:
        return best[2]
    found = set()
    for line in _lattice_tagger(True).parse(surface).split("\n"):
        parts = line.split("\t", 2)
        if len(parts) == 3 and parts[0] == surface and parts[1] == node_key:
            found.add(parts[2])
    return found.pop() if len(found) == 1 else None


# UniDic lists Latin-letter words (ＮＡＴＯ, ＥＵ, Ｇｏｏｇｌｅ) in full width only, and
# utils.normalize writes Latin letters in half width: a token spelled in Latin letters only
# that MeCab could not find is looked up again in full width (see _latin_words).
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_WIDEN = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in
                        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"})
_NARROW = str.maketrans({v: k for k, v in _WIDEN.items()})


@lru_cache(maxsize=4096)
def _latin_record(surface: str) -> str | None:
    """UniDic's record (``%H\\v0``) of the full-width spelling of ``surface`` when the
    dictionary lists that whole spelling as one word written in Latin letters (ＮＡＴＯ,
    ＥＵ, ＷＷＷ), else None.

    English words are left alone: UniDic analyses ｔｈｅ as the loanword ザ and ｄａｙｓ as
    デー, which would count an English quotation as Japanese loanwords, and a capitalized
    word (He) is not the abbreviation its letters spell (ＨＥ).
    """
    if not (surface.isupper() or surface.islower()):
        return None
    wide = surface.translate(_WIDEN)
    best = _lattice_tagger(False).parse(wide).split("\t", 2)
    if not (len(best) == 3 and best[0] == wide and "\n" not in best[2]
            and best[2].endswith("\v0")):
        return None
    lemma = _decode_key(best[2])[4]
    return best[2] if lemma.upper() == wide.upper() else None


def _latin_words(surfaces: list[str], line_code: np.ndarray, keys: dict,
                 used: np.ndarray) -> set[int]:
    """Give unknown Latin-letter tokens UniDic's entry for their full-width spelling.

    Changes ``line_code`` (and ``keys``) in place for each line whose surface is Latin
    letters only, whose node was unknown and whose full-width spelling is one dictionary
    word spelled in Latin letters (see _latin_record), and returns those lines: NATO
    becomes 名詞-固有名詞-一般 read ナトー. The
    segmentation and the offsets never change: only a whole token is looked up.
    """
    key_list = list(keys)
    found: set[int] = set()
    for i in used.tolist():  # the lines this call's tokens use, not every line ever seen
        surface = surfaces[i]
        if not (surface.isascii() and _LATIN_WORD.fullmatch(surface)):
            continue
        if not key_list[line_code[i]].endswith("\v1"):
            continue
        record = _latin_record(surface)
        if record is not None:
            line_code[i] = keys.setdefault(record, len(keys))
            found.add(i)
    return found


def dictionary_info() -> dict:
    """Describe the MeCab dictionary in use (always unidic-lite, never ``unidic``).

    >>> info = dictionary_info()
    >>> info["package"], info["charset"]
    ('unidic-lite', 'utf8')
    """
    import unidic_lite

    info = dict(_tagger().dictionary_info[0])
    info["package"] = "unidic-lite"
    info["dicdir"] = unidic_lite.DICDIR
    version_file = os.path.join(unidic_lite.DICDIR, "version")
    if os.path.exists(version_file):
        with open(version_file, encoding="utf-8") as f:
            info["unidic_version"] = f.read().strip()
    return info


def _clean_lemma(lemma: str) -> str:
    # UniDic writes a lemma with a subscript: ロシア-Rossiya, 私-代名詞, キー-key.
    if len(lemma) > 1 and "-" in lemma[1:] and not lemma.startswith("-"):
        return lemma.split("-", 1)[0]
    return lemma


def _decode_key(key: str) -> list[str]:
    """Return pos1-pos4, lemma, reading, goshu and status from a feature key."""
    if key.startswith("\x00"):  # a merged compound: its fields are written out already
        return key[1:].split("\v")
    record, _, status = key.rpartition("\v")
    f = next(csv.reader([record])) if '"' in record else record.split(",")
    f += [""] * (18 - len(f))  # unknown words carry the POS fields only
    return [f[0], f[1], f[2], f[3], f[7], f[17], f[12], status]


class _Keys:
    """Feature keys seen in this process, numbered in order of first appearance."""

    def __init__(self):
        self.index: dict[str, int] = {}
        self.keys: list[str] = []

    def code(self, key: str) -> int:
        i = self.index.get(key)
        if i is None:
            i = self.index[key] = len(self.keys)
            self.keys.append(key)
        return i


class _Lines:
    """MeCab output lines seen in this process: each distinct line is decoded once.

    A line is ``<white space><surface>\\t<feature key>``; a text of a million tokens has
    only tens of thousands of distinct lines, so the per-token work is one dict look-up
    and a few numpy takes.
    """

    def __init__(self):
        self.index: dict[str, int] = {}
        self.surface: list[str] = []
        self.code: list[int] = []
        self._tlen = np.zeros(1024, dtype=np.int64)  # characters in the line's first field
        self._slen = np.zeros(1024, dtype=np.int64)  # characters of the surface

    def add(self, surface: str, code: int, tlen: int, key: str | None = None) -> int:
        i = len(self.surface)
        if i == len(self._tlen):
            self._tlen = np.concatenate([self._tlen, np.zeros(i, dtype=np.int64)])
            self._slen = np.concatenate([self._slen, np.zeros(i, dtype=np.int64)])
        self.surface.append(surface)
        self.code.append(code)
        self._tlen[i] = tlen
        self._slen[i] = len(surface)
        if key is not None:
            self.index[key] = i
        return i

    def ids(self, lines: list[str], units: list[str], counts: np.ndarray) -> np.ndarray:
        """Line ids of MeCab's output ``lines`` for the texts ``units`` (``counts[i]``
        lines each), learning the feature record of every line not seen before."""
        ids = list(map(self.index.get, lines))
        if None in ids:
            self._learn(lines, ids, units, counts)
            ids = list(map(self.index.__getitem__, lines))
        return np.fromiter(ids, dtype=np.int64, count=len(ids))

    def _learn(self, lines, ids, units, counts) -> None:
        """Learn the record of each new line: from the lattice of its surface alone (one
        small parse per new line), or else by tagging its sentence group again with
        the full format (exact by construction, but a whole parse)."""
        first_at: dict[str, int] = {}
        for i in np.flatnonzero(np.fromiter((i is None for i in ids), dtype=bool,
                                            count=len(ids))).tolist():
            first_at.setdefault(lines[i], i)
        new = list(first_at)
        parts = [line.partition("\t") for line in new]
        records = [_record_from_lattice(first.lstrip(), key) for first, _, key in parts]
        unresolved = []
        for line, (first, _, _), record in zip(new, parts, records):
            if record is None:
                unresolved.append(first_at[line])
                continue
            line = line.encode("utf-8").decode("utf-8")  # a copy: see below
            self.add(first.lstrip(), _KEYS.code(record), len(first), line)
        if unresolved:
            self._learn_from_groups(lines, unresolved, units, counts)

    def _learn_from_groups(self, lines, missing, units, counts) -> None:
        ends = np.cumsum(counts)
        parse = _lattice_tagger(False).parse
        for u in np.unique(np.searchsorted(ends, missing, side="right")).tolist():
            a, b = int(ends[u] - counts[u]), int(ends[u])
            full = [row.split("\t", 2) for row in parse(units[u]).split("\n")]
            if [row[:2] for row in full] != [[first.lstrip(), node_key] for first, _, node_key
                                             in (line.partition("\t") for line in lines[a:b])]:
                raise RuntimeError(f"MeCab tagged {units[u][:40]!r} differently in its two "
                                   "output formats; please report this text")
            new = {}
            for line, (_, _, key) in zip(lines[a:b], full):
                known = self.index.get(line)
                if known is None:
                    known_key = new.setdefault(line, key)
                else:
                    known_key = _KEYS.keys[self.code[known]]
                if known_key != key:
                    raise RuntimeError(f"one MeCab node key, {line!r}, came with two feature "
                                       "records; please report this text")
            for line, key in new.items():
                # keep copies, not the split's own strings: those sit among millions of
                # short-lived ones, and one survivor keeps a whole memory arena alive
                line = line.encode("utf-8").decode("utf-8")
                first = line.partition("\t")[0]
                self.add(first.lstrip(), _KEYS.code(key), len(first), line)

    @property
    def tlen(self) -> np.ndarray:
        return self._tlen

    @property
    def slen(self) -> np.ndarray:
        return self._slen


_KEYS = _Keys()
_LINES = _Lines()


def _units(text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Group consecutive sentences of one line into one MeCab call (as MeCab's own
    command line tags a line at a time), up to _MAX_SENTENCE characters."""
    units: list[tuple[int, int]] = []
    for a, b in bounds:
        if units:
            ua, ub = units[-1]
            if b - ua <= _MAX_SENTENCE and not LINE_BREAK.search(text, ub, a):
                units[-1] = (ua, b)
                continue
        units.append((a, b))
    return units


def _tag_doc(text: str, compounds: dict | None) -> dict:
    """Tag one text: line ids (see _Lines), sentence ids and raw offsets per token."""
    norm, starts_map, ends_map = normalize_with_offsets(text)
    bounds = sentence_bounds(norm, _MAX_SENTENCE)
    units = _units(norm, bounds)
    parse = _tagger().parse
    texts = [norm[a:b] for a, b in units]
    outs = [parse(t) for t in texts]
    # fugashi strips the final line break of each parse, so lines = breaks + 1
    counts = np.fromiter((o.count("\n") + 1 if o else 0 for o in outs), dtype=np.int64,
                         count=len(outs))
    joined = "\n".join(filter(None, outs))
    del outs
    ids = (_LINES.ids(joined.split("\n"), texts, counts) if joined
           else np.zeros(0, dtype=np.int64))
    del joined, texts
    n = len(ids)
    unit = np.repeat(np.arange(len(units), dtype=np.int64), counts)
    cum = np.cumsum(_LINES.tlen[ids])
    first = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    before = np.concatenate([[0], cum])[first]  # cumulative length before each unit
    unit_start = np.fromiter((a for a, _ in units), dtype=np.int64, count=len(units))
    end = unit_start[unit] + cum - before[unit] if n else np.zeros(0, dtype=np.int64)
    start = end - _LINES.slen[ids]
    sent_start = np.fromiter((a for a, _ in bounds), dtype=np.int64, count=len(bounds))
    sent = np.searchsorted(sent_start, start, side="right") - 1
    out = {"sent_id": sent, "start": start, "end": end, "line": ids}
    if compounds:
        out = _merge_compounds(out, norm, compounds)
    if starts_map is not None and n:
        out["start"] = starts_map[out["start"]]
        out["end"] = ends_map[out["end"] - 1]
    return out


def _merge_compounds(cols: dict, norm: str, compounds: dict) -> dict:
    """Merge runs of tokens that spell a listed expression exactly (quanteda's tokens_compound)."""
    start, end, sent = cols["start"], cols["end"], cols["sent_id"]
    if not len(start):
        return cols
    keep = np.ones(len(start), dtype=bool)
    merged: dict[int, tuple[int, int]] = {}  # first token -> (last token, line id)
    for expr, pos in compounds.items():
        key = "\x00" + "\v".join([*pos, expr, "", "", "0"])  # decoded by _decode_key
        line = _LINES.index.get("\x00" + key)  # a made-up output line for the merged token
        if line is None:
            line = _LINES.add(expr, _KEYS.code(key), len(expr), "\x00" + key)
        i = norm.find(expr)
        while i >= 0:
            a = int(np.searchsorted(start, i))
            b = int(np.searchsorted(end, i + len(expr)))
            if (a < len(start) and start[a] == i and b < len(end) and end[b] == i + len(expr)
                    and sent[a] == sent[b] and keep[a:b + 1].all() and a not in merged):
                keep[a + 1:b + 1] = False
                merged[a] = (b, line)
            i = norm.find(expr, i + 1)
    if not merged:
        return cols
    lines = cols["line"].copy()
    new_end = end.copy()
    for a, (b, line) in merged.items():
        lines[a] = line
        new_end[a] = end[b]
    idx = np.flatnonzero(keep)
    return {"sent_id": sent[idx], "start": start[idx], "end": new_end[idx], "line": lines[idx]}


def _tag_batch(docs: list[tuple[str, str]], compounds: dict | None) -> dict:
    """Tag several documents into one set of columns, with the tables they refer to."""
    arrays = {k: [] for k in _ROW_ARRAYS}
    doc_ids, sizes = [], []
    for doc_id, text in docs:
        cols = _tag_doc(text, compounds)
        doc_ids.append(doc_id)
        sizes.append(len(cols["start"]))
        for k in _ROW_ARRAYS:
            arrays[k].append(cols[k])
    # per-document arrays stay separate: _assemble concatenates each column once. Line ids
    # index this process's _LINES, which _assemble reads when it runs in this process.
    out = dict(arrays)
    out.update(doc_id=(doc_ids, sizes), table={"pid": os.getpid()})
    return out


_SENT = {"lines": 0, "keys": 0}  # how much of its tables a worker process has sent back


def _tag_batch_in_worker(docs: list[tuple[str, str]], compounds: dict | None) -> dict:
    """_tag_batch for a worker process: it sends back the part of its line and key tables
    that earlier batches did not send, and its row arrays as int32 (half the bytes to
    pickle and copy; a document's offsets and this process's line ids fit easily)."""
    out = _tag_batch(docs, compounds)
    if all(len(text) < 2**31 for _, text in docs):  # offsets that int32 holds
        for k in _ROW_ARRAYS:
            out[k] = [a.astype(np.int32) for a in out[k]]
    lines, keys = _SENT["lines"], _SENT["keys"]
    out["table"].update(lines=lines, surface=_LINES.surface[lines:], code=_LINES.code[lines:],
                        keys_from=keys, keys=_KEYS.keys[keys:])
    _SENT.update(lines=len(_LINES.surface), keys=len(_KEYS.keys))
    return out


def _process_tables(results: list[dict]) -> dict[int, dict]:
    """pid -> that process's whole line table (surface, code) and key list."""
    parts: dict[int, list[dict]] = {}
    for r in results:
        parts.setdefault(r["table"]["pid"], []).append(r["table"])
    tables = {}
    for pid, tabs in parts.items():
        if "surface" not in tabs[0]:  # tagged here: the tables are this process's own
            tables[pid] = {"surface": _LINES.surface, "code": _LINES.code, "keys": _KEYS.keys}
            continue
        table = {"surface": [], "code": [], "keys": []}
        for t in sorted(tabs, key=lambda t: t["lines"]):
            if t["lines"] != len(table["surface"]) or t["keys_from"] != len(table["keys"]):
                raise RuntimeError(f"tokenize: worker {pid} sent its tables out of order")
            for k in table:
                table[k].extend(t[k])
        tables[pid] = table
    return tables


def _concat(parts: list[np.ndarray]) -> np.ndarray:
    """Concatenate int arrays (int32 or int64) into one int64 array."""
    return np.concatenate(parts, dtype=np.int64) if parts else np.zeros(0, dtype=np.int64)


def _str_take(values, idx: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Build a pandas "str" column from a small table of values and indices into it.

    pandas checks every element when it makes a str array; checking the few distinct
    values and then taking by index keeps that cost off the millions of rows.
    """
    return pd.array(np.asarray(values, dtype=object), dtype="str").take(idx)


def _assemble(results: list[dict]) -> pd.DataFrame:
    """Join batch results into the token table (feature keys decoded once per distinct key)."""
    keys: dict[str, int] = {}
    surfaces, line_codes, offset_of = [], [], {}
    for pid, t in _process_tables(results).items():
        local = np.fromiter((keys.setdefault(k, len(keys)) for k in t["keys"]), dtype=np.int64,
                            count=len(t["keys"]))
        line_codes.append(local[np.array(t["code"], dtype=np.int64)] if t["code"] else local[:0])
        offset_of[pid] = len(surfaces)
        surfaces.extend(t["surface"])
    lines = []
    for r in results:
        offset = offset_of[r["table"]["pid"]]
        lines.extend(np.add(a, offset, dtype=np.int64) for a in r.pop("line"))
    line = _concat(lines)
    del lines
    line_code = np.concatenate(line_codes)
    latin = _latin_words(surfaces, line_code, keys, np.unique(line))
    code = line_code[line]
    fields = [_decode_key(k) for k in keys] or [[""] * len(_FEATURE_COLUMNS)]
    table = {name: [f[i] if f[i] != "*" else "" for f in fields]
             for i, name in enumerate(_FEATURE_COLUMNS)}
    unknown_by_key = np.array([x == "1" for x in table["status"]], dtype=bool)
    unknown = unknown_by_key[code]
    # lemma per line: the cleaned UniDic lemma, or the surface for unknown words
    lemmas = [_clean_lemma(table["lemma"][c]) for c in line_code]
    for i in latin:  # ＮＡＴＯ -> NATO, as utils.normalize writes it; グーグル stays
        lemmas[i] = lemmas[i].translate(_NARROW)
    lemmas = [lem if lem and not unknown_by_key[c] else surf
              for lem, c, surf in zip(lemmas, line_code, surfaces)]
    ids = [d for r in results for d in r["doc_id"][0]]
    sizes = np.array([n for r in results for n in r["doc_id"][1]], dtype=np.int64)
    first_row = np.cumsum(sizes) - sizes
    data = {"doc_id": _str_take(ids, np.repeat(np.arange(len(ids)), sizes))}
    data["sent_id"] = _concat([a for r in results for a in r.pop("sent_id")])
    data["token_id"] = np.arange(len(line), dtype=np.int64) - np.repeat(first_row, sizes)
    for k in ("start", "end"):
        data[k] = _concat([a for r in results for a in r.pop(k)])
    data["surface"] = _str_take(surfaces, line)
    data["lemma"] = _str_take(lemmas, line)
    for k in ("pos1", "pos2", "pos3", "pos4", "reading", "goshu"):
        data[k] = _str_take(table[k], code)
    data["is_unknown"] = unknown
    return pd.DataFrame(data, columns=TOKEN_COLUMNS, copy=False)


def _batches(docs: list[tuple[str, str]], n: int) -> list[list[tuple[str, str]]]:
    """Split documents into about n batches of similar size, keeping their order."""
    total = sum(len(t) for _, t in docs) or 1
    target = total / n
    batches, current, size = [], [], 0
    for doc in docs:
        current.append(doc)
        size += len(doc[1])
        if size >= target and len(batches) < n - 1:
            batches.append(current)
            current, size = [], 0
    if current:
        batches.append(current)
    return batches


def _as_docs(data) -> list[tuple[str, str]]:
    """(doc_id, text) pairs of what tokenize accepts; a Cleaned value is tagged masked."""
    docs = documents(data, "tokenize",
                      convert=lambda t: t.masked if isinstance(t, Cleaned) else t)
    check_taggable(docs)
    return docs


def _start_method() -> str:
    """fork where it is safe (Linux, one thread: scripts), else spawn (Jupyter kernels run
    threads, and fork beside threads can deadlock; spawn needs no `__main__` guard there)."""
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return "fork"
    return "spawn"


def tokenize(data, *, clean: bool = False, compounds=None, n_jobs: int = 1) -> pd.DataFrame:
    """Tokenize texts into the token table: one row per token, offsets into the raw text.

    ``data`` is a str, a list of str, a dict ``doc_id -> text``, a Series or a corpus
    DataFrame with ``doc_id`` and ``text`` columns (as :func:`utils.load_corpus` returns).
    Text is tagged after :func:`utils.normalize`, but ``start``/``end`` always index the
    raw text, so ``text[start:end]`` is what the token was in the source. ``lemma`` is
    display-clean (``ロシア-Rossiya`` → ``ロシア``) and is the surface for unknown words.
    UniDic lists Latin-letter words in full width (ＮＡＴＯ) while normalize writes them in
    half width, so a Latin-letter token MeCab cannot find is looked up in full width:
    ``NATO`` is 名詞-固有名詞 read ナトー. Only words UniDic itself writes in Latin letters
    are taken (abbreviations such as NATO, EU, NHK, www); English words stay unknown, where
    UniDic would make them loanwords (``the`` → ザ).

    Options:

    * ``clean=True`` skips platform chrome and repeated paragraphs (see :func:`utils.clean`).
    * ``compounds`` merges expressions the dictionary splits, like quanteda's
      ``tokens_compound``: a list (``["キーウ"]``, tagged 名詞-固有名詞-一般) or a dict
      ``{"キーウ": "名詞-固有名詞-地名-一般"}``; :func:`utils.corpus_compounds` gives the
      corpus's own list with the POS of each. A run of tokens is merged when it spells
      the expression exactly, starting and ending on token boundaries.
    * ``n_jobs`` tags documents in that many processes, this one included (worth it from
      about 1 MB of text; documents are the unit of work, so one huge text gains nothing).

    >>> tokens = tokenize("キーウでゼレンスキー大統領が演説した。")
    >>> tokens[["surface", "lemma", "pos1", "is_unknown"]].head(4)
      surface lemma pos1  is_unknown
    0      キー    キー   名詞       False
    1       ウ     ウ   名詞       False
    2       で     で   助詞       False
    3  ゼレンスキー  ゼレンスキー   名詞        True
    >>> tokenize("キーウで", compounds=["キーウ"]).surface.tolist()
    ['キーウ', 'で']
    """
    docs = _as_docs(data)
    comp = as_compounds(compounds)
    clean = check_bool("clean", clean)
    if clean:
        docs = [(d, _clean(t).masked) for d, t in docs]
    if not isinstance(n_jobs, int) or isinstance(n_jobs, bool) or n_jobs == 0 or n_jobs < -1:
        raise ValueError(f"n_jobs must be a positive int (or -1 for all cores), got {n_jobs!r}")
    if n_jobs == -1:
        n_jobs = os.cpu_count() or 1
    n_jobs = max(1, min(n_jobs, len(docs)))
    if n_jobs == 1 or not docs:
        results = [_tag_batch(docs, comp)]
    else:
        results = _tag_in_parallel(_batches(docs, n_jobs * 16), comp, n_jobs)
    return _assemble(results)


def _tag_in_parallel(batches: list, compounds: dict | None, n_jobs: int) -> list[dict]:
    """Tag batches in n_jobs - 1 worker processes and in this one, each taking the next
    untagged batch as soon as it is free (one batch in flight per worker), so that neither
    side waits for the other until the last batch."""
    ctx = multiprocessing.get_context(_start_method())
    results: list = [None] * len(batches)
    lock = threading.Lock()
    state = {"next": 0, "running": 0, "error": None}
    finished = threading.Event()

    def take() -> int | None:
        with lock:
            i = state["next"]
            if i >= len(batches) or state["error"] is not None:
                return None
            state["next"] = i + 1
            return i

    with ProcessPoolExecutor(max_workers=n_jobs - 1, mp_context=ctx) as pool:
        def submit() -> None:
            i = take()
            if i is None:
                return
            with lock:
                state["running"] += 1
            future = pool.submit(_tag_batch_in_worker, batches[i], compounds)
            future.add_done_callback(lambda f, i=i: done(i, f))

        def done(i: int, future) -> None:  # runs in the executor's thread
            try:
                results[i] = future.result()
            except BaseException as err:  # noqa: BLE001 - re-raised below, in this thread
                with lock:
                    state["error"] = state["error"] or err
            else:
                submit()
            with lock:
                state["running"] -= 1
                if state["running"] == 0:
                    finished.set()

        for _ in range(n_jobs - 1):
            submit()
        if state["running"] == 0:
            finished.set()
        try:
            while (i := take()) is not None:
                results[i] = _tag_batch(batches[i], compounds)
        except BaseException as err:  # an interrupt, say: hand out no more batches
            with lock:
                state["error"] = err
            raise
        finished.wait()
    if state["error"] is not None:
        raise state["error"]
    return results


@lru_cache(maxsize=1)
def _stopword_list() -> frozenset:
    raw = resources.files("utils").joinpath("data/stopwords.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in raw.splitlines() if w.strip() and not w.startswith("#"))


def stopwords() -> list[str]:
    """Return the kit's short curated stopword list (``utils/data/stopwords.txt``), sorted.

    They are words that survive a part-of-speech filter but carry little content in news
    prose (為る, 有る, 事, 此れ …), written as UniDic lemmas and in kana; the file says
    where the list comes from.

    >>> "事" in stopwords(), "停戦" in stopwords()
    (True, False)
    """
    return sorted(_stopword_list())


def remove_stopwords(tokens: pd.DataFrame, *, pos: Iterable[str] | None = DEFAULT_STOP_POS,
                     words: bool | Iterable[str] = True, by: str = "lemma") -> pd.DataFrame:
    """Drop function words: tokens whose ``pos1`` is in ``pos`` and lemmas in the stopword list.

    ``words=True`` uses :func:`stopwords`; pass your own iterable to replace it, or
    ``False`` (or None) to filter by part of speech only; ``pos=None`` keeps every part
    of speech. A single str is refused for either (``["助詞"]``, not ``"助詞"``).

    >>> t = tokenize("ロシアは停戦することを拒んだ。")
    >>> remove_stopwords(t).lemma.tolist()
    ['ロシア', '停戦', '拒む']
    """
    check_stop_options(tokens, pos, words, by)
    keep = np.ones(len(tokens), dtype=bool)
    if pos:
        keep &= ~tokens["pos1"].isin(list(pos)).to_numpy()
    if words is True:
        words = _stopword_list()
    if words:
        keep &= ~tokens[by].isin(list(words)).to_numpy()
    return tokens[keep].reset_index(drop=True)
