"""Tests of utils/analysis/keyness.py: keyness, log_likelihood, log_ratio."""
from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2, power_divergence

import utils
from utils.analysis.freq import frequencies
from utils.analysis.keyness import KEYNESS_COLUMNS, critical_g2, keyness, log_likelihood, log_ratio


def lemmas(**counts) -> pd.DataFrame:
    """A token table of lemmas (all nouns) with the given counts, in one document."""
    words = [w for w, k in counts.items() for _ in range(k)]
    return pd.DataFrame({"lemma": words, "pos1": "名詞"})


# target: 10 tokens, reference: 20 tokens
TARGET = lemmas(停戦=6, 合意=2, 核=2)
REFERENCE = lemmas(停戦=2, 合意=16, 延期=2)


def g2_by_hand(a, b, c, d):
    """Rayson & Garside's two-cell log-likelihood, written out."""
    e1, e2 = c * (a + b) / (c + d), d * (a + b) / (c + d)
    return 2 * ((a * math.log(a / e1) if a else 0) + (b * math.log(b / e2) if b else 0))


def test_keyness_table_by_hand():
    table = keyness(TARGET, REFERENCE, min_count=1)
    assert list(table.columns) == KEYNESS_COLUMNS
    expected = [  # term, a, b, log ratio, direction (G² order: 5.81, 4.81, 4.39, 1.62)
        ("停戦", 6, 2, math.log2(6), "target"),       # 0.6 vs 0.1
        ("合意", 2, 16, -2.0, "reference"),           # 0.2 vs 0.8
        ("核", 2, 0, 3.0, "target"),                  # 0 replaced by 0.5: 0.2 vs 0.025
        ("延期", 0, 2, -1.0, "reference"),            # 0.05 vs 0.1
    ]
    assert table.term.tolist() == [t for t, *_ in expected]
    for row, (term, a, b, lr, direction) in zip(table.itertuples(index=False), expected):
        assert (row.count_target, row.count_reference, row.direction) == (a, b, direction)
        assert row.per_10k_target == pytest.approx(a * 10000 / 10)
        assert row.per_10k_reference == pytest.approx(b * 10000 / 20)
        assert row.g2 == pytest.approx(g2_by_hand(a, b, 10, 20))
        assert row.log_ratio == pytest.approx(lr)
        assert row.p_value == pytest.approx(chi2.sf(row.g2, 1))
    assert table.g2.tolist() == pytest.approx([5.8078, 4.8114, 4.3944, 1.6219], abs=1e-4)


@pytest.mark.parametrize("a, b, c, d", [(6, 2, 10, 20), (2, 0, 10, 20), (0, 2, 10, 20),
                                         (19, 0, 4821, 6197), (1, 1, 100, 100)])
def test_log_likelihood_agrees_with_scipy(a, b, c, d):
    expected = [c * (a + b) / (c + d), d * (a + b) / (c + d)]
    g2 = power_divergence([a, b], f_exp=expected, lambda_="log-likelihood").statistic
    assert float(log_likelihood(a, b, c, d)) == pytest.approx(g2, abs=1e-12)


@pytest.mark.parametrize("a, b, c, d, expected", [
    (8, 2, 1000, 1000, 2.0), (2, 8, 1000, 1000, -2.0), (5, 5, 1000, 2000, 1.0),
    (4, 0, 1000, 2000, 4.0), (0, 4, 1000, 1000, -3.0),
])
def test_log_ratio(a, b, c, d, expected):
    assert float(log_ratio(a, b, c, d)) == pytest.approx(expected)


def test_equal_rates_have_no_keyness():
    table = keyness(lemmas(停戦=1, 合意=1), lemmas(停戦=2, 合意=2), min_count=1)
    assert table.direction.tolist() == ["equal", "equal"]
    assert table.g2.tolist() == pytest.approx([0.0, 0.0], abs=1e-12)
    assert table.p_value.tolist() == pytest.approx([1.0, 1.0])
    assert table.term.tolist() == ["停戦", "合意"]  # ties by term (code point order)


@pytest.mark.parametrize("min_count, terms", [(1, ["停戦", "合意", "核", "延期"]),
                                               (5, ["停戦", "合意"]), (9, ["合意"]),
                                               (19, [])])
def test_min_count_is_on_both_corpora_together(min_count, terms):
    table = keyness(TARGET, REFERENCE, min_count=min_count)
    assert table.term.tolist() == terms
    assert list(table.columns) == KEYNESS_COLUMNS


