"""Check an exercise from a notebook cell: kind questions on failure, one line on success.

A check cell of a master (``solutions/``) reads like this::

    from utils.course.grading import check, checks

    with checks("ex00_01") as test:
        test.is_instance(n_texts, int, "n_texts")
        test.hash(n_texts, "3c3a0e1c7e2d6c0b", "Did you count the rows of `corpus`?")
        ### BEGIN HIDDEN TESTS
        ...
        ### END HIDDEN TESTS

The student's lesson (``lessons/``) shows only ``check("ex00_01")``: release moves the
visible part of each check to ``lessons/checks/<lesson>.json`` and :func:`check` runs it
there, in the notebook's namespace.

* A failed check raises :class:`CheckFailed`. JupyterLab shows only its message (a
  question that points at the mistake, never the expected answer), yet the cell still has
  a real ``error`` output, so nbgrader and ``python -m utils grade`` score it zero.
* A passing block prints one short line, ``✅ ex00_01 passed.``, on stdout (never stderr,
  which graders count as a failure).
* Expected values are never written in plain text: compare a hash of the answer
  (:func:`answer_hash`, :meth:`Checks.hash`) or check properties (:meth:`Checks.that`).
* A name the student has not defined yet, or an answer of the wrong kind that makes a
  check crash, becomes a question too ("Is `n_texts` defined? ...").
* When the grader re-runs a notebook on a changed copy of the corpus
  (``utils/course/variant.py``), checks *record* instead of compare (:func:`set_recording`):
  each :meth:`Checks.hash` notes the hash of the answer, and the block reports what it
  noted as a display output that the grader reads. An answer typed in by hand gives the
  same hash on both corpora; a computed one follows the texts.
"""
from __future__ import annotations

import ast
import json
import numbers
import sys
import warnings
from collections.abc import Mapping
from pathlib import Path

from .hashing import answer_hash
from .i18n import translate, use_language

from ..paths import KIT_ROOT

__all__ = ["CheckFailed", "Checks", "checks", "check", "check_that", "answer_hash",
           "set_recording", "RECORD_MIME", "CHECKS_FOLDER"]

_RED, _RESET = "\x1b[31m", "\x1b[0m"

#: MIME type of the display output by which a check block in recording mode reports
RECORD_MIME = "application/vnd.jmedia-kit.record+json"
#: folder (beside the lessons) of the visible checks that :func:`check` runs
CHECKS_FOLDER = "checks"
_recording = False  # switched on by the grader's re-run only (:func:`set_recording`)


def set_recording(on: bool = True) -> None:
    """Make check blocks record answer hashes instead of comparing them (for the grader).

    >>> set_recording(True)
    >>> try:
    ...     with checks("ex99_01") as test:
    ...         test.hash(3, answer_hash(4), "Did you count the last line?")
    ... finally:
    ...     set_recording(False)
    ✅ ex99_01 recorded.
    """
    global _recording
    _recording = bool(on)


def _np_bool() -> type:
    """numpy's bool type if numpy is loaded (it is not an int subclass), else bool."""
    numpy = sys.modules.get("numpy")
    return numpy.bool_ if numpy is not None else bool


class CheckFailed(AssertionError):
    """A check that did not pass: a real error whose traceback is only its question.

    IPython calls ``_render_traceback_()`` instead of printing a traceback, so the student
    sees one line; the ``error`` output is still there for graders.

    >>> err = CheckFailed("Did you count characters, not bytes?", grade_id="ex00_02")
    >>> err._render_traceback_()
    ['\\x1b[31m❌ ex00_02: Did you count characters, not bytes?\\x1b[0m']
    >>> str(err)
    'Did you count characters, not bytes?'
    """

    def __init__(self, question: str, *, grade_id: str | None = None):
        question = translate(question)  # the edition's language (English: unchanged)
        super().__init__(question)
        self.question = question
        self.grade_id = grade_id

    def _render_traceback_(self) -> list[str]:
        where = f"{self.grade_id}: " if self.grade_id else ""
        return [f"{_RED}❌ {where}{self.question}{_RESET}"]


# --------------------------------------------------------------------------- checks

def check_that(condition, question: str, *, grade_id: str | None = None) -> None:
    """Raise :class:`CheckFailed` with ``question`` unless ``condition`` is true.

    >>> check_that(len("停戦") == 2, "Did you count characters?")
    >>> check_that(len("停戦") == 6, "Did you count bytes?")
    Traceback (most recent call last):
    ...
    utils.course.grading.CheckFailed: Did you count bytes?
    """
    if not condition:
        raise CheckFailed(question, grade_id=grade_id)


def _type_names(types) -> str:
    types = types if isinstance(types, tuple) else (types,)
    names = {"int": "a whole number (int)", "float": "a number (float)", "str": "a string (str)",
             "list": "a list", "dict": "a dict", "tuple": "a tuple", "bool": "True or False",
             "DataFrame": "a pandas DataFrame", "Series": "a pandas Series", "set": "a set"}
    return " or ".join(names.get(t.__name__, t.__name__) for t in types)


