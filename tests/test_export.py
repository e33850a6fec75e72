"""Exports for downstream apps: SQLite (keys, foreign keys, idempotent), CSV, outputs of earlier
contract versions. The concept index: tests/test_corpus.py."""

from __future__ import annotations

import csv
import json
import re
import sqlite3

import pytest

import pipeline
from pipeline.feed.export import export_csv, export_sqlite
from pipeline.models import Handout
from tests.conftest import DATA, OWN_HANDOUTS, ROOT


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("outputs")
    for path in OWN_HANDOUTS:
        handout = pipeline.extract(path)
        (folder / f"{path.stem}.json").write_text(handout.model_dump_json(indent=2), encoding="utf-8")
    (folder / "_run.json").write_text("{}", encoding="utf-8")  # the run report is not a handout
    return folder


def _handouts(folder):
    return [Handout.model_validate_json(p.read_bytes()) for p in sorted(folder.glob("*.json")) if p.name[0] != "_"]


def test_sqlite_counts_and_foreign_keys_match_the_json(outputs, tmp_path):
    db_path = tmp_path / "corpus.db"
    done = export_sqlite([outputs], db_path, checks=True)
    assert done.written == done.total == len(OWN_HANDOUTS) and done.removed == []
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA foreign_keys = ON")
    handouts = _handouts(outputs)
    expected = {
        "documents": len(handouts),
        "sections": sum(len(h.sections) for h in handouts),
        "quotations": sum(len(h.quotes) for h in handouts),
        "quotation_refs": sum(1 for h in handouts for q in h.quotes if q.reference),
        "findings": sum(len(pipeline.check(h)) for h in handouts),
        "handouts_fts": len(handouts),
        "quotations_fts": sum(len(h.quotes) for h in handouts),
        "concepts": sum(len(h.concepts) for h in handouts),
        "concept_mentions": sum(len(c.mentions) for h in handouts for c in h.concepts),
        "entities": sum(len(h.entities) for h in handouts),
    }
    for table, count in expected.items():
        assert db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == count, table
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert expected["quotations"] > 20 and expected["concept_mentions"] > 50 and expected["findings"] > 0
    texts = dict(db.execute("SELECT path, text FROM documents"))
    assert texts == {h.source.path: h.text for h in handouts}, "the whole text of each handout"
    names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "references" not in names and "quotation_refs" in names


def test_no_table_or_column_is_an_sql_keyword(outputs, tmp_path):
    """`sqlite3 corpus.db "select … from <table>"` works without quoting any name."""
    db_path = tmp_path / "corpus.db"
    export_sqlite([outputs], db_path)
    db = sqlite3.connect(db_path)
    tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                           "AND name NOT LIKE '%fts_%' AND name NOT LIKE 'sqlite_%'")]
    assert "quotation_refs" in tables
    for table in tables:
        columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
        db.execute(f"SELECT {', '.join(columns)} FROM {table} LIMIT 1").fetchall()


def test_full_text_search_ignores_accents_and_follows_deletions(outputs, tmp_path):
    db_path = tmp_path / "corpus.db"
    export_sqlite([outputs], db_path)
    db = sqlite3.connect(db_path)
    word = "SELECT COUNT(*) FROM quotations_fts WHERE quotations_fts MATCH ?"
    assert db.execute(word, ("tacheronisation",)).fetchone()[0] >= 1, "'a' finds 'â'"
    assert db.execute(word, ("tâcheronisation",)).fetchone()[0] == db.execute(word, ("tacheronisation",)).fetchone()[0]
    handouts = "SELECT COUNT(*) FROM handouts_fts WHERE handouts_fts MATCH 'microtravail'"
    using = sum(1 for h in _handouts(outputs) if re.search(r"\bmicrotravail\b", h.text, re.I))
    assert db.execute(handouts).fetchone()[0] == using >= 1
    db.execute("PRAGMA foreign_keys = ON")
    with db:
        db.execute("DELETE FROM documents")  # cascades to the quotations; the triggers follow
    assert db.execute(handouts).fetchone()[0] == 0 and db.execute(word, ("tacheronisation",)).fetchone()[0] == 0
    db.execute("INSERT INTO quotations_fts(quotations_fts) VALUES ('integrity-check')")
    db.execute("INSERT INTO handouts_fts(handouts_fts) VALUES ('integrity-check')")


def test_reexport_replaces_instead_of_duplicating(outputs, tmp_path):
    db_path = tmp_path / "corpus.db"
    export_sqlite([outputs], db_path)
    export_sqlite([outputs], db_path)
    export_sqlite([outputs / "casilli-en-attendant-les-robots.json"], db_path)
    db = sqlite3.connect(db_path)
    assert db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == len(OWN_HANDOUTS)
    quotes = sum(len(h.quotes) for h in _handouts(outputs))
    assert db.execute("SELECT COUNT(*) FROM quotations").fetchone()[0] == quotes


def _documented_queries():
    readme = (ROOT / "docs" / "database.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Example queries"):]
    return re.findall(r"```sql\n(.*?)```", section, re.S)


def test_documented_example_queries_run(outputs, tmp_path):
    db_path = tmp_path / "corpus.db"
    export_sqlite([outputs], db_path, checks=True)
    db = sqlite3.connect(db_path)
    queries = _documented_queries()
    assert len(queries) >= 7
    for query in queries:
        assert db.execute(query).fetchall(), f"finds nothing in the project's own handouts:\n{query}"


def test_csv_reopens_cleanly(outputs, tmp_path):
    counts = export_csv([outputs], tmp_path / "csv")
    raw = (tmp_path / "csv" / "quotations.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, for spreadsheets"
    with open(tmp_path / "csv" / "quotations.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == counts["quotations.csv"] == sum(len(h.quotes) for h in _handouts(outputs))
    multiline = [r for r in rows if "\n" in r["text"]]
    assert multiline, "quotations over several paragraphs survive the round trip"
    assert any(r["section"] and r["reference"] for r in rows)
    with open(tmp_path / "csv" / "concept_mentions.csv", encoding="utf-8-sig", newline="") as handle:
        mentions = list(csv.DictReader(handle))
    assert len(mentions) == counts["concept_mentions.csv"]


@pytest.mark.parametrize("version", ["1.2.0", "1.3.0"])
def test_previous_minor_version_outputs_stay_valid(version):
    """Outputs written by earlier minor versions (kept verbatim in tests/data/contract; 1.2.0
    predates `extraction`) still validate: minor versions only add optional fields."""
    old = json.loads((DATA / "contract" / f"casilli-{version}.json").read_text(encoding="utf-8"))
    assert old["schema_version"] == version
    Handout.model_validate(old)


def test_every_output_validates_against_the_committed_schema(outputs):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "schemas" / "handout.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for path in [*sorted((ROOT / "outputs").glob("*.json")), *sorted(outputs.glob("*.json"))]:
        if path.name.startswith("_"):
            continue
        errors = list(validator.iter_errors(json.loads(path.read_text(encoding="utf-8"))))
        assert not errors, f"{path.name}: {errors[0].message}"


def test_the_sqlite3_shell_reads_the_references_without_quoting(outputs, tmp_path):
    import shutil
    import subprocess

    if shutil.which("sqlite3") is None:
        pytest.skip("no sqlite3 shell on this machine")
    db_path = tmp_path / "corpus.db"
    export_sqlite([outputs], db_path)
    shell = subprocess.run(["sqlite3", str(db_path), "select count(*) from quotation_refs where first_page > 0"],
                           capture_output=True, text=True)
    assert shell.returncode == 0 and int(shell.stdout) > 0, shell.stderr
