"""Check span annotations of persuasion techniques (スパン注釈) and make new ones.

A span file is the PTC format of the research scorers (Da San Martino et al. 2019,
*Fine-Grained Analysis of Propaganda in News Articles*, EMNLP): tab-separated, no
header, one span per line::

    doc_id<TAB>technique<TAB>start<TAB>end

``start`` and ``end`` are Python ``str`` offsets into the text exactly as stored,
0-based, end exclusive, so ``text[start:end]`` is the annotated phrase. In memory a span
table is a DataFrame with the columns ``doc_id, technique, start, end``.

Reading and writing span files is :mod:`utils.persuasion.span_files`; this module holds the table,
its checks and the span boundary rule.

A span must not start or end on white space or punctuation (``、。「」『』（）・``, the
full-width space U+3000, and anything Unicode classes as ``Z*`` or ``P*``): quote the
words, not the brackets around them. :func:`spans_from_text` makes spans by quoting a
phrase, so nobody has to count characters.
"""
from __future__ import annotations

import numbers
import re
import unicodedata
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..validate import doc_id_problem
from ._span_checks import index, offset_problem
from .techniques import CATEGORY_OF, unknown_label_message

__all__ = ["SPAN_COLUMNS", "SpanError", "is_boundary_char", "spans_from_text", "trim_span",
           "validate_spans"]

#: The columns of a span table, in file order.
SPAN_COLUMNS = ("doc_id", "technique", "start", "end")

_EXTRA_BOUNDARY = frozenset("、。「」『』（）・\u3000")
_DIGITS = re.compile(r"[0-9]+")


class SpanError(ValueError):
    """A span file or table that breaks the format; the message names where and why.

    ``source`` is the file (or table) name, ``line`` the 1-based line number (or row
    label for a DataFrame, ``None`` for the whole file) and ``reason`` the problem.
    """

    def __init__(self, source: str, line, reason: str, *, unit: str = "line"):
        self.source, self.line, self.reason = source, line, reason
        where = source if line is None else f"{source}, {unit} {line}"
        super().__init__(f"{where}: {reason}")


def _is_boundary(char: str) -> bool:
    if char in _EXTRA_BOUNDARY or char.isspace():
        return True
    category = unicodedata.category(char)
    return category[0] in "ZP" or category == "Cc"


def is_boundary_char(char: str) -> bool:
    """Tell whether a span may not start or end on this character.

    True for white space (including the full-width space and line breaks), control
    characters and punctuation (Unicode categories ``Z*``, ``P*``, ``Cc``), plus
    ``、。「」『』（）・`` explicitly. ``char`` is a str of one character.

    >>> [is_boundary_char(c) for c in "「暴挙」"]
    [True, False, False, True]
    >>> is_boundary_char("\\u3000"), is_boundary_char("ー")
    (True, False)
    """
    if not isinstance(char, str):
        raise TypeError(f"char must be a str of one character such as '、', got "
                        f"{type(char).__name__} {char!r:.40}")
    if len(char) != 1:
        raise ValueError(f"char must be exactly one character, got {len(char)}: {char!r:.40}")
    return _is_boundary(char)


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``start:end`` until it neither starts nor ends on white space or punctuation.

    Returns ``(start, end)``; the two are equal when nothing but punctuation was inside.
    ``0 <= start <= end <= len(text)`` is required.

    >>> text = "これは「暴挙」だ"
    >>> start, end = trim_span(text, 3, 7)
    >>> start, end, text[start:end]
    (4, 6, '暴挙')
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    start, end = index(start, "start"), index(end, "end")
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"start {start} and end {end} must satisfy 0 <= start <= end <= "
                         f"{len(text)} (the length of the text)")
    while start < end and _is_boundary(text[start]):
        start += 1
    while end > start and _is_boundary(text[end - 1]):
        end -= 1
    return start, end


# -- texts ---------------------------------------------------------------------------------

def _bundled_texts() -> dict[str, str]:
    from ..analysis.corpus import load_corpus

    corpus = load_corpus()
    return dict(zip(corpus["doc_id"], corpus["text"]))


