"""Render plain-text / Markdown-ish handouts into realistic PDFs, for testing PDF ingestion.

This is a test helper, not a test file. ``render_handout`` lays a handout out the way a word
processor would (running header, "Page N / M" footer, wrapped paragraphs that break across
pages, hyphenated line ends, bold/italic spans, bullets with a hanging indent) and returns a
``RenderInfo`` that records where every word of the INPUT landed, so a test can compare what
a PDF reader recovers with the ground truth.

The layout is done by hand (not with platypus) because the ground truth needs exact control:
which word was hyphenated, which input offset every printed word came from, and on which page.

Geometry (PDF points, 1 cm = 28.35 pt; "L" is the body line pitch, 1.2 x font_size, so
13.2 pt at the default 11 pt):

* margins 2 cm on every side; text width on A4 = 481.9 pt; text is ragged right;
* lines inside a paragraph are L apart (baseline to baseline); consecutive input lines
  without a blank line between them are printed as separate lines, also L apart;
* a blank line in the input (a paragraph break) adds one extra L: baselines 2L apart;
* headings add 1.5 L above (dropped at the top of a page) and 0.5 L below, and are moved
  to the next page rather than left with less than two body lines under them;
* the running header is printed at 1.2 cm below the top edge (baseline), left-aligned, in
  0.75 x font_size, with a thin rule under it; the footer "Page N / M" is centred, baseline
  1.2 cm above the bottom edge, same size. Both are outside the 2 cm body frame.
"""

from __future__ import annotations

import random
import re
import unicodedata
import zlib
from bisect import bisect_right
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import reportlab
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

__all__ = [
    "RenderInfo",
    "PrintedLine",
    "render_handout",
    "make_corrupt_pdf",
    "make_encrypted_pdf",
    "make_image_only_pdf",
    "make_empty_pdf",
    "MARGIN",
    "LEADING",
    "PARAGRAPH_GAP",
    "HEADER_BASELINE",
    "FOOTER_BASELINE",
]

MARGIN = 2 * cm
LEADING = 1.2  # line pitch as a multiple of the font size
PARAGRAPH_GAP = 1.0  # extra space between paragraphs, in body lines (L)
HEADING_GAP_ABOVE = 1.5  # in L
HEADING_GAP_BELOW = 0.5  # in L
TITLE_GAP_BELOW = 2.0  # in L, after the whole title block
HEADER_BASELINE = 1.2 * cm  # from the top edge of the page
FOOTER_BASELINE = 1.2 * cm  # from the bottom edge of the page
BULLET_X = 0.4 * cm  # bullet glyph, from the left margin
ITEM_X = 1.0 * cm  # item text and its continuation lines (the hanging indent)
CODE_SCALE = 0.9  # code is set a little smaller, as editors and slide tools do

HYPHENATE_MIN_LETTERS = 10
HYPHENATE_MIN_SIDE = 4
_EPS = 1e-6

# ---------------------------------------------------------------------------------------------
# Fonts
# ---------------------------------------------------------------------------------------------

# Distribution paths of DejaVu (Debian/Ubuntu, Fedora, Arch). A bare PyPI install has none of
# them, which is why the bundled Vera is always there as the fallback.
_DEJAVU_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
)
_VERA_DIR = Path(reportlab.__file__).parent / "fonts"


@dataclass(frozen=True)
class _FontSet:
    family: str
    regular: str
    bold: str
    italic: str
    bold_italic: str
    mono: str

    def pick(self, bold: bool, italic: bool) -> str:
        return [[self.regular, self.italic], [self.bold, self.bold_italic]][bold][italic]


def _register(name: str, path: Path) -> str:
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


@lru_cache(maxsize=None)
def _fonts(family: str = "auto") -> _FontSet:
    """Register and return the font set: ``"dejavu"``, ``"vera"`` or ``"auto"`` (DejaVu if found)."""
    if family in ("auto", "dejavu"):
        for folder in _DEJAVU_DIRS:
            files = {
                "regular": folder / "DejaVuSans.ttf",
                "bold": folder / "DejaVuSans-Bold.ttf",
                "italic": folder / "DejaVuSans-Oblique.ttf",
                "bold_italic": folder / "DejaVuSans-BoldOblique.ttf",
                "mono": folder / "DejaVuSansMono.ttf",
            }
            if all(p.is_file() for p in files.values()):
                return _FontSet(
                    "DejaVu Sans",
                    **{role: _register(f"Pdfgen-{p.stem}", p) for role, p in files.items()},
                )
        if family == "dejavu":
            raise FileNotFoundError(f"DejaVu Sans not found in any of {[str(d) for d in _DEJAVU_DIRS]}")
    elif family != "vera":
        raise ValueError(f"unknown font family {family!r}: use 'auto', 'dejavu' or 'vera'")
    # reportlab ships no Vera Mono, so code falls back to the built-in Courier (WinAnsi only).
    return _FontSet(
        "Bitstream Vera Sans",
        regular=_register("Pdfgen-Vera", _VERA_DIR / "Vera.ttf"),
        bold=_register("Pdfgen-VeraBd", _VERA_DIR / "VeraBd.ttf"),
        italic=_register("Pdfgen-VeraIt", _VERA_DIR / "VeraIt.ttf"),
        bold_italic=_register("Pdfgen-VeraBI", _VERA_DIR / "VeraBI.ttf"),
        mono="Courier",
    )


