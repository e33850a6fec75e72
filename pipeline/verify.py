"""Verifying quotations against the book they cite: is each one there, on the page it gives?

The source (a PDF or a text with form feeds between pages) is read once into ``SourceText``: the
text of every page and the page's printed number. Its words are then indexed once by word
trigrams (``SourceIndex``), and each quotation is found in two steps, as passim finds reused
passages: the trigrams a quotation shares with the book point at a few candidate places, and only
there is it aligned word by word. No window is ever slid over the whole book.

A quotation is split into pieces where the handout cut it (``[...]``) or put in its own words
(``[les plateformes]``); each piece is aligned on its own, and the pieces must follow each other,
close together, in the book. (rapidfuzz's ``partial_ratio`` slides a window of the shorter string's
length, so it cannot align a quotation whose source span is longer than itself, which is what a cut
makes: rapidfuzz issue #323.) Words are compared case- and accent-folded, without punctuation, so
typographic quotes and apostrophes, line breaks and hyphenation in the source change nothing.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from rapidfuzz.distance import Indel

from pipeline.errors import SourceError
from pipeline.files import cache_dir, write_atomic
from pipeline.models import Handout, Quote, Severity, Span, Verdict, WordChange
from pipeline.text import fold

if TYPE_CHECKING:
    from pipeline.checks import Cited

Numbering = Literal["printed", "pdf_labels", "index", "none"]

# Bump when what is cached changes shape, so stale cache files are ignored.
_CACHE_VERSION = 1
SOURCE_SUFFIXES = (".pdf", ".txt")


# -- the source: pages and their printed numbers -------------------------------------------------

@dataclass(frozen=True, slots=True)
class SourcePage:
    index: int  # 1-based page of the file
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

    @cached_property
    def _starts(self) -> list[int]:
        return [p.start for p in self.pages]

    def page_at(self, offset: int) -> SourcePage:
        return self.pages[max(0, bisect.bisect_right(self._starts, offset) - 1)]

    @property
    def last_page(self) -> int | None:
        """The highest printed page number: how long the book is."""
        return max((p.number for p in self.pages if p.number is not None), default=None)

    @cached_property
    def index(self) -> SourceIndex:
        return SourceIndex(self)


def load_source(path: str | Path, *, page_offset: int = 0, cache: bool = True) -> SourceText:
    """Read a source book (``.pdf``, or ``.txt`` with form feeds between pages).

    Page numbers come from the numbers printed in the pages' headers or footers; failing that, from
    the PDF's page labels; failing that, from the page's index in the file plus ``page_offset``.
    A PDF's extracted text is cached by the file's SHA-256 (see ``cache_dir``).
    """
    path = Path(path)
    if not path.is_file():
        raise SourceError("no such source file." if not path.exists() else "the source is a folder, not a file.",
                          path=str(path), hint="Pass the book as a .pdf or a .txt file with --source.")
    suffix = path.suffix.lower()
    if suffix not in SOURCE_SUFFIXES:
        raise SourceError(f"unsupported source format '{suffix or path.name}'.", path=str(path),
                          hint="Give the book as a .pdf, or as a .txt with form feeds between pages "
                               "(`pdftotext book.pdf` writes one).")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise SourceError(f"the source cannot be read ({err.strerror}).", path=str(path),
                          hint="Check its permissions.") from err
    sha = hashlib.sha256(data).hexdigest()
    if suffix == ".pdf":
        raw_pages, labels = _cached_pdf(path, sha) if cache else _read_pdf(path)
    else:
        raw_pages, labels = _read_txt(path, data), []
    if not any(p.strip() for p in raw_pages):
        raise SourceError("the source has no text" + (" layer: it looks scanned." if suffix == ".pdf" else "."),
                          path=str(path), hint="Run OCR first (for example `ocrmypdf in.pdf out.pdf`)."
                          if suffix == ".pdf" else "Check that the right file was given.")
    return _assemble(str(path), sha, raw_pages, labels, page_offset=page_offset,
                     paged=suffix == ".pdf" or len(raw_pages) > 1)


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


def _read_pdf(path: Path) -> tuple[list[str], list[str]]:
    """Plain text and PDF page label of every page, read with PDFium (pypdfium2, a pdfplumber
    dependency): 0.4 s for a 358-page book where pdfplumber's ``extract_text`` takes 35 s. A
    source needs no word boxes, only its text."""
    import pypdfium2 as pdfium

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
        pages, labels = [], []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            # PDFium marks a hyphen it took for a line-end hyphenation with U+FFFE and joins the
            # word's halves itself ("républi\ufffeque").
            pages.append(_SOFT_HYPHEN.sub("", unicodedata.normalize("NFC", textpage.get_text_range().replace(
                "\ufffe", "").replace("\r\n", "\n").replace("\r", "\n"))))
            textpage.close()
            page.close()
            # The same /PageLabels pdfminer exposes as ``PDFPage.label``; "" when the PDF has none.
            try:
                labels.append(pdf.get_page_label(i) or "")
            except pdfium.PdfiumError:  # a broken label tree: the labels are only a fallback
                labels.append("")
    finally:
        pdf.close()
    return pages, labels if any(labels) else []


def _cached_pdf(path: Path, sha: str) -> tuple[list[str], list[str]]:
    if (folder := cache_dir()) is None:
        return _read_pdf(path)
    target = folder / "sources" / f"{sha}.json"
    try:
        cached = json.loads(target.read_text(encoding="utf-8"))
        if cached.get("version") == _CACHE_VERSION and cached.get("sha256") == sha:
            return cached["pages"], cached["labels"]
    except (OSError, ValueError, KeyError):
        pass
    pages, labels = _read_pdf(path)
    try:
        write_atomic(target, json.dumps({"version": _CACHE_VERSION, "sha256": sha, "pages": pages,
                                         "labels": labels}, ensure_ascii=False))
    except OSError:
        pass  # a read-only or full cache directory only costs speed: the check itself goes on
    return pages, labels


# A page number alone on its line ("12", "- 12 -", "[12]", "Page 12", "12 / 356"), or at either end of a
# running header ("12 DE LA DÉMOCRATIE", "CHAPITRE II. 13").
_ALONE = re.compile(r"^(?:page|p\.)?\s*[-–—\[(]?\s*(?P<n>\d{1,4}|[ivxlcdm]{1,8})\s*[-–—\])]?\.?\s*"
                    r"(?:(?:/|sur|of)\s*\d{1,4})?$", re.I)
_LEADING = re.compile(r"^(?P<n>\d{1,4}|[ivxlcdm]{1,8})\s+\D.{0,80}$", re.I)
_TRAILING = re.compile(r"^\D.{0,80}?\s(?P<n>\d{1,4}|[ivxlcdm]{1,8})\.?$", re.I)
_ROMAN = re.compile(r"^(?=[ivxlcdm])m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$", re.I)
# How many lines at the top and at the bottom of a page may hold its number. PDFium gives a page's
# text in content order, and some books draw their running header after the body: both ends count.
_EDGE_LINES = 2


def roman_value(numeral: str) -> int:
    values = [{"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}[ch] for ch in numeral.lower()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _to_roman(value: int) -> str:
    out = ""
    for n, s in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                 (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while value >= n:
            out, value = out + s, value - n
    return out


@dataclass(frozen=True, slots=True)
class _Candidate:
    line: int  # index into the page's lines
    value: int
    roman: bool


def _edge_candidates(lines: list[str]) -> list[_Candidate]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    edges = filled[:_EDGE_LINES] + [i for i in filled[-_EDGE_LINES:] if i not in filled[:_EDGE_LINES]]
    found = []
    for i in edges:
        line = lines[i].strip()
        for pattern in (_ALONE, _LEADING, _TRAILING):
            m = pattern.match(line)
            if m is None:
                continue
            n = m.group("n")
            if n.isdigit():
                if int(n) > 0:
                    found.append(_Candidate(i, int(n), False))
            elif _ROMAN.match(n) and (n.islower() or pattern is _ALONE):
                # Upper-case numerals beside a title are chapter numbers ("CHAPITRE II."), not pages.
                found.append(_Candidate(i, roman_value(n), True))
            break
    return found


def _printed_numbers(pages: list[list[str]]) -> tuple[list[str | None], list[int | None]]:
    """The printed number of every page and the line it was read from.

    A number is trusted when a page nearby carries the number that follows from it (page i shows
    12, page i+2 shows 14): years, footnote numbers and chapter numerals in the margins never do.
    Pages without a number of their own (chapter openings, blank pages) take it from their trusted
    neighbours when those agree on it.
    """
    candidates = [_edge_candidates(lines) for lines in pages]
    confirmed: list[_Candidate | None] = [None] * len(pages)
    for i, cands in enumerate(candidates):
        for cand in cands:
            for j in range(max(0, i - 4), min(len(pages), i + 5)):
                if j != i and any(o.roman == cand.roman and o.value - cand.value == j - i for o in candidates[j]):
                    confirmed[i] = cand
                    break
            if confirmed[i]:
                break
    labels: list[str | None] = [None] * len(pages)
    lines: list[int | None] = [c.line if c else None for c in confirmed]
    known = [i for i, c in enumerate(confirmed) if c]
    for i in range(len(pages)):
        cand = confirmed[i]
        if cand is None:
            k = bisect.bisect_left(known, i)
            before = known[k - 1] if k else None
            after = known[k] if k < len(known) else None
            anchor = None
            if before is not None and after is not None:
                b, a = confirmed[before], confirmed[after]
                if b.roman == a.roman and a.value - b.value == after - before:
                    anchor = before
            if anchor is None:  # a gap where the numbering jumps, or the book's ends: stay close
                near = [j for j in (before, after) if j is not None and abs(j - i) <= 2]
                anchor = min(near, key=lambda j: abs(j - i)) if near else None
            if anchor is None:
                continue
            value = confirmed[anchor].value + i - anchor
            if value <= 0:
                continue
            cand = _Candidate(-1, value, confirmed[anchor].roman)
        labels[i] = _to_roman(cand.value) if cand.roman else str(cand.value)
    return labels, lines


def _assemble(path: str, sha: str, raw_pages: list[str], pdf_labels: list[str], *, page_offset: int,
              paged: bool) -> SourceText:
    split = [page.split("\n") for page in raw_pages]
    printed, number_lines = _printed_numbers(split) if paged else ([None] * len(split), [None] * len(split))
    numbered = sum(label is not None for label in printed)
    if not paged:
        numbering: Numbering = "none"
        labels = [None]
    elif numbered >= max(2, 0.5 * sum(bool(p.strip()) for p in raw_pages)):
        numbering, labels = "printed", printed
    elif pdf_labels:
        numbering, labels = "pdf_labels", [label or None for label in pdf_labels]
    else:
        numbering = "index"
        labels = [str(i + page_offset) if i + page_offset > 0 else None for i in range(1, len(raw_pages) + 1)]
    running = _running_lines(split)
    parts: list[str] = []
    pages: list[SourcePage] = []
    length = 0
    for i, lines in enumerate(split):
        # The printed number and the running header are no part of the text: a quotation running
        # over the page break must not meet "DE LA DÉMOCRATIE EN AMÉRIQUE. 45" in its middle.
        drop = {number_lines[i]} if numbering == "printed" else set()
        drop |= {k for k in _edge_indexes(lines) if _signature(lines[k]) in running}
        body = "\n".join(line for k, line in enumerate(lines) if k not in drop).strip("\n")
        pages.append(SourcePage(i + 1, labels[i] if i < len(labels) else None, length, length + len(body)))
        parts.append(body + "\n")
        length += len(body) + 1
    return SourceText(path, sha, "".join(parts), pages, numbering, page_offset)


def _edge_indexes(lines: list[str]) -> list[int]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:_EDGE_LINES] + filled[-_EDGE_LINES:]))


def _signature(line: str) -> str:
    return re.sub(r"\b(?:\d+|[ivxlcdm]+)\b", "#", line.strip().lower())


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Signatures of running headers: short edge lines repeated (numbers aside) on many pages."""
    counts = Counter()
    for lines in pages:
        counts.update({_signature(lines[k]) for k in _edge_indexes(lines) if len(lines[k].strip()) <= 80})
    need = max(3, len(pages) // 5)
    return {sig for sig, n in counts.items() if n >= need and sig.strip("# ")}


# -- words ------------------------------------------------------------------------------------------

# Letters and digits are separate words: a footnote call glued to a word ("amende94") is two.
# Superscript digits are footnote calls too ("amende¹"): no part of any word.
_WORD = re.compile(r"[^\W\d_\u00b2\u00b3\u00b9\u2070-\u2079]+|\d+")
_HYPHENS = "-\u00ad\u2010\u2011"
# A hyphen at a line end cuts a word in two ("tâche-\nronnisation").
_LINE_HYPHEN = re.compile(r"[-\u00ad\u2010\u2011][ \t]*\n[ \t]*")


@dataclass
class Words:
    """The words of a text: folded form and character range of each."""

    norms: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.norms)


