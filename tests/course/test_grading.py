"""Tests for utils/course/grading.py: failure questions, pass lines, hashes, and a real kernel."""
from __future__ import annotations

import asyncio
import hashlib

import nbformat
import numpy as np
import pandas as pd
import pytest

from conftest import background, background_result
from utils.course.grading import CheckFailed, answer_hash, check_that, checks
from utils.course.kernel import KernelSession
from utils.course.nbgrader_rules import determine_grade
from utils.course.notebooks import KIT_ROOT


def run_block(body, capsys):
    """Run ``body(check)`` inside a checks block; return (error or None, stdout)."""
    try:
        with checks("ex99_01") as check:
            body(check)
    except CheckFailed as err:
        return err, capsys.readouterr().out
    return None, capsys.readouterr().out


# --------------------------------------------------------------------------- hashing

@pytest.mark.parametrize("a, b", [
    (5, 5.0),
    (5, np.int64(5)),
    (2.5, np.float64(2.5)),
    (True, np.True_),
    ([1, 2], (1, 2)),
    ([1, 2], np.array([1, 2])),
    ({"a": 1, "b": 2}, {"b": 2, "a": 1}),
    ({"000": 3, "001": 4}, pd.Series([3, 4], index=["000", "001"])),
    (pd.Series([3, 4], index=["000", "001"]), pd.Series([4, 3], index=["001", "000"])),
    ({"x": {"a": 1}}, pd.DataFrame({"a": [1]}, index=["x"])),
    ({1, 2, 3}, {3, 2, 1}),
    (1 / 3, 0.3333333, ),
])
def test_equal_answers_hash_equally(a, b):
    digits = 3 if isinstance(a, float) and not float(a).is_integer() else None
    assert answer_hash(a, digits=digits) == answer_hash(b, digits=digits)


@pytest.mark.parametrize("a, b", [
    ("キーウ", "キエフ"),
    (True, 1),
    ([1, 2], [2, 1]),
    ([1, 2], {1, 2}),
    (0.333, 0.334),
    ("1", 1),
    (pd.Series([3, 4], index=["000", "001"]), pd.Series([3, 4], index=[0, 1])),
    (pd.DataFrame({"a": [1]}), pd.DataFrame({"b": [1]})),
])
def test_different_answers_hash_differently(a, b):
    assert answer_hash(a) != answer_hash(b)


@pytest.mark.parametrize("value, canonical", [
    (42, "42"),
    (42.0, "42"),
    (["002", "003"], '["002","003"]'),
    ({"b": 1, "a": 2}, '{"map":[["a",2],["b",1]]}'),
    ("停戦", '"停戦"'),
])
def test_hash_is_sha256_of_a_canonical_json(value, canonical):
    # the committed checks depend on this exact form: changing it breaks every lesson
    expected = hashlib.sha256(f"jmedia-kit:{canonical}".encode()).hexdigest()[:16]
    assert answer_hash(value) == expected


def test_hash_refuses_values_it_cannot_compare():
    with pytest.raises(TypeError, match="cannot hash a object"):
        answer_hash(object())


# --------------------------------------------------------------------------- checks

def test_a_passing_block_prints_one_short_line(capsys):
    error, out = run_block(lambda check: check.that(True, "?"), capsys)
    assert error is None and out == "✅ ex99_01 passed.\n"
    with checks("ex99_02", success="Next: lines.") as check:
        check.that(True, "?")
    assert capsys.readouterr().out == "✅ ex99_02 passed. Next: lines.\n"


def test_a_failure_is_a_question_without_the_answer(capsys):
    secret = answer_hash(8571)
    error, out = run_block(lambda c: c.hash(8570, secret, "Did you count every line?"), capsys)
    assert out == ""
    assert str(error) == "Did you count every line?"
    assert error.grade_id == "ex99_01" and isinstance(error, AssertionError)
    assert error._render_traceback_() == ["\x1b[31m❌ ex99_01: Did you count every line?\x1b[0m"]
    assert "8571" not in str(error) and secret not in str(error)


def test_a_known_mistake_gets_its_own_question(capsys):
    right, bytes_ = answer_hash(2), answer_hash(6)
    error, _ = run_block(lambda c: c.hash(6, right, "Characters?",
                                          wrong={bytes_: "Did you count bytes?"}), capsys)
    assert str(error) == "Did you count bytes?"
    error, _ = run_block(lambda c: c.hash(5, right, "Characters?",
                                          wrong={bytes_: "Did you count bytes?"}), capsys)
    assert str(error) == "Characters?"


def test_an_undefined_name_asks_to_run_the_answer_cell(capsys):
    def body(check):
        check.that(undefined_answer_name == 1, "?")  # noqa: F821

    error, _ = run_block(body, capsys)
    assert str(error).startswith("Is `undefined_answer_name` defined? Run your answer cell")


@pytest.mark.parametrize("exc, words", [
    (NotImplementedError(), "Have you written your answer yet?"),
    (TypeError("unsupported operand"), "The check could not run on your answer (TypeError"),
])
def test_a_crash_inside_a_check_becomes_a_question(exc, words, capsys):
    def body(check):
        raise exc

    error, _ = run_block(body, capsys)
    assert str(error).startswith(words)


