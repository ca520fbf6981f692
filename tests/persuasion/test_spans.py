"""Tests of utils/persuasion/spans.py: reading, checking and writing PTC span files."""
from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

import utils.persuasion.spans
from utils.persuasion.span_files import read_spans, write_spans
from utils.persuasion.spans import (SPAN_COLUMNS, SpanError, is_boundary_char, spans_from_text, trim_span,
                         validate_spans)

# 「0 絶1 望2 」3 の4 展5 開6 、7 最8 悪9 シ10 ナ11 リ12 オ13 。14 \n15 核16 戦17 争18 U+3000 19 だ20
T0 = "「絶望」の展開、最悪シナリオ。\n核戦争\u3000だ"
# ネ0 オ1 ・2 ナ3 チ4 の5 キ6 エ7 フ8 政9 権10
T1 = "ネオ・ナチのキエフ政権"
TEXTS = {"000": T0, "001": T1}


def records(frame: pd.DataFrame) -> list[tuple]:
    return list(frame[list(SPAN_COLUMNS)].itertuples(index=False, name=None))


def write(tmp_path, content: str | bytes, name: str = "gold.tsv"):
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


# -- boundaries ------------------------------------------------------------------------------

@pytest.mark.parametrize("char, expected", [
    ("、", True), ("。", True), ("「", True), ("」", True), ("『", True), ("』", True),
    ("（", True), ("）", True), ("・", True), ("\u3000", True), (" ", True), ("\n", True),
    ("\t", True), ("!", True), ("？", True), ("…", True), ("“", True), ("#", True),
    ("〜", True), ("-", True),
    ("絶", False), ("ー", False), ("ア", False), ("a", False), ("1", False), ("１", False),
    ("%", True), ("<", False), ("⇐", False),
])
def test_is_boundary_char(char, expected):
    assert is_boundary_char(char) is expected


@pytest.mark.parametrize("text, start, end, expected", [
    ("「絶望」", 0, 4, (1, 3)),
    ("絶望", 0, 2, (0, 2)),
    ("\u3000最悪。\n", 0, 5, (1, 3)),
    ("、。", 0, 2, (2, 2)),
    ("a b", 1, 2, (2, 2)),
])
def test_trim_span(text, start, end, expected):
    assert trim_span(text, start, end) == expected


# -- read_spans: good files --------------------------------------------------------------------

def test_read_spans_sorts_and_types(tmp_path):
    path = write(tmp_path, "001\tName_Calling-Labeling\t6\t11\n"
                           "000\tLoaded_Language\t8\t10\n"
                           "000\tLoaded_Language\t1\t3\n"
                           "000\tAppeal_to_Fear-Prejudice\t16\t19\n")
    spans = read_spans(path, texts=TEXTS)
    assert list(spans.columns) == list(SPAN_COLUMNS)
    assert records(spans) == [("000", "Loaded_Language", 1, 3),
                              ("000", "Loaded_Language", 8, 10),
                              ("000", "Appeal_to_Fear-Prejudice", 16, 19),
                              ("001", "Name_Calling-Labeling", 6, 11)]
    assert spans["start"].dtype == np.int64 and spans["end"].dtype == np.int64


@pytest.mark.parametrize("content", [
    "000\tLoaded_Language\t1\t3\r\n000\tLoaded_Language\t8\t10\r\n",   # CRLF
    "\ufeff000\tLoaded_Language\t1\t3\n000\tLoaded_Language\t8\t10",    # BOM, no final LF
    "000\tLoaded_Language\t1\t3\n000\tLoaded_Language\t8\t10\n\n\n",     # trailing blank lines
])
def test_read_spans_tolerates_line_endings_bom_and_trailing_blank_lines(tmp_path, content):
    spans = read_spans(write(tmp_path, content), texts=TEXTS)
    assert records(spans) == [("000", "Loaded_Language", 1, 3), ("000", "Loaded_Language", 8, 10)]


def test_read_spans_accepts_a_buffer_and_a_corpus_table():
    corpus = pd.DataFrame({"doc_id": ["000"], "text": [T0]})
    spans = read_spans(io.StringIO("000\tLoaded_Language\t1\t3\n"), texts=corpus)
    assert records(spans) == [("000", "Loaded_Language", 1, 3)]


def test_spans_of_unknown_documents_are_checked_on_offsets_only():
    spans = read_spans(io.StringIO("999\tDoubt\t0\t100000\n"), texts=TEXTS)
    assert records(spans) == [("999", "Doubt", 0, 100000)]
    with pytest.raises(SpanError, match="start 5 must be less than end 5"):
        read_spans(io.StringIO("999\tDoubt\t5\t5\n"), texts=TEXTS)


def test_texts_none_means_the_bundled_corpus(monkeypatch):
    monkeypatch.setattr(utils.persuasion.spans, "_bundled_texts", lambda: {"000": T0})
    assert records(read_spans(io.StringIO("000\tDoubt\t1\t3\n"))) == [("000", "Doubt", 1, 3)]
    with pytest.raises(SpanError, match="starts on '「'"):
        read_spans(io.StringIO("000\tDoubt\t0\t3\n"))


