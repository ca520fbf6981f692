"""Weight terms by how specific they are to a document, and compare documents: TF-IDF and cosine."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..validate import check_choice, check_column_name, check_frame, check_values, plain
from .freq import frequencies
from .tokenview import store_of

__all__ = ["tfidf", "similarity"]

TF_VARIANTS = ("relative", "count", "log")
IDF_VARIANTS = ("log", "smooth")


def tfidf(tokens: pd.DataFrame, *, by: str = "lemma", group: str = "doc_id", pos=None,
          stopwords: bool = False, tf: str = "relative", idf: str = "log") -> pd.DataFrame:
    """Weight each term of each group (document) by TF-IDF: frequent here, rare elsewhere.

    With ``count`` the term's count in the group, ``size`` the number of all tokens of
    the group (before the ``pos``/``stopwords`` filters, as for ``per_10k``), ``N`` the
    number of groups in ``tokens`` and ``df`` the number of groups the term occurs in:

    * ``tf="relative"`` (default): ``count / size``; ``"count"``: ``count``;
      ``"log"``: ``1 + ln(count)``;
    * ``idf="log"`` (default): ``ln(N / df)``, Spärck Jones's inverse document
      frequency (Spärck Jones 1972, "A statistical interpretation of term specificity
      and its application in retrieval", *Journal of Documentation* 28(1)): a term
      found in every group weighs 0. ``"smooth"``: ``ln((1 + N) / (1 + df)) + 1``
      (scikit-learn's default), which keeps such terms at a small positive weight;
    * ``tfidf = tf * idf``, the tf × idf weighting of Salton & Buckley (1988,
      "Term-weighting approaches in automatic text retrieval", *Information
      Processing & Management* 24(5)).

    Returns the tidy long table ``group, term, count, tf, df, idf, tfidf``, sorted by
    group, tfidf descending, then term.

    >>> toks = pd.DataFrame({"doc_id": ["000", "000", "000", "001", "001"],
    ...                      "lemma": ["停戦", "合意", "合意", "停戦", "核"]})
    >>> tfidf(toks)
      doc_id term  count        tf  df       idf     tfidf
    0    000   合意      2  0.666667   1  0.693147  0.462098
    1    000   停戦      1  0.333333   2  0.000000  0.000000
    2    001    核      1  0.500000   1  0.693147  0.346574
    3    001   停戦      1  0.500000   2  0.000000  0.000000
    """
    store = store_of(tokens)
    if store is not None:  # a token store: the same weights, counted by DuckDB
        return store.tfidf(by=by, group=group, pos=pos, stopwords=stopwords, tf=tf, idf=idf)
    check_frame(tokens)
    group = check_column_name(group, "group", tokens)
    tf = check_choice(tf, "tf", TF_VARIANTS)
    idf = check_choice(idf, "idf", IDF_VARIANTS)
    table = frequencies(tokens, by=by, group=group, pos=pos, stopwords=stopwords)
    check_values(tokens, [group])
    n_groups = tokens[group].nunique()
    sizes = table[group].map(tokens.groupby(group, sort=False).size()).to_numpy(dtype=float)
    return weigh_tfidf(table, sizes, n_groups, group=group, tf=tf, idf=idf)


def weigh_tfidf(table: pd.DataFrame, sizes: np.ndarray, n_groups: int, *, group: str,
                tf: str, idf: str) -> pd.DataFrame:
    """Turn a grouped frequency table into the TF-IDF table of :func:`tfidf` (shared with
    the token store, so the weights come from one piece of code): ``sizes`` is the token
    count of each row's group, ``n_groups`` the number of groups."""
    df = table.groupby("term", sort=False)["term"].transform("size").astype("int64")
    count = table["count"].to_numpy(dtype=float)
    if tf == "relative":
        tf_values = count / sizes
    elif tf == "count":
        tf_values = count
    else:
        tf_values = 1.0 + np.log(count)
    if idf == "log":
        idf_values = np.log(n_groups / df.to_numpy(dtype=float))
    else:
        idf_values = np.log((1.0 + n_groups) / (1.0 + df.to_numpy(dtype=float))) + 1.0
    out = pd.DataFrame({
        group: table[group], "term": table["term"], "count": table["count"],
        "tf": tf_values, "df": df, "idf": idf_values, "tfidf": tf_values * idf_values,
    })
    return out.sort_values([group, "tfidf", "term"], ascending=[True, False, True],
                           kind="mergesort", ignore_index=True)


def similarity(data: pd.DataFrame, *, by: str = "lemma", group: str = "doc_id", pos=None,
               stopwords: bool = False, tf: str = "relative", idf: str = "log") -> pd.DataFrame:
    """Compare every pair of groups (documents) by the cosine of their TF-IDF vectors.

    ``data`` is a token table (weighted with :func:`tfidf` and the same options) or a
    table :func:`tfidf` returned (``group``, ``term``, ``tfidf`` columns; the other
    options are then not used). The cosine similarity of vectors x and y is
    ``x·y / (|x| |y|)``, from 0 (no weighted term in common) to 1 (same profile)
    (Salton & Buckley 1988). A group whose vector is all zeros (every term occurs in
    every group, with ``idf="log"``) has similarity 0 with the others.

    Returns a square DataFrame, index and columns the sorted groups, with 1.0 on the
    diagonal.

    >>> toks = pd.DataFrame({"doc_id": ["000", "000", "001", "001", "002"],
    ...                      "lemma": ["停戦", "合意", "停戦", "合意", "核"]})
    >>> similarity(toks)
    doc_id  000  001  002
    doc_id
    000     1.0  1.0  0.0
    001     1.0  1.0  0.0
    002     0.0  0.0  1.0
    """
    check_frame(data, "data")
    group = check_column_name(group, "group", data, "data")
    if {"term", "tfidf"} <= set(data.columns):
        weights = data
        check_values(weights, [group, "term", "tfidf"], "data")
        values = weights["tfidf"]
        if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
            raise TypeError(f"column 'tfidf' of data must hold numbers (the weights "
                            f"utils.tfidf computes), got {values.dtype} such as "
                            f"{plain([values.iloc[0]])[0]!r}")
        infinite = ~np.isfinite(values.to_numpy(dtype=float))
        if infinite.any():
            at = int(np.argmax(infinite))
            raise ValueError(f"column 'tfidf' of data must hold finite numbers, but has "
                             f"{plain([values.iloc[at]])[0]!r} at index {weights.index[at]!r}")
        if weights[[group, "term"]].duplicated().any():
            raise ValueError(f"data has several rows for one ({group}, term) pair; pass the "
                             "table utils.tfidf returns, one row per group and term")
        groups = sorted(weights[group].unique())
    else:
        weights = tfidf(data, by=by, group=group, pos=pos, stopwords=stopwords, tf=tf, idf=idf)
        groups = sorted(data[group].unique())
    rows = pd.Index(groups).get_indexer(weights[group])
    cols, _ = pd.factorize(weights["term"])
    x = np.zeros((len(groups), int(cols.max()) + 1 if len(cols) else 0))
    np.add.at(x, (rows, cols), weights["tfidf"].to_numpy(dtype=float))
    norms = np.sqrt((x * x).sum(axis=1))
    safe = np.where(norms > 0, norms, 1.0)
    unit = x / safe[:, None]
    sims = np.clip(unit @ unit.T, -1.0, 1.0)
    np.fill_diagonal(sims, 1.0)
    index = pd.Index(groups, name=group)
    return pd.DataFrame(sims, index=index, columns=index.rename(group))
