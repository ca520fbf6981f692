"""The quadratic algorithms replaced in issue 13, kept as oracles for equivalence tests.

Copied from utils/persuasion/scoring.py (``_tally``), utils/persuasion/highlight.py (the segment loop) and
utils/analysis/quotes.py (``_scan``, ``_attribute``) as they were before they were made linear.
"""
from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

import numpy as np
import pandas as pd

from utils.analysis.corpus import documents as _documents
from utils.analysis.quotes import (_ADJACENT, _CUE_AFTER, _MASK, _NOT_CUE, _TERMINATOR, QUOTE_COLUMNS,
                          _check_brackets, _segments, _speaker)


def tally(gold, pred, *, labelled: bool):
    prec: dict[str, Fraction] = defaultdict(Fraction)
    rec: dict[str, Fraction] = defaultdict(Fraction)
    by_doc = defaultdict(list)
    for span in gold:
        by_doc[span[0]].append(span)
    for doc_id, p_label, p_start, p_end in pred:
        for _, g_label, g_start, g_end in by_doc.get(doc_id, ()):
            if labelled and g_label != p_label:
                continue
            overlap = min(p_end, g_end) - max(p_start, g_start)
            if overlap > 0:
                prec[g_label] += Fraction(overlap, p_end - p_start)
                rec[g_label] += Fraction(overlap, g_end - g_start)
    return prec, rec


def active_sets(records, text_length):
    """For each segment between span boundaries: (left, right, active records)."""
    bounds = sorted({0, text_length, *(r[1] for r in records), *(r[2] for r in records)})
    return [(left, right, [r for r in records if r[1] <= left and right <= r[2]])
            for left, right in zip(bounds, bounds[1:])]


# -- quotes (the old _scan, _attribute and find_quotes) ----------------------------------------

def scan(text: str, a: int, b: int, table: dict[str, str]) -> list[list]:
    """Bracketed stretches of text[a:b]: [start, end, pair, depth, status]."""
    found: list[list] = []
    stack: list[tuple[str, int]] = []  # (pair, position of the opener)
    for i in range(a, b):
        ch = text[i]
        pair = table.get(ch)
        if pair is None:
            continue
        if ch == pair[0]:
            stack.append((pair, i))
            continue
        where = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == pair), None)
        if where is None:  # a closer that was never opened: from the start of its line
            line_start = text.rfind("\n", 0, i) + 1
            start = max(line_start, a)
            while start < i and text[start].isspace():
                start += 1
            for q in found:
                if q[0] >= start and q[1] <= i:
                    q[3] += 1
            found.append([start, i, pair, len(stack), "unopened"])
            continue
        while len(stack) > where + 1:  # openers left inside end here, unclosed
            inner, pos = stack.pop()
            found.append([pos + 1, i, inner, len(stack), "unclosed"])
        _, pos = stack.pop()
        found.append([pos + 1, i, pair, len(stack), "balanced"])
    end = b
    while end > a and text[end - 1].isspace():
        end -= 1
    while stack:
        pair, pos = stack.pop()
        found.append([pos + 1, max(end, pos + 1), pair, len(stack), "unclosed"])
    return found


def attribute(text: str, quotes: list[list], line_of) -> list[tuple]:
    rows = []
    for q in quotes:
        start, end, pair, depth, status = q
        # the cue: after the closer (skipping quotations that follow at once)
        cue = ""
        if status != "unclosed":
            after = text[end + 1:end + 1 + 80]
            nl = after.find("\n")
            after = after[:nl] if nl >= 0 else after
            adjacent = _ADJACENT.match(after)
            if adjacent:
                after = after[adjacent.end():]
            m = _CUE_AFTER.match(after)
            cue = m.group("cue") if m and not _NOT_CUE.search(m.group("cue")) else ""
        # the speaker: in the same sentence before the opener, other quotations masked
        before = ""
        if status != "unopened":
            opener = start - 1
            outer = [o for o in quotes if o[3] == depth - 1 and o[0] <= opener and o[1] >= end]
            region = max(o[0] for o in outer) if outer else text.rfind("\n", 0, opener) + 1
            chars = list(text[region:opener])
            for o in quotes:
                if o is not q and o[3] == depth and o[0] >= region and o[1] <= opener:
                    chars[o[0] - region:o[1] - region] = _MASK * (o[1] - o[0])
            before = "".join(chars)
            stops = list(_TERMINATOR.finditer(before))
            if stops:
                before = before[stops[-1].end():]
        speaker, cue = _speaker(before, cue)
        rows.append((start, end, line_of(start), pair, depth, status, text[start:end],
                     speaker, cue))
    return rows


def find_quotes(corpus_or_texts, *, brackets=("「」", "『』"), across_lines=False):
    docs = _documents(corpus_or_texts, "find_quotes")
    table = _check_brackets(brackets)
    rows = []
    for doc_id, text in docs:
        breaks = np.array([i for i, c in enumerate(text) if c == "\n"], dtype=np.int64)

        def line_of(pos, breaks=breaks):
            return int(np.searchsorted(breaks, pos, side="right")) + 1

        quotes = []
        for a, b in _segments(text, across_lines):
            quotes.extend(scan(text, a, b, table))
        for row in attribute(text, quotes, line_of):
            rows.append((doc_id, *row))
    out = pd.DataFrame(rows, columns=QUOTE_COLUMNS)
    out = out.astype({"start": "int64", "end": "int64", "line": "int64", "depth": "int64"})
    out["_len"] = out["end"] - out["start"]
    out = out.sort_values(["doc_id", "start", "_len", "depth"],
                          ascending=[True, True, False, True], kind="mergesort")
    return out.drop(columns="_len").reset_index(drop=True)
