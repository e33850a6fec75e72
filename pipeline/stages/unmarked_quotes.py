"""Quotations without quote marks: a long paragraph ending with its page reference, an interview
excerpt ending with its speaker in brackets, and a passage set off by indentation (verse, one per
line, or a block quotation indented by spaces or a tab) with its place or the reference below it."""

from __future__ import annotations

import re

from pipeline.document import Block, Document
from pipeline.models import Quote, Reference
from pipeline.stages import references
from pipeline.stages.quote_marks import MARKS
from pipeline.stages.quote_records import (ATTRIBUTION, LEAD, Coverage, bracket_before, make_quote,
                                           count_words, reference_line, trim)
from pipeline.stages.reference_parsing import parse_reference

# A paragraph with no marks needs this many words before its trailing reference to be taken for an
# unmarked quotation rather than a paraphrase ("Voir le tableau (p. 12)").
_UNMARKED_MIN_WORDS = 12
# An indented block of several lines (verse) is a quotation from this many words.
_VERSE_MIN_WORDS = 6


def unmarked_quotes(doc: Document, blocks: list[Block], quotes: list[Quote],
                    region: list[int]) -> list[Quote]:
    """Paragraphs with no quote marks ending with a reference or a speaker in brackets."""
    text = doc.text
    covered = Coverage(quotes)
    found: list[Quote] = []
    for i, block in enumerate(blocks):
        if region[i] < 0 or block.kind not in ("paragraph", "item"):
            continue
        if covered.overlaps(block.start, block.end):
            continue
        if m := ATTRIBUTION.search(text, block.start, block.end):
            who = m.group("who")
            if parse_reference(who, 0) is None and count_words(text[block.start:m.start()]) >= 8:
                start, end = trim(text, block.start, m.start(), LEAD)
                found.append(make_quote(doc, start, end, start, end, None, None, None,
                                        ["no_quote_marks"], kind="excerpt",
                                        attribution=who.strip()))
                continue
        reference = references.find_trailing(text, block.start, block.end)
        end_at = None
        if reference is None and i + 1 < len(blocks) and blocks[i + 1].first_line == blocks[i + 1].last_line \
                and blocks[i + 1].kind == "paragraph" and blocks[i + 1].end - blocks[i + 1].start <= 60 \
                and _set_off(doc, blocks, i):
            # An indented passage whose reference stands alone below it, after a blank line:
            # "    Texte cité…\n\n    (p. 23)".
            reference = reference_line(text, blocks[i + 1].start, blocks[i + 1].end)
            end_at = block.end
        if reference is None:
            continue
        indented = _set_off(doc, blocks, i) or _verse_lines(doc, block, reference)
        # "(Introduction)" or "(v. 12)" after a plain paragraph is the handout pointing at a
        # place it sums up; a block indented as a quotation (verse, a passage set off by
        # spaces or a tab), or short lines of verse ending with their verse numbers, is the
        # quoted text itself.
        if reference.kind in ("location", "chapter") and not indented:
            continue
        start, end = trim(text, block.start, end_at if end_at is not None
                           else bracket_before(text, reference, block.start), LEAD)
        # Verse runs short: two indented lines of a play are a quotation.
        least = _VERSE_MIN_WORDS if indented and block.last_line > block.first_line else _UNMARKED_MIN_WORDS
        if count_words(text[start:end]) < least or MARKS.search(text, start, end):
            continue
        # A passage set off by indentation needs no quote marks: typographically correct.
        found.append(make_quote(doc, start, end, start, end, None, None, reference,
                                [] if indented else ["no_quote_marks"], kind="citation"))
    return found


def _indented(doc: Document, block: Block) -> bool:
    """A block whose lines are all set off by a tab or two spaces or more (a block quotation)."""
    for line in doc.lines[block.first_line:block.last_line + 1]:
        if line.kind != "text" or line.quote_depth or line.bullet:
            return False
        lead = doc.text[line.start:line.content_start]
        if not (lead.startswith("\t") or lead.startswith("  ")):
            return False
    return True




def _set_off(doc: Document, blocks: list[Block], i: int) -> bool:
    """An indented block between text that is not: a block quotation. When the paragraphs on both
    sides are indented too, the indent is the alinéa of every paragraph (Word exports), not a quote."""
    if not _indented(doc, blocks[i]):
        return False
    neighbours = [blocks[j] for j in (i - 1, i + 1) if 0 <= j < len(blocks) and blocks[j].kind == "paragraph"]
    return len(neighbours) < 2 or not all(_indented(doc, b) for b in neighbours)


_VERSE_REFERENCE = re.compile(r"(?:.*,\s*)?(?:vv?\.|vers)\s*\d", re.I)


def _verse_lines(doc: Document, block: Block, reference: Reference) -> bool:
    """Two lines or more, each as short as a verse, closed by verse numbers ("(v. 237-238)")."""
    if block.last_line == block.first_line or not _VERSE_REFERENCE.match(reference.raw):
        return False
    return all(line.end - line.content_start <= 60 for line in doc.lines[block.first_line:block.last_line + 1])
