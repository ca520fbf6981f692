"""The blind annotation C (corpus/annotations/annotator_c*): valid, documented, and the
agreement figures GUIDELINES.md §6 states are the ones the files give: C against annotator
A (the gold before the adjudication, the other independent annotation), with the caveat of
quoted examples computed against the guidelines C was given; and, for comparison only, C
against the adjudicated gold."""
from __future__ import annotations

import pytest

import utils

ANN = utils.CORPUS_DIR / "annotations"


@pytest.fixture(scope="module")
def tables():
    texts = utils.load_corpus().set_index("doc_id")["text"].to_dict()
    a = utils.read_spans(ANN / "annotator_a.tsv", texts=texts)
    c = utils.read_spans(ANN / "annotator_c.tsv", texts=texts)  # valid against the texts
    return texts, a[a["doc_id"].isin(["002", "004"])], c


def given_to_c() -> str:
    """Return the guidelines as annotator C was given them (intro and sections 1-3)."""
    return (ANN / "annotator_c_guidelines.md").read_text("utf-8")


def test_c_covers_002_and_004_and_its_rationales_quote_each_span(tables):
    import pandas as pd

    texts, _, c = tables
    assert c["doc_id"].value_counts().to_dict() == {"002": 74, "004": 13}
    rationales = pd.read_csv(ANN / "annotator_c_rationales.tsv", sep="\t", dtype=str,
                             keep_default_na=False)
    assert rationales[["doc_id", "technique"]].values.tolist() == \
        c[["doc_id", "technique"]].values.tolist()
    assert rationales["start"].astype(int).tolist() == c["start"].tolist()
    for row in rationales.itertuples():
        assert texts[row.doc_id][int(row.start):int(row.end)] == row.text
        assert row.rationale.strip()
    assert "only" in (ANN / "annotator_c_log.md").read_text("utf-8")


@pytest.mark.parametrize("measure, expected", [
    ("kappa", 0.80), ("f1", 0.84), ("span_f1", 0.87), ("f1_unquoted", 0.74),
    ("kappa_unquoted", 0.71),
])
def test_the_agreement_figures_of_the_guidelines(tables, measure, expected):
    texts, gold, c = tables
    guide = (ANN / "GUIDELINES.md").read_text("utf-8")
    sections_1_to_3 = given_to_c()

    def unquoted(table):
        keep = [texts[d][s:e] not in sections_1_to_3
                for d, s, e in zip(table["doc_id"], table["start"], table["end"])]
        return table[keep]

    values = {
        "kappa": lambda: utils.agreement(gold, c, doc_ids=["002", "004"]).iloc[-1]["kappa"],
        "f1": lambda: utils.score(gold, c)["f1"],
        "span_f1": lambda: utils.score(gold, c, ignore_labels=True)["f1"],
        "f1_unquoted": lambda: utils.score(unquoted(gold), unquoted(c))["f1"],
        "kappa_unquoted": lambda: utils.agreement(unquoted(gold), unquoted(c),
                                                  doc_ids=["002", "004"]).iloc[-1]["kappa"],
    }
    assert round(float(values[measure]()), 2) == expected
    assert f"{expected:.2f}" in guide


def test_the_guidelines_c_was_given_quote_37_of_the_78_spans_of_a_in_002_and_004(tables):
    texts, gold, c = tables
    sections_1_to_3 = given_to_c()
    assert "## 1. Taxonomy" in sections_1_to_3 and "## 4." not in sections_1_to_3
    quoted = [texts[d][s:e] in sections_1_to_3
              for d, s, e in zip(gold["doc_id"], gold["start"], gold["end"])]
    assert (sum(quoted), len(quoted)) == (37, 78)
    shared = set(gold.itertuples(index=False)) & set(c.itertuples(index=False))
    assert (sum(texts[r.doc_id][r.start:r.end] in sections_1_to_3 for r in shared),
            len(shared)) == (32, 52)
    guide = " ".join((ANN / "GUIDELINES.md").read_text("utf-8").split())
    assert "37 of A's 78 spans" in guide and "32 of the 52 spans C shares exactly with A" in guide


@pytest.mark.parametrize("measure, expected", [("kappa", 0.87), ("f1", 0.89)])
def test_c_against_the_adjudicated_gold_is_stated_for_comparison(tables, measure, expected):
    texts, _, c = tables
    gold = utils.read_spans(ANN / "gold.tsv", texts=texts)
    gold = gold[gold["doc_id"].isin(["002", "004"])]
    value = (utils.agreement(gold, c, doc_ids=["002", "004"]).iloc[-1]["kappa"]
             if measure == "kappa" else utils.score(gold, c)["f1"])
    assert round(float(value), 2) == expected
    guide = " ".join((ANN / "GUIDELINES.md").read_text("utf-8").split())
    assert "label-aware F1 0.89 and kappa 0.87 against the adjudicated gold" in guide


def test_the_corpus_card_quotes_the_same_agreement_figures():
    card = " ".join((utils.CORPUS_DIR / "README.md").read_text("utf-8").split())
    assert "Cohen's kappa 0.80" in card and "label-aware span F1 0.84 (0.71 and 0.74" in card


@pytest.mark.parametrize("measure, expected", [("kappa", 0.63), ("f1", 0.63), ("span_f1", 0.73)])
def test_the_b_column_of_the_guidelines_is_b_against_a(tables, measure, expected):
    texts, a, _ = tables
    b = utils.read_spans(ANN / "annotator_b.tsv", texts=texts)
    values = {
        "kappa": lambda: utils.agreement(a, b, doc_ids=["002", "004"]).iloc[-1]["kappa"],
        "f1": lambda: utils.score(a, b)["f1"],
        "span_f1": lambda: utils.score(a, b, ignore_labels=True)["f1"],
    }
    assert round(float(values[measure]()), 2) == expected
    row = {"kappa": "kappa, \"all\" row", "f1": "label-aware span F1",
           "span_f1": "span-only F1"}[measure]
    line = next(x for x in (ANN / "GUIDELINES.md").read_text("utf-8").splitlines()
                if x.startswith(f"| {row}"))
    assert line.split("|")[2].strip() == f"{expected:.2f}"