@lru_cache(maxsize=None)
def _covers(font_name: str, ch: str) -> bool:
    font = pdfmetrics.getFont(font_name)
    if isinstance(font, TTFont):
        return ord(ch) in font.face.charToGlyph
    try:  # the standard 14 fonts are written with WinAnsiEncoding
        ch.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


# Close ASCII (or Latin-1) stand-ins for what a font may lack. An empty string drops the
# character, which is right for invisible format characters.
_FALLBACK = {
    "➔": "->", "→": "->", "➜": "->", "⟶": "->", "⇒": "=>", "←": "<-", "↔": "<->",
    "«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‹": "<", "›": ">",
    "–": "-", "—": "-", "‑": "-", "−": "-", "…": "...", "•": "*", "·": ".",
    "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "€": "EUR", "×": "x",
    "\u202f": "\u00a0", "\u2007": "\u00a0", "\u2009": " ", "\u00a0": " ",
    "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "", "\u00ad": "",
}


def _printable(ch: str, font: str, substitutions: dict[str, str]) -> str:
    if _covers(font, ch):
        return ch
    stripped = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    for candidate in (_FALLBACK.get(ch), stripped, "?"):
        if candidate is not None and candidate != ch and all(_covers(font, c) for c in candidate):
            substitutions[ch] = candidate
            return candidate
    substitutions[ch] = "?"
    return "?"


@lru_cache(maxsize=65536)
def _width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


# ---------------------------------------------------------------------------------------------
# Public results
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrintedLine:
    """One printed line, as ground truth for a PDF reader.

    ``y`` is the baseline in PDF coordinates (from the bottom edge); ``top`` is the same
    baseline measured from the top edge, which is how pdfplumber measures. ``start``/``end``
    are the input offsets of the first and last printed word (``end`` exclusive); a line with
    no word (an empty code line) has ``start == end``.
    """

    page: int
    x: float
    y: float
    top: float
    size: float
    kind: str  # "title", "heading", "body", "bullet" or "code"
    text: str
    start: int
    end: int
    block: int


class _Fragment(NamedTuple):
    start: int
    end: int
    page: int


@dataclass
class RenderInfo:
    path: Path
    pages: int
    font: str
    hyphenated: list[tuple[str, int]] = field(default_factory=list)
    substitutions: dict[str, str] = field(default_factory=dict)
    lines: list[PrintedLine] = field(default_factory=list, repr=False)
    text: str = field(default="", repr=False)
    _fragments: list[_Fragment] = field(default_factory=list, repr=False)

    @property
    def substituted(self) -> bool:
        return bool(self.substitutions)

    def pages_of(self, start: int, end: int) -> tuple[int, int]:
        """Pages on which the first and last printed characters of ``text[start:end]`` landed."""
        starts = [f.start for f in self._fragments]
        i = max(bisect_right(starts, start) - 1, 0)
        hits = []
        for frag in self._fragments[i:]:
            if frag.start >= end:
                break
            if frag.end > start:
                hits.append(frag.page)
        if not hits:
            raise ValueError(f"nothing was printed from input offsets {start}..{end}")
        return hits[0], hits[-1]

    def page_of_text(self, needle: str, occurrence: int = 0) -> tuple[int, int]:
        """``pages_of`` for the ``occurrence``-th appearance of ``needle`` in the input."""
        pos = -1
        for _ in range(occurrence + 1):
            pos = self.text.find(needle, pos + 1)
            if pos < 0:
                raise ValueError(f"{needle!r} does not occur {occurrence + 1} time(s) in the input")
        return self.pages_of(pos, pos + len(needle))

    def blocks_across_pages(self) -> list[tuple[int, int, int, int]]:
        """Input blocks (paragraphs, lists, code) whose lines are on more than one page.

        Returns ``(start, end, first_page, last_page)`` with input offsets of the printed words.
        """
        spans: dict[int, list[PrintedLine]] = {}
        for line in self.lines:
            spans.setdefault(line.block, []).append(line)
        out = []
        for lines in spans.values():
            words = [ln for ln in lines if ln.end > ln.start]
            if words and lines[0].page != lines[-1].page:
                out.append((words[0].start, words[-1].end, lines[0].page, lines[-1].page))
        return out


