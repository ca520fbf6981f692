"""Generic tests of every lesson: each solutions/*.ipynb and its generated lesson.

nbval re-runs every solution notebook and compares its outputs (pytest collects
``solutions/`` with ``--nbval``); these tests add what nbval cannot see:

* nbgrader schema v3 metadata, checked here without nbgrader (keys, types, ``grade_id``
  pattern, points, checksum algorithm, locks);
* the committed lesson is byte-identical to a fresh generation;
* "invert": every check passes on the solution and fails on the fresh lesson, and the
  grader gives the solution full marks and the blank lesson zero (one graded run each,
  shared through the ``graded_lessons`` fixture);
* saved outputs are deterministic: no errors, no stderr, no absolute paths, no timings.

A new lesson is covered as soon as its master is in ``solutions/``.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import nbformat
import pytest

from conftest import LESSONS, background, background_result, solution_notebooks
from utils.course.nbgrader_rules import determine_grade
from utils.course.notebooks import KIT_ROOT
from utils.course.release import release_text

MASTERS = solution_notebooks()
IDS = [p.stem for p in MASTERS]
pytestmark = pytest.mark.skipif(not MASTERS, reason="no lessons yet")

# nbgrader's schema v3 (nbgrader/nbgraderformat/v3.json), restated independently.
V3_PROPERTIES = {"schema_version": int, "grade": bool, "locked": bool, "solution": bool,
                 "task": bool, "grade_id": str, "points": (int, float), "checksum": str,
                 "cell_type": str}
V3_REQUIRED = {"schema_version", "grade", "locked", "solution"}
NBGRADER_ID = re.compile(r"^[a-zA-Z0-9_\-]*$")
KIT_ID = re.compile(r"^ex(\d\d)_(\d\d)(_[a-z0-9_]+)?$")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def src(cell: dict) -> str:
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else source


def nbg(cell: dict) -> dict | None:
    return cell.get("metadata", {}).get("nbgrader")


def nbgrader_checksum(cell: dict) -> str:
    """nbgrader.utils.compute_checksum, written again from its definition."""
    meta = nbg(cell)
    grade, solution = bool(meta.get("grade")), bool(meta.get("solution"))
    locked = False if solution else (True if grade else bool(meta.get("locked")))
    parts = [src(cell), cell["cell_type"], str(grade), str(solution), str(locked),
             meta["grade_id"]]
    if grade:
        parts.append(str(float(meta["points"])))
    md5 = hashlib.md5()
    for part in parts:
        md5.update(part.encode("utf-8"))
    return md5.hexdigest()


def schema_v3_problems(nb: dict, number: str) -> list[str]:
    problems, ids = [], set()
    for i, cell in enumerate(nb["cells"], 1):
        meta = nbg(cell)
        if meta is None:
            continue
        for key, value in meta.items():
            if key not in V3_PROPERTIES:
                problems.append(f"cell {i}: key {key!r} not in schema v3")
            elif not isinstance(value, V3_PROPERTIES[key]) or (
                    V3_PROPERTIES[key] is not bool and isinstance(value, bool)):
                problems.append(f"cell {i}: {key} has the wrong type")
        if V3_REQUIRED - set(meta):
            problems.append(f"cell {i}: missing {sorted(V3_REQUIRED - set(meta))}")
        if meta.get("schema_version") != 3:
            problems.append(f"cell {i}: schema_version {meta.get('schema_version')}")
        if meta.get("grade") or meta.get("solution") or meta.get("locked"):
            gid = meta.get("grade_id", "")
            if not gid or not NBGRADER_ID.match(gid):
                problems.append(f"cell {i}: bad grade_id {gid!r}")
            if gid in ids:
                problems.append(f"cell {i}: duplicate grade_id {gid!r}")
            ids.add(gid)
            if (meta.get("grade") or meta.get("solution")):
                match = KIT_ID.match(gid)
                if not match or match.group(1) != number:
                    problems.append(f"cell {i}: {gid!r} is not an ex{number}_NN id")
        if meta.get("grade"):
            points = meta.get("points")
            if not isinstance(points, (int, float)) or isinstance(points, bool) or points < 0:
                problems.append(f"cell {i}: points {points!r}")
        if "checksum" in meta and len(meta["checksum"]) != 32:
            problems.append(f"cell {i}: checksum is not 32 characters")
        if cell["cell_type"] == "markdown" and bool(meta.get("grade")) != bool(
                meta.get("solution")):
            problems.append(f"cell {i}: markdown grade cell must be a solution cell")
    return problems


@pytest.fixture(params=MASTERS, ids=IDS)
def master(request) -> Path:
    return request.param


@pytest.fixture(params=["en", "ja"])
def lesson(master, request) -> Path:
    """The English lesson and its Japanese edition: every test of a lesson covers both."""
    return LESSONS / master.name if request.param == "en" else LESSONS / "ja" / master.name


def graded_ids(nb: dict) -> list[str]:
    return [nbg(c)["grade_id"] for c in nb["cells"]
            if nbg(c) and (nbg(c).get("grade") or nbg(c).get("solution"))]


# --------------------------------------------------------------------------- metadata

def test_master_metadata_follows_schema_v3(master):
    nb = load(master)
    assert nb["nbformat"] == 4
    assert schema_v3_problems(nb, master.stem[:2]) == []
    checks = [c for c in nb["cells"] if nbg(c) and nbg(c).get("grade")]
    answers = [c for c in nb["cells"] if nbg(c) and nbg(c).get("solution")]
    assert checks and answers
    assert all(nbg(c)["points"] > 0 for c in checks), "a check worth 0 points proves nothing"
    assert all("### BEGIN SOLUTION" in src(c) for c in answers)


def test_lesson_metadata_schema_v3_checksums_and_locks(master, lesson):
    nb = load(lesson)
    assert schema_v3_problems(nb, master.stem[:2]) == []
    for cell in nb["cells"]:
        meta = nbg(cell)
        if not meta:
            assert "editable" not in cell["metadata"]
            continue
        assert meta["checksum"] == nbgrader_checksum(cell)
        assert meta["cell_type"] == cell["cell_type"]
        if meta["solution"]:
            assert cell["metadata"]["deletable"] is False
            assert "editable" not in cell["metadata"]
        elif meta["grade"] or meta["locked"]:
            assert cell["metadata"]["deletable"] is False
            assert cell["metadata"]["editable"] is False


def test_same_exercise_ids_in_both_renderings(master, lesson):
    assert graded_ids(load(master)) == graded_ids(load(lesson))
    kept = [c.get("id") for c in load(master)["cells"]
            if "master-only" not in c["metadata"].get("tags", [])]
    assert kept == [c.get("id") for c in load(lesson)["cells"]]


def test_points_table_matches_metadata(master):
    """The points table of the introduction agrees with the cells' points."""
    nb = load(master)
    points: dict[str, float] = {}
    for cell in nb["cells"]:
        meta = nbg(cell)
        if meta and meta.get("grade"):
            ex = KIT_ID.match(meta["grade_id"])
            key = f"ex{ex.group(1)}_{ex.group(2)}"
            points[key] = points.get(key, 0) + meta["points"]
    table = {}
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for m in re.finditer(r"^\|\s*(ex\d\d_\d\d)\s*\|.*\|\s*(\d+(?:\.\d+)?)\s*\|\s*$",
                                 src(cell), re.MULTILINE):
                table[m.group(1)] = float(m.group(2))
    assert table == points


