"""Build the "typed-in" submission of a lesson: the master's answers as literals.

A student who reads every answer off an output (or recovers it from a check's hash) and
types it in hands in exactly this: each answer cell replaced by assignments of the values
the master computes, written as Python literals. The grader must give it (almost)
nothing outside judgement exercises (tests/course/test_notebooks.py).

The values come from a run of the master in a kernel: after each answer cell, a cell of
ours prints the literal of every name that the cell's solution binds at top level. When
nbval runs the master in the same session, its kernel is asked instead (:data:`NBVAL`,
filled by the root ``conftest.py``), which costs no run of its own.
Functions and values without a literal (a figure, a graph) are left out, as a student
could not type them either.
"""
from __future__ import annotations

import ast
import asyncio
import copy
import json
import re
import threading
from pathlib import Path

import nbformat

from utils.course.kernel import KernelSession
from utils.course.nbgrader_rules import nbgrader_meta
from utils.course.notebooks import notebook_text, read_notebook
from utils.course.lesson_format import CODE_STUB, is_master_only
from utils.course.release import release_notebook

_SOLUTION = re.compile(r"^[ \t]*### BEGIN SOLUTION[ \t]*\n(.*?)^[ \t]*### END SOLUTION",
                       re.DOTALL | re.MULTILINE)
MARKER = "TYPED-IN-LITERALS:"

#: code run in the kernel first: turns a value into a Python literal, or raises TypeError
LITERAL_CODE = r'''
def _typed_in_literal(value):
    import math
    import numpy as np
    import pandas as pd
    lit = _typed_in_literal
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, (bool, str)):
        return repr(value)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return f"float({str(value)!r})"
        return repr(value)
    if isinstance(value, tuple):
        return "(" + "".join(lit(v) + ", " for v in value) + ")"
    if isinstance(value, (list, pd.Index, np.ndarray)):
        items = [v.item() if isinstance(v, np.generic) else v for v in list(value)]
        if len(items) > 100 and all(type(v) in (str, int, float, bool) for v in items):
            # a long list as one JSON string: the same values, compiled in a fraction of
            # the time of a list literal of as many constants
            import json
            return f"json.loads({json.dumps(items, ensure_ascii=False)!r})"
        return "[" + ", ".join(lit(v) for v in items) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(lit(v) for v in value)) + "}" if value else "set()"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{lit(k)}: {lit(v)}" for k, v in value.items()) + "}"
    if isinstance(value, pd.Series):
        data = "{" + ", ".join(f"{lit(k)}: {lit(v)}" for k, v in value.items()) + "}"
        return f"pd.Series({data}, name={lit(value.name)}, dtype=object).infer_objects()"
    if isinstance(value, pd.DataFrame):
        columns = ", ".join(f"{lit(c)}: {lit(list(value[c]))}" for c in value.columns)
        return (f"pd.DataFrame({{{columns}}}, index={lit(list(value.index))})"
                f".rename_axis({lit(value.index.name)})")
    raise TypeError(type(value).__name__)


def _typed_in_dump(names, path=None):
    import json
    found = {}
    for name in names:
        if name in globals():
            try:
                found[name] = _typed_in_literal(globals()[name])
            except TypeError:
                pass
    if path is None:
        print("TYPED-IN-LITERALS:" + json.dumps(found, ensure_ascii=False))
    else:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(found, handle, ensure_ascii=False)
'''


class FromNbval:
    """Literals read in nbval's own kernels, which run every master anyway: after each
    answer cell, the root conftest.py asks that kernel for the values (no extra run)."""

    def __init__(self):
        self.active = False  # set by the root conftest.py: nbval may run in this session
        self.collected = threading.Event()
        self.done: dict[str, threading.Event] = {}
        self.found: dict[str, dict[str, dict[str, str]]] = {}
        self.answers: dict[str, int] = {}

    def expect(self, stem: str, answers: int) -> None:
        self.done[stem] = threading.Event()
        self.found[stem] = {}
        self.answers[stem] = answers

    def add(self, stem: str, grade_id: str, literals: dict[str, str]) -> None:
        self.found[stem][grade_id] = literals

    def finish(self, stem: str) -> None:
        if stem in self.done:
            self.done[stem].set()

    def take(self, stem: str, timeout: float = 600) -> dict | None:
        """The literals of a master if nbval runs it in this session, else None."""
        if not self.active or not self.collected.wait(timeout) or stem not in self.done:
            return None
        self.done[stem].wait(timeout)
        found = self.found.get(stem, {})
        return found if len(found) == self.answers[stem] else None


