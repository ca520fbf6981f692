"""Keep a write-code exercise honest: the student's function may not call the kit's helper.

In a write-code exercise the student writes the method (a keyness table, the inertia of a
correspondence analysis, a concordance) and the kit's helper that does the same comes
right after it. Without a guard, one call to that helper inside the student's function
passes every check, hidden tests included: the exercise would measure finding the helper,
not the skill. :class:`HelperGuard` replaces the named helpers while a check block runs
by stand-ins that behave exactly like them, except when the student's function is on the
call stack: then the call is recorded as a violation and fails the check. The check's own
reference answers, computed with the same helpers outside the student's function, are
unaffected.

>>> import utils
>>> def shortcut(tokens):
...     return utils.frequencies(tokens)
>>> guard = HelperGuard({"shortcut": ["frequencies"]}, {"shortcut": shortcut})
>>> with guard:
...     _ = utils.frequencies(utils.tokenize("停戦だ。"))  # the check's own call: allowed
...     try:
...         shortcut(utils.tokenize("停戦だ。"))
...     except Exception as err:
...         print(type(err).__name__)
CheckFailed
>>> print(guard.violations[0].split("?")[0])
Does `shortcut` call the kit's `utils.frequencies`
"""
from __future__ import annotations

import functools
import sys
from collections.abc import Iterable, Mapping

__all__ = ["HelperGuard"]


class HelperGuard:
    """Fail a check when the student's functions call the named ``utils`` helpers.

    ``forbid`` maps the name of a student's function (looked up in ``namespace``, the
    check's globals) to the names of the ``utils`` helpers it may not call, directly or
    through functions of its own. Used as a context manager around the check block.
    """

    def __init__(self, forbid: Mapping[str, Iterable[str]], namespace: Mapping):
        if not isinstance(forbid, Mapping):
            raise TypeError("forbid must map a function name to the utils helpers it may not "
                            f"call, such as {{'keyness_table': ['keyness']}}, got {forbid!r}")
        self.forbid = {name: [h for h in helpers] for name, helpers in forbid.items()}
        self.namespace = namespace
        self.violations: list[str] = []
        self._undo: list[tuple[dict, str, object]] = []

    def __enter__(self) -> HelperGuard:
        import utils

        students = {}  # code object of a student's function -> its name
        for name in self.forbid:
            code = getattr(self.namespace.get(name), "__code__", None)
            if code is not None:
                students[code] = name
        banned = {helper: name for name, helpers in self.forbid.items() for helper in helpers}
        namespaces = [getattr(self.namespace.get(n), "__globals__", None) for n in self.forbid]
        for helper, name in banned.items():
            real = getattr(utils, helper)
            if any(value is real for value in _held(self.namespace.get(name))):
                self.violations.append(_question(name, helper))
            stand_in = self._stand_in(real, helper, students)
            places = [vars(utils), vars(sys.modules[real.__module__])]
            places += [ns for ns in namespaces if isinstance(ns, dict)]
            for place in places:
                for key, value in list(place.items()):
                    if value is real:
                        self._undo.append((place, key, value))
                        place[key] = stand_in
        return self

    def __exit__(self, *exc) -> bool:
        while self._undo:
            place, key, value = self._undo.pop()
            place[key] = value
        return False

    def _stand_in(self, real, helper: str, students: dict):
        from .grading import CheckFailed

        @functools.wraps(real)
        def stand_in(*args, **kwargs):
            frame = sys._getframe(1)
            while frame is not None:
                name = students.get(frame.f_code)
                if name is not None:
                    message = _question(name, helper)
                    if message not in self.violations:
                        self.violations.append(message)
                    raise CheckFailed(message)
                frame = frame.f_back
            return real(*args, **kwargs)

        return stand_in


def _question(name: str, helper: str) -> str:
    return (f"Does `{name}` call the kit's `utils.{helper}`? This exercise asks you to "
            "write that part yourself; the helper comes right after the exercise.")


def _held(function) -> list:
    """The objects a function carries with it: default arguments and closure cells (a
    helper bound there, ``def f(t, k=utils.keyness)``, escapes the stand-ins)."""
    held = list(getattr(function, "__defaults__", None) or ())
    held += list((getattr(function, "__kwdefaults__", None) or {}).values())
    for cell in getattr(function, "__closure__", None) or ():
        try:
            held.append(cell.cell_contents)
        except ValueError:          # an empty cell
            pass
    return held

