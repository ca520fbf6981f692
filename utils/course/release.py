"""Generate the student lessons in ``lessons/`` from the masters in ``solutions/``.

``python -m utils release`` turns every ``solutions/NN_topic.ipynb`` into
``lessons/NN_topic.ipynb`` the way ``nbgrader generate_assignment`` would:

* each ``### BEGIN SOLUTION`` … ``### END SOLUTION`` region becomes
  ``# YOUR CODE HERE`` + ``raise NotImplementedError()`` (a markdown answer becomes
  ``YOUR ANSWER HERE``), indented like the marker;
* ``### BEGIN HIDDEN TESTS`` … ``### END HIDDEN TESTS`` regions disappear;
* cells tagged ``master-only`` (the asserts that keep the prose honest) are left out;
* each code check cell becomes one line, ``check("ex00_01")``: its visible part (the
  cell without its hidden tests) goes to ``lessons/checks/<lesson>.json``, which
  :func:`utils.course.grading.check` runs;
* outputs and execution counts are cleared, ``# NBVAL_…`` markers are dropped;
* check cells are locked (not editable, not deletable), answer cells are not deletable;
* nbgrader's ``checksum`` and ``cell_type`` are set, so nbgrader accepts the files.

A check cell may carry one tag saying what kind of exercise it grades (``exercise-value``,
``exercise-code`` or ``exercise-judgement``; :func:`exercise_kind`): the grader re-runs
value and code exercises on a changed corpus, and leaves judgements out of that run.

The output is byte-identical on every run and machine. ``--check`` compares instead of
writing and fails when a committed lesson is stale (what CI runs).
"""
from __future__ import annotations

import argparse
import difflib
import json
import os
import shlex
import sys
from pathlib import Path

import nbformat

from .editions import edition_checks, edition_notebook, prose_of, visible_messages
from .execute import stable_metadata
from .grading import CHECKS_FOLDER
from .lesson_format import (CHECK_CALL, CODE_STUB, TEXT_STUB, LessonFormatError,
                            drop_nbval_markers, is_master_only, lesson_problems,
                            remove_hidden, replace_solutions)
from .nbfile import as_notebook
from .nbgrader_rules import compute_checksum, is_grade, is_locked, is_solution, nbgrader_meta
from .notebooks import LESSONS_DIR, SOLUTIONS_DIR, notebook_text, read_notebook, write_atomic
from .outputs import check_output_folder
from .translations import TRANSLATED, catalog_path, catalog_problems

__all__ = ["release_notebook", "release_text", "visible_checks", "checks_text", "release",
           "main"]


