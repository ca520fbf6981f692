"""Written answers graded by a person: the scores file, the round trip, the answers export.

The class is two students of the tiny lesson of conftest.py (its ex98_04 is a written
answer worth 1 point). One background job grades them twice, as an instructor would: once
without scores (the written answer waits), then with a ``manual.csv`` filled in from the
``manual_todo.csv`` of the first run. Everything else needs no kernel.
"""
from __future__ import annotations

import csv
import io

import pytest

from conftest import background, background_result, tiny_master
from utils.course import autograde
from utils.course.notebooks import notebook_text
from utils.course.release import release_notebook

ANSWERS = {"ex98_01_answer": "x = 6 * 7", "ex98_02_answer": "def double(n):\n    return n + n",
           "ex98_03_answer": 'words = ["停戦", "和平"]'}
ANN_TEXT = "Because a long text mentions everything more often: 停戦 in 8,571 characters."
COMMENT = "Clear | and right; 良い説明です"


def tiny_submission(written: str | None) -> str:
    """The released tiny lesson with correct code answers and ``written`` for ex98_04."""
    nb = release_notebook(tiny_master("98"))
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in ANSWERS:
            cell.source = ANSWERS[gid]
        elif gid == "ex98_04" and written is not None:
            cell.source = written
    return notebook_text(nb)


def make_class(root):
    solutions = root / "solutions"
    solutions.mkdir()
    (solutions / "98_tiny.ipynb").write_text(notebook_text(tiny_master("98")), "utf-8")
    subs = root / "submissions"
    for student, written in [("ann", ANN_TEXT), ("bob", None),
                             ("cho", "<script>alert('x')</script>\n\n**bold** 停戦")]:
        (subs / student).mkdir(parents=True)
        (subs / student / "98_tiny.ipynb").write_text(tiny_submission(written), "utf-8")
    return solutions, subs


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@background("manual_round_trip")
def grade_twice(root):
    solutions, subs = make_class(root)
    first = autograde.grade([subs], solutions=solutions, jobs=3, timeout=10)
    out1 = root / "first"
    autograde.write_reports(first, out1)
    todo = read_csv(out1 / "manual_todo.csv")
    # the instructor fills in the todo file and saves it as manual.csv
    for row in todo:
        if row["student"] == "ann":
            row["points"], row["comment"] = "1", COMMENT
    todo.append({"student": "bob", "lesson": "98_tiny", "grade_id": "ex98_04", "points": "0.5",
                 "comment": "sent by e-mail", "max_points": "1"})
    manual = root / "manual.csv"
    with open(manual, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(todo[0]))
        writer.writeheader()
        writer.writerows(todo)
    second = autograde.grade([subs], solutions=solutions, jobs=3, timeout=10, manual=manual)
    out2 = root / "second"
    autograde.write_reports(second, out2)
    return {"first": first, "second": second, "out1": out1, "out2": out2, "todo": todo,
            "subs": subs, "solutions": solutions, "manual": manual}


@pytest.fixture(scope="module")
def manual_round_trip():
    return background_result("manual_round_trip")


def by_student(rows, grade_id="ex98_04"):
    return {r.student: r for r in rows if r.grade_id == grade_id}


# --------------------------------------------------------------------------- round trip

def test_written_answers_wait_for_a_person_with_their_maximum(manual_round_trip):
    rows = by_student(manual_round_trip["first"])
    assert {s: (r.status, r.points, r.max_points) for s, r in rows.items()} == {
        "ann": ("manual", None, 1.0), "bob": ("not-attempted", 0.0, 1.0),
        "cho": ("manual", None, 1.0)}
    todo = read_csv(manual_round_trip["out1"] / "manual_todo.csv")
    assert [(r["student"], r["grade_id"], r["points"], r["max_points"]) for r in todo] == [
        ("ann", "ex98_04", "", "1"), ("cho", "ex98_04", "", "1")]
    feedback = (manual_round_trip["out1"] / "feedback" / "ann.md").read_text("utf-8")
    assert "Written answers worth up to 1 points are not scored yet." in feedback
    assert "| ex98_04 | ? / 1 | manual | a written answer: your instructor reads it" in feedback


