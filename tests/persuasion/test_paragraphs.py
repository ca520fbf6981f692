"""Tests for utils/persuasion/paragraphs.py: SemEval-2023 Task 3 subtask-3 labels and scores, and the
score command on subtask-3 files."""
from __future__ import annotations

import io
import json

import pandas as pd
import pytest

import utils
from utils.persuasion.paragraphs import (paragraph_labels, paragraph_scores, read_paragraph_labels,
                              write_paragraph_labels)
from utils.persuasion.scoring import main
from utils.persuasion.spans import SpanError
from utils.persuasion.techniques import TECHNIQUE_LABELS

N = len(TECHNIQUE_LABELS)  # 23: macro-F1 averages over every technique


def table(*rows):
    return pd.DataFrame([(d, p, tuple(sorted(t))) for d, p, t in rows],
                        columns=["doc_id", "paragraph", "techniques"])


# (gold rows, pred rows, micro-F1, macro-F1): hand-computed; macro counts the techniques
# neither side uses as 1 (scikit-learn's zero_division=1, as the official scorer)
CASES = [
    ("identical", [("a", 1, {"Doubt"})], [("a", 1, {"Doubt"})], 1.0, 1.0),
    ("nothing anywhere", [("a", 1, set())], [("a", 1, set())], 1.0, 1.0),
    ("all missed", [("a", 1, {"Doubt"})], [("a", 1, set())], 0.0, (N - 1) / N),
    ("one wrong label", [("a", 1, {"Doubt"})], [("a", 1, {"Slogans"})], 0.0, (N - 2) / N),
    ("one of two found", [("a", 1, {"Doubt", "Slogans"})], [("a", 1, {"Doubt"})],
     2 / 3, (N - 1) / N),
    ("two paragraphs", [("a", 1, {"Doubt"}), ("a", 2, {"Doubt", "Slogans"})],
     [("a", 1, {"Doubt"}), ("a", 2, {"Loaded_Language"})], 0.4, (2 / 3 + (N - 3)) / N),
    ("a false alarm in an empty paragraph", [("a", 1, {"Doubt"}), ("b", 1, set())],
     [("a", 1, {"Doubt"}), ("b", 1, {"Doubt"})], 2 / 3, (2 / 3 + (N - 1)) / N),
]


