"""Tests of utils/persuasion/unitizing.py: Krippendorff's alpha for unitizing (alpha_U) of two span tables.

The reference values are those of DKPro Statistics (github.com/dkpro/dkpro-statistics,
commit f7f4f89136659c50f175ac8db7bfdfc3875b07db), module dkpro-statistics-agreement,
src/test/java/org/dkpro/statistics/agreement/unitizing/:
Krippendorff2004Test.java (the worked example of Krippendorff 2004, p. 254),
Krippendorff1995Test.java (the example of Krippendorff 1995, p. 57) and
UnitizingAgreementTest.java; tolerances are those of the Java tests.
"""
from __future__ import annotations

import math
from fractions import Fraction as F

import pandas as pd
import pytest

import utils
from utils.persuasion.spans import SPAN_COLUMNS, SpanError
from utils.persuasion.unitizing import alpha_u

NC, DOUBT, LL = "Name_Calling-Labeling", "Doubt", "Loaded_Language"
# DKPro's categories as four techniques of four categories (by="technique" keeps them apart)
CATS = {"A": LL, "B": DOUBT, "C": "Slogans", "D": "Whataboutism", "c": LL, "k": NC}
COMMIT = "f7f4f89136659c50f175ac8db7bfdfc3875b07db"


def study(units, *, offset=0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """DKPro's addUnit(begin, length, rater, category) rows as two span tables."""
    tables = [[("d", CATS[c], begin - offset, begin - offset + length)
               for begin, length, rater, c in units if rater == r] for r in (0, 1)]
    return tuple(pd.DataFrame(t, columns=list(SPAN_COLUMNS)) for t in tables)


def run(units, length, *, offset=0, stretch=1):
    """alpha_U of a DKPro study, its positions stretched (and truncated) as the Java does."""
    units = [(int(b * stretch), int(n * stretch), r, c) for b, n, r, c in units]
    units = [u for u in units if u[1]]       # a span table has no empty span (B at 0.5)
    a, b = study(units, offset=offset)
    return alpha_u(a, b, texts={"d": "あ" * int(length * stretch)}, by="technique",
                   universe="all").set_index("technique")


# Krippendorff2004Test.createExample(): continuum 150..450
K2004 = [(225, 70, 0, "c"), (370, 30, 0, "c"), (220, 80, 1, "c"), (355, 20, 1, "c"),
         (400, 20, 1, "c"), (180, 60, 0, "k"), (300, 50, 0, "k"), (180, 60, 1, "k"),
         (300, 50, 1, "k")]
# Krippendorff1995Test.createExample(stretch): continuum 0..24
K1995 = [(2, 8, 0, "A"), (14, 6, 0, "A"), (4, 4, 1, "A"), (15, 2, 1, "A"),
         (0, 18, 0, "B"), (0, 2, 1, "B"), (2, 1, 1, "B"), (3, 1, 1, "B"), (4, 1, 1, "B"),
         (5, 1, 1, "B"), (6, 3, 1, "B"), (9, 1, 1, "B"),
         (2, 6, 0, "C"), (10, 2, 0, "C"), (14, 4, 0, "C"), (20, 2, 0, "C"), (0, 2, 1, "C"),
         (4, 4, 1, "C"), (10, 4, 1, "C"), (16, 2, 1, "C"), (20, 2, 1, "C"),
         (0, 2, 0, "D"), (2, 8, 0, "D"), (10, 4, 0, "D"), (14, 6, 0, "D"), (20, 4, 0, "D"),
         (0, 4, 1, "D"), (4, 4, 1, "D"), (8, 7, 1, "D"), (15, 2, 1, "D"), (17, 7, 1, "D")]
# UnitizingAgreementTest.createExample(): r0 -11111111-, r1 --1-1-1---
UNITIZING = [(1, 8, 0, "A"), (2, 1, 1, "A"), (4, 1, 1, "A"), (6, 1, 1, "A")]

# (name, units, continuum length, offset, stretch, category, column, value, tolerance)
REFERENCE = [
    ("2004 c d_o", K2004, 300, 150, 1, "c", "d_o", 0.0144, 1e-4),
    ("2004 c d_e", K2004, 300, 150, 1, "c", "d_e", 0.0532, 1e-4),
    ("2004 c alpha", K2004, 300, 150, 1, "c", "alpha_u", 0.7286, 1e-4),
    ("2004 k d_o", K2004, 300, 150, 1, "k", "d_o", 0.0, 1e-4),
    ("2004 k d_e", K2004, 300, 150, 1, "k", "d_e", 0.0490, 1e-4),
    ("2004 k alpha", K2004, 300, 150, 1, "k", "alpha_u", 1.0, 1e-4),
    ("unitizing d_o", UNITIZING, 10, 0, 1, "A", "d_o", 0.9100, 1e-4),
    ("unitizing d_e", UNITIZING, 10, 0, 1, "A", "d_e", 0.5351, 1e-4),
    ("unitizing alpha", UNITIZING, 10, 0, 1, "A", "alpha_u", -0.7003, 1e-4),
    *[(f"1995 {c} d_o", K1995, 24, 0, 1, c, "d_o", v, 1e-5)
      for c, v in zip("ABCD", (0.03125, 2.26736, 0.02777, 0.38715))],
    # Krippendorff's (1995) published D_e and alpha hold only for a long continuum, and its
    # D_e has a slip that the 2004 formula corrects, hence DKPro's wider tolerances
    *[(f"1995 {c} d_e", K1995, 24, 0, 50000, c, "d_e", v, 0.005)
      for c, v in zip("ABCD", (0.06990, 1.17731, 0.08642, 0.41445))],
    *[(f"1995 {c} alpha", K1995, 24, 0, 50000, c, "alpha_u", v, 0.02)
      for c, v in zip("ABCD", (0.553, -0.926, 0.679, 0.066))],
    # Krippendorff1995Test.testVaryingLengths: createExample(n / 24.0), n = 12 .. 1200000
    *[(f"1995 C d_o, length {n}", K1995, 24, 0, n / 24, "C", "d_o", 0.02777, 1e-5)
      for n in (12, 120, 1200, 12000, 120000)],
    ("1995 C d_e, length 12", K1995, 24, 0, 0.5, "C", "d_e", 0.05494, 1e-5),
    *[(f"1995 C d_e, length {n}", K1995, 24, 0, n / 24, "C", "d_e", v, 0.005)
      for n, v in ((120, 0.08234), (1200, 0.08600), (12000, 0.08638), (120000, 0.08642))],
    *[(f"1995 C alpha, length {n}", K1995, 24, 0, n / 24, "C", "alpha_u", v, 0.02)
      for n, v in ((12, 0.494), (120, 0.663), (1200, 0.677), (12000, 0.678),
                   (120000, 0.679))],
]


@pytest.mark.parametrize("units, length, offset, stretch, cat, column, value, tol",
                         [r[1:] for r in REFERENCE], ids=[r[0] for r in REFERENCE])
def test_dkpro_reference_values(units, length, offset, stretch, cat, column, value, tol):
    table = run(units, length, offset=offset, stretch=stretch)
    assert table.loc[CATS[cat], column] == pytest.approx(value, abs=tol)


def test_dkpro_pooled_alpha_of_krippendorff_2004():
    # Krippendorff2004Test.testAgreement: calculateAgreement() pools the categories
    table = run(K2004, 300, offset=150).drop("all")
    assert 1 - table["d_o"].sum() / table["d_e"].sum() == pytest.approx(0.8591, abs=5e-4)


# -- exact small cases ------------------------------------------------------------------------
# ネ0 オ1 ナ2 チ3 政4 権5 の6 暴7 挙8 だ9 (L = 10); e: あ10 い11 う12 え13 お14
TEXTS = {"d": "ネオナチ政権の暴挙だ", "e": "あいうえお"}
ATTACK = "Attack on reputation"


def spans(*rows) -> pd.DataFrame:
    return pd.DataFrame([r if len(r) == 4 else ("d", *r) for r in rows],
                        columns=list(SPAN_COLUMNS))


# (name, a, b, doc_ids, [(category, units_a, units_b, d_o, d_e)]); the "all" row equals the
# one category row in each case. D_o = sum of squared distances / L²; D_e worked by hand
# from Krippendorff (2004) with m = 2 (see the module).
EXACT = [
    ("identical", [(NC, 0, 4)], [(NC, 0, 4)], ["d"],
     [(ATTACK, 1, 1, F(0), F(2 * 2 * (28 + 16 * 6), 10 * (380 - 24)))]),
    # 4² for a's unit, which lies in b's single gap
    ("one annotator empty", [(NC, 0, 4)], [], ["d"], [(ATTACK, 1, 0, F(16, 100), F(2, 23))]),
    ("disjoint spans", [(NC, 0, 4)], [(DOUBT, 7, 9)], ["d"],
     [(ATTACK, 1, 1, F(20, 100), F(31, 305))]),
    ("start and end shifted by one", [(NC, 0, 4)], [(NC, 1, 5)], ["d"],
     [(ATTACK, 1, 1, F(2, 100), F(54, 445))]),
    ("end shifted by two", [(NC, 0, 6)], [(NC, 0, 4)], ["d"],
     [(ATTACK, 1, 1, F(4, 100), F(2 * (110 + 36 * 1 + 28 + 16 * 4), 10 * (380 - 42)))]),
    # the same characters cut in two by b: kappa sees full agreement, alpha_U does not
    ("one span against two halves", [(NC, 0, 6)], [(NC, 0, 3), (NC, 3, 6)], ["d"],
     [(ATTACK, 1, 2, F(18, 100), F(166, 845))]),
    # spans of one category that share a character are one unit, as the scorer merges them
    ("overlaps merged", [(NC, 0, 4), (DOUBT, 2, 6)], [(NC, 0, 6)], ["d"],
     [(ATTACK, 1, 1, F(0), F(2 * 220, 10 * (380 - 60)))]),
    # no chance gap crosses the end of d: a's gaps are 2, 4 (in d) and 5 (e), not 2 and 9
    ("two documents", [(NC, 2, 6)], [("e", NC, 1, 5)], ["d", "e"],
     [(ATTACK, 1, 1, F(32, 225), F(376, 6345))]),
]


@pytest.mark.parametrize("a, b, doc_ids, expected", [c[1:] for c in EXACT],
                         ids=[c[0] for c in EXACT])
def test_exact_small_cases(a, b, doc_ids, expected):
    table = alpha_u(spans(*a), spans(*b), texts=TEXTS, doc_ids=doc_ids)
    assert list(table.columns) == ["category", "units_a", "units_b", "d_o", "d_e", "alpha_u",
                                   "kappa"]
    expected = [*expected, ("all", *expected[-1][1:])]
    assert table["category"].tolist() == [row[0] for row in expected]
    for row, (_, units_a, units_b, d_o, d_e) in zip(table.itertuples(), expected):
        assert (row.units_a, row.units_b) == (units_a, units_b)
        assert row.d_o == float(d_o) and row.d_e == float(d_e)
        assert row.alpha_u == float(1 - d_o / d_e)


def test_exact_values_worked_out():
    # the hand-worked fractions above, as alpha_U
    table = {c[0]: alpha_u(spans(*c[1]), spans(*c[2]), texts=TEXTS, doc_ids=c[3])
             for c in EXACT}
    assert table["identical"]["alpha_u"].tolist() == [1.0, 1.0]
    assert table["one annotator empty"].loc[0, "alpha_u"] == float(F(-21, 25))
    assert table["one annotator empty"].loc[0, "kappa"] == 0.0
    assert table["disjoint spans"].loc[0, "alpha_u"] == float(F(-30, 31))
    assert table["start and end shifted by one"].loc[0, "alpha_u"] == float(F(451, 540))
    assert table["one span against two halves"].loc[0, "alpha_u"] == float(F(139, 1660))
    assert table["one span against two halves"].loc[0, "kappa"] == 1.0
    assert table["two documents"].loc[0, "alpha_u"] == float(F(-7, 5))


@pytest.mark.parametrize("missed, cost", [([(NC, 0, 6)], 36),
                                          ([(NC, 0, 2), (NC, 3, 5), (NC, 7, 9)], 12)])
def test_a_missed_unit_costs_its_squared_length(missed, cost):
    table = alpha_u(spans(*missed), spans(), texts=TEXTS, doc_ids=["d"])
    assert table.loc[0, "d_o"] * 100 == pytest.approx(cost, abs=1e-12)


def test_alpha_u_is_symmetric():
    a, b = spans((NC, 0, 4), (LL, 7, 9)), spans((NC, 1, 6), (DOUBT, 7, 8))
    forward = alpha_u(a, b, texts=TEXTS, doc_ids=["d"])
    backward = alpha_u(b, a, texts=TEXTS, doc_ids=["d"])
    assert forward["alpha_u"].tolist() == backward["alpha_u"].tolist()
    assert forward["units_a"].tolist() == backward["units_b"].tolist()


def test_rows_follow_agreement_and_by_technique():
    a, b = spans((NC, 0, 4), (DOUBT, 4, 6)), spans((NC, 0, 6))
    table = alpha_u(a, b, texts=TEXTS, doc_ids=["d"], by="technique")
    kappa = utils.agreement(a, b, texts=TEXTS, doc_ids=["d"], by="technique")
    assert table["technique"].tolist() == kappa["technique"].tolist() == [NC, DOUBT, "all"]
    assert table["kappa"].tolist() == kappa["kappa"].tolist()
    assert table[["units_a", "units_b"]].values.tolist() == [[1, 1], [1, 0], [2, 1]]


# -- the continuum: characters utils.clean removes --------------------------------------------
URL = "https://example.com/a"
WITH_URL = {"d": "停戦だ" + URL + " と述べた。\nXでシェアする"}


def closed_up(text: str) -> str:
    """The text without what utils.clean removes."""
    for start, end in utils.clean(text, urls=True).removed[["start", "end"]].values[::-1]:
        text = text[:start] + text[end:]
    return text


def test_removed_characters_close_up():
    n = len(URL)
    # a crosses the URL (one unit of its 5 kept characters 戦だ␣と述); b marks 停戦 and
    # the chrome line
    a, b = spans((LL, 1, 6 + n)), spans((LL, 0, 2), (LL, 10 + n, 17 + n))
    kept = alpha_u(a, b, texts=WITH_URL)
    closed = closed_up(WITH_URL["d"])
    assert closed == "停戦だ と述べた。\n" and WITH_URL["d"][10 + n:17 + n] == "Xでシェアする"
    same = alpha_u(spans((LL, 1, 6)), spans((LL, 0, 2)), texts={"d": closed})
    assert kept[["units_a", "units_b", "d_o", "d_e", "alpha_u"]].equals(
        same[["units_a", "units_b", "d_o", "d_e", "alpha_u"]])
    every = alpha_u(a, b, texts=WITH_URL, universe="all")
    assert every["units_b"].tolist() == [2, 2] and kept["units_b"].tolist() == [1, 1]


# -- errors and arguments ---------------------------------------------------------------------
A = spans((NC, 0, 4))


@pytest.mark.parametrize("kwargs, error, message", [
    ({"by": "label"}, ValueError, r"^by='label' is not valid; use by='category' or "
                                  r"by='technique'$"),
    ({"universe": "body"}, ValueError, r"^universe='body' is not valid; use 'annotatable'"),
    ({"doc_ids": ["d", "z"]}, ValueError, r"^doc_ids \['z'\] are not in texts"),
    ({"doc_ids": "d"}, TypeError, r"^doc_ids must be a list of str such as"),
    ({"doc_ids": []}, ValueError, r"^doc_ids is empty"),
    ({"texts": {}}, ValueError, r"^texts holds no document"),
    ({"texts": 3}, TypeError, r"^texts must be None \(the bundled corpus\)"),
])
def test_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        alpha_u(A, A, **{"texts": TEXTS, **kwargs})


@pytest.mark.parametrize("b, error, message", [
    ("x", TypeError, r"^b must be a DataFrame .*got str$"),
    (spans((NC, 0, 40)), SpanError, r"^b: span d Name_Calling-Labeling 0-40 ends past the "
                                    r"text, which has 10 characters$"),
    (spans(("q", NC, 0, 4)), SpanError, r"^b: document 'q' is not in texts"),
    (spans(("Name_Calling", 0, 4)), SpanError, r"Name_Calling"),
    (spans((NC, 4, 0)), SpanError, r"^b, row 0: start 4 must be less than end 0"),
])
def test_bad_spans(b, error, message):
    with pytest.raises(error, match=message):
        alpha_u(A, b, texts=TEXTS)


def test_doc_ids_may_be_a_generator():
    expected = alpha_u(A, spans((NC, 0, 6)), texts=TEXTS, doc_ids=["d"])
    got = alpha_u(A, spans((NC, 0, 6)), texts=TEXTS, doc_ids=(d for d in ["d"]))
    pd.testing.assert_frame_equal(got, expected)


def test_nothing_marked_is_undefined():
    table = alpha_u(spans(), spans(), texts=TEXTS)
    assert table["category"].tolist() == ["all"] and math.isnan(table.loc[0, "alpha_u"])


def test_exported_from_utils():
    assert utils.alpha_u is alpha_u
