"""The book named in the body, when the title block does not name it: a labelled "Auteur : …"
line, a sentence naming a work and its author ("Phèdre est la dernière tragédie de Jean Racine"),
or the book's full reference elsewhere (a bibliography, a footnote)."""

from __future__ import annotations

import re

from pipeline.document import Document
from pipeline.models import Metadata, Span
from pipeline.stages.book_line import _GENRES, _publication
from pipeline.stages.metadata_fields import _add_author, _set, _set_book, _set_title
from pipeline.stages.person_names import _NAME_SPLIT, _NAME_TOKEN, _PARTICLE, _is_names, _strip_links
from pipeline.stages.sections import clean_title
from pipeline.stages.title_block import TitleBlock
from pipeline.stages.title_lines import _HANDOUT_TITLE, _LABELLED, _trimmed
from pipeline.text import fold_words

_BODY_LINES = 40
_BODY_CHARS = 4000
# "Phèdre est la dernière tragédie profane de Jean Racine", "[Titre](url) est un essai de Jeanne Doe".
_WORK_OF = re.compile(
    rf"\best\s+(?:le|la|l['’]|un|une|son|sa)\s*(?:[\w'’-]+\s+){{0,3}}?(?:{_GENRES})\b[^.;:!?\n«»]{{0,40}}?"
    rf"\s(?:de|d['’])\s*\[?(?P<name>(?-i:{_NAME_TOKEN}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_TOKEN}){{1,3}}))", re.I)
# "Dans *Les Règles du jeu* (1992), Jeanne Doe montre …", "Jeanne Doe, dans « Les Règles du jeu », …",
# "l'ouvrage de Jeanne Doe, *Les Règles du jeu*": a work in italics or guillemets beside its author.
_WORK_TITLE = r"(?:\*(?P<t1>[^*\n]{3,120})\*|_(?P<t2>[^_\n]{3,120})_|«\s*(?P<t3>[^»\n]{3,120}?)\s*»)"
_PERSON = rf"(?-i:{_NAME_TOKEN}(?:[ \u00a0]+(?:{_PARTICLE}[ \u00a0]+)?{_NAME_TOKEN}){{1,3}})"
_WORK_BESIDE_AUTHOR = re.compile(
    rf"\bdans\s+(?:(?:son|sa|leur|ce|cet|cette)\s+(?:[\w'’-]+\s+)?)?{_WORK_TITLE}(?:\s*\(\d{{4}}\))?\s*,\s*(?P<n1>{_PERSON})"
    rf"|(?P<n2>{_PERSON})(?:\s*\(\d{{4}}(?:\s*[-–]\s*\d{{4}})?\))?\s*,?\s+dans\s+{_WORK_TITLE.replace('t1', 't4').replace('t2', 't5').replace('t3', 't6')}"
    rf"|\b(?:{_GENRES})\s+(?:de|d['’])\s*(?P<n3>{_PERSON})\s*,?\s+{_WORK_TITLE.replace('t1', 't7').replace('t2', 't8').replace('t3', 't9')}"
    rf"|{_WORK_TITLE.replace('t1', 'ta').replace('t2', 'tb').replace('t3', 'tc')}(?:,\s*(?:vol|t|tome)\.?\s*\d+)?,?\s+"
    rf"(?:de|d['’])\s*\[?(?P<n4>{_PERSON})",
    re.I)
# "Dans cet ouvrage, Jeanne Doe montre …", "Jeanne Doe nous propose dans cet article …": the author of
# the work the handout is about, named as the subject of its argument.
_THIS_WORK = rf"(?:ce|cet|cette|son|sa)\s+(?:{_GENRES}|livre|ouvrage)"
_AUTHOR_OF_THIS_WORK = re.compile(
    rf"\bdans\s+{_THIS_WORK}\b[^,.;\n]{{0,40}},\s*(?P<n1>{_PERSON})"
    rf"|(?P<n2>{_PERSON})\s+(?:nous\s+)?(?:propose|pr[ée]sente|montre|analyse|d[ée]fend|d[ée]veloppe|explique|"
    rf"retrace|[ée]tudie|d[ée]crit|interroge|soutient)\s+(?:\w+\s+){{0,2}}?dans\s+{_THIS_WORK}\b", re.I)
