"""Tests of utils/persuasion/detect.py: the cue-lexicon baseline detector and its lexicon."""
from __future__ import annotations

import importlib
import re

import pandas as pd
import pytest
from sweep_tables import check_row

from utils.analysis.corpus import load_corpus
from utils.persuasion.detect import CUES_TSV, cue_lexicon, detect
from utils.persuasion.spans import SPAN_COLUMNS, trim_span, validate_spans
from utils.persuasion.techniques import TECHNIQUE_LABELS

NC, LL, DOUBT = "Name_Calling-Labeling", "Loaded_Language", "Doubt"


def found(text: str, **kwargs) -> list[tuple]:
    result = detect({"d": text}, **kwargs)
    assert set(result["doc_id"]) <= {"d"}
    return list(result[["technique", "start", "end"]].itertuples(index=False, name=None))


# -- the lexicon -----------------------------------------------------------------------------

def test_lexicon_file_format():
    data = CUES_TSV.read_bytes()
    assert b"\r" not in data and data.endswith(b"\n")
    lines = data.decode("utf-8").split("\n")[:-1]
    assert lines[0] == "technique\tcue\tkind\tsource\tnote"
    assert all(line.count("\t") == 4 for line in lines)


def test_lexicon_table():
    lexicon = cue_lexicon()
    assert list(lexicon.columns) == ["technique", "cue", "kind", "source", "note"]
    assert 40 <= len(lexicon) <= 95
    assert set(lexicon.technique) <= set(TECHNIQUE_LABELS)
    assert set(lexicon.kind) == {"literal", "regex"}
    assert not lexicon.duplicated(["technique", "cue"]).any()
    assert (lexicon.note.str.len() > 10).all()


def test_every_cue_compiles_and_literals_are_trimmed():
    for cue, kind in zip(cue_lexicon().cue, cue_lexicon().kind):
        if kind == "regex":
            assert re.compile(cue).fullmatch("") is None, cue
        else:
            assert trim_span(cue, 0, len(cue)) == (0, len(cue)), cue


@pytest.mark.parametrize("technique, cue", [
    (LL, "絶望"), (LL, "最悪"), (LL, "暴挙"), (NC, "キエフ政権"), (NC, "傀儡"),
    ("Appeal_to_Fear-Prejudice", "核戦争"), ("Appeal_to_Fear-Prejudice", "第三次世界大戦"),
    ("Appeal_to_Time", "今こそ"), ("Exaggeration-Minimisation", "完全に"),
    ("Exaggeration-Minimisation", "間違いない"),
])
def test_lexicon_has_the_core_cues(technique, cue):
    lexicon = cue_lexicon()
    assert ((lexicon.technique == technique) & (lexicon.cue == cue)).any()


# -- where the cues come from (issue 15) ------------------------------------------------------

# every cue written from a corpus text; all other cues have source ""
SOURCED_CUES = {
    "キエフ政権": "002",
    "ネオ・?ナチ傘下": "002",
    "(?:狸|タヌキ)親父": "001",
    "オールド・?メディア": "002",
    "(?:約束|合意)を反故": "003",
    r"(?:我が|わが)\s*(?:US|United States)": "003",
    "国家安全保障上の利益": "001",
    "ウクライナのよう(?:に|な)": "000",
    "(?:から|ため)なんです": "000",
    "(?:(?<![一-龯々ァ-ヶー])|(?<=選択)|(?<=岐路)|(?<=二択)|(?<=瀬戸際))"
    "[一-龯々ァ-ヶー]+か[一-龯々ァ-ヶー]+かの(?:選択|岐路|二択|瀬戸際)": "004",
}


def test_the_sources_are_the_reconstructed_ones():
    lexicon = cue_lexicon()
    assert dict(zip(lexicon.cue[lexicon.source != ""], lexicon.source[lexicon.source != ""])) \
        == SOURCED_CUES
    assert set(lexicon.source) == {"", "000", "001", "002", "003", "004"}


