"""Metadata from the title block: course, presenter, period, handout title, the book and its authors.

The title block is the run of short lines a handout opens with (or its front matter; or, in some
notes, the lines after a closing rule). Lines are recognised by what they look like — a labelled
field ("Présenté par : …", "**UE :** …"), a period ("Semestre 1 – 2024-2025", "Séance du 28 janvier
2025"), a person's name, a handout title ("TD : *Le livre*"), a bibliographic line ("Auteur, *Titre.
Sous-titre*, Éditeur, année"), an institution line ("Université … – UFR …") — and by their order: a
name before the handout title presents it, names after it wrote the book, a name next to a book title
and its publisher wrote that book. No list of names is used.

When the title block says nothing of the book, the body's first lines are read for it: a labelled
"Auteur : …" line, or the first sentence naming a work and its author ("Phèdre est la dernière
tragédie de Jean Racine"). Fields still missing are reported as ``metadata_missing`` issues.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.document import Block, Document
from pipeline.models import Issue, Metadata, Span
from pipeline.rules import METADATA_RULES
from pipeline.stages.sections import clean_title, is_structural_heading
from pipeline.text import fold_words

_MONTHS = (r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|"
           r"d[ée]cembre|janv\.?|f[ée]vr?\.?|sept\.?|oct\.?|nov\.?|d[ée]c\.?")
_WEEKDAYS = r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
_YEAR = r"(?:1[5-9]|20)\d\d"
_PERIOD = re.compile(
    rf"^(?:(?:semestre|trimestre|ann[ée]e(?:\s+universitaire)?|session|printemps|[ée]t[ée]|automne|hiver|"
    rf"s\d|{_MONTHS}|{_WEEKDAYS}|le|du|au|de|à|et|\d{{1,2}}(?:er)?)\b[\s,/–—-]*)*"
    rf"(?:\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}|(?:19|20)\d\d)(?:[\s,/–—-]+.*)?$", re.I)
# Dates inside a line, best first: a day ("28 janvier 2025", "mardi 5 novembre", "12/10/2024",
# "2022-07-11"), a month ("mars 2025", "2019/09"), an academic year ("2023-2024", "2023/2024").
_DATES = [
    (3, re.compile(rf"\b(?:(?:{_WEEKDAYS})\s+)?(?:1er|\d{{1,2}})\s+(?:{_MONTHS})(?:\s+{_YEAR})?(?![\w-])", re.I)),
    (3, re.compile(rf"\b\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:{_YEAR}|\d\d)\b")),
    (3, re.compile(rf"\b{_YEAR}-\d\d-\d\d(?!\d)")),
    (2, re.compile(rf"\b(?:{_MONTHS})\s+{_YEAR}\b", re.I)),
    (2, re.compile(rf"\b{_YEAR}/(?:0?[1-9]|1[0-2])\b(?!/)")),
    (1, re.compile(rf"\b{_YEAR}\s*[-/–—]\s*{_YEAR}\b")),
    (0, re.compile(rf"\b{_YEAR}\b")),  # "Printemps 2025" (a year alone counts only on a period's line)
]
# A line that is nothing but a date without a year ("mardi 5 novembre", "5 novembre").
_BARE_DATE = re.compile(rf"^(?:(?:le|du)\s+)?(?:(?:{_WEEKDAYS})\s+)?(?:1er|\d{{1,2}})\s+(?:{_MONTHS})$", re.I)
# A capitalised word, hyphenated parts and elided prefixes included ("Nguyen-Vasseur", "O'Donnell").
_NAME_WORD = r"[A-ZÀ-Ý](?:['’][A-ZÀ-Ý])?[a-zà-ÿ'’-]+"
_NAME_TOKEN = (rf"(?:{_NAME_WORD}(?:-{_NAME_WORD})*|[A-ZÀ-Ý]\.(?:[A-ZÀ-Ý][a-zà-ÿ'’-]+)?|"
               rf"[A-ZÀ-Ý]{{2,}}(?:-[A-ZÀ-Ý]{{2,}})?)")
# Lower-case particles inside names, and the Irish and Arabic capitalised ones ("Ó Súilleabháin").
_PARTICLE = r"(?:de|du|des|von|van|der|den|le|la|di|da|del|della|dos|das|do|ben|bin|ibn|el|al|zu|ter|ten|y|Ó|Ní|Nic)"
# "d'Arcy", "l'Hermite": an elided particle glued to the next word.
_NAME = re.compile(rf"^{_NAME_TOKEN}(?:\s+(?:{_PARTICLE}\s+|[dl]['’])?{_NAME_TOKEN}){{1,3}}$")
# One surname in capitals ("CHAUVIN/JOUNIN — …"): a name only where authors are expected.
_SURNAME = re.compile(r"^[A-ZÀ-Ý]{2,}(?:[- ][A-ZÀ-Ý]{2,})?$")
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|/|\bet\b|\band\b)\s*")
# Words that make a capitalised line something other than a person's name.
_NOT_NAME = re.compile(r"\b(?:[ÉE]ditions?|[ÉE]d\.|Presses?|Universit[ée]|Institut|Master|Licence|"
                       r"Sciences|Sociologie|Histoire|Philosophie|Introduction|Conclusion|Chapitre|"
                       r"Partie|Fiche|Cours|Groupe|Promo)\b", re.I)
_HANDOUT_TITLE = re.compile(
    r"^(?:TD|TP|CM|fiches?\s+de\s+lecture|fiche|expos[ée]|compte[- ]rendu|notes?\s+de\s+lecture|dossier|"
    r"pr[ée]sentation|commentaire|synth[èe]se|r[ée]sum[ée]|recension|lecture|analyse)\b", re.I)
# Inclusive spellings end a word with "(e)", "·e", ".e", "(s)": "Enseignant(e)", "Rédigé(e) par",
# "Étudiant·e·s", "auteur·rice".
_E = r"(?:e|\(e\)|[·.]e)?"
_S = r"(?:s|\(s\)|[·.]s)?"
_MADE = rf"(?:r[ée]alis[ée]|r[ée]dig[ée]|pr[ée]sent[ée]|propos[ée]|fait|[ée]crit|tap[ée]){_E}{_S}"
_PAR = rf"{_MADE}\s+par"
_LABELS = {
    "course": r"cours|ue|u\.e\.|s[ée]minaire|enseignement|mati[èe]re|module|unit[ée]\s+d['’]enseignement|"
              r"(?:intitul[ée]|titre)\s+du\s+(?:cours|s[ée]minaire)",
    "presenter": rf"{_PAR}|[ée]tudiant{_E}{_S}|pr[ée]sentat(?:eur|rice)(?:[·.]rice)?{_S}|r[ée]dact(?:eur|rice)(?:[·.]rice)?{_S}|"
                 rf"intervenant{_E}{_S}|exposant{_E}{_S}|(?:nom\s+et\s+)?pr[ée]noms?|noms?|auteur{_E}{_S}\s+de\s+la\s+fiche|par",
    "period": r"date(?:\s+de\s+(?:rendu|remise|la\s+s[ée]ance))?|p[ée]riode|semestre|ann[ée]e(?:\s+universitaire)?|"
              r"s[ée]ance|rendu(?:\s+le)?|remis(?:\s+le)?",
    "book.title": r"livre|ouvrage(?:\s+(?:[ée]tudi[ée]|lu|pr[ée]sent[ée]|analys[ée]|de\s+r[ée]f[ée]rence))?|"
                  r"[œo]euvre(?:\s+[ée]tudi[ée]e)?|texte\s+[ée]tudi[ée]|titre(?:\s+du\s+livre|\s+de\s+l['’]ouvrage)?|"
                  r"r[ée]f[ée]rence(?:\s+compl[èe]te)?",
    "book.authors": rf"auteur{_E}{_S}|auteur[·.]rice{_S}|autrices?|[ée]crit\s+par",
    # A teacher is never the presenter: read, and dropped.
    "teacher": rf"enseignant{_E}{_S}|professeur{_E}{_S}|prof\.?|charg[ée]{_E}{_S}\s+de\s+(?:td|cours)|"
               rf"responsable(?:\s+du\s+cours)?|encadrant{_E}{_S}|tut(?:eur|rice)(?:[·.]rice)?|"
               r"direct(?:eur|rice)(?:[·.]rice)?(?:\s+de\s+recherche)?",
    "book.publisher": r"[ée]diteur|maison\s+d['’][ée]dition|[ée]dition",
    # Other title-block fields that fill nothing: the original title, abbreviations, the edition used.
    "skip": r"titre\s+original|abr[ée]viations?|sources?|(?:tome|vol(?:ume)?\.?)(?:\s+[IVXLC\d]+)?|isbn|traduction|trad(?:uct(?:eur|rice))?\.?|"
            r"mots?[- ]cl[ée]s|niveau|groupe|parcours|promo(?:tion)?|fili[èe]re|[ée]tablissement|ufr|facult[ée]|"
            r"universit[ée]|dipl[ôo]me|formation",
}
_LABEL_ALTERNATIVES = "|".join("(?P<%s>%s)" % (key.replace(".", "_"), rx) for key, rx in _LABELS.items())
# A label needs its separator ("Date : …", "Cours – …"): without one, "Cours de sociologie" or
# "Titre du cours" would lose their first word. Only "… par" reads naturally without it.
_LABELLED = re.compile(rf"^(?:{_LABEL_ALTERNATIVES})(?:\s*[:：]|\s+[–—-]|(?<=par)(?=\s))\s*(?P<value>\S.*)$",
                       re.I)
# "Exposé de Jeanne Doe", "Fiche de lecture réalisée par …", "Compte rendu présenté par … – L1": the
# handout's kind, then who made it.
_BY_NAME = re.compile(
    r"^(?:(?:expos[ée]|pr[ée]sentation|fiche(?:\s+de\s+lecture)?|compte[- ]rendu|travail|notes?\s+de\s+lecture|"
    rf"dossier(?:\s+de\s+lecture)?|synth[èe]se|recension|commentaire|analyse)(?:\s+{_MADE})?\s+(?:de|d['’]|par)"
    rf"|(?!.*\btradu)[^:]{{0,50}}?\b{_PAR})\s*(?P<value>\S.*)$", re.I)
# The book's editor is its author ("sous la direction de Pierre Nora", "Pierre Nora (dir.)").
_EDITOR = re.compile(r"^(?:sous\s+la\s+direction\s+d['’e]\s*|dirig[ée]\s+par\s+|coordonn[ée]\s+par\s+)(?P<value>.+)$"
                     r"|^(?P<before>.+?)\s*\((?:dir|dirs|coord|[ée]ds?)\.?\)\s*$", re.I)
# Translators, preface writers and editors of the text are never authors.
_CONTRIBUTOR = re.compile(r"^(?:traduit|trad\.|traduction|pr[ée]fac[ée]|pr[ée]face|postface|avant-propos|"
                          r"introduction\s+(?:de|par)|[ée]dition\s+(?:[ée]tablie|critique|annot[ée]e)|"
                          r"notes?\s+(?:de\s+(?!lecture)|par)|texte\s+[ée]tabli)\b", re.I)
# University, faculty, degree and year lines ("Université de Lille – UFR …", "Licence 3 – Semestre 5",
# "L2 Science politique", "Sciences Po Bordeaux – 2e année"): the French university's own words.
_INSTITUTION = re.compile(
    r"^(?:universit[ée]|ufr|facult[ée]|d[ée]partement|[ée]cole|institut|iep|sciences\s+po|coll[èe]ge|lyc[ée]e|"
    r"campus|licence|master|bachelor|doctorat|[LM][1-3]|bts|dut|but|cpge|classes?\s+pr[ée]paratoires?|"
    r"(?:\d|premi[èe]re|deuxi[èe]me|troisi[èe]me)\s*(?:e|[èe]re|[èe]me)?\s+ann[ée]e|parcours|promo(?:tion)?|"
    r"groupe|td\s+n|semestre\s+\d+$)\b", re.I)
# Civility titles ("M. Paul Roux", "Mme Claire Roux"): teachers and supervisors are written with
# them, a book's authors never are.
_CIVILITY = re.compile(r"(?:M\.|MM\.|Mme|Mmes|Mlle|Dr|Pr|Prof\.|Professeure?)\s")
_SEGMENT = re.compile(r"\s+[–—|-]\s+|\s*,\s+")
# A course code on its own line ("SC22", "UE 4", "L3 SOC-201"): it names the course, never a subtitle.
_COURSE_CODE = re.compile(r"^(?:[A-Z]{1,5}[ -]?\d{1,3}[A-Z]?)(?:\s+[A-Z]{2,5}[ -]?\d{1,4})?$")
# Publication details ("Éditions La Découverte, 2019", "Paris, Seuil, coll. …, 1983", "Edition Métailié 1963").
_PUBLISHER = re.compile(r"\b(?:[ÉE]ditions?|[ÉE]d\.|Presses|coll\.|collection|ISBN)\b", re.I)
# "Paris, Gallimard, 1984": a place (one capitalised word) first, a year later.
_PLACE_FIRST = re.compile(rf"^[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý]?[a-zà-ÿ]+)*,\s+\S.*\b{_YEAR}\b")
_EMPHASISED = re.compile(r"\*{1,2}(?P<a>[^*]+?)\*{1,2}|_(?P<b>[^_]+?)_|«\s*(?P<c>[^»]+?)\s*»|\"(?P<d>[^\"]+?)\"|“(?P<e>[^”]+?)”")
# "Titre (Auteur et Auteur, 1996)": the work, then its authors and year in parentheses.
_TITLE_THEN_AUTHORS = re.compile(rf"^(?P<title>.+?)\s*\((?P<authors>[^()]+?),?\s+(?P<year>{_YEAR})\)\s*$")
# Nouns that name a kind of work: they open a subtitle after a comma ("Outsiders, étude de …") and
# introduce the author in a sentence ("… est un essai de Thibault Le Texier").
_GENRES = (r"livre|ouvrage|essai|[ée]tude|enqu[êe]te|roman|r[ée]cit|trag[ée]die|com[ée]die|drame|pi[èe]ce|"
           r"recueil|trait[ée]|po[èe]me|manifeste|pamphlet|biographie|article|texte|th[èe]se|conf[ée]rence")
# Emoji that picture a book ("📘 Titre" in a reading note's title).
_BOOK_EMOJI = re.compile("[\U0001F4D5-\U0001F4DA\U0001F4D6\U0001F56E]")
# Emoji, arrows and rules around a title ("📘 Titre", "~ Titre ~"): not part of it.
_DECORATION = re.compile(r"^[^\w«“\"'(\[]+|(?<=\w)[^\w»”\"')\]?!.…]+$|(?<=[?!.…»”)\]])[^\w»”\"')\]?!.…]+$")
_SHORT_LINE = 120  # a subtitle under the title may run long; body paragraphs run longer
_LONG_FIELD = 600  # a bibliographic or labelled line may run long
_MAX_TITLE_BLOCKS = 12
_UNDERLINE = re.compile(r"^(?:={3,}|-{3,}|[—–]{1,3}|_{3,}|\*(?:\s*\*){2,})$")


@dataclass(frozen=True, slots=True)
class TitleBlock:
    blocks: list[Block]
    body_start: int  # where the handout's body (and its first section) begins
    # A title block printed after the body ("—" then "Note de lecture rédigée par …"), when the
    # handout opens with none.
    closing: list[Block] = field(default_factory=list)


def find_title_block(doc: Document) -> TitleBlock:
    """The short lines a handout opens with, before its first section (and a closing one)."""
    found = _short_run(doc)
    if found.blocks and found.blocks[0].kind != "heading":
        # Short lines that fill no field once the title block is read ("Méthodes et sources" after the
        # book's subtitle) are the first slide titles of the body, not metadata.
        _, used = MetadataExtractor().read(doc, found.blocks)
        keep = max(used, default=-1) + 1
        if used and keep < len(found.blocks):
            found = TitleBlock(found.blocks[:keep], found.blocks[keep].start)
    closing = _closing_blocks(doc, found)
    if not closing:
        return found
    if not any(u.shape not in (None, "title", "underline") for b in found.blocks for u in _units(doc, b, 0)):
        # A handout opening on its first heading ("Que faire quand … ?") with its fields at the end:
        # that heading is the body's, not a course.
        return TitleBlock([], doc.blocks[0].start, closing)
    meta, _ = MetadataExtractor().read(doc, found.blocks)
    if not (meta.course or meta.presenter or meta.period):
        return TitleBlock(found.blocks, found.body_start, closing)
    return found


def _closing_blocks(doc: Document, opening: TitleBlock) -> list[Block]:
    """The document's last paragraph when it is a title block: two fields or more ("Rédigé par …",
    "Cours : …", "Rendu le …"), often after a rule line."""
    blocks = [b for b in doc.blocks[-2:] if b.kind == "paragraph" and b not in opening.blocks]
    if not blocks:
        return []
    last = blocks[-1]
    if last.end - last.start > 12 * _LONG_FIELD or last.last_line - last.first_line > 12:
        return []  # a paragraph of the body
    units = _units(doc, last, 0)
    # Labelled or signed lines, not book lines: a closing bibliography is no title block.
    fields = [u for u in units if u.shape in ("labelled", "by", "period")]
    return [last] if len(fields) >= 2 else []


def _setext_as_paragraphs(doc: Document) -> list[Block]:
    """The document's blocks, a Setext heading ("Titre" over "=====") read as the two-line paragraph
    it is written as: at the top of a compte rendu that line is the book's title, a field of the
    title block, which the title-block reader recognises by its underline."""
    blocks = []
    for block in doc.blocks:
        under = block.last_line + 1
        if block.kind == "heading" and under < len(doc.lines) and doc.lines[under].kind == "rule" \
                and re.fullmatch(r"={3,}|-{3,}", doc.text[doc.lines[under].start:doc.lines[under].end].strip()):
            block = Block(block.first_line, under, block.start, doc.lines[under].end, "paragraph")
        blocks.append(block)
    return blocks


def _short_run(doc: Document) -> TitleBlock:
    run: list[Block] = []
    blocks = _setext_as_paragraphs(doc)
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
        if _opens_body(doc, block) or (run and _underlined(doc, block)):
            # A heading underlined with "====" or "----" opens the body, unless it is the first line
            # of the handout (then it is the book's title, as in a plain-text compte rendu).
            stop = block
            break
        if _logo_residue(doc, block):
            continue  # "L'ÉCOLE\nDES HAUTES\nÉTUDES EN…" on a converted title slide: no field, no end
        if len(lines) > 12 or block.end - block.start > 12 * _LONG_FIELD:
            stop = block  # a long paragraph: the body has begun
            break
        shapes = [_shape(clean_title(doc.text[l.content_start:l.end])) for l in lines]
        long_ok = all(l.end - l.content_start <= _SHORT_LINE or
                      (shape in _LONG_SHAPES and l.end - l.content_start <= _LONG_FIELD)
                      for l, shape in zip(lines, shapes))
        if block.kind == "item" and all(s in ("labelled", "by", "period") for s in shapes):
            run.append(block)  # "- **Cours :** …" as a list: fields all the same
            continue
        if block.kind != "paragraph" or not long_ok or \
                len(lines) > 3 and sum(1 for s in shapes if not s) > 1:
            # More than three lines is a paragraph, unless each line is a field of its own
            # ("Cours : …\nPrésenté par …\nDate : …\nOuvrage : …\nAuteur : …"); one plain line
            # among them is the book's title ("Karl Polanyi\nLa Grande Transformation\nTraduit …").
            stop = block
            break
        if not all(shapes) and re.search(r"[a-zà-ÿ)»]{2}[.;]\s*$", clean_title(body)):
            stop = block  # a sentence, "**…**" or not
            break
        run.append(block)
    else:
        return TitleBlock(run, run[-1].end if run else 0)
    if not run:
        return TitleBlock([], blocks[0].start if blocks else 0)
    if stop is not None and (stop.kind == "heading" or _opens_body(doc, stop) or _underlined(doc, stop)):
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


_LONG_SHAPES = {"labelled", "bookline", "publisher", "by", "titled_by", "contributor", "editor"}


def _underlined(doc: Document, block: Block) -> bool:
    """A Setext heading: a line, then a line of "=" or "-" only."""
    if block.kind != "paragraph" or block.last_line != block.first_line + 1:
        return False
    under = doc.text[doc.lines[block.last_line].content_start:doc.lines[block.last_line].end].strip()
    return bool(re.fullmatch(r"={3,}|-{3,}", under))


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
    shape: str | None = None  # see _shape; None for a plain line
    raw: str = ""  # the text as written, emphasis included


@dataclass(slots=True)
class _Book:
    """A book read off one line: "Auteur, *Titre. Sous-titre*, Éditeur, année" and its variants."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    publisher: str | None = None
    year: str | None = None


