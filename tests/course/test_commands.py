"""The commands of ``python -m utils`` lose nothing and say what is wrong (issue 13).

Every test here runs a command in-process (``utils.__main__.main``) on tiny files and
fails before any kernel starts, so the module takes well under a second.
"""
from __future__ import annotations

import pytest

from conftest import tiny_master
from utils.course import autograde
from utils.__main__ import main
from utils.course.notebooks import notebook_text
from utils.course.release import release_notebook

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def tiny_nb(tmp_path, name="98_tiny.ipynb", *, student=None):
    """Write the released tiny lesson (a notebook that is not run here) and return it."""
    folder = tmp_path / student if student else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(notebook_text(release_notebook(tiny_master("98"))), "utf-8")
    return path


def one_line_error(capsys, *words):
    """The command's stderr: no traceback, and it names every one of ``words``."""
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    assert err.startswith("error: "), err
    for word in words:
        assert str(word) in err, (word, err)
    return err


# --------------------------------------------------------------------------- 1. export


def test_export_never_writes_over_the_notebook_it_reads(tmp_path, capsys):
    nb = tiny_nb(tmp_path)
    before = nb.read_bytes()
    assert main(["export", str(nb), "--out", str(nb)]) != 0
    assert nb.read_bytes() == before
    one_line_error(capsys, nb.name)


def test_export_of_a_notebook_saved_as_html_keeps_it(tmp_path, capsys):
    nb = tiny_nb(tmp_path, "report.html")
    before = nb.read_bytes()
    assert main(["export", str(nb)]) != 0
    assert nb.read_bytes() == before
    one_line_error(capsys, "report.html", "--out")


# --------------------------------------------------------------------------- 2. grade, no notebooks


def test_grading_a_folder_without_notebooks_touches_nothing(tmp_path, tiny_solutions, capsys):
    empty = tmp_path / "empty_dir"
    empty.mkdir()
    out = tmp_path / "grades"
    (out / "feedback").mkdir(parents=True)
    (out / "gradebook.csv").write_text("student,points\naiko,10\n", "utf-8")
    (out / "feedback" / "aiko.md").write_text("# Feedback for aiko", "utf-8")
    assert main(["grade", str(empty), "--out", str(out), "--solutions",
                 str(tiny_solutions)]) != 0
    assert (out / "gradebook.csv").read_text("utf-8") == "student,points\naiko,10\n"
    assert sorted(p.name for p in out.rglob("*")) == ["aiko.md", "feedback", "gradebook.csv"]
    one_line_error(capsys, "no notebooks", "empty_dir")


# --------------------------------------------------------------------------- 3. distinct feedback


@pytest.mark.parametrize("names", [("a b", "a_b"), ("山田 太郎", "山田_太郎"), ("Aiko", "aiko"),
                                   ("a:b", "a_b"), ("a/b", "a_b"), ("a\u2028b", "a b")])
def test_every_student_gets_their_own_feedback_file(tmp_path, names):
    rows = [autograde.Row(name, "98_tiny", "ex98_01", 2.0 * i, 2.0, "passed")
            for i, name in enumerate(names)]
    paths = autograde.write_reports(rows, tmp_path)
    files = sorted(paths["feedback"].glob("*.md"))
    assert len(files) == len(names)
    assert sorted(f.read_text("utf-8").split("\n")[0] for f in files) == \
        sorted(f"# Feedback for {name}" for name in names)
    assert all(f.parent == paths["feedback"] for f in files)


def test_a_plain_name_keeps_its_file_name(tmp_path):
    rows = [autograde.Row(name, "98_tiny", "ex98_01", 2.0, 2.0, "passed")
            for name in ("aiko", "山田太郎", "ben-2")]
    paths = autograde.write_reports(rows, tmp_path)
    assert sorted(p.name for p in paths["feedback"].glob("*.md")) == \
        ["aiko.md", "ben-2.md", "山田太郎.md"]


