"""Which number each page of a book prints, and its running headers.

A number is looked for in the first and last lines of a page ("12", "- 12 -", "Page 12", or at
either end of a running header: "12 DE LA DÉMOCRATIE"), OCR noise read past ("l2", "— 1 2 —"), and
trusted only inside a sequence the pages around confirm, across gaps too (a blank page left out, a
plate); pages without one take theirs from their neighbours; roman front matter stays roman.
Running headers are short edge lines repeated, numbers aside, on many pages: ``book.py`` takes both
out of the text so that a quotation over a page break reads on.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

# A page number alone on its line ("12", "- 12 -", "[12]", "Page 12", "12 / 356"), or at either end of a
# running header ("12 DE LA DÉMOCRATIE", "CHAPITRE II. 13").
_ALONE = re.compile(r"^(?:page|p\.)?\s*[-–—\[(]?\s*(?P<n>\d{1,4}|[ivxlcdm]{1,8})\s*[-–—\])]?\.?\s*"
                    r"(?:(?:/|sur|of)\s*\d{1,4})?$", re.I)
_LEADING = re.compile(r"^(?P<n>\d{1,4}|[ivxlcdm]{1,8})\s+\D.{0,80}$", re.I)
_TRAILING = re.compile(r"^\D.{0,80}?\s(?P<n>\d{1,4}|[ivxlcdm]{1,8})\.?$", re.I)
ROMAN = re.compile(r"^(?=[ivxlcdm])m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$", re.I)
# How many lines at the top and at the bottom of a page may hold its number. PDFium gives a page's
# text in content order, and some books draw their running header after the body: both ends count.
_EDGE_LINES = 2


def roman_value(numeral: str) -> int:
    values = [{"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}[ch] for ch in numeral.lower()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def to_roman(value: int) -> str:
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
    # Where on the page it was read: top or bottom, alone on its line or in a running header. A book
    # prints its numbers in one or two such places; a number found elsewhere is something else.
    place: tuple[str, bool] = ("", False)


# A number alone on its line as OCR reads it: digits cut by a stray space ("— 1 2 —"), l or I
# read for 1, O for 0 ("l2", "1O"). At least one real digit, so "I" (a roman numeral) stays a word.
_NOISY_NUMBER = re.compile(r"(?P<pre>[-–—\[(\s]*)(?P<n>[\dlIO](?:[\dlIO ]{0,4}[\dlIO])?)(?P<post>[-–—\])\s.]*)")
_AS_DIGITS = str.maketrans({"l": "1", "I": "1", "O": "0", " ": None})


def _denoised_number(line: str) -> str:
    m = _NOISY_NUMBER.fullmatch(line)
    if m is None or not any(ch.isdigit() for ch in m.group("n")):
        return line
    return f"{m.group('pre')}{m.group('n').translate(_AS_DIGITS)}{m.group('post')}"


def edge_candidates(lines: list[str]) -> list[_Candidate]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    edges = filled[:_EDGE_LINES] + [i for i in filled[-_EDGE_LINES:] if i not in filled[:_EDGE_LINES]]
    found = []
    for i in edges:
        line = _denoised_number(lines[i].strip())
        for pattern in (_ALONE, _LEADING, _TRAILING):
            m = pattern.match(line)
            if m is None:
                continue
            n = m.group("n")
            place = ("bottom" if filled.index(i) >= len(filled) / 2 else "top", pattern is _ALONE)
            if n.isdigit():
                if int(n) > 0:
                    found.append(_Candidate(i, int(n), False, place))
            elif ROMAN.match(n) and (n.islower() or pattern is _ALONE):
                # Upper-case numerals beside a title are chapter numbers ("CHAPITRE II."), not pages.
                found.append(_Candidate(i, roman_value(n), True, place))
            break
    return found


def printed_numbers(pages: list[list[str]]) -> tuple[list[str | None], list[int | None]]:
    """The printed number of every page and the line it was read from.

    A number is trusted when a page nearby carries the number that follows from it (page i shows
    12, page i+2 shows 14): years, footnote numbers and chapter numerals in the margins never do.
    Pages without a number of their own (chapter openings, blank pages) take it from their trusted
    neighbours when those agree on it.
    """
    # A number alone on its line is tried first: the folio, rather than a year or a verse number
    # ending a line of text ("… qui goûta, 1735"), which a year on the page before ("… en 1734")
    # would confirm as well.
    candidates = [sorted(edge_candidates(lines), key=lambda c: not c.place[1]) for lines in pages]
    confirmed: list[_Candidate | None] = [None] * len(pages)
    for i, cands in enumerate(candidates):
        for cand in cands:
            for j in range(max(0, i - 4), min(len(pages), i + 5)):
                if j != i and any(o.roman == cand.roman and o.value - cand.value == j - i for o in candidates[j]):
                    confirmed[i] = cand
                    break
            if confirmed[i]:
                break
    _confirm_across_gaps(candidates, confirmed)
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
        labels[i] = to_roman(cand.value) if cand.roman else str(cand.value)
    return labels, lines


# How far the numbering may jump past the last (or before the first) confirmed page, where no
# confirmed page on the other side bounds it: plates and a missing leaf or two, never a year.
_MAX_JUMP = 30


def _confirm_across_gaps(candidates: list[list[_Candidate]], confirmed: list[_Candidate | None]) -> None:
    """Trust the numbers the first pass could not confirm because a neighbour is missing (issue 18:
    printed 354, 355, 357, with the blank 356 left out of the file, made the last page 356).

    A number is trusted when it sits where the book's confirmed numbers sit and the sequence keeps
    increasing through it, by at least one a page: more than the previous confirmed page, less than
    the next. Roman numerals are compared with roman ones, and come before any arabic page.
    """
    places = Counter(c.place for c in confirmed if c)
    for i, cands in enumerate(candidates):
        if confirmed[i] is not None:
            continue
        for cand in cands:
            if places[cand.place] < 2:
                continue
            same = [j for j, c in enumerate(confirmed) if c and c.roman == cand.roman and j != i]
            before = [j for j in same if j < i]
            after = [j for j in same if j > i]
            if cand.roman and any(c and not c.roman for c in confirmed[:i]):
                continue
            low = confirmed[before[-1]].value + i - before[-1] if before else None
            high = confirmed[after[0]].value - (after[0] - i) if after else None
            if low is None and high is None:
                continue
            if (low is not None and cand.value < low) or (high is not None and cand.value > high):
                continue
            if high is None and cand.value > low + _MAX_JUMP or low is None and cand.value < high - _MAX_JUMP:
                continue
            confirmed[i] = cand
            break



def edge_indexes(lines: list[str]) -> list[int]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:_EDGE_LINES] + filled[-_EDGE_LINES:]))


def signature(line: str) -> str:
    return re.sub(r"\b(?:\d+|[ivxlcdm]+)\b", "#", line.strip().lower())


def running_lines(pages: list[list[str]]) -> set[str]:
    """Signatures of running headers: short edge lines repeated (numbers aside) on many pages."""
    counts = Counter()
    for lines in pages:
        counts.update({signature(lines[k]) for k in edge_indexes(lines) if len(lines[k].strip()) <= 80})
    need = max(3, len(pages) // 5)
    return {sig for sig, n in counts.items() if n >= need and sig.strip("# ")}