def words(text: str, start: int = 0, end: int | None = None, *, base: int = 0) -> Words:
    """The words of ``text[start:end]``, offsets shifted by ``base``.

    Footnote calls (digits glued to the word before them: "amende[94]", "amende94", "amende¹")
    are left out; a word hyphenated at a line end is one word.
    """
    out = Words()
    norms, starts, ends = out.norms, out.starts, out.ends
    for m in _WORD.finditer(text, start, len(text) if end is None else end):
        token = m.group()
        a, b = m.span()
        if norms:
            prev_end = ends[-1] - base
            if token.isdigit():
                if text[prev_end:a] in ("", "[", "("):
                    continue
            elif text[prev_end] in _HYPHENS and token[0].islower() and _LINE_HYPHEN.fullmatch(text, prev_end, a):
                norms[-1] += fold(token)
                ends[-1] = b + base
                continue
        norms.append(fold(token))
        starts.append(a + base)
        ends.append(b + base)
    return out


# -- the index ----------------------------------------------------------------------------------------

_N = 3  # words per indexed n-gram
# An n-gram found more often than this says nothing about where a quotation is ("de la France").
_MAX_POSTINGS = 40


class SourceIndex:
    """The source's words and where each word trigram occurs, built once per source."""

    def __init__(self, source: SourceText):
        self.source = source
        self.words = words(source.text)
        postings: dict[tuple[str, ...], list[int]] = defaultdict(list)
        norms = self.words.norms
        for i in range(len(norms) - _N + 1):
            postings[tuple(norms[i:i + _N])].append(i)
        self.postings = {k: v for k, v in postings.items() if len(v) <= _MAX_POSTINGS}
        # First word index of every page, to tell the page a word is on.
        self.page_first_word = [bisect.bisect_left(self.words.starts, p.start) for p in source.pages]

    def page_of_word(self, i: int) -> SourcePage:
        return self.source.pages[max(0, bisect.bisect_right(self.page_first_word, i) - 1)]

    def hits(self, norms: list[str]) -> list[tuple[int, int]]:
        """``(source word, quote word)`` pairs where an n-gram of ``norms`` occurs in the source."""
        out = []
        for q in range(len(norms) - _N + 1):
            for s in self.postings.get(tuple(norms[q:q + _N]), ()):
                out.append((s, q))
        return out


