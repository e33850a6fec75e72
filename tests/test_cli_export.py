"""tdx export, tdx concepts and tdx show: what users type and see."""

from __future__ import annotations

import json
import sqlite3

import pytest
from typer.testing import CliRunner

import pipeline
from pipeline.cli import app
from pipeline.feed.database import DATABASE_SCHEMA
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


# The database, as people query it (issue 15): it follows the folder, keeps its version, and holds
# the findings of tdx check.

def test_a_handout_whose_json_is_gone_is_gone_from_the_database(tmp_path):
    folder = _outputs(tmp_path)
    db_path = tmp_path / "c.db"
    assert runner.invoke(app, ["export", str(folder), "--sqlite", str(db_path)]).exit_code == 0
    (folder / "fiche-markdown-bourdieu.json").unlink()
    result = runner.invoke(app, ["export", str(folder), "--sqlite", str(db_path)])
    assert result.exit_code == 0, result.output
    db = sqlite3.connect(db_path)
    paths = [row[0] for row in db.execute("SELECT path FROM documents")]
    assert len(paths) == 1 and paths[0].endswith("casilli-en-attendant-les-robots.txt"), paths
    assert db.execute("SELECT COUNT(*) FROM quotations WHERE document_id NOT IN (SELECT id FROM documents)"
                      ).fetchone()[0] == 0
    assert "fiche-markdown-bourdieu" in result.stdout and "its JSON is gone" in result.stdout
    assert "1 handout(s) exported to" in result.stdout and "1 removed; it holds 1 handout(s)" in result.stdout


