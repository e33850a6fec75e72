"""Headed sections and their hierarchy.

Handouts mark headings in many ways: Markdown ``#``, "Partie N", "Chapitre N", "Séance N", roman
"I. / II.", "A) / B)", decimal "1. / 1.1", bare keywords ("Introduction"), and, in slides converted
to text, a short line standing alone between blank lines. Each heading gets a *style*; the hierarchy
comes from the order styles appear in (a style seen again closes everything opened since), with a
fixed order for the conventions whose rank is unambiguous (a part holds chapters, never the reverse).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from pipeline.document import Block, Document
from pipeline.models import Section, SectionKind, Span
from pipeline.text import fold_words

_SP = r"[ \t\u00a0]"
_ORDINAL = (r"(?:premi[eè]re?|1re|1er|deuxi[eè]me|seconde?|troisi[eè]me|quatri[eè]me|cinqui[eè]me|"
            r"sixi[eè]me|septi[eè]me|huiti[eè]me|neuvi[eè]me|dixi[eè]me|derni[eè]re?|\d+e|\d+[èe]me|"
            r"I(?:re|er)|[IVX]{1,4}e|[IVX]{1,4}[èe]me)")  # "Ire partie", "IIe partie": roman ordinals
_NUM = r"(?:\d{1,3}|[IVXLC]{1,6}|[A-Z])"
# (kind, pattern). Order matters: the first match wins.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("part", re.compile(rf"(?:partie{_SP}+(?P<n>{_NUM})\b|(?P<o>{_ORDINAL}){_SP}+partie\b)", re.I)),
    ("chapter", re.compile(rf"(?:chapitre|chap\.?|ch\.){_SP}*(?P<n>{_NUM}|premier|{_ORDINAL})\b", re.I)),
    ("session", re.compile(rf"(?:s[ée]ance|le[çc]on|cours|semaine|td|tp|module){_SP}+(?P<n>\d{{1,3}}|[IVXLC]{{1,6}})\b",
                           re.I)),
    # "Texte 2 – …", "Axe 1 : …", "Document 3", "Question 4 :": a capitalised label and its number,
    # the way a dossier numbers the texts or themes it studies (its style is the label).
    ("label", re.compile(rf"(?P<label>[A-ZÀ-Ý][a-zà-ÿ]{{2,14}}){_SP}+(?P<n>\d{{1,3}}|[IVXLC]{{1,6}})"
                         rf"(?:{_SP}*[–—:.)-](?=\s|$){_SP}*(?=\S)|{_SP}*$)")),
    ("roman", re.compile(rf"(?P<n>[IVX]{{1,5}}){_SP}*[.)/–—-](?![\w.]){_SP}*(?=\S)")),
    ("letter", re.compile(rf"(?P<n>[A-Ha-h]){_SP}*[.)/–—-](?![\w.]){_SP}*(?=\S)")),
    # "1. ", "1) ", "1/ " (a slash, as in "I/ … 1/ …" plans), "1 – ", "1.1 ".
    ("decimal", re.compile(rf"(?P<n>\d{{1,2}}(?:\.\d{{1,2}}){{0,3}})(?:\.|\)|/|{_SP}*[–—-](?!\d))?{_SP}+(?=\D)")),
]
# Keywords that title a part of a handout. Only the structural ones may carry a subtitle after a
# colon ("Conclusion : « Que faire ? »"); "Note : …" or "Question : …" followed by a sentence is a
# remark in the running text, not a heading.
_KEYWORDS = re.compile(
    r"(?:(?:introduction|conclusions?|r[ée]sum[ée]|synth[èe]se|discussion|ouverture|probl[ée]matique|"
    r"bibliographie|annexes?)(?:\s*(?:g[ée]n[ée]rale|:.*))?"
    r"|(?:r[ée]f[ée]rences|questions?|plan|sommaire|avant-propos|pr[ée]face|notes?|glossaire|lexique|critique|"
    r"biographie|l'auteur|l’auteur|(?:pour\s+)?aller\s+plus\s+loin)(?:\s*:)?)$", re.I)
# Lines that stand alone but are not headings.
_CAPTION = re.compile(r"(?:(?:figure|tableau|table|graphique|source|sources|image|photo|illustration|"
                      r"sch[ée]ma|carte|document|cr[ée]dits?|légende)\b|fig\.|doc\.)\s*(?:\d|:|-|–|—|n°)", re.I)
_FIELD = re.compile(r"[A-ZÀ-Ý][A-ZÀ-Ý0-9 .,'’()/-]{1,40}\s?:(?!\S)")  # "DISCIPLINES : …"
_PAGE_MARK = re.compile(r"p(?:age|\.)?\s*\d+\s*$", re.I)
_URL = re.compile(r"https?://|www\.|<[a-z]+:", re.I)
# A date on its own line ("08 mai 2023", "12/03/2025"): the date of a slide or a note, not a title.
_DATE = re.compile(r"(?:le\s+)?(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?"
                   r"(?:\d{1,2}(?:er)?\s+(?:janv|f[ée]vr|mars|avr|mai|juin|juil|ao[uû]t|sept|oct|nov|d[ée]c)"
                   r"[a-zéû]*\.?(?:\s+\d{4})?|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})$", re.I)
# Lines of a title block wherever it sits (at the end of a note, or missed at the top): labelled
# fields, "… par <name>", the degree and the university, the date a work was handed in.
_TITLE_FIELD = re.compile(
    r"(?:cours|s[ée]minaire|ue|ec|td|enseignant|enseignante|enseignants|professeure?|charg[ée]e?\s+de\s+td|"
    r"intervenante?|date|auteure?s?|ouvrage|livre|[ée]dition|[ée]diteur|traduction|traducteur|traductrice|"
    r"groupe|ann[ée]e|semestre|niveau|formation|fili[èe]re|promotion|[ée]tudiante?s?|nom|pr[ée]nom|"
    r"titre\s+original|mots?[- ]cl[ée]s|tags?)\s*[:\u00a0\u202f]"
    r"|.{0,60}?\b(?:pr[ée]sent[ée]e?s?|r[ée]dig[ée]e?s?|r[ée]alis[ée]e?s?|pr[ée]par[ée]e?s?|"
    r"traduite?s?|dirig[ée]e?s?)(?:\s+\S+){0,3}?\s+par\b|.{0,40}?\bsous\s+la\s+direction\s+de\b"
    r"|(?:expos[ée]|compte[- ]rendu|fiche\s+de\s+lecture|note\s+de\s+lecture|dossier\s+de\s+lecture)\s+(?:de|d['’])\s*[A-ZÀ-Ý]"
    r"|(?:rendue?s?|remise?s?|soutenue?s?)\s+le\b|s[ée]ance\s+du\b"
    r"|(?:licence|master|l[1-3]|m[12]|doctorat|dut|but|bts|cpge|universit[ée]|facult[ée]|ufr|d[ée]partement)\b"
    r"|semestre\s+\d|ann[ée]e\s+universitaire", re.I)
# A line ending with a school year: alone, after a separator, or after "année" / "promotion".
_ACADEMIC_YEAR = re.compile(r"(?:.{0,60}?(?:[-–—:,|]|\b(?:ann[ée]e|promotion|promo)))?[ \u00a0]*"
                            r"((?:19|20)\d\d)[ \u00a0]*[-/–—][ \u00a0]*((?:19|20)\d\d)", re.I)


def _title_block_line(title: str) -> bool:
    if _TITLE_FIELD.match(title):
        return True
    # "Semestre 2 – 2024-2025": two consecutive years closing the line are a school year; "La
    # crise de 1929-1933" or "La pandémie de 2020-2021" are periods of history.
    m = _ACADEMIC_YEAR.fullmatch(title)
    return bool(m) and int(m[2]) == int(m[1]) + 1
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


# Markdown footnote calls ("Greed[^11]") belong to the note, not to the title.
_FOOTNOTE_CALL = re.compile(r"\[\^[^\]\s]{1,20}\]")
# Runs of rule characters framing a title ("--- Résumé ---", "=== Plan ===", "~ Annexes ~~").
_RULE_CHARS = "-–—=~_*·•"
_RULE_RUN = re.compile(r"^(?:[-–—=~_*·•]{2,}\s*)+|(?:\s*[-–—=~_*·•]{2,})+$")
# Unicode categories of decoration: symbols (emoji, dingbats "✦ ★ ☝ 📚", arrows), emoji variation
# selectors and joiners (Mn, Cf), private-use icons of exported fonts (Co). Deciding on the category
# rather than on a list of symbols keeps up with whatever emoji a note-taking app inserts.
_DECORATION_CATEGORIES = frozenset({"So", "Sk", "Sm", "Mn", "Me", "Cf", "Co", "Cs", "Zs", "Cc"})


def _strip_decoration(title: str) -> str:
    """A title without the emoji, dingbats and rule runs around it: decoration, not wording."""
    previous = None
    while previous != title:
        previous = title
        i, j = 0, len(title)
        while i < j and (title[i].isspace() or unicodedata.category(title[i]) in _DECORATION_CATEGORIES):
            i += 1
        while j > i and (title[j - 1].isspace() or unicodedata.category(title[j - 1]) in _DECORATION_CATEGORIES):
            j -= 1
        title = title[i:j]
        if title[:1] in _RULE_CHARS or title[-1:] in _RULE_CHARS:
            title = _RULE_RUN.sub("", title)
    return title


def clean_title(raw: str) -> str:
    """Heading text without Markdown emphasis, '#' marks, footnote calls or doubled spaces.

    Emoji and dingbats stay: the title is the heading as written. What a heading *is* is decided
    on ``_strip_decoration(title)``, so "📚 Bibliographie" is the keyword "Bibliographie"."""
    title = _EMPHASIS.sub("", _FOOTNOTE_CALL.sub("", raw)).strip().strip("#").strip()
    return re.sub(r"\s+", " ", title)


def _match_pattern(title: str) -> tuple[str, str | None] | None:
    for kind, pattern in _PATTERNS:
        if m := pattern.match(title):
            number = m.groupdict().get("n") or m.groupdict().get("o")
            return kind, number
    return None


def _label(title: str) -> str:
    """The label of a "Texte 2 – …" heading, folded: what its siblings share."""
    return fold_words(title.split(None, 1)[0])


# Session headings that open a body; "TD 3", "TP 2" or "Cours 4" more often name the handout itself.
_SESSION_HEADING = re.compile(r"(?:s[ée]ance|le[çc]on|semaine|module)\b", re.I)


def is_structural_heading(title: str) -> bool:
    """A line shaped like a numbered or keyword heading ("Introduction", "I. …", "Partie 1 : …",
    "1. …", "Séance 2"), which never belongs to a handout's title block."""
    title = _strip_decoration(title)
    if not title or _words(title) > _SLIDE_MAX_WORDS or _is_sentence(title):
        return False
    if _KEYWORDS.match(title):
        return True
    found = _match_pattern(title)
    if found is None or _bare_number(title, *found) or found[0] == "label":
        return False  # "Licence 3 – Sociologie" is a title-block line as often as "Texte 3 – …" a heading
    return found[0] != "session" or bool(_SESSION_HEADING.match(title))


