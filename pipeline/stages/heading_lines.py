"""Which standalone lines may be headings: the filters every heading candidate passes.

A heading is short, starts with a capital, does not end like a sentence, and is none of the
lines that stand alone without heading anything: captions, dates, page marks, labelled fields,
title-block lines, sentences announcing a quotation ("Weber le dit sans détour :"). Also here: a
title's clean text (no Markdown emphasis, no decoration), a title wrapped over two lines, and the
heading lines hidden inside the one-line-per-paragraph blocks of a Word "texte brut" export.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.document import Block, Document
from pipeline.stages.dates import _MONTHS, _WEEKDAYS
from pipeline.stages.heading_numbers import KEYWORDS, SESSION_HEADING, SP, bare_number, match_pattern

# Lines that stand alone but are not headings.
_CAPTION = re.compile(r"(?:(?:figure|tableau|table|graphique|source|sources|image|photo|illustration|"
                      r"sch[ée]ma|carte|document|cr[ée]dits?|légende)\b|fig\.|doc\.)\s*(?:\d|:|-|–|—|n°)", re.I)
_FIELD = re.compile(r"[A-ZÀ-Ý][A-ZÀ-Ý0-9 .,'’()/-]{1,40}\s?:(?!\S)")  # "DISCIPLINES : …"
_PAGE_MARK = re.compile(r"p(?:age|\.)?\s*\d+\s*$", re.I)
_URL = re.compile(r"https?://|www\.|<[a-z]+:", re.I)
# A date on its own line ("08 mai 2023", "12/03/2025"): the date of a slide or a note, not a title.
_DATE = re.compile(rf"(?:le\s+)?(?:(?:{_WEEKDAYS})\s+)?"
                   rf"(?:(?:1er|\d{{1,2}})\s+(?:{_MONTHS})(?:\s+\d{{4}})?|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}})$", re.I)
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


def title_block_line(title: str) -> bool:
    if _TITLE_FIELD.match(title):
        return True
    # "Semestre 2 – 2024-2025": two consecutive years closing the line are a school year; "La
    # crise de 1929-1933" or "La pandémie de 2020-2021" are periods of history.
    m = _ACADEMIC_YEAR.fullmatch(title)
    return bool(m) and int(m[2]) == int(m[1]) + 1


_EMPHASIS = re.compile(r"(\*\*|__|\*|_)")
# The longest a heading line runs (a slide title included); longer, it is a line of text.
SLIDE_MAX_WORDS = 16
SLIDE_MAX_CHARS = 140


def words(text: str) -> int:
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


def strip_decoration(title: str) -> str:
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
    on ``strip_decoration(title)``, so "📚 Bibliographie" is the keyword "Bibliographie"."""
    title = _EMPHASIS.sub("", _FOOTNOTE_CALL.sub("", raw)).strip().strip("#").strip()
    return re.sub(r"\s+", " ", title)


def is_structural_heading(title: str) -> bool:
    """A line shaped like a numbered or keyword heading ("Introduction", "I. …", "Partie 1 : …",
    "1. …", "Séance 2"), which never belongs to a handout's title block."""
    title = strip_decoration(title)
    if not title or words(title) > SLIDE_MAX_WORDS or is_sentence(title):
        return False
    if KEYWORDS.match(title):
        return True
    found = match_pattern(title)
    if found is None or bare_number(title, *found) or found[0] == "label":
        return False  # "Licence 3 – Sociologie" is a title-block line as often as "Texte 3 – …" a heading
    return found[0] != "session" or bool(SESSION_HEADING.match(title))


# "Chapitre 2 (p. 40-80)": a chapter heading announcing the pages it covers, not a quotation line.
_DECLARED_PAGES = re.compile(r"(?:chapitre|chap\.|partie|livre)\b[^«»“”\"]{0,120}\(\s*p{1,2}\.?\s*\d{1,4}\s*"
                             r"(?:[-‐‑–—]|à)\s*\d{1,4}\s*\)$", re.I)


