"""Plain text and Markdown handouts: bytes -> decoded, normalised text.

Handouts come from Word exports, old Windows machines and Markdown converters, so the encoding is
detected (UTF-8 with or without BOM, UTF-16 with BOM, else CP1252/Latin-1) and recorded. Line endings
are unified to ``\\n`` and accents to NFC (macOS file systems hand out NFD), so that spans count
characters the way every consumer will count them.
"""

from __future__ import annotations

import codecs
import hashlib
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
    """Decode ``data`` and return ``(text, encoding, issues)``. Raises ``UndecodableError``."""
    issues: list[Issue] = []
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = data.decode("utf-16", errors="replace"), "utf-16"
    else:
        if b"\x00" in data:
            raise UndecodableError("looks like a binary file (it contains NUL bytes), not a text handout.",
                                   path=path, hint="Export the handout as .txt (UTF-8) or .md and retry.")
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as err:
            text, encoding = _decode_non_utf8(data, err, issues)
    bad = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS)
    if text and bad / len(text) > 0.05:
        raise UndecodableError(f"{bad} control characters in {len(text)}: this is not a text handout.",
                               path=path, hint="Export the handout as .txt (UTF-8) or .md and retry.")
    replaced = text.count("\ufffd")
    if replaced and encoding != "utf-8":
        issues.append(Issue(code="encoding_errors", severity="warning",
                            message=f"{replaced} byte(s) could not be decoded as {encoding} and were "
                                    "replaced by U+FFFD; re-save the file as UTF-8."))
    return text, encoding, issues


def _decode_non_utf8(data: bytes, err: UnicodeDecodeError, issues: list[Issue]) -> tuple[str, str]:
    # A file that is valid UTF-8 but for a few stray bytes (a copy-paste from another file) is
    # UTF-8: reading it as CP1252 would turn every accent into mojibake ("Ã©").
    valid_multibyte = data.count(b"\xc3") + data.count(b"\xc2") + data.count(b"\xe2\x80")
    invalid = len(data.decode("utf-8", errors="replace")) - len(data.decode("utf-8", errors="ignore"))
    if valid_multibyte > 4 * invalid:
        return data.decode("utf-8", errors="replace"), "utf-8"
    if any(b in _CP1252_HOLES for b in data):
        return data.decode("latin-1"), "latin-1"
    return data.decode("cp1252"), "cp1252"


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
