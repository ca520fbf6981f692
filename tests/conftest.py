"""Shared fixtures: paths of the kit, tiny synthetic lessons, graded runs of every lesson.

Expensive things (running notebooks in kernels) happen once per test session, and in a
background thread that starts as soon as collection shows a selected test needs them
(:func:`background`): the kernels then use the core that the single-threaded tests leave
idle, and the notebook tests stay cheap as lessons are added. ``KIT_TIME_BUILDERS=1
pytest -s`` prints how long each background builder took.
"""
from __future__ import annotations

import concurrent.futures
import copy
import os
import shutil
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from utils.course.notebooks import KIT_ROOT, notebook_text

# nbconvert imports bleach, which imports its vendored html5lib sanitizer inside
# warnings.catch_warnings() to hide a DeprecationWarning. catch_warnings is not
# thread-safe: when the first import of nbconvert happens in a background builder while
# another thread changes the warning filters, the warning escapes and, under the suite's
# filterwarnings = error, fails the builder. Import it once here, in the main thread.
import nbconvert.preprocessors  # noqa: E402,F401

SOLUTIONS = KIT_ROOT / "solutions"
LESSONS = KIT_ROOT / "lessons"


def solution_notebooks() -> list[Path]:
    """Every master notebook, for ``pytest.mark.parametrize`` (ids: the file stems)."""
    return sorted(SOLUTIONS.glob("*.ipynb"))


#: the masters whose selected tests need the graded class (set at collection)
SELECTED_MASTERS: set[Path] = set()


@pytest.fixture(scope="session")
def kit_root() -> Path:
    return KIT_ROOT


@pytest.fixture(scope="session")
def corpus():
    """The bundled corpus, loaded once per session (tests must not modify it)."""
    import utils

    return utils.load_corpus()


@pytest.fixture(scope="session")
def tokens(corpus):
    """The token table of the bundled corpus, tokenized once per session (read-only)."""
    import utils

    return utils.tokenize(corpus)


# --------------------------------------------------------------------------- background work

_BUILDERS: dict[str, tuple[object, str]] = {}  # fixture name -> (builder(workdir), pool)
_FUTURES: dict[str, concurrent.futures.Future] = {}
# "kernels": one thread, whose builders run notebooks with their own parallel workers;
# "processes": two threads that each wait for one child Python (a command-line test)
_POOL_THREADS = {"kernels": 2, "processes": 2}
_EXECUTORS: dict[str, concurrent.futures.ThreadPoolExecutor] = {}
_WORKDIR: Path | None = None


def background(fixture_name: str, *, pool: str = "kernels"):
    """Register ``builder(workdir)`` as the value of a fixture, computed in a background
    thread from the end of collection on (if a selected test uses that fixture).

    The fixture itself calls :func:`background_result`. Builders must not touch global
    state the tests use (``sys.stdout``, the working directory, warning filters). Use
    ``pool="processes"`` for a builder that only waits for a child process.
    """
    if pool not in _POOL_THREADS:
        raise ValueError(f"pool must be one of {sorted(_POOL_THREADS)}, got {pool!r}")

    def register(builder):
        _BUILDERS[fixture_name] = (builder, pool)
        return builder
    return register


def _start(name: str) -> concurrent.futures.Future:
    global _WORKDIR
    if name not in _FUTURES:
        builder, pool = _BUILDERS[name]
        if pool not in _EXECUTORS:
            _EXECUTORS[pool] = concurrent.futures.ThreadPoolExecutor(
                _POOL_THREADS[pool], thread_name_prefix=pool)
        if _WORKDIR is None:
            _WORKDIR = Path(tempfile.mkdtemp(prefix="kit-tests-"))
        folder = _WORKDIR / name
        folder.mkdir()

        def timed(builder=builder, folder=folder, name=name):
            t = time.monotonic()
            try:
                return builder(folder)
            finally:
                if os.environ.get("KIT_TIME_BUILDERS"):
                    print(f"\n[builder {name}: {time.monotonic() - t:.1f} s]", flush=True)
        _FUTURES[name] = _EXECUTORS[pool].submit(timed)
    return _FUTURES[name]


def background_result(name: str):
    """Wait for (or compute) the value of a :func:`background` builder."""
    return _start(name).result()


@pytest.hookimpl(trylast=True)  # after -k / -m deselection
def pytest_collection_modifyitems(session, config, items):
    """Start the background builders the selected tests need; run nbval's notebooks first
    and the tests that wait for a builder last (each group in its usual order).

    While nbval runs a notebook, this process mostly waits for that kernel: the builders'
    kernels get the other core then, and the in-process unit tests fill the time until
    the builders are done.
    """
    def waits(item):
        return any(name in _BUILDERS for name in getattr(item, "fixturenames", ()))

    def is_nbval(item):
        return type(item).__module__.split(".")[0] == "nbval"

    used = {name for item in items for name in getattr(item, "fixturenames", ())}
    # the graded class holds only the lessons whose tests were selected (-k 01_tokenization)
    for item in items:
        if {"graded_class", "graded_lessons"} & set(getattr(item, "fixturenames", ())):
            callspec = getattr(item, "callspec", None)
            chosen = callspec.params.get("master") if callspec is not None else None
            SELECTED_MASTERS.add(Path(chosen) if chosen else solution_notebooks()[0])
    for name in _BUILDERS:
        if name in used:
            _start(name)
    items.sort(key=lambda i: 0 if is_nbval(i) else 2 if waits(i) else 1)  # stable sort


