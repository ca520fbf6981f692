"""Print the cue detector's and the trained baseline's scores against today's gold.

    python bench/detector_scores.py

Rows: the detector with all cues (in-sample), with held-out cues (utils.detect_held_out),
with a strict provenance rule (every cue that matches one text only counts as written from
it), the char n-gram baseline (utils.paragraph_baseline) and the two trivial references.
Columns: label-aware span F1, paragraph micro/macro-F1 by technique and by category, and
the paragraph micro-F1 of each text (each fold). The paragraph of 001 whose gold is held
back for lesson 04 (GUIDELINES.md §4) is left out everywhere. Re-run after the gold changes.
"""
from __future__ import annotations

import re

import pandas as pd

import utils

HELD_BACK = ("001", "「ロシアは、米国との関係改善を模索しているふりを")


def main() -> None:
    corpus = utils.load_corpus()
    texts = corpus.set_index("doc_id")["text"]
    gold = utils.read_spans(utils.CORPUS_DIR / "annotations" / "gold.tsv")
    doc_id, opening = HELD_BACK
    start = texts[doc_id].index(opening)
    end = texts[doc_id].index("\n", start)
    line = texts[doc_id].count("\n", 0, start) + 1

    def outside(spans):
        inside = (spans["doc_id"] == doc_id) & (spans["start"] < end) & (spans["end"] > start)
        return spans[~inside].reset_index(drop=True)

    para_gold = utils.paragraph_labels(gold)
    keep = ~((para_gold["doc_id"] == doc_id) & (para_gold["paragraph"] == line)).to_numpy()
    para_gold = para_gold[keep].reset_index(drop=True)
    lexicon = utils.cue_lexicon()

    def only_text(cue, kind):
        pattern = re.compile(re.escape(cue) if kind == "literal" else cue, re.MULTILINE)
        found = [d for d, text in texts.items() if pattern.search(text)]
        return found[0] if len(found) == 1 else ""

    strict = lexicon.assign(source=[only_text(c, k) for c, k in zip(lexicon.cue, lexicon.kind)])
    spans = {"detector, all cues": outside(utils.detect(corpus)),
             "detector, held-out cues": outside(utils.detect_held_out(corpus)),
             "detector, held-out (strict)": outside(utils.detect_held_out(corpus,
                                                                          lexicon=strict))}
    paragraphs = {name: utils.paragraph_labels(s)[keep].reset_index(drop=True)
                  for name, s in spans.items()}
    for method in ("char-ngram", "majority", "none"):
        paragraphs[f"baseline {method}"] = utils.paragraph_baseline(
            corpus, gold, method=method, exclude=[(doc_id, line)])
    cat_gold = utils.paragraph_categories(para_gold)
    rows = {}
    for name, pred in paragraphs.items():
        t = utils.paragraph_scores(para_gold, pred)
        if name.startswith("baseline"):
            cat_pred = utils.paragraph_baseline(corpus, gold, method=name.split()[1],
                                                level="category", exclude=[(doc_id, line)])
        else:
            cat_pred = utils.paragraph_categories(pred)
        c = utils.category_scores(cat_gold, cat_pred)
        row = {"span F1": utils.score(gold, spans[name])["f1"] if name in spans else None,
               "tech micro": t["micro_f1"], "tech macro": t["macro_f1"],
               "cat micro": c["micro_f1"], "cat macro": c["macro_f1"]}
        for d in texts.index:
            row[d] = utils.paragraph_scores(para_gold[para_gold.doc_id == d],
                                            pred[pred.doc_id == d])["micro_f1"]
        rows[name] = row
    print(f"sourced cues: {(lexicon.source != '').sum()} of {len(lexicon)}; strict rule: "
          f"{(strict.source != '').sum()}")
    print(pd.DataFrame(rows).T.astype(float).round(3).to_string())


if __name__ == "__main__":
    main()
