"""The book a handout is checked against (``pipeline.checks.book``): reading a PDF or a text with
form feeds, the printed page numbers and running headers, the cache of a PDF's text, and the named
errors for a source that cannot be used. Uses the small book of ``tests/essai.py``.
"""

from __future__ import annotations

import json

import pytest

import pipeline

from pipeline.checks.book import load_source
from pipeline.checks.page_numbers import printed_numbers
from pipeline.errors import SourceError
from tests.bookgen import render_book
from tests.essai import OWN_PAGES, book_txt, handout, only
from tests.pdfgen import make_corrupt_pdf, make_encrypted_pdf, make_image_only_pdf


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TDX_CACHE_DIR", str(tmp_path / "cache"))


def _pages(*pages: str) -> list[list[str]]:
    return [page.split("\n") for page in pages]


@pytest.mark.parametrize("pages, expected", [
    (_pages("texte\n\n12", "texte\n13", "texte\n14"), ["12", "13", "14"]),
    # Running headers with the number at the outer corner, even and odd.
    (_pages("12 DE LA DÉMOCRATIE\ntexte", "CHAPITRE II. 13\ntexte", "14 DE LA DÉMOCRATIE\ntexte"), ["12", "13", "14"]),
    # A header drawn after the body comes last in the page's text.
    (_pages("texte\nsuite\nTITRE 7", "texte\nsuite\n8 TITRE"), ["7", "8"]),
    (_pages("texte\n- 12 -", "texte\n[13]", "texte\nPage 14 / 20", "texte\n15."), ["12", "13", "14", "15"]),
    # Roman front matter, then arabic numbers.
    (_pages("texte\nii", "texte\niii", "texte\n1", "texte\n2"), ["ii", "iii", "1", "2"]),
    # A chapter opening without a number takes it from its neighbours.
    (_pages("texte\n20", "CHAPITRE III\ntexte", "texte\n22", "texte\n23"), ["20", "21", "22", "23"]),
    # A year ending the last line, a footnote number, an upper-case chapter numeral: no page numbers.
    (_pages("texte\nen l'année 1831", "1. Voyez la loi\ntexte", "CHAPITRE IV\ntexte"), [None, None, None]),
    # A page missing from the book: the numbering jumps, each side keeps its own.
    (_pages("texte\n354", "texte\n355", "texte\n357", "texte\n358"), ["354", "355", "357", "358"]),
])
def test_printed_page_numbers(pages, expected):
    labels, _ = printed_numbers(pages)
    assert labels == expected


def test_txt_source_pages_numbers_and_running_header(tmp_path):
    source = load_source(book_txt(tmp_path / "essai.txt"))
    assert source.numbering == "printed"
    assert [p.label for p in source.pages] == ["41", "42", "43", "44", "45"]
    assert source.last_page == 45
    # The printed numbers and the running header are no part of the text.
    assert "ESSAI SUR LA COMMUNE" not in source.text and "\n41\n" not in source.text


def test_soft_hyphens_in_a_txt_source(tmp_path):
    path = tmp_path / "book.txt"
    path.write_text("Le comté n'est qu'un cadre adminis\u00adtratif ; il n'a point d'exis\u00ad\ntence morale.\n\n44\n"
                    "\fSuite.\n\n45\n", encoding="utf-8")
    finding = only(handout("« Le comté n'est qu'un cadre administratif ; il n'a point d'existence morale » (p. 44)"),
                   load_source(path))
    assert (finding.verdict, finding.diff) == ("verified", [])


def test_txt_without_numbers_counts_pages_plus_offset(tmp_path):
    path = book_txt(tmp_path / "essai.txt", numbers=False)
    assert [p.label for p in load_source(path).pages] == ["1", "2", "3", "4", "5"]
    shifted = load_source(path, page_offset=40)
    assert shifted.numbering == "index" and [p.label for p in shifted.pages] == ["41", "42", "43", "44", "45"]
    assert only(handout("« Le comté n'est qu'un cadre administratif » (p. 44)"), shifted).verdict == "verified"


def test_txt_without_form_feeds_checks_words_but_not_pages(tmp_path):
    source = load_source(book_txt(tmp_path / "essai.txt", form_feeds=False))
    assert source.numbering == "none"
    # Issue 15: never "verified ... as cited" for a page a text without page breaks cannot know.
    findings = pipeline.check(handout("« Le comté n'est qu'un cadre administratif » (p. 12)"), source=source)
    assert not [f for f in findings if f.verdict is not None]
    found = [f for f in findings if f.code == "found_page_unknown"]
    assert len(found) == 1 and found[0].verdict is None and found[0].source_excerpt.startswith("Le comté")
    assert "pages are unknown" in found[0].message and "as cited" not in found[0].message


