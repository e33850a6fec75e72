"""What a title-block line looks like: a labelled field, a signature ("Exposé de …"), a period, a
person's name, a handout title, a bibliographic or publisher line, an institution, a course code.
Its position in the block (``title_reader``) then decides which field it fills."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.document import Block, Document
from pipeline.models import Span
from pipeline.stages.book_line import _AUTHORS_THEN_PUBLICATION, _CONTRIBUTOR, _LONG_FIELD, _PLACE_FIRST, _PUBLISHER, _TITLE_THEN_AUTHORS, _looks_like_book_line
from pipeline.stages.dates import _BARE_DATE, _PERIOD, _YEAR, _best_date
from pipeline.stages.person_names import _CIVILITY, _EDITOR, _editor_names, _is_names, _people
from pipeline.stages.sections import clean_title

_HANDOUT_TITLE = re.compile(
    r"^(?:TD|TP|CM|fiches?\s+de\s+lecture|fiche|expos[ée]|compte[- ]rendu|notes?\s+de\s+lecture|dossier|"
    r"pr[ée]sentation|commentaire|synth[èe]se|r[ée]sum[ée]|recension|lecture|analyse)\b", re.I)
# A line that only names the kind of student work the handout is ("COMPTE RENDU DE LECTURE", "Fiche de
# lecture n° 2", "NOTE DE SYNTHÈSE", "Commentaire de texte", "Exposé oral", "DOSSIER"): a label. The genres
# of French coursework are a closed family (a noun of the kind, then what it works on: lecture, texte,
# documents, l'ouvrage…, or a qualifier: critique, oral…); in capitals the case cannot tell "DE LECTURE"
# from a book title, the family can. Such a line is the handout's title, never the book's.
_GENRE_KIND = (r"fiches?|notes?|comptes?[- ]rendus?|dossiers?|synth[èe]ses?|r[ée]sum[ée]s?|recensions?|"
               r"commentaires?|expos[ée]s?|analyses?|lectures?|pr[ée]sentations?|revues?|rapports?|travail|travaux|"
               r"devoirs?|dissertations?|explications?|[ée]tudes?|m[ée]moires?|td|tp")
_GENRE_OBJECT = (r"lecture|synth[èe]se|textes?|documents?|cas|litt[ée]rature|stage|r[ée]vision|s[ée]ance|cours|td|"
                 r"recherche|groupe|l['’]\s*ouvrage|ouvrage|livre|l['’]\s*article|article|l['’]\s*[œo]euvre|"
                 r"[œo]euvre|presse|terrain|m[ée]thode|lectures")
_GENRE_QUALIFIER = (r"critiques?|oral(?:e|es|aux)?|[ée]crite?s?|personnel(?:le)?s?|collecti(?:f|ve)s?|"
                    r"individuel(?:le)?s?|documentaires?|compos[ée]e?s?|dirig[ée]e?s?|finale?s?|analytiques?|"
                    r"bibliographiques?|th[ée]matiques?|d['’]\s*(?:ouvrage|article|[œo]euvre)")
_GENRE_LABEL = re.compile(
    rf"(?:{_GENRE_KIND})(?:\s+(?:(?:de|du|des|sur)\s+(?:{_GENRE_OBJECT})|{_GENRE_QUALIFIER}|et))*"
    rf"(?:\s*(?:n[°o]\.?|#|num[ée]ro)?\s*\d{{1,3}})?", re.I)
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

# University, faculty, degree and year lines ("Université de Lille – UFR …", "Licence 3 – Semestre 5",
# "L2 Science politique", "Sciences Po Bordeaux – 2e année"): the French university's own words.
_INSTITUTION = re.compile(
    r"^(?:universit[ée]|ufr|facult[ée]|d[ée]partement|[ée]cole|institut|iep|sciences\s+po|coll[èe]ge|lyc[ée]e|"
    r"campus|licence|master|bachelor|doctorat|[LM][1-3]|bts|dut|but|cpge|classes?\s+pr[ée]paratoires?|"
    r"(?:\d|premi[èe]re|deuxi[èe]me|troisi[èe]me)\s*(?:e|[èe]re|[èe]me)?\s+ann[ée]e|parcours|promo(?:tion)?|"
    r"groupe|td\s+n|semestre\s+\d+$)\b", re.I)

# A student signs with a name, a dash and the degree and university ("Ana Duval – Master 1 Sociologie,
# Université de Nantes", "Léo Marc et Ana Duval | L2 Histoire"): the name is the presenter. A teacher
# signs with a civility title ("M. Paul Roux – Université de Nantes"), see _CIVILITY.
_STUDENT = re.compile(r"^(?P<names>[^–—|(]+?)\s+[–—|-]\s+(?P<rest>\S.*)$")
_SEGMENT = re.compile(r"\s+[–—|-]\s+|\s*,\s+")
# A course code on its own line ("SC22", "UE 4", "L3 SOC-201"): it names the course, never a subtitle.
_COURSE_CODE = re.compile(r"^(?:[A-Z]{1,5}[ -]?\d{1,3}[A-Z]?)(?:\s+[A-Z]{2,5}[ -]?\d{1,4})?$")

# Emoji that picture a book ("📘 Titre" in a reading note's title).
_BOOK_EMOJI = re.compile("[\U0001F4D5-\U0001F4DA\U0001F4D6\U0001F56E]")
# Emoji, arrows and rules around a title ("📘 Titre", "~ Titre ~"): not part of it.
_DECORATION = re.compile(r"^[^\w«“\"'(\[]+|(?<=\w)[^\w»”\"')\]?!.…]+$|(?<=[?!.…»”)\]])[^\w»”\"')\]?!.…]+$")
_SHORT_LINE = 120  # a subtitle under the title may run long; body paragraphs run longer

_UNDERLINE = re.compile(r"^(?:={3,}|-{3,}|[—–]{1,3}|_{3,}|\*(?:\s*\*){2,})$")

@dataclass(slots=True)
class _Unit:
    """One title-block line (or a line wrapped over several) with what it looks like."""

    value: str
    span: Span
    block: int  # index of its block in the title block
    shape: str | None = None  # see _shape; None for a plain line
    raw: str = ""  # the text as written, emphasis included

# -- what a line looks like ---------------------------------------------------------------------------

def _shape(value: str, *, heading: bool = False, raw: str = "") -> str | None:
    """What a title-block line looks like, before its position decides which field it fills."""
    if not value or len(value) > _LONG_FIELD:
        return None  # a body paragraph
    if _UNDERLINE.match(value):
        return "underline"
    if _LABELLED.match(value):
        return "labelled"
    if _GENRE_LABEL.fullmatch(value):
        return "title"  # "NOTE DE SYNTHÈSE": before "notes de …", which is a contributor's line
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
    if (m := _AUTHORS_THEN_PUBLICATION.match(value)) and _is_names(_editor_names(m.group("authors"))) and \
            not _is_names(m.group("publication").split(",")[0]):
        return "authored"
    if heading or _HANDOUT_TITLE.match(value) or \
            any(_HANDOUT_TITLE.match(part) and len(part.split()) <= 4
                for part in re.split(r"\s+[–—-]\s+|\s*:\s+", value)[1:]):
        return "title"  # "TD : …", "Séance 4 – Dossier de lecture"
    if (_PERIOD.match(value) and len(value.split()) <= 8) or _BARE_DATE.match(value):
        return "period"
    if not re.search(r"[«»“”\"]", value) and any(_INSTITUTION.match(part) for part in _SEGMENT.split(value)):
        if (m := _STUDENT.match(value)) and _is_names(m.group("names")) and not _CIVILITY.match(value):
            return "student"  # "Ana Duval – Master 1 Sociologie, Université de Nantes"
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

# A slide's footer, printed on every slide with its number: "A. Roux, T. Blanc · Titre court · 1",
# "Titre – 2", "Roux, Blanc | Titre | 3", "Titre⇥4". The number is set off by a tab, spaces, a dash, a
# bar or a middle dot, and has at most three digits, so that "Semestre 1 – 2024" is no footer.
_FOOTER = re.compile(r"(?P<body>.*?\w.*?)(?:\t+|[ \u00a0]{2,}|[ \u00a0]+[-–—|·•][ \u00a0]*)"
                     r"(?:p(?:age|\.)?[ \u00a0]*)?\d{1,3}(?:[ \u00a0]*/[ \u00a0]*\d{1,3})?[ \u00a0]*")
_FOOTER_MAX = 200


def _is_footer(doc: Document, raw: str) -> bool:
    """A footer line: its text without the number comes back elsewhere in the document (on the next
    slides). A title block holds a handful of lines: counting in the text is cheap."""
    raw = raw.strip()
    # The two lazy ".*?" of _FOOTER try every split of the line: quadratic in its length (a
    # 100 KB line of quote marks took minutes). A footer is short.
    if len(raw) > _FOOTER_MAX:
        return False
    m = _FOOTER.fullmatch(raw)
    if m is None:
        return False
    body = m.group("body").strip(" \t\u00a0-–—|·•")
    return len(body) >= 6 and doc.text.count(body) >= 2


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
        unit.shape = "footer" if _is_footer(doc, raw) else _shape(unit.value, raw=raw)
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
