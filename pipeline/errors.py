"""The few named exceptions tdx raises for bad input; each message says what to do next."""

from __future__ import annotations


class TdxError(Exception):
    """Base of every error a user can cause. ``str(err)`` is the whole message, hint included."""

    code = "tdx_error"

    def __init__(self, message: str, *, path: str | None = None, hint: str | None = None):
        self.path = path
        self.hint = hint
        self.bare_message = message
        where = f"{path}: " if path else ""
        super().__init__(f"{where}{message}" + (f" {hint}" if hint else ""))


class InputNotFoundError(TdxError):
    code = "not_found"


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
