"""Decode delimited text: detect the encoding and line endings, never mangle £ or é.

Files arrive as UTF-8 (with or without a byte-order mark), UTF-16, or Windows
cp1252 / latin-1. Bare-CR line endings and non-UTF-8 encodings are rewritten to
UTF-8 with LF endings for the reader; everything else is read in place.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from anchornet.errors import BadFileError

# Bytes that cp1252 leaves undefined; a file holding them is read as latin-1.
_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}
# Well-formed UTF-8 sequences for characters beyond ASCII (é is C3 A9, £ is C2 A3).
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")
MIXED = "utf-8 with cp1252 lines"


@dataclass
class DecodedText:
    text: str
    encoding: str
    line_ending: str  # LF, CRLF, CR, mixed, none
    rewrite: bool  # the reader needs a UTF-8/LF copy, not the original bytes


def detect_encoding(data: bytes) -> tuple[str, int]:
    """Return (codec name, number of BOM bytes to skip)."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if data.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le", 2
    if data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be", 2
    sample = data[:4096]
    if len(sample) >= 4:
        odd_zero = sample[1::2].count(0) / max(1, len(sample[1::2]))
        even_zero = sample[0::2].count(0) / max(1, len(sample[0::2]))
        if odd_zero > 0.4 and even_zero < 0.05:
            return "utf-16-le", 0
        if even_zero > 0.4 and odd_zero < 0.05:
            return "utf-16-be", 0
    try:
        data.decode("utf-8")
        return "utf-8", 0
    except UnicodeDecodeError:
        pass
    if _UTF8_MULTIBYTE.search(data):
        return MIXED, 0  # lines from two systems: UTF-8, with some cp1252 bytes
    if any(b in _CP1252_UNDEFINED for b in set(data)):
        return "latin-1", 0
    return "cp1252", 0


def _cp1252_fallback(error: UnicodeDecodeError):
    """Read each byte that is not valid UTF-8 as cp1252 (latin-1 where cp1252 has none)."""
    byte = error.object[error.start:error.start + 1]
    try:
        return byte.decode("cp1252"), error.start + 1
    except UnicodeDecodeError:
        return byte.decode("latin-1"), error.start + 1


codecs.register_error("anchornet-cp1252", _cp1252_fallback)


def line_ending(data: bytes) -> str:
    crlf = data.count(b"\r\n")
    cr = data.count(b"\r") - crlf
    lf = data.count(b"\n") - crlf
    kinds = [name for name, n in (("CRLF", crlf), ("CR", cr), ("LF", lf)) if n]
    if not kinds:
        return "none"
    return kinds[0] if len(kinds) == 1 else "mixed"


def decode(data: bytes, name: str) -> DecodedText:
    """Decode once (a large UTF-8 file is the common case and is not decoded twice)."""
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, skip = detect_encoding(data[:4096])
        if not encoding.startswith("utf-16"):
            raise BadFileError(f"{name}: not a spreadsheet or delimited text file (binary data)")
    text = None
    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        skip = 3 if data.startswith(codecs.BOM_UTF8) else 0
        try:
            text, encoding = data[skip:].decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text = None
    if text is None:
        encoding, skip = detect_encoding(data)
        try:
            if encoding == MIXED:
                text = data[skip:].decode("utf-8", errors="anchornet-cp1252")
            else:
                text = data[skip:].decode(encoding)
        except UnicodeDecodeError as exc:
            raise BadFileError(f"{name}: cannot decode the text as {encoding}: {exc.reason}") from None
    if "\x00" in text:
        raise BadFileError(f"{name}: not a spreadsheet or delimited text file (binary data)")
    if not re.search(r"\S", text):
        raise BadFileError(f"{name}: the file holds no text (only blank lines)")
    ending = line_ending(data if not encoding.startswith("utf-16") else text.encode("utf-8"))
    rewrite = encoding != "utf-8" or ending in ("CR", "mixed")
    if ending in ("CR", "mixed"):
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return DecodedText(text=text, encoding=encoding, line_ending=ending, rewrite=rewrite)
