"""Quality rules over an extracted handout: are its quotations referenced properly?

Each rule is a function taking the handout (through a ``Context``) and returning ``Finding``
records; ``RULES`` gives every code its severity, what it means and how to fix it (the table in
docs/check.md is written from it, and a test keeps the two in step). The rules reuse what
extraction already read: the quotations' ``issues`` and their parsed ``reference`` — nothing is
re-parsed. ``pipeline.checks.check`` runs them all and, given the book, verifies every citation
against it (``pipeline.checks.verdicts``).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from functools import cached_property
from typing import Callable

from pipeline.checks.page_numbers import roman_value
from pipeline.checks.cited import BookReferences, Cited
from pipeline.checks.findings import finding_for_quote
from pipeline.checks.words import words
from pipeline.i18n import t, tn
from pipeline.models import Finding, Handout, Quote, Section, Span
from pipeline.rules import RULES

_SP = r"[ \t\u00a0\u202f\u2009]"

# -- the rules -------------------------------------------------------------------------------------

@dataclass
class Context:
    handout: Handout
    book_pages: int | None = None

    @cached_property
    def citations(self) -> list[tuple[Quote, Cited | None]]:
        return BookReferences(self.handout).citations()

    @cached_property
    def sections(self) -> dict[str, Section]:
        return {s.id: s for s in self.handout.sections}

    def finding(self, quote: Quote | None, code: str, message: str = "", hint: str | None = None, **extra) -> Finding:
        return finding_for_quote(self.handout, quote, code, None, message, hint, **extra)


_QUOTE_ISSUES = ("missing_reference", "malformed_reference", "missing_opening_mark", "missing_closing_mark",
                 "unbalanced_nesting", "no_quote_marks")


def quote_issues(ctx: Context) -> list[Finding]:
    """What extraction flagged on each quotation, with a message that says which one."""
    out = []
    for quote in ctx.handout.quotes:
        for code in quote.issues:
            if code not in _QUOTE_ISSUES:
                continue
            span = quote.reference.span if code == "malformed_reference" and quote.reference else None
            message = t(RULES[code].meaning)
            if code == "malformed_reference" and quote.reference:
                message = t("page reference ({reference}) cannot be read", reference=quote.reference.raw)
            out.append(ctx.finding(quote, code, message, span=span))
    return out


# "p. 64", "p.64", "p64", "pp. 12-14", "page 64": the page word and what follows it.
_STYLE = re.compile(rf"(?P<word>pp|p|pages?|pg)(?P<dot>\.?)(?P<space>{_SP}*)(?=[0-9ivxlc])", re.I)


def _style(raw: str) -> tuple[str, str] | None:
    """How a reference writes its page word: ("p.", " ") for "p. 64", ("p.", "") for "p.64"."""
    m = _STYLE.search(raw)
    if m is None:
        return None
    word = m.group("word").lower()
    return (word if word.startswith("pa") else word + m.group("dot")), (" " if m.group("space") else "")


def reference_style(ctx: Context) -> list[Finding]:
    """References written two ways in one handout. The way most references are written is the
    handout's convention (on a tie, the first one used); the others are flagged."""
    out = []
    refs = [(q, q.reference) for q in ctx.handout.quotes
            if q.reference is not None and q.reference.kind in ("page", "page_range", "page_list")]
    forms = [(q, ref, _style(ref.raw)) for q, ref in refs]
    forms = [(q, ref, (word.replace("pp.", "p."), space)) for q, ref, style in forms if style
             for word, space in [style]]
    out += _minority(ctx, forms, lambda f: f"{f[0]}{f[1]}12")
    # Ranges: "pp. 12-14" or "p. 12-14", whichever the handout mostly uses.
    ranges = [(q, ref, _style(ref.raw)[0]) for q, ref in refs if ref.kind == "page_range" and _style(ref.raw)]
    out += _minority(ctx, ranges, lambda f: f"{f} 12-14")
    return out


