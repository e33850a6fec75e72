"""Office files are zip archives of XML parts: opened with their faults named, and never expanded
past a limit.

What users hand in under a ``.docx``/``.pptx``/``.odt``/``.odp`` name is not always one: a file
truncated by a download, an old binary Word or PowerPoint file renamed, a file saved with a password
(Office then writes an OLE compound file holding an ``EncryptedPackage``, not a zip), or an archive
whose few kilobytes expand to gigabytes (a zip bomb). Each gets an ``Error:`` line saying what to do.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from pipeline.errors import UnreadableInputError

# The signature of an OLE compound file: old binary .doc/.ppt/.xls, and Office files saved with a
# password (their encrypted package is wrapped in one).
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Office names the encrypted stream so, in UTF-16 as OLE directories are written.
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
# Expanded XML tdx reads at most from one archive when no --max-size says otherwise: a long thesis
# in Word is a few MB of document.xml; a zip bomb is gigabytes.
DEFAULT_EXPANDED_LIMIT = 200_000_000

_KINDS = {".docx": "a Word document", ".pptx": "a PowerPoint presentation", ".xlsx": "an Excel spreadsheet",
          ".odt": "an OpenDocument text", ".odp": "an OpenDocument presentation", ".ods": "an OpenDocument spreadsheet"}
_SAVE_AS = {".docx": "Word (.docx)", ".pptx": "PowerPoint (.pptx)", ".odt": "OpenDocument Text (.odt)",
            ".odp": "OpenDocument Presentation (.odp)"}


def expanded_size(path: Path) -> int | None:
    """What an office archive says its members expand to, added up (``None`` for other files, and
    for an archive that cannot be read: its reader says why)."""
    try:
        if path.suffix.lower() not in _SAVE_AS or not path.is_file():  # a FIFO would block the read
            return None
        with zipfile.ZipFile(path) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


class Archive:
    """The parts of one office file, each read (and size-checked) when asked for."""

    def __init__(self, path: Path, *, limit: int | None = DEFAULT_EXPANDED_LIMIT):
        self.path = path
        self.data = path.read_bytes()
        self._check_kind()
        try:
            self._zip = zipfile.ZipFile(path)
            self._names = {info.filename: info for info in self._zip.infolist()}
        except (zipfile.BadZipFile, EOFError, ValueError, OSError) as err:
            raise self.error(f"is not a readable archive ({err}): the file is corrupt or truncated.",
                             "Re-download the file, or open it and save it again.") from err
        expanded = sum(info.file_size for info in self._names.values())
        if limit and expanded > limit:
            raise self.error(f"expands to {expanded / 1e6:.0f} MB, over the {limit / 1e6:.0f} MB limit for one "
                             "handout (a zip bomb, or a file full of images).",
                             "Check the file, or raise --max-size.")

    def error(self, message: str, hint: str) -> UnreadableInputError:
        return UnreadableInputError(message, path=str(self.path), hint=hint)

    def _check_kind(self) -> None:
        save_as = _SAVE_AS.get(self.path.suffix.lower(), "a current format")
        if self.data.startswith(_OLE):
            if _ENCRYPTED in self.data:
                raise self.error("is protected by a password.",
                                 "Open it, remove the password (File > Info > Protect), save it and extract that.")
            raise self.error("is an old binary Office file (.doc, .ppt), not a zip archive.",
                             f"Open it and save it as {save_as}.")
        if not self.data.startswith(b"PK"):
            raise self.error("is not an office archive (no zip signature): the file is corrupt, or not what its "
                             "name says.", f"Re-download the file, or open it and save it as {save_as}.")

    def expect(self, suffix: str) -> None:
        """Refuse an archive of another kind than its name says, saying which it is: a Word file
        renamed .pptx is to be renamed back, not "saved again"."""
        kind = self.kind()
        if kind is not None and kind != suffix:
            what = _KINDS[kind]
            hint = (f"Rename it to {kind} and extract that." if kind in _SAVE_AS
                    else "Export it to PDF and extract that.")
            raise self.error(f"is {what}, not what its {self.path.suffix} name says.", hint)

    def kind(self) -> str | None:
        """Which office format the archive holds, by its parts (``None`` when none is known)."""
        for part, kind in (("word/document.xml", ".docx"), ("ppt/presentation.xml", ".pptx"),
                           ("xl/workbook.xml", ".xlsx")):
            if part in self._names:
                return kind
        if "mimetype" in self._names:
            mimetype = self.read("mimetype").decode("ascii", "replace").strip()
            return {"application/vnd.oasis.opendocument.text": ".odt",
                    "application/vnd.oasis.opendocument.presentation": ".odp",
                    "application/vnd.oasis.opendocument.spreadsheet": ".ods"}.get(mimetype)
        return None

    def has(self, name: str) -> bool:
        return name in self._names

    def read(self, name: str) -> bytes:
        """One part's bytes; a missing or damaged part is the file's fault, said as such."""
        if name not in self._names:
            raise self.error(f"has no {name} part: it is damaged, or not a {self.path.suffix} file.",
                             "Open it and save it again.")
        try:
            return self._zip.read(name)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as err:
            raise self.error(f"cannot be expanded ({err}): the file is corrupt or truncated.",
                             "Re-download the file, or open it and save it again.") from err

    def xml(self, name: str):
        """A part parsed; XML that does not parse is a damaged file, not a bug."""
        from lxml import etree

        # resolve_entities off and no network: an XML part never reaches outside the archive.
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
        try:
            return etree.fromstring(self.read(name), parser)
        except etree.XMLSyntaxError as err:
            raise self.error(f"has a damaged {name} part ({err}).", "Open it and save it again.") from err

    def close(self) -> None:
        self._zip.close()
