"""Put every student's answer to one exercise side by side, for fair marking.

``python -m utils answers PATH... --grade-id ID [--out FILE] [--anonymous]`` writes an HTML
page (or Markdown) of the answers to one question; nothing is run and submissions are
only read. With ``--anonymous`` the names become numbers in a scrambled order and a key
file links them back.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .gradebook import csv_text, fmt_points
from .manual_scores import read_manual_scores
from .masters import find_exercise, load_masters, masters_folder
from .nbgrader_rules import nbgrader_meta
from .notebooks import write_atomic
from .outputs import check_input_paths, check_output_file, check_scores_file
from .lesson_format import exercise_id
from .submissions import SubmissionProblem, find_submissions, no_notebooks_message, parse_cells

__all__ = ["collect_answers", "export_answers", "answers_main"]


_ANSWERS_CSS = """
body { font-family: "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Yu Gothic", "Meiryo",
       "Noto Sans CJK JP", "Noto Sans JP", "IPAexGothic", "IPAGothic", sans-serif;
       margin: 2em; line-height: 1.6; color: #222; }
.prompt { background: #f4f6f8; border-left: 4px solid #4a6fa5; padding: 0.5em 1em;
          margin-bottom: 1.5em; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(26em, 1fr));
        gap: 1em; }
.answer { border: 1px solid #ccc; border-radius: 6px; padding: 0.6em 1em; break-inside: avoid; }
.answer h2 { font-size: 1.05em; margin: 0 0 0.4em 0; display: flex;
             justify-content: space-between; }
.status { font-size: 0.85em; color: #a33; }
.score { font-size: 0.9em; color: #555; border-top: 1px dashed #ccc; margin-top: 0.6em;
         padding-top: 0.3em; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 0.2em 0.5em; }
"""


def _markdown_html(text: str) -> str:
    """Render Markdown to HTML with every raw HTML tag escaped (student text is untrusted)."""
    import mistune

    return mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])(text)


def collect_answers(paths: list[str | os.PathLike], grade_id: str, *,
                    solutions: str | os.PathLike | None = None) -> dict:
    """Read every student's answer to one exercise, without running anything.

    Returns ``{"lesson", "grade_id", "points", "prompt", "answers"}`` where ``answers`` is a
    list of ``{"student", "status", "text"}`` sorted by student; ``status`` is
    ``answered``, ``not-attempted`` (the stub), ``missing``, ``not-submitted`` or the
    reason a file could not be read.
    """
    masters = load_masters(solutions if solutions is not None else masters_folder()[0])
    master, ex = find_exercise(masters, grade_id)
    first = min(ex.answers) if ex.answers else min(ex.checks)
    prompt = ""
    if first > 0 and master.nb.cells[first - 1].cell_type == "markdown" \
            and not nbgrader_meta(master.nb.cells[first - 1]):
        prompt = master.nb.cells[first - 1].source
    cells = [(nbgrader_meta(master.nb.cells[i])["grade_id"], master.released.cells[i].source)
             for i in ex.answers]
    answers = []
    subs = find_submissions(paths, masters)
    if not subs:
        raise FileNotFoundError(no_notebooks_message(paths))
    if not any(sub.lesson == master.name for sub in subs):
        raise FileNotFoundError(f"none of the {len(subs)} notebook(s) found is lesson "
                                f"{master.name}, which {grade_id} belongs to; nothing was "
                                "written")
    for sub in subs:
        if sub.lesson != master.name:
            continue
        entry = {"student": sub.student, "status": "answered", "text": ""}
        if sub.data is None:
            entry["status"] = "not-submitted"
        else:
            try:
                theirs = parse_cells(sub.data)
            except SubmissionProblem as problem:
                entry["status"] = problem.status
                entry["text"] = problem.reason
                theirs = None
            if theirs is not None:
                texts, unchanged = [], True
                for cell_id, stub in cells:
                    found = [c for c in theirs if c.grade_id == cell_id]
                    if not found:
                        continue
                    chosen = ([c for c in found if c.source.strip() != stub.strip()]
                              or found)[-1]
                    unchanged &= chosen.source.strip() == stub.strip()
                    texts.append(chosen.source)
                if not texts:
                    entry["status"] = "missing"
                elif unchanged:
                    entry["status"] = "not-attempted"
                entry["text"] = "\n\n".join(texts)
        answers.append(entry)
    answers.sort(key=lambda a: a["student"])
    return {"lesson": master.name, "grade_id": ex.id, "points": ex.max_points,
            "prompt": prompt, "answers": answers}


def export_answers(paths: list[str | os.PathLike], grade_id: str, *,
                   solutions: str | os.PathLike | None = None, manual=None,
                   anonymous: bool = False, fmt: str = "html") -> tuple[str, list[tuple[str, str]]]:
    """Put every student's answer to one exercise side by side, for fair marking.

    Returns the page (``fmt`` ``"html"`` or ``"md"``) and the key ``[(label, student)]``.
    With ``anonymous=True`` names become ``answer 01`` … in an order that does not follow
    the names (a hash of name and exercise), and only the key links them back; scores
    already in ``manual`` (a scores file) are shown under each answer otherwise.
    """
    import hashlib
    import html as _html

    if fmt not in ("html", "md"):
        raise ValueError(f"fmt must be 'html' or 'md', not {fmt!r}")
    data = collect_answers(paths, grade_id, solutions=solutions)
    scores = {}
    if manual is not None:
        scores = {(s.student, s.lesson, exercise_id(s.grade_id)): s
                  for s in (manual if isinstance(manual, list) else read_manual_scores(manual))}
    items = data["answers"]
    if anonymous:
        items = sorted(items, key=lambda a: hashlib.sha256(
            f"{a['student']}/{data['grade_id']}".encode("utf-8")).hexdigest())
    key, cards = [], []
    width = max(2, len(str(len(items))))
    for number, item in enumerate(items, 1):
        label = f"answer {number:0{width}d}" if anonymous else item["student"]
        key.append((label, item["student"]))
        score = None if anonymous else scores.get((item["student"], data["lesson"],
                                                   data["grade_id"]))
        cards.append((label, item, score))
    title = f"{data['lesson']} · {data['grade_id']}: {len(items)} answer(s), " \
            f"{fmt_points(data['points'])} points each"
    if fmt == "md":
        lines = [f"# {title}", "", "## The question", "", data["prompt"] or "(no prompt)", ""]
        for label, item, score in cards:
            lines += [f"## {label}" + ("" if item["status"] == "answered"
                                        else f" ({item['status']})"), "",
                      item["text"].strip() or "_(nothing)_", ""]
            lines += [f"Score: {fmt_points(score.points)} / {fmt_points(data['points'])}"
                      + (f": {score.comment}" if score.comment else "") if score
                      else f"Score: ___ / {fmt_points(data['points'])}", ""]
        return "\n".join(lines), key
    parts = ["<!DOCTYPE html>", '<html lang="ja">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{_html.escape(title)}</title>", f"<style>{_ANSWERS_CSS}</style>",
             "</head>", "<body>", f"<h1>{_html.escape(title)}</h1>",
             f'<div class="prompt">{_markdown_html(data["prompt"] or "(no prompt)")}</div>',
             '<div class="grid">']
    for label, item, score in cards:
        status = ("" if item["status"] == "answered"
                  else f'<span class="status">{_html.escape(item["status"])}</span>')
        body = (_markdown_html(item["text"]) if item["status"] in ("answered", "not-attempted")
                else f"<p>{_html.escape(item['text'])}</p>")
        mark = (f"{fmt_points(score.points)} / {fmt_points(data['points'])}"
                + (f": {_html.escape(score.comment)}" if score.comment else "")
                if score else f"___ / {fmt_points(data['points'])}")
        parts += ['<section class="answer">',
                  f"<h2><span>{_html.escape(label)}</span>{status}</h2>", body,
                  f'<div class="score">score: {mark}</div>', "</section>"]
    parts += ["</div>", "</body>", "</html>", ""]
    return "\n".join(parts), key


def answers_main(argv: list[str] | None = None) -> int:
    """``python -m utils answers PATH... --grade-id ID [--out FILE] [--anonymous]``."""
    parser = argparse.ArgumentParser(
        prog="python -m utils answers",
        description="Put every student's answer to one exercise side by side (an HTML page, "
                    "or Markdown if --out ends in .md), for fair marking of written answers. "
                    "Nothing is run; submissions are only read.")
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="a submissions folder (one sub-folder per student) or notebooks")
    parser.add_argument("--grade-id", required=True, help="the exercise, e.g. ex05_10")
    parser.add_argument("--out", type=Path, default=None,
                        help="output file (default: answers_<grade-id>.html)")
    parser.add_argument("--anonymous", action="store_true",
                        help="hide the names (answer 01, 02 … in a scrambled order); the key "
                             "goes to <out>.key.csv")
    parser.add_argument("--manual", type=Path, default=None, metavar="FILE",
                        help="show the scores already recorded in this file (default: "
                             "grades/manual.csv if it exists)")
    parser.add_argument("--solutions", type=Path, default=None,
                        help="folder of master notebooks (default: the kit's solutions/)")
    args = parser.parse_args(argv)
    out = args.out or Path(f"answers_{args.grade_id}.html")
    manual = args.manual or (Path("grades") / "manual.csv")
    try:  # every argument is checked before anything is read or written
        check_output_file(out, inputs=args.paths, suffixes=(".html", ".htm", ".md"))
        if args.anonymous:
            key_file = check_output_file(out.with_name(out.name + ".key.csv"),
                                         inputs=args.paths)
            if key_file.exists():
                raise ValueError(
                    f"{key_file} exists: it says whose each numbered answer is, and a new "
                    "run numbers the answers anew, so marks written against it would go to "
                    "other students. Move it away once you have marked, or give another "
                    "--out")
        check_input_paths(args.paths)
        if args.manual is not None:
            check_scores_file(args.manual)
        text, key = export_answers(args.paths, args.grade_id, solutions=args.solutions,
                                   manual=manual if manual.is_file() else None,
                                   anonymous=args.anonymous,
                                   fmt="md" if out.suffix.lower() == ".md" else "html")
    except (FileNotFoundError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    write_atomic(out, text)
    print(f"wrote {out} ({len(key)} answer(s))")
    if args.anonymous:
        key_path = out.with_name(out.name + ".key.csv")
        write_atomic(key_path, csv_text(["answer", "student"],
                                         [{"answer": a, "student": s} for a, s in key]))
        print(f"wrote {key_path} (which answer is whose: keep it until you have marked)")
    return 0
