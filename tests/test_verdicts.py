"""Verification of quotations against the book (``pipeline.checks.verdicts``): verified, wrong_page,
altered, not_found, with the page the book prints and the fix in the handout's style.

Always-on tests use the small book of ``tests/essai.py``, as text with form feeds and as a PDF.
The tests marked ``shared`` print pages of Tocqueville's *De la démocratie en Amérique*
(``../shared/sources``) the way a scanned book looks.
"""

from __future__ import annotations

import json

import pytest

import pipeline
from tests.bookgen import BookPage, book_pages, read_paged, render_book, write_book_txt
from pipeline.checks.book import load_source
from tests.essai import _private_cache, source  # noqa: F401 (fixtures)
from tests.essai import OWN_PAGES, book_txt, handout, only, verdicts


@pytest.mark.parametrize("quote, verdict, pages", [
    # Typographic apostrophes and a capital the book does not have change nothing.
    ("« Dans les villages que j’ai visités, chaque habitant connaît le nom du magistrat » (p. 41)",
     "verified", ["41"]),
    ("« Dans les villages que j'ai visités, chaque habitant connaît le nom du magistrat » (p. 44)",
     "wrong_page", ["41"]),
    # "adminis-\ntration" at a line end and the footnote call "méprisable[1]" in the source.
    ("« Cette proximité rend l'administration familière sans la rendre méprisable » (p. 41)", "verified", ["41"]),
    # Over the page break 42 -> 43: citing the page it starts on is right, and so is the range.
    ("« la rancune d'un meunier peut retarder pendant dix ans la construction d'un pont dont tout le monde "
     "reconnaît pourtant l'utilité » (p. 42)", "verified", ["42", "43"]),
    ("« la rancune d'un meunier peut retarder pendant dix ans la construction d'un pont dont tout le monde "
     "reconnaît pourtant l'utilité » (pp. 42-43)", "verified", ["42", "43"]),
    ("« la construction d'un pont dont tout le monde reconnaît pourtant l'utilité » (p. 43)", "verified",
     ["42", "43"]),
    # A cut with [...]: each piece is found, in order, close together.
    ("« On apprend à obéir en commandant soi-même [...] le paysan qui a siégé une année au conseil ne parle plus "
     "des affaires publiques » (p. 42)", "verified", ["42"]),
    # Words in brackets stand for the author's ("Elle").
    ("« [La commune] précède les lois qui la reconnaissent, et les lois ne font guère que la régler » (p. 41)",
     "verified", ["41"]),
    # The author's own suspension points.
    ("« Et pourtant... la commune demeure, quand les régimes passent. » (p. 45)", "verified", ["45"]),
    ("« Le comté n'est qu'un cadre politique ; il n'a point d'existence morale. » (p. 44)", "altered", ["44"]),
    ("« Les licornes bleues dansent sur la place du village chaque mardi soir. » (p. 43)", "not_found", []),
])
def test_verdicts(source, quote, verdict, pages):
    finding = only(handout(quote), source)
    assert (finding.verdict, finding.source_pages) == (verdict, pages), finding.message
    assert finding.code == verdict
    assert finding.severity == {"verified": "info", "wrong_page": "error", "altered": "warning",
                                "not_found": "error"}[verdict]


def test_wrong_page_says_the_page_and_the_fix_in_the_handouts_style(source):
    finding = only(handout("« chaque habitant connaît le nom du magistrat qui répartit l'impôt » (p.44)"), source)
    assert finding.verdict == "wrong_page"
    assert finding.source_page == "41" and finding.cited_pages == [44]
    assert "p. 41" in finding.message and "(p.41)" in finding.hint
    assert finding.score == 100


