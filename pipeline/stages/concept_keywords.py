"""Keywords the handout's author declares: the front matter's `tags:` / `keywords:`, a
"Mots-clés : …" line, and the entries of a section headed "Glossaire", "Lexique", "Notions clés".
Note-takers (Obsidian, Zotero, Hugo and Jekyll notes) and fiche templates list there the notions
the note is about; a reader takes them as the author's own choice."""

from __future__ import annotations

import re

from pipeline.document import Document
from pipeline.models import Section, Span
from pipeline.stages.front_matter import read_front_matter
from pipeline.text import fold

# Front-matter keys, folded ("mots-clés" -> "mots_cles").
_KEYS = {"tags", "tag", "keywords", "keyword", "mots_cles", "motscles", "mots_clefs", "notions", "concepts",
         "themes", "theme", "sujets"}
# A body line labelled so: "Mots-clés : anomie, suicide égoïste", "**Notions clés** : …".
_LINE = re.compile(r"^[ \t>*_#-]*(?:mots?[- ]cl(?:é|e|ef)s?|notions?[- ]cl(?:é|e)s?|concepts?[- ]cl(?:é|e)s?|"
                   r"notions?\s+principales|concepts?\s+principaux|keywords?|tags?)[ \t*_]*:[ \t*_]*(?P<v>\S.*)$",
                   re.I | re.M)
# Tags that file the note rather than name a notion: its genre and its state ("fiche-lecture",
# "à relire", "todo") and machine tags ("fiche_lecture", "#2024/S1").
_FILING = re.compile(r"^(?:fiche|fiches|notes?|lecture|lectures|r[ée]sum[ée]s?|compte[- ]rendu|td|cours|expos[ée]|"
                     r"todo|[àa][- ]relire|lu|en[- ]cours|brouillon|draft|book|livre|reading)(?:[- ].*)?$", re.I)
_ITEM = re.compile(r"[^,;|]+")
# A section listing the notions: its heading, numbering and decoration aside.
_GLOSSARY_HEADING = re.compile(r"^\W*(?:[\dIVX]+\W+)?(?:glossaire|lexique|vocabulaire|d[ée]finitions|notions|concepts|"
                               r"(?:mots|notions?|concepts?|termes?)[- ]cl(?:é|e|ef)s?|"
                               r"(?:notions?|concepts?)\s+(?:à\s+retenir|importante?s|principa(?:les|ux))|"
                               r"glossary|key\s*words?|key\s+concepts)\W*$", re.I)
# One entry: "- Anomie", "Anomie : absence de règles", "**Anomie** = …", "Réciprocité,
# redistribution : …" (the terms before the colon), "Encastrement (embeddedness) : …".
_ENTRY = re.compile(r"^[ \t]*(?:[-*•+➔→]|\d+[.)])?[ \t]*(?P<t>[^:=\n]{1,80}?)[ \t]*(?:(?:\s[:=–—]|:)\s|$)",
                    re.M)
_BRACKETS = re.compile(r"\s*\([^()]*\)")


def declared_keywords(doc: Document, sections: list[Section] = ()) -> list[tuple[str, Span]]:
    """Each declared keyword with its span in ``doc.text``."""
    found = []
    for section in sections:
        if _GLOSSARY_HEADING.match(section.title.strip()):
            found += _entries(doc.text, section.heading_span.end, section.span.end)
    _fields, lists = read_front_matter(doc)
    for key, items in lists.items():
        if key in _KEYS:
            for value, span in items:
                found += _split(doc.text, span.start, span.end)
    body = next((line.start for line in doc.lines if line.kind != "front_matter"), len(doc.text))
    for m in _LINE.finditer(doc.text, body):
        found += _split(doc.text, m.start("v"), m.end("v"))
    return found


def _split(text: str, start: int, end: int) -> list[tuple[str, Span]]:
    """The items of "a, b; c" (or of one "#a #b" run of hashtags) in ``text[start:end]``."""
    return _items(text[start:end], start)


def _items(segment: str, offset: int) -> list[tuple[str, Span]]:
    """The items of ``segment``, which starts at ``offset`` of the document's text."""
    items = []
    for m in _ITEM.finditer(segment):
        raw = m.group()
        for piece in re.finditer(r"#?[^#\s][^#]*", raw) if "#" in raw else [re.match(r".*", raw, re.S)]:
            value = piece.group().strip().lstrip("#").strip(" \t*_\"'[]().")
            if not value or "_" in value or "/" in value or _FILING.match(fold(value)) or len(value.split()) > 4:
                continue
            at = segment.index(value, m.start() + piece.start())
            items.append((value, Span(start=offset + at, end=offset + at + len(value))))
    return items


def _entries(text: str, start: int, end: int) -> list[tuple[str, Span]]:
    """The terms a glossary section defines or lists, one entry per line."""
    items = []
    for m in _ENTRY.finditer(text, start, end):
        term = m.group("t")
        if not term.strip():
            continue
        head = _BRACKETS.sub(lambda b: " " * len(b.group()), term)  # "(embeddedness)": a gloss
        items += _items(head, m.start("t"))
    return items
