"""Find the words that set one text apart from others: keyness (特徴語, キーワード分析)."""
from __future__ import annotations

import math
import numbers

import numpy as np
import pandas as pd

from .tokenview import keep_mask
from ..validate import (check_bool, check_column_name, check_counts, check_frame, check_int,
                       check_pos, check_unique_tokens, check_values, plain, require_columns,
                       token_keys, value_kind)

__all__ = ["critical_g2", "keyness", "log_likelihood", "log_ratio"]

CORRECTIONS = ("bonferroni",)

KEYNESS_COLUMNS = ["term", "count_target", "count_reference", "per_10k_target",
                   "per_10k_reference", "g2", "p_value", "log_ratio", "direction"]


def _sizes(a, b, c, d) -> list[np.ndarray]:
    """Check two counts and their corpus sizes: finite, counts >= 0, sizes > 0, a <= c."""
    a, b, c, d = check_counts(("c", "d"), a=a, b=b, c=c, d=d)
    for count, size, names in ((a, c, "a and c"), (b, d, "b and d")):
        count, size = np.broadcast_arrays(count, size)
        over = count > size
        if over.any():
            at = int(np.argmax(over.flat))
            raise ValueError(f"a count cannot exceed its corpus size ({names}: "
                             f"{count.flat[at].item():g} > {size.flat[at].item():g}); pass "
                             "the two counts, then the two corpus sizes")
    return [a, b, c, d]


def log_likelihood(a, b, c, d) -> np.ndarray:
    """Compute Rayson & Garside's log-likelihood G² of a term seen a and b times.

    ``a`` and ``b`` are the term's counts in the target and the reference corpus,
    ``c`` and ``d`` the two corpus sizes (scalars or equal-length arrays). With the
    expected counts ``E1 = c (a + b) / (c + d)`` and ``E2 = d (a + b) / (c + d)``,
    ``G² = 2 (a ln(a / E1) + b ln(b / E2))``, with ``0 ln 0 = 0`` and no Yates'
    correction (Rayson & Garside 2000, "Comparing corpora using frequency profiling",
    *Proceedings of the Workshop on Comparing Corpora*, ACL 2000). G² = 3.84 is the
    5% critical value (chi-square, 1 degree of freedom), 6.63 the 1% one.

    >>> float(log_likelihood(10, 0, 1000, 1000).round(4))
    13.8629
    """
    a, b, c, d = _sizes(a, b, c, d)
    total = a + b
    e1 = c * total / (c + d)
    e2 = d * total / (c + d)
    return np.maximum(2.0 * (_o_ln_o_over_e(a, e1) + _o_ln_o_over_e(b, e2)), 0.0)


def _o_ln_o_over_e(o: np.ndarray, e: np.ndarray) -> np.ndarray:
    """o * ln(o / e) elementwise, with 0 * ln 0 = 0 (e > 0 wherever o > 0)."""
    positive = o > 0
    ratio = np.where(positive, o, 1.0) / np.where(positive, e, 1.0)
    return np.where(positive, o * np.log(ratio), 0.0)


def _check_zero(zero):
    """None, or a finite pseudo-count > 0 that replaces a zero count."""
    if zero is None:
        return None
    if (isinstance(zero, (bool, np.bool_)) or not isinstance(zero, numbers.Real)
            or not math.isfinite(zero) or zero <= 0):
        raise ValueError(f"zero must be a pseudo-count > 0 such as 0.5, or None "
                         f"for no Log Ratio where a count is 0, got {zero!r}")
    return float(zero)


