"""Quotations: « » and “ ” pairs, Markdown block quotes, and quotations whose marks went missing.

Marks are balanced block by block and what is left unbalanced is resolved, never dropped
(``quote_marks.py`` says how); besides the marked quotations:

- a long paragraph with no marks that ends with a page reference is a quotation flagged
  ``no_quote_marks``; one ending with a bracketed speaker (``[Brigitte, 50 ans, infirmière]``) is an
  interview ``excerpt``; a block indented by spaces or a tab (verse, one per line) is a quotation
  with the place it ends with (``(v. 269-276)``), or the reference alone on the line below it.

Slides and bullet lists put the source on the line under the quotation, set off by a dash
(``— Foucault, p. 34``) or in brackets, which gives the quotation its reference.

Reading notes give pages their own ways: a page line closing a ``>`` block quote (``> p.219``), a
callout title (``> [!quote] Titre (p. 65)``), a page heading over that page's notes
(``**P.26**``) or a page opening the paragraph (``p. 45 : …``). Citations without a reference of
their own take those; quoted terms and fragments of a passage already quoted do not.
"""

from __future__ import annotations

import re

from pipeline.document import Block, Document
from pipeline.models import Issue, Quote, Reference, Section, Span
from pipeline.stages import footnotes, references
from pipeline.stages.blockquotes import blockquote_quotes
from pipeline.stages.locate import SectionIndex, boxes
from pipeline.stages.page_headings import apply_page_headings
from pipeline.stages.quote_marks import MAX_NESTING, Pair, balance, resolve_pairs
from pipeline.stages.quote_records import (ATTRIBUTION, LEAD, WS, bracket_before, make_quote,
                                           count_words, reads_as_citation, reference_line, trim)
from pipeline.stages.reference_parsing import parse_entry, parse_reference
from pipeline.stages.unmarked_quotes import unmarked_quotes

_HAS_WORD = re.compile(r"\w")
# What closes a reference before the next sentence: "(p. 1). Puis" -> the next quotation is "Puis".
_REFERENCE_TAIL = re.compile(r"[)\]]?[ \t\u00a0\u202f.,;:]*")
# A quotation needs this many words to take the reference closing its sentence after an incise
# ("« … », écrit Weber (p. 12)"); a quoted term followed by a gloss does not.
_INCISE_MIN_WORDS = 4
_ATTRIBUTION_GAP = re.compile(r"[*_]{0,3}[ \t\u00a0\u202f.,]*")