# ---------------------------------------------------------------------------------------------
# Parsing the input into blocks
# ---------------------------------------------------------------------------------------------

_BULLETS = ("- ", "➔ ")
_NO_BREAK = {"\u00a0", "\u202f", "\u2007", "\u2060", "\ufeff"}


@dataclass
class _Block:
    kind: str  # "title", "heading", "body" or "code"
    lines: list[tuple[int, str]]  # (input offset, line without its terminator)
    size: float = 1.0  # as a multiple of the body size (headings, titles)


def _source_lines(text: str):
    offset = 0
    for raw in text.splitlines(keepends=True):
        yield offset, raw.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        offset += len(raw)


def _is_heading(line: str) -> bool:
    s = line.strip()
    return len(s) < 120 and not s.endswith(".") and not s.startswith((*_BULLETS, "«"))


def _heading_scale(line: str) -> float:
    s = line.strip()
    return 1.5 if s.startswith("Partie ") else 1.4 if s.startswith("Chapitre ") else 1.3


def _parse(text: str, title_lines: int | None) -> list[_Block]:
    blocks: list[_Block] = []
    current: list[tuple[int, str]] = []
    code: list[tuple[int, str]] | None = None

    def flush():
        if current:
            blocks.append(_Block("body", current.copy()))
            current.clear()

    for offset, line in _source_lines(text):
        fence = line.strip().startswith("```")
        if code is not None:  # inside a fence, blank lines and markup are content
            if fence:
                blocks.append(_Block("code", code))
                code = None
            else:
                code.append((offset, line))
        elif fence:
            flush()
            code = []
        elif line.strip():
            current.append((offset, line))
        else:
            flush()
    flush()
    if code is not None:  # an unterminated fence runs to the end, as in Markdown
        blocks.append(_Block("code", code))

    # The first ``title_lines`` non-blank lines become a centred title block; a source block
    # that straddles the limit is cut in two.
    remaining = title_lines or 0
    out: list[_Block] = []
    for block in blocks:
        if remaining and block.kind == "body":
            head, tail = block.lines[:remaining], block.lines[remaining:]
            remaining -= len(head)
            out.append(_Block("title", head))
            if tail:
                out.append(_Block("body", tail))
            continue
        remaining = 0 if block.kind == "code" else remaining  # nothing after code is a title
        out.append(block)
    for block in out:
        if block.kind == "body" and len(block.lines) == 1 and _is_heading(block.lines[0][1]):
            block.kind, block.size = "heading", _heading_scale(block.lines[0][1])
    return out


# ---------------------------------------------------------------------------------------------
# Words and glyphs
# ---------------------------------------------------------------------------------------------


class _Char(NamedTuple):
    ch: str
    bold: bool
    italic: bool
    offset: int


class _Glyph(NamedTuple):
    text: str  # what is printed (a substitution may print several characters)
    font: str
    offset: int | None  # input offset; None for what the layout adds (spaces, hyphens, bullets)


def _tokenize(line: str, offset: int, state: tuple[bool, bool]):
    """Split a line into words of styled characters, consuming the ``*`` emphasis markers.

    Emphasis may run across lines of one block, hence the state in and out. A run of ``*``
    with whitespace on both sides (or longer than ``***``) is a literal asterisk, as in Markdown.
    """
    bold, italic = state
    words: list[list[_Char]] = []
    word: list[_Char] = []
    i = 0
    while i < len(line):
        ch = line[i]
        if ch == "*":
            j = i
            while j < len(line) and line[j] == "*":
                j += 1
            before = line[i - 1] if i else " "
            after = line[j] if j < len(line) else " "
            if j - i > 3 or (before.isspace() and after.isspace()):
                word.extend(_Char("*", bold, italic, offset + k) for k in range(i, j))
            else:
                italic ^= (j - i) in (1, 3)
                bold ^= (j - i) in (2, 3)
            i = j
            continue
        if ch.isspace() and ch not in _NO_BREAK:
            if word:
                words.append(word)
                word = []
        else:
            word.append(_Char(ch, bold, italic, offset + i))
        i += 1
    if word:
        words.append(word)
    return words, (bold, italic)


def _width_of(glyphs, size: float) -> float:
    return sum(_width(g.text, g.font, size) for g in glyphs)


# ---------------------------------------------------------------------------------------------
# Layout
# ---------------------------------------------------------------------------------------------


@dataclass
class _Line:
    x: float  # from the left margin
    glyphs: list[_Glyph]
    size: float
    leading: float
    kind: str
    block: int
    marker: _Glyph | None = None  # the bullet, drawn at BULLET_X
    hyphenated: str | None = None  # the word split at the end of this line
    source: int = 0  # input offset of the source line, for lines that print no word
    page: int = 0
    y: float = 0.0


