"""Keep each lesson's translation beside its master: what to translate, and what is missing.

A lesson exists in English (the master, ``solutions/NN_topic.ipynb``) and in Japanese. The
Japanese text lives in a gettext PO file beside the masters,
``solutions/locale/ja/NN_topic.po``, the format translation tools (Poedit, Weblate,
Crowdin) edit. It holds two kinds of entry:

* **prose**: one per markdown cell of the student lesson (hints included), keyed by the
  cell's id (``msgctxt``) and its English text (``msgid``);
* **messages**: every question a check can ask (``test.that(..., "Did you ...?")``,
  ``test.hash``, ``test.fail``, ``wrong={...}``, ``success=``), found in the code of the
  check and answer cells. A message written as an f-string becomes a template,
  ``Is the count for text {doc} right?``, flagged ``python-brace-format``. Messages that
  only hidden tests ask are marked so (``#. hidden test``): they reach students only in
  their feedback, never in a lesson file.

``python -m utils translations --update`` brings the PO files in step with the masters the
way ``msgmerge`` does: new entries are added empty, an entry whose English changed keeps
its old translation flagged *fuzzy* with the old English beside it (``#| msgid``), and
entries no longer used become obsolete. ``python -m utils translations`` (no option) lists
what is untranslated or fuzzy and exits 1 if anything is; release refuses to write an
edition that is not complete.
"""
from __future__ import annotations

import argparse
import ast
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .lesson_format import TEXT_STUB, is_master_only
from .nbgrader_rules import is_grade, is_solution, nbgrader_meta
from .notebooks import SOLUTIONS_DIR, read_notebook

__all__ = ["TRANSLATED", "LOCALE_FOLDER", "Entry", "catalog_path", "prose_entries",
           "message_entries", "entries", "update_catalog", "catalog_problems",
           "structure_problems",
           "main"]

#: the languages a master is translated into
TRANSLATED = ("ja",)
#: folder (beside the masters) of the PO files, one per language
LOCALE_FOLDER = "locale"
#: functions and methods whose argument (position, keyword) is a message students read
_MESSAGE_ARGS = {"that": (1, "question"), "fail": (0, "question"), "hash": (2, "question"),
                 "check_that": (1, "question"), "CheckFailed": (0, "question")}
_HEADER = {"Project-Id-Version": "jmedia-kit lessons", "Language": "{language}",
           "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
           "Content-Transfer-Encoding": "8bit"}


@dataclass
class Entry:
    """One thing to translate: a prose cell (``context`` = cell id) or a message."""

    text: str
    context: str | None = None
    where: list[str] = field(default_factory=list)
    template: bool = False
    hidden: bool = True

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.text)


def catalog_path(master: str | Path, language: str = "ja") -> Path:
    """Return the PO file of ``master`` in ``language``: ``solutions/locale/ja/NN.po``.

    >>> catalog_path("solutions/00_getting_started.ipynb").as_posix()
    'solutions/locale/ja/00_getting_started.po'
    """
    master = Path(master)
    return master.parent / LOCALE_FOLDER / language / f"{master.stem}.po"


def prose_entries(lesson: nbformat.NotebookNode) -> list[Entry]:
    """Return one entry per markdown cell of a **student lesson** (a released master)
    that students read: every one but nbgrader's answer stub."""
    return [Entry(cell.source, context=cell.id, where=[cell.id])
            for cell in lesson.cells
            if cell.cell_type == "markdown" and cell.source.strip() != TEXT_STUB]


def _template(node: ast.JoinedStr) -> str:
    parts = []
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(str(value.value).replace("{", "{{").replace("}", "}}"))
        else:
            parts.append("{" + ast.unparse(value.value) + "}")
    return "".join(parts)


def _message_nodes(tree: ast.AST):
    """Yield the string nodes of a cell's code that students can read as a message."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert) and node.msg is not None:
            yield node.msg  # a plain assert's message reaches feedback files
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name in _MESSAGE_ARGS:
            position, keyword = _MESSAGE_ARGS[name]
            if len(node.args) > position:
                yield node.args[position]
        for kw in node.keywords:
            if name in _MESSAGE_ARGS and kw.arg == _MESSAGE_ARGS[name][1]:
                yield kw.value
            elif name == "checks" and kw.arg == "success":
                yield kw.value
            elif name == "hash" and kw.arg == "wrong" and isinstance(kw.value, ast.Dict):
                yield from kw.value.values


def _code_of(source: str) -> str:
    """The cell's code without IPython's magics and shell lines (which ast cannot read)."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                     for line in source.splitlines())


def _questions(tree: ast.AST):
    """Yield the question-like strings of a check cell (``"Does ...?"``): the messages a
    check passes on through a variable (``for text, expected, question in cases``)."""
    pieces = {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
              for v in node.values}
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = _template(node).strip()
            if " " in text and (text.endswith("?") or "? " in text):
                yield node
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
              and id(node) not in pieces):
            text = node.value.strip()
            if " " in text and (text.endswith("?") or "? " in text):
                yield node


