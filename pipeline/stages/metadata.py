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
from pipeline.models import Book, Metadata, Span
from pipeline.stages.sections import clean_title

_MONTHS = (r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|"
           r"d[ée]cembre|janv\.?|f[ée]vr?\.?|sept\.?|oct\.?|nov\.?|d[ée]c\.?")
_PERIOD = re.compile(
    rf"^(?:(?:semestre|trimestre|ann[ée]e(?:\s+universitaire)?|session|printemps|[ée]t[ée]|automne|hiver|"
    rf"s\d|{_MONTHS}|le|du|au|de|à|et|\d{{1,2}}(?:er)?)\b[\s,/–—-]*)*"
    rf"(?:\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}|(?:19|20)\d\d)(?:[\s,/–—-]+.*)?$", re.I)
_NAME_TOKEN = r"(?:[A-ZÀ-Ý][a-zà-ÿ'’-]+(?:-[A-ZÀ-Ý][a-zà-ÿ'’-]+)?|[A-ZÀ-Ý]\.(?:[A-ZÀ-Ý][a-zà-ÿ'’-]+)?|[A-ZÀ-Ý]{2,}(?:-[A-ZÀ-Ý]{2,})?)"
_PARTICLE = r"(?:de|du|des|d'|d’|von|van|der|le|la|di|da|del|ben|el)"
_NAME = re.compile(rf"^{_NAME_TOKEN}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_TOKEN}){{1,3}}$")
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|/|\bet\b|\band\b)\s*")
# Words that make a capitalised line something other than a person's name.
_NOT_NAME = re.compile(r"\b(?:[ÉE]ditions?|[ÉE]d\.|Presses?|Universit[ée]|Institut|Master|Licence|"
                       r"Sciences|Sociologie|Histoire|Philosophie|Introduction|Conclusion|Chapitre|"
                       r"Partie|Fiche|Cours|Groupe|Promo)\b", re.I)
_HANDOUT_TITLE = re.compile(
    r"^(?:TD|TP|CM|fiches?\s+de\s+lecture|fiche|expos[ée]|compte[- ]rendu|note\s+de\s+lecture|dossier|"
    r"pr[ée]sentation|commentaire|synth[èe]se|r[ée]sum[ée]|recension|lecture)\b", re.I)
_LABELS = {
    "course": r"cours|ue|u\.e\.|s[ée]minaire|enseignement|mati[èe]re|module|intitul[ée]\s+du\s+cours",
    "presenter": r"(?:pr[ée]sent[ée]e?s?|r[ée]dig[ée]e?s?|propos[ée]e?s?|r[ée]alis[ée]e?s?|fait)\s+par|"
                 r"[ée]tudiante?s?|pr[ée]sentat(?:eur|rice)|intervenante?s?|exposante?s?|nom",
    "period": r"date|p[ée]riode|semestre|ann[ée]e(?:\s+universitaire)?",
    "book.title": r"livre|ouvrage|[œo]euvre|titre(?:\s+du\s+livre)?",
    "book.authors": r"auteure?s?|autrices?|[ée]crit\s+par",
}
_LABEL_ALTERNATIVES = "|".join("(?P<%s>%s)" % (key.replace(".", "_"), rx) for key, rx in _LABELS.items())
_LABELLED = re.compile(rf"^(?:{_LABEL_ALTERNATIVES})\s*[:：–—-]?\s+(?P<value>\S.*)$", re.I)
_EMPHASISED = re.compile(r"\*{1,2}(?P<a>[^*]+?)\*{1,2}|_(?P<b>[^_]+?)_|«\s*(?P<c>[^»]+?)\s*»|\"(?P<d>[^\"]+?)\"|“(?P<e>[^”]+?)”")
_SHORT_LINE = 90
_MAX_TITLE_BLOCKS = 12


@dataclass(frozen=True, slots=True)
class TitleBlock:
    blocks: list[Block]
    body_start: int  # where the handout's body (and its first section) begins


