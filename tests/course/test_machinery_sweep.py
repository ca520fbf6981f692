"""Bad inputs for the public course-machinery functions: each row its exact error or result.

No kernel starts: every row fails (or returns) before a notebook would run.
"""
from __future__ import annotations

import io
import math
import re
from collections import Counter
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_notebook

from conftest import tiny_master
from utils.course import autograde, export, lesson_format, nbgrader_rules, notebooks, outputs, release, variant
from utils.course.nbfile import NotebookFileError, as_cell, as_notebook
from utils.course.notebooks import notebook_text

HEADER = "student,lesson,grade_id,points,comment\n"
LONG = "長" * 5000


def scores(text):
    return autograde.read_manual_scores(io.StringIO(text))


def row(name="aiko"):
    return autograde.Row(name, "98_tiny", "ex98_01", 1.0, 2.0, "partial")


# (function name, call(tmp) -> value, expected: exception class + regex, or ("=", value))
CASES = [
    # notebooks
    ("read_notebook", lambda t: notebooks.read_notebook(None), TypeError, r"not NoneType"),
    ("read_notebook", lambda t: notebooks.read_notebook(3), TypeError, r"not int: 3"),
    ("read_notebook", lambda t: notebooks.read_notebook(t / "nope.ipynb"), FileNotFoundError,
     r"nope\.ipynb"),
    ("read_notebook", lambda t: notebooks.read_notebook(t), IsADirectoryError, r"is a folder"),
    ("read_notebook", lambda t: notebooks.read_notebook(_write(t / "e.ipynb", b"")),
     NotebookFileError, r"e\.ipynb: cannot be read as a notebook: the file is empty"),
    ("read_notebook", lambda t: notebooks.read_notebook(
        _write(t / "b.ipynb", "\ufeff" + notebook_text(tiny_master()))).cells[0].id,
     "=", "title"),
    ("read_notebook", lambda t: notebooks.read_notebook(_write(t / "u.ipynb", '{"cells": [{"cell_type": "heading"}], "nbformat": 4}')),
     NotebookFileError, r"cell 1 has the cell_type 'heading'"),
    ("read_notebook", lambda t: notebooks.read_notebook(_write(t / "s.ipynb", '{"cells": [{"cell_type": "code", "source": 5}]}')),
     NotebookFileError, r"cell 1's source is a int"),
    ("notebook_text", lambda t: notebooks.notebook_text(None), TypeError, r"must be a notebook"),
    ("notebook_text", lambda t: notebooks.notebook_text({"cells": "x"}), NotebookFileError,
     r'"cells" is a str'),
    ("write_atomic", lambda t: notebooks.write_atomic(t / "x.txt", None), TypeError,
     r"x\.txt: the text to write must be a str, not NoneType"),
    ("write_atomic", lambda t: notebooks.write_atomic(t / "x.txt", "a\ud800"), ValueError,
     r"x\.txt: the text holds '\\ud800' at position 1"),
    ("write_atomic", lambda t: notebooks.write_atomic(t, "x"), IsADirectoryError, r"is a folder"),
    ("write_atomic", lambda t: (notebooks.write_atomic(t / "o.txt", "a\u2028b\u2029c\x85\x1c\n"),
                                (t / "o.txt").read_bytes())[1],
     "=", "a\u2028b\u2029c\x85\x1c\n".encode("utf-8")),
    ("nbgrader_meta", lambda t: nbgrader_rules.nbgrader_meta(None), TypeError, r"must be a notebook cell"),
    ("nbgrader_meta", lambda t: nbgrader_rules.nbgrader_meta({"metadata": 5}), TypeError,
     r"metadata must be a dict, not int"),
    ("nbgrader_meta", lambda t: nbgrader_rules.nbgrader_meta({"metadata": {"nbgrader": 5}}), "=", {}),
    ("determine_grade", lambda t: nbgrader_rules.determine_grade("cell"), TypeError, r"not str: 'cell'"),
    ("determine_grade", lambda t: nbgrader_rules.determine_grade(new_code_cell("x")), ValueError,
     r"is not a grade cell"),
    ("compute_checksum", lambda t: nbgrader_rules.compute_checksum([]), TypeError, r"not list"),
    # nbfile
    ("as_notebook", lambda t: as_notebook([1]), TypeError, r"not list"),
    ("as_notebook", lambda t: as_notebook({"cells": [1]}), NotebookFileError, r"cell 1 is a int"),
    ("as_notebook", lambda t: len(as_notebook({"cells": []}).cells), "=", 0),
    ("as_cell", lambda t: as_cell(None), TypeError, r"not NoneType"),
    # release
    ("exercise_id", lambda t: lesson_format.exercise_id(None), TypeError, r"grade_id must be a str"),
    ("exercise_id", lambda t: lesson_format.exercise_id(b"ex00_01"), TypeError, r"not bytes"),
    ("exercise_id", lambda t: lesson_format.exercise_id("ex00_01_answer"), "=", "ex00_01"),
    ("exercise_id", lambda t: lesson_format.exercise_id("ex００_01"), "=", "ex００_01"),  # full-width
    ("exercise_id", lambda t: lesson_format.exercise_id("ex00_01\u2028"), "=", "ex00_01\u2028"),
    ("read_notebook", lambda t: notebooks.read_notebook(_write(t / "v.ipynb", '{"cells": []}')),
     NotebookFileError, r"no \"nbformat\" version"),
    ("exercise_id", lambda t: lesson_format.exercise_id(""), "=", ""),
    ("exercise_kind", lambda t: lesson_format.exercise_kind(None), TypeError, r"must be a notebook cell"),
    ("exercise_kind", lambda t: lesson_format.exercise_kind({"metadata": {"tags": "exercise-code"}}),
     "=", "value"),
    ("is_master_only", lambda t: lesson_format.is_master_only(5), TypeError, r"not int"),
    ("lesson_problems", lambda t: lesson_format.lesson_problems(None), TypeError, r"the master must be"),
    ("lesson_problems", lambda t: lesson_format.lesson_problems(tiny_master(), name=5), TypeError,
     r"name must be a lesson name"),
    ("lesson_problems", lambda t: lesson_format.lesson_problems(new_notebook()), "=", []),
    ("release_notebook", lambda t: release.release_notebook("nb"), TypeError, r"not str"),
    ("release_notebook", lambda t: release.release_notebook({"cells": 5}), NotebookFileError,
     r'"cells" is a int'),
    ("visible_checks", lambda t: release.visible_checks(None), TypeError, r"the master must be"),
    ("checks_text", lambda t: release.checks_text(None, "98_tiny"), TypeError, r"the master"),
    ("release_text", lambda t: release.release_text(t / "nope.ipynb"), FileNotFoundError, r"nope"),
    ("release_text", lambda t: release.release_text(_write(t / "p.ipynb", b"\x89PNG")),
     NotebookFileError, r"p\.ipynb: cannot be read as a notebook: it is not text"),
    ("release", lambda t: release.release(t / "nope", t / "les"), FileNotFoundError,
     r"nope: no such folder"),
    ("release", lambda t: release.release(_empty(t), t / "les"), FileNotFoundError,
     r"no master notebooks"),
    ("release", lambda t: release.release(_sol(t), _sol(t)), outputs.OutputPathError,
     r"is the input"),
    ("release", lambda t: release.release(_sol(t), t / "les", names=["98_tiy"]),
     lesson_format.LessonFormatError, r"no lesson '98_tiy'.*did you mean '98_tiny'"),
    ("release", lambda t: release.release(_sol(t), t / "les", check=True), "=",
     ["98_tiny.ipynb", "checks/98_tiny.json"]),
    # export
    ("report_html", lambda t: export.report_html(None), TypeError, r"must be a notebook"),
    ("report_html", lambda t: export.report_html(new_notebook(), title=None), TypeError,
     r"title must be a str"),
    ("report_html", lambda t: "<title>停\u2028戦</title>" in export.report_html(
        new_notebook(), title="停\u2028戦"), "=", True),
    ("export_html", lambda t: export.export_html(None), TypeError, r"not NoneType"),
    ("export_html", lambda t: export.export_html(t / "nope.ipynb"), FileNotFoundError,
     r"no such notebook"),
    ("export_html", lambda t: export.export_html(t), FileNotFoundError, r"is a folder"),
    ("export_html", lambda t: export.export_html(_nb(t, "r.html")), outputs.OutputPathError,
     r"already ends in \.html.*give --out"),
    ("export_html", lambda t: export.export_html(_nb(t), _nb(t)), outputs.OutputPathError,
     r"must end in \.html or \.htm"),
    ("export_html", lambda t: export.export_html(_nb(t), t / "x.pdf"), outputs.OutputPathError,
     r"not '\.pdf'"),
    ("unrun_cells", lambda t: export.unrun_cells(None), TypeError, r"must be a notebook"),
    ("unrun_cells", lambda t: export.unrun_cells(tiny_master()), "=", 7),
    # outputs
    ("check_output_file", lambda t: outputs.check_output_file(None), TypeError, r"not NoneType"),
    ("check_output_file", lambda t: outputs.check_output_file(b"x"), TypeError, r"not bytes"),
    ("check_output_file", lambda t: outputs.check_output_file(" "), outputs.OutputPathError,
     r"is empty"),
    ("check_output_file", lambda t: outputs.check_output_file("a\x00b"),
     outputs.OutputPathError, r"NUL"),
    ("check_output_file", lambda t: outputs.check_output_file("a\udc80.html"),
     outputs.OutputPathError, r"lone surrogate"),
    ("check_output_file", lambda t: outputs.check_output_file(t), outputs.OutputPathError,
     r"is a folder"),
    ("check_output_file", lambda t: outputs.check_output_file(t / "山田 太郎\u2028.html").name,
     "=", "山田 太郎\u2028.html"),
    ("check_output_folder", lambda t: outputs.check_output_folder(_write(t / "f", "x")),
     outputs.OutputPathError, r"is a file"),
    ("check_output_folder", lambda t: outputs.check_output_folder(t / "a", inputs=[t]),
     outputs.OutputPathError, r"inside the input folder"),
    ("check_output_folder", lambda t: outputs.check_output_folder(t / ("長" * 80)).name,
     "=", "長" * 80),
    ("check_input_paths", lambda t: outputs.check_input_paths([]), ValueError, r"at least one"),
    ("check_input_paths", lambda t: outputs.check_input_paths(5), TypeError, r"not int"),
    ("check_input_paths", lambda t: outputs.check_input_paths([t / "nope"]), FileNotFoundError,
     r"nope: no such file or folder"),
    ("as_paths", lambda t: outputs.as_paths(None), TypeError, r"not NoneType"),
    ("as_paths", lambda t: outputs.as_paths({"a"}), TypeError, r"not set"),
    ("as_paths", lambda t: outputs.as_paths("山田 太郎"), "=", [Path("山田 太郎")]),
    ("check_scores_file", lambda t: outputs.check_scores_file(t), FileNotFoundError,
     r"is a folder"),
    ("check_scores_file", lambda t: outputs.check_scores_file(t / "n.csv"), FileNotFoundError,
     r"n\.csv: no such scores file"),
    ("read_gradebook", lambda t: autograde.read_gradebook(None), TypeError, r"NoneType"),
    ("read_gradebook", lambda t: autograde.read_gradebook(t / "nope.csv"), FileNotFoundError,
     r"nope\.csv"),
    ("read_gradebook", lambda t: (t / "g.csv").write_text("name,score\naiko,1\n", "utf-8") and
     autograde.read_gradebook(t / "g.csv"), ValueError, r"g\.csv is not a gradebook: .*grade_id"),
    ("read_gradebook", lambda t: (t / "g.csv").write_text(
        ",".join(autograde.GRADEBOOK_COLUMNS) + "\na,00,ex00_01,two,2,passed,,\n", "utf-8")
     and autograde.read_gradebook(t / "g.csv"), ValueError, r"g\.csv, line 2: points 'two'"),
    ("grades_dropped", lambda t: outputs.grades_dropped(None, set()), TypeError, r"NoneType"),
    ("grades_dropped", lambda t: outputs.grades_dropped(t / "nope.csv", set()), "=", []),
    ("grades_dropped", lambda t: (t / "g.csv").write_bytes(b"\x89PNG\r\n\x00") and
     outputs.grades_dropped(t / "g.csv", set()), "=", []),
    ("grades_dropped", lambda t: (t / "g.csv").write_text("name,score\naiko,1\n", "utf-8") and
     outputs.grades_dropped(t / "g.csv", set()), "=", []),
    ("grades_dropped", lambda t: (t / "g.csv").write_text("\ufeffstudent,lesson\n山田 太郎,00\n",
     "utf-8") and outputs.grades_dropped(t / "g.csv", {("山田", "00")}), "=", [("山田 太郎", "00")]),
    ("distinct_file_names", lambda t: outputs.distinct_file_names(None), TypeError, r"not NoneType"),
    ("distinct_file_names", lambda t: outputs.distinct_file_names("ab"), TypeError, r"not str"),
    ("distinct_file_names", lambda t: outputs.distinct_file_names([1]), TypeError, r"not int"),
    ("distinct_file_names", lambda t: outputs.distinct_file_names(["ｱｲｺ", "アイコ"]), "=",
     {"ｱｲｺ": "ｱｲｺ", "アイコ": "アイコ"}),
    ("distinct_file_names", lambda t: outputs.distinct_file_names([""])[""][:8], "=", "student-"),
    ("distinct_file_names", lambda t: outputs.distinct_file_names(["CON"])["CON"][:5], "=", "CON_-"),
    # autograde
    ("load_masters", lambda t: autograde.load_masters(None), TypeError, r"not NoneType"),
    ("load_masters", lambda t: autograde.load_masters(t / "nope"), FileNotFoundError,
     r"nope \(no such folder\)"),
    ("load_masters", lambda t: autograde.load_masters(_write(t / "f", "x")), NotADirectoryError,
     r"f is a file"),
    ("load_masters", lambda t: autograde.load_masters(_sol(t, b"\x89PNG")), NotebookFileError,
     r"98_tiny\.ipynb: cannot be read as a notebook: it is not text"),
    ("find_submissions", lambda t: autograde.find_submissions(None, {}), TypeError, r"not NoneType"),
    ("find_submissions", lambda t: autograde.find_submissions(t / "nope", {}), FileNotFoundError,
     r"nope: no such file or folder"),
    ("find_submissions", lambda t: [s.student for s in autograde.find_submissions(
        str(_nb(t / "山田 太郎\u2028", "x.ipynb").parent.parent), {})], "=", ["山田 太郎\u2028"]),
    ("parse_cells", lambda t: autograde.parse_cells(None), TypeError, r"not NoneType"),
    ("parse_cells", lambda t: autograde.parse_cells("{}"), TypeError, r"not str"),
    ("parse_cells", lambda t: autograde.parse_cells(b'{"cells": [5, {"cell_type": "code"}]}')[0]
     .position, "=", 2),
    ("grade", lambda t: autograde.grade([]), ValueError, r"give at least one PATH"),
    ("grade", lambda t: autograde.grade(_empty(t), solutions=_sol(t)), FileNotFoundError,
     r"found no notebooks .*Nothing was written"),
    ("grade", lambda t: autograde.grade(t, jobs=0), ValueError, r"jobs must be .* not 0"),
    ("grade", lambda t: autograde.grade(t, jobs=1.5), ValueError, r"not 1\.5"),
    ("grade", lambda t: autograde.grade(t, timeout=math.nan), ValueError, r"not nan"),
    ("grade", lambda t: autograde.grade(t, timeout=math.inf), ValueError, r"not inf"),
    ("grade", lambda t: autograde.grade(t, timeout="30"), ValueError, r"not '30'"),
    ("read_manual_scores", lambda t: autograde.read_manual_scores(None), TypeError,
     r"not NoneType"),
    ("read_manual_scores", lambda t: autograde.read_manual_scores(t),
     autograde.ManualScoresError, r"is a folder"),
    ("read_manual_scores", lambda t: autograde.read_manual_scores(t / "n.csv"),
     autograde.ManualScoresError, r"n\.csv: no such scores file"),
    ("read_manual_scores", lambda t: autograde.read_manual_scores(_write(t / "s.csv", b"\xff\xfe")),
     autograde.ManualScoresError, r"s\.csv: not UTF-8"),
    ("read_manual_scores", lambda t: scores(""), autograde.ManualScoresError,
     r"line 1: the header lacks student"),
    ("read_manual_scores", lambda t: scores(HEADER + "a,b,c,nan\n"), autograde.ManualScoresError,
     r"line 2: points 'nan' is not a finite number"),
    ("read_manual_scores", lambda t: scores(HEADER + "a,b,c,1e400\n"),
     autograde.ManualScoresError, r"'1e400' is not a finite number"),
    ("read_manual_scores", lambda t: scores(HEADER + "a,b,c,-inf\n"),
     autograde.ManualScoresError, r"'-inf' is not a finite number"),
    ("read_manual_scores", lambda t: scores(HEADER + "a,b,c,-1\n"), autograde.ManualScoresError,
     r"'-1' is negative"),
    ("read_manual_scores", lambda t: scores(HEADER + "a,b,c,x\n"), autograde.ManualScoresError,
     r"'x' is not a number"),
    ("read_manual_scores", lambda t: scores(HEADER + "a,b,c,1\na,b,c,2\n"),
     autograde.ManualScoresError, r"line 3: a / b / c is scored twice \(also on line 2\)"),
    ("read_manual_scores", lambda t: scores("student,student,lesson,grade_id,points\n"),
     autograde.ManualScoresError, r"line 1: the column student appears more than once"),
    ("read_manual_scores", lambda t: [s.student for s in autograde.read_manual_scores(
        io.BytesIO(("\ufeff" + HEADER + "山田 太郎\u2028,b,c,1\n").encode()))], "=",
     ["山田 太郎"]),  # cells are trimmed of white space, U+2028 included
    ("read_manual_scores", lambda t: [s.points for s in scores(HEADER + 'ｱ,b,c,"1,5"\n')], "=",
     [1.5]),
    ("check_manual_scores", lambda t: autograde.check_manual_scores(
        [autograde.ManualScore("a", "98_tiny", "ex98_04", 2.0, line=2)],
        autograde.load_masters(_sol(t))), "=",
     ["line 2: 2 points is more than the 1 that ex98_04 is worth"]),
    ("apply_manual_scores", lambda t: autograde.apply_manual_scores([row()], None), TypeError,
     r"scores must be a list of ManualScore .*not NoneType"),
    ("apply_manual_scores", lambda t: autograde.apply_manual_scores(None, []), TypeError,
     r"rows must be a list of Row"),
    ("apply_manual_scores", lambda t: [r.points for r in autograde.apply_manual_scores(
        [row("山田 太郎")], [autograde.ManualScore("山田 太郎", "98_tiny", "ex98_01_answer", 0.5)])],
     "=", [0.5]),  # the row has no automatic check points
    ("unused_scores", lambda t: autograde.unused_scores([row()], "x"), TypeError, r"not str"),
    ("unused_scores", lambda t: [s.student for s in autograde.unused_scores([row("ｱｲｺ")], [
        autograde.ManualScore("アイコ", "98_tiny", "ex98_01", 1.0)])], "=", ["アイコ"]),
    ("write_reports", lambda t: autograde.write_reports([], t), ValueError,
     r"no gradebook rows .*nothing was written"),
    ("write_reports", lambda t: autograde.write_reports(None, t), TypeError, r"not NoneType"),
    ("write_reports", lambda t: autograde.write_reports([row()], _write(t / "f", "x")),
     outputs.OutputPathError, r"is a file"),
    ("write_reports", lambda t: sorted(p.name for p in autograde.write_reports(
        [row("a b"), row("a_b"), row(LONG)], t)["feedback"].iterdir())[:2], "=",
     ["a b.md", "a_b.md"]),
    ("feedback_text", lambda t: autograde.feedback_text("a", None), TypeError, r"list of Row"),
    ("feedback_text", lambda t: autograde.feedback_text(None, [row()]), TypeError, r"NoneType"),
    ("export_answers", lambda t: autograde.export_answers([t], "ex98_04", fmt="pdf"), ValueError,
     r"fmt must be 'html' or 'md', not 'pdf'"),
    ("export_answers", lambda t: autograde.export_answers([t], "ex98_99", solutions=_sol(t)),
     ValueError, r"no exercise 'ex98_99'.*written answers are ex98_04"),
    ("export_answers", lambda t: autograde.export_answers([t / "e"], "ex98_04",
                                                          solutions=_sol(t)),
     FileNotFoundError, r"no such file or folder"),
    ("collect_answers", lambda t: autograde.collect_answers(_empty(t), "ex98_04",
                                                            solutions=_sol(t)),
     FileNotFoundError, r"found no notebooks"),
    # variant
    ("make_variant", lambda t: variant.make_variant(1, texts=["a"]), TypeError,
     r"texts must be a dict"),
    ("make_variant", lambda t: variant.make_variant(1, texts={"a": None}), TypeError,
     r"found 'a': NoneType"),
    ("make_variant", lambda t: variant.make_variant(1, texts={1: "a"}), TypeError, r"found 1"),
    ("make_variant", lambda t: variant.make_variant(1, texts={}, drop="ab"), TypeError,
     r"drop must be two numbers"),
    ("make_variant", lambda t: variant.make_variant(1, texts={}, drop=(0.5,)), TypeError,
     r"drop=\(0\.5,\)"),
    ("make_variant", lambda t: variant.make_variant(1, texts={}, move=None), TypeError,
     r"move=None"),
    ("make_variant", lambda t: variant.make_variant(1, texts={}, drop=(math.nan, 1)), ValueError,
     r"drop=\(nan, 1\)"),
    ("make_variant", lambda t: variant.make_variant(1, texts={}, move=2), ValueError, r"move=2"),
    ("make_variant", lambda t: variant.make_variant(1, texts={"a": "題\u2028x\u2029y\x85z"}).texts,
     "=", {"a": "題\u2028x\u2029y\x85z"}),  # one line: only LF ends a line
    ("write_variant", lambda t: variant.write_variant(1, None), TypeError, r"not NoneType"),
    ("write_variant", lambda t: variant.write_variant(1, _write(t / "f", "x")),
     outputs.OutputPathError, r"is a file"),
    ("write_variant", lambda t: variant.write_variant(1, t / "v", source=t / "nope"),
     Exception, r"nope"),
]


