"""Exports of a folder of extracted handouts: an SQLite database and spreadsheet-ready CSV files.

SQLite needs no server and ships with Python. Every table is keyed by the document it came from,
so re-exporting a handout replaces its rows (``ON DELETE CASCADE``) instead of duplicating them;
the schema and its version are ``database``'s.
"""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import OutputError, TdxError
from pipeline.feed.database import prepare
from pipeline.feed.handouts import BadHandoutError, load_outputs
from pipeline.files import atomic_writer
from pipeline.models import Finding, Handout

__all__ = ["SqliteExport", "export_sqlite", "export_csv", "load_outputs", "neutralise"]
OnError = Callable[[TdxError], None] | None

@dataclass
class SqliteExport:
    """What ``export_sqlite`` did: handouts written, rows of handouts gone from the folders removed,
    and the database's count of handouts afterwards (all three printed by ``tdx export``)."""
    written: int = 0
    removed: list[str] = field(default_factory=list)
    total: int = 0
    rebuilt_from: int | None = None  # the schema of an older tdx this export replaced


def export_sqlite(paths: list[Path], database: Path, *, on_error: OnError = None, checks: bool = False,
                  source=None) -> SqliteExport:
    """Write every handout under ``paths`` into ``database``, and remove the handouts exported
    earlier from a folder of ``paths`` whose JSON is no longer there (docs/database.md).

    ``checks``: also store ``tdx check``'s findings of each handout in ``findings``; ``source`` (a
    ``SourceText`` from ``pipeline.checks.book.load_source``, or a list of them, one per volume):
    verify its citations against that book.
    A handout that cannot be exported goes to ``on_error`` (raised when there is none) and the
    others are; a database that cannot be opened or written is an ``OutputError`` before any."""
    from pipeline.stages.concepts import normalise

    hint = "Give --sqlite a new file name or a database tdx export wrote, in a writable folder."
    if database.is_dir():
        raise OutputError("is a folder, not a database file.", path=str(database), hint=hint)
    try:
        database.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(database)
    except (OSError, sqlite3.Error) as err:
        raise OutputError(f"cannot be opened as a database ({err}).", path=str(database), hint=hint) from None
    result = SqliteExport()

    def refuse(err: TdxError) -> None:
        if on_error is None:
            raise err
        on_error(err)

    try:
        try:
            result.rebuilt_from = prepare(connection, str(database), hint)
        except sqlite3.Error as err:  # not a database, read-only, a disk full
            raise OutputError(f"cannot be used as the database ({err}).", path=str(database), hint=hint) from None
        exported: set[str] = set()
        for json_path, handout in load_outputs(paths, on_error=on_error):
            findings = _findings(json_path, handout, source, refuse) if checks or source is not None else None
            try:
                with connection:  # one transaction per document: a failure leaves the others intact
                    _insert(connection, json_path, handout, normalise, findings, source)
            except (sqlite3.IntegrityError, OverflowError) as err:  # what the checks on reading missed
                refuse(BadHandoutError(f"cannot be exported ({err}).", path=str(json_path),
                                       hint="Extract the handout again."))
                continue
            except sqlite3.Error as err:
                raise OutputError(f"cannot be written ({err}).", path=str(database), hint=hint) from None
            exported.add(str(json_path.absolute()))
            result.written += 1
        with connection:
            result.removed = _prune(connection, paths, exported)
        result.total = connection.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    except sqlite3.Error as err:
        raise OutputError(f"cannot be written ({err}).", path=str(database), hint=hint) from None
    finally:
        connection.close()
    return result


def _findings(json_path: Path, handout: Handout, source, refuse) -> list[Finding] | None:
    """``tdx check``'s findings of a handout, verified against ``source`` when there is one. A
    handout the checks cannot handle is exported without them (``checked`` 0), with an Error line."""
    from pipeline.checks import check

    try:
        return check(handout, source)
    except Exception as err:  # noqa: BLE001 - a handout the checks trip on costs its findings only
        refuse(BadHandoutError(f"cannot be checked ({type(err).__name__}: {err}); exported without its "
                               "findings.", path=str(json_path), hint="Extract the handout again."))
        return None


def _prune(db: sqlite3.Connection, paths: list[Path], exported: set[str]) -> list[str]:
    """Remove the handouts exported before from a folder of ``paths`` (or from a JSON named in
    ``paths``) and not this time: their JSON was deleted or renamed. A JSON still there that could
    not be read keeps its rows: its Error line says so, and the rows are what it was."""
    folders = [p.absolute() for p in paths if p.is_dir()]
    named = {str(p.absolute()) for p in paths if not p.is_dir()}
    removed = []
    for doc_id, path, json_path in db.execute("SELECT id, path, json_path FROM documents").fetchall():
        if json_path in exported:
            continue
        inside = json_path in named or any(Path(json_path).is_relative_to(f) for f in folders)
        if inside and not Path(json_path).is_file():
            db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
            removed.append(path)
    return removed