class _Layout:
    def __init__(self, fonts: _FontSet, width: float, font_size: float, hyphenate: bool):
        self.fonts = fonts
        self.width = width
        self.size = font_size
        self.hyphenate = hyphenate
        self.substitutions: dict[str, str] = {}

    def printable(self, text: str, font: str) -> str:
        return "".join(_printable(c, font, self.substitutions) for c in text)

    def shape(self, word: list[_Char], bold: bool) -> list[_Glyph]:
        out = []
        for c in word:
            font = self.fonts.pick(bold or c.bold, c.italic)
            out.append(_Glyph(_printable(c.ch, font, self.substitutions), font, c.offset))
        return out

    def block_lines(self, block: _Block, index: int) -> list[_Line]:
        if block.kind == "code":
            return [ln for offset, line in block.lines for ln in self.code_line(line, offset, index)]
        lines: list[_Line] = []
        state = (False, False)
        for n, (offset, line) in enumerate(block.lines):
            stripped = line.lstrip()
            offset += len(line) - len(stripped)
            kind, scale, bold = "body", 1.0, False
            if block.kind == "heading":
                kind, scale, bold = "heading", block.size, True
            elif block.kind == "title":
                kind, scale, bold = "title", 1.6 if not n and index == 0 else 1.2, not n and index == 0
            marker = None
            if kind == "body" and stripped.startswith(_BULLETS):
                kind, marker = "bullet", stripped[:2]
                stripped, offset = stripped[2:], offset + 2
            words, state = _tokenize(stripped, offset, state)
            size = self.size * scale
            glyphs = [self.shape(w, bold) for w in words]
            if marker:
                bullet = self.printable("•", self.fonts.regular)
                first_x = rest_x = ITEM_X
            else:
                first_x = rest_x = 0.0
            wrapped = self.wrap(glyphs, first_x, rest_x, size, kind, index)
            if marker and wrapped:
                wrapped[0].marker = _Glyph(bullet, self.fonts.regular, None)
            for ln in wrapped:
                ln.source = offset
                if kind == "title":  # centred, line by line
                    ln.x = (self.width - _width_of(ln.glyphs, size)) / 2
            lines.extend(wrapped)
        return lines

    def code_line(self, line: str, offset: int, index: int) -> list[_Line]:
        size = self.size * CODE_SCALE
        font = self.fonts.mono
        glyphs = []
        for i, ch in enumerate(line.rstrip()):
            if ch == "\t":
                glyphs.extend([_Glyph(" ", font, None)] * 4)
            elif ch.isspace():
                glyphs.append(_Glyph(" ", font, None))
            else:
                glyphs.append(_Glyph(_printable(ch, font, self.substitutions), font, offset + i))
        lines = []
        while True:  # code is never re-flowed, only cut where it overflows the frame
            head = self.cut(glyphs, self.width, size) if glyphs else []
            lines.append(_Line(0.0, head, size, size * LEADING, "code", index, source=offset))
            glyphs = glyphs[len(head):]
            if not glyphs:
                return lines

    def wrap(self, words, first_x, rest_x, size, kind, block) -> list[_Line]:
        """Greedy line filling, hyphenating long words that do not fit at the end of a line."""
        leading = size * LEADING
        lines: list[_Line] = []
        queue = deque(words)
        line = _Line(first_x, [], size, leading, kind, block)
        used = 0.0
        while queue:
            word = queue.popleft()
            room = self.width - line.x - used
            space = _Glyph(" ", line.glyphs[-1].font, None) if line.glyphs else None
            gap = _width(" ", space.font, size) if space else 0.0
            width = _width_of(word, size)
            if gap + width <= room + _EPS:
                line.glyphs.extend([space, *word] if space else word)
                used += gap + width
                continue
            split = self.split(word, room - gap, size) if self.hyphenate and kind != "code" else None
            if split:
                head, tail = split
                hyphen = _Glyph("-", head[-1].font, None)
                line.glyphs.extend([space, *head, hyphen] if space else [*head, hyphen])
                line.hyphenated = re.sub(r"^\W+|\W+$", "", "".join(g.text for g in word))
                queue.appendleft(tail)
            elif not line.glyphs:
                # Wider than a whole line (URLs, mostly): cut it anywhere, without a hyphen,
                # as word processors do.
                head = self.cut(word, room, size)
                line.glyphs.extend(head)
                queue.appendleft(word[len(head):])
            else:
                queue.appendleft(word)
            lines.append(line)
            line = _Line(rest_x, [], size, leading, kind, block)
            used = 0.0
        if line.glyphs or not lines:
            lines.append(line)
        return lines

    @staticmethod
    def split(word: list[_Glyph], room: float, size: float):
        """The longest head (with its hyphen) that fits in ``room``, or None.

        Splits only inside a run of 10+ letters, with 4+ letters of that run on each side, and
        only where French syllabification would allow it, so "travail-leurs", never "travai-lleurs".
        """
        if any(c in g.text for g in word for c in "/@_=<>"):  # URLs, e-mails, identifiers
            return None
        chars = [g.text.lower() if len(g.text) == 1 and g.text.isalpha() else "" for g in word]
        best, width = None, 0.0
        for k in range(1, len(word)):
            width += _width(word[k - 1].text, word[k - 1].font, size)
            if width > room:
                break
            if width + _width("-", word[k - 1].font, size) <= room + _EPS and _can_split(chars, k):
                best = k
        return (word[:best], word[best:]) if best else None

    @staticmethod
    def cut(glyphs: list[_Glyph], room: float, size: float) -> list[_Glyph]:
        """As many glyphs as fit in ``room``, preferably ending after a "-" or "/" (URLs)."""
        width, k = 0.0, 0
        while k < len(glyphs):
            width += _width(glyphs[k].text, glyphs[k].font, size)
            if width > room + _EPS:
                break
            k += 1
        if k == len(glyphs):
            return glyphs
        soft = [i + 1 for i in range(1, k - 1) if glyphs[i].text in "-/"]
        return glyphs[: soft[-1] if soft else max(k, 1)]  # at least one glyph, or it would loop


