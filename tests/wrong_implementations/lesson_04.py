"""Plausible wrong implementations of lesson 04's code-writing exercises."""
from wrong_implementations import mutate

_SCORES_HEAD = "def overlap_scores(gold, pred):\n"
_SCORES_END = (
    "    p = prec / len(pred) if len(pred) else 0.0\n"
    "    r = rec / len(gold) if len(gold) else 0.0\n"
    "    f1 = 2 * p * r / (p + r) if p + r else 0.0\n"
    "    return {'precision': p, 'recall': r, 'f1': f1}\n")


def _pairs(condition: str, shared: str = "min(s.end, t.end) - max(s.start, t.start)",
           prec: str = "shared / (s.end - s.start)", rec: str = "shared / (t.end - t.start)"):
    """A double loop over predicted and gold spans with one thing changed."""
    return (_SCORES_HEAD
            + "    prec = rec = 0.0\n"
            + "    for s in pred.itertuples():\n"
            + "        for t in gold.itertuples():\n"
            + f"            if {condition}:\n"
            + f"                shared = {shared}\n"
            + "                if shared > 0:\n"
            + f"                    prec += {prec}\n"
            + f"                    rec += {rec}\n"
            + _SCORES_END)


# a right answer to ex04_04; its variants below change one thing
_UNMATCHED = (
    "def overlaps_any(doc_id, start, end, table):\n"
    "    same = table[table['doc_id'] == doc_id]\n"
    "    return bool(((same['start'] < end) & (same['end'] > start)).any())\n\n"
    "def unmatched(spans, other):\n"
    "    keep = [not overlaps_any(s.doc_id, s.start, s.end, other)\n"
    "            for s in spans.itertuples()]\n"
    "    return spans.loc[keep]\n")

WRONG = {
    "ex04_03": {
        "ignores the labels (span-only, without merging)":
            _pairs("s.doc_id == t.doc_id"),
        "ignores the document: pairs spans of different texts":
            _pairs("s.technique == t.technique"),
        "credits 1 for any overlap instead of the share of characters":
            _pairs("s.doc_id == t.doc_id and s.technique == t.technique", prec="1", rec="1"),
        "divides the precision credit by the gold span's length and the recall credit by "
        "the predicted span's":
            _pairs("s.doc_id == t.doc_id and s.technique == t.technique",
                   prec="shared / (t.end - t.start)", rec="shared / (s.end - s.start)"),
        "counts an inclusive end, so spans that touch share a character":
            _pairs("s.doc_id == t.doc_id and s.technique == t.technique",
                   shared="min(s.end, t.end) - max(s.start, t.start) + 1",
                   prec="shared / (s.end - s.start + 1)", rec="shared / (t.end - t.start + 1)"),
        "keeps only the best gold span for each predicted span (max, not sum)":
            _SCORES_HEAD
            + "    prec = rec = 0.0\n"
            + "    for s in pred.itertuples():\n"
            + "        best = 0.0\n"
            + "        for t in gold.itertuples():\n"
            + "            if s.doc_id == t.doc_id and s.technique == t.technique:\n"
            + "                shared = max(0, min(s.end, t.end) - max(s.start, t.start))\n"
            + "                best = max(best, shared / (s.end - s.start))\n"
            + "                rec += shared / (t.end - t.start)\n"
            + "        prec += best\n"
            + _SCORES_END,
        "takes the arithmetic mean of P and R as F1":
            _pairs("s.doc_id == t.doc_id and s.technique == t.technique").replace(
                "2 * p * r / (p + r) if p + r else 0.0", "(p + r) / 2"),
        "divides by the number of spans without checking for an empty table":
            _pairs("s.doc_id == t.doc_id and s.technique == t.technique").replace(
                "prec / len(pred) if len(pred) else 0.0", "prec / len(pred)").replace(
                "rec / len(gold) if len(gold) else 0.0", "rec / len(gold)"),
        "divides precision by the number of predicted spans that match something":
            _SCORES_HEAD
            + "    prec = rec = 0.0\n"
            + "    hits = set()\n"
            + "    for i, s in enumerate(pred.itertuples()):\n"
            + "        for t in gold.itertuples():\n"
            + "            if s.doc_id == t.doc_id and s.technique == t.technique:\n"
            + "                shared = min(s.end, t.end) - max(s.start, t.start)\n"
            + "                if shared > 0:\n"
            + "                    hits.add(i)\n"
            + "                    prec += shared / (s.end - s.start)\n"
            + "                    rec += shared / (t.end - t.start)\n"
            + "    p = prec / len(hits) if hits else 0.0\n"
            + "    r = rec / len(gold) if len(gold) else 0.0\n"
            + "    f1 = 2 * p * r / (p + r) if p + r else 0.0\n"
            + "    return {'precision': p, 'recall': r, 'f1': f1}\n",
        "reads rows by position with .loc, as if every index started at 0":
            _SCORES_HEAD
            + "    prec = rec = 0.0\n"
            + "    for i in range(len(pred)):\n"
            + "        s = pred.loc[i]\n"
            + "        for j in range(len(gold)):\n"
            + "            t = gold.loc[j]\n"
            + "            if s.doc_id == t.doc_id and s.technique == t.technique:\n"
            + "                shared = min(s.end, t.end) - max(s.start, t.start)\n"
            + "                if shared > 0:\n"
            + "                    prec += shared / (s.end - s.start)\n"
            + "                    rec += shared / (t.end - t.start)\n"
            + _SCORES_END,
        "calls the kit's scorer instead of computing the scores":
            "import utils\n\n"
            "def overlap_scores(gold, pred):\n"
            "    result = utils.score(gold, pred)\n"
            "    return {k: result[k] for k in ('precision', 'recall', 'f1')}\n",
    },
    "ex04_04": {
        "counts spans that only touch as overlapping (<= instead of <)":
            mutate(_UNMATCHED, ("(same['start'] < end) & (same['end'] > start)",
                                "(same['start'] <= end) & (same['end'] >= start)")),
        "ignores the document":
            mutate(_UNMATCHED, ("    same = table[table['doc_id'] == doc_id]\n", ""),
                   ("(same['start'] < end) & (same['end'] > start)",
                    "(table['start'] < end) & (table['end'] > start)")),
        "tests only whether a span of the table starts inside the span (misses one that "
        "contains it)":
            mutate(_UNMATCHED, ("(same['start'] < end) & (same['end'] > start)",
                                "(same['start'] >= start) & (same['start'] < end)")),
        "requires the same technique in unmatched":
            mutate(_UNMATCHED, ("s.start, s.end, other)\n",
                                "s.start, s.end,\n"
                                "                             other[other['technique'] == "
                                "s.technique])\n")),
        "selects with df[list], which picks columns when the list is empty":
            mutate(_UNMATCHED, ("return spans.loc[keep]", "return spans[keep]")),
        "renumbers the rows it keeps (reset_index)":
            mutate(_UNMATCHED, ("return spans.loc[keep]",
                                "return spans.loc[keep].reset_index(drop=True)")),
    },
}

