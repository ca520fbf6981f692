"""Make a changed copy of a corpus, so that the grader can tell computed answers from typed ones.

An answer computed by code changes when the texts change; a value typed in by hand (read
off an output, or recovered from a check's hash) does not. The grader therefore runs every
submission a second time on a *variant* of the corpus and credits an exercise only where
the answer is also right there (``utils/course/grader.py``).

A variant keeps everything a lesson relies on except the content:

* the same ``doc_id`` s, file names, metadata columns (``sha256`` updated) and card;
* each text loses a seeded share of its lines (its first line, the title, stays), and
  about half of the lines taken out go into another text, so counts, ranks, lengths and
  which text uses which word all move;
* whole lines move, so sentences, brackets and chrome stay intact, and every annotation
  (``annotations/*.tsv``) follows its line to the new text and offset; a span that ran
  across a line that moved or went is left out.

The same seed gives the same variant on every machine (:class:`random.Random` with a
string seed does not depend on ``PYTHONHASHSEED``).

``python -m utils variant --seed 7 --out variant/`` writes one, to look at.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import os
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..analysis.corpus import CORPUS_DIR, load_corpus
from .outputs import check_output_folder

__all__ = ["VariantCorpus", "make_variant", "write_variant", "main"]

#: span files of ``annotations/`` (PTC format) and the rationales keyed by the same fields
SPAN_FILES = ("gold.tsv", "annotator_a.tsv", "annotator_b.tsv", "annotator_c.tsv")
RATIONALE_FILES = ("gold_rationales.tsv", "annotator_a_rationales.tsv",
                   "annotator_c_rationales.tsv")


@dataclass
class _Line:
    doc_id: str     # where the line comes from
    start: int      # its offset in the original text
    text: str       # without the newline


@dataclass
class VariantCorpus:
    """A variant: new texts, and where each kept line of each original text went."""

    seed: str
    texts: dict[str, str]
    #: (original doc_id, original line start) -> (new doc_id, new line start)
    moves: dict[tuple[str, int], tuple[str, int]] = field(repr=False)
    #: original doc_id -> list of (line start, line end) of the original text
    lines: dict[str, list[tuple[int, int]]] = field(repr=False)

    def map_span(self, doc_id: str, start: int, end: int) -> tuple[str, int, int] | None:
        """Return where ``doc_id[start:end]`` is in the variant, or None if it is gone.

        A span follows its line(s) when every line it touches went to the same text,
        one after the other as before.

        >>> v = make_variant(1, texts={"000": "題\\n停戦だ。\\n和平だ。", "001": "題\\n侵攻だ。"})
        >>> v.texts["000"], v.map_span("000", 2, 4)
        ('題\\n和平だ。', None)
        >>> v.map_span("000", 7, 9), v.texts["000"][2:4]
        (('000', 2, 4), '和平')
        """
        bounds = self.lines.get(doc_id)
        if bounds is None:
            return None
        touched = [s for s, e in bounds if s < end and start <= e]
        target = shift = None
        for s in touched:
            moved = self.moves.get((doc_id, s))
            if moved is None:
                return None
            if target is None:
                target, shift = moved[0], moved[1] - s
            elif moved != (target, s + shift):
                return None
        if target is None:
            return None
        return target, start + shift, end + shift


def _split_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line of ``text``, split at LF only, newline excluded."""
    bounds, start = [], 0
    while True:
        end = text.find("\n", start)
        if end < 0:
            bounds.append((start, len(text)))
            return bounds
        bounds.append((start, end))
        start = end + 1


def _check_options(texts, drop, move) -> None:
    """Refuse texts that are not ``{doc_id: text}`` of str, and non-numeric shares."""
    def share(value) -> bool:
        return isinstance(value, (int, float)) and not isinstance(value, bool)

    if texts is not None:
        if not isinstance(texts, dict):
            raise TypeError(f"texts must be a dict {{doc_id: text}}, not {type(texts).__name__}")
        for doc_id, text in texts.items():
            if not isinstance(doc_id, str) or not isinstance(text, str):
                raise TypeError(f"texts must map doc_id (str) to text (str); found "
                                f"{doc_id!r}: {type(text).__name__}")
    if (not isinstance(drop, (tuple, list)) or len(drop) != 2 or not all(map(share, drop))
            or not share(move)):
        raise TypeError(f"drop must be two numbers (low, high) and move a number; got "
                        f"drop={drop!r}, move={move!r}")