def release_notebook(master: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return the student rendering of a master notebook (the master is not changed).

    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> setup = new_code_cell("from utils.course.grading import check, checks", id="s")
    >>> answer = new_code_cell("n = 1\\n### BEGIN SOLUTION\\nn = len('停戦')\\n"
    ...                        "### END SOLUTION", id="a1")
    >>> answer.metadata["nbgrader"] = {"grade": False, "solution": True, "locked": False,
    ...                                "grade_id": "ex00_01_answer", "schema_version": 3}
    >>> test = new_code_cell("assert n == 2\\n### BEGIN HIDDEN TESTS\\nassert n > 1\\n"
    ...                      "### END HIDDEN TESTS", id="c1")
    >>> test.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True,
    ...                              "grade_id": "ex00_01", "points": 1, "schema_version": 3}
    >>> prose = new_code_cell("assert len('停戦') == 2", id="p",
    ...                       metadata={"tags": ["master-only"]})
    >>> lesson = release_notebook(new_notebook(cells=[setup, answer, test, prose]))
    >>> print(lesson.cells[1].source)
    n = 1
    # YOUR CODE HERE
    raise NotImplementedError()
    >>> print(lesson.cells[2].source)
    check("ex00_01")
    >>> lesson.cells[2].metadata["editable"], lesson.cells[2].metadata["deletable"]
    (False, False)
    >>> len(lesson.cells)  # the master-only cell is left out
    3
    """
    master = as_notebook(master, what="the master")
    problems = lesson_problems(master)
    if problems:
        raise LessonFormatError("; ".join(problems))
    nb = stable_metadata(master)
    nb.cells = [cell for cell in nb.cells if not is_master_only(cell)]
    for cell in nb.cells:
        cell.metadata.pop("editable", None)
        cell.metadata.pop("deletable", None)
        if "tags" in cell.metadata:
            tags = [t for t in cell.metadata["tags"] if not str(t).startswith("nbval-")]
            if tags:
                cell.metadata["tags"] = tags
            else:
                del cell.metadata["tags"]
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.source = drop_nbval_markers(cell.source)
        if not nbgrader_meta(cell):
            cell.metadata.pop("nbgrader", None)
            continue
        stub = CODE_STUB if cell.cell_type == "code" else TEXT_STUB
        if is_solution(cell):
            source, replaced = replace_solutions(cell.source, stub)
            cell.source = source if replaced else stub
        if is_grade(cell) and not is_solution(cell) and cell.cell_type == "code":
            cell.source = CHECK_CALL.format(grade_id=nbgrader_meta(cell)["grade_id"])
        # lock like nbgrader's LockCells with its defaults
        if is_solution(cell):
            cell.metadata["deletable"] = False
        elif is_grade(cell) or is_locked(cell):
            cell.metadata["deletable"] = False
            cell.metadata["editable"] = False
        meta = cell.metadata["nbgrader"]
        meta.pop("checksum", None)
        meta.pop("cell_type", None)
        if is_grade(cell) or is_solution(cell) or is_locked(cell):
            meta["checksum"] = compute_checksum(cell)
            meta["cell_type"] = cell.cell_type
    return nb


def visible_checks(master: nbformat.NotebookNode) -> dict[str, str]:
    """Return ``{grade_id: visible source}`` of every code check cell of a master: the
    cell without its hidden tests and ``# NBVAL_…`` lines, as :func:`utils.course.grading.check`
    runs it for a student."""
    found = {}
    for cell in as_notebook(master, what="the master").cells:
        if (cell.cell_type == "code" and is_grade(cell) and not is_solution(cell)
                and not is_master_only(cell)):
            source, _ = remove_hidden(drop_nbval_markers(cell.source))
            found[nbgrader_meta(cell)["grade_id"]] = source.rstrip("\n")
    return found


def checks_text(master: nbformat.NotebookNode, name: str) -> str:
    """Return the content of ``lessons/checks/<name>.json``: the visible checks of a
    master, as stable JSON (UTF-8, sorted keys, LF)."""
    data = {"lesson": name,
            "about": f"Generated by `python -m utils release` from solutions/{name}.ipynb: "
                     "the visible checks that check(\"exNN_MM\") runs. Do not edit; the "
                     "grader always uses the masters.",
            "checks": visible_checks(master)}
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def release_text(path: str | os.PathLike, *, language: str = "en") -> str:
    """Return the file content of the lesson generated from master ``path``, in the
    ``language`` edition (``"ja"``: ``lessons/ja/``)."""
    path = Path(path)
    nb = read_notebook(path)
    if language == "en":
        return _lesson_text(nb, path)
    found = _editions(nb, path, checks_text(nb, path.stem))
    key = f"{language}/{path.name}"
    if key not in found:
        raise LessonFormatError(f"{path.name} has no {language} edition (no "
                                f"{catalog_path(path, language)})")
    return found[key]


def _lesson_text(master: nbformat.NotebookNode, path: Path) -> str:
    problems = lesson_problems(master, name=path.stem)
    if problems:
        raise LessonFormatError(f"{path.name}:\n  " + "\n  ".join(problems))
    return notebook_text(release_notebook(master))


def _editions(nb: nbformat.NotebookNode, master: Path, checks_json: str) -> dict[str, str]:
    """The other-language editions of one master: ``{relative path: text}`` for each
    language it has a catalog for (none: English only). An incomplete catalog is a
    :class:`LessonFormatError` that lists what is missing."""
    outputs = {}
    for language in TRANSLATED:
        if not catalog_path(master, language).is_file():
            continue
        problems = catalog_problems(master, language)
        if problems:
            more = f"\n  … and {len(problems) - 12} more" if len(problems) > 12 else ""
            raise LessonFormatError(
                f"{master.name}: the {language} edition is not complete (see "
                "docs/translation.md):\n  " + "\n  ".join(problems[:12]) + more)
        lesson = edition_notebook(release_notebook(nb), prose_of(master, language), language)
        outputs[f"{language}/{master.name}"] = notebook_text(lesson)
        outputs[f"{language}/{CHECKS_FOLDER}/{master.stem}.json"] = edition_checks(
            checks_json, *visible_messages(master, language), language)
    return outputs


def release(solutions: str | os.PathLike = SOLUTIONS_DIR,
            lessons: str | os.PathLike = LESSONS_DIR, *, check: bool = False,
            names: list[str] | None = None) -> list[str]:
    """Generate ``lessons/`` (and ``lessons/checks/``) from ``solutions/``; return the
    files that were stale, relative to ``lessons``.

    With ``check=True`` nothing is written. A lesson without a master counts as stale.
    """
    solutions, lessons = Path(solutions), Path(lessons)
    masters = _masters(solutions, lessons, names)
    outputs = {}  # every master is read and checked before anything is written
    for master in masters:
        nb = read_notebook(master)
        outputs[master.name] = _lesson_text(nb, master)
        outputs[f"{CHECKS_FOLDER}/{master.stem}.json"] = checks_text(nb, master.stem)
        outputs.update(_editions(nb, master, outputs[f"{CHECKS_FOLDER}/{master.stem}.json"]))
    stale = []
    for relative, text in outputs.items():
        target = lessons / relative
        current = target.read_bytes() if target.is_file() else None
        if current != text.encode("utf-8"):
            stale.append(relative)
            if not check:
                write_atomic(target, text)
    if not names:
        for edition in ("", *(f"{language}/" for language in TRANSLATED)):
            stale += sorted(f"{edition}{p.name}" for p in lessons.glob(f"{edition}*.ipynb")
                            if f"{edition}{p.name}" not in outputs)
            stale += sorted(f"{edition}{CHECKS_FOLDER}/{p.name}"
                            for p in (lessons / edition / CHECKS_FOLDER).glob("*.json")
                            if f"{edition}{CHECKS_FOLDER}/{p.name}" not in outputs)
    return stale


def _masters(solutions: Path, lessons: Path, names: list[str] | None) -> list[Path]:
    """The masters to release: every one of ``solutions``, or those ``names`` choose.

    Raises FileNotFoundError for a missing folder, NotADirectoryError for a file given as
    a folder and LessonFormatError for a name that matches no master, before any work.
    """
    if not solutions.is_dir():
        raise (NotADirectoryError(f"--solutions {solutions} is a file, not a folder of "
                                  "master notebooks") if solutions.exists() else
               FileNotFoundError(f"--solutions {solutions}: no such folder"))
    check_output_folder(lessons, inputs=[solutions], option="--lessons")
    masters = sorted(solutions.glob("*.ipynb"))
    if not masters:
        raise FileNotFoundError(f"--solutions {solutions}: no master notebooks (*.ipynb) in "
                                "it")
    if names:
        by_stem = {m.stem: m for m in masters}
        unknown = [n for n in names if Path(n).stem not in by_stem]
        if unknown:
            close = difflib.get_close_matches(Path(unknown[0]).stem, by_stem, n=1)
            raise LessonFormatError(
                f"no lesson {', '.join(map(repr, unknown))} in {solutions}"
                + (f"; did you mean {close[0]!r}?" if close else "")
                + f" The lessons are {', '.join(by_stem)}")
        wanted = {Path(n).stem for n in names}
        masters = [m for m in masters if m.stem in wanted]
    return masters


def _release_command(args) -> str:
    """The command that writes what ``release --check`` with ``args`` found stale."""
    words = ["python -m utils release", *args.notebooks]
    if args.solutions != SOLUTIONS_DIR:
        words += ["--solutions", shlex.quote(str(args.solutions))]
    if args.lessons != LESSONS_DIR:
        words += ["--lessons", shlex.quote(str(args.lessons))]
    return " ".join(words)


def main(argv: list[str] | None = None) -> int:
    """``python -m utils release [--check] [NB ...]``."""
    parser = argparse.ArgumentParser(
        prog="python -m utils release",
        description="Generate the student notebooks in lessons/ from the masters in "
                    "solutions/ (solutions become stubs, hidden tests disappear, outputs are "
                    "cleared, checks are locked, nbgrader checksums are set).")
    parser.add_argument("notebooks", nargs="*", help="only these lessons (default: all)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a committed lesson is stale")
    parser.add_argument("--solutions", type=Path, default=SOLUTIONS_DIR,
                        help="folder of master notebooks (default: the kit's solutions/)")
    parser.add_argument("--lessons", type=Path, default=LESSONS_DIR,
                        help="folder of generated lessons (default: the kit's lessons/)")
    args = parser.parse_args(argv)
    try:
        stale = release(args.solutions, args.lessons, check=args.check, names=args.notebooks)
    except (OSError, ValueError) as err:  # LessonFormatError, NotebookFileError
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.check:
        if not args.lessons.is_dir():
            print(f"error: --lessons {args.lessons} does not exist, so every lesson is "
                  f"missing; run `{_release_command(args)}` to write them", file=sys.stderr)
            return 1
        if stale:
            print(f"stale lessons (run `{_release_command(args)}`): " + ", ".join(stale),
                  file=sys.stderr)
            return 1
        print(f"{args.lessons.name}/ is up to date")
        return 0
    orphans = [n for n in stale
               if not (args.solutions / (Path(n).stem + ".ipynb")).is_file()]
    for name in stale:
        if name in orphans:
            print(f"warning: lessons/{name} has no master in solutions/; remove it",
                  file=sys.stderr)
        else:
            print(f"wrote {args.lessons.name}/{name}")
    if not stale:
        print("lessons/ is up to date")
    return 0
