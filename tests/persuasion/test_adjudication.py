"""The adjudicated gold (corpus/annotations/gold.tsv) is annotator A plus the changes that
adjudication.tsv logs, nothing more; the log quotes the text at its offsets; the counts in
ADJUDICATION.md and GUIDELINES.md are the log's; the held-out paragraph of 001 stays out."""
from __future__ import annotations

import re
from collections import Counter

import pandas as pd
import pytest

import utils

ANN = utils.CORPUS_DIR / "annotations"
ACTIONS = ("added", "removed", "relabelled", "reshaped", "kept")
HELD_OUT = ("001", 3197, 3617)  # line 45 of 001, graded by ex04_02's hidden tests


@pytest.fixture(scope="module")
def texts():
    return utils.load_corpus().set_index("doc_id")["text"].to_dict()


@pytest.fixture(scope="module")
def log():
    table = pd.read_csv(ANN / "adjudication.tsv", sep="\t", dtype=str, keep_default_na=False)
    assert list(table.columns) == [
        "action", "doc_id", "technique_before", "start_before", "end_before",
        "technique_after", "start_after", "end_after", "text", "source", "reason"]
    return table


def keys(table):
    return [(d, t, int(s), int(e)) for d, t, s, e in
            table[["doc_id", "technique", "start", "end"]].itertuples(index=False)]


def apply(a_rows, log):
    """Return A's rows with the log's changes applied, raising if a change does not fit."""
    rows = set(a_rows)
    for row in log.itertuples():
        before = (row.doc_id, row.technique_before, row.start_before, row.end_before)
        after = (row.doc_id, row.technique_after, row.start_after, row.end_after)
        if row.action in ("removed", "relabelled", "reshaped"):
            key = (before[0], before[1], int(before[2]), int(before[3]))
            assert key in rows, f"{row.action} row {key} is not a span of A"
            rows.remove(key)
        if row.action in ("added", "relabelled", "reshaped"):
            key = (after[0], after[1], int(after[2]), int(after[3]))
            assert key not in rows, f"{row.action} row {key} is already a span"
            rows.add(key)
        if row.action == "kept" and row.technique_before:
            key = (before[0], before[1], int(before[2]), int(before[3]))
            assert key in rows, f"kept row {key} is not a span of A"
    return rows


def test_applying_the_log_to_annotator_a_gives_the_gold_exactly(texts, log):
    a = keys(utils.read_spans(ANN / "annotator_a.tsv", texts=texts))
    gold = keys(utils.read_spans(ANN / "gold.tsv", texts=texts))
    assert len(gold) == len(set(gold))
    assert apply(a, log) == set(gold)


def test_apply_catches_a_change_the_gold_does_not_have(texts, log):
    a = keys(utils.read_spans(ANN / "annotator_a.tsv", texts=texts))
    gold = set(keys(utils.read_spans(ANN / "gold.tsv", texts=texts)))
    assert apply(a, log[log["action"] != "added"]) != gold
    assert apply(a, log[log["action"] != "removed"]) != gold


def test_every_row_quotes_the_text_at_its_offsets_and_names_a_reason(texts, log):
    assert set(log["action"]) <= set(ACTIONS)
    assert set(log["source"]) <= {"C", "issue-15 review", "adjudicator"}
    for row in log.itertuples():
        side = "before" if row.action == "removed" else "after"
        start, end = int(getattr(row, f"start_{side}")), int(getattr(row, f"end_{side}"))
        assert " ".join(texts[row.doc_id][start:end].split("\n")) == row.text, row
        assert row.reason.strip().endswith("."), row
        if row.action == "added":
            assert not (row.technique_before or row.start_before or row.end_before), row
        if row.action == "kept":
            assert (row.technique_before, row.start_before, row.end_before) == \
                (row.technique_after, row.start_after, row.end_after), row
        if row.action == "relabelled":
            assert row.technique_before != row.technique_after, row
        if row.action == "reshaped":
            assert row.technique_before == row.technique_after, row
            assert (row.start_before, row.end_before) != (row.start_after, row.end_after), row


