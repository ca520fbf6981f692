"""Tokenize Japanese text into a tidy token table with fugashi and unidic-lite.

形態素解析 (morphological analysis) splits text into morphemes and tags each with its part
of speech, lemma and reading: one pandas row per token, with offsets into the raw text.
MeCab prints per token one line, white space + surface, UniDic's record and the node status
(:func:`utils.analysis.dictionary.tagger`); a call numbers the distinct lines it meets and takes the
fields of each once, by name. Nothing outlives a call but the tagger of each process.
"""
from __future__ import annotations

import os
import re
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

from ._compounds import as_compounds
from ._tagcheck import check_bool, check_taggable
from .corpus import documents
from .dictionary import FIELDS, SEP, compiled_user_dict, fields, tagger
from .processes import process_context
from .sentences import sentence_bounds
from .text import LINE_BREAK, Cleaned, clean as _clean, normalize_with_offsets

__all__ = ["TOKEN_COLUMNS", "tokenize"]

#: Columns of the token table, in order.
TOKEN_COLUMNS = ["doc_id", "sent_id", "token_id", "start", "end", "surface", "lemma",
                 "pos1", "pos2", "pos3", "pos4", "reading", "goshu", "is_unknown"]
_MAX_SENTENCE = 4000  # characters per MeCab call; longer sentences are cut at a comma or space
_GROUP = 256  # MeCab calls whose output is split at once (bounds the memory of a huge text)
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_WIDEN = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in
                        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"})
_NARROW = str.maketrans({v: k for k, v in _WIDEN.items()})


class _Lines:
    """The distinct output lines of one call, numbered, with each one's length (white
    space + surface) and surface length, from which offsets follow."""

    def __init__(self):
        self.index: dict[str, int] = {}
        self.width, self.size = np.zeros(1024, np.int64), np.zeros(1024, np.int64)

    def ids(self, rows: list[str]) -> np.ndarray:
        new = [r for r in dict.fromkeys(rows) if r not in self.index]
        if len(self.index) + len(new) > len(self.width):
            grow = np.zeros(len(self.index) + len(new), np.int64)
            self.width, self.size = np.r_[self.width, grow], np.r_[self.size, grow]
        for r in new:
            i = self.index[r] = len(self.index)
            first = r.partition(SEP)[0]
            self.width[i], self.size[i] = len(first), len(first.lstrip().lstrip("\x00"))
        return np.fromiter(map(self.index.__getitem__, rows), np.int64, len(rows))


def _tag_doc(text: str, parse, lines: _Lines, compounds: dict | None) -> dict:
    """Tag one text: line ids, sentence ids and raw offsets per token."""
    norm, starts_map, ends_map = normalize_with_offsets(text)
    bounds = sentence_bounds(norm, _MAX_SENTENCE)
    units: list[list[int]] = []  # a line's consecutive sentences make one MeCab call
    for a, b in bounds:
        if units and b - units[-1][0] <= _MAX_SENTENCE and \
                not LINE_BREAK.search(norm, units[-1][1], a):
            units[-1][1] = b
        else:
            units.append([a, b])
    ids, ends = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for g in range(0, len(units), _GROUP):
        outs = [parse(norm[a:b]) for a, b in units[g:g + _GROUP]]
        counts = [o.count("\n") + 1 if o else 0 for o in outs]
        joined = "\n".join(filter(None, outs))
        ids.append(lines.ids(joined.split("\n")) if joined else ids[0])
        unit_start = np.repeat(np.array([a for a, _ in units[g:g + _GROUP]], np.int64), counts)
        cum = np.cumsum(lines.width[ids[-1]])
        first = np.cumsum(counts) - counts
        ends.append(unit_start + cum - np.repeat(np.r_[0, cum][first], counts))
    line, end = np.concatenate(ids), np.concatenate(ends)
    start = end - lines.size[line]
    sent = np.searchsorted([a for a, _ in bounds], start, side="right") - 1
    keep, taken, new_end = np.ones(len(line), dtype=bool), set(), end.copy()
    for expr, pos in (compounds or {}).items():  # quanteda's tokens_compound, longest first
        pos = ["" if p == "*" else p for p in pos]
        code = lines.ids(["\x00" + SEP.join([expr, *pos, expr, "", "", "0"])])[0]
        for m in re.finditer(f"(?={re.escape(expr)})", norm):  # overlapping ones too
            i, j = m.start(), m.start() + len(expr)
            a, b = np.searchsorted(start, i), np.searchsorted(end, j)
            if a < len(start) and start[a] == i and b < len(end) and end[b] == j and \
                    sent[a] == sent[b] and keep[a:b + 1].all() and a not in taken:
                keep[a + 1:b + 1], line[a], new_end[a] = False, code, end[b]
                taken.add(a)
    start, end, sent, line = start[keep], new_end[keep], sent[keep], line[keep]
    if starts_map is not None and len(line):
        start, end = starts_map[start], ends_map[end - 1]
    out = {"sent_id": sent, "start": start, "end": end, "line": line}
    big = len(text) >= 2**31  # offsets and line ids held as int32: half the memory
    return {k: v.astype(np.int64 if big else np.int32) for k, v in out.items()}


