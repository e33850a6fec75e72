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
    # The edges of the column the line is set in; None: the page's text block (one column).
    left: float | None = None
    right: float | None = None
    column: int = 0  # 0: the whole width, 1: left column, 2: right column
    note: bool = False  # in the footnote area at the page's foot
    note_start: bool = False  # the first line of one footnote ("[2] …", "² …")
    caption: bool = False  # a figure or table caption: it floats, as its figure does

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
    lines_by_page = [_page_lines(words, page_no, height) for page_no, (words, height, _) in enumerate(pages, 1)]
    if not any(lines_by_page):
        raise UnreadablePdfError(
            f"the PDF has no text layer ({len(pages)} page(s) of images only): it looks scanned.", path=str(path),
            hint="Run OCR first (for example `ocrmypdf in.pdf out.pdf`) and extract the result.")
    lines_by_page = _drop_running_lines(lines_by_page, [height for _, height, _ in pages])
    body_size = _body_size(lines_by_page)
    builder = _TextBuilder(body_size)
    for page_no, (lines, (_, height, rules)) in enumerate(zip(lines_by_page, pages), 1):
        builder.add_page(page_no, *_split_notes(lines, height, rules, body_size))
    builder.finish()
    text = builder.text()
    if not text.strip():
        raise UnreadablePdfError("the PDF's text is only running headers and footers.", path=str(path),
                                 hint="Check that the right file was exported.")
    source = Source(path=str(path), sha256=hashlib.sha256(data).hexdigest(), format="pdf", encoding=None,
                    pages=len(pages), size_bytes=len(data))
    return Document(text=text, source=source, page_starts=builder.page_starts, word_boxes=builder.boxes,
                    emphasis=builder.emphasis, heading_hints=frozenset(builder.headings),
                    heading_levels=builder.heading_levels())


def _read_pages(path: Path) -> list[tuple[list[_Word], float, list[tuple[float, float, float]]]]:
    """Each page's words, its height, and its horizontal rules as ``(top, x0, x1)``."""
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
                # Thin horizontal rules: the one above a footnote area, mostly (LaTeX's
                # \footnoterule, Word's separator). Drawn as a line or as a flat rectangle.
                rules = [(float(g["top"]), float(g["x0"]), float(g["x1"])) for g in (*page.lines, *page.rects)
                         if g["bottom"] - g["top"] < 1.5 and g["x1"] - g["x0"] > 20]
                out.append((plumber, float(page.height), rules))
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


# Ligatures: Unicode's presentation forms, and the slots of TeX's T1 font encoding (the one French
# LaTeX documents load with fontenc) that PDFium passes on as control characters: "véri\x1cer" is
# "vérifier", "Figure 1 \x15 …" is babel-french's "Figure 1 – …", \x13 \x14 are « ».
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                            "\ufb05": "st", "\ufb06": "st", "\x1b": "ff", "\x1c": "fi", "\x1d": "fl",
                            "\x1e": "ffi", "\x1f": "ffl", "\x10": "“", "\x11": "”", "\x12": "„", "\x13": "«",
                            "\x14": "»", "\x15": "–", "\x16": "—"})


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
            if ch == "\ufffe" and current:
                # PDFium's mark for the hyphen TeX put at a line end: dropping it as a word break
                # left "autocomplé tion", "notam ment" in the text; kept, the lines join again.
                # (Re-joining such pieces afterwards by word frequencies would not work: wordfreq
                # rates "tion" and "ment" as French words, zipf 2.6 and 4.2, like "par" + "tout".)
                current.append(("-", textpage.get_charbox(i), current[-1][2], current[-1][3]))
                flush()
                continue
            if not ch or ch.isspace() or ch == "\ufffe":
                flush()
                continue
            size = raw.FPDFText_GetFontSize(textpage.raw, i)
            if current and not 0.85 < size / (current[-1][2] or 1) < 1.18:
                flush()  # a superscript call glued to its word ("Facebook²") is a word of its own
            current.append((ch, textpage.get_charbox(i), size, raw.FPDFText_GetFontWeight(textpage.raw, i)))
        flush()
        return words

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()


_URL_BROKEN = re.compile(r"^(?:https?://|www\.)\S*[-/_.=?&]$", re.I)


# The words French writes after a hyphen of its own (pronouns after an inverted verb, "-même",
# "-ci", "-là", "c'est-à-dire", "peut-être"): a closed class of grammar words. A line that starts
# with one of them after a line-end "-" continues a compound, not a word cut by hyphenation.
# Pronouns that could also end a hyphenated word ("éco-le", "ver-tu") are left out; those starting
# with a vowel are safe, French hyphenation never breaks before a vowel.
_COMPOUND_TAIL = re.compile(r"(?:je|il|elle|on|nous|vous|ils|elles|y|en|même|mêmes|ci|là|dire|être|dessus|"
                            r"dessous|delà|devant|uns|unes|t-\w+)(?:\W|$)")


