"""Word-level readings of what the print shows: superscript footnote calls, line-end hyphens
(hyphenation or a compound's own hyphen), URLs broken at a line end, list bullets."""

from __future__ import annotations

import re
import statistics

from pipeline.ingest.pdf.layout import Line

_BULLETS = "•▪◦●■□➔→►➢➤✓✔–—-*"
URL_BROKEN = re.compile(r"^(?:https?://|www\.)\S*[-/_.=?&]$", re.I)


# The words French writes after a hyphen of its own (pronouns after an inverted verb, "-même",
# "-ci", "-là", "c'est-à-dire", "peut-être"): a closed class of grammar words. A line that starts
# with one of them after a line-end "-" continues a compound, not a word cut by hyphenation.
# Pronouns that could also end a hyphenated word ("éco-le", "ver-tu") are left out; those starting
# with a vowel are safe, French hyphenation never breaks before a vowel.
_COMPOUND_TAIL = re.compile(r"(?:je|il|elle|on|nous|vous|ils|elles|y|en|même|mêmes|ci|là|dire|être|dessus|"
                            r"dessous|delà|devant|uns|unes|t-\w+)(?:\W|$)")


def line_end_hyphen(word: str, following: str) -> str | None:
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


def is_bullet(word: str) -> bool:
    return len(word) <= 2 and word[:1] in _BULLETS


_SUPERSCRIPT_CALL = re.compile(r"^(?:\d{1,3}|[*†‡]|[a-z])$")
_ORDINAL_BASE = re.compile(r"(?:^|\W)(?:\d+|[IVXLCDM]+|M|Mgr|Dr|St)$")  # "2e", "XIXe", "Mme": not calls


def superscript_calls(line: Line) -> list[bool]:
    """Which of the line's words are footnote calls set smaller and raised above the line
    ("Facebook²", LaTeX's \\alph "fidèlesᵃ"): pdfplumber gives each glyph's size and box, and a
    call is told from an ordinary number by both. A raised letter after a number or a roman numeral
    is an ordinal ("XIXᵉ"), not a call.

    The line's type size and baseline are measured once for all its words: measured per word, a
    line of n words cost n² (a poster's or a table's line of thousands of words, minutes)."""
    words = line.words
    size = line.size if words else 0.0
    baseline: float | None = None
    out = []
    for k, word in enumerate(words):
        if not _SUPERSCRIPT_CALL.match(word.text) or word.size > 0.85 * size:
            out.append(False)
            continue
        before = words[k - 1] if k else None
        if word.text.isalpha() and (before is None or _ORDINAL_BASE.search(before.text)
                                    or word.x0 - before.x1 > 0.3 * before.size):
            out.append(False)
            continue
        if baseline is None:
            normal = [w.bottom for w in words if w.size > 0.85 * size]
            baseline = statistics.median(normal) if normal else float("-inf")
        out.append(word.bottom < baseline - 0.15 * size)
    return out