# --------------------------------------------------------------------------- 4. outputs checked first


def test_grade_refuses_an_out_that_is_a_file_before_grading(tmp_path, tiny_solutions, capsys):
    tiny_nb(tmp_path, student="aiko")
    afile = tmp_path / "afile"
    afile.write_text("keep me", "utf-8")
    for out in (afile, afile / "sub"):
        assert main(["grade", str(tmp_path / "aiko"), "--out", str(out), "--solutions",
                     str(tiny_solutions), "--timeout", "0.001"]) == 2
        one_line_error(capsys, "afile", "is a file")
    assert afile.read_text("utf-8") == "keep me"


def test_answers_and_export_refuse_an_out_that_is_a_folder(tmp_path, tiny_solutions, capsys):
    nb = tiny_nb(tmp_path, student="aiko")
    adir = tmp_path / "adir"
    adir.mkdir()
    assert main(["answers", str(nb.parent), "--grade-id", "ex98_04", "--out", str(adir),
                 "--solutions", str(tiny_solutions)]) == 2
    one_line_error(capsys, "adir", "is a folder")
    assert main(["export", str(nb), "--out", str(adir)]) == 2
    one_line_error(capsys, "adir", "is a folder")
    assert list(adir.iterdir()) == []


# --------------------------------------------------------------------------- 15. release, execute, answers


def test_release_check_names_a_lesson_that_does_not_exist(tmp_path, capsys):
    assert main(["release", "--check", "00_getting_startd"]) == 2
    one_line_error(capsys, "00_getting_startd", "00_getting_started")


def test_release_says_the_solutions_folder_is_missing(tmp_path, capsys):
    nope = tmp_path / "nope"
    assert main(["release", "--check", "--solutions", str(nope)]) == 2
    one_line_error(capsys, str(nope), "no such folder")


@pytest.mark.parametrize("data, words", [
    (b"not json", ["not valid JSON"]),
    (PNG, ["not text"]),
    (b'{"cells": 5}', ["not a Jupyter notebook"]),
    (b"[1, 2]", ["not a Jupyter notebook"]),
    (b'{"cells": [5], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', ["cell 1"]),
])
@pytest.mark.parametrize("command", ["release", "execute"])
def test_a_broken_master_is_named_not_a_traceback(tmp_path, capsys, command, data, words):
    solutions = tmp_path / "solutions"
    solutions.mkdir()
    master = solutions / "98_tiny.ipynb"
    master.write_bytes(data)
    argv = (["release", "--solutions", str(solutions), "--lessons", str(tmp_path / "lessons")]
            if command == "release" else ["execute", str(master)])
    assert main(argv) != 0
    err = capsys.readouterr().err
    assert "Traceback" not in err and "98_tiny.ipynb" in err, err
    assert all(w in err for w in words), err
    assert master.read_bytes() == data
    assert not (tmp_path / "lessons").exists()


def test_answers_refuses_a_missing_scores_file_as_grade_does(tmp_path, tiny_solutions, capsys):
    nb = tiny_nb(tmp_path, student="aiko")
    out = tmp_path / "answers.html"
    assert main(["answers", str(nb.parent), "--grade-id", "ex98_04", "--out", str(out),
                 "--manual", str(tmp_path / "missing.csv"), "--solutions",
                 str(tiny_solutions)]) == 2
    one_line_error(capsys, "missing.csv", "no such scores file")
    assert not out.exists()


# ------------------------------------------------------------ a class gradebook is never replaced


