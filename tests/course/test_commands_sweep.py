"""Bad arguments for every command of ``python -m utils``: refused in one line, nothing written.

Each row runs a command in-process on a small kit in a temporary folder (no kernel starts): the
exit code is not 0, stderr ends with an ``error:`` line naming the bad value, there is no
traceback, and no file of the kit changed or appeared.
"""
from __future__ import annotations

import hashlib

import pytest

from conftest import tiny_master
from utils.__main__ import main
from utils.course.notebooks import notebook_text
from utils.course.release import release_notebook

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
ODD = "山田 太郎\u2028"  # a space, Japanese and a line separator in one name


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    """A tiny kit: masters, one student, broken notebooks, a file and an empty folder.

    One kit serves every row: each row snapshots it before and after, so a command that
    wrote anything fails its own row.
    """
    tmp_path = tmp_path_factory.mktemp("kit")
    (tmp_path / "sol").mkdir()
    for number, name in (("98", "98_tiny"), ("97", "97_other")):
        (tmp_path / "sol" / f"{name}.ipynb").write_text(notebook_text(tiny_master(number)),
                                                       "utf-8")
    lesson = notebook_text(release_notebook(tiny_master("98")))
    (tmp_path / "subs" / "aiko").mkdir(parents=True)
    (tmp_path / "subs" / "aiko" / "98_tiny.ipynb").write_text(lesson, "utf-8")
    (tmp_path / "nb.ipynb").write_text(lesson, "utf-8")
    (tmp_path / "nb.html").write_text(lesson, "utf-8")
    (tmp_path / "bad.ipynb").write_text('{"cells": [', "utf-8")
    (tmp_path / "png.ipynb").write_bytes(PNG)
    (tmp_path / "cells5.ipynb").write_text('{"cells": 5}', "utf-8")
    (tmp_path / "afile").write_text("keep me", "utf-8")
    (tmp_path / "empty").mkdir()
    (tmp_path / "adir").mkdir()
    (tmp_path / "bad_sol").mkdir()
    (tmp_path / "bad_sol" / "98_tiny.ipynb").write_bytes(PNG)
    (tmp_path / "scores.csv").write_text("name,score\naiko,1\n", "utf-8")
    (tmp_path / "variant").mkdir()
    (tmp_path / "variant" / "x.txt").write_text("old", "utf-8")
    return tmp_path


def snapshot(root):
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            if p.is_file() else "dir" for p in sorted(root.rglob("*"))}