def _insert(db: sqlite3.Connection, json_path: Path, h: Handout, normalise, findings: list[Finding] | None,
            source) -> None:
    path = h.source.path or str(json_path)
    db.execute("DELETE FROM documents WHERE path = ?", (path,))  # re-export replaces, cascading
    meta, book = h.metadata, h.metadata.book
    volumes = source if isinstance(source, list) else [source] if source is not None else []
    # A book in several volumes: their paths joined as book_authors are, volume 1 first.
    checked_against = "; ".join(str(v.path) for v in volumes) if findings is not None and volumes else None
    cursor = db.execute(
        "INSERT INTO documents (path, json_path, sha256, format, pages, schema_version, title, course, presenter,"
        " period, book_title, book_subtitle, book_authors, text, checked, checked_against)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (path, str(json_path.absolute()), h.source.sha256, h.source.format, h.source.pages, h.schema_version,
         meta.title, meta.course, meta.presenter, meta.period, book.title, book.subtitle,
         "; ".join(book.authors) or None, h.text, int(findings is not None), checked_against))
    doc = cursor.lastrowid
    # Parents come before their children in document order, as the foreign key wants.
    db.executemany("INSERT INTO sections VALUES (?,?,?,?,?,?,?,?,?,?)",
                   [(doc, s.id, s.parent_id, s.title, s.level, s.kind, s.number, s.page, s.span.start, s.span.end)
                    for s in h.sections])
    db.executemany("INSERT INTO quotations VALUES (?,?,?,?,?,?,?,?,?)",
                   [(doc, q.id, q.section_id, q.kind, q.text, q.page, ",".join(q.issues), q.span.start, q.span.end)
                    for q in h.quotes])
    db.executemany("INSERT INTO quotation_refs VALUES (?,?,?,?,?,?,?,?)",
                   [(doc, q.id, r.raw, r.kind, r.pages[0] if r.pages else None, r.pages[-1] if r.pages else None,
                     r.location, r.back_reference) for q in h.quotes if (r := q.reference) is not None])
    db.executemany("INSERT INTO concepts VALUES (?,?,?,?,?,?)",
                   [(doc, c.id, c.label, normalise(c.label), "; ".join(c.variants), c.score) for c in h.concepts])
    db.executemany("INSERT INTO concept_mentions VALUES (?,?,?,?,?,?,?,?)",
                   [(doc, c.id, m.text, m.section_id, m.page, m.match, m.span.start, m.span.end)
                    for c in h.concepts for m in c.mentions])
    db.executemany("INSERT INTO entities VALUES (?,?,?,?,?)",
                   [(doc, e.id, e.label, e.text, len(e.mentions)) for e in h.entities])
    db.executemany("INSERT INTO findings VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                   [(doc, f.code, f.severity, f.message, f.hint, f.line, f.page, f.quote_id,
                     f.span.start if f.span else None, f.span.end if f.span else None, f.verdict,
                     ",".join(map(str, f.cited_pages)) or None, f.source_page, f.score)
                    for f in findings or []])


# OWASP, "CSV Injection": a cell starting with one of these is run as a formula by spreadsheets
# (=HYPERLINK(...), +cmd|...); a leading single quote makes it text, shown as written.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell):
    """A CSV cell that no spreadsheet runs as a formula (numbers are left as they are)."""
    if isinstance(cell, str) and cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell


def export_csv(paths: list[Path], folder: Path, *, on_error: OnError = None) -> dict[str, int]:
    """``quotations.csv`` and ``concept_mentions.csv``: one row per element, UTF-8 with BOM so that
    spreadsheets detect the encoding, the section title and page alongside. Text cells that a
    spreadsheet would take for a formula start with a single quote."""
    if folder.exists() and not folder.is_dir():
        raise OutputError("is a file; --csv wants a folder.", path=str(folder),
                          hint="Give --csv a folder (it is created if missing).")
    counts = {"quotations.csv": 0, "concept_mentions.csv": 0}
    csv_options = {"encoding": "utf-8-sig", "newline": ""}
    try:
        with atomic_writer(folder / "quotations.csv", **csv_options) as qf, \
                atomic_writer(folder / "concept_mentions.csv", **csv_options) as mf:
            quotes = _SafeWriter(qf)
            mentions = _SafeWriter(mf)
            quotes.writerow(["document", "presenter", "book", "quotation_id", "kind", "text", "reference", "pages",
                             "page", "section", "issues"])
            mentions.writerow(["document", "book", "concept", "mention", "match", "page", "section", "start",
                               "end"])
            for _, h in load_outputs(paths, on_error=on_error):
                counts["quotations.csv"] += _write_quotes(quotes, h)
                counts["concept_mentions.csv"] += _write_mentions(mentions, h)
    except OSError as err:
        raise OutputError(f"cannot write the CSV files ({err.strerror or err}).", path=str(folder),
                          hint="Check the folder's permissions and free space, or choose another with --csv.") from None
    return counts


class _SafeWriter:
    def __init__(self, handle):
        self.writer = csv.writer(handle)

    def writerow(self, row) -> None:
        self.writer.writerow([neutralise(cell) for cell in row])


def _write_quotes(writer: _SafeWriter, h: Handout) -> int:
    titles = {s.id: s.title for s in h.sections}
    for q in h.quotes:
        ref = q.reference
        writer.writerow([h.source.path, h.metadata.presenter, h.metadata.book.title, q.id, q.kind, q.text,
                         ref.raw if ref else "",
                         "-".join(map(str, ref.pages)) if ref else "", q.page or "",
                         titles.get(q.section_id, ""), ",".join(q.issues)])
    return len(h.quotes)


def _write_mentions(writer: _SafeWriter, h: Handout) -> int:
    titles = {s.id: s.title for s in h.sections}
    count = 0
    for c in h.concepts:
        for m in c.mentions:
            writer.writerow([h.source.path, h.metadata.book.title, c.label, m.text, m.match, m.page or "",
                             titles.get(m.section_id, ""), m.span.start, m.span.end])
            count += 1
    return count
