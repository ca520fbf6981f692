"""Tests for utils/analysis/store.py, store_files.py and store_run.py: writing a token store.

Resume after an interruption (an error in a batch, a worker process killed mid-batch),
atomic parts, unreadable and changed inputs, CSV / JSON Lines inputs, and the command's
refusals. Progress bars are off (``progress=False``, ``--quiet``) in every test.
"""
from __future__ import annotations

import inspect
import json
import os
import random

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import utils
import utils.analysis.store_run as store_module
from utils.__main__ import main
from utils.analysis.store_files import run_batch as real_run_batch


def sentences() -> list[str]:
    """The lines of the five texts that hold some text (the material of generated docs)."""
    lines = [line for text in utils.load_corpus().text for line in text.splitlines()]
    return [line for line in lines if len(line.strip()) > 5]


def write_folder(folder, n: int = 40, seed: int = 0) -> dict[str, str]:
    """``n`` documents of 3-8 lines of the corpus each, some in sub-folders."""
    rng = random.Random(seed)
    pool = sentences()
    docs = {}
    for i in range(n):
        doc_id = f"{i % 3}/{i:04d}" if i % 2 else f"{i:04d}"
        docs[doc_id] = "\n".join(rng.sample(pool, rng.randint(3, 8))) + "\n"
        path = folder / f"{doc_id}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(docs[doc_id], encoding="utf-8")
    return docs


def store_rows(path) -> pd.DataFrame:
    return (pd.read_parquet(path).sort_values(["doc_id", "token_id"], ignore_index=True))


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("in")
    write_folder(root)
    return root


@pytest.fixture(scope="module")
def reference(folder, tmp_path_factory):
    """An uninterrupted run: the store every other run must equal."""
    out = tmp_path_factory.mktemp("ref") / "store"
    store = utils.tokenize_to_store(folder, out, batch_mb=0.004, progress=False)
    return store


def test_the_store_is_the_token_table_of_utils_tokenize(folder, reference):
    docs = {e.relative_to(folder).with_suffix("").as_posix(): e.read_text("utf-8")
            for e in sorted(folder.rglob("*.txt"))}
    expected = utils.tokenize(dict(sorted(docs.items())))
    assert_frame_equal(store_rows(reference.path), expected)
    assert_frame_equal(reference.tokens(), expected)
    assert reference.last_run["batches"] > 5  # small batches: the tests below interrupt them


def test_the_manifest_has_one_row_per_input(folder, reference):
    manifest = reference.manifest
    assert list(manifest.columns) == utils.MANIFEST_COLUMNS
    assert len(manifest) == 40 and set(manifest["status"]) == {"ok"}
    counts = store_rows(reference.path)["doc_id"].value_counts()
    assert manifest.set_index("doc_id")["tokens"].to_dict() == counts.to_dict()
    assert manifest.loc[manifest.doc_id == "1/0001", "path"].item() == "1/0001.txt"
    assert (manifest["size"] == [os.path.getsize(folder / p) for p in manifest["path"]]).all()


def failing_on(batch_to_fail: int):
    def run(out, batch, entries, options):
        if batch == batch_to_fail:
            raise RuntimeError("simulated failure in the middle of a batch")
        return real_run_batch(out, batch, entries, options)
    return run


def test_a_rerun_after_an_error_does_only_the_missing_batches(folder, reference, tmp_path,
                                                               monkeypatch):
    out = tmp_path / "store"
    monkeypatch.setattr(store_module, "run_batch", failing_on(3))
    with pytest.raises(RuntimeError, match="simulated"):
        utils.tokenize_to_store(folder, out, batch_mb=0.004, progress=False)
    assert len(list((out / "_manifest").glob("part-*"))) == 3
    calls = []
    monkeypatch.setattr(store_module, "run_batch",
                        lambda *a: calls.append(a[1]) or real_run_batch(*a))
    store = utils.tokenize_to_store(folder, out, batch_mb=0.004, progress=False)
    assert calls[0] == 3 and store.last_run["skipped"] == sum(
        len(pd.read_parquet(out / "_manifest" / f"part-00000{i}.parquet")) for i in range(3))
    assert_frame_equal(store_rows(out), store_rows(reference.path))
    assert_frame_equal(store.manifest.drop(columns="batch"),
                       reference.manifest.drop(columns="batch"))


def dies_on_batch_2(out, batch, entries, options):
    if batch == 2:
        real_run_batch(out, batch, entries[:1], options)  # half a batch's token part …
        os._exit(1)  # … then the worker process dies
    return real_run_batch(out, batch, entries, options)