def matching_texts(cue: str, kind: str) -> list[str]:
    pattern = re.compile(re.escape(cue) if kind == "literal" else cue, re.MULTILINE)
    corpus = load_corpus()
    return [d for d, t in zip(corpus.doc_id, corpus.text) if pattern.search(t)]


@pytest.mark.parametrize("cue", sorted(SOURCED_CUES))
def test_a_sourced_cue_matches_its_source_text_only(cue):
    """Part 1 of the criterion in utils/persuasion/detect.py: a cue from text X matches X and no other."""
    row = cue_lexicon().set_index("cue").loc[cue]
    assert matching_texts(cue, row.kind) == [row.source]


@pytest.mark.parametrize("general, sourced", [
    # a regex that mixed general words with a text's wording was split in two rows
    (r"(?:我が|わが)\s*(?:国|祖国)", r"(?:我が|わが)\s*(?:US|United States)"),
    ("国益|愛国", "国家安全保障上の利益"),
    ("(?:から|ため)(?:なのです|にほかならない|に他ならない)", "(?:から|ため)なんです"),
])
def test_split_cues_keep_one_technique(general, sourced):
    lexicon = cue_lexicon().set_index("cue")
    assert lexicon.loc[general, "source"] == "" and lexicon.loc[sourced, "source"] != ""
    assert lexicon.loc[general, "technique"] == lexicon.loc[sourced, "technique"]


@pytest.mark.parametrize("text, expected", [
    # GUIDELINES §2.1: ネオ・ナチ as a label is Name_Calling, as a link Guilt_by_Association
    ("排他的なネオ・ナチ政権", [(NC, 4, 9)]),
    ("ネオナチ傘下のキエフ政権", [("Guilt_by_Association", 0, 6), (NC, 7, 12)]),
    # §2 rule 2 and the gold of 002: 結託, 黒幕, 自作自演, でっち上げ are Loaded_Language
    ("加盟諸国と結託して", [(LL, 5, 7)]),
    ("英国が黒幕だ", [(LL, 3, 5)]),
    ("自作自演のでっち上げ", [(LL, 0, 4), (LL, 5, 10)]),
    # §2 rule 8: 偽旗作戦 is the topic noun of 002's passage, not a technique by itself
    ("偽旗作戦の可能性", []),
    # §1.1: the Kremlin's 「紛争の根本原因の除去」 is Slogans; 「真の原因」 stays a one-cause claim
    ("紛争の根本原因の除去", [("Slogans", 3, 7)]),
    ("これが真の原因だ", [("Causal_Oversimplification", 3, 7)]),
    # §1.1: a forecast stated as certain (〜のは間違いない) is Exaggeration-Minimisation
    ("停戦になるのは間違いない", [("Exaggeration-Minimisation", 7, 12)]),
    # §2 rule 5: insinuating hearsay (〜とも言われている) is Doubt; a plain 〜と言われている
    # stays the unsourced-claim cue of Obfuscation-Vagueness-Confusion
    ("英国が黒幕だろうとも言われている", [(LL, 3, 5), (DOUBT, 8, 16)]),
    ("英国が関与したと言われている", [("Obfuscation-Vagueness-Confusion", 7, 14)]),
    # §1.1: introducing an interviewee by title is how a report names its source
    ("名誉教授に詳しい話を聞いた", []),
])
def test_cue_labels_follow_the_gold_conventions(text, expected):
    assert found(text) == expected


HEADER = "technique\tcue\tkind\tsource\tnote\n"