def message_entries(master: nbformat.NotebookNode) -> list[Entry]:
    """Return the messages the checks and answers of a master can show, in order.

    A message is a string literal or an f-string given to a check (see the module's
    docstring); a check cell's other question-like strings count too, since a check may
    take its question from a table of cases.
    """
    from .lesson_format import BEGIN_HIDDEN, END_HIDDEN

    found: dict[str, Entry] = {}
    for cell in master.cells:
        if cell.cell_type != "code" or is_master_only(cell):
            continue
        where = nbgrader_meta(cell).get("grade_id") or cell.id
        visible = _visible_lines(cell.source, BEGIN_HIDDEN, END_HIDDEN)
        tree = ast.parse(_code_of(cell.source))
        nodes = list(_message_nodes(tree))
        if is_grade(cell):
            nodes += [n for n in _questions(tree) if n not in nodes]
        for node in nodes:
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text, template = node.value, False
            elif isinstance(node, ast.JoinedStr):
                text, template = _template(node), True
            else:
                continue  # a variable: its questions are found as question-like strings
            entry = found.setdefault(text, Entry(text, template=template))
            if where not in entry.where:
                entry.where.append(where)
            if node.lineno in visible and (is_grade(cell) or is_solution(cell)):
                entry.hidden = False
    return list(found.values())


def _visible_lines(source: str, begin: str, end: str) -> set[int]:
    visible, hidden = set(), False
    for number, line in enumerate(source.splitlines(), start=1):
        if line.strip() == begin:
            hidden = True
        elif line.strip() == end:
            hidden = False
        elif not hidden:
            visible.add(number)
    return visible


def entries(master: nbformat.NotebookNode) -> list[Entry]:
    """Return everything of ``master`` to translate: its lesson's prose, then messages."""
    from .release import release_notebook

    return prose_entries(release_notebook(master)) + message_entries(master)


def _to_po(entry: Entry):
    import polib

    po = polib.POEntry(msgid=entry.text, msgstr="", msgctxt=entry.context,
                       occurrences=[(w, "") for w in entry.where])
    if entry.template:
        po.flags.append("python-brace-format")
    if entry.context is None and entry.hidden:
        po.comment = "hidden test: reaches students only in their feedback"
    return po


def update_catalog(master_path: str | Path, language: str = "ja") -> dict[str, int]:
    """Bring the PO file of a master in step with it (see the module's docstring); return
    counts of ``added``, ``changed`` (now fuzzy), ``obsolete`` and ``kept`` entries."""
    import polib

    master_path = Path(master_path)
    path = catalog_path(master_path, language)
    old = polib.pofile(str(path), wrapwidth=0) if path.is_file() else polib.POFile(wrapwidth=0)
    by_key = {(e.msgctxt, e.msgid): e for e in old if not e.obsolete}
    by_cell = {e.msgctxt: e for e in old if e.msgctxt and not e.obsolete}
    new = polib.POFile(wrapwidth=0)
    new.metadata = {k: v.format(language=language) for k, v in _HEADER.items()}
    counts = dict.fromkeys(("added", "changed", "obsolete", "kept"), 0)
    used = set()
    for entry in entries(read_notebook(master_path)):
        po = _to_po(entry)
        before = by_key.get(entry.key) or (by_cell.get(entry.context) if entry.context else None)
        if before is None:
            counts["added"] += 1
        else:
            used.add(id(before))
            po.msgstr = before.msgstr
            po.tcomment = before.tcomment
            same = before.msgid == entry.text
            if not same or "fuzzy" in before.flags:
                po.flags.append("fuzzy")
                po.previous_msgid = before.previous_msgid if same else before.msgid
            counts["kept" if same else "changed"] += 1
        new.append(po)
    for before in old:
        if id(before) not in used and before.msgstr:
            before.obsolete = True
            new.append(before)
            counts["obsolete"] += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    new.save(str(path))
    return counts


def catalog_problems(master_path: str | Path, language: str = "ja") -> list[str]:
    """Return what keeps the ``language`` edition of a master from being complete."""
    import polib

    master_path = Path(master_path)
    path = catalog_path(master_path, language)
    if not path.is_file():
        return [f"{path}: missing (run `python -m utils translations --update`)"]
    po = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(path), wrapwidth=0)
          if not e.obsolete}
    problems = []
    for entry in entries(read_notebook(master_path)):
        found = po.get(entry.key)
        what = f"cell {entry.context}" if entry.context else f"message {entry.text[:60]!r}"
        if found is None:
            problems.append(f"{path.name}: {what} is not in the catalog (run `python -m "
                            "utils translations --update`)")
        elif not found.msgstr.strip():
            problems.append(f"{path.name}: {what} has no translation")
        elif "fuzzy" in found.flags:
            problems.append(f"{path.name}: {what} changed in English since it was "
                            "translated (fuzzy)")
        else:
            problems += [f"{path.name}: {what}: {p}"
                         for p in structure_problems(entry.text, found.msgstr,
                                                     template=entry.template)
                         if not (p.startswith("the number ")
                                 and "numbers: adapted" in (found.tcomment or ""))]
    return problems


