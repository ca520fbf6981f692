"""Refuse text that MeCab cannot read, naming the document and the offset.

MeCab reads UTF-8 C strings: a lone surrogate (what a ``surrogateescape`` read leaves for
each byte it could not decode) cannot be encoded at all, and a NUL character ends the
string, so everything after it would be silently lost.
"""
from __future__ import annotations

import re

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
