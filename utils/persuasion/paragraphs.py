"""Score persuasion techniques per paragraph, as SemEval-2023 Task 3 subtask 3 does.

Subtask 3 of SemEval-2023 Task 3 (Piskorski et al. 2023, *SemEval-2023 Task 3: Detecting
the Category, the Framing, and the Persuasion Techniques in Online News in a
Multi-lingual Setup*, SemEval-2023) is not a span task: each paragraph (one line of an
article) gets the set of techniques used in it, and a system is scored by **micro-F1**
over all (paragraph, technique) decisions, with macro-F1 reported beside it. Its files
hold one paragraph per line, tab-separated: ``article_id  paragraph_id  techniques``,
the techniques comma-separated (empty for a paragraph without any).

The official scorer binarizes the labels over the 23 techniques and calls scikit-learn's
``f1_score`` with ``average="micro"`` and ``average="macro"`` and ``zero_division=1``;
:func:`paragraph_scores` computes the same numbers without scikit-learn: micro-F1 is
2·TP / (2·TP + FP + FN) over all decisions, macro-F1 the mean over the 23 techniques of
each technique's F1, where a technique that neither file uses scores 1 (that is what
``zero_division=1`` does, and why macro-F1 is high on small data).
"""
from __future__ import annotations

import csv
from bisect import bisect_right
from pathlib import Path

import pandas as pd

from .spans import SpanError, validate_spans
from .techniques import TECHNIQUE_LABELS

__all__ = ["PARAGRAPH_COLUMNS", "paragraph_labels", "read_paragraph_labels",
           "write_paragraph_labels", "paragraph_scores"]

#: Columns of a paragraph label table.
PARAGRAPH_COLUMNS = ["doc_id", "paragraph", "techniques"]


def paragraph_labels(spans: pd.DataFrame, *, texts=None) -> pd.DataFrame:
    """Derive paragraph-level labels from spans: one row per non-blank line of each text.

    A paragraph (line, numbered from 1 as in the subtask-3 files) gets a technique when a
    span of that technique shares at least one character with it; ``techniques`` is a
    sorted tuple. Every non-blank line of every text in ``texts`` (a dict or
    ``utils.load_corpus()``; ``None``: the bundled corpus) is listed, with or without a
    technique.

    >>> spans = pd.DataFrame({"doc_id": ["d"], "technique": ["Loaded_Language"],
    ...                       "start": [4], "end": [6]})     # 暴挙
    >>> paragraph_labels(spans, texts={"d": "停戦だ\\n暴挙だ\\n\\n終わり"})
      doc_id  paragraph           techniques
    0      d          1                   ()
    1      d          2  (Loaded_Language,)
    2      d          4                   ()
    """
    if texts is None:
        from ..analysis.corpus import load_corpus

        texts = load_corpus()
    mapping = (dict(zip(texts["doc_id"], texts["text"])) if isinstance(texts, pd.DataFrame)
               else dict(texts))
    table = validate_spans(spans, mapping)
    unknown = sorted(set(table["doc_id"]) - set(mapping))
    if unknown:
        raise SpanError("spans", None, f"documents {unknown} are not in texts; paragraphs "
                        "are the lines of each text, so every annotated text is needed")
    found: dict[tuple[str, int], set] = {}
    line_starts = {d: [0] + [i + 1 for i, c in enumerate(t) if c == "\n"]
                   for d, t in mapping.items()}
    for doc_id, technique, start, end in table.itertuples(index=False):
        # a span covers the lines from the one holding its first character to the one
        # holding its last (numbered from 1)
        first = bisect_right(line_starts[doc_id], start)
        last = bisect_right(line_starts[doc_id], end - 1)
        for number in range(first, last + 1):
            found.setdefault((doc_id, number), set()).add(technique)
    rows = [(doc_id, number, tuple(sorted(found.get((doc_id, number), ()))))
            for doc_id, text in sorted(mapping.items())
            for number, line in enumerate(text.split("\n"), 1) if line.strip()]
    return pd.DataFrame(rows, columns=PARAGRAPH_COLUMNS)


