"""PDF handouts: the same extraction as text, plus pages and boxes; bad PDFs are clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import pipeline
from pipeline.cli import app
from pipeline.errors import EmptyDocumentError, UnreadablePdfError
from tests.conftest import DATA, ROOT, assert_spans_exact
from tests.pdfgen import make_corrupt_pdf, make_empty_pdf, make_encrypted_pdf, make_image_only_pdf, render_handout

SEED = ROOT / "raw" / "casilli-en-attendant-les-robots.txt"
NO_NLP = {"concepts": False, "entities": False}


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory):
    text = SEED.read_text(encoding="utf-8")
    path = tmp_path_factory.mktemp("pdf") / "casilli.pdf"
    info = render_handout(text, path)
    return text, info, pipeline.extract(path, **NO_NLP)


def test_pdf_source_and_pages(seed_pdf):
    _, info, handout = seed_pdf
    assert handout.source.format == "pdf" and handout.source.pages == info.pages and info.pages > 3
    assert [p.number for p in handout.pages] == list(range(1, info.pages + 1))
    assert handout.pages[0].span.start == 0 and handout.pages[-1].span.end == len(handout.text)
    for a, b in zip(handout.pages, handout.pages[1:]):
        assert a.span.end == b.span.start
    assert_spans_exact(handout)


def test_running_headers_and_footers_are_removed(seed_pdf):
    _, info, handout = seed_pdf
    assert "Sociologie du numérique — TD" not in handout.text
    assert f"Page 1 / {info.pages}" not in handout.text and "Page 2" not in handout.text


def test_hyphenated_words_are_joined(seed_pdf):
    _, info, handout = seed_pdf
    assert info.hyphenated
    for word, _ in info.hyphenated:
        assert word in handout.text, word


def test_same_quotes_sections_and_metadata_as_the_text_version(seed_pdf):
    _, _, from_pdf = seed_pdf
    from_text = pipeline.extract(SEED, **NO_NLP)
    cite = lambda h: [(q.reference.pages if q.reference else None, " ".join(q.text.split())[:50])
                      for q in h.quotes if q.kind == "citation"]
    assert [p for p, _ in cite(from_pdf)] == [p for p, _ in cite(from_text)]
    assert [s.title for s in from_pdf.sections] == [s.title for s in from_text.sections]
    assert from_pdf.metadata.model_dump(exclude={"provenance"}) == from_text.metadata.model_dump(exclude={"provenance"})


def test_every_quote_is_on_the_page_it_was_printed_on(seed_pdf):
    text, info, handout = seed_pdf
    checked = 0
    for quote in handout.quotes:
        start = text.find(quote.text[:30])
        if start < 0 or len(quote.text) < 30 or text.count(quote.text[:30]) > 1:
            continue  # reflowed bullets change the text; short terms recur
        first, last = info.pages_of(start, start + 30)
        assert quote.page == first, quote.text[:40]
        assert {box.page for box in quote.boxes} >= {first}
        checked += 1
    assert checked >= 15


def test_a_quotation_over_a_page_break_stays_one_quotation(seed_pdf):
    text, info, handout = seed_pdf
    crossing = [q for q in handout.quotes if len({b.page for b in q.boxes}) > 1]
    assert crossing, "the fixture must break at least one quotation over two pages"
    for quote in crossing:
        assert quote.reference is not None or quote.kind != "citation"
        pages = sorted({b.page for b in quote.boxes})
        assert pages == list(range(pages[0], pages[-1] + 1))


def test_boxes_lie_on_the_page(seed_pdf):
    _, _, handout = seed_pdf
    for quote in handout.quotes:
        for box in quote.boxes:
            assert 0 <= box.x0 < box.x1 <= 595.3 and 0 <= box.top < box.bottom <= 841.9


def test_own_plan_handout_as_pdf(tmp_path):
    source = DATA / "td-plan-roman-tocqueville.txt"
    render_handout(source.read_text(encoding="utf-8"), tmp_path / "plan.pdf", header="Histoire des idées")
    from_pdf = pipeline.extract(tmp_path / "plan.pdf", **NO_NLP)
    from_text = pipeline.extract(source, **NO_NLP)
    assert [(s.title, s.level) for s in from_pdf.sections] == [(s.title, s.level) for s in from_text.sections]
    assert [q.reference and q.reference.pages for q in from_pdf.quotes] == \
        [q.reference and q.reference.pages for q in from_text.quotes]


@pytest.mark.parametrize(
    "make, error, message",
    [
        (make_corrupt_pdf, UnreadablePdfError, "corrupt or truncated"),
        (lambda p: make_encrypted_pdf(p, "Un texte."), UnreadablePdfError, "encrypted"),
        (make_image_only_pdf, UnreadablePdfError, "no text layer"),
        (make_empty_pdf, EmptyDocumentError, "no pages"),
    ],
    ids=["corrupt", "encrypted", "image-only", "empty"],
)
def test_bad_pdfs_are_clear_errors(tmp_path, make, error, message):
    path = tmp_path / "bad.pdf"
    make(path)
    with pytest.raises(error, match=message) as caught:
        pipeline.extract(path)
    assert caught.value.hint  # says what to do: export again, run OCR, …
    result = CliRunner().invoke(app, ["extract", str(path), str(SEED), "-o", str(tmp_path / "out"), "--no-concepts",
                                      "--no-entities", "-j", "1"])
    assert result.exit_code == 1 and f"Error: {path}" in result.output and "Traceback" not in result.output
    assert (tmp_path / "out" / "casilli-en-attendant-les-robots.json").exists()


def test_real_pdfs_of_the_shared_corpus(shared):
    for path in sorted((shared / "corpus").glob("*.pdf")):
        handout = pipeline.extract(path, **NO_NLP)
        assert_spans_exact(handout)
        assert "(cid:" not in handout.text and "Ø" not in handout.text, path.name


SLIDES = [
    ("Le travail du clic : une enquête sur les plateformes numériques et leurs travailleurs en France",
     ["Une enquête collective menée entre 2017 et 2019", "« Le microtravail est partout » (p. 12)"]),
    ("Méthodes", ["Entretiens exploratoires", "Questionnaire en ligne"]),
    ("Résultats", ["260 000 travailleurs du clic estimés", "« Ils sont plus diplômés que la moyenne » (p. 48)"]),
]


def _slide_deck(path: Path) -> None:
    """An exported slide deck: one slide per landscape page, a large bold title, bullets, a number."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    from tests.pdfgen import _fonts  # the same Unicode font the handouts use

    fonts = _fonts()
    regular, bold = fonts.regular, fonts.bold
    width, height = landscape(A4)
    pdf = canvas.Canvas(str(path), pagesize=(width, height), invariant=1)
    for number, (title, bullets) in enumerate(SLIDES, 1):
        pdf.setFont(bold, 26)
        cut = title.rfind(" ", 0, 60) if len(title) > 60 else len(title)
        pdf.drawString(50, height - 80, title[:cut])
        if cut < len(title):  # a long title wraps onto a second line
            pdf.drawString(50, height - 112, title[cut:].strip())
        pdf.setFont(regular, 18)
        for k, bullet in enumerate(bullets):
            pdf.drawString(60, height - 180 - 36 * k, f"• {bullet}")
        pdf.setFont(regular, 10)
        pdf.drawString(width - 60, 30, str(number))
        pdf.showPage()
    pdf.save()


