"""What the quotation finders share: trimming a span, counting words, telling a citation from a
quoted term, making the ``Quote`` record, and the ranges quotations already cover."""

from __future__ import annotations

import bisect
import re

from pipeline.document import Document
from pipeline.models import Quote, Reference, Span
from pipeline.stages import references

# A sentence end followed by the next sentence's capital: "… du marché. Elle …".
_SENTENCE_INSIDE = re.compile(r"[a-zà-ÿ]{2}[.!?…][ \u00a0\u202f]+[A-ZÀ-Ý]")
WS = " \t\n\u00a0\u202f\u2009"
# Bullet markers and spaces a recovered quotation must not start with.
LEAD = WS + "-*+•▪◦●■➔→►➢➤–—"
# A quoted expression of at most this many words, with no reference, is a term, not a citation:
# handouts quote concepts (« tâcheronnisation », « coût marginal zéro ») all the time.
_TERM_MAX_WORDS = 8
# Above this many words, or with two sentences, an unreferenced quotation is a citation.
_CITATION_MIN_WORDS = 20
# "[Brigitte, 50 ans, infirmière]": a bracketed speaker ending an interview extract.
ATTRIBUTION = re.compile(r"\[(?P<who>[A-ZÀ-Ý][^\[\]\n]{1,80}?,[^\[\]\n]{1,80})\][ \t.]*$")


def trim(text: str, start: int, end: int, lead: str = WS) -> tuple[int, int]:
    while start < end and text[start] in lead:
        start += 1
    while end > start and text[end - 1] in WS:
        end -= 1
    return start, end


def count_words(text: str) -> int:
    return len(re.findall(r"\w[\w'’-]*", text))


def reads_as_citation(doc: Document, body: str, outer_start: int, outer_end: int) -> bool:
    """An unreferenced quotation is a citation when it is long and reads as prose: it ends a
    sentence or fills its paragraph. A long title in quotes ("The role of digital labour
    platforms in transforming the world of work") is a term."""
    words = count_words(body)
    if words <= _TERM_MAX_WORDS:
        return False
    if body.rstrip(" *_").endswith((".", "!", "?", "…")):
        return True
    # Twenty words, or two sentences, are a passage cited, whatever ends it ("… et le reste" cut
    # by the handout): no title or concept runs that long in quotes.
    if words >= _CITATION_MIN_WORDS or _SENTENCE_INSIDE.search(body):
        return True
    # A quoted sentence standing as a sentence of the handout: capital first, after a full stop
    # ("… ces robots. « Sauf que l'étrange revient avec eux » (…)"). A title is named inside a
    # sentence, after a colon or a word, not in place of one.
    before = doc.text[max(0, outer_start - 3):outer_start].rstrip(" \t\u00a0\u202f*_")
    if body[:1].isupper() and (before == "" or before[-1] in ".!?…\n"):
        return True
    line = doc.line_at(outer_start)
    return (outer_end - outer_start) >= 0.6 * max(1, doc.line_at(outer_end).end - line.content_start)


def make_quote(doc, start, end, outer_start, outer_end, open_mark, close_mark, reference,
               issues, *, kind=None, attribution=None) -> Quote:
    body = doc.text[start:end]
    if kind is None:
        kind = "citation" if reference is not None or reads_as_citation(doc, body, outer_start, outer_end) \
            else "term"
    if reference is not None and reference.kind == "malformed":
        issues.append("malformed_reference")
    if reference is None and kind == "citation":
        issues.append("missing_reference")
    return Quote(id="", text=body, span=Span(start=start, end=end),
                 outer_span=Span(start=outer_start, end=outer_end), open_mark=open_mark,
                 close_mark=close_mark, kind=kind, section_id=None, reference=reference,
                 attribution=attribution, issues=issues)


def bracket_before(text: str, reference: Reference, floor: int) -> int:
    """Offset of the bracket opening a trailing reference such as ``(p.175)`` (or ``\\(p.175\\)``)."""
    after = text[reference.span.end:reference.span.end + 2].lstrip("\\")
    bracket = "(" if after[:1] == ")" else "["
    at = max(floor, text.rfind(bracket, floor, reference.span.start))
    return at - 1 if at > floor and text[at - 1] == "\\" else at


def reference_line(text: str, start: int, end: int) -> Reference | None:
    """A line that is nothing but a reference ("(p. 23)", "p. 23", "(v. 405-406)"), or ``None``."""
    reference = references.find_in(text, start, end)
    return reference if reference is not None and reference.kind != "malformed" else None



class Coverage:
    """The character ranges quotations (and their references) already cover."""

    def __init__(self, quotes: list[Quote]):
        # A reference read in a footnote lies pages away, among the notes: what stands between
        # the quotation and its note is not covered by either.
        self.spans = sorted((q.outer_span.start, max(q.outer_span.end, q.reference.span.end
                                                     if q.reference and q.reference.position != "note" else 0))
                            for q in quotes)
        self.starts = [s for s, _ in self.spans]
        # Spans may contain one another; the longest end so far bounds how far back to look.
        self.max_len = max((e - s for s, e in self.spans), default=0)

    def _near(self, start: int, end: int):
        k = bisect.bisect_left(self.starts, start - self.max_len)
        while k < len(self.spans) and self.spans[k][0] < end:
            yield self.spans[k]
            k += 1

    def overlaps(self, start: int, end: int) -> bool:
        return any(s < end and e > start for s, e in self._near(start, end))

    def covers_most(self, start: int, end: int) -> bool:
        inside = sum(max(0, min(e, end) - max(s, start)) for s, e in self._near(start, end))
        return inside >= 0.6 * (end - start)