def _line_end_hyphen(word: str, following: str) -> str | None:
    """What a "-" ending a line is: "drop" for hyphenation ("autocomplé-" + "tion"), "keep" for
    the word's own hyphen ("Grande-" + "Bretagne", "elle-" + "même", "1914-" + "1918", "à-" of
    "c'est-à-dire"), None when the line does not end with one."""
    if len(word) < 2 or not word.endswith("-") or word.endswith("--") or not following:
        return None
    if word[-2].isdigit() and following[0].isdigit():
        return "keep"  # a range of years or pages: "1914-1918", "pp. 36-37"
    if not word[-2].isalpha():
        return None
    segment = re.split(r"[-'’]", word[:-1])[-1]
    if following[0].isupper() or len(segment) < 2 or _COMPOUND_TAIL.match(following):
        return "keep" if following[0].isalpha() else None
    return "drop" if following[0].islower() else None


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


def _page_lines(words: list[_Word], page_no: int, height: float) -> list[_Line]:
    """A page's lines in reading order. On a two-column page every run of rows that leaves the
    gutter free is read column by column (the left column, then the right one); rows that cross
    the gutter (a title block, a figure caption set across the page) are read where they are, so
    a full-width block above the columns comes first. A one-column page is left as it is."""
    rows = _lines(words, page_no)
    gutter = _gutter(rows)
    if gutter is None:
        return rows
    runs: list[tuple[bool | None, list[_Line]]] = []  # (clear of the gutter? None: margin, rows)
    for k, row in enumerate(rows):
        clear: bool | None = _clear_of(row, gutter)
        # A running header or footer set apart in the page's margin ("Course     Author", flush
        # left and right) is a run of its own: read as one line, it is found on every page.
        if (row.top < 0.09 * height and (k + 1 == len(rows) or rows[k + 1].top - row.bottom > row.size)) or \
                (row.bottom > 0.91 * height and (k == 0 or row.top - rows[k - 1].bottom > row.size)):
            clear = None
        if runs and runs[-1][0] == clear and clear is not None:
            runs[-1][1].append(row)
        else:
            runs.append((clear, [row]))
    # A run is only set in columns if both sides have text on two rows at least; otherwise its
    # rows are short full-width lines that happen to stop before the gutter (a title block).
    split = [columns and sum(any(w.x1 <= gutter for w in r.words) and any(w.x0 >= gutter for w in r.words)
                             for r in run) >= 2 for columns, run in runs]
    sides = [[w for (columns, run), s in zip(runs, split) if s for r in run for w in r.words if (w.x0 < gutter) == left]
             for left in (True, False)]
    if not sides[0] or not sides[1]:
        return rows
    edges = [(min(w.x0 for w in side), max(w.x1 for w in side)) for side in sides]
    out: list[_Line] = []
    for (columns, run), is_split in zip(runs, split):
        if not is_split:
            out.extend(run)
            continue
        for column, (left, right) in enumerate(edges, 1):
            for line in _lines([w for r in run for w in r.words if (w.x0 < gutter) == (column == 1)], page_no):
                line.left, line.right, line.column = left, right, column
                out.append(line)
    return out


def _clear_of(row: _Line, gutter: float) -> bool:
    """Does the row leave the gutter blank? Its words on both sides must be further apart than a
    word space: a centred page number "– 3 –" or a full-width line with a space near the gutter
    crosses it."""
    left = [w.x1 for w in row.words if w.x0 < gutter]
    right = [w.x0 for w in row.words if w.x0 >= gutter]
    if not left or not right:
        return not any(w.x0 < gutter - 1 and w.x1 > gutter + 1 for w in row.words)
    return min(right) - max(left) >= 0.8 * row.size


def _gutter(rows: list[_Line]) -> float | None:
    """The x of a two-column page's gutter, or None. The gutter is the vertical strip, in the middle
    of the text block, that many rows leave blank between text on both sides (a gap wider than any
    word space) and few rows cross; and the left column's lines run up to it, which sets columns
    apart from a table or tab-aligned "Label :   value" lines."""
    words = [w for r in rows for w in r.words]
    if len(rows) < 6:
        return None
    lo, hi = min(w.x0 for w in words), max(w.x1 for w in words)
    if hi - lo < 200:
        return None
    n = int(hi - lo) + 2
    gaps, cover = [0] * (n + 1), [0] * (n + 1)  # difference arrays over 1 pt cells
    for row in rows:
        ws = row.words
        for w in ws:
            cover[int(w.x0 - lo)] += 1
            cover[int(w.x1 - lo) + 1] -= 1
        for a, b in zip(ws, ws[1:]):
            if b.x0 - a.x1 >= 0.8 * max(a.size, b.size):
                gaps[int(a.x1 - lo) + 1] += 1
                gaps[int(b.x0 - lo)] -= 1
    best, best_x = 0, None
    g = c = 0
    for x in range(n):
        g += gaps[x]
        c += cover[x]
        if 0.3 * n <= x <= 0.7 * n and g - c > best:
            best, best_x = g - c, x
    if best_x is None or best < 3:
        return None
    x = lo + best_x + 0.5
    lefts = [max(w.x1 for w in r.words if w.x1 <= x) for r in rows
             if any(w.x1 <= x for w in r.words) and any(w.x0 >= x for w in r.words)]
    edge = max(lefts)
    if statistics.median(edge - e for e in lefts) > 0.2 * (edge - lo):
        return None
    return x


