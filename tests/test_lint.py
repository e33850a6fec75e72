"""``tdx check`` as a linter, in the library (``pipeline.checks.lint``, ``which_book``): which rules
run, the config found upward from the handouts, findings silenced in the handout, which book a
handout cites, and a handout that cites no page at all."""

from __future__ import annotations

import pytest

import pipeline
from pipeline.checks.lint import Selection, find_config, keep, load_config, silenced_lines
from pipeline.checks.which_book import match_book
from pipeline.errors import ConfigError
from pipeline.models import Book
from pipeline.rules import METADATA_RULES, RULES, explain
from tests.essai import handout

NO_PAGE = "« Ils tirent leur autorité de l'estime de leurs voisins plutôt que de la crainte qu'ils inspirent. »"
OTHER_NO_PAGE = "« Le comté n'est qu'un cadre administratif ; il n'a point d'existence morale. »"


@pytest.mark.parametrize("selection, has, lacks", [
    (Selection(), {"missing_reference", "wrong_page", "sic"}, {"metadata_missing"}),
    (Selection(select=["error"]), {"missing_reference", "wrong_page"}, {"sic", "altered", "metadata_missing"}),
    (Selection(select=["wrong_page", "altered"]), {"wrong_page", "altered"}, {"missing_reference"}),
    (Selection(extend_select=["metadata_missing"]), {"metadata_missing", "sic"}, set()),
    (Selection(ignore=["info", "inconsistent_reference_style"]), {"missing_reference"},
     {"sic", "bare_ellipsis", "inconsistent_reference_style"}),
    (Selection(select=["ALL"], ignore=["warning"]), {"metadata_missing", "sic"}, {"altered"}),
])
def test_selection_by_code_and_severity(selection, has, lacks):
    codes = selection.codes()
    assert has <= codes and not lacks & codes


def test_an_unknown_code_is_an_error():
    with pytest.raises(ConfigError, match="'missing_refrence' is neither a rule code nor a severity"):
        Selection(select=["missing_refrence"]).codes()


def test_config_found_upward_from_the_handouts(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.tdx.check]\nignore = ["info"]\n'
                                             'fail-on = "warning"\nsources = "books"\n', encoding="utf-8")
    deep = tmp_path / "cours" / "td"
    deep.mkdir(parents=True)
    (deep / "td.txt").write_text("x", encoding="utf-8")
    found = find_config([deep / "td.txt"])
    assert found == tmp_path / "pyproject.toml"
    config = load_config(found)
    assert config.fail_on == "warning" and config.sources_dir == tmp_path / "books"
    assert "sic" not in config.selection.codes()
    # A tdx.toml nearer the handouts wins; a pyproject without [tool.tdx.check] is passed over.
    (tmp_path / "cours" / "tdx.toml").write_text('[check]\nselect = ["wrong_page"]\n', encoding="utf-8")
    (deep / "pyproject.toml").write_text('[project]\nname = "other"\n', encoding="utf-8")
    assert find_config([deep]) == tmp_path / "cours" / "tdx.toml"
    assert load_config(tmp_path / "cours" / "tdx.toml").selection.codes() == {"wrong_page"}


@pytest.mark.parametrize("text, message", [
    ("[tool.tdx.check]\nselectt = []\n", "unknown key(s): selectt"),
    ("[tool.tdx.check]\nselect = \"error\"\nignore = [1]\n", "ignore must be a list"),
    ("[tool.tdx.check]\nfail-on = \"fatal\"\n", "fail-on = 'fatal' is not one of"),
    ("[tool.tdx.check\n", "is not valid TOML"),
])
def test_a_bad_config_names_the_file(tmp_path, text, message):
    path = tmp_path / "pyproject.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value).startswith(f"{path}: ") and message in str(err.value)


@pytest.mark.parametrize("text, line, codes", [
    ("<!-- tdx: ignore[bare_ellipsis] -->\n« a... b »", 2, {"bare_ellipsis"}),  # alone: the next line
    ("<!-- tdx: ignore[bare_ellipsis] -->\n« a... b »", 1, {"bare_ellipsis"}),
    ("« a » (p.4) % tdx: ignore inconsistent_reference_style, sic\n", 1, {"inconsistent_reference_style", "sic"}),
    ("% tdx: ignore\n« a »", 2, None),  # no code: every finding of the line
])
def test_silencing_comments(text, line, codes):
    assert silenced_lines(text)[line] == codes


