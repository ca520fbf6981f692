"""Find words that occur together more often than chance: collocations (共起語, コロケーション).

Both association measures are computed from the 2x2 contingency table of a pair
(w1, w2), in the notation of Evert (2008, "Corpora and collocations", in Lüdeling &
Kytö (eds.), *Corpus Linguistics. An International Handbook*, art. 58)::

                 w2        not w2
    w1          O11         O12       R1 = O11 + O12
    not w1      O21         O22
                C1 = O11 + O21        N

with expected counts ``E_ij = R_i * C_j / N``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .tokenview import sequence, variants
from ..validate import (check_bool, check_choice, check_column_name, check_counts, check_frame,
                       check_int)

__all__ = ["collocations", "association"]

COLLOCATION_COLUMNS = ["w1", "w2", "observed", "r1", "c1", "n", "expected", "pmi",
                       "log_likelihood"]
MEASURES = ("log_likelihood", "pmi", "observed")


def _xlogx_ratio(o: np.ndarray, e: np.ndarray) -> np.ndarray:
    """o * ln(o / e) elementwise, with 0 * ln 0 = 0."""
    o = np.asarray(o, dtype=float)
    e = np.asarray(e, dtype=float)
    positive = o > 0
    ratio = np.where(positive, o / np.where(e > 0, e, 1.0), 1.0)
    return np.where(positive, o * np.log(ratio), 0.0)


def association(o11, r1, c1, n) -> pd.DataFrame:
    """Compute expected count, PMI and signed log-likelihood from contingency marginals.

    Arguments are scalars or equal-length arrays: ``o11`` the observed co-occurrence
    count, ``r1`` and ``c1`` the row and column totals, ``n`` the sample size (see the
    module docstring for the table).

    * ``expected`` = ``r1 * c1 / n``.
    * ``pmi`` = ``log2(o11 / expected)``, pointwise mutual information (Church & Hanks
      1990, "Word association norms, mutual information, and lexicography",
      *Computational Linguistics* 16(1)).
    * ``log_likelihood`` = G² = ``2 * Σ O_ij ln(O_ij / E_ij)`` over the four cells, with
      ``0 ln 0 = 0`` (Dunning 1993, "Accurate methods for the statistics of surprise and
      coincidence", *Computational Linguistics* 19(1)). It is *signed* as Evert (2008)
      recommends for ranking: negative when ``o11 < expected`` (the words avoid each
      other), so repelled pairs sort last.

    >>> association(10, 20, 40, 1000).round(3)
       expected    pmi  log_likelihood
    0       0.8  3.644          39.909
    """
    o11, r1, c1, n = (np.atleast_1d(x) for x in check_counts(("n",), o11=o11, r1=r1, c1=c1,
                                                               n=n))
    try:
        np.broadcast_shapes(o11.shape, r1.shape, c1.shape, n.shape)
    except ValueError:
        raise ValueError(f"o11, r1, c1 and n must be scalars or arrays of one length, got "
                         f"lengths {[len(x) for x in (o11, r1, c1, n)]}") from None
    if ((o11 < 0) | (o11 > r1) | (o11 > c1) | (r1 + c1 - o11 > n)).any():
        raise ValueError("the counts do not form a contingency table: need "
                         "0 <= o11 <= r1, c1 and r1 + c1 - o11 <= n")
    o12, o21 = r1 - o11, c1 - o11
    o22 = n - r1 - c1 + o11
    r2, c2 = n - r1, n - c1
    e11, e12, e21, e22 = r1 * c1 / n, r1 * c2 / n, r2 * c1 / n, r2 * c2 / n
    g2 = 2.0 * (_xlogx_ratio(o11, e11) + _xlogx_ratio(o12, e12)
                + _xlogx_ratio(o21, e21) + _xlogx_ratio(o22, e22))
    g2 = np.maximum(g2, 0.0) * np.where(o11 < e11, -1.0, 1.0)
    with np.errstate(divide="ignore"):
        pmi = np.where(o11 > 0, np.log2(np.where(o11 > 0, o11, 1.0) / e11), -np.inf)
    return pd.DataFrame({"expected": e11, "pmi": pmi, "log_likelihood": g2})


def _in_window(is_node: np.ndarray, segment: np.ndarray, window: int) -> np.ndarray:
    """Mark the tokens 1..window positions left or right of a node token, in its segment.

    ``segment`` holds a code per token, equal along each run of one (doc_id, sent_id).
    Each node adds +1 where its window starts and -1 after it ends, clipped to its
    run; a running sum > 0 marks the windows: O(n) whatever the window (one pass per
    distance was O(n * window), quadratic for a window as long as the text). Node
    tokens themselves are marked only when inside another node's window.
    """
    n = len(is_node)
    nodes = np.flatnonzero(is_node)
    if n == 0 or len(nodes) == 0:
        return np.zeros(n, dtype=bool)
    run_start = np.concatenate([[0], np.flatnonzero(segment[1:] != segment[:-1]) + 1])
    run_end = np.concatenate([run_start[1:], [n]])
    run = np.searchsorted(run_start, nodes, side="right") - 1
    window = min(window, n)
    lo = np.maximum(nodes - window, run_start[run])
    hi = np.minimum(nodes + window + 1, run_end[run])
    cover = np.zeros(n + 1, dtype=np.int64)
    np.add.at(cover, lo, 1)
    np.add.at(cover, hi, -1)
    # each node's window covers the node itself once: a node is marked only when the
    # window of another node covers it too
    return np.cumsum(cover[:-1]) - is_node.astype(np.int64) > 0


def collocations(tokens: pd.DataFrame, *, node: str | None = None, window: int = 5,
                 by: str = "lemma", within: str | None = None, pos=None,
                 stopwords: bool = False, min_count: int = 3,
                 measure: str = "log_likelihood") -> pd.DataFrame:
    """Rank the collocates of a node word (共起語), or adjacent word pairs, by association.

    **With a node** (e.g. ``node="停戦"``, matched against ``by``): a collocate is any
    token up to ``window`` tokens left or right of an occurrence of the node, in the
    same document (``within="sent_id"``: the same sentence). Each token is counted
    once even when two node occurrences share it; the node's own tokens are never
    collocates. The contingency table (Evert 2008) is then: ``observed`` = O11, tokens
    of w2 inside the node's windows; ``r1`` = all tokens inside the windows; ``c1`` =
    tokens of w2 in the table; ``n`` = tokens of the table, node tokens excluded.

    **Without a node**: adjacent pairs (w1 directly followed by w2, within the same
    document, or sentence with ``within="sent_id"``); ``observed`` = count of the pair,
    ``r1`` = pairs starting with w1, ``c1`` = pairs ending with w2, ``n`` = all pairs.
    ``window`` is not used.

    ``pos`` / ``stopwords=True`` restrict which tokens count (as collocates, in
    ``r1``, ``c1`` and ``n``, and as pair members), but distances are measured in the
    table as passed. To count the window in content words only, filter first, e.g.
    ``collocations(utils.remove_stopwords(toks), node="停戦")``.

    Returns ``w1, w2, observed, r1, c1, n, expected, pmi, log_likelihood`` (see
    :func:`association`), sorted by ``measure`` descending, then w1, w2. Pairs
    observed fewer than ``min_count`` times are dropped. This matters: PMI compares
    observed with expected counts, and a pair of rare words seen once or twice gets a
    huge PMI by chance alone (Church & Hanks 1990 found their ratio unreliable below
    about 5 co-occurrences); log-likelihood is far less sensitive to such small counts
    (Dunning 1993), which is why it is the default ``measure``.

    >>> toks = pd.DataFrame({"doc_id": "000", "token_id": range(8),
    ...     "lemma": ["停戦", "合意", "を", "発表", "停戦", "合意", "に", "反発"]})
    >>> collocations(toks, min_count=2)[["w1", "w2", "observed", "expected", "pmi"]]
       w1  w2  observed  expected       pmi
    0  停戦  合意         2  0.571429  1.807355
    """
    check_frame(tokens)
    by = check_column_name(by, "by", tokens)
    window = check_int(window, "window", 1)
    min_count = check_int(min_count, "min_count", 1)
    measure = check_choice(measure, "measure", MEASURES)
    stopwords = check_bool(stopwords, "stopwords")
    if node is not None and (not isinstance(node, str) or node == ""):
        raise TypeError(f"node must be a word (str) such as '停戦', or None for adjacent "
                        f"pairs; got {node!r}")

    values, segment, keep = sequence(tokens, by, within, pos, stopwords)

    table = (_node_counts(values, segment, keep, node, window) if node is not None
             else _pair_counts(values, segment, keep))
    table = table[table["observed"] >= min_count]
    for c in ("observed", "r1", "c1", "n"):
        table[c] = table[c].astype("int64")
    if len(table):
        stats = association(table["observed"], table["r1"], table["c1"], table["n"])
        for c in stats.columns:
            table[c] = stats[c].to_numpy()
    else:
        for c in ("expected", "pmi", "log_likelihood"):
            table[c] = pd.Series(dtype=float)
    table = table.sort_values([measure, "w1", "w2"], ascending=[False, True, True],
                              kind="mergesort", ignore_index=True)
    return table[COLLOCATION_COLUMNS]


def _node_counts(values, segment, keep, node: str, window: int) -> pd.DataFrame:
    """Count the words within ``window`` tokens of ``node``: observed, r1, c1, n."""
    is_node = pd.Series(values).isin(variants(node)).to_numpy()
    eligible = keep & ~is_node
    in_span = _in_window(is_node, segment, window) & eligible
    node_value = values[is_node][0] if is_node.any() else node
    observed = pd.Series(values[in_span]).value_counts()
    c1 = pd.Series(values[eligible]).value_counts()
    table = pd.DataFrame({"w2": observed.index, "observed": observed.to_numpy()})
    table.insert(0, "w1", node_value)
    table["r1"] = int(in_span.sum())
    table["c1"] = c1.reindex(table["w2"]).to_numpy()
    table["n"] = int(eligible.sum())
    return table


def _pair_counts(values, segment, keep) -> pd.DataFrame:
    """Count the adjacent pairs of kept words in one segment: observed, r1, c1, n."""
    if len(values) >= 2:
        ok = keep[:-1] & keep[1:] & (segment[:-1] == segment[1:])
        pairs = pd.DataFrame({"w1": values[:-1][ok], "w2": values[1:][ok]})
    else:
        pairs = pd.DataFrame({"w1": values[:0], "w2": values[:0]})
    table = pairs.groupby(["w1", "w2"], sort=False).size().rename("observed").reset_index()
    table["r1"] = pairs["w1"].value_counts().reindex(table["w1"]).to_numpy()
    table["c1"] = pairs["w2"].value_counts().reindex(table["w2"]).to_numpy()
    table["n"] = len(pairs)
    return table
