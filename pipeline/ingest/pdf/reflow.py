"""Lines -> text: paragraphs (blank line between them), headings and their type sizes, bold
emphasis, footnotes and captions written after the paragraph they interrupt, each word's box."""

from __future__ import annotations

import re

from pipeline.ingest.pdf.areas import CAPTION, mark_captions
from pipeline.ingest.pdf.glyphs import URL_BROKEN, is_bullet, line_end_hyphen, superscript_calls
from pipeline.ingest.pdf.layout import Line

_SENTENCE_END = ".!?…:;»)]\"”"
_INITIAL = re.compile(r"(?:^|\s)[A-ZÀ-Ý]\.$")  # "Antonio A." does not end a sentence
_NOTE_NUMBER = re.compile(r"^(?:\[?\d{1,3}[\].)]?|[a-z][.)])$")


class TextBuilder:
    """Writes lines into text with blank lines between paragraphs and records each word's box."""

    def __init__(self, body_size: float):
        self.body = body_size
        self.parts: list[str] = []
        self.length = 0
        self.page_starts: list[tuple[int, int]] = []
        self.boxes: list[tuple[int, int, int, float, float, float, float]] = []
        self.emphasis: list[tuple[int, int]] = []
        self.prev: Line | None = None
        self.pending_page: int | None = None
        self.left = self.right = 0.0  # the text block's edges on the current page
        self.paragraph_left = 0.0
        self.in_code = False
        self.headings: list[int] = []  # offsets of paragraphs set in a heading's font
        self.heading_sizes: list[float] = []  # the type size of each of ``headings``
        self.notes: list[Line] = []  # footnotes waiting for the end of the open paragraph
        self.flushing = False
        self.open_quotes = 0  # « and “ opened and not closed in the paragraph being written

    def _write(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)

    def text(self) -> str:
        return "".join(self.parts) + ("\n```" if self.in_code else "")

    def _is_heading(self, line: Line) -> bool:
        return line.size >= 1.15 * self.body or (line.bold and len(line.text) < 120 and line.text[-1:] not in ".;,")

    def _edges(self, line: Line) -> tuple[float, float]:
        return (self.left if line.left is None else line.left, self.right if line.right is None else line.right)

    def add_page(self, page_no: int, lines: list[Line], notes: list[Line] = ()) -> None:
        if not lines and not notes:
            self.page_starts.append((page_no, self.length))  # an image-only page: an empty range
            return
        every = [*lines, *notes]
        self.left = min(w.x0 for l in every for w in l.words)
        self.right = max(w.x1 for l in every for w in l.words)
        for note in notes:
            note.left, note.right = self.left, self.right
        mark_captions(lines, self.left, self.right)
        if not lines:  # a page of notes only
            lines, notes = notes, []
        self.pending_page = page_no
        for line in lines:
            self._add_line(line)
        self.notes.extend(notes)

    def heading_levels(self) -> dict[int, int]:
        """Heading paragraphs ranked by type size, larger first. Sizes within half a point are one
        type (PDF producers round sizes differently from line to line)."""
        types: list[float] = []
        for size in sorted(set(self.heading_sizes), reverse=True):
            if not types or types[-1] - size > 0.5:
                types.append(size)
        rank = lambda size: next(k for k, t in enumerate(types, 1) if t - size <= 0.5)  # noqa: E731
        return {start: rank(size) for start, size in zip(self.headings, self.heading_sizes)}

    def finish(self) -> None:
        """Writes the notes still waiting: those of the last paragraph of the document."""
        self._flush_notes()

    def _flush_notes(self) -> None:
        notes, self.notes = self.notes, []
        self.flushing = True
        for note in notes:
            self._add_line(note)
        self.flushing = False

    def _add_line(self, line: Line) -> None:
        if line.caption and not self.flushing and self.prev is not None:
            self.notes.append(line)
            return
        prev = self.prev
        join = "" if prev is None else self._breaks(prev, line)
        if self.notes and not self.flushing and join == "\n\n" and not self.in_code:
            # The paragraph open at the foot of the page has ended: its page's notes go here.
            self._flush_notes()
            prev = self.prev
            join = self._breaks(prev, line)
        # Monospaced lines are code: kept line by line inside a fence, as in Markdown handouts,
        # so that no stage reads them as headings or quotations.
        if line.mono and not self.in_code:
            join = ("\n\n" if prev is not None else "") + "```\n"
            self.in_code = True
        elif line.mono:
            join = "\n"
        elif self.in_code:
            join = "\n```\n\n"
            self.in_code = False
        elif join == " " and (URL_BROKEN.search(prev.words[-1].text) and line.words[0].text[:1].isalnum()
                              or line_end_hyphen(prev.words[-1].text, line.words[0].text) == "keep"):
            # A URL broken after one of its own "-" or "/" (LaTeX's \url adds no hyphen), or a
            # compound broken after its own hyphen: the character is the word's, the break is not.
            join = ""
        elif join == " " and line_end_hyphen(prev.words[-1].text, line.words[0].text) == "drop":
            # "tâche-" + "ronnisation": a word hyphenated at the line end is joined again.
            join = ""
            self.parts[-1] = self.parts[-1][:-1]
            self.length -= 1
            start, _, *box = self.boxes[-1]
            self.boxes[-1] = (start, self.length, *box)
        self._write(join)
        if "\n\n" in join:
            self.open_quotes = 0
        if (prev is None or join.endswith("\n\n")) and self._is_heading(line) and not line.mono:
            self.headings.append(self.length)
            self.heading_sizes.append(line.size)
        if prev is None or join == "\n\n":
            # Where this paragraph's lines start: after the bullet of a list item (hanging indent).
            words = line.words
            self.paragraph_left = words[1].x0 if is_bullet(words[0].text) and len(words) > 1 else self._edges(line)[0]
        if self.pending_page is not None and not self.flushing:
            self.page_starts.append((self.pending_page, self.length))
            self.pending_page = None
        calls = superscript_calls(line)
        heading = self._is_heading(line)  # once: per word, a long bold line cost n²
        for k, word in enumerate(line.words):
            superscript = calls[k]
            # Words split where the font changes ("d'" + bold "externalisation") touch each other.
            # A footnote call sticks to the word it follows; a note's own number is followed by a space.
            after_call = k and calls[k - 1]
            if k and not superscript and (word.x0 - line.words[k - 1].x1 > 0.12 * word.size or k == 1 and after_call) \
                    and not (after_call and word.text[:1] in ",.)…"):  # "Facebook[2], …", never "[2] ,"
                self._write(" ")
            start = self.length
            # A superscript call is written "[2]", the form a word processor's text export gives and
            # the one the text handouts use: it stays a call, never glued to the word's letters
            # ("Facebook2") nor read as a number of the sentence ("Facebook 2,").
            # A note's own number is written the same way, whatever its style ("2.", "²"), so that
            # a call and its note read alike.
            mark = superscript or (k == 0 and line.note_start and _NOTE_NUMBER.match(word.text))
            self._write(f"[{word.text.strip('[].)')}]" if mark else word.text)
            self.boxes.append((start, self.length, word.page, *(word.printed or (word.x0, word.top, word.x1, word.bottom))))
            self.open_quotes += word.text.count("«") + word.text.count("“") - word.text.count("»") - word.text.count("”")
            if word.bold and not heading:
                if self.emphasis and self.emphasis[-1][1] in (start - 1, start):
                    self.emphasis[-1] = (self.emphasis[-1][0], self.length)
                else:
                    self.emphasis.append((start, self.length))
        self.prev = line

    def _breaks(self, prev: Line, line: Line) -> str:
        """What separates ``line`` from ``prev``: a paragraph break, a kept line break, or a space."""
        if line.note_start or line.note != prev.note or line.caption != prev.caption:
            return "\n\n"
        if line.caption and CAPTION.match(line.text):
            return "\n\n"
        # Bold or larger type starts and ends a heading; consecutive lines in the same type (a
        # heading wrapped over two lines, a title block set in bold) follow the ordinary rules.
        if (prev.bold, prev.size >= 1.15 * self.body) != (line.bold, line.size >= 1.15 * self.body) \
                or self._is_heading(line) and line.page != prev.page:
            return "\n\n"
        if self._is_heading(line) and abs(line.size - prev.size) > 0.5:
            return "\n\n"
        if is_bullet(line.words[0].text):
            return "\n\n"
        if abs(line.size - prev.size) > 0.15 * self.body:
            return "\n\n"
        ends_sentence = prev.text.rstrip()[-1:] in _SENTENCE_END and not _INITIAL.search(prev.text)
        if line.page != prev.page or line.top < prev.top:
            # Over a page or column break (back up to the top of the next column) a paragraph
            # continues unless the previous one ended a sentence and this one starts like a new one.
            # Inside an open « … » the paragraph goes on: a quotation whose sentence ends at the
            # foot of the page or column still reads whole.
            return "\n\n" if ends_sentence and not line.text[:1].islower() and self.open_quotes <= 0 else " "
        if line.top - prev.bottom > 0.6 * prev.size:
            return "\n\n"
        # The line was wrapped if its first word would not have fitted at the end of the previous
        # one; otherwise the author broke it on purpose.
        first = line.words[0]
        wrapped = prev.words[-1].x1 + 0.3 * prev.size + (first.x1 - first.x0) > self._edges(prev)[1] - 1
        if ends_sentence:
            # Paragraphs set without space between them (LaTeX, Word "no spacing"): a sentence ends
            # a deliberately short line, or the next line is indented beyond the paragraph's edge.
            # A block indented as a whole (a quotation without quote marks) is not: its lines all
            # start at the same indent.
            indented = first.x0 > self.paragraph_left + 0.8 * line.size
            block = abs(prev.words[0].x0 - first.x0) < 1 and not is_bullet(prev.words[0].text)
            if indented and not block:
                return "\n\n"
        return " " if wrapped else "\n"  # a kept line break: logo lines, a question and its answer