def test_a_silenced_finding_is_left_out_and_only_it():
    text = handout("<!-- tdx: ignore[bare_ellipsis] -->\n« Et pourtant... la commune demeure, quand les régimes "
                   "passent. » (p. 45)", "« Aucune constitution ne saurait... remplacer ces habitudes. » (p. 45)")
    findings = pipeline.check(text)
    assert [f.code for f in findings].count("bare_ellipsis") == 2
    kept = keep(findings, Selection().codes(), text)
    assert [f.code for f in kept].count("bare_ellipsis") == 1
    assert keep(findings, Selection(ignore=["bare_ellipsis"]).codes(), text) == \
        [f for f in findings if f.code != "bare_ellipsis"]


def test_reading_notes_without_pages_get_one_finding():
    findings = pipeline.check(handout(NO_PAGE, OTHER_NO_PAGE))
    assert [f.code for f in findings] == ["no_page_references"]
    assert "no page references in this handout (2 quotations without one)" in findings[0].message
    every = pipeline.check(handout(NO_PAGE, OTHER_NO_PAGE), all_references=True)
    assert [f.code for f in every] == ["missing_reference", "missing_reference"]
    # One page cited is enough for the others to be errors again.
    mixed = pipeline.check(handout(NO_PAGE, OTHER_NO_PAGE[:-1] + " » (p. 44)"))
    assert [f.code for f in mixed] == ["missing_reference"]


@pytest.mark.parametrize("book, front, name, other", [
    (Book(title="Égologie", authors=["Jean Lefort"]), "DE LA\nDÉMOCRATIE\nEN AMÉRIQUE\nPAR\nALEXIS DE TOCQUEVILLE",
     "democratie.txt", True),
    (Book(title="De la démocratie en Amérique", authors=["Alexis de Tocqueville"]),
     "DE LA\nDÉMOCRATIE\nEN AMÉRIQUE\nPAR\nALEXIS DE TOCQUEVILLE", "book.pdf", False),
    (Book(title="De la démocratie en Amérique", authors=["Tocqueville, Alexis de"]), "", "tocqueville-t1.pdf", False),
    (Book(title="Égologie"), "", "egologie.pdf", False),  # the file name says it
    (Book(), "DE LA DÉMOCRATIE", "x.pdf", False),  # a handout naming no book: nothing to compare
])
def test_which_book(book, front, name, other):
    assert match_book(book, front, name).other_book is other


def test_every_rule_explains_itself():
    for code, rule in {**RULES, **METADATA_RULES}.items():
        text = explain(code)
        assert text.startswith(f"{code} ({rule.severity}") and f"How to fix it: {rule.fix}" in text
        assert "Why it matters: " in text and "Example:" in text, code


def test_a_sources_table_names_each_handouts_book(tmp_path):
    (tmp_path / "tdx.toml").write_text('[check.sources]\n"raw/td-toc-*.md" = "books/democratie.pdf"\n'
                                       '"notes-lefort.txt" = "books/essai.txt"\n', encoding="utf-8")
    config = load_config(tmp_path / "tdx.toml")
    assert config.source_for(tmp_path / "raw" / "td-toc-3.md") == tmp_path / "books" / "democratie.pdf"
    assert config.source_for(tmp_path / "elsewhere" / "notes-lefort.txt") == tmp_path / "books" / "essai.txt"
    assert config.source_for(tmp_path / "raw" / "td-other.md") is None


def test_the_wrong_book_by_metadata_unless_the_citations_say_otherwise(tmp_path):
    from pipeline.checks.book import load_source
    from tests.essai import HEAD, book_txt

    source = load_source(book_txt(tmp_path / "essai.txt"))
    quoted = ("« Le comté n'est qu'un cadre administratif ; il n'a point d'existence morale. » (p. 44)\n\n"
              "« On apprend à obéir en commandant soi-même » (p. 42)\n")
    egologie = HEAD.replace("*Essai sur la commune*\n\nJean Lefort", "*Égologie*\n\nPaul Durand")
    assert pipeline.check(egologie + "« La conscience se pose elle-même comme le centre de tout monde possible » "
                          "(p. 12)\n", source=source)[0].code == "wrong_source"
    # The title block names another book, but the quotations are all in this one: not the wrong book.
    assert "wrong_source" not in {f.code for f in pipeline.check(egologie + quoted, source=source)}
    # No book named, most citations not in the source: said first too.
    unknown = ("« La conscience se pose elle-même comme le centre de tout monde possible » (p. 12)\n\n"
               "« Le sujet ne se connaît que dans le miroir des autres sujets qui le regardent » (p. 14)\n\n"
               "« Toute pensée est d'abord une pensée de soi avant d'être une pensée du monde » (p. 15)\n")
    first = pipeline.check("# Notes\n\n" + unknown, source=source)[0]
    assert first.code == "wrong_source" and first.message.startswith("3 of 3 citations are not in the source")