def test_the_counts_of_adjudication_md_and_the_guidelines_are_the_logs(log):
    counts = Counter(log["action"])
    page = (ANN / "ADJUDICATION.md").read_text("utf-8")
    stated = dict(re.findall(r"^\| (added|removed|relabelled|reshaped|kept) \| (\d+) \|$",
                             page, flags=re.M))
    assert {a: int(n) for a, n in stated.items()} == {a: counts.get(a, 0) for a in ACTIONS}
    guide = (ANN / "GUIDELINES.md").read_text("utf-8")
    assert (f"({counts['added']} spans added, {counts['removed']} removed, "
            f"{counts['relabelled']} relabelled, {counts['reshaped']} reshaped, "
            f"{counts['kept']} reviewed and kept") in " ".join(guide.split())


def test_the_gold_counts_the_guidelines_state(texts):
    gold = utils.read_spans(ANN / "gold.tsv", texts=texts)
    per_text = gold["doc_id"].value_counts().sort_index()
    guide = " ".join((ANN / "GUIDELINES.md").read_text("utf-8").split())
    stated = f"{len(gold)} spans in `gold.tsv` after the adjudication (section 7): " + \
        ", ".join(f"{d}: {n}" for d, n in per_text.items())
    assert stated in guide


def test_the_held_out_paragraph_stays_out_of_the_gold_and_the_log(texts, log):
    doc, lo, hi = HELD_OUT
    assert texts[doc][lo:].startswith("「ロシアは、米国との関係改善を模索しているふりを")
    for name in ("gold.tsv", "annotator_a.tsv"):
        spans = utils.read_spans(ANN / name, texts=texts)
        inside = spans[(spans["doc_id"] == doc) & (spans["end"] > lo) & (spans["start"] < hi)]
        assert inside.empty, name
    for side in ("before", "after"):
        rows = log[(log["doc_id"] == doc) & (log[f"start_{side}"] != "")]
        assert not ((rows[f"end_{side}"].astype(int) > lo)
                    & (rows[f"start_{side}"].astype(int) < hi)).any()


def test_the_gold_keeps_its_own_rules(texts):
    gold = utils.read_spans(ANN / "gold.tsv", texts=texts)
    tokens = {d: utils.tokenize(t) for d, t in texts.items()}
    for d, s, e in zip(gold["doc_id"], gold["start"], gold["end"]):
        assert s in set(tokens[d]["start"]) and e in set(tokens[d]["end"]), (d, s, e)
    for _, group in gold.groupby(["doc_id", "technique"]):
        ordered = group.sort_values(["start", "end"])
        assert not (ordered["start"] < ordered["end"].cummax().shift()).any()
    rationales = pd.read_csv(ANN / "gold_rationales.tsv", sep="\t", dtype=str,
                             keep_default_na=False)
    assert [(d, t, int(s), int(e)) for d, t, s, e in
            rationales[["doc_id", "technique", "start", "end"]].itertuples(index=False)] == \
        keys(gold)
    for row in rationales.itertuples():
        assert " ".join(texts[row.doc_id][int(row.start):int(row.end)].split("\n")) == row.text
        assert row.rationale.strip()


def test_annotator_a_is_the_gold_before_adjudication(texts):
    a = utils.read_spans(ANN / "annotator_a.tsv", texts=texts)
    assert a["doc_id"].value_counts().sort_index().to_dict() == \
        {"000": 12, "001": 8, "002": 68, "003": 5, "004": 10}
    rationales = pd.read_csv(ANN / "annotator_a_rationales.tsv", sep="\t", dtype=str,
                             keep_default_na=False)
    assert len(rationales) == len(a)


def test_the_corpus_card_states_the_files_counts(texts):
    card = " ".join((utils.CORPUS_DIR / "README.md").read_text("utf-8").split())
    for name in ("gold.tsv", "annotator_a.tsv", "annotator_b.tsv", "annotator_c.tsv"):
        spans = utils.read_spans(ANN / name, texts=texts)
        assert re.search(rf"\| `{re.escape(name)}` \|[^|]*\|[^|]*\| {len(spans)} \|", card), name
    gold = utils.read_spans(ANN / "gold.tsv", texts=texts)["doc_id"].value_counts()
    assert (f"the gold has {gold['000']} spans in 000, {gold['001']} in 001, {gold['002']} in "
            f"002, {gold['003']} in 003 and {gold['004']} in 004") in card


def test_the_corpus_card_states_the_logs_counts(log):
    card = " ".join((utils.CORPUS_DIR / "README.md").read_text("utf-8").split())
    counts = Counter(log["action"])
    assert (f"{counts['added']} spans added, {counts['removed']} removed, "
            f"{counts['reshaped']} reshaped, {counts['kept']} kept") in card
