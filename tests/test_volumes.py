"""Issue 18: a book in several volumes (``pipeline.checks.volumes``): a reference naming its volume
is looked up in that volume, one naming none in all of them, and the finding names the volume."""

from __future__ import annotations

import json

import pytest

import pipeline
from pipeline.checks.book import load_source
from tests.bookgen import BookPage, write_book_txt
from tests.essai import OWN_PAGES, handout

# Two volumes numbered alike from 41: tome I holds the essay's pages 41-43, tome II its pages 44-45.
COMTE = "« Le comté n'est qu'un cadre administratif ; il n'a point d'existence morale » "
COMMUNE = "« La commune est la seule association qui soit si bien dans la nature » "


@pytest.fixture(scope="module")
def volumes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tomes")
    one = write_book_txt(OWN_PAGES[:3], folder / "tome1.txt")
    two = write_book_txt([BookPage(str(41 + k), p.text) for k, p in enumerate(OWN_PAGES[3:])], folder / "tome2.txt")
    return [load_source(one), load_source(two)]


def _only(text, volumes):
    found = [f for f in pipeline.check(handout(text), source=volumes) if f.verdict is not None]
    assert len(found) == 1, [(f.code, f.message) for f in found]
    return found[0]


@pytest.mark.parametrize("reference", ["(t. II, p. 41)", "(vol. 2, p. 41)", "(II, p. 41)", "(tome 2, p. 41)"])
def test_a_reference_naming_its_volume_is_looked_up_there(volumes, reference):
    finding = _only(COMTE + reference, volumes)
    assert (finding.verdict, finding.source_page) == ("verified", "41"), finding.message
    assert finding.message == "found in volume 2 on p. 41, as cited"


def test_the_same_page_of_the_other_volume_is_the_wrong_volume(volumes):
    finding = _only(COMTE + "(t. I, p. 41)", volumes)
    assert finding.verdict == "wrong_page"
    assert finding.message == "found in volume 2 on p. 41, not in the volume cited (t. I, p. 41)"
    assert finding.hint == "Cite volume 2, p. 41."
    assert _only(COMMUNE + "(t. I, p. 41)", volumes).verdict == "verified"
    assert _only(COMMUNE + "(t. II, p. 41)", volumes).verdict == "wrong_page"


def test_a_reference_without_volume_is_looked_up_in_all(volumes):
    assert _only(COMTE + "(p. 41)", volumes).message == "found in volume 2 on p. 41, as cited"
    assert _only(COMMUNE + "(p. 41)", volumes).message == "found in volume 1 on p. 41, as cited"
    moved = _only(COMTE + "(p. 43)", volumes)
    assert moved.verdict == "wrong_page" and moved.hint == "Cite volume 2, p. 41."
    assert "found in volume 2 on p. 41" in moved.message


def test_absent_and_altered_across_volumes(volumes):
    assert _only("« Le comté est une belle invention des légistes de la monarchie » (p. 41)", volumes).verdict \
        == "not_found"
    altered = _only("« Le comté n'est qu'un cadre politique ; il n'a point d'existence morale » (t. II, p. 41)",
                    volumes)
    assert altered.verdict == "altered" and "volume 2" in altered.message


# -- the command: --source once per volume -------------------------------------------------------

def _tomes(folder):
    one = write_book_txt(OWN_PAGES[:3], folder / "tome1.txt")
    two = write_book_txt([BookPage(str(41 + k), p.text) for k, p in enumerate(OWN_PAGES[3:])], folder / "tome2.txt")
    return one, two


def test_source_given_once_per_volume(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from pipeline.cli import app

    monkeypatch.setenv("TDX_CACHE_DIR", str(tmp_path / "cache"))
    one, two = _tomes(tmp_path)
    td = tmp_path / "td.txt"
    td.write_text(handout(COMTE + "(t. II, p. 41)", COMMUNE + "(t. II, p. 41)"), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(td), "--source", str(one), "--source", str(two),
                                      "--format", "json"], env={"COLUMNS": "220"})
    assert result.exit_code == 1, result.output  # the wrong volume is an error
    found = [(f["verdict"], f["message"]) for d in json.loads(result.stdout)["documents"] for f in d["findings"]
             if f["verdict"]]
    assert found == [("verified", "found in volume 2 on p. 41, as cited"),
                     ("wrong_page", "found in volume 1 on p. 41, not in the volume cited (t. II, p. 41)")]


def test_a_volume_that_cannot_be_read_is_an_error_and_the_handout_is_still_checked(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from pipeline.cli import app

    monkeypatch.setenv("TDX_CACHE_DIR", str(tmp_path / "cache"))
    one, _ = _tomes(tmp_path)
    td = tmp_path / "td.txt"
    td.write_text(handout(COMTE + "(t. II, p. 41)"), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(td), "--source", str(one), "--source", str(tmp_path / "t2.pdf"),
                                      "--format", "json"], env={"COLUMNS": "220"})
    assert result.exit_code == 2
    assert "Error: " in result.stderr and "t2.pdf" in result.stderr and "no such source file" in result.stderr
    report = json.loads(result.stdout)
    assert [d["path"] for d in report["documents"]] == [str(td)] and report["source"] is None


def test_each_finding_names_its_volume_as_data(volumes, tmp_path):
    """What a downstream program reads: ``source_volume``, not a number inside a sentence."""
    assert (_only(COMTE + "(t. II, p. 41)", volumes).source_volume, _only(COMMUNE + "(p. 41)", volumes).source_volume) \
        == (2, 1)
    assert _only(COMTE + "(t. I, p. 41)", volumes).source_volume == 2  # where it is, not where it was cited
    assert _only("« Le comté est une belle invention des légistes de la monarchie » (p. 41)",
                 volumes).source_volume is None
    single = load_source(write_book_txt(OWN_PAGES, tmp_path / "essai.txt"))
    assert _only(COMTE + "(p. 44)", [single]).source_volume is None  # a book in one volume has none


