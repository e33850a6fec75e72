"""What the book says of each citation: ``verified``, ``wrong_page``, ``altered`` or ``not_found``,
with the page the book prints it on, the words that differ and a hint in the handout's own style."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from pipeline.checks.align import MIN_WORDS, Locator, Match, pieces
from pipeline.checks.book import SourcePage, SourceText
from pipeline.checks.page_numbers import ROMAN, roman_value, to_roman
from pipeline.checks.cited import Cited
from pipeline.checks.locators import PlaceFound, check_place
from pipeline.i18n import t
from pipeline.rules import RULES
from pipeline.models import Handout, Quote, Severity, Span, Verdict, WordChange


@dataclass
class Verification:
    """What the book says of one citation: the verdict, in words, and the details of the match
    (``Finding`` fields: cited_pages, source_page, source_pages, source_index, source_span,
    source_excerpt, score, diff)."""

    quote: Quote
    verdict: Verdict | None  # None: found in a source whose pages are unknown (code found_page_unknown)
    severity: Severity
    message: str
    hint: str
    details: dict = field(default_factory=dict)
    # Where the words were found ("on p. 45", "in volume 2 on p. 45"), the pages alone ("p. 45") and
    # the words changed, in the language in force: what a book in volumes says its findings with.
    where: str = ""
    pages: str = ""
    changed: str = ""
    wrong_place: bool = False  # wrong_page for the line, verse or section cited (its hint names that)


def verify_quotes(handout: Handout, source: SourceText, citations: list[tuple[Quote, Cited | None]], *,
                  volume: int | None = None) -> list[Verification]:
    """Each of ``citations`` (a quotation of ``handout`` and the book pages it cites, as
    ``pipeline.checks.cited.BookReferences`` gives them) looked for in ``source``, volume ``volume``
    of the book when it has several (the messages then name it). Quotations under five words are not
    checked: too short to place in a book."""
    locator = Locator(source)
    out = []
    for quote, cited in citations:
        if quote.kind == "term":
            continue
        parts = pieces(quote.text, quote.span.start)
        if sum(len(p.words) for p in parts) < MIN_WORDS:
            continue
        labels = _cited_labels(cited)
        match = locator.locate(parts, prefer=labels | _place_pages(cited, source))
        out.append(_verdict(handout, quote, cited, labels, match, source, volume))
    return _offset_hint(out, source)


def _offset_hint(results: list[Verification], source: SourceText) -> list[Verification]:
    """Pages numbered by their index in the file (no printed numbers, no PDF labels) are off by the
    same amount for every citation when the offset is wrong: say so, with the offset to pass."""
    if source.numbering != "index":
        return results

    def shift(v: Verification) -> int | None:
        cited, found = v.details.get("cited_pages"), v.details.get("source_page")
        return cited[0] - int(found) if cited and found and found.isdigit() else None

    shifts = Counter(s for v in results if (s := shift(v)) is not None)
    if not shifts:
        return results
    common, n = shifts.most_common(1)[0]
    if common == 0 or n < 3 or n < 0.5 * sum(shifts.values()):
        return results
    fields = dict(n=n, shift=abs(common), offset=source.page_offset + common)
    if common > 0:
        hint = t("{n} citations are all {shift} pages after where the source prints them: its PDF page numbers "
                 "are not the book's. Pass --page-offset {offset}.", **fields)
    else:
        hint = t("{n} citations are all {shift} pages before where the source prints them: its PDF page numbers "
                 "are not the book's. Pass --page-offset {offset}.", **fields)
    for v in results:
        if v.verdict == "wrong_page" and shift(v) == common:
            v.hint = hint
    return results


def _cited_labels(cited: Cited | None) -> set[str]:
    """Printed labels of every page the reference covers: "12-14" -> 12, 13, 14; "p. 45 sq." -> 45 to 48."""
    if cited is None:
        return set()
    labels: set[str] = set()
    pages = cited.pages
    if len(pages) == 2 and cited.kind == "page_range":
        labels |= {str(n) for n in range(pages[0], pages[1] + 1)}
    else:
        labels |= {str(n) for n in pages}
    if cited.following and pages:
        labels |= {str(n) for n in range(pages[-1], pages[-1] + 4)}
    for label in cited.labels:
        parts = re.split(r"\s*[-‐‑–—]\s*", label.lower())
        if all(ROMAN.match(p) for p in parts if p):
            values = [roman_value(p) for p in parts if p]
            labels |= {to_roman(v) for v in range(values[0], values[-1] + 1)}
    return labels


def _place_pages(cited: Cited | None, source: SourceText) -> set[str]:
    """The pages the line, verse or section cited stands on, where the book numbers them: a passage
    printed twice is taken there, as one cited by page is taken on its page."""
    if cited is None or cited.place is None:
        return set()
    labels = set()
    for start, end in source.numbers.of(cited.place.kind).spans(cited.place.first, cited.place.last)[:50]:
        # A section may run over several pages: every one of them.
        first, last = source.page_at(start).index, source.page_at(max(start, end - 1)).index
        labels |= {page.label.lower() for page in source.pages[first - 1:last] if page.label is not None}
    return labels


def _pages_text(labels: list[str]) -> str:
    return f"p. {labels[0]}" if len(labels) == 1 else f"pp. {labels[0]}-{labels[-1]}"


def _on(pages: str, volume: int | None) -> str:
    """Where in the book: "on p. 45", "in volume 2 on p. 45"."""
    if volume is None:
        return t("on {pages}", pages=pages)
    return t("in volume {volume} on {pages}", volume=volume, pages=pages)


def _verdict(handout: Handout, quote: Quote, cited: Cited | None, labels: set[str], match: Match | None,
             source: SourceText, volume: int | None = None) -> Verification:
    cited_pages = cited.pages if cited is not None else []
    if match is None or not match.found:
        score = match.score if match is not None else 0.0
        details = {"cited_pages": cited_pages, "score": score}
        if labels:
            return Verification(quote, "not_found", "error",
                                t("not found in the source (cited {cited}; best match {score}%)",
                                  cited=cited.raw, score=f"{score:.0f}"),
                                t("Check the quotation against the book: it may be misquoted, or come from "
                                  "another work (then name that work in the reference)."), details)
        return Verification(quote, "not_found", "info",
                            t("not found in the source (best match {score}%)", score=f"{score:.0f}"),
                            t("If it quotes another work, name that work in the reference."), details)
    src = source.index.words
    start_char, end_char = src.starts[match.start], src.ends[match.end - 1]
    first = source.page_at(start_char)
    spanned = source.pages_over(start_char, end_char)
    found_labels = [p.label for p in spanned if p.label is not None]
    excerpt = source.text[start_char:end_char]
    if len(excerpt) > 400:
        excerpt = excerpt[:400].rstrip() + " …"
    diff = [WordChange(quoted=handout.text[q[0]:q[1]] if q else "", source=source.text[s[0]:s[1]] if s else "",
                       span=Span(start=q[0], end=q[1]) if q else None)
            for q, s in match.changes]
    details = dict(cited_pages=cited_pages, source_page=first.label, source_pages=found_labels,
                   source_index=first.index, source_span=Span(start=start_char, end=end_char),
                   source_excerpt=" ".join(excerpt.split()), score=match.score, diff=diff)
    pages = _pages_text(found_labels) if found_labels else t("page {index} of the file", index=first.index)
    changed = t("; ").join(_change_text(c) for c in diff[:4]) + (" …" if len(diff) > 4 else "")
    result = _verdict_found(quote, cited, labels, source, first, found_labels, _on(pages, volume), pages,
                            changed, volume, details)
    result.where, result.pages, result.changed = _on(pages, volume), pages, changed
    if match.ocr:
        # Say what was read past as OCR noise, so a user can tell a scan's defect from a misquotation.
        noise = t("; ").join(t("«{source}» for «{quoted}»", source=_short(source.text[s[0]:s[1]]),
                               quoted=_short(handout.text[q[0]:q[1]]))
                             for q, s in match.ocr[:3]) + (" …" if len(match.ocr) > 3 else "")
        result.message = t("{message} (with OCR tolerance: {noise})", message=result.message, noise=noise)
    return result


def _verdict_found(quote: Quote, cited: Cited | None, labels: set[str], source: SourceText, first: SourcePage,
                   found_labels: list[str], where: str, pages: str, changed: str, volume: int | None,
                   details: dict) -> Verification:
    page_known = source.numbering != "none" and bool(found_labels)
    span = details["source_span"]
    located = check_place(cited.place if cited is not None else None, source.numbers, span.start, span.end)
    if labels and page_known and not any(label.lower() in labels for label in found_labels):
        wrong_place = located is not None and located.checked and not located.right
        fix = _rewrite_pages(located.rewrite(cited.raw) if wrong_place else cited.raw, found_labels)
        message = t("found {where} at {place}, not on the page cited ({cited})", where=where, place=located.found,
                    cited=cited.raw) if wrong_place else \
            t("found {where}, not on the page cited ({cited})", where=where, cited=cited.raw)
        if changed:
            message = t("{message}, and with changed words: {changed}", message=message, changed=changed)
        return Verification(quote, "wrong_page", "error", message, t("Cite {pages}.", pages=fix or pages), details)
    if located is not None and located.checked:
        by_place = _place_verdict(quote, cited, located, where if page_known else None, bool(labels), changed,
                                  details)
        if by_place is not None:
            return by_place
    if not page_known:
        # A text without form feeds or [[PAGE N]] lines (or a page printing no number): where the
        # words are is known, on which page of the book is not. Never "as cited" for a page it
        # cannot know (issue 15).
        where = t("in the source, whose pages are unknown") if source.numbering == "none" else \
            t("{where}, which prints no page number",
              where=_on(t("page {index} of the file", index=first.index), volume))
        asked = t("the page cited ({cited}) is not checked", cited=cited.raw) if labels else \
            t("the handout gives no page")
        if changed:
            return Verification(quote, "altered", "warning",
                                t("found {where} ({why}), with changed words: {changed}", where=where, why=asked,
                                  changed=changed), t(RULES["altered"].fix), details)
        return Verification(quote, None, "info", t("found {where} ({why})", where=where, why=asked),
                            t(RULES["found_page_unknown"].fix), details)
    if changed:
        return Verification(quote, "altered", "warning",
                            t("found {where} with changed words: {changed}", where=where, changed=changed),
                            t(RULES["altered"].fix), details)
    if not labels and cited is not None and cited.kind == "location":
        # A play, a poem, a treatise cited by line, verse or section ("l. 12-15", "v. 23", "§ 12"): the
        # source's text has no such numbers tdx reads, so the words alone are checked, and said so.
        return Verification(quote, "verified", "info",
                            t("found {where} (the reference ({cited}) cites a line, verse or section, not "
                              "checked: the words alone were)", where=where, cited=cited.raw),
                            t("Nothing to do."), details)
    if not labels:
        why = t("the handout gives no page") if cited is None else \
            t("the reference ({cited}) gives no page", cited=cited.raw)
        return Verification(quote, "verified", "info", t("found {where} ({why})", where=where, why=why),
                            t("Add the page: ({pages}).", pages=pages), details)
    return Verification(quote, "verified", "info", t("found {where}, as cited", where=where), t("Nothing to do."),
                        details)


def _place_verdict(quote: Quote, cited: Cited, located: PlaceFound, where: str | None, paged: bool,
                   changed: str, details: dict) -> Verification | None:
    """The verdict of a citation by line, verse or section where the book numbers them (issue 18):
    found at the place cited, or elsewhere (``wrong_page``, the hint giving the place to cite).
    None when a page is cited too and found right: the page decides the rest."""
    found = t("found {where} at {place}", where=where, place=located.found) if where else \
        t("found at {place}", place=located.found)
    if not located.right:
        # A message per kind of place, for the languages whose words agree with it.
        if located.place.kind == "verse":
            message = t("{found}, not at the verse cited ({cited})", found=found, cited=cited.raw)
        elif located.place.kind == "line":
            message = t("{found}, not at the line cited ({cited})", found=found, cited=cited.raw)
        else:
            message = t("{found}, not at the section cited ({cited})", found=found, cited=cited.raw)
        if changed:
            message = t("{message}, and with changed words: {changed}", message=message, changed=changed)
        return Verification(quote, "wrong_page", "error", message,
                            t("Cite {pages}.", pages=f"({located.rewrite(cited.raw)})"), details, wrong_place=True)
    if paged:
        return None
    if changed:
        return Verification(quote, "altered", "warning", t("{found} with changed words: {changed}", found=found,
                                                           changed=changed), t(RULES["altered"].fix), details)
    return Verification(quote, "verified", "info", t("{found}, as cited", found=found), t("Nothing to do."), details)


def _change_text(change: WordChange) -> str:
    if not change.source:
        return t("«{quoted}» is not in the book", quoted=_short(change.quoted))
    if not change.quoted:
        return t("«{source}» left out without [...]", source=_short(change.source))
    return t("«{quoted}» instead of «{source}»", quoted=_short(change.quoted), source=_short(change.source))


def _short(words: str, limit: int = 60) -> str:
    words = " ".join(words.split())
    return words if len(words) <= limit else words[:limit].rstrip() + "…"


def _rewrite_pages(raw: str | None, found: list[str]) -> str | None:
    """The handout's own reference with the right page, in its own style: "p.64" -> "p.66"."""
    if not raw:
        return None
    target = found[0] if len(found) == 1 else f"{found[0]}-{found[-1]}"
    m = re.search(r"(?P<word>pp?\.?|pages?)(?P<space>[ \t\u00a0\u202f]*)"
                  r"(?P<pages>[0-9ivxlc]+(?:\s*[-–]\s*[0-9ivxlc]+)?)", raw, re.I)
    if m is None:
        return None
    word = m.group("word")
    if len(found) > 1 and word.lower() == "p.":
        word = "pp."
    elif len(found) == 1 and word.lower() == "pp.":
        word = "p."
    return f"({raw[:m.start()]}{word}{m.group('space')}{target}{raw[m.end():]})"