# -- quotations: pieces, alignment -------------------------------------------------------------------

# What a handout puts into a quotation that is not the author's: cuts and its own words in brackets.
_CUT = re.compile(r"\[\s*(?:\.{3}|…)\s*\]|\(\s*(?:\.{3}|…)\s*\)|\.{3}|…")
_BRACKETS = re.compile(r"\[[^\[\]\n]{0,80}\]")
# Tokens of the source between two pieces: a cut may leave out a page or so, words in brackets
# stand for a few words at most ("[les plateformes]" for "elles").
_MAX_CUT = 1200
_MAX_INSERT = 8
# Fewer words than this cannot be placed in a book with confidence.
MIN_WORDS = 5
# Below this share of its words found in one place, a quotation is not in the book.
_FOUND_MIN = 0.55


@dataclass
class _Piece:
    words: Words
    gap_before: int  # how many source words may lie between the previous piece and this one


def pieces(text: str, base: int) -> list[_Piece]:
    """The quotation ``text`` (starting at offset ``base`` of the handout) cut where the handout cut it."""
    marks = sorted([(m.start(), m.end(), _MAX_CUT) for m in _CUT.finditer(text)]
                   + [(m.start(), m.end(), _MAX_INSERT) for m in _BRACKETS.finditer(text)
                      if not _CUT.fullmatch(m.group())])
    out: list[_Piece] = []
    at, gap = 0, 0
    for start, end, allowance in marks:
        if start < at:
            continue
        piece = words(text, at, start, base=base)
        if len(piece):
            out.append(_Piece(piece, gap))
            gap = 0
        gap += allowance
        at = end
    piece = words(text, at, len(text), base=base)
    if len(piece):
        out.append(_Piece(piece, gap))
    return out