def _bare_number(title: str, kind: SectionKind, number: str | None) -> bool:
    """A number with no "." or ")" after it starts an ordinary phrase ("12 ans de terrain", "08 mai
    2023"), not a numbered heading; "1.2 Titre" needs no separator."""
    if kind != "decimal" or number is None or "." in number or not title[len(number):][:1].isspace():
        return False
    # "1 – Le contexte": the dash after the number is the separator of a numbered heading.
    return not re.match(rf"{_SP}*[–—-]{_SP}", title[len(number):])


# "Chapitre 2 (p. 40-80)": a chapter heading announcing the pages it covers, not a quotation line.
_DECLARED_PAGES = re.compile(r"(?:chapitre|chap\.|partie|livre)\b[^«»“”\"]{0,120}\(\s*p{1,2}\.?\s*\d{1,4}\s*"
                             r"(?:[-‐‑–—]|à)\s*\d{1,4}\s*\)$", re.I)


def _looks_like_heading_line(title: str) -> bool:
    """Shared filters for any standalone line before it may count as a heading."""
    if not title or len(title) > 200:
        return False
    if _URL.search(title) or _CAPTION.match(title) or _PAGE_MARK.match(title) or _DATE.match(title):
        return False
    if _FIELD.match(title) and not _KEYWORDS.match(title):
        return False  # "DISCIPLINES : …" is a field; "CONCLUSION : …" a heading in capitals
    if re.search(r"(?:\.{3,}|…{2,}|·{3,}|_{3,})[ \t]*\d{1,4}$", title):
        return False  # "I. Le cadre ........ 3": an entry of a table of contents
    if re.search(r"\w-$", title):
        return False  # ends with a word cut at the line's end: a line of a wrapped paragraph
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


