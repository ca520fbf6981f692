"""The normalize_with_offsets of before issue 13 (line by line, unit by unit), kept as the
reference that tests/analysis/test_text.py compares the linear implementation with."""
from __future__ import annotations

import re
import unicodedata

import numpy as np

from utils.analysis._normalize import _finish  # the same one-to-one finishing step

_PRE = (("\uff5e", "\u301c"), ("\u2053", "\u301c"), ("\u2026", "\ue026"), ("\u2025", "\ue025"))
_POST = (("\ue026", "\u2026"), ("\ue025", "\u2025"))
# Characters NFKC never changes and that make up most Japanese prose: ASCII, hiragana,
# katakana, CJK ideographs, the usual punctuation and brackets. A line made only of them
# skips NFKC (tests/analysis/test_text.py checks every one of them against unicodedata).
_NFKC_STABLE = ("\n\r\x20-\x7e\u3001-\u3003\u3005-\u3007\u3008-\u3011\u3014-\u301c"
               "\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fb-\u30fe\u4e00-\u9fff")
_UNSTABLE = re.compile(f"[^{_NFKC_STABLE}]")
# Characters that can merge with the one before them under NFKC (voicing marks,
# combining marks): text containing them takes the slow, unit-by-unit path.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u20d0-\u20ff\u3099\u309a\uff9e\uff9f"
                        "\ufe20-\ufe2f\u1160-\u11ff]")
_UNIT = re.compile(".[\u0300-\u036f\u1ab0-\u1aff\u20d0-\u20ff\u3099\u309a\uff9e\uff9f"
                   "\ufe20-\ufe2f\u1160-\u11ff]*", re.S)


def old_normalize_with_offsets(text: str) -> tuple[str, np.ndarray | None, np.ndarray | None]:
    """The old utils.analysis.text.normalize_with_offsets, as it was (see the module docstring)."""
    if not isinstance(text, str):
        raise TypeError(f"normalize expects a str, got {type(text).__name__}: {text!r:.60}")
    pre = text
    for a, b in _PRE:
        pre = pre.replace(a, b)
    if not _UNSTABLE.search(pre):
        return _finish(pre), None, None
    # Fast path: NFKC line by line, only where a line has a character it may change.
    out = []
    for line in pre.splitlines(keepends=True):
        if not _UNSTABLE.search(line):
            out.append(line)
            continue
        n = unicodedata.normalize("NFKC", line)
        if len(n) != len(line) or _COMBINING.search(line):
            break
        out.append(n)
    else:
        return _finish("".join(out)), None, None
    # Slow path, line by line: only lines whose length changes are mapped unit by unit.
    parts, starts, ends = [], [], []
    pos = 0
    for line in pre.splitlines(keepends=True):
        n = unicodedata.normalize("NFKC", line)
        if len(n) == len(line) and not _COMBINING.search(line):
            parts.append(n)
            idx = np.arange(pos, pos + len(line))
            starts.append(idx)
            ends.append(idx + 1)
        else:
            for m in _UNIT.finditer(line):
                u = unicodedata.normalize("NFKC", m.group())
                parts.append(u)
                starts.append(np.full(len(u), pos + m.start()))
                ends.append(np.full(len(u), pos + m.end()))
        pos += len(line)
    out = "".join(parts)
    if not parts:
        return _finish(out), None, None
    return _finish(out), np.concatenate(starts), np.concatenate(ends)
