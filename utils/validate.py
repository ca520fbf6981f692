"""Check the arguments and tables the analysis functions take; say what is wrong and what
would be valid.

Every counting function (``frequencies``, ``kwic``, ``collocations``, ``keyness``,
``similarity``, ``cooccurrence_network``, the plots) takes a token table as made by
:func:`utils.tokenize` but needs only the columns it names, so any DataFrame with those
columns works too. These checks are shared by all of them, so that the same mistake gets
the same message everywhere.
"""
from __future__ import annotations

import numbers
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

# The functions here are the package's shared checks, not part of ``utils``' API.
__all__: list[str] = []

#: The first-level part-of-speech names of UniDic (``pos1``), the valid values of ``pos=``
#: (values that occur in the table's own ``pos1`` column are accepted as well).
UNIDIC_POS1 = ("名詞", "代名詞", "形状詞", "連体詞", "副詞", "接続詞", "感動詞", "動詞",
               "形容詞", "助動詞", "助詞", "接頭辞", "接尾辞", "記号", "補助記号", "空白")

def check_frame(table, name: str = "tokens",
                 what: str = "a token table from utils.tokenize") -> pd.DataFrame:
    """Check that ``table`` is a DataFrame whose columns can be named one by one."""
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame ({what}), "
                        f"got {type(table).__name__}")
    if isinstance(table.columns, pd.MultiIndex):
        raise ValueError(f"{name} has MultiIndex columns such as {table.columns[0]!r}; "
                         f"flatten them first, e.g. {name}.columns = "
                         f"['_'.join(map(str, c)) for c in {name}.columns]")
    if table.columns.has_duplicates:
        dup = [str(c) for c in table.columns[table.columns.duplicated()].unique()]
        raise ValueError(f"{name} has several columns named {dup}; each column must appear "
                         f"once, e.g. {name}.loc[:, ~{name}.columns.duplicated()]")
    return table


def check_column_name(value, param: str, table: pd.DataFrame, name: str = "tokens") -> str:
    """Check that ``value`` (the option ``param``) names a column of ``table``."""
    if not isinstance(value, str):
        raise TypeError(
            f"{param} must be a column name (str) such as 'lemma' or 'surface', "
            f"got {value!r} ({type(value).__name__})"
        )
    if value not in table.columns:
        raise ValueError(
            f"{param}={value!r} is not a column of {name}; valid columns: "
            f"{[str(c) for c in table.columns]}"
        )
    return value


def require_columns(table: pd.DataFrame, needed: Iterable[str], name: str = "tokens",
                     why: str = "") -> None:
    needed = list(dict.fromkeys(needed))
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise ValueError(
            f"{name} is missing the column(s) {missing}{why}; expected at least {needed} "
            f"(a token table from utils.tokenize has them); it has "
            f"{[str(c) for c in table.columns]}"
        )


def value_kind(value) -> str:
    if isinstance(value, str):
        return "str"
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    return "number" if isinstance(value, numbers.Number) else type(value).__name__


