"""Tests for utils/analysis/corpus.py: the bundled corpus, a teacher's folder, and bad files."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

import utils
from utils.analysis.corpus import CORPUS_DIR, load_corpus, load_texts
from utils.analysis.textfiles import CorpusError, read_text_file

# The checksums as received (../shared/seeds/NOTES.md): the corpus must stay byte-identical.
RECEIVED_SHA256 = {
    "000": "9700929923f06d1f571d075136acada0a9b96979c604aa7a49b9dcd395a00f1b",
    "001": "c84da8d5ad696d8e84f4e10a686157de11026a829f569b9c972d94ec5273bfe5",
    "002": "91c78c8913d9c1fd5a768192fa1e9640d0f4082be40d43e7a7bab7790fe71fdc",
    "003": "8b1de429d9989b028f24f8b57731cc18cc73fbb42a9f25d534b3eb596a733d1d",
    "004": "24e15f3526c40935c77f68e3fb3067d22235d4a6b9d0e805f1d694723c60a054",
}
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


@pytest.mark.parametrize("doc_id, sha", sorted(RECEIVED_SHA256.items()))
def test_texts_are_byte_identical_to_what_was_received(doc_id, sha):
    data = (CORPUS_DIR / "texts" / f"{doc_id}.txt").read_bytes()
    assert hashlib.sha256(data).hexdigest() == sha


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside this checkout")
def test_texts_equal_the_seed_files():
    seeds = {p.name[:3]: p.read_bytes() for p in SEEDS.glob("0*.txt")}
    assert sorted(seeds) == sorted(RECEIVED_SHA256)
    for doc_id, data in seeds.items():
        assert (CORPUS_DIR / "texts" / f"{doc_id}.txt").read_bytes() == data


def test_metadata_checksums_match_the_received_ones():
    meta = pd.read_csv(CORPUS_DIR / "metadata.csv", dtype=str)
    assert dict(zip(meta.doc_id, meta.sha256)) == RECEIVED_SHA256


def test_metadata_has_the_promised_columns():
    meta = pd.read_csv(CORPUS_DIR / "metadata.csv", dtype=str)
    for col in ["doc_id", "label", "title", "outlet_kind", "genre", "event_dates",
                "event_dates_basis", "published", "published_basis", "sha256"]:
        assert col in meta.columns
    assert meta.label.is_unique and meta.label.str.len().max() <= 18
    assert meta.published_basis.str.match(r"^(stated|inferred)").all()


@pytest.mark.parametrize("doc_id, n_chars", [("000", 2670), ("001", 4107), ("002", 8571),
                                              ("003", 2690), ("004", 2072)])
def test_load_corpus_keeps_each_text_as_stored(corpus, doc_id, n_chars):
    row = corpus.set_index("doc_id").loc[doc_id]
    raw = (CORPUS_DIR / "texts" / f"{doc_id}.txt").read_bytes().decode("utf-8")
    assert row.text == raw
    assert row.n_chars == len(raw) == n_chars
    assert row.newline == "LF"


def test_load_corpus_columns_and_order(corpus):
    assert list(corpus.columns[:7]) == ["doc_id", "label", "title", "text", "n_chars", "n_lines",
                                        "newline"]
    assert list(corpus.doc_id) == ["000", "001", "002", "003", "004"]
    assert corpus.label.tolist()[0].startswith("000")


def _copy_corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR / "texts", root / "texts")
    shutil.copy(CORPUS_DIR / "metadata.csv", root / "metadata.csv")
    return root


def test_an_altered_file_is_named(tmp_path):
    root = _copy_corpus(tmp_path)
    path = root / "texts" / "002.txt"
    path.write_bytes(path.read_bytes() + "追記".encode())
    with pytest.raises(CorpusError, match=r"altered corpus file\(s\): texts/002\.txt"):
        load_corpus(root)


def test_missing_files_are_named(tmp_path):
    root = _copy_corpus(tmp_path)
    (root / "texts" / "001.txt").unlink()
    (root / "texts" / "003.txt").unlink()
    with pytest.raises(CorpusError, match=r"missing corpus file\(s\): texts/001\.txt, texts/003\.txt"):
        load_corpus(root)


def test_missing_metadata_is_an_error(tmp_path):
    with pytest.raises(CorpusError, match="metadata is missing"):
        load_corpus(tmp_path)


# --- a teacher's own folder ---------------------------------------------------------

def test_load_texts_reads_a_folder_with_optional_metadata(tmp_path):
    (tmp_path / "b.txt").write_text("二つ目の記事。", encoding="utf-8")
    (tmp_path / "a.txt").write_text("最初の記事です。\n二行目。", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    pd.DataFrame({"doc_id": ["a", "b"], "label": ["A社", "B紙"], "year": ["2024", "2025"]}).to_csv(
        tmp_path / "metadata.csv", index=False)
    df = load_texts(tmp_path)
    assert df.doc_id.tolist() == ["a", "b"]
    assert df.label.tolist() == ["A社", "B紙"]
    assert df.year.tolist() == ["2024", "2025"]
    assert df.title.tolist() == ["最初の記事です。", "二つ目の記事。"]
    assert df.n_lines.tolist() == [2, 1]


def test_shift_jis_is_recognised_and_readable_with_encoding(tmp_path):
    (tmp_path / "sjis.txt").write_bytes("停戦交渉はキーウで行われた。".encode("shift_jis"))
    with pytest.raises(CorpusError) as err:
        load_texts(tmp_path)
    message = str(err.value)
    assert "sjis.txt" in message and "not valid UTF-8" in message
    assert "Shift_JIS" in message and "encoding='shift_jis'" in message
    df = load_texts(tmp_path, encoding="shift_jis")
    assert df.text.iloc[0] == "停戦交渉はキーウで行われた。"


def test_unknown_encoding_name(tmp_path):
    (tmp_path / "a.txt").write_text("本文", encoding="utf-8")
    with pytest.raises(CorpusError, match="unknown encoding 'sjis-x'"):
        load_texts(tmp_path, encoding="sjis-x")


def test_bom_is_dropped_and_offsets_stay_consistent(tmp_path):
    (tmp_path / "bom.txt").write_bytes("\ufeffロシア軍が撤退した。".encode("utf-8"))
    df = load_texts(tmp_path)
    text = df.text.iloc[0]
    assert text == "ロシア軍が撤退した。"
    tokens = utils.tokenize(df)
    assert [text[s:e] for s, e in zip(tokens.start, tokens.end)] == tokens.surface.tolist()


def test_crlf_is_kept_and_offsets_stay_consistent(tmp_path):
    (tmp_path / "crlf.txt").write_bytes("一行目です。\r\n二行目です。\r\n".encode("utf-8"))
    df = load_texts(tmp_path)
    text = df.text.iloc[0]
    assert text == "一行目です。\r\n二行目です。\r\n" and df.newline.iloc[0] == "CRLF"
    tokens = utils.tokenize(df)
    assert [text[s:e] for s, e in zip(tokens.start, tokens.end)] == tokens.surface.tolist()
    assert tokens.surface.tolist() == ["一", "行", "目", "です", "。", "二", "行", "目", "です", "。"]
    assert tokens.sent_id.tolist() == [0] * 5 + [1] * 5
    assert not tokens.surface.str.contains("\r").any()


@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    ("  \n\u3000\n".encode("utf-8"), "only white space"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
])
def test_empty_and_binary_files_are_clear_errors(tmp_path, content, message):
    (tmp_path / "bad.txt").write_bytes(content)
    with pytest.raises(CorpusError, match=message) as err:
        load_texts(tmp_path)
    assert "bad.txt" in str(err.value)


def test_empty_folder_and_missing_folder(tmp_path):
    with pytest.raises(CorpusError, match=r"no files matching '\*\.txt'.*nothing"):
        load_texts(tmp_path)
    with pytest.raises(CorpusError, match="no such folder"):
        load_texts(tmp_path / "nope")


def test_metadata_checksum_mismatch_in_a_folder(tmp_path):
    (tmp_path / "a.txt").write_text("本文", encoding="utf-8")
    pd.DataFrame({"doc_id": ["a"], "sha256": ["0" * 64]}).to_csv(tmp_path / "metadata.csv", index=False)
    with pytest.raises(CorpusError, match="a.txt: the file has been altered"):
        load_texts(tmp_path)


def test_read_text_file_names_a_missing_file(tmp_path):
    with pytest.raises(CorpusError, match="nothing.txt: file not found"):
        read_text_file(tmp_path / "nothing.txt")


# --- issue 13 ----------------------------------------------------------------------------

def test_a_header_only_metadata_file_is_named(tmp_path):
    (tmp_path / "texts").mkdir()
    (tmp_path / "metadata.csv").write_text("doc_id,label\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"metadata\.csv: lists no documents"):
        load_corpus(tmp_path)


def test_an_empty_metadata_file_is_named(tmp_path):
    (tmp_path / "texts").mkdir()
    (tmp_path / "metadata.csv").write_bytes(b"")
    with pytest.raises(CorpusError, match=r"metadata\.csv: the file is empty.*doc_id"):
        load_corpus(tmp_path)
    (tmp_path / "a.txt").write_text("本文", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"metadata\.csv: the file is empty"):
        load_texts(tmp_path)


@pytest.mark.parametrize("column", ["n_chars", "n_lines", "newline", "text"])
def test_metadata_may_not_hold_a_column_the_loader_computes(tmp_path, column):
    (tmp_path / "a.txt").write_text("本文", encoding="utf-8")
    pd.DataFrame({"doc_id": ["a"], column: ["9"]}).to_csv(tmp_path / "metadata.csv", index=False)
    with pytest.raises(CorpusError, match=rf"metadata\.csv: column\(s\) \['{column}'\] are "
                                          "computed by the loader"):
        load_texts(tmp_path)


def test_a_recursive_pattern_refuses_two_files_with_one_doc_id(tmp_path):
    for sub in ("x", "y"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "a.txt").write_text("本文", encoding="utf-8")
    (tmp_path / "x" / "b.txt").write_text("本文", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"two files give doc_id 'a': x/a\.txt and y/a\.txt"):
        load_texts(tmp_path, pattern="**/*.txt")
    assert load_texts(tmp_path / "x").doc_id.tolist() == ["a", "b"]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_is_readable_with_encoding(tmp_path, codec):
    text = "停戦交渉は\nキーウで行われた。"
    (tmp_path / "a.txt").write_bytes(text.encode(codec))
    assert load_texts(tmp_path, encoding=codec).text.tolist() == [text]
    assert read_text_file(tmp_path / "a.txt", encoding=codec) == text


def test_utf16_without_encoding_says_which_encoding(tmp_path):
    (tmp_path / "a.txt").write_bytes("停戦交渉。".encode("utf-16"))
    with pytest.raises(CorpusError, match=r"a\.txt: .*UTF-16.*encoding='utf-16'"):
        load_texts(tmp_path)


def test_a_binary_file_is_still_refused_with_an_encoding(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 4)
    with pytest.raises(CorpusError, match=r"a\.txt: this looks like a binary file"):
        load_texts(tmp_path, encoding="latin-1")


# --- issue 13: the sweep ----------------------------------------------------------------
# (function, setup, kwargs, expected): ``setup(tmp_path)`` writes files and returns the
# first argument; ``expected`` is an exception type and a regex, or a check of the result.

def _folder(files: dict, meta: str | None = None):
    def setup(tmp_path):
        for name, data in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        if meta is not None:
            (tmp_path / "metadata.csv").write_text(meta, encoding="utf-8")
        return tmp_path
    return setup


def _value(value):
    return lambda tmp_path: value


def _file(data: bytes):
    def setup(tmp_path):
        (tmp_path / "a.txt").write_bytes(data)
        return tmp_path / "a.txt"
    return setup


def _corpus_folder(meta: str, files: dict):
    def setup(tmp_path):
        (tmp_path / "texts").mkdir()
        (tmp_path / "metadata.csv").write_text(meta, encoding="utf-8")
        for name, text in files.items():
            (tmp_path / "texts" / name).write_text(text, encoding="utf-8")
        return tmp_path
    return setup


_A = {"a.txt": "本文です。"}
SWEEP = [
    # load_texts: the folder and options
    (load_texts, _value(None), {}, (TypeError, r"load_texts expects the folder .* got NoneType")),
    (load_texts, _value(3), {}, (TypeError, r"load_texts expects the folder .* got int: 3")),
    (load_texts, _value(b"/tmp"), {}, (TypeError, r"got bytes")),
    (load_texts, _value(""), {}, (ValueError, r"load_texts got an empty path")),
    (load_texts, _folder(_A), {"pattern": None}, (TypeError, r"pattern must be a glob pattern")),
    (load_texts, _folder(_A), {"pattern": ""}, (ValueError, r"pattern is empty")),
    (load_texts, _folder(_A), {"pattern": "/tmp/*.txt"}, (ValueError, r"must stay inside the folder")),
    (load_texts, _folder(_A), {"pattern": "../*.txt"}, (ValueError, r"must stay inside the folder")),
    (load_texts, _folder(_A), {"encoding": 5}, (TypeError, r"encoding must be a codec name .* got 5")),
    (load_texts, _folder(_A), {"encoding": ""}, (CorpusError, r"a\.txt: unknown encoding ''")),
    (load_texts, _folder(_A, "doc_id,label\na,A\n"), {"pattern": "*"},  # metadata.csv is no text
     lambda df: df.doc_id.tolist() == ["a"] and df.label.tolist() == ["A"]),
    (load_texts, _folder({"x/a.txt": "一", "y/a.txt": "二"}), {"pattern": "**/*.txt"},
     (CorpusError, r"two files give doc_id 'a': x/a\.txt and y/a\.txt")),
    # load_texts: file names that make no doc_id (the user can only rename the file)
    (load_texts, _folder({" lead.txt": "本文"}), {},
     (CorpusError, r"^' lead\.txt': its name gives doc_id ' lead', which has white space "
                   r"around it; rename the file to 'lead\.txt'")),
    (load_texts, _folder({"lead\u3000.txt": "本文"}), {},
     (CorpusError, r"^'lead\\u3000\.txt': .* rename the file to 'lead\.txt'")),
    (load_texts, _folder({"x/ lead.txt": "本文"}), {"pattern": "**/*.txt"},
     (CorpusError, r"^'x/ lead\.txt': .* rename the file to 'lead\.txt'")),
    (load_texts, _folder({"a\nb.txt": "本文"}), {},
     (CorpusError, r"^'a\\nb\.txt': its name gives doc_id 'a\\nb', which holds '\\n' "
                   r"\(a line break\); rename the file: a doc_id must be one line without "
                   r"tabs, line breaks, control or format characters, e\.g\. '000\.txt'")),
    (load_texts, _folder({"a\tb.txt": "本文"}), {}, (CorpusError, r"holds '\\t'.*rename the file")),
    (load_texts, _folder({"a\u2028b.txt": "本文"}), {}, (CorpusError, r"rename the file")),
    (load_texts, _folder({"a\u200bb.txt": "本文"}), {}, (CorpusError, r"rename the file")),
    (load_texts, _folder({"a b.txt": "本文", "ｷｰｳ.txt": "本文"}), {},   # inner spaces are fine
     lambda df: df.doc_id.tolist() == ["a b", "ｷｰｳ"]),
    # load_texts: metadata.csv
    (load_texts, _folder(_A, ""), {}, (CorpusError, r"metadata\.csv: the file is empty")),
    (load_texts, _folder(_A, "doc_id\n"), {}, lambda df: df.doc_id.tolist() == ["a"]),
    (load_texts, _folder(_A, "label\nA\n"), {}, (CorpusError, r"needs a doc_id column")),
    (load_texts, _folder(_A, "doc_id,n_chars\na,3\n"), {},
     (CorpusError, r"column\(s\) \['n_chars'\] are computed by the loader")),
    (load_texts, _folder(_A, "doc_id\na\na\n"), {}, (CorpusError, r"doc_id repeated: \['a'\]")),
    (load_texts, _folder(_A, "doc_id,label\n,A\n"), {}, (CorpusError, r"line\(s\) \[2\] have an empty doc_id")),
    (load_texts, _folder(_A, "doc_id,label\nb,B\n"), {},      # a row for another text: label falls back
     lambda df: df.label.tolist() == ["a"]),
    # load_texts: odd file contents
    (load_texts, _folder({"a.txt": "停戦だ。\u2028次\u2029\x85\x1c\x1f終"}), {},
     lambda df: df.text.tolist() == ["停戦だ。\u2028次\u2029\x85\x1c\x1f終"]),
    (load_texts, _folder({"a.txt": "\ufeff\ufeff本文"}), {},   # one BOM dropped, the next kept
     lambda df: df.text.tolist() == ["\ufeff本文"]),
    (load_texts, _folder({"a.txt": "ｶﾞ\u3099か\u3099"}), {}, lambda df: df.n_chars.tolist() == [5]),
    (load_texts, _folder({"a.txt": b"\xed\xb3\xa2"}), {},      # a UTF-8-encoded surrogate
     (CorpusError, r"a\.txt: not valid UTF-8")),
    (load_texts, _folder({"a.txt": "一行目\r二行目\r"}), {},
     lambda df: df.n_lines.tolist() == [2] and df.newline.tolist() == ["CR"]),
    (load_texts, _folder({"a.txt": "本文。" * 400_000}), {}, lambda df: df.n_chars.tolist() == [1_200_000]),
    (load_texts, _folder({"a.txt": "停戦\n".encode("utf-16-le")}), {},  # UTF-16 without a BOM
     (CorpusError, r"binary file.*encoding='utf-16-le'")),
    # load_corpus
    (load_corpus, _value(3), {}, (TypeError, r"load_corpus expects the folder .* got int")),
    (load_corpus, _corpus_folder("doc_id\nb\n", {"a.txt": "本文"}), {},
     (CorpusError, r"missing corpus file\(s\): texts/b\.txt")),
    (load_corpus, _file(b"x"), {}, (CorpusError, r"a\.txt: no such folder")),
    (load_corpus, _corpus_folder("doc_id\n", {}), {}, (CorpusError, r"lists no documents")),
    (load_corpus, _corpus_folder("doc_id,text\na,x\n", {"a.txt": "本文"}), {},
     (CorpusError, r"column\(s\) \['text'\] are computed")),
    (load_corpus, _corpus_folder("doc_id\na\n", {"a.txt": "本文\u2028二"}), {},
     lambda df: df.text.tolist() == ["本文\u2028二"] and df.n_lines.tolist() == [2]),
    # read_text_file
    (read_text_file, _value(None), {}, (TypeError, r"read_text_file expects the path .* NoneType")),
    (read_text_file, _value(3.5), {}, (TypeError, r"got float")),
    (read_text_file, lambda tmp_path: tmp_path, {}, (CorpusError, r"is a folder, not a file")),
    (read_text_file, _file(b"\xff\xfe" + "停戦".encode("utf-16-le")), {},
     (CorpusError, r"a\.txt: the file is UTF-16 .* encoding='utf-16'")),
    (read_text_file, _file(b"\xff\xfe" + "停戦".encode("utf-16-le")), {"encoding": "utf-16"},
     lambda text: text == "停戦"),
    (read_text_file, _file("停戦".encode("utf-16-le")), {"encoding": "utf-16-le"},
     lambda text: text == "停戦"),
    (read_text_file, _file("停戦".encode("shift_jis")), {"encoding": "utf-8"},
     (CorpusError, r"cannot be decoded as 'utf-8'")),
    (read_text_file, _file(b"\x00\x01\x02" * 10), {"encoding": "latin-1"},
     (CorpusError, r"looks like a binary file")),
    (read_text_file, _file(b"\xe3\x80\x80\n"), {}, (CorpusError, r"only white space")),
    (read_text_file, _file("ｷｰｳ\x1c".encode()), {}, lambda text: text == "ｷｰｳ\x1c"),
]


@pytest.mark.parametrize("func, setup, kwargs, expected", SWEEP,
                         ids=[f"{f.__name__}-{i}" for i, (f, *_) in enumerate(SWEEP)])
def test_sweep(tmp_path, func, setup, kwargs, expected):
    arg = setup(tmp_path)
    if isinstance(expected, tuple) and isinstance(expected[0], type):
        with pytest.raises(expected[0], match=expected[1]):
            func(arg, **kwargs)
    else:
        assert expected(func(arg, **kwargs))


def test_iso_2022_jp_is_refused_like_shift_jis_naming_the_encoding(tmp_path):
    """ISO-2022-JP is 7-bit, so it decodes as UTF-8: to escape codes and ASCII garbage."""
    (tmp_path / "jis.txt").write_bytes("停戦合意について".encode("iso2022_jp"))
    with pytest.raises(utils.CorpusError, match=r"jis\.txt: this is ISO-2022-JP .*"
                                                r"encoding='iso2022_jp'"):
        utils.load_texts(tmp_path)
    assert utils.load_texts(tmp_path, encoding="iso2022_jp").text[0] == "停戦合意について"


def _mixed_folder(tmp_path):
    (tmp_path / "a.txt").write_text("ウクライナの停戦。", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes("ロシアの和平交渉。".encode("shift_jis"))
    (tmp_path / "c.txt").write_bytes("キーウの会談。".encode("euc_jp"))
    return tmp_path


def test_a_folder_that_mixes_encodings_loads_with_a_codec_per_doc_id(tmp_path):
    folder = _mixed_folder(tmp_path)
    df = load_texts(folder, encoding={"b": "shift_jis", "c": "euc_jp"})
    assert df.set_index("doc_id").text.to_dict() == {
        "a": "ウクライナの停戦。", "b": "ロシアの和平交渉。", "c": "キーウの会談。"}


def test_a_mixed_folder_without_codecs_names_the_file_and_the_dict_to_pass(tmp_path):
    folder = _mixed_folder(tmp_path)
    with pytest.raises(CorpusError, match=r"b\.txt: .*encoding=\{'b': 'shift_jis'\}"):
        load_texts(folder)
    with pytest.raises(CorpusError, match=r"c\.txt: .*encoding=\{'c': '[a-z0-9_]+'\}"):
        load_texts(folder, encoding={"b": "shift_jis"})


@pytest.mark.parametrize("encoding, error, message", [
    ({"d": "shift_jis"}, ValueError, r"doc_id\(s\) \['d'\] that the folder does not hold; "
                                     r"its doc_ids .* \['a', 'b', 'c'\]"),
    ({"b": 3}, TypeError, r"encoding\['b'\] must be a codec name .*, got 3"),
    ({"b": "no-such-codec"}, CorpusError, r"b\.txt: unknown encoding 'no-such-codec'"),
    (5, TypeError, r"a dict \{doc_id: codec\} .* got 5"),
    (["shift_jis"], TypeError, r"a dict \{doc_id: codec\} .* got \['shift_jis'\]"),
])
def test_bad_codecs_per_doc_id_are_named(tmp_path, encoding, error, message):
    with pytest.raises(error, match=message):
        load_texts(_mixed_folder(tmp_path), encoding=encoding)


def test_corpus_compounds_are_split_by_the_dictionary_and_merged_with_their_pos(corpus):
    listed = utils.corpus_compounds()
    table = pd.read_csv(CORPUS_DIR / "compounds.tsv", sep="\t", dtype=str, keep_default_na=False)
    assert list(table.columns) == ["expression", "pos", "gloss", "unidic_lite_splits_it_as"]
    texts = "\n".join(corpus.text)
    for row in table.itertuples():
        assert row.expression in texts, row.expression  # each is in the corpus
        plain = utils.tokenize(row.expression).surface.tolist()
        assert " + ".join(plain) == row.unidic_lite_splits_it_as  # the split is as documented
        merged = utils.tokenize(row.expression, compounds=listed).iloc[0]
        pos = "-".join(p for p in merged[["pos1", "pos2", "pos3", "pos4"]] if p)
        assert (merged.surface, pos) == (row.expression, row.pos)


def test_corpus_compounds_from_a_file_without_pos_is_refused(tmp_path):
    (tmp_path / "c.tsv").write_text("expression\nキーウ\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"c\.tsv: lacks column\(s\) \['pos'\]"):
        utils.corpus_compounds(tmp_path / "c.tsv")


@pytest.mark.parametrize("codec, named", [("shift_jis", "shift_jis"), ("euc_jp", "euc_jp"),
                                          ("cp932", "shift_jis")])
def test_the_suggested_encoding_is_the_one_that_reads_as_japanese(tmp_path, codec, named):
    # EUC-JP bytes also decode as cp932 (into garbage): the hint must still say euc_jp
    (tmp_path / "t.txt").write_bytes("ロシアとウクライナの停戦交渉がはじまった。".encode(codec))
    with pytest.raises(CorpusError, match=rf"try encoding='{named}'"):
        load_texts(tmp_path)
