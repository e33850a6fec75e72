"""The book's concepts: which ones, how they are spelled, and every place each is used.

Discovery needs no list. Authors mark concepts: a short expression in « » or in bold, "la notion
de …", "ce que X appelle …", "on parlera de …", "X désigne …", "X, c'est-à-dire …", a term defined
after a colon or an "=", a heading's noun phrase ("3.1 La solidarité mécanique"), a term glossed
in another language (« calcul assisté par l'humain » (human-based computation), la défiance
(distrust)) or abbreviated (zones d'éducation prioritaire (ZEP)). Terms that recur are found too:
nouns, hyphenated compounds and noun phrases of up to four words (noun heads, no phrase ending on
a preposition, a verb or a determiner, from the morphologizer's parts of speech).

Ranking decides what a reader sees first: how much more the handout uses a term than general
French does (wordfreq's frequencies), how often, and how the author marks it. Names (capitalised
inside sentences, or the model's entities), labels followed by a number ("Chapitre 3") and
one-word headings are not concepts. Variants are grouped on a normalised key (case, accents,
articles and elision, plural in -s, -x and -aux, hyphens and spaces), then by rapidfuzz for long
spelling slips; mentions are then counted everywhere, marked or not.
"""


from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from pipeline.document import Document
from pipeline.models import Concept, Mention, Quote, Section, Span
from pipeline.stages.glossary import Glossary
from pipeline.stages.locate import SectionIndex
from pipeline.stages.concept_rank import (_AUTHOR_CUES, _DEFINING_CUES, _SHOWN_CUE, CUE_WEIGHT, MAX_CONCEPTS,
                                          _inside, _named, _numbered, _within, independent_mentions,
                                          term_score)
from pipeline.stages.concept_keywords import declared_keywords
from pipeline.stages.concept_recurring import recurring_terms
from pipeline.stages.concept_tokens import _Known, _MentionMatcher, _noun_phrase_end, _Tokens
from pipeline.stages.concept_words import (_CLAUSE_WORDS, _SPACY_STOP, _STOP_EDGE, _WORD, FUZZY_MIN_LENGTH,
                                           FUZZY_THRESHOLD, HAPAX_ZIPF, MAX_TERM_WORDS, RARE_ZIPF, _abbreviates,
                                           _capitalised, _foreign, _foreign_noun, _rare_word, clean_surface,
                                           general_zipf, generic_phrase, label_phrase, label_word, normalise)
from pipeline.text import fold

__all__ = ["CUE_WEIGHT", "FUZZY_MIN_LENGTH", "FUZZY_THRESHOLD", "HAPAX_ZIPF", "MAX_CONCEPTS", "MAX_TERM_WORDS",
           "RARE_ZIPF", "ConceptFinder", "Glossary", "clean_surface", "general_zipf", "normalise", "term_score"]

