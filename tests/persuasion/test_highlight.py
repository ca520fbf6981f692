"""Tests of utils/persuasion/highlight.py: spans coloured by category as deterministic HTML."""
from __future__ import annotations

import html
import re
import sys

import pandas as pd
import pytest

from utils.persuasion.highlight import Highlight, highlight
from utils.persuasion.spans import SPAN_COLUMNS, SpanError
from utils.persuasion.techniques import CATEGORIES

MODULE = sys.modules["utils.persuasion.highlight"]   # utils.highlight is the function of that name

# 暴0 挙1 だ2 と3 \n4 次5 は6 <7 b8 >9 &10
TEXT = "暴挙だと\n次は<b>&"
SPANS = pd.DataFrame([("x", "Loaded_Language", 0, 2), ("x", "Doubt", 1, 4),
                      ("x", "Slogans", 6, 9)], columns=list(SPAN_COLUMNS))


def swatch(background: str, color: str, label: str) -> str:
    return (f'<span style="background-color: {background}; border-bottom: 3px solid {color}; '
            f'padding: 0 0.3em; margin-right: 0.6em; white-space: nowrap">{label}</span>')


EXPECTED = (
    '<div class="utils-highlight" style="line-height: 2.1">'
    '<div style="margin-bottom: 0.6em; font-size: 0.85em"><b>x</b> '
    + swatch("#F2CFB2", "#D55E00", "Attack on reputation (1)")
    + swatch("#B2D5E8", "#0072B2", "Justification (0)")
    + swatch("#B2E2D5", "#009E73", "Simplification (0)")
    + swatch("#F0D7E5", "#CC79A7", "Distraction (0)")
    + swatch("#F8E2B2", "#E69F00", "Call (1)")
    + swatch("#CCE8F8", "#56B4E9", "Manipulative wording (1)")
    + '</div><div style="white-space: pre-wrap">'
    # 暴: Loaded_Language only
    '<span style="background-color: #CCE8F8" title="Loaded_Language (Manipulative wording) 0-2" '
    'data-techniques="Loaded_Language"><span style="border-bottom: 3px solid #56B4E9; '
    'padding-bottom: 1px">暴</span></span>'
    # 挙: both; tinted by the first category in taxonomy order, two stacked underlines
    '<span style="background-color: #F2CFB2" title="Loaded_Language (Manipulative wording) 0-2'
    '&#10;Doubt (Attack on reputation) 1-4" data-techniques="Loaded_Language Doubt">'
    '<span style="border-bottom: 3px solid #D55E00; padding-bottom: 5px">'
    '<span style="border-bottom: 3px solid #56B4E9; padding-bottom: 1px">挙</span></span></span>'
    # だと: Doubt only
    '<span style="background-color: #F2CFB2" title="Doubt (Attack on reputation) 1-4" '
    'data-techniques="Doubt"><span style="border-bottom: 3px solid #D55E00; '
    'padding-bottom: 1px">だと</span></span>'
    # the line break and 次 are outside every span
    '\n次'
    '<span style="background-color: #F8E2B2" title="Slogans (Call) 6-9" data-techniques="Slogans">'
    '<span style="border-bottom: 3px solid #E69F00; padding-bottom: 1px">は&lt;b</span></span>'
    '&gt;&amp;</div></div>'
)


def body_text(markup: str) -> str:
    body = markup.split('<div style="white-space: pre-wrap">', 1)[1]
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def test_exact_html():
    shown = highlight(TEXT, SPANS, doc_id="x")
    assert shown.html == EXPECTED
    assert shown._repr_html_() == EXPECTED


def test_html_is_deterministic_and_order_free():
    once = highlight(TEXT, SPANS, doc_id="x").html
    again = highlight(TEXT, SPANS.iloc[::-1].reset_index(drop=True), doc_id="x").html
    assert once == again


@pytest.mark.parametrize("text", [TEXT, "<script>alert('x')</script> & \"引用\"", "一\n\n二\u3000三"])
def test_text_is_escaped_and_recoverable(text):
    markup = highlight(text, SPANS.iloc[:0]).html
    assert "<script>" not in markup
    assert body_text(markup) == text


def test_every_character_appears_once_with_overlaps():
    assert body_text(highlight(TEXT, SPANS, doc_id="x").html) == TEXT


