"""The words of a PDF page as printed: text, page, box, type size, weight, pitch.

pdfplumber (pdfminer) reads them; the fonts it cannot decode (Type 3 and custom encodings from
LaTeX) are read again with PDFium. Ligatures and the slots of TeX's T1 font encoding are mapped to
the letters they stand for here, so that every later step sees plain text.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from pathlib import Path

@dataclass(slots=True)
class Word:
    text: str
    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool
    mono: bool = False
    # Where the word is printed on the page as displayed, when it is set at an angle: the box
    # above is then in the frame that turns it upright (turned.py). None: the same box.
    printed: tuple[float, float, float, float] | None = None


# pdfminer cannot map the glyphs of some embedded fonts (Type 3 and custom encodings from LaTeX):
# it prints "(cid:224)" or a wrong Latin-1 letter ("publiØ" for "publié"). PDFium decodes them.
_CID = re.compile(r"\(cid:\d+\)")
_MISDECODED = set("ØŁłøÆæ¸¯")


# Ligatures: Unicode's presentation forms, and the slots of TeX's T1 font encoding (the one French
# LaTeX documents load with fontenc) that PDFium passes on as control characters: "véri\x1cer" is
# "vérifier", "Figure 1 \x15 …" is babel-french's "Figure 1 – …", \x13 \x14 are « ».
LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                           "\ufb05": "st", "\ufb06": "st", "\x1b": "ff", "\x1c": "fi", "\x1d": "fl",
                           "\x1e": "ffi", "\x1f": "ffl", "\x10": "“", "\x11": "”", "\x12": "„", "\x13": "«",
                           "\x14": "»", "\x15": "–", "\x16": "—"})


def damaged(words: list[Word]) -> bool:
    text = "".join(w.text for w in words)
    return bool(_CID.search(text)) or sum(ch in _MISDECODED for ch in text) > 3


class PdfiumPages:
    """Words of a page read with PDFium (pypdfium2, a pdfplumber dependency), for the pages whose
    text pdfminer decodes wrongly. Same boxes (top-left origin), sizes and weights."""

    def __init__(self, path: Path):
        self.path = path
        self.pdf = None

    def words(self, page_number: int) -> list[Word] | None:
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
        words: list[Word] = []
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
                words.append(Word(text, page_number, x0, top, x1, bottom, size, bold))
                current.clear()

        for i in range(textpage.count_chars()):
            ch = textpage.get_text_range(i, 1).translate(LIGATURES)  # before isspace(): "\x1c" is one
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


def is_mono(fontname: str) -> bool:
    name = fontname.split("+")[-1].lower()
    return any(mark in name for mark in ("mono", "courier", "consol", "code", "typewriter", "cmtt"))


def is_bold(fontname: str) -> bool:
    name = fontname.split("+")[-1].lower()
    return any(mark in name for mark in ("bold", "black", "heavy", "semibold", "demi", ",bd", "-bd"))