def test_texts_none_checks_against_the_real_corpus():
    from utils.analysis.corpus import load_corpus

    text = load_corpus().set_index("doc_id").loc["000", "text"]
    start = text.index("「日本")
    good = f"000\tAppeal_to_Fear-Prejudice\t{start + 1}\t{start + 3}\n"
    assert records(read_spans(io.StringIO(good))) == [
        ("000", "Appeal_to_Fear-Prejudice", start + 1, start + 3)]
    bad = f"000\tAppeal_to_Fear-Prejudice\t{start}\t{start + 3}\n"
    with pytest.raises(SpanError, match=f"span 000 {start}-{start + 3} '「日本' starts on '「'"):
        read_spans(io.StringIO(bad))


def test_an_empty_file_written_by_write_spans_is_refused_naming_allow_empty(tmp_path):
    path = tmp_path / "empty.tsv"
    write_spans(read_spans(io.StringIO(""), allow_empty=True), path)
    with pytest.raises(SpanError, match=r"empty\.tsv: the file is empty; .*allow_empty=True"):
        read_spans(path)
    assert read_spans(path, allow_empty=True).empty


def test_empty_file_is_allowed_on_request(tmp_path):
    spans = read_spans(write(tmp_path, ""), texts=TEXTS, allow_empty=True)
    assert records(spans) == [] and list(spans.columns) == list(SPAN_COLUMNS)


# -- read_spans: bad files ---------------------------------------------------------------------

BAD_FILES = [
    ("", "gold.tsv: the file is empty; expected one span per line: "
         "doc_id<TAB>technique<TAB>start<TAB>end, or pass allow_empty=True to read an empty "
         "file as a table with no spans (as write_spans writes one)"),
    ("\n\n", "gold.tsv: the file is empty; expected one span per line: "
             "doc_id<TAB>technique<TAB>start<TAB>end, or pass allow_empty=True to read an "
             "empty file as a table with no spans (as write_spans writes one)"),
    ("000\tLoaded_Language\t1\n",
     "gold.tsv, line 1: expected 4 tab-separated fields (doc_id, technique, start, end), "
     "found 3: '000\\tLoaded_Language\\t1'"),
    ("000 Loaded_Language 1 3\n",
     "gold.tsv, line 1: expected 4 tab-separated fields (doc_id, technique, start, end), "
     "found 1: '000 Loaded_Language 1 3' (are the fields separated by spaces instead of tabs?)"),
    ("000\tLoaded_Language\t1\t3\tnote\n",
     "gold.tsv, line 1: expected 4 tab-separated fields (doc_id, technique, start, end), "
     "found 5: '000\\tLoaded_Language\\t1\\t3\\tnote'"),
    ("doc_id\ttechnique\tstart\tend\n000\tLoaded_Language\t1\t3\n",
     "gold.tsv, line 1: looks like a header ('doc_id\\ttechnique\\tstart\\tend'); span files "
     "have no header line, every line is a span"),
    ("000\tLoaded_Language\t1\t3\n\n000\tLoaded_Language\t8\t10\n",
     "gold.tsv, line 2: empty line; every line must be a span: "
     "doc_id<TAB>technique<TAB>start<TAB>end"),
    ("000\tLoaded_Language\t1\t3\n000\tLoaded_language\t8\t10\n",
     "gold.tsv, line 2: unknown technique 'Loaded_language'; did you mean 'Loaded_Language'? "
     "(all 23 labels: utils.techniques().label)"),
    ("000\tDoubt \t1\t3\n",
     "gold.tsv, line 1: unknown technique 'Doubt '; remove the spaces around it: 'Doubt'"),
    ("000\tDoubt\tone\t3\n",
     "gold.tsv, line 1: start must be a non-negative integer (a character offset), found 'one'"),
    ("000\tDoubt\t1\t3.0\n",
     "gold.tsv, line 1: end must be a non-negative integer (a character offset), found '3.0'"),
    ("000\tDoubt\t-1\t3\n",
     "gold.tsv, line 1: start must be a non-negative integer (a character offset), found '-1'"),
    ("000\tDoubt\t\t3\n",
     "gold.tsv, line 1: start must be a non-negative integer (a character offset), found ''"),
    ("000\tDoubt\t3\t1\n",
     "gold.tsv, line 1: start 3 must be less than end 1 (offsets are 0-based and end is "
     "exclusive)"),
    ("000\tDoubt\t2\t2\n",
     "gold.tsv, line 1: start 2 must be less than end 2 (offsets are 0-based and end is "
     "exclusive)"),
    ("001\tDoubt\t6\t12\n",
     "gold.tsv, line 1: end 12 is past the end of document '001', which has 11 characters "
     "(valid offsets are 0..11)"),
    ("000\tLoaded_Language\t0\t3\n",
     "gold.tsv, line 1: span 000 0-3 '「絶望' starts on '「' (white space or punctuation); "
     "trimmed it would be 1-3 '絶望'"),
    ("000\tLoaded_Language\t1\t4\n",
     "gold.tsv, line 1: span 000 1-4 '絶望」' ends on '」' (white space or punctuation); "
     "trimmed it would be 1-3 '絶望'"),
    ("000\tLoaded_Language\t8\t15\n",
     "gold.tsv, line 1: span 000 8-15 '最悪シナリオ。' ends on '。' (white space or "
     "punctuation); trimmed it would be 8-14 '最悪シナリオ'"),
    ("000\tAppeal_to_Fear-Prejudice\t16\t20\n",
     "gold.tsv, line 1: span 000 16-20 '核戦争\\u3000' ends on '\\u3000' (white space or "
     "punctuation); trimmed it would be 16-19 '核戦争'"),
    ("000\tAppeal_to_Fear-Prejudice\t14\t19\n",
     "gold.tsv, line 1: span 000 14-19 '。\\n核戦争' starts on '。' (white space or "
     "punctuation); trimmed it would be 16-19 '核戦争'"),
    ("001\tName_Calling-Labeling\t2\t5\n",
     "gold.tsv, line 1: span 001 2-5 '・ナチ' starts on '・' (white space or punctuation); "
     "trimmed it would be 3-5 'ナチ'"),
    ("000\tDoubt\t14\t16\n",
     "gold.tsv, line 1: span 000 14-16 '。\\n' holds only white space or punctuation; mark "
     "the words of the technique instead"),
    ("000\tDoubt\t1\t3\n001\tDoubt\t0\t2\n000\tDoubt\t1\t3\n",
     "gold.tsv, line 3: duplicate of line 1 (000 Doubt 1-3)"),
    ("\tDoubt\t1\t3\n", "gold.tsv, line 1: doc_id is empty"),
    (" 000\tDoubt\t1\t3\n",
     "gold.tsv, line 1: doc_id ' 000' has white space around it; write it as '000'"),
    (b"000\tDoubt\t1\t3\n000\tDoubt\t8\t\xe6\x9c\n",
     "gold.tsv, line 2: not valid UTF-8 (byte b'\\xe6'); save the file as UTF-8"),
]