# A sentence announcing what follows ("Weber le dit sans détour :", "Voici ses trois thèses :").
_LEAD_IN = re.compile(r":$")
_LEAD_IN_MIN_WORDS = 5


def _introduces(doc: Document, block: Block) -> bool:
    """The block right after ``block`` is a quotation or a list: what a line ending with ":" announces."""
    lines = doc.lines
    i = block.last_line + 1
    while i < len(lines) and lines[i].kind == "blank":
        i += 1
    if i >= len(lines):
        return False
    nxt = lines[i]
    if nxt.kind != "text":
        return nxt.kind in ("code", "table")
    head = doc.text[nxt.start:nxt.end]
    return bool(nxt.bullet or nxt.quote_depth or head[:1] in " \t\u00a0"
                or head.lstrip()[:1] in "«“\"‘'")
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
    if _words(body) < 2 or _match_pattern(line.strip()):
        return None
    return body, m["n"]


def _running_key(line: str) -> str | None:
    split = _running_split(line)
    return fold_words(split[0]) if split else None


def _running_lines(doc: Document) -> set[str]:
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
        elif _closes_slide(lines, i) and _words(raw) >= 2:
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


def _first_text_line(doc: Document) -> int | None:
    return next((line.index for line in doc.lines if line.kind not in ("blank", "front_matter")), None)


