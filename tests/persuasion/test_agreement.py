"""Tests of utils/persuasion/agreement.py: span F1 and character-level Cohen's kappa between annotators."""
from __future__ import annotations

import math
from fractions import Fraction

import pandas as pd
import pytest
from sweep_tables import check_row

from utils.persuasion.agreement import agreement
from utils.persuasion.spans import SPAN_COLUMNS, SpanError

# ネ0 オ1 ナ2 チ3 政4 権5 の6 暴7 挙8 だ9
TEXTS = {"d": "ネオナチ政権の暴挙だ"}
NC, DOUBT, LL = "Name_Calling-Labeling", "Doubt", "Loaded_Language"
COLUMNS = ["n_a", "n_b", "f1", "chars_a", "chars_b", "chars_both", "kappa"]


def spans(*rows) -> pd.DataFrame:
    full = [row if len(row) == 4 else ("d", *row) for row in rows]
    return pd.DataFrame(full, columns=list(SPAN_COLUMNS))


def rows(table: pd.DataFrame) -> list[tuple]:
    return list(table.itertuples(index=False, name=None))


def kappa(p_o, p_a, p_b):
    """Cohen (1960): (p_o - p_e) / (1 - p_e), p_e from each annotator's rate."""
    p_e = p_a * p_b + (1 - p_a) * (1 - p_b)
    return float((p_o - p_e) / (1 - p_e))


F = Fraction
CASES = [
    ("identical", [(NC, 0, 4)], [(NC, 0, 4)], "category",
     [("Attack on reputation", 1, 1, 1.0, 4, 4, 4, 1.0), ("all", 1, 1, 1.0, 4, 4, 4, 1.0)]),
    ("doctest example", [(NC, 0, 4), (LL, 7, 9)], [(NC, 0, 6)], "category",
     [("Attack on reputation", 1, 1, 0.8, 4, 6, 4, kappa(F(8, 10), F(4, 10), F(6, 10))),
      ("Manipulative wording", 1, 0, 0.0, 2, 0, 0, 0.0),
      ("all", 2, 1, float(F(4, 7)), 6, 6, 4, kappa(F(6, 10), F(6, 10), F(6, 10)))]),
    # Doubt and Name_Calling-Labeling are both "Attack on reputation": no overlap, kappa < 0
    ("disjoint in one category", [(NC, 0, 4)], [(DOUBT, 7, 9)], "category",
     [("Attack on reputation", 1, 1, 0.0, 4, 2, 0, -4 / 11),
      ("all", 1, 1, 0.0, 4, 2, 0, -4 / 11)]),
    ("same category, other technique", [(NC, 0, 4), (DOUBT, 4, 6)], [(NC, 0, 6)], "category",
     [("Attack on reputation", 2, 1, 1.0, 6, 6, 6, 1.0), ("all", 2, 1, 1.0, 6, 6, 6, 1.0)]),
    ("by technique", [(NC, 0, 4), (DOUBT, 4, 6)], [(NC, 0, 6)], "technique",
     [(NC, 1, 1, 0.8, 4, 6, 4, 8 / 13), (DOUBT, 1, 0, 0.0, 2, 0, 0, 0.0),
      ("all", 2, 1, 1.0, 6, 6, 6, 1.0)]),
    # overlapping spans of one category are merged (no double credit), and their characters
    # count once
    ("overlap within one annotator", [(NC, 0, 4), (DOUBT, 2, 6)], [(NC, 0, 6)], "category",
     [("Attack on reputation", 1, 1, 1.0, 6, 6, 6, 1.0), ("all", 1, 1, 1.0, 6, 6, 6, 1.0)]),
    ("overlap within one annotator, by technique", [(NC, 0, 4), (DOUBT, 2, 6)], [(NC, 0, 6)],
     "technique",
     [(NC, 1, 1, 0.8, 4, 6, 4, 8 / 13), (DOUBT, 1, 0, 0.0, 4, 0, 0, 0.0),
      ("all", 1, 1, 1.0, 6, 6, 6, 1.0)]),
    ("everything marked by both", [(LL, 0, 10)], [(LL, 0, 10)], "category",
     [("Manipulative wording", 1, 1, 1.0, 10, 10, 10, math.nan),
      ("all", 1, 1, 1.0, 10, 10, 10, math.nan)]),
    ("nothing marked", [], [], "category", [("all", 0, 0, 1.0, 0, 0, 0, math.nan)]),
]