_VOWELS = set("aeiouyàâäéèêëîïôöùûüÿœæ")
# Consonant pairs that start a French syllable and so are never split ("ta-ble", "ma-chine").
_ONSETS = {"bl", "br", "ch", "cl", "cr", "dr", "fl", "fr", "gl", "gn", "gr", "ph", "pl", "pr", "qu", "th", "tr", "vr"}


def _can_split(chars: list[str], k: int) -> bool:
    """May a hyphen go between ``chars[k-1]`` and ``chars[k]``? ("" marks a non-letter.)"""
    lo = k
    while lo > 0 and chars[lo - 1]:
        lo -= 1
    hi = k
    while hi < len(chars) and chars[hi]:
        hi += 1
    if hi - lo < HYPHENATE_MIN_LETTERS or k - lo < HYPHENATE_MIN_SIDE or hi - k < HYPHENATE_MIN_SIDE:
        return False
    prev, cur, nxt = chars[k - 1], chars[k], chars[k + 1]  # hi - k >= 4, so k + 1 is a letter
    if cur in _VOWELS:
        return False  # never before a vowel
    if nxt in _VOWELS:  # V-CV, or C-CV unless the two consonants form an onset
        return prev in _VOWELS or prev + cur not in _ONSETS
    # before an onset followed by a vowel: V-CCV ("ma-chine"), C-CCV ("ins-truction")
    return cur + nxt in _ONSETS and k + 2 < hi and chars[k + 2] in _VOWELS


def _gap(prev: str | None, kind: str) -> float:
    """Extra space above a block, in body lines, given the kind of the block before it."""
    if prev is None:
        return 0.0
    if kind == "title":
        return 0.5 if prev == "title" else PARAGRAPH_GAP
    if kind == "heading":
        return HEADING_GAP_ABOVE
    if prev == "heading":
        return HEADING_GAP_BELOW
    if prev == "title":
        return TITLE_GAP_BELOW
    return PARAGRAPH_GAP


def _paginate(laid: list[tuple[_Block, list[_Line]]], top: float, bottom: float, body_leading: float):
    """Give every line a page and a baseline; a new page starts when the next one would not fit."""
    page, y, at_top, prev = 1, top, True, None
    for block, lines in laid:
        gap = 0.0 if at_top else _gap(prev, block.kind) * body_leading
        if block.kind == "heading" and not at_top:
            # Keep a heading with at least two lines of what follows it.
            need = gap + sum(ln.leading for ln in lines) + (HEADING_GAP_BELOW + 2) * body_leading
            if y - need < bottom:
                page, y, at_top, gap = page + 1, top, True, 0.0
        y -= gap
        for line in lines:
            if y - line.leading < bottom - _EPS and not at_top:
                page, y = page + 1, top
            y -= line.leading
            line.page, line.y, at_top = page, y, False
        prev = block.kind
    return page


# ---------------------------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------------------------


def _runs(glyphs: list[_Glyph]):
    """Consecutive glyphs in the same font, as (font, text)."""
    run_font, run = None, []
    for g in glyphs:
        if g.font != run_font and run:
            yield run_font, "".join(run)
            run = []
        run_font = g.font
        run.append(g.text)
    if run:
        yield run_font, "".join(run)


