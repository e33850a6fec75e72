"""The grammar of a page reference: what the text of a reference says (pages, a place, a volume).

Handouts write references in every style: ``(p. 9)``, ``(p.64)``, ``(pp. 12-14)``, ``(p. 12–14)``,
``(p. 45 sq.)``, ``[p. 88]``, a bare ``p. 12``, ``(ibid., p. 50)``, ``(op. cit., p. 77)``,
``(chap. 3)``, ``(Introduction)``, author-date ``(Loyer 1999: 9-10)`` and note tags ``[tag, p32]``;
a volume ``(t. II, p. 45)``, a qualifier ``(trad. p. 38)``, ``(CHM, p. 41)``, ``(cité par X, p. 12)``;
places in texts without pages (verse, lines, paragraphs, theses, acts and scenes: ``(v. 264)``,
``(l. 12-15)``, ``(§ 12)``, ``(II, 5, v. 634)``).
``parse_reference`` says whether a bracketed text is a reference at all: ``(gig economy)`` after a
quotation is a gloss, not a reference, and must not be taken for one. Where a reference stands
around a quotation is ``references``' job; footnotes are ``footnotes``'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.models import Reference, Span

SP = r"[ \t\u00a0\u202f\u2009]"
DASH = r"[-‐‑–—]"
# A page number, or a roman numeral for front matter pages (p. xii).
_PAGE = r"(?:\d{1,5}|[ivxlc]{1,7})"
FOLLOWING = rf"(?:sq{{1,2}}\.?|ss\.?|s\.|et{SP}+suiv(?:\.|antes)?|suiv\.?|ff?\.|(?:et{SP}+)?passim)"
# "p.", "pp.", "p 12", "p107", "page", "pages"; never the first letter of a word: without this
# guard "(Pessoa)" or "(politique)" read as "p" + a malformed page and "(pic)" as page "ic".
# "p .66" (a space typed before the dot, common in quick notes) is the same page word.
PAGE_WORD = rf"(?:(?:pp?|pages?|pg)(?:{SP}?\.|(?![^\W\d_])))"

# One item of a page locator: "12", "12-14", "112–14", "xii".
# "12 à 14" is a range too, as French prose writes it.
_ITEM = re.compile(rf"({_PAGE})(?:{SP}*(?:{DASH}|à){SP}*({_PAGE}))?", re.I)
# What follows the page word: page numbers, ranges and list separators, with the page word possibly
# repeated ("p. 9 ; p. 12"). A flat character class, checked item by item in _parse_locator: nested
# optional groups here backtrack exponentially on a long list that fails at its end.
_LOCATOR = re.compile(
    rf"{PAGE_WORD}{SP}*(?P<body>\w[\w \t\u00a0\u202f\u2009.,;&‐‑–—-]*?)?{SP}*\.?$", re.I)
_FOLLOWING_END = re.compile(rf"{SP}*{FOLLOWING}{SP}*$", re.I)
# "(p. 9, note 3)", "(p. 9 n. 3)": a footnote on the cited page; the page is what gets parsed.
# "(p. 12, l. 5)", "(p. 12, § 3)", "(p. 45, v. 12)": a line, paragraph or verse on the page, likewise
# (``pipeline.checks.locators`` reads it from ``raw`` where the book numbers them).
_NOTE_END = re.compile(rf"{SP}*[,;]?{SP}*(?:notes?|n\.|ll?\.|lignes?|§|vv?\.|vers){SP}*\d{{1,4}}"
                       rf"(?:{SP}*{DASH}{SP}*\d{{1,4}})?{SP}*\.?$", re.I)
# Remarks closing a reference, about the quotation rather than its place.
_REMARK_END = re.compile(
    rf"(?:^|[,;]){SP}*(?:je souligne|nous soulignons|c'est (?:moi|nous) qui soulign(?:e|ons)|"
    rf"soulign[ée]e?s? (?:par l'auteur|dans le texte|par nous|par moi)|mes italiques|nos italiques|"
    rf"italiques dans le texte|trad(?:uction|\.)? (?:modifi[ée]e|mod\.|revue)|en italiques?|"
    rf"(?:l'auteur|il) souligne){SP}*\.?$", re.I)
_PART_PAGE_WORD = re.compile(rf"^{PAGE_WORD}{SP}*", re.I)
_BACK = re.compile(rf"^(?:(?P<author>[^,;()]{{2,60}}?),{SP}*)?"
                   rf"(?P<back>ibid(?:em)?|id(?:em)?|op\.?{SP}*cit|art\.?{SP}*cit|loc\.?{SP}*cit)\b\.?"
                   rf"(?:{SP}*[,;:]?{SP}*(?P<rest>.*))?$", re.I)
_AUTHOR_YEAR = re.compile(
    rf"^(?P<author>[A-ZÀ-Ý][^\d()\[\];:]{{1,60}}?),?{SP}+(?P<year>1[5-9]\d\d|20\d\d)[a-z]?"
    # "Castel 1995: 12", "Castel, 1995, p. 12", and "Castel 1995 p. 12" without a separator.
    rf"(?:{SP}*[:,]{SP}*(?P<rest>.+)|{SP}+(?P<paged>{PAGE_WORD}.+))?$")
# The year in brackets after the name, as an attribution line writes it: "Elias (1939), p. 12",
# "Elias (1939 : 12)", "Elias (1939, p. 12)".
_AUTHOR_BRACKETED_YEAR = re.compile(
    rf"^(?P<author>(?-i:[A-ZÀ-Ý])[^\d()\[\];:]{{1,60}}?){SP}*\((?P<year>1[5-9]\d\d|20\d\d)[a-z]?"
    rf"(?:{SP}*[:,]{SP}*(?P<paged>[^()]+)\)|\){SP}*,?{SP}*(?P<rest>{PAGE_WORD}.+))$")
_YEAR_PAGES = re.compile(rf"^(?P<year>1[5-9]\d\d|20\d\d)[a-z]?{SP}*:{SP}*(?P<rest>\d.*)$")
_CHAPTER = re.compile(rf"^(?:chap(?:itre|\.)?|ch\.){SP}*(?P<n>\d{{1,3}}|[IVXLC]{{1,6}})\b\.?"
                      rf"(?:{SP}*[,;]{SP}*(?P<rest>.+))?$", re.I)
# Book parts that a quotation can be located in instead of a page.
_LOCATION = re.compile(
    r"^(?:introduction(?:\s+g[ée]n[ée]rale)?|conclusion(?:\s+g[ée]n[ée]rale)?|pr[ée]face|avant-propos|"
    r"postface|[ée]pilogue|prologue|annexes?|glossaire|bibliographie|pr[ée]ambule|liminaire|"
    r"(?:4e|4ème|quatrième)\s+de\s+couverture|"
    # A numbered part only: "(livre blanc)" or "(section syndicale)" after a quotation are glosses.
    r"(?:partie|livre|tome|section|volume|vol\.)\s+(?:\d{1,3}|[IVXLC]{1,6}\b|premi(?:er|ère)|seconde?|\w+i[èe]me)|"
    r"(?:première|deuxième|seconde|troisième|quatrième|dernière)\s+partie)\.?"
    rf"(?:{SP}*[,;]{SP}*(?P<rest>.+))?$",
    re.I,
)
# Readers' note tags, possibly several: "[non-mixité, p107]", "[capitalisme, engagement, p51]": the
# page starts at the first comma followed by a page word ("positivisme" is not one: see PAGE_WORD).
# After "op. cit." the comma is often left out: "Bourdieu, La Distinction, op. cit. p. 7".
_TAG = re.compile(rf"^(?P<tag>[^;:()\[\]]{{1,80}}?)(?:,|(?<=cit\.)|(?<=bid\.)){SP}*(?P<rest>{PAGE_WORD}{SP}*\S.*)$", re.I)
# What may precede a page without a comma: an abbreviation ("trad. p. 38", "éd. fr. p. 12",
# "cf. p. 9"), a title in initials ("CHM p. 41"), "voir", or "cité par X" (the source the handout
# read the quotation in). The page that follows is the page of the book in hand.
_PREFIX = re.compile(
    # A name or a title in initials: "Castel p. 318", "Le Goff p. 12", "CHM p. 41"; a name after
    # its initials, which are no page word: "P. Bourdieu p. 7", "J.-C. Passeron p. 12".
    rf"^(?P<tag>(?:[^\W\d_]{{1,6}}\.{SP}*){{1,3}}|(?-i:(?:[A-ZÀ-Ý]\.(?:-[A-ZÀ-Ý]\.)?{SP}*){{0,3}}[A-ZÀ-Ý][\w'’-]*(?:{SP}+[A-ZÀ-Ý][\w'’-]*){{0,2}})|voir|"
    rf"cit[ée]e?s?{SP}+(?:par|dans|chez|in){SP}+[^,;:()\[\]]{{1,60}}?)"
    rf"{SP}+(?P<rest>{PAGE_WORD}{SP}*\d.*)$", re.I)
# A volume of a multi-volume work: "t. II", "tome 3", "vol. 1", "volume IV".
_VOLUME = re.compile(rf"(?:^|[,;]{SP}*|{SP})(?:t|tome|vol|volume)\.?{SP}*(?P<n>\d{{1,3}}|[IVXLC]{{1,6}})\.?$", re.I)
# Places in a text that has no page to give: verses and lines of a poem or a play, paragraphs,
# numbered theses, aphorisms and fragments (Debord, Nietzsche, Pascal), letters, articles, acts and
# scenes, books, chapters and volumes. Each needs its number: "(v. 23)", "(l. 12-15)", "(§ 12)",
# "(th. 14)", "(acte II, sc. 5)". "v." with no number is "voir" ("v. p. 12", "v. supra").
_NUMBER = r"(?:\d{1,5}|[IVXLC]{1,7}\b)"
_NUMBERS = rf"{_NUMBER}(?:{SP}*(?:{DASH}|à){SP}*{_NUMBER})?"
_LOC_WORD = (r"(?:vv?\.|vers|ll?\.|lignes?|§{1,2}|th\.|th[èe]ses?|aph\.|aphorismes?|fr\.|frag\.|fragments?|"
             r"st\.|strophes?|chants?|actes?|sc\.|sc[èe]nes?|art\.|articles?|lettres?|"
             r"livres?|liv\.|l\.|parties?|part\.|tomes?|t\.|vol\.|volumes?|"
             r"chap(?:itres?|\.)?|ch\.|sect\.|sections?)")
_LOC_ITEM = re.compile(
    rf"(?:(?P<word>{_LOC_WORD}){SP}*{_NUMBERS}\.?"
    # Act and scene, the convention of drama references: "II, 5", "IV.6", "I, 3" (act in roman
    # numerals, scene in digits), possibly followed by the verse ("II, 5, v. 634").
    rf"|(?P<act>[IVX]{{1,4}}){SP}*[,.]{SP}*\d{{1,2}}\b)", re.I)
_LOC_SEP = re.compile(rf"{SP}*[,;]?{SP}*")
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
             for p in re.split(rf"{SP}*(?:,|;|&|\bet\b){SP}*", body.strip())]
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


def _volume(tag: str) -> str | None:
    m = _VOLUME.search(tag.strip())
    return m.group("n") if m else None


def _locations(content: str) -> tuple[int, bool, str | None, bool] | None:
    """Read the places at the start of ``content`` ("II, 5, v. 634", "chap. 2, § 4", "t. I").

    Returns ``(end, has_place, volume, chapter_only)``, or ``None`` when ``content`` does not
    start with one; ``has_place`` is false when the only place named is a volume ("t. I, p. 23":
    a page of that volume, not a place).
    """
    at, items, volume = 0, [], None
    while at < len(content):
        m = _LOC_ITEM.match(content, at)
        if m is None:
            break
        word = (m.group("word") or "").lower().rstrip(".")
        if word == "vers" and re.fullmatch(r"(?:1[5-9]|20)\d\d", m.group(0)[4:].strip(" .\u00a0\u202f")):
            return None  # "(vers 1900)": around that year, not a verse
        if word in ("t", "tome", "tomes", "vol", "volume", "volumes"):
            volume = m.group(0)[len(m.group("word")):].strip(" .\u00a0\u202f")
        items.append(word or "act")
        at = m.end()
        sep = _LOC_SEP.match(content, at)
        at = sep.end()
    if not items:
        return None
    end = at
    # What follows must be pages ("chap. 3, p. 45") or nothing: "v. supra", "l. 12 et ss" or
    # "(art. 3 de la loi)" are not the references read here.
    rest = content[end:].strip(" ,;.")
    if rest and _FOLLOWING_END.fullmatch(" " + rest + ("." if rest[-1:] != "." else "")):
        end, rest = len(content), ""  # "v. 12 sq.": and the following verses
    if rest and not re.match(PAGE_WORD, rest, re.I):
        return None
    while end > 0 and content[end - 1] in " ,;\u00a0\u202f":
        end -= 1
    places = [w for w in items if w not in ("t", "tome", "tomes", "vol", "volume", "volumes")]
    chapter_only = len(items) == 1 and items[0].startswith("ch")
    return end, bool(places), volume, chapter_only


def _tagged_locations(content: str) -> tuple[int, tuple] | None:
    """``(offset of the comma, _locations(...))`` for "Titre, v. 12": a short title then places
    that run to the end. The places must name verse, lines, acts...: "Paris, 1999" is no place."""
    comma = -1
    for _ in range(3):
        comma = content.find(",", comma + 1)
        if comma <= 0:
            return None
        tail = content[comma + 1:].strip()
        located = _locations(tail)
        if located is not None and located[1] and located[0] >= len(tail.rstrip(" .")) - 1:
            return comma + 1, located
    return None


def parse_reference(raw: str, start: int, *, position: str = "after") -> Reference | None:
    """Parse the text of a reference (without its brackets) found at offset ``start``.

    Returns ``None`` when the text is not a reference (a gloss such as ``(gig economy)``).
    """
    content = raw.strip()
    if not content or len(content) > 120:
        return None
    fields: dict = {"raw": raw, "span": Span(start=start, end=start + len(raw)), "position": position}
    # "(p. 12, je souligne)", "(p. 12, trad. modifiée)": the handout's remark on the quotation.
    if remark := _REMARK_END.search(content):
        content = content[:remark.start()].rstrip(" ,;")
        if not content:
            return None
    rest: str | None = content

    if (m := _PREFIX.match(content)) and not _BACK.match(content):
        # "trad. p. 38", "CHM p. 41", "cf. p. 9": what precedes the page only qualifies it.
        fields["volume"] = _volume(m.group("tag"))
        rest = m.group("rest")
    elif (located := _locations(content)) is not None:
        end, has_place, volume, chapter_only = located
        fields["volume"] = volume
        rest = content[end:].strip(" ,;") or None
        if has_place:
            fields["location"] = content[:end].rstrip(" ,;")
        if rest is None:
            if not has_place:
                fields["location"] = content[:end].rstrip(" ,;")
            return Reference(kind="chapter" if chapter_only else "location", **fields)
    elif m := _BACK.match(content):
        back = m.group("back").lower().replace(" ", "").replace("\u00a0", "")
        fields["back_reference"] = ("ibid" if back.startswith("ibid") else
                                    "id" if back.startswith("id") else "op_cit")
        if m.group("author"):
            fields["author"] = m.group("author").strip()
        rest = (m.group("rest") or "").strip(" .") or None
        if rest is not None and (located := _locations(rest)) is not None:
            # "ibid., t. II, p. 45", "op. cit., v. 12": a volume or a place of the same work.
            end, has_place, volume, _ = located
            fields["volume"] = volume
            if has_place:
                fields["location"] = rest[:end]
            rest = rest[end:].strip(" ,;") or None
            if rest is None and has_place:
                fields["location"] = content.rstrip(" ,;")  # as written: "ibid., v. 12"
                return Reference(kind="location", **fields)
        if rest is None:
            return Reference(kind="ibid", **fields)
        if re.fullmatch(rf"\d{{1,5}}(?:{SP}*{DASH}{SP}*\d{{1,5}})?", rest):
            rest = "p. " + rest  # "ibid. : 45", "op. cit., 48": the page comes bare
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
    elif m := _YEAR_PAGES.match(content):
        # "(1995 : 318)": the author named in the sentence, the year and pages in the bracket.
        fields["year"] = int(m.group("year"))
        rest = "p. " + m.group("rest")
    elif (m := _AUTHOR_YEAR.match(content)) or (m := _AUTHOR_BRACKETED_YEAR.match(content)):
        fields["author"], fields["year"] = m.group("author").strip(), int(m.group("year"))
        rest = m.group("rest") or m.group("paged")
        if rest is None:
            return None  # "(Loyer 1999)" cites a work, not a place in the book.
        if not re.match(PAGE_WORD, rest, re.I):
            rest = "p. " + rest  # "Loyer 1999: 9-10": the pages come bare after the colon.
    elif m := _TAG.match(content):
        rest = m.group("rest")  # "[non-mixité, p107]": a reader's tag, then the page.
        # "Économie et société, vol. 1, p. 97": another work, its volume, then the page.
        fields["volume"] = _volume(m.group("tag"))
    elif not re.match(PAGE_WORD, content, re.I) and (located := _tagged_locations(content)):
        # "Phèdre, II, 5, v. 634", "Pensées, fr. 347": a work named, then a place in it.
        comma, (end, has_place, volume, chapter_only) = located
        fields["volume"] = volume
        fields["location"] = content.rstrip(" ,;")  # as written, the work's title included
        return Reference(kind="chapter" if chapter_only else "location", **fields)

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


_RANGE = rf"\d{{1,5}}(?:{SP}*{DASH}{SP}*\d{{1,5}})?"
# A page in a note: "p. 7", "pp. 7-8", or a bare number after the work pointed back to ("op. cit., 7").
_NOTE_PAGE = re.compile(
    rf"(?<![\w])(?:(?P<bare>{PAGE_WORD}{SP}*{_RANGE})|"
    rf"(?:op\.?{SP}*cit|art\.?{SP}*cit|loc\.?{SP}*cit|ibid)\.?{SP}*[,:]?{SP}*(?P<number>{_RANGE}))(?![\w-])", re.I)
# What may follow the page that closes a bibliographic entry: "sq.", ", note 2", a remark in
# brackets, then the end of the note or of its sentence.
_ENTRY_END = re.compile(
    rf"(?:{SP}*,?{SP}*{FOLLOWING})?(?:{SP}*[,;]?{SP}*(?:notes?|n\.){SP}*\d{{1,3}})?"
    rf"(?:{SP}*\([^()\n]{{0,80}}\))?{SP}*(?:$|[.;](?:{SP}|$))", re.I)
_LAST_PAGE = re.compile(rf"(?<![\w])(?P<bare>{PAGE_WORD}{SP}*\d{{1,5}}(?:{SP}*{DASH}{SP}*\d{{1,5}})?)(?![\w-])", re.I)


def parse_entry(body: str, start: int, *, position: str = "note") -> Reference | None:
    """The page of a full bibliographic entry written out in a note or an attribution line
    ("A. Auteur, Titre : sous-titre, Paris, Éditeur, 1999, p. 112"), or ``None``."""
    # The page that closes the entry is the cited one; ``raw`` is the entry up to that page. An
    # author's initials ("P. Bourdieu", "J.-C. Passeron") are no page word: parse_reference reads
    # such an entry as a malformed page, which is why it is read here.
    # The entry may end before a remark or a second sentence ("…, op. cit., p. 7 (je souligne).",
    # "…, p. 7. Voir aussi la conclusion, p. 430."), and the page may come bare after "op. cit."
    # ("La Distinction, op. cit., 7"): the first page that ends the entry.
    for m in _NOTE_PAGE.finditer(body):
        if _ENTRY_END.match(body, m.end()):
            return _up_to(body, start, m, m.group("bare") or "p. " + m.group("number"), position)
    # Otherwise the entry's last page, a few characters from its end.
    last = None
    for last in _LAST_PAGE.finditer(body):
        pass
    if last is not None and len(body) - last.end() <= 3:
        return _up_to(body, start, last, last.group("bare"), position)
    return None


def _up_to(body: str, start: int, m: re.Match, bare: str, position: str) -> Reference | None:
    """The entry's reference read from the page ``m`` found in it; ``raw`` is the entry up to it."""
    ref = parse_reference(bare, start + m.start(), position=position)
    if ref is None or ref.kind == "malformed":
        return None
    return ref.model_copy(update={"raw": body[:m.end()], "span": Span(start=start, end=start + m.end())})
