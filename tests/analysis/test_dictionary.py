"""Tests for utils/analysis/dictionary.py: user dictionaries (read, checked, built, cached) and what
tokenize(..., user_dict=...) makes of them."""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

import utils
from utils.analysis.dictionary import USER_DICT_COLUMNS, compiled_user_dict, read_user_dict

HEADER = "surface,lemma,reading,pos1,pos2,pos3,pos4,note\n"


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    """Every test builds into its own cache folder, never the user's."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("JMEDIA_KIT_CACHE", str(folder))
    return folder


def write(tmp_path, body, header=HEADER):
    path = tmp_path / "words.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, surface, lemma, pos, reading, unknown", [
    ("首都キーウへ。", "キーウ", "キーウ", ("固有名詞", "地名", "一般"), "キーウ", False),
    ("習近平国家主席", "習近平", "習近平", ("固有名詞", "人名", "一般"), "シュウキンペイ", False),
    ("ゼレンスキー氏", "ゼレンスキー", "ゼレンスキー", ("固有名詞", "人名", "一般"), "ゼレンスキー",
     False),
    ("ポクロウシクで", "ポクロウシク", "ポクロウシク", ("固有名詞", "地名", "一般"), "ポクロウシク",
     False),
    ("ドンバス地方", "ドンバス", "ドンバス", ("固有名詞", "地名", "一般"), "ドンバス", False),
    ("無人機が飛ぶ", "無人機", "無人機", ("普通名詞", "一般", ""), "ムジンキ", False),
])
def test_the_corpus_dictionary_makes_each_name_one_token(text, surface, lemma, pos, reading,
                                                          unknown):
    table = utils.tokenize(text, user_dict=utils.CORPUS_DIR / "user_dict.csv")
    row = table.iloc[int(table.start.searchsorted(text.index(surface)))]
    assert (row.surface, row.lemma, (row.pos2, row.pos3, row.pos4), row.reading,
            bool(row.is_unknown)) == (surface, lemma, pos, reading, unknown)
    assert (row.start, row.end) == (text.index(surface), text.index(surface) + len(surface))


def test_every_entry_is_one_token_wherever_the_corpus_has_it(corpus):
    words = read_user_dict()
    table = utils.tokenize(corpus, user_dict=words)
    for surface in words.surface:
        found = sum(text.count(surface) for text in corpus.text)
        assert found > 0 and (table.surface == surface).sum() == found, surface
    # elsewhere the segmentation is unidic-lite's own: the only other tokens that change
    # are ロシア, glued to an unknown ナルイシキン before
    plain = utils.tokenize(corpus)
    spans = set(zip(table.doc_id, table.start, table.end, table.surface)) - \
        set(zip(plain.doc_id, plain.start, plain.end, plain.surface))
    assert {s for *_, s in spans} - set(words.surface) == {"ロシア"}


def test_a_dataframe_and_a_csv_give_the_same_table(corpus):
    path = utils.CORPUS_DIR / "user_dict.csv"
    pd.testing.assert_frame_equal(utils.tokenize(corpus, user_dict=read_user_dict(path)),
                                  utils.tokenize(corpus, user_dict=path))


def test_user_dict_with_n_jobs_and_compounds(corpus):
    docs = {f"{i}_{d}": t for i in range(3) for d, t in zip(corpus.doc_id, corpus.text)}
    path = utils.CORPUS_DIR / "user_dict.csv"
    one = utils.tokenize(docs, user_dict=path, compounds=["米ロ"])
    pd.testing.assert_frame_equal(utils.tokenize(docs, user_dict=path, compounds=["米ロ"],
                                                 n_jobs=2), one)


def test_a_compound_merges_user_dictionary_tokens_too():
    # user_dict changes MeCab's segmentation; compounds then merge the tokens it made
    out = utils.tokenize("キーウ州で", user_dict=utils.CORPUS_DIR / "user_dict.csv",
                         compounds={"キーウ州": "名詞-固有名詞-地名-一般"})
    assert out.surface.tolist() == ["キーウ州", "で"]


@pytest.mark.parametrize("body, message", [
    ("キーウ,キーウ,きーう,名詞,固有名詞,地名,一般,\n",
     r"words.csv line 2: reading 'きーう' of 'キーウ' must be written in katakana"),
    ("キーウ,キーウ,,名詞,固有名詞,地名,一般,\n", r"line 2: reading '' of 'キーウ'"),
    (",キーウ,キーウ,名詞,固有名詞,地名,一般,\n", r"line 2: surface '' must be a word"),
    ("キ ウ,キーウ,キーウ,名詞,固有名詞,地名,一般,\n", r"line 2: surface 'キ ウ' must be a word"),
    ("キーウ,キーウ,キーウ,名詞,固有名詞,地名,,\n",
     r"line 2: 名詞-固有名詞-地名 is not a part of speech of unidic-lite; did you mean "
     r"名詞-固有名詞-地名-一般 or 名詞-固有名詞-地名-国\?"),
    ("キーウ,キーウ,キーウ,名詞,固有,地名,一般,\n", r"名詞-固有-地名-一般 is not a part of speech"),
    ("キーウ,キーウ,キーウ,名詞,固有名詞,地名,一般,\n# a comment\n\nキーウ,キーウ,キーウ,名詞,"
     "固有名詞,地名,一般,\n", r"line 5: 'キーウ' as 名詞-固有名詞-地名-一般 is listed already "
                          r"\(words.csv line 2\)"),
    ("ｷｰｳ,キーウ,キーウ,名詞,固有名詞,地名,一般,\nキーウ,キーウ,キーウ,名詞,固有名詞,地名,一般,\n",
     r"line 3: 'キーウ' .* is listed already"),  # the same after normalize
    ("キーウ,キーウ,キーウ,名詞,固有名詞,地名,一般\n", r"line 2: 7 fields where the header has 8"),
])
def test_a_bad_entry_is_named_by_its_line(tmp_path, body, message):
    with pytest.raises(ValueError, match=message):
        utils.tokenize("キーウ", user_dict=write(tmp_path, body))


@pytest.mark.parametrize("source, error, message", [
    (pd.DataFrame({"surface": ["キーウ"], "lemma": ["キーウ"]}), ValueError,
     r"missing \['reading', 'pos1', 'pos2', 'pos3'\]"),
    (pd.DataFrame({c: ["x"] for c in USER_DICT_COLUMNS[:6] + ["cost"]}), ValueError,
     r"unknown \['cost'\]"),
    (pd.DataFrame({"surface": ["キーウ"], "lemma": [""], "reading": ["キーウ"], "pos1": ["名詞"],
                   "pos2": ["固有名詞"], "pos3": ["地名"]}), ValueError,
     r"row 0: 名詞-固有名詞-地名 is not a part of speech"),
    (["キーウ"], TypeError, r"user_dict must be a CSV path or a DataFrame .* got list"),
    ("no/such/file.csv", FileNotFoundError, r"'no/such/file.csv' is not a file"),
])
def test_bad_user_dict_arguments(source, error, message):
    with pytest.raises(error, match=message):
        utils.tokenize("キーウ", user_dict=source)


def test_empty_lemma_and_pos4_are_filled_and_notes_are_kept(tmp_path):
    words = read_user_dict(write(tmp_path, "無人機,,ムジンキ,名詞,普通名詞,一般,,drone\n"))
    assert words.iloc[0].tolist() == ["無人機", "無人機", "ムジンキ", "名詞", "普通名詞", "一般",
                                      "", "drone"]


def test_the_cache_is_reused_and_rebuilt_when_the_content_changes(tmp_path, cache):
    path = write(tmp_path, "キーウ,キーウ,キーウ,名詞,固有名詞,地名,一般,\n")
    first = compiled_user_dict(path)
    built = os.stat(first).st_mtime_ns
    assert compiled_user_dict(path) == first and os.stat(first).st_mtime_ns == built
    path.write_text(HEADER + "キーウ,キーウ,キーウ,名詞,固有名詞,地名,一般,a note only\n",
                    encoding="utf-8")
    assert compiled_user_dict(path) == first  # notes are not part of the dictionary
    path.write_text(HEADER + "ポクロウシク,,ポクロウシク,名詞,固有名詞,地名,一般,\n",
                    encoding="utf-8")
    second = compiled_user_dict(path)
    assert second != first and len(list(cache.glob("*.dic"))) == 2
    assert utils.tokenize("ポクロウシクとキーウ", user_dict=path).surface.tolist() == \
        ["ポクロウシク", "と", "キー", "ウ"]


@pytest.mark.parametrize("damage", ["truncate", "checksum", "missing checksum"])
def test_a_damaged_cache_file_is_rebuilt_not_trusted(tmp_path, cache, damage):
    path = write(tmp_path, "キーウ,キーウ,キーウ,名詞,固有名詞,地名,一般,\n")
    dic = Path(compiled_user_dict(path))
    good = dic.read_bytes()
    check = dic.with_suffix(".sha256")
    if damage == "truncate":
        dic.write_bytes(good[:100])
    elif damage == "checksum":
        check.write_text("0" * 64)
    else:
        check.unlink()
    assert utils.tokenize("キーウで", user_dict=path).surface.tolist() == ["キーウ", "で"]
    assert dic.read_bytes() == good and check.is_file()


def test_the_compiler_failing_is_a_clear_error_not_the_end_of_the_process(tmp_path,
                                                                          monkeypatch):
    # MeCab's compiler calls exit() on a bad line: it runs in a child process
    from utils.analysis import dictionary

    monkeypatch.setattr(dictionary, "_mecab_csv", lambda table, names: "キーウ,,,x,名詞\n")
    with pytest.raises(RuntimeError, match="MeCab's dictionary compiler failed on the user "
                                           "dictionary: .*"):
        compiled_user_dict(write(tmp_path, "キーウ,キーウ,キーウ,名詞,固有名詞,地名,一般,\n"))


@pytest.mark.parametrize("module", ["dictionary", "stoplist"])
def test_every_public_name_is_exported_from_utils(module):
    import importlib

    names = importlib.import_module(f"utils.analysis.{module}").__all__
    assert [n for n in names if utils._EXPORTS.get(n) != f"analysis.{module}"] == []