@pytest.mark.parametrize("content, message", BAD_FILES)
def test_read_spans_rejects_bad_files(tmp_path, content, message):
    path = write(tmp_path, content)
    with pytest.raises(SpanError) as err:
        read_spans(path, texts=TEXTS)
    assert str(err.value) == message.replace("gold.tsv", str(path), 1)


def test_span_error_carries_source_line_and_reason():
    with pytest.raises(SpanError) as err:
        read_spans(io.StringIO("000\tDoubt\t1\t3\n000\tDoubt\t3\t1\n"), texts=TEXTS)
    assert (err.value.source, err.value.line) == ("<buffer>", 2)
    assert err.value.reason.startswith("start 3 must be less than end 1")
    assert isinstance(err.value, ValueError)


# -- validate_spans ------------------------------------------------------------------------------

def frame(*rows, index=None) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(SPAN_COLUMNS), index=index)


def test_validate_spans_returns_a_clean_sorted_copy():
    spans = frame(("001", "Name_Calling-Labeling", np.int64(6), np.int64(11)),
                  ("000", "Loaded_Language", 1, 3)).assign(note=["x", "y"])
    clean = validate_spans(spans, TEXTS)
    assert list(clean.columns) == list(SPAN_COLUMNS)
    assert records(clean) == [("000", "Loaded_Language", 1, 3),
                              ("001", "Name_Calling-Labeling", 6, 11)]


@pytest.mark.parametrize("row, message", [
    (("000", "Loaded_Language", 1.0, 3),
     "spans, row 7: start must be a non-negative integer (a character offset), found 1.0"),
    (("000", "Loaded_Language", 1, None),
     "spans, row 7: end must be a non-negative integer (a character offset), found None"),
    (("000", "Loaded_Language", True, 3),
     "spans, row 7: start must be a non-negative integer (a character offset), found True"),
    ((0, "Loaded_Language", 1, 3), "spans, row 7: doc_id must be a str such as '000', found 0"),
    (("000", None, 1, 3),
     "spans, row 7: technique must be a str label such as 'Loaded_Language', found None"),
    (("000", "Slogan", 1, 3),
     "spans, row 7: unknown technique 'Slogan'; did you mean 'Slogans'? "
     "(all 23 labels: utils.techniques().label)"),
    (("000", "Loaded_Language", 0, 3),
     "spans, row 7: span 000 0-3 '「絶望' starts on '「' (white space or punctuation); "
     "trimmed it would be 1-3 '絶望'"),
])
def test_validate_spans_names_the_bad_row(row, message):
    with pytest.raises(SpanError) as err:
        validate_spans(frame(row, index=[7]), TEXTS)
    assert str(err.value) == message