def _draw_line(c: Canvas, line: _Line) -> None:
    if line.marker:
        c.setFont(line.marker.font, line.size)
        c.drawString(MARGIN + BULLET_X, line.y, line.marker.text)
    if not line.glyphs:
        return
    # One text object per line, with real space glyphs, so the PDF carries the spaces
    # instead of leaving readers to guess them from the gaps.
    t = c.beginText(MARGIN + line.x, line.y)
    for font, text in _runs(line.glyphs):
        t.setFont(font, line.size)
        t.textOut(text)
    c.drawText(t)


def render_handout(
    text: str,
    path: Path,
    *,
    header: str | None = "Sociologie du numérique — TD",
    footer: bool = True,
    hyphenate: bool = True,
    font_size: float = 11,
    page_size=A4,
    title_lines: int | None = None,
    font: str = "auto",
    encrypt: StandardEncryption | None = None,
) -> RenderInfo:
    """Render ``text`` into a PDF at ``path`` and return where everything landed.

    ``title_lines``: the first N non-blank input lines are set as a centred title (the first
    one bold at 1.6 x, the others 1.2 x), followed by two blank lines' worth of space.
    ``font``: "auto" (DejaVu Sans if installed, else reportlab's bundled Vera), "dejavu" or
    "vera". Characters the font cannot print are replaced and listed in ``substitutions``.
    """
    path = Path(path)
    fonts = _fonts(font)
    page_w, page_h = page_size
    layout = _Layout(fonts, page_w - 2 * MARGIN, font_size, hyphenate)
    laid = [(block, layout.block_lines(block, i)) for i, block in enumerate(_parse(text, title_lines))]
    pages = max(_paginate(laid, page_h - MARGIN, MARGIN, font_size * LEADING), 1)

    small = font_size * 0.75
    header_text = layout.printable(header, fonts.regular) if header else None
    c = Canvas(str(path), pagesize=page_size, invariant=True, encrypt=encrypt)
    c.setTitle(header or "Handout")
    lines = [ln for _, block_lines in laid for ln in block_lines]
    info = RenderInfo(path=path, pages=pages, font=fonts.family, substitutions=layout.substitutions, text=text)
    by_page: dict[int, list[_Line]] = {}
    for ln in lines:
        by_page.setdefault(ln.page, []).append(ln)
    for n in range(1, pages + 1):
        if header_text:
            c.setFillGray(0.35)
            c.setFont(fonts.regular, small)
            c.drawString(MARGIN, page_h - HEADER_BASELINE, header_text)
            c.setStrokeGray(0.6)
            c.setLineWidth(0.5)
            rule_y = page_h - HEADER_BASELINE - 0.25 * cm
            c.line(MARGIN, rule_y, page_w - MARGIN, rule_y)
        if footer:
            c.setFillGray(0.35)
            c.setFont(fonts.regular, small)
            c.drawCentredString(page_w / 2, FOOTER_BASELINE, f"Page {n} / {pages}")
        c.setFillGray(0)
        for ln in by_page.get(n, []):
            _draw_line(c, ln)
        c.showPage()
    c.save()

    for ln in lines:
        frags = _fragments(ln)
        info._fragments.extend(frags)
        start, end = (frags[0].start, frags[-1].end) if frags else (ln.source, ln.source)
        text_out = "".join(g.text for g in ln.glyphs)
        if ln.marker:
            text_out = f"{ln.marker.text} {text_out}"
        info.lines.append(
            PrintedLine(ln.page, MARGIN + ln.x, ln.y, page_h - ln.y, ln.size, ln.kind, text_out, start, end, ln.block)
        )
        if ln.hyphenated:
            info.hyphenated.append((ln.hyphenated, ln.page))
    return info


def _fragments(line: _Line) -> list[_Fragment]:
    """Maximal runs of glyphs that come from the input (words, or halves of split words)."""
    out, offsets = [], []
    for g in [*line.glyphs, _Glyph("", "", None)]:
        if g.offset is not None:
            offsets.append(g.offset)
        elif offsets:
            out.append(_Fragment(min(offsets), max(offsets) + 1, line.page))
            offsets = []
    return out


# ---------------------------------------------------------------------------------------------
# Broken and unusual PDFs
# ---------------------------------------------------------------------------------------------


def make_corrupt_pdf(path: Path) -> None:
    """A file that starts like a PDF and then turns into garbage, with no xref and no trailer
    (what an interrupted download looks like)."""
    head = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pag"
    garbage = random.Random(1729).randbytes(4096)  # seeded: the same bytes on every run
    Path(path).write_bytes(head + garbage.replace(b"obj", b"xxx"))


def make_encrypted_pdf(
    path: Path, text: str, *, user_password: str = "secret", owner_password: str = "owner", **render_options
) -> RenderInfo:
    """``text`` rendered like a handout, but RC4-128 encrypted: it needs ``user_password`` to open."""
    encryption = StandardEncryption(user_password, owner_password, strength=128)
    return render_handout(text, path, encrypt=encryption, **render_options)


