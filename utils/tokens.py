"""Tokenize Japanese text into a tidy token table with fugashi and unidic-lite.

形態素解析 (morphological analysis) splits text into morphemes and tags each with its
part of speech, lemma and reading. Here it produces one pandas row per token, with
offsets into the raw text, so every count can be traced back to the sentence it came from.
"""
from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from importlib import resources
import multiprocessing

import numpy as np
import pandas as pd

from .text import Cleaned, _sentence_bounds, clean as _clean, normalize_with_offsets

__all__ = ["TOKEN_COLUMNS", "DEFAULT_STOP_POS", "tokenize", "dictionary_info", "stopwords",
           "remove_stopwords"]

#: Columns of the token table, in order.
TOKEN_COLUMNS = ["doc_id", "sent_id", "token_id", "start", "end", "surface", "lemma",
                 "pos1", "pos2", "pos3", "pos4", "reading", "goshu", "is_unknown"]
#: Parts of speech (``pos1``) that :func:`remove_stopwords` drops by default.
DEFAULT_STOP_POS = ("助詞", "助動詞", "補助記号", "記号", "空白")

_STRING_COLUMNS = ["surface", "lemma", "pos1", "pos2", "pos3", "pos4", "reading", "goshu"]
# MeCab output, one line per token: leading white space + surface, then the features
# (UniDic 2.1.2 fields: 0-3 POS, 7 lemma, 17 kana reading, 12 goshu) and %s, the node
# status (1 = unknown word). Unknown words carry only POS fields.
_NODE = r"%pS%m\\t%f[0]\\t%f[1]\\t%f[2]\\t%f[3]\\t%f[7]\\t%f[17]\\t%f[12]\\t%s\\n"
_UNK = r"%pS%m\\t%f[0]\\t%f[1]\\t%f[2]\\t%f[3]\\t\\t\\t\\t%s\\n"
_NFIELDS = 9
_MAX_SENTENCE = 4000  # characters per MeCab call; longer sentences are cut at a comma or space


@lru_cache(maxsize=1)
def _tagger():
    import fugashi
    import unidic_lite

    return fugashi.GenericTagger(
        f'-d "{unidic_lite.DICDIR}" -r /dev/null -O "" -F {_NODE} -U {_UNK} -E ""')


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


@lru_cache(maxsize=4096)
def _clean_lemma(lemma: str) -> str:
    # UniDic writes a lemma with a subscript: ロシア-Rossiya, 私-代名詞, キー-key.
    if len(lemma) > 1 and "-" in lemma[1:]:
        return lemma.split("-", 1)[0] if not lemma.startswith("-") else lemma
    return lemma


def _tag_doc(text: str, compounds: dict | None):
    """Tag one text; return per-token lists (normalized offsets mapped back to raw)."""
    norm, starts_map, ends_map = normalize_with_offsets(text)
    bounds = _sentence_bounds(norm, _MAX_SENTENCE)
    parse = _tagger().parse
    outs = [parse(norm[a:b]) for a, b in bounds]
    # fugashi strips the final line break of each parse, so lines = breaks + 1
    counts = np.fromiter((o.count("\n") + 1 if o else 0 for o in outs), dtype=np.int64,
                         count=len(outs))
    joined = "\n".join(filter(None, outs))
    flat = joined.replace("\n", "\t").split("\t") if joined else []
    cols = [flat[k::_NFIELDS] for k in range(_NFIELDS)]
    surf_ws = cols[0]
    surface = list(map(str.lstrip, surf_ws))
    n = len(surface)
    sent = np.repeat(np.arange(len(bounds), dtype=np.int64), counts)
    lens = np.fromiter(map(len, surf_ws), dtype=np.int64, count=n)
    slen = np.fromiter(map(len, surface), dtype=np.int64, count=n)
    cum = np.cumsum(lens)
    first = np.concatenate([[0], np.cumsum(counts)[:-1]]) if len(counts) else counts
    before = np.concatenate([[0], cum])[first]  # cumulative length before each sentence
    sent_start = np.array([a for a, _ in bounds], dtype=np.int64)
    end = sent_start[sent] + cum - before[sent] if n else np.zeros(0, dtype=np.int64)
    start = end - slen
    unknown = np.array(cols[8], dtype=object) == "1" if n else np.zeros(0, dtype=bool)
    lemma = [_clean_lemma(x) if x else s for x, s in zip(cols[5], surface)]
    out = {"sent_id": sent, "start": start, "end": end, "surface": surface, "lemma": lemma,
           "pos1": cols[1], "pos2": cols[2], "pos3": cols[3], "pos4": cols[4],
           "reading": cols[6], "goshu": cols[7], "is_unknown": unknown}
    if compounds:
        out = _merge_compounds(out, norm, compounds)
    if starts_map is not None and len(out["start"]):
        s0 = out["start"]
        e0 = out["end"]
        out["start"] = starts_map[s0]
        out["end"] = ends_map[e0 - 1]
    return out


