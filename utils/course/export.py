"""Turn a finished notebook into a standalone HTML report, for handing in or sharing.

``python -m utils export NOTEBOOK [--out FILE] [--no-code]`` writes one HTML file that
opens in any browser, offline: figures are embedded as ``data:`` URIs, the page says
``lang="ja"`` and ``charset=utf-8`` and asks for a Japanese font that every mainstream
system has (Hiragino on macOS, Yu Gothic or Meiryo on Windows, Noto Sans CJK on Linux,
IPAex Gothic as the kit installs it). nbconvert's lab template loads require.js, MathJax
and mermaid from a CDN; the report needs none of them (the kit's notebooks have no widgets
or diagrams), so those scripts are left out and nothing is fetched from the network.
Formulas written in LaTeX then show as their source.

The notebook is exported as saved: run every cell and save it first. The export never
runs code and never changes the notebook.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

import nbformat

from .notebooks import read_notebook, write_atomic
from .nbfile import as_notebook
from .outputs import OutputPathError, check_output_file

__all__ = ["JAPANESE_FONTS", "report_html", "export_html", "unrun_cells", "main"]

#: CSS font stack for Japanese text, tried in order; the last is the generic family.
JAPANESE_FONTS = ('"Hiragino Sans", "Hiragino Kaku Gothic ProN", "Yu Gothic UI", '
                  '"Yu Gothic", YuGothic, "Meiryo", "Noto Sans CJK JP", "Noto Sans JP", '
                  '"Source Han Sans JP", "IPAexGothic", "IPAGothic", "TakaoGothic", sans-serif, '
                  '"Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji"')
#: what a report's file name may end in
HTML_SUFFIXES = (".html", ".htm")
_MONO_FONTS = ('"SFMono-Regular", Menlo, Consolas, "Liberation Mono", "Noto Sans Mono CJK JP", '
               '"IPAGothic", monospace, "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji"')

_STYLE = f"""<style type="text/css">
/* kit report: Japanese fonts first, the lab theme's colours kept */
:root {{ --jp-ui-font-family: {JAPANESE_FONTS}; --jp-content-font-family: {JAPANESE_FONTS};
        --jp-code-font-family: {_MONO_FONTS}; }}
