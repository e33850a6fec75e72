"""Sanity checks of tests/pdfgen.py: the PDFs it writes say what its RenderInfo claims."""

from __future__ import annotations

import re

import pdfplumber
import pytest
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from tests.conftest import ROOT
from tests.pdfgen import (
    LEADING,
    PARAGRAPH_GAP,
    make_corrupt_pdf,
    make_empty_pdf,
    make_encrypted_pdf,
    make_image_only_pdf,
    render_handout,
)

SEED = ROOT / "raw" / "casilli-en-attendant-les-robots.txt"
QUOTE = "Il est possible de caractériser les plateformes"


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    """The seed handout rendered once; pdfplumber's view of it, page by page."""
    text = SEED.read_text(encoding="utf-8")
    path = tmp_path_factory.mktemp("pdfgen") / "seed.pdf"
    info = render_handout(text, path)
    with pdfplumber.open(path) as pdf:
        pages = [page.extract_text() for page in pdf.pages]
        lines = [page.extract_text_lines() for page in pdf.pages]
        height = pdf.pages[0].height
    return text, info, pages, lines, height


def flat(page_text: str) -> str:
    """A page's text on one line, with the line-end hyphens rejoined, for substring searches."""
    return re.sub(r"\s+", " ", page_text.replace("-\n", ""))


def body(page_text: str) -> str:
    """A page's text without its header and footer lines."""
    return "\n".join(page_text.splitlines()[1:-1])


def test_every_page_has_the_running_header_and_the_footer(seed):
    _, info, pages, _, _ = seed
    assert len(pages) == info.pages >= 3
    for n, page_text in enumerate(pages, 1):
        lines = page_text.splitlines()
        assert lines[0] == "Sociologie du numérique — TD"
        assert lines[-1] == f"Page {n} / {info.pages}"


def test_long_words_are_hyphenated_at_line_ends(seed):
    _, info, pages, _, _ = seed
    assert info.hyphenated
    document = "\n".join(body(p) for p in pages)  # a word may be split across two pages
    for word, page in info.hyphenated:
        assert len(word) >= 10 and 1 <= page <= info.pages
        # The word is only whole once the "-\n" is removed: it was printed as "head-" / "tail".
        assert document.replace("-\n", "").count(word) > document.count(word), word


def test_some_paragraphs_continue_over_a_page_break(seed):
    text, info, pages, lines, _ = seed
    across = info.blocks_across_pages()
    assert across
    for start, end, first, last in across:
        assert last == first + 1
        assert info.pages_of(start, end) == (first, last)
        words = re.sub(r"\*", "", text[start:end]).split()
        head, tail = " ".join(words[:3]), " ".join(words[-3:])
        assert head in flat(pages[first - 1]) and tail not in flat(pages[first - 1])
        assert tail in flat(pages[last - 1]) and head not in flat(pages[last - 1])
        # pdfplumber's last body line of the first page is the one the layout recorded there.
        printed = [ln for ln in info.lines if ln.page == first]
        assert lines[first - 1][-2]["text"] == printed[-1].text


def test_pages_of_agrees_with_pdfplumber_on_the_quotation(seed):
    text, info, pages, _, _ = seed
    start = text.index(QUOTE)
    end = text.index("» (p.64)", start) + 1
    first, last = info.pages_of(start, end)
    assert [n for n, p in enumerate(pages, 1) if "Il est possible de caractériser" in flat(p)] == [first]
    assert [n for n, p in enumerate(pages, 1) if "sur le principe d'un marché" in flat(p)] == [last]
    assert info.page_of_text(QUOTE) == (first, first)