def test_validate_spans_rejects_duplicates_and_missing_columns():
    with pytest.raises(SpanError, match=r"^spans, row 1: duplicate of row 0 \(000 Doubt 1-3\)$"):
        validate_spans(frame(("000", "Doubt", 1, 3), ("000", "Doubt", 1, 3)), TEXTS)
    with pytest.raises(SpanError, match=r"^spans: missing column\(s\) \['end'\]; a span table "):
        validate_spans(pd.DataFrame({"doc_id": ["000"], "technique": ["Doubt"],
                                     "start": [1]}), TEXTS)
    with pytest.raises(TypeError, match="must be a DataFrame"):
        validate_spans([("000", "Doubt", 1, 3)], TEXTS)


@pytest.mark.parametrize("texts, error, message", [
    (["000"], TypeError, "texts must be None (the bundled corpus), a dict"),
    (pd.DataFrame({"doc_id": ["000"]}), ValueError,
     "texts is a DataFrame without the column(s) ['text']"),
    ({"000": 3}, TypeError, "texts: the text of document '000' must be a str, found 3 (int)"),
])
def test_bad_texts_are_explained(texts, error, message):
    with pytest.raises(error) as err:
        validate_spans(frame(("000", "Doubt", 1, 3)), texts)
    assert str(err.value).startswith(message)


# -- write_spans ---------------------------------------------------------------------------------

def test_write_spans_sorted_headerless_lf(tmp_path):
    spans = frame(("001", "Name_Calling-Labeling", 6, 11), ("000", "Loaded_Language", 8, 10),
                  ("000", "Doubt", 1, 3), ("000", "Loaded_Language", 1, 3))
    path = tmp_path / "out.tsv"
    write_spans(spans.assign(extra=1), path)
    assert path.read_bytes() == ("000\tDoubt\t1\t3\n000\tLoaded_Language\t1\t3\n"
                                 "000\tLoaded_Language\t8\t10\n"
                                 "001\tName_Calling-Labeling\t6\t11\n").encode("utf-8")
    assert records(read_spans(path, texts=TEXTS)) == records(validate_spans(spans, TEXTS))


def test_write_spans_of_nothing_writes_an_empty_file(tmp_path):
    path = tmp_path / "none.tsv"
    write_spans(frame(), path)
    assert path.read_bytes() == b""


def test_write_spans_checks_the_table(tmp_path):
    with pytest.raises(SpanError, match=r"^spans, row 0: start 3 must be less than end 1"):
        write_spans(frame(("000", "Doubt", 3, 1)), tmp_path / "x.tsv")
    assert not (tmp_path / "x.tsv").exists()


# -- spans_from_text -----------------------------------------------------------------------------

TEXT = "傀儡政権だ。傀儡だ、傀儡！"   # 傀儡 at 0, 6, 10


@pytest.mark.parametrize("phrase, occurrence, expected", [
    ("傀儡", 1, [(0, 2)]),
    ("傀儡", 2, [(6, 8)]),
    ("傀儡", 3, [(10, 12)]),
    ("傀儡", "all", [(0, 2), (6, 8), (10, 12)]),
    ("傀儡政権", 1, [(0, 4)]),
    ("傀儡だ", "all", [(6, 9)]),
])
def test_spans_from_text(phrase, occurrence, expected):
    spans = spans_from_text(TEXT, phrase, doc_id="002", technique="Name_Calling-Labeling",
                            occurrence=occurrence)
    assert records(spans) == [("002", "Name_Calling-Labeling", s, e) for s, e in expected]
    assert all(TEXT[s:e] == phrase for s, e in expected)


@pytest.mark.parametrize("phrase, kwargs, message", [
    ("ネオナチ", {}, "phrase 'ネオナチ' does not occur in document '002'; copy it from the text "
                    "exactly (full-width and half-width characters differ)"),
    ("傀儡", {"occurrence": 4}, "occurrence=4 is not valid: '傀儡' occurs 3 time(s) in document "
                               "'002', so use 1..3 or 'all'"),
    ("傀儡", {"occurrence": 0}, "occurrence=0 is not valid: '傀儡' occurs 3 time(s) in document "
                               "'002', so use 1..3 or 'all'"),
    ("傀儡", {"occurrence": "first"}, "occurrence='first' is not valid"),
    ("傀儡！", {}, "phrase '傀儡！' starts or ends on white space or punctuation; quote only the "
                 "words, e.g. '傀儡'"),
    ("。", {}, "phrase '。' holds only white space or punctuation"),
    ("", {}, "phrase is empty; quote the words of the technique, e.g. '暴挙'"),
    ("傀儡", {"technique": "Labeling"}, "unknown technique 'Labeling'"),
])
def test_spans_from_text_errors(phrase, kwargs, message):
    options = {"doc_id": "002", "technique": "Name_Calling-Labeling", **kwargs}
    with pytest.raises(ValueError) as err:
        spans_from_text(TEXT, phrase, **options)
    assert str(err.value).startswith(message)


# -- issue 13: nothing lost, nothing silently wrong ---------------------------------------------