def test_scores_reach_the_gradebook_summary_and_feedback(manual_round_trip):
    out = manual_round_trip["out2"]
    book = {(r["student"], r["grade_id"]): r for r in read_csv(out / "gradebook.csv")}
    ann = book[("ann", "ex98_04")]
    assert (ann["points"], ann["max_points"], ann["status"], ann["reason"]) == (
        "1", "1", "graded-manually", COMMENT)
    summary = {r["student"]: r for r in read_csv(out / "summary.csv")}
    assert (summary["ann"]["ex98_04"], summary["ann"]["total"], summary["ann"]["max_total"],
            summary["ann"]["needs_attention"]) == ("1", "8", "8", "0")
    assert summary["cho"]["ex98_04"] == ""  # still waiting
    feedback = (out / "feedback" / "ann.md").read_text("utf-8")
    assert "## 98_tiny: 8 / 8 points" in feedback
    assert "| ex98_04 | 1 / 1 | graded-manually | Clear \\| and right; 良い説明です |" in feedback
    todo = read_csv(out / "manual_todo.csv")
    assert [r["student"] for r in todo] == ["cho"]


def test_a_score_for_an_answer_the_grader_found_blank_is_used_with_a_note(manual_round_trip):
    bob = by_student(manual_round_trip["second"])["bob"]
    assert (bob.status, bob.points, bob.reason) == ("graded-manually", 0.5, "sent by e-mail")
    assert bob.notes == ["scored by hand, although the grader found: not-attempted (the "
                         "answer cell still holds YOUR ANSWER HERE)"]


def test_automatic_rows_are_unchanged_by_manual_scores(manual_round_trip):
    first = {(r.student, r.grade_id): (r.status, r.points) for r in manual_round_trip["first"]
             if r.grade_id != "ex98_04"}
    second = {(r.student, r.grade_id): (r.status, r.points)
              for r in manual_round_trip["second"] if r.grade_id != "ex98_04"}
    assert first == second and set(first.values()) == {("passed", 2.0), ("passed", 3.0)}


# --------------------------------------------------------------------------- bad score files

HEADER = "student,lesson,grade_id,points,comment\n"


@pytest.mark.parametrize("text, message", [
    ("name,lesson,exercise,score\nann,98_tiny,ex98_04,1\n",
     "<buffer>, line 1: the header lacks student, grade_id, points"),
    (HEADER + "ann,98_tiny,ex98_04,one,\n", "<buffer>, line 2: points 'one' is not a number"),
    (HEADER + "ann,98_tiny,ex98_04,-1,\n", "<buffer>, line 2: points '-1' is negative"),
    (HEADER + "ann,98_tiny,ex98_04,1,\nann,98_tiny,ex98_04,0,\n",
     "<buffer>, line 3: ann / 98_tiny / ex98_04 is scored twice (also on line 2)"),
    (HEADER + ",98_tiny,ex98_04,1,\n", "<buffer>, line 2: student is empty"),
])
def test_a_bad_scores_file_is_refused_with_its_line(text, message):
    with pytest.raises(autograde.ManualScoresError) as info:
        autograde.read_manual_scores(io.StringIO(text))
    assert message in str(info.value)


def test_scores_are_checked_against_the_lessons_and_students(tiny_solutions):
    masters = autograde.load_masters(tiny_solutions)
    scores = autograde.read_manual_scores(io.StringIO(
        HEADER + "ann,98_tiny,ex98_04,2,\nann,98_tiny,ex98_01,1,\nann,98_tiny,ex98_09,1,\n"
        "ann,99_none,ex99_01,1,\nzed,98_tiny,ex98_04,1,\n"))
    assert autograde.check_manual_scores(scores, masters, ["ann", "bob"]) == [
        "line 2: 2 points is more than the 1 that ex98_04 is worth",
        "line 3: ex98_01 is graded automatically; only the written answers of 98_tiny "
        "(ex98_04) take manual scores",
        "line 4: 98_tiny has no exercise 'ex98_09'; its written answers are ex98_04",
        "line 5: no lesson '99_none'; the lessons are 97_other, 98_tiny",
        "line 6: no submission from a student 'zed' (the students are ann, bob)",
    ]
    assert autograde.check_manual_scores(scores[4:], masters) == []  # students not checked


