"""The Markdown-like text an office file (or a LaTeX one) is rendered to, and its page starts.

Every structured reader writes through ``Writer`` so that all of them look alike to the stages:
headings as ``#`` lines (the level from the document's own styles), italics and bold as ``*…*`` and
``**…**`` (the concept cues and ``WORK`` entities read Markdown emphasis), footnote calls as
``[^3]`` with the notes as ``[^3]: …`` lines at the end (the footnote-reference stage links them),
table rows as ``| a | b |`` lines, list items as ``- …``, quotation paragraphs as ``> …``, blocks
separated by a blank line, and one page per slide.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from pipeline.document import Document
from pipeline.errors import EmptyDocumentError
from pipeline.models import Issue, Source


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of a paragraph's text with the emphasis it is printed in."""

    text: str
    bold: bool = False
    italic: bool = False


_SPACES = re.compile(r"[ \t\u00a0]*\n[ \t\u00a0]*")


def inline(runs: list[Run], *, emphasis: bool = True) -> str:
    """Runs joined, emphasis marked as Markdown: bold outside, italic inside ("**TD : *Titre***"),
    the marks around the words only ("*mot* ", never "*mot *", which Markdown would not read as
    emphasis)."""
    out: list[str] = []
    for bold, outer in groupby(runs, key=lambda r: r.bold and emphasis):
        inner = []
        for italic, group in groupby(outer, key=lambda r: r.italic and emphasis):
            inner.append(_marked("".join(r.text for r in group), "*" if italic else ""))
        out.append(_marked("".join(inner), "**" if bold else ""))
    return _SPACES.sub("\n", "".join(out)).strip()


def _marked(text: str, mark: str) -> str:
    core = text.strip()
    if not mark or not core:
        return text
    return f"{text[:len(text) - len(text.lstrip())]}{mark}{core}{mark}{text[len(text.rstrip()):]}"


class Writer:
    """Blocks of text appended in reading order; notes numbered as their calls come."""

    def __init__(self) -> None:
        self._blocks: list[str] = []
        self._length = 0
        self._notes: list[str] = []
        self.page_starts: list[tuple[int, int]] = []
        # Start offsets of standalone lines the file marks as titles without a heading level (a
        # slide's title placeholder): heading evidence for the slide heuristics, as a PDF's fonts are.
        self.heading_hints: list[int] = []
        self._page_break = False

    def _add(self, block: str) -> None:
        if not block.strip():
            return
        if self._blocks:
            separator = self._separator()
            self._blocks.append(separator)
            self._length += len(separator)
        self._page_break = False
        self._blocks.append(block)
        self._length += len(block)

    def _separator(self) -> str:
        # A blank line between blocks; three between slides, as decks flattened to text have them
        # (the slide heuristics read them so).
        return "\n\n\n\n" if self._page_break else "\n\n"

    def _next_start(self) -> int:
        """Where the next block will start."""
        return self._length + len(self._separator()) if self._blocks else 0

    def start_page(self, number: int) -> None:
        """The blocks that follow are on page ``number`` (a slide; an empty one has an empty range)."""
        self._page_break = True
        self.page_starts.append((number, self._next_start()))

    def heading(self, level: int, runs: list[Run]) -> None:
        # Headings are often bold or italic by direct formatting: their marks would only clutter
        # the section title.
        title = " ".join(inline(runs, emphasis=False).split())
        if title:
            self._add("#" * max(1, min(level, 6)) + " " + title)

    def paragraph(self, runs: list[Run], *, prefix: str = "", hint: bool = False) -> None:
        text = inline(runs, emphasis=not hint)
        if text:
            if hint:
                text = " ".join(text.split())
                self.heading_hints.append(self._next_start())
            # A block quote marks every line; a list item only its first (the rest continue it).
            self._add(prefix + (text.replace("\n", "\n" + prefix) if prefix.startswith(">") else text))

    def table(self, rows: list[list[list[Run]]]) -> None:
        lines = []
        for row in rows:
            cells = [" ".join(inline(cell).split()).replace("|", "/") for cell in row]
            if any(cells):
                lines.append("| " + " | ".join(cells) + " |")
        self._add("\n".join(lines))

    def note(self, runs: list[Run]) -> Run:
        """Keep a footnote's text for the end; the call to put where it was called."""
        self._notes.append(" ".join(inline(runs).split()))
        return Run(f"[^{len(self._notes)}]")

    def text(self) -> str:
        notes = [f"[^{n}]: {body}" for n, body in enumerate(self._notes, 1)]
        return "".join(self._blocks) + "".join(f"\n\n{note}" for note in notes) + "\n"


def build(writer: Writer, path: Path, data: bytes, *, fmt: str, pages: int | None = None,
          issues: list[Issue] | None = None) -> Document:
    """The ``Document`` of a structured file: its rendered text, NFC as every input's is."""
    text = writer.text()
    if not text.strip():
        raise EmptyDocumentError("the handout is empty (no text at all).", path=str(path),
                                 hint="Check that the right file was exported.")
    if not unicodedata.is_normalized("NFC", text):
        # NFC only merges characters: offsets are recounted on the normalised text.
        def count(offset: int) -> int:
            return len(unicodedata.normalize("NFC", text[:offset]))

        writer.page_starts = [(page, count(start)) for page, start in writer.page_starts]
        writer.heading_hints = [count(start) for start in writer.heading_hints]
        text = unicodedata.normalize("NFC", text)
    source = Source(path=str(path), sha256=hashlib.sha256(data).hexdigest(), format=fmt, encoding=None,
                    pages=pages, size_bytes=len(data))
    return Document(text=text, source=source, issues=issues or [], page_starts=writer.page_starts,
                    heading_hints=frozenset(writer.heading_hints))
