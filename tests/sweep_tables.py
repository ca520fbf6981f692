"""Bad token tables shared by the sweeps of the counting modules (issue 13).

Every function that takes a token table goes through the same checks in utils/validate.py,
so each of them must give the same error for the same bad table: the test modules
parametrize their function over ``BAD_TABLES``. ``name`` is the parameter's name in the
message (``tokens``, ``target`` or ``data``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def good() -> pd.DataFrame:
    """Two documents, two sentences each, with 停戦 twice and noun pairs."""
    surfaces = ["停戦", "の", "合意", "停戦", "を", "拒否", "停戦", "合意", "。", "停戦", "の", "交渉"]
    return pd.DataFrame({
        "doc_id": ["000"] * 6 + ["001"] * 6,
        "sent_id": [0, 0, 0, 1, 1, 1] * 2,
        "token_id": list(range(6)) * 2,
        "start": [0, 2, 3, 5, 7, 8] * 2,
        "end": [2, 3, 5, 7, 8, 10] * 2,
        "surface": surfaces, "lemma": surfaces,
        "pos1": ["名詞", "助詞", "名詞", "名詞", "助詞", "名詞",
                 "名詞", "名詞", "補助記号", "名詞", "助詞", "名詞"],
    })


def _with(**columns) -> pd.DataFrame:
    table = good()
    for column, (row, value) in columns.items():
        table[column] = table[column].astype(object)
        table.loc[row, column] = value
    return table


def _dup_columns() -> pd.DataFrame:
    return pd.concat([good(), good()[["lemma"]]], axis=1)


def _multiindex() -> pd.DataFrame:
    table = good()
    table.columns = pd.MultiIndex.from_tuples([(c, "") for c in table.columns])
    return table


# (id, factory, exception, regex with {name} for the parameter's name)
BAD_TABLES = [
    ("None", lambda: None, TypeError, r"{name} must be a pandas DataFrame .*got NoneType"),
    ("list", lambda: [["停戦"]], TypeError, r"{name} must be a pandas DataFrame .*got list"),
    ("dict", lambda: good().to_dict(), TypeError, r"{name} must be a pandas DataFrame .*got dict"),
    ("series", lambda: good()["lemma"], TypeError, r"{name} must be a pandas DataFrame .*Series"),
    ("duplicated-columns", _dup_columns, ValueError,
     r"{name} has several columns named \['lemma'\]; each column must appear once"),
    ("multiindex-columns", _multiindex, ValueError, r"{name} has MultiIndex columns"),
    ("nan-term", lambda: _with(surface=(1, np.nan), lemma=(1, np.nan)), ValueError,
     r"column '(surface|lemma)' of {name} has 1 missing value\(s\).*index 1"),
    ("none-doc_id", lambda: _with(doc_id=(7, None)), ValueError,
     r"column 'doc_id' of {name} has 1 missing value\(s\).*index 7"),
    ("mixed-doc_id", lambda: _with(doc_id=(slice(6, 11), 1)), ValueError,
     r"column 'doc_id' of {name} mixes str and number values \('000' at index 0, 1 at index 6\)"
     r".*astype\(str\)"),
    ("list-term", lambda: _with(surface=(2, ["合意"]), lemma=(2, ["合意"])), ValueError,
     r"column '(surface|lemma)' of {name} mixes str and list values"),
    ("duplicated-token", lambda: pd.concat([good(), good().iloc[[3]]], ignore_index=True),
     ValueError, r"{name} has 1 duplicated \(doc_id, token_id\) pair\(s\), the first \('000', 3\)"),
    ("text-token_id", lambda: _with(token_id=(slice(None), [str(i) for i in range(5)] + ["x"]
                                              + [str(i) for i in range(6)])),
     ValueError, r"column 'token_id' of {name} must hold whole numbers .*'x' at index 5"),
    ("fraction-token_id", lambda: good().assign(token_id=[0, 1, 2, 3, 4, 4.5] + list(range(6))),
     ValueError, r"column 'token_id' of {name} must hold whole numbers .*4.5 at index 5"),
    ("bool-token_id", lambda: good().assign(token_id=[True, False] * 6), ValueError,
     r"column 'token_id' of {name} must hold whole numbers .*True at index 0"),
    ("huge-token_id", lambda: _with(token_id=(5, 2 ** 70)), ValueError,
     r"column 'token_id' of {name} must hold whole numbers .*1180591620717411303424 at index 5"),
    ("mixed-token_id", lambda: _with(token_id=(5, "5")), ValueError,
     r"column 'token_id' of {name} mixes number and str values"),
]

#: Odd but legitimate term values: each must be counted as a value of its own.
ODD_TERMS = ["\u2028", "\u2029", "\x85", "\x1c", "\x1f", "\ud800", "\ufeff停戦", "e\u0301",
             "ﾃｲｾﾝ", "停" * 100_000]


def renamed(table: pd.DataFrame, old: str, new: str) -> pd.DataFrame:
    """The table with the term ``old`` spelled ``new`` in surface and lemma."""
    return table.assign(surface=table["surface"].replace(old, new),
                        lemma=table["lemma"].replace(old, new))


# --------------------------------------------------------------------------- one row runner

def sweep_ids(rows) -> list[str]:
    """Test ids for a table of ``(func, args, kwargs, expected)`` rows: name and row number."""
    return [f"{func.__name__}-{i}" for i, (func, *_) in enumerate(rows)]


def check_row(func, args, kwargs, expected) -> None:
    """Run one sweep row: ``expected`` is ``(exception type, message regex)``, a predicate
    on the result, or the exact result."""
    import pytest

    if isinstance(expected, tuple) and isinstance(expected[0], type):
        with pytest.raises(expected[0], match=expected[1]):
            func(*args, **kwargs)
    elif callable(expected):
        assert expected(func(*args, **kwargs))
    else:
        assert func(*args, **kwargs) == expected