def _minority(ctx: Context, items: list, show: Callable) -> list[Finding]:
    counts: dict = {}
    for _, _, form in items:
        counts[form] = counts.get(form, 0) + 1
    if len(counts) < 2:
        return []
    order = {form: i for i, (_, _, form) in reversed(list(enumerate(items)))}
    usual = max(counts, key=lambda f: (counts[f], -order[f]))
    out = []
    for quote, ref, form in items:
        if form != usual:
            out.append(ctx.finding(
                quote, "inconsistent_reference_style",
                tn("({reference}) is in the style «{style}», the other reference is in the style «{usual}»",
                   "({reference}) is in the style «{style}», {n} other references are in the style «{usual}»",
                   counts[usual], reference=ref.raw, style=show(form), usual=show(usual)),
                t("Write it in the style «{usual}», as the rest of the handout does.", usual=show(usual)),
                span=ref.span))
    return out


# "Chapitre 2 (p. 40-80)", "Partie I — pp. 12 à 56": the pages a heading says its chapter covers.
_DECLARED = re.compile(rf"(?:pp?\.|pages?){_SP}*(?P<a>\d{{1,4}}){_SP}*(?:[-‐‑–—]|\bà\b|\ba\b){_SP}*(?P<b>\d{{1,4}})",
                       re.I)
# Citations a chapter needs besides the one judged, before its pages say where the chapter lies.
_MIN_OTHERS = 3


def _declared_range(section: Section) -> tuple[int, int] | None:
    m = _DECLARED.search(section.title)
    if m and int(m.group("a")) <= int(m.group("b")):
        return int(m.group("a")), int(m.group("b"))
    return None


@dataclass
class _Chapter:
    section: Section
    items: list[tuple[Quote, Cited]]
    declared: tuple[int, int] | None

    @property
    def pages(self) -> list[int]:
        return [c.first for _, c in self.items]


def _chapters(ctx: Context) -> list[_Chapter]:
    """Citations with a page, grouped by the chapter (or part) of the book they sit under."""
    kinds = {_book_level(s) for s in ctx.handout.sections}
    level_kind = "chapter" if "chapter" in kinds else "part" if "part" in kinds else None
    groups: dict[str, _Chapter] = {}
    for quote, cited in ctx.citations:
        if cited is None or cited.first is None:
            continue
        section_id = quote.section_id
        chapter = None
        while section_id is not None:
            section = ctx.sections[section_id]
            if (level_kind is not None and _book_level(section) == level_kind) or _declared_range(section):
                chapter = section
                break
            section_id = section.parent_id
        if chapter is None:
            continue
        group = groups.setdefault(chapter.id, _Chapter(chapter, [], _declared_range(chapter)))
        group.items.append((quote, cited))
    return sorted(groups.values(), key=lambda g: g.section.span.start)


# "## Chapitre 2 : …" in Markdown is a chapter of the book as much as a plain "Chapitre 2".
_CHAPTER_TITLE = re.compile(r"^(?:chapitre|chap\.?)\s*(?:\d+|[IVXLC]+\b|premier)", re.I)
_PART_TITLE = re.compile(r"^(?:partie|livre)\s*(?:\d+|[IVXLC]+\b)"
                         r"|^(?:premi[eè]re|deuxi[eè]me|seconde|troisi[eè]me)\s+partie", re.I)


def _book_level(section: Section) -> str | None:
    """"chapter" or "part" when the heading names one of the book's chapters or parts."""
    if section.kind == "chapter" or _CHAPTER_TITLE.match(section.title):
        return "chapter"
    if section.kind == "part" or _PART_TITLE.match(section.title):
        return "part"
    return None


def _typo_fixes(page: int, lo: int, hi: int) -> list[int]:
    """Page numbers one keystroke away from ``page`` (a digit dropped, doubled, swapped or changed)
    that fall in ``[lo, hi]``."""
    s = str(page)
    options = {s[:i] + s[i + 1:] for i in range(len(s))}
    options |= {s[:i] + s[i + 1] + s[i] + s[i + 2:] for i in range(len(s) - 1)}
    options |= {s[:i] + d + s[i + 1:] for i in range(len(s)) for d in "0123456789"}
    options |= {s[:i] + d + s[i:] for i in range(len(s) + 1) for d in "0123456789"}
    return sorted(int(o) for o in options if o and o[0] != "0" and lo <= int(o) <= hi and int(o) != page)