@pytest.mark.parametrize("line, message", [
    ("Doubt\tいわゆる\tliteral\t005\tx", "cues.tsv, line 2: source '005' is not a corpus doc_id; "
     "write one of ['000', '001', '002', '003', '004'], or leave it empty"),
    ("Doubt\tいわゆる\tliteral\t 002\tx", "cues.tsv, line 2: source ' 002' is not a corpus doc_id"),
    ("Doubt\tいわゆる\tliteral\tx", "cues.tsv, line 2: expected 5 tab-separated fields, found 4"),
])
def test_a_bad_source_in_the_bundled_file_names_the_line(tmp_path, monkeypatch, line, message):
    module = importlib.import_module("utils.persuasion.detect")   # utils.detect is the function
    path = tmp_path / "cues.tsv"
    path.write_text(HEADER + line + "\n", encoding="utf-8")
    monkeypatch.setattr(module, "CUES_TSV", path)
    module._bundled.cache_clear()
    try:
        with pytest.raises(ValueError) as err:
            module.cue_lexicon()
        assert str(err.value).startswith(message)
    finally:
        module._bundled.cache_clear()


def test_an_empty_source_is_accepted(tmp_path, monkeypatch):
    module = importlib.import_module("utils.persuasion.detect")   # utils.detect is the function
    path = tmp_path / "cues.tsv"
    path.write_text(HEADER + "Doubt\tいわゆる\tliteral\t\tx\nDoubt\t本当\tliteral\t003\ty\n",
                    encoding="utf-8")
    monkeypatch.setattr(module, "CUES_TSV", path)
    module._bundled.cache_clear()
    try:
        assert module.cue_lexicon().source.tolist() == ["", "003"]
    finally:
        module._bundled.cache_clear()


# -- detect on small texts ----------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("キエフ政権の暴挙だ。", [(NC, 0, 5), (LL, 6, 8)]),
    ("「ネオナチ」と「ネオ・ナチ」", [(NC, 1, 5), (NC, 8, 13)]),
    ("最悪のシナリオは核戦争、第三次世界大戦だ",
     [(LL, 0, 2), ("Appeal_to_Fear-Prejudice", 8, 11), ("Appeal_to_Fear-Prejudice", 12, 19)]),
    # two Doubt cues match overlapping text: one merged span, trimmed of the ？
    ("本当に停戦できるのか？", [(DOUBT, 0, 10)]),
    # different techniques on the same words stay separate spans
    ("世論調査によると、誰もが知っている。",
     [("Appeal_to_Popularity", 0, 4), ("Appeal_to_Authority", 0, 8),
      ("Appeal_to_Popularity", 9, 12)]),
    # the hashtag sign is punctuation, so the span is the tag itself
    ("#ウクライナ戦争 #平和", [("Slogans", 1, 8), ("Slogans", 10, 12)]),
    # 完全に is a cue, the technical term 完全停戦 is not
    ("完全停戦ではなく完全に停戦", [("Exaggeration-Minimisation", 8, 11)]),
    ("1万5000人も大虐殺した", [("Exaggeration-Minimisation", 0, 8), (LL, 8, 11)]),
    # sentence-initial だから only
    ("ネオナチ政権だから。\nだから核戦争だ",
     [(NC, 0, 4), ("Causal_Oversimplification", 11, 14), ("Appeal_to_Fear-Prejudice", 14, 17)]),
    ("今こそ、いますぐ行動を", [("Appeal_to_Time", 0, 3), ("Appeal_to_Time", 4, 8)]),
    ("言うまでもない。", [("Conversation_Killer", 0, 7)]),
    ("停戦の話です。", []),
    ("", []),
])
def test_detect_table(text, expected):
    assert found(text) == expected


def test_detect_explain_shows_text_and_cues():
    result = detect({"d": "本当に停戦できるのか？傀儡だ"}, explain=True)
    assert list(result.columns) == [*SPAN_COLUMNS, "text", "cue"]
    assert result["text"].tolist() == ["本当に停戦できるのか", "傀儡"]
    assert result.loc[0, "cue"].count(" | ") == 1
    assert result.loc[1, "cue"] == "傀儡"


def test_detect_sorts_documents_and_spans():
    result = detect({"b": "暴挙だ", "a": "傀儡の暴挙"})
    assert list(result.itertuples(index=False, name=None)) == [
        ("a", NC, 0, 2), ("a", LL, 3, 5), ("b", LL, 0, 2)]