@pytest.mark.parametrize("quote, quoted, in_book", [
    ("« Le comté n'est qu'un cadre politique ; il n'a point d'existence morale. » (p. 44)", "politique",
     "administratif"),
    # A word left out without [...].
    ("« Les fonctionnaires communaux ne reçoivent aucun salaire » (p. 43)", "", "presque"),
    # A word added.
    ("« Le temps finit par user toutes ces résistances » (p. 43)", "toutes", ""),
    # A typing slip is a changed word too.
    ("« Les querelles de voisinage y deviennent aisément des affaires d'Éta » (p. 42)", "Éta", "État"),
])
def test_altered_shows_the_differing_words(source, quote, quoted, in_book):
    text = handout(quote)
    finding = only(text, source)
    assert finding.verdict == "altered", finding.message
    assert [(c.quoted, c.source) for c in finding.diff] == [(quoted, in_book)]
    change = finding.diff[0]
    if change.span is not None:
        assert pipeline.extract(text, concepts=False, entities=False).text[change.span.start:change.span.end] == quoted
    assert 50 < finding.score < 100


def test_ibid_repeats_the_page_before_it_and_other_works_are_not_checked(source):
    text = handout(
        "« Lorsque le législateur veut contraindre une commune récalcitrante » (p. 44)",
        "« il la cite devant un tribunal, et c'est un juge qui prononce l'amende » (ibid.)",
        # Another author's work: the book says nothing about it, and nor about the ibid. after it.
        "« Une lecture toujours actuelle des institutions locales du pays » (Loyer 1999: 9-10)",
        "« La décentralisation reste un horizon plus qu'une pratique » (ibid., p. 12)",
        # Under five words: too short to place in a book.
        "« la première école » (p. 41)",
    )
    found = verdicts(text, source)
    assert [(f.verdict, f.cited_pages) for f in found] == [("verified", [44]), ("verified", [44])]


def test_citation_without_page_gets_the_page_from_the_book(source):
    findings = pipeline.check(handout("« Ils tirent leur autorité de l'estime de leurs voisins plutôt que de la "
                                      "crainte qu'ils inspirent. »"), source=source, all_references=True)
    missing = next(f for f in findings if f.code == "missing_reference")
    assert "p. 43" in missing.hint
    located = next(f for f in findings if f.verdict)
    assert located.verdict == "verified" and "gives no page" in located.message


def test_not_found_without_a_page_is_only_information(source):
    finding = only(handout("« Les licornes bleues dansent sur la place du village chaque mardi soir. »"), source)
    assert (finding.verdict, finding.severity) == ("not_found", "info")


def test_ellipsis_the_book_prints_is_the_authors(source):
    text = handout("« Et pourtant... la commune demeure, quand les régimes passent. » (p. 45)")
    assert any(f.code == "bare_ellipsis" for f in pipeline.check(text))
    assert not any(f.code == "bare_ellipsis" for f in pipeline.check(text, source=source))


def test_a_wrong_offset_is_spotted_and_the_right_one_given(tmp_path):
    source = load_source(book_txt(tmp_path / "essai.txt", numbers=False), page_offset=38)
    found = verdicts(handout("« Le comté n'est qu'un cadre administratif » (p. 44)",
                             "« Les fonctionnaires communaux ne reçoivent presque aucun salaire » (p. 43)",
                             "« On apprend à obéir en commandant soi-même » (p. 42)"), source)
    assert {f.verdict for f in found} == {"wrong_page"}
    assert all("--page-offset 40" in f.hint for f in found), found[0].hint


def test_pdf_source_verdicts(tmp_path):
    source = load_source(render_book(OWN_PAGES, tmp_path / "essai.pdf"))
    found = verdicts(handout(
        "« la rancune d'un meunier peut retarder pendant dix ans la construction d'un pont dont tout le monde "
        "reconnaît pourtant l'utilité » (p. 42)",
        "« Le comté n'est qu'un cadre politique ; il n'a point d'existence morale » (p. 44)",
        "« Lorsque le législateur veut contraindre une commune récalcitrante » (p. 45)",
    ), source)
    assert [(f.verdict, f.source_pages) for f in found] == [
        ("verified", ["42", "43"]), ("altered", ["44"]), ("wrong_page", ["44"])]


