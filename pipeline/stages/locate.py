"""Provenance shared by the stages: which section an offset lies in, and where it is printed."""

from __future__ import annotations

import bisect

from pipeline.document import Document
from pipeline.models import Box, Section


class SectionIndex:
    """The innermost section containing an offset, in O(log n + depth) per lookup."""

    def __init__(self, sections: list[Section]):
        self.sections = sections
        self.starts = [s.span.start for s in sections]
        self.by_id = {s.id: s for s in sections}

    def at(self, offset: int) -> str | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        section = self.sections[i] if i >= 0 else None
        # Sections nest, so the last one starting before the offset, or one of its ancestors,
        # is the innermost one containing it.
        while section is not None and not section.span.start <= offset < max(section.span.end, section.heading_span.end):
            section = self.by_id.get(section.parent_id) if section.parent_id else None
        return section.id if section else None


def boxes(doc: Document, start: int, end: int) -> list[Box]:
    return [Box(page=p, x0=round(x0, 2), top=round(top, 2), x1=round(x1, 2), bottom=round(bottom, 2))
            for p, x0, top, x1, bottom in doc.boxes_for(start, end)]