def check_values(table: pd.DataFrame, columns: Iterable[str], name: str = "tokens") -> None:
    """Check that ``columns`` have no missing value and hold one kind of value each.

    A column mixing str with numbers (``1`` and ``'001'``, e.g. from concatenating a
    table read back from CSV) cannot be sorted, and ``1`` and ``'1'`` would silently
    count as two values, so it is refused with the fix (``astype(str)``, as
    :func:`utils.tokenize` makes every doc_id a str); so are lists, tuples and the like.
    """
    for column in dict.fromkeys(columns):
        values = table[column]
        isna = values.isna().to_numpy()
        if isna.any():
            first = table.index[int(np.argmax(isna))]
            raise ValueError(
                f"column {column!r} of {name} has {int(isna.sum())} missing value(s) "
                f"(None/NaN), the first at index {first!r}; drop or fill them, e.g. "
                f"{name}.dropna(subset=[{column!r}])"
            )
        if values.dtype != object or pd.api.types.infer_dtype(values, skipna=True) not in (
                "mixed", "mixed-integer"):
            continue
        kinds = values.map(value_kind).to_numpy()
        fix = (f"make them one kind, e.g. {name}[{column!r}] = {name}[{column!r}].astype(str)"
               + (" (utils.tokenize makes doc_id a str such as '000')"
                  if column == "doc_id" else ""))
        other = kinds != kinds[0]
        if other.any():
            at = int(np.argmax(other))
            raise ValueError(
                f"column {column!r} of {name} mixes {kinds[0]} and {kinds[at]} values "
                f"({values.iloc[0]!r} at index {table.index[0]!r}, {values.iloc[at]!r} at "
                f"index {table.index[at]!r}), which cannot be compared or sorted; {fix}"
            )
        if kinds[0] not in ("str", "number", "bool"):
            raise ValueError(
                f"column {column!r} of {name} holds {kinds[0]} values such as "
                f"{values.iloc[0]!r}; it must hold str (or numbers); {fix}"
            )


def whole_numbers(table: pd.DataFrame, column: str, name: str = "tokens") -> np.ndarray:
    """Return ``column`` (token_id, start, end ...) as numbers to order by, never as text.

    A numeric column of whole numbers is returned as is; a column of integer strings (a
    table read back with ``pd.read_csv(dtype=str)``) is converted to int64, so ``'10'``
    sorts after ``'9'``; anything else (``'x'``, ``1.5``, ``inf``, ``True``) is refused.
    Call :func:`check_values` first.
    """
    values = table[column]
    is_bool = (pd.api.types.is_bool_dtype(values)
               or pd.api.types.infer_dtype(values, skipna=True) == "boolean")
    numeric = pd.api.types.is_numeric_dtype(values) and not is_bool
    converted = values if numeric else pd.to_numeric(values, errors="coerce")
    as_float = converted.to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(as_float) | (as_float % 1 != 0) | (np.abs(as_float) >= 2.0 ** 63)
    if is_bool:
        bad[:] = True
    if bad.any():
        at = int(np.argmax(bad))
        raise ValueError(
            f"column {column!r} of {name} must hold whole numbers (it orders the tokens), "
            f"but has {plain([values.iloc[at]])[0]!r} at index {table.index[at]!r}; use the "
            f"{column} values utils.tokenize made, e.g. {name}[{column!r}] = "
            f"pd.to_numeric({name}[{column!r}])"
        )
    return values.to_numpy() if numeric else as_float.astype(np.int64)


def check_counts(positive: Iterable[str] = (), **values) -> list[np.ndarray]:
    """Return each keyword argument as a float array of counts (finite numbers >= 0;
    those named in ``positive`` > 0), refusing bools, text, None, NaN and infinity."""
    out = []
    for param, value in values.items():
        array = np.asarray(value)
        if array.dtype == object and all(isinstance(v, numbers.Real) and not isinstance(
                v, (bool, np.bool_)) for v in array.flat):
            array = array.astype(float)
        floor = "> 0" if param in positive else ">= 0"
        if array.dtype.kind not in "iuf":
            raise TypeError(f"{param} must be a count (a number {floor}) or an array of "
                            f"counts, got {value!r}")
        array = array.astype(float)
        bad = ~np.isfinite(array) | ((array <= 0) if param in positive else (array < 0))
        if bad.any():
            raise ValueError(f"{param} must be a finite number {floor}, got "
                             f"{array.flat[int(np.argmax(bad.flat))].item()!r}")
        out.append(array)
    return out


def check_int(value, param: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{param} must be an integer >= {minimum}, got {value!r} "
                        f"({type(value).__name__})")
    if value < minimum:
        raise ValueError(f"{param} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def check_bool(value, param: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{param} must be True or False, got {value!r}")
    return bool(value)