class MetadataExtractor:
    def __call__(self, doc: Document, title_block: TitleBlock) -> Metadata:
        meta = self.read(doc, title_block.blocks)[0]
        if title_block.closing:
            closing = _Reader(doc, front_matter=False).read(title_block.closing)[0]
            _merge(meta, closing)
        try:
            _from_body(doc, meta, title_block)
        except Exception:  # a fallback never costs the fields already read  # pragma: no cover
            pass
        return meta

    def read(self, doc: Document, blocks: list[Block]) -> tuple[Metadata, set[int]]:
        """The metadata of a title block, and the indices of the blocks that filled a field."""
        return _Reader(doc).read(blocks)


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
        if shape == "title":
            if meta.title is None:
                _set(meta, "title", value, span, text)
                _book_from_title(unit, meta, text)
                return "title"
            return "ignored"
        if shape == "period":
            self._period(value, span, whole=True)
            return "period"
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
            if nxt == "editor":
                context[n] = "book.title"
            elif nxt == "names" and after in book_like:
                context[n], context[n + 1] = "book.title", "authors"
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


# -- setting fields ---------------------------------------------------------------------------------

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
    if not value or meta.book.title is not None:
        return
    title, subtitle = _split_subtitle(value)
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


def _split_subtitle(title: str) -> tuple[str, str | None]:
    m = re.search(rf"(?<![A-ZÀ-Ý])\.\s+(?=\S)|\s*:\s+|,\s+(?=(?:{_GENRES}|essais?|introduction|histoire|"
                  r"recherches?|regards?|analyse)\b)", title)
    if m and m.start() > 0 and title[m.end():].strip(" .").strip():
        return title[:m.start()].strip(), title[m.end():].strip().rstrip(".").strip()
    return title.rstrip(".").strip() if not title.endswith("..") else title, None


