"""Train a paragraph-level technique classifier and score it leave-one-text-out (基準線).

A trained reference point for the cue detector, in the setting of SemEval-2023 Task 3
subtask 3 (Piskorski et al. 2023): each paragraph (one non-blank line, see
:mod:`utils.persuasion.paragraphs`) gets a set of labels. The classifier is scikit-learn's: character
n-grams (``TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3))``, so no tokenizer is
needed) and one logistic regression per label (one-vs-rest), with
``class_weight="balanced"`` because positives are rare (a technique is in a handful of
paragraphs): unweighted, no regression reaches probability 0.5, and on the bundled corpus
the model labels no paragraph at all, the same as predicting nothing. The solver is
liblinear (deterministic) in its dual form, which scikit-learn recommends when features
outnumber samples (thousands of character n-grams, a few hundred paragraphs): the same
optimum, reached 7x faster here (0.8 s instead of 6.5 s for both levels on the bundled
corpus, with identical labels). Training is
leave-one-text-out: the paragraphs of all other texts train the model that labels the
paragraphs of one text, so no text is scored by a model that saw it. A label with no
training paragraph cannot be predicted; one on every training paragraph is predicted
everywhere. ``level="category"`` trains on the six categories instead of the 23
techniques, which gives each label more examples.

Two trivial references use the same folds: ``method="majority"`` gives every paragraph the
label found in most training paragraphs, ``method="none"`` gives none.

Paragraphs whose gold is not in the gold file must be passed as ``exclude``: in the
bundled corpus, line 45 of 001 (GUIDELINES.md §4) is annotated but held back for lesson
04's ex04_02, so ``gold.tsv`` leaves it unannotated; counted as "no technique" it would
teach the model and reward it wrongly. Excluded paragraphs are neither trained on nor
returned, so score against the gold paragraphs without them (as lesson 04 §14 does).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..analysis.corpus import load_corpus
from .paragraphs import PARAGRAPH_COLUMNS, paragraph_labels
from .techniques import CATEGORIES, TECHNIQUE_LABELS, category_of

__all__ = ["paragraph_baseline", "paragraph_categories", "category_scores"]

_LEVELS = ("technique", "category")
_METHODS = ("char-ngram", "majority", "none")


def paragraph_categories(table: pd.DataFrame) -> pd.DataFrame:
    """Replace the techniques of a paragraph table by their categories (sorted, unique).

    >>> table = pd.DataFrame({"doc_id": ["a"], "paragraph": [1],
    ...                       "techniques": [("Doubt", "Name_Calling-Labeling", "Slogans")]})
    >>> paragraph_categories(table)["techniques"].item()
    ('Attack on reputation', 'Call')
    """
    return table.assign(techniques=[tuple(sorted({category_of(t) for t in labels}))
                                    for labels in table["techniques"]])


def category_scores(gold: pd.DataFrame, pred: pd.DataFrame) -> dict:
    """Score category-level paragraph tables by micro- and macro-F1 over the six categories.

    The category counterpart of :func:`utils.paragraph_scores`, computed as the official
    subtask-3 scorer computes its numbers (scikit-learn's ``f1_score`` on binarized
    labels, ``zero_division=1``; Piskorski et al. 2023). Both tables must list the same
    paragraphs.

    >>> gold = pd.DataFrame({"doc_id": ["a", "a"], "paragraph": [1, 2],
    ...                      "techniques": [("Call",), ()]})
    >>> category_scores(gold, gold.assign(techniques=[("Call",), ("Call",)]))["micro_f1"]
    0.6666666666666666
    """
    from sklearn.metrics import f1_score
    from sklearn.preprocessing import MultiLabelBinarizer

    keys = []
    for name, table in (("gold", gold), ("pred", pred)):
        bad = sorted({c for labels in table["techniques"] for c in labels} - set(CATEGORIES))
        if bad:
            raise ValueError(f"{name} holds {bad}, which are not categories; convert a "
                             f"technique table with paragraph_categories() first")
        keys.append({(str(d), int(p)): set(t) for d, p, t in
                     table[PARAGRAPH_COLUMNS].itertuples(index=False)})
    if set(keys[0]) != set(keys[1]):
        raise ValueError("gold and pred list different paragraphs; the scorer needs one "
                         "prediction per gold paragraph")
    order = sorted(keys[0])
    binarizer = MultiLabelBinarizer(classes=list(CATEGORIES))
    y_gold = binarizer.fit_transform([keys[0][k] for k in order])
    y_pred = binarizer.transform([keys[1][k] for k in order])
    return {average + "_f1": float(f1_score(y_gold, y_pred, average=average, zero_division=1))
            for average in ("micro", "macro")} | {"n_paragraphs": len(order)}


def paragraph_baseline(texts, gold: pd.DataFrame, *, level: str = "technique",
                       method: str = "char-ngram", exclude=()) -> pd.DataFrame:
    """Label every paragraph with a classifier trained on the other texts' gold paragraphs.

    ``texts`` is a dict ``{doc_id: text}`` or ``utils.load_corpus()`` (``None``: the
    bundled corpus), ``gold`` a span table for those texts. Each text in turn is
    labelled by a model trained on the gold paragraphs of all the others (see the module
    docstring for the model, ``level`` and ``method``). ``exclude`` lists ``(doc_id,
    paragraph)`` pairs whose gold is missing (001's line 45 in the bundled corpus); they
    are not trained on and not returned. Returns a paragraph table (``doc_id, paragraph,
    techniques``, the last a sorted tuple of techniques or, with ``level="category"``,
    categories) that :func:`utils.paragraph_scores` (techniques) or
    :func:`category_scores` scores against the gold paragraphs. Deterministic.

    >>> texts = {"a": "暴挙だ\\n平和だ", "b": "暴挙の連続\\n平和な日", "c": "また暴挙\\n静かな朝"}
    >>> gold = pd.DataFrame({"doc_id": ["a", "b", "c"], "technique": ["Loaded_Language"] * 3,
    ...                      "start": [0, 0, 2], "end": [2, 2, 4]})
    >>> paragraph_baseline(texts, gold)["techniques"].map(len).tolist()
    [1, 0, 1, 0, 1, 0]
    """
    if level not in _LEVELS:
        raise ValueError(f"level {level!r} is not valid; use 'technique' or 'category'")
    if method not in _METHODS:
        raise ValueError(f"method {method!r} is not valid; use one of {list(_METHODS)}")
    if texts is None:
        texts = load_corpus()
    mapping = (dict(zip(texts["doc_id"], texts["text"])) if isinstance(texts, pd.DataFrame)
               else dict(texts))
    if not isinstance(gold, pd.DataFrame):
        raise TypeError(f"gold must be a span table (DataFrame) like utils.read_spans(...), "
                        f"got {type(gold).__name__}")
    if gold.empty:
        raise ValueError("gold has no spans; the classifier learns from annotated "
                         "paragraphs, so pass the gold span table of the texts")
    if "doc_id" in gold.columns:
        unknown = sorted(set(map(str, gold["doc_id"])) - set(mapping))
        if unknown:
            raise ValueError(f"gold: doc_id {unknown[0]!r} is not in texts "
                             f"{sorted(mapping)}; pass every text the gold annotates")
    table = paragraph_labels(gold, texts=mapping)        # checks columns and offsets
    if len(mapping) < 2:
        raise ValueError(f"leave-one-text-out needs at least two texts, got {len(mapping)}")
    keys = set(zip(table["doc_id"], table["paragraph"]))
    for pair in exclude:
        if tuple(pair) not in keys:
            raise ValueError(f"exclude: {pair!r} is not a paragraph of texts; give "
                             "(doc_id, paragraph number) of a non-blank line, numbered from 1")
    dropped = {tuple(pair) for pair in exclude}
    table = table[[k not in dropped for k in zip(table["doc_id"], table["paragraph"])]]
    if level == "category":
        table = paragraph_categories(table)
    lines = [mapping[d].split("\n")[p - 1] for d, p in zip(table["doc_id"], table["paragraph"])]
    table = table.assign(line=lines).reset_index(drop=True)
    parts = [_fold(table[table["doc_id"] != doc_id], table[table["doc_id"] == doc_id],
                   level=level, method=method) for doc_id in sorted(mapping)]
    return pd.concat(parts, ignore_index=True)[PARAGRAPH_COLUMNS]


def _fold(train: pd.DataFrame, test: pd.DataFrame, *, level: str, method: str) -> pd.DataFrame:
    """Label the paragraphs of `test` by a model trained on `train` (columns line, techniques)."""
    universe = sorted(TECHNIQUE_LABELS if level == "technique" else CATEGORIES)
    counts = {label: sum(label in t for t in train["techniques"]) for label in universe}
    present = [label for label in universe if counts[label]]
    if method == "none" or not present or test.empty:
        return test.assign(techniques=[()] * len(test))
    if method == "majority":
        top = min(present, key=lambda label: (-counts[label], label))   # ties: first name
        return test.assign(techniques=[(top,)] * len(test))
    # a label on every training paragraph is predicted everywhere; the others are learnt
    always = [label for label in present if counts[label] == len(train)]
    labels = [label for label in present if counts[label] < len(train)]
    if not labels:
        return test.assign(techniques=[tuple(always)] * len(test))
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer

    binarizer = MultiLabelBinarizer(classes=labels)
    y = binarizer.fit_transform([[t for t in ts if t in labels]
                                 for ts in train["techniques"]])
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3))
    model = OneVsRestClassifier(LogisticRegression(
        class_weight="balanced", solver="liblinear", dual=True, random_state=0))
    model.fit(vectorizer.fit_transform(train["line"]), y)
    # one label: scikit-learn treats y as binary and returns a 1-d prediction
    found = np.asarray(model.predict(vectorizer.transform(test["line"])))
    found = found.reshape(len(test), len(labels))
    predicted = [tuple(sorted(always + [label for label, on in zip(labels, row) if on]))
                 for row in found]
    return test.assign(techniques=predicted)