G = ["--solutions", "{t}/sol"]
# (command line with {t} for the kit, words the error must hold)
CASES = {
    "grade": [
        (["{t}/nope"] + G, ["{t}/nope", "no such file or folder"]),
        ([f"{{t}}/{ODD}"] + G, [ODD, "no such file or folder"]),
        (["{t}/empty", "--out", "{t}/adir"] + G, ["no notebooks", "{t}/empty"]),
        (["{t}/subs", "--out", "{t}/afile"] + G, ["{t}/afile", "is a file"]),
        (["{t}/subs", "--out", "{t}/afile/sub"] + G, ["{t}/afile", "is a file"]),
        (["{t}/subs", "--out", "{t}/subs"] + G, ["{t}/subs", "is the input"]),
        (["{t}/subs", "--out", "{t}/subs/grades"] + G, ["{t}/subs/grades", "inside the input"]),
        (["{t}/subs", "--manual", "{t}/nope.csv"] + G, ["{t}/nope.csv", "no such scores file"]),
        (["{t}/subs", "--manual", "{t}/adir"] + G, ["{t}/adir", "is a folder"]),
        (["{t}/subs", "--manual", "{t}/scores.csv", "--out", "{t}/adir"] + G,
         ["scores.csv", "the header lacks student"]),
        (["{t}/subs", "--solutions", "{t}/nope"], ["{t}/nope", "no master notebooks"]),
        (["{t}/subs", "--solutions", "{t}/empty"], ["{t}/empty", "no master notebooks"]),
        (["{t}/subs", "--solutions", "{t}/bad_sol"], ["98_tiny.ipynb", "not text"]),
        (["{t}/subs", "-j", "0"] + G, ["-j", "not 0"]),
        (["{t}/subs", "-j", "x"] + G, ["-j", "'x'"]),
        (["{t}/subs", "--timeout", "0"] + G, ["--timeout", "not 0.0"]),
        (["{t}/subs", "--timeout", "nan"] + G, ["--timeout", "not nan"]),
        (["{t}/subs", "--timeout", "inf"] + G, ["--timeout", "not inf"]),
        (["{t}/subs", "--timeout", "-1"] + G, ["--timeout", "not -1.0"]),
        ([], ["PATH"]),
    ],
    "export": [
        (["{t}/nope.ipynb"], ["{t}/nope.ipynb", "no such notebook"]),
        ([f"{{t}}/{ODD}.ipynb"], [ODD, "no such notebook"]),
        (["{t}/adir", "--out", "{t}/x.html"], ["{t}/adir", "is a folder"]),
        (["{t}/nb.ipynb", "--out", "{t}/nb.ipynb"], ["{t}/nb.ipynb", "must end in .html"]),
        (["{t}/nb.html", "--out", "{t}/nb.html"], ["{t}/nb.html", "is the input"]),
        (["{t}/nb.html"], ["{t}/nb.html", "give --out"]),
        (["{t}/nb.ipynb", "--out", "{t}/adir"], ["{t}/adir", "is a folder"]),
        (["{t}/nb.ipynb", "--out", "{t}/afile/x.html"], ["{t}/afile", "is a file"]),
        (["{t}/nb.ipynb", "--out", "{t}/sol/97_other.ipynb"], ["97_other.ipynb", ".html"]),
        (["{t}/bad.ipynb"], ["bad.ipynb", "not valid JSON"]),
        (["{t}/png.ipynb"], ["png.ipynb", "not text"]),
        (["{t}/cells5.ipynb"], ["cells5.ipynb", "not a Jupyter notebook"]),
        (["{t}/afile", "--out", "{t}/x.html"], ["afile", "not valid JSON"]),
        ([], ["notebook"]),
    ],
    "release": [
        (["--check", "00_getting_startd"], ["00_getting_startd", "00_getting_started"]),
        (["--check", "nope", "--solutions", "{t}/sol"], ["'nope'", "98_tiny"]),
        (["--check", "--solutions", "{t}/nope"], ["{t}/nope", "no such folder"]),
        (["--solutions", "{t}/afile", "--lessons", "{t}/les"], ["{t}/afile", "is a file"]),
        (["--solutions", "{t}/empty", "--lessons", "{t}/les"], ["{t}/empty", "no master"]),
        (["--solutions", "{t}/sol", "--lessons", "{t}/afile"], ["{t}/afile", "is a file"]),
        (["--solutions", "{t}/sol", "--lessons", "{t}/sol"], ["{t}/sol", "is the input"]),
        (["--solutions", "{t}/sol", "--lessons", "{t}/sol/les"], ["{t}/sol/les", "inside"]),
        (["--solutions", "{t}/bad_sol", "--lessons", "{t}/les"], ["98_tiny.ipynb", "not text"]),
    ],
    "translations": [
        (["00_getting_startd"], ["00_getting_startd", "no such master"]),
        (["--solutions", "{t}/nope"], ["{t}/nope", "no such folder"]),
        (["--solutions", "{t}/empty"], ["{t}/empty", "no master"]),
        (["--update", "--solutions", "{t}/bad_sol"], ["98_tiny.ipynb", "not text"]),
    ],
    "execute": [
        (["{t}/nope.ipynb"], ["{t}/nope.ipynb", "no such notebook"]),
        ([f"{{t}}/{ODD}.ipynb"], [ODD, "no such notebook"]),
        (["{t}/adir"], ["{t}/adir", "a folder"]),
        (["{t}/afile"], ["{t}/afile", "not a notebook"]),
        (["{t}/png.ipynb"], ["png.ipynb", "not text"]),
        (["{t}/cells5.ipynb"], ["cells5.ipynb", "not a Jupyter notebook"]),
        (["{t}/nb.ipynb", "{t}/bad.ipynb"], ["bad.ipynb", "nothing was run"]),
        (["{t}/nb.ipynb", "--timeout", "0"], ["--timeout", "not 0.0"]),
        (["{t}/nb.ipynb", "--timeout", "nan"], ["--timeout", "not nan"]),
    ],
    "answers": [
        (["{t}/subs", "--grade-id", "ex98_04", "--out", "{t}/adir"] + G, ["{t}/adir", "folder"]),
        (["{t}/subs", "--grade-id", "ex98_04", "--out", "{t}/subs/a.html"] + G,
         ["{t}/subs/a.html", "inside the input"]),
        (["{t}/subs", "--grade-id", "ex98_04", "--out", "{t}/manual.csv"] + G,
         ["{t}/manual.csv", "must end in"]),
        (["{t}/subs", "--grade-id", "ex98_04", "--out", "{t}/afile/a.html"] + G,
         ["{t}/afile", "is a file"]),
        (["{t}/subs", "--grade-id", "ex98_04", "--manual", "{t}/nope.csv", "--out",
          "{t}/a.html"] + G, ["{t}/nope.csv", "no such scores file"]),
        (["{t}/subs", "--grade-id", "ex98_04", "--manual", "{t}/scores.csv", "--out",
          "{t}/a.html"] + G, ["scores.csv", "the header lacks student"]),
        (["{t}/subs", "--grade-id", "ex98_99", "--out", "{t}/a.html"] + G,
         ["'ex98_99'", "ex98_04"]),
        (["{t}/subs", "--grade-id", "", "--out", "{t}/a.html"] + G, ["''", "ex98_04"]),
        (["{t}/subs", "--grade-id", "ex97_01", "--out", "{t}/a.html"] + G,
         ["97_other", "none of the 1 notebook"]),
        (["{t}/nope", "--grade-id", "ex98_04", "--out", "{t}/a.html"] + G,
         ["{t}/nope", "no such file or folder"]),
        (["{t}/empty", "--grade-id", "ex98_04", "--out", "{t}/a.html"] + G,
         ["{t}/empty", "no notebooks"]),
        (["{t}/subs", "--out", "{t}/a.html"] + G, ["--grade-id"]),
        (["{t}/subs", "--grade-id", "ex98_04", "--out", "{t}/a.html", "--solutions",
          "{t}/bad_sol"], ["98_tiny.ipynb", "not text"]),
    ],
    "variant": [
        (["--seed", "1", "--out", "{t}/afile"], ["{t}/afile", "is a file"]),
        (["--seed", "1", "--out", "{t}/afile/sub"], ["{t}/afile", "is a file"]),
        (["--seed", "1", "--out", "{t}/variant"], ["{t}/variant", "not empty"]),
        (["--seed", "1", "--out", "{t}/v", "--corpus", "{t}/nope"], ["{t}/nope"]),
        (["--seed", "1", "--out", "{t}/v", "--corpus", "{t}/afile"], ["{t}/afile"]),
        (["--seed", "1", "--out", "{t}/v", "--corpus", "{t}/empty"], ["{t}/empty"]),
        (["--seed", "1", "--out", "{t}/empty/v", "--corpus", "{t}/empty"],
         ["{t}/empty/v", "inside the input"]),
        (["--seed", "1"], ["--out"]),
    ],
    "tokenize": [
        (["{t}/nope", "--out", "{t}/s"], ["{t}/nope", "no such file or folder"]),
        (["{t}/afile", "--out", "{t}/s"], ["{t}/afile", "suffix-less file"]),
        (["{t}/variant", "--out", "{t}/variant/s"], ["{t}/variant/s", "inside the input"]),
        (["{t}/variant", "--out", "{t}/afile"], ["{t}/afile", "is a file"]),
        (["{t}/variant", "--out", "{t}/afile/sub"], ["{t}/afile", "is a file"]),
        (["{t}/variant", "--out", "{t}/subs"], ["{t}/subs", "not a token store"]),
        (["{t}/variant", "--out", "{t}/s", "--workers", "0"], ["--workers", "not 0"]),
        (["{t}/variant", "--out", "{t}/s", "--batch-mb", "x"], ["--batch-mb", "'x'"]),
        (["{t}/variant"], ["--out"]),
    ],
    "recheck": [
        (["{t}/nope.ipynb"], ["{t}/nope.ipynb", "no such notebook"]),
        (["{t}/adir"], ["{t}/adir", "a folder"]),
        (["{t}/png.ipynb"], ["png.ipynb", "not text"]),
        (["{t}/cells5.ipynb"], ["cells5.ipynb", "not a Jupyter notebook"]),
        (["{t}/sol/98_tiny.ipynb", "--seeds", "0"], ["--seeds", "not 0"]),
        (["{t}/sol/98_tiny.ipynb", "--seeds", "x"], ["--seeds", "'x'"]),
    ],
    "": [
        (["grde"], ["'grde'", "grade"]),
        ([""], ["''", "grade"]),
    ],
}
ROWS = [pytest.param(command, argv, words, id=f"{command or 'main'}-{i}")
        for command, rows in CASES.items() for i, (argv, words) in enumerate(rows)]


@pytest.mark.parametrize("command, argv, words", ROWS)
def test_bad_arguments_are_refused_in_one_line_and_nothing_is_written(kit, capsys, command,
                                                                      argv, words):
    before = snapshot(kit)
    argv = [a.replace("{t}", str(kit)) for a in argv]
    try:
        code = main(([command] if command else []) + argv)
    except SystemExit as exit_:  # argparse
        code = exit_.code
    err = capsys.readouterr().err
    assert code not in (0, None), err
    assert "Traceback" not in err, err
    assert any(line.startswith("error: ") or ": error: " in line  # ours, or argparse's
               for line in err.splitlines()), err
    for word in words:
        assert word.replace("{t}", str(kit)) in err, (word, err)
    assert snapshot(kit) == before


def test_the_sweep_covers_every_command_but_score():
    from utils.__main__ import COMMANDS

    assert set(CASES) - {""} == set(COMMANDS) - {"score"}
