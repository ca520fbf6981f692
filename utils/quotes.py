"""Find quotations in 「…」 and 『…』 and who they are attributed to (引用と発話者).

Japanese news marks quoted speech with 「…」 (『…』 inside it) and attributes it with a
reporting verb after the quotation (「…」と述べた, と語った, と強調した) and a speaker
before it (〜大統領は, 〜氏は, 〜によると). Web texts are messier: brackets open on one
line and close three lines later, or never; 「…」 also marks terms, titles and scare
quotes (「特別軍事作戦」). :func:`find_quotes` reports every bracketed stretch, says how
it was delimited (``status``), and attributes a speaker only when a cue is found.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .corpus import _documents

__all__ = ["QUOTE_COLUMNS", "REPORTING_VERBS", "SPEAKER_TITLES", "find_quotes"]

#: Columns of :func:`find_quotes`, in order.
QUOTE_COLUMNS = ["doc_id", "start", "end", "line", "bracket", "depth", "status", "text",
                 "speaker", "cue"]

#: Stems of reporting verbs that may follow と after a quotation (と述べた, と強く批判した …).
REPORTING_VERBS = ("述べ", "語", "強調", "話", "指摘", "説明", "批判", "主張", "報じ", "発表",
                   "答え", "警告", "明らかに", "訴え", "言", "示唆", "抗議", "表明", "明言",
                   "断言", "伝え", "投稿", "回答", "反論", "呼びかけ", "否定", "宣言", "分析",
                   "書", "記")
#: Endings that make a noun phrase a speaker when は/が follows (プーチン大統領は, 同通信は).
SPEAKER_TITLES = ("名誉教授", "大統領補佐官", "大統領", "首相", "外相", "国防相", "財務相", "長官",
                  "報道官", "補佐官", "教授", "国家主席", "主席", "議長", "大使", "代表",
                  "当局者", "当局", "政府", "外務省", "国防省", "省", "通信", "新聞", "氏", "さん")

_NAME = r"[\u30a1-\u30ff\u4e00-\u9fff\u3005A-Za-z・]"
_TITLES = "|".join(SPEAKER_TITLES)
_VERBS = "|".join(REPORTING_VERBS)
# と/って + up to 12 characters (強く, 記者団に …) + a reporting verb + its kana ending
_CUE_AFTER = re.compile(rf"\s*(?P<cue>(?:と|って)[^。「」『』\n]{{0,12}}?(?:{_VERBS})[ぁ-ん]*)")
# not reporting: という/といった (naming: 「一方的に」という言葉), との, と言える (the writer's own)
_NOT_CUE = re.compile(r"^(?:と|って)(?:い[うっわ]|の)|言え")
# quotations right after the quotation share its cue: 「…。」「…」と警告した
_ADJACENT = re.compile(r"(?:\s*[「『][^「」『』\n]*[」』])+")
_TITLED = re.compile(rf"(?P<who>{_NAME}{{0,20}}?(?:{_TITLES}))(?P<particle>は|が)")
_BARE = re.compile(r"(?P<who>[\u30a1-\u30ff・]{3,})(?P<particle>は)")
_ACCORDING = re.compile(rf"(?P<who>{_NAME}{{1,20}}?)(?P<cue>によると|によれば|によりますと)")
_TERMINATOR = re.compile(r"[。!?！？]")
_MASK = "〓"


def _check_brackets(brackets) -> dict[str, str]:
    if isinstance(brackets, str):
        brackets = [brackets]
    try:
        pairs = list(brackets)
    except TypeError:
        raise TypeError(f"brackets must be a list of two-character strings such as "
                        f"['「」', '『』'], got {brackets!r}") from None
    if not pairs:
        raise ValueError("brackets is empty; pass pairs such as ['「」', '『』']")
    seen: set[str] = set()
    for pair in pairs:
        if not isinstance(pair, str) or len(pair) != 2 or pair[0] == pair[1]:
            raise ValueError(f"each bracket pair must be two different characters, an "
                             f"opener and a closer such as '「」'; got {pair!r}")
        if seen & set(pair):
            raise ValueError(f"bracket characters must not repeat across pairs; {pair!r} "
                             f"reuses one of {sorted(seen)}")
        seen |= set(pair)
    return {p[0]: p for p in pairs} | {p[1]: p for p in pairs}


def _segments(text: str, across_lines: bool) -> list[tuple[int, int]]:
    """(start, end) of each line, or of each paragraph (lines up to a blank line)."""
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]*", text) if m.start() == 0
             or text[m.start() - 1] == "\n"]
    if not across_lines:
        return lines
    paras, current = [], None
    for a, b in lines:
        if not text[a:b].strip():
            if current:
                paras.append(current)
            current = None
        else:
            current = (current[0], b) if current else (a, b)
    if current:
        paras.append(current)
    return paras


def _scan(text: str, a: int, b: int, table: dict[str, str]) -> list[list]:
    """Bracketed stretches of text[a:b]: [start, end, pair, depth, status]."""
    found: list[list] = []
    stack: list[tuple[str, int]] = []  # (pair, position of the opener)
    for i in range(a, b):
        ch = text[i]
        pair = table.get(ch)
        if pair is None:
            continue
        if ch == pair[0]:
            stack.append((pair, i))
            continue
        where = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == pair), None)
        if where is None:  # a closer that was never opened: from the start of its line
            line_start = text.rfind("\n", 0, i) + 1
            start = max(line_start, a)
            while start < i and text[start].isspace():
                start += 1
            for q in found:
                if q[0] >= start and q[1] <= i:
                    q[3] += 1
            found.append([start, i, pair, len(stack), "unopened"])
            continue
        while len(stack) > where + 1:  # openers left inside end here, unclosed
            inner, pos = stack.pop()
            found.append([pos + 1, i, inner, len(stack), "unclosed"])
        _, pos = stack.pop()
        found.append([pos + 1, i, pair, len(stack), "balanced"])
    end = b
    while end > a and text[end - 1].isspace():
        end -= 1
    while stack:
        pair, pos = stack.pop()
        found.append([pos + 1, max(end, pos + 1), pair, len(stack), "unclosed"])
    return found


def _speaker(before: str, cue: str) -> tuple[str, str]:
    """Pick the speaker nearest the quotation in the text before it."""
    according = list(_ACCORDING.finditer(before))
    topic = [m for m in _TITLED.finditer(before) if m.group("particle") == "は"]
    topic += list(_BARE.finditer(before))
    subject = [m for m in _TITLED.finditer(before) if m.group("particle") == "が"]
    strong = sorted(according + topic, key=lambda m: m.end())
    if cue:
        best = strong[-1] if strong else (subject[-1] if subject else None)
        return (best.group("who") if best else ""), cue
    if according:
        return according[-1].group("who"), according[-1].group("cue")
    return "", ""


def _attribute(text: str, quotes: list[list], line_of) -> list[tuple]:
    rows = []
    for q in quotes:
        start, end, pair, depth, status = q
        # the cue: after the closer (skipping quotations that follow at once)
        cue = ""
        if status != "unclosed":
            after = text[end + 1:end + 1 + 80]
            nl = after.find("\n")
            after = after[:nl] if nl >= 0 else after
            adjacent = _ADJACENT.match(after)
            if adjacent:
                after = after[adjacent.end():]
            m = _CUE_AFTER.match(after)
            cue = m.group("cue") if m and not _NOT_CUE.search(m.group("cue")) else ""
        # the speaker: in the same sentence before the opener, other quotations masked
        before = ""
        if status != "unopened":
            opener = start - 1
            outer = [o for o in quotes if o[3] == depth - 1 and o[0] <= opener and o[1] >= end]
            region = max(o[0] for o in outer) if outer else text.rfind("\n", 0, opener) + 1
            chars = list(text[region:opener])
            for o in quotes:
                if o is not q and o[3] == depth and o[0] >= region and o[1] <= opener:
                    chars[o[0] - region:o[1] - region] = _MASK * (o[1] - o[0])
            before = "".join(chars)
            stops = list(_TERMINATOR.finditer(before))
            if stops:
                before = before[stops[-1].end():]
        speaker, cue = _speaker(before, cue)
        rows.append((start, end, line_of(start), pair, depth, status, text[start:end],
                     speaker, cue))
    return rows


def find_quotes(corpus_or_texts, *, brackets=("「」", "『』"),
                across_lines: bool = False) -> pd.DataFrame:
    """List every quotation in 「…」 or 『…』 with its offsets, status and attributed speaker.

    ``corpus_or_texts`` is a corpus DataFrame (``doc_id``, ``text``), a Series or dict
    ``doc_id -> text``, a list of str or one str. Brackets are matched line by line
    (``across_lines=True``: paragraph by paragraph, up to a blank line), and unbalanced
    brackets never raise; they give a ``status``:

    * ``"balanced"``: opener and closer found;
    * ``"unclosed"``: an opener whose closer never came: the quotation runs to the end
      of the line (or paragraph), trailing white space left out;
    * ``"unopened"``: a closer with no opener: the quotation runs from the start of the
      closer's line (leading white space left out).

    A quotation spanning several lines, as in 「…(line 5) … …」(line 8), shows up per line as
    an unclosed piece and an unopened piece; the lines between are not found.

    Returns one row per quotation, sorted by doc_id, start, then longest first:

    * ``start``, ``end``: raw offsets of the quoted text **inside** the brackets (end
      exclusive), so ``text[start:end]`` is the ``text`` column; ``line`` is the 1-based
      line number of ``start``; ``bracket`` the pair, e.g. ``"「」"``;
    * ``depth``: 0 for an outermost quotation, 1 for one inside it, and so on;
    * ``speaker`` and ``cue``: when a reporting verb follows the closer (``cue`` such as
      ``と述べた`` or ``と強く批判しています``, see :data:`REPORTING_VERBS`; quotations
      that follow one another directly share it), ``speaker`` is the nearest noun phrase
      before the opener in the same sentence ending in a title and は (``プーチン大統領は``,
      ``トランプ氏は``, :data:`SPEAKER_TITLES`), a katakana name and は, a source before
      によると (``ロイター通信によると``), or else a titled phrase and が. Without a
      reporting verb only 〜によると attributes a quotation (``cue`` is then
      ``によると``). Otherwise both are empty strings. This is a heuristic, not a parser:
      read the quotations it attributes.

    >>> q = find_quotes("米大統領は21日、「近く停戦する」と述べた。\\n「平和」の話をした」")
    >>> q[["start", "end", "line", "depth", "status", "text", "speaker", "cue"]]
       start  end  line  depth    status       text speaker   cue
    0     10   16     1      0  balanced     近く停戦する    米大統領  と述べた
    1     23   32     2      0  unopened  「平和」の話をした
    2     24   26     2      1  balanced         平和
    """
    docs = _documents(corpus_or_texts, "find_quotes")
    table = _check_brackets(brackets)
    if not isinstance(across_lines, (bool, np.bool_)):
        raise TypeError(f"across_lines must be True or False, got {across_lines!r}")
    rows = []
    for doc_id, text in docs:
        breaks = np.array([i for i, c in enumerate(text) if c == "\n"], dtype=np.int64)

        def line_of(pos, breaks=breaks):
            return int(np.searchsorted(breaks, pos, side="right")) + 1

        quotes = []
        for a, b in _segments(text, across_lines):
            quotes.extend(_scan(text, a, b, table))
        for row in _attribute(text, quotes, line_of):
            rows.append((doc_id, *row))
    out = pd.DataFrame(rows, columns=QUOTE_COLUMNS)
    out = out.astype({"start": "int64", "end": "int64", "line": "int64", "depth": "int64"})
    out["_len"] = out["end"] - out["start"]
    out = out.sort_values(["doc_id", "start", "_len", "depth"],
                          ascending=[True, True, False, True], kind="mergesort")
    return out.drop(columns="_len").reset_index(drop=True)
