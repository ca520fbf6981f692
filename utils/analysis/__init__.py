"""Analyse Japanese text: the tools students use in the lessons.

Corpus loading and normalisation, tokenization (形態素解析), frequency lists, KWIC,
collocations (共起), keyness (特徴語), similarity, co-occurrence networks,
correspondence analysis, coding rules, profiles and figures with Japanese labels.

Their public names are re-exported by ``utils``; docs/design.md maps the modules.
"""

from .. import use_python_strings

use_python_strings()  # pandas keeps strings as Python objects, with or without pyarrow
