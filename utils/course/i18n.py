"""Speak the edition's language: translate check messages and feedback at the edge.

The kit's code writes every message in English. A lesson's Japanese edition carries a
catalog (English -> Japanese) of the messages its checks can show, and the kit has one of
its own (``utils/course/locale/ja.po``) for what the machinery says: "Is `x` defined?",
"✅ ex00_01 passed.", the headings of a feedback file. A message is translated where it
leaves the kit (a failed check, a success line, a feedback file), so the code, the checks,
the hidden tests and the grader's runs stay one and the same for both editions.

An entry is either a plain message, looked up as it is, or a **template** (a message
built with an f-string or ``str.format``): its ``{placeholders}`` match any text, and the
pieces found fill the same placeholders of the translation, each translated in turn when
the catalog knows it. The catalogs are gettext PO files (read with polib), the format
every translation tool reads.

>>> catalog = Catalog({"Did you count characters?": "文字を数えましたか？"},
...                   {"Is `{name}` defined?": "`{name}` は定義されていますか？"})
>>> catalog.translate("Did you count characters?")
'文字を数えましたか？'
>>> catalog.translate("Is `n_texts` defined?")
'`n_texts` は定義されていますか？'
>>> catalog.translate("A message nobody translated.")
'A message nobody translated.'
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

__all__ = ["LANGUAGES", "Catalog", "read_po", "kit_catalog", "use_language", "language",
           "translate", "PLACEHOLDER"]

#: the editions: English (the masters' own language) and Japanese
LANGUAGES = ("en", "ja")
#: a placeholder of a template: ``{name}``, ``{doc}``, ``{f1_label:.2f}`` (not ``{{``)
PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}\n]+)\}(?!\})")
_KIT_PO = Path(__file__).resolve().parent / "locale"

_state = {"language": "en", "catalog": None}


class Catalog:
    """Messages (``{english: translation}``) and templates with ``{placeholders}``.

    >>> Catalog({}, {"Is the count for text {doc} right?": "テキスト {doc} の数は正しいですか？"}
    ...         ).translate("Is the count for text 004 right?")
    'テキスト 004 の数は正しいですか？'
    """

    def __init__(self, messages: dict[str, str] | None = None,
                 templates: dict[str, str] | None = None):
        self.messages = dict(messages or {})
        self.templates = dict(templates or {})
        # the most specific template first: the longest literal text
        ordered = sorted(self.templates, key=lambda t: (-len(PLACEHOLDER.sub("", t)), t))
        self._patterns = [(_pattern(t), t) for t in ordered]

    def __add__(self, other: Catalog) -> Catalog:
        return Catalog({**other.messages, **self.messages}, {**other.templates, **self.templates})

    def __len__(self) -> int:
        return len(self.messages) + len(self.templates)

    def translate(self, text: str, *, _depth: int = 0) -> str:
        """Return the translation of ``text``, or ``text`` itself when none is known."""
        if not isinstance(text, str) or not text:
            return text
        if text in self.messages:
            return self.messages[text]
        if _depth > 3:
            return text
        for pattern, template in self._patterns:
            found = pattern.fullmatch(text)
            if found is None:
                continue
            names = PLACEHOLDER.findall(template)
            values = {name: self.translate(found.group(f"p{i}"), _depth=_depth + 1)
                      for i, name in enumerate(names)}
            return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)),
                                   self.templates[template])
        return text


def _pattern(template: str) -> re.Pattern:
    pieces, last = [], 0
    for i, found in enumerate(PLACEHOLDER.finditer(template)):
        pieces.append(re.escape(template[last:found.start()]))
        pieces.append(f"(?P<p{i}>.+?)")
        last = found.end()
    pieces.append(re.escape(template[last:]))
    return re.compile("".join(pieces), re.DOTALL)


def read_po(path: str | Path, *, messages_only: bool = True) -> Catalog:
    """Return the translated entries of a PO file as a :class:`Catalog`.

    Entries without a translation, fuzzy ones (whose English changed since) and prose
    cells (entries with a ``msgctxt``) are left out unless ``messages_only`` is false.
    Entries flagged ``python-brace-format`` are templates.
    """
    import polib

    messages, templates = {}, {}
    for entry in polib.pofile(str(path), wrapwidth=0):
        if entry.obsolete or "fuzzy" in entry.flags or not entry.msgstr:
            continue
        if entry.msgctxt and messages_only:
            continue
        target = templates if "python-brace-format" in entry.flags else messages
        target[entry.msgid] = entry.msgstr
    return Catalog(messages, templates)


@functools.lru_cache(maxsize=None)
def kit_catalog(language: str) -> Catalog:
    """Return the catalog of the kit's own messages in ``language`` (empty for English).

    >>> kit_catalog("ja").translate("✅ ex00_01 passed.")
    '✅ ex00_01 合格です。'
    """
    if language not in LANGUAGES:
        raise ValueError(f"language={language!r}: the kit's editions are {LANGUAGES}")
    path = _KIT_PO / f"{language}.po"
    return read_po(path) if language != "en" and path.is_file() else Catalog()


def use_language(language: str, messages: dict[str, str] | None = None,
                 templates: dict[str, str] | None = None) -> None:
    """Make failed checks and success lines speak ``language``, with a lesson's messages.

    ``check()`` calls this with what the lesson's checks file carries; the English
    edition switches translation off.
    """
    if language not in LANGUAGES:
        raise ValueError(f"language={language!r}: the kit's editions are {LANGUAGES}")
    _state["language"] = language
    _state["catalog"] = (None if language == "en" else
                         Catalog(messages, templates) + kit_catalog(language))


def language() -> str:
    """Return the language messages are shown in now (``"en"`` unless a check set it)."""
    return _state["language"]


def translate(text: str) -> str:
    """Return ``text`` in the current language (itself in English or when unknown)."""
    catalog = _state["catalog"]
    return text if catalog is None else catalog.translate(text)
