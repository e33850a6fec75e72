"""Reading the title block's lines in order: each line's shape and its neighbours decide which field
it fills (a name before the handout title presents it, names after it wrote the book, a name next to a
book title and its publisher wrote that book)."""

from __future__ import annotations

import re

from pipeline.document import Block, Document
from pipeline.models import Metadata, Span
from pipeline.stages.book_line import _AUTHORS_THEN_PUBLICATION, _Book, _TITLE_THEN_AUTHORS, _book_line, _looks_like_book_line, _publication
from pipeline.stages.dates import _BARE_DATE, _PERIOD, _YEAR, _best_date
from pipeline.stages.front_matter import _front_matter
from pipeline.stages.metadata_fields import _add_author, _authors_and_title, _book_from_title, _narrow, _set, _set_book, _set_title
from pipeline.stages.person_names import _NAME_SPLIT, _editor_names, _is_names, _people, _strip_links
from pipeline.stages.title_lines import _STUDENT, _BY_NAME, _HANDOUT_TITLE, _LABELLED, _LABELS, _Unit, _units
from pipeline.text import fold_words

class _Reader:
    """One pass over the title block's lines, in order, with what has been seen so far."""

    def __init__(self, doc: Document, *, front_matter: bool = True):
        self.doc = doc
        self.meta = Metadata()
        self.front_matter = front_matter
        self.title_seen = False
        self.names_seen = 0
        self.period_rank = -1
        self.prev: tuple[str | None, int] = (None, -1)  # role and block of the previous unit
        self.next_shape: str | None = None  # shape of the next unit
        self.has_course = self.has_presenter = False
        self.surname_only = False  # the presenter came from a "Nom :" field alone

    def read(self, blocks: list[Block]) -> tuple[Metadata, set[int]]:
        meta = self.meta
        if self.front_matter:
            _front_matter(self.doc, meta)
        if meta.period:
            self.period_rank = 9
        self.title_seen = meta.title is not None  # a front-matter title comes before every line
        used: set[int] = set()
        units = [u for i, b in enumerate(blocks) for u in _units(self.doc, b, i) if u.shape != "underline"]
        # A course or a student named by a label elsewhere in the block leaves the unlabelled lines
        # to the book ("LE QUARTIER\nJean Dupin\n\nCours : …\nPrésenté par …").
        labels = [_LABELLED.match(u.value) for u in units if u.shape == "labelled"]
        self.has_course = any(m.group("course") for m in labels) or any(u.shape == "code" for u in units)
        self.has_presenter = any(m.group("presenter") for m in labels) or any(u.shape == "by" for u in units) \
            or meta.presenter is not None
        context = _book_context(units)
        for n, unit in enumerate(units):
            self.next_shape = units[n + 1].shape if n + 1 < len(units) else None
            role = context.get(n) or self._role(unit)
            if role in ("book.title", "authors") and n in context:
                self._apply_context(unit, role)
            if role is not None and role != "skip":
                # Lines that fill nothing (a university, a teacher, a footer) never extend the title
                # block past its last field: "… – Institut Imaginaire" under a slide title is body.
                used.add(unit.block)
            if role == "title":
                self.title_seen = True
            if unit.shape == "names":
                self.names_seen += 1
            self.prev = (role, unit.block)
        if meta.book.authors and meta.book.title is None and meta.title:
            # "TD : Le don" followed by "Marcel Mauss": once the names after the title are known to
            # have written a book, the title (minus its "TD :" label) names that book. A bare
            # "Notes de lecture" names none.
            book = meta.title
            if _HANDOUT_TITLE.match(book):
                book = re.sub(r"^[^:]*:\s*", "", book) if ":" in book else ""
            if book:
                _set_title(meta, book, meta.provenance["title"])
        return meta, used

    def _apply_context(self, unit: _Unit, role: str) -> None:
        if role == "book.title":
            _set_title(self.meta, unit.value, unit.span)
        else:
            for name in _NAME_SPLIT.split(_editor_names(unit.value)):
                _add_author(self.meta, name, unit.span, self.doc.text)

    def _role(self, unit: _Unit) -> str | None:
        meta, value, span, text = self.meta, unit.value, unit.span, self.doc.text
        shape = unit.shape
        if shape in ("underline", "skip"):
            return "skip"
        if shape == "labelled":
            return self._labelled(unit)
        if shape == "by":
            _set(meta, "presenter", _people(_BY_NAME.match(value).group("value")), span, text)
            return "presenter"
        if shape == "editor":
            for name in _NAME_SPLIT.split(_editor_names(value)):
                _add_author(meta, name, span, text)
            return "authors"
        if shape == "contributor":
            return "skip"  # "Traduit de l'anglais par …, préface de …": never the authors
        if shape == "bookline":
            _set_book(meta, _book_line(value, unit.raw), span, text)
            return "book.title"
        if shape == "titled_by":
            m = _TITLE_THEN_AUTHORS.match(value)
            _set_book(meta, _Book(title=m.group("title"), authors=_NAME_SPLIT.split(m.group("authors")),
                                  year=m.group("year")), span, text)
            if meta.title is None:
                _set(meta, "title", value, span, text)
                self.title_seen = True
            return "book.title"
        if shape == "footer":
            return "footer"  # the title slide's footer ("Roux, Blanc · Titre · 1"): it fills no field
        if shape == "authored":
            m = _AUTHORS_THEN_PUBLICATION.match(value)
            publication = _publication(m.group("publication"))
            year = re.search(_YEAR, m.group("publication"))
            _set_book(meta, _Book(authors=_NAME_SPLIT.split(_editor_names(m.group("authors"))),
                                  publisher=publication.publisher, year=year.group(0) if year else None),
                      span, text)
            return "authors"
        if shape == "title":
            if meta.title is None:
                _set(meta, "title", value, span, text)
                _book_from_title(unit, meta, text)
                return "title"
            return "ignored"
        if shape == "period":
            self._period(value, span, whole=True)
            return "period"
        if shape == "student":
            if meta.presenter is None and not self.has_presenter:
                _set(meta, "presenter", _STUDENT.match(value).group("names"), span, text)
                return "presenter"
            return "skip"
        if shape == "institution":
            self._period(value, span, whole=False, rank_cap=0)
            return "skip"
        if shape == "names":
            if self.prev == ("presenter", unit.block) and meta.presenter and not self.title_seen:
                # Two names on two lines of one block before the title: both present it.
                meta.presenter = f"{meta.presenter}, {value}"
                old = meta.provenance["presenter"]
                meta.provenance["presenter"] = Span(start=min(old.start, span.start), end=max(old.end, span.end))
                return "presenter"
            if meta.presenter is None and not self.has_presenter and (
                    self.prev[0] == "course" or self.next_shape == "period" or not self.title_seen and self.names_seen == 0):
                # A name right under the course, over the date (a LaTeX \maketitle: title, author,
                # date), or before the handout's title, is the student's.
                _set(meta, "presenter", value, span, text)
                return "presenter"
            for name in _NAME_SPLIT.split(value):
                _add_author(meta, name, span, text)
            return "authors"
        if shape == "publisher":
            _set_book(meta, _publication(value), span, text)
            return "publisher"
        if shape == "code":
            _set(meta, "course", value, span, text)
            return "course"
        if not value[:1].isupper() and not value[:1].isdigit() and value[:1] not in "«“\"'":
            return None  # "ngrams": a lower-case word is a stray note, not a title or a course
        if re.search(r"https?://|www\.", value):
            return None  # a reference with its address: a source, not a title
        if (m := re.match(r"(.{6,}?)[\t ]+\d{1,3}$", unit.raw.strip())) and text.count(m.group(1)) > 1:
            # The title slide's footer and its number ("Weber – Le Savant et le politique⇥1"): it
            # belongs to that slide, and is no field.
            return "footer"
        if meta.book.title and fold_words(value) == fold_words(meta.book.title):
            meta.provenance["book.title"] = _narrow(text, span, meta.book.title)  # the title on its own line
            return "book.title"
        if meta.book.title and meta.book.subtitle is None and self.prev[0] == "book.title":
            # Only the line right under the book's title is its subtitle; a later plain line is
            # the first heading of the body (see find_title_block).
            _set(meta, "book.subtitle", value, span, text)
            return "book.subtitle"
        if meta.book.title is None and _authors_and_title(value, meta, span, text):
            return "book.title"  # "Jean Dupin – Le Quartier"
        if not self.title_seen and self.names_seen == 0 and meta.course is None and not self.has_course:
            _set(meta, "course", value, span, text)
            return "course"
        if meta.book.title is None and (self.title_seen or self.has_course):
            _set_title(meta, value, span, text)
            return "book.title"
        if meta.title is None:
            _set(meta, "title", value, span, text)
            return "title"
        return None

    def _labelled(self, unit: _Unit) -> str:
        meta, span, text = self.meta, unit.span, self.doc.text
        m = _LABELLED.match(unit.value)
        key = next(k for k in _LABELS if m.group(k.replace(".", "_")))
        value = m.group("value").strip()
        if key in ("teacher", "skip"):
            return "skip"
        if key == "period":
            self._period(value, span, whole=True, bonus=1)
        elif key == "presenter":
            label = fold_words(unit.value[:m.start("value")])
            if label.startswith("prenom") and self.surname_only and meta.presenter:
                # "Nom : Duval" then "Prénom : Ana": one student, first name first.
                old = meta.provenance["presenter"]
                meta.presenter = f"{_people(value)} {meta.presenter}"
                meta.provenance["presenter"] = Span(start=min(old.start, span.start), end=max(old.end, span.end))
                self.surname_only = False
            else:
                self.surname_only = meta.presenter is None and label in ("nom", "noms")
                _set(meta, "presenter", _people(value), span, text)
        elif key == "book.title":
            raw_value = unit.raw[unit.raw.find(":") + 1:] if ":" in unit.raw else value
            # "**Ouvrage :** Auteur, *Titre*": the label's closing "**" is no emphasis of the value.
            raw_value = raw_value.lstrip("*_ \t\u00a0")
            if _looks_like_book_line(value, raw_value):
                _set_book(meta, _book_line(value, raw_value), span, text)
            elif (t := _TITLE_THEN_AUTHORS.match(value)) and _is_names(t.group("authors")):
                _set_book(meta, _Book(title=t.group("title"), authors=_NAME_SPLIT.split(t.group("authors")),
                                      year=t.group("year")), span, text)
            else:
                _set_title(meta, value, span, text)
        elif key == "book.authors":
            for name in _NAME_SPLIT.split(_editor_names(_strip_links(value))):
                _add_author(meta, name, span, text)
        elif key == "book.publisher":
            _set_book(meta, _publication(value), span, text)
        else:
            _set(meta, key, value, span, text)
        return key

    def _period(self, value: str, span: Span, *, whole: bool, bonus: int = 0, rank_cap: int = 9) -> None:
        """Keep the most precise period of the title block: a labelled date or a day beats a month,
        which beats an academic year or a semester (kept only when it is the only date)."""
        found = _best_date(value)
        if found is None:
            if whole and bonus and self.period_rank < bonus:  # "Date : à venir": as written
                self._put_period(value, span, bonus)
            return
        rank, date = found
        rank = min(rank, rank_cap) + bonus
        if rank <= self.period_rank:
            return
        if whole and (_PERIOD.match(value) or _BARE_DATE.match(value)) and len(value.split()) <= 8:
            # A line that is only a period keeps its words ("Semestre 1 – 2024-2025", "Le 12 mars 2025");
            # a date inside a longer line is cut out of it ("Séance du 28 janvier 2025").
            date = value
        self._put_period(date, span, rank)

    def _put_period(self, value: str, span: Span, rank: int) -> None:
        self.meta.period = None
        self.meta.provenance.pop("period", None)
        _set(self.meta, "period", value, span, self.doc.text)
        self.period_rank = rank


