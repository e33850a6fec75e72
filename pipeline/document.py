"""The document every stage reads: decoded text plus a line and block view of its layout.

The layout is computed once, here, so that stages agree on what a paragraph, a list item, a code
fence or a Markdown block quote is. Nothing in it rewrites ``text``: markers (``-``, ``>``, ``#``) are
skipped by offsets, so every span a stage derives from it stays exact.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from pipeline.models import Issue, Source

LineKind = Literal["blank", "text", "heading", "table", "code", "html", "front_matter", "rule"]

# List markers seen in handouts: Markdown bullets, pasted Word bullets, slide arrows, numbered items.
_BULLET = re.compile(r"[ \t]*(?:[-*+•▪◦●■□➔→►➢➤✓✔–—](?=[ \t\u00a0])|\d{1,3}[.)](?=[ \t\u00a0]))[ \t\u00a0]*")
_BLOCKQUOTE = re.compile(r"[ \t]{0,3}>[ \t]?")
_ATX_HEADING = re.compile(r"[ \t]{0,3}(#{1,6})(?:[ \t]+|$)")
_FENCE = re.compile(r"[ \t]{0,3}(`{3,}|~{3,})")
_RULE = re.compile(r"[ \t]{0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_HTML_LINE = re.compile(r"[ \t]*</?[a-zA-Z][\w-]*(?:[\s/][^>]*)?>")
_HTML_OPENERS = (("<!--", "-->"), ("<style", "</style>"), ("<script", "</script>"))
_FRONT_KEY = re.compile(r"[A-Za-z_][\w-]*:(?:\s|$)")
# A Setext underline: "=====" makes the line above a level-1 heading, "-----" a level-2 one
# (CommonMark; also the habit of plain-text handouts and compte rendus typed in a text editor).
_SETEXT = re.compile(r"[ \t]{0,3}(?:(=)={2,}|(-)-{2,})[ \t]*$")


@dataclass(frozen=True, slots=True)
class Line:
    index: int
    start: int
    end: int  # offset of the line's end, before its "\n"
    kind: LineKind
    content_start: int  # after indentation, block-quote '>' and list markers
    bullet: str | None = None  # the list marker as written, stripped
    quote_depth: int = 0  # number of Markdown '>' markers
    heading_level: int = 0  # Markdown '#' count


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph, a list item, a Markdown block quote or a table: the unit quote marks balance in."""

    first_line: int
    last_line: int
    start: int  # content start of the first line
    end: int  # end of the last line
    kind: Literal["paragraph", "item", "blockquote", "heading", "table"]


