"""Count coded units, cross-tabulate them by text or outside variable, test and draw them.

The input is the table :func:`utils.apply_coding_rules` returns (one row per unit, one
True/False column per code). The cross-tabulation follows KH Coder's
コードのクロス集計 (``kh_lib/kh_cod/func.pm``): for each code, a table of units with and
without the code in each group, tested with Pearson's chi-square test
(``scipy.stats.chi2_contingency``, Yates' correction on 2 x 2 tables, as the R call
``chisq.test(correct=TRUE)`` that KH Coder makes). The test is an approximation that
needs large enough expected counts; like R, the result says so when any expected count is
below 5 (Cochran 1954, *Some methods for strengthening the common χ² tests*, Biometrics
10(4)).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["code_counts", "code_crosstab", "code_chi2", "code_expected", "plot_code_heatmap"]


def _code_columns(coded: pd.DataFrame) -> list[str]:
    if not isinstance(coded, pd.DataFrame):
        raise TypeError(f"expected the table apply_coding_rules returns, got "
                        f"{type(coded).__name__}")
    codes = [c for c in coded.columns if c not in ("doc_id", "sent_id")
             and pd.api.types.is_bool_dtype(coded[c])]
    if not codes or "doc_id" not in coded.columns:
        raise ValueError("expected the table apply_coding_rules returns: doc_id (and "
                         f"sent_id) and one True/False column per code; got columns "
                         f"{list(coded.columns)}")
    return codes


def code_counts(coded: pd.DataFrame) -> pd.DataFrame:
    """Count the units that have each code and their share of all units (KH Coder's 単純集計).

    >>> coded = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "和平": [True, False, False, True]})
    >>> code_counts(coded)
          units  n_units  share
    code
    和平        2        4    0.5
    """
    codes = _code_columns(coded)
    n = len(coded)
    units = [int(coded[c].sum()) for c in codes]
    return pd.DataFrame({"units": units, "n_units": n,
                         "share": [u / n if n else np.nan for u in units]},
                        index=pd.Index(codes, name="code"))


def code_crosstab(coded: pd.DataFrame, *, by: str = "doc_id", variables=None,
                  share: bool = False) -> pd.DataFrame:
    """Cross-tabulate coded units by a column: units with each code per group, and n_units.

    ``by`` is a column of ``coded`` (``doc_id``) or of ``variables``, a table with one
    row per ``doc_id`` such as ``utils.load_corpus()`` (an outside variable, 外部変数).
    Groups whose value is missing are left out, as KH Coder does. ``share=True`` gives
    each code's share of the group's units (0 to 1) instead of counts.

    >>> coded = pd.DataFrame({"doc_id": ["a", "a", "b"], "和平": [True, False, True]})
    >>> code_crosstab(coded)
            和平  n_units
    doc_id
    a        1        2
    b        1        1
    """
    codes = _code_columns(coded)
    if by not in coded.columns:
        if variables is None:
            raise ValueError(f"by={by!r} is not a column of the coded table "
                             f"({list(coded.columns)}); pass variables=<a table with doc_id "
                             f"and {by!r}> for an outside variable")
        if "doc_id" not in variables.columns or by not in variables.columns:
            raise ValueError(f"variables must have the columns doc_id and {by!r}; it has "
                             f"{list(variables.columns)}")
        if variables["doc_id"].duplicated().any():
            raise ValueError("variables must hold one row per doc_id; "
                             f"{sorted(variables.loc[variables.doc_id.duplicated(), 'doc_id'])}"
                             " appear twice")
        lookup = dict(zip(variables["doc_id"].astype(str), variables[by]))
        unknown = sorted(set(coded["doc_id"].astype(str)) - set(lookup))
        if unknown:
            raise ValueError(f"variables has no row for doc_id {unknown}")
        groups = coded["doc_id"].astype(str).map(lookup)
    else:
        groups = coded[by]
    groups = groups.rename(by)
    keep = groups.notna()
    table = coded.loc[keep, codes].astype(int).groupby(groups[keep], sort=True).sum()
    n_units = groups[keep].value_counts().reindex(table.index)
    if share:
        table = table.div(n_units, axis=0)
    table["n_units"] = n_units.astype(int)
    table.columns.name = None
    return table


def _split(crosstab: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    if not isinstance(crosstab, pd.DataFrame) or "n_units" not in crosstab.columns:
        raise ValueError("expected the counts that code_crosstab returns (with an n_units "
                         "column, share=False)")
    codes = crosstab.drop(columns="n_units")
    if len(codes) < 2:
        raise ValueError(f"a chi-square test needs at least 2 groups; the table has "
                         f"{len(codes)}: {list(codes.index)}")
    if not all(np.allclose(codes[c], np.round(codes[c])) for c in codes.columns):
        raise ValueError("the table holds shares; test the counts (code_crosstab with "
                         "share=False)")
    return codes, crosstab["n_units"]


def _table(has: pd.Series, n: pd.Series) -> np.ndarray:
    return np.column_stack([has.to_numpy(float), (n - has).to_numpy(float)])


def code_chi2(crosstab: pd.DataFrame) -> pd.DataFrame:
    """Test each code for a difference between groups with Pearson's chi-square test.

    One test per code on the groups x (with code, without code) table, as KH Coder does
    (Yates' correction when that table is 2 x 2). Columns: ``chi2``, ``dof``, ``p``,
    ``min_expected``, ``low_expected`` (cells with an expected count below 5),
    ``reliable`` (no such cell; Cochran 1954) and ``note``. A code that no unit, or every
    unit, has cannot be tested: its statistics are NaN and the note says why.

    >>> ct = pd.DataFrame({"和平": [30, 10], "n_units": [60, 60]}, index=["a", "b"])
    >>> row = code_chi2(ct).loc["和平"]
    >>> f"chi2={row.chi2:.2f} dof={row.dof} p={row.p:.5f} reliable={row.reliable}"
    'chi2=13.54 dof=1 p=0.00023 reliable=True'

    """
    from scipy.stats import chi2_contingency

    codes, n = _split(crosstab)
    rows = []
    for code in codes.columns:
        table = _table(codes[code], n)
        if (table.sum(axis=0) == 0).any():
            rows.append((np.nan, np.nan, np.nan, np.nan, 0, False,
                         "no unit has this code" if table[:, 0].sum() == 0
                         else "every unit has this code"))
            continue
        result = chi2_contingency(table, correction=True)
        expected = result.expected_freq
        low = int((expected < 5).sum())
        note = "" if not low else (f"{low} of {expected.size} expected counts are below 5: "
                                   "the chi-square approximation may be incorrect")
        rows.append((float(result.statistic), int(result.dof), float(result.pvalue),
                     float(expected.min()), low, low == 0, note))
    return pd.DataFrame(rows, index=pd.Index(list(codes.columns), name="code"),
                        columns=["chi2", "dof", "p", "min_expected", "low_expected",
                                 "reliable", "note"])


def code_expected(crosstab: pd.DataFrame) -> pd.DataFrame:
    """Return the expected number of units with each code per group if groups did not differ.

    Expected = the group's units x the code's share of all units (the first column of
    each code's chi-square table); compare it with the observed counts.

    >>> ct = pd.DataFrame({"和平": [30, 10], "n_units": [60, 20]}, index=["a", "b"])
    >>> code_expected(ct)
         和平
    a  30.0
    b  10.0
    """
    codes, n = _split(crosstab)
    total = n.sum()
    return pd.DataFrame({c: n * codes[c].sum() / total for c in codes.columns},
                        index=codes.index).astype(float)


def plot_code_heatmap(crosstab: pd.DataFrame, *, ax=None, title: str | None = None,
                      unit_label: str = "文", group_label: str | None = None):
    """Draw each code's share of units per group as a heat map with counts; return the Axes.

    Cells show the share (%) and, below it, the number of units; darker is a larger share.

    >>> import matplotlib.pyplot as plt
    >>> ct = pd.DataFrame({"和平": [3, 1], "n_units": [6, 4]}, index=["a", "b"])
    >>> fig, ax = plt.subplots()
    >>> plot_code_heatmap(ct, ax=ax).get_xlabel()
    'コード'
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    from .plot import use_japanese_font

    codes, n = _split(crosstab) if len(crosstab) > 1 else (
        crosstab.drop(columns="n_units"), crosstab["n_units"])
    use_japanese_font()
    if ax is None:
        _, ax = plt.subplots(figsize=(1.6 + 1.2 * codes.shape[1], 1.2 + 0.5 * len(codes)))
    shares = codes.div(n, axis=0).to_numpy(float) * 100
    image = ax.imshow(shares, cmap="Blues", vmin=0, vmax=max(1.0, np.nanmax(shares)),
                      aspect="auto")
    names = [str(c) for c in codes.columns]
    if max(map(len, names)) * codes.shape[1] > 24:  # would overlap: slant them
        ax.set_xticks(range(len(names)), names, rotation=30, ha="right",
                      rotation_mode="anchor")
    else:
        ax.set_xticks(range(len(names)), names)
    ax.set_yticks(range(len(codes)), [f"{g} (n={k})" for g, k in zip(codes.index, n)])
    ax.set_xlabel("コード")
    ax.set_ylabel(group_label or str(crosstab.index.name or "グループ"))
    top = np.nanmax(shares) if shares.size else 0
    for i in range(len(codes)):
        for j in range(codes.shape[1]):
            ax.text(j, i, f"{shares[i, j]:.0f}%\n({int(codes.iat[i, j])})", ha="center",
                    va="center", fontsize=9,
                    color="white" if shares[i, j] > 0.6 * top else "black")
    ax.figure.colorbar(image, ax=ax, label=f"コードを含む{unit_label}の割合 (%)")
    if title:
        ax.set_title(title)
    return ax
