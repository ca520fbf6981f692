"""Count terms and n-grams in a token table: frequency lists (頻度表) and n-grams.

Every counting module of the kit (``freq``, ``kwic``, ``collocations``, ``keyness``,
``similarity``) takes a token table as made by :func:`utils.tokenize`, but needs only
the columns it names, so any DataFrame with those columns works too. The shared input
checks live here, at the bottom of the counting stack.
"""
from __future__ import annotations

import numbers
import unicodedata
from collections.abc import Iterable

import numpy as np
import pandas as pd

from .text import normalize

__all__ = ["frequencies", "ngrams"]

#: The first-level part-of-speech names of UniDic (``pos1``), the valid values of ``pos=``
#: (values that occur in the table's own ``pos1`` column are accepted as well).
UNIDIC_POS1 = ("名詞", "代名詞", "形状詞", "連体詞", "副詞", "接続詞", "感動詞", "動詞",
               "形容詞", "助動詞", "助詞", "接頭辞", "接尾辞", "記号", "補助記号", "空白")


# ---------------------------------------------------------------- shared input checks

def _check_frame(table, name: str = "tokens",
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


def _check_column_name(value, param: str, table: pd.DataFrame, name: str = "tokens") -> str:
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


def _require_columns(table: pd.DataFrame, needed: Iterable[str], name: str = "tokens",
                     why: str = "") -> None:
    needed = list(dict.fromkeys(needed))
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise ValueError(
            f"{name} is missing the column(s) {missing}{why}; expected at least {needed} "
            f"(a token table from utils.tokenize has them); it has "
            f"{[str(c) for c in table.columns]}"
        )


def _kind(value) -> str:
    if isinstance(value, str):
        return "str"
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    return "number" if isinstance(value, numbers.Number) else type(value).__name__


def _check_values(table: pd.DataFrame, columns: Iterable[str], name: str = "tokens") -> None:
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
        kinds = values.map(_kind).to_numpy()
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


def _whole_numbers(table: pd.DataFrame, column: str, name: str = "tokens") -> np.ndarray:
    """Return ``column`` (token_id, start, end ...) as numbers to order by, never as text.

    A numeric column of whole numbers is returned as is; a column of integer strings (a
    table read back with ``pd.read_csv(dtype=str)``) is converted to int64, so ``'10'``
    sorts after ``'9'``; anything else (``'x'``, ``1.5``, ``inf``, ``True``) is refused.
    Call :func:`_check_values` first.
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
            f"but has {_plain([values.iloc[at]])[0]!r} at index {table.index[at]!r}; use the "
            f"{column} values utils.tokenize made, e.g. {name}[{column!r}] = "
            f"pd.to_numeric({name}[{column!r}])"
        )
    return values.to_numpy() if numeric else as_float.astype(np.int64)


def _check_counts(positive: Iterable[str] = (), **values) -> list[np.ndarray]:
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


def _check_int(value, param: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{param} must be an integer >= {minimum}, got {value!r} "
                        f"({type(value).__name__})")
    if value < minimum:
        raise ValueError(f"{param} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _check_bool(value, param: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{param} must be True or False, got {value!r}")
    return bool(value)


def _check_choice(value, param: str, choices: Iterable[str]) -> str:
    choices = list(choices)
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{param} must be one of {choices}, got {value!r}")
    return value


def _check_pos(pos, table: pd.DataFrame) -> frozenset | None:
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


def _keep_mask(table: pd.DataFrame, pos: frozenset | None, stopwords: bool) -> np.ndarray:
    """Boolean array over the rows of ``table``: True for tokens kept by pos/stopwords."""
    keep = np.ones(len(table), dtype=bool)
    if pos is not None:
        keep &= table["pos1"].isin(pos).to_numpy()
    if stopwords:
        from .tokens import remove_stopwords  # the stopword list is the tokenizer's

        marked = table.assign(_row_=np.arange(len(table)))
        kept_rows = remove_stopwords(marked)["_row_"].to_numpy()
        in_list = np.zeros(len(table), dtype=bool)
        in_list[kept_rows] = True
        keep &= in_list
    return keep


def _plain(values) -> tuple:
    """A tuple of plain Python values (for readable error messages)."""
    return tuple(v.item() if isinstance(v, np.generic) else v for v in values)


def _token_keys(table: pd.DataFrame, name: str = "tokens") -> tuple[np.ndarray, np.ndarray]:
    """Return (doc_id, token_id) of every row, checked: one kind, whole-number token_id,
    each pair once (a duplicated token would be counted twice)."""
    _check_values(table, ["doc_id", "token_id"], name)
    docs = table["doc_id"].to_numpy()
    ids = _whole_numbers(table, "token_id", name)
    dup = pd.DataFrame({"doc_id": docs, "token_id": ids}).duplicated().to_numpy()
    if dup.any():
        first = _plain(table[["doc_id", "token_id"]].iloc[int(np.argmax(dup))])
        raise ValueError(
            f"{name} has {int(dup.sum())} duplicated (doc_id, token_id) pair(s), the first "
            f"{first!r}; each token must appear once (were two token tables with the same "
            "doc_ids concatenated?)"
        )
    return docs, ids


def _check_unique_tokens(table: pd.DataFrame, name: str = "tokens") -> None:
    """Refuse duplicated tokens in a table that has doc_id and token_id columns."""
    if "doc_id" in table.columns and "token_id" in table.columns:
        _token_keys(table, name)


def _token_order(table: pd.DataFrame, name: str = "tokens") -> np.ndarray:
    """Positions that put ``table`` in text order (doc_id, token_id); checks uniqueness."""
    docs, ids = _token_keys(table, name)
    return np.lexsort((ids, docs))


def _segments(table: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Integer code per row, equal for rows in the same segment (e.g. doc_id, sent_id)."""
    if len(table) == 0:
        return np.zeros(0, dtype=np.int64)
    return table.groupby(columns, sort=False).ngroup().to_numpy()


def _variants(value: str) -> set[str]:
    """``value``, its NFKC form and its :func:`utils.normalize` form.

    tokenize makes surfaces with utils.normalize, which differs from plain NFKC (～ becomes
    〜, not ~; white space becomes one space), so a keyword typed as in the raw text
    must be tried in that spelling too; the NFKC form stays for tables made with NFKC.
    """
    return {value, unicodedata.normalize("NFKC", value), normalize(value)}


def _check_within(within, table: pd.DataFrame) -> str:
    if isinstance(within, str) and within not in table.columns:
        raise ValueError(
            f"within={within!r} is not a column of tokens; pass a column such as "
            f"'sent_id' or 'doc_id', or within=None to run across sentences "
            f"(columns: {[str(c) for c in table.columns]})"
        )
    return _check_column_name(within, "within", table)


def _group_list(group) -> list[str]:
    if group is None:
        return []
    if isinstance(group, str):
        return [group]
    if isinstance(group, (list, tuple)) and group and all(isinstance(g, str) for g in group):
        return list(group)
    raise TypeError(f"group must be a column name such as 'doc_id', a list of column "
                    f"names, or None; got {group!r}")


# ---------------------------------------------------------------- frequencies

def frequencies(tokens: pd.DataFrame, *, by: str = "lemma", group=None, pos=None,
                min_count: int = 1, stopwords: bool = False) -> pd.DataFrame:
    """Count how often each value of ``by`` occurs: a frequency list (頻度表).

    ``by`` is any column (``"lemma"``, ``"surface"``, ``"reading"``, ``"pos1"`` ...).
    ``pos`` keeps only tokens whose ``pos1`` is one of the given values (e.g.
    ``["名詞"]``); ``stopwords=True`` also drops what :func:`utils.remove_stopwords`
    drops; ``group`` (e.g. ``"doc_id"``) counts each group separately; ``min_count``
    drops rarer terms.

    Returns the columns ``[group], term, count, per_10k, rank``, sorted by group, then
    count descending, then term (code point order), with a fresh index.

    * ``per_10k`` is ``count * 10000 / n`` where ``n`` is the number of **all** tokens of
      the group (or table), counted *before* the ``pos``/``stopwords`` filters, so
      punctuation counts too. A noun's rate therefore does not change when you filter to
      nouns, and rates stay comparable between texts and between filters.
    * ``rank`` is competition ranking within the group: terms with equal counts share
      the best rank and the next rank is skipped (1, 2, 2, 4).

    >>> toks = pd.DataFrame({"lemma": ["停戦", "の", "合意", "、", "停戦", "協議"],
    ...                      "pos1": ["名詞", "助詞", "名詞", "補助記号", "名詞", "名詞"]})
    >>> frequencies(toks, pos=["名詞"])
      term  count      per_10k  rank
    0   停戦      2  3333.333333     1
    1   協議      1  1666.666667     2
    2   合意      1  1666.666667     2
    """
    _check_frame(tokens)
    groups = _group_list(group)
    by = _check_column_name(by, "by", tokens)
    for g in groups:
        _check_column_name(g, "group", tokens)
    if by in groups:
        raise ValueError(f"by={by!r} is also a group column; count a different column "
                         f"than the one you group by")
    clash = [g for g in groups if g in ("term", "count", "per_10k", "rank")]
    if clash:
        raise ValueError(f"group column(s) {clash} clash with the output columns "
                         "term, count, per_10k, rank; rename them first")
    min_count = _check_int(min_count, "min_count", 1)
    stopwords = _check_bool(stopwords, "stopwords")
    if pos is not None:
        _require_columns(tokens, [by, "pos1"], why=" (pos= filters on pos1)")
    pos = _check_pos(pos, tokens)
    _check_values(tokens, [*groups, by] + (["pos1"] if pos is not None else []))
    _check_unique_tokens(tokens)

    keep = _keep_mask(tokens, pos, stopwords)
    kept = tokens.loc[keep, [*groups, by]]
    counts = kept.groupby([*groups, by], sort=False, dropna=False).size()
    table = counts.rename("count").reset_index().rename(columns={by: "term"})
    table["count"] = table["count"].astype("int64")
    if groups:
        sizes = tokens.groupby(groups, sort=False).size().rename("_n_").reset_index()
        table = table.merge(sizes, on=groups, how="left")
        n = table.pop("_n_").to_numpy(dtype=float)
    else:
        n = float(len(tokens))
    table["per_10k"] = table["count"].to_numpy(dtype=float) * 10000.0 / n
    table = table[table["count"] >= min_count]
    table = table.sort_values([*groups, "count", "term"],
                              ascending=[True] * len(groups) + [False, True],
                              kind="mergesort", ignore_index=True)
    if groups:
        rank = table.groupby(groups, sort=False)["count"].rank(method="min", ascending=False)
    else:
        rank = table["count"].rank(method="min", ascending=False)
    table["rank"] = rank.astype("int64")
    return table[[*groups, "term", "count", "per_10k", "rank"]]


# ---------------------------------------------------------------- n-grams

def _sequence(tokens: pd.DataFrame, by: str, within, pos, stopwords: bool):
    """Check the columns a sequence function needs; return its token values in text
    order, a segment id per token (n-grams and windows never cross one) and the
    filter mask (shared by ngrams and collocations)."""
    if within is not None:
        within = _check_within(within, tokens)
    segment_cols = ["doc_id"] + ([within] if within not in (None, "doc_id") else [])
    needed = ["doc_id", "token_id", *segment_cols, by] + (["pos1"] if pos is not None else [])
    _require_columns(tokens, needed)
    pos = _check_pos(pos, tokens)
    _check_values(tokens, needed)
    order = _token_order(tokens)
    values = tokens[by].to_numpy()[order]
    segment = _segments(tokens, segment_cols)[order]
    keep = _keep_mask(tokens, pos, stopwords)[order]
    return values, segment, keep


def _ngram_starts(segment: np.ndarray, keep: np.ndarray, n: int) -> np.ndarray:
    """For each of the first ``len - n + 1`` positions: does an n-gram start there, i.e.
    do its n tokens stay in one run of ``segment`` and all pass ``keep``? O(len) for
    any n, from where each run ends and a running count of dropped tokens (checking
    each offset 1..n-1 was O(len * n), quadratic for long n)."""
    size = len(segment)
    m = size - n + 1
    change = np.flatnonzero(segment[1:] != segment[:-1]) + 1
    run_end = np.repeat(np.concatenate([change, [size]]),
                        np.diff(np.concatenate([[0], change, [size]])))
    dropped = np.concatenate([[0], np.cumsum(~keep)])
    first = np.arange(m)
    return (first + n <= run_end[:m]) & (dropped[first + n] == dropped[first])


def ngrams(tokens: pd.DataFrame, *, n: int = 2, by: str = "surface", within="sent_id",
           pos=None, sep: str = " ", min_count: int = 1,
           stopwords: bool = False) -> pd.DataFrame:
    """Count n-grams: runs of ``n`` consecutive tokens that stay inside one sentence.

    Tokens are put in text order by ``doc_id`` and ``token_id``. An n-gram never
    crosses a document boundary, nor a ``within`` boundary (``"sent_id"`` by default;
    ``within=None`` or ``"doc_id"`` lets n-grams run across sentences). With ``pos``
    (and/or ``stopwords=True``) only n-grams whose every token passes the filter are
    counted; the filter never glues together tokens that were not adjacent in the
    text, so ``pos=["名詞"]`` finds noun compounds such as ``ロシア 軍``.

    Returns the columns ``ngram`` (the ``by`` values joined with ``sep``), ``count``
    and ``w1`` ... ``wn`` (the parts, for filtering such as ``w2 == "の"``), sorted by
    count descending, then ngram, then the parts; n-grams rarer than ``min_count``
    are dropped.

    >>> toks = pd.DataFrame({"doc_id": "000", "sent_id": [0, 0, 0, 1, 1, 1],
    ...                      "token_id": range(6),
    ...                      "surface": ["停戦", "合意", "。", "停戦", "合意", "。"]})
    >>> ngrams(toks, n=2)
          ngram  count  w1  w2
    0   停戦 合意      2  停戦  合意
    1    合意 。      2  合意   。
    """
    _check_frame(tokens)
    n = _check_int(n, "n", 1)
    by = _check_column_name(by, "by", tokens)
    if not isinstance(sep, str):
        raise TypeError(f"sep must be a str such as ' ' or '', got {sep!r}")
    min_count = _check_int(min_count, "min_count", 1)
    stopwords = _check_bool(stopwords, "stopwords")

    if n > len(tokens):
        raise ValueError(f"n={n} is more than the {len(tokens)} tokens of tokens; an n-gram "
                         "is n consecutive tokens of one sentence, e.g. n=2 for bigrams")
    parts_cols = [f"w{k + 1}" for k in range(n)]
    values, segment, keep = _sequence(tokens, by, within, pos, stopwords)
    starts = np.flatnonzero(_ngram_starts(segment, keep, n))
    if len(starts):
        # one row of token codes per n-gram; equal rows are the same n-gram (O(rows * n)
        # with one sort, where grouping by n columns grew quadratically with n)
        codes = pd.factorize(values)[0]
        grid = codes[starts[:, None] + np.arange(n)]
        _, first, counts = np.unique(grid, axis=0, return_index=True, return_counts=True)
        frequent = counts >= min_count
        begin, counts = starts[first[frequent]], counts[frequent]
    else:
        begin = counts = np.zeros(0, dtype=np.int64)
    if len(begin) == 0:
        return pd.DataFrame({"ngram": pd.Series(dtype=str), "count": pd.Series(dtype="int64"),
                             **{c: pd.Series(dtype=object) for c in parts_cols}})
    parts = pd.DataFrame({c: values[begin + k] for k, c in enumerate(parts_cols)})
    joined = pd.Series([sep.join(map(str, row)) for row in zip(*(parts[c] for c in parts_cols))],
                       dtype=str)
    table = pd.concat([pd.DataFrame({"ngram": joined, "count": counts.astype("int64")}), parts],
                      axis=1)
    # the parts only break ties between equal joined strings (a token holding sep)
    keys = ["count", "ngram"] + (parts_cols if table.duplicated(["count", "ngram"]).any() else [])
    table = table.sort_values(keys, ascending=[False] + [True] * (len(keys) - 1),
                              kind="mergesort", ignore_index=True)
    return table[["ngram", "count", *parts_cols]]