def test_pos_filters_terms_but_not_the_corpus_sizes():
    target = pd.concat([TARGET, pd.DataFrame({"lemma": ["の"] * 10, "pos1": "助詞"})])
    table = keyness(target, REFERENCE, pos=["名詞"], min_count=1)
    assert "の" not in set(table.term)
    row = table.set_index("term").loc["停戦"]
    assert row.g2 == pytest.approx(g2_by_hand(6, 2, 20, 20))
    assert row.per_10k_target == pytest.approx(6 * 10000 / 20)


def test_frequency_tables_give_the_same_result():
    toks = utils.tokenize(["ロシアは停戦を拒んだ。停戦は遠い。", "停戦合意が成立した。合意を歓迎する。"])
    a, b = toks[toks.doc_id == "000"], toks[toks.doc_id == "001"]
    direct = keyness(a, b, pos=["名詞"], min_count=1)
    via_freq = keyness(frequencies(a, pos=["名詞"]), frequencies(b, pos=["名詞"]), min_count=1)
    pd.testing.assert_frame_equal(direct, via_freq)
    # without per_10k the size is the sum of the counts
    plain = keyness(pd.DataFrame({"term": ["停戦", "合意", "核"], "count": [6, 2, 2]}),
                    pd.DataFrame({"term": ["停戦", "合意", "延期"], "count": [2, 16, 2]}),
                    min_count=1)
    pd.testing.assert_frame_equal(plain, keyness(TARGET, REFERENCE, min_count=1))


@pytest.mark.parametrize("target, reference, kwargs, error, message", [
    (TARGET.iloc[:0], REFERENCE, {}, ValueError, r"^target is empty"),
    (TARGET, REFERENCE.iloc[:0], {}, ValueError, r"^reference is empty"),
    (["停戦"], REFERENCE, {}, TypeError, r"target must be a pandas DataFrame.*got list"),
    (TARGET, None, {}, TypeError, r"reference must be a pandas DataFrame.*got NoneType"),
    (TARGET, REFERENCE, {"by": "surface"}, ValueError, r"by='surface' is not a column of target"),
    (TARGET, REFERENCE, {"min_count": 0}, ValueError, r"min_count must be an integer >= 1"),
    (TARGET, REFERENCE, {"pos": ["noun"]}, ValueError, r"pos contains 'noun'"),
    (TARGET, REFERENCE.drop(columns="pos1"), {"pos": ["名詞"]}, ValueError,
     r"reference is missing the column\(s\) \['pos1'\]"),
    (TARGET, pd.DataFrame({"term": ["停戦", "停戦"], "count": [1, 2]}), {}, ValueError,
     r"reference has several rows for term '停戦'"),
    (TARGET, pd.DataFrame({"term": ["停戦"], "count": [1.5]}), {}, ValueError,
     r"count' of reference must hold whole numbers >= 0, but term '停戦' has 1.5"),
    (TARGET, pd.DataFrame({"term": ["停戦"], "count": [0]}), {}, ValueError,
     r"reference has no tokens"),
    (pd.DataFrame({"term": ["停戦"], "count": [3]}), REFERENCE, {"pos": ["名詞"]}, ValueError,
     r"target is a frequency table .*pos= and stopwords= cannot apply"),
    (TARGET.assign(lemma=[None] + ["停戦"] * 9), REFERENCE, {}, ValueError,
     r"column 'lemma' of target has 1 missing value"),
])
def test_keyness_rejects_bad_input(target, reference, kwargs, error, message):
    with pytest.raises(error, match=message):
        keyness(target, reference, **kwargs)


def test_target_and_reference_must_not_share_tokens():
    toks = pd.DataFrame({"doc_id": ["000"] * 3 + ["001"] * 3, "token_id": [0, 1, 2] * 2,
                         "lemma": ["停戦", "合意", "核", "停戦", "停戦", "延期"]})
    assert len(keyness(toks[toks.doc_id == "000"], toks[toks.doc_id != "000"], min_count=1))
    with pytest.raises(ValueError, match=r"share 3 token\(s\).*\('000', 0\).*rest of the corpus"):
        keyness(toks[toks.doc_id == "000"], toks, min_count=1)


# ---------------------------------------------------------------- the real corpus

