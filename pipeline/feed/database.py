"""The corpus database's schema, its version, and databases of older tdx rebuilt on export.

The database is derived from the JSON outputs: whatever an export finds in it that an older tdx
wrote can be dropped and written again from the JSON, which is how a breaking change of the schema
(a renamed table) reaches databases people already have. Tables of the user's own are never touched.
"""

from __future__ import annotations

import sqlite3

from pipeline import __version__
from pipeline.errors import OutputError

# Semantic versioning, as the JSON contract: new tables or columns raise the minor version, anything
# that could break a query raises the major version. The major version is also the database's
# ``PRAGMA user_version`` (0 in databases of tdx before 2.0.0, which kept no version), so that
# ``sqlite3 corpus.db 'PRAGMA user_version'`` tells which schema a file has.
DATABASE_SCHEMA = "2.1.0"
DATABASE_MAJOR = int(DATABASE_SCHEMA.split(".")[0])

# Every table (and virtual table) tdx writes, old names included: what a rebuild drops.
TDX_TABLES = ("findings", "handouts_fts", "quotations_fts", "concept_mentions", "concepts", "entities",
              "references", "quotation_refs", "quotations", "sections", "documents", "tdx_meta")

SQL_SCHEMA = """
PRAGMA foreign_keys = ON;
CREATE TABLE IF NOT EXISTS tdx_meta (
    key           TEXT PRIMARY KEY,         -- database_schema, tdx_version
    value         TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS documents (
    id            INTEGER PRIMARY KEY,
    path          TEXT NOT NULL UNIQUE,     -- the input handout
    json_path     TEXT NOT NULL,            -- the JSON it was exported from (absolute)
    sha256        TEXT NOT NULL,
    format        TEXT NOT NULL,
    pages         INTEGER,
    schema_version TEXT NOT NULL,
    title         TEXT, course TEXT, presenter TEXT, period TEXT,
    book_title    TEXT, book_subtitle TEXT, book_authors TEXT,  -- authors joined with "; "
    text          TEXT NOT NULL,            -- the handout's whole text, as the spans count it
    checked       INTEGER NOT NULL DEFAULT 0,  -- 1: its findings are in `findings` (tdx export --checks)
    checked_against TEXT                    -- the book (--source) the citations were verified against
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
    start         INTEGER NOT NULL, end INTEGER NOT NULL,
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
    start         INTEGER NOT NULL, end INTEGER NOT NULL,
    PRIMARY KEY (document_id, id),
    FOREIGN KEY (document_id, section_id) REFERENCES sections(document_id, id)
);
CREATE TABLE IF NOT EXISTS quotation_refs (
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
    start         INTEGER NOT NULL, end INTEGER NOT NULL,
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
CREATE TABLE IF NOT EXISTS findings (
    document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    code          TEXT NOT NULL,            -- the rule, or the verdict (wrong_page, altered, ...)
    severity      TEXT NOT NULL,            -- error, warning, info
    message       TEXT NOT NULL,
    hint          TEXT NOT NULL,
    line          INTEGER,
    page          INTEGER,                  -- the handout's PDF page
    quotation_id  TEXT,
    start         INTEGER, end INTEGER,
    verdict       TEXT,                     -- with --source: verified, wrong_page, altered, not_found
    cited_pages   TEXT,                     -- joined with ","
    source_page   TEXT,                     -- where the book prints the passage
    score         REAL,
    source_volume INTEGER,                  -- the volume it is in, for a book in several (2.1.0)
    FOREIGN KEY (document_id, quotation_id) REFERENCES quotations(document_id, id) ON DELETE CASCADE
);
-- Full-text search (FTS5) over the handouts and the quotations; the tables read their text from
-- documents and quotations (external content), the triggers keep them in step, cascades included.
-- remove_diacritics: 'ecole' finds 'école', as French typed without accents expects.
CREATE VIRTUAL TABLE IF NOT EXISTS handouts_fts USING fts5(
    title, text, content='documents', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS quotations_fts USING fts5(
    text, content='quotations', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER IF NOT EXISTS documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO handouts_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER IF NOT EXISTS documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO handouts_fts(handouts_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER IF NOT EXISTS quotations_fts_insert AFTER INSERT ON quotations BEGIN
    INSERT INTO quotations_fts(rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER IF NOT EXISTS quotations_fts_delete AFTER DELETE ON quotations BEGIN
    INSERT INTO quotations_fts(quotations_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
CREATE INDEX IF NOT EXISTS concepts_by_key ON concepts(key);
CREATE INDEX IF NOT EXISTS mentions_by_concept ON concept_mentions(document_id, concept_id);
CREATE INDEX IF NOT EXISTS refs_by_page ON quotation_refs(first_page, last_page);
CREATE INDEX IF NOT EXISTS documents_by_book ON documents(book_title);
CREATE INDEX IF NOT EXISTS quotations_by_section ON quotations(document_id, section_id);
CREATE INDEX IF NOT EXISTS entities_by_text ON entities(label, text);
CREATE INDEX IF NOT EXISTS findings_by_code ON findings(code, severity);
CREATE INDEX IF NOT EXISTS findings_by_quotation ON findings(document_id, quotation_id);
"""


_ADDED_COLUMNS = [("findings", "source_volume", "INTEGER")]  # 2.1.0


def prepare(db: sqlite3.Connection, database: str, hint: str) -> int | None:
    """Make ``db`` hold this tdx's schema; returns the major version an older tdx left and this
    export rebuilt (``None`` when there was nothing to rebuild). A database of a newer tdx is an
    ``OutputError``: its tables are left as they are."""
    found = db.execute("PRAGMA user_version").fetchone()[0]
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    if found > DATABASE_MAJOR:
        raise OutputError(f"was written by a newer tdx (database schema {found}; this tdx writes "
                          f"{DATABASE_SCHEMA}).", path=database,
                          hint="Upgrade tdx, or give --sqlite a new file name.")
    # A database of tdx before 2.0.0 has no version, and its documents table: rebuilt. An SQLite file
    # of the user's with a table named documents of their own (no sha256 column) is not tdx's.
    rebuilt = None
    if found < DATABASE_MAJOR and "documents" in tables and \
            "sha256" in {row[1] for row in db.execute("PRAGMA table_info(documents)")}:
        rebuilt = found or 1
        db.execute("PRAGMA foreign_keys = OFF")  # dropped in any order (not to be set in a transaction)
        db.execute("BEGIN")  # all or none: a rebuild cut short is redone whole by the next export
        try:
            for table in TDX_TABLES:
                db.execute(f'DROP TABLE IF EXISTS "{table}"')
            db.commit()
        except BaseException:
            db.rollback()
            raise
    db.executescript(SQL_SCHEMA)
    # Columns added by a minor version, which CREATE TABLE IF NOT EXISTS leaves out of an older file.
    for table, column, kind in _ADDED_COLUMNS:
        if column not in {row[1] for row in db.execute(f"PRAGMA table_info({table})")}:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
    with db:
        db.execute(f"PRAGMA user_version = {DATABASE_MAJOR}")
        db.executemany("INSERT OR REPLACE INTO tdx_meta VALUES (?, ?)",
                       [("database_schema", DATABASE_SCHEMA), ("tdx_version", __version__)])
    return rebuilt
