"""Tests for utils/course/variant.py: the changed corpus of the grader's second run."""
from __future__ import annotations

import hashlib

import pytest

import utils
from utils.course.variant import make_variant, write_variant

TEXTS = {"000": "見出し\n停戦だ。\n和平だ。\n\n戦争だ。\n侵攻だ。",
         "001": "題\n核だ。\n合意だ。\n交渉だ。",
         "002": "表題\n一行目。\n二行目。\n三行目。\n四行目。"}


@pytest.mark.parametrize("seed", [0, 1, "abc", "self-check"])
def test_the_same_seed_gives_the_same_variant_and_titles_stay(seed):
    a, b = make_variant(seed, texts=TEXTS), make_variant(seed, texts=TEXTS)
    assert a.texts == b.texts
    assert sorted(a.texts) == sorted(TEXTS)
    for doc_id, text in a.texts.items():
        assert text.split("\n")[0] == TEXTS[doc_id].split("\n")[0]


def test_every_text_loses_a_line_and_no_line_is_invented():
    for seed in range(20):
        variant = make_variant(seed, texts=TEXTS)
        originals = {line for t in TEXTS.values() for line in t.split("\n")}
        for doc_id, text in variant.texts.items():
            assert set(text.split("\n")) <= originals
            lines = [ln for ln in TEXTS[doc_id].split("\n") if ln.strip()]
            kept = [ln for ln in text.split("\n") if ln in lines]
            assert len(kept) < len(lines)


def test_spans_follow_their_line_or_are_dropped():
    for seed in range(20):
        variant = make_variant(seed, texts=TEXTS)
        for doc_id, text in TEXTS.items():
            for phrase in ("停戦", "和平", "合意", "三行目"):
                start = text.find(phrase)
                if start < 0:
                    continue
                where = variant.map_span(doc_id, start, start + len(phrase))
                if where is not None:
                    new_doc, a, b = where
                    assert variant.texts[new_doc][a:b] == phrase
        # a span over two lines survives only if both lines stay together
        start = TEXTS["000"].find("停戦")
        end = TEXTS["000"].find("和平") + 2
        where = variant.map_span("000", start, end)
        if where is not None:
            assert variant.texts[where[0]][where[1]:where[2]] == TEXTS["000"][start:end]


@pytest.mark.parametrize("drop, move", [((0.6, 0.5), 0.5), ((0.2, 0.3), 1.5)])
def test_bad_options_are_refused(drop, move):
    with pytest.raises(ValueError, match="drop must be"):
        make_variant(1, texts=TEXTS, drop=drop, move=move)


def test_a_written_variant_loads_like_the_corpus_with_its_annotations(tmp_path):
    out = write_variant("demo", tmp_path / "v")
    corpus = utils.load_corpus(out)  # checksums match the new metadata
    assert list(corpus["doc_id"]) == ["000", "001", "002", "003", "004"]
    assert list(corpus.columns) == list(utils.load_corpus().columns)
    original = utils.load_corpus().set_index("doc_id")["text"]
    changed = corpus.set_index("doc_id")["text"]
    assert all(changed[d] != original[d] for d in original.index)
    texts = dict(zip(corpus["doc_id"], corpus["text"]))
    for name in ("gold.tsv", "annotator_a.tsv", "annotator_b.tsv", "annotator_c.tsv"):
        spans = utils.read_spans(out / "annotations" / name, texts=texts)  # all valid
        before = utils.read_spans(utils.CORPUS_DIR / "annotations" / name)
        assert 0 < len(spans) < len(before)
    for name in ("gold_rationales.tsv", "annotator_a_rationales.tsv",
                 "annotator_c_rationales.tsv"):
        rationales = (out / "annotations" / name).read_text("utf-8").splitlines()
        assert len(rationales) > 1, name
        for line in rationales[1:]:
            doc_id, _, start, end, text, _ = line.split("\t")
            assert texts[doc_id][int(start):int(end)] == text
    assert (out / "annotations" / "GUIDELINES.md").is_file() and (out / "README.md").is_file()
    assert "not a corpus to analyse" in (out / "VARIANT.txt").read_text("utf-8")


def test_a_variant_never_overwrites_a_folder(tmp_path):
    (tmp_path / "v").mkdir()
    (tmp_path / "v" / "mine.txt").write_text("x", "utf-8")
    with pytest.raises(FileExistsError, match="not empty"):
        write_variant(1, tmp_path / "v")
    assert (tmp_path / "v" / "mine.txt").read_text("utf-8") == "x"


def test_the_command_writes_a_variant(tmp_path, capsys):
    from utils.course.variant import main

    assert main(["--seed", "7", "--out", str(tmp_path / "v")]) == 0
    assert "seed 7" in capsys.readouterr().out
    digest = hashlib.sha256((tmp_path / "v" / "texts" / "000.txt").read_bytes()).hexdigest()
    again = write_variant("7", tmp_path / "w")
    assert hashlib.sha256((again / "texts" / "000.txt").read_bytes()).hexdigest() == digest
    assert main(["--seed", "7", "--out", str(tmp_path / "v")]) == 2
    assert "not empty" in capsys.readouterr().err