def make_variant(seed, *, texts: dict[str, str] | None = None, drop: tuple[float, float] =
                 (0.25, 0.5), move: float = 0.5) -> VariantCorpus:
    """Return a seeded variant of ``texts`` (default: the bundled corpus).

    Each text loses a share of its non-blank lines, drawn per text between ``drop[0]`` and
    ``drop[1]`` (at least one line if it has two or more); its first line stays. Each line
    taken out goes, with probability ``move``, to a random place in another text; the rest
    are left out. Texts are joined with LF, as the bundled corpus is.

    >>> a = make_variant(7, texts={"000": "題\\nA\\nB\\nC\\nD", "001": "題\\nE\\nF\\nG"})
    >>> b = make_variant(7, texts={"000": "題\\nA\\nB\\nC\\nD", "001": "題\\nE\\nF\\nG"})
    >>> a.texts == b.texts and a.texts != {"000": "題\\nA\\nB\\nC\\nD", "001": "題\\nE\\nF\\nG"}
    True
    >>> all(t.startswith("題") for t in a.texts.values())
    True
    """
    _check_options(texts, drop, move)
    if texts is None:
        corpus = load_corpus()
        texts = dict(zip(corpus["doc_id"], corpus["text"]))
    if not (0 <= drop[0] <= drop[1] <= 1) or not 0 <= move <= 1:
        raise ValueError(f"drop must be two shares 0 <= low <= high <= 1 and move a share "
                         f"between 0 and 1; got drop={drop!r}, move={move!r}")
    rng = random.Random(f"jmedia-kit-variant:{seed}")
    doc_ids = sorted(texts)
    kept: dict[str, list[_Line]] = {}
    lines: dict[str, list[tuple[int, int]]] = {}
    taken: list[_Line] = []
    for doc_id in doc_ids:
        text = texts[doc_id]
        bounds = _split_lines(text)
        lines[doc_id] = bounds
        entries = [_Line(doc_id, s, text[s:e]) for s, e in bounds]
        candidates = [i for i, line in enumerate(entries) if i > 0 and line.text.strip()]
        share = rng.uniform(*drop)
        chosen = {i for i in candidates if rng.random() < share}
        if not chosen and len(candidates) >= 2:
            chosen = {rng.choice(candidates)}
        kept[doc_id] = [line for i, line in enumerate(entries) if i not in chosen]
        taken += [entries[i] for i in sorted(chosen)]
    for line in taken:
        others = [d for d in doc_ids if d != line.doc_id]
        if not others or rng.random() >= move:
            continue
        target = rng.choice(others)
        position = rng.randint(1, len(kept[target])) if len(kept[target]) > 1 else len(kept[target])
        kept[target].insert(position, line)
    new_texts, moves = {}, {}
    for doc_id in doc_ids:
        offset, parts = 0, []
        for line in kept[doc_id]:
            moves[(line.doc_id, line.start)] = (doc_id, offset)
            parts.append(line.text)
            offset += len(line.text) + 1
        new_texts[doc_id] = "\n".join(parts)
    return VariantCorpus(str(seed), new_texts, moves, lines)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _remap_rows(rows: list[list[str]], variant: VariantCorpus,
                text_field: int | None = None) -> list[list[str]]:
    """Move the spans of rows ``doc_id, technique, start, end, …``; drop lost ones."""
    out = []
    for row in rows:
        try:
            start, end = int(row[2]), int(row[3])
        except (ValueError, IndexError):
            continue
        where = variant.map_span(row[0], start, end)
        if where is None:
            continue
        new = [where[0], row[1], str(where[1]), str(where[2]), *row[4:]]
        if text_field is not None and variant.texts[where[0]][where[1]:where[2]] != row[text_field]:
            continue
        out.append(new)
    out.sort(key=lambda r: (r[0], int(r[2]), int(r[3]), r[1]))
    return out


