"""The book a handout quotes: the text of its pages and the number each page prints.

The source (a PDF, or a text with form feeds between pages) is read once into ``SourceText``; a
PDF's text is cached by the file's SHA-256. Page numbers are read from the pages' headers and
footers, and trusted only when the pages around agree with them (``page_numbers.py``); the running
headers and the numbers are then taken out of the text, so that a quotation over a page break
reads on. A scanned two-page spread is cut in two pages first (``spreads.py``). The
book's words are indexed once by trigrams (``SourceIndex``), where ``pipeline.checks.align`` looks
for quotations.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path
from typing import Literal

from pipeline.checks.locators import SourceNumbers, read_numbers, without_marks
from pipeline.checks.page_numbers import edge_candidates, edge_indexes, printed_numbers, running_lines, signature
from pipeline.checks.words import words
from pipeline.errors import NotRegularFileError, SourceError
from pipeline.files import cache_dir, read_regular, regular_file, write_atomic

Numbering = Literal["printed", "pdf_labels", "index", "none"]

# Bump when what is cached changes shape, so stale cache files are ignored. 2: the halves of a
# scanned spread are pages of their own, with the file page each came from.
_CACHE_VERSION = 2
SOURCE_SUFFIXES = (".pdf", ".txt")


# -- the source: pages and their printed numbers -------------------------------------------------

@dataclass(frozen=True, slots=True)
class SourcePage:
    index: int  # 1-based page of the file (both halves of a scanned spread have their sheet's)
    label: str | None  # the printed page number ("64", "xii"); None when the page shows none
    start: int  # the page's range in ``SourceText.text``
    end: int

    @property
    def number(self) -> int | None:
        if self.label is None:
            return None
        return int(self.label) if self.label.isdigit() else None


@dataclass
class SourceText:
    """The book a handout quotes: the text of its pages one after the other, and their numbers."""

    path: str
    sha256: str
    text: str
    pages: list[SourcePage]
    numbering: Numbering
    page_offset: int = 0  # what --page-offset gave (used when numbering is "index")
    # The first pages as read and the running headers (taken out of ``text``): where a book names
    # its title and author, for telling whether it is the book a handout cites.
    front: str = ""

    @cached_property
    def _starts(self) -> list[int]:
        return [p.start for p in self.pages]

    def page_at(self, offset: int) -> SourcePage:
        return self.pages[max(0, bisect.bisect_right(self._starts, offset) - 1)]

    def pages_over(self, start: int, end: int) -> list[SourcePage]:
        """The pages ``text[start:end]`` runs over, in order (not ``pages[index - 1]``: the two
        halves of a scanned spread share their file page)."""
        first = max(0, bisect.bisect_right(self._starts, start) - 1)
        last = max(first, bisect.bisect_right(self._starts, max(start, end - 1)) - 1)
        return self.pages[first:last + 1]

    @property
    def last_page(self) -> int | None:
        """The highest printed page number: how long the book is."""
        return max((p.number for p in self.pages if p.number is not None), default=None)

    @cached_property
    def index(self) -> SourceIndex:
        return SourceIndex(self)

    @cached_property
    def numbers(self) -> SourceNumbers:
        """The lines (verses) and sections the book numbers itself (``pipeline.checks.locators``)."""
        return read_numbers(self.text)


def load_source(path: str | Path, *, page_offset: int = 0, cache: bool = True, time_limit: float | None = None,
                max_memory_mb: float | None = None) -> SourceText:
    """Read a source book (``.pdf``, or ``.txt`` with form feeds between pages).

    Page numbers come from the numbers printed in the pages' headers or footers; failing that, from
    the PDF's page labels; failing that, from the page's index in the file plus ``page_offset``.
    A PDF's extracted text is cached by the file's SHA-256 (see ``cache_dir``). With
    ``time_limit`` (seconds) or ``max_memory_mb``, a PDF is read in a child process stopped at
    those limits (PDFium is C code: nothing else can stop it on a PDF of nested forms).
    """
    path = Path(path)
    hint = "Pass the book as a .pdf or a .txt file with --source."
    if not path.exists() or path.is_dir():
        raise SourceError("no such source file." if not path.exists() else "the source is a folder, not a file.",
                          path=str(path), hint=hint)
    try:
        regular_file(path, hint=hint)  # a FIFO or a device would block the read below forever
    except NotRegularFileError as err:
        raise SourceError(err.bare_message, path=str(path), hint=hint) from None
    suffix = path.suffix.lower()
    if suffix not in SOURCE_SUFFIXES:
        raise SourceError(f"unsupported source format '{suffix or path.name}'.", path=str(path),
                          hint="Give the book as a .pdf, or as a .txt with form feeds between pages "
                               "(`pdftotext book.pdf` writes one).")
    try:
        data = read_regular(path, hint=hint)
    except NotRegularFileError as err:
        raise SourceError(err.bare_message, path=str(path), hint=hint) from None
    except OSError as err:
        raise SourceError(f"the source cannot be read ({err.strerror}).", path=str(path),
                          hint="Check its permissions.") from err
    sha = hashlib.sha256(data).hexdigest()
    if suffix == ".pdf":
        read = partial(_read_pdf_limited, time_limit=time_limit, max_memory_mb=max_memory_mb)
        raw_pages, labels, files = _cached_pdf(path, sha, read) if cache else read(path)
    else:
        raw_pages, labels, files = _read_txt(path, data), [], []
        marked = marked_pages(raw_pages)
        if marked is not None:
            raw_pages, marked_labels = marked
            return _assemble(str(path), sha, raw_pages, [], page_offset=page_offset, paged=True,
                             labels=marked_labels)
    if not any(p.strip() for p in raw_pages):
        raise SourceError("the source has no text" + (" layer: it looks scanned." if suffix == ".pdf" else "."),
                          path=str(path), hint="Run OCR first (for example `ocrmypdf in.pdf out.pdf`)."
                          if suffix == ".pdf" else "Check that the right file was given.")
    return _assemble(str(path), sha, raw_pages, labels, page_offset=page_offset,
                     paged=suffix == ".pdf" or len(raw_pages) > 1, files=files)


# A soft hyphen inside a line is invisible and cuts no word; at a line end it is a hyphenation,
# which ``words`` joins.
_SOFT_HYPHEN = re.compile("\u00ad(?![ \t]*\n)")


def _read_txt(path: Path, data: bytes) -> list[str]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything; latin-1 decodes everything
        text = data.decode("latin-1")
    text = _SOFT_HYPHEN.sub("", unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")))
    pages = text.split("\f")
    if len(pages) > 1 and not pages[-1].strip():
        pages.pop()  # pdftotext ends the last page with a form feed too
    return pages


# A paged text without form feeds: a line ``[[PAGE 45]]`` (or ``[[PAGE xii]]``) where printed page 45
# begins, as the page anchors of an HTML edition (Project Gutenberg's) are kept in plain text.
_PAGE_MARKER = re.compile(r"^[ \t]*\[\[PAGE[ \t]+([0-9]+|[ivxlcdm]+)\]\][ \t]*$", re.M | re.I)


def marked_pages(pages: list[str]) -> tuple[list[str], list[str | None]] | None:
    """A single-page text cut at its ``[[PAGE N]]`` lines: the pages and their labels (the text
    before the first marker, a title page, has none). None when the text has no such line."""
    if len(pages) != 1:
        return None
    text = pages[0]
    marks = list(_PAGE_MARKER.finditer(text))
    if not marks:
        return None
    out, labels = [], []
    if text[:marks[0].start()].strip():
        out.append(text[:marks[0].start()])
        labels.append(None)
    for m, nxt in zip(marks, marks[1:] + [None]):
        out.append(text[m.end():nxt.start() if nxt else len(text)].strip("\n"))
        labels.append(m.group(1).lower())
    return out, labels


def _read_pdf(path: Path) -> tuple[list[str], list[str], list[int]]:
    """Plain text and PDF page label of every printed page, and the file page each is on (empty
    when every file page is one printed page), read with PDFium (pypdfium2, a pdfplumber
    dependency): 0.4 s for a 358-page book where pdfplumber's ``extract_text`` takes 35 s. A
    source needs no word boxes, only its text (and, on a landscape page, where its lines are:
    ``pipeline.checks.spreads``)."""
    import pypdfium2 as pdfium

    from pipeline.checks.spreads import spread_halves

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as err:
        message = str(err).lower()
        if "password" in message:
            raise SourceError("the source PDF is encrypted (password-protected).", path=str(path),
                              hint="Export an unprotected copy and pass that.") from err
        raise SourceError(f"the source PDF is corrupt or truncated ({err}).", path=str(path),
                          hint="Re-export or re-download the file.") from err
    try:
        sheets, labels = [], []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            try:
                halves = spread_halves(page, textpage)
            except pdfium.PdfiumError:  # where the lines are only decides a cut: the page stays whole
                halves = None
            sheets.append((_page_text(textpage.get_text_range()),
                           [_page_text(half) for half in halves] if halves else None))
            textpage.close()
            page.close()
            # The same /PageLabels pdfminer exposes as ``PDFPage.label``; "" when the PDF has none.
            try:
                labels.append(pdf.get_page_label(i) or "")
            except pdfium.PdfiumError:  # a broken label tree: the labels are only a fallback
                labels.append("")
    finally:
        pdf.close()
    pages, files = _cut_spreads(sheets)
    if files and any(labels):
        labels = [labels[f - 1] for f in files]
    return pages, labels if any(labels) else [], files


def _page_text(raw: str) -> str:
    # PDFium marks a hyphen it took for a line-end hyphenation with U+FFFE and joins the word's
    # halves itself ("républi\ufffeque"); its text of an area (a spread's half) marks it U+0002.
    return _SOFT_HYPHEN.sub("", unicodedata.normalize("NFC", raw.replace("\ufffe", "").replace("\x02", "").replace(
        "\r\n", "\n").replace("\r", "\n")))


def _cut_spreads(sheets: list[tuple[str, list[str] | None]]) -> tuple[list[str], list[int]]:
    """The printed pages of a PDF whose landscape pages may be scanned spreads, and the file page
    each is on (``[]`` when no page is cut).

    ``sheets``: each file page's text, and its left and right blocks when it has a gutter. A page is
    cut when each block carries a page number at its top or bottom edge, the right one the next
    after the left (a wide table, whose columns may leave a gutter, has no such pair). Once two
    pages are spreads by their numbers, the book is a scan of the open book: a page with a gutter
    whose block has no number (a chapter opening) is cut too.
    """
    def numbered(halves: list[str]) -> bool:
        left, right = (edge_candidates(half.split("\n")) for half in halves)
        return any(r.roman == lc.roman and r.value == lc.value + 1 for lc in left for r in right)

    spreads = {i for i, (_, halves) in enumerate(sheets) if halves and numbered(halves)}
    if len(spreads) >= 2:
        spreads |= {i for i, (_, halves) in enumerate(sheets) if halves}
    if not spreads:
        return [text for text, _ in sheets], []
    pages, files = [], []
    for i, (text, halves) in enumerate(sheets):
        cut = halves if i in spreads else [text]
        pages += cut
        files += [i + 1] * len(cut)
    return pages, files


def _read_pdf_limited(path: Path, *, time_limit: float | None, max_memory_mb: float | None):
    if not time_limit and not max_memory_mb:
        return _read_pdf(path)
    from pipeline.limits import ChildDied, MemoryCeilingExceeded, TimeLimitExceeded, run_in_child

    try:
        return run_in_child(_read_pdf, path, seconds=time_limit, max_memory_mb=max_memory_mb)
    except TimeLimitExceeded:
        raise SourceError(f"reading the source PDF did not finish within {time_limit:g} s and was stopped "
                          "(timeout).", path=str(path), hint="Raise --timeout, or give the book as a .txt "
                          "(`pdftotext book.pdf`).") from None
    except MemoryCeilingExceeded:
        raise SourceError(f"reading the source PDF went over {max_memory_mb:g} MB of memory and was stopped "
                          "(out_of_memory).", path=str(path), hint="Give the book as a .txt "
                          "(`pdftotext book.pdf`).") from None
    except ChildDied as err:
        raise SourceError(f"the PDF reader crashed on the source ({err}).", path=str(path),
                          hint="Re-export the book, or give it as a .txt (`pdftotext book.pdf`).") from None


def _cached_pdf(path: Path, sha: str, read=_read_pdf) -> tuple[list[str], list[str], list[int]]:
    if (folder := cache_dir()) is None:
        return read(path)
    target = folder / "sources" / f"{sha}.json"
    try:
        cached = json.loads(read_regular(target).decode("utf-8"))
        # Anything else in the entry (edited, damaged, written by another program) is re-read
        # from the book: a cache is never trusted to hold the right types.
        if isinstance(cached, dict) and cached.get("version") == _CACHE_VERSION and cached.get("sha256") == sha:
            pages, labels, files = cached["pages"], cached["labels"], cached["files"]
            if isinstance(pages, list) and isinstance(labels, list) and pages and \
                    all(isinstance(p, str) for p in pages) and all(isinstance(x, str) for x in labels) and \
                    (not labels or len(labels) == len(pages)) and _file_pages_fit(files, pages):
                return pages, labels, files
    except (OSError, ValueError, KeyError, RecursionError, NotRegularFileError):
        pass
    pages, labels, files = read(path)
    try:
        write_atomic(target, json.dumps({"version": _CACHE_VERSION, "sha256": sha, "pages": pages,
                                         "labels": labels, "files": files}, ensure_ascii=False))
    except OSError:
        pass  # a read-only or full cache directory only costs speed: the check itself goes on
    return pages, labels, files


def _file_pages_fit(files, pages: list[str]) -> bool:
    """A cached list of file pages (one per printed page, never decreasing) that fits its pages."""
    return isinstance(files, list) and (not files or (
        len(files) == len(pages) and all(type(f) is int and f >= 1 for f in files)
        and all(a <= b for a, b in zip(files, files[1:]))))


def _assemble(path: str, sha: str, raw_pages: list[str], pdf_labels: list[str], *, page_offset: int,
              paged: bool, labels: list[str | None] | None = None, files: list[int] | None = None
              ) -> SourceText:
    split = [page.split("\n") for page in raw_pages]
    given = labels is not None
    printed, number_lines = printed_numbers(split) if paged and not given else ([None] * len(split),
                                                                                 [None] * len(split))
    numbered = sum(label is not None for label in printed)
    if given:
        # [[PAGE N]] lines name the printed pages of the edition: as good as numbers read in a footer.
        numbering: Numbering = "printed"
    elif not paged:
        numbering = "none"
        labels = [None]
    elif numbered >= max(2, 0.5 * sum(bool(p.strip()) for p in raw_pages)):
        numbering, labels = "printed", printed
    elif pdf_labels:
        numbering, labels = "pdf_labels", [label or None for label in pdf_labels]
    else:
        numbering = "index"
        labels = [str(i + page_offset) if i + page_offset > 0 else None for i in range(1, len(raw_pages) + 1)]
    running = running_lines(split)
    parts: list[str] = []
    pages: list[SourcePage] = []
    length = 0
    for i, lines in enumerate(split):
        # The printed number and the running header are no part of the text: a quotation running
        # over the page break must not meet "DE LA DÉMOCRATIE EN AMÉRIQUE. 45" in its middle.
        drop = {number_lines[i]} if numbering == "printed" else set()
        drop |= {k for k in edge_indexes(lines) if signature(lines[k]) in running}
        body = "\n".join(line for k, line in enumerate(lines) if k not in drop).strip("\n")
        pages.append(SourcePage(files[i] if files else i + 1, labels[i] if i < len(labels) else None, length,
                                length + len(body)))
        parts.append(body + "\n")
        length += len(body) + 1
    front = "\n".join(raw_pages[:4])[:20000] + "\n" + "\n".join(sorted(running))
    return SourceText(path, sha, "".join(parts), pages, numbering, page_offset, front=front)


# -- the index ----------------------------------------------------------------------------------------

_N = 3  # words per indexed n-gram
# An n-gram found more often than this says nothing about where a quotation is ("de la France").
_MAX_POSTINGS = 40


class SourceIndex:
    """The source's words and where each word trigram occurs, built once per source."""

    def __init__(self, source: SourceText):
        self.source = source
        # A verse's or a section's printed number is no word of the book (issue 18).
        self.words = without_marks(words(source.text), source.numbers.marks)
        postings: dict[tuple[str, ...], list[int]] = defaultdict(list)
        norms = self.words.norms
        for i in range(len(norms) - _N + 1):
            postings[tuple(norms[i:i + _N])].append(i)
        self.postings = {k: v for k, v in postings.items() if len(v) <= _MAX_POSTINGS}
        # First word index of every page, to tell the page a word is on.
        self.page_first_word = [bisect.bisect_left(self.words.starts, p.start) for p in source.pages]

    @cached_property
    def vocabulary(self) -> set[str]:
        """Every word of the book, once (to tell two words OCR glued from a word cut)."""
        return set(self.words.norms)

    def one_after(self, i: int) -> bool:
        """Whether word ``i`` is followed, glued, by a lone "1", which ``words`` leaves out as a
        footnote call ("amende1"): it may also be OCR's l ("nu1" for "nul", "consei1")."""
        end, text = self.words.ends[i], self.source.text
        return text[end:end + 1] == "1" and not text[end + 1:end + 2].isalnum()

    def page_of_word(self, i: int) -> SourcePage:
        return self.source.pages[max(0, bisect.bisect_right(self.page_first_word, i) - 1)]

    def hits(self, norms: list[str]) -> list[tuple[int, int]]:
        """``(source word, quote word)`` pairs where an n-gram of ``norms`` occurs in the source."""
        out = []
        for q in range(len(norms) - _N + 1):
            for s in self.postings.get(tuple(norms[q:q + _N]), ()):
                out.append((s, q))
        return out