def test_exported_slides_give_one_section_per_slide_title(tmp_path):
    _slide_deck(tmp_path / "slides.pdf")
    handout = pipeline.extract(tmp_path / "slides.pdf", **NO_NLP)
    titles = [(s.title, s.page) for s in handout.sections]
    assert titles == [(" ".join(t.split()), n) for n, (t, _) in enumerate(SLIDES, 1)], titles
    assert [(q.reference.pages, q.page) for q in handout.quotes] == [([12], 1), ([48], 3)]
    assert "\n3\n" not in handout.text and not handout.text.rstrip().endswith("3")  # slide numbers dropped


def test_pdf_seed_scores_as_the_text_seed(shared, tmp_path):
    import subprocess
    import sys

    seed = shared / "seeds" / "000_6493ecf00d1e5b16.txt"
    render_handout(seed.read_text(encoding="utf-8"), tmp_path / "seed.pdf")
    lines = []
    for source in (seed, tmp_path / "seed.pdf"):
        out = tmp_path / f"{source.suffix[1:]}.json"
        out.write_text(pipeline.extract(source).model_dump_json(), encoding="utf-8")
        result = subprocess.run([sys.executable, str(shared / "score.py"), str(out),
                                 str(shared / "gold" / "000_6493ecf00d1e5b16.gold.json")],
                                capture_output=True, text=True, check=True)
        lines.append(result.stdout.strip().splitlines()[-1])
    assert lines[0] == lines[1], lines
