"""Name the folders the kit lives in, wherever it is installed or copied.

Every module that needs a path of the kit takes it from here, so moving a module within
the package never changes where it looks.
"""
from __future__ import annotations

from pathlib import Path

__all__ = ["PACKAGE_DIR", "DATA_DIR", "KIT_ROOT"]

#: The ``utils`` package folder.
PACKAGE_DIR = Path(__file__).resolve().parent
#: Data files shipped with the package (cue lexicon, taxonomy, stopwords, page chrome).
DATA_DIR = PACKAGE_DIR / "data"
#: The kit's top folder (the one holding ``utils/``, ``corpus/``, ``solutions/``, ``lessons/``).
KIT_ROOT = PACKAGE_DIR.parent