def make_image_only_pdf(path: Path, *, page_size=A4) -> None:
    """One page holding only a raster image (a fake scan) and no text layer at all.

    The image is a grey-level bitmap written as a PDF inline image (Flate, then ASCII-hex, so
    it can go into the content stream as text): no PIL needed.
    """
    w, h = 200, 283
    rng = random.Random(42)
    rows = []
    for y in range(h):
        # Dark horizontal strokes in bands, like lines of print seen at low resolution.
        band = 20 <= y < h - 20 and (y // 4) % 3 == 0
        row = bytearray()
        for x in range(w):
            ink = band and 15 <= x < w - 15 and rng.random() < 0.6
            row.append(rng.randint(20, 60) if ink else rng.randint(225, 245))
        rows.append(bytes(row))
    data = zlib.compress(b"".join(rows)).hex() + ">"
    page_w, page_h = page_size
    c = Canvas(str(path), pagesize=page_size, invariant=True)
    c.addLiteral(
        f"q {page_w - 2 * MARGIN:.2f} 0 0 {page_h - 2 * MARGIN:.2f} {MARGIN:.2f} {MARGIN:.2f} cm\n"
        f"BI /W {w} /H {h} /CS /G /BPC 8 /F [/AHx /Fl] ID\n{data}\nEI Q"
    )
    c.showPage()
    c.save()


def make_empty_pdf(path: Path) -> None:
    """A well-formed PDF whose page tree is empty (/Count 0)."""
    c = Canvas(str(path), invariant=True)
    c.save()  # reportlab only adds a page if something was drawn


# ---------------------------------------------------------------------------------------------
# Two-column handouts with footnotes
# ---------------------------------------------------------------------------------------------

_CALL = re.compile(r"\^(\w{1,3})")


@dataclass
class ColumnsInfo:
    """Ground truth of ``render_columns``: what a reader should recover, in reading order.

    ``paragraphs`` are the body paragraphs as they read (calls written "[N]"), ``pages`` the first
    and last page each one is printed on, ``columns`` its first and last column (1 or 2; 0 for the
    full-width title block), ``notes`` the footnotes by call, and ``note_pages`` where each is printed.
    """

    path: Path
    page_count: int
    paragraphs: list[str] = field(default_factory=list)
    pages: list[tuple[int, int]] = field(default_factory=list)
    columns: list[tuple[int, int]] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)
    note_pages: dict[str, int] = field(default_factory=dict)
    hyphenated: list[str] = field(default_factory=list)


def _reads(text: str) -> str:
    return " ".join(_CALL.sub(r"[\1]", text).split())