@dataclass
class Document:
    text: str
    source: Source
    issues: list[Issue] = field(default_factory=list)
    # (page number, start offset) for paged inputs; empty for text.
    page_starts: list[tuple[int, int]] = field(default_factory=list)
    # (start, end, page, x0, top, x1, bottom) of every printed word, for PDF input.
    word_boxes: list[tuple[int, int, int, float, float, float, float]] = field(default_factory=list)
    # Character ranges printed in bold (PDF fonts): concept cues where the text carries no '**'.
    emphasis: list[tuple[int, int]] = field(default_factory=list)
    # Start offsets of paragraphs printed in a heading's font (larger, or bold and standalone).
    heading_hints: frozenset[int] = frozenset()
    # For PDF input, the typographic level of each of those paragraphs: 1 for the largest heading
    # type of the document, 2 for the next size down, …; a heading set in bold at the body size
    # comes last (LaTeX: \section 14.4 pt, \subsection 12 pt, \subsubsection bold 10 pt).
    heading_levels: dict[int, int] = field(default_factory=dict)

    @cached_property
    def lines(self) -> list[Line]:
        return _classify_lines(self.text)

    @cached_property
    def _line_starts(self) -> list[int]:
        return [line.start for line in self.lines]

    @cached_property
    def blocks(self) -> list[Block]:
        return _group_blocks(self.lines)

    def line_at(self, offset: int) -> Line:
        return self.lines[max(0, bisect.bisect_right(self._line_starts, offset) - 1)]

    @cached_property
    def _page_offsets(self) -> list[int]:
        return [start for _, start in self.page_starts]

    def page_at(self, offset: int) -> int | None:
        if not self.page_starts:
            return None
        if self.word_boxes and offset >= self.word_boxes[0][0]:
            # The printed word says where it is: a footnote moved after the paragraph it would have
            # cut lies in the next page's range of the text, and is still on its own page.
            return self.word_boxes[max(0, bisect.bisect_right(self._box_starts, offset) - 1)][2]
        return self.page_starts[max(0, bisect.bisect_right(self._page_offsets, offset) - 1)][0]

    def page_ranges(self) -> list[tuple[int, int, int]]:
        """``(page, start, end)`` of every page of a paged input."""
        ends = self._page_offsets[1:] + [len(self.text)]
        return [(page, start, max(start, end)) for (page, start), end in zip(self.page_starts, ends)]

    @cached_property
    def _box_starts(self) -> list[int]:
        return [box[0] for box in self.word_boxes]

    def boxes_for(self, start: int, end: int) -> list[tuple[int, float, float, float, float]]:
        """Where ``text[start:end]`` is printed: one ``(page, x0, top, x1, bottom)`` per line."""
        if not self.word_boxes:
            return []
        i = max(0, bisect.bisect_right(self._box_starts, start) - 1)
        lines: list[list] = []
        while i < len(self.word_boxes) and self.word_boxes[i][0] < end:
            w_start, w_end, page, x0, top, x1, bottom = self.word_boxes[i]
            i += 1
            if w_end <= start:
                continue
            last = lines[-1] if lines else None
            if last and last[0] == page and top < last[4] and bottom > last[2]:  # same printed line
                last[1], last[2], last[3], last[4] = min(last[1], x0), min(last[2], top), max(last[3], x1), max(last[4], bottom)
            else:
                lines.append([page, x0, top, x1, bottom])
        return [tuple(line) for line in lines]


def _front_matter_end(raw_lines: list[str]) -> int:
    """Number of leading lines that are YAML/Pelican front matter (0 when there is none)."""
    if raw_lines and raw_lines[0].strip() == "---":
        for i in range(1, min(len(raw_lines), 80)):
            if raw_lines[i].strip() in ("---", "..."):
                return i + 1
        return 0
    # Pelican-style "title: …" header lines without fences, as in some reading-note repositories.
    i = 0
    while i < len(raw_lines) and (_FRONT_KEY.match(raw_lines[i])
                                  or (i and raw_lines[i][:1] in " \t" and raw_lines[i].strip())):
        i += 1
    keys = {line.split(":", 1)[0].lower() for line in raw_lines[:i] if _FRONT_KEY.match(line)}
    if i >= 2 and keys & {"title", "author", "date"} and (i == len(raw_lines) or not raw_lines[i].strip()):
        return i
    return 0