class QuoteFinder:
    """Finds the quotations of a document whose sections are known (headings break quotations)."""

    def __call__(self, doc: Document, sections: list[Section]) -> list[Quote]:
        text = doc.text
        blocks = doc.blocks
        heading_starts = {s.heading_span.start for s in sections}
        # A heading ends any quotation running over blocks: each block gets the index of the first
        # block of its region; heading blocks are regions of their own (negative).
        region: list[int] = []
        current = 0
        for i, block in enumerate(blocks):
            if block.kind == "heading" or block.start in heading_starts:
                region.append(-1 - i)
                current = i + 1
            else:
                region.append(current)
        marks = [balance(text, block, i) for i, block in enumerate(blocks)]
        _say_too_deep(doc, [p for bm in marks for p in bm.too_deep])
        pairs = resolve_pairs(text, blocks, marks, region)
        pairs.sort(key=lambda p: (p.open if p.open is not None else p.close, -(p.close or 0)))
        quotes = self._build(doc, blocks, pairs)
        quotes += unmarked_quotes(doc, blocks, quotes, region)
        quotes += blockquote_quotes(doc, blocks, quotes)
        quotes.sort(key=lambda q: q.outer_span.start)
        apply_page_headings(doc, blocks, quotes, heading_starts)
        _drop_borrowed_references_of_fragments(doc, quotes)
        return _nest(quotes, sections, doc)

    # -- records -------------------------------------------------------------------------------
    def _build(self, doc: Document, blocks: list[Block], pairs: list[Pair]) -> list[Quote]:
        text = doc.text
        quotes: list[Quote] = []
        previous_end: dict[int, int] = {}
        for pair in pairs:
            first, last = blocks[pair.block], blocks[pair.end_block]
            reference: Reference | None = None
            if pair.open is None:
                # Missing opening mark: the quotation starts with its block, or after the previous
                # quotation of the block when there is one.
                floor = max(first.start, previous_end.get(pair.block, first.start))
                inner_start, outer_start = floor, floor
            else:
                outer_start, inner_start = pair.open, pair.open + 1
            if pair.close is None:
                end = last.end
                reference = references.find_trailing(text, inner_start, end)
                if reference is not None:
                    end = bracket_before(text, reference, inner_start)
                inner_end = outer_end = end
            else:
                inner_end, outer_end = pair.close, pair.close + 1
            start, end = trim(text, inner_start, inner_end, LEAD if pair.open is None else WS)
            if (pair.open is None or pair.close is None) and not _HAS_WORD.search(text, start, end):
                # A stray mark with nothing quotable next to it ("»»»", "« » »", "«««"): no
                # quotation, but a recovered one after it still starts after it.
                if pair.open is None:
                    previous_end[pair.block] = max(previous_end.get(pair.block, 0), outer_end)
                continue
            if end <= start:
                continue
            if reference is None and pair.close is not None:
                reference = references.find_after(text, outer_end, last.end)
            if reference is None and pair.close is not None and last.kind == "blockquote" \
                    and pair.end_block + 1 < len(blocks) and not text[outer_end:last.end].strip(WS + ".*_"):
                # "> « … »\n>\n> (p. 12)": the reference is the next paragraph of the block quote.
                nxt = blocks[pair.end_block + 1]
                if nxt.kind == "blockquote" and nxt.first_line == nxt.last_line \
                        and all(doc.lines[k].quote_depth for k in range(last.last_line, nxt.first_line + 1)):
                    reference = reference_line(text, nxt.start, nxt.end)
            if reference is None and pair.close is not None:
                # »[3] or »³ with the page in the note: the reference is the note's.
                reference = footnotes.find_note(text, outer_end)
            if reference is None and pair.close is not None and count_words(text[start:end]) >= _INCISE_MIN_WORDS:
                # « … », mot rapporté par X (cité par Y, p. 12). An incise naming the speaker
                # stands between the quotation and the reference closing its sentence.
                reference = references.find_after_incise(text, outer_end, last.end)
            if reference is None and pair.close is not None:
                # The reference typed inside the closing mark: « … le travail (p. 12) ». It is the
                # handout's, not the author's words: the quotation ends before its bracket.
                inside = references.find_trailing(text, start, end)
                if inside is not None and inside.kind not in ("location", "chapter"):
                    reference = inside
                    start, end = trim(text, start, bracket_before(text, inside, start),
                                       LEAD if pair.open is None else WS)
                    if end <= start:
                        continue
            if reference is None and pair.close is not None:
                # « … » on its line, "— Foucault, p. 34" on the next (slides, bullets).
                reference = _attribution_line(doc, blocks, pair.end_block, outer_end)
            attribution = None
            if reference is None and pair.close is not None:
                # « … » [Brigitte, 50 ans, infirmière]: an interview excerpt and its speaker.
                gap = _ATTRIBUTION_GAP.match(text, outer_end, last.end).end()
                if (m := ATTRIBUTION.match(text, gap, last.end)) \
                        and parse_reference(m.group("who"), 0) is None:
                    attribution = m.group("who").strip()
            if reference is None and pair.open is not None:
                reference = references.find_before(text, pair.open, max(first.start, previous_end.get(pair.block, 0)))
            if pair.open is None:
                outer_start = start
            if pair.close is None:
                outer_end = end
            if reference is not None:
                # A quotation missing its opening mark starts after the last referenced one of its
                # block; quoted terms before it are part of it.
                previous_end[pair.end_block] = max(previous_end.get(pair.end_block, 0),
                                                   _REFERENCE_TAIL.match(text, reference.span.end).end())
            elif pair.open is None:
                # Nor does it start before the end of another one missing its opening mark: "A » B »"
                # is two quotations, not "A" and "A » B" (nor n overlapping ones, quadratic in size,
                # for a line of n stray »).
                previous_end[pair.end_block] = max(previous_end.get(pair.end_block, 0), outer_end)
            quotes.append(make_quote(doc, start, end, outer_start, outer_end, pair.open_mark,
                                     pair.close_mark, reference, list(pair.issues),
                                     kind="excerpt" if attribution else None, attribution=attribution))
        return quotes


def _say_too_deep(doc: Document, dropped: list[Pair]) -> None:
    """Quotations nested deeper than MAX_NESTING are not read as quotations of their own; the
    document says so once (where the first is, and how many)."""
    if not dropped or any(issue.code == "nesting_too_deep" for issue in doc.issues):
        return
    first = min(dropped, key=lambda p: p.open)
    doc.issues.append(Issue(code="nesting_too_deep", severity="warning", span=Span(start=first.open, end=first.close + 1),
                            message=f"{len(dropped)} quotation(s) nested more than {MAX_NESTING} deep inside others "
                                    "are not read as quotations of their own; check the quote marks there."))