def _tag_batch(docs: list[tuple[str, str]], compounds, user_dic) -> tuple[list, list]:
    """Tag documents with one tagger: the distinct lines and, per document, its arrays."""
    parse, lines = tagger(user_dic)[0].parse, _Lines()
    tagged = [_tag_doc(t, parse, lines, compounds) for _, t in docs]
    return list(lines.index), tagged


def _latin_fields(surface: str, parse, at: list[int]) -> list[str] | None:
    """UniDic's fields for the full-width spelling of an unknown Latin-letter word if UniDic
    lists it as one word in those letters (ＮＡＴＯ, ＷＷＷ; not ｔｈｅ, read ザ), else None.
    A capitalized word (He) is not the abbreviation its letters spell (ＨＥ)."""
    if not (surface.isupper() or surface.islower()):
        return None
    wide = surface.translate(_WIDEN)
    out = parse(wide).split(SEP)
    if len(out) != 3 or out[0] != wide or out[2] != "0":
        return None
    found = fields(out[1], at)
    return [surface, *found, "0"] if found[4].upper() == wide.upper() else None


def _decode(lines: list[str], parse, at: list[int]) -> dict[str, list]:
    """The columns of each distinct line (Latin-letter words looked up in full width)."""
    rows = []
    for line in lines:
        if line.startswith("\x00"):  # a merged compound, its fields written out
            row = line[1:].split(SEP)
        else:
            first, record, status = line.split(SEP)
            row = [first.lstrip(), *fields(record, at), status]
        latin = (row[-1] == "1" and row[0].isascii() and _LATIN_WORD.fullmatch(row[0])
                 and _latin_fields(row[0], parse, at))
        row = latin or row
        lemma = row[5]  # UniDic writes ロシア-Rossiya, 私-代名詞: the display form is ロシア, 私
        if len(lemma) > 1 and "-" in lemma[1:] and not lemma.startswith("-"):
            lemma = lemma.split("-", 1)[0]
        lemma = lemma.translate(_NARROW) if latin else lemma  # ＮＡＴＯ -> NATO, as in the text
        row[5] = lemma if lemma and row[-1] != "1" else row[0]
        rows.append(row)
    names = ["surface", *FIELDS, "status"]
    return dict(zip(names, map(list, zip(*rows)))) if rows else {n: [] for n in names}


def _str_take(values: list[str], idx: np.ndarray):
    """A "str" column from distinct values and indices (pandas checks few values, then takes)."""
    return pd.array(np.asarray(values, dtype=object), dtype="str").take(idx)