def read_paragraph_labels(path_or_buffer) -> pd.DataFrame:
    """Read a subtask-3 file: ``article_id<TAB>paragraph_id<TAB>tech1,tech2`` per line.

    The third field may be empty (a paragraph without techniques). Every line is checked:
    three fields, an integer paragraph id, known technique labels, no paragraph twice.
    A problem raises :class:`utils.persuasion.spans.SpanError` naming the file and line.

    >>> import io
    >>> read_paragraph_labels(io.StringIO("111\\t1\\tDoubt,Slogans\\n111\\t2\\t\\n"))
      doc_id  paragraph        techniques
    0    111          1  (Doubt, Slogans)
    1    111          2                ()
    """
    name = str(path_or_buffer) if isinstance(path_or_buffer, (str, Path)) else "<buffer>"
    if isinstance(path_or_buffer, (str, Path)):
        text = Path(path_or_buffer).read_text(encoding="utf-8-sig")
    else:
        text = path_or_buffer.read()
    known = set(TECHNIQUE_LABELS)
    rows, seen = [], set()
    for number, line in enumerate(text.split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 3:
            raise SpanError(name, number, f"expected 3 tab-separated fields (article_id, "
                            f"paragraph_id, comma-separated techniques), found {len(fields)}")
        doc_id, paragraph, labels = fields
        try:
            paragraph = int(paragraph)
        except ValueError:
            raise SpanError(name, number, f"paragraph id {paragraph!r} is not an integer "
                            "(the paragraph's line number in the article)") from None
        techniques = tuple(sorted({t.strip() for t in labels.split(",") if t.strip()}))
        bad = [t for t in techniques if t not in known]
        if bad:
            raise SpanError(name, number, f"unknown technique(s) {bad}; see "
                            "utils.techniques() for the 23 labels")
        if (doc_id, paragraph) in seen:
            raise SpanError(name, number, f"paragraph {doc_id} {paragraph} is listed twice")
        seen.add((doc_id, paragraph))
        rows.append((doc_id, paragraph, techniques))
    return pd.DataFrame(rows, columns=PARAGRAPH_COLUMNS)


def write_paragraph_labels(table: pd.DataFrame, path) -> None:
    """Write a paragraph label table in the subtask-3 format (no header)."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter="\t", lineterminator="\n")
        for doc_id, paragraph, techniques in table[PARAGRAPH_COLUMNS].itertuples(index=False):
            writer.writerow([doc_id, int(paragraph), ",".join(techniques)])


def _f1(tp: int, fp: int, fn: int) -> float:
    """F1 with scikit-learn's zero_division=1: 1 when there is nothing to find or claim."""
    return 1.0 if tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn)


def paragraph_scores(gold: pd.DataFrame, pred: pd.DataFrame) -> dict:
    """Score paragraph labels as the official subtask-3 scorer does: micro- and macro-F1.

    Both tables have the columns of :data:`PARAGRAPH_COLUMNS` and must list the same
    paragraphs (the official scorer refuses a prediction file with other ids). Micro-F1
    pools every (paragraph, technique) decision; macro-F1 averages the F1 of each of the
    23 techniques, a technique that neither table uses counting 1 (Piskorski et al. 2023;
    scikit-learn's ``f1_score(..., zero_division=1)``).

    >>> gold = pd.DataFrame({"doc_id": ["a", "a"], "paragraph": [1, 2],
    ...                      "techniques": [("Doubt",), ("Doubt", "Slogans")]})
    >>> pred = gold.assign(techniques=[("Doubt",), ("Loaded_Language",)])
    >>> scores = paragraph_scores(gold, pred)
    >>> round(scores["micro_f1"], 4), round(scores["macro_f1"], 4)
    (0.4, 0.8986)
    """
    def labels(table, name):
        missing = [c for c in PARAGRAPH_COLUMNS if c not in table.columns]
        if missing:
            raise ValueError(f"{name} lacks columns {missing}; a paragraph table has "
                             f"{PARAGRAPH_COLUMNS}")
        return {(str(d), int(p)): set(t) for d, p, t in
                table[PARAGRAPH_COLUMNS].itertuples(index=False)}

    g, p = labels(gold, "gold"), labels(pred, "pred")
    if set(g) != set(p):
        only = sorted(set(g) ^ set(p))[:5]
        raise ValueError(f"gold and pred list different paragraphs (e.g. {only}); the "
                         "official scorer needs one prediction per gold paragraph")
    counts = {t: [0, 0, 0] for t in TECHNIQUE_LABELS}   # tp, fp, fn
    for key, gold_set in g.items():
        for t in TECHNIQUE_LABELS:
            inside_g, inside_p = t in gold_set, t in p[key]
            if inside_g and inside_p:
                counts[t][0] += 1
            elif inside_p:
                counts[t][1] += 1
            elif inside_g:
                counts[t][2] += 1
    tp, fp, fn = (sum(c[i] for c in counts.values()) for i in range(3))
    per_technique = {t: _f1(*c) for t, c in counts.items()}
    return {"micro_f1": _f1(tp, fp, fn),
            "macro_f1": sum(per_technique.values()) / len(per_technique),
            "n_paragraphs": len(g), "tp": tp, "fp": fp, "fn": fn}