def _classify_lines(text: str) -> list[Line]:
    raw_lines = text.split("\n")
    front_end = _front_matter_end(raw_lines)
    lines: list[Line] = []
    offset = 0
    fence: str | None = None
    html_close: str | None = None
    for index, raw in enumerate(raw_lines):
        start, end = offset, offset + len(raw)
        offset = end + 1
        stripped = raw.strip()
        if index < front_end:
            lines.append(Line(index, start, end, "front_matter", start))
            continue
        if fence is not None:
            if raw.lstrip().startswith(fence):
                fence = None
            lines.append(Line(index, start, end, "code", start))
            continue
        if html_close is not None:
            if html_close in raw:
                html_close = None
            lines.append(Line(index, start, end, "html", start))
            continue
        if m := _FENCE.match(raw):
            fence = m.group(1)[0] * 3
            lines.append(Line(index, start, end, "code", start))
            continue
        if not stripped or stripped in ("\u00a0",):
            lines.append(Line(index, start, end, "blank", start))
            continue
        opener = next(((o, c) for o, c in _HTML_OPENERS if stripped.lower().startswith(o)), None)
        if opener:
            if opener[1] not in raw[raw.lower().index(opener[0]) + len(opener[0]):]:
                html_close = opener[1]
            lines.append(Line(index, start, end, "html", start))
            continue
        if _HTML_LINE.match(raw):
            lines.append(Line(index, start, end, "html", start))
            continue
        if _RULE.match(raw):
            lines.append(Line(index, start, end, "rule", start))
            continue
        pos, depth = 0, 0
        while m := _BLOCKQUOTE.match(raw, pos):
            pos, depth = m.end(), depth + 1
        if m := _ATX_HEADING.match(raw, pos):
            lines.append(Line(index, start, end, "heading", start + m.end(), quote_depth=depth,
                              heading_level=len(m.group(1))))
            continue
        if raw[pos:].lstrip().startswith("|") and raw.count("|") >= 2:
            lines.append(Line(index, start, end, "table", start + pos, quote_depth=depth))
            continue
        bullet = None
        if m := _BULLET.match(raw, pos):
            bullet, pos = m.group(0).strip(" \t\u00a0"), m.end()
        else:
            pos += len(raw[pos:]) - len(raw[pos:].lstrip(" \t\u00a0"))
        lines.append(Line(index, start, end, "text", start + pos, bullet=bullet, quote_depth=depth))
    return _setext_headings(lines, raw_lines)


def _setext_headings(lines: list[Line], raw_lines: list[str]) -> list[Line]:
    """Turn "Titre\n=====" / "Titre\n-----" into a heading line over a rule line.

    Only a line standing alone above its underline (blank line or start of file before it, no list
    marker, not in a '>' quote) is underlined: "---" under the last line of a paragraph is a
    separator in plain-text handouts, and CommonMark's multi-line Setext headings are not a habit
    of handout writers.
    """
    for i in range(len(lines) - 1):
        line, under = lines[i], lines[i + 1]
        # "1. Introduction" over "====" is a numbered heading, not a list item; "- item" over "---" is not.
        numbered = bool(line.bullet and re.fullmatch(r"\d{1,3}[.)]", line.bullet))
        if line.kind != "text" or (line.bullet and not numbered) or line.quote_depth \
                or under.kind not in ("text", "rule"):
            continue
        if i and lines[i - 1].kind not in ("blank", "rule", "front_matter", "heading"):
            continue
        m = _SETEXT.match(raw_lines[i + 1])
        if not m:
            continue
        above = raw_lines[i].rstrip()
        if m.group(2) and (len(above) > 150 or (re.search(r"[.;,:]$", above) and not above.endswith(("...", "…")))):
            continue  # "Fin de la fiche.\n---": a sentence over a separator, not a heading
        raw = raw_lines[i]
        lines[i] = Line(line.index, line.start, line.end, "heading", line.start + len(raw) - len(raw.lstrip()),
                        heading_level=1 if m.group(1) else 2)
        lines[i + 1] = Line(under.index, under.start, under.end, "rule", under.start)
    return lines


def _group_blocks(lines: list[Line]) -> list[Block]:
    blocks: list[Block] = []
    current: list[Line] = []

    def flush() -> None:
        if not current:
            return
        first = current[0]
        if first.kind == "table":
            kind = "table"
        elif first.quote_depth:
            kind = "blockquote"
        elif first.bullet:
            kind = "item"
        else:
            kind = "paragraph"
        blocks.append(Block(first.index, current[-1].index, first.content_start, current[-1].end, kind))
        current.clear()

    for line in lines:
        if line.kind == "heading":
            flush()
            blocks.append(Block(line.index, line.index, line.content_start, line.end, "heading"))
        elif line.kind in ("text", "table"):
            if current:
                prev = current[-1]
                starts_new = (
                    line.bullet is not None
                    or (line.kind == "table") != (prev.kind == "table")
                    or bool(line.quote_depth) != bool(prev.quote_depth)
                    # An empty '>' line separates paragraphs inside a block quote.
                    or (line.quote_depth and line.content_start == line.end)
                )
                if starts_new:
                    flush()
            if not (line.quote_depth and line.content_start == line.end):
                current.append(line)
        else:
            flush()
    flush()
    return blocks
