"""Plausible wrong implementations of the code-writing exercises, one module per lesson.

``lesson_NN.py`` defines ``WRONG = {exercise: {why it is wrong: source}}``: each source
defines the student's function(s) the way a student could get them wrong (an off-by-one
window, a full-width space missed, precision divided by the gold's length). The hidden
tests of the exercise must fail on every one of them (tests/test_exercises.py). Variants
of one plausible right implementation are written with :func:`mutate`.
"""
from __future__ import annotations


def mutate(source: str, *changes: tuple[str, str]) -> str:
    """Return ``source`` with each ``(old, new)`` change made: a wrong implementation that
    differs from a plausible right one in exactly the lines that make it wrong. Each ``old``
    must occur once, so an edit of the right one cannot silently drop a mutation."""
    for old, new in changes:
        if source.count(old) != 1:
            raise ValueError(f"{old!r} occurs {source.count(old)} times in the source, not once")
        source = source.replace(old, new)
    return source
