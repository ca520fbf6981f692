"""Show a text with its technique spans coloured by category, in a notebook (ハイライト表示).

The text is cut at every span boundary into segments; each segment is tinted with the
colour of the first category covering it (taxonomy order) and underlined once per
category covering it, so nested and crossing spans stay visible. Hovering shows every
technique on the segment (``title`` attribute). Colours come from
:data:`utils.persuasion.techniques.CATEGORY_COLORS`. The HTML uses inline styles only, is escaped,
keeps line breaks (``white-space: pre-wrap``) and is byte-for-byte deterministic.
"""
from __future__ import annotations

import html

import pandas as pd

from .spans import SpanError, check_span_table
from .techniques import CATEGORIES, CATEGORY_COLORS, CATEGORY_OF

__all__ = ["Highlight", "highlight"]


def _tint(color: str, strength: float = 0.3) -> str:
    """Mix a #RRGGBB colour with white (strength 1 = the colour itself)."""
    channels = [int(color[i:i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(255 - (255 - c) * strength) for c in channels]
    return "#" + "".join(f"{c:02X}" for c in mixed)


class Highlight:
    """A highlighted text; displays itself as HTML in Jupyter (``_repr_html_``).

    ``html`` holds the markup, ``text`` the text and ``spans`` the spans shown.
    """

    def __init__(self, text: str, spans: pd.DataFrame, html_: str, doc_id):
        self.text, self.spans, self.html, self.doc_id = text, spans, html_, doc_id

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        name = "" if self.doc_id is None else f"doc_id={self.doc_id!r}, "
        return f"<Highlight {name}{len(self.spans)} span(s), {len(self.text)} characters>"


def _legend(counts: dict[str, int], doc_id) -> str:
    items = []
    for category in CATEGORIES:
        color = CATEGORY_COLORS[category]
        items.append(f'<span style="background-color: {_tint(color)}; border-bottom: 3px solid '
                     f'{color}; padding: 0 0.3em; margin-right: 0.6em; white-space: nowrap">'
                     f'{html.escape(category)} ({counts.get(category, 0)})</span>')
    head = "" if doc_id is None else f"<b>{html.escape(str(doc_id))}</b> "
    return f'<div style="margin-bottom: 0.6em; font-size: 0.85em">{head}{"".join(items)}</div>'


def _segment(piece: str, active: list[tuple[str, int, int]]) -> str:
    body = html.escape(piece)
    if not active:
        return body
    present = {CATEGORY_OF[t] for t, _, _ in active}
    categories = [c for c in CATEGORIES if c in present]
    title = "&#10;".join(html.escape(f"{t} ({CATEGORY_OF[t]}) {s}-{e}") for t, s, e in active)
    for depth, category in enumerate(reversed(categories)):
        color = CATEGORY_COLORS[category]
        padding = 1 + 4 * depth
        body = (f'<span style="border-bottom: 3px solid {color}; padding-bottom: {padding}px">'
                f'{body}</span>')
    techniques = " ".join(t for t, _, _ in active)
    return (f'<span style="background-color: {_tint(CATEGORY_COLORS[categories[0]])}" '
            f'title="{title}" data-techniques="{html.escape(techniques)}">{body}</span>')


def _active_segments(records: list[tuple[str, int, int]], length: int):
    """Cut ``0..length`` at every span boundary; give (left, right, spans covering it).

    A sweep from left to right: a span joins at its start and leaves at its end, so the
    work is the size of the output, not segments x spans. ``records`` come sorted by
    start (then end, technique) and join in that order; a dict keeps insertion order
    through deletions, so each segment lists its spans in ``records`` order.
    """
    starting: dict[int, list[int]] = {}
    ending: dict[int, list[int]] = {}
    for number, (_, start, end) in enumerate(records):
        starting.setdefault(start, []).append(number)
        ending.setdefault(end, []).append(number)
    bounds = sorted({0, length, *starting, *ending})
    active: dict[int, None] = {}
    for left, right in zip(bounds, bounds[1:]):
        for number in ending.get(left, ()):
            active.pop(number, None)
        for number in starting.get(left, ()):
            active[number] = None
        yield left, right, [records[number] for number in active]


def highlight(text: str, spans: pd.DataFrame, *, doc_id: str | None = None) -> Highlight:
    """Render a text with its technique spans coloured by category, for a notebook.

    ``spans`` is a span table (``doc_id, technique, start, end``). With ``doc_id`` only the
    spans of that document are shown (none, if the table has none of it: the text is shown
    plain); without it the table must hold one document only (or no ``doc_id`` column, in
    which case one is not needed). ``doc_id`` and the table's doc_ids are str. Overlapping spans are
    shown as stacked underlines, one per category; a legend counts the spans per
    category; hovering shows the technique labels and offsets. Display the result as the
    last line of a cell, or take its ``.html``.

    >>> spans = pd.DataFrame({"doc_id": ["000"], "technique": ["Loaded_Language"],
    ...                       "start": [4], "end": [6]})
    >>> shown = highlight("侵攻は、暴挙だ。", spans, doc_id="000")
    >>> shown
    <Highlight doc_id='000', 1 span(s), 8 characters>
    >>> 'title="Loaded_Language (Manipulative wording) 4-6"' in shown.html
    True
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}; pass one document's "
                        "text, e.g. corpus.text[0]")
    if not isinstance(spans, pd.DataFrame):
        raise TypeError(f"spans must be a span DataFrame (doc_id, technique, start, end), "
                        f"got {type(spans).__name__}")
    if doc_id is not None and not isinstance(doc_id, str):
        held = sorted({v for v in spans.get("doc_id", ()) if isinstance(v, str)})
        example = held[0] if held else "000"
        raise TypeError(f"doc_id must be a str such as {example!r}, got {doc_id!r} "
                        f"({type(doc_id).__name__}); the spans hold the documents "
                        f"{held[:10]}")
    if doc_id == "":
        raise ValueError("doc_id is empty; name the document whose spans to show, e.g. '000'")
    if "doc_id" not in spans.columns:
        spans = spans.assign(doc_id="text" if doc_id is None else doc_id)
    for row, value in zip(spans.index, spans["doc_id"]):
        if not isinstance(value, str):   # mixed int/str ids would not even sort
            raise SpanError("spans", row, f"doc_id must be a str such as '000', found "
                            f"{value!r}", unit="row")
    if doc_id is not None:
        spans = spans[spans["doc_id"] == doc_id]
    documents = sorted(set(spans["doc_id"]))
    if len(documents) > 1:
        raise ValueError(f"spans hold {len(documents)} documents ({', '.join(map(str, documents))}); "
                         "pass doc_id= to choose the one this text belongs to")
    key = documents[0] if documents else ""
    spans = check_span_table(spans, {key: text}, source="spans")
    records = list(zip(spans["technique"], spans["start"].tolist(), spans["end"].tolist()))
    counts: dict[str, int] = {}
    for technique, _, _ in records:
        counts[CATEGORY_OF[technique]] = counts.get(CATEGORY_OF[technique], 0) + 1
    pieces = []
    for left, right, active in _active_segments(records, len(text)):
        pieces.append(_segment(text[left:right], active))
    body = "".join(pieces)
    markup = (f'<div class="utils-highlight" style="line-height: 2.1">'
              f'{_legend(counts, doc_id)}'
              f'<div style="white-space: pre-wrap">{body}</div></div>')
    return Highlight(text, spans, markup, doc_id)