# Words a title line cannot end on: the title goes on on the next line ("… et la\ndécouverte …").
_OPEN_END = re.compile(r"(?:\b(?:et|ou|de|du|des|la|le|les|un|une|à|au|aux|en|par|pour|sur|dans|contre|"
                       r"entre|avec|sans|sous|vers|chez)|[dlDL][’']|[,–—-])$", re.I)


def _wrapped_heading(doc: Document, block: Block, numbered: bool) -> tuple[str, int] | None:
    """A heading typed or printed over two or three lines, as one title: (title, end offset).

    The continuation must read as the rest of the title: it starts in lower case, the first line
    ends on a word that cannot end a title, or both lines are in capitals ("DEUXIÈME PARTIE –
    GRANDEUR ET\nDÉCADENCE …"). Only numbered headings and lines in a PDF's heading font wrap."""
    lines = doc.lines[block.first_line:block.last_line + 1]
    if len(lines) > 3 or any(line.bullet or line.quote_depth for line in lines):
        return None
    if not numbered and block.start not in doc.heading_hints:
        return None
    parts = [doc.text[line.content_start:line.end].strip() for line in lines]
    for before, after in zip(parts, parts[1:]):
        if not after or not (after[0].islower() or _OPEN_END.search(before)
                             or (before.isupper() and after.upper() == after)):
            return None
    title = clean_title(" ".join(parts))
    bare = _strip_decoration(title)
    if _words(title) > 2 * _SLIDE_MAX_WORDS or _is_sentence(bare) or bare.endswith(":") \
            or not _looks_like_heading_line(bare):
        return None
    last = lines[-1]
    return title, last.start + len(doc.text[last.start:last.end].rstrip())


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
    bare = _strip_decoration(title)
    if not bare or _words(title) > _SLIDE_MAX_WORDS or _is_sentence(bare) or bare.endswith(":") \
            or not _looks_like_heading_line(bare):
        return None  # "<b>P. 12</b>", "<b>Source : …</b>", "<strong>Note :</strong>"
    line = doc.lines[block.first_line]
    tag = _HTML_HEADING.match(doc.text, line.start, line.end)["tag"].lower()
    found = _match_pattern(bare)
    level = int(tag[1]) if tag.startswith("h") else None
    # A bold line takes its level from the Markdown heading above it (see _rank_styles).
    return _Candidate(block, block.start, block.end, title, "markdown", found[1] if found else None,
                      ("md", level) if level else ("html-bold",), rank=level)


