"""Setting metadata fields with their spans: the first value found wins, a title loses its
subtitle, authors are added once; a handout title that names the book ("TD : *Titre*")."""

from __future__ import annotations

import re

from pipeline.models import Metadata, Span
from pipeline.text import fold_words
from pipeline.stages.book_line import _Book, _EMPHASISED, _split_subtitle
from pipeline.stages.dates import _YEAR
from pipeline.stages.person_names import _NAME_SPLIT, _is_names, _names_or_surnames, _strip_links
from pipeline.stages.sections import clean_title
from pipeline.stages.title_lines import _DECORATION, _GENRE_LABEL, _HANDOUT_TITLE, _Unit

def _narrow(text: str, span: Span, value: str) -> Span:
    """The span of ``value`` inside ``span`` when it is written there as such, else ``span``."""
    at = text.find(value, span.start, span.end) if value else -1
    return Span(start=at, end=at + len(value)) if at >= 0 else span


def _set(meta: Metadata, name: str, value: str, span: Span, text: str = "") -> None:
    value = value.strip().strip("*_").strip()
    if not value:
        return
    where = _narrow(text, span, value) if text else span
    if name.startswith("book."):
        attr = name.split(".", 1)[1]
        if attr == "authors":
            for author in _NAME_SPLIT.split(value):
                _add_author(meta, author, span, text)
            return
        if attr == "year":
            m = re.search(_YEAR, value)
            if m is None or meta.book.year is not None:
                return
            meta.book.year = int(m.group(0))
            meta.provenance[name] = _narrow(text, span, m.group(0)) if text else span
            return
        if getattr(meta.book, attr) is None:
            setattr(meta.book, attr, value)
            meta.provenance[name] = where
        return
    if getattr(meta, name) is None:
        setattr(meta, name, value)
        meta.provenance[name] = where


def _set_title(meta: Metadata, value: str, span: Span, text: str = "") -> None:
    """The book's title, its subtitle cut off after the first ". " or " : " ("Titre. Sous-titre")."""
    value = _DECORATION.sub("", _strip_links(value).strip())
    if not value:
        return
    title, subtitle = _split_subtitle(value)
    if meta.book.title is not None:
        # The same title met again with its subtitle ("# Fiche — Titre", then "Ouvrage : A, *Titre.
        # Sous-titre*, …"): the first title stays, the subtitle is still news.
        if subtitle and meta.book.subtitle is None and fold_words(title) == fold_words(meta.book.title):
            _set(meta, "book.subtitle", subtitle, span, text)
        return
    _set(meta, "book.title", title, span, text)
    if subtitle and meta.book.subtitle is None:
        _set(meta, "book.subtitle", subtitle, span, text)


def _set_book(meta: Metadata, book: _Book, span: Span, text: str) -> None:
    if book.title:
        _set_title(meta, book.title, span, text)
    if not meta.book.authors:
        for name in book.authors:
            _add_author(meta, name, span, text)
    if book.publisher:
        _set(meta, "book.publisher", book.publisher, span, text)
    if book.year:
        _set(meta, "book.year", book.year, span, text)


def _add_author(meta: Metadata, name: str, span: Span, text: str = "") -> None:
    name = _strip_links(name).strip().strip("*_ ").strip()
    if name and name not in meta.book.authors:
        meta.provenance[f"book.authors[{len(meta.book.authors)}]"] = _narrow(text, span, name) if text else span
        meta.book.authors.append(name)

def _book_from_title(unit: _Unit, meta: Metadata, text: str) -> None:
    """'TD : *En attendant les robots*': the emphasised or quoted part names the book;
    'CHAUVIN/JOUNIN — L'observation directe': the authors, then the book."""
    if _GENRE_LABEL.fullmatch(unit.value):
        return  # "COMPTE RENDU DE LECTURE": a label, no book in it
    for m in _EMPHASISED.finditer(unit.raw.replace("***", "**")):
        inner = next(g for g in m.groups() if g)
        inner = clean_title(inner)
        if inner and not _HANDOUT_TITLE.fullmatch(inner):
            if _HANDOUT_TITLE.match(inner):
                inner = re.sub(r"^[^:]*:\s*", "", inner)
            if inner:
                _set(meta, "book.title", inner, unit.span, text)
                return
    if (m := re.match(r"[^:]+:\s*(?P<book>.+?),?\s+(?:de|par)\s+(?P<names>[^,]+)$", unit.value)) and \
            _HANDOUT_TITLE.match(unit.value) and _is_names(m.group("names")):
        _set_title(meta, m.group("book"), unit.span, text)  # "Fiche de lecture : Titre, de Jean Dupin"
        if not meta.book.authors:
            for name in _NAME_SPLIT.split(m.group("names")):
                _add_author(meta, name, unit.span, text)
        return
    if m := _KIND_OF_BOOK.match(unit.value):
        # "Analyse de *Titre*", "Fiche de lecture sur Titre": what follows names the book.
        _set_title(meta, re.sub(r"\s*\[\d+\]$", "", m.group("book")), unit.span, text)
        return
    _authors_and_title(unit.value, meta, unit.span, text)


_KIND_OF_BOOK = re.compile(r"^(?:fiches?\s+de\s+lecture|notes?\s+de\s+lecture|compte[- ]rendu|recension|"
                           r"lecture|analyse|r[ée]sum[ée]|synth[èe]se|commentaire)(?:\s+(?:de|du|d['’]|sur)\s*|"
                           # "Fiche de lecture : Titre": a reading note's kind, a colon, the book it reads
                           r"(?<=lecture)\s*[:–—]\s+|(?<=rendu)\s*[:–—]\s+|(?<=recension)\s*[:–—]\s+)"
                           r"(?P<book>(?:l['’]|[«“])?\s*(?-i:[A-ZÀ-Ý]).*)$", re.I)


def _authors_and_title(value: str, meta: Metadata, span: Span, text: str) -> bool:
    """"Authors — Title" or "Title / AUTHOR" as a heading names the book and who wrote it."""
    parts = re.split(r"\s+[—–-]\s+|\s+/\s+", value, maxsplit=1)
    if len(parts) != 2 or meta.book.title is not None:
        return False
    for names, title in (parts, parts[::-1]):
        if _names_or_surnames(names) and title[:1].isupper() and not _names_or_surnames(title):
            _set_title(meta, title, span, text)
            if not meta.book.authors:
                for name in re.split(r"\s*/\s*|" + _NAME_SPLIT.pattern, names):
                    _add_author(meta, name, span, text)
            return True
    return False
