"""``tdx check``: exit codes, the three output formats, and user mistakes as ``Error:`` lines."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import pipeline
from pipeline.cli import app
from pipeline.models import CheckReport
from tests.conftest import ROOT
from tests.essai import BOOK, book_txt

runner = CliRunner()
HEAD = "Sociologie politique\nExposé de Claire Morel\n\nFiche de lecture : *Essai sur la commune*\n\nJean Lefort\n\n"
CLEAN = HEAD + "« Le comté n'est qu'un cadre administratif ; il n'a point d'existence morale. » (p. 44)\n"
# A warning (p.43 beside p. 44) and nothing worse.
WARNING = CLEAN + "\n« Les fonctionnaires communaux ne reçoivent presque aucun salaire » (p.43)\n\n" \
    "« On apprend à obéir en commandant soi-même » (p. 42)\n"
# An error: a long citation with no reference.
ERROR = CLEAN + "\n« Ils tirent leur autorité de l'estime de leurs voisins plutôt que de la crainte qu'ils inspirent. »\n"


def invoke(*args):
    # A wide terminal, so that table cells are not wrapped in the middle of what tests look for.
    return runner.invoke(app, ["check", *[str(a) for a in args]], env={"COLUMNS": "220"})


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TDX_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def write(tmp_path):
    def make(name: str, text: str):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path
    return make


@pytest.mark.parametrize("text, options, code", [
    (CLEAN, [], 0),
    (WARNING, [], 0),
    (WARNING, ["--fail-on", "warning"], 1),
    (ERROR, [], 1),
    (ERROR, ["--fail-on", "error"], 1),
    # Info findings (a [sic]) only fail a run that asks for it.
    (CLEAN.replace("administratif", "administratif [sic]"), ["--fail-on", "warning"], 0),
    (CLEAN.replace("administratif", "administratif [sic]"), ["--fail-on", "info"], 1),
])
def test_exit_code_follows_fail_on(write, text, options, code):
    result = invoke(write("td.txt", text), *options)
    assert result.exit_code == code, result.output


def test_table_lists_findings_by_severity_with_line_and_quote(write):
    result = invoke(write("td.txt", WARNING + ERROR[len(CLEAN):]), "--fail-on", "info", "--format", "table")
    assert result.exit_code == 1
    out = " ".join(result.stdout.split())
    assert "td.txt" in out and "missing_reference" in out and "inconsistent_reference_style" in out
    assert out.index("missing_reference") < out.index("inconsistent_reference_style"), "errors first"
    assert "l. 10" in out and "l. 14" in out and "«Les fonctionnaires" in out
    assert "1 error, 1 warning, 0 info in 1 handout." in out


def test_clean_handout_says_so(write):
    result = invoke(write("td.txt", CLEAN), "--format", "table")
    assert result.exit_code == 0 and "no problems found" in result.stdout


def test_json_report_is_the_library_result(write):
    path = write("td.txt", ERROR)
    result = invoke(path, "--format", "json")
    assert result.exit_code == 1
    report = CheckReport.model_validate_json(result.stdout)
    assert [d.path for d in report.documents] == [str(path)]
    assert report.documents[0].findings == pipeline.check(path)
    finding = json.loads(result.stdout)["documents"][0]["findings"][0]
    assert {"code", "severity", "message", "hint", "span", "line", "quote_text", "verdict"} <= finding.keys()


def test_github_annotations(write):
    path = write("td.txt", WARNING + ERROR[len(CLEAN):].replace("inspirent.", "inspirent, 100 % [sic]."))
    result = invoke(path, "--format", "github", "--fail-on", "info")
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"::error file={path},line=14,col=1,title=tdx missing_reference::a citation has no page")
    assert any(line.startswith("::warning ") and "inconsistent_reference_style" in line for line in lines)
    assert any(line.startswith("::notice ") and "title=tdx sic" in line for line in lines)
    # Workflow-command escaping: "%" in a message would start an escape sequence.
    assert all("100 % " not in line for line in lines)


def test_github_annotations_escape_the_file_name(write):
    # "," and ":" separate an annotation's properties.
    result = invoke(write("td,v2:final.txt", ERROR), "--format", "github")
    assert "file=" in result.stdout and "td%2Cv2%3Afinal.txt,line=" in result.stdout


def test_verification_through_the_command(write, tmp_path):
    book = book_txt(tmp_path / "essai.txt")
    text = HEAD + "\n\n".join([
        "« Le comté n'est qu'un cadre administratif ; il n'a point d'existence morale » (p. 44)",
        "« Le comté n'est qu'un cadre politique ; il n'a point d'existence morale » (p. 44)",
        "« Les fonctionnaires communaux ne reçoivent presque aucun salaire » (p. 41)",
    ])
    result = invoke(write("td.txt", text), "--source", book)
    assert result.exit_code == 1, result.output  # the wrong page is an error
    out = " ".join(result.stdout.split())
    assert "wrong_page" in out and "altered" in out and "p. 43" in out
    assert f"3 citations checked against {book}: 1 verified, 1 wrong page, 1 altered, 0 not found" in out
    data = CheckReport.model_validate_json(invoke(write("td.txt", text), "--source", book, "--format", "json").stdout)
    assert data.source.numbering == "printed" and data.source.pages == len(BOOK)
    assert [f.verdict for f in data.documents[0].findings if f.verdict] == ["verified", "altered", "wrong_page"]


def test_folder_of_handouts_with_the_book_in_it(tmp_path, write):
    write("notes/a.txt", CLEAN)
    write("notes/b.md", WARNING)
    book_txt(tmp_path / "notes" / "essai.txt")
    result = invoke(tmp_path / "notes", "--source", tmp_path / "notes" / "essai.txt", "--format", "json")
    assert result.exit_code == 0, result.output
    paths = [d["path"] for d in json.loads(result.stdout)["documents"]]
    assert [p.rsplit("/", 1)[-1] for p in paths] == ["a.txt", "b.md"], "the book is not a handout"


def test_extracted_json_is_checked_like_its_handout(tmp_path):
    seed = ROOT / "raw" / "casilli-en-attendant-les-robots.txt"
    extracted = tmp_path / "casilli.json"
    extracted.write_text(pipeline.extract(seed, concepts=False, entities=False).model_dump_json(), encoding="utf-8")
    from_json = CheckReport.model_validate_json(invoke(extracted, "--format", "json").stdout)
    from_text = CheckReport.model_validate_json(invoke(seed, "--format", "json").stdout)
    assert from_json.documents[0].findings == from_text.documents[0].findings


def test_page_offset_note_when_the_pages_carry_numbers(write, tmp_path):
    result = invoke(write("td.txt", CLEAN), "--source", book_txt(tmp_path / "essai.txt"), "--page-offset", "3")
    assert result.exit_code == 0
    assert "--page-offset ignored" in result.stderr


@pytest.mark.parametrize("args, message", [
    (lambda d: [d / "absent.txt"], "no such file"),
    (lambda d: [d / "td.txt", "--source", d / "absent.pdf"], "no such source file"),
    (lambda d: [d / "td.txt", "--source", d / "td.docx"], "unsupported source format"),
    (lambda d: [d / "bad.json"], "not a tdx handout JSON"),
    (lambda d: [d / "empty.md"], "empty"),
], ids=["missing-handout", "missing-source", "source-format", "bad-json", "empty-handout"])
def test_input_errors_exit_2_with_an_error_line(tmp_path, write, args, message):
    write("td.txt", CLEAN)
    write("td.docx", "PK")
    write("bad.json", '{"not": "a handout"}')
    write("empty.md", "\n \n")
    result = invoke(*args(tmp_path))
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert "Traceback" not in result.output


def test_one_bad_handout_does_not_stop_the_others(tmp_path, write):
    good = write("td.txt", ERROR)
    result = invoke(tmp_path / "absent.txt", good, "--format", "json")
    assert result.exit_code == 2
    assert [d["path"] for d in json.loads(result.stdout)["documents"]] == [str(good)]


@pytest.mark.parametrize("option", [["--fail-on", "fatal"], ["--format", "sarif"], ["--book-pages", "0"]])
def test_bad_options_are_usage_errors(write, option):
    result = invoke(write("td.txt", CLEAN), *option)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_help_has_an_example():
    result = invoke("--help")
    assert result.exit_code == 0 and "Example: tdx check" in " ".join(result.output.split())


def test_book_pages_option(write):
    path = write("td.txt", CLEAN)
    assert invoke(path, "--book-pages", "50").exit_code == 0
    result = invoke(path, "--book-pages", "40")
    assert result.exit_code == 1 and "page_beyond_book" in result.stdout



def test_table_prints_brackets_of_the_handout_as_written(write):
    # "[Ils]" would be a style tag to rich's markup, and vanish.
    text = CLEAN + "\n« [Ils] tirent leur autorité de l'estime de leurs voisins plutôt que de la crainte. »\n"
    result = invoke(write("td[1].txt", text))
    assert "«[Ils] tirent" in result.stdout and "td[1].txt" in result.stdout


def test_metadata_reports_the_fields_not_found_only_when_asked(write):
    # A reading note with no title block: quiet by default, one info line per field with --metadata.
    path = write("notes.md", "« Le comté n'est qu'un cadre administratif ; il n'a point d'existence morale. » (p. 44)\n")
    quiet = invoke(path, "--format", "json")
    assert not [f for f in json.loads(quiet.stdout)["documents"][0]["findings"] if f["code"] == "metadata_missing"]
    result = invoke(path, "--metadata", "--format", "json")
    assert result.exit_code == 0, result.output  # info never fails the run by default
    missing = [f for f in json.loads(result.stdout)["documents"][0]["findings"] if f["code"] == "metadata_missing"]
    assert {f["message"].rsplit("(", 1)[1].rstrip(")") for f in missing} == {
        "metadata.course", "metadata.presenter", "metadata.period", "metadata.book.title", "metadata.book.authors"}
    assert all(f["severity"] == "info" and "Cours" in f["hint"] for f in missing)
    # A handout with its title block gets none for the fields it has.
    full = invoke(write("td.txt", CLEAN), "--metadata", "--format", "json")
    found = {f["message"] for f in json.loads(full.stdout)["documents"][0]["findings"] if f["code"] == "metadata_missing"}
    assert not any("course" in m or "presenter" in m or "book.title" in m for m in found), found


def _raw_pdf(*objects: bytes) -> bytes:
    """A PDF written by hand, with a correct cross-reference table, holding whatever it is told."""
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer <</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


CONTENT = b"BT /F1 12 Tf 72 700 Td (Bonjour le monde) Tj ET"
# A page box holding a string: pdfplumber raises its own MalformedPDFException, which was a traceback.
MALFORMED = _raw_pdf(b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
                     b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 (a) 792]/Contents 4 0 R"
                     b"/Resources<</Font<</F1 5 0 R>>>>>>",
                     b"<</Length %d>>stream\n%s\nendstream" % (len(CONTENT), CONTENT),
                     b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>")


def test_a_malformed_pdf_handout_is_an_error_line_and_the_others_are_reported(tmp_path, write):
    (tmp_path / "malformed.pdf").write_bytes(MALFORMED)
    good = write("td.txt", ERROR)
    result = invoke(tmp_path / "malformed.pdf", good, "--format", "json")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"Error: {tmp_path / 'malformed.pdf'}: ") and "Traceback" not in result.output
    assert [d["path"] for d in json.loads(result.stdout)["documents"]] == [str(good)]


@pytest.mark.parametrize("source", [b"", b"%PDF-1.4\n1 0 obj <<", MALFORMED[:200]], ids=["empty", "cut", "truncated"])
def test_a_malformed_source_still_checks_the_handouts(tmp_path, write, source):
    (tmp_path / "book.pdf").write_bytes(source)
    good = write("td.txt", ERROR)
    result = invoke(good, "--source", tmp_path / "book.pdf", "--format", "json")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"Error: {tmp_path / 'book.pdf'}: ") and "without the book" in result.stderr
    report = json.loads(result.stdout)
    assert [d["path"] for d in report["documents"]] == [str(good)] and report["source"] is None
    assert "missing_reference" in {f["code"] for f in report["documents"][0]["findings"]}


@pytest.mark.parametrize("spoil", ["future-schema", "span-outside"])
def test_a_json_that_does_not_hold_together_is_refused(tmp_path, spoil):
    data = json.loads(pipeline.extract(CLEAN, concepts=False, entities=False).model_dump_json())
    if spoil == "future-schema":
        data["schema_version"] = "9.0.0"
    else:
        data["quotes"][0]["span"]["end"] = len(data["text"]) + 1
    (tmp_path / "td.json").write_text(json.dumps(data), encoding="utf-8")
    result = invoke(tmp_path / "td.json")
    assert result.exit_code == 2 and result.stderr.startswith("Error: ") and "Traceback" not in result.output


def test_file_names_are_printed_escaped(tmp_path, write):
    path = write("td\x1b[2J\x1b[31m.txt", ERROR)
    for output_format in ("table", "github"):
        result = invoke(path, "--format", output_format)
        assert "\x1b" not in result.stdout and "td\\x1b[2J\\x1b[31m.txt" in result.stdout
    missing = invoke(tmp_path / "gone\x1b]0;owned\x07.txt")
    assert missing.exit_code == 2 and "\x1b" not in missing.stderr and "gone\\x1b]0;owned\\x07.txt" in missing.stderr


def test_check_reads_the_files_extract_would(tmp_path, write):
    write("cours/a.md", CLEAN)
    write("cours/README.md", ERROR)
    write("cours/old/b.md", ERROR)
    result = invoke(tmp_path / "cours", "--exclude", "old", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [d.path for d in CheckReport.model_validate_json(result.stdout).documents] == [str(tmp_path / "cours" / "a.md")]
    assert "README.md: not read" in result.stderr


# -- issue 15: tdx check as a linter ---------------------------------------------------------------

# Two findings on one line (l. 8): a style warning at the reference, a [sic] inside the quotation.
TWO_ON_A_LINE = HEAD + "« Le comté n'est qu'un cadre administratif [sic] ; il n'a point d'existence morale. » " \
    "(p.44) et « Les fonctionnaires communaux ne reçoivent presque aucun salaire » (p. 43) puis « On apprend " \
    "à obéir en commandant soi-même » (p. 42)\n\n" \
    "« Ils tirent leur autorité de l'estime de leurs voisins plutôt que de la crainte qu'ils inspirent. »\n"
# A made-up book on another subject, which names another title and author on its first page.
_SENTENCES = ["Le navire quitta le port au matin sous un ciel chargé de nuages gris.",
              "Les émigrants qui vinrent s'établir sur les rivages de la Nouvelle-Angleterre appartenaient aux "
              "classes aisées de la mère patrie.",
              "Chaque village élisait ses magistrats et réglait ses propres affaires sans attendre personne.",
              "Les forêts reculaient devant la hache des colons venus du vieux continent.",
              "Le voyageur remarque partout des écoles, des églises et des journaux."]
OTHER_BOOK = ["DE LA DÉMOCRATIE EN AMÉRIQUE\n\npar Alexis de Tocqueville\n\nTome premier"] + [
    f"{_SENTENCES[n - 1]}\n\n{n}" for n in range(1, 6)]


def _tdx(*args, columns=80, cwd=None):
    """The installed command in its own process, its stdout a pipe, at COLUMNS columns."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "COLUMNS": str(columns)}
    return subprocess.run([sys.executable, "-c", "from pipeline.cli import run; run()", "check", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd or ROOT, env=env)


def test_one_finding_per_line_with_line_column_and_quotation(write):
    path = write("td.txt", TWO_ON_A_LINE)
    result = invoke(path, "--fail-on", "info")
    lines = result.stdout.splitlines()
    assert result.exit_code == 1, result.output
    style = next(line for line in lines if "inconsistent_reference_style" in line)
    sic = next(line for line in lines if " sic " in line)
    # Both on line 8, told apart by their columns and by the start of their quotations.
    assert style.startswith(f"{path}:8:") and sic.startswith(f"{path}:8:")
    column = TWO_ON_A_LINE.split("\n")[7].index("[sic]") + 1
    assert sic.startswith(f"{path}:8:{column}: sic [sic]: the quotation keeps")
    assert "«Le comté n'est qu'un cadre adm…»" in sic
    missing = next(line for line in lines if "missing_reference" in line)
    assert missing.startswith(f"{path}:10:1: missing_reference a citation has no page reference «Ils tirent")
    assert lines[-1] == "1 error, 1 warning, 1 info in 1 handout."


def test_a_pdf_handout_line_gives_its_page():
    from pipeline.checks.report import concise_lines
    from pipeline.models import CheckReport, DocumentReport, Finding, Span

    finding = Finding(code="wrong_page", severity="error", message="found on p. 66", hint="Cite (p. 66).",
                      span=Span(start=5, end=9), line=2, page=3, quote_text="Le comté")
    report = CheckReport(tool_version="x", documents=[DocumentReport(path="cours.pdf", findings=[finding])])
    assert concise_lines(report, ["abc\nde le comté"]) == ["cours.pdf:p.3: wrong_page found on p. 66 «Le comté»"]


def test_at_80_columns_lines_by_default_and_a_table_that_cuts_no_word(write):
    path = write("td.txt", TWO_ON_A_LINE)
    concise = _tdx(path, "--fail-on", "info")
    assert concise.returncode == 1, concise.stderr
    assert concise.stdout.splitlines()[0].startswith(f"{path}:8:")
    table = _tdx(path, "--format", "table")
    lines = table.stdout.splitlines()
    assert table.returncode == 1 and "Traceback" not in table.stderr
    body = [line for line in lines if line[:1] in "┏┃┡│├└"]
    assert body and all(len(line) <= 80 for line in lines)
    # Every border drawn whole: each row closes with its right border.
    assert all(line.rstrip()[-1] in "┓┃┩│┤┘" for line in body), "\n".join(body)
    cells = " ".join(line.strip("│┃ ") for line in body)
    assert "inconsistent_reference_style" in cells and "missing_reference" in cells  # codes whole
    assert cells.count("l. 8:") == 2  # two findings of line 8, told apart by their columns


def test_select_ignore_and_statistics(write):
    path = write("td.txt", TWO_ON_A_LINE)
    only_errors = invoke(path, "--select", "error")
    assert only_errors.exit_code == 1 and [line.split(": ")[1].split()[0] for line in
                                           only_errors.stdout.splitlines()[:-1]] == ["missing_reference"]
    ignored = invoke(path, "--ignore", "missing_reference,info", "--fail-on", "info")
    assert ignored.exit_code == 1 and "missing_reference" not in ignored.stdout and " sic " not in ignored.stdout
    assert "inconsistent_reference_style" in ignored.stdout
    stats = invoke(path, "--statistics")
    assert stats.stdout.splitlines()[:3] == ["1  error    missing_reference",
                                             "1  warning  inconsistent_reference_style", "1  info     sic"]
    bad = invoke(path, "--select", "missing_refs")
    assert bad.exit_code == 2 and bad.stderr.startswith("Error: 'missing_refs' is neither a rule code")


def test_metadata_missing_is_a_rule_off_by_default(write):
    path = write("notes.md", "# Notes\n\n« Le comté n'est qu'un cadre administratif. » (p. 44)\n")
    assert "metadata_missing" not in invoke(path, "--fail-on", "info").stdout
    selected = invoke(path, "--extend-select", "metadata_missing", "--fail-on", "info")
    assert selected.exit_code == 1 and "metadata_missing" in selected.stdout
    assert invoke(path, "--metadata").stdout == selected.stdout


def test_config_in_pyproject_is_read_and_options_win(tmp_path, write):
    path = write("cours/td.txt", TWO_ON_A_LINE)
    (tmp_path / "pyproject.toml").write_text('[tool.tdx.check]\nignore = ["missing_reference"]\n'
                                             'fail-on = "warning"\n', encoding="utf-8")
    result = invoke(path)
    assert result.exit_code == 1 and "missing_reference" not in result.stdout  # a warning fails the run
    assert invoke(path, "--fail-on", "error").exit_code == 0
    (tmp_path / "pyproject.toml").write_text('[tool.tdx.check]\nignore = "x"\n', encoding="utf-8")
    bad = invoke(path)
    assert bad.exit_code == 2 and bad.stderr.startswith(f"Error: {tmp_path / 'pyproject.toml'}: ")


def test_a_comment_in_the_handout_silences_one_finding(write):
    text = TWO_ON_A_LINE.replace("(p. 42)\n", "(p. 42) % tdx: ignore[sic]\n")
    result = invoke(write("td.txt", text), "--fail-on", "info")
    assert " sic " not in result.stdout and "inconsistent_reference_style" in result.stdout


def test_tdx_rule_explains_a_code():
    result = runner.invoke(app, ["rule", "wrong_page"])
    assert result.exit_code == 0 and result.stdout.startswith("wrong_page (error)")
    assert "Why it matters:" in result.stdout and "Example:" in result.stdout and "(p. 44)" in result.stdout
    assert runner.invoke(app, ["check", "--explain", "wrong_page"]).stdout == result.stdout
    nothing = runner.invoke(app, ["check"])
    assert nothing.exit_code == 2 and nothing.stderr.startswith("Error: no handout given.")
    listed = runner.invoke(app, ["rule", "--list"]).stdout
    assert "metadata_missing" in listed and "off by default" in listed and "no_page_references" in listed
    unknown = runner.invoke(app, ["rule", "wrong_pages"])
    assert unknown.exit_code == 2 and unknown.stderr.startswith("Error: no rule 'wrong_pages'")


def test_reading_notes_without_pages_say_it_once(write):
    path = write("notes.md", "# Notes\n\n« Ils tirent leur autorité de l'estime de leurs voisins plutôt que de la "
                 "crainte qu'ils inspirent. »\n\n« Le comté n'est qu'un cadre administratif ; il n'a point "
                 "d'existence morale. »\n")
    result = invoke(path)
    assert result.exit_code == 0 and result.stdout.splitlines()[0] == \
        f"{path}:1:1: no_page_references no page references in this handout (2 quotations without one)"
    every = invoke(path, "--all-references")
    assert every.exit_code == 1 and every.stdout.count("missing_reference") == 2


def test_the_wrong_book_is_said_first(tmp_path, write):
    path = write("td.txt", WARNING)
    other = tmp_path / "democratie.txt"
    other.write_text("\f".join(OTHER_BOOK), encoding="utf-8")
    result = invoke(path, "--source", other)
    first = result.stdout.splitlines()[0]
    assert first == (f"{path}:1:1: wrong_source this handout cites *Essai sur la commune* (Jean Lefort), but the "
                     "source (democratie.txt) names neither its title nor its author")
    assert result.exit_code == 1
    # The right book: no such finding.
    right = invoke(path, "--source", book_txt(tmp_path / "essai.txt"))
    assert "wrong_source" not in right.stdout


def test_sources_dir_matches_each_handout_to_its_book(tmp_path, write):
    books = tmp_path / "books"
    books.mkdir()
    (books / "democratie.txt").write_text("\f".join(OTHER_BOOK), encoding="utf-8")
    book_txt(books / "lefort-commune.txt")
    essai = write("td.txt", WARNING.replace("(p.43)", "(p. 44)"))
    toc = write("toc.txt", "Cours de science politique\nExposé de Paul Martin\n\nFiche de lecture : *De la démocratie "
                "en Amérique*\n\nAlexis de Tocqueville\n\n« Les émigrants qui vinrent s'établir sur les rivages de "
                "la Nouvelle-Angleterre appartenaient aux classes aisées de la mère patrie » (p. 2)\n")
    result = invoke(essai, toc, "--sources", books, "--format", "json")
    report = CheckReport.model_validate_json(result.stdout)
    verdicts = {d.path: [(f.code, f.source_page) for f in d.findings if f.verdict] for d in report.documents}
    assert verdicts[str(essai)] == [("verified", "44"), ("wrong_page", "43"), ("verified", "42")]
    assert verdicts[str(toc)] == [("verified", "2")]
    assert not any(f.code == "wrong_source" for d in report.documents for f in d.findings)
    summary = invoke(essai, toc, "--sources", books).stdout.splitlines()[-1]
    assert "4 citations checked against their books: 3 verified, 1 wrong page" in summary


def test_a_source_without_page_breaks_is_never_counted_verified(tmp_path, write):
    path = write("td.txt", CLEAN.replace("(p. 44)", "(p. 412)"))
    result = invoke(path, "--source", book_txt(tmp_path / "essai.txt", numbers=False, form_feeds=False),
                    "--book-pages", "500")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].endswith("1 citation checked against " + str(tmp_path / "essai.txt") +
                                                   ": 0 verified, 0 wrong page, 0 altered, 0 not found, "
                                                   "1 found on pages unknown.")
    assert "found_page_unknown found in the source, whose pages are unknown" in result.stdout
    assert "Note: " in result.stderr and "[[PAGE N]]" in result.stderr