def log_ratio(a, b, c, d, *, zero=0.5) -> np.ndarray:
    """Compute Hardie's Log Ratio: log2 of the ratio of the two relative frequencies.

    ``log2((a / c) / (b / d))`` for counts ``a``, ``b`` in corpora of sizes ``c``, ``d``.
    Each unit is a doubling: 1 means twice as frequent in the target, -1 half as
    frequent (Hardie 2014, "Log Ratio – an informal introduction", CASS blog, Lancaster
    University). Where a count is 0 the ratio is infinite, so ``zero`` (a pseudo-count,
    0.5 by default) replaces it to keep the value finite. That value is then set by the
    pseudo-count, not by the data: with ``zero=0.1`` it is log2(5) higher. ``zero=None``
    gives NaN instead, for terms to report as "only in the target" (or the reference).

    >>> float(log_ratio(8, 2, 1000, 1000)), float(log_ratio(4, 0, 1000, 2000))
    (2.0, 4.0)
    >>> log_ratio([8, 4], [2, 0], 1000, 1000, zero=None).tolist()
    [2.0, nan]
    """
    zero = _check_zero(zero)
    a, b, c, d = _sizes(a, b, c, d)
    missing = (a == 0) | (b == 0)
    fill = 0.5 if zero is None else zero
    a = np.where(a == 0, fill, a)
    b = np.where(b == 0, fill, b)
    out = np.log2((a / c) / (b / d))
    return np.where(missing, np.nan, out) if zero is None else out


def critical_g2(p: float = 0.05, *, tests: int = 1) -> float:
    """Return the G² a term must reach to be significant at level ``p`` among ``tests`` tests.

    G² follows a chi-square distribution with 1 degree of freedom (Dunning 1993,
    "Accurate methods for the statistics of surprise and coincidence", *Computational
    Linguistics* 19(1)), so the critical value is its upper ``p`` quantile. Testing many
    terms at once, Bonferroni's correction (Dunn 1961, "Multiple comparisons among
    means", *JASA* 56) asks each of the ``tests`` terms for ``p / tests``, so that the
    chance of even one false key word stays below ``p``.

    >>> round(critical_g2(0.05), 2), round(critical_g2(0.01), 2), round(critical_g2(0.0001), 2)
    (3.84, 6.63, 15.14)
    >>> round(critical_g2(0.05, tests=500), 2)
    15.14
    """
    if (isinstance(p, (bool, np.bool_)) or not isinstance(p, numbers.Real)
            or not 0 < p < 1):
        raise ValueError(f"p must be a significance level between 0 and 1 such as 0.05, "
                         f"got {p!r}")
    tests = check_int(tests, "tests", 1)
    from scipy.stats import chi2

    return float(chi2.isf(p / tests, 1))


def _counts(table, name: str, by: str, pos, stopwords: bool) -> tuple[pd.Series, int]:
    """Return (counts indexed by term, corpus size) of a token or frequency table."""
    check_frame(table, name)
    if len(table) == 0:
        raise ValueError(f"{name} is empty (0 rows); keyness compares two non-empty "
                         "corpora, e.g. one text against the rest of the corpus")
    if by not in table.columns and {"term", "count"} <= set(table.columns):
        return _frequency_counts(table, name, pos, stopwords)
    by = check_column_name(by, "by", table, name)
    if pos is not None:
        require_columns(table, [by, "pos1"], name, why=" (pos= filters on pos1)")
    pos = check_pos(pos, table)
    check_values(table, [by] + (["pos1"] if pos is not None else []), name)
    check_unique_tokens(table, name)
    keep = keep_mask(table, pos, stopwords)
    counts = table.loc[keep, by].value_counts(sort=False)
    return counts, len(table)