#: filled by the root conftest.py while nbval runs the masters
NBVAL = FromNbval()


def answer_cells(nb) -> dict[int, tuple[str, list[str]]]:
    """``{cell index: (grade_id, names its solution binds)}`` of the code answer cells."""
    found = {}
    for index, cell in enumerate(nb.cells):
        meta = nbgrader_meta(cell)
        if meta.get("solution") and not meta.get("grade") and cell.cell_type == "code":
            found[index] = (meta["grade_id"], solution_names(cell.source))
    return found


def _top_level(source: str):
    """The top-level statements of the solution regions of an answer cell."""
    for region in _SOLUTION.findall(source):
        try:
            yield from ast.parse(region).body
        except SyntaxError:
            continue


def _targets(node) -> list[str]:
    targets = getattr(node, "targets", None) or [getattr(node, "target", None)]
    return [name.id for target in targets if target is not None
            for name in ast.walk(target) if isinstance(name, ast.Name)
            and isinstance(name.ctx, ast.Store)]


def solution_names(source: str) -> list[str]:
    """Names the solution region of an answer cell binds at top level, in order
    (functions, classes and imports left out)."""
    names: list[str] = []
    for node in _top_level(source):
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            names += [n for n in _targets(node) if not n.startswith("_") and n not in names]
    return names


async def _dump(master: Path, cwd: Path) -> dict[str, dict[str, str]]:
    nb = read_notebook(master)
    nb.cells = [c for c in nb.cells if not is_master_only(c)]
    answers = answer_cells(nb)
    async with KernelSession(nb, cwd=cwd, timeout=120, draw=False) as session:
        await session.run_code(LITERAL_CODE)
        found = {}
        for index in range(len(nb.cells)):
            await session.run_cell(index)
            if index in answers:
                grade_id, names = answers[index]
                probe = nbformat.v4.new_code_cell(f"_typed_in_dump({names!r})")
                await session.run_cell(-1, cell=probe)
                text = "".join(o.get("text", "") for o in probe.outputs
                               if o.get("output_type") == "stream")
                line = next((ln for ln in text.splitlines() if ln.startswith(MARKER)), None)
                found[grade_id] = json.loads(line[len(MARKER):]) if line else {}
    return found


def typed_in_submission(master: Path) -> tuple[str, set[str]]:
    """The lesson of ``master`` with every code answer cell replaced by the master's
    values, typed in as literals (the text of a notebook file), and the exercises whose
    every answer could be typed in (no function, no figure among them)."""
    literals = NBVAL.take(master.stem) or asyncio.run(_dump(master, master.parent))
    lesson = release_notebook(read_notebook(master))
    complete = set()
    for cell in read_notebook(master).cells:
        meta = nbgrader_meta(cell)
        grade_id = meta.get("grade_id", "")
        if meta.get("solution") and not meta.get("grade") and cell.cell_type == "code":
            bound = _bound_names(cell.source)
            if bound and set(bound) <= set(literals.get(grade_id, {})):
                complete.add(grade_id.removesuffix("_answer"))
    for cell in lesson.cells:
        meta = nbgrader_meta(cell)
        grade_id = meta.get("grade_id")
        if cell.cell_type != "code" or grade_id not in literals:
            continue
        lines = ["import json", "import numpy as np", "import pandas as pd"]
        lines += [f"{name} = {text}" for name, text in literals[grade_id].items()]
        # what is outside the solution markers (the capstone loads its texts there) stays
        cell.source = cell.source.replace(CODE_STUB, "\n".join(lines), 1)
    return notebook_text(copy.deepcopy(lesson)), complete


def _bound_names(source: str) -> list[str]:
    """Every name the solution regions bind at top level, functions and imports too."""
    names = []
    for node in _top_level(source):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names += [(a.asname or a.name).split(".")[0] for a in node.names]
        else:
            names += _targets(node)
    return names
