"""Which pages of the book each citation of a handout cites, ``ibid.`` resolved.

What both the rules (``pipeline.checks.handout``) and the verification against the book
(``pipeline.checks.verdicts``) read of a handout's references.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.checks.page_numbers import ROMAN, roman_value
from pipeline.checks.locators import Place, read_place
from pipeline.models import Handout, Quote
from pipeline.text import fold


@dataclass(frozen=True)
class Cited:
    """The pages of the book a citation cites, ``ibid.`` resolved to the reference it repeats."""

    raw: str  # the reference as written
    kind: str
    pages: list[int]
    labels: list[str] = field(default_factory=list)  # roman numerals and other non-numeric pages
    following: bool = False
    via_ibid: bool = False
    volume: int | None = None  # the volume (tome) named: "t. II", "vol. 2", "II, p. 45"
    place: Place | None = None  # the line, verse or section cited: "v. 23", "l. 12-15", "§ 12"

    @property
    def first(self) -> int | None:
        return self.pages[0] if self.pages else None

    def covers(self) -> set[int]:
        """Every page number the reference covers: both ends of a range and what lies between."""
        if self.kind == "page_range" and len(self.pages) == 2:
            return set(range(self.pages[0], self.pages[1] + 1))
        return set(self.pages)


_NUMERIC_LABEL = re.compile(r"\d+(?:\s*[-‐‑–—]\s*\d+)?")
# "(II, p. 45)": a bare upper-case numeral before the page is the volume, as editions of collected
# works cite (the reference grammar reads a volume only after "t.", "tome", "vol.").
_BARE_VOLUME = re.compile(r"^\s*(?P<n>[IVX]{1,5})\s*,\s*(?:pp?\.|pages?)", re.I)


def volume_number(ref_volume: str | None, raw: str | None) -> int | None:
    """The volume a reference names, as a number: "II" -> 2, "2" -> 2; None when it names none."""
    if ref_volume is None and raw and (m := _BARE_VOLUME.match(raw)) and m.group("n").isupper():
        ref_volume = m.group("n")
    if not ref_volume:
        return None
    if ref_volume.isdigit():
        return int(ref_volume)
    return roman_value(ref_volume) if ROMAN.match(ref_volume) else None


class BookReferences:
    """Walks a handout's citations in order and says which pages of *the book* each one cites.

    References naming another author ("(Loyer 1999: 9-10)", "(Burawoy, op. cit., p. 3)") cite
    another work, and so does an ``ibid.`` right after one: those citations are left out, since
    the book says nothing about them. A citation without a usable reference comes with ``None``.
    """

    def __init__(self, handout: Handout):
        self.handout = handout
        self.authors = {fold(a.split()[-1]) for a in handout.metadata.book.authors if a.split()}

    def _other_work(self, author: str | None) -> bool:
        if not author:
            return False
        folded = fold(author)
        return not any(name in folded for name in self.authors)

    def citations(self) -> list[tuple[Quote, Cited | None]]:
        out: list[tuple[Quote, Cited | None]] = []
        last: Cited | None | bool = None  # False: the last reference was to another work
        for quote in self.handout.quotes:
            ref = quote.reference
            if ref is None:
                if quote.kind in ("citation", "excerpt"):
                    out.append((quote, None))
                continue
            if self._other_work(ref.author):
                last = False
                continue
            if ref.back_reference in ("ibid", "id"):
                if last is False:
                    continue  # ibid. repeats a reference to another work
                if not ref.pages and not ref.page_labels:
                    cited = Cited(ref.raw, last.kind, last.pages, last.labels, last.following, True,
                                  volume_number(ref.volume, ref.raw) or last.volume,
                                  read_place(ref.raw) or last.place) \
                        if isinstance(last, Cited) else None
                    out.append((quote, cited))
                    continue
            if ref.kind == "malformed":
                out.append((quote, None))
                continue
            labels = [label for label in ref.page_labels if not _NUMERIC_LABEL.fullmatch(label)]
            cited = Cited(ref.raw, ref.kind, list(ref.pages), labels, ref.following,
                          volume=volume_number(ref.volume, ref.raw), place=read_place(ref.raw))
            out.append((quote, cited))
            last = cited
        return out
