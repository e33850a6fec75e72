"""Metadata from YAML front matter (Obsidian and Markdown notes): `course`, `book`, `author`, `date`…"""

from __future__ import annotations

import re

from pipeline.document import Document
from pipeline.models import Metadata, Span
from pipeline.stages.book_line import _EMPHASISED, _publication
from pipeline.stages.dates import _best_date
from pipeline.stages.metadata_fields import _add_author, _set, _set_book, _set_title
from pipeline.stages.person_names import _NAME_SPLIT, _editor_names, _people, _strip_links
from pipeline.stages.title_lines import _BOOK_EMOJI, _DECORATION

_FM_COURSE = ("course", "cours", "ue", "seminaire", "module", "matiere", "enseignement")
_FM_PERIOD = ("date", "read_on", "seance", "date_seance", "rendu", "date_rendu", "semestre", "annee")
_FM_BOOK = ("book", "ouvrage", "livre", "oeuvre", "book_title", "titre_ouvrage")
_FM_AUTHOR = ("author", "auteur", "authors", "auteurs", "autrice", "book_author")
_FM_PRESENTER = ("presenter", "presente_par", "etudiant", "etudiante", "etudiants", "redige_par", "student")
_FM_PUBLISHER = ("publisher", "editeur", "edition", "editions", "maison_edition")
_FM_YEAR = ("year", "annee_publication", "published", "parution")


def read_front_matter(doc: Document) -> tuple[dict[str, tuple[str, Span]], dict[str, list[tuple[str, Span]]]]:
    """The front matter's fields (folded key -> first value and its span) and its lists (key ->
    every item): YAML block lists ("authors:" then "  - A"), inline lists ("[a, b]" is one value,
    split by whoever reads it) and indented continuation lines, which note-takers write as one item
    per line ("tags: féminisme" then "      anarchisme") though YAML would fold them into one string."""
    from pipeline.text import fold

    fields: dict[str, tuple[str, Span]] = {}
    lists: dict[str, list[tuple[str, Span]]] = {}
    open_key = None  # the key whose items the next indented lines give
    for line in doc.lines:
        if line.kind != "front_matter":
            if fields or line.index > 0:
                break
            continue
        raw = doc.text[line.start:line.end]
        if open_key and (m := re.match(r"\s+(?:-\s+)?[\"']?(.+?)[\"']?\s*$", raw)):
            item = (m.group(1), Span(start=line.start + m.start(1), end=line.start + m.end(1)))
            lists.setdefault(open_key, []).append(item)
            fields.setdefault(open_key, item)
            continue
        open_key = None
        if m := re.match(r"([^\W\d][\w-]*)\s*:\s*$", raw):
            open_key = fold(m.group(1)).replace("-", "_")
            continue
        if m := re.match(r"([^\W\d][\w-]*)\s*:\s*(.+?)\s*$", raw):
            value, start, end = m.group(2), line.start + m.start(2), line.start + m.end(2)
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                # YAML quoting wraps the whole value; a quote inside it ('Sur "L'invention du
                # quotidien"') belongs to the value and must survive.
                value, start, end = value[1:-1].strip(), start + 1, end - 1
            if value.startswith("[") and value.endswith("]") and not value.startswith("[["):
                value, start, end = value[1:-1].strip(), start + 1, end - 1  # an inline YAML list
            key = fold(m.group(1)).replace("-", "_")
            fields.setdefault(key, (value, Span(start=start, end=end)))
            if key not in lists:
                lists[key] = [(value, Span(start=start, end=end))]
                open_key = key
    return fields, lists


def _front_matter(doc: Document, meta: Metadata) -> None:
    fields, lists = read_front_matter(doc)
    if not fields:
        return
    text = doc.text

    def first(keys):
        return next((fields[k] for k in keys if k in fields), None)

    book_key = first(_FM_BOOK)
    author = first(_FM_AUTHOR)
    if "title" in fields or "titre" in fields:
        value, span = fields.get("title") or fields["titre"]
        shown = _DECORATION.sub("", value)
        _set(meta, "title", shown, span, text)
        quoted = _EMPHASISED.search(value)
        if book_key is None:
            if quoted:
                _set(meta, "book.title", next(g for g in quoted.groups() if g), span, text)
            elif "isbn" in fields or "subtitle" in fields or _BOOK_EMOJI.search(value):
                # A reading note's own title is the book's when it carries an ISBN or a subtitle,
                # or a book emoji ("📘 La Prospérité du vice").
                _set(meta, "book.title", shown, span, text)
            elif (m := re.match(r"(?:fiche(?:\s+de\s+lecture)?|notes?(?:\s+de\s+lecture)?|lecture|r[ée]sum[ée])"
                                r"\s*(?::|sur|de)\s+(?P<book>\S.*)$", shown, re.I)):
                _set_title(meta, m.group("book"), span, text)  # "Fiche : Titre : Sous-titre"
    if book_key is not None:
        _set_title(meta, *book_key, text)
    if "subtitle" in fields and meta.book.title:
        _set(meta, "book.subtitle", *fields["subtitle"], text)
    if author is not None:
        # Reading-note front matter with an ISBN or a book field describes the book, and so does a
        # wikilink to the author's note; otherwise the author field names whoever wrote the notes.
        value, span = author
        describes_book = "isbn" in fields or book_key is not None or "[[" in value
        items = next((lists[k] for k in _FM_AUTHOR if k in lists), [author])
        if describes_book:
            for value, span in items:
                for name in _NAME_SPLIT.split(_editor_names(_strip_links(value))):
                    _add_author(meta, name.strip(" \"'"), span, text)
        else:
            _set(meta, "presenter", _strip_links(value), span, text)
    if (found := first(_FM_PRESENTER)) is not None:
        _set(meta, "presenter", _people(found[0]), found[1], text)
    if (found := first(_FM_COURSE)) is not None:
        _set(meta, "course", _strip_links(found[0]), found[1], text)
    if (found := first(_FM_PERIOD)) is not None:
        value, span = found
        date = _best_date(value)
        # "2022-07-11T14:07:26-04:00": the date, not the time of day.
        _set(meta, "period", date[1] if date and re.match(r"\d{4}-\d\d-\d\dT", value) else value, span, text)
    if (found := first(_FM_PUBLISHER)) is not None:
        _set_book(meta, _publication(found[0]), found[1], text)
    if (found := first(_FM_YEAR)) is not None:
        _set(meta, "book.year", found[0], found[1], text)