def _frequency_counts(table: pd.DataFrame, name: str, pos, stopwords: bool):
    if pos is not None or stopwords:
        raise ValueError(f"{name} is a frequency table (term, count), so pos= and "
                         "stopwords= cannot apply; filter when counting, e.g. "
                         "utils.frequencies(tokens, pos=['名詞']), or pass token tables")
    check_values(table, ["term", "count"], name)
    if table["term"].duplicated().any():
        dup = table.loc[table["term"].duplicated(), "term"].iloc[0]
        raise ValueError(f"{name} has several rows for term {dup!r}; each term must appear "
                         "once (a frequency table grouped by document? keep one group or "
                         "count without group=)")
    for term, value in zip(table["term"], table["count"]):
        if (isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real)
                or not math.isfinite(value) or value < 0 or value != int(value)
                or value >= 2 ** 63):
            raise ValueError(f"column 'count' of {name} must hold whole numbers >= 0, but "
                             f"term {term!r} has {value!r}")
    counts = pd.Series(table["count"].to_numpy(dtype="int64"), index=table["term"].to_numpy())
    size = int(counts.sum())
    if "per_10k" in table.columns and (table["per_10k"] > 0).any():
        # a table from utils.frequencies: recover the size of the whole corpus (all
        # tokens before any POS filter) from per_10k = count * 10000 / size
        rows = table[table["per_10k"] > 0]
        implied = (rows["count"].to_numpy(dtype=float) * 10000.0
                   / rows["per_10k"].to_numpy(dtype=float))
        size = int(round(implied[0]))
        if not np.allclose(implied, size, rtol=1e-6):
            raise ValueError(f"column 'per_10k' of {name} does not match count * 10000 / "
                             "(one corpus size); drop per_10k to use the sum of count")
    if size <= 0:
        raise ValueError(f"{name} has no tokens (all counts are 0); keyness needs "
                         "two non-empty corpora")
    return counts, size


def _shared_tokens(target: pd.DataFrame, reference: pd.DataFrame) -> pd.DataFrame:
    """(doc_id, token_id) pairs found in both tables (none when either lacks them)."""
    cols = ["doc_id", "token_id"]
    if not all(c in frame.columns for frame in (target, reference) for c in cols):
        return pd.DataFrame(columns=cols)
    keys = [pd.DataFrame(dict(zip(cols, token_keys(frame, name))))
            for frame, name in ((target, "target"), (reference, "reference"))]
    kinds = [value_kind(k["doc_id"].iloc[0]) if len(k) else None for k in keys]
    if None not in kinds and kinds[0] != kinds[1]:
        raise ValueError(
            f"the doc_ids of target are {kinds[0]} ({plain(keys[0]['doc_id'][:1])[0]!r}) but "
            f"those of reference are {kinds[1]} ({plain(keys[1]['doc_id'][:1])[0]!r}); make them one "
            "kind, e.g. reference['doc_id'] = reference['doc_id'].astype(str)"
        )
    return keys[0].merge(keys[1].drop_duplicates(), on=cols)


