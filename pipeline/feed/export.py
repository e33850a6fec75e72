"""Exports of a folder of extracted handouts: an SQLite database and spreadsheet-ready CSV files.

SQLite needs no server and ships with Python. Every table is keyed by the document it came from,
so re-exporting a handout replaces its rows (``ON DELETE CASCADE``) instead of duplicating them.
"""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from pipeline.errors import NoHandoutsError, NotRegularFileError, TdxError
from pipeline.files import atomic_writer, read_regular
from pipeline.models import Handout

SQL_SCHEMA = """
PRAGMA foreign_keys = ON;
CREATE TABLE IF NOT EXISTS documents (
    id            INTEGER PRIMARY KEY,
    path          TEXT NOT NULL UNIQUE,     -- the input handout
    json_path     TEXT NOT NULL,            -- the JSON it was exported from
    sha256        TEXT NOT NULL,
    format        TEXT NOT NULL,
    pages         INTEGER,
    schema_version TEXT NOT NULL,
    title         TEXT, course TEXT, presenter TEXT, period TEXT,
    book_title    TEXT, book_subtitle TEXT, book_authors TEXT  -- authors joined with "; "
);
CREATE TABLE IF NOT EXISTS sections (
    document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    id            TEXT NOT NULL,
    parent_id     TEXT,
    title         TEXT NOT NULL,
    level         INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    number        TEXT,
    page          INTEGER,
    start         INTEGER NOT NULL, "end" INTEGER NOT NULL,
    PRIMARY KEY (document_id, id),
    FOREIGN KEY (document_id, parent_id) REFERENCES sections(document_id, id)
);
CREATE TABLE IF NOT EXISTS quotations (
    document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    id            TEXT NOT NULL,
    section_id    TEXT,
    kind          TEXT NOT NULL,
    text          TEXT NOT NULL,
    page          INTEGER,
    issues        TEXT NOT NULL,            -- codes joined with ","
    start         INTEGER NOT NULL, "end" INTEGER NOT NULL,
    PRIMARY KEY (document_id, id),
    FOREIGN KEY (document_id, section_id) REFERENCES sections(document_id, id)
);
CREATE TABLE IF NOT EXISTS "references" (
    document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    quotation_id  TEXT NOT NULL,
    raw           TEXT NOT NULL,
    kind          TEXT NOT NULL,
    first_page    INTEGER,                  -- pages[0]
    last_page     INTEGER,                  -- pages[-1] (= first_page for one page)
    location      TEXT,
    back_reference TEXT,
    PRIMARY KEY (document_id, quotation_id),
    FOREIGN KEY (document_id, quotation_id) REFERENCES quotations(document_id, id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS concepts (
    document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    id            TEXT NOT NULL,
    label         TEXT NOT NULL,
    key           TEXT NOT NULL,            -- normalised label: the same concept across handouts
    variants      TEXT NOT NULL,            -- joined with "; "
    score         REAL NOT NULL,
    PRIMARY KEY (document_id, id)
);
CREATE TABLE IF NOT EXISTS concept_mentions (
    document_id   INTEGER NOT NULL,
    concept_id    TEXT NOT NULL,
    text          TEXT NOT NULL,
    section_id    TEXT,
    page          INTEGER,
    match         TEXT NOT NULL,
    start         INTEGER NOT NULL, "end" INTEGER NOT NULL,
    FOREIGN KEY (document_id, concept_id) REFERENCES concepts(document_id, id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS entities (
    document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    id            TEXT NOT NULL,
    label         TEXT NOT NULL,            -- PER, ORG, WORK
    text          TEXT NOT NULL,
    mentions      INTEGER NOT NULL,
    PRIMARY KEY (document_id, id)
);
CREATE INDEX IF NOT EXISTS concepts_by_key ON concepts(key);
CREATE INDEX IF NOT EXISTS mentions_by_concept ON concept_mentions(document_id, concept_id);
CREATE INDEX IF NOT EXISTS references_by_page ON "references"(first_page, last_page);
CREATE INDEX IF NOT EXISTS documents_by_book ON documents(book_title);
CREATE INDEX IF NOT EXISTS quotations_by_section ON quotations(document_id, section_id);
CREATE INDEX IF NOT EXISTS entities_by_text ON entities(label, text);
"""