_NOT_A_TITLE = re.compile(r"(?:ce|cet|cette|ces|il|elle|on|c['’]|cela|ceci|celui|celle|le\s+livre|"
                          r"l['’]ouvrage|le\s+texte|son|sa|ses)\b", re.I)


# The handout saying what it reads, in its first sentences: "Ces notes portent sur …", "Cette fiche
# présente …", "Ce compte rendu porte sur …", "Lecture de …", "Je présente ici …", "Il s'agit ici de
# présenter …": what follows is the book, then its author.
_ABOUT = re.compile(
    r"(?:^|(?<=[.!?\n]\s)|(?<=\n)|(?<=,\s)(?=je\s|nous\s))\s*(?:"
    r"(?:ces|les|mes|nos)\s+notes(?:\s+de\s+lecture)?\s+(?:portent|porteront|reviennent)\s+sur"
    r"|(?:cette|la|ma|notre)\s+(?:fiche|note|synth[èe]se|recension|pr[ée]sentation|analyse)(?:\s+de\s+lecture)?\s+"
    r"(?:pr[ée]sente|porte\s+sur|r[ée]sume|analyse|concerne|est\s+consacr[ée]e\s+[àa]|revient\s+sur)"
    r"|(?:ce|le|mon|notre|cet)\s+(?:compte[- ]rendu|expos[ée]|dossier|travail|r[ée]sum[ée]|commentaire|document|texte)"
    r"(?:\s+de\s+lecture)?\s+(?:pr[ée]sente|porte\s+sur|r[ée]sume|analyse|concerne|est\s+consacr[ée]\s+[àa]|revient\s+sur)"
    r"|(?:je|nous)\s+(?:(?:vais|allons)\s+)?(?:pr[ée]sente(?:r|ons)?|r[ée]sume(?:r|ons)?|analyse(?:r|ons)?|"
    r"commente(?:r|ons)?|lis|lisons)(?:\s+ici)?"
    r"|il\s+s['’]agit(?:\s+ici)?\s+de\s+(?:pr[ée]senter|r[ée]sumer|lire|analyser)"
    r"|(?:lecture|notes?|fiche|r[ée]sum[ée]|compte[- ]rendu|synth[èe]se|analyse)(?:\s+de\s+lecture)?\s+(?:de|d['’]|du|sur)"
    r")\s*(?:(?:le\s+livre|l['’]ouvrage|l['’]essai|le\s+roman|le\s+texte|l['’]article|l['’]enqu[êe]te)\s*,?\s*)?",
    re.I)
# Where an unmarked title ends: a comma, a parenthesis, a full stop, or "paru", "publié"… after it.
_TITLE_END = re.compile(r"\s*[,;:(]|\.(?:\s|$)|\n|\s+(?:paru|parue|publi[ée]e?|sorti|[ée]dit[ée]e?|traduit|en\s+\d{4})\b")
_AUTHORS_AT = re.compile(rf"(?P<names>{_PERSON}(?:\s*(?:,|\bet\b)\s*{_PERSON})*)")
_OF = re.compile(r"\s(?:de|d['’])\s*(?=\S)|\sd['’](?=\S)")
_IN_PARENTHESES = re.compile(rf"\s*\((?P<names>{_PERSON}(?:\s*(?:,|\bet\b)\s*{_PERSON})*),?\s+(?P<year>\d{{4}})\)")


