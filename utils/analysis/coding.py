"""Code texts with concept rules (コーディングルール), the way KH Coder does, and cross-tabulate.

A coding rule names a concept and the words or strings that signal it::

    # comments start with #
    *戦争
    戦争 | 侵攻 | 戦闘 | '特別軍事作戦'
    *和平
    停戦 or 和平 or '和平交渉'

Every unit of text (a sentence or a whole document) whose words satisfy a rule gets that
code; the codes are then counted by unit, cross-tabulated by text or by an outside
variable (外部変数, a column of ``corpus/metadata.csv``) and tested with a chi-square test.
This follows KH Coder 3's coding rules (樋口耕一『社会調査のための計量テキスト分析』,
第2版, ナカニシヤ出版, 2020; the rule reader is ``kh_lib/kh_cod.pm`` and
``kh_lib/kh_cod/a_code*.pm`` in github.com/ko-ichi-h/khcoder). The subset read here:

* ``*name`` or ``＊name`` starts a code; the condition is every following line up to the
  next heading (lines are joined with spaces). Naming a code twice is an error, as in
  KH Coder. Empty lines and lines starting with ``#`` are skipped.
* Items are separated by spaces (half- or full-width). A bare item is a **word**: it
  matches a token whose ``lemma`` (UniDic's 語彙素, e.g. 戦う for 戦っ) equals it; write
  ``"and"`` in double quotes for a word that looks like an operator. An item in single
  quotes is a **string**: it matches where the unit's text (its token surfaces joined,
  sentence by sentence) contains it, so ``'特別軍事作戦'`` finds a compound the tokenizer
  splits into three words; ``''`` inside stands for one quote.
* Operators, as in KH Coder: ``or`` / ``|``, ``and`` / ``&``, ``not`` / ``!``,
  ``&!`` (and not), ``|!`` (or not), and ``(`` ``)``, which must stand apart with spaces.
  ``not`` binds tightest, then ``and``, then ``or`` (KH Coder hands the rule to SQL,
  which binds them so). Two items with no operator between them are an error.
* Not read (an error that says so): KH Coder's ``<*code>`` references, ``word->POS``,
  ``a+b`` phrases, ``seq()``, ``near()``, ``<>var-->value`` outside variables and
  heading or length conditions.

Count, cross-tabulate, test and draw the coded units with :mod:`utils.analysis.codetables`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["parse_coding_rules", "read_coding_rules", "apply_coding_rules",
           "CodingRuleError", "UNITS"]

#: Units a text can be coded by, and the columns that key each.
UNITS = {"sentence": ["doc_id", "sent_id"], "doc": ["doc_id"]}

_OPERATORS = {"or": "or", "|": "or", "and": "and", "&": "and", "not": "not", "!": "not",
              "&!": "and not", "|!": "or not", "(": "(", ")": ")"}
_UNSUPPORTED = [
    (re.compile(r"^<.*>$"), "code references (<*code>)"),
    (re.compile(r"^(seq|near)\(", re.I), "seq() and near()"),
    (re.compile(r".+(->|=>).+"), "part-of-speech conditions (word->POS)"),
    (re.compile(r".+\+.+"), "phrases (a+b)"),
]
_VALID = ("valid items are words (matched as lemma), 'strings' in single quotes, "
          "or, |, and, &, not, !, &!, |! and ( ) set apart with spaces")


class CodingRuleError(ValueError):
    """A coding rule that cannot be read; the message names the rule line."""


@dataclass(frozen=True)
class _Rule:
    code: str
    condition: str
    line: int
    tree: tuple


# ------------------------------------------------------------------ reading rules


def _items(condition: str, where: str) -> list[tuple[str, str]]:
    """Split a condition into (kind, value) items: op, word or string."""
    items, i, n = [], 0, len(condition)
    text = condition.replace("\u3000", " ")
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        if text[i] in "'\"":
            quote, j, value = text[i], i + 1, []
            while True:
                if j >= n:
                    raise CodingRuleError(f"{where}: the quote {quote} opened at {text[i:i+12]!r} "
                                          f"is never closed; write {quote}{quote} for a quote "
                                          "inside")
                if text[j] == quote and j + 1 < n and text[j + 1] == quote:
                    value.append(quote)
                    j += 2
                elif text[j] == quote:
                    break
                else:
                    value.append(text[j])
                    j += 1
            if not value:
                raise CodingRuleError(f"{where}: empty {quote}{quote}; {_VALID}")
            items.append(("string" if quote == "'" else "word", "".join(value)))
            i = j + 1
            if i < n and not text[i].isspace():
                raise CodingRuleError(f"{where}: put a space after {text[i - len(value) - 2:i]!r}"
                                      f" (before {text[i:i+5]!r}); {_VALID}")
            continue
        j = i
        while j < n and not text[j].isspace():
            j += 1
        raw = text[i:j]
        i = j
        if raw.lower() in _OPERATORS:  # &! and |! are two operators: and not, or not
            items.extend(("op", op) for op in _OPERATORS[raw.lower()].split())
            continue
        for pattern, what in _UNSUPPORTED:
            if pattern.search(raw):
                raise CodingRuleError(f"{where}: {raw!r} uses KH Coder's {what}, which this "
                                      f"reader does not support; {_VALID}")
        if raw.startswith("(") or raw.endswith(")"):
            raise CodingRuleError(f"{where}: {raw!r} holds a parenthesis; set ( and ) apart "
                                  "with spaces, as KH Coder requires")
        items.append(("word", raw))
    return items


def _parse_condition(lines: list[tuple[int, str]], name: str, heading: int) -> tuple:
    """Parse a code's condition lines ``(line number, text)`` into a tree: ('or', a, b),
    ('and', a, b), ('not', a), ('word', w) or ('string', s). Errors name the line."""
    located = [(item, number) for number, text in lines
               for item in _items(text, f"line {number} (*{name})")]
    if not located:
        raise CodingRuleError(f"line {heading} (*{name}): the code has no condition; write "
                              f"one on the lines under it; {_VALID}")
    items = [item for item, _ in located]
    pos = 0

    def peek():
        return items[pos] if pos < len(items) else (None, None)

    def fail(message):
        shown = " ".join(v if k == "op" else repr(v) for k, v in items[:pos + 1])
        number = located[min(pos, len(located) - 1)][1]
        raise CodingRuleError(f"line {number} (*{name}): {message} (after: {shown}); "
                              f"{_VALID}")

    def chain(op, operand):
        """operand (op operand)*, folded to the left: and binds tighter than or."""
        nonlocal pos
        left = operand()
        while peek() == ("op", op):
            pos += 1
            left = (op, left, operand())
        return left

    def expr():
        return chain("or", lambda: chain("and", factor))

    def factor():
        nonlocal pos
        kind, value = peek()
        if kind is None:
            fail("the condition ends where a word, a 'string', not or ( was expected")
        pos += 1
        if kind == "op" and value == "not":
            return ("not", factor())
        if kind == "op" and value == "(":
            inner = expr()
            if peek() != ("op", ")"):
                fail("a ( is never closed")
            pos += 1
            return inner
        if kind == "op":
            fail(f"{value!r} stands where a word, a 'string', not or ( was expected")
        return (kind, value)

    tree = expr()
    if pos < len(items):
        kind, value = items[pos]
        if kind == "op":
            fail(f"unexpected {value!r}")
        pos += 1
        fail(f"two items with no operator between them; write or (|) or and (&) before "
             f"{value!r}")
    return tree


def _rules(text: str) -> list[_Rule]:
    if not isinstance(text, str):
        raise TypeError(f"coding rules must be the text of a rule file (a str), got "
                        f"{type(text).__name__}; read a file with read_coding_rules(path)")
    headings: list[tuple[str, int, list[tuple[int, str]]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip().lstrip("\ufeff")
        if not stripped or stripped.startswith("#"):
            continue
        if stripped[0] in "*＊":
            name = stripped[1:].strip()
            if not name:
                raise CodingRuleError(f"line {number}: {line!r} is a heading with no name; "
                                      "write *name")
            if any(name == h[0] for h in headings):
                raise CodingRuleError(f"line {number}: the code *{name} is defined twice; "
                                      "give each code one heading")
            headings.append((name, number, []))
        elif not headings:
            raise CodingRuleError(f"line {number}: {line!r} comes before any heading; start "
                                  "each code with a line *name")
        else:
            headings[-1][2].append((number, stripped))
    if not headings:
        raise CodingRuleError("the coding rules hold no code; start each code with a line "
                              "*name followed by its condition")
    out = []
    for name, number, lines in headings:
        condition = " ".join(text for _, text in lines)
        out.append(_Rule(name, condition, number, _parse_condition(lines, name, number)))
    return out


def parse_coding_rules(text: str) -> pd.DataFrame:
    """Read coding rules into a table: one row per code, its condition and heading line.

    >>> parse_coding_rules("*和平\\n停戦 | '和平交渉'")
      code       condition  line
    0   和平  停戦 | '和平交渉'     1
    """
    rules = _rules(text)
    return pd.DataFrame({"code": [r.code for r in rules],
                         "condition": [r.condition for r in rules],
                         "line": [r.line for r in rules]})


def read_coding_rules(path) -> str:
    """Read a rule file (UTF-8, with or without BOM), check it, and return its text.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "rules.txt"
    ...     _ = p.write_text("*和平\\n停戦\\n", encoding="utf-8")
    ...     read_coding_rules(p)
    '*和平\\n停戦\\n'
    """
    text = Path(path).read_text(encoding="utf-8-sig")
    _rules(text)
    return text


# ------------------------------------------------------------------ coding units


def _check_tokens(tokens: pd.DataFrame, unit: str) -> list[str]:
    if unit not in UNITS:
        raise ValueError(f"unit={unit!r} is not a unit; use one of {sorted(UNITS)}")
    if not isinstance(tokens, pd.DataFrame):
        raise TypeError(f"tokens must be a token table (DataFrame), got {type(tokens).__name__}")
    needed = ["doc_id", "sent_id", "token_id", "surface", "lemma"]
    missing = [c for c in needed if c not in tokens.columns]
    if missing:
        raise ValueError(f"the token table lacks the columns {missing}; coding needs "
                         f"{needed} (utils.tokenize makes them)")
    return UNITS[unit]


def _evaluate(tree, lemmas: pd.DataFrame, texts: pd.Series, keys: list[str],
              index: pd.MultiIndex | pd.Index) -> np.ndarray:
    kind = tree[0]
    if kind == "word":
        hits = lemmas.loc[lemmas["lemma"] == tree[1], keys].drop_duplicates()
        return index.isin(pd.MultiIndex.from_frame(hits) if len(keys) > 1
                          else pd.Index(hits[keys[0]]))
    if kind == "string":
        found = texts[texts.str.contains(tree[1], regex=False)]
        have = found.index.droplevel("sent_id") if len(keys) == 1 else found.index
        return index.isin(have)
    if kind == "not":
        return ~_evaluate(tree[1], lemmas, texts, keys, index)
    left = _evaluate(tree[1], lemmas, texts, keys, index)
    right = _evaluate(tree[2], lemmas, texts, keys, index)
    return (left & right) if kind == "and" else (left | right)


def apply_coding_rules(tokens: pd.DataFrame, rules: str, *,
                       unit: str = "sentence") -> pd.DataFrame:
    """Code each sentence (or document) of a token table: one True/False column per code.

    ``rules`` is the text of a rule file (see the module's description). Every unit of the
    token table gets a row, sorted by ``doc_id`` (and ``sent_id``); the code columns
    follow the order of the rules.

    >>> from utils import tokenize
    >>> toks = tokenize({"a": "停戦が成立した。戦闘が続く。", "b": "侵攻。"})
    >>> apply_coding_rules(toks, "*和平\\n停戦\\n*戦争\\n戦闘 | 侵攻")
      doc_id  sent_id     和平     戦争
    0      a        0   True  False
    1      a        1  False   True
    2      b        0  False   True
    """
    keys = _check_tokens(tokens, unit)
    parsed = _rules(rules)
    ordered = tokens.sort_values(["doc_id", "sent_id", "token_id"], kind="mergesort")
    texts = ordered.groupby(["doc_id", "sent_id"], sort=True)["surface"].agg(
        lambda s: "".join(map(str, s)))
    if unit == "doc":
        index = pd.Index(pd.unique(texts.index.get_level_values("doc_id")), name="doc_id")
    else:
        index = texts.index
    out = index.to_frame(index=False)
    for rule in parsed:
        out[rule.code] = _evaluate(rule.tree, ordered[keys + ["lemma"]], texts, keys, index)
    return out
