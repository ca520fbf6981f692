"""Tests of utils/persuasion/baseline.py: the leave-one-text-out paragraph baseline and its scorer."""
from __future__ import annotations

import pandas as pd
import pytest

from utils.persuasion.baseline import category_scores, paragraph_baseline, paragraph_categories
from utils.analysis.corpus import load_corpus
from utils.persuasion.paragraphs import PARAGRAPH_COLUMNS, paragraph_labels, paragraph_scores
from utils.persuasion.span_files import read_spans

LL, DOUBT = "Loaded_Language", "Doubt"
AOR, MW = "Attack on reputation", "Manipulative wording"


def spans(*rows):
    return pd.DataFrame(list(rows), columns=["doc_id", "technique", "start", "end"])


def rows(table):
    assert list(table.columns) == PARAGRAPH_COLUMNS
    return list(table.itertuples(index=False, name=None))


# a: two Doubt paragraphs, b: two Loaded_Language paragraphs, c: one without any
TEXTS = {"a": "疑う\n疑わしい", "b": "ひどい\n\n最悪", "c": "何か"}
GOLD = spans(("a", DOUBT, 0, 2), ("a", DOUBT, 3, 5), ("b", LL, 0, 3), ("b", LL, 5, 7))
# every paragraph of a and b has Loaded_Language; c has none
LOADED = {"a": "暴挙", "b": "暴挙だ", "c": "静かな朝"}
LOADED_GOLD = spans(("a", LL, 0, 2), ("b", LL, 0, 2))


@pytest.mark.parametrize("texts, gold, kwargs, expected", [
    # majority: the label of most training paragraphs; c's fold ties 2-2, the first name wins
    (TEXTS, GOLD, {"method": "majority"},
     [("a", 1, (LL,)), ("a", 2, (LL,)), ("b", 1, (DOUBT,)), ("b", 3, (DOUBT,)),
      ("c", 1, (DOUBT,))]),
    # an excluded paragraph is not trained on (c's fold is 1-2 now) and not returned
    (TEXTS, GOLD, {"method": "majority", "exclude": [("a", 2)]},
     [("a", 1, (LL,)), ("b", 1, (DOUBT,)), ("b", 3, (DOUBT,)), ("c", 1, (LL,))]),
    (TEXTS, GOLD, {"method": "majority", "level": "category"},
     [("a", 1, (MW,)), ("a", 2, (MW,)), ("b", 1, (AOR,)), ("b", 3, (AOR,)), ("c", 1, (AOR,))]),
    (TEXTS, GOLD, {"method": "none"},
     [("a", 1, ()), ("a", 2, ()), ("b", 1, ()), ("b", 3, ()), ("c", 1, ())]),
    # the classifier: c's fold sees Loaded_Language on every training paragraph and
    # predicts it everywhere; a's and b's folds learn 暴挙 against 静かな朝
    (LOADED, LOADED_GOLD, {}, [("a", 1, (LL,)), ("b", 1, (LL,)), ("c", 1, (LL,))]),
    (LOADED, LOADED_GOLD, {"level": "category"},
     [("a", 1, (MW,)), ("b", 1, (MW,)), ("c", 1, (MW,))]),
    # a label no training paragraph has cannot be predicted: b's fold has only c to learn from
    ({"a": "暴挙", "b": "暴挙", "c": "静か"}, spans(("a", LL, 0, 2)), {},
     [("a", 1, ()), ("b", 1, (LL,)), ("c", 1, ())]),
    ({"a": "暴挙だ\n平和だ", "b": "暴挙の連続\n平和な日", "c": "また暴挙\n静かな朝"},
     spans(("a", LL, 0, 2), ("b", LL, 0, 2), ("c", LL, 2, 4)), {},
     [("a", 1, (LL,)), ("a", 2, ()), ("b", 1, (LL,)), ("b", 2, ()), ("c", 1, (LL,)),
      ("c", 2, ())]),
])
def test_paragraph_baseline_table(texts, gold, kwargs, expected):
    assert rows(paragraph_baseline(texts, gold, **kwargs)) == expected