def test_a_bom_at_the_start_of_any_line_is_dropped(tmp_path):
    """Two BOM-prefixed files concatenated: the second BOM must not join the doc_id."""
    one = "\ufeff000\tLoaded_Language\t1\t3\n".encode("utf-8")
    two = "\ufeff001\tName_Calling-Labeling\t6\t11\n".encode("utf-8")
    spans = read_spans(write(tmp_path, one + two), texts=TEXTS)
    assert records(spans) == [("000", "Loaded_Language", 1, 3),
                              ("001", "Name_Calling-Labeling", 6, 11)]
    assert records(read_spans(io.StringIO("\ufeff000\tLoaded_Language\t1\t3\n"),
                              texts=TEXTS)) == [("000", "Loaded_Language", 1, 3)]


def test_identical_concatenated_files_score_one(tmp_path):
    from utils.persuasion.scoring import score

    content = ("\ufeff000\tLoaded_Language\t1\t3\n".encode("utf-8")
               + "\ufeff001\tName_Calling-Labeling\t6\t11\n".encode("utf-8"))
    gold = read_spans(write(tmp_path, content, "gold.tsv"), texts=TEXTS)
    pred = read_spans(write(tmp_path, "000\tLoaded_Language\t1\t3\n"
                            "001\tName_Calling-Labeling\t6\t11\n", "pred.tsv"), texts=TEXTS)
    assert score(gold, pred)["f1"] == 1.0


@pytest.mark.parametrize("doc_id, shown", [
    ("a\nb", r"'a\\nb' holds '\\n'"), ("a\rb", r"'a\\rb' holds '\\r'"),
    ("a\tb", r"'a\\tb' holds '\\t'"), ("a\u2028b", r"'a\\u2028b' holds '\\u2028'"),
    ("a\x1cb", r"'a\\x1cb' holds '\\x1c'"), ("a\x85b", r"'a\\x85b' holds '\\x85'"),
    ("a\ufeffb", r"'a\\ufeffb' holds '\\ufeff'"), ("a\udce2b", r"'a\\udce2b' holds '\\udce2'"),
])
def test_write_spans_refuses_a_doc_id_it_could_not_read_back(doc_id, shown):
    table = pd.DataFrame({"doc_id": [doc_id], "technique": ["Doubt"], "start": [0], "end": [2]})
    buffer = io.StringIO()
    with pytest.raises(SpanError, match=rf"^spans, row 0: doc_id {shown} .*one line without "
                                        r"tabs, line breaks, control or format characters"):
        write_spans(table, buffer)
    assert buffer.getvalue() == ""


def test_doc_id_with_inner_space_round_trips(tmp_path):
    table = pd.DataFrame({"doc_id": ["my text"], "technique": ["Doubt"], "start": [0],
                          "end": [2]})
    write_spans(table, tmp_path / "x.tsv")
    assert records(read_spans(tmp_path / "x.tsv", texts={})) == [("my text", "Doubt", 0, 2)]


@pytest.mark.parametrize("call, message", [
    (lambda: read_spans(None), r"^path_or_buffer must be a file path or a readable text buffer .*got "
                               r"NoneType"),
    (lambda: read_spans(3), r"^path_or_buffer must be a file path .*got int"),
    (lambda: write_spans(pd.DataFrame(columns=list(SPAN_COLUMNS)), None),
     r"^path must be a file path or a writable text buffer .*got NoneType"),
])
def test_none_path_is_a_type_error(call, message):
    with pytest.raises(TypeError, match=message):
        call()


@pytest.mark.parametrize("value", ["9" * 5000, "9223372036854775808"])
def test_a_huge_offset_names_file_and_line(tmp_path, value):
    path = write(tmp_path, f"000\tDoubt\t1\t3\n999\tDoubt\t1\t{value}\n")
    with pytest.raises(SpanError, match=rf"^{path}, line 2: end {value[:12]}… \({len(value)} "
                                        r"digits\) is too large for a character offset \(at "
                                        r"most 9223372036854775807\)$"):
        read_spans(path, texts=TEXTS)


def test_a_huge_offset_in_a_table_is_a_span_error():
    table = pd.DataFrame({"doc_id": ["000"], "technique": ["Doubt"], "start": [1],
                          "end": [10 ** 30]}, dtype=object)
    with pytest.raises(SpanError, match=r"^spans, row 0: end 100000000000… \(31 digits\) is "
                                        r"too large"):
        validate_spans(table, {})


@pytest.mark.parametrize("texts, error, message", [
    (pd.DataFrame({"doc_id": ["000", "000"], "text": [T0, T1]}), ValueError,
     r"^texts: doc_id values must be unique; repeated: \['000'\]$"),
    (pd.DataFrame({"doc_id": [float("nan")], "text": [T0]}), TypeError,
     r"^texts: doc_id must be a str such as '000', found nan \(float\)$"),
    ({None: T0}, TypeError, r"^texts: doc_id must be a str such as '000', found None"),
    ({"000": float("nan")}, TypeError,
     r"^texts: the text of document '000' must be a str, found nan \(float\)$"),
])
def test_texts_with_duplicate_or_missing_doc_ids_are_refused(texts, error, message):
    with pytest.raises(error, match=message):
        read_spans(io.StringIO("000\tDoubt\t1\t3\n"), texts=texts)