def page_outside_chapter(ctx: Context) -> list[Finding]:
    """A page far from the other pages of its chapter.

    A range declared in the heading is taken at its word. Without one, the chapter's other
    citations say where it lies, and only a clear outlier is flagged: the chapter needs three other
    citations, the page must lie farther from their range than the range is wide (20 pages at
    least), and on the far side of a neighbouring chapter's pages too, so a chapter that ranges
    widely or quotes the book's introduction once is left alone.
    """
    out = []
    chapters = _chapters(ctx)
    for k, chapter in enumerate(chapters):
        title = chapter.section.title
        for quote, cited in chapter.items:
            if chapter.declared:
                lo, hi = chapter.declared
                outside = [p for p in sorted(cited.covers()) if not lo <= p <= hi]
                if outside and not cited.via_ibid:
                    out.append(ctx.finding(
                        quote, "page_outside_chapter",
                        t("p. {page} is outside pp. {first}-{last}, the pages the heading «{title}» gives",
                          page=outside[0], first=lo, last=hi, title=title),
                        _fix_hint(outside[0], lo, hi), span=_ref_span(quote)))
                continue
            others = [p for q, c in chapter.items if q is not quote for p in [c.first]]
            if len(others) < _MIN_OTHERS or cited.via_ibid:
                continue
            page = cited.first
            lo, hi = min(others), max(others)
            margin = max(20, hi - lo)
            if lo - margin <= page <= hi + margin:
                continue
            before = chapters[k - 1].pages if k else None
            after = chapters[k + 1].pages if k + 1 < len(chapters) else None
            if page > hi:
                clear = page > statistics.median(after) if after else page > hi + 2 * margin
            else:
                clear = page < statistics.median(before) if before else page < lo - 2 * margin
            if clear:
                out.append(ctx.finding(
                    quote, "page_outside_chapter",
                    t("p. {page} is far from the pages cited elsewhere under «{title}» ({first}-{last})",
                      page=page, first=lo, last=hi, title=title),
                    _fix_hint(page, lo, hi), span=_ref_span(quote)))
    return out


def _ref_span(quote: Quote) -> Span:
    return quote.reference.span if quote.reference is not None else quote.outer_span


def _fix_hint(page: int, lo: int, hi: int) -> str:
    fixes = _typo_fixes(page, lo, hi)
    if 0 < len(fixes) <= 3:
        return t("Check the page number: did you mean {pages}?",
                 pages=t(" or ").join(f"p. {f}" for f in fixes))
    return t(RULES["page_outside_chapter"].fix)


def _chapter_number(section: Section) -> int | None:
    number = (section.number or "").strip().lower()
    if number.isdigit():
        return int(number)
    if number and re.fullmatch(r"[ivxlc]+", number):
        return roman_value(number)
    return None


def pages_backwards(ctx: Context) -> list[Finding]:
    """A chapter whose pages all come before the pages of the chapter above it, when the chapters
    are in the book's order (a handout may discuss chapter 5 before chapter 3 on purpose)."""
    out = []
    chapters = [c for c in _chapters(ctx) if c.pages]
    for prev, cur in zip(chapters, chapters[1:]):
        a, b = _chapter_number(prev.section), _chapter_number(cur.section)
        if a is not None and b is not None and b < a:
            continue
        lo_prev = prev.declared[0] if prev.declared else _core_range(prev.pages)[0]
        hi_cur = cur.declared[1] if cur.declared else _core_range(cur.pages)[1]
        if hi_cur < lo_prev:
            quote, cited = cur.items[0]
            out.append(ctx.finding(
                quote, "pages_backwards",
                t("the pages cited under «{title}» (up to p. {last}) all come before those under "
                  "«{previous}» (from p. {first})", title=cur.section.title, last=hi_cur,
                  previous=prev.section.title, first=lo_prev), span=_ref_span(quote)))
    return out


def _core_range(pages: list[int]) -> tuple[int, int]:
    """The range of a chapter's pages without a lone far-off page (which page_outside_chapter reports)."""
    if len(pages) < _MIN_OTHERS + 1:
        return min(pages), max(pages)
    core = sorted(pages)
    median = statistics.median(core)
    spread = max(20, statistics.median(abs(p - median) for p in core) * 4)
    kept = [p for p in core if abs(p - median) <= spread] or core
    return min(kept), max(kept)


