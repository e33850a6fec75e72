"""Build paginated book sources for the verification tests and the benchmark.

This is a test helper, not a test file. ``../shared/sources/*.paged.txt`` hold public-domain books
with ``[[PAGE N]]`` lines where printed page N begins; ``read_paged`` turns one into ``BookPage``
records, ``render_book`` prints them as a PDF laid out like a scanned book (one PDF page per printed
page, text reflowed and hyphenated at line ends, the printed number in the footer or in a running
header), and ``write_book_txt`` writes them as text with form feeds between pages, as ``pdftotext``
does. Which PDF page holds which printed page is known, so tests can compare what tdx reads with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from tests.pdfgen import _fonts

__all__ = ["BookPage", "read_paged", "book_pages", "render_book", "write_book_txt"]

_MARKER = re.compile(r"^\[\[PAGE ([0-9ivxlcdm]+)\]\]\n?", re.M | re.I)


@dataclass(frozen=True)
class BookPage:
    label: str  # the printed page number, "12" or "xii"
    text: str  # the page's text as in the .paged.txt file (Gutenberg line breaks)

    @property
    def paragraphs(self) -> list[str]:
        """The page's paragraphs, each on one line; the first may continue the previous page's."""
        return [" ".join(p.split()) for p in re.split(r"\n\s*\n", self.text) if p.strip()]


def read_paged(path: Path) -> list[BookPage]:
    """Every marked page of a ``.paged.txt`` file. The unmarked title pages before the first marker
    are left out, and so is a last page holding the whole back matter of the HTML edition (table
    of contents and every note: 40 times a page's length)."""
    text = Path(path).read_text(encoding="utf-8")
    marks = list(_MARKER.finditer(text))
    pages = []
    for m, nxt in zip(marks, marks[1:] + [None]):
        body = text[m.end():nxt.start() if nxt else len(text)]
        if body.strip():
            pages.append(BookPage(m.group(1), body.strip("\n")))
    lengths = sorted(len(p.text) for p in pages)
    if pages and len(pages[-1].text) > 4 * lengths[len(lengths) // 2]:
        pages.pop()
    return pages


def book_pages(pages: list[BookPage], first: str, count: int) -> list[BookPage]:
    """``count`` consecutive pages starting at printed page ``first``."""
    start = next(i for i, p in enumerate(pages) if p.label == first)
    return pages[start:start + count]


@dataclass
class _Placed:
    label: str
    lines: list[str]
    size: float


def _wrap(paragraph: str, font: str, size: float, width: float, *, hyphenate: bool, indent: float) -> list[str]:
    """Greedy line filling; a long word that does not fit is hyphenated, as book typesetters do."""
    lines, line = [], ""
    room = width - indent
    for word in paragraph.split():
        candidate = f"{line} {word}" if line else word
        if pdfmetrics.stringWidth(candidate, font, size) <= room:
            line = candidate
            continue
        letters = re.fullmatch(r"([^\W\d_]{4,})([^\W\d_]{3,}[\W]*)", word)
        if hyphenate and letters and line:
            head = letters.group(1)
            # The longest head (3+ letters stay on the next line) that still fits with its hyphen.
            for cut in range(len(head), 3, -1):
                if pdfmetrics.stringWidth(f"{line} {word[:cut]}-", font, size) <= room:
                    lines.append(f"{line} {word[:cut]}-")
                    line, word = "", word[cut:]
                    break
        if line:
            lines.append(line)
        line = word
        room = width
    if line:
        lines.append(line)
    return lines


def render_book(pages: list[BookPage], path: Path, *, number: Literal["footer", "header", "none"] = "footer",
                running_title: str | None = None, page_labels: bool = False, hyphenate: bool = True,
                font_size: float = 9.5, spreads: bool = False) -> Path:
    """Print ``pages`` into a PDF at ``path``, one PDF page per printed page.

    ``number``: where the printed page number goes: centred in the footer, at the outer corner of a
    running header (with ``running_title`` on the other side), or nowhere. ``page_labels`` writes the
    printed numbers as the PDF's /PageLabels too (roman front matter, then decimal). ``spreads``
    scans the book open: two printed pages side by side on one landscape PDF page (left then
    right, a gutter between), the first page alone on a portrait page as a book opens on a recto,
    and the last alone when one is left over.
    """
    if spreads and page_labels:
        raise ValueError("page labels name PDF pages: a spread holds two printed pages")
    fonts = _fonts()
    width, height = A5
    c = Canvas(str(path), pagesize=A5, invariant=True)
    sheets = [[0]] + [list(range(k, min(k + 2, len(pages)))) for k in range(1, len(pages), 2)] if spreads \
        else [[k] for k in range(len(pages))]
    for sheet in sheets:
        c.setPageSize((width * len(sheet), height))
        for side, k in enumerate(sheet):
            # A recto (the right of a spread, or the first page alone) has its number at the right
            # corner; a page left over at the end is a verso.
            recto = side == 1 or k == 0 if spreads else bool(k % 2)
            _draw_page(c, pages[k], fonts, side * width, number=number, running_title=running_title,
                       recto=recto, hyphenate=hyphenate, font_size=font_size)
        c.showPage()
    if page_labels:
        # A new label range wherever the numbering changes style (roman front matter, then decimal)
        # or skips a page, as publishers' PDFs do.
        previous = None
        for i, page in enumerate(pages):
            value = int(page.label) if page.label.isdigit() else _roman_value(page.label)
            style = "ARABIC" if page.label.isdigit() else "ROMAN_LOWER"
            if previous != (style, value - 1):
                c.addPageLabel(i, style=style, start=value)
            previous = (style, value)
    c.save()
    return Path(path)


def _draw_page(c: Canvas, page: BookPage, fonts, x0: float, *, number: str, running_title: str | None,
               recto: bool, hyphenate: bool, font_size: float) -> None:
    """One printed page drawn with its left edge at ``x0`` (0, or the right half of a spread)."""
    width, height = A5
    margin = 1.6 * cm
    size = font_size
    while True:  # a long page is set smaller rather than spilled over two PDF pages
        leading = 1.25 * size
        lines: list[str] = []
        for k, para in enumerate(page.paragraphs):
            # The first paragraph continues the previous page's (no indent) unless it starts a sentence.
            indent = 0 if k == 0 and para[:1].islower() else 0.6 * cm
            wrapped = _wrap(para, fonts.regular, size, width - 2 * margin, hyphenate=hyphenate, indent=indent)
            lines.extend(("\t" if n == 0 and indent else "") + ln for n, ln in enumerate(wrapped))
        if len(lines) * leading <= height - 2 * margin or size < 6:
            break
        size -= 0.5
    c.setFont(fonts.regular, size)
    y = height - margin - size
    for line in lines:
        x = x0 + margin + (0.6 * cm if line.startswith("\t") else 0)
        c.drawString(x, y, line.lstrip("\t"))
        y -= leading
    c.setFont(fonts.regular, 8)
    if number == "footer" and page.label:
        c.drawCentredString(x0 + width / 2, 0.8 * cm, page.label)
    elif number == "header":
        title = running_title or ""
        if recto:  # odd printed pages carry the number on the right, as in most books
            c.drawString(x0 + margin, height - 0.9 * cm, title)
            c.drawRightString(x0 + width - margin, height - 0.9 * cm, page.label)
        else:
            c.drawString(x0 + margin, height - 0.9 * cm, page.label)
            c.drawRightString(x0 + width - margin, height - 0.9 * cm, title)


def write_book_txt(pages: list[BookPage], path: Path, *, numbers: bool = True) -> Path:
    """``pages`` as text, a form feed between pages, each page's number on its last line when
    ``numbers`` (what ``pdftotext`` gives for a book numbered in the footer)."""
    parts = []
    for page in pages:
        body = "\n\n".join(page.paragraphs)
        parts.append(f"{body}\n\n{page.label}\n" if numbers else f"{body}\n")
    Path(path).write_text("\f".join(parts), encoding="utf-8")
    return Path(path)


def _roman_value(numeral: str) -> int:
    values = [{"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}[ch] for ch in numeral.lower()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