# The kit's scorer called inside the function: the exercise asks for the method itself.
WRONG["ex04_03"]["returns utils.score's numbers instead of computing them"] = (
    "def overlap_scores(gold, pred):\n"
    "    s = utils.score(gold, pred)\n"
    "    return {k: float(s[k]) for k in ('precision', 'recall', 'f1')}")

# ---------------------------------------------------------------- ex04_08 (paragraph micro-F1)
_MICRO = '''
def micro_f1(gold, pred):
    def as_sets(table):
        return {(d, p): set(t) for d, p, t in
                zip(table["doc_id"], table["paragraph"], table["techniques"])}
    g, p = as_sets(gold), as_sets(pred)
    tp = sum(len(g[k] & p[k]) for k in g)
    fp = sum(len(p[k] - g[k]) for k in g)
    fn = sum(len(g[k] - p[k]) for k in g)
    return 1.0 if tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn)
'''

WRONG["ex04_08"] = {
    "matches paragraphs by row position, not by doc_id and number":
        "def micro_f1(gold, pred):\n"
        "    tp = fp = fn = 0\n"
        "    for g, p in zip(gold['techniques'], pred['techniques']):\n"
        "        tp += len(set(g) & set(p)); fp += len(set(p) - set(g)); fn += len(set(g) - set(p))\n"
        "    return 1.0 if tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn)",
    "keys paragraphs by their number alone, so paragraph 1 of two texts is one paragraph":
        mutate(_MICRO, ('{(d, p): set(t) for d, p, t in', '{p: set(t) for d, p, t in')),
    "averages a score per paragraph instead of pooling the counts":
        "def micro_f1(gold, pred):\n"
        "    g = {(d, p): set(t) for d, p, t in zip(gold['doc_id'], gold['paragraph'], gold['techniques'])}\n"
        "    q = {(d, p): set(t) for d, p, t in zip(pred['doc_id'], pred['paragraph'], pred['techniques'])}\n"
        "    scores = []\n"
        "    for k in g:\n"
        "        tp, fp, fn = len(g[k] & q[k]), len(q[k] - g[k]), len(g[k] - q[k])\n"
        "        scores.append(1.0 if tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn))\n"
        "    return sum(scores) / len(scores)",
    "returns 0 when there is nothing to find and nothing claimed":
        mutate(_MICRO, ("return 1.0 if tp + fp + fn == 0", "return 0.0 if tp + fp + fn == 0")),
    "ignores techniques claimed for paragraphs without any in the gold":
        mutate(_MICRO, ("fp = sum(len(p[k] - g[k]) for k in g)",
                        "fp = sum(len(p[k] - g[k]) for k in g if g[k])")),
    "calls the kit's utils.paragraph_scores":
        "def micro_f1(gold, pred):\n"
        "    return utils.paragraph_scores(gold, pred)['micro_f1']",
}
