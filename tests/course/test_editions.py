"""The Japanese edition as students and graders meet it: same code, Japanese words."""
from __future__ import annotations

import json
import re

import pytest

from conftest import LESSONS, solution_notebooks
from utils.course.editions import edition_of, visible_messages
from utils.course.gradebook import Row, feedback_text, read_gradebook, write_reports
from utils.course.grading import CheckFailed, check
from utils.course.i18n import Catalog, use_language
from utils.course.notebooks import read_notebook
from utils.course.submissions import Submission
from utils.course.translations import message_entries

MASTERS = solution_notebooks()
JAPANESE = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff]")


@pytest.fixture(params=MASTERS, ids=[m.stem for m in MASTERS])
def pair(request):
    master = request.param
    return master, read_notebook(LESSONS / master.name), read_notebook(LESSONS / "ja" / master.name)


def test_the_japanese_lesson_has_the_english_code_ids_and_locks(pair):
    _, en, ja = pair
    assert len(en.cells) == len(ja.cells)
    for a, b in zip(en.cells, ja.cells):
        assert (a.cell_type, a.id, a.metadata) == (b.cell_type, b.id, b.metadata)
        if a.cell_type == "code":
            assert a.source == b.source
    assert {k: v for k, v in ja.metadata.items() if k != "jmedia_kit"} == en.metadata
    assert edition_of(ja) == "ja" and edition_of(en) == "en"


def test_every_prose_cell_of_the_japanese_lesson_is_japanese(pair):
    _, en, ja = pair
    for a, b in zip(en.cells, ja.cells):
        if a.cell_type == "markdown" and a.source.strip() != "YOUR ANSWER HERE":
            assert b.source != a.source and JAPANESE.search(b.source), a.id
            prose = re.sub(r"`[^`]*`|\$[^$]*\$|https?://\S+", "", b.source)
            latin, kana = len(re.findall(r"[A-Za-z]", prose)), len(JAPANESE.findall(prose))
            assert kana > latin / 3, f"cell {a.id} reads as English: {b.source[:120]!r}"


def test_the_japanese_checks_file_carries_only_the_visible_questions(pair):
    master, _, _ = pair
    en = json.loads((LESSONS / "checks" / f"{master.stem}.json").read_text("utf-8"))
    ja = json.loads((LESSONS / "ja" / "checks" / f"{master.stem}.json").read_text("utf-8"))
    assert ja["checks"] == en["checks"] and ja["language"] == "ja"
    hidden = {e.text for e in message_entries(read_notebook(master)) if e.hidden}
    shown = set(ja["messages"]) | set(ja["templates"])
    assert shown and not shown & hidden
    messages, templates = visible_messages(master)
    assert (ja["messages"], ja["templates"]) == (messages, templates)
    assert all(JAPANESE.search(t) for t in [*ja["messages"].values(), *ja["templates"].values()])


@pytest.fixture
def lesson_folder(tmp_path, monkeypatch):
    """A lesson folder with an English and a Japanese checks file of one exercise."""
    code = ('with checks("ex99_01", success="Next: lines.") as test:\n'
            '    test.is_instance(n, int, "n")\n'
            '    test.that(n == 2, "Is `n` two?")\n'
            '    test.that(n > 0, f"Is text {n} right?")')
    for folder, extra in ((tmp_path / "en", {}), (tmp_path / "ja", {
            "language": "ja", "messages": {"Is `n` two?": "`n` は 2 ですか？",
                                           "Next: lines.": "次は行数です。"},
            "templates": {"Is text {n} right?": "テキスト {n} は正しいですか？"}})):
        (folder / "checks").mkdir(parents=True)
        (folder / "checks" / "99_demo.json").write_text(
            json.dumps({"checks": {"ex99_01": code}, **extra}, ensure_ascii=False), "utf-8")
    yield tmp_path
    use_language("en")


@pytest.mark.parametrize("edition, n, expected", [
    ("ja", 3, "`n` は 2 ですか？"),
    ("ja", "2", "`n` は整数（int）になっていますか？ いまは文字列（str）です。"),
    ("en", 3, "Is `n` two?"),
    ("en", "2", "Is `n` a whole number (int)? Right now it is a string (str)."),
])
def test_a_check_asks_in_the_language_of_its_lesson(lesson_folder, monkeypatch, edition, n,
                                                     expected):
    monkeypatch.chdir(lesson_folder / edition)
    with pytest.raises(CheckFailed) as failed:
        check("ex99_01", namespace={"n": n})
    assert failed.value.question == expected