@pytest.mark.parametrize("replace", [False, True])
def test_grading_one_notebook_into_a_class_gradebook_keeps_the_class(tmp_path, tiny_solutions,
                                                                      monkeypatch, capsys,
                                                                      replace):
    """Grading one notebook (or lesson 01 after lesson 00) into a gradebook keeps the grades
    of the other students and lessons; --replace writes this run's grades only."""
    out = tmp_path / "grades"
    class_rows = [autograde.Row("alice", "98_tiny", "ex98_01", 2.0, 2.0, "passed"),
                  autograde.Row("bob smith", "98_tiny", "ex98_01", None, 2.0, "manual",
                                "waits for a person", ["a note", "another"])]
    autograde.write_reports(class_rows, out)
    mine = [autograde.Row("mika", "98_tiny", "ex98_01", 1.0, 2.0, "failed")]
    monkeypatch.setattr(autograde, "grade", lambda *a, **k: mine)
    nb = tiny_nb(tmp_path, student="lessons")
    argv = ["grade", str(nb), "--out", str(out), "--solutions", str(tiny_solutions), "-q"]
    assert main(argv + (["--replace"] if replace else [])) == 0
    book = autograde.read_gradebook(out / "gradebook.csv")
    assert book == (mine if replace else class_rows + mine)
    assert (out / "feedback" / "alice.md").is_file()  # feedback of the class stays
    assert ("kept the grades of 2 other" in capsys.readouterr().out) is not replace


def test_a_foreign_gradebook_is_not_written_over(tmp_path, tiny_solutions, monkeypatch, capsys):
    out = tmp_path / "grades"
    out.mkdir()
    (out / "gradebook.csv").write_text("student,lesson,score\naiko,98_tiny,10\n", "utf-8")
    monkeypatch.setattr(autograde, "grade", lambda *a, **k: [
        autograde.Row("mika", "98_tiny", "ex98_01", 1.0, 2.0, "failed")])
    nb = tiny_nb(tmp_path, student="lessons")
    assert main(["grade", str(nb), "--out", str(out), "--solutions", str(tiny_solutions)]) == 2
    assert (out / "gradebook.csv").read_text("utf-8") == "student,lesson,score\naiko,98_tiny,10\n"
    one_line_error(capsys, "is not a gradebook", "grade_id", "--replace")


@pytest.mark.parametrize("held, pairs, dropped", [
    ("", {("a", "00")}, []),
    ("a,00\n", {("a", "00")}, []),                                   # a re-grade
    ("a,00\n", {("a", "00"), ("b", "00")}, []),                      # a student more
    ("a,00\nb,00\n", {("a", "00")}, [("b", "00")]),                  # one notebook into a class
    ("a,00\na,01\n", {("a", "01")}, [("a", "00")]),                  # another lesson
])
def test_grades_dropped(tmp_path, held, pairs, dropped):
    from utils.course.outputs import grades_dropped

    (tmp_path / "gradebook.csv").write_text("student,lesson\n" + held, "utf-8")
    assert grades_dropped(tmp_path / "gradebook.csv", pairs) == dropped
    assert grades_dropped(tmp_path / "missing.csv", pairs) == []


def test_release_check_names_a_missing_lessons_folder_and_the_command_for_it(
        tmp_path, tiny_solutions, capsys):
    missing = tmp_path / "no such lessons"
    assert main(["release", "--check", "--lessons", str(missing), "--solutions",
                 str(tiny_solutions)]) == 1
    err = capsys.readouterr().err
    assert f"--lessons {missing} does not exist" in err, err
    assert "--lessons '" + str(missing) + "'" in err and "--solutions" in err, err
    assert not missing.exists()


@pytest.mark.parametrize("folder, expected", [
    ("aiko", "aiko"),                      # a class: the folder names the student
    ("山田 太郎", "山田 太郎"),
    ("lessons", "self"),                   # a lessons folder (it holds checks/): the user
])
def test_a_notebook_in_a_lessons_folder_is_the_users_own_work(tmp_path, monkeypatch, folder,
                                                              expected):
    import getpass

    monkeypatch.setattr(getpass, "getuser", lambda: "mika")
    nb = tiny_nb(tmp_path, student=folder)
    if folder == "lessons":
        (nb.parent / "checks").mkdir()
    [sub] = autograde.find_submissions([nb], {"98_tiny": None})
    assert sub.student == ("mika" if expected == "self" else expected)
