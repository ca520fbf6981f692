"""Tests of utils/analysis/coding.py: KH Coder-style coding rules read and applied by sentence or text."""
from __future__ import annotations

import pandas as pd
import pytest

import utils
from utils.analysis.coding import (CodingRuleError, apply_coding_rules, parse_coding_rules,
                          read_coding_rules)


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
    ("*a\n停戦 侵攻", "line 2 (*a): two items with no operator between them; write or (|) "
                     "or and (&) before '侵攻'"),
    ("*a\n停戦 |\n侵攻 |\n和平 合意", "line 4 (*a): two items with no operator"),   # the bad line
    ("*a\n停戦 |\n", "line 2 (*a): the condition ends where a word"),
    ("*a\n停戦\n# fine\n| 'x", "line 4 (*a): the quote ' opened at"),
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
    with pytest.raises(CodingRuleError, match="line 2"):
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


def test_exported_from_utils():
    for name in ["parse_coding_rules", "apply_coding_rules", "code_counts", "code_crosstab",
                 "code_chi2", "code_expected", "plot_code_heatmap", "read_coding_rules",
                 "CodingRuleError"]:
        module = utils.analysis.coding if hasattr(utils.analysis.coding, name) else utils.analysis.codetables
        assert getattr(utils, name) is getattr(module, name)
