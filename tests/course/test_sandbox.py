"""Tests for utils/course/sandbox.py: private copies of the kit, and the guard of the real one."""
from __future__ import annotations

import os
import subprocess
import sys

from utils.course.sandbox import Change, KitCopy, KitGuard


def make_kit(tmp_path):
    package = tmp_path / "kit" / "utils"
    (package / "__pycache__").mkdir(parents=True)
    (package / "__init__.py").write_text("VALUE = 1\n", "utf-8")
    (package / "kwic.py").write_text("def kwic(): pass\n", "utf-8")
    corpus = tmp_path / "kit" / "corpus"
    (corpus / "texts").mkdir(parents=True)
    (corpus / "texts" / "001.txt").write_text("停戦だ。", "utf-8")
    lessons = tmp_path / "kit" / "lessons"
    (lessons / "checks").mkdir(parents=True)
    (lessons / "00_x.ipynb").write_text("{}", "utf-8")
    (lessons / "checks" / "00_x.json").write_text("{}", "utf-8")
    return package, corpus, lessons


def test_a_copy_holds_the_package_the_corpus_and_the_folder_without_notebooks(tmp_path):
    package, corpus, lessons = make_kit(tmp_path)
    with KitCopy(lessons, package=package, corpus=corpus) as kit:
        assert (kit.package / "kwic.py").is_file() and (kit.corpus / "texts" / "001.txt").is_file()
        assert (kit.cwd / "checks" / "00_x.json").is_file()
        assert not (kit.cwd / "00_x.ipynb").exists()
        assert kit.changes() == []
        root = kit.root
    assert not root.exists()


def test_what_a_cell_writes_deletes_or_creates_is_found_and_put_back(tmp_path):
    package, corpus, lessons = make_kit(tmp_path)
    with KitCopy(lessons, package=package, corpus=corpus) as kit:
        (kit.corpus / "texts" / "001.txt").write_text("停戦だ!", "utf-8")
        (kit.package / "kwic.py").unlink()
        (kit.corpus / "texts" / "005.txt").write_text("new", "utf-8")
        (kit.package / "__pycache__" / "x.pyc").write_bytes(b"cache")  # Python's own, fine
        (kit.cwd / "my_table.csv").write_text("a,b\n", "utf-8")  # the student's own, fine
        assert sorted(map(str, kit.restore())) == [
            "corpus/texts/001.txt (changed)", "corpus/texts/005.txt (created)",
            "utils/kwic.py (deleted)"]
        assert (kit.corpus / "texts" / "001.txt").read_text("utf-8") == "停戦だ。"
        assert (kit.package / "kwic.py").is_file()
        assert not (kit.corpus / "texts" / "005.txt").exists()
        assert kit.changes() == []
    # the originals were never touched
    assert (corpus / "texts" / "001.txt").read_text("utf-8") == "停戦だ。"


def test_rewriting_a_file_with_the_same_bytes_is_no_change(tmp_path):
    package, corpus, lessons = make_kit(tmp_path)
    with KitCopy(lessons, package=package, corpus=corpus) as kit:
        path = kit.corpus / "texts" / "001.txt"
        os.utime(path, ns=(1, 1))
        path.write_text("停戦だ。", "utf-8")
        assert kit.changes() == []


def test_a_variant_corpus_replaces_the_copy_and_is_what_restore_keeps(tmp_path):
    package, corpus, lessons = make_kit(tmp_path)
    other = tmp_path / "variant"
    (other / "texts").mkdir(parents=True)
    (other / "texts" / "001.txt").write_text("和平だ。", "utf-8")
    with KitCopy(lessons, package=package, corpus=corpus) as kit:
        kit.use_corpus(other)
        assert (kit.corpus / "texts" / "001.txt").read_text("utf-8") == "和平だ。"
        (kit.corpus / "texts" / "001.txt").unlink()
        assert kit.restore() == [Change("corpus/texts/001.txt", "deleted")]
        assert (kit.corpus / "texts" / "001.txt").read_text("utf-8") == "和平だ。"


def test_a_kernel_of_the_copy_imports_the_copy(tmp_path):
    package, corpus, lessons = make_kit(tmp_path)
    with KitCopy(lessons, package=package, corpus=corpus) as kit:
        env = {**os.environ, **kit.env()}
        out = subprocess.run([sys.executable, "-c", "import utils; print(utils.__file__)"],
                             env=env, cwd=kit.cwd, capture_output=True, text=True, check=True)
        assert out.stdout.strip() == str(kit.package / "__init__.py")


def test_the_guard_puts_back_changed_deleted_and_created_files(tmp_path):
    package, corpus, lessons = make_kit(tmp_path)
    single = tmp_path / "subs" / "ann" / "00_x.ipynb"
    single.parent.mkdir(parents=True)
    single.write_bytes(b'{"cells": []}')
    guard = KitGuard([package, corpus], [single])
    assert guard.restore() == []
    (corpus / "texts" / "001.txt").write_bytes(b"")
    (package / "kwic.py").unlink()
    single.unlink()
    (package / "evil.py").write_text("x = 1", "utf-8")
    (package / "__pycache__" / "y.pyc").write_bytes(b"c")
    changes = {(os.path.basename(c.path), c.kind) for c in guard.restore()}
    assert changes == {("001.txt", "changed"), ("kwic.py", "deleted"),
                       ("00_x.ipynb", "deleted"), ("evil.py", "created")}
    assert (corpus / "texts" / "001.txt").read_text("utf-8") == "停戦だ。"
    assert (package / "kwic.py").is_file() and not (package / "evil.py").exists()
    assert single.read_bytes() == b'{"cells": []}'
    assert (package / "__pycache__" / "y.pyc").exists()  # caches are not guarded
    assert guard.restore() == []
