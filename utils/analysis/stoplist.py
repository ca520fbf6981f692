"""Filter function words out of a token table: by part of speech and by a curated list.

The list, ``utils/data/stopwords.txt``, holds UniDic lemmas that pass a part-of-speech
filter but carry little content in news prose; the file says where it comes from.
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from ._tagcheck import check_stop_options

__all__ = ["DEFAULT_STOP_POS", "stopwords", "remove_stopwords"]

#: Parts of speech (``pos1``) that :func:`remove_stopwords` drops by default.
DEFAULT_STOP_POS = ("助詞", "助動詞", "補助記号", "記号", "空白")


@lru_cache(maxsize=1)
def _stopword_list() -> frozenset:
    raw = resources.files("utils").joinpath("data/stopwords.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in raw.splitlines() if w.strip() and not w.startswith("#"))


def stopwords() -> list[str]:
    """Return the kit's short curated stopword list (``utils/data/stopwords.txt``), sorted.

    They are words that survive a part-of-speech filter but carry little content in news
    prose (為る, 有る, 事, 此れ …), written as UniDic lemmas and in kana; the file says
    where the list comes from.

    >>> "事" in stopwords(), "停戦" in stopwords()
    (True, False)
    """
    return sorted(_stopword_list())


def remove_stopwords(tokens: pd.DataFrame, *, pos: Iterable[str] | None = DEFAULT_STOP_POS,
                     words: bool | Iterable[str] = True, by: str = "lemma") -> pd.DataFrame:
    """Drop function words: tokens whose ``pos1`` is in ``pos`` and lemmas in the stopword list.

    ``words=True`` uses :func:`stopwords`; pass your own iterable to replace it, or
    ``False`` (or None) to filter by part of speech only; ``pos=None`` keeps every part
    of speech. A single str is refused for either (``["助詞"]``, not ``"助詞"``).

    >>> from utils.analysis.tokens import tokenize
    >>> t = tokenize("ロシアは停戦することを拒んだ。")
    >>> remove_stopwords(t).lemma.tolist()
    ['ロシア', '停戦', '拒む']
    """
    check_stop_options(tokens, pos, words, by)
    keep = np.ones(len(tokens), dtype=bool)
    if pos:
        keep &= ~tokens["pos1"].isin(list(pos)).to_numpy()
    if words is True:
        words = _stopword_list()
    if words:
        keep &= ~tokens[by].isin(list(words)).to_numpy()
    return tokens[keep].reset_index(drop=True)
