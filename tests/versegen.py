"""Build sources that number their own lines or sections, for the locator tests and the benchmark.

This is a test helper, not a test file. ``verse_lines`` lays prose passages out as a play: verses of
a few words, scenes opening with a heading, speakers' names in capitals on lines of their own,
every fifth verse numbered in the margin (the numbering restarting with each scene, or running on).
``treatise_lines`` lays paragraphs out as a treatise in numbered sections ("§ 12." or "12." opening
their first line). ``paginate`` cuts the lines into printed pages, ``render_numbered`` prints them as
a PDF (margin numbers drawn in the right margin, after their line, as editions do; the page number
in the footer) and ``write_numbered_txt`` as text with form feeds, the margin numbers at the lines'
ends as ``pdftotext -layout`` gives them. Every line knows its verse and section, so a test knows
where each quotation is.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from pathlib import Path

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from tests.pdfgen import _fonts

__all__ = ["Line", "NumberedPage", "verse_lines", "treatise_lines", "paginate", "page_of", "render_numbered",
           "write_numbered_txt", "without_margin"]

_SPEAKERS = ["ALCESTE.", "PHILINTE.", "ORONTE.", "CÉLIMÈNE.", "ÉLIANTE."]
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
          "XVI", "XVII", "XVIII", "XIX", "XX"]


@dataclass(frozen=True)
class Line:
    text: str
    verse: int | None = None  # the line's number in the play, None for a heading or a speaker's name
    section: int | None = None  # the section it belongs to (a treatise)
    margin: bool = False  # its number printed in the margin
    speech: int = 0  # which speech (a speaker's lines run on): quotations stay inside one


@dataclass
class NumberedPage:
    label: str
    lines: list[Line]


def verse_lines(paragraphs: list[str], rng: random.Random, *, count: int, restart: bool = True,
                every: int = 5, speakers: bool = True) -> list[Line]:
    """``count`` verses cut from ``paragraphs`` (6 to 10 words each), in scenes of 40 to 90."""
    words = [w for p in paragraphs for w in p.split()]
    lines: list[Line] = []
    at, verse, scene, speech = 0, 0, 0, 0
    made = 0
    while made < count and at < len(words):
        scene += 1
        lines.append(Line(f"SCÈNE {_ROMAN[(scene - 1) % len(_ROMAN)]}."))
        if restart:
            verse = 0
        left = rng.randint(40, 90)
        while left > 0 and made < count and at < len(words):
            speech += 1
            if speakers:
                lines.append(Line(rng.choice(_SPEAKERS)))
            for _ in range(min(left, rng.randint(3, 12))):
                n = rng.randint(6, 10)
                text = " ".join(words[at:at + n])
                at += n
                if not text:
                    break
                verse += 1
                lines.append(Line(text, verse=verse, margin=verse % every == 0, speech=speech))
                left -= 1
                made += 1
    return lines


def treatise_lines(paragraphs: list[str], rng: random.Random, *, sections: int, style: str = "§",
                   per_section: tuple[int, int] = (1, 3), width: float = 300, font_size: float = 8.5) -> list[Line]:
    """``sections`` sections of ``per_section`` (one to three) of ``paragraphs``, each opening "§ n."
    (``style`` "§") or "n." (``style`` "n."), wrapped to ``width`` points."""
    font = _fonts().regular
    lines: list[Line] = []
    queue = list(paragraphs)
    speech = 0
    for n in range(1, sections + 1):
        for k in range(rng.randint(*per_section)):
            if not queue:
                return lines
            speech += 1
            text = queue.pop(0)
            if k == 0:
                text = (f"§ {n}. " if style == "§" else f"{n}. ") + text
            line = ""
            for word in text.split():
                candidate = f"{line} {word}" if line else word
                if line and pdfmetrics.stringWidth(candidate, font, font_size) > width:
                    lines.append(Line(line, section=n, speech=speech))
                    line = word
                else:
                    line = candidate
            if line:
                lines.append(Line(line, section=n, speech=speech))
    return lines


def paginate(lines: list[Line], *, per_page: int = 28, first: int = 1,
             title: list[str] | None = None) -> list[NumberedPage]:
    """``lines`` cut into printed pages numbered from ``first``; ``title`` lines open the first page."""
    body = [Line(t) for t in title or []] + lines
    return [NumberedPage(str(first + i), body[k:k + per_page]) for i, k in enumerate(range(0, len(body), per_page))]


def page_of(pages: list[NumberedPage]) -> dict[int, str]:
    """Where each line (by ``id``) is printed: its page's label."""
    return {id(line): page.label for page in pages for line in page.lines}


def render_numbered(pages: list[NumberedPage], path: Path, *, font_size: float = 8.5) -> Path:
    fonts = _fonts()
    width, height = A5
    margin = 1.6 * cm
    leading = 1.3 * font_size
    c = Canvas(str(path), pagesize=A5, invariant=True)
    for page in pages:
        y = height - margin - font_size
        for line in page.lines:
            c.setFont(fonts.regular, font_size)
            c.drawString(margin, y, line.text)
            if line.margin and line.verse is not None:
                c.setFont(fonts.regular, 6.5)
                c.drawRightString(width - 0.6 * cm, y, str(line.verse))
            y -= leading
        c.setFont(fonts.regular, 8)
        c.drawCentredString(width / 2, 0.8 * cm, page.label)
        c.showPage()
    c.save()
    return Path(path)


def write_numbered_txt(pages: list[NumberedPage], path: Path) -> Path:
    parts = []
    for page in pages:
        body = [f"{line.text:<72} {line.verse}" if line.margin and line.verse is not None else line.text
                for line in page.lines]
        parts.append("\n".join(body) + f"\n\n{page.label}\n")
    Path(path).write_text("\f".join(parts), encoding="utf-8")
    return Path(path)


def without_margin(lines: list[Line]) -> list[Line]:
    """The same lines with no number printed: a source that does not number them."""
    return [replace(line, margin=False) for line in lines]