def looks_like_heading_line(title: str) -> bool:
    """Shared filters for any standalone line before it may count as a heading."""
    if not title or len(title) > 200:
        return False
    if _URL.search(title) or _CAPTION.match(title) or _PAGE_MARK.match(title) or _DATE.match(title):
        return False
    if _FIELD.match(title) and not KEYWORDS.match(title):
        return False  # "DISCIPLINES : …" is a field; "CONCLUSION : …" a heading in capitals
    if re.search(r"(?:\.{3,}|…{2,}|·{3,}|_{3,})[ \t]*\d{1,4}$", title):
        return False  # "I. Le cadre ........ 3": an entry of a table of contents
    if re.search(r"\w-$", title):
        return False  # ends with a word cut at the line's end: a line of a wrapped paragraph
    if title[0] in "«“\"'([<!|>-*+•➔→►➢–—=~`":
        return False
    # A heading starts with a capital, except the lower-case letters of the fourth level of a
    # French plan ("I. / A. / 1. / a) Un point précis").
    if title[0].islower() and not re.match(rf"[a-h][.)]{SP}+[A-ZÀ-Ý]", title):
        return False
    if re.search(r"\(\s*p{1,2}\.?\s*\d", title) and not _DECLARED_PAGES.match(title):
        return False  # carries a page reference: a quotation line
    if re.search(r"\[\d+(?:\s*[,;–-]\s*\d+)*\]$", title):
        return False  # ends with a numbered citation ("Vazken 1er [2, 1]"): a figure caption or a quote

    return True


def is_sentence(title: str) -> bool:
    # Headings do not end like sentences; "…" and "..." do end slide titles ("Se positionner par
    # rapport à ...") and "?" / "!" end question titles.
    return bool(re.search(r"(?<!\.\.)[.;,]$", title)) and not title.endswith(("...", "…"))


# A sentence announcing what follows ("Weber le dit sans détour :", "Voici ses trois thèses :").
LEAD_IN = re.compile(r":$")
LEAD_IN_MIN_WORDS = 5


def introduces(doc: Document, block: Block) -> bool:
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


# Words a title line cannot end on: the title goes on on the next line ("… et la\ndécouverte …").
_OPEN_END = re.compile(r"(?:\b(?:et|ou|de|du|des|la|le|les|un|une|à|au|aux|en|par|pour|sur|dans|contre|"
                       r"entre|avec|sans|sous|vers|chez)|[dlDL][’']|[,–—-])$", re.I)


def wrapped_heading(doc: Document, block: Block, numbered: bool) -> tuple[str, int] | None:
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
    bare = strip_decoration(title)
    if words(title) > 2 * SLIDE_MAX_WORDS or is_sentence(bare) or bare.endswith(":") \
            or not looks_like_heading_line(bare):
        return None
    last = lines[-1]
    return title, last.start + len(doc.text[last.start:last.end].rstrip())

# Heading shapes strong enough to be found inside a paragraph block: numbered with a dot or a
# parenthesis ("II. …", "2.1 …", "B) …" in capitals), parts, chapters, sessions.
_EMBEDDED_KINDS = ("part", "chapter", "session", "roman", "decimal")


def _embedded_heading(line_text: str) -> bool:
    title = strip_decoration(clean_title(line_text))
    if not title or words(title) > SLIDE_MAX_WORDS or is_sentence(title) or title.endswith(":") \
            or not looks_like_heading_line(title):
        return False
    if KEYWORDS.match(title):
        return ":" not in title
    found = match_pattern(title)
    if found and found[0] == "letter":
        return found[1].isupper()  # "B) …" of a plan; "b) …" enumerates inside the paragraph
    return bool(found) and found[0] in _EMBEDDED_KINDS and not bare_number(title, *found)


def split_embedded_headings(doc: Document, blocks: list[Block]) -> list[Block]:
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