def write_variant(seed, out: str | os.PathLike, *, source: str | os.PathLike = CORPUS_DIR,
                  **options) -> Path:
    """Write a variant of the corpus folder ``source`` to the new folder ``out``.

    ``out`` gets ``texts/``, ``metadata.csv`` (checksums updated), the card and
    ``annotations/`` with every span file remapped, so that :func:`utils.load_corpus`
    and :func:`utils.read_spans` read it as they read the corpus. ``options`` go to
    :func:`make_variant`.
    """
    source = Path(source)
    out = check_output_folder(out, inputs=[source])
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} exists and is not empty; give a new folder for the "
                              "variant")
    corpus = load_corpus(source)
    variant = make_variant(seed, texts=dict(zip(corpus["doc_id"], corpus["text"])), **options)
    (out / "texts").mkdir(parents=True, exist_ok=True)
    for doc_id, text in variant.texts.items():
        (out / "texts" / f"{doc_id}.txt").write_bytes(text.encode("utf-8"))
    with open(source / "metadata.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = reader.fieldnames or [], list(reader)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        if "sha256" in row and row["doc_id"] in variant.texts:
            row["sha256"] = _sha256(variant.texts[row["doc_id"]])
        writer.writerow(row)
    (out / "metadata.csv").write_text(buffer.getvalue(), encoding="utf-8")
    for item in source.iterdir():
        if item.is_file() and item.name != "metadata.csv":
            shutil.copy2(item, out / item.name)
    notes = source / "annotations"
    if notes.is_dir():
        (out / "annotations").mkdir(exist_ok=True)
        for item in sorted(notes.iterdir()):
            if not item.is_file():
                continue
            target = out / "annotations" / item.name
            if item.name in SPAN_FILES or item.name in RATIONALE_FILES:
                _remap_file(item, target, variant, rationale=item.name in RATIONALE_FILES)
            else:
                shutil.copy2(item, target)
    (out / "VARIANT.txt").write_text(
        f"A changed copy of the corpus (seed {variant.seed}), made by `python -m utils variant`"
        " for grading: lines were taken out of the texts and moved between them, and the\n"
        "annotations follow their lines. It is not a corpus to analyse.\n", encoding="utf-8")
    return out


def _remap_file(path: Path, target: Path, variant: VariantCorpus, *, rationale: bool) -> None:
    """Rewrite a tab-separated span file (a header line is kept) with remapped spans."""
    lines = path.read_text(encoding="utf-8").split("\n")
    rows = [line.split("\t") for line in lines if line]
    header = [rows.pop(0)] if rows and rows[0][:1] == ["doc_id"] else []
    rows = _remap_rows(rows, variant, text_field=4 if rationale else None)
    target.write_text("".join("\t".join(r) + "\n" for r in header + rows), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """``python -m utils variant --seed N --out DIR [--corpus DIR]``."""
    parser = argparse.ArgumentParser(
        prog="python -m utils variant",
        description="Write a changed copy of the corpus (lines taken out and moved between "
                    "texts, annotations remapped): what the grader runs every submission on a "
                    "second time, to credit only answers that are computed.")
    parser.add_argument("--seed", required=True, help="any word or number; the same seed "
                        "gives the same variant")
    parser.add_argument("--out", type=Path, required=True, help="a new folder")
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR,
                        help="the corpus folder to change (default: the kit's corpus/)")
    args = parser.parse_args(argv)
    try:
        write_variant(args.seed, args.out, source=args.corpus)
    except (OSError, ValueError) as err:  # FileExistsError, CorpusError, OutputPathError
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"wrote a variant of {args.corpus} (seed {args.seed}) to {args.out}")
    return 0