def test_a_worker_killed_mid_batch_loses_only_its_batch(folder, reference, tmp_path,
                                                       monkeypatch):
    out = tmp_path / "store"
    monkeypatch.setattr(store_module, "start_method", lambda: "fork")
    monkeypatch.setattr(store_module, "run_batch", dies_on_batch_2)
    with pytest.raises(utils.StoreError, match="worker process died"):
        utils.tokenize_to_store(folder, out, workers=2, batch_mb=0.004, progress=False)
    done = {int(p.stem[-6:]) for p in (out / "_manifest").glob("part-*")}
    assert 2 not in done
    monkeypatch.setattr(store_module, "run_batch", real_run_batch)
    utils.tokenize_to_store(folder, out, workers=2, batch_mb=0.004, progress=False)
    assert_frame_equal(store_rows(out), store_rows(reference.path))


def test_a_token_part_without_its_manifest_part_is_not_counted(folder, reference, tmp_path):
    out = tmp_path / "store"
    utils.tokenize_to_store(folder, out, batch_mb=0.004, progress=False)
    last = sorted((out / "_manifest").glob("part-*"))[-1]
    lost = set(pd.read_parquet(last)["doc_id"])
    last.unlink()  # the run stopped between the batch's two renames
    (out / ".tmp-part-000999.parquet-x").write_bytes(b"PAR1 half written")
    partial = utils.Store(out)
    assert lost.isdisjoint(partial.manifest["doc_id"])
    assert lost.isdisjoint(partial.tokens()["doc_id"])  # nor are its tokens read
    store = utils.tokenize_to_store(folder, out, batch_mb=0.004, progress=False)
    assert store.last_run["done"] == len(lost) and store.last_run["batches"] == 1
    assert not list(out.glob(".tmp-*"))
    assert_frame_equal(store_rows(out), store_rows(reference.path))


def test_a_second_run_does_nothing(folder, reference, tmp_path):
    out = tmp_path / "store"
    utils.tokenize_to_store(folder, out, progress=False)
    store = utils.tokenize_to_store(folder, out, progress=False)
    assert (store.last_run["done"], store.last_run["skipped"]) == (0, 40)


def test_changed_and_deleted_inputs(tmp_path):
    write_folder(tmp_path / "in", n=12)
    out = tmp_path / "store"
    utils.tokenize_to_store(tmp_path / "in", out, batch_mb=0.002, progress=False)
    (tmp_path / "in" / "0002.txt").write_text("停戦の協議が始まった。\n", encoding="utf-8")
    (tmp_path / "in" / "0004.txt").unlink()
    store = utils.tokenize_to_store(tmp_path / "in", out, batch_mb=0.002, progress=False)
    assert (store.last_run["changed"], store.last_run["deleted"]) == (1, ["0004"])
    assert "no longer exist (kept; --prune drops them): 0004" in store.summary
    rows = store_rows(out)
    assert rows.loc[rows.doc_id == "0002", "surface"].tolist()[:3] == ["停戦", "の", "協議"]
    assert "0004" in set(rows["doc_id"])
    store = utils.tokenize_to_store(tmp_path / "in", out, prune=True, progress=False)
    assert "0004" not in set(store_rows(out)["doc_id"]) | set(store.manifest["doc_id"])
    assert store.manifest["doc_id"].is_unique and len(store.manifest) == 11


BAD_FILES = [  # (name, bytes, words of the reason)
    ("empty.txt", b"", "empty"),
    ("blank.txt", b" \n\n", "empty"),
    ("sjis.txt", "停戦の合意".encode("shift_jis"), "Shift_JIS"),
    ("utf16.txt", "停戦".encode("utf-16"), "UTF-16"),
    ("binary.txt", b"\x00\x01\x02PNG" * 20, "binary"),
]