@dataclass
class _Placement:
    """Where one piece lies in the source."""

    piece: int
    start: int  # source word range
    end: int
    matched: int  # words of the piece found there
    blocks: list[tuple[int, int, int, int]]  # differing (quote a, quote b, source a, source b) ranges


def _core(opcodes, q: list[str], norms: list[str], lo: int) -> tuple[int, int]:
    """The source range (relative to ``lo``) an alignment of the quote words ``q`` really covers.

    An alignment maximises matched words, whatever gaps it leaves: the words at either edge of the
    quotation may be matched to a copy of them farther away in the window — a chapter title
    repeating the sentence's first words, "de", "la" — rather than to the copy right next to the
    rest. Such an edge block is dropped when the same words stand right next to the rest, or when
    it is a word or two far out.
    """
    equal = [(op.src_start, op.src_end, op.dest_start, op.dest_end) for op in opcodes if op.tag == "equal"]
    if equal:
        # The quotation's words before (after) its longest matched run, printed right before (after)
        # that run: the matches scattered elsewhere are chance ones.
        k = max(range(len(equal)), key=lambda i: equal[i][1] - equal[i][0])
        qa, qb, sa, sb = equal[k]
        if k and sa - qa >= 0 and norms[lo + sa - qa:lo + sa] == q[:qa]:
            equal, k = equal[k:], 0
        if k < len(equal) - 1 and norms[lo + sb:lo + sb + len(q) - qb] == q[qb:]:
            equal = equal[:k + 1]
    while len(equal) > 1:
        (qa, qb, sa, sb), (qa2, _, sa2, _) = equal[0], equal[1]
        gap = (sa2 - sb) - (qa2 - qb)
        adjacent = sa2 - (qa2 - qa) >= 0 and norms[lo + sa2 - (qa2 - qa):lo + sa2] == q[qa:qa2]
        if gap >= 1 and (adjacent or (qb - qa <= 2 and gap >= 2)):
            equal.pop(0)
        else:
            break
    while len(equal) > 1:
        (_, qb, _, sb), (qa2, qb2, sa2, _) = equal[-2], equal[-1]
        gap = (sa2 - sb) - (qa2 - qb)
        adjacent = norms[lo + sb:lo + sb + (qb2 - qb)] == q[qb:qb2]
        if gap >= 1 and (adjacent or (qb2 - qa2 <= 2 and gap >= 2)):
            equal.pop()
        else:
            break
    if not equal:
        return 0, 0
    first, last = equal[0], equal[-1]
    # Quote words before the first match / after the last stand for as many source words, so a
    # word changed at an edge is shown as changed rather than as missing.
    return max(0, first[2] - first[0]), last[3] + (len(q) - last[1])


