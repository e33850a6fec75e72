"""tdx export, tdx concepts and tdx show: what users type and see."""

from __future__ import annotations

import json
import sqlite3

import pytest
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


# Hostile and clumsy input (issue 14): every bad file an Error line, the others exported.

FORMULAS = ["=HYPERLINK(\"http://x.example\",\"clic\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(A1:A9)"]


def _handout_json(text: str, source: str) -> dict:
    data = json.loads(pipeline.extract(text, concepts=False, entities=False).model_dump_json())
    data["source"]["path"] = source
    return data


def test_csv_cells_never_run_as_formulas(tmp_path):
    folder = tmp_path / "outputs"
    folder.mkdir()
    text = "# Séance 1\n\n" + "\n\n".join(f"Il écrit : « {f} une phrase assez longue pour une citation » (p. {i})"
                                          for i, f in enumerate(FORMULAS, 3)) + "\n"
    (folder / "td.json").write_text(json.dumps(_handout_json(text, "td.md")), encoding="utf-8")
    result = runner.invoke(app, ["export", str(folder), "--csv", str(tmp_path / "csv"), "--sqlite",
                                 str(tmp_path / "c.db")])
    assert result.exit_code == 0, result.output
    import csv

    with open(tmp_path / "csv" / "quotations.csv", encoding="utf-8-sig", newline="") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    assert len(texts) == len(FORMULAS)
    assert sorted(texts) == sorted(f"'{f} une phrase assez longue pour une citation" for f in FORMULAS)
    stored = {row[0] for row in sqlite3.connect(tmp_path / "c.db").execute("SELECT text FROM quotations")}
    assert stored == {f"{f} une phrase assez longue pour une citation" for f in FORMULAS}, "the database keeps the text"


def _spoil(data: dict, how: str) -> dict:
    data = json.loads(json.dumps(data))
    if how == "duplicate-ids":
        data["sections"].append(dict(data["sections"][0]))
    elif how == "dangling-id":
        data["quotes"][0]["section_id"] = "s99"
    elif how == "absurd-number":
        data["quotes"][0]["page"] = 10 ** 30
    elif how == "future-schema":
        data["schema_version"] = "2.0.0"
    elif how == "newer-minor":
        major, minor, _ = pipeline.SCHEMA_VERSION.split(".")
        data["schema_version"] = f"{major}.{int(minor) + 1}.0"
    elif how == "span-outside":
        data["quotes"][0]["span"] = {"start": 5, "end": len(data["text"]) + 40}
    return data


SPOILS = ["duplicate-ids", "dangling-id", "absurd-number", "future-schema", "newer-minor", "span-outside"]


@pytest.fixture
def mixed(tmp_path):
    """Two good handouts (one named with a leading _), one bad file per way of spoiling one."""
    folder = tmp_path / "outputs"
    folder.mkdir()
    good = _handout_json("# Séance\n\n« Le microtravail est partout dans nos vies, dit-il. » (p. 3)\n", "a.md")
    assert good["quotes"] and good["sections"]
    (folder / "a.json").write_text(json.dumps(good), encoding="utf-8")
    draft = {**good, "source": {**good["source"], "path": "_brouillon.md"}}
    (folder / "_brouillon.json").write_text(json.dumps(draft), encoding="utf-8")
    for how in SPOILS:
        spoiled = _spoil(good, how)
        spoiled["source"]["path"] = f"{how}.md"
        (folder / f"{how}.json").write_text(json.dumps(spoiled), encoding="utf-8")
    (folder / "_run.json").write_text("{}", encoding="utf-8")
    return folder


def test_export_skips_bad_handouts_with_an_error_line_and_exports_the_rest(mixed, tmp_path):
    result = runner.invoke(app, ["export", str(mixed), "--sqlite", str(tmp_path / "c.db"),
                                 "--csv", str(tmp_path / "csv")])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for how in SPOILS:
        assert f"Error: {mixed / how}.json: is not a tdx handout JSON" in result.stderr, how
    assert result.stderr.count("Error:") == len(SPOILS), "each bad file once, though exported twice"
    paths = {row[0] for row in sqlite3.connect(tmp_path / "c.db").execute("SELECT path FROM documents")}
    assert paths == {"a.md", "_brouillon.md"}, "the good handouts, the one named with _ included"
    assert (tmp_path / "csv" / "quotations.csv").read_text(encoding="utf-8-sig").count("_brouillon.md") == 1


