"""People, organisations and works cited by a handout.

People and organisations come from spaCy's NER run on the masked text (no Markdown residue such as
``exploratoire**.``), cleaned of what the small French model gets wrong on handouts: field labels
in capitals ("DISCIPLINES"), ordinary words opening a line ("Contexte", "Lien"), and surnames it
calls places ("Cardon" after "Dominique Cardon"). A surname is linked to the full name seen
elsewhere in the handout. Works are titles in italics or in quotes.
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
            if not surface or "\n\n" in surface or not surface[0].isupper():
                continue
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
            found.append((ent.label_, start, end))

        # People: full names first, then lone surnames (whatever label the model gave them).
        people: dict[str, list[tuple[int, int]]] = defaultdict(list)
        orgs: dict[str, list[tuple[int, int]]] = defaultdict(list)
        surname_of: dict[str, str] = {}
        first_names: dict[str, set[str]] = defaultdict(set)
        lone_persons = {" ".join(text[s:e].split()) for label, s, e in found if label == "PER"}
        for label, start, end in found:
            surface = " ".join(text[start:end].split())
            if label == "PER" and len(surface.split()) >= 2 and all(_NAME_WORD.match(w) for w in surface.split()):
                people[surface].append((start, end))
                surname_of.setdefault(surface.split()[-1], surface)
                first_names[surface.split()[0]].add(surface)
        # A first name alone is linked only when one person in the handout bears it.
        for first, names in first_names.items():
            if len(names) == 1 and first not in surname_of and first in lone_persons:
                surname_of[first] = next(iter(names))
        for label, start, end in found:
            surface = " ".join(text[start:end].split())
            if surface in people:
                continue
            if surface in surname_of:
                people[surname_of[surface]].append((start, end))
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