_NP = r"(?P<t>«[^»\n]{1,60}»|[^\s,.;:!?()«»]+(?:[ -][^\s,.;:!?()«»]+){0,3})"
_DET = r"(?:(?:la|le|les|un|une|des|du)\s+|l['’]\s*)?"
_PHRASE_CUES = [
    # "la notion de …", "le concept d'« … »", "le terme de …"
    re.compile(r"\b(?:notions?|concepts?|termes?|n[ée]ologismes?|expressions?|cat[ée]gories?|id[ée]es?)"
               r"\s+(?:de\s+|d['’]\s*|du\s+)(?:la\s+|l['’]\s*|les\s+)?" + _NP, re.I),
    # "ce que Casilli appelle …", "qu'il nomme « … »", "baptisé « … »"
    re.compile(r"\b(?:appel(?:le|lent|é|ée|és|ées)|nomm(?:e|ent|é|ée|és|ées)|qualifi(?:e|ent)\s+de|baptis(?:e|é|ée)|"
               r"d[ée]sign(?:e|ent)\s+(?:sous\s+le\s+nom\s+de|par))\s+(?:la\s+|le\s+|l['’]\s*|les\s+)?(?P<t>«[^»\n]{1,60}»)",
               re.I),
    # The same without marks, where the verb names the author's naming: "ce que Durkheim nomme
    # égoïsme", "ce qu'elle appelle la natalité", "ce que l'on désigne comme …".
    # "ce que Durkheim nomme égoïsme", "le fabricant, que la tradition appelle homo faber", "ce
    # que les auteurs appellent ailleurs …" — not "qu'il appelle à la grève" (calls for).
    re.compile(r"\bqu(?:e\s+|['’]\s*)(?:[\w’'-]+\s+){0,3}?(?:appel(?:le|lent|ait|aient)|nomm(?:e|ent|ait|aient)|"
               r"d[ée]sign(?:e|ent|ait)(?:\s+comme|\s+par)?|qualifi(?:e|ent|ait)\s+(?:de|d['’]))"
               r"(?:\s+(?:ailleurs|parfois|souvent|volontiers|ici|aussi|alors|d[ée]sormais|plus\s+loin))?\s+"
               r"(?!(?:à|au|aux)\s)" + _DET + _NP, re.I),
    # "ce qu'il faut entendre par désencastrement", "J'entends par « masculinisme »", "on entend
    # par anomie …"
    re.compile(r"\bentend(?:s|ons|ez|ent|re|ait|aient|u)?\s+par\s+" + _DET + _NP, re.I),
    # "on parlera ici de …", "on appelle alors …", "nous nommerons …"
    re.compile(r"\b(?:on|nous)\s+(?:parler(?:a|ons)|appel(?:le|lera|lerons)|nomm(?:e|era|erons)|désign(?:e|era|erons))"
               r"(?:\s+(?:alors|ici|donc|ainsi|dès\s+lors|désormais)|\s*,[^,\n]{1,30},)?(?:\s+(?:de|d['’]|du))?\s*" + _DET + _NP, re.I),
]
# Endings of adjectives and participles agreed in the feminine or the plural.
_AGREED = re.compile(r"(?:ée|ées|és|ive|ives|ifs|elle|elles|ale|ales|ante|antes|ente|entes|euse|euses)$")
# A noun phrase defined by what follows it: "L'anomie désigne …", "La natalité, c'est-à-dire …",
# "Le stigmate se définit comme …". The phrase is read backwards from the cue (``_phrase_before``).
# It starts right after a word (the lookbehind): from every blank of a long run of blanks, two
# quantifiers sharing that run backtrack in cubic time (5,000 masked « took minutes).
# Possessive (*+, ++): from the one blank that starts the run, giving blanks back cannot help,
# and retrying every split of a 10,000-blank run (masked quote marks) was quadratic.
_DEFINED_BY = re.compile(r"(?<![ \t\u00a0])(?:[ \t\u00a0]*+,[ \t\u00a0]*c['’]est-à-dire\b|[ \t\u00a0]++(?:d[ée]sign(?:e|ent)|signifi(?:e|ent)|"
                         r"se\s+d[ée]fini(?:t|ssent)|(?:est|sont)\s+d[ée]fini(?:e|s|es)?\s+comme|renvoi(?:e|ent)\s+à|"
                         r"correspond(?:ent)?\s+à)\b)", re.I)
# "Plateforme = hybride", "Tâcheronnisation : découpage du travail" at the start of a line.
_DEFINITION = re.compile(r"^[ \t]*(?:[-*•➔→]\s+)?(?P<t>[^\s=:,.;!?«»()]+(?:[ -][^\s=:,.;!?«»()]+){0,2})\s*(?:=|:)\s+\S",
                         re.M)
# A quoted term glossed in brackets: « économie de petits boulots » (gig economy).
_GLOSS = re.compile(r"[ \t\u00a0]*\((?P<g>[^()\d\n]{2,50})\)")
# A term glossed in brackets after an unquoted noun phrase: "la défection (exit)", "le travail
# (*labor*)", or abbreviated: "catégories socioprofessionnelles (CSP)".
_BRACKET = re.compile(r"[ \t\u00a0]\((?P<g>[*_]{0,2}[^\W\d_][^()\d\n;:,]{0,40}?[*_]{0,2})\)")
_EMPHASIS = re.compile(r"(?<![*\w])(\*\*|__)(?P<a>[^*_\n]{2,60}?)\1(?![*\w])|(?<![*\w])[*_](?P<b>[^*_\n]{2,60}?)[*_](?![*\w])")


