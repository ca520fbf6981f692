"""Print, for every bundled cue, the texts it matches and the gold spans it hits.

    python bench/cue_provenance.py > table.md

The table of ``utils/data/CUES.md`` is this script's output: one row per line of
``utils/data/cues.tsv`` with its ``source``, the corpus texts it matches (doc_id and
number of matches) and the gold spans of ``corpus/annotations/gold.tsv`` its matches
overlap, as ``label×n`` (a label in bold is the cue's own). Re-run it after the gold
changes.
"""
from __future__ import annotations

import re
from collections import Counter

import utils
from utils.analysis.corpus import CORPUS_DIR
from utils.persuasion.spans import trim_span


def main() -> None:
    texts = dict(zip(*utils.load_corpus()[["doc_id", "text"]].T.values))
    gold = utils.read_spans(CORPUS_DIR / "annotations" / "gold.tsv")
    lexicon = utils.cue_lexicon()
    print("| line | technique | cue | source | matches in | gold spans hit |")
    print("|---|---|---|---|---|---|")
    for number, row in enumerate(lexicon.itertuples(index=False), start=2):
        pattern = re.compile(re.escape(row.cue) if row.kind == "literal" else row.cue,
                             re.MULTILINE)
        where, hits = [], Counter()
        for doc_id, text in sorted(texts.items()):
            spans = [trim_span(text, m.start(), m.end()) for m in pattern.finditer(text)]
            if not spans:
                continue
            where.append(f"{doc_id}×{len(spans)}")
            mine = gold[gold.doc_id == doc_id]
            for start, end in spans:
                for label in mine[(mine.start < end) & (mine.end > start)].technique:
                    hits[(doc_id, label)] += 1
        hit_text = ", ".join(
            f"{d} {'**' + t + '**' if t == row.technique else t}×{n}"
            for (d, t), n in sorted(hits.items()))
        cue = row.cue.replace("|", r"\|")
        print(f"| {number} | {row.technique} | `{cue}` | {row.source or '–'} | "
              f"{', '.join(where) or '–'} | {hit_text or '–'} |")


if __name__ == "__main__":
    main()
