"""Helpers for the Japanese media text analysis course kit.

Every public name is importable from ``utils`` directly::

    >>> import utils
    >>> corpus = utils.load_corpus()
    >>> sorted(corpus.doc_id)
    ['000', '001', '002', '003', '004']

Names are loaded lazily (PEP 562), so ``import utils`` stays fast and a lesson
pays only for the modules it uses (matplotlib, the tagger, notebook machinery). The
package has three parts: ``utils.analysis`` (the text analysis students use),
``utils.persuasion`` (technique spans, scoring, agreement, detection) and ``utils.course``
(notebooks, release, checks, grading, export); ``utils.validate`` holds the argument and
table checks they share, ``utils.paths`` the kit's folders.
"""
from __future__ import annotations

import importlib
import sys

# nbformat validates with jsonschema, whose optional IRI format checker imports
# rfc3987_syntax, which compiles a grammar for 2-3 s at import (python-jsonschema/jsonschema
# #1428). No notebook schema uses that format, so the kit skips it. This is the one place
# that does it: every module of the package, `python -m utils` and pytest (pyproject
# loads the package early with `-p utils`) come through here before nbformat is imported.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)


def use_python_strings() -> None:
    """Keep pandas' strings in Python objects, as they are without pyarrow.

    pandas 3 stores its ``str`` columns in pyarrow whenever pyarrow is installed, and the
    kit installs it (the token store writes Parquet). pyarrow-backed strings cannot hold
    a lone surrogate, hand regular expressions to another engine and change timings, so
    the same lesson would behave differently on a machine with pyarrow (the suite had 23
    failures and 8 collection errors with it). The kit fixes the storage once, here.
    """
    import pandas as pd

    pd.set_option("mode.string_storage", "python")

__version__ = "0.1.0"

