"""Run the hidden tests of code-writing exercises in this process, on any implementation.

A code-writing exercise (check cell tagged ``exercise-code``) asks for a function; its
hidden tests call that function on inputs the notebook never shows, and are written to be
self-contained: they use only the functions of the answer cell, ``utils``, ``pd``, ``np``
and what they define themselves. So they can run here, without a kernel, in a namespace
holding either the master's own functions or a plausible wrong implementation
(tests/test_exercises_NN.py), and must pass on the first and fail on the second.
"""
from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

import nbformat

from utils.course.grading import CheckFailed, checks
from utils.course.nbgrader_rules import nbgrader_meta

_SOLUTION = re.compile(r"^[ \t]*### BEGIN SOLUTION[ \t]*\n(.*?)^[ \t]*### END SOLUTION",
                       re.DOTALL | re.MULTILINE)
_HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[ \t]*\n(.*?)^[ \t]*### END HIDDEN TESTS",
                     re.DOTALL | re.MULTILINE)


def code_exercises(master: Path) -> dict[str, tuple[str, str]]:
    """``{exercise: (answer cell source, check cell source)}`` of the code-writing
    exercises of a master."""
    nb = nbformat.read(master, as_version=4)
    answers, found = {}, {}
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        grade_id = meta.get("grade_id", "")
        if meta.get("solution") and not meta.get("grade"):
            answers[grade_id.removesuffix("_answer")] = cell.source
        elif meta.get("grade") and "exercise-code" in cell.metadata.get("tags", []):
            found[grade_id] = (answers.get(grade_id, ""), cell.source)
    return found


def definitions(source: str) -> str:
    """The imports, functions and classes of an answer (what hidden tests may call):
    top-level statements of its solution regions, and of the cell around them."""
    regions = _SOLUTION.findall(source) or [source]
    kept = []
    for region in regions:
        tree = ast.parse(textwrap.dedent(region))
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)):
                kept.append(ast.unparse(node))
    return "\n\n".join(kept)


def hidden_tests(check_source: str) -> str:
    """The hidden-test code of a check cell, dedented."""
    regions = _HIDDEN.findall(check_source)
    if not regions:
        raise ValueError("this check cell has no hidden tests")
    return "\n".join(textwrap.dedent(region) for region in regions)


def base_namespace() -> dict:
    import numpy as np
    import pandas as pd

    import utils

    return {"pd": pd, "np": np, "utils": utils, "checks": checks}


def run_hidden(grade_id: str, check_source: str, implementation: str) -> str | None:
    """Run the hidden tests of ``grade_id`` against ``implementation`` (source defining the
    student's functions); return the question of the first failed test, or None."""
    namespace = base_namespace()
    exec(compile(implementation, f"<implementation of {grade_id}>", "exec"), namespace)
    # the check's own header, so that its options (forbid=...) apply as in a notebook
    lines = check_source.lstrip().splitlines()
    end = next((i for i, line in enumerate(lines) if line.endswith(" as test:")), None)
    header = "\n".join(lines[:end + 1]) if end is not None else ""
    if not header.startswith("with checks("):
        header = "with checks(%r) as test:" % grade_id
    code = "%s\n%s" % (header, textwrap.indent(hidden_tests(check_source), "    "))
    try:
        import contextlib
        import io

        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(code, f"<hidden tests of {grade_id}>", "exec"), namespace)
    except CheckFailed as failure:
        return failure.question
    return None