def same_quote_different_pages(ctx: Context) -> list[Finding]:
    """One quotation (or one inside a longer one) cited twice with pages that do not overlap."""
    out = []
    seen: list[tuple[Quote, Cited, str]] = []
    for quote, cited in ctx.citations:
        if cited is None or not cited.pages:
            continue
        norms = words(quote.text).norms
        if len(norms) < 6:
            continue
        key = " " + " ".join(norms) + " "
        for other, other_cited, other_key in seen:
            if (key in other_key or other_key in key) and not (cited.covers() & other_cited.covers()):
                line = ctx.handout.text.count("\n", 0, other.outer_span.start) + 1
                out.append(ctx.finding(
                    quote, "same_quote_different_pages",
                    t("the same quotation as {other} (line {line}) is cited ({reference}) here but "
                      "({other_reference}) there", other=other.id, line=line, reference=cited.raw,
                      other_reference=other_cited.raw), span=_ref_span(quote)))
                break
        seen.append((quote, cited, key))
    return out


def ibid_without_antecedent(ctx: Context) -> list[Finding]:
    out = []
    seen_reference = False
    for quote in ctx.handout.quotes:
        ref = quote.reference
        if ref is None:
            continue
        if ref.back_reference is not None and not seen_reference:
            name = {"ibid": "ibid.", "id": "id.", "op_cit": "op. cit."}[ref.back_reference]
            out.append(ctx.finding(quote, "ibid_without_antecedent",
                                   t("({reference}): {name} with no earlier reference to refer to",
                                     reference=ref.raw, name=name), span=ref.span))
            continue
        seen_reference = True
    return out


def page_beyond_book(ctx: Context) -> list[Finding]:
    if not ctx.book_pages:
        return []
    out = []
    for quote, cited in ctx.citations:
        if cited is None or cited.via_ibid:
            continue
        beyond = [p for p in cited.pages if p > ctx.book_pages]
        if beyond:
            out.append(ctx.finding(quote, "page_beyond_book",
                                   t("p. {page} is beyond the book's last page ({last})", page=beyond[0],
                                     last=ctx.book_pages),
                                   span=_ref_span(quote)))
    return out


_PAREN_CUT = re.compile(r"\(\s*(?:\.{3}|…)\s*\)")
_BRACKETED = re.compile(r"\[[^\[\]\n]{0,80}\]|\(\s*(?:\.{3}|…)\s*\)")
ELLIPSIS = re.compile(r"\.{3,}|…")
_SIC = re.compile(rf"[\[(]{_SP}*sic{_SP}*!?{_SP}*[\])]", re.I)


def quotation_typography(ctx: Context) -> list[Finding]:
    """Cuts written ``(...)`` or ``...`` where French scholarly quotation writes ``[...]``; ``[sic]``."""
    out = []
    for quote in ctx.handout.quotes:
        if quote.kind == "term":
            continue
        text, base = quote.text, quote.span.start
        for m in _PAREN_CUT.finditer(text):
            out.append(ctx.finding(quote, "cut_in_parentheses",
                                   t("cut written {cut} instead of [...]", cut=m.group()),
                                   span=Span(start=base + m.start(), end=base + m.end())))
        bracketed = [(m.start(), m.end()) for m in _BRACKETED.finditer(text)]
        for m in ELLIPSIS.finditer(text):
            if any(a <= m.start() < b for a, b in bracketed):
                continue
            out.append(ctx.finding(quote, "bare_ellipsis",
                                   t("{ellipsis} without brackets in a quotation", ellipsis=m.group()),
                                   span=Span(start=base + m.start(), end=base + m.end())))
        for m in _SIC.finditer(text):
            out.append(ctx.finding(quote, "sic",
                                   t("{sic}: the quotation keeps an error of the original", sic=m.group()),
                                   span=Span(start=base + m.start(), end=base + m.end())))
    return out


CHECKS: tuple[Callable[[Context], list[Finding]], ...] = (
    quote_issues, reference_style, page_outside_chapter, pages_backwards, same_quote_different_pages,
    ibid_without_antecedent, page_beyond_book, quotation_typography,
)
