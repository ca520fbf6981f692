"""Add up partial overlaps of span sets: the arithmetic of the SemEval span scorers.

Spans are ``(doc_id, label, start, end)`` tuples. :func:`merge_spans` merges the spans of
one set that share a character (per label, as the official scorer does with merging on),
:func:`overlap_tally` sums the partial-overlap numerators of precision and recall
(Da San Martino et al. 2019) as exact fractions, and :func:`prf` turns them into scores.
Shared by :mod:`utils.persuasion.scoring` and :mod:`utils.agreement`.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from fractions import Fraction

from .spans import check_span_table

# shared by scoring and agreement, not part of utils' API
__all__: list[str] = []

_Span = tuple[str, str, int, int]   # doc_id, label, start, end


def span_records(spans, source: str) -> list[_Span]:
    """Check a span table and return its spans as (doc_id, label, start, end) tuples."""
    clean = check_span_table(spans, {}, source=source)
    return list(zip(clean["doc_id"], clean["technique"], clean["start"].tolist(),
                    clean["end"].tolist()))


def merge_spans(spans: list[_Span], *, by_label: bool = False) -> list[_Span]:
    """Merge spans of one set that share at least one character, per document.

    Labels are dropped, or, with ``by_label``, only spans of the same label are merged.
    """
    merged: list[list] = []
    for doc_id, label, start, end in sorted(spans, key=lambda s: (s[0], s[1] if by_label
                                                                   else "", s[2], s[3])):
        label = label if by_label else ""
        if merged and merged[-1][:2] == [doc_id, label] and start < merged[-1][3]:
            merged[-1][3] = max(merged[-1][3], end)
        else:
            merged.append([doc_id, label, start, end])
    return [tuple(m) for m in merged]


class _Coverage:
    """How many spans of a set cover each character, as a step function of the offset.

    ``covered(start, end)`` is the sum over the spans t of ``|[start, end) ∩ t|``, found
    by bisection in O(log n): this is what lets :func:`overlap_tally` add up the overlaps of
    every pair without visiting the pairs.
    """

    def __init__(self, spans: list[tuple[int, int]]):
        change: dict[int, int] = defaultdict(int)
        for start, end in spans:
            change[start] += 1
            change[end] -= 1
        self.points = sorted(change)
        self.areas, self.depths = [], []       # characters covered before each point; depth
        area = depth = 0
        previous = self.points[0] if self.points else 0
        for point in self.points:
            area += depth * (point - previous)
            depth += change[point]
            self.areas.append(area)
            self.depths.append(depth)
            previous = point

    def _area(self, x: int) -> int:
        k = bisect_right(self.points, x) - 1
        return 0 if k < 0 else self.areas[k] + self.depths[k] * (x - self.points[k])

    def covered(self, start: int, end: int) -> int:
        return self._area(end) - self._area(start)


def overlap_tally(gold: list[_Span], pred: list[_Span], *, labelled: bool):
    """Per gold label, the precision and recall numerators as exact fractions.

    The sums over overlapping pairs (s, t) of |s ∩ t|/|s| and |s ∩ t|/|t|, grouped by
    the label of t (with ``labelled``, only pairs of one label count). Summing per span,
    sum_t |s ∩ t| is the gold coverage of s (:class:`_Coverage`), so the work is
    O((|S| + |T|) log) instead of one step per pair; integer numerators are summed per
    span length before they become fractions.
    """
    gold_groups: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
    for doc_id, label, start, end in gold:
        gold_groups[doc_id, label].append((start, end))
    pred_groups: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
    for doc_id, label, start, end in pred:
        pred_groups[doc_id, label if labelled else None].append((start, end))
    prec_parts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    rec_parts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    pred_coverage: dict[tuple, _Coverage] = {}
    for (doc_id, label), gold_spans in gold_groups.items():
        key = (doc_id, label if labelled else None)
        pred_spans = pred_groups.get(key)
        if not pred_spans:
            continue
        if key not in pred_coverage:
            pred_coverage[key] = _Coverage(pred_spans)
        gold_coverage = _Coverage(gold_spans)
        for start, end in pred_spans:
            overlap = gold_coverage.covered(start, end)
            if overlap:
                prec_parts[label][end - start] += overlap
        for start, end in gold_spans:
            overlap = pred_coverage[key].covered(start, end)
            if overlap:
                rec_parts[label][end - start] += overlap
    prec: dict[str, Fraction] = defaultdict(Fraction)
    rec: dict[str, Fraction] = defaultdict(Fraction)
    for target, parts in ((prec, prec_parts), (rec, rec_parts)):
        for label, by_length in parts.items():
            target[label] = sum((Fraction(n, length) for length, n in by_length.items()),
                                Fraction(0))
    return prec, rec


def prf(prec_num: Fraction, n_pred: int, rec_num: Fraction, n_gold: int) -> dict:
    """Precision, recall and F1 from exact numerators and counts (1.0 when both are empty)."""
    if n_pred == 0 and n_gold == 0:
        p = r = f = Fraction(1)
    else:
        p = prec_num / n_pred if n_pred else Fraction(0)
        r = rec_num / n_gold if n_gold else Fraction(0)
        f = 2 * p * r / (p + r) if p + r else Fraction(0)
    return {"precision": float(p), "recall": float(r), "f1": float(f),
            "n_gold": n_gold, "n_pred": n_pred}
