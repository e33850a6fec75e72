"""Page references of quotations: finding them next to a quote and parsing what they say.

Handouts write references in every style: ``(p. 9)``, ``(p.64)``, ``(pp. 12-14)``, ``(p. 12–14)``,
``(p. 45 sq.)``, ``[p. 88]``, a bare ``p. 12``, ``(ibid., p. 50)``, ``(op. cit., p. 77)``,
``(chap. 3)``, ``(Introduction)``, author-date ``(Loyer 1999: 9-10)`` and note tags ``[tag, p32]``.
``parse_reference`` says whether a bracketed text is a reference at all: ``(gig economy)`` after a
quotation is a gloss, not a reference, and must not be taken for one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.models import Reference, Span

_SP = r"[ \t\u00a0\u202f\u2009]"
_DASH = r"[-‐‑–—]"
# A page number, or a roman numeral for front matter pages (p. xii).
_PAGE = r"(?:\d{1,5}|[ivxlc]{1,7})"
_FOLLOWING = rf"(?:sq{{1,2}}\.?|ss\.?|s\.|et{_SP}+suiv(?:\.|antes)?|suiv\.?|ff?\.)"
# "p.", "pp.", "p 12", "p107", "page", "pages"; never the first letter of a word: without this
# guard "(Pessoa)" or "(politique)" read as "p" + a malformed page and "(pic)" as page "ic".
_PAGE_WORD = r"(?:(?:pp?|pages?|pg)(?:\.|(?![^\W\d_])))"

# One item of a page locator: "12", "12-14", "112–14", "xii".
_ITEM = re.compile(rf"({_PAGE})(?:{_SP}*{_DASH}{_SP}*({_PAGE}))?", re.I)
# What follows the page word: page numbers, ranges and list separators, with the page word possibly
# repeated ("p. 9 ; p. 12"). A flat character class, checked item by item in _parse_locator: nested
# optional groups here backtrack exponentially on a long list that fails at its end.
_LOCATOR = re.compile(
    rf"{_PAGE_WORD}{_SP}*(?P<body>\w[\w \t\u00a0\u202f\u2009.,;&‐‑–—-]*?)?{_SP}*\.?$", re.I)
_FOLLOWING_END = re.compile(rf"{_SP}*{_FOLLOWING}{_SP}*$", re.I)
# "(p. 9, note 3)", "(p. 9 n. 3)": a footnote on the cited page; the page is what gets parsed.
_NOTE_END = re.compile(rf"{_SP}*[,;]?{_SP}*(?:notes?|n\.){_SP}*\d{{1,3}}{_SP}*\.?$", re.I)
_PART_PAGE_WORD = re.compile(rf"^{_PAGE_WORD}{_SP}*", re.I)
_BACK = re.compile(rf"^(?:(?P<author>[^,;()]{{2,60}}?),{_SP}*)?"
                   rf"(?P<back>ibid(?:em)?|id(?:em)?|op\.?{_SP}*cit|art\.?{_SP}*cit|loc\.?{_SP}*cit)\b\.?"
                   rf"(?:{_SP}*[,;:]?{_SP}*(?P<rest>.*))?$", re.I)
_AUTHOR_YEAR = re.compile(
    rf"^(?P<author>[A-ZÀ-Ý][^\d()\[\];:]{{1,60}}?),?{_SP}+(?P<year>1[5-9]\d\d|20\d\d)[a-z]?"
    rf"(?:{_SP}*[:,]{_SP}*(?P<rest>.+))?$")
_CHAPTER = re.compile(rf"^(?:chap(?:itre|\.)?|ch\.){_SP}*(?P<n>\d{{1,3}}|[IVXLC]{{1,6}})\b\.?"
                      rf"(?:{_SP}*[,;]{_SP}*(?P<rest>.+))?$", re.I)
# Book parts that a quotation can be located in instead of a page.
_LOCATION = re.compile(
    r"^(?:introduction(?:\s+g[ée]n[ée]rale)?|conclusion(?:\s+g[ée]n[ée]rale)?|pr[ée]face|avant-propos|"
    r"postface|[ée]pilogue|prologue|annexes?|glossaire|bibliographie|pr[ée]ambule|liminaire|"
    r"(?:4e|4ème|quatrième)\s+de\s+couverture|"
    # A numbered part only: "(livre blanc)" or "(section syndicale)" after a quotation are glosses.
    r"(?:partie|livre|tome|section|volume|vol\.)\s+(?:\d{1,3}|[IVXLC]{1,6}\b|premi(?:er|ère)|seconde?|\w+i[èe]me)|"
    r"(?:première|deuxième|seconde|troisième|quatrième|dernière)\s+partie)\.?"
    rf"(?:{_SP}*[,;]{_SP}*(?P<rest>.+))?$",
    re.I,
)
# Readers' note tags, possibly several: "[non-mixité, p107]", "[capitalisme, engagement, p51]": the
# page starts at the first comma followed by a page word ("positivisme" is not one: see _PAGE_WORD).
_TAG = re.compile(rf"^(?P<tag>[^;:()\[\]]{{1,80}}?),{_SP}*(?P<rest>{_PAGE_WORD}{_SP}*\S.*)$", re.I)
# A well-formed roman numeral up to 399: "xii" and "cix" are front-matter pages, "civil" is a word.
_ROMAN = re.compile(r"^(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$", re.I)


@dataclass(frozen=True, slots=True)
class _Pages:
    pages: list[int]
    labels: list[str]
    kind: str  # page | page_range | page_list | malformed | none (not a page at all)
    following: bool


def _roman_value(numeral: str) -> int:
    values = [{"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}[ch] for ch in numeral.lower()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _is_words(part: str) -> bool:
    """True when ``part`` holds no page at all: no digit and no roman numeral (or roman range)."""
    if re.search(r"\d", part):
        return False
    m = _ITEM.fullmatch(part)
    return not (m and _ROMAN.match(m.group(1)) and (not m.group(2) or _ROMAN.match(m.group(2))))


def _parse_locator(body: str | None, follow: str | None) -> _Pages:
    """Parse what follows ``p.``; anything that is not a clean list of pages is ``malformed``."""
    following = bool(follow)
    if not body or not body.strip():
        return _Pages([], [], "malformed", following)
    parts = [_PART_PAGE_WORD.sub("", p).strip()
             for p in re.split(rf"{_SP}*(?:,|;|&|\bet\b){_SP}*", body.strip())]
    parts = [p for p in parts if p]
    if parts and all(_is_words(p) for p in parts):
        # Only words after "p.": "(p. ex.)" is "par exemple", a gloss, not a broken page number.
        return _Pages([], [], "none", following)
    pages: list[int] = []
    labels: list[str] = []
    ranges = 0
    for part in parts:
        m = _ITEM.fullmatch(part.strip())
        if not m or (not m.group(1).isdigit() and not _ROMAN.match(m.group(1))):
            # "12-" (open range), "12a", "4O": letters or a dangling dash in a page number.
            return _Pages(pages, labels + [part.strip()], "malformed", following)
        first, last = m.group(1), m.group(2)
        labels.append(m.group(0))
        if _ROMAN.match(first):
            # Front matter: "xii", "xii-xv" are labels without page numbers; "xii-15" is broken.
            if last and (not _ROMAN.match(last) or _roman_value(last) < _roman_value(first)):
                return _Pages(pages, labels, "malformed", following)
            ranges += bool(last)
            continue
        if last and not last.isdigit():
            return _Pages(pages, labels, "malformed", following)
        a = int(first)
        if a == 0:
            return _Pages(pages, labels, "malformed", following)
        pages.append(a)
        if last:
            b = int(last)
            # "112-14" is the French abbreviation of 112-114: borrow the missing leading digits.
            if b < a and len(last) < len(first):
                b = int(first[: len(first) - len(last)] + last)
            if b < a:
                return _Pages(pages, labels, "malformed", following)
            pages.append(b)
            ranges += 1
    if ranges and len(parts) == 1:
        kind = "page_range"
    elif len(parts) > 1:
        kind = "page_list"
    else:
        kind = "page"
    return _Pages(pages, labels, kind, following)


def parse_reference(raw: str, start: int, *, position: str = "after") -> Reference | None:
    """Parse the text of a reference (without its brackets) found at offset ``start``.

    Returns ``None`` when the text is not a reference (a gloss such as ``(gig economy)``).
    """
    content = raw.strip()
    if not content or len(content) > 120:
        return None
    fields: dict = {"raw": raw, "span": Span(start=start, end=start + len(raw)), "position": position}
    rest: str | None = content

    if m := _BACK.match(content):
        back = m.group("back").lower().replace(" ", "").replace("\u00a0", "")
        fields["back_reference"] = ("ibid" if back.startswith("ibid") else
                                    "id" if back.startswith("id") else "op_cit")
        if m.group("author"):
            fields["author"] = m.group("author").strip()
        rest = (m.group("rest") or "").strip(" .") or None
        if rest is None:
            return Reference(kind="ibid", **fields)
    elif m := _CHAPTER.match(content):
        fields["location"] = content if not m.group("rest") else content[: m.start("rest")].rstrip(" ,;")
        rest = m.group("rest")
        if rest is None:
            return Reference(kind="chapter", **fields)
    elif m := _LOCATION.match(content):
        fields["location"] = content if not m.group("rest") else content[: m.start("rest")].rstrip(" ,;")
        rest = m.group("rest")
        if rest is None:
            return Reference(kind="location", **fields)
    elif m := _AUTHOR_YEAR.match(content):
        fields["author"], fields["year"] = m.group("author").strip(), int(m.group("year"))
        rest = m.group("rest")
        if rest is None:
            return None  # "(Loyer 1999)" cites a work, not a place in the book.
        if not re.match(_PAGE_WORD, rest, re.I):
            rest = "p. " + rest  # "Loyer 1999: 9-10": the pages come bare after the colon.
    elif m := _TAG.match(content):
        rest = m.group("rest")  # "[non-mixité, p107]": a reader's tag, then the page.

    assert rest is not None
    rest = rest.strip()
    if note := _NOTE_END.search(rest):
        rest = rest[: note.start()]
    follow = _FOLLOWING_END.search(rest)
    if follow:
        rest = rest[: follow.start()]
    m = _LOCATOR.match(rest)
    if not m:
        return None
    pages = _parse_locator(m.group("body"), follow.group(0) if follow else None)
    if pages.kind == "none":
        return None
    return Reference(kind=pages.kind, pages=pages.pages, page_labels=pages.labels,
                     following=pages.following, **fields)


# What may stand between a closing quote mark and its reference: Markdown emphasis closing around
# the quotation ("*« … »* (p. 3)"), spaces, at most one comma, full stop or semicolon ("» (p. 9)",
# "». (p. 9)", "», p. 12"), and one line break: hard-wrapped notes push the reference to the next
# line of the same paragraph ("»\n(p. 9)"; inside a block quote the next line starts with ">").
_GAP = rf"[*_]{{0,3}}{_SP}*[.,;]?{_SP}*(?:\n(?:[ \t]*>)*{_SP}*)?"
_BRACKETED = re.compile(rf"{_GAP}(?:\((?P<paren>[^()\n]{{0,120}})\)|\[(?P<bracket>[^\[\]\n]{{0,120}})\])")
_BARE = re.compile(
    rf"{_GAP}(?P<bare>{_PAGE_WORD}{_SP}*\d{{1,5}}(?:{_SP}*{_DASH}{_SP}*\d{{1,5}})?(?:{_SP}*{_FOLLOWING})?)"
    rf"(?![\w-])", re.I)
# "p. 34 : « …" — a page given just before the quotation it announces.
_BEFORE = re.compile(
    # Not the end of a word: "Le top 10 : « …" or "au cap 3 : « …" announce no page.
    rf"(?<!\w)(?P<bare>{_PAGE_WORD}{_SP}*\d{{1,5}}(?:{_SP}*{_DASH}{_SP}*\d{{1,5}})?)\)?{_SP}*[:,]?{_SP}*$", re.I)


def find_after(text: str, pos: int, limit: int) -> Reference | None:
    """The reference starting right after offset ``pos`` (a closing mark), not reaching ``limit``."""
    window = text[pos:min(limit, pos + 240)]
    at = 0
    # One gloss may stand between the quotation and its reference:
    # "le « digital labor » (travail numérique) (p. 12)".
    for _ in range(2):
        if m := _BRACKETED.match(window, at):
            group = "paren" if m.group("paren") is not None else "bracket"
            raw = m.group(group)
            if (ref := parse_reference(raw, pos + m.start(group))) is not None:
                return ref
        if b := _BARE.match(window, at):
            return parse_reference(b.group("bare"), pos + b.start("bare"))
        if m is None:
            return None
        at = m.end()
    return None


def find_before(text: str, pos: int, floor: int) -> Reference | None:
    """A page announced just before the opening mark at ``pos`` ("p. 34 : « … »")."""
    window_start = max(floor, pos - 40)
    if m := _BEFORE.search(text, window_start, pos):
        raw = m.group("bare")
        start = m.start("bare")
        # "(p. 12) « …" belongs to the previous quotation, not this one.
        if start > floor and text[start - 1] == "(":
            return None
        return parse_reference(raw, start, position="before")
    return None


def find_in(text: str, start: int, end: int) -> Reference | None:
    """A reference standing alone in ``text[start:end]`` (a line such as ``p235`` or ``(p. 12)``)."""
    chunk = text[start:end]
    stripped = chunk.strip()
    lead = start + len(chunk) - len(chunk.lstrip())
    if stripped[:1] in "([" and stripped[-1:] in ")]":
        return parse_reference(stripped[1:-1], lead + 1, position="block")
    return parse_reference(stripped, lead, position="block") if stripped else None


def find_trailing(text: str, start: int, end: int) -> Reference | None:
    """A bracketed reference ending the text ``text[start:end]`` (``… métier. (p.175)``)."""
    chunk = text[start:end].rstrip(" \t\u00a0.")
    if not chunk or chunk[-1] not in ")]":
        return None
    opener = "(" if chunk[-1] == ")" else "["
    open_at = chunk.rfind(opener)
    if open_at < 0 or len(chunk) - open_at > 122:
        return None
    return parse_reference(chunk[open_at + 1:-1], start + open_at + 1)
