"""Tests of utils/coding.py: KH Coder-style coding rules, cross-tables, chi-square, heat map."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import utils  # noqa: E402
from utils.coding import (CodingRuleError, apply_coding_rules, code_chi2,  # noqa: E402
                          code_counts, code_crosstab, code_expected, parse_coding_rules,
                          plot_code_heatmap, read_coding_rules)


def table(*sentences):
    """A token table from (doc_id, [(surface, lemma), ...]) per sentence, in order."""
    rows, sent = [], {}
    for doc_id, tokens in sentences:
        s = sent.get(doc_id, 0)
        sent[doc_id] = s + 1
        for i, (surface, lemma) in enumerate(tokens):
            rows.append({"doc_id": doc_id, "sent_id": s, "token_id": i, "surface": surface,
                         "lemma": lemma})
    return pd.DataFrame(rows)


# one document, four sentences: surfaces differ from lemmas where a verb is inflected
TOKENS = table(
    ("a", [("停戦", "停戦"), ("が", "が"), ("成立", "成立")]),
    ("a", [("ウクライナ", "ウクライナ"), ("戦争", "戦争"), ("が", "が"), ("続く", "続く")]),
    ("a", [("戦っ", "戦う"), ("た", "た"), ("and", "and")]),
    ("a", [("特別", "特別"), ("軍事", "軍事"), ("作戦", "作戦"), ("と", "と"), ("侵攻", "侵攻")]),
)


@pytest.mark.parametrize("condition, expected", [
    ("停戦", [True, False, False, False]),
    ("戦う", [False, False, True, False]),            # a word is matched as its lemma
    ("戦っ", [False, False, False, False]),           # ... not as its surface
    ("'戦っ'", [False, False, True, False]),          # a string is matched in the text
    ("'特別軍事作戦'", [False, False, False, True]),   # across token boundaries
    ("'ウクライナ戦争'", [False, True, False, False]),
    ("'作戦と侵'", [False, False, False, True]),
    ("停戦 | 侵攻", [True, False, False, True]),
    ("停戦 or 侵攻", [True, False, False, True]),
    ("停戦 OR 侵攻", [True, False, False, True]),      # operators ignore case, as in KH Coder
    ("停戦 & 成立", [True, False, False, False]),
    ("停戦 and 侵攻", [False, False, False, False]),
    ("not 停戦", [False, True, True, True]),
    ("! 停戦", [False, True, True, True]),
    ("戦争 &! 'ウクライナ戦争'", [False, False, False, False]),
    ("侵攻 &! 'ウクライナ戦争'", [False, False, False, True]),
    ("停戦 |! 戦争", [True, False, True, True]),
    ("停戦 | 侵攻 & 特別", [True, False, False, True]),          # and binds tighter than or
    ("( 停戦 | 侵攻 ) & 特別", [False, False, False, True]),
    ("not 停戦 & not 侵攻", [False, True, True, False]),        # not binds tightest
    ("not ( 停戦 | 侵攻 )", [False, True, True, False]),
    ('"and"', [False, False, True, False]),                    # a word that looks like an operator
    ("停戦\u3000|\u3000侵攻", [True, False, False, True]),      # full-width spaces separate
    ("'ない'", [False, False, False, False]),
])
def test_conditions(condition, expected):
    got = apply_coding_rules(TOKENS, f"*c\n{condition}\n")
    assert got.columns.tolist() == ["doc_id", "sent_id", "c"]
    assert got["c"].tolist() == expected


@pytest.mark.parametrize("rules, message", [
    ("停戦", "line 1: '停戦' comes before any heading"),
    ("*a\n停戦\n*a\n侵攻", "line 3: the code *a is defined twice"),
    ("*\n停戦", "line 1: '*' is a heading with no name"),
    ("*a\n", "line 1 (*a): the code has no condition"),
    ("# only a comment", "the coding rules hold no code"),
    ("*a\n停戦 侵攻", "two items with no operator between them; write or (|) or and (&) "
                     "before '侵攻'"),
    ("*a\n停戦 |", "the condition ends where a word"),
    ("*a\n| 停戦", "'or' stands where a word"),
    ("*a\n( 停戦 | 侵攻", "a ( is never closed"),
    ("*a\n停戦 )", "unexpected ')'"),
    ("*a\n(停戦 | 侵攻)", "'(停戦' holds a parenthesis; set ( and ) apart"),
    ("*a\n'停戦", "the quote ' opened at"),
    ("*a\n''", "empty ''"),
    ("*a\n'停戦'| 侵攻", "put a space after"),
    ("*b\n<*a>", "code references (<*code>)"),
    ("*b\n停戦->名詞", "part-of-speech conditions (word->POS)"),
    ("*b\n停戦+合意", "phrases (a+b)"),
    ("*b\nseq(停戦-合意)", "seq() and near()"),
    ("*b\nnear(停戦-合意)", "seq() and near()"),
])
def test_bad_rules_name_the_line_and_what_is_valid(rules, message):
    with pytest.raises(CodingRuleError) as error:
        parse_coding_rules(rules)
    assert message in str(error.value)


def test_rule_file_layout_comments_multiline_conditions_and_quotes():
    rules = ("\ufeff# rules\n＊和平\n停戦\nor 和平\n\n  # indented comment\n*引用\n"
             "'it''s'\n")
    got = parse_coding_rules(rules)
    assert got.to_dict("list") == {"code": ["和平", "引用"],
                                   "condition": ["停戦 or 和平", "'it''s'"], "line": [2, 7]}
    toks = table(("d", [("it's", "it's")]), ("d", [("和平", "和平")]))
    coded = apply_coding_rules(toks, rules)
    assert coded[["和平", "引用"]].values.tolist() == [[False, True], [True, False]]


def test_read_coding_rules_reads_utf8_with_bom_and_checks(tmp_path):
    path = tmp_path / "rules.txt"
    path.write_text("*和平\n停戦\n", encoding="utf-8-sig")
    assert read_coding_rules(path) == "*和平\n停戦\n"
    path.write_text("*和平\n停戦 侵攻\n", encoding="utf-8")
    with pytest.raises(CodingRuleError, match="line 1"):
        read_coding_rules(path)


DOCS = table(
    ("x", [("停戦", "停戦")]), ("x", [("侵攻", "侵攻")]), ("x", [("雨", "雨")]),
    ("y", [("停戦", "停戦")]), ("y", [("停戦", "停戦")]),
    ("z", [("晴れ", "晴れ")]),
)
RULES = "*和平\n停戦\n*戦争\n侵攻 | '特別軍事作戦'"


@pytest.mark.parametrize("unit, keys, peace, war", [
    ("sentence", [("x", 0), ("x", 1), ("x", 2), ("y", 0), ("y", 1), ("z", 0)],
     [True, False, False, True, True, False], [False, True, False, False, False, False]),
    ("doc", [("x",), ("y",), ("z",)], [True, True, False], [True, False, False]),
])
def test_units(unit, keys, peace, war):
    got = apply_coding_rules(DOCS.sample(frac=1, random_state=1), RULES, unit=unit)
    assert [tuple(r) for r in got.drop(columns=["和平", "戦争"]).itertuples(index=False)] == keys
    assert got["和平"].tolist() == peace and got["戦争"].tolist() == war


def test_a_string_does_not_run_across_sentences():
    toks = table(("d", [("特別", "特別")]), ("d", [("軍事作戦", "軍事作戦")]))
    assert not apply_coding_rules(toks, "*c\n'特別軍事作戦'", unit="doc")["c"].any()


@pytest.mark.parametrize("kwargs, message", [
    ({"unit": "paragraph"}, "unit='paragraph' is not a unit; use one of ['doc', 'sentence']"),
])
def test_bad_unit(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("(", r"\(")):
        apply_coding_rules(DOCS, RULES, **kwargs)


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match=r"lacks the columns \['lemma'\]"):
        apply_coding_rules(DOCS.drop(columns="lemma"), RULES)


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


def test_exported_from_utils():
    for name in ["parse_coding_rules", "apply_coding_rules", "code_counts", "code_crosstab",
                 "code_chi2", "code_expected", "plot_code_heatmap", "read_coding_rules",
                 "CodingRuleError"]:
        assert getattr(utils, name) is getattr(utils.coding, name)