def test_detect_accepts_a_custom_lexicon():
    lexicon = pd.DataFrame({"technique": ["Repetition", LL], "cue": ["停戦", r"愚か(?:な|だ)"],
                            "kind": ["literal", "regex"]})
    assert found("停戦、停戦。愚かな", lexicon=lexicon) == [
        ("Repetition", 0, 2), ("Repetition", 3, 5), (LL, 6, 9)]


@pytest.mark.parametrize("row, error, message", [
    ({"technique": "Loaded", "cue": "x", "kind": "literal"}, ValueError,
     "lexicon, row 0: unknown technique 'Loaded'"),
    ({"technique": LL, "cue": "x", "kind": "regexp"}, ValueError,
     "lexicon, row 0: kind 'regexp' is not valid; use 'literal' or 'regex'"),
    ({"technique": LL, "cue": "(", "kind": "regex"}, ValueError,
     "lexicon, row 0: regex cue '(' does not compile (missing ), unterminated subpattern"),
    ({"technique": LL, "cue": "a*", "kind": "regex"}, ValueError,
     "lexicon, row 0: regex cue 'a*' matches the empty string; make every part of it required"),
    ({"technique": LL, "cue": "「暴挙」", "kind": "literal"}, ValueError,
     "lexicon, row 0: literal cue '「暴挙」' starts or ends on white space or punctuation; "
     "write it as '暴挙'"),
    ({"technique": LL, "cue": "", "kind": "literal"}, ValueError,
     "lexicon, row 0: cue must be a non-empty str, found ''"),
    ({"technique": LL, "cue": "暴挙"}, ValueError,
     "lexicon lacks the column(s) ['kind']; it needs technique, cue and kind"),
])
def test_detect_rejects_a_bad_lexicon(row, error, message):
    with pytest.raises(error) as err:
        detect({"d": "暴挙"}, lexicon=pd.DataFrame([row]))
    assert str(err.value).startswith(message)


def test_detect_rejects_a_bare_string():
    with pytest.raises(TypeError, match=r"not a single str; wrap it: detect\(\{'mine': text\}\)"):
        detect("暴挙だ")


# -- detect on the bundled corpus ---------------------------------------------------------------

def test_detect_on_the_corpus_gives_valid_deterministic_spans():
    corpus = load_corpus()
    first, second = detect(corpus), detect(corpus)
    pd.testing.assert_frame_equal(first, second)
    pd.testing.assert_frame_equal(validate_spans(first, corpus), first)   # valid and sorted
    assert set(first["doc_id"]) == set(corpus["doc_id"])
    assert first.equals(detect(None))
    same_technique = first.sort_values(["doc_id", "technique", "start"])
    overlaps = (same_technique.groupby(["doc_id", "technique"])["start"].shift(-1)
                < same_technique["end"])
    assert not overlaps.any()                  # merged within a technique


# -- issue 13 -------------------------------------------------------------------------------------

@pytest.mark.parametrize("texts, error, message", [
    (pd.DataFrame({"doc_id": ["a", "a"], "text": ["暴挙だ", "何も"]}), ValueError,
     r"^texts: doc_id values must be unique; repeated: \['a'\]$"),
    (pd.DataFrame({"doc_id": [float("nan")], "text": ["暴挙だ"]}), TypeError,
     r"^texts: doc_id must be a str such as '000', found nan \(float\)$"),
])
def test_detect_refuses_repeated_or_missing_doc_ids(texts, error, message):
    with pytest.raises(error, match=message):
        detect(texts)


# -- the sweep ------------------------------------------------------------------------------------

NAN = float("nan")


def lexicon(*rows):
    return pd.DataFrame(list(rows), columns=["technique", "cue", "kind"])


