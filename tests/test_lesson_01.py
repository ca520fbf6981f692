"""Tests for lesson 01's own claims that live outside its cells: the time estimate's inputs."""
from __future__ import annotations

import re

import pytest

from utils.course.notebooks import LESSONS_DIR, read_notebook, SOLUTIONS_DIR

LESSON = read_notebook(LESSONS_DIR / "01_tokenization.ipynb")
HEADER = read_notebook(SOLUTIONS_DIR / "01_tokenization.ipynb").cells[0].source


def _prose() -> str:
    return "\n".join(c.source for c in LESSON.cells if c.cell_type == "markdown")


def _examples() -> list:
    """Code cells a student runs and reads: neither an answer stub nor a check."""
    code = [c for c in LESSON.cells if c.cell_type == "code"]
    return [c for c in code if not (c.metadata.get("nbgrader") or {}).get("grade_id")]


@pytest.mark.parametrize("quoted, measured, slack", [
    ("5,100 words of English prose",
     lambda: len(re.findall(r"[A-Za-z][A-Za-z'’-]*", _prose())), 200),
    ("340 Japanese examples",
     lambda: len(re.findall(r"[\u3040-\u30ff\u3400-\u9fff]+", _prose())), 30),
    ("35 example cells", lambda: len(_examples()), 0),
])
def test_time_estimate_counts_what_the_lesson_holds(quoted, measured, slack):
    assert quoted in " ".join(HEADER.split())
    number = int(quoted.split()[0].replace(",", ""))
    assert abs(measured() - number) <= slack, (quoted, measured())


def test_time_estimate_adds_up():
    text = " ".join(HEADER.split())
    hours = {"3½": 210, "2¼": 135}
    total = re.search(r"\*\*Time:\*\* about (\S+) hours", text).group(1)
    reading = re.search(r"about (\d+) minutes of reading, (\d+) of running", text)
    exercises = re.search(r"and (\S+) hours of exercises", text).group(1)
    assert int(reading[1]) + int(reading[2]) + hours[exercises] == hours[total]