# --------------------------------------------------------------------------- generation

def test_committed_lesson_is_a_fresh_generation(master, lesson):
    assert lesson.is_file(), f"run `python -m utils release` to create lessons/{master.name}"
    language = "ja" if lesson.parent.name == "ja" else "en"
    assert lesson.read_bytes() == release_text(master, language=language).encode("utf-8"), \
        "lessons/ is stale: run `python -m utils release`"


def test_lesson_hides_solutions_and_hidden_tests(master, lesson):
    nb, text = load(lesson), lesson.read_text(encoding="utf-8")
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "NBVAL_"):
        assert marker not in text
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    hidden = []
    for cell in load(master)["cells"]:
        inside = False
        for line in src(cell).split("\n"):
            if "BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "END HIDDEN TESTS" in line:
                inside = False
            elif inside and line.strip() and len(line.strip()) > 12:
                hidden.append(line.strip())
    assert hidden, "every lesson should have hidden tests"
    leaked = [line for line in hidden if line in text]
    assert leaked == []


# --------------------------------------------------------------------------- saved outputs

def test_solution_is_saved_executed_and_deterministic(master):
    nb = load(master)
    assert "version" not in nb["metadata"].get("language_info", {})
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and src(c).strip()]
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1)), \
        "run `python -m utils execute` on this notebook"
    roots = [str(KIT_ROOT), str(Path.home())]
    for cell in code:
        assert "execution" not in cell["metadata"]
        for output in cell["outputs"]:
            assert output["output_type"] != "error", src(cell)
            assert not (output["output_type"] == "stream" and output["name"] == "stderr")
            blob = json.dumps(output, ensure_ascii=False)
            assert not any(root in blob for root in roots), "absolute path in an output"
            assert not re.search(r"\b0x[0-9a-f]{6,}\b", blob), "memory address in an output"


