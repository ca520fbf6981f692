"""The Japanese edition's sources: every master translated, extraction, merging, structure."""
from __future__ import annotations

import json

import nbformat
import polib
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from conftest import nbgrader_cell, solution_notebooks
from utils.course.i18n import Catalog, kit_catalog, read_po
from utils.course.notebooks import notebook_text
from utils.course.translations import (catalog_path, catalog_problems, message_entries,
                                       structure_problems, update_catalog)

MASTERS = solution_notebooks()


@pytest.mark.parametrize("master", MASTERS, ids=[m.stem for m in MASTERS])
def test_every_master_is_completely_translated(master):
    """A prose cell, hint or message without its Japanese (or whose English changed since:
    fuzzy), or a translation that lost a number, a code span or a table column, fails."""
    assert catalog_path(master).is_file(), "run `python -m utils translations --update`"
    assert catalog_problems(master) == []


def _master(tmp_path, checks: str, prose: str = "# 98 · Tiny\n\nCount `x`: 5 texts."):
    answer = nbgrader_cell(new_code_cell("### BEGIN SOLUTION\nx = 5\n### END SOLUTION",
                                         id="a1"), "ex98_01_answer", solution=True)
    check = nbgrader_cell(new_code_cell(checks, id="c1"), "ex98_01", grade=True, points=1)
    setup = new_code_cell("from utils.course.grading import check, checks", id="setup")
    nb = new_notebook(cells=[new_markdown_cell(prose, id="title"), setup, answer, check])
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    path = tmp_path / "98_tiny.ipynb"
    path.write_text(notebook_text(nb), "utf-8")
    return path


CHECKS = ('with checks("ex98_01", success="Next: more.") as test:\n'
          '    test.that(x == 5, "Is `x` five?")\n'
          '    test.hash(x, "0", "Did you count?", wrong={"1": "Did you count twice?"})\n'
          '    ### BEGIN HIDDEN TESTS\n'
          '    for doc in ["000"]:\n'
          '        test.that(x > 0, f"Is the count for text {doc} right?")\n'
          '    cases = [(1, "Does it work on one text?")]\n'
          '    for n, question in cases:\n'
          '        test.that(n, question)\n'
          '    ### END HIDDEN TESTS')


def test_messages_are_found_with_their_kind_and_visibility(tmp_path):
    found = {e.text: e for e in message_entries(nbformat.read(_master(tmp_path, CHECKS), 4))}
    assert set(found) == {"Next: more.", "Is `x` five?", "Did you count?",
                          "Did you count twice?", "Is the count for text {doc} right?",
                          "Does it work on one text?"}
    assert [t for t, e in found.items() if e.hidden] == [
        "Is the count for text {doc} right?", "Does it work on one text?"]
    assert [t for t, e in found.items() if e.template] == ["Is the count for text {doc} right?"]
    assert all(e.where == ["ex98_01"] for e in found.values())


def test_update_adds_then_marks_a_changed_cell_fuzzy_and_retires_unused_entries(tmp_path):
    master = _master(tmp_path, CHECKS)
    assert update_catalog(master)["added"] == 7  # one prose cell, six messages
    po = polib.pofile(str(catalog_path(master)))
    for entry in po:
        entry.msgstr = entry.msgid + " (ja)"
    po.save()
    assert catalog_problems(master) == []
    _master(tmp_path, CHECKS.replace('"Is `x` five?"', '"Is `x` 5?"'),
            prose="# 98 · Tiny\n\nCount `x` again: 5 texts.")
    counts = update_catalog(master)
    assert counts == {"added": 1, "changed": 1, "obsolete": 1, "kept": 5}
    title = next(e for e in polib.pofile(str(catalog_path(master))) if e.msgctxt == "title")
    assert "fuzzy" in title.flags and title.previous_msgid == "# 98 · Tiny\n\nCount `x`: 5 texts."
    assert title.msgstr == "# 98 · Tiny\n\nCount `x`: 5 texts. (ja)"  # kept for the translator
    problems = catalog_problems(master)
    assert any("cell title changed in English" in p for p in problems)
    assert any("'Is `x` 5?' has no translation" in p for p in problems)


