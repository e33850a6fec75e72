"""OCR tolerance: what a scanned book's text layer gets wrong and a quotation does not.

Scanners confuse letters (rn read m, l read 1 or I, c read e; a final l read 1 looks like a
footnote call, "nu1"), drop accents, cut a word with a
stray space or glue two together; ligatures and the long s are folded before (``pipeline.text``).
A difference made only of these is noise, forgiven at the edges of a differing block of the
alignment (``pipeline.checks.align``) and said in the finding; a changed, added or missing word is
still a change.
"""

from __future__ import annotations

from typing import Callable

# What scanners confuse, folded to one letter on both sides: rn read m, l read 1 or I (lower-cased:
# i), c read e. Accents, ligatures and the long s are already folded (``pipeline.text.fold``), and a
# word cut by a stray space or two words glued compare joined. One letter for another outside these
# ("le" for "la") is a change.
_OCR_SAME = str.maketrans({"1": "l", "i": "l", "|": "l", "!": "l", "c": "e", "0": "o"})


def ocr_form(text: str) -> str:
    return text.replace("rn", "m").translate(_OCR_SAME)


def ocr_equal(quoted: list[str], source: list[str]) -> bool:
    return ocr_form("".join(quoted)) == ocr_form("".join(source))


def _glued(source: str, quoted: str, vocabulary: set[str], *, at_end: bool) -> bool:
    """Whether the book's word ``source`` is the quotation's edge word ``quoted`` glued to the word
    before it (``at_end`` false) or after it, a word the book has elsewhere: "dela" for "la" or
    "de"; "État" for a quotation ending "Éta" is a word cut, not two glued."""
    a, b = ocr_form(source), ocr_form(quoted)
    if not (a.startswith(b) if at_end else a.endswith(b)) or len(a) == len(b):
        return False
    rest = source[len(quoted):] if at_end else source[:len(source) - len(quoted)]
    return rest in vocabulary


def _never(_: int) -> bool:
    return False


def ocr_edges(q: list[str], s: list[str], qa: int, qb: int, sa: int, sb: int, vocabulary: set[str] = frozenset(),
              one_after: Callable[[int], bool] = _never):
    """The OCR-noise pieces of a differing block, peeled from both ends: (quote a, quote b, source
    a, source b) ranges, each one or two words on either side that differ only by OCR noise. What
    is left in the middle is a real change. ``one_after(i)``: whether the book has a "1" glued after
    its word ``i``, left out of its words as a footnote call, which may be an l ("nu1" for "nul")."""
    sizes = ((1, 1), (1, 2), (2, 1))
    out = []

    def same(q0: int, q1: int, s0: int, s1: int) -> bool:
        return ocr_equal(q[q0:q1], s[s0:s1]) or (one_after(s1 - 1) and ocr_equal(q[q0:q1], s[s0:s1] + ["l"]))

    while qa < qb and sa < sb:  # from the start
        size = next(((m, n) for m, n in sizes if qa + m <= qb and sa + n <= sb
                     and same(qa, qa + m, sa, sa + n)), None)
        if size is None and qa == 0 and _glued(s[sa], q[0], vocabulary, at_end=False):
            size = (1, 1)  # the quotation starts inside two words OCR glued ("dela" for "[de] la")
        if size is None:
            break
        out.append((qa, qa + size[0], sa, sa + size[1]))
        qa, sa = qa + size[0], sa + size[1]
    while qa < qb and sa < sb:  # from the end
        size = next(((m, n) for m, n in sizes if qb - m >= qa and sb - n >= sa
                     and same(qb - m, qb, sb - n, sb)), None)
        if size is None and qb == len(q) and _glued(s[sb - 1], q[-1], vocabulary, at_end=True):
            size = (1, 1)  # it ends inside two glued words ("dela" for "de [la]")
        if size is None:
            break
        out.append((qb - size[0], qb, sb - size[1], sb))
        qb, sb = qb - size[0], sb - size[1]
    return out


def printed_before(norms: list[str], at: int, words: list[str]) -> int | None:
    """How many book words right before word ``at`` print ``words``: as many, or, through OCR
    noise, one or two fewer (words glued: "pouvoirest") or more (a word cut); None if they don't.
    The first of them may hold the word before too, glued ("quela" for a quotation starting "la")."""
    for n in sorted(range(max(1, len(words) - 2), len(words) + 3), key=lambda n: abs(n - len(words))):
        if at - n >= 0 and _prints(norms[at - n:at], words, glued_before=True):
            return n
    return None


def printed_after(norms: list[str], at: int, words: list[str]) -> int | None:
    """``printed_before``, after word ``at``; the last may hold the word after ("dela" for "de")."""
    for n in sorted(range(max(1, len(words) - 2), len(words) + 3), key=lambda n: abs(n - len(words))):
        if at + n <= len(norms) and _prints(norms[at:at + n], words, glued_before=False):
            return n
    return None


def _prints(source: list[str], words: list[str], *, glued_before: bool) -> bool:
    if source == words:
        return True
    book, quoted = ocr_form("".join(source)), ocr_form("".join(words))
    if book == quoted:
        return True
    # What the book has beyond the words must lie inside its edge word: a word glued on, not more.
    edge = ocr_form(source[0] if glued_before else source[-1])
    fits = book.endswith(quoted) if glued_before else book.startswith(quoted)
    return fits and 0 < len(book) - len(quoted) < len(edge)
