"""Read and write span files of persuasion techniques (the PTC format of the scorers).

A span file is tab-separated, with no header, one span per line
(``doc_id<TAB>technique<TAB>start<TAB>end``, Da San Martino et al. 2019, *Fine-Grained
Analysis of Propaganda in News Articles*, EMNLP). Every line is checked as it is read;
:mod:`utils.persuasion.spans` holds the checks.
"""
from __future__ import annotations

import io
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ._span_checks import check_target, offset_problem
from .spans import (SPAN_COLUMNS, SpanError, check_offsets, check_span_table, span_frame,
                    texts_mapping)

__all__ = ["read_spans", "write_spans"]

_DIGITS = re.compile(r"[0-9]+")
_FORMAT = "doc_id<TAB>technique<TAB>start<TAB>end"


def _source_name(path_or_buffer) -> str:
    if isinstance(path_or_buffer, (str, os.PathLike)):
        return str(path_or_buffer)
    return str(getattr(path_or_buffer, "name", "<buffer>"))


def _read_text(path_or_buffer, name: str) -> str:
    check_target(path_or_buffer, "path_or_buffer", "read")
    if isinstance(path_or_buffer, (str, os.PathLike)):
        data = Path(path_or_buffer).read_bytes()
    else:
        data = path_or_buffer.read()
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise SpanError(name, line, f"not valid UTF-8 (byte {data[err.start:err.start + 1]!r}); "
                        "save the file as UTF-8") from None


def read_spans(path_or_buffer, *, texts=None, allow_empty: bool = False) -> pd.DataFrame:
    """Read a PTC span file (``doc_id<TAB>technique<TAB>start<TAB>end``) into a table.

    Every line is checked: four tab-separated fields, a known label (see
    :func:`utils.persuasion.techniques.techniques`), integer offsets with ``start < end``, no
    duplicate line, and, for documents whose text is known, offsets inside the text and a
    span that neither starts nor ends on white space or punctuation. ``texts`` maps
    doc_id to text (a dict or the table of ``utils.load_corpus()``); ``None`` means the
    bundled corpus. Spans of documents not in ``texts`` are checked on their offsets
    alone, as the official scorers do. A problem raises :class:`SpanError` naming the
    file and line. An empty file is an error unless ``allow_empty=True``.

    Returns ``doc_id, technique, start, end`` sorted by doc_id, start, end, technique.

    >>> import io
    >>> f = io.StringIO("000\\tLoaded_Language\\t4\\t6\\n")
    >>> read_spans(f, texts={"000": "侵攻は、暴挙だ。"})
      doc_id        technique  start  end
    0    000  Loaded_Language      4    6
    >>> bad = io.StringIO("000\\tLoaded_Language\\t3\\t6\\n")
    >>> read_spans(bad, texts={"000": "侵攻は、暴挙だ。"})
    Traceback (most recent call last):
    ...
    utils.persuasion.spans.SpanError: <buffer>, line 1: span 000 3-6 '、暴挙' starts on '、' ...
    """
    if not isinstance(allow_empty, (bool, np.bool_)):
        raise TypeError(f"allow_empty must be True or False, got {allow_empty!r}")
    name = _source_name(path_or_buffer)
    content = _read_text(path_or_buffer, name)
    known = texts_mapping(texts)
    # a BOM opens each file; two files joined (cat a.tsv b.tsv) hold one inside: drop both
    lines = [line.removeprefix("\ufeff") for line in content.split("\n")]
    while lines and not lines[-1].strip():  # trailing blank lines are harmless
        lines.pop()
    if not lines:
        if allow_empty:
            return span_frame([])
        raise SpanError(name, None, f"the file is empty; expected one span per line: {_FORMAT}"
                        ", or pass allow_empty=True to read an empty file as a table with no "
                        "spans (as write_spans writes one)")
    records: list[tuple[str, str, int, int]] = []
    seen: dict[tuple[str, str, int, int], int] = {}
    for number, line in enumerate(lines, start=1):
        line = line.removesuffix("\r")
        fields = line.split("\t")
        if number == 1 and [f.strip() for f in fields[:4]] == list(SPAN_COLUMNS):
            raise SpanError(name, number, f"looks like a header ({line!r}); span files have "
                            "no header line, every line is a span")
        if len(fields) != 4:
            hint = ""
            if len(fields) < 4 and (" " in line or "\u3000" in line):
                hint = " (are the fields separated by spaces instead of tabs?)"
            if not line.strip():
                raise SpanError(name, number, f"empty line; every line must be a span: {_FORMAT}")
            raise SpanError(name, number, f"expected 4 tab-separated fields (doc_id, technique, "
                            f"start, end), found {len(fields)}: {line!r}{hint}")
        doc_id, technique, start_field, end_field = fields
        offsets = []
        for field_name, value in (("start", start_field), ("end", end_field)):
            if not _DIGITS.fullmatch(value):
                raise SpanError(name, number, f"{field_name} must be a non-negative integer "
                                f"(a character offset), found {value!r}")
            too_large = offset_problem(field_name, value)
            if too_large:
                raise SpanError(name, number, too_large)
            offsets.append(int(value))
        start, end = offsets
        reason = check_offsets(doc_id, technique, start, end, known)
        if reason:
            raise SpanError(name, number, reason)
        key = (doc_id, technique, start, end)
        if key in seen:
            raise SpanError(name, number, f"duplicate of line {seen[key]} "
                            f"({doc_id} {technique} {start}-{end})")
        seen[key] = number
        records.append(key)
    return span_frame(records)


def write_spans(spans: pd.DataFrame, path) -> None:
    """Write a span table as a PTC file: headerless, tab-separated, sorted, UTF-8, LF.

    The table is checked first (labels, integer offsets, ``start < end``; texts are not
    consulted, use :func:`validate_spans` for that). Extra columns are dropped. ``path``
    is a file path or a text buffer (a binary buffer gets UTF-8 bytes).

    >>> import io
    >>> spans = pd.DataFrame({"doc_id": ["001", "000"], "technique": ["Doubt", "Loaded_Language"],
    ...                       "start": [12, 0], "end": [20, 2]})
    >>> buffer = io.StringIO()
    >>> write_spans(spans, buffer)  # 「絶望」 at 0-2 of doc 000 comes first
    >>> print(buffer.getvalue(), end="")
    000	Loaded_Language	0	2
    001	Doubt	12	20
    """
    check_target(path, "path", "write")
    clean = check_span_table(spans, {}, source="spans")
    lines = "".join(f"{d}\t{t}\t{s}\t{e}\n" for d, t, s, e in
                    zip(clean["doc_id"], clean["technique"], clean["start"], clean["end"]))
    if isinstance(path, (str, os.PathLike)):
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(lines)
    elif isinstance(path, (io.RawIOBase, io.BufferedIOBase)):   # a binary buffer: UTF-8
        path.write(lines.encode("utf-8"))
    else:
        path.write(lines)