def _people(value: str) -> str:
    """The student(s) named in a field, without what follows ("Noah Lemaire – Licence 1",
    "Chloé Vasseur (groupe 2)")."""
    value = re.sub(r"\s*\([^()]*\)\s*$", "", _strip_links(value).strip())
    head = re.split(r"\s+[–—|]\s+|\s+-\s+|\s*\(", value)[0].strip(" ,;")
    return head if head and _is_names(head) else value


def _editor_names(value: str) -> str:
    m = _EDITOR.match(value.strip())
    if m:
        value = m.group("value") or m.group("before")
    return re.sub(r"\s*\((?:dir|dirs|coord|[ée]ds?)\.?\)", "", value).strip()


def _strip_links(value: str) -> str:
    """Obsidian wikilinks and Markdown links keep their text: "[[Marcel Mauss]]", "[Nom](url)"."""
    value = re.sub(r"\[\[([^\]|]+)(?:\|[^\]]*)?\]\]", r"\1", value)
    return re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", value)


def _best_date(value: str) -> tuple[int, str] | None:
    for rank, pattern in _DATES:
        if m := pattern.search(value):
            return rank, m.group(0)
    return None


# -- the book on one line ----------------------------------------------------------------------------

def _top_level_split(value: str) -> list[str]:
    """Comma-separated parts, commas inside (), [], « » and quotes left alone."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(value):
        if ch in "([«“":
            depth += 1
        elif ch in ")]»”" and depth:
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(value[start:i].strip())
            start = i + 1
    parts.append(value[start:].strip())
    return [p for p in parts if p]


_EMPHASIS_SPAN = re.compile(r"\*\*?(?P<a>[^*]+?)\*\*?|(?<!\w)_(?P<b>[^_]+?)_(?!\w)|«\s*(?P<c>[^»]+?)\s*»")


def _emphasised_title(raw: str) -> tuple[str, str, str] | None:
    """(before, title, after) when a line emphasises or quotes a title after the authors."""
    m = _EMPHASIS_SPAN.search(raw)
    if not m:
        return None
    before = clean_title(raw[:m.start()]).rstrip(" ,:").strip()
    if not before or not _is_names(_editor_names(before)):
        return None
    return before, next(g for g in m.groups() if g), clean_title(raw[m.end():]).lstrip(" ,.")


def _looks_like_book_line(value: str, raw: str = "") -> bool:
    if len(value) > _LONG_FIELD:
        return False
    if (e := _emphasised_title(raw or value)) is not None:
        return bool(re.search(rf"\b{_YEAR}\b", e[2]) or _PUBLISHER.search(e[2]) or not e[2])
    parts = _top_level_split(value)
    k = _leading_names(parts)
    if k == 0 or len(parts) < k + 2 or not parts[k][:1].isupper() and parts[k][:1] not in "«“":
        return False
    rest = ", ".join(parts[k + 1:])
    return bool(re.search(rf"\b{_YEAR}\b", rest) or _PUBLISHER.search(rest) or _CONTRIBUTOR.match(parts[k + 1]))


def _leading_names(parts: list[str]) -> int:
    """How many comma-separated parts open the line with authors ("Jean Dupin, Marie Leclerc et Paul Roy,
    Titre, …" has three); the last part is always left for the title."""
    k = 0
    while k < len(parts) - 1 and _is_names(_editor_names(parts[k])):
        k += 1
    return k


def _book_line(value: str, raw: str = "") -> _Book:
    """"Auteur et Auteur, Titre. Sous-titre, traduit de … par …, Paris, Éditeur, année [original]"."""
    if (e := _emphasised_title(raw or value)) is not None:
        authors, title, rest = e
    else:
        parts = _top_level_split(value)
        k = max(1, _leading_names(parts))
        authors, title_parts, i = " et ".join(parts[:k]), [parts[k]], k + 1
        # A title's own commas are followed by lower-case words ("La géographie, ça sert, d'abord, …");
        # a capitalised part (a place, a publisher) or a translator ends it.
        while i < len(parts) and parts[i][:1].islower() and not _CONTRIBUTOR.match(parts[i]) and \
                not re.match(r"(?:coll|p|pp|r[ée][ée]d|[ée]d|trad|vol|t)\.|\d", parts[i]):
            title_parts.append(parts[i])
            i += 1
        title, rest = ", ".join(title_parts), ", ".join(parts[i:])
    publication = _publication(rest)
    names = [n for n in _NAME_SPLIT.split(_editor_names(authors)) if n]
    return _Book(title=title.strip("«»“” ").strip(), authors=names, publisher=publication.publisher,
                 year=publication.year)


def _publication(value: str) -> _Book:
    """Publisher and year of "Paris, Gallimard, coll. « … », 1983 [1944]" or "Éditions du Seuil, 1996"."""
    year = re.search(rf"\b{_YEAR}\b", value)
    parts = _top_level_split(value.strip(" ."))
    publisher = None
    for n, part in enumerate(parts):
        part = re.sub(rf"\s*(?:\[.*|\(.*|;.*|\b{_YEAR}\b.*)$", "", part).strip(" .")
        if not part or not part[:1].isupper() or _CONTRIBUTOR.match(part) or \
                re.match(r"(?:coll|collection|ISBN|p|pp)\b", part, re.I):
            continue
        following = parts[n + 1].strip() if n + 1 < len(parts) else ""
        if re.fullmatch(r"[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-Za-zà-ÿ]+)*", part) and following[:1].isupper() and \
                not re.match(r"(?:coll|collection)\b", following, re.I):
            continue  # the place ("Paris, Gallimard")
        if len(part.split()) <= 6 and not re.search(r"\d|https?:|www\.|\*", part):
            publisher = part  # a name, not a sentence, a reference or an address
        break
    # The year goes with a publisher: "(1809-1865)" beside a name is a life, not an edition.
    return _Book(publisher=publisher, year=year.group(0) if year and publisher else None)


def _book_from_title(unit: _Unit, meta: Metadata, text: str) -> None:
    """'TD : *En attendant les robots*': the emphasised or quoted part names the book;
    'CHAUVIN/JOUNIN — L'observation directe': the authors, then the book."""
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
                           r"lecture|analyse|r[ée]sum[ée]|synth[èe]se|commentaire)\s+(?:de|du|d['’]|sur)\s*"
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


def _names_or_surnames(value: str) -> bool:
    parts = [p for p in re.split(r"\s*/\s*|" + _NAME_SPLIT.pattern, value) if p]
    return bool(parts) and not _NOT_NAME.search(value) and \
        all((_NAME.match(p) and not _ARTICLE.match(p)) or _SURNAME.match(p) for p in parts)


# -- front matter -------------------------------------------------------------------------------------

_FM_COURSE = ("course", "cours", "ue", "seminaire", "module", "matiere", "enseignement")
_FM_PERIOD = ("date", "read_on", "seance", "date_seance", "rendu", "date_rendu", "semestre", "annee")
_FM_BOOK = ("book", "ouvrage", "livre", "oeuvre", "book_title", "titre_ouvrage")
_FM_AUTHOR = ("author", "auteur", "authors", "auteurs", "autrice", "book_author")
_FM_PRESENTER = ("presenter", "presente_par", "etudiant", "etudiante", "etudiants", "redige_par", "student")
_FM_PUBLISHER = ("publisher", "editeur", "edition", "editions", "maison_edition")
_FM_YEAR = ("year", "annee_publication", "published", "parution")


def _front_matter(doc: Document, meta: Metadata) -> None:
    from pipeline.text import fold

    fields: dict[str, tuple[str, Span]] = {}
    lists: dict[str, list[tuple[str, Span]]] = {}  # "authors:" then "  - A" and "  - B" lines
    open_key = None
    for line in doc.lines:
        if line.kind != "front_matter":
            if fields or line.index > 0:
                break
            continue
        raw = doc.text[line.start:line.end]
        if open_key and (m := re.match(r"\s+-\s+[\"']?(.+?)[\"']?\s*$", raw)):
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
            fields.setdefault(fold(m.group(1)).replace("-", "_"), (value, Span(start=start, end=end)))
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


# -- what a line looks like ---------------------------------------------------------------------------

def _shape(value: str, *, heading: bool = False, raw: str = "") -> str | None:
    """What a title-block line looks like, before its position decides which field it fills."""
    if not value or len(value) > _LONG_FIELD:
        return None  # a body paragraph
    if _UNDERLINE.match(value):
        return "underline"
    if _LABELLED.match(value):
        return "labelled"
    if (m := _EDITOR.match(value)) and _is_names(m.group("value") or m.group("before")):
        # "sous la direction de Mme Claire Roux": a supervisor (a civility title), not a book's editor.
        return "skip" if _CIVILITY.match(m.group("value") or m.group("before")) else "editor"
    if _CONTRIBUTOR.match(value):
        return "contributor"
    if (m := _BY_NAME.match(value)) and _is_names(_people(m.group("value"))):
        return "by"
    if _looks_like_book_line(value, raw):
        return "bookline"
    if (m := _TITLE_THEN_AUTHORS.match(value)) and _is_names(m.group("authors")):
        return "titled_by"
    if heading or _HANDOUT_TITLE.match(value) or \
            any(_HANDOUT_TITLE.match(part) and len(part.split()) <= 4
                for part in re.split(r"\s+[–—-]\s+|\s*:\s+", value)[1:]):
        return "title"  # "TD : …", "Séance 4 – Dossier de lecture"
    if (_PERIOD.match(value) and len(value.split()) <= 8) or _BARE_DATE.match(value):
        return "period"
    if not re.search(r"[«»“”\"]", value) and any(_INSTITUTION.match(part) for part in _SEGMENT.split(value)):
        return "institution"
    if len(value.split()) <= 10 and _best_date(value) and _best_date(value)[0] >= 2 and \
            not re.search(rf"\b{_YEAR}\s*\)", value):
        return "period"  # "Séance du 28 janvier 2025", "Rendu le 3 avril 2025"
    if _is_names(value):
        return "names"
    if (_PUBLISHER.search(value) or _PLACE_FIRST.match(value) or re.match(rf"[ÉE]d(?:ition)?s?\b.*\b{_YEAR}\b", value)) \
            and not re.search(r"https?:|www\.", value):
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
    # The title block is read three times (to find its end, its closing block, its fields): the
    # lines of a block are shaped once per document.
    cache = doc.__dict__.setdefault("_title_units", {})
    key = (block.start, block.end, index)
    if key not in cache:
        cache[key] = _read_units(doc, block, index)
    return cache[key]


def _read_units(doc: Document, block: Block, index: int) -> list[_Unit]:
    """The title-block lines of one block.

    Converted slides keep a wrapped line as two ("**TD : *En attendant les\nrobots***", "Antonio
    A.\nCasilli"), while a typed title block puts one field per line with no blank line between
    ("Histoire des idées\nExposé de Jeanne Doe\nSemestre 2, 2024-2025"). Lines are read one by one
    when some of them are recognisable and none continues the previous one.
    """
    text = doc.text
    if block.kind == "heading":
        unit = _Unit(clean_title(text[block.start:block.end]), _trimmed(text, block.start, block.end),
                     index, raw=text[block.start:block.end])
        unit.value = _DECORATION.sub("", unit.value) or unit.value
        unit.shape = _shape(unit.value, heading=True, raw=unit.raw)
        return [unit]
    lines = doc.lines[block.first_line:block.last_line + 1]
    split = []
    for line in lines:
        raw = text[line.content_start:line.end]
        unit = _Unit(clean_title(raw), _trimmed(text, line.content_start, line.end), index, raw=raw)
        unit.value = _DECORATION.sub("", unit.value) or unit.value  # "📚 FICHE DE LECTURE 📚"
        unit.shape = _shape(unit.value, raw=raw)
        split.append(unit)
    content = [u for u in split if u.shape != "underline"]
    if len(content) == 1:
        return split
    joined = _Unit(clean_title(text[block.start:block.end].replace("\n", " ")),
                   _trimmed(text, block.start, block.end), index, raw=text[block.start:block.end].replace("\n", " "))
    joined.shape = _shape(joined.value, raw=joined.raw)
    wrapped = any(_unbalanced(text[l.content_start:l.end]) for l in lines) or \
        any(u.value[:1].islower() and not u.shape for u in split[1:])
    if wrapped or joined.shape == "names" and not all(u.shape for u in split):
        return [joined]  # a name broken after its initial ("Antonio A.\nCasilli")
    return split if any(u.shape for u in split) else [joined]


def _unbalanced(line: str) -> bool:
    """A line that opens emphasis or a quotation it does not close continues on the next line."""
    return line.count("*") % 2 == 1 or line.count("«") != line.count("»") or \
        line.count("“") != line.count("”") or line.count("_") % 2 == 1


def _trimmed(text: str, start: int, end: int) -> Span:
    while end > start and text[end - 1] in " \t\u00a0\r":
        end -= 1
    return Span(start=start, end=end)


# -- the body, when the title block does not name the book -------------------------------------------

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


def _from_body(doc: Document, meta: Metadata, title_block: TitleBlock) -> None:
    text = doc.text
    start = title_block.body_start
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


# -- fields not found ---------------------------------------------------------------------------------

_REPORTED = {"course": "the course", "presenter": "the presenter", "period": "the date or period",
             "book.title": "the book's title", "book.authors": "the book's authors"}


def missing_fields(meta: Metadata) -> list[Issue]:
    """One ``metadata_missing`` issue per title-block field extraction could not find."""
    rule = METADATA_RULES["metadata_missing"]
    values = {"course": meta.course, "presenter": meta.presenter, "period": meta.period,
              "book.title": meta.book.title, "book.authors": meta.book.authors}
    return [Issue(code=rule.code, severity=rule.severity, message=f"{rule.meaning}: {name} ({what} not found)")
            for name, what in _REPORTED.items() if not values[name]]
