"""tdx export, tdx concepts and tdx show: what users type and see."""

from __future__ import annotations

import json
import sqlite3

from typer.testing import CliRunner

import pipeline
from pipeline.cli import app
from tests.conftest import DATA, ROOT

runner = CliRunner()


def _outputs(tmp_path):
    folder = tmp_path / "outputs"
    folder.mkdir()
    for path in (ROOT / "raw" / "casilli-en-attendant-les-robots.txt", DATA / "fiche-markdown-bourdieu.md"):
        (folder / f"{path.stem}.json").write_text(pipeline.extract(path).model_dump_json(), encoding="utf-8")
    return folder


def test_export_sqlite_and_csv(tmp_path):
    folder = _outputs(tmp_path)
    result = runner.invoke(app, ["export", str(folder), "--sqlite", str(tmp_path / "c.db"), "--csv", str(tmp_path / "csv")])
    assert result.exit_code == 0, result.output
    assert sqlite3.connect(tmp_path / "c.db").execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 2
    assert (tmp_path / "csv" / "quotations.csv").exists() and (tmp_path / "csv" / "concept_mentions.csv").exists()


def test_export_errors(tmp_path):
    assert runner.invoke(app, ["export", str(tmp_path)]).exit_code == 2  # no target
    empty = runner.invoke(app, ["export", str(tmp_path), "--sqlite", str(tmp_path / "c.db")])
    assert empty.exit_code == 1 and "Error:" in empty.output and "tdx extract" in empty.output
    (tmp_path / "x.json").write_text('{"not": "a handout"}', encoding="utf-8")
    bad = runner.invoke(app, ["export", str(tmp_path / "x.json"), "--sqlite", str(tmp_path / "c.db")])
    assert bad.exit_code == 1 and "not a tdx handout" in bad.output and "Traceback" not in bad.output


def test_concepts_table_and_json(tmp_path):
    folder = _outputs(tmp_path)
    table = runner.invoke(app, ["concepts", str(folder), "--top", "5"])
    assert table.exit_code == 0 and "concept" in table.output
    data = json.loads(runner.invoke(app, ["concepts", str(folder), "--format", "json"]).output)
    micro = next(c for c in data if "microtravail" in c["variants"])
    assert micro["mention_count"] >= 5 and micro["handout_count"] == 1


def test_show_summarises_a_handout(tmp_path):
    folder = _outputs(tmp_path)
    result = runner.invoke(app, ["show", str(folder / "casilli-en-attendant-les-robots.json")])
    assert result.exit_code == 0, result.output
    for expected in ("En attendant les robots", "Sections", "Chapitre 4 : Le microtravail", "Quotations",
                     "p. 119", "Top concepts", "microtravail"):
        assert expected in result.output, expected
    missing = runner.invoke(app, ["show", str(tmp_path / "nope.json")])
    assert missing.exit_code == 1 and "Error:" in missing.output