def keyness(target: pd.DataFrame, reference: pd.DataFrame, *, by: str = "lemma", pos=None,
            stopwords: bool = False, min_count: int = 5, zero=0.5,
            correction: str | None = None) -> pd.DataFrame:
    """Compare a target corpus with a reference corpus, term by term (特徴語).

    ``target`` and ``reference`` are token tables (the ``by`` column is counted,
    ``pos``/``stopwords`` filter as in :func:`utils.frequencies`) or frequency tables
    with ``term`` and ``count`` columns. The corpus sizes are the numbers of **all**
    tokens, before the ``pos``/``stopwords`` filters (as for ``per_10k``); for a
    frequency table the size is recovered from its ``per_10k`` column when present
    (so ``frequencies(t, pos=["名詞"])`` gives the same result as ``t`` with
    ``pos=["名詞"]``), else it is the sum of ``count``.

    For every term seen at least ``min_count`` times in both corpora together:

    * ``count_target``, ``count_reference``, and both per 10,000 tokens;
    * ``g2``: log-likelihood G² without Yates' correction (Rayson & Garside 2000), see
      :func:`log_likelihood`, and ``p_value`` its chi-square tail probability with 1
      degree of freedom, ``erfc(sqrt(g2 / 2))``. With thousands of terms tested, many
      small p-values arise by chance: ``correction="bonferroni"`` multiplies each by the
      number of terms in the table (capped at 1; Dunn 1961), so that ``p_value < 0.05``
      then bounds the chance of any false key word by 5% (see :func:`critical_g2`);
    * ``log_ratio``: Hardie's (2014) effect size, log2 of the ratio of relative
      frequencies, a zero count replaced by ``zero`` (0.5), or NaN where a count is 0
      with ``zero=None`` (report those terms as only in one corpus), see
      :func:`log_ratio`;
    * ``direction``: ``"target"`` when the term is relatively more frequent in the
      target (overused there), ``"reference"`` when it is more frequent in the
      reference, ``"equal"`` when the rates are the same.

    Sorted by g2 descending, then term. Select ``direction == "target"`` for the
    target's key words. Target and reference should not share tokens (compare a text
    with *the rest* of the corpus); shared ``(doc_id, token_id)`` pairs raise.

    >>> target = pd.DataFrame({"lemma": ["停戦"] * 6 + ["合意"] * 4})
    >>> reference = pd.DataFrame({"lemma": ["停戦"] * 1 + ["合意"] * 9})
    >>> keyness(target, reference, min_count=1)[["term", "g2", "log_ratio", "direction"]]
      term        g2  log_ratio  direction
    0   停戦  3.962432   2.584963     target
    1   合意  1.973541  -1.169925  reference
    """
    min_count = check_int(min_count, "min_count", 1)
    stopwords = check_bool(stopwords, "stopwords")
    zero = _check_zero(zero)
    if correction is not None and correction not in CORRECTIONS:
        raise ValueError(f"correction must be None or one of {list(CORRECTIONS)}, got "
                         f"{correction!r}")
    if not isinstance(by, str):
        raise TypeError(f"by must be a column name (str) such as 'lemma', got {by!r}")
    a_counts, c = _counts(target, "target", by, pos, stopwords)
    b_counts, d = _counts(reference, "reference", by, pos, stopwords)
    _check_disjoint(target, reference)
    terms = a_counts.index.union(b_counts.index)
    a = a_counts.reindex(terms, fill_value=0).to_numpy(dtype="int64")
    b = b_counts.reindex(terms, fill_value=0).to_numpy(dtype="int64")
    table = pd.DataFrame({"term": terms.to_numpy(), "count_target": a, "count_reference": b})
    table = table[(table["count_target"] + table["count_reference"]) >= min_count]
    a = table["count_target"].to_numpy(dtype=float)
    b = table["count_reference"].to_numpy(dtype=float)
    table["per_10k_target"] = a * 10000.0 / c
    table["per_10k_reference"] = b * 10000.0 / d
    g2 = log_likelihood(a, b, c, d)
    table["g2"] = g2
    p_value = np.array([math.erfc(math.sqrt(x / 2.0)) for x in g2], dtype=float)
    if correction == "bonferroni":
        p_value = np.minimum(p_value * len(table), 1.0)
    table["p_value"] = p_value
    table["log_ratio"] = log_ratio(a, b, c, d, zero=zero)
    rate_a, rate_b = a * d, b * c  # compares a/c with b/d exactly in integers
    table["direction"] = np.where(rate_a > rate_b, "target",
                                  np.where(rate_a < rate_b, "reference", "equal"))
    table = table.sort_values(["g2", "term"], ascending=[False, True], kind="mergesort",
                              ignore_index=True)
    return table[KEYNESS_COLUMNS]


def _check_disjoint(target: pd.DataFrame, reference: pd.DataFrame) -> None:
    """Refuse a target and a reference that share tokens (same doc_id and token_id)."""
    shared = _shared_tokens(target, reference)
    if len(shared):
        first = plain(shared.iloc[0])
        raise ValueError(
            f"target and reference share {len(shared)} token(s) (same doc_id and "
            f"token_id, the first {first!r}); compare a text with the rest of the "
            "corpus, e.g. keyness(toks[toks.doc_id == '002'], toks[toks.doc_id != '002'])"
        )