def check_choice(value, param: str, choices: Iterable[str]) -> str:
    choices = list(choices)
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{param} must be one of {choices}, got {value!r}")
    return value


def check_pos(pos, table: pd.DataFrame) -> frozenset | None:
    """Return ``pos`` as a set of ``pos1`` values (a single str counts as one value)."""
    if pos is None:
        return None
    if isinstance(pos, str):
        values = [pos]
    elif isinstance(pos, Iterable):
        values = list(pos)
    else:
        raise TypeError(f"pos must be a list of pos1 values such as ['名詞', '動詞'], "
                        f"got {pos!r}")
    if not values:
        raise ValueError("pos is empty; pass pos1 values such as ['名詞'], or pos=None "
                         "to keep every part of speech")
    known = set(UNIDIC_POS1) | set(table["pos1"].dropna().unique())
    for value in values:
        if not isinstance(value, str) or value not in known:
            raise ValueError(
                f"pos contains {value!r}, which is not a pos1 value; valid: "
                f"{sorted(known, key=lambda v: (v not in UNIDIC_POS1, str(v)))}"
            )
    return frozenset(values)


def plain(values) -> tuple:
    """A tuple of plain Python values (for readable error messages)."""
    return tuple(v.item() if isinstance(v, np.generic) else v for v in values)


def token_keys(table: pd.DataFrame, name: str = "tokens") -> tuple[np.ndarray, np.ndarray]:
    """Return (doc_id, token_id) of every row, checked: one kind, whole-number token_id,
    each pair once (a duplicated token would be counted twice)."""
    check_values(table, ["doc_id", "token_id"], name)
    docs = table["doc_id"].to_numpy()
    ids = whole_numbers(table, "token_id", name)
    dup = pd.DataFrame({"doc_id": docs, "token_id": ids}).duplicated().to_numpy()
    if dup.any():
        first = plain(table[["doc_id", "token_id"]].iloc[int(np.argmax(dup))])
        raise ValueError(
            f"{name} has {int(dup.sum())} duplicated (doc_id, token_id) pair(s), the first "
            f"{first!r}; each token must appear once (were two token tables with the same "
            "doc_ids concatenated?)"
        )
    return docs, ids


def check_unique_tokens(table: pd.DataFrame, name: str = "tokens") -> None:
    """Refuse duplicated tokens in a table that has doc_id and token_id columns."""
    if "doc_id" in table.columns and "token_id" in table.columns:
        token_keys(table, name)


def check_within(within, table: pd.DataFrame) -> str:
    if isinstance(within, str) and within not in table.columns:
        raise ValueError(
            f"within={within!r} is not a column of tokens; pass a column such as "
            f"'sent_id' or 'doc_id', or within=None to run across sentences "
            f"(columns: {[str(c) for c in table.columns]})"
        )
    return check_column_name(within, "within", table)


# Characters a doc_id may not hold: controls (tab, CR, LF, \x1c-\x1f, U+0085), format
# characters (the BOM, zero-width space), surrogates and the line/paragraph separators;
# a file could not hold them on one line, or not at all (surrogates are not UTF-8).
NOT_IN_DOC_ID = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def _char_name(char: str) -> str:
    return unicodedata.name(char, f"U+{ord(char):04X}")


@lru_cache(maxsize=4096)
def doc_id_problem(doc_id: str) -> str | None:
    """Say why a (non-empty str) doc_id cannot stand in a span file, or return None."""
    for char in doc_id:
        if unicodedata.category(char) in NOT_IN_DOC_ID:
            return (f"doc_id {doc_id!r} holds {char!r} ({_char_name(char)}); a doc_id must be "
                    "one line without tabs, line breaks, control or format characters, "
                    "e.g. '000'")
    if doc_id != doc_id.strip():
        return f"doc_id {doc_id!r} has white space around it; write it as {doc_id.strip()!r}"
    return None
