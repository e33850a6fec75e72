"""Input readers: one module per input kind, each turning a file into a ``Document``."""

from __future__ import annotations

from pathlib import Path

from pipeline.document import Document
from pipeline.errors import InputNotFoundError, UnsupportedFormatError
from pipeline.files import regular_file
from pipeline.ingest.pdf import read_pdf
from pipeline.ingest.text import from_string, read_text_file

TEXT_SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}
SUPPORTED_SUFFIXES = (*TEXT_SUFFIXES, ".pdf")


def read(path: str | Path) -> Document:
    """Read one handout file into a ``Document``, choosing the reader by file extension."""
    path = Path(path)
    if not path.exists():
        raise InputNotFoundError("no such file.", path=str(path), hint="Check the path and try again.")
    if path.is_dir():
        raise UnsupportedFormatError("is a folder, not a handout file.", path=str(path),
                                     hint="Use `tdx extract FOLDER` to process every handout in it.")
    regular_file(path, hint="Give tdx the handout file itself.")
    if path.suffix.lower() == ".pdf":
        return read_pdf(path)
    fmt = TEXT_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise UnsupportedFormatError(
            f"unsupported file type {path.suffix or '(no extension)'!r}.", path=str(path),
            hint=f"tdx reads {', '.join(SUPPORTED_SUFFIXES)} files; convert the handout to one of them.")
    return read_text_file(path, fmt=fmt)


__all__ = ["read", "from_string", "SUPPORTED_SUFFIXES"]
