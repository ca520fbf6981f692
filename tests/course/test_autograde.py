"""Tests for utils/course/autograde.py: a crafted class of bad submissions, graded in one run.

The class uses the tiny masters of conftest.py (no pandas, so kernels start fast). One
grading run, in the background from the end of collection on (conftest.background),
grades every student with ``jobs=4, timeout=2`` and writes the reports; each test then
reads its own rows. The command line is tested on submissions that need no kernel.
"""
from __future__ import annotations

import copy
import csv
import hashlib

import polib
import pytest

from conftest import (HIDDEN_TOKEN, background, background_result, nbgrader_cell,
                      tiny_master)
from nbformat.v4 import new_code_cell
from utils.course import autograde
from utils.course.editions import edition_catalogs
from utils.course.notebooks import notebook_text
from utils.course.release import release, release_notebook
from utils.course.translations import catalog_path, update_catalog

GOOD = {"ex98_01_answer": "x = 6 * 7", "ex98_02_answer": "def double(n):\n    return n + n",
        "ex98_03_answer": 'words = ["停戦", "和平"]'}


def lesson98(**answers):
    """The released tiny lesson with the given answers (grade_id -> source)."""
    nb = release_notebook(tiny_master("98"))
    sources = {**GOOD, **answers}
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in sources and sources[gid] is not None:
            cell.source = sources[gid]
    return nb


