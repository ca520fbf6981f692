"""Helpers for the Japanese media text analysis course kit.

Every public name is importable from ``utils`` directly::

    >>> import utils
    >>> corpus = utils.load_corpus()
    >>> sorted(corpus.doc_id)
    ['000', '001', '002', '003', '004']

Names are loaded lazily (PEP 562), so ``import utils`` stays fast and a lesson
pays only for the modules it uses.
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> submodule that defines it
_EXPORTS: dict[str, str] = {
    # corpus
    "load_corpus": "corpus",
    "load_texts": "corpus",
    "CorpusError": "corpus",
    "CORPUS_DIR": "corpus",
    # text
    "normalize": "text",
    "normalize_with_offsets": "text",
    "split_sentences": "text",
    "clean": "text",
    "Cleaned": "text",
    # tokens
    "tokenize": "tokens",
    "dictionary_info": "tokens",
    "stopwords": "tokens",
    "remove_stopwords": "tokens",
    "TOKEN_COLUMNS": "tokens",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'utils' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