SWEEP_DETECT = [
    ("暴挙", {}, (TypeError, r"^texts must be a dict \{doc_id: text\} or the utils.load_corpus\(\) "
                            r"table, not a single str")),
    (["暴挙"], {}, (TypeError, r"^texts must be None \(the bundled corpus\), a dict .*got list$")),
    (pd.Series({"a": "暴挙"}), {}, (TypeError, r"^texts must be None .*got Series$")),
    ({"a": None}, {}, (TypeError, r"^texts: the text of document 'a' must be a str, found None")),
    ({"a": NAN}, {}, (TypeError, r"^texts: the text of document 'a' must be a str, found nan")),
    ({1: "暴挙"}, {}, (TypeError, r"^texts: doc_id must be a str such as '000', found 1 \(int\)$")),
    ({"a\nb": "暴挙"}, {}, (ValueError, r"^texts: doc_id 'a\\nb' holds '\\n'")),
    ({"": "暴挙"}, {}, (ValueError, r"^texts: doc_id is empty$")),
    ({"a": "暴挙"}, {"explain": 1}, (TypeError, r"^explain must be True or False, got 1$")),
    ({"a": "暴挙"}, {"explain": None}, (TypeError, r"^explain must be True or False, got None$")),
    ({"a": "暴挙"}, {"lexicon": "暴挙"}, (TypeError, r"^lexicon must be a DataFrame .*got str$")),
    ({"a": "暴挙"}, {"lexicon": pd.DataFrame({"cue": ["暴挙"]})},
     (ValueError, r"^lexicon lacks the column\(s\) \['technique', 'kind'\]")),
    ({"a": "暴挙"}, {"lexicon": lexicon((DOUBT, NAN, "literal"))},
     (ValueError, r"^lexicon, row 0: cue must be a non-empty str, found nan$")),
    ({"a": "暴挙"}, {"lexicon": lexicon((DOUBT, "暴挙", None))},
     (ValueError, r"^lexicon, row 0: kind None is not valid; use 'literal' or 'regex'$")),
    ({"a": "暴挙"}, {"lexicon": lexicon((None, "暴挙", "literal"))},
     (ValueError, r"^lexicon, row 0: unknown technique None")),
    ({"a": "暴挙"}, {"lexicon": lexicon((DOUBT, "暴挙\u2028", "literal"))},
     (ValueError, r"^lexicon, row 0: literal cue '暴挙\\u2028' starts or ends on white space")),
    ({"a": "暴挙"}, {"lexicon": lexicon((DOUBT, "(", "regex"))},
     (ValueError, r"^lexicon, row 0: regex cue '\(' does not compile")),
    ({"a": "暴挙"}, {"lexicon": lexicon((DOUBT, "a*", "regex"))},
     (ValueError, r"^lexicon, row 0: regex cue 'a\*' matches the empty string")),
    ({"a": "暴挙"}, {"lexicon": lexicon((DOUBT, "暴挙", "literal"), (DOUBT, "暴挙", "literal"))},
     [("a", DOUBT, 0, 2)]),
    ({"a": "暴挙"}, {"lexicon": lexicon()}, []),
    ({}, {}, []),
    ({"a": "暴挙\u2028暴挙\x1c暴挙"}, {}, [("a", LL, 0, 2), ("a", LL, 3, 5), ("a", LL, 6, 8)]),
    ({"a": "\ufeff暴挙だ"}, {}, [("a", LL, 1, 3)]),
    ({"a": "暴挙\udce2"}, {}, [("a", LL, 0, 2)]),
    ({"a": "暴\u0301挙"}, {}, []),
    ({"a": "ｷｴﾌ政権"}, {}, []),
    ({"a": "暴挙だ。" * 10_000}, {}, [("a", LL, 4 * k, 4 * k + 2) for k in range(10_000)]),
]


@pytest.mark.parametrize("texts, kwargs, expected", SWEEP_DETECT)
def test_sweep_detect(texts, kwargs, expected):
    check_row(lambda t, **k: list(detect(t, **k)[list(SPAN_COLUMNS)]
                                 .itertuples(index=False, name=None)), (texts,), kwargs, expected)