@pytest.mark.parametrize("options, numbering, labels", [
    ({"number": "footer"}, "printed", ["41", "42", "43", "44", "45"]),
    ({"number": "header", "running_title": "ESSAI SUR LA COMMUNE"}, "printed", ["41", "42", "43", "44", "45"]),
    ({"number": "none", "page_labels": True}, "pdf_labels", ["41", "42", "43", "44", "45"]),
    ({"number": "none"}, "index", ["1", "2", "3", "4", "5"]),
], ids=["footer", "header", "pdf-labels", "index"])
def test_pdf_page_numbers(tmp_path, options, numbering, labels):
    source = load_source(render_book(OWN_PAGES, tmp_path / "essai.pdf", **options))
    assert (source.numbering, [p.label for p in source.pages]) == (numbering, labels)
    assert "ESSAI SUR LA COMMUNE" not in source.text


def test_pdf_text_is_cached_by_hash(tmp_path, monkeypatch):
    path = render_book(OWN_PAGES, tmp_path / "essai.pdf")
    first = load_source(path)
    cached = list((tmp_path / "cache" / "sources").glob("*.json"))
    assert [p.stem for p in cached] == [first.sha256]

    def no_reading(_path):
        raise AssertionError("the cached text should have been used")

    monkeypatch.setattr("pipeline.checks.book._read_pdf", no_reading)
    again = load_source(path)
    assert again.text == first.text and again.pages == first.pages
    # Another file (other bytes) is read again.
    render_book(OWN_PAGES[:3], path)
    with pytest.raises(AssertionError):
        load_source(path)


@pytest.mark.parametrize("poison", [
    '{"version": %(v)s, "sha256": "%(sha)s", "pages": [1, 2], "labels": []}',
    '{"version": %(v)s, "sha256": "%(sha)s", "pages": "abc", "labels": {}}',
    '{"version": %(v)s, "sha256": "%(sha)s", "pages": ["a"], "labels": ["i", "ii", "iii"]}',
    '[1, 2, 3]',
    '"pages"',
    '[' * 100_000,
], ids=["numbers", "wrong-types", "labels-mismatch", "a-list", "a-string", "deeply-nested"])
def test_a_poisoned_cache_entry_is_read_again_from_the_book(tmp_path, poison):
    from pipeline.checks.book import _CACHE_VERSION

    path = render_book(OWN_PAGES, tmp_path / "essai.pdf")
    first = load_source(path)
    entry = tmp_path / "cache" / "sources" / f"{first.sha256}.json"
    entry.write_text(poison % {"v": json.dumps(_CACHE_VERSION), "sha": first.sha256} if "%" in poison else poison,
                     encoding="utf-8")
    again = load_source(path)
    assert again.pages == first.pages and again.text == first.text