def _book_announced(doc: Document, meta: Metadata, start: int) -> None:
    """The book named where the handout says what it reads, in its first paragraph: "Ces notes portent
    sur Le Deuxième Âge de Hélène Vauclair, paru chez …", "Cette fiche présente Les Règles du jeu (Jeanne
    Doe, 2004)", "Lecture de *Titre* de Jeanne Doe". Unmarked French titles capitalise their first word
    only: the title runs up to the last "de"/"d'" that a person's name follows (a name by its shape:
    "Simone de Beauvoir" keeps its particle), or up to "(Auteur, année)"."""
    text = doc.text
    window = text[start:start + 800]
    m = _ABOUT.search(window)
    if m is None:
        return
    at = start + m.end()
    rest = text[at:at + 300]
    emphasised = re.match(_WORK_TITLE, rest)
    if emphasised:
        group = next(g for g in ("t1", "t2", "t3") if emphasised.group(g))
        title, t0, t1 = emphasised.group(group), at + emphasised.start(group), at + emphasised.end(group)
        after_at = at + emphasised.end()
    else:
        if not rest[:1].isupper() or _NOT_A_TITLE.match(rest):
            return
        cut = _TITLE_END.search(rest)
        segment = rest[:cut.start() if cut else len(rest)]
        title = None
        for of in reversed(list(_OF.finditer(segment))):
            name = segment[of.end():].strip()
            if of.start() > 0 and _is_names(name):
                title, t0, t1 = segment[:of.start()].strip(), at, at + len(segment[:of.start()].rstrip())
                after_at = at + of.start()
                break
        if title is None:
            title, t0, t1 = segment.strip(), at, at + len(segment.rstrip())
            after_at = t1
    names, year_span = None, None
    after = text[after_at:after_at + 200]
    if (p := _IN_PARENTHESES.match(after)) and _is_names(p.group("names")):
        names = (p.group("names"), after_at + p.start("names"))
        year_span = Span(start=after_at + p.start("year"), end=after_at + p.end("year"))
    elif (o := re.match(r",?\s*(?:de|d['’])\s*", after)) and (a := _AUTHORS_AT.match(after, o.end())) \
            and _is_names(a.group("names")):
        names = (a.group("names"), after_at + a.start("names"))
    if names is None and not emphasised:
        return  # an unmarked title is a title only with its author after it
    if not title or len(title.split()) > 15:
        return
    _set_title(meta, title, Span(start=t0, end=t1), text)
    if year_span is not None:
        _set(meta, "book.year", text[year_span.start:year_span.end], year_span, text)  # "(Jeanne Doe, 2004)"
    if names and not meta.book.authors:
        value, n0 = names
        for name in _NAME_SPLIT.split(value):
            if name:
                _add_author(meta, name, Span(start=n0, end=n0 + len(value)), text)
        # "…, paru chez Gallimard en 2003", "… (Seuil, 2011)": the publication, in the same sentence.
        sentence_end = re.search(r"[.!?](?:\s|$)|\n", text[n0:n0 + 300])
        clause = text[n0 + len(value):n0 + (sentence_end.start() if sentence_end else 300)]
        if (pub := _PUBLISHED.search(clause)) or (pub := re.match(r"\s*\((?P<inside>[^()]*\d{4}[^()]*)\)", clause)):
            if pub.groupdict().get("inside"):
                book = _publication(pub.group("inside"))
            else:
                book = _publication(f"{pub.group('publisher')}, {pub.group('year') or pub.group('year0') or ''}".strip(" ,"))
            if book.publisher:
                at = n0 + len(value) + pub.start()
                _set_book(meta, book, Span(start=at, end=n0 + len(value) + pub.end()), text)


# "paru chez Gallimard en 2003", "publié aux Éditions de Minuit (1979)", "parue en 1986 chez Fayard".
_PUBLISHED = re.compile(
    r"\b(?:paru|parue|publi[ée]e?|[ée]dit[ée]e?|sorti)\s+(?:en\s+(?P<year0>\d{4})\s+)?(?:chez|aux|à|au)\s+"
    r"(?P<publisher>(?-i:[A-ZÀ-Ý][\w'’-]*(?:\s+(?:de|du|des|la|le|l['’])?\s*[A-ZÀ-Ý][\w'’-]*)*))"
    r"(?:[^.\n]{0,20}?\b(?:en\s+)?(?P<year>\d{4}))?", re.I)