# "Titre (suite)", "Titre (suite et fin)", "Titre – suite", "Titre (2/3)": a slide continued.
_CONTINUED = re.compile(r"[ \u00a0]*(?:\((?:suite(?:[ \u00a0]+et[ \u00a0]+fin)?|fin|cont\.?|bis|\d{1,2}[ \u00a0]*/[ \u00a0]*\d{1,2})\)"
                        r"|[-–—][ \u00a0]*suite)[ \u00a0]*:?$", re.I)
# Headings that close a whole document, never one session of it.
_CLOSING = re.compile(r"(?:discussion|bibliographie|r[ée]f[ée]rences|annexes?|glossaire|sources|"
                      r"(?:pour\s+)?aller\s+plus\s+loin)\b", re.I)


def _font_ranks(doc: Document, candidates: list[_Candidate]) -> None:
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
        if c.kind in ("slide", "keyword") and c.block.start in doc.heading_hints:
            if c.block.start in levels:
                sizes[i] = -levels[c.block.start]
            elif boxes := doc.boxes_for(c.start, c.end):
                sizes[i] = round(max(box[4] - box[2] for box in boxes))
    if levels and len(sizes) != sum(c.block.start in levels for c in candidates
                                    if c.kind in ("slide", "keyword") and c.block.start in doc.heading_hints):
        return  # ranks and sizes do not compare: keep the slide ranks
    distinct = sorted(set(sizes.values()), reverse=True)
    if len(distinct) < 2:
        return
    for i, size in sizes.items():
        rank = distinct.index(size)
        candidates[i].style, candidates[i].rank = ("font", rank), rank


# "Anomie (anomy) : absence de règles communes": a term, its gloss, and its definition after the
# colon in lower case. A glossary is a run of them; a slide subtitle "Label : description" stands alone.
_DEFINITION = re.compile(r"[^:]{1,60}?[ \u00a0\u202f]?:[ \u00a0\u202f]+[a-zà-ÿ«“\"]")
_GLOSSARY = re.compile(r"(?:glossaire|lexique|vocabulaire|d[ée]finitions|notions(?:\s+cl[ée]s)?|concepts(?:\s+cl[ée]s)?)"
                       r"\s*:?$", re.I)


def _without_definitions(candidates: list[_Candidate]) -> list[_Candidate]:
    """Drop the definition lines of a glossary: two or more in a row, or any under a "Glossaire"
    / "Lexique" heading."""
    shaped = [c.kind == "slide" and bool(_DEFINITION.match(_strip_decoration(c.title))) for c in candidates]
    kept, in_glossary = [], False
    for i, c in enumerate(candidates):
        adjacent = any(0 <= j < len(candidates) and shaped[j] and abs(candidates[j].index - c.index) == 1
                       for j in (i - 1, i + 1))
        if shaped[i] and (adjacent or in_glossary):
            continue
        if not shaped[i]:
            in_glossary = bool(_GLOSSARY.match(_strip_decoration(c.title)))
        kept.append(c)
    return kept


