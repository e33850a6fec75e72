"""PDF handouts: words with their fonts and boxes (pdfplumber) -> reflowed, page-aware text.

A handout PDF is an exported slide deck or Word document. Its text is rebuilt from pdfplumber's
words, because their fonts and boxes are what the plain text lacks: running headers and footers
("Page 3 / 12", a course name on every page) are dropped, lines are reflowed into paragraphs
(a blank line between paragraphs, as in the text handouts the stages read), words hyphenated at a
line end are joined ("tâche-" + "ronnisation"), a paragraph running over a page break stays one
paragraph, and large or bold standalone lines become headings of their own. Every word keeps its
page and box, so spans of the rebuilt text map back to where they are printed.

This module reads the pages and runs the steps in order; each step has its module:

- ``words``: the words as printed (box, size, weight, pitch), their decoding repaired (ligatures,
  TeX's T1 slots, PDFium for fonts pdfminer cannot decode);
- ``layout``: words -> lines in reading order (two-column pages read column by column);
- ``areas``: what is not running text: running headers and footers, footnote areas, captions;
- ``glyphs``: superscript footnote calls, line-end hyphens, broken URLs, bullets;
- ``reflow``: lines -> paragraphs, headings, emphasis, notes placed after their paragraph.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline.document import Document
from pipeline.errors import EmptyDocumentError, UnreadablePdfError
from pipeline.files import read_regular
from pipeline.ingest.pdf.inflate import StreamTooLarge, bound_pdfminer_streams
from pipeline.ingest.pdf.areas import body_size_of, drop_running_lines, split_notes
from pipeline.ingest.pdf.layout import page_lines
from pipeline.ingest.pdf.reflow import TextBuilder
from pipeline.ingest.pdf.turned import direction, directions, turned_words
from pipeline.ingest.pdf.words import LIGATURES, PdfiumPages, Word, damaged, is_bold, is_mono
from pipeline.models import Issue, Source

# Word gaps scale with the type size: a fixed 3 pt tolerance glues the words of tightly justified
# LaTeX text together ("Étantdonnémonsujet").
_WORD_OPTIONS = {"extra_attrs": ["fontname", "size"], "x_tolerance_ratio": 0.15}


def read_pdf(path: Path) -> Document:
    data = read_regular(path)
    pages, skipped, with_images = _read_pages(path)
    if not pages:
        raise EmptyDocumentError("the PDF has no pages.", path=str(path), hint="Check that the right file was exported.")
    lines_by_page = [page_lines(words, page_no, height) for page_no, (words, height, _) in enumerate(pages, 1)]
    if not any(lines_by_page):
        if not with_images:
            # Blank pages, or text drawn as shapes (fonts converted to outlines): OCR is no cure
            # for the first, and "scanned" would send the user looking for a scanner.
            raise UnreadablePdfError(
                f"the PDF has no text and no images on its {len(pages)} page(s): they are blank, or their text "
                "is drawn as shapes (fonts converted to outlines).", path=str(path),
                hint="Check that the right file was exported; export it again with its text kept as text.")
        raise UnreadablePdfError(
            f"the PDF has no text layer ({len(pages)} page(s) of images only): it looks scanned.", path=str(path),
            hint="Run OCR first (for example `ocrmypdf in.pdf out.pdf`) and extract the result.")
    lines_by_page = drop_running_lines(lines_by_page, [height for _, height, _ in pages])
    body_size = body_size_of(lines_by_page)
    builder = TextBuilder(body_size)
    for page_no, (lines, (_, height, rules)) in enumerate(zip(lines_by_page, pages), 1):
        builder.add_page(page_no, *split_notes(lines, height, rules, body_size))
    builder.finish()
    text = builder.text()
    if not text.strip():
        raise UnreadablePdfError("the PDF's text is only running headers and footers.", path=str(path),
                                 hint="Check that the right file was exported.")
    source = Source(path=str(path), sha256=hashlib.sha256(data).hexdigest(), format="pdf", encoding=None,
                    pages=len(pages), size_bytes=len(data))
    issues = []
    if skipped:
        count, where = sum(n for _, n in skipped), sorted({page for page, _ in skipped})
        issues.append(Issue(code="text_at_an_angle", severity="warning",
                            message=f"{count} character(s) set at an angle to the rest of their page were left out "
                                    f"(page(s) {', '.join(map(str, where))}): a stamp in the margin or a watermark, "
                                    "most likely."))
    return Document(text=text, source=source, issues=issues, page_starts=builder.page_starts, word_boxes=builder.boxes,
                    emphasis=builder.emphasis, heading_hints=frozenset(builder.headings),
                    heading_levels=builder.heading_levels())


def _read_pages(path: Path) -> tuple[list[tuple[list[Word], float, list[tuple[float, float, float]]]],
                                     list[tuple[int, int]], int]:
    """Each page's words, its height, and its horizontal rules as ``(top, x0, x1)``; the characters
    left out for being at an angle to their page, as ``(page, count)``; how many pages hold images."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    bound_pdfminer_streams()
    encrypted = UnreadablePdfError("the PDF is encrypted (password-protected).", path=str(path),
                                   hint="Export an unprotected copy and extract that.")

    def too_large(err: StreamTooLarge) -> UnreadablePdfError:
        return UnreadablePdfError(f"{err}: a decompression bomb, or a PDF that is not a handout.", path=str(path),
                                  hint="Re-export the handout as PDF from its word processor, or as .txt.")
    out = []
    skipped: list[tuple[int, int]] = []  # (page, characters) set at an angle the page is not read in
    with_images = 0  # pages holding an image: no text then means a scan
    try:
        with pdfplumber.open(path) as pdf:
            fallback = PdfiumPages(path)
            for page in pdf.pages:
                counts = directions(page.chars)
                # A page is read in the direction most of its text runs in (a page turned with
                # /Rotate, or drawn turned, is read turned back); text at another angle on it
                # (a stamp in the margin, a diagonal watermark) is left out and counted.
                angle = counts.most_common(1)[0][0] if counts else 0
                skipped.extend((page.page_number, n) for a, n in counts.items() if a != angle)
                if angle == 0:
                    source = page if len(counts) < 2 else page.filter(
                        lambda obj: obj.get("object_type") != "char" or direction(obj) == 0)
                    words = source.extract_words(**_WORD_OPTIONS)
                    height = float(page.height)
                else:
                    words, height = turned_words(page.chars, angle, float(page.width), float(page.height),
                                                 **_WORD_OPTIONS)
                plumber = [Word(w["text"].translate(LIGATURES), page.page_number, w["x0"], w["top"], w["x1"], w["bottom"],
                                w["size"], is_bold(w["fontname"]), is_mono(w["fontname"]), w.get("printed"))
                           for w in words if w.get("upright", True)]
                if angle == 0 and damaged(plumber) and (pdfium := fallback.words(page.page_number)) is not None:
                    plumber = pdfium
                # Thin horizontal rules: the one above a footnote area, mostly (LaTeX's
                # \footnoterule, Word's separator). Drawn as a line or as a flat rectangle. On a
                # turned page they would be vertical: none are looked for there.
                rules = [] if angle else [(float(g["top"]), float(g["x0"]), float(g["x1"]))
                                          for g in (*page.lines, *page.rects)
                                          if g["bottom"] - g["top"] < 1.5 and g["x1"] - g["x0"] > 20]
                out.append((plumber, height, rules))
                with_images += bool(page.images)
            fallback.close()
    except (PDFPasswordIncorrect, PDFEncryptionError) as err:
        raise encrypted from err
    except StreamTooLarge as err:
        raise too_large(err) from None
    except PdfminerException as err:
        cause = err.args[0] if err.args else err
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise encrypted from err
        if isinstance(cause, StreamTooLarge):
            raise too_large(cause) from None
        raise UnreadablePdfError(f"the PDF is corrupt or truncated ({cause}).", path=str(path),
                                 hint="Re-export or re-download the file.") from err
    except (PDFSyntaxError, PSException, MalformedPDFException, ValueError, KeyError, TypeError, AssertionError,
            IndexError, ZeroDivisionError) as err:
        # pdfminer reports broken files with whatever its parser tripped on: a two-number
        # MediaBox is an IndexError, which read as a bug in tdx ("Please report it").
        raise UnreadablePdfError(f"the PDF is corrupt or truncated ({type(err).__name__}: {err}).",
                                 path=str(path), hint="Re-export or re-download the file.") from err
    return out, skipped, with_images
