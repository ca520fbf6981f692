"""Tests for utils/corpus.py: the bundled corpus, a teacher's folder, and bad files."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

import utils
from utils.corpus import CORPUS_DIR, CorpusError, load_corpus, load_texts, read_text_file

# The checksums as received (../shared/seeds/NOTES.md): the corpus must stay byte-identical.
RECEIVED_SHA256 = {
    "000": "9700929923f06d1f571d075136acada0a9b96979c604aa7a49b9dcd395a00f1b",
    "001": "c84da8d5ad696d8e84f4e10a686157de11026a829f569b9c972d94ec5273bfe5",
    "002": "91c78c8913d9c1fd5a768192fa1e9640d0f4082be40d43e7a7bab7790fe71fdc",
    "003": "8b1de429d9989b028f24f8b57731cc18cc73fbb42a9f25d534b3eb596a733d1d",
    "004": "24e15f3526c40935c77f68e3fb3067d22235d4a6b9d0e805f1d694723c60a054",
}
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


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