body, .jp-RenderedHTMLCommon, .jp-RenderedMarkdown {{ font-family: {JAPANESE_FONTS}; }}
pre, code, .jp-RenderedText pre, .highlight pre {{ font-family: {_MONO_FONTS}; }}
body.jp-Notebook {{ max-width: 1100px; margin: 0 auto; }}
.jp-RenderedImage img {{ max-width: 100%; height: auto; }}
</style>
"""

# <script src="https://..."></script> (require.js, MathJax) and the inline scripts that only
# configure or load CDN code (MathJax config, the mermaid module).
_EXTERNAL_SCRIPT = re.compile(r"<script\b[^>]*\bsrc=[\"']https?://[^>]*>\s*</script>\s*",
                              re.IGNORECASE)
_INLINE_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>\s*", re.IGNORECASE | re.DOTALL)
_EXTERNAL_LINK = re.compile(r"<link\b[^>]*\bhref=[\"']https?://[^>]*>\s*", re.IGNORECASE)


def _drop_cdn_code(page: str) -> str:
    page = _EXTERNAL_SCRIPT.sub("", page)
    page = _EXTERNAL_LINK.sub("", page)

    def inline(match: re.Match) -> str:
        code = match.group(1)
        return "" if ("MathJax" in code or re.search(r"https?://", code)) else match.group(0)

    return _INLINE_SCRIPT.sub(inline, page)


def _title(nb: nbformat.NotebookNode, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def report_html(nb: nbformat.NotebookNode, *, title: str = "report",
                code: bool = True) -> str:
    """Return a standalone HTML page of an executed notebook (see the module docstring).

    ``code=False`` leaves out the code cells' input, keeping prose, tables and figures.

    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> page = report_html(new_notebook(cells=[new_markdown_cell("# 停戦の報道")]))
    >>> '<html lang="ja">' in page and "<title>停戦の報道</title>" in page
    True
    >>> "cdnjs" in page
    False
    """
    from nbconvert import HTMLExporter

    nb = as_notebook(nb)
    if not isinstance(title, str):
        raise TypeError(f"title must be a str, not {type(title).__name__}: {title!r}")
    exporter = HTMLExporter(template_name="lab", embed_images=True,
                            exclude_input=not code, exclude_input_prompt=not code,
                            exclude_output_prompt=not code, exclude_anchor_links=True)
    name = _title(nb, title)
    page, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": name}})
    page = _drop_cdn_code(page)
    page = re.sub(r"<html\b[^>]*>", '<html lang="ja">', page, count=1)
    if not re.search(r"<meta charset=[\"']?utf-8", page[:2000], re.IGNORECASE):
        page = page.replace("<head>", '<head>\n<meta charset="utf-8"/>', 1)
    page = page.replace("</head>", _STYLE + "</head>", 1)
    return page


def export_html(notebook: str | os.PathLike, out: str | os.PathLike | None = None, *,
                code: bool = True) -> Path:
    """Write the HTML report of ``notebook`` to ``out`` (default: beside it, ``.html``).

    ``out`` must end in ``.html`` or ``.htm`` and must not be the notebook itself: a
    notebook saved under an ``.html`` name needs an explicit ``out``. Everything is checked
    before anything is written (:class:`utils.course.outputs.OutputPathError`, a ValueError).
    """
    return _export(notebook, out, code=code)[0]


def _export(notebook, out, *, code: bool) -> tuple[Path, nbformat.NotebookNode]:
    path = _as_notebook_path(notebook)
    if out is None:
        if path.suffix.lower() in HTML_SUFFIXES:
            raise OutputPathError(f"{path} already ends in {path.suffix}, so the report "
                                  f"would replace it; give --out, e.g. {path.stem}_report.html")
        out = path.with_suffix(".html")
    target = check_output_file(out, inputs=[path], suffixes=HTML_SUFFIXES)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such notebook" if not path.exists() else
                                f"{path} is a folder, not a notebook; give a .ipynb file")
    nb = read_notebook(path)
    write_atomic(target, report_html(nb, title=path.stem, code=code))
    return target, nb


def _as_notebook_path(notebook) -> Path:
    if isinstance(notebook, bool) or not isinstance(notebook, (str, os.PathLike)):
        raise TypeError(f"notebook must be a path (str or os.PathLike), not "
                        f"{type(notebook).__name__}: {notebook!r}")
    return Path(notebook)


def unrun_cells(nb: nbformat.NotebookNode) -> int:
    """Count the code cells that hold code but were never run (no execution count)."""
    nb = as_notebook(nb)
    return sum(1 for c in nb.cells if c.cell_type == "code" and c.source.strip()
               and c.get("execution_count") is None)


def main(argv: list[str] | None = None) -> int:
    """``python -m utils export NOTEBOOK [--out FILE] [--no-code]``."""
    parser = argparse.ArgumentParser(
        prog="python -m utils export",
        description="Turn a finished notebook into one standalone HTML file (figures "
                    "embedded, Japanese text intact, nothing loaded from the network), to "
                    "hand in or share. Run all cells and save the notebook first.")
    parser.add_argument("notebook", type=Path, help="the notebook, e.g. lessons/05_capstone.ipynb")
    parser.add_argument("--out", type=Path, default=None,
                        help="the HTML file to write (default: the notebook's name with .html)")
    parser.add_argument("--no-code", action="store_true",
                        help="leave out the code, keep the prose, tables and figures")
    args = parser.parse_args(argv)
    try:
        target, nb = _export(args.notebook, args.out, code=not args.no_code)
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"wrote {target}")
    missing = unrun_cells(nb)
    if missing:
        print(f"note: {missing} code cell(s) have not been run, so the report shows no output "
              "for them; run all cells (Kernel → Restart Kernel and Run All Cells…), save, "
              "and export again")
    return 0
