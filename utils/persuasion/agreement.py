"""Measure how far two annotators agree on technique spans (アノテーター間一致).

Two views, side by side:

* **span F1**: one annotation scored against the other with the partial-overlap measure
  of :mod:`utils.persuasion.scoring` (Da San Martino et al. 2019). Swapping the two only swaps
  precision and recall, so the F1 is symmetric and needs no "gold" side.
* **character-level Cohen's kappa** (Cohen 1960, *A coefficient of agreement for nominal
  scales*, Educational and Psychological Measurement 20(1), 37-46): every character of
  every text is labelled *in* or *out* of a category by each annotator, and kappa is
  ``(p_o - p_e) / (1 - p_e)``, observed agreement corrected for the agreement expected by
  chance from each annotator's own rate. Characters count once however many spans of the
  category cover them. Only characters that can be annotated count: page chrome, URLs,
  reader comments and repeated paragraphs, which :func:`utils.clean` removes, are left out
  of every kappa, since agreement on them is free and would grow with their length.
"""
from __future__ import annotations

from collections import Counter
from fractions import Fraction

import numpy as np
import pandas as pd

from .overlap import merge_spans, overlap_tally, prf, span_records
from .spans import SpanError, texts_mapping
from .techniques import CATEGORIES, CATEGORY_OF, TECHNIQUE_LABELS

__all__ = ["agreement"]

_COLUMNS = ["n_a", "n_b", "f1", "chars_a", "chars_b", "chars_both", "kappa"]


def _kappa(both: int, only_a: int, only_b: int, total: int) -> float:
    """Cohen's kappa of two binary labellings from their 2x2 counts (NaN if undefined)."""
    neither = total - both - only_a - only_b
    p_o = Fraction(both + neither, total)
    p_a, p_b = Fraction(both + only_a, total), Fraction(both + only_b, total)
    p_e = p_a * p_b + (1 - p_a) * (1 - p_b)
    if p_e == 1:
        return float("nan")
    return float((p_o - p_e) / (1 - p_e))


def _doc_id_list(doc_ids) -> list[str]:
    """Read ``doc_ids`` once (it may be a generator) and check it: str, unique, not empty."""
    problem = TypeError(f"doc_ids must be a list of str such as ['002', '004'], got "
                        f"{doc_ids!r:.80}")
    if isinstance(doc_ids, (str, bytes)):
        raise problem
    try:
        listed = list(doc_ids)
    except TypeError:
        raise problem from None
    if not all(isinstance(d, str) for d in listed):
        raise TypeError(f"doc_ids must be a list of str such as ['002', '004'], got "
                        f"{listed!r:.80}")
    if not listed:
        raise ValueError("doc_ids is empty; list the documents both annotators worked on, "
                         "e.g. ['002', '004'], or leave it out to use every text")
    repeated = sorted(d for d, n in Counter(listed).items() if n > 1)
    if repeated:
        raise ValueError(f"doc_ids repeats {repeated}; list each document once")
    return listed


UNIVERSES = ("annotatable", "all")


def _universe(mapping: dict[str, str], universe: str) -> dict[str, np.ndarray]:
    """Per document, the characters kappa counts: all, or those utils.clean keeps."""
    from ..analysis.text import clean

    masks = {}
    for doc_id, text in sorted(mapping.items()):
        keep = np.ones(len(text), dtype=bool)
        if universe == "annotatable":
            removed = clean(text, urls=True).removed
            for start, end in zip(removed["start"], removed["end"]):
                keep[start:end] = False
        masks[doc_id] = keep
    return masks


