"""Tests for utils/course/export.py: the HTML report of a finished notebook.

The notebook exported is the executed capstone master (its saved outputs: tables, the
highlighted passage, a figure), once per module; the checks read the page as text, so no
browser is needed.
"""
from __future__ import annotations

import base64
import re

import pytest

from conftest import SOLUTIONS
from utils.course import export

CAPSTONE = SOLUTIONS / "05_capstone.ipynb"
# the smallest PNG (one transparent pixel), base64
PNG_1X1 = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAA"
           "AABJRU5ErkJggg==")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "capstone.html"
    assert export.main([str(CAPSTONE), "--out", str(out)]) == 0
    return out.read_text("utf-8")


def test_the_page_declares_japanese_and_utf8(report):
    head = report[: report.index("<body")]
    assert re.search(r'<html lang="ja">', head)
    assert re.search(r'<meta charset="utf-8"\s*/?>', head, re.IGNORECASE)
    assert "<title>05 · Capstone: a small media study on texts you choose</title>" in head
    for font in ('"Hiragino Sans"', '"Yu Gothic"', '"Noto Sans CJK JP"', '"IPAexGothic"'):
        assert font in head


def test_japanese_text_and_outputs_are_intact(report):
    assert "各コードを含む文の割合" in report          # code and prose
    assert "ウクライナ戦争のエスカレートか停戦かの岐路" in report  # the highlighted passage
    assert "✅ ex05_08 passed." in report             # a check's output
    assert "&#20572;" not in report and "&#x505c;" not in report.lower()  # 停, not escaped


def test_figures_are_embedded_as_data_uris(report):
    images = re.findall(r'<img[^>]*src="([^"]+)"', report)
    assert images, "the figure is missing"
    assert all(src.startswith("data:image/png;base64,") for src in images)
    png = base64.b64decode(images[-1].split(",", 1)[1])
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


def test_nothing_is_loaded_from_the_network(report):
    loads = re.findall(r'<(?:script|link|img|iframe|source)\b[^>]*(?:src|href)="(https?:[^"]*)"',
                       report, re.IGNORECASE)
    assert loads == []
    assert "cdnjs" not in report and "@import url(http" not in report
    assert not re.search(r"url\(\s*['\"]?https?:", report)


def test_no_code_keeps_prose_outputs_and_figures(tmp_path):
    # a small executed notebook (the capstone above takes seconds to render)
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    from utils.course.notebooks import notebook_text

    figure = new_output("display_data", data={"image/png": PNG_1X1, "text/plain": "<Figure>"})
    table = new_output("execute_result", data={"text/plain": "停戦 12"}, execution_count=2)
    nb = new_notebook(cells=[
        new_markdown_cell("# 停戦の報道\n\nウクライナ戦争のエスカレートか停戦かの岐路"),
        new_code_cell("corpus = utils.load_corpus()\nfig, ax = plt.subplots()", execution_count=1,
                      outputs=[figure]),
        new_code_cell("def line_offsets(text):\n    ...", execution_count=2, outputs=[table])])
    path = tmp_path / "short.ipynb"
    path.write_text(notebook_text(nb), "utf-8")
    page = export.export_html(path, tmp_path / "short.html", code=False).read_text("utf-8")
    assert "utils.load_corpus()" not in page and "def line_offsets" not in page
    assert "ウクライナ戦争のエスカレートか停戦かの岐路" in page and "停戦 12" in page
    assert f"data:image/png;base64,{PNG_1X1}" in page
    with_code = export.export_html(path, tmp_path / "long.html").read_text("utf-8")
    assert "utils" in with_code and "line_offsets" in with_code  # the test can fail


def test_errors_name_the_file(tmp_path, capsys):
    assert export.main([str(tmp_path / "missing.ipynb")]) == 2
    assert "missing.ipynb: no such notebook" in capsys.readouterr().err
    bad = tmp_path / "bad.ipynb"
    bad.write_text("{not json", "utf-8")
    assert export.main([str(bad)]) == 2
    assert "bad.ipynb: cannot be read as a notebook" in capsys.readouterr().err


def test_unrun_cells_are_reported(tmp_path, capsys):
    from nbformat.v4 import new_code_cell, new_notebook

    from utils.course.notebooks import notebook_text

    path = tmp_path / "05_capstone.ipynb"
    path.write_text(notebook_text(new_notebook(cells=[new_code_cell("1 + 1")])), "utf-8")
    assert export.main([str(path)]) == 0
    assert (tmp_path / "05_capstone.html").is_file()
    assert "1 code cell(s) have not been run" in capsys.readouterr().out