# --------------------------------------------------------------------------- graded runs

def saved_output_grades(master: Path) -> dict[str, tuple]:
    """Grade the master's check cells from its saved outputs, as nbgrader would.

    nbval re-runs every master and fails if an output differs, so the saved outputs are
    what the notebook prints today: grading them is grading a fresh run.
    """
    nb = nbformat.read(master, as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: determine_grade(c) for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade")}


def solution_rows(master, graded_lessons):
    """(grade_id, status, points, max_points) of the solution: from the grader where it
    graded this master, else from the saved outputs."""
    rows = graded_lessons[master.stem]["solution"]
    if rows:
        return [(r.grade_id, r.status, r.points, r.max_points) for r in rows]
    out = []
    for gid, (points, top) in saved_output_grades(master).items():
        status = "manual" if points is None else ("passed" if points == top else "failed")
        out.append((gid, status, points, top))
    return out


def test_the_grader_ran_the_first_master(graded_lessons):
    first = solution_notebooks()[0].stem
    assert graded_lessons[first]["solution"], "the grader must grade at least one master"


def test_every_check_passes_on_the_solution_and_fails_on_the_lesson(master, graded_lessons):
    runs = graded_lessons[master.stem]
    checks = [nbg(c)["grade_id"] for c in load(master)["cells"]
              if nbg(c) and nbg(c).get("grade") and c["cell_type"] == "code"]
    if runs["solution"]:
        solution = {gid: pts for r in runs["solution"] for gid, pts in r.checks.items()}
    else:
        solution = {gid: g for gid, g in saved_output_grades(master).items() if gid in checks}
    blank = {gid: pts for r in runs["lesson"] for gid, pts in r.checks.items()}
    assert sorted(solution) == sorted(blank) == sorted(checks)
    for gid in checks:
        got, top = solution[gid]
        assert got == top, f"{gid} fails on the solution"
        got, top = blank[gid]
        assert got == 0, f"{gid} passes on the blank lesson"


def test_solution_gets_full_marks_and_blank_lesson_zero(master, graded_lessons):
    runs = graded_lessons[master.stem]
    rows = solution_rows(master, graded_lessons)
    assert rows and runs["lesson"]
    for gid, status, points, top in rows:
        if status == "manual":  # a written answer: a person scores it
            assert points is None and top > 0, gid
            continue
        assert (status, points) == ("passed", top), gid
    for row in runs["solution"]:
        assert row.notes == [], row
    for row in runs["lesson"]:
        assert (row.status, row.points) == ("not-attempted", 0), row
        assert row.reason and row.notes == []


# --------------------------------------------------------------------------- the execute command

@background("executed_demo")
def execute_a_demo_notebook(folder):
    """``python -m utils execute`` on a small notebook (in the background)."""
    from nbformat.v4 import new_code_cell, new_notebook

    from utils.course.execute import execute_notebook
    from utils.course.notebooks import notebook_text

    nb = new_notebook(cells=[new_code_cell("import os\nos.path.basename(os.getcwd())", id="a"),
                             new_code_cell("print('停戦')", id="b"),
                             new_code_cell("import sys\nsys.modules['debugpy'], '' in sys.path",
                                           id="c"),
                             # two flushes apart: the kernel sends two stream messages
                             new_code_cell("import time\nprint('停戦', flush=True)\n"
                                           "time.sleep(0.3)\nprint('合意')", id="d")])
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7"}
    folder = folder / "lesson-folder"
    folder.mkdir()
    path = folder / "99_demo.ipynb"
    path.write_text(notebook_text(nb), "utf-8")
    execute_notebook(path)
    return load(path)


@pytest.fixture
def executed_demo():
    return background_result("executed_demo")


def test_execute_saves_outputs_with_stable_metadata(executed_demo):
    saved = executed_demo
    assert saved["cells"][0]["outputs"][0]["data"]["text/plain"] == ["'lesson-folder'"]  # cwd
    assert saved["cells"][1]["outputs"] == [{"name": "stdout", "output_type": "stream",
                                            "text": ["停戦\n"]}]
    # the kernel starts without its debugger, and finds modules in the working folder
    assert saved["cells"][2]["outputs"][0]["data"]["text/plain"] == ["(None, True)"]
    # saved as one output, so a re-run does not change the file with the kernel's timing
    assert saved["cells"][3]["outputs"] == [{"name": "stdout", "output_type": "stream",
                                            "text": ["停戦\n", "合意\n"]}]
    assert [c["execution_count"] for c in saved["cells"]] == [1, 2, 3, 4]
    assert saved["metadata"]["kernelspec"]["name"] == "python3"
    assert "version" not in saved["metadata"]["language_info"]
    assert all("execution" not in c["metadata"] for c in saved["cells"])


def test_execute_refuses_errors_stderr_and_absolute_paths():
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from utils.course.execute import _problems

    nb = new_notebook(cells=[new_code_cell("1/0"), new_code_cell("warn()"),
                             new_code_cell("print(path)")])
    nb.cells[0].outputs = [new_output("error", ename="ZeroDivisionError", evalue="no",
                                      traceback=[])]
    nb.cells[1].outputs = [new_output("stream", name="stderr", text="Warning\n")]
    nb.cells[2].outputs = [new_output("stream", name="stdout", text=f"{KIT_ROOT}/corpus\n")]
    problems = _problems(nb, Path("x.ipynb"))
    assert problems == [
        "cell 1: raised ZeroDivisionError: no",
        "cell 2: wrote to stderr: 'Warning\\n'",
        f"cell 3: its output contains the absolute path {KIT_ROOT}",
    ]


@pytest.mark.parametrize("argv, expected", [
    (["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
     ["python", "-c", "LAUNCHER", "-f", "{connection_file}"]),
    (["/opt/py/bin/python3.13", "-m", "ipykernel_launcher", "-f", "k.json", "--debug"],
     ["/opt/py/bin/python3.13", "-c", "LAUNCHER", "-f", "k.json", "--debug"]),
    (["xpython", "-f", "{connection_file}"], ["xpython", "-f", "{connection_file}"]),
    (["python", "-m", "other_kernel", "-f", "k.json"],
     ["python", "-m", "other_kernel", "-f", "k.json"]),
])
def test_kernels_start_without_the_debugger_only_where_ipykernel_is_launched(argv, expected):
    from utils.course.kernel import _LAUNCHER, _without_debugger

    assert _without_debugger(argv) == [_LAUNCHER if a == "LAUNCHER" else a for a in expected]


# --------------------------------------------------------------------------- computed, not typed

def autograded(master: Path) -> dict[str, tuple[str, float]]:
    """``{exercise: (kind, points)}`` of the automatically graded exercises of a master."""
    from utils.course.lesson_format import exercise_kind

    found: dict[str, tuple[str, float]] = {}
    for cell in load(master)["cells"]:
        meta = nbg(cell)
        if not meta or not meta.get("grade") or meta.get("solution"):
            continue
        ex = KIT_ID.match(meta["grade_id"])
        key = f"ex{ex.group(1)}_{ex.group(2)}"
        kind = exercise_kind(nbformat.from_dict(cell))
        points = found.get(key, (kind, 0.0))[1] + meta["points"]
        found[key] = (found.get(key, (kind, 0))[0], points)
    return found


def test_typed_in_answers_earn_at_most_a_tenth(master, graded_class):
    """The master's values typed in as literals pass the checks on the corpus, and the
    re-run on a changed corpus takes (nearly) all of it back, judgements aside."""
    rows = graded_class["runs"][master.stem]["typed"]
    kinds = autograded(master)
    counted = [r for r in rows if r.grade_id in kinds and kinds[r.grade_id][0] != "judgement"]
    assert counted, "a lesson needs value or code exercises"
    top = sum(r.max_points for r in counted)
    got = sum(r.points or 0 for r in counted)
    assert got <= 0.1 * top, [(r.grade_id, r.status, r.points) for r in counted]
    for row in counted:
        # a value exercise whose every answer could be typed in is caught by the re-run,
        # not by a missing name (a function or a figure cannot be typed in)
        if kinds[row.grade_id][0] == "value" and row.grade_id in graded_class["typed_complete"]:
            assert row.status == "not-computed", (row.grade_id, row.status, row.reason)


def test_a_notebook_that_touches_the_kit_costs_itself_and_changes_nothing(graded_class):
    """Students who write to the corpus or delete a module of utils/ (in their copy of the
    kit) lose that exercise; the others, and the solution graded after them, lose nothing,
    and the kit on disk is as it was."""
    from conftest import TAMPERERS

    first = solution_notebooks()[0].stem
    runs = graded_class["runs"][first]
    assert graded_class["kit_unchanged"], "corpus/ or utils/ changed on disk"
    for (student, answer_id, _), touched in zip(TAMPERERS, ["corpus/texts/001.txt",
                                                           "utils/analysis/kwic.py"]):
        rows = {r.grade_id: r for r in runs[student]}
        exercise = answer_id.removesuffix("_answer")
        assert (rows[exercise].status, rows[exercise].points) == ("touched-kit", 0), student
        assert touched in rows[exercise].reason
        others = [r for g, r in rows.items() if g != exercise]
        assert all(r.status == "passed" for r in others), [(r.grade_id, r.reason) for r in others]
    solution = runs["solution"]
    assert [(r.status, r.points) for r in solution] == [("passed", r.max_points) for r in solution]


def test_no_code_cell_of_a_lesson_is_a_bare_assertion(lesson):
    import ast

    for cell in load(lesson)["cells"]:
        meta = nbg(cell) or {}
        if cell["cell_type"] != "code" or meta.get("grade"):
            continue
        body = ast.parse(src(cell)).body
        assert not (body and all(isinstance(node, ast.Assert) for node in body)), src(cell)
        assert not any(isinstance(node, ast.Assert) for node in body), src(cell)


def test_every_check_cell_says_what_kind_of_exercise_it_grades(master):
    from utils.course.lesson_format import KIND_TAGS

    for cell in load(master)["cells"]:
        meta = nbg(cell) or {}
        if meta.get("grade") and not meta.get("solution"):
            tags = [t for t in cell["metadata"].get("tags", []) if t in KIND_TAGS]
            assert len(tags) == 1, meta["grade_id"]


def test_points_follow_effort(master):
    """No lesson holds more than a quarter of the course's autograded points; in a lesson,
    every code or judgement exercise is worth more than every computed value; lessons 01 to
    04 give at least a third of their points, in two exercises or more, to code."""
    course = {m.stem: autograded(m) for m in MASTERS}
    total = sum(p for exercises in course.values() for _, p in exercises.values())
    mine = course[master.stem]
    assert sum(p for _, p in mine.values()) <= 0.25 * total
    values = [p for kind, p in mine.values() if kind == "value"]
    others = [p for kind, p in mine.values() if kind != "value"]
    if values and others:
        assert min(others) > max(values), mine
    if master.stem[:2] in ("01", "02", "03", "04"):
        code = [p for kind, p in mine.values() if kind == "code"]
        assert len(code) >= 2 and sum(code) >= sum(p for _, p in mine.values()) / 3, mine