def test_key_nouns_of_002_against_the_rest(corpus, tokens):
    target, reference = tokens[tokens.doc_id == "002"], tokens[tokens.doc_id != "002"]
    table = keyness(target, reference, pos=["名詞"])
    # the same ranking computed independently, with Counter and the formula written out
    a = Counter(target.lemma[target.pos1 == "名詞"])
    b = Counter(reference.lemma[reference.pos1 == "名詞"])
    c, d = len(target), len(reference)
    scored = sorted(((-g2_by_hand(a[w], b[w], c, d), w) for w in a.keys() | b.keys()
                     if a[w] + b[w] >= 5))
    assert table.term.head(10).tolist() == [w for _, w in scored[:10]]
    assert table.g2.head(10).tolist() == pytest.approx([-g for g, _ in scored[:10]])
    assert table.term.head(3).tolist() == ["ポクロウシク", "停戦", "首脳"]
    overused = table[table.direction == "target"]
    assert overused.term.head(3).tolist() == ["ポクロウシク", "首脳", "多極"]
    # ポクロウシク (Pokrovsk) occurs 19 times in 002 and nowhere else
    raw = dict(zip(corpus.doc_id, corpus.text))
    assert table.iloc[0][["count_target", "count_reference"]].tolist() == [19, 0]
    assert raw["002"].count("ポクロウシク") == 19
    assert sum(raw[k].count("ポクロウシク") for k in raw if k != "002") == 0
    assert np.isfinite(table.log_ratio).all()


def test_stopwords_are_removed_from_the_terms():
    toks = utils.tokenize(["ロシアは停戦を拒んだ。", "米国は停戦を求めた。"])
    a, b = toks[toks.doc_id == "000"], toks[toks.doc_id == "001"]
    table = keyness(a, b, stopwords=True, min_count=1)
    expected = set(utils.remove_stopwords(toks).lemma)
    assert set(table.term) == expected
    assert "は" not in expected
    row = table.set_index("term").loc["ロシア"]
    assert row.g2 == pytest.approx(g2_by_hand(1, 0, len(a), len(b)))


# ---------------------------------------------------------------- issue 13

@pytest.mark.parametrize("count", [math.inf, -math.inf, 1e300 * 1e10])
def test_keyness_refuses_an_infinite_count(count):
    freqs = pd.DataFrame({"term": ["停戦", "合意"], "count": [3.0, count]})
    with pytest.raises(ValueError, match=r"column 'count' of target must hold whole numbers "
                                         r">= 0, but term '合意' has -?inf"):
        keyness(freqs, REFERENCE)


def test_keyness_refuses_duplicated_tokens():
    toks = TARGET.assign(doc_id="000", token_id=range(len(TARGET)))
    with pytest.raises(ValueError, match=r"target has 1 duplicated \(doc_id, token_id\)"):
        keyness(pd.concat([toks, toks.tail(1)]), REFERENCE)


def test_keyness_refuses_mixed_doc_ids():
    toks = TARGET.assign(doc_id=["000"] * 9 + [1], token_id=range(len(TARGET)))
    with pytest.raises(ValueError, match=r"column 'doc_id' of target mixes str and number"):
        keyness(toks, REFERENCE)


# ---------------------------------------------------------------- sweep (issue 13)

from sweep_tables import BAD_TABLES, ODD_TERMS, good, renamed  # noqa: E402


@pytest.mark.parametrize("case", BAD_TABLES, ids=[c[0] for c in BAD_TABLES])
def test_sweep_keyness_bad_tables(case):
    _, make, error, message = case
    with pytest.raises(error, match=message.format(name="target")):
        keyness(make(), REFERENCE)


@pytest.mark.parametrize("freqs, error, message", [
    ({"term": ["停戦"], "count": [10**30]}, ValueError, r"whole numbers >= 0, but term '停戦' has 10{30}"),
    ({"term": ["停戦"], "count": [2.0 ** 63]}, ValueError, r"whole numbers >= 0, but term '停戦'"),
    ({"term": ["停戦"], "count": [-1]}, ValueError, r"whole numbers >= 0, but term '停戦' has -1"),
    ({"term": ["停戦"], "count": [True]}, ValueError, r"whole numbers >= 0, but term '停戦' has True"),
    ({"term": ["停戦"], "count": ["3"]}, ValueError, r"whole numbers >= 0, but term '停戦' has '3'"),
    ({"term": ["停戦", 1], "count": [3, 1]}, ValueError, r"column 'term' of target mixes str and number"),
    ({"term": ["停戦"], "count": [None]}, ValueError, r"column 'count' of target has 1 missing"),
    ({"term": ["停戦", "合意"], "count": [3, 1], "per_10k": [1.0, 7.0]}, ValueError,
     r"column 'per_10k' of target does not match"),
])
def test_sweep_keyness_bad_frequency_tables(freqs, error, message):
    with pytest.raises(error, match=message):
        keyness(pd.DataFrame(freqs), REFERENCE, min_count=1)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"by": None}, TypeError, r"by must be a column name \(str\)"),
    ({"by": ["lemma"]}, TypeError, r"by must be a column name \(str\)"),
    ({"min_count": None}, TypeError, r"min_count must be an integer >= 1, got None"),
    ({"min_count": -5}, ValueError, r"min_count must be an integer >= 1, got -5"),
    ({"stopwords": 0}, TypeError, r"stopwords must be True or False, got 0"),
    ({"pos": 3}, TypeError, r"pos must be a list of pos1 values"),
])
def test_sweep_keyness_options(kwargs, error, message):
    with pytest.raises(error, match=message):
        keyness(TARGET, REFERENCE, **kwargs)


