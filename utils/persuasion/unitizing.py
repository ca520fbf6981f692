"""Measure how far two annotators agree on where units are: Krippendorff's alpha_U.

Character-level kappa (:mod:`utils.agreement`) asks of every character whether both
annotators put it in a category. Krippendorff's alpha for unitizing asks of every *unit*
(span) how far its boundaries are from those of the other annotator's units: it is the
agreement measure of content analysis for annotators who cut a continuum into units
themselves (Krippendorff 1995, *On the reliability of unitizing continuous data*,
Sociological Methodology 25, 47-76, with the expected disagreement as corrected in
Krippendorff 2004, *Content Analysis: An Introduction to Its Methodology*, 2nd ed., Sage).
The arithmetic follows DKPro Statistics' ``KrippendorffAlphaUnitizingAgreement`` (Meyer,
Mieskes, Stab & Gurevych 2014, *DKPro Agreement*, COLING 2014 demonstrations, 105-109),
whose test values, Krippendorff's own worked examples, are this module's tests.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from fractions import Fraction

import numpy as np
import pandas as pd

from .agreement import agreement
from ..analysis.corpus import load_corpus
from .spans import validate_spans
from .techniques import category_of
from ..analysis.text import clean

__all__ = ["alpha_u"]

_COLUMNS = ["units_a", "units_b", "d_o", "d_e", "alpha_u", "kappa"]


def _gaps(units: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Lengths of the stretches of each document that no unit of one annotator covers."""
    starts = np.sort(np.concatenate([bounds[:, 0], units[:, 1]]))
    ends = np.sort(np.concatenate([units[:, 0], bounds[:, 1]]))
    lengths = ends - starts
    return lengths[lengths > 0]


def _disagreements(units_a, units_b, bounds) -> tuple[Fraction, Fraction]:
    """Observed and expected disagreement D_o, D_e of two annotators for one category.

    ``units_a`` and ``units_b`` are (start, end) rows on the continuum, sorted and not
    overlapping within one annotator; ``bounds`` are the (start, end) of its documents,
    which no unit crosses. Exact fractions (Krippendorff 2004 with m = 2 observers, as
    DKPro's ``calculateObserved/ExpectedCategoryDisagreement``).
    """
    a = np.asarray(units_a, dtype=np.int64).reshape(-1, 2)
    b = np.asarray(units_b, dtype=np.int64).reshape(-1, 2)
    bounds = np.asarray(bounds, dtype=np.int64).reshape(-1, 2)
    length = int((bounds[:, 1] - bounds[:, 0]).sum())
    if not length:
        return Fraction(0), Fraction(0)
    # D_o: every pair of overlapping units costs the squares of the differences of their
    # starts and of their ends; a unit that lies in a gap of the other costs its length²
    first = np.searchsorted(b[:, 1], a[:, 0], side="right")   # first b ending after a starts
    stop = np.searchsorted(b[:, 0], a[:, 1], side="left")     # b starting before a ends
    hits = np.maximum(stop - first, 0)
    rows = np.repeat(np.arange(len(a)), hits)
    cols = np.concatenate([np.arange(f, s) for f, s in zip(first, stop) if s > f] or
                          [np.zeros(0, dtype=np.int64)])
    observed = sum(int(d) ** 2 for d in a[rows, 0] - b[cols, 0]) + \
        sum(int(d) ** 2 for d in a[rows, 1] - b[cols, 1])
    b_hit = np.zeros(len(b), dtype=bool)
    b_hit[cols] = True
    for lone in (a[hits == 0], b[~b_hit]):
        observed += sum(int(n) ** 2 for n in lone[:, 1] - lone[:, 0])
    # D_e: every unit against every other unit, and placed in every gap it fits into
    lengths = [int(n) for n in np.concatenate([a[:, 1] - a[:, 0], b[:, 1] - b[:, 0]])]
    gaps = np.sort(np.concatenate([_gaps(a, bounds), _gaps(b, bounds)]))
    tail = np.concatenate([np.cumsum(gaps[::-1])[::-1], [0]])  # sum of gaps[i:]
    expected = 0
    for n in lengths:
        i = int(np.searchsorted(gaps, n, side="left"))         # gaps of length >= n
        fits = int(tail[i]) - (n - 1) * (len(gaps) - i)         # sum of (g - n + 1)
        expected += (len(lengths) - 1) * n * (n - 1) * (2 * n - 1) // 3 + n * n * fits
    pairs = 2 * length * (2 * length - 1) - sum(n * (n - 1) for n in lengths)
    return Fraction(observed, length * length), Fraction(2 * expected, length * pairs)


def _alpha(d_o: Fraction, d_e: Fraction) -> float:
    return float(1 - d_o / d_e) if d_e else float("nan")


def _merged(spans: list[tuple]) -> dict[tuple, list[list[int]]]:
    """Per (doc_id, label), the spans with those sharing a character merged, as the scorer."""
    merged: dict[tuple, list[list[int]]] = {}
    for doc_id, label, start, end in sorted(spans):
        runs = merged.setdefault((doc_id, label), [])
        if runs and start < runs[-1][1]:
            runs[-1][1] = max(runs[-1][1], end)
        else:
            runs.append([start, end])
    return merged