def test_unwritable_cache_only_costs_speed(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TDX_CACHE_DIR", str(blocker / "cache"))
    source = load_source(render_book(OWN_PAGES, tmp_path / "essai.pdf"))
    assert source.numbering == "printed"


def test_no_cache_folder_only_costs_speed(tmp_path, monkeypatch):
    monkeypatch.setattr("pipeline.checks.book.cache_dir", lambda: None)  # a user without a home
    source = load_source(render_book(OWN_PAGES, tmp_path / "essai.pdf"))
    assert source.numbering == "printed"


@pytest.mark.parametrize("make, message", [
    (lambda d: d / "absent.pdf", "no such source file"),
    (lambda d: d, "is a folder"),
    (lambda d: (d / "book.docx").write_bytes(b"PK") and d / "book.docx", "unsupported source format"),
    (lambda d: make_corrupt_pdf(d / "book.pdf") or d / "book.pdf", "corrupt"),
    (lambda d: make_encrypted_pdf(d / "book.pdf", "Un texte.") and d / "book.pdf", "encrypted"),
    (lambda d: make_image_only_pdf(d / "book.pdf") or d / "book.pdf", "no text"),
    (lambda d: (d / "book.txt").write_text("  \n\f\n") and d / "book.txt", "no text"),
], ids=["missing", "folder", "docx", "corrupt", "encrypted", "scanned", "empty-txt"])
def test_unusable_sources_are_named_errors(tmp_path, make, message):
    path = make(tmp_path)
    with pytest.raises(SourceError) as err:
        load_source(path)
    assert message in str(err.value) and str(path) in str(err.value)


# -- issue 15: [[PAGE N]] lines, and a source that cannot know its pages -------------------------

def _marked(path, *, title: bool = True):
    """The small book with a ``[[PAGE N]]`` line before each page (the form of a Gutenberg edition's
    page anchors kept in plain text), its title page before the first."""
    from tests.essai import BOOK

    pages = [f"[[PAGE {label}]]\n{text.split(chr(10), 1)[1]}\n" for label, text in BOOK.items()]
    path.write_text(("ESSAI SUR LA COMMUNE\n\npar Jean Lefort\n\n" if title else "") + "".join(pages), encoding="utf-8")
    return path


def test_page_markers_are_page_breaks_with_their_numbers(tmp_path):
    source = load_source(_marked(tmp_path / "essai.paged.txt"))
    assert source.numbering == "printed"
    assert [p.label for p in source.pages] == [None, "41", "42", "43", "44", "45"]
    assert "[[PAGE" not in source.text and "ESSAI SUR LA COMMUNE" in source.front
    finding = only(handout("« Le comté n'est qu'un cadre administratif » (p. 43)"), source)
    assert (finding.verdict, finding.source_page) == ("wrong_page", "44")
    roman = tmp_path / "roman.txt"
    roman.write_text("[[PAGE xii]]\nAvant-propos.\n[[PAGE 1]]\nLe texte.\n", encoding="utf-8")
    assert [p.label for p in load_source(roman).pages] == ["xii", "1"]


@pytest.mark.parametrize("cited", ["p. 54", "p. 115", "p. 412", "p. 44"])
def test_a_source_without_pages_never_verifies_a_page(tmp_path, cited):
    """Issue 15: against a text without page breaks, p. 54, 115, 412 came back "found on page 1 of
    the file, as cited", and the summary said "verified"."""
    source = load_source(book_txt(tmp_path / "essai.txt", numbers=False, form_feeds=False))
    findings = pipeline.check(handout(f"« Le comté n'est qu'un cadre administratif » ({cited})"), source=source,
                              book_pages=500)
    assert not [f for f in findings if f.verdict in ("verified", "wrong_page")]
    found = next(f for f in findings if f.code == "found_page_unknown")
    assert found.message == f"found in the source, whose pages are unknown (the page cited ({cited}) is not checked)"
    assert "as cited" not in found.message and found.source_excerpt


# -- issue 18: gaps in the printed numbering ----------------------------------------------------

@pytest.mark.parametrize("pages, expected", [
    # The case: 356 is a blank page left out of the file, and 357 is the last page.
    (_pages("texte\n354", "texte\n355", "texte\n357"), ["354", "355", "357"]),
    # A plate without a number, then a jump: the printed numbers on both sides stand.
    (_pages("texte\n20", "texte\n21", "", "texte\n25", "texte\n26"), ["20", "21", "22", "25", "26"]),
    # A lone page numbered on after a gap, between two confirmed runs.
    (_pages("texte\n10", "texte\n11", "texte\n14", "texte\n20", "texte\n21"), ["10", "11", "14", "20", "21"]),
    # A number going back (a footnote "3" at the bottom) is not a page number: neighbours give it.
    (_pages("texte\n10", "texte\n11", "texte\n3", "texte\n13"), ["10", "11", "12", "13"]),
    # A year at the foot of the last page is no page number, however well placed.
    (_pages("texte\n10", "texte\n11", "texte\n1831"), ["10", "11", "12"]),
    # Roman front matter stays roman across a gap, and arabic pages start on.
    (_pages("texte\nv", "texte\nvi", "texte\nix", "texte\n1", "texte\n2"), ["v", "vi", "ix", "1", "2"]),
    # A poem's last verse numbered in the margin (1735) above the folio, the page before ending on a
    # year (1734): the folio alone on its line is the page's number, not the pair that follows on.
    (_pages("texte\nvers du poème, en 1734\n62", "texte\nla philosophie sur le trône, 1735\n63",
            "texte\nencore un vers\n64"), ["62", "63", "64"]),
], ids=["issue-356-missing", "plate-and-jump", "lone-page-in-gap", "going-back", "year", "roman-gap",
        "verse-number-above-the-folio"])
def test_printed_numbers_across_gaps(pages, expected):
    labels, _ = printed_numbers(pages)
    assert labels == expected


def test_noisy_page_numbers_of_a_scan_are_read_and_taken_out():
    # OCR noise in the numbers: a stray space between digits, l or I read for 1, O for 0. The line is
    # read as the page's number (and so taken out of the text), not only guessed from neighbours.
    pages = _pages("texte\n— 1 2 —", "texte\nl3", "texte\n1O", "texte\nI5", "texte\n1 6")
    labels, lines = printed_numbers(pages)
    assert labels == ["12", "13", "14", "15", "16"]
    assert lines == [1, 1, None, 1, 1]  # "1O" going back from 13 is no page number


def test_a_missing_page_does_not_move_the_last_pages_quotations(tmp_path):
    """Issue 18: printed 41, 42, 44 (43 left out of the file): a quotation of p. 44 was reported
    `wrong_page`, "found on p. 43"."""
    pages = [p for p in OWN_PAGES if p.label != "43"]
    source = load_source(render_book(pages, tmp_path / "gap.pdf"))
    assert [p.label for p in source.pages] == ["41", "42", "44", "45"]
    last = render_book(pages[:3], tmp_path / "gap-last.pdf")  # 44 is the last page, as in the issue
    source = load_source(last)
    assert [p.label for p in source.pages] == ["41", "42", "44"]
    finding = only(handout("« Le comté n'est qu'un cadre administratif ; il n'a point d'existence morale » (p. 44)"),
                   source)
    assert (finding.verdict, finding.source_page) == ("verified", "44")