@dataclass
class _Candidate:
    key: str
    surfaces: Counter = field(default_factory=Counter)
    cues: set = field(default_factory=set)
    frequency: int = 0
    glossary: dict | None = None


class _UnionFind:
    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _mid_sentence(text: str, start: int, end: int) -> bool:
    """Whether emphasis stands inside a sentence ("la fin d'une **carrière** de déviant"), where
    it stresses a notion, rather than opening a line or ending on a colon ("**Contexte :**",
    "**Auteur** : …"), where it sets a label."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start].strip(" \t>*_#-•+0123456789.)")
    after = text[end:end + 3].lstrip(" \t\u00a0*_")
    return bool(before) and before[-1] not in ".!?:" and not after.startswith(":")


def _with_declared(mentions: dict[str, list[Mention]], declared: dict[str, list[Span]], aliases: _UnionFind,
                   text: str) -> dict[str, list[Mention]]:
    """The mentions, with each declared keyword's own span where the matcher did not see it."""
    for key, spans in declared.items():
        found = mentions.setdefault(aliases.find(key), [])
        starts = {m.span.start for m in found}
        for span in spans:
            if span.start not in starts:
                starts.add(span.start)
                found.append(Mention(text=text[span.start:span.end], span=span, section_id=None, match="exact",
                                     score=100.0))
        found.sort(key=lambda m: m.span.start)
    return mentions


