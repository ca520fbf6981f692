"""Tests for utils/course/helper_guard.py and checks(..., forbid=...): a write-code exercise cannot
be passed by calling the kit's helper inside the student's function."""
from __future__ import annotations

import textwrap

import pytest

import utils
from utils.course.grading import CheckFailed, checks
from utils.course.helper_guard import HelperGuard

TOKENS = utils.tokenize({"a": "停戦を求める。停戦だ。", "b": "和平の交渉。"})

# how a student might reach the helper from inside their function
SHORTCUTS = {
    "attribute": "def rate(tokens):\n    return utils.frequencies(tokens)\n",
    "alias imported before": ("from utils import frequencies as freq\n"
                              "def rate(tokens):\n    return freq(tokens)\n"),
    "module imported before": ("from utils.analysis.freq import frequencies\n"
                               "def rate(tokens):\n    return frequencies(tokens)\n"),
    "import inside": ("def rate(tokens):\n    from utils.analysis.freq import frequencies\n"
                      "    return frequencies(tokens)\n"),
    "through a helper of theirs": ("def count(t):\n    return utils.frequencies(t)\n"
                                   "def rate(tokens):\n    return count(tokens)\n"),
    "bound as a default argument": ("def rate(tokens, freq=utils.frequencies):\n"
                                    "    return freq(tokens)\n"),
    "bound in a closure": ("def make():\n    freq = utils.frequencies\n"
                           "    def rate(tokens):\n        return freq(tokens)\n"
                           "    return rate\nrate = make()\n"),
    "error swallowed": ("def rate(tokens):\n    try:\n        return utils.frequencies(tokens)\n"
                        "    except Exception:\n        return None\n"),
}
HONEST = "def rate(tokens):\n    return tokens['lemma'].value_counts()\n"


def student(source: str) -> dict:
    namespace = {"utils": utils, "checks": checks}
    exec(compile(source, "<student>", "exec"), namespace)
    return namespace


def run_check(namespace: dict) -> str | None:
    """Run a check block with forbid= in the student's namespace; its question or None."""
    code = textwrap.dedent("""\
        with checks("ex99_01", forbid={"rate": ["frequencies"]}) as test:
            reference = utils.frequencies(TOKENS)        # the check's own call is allowed
            got = rate(TOKENS)
            test.that(got is not None, "Does `rate` return its table?")
        """)
    namespace["TOKENS"] = TOKENS
    try:
        exec(compile(code, "<check>", "exec"), namespace)
    except CheckFailed as failure:
        return failure.question
    return None


@pytest.mark.parametrize("how", sorted(SHORTCUTS))
def test_a_call_to_the_forbidden_helper_fails_the_check_however_it_is_reached(how, capsys):
    question = run_check(student(SHORTCUTS[how]))
    assert question == ("Does `rate` call the kit's `utils.frequencies`? This exercise asks you "
                        "to write that part yourself; the helper comes right after the "
                        "exercise.")


def test_an_honest_function_passes_and_the_checks_own_calls_are_allowed(capsys):
    assert run_check(student(HONEST)) is None
    assert "✅ ex99_01 passed." in capsys.readouterr().out


@pytest.mark.parametrize("how", sorted(SHORTCUTS))
def test_every_helper_is_itself_again_after_the_check(how):
    import utils.analysis.freq

    namespace = student(SHORTCUTS[how])
    before = {k: v for k, v in namespace.items() if callable(v)}
    run_check(namespace)
    assert utils.frequencies is utils.analysis.freq.frequencies
    assert utils.analysis.freq.frequencies.__module__ == "utils.analysis.freq"
    assert not hasattr(utils.analysis.freq.frequencies, "__wrapped__")
    assert {k: namespace[k] for k in before} == before
    assert len(utils.frequencies(TOKENS)) > 0


def test_without_forbid_the_shortcut_is_not_noticed():
    namespace = student(SHORTCUTS["attribute"])
    namespace["TOKENS"] = TOKENS
    exec('with checks("ex99_01") as test:\n    test.that(rate(TOKENS) is not None, "?")',
         namespace)  # passes: the guard is what makes the exercise honest


def test_a_student_function_not_defined_yet_is_a_name_question():
    namespace = {"utils": utils, "checks": checks, "TOKENS": TOKENS}
    question = run_check(namespace)
    assert question.startswith("Is `rate` defined?")


@pytest.mark.parametrize("forbid, error, message", [
    (["frequencies"], TypeError, r"forbid must map a function name to the utils helpers"),
    ("frequencies", TypeError, r"forbid must map a function name"),
])
def test_bad_forbid_is_named(forbid, error, message):
    with pytest.raises(error, match=message):
        HelperGuard(forbid, {})


def test_an_unknown_helper_name_is_an_error_naming_it():
    with pytest.raises(AttributeError, match="no_such_helper"):
        with HelperGuard({"rate": ["no_such_helper"]}, {}):
            pass