# ("Document 1 : …" is left out: in a TD dossier it heads a section, it is no float.)
_CAPTION = re.compile(r"^(?:Figure|Fig\.|Tableau|Table|Graphique|Illustration|Image|Carte|Photo)"
                      r"\s*(?:n°\s*)?\d+[a-z]?(?P<sep>\s*[:.–—-]|\s*$)?", re.I)


def _mark_captions(lines: list[_Line], left: float, right: float) -> None:
    """Flag figure and table captions ("Figure 2 – …", or a centred "Figure 2 …" whose separator
    glyph did not decode). LaTeX floats them to the top or bottom of a page, often in the middle of
    a sentence; they are written after the paragraph they interrupt, as footnotes are."""
    previous: _Line | None = None
    for line in lines:
        m = _CAPTION.match(line.text)
        centred = m and line.words[0].x0 - left > 2 * line.size and \
            abs((line.words[0].x0 - left) - (right - line.words[-1].x1)) < 0.1 * (right - left)
        if m and (m.group("sep") is not None or centred):
            line.caption = True
        elif previous is not None and previous.caption and previous.page == line.page and \
                previous.column == line.column and 0 <= line.top - previous.bottom < 0.6 * line.size and \
                abs(line.size - previous.size) < 0.5:
            line.caption = True  # a caption wrapped over two lines
        previous = line


_NOTE_NUMBER = re.compile(r"^(?:\[?\d{1,3}[\].)]?|[a-z][.)])$")
_NOTE_MARK = re.compile(r"^(?:\[\d{1,3}\]|\d{1,3}[.)]?|[a-z][.)]|[*†‡]|[¹²³⁰⁴-⁹]+)$")
_SUPERSCRIPT_CALL = re.compile(r"^(?:\d{1,3}|[*†‡]|[a-z])$")
_ORDINAL_BASE = re.compile(r"(?:^|\W)(?:\d+|[IVXLCDM]+|M|Mgr|Dr|St)$")  # "2e", "XIXe", "Mme": not calls


def _is_superscript(word: _Word, line: _Line, before: _Word | None = None) -> bool:
    """A footnote call set smaller and raised above the line ("Facebook²", LaTeX's \\alph "fidèlesᵃ"):
    pdfplumber gives its glyph size and box, and the call is told from an ordinary number by both.
    A raised letter after a number or a roman numeral is an ordinal ("XIXᵉ"), not a call."""
    if not _SUPERSCRIPT_CALL.match(word.text) or word.size > 0.85 * line.size:
        return False
    if word.text.isalpha() and (before is None or _ORDINAL_BASE.search(before.text)
                                or word.x0 - before.x1 > 0.3 * before.size):
        return False
    normal = [w.bottom for w in line.words if w.size > 0.85 * line.size]
    return bool(normal) and word.bottom < statistics.median(normal) - 0.15 * line.size


def _split_notes(lines: list[_Line], height: float, rules: list[tuple[float, float, float]],
                 body_size: float) -> tuple[list[_Line], list[_Line]]:
    """The page's body and its footnote area: the lines at the foot of the page (or of a column:
    LaTeX's twocolumn sets the notes under each column) set smaller than the body, under a short
    rule or starting with a note number. The notes are written after the paragraph that is open at
    the page's end, so that they never cut a sentence or a quotation running over the page break."""
    found: set[int] = set()
    for column in sorted({l.column for l in lines}):
        found.update(id(l) for l in _note_area([l for l in lines if l.column == column], height, rules, body_size))
    if not found:
        return lines, []
    notes = [l for l in lines if id(l) in found]
    for line in notes:
        line.note = True
        words = line.words
        # "a." may come as two words when the letter is set in italics: "a" + "."
        line.note_start = bool(_NOTE_MARK.match(words[0].text)) or \
            (len(words) > 1 and _NOTE_MARK.match(words[0].text + words[1].text) is not None
             and words[1].x0 - words[0].x1 < 0.3 * words[0].size)
    return [l for l in lines if id(l) not in found], notes