def same(got: list[tuple], expected: list[tuple]) -> bool:
    if len(got) != len(expected):
        return False
    for row_got, row_expected in zip(got, expected):
        for x, y in zip(row_got, row_expected, strict=True):
            if isinstance(y, float) and math.isnan(y):
                if not (isinstance(x, float) and math.isnan(x)):
                    return False
            elif isinstance(y, float):
                if x != pytest.approx(y, abs=1e-15):
                    return False
            elif x != y:
                return False
    return True


@pytest.mark.parametrize("a, b, by, expected", [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_agreement_table(a, b, by, expected):
    result = agreement(spans(*a), spans(*b), texts=TEXTS, by=by)
    assert list(result.columns) == [by, *COLUMNS]
    assert same(rows(result), expected), rows(result)


@pytest.mark.parametrize("a, b", [([(NC, 0, 4), (LL, 7, 9)], [(NC, 0, 6)]),
                                  ([(NC, 0, 4)], [(DOUBT, 7, 9)])])
def test_agreement_is_symmetric(a, b):
    forward = agreement(spans(*a), spans(*b), texts=TEXTS)
    backward = agreement(spans(*b), spans(*a), texts=TEXTS)
    assert forward["f1"].tolist() == backward["f1"].tolist()
    assert forward["kappa"].tolist() == backward["kappa"].tolist()
    assert forward["chars_a"].tolist() == backward["chars_b"].tolist()


def test_kappa_counts_every_character_of_every_text():
    texts = {"d": TEXTS["d"], "e": "あいうえお"}          # e is unannotated: 15 characters
    result = agreement(spans((NC, 0, 4)), spans((DOUBT, 7, 9)), texts=texts)
    assert result.loc[0, "kappa"] == pytest.approx(-8 / 37, abs=1e-15)
    assert result.loc[0, "kappa"] == kappa(F(9, 15), F(4, 15), F(2, 15))


def test_doc_ids_restrict_spans_and_characters():
    texts = {"d": TEXTS["d"], "e": "あいうえお", "f": "かきくけこ"}
    a = spans((NC, 0, 4), ("f", DOUBT, 0, 5))          # f is left out below
    result = agreement(a, spans((DOUBT, 7, 9)), texts=texts, doc_ids=["d", "e"])
    assert rows(result)[0][:7] == ("Attack on reputation", 1, 1, 0.0, 4, 2, 0)
    assert result.loc[0, "kappa"] == kappa(F(9, 15), F(4, 15), F(2, 15))


@pytest.mark.parametrize("doc_ids, error, message", [
    (["d", "z"], ValueError, "doc_ids ['z'] are not in texts (known: d)"),
    ("d", TypeError, "doc_ids must be a list of str such as ['002', '004'], got 'd'"),
])
def test_bad_doc_ids(doc_ids, error, message):
    with pytest.raises(error) as err:
        agreement(spans(), spans(), texts=TEXTS, doc_ids=doc_ids)
    assert str(err.value) == message


def test_agreement_accepts_a_corpus_table():
    corpus = pd.DataFrame({"doc_id": ["d"], "text": [TEXTS["d"]]})
    result = agreement(spans((NC, 0, 4)), spans((NC, 0, 4)), texts=corpus)
    assert rows(result)[-1] == ("all", 1, 1, 1.0, 4, 4, 4, 1.0)


@pytest.mark.parametrize("a, error, message", [
    ([("q", NC, 0, 4)], SpanError,
     "a: document 'q' is not in texts (known: d); kappa counts characters, so every annotated "
     "text is needed"),
    ([(NC, 0, 40)], SpanError,
     "a: span d Name_Calling-Labeling 0-40 ends past the text, which has 10 characters"),
    ([(NC, 4, 0)], SpanError, "a, row 0: start 4 must be less than end 0"),
])
def test_agreement_errors(a, error, message):
    with pytest.raises(error) as err:
        agreement(spans(*a), spans((NC, 0, 4)), texts=TEXTS)
    assert str(err.value).startswith(message)


def test_agreement_rejects_an_unknown_grouping():
    with pytest.raises(ValueError, match="^by='label' is not valid; use by='category' or "
                                         "by='technique'$"):
        agreement(spans(), spans(), texts=TEXTS, by="label")


# -- issue 13 -------------------------------------------------------------------------------------

def test_doc_ids_may_be_a_generator():
    texts = {"d": TEXTS["d"], "e": "あいうえお"}
    expected = agreement(spans((NC, 0, 4)), spans((NC, 0, 6)), texts=texts, doc_ids=["d"])
    result = agreement(spans((NC, 0, 4)), spans((NC, 0, 6)), texts=texts,
                       doc_ids=(d for d in ["d"]))
    pd.testing.assert_frame_equal(result, expected)
    assert result.loc[0, "chars_a"] == 4


@pytest.mark.parametrize("doc_ids, error, message", [
    ([], ValueError, r"^doc_ids is empty; list the documents both annotators worked on"),
    (iter([]), ValueError, r"^doc_ids is empty"),
    (["d", "d"], ValueError, r"^doc_ids repeats \['d'\]; list each document once$"),
    ([float("nan")], TypeError, r"^doc_ids must be a list of str such as \['002', '004'\], "
                                r"got \[nan\]"),
    (3, TypeError, r"^doc_ids must be a list of str such as \['002', '004'\], got 3$"),
])
def test_bad_doc_ids_more(doc_ids, error, message):
    with pytest.raises(error, match=message):
        agreement(spans(), spans(), texts=TEXTS, doc_ids=doc_ids)


# -- the sweep ------------------------------------------------------------------------------------

NAN = float("nan")
A = spans((NC, 0, 4))
ALL_ROW = ("all", 1, 1, 1.0, 4, 4, 4, 1.0)

SWEEP_AGREEMENT = [
    ((None, A), {}, (TypeError, r"^a must be a DataFrame with columns")),
    ((A, "x"), {}, (TypeError, r"^b must be a DataFrame .*got str$")),
    ((A, A), {"by": None}, (ValueError, r"^by=None is not valid; use by='category' or "
                                        r"by='technique'$")),
    ((A, A), {"by": "Category"}, (ValueError, r"^by='Category' is not valid")),
    ((A, A), {"texts": 3}, (TypeError, r"^texts must be None \(the bundled corpus\)")),
    ((A, A), {"texts": {}}, (ValueError, r"^texts holds no document; kappa counts the "
                                         r"characters")),
    ((A, A), {"texts": {"d": TEXTS["d"], NAN: "x"}},
     (TypeError, r"^texts: doc_id must be a str such as '000', found nan \(float\)$")),
    ((A, A), {"texts": pd.DataFrame({"doc_id": ["d", "d"], "text": ["x", "y"]})},
     (ValueError, r"^texts: doc_id values must be unique; repeated: \['d'\]$")),
    ((A, A), {"texts": {"d": None}}, (TypeError, r"^texts: the text of document 'd' must be a "
                                                 r"str, found None")),
    ((A, A), {"doc_ids": None}, ALL_ROW),
    ((A, A), {"doc_ids": {"d"}}, ALL_ROW),
    ((A, A), {"doc_ids": pd.Series(["d"])}, ALL_ROW),
    ((A, A), {"doc_ids": (d for d in "d")}, ALL_ROW),
    ((A, A), {"doc_ids": []}, (ValueError, r"^doc_ids is empty")),
    ((A, A), {"doc_ids": ["d", "d"]}, (ValueError, r"^doc_ids repeats \['d'\]")),
    ((A, A), {"doc_ids": [None]}, (TypeError, r"^doc_ids must be a list of str .*got \[None\]$")),
    ((A, A), {"doc_ids": b"d"}, (TypeError, r"^doc_ids must be a list of str .*got b'd'$")),
    ((A, A), {"doc_ids": ["d\u2028"]}, (ValueError, r"^doc_ids \['d\\u2028'\] are not in texts")),
    ((A.assign(doc_id=NAN), A), {}, (SpanError, r"^a, row 0: doc_id must be a str .*found nan$")),
    ((A, A.assign(end=4.0)), {}, (SpanError, r"^b, row 0: end must be a non-negative integer")),
    ((A, A.assign(end=11)), {}, (SpanError, r"^b: span d Name_Calling-Labeling 0-11 ends past "
                                            r"the text, which has 10 characters$")),
]


@pytest.mark.parametrize("args, kwargs, expected", SWEEP_AGREEMENT)
def test_sweep_agreement(args, kwargs, expected):
    check_row(lambda *a, **k: rows(agreement(*a, **k))[-1], args,
              {"texts": TEXTS, **kwargs}, expected)


# a text with a body line, a share-button line (chrome) and a URL: 「停戦だ」 is the body
UNIVERSE_TEXT = "停戦だと述べた。\nhttps://example.com/a\nXでシェアする"
LL = "Loaded_Language"


@pytest.mark.parametrize("universe, total", [("annotatable", 9), ("all", len(UNIVERSE_TEXT))])
def test_kappa_counts_only_the_characters_clean_keeps(universe, total):
    # a marks 停戦 (2 chars); b marks 停戦 and the share button line, which is chrome
    a = pd.DataFrame([("d", LL, 0, 2)], columns=list(SPAN_COLUMNS))
    b = pd.DataFrame([("d", LL, 0, 2), ("d", LL, 31, 38)], columns=list(SPAN_COLUMNS))
    row = agreement(a, b, texts={"d": UNIVERSE_TEXT}, universe=universe).iloc[-1]
    chrome = 0 if universe == "annotatable" else 7
    assert (row.chars_a, row.chars_b, row.chars_both) == (2, 2 + chrome, 2)
    p_o = Fraction(total - chrome, total)
    p_a, p_b = Fraction(2, total), Fraction(2 + chrome, total)
    p_e = p_a * p_b + (1 - p_a) * (1 - p_b)
    assert row.kappa == pytest.approx(float((p_o - p_e) / (1 - p_e)))
    assert (row.kappa == 1.0) == (universe == "annotatable")   # disagreement only on chrome


def test_kappa_universe_on_the_corpus_leaves_out_004s_repeated_body():
    import numpy as np

    import utils

    ann = utils.CORPUS_DIR / "annotations"
    gold, b = utils.read_spans(ann / "gold.tsv"), utils.read_spans(ann / "annotator_b.tsv")
    kept = agreement(gold, b, doc_ids=["004"]).iloc[-1]
    every = agreement(gold, b, doc_ids=["004"], universe="all").iloc[-1]
    body = utils.load_corpus().set_index("doc_id").text["004"]
    removed = np.zeros(len(body), dtype=bool)
    for start, end in zip(*utils.clean(body, urls=True).removed[["start", "end"]].T.values):
        removed[start:end] = True
    in_gold = np.zeros(len(body), dtype=bool)
    for start, end in zip(*gold[gold.doc_id == "004"][["start", "end"]].T.values):
        in_gold[start:end] = True
    # the gold's second copies of 004's spans lie in the repeated body: not counted
    assert every.chars_a - kept.chars_a == int((in_gold & removed).sum()) > 0
    assert kept.kappa != every.kappa


@pytest.mark.parametrize("universe", ["text", "", None, "ALL"])
def test_an_unknown_universe_is_named(universe):
    a = pd.DataFrame([("d", LL, 0, 2)], columns=list(SPAN_COLUMNS))
    with pytest.raises(ValueError, match=r"universe=.* is not valid; use 'annotatable'"):
        agreement(a, a, texts={"d": UNIVERSE_TEXT}, universe=universe)
