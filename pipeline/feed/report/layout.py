"""A handout's text cut into what the page shows: blocks (headings, paragraphs) made of pieces,
each piece a run of characters under the same marks (quotation, reference, concept mention,
finding, changed words).

Marks overlap freely in a handout (a concept inside a quotation, a finding over a reference), and
HTML elements must nest: cutting the text at every mark's ends gives flat pieces that each carry
all the marks over them, so nothing has to nest."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.models import Finding, Handout

# A blank line ends a paragraph, as in the Markdown and plain-text handouts tdx reads.
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


@dataclass
class Piece:
    text: str
    classes: list[str] = field(default_factory=list)
    concepts: list[str] = field(default_factory=list)  # concept ids mentioned here
    quote_id: str | None = None
    # Quotation kinds (and changed words) starting and ending with this piece: colour tells them
    # apart on screen, and these say it to a screen reader, which reads no colour ("citation :" ...
    # "fin de la citation").
    opens: list[str] = field(default_factory=list)
    closes: list[str] = field(default_factory=list)


@dataclass
class Block:
    start: int
    end: int
    pieces: list[Piece]
    heading: object | None = None  # the Section this block is the heading of
    findings: list[tuple[int, Finding]] = field(default_factory=list)  # (number on the page, finding)


@dataclass
class _Mark:
    start: int
    end: int
    cls: str
    concept: str | None = None
    quote_id: str | None = None
    kind: str | None = None  # told to screen readers: a quotation's kind, or "changed" words


def _marks(handout: Handout, findings: list[Finding]) -> list[_Mark]:
    marks: list[_Mark] = []
    for quote in handout.quotes:
        marks.append(_Mark(quote.outer_span.start, quote.outer_span.end, f"q q-{quote.kind}", quote_id=quote.id,
                           kind=quote.kind))
        if quote.reference is not None:
            marks.append(_Mark(quote.reference.span.start, quote.reference.span.end, "ref"))
    for concept in handout.concepts:
        for mention in concept.mentions:
            marks.append(_Mark(mention.span.start, mention.span.end, "m", concept=concept.id))
    for entity in handout.entities:
        for mention in entity.mentions:
            marks.append(_Mark(mention.span.start, mention.span.end, f"e e-{entity.label.lower()}"))
    for finding in findings:
        if finding.span is not None and finding.code != "verified":
            marks.append(_Mark(finding.span.start, finding.span.end, f"f f-{finding.severity}"))
        for change in finding.diff:
            if change.span is not None and change.span.end > change.span.start:
                marks.append(_Mark(change.span.start, change.span.end, "changed", kind="changed"))
    return [m for m in marks if m.end > m.start]


def _pieces(text: str, start: int, end: int, marks: list[_Mark]) -> list[Piece]:
    inside = [m for m in marks if m.start < end and m.end > start]
    cuts = sorted({start, end} | {m.start for m in inside if start < m.start < end}
                  | {m.end for m in inside if start < m.end < end})
    pieces = []
    for left, right in zip(cuts, cuts[1:]):
        over = [m for m in inside if m.start <= left and m.end >= right]
        classes = list(dict.fromkeys(c for m in over for c in m.cls.split()))
        concepts = list(dict.fromkeys(m.concept for m in over if m.concept))
        quote_id = next((m.quote_id for m in over if m.quote_id), None)
        opens = [m.kind for m in over if m.kind and m.start == left]
        closes = [m.kind for m in over if m.kind and m.end == right]
        pieces.append(Piece(text[left:right], classes, concepts, quote_id, opens, closes))
    return pieces


def blocks(handout: Handout, findings: list[Finding]) -> tuple[list[Block], list[tuple[int, Finding]]]:
    """The text as blocks, each finding attached to the block its span starts in; the findings
    about the whole handout (no span) come back apart. Findings are numbered in text order, so
    that the number beside the passage and the note in the margin or at the foot match."""
    text = handout.text
    headings = {s.heading_span.start: s for s in handout.sections}
    bounds: list[tuple[int, int]] = []
    position = 0
    for brk in _PARAGRAPH_BREAK.finditer(text):
        bounds.append((position, brk.start()))
        position = brk.end()
    bounds.append((position, len(text)))
    # A heading is its own block even when no blank line follows it.
    split: list[tuple[int, int]] = []
    for start, end in bounds:
        cuts = [start] + sorted(s.heading_span.end for s in handout.sections
                                if start <= s.heading_span.start < end and s.heading_span.end < end) + [end]
        for left, right in zip(cuts, cuts[1:]):
            while left < right and text[left] in "\n\r":
                left += 1
            # A line end closing the paragraph would push its finding numbers onto a line of their own.
            while right > left and text[right - 1] in "\n\r":
                right -= 1
            if left < right:
                split.append((left, right))
    marks = _marks(handout, findings)
    out = []
    for start, end in split:
        heading = next((s for s in handout.sections if start <= s.heading_span.start < end), None)
        out.append(Block(start, end, _pieces(text, start, end, marks), heading))
    general = []
    numbered = list(enumerate(findings, 1))
    for number, finding in numbered:
        if finding.span is None or not out:
            general.append((number, finding))
            continue
        block = next((b for b in out if b.start <= finding.span.start < b.end), None)
        if block is None:  # a span in the blank between paragraphs: the paragraph before it
            block = max((b for b in out if b.start <= finding.span.start), key=lambda b: b.start, default=out[0])
        block.findings.append((number, finding))
    return out, general
