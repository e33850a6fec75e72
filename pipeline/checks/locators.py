"""Lines, verses and sections a source numbers itself, and the place a reference cites in them.

A play or a poem prints the number of every fifth line or so in its margin ("5", "10", "15"),
restarting with each scene or poem or running on; a treatise numbers its sections ("§ 12", "12.",
"XII." at the start of a paragraph). ``read_numbers`` reads both from a source's text once
(``SourceText.numbers``): a number is trusted only inside an increasing sequence, as page numbers
are (``pipeline.checks.book``), so a year or a count at the end of a line of prose is never a verse
number. The lines between two margin numbers are numbered by counting them (a speaker's name or a
scene heading in capitals is no verse); where the count does not fit, each line gets the range it
may hold. The margin numbers are no part of the book's words (``SourceIndex`` leaves them out), so a
quotation running over a numbered line reads on.

``read_place`` reads the place a reference cites (``v. 23``, ``vv. 23-25``, ``l. 12``, ``§ 12``);
``check_place`` says whether the passage found in the book is there.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from pipeline.checks.words import Words

PlaceKind = Literal["verse", "line", "section"]


# -- the place a reference cites ------------------------------------------------------------------

_DASH = r"[-‐‑–—]"
# "v. 23", "vv. 23-25", "vers 23", "l. 12-15", "ll. 3-5", "ligne 4", "§ 12", "§§ 12-13", "sect. 4".
# Digits only: "l. II" is a book (livre), not a line.
_PLACE = re.compile(
    r"(?<![\w.])(?P<word>vv?\.|vers|ll?\.|lignes?|§§?|sect\.|sections?)[ \t\u00a0\u202f\u2009]*"
    rf"(?P<a>\d{{1,5}})(?:[ \t\u00a0\u202f\u2009]*(?:{_DASH}|à)[ \t\u00a0\u202f\u2009]*(?P<b>\d{{1,5}}))?\b"
    r"(?P<sq>[ \t\u00a0\u202f\u2009]*(?:sqq?\.?|ss\.?|et[ \t\u00a0\u202f]+suiv\.?|suiv\.?))?", re.I)
_KINDS = {"v": "verse", "vv": "verse", "vers": "verse", "l": "line", "ll": "line", "ligne": "line",
          "lignes": "line", "§": "section", "§§": "section", "sect": "section", "section": "section",
          "sections": "section"}
# One place and several, as a reference writes them.
_NUMBER_FORMS = {"v.": ("v.", "vv."), "vv.": ("v.", "vv."), "l.": ("l.", "ll."), "ll.": ("l.", "ll."),
                 "§": ("§", "§§"), "§§": ("§", "§§")}
# "sq." after a verse or a line: the next few.
_FOLLOWING = 4


@dataclass(frozen=True)
class Place:
    """The line, verse or section a reference cites: ``v. 23`` -> verse 23 to 23."""

    kind: PlaceKind
    first: int
    last: int
    word: str  # as written: "v.", "vv.", "l.", "§"
    start: int  # where it is written in the reference's ``raw``
    end: int

    def overlaps(self, low: int, high: int) -> bool:
        return self.first <= high and low <= self.last

    def written(self, low: int, high: int) -> str:
        """``low``-``high`` written the way this reference writes its place: "v. 41", "vv. 41-43"."""
        word = self.word
        single, plural = _NUMBER_FORMS.get(word.lower(), (word, word))
        if low == high:
            return f"{single} {low}"
        return f"{plural} {low}-{high}"


def read_place(raw: str | None) -> Place | None:
    """The line, verse or section ``raw`` (a reference as written) cites, or None when it cites none."""
    if not raw:
        return None
    found = None
    for found in _PLACE.finditer(raw):
        pass  # the last one: "II, 5, v. 634" names act and scene before the verse
    if found is None:
        return None
    word = found.group("word")
    kind = _KINDS[word.lower().rstrip(".")]
    first = int(found.group("a"))
    last = int(found.group("b")) if found.group("b") else first
    if last < first:
        if len(found.group("b")) < len(found.group("a")):  # "vv. 112-14": 112 to 114, as pages are written
            last = int(found.group("a")[:len(found.group("a")) - len(found.group("b"))] + found.group("b"))
        if last < first:
            return None
    if found.group("sq"):
        last += _FOLLOWING
    return Place(kind, first, last, word, found.start(), found.end("b") if found.group("b") else found.end("a"))


# -- the numbers a source prints --------------------------------------------------------------------

@dataclass
class Numbering:
    """Numbered stretches of a source's text (lines, or sections), in text order: each with the
    range of numbers it may hold (one number when the count is sure)."""

    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    lows: list[int] = field(default_factory=list)
    highs: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.starts)

    def spans(self, first: int, last: int) -> list[tuple[int, int]]:
        """The stretches that may hold a number from ``first`` to ``last``."""
        return [(start, end) for start, end, low, high in zip(self.starts, self.ends, self.lows, self.highs)
                if low <= last and first <= high]

    def at(self, start: int, end: int) -> tuple[int, int] | None:
        """The numbers of the stretches ``text[start:end]`` runs over; None outside the numbered text."""
        i = bisect.bisect_right(self.ends, start)
        j = bisect.bisect_left(self.starts, end)
        if i >= j:
            return None
        return min(self.lows[i:j]), max(self.highs[i:j])


@dataclass
class SourceNumbers:
    lines: Numbering  # margin numbers of a play's or a poem's lines (verses)
    sections: Numbering  # "§ 12", "12.", "XII." opening a treatise's sections
    # Where the margin numbers stand in the text: no words of the book. A section's number is printed
    # in the text, and a handout may quote it ("4. Chaque chambre tiendra…"): it stays a word.
    marks: list[tuple[int, int]]
    section_marks: list[tuple[int, int]] = field(default_factory=list)

    def of(self, kind: PlaceKind) -> Numbering:
        return self.sections if kind == "section" else self.lines


@dataclass(frozen=True, slots=True)
class _Cand:
    k: int  # the counted line (lines) or the line (sections) it numbers
    value: int
    marks: tuple[tuple[int, int], ...]
    style: str = ""


# A margin number at the start of a line (or alone on its line), or at its end. PDFium gives a
# number drawn in the right margin after the line it numbers, sometimes on a line of its own.
_LEAD = re.compile(r"[ \t]*(\d{1,4})(?=[ \t]|$)")
# At the end, after a space, or glued to the verse's last punctuation mark where a long verse runs
# up to its number ("émigrants.1785"); glued to a letter, digits are a footnote call.
_TRAIL = re.compile(r"(?:(?<=\S)[ \t]+|(?<=[.,;:!?»)\]]))(\d{1,4})[ \t]*$")
_ALONE = re.compile(r"[ \t]*\d{1,4}[ \t]*")
_LOWER = re.compile(r"[a-zà-ÿœæ]")
# A line that may be a verse: one with a lower-case letter ("PHÈDRE.", "SCÈNE III." are none).
_COUNTED = re.compile(r"^[^\na-zà-ÿœæ]*[a-zà-ÿœæ][^\n]*", re.M)
# A section opening its line: "§ 12", "§12.", "12. Text", "XII. Text", or the number alone.
_SECTION = re.compile(r"[ \t]*(?:(?P<para>§)[ \t]*(?P<p>\d{1,4})\.?|(?P<d>\d{1,4})\.|(?P<r>[IVXLC]{1,7})\.)"
                      r"(?=[ \t]|$)")
_ROMAN = re.compile(r"^(?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")


def _roman(numeral: str) -> int:
    values = [{"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}[ch] for ch in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def read_numbers(text: str) -> SourceNumbers:
    """The line (verse) and section numbers ``text`` prints, trusted only in increasing sequences."""
    margin, sections = _scan(text)
    line_numbers, line_marks = _line_numbering(text, margin)
    section_numbers, section_marks = _section_numbering(text, sections)
    return SourceNumbers(line_numbers, section_numbers, sorted(line_marks), section_marks)


def _scan(text: str) -> tuple[list[tuple[int, int, tuple[int, int], bool, int]], list[tuple[int, re.Match]]]:
    """Every number at either end of a line, as ``(line start, value, mark, alone, row)``, and every line
    opening with a section number, as ``(line start, match)``. One pass over the lines with cheap
    tests first: a regular expression tried at every position of a 350-page book costs as much as
    indexing its words."""
    margin, sections = [], []
    at = 0
    for row, line in enumerate(text.split("\n")):
        if line:
            first = line.lstrip()[:1] if line[0] in " \t" else line[0]
            lead = None
            if first.isdigit():
                lead = _LEAD.match(line)
                if lead:
                    alone = not line[lead.end():].strip()
                    margin.append((at, int(lead.group(1)), (at + lead.start(1), at + lead.end(1)), alone, row))
            if first.isdigit() or first in "§IVXLC":
                if section := _SECTION.match(line):
                    sections.append((at, section))
            if line[-1].isdigit() or line[-1] in " \t" and line.rstrip()[-1:].isdigit():
                trail = _TRAIL.search(line)
                if trail and (lead is None or trail.start(1) >= lead.end()):
                    margin.append((at, int(trail.group(1)), (at + trail.start(1), at + trail.end(1)), False, row))
        at += len(line) + 1
    return margin, sections


def _line_numbering(text: str, numbers: list) -> tuple[Numbering, list[tuple[int, int]]]:
    # First, whether any numbers could make a sequence at all, counting every line (blank ones,
    # speakers' names): in a book of prose, the few numbers ending a line never do, and the lines
    # need not be told apart.
    rows = [_Cand(row, value, (mark,)) for _, value, mark, _, row in numbers]
    if not any(_trusted_lines(c, loose=True) for c in _chains(rows, _loose_fit)):
        return Numbering(), []
    lower = [m.span() for m in _COUNTED.finditer(text)]
    has_lower = {a for a, _ in lower}
    # A verse in capitals ("QUELQUES SINGULARITÉS DES LOIS   45") is a verse when its number follows
    # the others; a heading's number ("SCÈNE 3") does not, and the heading is then no verse.
    capitals = {line: (line, len(text) if (end := text.find("\n", line)) < 0 else end)
                for line, _, _, alone, _ in numbers if not alone and line not in has_lower}
    counted = sorted(lower + list(capitals.values()))
    chains = _verse_chains(numbers, counted)
    unused = set(capitals) - {counted[c.k][0] for chain in chains for c in chain}
    if unused:
        counted = [span for span in counted if span[0] not in unused]
        chains = _verse_chains(numbers, counted)
    if missing := _verses_in_capitals(text, counted, chains):
        counted = sorted(counted + missing)
        chains = _verse_chains(numbers, counted)
    lows: list[int | None] = [None] * len(counted)
    highs: list[int | None] = [None] * len(counted)
    marks: list[tuple[int, int]] = []
    for chain in chains:
        step = _step(chain)
        # The lines before the first number printed: as many as the numbers before it, a step at most.
        first = chain[0]
        for t in range(1, min(first.value - 1, step - 1) + 1):
            k = first.k - t
            if k < 0 or lows[k] is not None:
                break
            lows[k] = highs[k] = first.value - t
        for a, b in zip(chain, chain[1:]):
            lows[a.k] = highs[a.k] = a.value
            n, d = b.k - a.k, b.value - a.value
            extra = n - d  # lines that hold no verse (> 0) or verses glued to another line (< 0)
            for j in range(1, n):
                if extra == 0:
                    lows[a.k + j] = highs[a.k + j] = a.value + j
                else:
                    lows[a.k + j] = a.value + max(0, min(j, j - extra))
                    highs[a.k + j] = min(b.value, a.value + max(j, j - extra))
        last = chain[-1]
        lows[last.k] = highs[last.k] = last.value
        for c in chain:
            marks.extend(c.marks)
    for chain in chains:  # after the last number: the lines up to where the next would stand
        step = _step(chain)
        last = chain[-1]
        for t in range(1, step):
            k = last.k + t
            if k >= len(counted) or lows[k] is not None:
                break
            lows[k] = highs[k] = last.value + t
    out = Numbering()
    for (start, end), low, high in zip(counted, lows, highs):
        if low is not None:
            out.starts.append(start)
            out.ends.append(end)
            out.lows.append(low)
            out.highs.append(high)
    return out, marks


def _verses_in_capitals(text: str, counted: list[tuple[int, int]], chains: list[list[_Cand]]) -> list[tuple[int, int]]:
    """Lines in capitals without a number where two margin numbers count more verses than the lines
    between them: verses printed in capitals ("QUE LE POINT SAILLANT DE L'ÉTAT SOCIAL"), not headings."""
    out = []
    for chain in chains:
        for a, b in zip(chain, chain[1:]):
            short = (b.value - a.value) - (b.k - a.k)
            if short <= 0:
                continue
            lo, hi = counted[a.k][1], counted[b.k][0]
            capitals = [(lo + m.start(), lo + m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text[lo:hi])
                        if not _ALONE.fullmatch(m.group()) and not _LOWER.search(m.group())]
            if len(capitals) <= short:
                out.extend(capitals)
    return out


def _verse_chains(numbers: list, counted: list[tuple[int, int]]) -> list[list[_Cand]]:
    """The trusted sequences of margin numbers, each number on the verse (``counted`` line) it numbers."""
    starts = [a for a, _ in counted]
    cands: list[_Cand] = []
    for line, value, mark, alone, _ in numbers:
        if alone:  # the number of the verse before it
            k = bisect.bisect_right(starts, line) - 1
        else:
            k = bisect.bisect_left(starts, line)
            if k >= len(starts) or starts[k] != line:
                continue  # a heading or a speaker's name in capitals: no verse
        if k < 0:
            continue
        if cands and cands[-1].k == k and cands[-1].value == value:  # the same number in both margins
            cands[-1] = _Cand(k, value, cands[-1].marks + (mark,))
            continue
        cands.append(_Cand(k, value, (mark,)))
    cands.sort(key=lambda c: (c.k, c.marks[0]))

    def fits(a: _Cand, b: _Cand) -> bool:
        d, n = b.value - a.value, b.k - a.k
        # Between two margin numbers, as many lines as the numbers say: more when speakers' lines or
        # half-lines are printed apart, a few fewer when the extraction glued two lines.
        return 1 <= d <= 100 and max(1, d - max(1, d // 4)) <= n <= 2 * d + 4

    return [c for c in _chains(cands, fits) if _trusted_lines(c)]


def _loose_fit(a: _Cand, b: _Cand) -> bool:
    d = b.value - a.value
    return 1 <= d <= 100 and max(1, d - max(1, d // 4)) <= b.k - a.k <= 4 * d + 20


def _step(chain: list[_Cand]) -> int:
    """How often the margin numbers come (every fifth line): the commonest step, the larger on a tie."""
    steps = Counter(b.value - a.value for a, b in zip(chain, chain[1:]))
    return max(steps, key=lambda d: (steps[d], d))


def _trusted_lines(chain: list[_Cand], *, loose: bool = False) -> bool:
    """Three numbers in sequence, or two a step apart with the lines between counting that step
    exactly ("5" then "10" five lines on): a stray number in the text never makes either.
    ``loose``: lines counted with blank ones and names, as the first look does."""
    if len(chain) >= 3:
        return True
    if len(chain) == 2:
        a, b = chain
        d = b.value - a.value
        return d >= 3 and (loose or b.k - a.k == d) and a.value % d == 0
    return False


def _chains(cands: list[_Cand], fits, lookahead: int = 4) -> list[list[_Cand]]:
    """Candidates cut into increasing sequences: a candidate that does not follow the sequence is a
    stray number when the sequence goes on after it, else the start of another (a new scene)."""
    chains: list[list[_Cand]] = []
    current: list[_Cand] = []
    for i, cand in enumerate(cands):
        if current and fits(current[-1], cand):
            current.append(cand)
            continue
        if current and any(fits(current[-1], nxt) for nxt in cands[i + 1:i + 1 + lookahead]):
            continue
        if current:
            chains.append(current)
        current = [cand]
    if current:
        chains.append(current)
    return chains


def _section_numbering(text: str, found: list[tuple[int, re.Match]]) -> tuple[Numbering, list[tuple[int, int]]]:
    cands: list[_Cand] = []
    for at, m in found:
        if m.group("para"):
            value, style, group = int(m.group("p")), "§", "p"
        elif m.group("d"):
            value, style, group = int(m.group("d")), "n.", "d"
        elif _ROMAN.match(m.group("r")):
            value, style, group = _roman(m.group("r")), "N.", "r"
        else:
            continue
        # ``k`` is where the section's line starts.
        cands.append(_Cand(at, value, ((at + m.start("para" if style == "§" else group), at + m.end()),), style))
    chains: list[list[_Cand]] = []
    for style in ("§", "n.", "N."):
        # Sections follow each other one by one; "§" says itself what it is, a bare "12." needs three.
        chains += [c for c in _chains([c for c in cands if c.style == style],
                                      lambda a, b: b.value == a.value + 1)
                   if len(c) >= (2 if style == "§" else 3)]
    chains.sort(key=lambda c: c[0].k)
    out = Numbering()
    marks: list[tuple[int, int]] = []
    length = len(text)
    for n, chain in enumerate(chains):
        starts = [c.k for c in chain]
        # The last section ends where the next numbering begins, or, at the latest, twice as far on
        # as the longest section before it: numbered articles in an appendix do not make the rest
        # of the book their last article.
        longest = max(b - a for a, b in zip(starts, starts[1:]))
        following = [c[0].k for c in chains[n + 1:] if c[0].k > starts[-1]]
        ends = starts[1:] + [min([length, starts[-1] + 2 * longest] + following[:1])]
        for cand, start, end in zip(chain, starts, ends):
            if out.starts and start < out.ends[-1]:  # two numberings interleaved: the first one read wins
                continue
            out.starts.append(start)
            out.ends.append(end)
            out.lows.append(cand.value)
            out.highs.append(cand.value)
            marks.extend(cand.marks)
    return out, marks


def without_marks(found: Words, marks: list[tuple[int, int]]) -> Words:
    """``found`` without the words that are printed numbers of lines or sections."""
    drop = []
    for a, b in marks:
        i = bisect.bisect_left(found.starts, a)
        while i < len(found.starts) and found.starts[i] < b:
            drop.append(i)
            i += 1
    if not drop:
        return found
    out = Words()
    at = 0
    for i in sorted(set(drop)) + [len(found.starts)]:  # whole runs copied at once
        out.norms.extend(found.norms[at:i])
        out.starts.extend(found.starts[at:i])
        out.ends.extend(found.ends[at:i])
        at = i + 1
    return out


# -- the check ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PlaceFound:
    """Where a passage found in the book stands in the source's own numbering, against the place
    its reference cites. ``low``/``high`` None: the source numbers no such places there."""

    place: Place
    low: int | None
    high: int | None

    @property
    def checked(self) -> bool:
        return self.low is not None

    @property
    def right(self) -> bool:
        return self.checked and self.place.overlaps(self.low, self.high)

    @property
    def found(self) -> str:
        return self.place.written(self.low, self.high)

    def rewrite(self, raw: str | None) -> str:
        """The reference as written with the place found instead of the place cited."""
        if not raw or read_place(raw) != self.place:
            return self.found
        return raw[:self.place.start] + self.found + raw[self.place.end:]


def check_place(place: Place | None, numbers: SourceNumbers, start: int, end: int) -> PlaceFound | None:
    """Where ``text[start:end]`` of the source stands in its numbering of ``place``'s kind."""
    if place is None:
        return None
    where = numbers.of(place.kind).at(start, end)
    return PlaceFound(place, *(where or (None, None)))
