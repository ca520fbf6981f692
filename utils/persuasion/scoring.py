"""Score predicted technique spans against gold spans with partial-overlap credit (評価).

The measure is the one of the Propaganda Techniques Corpus (Da San Martino et al. 2019,
*Fine-Grained Analysis of Propaganda in News Articles*, EMNLP-IJCNLP, pp. 5636-5646),
used by the span tasks of SemEval-2020 Task 11 and SemEval-2021 Task 6 and, with the
taxonomy of SemEval-2023 Task 3 (Piskorski et al. 2023). For predicted spans S and gold
spans T, summing over every overlapping pair (s, t) in the same document::

    P = sum |s ∩ t| / |s|  /  |S|        R = sum |s ∩ t| / |t|  /  |T|

and F1 is their harmonic mean. *Label-aware* scoring counts a pair only when the labels
match, after merging the spans of one label that overlap within a document, in the gold
set and in the prediction set alike; *span-only* scoring (``ignore_labels=True``) ignores
labels and merges every overlapping pair. The official scorers either refuse such
overlaps or merge them (``has_overlapping_spans(..., merge_overlapping_spans=True)`` in
the PTC scorers): without merging, two overlapping predictions of one label would both be
credited for the same gold characters, and recall could exceed 1. Spans that merely touch
share no character and are not merged.

Edge cases (the same everywhere in the kit): with no predicted span P = 0, with no gold
span R = 0, F1 = 0 whenever P + R = 0, and when both sets are empty P = R = F1 = 1
(nothing to find and nothing claimed; the official scorer also gives F1 = 1 there but
reports P = R = 0). Sums are exact fractions, so results do not depend on row order.

Command line: ``python -m utils score GOLD PRED [--ignore-labels] [--json] [--texts DIR]``.
Files in the SemEval-2023 Task 3 subtask-3 format (three tab-separated fields) are scored
by paragraph, with micro-F1 and macro-F1 (see :mod:`utils.persuasion.paragraphs`).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from fractions import Fraction

import numpy as np
import pandas as pd

from .overlap import merge_spans, overlap_tally, prf, span_records
from .span_files import read_spans
from .spans import SpanError, texts_mapping
from .techniques import CATEGORIES, CATEGORY_OF, TECHNIQUE_LABELS

__all__ = ["main", "score", "score_by"]

def score(gold: pd.DataFrame, pred: pd.DataFrame, *, ignore_labels: bool = False) -> dict:
    """Compute partial-overlap precision, recall and F1 of predicted against gold spans.

    Both tables have the columns ``doc_id, technique, start, end`` (see
    :func:`utils.persuasion.span_files.read_spans`); pairs are only formed within one document. By
    default a pair counts only when the techniques match; ``ignore_labels=True`` scores
    the spans alone, after merging overlapping spans within each set. The measure is that
    of Da San Martino et al. (2019) and the SemEval scorers (Piskorski et al. 2023); see
    the module docstring for the formula and the empty-set conventions.

    Returns ``{"precision", "recall", "f1", "n_gold", "n_pred"}``; the counts are the
    denominators |T| and |S| after merging: spans of one label that share a character
    become one span (every overlapping pair, in span-only mode), as the official scorers
    do when they merge, so precision and recall never exceed 1.

    >>> gold = pd.DataFrame({"doc_id": ["000"] * 2,   # 「絶望展開」, 「ネオ・ナチ」 …
    ...     "technique": ["Loaded_Language", "Name_Calling-Labeling"],
    ...     "start": [0, 40], "end": [20, 50]})
    >>> pred = pd.DataFrame({"doc_id": ["000"] * 2,
    ...     "technique": ["Loaded_Language", "Doubt"], "start": [10, 42], "end": [30, 48]})
    >>> score(gold, pred)
    {'precision': 0.25, 'recall': 0.25, 'f1': 0.25, 'n_gold': 2, 'n_pred': 2}
    >>> round(score(gold, pred, ignore_labels=True)["f1"], 6)
    0.634615
    """
    if not isinstance(ignore_labels, (bool, np.bool_)):
        raise TypeError(f"ignore_labels must be True or False, got {ignore_labels!r}")
    ignore_labels = bool(ignore_labels)
    gold_spans, pred_spans = span_records(gold, "gold"), span_records(pred, "pred")
    by_label = not ignore_labels
    gold_spans = merge_spans(gold_spans, by_label=by_label)
    pred_spans = merge_spans(pred_spans, by_label=by_label)
    prec, rec = overlap_tally(gold_spans, pred_spans, labelled=not ignore_labels)
    return prf(sum(prec.values(), Fraction(0)), len(pred_spans),
                sum(rec.values(), Fraction(0)), len(gold_spans))


def score_by(gold: pd.DataFrame, pred: pd.DataFrame, *, by: str = "technique") -> pd.DataFrame:
    """Score label-aware, separately for each technique or for each category.

    With ``by="technique"`` the precision of technique L is the partial-overlap credit of
    the L-pairs over the number of predicted L spans, and its recall the credit over the
    number of gold L spans. (The official SemEval scorers reuse the *precision* numerator,
    sum |s ∩ t|/|s|, for the per-technique recall; that is a bug and is not copied here:
    recall uses sum |s ∩ t|/|t|, as in the overall score.) With ``by="category"`` every
    span is relabelled with its category first, so a pair counts when both spans belong to
    the category, even with different techniques (Doubt for Name_Calling-Labeling counts
    within "Attack on reputation"). Measure of Da San Martino et al. (2019).

    Rows follow the taxonomy order and only techniques or categories present in gold or
    prediction are listed. Columns: the key (``technique``, with its ``category``, or
    ``category``), ``precision, recall, f1, n_gold, n_pred`` (counts after merging).

    >>> gold = pd.DataFrame({"doc_id": ["000"] * 2,   # 「最悪シナリオ」, 「傀儡」 …
    ...     "technique": ["Loaded_Language", "Name_Calling-Labeling"],
    ...     "start": [0, 40], "end": [20, 50]})
    >>> pred = pd.DataFrame({"doc_id": ["000"] * 2,
    ...     "technique": ["Loaded_Language", "Doubt"], "start": [10, 42], "end": [30, 48]})
    >>> score_by(gold, pred, by="category")[["category", "precision", "recall"]]
                   category  precision  recall
    0  Attack on reputation        1.0     0.6
    1  Manipulative wording        0.5     0.5
    """
    if by not in ("technique", "category"):
        raise ValueError(f"by={by!r} is not valid; use by='technique' or by='category'")
    gold_spans, pred_spans = span_records(gold, "gold"), span_records(pred, "pred")
    if by == "category":
        gold_spans = [(d, CATEGORY_OF[t], s, e) for d, t, s, e in gold_spans]
        pred_spans = [(d, CATEGORY_OF[t], s, e) for d, t, s, e in pred_spans]
    gold_spans = merge_spans(gold_spans, by_label=True)   # per technique, or per category
    pred_spans = merge_spans(pred_spans, by_label=True)
    prec, rec = overlap_tally(gold_spans, pred_spans, labelled=True)
    n_gold = defaultdict(int, pd.Series([s[1] for s in gold_spans], dtype=object)
                         .value_counts().to_dict())
    n_pred = defaultdict(int, pd.Series([s[1] for s in pred_spans], dtype=object)
                         .value_counts().to_dict())
    rows = []
    for key in (TECHNIQUE_LABELS if by == "technique" else CATEGORIES):
        if n_gold[key] or n_pred[key]:
            row = {by: key}
            if by == "technique":
                row["category"] = CATEGORY_OF[key]
            row.update(prf(prec[key], n_pred[key], rec[key], n_gold[key]))
            rows.append(row)
    columns = [by] + (["category"] if by == "technique" else []) + [
        "precision", "recall", "f1", "n_gold", "n_pred"]
    table = pd.DataFrame(rows, columns=columns)
    return table.astype({c: "int64" for c in ("n_gold", "n_pred")})


# -- command line --------------------------------------------------------------------------

def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m utils score",
        description="Score predicted persuasion-technique spans against gold spans with "
                    "partial-overlap precision, recall and F1 (Da San Martino et al. 2019). "
                    "Both files are PTC format: doc_id<TAB>technique<TAB>start<TAB>end. "
                    "Files in the SemEval-2023 Task 3 subtask-3 format (article_id<TAB>"
                    "paragraph_id<TAB>comma-separated techniques) are scored as that "
                    "subtask is, by micro-F1 and macro-F1.")
    parser.add_argument("gold", metavar="GOLD", help="the gold span file")
    parser.add_argument("pred", metavar="PRED", help="the predicted span file (may be empty)")
    parser.add_argument("--ignore-labels", action="store_true",
                        help="span-only scoring: ignore techniques, merge overlapping spans")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object instead of a table")
    parser.add_argument("--texts", metavar="FOLDER",
                        help="folder of <doc_id>.txt files to check offsets against "
                             "(default: the bundled corpus)")
    return parser


def _fmt(row: dict, name: str, width: int) -> str:
    return (f"{name:<{width}}  {row['precision']:>9.4f}  {row['recall']:>6.4f}  "
            f"{row['f1']:>6.4f}  {row['n_gold']:>6d}  {row['n_pred']:>6d}")


def _table(result: dict, per_technique: pd.DataFrame, gold: str, pred: str,
           ignore_labels: bool) -> str:
    mode = ("span-only (labels ignored, overlapping spans merged)" if ignore_labels
            else "label-aware (techniques must match; overlaps of one technique merged)")
    width = max([len("all spans"), *map(len, per_technique["technique"])])
    header = f"{'':<{width}}  precision  recall      f1  n_gold  n_pred"
    lines = [f"{pred} against {gold}: {mode}, partial-overlap credit", "", header,
             _fmt(result, "all spans", width)]
    if len(per_technique):
        lines += ["", "per technique (label-aware):"]
        lines += [_fmt(row, row["technique"], width)
                  for row in per_technique.to_dict("records")]
    return "\n".join(lines)


def _known_texts(folder: str | None) -> dict[str, str]:
    if folder is None:
        return texts_mapping(None)
    from ..analysis.corpus import load_texts

    return texts_mapping(load_texts(folder))


def main(argv: list[str] | None = None) -> int:
    """Run the ``score`` command: print the scores of PRED against GOLD; return the exit code.

    Offsets are checked against the texts the command knows (the bundled corpus, or the
    ``<doc_id>.txt`` files of ``--texts FOLDER``); spans of other documents are scored on
    their offsets alone, as the official scorers do. A malformed file prints a one-line
    error naming file and line to stderr and returns 2. With ``--json`` the output is one
    JSON object with ``precision, recall, f1, n_gold, n_pred``, ``ignore_labels`` and
    ``by_technique``. Measure of Da San Martino et al. (2019), see :func:`score`.

    >>> import pathlib, tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> folder = pathlib.Path(tmp.name)
    >>> _ = (folder / "x.txt").write_text("これは暴挙だ", encoding="utf-8")
    >>> _ = (folder / "gold.tsv").write_text("x\\tLoaded_Language\\t3\\t5\\n", encoding="utf-8")
    >>> _ = (folder / "pred.tsv").write_text("x\\tLoaded_Language\\t3\\t4\\n", encoding="utf-8")
    >>> main([str(folder / "gold.tsv"), str(folder / "pred.tsv"), "--json",
    ...       "--texts", str(folder)])
    {"precision": 1.0, "recall": 0.5, "f1": 0.6666666666666666, "n_gold": 1, "n_pred": 1, ...}
    0
    >>> tmp.cleanup()
    """
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:       # --help, or a usage error already printed by argparse
        return int(exit_.code or 0)
    from ..analysis.textfiles import CorpusError

    if _is_paragraph_file(args.gold):
        return _paragraph_main(args)

    try:
        texts = _known_texts(args.texts)
        gold = read_spans(args.gold, texts=texts, allow_empty=True)
        if gold.empty:  # (read_spans' own hint, allow_empty=True, is for Python callers)
            raise SpanError(str(args.gold), None, "the gold file is empty; gold needs at "
                            "least one span, one per line: doc_id<TAB>technique<TAB>start"
                            "<TAB>end")
        pred = read_spans(args.pred, texts=texts, allow_empty=True)
    except (SpanError, CorpusError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"error: cannot read {err.filename}: {err.strerror}", file=sys.stderr)
        return 2
    result = score(gold, pred, ignore_labels=args.ignore_labels)
    per_technique = score_by(gold, pred, by="technique")
    if args.json:
        payload = dict(result, ignore_labels=args.ignore_labels, by_technique={
            row.pop("technique"): row for row in per_technique.to_dict("records")})
        print(json.dumps(payload, ensure_ascii=False))
    else:
        print(_table(result, per_technique, args.gold, args.pred, args.ignore_labels))
    return 0


def _is_paragraph_file(path: str) -> bool:
    """True when the first non-blank line has 3 tab-separated fields (subtask 3), not 4."""
    try:
        with open(path, encoding="utf-8-sig") as f:
            line = next((l for l in f if l.strip()), "")
    except (OSError, UnicodeDecodeError):
        return False          # read_spans reports the problem
    return line.rstrip("\r\n").count("\t") == 2


def _paragraph_main(args) -> int:
    """``score`` on subtask-3 files: micro-F1 and macro-F1, as the official scorer."""
    from .paragraphs import paragraph_scores, read_paragraph_labels

    try:
        gold = read_paragraph_labels(args.gold)
        pred = read_paragraph_labels(args.pred)
        result = paragraph_scores(gold, pred)
    except SpanError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except ValueError as err:
        print(f"error: {args.pred}: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"error: cannot read {err.filename}: {err.strerror}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{args.pred} against {args.gold}: paragraph level (SemEval-2023 Task 3 "
              f"subtask 3), {result['n_paragraphs']} paragraphs\n"
              f"micro-F1 {result['micro_f1']:.5f}   macro-F1 {result['macro_f1']:.5f}")
    return 0

