"""Input readers: one module per input kind, each turning a file into a ``Document``."""

from __future__ import annotations

from pathlib import Path

from pipeline.document import Document
from pipeline.errors import InputNotFoundError, UnsupportedFormatError
from pipeline.files import regular_file
from pipeline.ingest.latex import read_latex
from pipeline.ingest.office import read_docx, read_odf, read_pptx
from pipeline.ingest.pdf import read_pdf
from pipeline.ingest.text import from_string, read_text_file

TEXT_SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}
# Files written in a word processor, a slide program or LaTeX: their structure (heading styles,
# slides, footnotes, emphasis) is read, not guessed (docs/formats.md).
STRUCTURED_READERS = {".docx": read_docx, ".pptx": read_pptx, ".odt": read_odf, ".odp": read_odf,
                      ".tex": read_latex}
SUPPORTED_SUFFIXES = (*TEXT_SUFFIXES, ".pdf", *STRUCTURED_READERS)
# Old binary formats users still have: named, so that the hint says which format to save as.
_OLD_BINARY = {".doc": ".docx", ".dot": ".docx", ".ppt": ".pptx", ".pps": ".pptx", ".pot": ".pptx"}


def read(path: str | Path) -> Document:
    """Read one handout file into a ``Document``, choosing the reader by file extension."""
    path = Path(path)
    if not path.exists():
        raise InputNotFoundError("no such file.", path=str(path), hint="Check the path and try again.")
    if path.is_dir():
        raise UnsupportedFormatError("is a folder, not a handout file.", path=str(path),
                                     hint="Use `tdx extract FOLDER` to process every handout in it.")
    regular_file(path, hint="Give tdx the handout file itself.")
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return read_pdf(path)
    if reader := STRUCTURED_READERS.get(suffix):
        return reader(path)
    if suffix in _OLD_BINARY:
        raise UnsupportedFormatError(
            f"is an old binary Office file ({suffix}), which tdx does not read.", path=str(path),
            hint=f"Open it and save it as {_OLD_BINARY[suffix]}.")
    fmt = TEXT_SUFFIXES.get(suffix)
    if fmt is None:
        raise UnsupportedFormatError(
            f"unsupported file type {path.suffix or '(no extension)'!r}.", path=str(path),
            hint=f"tdx reads {', '.join(SUPPORTED_SUFFIXES)} files; convert the handout to one of them.")
    return read_text_file(path, fmt=fmt)


__all__ = ["read", "from_string", "SUPPORTED_SUFFIXES"]