def test_sweep_keyness_doc_ids_of_two_kinds():
    target = good().iloc[:6]
    reference = good().iloc[6:].assign(doc_id=1)
    with pytest.raises(ValueError, match=r"the doc_ids of target are str \('000'\) but "
                                         r"those of reference are number \(1\)"):
        keyness(target, reference)


@pytest.mark.parametrize("term", ODD_TERMS, ids=[f"U+{ord(t[0]):04X}" for t in ODD_TERMS])
def test_sweep_keyness_of_odd_terms(term):
    odd = renamed(good(), "停戦", term)
    got = keyness(odd.iloc[:6], odd.iloc[6:], min_count=1)
    expected = keyness(good().iloc[:6], good().iloc[6:], min_count=1)
    spelled = got.assign(term=got["term"].replace(term, "停戦"))
    pd.testing.assert_frame_equal(spelled.sort_values("term", ignore_index=True),
                                  expected.sort_values("term", ignore_index=True))


@pytest.mark.parametrize("function", [log_likelihood, log_ratio])
@pytest.mark.parametrize("args, error, message", [
    ((None, 2, 10, 20), TypeError, r"a must be a count \(a number >= 0\).*got None"),
    (("6", 2, 10, 20), TypeError, r"a must be a count .*got '6'"),
    ((6, True, 10, 20), TypeError, r"b must be a count .*got True"),
    ((6, 2, [10, "x"], 20), TypeError, r"c must be a count .*got \[10, 'x'\]"),
    ((float("nan"), 2, 10, 20), ValueError, r"a must be a finite number >= 0, got nan"),
    ((math.inf, 2, 10, 20), ValueError, r"a must be a finite number >= 0, got inf"),
    ((6, 2, math.inf, 20), ValueError, r"c must be a finite number > 0, got inf"),
    ((6, -2, 10, 20), ValueError, r"b must be a finite number >= 0, got -2.0"),
    ((0, 0, 0, 20), ValueError, r"c must be a finite number > 0, got 0.0"),
    ((6, 2, 10, -20), ValueError, r"d must be a finite number > 0, got -20.0"),
    ((11, 2, 10, 20), ValueError, r"a count cannot exceed its corpus size \(a and c: 11 > 10\)"),
    ((6, [2, 30], 10, 20), ValueError, r"a count cannot exceed its corpus size \(b and d: 30 > 20\)"),
    ((10**30, 2, 10, 20), ValueError, r"a count cannot exceed its corpus size"),
])
def test_sweep_log_likelihood_and_log_ratio(function, args, error, message):
    with pytest.raises(error, match=message):
        function(*args)


def test_sweep_log_likelihood_and_log_ratio_legit_edges():
    assert float(log_likelihood(0, 0, 10, 20)) == 0.0     # a term in neither corpus
    assert float(log_likelihood(10, 20, 10, 20)) == pytest.approx(0.0)  # every token
    assert float(log_ratio(0, 0, 10, 20)) == pytest.approx(1.0)  # 0.5/10 against 0.5/20
    assert np.isfinite(log_likelihood([0, 3, 10], [20, 3, 0], 10, 20)).all()


# --- zeros and many comparisons (an honest keyness rule) ---------------------------------