class _Aligner:
    def __init__(self, index: SourceIndex):
        self.index = index
        self.norms = index.words.norms

    def align(self, q: list[str], lo: int, hi: int) -> tuple[int, int, int, list]:
        """Align the quote words ``q`` inside source words ``[lo, hi)``: (start, end, matched, blocks)."""
        lo, hi = max(0, lo), min(len(self.norms), hi)
        window = self.norms[lo:hi]
        a, b = _core(Indel.opcodes(q, window), q, self.norms, lo)
        a, b = lo + a, min(lo + b, hi)
        if b <= a:
            return lo, lo, 0, [(0, len(q), lo, lo)]
        span = self.norms[a:b]
        matched, blocks = 0, []
        pending = None
        for op in Indel.opcodes(q, span):
            if op.tag == "equal":
                matched += op.src_end - op.src_start
                if pending:
                    blocks.append(pending)
                    pending = None
                continue
            qa, qb, sa, sb = op.src_start, op.src_end, a + op.dest_start, a + op.dest_end
            pending = (min(pending[0], qa), max(pending[1], qb), min(pending[2], sa), max(pending[3], sb)) \
                if pending else (qa, qb, sa, sb)
        if pending:
            blocks.append(pending)
        return a, b, matched, blocks

    def candidates(self, q: list[str], limit: int = 3) -> list[tuple[int, int]]:
        """Source windows where the quote words ``q`` may be, best first, from shared n-grams.

        Hits close together in the source form a cluster; in each, the hits are chained in the
        order of both texts, a jump costing more the more words it skips (the chaining of passim
        and minimap2). The best chain gives the window: a copy of the quotation's first words a
        sentence earlier ("Il y a cette différence entre les lois … Il y a cette différence entre
        les mœurs") does not stretch the window back to it.
        """
        hits = self.index.hits(q)
        if not hits:
            return []
        hits.sort()
        clusters: list[list[tuple[int, int]]] = [[hits[0]]]
        for s, qpos in hits[1:]:
            if s - clusters[-1][-1][0] <= len(q) + 20:
                clusters[-1].append((s, qpos))
            else:
                clusters.append([(s, qpos)])
        chains = sorted((_best_chain(c) for c in clusters), key=lambda c: -c[0])[:limit]
        slack = max(6, len(q) // 10)
        return [(chain[0][0] - chain[0][1] - slack, chain[-1][0] + len(q) - chain[-1][1] + slack)
                for _, chain in chains]

    def find_exact(self, q: list[str], lo: int, hi: int) -> int | None:
        """First place in ``[lo, hi)`` where the words ``q`` occur as they are (short pieces)."""
        lo, hi = max(0, lo), min(len(self.norms), hi)
        first = q[0]
        i = lo
        while True:
            try:
                i = self.norms.index(first, i, hi)
            except ValueError:
                return None
            if self.norms[i:i + len(q)] == q:
                return i
            i += 1


# Hits further apart than this in the quotation are not chained directly (it bounds the work).
_CHAIN_REACH = 40


def _best_chain(cluster: list[tuple[int, int]]) -> tuple[float, list[tuple[int, int]]]:
    """The heaviest chain of ``(source, quote)`` hits increasing in both: one point per hit, less
    a cost for every jump that skips words on one side only (1, plus 0.05 a word skipped)."""
    hits = sorted(cluster, key=lambda h: (h[1], h[0]))
    score = [1.0] * len(hits)
    back = [-1] * len(hits)
    for j, (sj, qj) in enumerate(hits):
        for i in range(j - 1, -1, -1):
            si, qi = hits[i]
            if qj - qi > _CHAIN_REACH:
                break
            if qi == qj or si >= sj:
                continue
            skipped = abs((sj - si) - (qj - qi))
            weight = score[i] + 1 - (1 + 0.05 * skipped if skipped else 0)
            if weight > score[j]:
                score[j], back[j] = weight, i
    end = max(range(len(hits)), key=score.__getitem__)
    best = score[end]
    chain = []
    while end >= 0:
        chain.append(hits[end])
        end = back[end]
    return best, chain[::-1]


@dataclass
class Match:
    """Where a whole quotation lies in the source, and how it differs from it."""

    placements: list[_Placement]
    quote_words: int
    matched: int
    source_words: int
    changes: list[tuple[tuple[int, int] | None, tuple[int, int] | None]]  # (handout chars, source chars)

    @property
    def start(self) -> int:
        return min(p.start for p in self.placements)

    @property
    def end(self) -> int:
        return max(p.end for p in self.placements)

    @property
    def found(self) -> bool:
        # The margin of one and a half words matters for short quotations: six words out of ten
        # ("les lois de son … et qui") are what two unrelated sentences of one period share. And
        # words matched here and there over a long stretch of the book are chance.
        return self.matched >= min(_FOUND_MIN * self.quote_words + 1.5, self.quote_words) \
            and self.score >= 100 * _FOUND_MIN

    @property
    def score(self) -> float:
        return round(100 * 2 * self.matched / max(1, self.quote_words + self.source_words), 1)


class Locator:
    """Finds quotations in one source."""

    def __init__(self, source: SourceText):
        self.source = source
        self.index = source.index
        self.aligner = _Aligner(self.index)

    def locate(self, parts: list[_Piece], *, prefer: set[str] = frozenset()) -> Match | None:
        """Best placement of the pieces, in order and close together; ``prefer``: cited page labels,
        which break ties between two places of one passage printed twice in the book."""
        options: list[list[_Placement]] = []
        for k, part in enumerate(parts):
            found = []
            for lo, hi in self.aligner.candidates(part.words.norms):
                a, b, matched, blocks = self.aligner.align(part.words.norms, lo, hi)
                if matched:
                    found.append(_Placement(k, a, b, matched, blocks))
            options.append(found)
        chain = self._chain(parts, options, prefer)
        if not chain:
            return None
        chain = self._fill(parts, chain)
        return self._match(parts, chain)

    def _weight(self, p: _Placement, prefer: set[str]) -> float:
        label = self.index.page_of_word(p.start).label
        return p.matched + (0.5 if label is not None and label.lower() in prefer else 0)

    def _chain(self, parts: list[_Piece], options: list[list[_Placement]], prefer: set[str]) -> list[_Placement]:
        """The placements, one per piece at most, that follow each other in the book within the gaps
        the handout allows and match the most words (a small dynamic programme over pieces)."""
        # best[k][j]: (weight, chain) of the best chain ending with option j of piece k.
        best: list[list[tuple[float, list[_Placement]]]] = []
        for k, opts in enumerate(options):
            row = []
            for p in opts:
                top = (self._weight(p, prefer), [p])
                for k2 in range(k):
                    allowance = sum(parts[m].gap_before for m in range(k2 + 1, k + 1)) \
                        + sum(len(parts[m].words) + 10 for m in range(k2 + 1, k))
                    for (w, chain) in best[k2]:
                        last = chain[-1]
                        if last.end - 3 <= p.start <= last.end + allowance + 3:
                            if w + self._weight(p, prefer) > top[0]:
                                top = (w + self._weight(p, prefer), chain + [p])
                row.append(top)
            best.append(row)
        every = [entry for row in best for entry in row]
        return max(every, key=lambda e: e[0])[1] if every else []

    def _fill(self, parts: list[_Piece], chain: list[_Placement]) -> list[_Placement]:
        """Place the pieces the index could not (too short for a trigram, or changed) between their
        placed neighbours."""
        placed = {p.piece: p for p in chain}
        for k, part in enumerate(parts):
            if k in placed:
                continue
            before = max((m for m in placed if m < k), default=None)
            after = min((m for m in placed if m > k), default=None)
            if before is not None:
                lo = placed[before].end
                hi = lo + sum(parts[m].gap_before for m in range(before + 1, k + 1)) \
                    + sum(len(parts[m].words) for m in range(before + 1, k + 1)) + 3
                if after is not None:
                    hi = min(hi, placed[after].start)
            else:
                hi = placed[after].start
                lo = hi - sum(parts[m].gap_before for m in range(k + 1, after + 1)) \
                    - sum(len(parts[m].words) for m in range(k, after)) - 3
            q = part.words.norms
            if (at := self.aligner.find_exact(q, lo, hi)) is not None:
                placed[k] = _Placement(k, at, at + len(q), len(q), [])
            elif hi - lo <= 4 * len(q) + 20:
                a, b, matched, blocks = self.aligner.align(q, lo, hi)
                if matched:
                    placed[k] = _Placement(k, a, b, matched, blocks)
        return [placed[k] for k in sorted(placed)]

    def _match(self, parts: list[_Piece], chain: list[_Placement]) -> Match:
        src = self.index.words
        placed = {p.piece: p for p in chain}
        changes: list[tuple[tuple[int, int] | None, tuple[int, int] | None]] = []
        for k, part in enumerate(parts):
            q = part.words
            if k not in placed:  # a piece found nowhere near the others: words the book lacks
                changes.append(((q.starts[0], q.ends[-1]), None))
                continue
            for qa, qb, sa, sb in placed[k].blocks:
                if self._ignorable(q.norms[qa:qb], sa, sb):
                    continue
                changes.append(((q.starts[qa], q.ends[qb - 1]) if qb > qa else None,
                                (src.starts[sa], src.ends[sb - 1]) if sb > sa else None))
        return Match(chain, sum(len(p.words) for p in parts), sum(p.matched for p in chain),
                     sum(p.end - p.start for p in chain), changes)

    def _ignorable(self, quoted: list[str], sa: int, sb: int) -> bool:
        source = self.index.words.norms[sa:sb]
        if "".join(quoted) == "".join(source):
            return True  # "peut-être" against "peut-\nêtre" joined at the line end, "aujourd'hui" ...
        if not quoted and sb > sa:
            # Words the book has at a page break and the quotation not: a footnote or a running
            # line the page's text kept.
            return any(sa <= first <= sb for first in self.index.page_first_word)
        return False


# -- verdicts -------------------------------------------------------------------------------------------

@dataclass
class Verification:
    """What the book says of one citation: the verdict, in words, and the details of the match
    (``Finding`` fields: cited_pages, source_page, source_pages, source_index, source_span,
    source_excerpt, score, diff)."""

    quote: Quote
    verdict: Verdict
    severity: Severity
    message: str
    hint: str
    details: dict = field(default_factory=dict)


def verify_quotes(handout: Handout, source: SourceText,
                  citations: list[tuple[Quote, Cited | None]]) -> list[Verification]:
    """Each of ``citations`` (a quotation of ``handout`` and the book pages it cites, as
    ``pipeline.checks.BookReferences`` gives them) looked for in ``source``. Quotations under five
    words are not checked: too short to place in a book."""
    locator = Locator(source)
    out = []
    for quote, cited in citations:
        if quote.kind == "term":
            continue
        parts = pieces(quote.text, quote.span.start)
        if sum(len(p.words) for p in parts) < MIN_WORDS:
            continue
        labels = _cited_labels(cited)
        match = locator.locate(parts, prefer=labels)
        out.append(_verdict(handout, quote, cited, labels, match, source))
    return _offset_hint(out, source)


def _offset_hint(results: list[Verification], source: SourceText) -> list[Verification]:
    """Pages numbered by their index in the file (no printed numbers, no PDF labels) are off by the
    same amount for every citation when the offset is wrong: say so, with the offset to pass."""
    if source.numbering != "index":
        return results

    def shift(v: Verification) -> int | None:
        cited, found = v.details.get("cited_pages"), v.details.get("source_page")
        return cited[0] - int(found) if cited and found and found.isdigit() else None

    shifts = Counter(s for v in results if (s := shift(v)) is not None)
    if not shifts:
        return results
    common, n = shifts.most_common(1)[0]
    if common == 0 or n < 3 or n < 0.5 * sum(shifts.values()):
        return results
    hint = (f"{n} citations are all {abs(common)} pages {'after' if common > 0 else 'before'} where the source "
            f"prints them: its PDF page numbers are not the book's. Pass --page-offset "
            f"{source.page_offset + common}.")
    for v in results:
        if v.verdict == "wrong_page" and shift(v) == common:
            v.hint = hint
    return results


def _cited_labels(cited: Cited | None) -> set[str]:
    """Printed labels of every page the reference covers: "12-14" -> 12, 13, 14; "p. 45 sq." -> 45 to 48."""
    if cited is None:
        return set()
    labels: set[str] = set()
    pages = cited.pages
    if len(pages) == 2 and cited.kind == "page_range":
        labels |= {str(n) for n in range(pages[0], pages[1] + 1)}
    else:
        labels |= {str(n) for n in pages}
    if cited.following and pages:
        labels |= {str(n) for n in range(pages[-1], pages[-1] + 4)}
    for label in cited.labels:
        parts = re.split(r"\s*[-‐‑–—]\s*", label.lower())
        if all(_ROMAN.match(p) for p in parts if p):
            values = [roman_value(p) for p in parts if p]
            labels |= {_to_roman(v) for v in range(values[0], values[-1] + 1)}
    return labels


def _pages_text(labels: list[str]) -> str:
    return f"p. {labels[0]}" if len(labels) == 1 else f"pp. {labels[0]}-{labels[-1]}"


def _verdict(handout: Handout, quote: Quote, cited: Cited | None, labels: set[str], match: Match | None,
             source: SourceText) -> Verification:
    cited_pages = cited.pages if cited is not None else []
    if match is None or not match.found:
        score = match.score if match is not None else 0.0
        details = {"cited_pages": cited_pages, "score": score}
        if labels:
            return Verification(quote, "not_found", "error",
                                f"not found in the source (cited {cited.raw}; best match {score:.0f}%)",
                                "Check the quotation against the book: it may be misquoted, or come from "
                                "another work (then name that work in the reference).", details)
        return Verification(quote, "not_found", "info", f"not found in the source (best match {score:.0f}%)",
                            "If it quotes another work, name that work in the reference.", details)
    src = source.index.words
    start_char, end_char = src.starts[match.start], src.ends[match.end - 1]
    first = source.page_at(start_char)
    spanned = source.pages[first.index - 1:source.page_at(end_char - 1).index]
    found_labels = [p.label for p in spanned if p.label is not None]
    excerpt = source.text[start_char:end_char]
    if len(excerpt) > 400:
        excerpt = excerpt[:400].rstrip() + " …"
    diff = [WordChange(quoted=handout.text[q[0]:q[1]] if q else "", source=source.text[s[0]:s[1]] if s else "",
                       span=Span(start=q[0], end=q[1]) if q else None)
            for q, s in match.changes]
    details = dict(cited_pages=cited_pages, source_page=first.label, source_pages=found_labels,
                   source_index=first.index, source_span=Span(start=start_char, end=end_char),
                   source_excerpt=" ".join(excerpt.split()), score=match.score, diff=diff)
    where = _pages_text(found_labels) if found_labels else f"page {first.index} of the file"
    changed = "; ".join(_change_text(c) for c in diff[:4]) + (" …" if len(diff) > 4 else "")
    page_known = source.numbering != "none" and bool(found_labels)
    if labels and page_known and not any(label.lower() in labels for label in found_labels):
        fix = _rewrite_pages(cited.raw, found_labels)
        message = f"found on {where}, not on the page cited ({cited.raw})"
        if diff:
            message += f", and with changed words: {changed}"
        return Verification(quote, "wrong_page", "error", message, f"Cite {fix or where}.", details)
    if diff:
        return Verification(quote, "altered", "warning", f"found on {where} with changed words: {changed}",
                            "Quote the book's words as printed; mark a cut with [...] and your own words "
                            "with [brackets].", details)
    if not labels:
        why = "the handout gives no page" if cited is None else f"the reference ({cited.raw}) gives no page"
        return Verification(quote, "verified", "info", f"found on {where} ({why})", f"Add the page: ({where}).",
                            details)
    return Verification(quote, "verified", "info", f"found on {where}, as cited", "Nothing to do.", details)


def _change_text(change: WordChange) -> str:
    if not change.source:
        return f"«{_short(change.quoted)}» is not in the book"
    if not change.quoted:
        return f"«{_short(change.source)}» left out without [...]"
    return f"«{_short(change.quoted)}» instead of «{_short(change.source)}»"


def _short(words: str, limit: int = 60) -> str:
    words = " ".join(words.split())
    return words if len(words) <= limit else words[:limit].rstrip() + "…"


def _rewrite_pages(raw: str | None, found: list[str]) -> str | None:
    """The handout's own reference with the right page, in its own style: "p.64" -> "p.66"."""
    if not raw:
        return None
    target = found[0] if len(found) == 1 else f"{found[0]}-{found[-1]}"
    m = re.search(r"(?P<word>pp?\.?|pages?)(?P<space>[ \t\u00a0\u202f]*)"
                  r"(?P<pages>[0-9ivxlc]+(?:\s*[-–]\s*[0-9ivxlc]+)?)", raw, re.I)
    if m is None:
        return None
    word = m.group("word")
    if len(found) > 1 and word.lower() == "p.":
        word = "pp."
    elif len(found) == 1 and word.lower() == "pp.":
        word = "p."
    return f"({raw[:m.start()]}{word}{m.group('space')}{target}{raw[m.end():]})"