@pytest.mark.parametrize("texts, gold, kwargs, error, message", [
    (TEXTS, GOLD, {"level": "techniques"}, ValueError,
     r"^level 'techniques' is not valid; use 'technique' or 'category'$"),
    (TEXTS, GOLD, {"method": "svm"}, ValueError,
     r"^method 'svm' is not valid; use one of \['char-ngram', 'majority', 'none'\]$"),
    (TEXTS, spans(("z", LL, 0, 1)), {}, ValueError,
     r"^gold: doc_id 'z' is not in texts \['a', 'b', 'c'\]; pass every text the gold"),
    (TEXTS, GOLD, {"exclude": [("z", 1)]}, ValueError,
     r"^exclude: \('z', 1\) is not a paragraph of texts"),
    (TEXTS, GOLD, {"exclude": [("b", 2)]}, ValueError,      # line 2 of b is blank
     r"^exclude: \('b', 2\) is not a paragraph of texts"),
    (TEXTS, spans(), {}, ValueError, r"^gold has no spans; the classifier learns from"),
    (TEXTS, [("a", LL, 0, 1)], {}, TypeError, r"^gold must be a span table \(DataFrame\)"),
    ({"a": "疑う"}, spans(("a", DOUBT, 0, 2)), {}, ValueError,
     r"^leave-one-text-out needs at least two texts, got 1$"),
])
def test_paragraph_baseline_errors(texts, gold, kwargs, error, message):
    with pytest.raises(error, match=message):
        paragraph_baseline(texts, gold, **kwargs)


def test_paragraph_baseline_is_deterministic_and_scores_on_the_corpus():
    corpus = load_corpus()
    gold = read_spans("corpus/annotations/gold.tsv")
    held = [("001", 45)]                      # GUIDELINES.md §4: not in gold.tsv
    first = paragraph_baseline(corpus, gold, exclude=held, level="category")   # 6 labels: cheap
    pd.testing.assert_frame_equal(first, paragraph_baseline(corpus, gold, exclude=held,
                                                            level="category"))
    para_gold = paragraph_labels(gold)
    para_gold = para_gold[~((para_gold.doc_id == "001") & (para_gold.paragraph == 45))]
    assert list(zip(first.doc_id, first.paragraph)) == list(zip(para_gold.doc_id,
                                                                para_gold.paragraph))
    result = category_scores(paragraph_categories(para_gold), first)
    assert 0 <= result["micro_f1"] <= 1
    techniques = paragraph_baseline(corpus, gold, exclude=held, method="majority")
    assert 0 <= paragraph_scores(para_gold, techniques)["micro_f1"] <= 1   # the kit's scorer


@pytest.mark.parametrize("techniques, expected", [
    ((), ()),
    ((DOUBT,), (AOR,)),
    (("Slogans", DOUBT, "Name_Calling-Labeling"), (AOR, "Call")),
    ((LL, "Repetition", "Flag_Waving"), ("Justification", MW)),
])
def test_paragraph_categories(techniques, expected):
    table = pd.DataFrame({"doc_id": ["a"], "paragraph": [1], "techniques": [techniques]})
    assert paragraph_categories(table)["techniques"].item() == expected


def table(*labels):
    return pd.DataFrame({"doc_id": ["a"] * len(labels), "paragraph": range(1, len(labels) + 1),
                         "techniques": list(labels)})


@pytest.mark.parametrize("gold, pred, micro, macro", [
    # TP 1, FP 1: micro 2/3; Call 2/3, the five unused categories 1 each
    (table(("Call",), ()), table(("Call",), ("Call",)), 2 / 3, (5 + 2 / 3) / 6),
    (table(("Call",), ()), table((), ()), 0.0, 5 / 6),
    (table((), ()), table((), ()), 1.0, 1.0),
    # AOR: TP 1 FP 1; MW: TP 1 FN 1
    (table((AOR, MW), (MW,)), table((AOR,), (AOR, MW)), 2 * 2 / (2 * 2 + 1 + 1),
     (4 + 2 / 3 + 2 / 3) / 6),
])
def test_category_scores(gold, pred, micro, macro):
    result = category_scores(gold, pred)
    assert result["micro_f1"] == pytest.approx(micro)
    assert result["macro_f1"] == pytest.approx(macro)
    assert result["n_paragraphs"] == len(gold)


@pytest.mark.parametrize("gold, pred, message", [
    (table((DOUBT,)), table((AOR,)), r"^gold holds \['Doubt'\], which are not categories"),
    (table((AOR,)), table((AOR,), ()), r"^gold and pred list different paragraphs"),
])
def test_category_scores_errors(gold, pred, message):
    with pytest.raises(ValueError, match=message):
        category_scores(gold, pred)