def test_legend_lists_all_categories_with_counts():
    markup = highlight(TEXT, SPANS, doc_id="x").html
    legend = markup.split('<div style="white-space: pre-wrap">', 1)[0]
    found = re.findall(r">([A-Za-z ]+) \((\d+)\)</span>", legend)
    assert found == [("Attack on reputation", "1"), ("Justification", "0"),
                     ("Simplification", "0"), ("Distraction", "0"), ("Call", "1"),
                     ("Manipulative wording", "1")]
    assert [name for name, _ in found] == list(CATEGORIES)


def test_doc_id_selects_the_spans_of_one_document():
    both = pd.concat([SPANS, SPANS.assign(doc_id="y", technique="Repetition")],
                     ignore_index=True)
    shown = highlight(TEXT, both, doc_id="y")
    assert "Repetition (Manipulative wording) 0-2" in shown.html
    assert "Loaded_Language" not in shown.html
    assert repr(shown) == "<Highlight doc_id='y', 3 span(s), 11 characters>"


def test_spans_without_doc_id_column():
    shown = highlight(TEXT, SPANS.drop(columns="doc_id"))
    assert isinstance(shown, Highlight)
    assert repr(shown) == "<Highlight 3 span(s), 11 characters>"
    assert body_text(shown.html) == TEXT


@pytest.mark.parametrize("spans, kwargs, error, message", [
    (pd.concat([SPANS, SPANS.assign(doc_id="y")]), {}, ValueError,
     "spans hold 2 documents (x, y); pass doc_id= to choose the one this text belongs to"),
    (SPANS.assign(end=[2, 4, 40]), {}, SpanError,
     "spans, row 2: end 40 is past the end of document 'x', which has 11 characters"),
    (SPANS.assign(start=[0, 1, 10], end=[2, 4, 11]), {}, SpanError,
     "spans, row 2: span x 10-11 '&' holds only white space or punctuation"),
    (SPANS.assign(technique=["Loaded_Language", "Doubt", "Slogan"]), {}, SpanError,
     "spans, row 2: unknown technique 'Slogan'; did you mean 'Slogans'?"),
    ([("x", "Doubt", 0, 2)], {}, TypeError, "spans must be a span DataFrame"),
])
def test_highlight_errors(spans, kwargs, error, message):
    with pytest.raises(error) as err:
        highlight(TEXT, spans, **kwargs)
    assert str(err.value).startswith(message)


def test_highlight_rejects_a_non_text():
    with pytest.raises(TypeError, match="^text must be a str, got DataFrame"):
        highlight(pd.DataFrame({"text": [TEXT]}), SPANS)


# -- issue 13 -------------------------------------------------------------------------------------

@pytest.mark.parametrize("doc_id, message", [
    (0, r"^doc_id must be a str such as 'x', got 0 \(int\); the spans hold the documents "
        r"\['x'\]$"),
    (float("nan"), r"^doc_id must be a str such as 'x', got nan \(float\)"),
])
def test_a_doc_id_of_another_type_is_refused(doc_id, message):
    with pytest.raises(TypeError, match=message):
        highlight(TEXT, SPANS, doc_id=doc_id)


def test_mixed_doc_id_types_name_the_row():
    mixed = pd.concat([SPANS, SPANS.assign(doc_id=1)], ignore_index=True)
    with pytest.raises(SpanError, match=r"^spans, row 3: doc_id must be a str such as '000', "
                                        r"found 1$"):
        highlight(TEXT, mixed)
    with pytest.raises(SpanError, match=r"^spans, row 3: doc_id must be a str"):
        highlight(TEXT, mixed, doc_id="x")


def random_spans(rng, n, length):
    from utils.persuasion.techniques import TECHNIQUE_LABELS

    found = set()
    while len(found) < n:
        start = int(rng.integers(0, length - 1))
        found.add(("r", str(rng.choice(TECHNIQUE_LABELS[:8])), start,
                   min(length, start + int(rng.integers(1, 30)))))
    return pd.DataFrame(sorted(found), columns=list(SPAN_COLUMNS))