class Checks:
    """The checks of one exercise, used as ``with checks("ex00_01") as check: ...``.

    Each method raises :class:`CheckFailed` on failure; leaving the block without one
    prints ``✅ <grade_id> passed.`` and the optional ``success`` text.

    >>> text = "停戦合意"
    >>> with checks("ex00_01", success="Next: line counts.") as check:
    ...     check.is_instance(text, str, "text")
    ...     check.that(len(text) == 4, "Did you count characters?")
    ✅ ex00_01 passed. Next: line counts.
    """

    def __init__(self, grade_id: str, *, success: str = "", forbid=None, namespace=None):
        self.grade_id = grade_id
        self.success = success
        self.recording = _recording
        self._guard = None
        if forbid:  # see utils.course.helper_guard: the student's function may not call these
            from .helper_guard import HelperGuard

            self._guard = HelperGuard(forbid, namespace if namespace is not None else {})
        #: in recording mode: ``[expected digest, hash of the answer]`` per hash check
        self.records: list[list[str]] = []

    def __enter__(self) -> Checks:
        # A warning raised by the student's code while a check calls it (numpy's "divide by
        # zero in log", say) would print to stderr, and graders score a check cell with any
        # stderr output zero: the check, not a warning, decides. Warnings are recorded and
        # dropped inside the block.
        self._warnings = warnings.catch_warnings(record=True)
        self._warnings.__enter__()
        warnings.simplefilter("always")
        if self._guard is not None:
            self._guard.__enter__()
        return self

    def _report(self) -> None:
        """Report the records: a display output in a kernel, one line elsewhere."""
        payload = {"grade_id": self.grade_id, "hashes": self.records}
        ipython = sys.modules.get("IPython")
        get_shell = getattr(ipython, "get_ipython", None)  # None while IPython is loading
        shell = get_shell() if get_shell is not None else None
        if shell is None or not hasattr(shell, "display_pub"):
            print(f"✅ {self.grade_id} recorded.")
            return
        from IPython.display import display

        display({RECORD_MIME: payload, "text/plain": f"{self.grade_id} recorded"}, raw=True)

    def __exit__(self, etype, exc, tb) -> bool:
        caught = getattr(self, "_warnings", None)
        if caught is not None:
            self._warnings = None
            caught.__exit__(None, None, None)
        if self._guard is not None:
            self._guard.__exit__(None, None, None)
            if self._guard.violations and not (etype and issubclass(etype, KeyboardInterrupt)):
                raise CheckFailed(self._guard.violations[0], grade_id=self.grade_id) from None
        if etype is None:
            if self.recording:
                self._report()
                return False
            print(translate(f"✅ {self.grade_id} passed.")
                  + (f" {translate(self.success)}" if self.success else ""))
            return False
        if issubclass(etype, CheckFailed):
            if exc.grade_id is None:
                exc.grade_id = self.grade_id
            return False
        if issubclass(etype, (KeyboardInterrupt, SystemExit, GeneratorExit)):
            return False
        if issubclass(etype, NameError):
            name = getattr(exc, "name", None) or str(exc)
            raise CheckFailed(
                f"Is `{name}` defined? Run your answer cell above (Shift+Enter), "
                "then this check again.", grade_id=self.grade_id) from None
        if issubclass(etype, NotImplementedError):
            raise CheckFailed("Have you written your answer yet? Replace `raise "
                              "NotImplementedError()` in the cell above with your code.",
                              grade_id=self.grade_id) from None
        raise CheckFailed(
            f"The check could not run on your answer ({etype.__name__}: {exc}). Is your "
            "answer the kind of value the exercise asks for?", grade_id=self.grade_id) from None

    def fail(self, question: str):
        """Fail with ``question`` (for checks that need their own logic)."""
        raise CheckFailed(question, grade_id=self.grade_id)

    def that(self, condition, question: str) -> None:
        """Fail with ``question`` unless ``condition`` is true."""
        if not condition:
            self.fail(question)

    def is_instance(self, value, types, name: str) -> None:
        """Fail unless ``value`` is one of ``types`` (``bool`` is not accepted as ``int``).

        Asking for ``int`` or ``float`` also accepts numpy's integers and floats (what a
        pandas sum or count returns), since a student cannot tell them apart on screen.
        """
        accepted = types if isinstance(types, tuple) else (types,)
        wrong_bool = isinstance(value, (bool, _np_bool())) and bool not in accepted
        widened = accepted
        if int in accepted:
            widened += (numbers.Integral,)
        if float in accepted:
            widened += (numbers.Real,)
        if wrong_bool or not isinstance(value, widened):
            self.fail(f"Is `{name}` {_type_names(types)}? Right now it is "
                      f"{_type_names(type(value))}.")

    def has_columns(self, frame, columns, name: str) -> None:
        """Fail unless ``frame`` is a DataFrame holding every one of ``columns``."""
        present = list(getattr(frame, "columns", []))
        if not hasattr(frame, "columns"):
            self.fail(f"Is `{name}` a pandas DataFrame? Right now it is "
                      f"{_type_names(type(frame))}.")
        missing = [c for c in columns if c not in present]
        if missing:
            self.fail(f"Does `{name}` have the column(s) {', '.join(map(repr, missing))}? "
                      f"It has {', '.join(map(repr, present[:8]))}.")

    def hash(self, value, digest: str, question: str, *, digits: int | None = None,
             wrong: Mapping[str, str] | None = None) -> None:
        """Fail with ``question`` unless ``answer_hash(value, digits=digits) == digest``.

        ``wrong`` maps the hashes of common wrong answers to a question aimed at that
        mistake ("Did you count bytes instead of characters?"). In recording mode the
        hash is noted, not compared.
        """
        try:
            got = answer_hash(value, digits=digits)
        except TypeError:
            self.fail(f"{question} (Your answer is {_type_names(type(value))}, which this "
                      "check cannot compare.)")
        if self.recording:
            self.records.append([digest, got])
            return
        if got != digest:
            self.fail((wrong or {}).get(got, question))