def find_title_block(doc: Document) -> TitleBlock:
    """The short lines a handout opens with, before its first section."""
    run: list[Block] = []
    blocks = doc.blocks
    for block in blocks[:_MAX_TITLE_BLOCKS + 1]:
        lines = doc.lines[block.first_line:block.last_line + 1]
        body = doc.text[block.start:block.end]
        if block.kind == "heading":
            if run:
                break
            run.append(block)  # "# Title" opening a Markdown handout
            continue
        if block.kind != "paragraph" or len(lines) > 3 or any(l.end - l.content_start > _SHORT_LINE for l in lines):
            break
        if re.search(r"[a-zà-ÿ)»]{2}[.;]\s*$", body) or re.match(r"\s*(?:partie|chapitre|[IVX]+[.)])\s", body, re.I):
            break
        run.append(block)
    else:
        return TitleBlock(run, run[-1].end if run else 0)
    if not run:
        return TitleBlock([], blocks[0].start if blocks else 0)
    if run[0].kind == "heading":
        return TitleBlock(run, run[0].start)
    if len(run) >= 2:
        # The last short line before the first paragraph heads that paragraph: a section title.
        return TitleBlock(run[:-1], run[-1].start)
    return TitleBlock(run, run[-1].end)


class MetadataExtractor:
    def __call__(self, doc: Document, title_block: TitleBlock) -> Metadata:
        meta = Metadata()
        self._front_matter(doc, meta)
        lines = [(self._value(doc, b), b) for b in title_block.blocks]
        title_index = None
        names_seen = 0
        for i, (value, block) in enumerate(lines):
            span = Span(start=block.start, end=block.end)
            if m := _LABELLED.match(value):
                field = next(k for k in _LABELS if m.group(k.replace(".", "_")))
                self._set(meta, field, m.group("value").strip(), span)
                continue
            if block.kind == "heading" or _HANDOUT_TITLE.match(value):
                if meta.title is None:
                    title_index = i
                    self._set(meta, "title", value, span)
                    self._book_from_title(doc, block, meta)
                continue
            if _PERIOD.match(value) and len(value.split()) <= 8:
                self._set(meta, "period", value, span)
                continue
            if self._is_names(value):
                if title_index is None and names_seen == 0 and meta.presenter is None:
                    self._set(meta, "presenter", value, span)
                else:
                    for name in _NAME_SPLIT.split(value):
                        self._add_author(meta, name, span)
                names_seen += 1
                continue
            if meta.book.title and _fold(value) == _fold(meta.book.title):
                meta.provenance["book.title"] = span  # the title printed on its own line
                continue
            if meta.book.title and meta.book.subtitle is None and i and \
                    _fold(lines[i - 1][0]) in (_fold(meta.book.title),) :
                self._set(meta, "book.subtitle", value, span)
                continue
            if title_index is None and names_seen == 0 and meta.course is None:
                self._set(meta, "course", value, span)
            elif meta.book.title is None and title_index is not None:
                self._set(meta, "book.title", value, span)
            elif meta.book.title is not None and meta.book.subtitle is None:
                self._set(meta, "book.subtitle", value, span)
            elif meta.title is None:
                self._set(meta, "title", value, span)
        return meta

    @staticmethod
    def _value(doc: Document, block: Block) -> str:
        return clean_title(doc.text[block.start:block.end].replace("\n", " "))

    @staticmethod
    def _is_names(value: str) -> bool:
        parts = [p for p in _NAME_SPLIT.split(value) if p]
        return bool(parts) and not _NOT_NAME.search(value) and all(_NAME.match(p) for p in parts)

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
    def _book_from_title(doc: Document, block: Block, meta: Metadata) -> None:
        """'TD : *En attendant les robots*': the emphasised or quoted part names the book."""
        raw = doc.text[block.start:block.end].replace("\n", " ")
        for m in _EMPHASISED.finditer(raw.replace("***", "**")):
            inner = next(g for g in m.groups() if g)
            inner = clean_title(inner)
            if inner and not _HANDOUT_TITLE.fullmatch(inner) and len(inner.split()) >= 1:
                if _HANDOUT_TITLE.match(inner):
                    inner = re.sub(r"^[^:]*:\s*", "", inner)
                if inner:
                    MetadataExtractor._set(meta, "book.title", inner, Span(start=block.start, end=block.end))
                    return

    def _front_matter(self, doc: Document, meta: Metadata) -> None:
        fields: dict[str, tuple[str, Span]] = {}
        for line in doc.lines:
            if line.kind != "front_matter":
                if fields or line.index > 0:
                    break
                continue
            raw = doc.text[line.start:line.end]
            if m := re.match(r"([A-Za-z_][\w-]*):\s*(.+)$", raw):
                value = m.group(2).strip().strip("'\"").strip()
                start = line.start + m.start(2)
                fields[m.group(1).lower()] = (value, Span(start=start, end=line.end))
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


def _fold(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()