@pytest.mark.parametrize("english, translation, template, problems", [
    ("Is the count for text {doc} right?", "テキスト {doc} の数は正しいですか？", True, []),
    ("Is the count for text {doc} right?", "テキストの数は正しいですか？", True,
     ["the placeholders {…} differ from the English"]),
    ("## 2. Count `x`\n\n| a | b |\n|---|---|", "## 2. `x` を数える\n\n| a | b |\n|---|---|",
     False, []),
    ("## 2. Count\n\ntext", "# 2. 数える\n\ntext", False,
     ["the heading levels differ from the English"]),
    ("| a | b |\n|---|---|", "| a |\n|---|", False, ["the table rows differ from the English"]),
    ("<details><summary>Hint</summary>x</details>", "ヒント: x", False,
     ["the hint boxes differ from the English"]),
    ("See `corpus/README.md`.", "`corpus/README.ja.md` を見てください。", False, []),
    ("It prints `ex00_01 passed.`", "`ex00_01 合格です。` と表示されます。", False, []),
    ("It prints `ex00_01 passed.`", "合格と表示されます。", False,
     ["inline code `ex00_01 passed.` is missing"]),
    ("In lesson 03, 1,000 characters", "第3回では1,000文字", False, []),
    ("In lesson 03, 1,000 characters", "第3回では千文字", False, ["the number 1,000 is missing"]),
])
def test_structure_problems(english, translation, template, problems):
    assert structure_problems(english, translation, template=template) == problems


def test_a_template_translates_its_pieces_and_the_most_specific_wins():
    catalog = Catalog({"a list": "リスト"},
                      {"Is `{name}` {kind}?": "`{name}` は{kind}ですか？",
                       "Is `{name}` a list?": "`{name}` はリストですか？（特定）"})
    assert catalog.translate("Is `x` a list?") == "`x` はリストですか？（特定）"
    assert catalog.translate("Is `x` a dict?") == "`x` はa dictですか？"
    assert catalog.translate("Something else?") == "Something else?"


def test_the_kit_catalog_translates_the_machinery_it_promises():
    say = kit_catalog("ja").translate
    assert say("✅ ex00_01 passed.") == "✅ ex00_01 合格です。"
    assert say("Is `n` a whole number (int)? Right now it is a string (str).") == \
        "`n` は整数（int）になっていますか？ いまは文字列（str）です。"
    assert say("Is `n` defined? Run your answer cell above (Shift+Enter), then this check "
               "again.").startswith("`n` は定義されていますか？")
    assert kit_catalog("en").translate("✅ ex00_01 passed.") == "✅ ex00_01 passed."
    with pytest.raises(ValueError, match="'fr'"):
        kit_catalog("fr")


def test_read_po_leaves_out_fuzzy_and_untranslated_entries(tmp_path):
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Done?", msgstr="済みましたか？"))
    po.append(polib.POEntry(msgid="Old?", msgstr="古い？", flags=["fuzzy"]))
    po.append(polib.POEntry(msgid="Empty?", msgstr=""))
    po.append(polib.POEntry(msgid="# Title", msgstr="# 題", msgctxt="title"))
    po.save(str(tmp_path / "x.po"))
    catalog = read_po(tmp_path / "x.po")
    assert json.dumps(catalog.messages, ensure_ascii=False) == '{"Done?": "済みましたか？"}'


def test_numbers_adapted_on_purpose_are_exempt_only_from_the_number_check(tmp_path):
    master = _master(tmp_path, CHECKS, prose="# 98 · Tiny\n\nAbout 7,200 words: 60 minutes.")
    update_catalog(master)
    po = polib.pofile(str(catalog_path(master)))
    for entry in po:
        entry.msgstr = entry.msgid + "（日本語）"
        if entry.msgctxt == "title":
            entry.msgstr = "# 98 · 小さな回\n\n日本語で読むと約40分です。"
    po.save()
    assert [p.split(": ", 2)[-1] for p in catalog_problems(master)] == [
        "the number 7,200 is missing", "the number 60 is missing"]
    title = next(e for e in po if e.msgctxt == "title")
    title.tcomment = "numbers: adapted (reading time of the Japanese text)"
    po.save()
    assert catalog_problems(master) == []
    title.msgstr = "## 98 · 小さな回\n\n日本語で読むと約40分です。"  # structure still checked
    po.save()
    assert [p.split(": ", 2)[-1] for p in catalog_problems(master)] == [
        "the heading levels differ from the English"]


def test_the_command_says_what_is_left_and_exits_1_until_it_is_done(tmp_path, capsys):
    from utils.course.translations import main

    master = _master(tmp_path, CHECKS)
    assert main(["--update", "--solutions", str(tmp_path)]) == 0
    assert "98_tiny.po: 7 added" in capsys.readouterr().out
    assert main(["--solutions", str(tmp_path)]) == 1
    assert "7 entries to translate in 98_tiny" in capsys.readouterr().out
    po = polib.pofile(str(catalog_path(master)))
    for entry in po:
        entry.msgstr = entry.msgid + "（日本語）"
    po.save()
    assert main(["98_tiny", "--solutions", str(tmp_path)]) == 0
    assert capsys.readouterr().out == "complete in ja: 98_tiny\n"
