"""Find quotations in 「…」, 『…』 and ｢…｣ and who they are attributed to (引用と発話者).

Japanese news marks quoted speech with 「…」 (『…』 inside it) and attributes it with a
reporting verb after the quotation (「…」と述べた, と語った, と強調した) and a speaker
before it (〜大統領は, 〜氏は, 〜によると). Web texts are messier: brackets open on one
line and close three lines later, or never; 「…」 also marks terms, titles and scare
quotes (「特別軍事作戦」). Some web texts write 「…」 half-width, as ｢…｣ (U+FF62, U+FF63).
:func:`find_quotes` reports every bracketed stretch, says how
it was delimited (``status``), and attributes a speaker only when a cue is found.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right

import numpy as np
import pandas as pd

from ._intervals import Depth as _Depth
from .corpus import documents
from .text import LINE_BREAK, LINE_BREAKS  # the line breaks of split_sentences and clean

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
                  "当局者", "当局", "政府", "外務省", "国防省", "省", "通信", "新聞",
                  "市長", "知事", "社長", "会長", "担当者", "幹部", "関係者", "広報", "氏",
                  "さん")

_NAME = r"[\u30a1-\u30ff\u4e00-\u9fff\u3005A-Za-z・]"
_TITLES = "|".join(SPEAKER_TITLES)
_VERBS = "|".join(REPORTING_VERBS)
# と/って + up to 12 characters (強く, 記者団に …) + a reporting verb + its kana ending
_CUE_AFTER = re.compile(
    rf"\s*(?P<cue>(?:と|って)[^。「」『』｢｣{LINE_BREAKS}]{{0,12}}?(?:{_VERBS})[ぁ-ん]*)")
# not reporting: という/といった (naming: 「一方的に」という言葉), との, と言える (the writer's own)
_NOT_CUE = re.compile(r"^(?:と|って)(?:い[うっわ]|の)|言え")
# quotations right after the quotation share its cue: 「…。」「…」と警告した
_ADJACENT = re.compile(rf"(?:\s*[「『｢][^「」『』｢｣{LINE_BREAKS}]*[」』｣])+")
_TITLED = re.compile(rf"(?P<who>{_NAME}{{0,20}}?(?:{_TITLES}))(?P<particle>は|が)")
_BARE = re.compile(r"(?P<who>[\u30a1-\u30ff・]{3,})(?P<particle>は)")
_ACCORDING = re.compile(rf"(?P<who>{_NAME}{{1,20}}?)(?P<cue>によると|によれば|によりますと)")
_TERMINATOR = re.compile(r"[。!?！？]")
_MASK = "〓"
_NON_SPACE = re.compile(r"\S")   # \s is str.isspace() for str patterns
# a character that can be part of a speaker match (_TITLED, _BARE, _ACCORDING)
_SPEAKER_CHAR = re.compile(rf"{_NAME}|[ぁ-ん]")


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
        odd = [c for c in pair if c.isspace() or unicodedata.category(c) in ("Cc", "Cf", "Cs")]
        if odd:
            raise ValueError(f"bracket pair {pair!r} holds {odd[0]!r}, a space, line break, "
                             f"control or format character; brackets are visible marks "
                             f"such as '「」'")
        if seen & set(pair):
            raise ValueError(f"bracket characters must not repeat across pairs; {pair!r} "
                             f"reuses one of {sorted(seen)}")
        seen |= set(pair)
    return {p[0]: p for p in pairs} | {p[1]: p for p in pairs}


def _segments(text: str, across_lines: bool) -> list[tuple[int, int]]:
    """(start, end) of each line, or of each paragraph (lines up to a blank line).

    A line ends before its line break (see ``LINE_BREAK``); the text after the last break
    is a line too, empty if the text ends with a break.
    """
    lines, a = [], 0
    for m in LINE_BREAK.finditer(text):
        lines.append((a, m.start()))
        a = m.end()
    lines.append((a, len(text)))
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


def _scan(text: str, a: int, b: int, table: dict[str, str], brackets_of: re.Pattern,
          breaks: list[int], bumps: dict[int, list[int]]) -> list[list]:
    """Bracketed stretches of text[a:b]: [start, end, pair, depth, status].

    A closer that was never opened makes an ``unopened`` quotation from the start of its
    line and deepens every quotation found before it inside that stretch; that bump is
    recorded in ``bumps`` (stretch start -> closer positions) and applied by
    :func:`_apply_bumps` at the end, so each closer costs O(1), not one step per quotation.
    """
    found: list[list] = []
    stack: list[tuple[str, int]] = []  # (pair, position of the opener)
    open_at: dict[str, list[int]] = {pair: [] for pair in set(table.values())}
    first_word: dict[int, int] = {}   # line start -> first non-space position of the line
    for match in brackets_of.finditer(text, a, b):
        i = match.start()
        ch = text[i]
        pair = table[ch]
        if ch == pair[0]:
            open_at[pair].append(len(stack))
            stack.append((pair, i))
            continue
        if not open_at[pair]:  # a closer that was never opened: from the start of its line
            k = bisect_left(breaks, i)    # breaks[k - 1] ends the last line break before i
            line_start = max(breaks[k - 1] + 1 if k else 0, a)
            if line_start not in first_word:
                word = _NON_SPACE.search(text, line_start, b)
                first_word[line_start] = word.start() if word else b
            start = min(first_word[line_start], i)
            bumps.setdefault(start, []).append(i)
            found.append([start, i, pair, len(stack), "unopened"])
            continue
        where = open_at[pair].pop()
        while len(stack) > where + 1:  # openers left inside end here, unclosed
            inner, pos = stack.pop()
            open_at[inner].pop()
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


def _apply_bumps(quotes: list[list], bumps: dict[int, list[int]]) -> None:
    """Deepen each quotation once per unopened closer whose stretch holds it.

    An unopened closer at ``i`` with stretch start ``s`` holds every quotation q found
    before it with ``q.start >= s`` and ``q.end <= i``; those found before it are exactly
    those ending before ``i``. Stretches start at the first word of a line, so only the
    stretch with the largest start ``<= q.start`` can reach past ``q.end``.
    """
    if not bumps:
        return
    starts = sorted(bumps)
    for q in quotes:
        k = bisect_right(starts, q[0]) - 1
        if k >= 0:
            closers = bumps[starts[k]]
            q[3] += len(closers) - bisect_right(closers, q[1])


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


class _Before:
    """The text of a line (or of an outer quotation) before its quotations, masked.

    One per (region, depth): the quotations of that depth in the region are masked
    with 〓 and the speaker patterns run once; a quotation whose opener is at offset k
    then reads its speaker from the matches ending by k, after the last sentence end
    before k. That equals running :func:`_speaker` on its own masked text as long as
    no quotation of its depth crosses its opener and the opener cannot be part of a
    speaker match (both checked by the caller).
    """

    def __init__(self, text: str, region: int, stop: int, masked: list[list]):
        chars = list(text[region:stop])
        for q in masked:
            left, right = q[0] - region, min(q[1], stop) - region
            if right > left:
                chars[left:right] = _MASK * (right - left)
        before = "".join(chars)
        self.region = region
        self.stops = [m.end() for m in _TERMINATOR.finditer(before)]
        strong = [(m.end(), 0, m) for m in _ACCORDING.finditer(before)]
        titled = list(_TITLED.finditer(before))
        strong += [(m.end(), 1, m) for m in titled if m.group("particle") == "は"]
        strong += [(m.end(), 2, m) for m in _BARE.finditer(before)]
        strong.sort(key=lambda item: item[:2])   # sorted(..., key=end) of _speaker, stable
        self.strong = ([(end, rank) for end, rank, _ in strong], [m for *_, m in strong])
        according = [m for _, rank, m in strong if rank == 0]
        subject = [m for m in titled if m.group("particle") == "が"]
        self.according = ([(m.end(), 0) for m in according], according)
        self.subject = ([(m.end(), 0) for m in subject], subject)

    @staticmethod
    def _last(found, k: int, sentence: int):
        keys, matches = found
        j = bisect_right(keys, (k, 3)) - 1
        return matches[j] if j >= 0 and matches[j].start() >= sentence else None

    def speaker(self, opener: int, cue: str) -> tuple[str, str]:
        k = opener - self.region
        j = bisect_right(self.stops, k) - 1
        sentence = self.stops[j] if j >= 0 else 0
        if cue:
            best = self._last(self.strong, k, sentence) or self._last(self.subject, k,
                                                                       sentence)
            return (best.group("who") if best else ""), cue
        according = self._last(self.according, k, sentence)
        if according:
            return according.group("who"), according.group("cue")
        return "", ""


def _cue_after(text: str, end: int) -> str:
    """The reporting verb after a closer at ``end`` (quotations right after it skipped)."""
    after = text[end + 1:end + 1 + 80]
    nl = LINE_BREAK.search(after)
    after = after[:nl.start()] if nl else after
    adjacent = _ADJACENT.match(after)
    if adjacent:
        after = after[adjacent.end():]
    m = _CUE_AFTER.match(after)
    return m.group("cue") if m and not _NOT_CUE.search(m.group("cue")) else ""


def _attribute(text: str, quotes: list[list], line_of, breaks: list[int]) -> list[tuple]:
    by_depth: dict[int, list[list]] = {}
    for q in quotes:
        by_depth.setdefault(q[3], []).append(q)
    depths = {depth: _Depth(group) for depth, group in by_depth.items()}
    empty = _Depth([])
    # the region of each quotation: its nearest outer quotation, or its line
    regions: list[int | None] = []
    for start, end, _, depth, status in quotes:
        if status == "unopened":
            regions.append(None)
            continue
        opener = start - 1
        outer = depths.get(depth - 1, empty).last_holding(opener, end)
        if outer is None:
            k = bisect_left(breaks, opener)
            outer = breaks[k - 1] + 1 if k else 0
        regions.append(outer)
    fast: dict[tuple[int, int], int] = {}     # (region, depth) -> the last opener in it
    for q, region in zip(quotes, regions):
        opener = q[0] - 1
        if region is not None and not _SPEAKER_CHAR.match(text, opener) \
                and not depths[q[3]].crosses(region, opener):
            key = (region, q[3])
            fast[key] = max(fast.get(key, opener), opener)
    befores: dict[tuple[int, int], _Before] = {}
    rows = []
    for q, region in zip(quotes, regions):
        start, end, pair, depth, status = q
        cue = _cue_after(text, end) if status != "unclosed" else ""
        opener = start - 1
        if region is None:
            speaker, cue = _speaker("", cue)
        elif (region, depth) in fast and not _SPEAKER_CHAR.match(text, opener) \
                and not depths[depth].crosses(region, opener):
            key = (region, depth)
            if key not in befores:
                befores[key] = _Before(text, region, fast[key],
                                       depths[depth].inside(region, fast[key]))
            speaker, cue = befores[key].speaker(opener, cue)
        else:   # the quotation-by-quotation way, for crossing brackets
            chars = list(text[region:opener])
            for o in depths[depth].inside(region, opener):
                if o is not q and o[1] <= opener:
                    chars[o[0] - region:o[1] - region] = _MASK * (o[1] - o[0])
            before = "".join(chars)
            stops = list(_TERMINATOR.finditer(before))
            if stops:
                before = before[stops[-1].end():]
            speaker, cue = _speaker(before, cue)
        rows.append((start, end, line_of(start), pair, depth, status, text[start:end],
                     speaker, cue))
    return rows


def find_quotes(corpus_or_texts, *, brackets=("「」", "『』", "｢｣"),
                across_lines: bool = False) -> pd.DataFrame:
    """List every quotation in 「…」, 『…』 or ｢…｣ with its offsets, status and speaker.

    ``corpus_or_texts`` is a corpus DataFrame (``doc_id``, ``text``), a Series or dict
    ``doc_id -> text``, a list of str or one str. ``brackets`` lists the pairs, opener
    then closer; the default also finds ｢…｣, the half-width spelling of 「…」 (its rows
    say ``bracket="｢｣"``). Each pair is matched on its own, so ｢ is not closed by 」.
    Brackets are matched line by line
    (``across_lines=True``: paragraph by paragraph, up to a blank line), and unbalanced
    brackets never raise; they give a ``status``. Lines end at the line breaks of
    :func:`split_sentences` and :func:`clean` (``\\n``, ``\\r\\n``, ``\\r``, ``\\x1c``-``\\x1e``,
    ``\\x85``, ``\\u2028``, ``\\u2029``):

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
    docs = documents(corpus_or_texts, "find_quotes")
    table = _check_brackets(brackets)
    if not isinstance(across_lines, (bool, np.bool_)):
        raise TypeError(f"across_lines must be True or False, got {across_lines!r}")
    brackets_of = re.compile("[" + re.escape("".join(table)) + "]")
    rows = []
    for doc_id, text in docs:
        # the last character of each line break (the \n of \r\n): a line starts after it
        breaks = [m.end() - 1 for m in LINE_BREAK.finditer(text)]

        def line_of(pos, breaks=breaks):
            return bisect_right(breaks, pos) + 1

        quotes, bumps = [], {}
        for a, b in _segments(text, across_lines):
            quotes.extend(_scan(text, a, b, table, brackets_of, breaks, bumps))
        _apply_bumps(quotes, bumps)
        for row in _attribute(text, quotes, line_of, breaks):
            rows.append((doc_id, *row))
    out = pd.DataFrame(rows, columns=QUOTE_COLUMNS)
    out = out.astype({"start": "int64", "end": "int64", "line": "int64", "depth": "int64"})
    out["_len"] = out["end"] - out["start"]
    out = out.sort_values(["doc_id", "start", "_len", "depth"],
                          ascending=[True, True, False, True], kind="mergesort")
    return out.drop(columns="_len").reset_index(drop=True)