SWEEP_CUE_LEXICON = [
    ((), {}, None),
    ((1,), {}, (TypeError, r"takes 0 positional arguments but 1 was given")),
    ((), {"kind": "regex"}, (TypeError, r"got an unexpected keyword argument 'kind'")),
]


@pytest.mark.parametrize("args, kwargs, expected", SWEEP_CUE_LEXICON)
def test_sweep_cue_lexicon(args, kwargs, expected):
    if expected is None:
        first, second = cue_lexicon(), cue_lexicon()
        first.loc[0, "cue"] = "改変"                 # a fresh copy each time
        assert second.loc[0, "cue"] != "改変" and not second.duplicated(["technique", "cue"]).any()
        return
    with pytest.raises(expected[0], match=expected[1]):
        cue_lexicon(*args, **kwargs)


# Four bundled regex cues began with an unbounded run ([一-龯々]+, digits) and were tried at
# every position of a long run: a line of 100,000 kanji took minutes. A look-behind now
# starts them at the start of a run only; these are the cues as they were.
OLD_CUES = {
    "(?<![一-龯々])[一-龯々]+[ぁ-ん]{0,2}しか(?:ない|ありません|なかった)":
        "[一-龯々]+[ぁ-ん]{0,2}しか(?:ない|ありません|なかった)",
    "(?<![一-龯々])[一-龯々]+[ぁ-ん]?ざるを得(?:ない|なく|なかった|ません)|やむを得(?:ない|なく|ず)":
        "[一-龯々]+[ぁ-ん]?ざるを得(?:ない|なく|なかった|ません)|やむを得(?:ない|なく|ず)",
    "(?:(?<![一-龯々ァ-ヶー])|(?<=選択)|(?<=岐路)|(?<=二択)|(?<=瀬戸際))"
    "[一-龯々ァ-ヶー]+か[一-龯々ァ-ヶー]+かの(?:選択|岐路|二択|瀬戸際)":
        "[一-龯々ァ-ヶー]+か[一-龯々ァ-ヶー]+かの(?:選択|岐路|二択|瀬戸際)",
    "(?<![0-9０-９])[0-9０-９][0-9０-９万千百,，]*人も": "[0-9０-９][0-9０-９万千百,，]*人も",
}
PIECES = ["暴挙", "政権", "しか", "ない", "ありません", "ざるを", "得", "ません", "やむを得ず", "か",
          "かの", "選択", "岐路", "瀬戸際", "ア", "ー", "1", "２", "万", "人も", "。", "は", "の"]


def test_the_bundled_cues_match_as_before_on_the_corpus_and_random_texts():
    import numpy as np

    bundled = cue_lexicon()
    assert set(OLD_CUES) <= set(bundled.cue)
    old = bundled.assign(cue=bundled.cue.replace(OLD_CUES))
    rng = np.random.default_rng(0)
    texts = {f"r{i}": "".join(PIECES[k] for k in rng.integers(0, len(PIECES), 200))
             for i in range(40)}
    for data in (texts, load_corpus()):
        new, before = detect(data, explain=True), detect(data, lexicon=old, explain=True)
        for cue, was in OLD_CUES.items():
            new["cue"] = new["cue"].str.replace(cue, was, regex=False)
        pd.testing.assert_frame_equal(new, before)


