"""Headed sections and their hierarchy.

Handouts mark headings in many ways: Markdown ``#``, "Partie N", "Chapitre N", "Séance N", roman
"I. / II.", "A) / B)", decimal "1. / 1.1", bare keywords ("Introduction"), and, in slides converted
to text, a short line standing alone between blank lines. Each heading gets a *style*; the hierarchy
comes from the order styles appear in (a style seen again closes everything opened since), with a
fixed order for the conventions whose rank is unambiguous (a part holds chapters, never the reverse).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.document import Block, Document
from pipeline.models import Section, SectionKind, Span
from pipeline.text import fold_words

_SP = r"[ \t\u00a0]"
_ORDINAL = (r"(?:premi[eè]re?|1re|1er|deuxi[eè]me|seconde?|troisi[eè]me|quatri[eè]me|cinqui[eè]me|"
            r"sixi[eè]me|septi[eè]me|huiti[eè]me|neuvi[eè]me|dixi[eè]me|derni[eè]re?|\d+e|\d+[èe]me)")
_NUM = r"(?:\d{1,3}|[IVXLC]{1,6}|[A-Z])"
# (kind, pattern). Order matters: the first match wins.
_PATTERNS: list[tuple[SectionKind, re.Pattern[str]]] = [
    ("part", re.compile(rf"(?:partie{_SP}+(?P<n>{_NUM})\b|(?P<o>{_ORDINAL}){_SP}+partie\b)", re.I)),
    ("chapter", re.compile(rf"(?:chapitre|chap\.?|ch\.){_SP}*(?P<n>{_NUM}|premier|{_ORDINAL})\b", re.I)),
    ("session", re.compile(rf"(?:s[ée]ance|le[çc]on|cours|semaine|td|tp|module){_SP}+(?P<n>\d{{1,3}}|[IVXLC]{{1,6}})\b",
                           re.I)),
    ("roman", re.compile(rf"(?P<n>[IVX]{{1,5}}){_SP}*[.)/–—-](?![\w.]){_SP}*(?=\S)")),
    ("letter", re.compile(rf"(?P<n>[A-Ha-h]){_SP}*[.)/–—-](?![\w.]){_SP}*(?=\S)")),
    ("decimal", re.compile(rf"(?P<n>\d{{1,2}}(?:\.\d{{1,2}}){{0,3}})(?:\.|\)|{_SP}*[–—-](?!\d))?{_SP}+(?=\D)")),
]
# Keywords that title a part of a handout. Only the structural ones may carry a subtitle after a
# colon ("Conclusion : « Que faire ? »"); "Note : …" or "Question : …" followed by a sentence is a
# remark in the running text, not a heading.
_KEYWORDS = re.compile(
    r"(?:(?:introduction|conclusions?|r[ée]sum[ée]|synth[èe]se|discussion|ouverture|probl[ée]matique|"
    r"bibliographie|annexes?)(?:\s*(?:g[ée]n[ée]rale|:.*))?"
    r"|(?:r[ée]f[ée]rences|questions?|plan|sommaire|avant-propos|pr[ée]face|notes?|glossaire|critique|"
    r"biographie|l'auteur|l’auteur|(?:pour\s+)?aller\s+plus\s+loin)(?:\s*:)?)$", re.I)
# Lines that stand alone but are not headings.
_CAPTION = re.compile(r"(?:(?:figure|tableau|table|graphique|source|sources|image|photo|illustration|"
                      r"sch[ée]ma|carte|document|cr[ée]dits?|légende)\b|fig\.|doc\.)\s*(?:\d|:|-|–|—|n°)", re.I)
_FIELD = re.compile(r"[A-ZÀ-Ý][A-ZÀ-Ý0-9 .,'’()/-]{1,40}\s?:(?!\S)")  # "DISCIPLINES : …"
_PAGE_MARK = re.compile(r"p(?:age|\.)?\s*\d+\s*$", re.I)
_URL = re.compile(r"https?://|www\.|<[a-z]+:", re.I)
# A date on its own line ("08 mai 2023", "12/03/2025"): the date of a slide or a note, not a title.
_DATE = re.compile(r"(?:le\s+)?(?:\d{1,2}(?:er)?\s+(?:janv|f[ée]vr|mars|avr|mai|juin|juil|ao[uû]t|sept|oct|nov|d[ée]c)"
                   r"[a-zéû]*\.?\s+\d{4}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})$", re.I)
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)")
_SLIDE_MAX_WORDS = 16
_SLIDE_MAX_CHARS = 140
# A slide title this short, with no colon and no quotation, names a slide ("Méthodes et sources");
# a longer one, or one shaped "Label : description", is the subtitle of the slide above it.
_TOPIC_MAX_WORDS = 6

# Canonical ranks of the conventions whose order never varies; the others are ranked by appearance.
_FIXED_RANK = {"part": 10, "session": 15, "chapter": 20}


@dataclass
class _Candidate:
    block: Block
    start: int  # heading span
    end: int
    title: str
    kind: SectionKind
    number: str | None
    style: tuple  # what makes two headings siblings
    rank: int | None = None
    index: int = 0  # position of the block among the body's blocks


def _words(text: str) -> int:
    return len(re.findall(r"\w[\w'’-]*", text))


def clean_title(raw: str) -> str:
    """Heading text without Markdown emphasis, '#' marks or doubled spaces."""
    title = _EMPHASIS.sub("", raw).strip().strip("#").strip()
    return re.sub(r"\s+", " ", title)


def _match_pattern(title: str) -> tuple[SectionKind, str | None] | None:
    for kind, pattern in _PATTERNS:
        if m := pattern.match(title):
            number = m.groupdict().get("n") or m.groupdict().get("o")
            return kind, number
    return None


# Session headings that open a body; "TD 3", "TP 2" or "Cours 4" more often name the handout itself.
_SESSION_HEADING = re.compile(r"(?:s[ée]ance|le[çc]on|semaine|module)\b", re.I)


def is_structural_heading(title: str) -> bool:
    """A line shaped like a numbered or keyword heading ("Introduction", "I. …", "Partie 1 : …",
    "1. …", "Séance 2"), which never belongs to a handout's title block."""
    if not title or _words(title) > _SLIDE_MAX_WORDS or _is_sentence(title):
        return False
    if _KEYWORDS.match(title):
        return True
    found = _match_pattern(title)
    if found is None or _bare_number(title, *found):
        return False
    return found[0] != "session" or bool(_SESSION_HEADING.match(title))


