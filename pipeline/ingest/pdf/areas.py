"""The parts of a page that are not its running text: running headers and footers, the footnote
area at the foot of the page (or of a column), figure and table captions; and the body's type size
they are told from."""

from __future__ import annotations

import re
from collections import Counter

from pipeline.ingest.pdf.layout import Line

_PAGE_NUMBER = re.compile(r"^(?:page|p\.)?\s*#\s*(?:(?:/|sur|of|de)\s*#)?$|^[-–—]\s*#\s*[-–—]$", re.I)

# ("Document 1 : …" is left out: in a TD dossier it heads a section, it is no float.)
CAPTION = re.compile(r"^(?:Figure|Fig\.|Tableau|Table|Graphique|Illustration|Image|Carte|Photo)"
                     r"\s*(?:n°\s*)?\d+[a-z]?(?P<sep>\s*[:.–—-]|\s*$)?", re.I)


def mark_captions(lines: list[Line], left: float, right: float) -> None:
    """Flag figure and table captions ("Figure 2 – …", or a centred "Figure 2 …" whose separator
    glyph did not decode). LaTeX floats them to the top or bottom of a page, often in the middle of
    a sentence; they are written after the paragraph they interrupt, as footnotes are."""
    previous: Line | None = None
    for line in lines:
        m = CAPTION.match(line.text)
        centred = m and line.words[0].x0 - left > 2 * line.size and \
            abs((line.words[0].x0 - left) - (right - line.words[-1].x1)) < 0.1 * (right - left)
        if m and (m.group("sep") is not None or centred):
            line.caption = True
        elif previous is not None and previous.caption and previous.page == line.page and \
                previous.column == line.column and 0 <= line.top - previous.bottom < 0.6 * line.size and \
                abs(line.size - previous.size) < 0.5:
            line.caption = True  # a caption wrapped over two lines
        previous = line


_NOTE_MARK = re.compile(r"^(?:\[\d{1,3}\]|\d{1,3}[.)]?|[a-z][.)]|[*†‡]|[¹²³⁰⁴-⁹]+)$")


def split_notes(lines: list[Line], height: float, rules: list[tuple[float, float, float]],
                body_size: float) -> tuple[list[Line], list[Line]]:
    """The page's body and its footnote area: the lines at the foot of the page (or of a column:
    LaTeX's twocolumn sets the notes under each column) set smaller than the body, under a short
    rule or starting with a note number. The notes are written after the paragraph that is open at
    the page's end, so that they never cut a sentence or a quotation running over the page break."""
    found: set[int] = set()
    for column in sorted({l.column for l in lines}):
        found.update(id(l) for l in _note_area([l for l in lines if l.column == column], height, rules, body_size))
    if not found:
        return lines, []
    notes = [l for l in lines if id(l) in found]
    for line in notes:
        line.note = True
        words = line.words
        # "a." may come as two words when the letter is set in italics: "a" + "."
        line.note_start = bool(_NOTE_MARK.match(words[0].text)) or \
            (len(words) > 1 and _NOTE_MARK.match(words[0].text + words[1].text) is not None
             and words[1].x0 - words[0].x1 < 0.3 * words[0].size)
    return [l for l in lines if id(l) not in found], notes


def _note_area(lines: list[Line], height: float, rules: list[tuple[float, float, float]],
                body_size: float) -> list[Line]:
    small = [l for l in lines if l.size < 0.92 * body_size and l.top > 0.5 * height]
    if not small:
        return []
    first = min(small, key=lambda l: l.top)
    left = min(l.words[0].x0 for l in lines)
    width = max(l.words[-1].x1 for l in lines) - left
    # The separator starts at the text's (or the column's) left edge and is short.
    above = [r for r in rules if 0.5 * height < r[0] < first.top and abs(r[1] - left) < 10 and r[2] - r[1] < 0.6 * width]
    if above:
        limit = max(r[0] for r in above)
    else:
        starts = [l for l in small if _NOTE_MARK.match(l.words[0].text)]
        if not starts:
            return []
        limit = min(l.top for l in starts) - 0.1
    # The area runs to the foot of the page or column: no body-size line below it.
    if any(l.top > limit and l.size >= 0.92 * body_size for l in lines):
        return []
    return [l for l in lines if l.top > limit]


def _signature(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


def drop_running_lines(pages: list[list[Line]], heights: list[float]) -> list[list[Line]]:
    """Drop running headers and footers: lines in the top or bottom margin that repeat across
    pages (digits aside) or are page numbers."""
    def in_margin(line: Line, height: float) -> bool:
        return line.top < 0.09 * height or line.bottom > 0.91 * height

    counts = Counter()
    for lines, height in zip(pages, heights):
        counts.update({_signature(l.text) for l in lines if in_margin(l, height)})
    repeated = {sig for sig, n in counts.items() if n >= max(2, (len(pages) + 1) // 2)}
    kept = []
    for lines, height in zip(pages, heights):
        edge = {id(lines[0]), id(lines[-1])} if lines else set()
        kept.append([l for l in lines
                     if not (in_margin(l, height) and _signature(l.text) in repeated)
                     # A bare page number ("3", "- 3 -", "Page 3 / 12") ends or starts a page
                     # wherever the template puts it.
                     and not ((in_margin(l, height) or id(l) in edge) and _PAGE_NUMBER.match(_signature(l.text)))])
    return kept


def body_size_of(pages: list[list[Line]]) -> float:
    sizes = Counter()
    for lines in pages:
        for line in lines:
            for word in line.words:
                sizes[round(word.size, 1)] += len(word.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0