def _assemble(ids: list[str], results: list[tuple[list, list]], parse, at) -> pd.DataFrame:
    """Join batch results (each with its own line numbers) into the token table."""
    merged, docs = _Lines(), []
    for lines, ds in results:  # this call's line ids, for the ids of each batch
        code = merged.ids(lines)
        docs.extend(dict(d, line=code[d["line"]]) for d in ds)
    results.clear()
    sizes = np.array([len(d["line"]) for d in docs], dtype=np.int64)
    data = {"doc_id": _str_take(ids, np.repeat(np.arange(len(ids)), sizes)),
            "token_id": np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)}
    for k in ("sent_id", "start", "end", "line"):  # one column at a time, freeing the parts
        data[k] = np.concatenate([np.zeros(0, np.int64)] + [d.pop(k) for d in docs],
                                 dtype=np.int64 if k != "line" else np.int32)
    line = data.pop("line")
    fields = _decode(list(merged.index), parse, at)
    for col in ("surface", "lemma", "pos1", "pos2", "pos3", "pos4", "reading", "goshu"):
        data[col] = _str_take(fields["kana" if col == "reading" else col], line)
    data["is_unknown"] = np.array([s == "1" for s in fields["status"]], bool)[line]
    return pd.DataFrame(data, columns=TOKEN_COLUMNS, copy=False)


def tokenize(data, *, clean: bool = False, compounds=None, user_dict=None,
             n_jobs: int = 1) -> pd.DataFrame:
    """Tokenize texts into the token table: one row per token, offsets into the raw text.

    ``data`` is a str, a list of str, a dict ``doc_id -> text``, a Series or a corpus
    DataFrame with ``doc_id`` and ``text`` columns (as :func:`utils.load_corpus` returns).
    Text is tagged after :func:`utils.normalize`, but ``start``/``end`` always index the
    raw text, so ``text[start:end]`` is what the token was in the source. ``lemma`` is
    display-clean (``ロシア-Rossiya`` → ``ロシア``) and is the surface for unknown words.
    A Latin-letter token MeCab cannot find takes UniDic's entry for its full-width spelling
    if UniDic writes it in those letters (NATO → ＮＡＴＯ, 名詞-固有名詞 read ナトー; EU, NHK);
    English words stay unknown, where UniDic would make them loanwords (``the`` → ザ).

    Options:

    * ``clean=True`` skips platform chrome and repeated paragraphs (see :func:`utils.clean`).
    * ``user_dict`` adds words to MeCab's dictionary, so that its own segmentation takes
      each as one token with its POS and reading: a CSV path or a DataFrame (see
      :func:`utils.read_user_dict`; ``utils.CORPUS_DIR / "user_dict.csv"`` has the corpus's).
    * ``compounds`` merges runs of tokens after tagging, like quanteda's ``tokens_compound``,
      where they spell a listed expression exactly from token boundary to token boundary: a
      list (``["キーウ"]``, tagged 名詞-固有名詞-一般) or a dict ``{"キーウ": "名詞-固有名詞-
      地名-一般"}``; :func:`utils.corpus_compounds` gives the corpus's list.
    * ``n_jobs`` tags documents in that many processes (worth it from about 1 MB of text).

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
    docs = documents(data, "tokenize",
                      convert=lambda t: t.masked if isinstance(t, Cleaned) else t)
    check_taggable(docs)
    comp = as_compounds(compounds)
    if check_bool("clean", clean):
        docs = [(d, _clean(t).masked) for d, t in docs]
    if not isinstance(n_jobs, int) or isinstance(n_jobs, bool) or n_jobs == 0 or n_jobs < -1:
        raise ValueError(f"n_jobs must be a positive int (or -1 for all cores), got {n_jobs!r}")
    user_dic = compiled_user_dict(user_dict) if user_dict is not None else None
    main, at = tagger(user_dic)  # for the Latin-letter look-ups
    n_jobs = max(1, min((os.cpu_count() or 1) if n_jobs == -1 else n_jobs, len(docs)))
    if n_jobs == 1:
        results = [_tag_batch(docs, comp, user_dic)]
    else:  # about 4 similar batches per process, in order
        ends = np.cumsum([len(t) + 1 for _, t in docs])
        cuts = np.searchsorted(ends, ends[-1] * np.arange(1, 4 * n_jobs) / (4 * n_jobs))
        batches = [b for b in np.split(np.arange(len(docs)), np.unique(cuts)) if len(b)]
        ctx = process_context(preload=[__name__])
        with ProcessPoolExecutor(n_jobs, mp_context=ctx) as pool:
            results = list(pool.map(_tag_batch, [[docs[i] for i in b] for b in batches],
                                    [comp] * len(batches), [user_dic] * len(batches)))
    return _assemble([d for d, _ in docs], results, main.parse, at)