def alpha_u(a: pd.DataFrame, b: pd.DataFrame, *, texts=None, doc_ids=None,
            universe: str = "annotatable", by: str = "category") -> pd.DataFrame:
    """Compute Krippendorff's alpha for unitizing (alpha_U) of two span tables.

    The rows are those of :func:`utils.agreement` with the same arguments: one per category
    (``by="category"``) or technique (``by="technique"``) that either table uses, then
    ``"all"``, where labels are ignored (any technique against none). Each row gives the
    annotators' units (``units_a``, ``units_b``: spans of that label, those sharing a
    character merged as the scorer merges them), the observed and expected disagreement
    ``d_o``, ``d_e``, ``alpha_u = 1 - d_o / d_e`` (NaN if ``d_e`` is 0: no unit, or no
    room for chance), and the character ``kappa`` of :func:`utils.agreement` beside it.

    alpha_U (Krippendorff 1995; 2004; computed as DKPro Statistics does) compares units,
    not characters. Two overlapping units cost the squared differences of their starts and
    of their ends; a unit that lies wholly in a gap of the other annotator costs its
    squared length. So an end moved by 3 characters costs 9 where kappa loses 3
    characters, one missed 6-character span costs 36 where three missed 2-character spans
    cost 12, and a span that the other annotator cut in two halves costs 2 x 3² for a
    6-character span although kappa, counting the same characters, sees full agreement.
    Long units weigh most: in the ``"all"`` row, overlapping spans of different labels fuse
    into one unit, so one long span against several short ones inside it costs once per
    short one. Chance (``d_e``) pairs every observed unit with every other and places it at
    every position of every observed gap it fits in, instead of using each annotator's
    rate of marked characters as kappa does.

    ``texts``, ``doc_ids`` and ``universe`` mean what they mean for :func:`utils.agreement`.
    The continuum is the characters counted, document after document; with
    ``universe="annotatable"`` the characters :func:`utils.clean` removes are taken out of
    it and the rest closes up, so a span crossing a removed URL or line is one unit made of
    its kept characters, and a span wholly inside removed text is no unit. No unit, and no
    gap of chance, straddles two documents. Only two annotators: for more, Krippendorff,
    Mathet, Bouvry & Widlöcher (2016, Quality & Quantity 50, 2347-2364) revise the
    definition, which this function does not implement. The value pooled over the rows
    other than ``"all"``, as DKPro's overall alpha_U pools categories, is
    ``1 - d_o.sum() / d_e.sum()`` over those rows.

    >>> texts = {"d": "ロシアはネオナチ政権の暴挙を非難した"}
    >>> a = pd.DataFrame({"doc_id": ["d"], "technique": ["Name_Calling-Labeling"],
    ...                   "start": [4], "end": [10]})          # ネオナチ政権
    >>> b = a.assign(end=8)                                      # ネオナチ
    >>> alpha_u(a, b, texts=texts)[["category", "alpha_u", "kappa"]].round(3)
                   category  alpha_u  kappa
    0  Attack on reputation    0.792  0.727
    1                   all    0.792  0.727
    """
    if isinstance(doc_ids, Iterator):
        doc_ids = list(doc_ids)                # agreement reads it too
    table = agreement(a, b, texts=texts, doc_ids=doc_ids, by=by, universe=universe)
    if texts is None:
        texts = load_corpus()
    mapping = dict(texts) if isinstance(texts, Mapping) else dict(zip(texts["doc_id"],
                                                                        texts["text"]))
    ids = sorted(mapping if doc_ids is None else doc_ids)
    where, bounds = _continuum(mapping, ids, universe)
    units = _units({"a": a, "b": b}, where, by)
    rows = []
    for key, kappa in zip(table[by], table["kappa"]):
        pair = [sorted(units.get(key, {}).get(name, [])) for name in ("a", "b")]
        d_o, d_e = _disagreements(*pair, bounds)
        rows.append({by: key, "units_a": len(pair[0]), "units_b": len(pair[1]),
                     "d_o": float(d_o), "d_e": float(d_e), "alpha_u": _alpha(d_o, d_e),
                     "kappa": kappa})
    return pd.DataFrame(rows, columns=[by, *_COLUMNS]).astype({"units_a": "int64",
                                                               "units_b": "int64"})


def _continuum(mapping: dict, ids: list, universe: str):
    """Where each raw offset of each document falls on the continuum of counted
    characters, and the (start, end) of each document on it."""
    offset, where, bounds = 0, {}, []
    for doc_id in ids:
        keep = np.ones(len(mapping[doc_id]), dtype=np.int64)
        if universe == "annotatable":
            for start, end in clean(mapping[doc_id], urls=True).removed[["start", "end"]].values:
                keep[start:end] = 0
        where[doc_id] = offset + np.concatenate([[0], np.cumsum(keep)])
        bounds.append((offset, int(where[doc_id][-1])))
        offset = bounds[-1][1]
    return where, bounds


def _units(tables: dict, where: dict, by: str) -> dict[str, dict[str, list]]:
    """Each annotator's units per label (and "all"), merged, on the continuum."""
    units: dict[str, dict[str, list]] = {}
    for name, spans in tables.items():
        clean_spans = validate_spans(spans, {})
        records = [(d, t if by == "technique" else category_of(t), int(s), int(e))
                   for d, t, s, e in clean_spans[["doc_id", "technique", "start", "end"]]
                   .itertuples(index=False) if d in where]
        by_label = _merged(records)
        by_label.update({(d, "all"): runs for (d, _), runs in
                         _merged([(d, "all", s, e) for d, _, s, e in records]).items()})
        for (doc_id, label), runs in by_label.items():
            moved = where[doc_id][np.asarray(runs, dtype=np.int64)]
            units.setdefault(label, {}).setdefault(name, []).extend(
                moved[moved[:, 1] > moved[:, 0]].tolist())
    return units