def pytest_sessionfinish(session, exitstatus):
    for future in _FUTURES.values():
        future.cancel()
    for executor in _EXECUTORS.values():
        executor.shutdown(wait=True)
    if _WORKDIR is not None:
        shutil.rmtree(_WORKDIR, ignore_errors=True)


# --------------------------------------------------------------------------- tiny lessons

def nbgrader_cell(cell, grade_id, *, grade=False, solution=False, points=None, locked=None):
    """Give a cell nbgrader schema v3 metadata (a check when ``grade``, an answer when
    ``solution``)."""
    meta = {"grade": grade, "grade_id": grade_id,
            "locked": (grade and not solution) if locked is None else locked,
            "schema_version": 3, "solution": solution}
    if grade:
        meta["points"] = points
    cell.metadata["nbgrader"] = meta
    return cell


HIDDEN_TOKEN = "HIDDEN_SOURCE_TOKEN_7f3a"
#: the tiny lessons' set-up: `check` imports utils (and pandas) only when a check runs, so
#: that the many kernels of the grading tests start fast
TINY_SETUP = ("import math\n\n\ndef check(grade_id):\n"
              "    from utils.course.grading import check as run\n"
              "    return run(grade_id, namespace=globals())")


def tiny_master(number: str = "98") -> nbformat.NotebookNode:
    """A small master lesson with four exercises: a hidden test, an indented stub, partial
    credit and a written (markdown) answer. Its checks are plain ``assert`` s and it
    imports nothing heavy, so its kernel starts fast (utils.course.grading is tested on its own
    and through the real lessons)."""
    ex = f"ex{number}"
    cells = [
        new_markdown_cell(f"# {number} · A tiny lesson for tests", id="title"),
        new_code_cell(TINY_SETUP, id="setup"),
        nbgrader_cell(new_code_cell("### BEGIN SOLUTION\nx = 6 * 7\n### END SOLUTION",
                                    id="a1"), f"{ex}_01_answer", solution=True),
        nbgrader_cell(new_code_cell(
            'assert x == math.prod([6, 7]), "Is `x` the product of 6 and 7?"\n'
            "### BEGIN HIDDEN TESTS\n"
            f"# {HIDDEN_TOKEN}\n"
            'assert x % 2 == 0, "Is `x` an even number?"\n'
            "### END HIDDEN TESTS", id="c1"), f"{ex}_01", grade=True, points=2),
        nbgrader_cell(new_code_cell(
            "def double(n):\n    ### BEGIN SOLUTION\n    return 2 * n\n    ### END SOLUTION",
            id="a2"), f"{ex}_02_answer", solution=True),
        nbgrader_cell(new_code_cell(
            'assert double(4) == 8, "Does `double` return twice its argument?"',
            id="c2"), f"{ex}_02", grade=True, points=3),
    ]
    if number == "98":
        cells += [
            nbgrader_cell(new_code_cell(
                '### BEGIN SOLUTION\nwords = ["停戦", "和平"]\n### END SOLUTION', id="a3"),
                f"{ex}_03_answer", solution=True),
            nbgrader_cell(new_code_cell(
                'assert len(words) > 0, "Did you put any word in `words`?"\n'
                "1.0 if len(words) == 1 else 2.0", id="c3"), f"{ex}_03", grade=True,
                points=2),
            new_markdown_cell("Why count per 1,000 characters? (1 point)", id="q4"),
            nbgrader_cell(new_markdown_cell(
                "### BEGIN SOLUTION\nBecause long texts mention everything more often.\n"
                "### END SOLUTION", id="a4"), f"{ex}_04", grade=True, solution=True,
                points=1),
        ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)",
                                 "language": "python", "name": "python3"}
    return nb


@pytest.fixture
def tiny_solutions(tmp_path) -> Path:
    """A ``solutions/`` folder holding the tiny masters 97_other and 98_tiny."""
    folder = tmp_path / "solutions"
    folder.mkdir()
    (folder / "98_tiny.ipynb").write_text(notebook_text(tiny_master("98")), encoding="utf-8")
    (folder / "97_other.ipynb").write_text(notebook_text(tiny_master("97")), encoding="utf-8")
    return folder


# --------------------------------------------------------------------------- graded lessons