# -- the sweep: odd inputs of every public function ----------------------------------------------

def outcome(call, expected):
    """Run ``call``; ``expected`` is (exception type, message regex) or the result."""
    if isinstance(expected, tuple) and len(expected) == 2 and isinstance(expected[0], type) \
            and issubclass(expected[0], Exception):
        with pytest.raises(expected[0], match=expected[1]):
            call()
        return
    result = call()
    if isinstance(result, pd.DataFrame):
        result = records(result)
    assert result == expected and type(result) is type(expected)


NAN = float("nan")
ONE_CHAR = r"^char must be a str of one character such as '、', got "

SWEEP_IS_BOUNDARY_CHAR = [
    (None, (TypeError, ONE_CHAR + "NoneType None$")), (3, (TypeError, ONE_CHAR + "int 3$")),
    (NAN, (TypeError, ONE_CHAR + "float nan$")), (b"a", (TypeError, ONE_CHAR + "bytes")),
    ("", (ValueError, r"^char must be exactly one character, got 0: ''$")),
    ("ab", (ValueError, r"^char must be exactly one character, got 2: 'ab'$")),
    ("\u2028", True), ("\u2029", True), ("\x85", True), ("\x1c", True), ("\x1f", True),
    ("\ufeff", False), ("\udce2", False), ("\u0301", False), ("ｱ", False), ("｡", True),
    ("｢", True), ("ー", False),
]


@pytest.mark.parametrize("char, expected", SWEEP_IS_BOUNDARY_CHAR)
def test_sweep_is_boundary_char(char, expected):
    outcome(lambda: is_boundary_char(char), expected)


RANGE = r"^start {} and end {} must satisfy 0 <= start <= end <= {} \(the length of the text\)$"
SWEEP_TRIM_SPAN = [
    ((None, 0, 1), (TypeError, r"^text must be a str, got NoneType$")),
    (("abc", None, 2), (TypeError, r"^start must be an int \(a character offset\), got NoneType")),
    (("abc", 0.5, 2), (TypeError, r"^start must be an int .*got float 0.5$")),
    (("abc", 0, NAN), (TypeError, r"^end must be an int .*got float nan$")),
    (("abc", True, 2), (TypeError, r"^start must be an int .*got bool True$")),
    (("abc", -1, 2), (ValueError, RANGE.format(-1, 2, 3))),
    (("abc", 0, 10), (ValueError, RANGE.format(0, 10, 3))),
    (("abc", 2, 1), (ValueError, RANGE.format(2, 1, 3))),
    (("abc", np.int64(0), np.int64(2)), (0, 2)),
    (("\u2028a\u2029", 0, 3), (1, 2)), (("\x1ca\x1f", 0, 3), (1, 2)),
    (("\ufeffa", 0, 2), (0, 2)), (("a\u0301", 0, 2), (0, 2)), (("｢ｱ｣", 0, 3), (1, 2)),
    (("", 0, 0), (0, 0)), (("、" * 100_000 + "a", 0, 100_001), (100_000, 100_001)),
]


@pytest.mark.parametrize("args, expected", SWEEP_TRIM_SPAN)
def test_sweep_trim_span(args, expected):
    outcome(lambda: trim_span(*args), expected)


def sft(text="キエフ政権は傀儡だ", phrase="傀儡", doc_id="002", technique="Doubt", **kwargs):
    return lambda: spans_from_text(text, phrase, doc_id=doc_id, technique=technique, **kwargs)


MUST_BE_STR = r"^text, phrase and doc_id must be str, got "
SWEEP_SPANS_FROM_TEXT = [
    (sft(text=None), (TypeError, MUST_BE_STR + "NoneType, str and str$")),
    (sft(phrase=NAN), (TypeError, MUST_BE_STR + "str, float and str$")),
    (sft(doc_id=2), (TypeError, MUST_BE_STR + "str, str and int$")),
    (sft(doc_id=""), (ValueError, r"^doc_id is empty$")),
    (sft(doc_id="0\n2"), (ValueError, r"^doc_id '0\\n2' holds '\\n' \(U\+000A\)")),
    (sft(doc_id="\ufeff002"), (ValueError, r"^doc_id '\\ufeff002' holds '\\ufeff'")),
    (sft(phrase=""), (ValueError, r"^phrase is empty")),
    (sft(phrase="傀儡だ\u2028"), (ValueError, r"starts or ends on white space or punctuation; "
                                              r"quote only the words, e.g. '傀儡だ'$")),
    (sft(technique="doubt"), (ValueError, r"^unknown technique 'doubt'; did you mean 'Doubt'")),
    (sft(technique=None), (ValueError, r"^unknown technique None")),
    (sft(occurrence=0), (ValueError, r"^occurrence=0 is not valid: '傀儡' occurs 1 time")),
    (sft(occurrence=True), (ValueError, r"^occurrence=True is not valid")),
    (sft(occurrence="ALL"), (ValueError, r"^occurrence='ALL' is not valid")),
    (sft(occurrence=np.int64(1)), [("002", "Doubt", 6, 8)]),
    (sft(phrase="ｷｴﾌ"), (ValueError, r"^phrase 'ｷｴﾌ' does not occur in document '002'; copy it "
                                       r"from the text exactly \(full-width and half-width")),
    (sft(text="傀\u0301儡", phrase="傀\u0301儡"), [("002", "Doubt", 0, 3)]),
]


