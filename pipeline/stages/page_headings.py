"""Pages given apart from the quotation: a page line over that page's notes (``**P.26**``,
``## Page 26``, ``p. 26 :``) or a page opening the paragraph (``p. 45 : …``)."""

from __future__ import annotations

import bisect
import re

from pipeline.document import Block, Document
from pipeline.models import Quote, Reference
from pipeline.stages import references
from pipeline.stages.reference_parsing import DASH, PAGE_WORD, SP, parse_reference

_PAGE_LINE_HINT = re.compile(r"[*_#\s\[(]*p[\w .\u00a0]{0,6}\d", re.I)
# A line holding only a page is this short ("**P. 364**", "### p. 12-13 :").
_PAGE_LINE_MAX = 30
# A page heading may name the topic of its notes after a colon, a dash or a bracket:
# "### p. 12 — le corps", "**P. 364** (chapitre 3)", "p. 45 : la norme". A line this long at most;
# with a quote mark in it, it is a note on a quotation, not a heading ("p. 45 : il écrit « … »").
_TITLED_MAX = 80
_TITLED = re.compile(
    rf"[*_#{SP[1:-1]}]*\[?(?P<bare>{PAGE_WORD}{SP}*\d{{1,5}}(?:{SP}*{DASH}{SP}*\d{{1,5}})?)\]?[*_]*"
    rf"{SP}*(?:[:–—-]|(?=\())(?P<topic>[^«»“”\"]*)$", re.I)


def apply_page_headings(doc: Document, blocks: list[Block], quotes: list[Quote], heading_starts: set[int]) -> None:
    """Reading notes put the page on a line of its own before that page's notes ("**P.26**",
    "p. 26 :", "## Page 26"): the citations below it, up to the next page line or heading, take
    it when they have no reference of their own. Quoted terms do not: a page heading is no
    reference of theirs."""
    if not any(q.reference is None and q.kind == "citation" for q in quotes):
        return
    text = doc.text
    used = {q.reference.span.start for q in quotes if q.reference is not None}
    marks: list[tuple[int, Reference | None]] = []  # (offset, page line or None for a heading)
    for block in blocks:
        # A page heading is a line of its own, or the first line of a block when the notes of
        # that page follow it with no blank line (Obsidian shows a single line break as one):
        # "**P. 364**\nLe panoptique comme modèle.".
        first = doc.lines[block.first_line]
        end = min(block.end, first.end)
        if block.start in heading_starts or block.kind == "heading":
            marks.append((block.start, _page_line(text, block.start, end)))
            continue
        if text[block.start:block.start + 1] in "([" or not _PAGE_LINE_HINT.match(text, block.start, end):
            continue  # "(p. 23)" alone under a quotation is that quotation's reference
        reference = _page_line(text, block.start, end)
        if reference is not None and reference.span.start not in used \
                and not (doc.page_starts and doc.page_at(block.start) in reference.pages):
            # (A PDF's own folio, "Page 3" printed on page 3, is no page of the book.)
            marks.append((block.start, reference))
    starts = [offset for offset, _ in marks]
    block_starts = [block.start for block in blocks]
    for quote in quotes:
        if quote.reference is not None or quote.kind != "citation":
            continue
        # The page opening the quotation's own paragraph ("p. 45 : l'auteur écrit « … »") first.
        b = bisect.bisect_right(block_starts, quote.outer_span.start) - 1
        if b >= 0 and (leading := references.find_leading(text, blocks[b].start, quote.outer_span.start)):
            quote.reference = leading
        else:
            k = bisect.bisect_right(starts, quote.outer_span.start) - 1
            if k < 0 or marks[k][1] is None:
                continue
            quote.reference = marks[k][1].model_copy(update={"position": "page_heading"})
        if "missing_reference" in quote.issues:
            quote.issues.remove("missing_reference")



def _page_line(text: str, start: int, end: int) -> Reference | None:
    """A line holding only a page ("p.219", "(p. 12)", "**P.26**", "Page 26 :"), or a page then
    the topic of its notes ("### p. 12 — le corps"), or ``None``."""
    chunk = text[start:end]
    lead = len(chunk) - len(chunk.lstrip(" \t*_#\u00a0"))
    tail = len(chunk.rstrip(" \t*_:\u00a0"))
    if tail <= lead:
        return None
    reference = references.find_in(text, start + lead, start + tail) if end - start <= _PAGE_LINE_MAX else None
    if (reference is None or reference.kind == "malformed") and end - start <= _TITLED_MAX and (m := _TITLED.match(text, start, end)):
        reference = parse_reference(m.group("bare"), m.start("bare"), position="block")
    if reference is None or reference.kind not in ("page", "page_range", "page_list") \
            or reference.back_reference or reference.author:
        return None
    return reference
