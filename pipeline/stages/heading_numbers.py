"""Numbering schemes of headings: what a heading's number or keyword says about its rank.

"Partie N", "Chapitre N", "Séance N", a label and its number ("Texte 2 – …", "Axe 1 : …"), roman
"I. / II.", letters "A) / B)", decimal "1. / 1.1", and the keywords that title a part of a handout
("Introduction", "Conclusion", "Bibliographie"). The conventions whose rank never varies (a part
holds chapters, never the reverse) carry a fixed rank; the others are ranked by appearance.
"""

from __future__ import annotations

import re

from pipeline.models import SectionKind
from pipeline.text import fold_words

SP = r"[ \t\u00a0]"
_ORDINAL = (r"(?:premi[eè]re?|1re|1er|deuxi[eè]me|seconde?|troisi[eè]me|quatri[eè]me|cinqui[eè]me|"
            r"sixi[eè]me|septi[eè]me|huiti[eè]me|neuvi[eè]me|dixi[eè]me|derni[eè]re?|\d+e|\d+[èe]me|"
            r"I(?:re|er)|[IVX]{1,4}e|[IVX]{1,4}[èe]me)")  # "Ire partie", "IIe partie": roman ordinals
_NUM = r"(?:\d{1,3}|[IVXLC]{1,6}|[A-Z])"
# (kind, pattern). Order matters: the first match wins.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("part", re.compile(rf"(?:partie{SP}+(?P<n>{_NUM})\b|(?P<o>{_ORDINAL}){SP}+partie\b)", re.I)),
    ("chapter", re.compile(rf"(?:chapitre|chap\.?|ch\.){SP}*(?P<n>{_NUM}|premier|{_ORDINAL})\b", re.I)),
    ("session", re.compile(rf"(?:s[ée]ance|le[çc]on|cours|semaine|td|tp|module){SP}+(?P<n>\d{{1,3}}|[IVXLC]{{1,6}})\b",
                           re.I)),
    # "Texte 2 – …", "Axe 1 : …", "Document 3", "Question 4 :": a capitalised label and its number,
    # the way a dossier numbers the texts or themes it studies (its style is the label).
    ("label", re.compile(rf"(?P<label>[A-ZÀ-Ý][a-zà-ÿ]{{2,14}}){SP}+(?P<n>\d{{1,3}}|[IVXLC]{{1,6}})"
                         rf"(?:{SP}*[–—:.)-](?=\s|$){SP}*(?=\S)|{SP}*$)")),
    ("roman", re.compile(rf"(?P<n>[IVX]{{1,5}}){SP}*[.)/–—-](?![\w.]){SP}*(?=\S)")),
    ("letter", re.compile(rf"(?P<n>[A-Ha-h]){SP}*[.)/–—-](?![\w.]){SP}*(?=\S)")),
    # "1. ", "1) ", "1/ " (a slash, as in "I/ … 1/ …" plans), "1 – ", "1.1 ".
    ("decimal", re.compile(rf"(?P<n>\d{{1,2}}(?:\.\d{{1,2}}){{0,3}})(?:\.|\)|/|{SP}*[–—-](?!\d))?{SP}+(?=\D)")),
]
# Keywords that title a part of a handout. Only the structural ones may carry a subtitle after a
# colon ("Conclusion : « Que faire ? »"); "Note : …" or "Question : …" followed by a sentence is a
# remark in the running text, not a heading.
KEYWORDS = re.compile(
    r"(?:(?:introduction|conclusions?|r[ée]sum[ée]|synth[èe]se|discussion|ouverture|probl[ée]matique|"
    r"bibliographie|annexes?)(?:\s*(?:g[ée]n[ée]rale|:.*))?"
    r"|(?:r[ée]f[ée]rences|questions?|plan|sommaire|avant-propos|pr[ée]face|notes?|glossaire|lexique|critique|"
    r"biographie|l'auteur|l’auteur|(?:pour\s+)?aller\s+plus\s+loin)(?:\s*:)?)$", re.I)

# Canonical ranks of the conventions whose order never varies; the others are ranked by appearance.
FIXED_RANK = {"part": 10, "session": 15, "chapter": 20}


def match_pattern(title: str) -> tuple[str, str | None] | None:
    for kind, pattern in _PATTERNS:
        if m := pattern.match(title):
            number = m.groupdict().get("n") or m.groupdict().get("o")
            return kind, number
    return None


def label_of(title: str) -> str:
    """The label of a "Texte 2 – …" heading, folded: what its siblings share."""
    return fold_words(title.split(None, 1)[0])


# Session headings that open a body; "TD 3", "TP 2" or "Cours 4" more often name the handout itself.
SESSION_HEADING = re.compile(r"(?:s[ée]ance|le[çc]on|semaine|module)\b", re.I)


def bare_number(title: str, kind: SectionKind, number: str | None) -> bool:
    """A number with no "." or ")" after it starts an ordinary phrase ("12 ans de terrain", "08 mai
    2023"), not a numbered heading; "1.2 Titre" needs no separator."""
    if kind != "decimal" or number is None or "." in number or not title[len(number):][:1].isspace():
        return False
    # "1 – Le contexte": the dash after the number is the separator of a numbered heading.
    return not re.match(rf"{SP}*[–—-]{SP}", title[len(number):])


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def number_value(number: str | None) -> int | None:
    """The value of a heading's number ("3", "IV", "iv"), None for a letter or an ordinal word."""
    if not number:
        return None
    if number.isdigit():
        return int(number)
    digits = [_ROMAN.get(ch) for ch in number.upper()]
    if None in digits or len(number) == 1 and number.upper() not in "IVX":
        return None  # "A", "B": letters, not roman numbers (a lone "C" or "L" is a letter too)
    return sum(-d if i + 1 < len(digits) and d < digits[i + 1] else d for i, d in enumerate(digits))
