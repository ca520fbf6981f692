"""Check what :mod:`utils.analysis.tokens` is given: text MeCab can read, options of the right kind.

Text that MeCab cannot read is refused, naming the document and the offset:
MeCab reads UTF-8 C strings: a lone surrogate (what a ``surrogateescape`` read leaves for
each byte it could not decode) cannot be encoded at all, and a NUL character ends the
string, so everything after it would be silently lost.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

_UNTAGGABLE = re.compile("[\x00\ud800-\udfff]")


def check_taggable(docs: list[tuple[str, str]]) -> None:
    """Raise ValueError for the first document holding a lone surrogate or a NUL.

    >>> check_taggable([("a", "停戦\\udce2")])
    Traceback (most recent call last):
    ...
    ValueError: document 'a' holds a lone surrogate (U+DCE2) at offset 2, which no tagger can read; it usually comes from a file read with errors='surrogateescape': read it with utils.read_text_file (and the right encoding=), or remove the character
    """
    for doc_id, text in docs:
        m = _UNTAGGABLE.search(text)
        if m is None:
            continue
        c = m.group()
        if c == "\x00":
            raise ValueError(f"document {doc_id!r} holds a NUL character (U+0000) at offset "
                             f"{m.start()}; the tagger would stop reading there. Remove it "
                             "(NUL bytes mean a binary or UTF-16 file: read it with "
                             "utils.read_text_file)")
        raise ValueError(f"document {doc_id!r} holds a lone surrogate (U+{ord(c):04X}) at "
                         f"offset {m.start()}, which no tagger can read; it usually comes from "
                         "a file read with errors='surrogateescape': read it with "
                         "utils.read_text_file (and the right encoding=), or remove the "
                         "character")


def check_bool(name: str, value) -> bool:
    """Return ``value`` as a bool if it is True or False (numpy's too), else raise TypeError."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_stop_options(tokens, pos, words, by) -> None:
    """Check the arguments of :func:`utils.remove_stopwords`, naming what is wrong."""
    if not isinstance(tokens, pd.DataFrame):
        raise TypeError(f"remove_stopwords expects a token table (a DataFrame from "
                        f"utils.tokenize), got {type(tokens).__name__}")
    if not isinstance(by, str):
        raise TypeError(f"by must be a column name such as 'lemma' or 'surface', got {by!r}")
    for name, value in (("pos", pos), ("words", words)):
        if isinstance(value, str):
            raise TypeError(f"{name} must be a list of str, not a single str; did you mean "
                            f"[{value!r}]?")
        if value is None or isinstance(value, (bool, np.bool_)) and name == "words":
            continue
        if not isinstance(value, Iterable) or isinstance(value, (bytes, pd.DataFrame)):
            raise TypeError(f"{name} must be a list of str{' (or True/False)' * (name == 'words')}"
                            f" or None, got {value!r:.60}")
    missing = [c for c in dict.fromkeys(("pos1", by)) if c not in tokens.columns]
    if missing:
        raise ValueError(f"remove_stopwords needs a token table with columns {missing}; "
                         f"it has {list(tokens.columns)}")
    twice = [c for c in dict.fromkeys(("pos1", by)) if list(tokens.columns).count(c) > 1]
    if twice:
        raise ValueError(f"the token table has more than one column named {twice}; keep one")
