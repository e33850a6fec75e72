"""Headed sections and their hierarchy.

Handouts mark headings in many ways: Markdown ``#``, "Partie N", "Chapitre N", "Séance N", roman
"I. / II.", "A) / B)", decimal "1. / 1.1", bare keywords ("Introduction"), and, in slides converted
to text, a short line standing alone between blank lines. Each heading gets a *style*; the hierarchy
comes from the order styles appear in (a style seen again closes everything opened since), with a
fixed order for the conventions whose rank is unambiguous (a part holds chapters, never the reverse).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipeline.document import Block, Document
from pipeline.models import Section, SectionKind, Span
from pipeline.stages.heading_lines import (LEAD_IN, LEAD_IN_MIN_WORDS, SLIDE_MAX_CHARS, SLIDE_MAX_WORDS,
                                           clean_title, introduces, is_sentence, is_structural_heading,
                                           looks_like_heading_line, split_embedded_headings, strip_decoration,
                                           title_block_line, words, wrapped_heading)
from pipeline.stages.heading_numbers import FIXED_RANK, KEYWORDS, bare_number, label_of, match_pattern
from pipeline.stages.slides import CONTINUED, TOPIC_MAX_WORDS, deck_divisions, running_key, running_lines
from pipeline.text import fold_words

# The metadata stage imports clean_title and is_structural_heading from here.
__all__ = ["SectionFinder", "clean_title", "is_structural_heading"]


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
    above_slides: bool = False  # a deck's unranked division ("II. …"): closes the slides open before it


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


def _first_text_line(doc: Document) -> int | None:
    return next((line.index for line in doc.lines if line.kind not in ("blank", "front_matter")), None)


# A line of HTML that is a heading: <h2>…</h2>, or a whole line in bold (<b>…</b>, <strong>…</strong>)
# standing for one in notes exported from Notion, Jupyter or a web page.
_HTML_HEADING = re.compile(r"[ \t]*<(?P<tag>h[1-6]|b|strong)\b[^>]*>[ \t]*(?P<t>[^<>]*?[^<>\s])[ \t]*"
                           r"</(?P=tag)>[ \t]*$", re.I)


def _html_headings(doc: Document, body_start: int) -> list[Block]:
    blocks = []
    for line in doc.lines:
        if line.kind == "html" and (m := _HTML_HEADING.match(doc.text, line.start, line.end)):
            blocks.append(Block(line.index, line.index, m.start("t"), m.end("t"), "heading"))
    return blocks


def _html_candidate(doc: Document, block: Block) -> _Candidate | None:
    title = clean_title(doc.text[block.start:block.end])
    bare = strip_decoration(title)
    if not bare or words(title) > SLIDE_MAX_WORDS or is_sentence(bare) or bare.endswith(":") \
            or not looks_like_heading_line(bare):
        return None  # "<b>P. 12</b>", "<b>Source : …</b>", "<strong>Note :</strong>"
    line = doc.lines[block.first_line]
    tag = _HTML_HEADING.match(doc.text, line.start, line.end)["tag"].lower()
    found = match_pattern(bare)
    level = int(tag[1]) if tag.startswith("h") else None
    # A bold line takes its level from the Markdown heading above it (see _rank_styles).
    return _Candidate(block, block.start, block.end, title, "markdown", found[1] if found else None,
                      ("md", level) if level else ("html-bold",), rank=level)


def _font_ranks(doc: Document, candidates: list[_Candidate], held: set[tuple]) -> None:
    """Rank the headings a PDF shows only by their font by the size of that font.

    LaTeX prints \\section larger than \\subsection, and Word its "Titre 1" larger than its
    "Titre 2": with no numbering to go by, a larger heading holds the smaller ones after it. The
    printed height of the heading's line stands for the font size (rounded to the point, so that
    two lines of the same style compare equal)."""
    if not doc.word_boxes or not doc.heading_hints:
        return
    # The PDF reader may rank the heading types itself (1 = largest); else the boxes tell.
    levels: dict[int, int] = getattr(doc, "heading_levels", None) or {}
    sizes: dict[int, float] = {}
    for i, c in enumerate(candidates):
        if c.kind in ("slide", "keyword") and c.block.start in doc.heading_hints and c.style not in held:
            if c.block.start in levels:
                sizes[i] = -levels[c.block.start]
            elif boxes := doc.boxes_for(c.start, c.end):
                sizes[i] = round(max(box[4] - box[2] for box in boxes))
    if levels and len(sizes) != sum(c.block.start in levels for c in candidates
                                    if c.kind in ("slide", "keyword") and c.block.start in doc.heading_hints
                                    and c.style not in held):
        return  # ranks and sizes do not compare: keep the slide ranks
    distinct = sorted(set(sizes.values()), reverse=True)
    if len(distinct) < 2:
        return
    for i, size in sizes.items():
        rank = distinct.index(size)
        candidates[i].style, candidates[i].rank = ("font", rank), rank


def _rank_under_divisions(candidates: list[_Candidate], held: set[tuple]) -> None:
    """Put a deck's slide titles under the numbered divisions that hold them (see deck_divisions).

    Slide titles rank under the lowest of the parts, sessions and chapters (the slides before the
    first part stay at the top: nothing is open above them then); a roman or labelled division,
    ranked by appearance, closes the slides of the part before it instead."""
    if not held:
        return
    base = max((FIXED_RANK[c.kind] for c in candidates if c.style in held and c.kind in FIXED_RANK), default=None)
    for c in candidates:
        if c.kind in ("slide", "keyword") and c.style[0] in ("slide", "font") and base is not None:
            c.rank = base + 1 + c.style[1]
        elif c.style in held and c.rank is None:
            c.above_slides = True


# "Anomie (anomy) : absence de règles communes": a term, its gloss, and its definition after the
# colon in lower case. A glossary is a run of them; a slide subtitle "Label : description" stands alone.
_DEFINITION = re.compile(r"[^:]{1,60}?[ \u00a0\u202f]?:[ \u00a0\u202f]+[a-zà-ÿ«“\"]")
_GLOSSARY = re.compile(r"(?:glossaire|lexique|vocabulaire|d[ée]finitions|notions(?:\s+cl[ée]s)?|concepts(?:\s+cl[ée]s)?)"
                       r"\s*:?$", re.I)


def _without_definitions(candidates: list[_Candidate]) -> list[_Candidate]:
    """Drop the definition lines of a glossary: two or more in a row, or any under a "Glossaire"
    / "Lexique" heading."""
    shaped = [c.kind == "slide" and bool(_DEFINITION.match(strip_decoration(c.title))) for c in candidates]
    kept, in_glossary = [], False
    for i, c in enumerate(candidates):
        adjacent = any(0 <= j < len(candidates) and shaped[j] and abs(candidates[j].index - c.index) == 1
                       for j in (i - 1, i + 1))
        if shaped[i] and (adjacent or in_glossary):
            continue
        if not shaped[i]:
            in_glossary = bool(_GLOSSARY.match(strip_decoration(c.title)))
        kept.append(c)
    return kept


class SectionFinder:
    """Finds headings in the body of a document (after its title block) and nests them."""

    def __call__(self, doc: Document, *, body_start: int = 0) -> list[Section]:
        blocks = [b for b in doc.blocks if b.start >= body_start or b.kind == "heading"]
        blocks = sorted(split_embedded_headings(doc, blocks) + _html_headings(doc, body_start),
                        key=lambda b: b.start)
        # Marked-up headings make the standalone-line (slide) convention moot. In a plain-text
        # file one underlined line is the handout's title over slide titles; it takes two.
        headings = sum(b.kind == "heading" for b in blocks)
        markdown = headings >= (1 if doc.source.format == "markdown" else 2)
        running = running_lines(doc)
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
                if running and (running_key(doc.text[cand.start:cand.end]) in running
                                or fold_words(cand.title) in running):
                    continue  # a slide footer or running header, repeated with its number
                cand.index = index
                candidates.append(cand)
        candidates = _without_definitions(candidates)
        if first := self._first_line_heading(doc, body_start, candidates, slides=not markdown):
            candidates.insert(0, first)
        # A label numbering ("Texte 1 – …", "Texte 2 – …") is a scheme only when it is repeated:
        # a lone "Licence 3 – Sociologie" or "Groupe 2" names a class, not a section.
        labels = Counter(c.style for c in candidates if c.kind == "label")
        candidates = [c for c in candidates if c.kind != "label" or labels[c.style] > 1]
        if not any(c.kind == "decimal" or c.style == ("letter", True) for c in candidates):
            # "a) …" is the fourth level of a French plan (I. / A. / 1. / a)); without the plan
            # above it, it enumerates questions or options ("a) Pourquoi … ?"), not sections.
            candidates = [c for c in candidates if c.style != ("letter", False)]
        held = self._rank_styles(candidates)
        _font_ranks(doc, candidates, held)
        _rank_under_divisions(candidates, held)
        return self._nest(doc, candidates)

    def _first_line_heading(self, doc: Document, body_start: int, candidates: list[_Candidate], *,
                            slides: bool) -> _Candidate | None:
        """The document's first line when the title block claimed it but it is shaped like the
        body's own headings: a note whose title block sits at its end opens on its first heading
        ("Pourquoi … ?" over questions, "1. …" over a decimal plan)."""
        first = next((b for b in doc.blocks), None)
        if first is None or first.start >= body_start or first.kind == "heading" or not candidates:
            return None
        if first.first_line != first.last_line or doc.lines[first.first_line].index != _first_text_line(doc):
            return None
        cand = self._candidate(doc, first, slides=slides)
        if cand is None:
            return None
        same_style = cand.kind not in ("slide", "keyword") and any(c.style == cand.style for c in candidates)
        questions = sum(c.title.endswith("?") for c in candidates)
        if same_style or (cand.title.endswith("?") and questions and questions * 2 >= len(candidates)):
            cand.index = -1
            return cand
        return None

    def _candidate(self, doc: Document, block: Block, *, slides: bool) -> _Candidate | None:
        text = doc.text
        line = doc.lines[block.first_line]
        raw = text[block.start:line.end].strip()
        start = block.start + (len(text[block.start:line.end]) - len(text[block.start:line.end].lstrip()))
        if block.kind == "heading":
            if line.kind == "html":
                return _html_candidate(doc, block)
            start = line.start + (len(text[line.start:line.end]) - len(text[line.start:line.end].lstrip()))
            title = clean_title(raw)
            if not title:
                return None
            found = match_pattern(strip_decoration(title))
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
        bare = strip_decoration(title)
        end = start + len(raw)
        if not looks_like_heading_line(bare) or is_sentence(bare):
            return None
        single = block.first_line == block.last_line
        found = match_pattern(bare)
        wrapped = None if single else wrapped_heading(doc, block, found is not None)
        if wrapped:
            title, end, single = wrapped[0], wrapped[1], True
            bare = strip_decoration(title)
        if found:
            kind, number = found
            if bare_number(bare, kind, number) and block.start not in doc.heading_hints:
                # LaTeX prints "\\section{Introduction}" as "1 Introduction": in a heading's font
                # the bare number is the section's.
                return None
            # Numbered list items ("1. Elle quitte le raisonnement…") are not headings: a heading
            # stands alone and is short.
            if kind in ("roman", "letter", "decimal", "label") and (not single or words(title) > SLIDE_MAX_WORDS):
                return None
            if kind not in FIXED_RANK and not single:
                return None
            if kind == "decimal":
                # "1)" is another scheme than "1." / "1 –": under "1. …" it numbers sub-points.
                paren = bare[len(number):].lstrip(" \t\u00a0")[:1] == ")"
                style = ("decimal", number.rstrip(".").count(".") + 1, ")" if paren else ".")
            elif kind == "letter":
                style = ("letter", number.isupper())
            elif kind == "label":
                style = ("label", label_of(bare))
            else:
                style = (kind,)
            return _Candidate(block, start, end, title, kind, number.upper() if kind == "roman" else number,
                              style, rank=FIXED_RANK.get(kind))
        if KEYWORDS.match(bare) and words(title) <= SLIDE_MAX_WORDS and (single or ":" not in title):
            # "Bibliographie" right above its entries, with no blank line between: the block's
            # first line is the heading.
            return _Candidate(block, start, end, title, "keyword", None, ("keyword",))
        if not single:
            return None
        if LEAD_IN.search(bare) and (words(bare) >= LEAD_IN_MIN_WORDS or introduces(doc, block)):
            # "Weber le dit sans détour :", "Voici les trois points :": a sentence announcing the
            # quotation or list below it, not a title. Numbered lines and keywords ("Plan :") keep
            # their colon and were taken above; a short label over a paragraph ("Contexte :")
            # may still be a slide title.
            return None
        if title_block_line(bare):
            return None  # "Rédigé par …", "Cours : …", "Licence 2 …": a title block's line
        # A line a PDF prints in a heading's font is a heading even when it is long.
        typographic = block.start in doc.heading_hints and words(title) <= 2 * SLIDE_MAX_WORDS
        if not typographic and (not slides or words(title) > SLIDE_MAX_WORDS or len(title) > SLIDE_MAX_CHARS):
            return None
        topic = (words(title) <= TOPIC_MAX_WORDS and not re.search(r"\s:|:\s|[«“\"]", title)
                 and not title.endswith(":"))
        return _Candidate(block, start, end, title, "slide", None, ("slide", 0 if topic else 1),
                          rank=0 if topic else 5)

    @staticmethod
    def _rank_styles(candidates: list[_Candidate]) -> set[tuple]:
        """Settle the styles whose level depends on their neighbours; return the styles of the
        numbered divisions a deck is cut into."""
        first_numbered = next((i for i, c in enumerate(candidates)
                               if c.kind not in ("slide", "keyword", "markdown")), len(candidates))
        slide_before = any(c.kind == "slide" for c in candidates[:first_numbered])
        # A deck cut into numbered parts ("Partie 2 – …", "Séance 3 : …", "II. …"): each part's
        # slide titles sit under it (see deck_divisions).
        held = deck_divisions(candidates)
        divisions = [i for i, c in enumerate(candidates) if c.style in held]
        if divisions:
            fixed = [candidates[i] for i in divisions if candidates[i].rank is not None]
            top = min(fixed, key=lambda c: c.rank) if fixed else candidates[divisions[0]]
        markdown_rank = 0
        for i, c in enumerate(candidates):
            if c.style == ("html-bold",):
                # A whole line in bold under "# Titre" heads a part of it, like a "##".
                c.style, c.rank = ("md", markdown_rank + 1), markdown_rank + 1
            elif c.kind == "markdown":
                markdown_rank = c.rank or 0
            if c.kind == "keyword":
                if divisions and i > divisions[-1]:
                    # "Discussion", "Conclusion", "Bibliographie" after the last part: the whole
                    # deck's, a sibling of its parts.
                    c.style, c.rank = top.style, top.rank
                # "Introduction … I. … II. … Conclusion": the keyword is a sibling of the top
                # numbered heading; among slide titles it is a slide title itself, and so is a
                # keyword before or inside the parts of a deck ("Plan", a part's "Conclusion").
                elif divisions or slide_before or first_numbered == len(candidates):
                    c.style, c.rank = ("slide", 0), 0
                else:
                    top_numbered = candidates[first_numbered]
                    c.style, c.rank = top_numbered.style, top_numbered.rank
            # A short slide title right under another, with nothing between, is its subtitle.
            if c.kind in ("slide", "keyword") and c.style == ("slide", 0) and i \
                    and candidates[i - 1].style == ("slide", 0) and candidates[i - 1].index + 1 == c.index:
                c.style, c.rank = ("slide", 1), 5
        return held

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
            base = CONTINUED.sub("", cand.title)
            if any(_same_title(s.title, base) and c.kind == cand.kind for c, s in stack):
                # "Titre (suite)", or "Titre" again on a later slide while "Titre" is still open
                # (a subtitle between the two): the open section goes on.
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
            elif cand.above_slides:
                while stack and stack[-1][0].kind in ("slide", "keyword"):
                    stack.pop()
            elif cand.kind == "decimal" and any(_deeper_decimal(c, cand) for c, _ in stack):
                # "2." after "1.1" without "1." seen: fewer dots always mean a higher level.
                del stack[next(i for i, (c, _) in enumerate(stack) if _deeper_decimal(c, cand)):]
            elif cand.rank is not None:
                # Ranks of plain-line conventions and '#' levels are not comparable: a plain
                # heading never closes a Markdown section, it opens inside it.
                while stack and stack[-1][0].kind != "markdown" and stack[-1][0].rank is not None \
                        and stack[-1][0].rank >= cand.rank:
                    stack.pop()
            parent = stack[-1][1] if stack else None
            kind = cand.kind
            if kind == "label":  # "Texte 2": reported as the number it carries
                kind = "roman" if re.fullmatch(r"[IVXLC]+", cand.number or "") else "decimal"
            section = Section(id=f"s{len(sections) + 1}", title=cand.title, level=len(stack) + 1,
                              parent_id=parent.id if parent else None, kind=kind, number=cand.number,
                              span=Span(start=cand.start, end=len(text)),
                              heading_span=Span(start=cand.start, end=cand.end),
                              page=doc.page_at(cand.start))
            sections.append(section)
            stack.append((cand, section))
        _close_spans(text, sections)
        return sections


def _deeper_decimal(open_: _Candidate, cand: _Candidate) -> bool:
    """``open_`` is a decimal heading of the same scheme as ``cand`` with more dots ("1.1" for "2.")."""
    return (open_.kind == "decimal" and open_.style[0] == "decimal" and open_.style[2:] == cand.style[2:]
            and open_.style[1] > cand.style[1])


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