def test_concepts_and_show_refuse_bad_handouts(mixed):
    result = runner.invoke(app, ["concepts", str(mixed), "--format", "json"])
    assert result.exit_code == 1 and result.stderr.count("Error:") == len(SPOILS)
    json.loads(result.stdout)
    for how in ("future-schema", "span-outside"):
        shown = runner.invoke(app, ["show", str(mixed / f"{how}.json")])
        assert shown.exit_code == 1 and shown.stderr.startswith("Error: ") and "Traceback" not in shown.output
    assert "newer than" in runner.invoke(app, ["show", str(mixed / "future-schema.json")]).stderr
    folder = runner.invoke(app, ["show", str(mixed)])
    assert folder.exit_code == 1 and "is a folder" in folder.stderr and "Traceback" not in folder.output


def test_two_outputs_of_one_handout_are_counted_once(tmp_path):
    folder = _outputs(tmp_path)
    (folder / "old__casilli.json").write_bytes((folder / "casilli-en-attendant-les-robots.json").read_bytes())
    data = json.loads(runner.invoke(app, ["concepts", str(folder), "--format", "json"]).stdout)
    micro = next(c for c in data if "microtravail" in c["variants"])
    single = json.loads(runner.invoke(app, ["concepts", str(folder / "casilli-en-attendant-les-robots.json"),
                                            "--format", "json"]).stdout)
    assert micro["mention_count"] == next(c for c in single if "microtravail" in c["variants"])["mention_count"]
    result = runner.invoke(app, ["export", str(folder), "--csv", str(tmp_path / "csv")])
    assert result.exit_code == 0 and "Note:" in result.stderr and "counted twice" in result.stderr


@pytest.mark.parametrize("target", ["not-a-db", "folder", "under-a-file"])
def test_a_bad_sqlite_path_is_an_error_line(tmp_path, target):
    folder = _outputs(tmp_path)
    (tmp_path / "not-a-db").write_bytes(b"These are my notes, not a database.\n" * 100)
    (tmp_path / "folder").mkdir()
    path = {"not-a-db": tmp_path / "not-a-db", "folder": tmp_path / "folder",
            "under-a-file": tmp_path / "not-a-db" / "c.db"}[target]
    result = runner.invoke(app, ["export", str(folder), "--sqlite", str(path)])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"Error: {path}: ") and "Traceback" not in result.output
    if target == "not-a-db":
        assert (tmp_path / "not-a-db").read_bytes().startswith(b"These are my notes"), "left as it was"


@pytest.mark.parametrize("target", ["a-file", "under-a-file"])
def test_a_bad_csv_folder_is_an_error_line(tmp_path, target):
    folder = _outputs(tmp_path)
    (tmp_path / "a-file").write_text("mine", encoding="utf-8")
    path = tmp_path / "a-file" if target == "a-file" else tmp_path / "a-file" / "csv"
    result = runner.invoke(app, ["export", str(folder), "--csv", str(path)])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"Error: {path}: ") and "Traceback" not in result.output
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "mine"


def test_show_and_concepts_print_names_escaped(tmp_path):
    folder = tmp_path / "outputs"
    folder.mkdir()
    text = "# Séance\n\nLe concept de microtravail désigne ces tâches. Le microtravail est partout ; " \
        "le microtravail paie peu.\n"
    data = json.loads(pipeline.extract(text).model_dump_json())
    data["source"]["path"] = "td\x1b[2J.md"
    assert data["concepts"], "the concepts table must name the handout"
    (folder / "td.json").write_text(json.dumps(data), encoding="utf-8")
    shown = runner.invoke(app, ["show", str(folder / "td.json")])
    assert shown.exit_code == 0 and "\x1b" not in shown.output and "td\\x1b[2J.md" in shown.output
    index = runner.invoke(app, ["concepts", str(folder)], env={"COLUMNS": "200"})
    assert index.exit_code == 0 and "\x1b" not in index.output and "td\\x1b[2J.md" in index.output
