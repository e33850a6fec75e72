"""PDF handouts: words with their fonts and boxes (pdfplumber) -> reflowed, page-aware text.

A handout PDF is an exported slide deck or Word document. Its text is rebuilt from pdfplumber's
words, because their fonts and boxes are what the plain text lacks: running headers and footers
("Page 3 / 12", a course name on every page) are dropped, lines are reflowed into paragraphs
(a blank line between paragraphs, as in the text handouts the stages read), words hyphenated at a
line end are joined ("tâche-" + "ronnisation"), a paragraph running over a page break stays one
paragraph, and large or bold standalone lines become headings of their own. Every word keeps its
page and box, so spans of the rebuilt text map back to where they are printed.
"""

from __future__ import annotations

import hashlib
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pipeline.document import Document
from pipeline.errors import EmptyDocumentError, UnreadablePdfError
from pipeline.models import Source

_BULLETS = "•▪◦●■□➔→►➢➤✓✔–—-*"
_PAGE_NUMBER = re.compile(r"^(?:page|p\.)?\s*#\s*(?:(?:/|sur|of|de)\s*#)?$|^[-–—]\s*#\s*[-–—]$", re.I)
_SENTENCE_END = ".!?…:;»)]\"”"
_INITIAL = re.compile(r"(?:^|\s)[A-ZÀ-Ý]\.$")  # "Antonio A." does not end a sentence


@dataclass(slots=True)
class _Word:
    text: str
    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool
    mono: bool = False


@dataclass(slots=True)
class _Line:
    words: list[_Word]
    page: int

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def size(self) -> float:
        return statistics.median(w.size for w in self.words)

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)

    @property
    def mono(self) -> bool:
        return all(w.mono for w in self.words)


def read_pdf(path: Path) -> Document:
    data = path.read_bytes()
    pages = _read_pages(path)
    if not pages:
        raise EmptyDocumentError("the PDF has no pages.", path=str(path), hint="Check that the right file was exported.")
    lines_by_page = [_lines(words, page_no) for page_no, (words, _) in enumerate(pages, 1)]
    if not any(lines_by_page):
        raise UnreadablePdfError(
            f"the PDF has no text layer ({len(pages)} page(s) of images only): it looks scanned.", path=str(path),
            hint="Run OCR first (for example `ocrmypdf in.pdf out.pdf`) and extract the result.")
    lines_by_page = _drop_running_lines(lines_by_page, [height for _, height in pages])
    body_size = _body_size(lines_by_page)
    builder = _TextBuilder(body_size)
    for page_no, lines in enumerate(lines_by_page, 1):
        builder.add_page(page_no, lines)
    text = builder.text()
    if not text.strip():
        raise UnreadablePdfError("the PDF's text is only running headers and footers.", path=str(path),
                                 hint="Check that the right file was exported.")
    source = Source(path=str(path), sha256=hashlib.sha256(data).hexdigest(), format="pdf", encoding=None,
                    pages=len(pages), size_bytes=len(data))
    return Document(text=text, source=source, page_starts=builder.page_starts, word_boxes=builder.boxes,
                    emphasis=builder.emphasis, heading_hints=frozenset(builder.headings))


def _read_pages(path: Path) -> list[tuple[list[_Word], float]]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    encrypted = UnreadablePdfError("the PDF is encrypted (password-protected).", path=str(path),
                                   hint="Export an unprotected copy and extract that.")
    out = []
    try:
        with pdfplumber.open(path) as pdf:
            fallback = _PdfiumPages(path)
            for page in pdf.pages:
                # Word gaps scale with the type size: a fixed 3 pt tolerance glues the words of
                # tightly justified LaTeX text together ("Étantdonnémonsujet").
                words = page.extract_words(extra_attrs=["fontname", "size"], x_tolerance_ratio=0.15)
                plumber = [_Word(w["text"].translate(_LIGATURES), page.page_number, w["x0"], w["top"], w["x1"], w["bottom"],
                                 w["size"], _is_bold(w["fontname"]), _is_mono(w["fontname"]))
                           for w in words if w.get("upright", True)]
                if _damaged(plumber) and (pdfium := fallback.words(page.page_number)) is not None:
                    plumber = pdfium
                out.append((plumber, float(page.height)))
            fallback.close()
    except (PDFPasswordIncorrect, PDFEncryptionError) as err:
        raise encrypted from err
    except PdfminerException as err:
        cause = err.args[0] if err.args else err
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise encrypted from err
        raise UnreadablePdfError(f"the PDF is corrupt or truncated ({cause}).", path=str(path),
                                 hint="Re-export or re-download the file.") from err
    except (PDFSyntaxError, ValueError, KeyError, TypeError, AssertionError) as err:
        # pdfminer reports broken files with whatever its parser tripped on.
        raise UnreadablePdfError(f"the PDF is corrupt or truncated ({type(err).__name__}: {err}).",
                                 path=str(path), hint="Re-export or re-download the file.") from err
    return out