# public name -> submodule that defines it
_EXPORTS: dict[str, str] = {
    # corpus
    "load_corpus": "analysis.corpus",
    "load_texts": "analysis.corpus",
    "CorpusError": "analysis.textfiles",
    "CORPUS_DIR": "analysis.corpus",
    "read_text_file": "analysis.textfiles",
    "corpus_compounds": "analysis.corpus",
    # text
    "normalize": "analysis.text",
    "normalize_with_offsets": "analysis.text",
    "split_sentences": "analysis.sentences",
    "clean": "analysis.text",
    "Cleaned": "analysis.text",
    "chrome_patterns": "analysis.text",
    "LINE_BREAKS": "analysis.text",
    "LINE_BREAK": "analysis.text",
    # tokens
    "tokenize": "analysis.tokens",
    "TOKEN_COLUMNS": "analysis.tokens",
    "dictionary_info": "analysis.dictionary",
    "read_user_dict": "analysis.dictionary",
    "USER_DICT_COLUMNS": "analysis.dictionary",
    "stopwords": "analysis.stoplist",
    "remove_stopwords": "analysis.stoplist",
    "DEFAULT_STOP_POS": "analysis.stoplist",
    # counting
    "frequencies": "analysis.freq",
    "ngrams": "analysis.freq",
    "kwic": "analysis.kwic",
    "kwic_lines": "analysis.kwic",
    "display_width": "analysis.kwic",
    "collocations": "analysis.collocations",
    "association": "analysis.collocations",
    "keyness": "analysis.keyness",
    "log_likelihood": "analysis.keyness",
    "log_ratio": "analysis.keyness",
    "critical_g2": "analysis.keyness",
    "correspondence": "analysis.correspondence",
    "Correspondence": "analysis.correspondence",
    "plot_correspondence": "analysis.correspondence",
    "tfidf": "analysis.similarity",
    "similarity": "analysis.similarity",
    # figures
    "use_japanese_font": "analysis.plot",
    "plot_top_terms": "analysis.plot",
    "plot_zipf": "analysis.plot",
    "plot_wordcloud": "analysis.plot",
    "wordcloud_image": "analysis.plot",
    # comparing sources (lesson 03)
    "text_profile": "analysis.profiles",
    "char_classes": "analysis.profiles",
    "char_class": "analysis.profiles",
    "english_passages": "analysis.profiles",
    "CHAR_CLASSES": "analysis.profiles",
    "PROFILE_COLUMNS": "analysis.profiles",
    "URL_PATTERN": "analysis.profiles",
    "find_quotes": "analysis.quotes",
    "QUOTE_COLUMNS": "analysis.quotes",
    "REPORTING_VERBS": "analysis.quotes",
    "SPEAKER_TITLES": "analysis.quotes",
    "count_variants": "analysis.naming",
    "find_variants": "analysis.naming",
    "VARIANT_COLUMNS": "analysis.naming",
    "cooccurrence_network": "analysis.network",
    "network_layout": "analysis.network_plot",
    "network_communities": "analysis.network",
    "plot_network": "analysis.network_plot",
    "MEASURES": "analysis.network",
    # coding rules (コーディングルール, KH Coder)
    "parse_coding_rules": "analysis.coding",
    "read_coding_rules": "analysis.coding",
    "apply_coding_rules": "analysis.coding",
    "code_counts": "analysis.codetables",
    "code_crosstab": "analysis.codetables",
    "code_chi2": "analysis.codetables",
    "code_expected": "analysis.codetables",
    "plot_code_heatmap": "analysis.codetables",
    "CodingRuleError": "analysis.coding",
    # reports
    "export_html": "course.export",
    "report_html": "course.export",
    # persuasion techniques
    "techniques": "persuasion.techniques",
    "category_of": "persuasion.techniques",
    "color_of": "persuasion.techniques",
    "CATEGORIES": "persuasion.techniques",
    "CATEGORY_COLORS": "persuasion.techniques",
    "TECHNIQUE_LABELS": "persuasion.techniques",
    "TECHNIQUES_CSV": "persuasion.techniques",
    "read_spans": "persuasion.span_files",
    "write_spans": "persuasion.span_files",
    "validate_spans": "persuasion.spans",
    "spans_from_text": "persuasion.spans",
    "trim_span": "persuasion.spans",
    "is_boundary_char": "persuasion.spans",
    "SpanError": "persuasion.spans",
    "SPAN_COLUMNS": "persuasion.spans",
    "score": "persuasion.scoring",
    "score_by": "persuasion.scoring",
    "paragraph_labels": "persuasion.paragraphs",
    "read_paragraph_labels": "persuasion.paragraphs",
    "write_paragraph_labels": "persuasion.paragraphs",
    "paragraph_scores": "persuasion.paragraphs",
    "PARAGRAPH_COLUMNS": "persuasion.paragraphs",
    "agreement": "persuasion.agreement",
    "alpha_u": "persuasion.unitizing",
    "highlight": "persuasion.highlight",
    "Highlight": "persuasion.highlight",
    "detect": "persuasion.detect",
    "detect_held_out": "persuasion.detect",
    "cue_lexicon": "persuasion.detect",
    "CUES_TSV": "persuasion.detect",
    # trained paragraph baseline (issue 15)
    "paragraph_baseline": "persuasion.baseline",
    "paragraph_categories": "persuasion.baseline",
    "category_scores": "persuasion.baseline",
    # token store (corpora beyond memory)
    "tokenize_to_store": "analysis.store",
    "MANIFEST_COLUMNS": "analysis.store",
    "StoreError": "analysis.store",
    "Store": "analysis.store_counts",
}

__all__ = sorted(_EXPORTS)

# Lessons import pandas before utils: fix the storage now. Otherwise (import utils first,
# which stays fast) the first public name used does it, before any kit function runs.
if "pandas" in sys.modules:
    use_python_strings()


def __getattr__(name: str):
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'utils' has no attribute {name!r}") from None
    use_python_strings()
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