# Heading shapes strong enough to be found inside a paragraph block: numbered with a dot or a
# parenthesis ("II. …", "2.1 …", "B) …" in capitals), parts, chapters, sessions.
_EMBEDDED_KINDS = ("part", "chapter", "session", "roman", "decimal")


def _embedded_heading(line_text: str) -> bool:
    title = _strip_decoration(clean_title(line_text))
    if not title or _words(title) > _SLIDE_MAX_WORDS or _is_sentence(title) or title.endswith(":") \
            or not _looks_like_heading_line(title):
        return False
    if _KEYWORDS.match(title):
        return ":" not in title
    found = _match_pattern(title)
    if found and found[0] == "letter":
        return found[1].isupper()  # "B) …" of a plan; "b) …" enumerates inside the paragraph
    return bool(found) and found[0] in _EMBEDDED_KINDS and not _bare_number(title, *found)


def _split_embedded_headings(doc: Document, blocks: list[Block]) -> list[Block]:
    """Split off the heading lines of a text whose paragraphs are separated by single line breaks.

    Word's "Enregistrer sous… Texte brut" writes one paragraph per line and no blank line: a
    numbered heading ("II. Le second temps") or a keyword ("Conclusion") is then one line of a
    long block. It is taken as a line of its own when the line before it ends a sentence (or is
    itself such a heading) and the line after it does not continue it in lower case."""
    out: list[Block] = []
    text, lines = doc.text, doc.lines
    for block in blocks:
        if block.kind != "paragraph" or block.first_line == block.last_line:
            out.append(block)
            continue
        cuts = []
        for i in range(block.first_line + 1, block.last_line + 1):
            line, prev = lines[i], lines[i - 1]
            prev_text = text[prev.content_start:prev.end].rstrip()
            if not (prev_text.endswith((".", "!", "?", "»", ")", "…", "”")) or (i - 1) in cuts):
                continue
            if not _embedded_heading(text[line.content_start:line.end]):
                continue
            if i < block.last_line and text[lines[i + 1].content_start:lines[i + 1].end][:1].islower():
                continue
            cuts.append(i)
        if not cuts:
            out.append(block)
            continue
        first = block.first_line
        for cut in cuts + [block.last_line + 1]:
            if cut > first:
                out.append(Block(first, cut - 1, block.start if first == block.first_line else lines[first].content_start,
                                 lines[cut - 1].end, "paragraph"))
            if cut <= block.last_line:
                out.append(Block(cut, cut, lines[cut].content_start, lines[cut].end, "paragraph"))
            first = cut + 1
    return out


