"""Tests for utils/course/release.py: stubs, hidden tests, locks, checksums, --check, bad masters."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from conftest import HIDDEN_TOKEN, background, background_result, nbgrader_cell, tiny_master
from utils.course import lesson_format, release
from utils.course.nbgrader_rules import compute_checksum, determine_grade
from utils.course.notebooks import notebook_text, read_notebook


def by_id(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


@pytest.fixture
def lesson():
    return release.release_notebook(tiny_master("98"))


def test_solution_regions_become_stubs_indented_like_the_marker(lesson):
    assert by_id(lesson, "ex98_01_answer").source == "# YOUR CODE HERE\nraise NotImplementedError()"
    assert by_id(lesson, "ex98_02_answer").source == (
        "def double(n):\n    # YOUR CODE HERE\n    raise NotImplementedError()")


def test_markdown_answers_become_a_prompt(lesson):
    cell = by_id(lesson, "ex98_04")
    assert (cell.cell_type, cell.source) == ("markdown", "YOUR ANSWER HERE")
    # nbgrader's rule: an unchanged written answer scores zero, a changed one needs a person
    assert determine_grade(cell) == (0, 1.0)
    cell.source = "Because long texts say everything more often."
    assert determine_grade(cell) == (None, 1.0)


SETUP = "from utils.course.grading import check"


def test_a_solution_cell_without_markers_is_replaced_whole():
    nb = new_notebook(cells=[
        new_code_cell(SETUP, id="s"),
        nbgrader_cell(new_code_cell("x = 1", id="a"), "ex98_01_answer", solution=True),
        nbgrader_cell(new_code_cell("assert x", id="c"), "ex98_01", grade=True, points=1)])
    assert release.release_notebook(nb).cells[1].source == lesson_format.CODE_STUB


def test_a_check_cell_becomes_one_call_and_its_visible_part_moves_to_the_checks_file(lesson):
    assert by_id(lesson, "ex98_01").source == 'check("ex98_01")'
    visible = release.visible_checks(tiny_master("98"))
    assert visible["ex98_01"] == 'assert x == math.prod([6, 7]), "Is `x` the product of 6 and 7?"'
    assert sorted(visible) == ["ex98_01", "ex98_02", "ex98_03"]  # not the written answer
    data = json.loads(release.checks_text(tiny_master("98"), "98_tiny"))
    assert data["checks"] == visible and data["lesson"] == "98_tiny"
    assert HIDDEN_TOKEN not in release.checks_text(tiny_master("98"), "98_tiny")


def test_master_only_cells_are_left_out_of_the_lesson():
    nb = tiny_master("98")
    nb.cells.insert(2, new_code_cell("assert math.prod([6, 7]) == 42", id="prose",
                                     metadata={"tags": ["master-only"]}))
    lesson = release.release_notebook(nb)
    assert [c.id for c in lesson.cells] == [c.id for c in nb.cells if c.id != "prose"]


@pytest.mark.parametrize("tags, kind", [
    (["exercise-code"], "code"), (["exercise-judgement"], "judgement"),
    (["exercise-value"], "value"), ([], "value"), (["other"], "value")])
def test_the_kind_of_an_exercise_is_a_tag_of_its_check(tags, kind):
    assert lesson_format.exercise_kind(new_code_cell("", metadata={"tags": tags})) == kind


def test_outputs_counts_and_nbval_markers_are_cleared():
    nb = tiny_master("98")
    cell = nb.cells[1]
    cell.source = "# NBVAL_IGNORE_OUTPUT\nimport math\nfrom utils.course.grading import check"
    cell.outputs = [new_output("stream", name="stdout", text="hi\n")]
    cell.execution_count = 3
    cell.metadata["tags"] = ["nbval-ignore-output"]
    cell.metadata["execution"] = {"iopub.status.busy": "2025-01-01T00:00:00"}
    out = release.release_notebook(nb).cells[1]
    assert (out.source, out.outputs, out.execution_count) == (
        "import math\nfrom utils.course.grading import check", [], None)
    assert dict(out.metadata) == {}


def test_cells_are_locked_like_nbgrader_does(lesson):
    assert by_id(lesson, "ex98_01").metadata["editable"] is False
    assert by_id(lesson, "ex98_01").metadata["deletable"] is False
    assert by_id(lesson, "ex98_01_answer").metadata["deletable"] is False
    assert "editable" not in by_id(lesson, "ex98_01_answer").metadata
    assert "deletable" not in lesson.cells[0].metadata


def test_checksums_follow_nbgrader(lesson):
    for cell in lesson.cells:
        meta = cell.metadata.get("nbgrader")
        if meta:
            assert meta["checksum"] == compute_checksum(cell)
            assert meta["cell_type"] == cell.cell_type
    # nbgrader's algorithm, byte by byte, for one check cell
    cell = by_id(lesson, "ex98_02")
    parts = [cell.source, "code", "True", "False", "True", "ex98_02", "3.0"]
    assert cell.metadata["nbgrader"]["checksum"] == hashlib.md5(
        "".join(parts).encode("utf-8")).hexdigest()


@pytest.mark.parametrize("cell_type, source, meta, expected", [
    ("code", "x = 1", {"grade": True, "solution": False, "locked": True, "points": 2,
                       "grade_id": "ex00_01"}, "67bb7d16572774b63ab78d89ea0facfa"),
    ("markdown", "YOUR ANSWER HERE", {"grade": True, "solution": True, "locked": False,
                                      "points": 1, "grade_id": "ex98_04"},
     "ec349085b2c0006580c901efa69e3eac"),
    ("code", "# YOUR CODE HERE\nraise NotImplementedError()",
     {"grade": False, "solution": True, "locked": False, "grade_id": "ex98_01_answer"},
     "2abf937e68cc924fe76627e1f3f252f3"),
    ("markdown", "Read me", {"grade": False, "solution": False, "locked": True,
                             "grade_id": "intro"}, "e56b31e5f3d54cfbda625c51934c4ed8"),
])
def test_checksums_equal_those_nbgrader_computes(cell_type, source, meta, expected):
    # expected values were computed with nbgrader 0.9.6's nbgrader.utils.compute_checksum
    cell = (new_code_cell if cell_type == "code" else new_markdown_cell)(source)
    cell.metadata["nbgrader"] = {**meta, "schema_version": 3}
    assert compute_checksum(cell) == expected


def test_the_master_is_not_changed():
    master = tiny_master("98")
    before = notebook_text(master)
    release.release_notebook(master)
    assert notebook_text(master) == before


def test_generation_is_byte_identical_and_independent_of_python_version(tmp_path):
    master = tiny_master("98")
    master.metadata["language_info"] = {"name": "python", "version": "3.11.7"}
    path = tmp_path / "98_tiny.ipynb"
    path.write_text(notebook_text(master), "utf-8")
    first = release.release_text(path)
    master.metadata["language_info"]["version"] = "3.13.1"
    path.write_text(notebook_text(master), "utf-8")
    assert release.release_text(path) == first
    assert first.endswith("}\n") and "\r" not in first and '"version": "3.' not in first


def test_release_check_mode_finds_stale_and_orphan_lessons(tmp_path):
    solutions, lessons = tmp_path / "solutions", tmp_path / "lessons"
    solutions.mkdir()
    (solutions / "98_tiny.ipynb").write_text(notebook_text(tiny_master("98")), "utf-8")
    both = ["98_tiny.ipynb", "checks/98_tiny.json"]
    assert release.release(solutions, lessons, check=True) == both
    assert not lessons.exists()
    assert release.release(solutions, lessons) == both
    assert release.release(solutions, lessons, check=True) == []
    (lessons / "97_gone.ipynb").write_text("{}", "utf-8")
    (lessons / "checks" / "97_gone.json").write_text("{}", "utf-8")
    assert release.release(solutions, lessons, check=True) == ["97_gone.ipynb",
                                                                "checks/97_gone.json"]
    assert release.main(["--check", "--solutions", str(solutions), "--lessons",
                         str(lessons)]) == 1
    (lessons / "97_gone.ipynb").unlink()
    (lessons / "checks" / "97_gone.json").unlink()
    checks_file = lessons / "checks" / "98_tiny.json"
    checks_file.write_text(checks_file.read_text("utf-8").replace("6, 7", "6, 8"), "utf-8")
    assert release.release(solutions, lessons, check=True) == ["checks/98_tiny.json"]
    assert release.release(solutions, lessons) == ["checks/98_tiny.json"]
    assert release.main(["--check", "--solutions", str(solutions), "--lessons",
                         str(lessons)]) == 0
    nb = read_notebook(lessons / "98_tiny.ipynb")
    nb.cells[2].source = "x = 42"  # a hand edit of a lesson
    (lessons / "98_tiny.ipynb").write_text(notebook_text(nb), "utf-8")
    assert release.main(["--check", "--solutions", str(solutions), "--lessons",
                         str(lessons)]) == 1


@background("help_run", pool="processes")
def _run_help(folder):
    return subprocess.run([sys.executable, "-m", "utils", "--help"], capture_output=True,
                          text=True, check=True)


@pytest.fixture
def help_run():
    return background_result("help_run")


def test_command_line_lists_release_grade_execute_and_score(help_run):
    out = help_run.stdout
    for command in ("release", "grade", "execute", "score"):
        assert f"\n  {command} " in out


def bad(cells):
    return lesson_format.lesson_problems(new_notebook(cells=[new_code_cell(SETUP), *cells]),
                                   name="98_tiny")


def answer(source="### BEGIN SOLUTION\nx = 1\n### END SOLUTION", gid="ex98_01_answer"):
    return nbgrader_cell(new_code_cell(source), gid, solution=True)


def check(source="assert x", gid="ex98_01", points=1):
    return nbgrader_cell(new_code_cell(source), gid, grade=True, points=points)


@pytest.mark.parametrize("cells, words", [
    ([answer("### BEGIN SOLUTION\nx = 1"), check()], "without '### END SOLUTION'"),
    ([answer("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION"), check()], "nested"),
    ([answer(), check("### BEGIN HIDDEN TESTS\nassert x")], "without '### END HIDDEN TESTS'"),
    ([new_code_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION"), check()],
     "markers but no nbgrader metadata"),
    ([answer(), check(), nbgrader_cell(new_code_cell("### BEGIN HIDDEN TESTS\n"
                                                     "### END HIDDEN TESTS"),
                                       "ex98_02_answer", solution=True)],
     "hidden tests in a cell that is not a grade cell"),
    ([answer(), check(), check(gid="ex98_01")], "grade_id also used by cell 3"),
    ([answer(gid="answer one"), check()], "letters, digits"),
    ([answer(gid="q1"), check()], "exercise ids look like ex00_01"),
    ([answer(gid="ex01_01_answer"), check(gid="ex01_01")], "belongs to lesson 01"),
    ([answer(), check(points=-1)], "points must be a number >= 0"),
    ([answer(), check(points="2")], "points must be a number >= 0"),
    ([answer()], "has an answer cell but no check"),
    ([answer(), nbgrader_cell(new_markdown_cell("Why?"), "ex98_01", grade=True, points=1)],
     "a markdown grade cell must also be a solution cell"),
    ([answer(), nbgrader_cell(new_code_cell("x"), "ex98_01", grade=True, solution=True,
                              points=1)], "keep answer and check in separate cells"),
    ([answer(), check(), nbgrader_cell(new_code_cell("assert x", metadata={
        "tags": ["master-only"]}), "ex98_02", grade=True, points=1)],
     "a master-only cell cannot be an exercise cell"),
    ([answer(), nbgrader_cell(new_code_cell("assert x", metadata={
        "tags": ["exercise-code", "exercise-value"]}), "ex98_01", grade=True, points=1)],
     "more than one kind tag"),
    ([answer(), check(), new_code_cell("x", metadata={"tags": ["exercise-code"]})],
     "belongs on a check (grade) cell"),
])
def test_bad_masters_are_refused_with_a_reason(cells, words):
    problems = bad(cells)
    assert any(words in p for p in problems), problems


def test_schema_keys_and_version_are_checked():
    cell = check()
    cell.metadata["nbgrader"]["schema_version"] = 2
    cell.metadata["nbgrader"]["weight"] = 1
    del cell.metadata["nbgrader"]["locked"]
    problems = bad([answer(), cell])
    assert any("unknown nbgrader key(s) ['weight']" in p for p in problems)
    assert any("lacks ['locked']" in p for p in problems)
    assert any("schema_version is 2" in p for p in problems)
    with pytest.raises(lesson_format.LessonFormatError):
        release.release_notebook(new_notebook(cells=[answer(), cell]))


def test_good_tiny_master_has_no_problems():
    assert lesson_format.lesson_problems(tiny_master("98"), name="98_tiny") == []


def test_a_master_must_import_check_before_its_first_check():
    problems = lesson_format.lesson_problems(new_notebook(cells=[answer(), check()]),
                                       name="98_tiny")
    assert problems == ["cell 2 (ex98_01): no earlier cell runs `from utils.course.grading import "
                        "check` (or defines `check`), which the student's check cell calls"]
    for setup in ["from utils.course.grading import checks", "# from utils.course.grading import check"]:
        assert lesson_format.lesson_problems(new_notebook(cells=[new_code_cell(setup), answer(),
                                                           check()]), name="98_tiny")