def texts_mapping(texts) -> dict[str, str]:
    """Turn None (bundled corpus), a mapping or a corpus DataFrame into {doc_id: text}."""
    if texts is None:
        return _bundled_texts()
    if isinstance(texts, pd.DataFrame):
        missing = [c for c in ("doc_id", "text") if c not in texts.columns]
        if missing:
            raise ValueError(f"texts is a DataFrame without the column(s) {missing}; pass the "
                             "corpus table from utils.load_corpus() or a dict {doc_id: text}")
        ids = texts["doc_id"]
        if ids.duplicated().any():
            repeated = sorted(map(str, set(ids[ids.duplicated()])))
            raise ValueError(f"texts: doc_id values must be unique; repeated: {repeated}")
        mapping = dict(zip(ids, texts["text"]))
    elif isinstance(texts, Mapping):
        mapping = dict(texts)
    else:
        raise TypeError(f"texts must be None (the bundled corpus), a dict {{doc_id: text}} or "
                        f"a corpus DataFrame with doc_id and text columns, got "
                        f"{type(texts).__name__}")
    for doc_id, text in mapping.items():
        if not isinstance(doc_id, str):
            raise TypeError(f"texts: doc_id must be a str such as '000', found {doc_id!r} "
                            f"({type(doc_id).__name__})")
        problem = doc_id_problem(doc_id) if doc_id else "doc_id is empty"
        if problem:
            raise ValueError(f"texts: {problem}")
        if not isinstance(text, str):
            raise TypeError(f"texts: the text of document {doc_id!r} must be a str, found "
                            f"{text!r:.40} ({type(text).__name__})")
    return mapping


# -- checking one span ---------------------------------------------------------------------

def check_offsets(doc_id: str, technique: str, start: int, end: int,
                   texts: Mapping[str, str]) -> str | None:
    """Return the reason a span with integer offsets is invalid, or None."""
    if not doc_id:
        return "doc_id is empty"
    reason = doc_id_problem(doc_id)
    if reason:
        return reason
    if technique not in CATEGORY_OF:
        return unknown_label_message(technique)
    if start >= end:
        return (f"start {start} must be less than end {end} "
                "(offsets are 0-based and end is exclusive)")
    text = texts.get(doc_id)
    if text is None:
        return None
    if end > len(text):
        return (f"end {end} is past the end of document {doc_id!r}, which has "
                f"{len(text)} characters (valid offsets are 0..{len(text)})")
    phrase = text[start:end]
    first, last = text[start], text[end - 1]
    if _is_boundary(first) or _is_boundary(last):
        new_start, new_end = trim_span(text, start, end)
        where = "starts" if _is_boundary(first) else "ends"
        char = first if where == "starts" else last
        if new_start == new_end:
            return (f"span {doc_id} {start}-{end} {phrase!r} holds only white space or "
                    "punctuation; mark the words of the technique instead")
        return (f"span {doc_id} {start}-{end} {phrase!r} {where} on {char!r} (white space "
                f"or punctuation); trimmed it would be {new_start}-{new_end} "
                f"{text[new_start:new_end]!r}")
    return None