def load_outputs(paths: list[Path], *, on_error: Callable[[TdxError], None] | None = None
                 ) -> Iterator[tuple[Path, Handout]]:
    """Extracted handouts (JSON) under ``paths``, one at a time; ``_run.json`` and friends skipped.

    A FIFO, a device or a socket among them is never opened (it would block): it raises
    ``NotRegularFileError``, or, given ``on_error``, is handed to it and skipped."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*.json") if not p.name.startswith(("_", ".")) and not p.is_dir())
        elif path.exists():
            files.append(path)
        else:
            raise TdxError("no such file or folder.", path=str(path), hint="Point at tdx's outputs/ folder.")
    if not files:
        raise NoHandoutsError("no extracted handouts (.json) here.", path=", ".join(map(str, paths)),
                              hint="Run `tdx extract` first, then export its output folder.")
    for file in files:
        try:
            data = read_regular(file, hint="Point at the JSON files tdx extract wrote.")
        except NotRegularFileError as err:
            if on_error is None:
                raise
            on_error(err)
            continue
        try:
            yield file, Handout.model_validate_json(data)
        except ValueError as err:
            raise TdxError(f"is not a tdx handout JSON ({str(err).splitlines()[0]}).", path=str(file),
                           hint="Export only the folder tdx extract wrote.") from None


def export_sqlite(paths: list[Path], database: Path, *, on_error: Callable[[TdxError], None] | None = None) -> int:
    """Write every handout under ``paths`` into ``database``; returns how many were exported."""
    from pipeline.stages.concepts import normalise

    database.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(database)
    count = 0
    try:
        connection.executescript(SQL_SCHEMA)
        for json_path, handout in load_outputs(paths, on_error=on_error):
            with connection:  # one transaction per document: a failure leaves the others intact
                _insert(connection, json_path, handout, normalise)
            count += 1
    finally:
        connection.close()
    return count


def _insert(db: sqlite3.Connection, json_path: Path, h: Handout, normalise) -> None:
    path = h.source.path or str(json_path)
    db.execute("DELETE FROM documents WHERE path = ?", (path,))  # re-export replaces, cascading
    meta, book = h.metadata, h.metadata.book
    cursor = db.execute(
        "INSERT INTO documents (path, json_path, sha256, format, pages, schema_version, title, course, presenter,"
        " period, book_title, book_subtitle, book_authors) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (path, str(json_path), h.source.sha256, h.source.format, h.source.pages, h.schema_version, meta.title,
         meta.course, meta.presenter, meta.period, book.title, book.subtitle, "; ".join(book.authors) or None))
    doc = cursor.lastrowid
    # Parents come before their children in document order, as the foreign key wants.
    db.executemany('INSERT INTO sections VALUES (?,?,?,?,?,?,?,?,?,?)',
                   [(doc, s.id, s.parent_id, s.title, s.level, s.kind, s.number, s.page, s.span.start, s.span.end)
                    for s in h.sections])
    db.executemany('INSERT INTO quotations VALUES (?,?,?,?,?,?,?,?,?)',
                   [(doc, q.id, q.section_id, q.kind, q.text, q.page, ",".join(q.issues), q.span.start, q.span.end)
                    for q in h.quotes])
    db.executemany('INSERT INTO "references" VALUES (?,?,?,?,?,?,?,?)',
                   [(doc, q.id, r.raw, r.kind, r.pages[0] if r.pages else None, r.pages[-1] if r.pages else None,
                     r.location, r.back_reference) for q in h.quotes if (r := q.reference) is not None])
    db.executemany("INSERT INTO concepts VALUES (?,?,?,?,?,?)",
                   [(doc, c.id, c.label, normalise(c.label), "; ".join(c.variants), c.score) for c in h.concepts])
    db.executemany("INSERT INTO concept_mentions VALUES (?,?,?,?,?,?,?,?)",
                   [(doc, c.id, m.text, m.section_id, m.page, m.match, m.span.start, m.span.end)
                    for c in h.concepts for m in c.mentions])
    db.executemany("INSERT INTO entities VALUES (?,?,?,?,?)",
                   [(doc, e.id, e.label, e.text, len(e.mentions)) for e in h.entities])


def export_csv(paths: list[Path], folder: Path, *,
               on_error: Callable[[TdxError], None] | None = None) -> dict[str, int]:
    """``quotations.csv`` and ``concept_mentions.csv``: one row per element, UTF-8 with BOM so that
    spreadsheets detect the encoding, the section title and page alongside."""
    counts = {"quotations.csv": 0, "concept_mentions.csv": 0}
    csv_options = {"encoding": "utf-8-sig", "newline": ""}
    with atomic_writer(folder / "quotations.csv", **csv_options) as qf, \
            atomic_writer(folder / "concept_mentions.csv", **csv_options) as mf:
        quotes = csv.writer(qf)
        mentions = csv.writer(mf)
        quotes.writerow(["document", "book", "quotation_id", "kind", "text", "reference", "pages", "page",
                         "section", "issues"])
        mentions.writerow(["document", "book", "concept", "mention", "match", "page", "section", "start", "end"])
        for _, h in load_outputs(paths, on_error=on_error):
            titles = {s.id: s.title for s in h.sections}
            for q in h.quotes:
                ref = q.reference
                quotes.writerow([h.source.path, h.metadata.book.title, q.id, q.kind, q.text, ref.raw if ref else "",
                                 "-".join(map(str, ref.pages)) if ref else "", q.page or "",
                                 titles.get(q.section_id, ""), ",".join(q.issues)])
                counts["quotations.csv"] += 1
            for c in h.concepts:
                for m in c.mentions:
                    mentions.writerow([h.source.path, h.metadata.book.title, c.label, m.text, m.match, m.page or "",
                                       titles.get(m.section_id, ""), m.span.start, m.span.end])
                    counts["concept_mentions.csv"] += 1
    return counts
