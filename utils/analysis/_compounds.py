"""Check the ``compounds`` option of :func:`utils.tokenize` (quanteda's tokens_compound)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from ._normalize import normalize_with_offsets

#: The part of speech given to compounds listed without one.
DEFAULT_COMPOUND_POS = "名詞-固有名詞-一般"


def _pos_parts(expr: str, pos) -> tuple[str, str, str, str]:
    """pos1-pos4 of a compound from 'a-b-c' or a sequence of up to 4 str."""
    what = (f"the part of speech of compound {expr!r} must be a str such as "
            "'名詞-固有名詞-地名-一般' (or up to 4 str)")
    if isinstance(pos, str):
        parts = pos.split("-")
    elif isinstance(pos, (list, tuple)) and all(isinstance(p, str) for p in pos):
        parts = list(pos)
    else:
        raise TypeError(f"{what}, got {pos!r}")
    if not parts or not parts[0].strip():
        raise ValueError(f"{what}; it is empty")
    if len(parts) > 4:
        raise ValueError(f"compound {expr!r} has {len(parts)} parts of speech ({pos!r}); "
                         "give at most 4 (pos1-pos4)")
    return tuple([*parts, "", "", "", ""][:4])


def as_compounds(compounds) -> dict | None:
    """Return ``{normalized expression: (pos1, pos2, pos3, pos4)}``, longest first.

    >>> as_compounds({"ｷｰｳ": "名詞-固有名詞-地名-一般", "米ロ": ["名詞"]})
    {'キーウ': ('名詞', '固有名詞', '地名', '一般'), '米ロ': ('名詞', '', '', '')}
    """
    if compounds is None:
        return None
    if isinstance(compounds, str):
        raise TypeError("compounds must be a list of expressions (or a dict expression -> POS), "
                        f"not a single str; did you mean [{compounds!r}]?")
    if isinstance(compounds, Mapping):
        items = list(compounds.items())
    elif isinstance(compounds, Iterable):
        items = [(c, DEFAULT_COMPOUND_POS) for c in compounds]
    else:
        raise TypeError("compounds must be a list of expressions (or a dict expression -> POS), "
                        f"got {type(compounds).__name__}")
    out: dict[str, tuple] = {}
    given: dict[str, str] = {}
    for expr, pos in items:
        if not isinstance(expr, str) or not expr.strip():
            raise ValueError(f"each compound must be a non-empty str, got {expr!r}")
        key = normalize_with_offsets(expr)[0]
        if key in out:
            also = "" if given[key] == expr else f" (as {given[key]!r} and {expr!r}, the same " \
                                                  "after utils.normalize)"
            raise ValueError(f"compound {key!r} is listed twice{also}; list it once")
        out[key] = _pos_parts(expr, pos)
        given[key] = expr
    # longest first, so that a longer expression wins over one it contains
    return dict(sorted(out.items(), key=lambda kv: (-len(kv[0]), kv[0])))
