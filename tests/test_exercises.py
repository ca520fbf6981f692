"""The hidden tests of every code-writing exercise pass on the master and fail on plausible
wrong implementations (tests/wrong_implementations/lesson_NN.py), run in this process."""
from __future__ import annotations

import importlib

import pytest

from conftest import solution_notebooks
from exercise_tools import code_exercises, definitions, run_hidden

EXERCISES = {gid: (master, *sources) for master in solution_notebooks()
             for gid, sources in code_exercises(master).items()}


def wrong_for(master) -> dict[str, dict[str, str]]:
    try:
        module = importlib.import_module(f"wrong_implementations.lesson_{master.stem[:2]}")
    except ModuleNotFoundError:
        return {}
    return module.WRONG


WRONG = [(gid, why) for master in solution_notebooks()
         for gid, table in wrong_for(master).items() for why in table]


@pytest.mark.parametrize("grade_id", sorted(EXERCISES))
def test_hidden_tests_pass_on_the_masters_own_functions(grade_id):
    master, answer, check = EXERCISES[grade_id]
    assert run_hidden(grade_id, check, definitions(answer)) is None


@pytest.mark.parametrize("grade_id", sorted(EXERCISES))
def test_every_code_exercise_has_wrong_implementations_to_catch(grade_id):
    master = EXERCISES[grade_id][0]
    assert wrong_for(master).get(grade_id), \
        f"add plausible wrong implementations of {grade_id} to tests/wrong_implementations/"


@pytest.mark.parametrize("grade_id, why", WRONG)
def test_hidden_tests_fail_on_a_plausible_wrong_implementation(grade_id, why):
    master, _, check = EXERCISES[grade_id]
    source = wrong_for(master)[grade_id][why]
    assert run_hidden(grade_id, check, source) is not None, why