def _book_context(units: list[_Unit]) -> dict[int, str]:
    """Lines that are the book's title and authors by their neighbours: a plain line over "sous la
    direction de …", over a name followed by publication details ("LA GÉOGRAPHIE…\nYves Lacoste\n
    Paris, Maspero, 1976"), or under a name followed by them ("Karl Polanyi\nLa Grande
    Transformation\nTraduit de …")."""
    context: dict[int, str] = {}
    book_like = ("publisher", "contributor", "editor")
    for n, unit in enumerate(units):
        nxt = units[n + 1].shape if n + 1 < len(units) else "end"
        after = units[n + 2].shape if n + 2 < len(units) else "end"
        if unit.shape is None and unit.value[:1].isupper():
            if nxt in ("editor", "authored"):
                context[n] = "book.title"  # "Titre. Sous-titre" over "Auteur (Éditeur, année)"
            elif nxt == "names" and after in book_like:
                context[n], context[n + 1] = "book.title", "authors"
        elif unit.shape == "authored" and nxt is None and units[n + 1].value[:1].isupper() and \
                n - 1 not in context:
            context[n + 1] = "book.title"  # "Auteur (Éditeur, année)" over "Titre"
        elif unit.shape == "names":
            if nxt is None and units[n + 1].value[:1].isupper() and after in book_like:
                context[n], context[n + 1] = "authors", "book.title"
            elif nxt == "publisher" and n not in context:
                context[n] = "authors"  # "Howard S. Becker\nÉditions Métailié, 1985"
    return context


def _merge(meta: Metadata, other: Metadata) -> None:
    """Fill the fields ``meta`` lacks from ``other`` (a closing title block)."""
    for name in ("course", "presenter", "period", "title"):
        if getattr(meta, name) is None and getattr(other, name) is not None:
            setattr(meta, name, getattr(other, name))
            meta.provenance[name] = other.provenance[name]
    for name in ("title", "subtitle", "publisher", "year"):
        if getattr(meta.book, name) is None and getattr(other.book, name) is not None:
            setattr(meta.book, name, getattr(other.book, name))
            meta.provenance[f"book.{name}"] = other.provenance[f"book.{name}"]
    if not meta.book.authors and other.book.authors:
        meta.book.authors = list(other.book.authors)
        for i in range(len(other.book.authors)):
            meta.provenance[f"book.authors[{i}]"] = other.provenance[f"book.authors[{i}]"]
