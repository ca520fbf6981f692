"""Define the lesson format: the markers, tags and nbgrader metadata a master must follow.

A master notebook of ``solutions/`` is nbgrader schema v3 plus the kit's conventions
(``docs/design.md``): exercise ids ``exNN_MM[_suffix]``, ``### BEGIN SOLUTION`` and
``### BEGIN HIDDEN TESTS`` regions, ``master-only`` cells, kind tags on check cells.
:func:`lesson_problems` lists every way a master breaks them; :mod:`utils.course.release` turns
a valid master into the student's lesson.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import nbformat

from .nbfile import as_cell, as_notebook

__all__ = ["BEGIN_SOLUTION", "END_SOLUTION", "BEGIN_HIDDEN", "END_HIDDEN", "CODE_STUB",
           "TEXT_STUB", "V3_KEYS", "V3_REQUIRED", "GRADE_ID_PATTERN", "KIT_ID_PATTERN",
           "MASTER_ONLY", "KIND_TAGS", "CHECK_CALL", "LessonFormatError", "exercise_id",
           "cell_tags", "is_master_only", "exercise_kind", "replace_solutions",
           "remove_hidden", "drop_nbval_markers", "lesson_problems"]

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"
END_HIDDEN = "### END HIDDEN TESTS"
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
TEXT_STUB = "YOUR ANSWER HERE"

#: nbgrader schema v3: every key a cell's ``metadata.nbgrader`` may hold.
V3_KEYS = {"schema_version", "grade", "locked", "solution", "task", "grade_id", "points",
           "checksum", "cell_type"}
V3_REQUIRED = {"schema_version", "grade", "locked", "solution"}
#: nbgrader's own pattern for ``grade_id``.
GRADE_ID_PATTERN = re.compile(r"^[a-zA-Z0-9_\-]*$")
#: The kit's stricter pattern: ``ex<lesson>_<exercise>`` plus an optional suffix.
KIT_ID_PATTERN = re.compile(r"^ex(\d\d)_(\d\d)(?:_[a-z0-9_]+)?$")
_NBVAL_LINE = re.compile(r"^\s*#\s*NBVAL_[A-Z_]+\s*$")
#: tag of the cells that only the masters keep (prose-keeping asserts)
MASTER_ONLY = "master-only"
#: tag of a check cell -> the kind of exercise it grades
KIND_TAGS = {"exercise-value": "value", "exercise-code": "code",
             "exercise-judgement": "judgement"}
#: what a code check cell of a lesson holds
CHECK_CALL = 'check("{grade_id}")'
_IMPORTS_CHECK = re.compile(
    r"^(?:from utils\.course\.grading import [^\n]*\bcheck\b(?!s)|def check\()", re.MULTILINE)


class LessonFormatError(ValueError):
    """Raised when a master notebook breaks the lesson format of docs/design.md."""


def exercise_id(grade_id: str) -> str:
    """Return the exercise a cell id belongs to: ``ex00_01_answer`` → ``ex00_01``.

    >>> exercise_id("ex00_01_answer"), exercise_id("ex00_01")
    ('ex00_01', 'ex00_01')
    """
    if not isinstance(grade_id, str):
        raise TypeError(f"grade_id must be a str such as 'ex00_01', not "
                        f"{type(grade_id).__name__}: {grade_id!r}")
    match = KIT_ID_PATTERN.match(grade_id)
    return f"ex{match.group(1)}_{match.group(2)}" if match else grade_id


def cell_tags(cell) -> list[str]:
    tags = (as_cell(cell).get("metadata") or {}).get("tags", [])
    return [str(t) for t in tags] if isinstance(tags, list) else []


def is_master_only(cell) -> bool:
    """Tell whether a cell is kept in the masters only (tag ``master-only``)."""
    return MASTER_ONLY in cell_tags(cell)


def exercise_kind(cell) -> str:
    """Return the kind of exercise a check cell grades: ``value``, ``code`` or
    ``judgement`` (a written, markdown answer is a judgement; untagged means value).

    >>> from nbformat.v4 import new_code_cell
    >>> exercise_kind(new_code_cell("", metadata={"tags": ["exercise-code"]}))
    'code'
    >>> exercise_kind(new_code_cell(""))
    'value'
    """
    kinds = [KIND_TAGS[t] for t in cell_tags(cell) if t in KIND_TAGS]
    if kinds:
        return kinds[0]
    return "judgement" if cell.get("cell_type") == "markdown" else "value"


def _lines(source: str) -> list[str]:
    return source.split("\n")


def _cut_regions(source: str, begins, ends, begin: str, end: str, insert) -> tuple[str, bool]:
    """Cut every ``begin``…``end`` region out of ``source`` (markers included), putting
    ``insert(marker_line)`` in its place; ``begins``/``ends`` tell a marker line."""
    out, inside, found = [], False, False
    for line in _lines(source):
        if begins(line):
            if inside:
                raise LessonFormatError(f"nested {begin!r}")
            inside = found = True
            out.extend(insert(line))
        elif ends(line):
            if not inside:
                raise LessonFormatError(f"{end!r} without {begin!r}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise LessonFormatError(f"{begin!r} without {end!r}")
    return "\n".join(out), found


def replace_solutions(source: str, stub: str) -> tuple[str, bool]:
    """Replace solution regions with ``stub`` (indented like the marker)."""
    def indented_stub(line: str) -> list[str]:
        indent = line[: line.find(BEGIN_SOLUTION)]
        return [indent + stub_line for stub_line in stub.split("\n")]

    return _cut_regions(source, lambda line: line.strip() == BEGIN_SOLUTION,
                        lambda line: line.strip() == END_SOLUTION,
                        BEGIN_SOLUTION, END_SOLUTION, indented_stub)


def remove_hidden(source: str) -> tuple[str, bool]:
    """Remove hidden-test regions (lines matched the way nbgrader matches them)."""
    return _cut_regions(source, lambda line: "BEGIN HIDDEN TESTS" in line,
                        lambda line: "END HIDDEN TESTS" in line,
                        BEGIN_HIDDEN, END_HIDDEN, lambda line: [])


def drop_nbval_markers(source: str) -> str:
    return "\n".join(line for line in _lines(source) if not _NBVAL_LINE.match(line))


@dataclass
class _Scan:
    """What :func:`lesson_problems` has seen so far in a master, cell by cell."""

    number: str | None
    seen: dict[str, int] = field(default_factory=dict)
    answers: set[str] = field(default_factory=set)
    graded: set[str] = field(default_factory=set)
    imports_check: bool = False


def lesson_problems(nb: nbformat.NotebookNode, *, name: str = "") -> list[str]:
    """List every way a master notebook breaks nbgrader schema v3 or the kit's format.

    ``name`` (e.g. ``"00_getting_started"``) lets the check insist that exercise ids
    carry the lesson's number. An empty list means the master is fine.

    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> cell = new_code_cell("停戦 = 1", metadata={"nbgrader": {"grade": False,
    ...     "solution": True, "locked": False, "schema_version": 3,
    ...     "grade_id": "ex02_01_answer"}})
    >>> lesson_problems(new_notebook(cells=[cell]), name="01_tokenization")[0]
    'cell 1 (ex02_01_answer): belongs to lesson 02, but this is lesson 01'
    """
    nb = as_notebook(nb, what="the master")
    if not isinstance(name, str):
        raise TypeError(f"name must be a lesson name (str), not {type(name).__name__}: {name!r}")
    scan = _Scan(number=name[:2] if re.match(r"^\d\d_", name) else None)
    problems: list[str] = []
    for index, cell in enumerate(nb.cells, 1):
        problems += _cell_problems(cell, index, scan)
    for ex in sorted(scan.answers - scan.graded):
        problems.append(f"{ex}: has an answer cell but no check (grade) cell")
    return problems


def _cell_problems(cell, index: int, scan: _Scan) -> list[str]:
    """The problems of one cell: its tags, its nbgrader metadata, its markers."""
    where = f"cell {index}"
    source = cell.get("source", "")
    kinds = [t for t in cell_tags(cell) if t in KIND_TAGS]
    if is_master_only(cell):
        if "nbgrader" in cell.get("metadata", {}) or kinds:
            return [f"{where}: a master-only cell cannot be an exercise cell"]
        return []
    if cell.get("cell_type") == "code" and _IMPORTS_CHECK.search(source):
        scan.imports_check = True
    grader_meta = cell.get("metadata", {}).get("nbgrader", {})
    is_check = isinstance(grader_meta, dict) and bool(grader_meta.get("grade"))
    problems = []
    if len(kinds) > 1:
        problems.append(f"{where}: more than one kind tag ({', '.join(kinds)})")
    elif kinds and not is_check:
        problems.append(f"{where}: the tag {kinds[0]} belongs on a check (grade) cell")
    if "nbgrader" not in cell.get("metadata", {}):
        if BEGIN_SOLUTION in source or "BEGIN HIDDEN TESTS" in source:
            problems.append(f"{where}: has solution or hidden-test markers but no "
                            "nbgrader metadata")
        return problems
    meta = cell.metadata["nbgrader"]
    if not isinstance(meta, dict):
        return problems + [f"{where}: metadata.nbgrader must be an object"]
    problems += _schema_problems(meta, where)
    if any(meta.get(key) for key in ("grade", "solution", "locked", "task")):
        problems += _exercise_problems(cell, meta, index, scan)
    return problems


def _schema_problems(meta: dict, where: str) -> list[str]:
    """What makes ``metadata.nbgrader`` break schema v3: keys, version, flag types."""
    problems = []
    extra = sorted(set(meta) - V3_KEYS)
    if extra:
        problems.append(f"{where}: unknown nbgrader key(s) {extra}; schema v3 allows "
                        f"{sorted(V3_KEYS)}")
    missing = sorted(V3_REQUIRED - set(meta))
    if missing:
        problems.append(f"{where}: nbgrader metadata lacks {missing}")
    if meta.get("schema_version") != 3:
        problems.append(f"{where}: schema_version is {meta.get('schema_version')!r}, not 3")
    for key in ("grade", "locked", "solution", "task"):
        if key in meta and not isinstance(meta[key], bool):
            problems.append(f"{where}: nbgrader {key!r} must be true or false")
    return problems


def _exercise_problems(cell, meta: dict, index: int, scan: _Scan) -> list[str]:
    """What is wrong with an nbgrader cell as a cell of the kit's exercises."""
    grade, solution, task = bool(meta.get("grade")), bool(meta.get("solution")), \
        bool(meta.get("task"))
    grade_id = meta.get("grade_id")
    where = f"cell {index} ({grade_id})"
    if not isinstance(grade_id, str) or not grade_id:
        return [f"cell {index}: nbgrader cell without a grade_id"]
    problems = []
    if not GRADE_ID_PATTERN.match(grade_id):
        problems.append(f"{where}: grade_id may only hold letters, digits, _ and -")
    if grade_id in scan.seen:
        problems.append(f"{where}: grade_id also used by cell {scan.seen[grade_id]}")
    scan.seen[grade_id] = index
    match = KIT_ID_PATTERN.match(grade_id)
    if (grade or solution) and not match:
        problems.append(f"{where}: exercise ids look like ex00_01 (lesson, exercise), "
                        "optionally with a suffix such as ex00_01_answer")
    elif match and scan.number is not None and match.group(1) != scan.number:
        problems.append(f"{where}: belongs to lesson {match.group(1)}, but this is "
                        f"lesson {scan.number}")
    if grade:
        points = meta.get("points")
        if isinstance(points, bool) or not isinstance(points, (int, float)) or points < 0:
            problems.append(f"{where}: points must be a number >= 0, not {points!r}")
        scan.graded.add(exercise_id(grade_id))
    elif "points" in meta:
        problems.append(f"{where}: only grade cells carry points")
    if solution and not grade:
        scan.answers.add(exercise_id(grade_id))
    return problems + _cell_kind_problems(cell, grade, solution, task, where, scan)


