"""Read a text file the way the kit does: UTF-8 by default, other encodings named and checked.

:func:`read_text_file` keeps the text exactly as stored (only a UTF-8 byte-order mark is
dropped) and refuses, with a message that says what to do, a file that is binary, in
UTF-16/32, or in a legacy Japanese encoding (Shift_JIS, EUC-JP, ISO-2022-JP) unless that
encoding is named.
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

__all__ = ["CorpusError", "read_text_file"]

_LEGACY_ENCODINGS = [("shift_jis", "Shift_JIS"), ("cp932", "Shift_JIS (Windows cp932)"),
                     ("euc_jp", "EUC-JP"), ("iso2022_jp", "ISO-2022-JP")]
# byte-order marks of encodings that UTF-8 decoding would misread (UTF-32 first: its
# little-endian mark starts with UTF-16's)
_BOMS = [(b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
         (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16")]
# ISO-2022-JP (mail and old web text) switches to JIS X 0208 kanji with ESC $ B / ESC $ @
# and back with ESC ( B / ESC ( J: no UTF-8 text holds these (RFC 1468)
_ISO2022_ESCAPE = re.compile(r"\x1b\$[@B]")

class CorpusError(ValueError):
    """Raised when a corpus file or folder cannot be loaded as it should."""


def as_path(value, func: str, what: str) -> Path:
    """Check a path argument of ``func``: a str or PathLike, not empty; return a Path."""
    if isinstance(value, (bytes, bytearray)) or not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{func} expects {what} as a str or pathlib.Path, got "
                        f"{type(value).__name__}: {value!r:.60}")
    if isinstance(value, str) and not value.strip():
        raise ValueError(f"{func} got an empty path; pass {what}")
    return Path(value)


def sha256_hex(data: bytes) -> str:
    """Return the SHA-256 of ``data`` as hex (the checksums of metadata.csv)."""
    return hashlib.sha256(data).hexdigest()


def looks_binary(data: bytes) -> bool:
    if b"\x00" in data[:65536]:
        return True
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(8, len(sample) // 100)


def newline_kind(text: str) -> str:
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    kinds = [name for name, n in (("CRLF", crlf), ("CR", cr), ("LF", lf)) if n]
    if not kinds:
        return "none"
    return kinds[0] if len(kinds) == 1 else "mixed"


_KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u30fc]")


def _likely_legacy_encoding(data: bytes):
    """The legacy Japanese encoding that reads ``data`` as the most kana, or None.

    EUC-JP bytes often decode as cp932 too, into garbage: among the codecs that decode the
    bytes, the one giving the most hiragana and katakana is the text's (the first in
    _LEGACY_ENCODINGS wins a tie, so Shift_JIS text is still named Shift_JIS).
    """
    best, best_kana = None, -1
    for codec, name in _LEGACY_ENCODINGS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        kana = len(_KANA.findall(text))
        if kana > best_kana:
            best, best_kana = (codec, name), kana
    return best


def read_text_file(path: str | os.PathLike, *, encoding: str | None = None) -> str:
    """Read one text file strictly, with an error that says what to do when it fails.

    UTF-8 is assumed unless ``encoding`` is given; a UTF-8 byte-order mark is dropped and
    line endings are kept as stored (CRLF stays CRLF), so offsets stay consistent.

    >>> from utils.analysis.corpus import CORPUS_DIR
    >>> p = CORPUS_DIR / "texts" / "004.txt"
    >>> read_text_file(p)[:7]
    'ウクライナ戦争'
    """
    path = as_path(path, "read_text_file", "the path of a .txt file")
    if encoding is not None and not isinstance(encoding, str):
        raise TypeError(f"encoding must be a codec name such as 'shift_jis' or None (UTF-8), "
                        f"got {encoding!r}")
    if path.is_dir():
        raise CorpusError(f"{path.name}: is a folder, not a file; use load_texts({str(path)!r}) "
                          "for a folder of .txt files")
    if not path.is_file():
        raise CorpusError(f"{path.name}: file not found at {path}")
    data = path.read_bytes()
    if not data.strip():
        raise CorpusError(f"{path.name}: the file is empty; add text to it or remove it")
    if encoding is None:
        bom = next((name for mark, name in _BOMS if data.startswith(mark)), None)
        if bom:
            raise CorpusError(f"{path.name}: the file is {bom} (it starts with a {bom} "
                              f"byte-order mark); read it with encoding={bom.lower()!r}, or "
                              "re-save it as UTF-8")
        if looks_binary(data):
            raise CorpusError(f"{path.name}: this looks like a binary file, not text (it "
                              "contains NUL or control bytes); only plain .txt files can be "
                              "loaded (for UTF-16 text without a byte-order mark, pass "
                              "encoding='utf-16-le' or 'utf-16-be')")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            guess = ""
            best = _likely_legacy_encoding(data)
            if best is not None:
                codec, name = best
                guess = f" It decodes as {name}: try encoding={codec!r}."
            raise CorpusError(
                f"{path.name}: not valid UTF-8 (byte {err.start}: {data[err.start:err.start + 2]!r})."
                f"{guess} Or re-save the file as UTF-8.") from None
        if _ISO2022_ESCAPE.search(text):  # 7-bit, so it decodes as UTF-8: to garbage
            raise CorpusError(f"{path.name}: this is ISO-2022-JP (JIS) text, not UTF-8 (it "
                              "holds the escape sequences that switch to kanji); try "
                              "encoding='iso2022_jp', or re-save the file as UTF-8")
    else:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise CorpusError(f"{path.name}: unknown encoding {encoding!r}; use a Python codec "
                              "name such as 'utf-8', 'shift_jis', 'cp932' or 'euc_jp'") from None
        except UnicodeDecodeError as err:
            raise CorpusError(f"{path.name}: cannot be decoded as {encoding!r} (byte {err.start}); "
                              "check which encoding the file was saved in") from None
        text = text.removeprefix("\ufeff")
        # the binary check runs on the decoded text here: UTF-16 is full of NUL bytes
        if looks_binary(text.encode("utf-8", "surrogatepass")):
            raise CorpusError(f"{path.name}: this looks like a binary file, not text (decoded "
                              f"as {encoding!r} it contains NUL or control characters); only "
                              "plain .txt files can be loaded")
    if not text.strip():
        raise CorpusError(f"{path.name}: the file holds only white space; add text to it or remove it")
    return text
