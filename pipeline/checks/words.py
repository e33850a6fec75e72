"""The words of a text as the verification compares them: those of a quotation and those of the book.

A word is compared folded (case, accents and ligatures: ``pipeline.text.fold``), without
punctuation; a word hyphenated at a line end is one word, and a footnote call is none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.text import fold


# Letters and digits are separate words: a footnote call glued to a word ("amende94") is two.
# Superscript digits are footnote calls too ("amende¹"): no part of any word.
# A 1 or a 0 between letters is OCR's l, I or o ("é1ecteurs", "v0ix"), not a footnote call: one word.
_LETTERS = r"[^\W\d_\u00b2\u00b3\u00b9\u2070-\u2079]+"
_WORD = re.compile(rf"{_LETTERS}(?:[01]{_LETTERS})*|\d+")
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