# pdfminer cannot map the glyphs of some embedded fonts (Type 3 and custom encodings from LaTeX):
# it prints "(cid:224)" or a wrong Latin-1 letter ("publiØ" for "publié"). PDFium decodes them.
_CID = re.compile(r"\(cid:\d+\)")
_MISDECODED = set("ØŁłøÆæ¸¯")


# Ligatures: Unicode's presentation forms, and TeX's OT1 slots that PDFium passes on as control
# characters ("véri\x1cer" is "vérifier").
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                            "\ufb05": "st", "\ufb06": "st", "\x1b": "ff", "\x1c": "fi", "\x1d": "fl",
                            "\x1e": "ffi", "\x1f": "ffl"})


def _damaged(words: list[_Word]) -> bool:
    text = "".join(w.text for w in words)
    return bool(_CID.search(text)) or sum(ch in _MISDECODED for ch in text) > 3


class _PdfiumPages:
    """Words of a page read with PDFium (pypdfium2, a pdfplumber dependency), for the pages whose
    text pdfminer decodes wrongly. Same boxes (top-left origin), sizes and weights."""

    def __init__(self, path: Path):
        self.path = path
        self.pdf = None

    def words(self, page_number: int) -> list[_Word] | None:
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw

        try:
            if self.pdf is None:
                self.pdf = pdfium.PdfDocument(str(self.path))
            page = self.pdf[page_number - 1]
            height = page.get_height()
            textpage = page.get_textpage()
        except Exception:  # noqa: BLE001 - any PDFium failure means: keep pdfminer's words
            return None
        words: list[_Word] = []
        current: list[tuple[str, tuple[float, float, float, float], float, int]] = []

        def flush() -> None:
            if current:
                text = "".join(c for c, *_ in current)
                x0 = min(b[0] for _, b, *_ in current)
                x1 = max(b[2] for _, b, *_ in current)
                top = height - max(b[3] for _, b, *_ in current)
                bottom = height - min(b[1] for _, b, *_ in current)
                size = statistics.median(s for *_, s, _ in current)
                bold = all(weight >= 600 for *_, weight in current)
                words.append(_Word(text, page_number, x0, top, x1, bottom, size, bold))
                current.clear()

        for i in range(textpage.count_chars()):
            ch = textpage.get_text_range(i, 1).translate(_LIGATURES)  # before isspace(): "\x1c" is one
            if not ch or ch.isspace() or ch == "\ufffe":
                flush()
                continue
            current.append((ch, textpage.get_charbox(i), raw.FPDFText_GetFontSize(textpage.raw, i),
                            raw.FPDFText_GetFontWeight(textpage.raw, i)))
        flush()
        return words

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()


def _hyphenated(word: str) -> bool:
    return len(word) > 2 and word.endswith("-") and word[-2].isalpha()


def _is_bullet(word: str) -> bool:
    return len(word) <= 2 and word[:1] in _BULLETS


def _is_mono(fontname: str) -> bool:
    name = fontname.split("+")[-1].lower()
    return any(mark in name for mark in ("mono", "courier", "consol", "code", "typewriter", "cmtt"))


def _is_bold(fontname: str) -> bool:
    name = fontname.split("+")[-1].lower()
    return any(mark in name for mark in ("bold", "black", "heavy", "semibold", "demi", ",bd", "-bd"))


def _lines(words: list[_Word], page_no: int) -> list[_Line]:
    """Words -> lines, top to bottom, left to right. A word joins the current line when their
    vertical bands hold each other's middle, so superscripts (footnote calls) stay in their line."""
    lines: list[_Line] = []
    band = (0.0, 0.0)
    for word in sorted(words, key=lambda w: (round(w.top), w.x0)):
        middle = (word.top + word.bottom) / 2
        if lines and (band[0] <= middle <= band[1] or word.top <= (band[0] + band[1]) / 2 <= word.bottom):
            lines[-1].words.append(word)
            band = (min(band[0], word.top), max(band[1], word.bottom))
        else:
            lines.append(_Line([word], page_no))
            band = (word.top, word.bottom)
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    return lines