def _note_area(lines: list[_Line], height: float, rules: list[tuple[float, float, float]],
               body_size: float) -> list[_Line]:
    small = [l for l in lines if l.size < 0.92 * body_size and l.top > 0.5 * height]
    if not small:
        return []
    first = min(small, key=lambda l: l.top)
    left = min(l.words[0].x0 for l in lines)
    width = max(l.words[-1].x1 for l in lines) - left
    # The separator starts at the text's (or the column's) left edge and is short.
    above = [r for r in rules if 0.5 * height < r[0] < first.top and abs(r[1] - left) < 10 and r[2] - r[1] < 0.6 * width]
    if above:
        limit = max(r[0] for r in above)
    else:
        starts = [l for l in small if _NOTE_MARK.match(l.words[0].text)]
        if not starts:
            return []
        limit = min(l.top for l in starts) - 0.1
    # The area runs to the foot of the page or column: no body-size line below it.
    if any(l.top > limit and l.size >= 0.92 * body_size for l in lines):
        return []
    return [l for l in lines if l.top > limit]


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
        self.heading_sizes: list[float] = []  # the type size of each of ``headings``
        self.notes: list[_Line] = []  # footnotes waiting for the end of the open paragraph
        self.flushing = False
        self.open_quotes = 0  # « and “ opened and not closed in the paragraph being written

    def _write(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)

    def text(self) -> str:
        return "".join(self.parts) + ("\n```" if self.in_code else "")

    def _is_heading(self, line: _Line) -> bool:
        return line.size >= 1.15 * self.body or (line.bold and len(line.text) < 120 and line.text[-1:] not in ".;,")

    def _edges(self, line: _Line) -> tuple[float, float]:
        return (self.left if line.left is None else line.left, self.right if line.right is None else line.right)

    def add_page(self, page_no: int, lines: list[_Line], notes: list[_Line] = ()) -> None:
        if not lines and not notes:
            self.page_starts.append((page_no, self.length))  # an image-only page: an empty range
            return
        every = [*lines, *notes]
        self.left = min(w.x0 for l in every for w in l.words)
        self.right = max(w.x1 for l in every for w in l.words)
        for note in notes:
            note.left, note.right = self.left, self.right
        _mark_captions(lines, self.left, self.right)
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

    def _add_line(self, line: _Line) -> None:
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
        elif join == " " and (_URL_BROKEN.search(prev.words[-1].text) and line.words[0].text[:1].isalnum()
                              or _line_end_hyphen(prev.words[-1].text, line.words[0].text) == "keep"):
            # A URL broken after one of its own "-" or "/" (LaTeX's \url adds no hyphen), or a
            # compound broken after its own hyphen: the character is the word's, the break is not.
            join = ""
        elif join == " " and _line_end_hyphen(prev.words[-1].text, line.words[0].text) == "drop":
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
            self.paragraph_left = words[1].x0 if _is_bullet(words[0].text) and len(words) > 1 else self._edges(line)[0]
        if self.pending_page is not None and not self.flushing:
            self.page_starts.append((self.pending_page, self.length))
            self.pending_page = None
        calls = [_is_superscript(w, line, line.words[k - 1] if k else None) for k, w in enumerate(line.words)]
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
            self.boxes.append((start, self.length, word.page, word.x0, word.top, word.x1, word.bottom))
            self.open_quotes += word.text.count("«") + word.text.count("“") - word.text.count("»") - word.text.count("”")
            if word.bold and not self._is_heading(line):
                if self.emphasis and self.emphasis[-1][1] in (start - 1, start):
                    self.emphasis[-1] = (self.emphasis[-1][0], self.length)
                else:
                    self.emphasis.append((start, self.length))
        self.prev = line

    def _breaks(self, prev: _Line, line: _Line) -> str:
        """What separates ``line`` from ``prev``: a paragraph break, a kept line break, or a space."""
        if line.note_start or line.note != prev.note or line.caption != prev.caption:
            return "\n\n"
        if line.caption and _CAPTION.match(line.text):
            return "\n\n"
        # Bold or larger type starts and ends a heading; consecutive lines in the same type (a
        # heading wrapped over two lines, a title block set in bold) follow the ordinary rules.
        if (prev.bold, prev.size >= 1.15 * self.body) != (line.bold, line.size >= 1.15 * self.body) \
                or self._is_heading(line) and line.page != prev.page:
            return "\n\n"
        if self._is_heading(line) and abs(line.size - prev.size) > 0.5:
            return "\n\n"
        if _is_bullet(line.words[0].text):
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
            block = abs(prev.words[0].x0 - first.x0) < 1 and not _is_bullet(prev.words[0].text)
            if indented and not block:
                return "\n\n"
        return " " if wrapped else "\n"  # a kept line break: logo lines, a question and its answer
