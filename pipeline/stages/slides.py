"""Slide decks flattened to text: the footer repeated on every slide, the continued slide.

A deck exported to text keeps one short line per slide title, separated by blank lines, and
prints a footer ("Auteur – Titre⇥7") on every slide: repeated with its changing number, it is no
heading. A slide continued on the next one ("Titre (suite)") is the same section. A deck cut
into numbered parts ("Partie 2 – …", "Séance 3 : …", "II. …") holds the unnumbered slide titles
that follow each part's title slide under that part.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from pipeline.document import Document
from pipeline.stages.heading_lines import words
from pipeline.stages.heading_numbers import match_pattern, number_value
from pipeline.text import fold_words

# A slide title this short, with no colon and no quotation, names a slide ("Méthodes et sources");
# a longer one, or one shaped "Label : description", is the subtitle of the slide above it.
TOPIC_MAX_WORDS = 6

# A running line: a footer or header printed with its slide or page number ("Auteur – Titre⇥7",
# "Titre du cours  |  p. 3", "Titre – 4/12"). The number is set off by a tab, a run of spaces, a
# dash or a bar, so that "Les années 1930" stays a title.
_RUNNING_LINE = re.compile(r"(?P<body>.*?\w.*?)(?:\t+|[ \u00a0]{2,}|[ \u00a0]+[-–—|·•][ \u00a0]*)"
                           r"(?:p(?:age|\.)?[ \u00a0]*)?(?P<n>\d{1,4})(?:[ \u00a0]*/[ \u00a0]*\d{1,4})?[ \u00a0]*[-–—]?",
                           re.I)
_RUNNING_MIN_REPEATS = 3


_ENDS_WITH_NUMBER = re.compile(r"\d[ \t\u00a0–—-]*$")


def _running_split(line: str) -> tuple[str, str] | None:
    if len(line) > 150 or not _ENDS_WITH_NUMBER.search(line):
        return None  # most lines: no number at the end, no need for the slower pattern
    m = _RUNNING_LINE.fullmatch(line.strip())
    if not m:
        return None
    body = m["body"].strip(" \t\u00a0-–—|")
    # "Texte 3", "Séance 2 – 4": a numbered heading, not a running line.
    if words(body) < 2 or match_pattern(line.strip()):
        return None
    return body, m["n"]


def running_key(line: str) -> str | None:
    split = _running_split(line)
    return fold_words(split[0]) if split else None


def running_lines(doc: Document) -> set[str]:
    """Lines repeated with a changing number at least three times: the footer of every slide of a
    deck exported to text, or a running header kept by a PDF export."""
    numbers: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    closing: dict[str, int] = {}
    text, lines = doc.text, doc.lines
    for i, line in enumerate(lines):
        if line.kind != "text" or line.bullet or line.end - line.start > 150:
            continue
        raw = text[line.content_start:line.end]
        split = _running_split(raw)
        if split:
            key = fold_words(split[0])
            counts[key] = counts.get(key, 0) + 1
            numbers.setdefault(key, set()).add(split[1])
        elif _closes_slide(lines, i) and words(raw) >= 2:
            # The same line, without a number, as the last line of every slide: a footer too. (A
            # title opens its slide; what closes one is a footer.)
            key = fold_words(raw)
            closing[key] = closing.get(key, 0) + 1
    return ({k for k, n in counts.items() if n >= _RUNNING_MIN_REPEATS and len(numbers[k]) >= 2}
            | {k for k, n in closing.items() if n >= _RUNNING_MIN_REPEATS})


def _closes_slide(lines, i: int) -> bool:
    """Line ``i`` is followed by two blank lines or more (the gap between two slides), or ends the text."""
    after = lines[i + 1:i + 3]
    return all(line.kind == "blank" for line in after) and (len(after) == 2 or i + len(after) + 1 == len(lines))


# "Titre (suite)", "Titre (suite et fin)", "Titre – suite", "Titre (2/3)": a slide continued.
CONTINUED = re.compile(r"[ \u00a0]*(?:\((?:suite(?:[ \u00a0]+et[ \u00a0]+fin)?|fin|cont\.?|bis|\d{1,2}[ \u00a0]*/[ \u00a0]*\d{1,2})\)"
                       r"|[-–—][ \u00a0]*suite)[ \u00a0]*:?$", re.I)


# Numbered divisions a deck is cut into: "Partie 2 – …", "Séance 3 : …", "Chapitre 1", a label
# and its number ("Axe 2 :", "Section 1 –"), a roman number ("II. …"), a plain number ("2. …",
# not "2.1").
DIVISION_KINDS = frozenset({"part", "session", "chapter", "label", "roman", "decimal"})


def _division(candidate) -> bool:
    return candidate.kind in DIVISION_KINDS and (candidate.kind != "decimal" or candidate.style[1] == 1)


def deck_divisions(candidates) -> set[tuple]:
    """The styles of the numbered divisions that hold the unnumbered slide titles after them.

    A deck cut into parts shows each part's title slide ("Partie 2 – La carrière") and then that
    part's slides, titled without numbers ("Les rites d'admission"): slide titles run *between*
    the divisions, and belong to the division before them. The reverse shape keeps the
    unnumbered title above: a plan whose numbers follow one another with no slide title between
    them ("Résumé de l'ouvrage" over "I. / II. / III.", then "Analyse critique"), or a numbering
    that starts again ("I." after "II.") under each unnumbered title.

    ``candidates`` are the stage's heading candidates, in document order (kind, style, number)."""
    by_style: dict[tuple, list[int]] = {}
    for i, c in enumerate(candidates):
        if _division(c):
            by_style.setdefault(c.style, []).append(i)
    if not by_style:
        return set()
    slide_at = [i for i, c in enumerate(candidates) if c.kind == "slide" and c.style[0] == "slide"]
    held = set()
    for style, where in by_style.items():
        values = [v for v in (number_value(candidates[i].number) for i in where) if v is not None]
        if any(b <= a for a, b in zip(values, values[1:])):
            continue  # the numbering starts again: each run sits under the title before it
        if len(where) == 1:
            if slide_at and slide_at[-1] > where[0]:
                held.add(style)
            continue
        gaps = list(zip(where, where[1:]))
        filled = sum(_any_between(slide_at, a, b) for a, b in gaps)
        if filled and filled * 2 >= len(gaps):
            held.add(style)
    return held


def _any_between(positions: list[int], a: int, b: int) -> bool:
    """One of the sorted ``positions`` lies strictly between ``a`` and ``b``."""
    j = bisect_right(positions, a)
    return j < len(positions) and positions[j] < b
