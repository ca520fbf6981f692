"""utils.course.outcome.classify: every status a run can give, from facts alone (no kernel)."""
from __future__ import annotations

import pytest

from utils.course.gradebook import STATUSES
from utils.course.outcome import ExerciseRun, Outcome, classify, clean_message

FAIL = ExerciseRun(points=0.0, max_points=2.0)


def run(**facts) -> ExerciseRun:
    return ExerciseRun(**{"points": 0.0, "max_points": 2.0, **facts})


CASES = [
    # (facts, status, points, reason contains, note contains)
    ({"points": 2.0}, "passed", 2.0, "", ""),
    ({"points": 2.0, "answer_errors": (("NameError", "x"),)}, "passed", 2.0, "",
     "the answer cell raised NameError, but the checks passed"),
    ({"written": True, "points": 0.0}, "manual", None, "give up to 2 points", ""),
    ({"written": True, "points": 2.0}, "manual", None, "read it", ""),  # a person decides
    ({"bad_partial": True, "points": 2.0}, "error", 0.0, "partial grade larger", ""),
    ({"missing": ("ex01_02_answer",)}, "missing", 0.0, "no answer cell ex01_02_answer", ""),
    ({"missing": ("a", "b"), "points": 1.0}, "missing", 1.0, "no answer cell a, b", ""),
    ({"stopped": "timeout", "stopped_in": "answer", "timeout": 30}, "timeout", 0.0,
     "the answer cell ran longer than 30 s", ""),
    ({"stopped": "timeout", "stopped_in": "check", "timeout": 2.5}, "timeout", 0.0,
     "the check ran longer than 2.5 s on your answer", ""),
    ({"check_timeout": True}, "timeout", 0.0, "the check ran longer", ""),
    ({"check_timeout": True, "answer_timeout": True}, "timeout", 0.0, "the answer cell ran", ""),
    ({"stopped": "kernel-died", "stopped_in": "answer"}, "kernel-died", 0.0,
     "the answer crashed the Python kernel", ""),
    ({"stopped": "kernel-died", "stopped_in": "check"}, "kernel-died", 0.0,
     "the check crashed the Python kernel on your answer; the other exercises", ""),
    ({"unchanged": True}, "not-attempted", 0.0, "`raise NotImplementedError()`", ""),
    ({"unchanged": True, "markdown_answers": True}, "not-attempted", 0.0, "YOUR ANSWER HERE", ""),
    ({"answer_errors": (("NotImplementedError", ""),)}, "not-attempted", 0.0, "still holds", ""),
    ({"answer_errors": (("KeyError", "'語彙素'"),)}, "error", 0.0,
     "your answer cell raised KeyError: '語彙素'", ""),
    ({"answer_errors": (("_IncompleteInputError", "incomplete input"),)}, "error", 0.0,
     "raised SyntaxError: incomplete input", ""),
    ({"messages": ("the check raised TypeError: x",)}, "error", 0.0,
     "the check raised TypeError", ""),
    ({"messages": ("the check raised TypeError: x", "数えたのは語ですか?")}, "failed", 0.0,
     "数えたのは語ですか?", ""),
    ({"points": 1.0, "messages": ("上位10語ですか?",)}, "partial", 1.0, "上位10語ですか?", ""),
    ({"points": 0.5}, "partial", 0.5, "partial credit: 0.5 of 2 points", ""),
    ({}, "failed", 0.0, "a check did not pass", ""),
]


@pytest.mark.parametrize("facts, status, points, reason, note", CASES)
def test_classify(facts, status, points, reason, note):
    outcome = classify(run(**facts))
    assert (outcome.status, outcome.points) == (status, points)
    assert reason in outcome.reason and (note in outcome.note if note else not outcome.note)
    assert outcome.status in STATUSES


def test_the_rules_come_in_order():
    """A timeout outranks an error; a missing cell outranks a timeout; full points win."""
    both = {"stopped": "timeout", "answer_errors": (("KeyError", "k"),)}
    assert classify(run(**both)).status == "timeout"
    assert classify(run(missing=("a",), **both)).status == "missing"
    assert classify(run(points=2.0, missing=("a",), **both)).status == "passed"


def test_outcome_is_a_value():
    assert classify(FAIL) == Outcome("failed", 0.0, "a check did not pass")


@pytest.mark.parametrize("text, expected", [
    ("\x1b[1;31mError\x1b[0m", "Error"),
    ("invalid syntax (tmp_abc123.py, line 7)", "invalid syntax (line 7)"),
    ("a\n\tb  c", "a b c"),
    ("全角　スペース", "全角　スペース"),
    ("x" * 400, "x" * 299 + "…"),
])
def test_clean_message(text, expected):
    assert clean_message(text) == expected