def test_unreadable_files_are_listed_and_the_rest_goes_on(tmp_path, capsys):
    write_folder(tmp_path / "in", n=3)
    for name, data, _ in BAD_FILES:
        (tmp_path / "in" / name).write_bytes(data)
    assert main(["tokenize", str(tmp_path / "in"), "--out", str(tmp_path / "s"),
                 "--quiet"]) == 0
    out = capsys.readouterr()
    assert "tokenized 3 input(s)" in out.out and out.err == ""
    assert f"5 input(s) could not be read (5 in this run): see {tmp_path / 's'}" in out.out
    problems = pd.read_csv(tmp_path / "s" / "_problems.csv", dtype=str)
    reasons = dict(zip(problems["path"], problems["reason"]))
    for name, _, words in BAD_FILES:
        assert words in reasons[name], (name, reasons)
    manifest = utils.Store(tmp_path / "s").manifest
    assert (manifest.set_index("path").loc[[n for n, _, _ in BAD_FILES], "status"]
            == "unreadable").all()


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_csv_and_json_lines_inputs(tmp_path, suffix):
    table = pd.DataFrame({"id": ["a", "b", "c", "b", "d"],
                          "body": ["停戦を求めた。", "合意した。", "", "重複", "核の脅威。"]})
    path = tmp_path / f"news{suffix}"
    if suffix == ".csv":
        table.to_csv(path, index=False)
    else:
        table.to_json(path, orient="records", lines=True, force_ascii=False)
    store = utils.tokenize_to_store(path, tmp_path / "s", id_column="id", text_column="body",
                                    batch_mb=0.00002, progress=False)
    manifest = store.manifest.set_index("path")
    assert manifest["status"].to_dict() == {
        f"news{suffix}#0": "ok", f"news{suffix}#1": "ok", f"news{suffix}#2": "unreadable",
        f"news{suffix}#3": "unreadable", f"news{suffix}#4": "ok"}
    assert "repeated (first at row 1)" in manifest.at[f"news{suffix}#3", "reason"]
    expected = utils.tokenize({"a": "停戦を求めた。", "b": "合意した。", "d": "核の脅威。"})
    assert_frame_equal(store.tokens(), expected)
    again = utils.tokenize_to_store(path, tmp_path / "s", id_column="id", text_column="body",
                                    progress=False)
    assert again.last_run["skipped"] == 5


def test_other_settings_on_a_rerun_are_refused(tmp_path):
    write_folder(tmp_path / "in", n=2)
    utils.tokenize_to_store(tmp_path / "in", tmp_path / "s", progress=False)
    with pytest.raises(utils.StoreError, match=r"other settings \(encoding: None then, "
                                               r"'cp932' now\)"):
        utils.tokenize_to_store(tmp_path / "in", tmp_path / "s", encoding="cp932",
                                progress=False)


def test_the_settings_file_holds_no_absolute_path(tmp_path):
    write_folder(tmp_path / "in", n=2)
    utils.tokenize_to_store(tmp_path / "in", tmp_path / "s", progress=False)
    text = (tmp_path / "s" / "_store.json").read_text("utf-8")
    assert str(tmp_path) not in text and json.loads(text)["input"] == "folder"


@pytest.mark.parametrize("argv, words", [
    (["{t}/nope", "--out", "{t}/s"], ["{t}/nope", "no such file or folder"]),
    (["{t}/in", "--out", "{t}/in/store"], ["{t}/in/store", "inside the input folder"]),
    (["{t}/in", "--out", "{t}"], ["holds the input"]),
    (["{t}/in", "--out", "{t}/in/a.txt"], ["inside the input folder"]),
    (["{t}/in", "--out", "{t}/file.md"], ["{t}/file.md", "is a file"]),
    (["{t}/in", "--out", "{t}/other"], ["{t}/other", "not a token store"]),
    (["{t}/file.md", "--out", "{t}/s"], ["{t}/file.md", ".md file"]),
    (["{t}/in", "--out", "{t}/s", "--workers", "0"], ["--workers", "not 0"]),
    (["{t}/in", "--out", "{t}/s", "--workers", "two"], ["--workers", "'two'"]),
    (["{t}/in", "--out", "{t}/s", "--batch-mb", "-1"], ["--batch-mb", "not -1"]),
    (["{t}/in", "--out", "{t}/s", "--workers", "2", "--scheduler", "tcp://x:1"],
     ["workers=2 and a scheduler"]),
    (["{t}/in", "--out", "{t}/s", "--user-dict", "{t}/nope.csv"], ["nope.csv"]),
    (["{t}/t.csv", "--out", "{t}/s"], ["t.csv", "no column(s) ['doc_id', 'text']",
                                       "--id-column"]),
])
def test_bad_arguments_are_refused_and_nothing_is_written(tmp_path, capsys, argv, words):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("停戦。", encoding="utf-8")
    (tmp_path / "file.md").write_text("x", encoding="utf-8")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "t.csv").write_text("id,body\n1,停戦\n", encoding="utf-8")
    before = sorted(tmp_path.rglob("*"))
    try:
        code = main(["tokenize"] + [a.replace("{t}", str(tmp_path)) for a in argv])
    except SystemExit as exit_:
        code = exit_.code
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert any(line.startswith("error: ") or ": error: " in line for line in err.splitlines())
    for word in words:
        assert word.replace("{t}", str(tmp_path)) in err, (word, err)
    assert sorted(tmp_path.rglob("*")) == before