class ConceptFinder:
    """Finds concepts in a parsed document; holds the optional glossary."""

    def __init__(self, glossary: Glossary | None = None):
        self.glossary = glossary

    def __call__(self, doc: Document, parsed, sections: list[Section], quotes: list[Quote], *,
                 lexicon, person_names: set[str] = frozenset(), book_title: str | None = None) -> list[Concept]:
        text = doc.text
        # The book's own title ("Tristes Tropiques", "La Distinction") names the work, not a notion
        # of it; nor does its main title before a subtitle ("Surveiller et punir. Naissance …").
        titles = {normalise(t) for t in ([book_title, re.split(r"[.:;—–]", book_title)[0]] if book_title else [])}
        titles.discard("")
        masked = parsed.text
        candidates: dict[str, _Candidate] = {}
        aliases = _UnionFind()
        known = _Known(lexicon)
        tokens = _Tokens(parsed, text, known)

        def add(surface: str, cue: str) -> str | None:
            surface = clean_surface(surface)
            key = normalise(surface)
            if not key or not self._acceptable(surface, key, cue, known, person_names):
                return None
            cand = candidates.setdefault(key, _Candidate(key))
            cand.surfaces[surface] += 1
            cand.cues.add(cue)
            aliases.find(key)
            return key

        # 1. Marked terms: quoted expressions (nested ones included), emphasis, phrases, definitions.
        for quote in quotes:
            spans = [(quote.span.start, quote.span.end, quote.outer_span.end)] if quote.kind == "term" else []
            spans += [(inner.start + 1, inner.end - 1, inner.end) for inner in quote.nested]
            for start, end, after in spans:
                term = text[start:end]
                if len(_WORD.findall(term)) <= MAX_TERM_WORDS:
                    key = add(term, "quoted")
                    # A gloss in another language is lower case ("(gig economy)"); a capitalised one
                    # names who said it ("(Burrell et Fourcade)").
                    if key and (gloss := _GLOSS.match(text, after)) and gloss.group("g").strip()[:1].islower():
                        gloss_key = add(gloss.group("g"), "gloss")
                        if gloss_key:
                            aliases.union(key, gloss_key)
        emphasised = [(m.start(), m.end(), m.group("a") or m.group("b")) for m in _EMPHASIS.finditer(text)]
        emphasised += [(start, end, text[start:end]) for start, end in doc.emphasis]  # bold fonts of a PDF
        for start, end, term in emphasised:
            if len(_WORD.findall(term)) <= MAX_TERM_WORDS:
                add(term, "stressed" if _mid_sentence(text, start, end) else "emphasis")
        for pattern in _PHRASE_CUES:
            for m in pattern.finditer(masked):
                term = m.group("t")
                if not term.startswith("«"):
                    term = masked[m.start("t"):_noun_phrase_end(parsed, m.start("t"), m.end("t"))]
                add(term, "phrase")
        for m in _DEFINITION.finditer(masked):
            add(m.group("t"), "definition")
        for m in _DEFINED_BY.finditer(masked):
            start = tokens.phrase_before(m.start())
            if start is not None:
                add(masked[start:m.start()], "defined")
        # Glosses and abbreviations in brackets after an unquoted noun phrase.
        for m in _BRACKET.finditer(masked):
            gloss = clean_surface(m.group("g"))
            start = tokens.phrase_before(m.start())
            if start is None or not gloss:
                continue
            phrase = masked[start:m.start()]
            if _abbreviates(gloss, phrase) and not _capitalised(phrase):
                # (An expansion in capitals names an institution: "Haut Conseil de la Santé (HCS)".)
                key, gloss_key = add(phrase, "gloss"), add(gloss, "abbreviation")
            elif (gloss[:1].islower() or _foreign_noun(gloss)) and _foreign(gloss) and gloss not in person_names:
                key, gloss_key = add(phrase, "gloss"), add(gloss, "gloss")
            else:
                continue
            if key and gloss_key:
                aliases.union(key, gloss_key)
        # Keywords the author declares (front matter's tags, a "Mots-clés :" line). Those of the
        # front matter lie where the parse sees nothing: their own span is their mention.
        declared: dict[str, list[Span]] = defaultdict(list)
        for surface, span in declared_keywords(doc, sections):
            if key := add(surface, "keyword"):
                declared[key].append(span)
        # Noun phrases of headings that say more than a label ("3.1 Le suicide égoïste", not "Conclusion").
        for section in sections:
            for surface in tokens.heading_phrases(section.heading_span.start, section.heading_span.end):
                add(surface, "heading")

        # 2. Recurring terms: out-of-lexicon words and multiword noun phrases.
        recurring = recurring_terms(tokens, masked)
        per_key: Counter = Counter()
        for surface, count in recurring.items():
            per_key[normalise(surface)] += count  # "archonte" once and "archontes" once: twice
        for surface, count in recurring.items():
            key = normalise(surface)
            if key in candidates or per_key[key] >= 2 or _rare_word(surface) or known.coined(surface):
                cand = candidates.get(key)
                if cand is None:
                    if not self._acceptable(surface, key, "frequency", known, person_names):
                        continue
                    cand = candidates.setdefault(key, _Candidate(key))
                    aliases.find(key)
                cand.surfaces[surface] += 0
                cand.cues.add("frequency")

        # 3. Glossary concepts are always reported, their aliases grouped.
        for entry in (self.glossary.entries if self.glossary else []):
            keys = []
            for name in [entry["label"], *entry.get("aliases", [])]:
                key = normalise(name)
                if not key:
                    continue
                cand = candidates.setdefault(key, _Candidate(key))
                cand.surfaces[clean_surface(name)] += 0
                cand.cues.add("glossary")
                cand.glossary = entry
                aliases.find(key)
                keys.append(key)
            for key in keys[1:]:
                aliases.union(keys[0], key)

        # 4. Group: same key, then spelling slips among long keys.
        long_keys = sorted(k for k in candidates if len(k) >= FUZZY_MIN_LENGTH)
        for i, key in enumerate(long_keys):
            for other, _, _ in process.extract(key, long_keys[i + 1:], scorer=fuzz.ratio,
                                                   score_cutoff=FUZZY_THRESHOLD, limit=None):
                aliases.union(key, other)
        groups: dict[str, list[_Candidate]] = defaultdict(list)
        for key, cand in candidates.items():
            groups[aliases.find(key)].append(cand)

        # 5. Mentions everywhere; keep the groups that are concepts, then count again without the
        # others, so that a dropped phrase ("classe vectorialiste") gives its words back.
        mentions = _with_declared(_MentionMatcher(groups).find(tokens, text), declared, aliases, text)
        words_in_doc = max(1, len(tokens.words()[0]))
        # Names the model recognises (people, organisations, places): "Federal Bureau of Narcotics".
        entity_spans = sorted((e.start_char, e.end_char) for e in getattr(parsed, "ents", ())
                              if e.label_ in ("PER", "ORG", "LOC"))
        heading_spans = sorted((s.heading_span.start, s.heading_span.end) for s in sections)
        ranked, scored = [], []
        for root, members in groups.items():
            cues = set().union(*(m.cues for m in members))
            glossary = next((m.glossary for m in members if m.glossary), None)
            found = mentions.get(root, [])
            if glossary:
                ranked.append((float("inf"), root, members, cues, glossary))
                continue
            if not self._keep(cues, found, members, known):
                continue
            if titles & {m.key for m in members} and not any(m.text[:1].islower() for m in found):
                continue  # the title as written ("Tristes Tropiques"); in lower case it is the notion it names
            if "heading" in cues and not cues & _AUTHOR_CUES:
                # A heading cue alone: the phrase must recur in the body outside headings, and
                # never be a part's label ("Livre II", "Trois remarques"). One of common words
                # ("solidarité mécanique", but also "Présentation générale") gets no weight from
                # the heading: it ranks on its body use alone, like any word.
                surfaces = [s for m in members for s in m.surfaces]
                if len(found) - _within(found, heading_spans) < 1 or any(label_phrase(s) for s in surfaces):
                    continue
                if any(generic_phrase(s) for s in surfaces):
                    cues = cues - {"heading"}
                    if not cues:
                        cues = {"frequency"}
            if not cues & _AUTHOR_CUES and len(found) <= 2 and len(members) == 1 \
                    and all(known.misspelt(s) for s in members[0].surfaces):
                continue  # a typo ("environnemen"), not a coinage: coinages are marked or recur
            if not cues & _AUTHOR_CUES and (_numbered(found, text) or _inside(found, entity_spans)) \
                    or not cues & _DEFINING_CUES and _named(found, text):
                continue
            surfaces = sorted({s for m in members for s in m.surfaces})
            scored.append((root, members, cues, found, surfaces))
        # A term only ever read inside a longer one ("activa" in "vita activa", "travail
        # concurrentiel" in "marché du travail concurrentiel") is a piece of that term, not a term
        # of its own (the C-value of Frantzi et al.): it keeps the mentions where it stands alone.
        alone = independent_mentions({root: found for root, _, _, found, _ in scored})
        for root, members, cues, found, surfaces in scored:
            if not alone[root] and not cues & _AUTHOR_CUES:
                continue
            coined = any(known.coined(s) for s in surfaces)
            ranked.append((term_score(alone[root], words_in_doc, surfaces, cues, coined=coined), root, members, cues,
                           None))
        # Only the best few are worth a reader's time: a bounded list, the glossary's always in it.
        # They are counted again without the others, so that a dropped phrase ("classe
        # vectorialiste") gives its words back.
        ranked.sort(key=lambda r: (-r[0], r[1]))
        kept = {root: (members, cues, glossary) for _, root, members, cues, glossary in ranked[:MAX_CONCEPTS]}
        kept.update({root: (members, cues, glossary) for _, root, members, cues, glossary in ranked if glossary})
        mentions = _MentionMatcher({root: members for root, (members, _, _) in kept.items()}).find(tokens, text)
        mentions = _with_declared(mentions, declared, aliases, text)
        sections_index = SectionIndex(sections)
        alone = independent_mentions(mentions)
        concepts = []
        for root, (members, cues, glossary) in kept.items():
            found = mentions.get(root, [])
            if not found and not glossary:
                continue
            concept = self._concept(root, members, found, cues, glossary, sections_index, doc)
            # The ranking's score, on this final count: a word given back by a dropped phrase
            # counts again; one read inside a kept longer term counts where it stands alone.
            concept.score = term_score(alone.get(root, 0) or len(found), words_in_doc, concept.variants, cues,
                                       coined=any(known.coined(v) for v in concept.variants))
            concepts.append(concept)
        concepts.sort(key=lambda c: (-c.score, c.label))
        for n, concept in enumerate(concepts, 1):
            concept.id = f"c{n}"
        return concepts

    # -- what counts -----------------------------------------------------------------------------
    @staticmethod
    def _acceptable(surface: str, key: str, cue: str, known: "_Known", person_names) -> bool:
        words = _WORD.findall(surface)
        if not words or len(words) > MAX_TERM_WORDS or len(key) < 3:
            return False
        if any(ch.isdigit() for ch in surface) or "?" in surface or "!" in surface or "@" in surface:
            return False
        if fold(words[0]).rstrip("'’-") in _STOP_EDGE or fold(words[-1]).rstrip("'’-") in _STOP_EDGE:
            return False
        if len(words) > 1 and any(fold(w) in _CLAUSE_WORDS or fold(w)[:2] in ("c'", "s'", "n'", "j'")
                                  for w in words):
            return False
        if cue not in ("quoted", "phrase") and len(words) > 1 and any(label_word(w) for w in words):
            return False  # a part's label or a date: "Livre IV", "Fin XVIIIe", "Trois instruments"
        if "\\" in surface or surface.count("(") != surface.count(")"):
            return False  # Markdown escapes and a bracket cut in two: "profondeur \\(derme"
        if surface.endswith(("-", "'", "’")) or surface.startswith("-"):
            return False  # a word cut at a hyphen or an elision ("micro-", "plateformes n'")
        if len(words) > 1 and fold(words[-1]) in _SPACY_STOP and general_zipf(words[-1]) >= 5.8:
            # A phrase ends on a noun or an adjective, not on "fait" or "dit"; spaCy's list also
            # holds adjectives ("observation directe", "lieu proche"), which are less frequent.
            return False
        if surface in person_names or any(w in person_names for w in words if w[:1].isupper()):
            return False  # names of people are entities, not concepts
        if len(words) == 1:
            word = words[0]
            if word.isupper() and len(word) <= 5 and cue != "abbreviation":
                return False  # acronyms and labels (TD, IA, STS), unless the text spells them out
            if fold(word) in _SPACY_STOP:
                return False
            if cue in ("emphasis", "definition") and known.knows(word):
                # An ordinary word in bold or before a colon ("Contexte :", "**Medialab**") is not
                # a concept unless the author quotes it.
                return False
            if word[:1].isupper() and not known.knows(word) \
                    and cue not in ("quoted", "abbreviation", "gloss", "keyword"):
                return False  # a capitalised unknown word is a name (Simon, Johnny)
            if cue not in ("keyword", "glossary") and _AGREED.search(word) and not known.knows(word):
                # A form agreed in gender or number that the lexicon does not know is an adjective
                # or a participle ("immergée", "interpersonnelles", "répétitives"): notions are
                # nouns, and the lexicon knows the nouns that end so ("idée", "pensées").
                return False
        return True

    @staticmethod
    def _keep(cues: set, mentions: list[Mention], members: list[_Candidate], known: "_Known") -> bool:
        if not mentions:
            return False
        if cues & {"keyword", "quoted", "phrase", "gloss"}:
            return True
        if cues & {"emphasis", "stressed"} and ("frequency" in cues or len(mentions) >= 2):
            return True
        if cues & {"defined", "abbreviation"}:
            return True
        if "heading" in cues and (len(mentions) >= 2 or len(_WORD.findall(members[0].key)) > 1
                                  or any(len(_WORD.findall(s)) > 1 for m in members for s in m.surfaces)):
            return True
        if "definition" in cues:
            return True  # "Domination légale : …" in a list of definitions
        return "frequency" in cues and (len(mentions) >= 2 or any(_rare_word(s) or known.coined(s)
                                                                  for m in members for s in m.surfaces))

    @staticmethod
    def _concept(root, members, mentions, cues, glossary, sections_index, doc) -> Concept:
        surfaces: Counter = Counter()
        for member in members:
            surfaces.update({s: 0 for s in member.surfaces})
        for mention in mentions:
            surfaces[clean_surface(mention.text)] += 1
        variants = sorted({v for v in surfaces if v}, key=lambda v: (-surfaces[v], v))
        if glossary:
            label = glossary["label"]
        else:
            label = max(variants, key=lambda v: (surfaces[v], len(v), v))
        lower = {v.lower(): v for v in reversed(variants)}  # one spelling per case-folded variant
        variants = sorted(lower.values(), key=lambda v: (-surfaces[v], v))
        for mention in mentions:
            mention.section_id = sections_index.at(mention.span.start)
            mention.page = doc.page_at(mention.span.start)
        shown = sorted({_SHOWN_CUE.get(c, c) for c in cues})
        return Concept(id="", label=label, variants=variants, cues=shown, score=0.0,
                       definition=(glossary or {}).get("definition"), mentions=mentions)