def cell_index(nb, grade_id):
    return next(i for i, c in enumerate(nb.cells)
                if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


# Answers that break an exercise; each student below combines faults in different
# exercises, so one kernel run proves several cases and that each costs only its exercise.
# Every endless loop sleeps: stopped or hung all the same, but the seconds until the
# grader interrupts or kills it leave the CPU to the rest of the test suite.
IGNORE_INTERRUPTS = "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
ENDLESS_LOOP = "import time\nwhile True:\n    time.sleep(0.05)"
HUNG_IN_CHECK = (IGNORE_INTERRUPTS + "\n\nclass Endless:\n    def __eq__(self, other):\n"
                 "        while True:\n            time.sleep(0.05)\n\n\nx = Endless()")


def craft() -> dict[str, bytes | None]:
    """student -> bytes of their 98_tiny.ipynb (None: no file)."""
    subs: dict[str, object] = {}
    subs["perfect"] = lesson98(ex98_04="Long texts mention everything more often.")
    # an endless loop that the grader's interrupt stops; the kernel lives on
    subs["loop-raises"] = lesson98(ex98_01_answer=ENDLESS_LOOP,
                                   ex98_03_answer="words = 1 / 0")
    subs["hung-syntax"] = lesson98(
        ex98_01_answer=IGNORE_INTERRUPTS + ENDLESS_LOOP,
        ex98_02_answer="def double(n):\n    return (n + n")
    # two restarts: after the check of ex98_01 hangs, then after ex98_03 kills the kernel
    subs["hung-in-check-dies"] = lesson98(ex98_01_answer=HUNG_IN_CHECK,
                                          ex98_03_answer="import os\nos._exit(1)")
    # an answer that writes to stderr still passes (only check cells are scored)
    nb = lesson98(ex98_01_answer="import sys\nprint('debug', file=sys.stderr)\nx = 42",
                  ex98_03_answer='words = ["停戦"]')
    del nb.cells[cell_index(nb, "ex98_02_answer")]
    subs["partial-missing"] = nb
    nb = lesson98(ex98_01_answer=None)  # the stub stays, a correct copy follows it
    copy_cell = copy.deepcopy(nb.cells[cell_index(nb, "ex98_01_answer")])
    copy_cell.source, copy_cell.id = "x = 42", "copy"
    nb.cells.insert(cell_index(nb, "ex98_01_answer") + 1, copy_cell)
    nb.cells[cell_index(nb, "ex98_02_answer")].metadata["nbgrader"]["grade_id"] = "ex98_02_mine"
    subs["duplicated-renamed"] = nb
    nb = lesson98(ex98_01_answer="x = 41", ex98_02_answer="def double(n):\n    return n")
    nb.cells[cell_index(nb, "ex98_01")].source = "assert True"
    del nb.cells[cell_index(nb, "ex98_02")]
    subs["edited-deleted-check"] = nb
    subs["wrong-lesson"] = release_notebook(tiny_master("97"))
    nb = lesson98()
    for cell in nb.cells:
        cell.metadata.pop("nbgrader", None)
    subs["no-ids"] = nb
    # the Japanese edition of the lesson (graded against the same master), a wrong answer
    nb = lesson98(ex98_01_answer="x = 6 + 7")
    nb.metadata["jmedia_kit"] = {"edition": "ja"}
    subs["japanese"] = nb
    out: dict[str, bytes | None] = {}
    for student, nb in subs.items():
        out[student] = notebook_text(nb).encode("utf-8")
    out["not-a-notebook"] = b'{"hello": "world"}'
    out["invalid-json"] = out["perfect"][: len(out["perfect"]) // 2]
    out["binary"] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    return out


@background("classroom")
def grade_the_class(root):
    """Grade the crafted class once (in the background); rows, folders, hashes."""
    solutions = root / "solutions"
    solutions.mkdir()
    (solutions / "98_tiny.ipynb").write_text(notebook_text(tiny_master("98")), "utf-8")
    (solutions / "97_other.ipynb").write_text(notebook_text(tiny_master("97")), "utf-8")
    subs = root / "submissions"
    for student, data in craft().items():
        (subs / student).mkdir(parents=True)
        (subs / student / "98_tiny.ipynb").write_bytes(data)
    (subs / "perfect" / "notes.txt").write_text("not a submission", "utf-8")

    other = subs / "only-97"
    other.mkdir()
    (other / "97_other.ipynb").write_text(
        notebook_text(release_notebook(tiny_master("97"))), "utf-8")
    (other / "98_tiny.docx").write_bytes(b"PK\x03\x04 not a notebook")
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest()
              for p in subs.rglob("*") if p.is_file()}
    update_catalog(solutions / "98_tiny.ipynb")  # its Japanese edition (solutions/locale/ja/)
    po = polib.pofile(str(catalog_path(solutions / "98_tiny.ipynb")))
    for entry in po:
        entry.msgstr = {"Is `x` the product of 6 and 7?": "`x` は 6 と 7 の積ですか？"}.get(
            entry.msgid, entry.msgid + "（日本語）")
    po.save()
    out = root / "grades"
    graded = autograde.grade([subs], solutions=solutions, jobs=4, timeout=2)
    autograde.write_reports(graded, out, catalogs=edition_catalogs(graded, solutions))
    with open(out / "gradebook.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # a student's copy of the kit has lessons/ but no solutions/: visible checks only
    lessons = root / "lessons"
    release([solutions / "98_tiny.ipynb"][0].parent, lessons, names=["98_tiny"])
    visible = autograde.grade([subs / "edited-deleted-check" / "98_tiny.ipynb",
                               subs / "perfect" / "98_tiny.ipynb",
                               subs / "japanese" / "98_tiny.ipynb"], solutions=lessons, jobs=2)
    own = [r for r in visible if r.student == "japanese"]  # as if graded by the student
    own_feedback = autograde.feedback_text("japanese", own,
                                           catalogs=edition_catalogs(own, lessons))
    return {"rows": rows, "out": out, "subs": subs, "before": before, "visible": visible,
            "own_feedback": own_feedback}


@background("real_disk_class")
def grade_a_class_with_a_student_who_deletes_a_file(root):
    """Two students graded at once; one deletes the other's file on the real disk (its path
    is known here; a student would find it from sys.executable or the environment)."""
    solutions = root / "solutions"
    solutions.mkdir()
    (solutions / "98_tiny.ipynb").write_text(notebook_text(tiny_master("98")), "utf-8")
    subs = root / "submissions"
    victim = subs / "perfect" / "98_tiny.ipynb"
    answers = {"perfect": {}, "deletes-another": {
        "ex98_03_answer": f"import os\nos.remove({str(victim)!r})\nwords = ['停戦']"}}
    for student, changed in answers.items():
        (subs / student).mkdir(parents=True)
        (subs / student / "98_tiny.ipynb").write_text(notebook_text(lesson98(**changed)), "utf-8")
    before = {p: p.read_bytes() for p in [*subs.rglob("*.ipynb"), *solutions.iterdir()]}
    rows = autograde.grade([subs], solutions=solutions, jobs=2, timeout=10)
    after = {p: p.read_bytes() for p in before if p.is_file()}
    return rows, before == after


@pytest.fixture(scope="module")
def classroom():
    return background_result("classroom")


def rows_of(classroom, student, lesson="98_tiny"):
    return {r["grade_id"]: r for r in classroom["rows"]
            if r["student"] == student and r["lesson"] == lesson}


def status(classroom, student, grade_id="ex98_01"):
    row = rows_of(classroom, student)[grade_id]
    return row["status"], row["points"]


# --------------------------------------------------------------------------- the cases

def test_perfect_submission_gets_every_point_and_the_written_answer_waits(classroom):
    rows = rows_of(classroom, "perfect")
    assert {g: (r["status"], r["points"], r["max_points"]) for g, r in rows.items()} == {
        "ex98_01": ("passed", "2", "2"), "ex98_02": ("passed", "3", "3"),
        "ex98_03": ("passed", "2", "2"), "ex98_04": ("manual", "", "1")}


PASSED = {"ex98_01": ("passed", "2", ""), "ex98_02": ("passed", "3", ""),
          "ex98_03": ("passed", "2", "")}
CASES = {  # student -> grade_id -> (status, points, words in the reason)
    "loop-raises": {"ex98_01": ("timeout", "0", "the answer cell ran longer than 2 s"),
                    "ex98_03": ("error", "0", "ZeroDivisionError: division by zero")},
    "hung-syntax": {"ex98_01": ("timeout", "0", "the answer cell ran longer than 2 s"),
                    "ex98_02": ("error", "0", "SyntaxError")},
    "hung-in-check-dies": {
        "ex98_01": ("timeout", "0", "the check ran longer than 2 s on your answer"),
        "ex98_03": ("kernel-died", "0", "crashed the Python kernel")},
    "partial-missing": {"ex98_02": ("missing", "0", "no answer cell ex98_02_answer"),
                        "ex98_03": ("partial", "1", "")},
    "duplicated-renamed": {"ex98_02": ("missing", "0", "no answer cell ex98_02_answer")},
    "edited-deleted-check": {
        "ex98_01": ("failed", "0", "Is `x` the product of 6 and 7?"),
        "ex98_02": ("failed", "0", "Does `double` return twice its argument?")},
}


@pytest.mark.parametrize("student", sorted(CASES))
def test_a_bad_answer_costs_only_its_exercise(classroom, student):
    """Every other exercise is still graded, in a fresh kernel if need be."""
    rows = rows_of(classroom, student)
    expected = {**PASSED, **CASES[student]}
    assert {g: (rows[g]["status"], rows[g]["points"]) for g in expected} == {
        g: (st, pts) for g, (st, pts, _) in expected.items()}
    for grade_id, (_, _, words) in expected.items():
        assert words in rows[grade_id]["reason"]


@pytest.mark.parametrize("student, grade_id, note", [
    ("duplicated-renamed", "ex98_01",
     "2 cells (cells 3, 4) carry the id of this answer; graded cell 4"),
    ("duplicated-renamed", "ex98_02",
     "has the id 'ex98_02_mine', which this lesson does not have"),
    ("edited-deleted-check", "ex98_01",
     "the check cell ex98_01 was edited; the original check was run"),
    ("edited-deleted-check", "ex98_02",
     "the check cell ex98_02 was deleted; the original check was run"),
])
def test_the_report_says_what_was_tampered_with(classroom, student, grade_id, note):
    assert note in rows_of(classroom, student)[grade_id]["notes"]


def test_partial_credit_follows_nbgrader(classroom):
    assert status(classroom, "partial-missing", "ex98_03") == ("partial", "1")
    assert status(classroom, "partial-missing") == ("passed", "2")  # despite its stderr


@pytest.mark.parametrize("student, expected, words", [
    ("wrong-lesson", "wrong-lesson", "holds the exercises of lesson 97"),
    ("not-a-notebook", "not-a-notebook", "not a Jupyter notebook"),
    ("invalid-json", "invalid-json", "not valid JSON"),
    ("binary", "not-a-notebook", "not text"),
    ("no-ids", "missing", "none of this lesson's answer cells"),
])
def test_unusable_files_get_zero_and_a_reason(classroom, student, expected, words):
    rows = rows_of(classroom, student)
    assert sorted(rows) == ["ex98_01", "ex98_02", "ex98_03", "ex98_04"]
    for row in rows.values():
        assert (row["status"], row["points"]) == (expected, "0")
        assert words in row["reason"]


def test_a_student_without_the_file_is_listed_as_not_submitted(classroom):
    rows = rows_of(classroom, "only-97")
    assert {r["status"] for r in rows.values()} == {"not-a-notebook"}  # the .docx
    assert {g: r["status"] for g, r in rows_of(classroom, "only-97", "97_other").items()} \
        == {"ex97_01": "not-attempted", "ex97_02": "not-attempted"}
    assert {r["status"] for r in rows_of(classroom, "perfect", "97_other").values()} \
        == {"not-submitted"}


# --------------------------------------------------------------------------- the outputs

def test_gradebook_has_one_row_per_student_and_exercise(classroom):
    rows = classroom["rows"]
    assert list(rows[0]) == autograde.GRADEBOOK_COLUMNS
    keys = [(r["student"], r["lesson"], r["grade_id"]) for r in rows]
    assert len(keys) == len(set(keys)) == len({r["student"] for r in rows}) * (4 + 2)
    assert keys == sorted(keys, key=lambda k: (k[0], k[1] != "97_other", k[1], k[2]))
    assert {r["status"] for r in rows} <= set(autograde.STATUSES)
    assert not list(classroom["out"].rglob("*.tmp")), "a temporary file was left behind"


def test_summary_and_feedback_files(classroom):
    out = classroom["out"]
    with open(out / "summary.csv", encoding="utf-8") as handle:
        summary = {r["student"]: r for r in csv.DictReader(handle)}
    assert set(summary) == {r["student"] for r in classroom["rows"]}
    assert (summary["perfect"]["total"], summary["perfect"]["max_total"]) == ("7", "13")
    assert summary["perfect"]["ex98_04"] == ""
    files = sorted(p.stem for p in (out / "feedback").glob("*.md"))
    assert files == sorted(summary)
    text = (out / "feedback" / "edited-deleted-check.md").read_text("utf-8")
    assert "## 98_tiny: 2 / 8 points" in text
    assert "| ex98_01 | 0 / 2 | failed | Is `x` the product of 6 and 7? |" in text


def test_a_japanese_submission_is_graded_by_the_same_master_with_feedback_in_japanese(
        classroom):
    rows = rows_of(classroom, "japanese")
    assert {r["edition"] for r in rows.values()} == {"ja"}
    assert (rows["ex98_01"]["status"], rows["ex98_02"]["status"]) == ("failed", "passed")
    assert rows["ex98_01"]["reason"] == "Is `x` the product of 6 and 7?"  # gradebook: English
    text = (classroom["out"] / "feedback" / "japanese.md").read_text("utf-8")
    assert text.startswith("# japanese さんへのフィードバック")
    assert "| ex98_01 | 0 / 2 | failed | `x` は 6 と 7 の積ですか？ |" in text
    assert {r["edition"] for r in rows_of(classroom, "perfect").values()} == {"en"}
    # graded on a student's copy (no solutions/): the questions come from lessons/ja/checks/
    assert "| ex98_01 | 0 / 2 | failed | `x` は 6 と 7 の積ですか？ |" in classroom["own_feedback"]


def test_hidden_test_source_never_reaches_a_student(classroom):
    out = classroom["out"]
    for path in [out / "gradebook.csv", out / "summary.csv", *(out / "feedback").glob("*")]:
        text = path.read_text("utf-8")
        assert HIDDEN_TOKEN not in text
        assert "assert x" not in text and "Traceback" not in text


@pytest.fixture
def real_disk_class():  # named as its builder, so collection starts the builder at once
    return background_result("real_disk_class")


def test_a_notebook_that_changes_the_real_disk_is_caught_and_undone(real_disk_class):
    """The student who deleted another's file gets touched-kit on every exercise (graded
    at the same time as the other, then alone to tell who did it); the file is back, and
    the other student's grade is untouched."""
    rows, unchanged = real_disk_class
    assert unchanged
    mine = [r for r in rows if r.student == "deletes-another"]
    assert {r.status for r in mine} == {"touched-kit"}
    assert all("perfect/98_tiny.ipynb (deleted)" in r.reason for r in mine)
    theirs = {r.grade_id: (r.status, r.points) for r in rows if r.student == "perfect"}
    assert theirs["ex98_01"] == ("passed", 2.0) and theirs["ex98_04"] == ("not-attempted", 0.0)


def test_submissions_are_never_changed(classroom):
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest()
             for p in classroom["subs"].rglob("*") if p.is_file()}
    assert after == classroom["before"]


def test_command_line_grades_a_class_and_prints_one_line_per_student(tmp_path,
                                                                     tiny_solutions, capsys):
    subs = tmp_path / "submissions"
    for student, data in [("ann", b"{"), ("bob", b"[]")]:
        (subs / student).mkdir(parents=True)
        (subs / student / "98_tiny.ipynb").write_bytes(data)
    assert autograde.main([str(subs), "-j", "2", "--out", str(tmp_path / "out"),
                           "--solutions", str(tiny_solutions)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split() for line in lines[-3:-1]] == [["ann", "0", "/", "8"],
                                                       ["bob", "0", "/", "8"]]
    assert lines[-1].startswith("2 student(s) graded in ")
    assert (tmp_path / "out" / "gradebook.csv").is_file()


def test_without_solutions_a_student_is_graded_on_the_visible_checks(classroom):
    got = {(r.student, r.grade_id): (r.status, r.points) for r in classroom["visible"]}
    assert got[("perfect", "ex98_01")] == ("passed", 2.0)
    assert got[("perfect", "ex98_04")] == ("manual", None)
    # the lesson's own (visible) check still runs, whatever the student did to theirs
    assert got[("edited-deleted-check", "ex98_01")] == ("failed", 0.0)


# --------------------------------------------------------------------------- units (no kernel)

def test_grading_one_unusable_notebook_prints_feedback(tmp_path, tiny_solutions, capsys):
    (tmp_path / "me").mkdir()
    path = tmp_path / "me" / "98_tiny.ipynb"
    path.write_text('{"cells": [', "utf-8")
    assert autograde.main([str(path), "--out", str(tmp_path / "out"),
                           "--solutions", str(tiny_solutions)]) == 0
    printed = capsys.readouterr().out
    assert "# Feedback for me" in printed and "invalid-json" in printed
    assert (tmp_path / "out" / "feedback" / "me.md").is_file()


def test_unknown_notebook_and_bad_arguments(tmp_path, tiny_solutions, capsys):
    path = tmp_path / "mystery.ipynb"
    path.write_text(notebook_text(release_notebook(tiny_master("98")))
                    .replace("ex98_", "ex55_"), "utf-8")
    rows = autograde.grade([path], solutions=tiny_solutions)
    assert [(r.status, r.grade_id) for r in rows] == [("wrong-lesson", "")]
    assert "matches none of the lessons" in rows[0].reason
    assert autograde.main([str(tmp_path / "nowhere.ipynb"), "--solutions",
                           str(tiny_solutions)]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_a_notebook_is_matched_to_its_lesson_by_its_ids(tmp_path, tiny_solutions):
    path = tmp_path / "me" / "my copy of the tiny lesson.ipynb"
    path.parent.mkdir()
    path.write_text(notebook_text(release_notebook(tiny_master("97"))), "utf-8")
    masters = autograde.load_masters(tiny_solutions)
    [sub] = autograde.find_submissions([path], masters)
    assert (sub.student, sub.lesson) == ("me", "97_other")


@pytest.mark.parametrize("data, status", [
    (b"", "invalid-json"),
    (b"[1, 2]", "not-a-notebook"),
    (b'{"cells": {}}', "not-a-notebook"),
    ("\ufeff{\"cells\": []}".encode("utf-8"), None),
    (b"\xff\xfe\x00\x01", "not-a-notebook"),
])
def test_parse_cells_is_lenient_but_says_what_is_wrong(data, status):
    if status is None:
        assert autograde.parse_cells(data) == []
    else:
        with pytest.raises(autograde.SubmissionProblem) as info:
            autograde.parse_cells(data)
        assert info.value.status == status


def test_master_with_a_broken_format_is_refused(tmp_path):
    nb = tiny_master("98")
    nb.cells.append(nbgrader_cell(new_code_cell("y = 1", id="dup"), "ex98_01_answer",
                                  solution=True))
    path = tmp_path / "98_tiny.ipynb"
    path.write_text(notebook_text(nb), "utf-8")
    with pytest.raises(ValueError, match="grade_id also used by cell"):
        autograde.Master(path)


@background("broken_environment")
def grade_a_lesson_whose_own_setup_fails(root):
    """A kit whose installation is broken: the lesson's set-up cell fails before any
    answer runs."""
    solutions = root / "solutions"
    solutions.mkdir()
    nb = tiny_master("98")
    nb.cells[1].source += "\nimport a_module_the_installation_lacks"
    (solutions / "98_tiny.ipynb").write_text(notebook_text(nb), "utf-8")
    (root / "ann").mkdir()
    (root / "ann" / "98_tiny.ipynb").write_text(notebook_text(lesson98()), "utf-8")
    return autograde.grade([root / "ann"], solutions=solutions, timeout=10)


@pytest.fixture
def broken_environment():  # named as its builder, so collection starts the builder at once
    return background_result("broken_environment")


def test_a_broken_environment_is_a_grader_error_never_the_students(broken_environment):
    rows = broken_environment
    assert {r.status for r in rows} == {"grader-error"}
    assert all("a problem of the grading environment" in r.reason
               and "ModuleNotFoundError" in r.reason for r in rows)
    assert all(r.points == 0 for r in rows)