def span_frame(records: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    records = sorted(records, key=lambda r: (r[0], r[2], r[3], r[1]))
    return pd.DataFrame({
        "doc_id": pd.Series([r[0] for r in records], dtype="str"),
        "technique": pd.Series([r[1] for r in records], dtype="str"),
        "start": pd.Series([r[2] for r in records], dtype="int64"),
        "end": pd.Series([r[3] for r in records], dtype="int64"),
    })


def _as_offset(value) -> int | None:
    """An int for an integer (or digit string) >= 0; None for anything else, floats too."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, numbers.Integral):
        return int(value) if value >= 0 else None
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        return int(value)
    return None


def check_span_table(spans, texts: Mapping[str, str], *, source: str) -> pd.DataFrame:
    """Check a span DataFrame; return a clean sorted copy with the four columns."""
    if not isinstance(spans, pd.DataFrame):
        raise TypeError(f"{source} must be a DataFrame with columns {list(SPAN_COLUMNS)} "
                        f"(e.g. from utils.read_spans), got {type(spans).__name__}")
    missing = [c for c in SPAN_COLUMNS if c not in spans.columns]
    if missing:
        raise SpanError(source, None, f"missing column(s) {missing}; a span table has the "
                        f"columns {list(SPAN_COLUMNS)}, this one has {list(spans.columns)}")
    repeated = [c for c in SPAN_COLUMNS if list(spans.columns).count(c) > 1]
    if repeated:
        raise SpanError(source, None, f"the column(s) {repeated} appear more than once; "
                        f"keep one of each of {list(SPAN_COLUMNS)}")
    records = []
    seen: dict[tuple, object] = {}
    for row, doc_id, technique, start, end in zip(spans.index, spans["doc_id"],
                                                  spans["technique"], spans["start"],
                                                  spans["end"]):
        if not isinstance(doc_id, str):
            raise SpanError(source, row, f"doc_id must be a str such as '000', found "
                            f"{doc_id!r}", unit="row")
        offsets = []
        for field_name, value in (("start", start), ("end", end)):
            as_int = _as_offset(value)
            if as_int is None:
                raise SpanError(source, row, f"{field_name} must be a non-negative integer "
                                f"(a character offset), found {value!r}", unit="row")
            too_large = offset_problem(field_name, as_int)
            if too_large:
                raise SpanError(source, row, too_large, unit="row")
            offsets.append(as_int)
        if not isinstance(technique, str):
            raise SpanError(source, row, f"technique must be a str label such as "
                            f"'Loaded_Language', found {technique!r}", unit="row")
        reason = check_offsets(doc_id, technique, *offsets, texts)
        if reason:
            raise SpanError(source, row, reason, unit="row")
        key = (doc_id, technique, *offsets)
        if key in seen:
            raise SpanError(source, row, f"duplicate of row {seen[key]} "
                            f"({doc_id} {technique} {offsets[0]}-{offsets[1]})", unit="row")
        seen[key] = row
        records.append(key)
    return span_frame(records)


def validate_spans(spans: pd.DataFrame, texts=None) -> pd.DataFrame:
    """Check a span table as :func:`read_spans` checks a file, and return it cleaned.

    ``texts`` maps doc_id to text (a dict or the ``utils.load_corpus()`` table; ``None``
    means the bundled corpus). Spans of documents not in ``texts`` are checked on their
    offsets alone. A problem raises :class:`SpanError` naming the row label. The result
    has exactly the columns ``doc_id, technique, start, end`` (int64 offsets), sorted.

    >>> spans = pd.DataFrame({"doc_id": ["000"], "technique": ["Loaded_Language"],
    ...                       "start": [3], "end": [7]})
    >>> validate_spans(spans, {"000": "これは「暴挙」だ"})
    Traceback (most recent call last):
    ...
    utils.persuasion.spans.SpanError: spans, row 0: span 000 3-7 '「暴挙」' starts on '「' ...; trimmed it would be 4-6 '暴挙'
    """
    return check_span_table(spans, texts_mapping(texts), source="spans")


def spans_from_text(text: str, phrase: str, *, doc_id: str, technique: str,
                    occurrence: int | str = 1) -> pd.DataFrame:
    """Make a span by quoting a phrase of the text instead of counting offsets.

    ``occurrence`` picks which match to use, counting from 1 (``2`` is the second time
    the phrase appears); ``"all"`` returns every non-overlapping match. Copy the phrase
    exactly from the text, without the brackets or punctuation around it. Combine
    several with ``pd.concat([...], ignore_index=True)``.

    >>> text = "キエフ政権は傀儡だ。傀儡政権だ。"
    >>> spans_from_text(text, "傀儡", doc_id="002", technique="Name_Calling-Labeling",
    ...                 occurrence=2)
      doc_id              technique  start  end
    0    002  Name_Calling-Labeling     10   12
    """
    if not isinstance(text, str) or not isinstance(phrase, str) or not isinstance(doc_id, str):
        raise TypeError(f"text, phrase and doc_id must be str, got {type(text).__name__}, "
                        f"{type(phrase).__name__} and {type(doc_id).__name__}")
    problem = doc_id_problem(doc_id) if doc_id else "doc_id is empty"
    if problem:
        raise ValueError(problem)
    if not phrase:
        raise ValueError("phrase is empty; quote the words of the technique, e.g. '暴挙'")
    start, end = trim_span(phrase, 0, len(phrase))
    if (start, end) != (0, len(phrase)):
        suggestion = phrase[start:end]
        raise ValueError(f"phrase {phrase!r} starts or ends on white space or punctuation; "
                         f"quote only the words, e.g. {suggestion!r}" if suggestion else
                         f"phrase {phrase!r} holds only white space or punctuation")
    if technique not in CATEGORY_OF:
        raise ValueError(unknown_label_message(technique))
    found = []
    position = text.find(phrase)
    while position != -1:
        found.append(position)
        position = text.find(phrase, position + len(phrase))
    if not found:
        raise ValueError(f"phrase {phrase!r} does not occur in document {doc_id!r}; copy it "
                         "from the text exactly (full-width and half-width characters differ)")
    if occurrence == "all":
        chosen = found
    elif isinstance(occurrence, numbers.Integral) \
            and not isinstance(occurrence, (bool, np.bool_)) and 1 <= occurrence <= len(found):
        chosen = [found[int(occurrence) - 1]]
    else:
        raise ValueError(f"occurrence={occurrence!r} is not valid: {phrase!r} occurs "
                         f"{len(found)} time(s) in document {doc_id!r}, so use 1..{len(found)} "
                         "or 'all'")
    return span_frame([(doc_id, technique, p, p + len(phrase)) for p in chosen])
