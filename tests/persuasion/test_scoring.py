"""Tests of utils/persuasion/scoring.py: partial-overlap precision, recall and F1, and the CLI."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from fractions import Fraction

import pandas as pd
import pytest
from sweep_tables import check_row

from conftest import background, background_result
from utils.persuasion.scoring import main, score, score_by
from utils.persuasion.spans import SPAN_COLUMNS, SpanError

LL, NC, DOUBT, FEAR = ("Loaded_Language", "Name_Calling-Labeling", "Doubt",
                       "Appeal_to_Fear-Prejudice")


def spans(*rows) -> pd.DataFrame:
    """Rows as (technique, start, end) in doc '000', or (doc_id, technique, start, end)."""
    full = [row if len(row) == 4 else ("000", *row) for row in rows]
    return pd.DataFrame(full, columns=list(SPAN_COLUMNS))


def f1(p, r):
    return 2 * p * r / (p + r) if p + r else Fraction(0)


# -- the worked example ------------------------------------------------------------------------

GOLD = spans((LL, 0, 20), (NC, 40, 50))
PRED = spans((LL, 10, 30), (DOUBT, 42, 48))


def test_worked_example_span_only():
    result = score(GOLD, PRED, ignore_labels=True)
    assert result["precision"] == 0.75
    assert result["recall"] == 0.55
    assert round(result["f1"], 6) == 0.634615
    assert result["f1"] == float(Fraction(33, 52))
    assert (result["n_gold"], result["n_pred"]) == (2, 2)


def test_worked_example_label_aware():
    assert score(GOLD, PRED) == {"precision": 0.25, "recall": 0.25, "f1": 0.25,
                                 "n_gold": 2, "n_pred": 2}


# -- a table of exact expectations -------------------------------------------------------------

CASES = [
    # id, gold, pred, ignore_labels, (P, R), n_gold, n_pred
    ("identical", [(LL, 0, 10)], [(LL, 0, 10)], False, (1, 1), 1, 1),
    ("disjoint", [(LL, 0, 10)], [(LL, 10, 20)], False, (0, 0), 1, 1),
    ("other document", [("000", LL, 0, 10)], [("001", LL, 0, 10)], True, (0, 0), 1, 1),
    ("pred inside gold", [(LL, 0, 10)], [(LL, 2, 6)], False, (1, Fraction(2, 5)), 1, 1),
    ("gold inside pred", [(LL, 2, 6)], [(LL, 0, 10)], False, (Fraction(2, 5), 1), 1, 1),
    ("label mismatch", [(LL, 0, 10)], [(NC, 0, 10)], False, (0, 0), 1, 1),
    ("label mismatch, span-only", [(LL, 0, 10)], [(NC, 0, 10)], True, (1, 1), 1, 1),
    ("one pred over two gold", [(LL, 0, 4), (LL, 6, 10)], [(LL, 0, 10)], False,
     (Fraction(8, 10), 1), 2, 1),
    # merging within the gold set (span-only): 0-10 and 5-15 share characters -> 0-15
    ("gold merged", [(LL, 0, 10), (NC, 5, 15)], [(DOUBT, 0, 15)], True, (1, 1), 1, 1),
    ("gold of two labels not merged when label-aware", [(LL, 0, 10), (NC, 5, 15)],
     [(LL, 0, 15)], False, (Fraction(2, 3), Fraction(1, 2)), 2, 1),
    # merging within the prediction set (span-only)
    ("pred merged", [(LL, 0, 10)], [(LL, 0, 5), (NC, 3, 10)], True, (1, 1), 1, 1),
    ("chain of three merged", [(LL, 0, 10)], [(LL, 0, 4), (LL, 3, 7), (DOUBT, 6, 10)], True,
     (1, 1), 1, 1),
    ("nested merged", [(LL, 0, 20), (NC, 5, 8)], [(LL, 0, 10)], True,
     (1, Fraction(1, 2)), 1, 1),
    # spans that only touch (end == start) share no character and stay apart
    ("touching not merged", [(LL, 0, 5), (NC, 5, 10)], [(LL, 0, 10)], True, (1, 1), 2, 1),
    ("merge is per document", [("000", LL, 0, 10), ("001", LL, 5, 15)],
     [("000", LL, 0, 10), ("001", LL, 5, 15)], True, (1, 1), 2, 2),
    # label-aware, spans of one label that share a character are merged first (the PTC
    # scorers' merge_overlapping_spans): a gold character is never credited twice, so
    # recall cannot exceed 1 (without the merge: gold 0-10 against 0-10 and 2-8 gave R 1.6)
    ("nested preds of one label", [(LL, 0, 10)], [(LL, 0, 10), (LL, 2, 8)], False,
     (1, 1), 1, 1),
    ("five nested copies", [(LL, 0, 10)],
     [(LL, 0, 10), (LL, 1, 9), (LL, 2, 8), (LL, 3, 7), (LL, 4, 6)], False, (1, 1), 1, 1),
    ("overlapping preds, label-aware", [(LL, 0, 10)], [(LL, 0, 10), (LL, 0, 5)], False,
     (1, 1), 1, 1),
    ("chained preds of one label merged into 0-12", [(LL, 0, 10)],
     [(LL, 0, 4), (LL, 3, 8), (LL, 7, 12)], False, (Fraction(10, 12), 1), 1, 1),
    ("overlapping gold of one label merged", [(LL, 0, 6), (LL, 4, 10)], [(LL, 0, 10)], False,
     (1, 1), 1, 1),
    ("preds of one label that only touch stay two", [(LL, 0, 10)], [(LL, 0, 5), (LL, 5, 10)],
     False, (1, Fraction(1, 1)), 1, 2),
    ("overlaps of two labels are not merged", [(LL, 0, 10)], [(LL, 0, 10), (NC, 0, 10)],
     False, (Fraction(1, 2), 1), 1, 2),
    ("merge is per document, label-aware", [("000", LL, 0, 10)],
     [("000", LL, 0, 10), ("001", LL, 0, 10)], False, (Fraction(1, 2), 1), 1, 2),
    ("overlapping preds, span-only", [(LL, 0, 10)], [(LL, 0, 10), (LL, 0, 5)], True,
     (1, 1), 1, 1),
    # edge cases
    ("empty prediction", [(LL, 0, 10)], [], False, (0, 0), 1, 0),
    ("empty gold", [], [(LL, 0, 10)], False, (0, 0), 0, 1),
    ("both empty", [], [], False, (1, 1), 0, 0),
    ("both empty, span-only", [], [], True, (1, 1), 0, 0),
]


@pytest.mark.parametrize("gold, pred, ignore_labels, pr, n_gold, n_pred",
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_score_table(gold, pred, ignore_labels, pr, n_gold, n_pred):
    p, r = map(Fraction, pr)
    expected_f1 = Fraction(1) if (n_gold, n_pred) == (0, 0) else f1(p, r)
    assert score(spans(*gold), spans(*pred), ignore_labels=ignore_labels) == {
        "precision": float(p), "recall": float(r), "f1": float(expected_f1),
        "n_gold": n_gold, "n_pred": n_pred}


def test_score_does_not_depend_on_row_order():
    gold = spans((LL, 0, 7), (NC, 3, 13), ("001", FEAR, 2, 9), (DOUBT, 20, 23))
    pred = spans((LL, 1, 4), (NC, 5, 12), ("001", FEAR, 0, 3), (LL, 20, 22), (DOUBT, 19, 30))
    for ignore in (False, True):
        forward = score(gold, pred, ignore_labels=ignore)
        backward = score(gold.iloc[::-1], pred.iloc[::-1], ignore_labels=ignore)
        assert forward == backward


def test_score_rejects_bad_tables():
    with pytest.raises(SpanError, match=r"^pred, row 0: start 5 must be less than end 2"):
        score(GOLD, spans((LL, 5, 2)))
    with pytest.raises(SpanError, match=r"^gold, row 1: unknown technique 'Loaded'"):
        score(spans((LL, 0, 3), ("Loaded", 5, 9)), PRED)
    with pytest.raises(SpanError, match=r"^gold: missing column\(s\) \['technique'\]"):
        score(GOLD.drop(columns="technique"), PRED)
    with pytest.raises(TypeError, match="ignore_labels must be True or False, got 'yes'"):
        score(GOLD, PRED, ignore_labels="yes")


# -- score_by ------------------------------------------------------------------------------------

def table(frame: pd.DataFrame) -> list[tuple]:
    return list(frame.itertuples(index=False, name=None))


def test_score_by_technique():
    gold = spans((LL, 0, 10), (LL, 20, 30), (NC, 40, 50))
    pred = spans((LL, 0, 5), (NC, 40, 50), (DOUBT, 60, 70))
    result = score_by(gold, pred, by="technique")
    assert list(result.columns) == ["technique", "category", "precision", "recall", "f1",
                                    "n_gold", "n_pred"]
    assert table(result) == [
        (NC, "Attack on reputation", 1.0, 1.0, 1.0, 1, 1),
        (DOUBT, "Attack on reputation", 0.0, 0.0, 0.0, 0, 1),
        # recall = (5/10) / 2 gold spans; the official scorer would reuse the precision
        # numerator (5/5) and report 0.5 x 2 = twice that
        (LL, "Manipulative wording", 1.0, 0.25, 0.4, 2, 1),
    ]


def test_per_technique_recall_uses_the_gold_length():
    result = score_by(spans((LL, 0, 10)), spans((LL, 0, 5)))
    assert table(result[["precision", "recall"]]) == [(1.0, 0.5)]


def test_score_by_category_counts_pairs_within_a_category():
    result = score_by(GOLD, PRED, by="category")
    assert list(result.columns) == ["category", "precision", "recall", "f1", "n_gold", "n_pred"]
    assert table(result) == [("Attack on reputation", 1.0, 0.6, 0.75, 1, 1),
                             ("Manipulative wording", 0.5, 0.5, 0.5, 1, 1)]


def test_score_by_category_merges_overlaps_within_a_category():
    gold = spans((LL, 0, 10), ("Exaggeration-Minimisation", 0, 10))   # same words, two labels
    pred = spans((LL, 0, 10))
    assert table(score_by(gold, pred, by="category")) == [
        ("Manipulative wording", 1.0, 1.0, 1.0, 1, 1)]
    assert table(score_by(gold, pred, by="technique")) == [
        (LL, "Manipulative wording", 1.0, 1.0, 1.0, 1, 1),
        ("Exaggeration-Minimisation", "Manipulative wording", 0.0, 0.0, 0.0, 1, 0)]


def test_score_by_sums_back_to_the_label_aware_score():
    gold = spans((LL, 0, 10), (LL, 20, 30), (NC, 40, 50), ("001", FEAR, 0, 8))
    pred = spans((LL, 0, 5), (NC, 42, 50), (NC, 20, 25), ("001", FEAR, 4, 12))
    per = score_by(gold, pred)
    overall = score(gold, pred)
    assert per["n_gold"].sum() == overall["n_gold"] and per["n_pred"].sum() == overall["n_pred"]
    weighted = (per["precision"] * per["n_pred"]).sum() / per["n_pred"].sum()
    assert weighted == pytest.approx(overall["precision"], abs=1e-15)


def test_score_by_of_nothing_is_an_empty_table():
    result = score_by(spans(), spans())
    assert len(result) == 0 and list(result.columns)[0] == "technique"


def test_score_by_rejects_an_unknown_grouping():
    with pytest.raises(ValueError, match="^by='label' is not valid; use by='technique' or "
                                         "by='category'$"):
        score_by(GOLD, PRED, by="label")


# -- the command line ------------------------------------------------------------------------

TEXT_X = "これは暴挙であり、最悪の展開だ。" + "あ" * 40   # 暴挙 3-5, 最悪 9-11


@pytest.fixture
def files(tmp_path):
    return span_files(tmp_path)


def span_files(folder):
    """``make(name, content)`` writes a span file into ``folder`` and returns its path;
    ``make.texts`` is a texts folder beside it holding document x."""
    (folder / "texts").mkdir()
    (folder / "texts" / "x.txt").write_text(TEXT_X, encoding="utf-8")

    def make(name: str, content: str):
        path = folder / name
        path.write_text(content, encoding="utf-8")
        return str(path)

    make.texts = str(folder / "texts")
    return make


def test_cli_json(files, capsys):
    gold = files("gold.tsv", "x\tLoaded_Language\t0\t20\nx\tName_Calling-Labeling\t40\t50\n")
    pred = files("pred.tsv", "x\tLoaded_Language\t10\t30\nx\tDoubt\t42\t48\n")
    assert main([gold, pred, "--json", "--ignore-labels"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["precision"], out["recall"], round(out["f1"], 6)) == (0.75, 0.55, 0.634615)
    assert (out["n_gold"], out["n_pred"], out["ignore_labels"]) == (2, 2, True)
    assert main([gold, pred, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["precision"], out["recall"], out["f1"]) == (0.25, 0.25, 0.25)
    assert out["by_technique"]["Loaded_Language"]["recall"] == 0.5
    assert sorted(out["by_technique"]) == ["Doubt", "Loaded_Language", "Name_Calling-Labeling"]


def test_cli_table(files, capsys):
    gold = files("gold.tsv", "x\tLoaded_Language\t3\t5\nx\tLoaded_Language\t9\t11\n")
    pred = files("pred.tsv", "x\tLoaded_Language\t3\t5\n")
    assert main([gold, pred, "--texts", files.texts]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    lines = captured.out.splitlines()
    assert lines[0] == (f"{pred} against {gold}: label-aware (techniques must match; "
                        "overlaps of one technique merged), partial-overlap credit")
    assert lines[2].split() == ["precision", "recall", "f1", "n_gold", "n_pred"]
    assert lines[3].split() == ["all", "spans", "1.0000", "0.5000", "0.6667", "2", "1"]
    assert lines[5] == "per technique (label-aware):"
    assert lines[6].split() == ["Loaded_Language", "1.0000", "0.5000", "0.6667", "2", "1"]
    assert len(lines) == 7


@pytest.mark.parametrize("gold_content, line, reason", [
    ("x\tLoaded_Language\t3\t5\nx\tLoaded_Language\t8\t11\n", 2,
     "span x 8-11 '、最悪' starts on '、' (white space or punctuation); trimmed it would be "
     "9-11 '最悪'"),
    ("x\tLoaded_Language\t3\t5\nx\tLoaded_Language\t3\n", 2,
     "expected 4 tab-separated fields (doc_id, technique, start, end), found 3: "
     "'x\\tLoaded_Language\\t3'"),
    ("x\tLoaded\t3\t5\n", 1, "unknown technique 'Loaded'; valid labels are: "),
    ("x\tLoaded_Language\t3\t500\n", 1,
     "end 500 is past the end of document 'x', which has 56 characters (valid offsets are "
     "0..56)"),
])
def test_cli_malformed_gold_exits_2_with_one_line(files, capsys, gold_content, line, reason):
    gold = files("gold.tsv", gold_content)
    pred = files("pred.tsv", "x\tLoaded_Language\t3\t5\n")
    assert main([gold, pred, "--texts", files.texts]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"error: {gold}, line {line}: {reason}")
    assert captured.err.count("\n") == 1


def test_cli_malformed_prediction_exits_2(files, capsys):
    gold = files("gold.tsv", "x\tLoaded_Language\t3\t5\n")
    pred = files("pred.tsv", "x\tLoaded_Language\t5\t3\n")
    assert main([gold, pred, "--texts", files.texts]) == 2
    assert capsys.readouterr().err == (f"error: {pred}, line 1: start 5 must be less than end "
                                       "3 (offsets are 0-based and end is exclusive)\n")


def test_cli_empty_files(files, capsys):
    gold = files("gold.tsv", "x\tLoaded_Language\t3\t5\n")
    empty = files("empty.tsv", "")
    assert main([gold, empty, "--json", "--texts", files.texts]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["precision"], out["recall"], out["f1"], out["n_pred"]) == (0.0, 0.0, 0.0, 0)
    assert main([empty, gold, "--texts", files.texts]) == 2
    assert capsys.readouterr().err == (f"error: {empty}: the gold file is empty; gold needs at "
                                       "least one span, one per line: doc_id<TAB>technique"
                                       "<TAB>start<TAB>end\n")


def test_cli_unknown_documents_are_scored_on_offsets(files, capsys):
    # document "zz" is neither in the bundled corpus nor in the texts folder
    gold = files("gold.tsv", "zz\tDoubt\t0\t10\n")
    pred = files("pred.tsv", "zz\tDoubt\t5\t10\n")
    assert main([gold, pred, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["precision"], out["recall"]) == (1.0, 0.5)


def test_cli_checks_the_bundled_corpus_by_default(files, capsys):
    from utils.analysis.corpus import load_corpus

    text = load_corpus().set_index("doc_id").loc["000", "text"]
    start = text.index("「日本")
    gold = files("gold.tsv", f"000\tAppeal_to_Fear-Prejudice\t{start}\t{start + 3}\n")
    pred = files("pred.tsv", f"000\tAppeal_to_Fear-Prejudice\t{start + 1}\t{start + 3}\n")
    assert main([gold, pred]) == 2
    assert capsys.readouterr().err.startswith(
        f"error: {gold}, line 1: span 000 {start}-{start + 3} '「日本' starts on '「'")
    assert main([pred, pred, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["f1"] == 1.0


def test_cli_missing_file_and_folder(files, capsys, tmp_path):
    gold = files("gold.tsv", "x\tLoaded_Language\t3\t5\n")
    missing = str(tmp_path / "nope.tsv")
    assert main([gold, missing, "--texts", files.texts]) == 2
    assert capsys.readouterr().err == f"error: cannot read {missing}: No such file or directory\n"
    assert main([gold, gold, "--texts", str(tmp_path / "nofolder")]) == 2
    assert capsys.readouterr().err.startswith(f"error: {tmp_path / 'nofolder'}: no such folder")


def test_cli_usage(capsys):
    assert main(["--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: python -m utils score [-h]")
    assert main(["only-one-file.tsv"]) == 2
    assert "the following arguments are required: PRED" in capsys.readouterr().err


@background("score_command_runs", pool="processes")
def _run_the_score_command(folder):
    """``python -m utils score`` in a child Python: a good pair of files, then a bad one."""
    files = span_files(folder)
    gold = files("gold.tsv", "x\tLoaded_Language\t0\t20\nx\tName_Calling-Labeling\t40\t50\n")
    pred = files("pred.tsv", "x\tLoaded_Language\t10\t30\nx\tDoubt\t42\t48\n")
    bad = files("bad.tsv", "x\tLoaded_Language\tten\t20\n")
    command = [sys.executable, "-m", "utils", "score"]
    good = subprocess.run([*command, gold, pred, "--json", "--ignore-labels", "--texts",
                           files.texts], capture_output=True, text=True)
    bad_run = subprocess.run([*command, bad, pred], capture_output=True, text=True)
    return good, bad_run, bad


@pytest.fixture
def score_command_runs():
    return background_result("score_command_runs")


def test_python_dash_m_utils_score(score_command_runs):
    run, bad_run, bad = score_command_runs
    assert (run.returncode, run.stderr) == (0, "")
    assert round(json.loads(run.stdout)["f1"], 6) == 0.634615
    assert bad_run.returncode == 2
    assert bad_run.stderr == (f"error: {bad}, line 1: start must be a non-negative integer (a "
                              "character offset), found 'ten'\n")

# -- issue 13: linear pairing, same results --------------------------------------------------------

def random_records(rng, n, *, docs=("a", "b"), labels=(LL, NC, DOUBT), length=300,
                   longest=40):
    """Random spans (duplicates of one label overlapping one another included)."""
    found = set()
    while len(found) < n:
        start = int(rng.integers(0, length))
        found.add((str(rng.choice(docs)), str(rng.choice(labels)), start,
                   start + int(rng.integers(1, longest))))
    return sorted(found)


@pytest.mark.parametrize("seed", range(6))
def test_tally_equals_the_pairwise_reference_on_random_spans(seed):
    import numpy as np

    from _span_reference import tally as reference
    from utils.persuasion.overlap import merge_spans as _merge, overlap_tally as _tally

    rng = np.random.default_rng(seed)
    gold = random_records(rng, int(rng.integers(0, 60)))
    pred = random_records(rng, int(rng.integers(0, 60)))
    for g, p, labelled in ((gold, pred, True), (_merge(gold), _merge(pred), False),
                           (_merge(gold, by_label=True), _merge(pred, by_label=True), True),
                           (gold, pred, False)):
        new, old = _tally(g, p, labelled=labelled), reference(g, p, labelled=labelled)
        assert (dict(new[0]), dict(new[1])) == (dict(old[0]), dict(old[1]))


def test_tally_equals_the_pairwise_reference_on_the_corpus():
    from _span_reference import tally as reference
    from utils.analysis.corpus import CORPUS_DIR
    from utils.persuasion.detect import detect
    from utils.persuasion.overlap import merge_spans as _merge, overlap_tally as _tally, span_records as _records
    from utils.persuasion.span_files import read_spans

    gold = _records(read_spans(CORPUS_DIR / "annotations" / "gold.tsv"), "gold")
    other = _records(read_spans(CORPUS_DIR / "annotations" / "annotator_b.tsv"), "b")
    found = _records(detect(None), "detected")
    for g, p in ((gold, other), (gold, found), (other, found), (gold, gold)):
        for a, b, labelled in ((g, p, True), (_merge(g), _merge(p), False)):
            new, old = _tally(a, b, labelled=labelled), reference(a, b, labelled=labelled)
            assert (dict(new[0]), dict(new[1])) == (dict(old[0]), dict(old[1]))


def test_score_is_not_quadratic_in_spans():
    """6,000 x 6,000 overlapping spans: about 30 s pairwise (3,000 x 3,000 took 2.3 s)."""
    import time

    import numpy as np

    rng = np.random.default_rng(0)
    starts = rng.integers(0, 240_000, size=(2, 6_000))
    gold = pd.DataFrame({"doc_id": "000", "technique": LL, "start": starts[0],
                         "end": starts[0] + rng.integers(1, 50, 6_000)})
    pred = pd.DataFrame({"doc_id": "000", "technique": LL, "start": starts[1],
                         "end": starts[1] + rng.integers(1, 50, 6_000)})
    gold, pred = gold.drop_duplicates(), pred.drop_duplicates()
    began = time.perf_counter()
    score(gold, pred, ignore_labels=True)
    score(gold, pred)
    assert time.perf_counter() - began < 3


# -- the sweep: odd inputs of every public function ------------------------------------------------

NAN = float("nan")
S = spans((LL, 0, 20))


def as_dict(result):
    return {k: result[k] for k in ("precision", "recall", "f1", "n_gold", "n_pred")}


SWEEP_SCORE = [
    ((None, S), {}, (TypeError, r"^gold must be a DataFrame with columns")),
    ((S, [("000", LL, 0, 20)]), {}, (TypeError, r"^pred must be a DataFrame .*got list$")),
    ((S, S), {"ignore_labels": 1}, (TypeError, r"^ignore_labels must be True or False, got 1$")),
    ((S, S), {"ignore_labels": None}, (TypeError, r"^ignore_labels must be True or False")),
    ((S, S), {"ignore_labels": "yes"}, (TypeError, r"^ignore_labels must be True or False")),
    ((S, S), {"ignore_labels": pd.NA}, (TypeError, r"^ignore_labels must be True or False")),
    ((S, S), {"ignore_labels": __import__("numpy").True_}, (1.0, 1.0, 1.0, 1, 1)),
    ((S.iloc[:0], S.iloc[:0]), {}, (1.0, 1.0, 1.0, 0, 0)),
    ((S, S.iloc[:0]), {}, (0.0, 0.0, 0.0, 1, 0)),
    ((pd.DataFrame(), S), {}, (SpanError, r"^gold: missing column\(s\)")),
    ((S.assign(doc_id=NAN), S), {}, (SpanError, r"^gold, row 0: doc_id must be a str .*found nan$")),
    ((S, S.assign(doc_id=0)), {}, (SpanError, r"^pred, row 0: doc_id must be a str .*found 0$")),
    ((S, S.assign(start=0.5)), {}, (SpanError, r"^pred, row 0: start must be a non-negative")),
    ((S, pd.concat([S, S])), {}, (SpanError, r"^pred, row 0: duplicate of row 0")),
    ((S, S.assign(doc_id="000\ufeff")), {}, (SpanError, r"^pred, row 0: doc_id '000\\ufeff' holds")),
    ((S, S.assign(technique="Loaded Language")), {},
     (SpanError, r"^pred, row 0: unknown technique 'Loaded Language'; did you mean")),
    ((S, spans(("ｷ", LL, 0, 20))), {}, (0.0, 0.0, 0.0, 1, 1)),   # another document
]


@pytest.mark.parametrize("args, kwargs, expected", SWEEP_SCORE)
def test_sweep_score(args, kwargs, expected):
    check_row(lambda *a, **k: tuple(as_dict(score(*a, **k)).values()), args, kwargs, expected)


SWEEP_SCORE_BY = [
    ((S, S), {"by": None}, (ValueError, r"^by=None is not valid; use by='technique' or "
                                        r"by='category'$")),
    ((S, S), {"by": ["technique"]}, (ValueError, r"^by=\['technique'\] is not valid")),
    ((S, S), {"by": "Technique"}, (ValueError, r"^by='Technique' is not valid")),
    ((S, S), {"by": NAN}, (ValueError, r"^by=nan is not valid")),
    ((S, None), {}, (TypeError, r"^pred must be a DataFrame")),
    ((S.assign(end=NAN), S), {}, (SpanError, r"^gold, row 0: end must be .*found nan$")),
    ((S.assign(technique="\udce2"), S), {}, (SpanError, r"^gold, row 0: unknown technique")),
    ((S.iloc[:0], S.iloc[:0]), {"by": "category"}, []),
    ((S, S), {"by": "category"}, [("Manipulative wording", 1.0, 1.0, 1.0, 1, 1)]),
]


@pytest.mark.parametrize("args, kwargs, expected", SWEEP_SCORE_BY)
def test_sweep_score_by(args, kwargs, expected):
    check_row(lambda *a, **k: list(score_by(*a, **k).itertuples(index=False, name=None)),
              args, kwargs, expected)


SWEEP_CLI = [
    ("000\tLoaded_Language\t1\t3\n\ufeff000\tDoubt\t1\t3\n", 0, r"^$"),
    ("000\tLoaded_Language\t1\t" + "9" * 5000 + "\n", 2,
     r"^error: \S*gold.tsv, line 1: end 999999999999… \(5000 digits\) is too large"),
    ("000\u2028\tLoaded_Language\t1\t3\n", 2, r"^error: \S*gold.tsv, line 1: doc_id '000\\u2028' "
                                              r"holds '\\u2028'"),
    (b"000\tLoaded_Language\t1\t3\n\xfe\n", 2, r"^error: \S*gold.tsv, line 2: not valid UTF-8"),
    ("", 2, r"^error: \S*gold.tsv: the gold file is empty; gold needs at least one span"),
    (None, 2, r"^error: cannot read \S*gold.tsv: Is a directory$"),
]


@pytest.mark.parametrize("gold_content, code, stderr", SWEEP_CLI)
def test_sweep_score_command(tmp_path, capsys, gold_content, code, stderr):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "000.txt").write_text("「絶望」の展開", encoding="utf-8")
    gold = tmp_path / "gold.tsv"
    if gold_content is None:
        gold.mkdir()
    else:
        gold.write_bytes(gold_content if isinstance(gold_content, bytes)
                         else gold_content.encode("utf-8"))
    pred = tmp_path / "pred.tsv"
    pred.write_text("", encoding="utf-8")
    assert main([str(gold), str(pred), "--json", "--texts", str(texts)]) == code
    err = capsys.readouterr().err
    assert re.match(stderr, err.strip()), err