def render_columns(
    paragraphs: list[str],
    path: Path,
    *,
    title: list[str] = (),
    notes: dict[str, str] | None = None,
    header: str | None = "Histoire économique — Dossier",
    font_size: float = 9.5,
    gutter: float = 0.6 * cm,
    justify: bool = False,
    note_style: str = "number",
    note_area_lines: int = 6,
    headings: tuple[str, ...] = (),
    rule: bool = True,
) -> ColumnsInfo:
    """Lay ``paragraphs`` out in two columns, the way a journal-style dossier is set.

    ``title`` lines are set across the page on page 1 (bold, centred) above the columns. Paragraphs
    listed in ``headings`` are set in bold at 1.25 x and wrap inside their column. A call is written
    "^N" in the input ("Facebook^2,"): it is printed as a raised, smaller "N", and the note
    ``notes["N"]`` is printed under a short rule at the foot of the page where the call lands
    (``note_style`` "number": "2. …", "superscript": a raised "2" before the note). Each page keeps
    ``note_area_lines`` small lines for notes, under a short rule unless ``rule`` is False. Lines are ragged right, or justified with
    ``justify`` (word spacing stretched, as LaTeX and Word do). Running header, and "– N –" footer.
    """
    path = Path(path)
    fonts = _fonts()
    notes = dict(notes or {})
    page_w, page_h = A4
    text_w = page_w - 2 * MARGIN
    col_w = (text_w - gutter) / 2
    lead = font_size * LEADING
    small = font_size * 0.8
    note_lead = small * LEADING
    bottom = MARGIN + note_area_lines * note_lead + 0.5 * cm  # the columns end above the note area
    layout = _Layout(fonts, col_w, font_size, True)
    info = ColumnsInfo(path=path, page_count=0, notes={k: " ".join(v.split()) for k, v in notes.items()})

    def width(word: str, font: str, size: float) -> float:
        return _width(_CALL.sub(r"\1", word), font, size)

    def wrap(text: str, font: str, size: float, room: float) -> list[list[str]]:
        lines: list[list[str]] = [[]]
        used = 0.0
        queue = deque(text.split())
        while queue:
            word = queue.popleft()
            gap = _width(" ", font, size) if lines[-1] else 0.0
            w = width(word, font, size)
            if used + gap + w <= room + _EPS:
                lines[-1].append(word)
                used += gap + w
                continue
            chars = [c.lower() if c.isalpha() else "" for c in word]
            split = None
            if "^" not in word:
                for k in range(len(word) - 1, 0, -1):
                    if _can_split(chars, k) and used + gap + _width(word[:k] + "-", font, size) <= room:
                        split = k
                        break
            if split:
                lines[-1].append(word[:split] + "-")
                info.hyphenated.append(re.sub(r"^\W+|\W+$", "", word))
                queue.appendleft(word[split:])
            elif not lines[-1]:
                lines[-1].append(word)  # wider than the column: let it overflow
            else:
                queue.appendleft(word)
            lines.append([])
            used = 0.0
        return [ln for ln in lines if ln]

    # Pages as lists of drawing operations, filled column by column.
    pages: list[dict] = []

    def new_page() -> dict:
        pages.append({"lines": [], "notes": []})
        return pages[-1]

    page = new_page()
    y = page_h - MARGIN
    for line in title:
        y -= font_size * 1.2 * LEADING
        page["lines"].append(("title", line.split(), (page_w - _width(line, fonts.bold, font_size * 1.2)) / 2, y,
                              fonts.bold, font_size * 1.2, False))
    top = y - (2 * lead if title else 0)
    column, y = 1, top
    for index, paragraph in enumerate(paragraphs):
        heading = paragraph in headings
        font, size = (fonts.bold, font_size * 1.25) if heading else (fonts.regular, font_size)
        leading = size * LEADING
        lines = wrap(paragraph, font, size, col_w)
        y -= lead * (1.5 if heading else 1.0) if y < top else 0
        first = None
        for k, words in enumerate(lines):
            if y - leading < bottom:
                if column == 1:
                    column, y = 2, top
                else:
                    page, column = new_page(), 1
                    top = y = page_h - MARGIN
            y -= leading
            x = MARGIN + (0 if column == 1 else col_w + gutter)
            stretch = justify and not heading and k < len(lines) - 1
            page["lines"].append(("body", words, x, y, font, size, stretch))
            first = first or (len(pages), column)
            for word in words:
                for call in _CALL.findall(word):
                    if call in notes and call not in info.note_pages:
                        info.note_pages[call] = len(pages)
                        page["notes"].append(call)
        info.paragraphs.append(_reads(paragraph))
        info.pages.append((first[0], len(pages)))
        info.columns.append((first[1], column))
    info.page_count = len(pages)

    c = Canvas(str(path), pagesize=A4, invariant=True)
    for n, page in enumerate(pages, 1):
        if header:
            c.setFont(fonts.regular, small)
            c.drawString(MARGIN, page_h - HEADER_BASELINE, header)
            c.setLineWidth(0.5)
            c.line(MARGIN, page_h - HEADER_BASELINE - 0.25 * cm, page_w - MARGIN, page_h - HEADER_BASELINE - 0.25 * cm)
        c.setFont(fonts.regular, small)
        c.drawCentredString(page_w / 2, FOOTER_BASELINE, f"– {n} –")
        for kind, words, x, y, font, size, stretch in page["lines"]:
            space = _width(" ", font, size)
            if stretch:
                natural = sum(width(w, font, size) for w in words) + space * (len(words) - 1)
                space += (col_w - natural) / max(len(words) - 1, 1)
            _draw_words(c, words, x, y, font, size, space)
        if page["notes"]:
            ny = bottom - 0.4 * cm
            if rule:
                c.setLineWidth(0.4)
                c.line(MARGIN, ny + small, MARGIN + text_w / 3, ny + small)
            for call in page["notes"]:
                lead_in = f"^{call}" if note_style == "superscript" else f"{call}."
                for k, words in enumerate(wrap(f"{lead_in} {notes[call]}", fonts.regular, small, text_w)):
                    ny -= note_lead
                    if ny < MARGIN:
                        raise ValueError(f"the notes of page {n} do not fit: raise note_area_lines")
                    _draw_words(c, words, MARGIN, ny, fonts.regular, small, _width(" ", fonts.regular, small))
        c.showPage()
    c.save()
    return info


def _draw_words(c: Canvas, words: list[str], x: float, y: float, font: str, size: float, space: float) -> None:
    """Draw words one by one (so a justified line has real gaps), calls raised and smaller."""
    for word in words:
        for k, part in enumerate(re.split(r"\^(\w{1,3})", word)):
            if not part:
                continue
            raised = k % 2 == 1
            s = size * 0.65 if raised else size
            c.setFont(font, s)
            c.drawString(x, y + (0.38 * size if raised else 0), part)
            x += _width(part, font, s)
        x += space
