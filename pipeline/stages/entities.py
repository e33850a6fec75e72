"""People, organisations and works cited by a handout.

People and organisations come from spaCy's NER run on the masked text (no Markdown residue such as
``exploratoire**.``), cleaned of what the small French model gets wrong on handouts: field labels
in capitals ("DISCIPLINES"), headings in capitals ("TEXTE 1", "DISCUSSION"), ordinary words opening
a line ("Contexte", "Lien"), surnames it calls places ("Cardon" after "Dominique Cardon"), and
companies or products it calls people ("la plateforme Deliveroo", "les chauffeurs d'Uber"). A
surname is linked to the full name seen elsewhere in the handout, whatever its casing ("BOURDIEU
Pierre" in a bibliography, "Bourdieu" in the text). Works are titles in italics or in quotes.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict

from pipeline.document import Document
from pipeline.models import Entity, EntityMention, Quote, Section, Span
from pipeline.stages.locate import SectionIndex

_ITALIC = re.compile(r"(?<![*\w])\*(?!\*)(?P<t>[^*\n]{3,150}?)\*(?![*\w])|(?<![_\w])_(?!_)(?P<u>[^_\n]{3,150}?)_(?![_\w])")
_LABEL_AFTER = re.compile(r"[ \t]*[:：]")
_NAME_WORD = re.compile(r"^[A-ZÀ-Ý][\w'’.-]*$")
_SECTION_LABEL = re.compile(r"(?:partie|chapitre|chap\.|s[ée]ance|section|figure|tableau)\s+\w+$", re.I)
# Civility titles before a name ("Mme Claire Dumas", "M. Paul Rivière"): not part of the name.
_CIVILITY = re.compile(r"(?:M\.|MM\.|Mme|Mmes|Mlle|Dr|Pr|Prof\.|Me|Mgr)\s+")
# Bibliographies write the surname first, in capitals: "BOURDIEU Pierre", "SERVET Jean-Michel".
_SURNAME_FIRST = re.compile(r"(?P<last>[A-ZÀ-Ý][A-ZÀ-Ý'’-]+(?:\s+[A-ZÀ-Ý][A-ZÀ-Ý'’-]+)?)\s+"
                            r"(?P<first>(?:[A-ZÀ-Ý][a-zà-ÿ'’-]+|[A-ZÀ-Ý]\.)(?:[\s-]+(?:[A-ZÀ-Ý][a-zà-ÿ'’-]+|[A-ZÀ-Ý]\.))*)$")
# What tells a company, a platform or a product from a person in French prose (the small model calls
# "Deliveroo" or "Siri" a person): a noun naming what it is right before it ("la plateforme
# Deliveroo", "l'assistant vocal Siri", "le géant du e-commerce Amazon"); its workers, users or tools
# before "de" ("les livreurs de Deliveroo", "l'algorithme d'Uber"); working or buying "chez" it.
_ORG_NOUNS = (r"plate-?formes?|applications?|applis?|apps?|entreprises?|soci[ée]t[ée]s?|firmes?|start-?ups?|marques?|"
              r"groupes?|sites?|r[ée]seaux?\s+sociaux|r[ée]seau\s+social|services?|logiciels?|moteurs?\s+de\s+recherche|"
              r"robots?|assistants?|assistantes?|chatbots?|g[ée]ants?|compagnies?|banques?|messageries?|cha[îi]nes?|"
              r"journal|journaux|magazines?|quotidiens?|hebdomadaires?|multinationales?|enseignes?|op[ée]rateurs?|"
              r"constructeurs?|fabricants?|labels?|algorithmes?|programmes?|jeux?|consoles?|smartphones?")
_ORG_BEFORE = re.compile(rf"\b(?:{_ORG_NOUNS})(?:\s+(?!(?:par|pour|selon|avec|et|ou|à|que|qui|dont|où|sur|dans|chez|"
                         rf"est|sont|a|ont|comme|contre)\b)[a-zà-ÿ'’-]+){{0,4}}\s+$", re.I)
_ORG_MEMBERS = re.compile(
    r"\b(?:salari[ée]e?s?|employ[ée]e?s?|travailleu(?:r|se)s?|chauffeurs?|livreu(?:r|se)s?|coursi(?:er|[èe]re)s?|"
    r"clients?|clientes?|utilisat(?:eur|rice)s?|usag(?:er|[èe]re)s?|abonn[ée]e?s?|actionnaires?|dirigeant(?:e|s|es)?|"
    r"fondat(?:eur|rice)s?|pdg|patron(?:ne|s)?|si[èe]ge|filiales?|logo|serveurs?|algorithmes?|applications?|"
    rf"plate-?formes?|mod[èe]le\s+[ée]conomique|conditions\s+g[ée]n[ée]rales)\s+(?:de\s+|d['’]\s*)$", re.I)
_ORG_CHEZ = re.compile(r"\b(?:travaill\w*|employ[ée]\w*|embauch\w*|recrut[ée]\w*|salari[ée]\w*|stagiaires?|"
                       r"command\w*|ach[eè]t\w*|livreu(?:r|se)s?|chauffeurs?|job|emploi|poste)\s+(?:\w+\s+){0,2}chez\s+$",
                       re.I)
# A company's legal form, a web address, or capitals inside a word ("YouTube", "BlaBlaCar"): never
# a person (Mc-, Mac-, De-, Di-, Le-, La- and O' surnames aside).
_ORG_SHAPE = re.compile(r"\s(?:Inc|Corp|Ltd|SA|SAS|SARL|GmbH|AG|LLC|Group|Labs?)\.?$|\.(?:com|fr|org|io)$|"
                        r"\b(?!Mc|Mac|De|Di|Le|La|Du|Van|Von)[A-Z][a-z]+[A-Z]")
# Names never end on an article or a particle ("I. La" is a heading's start).
_PARTICLE_END = re.compile(r"\s(?:La|Le|Les|Des|Du|De|D['’]|L['’])$")


class EntityFinder:
    def __call__(self, doc: Document, parsed, sections: list[Section], quotes: list[Quote], *,
                 lexicon) -> list[Entity]:
        text = doc.text
        works = self._works(text, quotes)
        in_work = _Intervals(span for spans in works.values() for span in spans)
        found: list[tuple[str, int, int]] = []  # (label, start, end)
        # Parts of full names: "Cardon" after "Dominique Cardon" is a surname even though the
        # lexicon knows "cardon" (a thistle).
        name_parts = {w for ent in parsed.ents if ent.label_ == "PER" and len(ent.text.split()) >= 2
                      for w in ent.text.split()}
        for ent in parsed.ents:
            start, end = ent.start_char, ent.end_char
            surface = text[start:end]
            # Trim punctuation and markup the model swallowed at the edges.
            while end > start and not text[end - 1].isalnum():
                end -= 1
            while start < end and not text[start].isalnum():
                start += 1
            surface = text[start:end]
            if "\n" in surface and ent.label_ == "PER":
                # A name never runs onto the next line of a title block ("Yanis Belkacem\nDate : …").
                end = start + surface.index("\n")
                while end > start and not text[end - 1].isalnum() and text[end - 1] != ".":
                    end -= 1
                surface = text[start:end]
            if m := _CIVILITY.match(surface):
                start += m.end()
                surface = text[start:end]
            if not surface or "\n\n" in surface or not surface[0].isupper():
                continue
            if _is_capital_title(text, start, end, ent.label_, lexicon):
                continue  # "TEXTE 1", "DISCUSSION", "UN DISCOURS ENNUYEUX": a heading in capitals
            if surface.isupper() and _LABEL_AFTER.match(text, end):
                continue  # "DIRECTEUR : …" is a field label
            words = surface.split()
            if len(words) == 1 and not surface.isupper() and surface not in name_parts \
                    and (surface in lexicon or ent.lemma_ in lexicon):
                continue  # an ordinary word the model took for a name ("Contexte", "Travaux")
            if any(ch in surface for ch in "*_[]()#<>|") or len(words) > 8:
                continue
            if _SECTION_LABEL.match(surface) or in_work.overlaps(start, end):
                continue  # "Partie 1"; a piece of a work's title
            if doc.line_at(start).index != doc.line_at(end).index and doc.line_at(end).bullet:
                continue  # runs from one list item into the next
            label = ent.label_
            if label == "PER" and (re.search(r"\d", surface) or _PARTICLE_END.search(surface)):
                continue  # "P.75", "I. La"
            if (m := _SURNAME_FIRST.fullmatch(surface)) and not m.group("first").isupper() or \
                    surface.isupper() and re.match(r"[ \t]+[A-ZÀ-Ý][a-zà-ÿ]+\b", text[end:end + 30]):
                label = "PER"  # "HAYEK Friedrich A., …": a bibliography's surname-first person
            found.append((label, start, end))

        # People: full names first, then lone surnames (whatever label the model gave them).
        people: dict[str, list[tuple[int, int]]] = defaultdict(list)
        orgs: dict[str, list[tuple[int, int]]] = defaultdict(list)
        surname_of: dict[str, str] = {}
        first_names: dict[str, set[str]] = defaultdict(set)
        lone_persons = {_name_key(" ".join(text[s:e].split())) for label, s, e in found if label == "PER"}
        found = [(label, start, end, _name_key(" ".join(text[start:end].split())) if label == "PER"
                  else " ".join(text[start:end].split())) for label, start, end in found]
        found = _companies(text, found)
        for label, start, end, surface in found:
            if label == "PER" and len(surface.split()) >= 2 and all(_NAME_WORD.match(w) for w in surface.split()):
                people[surface].append((start, end))
                surname_of.setdefault(surface.split()[-1], surface)
                first_names[surface.split()[0]].add(surface)
        # A first name alone is linked only when one person in the handout bears it.
        for first, names in first_names.items():
            if len(names) == 1 and first not in surname_of and first in lone_persons:
                surname_of[first] = next(iter(names))
        for label, start, end, surface in found:
            if surface in people:
                continue
            if surface in surname_of:
                people[surname_of[surface]].append((start, end))
            elif surface.isupper() and _name_key(surface) in surname_of:
                people[surname_of[_name_key(surface)]].append((start, end))  # "POLANYI" is Karl Polanyi
            elif label == "PER" and all(_NAME_WORD.match(w) for w in surface.split()):
                people[surface].append((start, end))
            elif label == "ORG":
                orgs[surface].append((start, end))

        sections_index = SectionIndex(sections)
        entities: list[Entity] = []
        for label, table in (("PER", people), ("ORG", orgs), ("WORK", works)):
            for name, spans in table.items():
                mentions = [EntityMention(text=text[s:e], span=Span(start=s, end=e),
                                          section_id=sections_index.at(s), page=doc.page_at(s))
                            for s, e in sorted(set(spans))]
                entities.append(Entity(id="", label=label, text=name, mentions=mentions))
        entities.sort(key=lambda e: e.mentions[0].span.start)
        for n, entity in enumerate(entities, 1):
            entity.id = f"e{n}"
        return entities


    @staticmethod
    def _works(text: str, quotes: list[Quote]) -> dict[str, list[tuple[int, int]]]:
        works: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for m in _ITALIC.finditer(text):
            group = "t" if m.group("t") else "u"
            start, end = m.start(group), m.end(group)
            title = text[start:end].strip()
            if _is_work_title(title):
                works[" ".join(title.split())].append((start, start + len(title)))
        for quote in quotes:
            if quote.kind == "term" and _is_work_title(quote.text) and quote.open_mark in ('"', "“", "«"):
                works[" ".join(quote.text.split())].append((quote.span.start, quote.span.end))
        return works


def _title_word(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def _name_key(surface: str) -> str:
    """A person's name in ordinary case and order: "BOURDIEU Pierre" -> "Pierre Bourdieu",
    "BOURDIEU" -> "Bourdieu", so that one person written in two casings is one entity."""
    if (m := _SURNAME_FIRST.fullmatch(surface)) and not m.group("first").isupper():
        return f"{m.group('first')} {' '.join(_title_word(w) for w in m.group('last').split())}"
    if any(c.islower() for c in surface) and not any(len(w) > 2 and w.isupper() for w in surface.split()):
        return surface
    return " ".join(_title_word(w) if w.isupper() and len(w) > 1 and not w.endswith(".") else w
                    for w in surface.split())


def _is_capital_title(text: str, start: int, end: int, label: str, lexicon) -> bool:
    """A heading or label in capitals that the model took for an organisation: "TEXTE 1",
    "PARTIE 2", "DISCUSSION", "UN DISCOURS ENNUYEUX" (a whole line in capitals)."""
    surface = text[start:end]
    if not surface.isupper() or sum(c.isalpha() for c in surface) < 2:
        return False
    if re.match(r"[ \t]+[A-ZÀ-Ý][a-zà-ÿ]+", text[end:end + 30]):
        return False  # "HAYEK Friedrich": a surname first, as bibliographies write it
    if re.search(r"\d", surface):
        return True
    words = re.findall(r"[^\W\d_]+", surface)
    if lexicon and all(w.lower() in lexicon for w in words):
        return True  # ordinary words in capitals
    line = text[text.rfind("\n", 0, start) + 1:(text.find("\n", end) + 1 or len(text) + 1) - 1]
    return line.isupper()  # a line in capitals is a heading, whatever the model calls it


def _companies(text: str, found: list[tuple[str, int, int, str]]) -> list[tuple[str, int, int, str]]:
    """Relabel as organisations the "people" the context shows to be companies, platforms or products.

    A name is a person's when it is also written with a first name; otherwise one mention placed
    as a company's is enough: after a noun saying what it is ("la plateforme X"), after its workers
    or tools and "de" ("les livreurs de X"), "chez" it in a sentence about work or buying, in a
    company's shape ("X Inc.", "YouTube"), or as a multiword name holding an organisation
    ("Amazon Mechanical Turk" beside "Amazon")."""
    surnames = {w for label, _, _, key in found if label == "PER" and len(key.split()) >= 2
                for w in key.split()[1:]}
    # Words the model calls an organisation and never a person: the brand in "Amazon Mechanical Turk".
    org_words = {key for label, _, _, key in found if label == "ORG" and len(key.split()) == 1} - \
        {key for label, _, _, key in found if label == "PER" and len(key.split()) == 1}
    companies: set[str] = set()
    for label, start, end, key in found:
        if label != "PER" or key in companies:
            continue
        words = key.split()
        if _ORG_SHAPE.search(text[start:end]) or (len(words) > 1 and words[0] in org_words):
            companies.add(key)
            continue
        if len(words) > 1 or key in surnames:
            continue
        before = text[max(0, start - 80):start]
        if _ORG_BEFORE.search(before) or _ORG_MEMBERS.search(before) or _ORG_CHEZ.search(before):
            companies.add(key)
    if not companies:
        return found
    return [("ORG" if label == "PER" and key in companies else label, start, end, key)
            for label, start, end, key in found]


class _Intervals:
    def __init__(self, spans):
        self.spans = sorted(spans)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.spans, (end,))
        return any(s < end and e > start for s, e in self.spans[max(0, i - 8):i])


def _is_work_title(title: str) -> bool:
    """A title: two words or more, starting with a capital, not an acronym pair ("IA washing")."""
    words = title.split()
    return (len(words) >= 2 and title[0].isupper() and not words[0].isupper()
            and not title.rstrip().endswith((".", ",")))
