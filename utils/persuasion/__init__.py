"""Annotate, score and detect persuasion techniques in the corpus.

Span tables and their files, the 23-technique taxonomy, span and paragraph scoring as
the SemEval scorers do, inter-annotator agreement (kappa, alpha_U), the cue detector,
the trained baseline and highlighted text.

Their public names are re-exported by ``utils``; docs/design.md maps the modules.
"""

from .. import use_python_strings

use_python_strings()  # pandas keeps strings as Python objects, with or without pyarrow