def _masks(spans, key, universe: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    masks = {doc_id: np.zeros(len(keep), dtype=bool) for doc_id, keep in universe.items()}
    for doc_id, label, start, end in spans:
        if key is None or label == key:
            masks[doc_id][start:end] = True
    return {doc_id: mask & universe[doc_id] for doc_id, mask in masks.items()}


def _row(a, b, key, lengths, *, merged: bool) -> dict:
    if merged:
        span_a, span_b = merge_spans(a), merge_spans(b)
        prec, rec = overlap_tally(span_a, span_b, labelled=False)
    else:
        span_a = [s for s in a if s[1] == key]
        span_b = [s for s in b if s[1] == key]
        prec, rec = overlap_tally(span_a, span_b, labelled=True)
    f1 = prf(sum(prec.values(), Fraction(0)), len(span_b),
              sum(rec.values(), Fraction(0)), len(span_a))["f1"]
    mask_a, mask_b = _masks(a, None if merged else key, lengths), \
        _masks(b, None if merged else key, lengths)
    both = sum(int((mask_a[d] & mask_b[d]).sum()) for d in lengths)
    chars_a = sum(int(mask_a[d].sum()) for d in lengths)
    chars_b = sum(int(mask_b[d].sum()) for d in lengths)
    total = sum(int(keep.sum()) for keep in lengths.values())
    kappa = _kappa(both, chars_a - both, chars_b - both, total) if total else float("nan")
    return {"n_a": len(span_a), "n_b": len(span_b), "f1": f1, "chars_a": chars_a,
            "chars_b": chars_b, "chars_both": both, "kappa": kappa}


def agreement(a: pd.DataFrame, b: pd.DataFrame, *, texts=None, doc_ids=None,
              by: str = "category", universe: str = "annotatable") -> pd.DataFrame:
    """Compare two annotators' span tables per category (or technique) and overall.

    For each category (``by="category"``, spans relabelled with their category) or each
    technique (``by="technique"``) present in either table, in taxonomy order, one row
    gives the numbers of spans ``n_a`` and ``n_b``, the symmetric partial-overlap span
    ``f1`` (Da San Martino et al. 2019; the same as ``utils.persuasion.scoring.score_by``, so
    overlapping spans of one category are merged first), the characters each annotator put in the category
    (``chars_a``, ``chars_b``, ``chars_both``) and the character-level Cohen's ``kappa``
    (Cohen 1960). The last row, ``"all"``, ignores labels: span-only F1 (overlapping spans
    merged) and kappa of "inside any span" against "outside every span".

    The characters counted are those of every document in ``texts`` (a dict or the
    ``utils.load_corpus()`` table; ``None`` means the bundled corpus), or only of the
    documents listed in ``doc_ids`` (any iterable of str, each once): compare the documents
    both annotators worked on, e.g. ``doc_ids=["002", "004"]`` (spans of other documents
    are left out of every number).
    With ``universe="annotatable"`` (the default) kappa and the ``chars_*`` columns count
    only the characters :func:`utils.clean` keeps (``urls=True``: no chrome, URLs, reader
    comments below a footer, or repeated paragraphs); ``universe="all"`` counts every
    character. Span F1 counts the spans as annotated.
    Kappa is NaN when it is undefined (both
    annotators put every character in, or every character out). For the technique-level
    label-aware F1 overall, use ``utils.persuasion.scoring.score(a, b)``.

    >>> texts = {"d": "ネオナチ政権の暴挙だ"}
    >>> a = pd.DataFrame({"doc_id": ["d", "d"], "start": [0, 7], "end": [4, 9],
    ...     "technique": ["Name_Calling-Labeling", "Loaded_Language"]})
    >>> b = pd.DataFrame({"doc_id": ["d"], "technique": ["Name_Calling-Labeling"],
    ...     "start": [0], "end": [6]})
    >>> agreement(a, b, texts=texts)[["category", "f1", "chars_both", "kappa"]]
                   category        f1  chars_both     kappa
    0  Attack on reputation  0.800000           4  0.615385
    1  Manipulative wording  0.000000           0  0.000000
    2                   all  0.571429           4  0.166667
    """
    if by not in ("category", "technique"):
        raise ValueError(f"by={by!r} is not valid; use by='category' or by='technique'")
    if universe not in UNIVERSES:
        raise ValueError(f"universe={universe!r} is not valid; use 'annotatable' (the "
                         "characters utils.clean keeps) or 'all'")
    mapping = texts_mapping(texts)
    if not mapping:
        raise ValueError("texts holds no document; kappa counts the characters of the texts, "
                         "so pass them (a dict {doc_id: text} or utils.load_corpus())")
    spans_a, spans_b = span_records(a, "a"), span_records(b, "b")
    if doc_ids is not None:
        doc_ids = _doc_id_list(doc_ids)
        unknown = [d for d in doc_ids if d not in mapping]
        if unknown:
            raise ValueError(f"doc_ids {unknown} are not in texts (known: "
                             f"{', '.join(sorted(mapping)[:10]) or 'none'})")
        mapping = {d: mapping[d] for d in doc_ids}
        spans_a = [s for s in spans_a if s[0] in mapping]
        spans_b = [s for s in spans_b if s[0] in mapping]
    for source, spans in (("a", spans_a), ("b", spans_b)):
        for doc_id, technique, start, end in spans:
            if doc_id not in mapping:
                known = ", ".join(sorted(mapping)[:10]) or "none"
                raise SpanError(source, None, f"document {doc_id!r} is not in texts (known: "
                                f"{known}); kappa counts characters, so every annotated text "
                                "is needed")
            if end > len(mapping[doc_id]):
                raise SpanError(source, None, f"span {doc_id} {technique} {start}-{end} ends "
                                f"past the text, which has {len(mapping[doc_id])} characters")
    if by == "category":
        spans_a = merge_spans([(d, CATEGORY_OF[t], s, e) for d, t, s, e in spans_a], by_label=True)
        spans_b = merge_spans([(d, CATEGORY_OF[t], s, e) for d, t, s, e in spans_b], by_label=True)
    lengths = _universe(mapping, universe)
    present = {s[1] for s in spans_a} | {s[1] for s in spans_b}
    rows = []
    for key in (CATEGORIES if by == "category" else TECHNIQUE_LABELS):
        if key in present:
            rows.append({by: key, **_row(spans_a, spans_b, key, lengths, merged=False)})
    rows.append({by: "all", **_row(spans_a, spans_b, None, lengths, merged=True)})
    table = pd.DataFrame(rows, columns=[by, *_COLUMNS])
    return table.astype({c: "int64" for c in ("n_a", "n_b", "chars_a", "chars_b",
                                              "chars_both")})