def test_exporting_one_file_or_another_folder_removes_nothing_else(tmp_path):
    folder = _outputs(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    (folder / "fiche-markdown-bourdieu.json").rename(other / "bourdieu.json")
    db_path = tmp_path / "c.db"
    runner.invoke(app, ["export", str(folder), str(other), "--sqlite", str(db_path)])
    result = runner.invoke(app, ["export", str(folder / "casilli-en-attendant-les-robots.json"), "--sqlite",
                                 str(db_path)])
    assert result.exit_code == 0 and "1 handout(s) exported" in result.stdout and "it holds 2" in result.stdout
    result = runner.invoke(app, ["export", str(folder), "--sqlite", str(db_path)])
    assert "removed" not in result.stdout and "it holds 2 handout(s)" in result.stdout


def test_the_count_printed_is_the_count_written(mixed, tmp_path):
    result = runner.invoke(app, ["export", str(mixed), "--sqlite", str(tmp_path / "c.db")])
    db = sqlite3.connect(tmp_path / "c.db")
    written = db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    assert f"{written} handout(s) exported to" in result.stdout and f"it holds {written} handout(s)" in result.stdout


OLD_SCHEMA = """
CREATE TABLE documents (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, json_path TEXT NOT NULL,
    sha256 TEXT NOT NULL, format TEXT NOT NULL);
CREATE TABLE "references" (document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    quotation_id TEXT NOT NULL, raw TEXT NOT NULL);
CREATE INDEX references_by_page ON "references"(raw);
INSERT INTO documents VALUES (1, 'gone.md', 'outputs/gone.json', 'x', 'markdown');
INSERT INTO "references" VALUES (1, 'q1', 'p. 3');
CREATE TABLE my_notes (note TEXT);
INSERT INTO my_notes VALUES ('mine');
"""


def test_a_database_of_an_older_tdx_is_rebuilt_and_the_users_tables_kept(tmp_path):
    folder = _outputs(tmp_path)
    db_path = tmp_path / "c.db"
    old = sqlite3.connect(db_path)
    old.executescript(OLD_SCHEMA)
    old.close()
    result = runner.invoke(app, ["export", str(folder), "--sqlite", str(db_path)])
    assert result.exit_code == 0, result.output
    assert "Note:" in result.stderr and "database schema 1 of an older tdx: rebuilt" in result.stderr
    db = sqlite3.connect(db_path)
    names = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert "references" not in names and "references_by_page" not in names and "quotation_refs" in names
    assert db.execute("SELECT note FROM my_notes").fetchall() == [("mine",)], "the user's own table is left alone"
    assert db.execute("PRAGMA user_version").fetchone()[0] == 2
    assert dict(db.execute("SELECT key, value FROM tdx_meta"))["database_schema"] == DATABASE_SCHEMA
    assert {row[0] for row in db.execute("SELECT path FROM documents")} == {
        json.loads((folder / name).read_text(encoding="utf-8"))["source"]["path"]
        for name in ("casilli-en-attendant-les-robots.json", "fiche-markdown-bourdieu.json")}
    again = runner.invoke(app, ["export", str(folder), "--sqlite", str(db_path)])
    assert again.exit_code == 0 and "Note:" not in again.stderr, "rebuilt once"


def test_a_database_of_a_newer_tdx_is_refused_and_left_alone(tmp_path):
    folder = _outputs(tmp_path)
    db_path = tmp_path / "c.db"
    newer = sqlite3.connect(db_path)
    newer.executescript("CREATE TABLE documents (id INTEGER PRIMARY KEY, sha256 TEXT); PRAGMA user_version = 3;")
    newer.close()
    result = runner.invoke(app, ["export", str(folder), "--sqlite", str(db_path)])
    assert result.exit_code == 1 and result.stderr.startswith(f"Error: {db_path}: was written by a newer tdx")
    assert sqlite3.connect(db_path).execute("PRAGMA user_version").fetchone()[0] == 3


def test_findings_and_verdicts_go_to_the_database(tmp_path):
    from tests.essai import book_txt
    from tests.test_cli_check import HEAD

    book = book_txt(tmp_path / "essai.txt")
    text = HEAD + "\n\n".join([
        "« Le comté n'est qu'un cadre administratif ; il n'a point d'existence morale » (p. 44)",
        "« Les fonctionnaires communaux ne reçoivent presque aucun salaire » (p. 41)",
        "« Ils tirent leur autorité de l'estime de leurs voisins plutôt que de la crainte qu'ils inspirent. »",
    ])
    folder = tmp_path / "outputs"
    folder.mkdir()
    (folder / "td.json").write_text(json.dumps(_handout_json(text, "td.txt")), encoding="utf-8")
    db_path = tmp_path / "c.db"
    plain = runner.invoke(app, ["export", str(folder), "--sqlite", str(db_path), "--checks"])
    assert plain.exit_code == 0, plain.output
    db = sqlite3.connect(db_path)
    codes = {row[0] for row in db.execute("SELECT code FROM findings")}
    assert "missing_reference" in codes and "wrong_page" not in codes
    assert db.execute("SELECT checked, checked_against FROM documents").fetchone() == (1, None)
    verified = runner.invoke(app, ["export", str(folder), "--sqlite", str(db_path), "--source", str(book)])
    assert verified.exit_code == 0, verified.output
    db = sqlite3.connect(db_path)
    wrong = db.execute("SELECT f.line, f.cited_pages, f.source_page, f.verdict FROM findings f "
                       "WHERE f.code = 'wrong_page'").fetchall()
    assert wrong == [(text[:text.index("(p. 41)")].count("\n") + 1, "41", "43", "wrong_page")]
    assert db.execute("SELECT COUNT(*) FROM findings WHERE verdict = 'verified'").fetchone()[0] >= 1
    assert db.execute("SELECT checked, checked_against FROM documents").fetchone() == (1, str(book))
    without = runner.invoke(app, ["export", str(folder), "--sqlite", str(db_path)])
    assert without.exit_code == 0
    assert sqlite3.connect(db_path).execute("SELECT COUNT(*), MAX(d.checked) FROM findings, documents d"
                                            ).fetchone()[0] == 0, "a plain re-export holds no stale findings"


def test_checks_need_a_database_and_a_readable_book(tmp_path):
    folder = _outputs(tmp_path)
    result = runner.invoke(app, ["export", str(folder), "--csv", str(tmp_path / "csv"), "--checks"])
    assert result.exit_code == 2 and "give --sqlite DB" in result.stderr
    result = runner.invoke(app, ["export", str(folder), "--sqlite", str(tmp_path / "c.db"), "--source",
                                 str(tmp_path / "absent.pdf")])
    assert result.exit_code == 2 and result.stderr.startswith("Error: ") and "Traceback" not in result.output
    assert not (tmp_path / "c.db").exists()


def test_the_csv_of_quotations_names_the_presenter(tmp_path):
    import csv

    folder = _outputs(tmp_path)
    assert runner.invoke(app, ["export", str(folder), "--csv", str(tmp_path / "csv")]).exit_code == 0
    with open(tmp_path / "csv" / "quotations.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    presenters = {r["document"].rsplit("/", 1)[-1]: r["presenter"] for r in rows}
    assert presenters["casilli-en-attendant-les-robots.txt"] == "Cyprien Vanhuyse"


# tdx show on the handout itself, at 80 columns (issue 15).

NOTES = ("# Séance 1\n\nSociologie politique\n\n"
         "« Le comté n'est qu'un cadre administratif ; il n'a point d'existence morale. » (p. 44)\n\n"
         "« Les fonctionnaires communaux ne reçoivent presque aucun salaire » (p.43)\n\n"
         "« On apprend à obéir en commandant soi-même … » (page 42)\n\n"
         "« Ils tirent leur autorité de l'estime de leurs voisins plutôt que de la crainte qu'ils inspirent, "
         "et cela depuis toujours dans la commune. »\n")


def test_show_extracts_a_handout_file_in_memory(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text(NOTES, encoding="utf-8")
    result = runner.invoke(app, ["show", str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Quotations (4)" in result.output and "Le comté n'est qu'un cadre administratif" in result.output
    assert not list(tmp_path.glob("*.json")), "nothing written"
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    bad = runner.invoke(app, ["show", str(tmp_path / "notes.docx")])
    assert bad.exit_code == 1 and bad.stderr.startswith(f"Error: {tmp_path / 'notes.docx'}: ")
    assert "Traceback" not in bad.output


def test_show_at_80_columns_never_splits_a_code(tmp_path):
    import os
    import subprocess
    import sys

    path = tmp_path / "notes.md"
    path.write_text(NOTES, encoding="utf-8")
    codes = {f.code for f in pipeline.check(pipeline.extract(path, concepts=False, entities=False))}
    assert len(codes) >= 3 and max(map(len, codes)) > 20, codes
    result = subprocess.run([sys.executable, "-c", "from pipeline.cli import run; run()", "show", str(path)],
                            capture_output=True, text=True, env={**os.environ, "COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(map(len, lines)) <= 80
    words = {w.strip("│,") for line in lines for w in line.split()}
    for code in codes:
        assert code in words, f"{code} is not printed whole:\n{result.stdout}"


def test_a_book_in_volumes_is_named_in_the_database(tmp_path):
    """``--source`` once per volume: each citation verified in the volume it names, and
    ``checked_against`` naming both volumes, volume 1 first."""
    from tests.bookgen import BookPage, write_book_txt
    from tests.essai import OWN_PAGES
    from tests.test_cli_check import HEAD

    one = write_book_txt(OWN_PAGES[:3], tmp_path / "tome1.txt")
    two = write_book_txt([BookPage(str(41 + k), p.text) for k, p in enumerate(OWN_PAGES[3:])], tmp_path / "tome2.txt")
    text = HEAD + "« Le comté n'est qu'un cadre administratif ; il n'a point d'existence morale » (t. II, p. 41)\n"
    folder = tmp_path / "outputs"
    folder.mkdir()
    (folder / "td.json").write_text(json.dumps(_handout_json(text, "td.txt")), encoding="utf-8")
    db_path = tmp_path / "c.db"
    result = runner.invoke(app, ["export", str(folder), "--sqlite", str(db_path), "--source", str(one),
                                 "--source", str(two)])
    assert result.exit_code == 0, result.output
    db = sqlite3.connect(db_path)
    assert db.execute("SELECT checked, checked_against FROM documents").fetchone() == (1, f"{one}; {two}")
    assert db.execute("SELECT verdict, source_page FROM findings WHERE verdict IS NOT NULL").fetchall() == [
        ("verified", "41")]