def _cell_kind_problems(cell, grade: bool, solution: bool, task: bool, where: str,
                        scan: _Scan) -> list[str]:
    """What is wrong with the kind of an exercise cell, and with the markers in it."""
    problems = []
    code = cell.cell_type == "code"
    if cell.cell_type == "markdown" and grade != solution and not task:
        problems.append(f"{where}: a markdown grade cell must also be a solution cell "
                        "(and the other way round)")
    if task and cell.cell_type != "markdown":
        problems.append(f"{where}: task cells must be markdown")
    if code and grade and solution:
        problems.append(f"{where}: keep answer and check in separate cells (an answer "
                        "cell is solution-only, a check cell is grade-only)")
    if code and grade and not solution and not scan.imports_check:
        problems.append(f"{where}: no earlier cell runs `from utils.course.grading import "
                        "check` (or defines `check`), which the student's check cell calls")
    try:
        _, has_solution = replace_solutions(cell.get("source", ""), CODE_STUB)
        _, has_hidden = remove_hidden(cell.get("source", ""))
    except LessonFormatError as err:
        return problems + [f"{where}: {err}"]
    if has_solution and not solution:
        problems.append(f"{where}: solution markers in a cell that is not a solution cell")
    if has_hidden and not grade:
        problems.append(f"{where}: hidden tests in a cell that is not a grade cell")
    return problems