def _bare_number(title: str, kind: SectionKind, number: str | None) -> bool:
    """A number with no "." or ")" after it starts an ordinary phrase ("12 ans de terrain", "08 mai
    2023"), not a numbered heading; "1.2 Titre" needs no separator."""
    return kind == "decimal" and number is not None and "." not in number and title[len(number):][:1].isspace()


# "Chapitre 2 (p. 40-80)": a chapter heading announcing the pages it covers, not a quotation line.
_DECLARED_PAGES = re.compile(r"(?:chapitre|chap\.|partie|livre)\b[^«»“”\"]{0,120}\(\s*p{1,2}\.?\s*\d{1,4}\s*"
                             r"(?:[-‐‑–—]|à)\s*\d{1,4}\s*\)$", re.I)


def _looks_like_heading_line(title: str) -> bool:
    """Shared filters for any standalone line before it may count as a heading."""
    if not title or len(title) > 200:
        return False
    if _URL.search(title) or _CAPTION.match(title) or _FIELD.match(title) or _PAGE_MARK.match(title) \
            or _DATE.match(title):
        return False
    if title[0] in "«“\"'([<!|>-*+•➔→►➢–—=~`":
        return False
    # A heading starts with a capital, except the lower-case letters of the fourth level of a
    # French plan ("I. / A. / 1. / a) Un point précis").
    if title[0].islower() and not re.match(rf"[a-h][.)]{_SP}+[A-ZÀ-Ý]", title):
        return False
    if re.search(r"\(\s*p{1,2}\.?\s*\d", title) and not _DECLARED_PAGES.match(title):
        return False  # carries a page reference: a quotation line
    if re.search(r"\[\d+(?:\s*[,;–-]\s*\d+)*\]$", title):
        return False  # ends with a numbered citation ("Vazken 1er [2, 1]"): a figure caption or a quote

    return True