_CODE_SPAN = re.compile(r"`[^`\n]+`")
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*")


def _span_forms(span: str, language: str) -> list[str]:
    """The forms an inline code span may take in a translation: itself, the document's
    edition in that language (`corpus/README.md` -> `corpus/README.ja.md`), or the kit's
    own translation of the message it quotes (`✅ ex00_01 passed.`)."""
    from .i18n import kit_catalog

    inner = span.strip("`")
    forms = [span]
    if inner.endswith(".md"):
        forms.append(f"`{inner[:-3]}.{language}.md`")
    for text in (inner, f"✅ {inner}"):
        translated = kit_catalog(language).translate(text)
        if translated != text:
            forms.append(translated.removeprefix("✅ "))
    return forms


def structure_problems(english: str, translation: str, *, template: bool = False,
                       language: str = "ja") -> list[str]:
    """Return how ``translation`` breaks what must survive translation unchanged.

    Templates keep their placeholders; prose keeps its headings, table shape, hint boxes,
    every inline code span and every number of the English.

    >>> structure_problems("Is the count for text {doc} right?", "{doc} の数は正しいですか？",
    ...                    template=True)
    []
    >>> structure_problems("## 1. Load `corpus` (5 texts)", "## 1. コーパスを読み込む")
    ['inline code `corpus` is missing', 'the number 5 is missing']
    """
    from .i18n import PLACEHOLDER

    problems = []
    if template:
        if sorted(PLACEHOLDER.findall(english)) != sorted(PLACEHOLDER.findall(translation)):
            problems.append("the placeholders {…} differ from the English")
        return problems

    def shape(text):
        lines = text.splitlines()
        return {"heading levels": [l.split(" ")[0] for l in lines
                                   if re.match(r"#{1,6}(\s|$)", l)],
                "table rows": [l.count("|") for l in lines if l.lstrip().startswith("|")],
                "hint boxes": [text.count("<details>"), text.count("</details>")]}

    for what, value in shape(english).items():
        if shape(translation)[what] != value:
            problems.append(f"the {what} differ from the English")
    for span in dict.fromkeys(_CODE_SPAN.findall(english)):
        if not any(form in translation for form in _span_forms(span, language)):
            problems.append(f"inline code {span} is missing")
    plain = _CODE_SPAN.sub("", translation)
    for number in dict.fromkeys(_NUMBER.findall(_CODE_SPAN.sub("", english))):
        # a lesson's number may lose its zero: lesson 03 is 第3回
        if number not in plain and not (len(number) == 2 and number[0] == "0"
                                        and f"第{number[1]}回" in plain):
            problems.append(f"the number {number} is missing")
    return problems


def _masters(solutions: Path, names: list[str]) -> list[Path]:
    """The masters to look at: ``names`` (paths or lesson names) or all of ``solutions``."""
    if not solutions.is_dir():
        raise FileNotFoundError(f"--solutions {solutions}: no such folder")
    if not names:
        found = sorted(solutions.glob("*.ipynb"))
        if not found:
            raise FileNotFoundError(f"--solutions {solutions}: no master notebooks in it")
        return found
    masters = []
    for name in names:
        path = Path(name) if Path(name).suffix == ".ipynb" else solutions / f"{name}.ipynb"
        if not path.is_file():
            known = ", ".join(p.stem for p in sorted(solutions.glob("*.ipynb")))
            raise FileNotFoundError(f"{name}: no such master (the masters are {known})")
        masters.append(path)
    return masters


def main(argv: list[str] | None = None) -> int:
    """``python -m utils translations [--update] [NB ...]``."""
    parser = argparse.ArgumentParser(
        prog="python -m utils translations",
        description="List what the Japanese edition of each lesson lacks (exit 1 if "
                    "anything), or bring the PO files in solutions/locale/ in step with "
                    "the masters (--update).")
    parser.add_argument("notebooks", nargs="*", help="only these masters (default: all)")
    parser.add_argument("--update", action="store_true",
                        help="add new entries, flag changed ones fuzzy, retire unused ones")
    parser.add_argument("--solutions", type=Path, default=SOLUTIONS_DIR,
                        help="folder of master notebooks (default: the kit's solutions/)")
    args = parser.parse_args(argv)
    problems = []
    try:
        masters = _masters(args.solutions, args.notebooks)
        for master in masters:
            for language in TRANSLATED:
                if args.update:
                    counts = update_catalog(master, language)
                    shown = catalog_path(master, language).relative_to(master.parent.parent)
                    print(f"{shown}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
                problems += catalog_problems(master, language)
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    for problem in problems:
        print(problem)
    if not args.update:
        checked = ", ".join(m.stem for m in masters)
        print(f"{len(problems)} entries to translate in {checked}" if problems
              else f"complete in {', '.join(TRANSLATED)}: {checked}")
    return 1 if problems and not args.update else 0