# What may close the quotation's line before an attribution line below it: "»." "»*" "» ;".
_LINE_REST = re.compile(r"[*_ \t\u00a0\u202f.,;:]*$")
# An attribution line below a quotation is set off by a dash ("— Foucault, p. 34", "– Bourdieu,
# p. 12", "- Elias, p. 3" as a bullet) or brackets ("(Castel, p. 318)"), the typographic
# convention of an epigraph's source; an undashed line below is the handout's own text.
_ATTRIBUTION_LEAD = re.compile(r"[ \t]*[*_]{0,2}[ \t]*(?:[-–—‒―][ \t\u00a0]*|(?=[(\[]))")
# An attribution line is short: author, title, page.
_ATTRIBUTION_MAX = 120


def _attribution_line(doc: Document, blocks: list[Block], b: int, outer_end: int) -> Reference | None:
    """The reference standing alone on the line right under a quotation that ends its own line:

        « Le pouvoir n'est pas une institution … »
        — Foucault, p. 123

    The line below may continue the quotation's block or be the next block (after a blank line,
    or a list item led by a dash)."""
    text = doc.text
    line = doc.line_at(outer_end)
    if not _LINE_REST.match(text, outer_end, line.end):
        return None
    below = line.index + 1
    if below < len(doc.lines) and doc.lines[below].kind == "blank":
        below += 1  # one blank line between them
    if below >= len(doc.lines) or doc.lines[below].kind != "text":
        return None
    nxt = doc.lines[below]
    if below > blocks[b].last_line:
        # A line of its own: the next block, one line long and no heading.
        k = b + 1
        if k >= len(blocks) or blocks[k].first_line != below or blocks[k].last_line != below \
                or blocks[k].kind not in ("paragraph", "item"):
            return None
    if nxt.end - nxt.start > _ATTRIBUTION_MAX or nxt.quote_depth:
        return None
    lead = _ATTRIBUTION_LEAD.match(text, nxt.start, nxt.end)
    if lead is None:
        return None
    end = nxt.end
    while end > lead.end() and text[end - 1] in " \t.*_":
        end -= 1  # the full stop closing the line is no part of the reference
    if text[lead.end():lead.end() + 1] in ("(", "["):
        # Wholly in brackets: "(Castel, p. 318)", never a note "[3] Ibid., p. 86" below.
        closing = ")" if text[lead.end()] == "(" else "]"
        return reference_line(text, lead.end(), end) if text[end - 1:end] == closing else None
    # A full entry as well: "— M. Foucault, Surveiller et punir : naissance de la prison, p. 34".
    return reference_line(text, lead.end(), end) or parse_entry(text[lead.end():end], lead.end(), position="block")


_FRAGMENT_NOISE = re.compile(r"[\W_]+")


def _drop_borrowed_references_of_fragments(doc: Document, quotes: list[Quote]) -> None:
    """A fragment of a passage already quoted (« je le vis » after the whole verse) is the
    handout commenting its words, not a new quotation: it keeps no reference it only borrowed
    from a page heading or from the end of its sentence. One with its own reference keeps it."""
    text = doc.text

    def borrowed(quote: Quote) -> bool:
        ref = quote.reference
        return ref is not None and (
            ref.position == "page_heading"
            or (ref.position == "after" and "," in text[quote.outer_span.end:ref.span.start]
                and len(text[quote.outer_span.end:ref.span.start].split()) > 2))

    if not any(borrowed(q) for q in quotes):
        return
    seen = ""  # the passages quoted so far, one string: one C-level search per quotation
    for quote in quotes:
        body = _FRAGMENT_NOISE.sub(" ", quote.text.lower()).strip()
        if body and borrowed(quote) and body in seen:
            # A repeated passage stays a citation (unreferenced: its page was given before).
            quote.reference = None
            quote.kind = "citation" if reads_as_citation(doc, quote.text, quote.outer_span.start,
                                                         quote.outer_span.end) else "term"
        if len(body) > 40:
            seen += "\n" + body


def _nest(quotes: list[Quote], sections: list[Section], doc: Document) -> list[Quote]:
    """Fold quotations lying inside another into its ``nested`` list; number and place the rest."""
    top: list[Quote] = []
    for quote in quotes:
        if top and quote.outer_span.start >= top[-1].outer_span.start and quote.outer_span.end <= top[-1].outer_span.end:
            top[-1].nested.append(quote.outer_span)
            continue
        top.append(quote)
    index = SectionIndex(sections)
    for n, quote in enumerate(top, 1):
        quote.id = f"q{n}"
        quote.section_id = index.at(quote.outer_span.start)
        quote.page = doc.page_at(quote.span.start)
        quote.boxes = boxes(doc, quote.span.start, quote.span.end)
        if quote.reference is not None:
            quote.reference.page = doc.page_at(quote.reference.span.start)
    return top
