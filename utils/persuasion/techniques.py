"""The persuasion-technique taxonomy of SemEval-2023 Task 3, as data (説得技法の分類).

23 techniques in 6 categories, with the official label strings, so that files made in
this kit can be read by the research scorers. The definitions in
``utils/data/techniques.csv`` are short paraphrases written for this kit, each with a
Japanese name and definition (``label_ja``, ``definition_ja``: established Japanese terms
such as 藁人形論法 or 誤った二分法 where they exist) for reading and teaching; files of
spans always use the English labels. The full
annotation guidelines are in Piskorski et al. (2023), *SemEval-2023 Task 3: Detecting
the Category, the Framing, and the Persuasion Techniques in Online News in a
Multi-lingual Setup*, Proceedings of SemEval-2023, pp. 2343-2361.

Each category has one fixed colour (Okabe & Ito's colour-blind-safe palette) used by
plots and by :func:`utils.persuasion.highlight.highlight`.
"""
from __future__ import annotations

import csv
import difflib
from functools import lru_cache

import pandas as pd

from ..paths import DATA_DIR

__all__ = ["CATEGORIES", "CATEGORY_COLORS", "TECHNIQUE_LABELS", "TECHNIQUES_CSV",
           "category_of", "color_of", "techniques"]

#: The data file behind :func:`techniques`.
TECHNIQUES_CSV = DATA_DIR / "techniques.csv"

# Its columns: the official label, its category, an English definition, and a Japanese
# name and definition.
_COLUMNS: tuple[str, ...] = ("label", "category", "definition", "label_ja", "definition_ja")

#: The six categories, in the order of the SemEval-2023 Task 3 guidelines.
CATEGORIES: tuple[str, ...] = ("Attack on reputation", "Justification", "Simplification",
                               "Distraction", "Call", "Manipulative wording")

#: One colour per category (Okabe-Ito palette, readable by colour-blind viewers).
CATEGORY_COLORS: dict[str, str] = {
    "Attack on reputation": "#D55E00",   # vermillion
    "Justification": "#0072B2",          # blue
    "Simplification": "#009E73",         # bluish green
    "Distraction": "#CC79A7",            # reddish purple
    "Call": "#E69F00",                   # orange
    "Manipulative wording": "#56B4E9",   # sky blue
}


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[str, ...], ...]:
    with open(TECHNIQUES_CSV, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        if header != list(_COLUMNS):
            raise ValueError(f"{TECHNIQUES_CSV.name}: header must be {','.join(_COLUMNS)}, "
                             f"found {','.join(header)}")
        rows = tuple(tuple(row) for row in reader if row)
    for number, row in enumerate(rows, start=2):
        if len(row) != len(_COLUMNS) or row[1] not in CATEGORIES or not all(row[2:]):
            raise ValueError(f"{TECHNIQUES_CSV.name}, line {number}: malformed row {row!r}; "
                             f"expected label, one of {list(CATEGORIES)}, a definition, "
                             f"a Japanese name and a Japanese definition")
    return rows


#: The 23 official technique labels, in taxonomy order.
TECHNIQUE_LABELS: tuple[str, ...] = tuple(row[0] for row in _rows())

CATEGORY_OF: dict[str, str] = {row[0]: row[1] for row in _rows()}


def unknown_label_message(label) -> str:
    close = difflib.get_close_matches(str(label), TECHNIQUE_LABELS, n=1, cutoff=0.6)
    if isinstance(label, str) and label.strip() in CATEGORY_OF:
        hint = f"; remove the spaces around it: {label.strip()!r}"
    elif isinstance(label, str) and label in CATEGORIES:
        hint = (f"; {label!r} is a category, not a technique (its techniques: "
                f"{', '.join(t for t, c in CATEGORY_OF.items() if c == label)})")
    elif close:
        hint = f"; did you mean {close[0]!r}? (all 23 labels: utils.techniques().label)"
    else:
        hint = f"; valid labels are: {', '.join(TECHNIQUE_LABELS)}"
    return f"unknown technique {label!r}{hint}"


def techniques() -> pd.DataFrame:
    """Return the taxonomy: one row per technique with its category and a definition.

    Columns ``label, category, definition, label_ja, definition_ja``: the Japanese name
    and definition (日本語名・定義) stand beside the English ones, for tables and teaching.
    Rows are in the order of the SemEval-2023 Task 3 guidelines (Piskorski et al. 2023);
    the frame is a fresh copy, so changing it changes nothing else.

    >>> table = techniques()
    >>> len(table), table.category.nunique()
    (23, 6)
    >>> table.loc[table.label == "Loaded_Language", "category"].item()  # 「暴挙」「絶望」
    'Manipulative wording'
    >>> table.set_index("label").loc["Straw_Man", "label_ja"]
    '藁人形論法'
    """
    return pd.DataFrame(list(_rows()), columns=list(_COLUMNS))


def category_of(label: str) -> str:
    """Look up the category of one technique label.

    Labels must be spelled exactly as in SemEval-2023 Task 3; a near miss raises a
    ``ValueError`` that suggests the right spelling.

    >>> category_of("Name_Calling-Labeling")  # 「ネオナチ」「傀儡」
    'Attack on reputation'
    >>> category_of("Name_Calling")
    Traceback (most recent call last):
    ...
    ValueError: unknown technique 'Name_Calling'; did you mean 'Name_Calling-Labeling'? ...
    """
    try:
        return CATEGORY_OF[label]
    except (KeyError, TypeError):
        raise ValueError(unknown_label_message(label)) from None


def color_of(name: str) -> str:
    """Give the fixed colour of a category, or of the category of a technique label.

    >>> color_of("Appeal_to_Fear-Prejudice")  # 「核戦争」「第三次世界大戦」
    '#0072B2'
    >>> color_of("Justification")
    '#0072B2'
    """
    if isinstance(name, str) and name in CATEGORY_COLORS:
        return CATEGORY_COLORS[name]
    if isinstance(name, str) and name in CATEGORY_OF:
        return CATEGORY_COLORS[CATEGORY_OF[name]]
    raise ValueError(f"{name!r:.60} is neither a category ({', '.join(CATEGORIES)}) nor a "
                     f"technique label (utils.techniques().label)")
