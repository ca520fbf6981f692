"""Find candidate persuasion techniques with a lexicon of Japanese cue phrases (手がかり語).

A deliberately simple baseline: every cue of ``utils/data/cues.tsv`` (columns
``technique, cue, kind, source, note``; ``kind`` is ``literal`` for an exact string or
``regex`` for a Python regular expression) is searched in every text, and every match
becomes a span of the cue's technique. It is meant to be scored against human annotation and to
be wrong in instructive ways: a cue word is not a technique (「侵略」 in a news report,
「によると」 before a wire agency), and techniques without a typical wording (Repetition,
Straw_Man, Red_Herring, most Whataboutism) are mostly missed.

Matches are trimmed so that no span starts or ends on white space or punctuation, and
overlapping matches of the same technique in one text are merged into one span, so the
output is a valid span table (see :mod:`utils.persuasion.spans`).

Where the cues come from (``source``). The cue list was written in one commit together
with the gold annotation of the five corpus texts, by the author of both, so a detector
scored on those texts is partly scored on the text it was written from. ``source`` names
the corpus text (its doc_id) a cue was written from, or is empty for a cue from general
Japanese usage. It was reconstructed after the fact (December 2026, by the engineer
working on issue 15, from the cues, their notes and their matches on the corpus; the
original author left no record), by this criterion:

1. the cue matches in text X and in no other corpus text (checked by
   ``tests/persuasion/test_detect.py``), and
2. its fixed wording copies X's beyond a dictionary word or a grammatical frame: a
   phrase or collocation of X (ネオ・ナチ傘下, 約束を反故, 国家安全保障上の利益),
   a compound or idiom as X writes it (タヌキ親父, キエフ政権, オールドメディア), or a form
   made to catch X's wording (我が + United States across 003's line break, the
   spoken 〜からなんです of 000's interview, AかBかの岐路).

A single dictionary word (絶望, 茶番, 傀儡, 核兵器) or a frame with open slots (〜によると,
〜しかない, N人も) is general even when only one corpus text happens to use it; where one
regex mixed general words with X's wording, it was split into two rows that match the
same strings together. ``utils/data/CUES.md`` lists every cue with the texts it matches
and the gold spans it hits.
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache

import numpy as np
import pandas as pd

from ..analysis.corpus import CORPUS_DIR
from .spans import span_frame, texts_mapping, trim_span
from .techniques import CATEGORY_OF, unknown_label_message

from ..paths import DATA_DIR

__all__ = ["CUES_TSV", "cue_lexicon", "detect", "detect_held_out"]

#: The bundled cue lexicon (tab-separated, UTF-8, with a header line).
CUES_TSV = DATA_DIR / "cues.tsv"

_LEXICON_COLUMNS = ["technique", "cue", "kind", "source", "note"]
_KINDS = ("literal", "regex")


def _compile(technique, cue, kind, *, where: str) -> re.Pattern:
    if technique not in CATEGORY_OF:
        raise ValueError(f"{where}: {unknown_label_message(technique)}")
    if not isinstance(cue, str) or not cue:
        raise ValueError(f"{where}: cue must be a non-empty str, found {cue!r}")
    if kind == "literal":
        start, end = trim_span(cue, 0, len(cue))
        if (start, end) != (0, len(cue)):
            raise ValueError(f"{where}: literal cue {cue!r} starts or ends on white space or "
                             f"punctuation; write it as {cue[start:end]!r}")
        return re.compile(re.escape(cue))
    if kind != "regex":
        raise ValueError(f"{where}: kind {kind!r} is not valid; use 'literal' or 'regex'")
    try:
        pattern = re.compile(cue, re.MULTILINE)
    except re.error as err:
        raise ValueError(f"{where}: regex cue {cue!r} does not compile ({err})") from None
    if pattern.fullmatch(""):
        raise ValueError(f"{where}: regex cue {cue!r} matches the empty string; make every "
                         "part of it required")
    return pattern


def _corpus_doc_ids() -> set[str]:
    """Return the doc_ids of the bundled corpus: the stems of ``corpus/texts/*.txt``."""
    return {path.stem for path in (CORPUS_DIR / "texts").glob("*.txt")}


@lru_cache(maxsize=1)
def _bundled() -> tuple[tuple[str, str, str, str, str], ...]:
    with open(CUES_TSV, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or rows[0] != _LEXICON_COLUMNS:
        raise ValueError(f"{CUES_TSV.name}, line 1: header must be "
                         f"{chr(9).join(_LEXICON_COLUMNS)}")
    seen = {}
    doc_ids = _corpus_doc_ids()
    for number, row in enumerate(rows[1:], start=2):
        where = f"{CUES_TSV.name}, line {number}"
        if len(row) != len(_LEXICON_COLUMNS):
            raise ValueError(f"{where}: expected {len(_LEXICON_COLUMNS)} tab-separated "
                             f"fields, found {len(row)}")
        _compile(*row[:3], where=where)
        if row[3] and row[3] not in doc_ids:
            raise ValueError(f"{where}: source {row[3]!r} is not a corpus doc_id; write one "
                             f"of {sorted(doc_ids)}, or leave it empty for a cue from general "
                             "usage")
        if tuple(row[:2]) in seen:
            raise ValueError(f"{where}: duplicate of line {seen[tuple(row[:2])]}")
        seen[tuple(row[:2])] = number
    return tuple(tuple(row) for row in rows[1:])


def cue_lexicon() -> pd.DataFrame:
    """Return the bundled cue lexicon: one row per cue with its technique, source and note.

    ``kind`` says whether ``cue`` is a ``literal`` string or a Python ``regex``;
    ``source`` is the doc_id of the corpus text the cue was written from, or ``""`` for
    a cue from general usage (see the module docstring for how it was decided). Extend
    the table with ``pd.concat`` and pass the result to :func:`detect` as ``lexicon=``.

    >>> lexicon = cue_lexicon()
    >>> list(lexicon.columns)
    ['technique', 'cue', 'kind', 'source', 'note']
    >>> lexicon.loc[lexicon.cue == "暴挙", ["technique", "source"]].values.tolist()
    [['Loaded_Language', '']]
    >>> lexicon.loc[lexicon.cue == "キエフ政権", "source"].item()
    '002'
    """
    return pd.DataFrame(list(_bundled()), columns=_LEXICON_COLUMNS)


def _patterns(lexicon) -> list[tuple[str, str, re.Pattern]]:
    if lexicon is None:
        lexicon = cue_lexicon()
    if not isinstance(lexicon, pd.DataFrame):
        raise TypeError(f"lexicon must be a DataFrame with columns technique, cue, kind "
                        f"(like utils.cue_lexicon()), got {type(lexicon).__name__}")
    missing = [c for c in ("technique", "cue", "kind") if c not in lexicon.columns]
    if missing:
        raise ValueError(f"lexicon lacks the column(s) {missing}; it needs technique, cue and "
                         f"kind ('literal' or 'regex'), like utils.cue_lexicon()")
    return [(technique, cue, _compile(technique, cue, kind, where=f"lexicon, row {row}"))
            for row, technique, cue, kind in zip(lexicon.index, lexicon["technique"],
                                                 lexicon["cue"], lexicon["kind"])]


def detect(texts, *, lexicon: pd.DataFrame | None = None, explain: bool = False) -> pd.DataFrame:
    """Mark every cue-phrase match in the texts as a span of the cue's technique.

    ``texts`` is the table of ``utils.load_corpus()`` or a dict ``{doc_id: text}``
    (``None`` means the bundled corpus);
    ``lexicon`` defaults to :func:`cue_lexicon` (a cue listed twice matches once, as
    overlapping matches merge). Matches are trimmed of white space and
    punctuation at both ends, and overlapping matches of one technique in one text are
    merged. Returns a span table ``doc_id, technique, start, end`` sorted by doc_id,
    start, end, technique, ready for :func:`utils.persuasion.scoring.score`; ``explain=True`` adds
    the matched ``text`` and the ``cue`` (several joined by ``" | "``) for reading.

    >>> detect({"d1": "キエフ政権の暴挙だ。"}, explain=True)
      doc_id              technique  start  end   text    cue
    0     d1  Name_Calling-Labeling      0    5  キエフ政権  キエフ政権
    1     d1        Loaded_Language      6    8     暴挙     暴挙
    """
    if isinstance(texts, str):
        raise TypeError("texts must be a dict {doc_id: text} or the utils.load_corpus() "
                        "table, not a single str; wrap it: detect({'mine': text})")
    if not isinstance(explain, (bool, np.bool_)):
        raise TypeError(f"explain must be True or False, got {explain!r}")
    mapping = texts_mapping(texts)
    patterns = _patterns(lexicon)
    found: dict[tuple[str, str], list[list]] = {}
    for doc_id in sorted(mapping):
        text = mapping[doc_id]
        for technique, cue, pattern in patterns:
            for match in pattern.finditer(text):
                start, end = trim_span(text, match.start(), match.end())
                if start < end:
                    found.setdefault((doc_id, technique), []).append([start, end, {cue}])
    records, cues_of = [], {}
    for (doc_id, technique), matches in found.items():
        merged: list[list] = []
        for start, end, cues in sorted(matches, key=lambda m: (m[0], m[1])):
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
                merged[-1][2] |= cues
            else:
                merged.append([start, end, set(cues)])
        for start, end, cues in merged:
            key = (doc_id, technique, start, end)
            records.append(key)
            cues_of[key] = " | ".join(sorted(cues))
    spans = span_frame(records)
    if explain:
        keys = list(zip(spans["doc_id"], spans["technique"], spans["start"], spans["end"]))
        spans["text"] = pd.Series([mapping[d][s:e] for d, _, s, e in keys], dtype="str")
        spans["cue"] = pd.Series([cues_of[k] for k in keys], dtype="str")
    return spans


def _sources(lexicon: pd.DataFrame) -> pd.Series:
    if "source" not in lexicon.columns:
        raise ValueError("lexicon lacks the column 'source'; held-out detection needs, for "
                         "every cue, the doc_id of the text it was written from, or '' for a "
                         "cue from general usage (see utils.cue_lexicon())")
    sources = []
    for row, value in zip(lexicon.index, lexicon["source"]):
        if value is None or (isinstance(value, float) and np.isnan(value)):
            value = ""
        if not isinstance(value, str):
            raise TypeError(f"lexicon, row {row}: source must be a doc_id (str) or '', "
                            f"found {value!r} ({type(value).__name__})")
        sources.append(value)
    return pd.Series(sources, index=lexicon.index, dtype="object")


def detect_held_out(texts, *, lexicon: pd.DataFrame | None = None,
                    explain: bool = False) -> pd.DataFrame:
    """Mark cue matches in each text using only the cues that were not written from it.

    The same as :func:`detect`, except that a text is searched without the cues whose
    ``source`` is its own doc_id (leave-one-text-out over sources), so a cue list written
    while reading the corpus can be scored on text it was not written from. A cue with an
    empty (or missing, NaN) ``source`` is used everywhere. ``lexicon`` defaults to
    :func:`cue_lexicon` and must have a ``source`` column; a source that names no text of
    ``texts`` simply never excludes its cue. The result is a span table like
    :func:`detect`'s, ready for :func:`utils.persuasion.scoring.score` against the gold.

    >>> lexicon = pd.DataFrame({"technique": ["Loaded_Language", "Name_Calling-Labeling"],
    ...                         "cue": ["暴挙", "キエフ政権"], "kind": ["literal", "literal"],
    ...                         "source": ["", "a"]})
    >>> detect_held_out({"a": "キエフ政権の暴挙", "b": "キエフ政権"}, lexicon=lexicon)
      doc_id              technique  start  end
    0      a        Loaded_Language      6    8
    1      b  Name_Calling-Labeling      0    5
    """
    if isinstance(texts, str):
        raise TypeError("texts must be a dict {doc_id: text} or the utils.load_corpus() "
                        "table, not a single str; wrap it: detect_held_out({'mine': text})")
    if lexicon is None:
        lexicon = cue_lexicon()
    if not isinstance(lexicon, pd.DataFrame):
        raise TypeError(f"lexicon must be a DataFrame with columns technique, cue, kind, "
                        f"source (like utils.cue_lexicon()), got {type(lexicon).__name__}")
    _patterns(lexicon)         # every row is checked, also those no text will use
    sources = _sources(lexicon)
    mapping = texts_mapping(texts)
    parts = [detect({doc_id: mapping[doc_id]}, lexicon=lexicon[sources != doc_id],
                    explain=explain) for doc_id in sorted(mapping)]
    found = [part for part in parts if len(part)]
    if not found:              # keep the columns and dtypes of an empty span table
        return detect({}, lexicon=lexicon, explain=explain)
    return pd.concat(found, ignore_index=True)
