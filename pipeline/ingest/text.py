"""Plain text and Markdown handouts: bytes -> decoded, normalised text.

Handouts come from Word exports, old Windows machines and Markdown converters, so the encoding is
detected (UTF-8 with or without BOM, UTF-16 with BOM, else CP1252/Latin-1) and recorded; a UTF-8
file with lines pasted from a CP1252 file is decoded line by line, and the repair recorded. Line endings
are unified to ``\\n`` and accents to NFC (macOS file systems hand out NFD), so that spans count
characters the way every consumer will count them.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from pathlib import Path

from pipeline.document import Document
from pipeline.errors import EmptyDocumentError, UndecodableError
from pipeline.files import read_regular
from pipeline.models import Issue, Source

# Bytes 0x81, 0x8D, 0x8F, 0x90, 0x9D are unassigned in CP1252: a file holding them is Latin-1.
_CP1252_HOLES = frozenset(b"\x81\x8d\x8f\x90\x9d")
# Control characters that do not occur in real text; a file full of them is binary.
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


def decode(data: bytes, *, path: str | None = None) -> tuple[str, str, list[Issue]]:
    """Decode ``data`` and return ``(text, encoding, issues)``. Raises ``UndecodableError``.

    Damage is never silent: bytes replaced by U+FFFD, and lines read in another encoding than the
    rest of the file, are each recorded as an issue (how many, on which lines)."""
    issues: list[Issue] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = data.decode("utf-16", errors="replace"), "utf-16"
    else:
        bom = data.startswith(codecs.BOM_UTF8)
        body = data[3:] if bom else data
        if b"\x00" in body:
            raise UndecodableError("looks like a binary file (it contains NUL bytes), not a text handout.",
                                   path=path, hint="Export the handout as .txt (UTF-8) or .md and retry.")
        try:
            text, encoding = body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            if bom or _UTF8_SEQUENCE.search(body):
                text, encoding = _decode_by_line(body, issues), "utf-8"
            else:
                text, encoding = _legacy(body)
        if bom:
            encoding = "utf-8-sig"
    bad = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS)
    if text and bad / len(text) > 0.05:
        raise UndecodableError(f"{bad} control characters in {len(text)}: this is not a text handout.",
                               path=path, hint="Export the handout as .txt (UTF-8) or .md and retry.")
    replaced = text.count("\ufffd")
    if replaced and encoding == "utf-16":
        issues.append(Issue(code="encoding_errors", severity="warning",
                            message=f"{replaced} byte(s) could not be decoded as {encoding} and were "
                                    "replaced by U+FFFD; re-save the file as UTF-8."))
    return text, encoding, issues


# A well-formed UTF-8 sequence of two to four bytes: a file holding one is UTF-8 written somewhere,
# so its accents are not read as CP1252 mojibake ("numÃ©rique") because other lines are not UTF-8.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
                            rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
                            rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}")


# Line breaks of any convention (old Mac files end lines with CR alone); none is ever inside a
# UTF-8 sequence.
_LINE_BREAK = re.compile(rb"(\r\n|\r|\n)")


def _legacy(data: bytes) -> tuple[str, str]:
    """A file with no UTF-8 in it: Windows' CP1252, or Latin-1 when it holds CP1252's holes."""
    if any(b in _CP1252_HOLES for b in data):
        return data.decode("latin-1"), "latin-1"
    return data.decode("cp1252"), "cp1252"


def _decode_by_line(data: bytes, issues: list[Issue]) -> str:
    """A UTF-8 file some lines of which are not UTF-8, decoded line by line. A line holding no UTF-8 sequence at all is a passage pasted from a
    CP1252 (Windows) file: it is read as CP1252, the rest as UTF-8. A line mixing valid UTF-8 with
    invalid bytes is damaged UTF-8: the invalid bytes become U+FFFD. Both are recorded."""
    parts: list[str] = []
    repaired: list[int] = []  # line numbers read as CP1252 / Latin-1
    damaged: list[int] = []  # line numbers with bytes lost to U+FFFD
    repaired_chars = lost = 0
    pieces = _LINE_BREAK.split(data)  # lines and the breaks between them, kept as they are
    for number, line in enumerate(pieces[::2], 1):
        if number > 1:
            parts.append(pieces[2 * number - 3].decode("ascii"))
        try:
            parts.append(line.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        if _UTF8_SEQUENCE.search(line):
            decoded = line.decode("utf-8", errors="replace")
            lost += decoded.count("\ufffd") - line.count("\ufffd".encode())
            damaged.append(number)
        else:
            decoded, _ = _legacy(line)
            repaired_chars += sum(b >= 0x80 for b in line)
            repaired.append(number)
        parts.append(decoded)
    if repaired:
        issues.append(Issue(code="mixed_encoding", severity="warning",
                            message=f"{_lines(repaired)} {'is' if len(repaired) == 1 else 'are'} not UTF-8 like the rest of the file: read as CP1252 "
                                    f"(Windows), {repaired_chars} character(s) repaired; re-save the file as UTF-8."))
    if damaged:
        issues.append(Issue(code="encoding_errors", severity="warning",
                            message=f"{lost} byte(s) on {_lines(damaged)} are not valid UTF-8 and were replaced by "
                                    "U+FFFD; the characters they stood for are lost: check these lines against "
                                    "the original."))
    return "".join(parts)


def _lines(numbers: list[int]) -> str:
    """"line 4", "lines 3-7, 12": consecutive line numbers as ranges."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    shown = ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in runs[:10]) + (", …" if len(runs) > 10 else "")
    return ("line " if len(numbers) == 1 else "lines ") + shown


def normalise(text: str) -> str:
    """Unify line endings to ``\\n`` and Unicode to NFC. Spans always count in the result."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _build(data: bytes, *, path: str | None, fmt: str) -> Document:
    text, encoding, issues = decode(data, path=path)
    text = normalise(text)
    if not text.strip():
        raise EmptyDocumentError("the handout is empty (no text at all).", path=path,
                                 hint="Check that the right file was exported.")
    source = Source(path=path, sha256=hashlib.sha256(data).hexdigest(), format=fmt,
                    encoding=encoding, pages=None, size_bytes=len(data))
    return Document(text=text, source=source, issues=issues)


def read_text_file(path: Path, *, fmt: str = "text") -> Document:
    return _build(read_regular(path), path=str(path), fmt=fmt)


def from_string(text: str, *, fmt: str = "text", path: str | None = None) -> Document:
    """Wrap in-memory text (already decoded) as a ``Document``."""
    return _build(text.encode("utf-8"), path=path, fmt=fmt)