@pytest.mark.parametrize("call, expected", SWEEP_SPANS_FROM_TEXT)
def test_sweep_spans_from_text(call, expected):
    outcome(call, expected)


def table(**columns):
    base = {"doc_id": ["000"], "technique": ["Doubt"], "start": [1], "end": [3]}
    base.update(columns)
    return pd.DataFrame(base)


ROW0 = r"^spans, row 0: "
SWEEP_VALIDATE_SPANS = [
    (None, TEXTS, (TypeError, r"^spans must be a DataFrame with columns")),
    ([("000", "Doubt", 1, 3)], TEXTS, (TypeError, r"^spans must be a DataFrame .*got list$")),
    (table().drop(columns="end"), TEXTS, (SpanError, r"^spans: missing column\(s\) \['end'\]")),
    (pd.concat([table(), table()[["end"]]], axis=1), TEXTS,
     (SpanError, r"^spans: the column\(s\) \['end'\] appear more than once")),
    (table(doc_id=[NAN]), TEXTS, (SpanError, ROW0 + r"doc_id must be a str such as '000', "
                                              r"found nan$")),
    (table(doc_id=[None]), TEXTS, (SpanError, ROW0 + r"doc_id must be a str .*found None$")),
    (table(doc_id=[0]), TEXTS, (SpanError, ROW0 + r"doc_id must be a str .*found 0$")),
    (table(doc_id=["0\u20280"]), {}, (SpanError, ROW0 + r"doc_id '0\\u20280' holds '\\u2028' "
                                                   r"\(LINE SEPARATOR\)")),
    (table(doc_id=["0\x1d"]), {}, (SpanError, ROW0 + r"doc_id '0\\x1d' holds '\\x1d'")),
    (table(doc_id=[" 000"]), {}, (SpanError, ROW0 + r"doc_id ' 000' has white space around it")),
    (table(start=[1.0]), TEXTS, (SpanError, ROW0 + r"start must be a non-negative integer "
                                                 r"\(a character offset\), found 1.0$")),
    (table(start=[NAN]), TEXTS, (SpanError, ROW0 + r"start must be .*found nan$")),
    (table(start=[-1]), TEXTS, (SpanError, ROW0 + r"start must be .*found -1$")),
    (table(end=[True]), TEXTS, (SpanError, ROW0 + r"end must be .*found True$")),
    (table(end=pd.array([None], dtype="Int64")), TEXTS, (SpanError, ROW0 + r"end must be .*found <NA>$")),
    (table(end=[10 ** 19]), {}, (SpanError, ROW0 + r"end 100000000000… \(20 digits\) is too "
                                                r"large for a character offset")),
    (table(technique=["\ufeffDoubt"]), TEXTS, (SpanError, ROW0 + r"unknown technique '\\ufeffDoubt'")),
    (table(technique=[NAN]), TEXTS, (SpanError, ROW0 + r"technique must be a str label")),
    (pd.concat([table(), table()]), TEXTS, (SpanError, r"^spans, row 0: duplicate of row 0 ")),
    (table().iloc[:0], TEXTS, []),
    (table(start=pd.array([1], dtype="Int64"), doc_id=pd.Categorical(["000"])), TEXTS,
     [("000", "Doubt", 1, 3)]),
    (table(), pd.Series({"000": T0}), (TypeError, r"^texts must be None \(the bundled corpus\), "
                                                  r"a dict .*got Series$")),
    (table(), {"000": T0, "0\t1": T1}, (ValueError, r"^texts: doc_id '0\\t1' holds '\\t'")),
    (table(), {"": T0}, (ValueError, r"^texts: doc_id is empty$")),
]


@pytest.mark.parametrize("spans, texts, expected", SWEEP_VALIDATE_SPANS)
def test_sweep_validate_spans(spans, texts, expected):
    outcome(lambda: validate_spans(spans, texts), expected)