def _from_body(doc: Document, meta: Metadata, title_block: TitleBlock) -> None:
    text = doc.text
    start = title_block.body_start
    if meta.book.title is None:
        # From the document's first paragraph, not the body's: a title block reader that found no
        # field may have taken the announcing sentence itself for the title block.
        _book_announced(doc, meta, doc.blocks[0].start if doc.blocks else start)
    if not meta.book.authors:
        # "Auteur : …" on a line of its own near the top of the notes, under a first heading.
        for line in doc.lines[doc.line_at(start).index:doc.line_at(start).index + _BODY_LINES]:
            if line.kind != "text" or line.quote_depth:
                continue
            value = clean_title(text[line.content_start:line.end])
            m = _LABELLED.match(value)
            if m and m.group("book_authors") and _is_names(_strip_links(m.group("value").strip())):
                span = _trimmed(text, line.content_start, line.end)
                for name in _NAME_SPLIT.split(_strip_links(m.group("value").strip())):
                    _add_author(meta, name, span, text)
                break
    if not meta.book.authors or meta.book.title is None:
        window = text[start:start + _BODY_CHARS]
        for m in _WORK_OF.finditer(window):
            name = m.group("name")
            if not _is_names(name) or name == meta.presenter:
                continue
            clause = re.split(r"[.;!?\n]\s|,\s", window[:m.start()])[-1]
            subject = clean_title(_strip_links(clause)).strip(" «»“”\"")
            if subject[:1].isupper() and len(subject.split()) <= 12 and not _NOT_A_TITLE.match(subject):
                at = text.find(subject, start + m.start() - len(clause) - 2, start + m.start())
                if at >= 0:
                    _set_title(meta, subject, Span(start=at, end=at + len(subject)), text)
            if not meta.book.authors:
                _add_author(meta, name, Span(start=start + m.start("name"), end=start + m.end("name")), text)
            break
    if not meta.book.authors:
        window = text[start:start + _BODY_CHARS]
        for m in _WORK_BESIDE_AUTHOR.finditer(window):
            title_group = next(g for g in ("t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "ta", "tb", "tc")
                               if m.group(g))
            name_group = next(g for g in ("n1", "n2", "n3", "n4") if m.group(g))
            if meta.book.title is not None and fold_words(m.group(title_group)) != fold_words(meta.book.title):
                continue  # another work than the book already known
            if _is_names(m.group(name_group)) and m.group(name_group) != meta.presenter:
                at = start + m.start(title_group)
                _set_title(meta, m.group(title_group), Span(start=at, end=start + m.end(title_group)), text)
                _add_author(meta, m.group(name_group), Span(start=start + m.start(name_group),
                                                            end=start + m.end(name_group)), text)
                break
    if meta.book.title and not meta.book.authors:
        _authors_from_reference(doc, meta)
    if (meta.book.title or meta.title) and not meta.book.authors:
        # The handout's own title names the book once its author is known (below).
        for m in _AUTHOR_OF_THIS_WORK.finditer(text[start:start + _BODY_CHARS]):
            group = "n1" if m.group("n1") else "n2"
            if _is_names(m.group(group)) and m.group(group) != meta.presenter:
                _add_author(meta, m.group(group), Span(start=start + m.start(group), end=start + m.end(group)), text)
                break
    if meta.book.authors and meta.book.title is None and meta.title and "title" in meta.provenance:
        book = meta.title
        if _HANDOUT_TITLE.match(book):
            book = re.sub(r"^[^:]*:\s*", "", book) if ":" in book else ""
        if book:
            _set_title(meta, book, meta.provenance["title"], text)


def _authors_from_reference(doc: Document, meta: Metadata) -> None:
    """The book's authors from its full reference elsewhere (a bibliography, a footnote): the line
    that names the book after its authors ("[1] Jeanne Doe. Titre du livre. Éditeur, 1979.")."""
    text, title = doc.text, meta.book.title
    needle = title[:60]
    at = text.find(needle)
    seen = 0
    while at >= 0 and seen < 20:
        seen += 1
        line_start = text.rfind("\n", 0, at) + 1
        prefix = text[line_start:at]
        names = re.sub(r"^[\s>*_\-–•]*(?:\[\d+\]|\d+[.)])?\s*", "", prefix).strip().rstrip(".,:;").strip(" *_")
        if names and _is_names(names):
            span = Span(start=line_start + prefix.find(names), end=line_start + prefix.find(names) + len(names))
            for name in _NAME_SPLIT.split(names):
                _add_author(meta, name, span, text)
            line_end = text.find("\n", at)
            rest = text[at + len(title):line_end if line_end >= 0 else len(text)]
            publication = _publication(rest.strip(" .*_"))
            line_span = Span(start=at, end=at + len(title) + len(rest))
            if publication.publisher:
                _set_book(meta, publication, line_span, text)
            return
        at = text.find(needle, at + 1)