@pytest.mark.parametrize("kwargs, error, words", [
    ({"workers": 0}, ValueError, "workers must be a whole number >= 1"),
    ({"workers": True}, ValueError, "got True"),
    ({"batch_mb": 0}, ValueError, "batch_mb must be a number of megabytes > 0"),
    ({"scheduler": 8786}, TypeError, "scheduler must be an address"),
    ({"progress": "yes"}, TypeError, "progress must be None"),
    ({"id_column": 0}, TypeError, "id_column must be a column name"),
])
def test_bad_options_name_the_value(tmp_path, kwargs, error, words):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("停戦。", encoding="utf-8")
    with pytest.raises(error, match=words):
        utils.tokenize_to_store(tmp_path / "in", tmp_path / "s", **kwargs)
    assert not (tmp_path / "s").exists()


def test_no_progress_bar_when_output_is_not_a_terminal(tmp_path, capsys):
    write_folder(tmp_path / "in", n=2)
    utils.tokenize_to_store(tmp_path / "in", tmp_path / "s")
    assert capsys.readouterr() == ("", "")


def test_user_dict_goes_to_tokenize_when_it_takes_one(tmp_path, monkeypatch):
    real = utils.tokenize
    seen = []

    def tokenize(data, *, clean=False, compounds=None, n_jobs=1, user_dict=None):
        seen.append(user_dict)
        return real(data, clean=clean, compounds=compounds, n_jobs=n_jobs)

    monkeypatch.setattr(utils, "tokenize", tokenize)
    write_folder(tmp_path / "in", n=2)
    (tmp_path / "user.csv").write_text("キーウ,,,1,名詞,固有名詞,地名,一般\n", encoding="utf-8")
    utils.tokenize_to_store(tmp_path / "in", tmp_path / "s", user_dict=tmp_path / "user.csv",
                            progress=False)
    assert seen == [str((tmp_path / "user.csv").resolve())]
    settings = json.loads((tmp_path / "s" / "_store.json").read_text("utf-8"))
    assert len(settings["user_dict_sha256"]) == 64


def interrupting_on(batch_to_stop: int):
    def run(out, batch, entries, options):
        if batch == batch_to_stop:
            raise KeyboardInterrupt
        return real_run_batch(out, batch, entries, options)
    return run


def test_ctrl_c_keeps_the_committed_batches_and_says_to_rerun(folder, reference, tmp_path,
                                                              monkeypatch, capsys):
    out = tmp_path / "store"
    argv = ["tokenize", str(folder), "--out", str(out), "--batch-mb", "0.004", "--quiet"]
    monkeypatch.setattr(store_module, "run_batch", interrupting_on(2))
    assert main(argv) == 130
    assert "run the same command again to finish" in capsys.readouterr().err
    assert len(list((out / "_manifest").glob("part-*"))) == 2
    monkeypatch.setattr(store_module, "run_batch", real_run_batch)
    assert main(argv) == 0
    assert_frame_equal(store_rows(out), store_rows(reference.path))


def test_a_full_disk_leaves_no_temporary_file_and_no_batch_counted(folder, reference, tmp_path,
                                                                  monkeypatch):
    out = tmp_path / "store"
    real_fsync, calls = os.fsync, []

    def fsync(fd):
        calls.append(fd)
        if len(calls) == 5:  # the token part of the third batch
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OSError, match="No space left"):
        utils.tokenize_to_store(folder, out, batch_mb=0.004, progress=False)
    assert not list(out.rglob(".tmp-*"))
    assert sorted(p.name for p in out.glob("part-*")) == ["part-000000.parquet",
                                                          "part-000001.parquet"]
    monkeypatch.setattr(os, "fsync", real_fsync)
    utils.tokenize_to_store(folder, out, batch_mb=0.004, progress=False)
    assert_frame_equal(store_rows(out), store_rows(reference.path))


def test_a_progress_bar_when_asked_for(tmp_path, capsys):
    write_folder(tmp_path / "in", n=2)
    utils.tokenize_to_store(tmp_path / "in", tmp_path / "s", progress=True)
    err = capsys.readouterr().err
    assert "tokenize: 100%" in err and "files=2/2" in err