def test_a_passing_check_says_so_in_the_language_of_its_lesson(lesson_folder, monkeypatch,
                                                               capsys):
    monkeypatch.chdir(lesson_folder / "ja")
    check("ex99_01", namespace={"n": 2})
    monkeypatch.chdir(lesson_folder / "en")
    check("ex99_01", namespace={"n": 2})
    assert capsys.readouterr().out == ("✅ ex99_01 合格です。 次は行数です。\n"
                                       "✅ ex99_01 passed. Next: lines.\n")


def test_feedback_speaks_the_edition_handed_in_and_the_gradebook_keeps_it(tmp_path):
    catalog = Catalog({"Is `x` five?": "`x` は 5 ですか？"})
    rows = [Row("aiko", "98_tiny", "ex98_01", 0.0, 2, "failed", "Is `x` five?", edition="ja"),
            Row("aiko", "98_tiny", "ex98_02", None, 1, "manual", edition="ja"),
            Row("ben", "98_tiny", "ex98_01", 0.0, 2, "failed", "Is `x` five?")]
    paths = write_reports(rows, tmp_path, catalogs={("98_tiny", "ja"): catalog})
    aiko = (paths["feedback"] / "aiko.md").read_text("utf-8")
    ben = (paths["feedback"] / "ben.md").read_text("utf-8")
    assert aiko.startswith("# aiko さんへのフィードバック\n\n## 98_tiny: 0 / 3 点")
    assert "| ex98_01 | 0 / 2 | failed | `x` は 5 ですか？ |" in aiko
    assert "記述式の解答（最大 1 点）は、まだ採点されていません。" in aiko
    assert ben.startswith("# Feedback for ben") and "Is `x` five?" in ben
    assert [r.edition for r in read_gradebook(paths["gradebook"])] == ["ja", "ja", "en"]
    assert "| ex98_01 | 0 / 2 | failed | Is `x` five? |" in feedback_text(
        "aiko", rows[:1])  # no catalog given: the question stays as it was asked


def test_a_gradebook_written_before_editions_reads_as_english(tmp_path):
    path = tmp_path / "gradebook.csv"
    path.write_text("student,lesson,grade_id,points,max_points,status,reason,notes\n"
                    "a,00,ex00_01,2,2,passed,,\n", "utf-8")
    assert read_gradebook(path)[0].edition == "en"


@pytest.mark.parametrize("data, edition", [
    (b'{"metadata": {"jmedia_kit": {"edition": "ja"}}, "cells": []}', "ja"),
    (b'{"metadata": {"jmedia_kit": {"edition": "fr"}}, "cells": []}', "en"),
    (b'{"metadata": {}, "cells": []}', "en"),
    (b"not json", "en"),
    (None, "en"),
])
def test_a_submission_knows_its_edition(tmp_path, data, edition):
    assert Submission("aiko", tmp_path / "x.ipynb", data).edition == edition


def test_a_students_own_grading_finds_the_questions_in_the_editions_checks_file(pair):
    """Without solutions/ (a student's copy), the lesson is the master and the Japanese
    checks file holds every question its visible checks can ask."""
    master, _, _ = pair
    from utils.course.editions import lesson_catalog

    catalog = lesson_catalog(LESSONS / master.name, "ja")
    messages, _ = visible_messages(master)
    assert messages and all(catalog.translate(en) == ja for en, ja in messages.items())
    assert catalog.translate("✅ ex00_01 passed.") == "✅ ex00_01 合格です。"


def _labels(source: str):
    """The literal titles and axis labels a code cell gives its figures."""
    import ast

    code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                     for line in source.splitlines())
    for node in ast.walk(ast.parse(code)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", None)
        values = list(node.args[:1]) if name in ("set_title", "set_xlabel", "set_ylabel",
                                                 "suptitle") else []
        values += [k.value for k in node.keywords if k.arg in ("title", "xlabel", "ylabel")]
        for value in values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                yield value.value, False
            elif isinstance(value, ast.JoinedStr):  # a name filled in may be the English
                yield "".join(v.value for v in value.values if isinstance(v, ast.Constant)), True


@pytest.mark.parametrize("master", MASTERS, ids=[m.stem for m in MASTERS])
def test_figure_labels_read_in_both_editions(master):
    """The code, and so each figure, is the same in both editions: its titles and axis
    labels say it in Japanese, with the English beside it."""
    labels = [label for cell in read_notebook(master).cells if cell.cell_type == "code"
              for label in _labels(cell.source)]
    assert labels
    for label, filled in labels:
        assert JAPANESE.search(label) and (filled or re.search(r"[A-Za-z]{2}", label)), label