def _signature(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


def _drop_running_lines(pages: list[list[_Line]], heights: list[float]) -> list[list[_Line]]:
    """Drop running headers and footers: lines in the top or bottom margin that repeat across
    pages (digits aside) or are page numbers."""
    def in_margin(line: _Line, height: float) -> bool:
        return line.top < 0.09 * height or line.bottom > 0.91 * height

    counts = Counter()
    for lines, height in zip(pages, heights):
        counts.update({_signature(l.text) for l in lines if in_margin(l, height)})
    repeated = {sig for sig, n in counts.items() if n >= max(2, (len(pages) + 1) // 2)}
    kept = []
    for lines, height in zip(pages, heights):
        edge = {id(lines[0]), id(lines[-1])} if lines else set()
        kept.append([l for l in lines
                     if not (in_margin(l, height) and _signature(l.text) in repeated)
                     # A bare page number ("3", "- 3 -", "Page 3 / 12") ends or starts a page
                     # wherever the template puts it.
                     and not ((in_margin(l, height) or id(l) in edge) and _PAGE_NUMBER.match(_signature(l.text)))])
    return kept


def _body_size(pages: list[list[_Line]]) -> float:
    sizes = Counter()
    for lines in pages:
        for line in lines:
            for word in line.words:
                sizes[round(word.size, 1)] += len(word.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


class _TextBuilder:
    """Writes lines into text with blank lines between paragraphs and records each word's box."""

    def __init__(self, body_size: float):
        self.body = body_size
        self.parts: list[str] = []
        self.length = 0
        self.page_starts: list[tuple[int, int]] = []
        self.boxes: list[tuple[int, int, int, float, float, float, float]] = []
        self.emphasis: list[tuple[int, int]] = []
        self.prev: _Line | None = None
        self.pending_page: int | None = None
        self.left = self.right = 0.0  # the text block's edges on the current page
        self.paragraph_left = 0.0
        self.in_code = False
        self.headings: list[int] = []  # offsets of paragraphs set in a heading's font

    def _write(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)

    def text(self) -> str:
        return "".join(self.parts) + ("\n```" if self.in_code else "")

    def _is_heading(self, line: _Line) -> bool:
        return line.size >= 1.15 * self.body or (line.bold and len(line.text) < 120 and line.text[-1:] not in ".;,")

    def add_page(self, page_no: int, lines: list[_Line]) -> None:
        if not lines:
            self.page_starts.append((page_no, self.length))  # an image-only page: an empty range
            return
        self.pending_page = page_no
        self.left = min(w.x0 for l in lines for w in l.words)
        self.right = max(w.x1 for l in lines for w in l.words)
        for line in lines:
            self._add_line(line)

    def _add_line(self, line: _Line) -> None:
        prev = self.prev
        join = "" if prev is None else self._breaks(prev, line)
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
        elif join == " " and _hyphenated(prev.words[-1].text) and line.words[0].text[:1].islower():
            # "tâche-" + "ronnisation": a word hyphenated at the line end is joined again.
            join = ""
            self.parts[-1] = self.parts[-1][:-1]
            self.length -= 1
            start, _, *box = self.boxes[-1]
            self.boxes[-1] = (start, self.length, *box)
        self._write(join)
        if (prev is None or join.endswith("\n\n")) and self._is_heading(line) and not line.mono:
            self.headings.append(self.length)
        if prev is None or join == "\n\n":
            # Where this paragraph's lines start: after the bullet of a list item (hanging indent).
            words = line.words
            self.paragraph_left = words[1].x0 if _is_bullet(words[0].text) and len(words) > 1 else self.left
        if self.pending_page is not None:
            self.page_starts.append((self.pending_page, self.length))
            self.pending_page = None
        for k, word in enumerate(line.words):
            # Words split where the font changes ("d'" + bold "externalisation") touch each other.
            if k and word.x0 - line.words[k - 1].x1 > 0.12 * word.size:
                self._write(" ")
            start = self.length
            self._write(word.text)
            self.boxes.append((start, self.length, word.page, word.x0, word.top, word.x1, word.bottom))
            if word.bold and not self._is_heading(line):
                if self.emphasis and self.emphasis[-1][1] in (start - 1, start):
                    self.emphasis[-1] = (self.emphasis[-1][0], self.length)
                else:
                    self.emphasis.append((start, self.length))
        self.prev = line

    def _breaks(self, prev: _Line, line: _Line) -> str:
        """What separates ``line`` from ``prev``: a paragraph break, a kept line break, or a space."""
        if self._is_heading(prev) != self._is_heading(line) or self._is_heading(line) and line.page != prev.page:
            return "\n\n"
        if self._is_heading(line) and abs(line.size - prev.size) > 0.5:
            return "\n\n"
        if _is_bullet(line.words[0].text):
            return "\n\n"
        if abs(line.size - prev.size) > 0.15 * self.body:
            return "\n\n"
        ends_sentence = prev.text.rstrip()[-1:] in _SENTENCE_END and not _INITIAL.search(prev.text)
        if line.page != prev.page:
            # Over a page break a paragraph continues unless the previous one ended a sentence
            # and this one starts like a new one.
            return "\n\n" if ends_sentence and not line.text[:1].islower() else " "
        if line.top - prev.bottom > 0.6 * prev.size:
            return "\n\n"
        # The line was wrapped if its first word would not have fitted at the end of the previous
        # one; otherwise the author broke it on purpose.
        first = line.words[0]
        wrapped = prev.words[-1].x1 + 0.3 * prev.size + (first.x1 - first.x0) > self.right - 1
        if ends_sentence:
            # Paragraphs set without space between them (LaTeX, Word "no spacing"): a sentence ends
            # a deliberately short line, or the next line is indented beyond the paragraph's edge.
            indented = first.x0 > self.paragraph_left + 0.8 * line.size
            if indented:
                return "\n\n"
        return " " if wrapped else "\n"  # a kept line break: logo lines, a question and its answer
