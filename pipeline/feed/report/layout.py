"""A handout's text cut into what the page shows: blocks (headings, paragraphs) made of pieces,
each piece a run of characters under the same marks (quotation, reference, concept mention,
finding, changed words).

Marks overlap freely in a handout (a concept inside a quotation, a finding over a reference), and
HTML elements must nest: cutting the text at every mark's ends gives flat pieces that each carry
all the marks over them, so nothing has to nest."""

from __future__ import annotations

import bisect
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


@dataclass(slots=True)
class _Mark:
    start: int
    end: int
    classes: tuple[str, ...]
    concept: str | None = None
    quote_id: str | None = None
    kind: str | None = None  # told to screen readers: a quotation's kind, or "changed" words


def _marks(handout: Handout, findings: list[Finding]) -> list[_Mark]:
    marks: list[_Mark] = []
    for quote in handout.quotes:
        marks.append(_Mark(quote.outer_span.start, quote.outer_span.end, ("q", f"q-{quote.kind}"), quote_id=quote.id,
                           kind=quote.kind))
        if quote.reference is not None:
            marks.append(_Mark(quote.reference.span.start, quote.reference.span.end, ("ref",)))
    for concept in handout.concepts:
        for mention in concept.mentions:
            marks.append(_Mark(mention.span.start, mention.span.end, ("m",), concept=concept.id))
    for entity in handout.entities:
        for mention in entity.mentions:
            marks.append(_Mark(mention.span.start, mention.span.end, ("e", f"e-{entity.label.lower()}")))
    for finding in findings:
        if finding.span is not None and finding.code != "verified":
            marks.append(_Mark(finding.span.start, finding.span.end, ("f", f"f-{finding.severity}")))
        for change in finding.diff:
            if change.span is not None and change.span.end > change.span.start:
                marks.append(_Mark(change.span.start, change.span.end, ("changed",), kind="changed"))
    return [m for m in marks if m.end > m.start]


def _pieces(text: str, start: int, end: int, inside: list[_Mark]) -> list[Piece]:
    """``text[start:end]`` cut at the ends of the marks ``inside`` (those over some of it), walking
    the cuts once: a mark joins the marks over the text where it starts and leaves where it ends."""
    starting: dict[int, list[_Mark]] = {}
    ending: dict[int, list[_Mark]] = {}
    for m in inside:
        starting.setdefault(max(m.start, start), []).append(m)
        ending.setdefault(min(m.end, end), []).append(m)
    over: dict[int, _Mark] = {}  # in the order the marks began
    pieces = []
    cuts = sorted({start, end} | starting.keys() | ending.keys())
    for left, right in zip(cuts, cuts[1:]):
        for m in ending.get(left, ()):
            over.pop(id(m), None)
        for m in starting.get(left, ()):
            over[id(m)] = m
        if not over:  # most of a handout: text under no mark
            pieces.append(Piece(text[left:right]))
            continue
        marks = over.values()
        classes = list(dict.fromkeys(c for m in marks for c in m.classes))
        concepts = list(dict.fromkeys(m.concept for m in marks if m.concept))
        quote_id = next((m.quote_id for m in marks if m.quote_id), None)
        opens = [m.kind for m in marks if m.kind and m.start == left]
        closes = [m.kind for m in marks if m.kind and m.end == right]
        pieces.append(Piece(text[left:right], classes, concepts, quote_id, opens, closes))
    return pieces


def blocks(handout: Handout, findings: list[Finding]) -> tuple[list[Block], list[tuple[int, Finding]]]:
    """The text as blocks, each finding attached to the block its span starts in; the findings
    about the whole handout (no span) come back apart. Findings are numbered in text order, so
    that the number beside the passage and the note in the margin or at the foot match.

    Blocks, headings and marks are each walked once in text order (a long handout has thousands of
    concept mentions: matching every block against every mark made the report slower than the
    extraction it reports on)."""
    text = handout.text
    sections = sorted(handout.sections, key=lambda s: s.heading_span.start)
    heading_starts = [s.heading_span.start for s in sections]
    bounds: list[tuple[int, int]] = []
    position = 0
    for brk in _PARAGRAPH_BREAK.finditer(text):
        bounds.append((position, brk.start()))
        position = brk.end()
    bounds.append((position, len(text)))
    # A heading is its own block even when no blank line follows it.
    split: list[tuple[int, int]] = []
    for start, end in bounds:
        here = sections[bisect.bisect_left(heading_starts, start):bisect.bisect_left(heading_starts, end)]
        cuts = [start] + sorted(s.heading_span.end for s in here if s.heading_span.end < end) + [end]
        for left, right in zip(cuts, cuts[1:]):
            while left < right and text[left] in "\n\r":
                left += 1
            # A line end closing the paragraph would push its finding numbers onto a line of their own.
            while right > left and text[right - 1] in "\n\r":
                right -= 1
            if left < right:
                split.append((left, right))
    marks = sorted(_marks(handout, findings), key=lambda m: m.start)
    active: list[_Mark] = []  # the marks begun before the block, still open
    next_mark = 0
    out = []
    for start, end in split:
        while next_mark < len(marks) and marks[next_mark].start < end:
            active.append(marks[next_mark])
            next_mark += 1
        active = [m for m in active if m.end > start]
        k = bisect.bisect_left(heading_starts, start)
        heading = sections[k] if k < len(sections) and heading_starts[k] < end else None
        out.append(Block(start, end, _pieces(text, start, end, active), heading))
    general = []
    starts = [b.start for b in out]
    for number, finding in enumerate(findings, 1):
        if finding.span is None or not out:
            general.append((number, finding))
            continue
        # The block the span starts in; a span in the blank between paragraphs: the paragraph before.
        k = max(0, bisect.bisect_right(starts, finding.span.start) - 1)
        out[k].findings.append((number, finding))
    return out, general
