"""Plausible wrong implementations of the code-writing exercises, one module per lesson.

``lesson_NN.py`` defines ``WRONG = {exercise: {why it is wrong: source}}``: each source
defines the student's function(s) the way a student could get them wrong (an off-by-one
window, a full-width space missed, precision divided by the gold's length). The hidden
tests of the exercise must fail on every one of them (tests/test_exercises.py).
"""
