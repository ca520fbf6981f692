"""Tests for README.md: the two commands are there, and the API tour runs as printed."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import background, background_result

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _block_after(tag: str) -> str:
    match = re.search(rf"<!-- {tag} -->\n```bash\n(.+?)\n```", README)
    assert match, f"README.md has no command after <!-- {tag} -->"
    return match.group(1)


def test_the_two_commands():
    install = _block_after("install")
    assert install.startswith("python3 -m venv .venv && ")
    assert "pip install -r requirements.txt" in install
    assert install.endswith("&& .venv/bin/jupyter lab lessons/")
    assert _block_after("test") == ".venv/bin/python -m pytest"


@background("tour_run", pool="processes")
def _run_the_tour(folder):
    tour = re.search(r"```python\n(.+?)\n```", README, re.S).group(1)
    env = dict(os.environ, MPLBACKEND="Agg")
    return subprocess.run([sys.executable, "-W", "error", "-c", tour], capture_output=True,
                          text=True, cwd=Path(__file__).resolve().parents[1], env=env)


@pytest.fixture
def tour_run():
    return background_result("tour_run")


def test_the_api_tour_runs_without_warnings(tour_run):
    assert (tour_run.returncode, tour_run.stderr) == (0, "")


def test_every_lesson_in_the_course_map_exists():
    root = Path(__file__).resolve().parents[1]
    linked = re.findall(r"\]\((lessons/\d\d_\w+\.ipynb)\)", README)
    assert linked and all((root / p).is_file() for p in linked)
    assert sorted(linked) == sorted(f"lessons/{p.name}" for p in (root / "lessons").glob("*.ipynb"))


README_JA = (Path(__file__).resolve().parents[1] / "README.ja.md").read_text(encoding="utf-8")


def test_the_japanese_readme_has_the_same_two_commands_opening_the_japanese_lessons():
    """A Japanese student goes from README.ja.md to lesson 00 in Japanese with the same two
    commands as README.md (which CI runs), the first opening lessons/ja/."""
    def block(text, tag):
        return re.search(rf"<!-- {tag} -->\n```bash\n(.+?)\n```", text).group(1)

    assert block(README_JA, "install") == block(README, "install").replace(
        "jupyter lab lessons/", "jupyter lab lessons/ja/")
    assert block(README_JA, "test") == block(README, "test")
    assert "(README.ja.md)" in README.splitlines()[0] and "(README.md)" in README_JA


def test_every_japanese_lesson_is_in_the_japanese_course_map():
    root = Path(__file__).resolve().parents[1]
    linked = re.findall(r"\]\((lessons/ja/\d\d_\w+\.ipynb)\)", README_JA)
    assert sorted(linked) == sorted(f"lessons/ja/{p.name}"
                                    for p in (root / "lessons" / "ja").glob("*.ipynb"))
    assert len(linked) == len(list((root / "lessons").glob("*.ipynb")))