@pytest.mark.parametrize("run", ["暴", "ア", "1", "１", "暴ア", "か暴"])
def test_detect_is_not_quadratic_on_a_long_run(run):
    """100,000 characters of one kind: minutes before the look-behinds, 0.1 s now."""
    import time

    began = time.perf_counter()
    assert len(detect({"a": run * (100_000 // len(run))})) == 0
    assert time.perf_counter() - began < 3


# -- held-out detection (issue 15) ----------------------------------------------------------------

def sourced(*rows):
    return pd.DataFrame(list(rows), columns=["technique", "cue", "kind", "source"])


HELD_LEXICON = sourced((LL, "暴挙", "literal", ""), (NC, "キエフ政権", "literal", "a"),
                       (DOUBT, "いわゆる", "literal", "b"))


@pytest.mark.parametrize("texts, lexicon, expected", [
    # a cue is not used on the text it was written from, and is used everywhere else
    ({"a": "キエフ政権の暴挙", "b": "キエフ政権"}, HELD_LEXICON,
     [("a", LL, 6, 8), ("b", NC, 0, 5)]),
    ({"a": "いわゆる暴挙", "b": "いわゆる暴挙"}, HELD_LEXICON,
     [("a", DOUBT, 0, 4), ("a", LL, 4, 6), ("b", LL, 4, 6)]),
    # a source that names no text of `texts` never excludes its cue
    ({"c": "キエフ政権、いわゆる"}, HELD_LEXICON, [("c", NC, 0, 5), ("c", DOUBT, 6, 10)]),
    # missing sources (NaN, None) are general cues
    ({"a": "暴挙"}, sourced((LL, "暴挙", "literal", None)), [("a", LL, 0, 2)]),
    ({"a": "暴挙"}, pd.concat([sourced((NC, "傀儡", "literal", "a")),
                             pd.DataFrame({"technique": [LL], "cue": ["暴挙"],
                                           "kind": ["literal"]})], ignore_index=True),
     [("a", LL, 0, 2)]),
    # only cues written from the text: nothing left to find there
    ({"a": "キエフ政権"}, sourced((NC, "キエフ政権", "literal", "a")), []),
    ({}, HELD_LEXICON, []),
])
def test_detect_held_out_table(texts, lexicon, expected):
    from utils.persuasion.detect import detect_held_out

    result = detect_held_out(texts, lexicon=lexicon)
    assert list(result.columns) == list(SPAN_COLUMNS)
    assert list(result.itertuples(index=False, name=None)) == expected


def test_detect_held_out_equals_detect_without_sources():
    from utils.persuasion.detect import detect_held_out

    corpus = load_corpus()
    general = cue_lexicon().assign(source="")
    pd.testing.assert_frame_equal(detect_held_out(corpus, lexicon=general, explain=True),
                                  detect(corpus, explain=True))


def test_detect_held_out_on_the_corpus_drops_exactly_the_sourced_matches():
    from utils.persuasion.detect import detect_held_out

    corpus = load_corpus()
    lexicon = cue_lexicon()
    held = detect_held_out(corpus)
    pd.testing.assert_frame_equal(validate_spans(held, corpus), held)
    for doc_id in corpus["doc_id"]:
        own = detect({doc_id: corpus.set_index("doc_id").loc[doc_id, "text"]},
                     lexicon=lexicon[lexicon.source != doc_id])
        mine = held[held.doc_id == doc_id].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, own)
    assert len(held) < len(detect(corpus))


@pytest.mark.parametrize("lexicon, error, message", [
    (sourced((LL, "暴挙", "literal", "a")).drop(columns="source"), ValueError,
     r"^lexicon lacks the column 'source'; held-out detection needs"),
    (sourced((LL, "暴挙", "literal", 1)), TypeError,
     r"^lexicon, row 0: source must be a doc_id \(str\) or '', found 1 \(int\)$"),
    ("暴挙", TypeError, r"^lexicon must be a DataFrame .*got str$"),
    (sourced((LL, "暴挙", "regexp", "")), ValueError,
     r"^lexicon, row 0: kind 'regexp' is not valid"),
    # a bad cue is refused even when its only use would be excluded
    (sourced((LL, "(", "regex", "a")), ValueError, r"^lexicon, row 0: regex cue '\(' does not"),
])
def test_detect_held_out_rejects_a_bad_lexicon(lexicon, error, message):
    from utils.persuasion.detect import detect_held_out

    with pytest.raises(error, match=message):
        detect_held_out({"a": "暴挙"}, lexicon=lexicon)


def test_detect_held_out_rejects_a_bare_string():
    from utils.persuasion.detect import detect_held_out

    with pytest.raises(TypeError, match=r"wrap it: detect_held_out\(\{'mine': text\}\)$"):
        detect_held_out("暴挙だ")