def _merge_compounds(cols: dict, norm: str, compounds: dict) -> dict:
    """Merge runs of tokens that spell a listed expression exactly (quanteda's tokens_compound)."""
    start, end = cols["start"], cols["end"]
    if not len(start):
        return cols
    keep = np.ones(len(start), dtype=bool)
    replace: dict[int, tuple[str, int, tuple]] = {}
    for expr, pos in compounds.items():
        i = norm.find(expr)
        while i >= 0:
            a = np.searchsorted(start, i)
            b = np.searchsorted(end, i + len(expr))
            if (a < len(start) and start[a] == i and b < len(end) and end[b] == i + len(expr)
                    and cols["sent_id"][a] == cols["sent_id"][b] and keep[a:b + 1].all()):
                keep[a + 1:b + 1] = False
                replace[int(a)] = (expr, int(b), pos)
            i = norm.find(expr, i + 1)
    if not replace:
        return cols
    lists = {k: list(v) for k, v in cols.items() if isinstance(v, list)}
    is_unknown = cols["is_unknown"].copy()
    new_end = end.copy()
    for a, (expr, b, pos) in replace.items():
        lists["surface"][a] = expr
        lists["lemma"][a] = expr
        lists["pos1"][a], lists["pos2"][a], lists["pos3"][a], lists["pos4"][a] = pos
        lists["reading"][a] = ""
        lists["goshu"][a] = ""
        is_unknown[a] = False
        new_end[a] = end[b]
    idx = np.flatnonzero(keep)
    out = {k: [v[i] for i in idx] for k, v in lists.items()}
    out.update(sent_id=cols["sent_id"][idx], start=start[idx], end=new_end[idx],
               is_unknown=is_unknown[idx])
    return out


def _tag_batch(docs: list[tuple[str, str]], compounds: dict | None) -> dict:
    """Tag several documents; factorize string columns so results pickle cheaply."""
    parts = {k: [] for k in TOKEN_COLUMNS}
    for doc_id, text in docs:
        cols = _tag_doc(text, compounds)
        n = len(cols["start"])
        parts["doc_id"].append(np.full(n, doc_id, dtype=object))
        parts["token_id"].append(np.arange(n, dtype=np.int64))
        for k, v in cols.items():
            parts[k].append(v)
    out = {}
    for k in TOKEN_COLUMNS:
        if k in _STRING_COLUMNS or k == "doc_id":
            flat = [x for part in parts[k] for x in part] if k != "doc_id" else (
                np.concatenate(parts[k]) if parts[k] else np.zeros(0, dtype=object))
            codes, uniques = pd.factorize(np.asarray(flat, dtype=object))
            if k.startswith("pos") or k in ("reading", "goshu"):
                uniques = np.where(uniques == "*", "", uniques).astype(object)
            out[k] = (codes.astype(np.int32), np.asarray(uniques, dtype=object))
        else:
            dtype = bool if k == "is_unknown" else np.int64
            out[k] = np.concatenate(parts[k]).astype(dtype) if parts[k] else np.zeros(0, dtype)
    return out


def _as_docs(data) -> list[tuple[str, str]]:
    """Accept a str, a list of str, a dict, a Series or a corpus DataFrame."""
    if isinstance(data, str):
        items = [("000", data)]
    elif isinstance(data, pd.DataFrame):
        missing = [c for c in ("doc_id", "text") if c not in data.columns]
        if missing:
            raise ValueError(f"tokenize needs a table with columns doc_id and text; "
                             f"missing {missing} (columns are {list(data.columns)})")
        items = list(zip(data["doc_id"], data["text"]))
    elif isinstance(data, pd.Series):
        items = list(zip(data.index, data.values))
    elif isinstance(data, Mapping):
        items = list(data.items())
    elif isinstance(data, Iterable):
        items = [(f"{i:03d}", t) for i, t in enumerate(data)]
    else:
        raise TypeError(f"tokenize expects a str, a list of str, a dict doc_id -> text, a Series "
                        f"or a corpus DataFrame; got {type(data).__name__}")
    docs = []
    for doc_id, text in items:
        if isinstance(text, Cleaned):
            text = text.masked
        if text is None or (isinstance(text, float) and math.isnan(text)):
            raise ValueError(f"the text of document {doc_id!r} is {text!r}; every text must be "
                             "a str (use an empty string for an empty document)")
        if not isinstance(text, str):
            raise TypeError(f"the text of document {doc_id!r} is a {type(text).__name__}, not a str")
        docs.append((str(doc_id), text))
    ids = [d for d, _ in docs]
    if len(set(ids)) != len(ids):
        dup = sorted({d for d in ids if ids.count(d) > 1})
        raise ValueError(f"doc_id values must be unique; repeated: {dup}")
    return docs


