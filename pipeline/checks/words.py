"""The words of a text as the verification compares them, and the book's index of word trigrams.

A word is compared folded (case, accents and ligatures: ``pipeline.text.fold``), without
punctuation; a word hyphenated at a line end is one word, and a footnote call is none.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipeline.text import fold

if TYPE_CHECKING:
    from pipeline.checks.book import SourcePage, SourceText


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