def test_paragraph_breaks_are_one_line_taller_than_line_breaks(seed):
    _, info, _, lines, height = seed
    leading = 11 * LEADING

    def baseline(fragment):  # measured from the top, like pdfplumber's coordinates
        for page_lines in lines:
            for line in page_lines:
                if line["text"].startswith(fragment):
                    return height - line["chars"][0]["matrix"][5]
        raise AssertionError(fragment)

    # Two lines of one paragraph (a line break in the input), then the next paragraph.
    line_1 = baseline("Ce texte est-il au fond une énorme méta-analyse ?")
    line_2 = baseline("Pas vraiment, car il ne fait pas de croisements")
    assert line_2 - line_1 == pytest.approx(leading, abs=0.01)
    para_1 = baseline("Une proximité qui reste nourrie")
    para_2 = baseline("Beaudoin). Cite beaucoup")
    para_3 = baseline("Méthode qui rapproche des STS")
    assert para_2 - para_1 == pytest.approx(leading, abs=0.01)
    assert para_3 - para_2 == pytest.approx((1 + PARAGRAPH_GAP) * leading, abs=0.01)
    # The ground truth in RenderInfo says the same.
    truth = {ln.text[:30]: ln.top for ln in info.lines}
    assert truth["Pas vraiment, car il ne fait p"] == pytest.approx(line_2, abs=0.01)


def test_headings_emphasis_and_bullets(tmp_path):
    text = (
        "Partie 1 : Quelle automation ?\n\nChapitre 2 : Les plateformes\n\nUn titre court\n\n"
        "Un paragraphe avec du **gras** et de l'*italique* dedans.\n\n- un point\n➔ une flèche\n"
    )
    path = tmp_path / "small.pdf"
    info = render_handout(text, path)
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        page_text = page.extract_text()
        chars = page.chars

    def font_of(word):
        i = "".join(c["text"] for c in chars).index(word)
        return chars[i]["fontname"], round(chars[i]["size"], 2)

    assert "*" not in page_text
    assert font_of("Partie")[1] == 16.5 and font_of("Chapitre")[1] == 15.4
    assert font_of("Un titre")[1] == 14.3 and "Bold" in font_of("Un titre")[0]
    assert font_of("gras")[0].endswith("Bold") and "Oblique" in font_of("italique")[0]
    assert font_of("dedans")[1] == 11
    assert "• un point" in page_text and "• une flèche" in page_text
    assert [ln.kind for ln in info.lines] == ["heading", "heading", "heading", "body", "bullet", "bullet"]


def test_characters_the_font_lacks_are_replaced_and_reported(tmp_path):
    path = tmp_path / "vera.pdf"
    info = render_handout("Des données → une IA, « œuvre » — fin…\n", path, font="vera")
    assert info.font == "Bitstream Vera Sans"
    assert info.substitutions == {"→": "->"}
    with pdfplumber.open(path) as pdf:
        assert "Des données -> une IA, « œuvre » — fin…" in pdf.pages[0].extract_text()
        assert all("Vera" in c["fontname"] for c in pdf.pages[0].chars)


def test_corrupt_pdf_cannot_be_opened(tmp_path):
    path = tmp_path / "corrupt.pdf"
    make_corrupt_pdf(path)
    assert path.read_bytes().startswith(b"%PDF-")
    with pytest.raises(PdfminerException):
        with pdfplumber.open(path) as pdf:
            pdf.pages


def test_encrypted_pdf_needs_its_password(tmp_path):
    path = tmp_path / "encrypted.pdf"
    make_encrypted_pdf(path, "Un texte « secret ».\n", user_password="secret")
    with pytest.raises(PdfminerException) as error:
        with pdfplumber.open(path) as pdf:
            pdf.pages
    assert isinstance(error.value.args[0], PDFPasswordIncorrect)
    with pdfplumber.open(path, password="secret") as pdf:
        assert "Un texte « secret »." in pdf.pages[0].extract_text()


def test_image_only_pdf_has_no_text_layer(tmp_path):
    path = tmp_path / "scan.pdf"
    make_image_only_pdf(path)
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == 1
        assert pdf.pages[0].chars == [] and len(pdf.pages[0].images) == 1


def test_empty_pdf_has_no_pages(tmp_path):
    path = tmp_path / "empty.pdf"
    make_empty_pdf(path)
    with pdfplumber.open(path) as pdf:
        assert pdf.pages == []