def _standalone_numbered_item(doc: Document, block: Block, neighbours: tuple[Block | None, ...]) -> bool:
    line = doc.lines[block.first_line]
    if block.first_line != block.last_line or line.quote_depth or not re.fullmatch(r"\d{1,3}[.)]", line.bullet or ""):
        return False
    lines = doc.lines
    if line.index > 0 and lines[line.index - 1].kind != "blank":
        return False
    if line.index + 1 < len(lines) and lines[line.index + 1].kind != "blank":
        return False
    # "1. …\n\n2. …\n\n3. …" with nothing in between is a loose numbered list (a plan, a list
    # of arguments), not a run of empty sections.
    return not any(other is not None and other.kind == "item"
                   and re.fullmatch(r"\d{1,3}[.)]", lines[other.first_line].bullet or "")
                   for other in neighbours)


def _is_sentence(title: str) -> bool:
    # Headings do not end like sentences; "…" and "..." do end slide titles ("Se positionner par
    # rapport à ...") and "?" / "!" end question titles.
    return bool(re.search(r"(?<!\.\.)[.;,]$", title)) and not title.endswith(("...", "…"))


class SectionFinder:
    """Finds headings in the body of a document (after its title block) and nests them."""

    def __call__(self, doc: Document, *, body_start: int = 0) -> list[Section]:
        blocks = [b for b in doc.blocks if b.start >= body_start or b.kind == "heading"]
        markdown = any(b.kind == "heading" for b in blocks)
        candidates = []
        for index, block in enumerate(blocks):
            if block.kind == "item":
                # "1. Premier point" reads as a list item to the layout (its "1." is a list
                # marker), but standing alone between blank lines, with no other numbered item
                # right before or after it, it is a numbered heading.
                neighbours = (blocks[index - 1] if index else None,
                              blocks[index + 1] if index + 1 < len(blocks) else None)
                if not _standalone_numbered_item(doc, block, neighbours):
                    continue
            if cand := self._candidate(doc, block, slides=not markdown):
                cand.index = index
                candidates.append(cand)
        if not any(c.kind == "decimal" or c.style == ("letter", True) for c in candidates):
            # "a) …" is the fourth level of a French plan (I. / A. / 1. / a)); without the plan
            # above it, it enumerates questions or options ("a) Pourquoi … ?"), not sections.
            candidates = [c for c in candidates if c.style != ("letter", False)]
        self._rank_styles(candidates)
        return self._nest(doc, candidates)

    def _candidate(self, doc: Document, block: Block, *, slides: bool) -> _Candidate | None:
        text = doc.text
        line = doc.lines[block.first_line]
        raw = text[block.start:line.end].strip()
        start = block.start + (len(text[block.start:line.end]) - len(text[block.start:line.end].lstrip()))
        if block.kind == "heading":
            start = line.start + (len(text[line.start:line.end]) - len(text[line.start:line.end].lstrip()))
            title = clean_title(raw)
            if not title:
                return None
            found = _match_pattern(title)
            level = line.heading_level
            return _Candidate(block, start, start + len(text[start:line.end].rstrip()), title, "markdown",
                              found[1] if found else None, ("md", level), rank=level)
        if block.kind == "item":
            start = line.start + (len(text[line.start:line.end]) - len(text[line.start:line.end].lstrip()))
            raw = text[start:line.end].strip()
        elif block.kind != "paragraph":
            return None
        if raw.startswith("#"):
            return None  # "#5 raisons de lire": a hashtag, not a Markdown heading (no space)
        title = clean_title(raw)
        end = start + len(raw)
        if not _looks_like_heading_line(title) or _is_sentence(title):
            return None
        single = block.first_line == block.last_line
        found = _match_pattern(title)
        if found:
            kind, number = found
            if _bare_number(title, kind, number):
                return None
            # Numbered list items ("1. Elle quitte le raisonnement…") are not headings: a heading
            # stands alone and is short.
            if kind in ("roman", "letter", "decimal") and (not single or _words(title) > _SLIDE_MAX_WORDS):
                return None
            if kind not in _FIXED_RANK and not single:
                return None
            if kind == "decimal":
                style = ("decimal", number.rstrip(".").count(".") + 1)
            elif kind == "letter":
                style = ("letter", number.isupper())
            else:
                style = (kind,)
            return _Candidate(block, start, end, title, kind, number.upper() if kind == "roman" else number,
                              style, rank=_FIXED_RANK.get(kind))
        if not single:
            return None
        if _KEYWORDS.match(title) and _words(title) <= _SLIDE_MAX_WORDS:
            return _Candidate(block, start, end, title, "keyword", None, ("keyword",))
        # A line a PDF prints in a heading's font is a heading even when it is long.
        typographic = block.start in doc.heading_hints and _words(title) <= 2 * _SLIDE_MAX_WORDS
        if not typographic and (not slides or _words(title) > _SLIDE_MAX_WORDS or len(title) > _SLIDE_MAX_CHARS):
            return None
        topic = (_words(title) <= _TOPIC_MAX_WORDS and not re.search(r"\s:|:\s|[«“\"]", title)
                 and not title.endswith(":"))
        return _Candidate(block, start, end, title, "slide", None, ("slide", 0 if topic else 1),
                          rank=0 if topic else 5)

    @staticmethod
    def _rank_styles(candidates: list[_Candidate]) -> None:
        """Settle the styles whose level depends on their neighbours."""
        first_numbered = next((i for i, c in enumerate(candidates)
                               if c.kind not in ("slide", "keyword", "markdown")), len(candidates))
        slide_before = any(c.kind == "slide" for c in candidates[:first_numbered])
        for i, c in enumerate(candidates):
            if c.kind == "keyword":
                # "Introduction … I. … II. … Conclusion": the keyword is a sibling of the top
                # numbered heading; among slide titles it is a slide title itself.
                if slide_before or first_numbered == len(candidates):
                    c.style, c.rank = ("slide", 0), 0
                else:
                    top = candidates[first_numbered]
                    c.style, c.rank = top.style, top.rank
            # A short slide title right under another, with nothing between, is its subtitle.
            if c.kind in ("slide", "keyword") and c.style == ("slide", 0) and i \
                    and candidates[i - 1].style == ("slide", 0) and candidates[i - 1].index + 1 == c.index:
                c.style, c.rank = ("slide", 1), 5

    @staticmethod
    def _nest(doc: Document, candidates: list[_Candidate]) -> list[Section]:
        text = doc.text
        sections: list[Section] = []
        stack: list[tuple[_Candidate, Section]] = []
        for cand in candidates:
            if sections and _same_title(sections[-1].title, cand.title) and stack \
                    and stack[-1][0].kind == cand.kind:
                # A slide title repeated on the next slide: still the same section, even when the
                # copy differs in a trailing colon, which would otherwise change its slide style.
                continue
            # A style already open closes everything opened since; a fixed-rank style closes what
            # ranks below it; any other style opens one level deeper.
            keys = [c.style for c, _ in stack]
            if cand.kind == "markdown":
                # In a Markdown handout the '#' levels are authoritative: a '##' heading closes any
                # plain-line heading ("Introduction", "I. …") opened inside the previous section.
                while stack and (stack[-1][0].kind != "markdown" or stack[-1][0].rank >= cand.rank):
                    stack.pop()
            elif cand.style in keys:
                del stack[keys.index(cand.style):]
            elif cand.rank is not None:
                # Ranks of plain-line conventions and '#' levels are not comparable: a plain
                # heading never closes a Markdown section, it opens inside it.
                while stack and stack[-1][0].kind != "markdown" and stack[-1][0].rank is not None \
                        and stack[-1][0].rank >= cand.rank:
                    stack.pop()
            parent = stack[-1][1] if stack else None
            section = Section(id=f"s{len(sections) + 1}", title=cand.title, level=len(stack) + 1,
                              parent_id=parent.id if parent else None, kind=cand.kind, number=cand.number,
                              span=Span(start=cand.start, end=len(text)),
                              heading_span=Span(start=cand.start, end=cand.end),
                              page=doc.page_at(cand.start))
            sections.append(section)
            stack.append((cand, section))
        _close_spans(text, sections)
        return sections


def _same_title(a: str, b: str) -> bool:
    return fold_words(a) == fold_words(b)


def _close_spans(text: str, sections: list[Section]) -> None:
    """A section runs until the next heading of the same or a higher level."""
    open_: list[Section] = []
    for section in sections:
        while open_ and open_[-1].level >= section.level:
            _end(text, open_.pop(), section.heading_span.start)
        open_.append(section)
    while open_:
        _end(text, open_.pop(), len(text))


def _end(text: str, section: Section, end: int) -> None:
    while end > section.heading_span.end and text[end - 1] in " \t\n\u00a0":
        end -= 1
    section.span = Span(start=section.span.start, end=end)