class SectionFinder:
    """Finds headings in the body of a document (after its title block) and nests them."""

    def __call__(self, doc: Document, *, body_start: int = 0) -> list[Section]:
        blocks = [b for b in doc.blocks if b.start >= body_start or b.kind == "heading"]
        blocks = sorted(_split_embedded_headings(doc, blocks) + _html_headings(doc, body_start),
                        key=lambda b: b.start)
        # Marked-up headings make the standalone-line (slide) convention moot. In a plain-text
        # file one underlined line is the handout's title over slide titles; it takes two.
        headings = sum(b.kind == "heading" for b in blocks)
        markdown = headings >= (1 if doc.source.format == "markdown" else 2)
        running = _running_lines(doc)
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
                if running and (_running_key(doc.text[cand.start:cand.end]) in running
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
        self._rank_styles(candidates)
        _font_ranks(doc, candidates)
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
            found = _match_pattern(_strip_decoration(title))
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
        bare = _strip_decoration(title)
        end = start + len(raw)
        if not _looks_like_heading_line(bare) or _is_sentence(bare):
            return None
        single = block.first_line == block.last_line
        found = _match_pattern(bare)
        wrapped = None if single else _wrapped_heading(doc, block, found is not None)
        if wrapped:
            title, end, single = wrapped[0], wrapped[1], True
            bare = _strip_decoration(title)
        if found:
            kind, number = found
            if _bare_number(bare, kind, number) and block.start not in doc.heading_hints:
                # LaTeX prints "\\section{Introduction}" as "1 Introduction": in a heading's font
                # the bare number is the section's.
                return None
            # Numbered list items ("1. Elle quitte le raisonnement…") are not headings: a heading
            # stands alone and is short.
            if kind in ("roman", "letter", "decimal", "label") and (not single or _words(title) > _SLIDE_MAX_WORDS):
                return None
            if kind not in _FIXED_RANK and not single:
                return None
            if kind == "decimal":
                # "1)" is another scheme than "1." / "1 –": under "1. …" it numbers sub-points.
                paren = bare[len(number):].lstrip(" \t\u00a0")[:1] == ")"
                style = ("decimal", number.rstrip(".").count(".") + 1, ")" if paren else ".")
            elif kind == "letter":
                style = ("letter", number.isupper())
            elif kind == "label":
                style = ("label", _label(bare))
            else:
                style = (kind,)
            return _Candidate(block, start, end, title, kind, number.upper() if kind == "roman" else number,
                              style, rank=_FIXED_RANK.get(kind))
        if _KEYWORDS.match(bare) and _words(title) <= _SLIDE_MAX_WORDS and (single or ":" not in title):
            # "Bibliographie" right above its entries, with no blank line between: the block's
            # first line is the heading.
            return _Candidate(block, start, end, title, "keyword", None, ("keyword",))
        if not single:
            return None
        if _LEAD_IN.search(bare) and (_words(bare) >= _LEAD_IN_MIN_WORDS or _introduces(doc, block)):
            # "Weber le dit sans détour :", "Voici les trois points :": a sentence announcing the
            # quotation or list below it, not a title. Numbered lines and keywords ("Plan :") keep
            # their colon and were taken above; a short label over a paragraph ("Contexte :")
            # may still be a slide title.
            return None
        if _title_block_line(bare):
            return None  # "Rédigé par …", "Cours : …", "Licence 2 …": a title block's line
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
        sessions = [i for i, c in enumerate(candidates) if c.kind == "session"]
        markdown_rank = 0
        for i, c in enumerate(candidates):
            if c.style == ("html-bold",):
                # A whole line in bold under "# Titre" heads a part of it, like a "##".
                c.style, c.rank = ("md", markdown_rank + 1), markdown_rank + 1
            elif c.kind == "markdown":
                markdown_rank = c.rank or 0
            if c.kind == "keyword":
                if sessions and i > sessions[-1] and _CLOSING.match(c.title):
                    # "Discussion", "Bibliographie" after the last "Séance N": the whole deck's.
                    c.style, c.rank = ("session",), _FIXED_RANK["session"]
                # "Introduction … I. … II. … Conclusion": the keyword is a sibling of the top
                # numbered heading; among slide titles it is a slide title itself.
                elif slide_before or first_numbered == len(candidates):
                    c.style, c.rank = ("slide", 0), 0
                else:
                    top = candidates[first_numbered]
                    c.style, c.rank = top.style, top.rank
            # A short slide title right under another, with nothing between, is its subtitle.
            if c.kind in ("slide", "keyword") and c.style == ("slide", 0) and i \
                    and candidates[i - 1].style == ("slide", 0) and candidates[i - 1].index + 1 == c.index:
                c.style, c.rank = ("slide", 1), 5
        if sessions:
            # "Séance 2 : …" opens a part of a slide deck: the slide titles after it are its
            # sections (the slides before the first session stay at the top).
            for c in candidates:
                if c.style[0] == "slide":
                    c.rank = _FIXED_RANK["session"] + 1 + c.style[1]

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
            base = _CONTINUED.sub("", cand.title)
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