@pytest.fixture(scope="module")
def tocqueville(shared, tmp_path_factory):
    pages = read_paged(shared / "sources" / "pd-tocqueville-democratie-amerique-t1.paged.txt")
    chosen = book_pages(pages, "iii", 16)  # iii, iv, then printed pages 1 to 14
    folder = tmp_path_factory.mktemp("tocqueville")
    return {
        "pages": {p.label: p for p in chosen},
        "pdf": render_book(chosen, folder / "tocqueville.pdf"),
        "header-pdf": render_book(chosen, folder / "tocqueville-header.pdf", number="header",
                                  running_title="DE LA DÉMOCRATIE EN AMÉRIQUE."),
        "txt": write_book_txt(chosen, folder / "tocqueville.txt"),
        "other": read_paged(shared / "sources" / "pd-montesquieu-esprit-des-lois-I-V-janet1892.paged.txt"),
    }


def _sentence_of(page: BookPage, n: int = 18, skip: int = 0) -> str:
    words = next(p for p in page.paragraphs if len(p.split()) > n + skip and p[:1].isupper()).split()
    return " ".join(words[skip:skip + n]).strip(",;:")


@pytest.mark.parametrize("kind", ["pdf", "header-pdf", "txt"])
def test_tocqueville_verdicts(tocqueville, kind):
    pages = tocqueville["pages"]
    source = load_source(tocqueville[kind])
    assert source.numbering == "printed"
    assert [p.label for p in source.pages] == list(pages)
    true = _sentence_of(pages["5"])
    words = _sentence_of(pages["9"], 30).split()
    cut = " ".join(words[:10]) + " [...] " + " ".join(words[18:30])
    altered = _sentence_of(pages["7"]).split()
    altered[5] = "gouvernement" if altered[5] != "gouvernement" else "peuple"
    # A sentence running from page 3 onto page 4, in the book's own words.
    tail = pages["3"].paragraphs[-1].split()[-8:]
    head = pages["4"].paragraphs[0].split()[:8]
    absent = _sentence_of(tocqueville["other"][40])
    text = handout(
        f"« {true} » (p. 5)",
        f"« {true} » (p. 12)",
        f"« {cut} » (p. 9)",
        f"« {' '.join(altered)} » (p. 7)",
        f"« {' '.join(tail + head)} » (p. 3)",
        f"« {absent} » (p. 6)",
    )
    found = verdicts(text, source)
    assert [(f.verdict, f.source_pages) for f in found] == [
        ("verified", ["5"]), ("wrong_page", ["5"]), ("verified", ["9"]), ("altered", ["7"]),
        ("verified", ["3", "4"]), ("not_found", [])], [f.message for f in found]


def test_tocqueville_front_matter_in_roman_numerals(tocqueville):
    source = load_source(tocqueville["pdf"])
    page = tocqueville["pages"]["iv"]
    quote = " ".join(page.paragraphs[1].split()[:16]).strip(",;:")
    found = verdicts(handout(f"« {quote} » (p. iv)"), source)
    assert [(f.verdict, f.source_page) for f in found] == [("verified", "iv")]


def test_check_report_json_round_trips(source):
    from pipeline.models import CheckReport, DocumentReport

    findings = pipeline.check(handout("« Le comté n'est qu'un cadre politique » (p. 44)"), source=source)
    report = CheckReport(tool_version=pipeline.__version__, documents=[DocumentReport(path="x.txt",
                                                                                     findings=findings)])
    again = CheckReport.model_validate(json.loads(report.model_dump_json()))
    assert again == report


@pytest.mark.parametrize("locator", ["l. 12-15", "v. 23", "§ 12"])
def test_a_line_verse_or_section_locator_is_checked_by_text_only_and_says_so(source, locator):
    """Issue 18: a citation by line, verse or section is checked by its words, and the finding says
    the locator itself was not (the source numbers no lines, verses or sections tdx reads)."""
    finding = only(handout(f"« Le comté n'est qu'un cadre administratif ; il n'a point d'existence » ({locator})"),
                   source)
    assert finding.verdict == "verified" and finding.hint == "Nothing to do."
    assert finding.message == (f"found on p. 44 (the reference ({locator}) cites a line, verse or section, not "
                               "checked: the words alone were)")
    altered = only(handout(f"« Le comté n'est qu'un cadre politique ; il n'a point d'existence » ({locator})"), source)
    assert altered.verdict == "altered"