def test_interrupts_are_not_swallowed():
    with pytest.raises(KeyboardInterrupt):
        with checks("ex99_01"):
            raise KeyboardInterrupt


@pytest.mark.parametrize("value, types, message", [
    (True, int, "Is `n` a whole number (int)? Right now it is True or False."),
    ("5", int, "Is `n` a whole number (int)? Right now it is a string (str)."),
    (pd.Series([1]), pd.DataFrame, "Is `n` a pandas DataFrame? Right now it is a pandas Series."),
])
def test_is_instance_names_both_types(value, types, message, capsys):
    error, _ = run_block(lambda c: c.is_instance(value, types, "n"), capsys)
    assert str(error) == message


@pytest.mark.parametrize("value, types", [
    (np.int64(3), int), (np.int32(3), int), (np.float64(0.5), float), (3, float),
    (pd.Series([1, 2]).sum(), int),
])
def test_is_instance_accepts_numpy_numbers(value, types, capsys):
    error, out = run_block(lambda c: c.is_instance(value, types, "n"), capsys)
    assert error is None


@pytest.mark.parametrize("value", [np.bool_(True), True])
def test_is_instance_still_rejects_bools_for_int(value, capsys):
    error, _ = run_block(lambda c: c.is_instance(value, int, "n"), capsys)
    assert str(error) == "Is `n` a whole number (int)? Right now it is True or False."


def test_has_columns_lists_what_is_missing(capsys):
    frame = pd.DataFrame({"キーウ": [1]})
    error, _ = run_block(lambda c: c.has_columns(frame, ["キーウ", "キエフ"], "kyiv"), capsys)
    assert str(error) == "Does `kyiv` have the column(s) 'キエフ'? It has 'キーウ'."
    error, _ = run_block(lambda c: c.has_columns([1], ["a"], "kyiv"), capsys)
    assert str(error).startswith("Is `kyiv` a pandas DataFrame?")


def test_check_that_outside_a_block():
    check_that(True, "?")
    with pytest.raises(CheckFailed, match=r"^Did you\?$"):
        check_that(False, "Did you?", grade_id="ex99_03")


# --------------------------------------------------------------------------- in a kernel

@background("checks_in_a_kernel")
def run_checks_in_a_kernel(folder):
    """Run four check cells in a real IPython kernel (in the background)."""
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("from utils.course.grading import checks, answer_hash\nn = 3"),
        nbformat.v4.new_code_cell('with checks("ex99_01") as check:\n'
                                  '    check.hash(n, answer_hash(4), "Did you count the '
                                  'last line too?")'),
        nbformat.v4.new_code_cell('with checks("ex99_02") as check:\n'
                                  '    check.that(n == 3, "?")'),
        nbformat.v4.new_code_cell('with checks("ex99_03") as check:\n'
                                  '    check.that(missing_name > 0, "?")'),
    ])
    for cell, grade_id in zip(nb.cells[1:], ["ex99_01", "ex99_02", "ex99_03"]):
        cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True,
                                     "points": 1, "grade_id": grade_id, "schema_version": 3}

    async def run():
        async with KernelSession(nb, cwd=KIT_ROOT, timeout=30) as session:
            return [await session.run_cell(i) for i in range(len(nb.cells))]

    return nb, asyncio.run(run())


@pytest.fixture
def checks_in_a_kernel():
    return background_result("checks_in_a_kernel")


def test_in_a_kernel_a_failure_shows_one_line_but_is_an_error(checks_in_a_kernel):
    """What JupyterLab shows and what graders read, from a real IPython kernel."""
    nb, runs = checks_in_a_kernel
    assert [r.status for r in runs] == ["ok", "error", "ok", "error"]
    failed, passed, undefined = nb.cells[1], nb.cells[2], nb.cells[3]
    [error] = failed.outputs
    assert (error.output_type, error.ename) == ("error", "CheckFailed")
    assert error.evalue == "Did you count the last line too?"
    assert error.traceback == ["\x1b[31m❌ ex99_01: Did you count the last line too?\x1b[0m"]
    assert [(o.output_type, o.name, o.text) for o in passed.outputs] == [
        ("stream", "stdout", "✅ ex99_02 passed.\n")]
    assert len(undefined.outputs[0].traceback) == 1
    assert "Is `missing_name` defined?" in undefined.outputs[0].evalue
    assert [determine_grade(c)[0] for c in nb.cells[1:]] == [0, 1.0, 0]


def test_a_warning_of_the_students_code_inside_a_check_prints_nothing(capsys):
    """A check cell with stderr output scores zero: the check decides, not a warning."""
    import warnings

    import numpy as np

    def students_function():
        return float(np.log(np.float64(0)))  # RuntimeWarning: divide by zero

    with checks("ex99_01") as test:
        test.that(students_function() == float("-inf"), "Is it minus infinity?")
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("✅ ex99_01 passed.\n", "")
    with warnings.catch_warnings(record=True) as after:  # the filters are back as they were
        warnings.simplefilter("always")
        np.log(np.float64(0))
    assert len(after) == 1