#: lesson-00 students whose answers are right but touch their copy of the kit: (student,
#: answer cell, code appended to its answer). tests/course/test_autograde.py has a student who
#: deletes another student's file on the real disk.
TAMPERERS = [
    ("a-writes-corpus", "ex00_02_answer",
     "with open(utils.CORPUS_DIR / 'texts' / '001.txt', 'a', encoding='utf-8') as f:\n"
     "    f.write('!')"),
    ("b-deletes-utils", "ex00_03_answer",
     "import os, pathlib\nos.remove(pathlib.Path(utils.__file__).parent / 'analysis' / 'kwic.py')"),
]


def _tampered(master: Path, answer_id: str, code: str) -> str:
    nb = nbformat.read(master, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == answer_id:
            cell.source += "\n" + code
    return notebook_text(nb)


@background("graded_lessons")
def _grade_every_lesson(root: Path) -> dict:
    """One class: per lesson the blank lesson and the typed-in submission; for the first
    lesson also the solution and two students whose answers touch the kit (graded before
    the solution). Graded in two runs at once: what is ready at the start (the blank
    lessons, and the first lesson's submissions, whose typed-in values nbval gives within
    seconds), and each other typed-in submission as soon as nbval has run its master."""
    import hashlib
    import threading

    from typed_in import typed_in_submission
    from utils.course.autograde import grade
    from utils.course.release import release_text

    first = solution_notebooks()[0]
    chosen = [m for m in solution_notebooks() if not SELECTED_MASTERS or m in SELECTED_MASTERS]
    tamper = first in chosen
    students = ["solution", "lesson", "typed"] + [t[0] for t in TAMPERERS]
    for student in students:
        (root / student).mkdir()
    # a copy of the masters: the grader guards its masters folder, and someone may be
    # editing solutions/ while the tests run
    masters = root / "masters" / "solutions"
    shutil.copytree(SOLUTIONS, masters, ignore=shutil.ignore_patterns(".*"))
    watched = [p for folder in (KIT_ROOT / "corpus", KIT_ROOT / "utils")
               for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts]
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in watched}
    typed_complete: set[str] = set()
    rows: list = []
    errors: list = []

    def typed(master: Path) -> Path:
        text, complete = typed_in_submission(master)
        typed_complete.update(complete)
        path = root / "typed" / master.name
        path.write_text(text, "utf-8")
        return path

    def run(paths: list[Path] | None = None, *, master: Path | None = None,
            jobs: int = 2) -> None:
        try:
            if master is not None:
                paths = [typed(master)]  # waits until nbval has run that master
            rows.extend(grade(paths, solutions=masters, jobs=jobs, timeout=60))
        except BaseException as err:  # re-raised below, in the builder's thread
            errors.append(err)

    for master in chosen:
        # The grader runs every fresh lesson, but only the first master: the other masters'
        # checks are graded from their saved outputs (tests/course/test_notebooks.py), which nbval
        # proves are what the notebook prints today. This keeps the suite's time in check.
        (root / "lesson" / master.name).write_text(release_text(master), encoding="utf-8")
    now = [root / "lesson" / m.name for m in chosen]
    if tamper:
        (root / "solution" / first.name).write_bytes(first.read_bytes())
        for student, answer_id, code in TAMPERERS:
            (root / student / first.name).write_text(_tampered(first, answer_id, code), "utf-8")
        now += [root / s / first.name for s in ["solution"] + [t[0] for t in TAMPERERS]]
        now.append(typed(first))
    # each typed-in submission is graded as soon as nbval has run its master
    threads = [threading.Thread(target=run, args=(now,))]
    threads += [threading.Thread(target=run, kwargs={"master": m, "jobs": 1})
                for m in chosen if m != first]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in watched if p.is_file()}
    runs: dict[str, dict[str, list]] = {}
    for row in rows:
        entry = runs.setdefault(row.lesson, {s: [] for s in students})
        if row.status == "not-submitted":
            continue
        entry[row.student].append(row)
    return {"runs": runs, "typed_complete": typed_complete, "kit_unchanged": before == after}


@pytest.fixture(scope="session")
def graded_class() -> dict:
    """The class of :func:`_grade_every_lesson`: ``runs`` is ``{lesson name: {student:
    rows}}``; ``kit_unchanged`` says whether corpus/ and utils/ are as before."""
    return background_result("graded_lessons")


@pytest.fixture(scope="session")
def graded_lessons(graded_class) -> dict[str, dict[str, list]]:
    """Every solution notebook and its freshly generated lesson, graded once, in parallel.

    Returns ``{lesson name: {student: rows}}`` (gradebook rows of
    :func:`utils.course.autograde.grade`) for the students ``solution`` (the first lesson only),
    ``lesson`` (blank), ``typed`` (answers typed in) and the kit's tamperers.
    """
    return graded_class["runs"]


def copy_nb(nb):
    return copy.deepcopy(nb)
