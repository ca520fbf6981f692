"""Render a lesson's other-language edition: the same notebook, its prose translated.

The Japanese edition of ``lessons/NN_topic.ipynb`` is ``lessons/ja/NN_topic.ipynb``: the
student lesson that release makes, with each markdown cell replaced by its translation
from ``solutions/locale/ja/NN_topic.po`` (:mod:`utils.course.translations`). Code cells,
grade ids, points, locks and metadata stay byte for byte what the English lesson has, so
every test of the English lesson's code covers the Japanese one too. The notebook says
which edition it is (``metadata.jmedia_kit.edition``), which the class grader reads to
write a student's feedback in that language.

Its checks file, ``lessons/ja/checks/NN_topic.json``, holds the same visible checks plus
the translations of the questions those checks can ask, never those of hidden tests.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

import nbformat

from .lesson_format import LessonFormatError
from .nbgrader_rules import compute_checksum, nbgrader_meta
from .notebooks import read_notebook
from .translations import catalog_path, message_entries, prose_entries

__all__ = ["EDITION_KEY", "edition_of", "edition_notebook", "edition_checks", "prose_of",
           "visible_messages", "lesson_catalog", "edition_catalogs"]

#: notebook metadata key that names a lesson's edition (absent: English)
EDITION_KEY = "jmedia_kit"


def edition_of(nb) -> str:
    """Return the language of a lesson notebook (a notebook or its metadata dict).

    >>> edition_of({"metadata": {"jmedia_kit": {"edition": "ja"}}})
    'ja'
    >>> edition_of({"metadata": {}})
    'en'
    """
    meta = nb.get("metadata", {}) if isinstance(nb, dict) else {}
    kit = meta.get(EDITION_KEY) if isinstance(meta, dict) else None
    edition = kit.get("edition") if isinstance(kit, dict) else None
    return edition if edition in ("en", "ja") else "en"


def edition_notebook(lesson: nbformat.NotebookNode, prose: dict[tuple[str, str], str],
                     language: str) -> nbformat.NotebookNode:
    """Return the ``language`` edition of a released English ``lesson``.

    ``prose`` maps ``(cell id, English source)`` to the translation. A markdown cell
    without one is a :class:`LessonFormatError` that names it (answer stubs excepted).

    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> lesson = new_notebook(cells=[new_markdown_cell("# Counting", id="t")])
    >>> ja = edition_notebook(lesson, {("t", "# Counting"): "# 数える"}, "ja")
    >>> ja.cells[0].source, ja.metadata["jmedia_kit"]
    ('# 数える', {'edition': 'ja'})
    """
    nb = copy.deepcopy(lesson)
    wanted = {entry.key for entry in prose_entries(lesson)}
    missing = [cell_id for cell_id, text in wanted if (cell_id, text) not in prose]
    if missing:
        raise LessonFormatError(f"no {language} translation of cell(s) "
                                + ", ".join(map(repr, missing)))
    for cell in nb.cells:
        if (cell.get("id"), cell.source) in wanted:
            cell.source = prose[(cell.id, cell.source)]
            meta = nbgrader_meta(cell)
            if meta.get("checksum"):
                meta["checksum"] = compute_checksum(cell)
    nb.metadata[EDITION_KEY] = {"edition": language}
    return nb


def edition_checks(checks_json: str, messages: dict[str, str], templates: dict[str, str],
                   language: str) -> str:
    """Return the checks file of an edition: the English one's checks, its language and
    the translations of the questions those checks ask (the caller passes only those of
    visible checks: hidden tests' questions must not reach a lesson file).

    >>> text = edition_checks('{"checks": {"ex00_01": "test.that(x == 1, QUESTION)"}}',
    ...                       {"Is x one?": "x は 1 ですか？"}, {}, "ja")
    >>> json.loads(text)["language"], json.loads(text)["messages"]
    ('ja', {'Is x one?': 'x は 1 ですか？'})
    """
    data = json.loads(checks_json)
    data["language"] = language
    data["messages"] = dict(sorted(messages.items()))
    data["templates"] = dict(sorted(templates.items()))
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def prose_of(master_path: str | Path, language: str = "ja") -> dict[tuple[str, str], str]:
    """Return ``{(cell id, English): translation}`` of a master's prose cells."""
    import polib

    path = catalog_path(master_path, language)
    return {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(path), wrapwidth=0)
            if e.msgctxt and e.msgstr and not e.obsolete and "fuzzy" not in e.flags}


def visible_messages(master_path: str | Path, language: str = "ja"
                     ) -> tuple[dict[str, str], dict[str, str]]:
    """Return ``(messages, templates)``: the translations of the questions a master's
    **visible** checks can ask, for the edition's checks file."""
    from .i18n import read_po

    visible = {e.text for e in message_entries(read_notebook(master_path)) if not e.hidden}
    catalog = read_po(catalog_path(master_path, language))
    return ({k: v for k, v in catalog.messages.items() if k in visible},
            {k: v for k, v in catalog.templates.items() if k in visible})


def lesson_catalog(master_path: str | Path, language: str = "ja"):
    """Return the :class:`~utils.course.i18n.Catalog` of every question of a master
    (hidden tests' included: for feedback files) plus the kit's, or None without one.

    In a student's copy of the kit the "masters" are the lessons (``lessons/NN.ipynb``,
    visible checks only): their questions come from the edition's checks file
    (``lessons/ja/checks/NN.json``), which is all a self-graded run can ask.
    """
    from .i18n import Catalog, kit_catalog, read_po

    master_path = Path(master_path)
    path = catalog_path(master_path, language)
    if path.is_file():
        return read_po(path) + kit_catalog(language)
    checks = master_path.parent / language / "checks" / f"{master_path.stem}.json"
    if checks.is_file():
        data = json.loads(checks.read_text(encoding="utf-8"))
        return Catalog(data.get("messages"), data.get("templates")) + kit_catalog(language)
    return None


def edition_catalogs(rows, solutions: str | Path) -> dict:
    """Return ``{(lesson, language): Catalog}`` for the gradebook rows handed in in another
    edition than English, from the masters' PO files in ``solutions`` (a lesson without
    one is left out: its feedback keeps the English questions)."""
    found = {}
    for lesson, language in sorted({(r.lesson, r.edition) for r in rows if r.edition != "en"}):
        catalog = lesson_catalog(Path(solutions) / f"{lesson}.ipynb", language)
        if catalog is not None:
            found[(lesson, language)] = catalog
    return found