def _write(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def _nb(folder: Path, name: str = "nb.ipynb") -> Path:
    from utils.course.release import release_notebook

    return _write(folder / name, notebook_text(release_notebook(tiny_master())))


def _sol(t: Path, data: bytes | None = None) -> Path:
    return _write(t / "sol" / "98_tiny.ipynb",
                  data if data is not None else notebook_text(tiny_master())).parent


def _empty(t: Path) -> Path:
    (t / "empty").mkdir(exist_ok=True)
    return t / "empty"


COUNTS = Counter(name for name, *_ in CASES)


@pytest.mark.parametrize("name, call, expected, match", CASES,
                         ids=[f"{name}-{i}" for i, (name, *_) in enumerate(CASES)])
def test_bad_inputs_raise_their_error_and_good_ones_give_their_result(tmp_path, name, call,
                                                                      expected, match):
    if expected == "=":
        assert call(tmp_path) == match
        return
    with pytest.raises(expected) as info:
        call(tmp_path)
    assert re.search(match, str(info.value)), str(info.value)
    assert not isinstance(info.value, (KeyError, AttributeError, UnicodeError, OverflowError,
                                       IndexError))


def test_the_sweep_covers_every_public_function_it_names():
    modules = {"autograde": autograde, "export": export, "release": release,
               "variant": variant, "outputs": outputs}
    public = {n for m in modules.values() for n in m.__all__ if callable(getattr(m, n))
              and not isinstance(getattr(m, n), type)}
    # main and answers_main: tests/course/test_commands_sweep.py; grade_submission runs a kernel
    assert public - set(COUNTS) == {"main", "answers_main", "grade_submission"}