def checks(grade_id: str, *, success: str = "", forbid=None) -> Checks:
    """Start the checks of exercise ``grade_id``: ``with checks("ex00_01") as test:``.

    ``forbid`` (write-code exercises) maps the student's function to the ``utils`` helpers
    it may not call, ``{"keyness_table": ["keyness"]}`` (see :mod:`utils.course.helper_guard`).

    >>> with checks("ex00_02") as test:
    ...     test.hash(len("ウクライナ"), answer_hash(5), "Did you count characters?")
    ✅ ex00_02 passed.
    """
    return Checks(grade_id, success=success, forbid=forbid,
                  namespace=sys._getframe(1).f_globals if forbid else None)


# --------------------------------------------------------------------------- check("ex00_01")

def _checks_file(grade_id: str) -> Path:
    """Find the file of visible checks that holds ``grade_id`` (lesson ``ex<NN>_…``)."""
    number = grade_id[2:4] if grade_id.startswith("ex") else ""
    kit = KIT_ROOT
    places = [Path.cwd() / CHECKS_FOLDER, kit / "lessons" / CHECKS_FOLDER]
    for folder in places:
        found = sorted(folder.glob(f"{number}_*.json")) if number.isdigit() else []
        if found:
            return found[0]
    raise CheckFailed(f"Where are the checks of this lesson? No {CHECKS_FOLDER}/{number}_*.json "
                      "beside this notebook nor in the kit's lessons/ folder: open the notebook "
                      "from lessons/ (or ask your instructor for the checks folder).",
                      grade_id=grade_id)


def _visible_code(grade_id: str) -> str:
    """The visible check of ``grade_id``; its file's language becomes the messages'."""
    path = _checks_file(grade_id)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        code = data["checks"][grade_id]
        use_language(data.get("language", "en"), data.get("messages"), data.get("templates"))
    except (OSError, ValueError, KeyError, TypeError):
        raise CheckFailed(f"The checks file {path.name} has no check {grade_id}: is it the "
                          "file that came with this lesson?", grade_id=grade_id) from None
    return code


def check(grade_id: str, *, namespace: dict | None = None):
    """Run the visible checks of exercise ``grade_id`` on the notebook's variables.

    This is what a student's check cell holds: ``check("ex00_01")``. The checks come from
    ``checks/<lesson>.json`` beside the lesson (written by ``python -m utils release``)
    and run in the caller's namespace (``namespace`` to give another); names they bind
    do not leak into it. A check ending in a value (partial credit) returns it.

    >>> import json, os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> os.mkdir(os.path.join(folder, "checks"))
    >>> code = 'with checks("ex99_01") as test:\\n    test.that(n == 2, "Is n two?")'
    >>> with open(os.path.join(folder, "checks", "99_demo.json"), "w") as f:
    ...     json.dump({"checks": {"ex99_01": code}}, f)
    >>> here = os.getcwd(); os.chdir(folder)
    >>> check("ex99_01", namespace={"n": 2})
    ✅ ex99_01 passed.
    >>> os.chdir(here)
    """
    code = _visible_code(grade_id)
    if namespace is None:
        namespace = sys._getframe(1).f_globals
    scope = dict(namespace)
    scope.setdefault("checks", checks)
    tree = ast.parse(code, filename=f"<check {grade_id}>")
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    exec(compile(tree, f"<check {grade_id}>", "exec"), scope)
    if last is not None:
        return eval(compile(last, f"<check {grade_id}>", "eval"), scope)
    return None