def test_export_and_report_take_the_volumes_too(tmp_path, monkeypatch):
    import sqlite3

    from typer.testing import CliRunner

    from pipeline.cli import app

    monkeypatch.setenv("TDX_CACHE_DIR", str(tmp_path / "cache"))
    one, two = _tomes(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "td.txt").write_text(handout(COMTE + "(t. I, p. 41)", COMMUNE + "(p. 41)"), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["extract", str(tmp_path / "in"), "-o", str(tmp_path / "out")]).exit_code == 0
    # A database of tdx's schema 2.0, before findings.source_volume: the export adds the column.
    db_path = tmp_path / "c.db"
    assert runner.invoke(app, ["export", str(tmp_path / "out"), "--sqlite", str(db_path)]).exit_code == 0
    with sqlite3.connect(db_path) as db:
        db.execute("ALTER TABLE findings DROP COLUMN source_volume")
    volumes = ["--source", str(one), "--source", str(two)]
    result = runner.invoke(app, ["export", str(tmp_path / "out"), "--sqlite", str(db_path), *volumes])
    assert result.exit_code == 0, result.output
    db = sqlite3.connect(db_path)
    assert db.execute("SELECT verdict, source_page, source_volume FROM findings WHERE verdict IS NOT NULL "
                      "ORDER BY start").fetchall() == [("wrong_page", "41", 2), ("verified", "41", 1)]
    assert db.execute("SELECT checked_against FROM documents").fetchone() == (f"{one}; {two}",)
    result = runner.invoke(app, ["report", str(tmp_path / "out"), "-o", str(tmp_path / "rapport"), *volumes])
    assert result.exit_code == 0, result.output
    page = next((tmp_path / "rapport").glob("*td*.html")).read_text(encoding="utf-8")
    assert "tome1.txt + tome2.txt" in page and "Page juste : t. 2, p. 41" in page


def test_the_check_report_lists_every_volume(tmp_path, monkeypatch):
    """Schema 1.8: the report's ``volumes`` names both books, ``source`` stays the first (a 1.7 reader
    reads it as before); the table's and concise summary line name both volumes."""
    from typer.testing import CliRunner

    from pipeline.cli import app

    monkeypatch.setenv("TDX_CACHE_DIR", str(tmp_path / "cache"))
    one, two = _tomes(tmp_path)
    td = tmp_path / "td.txt"
    td.write_text(handout(COMTE + "(t. II, p. 41)"), encoding="utf-8")
    args = ["check", str(td), "--source", str(one), "--source", str(two)]
    result = CliRunner().invoke(app, [*args, "--format", "json"], env={"COLUMNS": "220"})
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["schema_version"] == "1.8.0"
    assert [(v["path"], v["pages"], v["numbering"]) for v in report["volumes"]] == [(str(one), 3, "printed"),
                                                                                    (str(two), 2, "printed")]
    assert report["volumes"][0]["sha256"] != report["volumes"][1]["sha256"]
    assert report["source"] == report["volumes"][0]
    for output in ("concise", "table"):
        result = CliRunner().invoke(app, [*args, "--format", output], env={"COLUMNS": "220"})
        assert result.exit_code == 0, result.output
        assert f"1 citation checked against 2 volumes ({one}, {two}): 1 verified" in " ".join(result.stdout.split())


def test_one_source_is_one_volume(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from pipeline.cli import app

    monkeypatch.setenv("TDX_CACHE_DIR", str(tmp_path / "cache"))
    one, _ = _tomes(tmp_path)
    td = tmp_path / "td.txt"
    td.write_text(handout(COMMUNE + "(p. 41)"), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(td), "--source", str(one), "--format", "json"])
    report = json.loads(result.stdout)
    assert [v["path"] for v in report["volumes"]] == [str(one)] and report["source"]["path"] == str(one)
    result = CliRunner().invoke(app, ["check", str(td), "--source", str(one), "--format", "concise"])
    assert f"checked against {one}: 1 verified" in " ".join(result.stdout.split())


def test_a_sentence_alike_in_the_volume_cited_does_not_hide_the_passage_in_the_other(tmp_path):
    """From the benchmark: tome I had a sentence sharing most of the quotation's words, tome II the
    quotation itself; the verdict was "altered" in tome I. Where the words are is tome II."""
    filler = "Suite du chapitre, sans rapport avec la citation. " * 6
    one = write_book_txt([BookPage("41", "Les juges du comté prononcent l'amende contre les officiers qui négligent "
                                         "leurs devoirs envers les habitants du village entier. " + filler),
                          BookPage("42", filler)], tmp_path / "t1.txt")
    two = write_book_txt([BookPage("41", "Les juges du comté prononcent l'amende contre les magistrats qui négligent "
                                         "leurs devoirs envers le peuple de la province entière. " + filler),
                          BookPage("42", filler)], tmp_path / "t2.txt")
    quote = ("« Les juges du comté prononcent l'amende contre les magistrats qui négligent leurs devoirs envers le "
             "peuple de la province entière » ")
    books = [load_source(one), load_source(two)]
    moved = _only(quote + "(t. I, p. 41)", books)
    assert (moved.verdict, moved.source_volume) == ("wrong_page", 2), moved.message
    assert moved.hint == "Cite volume 2, p. 41."
    assert _only(quote + "(p. 41)", books).verdict == "verified"  # no volume named: where the words are
