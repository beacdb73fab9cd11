"""Bytes to text: UTF-8 first, then a declared charset, then a detected one.

Scraped archives mix encodings; a reader must never crash on one bad file, so
every failure here is an :class:`InputError` with a contract error code.
"""

from __future__ import annotations

import codecs
import re
from typing import Optional

# Magic numbers of formats that are certainly not text.
_BINARY_MAGIC = (
    b"\x1f\x8b",  # gzip (a nested or mislabelled one)
    b"PK\x03\x04",  # zip, docx, xlsx
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
    b"BZh",
    b"\xfd7zXZ",
    b"\x7fELF",
)
_ASCII_BYTES = bytes(range(128))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


class InputError(Exception):
    """An article that cannot be analysed; ``code`` is a contract error code."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def looks_binary(data: bytes) -> bool:
    """True for data no text reader should try to decode."""
    head = data[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if head.startswith(_BINARY_MAGIC):
        return True
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return bool(head) and control / len(head) > 0.05


def declared_charset(data: bytes) -> Optional[str]:
    """The charset an HTML page declares in a ``<meta>`` tag, if Python knows it."""
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "ignore")
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    if codec.endswith("escape"):  # Python's (raw-)unicode-escape: no charset, and it makes lone surrogates
        return None
    # As browsers do (WHATWG Encoding): pages labelled latin-1 or ASCII are cp1252,
    # whose curly quotes and dashes would otherwise decode to C1 controls.
    return "cp1252" if codec in ("iso8859-1", "ascii") else codec


def _mostly_ascii(data: bytes, sample: int = 200_000) -> bool:
    """True when under 10% of the bytes are non-ASCII, as in any Latin-script prose."""
    head = data[:sample]
    high = len(head.translate(None, _ASCII_BYTES))  # what is left once ASCII is deleted
    return high <= len(head) // 10


def decode_bytes(data: bytes, declared: Optional[str] = None) -> str:
    """Decode ``data``: BOM/UTF-8, else the declared charset, else cp1252 for
    mostly-ASCII bytes, else a detected one."""
    if looks_binary(data):
        raise InputError("binary", "the input is binary data, not text")
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    if _mostly_ascii(data):
        # English text in a legacy encoding is almost always cp1252/latin-1;
        # detectors guess wildly (cp1006, cp1250) from a few accented letters.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is not None:
        try:
            return data.decode(best.encoding, errors="replace")
        except LookupError:
            pass
    # cp1252 decodes every byte but five; the article survives with a few
    # replacement characters rather than being lost.
    return data.decode("cp1252", errors="replace")