LINE1 = r"^<buffer>, line 1: "
SWEEP_READ_SPANS = [
    (None, {}, (TypeError, r"^path_or_buffer must be a file path or a readable text buffer")),
    (3.5, {}, (TypeError, r"^path_or_buffer must be a file path .*got float$")),
    ("", {}, (ValueError, r"^path_or_buffer is an empty path; name a span file")),
    ("/nonexistent/gold.tsv", {}, (FileNotFoundError, r"No such file .*'/nonexistent/gold.tsv'")),
    ("000\tDoubt\t1\t3\n", {"allow_empty": 1}, (TypeError, r"^allow_empty must be True or False, "
                                                       r"got 1$")),
    ("000\tDoubt\t1\t3\u2028\n", {}, (SpanError, LINE1 + r"end must be a non-negative integer "
                                                      r"\(a character offset\), found '3\\u2028'$")),
    ("000\u2029\tDoubt\t1\t3\n", {}, (SpanError, LINE1 + r"doc_id '000\\u2029' holds '\\u2029'")),
    ("\x1e000\tDoubt\t1\t3\n", {}, (SpanError, LINE1 + r"doc_id '\\x1e000' holds '\\x1e'")),
    ("000\x85\tDoubt\t1\t3\n", {}, (SpanError, LINE1 + r"doc_id '000\\x85' holds '\\x85'")),
    ("\udce2\tDoubt\t1\t3\n", {}, (SpanError, LINE1 + r"doc_id '\\udce2' holds '\\udce2'")),
    ("000\tDoubt\t１\t3\n", {}, (SpanError, LINE1 + r"start must be .*found '１'$")),
    ("000\tDoubt\t+1\t3\n", {}, (SpanError, LINE1 + r"start must be .*found '\+1'$")),
    ("000\tDoubt\t1\t" + "9" * 5000 + "\n", {},
     (SpanError, LINE1 + r"end 999999999999… \(5000 digits\) is too large")),
    ("000\tDoubt\t0001\t3\n", {}, [("000", "Doubt", 1, 3)]),
    ("\ufeff000\tDoubt\t1\t3\n\ufeff001\tDoubt\t6\t8\n", {},
     [("000", "Doubt", 1, 3), ("001", "Doubt", 6, 8)]),
    ("000\tDoubt\u0301\t1\t3\n", {}, (SpanError, LINE1 + r"unknown technique 'Doubt\u0301'")),
    ("000\tDoubt\t1\t3\t\n", {}, (SpanError, LINE1 + r"expected 4 tab-separated fields")),
    ("000 Doubt 1 3\n", {}, (SpanError, LINE1 + r"expected 4 .*found 1: '000 Doubt 1 3' "
                                               r"\(are the fields separated by spaces")),
    ("\ufeff\n", {}, (SpanError, r"^<buffer>: the file is empty")),
    ("\n", {}, (SpanError, r"^<buffer>: the file is empty; .* pass allow_empty=True to read "
                           r"an empty file as a table with no spans")),
    ("\ufeff\n", {"allow_empty": np.True_}, []),
    ("a" * 100_000 + "\tDoubt\t1\t3\n", {}, [("a" * 100_000, "Doubt", 1, 3)]),
]


@pytest.mark.parametrize("source, kwargs, expected", SWEEP_READ_SPANS)
def test_sweep_read_spans(source, kwargs, expected):
    if isinstance(source, str) and source.endswith("\n"):
        source = io.StringIO(source)
    outcome(lambda: read_spans(source, texts=TEXTS, **kwargs), expected)


def test_sweep_read_spans_bytes_and_folders(tmp_path):
    outcome(lambda: read_spans(io.BytesIO(b"000\tDoubt\t1\t3\n\xff\n"), texts=TEXTS),
            (SpanError, r"^<buffer>, line 2: not valid UTF-8 \(byte b'\\xff'\)"))
    outcome(lambda: read_spans(tmp_path, texts=TEXTS), (IsADirectoryError, "Is a directory"))


SWEEP_WRITE_SPANS = [
    (table(), None, (TypeError, r"^path must be a file path or a writable text buffer .*got "
                                r"NoneType$")),
    (table(), 3, (TypeError, r"^path must be .*got int$")),
    (table(), "", (ValueError, r"^path is an empty path")),
    (None, io.StringIO(), (TypeError, r"^spans must be a DataFrame")),
    (table(doc_id=["0\u20290"]), io.StringIO(), (SpanError, ROW0 + r"doc_id '0\\u20290' holds")),
    (table(doc_id=["0\udce20"]), io.StringIO(), (SpanError, ROW0 + r"doc_id '0\\udce20' holds")),
    (table(technique=["Slogan"]), io.StringIO(), (SpanError, ROW0 + r"unknown technique 'Slogan'; "
                                                               r"did you mean 'Slogans'\?")),
    (table(start=[NAN]), io.StringIO(), (SpanError, ROW0 + r"start must be .*found nan$")),
    (table(end=[2 ** 64]), io.StringIO(), (SpanError, ROW0 + r"end 184467440737… \(20 digits\)")),
    (table(doc_id=["ｷｴﾌ"]), io.StringIO(), None),
    (table(doc_id=["a\u0301"]), io.BytesIO(), None),
]


@pytest.mark.parametrize("spans, target, expected", SWEEP_WRITE_SPANS)
def test_sweep_write_spans(spans, target, expected):
    if expected is not None:
        outcome(lambda: write_spans(spans, target), expected)
        return
    write_spans(spans, target)
    written = target.getvalue()
    written = written.decode("utf-8") if isinstance(written, bytes) else written
    assert records(read_spans(io.StringIO(written), texts={})) == records(spans)