def test_the_command_refuses_a_bad_scores_file_before_grading(tmp_path, capsys):
    solutions, subs = make_class(tmp_path)
    out = tmp_path / "grades"
    out.mkdir()
    (out / "manual.csv").write_text(HEADER + "ann,98_tiny,ex98_04,3,too generous\n", "utf-8")
    assert autograde.main([str(subs), "--out", str(out), "--solutions", str(solutions)]) == 2
    err = capsys.readouterr().err
    assert "nothing was graded" in err
    assert "manual.csv, line 2: 3 points is more than the 1 that ex98_04 is worth" in err
    assert not (out / "gradebook.csv").exists()
    assert autograde.main([str(subs), "--manual", str(tmp_path / "nope.csv"),
                           "--solutions", str(solutions)]) == 2
    assert "no such scores file" in capsys.readouterr().err


def test_unused_scores_are_listed():
    rows = [autograde.Row("ann", "98_tiny", "ex98_04", None, 1.0, "manual")]
    scores = [autograde.ManualScore("ann", "98_tiny", "ex98_04", 1.0, line=2),
              autograde.ManualScore("anne", "98_tiny", "ex98_04", 1.0, line=3)]
    assert [s.line for s in autograde.unused_scores(rows, scores)] == [3]


# --------------------------------------------------------------------------- answers side by side

def test_answers_side_by_side_in_html(tmp_path):
    solutions, subs = make_class(tmp_path)
    manual = [autograde.ManualScore("ann", "98_tiny", "ex98_04", 1.0, "good")]
    page, key = autograde.export_answers([subs], "ex98_04", solutions=solutions, manual=manual)
    assert [s for _, s in key] == ["ann", "bob", "cho"]
    assert '<html lang="ja">' in page and '<meta charset="utf-8">' in page
    assert "Why count per 1,000 characters? (1 point)" in page  # the question
    assert "停戦 in 8,571 characters" in page and "score: 1 / 1: good" in page
    assert "not-attempted" in page and "score: ___ / 1" in page
    assert "<script>" not in page and "&lt;script&gt;" in page  # student text is escaped
    assert "<strong>bold</strong>" in page


def test_anonymous_answers_hide_names_and_keep_a_key(tmp_path, capsys):
    solutions, subs = make_class(tmp_path)
    out = tmp_path / "ex98_04.md"
    assert autograde.answers_main([str(subs), "--grade-id", "ex98_04", "--out", str(out),
                                   "--anonymous", "--solutions", str(solutions)]) == 0
    text = out.read_text("utf-8")
    assert "# 98_tiny · ex98_04: 3 answer(s), 1 points each" in text
    assert not any(name in text for name in ("ann", "bob", "cho"))
    assert text.count("## answer 0") == 3 and ANN_TEXT in text
    key = read_csv(tmp_path / "ex98_04.md.key.csv")
    assert sorted(r["student"] for r in key) == ["ann", "bob", "cho"]
    assert [r["answer"] for r in key] == ["answer 01", "answer 02", "answer 03"]
    assert "wrote" in capsys.readouterr().out
    assert autograde.answers_main([str(subs), "--grade-id", "ex98_07",
                                   "--solutions", str(solutions)]) == 2
    assert "the written answers are ex98_04" in capsys.readouterr().err


def test_a_second_anonymous_run_keeps_the_first_key(tmp_path, capsys):
    """A rerun numbers the answers anew: the key of the first run (marks were written
    against it) is never replaced."""
    solutions, subs = make_class(tmp_path)
    out = tmp_path / "ex98_04.html"
    argv = [str(subs), "--grade-id", "ex98_04", "--out", str(out), "--anonymous",
            "--solutions", str(solutions)]
    assert autograde.answers_main(argv) == 0
    key = (tmp_path / "ex98_04.html.key.csv").read_bytes()
    capsys.readouterr()
    assert autograde.answers_main(argv) == 2
    assert (tmp_path / "ex98_04.html.key.csv").read_bytes() == key
    err = capsys.readouterr().err
    assert "ex98_04.html.key.csv exists" in err and "another --out" in err
