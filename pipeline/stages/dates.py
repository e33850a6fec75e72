"""Dates and periods as French handouts write them: "28 janvier 2025", "mardi 5 novembre",
"12/10/2024", "Semestre 1 – 2024-2025", "Printemps 2025"; the most precise one of a line."""

from __future__ import annotations

import re


_MONTHS = (r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|"
           r"d[ée]cembre|janv\.?|f[ée]vr?\.?|avr\.?|juil\.?|sept\.?|oct\.?|nov\.?|d[ée]c\.?")
_WEEKDAYS = r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
_YEAR = r"(?:1[5-9]|20)\d\d"
_PERIOD = re.compile(
    rf"^(?:(?:semestre|trimestre|ann[ée]e(?:\s+universitaire)?|session|printemps|[ée]t[ée]|automne|hiver|"
    rf"s\d|{_MONTHS}|{_WEEKDAYS}|le|du|au|de|à|et|\d{{1,2}}(?:er)?)\b[\s,/–—-]*)*"
    rf"(?:\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}|(?:19|20)\d\d)(?:[\s,/–—-]+.*)?$", re.I)
# Dates inside a line, best first: a day ("28 janvier 2025", "mardi 5 novembre", "12/10/2024",
# "2022-07-11"), a month ("mars 2025", "2019/09"), an academic year ("2023-2024", "2023/2024").
_DATES = [
    (3, re.compile(rf"\b(?:(?:{_WEEKDAYS})\s+)?(?:1er|\d{{1,2}})\s+(?:{_MONTHS})(?:\s+{_YEAR})?(?![\w-])", re.I)),
    (3, re.compile(rf"\b\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:{_YEAR}|\d\d)\b")),
    (3, re.compile(rf"\b{_YEAR}-\d\d-\d\d(?!\d)")),
    (2, re.compile(rf"\b(?:{_MONTHS})\s+{_YEAR}\b", re.I)),
    (2, re.compile(rf"\b{_YEAR}/(?:0?[1-9]|1[0-2])\b(?!/)")),
    (1, re.compile(rf"\b{_YEAR}\s*[-/–—]\s*{_YEAR}\b")),
    (0, re.compile(rf"\b{_YEAR}\b")),  # "Printemps 2025" (a year alone counts only on a period's line)
]
# A line that is nothing but a date without a year ("mardi 5 novembre", "5 novembre").
_BARE_DATE = re.compile(rf"^(?:(?:le|du)\s+)?(?:(?:{_WEEKDAYS})\s+)?(?:1er|\d{{1,2}})\s+(?:{_MONTHS})$", re.I)

def _best_date(value: str) -> tuple[int, str] | None:
    for rank, pattern in _DATES:
        if m := pattern.search(value):
            return rank, m.group(0)
    return None