@pytest.mark.parametrize("seed", range(5))
def test_segments_equal_the_quadratic_reference(seed, monkeypatch):
    import numpy as np

    from _span_reference import active_sets

    rng = np.random.default_rng(seed)
    text = "あ" * int(rng.integers(2, 200))
    spans = random_spans(rng, int(rng.integers(0, 40)), len(text))
    new = highlight(text, spans, doc_id="r").html
    monkeypatch.setattr(MODULE, "_active_segments", active_sets)
    assert new == highlight(text, spans, doc_id="r").html


def test_corpus_highlights_equal_the_quadratic_reference(monkeypatch):
    from _span_reference import active_sets
    from utils.analysis.corpus import CORPUS_DIR, load_corpus
    from utils.persuasion.span_files import read_spans

    texts = dict(zip(*load_corpus()[["doc_id", "text"]].T.values))
    gold = read_spans(CORPUS_DIR / "annotations" / "gold.tsv")
    new = [highlight(texts[d], gold, doc_id=d).html for d in sorted(texts)]
    monkeypatch.setattr(MODULE, "_active_segments", active_sets)
    assert new == [highlight(texts[d], gold, doc_id=d).html for d in sorted(texts)]


def test_highlight_is_not_quadratic_in_spans():
    """12,000 spans: about 8 s with the segment-by-span loop (8,000 took 3.5 s), 1 s now."""
    import time

    import numpy as np

    spans = random_spans(np.random.default_rng(0), 12_000, 120_000)
    text = "あ" * 120_000
    began = time.perf_counter()
    highlight(text, spans, doc_id="r")
    assert time.perf_counter() - began < 4


# -- the sweep ------------------------------------------------------------------------------------

NAN = float("nan")
ONE = SPANS.iloc[:1]           # x Loaded_Language 0-2 「暴挙」

SWEEP_HIGHLIGHT = [
    ((None, ONE), {}, (TypeError, r"^text must be a str, got NoneType")),
    ((b"x", ONE), {}, (TypeError, r"^text must be a str, got bytes")),
    ((TEXT, None), {}, (TypeError, r"^spans must be a span DataFrame .*got NoneType$")),
    ((TEXT, pd.DataFrame()), {}, (SpanError, r"^spans: missing column\(s\) \['technique', "
                                             r"'start', 'end'\]")),
    ((TEXT, ONE), {"doc_id": ""}, (ValueError, r"^doc_id is empty")),
    ((TEXT, ONE), {"doc_id": ["x"]}, (TypeError, r"^doc_id must be a str such as 'x', got \['x'\] "
                                                  r"\(list\)")),
    ((TEXT, ONE.assign(doc_id=NAN)), {}, (SpanError, r"^spans, row 0: doc_id must be a str .*"
                                                     r"found nan$")),
    ((TEXT, ONE.assign(start=NAN)), {}, (SpanError, r"^spans, row 0: start must be .*found nan$")),
    ((TEXT, ONE.assign(end=2 ** 70)), {}, (SpanError, r"^spans, row 0: end 118059162071… "
                                                       r"\(22 digits\) is too large")),
    ((TEXT, pd.concat([ONE, ONE])), {}, (SpanError, r"^spans, row 0: duplicate of row 0")),
    (("", ONE), {}, (SpanError, r"^spans, row 0: end 2 is past the end of document 'x', which "
                                r"has 0 characters")),
    (("", ONE.iloc[:0]), {}, "<Highlight 0 span(s), 0 characters>"),
    ((TEXT, ONE), {"doc_id": "y"}, "<Highlight doc_id='y', 0 span(s), 11 characters>"),
    (("暴挙\u2028\u2029\x85\x1c", ONE), {}, "<Highlight 1 span(s), 6 characters>"),
    (("暴挙\udce2\ufeff", ONE), {}, "<Highlight 1 span(s), 4 characters>"),
    (("暴\u0301挙", ONE.assign(end=3)), {}, "<Highlight 1 span(s), 3 characters>"),
    (("ｷｴﾌ", ONE.assign(end=3)), {}, "<Highlight 1 span(s), 3 characters>"),
]


@pytest.mark.parametrize("args, kwargs, expected", SWEEP_HIGHLIGHT)
def test_sweep_highlight(args, kwargs, expected):
    if isinstance(expected, tuple):
        with pytest.raises(expected[0], match=expected[1]):
            highlight(*args, **kwargs)
        return
    shown = highlight(*args, **kwargs)
    assert repr(shown) == expected
    assert body_text(shown.html) == args[0]
