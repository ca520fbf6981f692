"""Read a token table in text order: which tokens a filter keeps, where segments start,
how a keyword may be spelt.

Shared by the functions that walk a token table as a sequence (``ngrams``, ``kwic``,
``collocations``) or filter it by part of speech and stopwords (``keyness``,
``cooccurrence_network``).
"""
from __future__ import annotations

import sys
import unicodedata

import numpy as np
import pandas as pd

from .text import normalize
from ..validate import (check_pos, check_values, check_within, require_columns,
                       token_keys)

# The functions here are shared by the analysis modules, not part of ``utils``' API.
__all__: list[str] = []

def keep_mask(table: pd.DataFrame, pos: frozenset | None, stopwords: bool) -> np.ndarray:
    """Boolean array over the rows of ``table``: True for tokens kept by pos/stopwords."""
    keep = np.ones(len(table), dtype=bool)
    if pos is not None:
        keep &= table["pos1"].isin(pos).to_numpy()
    if stopwords:
        from .stoplist import remove_stopwords

        marked = table.assign(_row_=np.arange(len(table)))
        kept_rows = remove_stopwords(marked)["_row_"].to_numpy()
        in_list = np.zeros(len(table), dtype=bool)
        in_list[kept_rows] = True
        keep &= in_list
    return keep


def token_order(table: pd.DataFrame, name: str = "tokens") -> np.ndarray:
    """Positions that put ``table`` in text order (doc_id, token_id); checks uniqueness."""
    docs, ids = token_keys(table, name)
    return np.lexsort((ids, docs))


def segments(table: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Integer code per row, equal for rows in the same segment (e.g. doc_id, sent_id)."""
    if len(table) == 0:
        return np.zeros(0, dtype=np.int64)
    return table.groupby(columns, sort=False).ngroup().to_numpy()


def variants(value: str) -> set[str]:
    """``value``, its NFKC form and its :func:`utils.normalize` form.

    tokenize makes surfaces with utils.normalize, which differs from plain NFKC (～ becomes
    〜, not ~; white space becomes one space), so a keyword typed as in the raw text
    must be tried in that spelling too; the NFKC form stays for tables made with NFKC.
    """
    return {value, unicodedata.normalize("NFKC", value), normalize(value)}


def sequence(tokens: pd.DataFrame, by: str, within, pos, stopwords: bool):
    """Check the columns a sequence function needs; return its token values in text
    order, a segment id per token (n-grams and windows never cross one) and the
    filter mask (shared by ngrams and collocations)."""
    if within is not None:
        within = check_within(within, tokens)
    segment_cols = ["doc_id"] + ([within] if within not in (None, "doc_id") else [])
    needed = ["doc_id", "token_id", *segment_cols, by] + (["pos1"] if pos is not None else [])
    require_columns(tokens, needed)
    pos = check_pos(pos, tokens)
    check_values(tokens, needed)
    order = token_order(tokens)
    values = tokens[by].to_numpy()[order]
    segment = segments(tokens, segment_cols)[order]
    keep = keep_mask(tokens, pos, stopwords)[order]
    return values, segment, keep


def store_of(data):
    """Return ``data`` if it is a token store (:class:`utils.Store`), else None.

    The functions that count a token table take a store in its place (the same options,
    the same table back), so moving from five texts to an archive changes one argument.
    A store can only exist once its module is loaded, so nothing is imported here.
    """
    module = sys.modules.get("utils.analysis.store_counts")
    return data if module is not None and isinstance(data, module.Store) else None