def test_a_bad_book_in_sources_costs_that_book_only(tmp_path, write):
    folder, books = tmp_path / "cours", tmp_path / "cours" / "livres"
    books.mkdir(parents=True)
    book_txt(books / "essai.txt")
    (books / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    essai = write("cours/td.txt", WARNING.replace("(p.43)", "(p. 44)"))
    result = invoke(folder, "--sources", books, "--format", "json")
    assert result.exit_code == 2 and result.stderr.startswith(f"Error: {books / 'broken.pdf'}: ")
    report = CheckReport.model_validate_json(result.stdout)
    # The books lying among the handouts are not taken for handouts; the handout still has its book.
    assert [d.path for d in report.documents] == [str(essai)]
    assert [f.verdict for f in report.documents[0].findings if f.verdict] == ["verified", "wrong_page", "verified"]


@pytest.mark.parametrize("tty, columns, expected", [(False, 200, "concise"), (True, 80, "concise"),
                                                    (True, 120, "table")])
def test_the_default_format_follows_the_terminal(monkeypatch, tty, columns, expected):
    import os
    import shutil

    from pipeline.cli.check import _check_format

    monkeypatch.setattr("sys.stdout.isatty", lambda: tty)
    monkeypatch.setattr(shutil, "get_terminal_size", lambda *a: os.terminal_size((columns, 24)))
    assert _check_format(None, None).value == expected
    assert _check_format(None, "json").value == "json"


@pytest.mark.parametrize("limit", ["inf", "0"])
def test_check_takes_no_time_limit_as_extract_does(write, limit):
    # "inf" overflowed the timer ("timestamp out of range") and cost every handout.
    result = invoke(write("td.txt", CLEAN), "--timeout", limit, "--format", "json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["documents"]) == 1
