"""Metadata from the title block: course, presenter, period, handout title, the book and its authors.

The title block is the run of short lines a handout opens with (or its front matter). Lines are
recognised by what they look like — a labelled field ("Présenté par : …"), a period ("Avril
2025-Juin 2025"), a person's name, a handout title ("TD : *Le livre*") — and by their order: a
name before the handout title presents it, names after it wrote the book. No list of names is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.document import Block, Document
from pipeline.models import Metadata, Span
from pipeline.stages.sections import clean_title, is_structural_heading
from pipeline.text import fold_words

_MONTHS = (r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|"
           r"d[ée]cembre|janv\.?|f[ée]vr?\.?|sept\.?|oct\.?|nov\.?|d[ée]c\.?")
_PERIOD = re.compile(
    rf"^(?:(?:semestre|trimestre|ann[ée]e(?:\s+universitaire)?|session|printemps|[ée]t[ée]|automne|hiver|"
    rf"s\d|{_MONTHS}|le|du|au|de|à|et|\d{{1,2}}(?:er)?)\b[\s,/–—-]*)*"
    rf"(?:\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}|(?:19|20)\d\d)(?:[\s,/–—-]+.*)?$", re.I)
# A capitalised word, hyphenated parts and elided prefixes included ("Nguyen-Vasseur", "O'Donnell").
_NAME_WORD = r"[A-ZÀ-Ý](?:['’][A-ZÀ-Ý])?[a-zà-ÿ'’-]+"
_NAME_TOKEN = rf"(?:{_NAME_WORD}(?:-{_NAME_WORD})*|[A-ZÀ-Ý]\.(?:[A-ZÀ-Ý][a-zà-ÿ'’-]+)?|[A-ZÀ-Ý]{{2,}}(?:-[A-ZÀ-Ý]{{2,}})?)"
# Lower-case particles inside names, and the Irish and Arabic capitalised ones ("Ó Súilleabháin").
_PARTICLE = r"(?:de|du|des|von|van|der|den|le|la|di|da|del|della|dos|das|do|ben|bin|ibn|el|al|zu|ter|ten|y|Ó|Ní|Nic)"
# "d'Arcy", "l'Hermite": an elided particle glued to the next word.
_NAME = re.compile(rf"^{_NAME_TOKEN}(?:\s+(?:{_PARTICLE}\s+|[dl]['’])?{_NAME_TOKEN}){{1,3}}$")
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|/|\bet\b|\band\b)\s*")
# Words that make a capitalised line something other than a person's name.
_NOT_NAME = re.compile(r"\b(?:[ÉE]ditions?|[ÉE]d\.|Presses?|Universit[ée]|Institut|Master|Licence|"
                       r"Sciences|Sociologie|Histoire|Philosophie|Introduction|Conclusion|Chapitre|"
                       r"Partie|Fiche|Cours|Groupe|Promo)\b", re.I)
_HANDOUT_TITLE = re.compile(
    r"^(?:TD|TP|CM|fiches?\s+de\s+lecture|fiche|expos[ée]|compte[- ]rendu|notes?\s+de\s+lecture|dossier|"
    r"pr[ée]sentation|commentaire|synth[èe]se|r[ée]sum[ée]|recension|lecture)\b", re.I)
_LABELS = {
    "course": r"cours|ue|u\.e\.|s[ée]minaire|enseignement|mati[èe]re|module|(?:intitul[ée]|titre)\s+du\s+cours",
    "presenter": r"(?:pr[ée]sent[ée]e?s?|r[ée]dig[ée]e?s?|propos[ée]e?s?|r[ée]alis[ée]e?s?|fait)\s+par|"
                 r"[ée]tudiante?s?|pr[ée]sentat(?:eur|rice)|intervenante?s?|exposante?s?|nom",
    "period": r"date|p[ée]riode|semestre|ann[ée]e(?:\s+universitaire)?",
    "book.title": r"livre|ouvrage|[œo]euvre|titre(?:\s+du\s+livre)?",
    "book.authors": r"auteure?s?|autrices?|[ée]crit\s+par",
}
_LABEL_ALTERNATIVES = "|".join("(?P<%s>%s)" % (key.replace(".", "_"), rx) for key, rx in _LABELS.items())
# A label needs its separator ("Date : …", "Cours – …"): without one, "Cours de sociologie" or
# "Titre du cours" would lose their first word. Only "… par" reads naturally without it.
_LABELLED = re.compile(rf"^(?:{_LABEL_ALTERNATIVES})(?:\s*[:：]|\s+[–—-]|(?<=par)(?=\s))\s*(?P<value>\S.*)$",
                       re.I)
# "Exposé de Jeanne Doe", "Fiche réalisée par …": the handout's kind followed by who made it.
_BY_NAME = re.compile(r"^(?:expos[ée]|pr[ée]sentation|fiche(?:\s+de\s+lecture)?|compte[- ]rendu|travail|"
                      r"note\s+de\s+lecture|dossier)(?:\s+(?:r[ée]alis[ée]e?|r[ée]dig[ée]e?|pr[ée]sent[ée]e?|"
                      r"propos[ée]e?|fait))?\s+(?:de|d['’]|par)\s*(?P<value>\S.*)$", re.I)
# A course code on its own line ("SC22", "UE 4", "L3 SOC-201"): it names the course, never a subtitle.
_COURSE_CODE = re.compile(r"^(?:[A-Z]{1,5}[ -]?\d{1,3}[A-Z]?)(?:\s+[A-Z]{2,5}[ -]?\d{1,4})?$")
# Publication details under a book title ("Éditions La Découverte, 2019", "Paris, Seuil, coll. …").
_PUBLISHER = re.compile(r"\b(?:[ÉE]ditions?|[ÉE]d\.|Presses|coll\.|collection|ISBN)\b", re.I)
_EMPHASISED = re.compile(r"\*{1,2}(?P<a>[^*]+?)\*{1,2}|_(?P<b>[^_]+?)_|«\s*(?P<c>[^»]+?)\s*»|\"(?P<d>[^\"]+?)\"|“(?P<e>[^”]+?)”")
_SHORT_LINE = 120  # a subtitle under the title may run long; body paragraphs run longer
_MAX_TITLE_BLOCKS = 12


@dataclass(frozen=True, slots=True)
class TitleBlock:
    blocks: list[Block]
    body_start: int  # where the handout's body (and its first section) begins


def find_title_block(doc: Document) -> TitleBlock:
    """The short lines a handout opens with, before its first section."""
    found = _short_run(doc)
    if not found.blocks or found.blocks[0].kind == "heading":
        return found
    # Short lines that fill no field once the title block is read ("Méthodes et sources" after the
    # book's subtitle) are the first slide titles of the body, not metadata.
    _, used = MetadataExtractor().read(doc, found.blocks)
    keep = max(used, default=-1) + 1
    if used and keep < len(found.blocks):
        return TitleBlock(found.blocks[:keep], found.blocks[keep].start)
    return found


def _short_run(doc: Document) -> TitleBlock:
    run: list[Block] = []
    blocks = doc.blocks
    stop: Block | None = None  # the block that ended the run
    for block in blocks[:_MAX_TITLE_BLOCKS + 1]:
        lines = doc.lines[block.first_line:block.last_line + 1]
        body = doc.text[block.start:block.end]
        if block.kind == "heading":
            if run or _opens_body(doc, block) or doc.lines[block.first_line].heading_level > 1 \
                    or _front_matter_title(doc):
                # Only a "# Title" opening a Markdown handout titles it: "## Introduction", "# I. …",
                # or any heading under a front-matter title is the body's first section.
                stop = block
                break
            run.append(block)
            continue
        if _opens_body(doc, block):
            stop = block
            break
        if _logo_residue(doc, block):
            continue  # "L'ÉCOLE\nDES HAUTES\nÉTUDES EN…" on a converted title slide: no field, no end
        if block.kind != "paragraph" or any(l.end - l.content_start > _SHORT_LINE for l in lines) or \
                len(lines) > 3 and not all(_shape(clean_title(doc.text[l.content_start:l.end])) for l in lines):
            # More than three lines is a paragraph, unless each line is a field of its own
            # ("Cours : …\nPrésenté par …\nDate : …\nOuvrage : …\nAuteur : …").
            stop = block
            break
        if re.search(r"[a-zà-ÿ)»]{2}[.;]\s*$", clean_title(body)):  # a sentence, "**…**" or not
            stop = block
            break
        run.append(block)
    else:
        return TitleBlock(run, run[-1].end if run else 0)
    if not run:
        return TitleBlock([], blocks[0].start if blocks else 0)
    if stop is not None and (stop.kind == "heading" or _opens_body(doc, stop)):
        # A numbered or keyword heading ("Introduction", "I. …", "Partie 1", "1. …") starts the
        # body on its own: every short line before it belongs to the title block.
        return TitleBlock(run, stop.start)
    if run[0].kind == "heading" or (len(run) == 1 and run[0].start in doc.heading_hints):
        # "# Title", or a PDF line in a heading's font, opening the handout: its title and its
        # first section at once.
        return TitleBlock(run, run[0].start)
    if len(run) >= 2 and not any(u.shape for u in _units(doc, run[-1], 0)):
        # The last short line before the first paragraph heads that paragraph: a section title.
        # Not when it reads as a field (a name, a period, "TD : …"): that one ends the title block.
        return TitleBlock(run[:-1], run[-1].start)
    return TitleBlock(run, run[-1].end)


def _front_matter_title(doc: Document) -> bool:
    return any(line.kind == "front_matter" and re.match(r"title\s*:", doc.text[line.start:line.end], re.I)
               for line in doc.lines[:80])


def _logo_residue(doc: Document, block: Block) -> bool:
    """An institution's logo converted to text: a word or two per line, all in capitals, over three
    lines or more (or naming an institution), as in "L'ÉCOLE\nDES HAUTES\nÉTUDES EN\nSCIENCES…"."""
    if block.kind != "paragraph" or block.first_line == block.last_line:
        return False
    lines = [doc.text[l.content_start:l.end].strip() for l in doc.lines[block.first_line:block.last_line + 1]]
    if not all(line.isupper() and len(line.split()) <= 3 for line in lines):
        return False
    return len(lines) >= 3 or bool(_NOT_NAME.search(" ".join(lines)))


def _opens_body(doc: Document, block: Block) -> bool:
    """A one-line block shaped like a structural heading: the body starts there."""
    if block.first_line != block.last_line or block.kind not in ("paragraph", "item", "heading"):
        return False
    line = doc.lines[block.first_line]
    if block.kind == "item" and not re.fullmatch(r"\d{1,3}[.)]", line.bullet or ""):
        return False  # a bullet list item; "1." is kept, it may number a heading
    return is_structural_heading(clean_title(doc.text[line.start if block.kind == "item" else
                                                      line.content_start:line.end].strip()))


@dataclass(slots=True)
class _Unit:
    """One title-block line (or a line wrapped over several) with what it looks like."""

    value: str
    span: Span
    block: int  # index of its block in the title block
    shape: str | None = None  # labelled, by, title, period, names, publisher; None for a plain line
    raw: str = ""  # the text as written, emphasis included


class MetadataExtractor:
    def __call__(self, doc: Document, title_block: TitleBlock) -> Metadata:
        return self.read(doc, title_block.blocks)[0]

    def read(self, doc: Document, blocks: list[Block]) -> tuple[Metadata, set[int]]:
        """The metadata of a title block, and the indices of the blocks that filled a field."""
        meta = Metadata()
        self._front_matter(doc, meta)
        title_seen = meta.title is not None  # a front-matter title comes before every line
        names_seen = 0
        used: set[int] = set()
        prev: tuple[str | None, int] = (None, -1)  # role and block of the previous unit
        units = [u for i, b in enumerate(blocks) for u in _units(doc, b, i)]
        for unit in units:
            role = self._role(meta, unit, title_seen, names_seen, prev)
            if role is not None:
                used.add(unit.block)
            if role == "title":
                title_seen = True
            if unit.shape == "names":
                names_seen += 1
            prev = (role, unit.block)
        if meta.book.authors and meta.book.title is None and meta.title:
            # "TD : Le don" followed by "Marcel Mauss": once the names after the title are known to
            # have written a book, the title (minus its "TD :" label) names that book. A bare
            # "Notes de lecture" names none.
            book = meta.title
            if _HANDOUT_TITLE.match(book):
                book = re.sub(r"^[^:]*:\s*", "", book) if ":" in book else ""
            if book:
                self._set(meta, "book.title", book, meta.provenance["title"])
        return meta, used

    def _role(self, meta: Metadata, unit: _Unit, title_seen: bool, names_seen: int,
              prev: tuple[str | None, int]) -> str | None:
        value, span = unit.value, unit.span
        if unit.shape == "labelled":
            m = _LABELLED.match(value)
            field = next(k for k in _LABELS if m.group(k.replace(".", "_")))
            self._set(meta, field, m.group("value").strip(), span)
            return field
        if unit.shape == "by":
            self._set(meta, "presenter", _BY_NAME.match(value).group("value"), span)
            return "presenter"
        if unit.shape == "title":
            if meta.title is None:
                self._set(meta, "title", value, span)
                self._book_from_title(unit, meta)
                return "title"
            return "ignored"
        if unit.shape == "period":
            self._set(meta, "period", value, span)
            return "period"
        if unit.shape == "names":
            if prev == ("presenter", unit.block) and meta.presenter and not title_seen:
                # Two names on two lines of one block before the title: both present it.
                meta.presenter = f"{meta.presenter}, {value}"
                old = meta.provenance["presenter"]
                meta.provenance["presenter"] = Span(start=min(old.start, span.start), end=max(old.end, span.end))
                return "presenter"
            if not title_seen and names_seen == 0 and meta.presenter is None:
                self._set(meta, "presenter", value, span)
                return "presenter"
            for name in _NAME_SPLIT.split(value):
                self._add_author(meta, name, span)
            return "authors"
        if unit.shape == "publisher":
            return "publisher"  # "Éditions du Seuil, 2019": read, but no field holds it
        if unit.shape == "code":
            self._set(meta, "course", value, span)
            return "course"
        if not value[:1].isupper() and not value[:1].isdigit() and value[:1] not in "«“\"'":
            return None  # "ngrams": a lower-case word is a stray note, not a title or a course
        if meta.book.title and fold_words(value) == fold_words(meta.book.title):
            meta.provenance["book.title"] = span  # the title printed on its own line
            return "book.title"
        if meta.book.title and meta.book.subtitle is None and prev[0] == "book.title":
            # Only the line right under the book's title is its subtitle; a later plain line is
            # the first heading of the body (see find_title_block).
            self._set(meta, "book.subtitle", value, span)
            return "book.subtitle"
        if not title_seen and names_seen == 0 and meta.course is None:
            self._set(meta, "course", value, span)
            return "course"
        if meta.book.title is None and title_seen:
            self._set(meta, "book.title", value, span)
            return "book.title"
        if meta.title is None:
            self._set(meta, "title", value, span)
            return "title"
        return None

    @staticmethod
    def _set(meta: Metadata, field: str, value: str, span: Span) -> None:
        value = value.strip().strip("*_").strip()
        if not value:
            return
        if field.startswith("book."):
            name = field.split(".", 1)[1]
            if name == "authors":
                for author in _NAME_SPLIT.split(value):
                    MetadataExtractor._add_author(meta, author, span)
                return
            if getattr(meta.book, name) is None:
                setattr(meta.book, name, value)
                meta.provenance[field] = span
            return
        if getattr(meta, field) is None:
            setattr(meta, field, value)
            meta.provenance[field] = span

    @staticmethod
    def _add_author(meta: Metadata, name: str, span: Span) -> None:
        name = name.strip()
        if name and name not in meta.book.authors:
            meta.provenance[f"book.authors[{len(meta.book.authors)}]"] = span
            meta.book.authors.append(name)

    @staticmethod
    def _book_from_title(unit: _Unit, meta: Metadata) -> None:
        """'TD : *En attendant les robots*': the emphasised or quoted part names the book."""
        for m in _EMPHASISED.finditer(unit.raw.replace("***", "**")):
            inner = next(g for g in m.groups() if g)
            inner = clean_title(inner)
            if inner and not _HANDOUT_TITLE.fullmatch(inner):
                if _HANDOUT_TITLE.match(inner):
                    inner = re.sub(r"^[^:]*:\s*", "", inner)
                if inner:
                    MetadataExtractor._set(meta, "book.title", inner, unit.span)
                    return

    def _front_matter(self, doc: Document, meta: Metadata) -> None:
        fields: dict[str, tuple[str, Span]] = {}
        for line in doc.lines:
            if line.kind != "front_matter":
                if fields or line.index > 0:
                    break
                continue
            raw = doc.text[line.start:line.end]
            if m := re.match(r"([A-Za-z_][\w-]*):\s*(.+?)\s*$", raw):
                value, start, end = m.group(2), line.start + m.start(2), line.start + m.end(2)
                if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                    # YAML quoting wraps the whole value; a quote inside it ('Sur "L'invention du
                    # quotidien"') belongs to the value and must survive.
                    value, start, end = value[1:-1].strip(), start + 1, end - 1
                fields[m.group(1).lower()] = (value, Span(start=start, end=end))
        if not fields:
            return
        if "title" in fields:
            value, span = fields["title"]
            self._set(meta, "title", value, span)
            quoted = _EMPHASISED.search(value)
            if quoted:
                self._set(meta, "book.title", next(g for g in quoted.groups() if g), span)
            elif "isbn" in fields or "subtitle" in fields:
                self._set(meta, "book.title", value, span)
        if "subtitle" in fields and meta.book.title:
            self._set(meta, "book.subtitle", *fields["subtitle"])
        if "author" in fields:
            # Reading-note front matter with an ISBN describes the book; otherwise the author
            # field names whoever wrote the notes.
            self._set(meta, "book.authors" if "isbn" in fields else "presenter", *fields["author"])
        for key in ("date", "read_on"):
            if key in fields:
                self._set(meta, "period", *fields[key])
                break


def _shape(value: str, *, heading: bool = False) -> str | None:
    """What a title-block line looks like, before its position decides which field it fills."""
    if not value:
        return None
    if _LABELLED.match(value):
        return "labelled"
    if (m := _BY_NAME.match(value)) and _is_names(m.group("value")):
        return "by"
    if heading or _HANDOUT_TITLE.match(value):
        return "title"
    if _PERIOD.match(value) and len(value.split()) <= 8:
        return "period"
    if _is_names(value):
        return "names"
    if _PUBLISHER.search(value):
        return "publisher"
    if _COURSE_CODE.match(value):
        return "code"
    return None


# A capitalised phrase opening with an article is a title ("Les Résultats", "La Grande Attente"), never
# a person's name; the particles of names ("Yannick Le Goff") never come first.
_ARTICLE = re.compile(r"(?:le|la|les|l['’]|un|une|des|du|au|aux)(?:\s|(?<=['’]))", re.I)


def _is_names(value: str) -> bool:
    parts = [p for p in _NAME_SPLIT.split(value) if p]
    return bool(parts) and not _NOT_NAME.search(value) and \
        all(_NAME.match(p) and not _ARTICLE.match(p) for p in parts)


def _units(doc: Document, block: Block, index: int) -> list[_Unit]:
    """The title-block lines of one block.

    Converted slides keep a wrapped line as two ("**TD : *En attendant les\nrobots***", "Antonio
    A.\nCasilli"), while a typed title block puts one field per line with no blank line between
    ("Histoire des idées\nExposé de Jeanne Doe\nSemestre 2, 2024-2025"). Lines are read one by one
    when that makes each of them recognisable, or when some are and none continues the previous one.
    """
    text = doc.text
    if block.kind == "heading":
        unit = _Unit(clean_title(text[block.start:block.end]), _trimmed(text, block.start, block.end),
                     index, raw=text[block.start:block.end])
        unit.shape = _shape(unit.value, heading=True)
        return [unit]
    lines = doc.lines[block.first_line:block.last_line + 1]
    joined = _Unit(clean_title(text[block.start:block.end].replace("\n", " ")),
                   _trimmed(text, block.start, block.end), index, raw=text[block.start:block.end].replace("\n", " "))
    joined.shape = _shape(joined.value)
    if len(lines) == 1:
        return [joined]
    split = []
    for line in lines:
        unit = _Unit(clean_title(text[line.content_start:line.end]), _trimmed(text, line.content_start, line.end),
                     index, raw=text[line.content_start:line.end])
        unit.shape = _shape(unit.value)
        split.append(unit)
    wrapped = any(_unbalanced(text[l.content_start:l.end]) for l in lines) or \
        any(u.value[:1].islower() for u in split[1:])
    if not wrapped and all(u.shape for u in split):
        return split
    if joined.shape or wrapped or not any(u.shape for u in split):
        return [joined]
    return split


def _unbalanced(line: str) -> bool:
    """A line that opens emphasis or a quotation it does not close continues on the next line."""
    return line.count("*") % 2 == 1 or line.count("«") != line.count("»") or \
        line.count("“") != line.count("”") or line.count("_") % 2 == 1


def _trimmed(text: str, start: int, end: int) -> Span:
    while end > start and text[end - 1] in " \t\u00a0\r":
        end -= 1
    return Span(start=start, end=end)
