"""Set MeCab up on unidic-lite, with UniDic's fields taken by name, and add user dictionaries.

:func:`tagger` configures MeCab as fugashi does and checks the dictionary's layout.
unidic-lite (UniDic 2.1.2, 2013) lacks names the news has used since: it splits キーウ
into キー + ウ and 習近平 into 習近 + 平. A user dictionary (ユーザー辞書) lists such
words with their part of speech and reading, and MeCab's own segmentation then takes
each as one token. MeCab's dictionary compiler (mecab-dict-index, which fugashi wraps as
``fugashi.build_dictionary``) turns the list into a binary file: it gives each entry the
context ids of its part of speech from unidic-lite's own ``rewrite.def``,
``left-id.def`` and ``right-id.def``, and the word cost is ``WORD_COST`` for every
entry. The binary is kept in a cache folder under a name made from its content, so a
notebook builds it once; a file that does not match its recorded checksum is rebuilt.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import subprocess
import sys
import tempfile
from functools import cache, lru_cache
from pathlib import Path

import pandas as pd

from .corpus import CORPUS_DIR
from .text import normalize

__all__ = ["read_user_dict", "dictionary_info", "USER_DICT_COLUMNS"]

# UniDic fields the token table needs, by the names of fugashi's UnidicFeatures tuples
FIELDS = ("pos1", "pos2", "pos3", "pos4", "lemma", "kana", "goshu")
SEP = "\x1f"  # a line break to utils.text, so never inside the text MeCab is given

#: Columns of a user dictionary; ``pos3`` and ``pos4`` may be empty, ``note`` is free text.
USER_DICT_COLUMNS = ["surface", "lemma", "reading", "pos1", "pos2", "pos3", "pos4", "note"]
_REQUIRED = USER_DICT_COLUMNS[:6]
#: MeCab's word cost for every entry (lower wins more often): about the cost UniDic gives
#: proper nouns such as 東京 (2816) and ロシア (1808), low enough for each entry of
#: corpus/user_dict.csv to win over the pieces unidic-lite cuts it into in every
#: sentence of the corpus (tests/test_user_dict.py checks this).
WORD_COST = 2000
_KATAKANA = re.compile("[ァ-ヺー]+")
_BAD_SURFACE = re.compile(r'[\s,"]')


@cache  # one per process and user dictionary: fugashi never frees a tagger (see below)
def tagger(user_dic: str | None = None):
    """A MeCab tagger on unidic-lite set up as ``fugashi.Tagger`` does (the dictionary's own
    mecabrc: no system file, on any OS), printing per token a line: white space + surface,
    UniDic's record, the node status (1 = unknown), joined by ``SEP``; and the positions of
    the ``FIELDS`` in a record, from the names of fugashi's UniDic tuple of the records'
    length, checked on 日本 (名詞, lemma 日本, a katakana reading).

    Making one takes about 0.2 ms, but fugashi 1.5's GenericTagger has no ``__dealloc__``:
    MeCab's tagger and its mapped dictionary stay in memory after the Python object is
    gone (each tagger made and used on the same text: +12.5 MB RSS, +4 memory maps). So each
    process keeps the one it made, and nothing else: no records, no tables."""
    import fugashi
    import unidic_lite

    d = unidic_lite.DICDIR
    args = f'-r "{os.path.join(d, "mecabrc")}" -d "{d}" -O "" -E "" -B ""'
    args += f' -u "{user_dic}"' if user_dic else ""
    line = SEP.join(["%pS%m", "%H", "%s"])  # %H is cheaper to print than seven %f[N]
    out = fugashi.GenericTagger(args + f' -F "{line}\\n" -U "{line}\\n"')
    record = out.parse("日本").split(SEP)[1]
    at = [_names(record).index(f) for f in FIELDS]
    check = dict(zip(FIELDS, fields(record, at)))
    if (check["pos1"], check["lemma"]) != ("名詞", "日本") or \
            not re.fullmatch("[ァ-ヶー]+", check["kana"]):
        raise RuntimeError(f"the dictionary in {d} gives 日本 the fields {check}: its layout "
                           "is not UniDic's; reinstall unidic-lite")
    return out, at


def _names(record: str) -> tuple[str, ...]:
    """The names of a UniDic record's fields: fugashi's UniDic tuple of that length."""
    import fugashi
    import unidic_lite

    layouts = {len(t._fields): t._fields for t in
               (fugashi.UnidicFeatures17, fugashi.UnidicFeatures26, fugashi.UnidicFeatures29)}
    names = layouts.get(len(record.split(",")), ())
    if not set(FIELDS) <= set(names):
        raise RuntimeError(f"the dictionary in {unidic_lite.DICDIR} writes "
                           f"{len(record.split(','))} fields per word, not a UniDic layout "
                           f"with {', '.join(FIELDS)} (as fugashi knows them: "
                           f"{sorted(layouts)} fields); reinstall unidic-lite")
    return names


def fields(record: str, at: list[int]) -> list[str]:
    """The fields of a UniDic record at positions ``at``; ``*`` and absent ones are empty
    (unknown words carry the POS only)."""
    f = next(csv.reader([record])) if '"' in record else record.split(",")
    return [f[i] if i < len(f) and f[i] != "*" else "" for i in at]


def dictionary_info() -> dict:
    """Describe the MeCab dictionary in use (always unidic-lite, never ``unidic``).

    >>> info = dictionary_info()
    >>> info["package"], info["charset"]
    ('unidic-lite', 'utf8')
    """
    import unidic_lite

    return dict(tagger()[0].dictionary_info[0], package="unidic-lite",
                dicdir=unidic_lite.DICDIR, unidic_version=unidic_lite.VERSION)


def read_user_dict(source=None) -> pd.DataFrame:
    """Read and check a user dictionary: a CSV path or a DataFrame (None: the corpus's).

    Columns ``surface, lemma, reading, pos1, pos2, pos3`` are required, ``pos4`` and
    ``note`` optional; lines starting with ``#`` in a file are comments. ``surface`` is
    normalized as :func:`utils.normalize` does; an empty ``lemma`` is the surface;
    ``reading`` is katakana; the part of speech must be one unidic-lite uses. A bad entry
    is a ValueError naming its line.

    >>> words = read_user_dict()
    >>> words.set_index("surface").loc["キーウ", ["reading", "pos3", "pos4"]].tolist()
    ['キーウ', '地名', '一般']
    """
    if source is None:
        source = CORPUS_DIR / "user_dict.csv"
    if isinstance(source, pd.DataFrame):
        table, where = source.copy(), "row {}"
        lines = list(range(len(table)))
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(f"user dictionary {str(path)!r} is not a file; give a CSV "
                                    f"with columns {', '.join(_REQUIRED)}")
        text = path.read_text(encoding="utf-8-sig")
        numbered = [(i, row) for i, row in enumerate(text.splitlines(), 1)
                    if row.strip() and not row.lstrip().startswith("#")]
        rows = list(csv.reader(io.StringIO("\n".join(r for _, r in numbered))))
        if not rows:
            raise ValueError(f"user dictionary {path.name} has no header line")
        lines = [i for i, _ in numbered[1:]]
        width = [(i, len(r)) for i, r in zip(lines, rows[1:]) if len(r) != len(rows[0])]
        if width:
            raise ValueError(f"{path.name} line {width[0][0]}: {width[0][1]} fields where the "
                             f"header has {len(rows[0])}; quote a field that holds a comma")
        table, where = pd.DataFrame(rows[1:], columns=rows[0], dtype=object), \
            f"{path.name} line {{}}"
    else:
        raise TypeError("user_dict must be a CSV path or a DataFrame with columns "
                        f"{', '.join(_REQUIRED)}, got {type(source).__name__}")
    missing = [c for c in _REQUIRED if c not in table.columns]
    extra = [str(c) for c in table.columns if c not in USER_DICT_COLUMNS]
    if missing or extra:
        raise ValueError(f"a user dictionary has columns {', '.join(_REQUIRED)} (pos4 and note "
                         f"optional); missing {missing}, unknown {extra}")
    table = pd.DataFrame({c: ["" if pd.isna(v) else str(v) for v in table[c]] if c in table
                          else [""] * len(table) for c in USER_DICT_COLUMNS})
    pos_set, seen = _parts_of_speech(), {}
    for line, row in zip(lines, table.itertuples(index=False)):
        at = where.format(line)
        surface = normalize(row.surface.strip())
        if not surface or _BAD_SURFACE.search(surface):
            raise ValueError(f"{at}: surface {row.surface!r} must be a word without white "
                             "space, commas or double quotes")
        if not _KATAKANA.fullmatch(row.reading):
            raise ValueError(f"{at}: reading {row.reading!r} of {surface!r} must be written "
                             "in katakana (キーウ, シュウキンペイ)")
        pos = tuple(p.strip() or "*" for p in (row.pos1, row.pos2, row.pos3, row.pos4))
        if pos not in pos_set:
            near = sorted("-".join(p).replace("-*", "") for p in pos_set
                          if p[:2] == pos[:2] and (pos[2] == "*" or p[2] == pos[2]))[:6]
            hint = "did you mean " + " or ".join(near) if near else "see its left-id.def"
            raise ValueError(f"{at}: {'-'.join(pos).replace('-*', '')} is not a part of speech "
                             f"of unidic-lite; {hint}?")
        if (surface, pos) in seen:
            raise ValueError(f"{at}: {surface!r} as {'-'.join(pos)} is listed already "
                             f"({where.format(seen[surface, pos])}); list it once")
        seen[surface, pos] = line
    table["surface"] = [normalize(s.strip()) for s in table["surface"]]
    table["lemma"] = [lem.strip() or s for lem, s in zip(table["lemma"], table["surface"])]
    return table.reset_index(drop=True)


@lru_cache(maxsize=1)
def _parts_of_speech() -> frozenset:
    """The (pos1, pos2, pos3, pos4) of unidic-lite's context ids (its left-id.def)."""
    import unidic_lite

    with open(os.path.join(unidic_lite.DICDIR, "left-id.def"), encoding="utf-8") as f:
        return frozenset(tuple(line.split(" ", 1)[1].split(",")[:4]) for line in f
                         if " " in line)


def _cache_dir() -> Path:
    """Where built dictionaries are kept: $JMEDIA_KIT_CACHE, else the user's cache folder
    (%LOCALAPPDATA% on Windows, ~/Library/Caches on macOS, $XDG_CACHE_HOME or ~/.cache)."""
    if os.environ.get("JMEDIA_KIT_CACHE"):
        return Path(os.environ["JMEDIA_KIT_CACHE"])
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "jmedia-kit" / "user_dict"


def _mecab_csv(table: pd.DataFrame, names: tuple[str, ...]) -> str:
    """The entries as mecab-dict-index reads them: surface, two empty context ids (the
    compiler finds them from the POS), the cost, then the dictionary's fields by name."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in table.itertuples(index=False):
        f = dict.fromkeys(names, "*")
        f.update(pos1=row.pos1 or "*", pos2=row.pos2 or "*", pos3=row.pos3 or "*",
                 pos4=row.pos4 or "*", lemma=row.lemma, orth=row.surface,
                 orthBase=row.surface, goshu="固" if row.pos2 == "固有名詞" else "*")
        for name in ("lForm", "pron", "pronBase", "kana", "kanaBase", "form", "formBase"):
            f[name] = row.reading
        writer.writerow([row.surface, "", "", WORD_COST, *(f[n] for n in names)])
    return out.getvalue()


def compiled_user_dict(source) -> str:
    """Return the path of the binary user dictionary for ``source``, building it if the
    cache lacks it (or holds a file whose checksum does not match)."""
    import fugashi
    import unidic_lite

    names = _names(tagger()[0].parse("日本").split(SEP)[1])
    entries = _mecab_csv(read_user_dict(source), names)
    stamp = [entries, unidic_lite.VERSION, str(os.path.getsize(os.path.join(
        unidic_lite.DICDIR, "sys.dic"))), getattr(fugashi, "__version__", "")]
    key = hashlib.sha256("\0".join(stamp).encode("utf-8")).hexdigest()[:32]
    folder = _cache_dir()
    dic, check = folder / f"{key}.dic", folder / f"{key}.sha256"
    if dic.is_file() and check.is_file() and \
            check.read_text().strip() == hashlib.sha256(dic.read_bytes()).hexdigest():
        return dic.as_posix()
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        src, out = Path(tmp) / "entries.csv", Path(tmp) / "user.dic"
        src.write_text(entries, encoding="utf-8")
        args = (f'mecab-dict-index -d "{Path(unidic_lite.DICDIR).as_posix()}" '
                f'-u "{out.as_posix()}" -f utf-8 -t utf-8 "{src.as_posix()}"')
        # in a child process: MeCab's compiler prints progress and exits on an error; its
        # argv[0] is the program name, so the first word is only that
        run = subprocess.run([sys.executable, "-c", "import sys, fugashi; "
                              "fugashi.build_dictionary(sys.argv[1])", args],
                             capture_output=True, text=True)
        if run.returncode or not out.is_file():
            raise RuntimeError("MeCab's dictionary compiler failed on the user dictionary: "
                               f"{(run.stderr or run.stdout).strip()[-500:]}")
        os.replace(out, dic)
    check.write_text(hashlib.sha256(dic.read_bytes()).hexdigest())
    return dic.as_posix()
