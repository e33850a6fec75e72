"""Issue 18: a scanned two-page spread (one landscape PDF page holding two printed pages) is read as
two pages, left then right, each with its own number (``pipeline.checks.spreads``); a landscape
page that is not a spread stays one page."""

from __future__ import annotations

import pytest
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas

from pipeline.checks.book import load_source
from tests.bookgen import BookPage, render_book
from tests.essai import OWN_PAGES, _private_cache, handout, only  # noqa: F401 - a cache of its own
from tests.pdfgen import _fonts

# The essay's pages 41-45 scanned open: 41 alone (a recto), then 42 | 43 and 44 | 45.
SHEETS = [1, 2, 2, 3, 3]


@pytest.fixture(scope="module")
def spreads(tmp_path_factory):
    return render_book(OWN_PAGES, tmp_path_factory.mktemp("spreads") / "essai.pdf", spreads=True)


@pytest.mark.parametrize("number", ["footer", "header"])
def test_both_numbers_of_a_spread_are_read(tmp_path, number):
    path = render_book(OWN_PAGES, tmp_path / "essai.pdf", spreads=True, number=number,
                       running_title="ESSAI SUR LA COMMUNE")
    source = load_source(path)
    assert source.numbering == "printed"
    assert [(p.index, p.label) for p in source.pages] == list(zip(SHEETS, ["41", "42", "43", "44", "45"]))
    # Each half holds its own page's text only, without its number or the running header.
    right = source.text[source.pages[2].start:source.pages[2].end]
    assert right.startswith("reconnaît pourtant l'utilité") and right.rstrip().endswith("pas moins réelle.")
    assert "ESSAI SUR LA COMMUNE" not in source.text and "\n43\n" not in source.text
    # Read again from the cache: the halves and their file pages are kept.
    assert load_source(path).pages == source.pages


def test_a_quotation_on_each_half_is_verified_on_its_page(spreads):
    source = load_source(spreads)
    left = only(handout("« Le paysan qui a siégé une année au conseil ne parle plus des affaires publiques » "
                        "(p. 42)"), source)
    assert (left.verdict, left.source_page, left.source_index) == ("verified", "42", 2)
    right = only(handout("« Les fonctionnaires communaux ne reçoivent presque aucun salaire » (p. 43)"), source)
    assert (right.verdict, right.source_page, right.source_index) == ("verified", "43", 2)


def test_a_quotation_from_the_left_half_to_the_right_half(spreads):
    finding = only(handout("« la rancune d'un meunier peut retarder pendant dix ans la construction d'un pont "
                           "dont tout le monde reconnaît pourtant l'utilité » (p. 42-43)"), load_source(spreads))
    assert (finding.verdict, finding.source_pages) == ("verified", ["42", "43"])


def test_a_wrong_page_gets_the_right_halfs_number(spreads):
    finding = only(handout("« Ainsi le pouvoir se cache sous la forme de la justice » (p. 44)"), load_source(spreads))
    assert (finding.verdict, finding.source_page, finding.source_index) == ("wrong_page", "45", 3)
    assert finding.hint == "Cite (p. 45)."


def test_a_chapter_opening_without_number_is_cut_in_a_book_of_spreads(tmp_path):
    # 44 opens a chapter and prints no number: its sheet is still cut, the book being a scan of the
    # open book (two sheets carry both numbers), and 44 takes its number from its neighbours.
    pages = [p if p.label != "44" else BookPage("", p.text) for p in OWN_PAGES]
    pages += [BookPage("46", OWN_PAGES[0].text), BookPage("47", OWN_PAGES[1].text)]
    source = load_source(render_book(pages, tmp_path / "essai.pdf", spreads=True))
    assert [(p.index, p.label) for p in source.pages] == list(zip([1, 2, 2, 3, 3, 4, 4],
                                                                   ["41", "42", "43", "44", "45", "46", "47"]))


def _landscape_page(c: Canvas, draw) -> None:
    c.setPageSize(landscape(A4))
    draw(c)
    c.showPage()


def _portrait_page(c: Canvas, page: BookPage) -> None:
    c.setPageSize(A5)
    c.setFont(_fonts().regular, 9)
    y = A5[1] - 2 * cm
    for paragraph in page.paragraphs:
        for k in range(0, len(paragraph), 70):
            c.drawString(1.6 * cm, y, paragraph[k:k + 70])
            y -= 12
    c.setFont(_fonts().regular, 8)
    c.drawCentredString(A5[0] / 2, 0.8 * cm, page.label)
    c.showPage()


def _wide_table(c: Canvas) -> None:
    # Two columns of figures with a wide empty middle, and the page's one number centred below.
    width, height = landscape(A4)
    c.setFont(_fonts().regular, 9)
    for row in range(25):
        y = height - 2 * cm - row * 14
        c.drawString(2 * cm, y, f"Département {row + 1} : {1200 + 37 * row} habitants, {row + 3} communes")
        c.drawString(width / 2 + 2 * cm, y, f"Canton {row + 2} : {800 + 11 * row} électeurs, {row + 41} inscrits")
    c.drawCentredString(width / 2, 0.8 * cm, "43")


def _one_column(c: Canvas) -> None:
    width, height = landscape(A4)
    c.setFont(_fonts().regular, 10)
    words = " ".join(OWN_PAGES[2].paragraphs).split()
    line, y = "", height - 2 * cm
    for word in words + ["."]:
        if len(line) + len(word) > 120:
            c.drawString(2 * cm, y, line)
            line, y = "", y - 14
        line = f"{line} {word}".strip()
    c.drawString(2 * cm, y, line)
    c.drawCentredString(width / 2, 0.8 * cm, "43")


@pytest.mark.parametrize("draw", [_wide_table, _one_column], ids=["wide-table", "one-column"])
def test_a_landscape_page_that_is_no_spread_stays_whole(tmp_path, draw):
    """Pages 41, 42, a landscape page printed 43 (a table whose columns leave a gutter but carry one
    number; or one column of text across the page), 44, 45: five pages, the landscape one whole."""
    path = tmp_path / "book.pdf"
    c = Canvas(str(path), invariant=True)
    for page in OWN_PAGES[:2]:
        _portrait_page(c, page)
    _landscape_page(c, draw)
    for page in OWN_PAGES[3:]:
        _portrait_page(c, page)
    c.save()
    source = load_source(path)
    assert [(p.index, p.label) for p in source.pages] == [(1, "41"), (2, "42"), (3, "43"), (4, "44"), (5, "45")]
    third = source.text[source.pages[2].start:source.pages[2].end]
    assert ("Département 1 :" in third and "Canton 25 :" in third) if draw is _wide_table else \
        third.startswith("reconnaît pourtant")


def test_a_page_whose_text_runs_cannot_be_read_stays_whole(spreads, monkeypatch):
    import pypdfium2 as pdfium

    def broken(page, textpage):
        raise pdfium.PdfiumError("Failed to get rectangle")

    monkeypatch.setattr("pipeline.checks.spreads.spread_halves", broken)
    source = load_source(spreads, cache=False)
    assert [p.index for p in source.pages] == [1, 2, 3]  # three sheets, none cut, and no error