def counted_pools(monkeypatch, peaks) -> list:
    """Run batches in worker processes (forked, even for a small run) whose peak RSS, as
    they report it, is ``peaks()`` of each batch; return the list of pools started."""
    pools = []

    class CountedPool(store_module.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(store_module, "ProcessPoolExecutor", CountedPool)
    monkeypatch.setattr(store_module, "start_method", lambda: "fork")
    monkeypatch.setattr(store_module, "IN_PROCESS_BYTES", 0)  # even a small run uses workers
    monkeypatch.setattr(store_module, "peak_rss_mb", peaks)
    return pools


def test_a_worker_process_that_grew_is_replaced_and_the_store_stays_the_same(
        folder, reference, tmp_path, monkeypatch):
    calls = iter(range(1, 1000))  # each forked process counts its own batches from 1
    pools = counted_pools(monkeypatch, lambda: 100 * next(calls))
    monkeypatch.setattr(store_module, "GROWTH_MB", 150)
    store = utils.tokenize_to_store(folder, tmp_path / "store", batch_mb=0.004, progress=False)
    # 100, 200, 300 MB: past the first batch's 100 + 150 after the third batch; the fourth,
    # queued by then, runs in the same process; the fifth in a new one
    assert len(pools) == -(-store.last_run["batches"] // 4) > 2
    assert_frame_equal(store_rows(tmp_path / "store"), store_rows(reference.path))


def test_worker_processes_that_do_not_grow_tag_every_batch(folder, reference, tmp_path,
                                                          monkeypatch):
    pools = counted_pools(monkeypatch, lambda: 500.0)
    store = utils.tokenize_to_store(folder, tmp_path / "store", batch_mb=0.002,
                                    progress=False)
    assert len(pools) == 1 and store.last_run["batches"] > 16  # not replaced every 16
    assert_frame_equal(store_rows(tmp_path / "store"), store_rows(reference.path))


def test_a_worker_reports_its_peak_memory():
    assert 10 < store_module.peak_rss_mb() < 100_000  # MB, whatever the platform's unit
    rows, peak = store_module.run_measured("unused", 0, [], {})
    assert rows == [] and peak >= 10


def test_workers_get_batches_of_equal_size_in_a_multiple_of_their_number(tmp_path,
                                                                         monkeypatch):
    """500 kB in 100 files with 2 workers: 4 batches of about 125 kB (not 200, 200 and
    100 kB, where one worker would tag the last batch while the other waits)."""
    rng = random.Random(1)
    pool = sentences()
    for i in range(100):
        text = ""
        while len(text.encode()) < 5000:
            text += rng.choice(pool) + "\n"
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / f"{i:03d}.txt").write_bytes(text.encode()[:5000].decode(
            errors="ignore").encode())
    monkeypatch.setattr(store_module, "start_method", lambda: "fork")
    store = utils.tokenize_to_store(tmp_path / "in", tmp_path / "s", workers=2, progress=False)
    sizes = store.manifest.groupby("batch")["size"].sum()
    assert len(sizes) == 4
    assert sizes.max() - sizes.min() <= store.manifest["size"].max()
    three = utils.tokenize_to_store(tmp_path / "in", tmp_path / "s3", workers=3,
                                    batch_mb=0.1, progress=False)
    assert three.last_run["batches"] == 6  # 5 batches of 0.1 MB, rounded up to 3 workers


def test_a_run_stopped_between_the_manifest_and_the_rename_is_finished(folder, reference,
                                                                      tmp_path):
    out = tmp_path / "store"
    utils.tokenize_to_store(folder, out, batch_mb=0.004, progress=False)
    last = sorted(out.glob("part-*.parquet"))[-1]
    last.rename(out / f".pending-{last.name}")  # as if stopped just before the last rename
    assert len(store_rows(out)) < len(store_rows(reference.path))  # readers do not see it
    store = utils.tokenize_to_store(folder, out, batch_mb=0.004, progress=False)
    assert store.last_run["batches"] == 0 and not list(out.glob(".pending-*"))
    assert_frame_equal(store_rows(out), store_rows(reference.path))


def test_the_corpus_user_dictionary_gives_the_tokens_tokenize_gives(tmp_path):
    user_dict = utils.CORPUS_DIR / "user_dict.csv"
    if "user_dict" not in inspect.signature(utils.tokenize).parameters:
        pytest.skip("this utils.tokenize takes no user_dict")
    store = utils.tokenize_to_store(utils.CORPUS_DIR / "texts", tmp_path / "s",
                                    user_dict=user_dict, progress=False)
    expected = utils.tokenize(utils.load_texts(utils.CORPUS_DIR / "texts"), user_dict=user_dict)
    assert_frame_equal(store.tokens(), expected)
    assert "キーウ" in set(expected["surface"])  # the dictionary made a difference
