"""Count naming variants in texts: キーウ or キエフ, 米ロ or 米露, 侵攻 or 特別軍事作戦 (表記と呼称).

Which name a writer picks for a place, a country or a war is a cheap and telling signal
of stance and sources. The tokenizer is the wrong tool to count them (unidic-lite splits
キーウ into キー + ウ), so these helpers search the text itself, after
:func:`utils.normalize`, and report raw offsets.

Overlapping variants are resolved **longest match first**: the text is scanned left to
right and, where several variants match at one position, the longest wins and the scan
continues after it. So キエフ政権 is counted as キエフ政権 and not also as キエフ, and
露骨 (blatant) can be listed as a variant so that it is not counted as 露 (Russia).
Pass ``overlapping=True`` to count every variant on its own instead (like ``str.count``).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from .corpus import documents, as_doc_id, check_unique_doc_ids

__all__ = ["VARIANT_COLUMNS", "count_variants", "find_variants"]

#: Columns of :func:`find_variants`, in order.
VARIANT_COLUMNS = ["doc_id", "start", "end", "variant", "label", "text"]


def _check_variants(variants) -> dict[str, str]:
    from .text import normalize

    if isinstance(variants, str):
        raise TypeError(f"variants must be a list of spellings or a dict spelling -> label, "
                        f"not a single str; did you mean [{variants!r}]?")
    if isinstance(variants, Mapping):
        items = list(variants.items())
    elif isinstance(variants, (set, frozenset)):
        raise TypeError("variants must be a list of spellings (in the order of the columns) "
                        "or a dict spelling -> label, not a set, which has no order")
    elif isinstance(variants, Iterable):
        items = [(v, v) for v in variants]
    else:
        raise TypeError(f"variants must be a list of spellings or a dict spelling -> label, "
                        f"got {type(variants).__name__}")
    if not items:
        raise ValueError("variants is empty; pass spellings such as ['キーウ', 'キエフ']")
    out: dict[str, str] = {}
    for variant, label in items:
        if not isinstance(variant, str) or not variant.strip():
            raise ValueError(f"each variant must be a non-empty str, got {variant!r}")
        if not isinstance(label, str):
            raise TypeError(f"the label of variant {variant!r} must be a str, got {label!r}")
        if normalize(variant) != variant:
            raise ValueError(f"variant {variant!r} changes under utils.normalize (to "
                             f"{normalize(variant)!r}); write it normalized, since the "
                             "search runs on normalized text")
        if variant in out:
            raise ValueError(f"variant {variant!r} is listed twice")
        out[variant] = label
    return out


def _token_texts(tokens: pd.DataFrame) -> list[tuple[str, str]]:
    """Rebuild each document from a token table: surfaces joined, sentences on lines."""
    missing = [c for c in ("doc_id", "sent_id", "token_id", "surface") if c not in tokens]
    if missing:
        raise ValueError(f"a token table needs the columns doc_id, sent_id, token_id and "
                         f"surface; missing {missing}")
    given = pd.unique(tokens["doc_id"]).tolist()
    ids = {d: as_doc_id(d) for d in given}  # None/NaN ids refused (groupby would drop them)
    check_unique_doc_ids(given, list(ids.values()))
    ordered = tokens.assign(doc_id=tokens["doc_id"].map(ids)) if any(
        d != i for d, i in ids.items()) else tokens
    ordered = ordered.sort_values(["doc_id", "sent_id", "token_id"], kind="mergesort")
    docs = []
    for doc_id, group in ordered.groupby("doc_id", sort=True):
        sents = group.groupby("sent_id", sort=True)["surface"].agg("".join)
        docs.append((str(doc_id), "\n".join(sents)))
    return docs


def _docs(data, func: str) -> tuple[list[tuple[str, str]], bool]:
    if isinstance(data, pd.DataFrame) and "text" not in data.columns \
            and "surface" in data.columns:
        return _token_texts(data), True
    return documents(data, func), False


def _matches(text: str, variants: dict[str, str], overlapping: bool):
    """(start, end, variant) in normalized ``text``."""
    if overlapping:
        out = []
        for v in variants:
            i = text.find(v)
            while i >= 0:
                out.append((i, i + len(v), v))
                i = text.find(v, i + len(v))
        return sorted(out)
    ordered = sorted(variants, key=lambda v: (-len(v), v))
    rx = re.compile("|".join(map(re.escape, ordered)))
    return [(m.start(), m.end(), m.group()) for m in rx.finditer(text)]


def find_variants(corpus_or_tokens, variants, *, overlapping: bool = False) -> pd.DataFrame:
    """List every occurrence of the naming ``variants``, with raw offsets.

    ``corpus_or_tokens`` is a corpus DataFrame (``doc_id``, ``text``), a Series or dict
    ``doc_id -> text``, a list of str, one str, or a token table (its surfaces are
    joined sentence by sentence, so a table made with ``clean=True`` leaves chrome out).
    ``variants`` is a list of spellings or a dict ``spelling -> label``. Matching runs on
    :func:`utils.normalize`-d text, longest match first (see the module docstring).

    Returns ``doc_id, start, end, variant, label, text``: ``text`` is the raw text at
    ``start:end``. For a token table the offsets index the rebuilt text (one sentence
    per line), not the raw file.

    >>> find_variants("キエフ政権とキーウ、キエフ", {"キエフ": "Kiev", "キエフ政権": "Kiev regime"})
      doc_id  start  end variant        label   text
    0    000      0    5   キエフ政権  Kiev regime  キエフ政権
    1    000     10   13     キエフ         Kiev    キエフ
    """
    from .text import normalize_with_offsets

    docs, _ = _docs(corpus_or_tokens, "find_variants")
    table = _check_variants(variants)
    if not isinstance(overlapping, (bool, np.bool_)):
        raise TypeError(f"overlapping must be True or False, got {overlapping!r}")
    rows = []
    for doc_id, raw in docs:
        norm, starts, ends = normalize_with_offsets(raw)
        for a, b, v in _matches(norm, table, bool(overlapping)):
            ra, rb = (a, b) if starts is None else (int(starts[a]), int(ends[b - 1]))
            rows.append((doc_id, ra, rb, v, table[v], raw[ra:rb]))
    out = pd.DataFrame(rows, columns=VARIANT_COLUMNS)
    return out.astype({"start": "int64", "end": "int64"}).reset_index(drop=True)


def count_variants(corpus_or_tokens, variants, *, overlapping: bool = False,
                   columns: str = "variant") -> pd.DataFrame:
    """Count each naming variant in each text (キーウ vs キエフ …), longest match first.

    ``corpus_or_tokens`` and ``variants`` are as for :func:`find_variants`: texts (a
    corpus DataFrame, a Series or dict ``doc_id -> text``, a list of str, one str) or a
    token table, and a list of spellings or a dict ``spelling -> label``. The search runs
    on the normalized text, not on tokens (キーウ is split by the tokenizer). Where
    variants overlap, the longest match at a position wins and each character counts
    once (キエフ政権 is not also a キエフ); ``overlapping=True`` counts each variant on
    its own, like ``str.count``.

    Returns a DataFrame indexed by ``doc_id`` (every text, even those with no match),
    one integer column per variant, in the order given; ``columns="label"`` names the
    columns by the labels instead (labels must then be unique).

    >>> texts = {"002": "キエフ政権とキーウ", "003": "Kyiv、キエフ"}
    >>> count_variants(texts, {"キーウ": "Kyiv (2022 official)", "キエフ": "Kiev (old)",
    ...                        "キエフ政権": "'Kiev regime'"})
            キーウ  キエフ  キエフ政権
    doc_id
    002       1    0      1
    003       0    1      0
    >>> count_variants(texts, ["キエフ", "キエフ政権"], overlapping=True)["キエフ"].tolist()
    [1, 1]
    """
    docs, _ = _docs(corpus_or_tokens, "count_variants")
    table = _check_variants(variants)
    if columns not in ("variant", "label"):
        raise ValueError(f"columns must be 'variant' or 'label', got {columns!r}")
    if columns == "label" and len(set(table.values())) != len(table):
        seen = Counter(table.values())
        dup = sorted(lab for lab, n in seen.items() if n > 1)
        raise ValueError(f"columns='label' needs unique labels; repeated: {dup}")
    found = find_variants(dict(docs), table, overlapping=overlapping)
    cells = found.groupby(["doc_id", "variant"]).size()
    counts = pd.DataFrame(0, index=[d for d, _ in docs], columns=list(table), dtype="int64")
    for (doc_id, variant), n in cells.items():
        counts.loc[doc_id, variant] = int(n)
    counts.index.name = "doc_id"
    counts.columns.name = None
    if columns == "label":
        counts.columns = [table[v] for v in counts.columns]
    return counts
