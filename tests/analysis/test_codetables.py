"""Tests of utils/analysis/codetables.py: counts, cross-tables by text or outside variable, chi-square."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from test_coding import table  # noqa: E402
from utils.analysis.coding import apply_coding_rules  # noqa: E402
from utils.analysis.codetables import (code_chi2, code_counts, code_crosstab,  # noqa: E402
                              code_expected, plot_code_heatmap)

DOCS = table(
    ("x", [("停戦", "停戦")]), ("x", [("侵攻", "侵攻")]), ("x", [("雨", "雨")]),
    ("y", [("停戦", "停戦")]), ("y", [("停戦", "停戦")]),
    ("z", [("晴れ", "晴れ")]),
)
RULES = "*和平\n停戦\n*戦争\n侵攻 | '特別軍事作戦'"



def test_counts_and_crosstab():
    coded = apply_coding_rules(DOCS, RULES)
    assert code_counts(coded).to_dict("index") == {
        "和平": {"units": 3, "n_units": 6, "share": 0.5},
        "戦争": {"units": 1, "n_units": 6, "share": 1 / 6}}
    ct = code_crosstab(coded)
    assert ct.index.tolist() == ["x", "y", "z"] and ct.index.name == "doc_id"
    assert ct.to_dict("list") == {"和平": [1, 2, 0], "戦争": [1, 0, 0], "n_units": [3, 2, 1]}
    shares = code_crosstab(coded, share=True)
    assert shares["和平"].tolist() == [1 / 3, 1.0, 0.0]


def test_crosstab_by_an_outside_variable_leaves_out_missing_values():
    coded = apply_coding_rules(DOCS, RULES)
    meta = pd.DataFrame({"doc_id": ["x", "y", "z"], "kind": ["blog", "news", None]})
    ct = code_crosstab(coded, by="kind", variables=meta)
    assert ct.index.tolist() == ["blog", "news"] and ct.index.name == "kind"
    assert ct.to_dict("list") == {"和平": [1, 2], "戦争": [1, 0], "n_units": [3, 2]}


@pytest.mark.parametrize("kwargs, message", [
    ({"by": "kind"}, "by='kind' is not a column of the coded table"),
    ({"by": "kind", "variables": pd.DataFrame({"doc_id": ["x"]})},
     "variables must have the columns doc_id and 'kind'"),
    ({"by": "kind", "variables": pd.DataFrame({"doc_id": ["x", "y"], "kind": [1, 2]})},
     r"variables has no row for doc_id \['z'\]"),
    ({"by": "kind", "variables": pd.DataFrame({"doc_id": ["x", "x", "y", "z"],
                                               "kind": [1, 2, 3, 4]})},
     "one row per doc_id"),
])
def test_crosstab_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        code_crosstab(apply_coding_rules(DOCS, RULES), **kwargs)


# expected values computed by hand: Yates-corrected 2 x 2, and Pearson on 3 x 2
@pytest.mark.parametrize("has, n, chi2, dof, p, min_expected, low", [
    ([30, 10], [60, 60], 13.5375, 1, 0.000234, 20.0, 0),
    ([10, 20, 30], [50, 50, 50], 16.6667, 2, 0.00024037, 20.0, 0),
    ([1, 4], [10, 10], 1.0667, 1, 0.30170, 2.5, 2),
])
def test_chi2_matches_hand_computation(has, n, chi2, dof, p, min_expected, low):
    ct = pd.DataFrame({"c": has, "n_units": n})
    row = code_chi2(ct).loc["c"]
    assert row.chi2 == pytest.approx(chi2, abs=1e-4) and row.dof == dof
    assert row.p == pytest.approx(p, rel=1e-3)
    assert row.min_expected == pytest.approx(min_expected)
    assert row.low_expected == low and row.reliable == (low == 0)
    assert (row.note == "") == (low == 0)
    if low:
        assert row.note.startswith(f"{low} of {2 * len(has)} expected counts are below 5")


@pytest.mark.parametrize("has, note", [([0, 0], "no unit has this code"),
                                       ([5, 5], "every unit has this code")])
def test_chi2_of_a_code_that_cannot_differ(has, note):
    row = code_chi2(pd.DataFrame({"c": has, "n_units": [5, 5]})).loc["c"]
    assert np.isnan(row.chi2) and np.isnan(row.p) and not row.reliable and row.note == note


@pytest.mark.parametrize("ct, message", [
    (pd.DataFrame({"c": [1]}), "with an n_units column"),
    (pd.DataFrame({"c": [1], "n_units": [3]}), "needs at least 2 groups"),
    (pd.DataFrame({"c": [0.5, 0.2], "n_units": [3, 3]}), "the table holds shares"),
])
def test_chi2_errors(ct, message):
    with pytest.raises(ValueError, match=message):
        code_chi2(ct)


def test_expected_counts():
    ct = pd.DataFrame({"c": [1, 4], "d": [2, 2], "n_units": [10, 30]}, index=["a", "b"])
    assert code_expected(ct).to_dict("list") == {"c": [1.25, 3.75], "d": [1.0, 3.0]}


def test_heatmap_labels_and_cells():
    ct = pd.DataFrame({"和平": [1, 2], "戦争": [3, 0], "n_units": [4, 8]},
                      index=pd.Index(["x", "y"], name="doc_id"))
    fig, ax = plt.subplots()
    try:
        plot_code_heatmap(ct, ax=ax, group_label="テキスト", title="t")
        assert [t.get_text() for t in ax.get_xticklabels()] == ["和平", "戦争"]
        assert [t.get_text() for t in ax.get_yticklabels()] == ["x (n=4)", "y (n=8)"]
        assert ax.get_xlabel() == "コード" and ax.get_ylabel() == "テキスト"
        assert [t.get_text() for t in ax.texts] == ["25%\n(1)", "75%\n(3)", "25%\n(2)",
                                                    "0%\n(0)"]
    finally:
        plt.close(fig)


@pytest.mark.parametrize("names, rotation", [(["和平", "戦争"], 0.0),
                                             (["停戦・和平", "呼称「ウクライナ戦争」",
                                               "核・エスカレート"], 30.0)])
def test_heatmap_slants_long_code_names(names, rotation):
    ct = pd.DataFrame({**{n: [1, 2] for n in names}, "n_units": [4, 8]}, index=["x", "y"])
    fig, ax = plt.subplots()
    try:
        plot_code_heatmap(ct, ax=ax)
        assert {t.get_rotation() for t in ax.get_xticklabels()} == {rotation}
    finally:
        plt.close(fig)
