"""Helpers for the Japanese media text analysis course kit.

Every public name is importable from ``utils`` directly::

    >>> import utils
    >>> corpus = utils.load_corpus()
    >>> sorted(corpus.doc_id)
    ['000', '001', '002', '003', '004']

Names are loaded lazily (PEP 562), so ``import utils`` stays fast and a lesson
pays only for the modules it uses (matplotlib, the tagger, notebook machinery).
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

__version__ = "0.1.0"

# public name -> submodule that defines it
_EXPORTS: dict[str, str] = {
    # corpus
    "load_corpus": "corpus",
    "load_texts": "corpus",
    "CorpusError": "textfiles",
    "CORPUS_DIR": "corpus",
    "read_text_file": "textfiles",
    "corpus_compounds": "corpus",
    # text
    "normalize": "text",
    "normalize_with_offsets": "text",
    "split_sentences": "sentences",
    "clean": "text",
    "Cleaned": "text",
    "chrome_patterns": "text",
    "LINE_BREAKS": "text",
    "LINE_BREAK": "text",
    # tokens
    "tokenize": "tokens",
    "dictionary_info": "tokens",
    "stopwords": "tokens",
    "remove_stopwords": "tokens",
    "TOKEN_COLUMNS": "tokens",
    "DEFAULT_STOP_POS": "tokens",
    # counting
    "frequencies": "freq",
    "ngrams": "freq",
    "kwic": "kwic",
    "kwic_lines": "kwic",
    "display_width": "kwic",
    "collocations": "collocations",
    "association": "collocations",
    "keyness": "keyness",
    "log_likelihood": "keyness",
    "log_ratio": "keyness",
    "critical_g2": "keyness",
    "correspondence": "correspondence",
    "Correspondence": "correspondence",
    "plot_correspondence": "correspondence",
    "tfidf": "similarity",
    "similarity": "similarity",
    # figures
    "use_japanese_font": "plot",
    "plot_top_terms": "plot",
    "plot_zipf": "plot",
    "plot_wordcloud": "plot",
    "wordcloud_image": "plot",
    # comparing sources (lesson 03)
    "text_profile": "profiles",
    "char_classes": "profiles",
    "char_class": "profiles",
    "english_passages": "profiles",
    "CHAR_CLASSES": "profiles",
    "PROFILE_COLUMNS": "profiles",
    "URL_PATTERN": "profiles",
    "find_quotes": "quotes",
    "QUOTE_COLUMNS": "quotes",
    "REPORTING_VERBS": "quotes",
    "SPEAKER_TITLES": "quotes",
    "count_variants": "naming",
    "find_variants": "naming",
    "VARIANT_COLUMNS": "naming",
    "cooccurrence_network": "network",
    "network_layout": "network_plot",
    "network_communities": "network",
    "plot_network": "network_plot",
    "MEASURES": "network",
    # coding rules (コーディングルール, KH Coder)
    "parse_coding_rules": "coding",
    "read_coding_rules": "coding",
    "apply_coding_rules": "coding",
    "code_counts": "codetables",
    "code_crosstab": "codetables",
    "code_chi2": "codetables",
    "code_expected": "codetables",
    "plot_code_heatmap": "codetables",
    "CodingRuleError": "coding",
    # reports
    "export_html": "export",
    "report_html": "export",
    # persuasion techniques
    "techniques": "techniques",
    "category_of": "techniques",
    "color_of": "techniques",
    "CATEGORIES": "techniques",
    "CATEGORY_COLORS": "techniques",
    "TECHNIQUE_LABELS": "techniques",
    "TECHNIQUES_CSV": "techniques",
    "read_spans": "span_files",
    "write_spans": "span_files",
    "validate_spans": "spans",
    "spans_from_text": "spans",
    "trim_span": "spans",
    "is_boundary_char": "spans",
    "SpanError": "spans",
    "SPAN_COLUMNS": "spans",
    "score": "scoring",
    "score_by": "scoring",
    "paragraph_labels": "paragraphs",
    "read_paragraph_labels": "paragraphs",
    "write_paragraph_labels": "paragraphs",
    "paragraph_scores": "paragraphs",
    "PARAGRAPH_COLUMNS": "paragraphs",
    "agreement": "agreement",
    "alpha_u": "unitizing",
    "highlight": "highlight",
    "Highlight": "highlight",
    "detect": "detect",
    "detect_held_out": "detect",
    "cue_lexicon": "detect",
    "CUES_TSV": "detect",
    # trained paragraph baseline (issue 15)
    "paragraph_baseline": "baseline",
    "paragraph_categories": "baseline",
    "category_scores": "baseline",
}

__all__ = sorted(_EXPORTS)

# A submodule named like one of its functions (utils/kwic.py defines kwic) must be
# imported here, at once: the import system sets `utils.kwic` to the module when the
# module is first loaded, and a lazy look-up would lose the function to it. These
# modules import only pandas and numpy, so this stays cheap.
for _name, _module in _EXPORTS.items():
    if _name == _module:
        globals()[_name] = getattr(importlib.import_module(f"{__name__}.{_module}"), _name)
del _name, _module


def __getattr__(name: str):
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'utils' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