def _as_compounds(compounds) -> dict | None:
    if compounds is None:
        return None
    if isinstance(compounds, str):
        raise TypeError("compounds must be a list of expressions (or a dict expression -> POS), "
                        f"not a single str; did you mean [{compounds!r}]?")
    if isinstance(compounds, Mapping):
        items = compounds.items()
    else:
        items = ((c, "名詞-固有名詞-一般") for c in compounds)
    out = {}
    for expr, pos in items:
        if not isinstance(expr, str) or not expr.strip():
            raise ValueError(f"each compound must be a non-empty str, got {expr!r}")
        parts = (pos.split("-") if isinstance(pos, str) else list(pos)) + ["", "", "", ""]
        out[normalize_with_offsets(expr)[0]] = tuple(parts[:4])
    # longest first, so that a longer expression wins over one it contains
    return dict(sorted(out.items(), key=lambda kv: (-len(kv[0]), kv[0])))


def _assemble(results: list[dict]) -> pd.DataFrame:
    data = {}
    for k in TOKEN_COLUMNS:
        if isinstance(results[0][k], tuple):
            offset, codes, uniques = 0, [], []
            for r in results:
                c, u = r[k]
                codes.append(c.astype(np.int64) + offset)
                uniques.append(u)
                offset += len(u)
            allu = np.concatenate(uniques) if uniques else np.zeros(0, dtype=object)
            values = allu[np.concatenate(codes)] if codes else allu
            data[k] = pd.array(values, dtype="str") if len(values) else pd.array([], dtype="str")
        else:
            data[k] = np.concatenate([r[k] for r in results])
    return pd.DataFrame(data, columns=TOKEN_COLUMNS)


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


def tokenize(data, *, clean: bool = False, compounds=None, n_jobs: int = 1) -> pd.DataFrame:
    """Tokenize texts into the token table: one row per token, offsets into the raw text.

    ``data`` is a str, a list of str, a dict ``doc_id -> text``, a Series or a corpus
    DataFrame with ``doc_id`` and ``text`` columns (as :func:`utils.load_corpus` returns).
    Text is tagged after :func:`utils.normalize`, but ``start``/``end`` always index the
    raw text, so ``text[start:end]`` is what the token was in the source. ``lemma`` is
    display-clean (``ロシア-Rossiya`` → ``ロシア``) and is the surface for unknown words.

    Options:

    * ``clean=True`` skips platform chrome and repeated paragraphs (see :func:`utils.clean`).
    * ``compounds`` merges expressions the dictionary splits, like quanteda's
      ``tokens_compound``: a list (``["キーウ"]``, tagged 名詞-固有名詞-一般) or a dict
      ``{"キーウ": "名詞-固有名詞-地名-一般"}``. A run of tokens is merged when it spells
      the expression exactly, starting and ending on token boundaries.
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
    docs = _as_docs(data)
    comp = _as_compounds(compounds)
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
        batches = _batches(docs, n_jobs * 4)
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=n_jobs, mp_context=ctx) as pool:
            results = list(pool.map(_tag_batch, batches, [comp] * len(batches)))
    return _assemble(results)


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
    ``False`` to filter by part of speech only.

    >>> t = tokenize("ロシアは停戦することを拒んだ。")
    >>> remove_stopwords(t).lemma.tolist()
    ['ロシア', '停戦', '拒む']
    """
    missing = [c for c in ("pos1", by) if c not in tokens.columns]
    if missing:
        raise ValueError(f"remove_stopwords needs a token table with columns {missing}; "
                         f"it has {list(tokens.columns)}")
    keep = np.ones(len(tokens), dtype=bool)
    if pos:
        keep &= ~tokens["pos1"].isin(list(pos)).to_numpy()
    if words is True:
        words = _stopword_list()
    if words:
        keep &= ~tokens[by].isin(list(words)).to_numpy()
    return tokens[keep].reset_index(drop=True)
