"""Count terms and n-grams in a token table: frequency lists (頻度表) and n-grams.

Every counting module of the kit (``freq``, ``kwic``, ``collocations``, ``keyness``,
``similarity``) takes a token table as made by :func:`utils.tokenize`, but needs only
the columns it names, so any DataFrame with those columns works too. The checks they
share are in :mod:`utils.validate`, the ways they read a table in :mod:`utils.analysis.tokenview`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .tokenview import keep_mask, sequence, store_of
from ..validate import (check_bool, check_column_name, check_frame, check_int, check_pos,
                       check_unique_tokens, check_values, require_columns)

__all__ = ["frequencies", "ngrams"]


def _group_list(group) -> list[str]:
    if group is None:
        return []
    if isinstance(group, str):
        return [group]
    if isinstance(group, (list, tuple)) and group and all(isinstance(g, str) for g in group):
        return list(group)
    raise TypeError(f"group must be a column name such as 'doc_id', a list of column "
                    f"names, or None; got {group!r}")


# ---------------------------------------------------------------- frequencies

def frequencies(tokens: pd.DataFrame, *, by: str = "lemma", group=None, pos=None,
                min_count: int = 1, stopwords: bool = False) -> pd.DataFrame:
    """Count how often each value of ``by`` occurs: a frequency list (頻度表).

    ``by`` is any column (``"lemma"``, ``"surface"``, ``"reading"``, ``"pos1"`` ...).
    ``pos`` keeps only tokens whose ``pos1`` is one of the given values (e.g.
    ``["名詞"]``); ``stopwords=True`` also drops what :func:`utils.remove_stopwords`
    drops; ``group`` (e.g. ``"doc_id"``) counts each group separately; ``min_count``
    drops rarer terms.

    Returns the columns ``[group], term, count, per_10k, rank``, sorted by group, then
    count descending, then term (code point order), with a fresh index.

    * ``per_10k`` is ``count * 10000 / n`` where ``n`` is the number of **all** tokens of
      the group (or table), counted *before* the ``pos``/``stopwords`` filters, so
      punctuation counts too. A noun's rate therefore does not change when you filter to
      nouns, and rates stay comparable between texts and between filters.
    * ``rank`` is competition ranking within the group: terms with equal counts share
      the best rank and the next rank is skipped (1, 2, 2, 4).

    >>> toks = pd.DataFrame({"lemma": ["停戦", "の", "合意", "、", "停戦", "協議"],
    ...                      "pos1": ["名詞", "助詞", "名詞", "補助記号", "名詞", "名詞"]})
    >>> frequencies(toks, pos=["名詞"])
      term  count      per_10k  rank
    0   停戦      2  3333.333333     1
    1   協議      1  1666.666667     2
    2   合意      1  1666.666667     2
    """
    store = store_of(tokens)
    if store is not None:  # a token store: the same count, made by DuckDB
        return store.frequencies(by=by, group=group, pos=pos, min_count=min_count,
                                 stopwords=stopwords)
    check_frame(tokens)
    groups = _group_list(group)
    by = check_column_name(by, "by", tokens)
    for g in groups:
        check_column_name(g, "group", tokens)
    if by in groups:
        raise ValueError(f"by={by!r} is also a group column; count a different column "
                         f"than the one you group by")
    clash = [g for g in groups if g in ("term", "count", "per_10k", "rank")]
    if clash:
        raise ValueError(f"group column(s) {clash} clash with the output columns "
                         "term, count, per_10k, rank; rename them first")
    min_count = check_int(min_count, "min_count", 1)
    stopwords = check_bool(stopwords, "stopwords")
    if pos is not None:
        require_columns(tokens, [by, "pos1"], why=" (pos= filters on pos1)")
    pos = check_pos(pos, tokens)
    check_values(tokens, [*groups, by] + (["pos1"] if pos is not None else []))
    check_unique_tokens(tokens)

    keep = keep_mask(tokens, pos, stopwords)
    kept = tokens.loc[keep, [*groups, by]]
    counts = kept.groupby([*groups, by], sort=False, dropna=False).size()
    table = counts.rename("count").reset_index().rename(columns={by: "term"})
    table["count"] = table["count"].astype("int64")
    if groups:
        sizes = tokens.groupby(groups, sort=False).size().rename("_n_").reset_index()
        table = table.merge(sizes, on=groups, how="left")
        n = table.pop("_n_").to_numpy(dtype=float)
    else:
        n = float(len(tokens))
    table["per_10k"] = table["count"].to_numpy(dtype=float) * 10000.0 / n
    table = table[table["count"] >= min_count]
    table = table.sort_values([*groups, "count", "term"],
                              ascending=[True] * len(groups) + [False, True],
                              kind="mergesort", ignore_index=True)
    if groups:
        rank = table.groupby(groups, sort=False)["count"].rank(method="min", ascending=False)
    else:
        rank = table["count"].rank(method="min", ascending=False)
    table["rank"] = rank.astype("int64")
    return table[[*groups, "term", "count", "per_10k", "rank"]]


# ---------------------------------------------------------------- n-grams

def _ngram_starts(segment: np.ndarray, keep: np.ndarray, n: int) -> np.ndarray:
    """For each of the first ``len - n + 1`` positions: does an n-gram start there, i.e.
    do its n tokens stay in one run of ``segment`` and all pass ``keep``? O(len) for
    any n, from where each run ends and a running count of dropped tokens (checking
    each offset 1..n-1 was O(len * n), quadratic for long n)."""
    size = len(segment)
    m = size - n + 1
    change = np.flatnonzero(segment[1:] != segment[:-1]) + 1
    run_end = np.repeat(np.concatenate([change, [size]]),
                        np.diff(np.concatenate([[0], change, [size]])))
    dropped = np.concatenate([[0], np.cumsum(~keep)])
    first = np.arange(m)
    return (first + n <= run_end[:m]) & (dropped[first + n] == dropped[first])


def ngrams(tokens: pd.DataFrame, *, n: int = 2, by: str = "surface", within="sent_id",
           pos=None, sep: str = " ", min_count: int = 1,
           stopwords: bool = False) -> pd.DataFrame:
    """Count n-grams: runs of ``n`` consecutive tokens that stay inside one sentence.

    Tokens are put in text order by ``doc_id`` and ``token_id``. An n-gram never
    crosses a document boundary, nor a ``within`` boundary (``"sent_id"`` by default;
    ``within=None`` or ``"doc_id"`` lets n-grams run across sentences). With ``pos``
    (and/or ``stopwords=True``) only n-grams whose every token passes the filter are
    counted; the filter never glues together tokens that were not adjacent in the
    text, so ``pos=["名詞"]`` finds noun compounds such as ``ロシア 軍``.

    Returns the columns ``ngram`` (the ``by`` values joined with ``sep``), ``count``
    and ``w1`` ... ``wn`` (the parts, for filtering such as ``w2 == "の"``), sorted by
    count descending, then ngram, then the parts; n-grams rarer than ``min_count``
    are dropped.

    >>> toks = pd.DataFrame({"doc_id": "000", "sent_id": [0, 0, 0, 1, 1, 1],
    ...                      "token_id": range(6),
    ...                      "surface": ["停戦", "合意", "。", "停戦", "合意", "。"]})
    >>> ngrams(toks, n=2)
          ngram  count  w1  w2
    0   停戦 合意      2  停戦  合意
    1    合意 。      2  合意   。
    """
    check_frame(tokens)
    n = check_int(n, "n", 1)
    by = check_column_name(by, "by", tokens)
    if not isinstance(sep, str):
        raise TypeError(f"sep must be a str such as ' ' or '', got {sep!r}")
    min_count = check_int(min_count, "min_count", 1)
    stopwords = check_bool(stopwords, "stopwords")

    if n > len(tokens):
        raise ValueError(f"n={n} is more than the {len(tokens)} tokens of tokens; an n-gram "
                         "is n consecutive tokens of one sentence, e.g. n=2 for bigrams")
    parts_cols = [f"w{k + 1}" for k in range(n)]
    values, segment, keep = sequence(tokens, by, within, pos, stopwords)
    starts = np.flatnonzero(_ngram_starts(segment, keep, n))
    if len(starts):
        # one row of token codes per n-gram; equal rows are the same n-gram (O(rows * n)
        # with one sort, where grouping by n columns grew quadratically with n)
        codes = pd.factorize(values)[0]
        grid = codes[starts[:, None] + np.arange(n)]
        _, first, counts = np.unique(grid, axis=0, return_index=True, return_counts=True)
        frequent = counts >= min_count
        begin, counts = starts[first[frequent]], counts[frequent]
    else:
        begin = counts = np.zeros(0, dtype=np.int64)
    if len(begin) == 0:
        return pd.DataFrame({"ngram": pd.Series(dtype=str), "count": pd.Series(dtype="int64"),
                             **{c: pd.Series(dtype=object) for c in parts_cols}})
    parts = pd.DataFrame({c: values[begin + k] for k, c in enumerate(parts_cols)})
    joined = pd.Series([sep.join(map(str, row)) for row in zip(*(parts[c] for c in parts_cols))],
                       dtype=str)
    table = pd.concat([pd.DataFrame({"ngram": joined, "count": counts.astype("int64")}), parts],
                      axis=1)
    # the parts only break ties between equal joined strings (a token holding sep)
    keys = ["count", "ngram"] + (parts_cols if table.duplicated(["count", "ngram"]).any() else [])
    table = table.sort_values(keys, ascending=[False] + [True] * (len(keys) - 1),
                              kind="mergesort", ignore_index=True)
    return table[["ngram", "count", *parts_cols]]