@pytest.mark.parametrize("gold, pred, micro, macro", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_paragraph_scores_table(gold, pred, micro, macro):
    result = paragraph_scores(table(*gold), table(*pred))
    assert result["micro_f1"] == pytest.approx(micro, abs=1e-12)
    assert result["macro_f1"] == pytest.approx(macro, abs=1e-12)


def test_scores_do_not_depend_on_row_order():
    gold = table(("a", 1, {"Doubt"}), ("a", 2, {"Slogans"}), ("b", 1, set()))
    pred = table(("a", 1, {"Doubt"}), ("a", 2, set()), ("b", 1, {"Slogans"}))
    assert paragraph_scores(gold, pred) == paragraph_scores(gold[::-1], pred.sample(frac=1,
                                                                                     random_state=0))


@pytest.mark.parametrize("pred, message", [
    (table(("a", 1, {"Doubt"})), r"different paragraphs \(e.g. \[\('a', 2\)\]\)"),
    (table(("a", 1, {"Doubt"}), ("a", 2, set()), ("a", 3, set())), r"different paragraphs"),
    (pd.DataFrame({"doc_id": ["a"], "techniques": [()]}), r"pred lacks columns \['paragraph'\]"),
])
def test_paragraph_scores_refuse_other_paragraphs(pred, message):
    with pytest.raises(ValueError, match=message):
        paragraph_scores(table(("a", 1, {"Doubt"}), ("a", 2, set())), pred)


def test_labels_from_spans_give_each_non_blank_line_its_techniques():
    texts = {"d": "停戦だ\n暴挙で愚策だ\n\n終わり", "e": "何もない"}
    spans = pd.DataFrame({"doc_id": ["d", "d", "d"],
                          "technique": ["Loaded_Language", "Loaded_Language", "Doubt"],
                          "start": [4, 7, 0], "end": [6, 9, 6]})   # Doubt runs over a line break
    got = paragraph_labels(spans, texts=texts)
    assert got.values.tolist() == [
        ["d", 1, ("Doubt",)], ["d", 2, ("Doubt", "Loaded_Language")], ["d", 4, ()],
        ["e", 1, ()]]


def test_labels_of_the_corpus_gold():
    gold = utils.read_spans(utils.CORPUS_DIR / "annotations" / "gold.tsv")
    labels = paragraph_labels(gold)
    texts = utils.load_corpus().set_index("doc_id")["text"]
    assert len(labels) == sum(1 for t in texts for line in t.split("\n") if line.strip())
    assert labels["techniques"].map(len).gt(0).sum() > 0
    # every span's technique is in the label set of the line where it starts
    line_of = {d: [t.count("\n", 0, s) + 1 for s in range(len(t) + 1)] for d, t in texts.items()}
    lookup = {(d, p): set(t) for d, p, t in labels.values.tolist()}
    for row in gold.itertuples():
        assert row.technique in lookup[(row.doc_id, line_of[row.doc_id][row.start])]


def test_labels_need_the_texts_of_every_span():
    spans = pd.DataFrame({"doc_id": ["zz"], "technique": ["Doubt"], "start": [0], "end": [2]})
    with pytest.raises(SpanError, match=r"documents \['zz'\] are not in texts"):
        paragraph_labels(spans, texts={"d": "停戦だ"})


def test_files_round_trip(tmp_path):
    labels = table(("111", 1, {"Slogans", "Doubt"}), ("111", 2, set()), ("112", 7, {"Doubt"}))
    write_paragraph_labels(labels, tmp_path / "p.txt")
    assert (tmp_path / "p.txt").read_text("utf-8") == \
        "111\t1\tDoubt,Slogans\n111\t2\t\n112\t7\tDoubt\n"
    pd.testing.assert_frame_equal(read_paragraph_labels(tmp_path / "p.txt"), labels)


@pytest.mark.parametrize("content, line, message", [
    ("111\t1\n", 1, r"expected 3 tab-separated fields"),
    ("111\t1\tDoubt\tx\n", 1, r"expected 3 tab-separated fields"),
    ("111\tone\tDoubt\n", 1, r"paragraph id 'one' is not an integer"),
    ("111\t1\tDoubt\n111\t2\tDoubting\n", 2, r"unknown technique\(s\) \['Doubting'\]"),
    ("111\t1\tDoubt\n111\t1\t\n", 2, r"paragraph 111 1 is listed twice"),
])
def test_bad_paragraph_files_name_the_line(content, line, message):
    with pytest.raises(SpanError, match=rf"line {line}: .*{message}"):
        read_paragraph_labels(io.StringIO(content))


def test_score_command_reads_subtask_3_files(tmp_path, capsys):
    (tmp_path / "gold.txt").write_text("a\t1\tDoubt\na\t2\tDoubt,Slogans\n", "utf-8")
    (tmp_path / "pred.txt").write_text("a\t1\tDoubt\na\t2\tLoaded_Language\n", "utf-8")
    assert main([str(tmp_path / "gold.txt"), str(tmp_path / "pred.txt"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["micro_f1"] == pytest.approx(0.4)
    assert out["macro_f1"] == pytest.approx((2 / 3 + N - 3) / N)
    assert main([str(tmp_path / "gold.txt"), str(tmp_path / "pred.txt")]) == 0
    table_out = capsys.readouterr().out
    assert "subtask 3" in table_out and "micro-F1 0.40000" in table_out


def test_score_command_refuses_a_prediction_with_other_paragraphs(tmp_path, capsys):
    (tmp_path / "gold.txt").write_text("a\t1\tDoubt\na\t2\t\n", "utf-8")
    (tmp_path / "pred.txt").write_text("a\t1\tDoubt\n", "utf-8")
    assert main([str(tmp_path / "gold.txt"), str(tmp_path / "pred.txt")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "different paragraphs" in err and err.count("\n") == 1


def _reference_cases():
    path = utils.CORPUS_DIR.parent / "tests" / "data" / "subtask3_sklearn_reference.json"
    return json.loads(path.read_text("utf-8"))["cases"]


@pytest.mark.parametrize("case", _reference_cases(), ids=lambda c: f"{len(c['gold'])}p")
def test_scores_equal_scikit_learn_as_the_official_scorer_calls_it(case):
    # The reference numbers were computed once with scikit-learn 1.2.2 (not a dependency of
    # the kit): MultiLabelBinarizer over the 23 techniques, then f1_score(..., average=
    # "micro" / "macro", zero_division=1), which is what the subtask-3 scorer does.
    n = len(case["gold"])
    gold = pd.DataFrame({"doc_id": ["a"] * n, "paragraph": range(1, n + 1),
                         "techniques": [tuple(t) for t in case["gold"]]})
    pred = gold.assign(techniques=[tuple(t) for t in case["pred"]])
    result = paragraph_scores(gold, pred)
    assert result["micro_f1"] == pytest.approx(case["micro_f1"], abs=1e-12)
    assert result["macro_f1"] == pytest.approx(case["macro_f1"], abs=1e-12)