@pytest.mark.parametrize("a, b, c, d, zero, expected", [
    (4, 0, 1000, 2000, 0.5, 4.0),           # Hardie's 0.5: 4/1000 against 0.5/2000
    (4, 0, 1000, 2000, 0.1, math.log2(80)),  # the value follows the pseudo-count
    (4, 0, 1000, 2000, 1, 3.0),
    (0, 4, 1000, 1000, 0.5, -3.0),
    (8, 2, 1000, 1000, None, 2.0),           # no zero: the same as ever
    (4, 0, 1000, 2000, None, math.nan),      # only in the target: no ratio
    (0, 4, 1000, 1000, None, math.nan),
    (0, 0, 10, 20, None, math.nan),
])
def test_log_ratio_zero(a, b, c, d, zero, expected):
    got = float(log_ratio(a, b, c, d, zero=zero))
    assert (math.isnan(got) and math.isnan(expected)) or got == pytest.approx(expected)


def test_keyness_without_a_pseudo_count_leaves_one_sided_terms_without_a_ratio():
    table = keyness(TARGET, REFERENCE, min_count=1, zero=None).set_index("term")
    assert table.loc["停戦", "log_ratio"] == pytest.approx(math.log2(6))
    assert table.loc["合意", "log_ratio"] == pytest.approx(-2.0)
    assert table.loc[["核", "延期"], "log_ratio"].isna().all()
    # G², p-values and directions do not depend on the pseudo-count
    smooth = keyness(TARGET, REFERENCE, min_count=1).set_index("term")
    pd.testing.assert_frame_equal(table.drop(columns="log_ratio"),
                                  smooth.drop(columns="log_ratio"))


@pytest.mark.parametrize("min_count, tests", [(1, 4), (5, 2), (9, 1)])
def test_bonferroni_multiplies_each_p_value_by_the_number_of_terms(min_count, tests):
    plain = keyness(TARGET, REFERENCE, min_count=min_count)
    corrected = keyness(TARGET, REFERENCE, min_count=min_count, correction="bonferroni")
    assert len(corrected) == tests
    expected = [min(1.0, chi2.sf(g, 1) * tests) for g in plain.g2]
    assert corrected.p_value.tolist() == pytest.approx(expected)
    pd.testing.assert_frame_equal(corrected.drop(columns="p_value"), plain.drop(columns="p_value"))


def test_bonferroni_p_values_agree_with_the_critical_g2():
    table = keyness(TARGET, REFERENCE, min_count=1, correction="bonferroni")
    limit = critical_g2(0.05, tests=len(table))
    assert ((table.p_value < 0.05) == (table.g2 > limit)).all()
    assert table.p_value.tolist() == pytest.approx([0.0638, 0.1131, 0.1443, 0.8113], abs=1e-4)


@pytest.mark.parametrize("p, tests, expected", [
    (0.05, 1, 3.8415), (0.01, 1, 6.6349), (0.001, 1, 10.8276), (0.0001, 1, 15.1367),
    (0.05, 500, 15.1367), (0.05, 10, 7.8794),
])
def test_critical_g2(p, tests, expected):
    assert critical_g2(p, tests=tests) == pytest.approx(expected, abs=1e-4)
    assert chi2.sf(critical_g2(p, tests=tests), 1) == pytest.approx(p / tests)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"zero": 0}, ValueError, r"zero must be a pseudo-count > 0 such as 0.5.*got 0"),
    ({"zero": -0.5}, ValueError, r"zero must be a pseudo-count > 0.*got -0.5"),
    ({"zero": "0.5"}, ValueError, r"zero must be a pseudo-count > 0.*got '0.5'"),
    ({"zero": math.inf}, ValueError, r"zero must be a pseudo-count > 0.*got inf"),
    ({"zero": True}, ValueError, r"zero must be a pseudo-count > 0.*got True"),
    ({"correction": "holm"}, ValueError, r"correction must be None or one of \['bonferroni'\], "
                                         r"got 'holm'"),
    ({"correction": True}, ValueError, r"correction must be None or one of"),
])
def test_keyness_refuses_bad_zero_and_correction(kwargs, error, message):
    with pytest.raises(error, match=message):
        keyness(TARGET, REFERENCE, **kwargs)


@pytest.mark.parametrize("args, kwargs, error, message", [
    ((0,), {}, ValueError, r"p must be a significance level between 0 and 1 .*got 0"),
    ((1.5,), {}, ValueError, r"p must be .*got 1.5"),
    (("0.05",), {}, ValueError, r"p must be .*got '0.05'"),
    ((0.05,), {"tests": 0}, ValueError, r"tests must be an integer >= 1, got 0"),
    ((0.05,), {"tests": 2.5}, TypeError, r"tests must be an integer >= 1, got 2.5"),
])
def test_critical_g2_refuses_bad_input(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        critical_g2(*args, **kwargs)
