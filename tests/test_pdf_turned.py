"""PDF pages and text set at an angle (ingest/pdf/turned.py): read turned back, never dropped."""

from __future__ import annotations

import json

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.ingest import read

PAGES = [
    ["Introduction", "Le microtravail désigne des tâches fragmentées, payées à la pièce, que des plateformes "
     "confient à des foules de travailleurs. Il reste invisible parce qu'il se loge dans les interstices "
     "des services numériques que nous utilisons chaque jour."],
    ["Les plateformes", "Les plateformes organisent ce travail en petites tâches : étiqueter des images, "
     "transcrire des fragments de voix, vérifier des résultats de recherche. Les travailleurs sont payés "
     "quelques centimes par tâche et ne savent souvent pas à quoi elle servira."],
    ["Conclusion", "Le travail du clic n'est pas un reste appelé à disparaître avec le progrès de "
     "l'automatisation : il en est la condition, et il grandit avec elle."],
]


def _block(canvas: Canvas, paragraphs: list[str], width: float, height: float) -> None:
    """The paragraphs set 360 pt wide around the middle of a page ``width`` x ``height``: small
    enough to stay on the page however it is turned about that middle."""
    x, y = width / 2 - 180, height / 2 + 100
    for k, paragraph in enumerate(paragraphs):
        font, size = ("Helvetica-Bold", 14) if k == 0 else ("Helvetica", 11)
        canvas.setFont(font, size)
        for line in simpleSplit(paragraph, font, size, 360):
            canvas.drawString(x, y, line)
            y -= size * 1.3
        y -= 11


def _page(canvas: Canvas, paragraphs: list[str], *, turn: int = 0) -> None:
    """One page saved with /Rotate ``turn``, its text drawn upright in the page's own space: once
    displayed, it is turned by ``turn`` degrees clockwise. (reportlab swaps the MediaBox of a page
    turned by 90 or 270, so that it displays as A4 portrait.)"""
    canvas.setPageRotation(turn)
    width, height = A4 if turn in (0, 180) else A4[::-1]
    _block(canvas, paragraphs, width, height)
    canvas.showPage()


def _drawn_turned_page(canvas: Canvas, paragraphs: list[str], angle: int) -> None:
    """A page whose text itself is drawn turned by ``angle`` degrees (counter-clockwise)."""
    width, height = A4
    canvas.saveState()
    canvas.translate(width / 2, height / 2)
    canvas.rotate(angle)
    canvas.translate(-width / 2, -height / 2)
    _block(canvas, paragraphs, width, height)
    canvas.restoreState()
    canvas.showPage()


def build(path, turns: list[int], *, drawn: int | None = None, stamp: bool = False):
    canvas = Canvas(str(path), pagesize=A4)
    for k, (paragraphs, turn) in enumerate(zip(PAGES, turns)):
        if drawn is not None and k == 1:
            _drawn_turned_page(canvas, paragraphs, drawn)
            continue
        if stamp and k == 0:
            canvas.saveState()
            canvas.translate(30, 200)
            canvas.rotate(90)
            canvas.setFont("Helvetica", 9)
            canvas.drawString(0, 0, "Brouillon du 3 mars")
            canvas.restoreState()
        _page(canvas, paragraphs, turn=turn)
    canvas.save()
    return path


def words(text: str) -> list[str]:
    return text.split()


@pytest.fixture(scope="module")
def upright(tmp_path_factory):
    return read(build(tmp_path_factory.mktemp("pdf") / "upright.pdf", [0, 0, 0]))


@pytest.mark.parametrize("turns", [[90, 90, 90], [180, 180, 180], [270, 270, 270], [0, 90, 0], [0, 270, 180]])
def test_turned_pages_are_read_like_upright_ones(tmp_path, upright, turns):
    doc = read(build(tmp_path / "turned.pdf", turns))
    # The same words in the same order: no page dropped, none called scanned.
    assert words(doc.text) == words(upright.text)
    assert [n for n, *_ in doc.page_ranges()] == [1, 2, 3]
    assert doc.issues == []


def test_one_turned_page_among_upright_ones_keeps_its_text(tmp_path, upright):
    doc = read(build(tmp_path / "one.pdf", [0, 90, 0]))
    (_, start, end), = [r for r in doc.page_ranges() if r[0] == 2]
    page_text = doc.text[start:end]
    assert "étiqueter des images" in page_text and len(page_text) > 200
    # Boxes stay on the page as displayed (A4 portrait), and a line turned by 90 degrees runs
    # down the page: its words are one above the other, all at about the same x.
    boxes = [b for b in doc.word_boxes if b[2] == 2]
    assert boxes and all(0 <= b[3] < b[5] <= 596 and 0 <= b[4] < b[6] <= 842 for b in boxes)
    first_line = [b for b in boxes if abs(b[3] - boxes[0][3]) < 1]
    assert len(first_line) == 2 and first_line[0][4] < first_line[1][4]  # "Les plateformes", downwards


@pytest.mark.parametrize("angle", [90, 180, 270, 45, 200])  # any angle, not only right ones
def test_text_drawn_turned_is_read(tmp_path, upright, angle):
    doc = read(build(tmp_path / "drawn.pdf", [0, 0, 0], drawn=angle))
    assert words(doc.text) == words(upright.text)


def test_a_stamp_at_an_angle_is_left_out_and_said(tmp_path, upright):
    doc = read(build(tmp_path / "stamp.pdf", [0, 0, 0], stamp=True))
    assert words(doc.text) == words(upright.text)
    issue, = doc.issues
    assert issue.code == "text_at_an_angle" and "page(s) 1" in issue.message and issue.message.startswith("16 ")


def test_a_turned_pdf_through_the_cli(tmp_path, upright):
    build(tmp_path / "paysage.pdf", [90, 90, 90])
    result = CliRunner().invoke(app, ["extract", str(tmp_path / "paysage.pdf"), "-o", str(tmp_path / "out"), "-j", "1",
                                      "--no-concepts", "--no-entities"])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "out" / "paysage.json").read_text(encoding="utf-8"))
    assert words(data["text"]) == words(upright.text)
    assert [s["title"] for s in data["sections"]] == ["Introduction", "Les plateformes", "Conclusion"]
