"""The few named exceptions tdx raises for bad input; each message says what to do next."""

from __future__ import annotations

import unicodedata


class TdxError(Exception):
    """Base of every error a user can cause. ``str(err)`` is the whole message, hint included."""

    code = "tdx_error"

    def __init__(self, message: str, *, path: str | None = None, hint: str | None = None):
        self.path = path
        self.hint = hint
        self.bare_message = message
        where = f"{path}: " if path else ""
        super().__init__(f"{where}{message}" + (f" {hint}" if hint else ""))


class ConfigError(TdxError):
    """A tdx.toml or [tool.tdx.check] table, or an option naming rules, that cannot be used."""

    code = "bad_config"


class InputNotFoundError(TdxError):
    code = "not_found"


class UnreadableInputError(TdxError):
    code = "unreadable"


class UnsupportedFormatError(TdxError):
    code = "unsupported_format"


class UndecodableError(TdxError):
    code = "undecodable"


class NotRegularFileError(TdxError):
    """A FIFO, a device, a socket where a file is expected: reading one would block forever."""

    code = "not_regular_file"


class EmptyDocumentError(TdxError):
    code = "empty"


class NoHandoutsError(TdxError):
    code = "no_handouts"


class UnreadablePdfError(TdxError):
    code = "unreadable_pdf"


class SourceError(TdxError):
    """The book given to check quotations against cannot be used (missing, unsupported, unreadable)."""

    code = "bad_source"


class OutputError(TdxError):
    """Something tdx writes cannot be written: the output folder is full, read-only or not a folder."""

    code = "output_unwritable"


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: control characters (an ESC in a file name would drive
    the terminal) and undecodable bytes of a file name shown as escapes (``\\x1b``), newlines kept."""
    return "".join(ch if ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cs") else
                   (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else
                    f"\\x{ord(ch) - 0xDC00:02x}" if 0xDC80 <= ord(ch) <= 0xDCFF else f"\\u{ord(ch):04x}")
                   for ch in text)
