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

import bisect
import math
import re
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from pipeline.document import Document
from pipeline.errors import TdxError
from pipeline.models import Concept, Mention, Quote, Section, Span
from pipeline.stages.locate import SectionIndex
from pipeline.text import fold

# rapidfuzz ratio between two normalised keys for them to be one concept. Measured: spelling slips
# score high (tâcheronnisation/tâcheronisation 96.8) while different words sharing most letters
# stay below (qualification/quantification 88.9, monétisation/modélisation 83.3,
# automation/automatisation 83.3). 92 keeps the first apart from the second with room either side.
FUZZY_THRESHOLD = 92.0
# Short keys are never merged fuzzily: "clic" is two edits from "flic", "clip" and "cil".
FUZZY_MIN_LENGTH = 9
MAX_TERM_WORDS = 4

_ARTICLES = re.compile(r"^(?:(?:(?:le|la|les|un|une|des|du|de\s+la|de|au|aux|ce|cette|ces|son|sa|ses|leur|leurs)\s+)"
                       r"|(?:de\s+l|l|d|qu)['’]\s*)+", re.I)
_ELISION = re.compile(r"\b(?:l|d|j|s|n|m|t|c|qu)'")
_MARKUP = re.compile(r"[*_`#\[\]«»“”\"„‹›]")
_STOP_EDGE = {"le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "et", "ou", "à", "au", "aux", "en",
              "par", "pour", "sur", "dans", "avec", "qui", "que", "qu", "ce", "cette", "ces", "son", "sa", "ses",
              "leur", "leurs", "il", "elle", "ils", "elles", "on", "se", "ne", "pas", "plus", "très", "est"}
# Folded like the words they are compared with ("à" -> "a"), with the adverbs and prepositions
# that open or close a run of words but never a term ("comme déviant", "à travers").
_STOP_EDGE = {fold(w) for w in _STOP_EDGE | {"comme", "travers", "tant", "selon", "vers", "chez", "sans", "entre",
                                             "sous", "lors", "afin", "ainsi", "aussi", "donc", "alors", "mais", "où"}}
_NOUNISH = {"NOUN", "PROPN", "X"}
_PHRASE_POS = {"NOUN", "PROPN", "X", "ADJ"}
_JOINING = {"de", "du", "des", "d'", "a", "au", "aux"}  # folded: "à" -> "a"
_ARTICLE_AFTER_DE = {"la", "l'"}  # "de la morale", "de l'aveu"
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
    re.compile(r"\bce\s+qu(?:e\s+|['’]\s*)(?:[\w’'-]+\s+){0,3}?(?:appel(?:le|lent|ait|aient)|nomm(?:e|ent|ait|aient)|"
               r"d[ée]sign(?:e|ent|ait)(?:\s+comme|\s+par)?|qualifi(?:e|ent|ait)\s+(?:de|d['’]))\s+" + _DET + _NP, re.I),
    # "on parlera ici de …", "on appelle alors …", "nous nommerons …"
    re.compile(r"\b(?:on|nous)\s+(?:parler(?:a|ons)|appel(?:le|lera|lerons)|nomm(?:e|era|erons)|désign(?:e|era|erons))"
               r"(?:\s+(?:alors|ici|donc|ainsi|dès\s+lors|désormais)|\s*,[^,\n]{1,30},)?(?:\s+(?:de|d['’]|du))?\s*" + _DET + _NP, re.I),
]
# A noun phrase defined by what follows it: "L'anomie désigne …", "La natalité, c'est-à-dire …",
# "Le stigmate se définit comme …". The phrase is read backwards from the cue (``_phrase_before``).
# It starts right after a word (the lookbehind): from every blank of a long run of blanks, two
# quantifiers sharing that run backtrack in cubic time (5,000 masked « took minutes).
_DEFINED_BY = re.compile(r"(?<![ \t\u00a0])[ \t\u00a0]*(?:,[ \t\u00a0]*c['’]est-à-dire\b|[ \t\u00a0]+(?:d[ée]sign(?:e|ent)|signifi(?:e|ent)|"
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
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.U)
# What may separate the words of one mention: a space, a hyphen, an apostrophe, a line break.
_JOINER = re.compile(r"[ \t\u00a0\u202f'’-]{0,3}|[ \t]*\n[ \t]*")


# -- how common a word is in general French ---------------------------------------------------------
# A book's notion is a word or phrase the handout uses far more often than French at large does
# ("anomie", "stigmate", "fait social total"), and a generic word ("processus", "tendance") is not,
# however often it comes back. wordfreq (Speer et al.) gives those general frequencies from many
# corpora. Its small French list (31 000 words down to Zipf 3, one in a million) is read directly:
# ``import wordfreq`` brings ftfy, langcodes and regex (0.3 s) and its first lookup reads the large
# list (0.4 s), a third of a single handout's run, for the same figures above Zipf 3. Below it a
# word is rare in general French, which is all the ranking needs to know.
RARE_ZIPF = 2.5  # what a word missing from the small list counts as
COMMON_ZIPF = 7.0  # above: function words; nothing is less term-like


@lru_cache(maxsize=4)
def _zipf_table(lang: str) -> dict[str, float]:
    """word -> Zipf frequency (log10 of occurrences per billion words), from wordfreq's small list."""
    try:
        import gzip
        import importlib.util

        import msgpack

        spec = importlib.util.find_spec("wordfreq")
        path = Path(spec.submodule_search_locations[0]) / "data" / f"small_{lang}.msgpack.gz"
        data = msgpack.unpackb(gzip.decompress(path.read_bytes()), raw=False)
        if data[0].get("format") != "cB" or data[0].get("version") != 1:
            raise ValueError("unknown wordfreq list format")
        # The "cB" format: bucket i holds the words of frequency 10^(-i/100) (centibels).
        return {word: round(9 - i / 100, 2) for i, bucket in enumerate(data[1:]) for word in bucket}
    except Exception:  # noqa: BLE001 - wordfreq missing or changed: rank without general frequencies
        return {}


@lru_cache(maxsize=1 << 14)  # the same words and phrases come back for every variant and gloss
def general_zipf(phrase: str, lang: str = "fr") -> float:
    """Zipf frequency of a word or phrase in general French (3 = once per million words).

    A phrase is rarer than its rarest word: its words' frequencies are combined as wordfreq
    combines tokens (1/f = sum of 1/f_i), and each word beyond the first divides it by ten."""
    table = _zipf_table(lang)
    if not table:
        return 4.0
    words = [w for w in re.findall(r"[^\W\d_]+", phrase.lower().replace("’", "'")) if w not in _LINKS]
    if not words:
        return COMMON_ZIPF
    inverse = sum(10 ** -table.get(w, RARE_ZIPF) for w in words)
    return -math.log10(inverse) - (len(words) - 1)


# Words that join the nouns of a phrase ("fait social total", "lieux de mémoire") and say nothing
# of its rarity.
_LINKS = {"de", "du", "des", "d", "à", "au", "aux", "la", "le", "les", "l", "en", "et"}


class _SpacyStopWords:
    """spaCy's French stop words, folded: the function words and light verbs ("fait", "dit",
    "permet") that a term never ends on, and that alone are never a term. Read on first use, once
    the stage runs: importing spaCy at import time would cost extraction without NLP its 1 s, and
    must go through ``nlp.import_spacy``."""

    @cached_property
    def words(self) -> frozenset[str]:
        try:
            from pipeline.nlp import import_spacy

            import_spacy()
            from spacy.lang.fr.stop_words import STOP_WORDS
        except Exception:  # noqa: BLE001 - spaCy absent: the concept stage does not run anyway
            return frozenset()
        return frozenset(fold(w) for w in STOP_WORDS)

    def __contains__(self, word: str) -> bool:
        return word in self.words


_SPACY_STOP = _SpacyStopWords()


def _foreign(gloss: str) -> bool:
    """Whether a bracketed gloss is another language's word for the term ("exit", "labor",
    "Entzauberung"): more common in English or German than in French, or unknown to French.
    A French explanation in brackets ("(voir plus haut)") is not a gloss."""
    words = re.findall(r"[^\W\d_]+", gloss)
    if not words or len(words) > 3:
        return False
    french = general_zipf(gloss)
    other = max(general_zipf(gloss, "en"), general_zipf(gloss, "de"))
    if other > RARE_ZIPF:
        return other > french + 0.5
    # Known to none of the lists: English by its suffix ("embeddedness", "householding"); a French
    # coinage in brackets ("travail (tâcheronnisation)") explains, it does not translate.
    return french <= RARE_ZIPF and bool(re.search(r"(?:ness|ing|ship|hood|ful|less)\b", gloss.lower()))


def _foreign_noun(gloss: str) -> bool:
    """A capitalised gloss is a German noun ("Gemeinschaft", "Beruf") when French does not know it
    and German or English does; a name in brackets ("Weber", "Burrell") is known to neither or to
    French as well."""
    return (len(_WORD.findall(gloss)) == 1 and general_zipf(gloss) <= RARE_ZIPF
            and max(general_zipf(gloss, "de"), general_zipf(gloss, "en")) >= HAPAX_ZIPF)


def _abbreviates(abbreviation: str, phrase: str) -> bool:
    """ "CSP" for "catégories socioprofessionnelles": capitals whose letters come in order in the
    phrase, the first one opening it (compounds give more than one letter: socio-professionnelles)."""
    if not (2 <= len(abbreviation) <= 6 and abbreviation.isalpha() and abbreviation.isupper()):
        return False
    letters, folded = fold(abbreviation), re.sub(r"[^a-z]", "", fold(phrase))
    if not folded or folded[0] != letters[0] or len(_WORD.findall(phrase)) < 2:
        return False
    position = 0
    for letter in letters:
        position = folded.find(letter, position) + 1
        if position == 0:
            return False
    return True


def _capitalised(phrase: str) -> bool:
    """Most words with a capital: the name of an institution or a work ("Federal Bureau of
    Narcotics", "Haut Conseil de la santé"), which French writes so and notions never are."""
    words = _WORD.findall(phrase)
    return sum(w[:1].isupper() for w in words) * 2 > len(words)


# Words that make a clause of a quoted or bracketed run: a term holds none ("regardez comme c'est
# choquant", "marché qui s'ajuste" are sentences).
_CLAUSE_WORDS = {fold(w) for w in ("qui", "que", "qu'", "c'", "est", "sont", "était", "il", "elle", "ils", "elles",
                                   "on", "nous", "vous", "je", "j'", "tu", "se", "s'", "ne", "n'", "comme", "si")}


# A word used once is a candidate only when general French hardly knows it (Zipf < 3.5, fewer
# than three in a million words: "hypotypose", "tertiarisation", "non-mixité"); once is nothing
# for an ordinary word.
HAPAX_ZIPF = 3.5


def _rare_word(surface: str) -> bool:
    words = _WORD.findall(surface)
    return len(words) == 1 and surface[:1].islower() and general_zipf(surface) < HAPAX_ZIPF


def _singular(word: str) -> str:
    # French plurals: -s, -x (travaux keeps "travau", which still groups with itself); lemmas from
    # the small model are not reliable enough for this (travaux -> "traval").
    if len(word) > 5 and word.endswith("aux"):
        return word[:-3] + "al"  # sociaux -> social, totaux -> total (travaux stays apart from travail)
    if len(word) > 3 and word[-1] in "sx" and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=1 << 16)  # called for every token, twice: words recur, so the cache pays
def normalise(term: str) -> str:
    """The key variants of one concept share: micro travail = micro-travail = microtravail,
    les plateformes = plateforme, l'automation = automation, Tâcheronnisation = tacheronnisation."""
    term = _MARKUP.sub(" ", fold(term)).strip(" \t\n.,;:!?()")
    term = _ARTICLES.sub("", term)
    term = _ELISION.sub(" ", term)  # "calcul assisté par l'humain": the elided article is not part of the key
    words = re.findall(r"[a-z0-9]+", term)
    return "".join(_singular(w) for w in words)


def clean_surface(term: str) -> str:
    term = re.sub(r"\s+", " ", _MARKUP.sub(" ", term)).strip(" \t\n.,;:!?()'’")
    return _ARTICLES.sub("", term).strip() if _ARTICLES.match(term) and len(_ARTICLES.sub("", term)) > 2 else term


@dataclass
class Glossary:
    entries: list[dict] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        import hashlib
        import json

        return hashlib.sha256(json.dumps(self.entries, sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    @classmethod
    def load(cls, path: str | Path) -> Glossary:
        """A TOML file of ``[[concept]]`` tables: ``label``, optional ``aliases`` and ``definition``."""
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise TdxError("glossary file not found.", path=str(path), hint="Check the --glossary path.") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise TdxError(f"glossary is not valid TOML ({err}).", path=str(path),
                           hint='Write one [[concept]] table per concept with label = "…".') from None
        entries = data.get("concept", [])
        if not isinstance(entries, list) or not all(isinstance(e, dict) and isinstance(e.get("label"), str)
                                                   for e in entries):
            raise TdxError("every [[concept]] needs a label.", path=str(path),
                           hint='Example: [[concept]]\\nlabel = "microtravail"\\naliases = ["micro-travail"]')
        return cls(entries)


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


class ConceptFinder:
    """Finds concepts in a parsed document; holds the optional glossary."""

    def __init__(self, glossary: Glossary | None = None):
        self.glossary = glossary

    def __call__(self, doc: Document, parsed, sections: list[Section], quotes: list[Quote], *,
                 lexicon, person_names: set[str] = frozenset()) -> list[Concept]:
        text = doc.text
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
        emphasised = [m.group("a") or m.group("b") for m in _EMPHASIS.finditer(text)]
        emphasised += [text[start:end] for start, end in doc.emphasis]  # bold fonts of a PDF
        for term in emphasised:
            if len(_WORD.findall(term)) <= MAX_TERM_WORDS:
                add(term, "emphasis")
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
        # Noun phrases of headings that say more than a label ("3.1 Le suicide égoïste", not "Conclusion").
        for section in sections:
            for surface in tokens.heading_phrases(section.heading_span.start, section.heading_span.end):
                add(surface, "heading")

        # 2. Recurring terms: out-of-lexicon words and multiword noun phrases.
        recurring = self._recurring(tokens, masked)
        per_key: Counter = Counter()
        for surface, count in recurring.items():
            per_key[normalise(surface)] += count  # "archonte" once and "archontes" once: twice
        for surface, count in recurring.items():
            key = normalise(surface)
            if key in candidates or per_key[key] >= 2 or _rare_word(surface):
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
        mentions = _MentionMatcher(groups).find(tokens, text)
        words_in_doc = max(1, len(tokens.words()[0]))
        # Names the model recognises (people, organisations, places): "Federal Bureau of Narcotics".
        entity_spans = sorted((e.start_char, e.end_char) for e in getattr(parsed, "ents", ())
                              if e.label_ in ("PER", "ORG", "LOC"))
        ranked = []
        for root, members in groups.items():
            cues = set().union(*(m.cues for m in members))
            glossary = next((m.glossary for m in members if m.glossary), None)
            found = mentions.get(root, [])
            if glossary:
                ranked.append((float("inf"), root, members, cues, glossary))
                continue
            if not self._keep(cues, found, members):
                continue
            if not cues & _AUTHOR_CUES and (_numbered(found, text) or _inside(found, entity_spans)) \
                    or not cues & _DEFINING_CUES and _named(found, text):
                continue
            surfaces = sorted({s for m in members for s in m.surfaces})
            ranked.append((term_score(len(found), words_in_doc, surfaces, cues), root, members, cues, None))
        # Only the best few are worth a reader's time: a bounded list, the glossary's always in it.
        # They are counted again without the others, so that a dropped phrase ("classe
        # vectorialiste") gives its words back.
        ranked.sort(key=lambda r: (-r[0], r[1]))
        kept = {root: (members, cues, glossary) for _, root, members, cues, glossary in ranked[:MAX_CONCEPTS]}
        kept.update({root: (members, cues, glossary) for _, root, members, cues, glossary in ranked if glossary})
        mentions = _MentionMatcher({root: members for root, (members, _, _) in kept.items()}).find(tokens, text)
        sections_index = SectionIndex(sections)
        concepts = []
        for root, (members, cues, glossary) in kept.items():
            found = mentions.get(root, [])
            if not found and not glossary:
                continue
            concepts.append(self._concept(root, members, found, cues, glossary, sections_index, doc, words_in_doc))
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
            if word[:1].isupper() and not known.knows(word) and cue not in ("quoted", "abbreviation", "gloss"):
                return False  # a capitalised unknown word is a name (Simon, Johnny)
        return True

    @staticmethod
    def _keep(cues: set, mentions: list[Mention], members: list[_Candidate]) -> bool:
        if not mentions:
            return False
        if cues & {"quoted", "phrase", "gloss"}:
            return True
        if "emphasis" in cues and ("frequency" in cues or len(mentions) >= 2):
            return True
        if cues & {"defined", "abbreviation"}:
            return True
        if "heading" in cues and (len(mentions) >= 2 or len(_WORD.findall(members[0].key)) > 1
                                  or any(len(_WORD.findall(s)) > 1 for m in members for s in m.surfaces)):
            return True
        if "definition" in cues:
            return True  # "Domination légale : …" in a list of definitions
        return "frequency" in cues and (len(mentions) >= 2 or any(_rare_word(s) for m in members for s in m.surfaces))

    @staticmethod
    def _recurring(tokens: "_Tokens", masked: str) -> Counter:
        """Surface forms of out-of-lexicon words and multiword noun phrases, with their counts."""
        counts: Counter = Counter()
        text, pos, alpha = tokens.text, tokens.pos, tokens.alpha
        # A word a phrase can hold (letters, or a hyphenated compound), and one it can go on from
        # (no line break after it); fold(word) is a stop word that cannot open or close a phrase.
        inner = [not (tokens.space[k] or tokens.punct[k]) and (alpha[k] or "-" in text[k]) for k in range(len(text))]
        goes_on = [inner[k] and not tokens.breaks[k] for k in range(len(text))]
        stop = [fold(w) in _STOP_EDGE for w in text]
        closed = ("VERB", "AUX", "PRON", "DET", "ADV", "CCONJ", "SCONJ")
        for i, word in enumerate(text):
            if alpha[i] and len(word) >= 6 and word[:1].islower() and pos[i] in ("NOUN", "ADJ", "X", "PROPN") \
                    and not tokens.knows(i):
                counts[word] += 1
            elif "-" in word.strip("-") and not tokens.punct[i] and pos[i] in ("NOUN", "ADJ", "X", "PROPN") \
                    and word[:1].islower() and all(part.isalpha() for part in word.split("-")):
                counts[word] += 1  # a compound the tokenizer keeps whole: "contre-mouvement", "non-mixité"
            elif alpha[i] and len(word) >= 3 and fold(word) not in _SPACY_STOP \
                    and (pos[i] == "NOUN" and (word[:1].islower() or not word[1:].islower())
                         or pos[i] == "PROPN" and word.islower()):  # "la diaspora" read as a name
                # Every common noun: whether it is a notion of the book is for the ranking to say
                # (how much more the handout uses it than French at large does).
                counts[word] += 1
            if alpha[i] and i + 2 < len(text) and text[i + 1] == "-" and alpha[i + 2] and word[:1].islower() \
                    and tokens.idx[i + 1] == tokens.idx[i] + len(word) and tokens.idx[i + 2] == tokens.idx[i + 1] + 1 \
                    and not stop[i] and not stop[i + 2]:
                # A compound the tokenizer splits at its hyphen: "étalon-or", "mémoire-archive".
                counts[masked[tokens.idx[i]:tokens.idx[i + 2] + len(text[i + 2])]] += 1
            if not goes_on[i] or stop[i]:
                continue
            if i and text[i - 1] == "-" and tokens.idx[i - 1] + 1 == tokens.idx[i]:
                continue  # the second half of a compound ("human-based computation") opens nothing
            # Noun phrases of up to four words: NOUN ADJ (ADJ), ADJ NOUN, NOUN de (la) NOUN ("fait
            # social total", "tragédie de l'aveu", "logiques d'action"), and pairs of
            # out-of-lexicon words (digital labor, gig economy).
            j, words = i, 1
            while words < MAX_TERM_WORDS and not tokens.breaks[j]:
                nxt = j + 1
                if nxt < len(text) and inner[nxt] and not stop[nxt]:
                    j, words = nxt, words + 1
                elif nxt + 1 < len(text) and fold(text[nxt]) in _JOINING and not tokens.breaks[nxt]:
                    k = nxt + 1
                    if fold(text[k]) in _ARTICLE_AFTER_DE and not tokens.breaks[k] and k + 1 < len(text):
                        k += 1
                    if not (inner[k] and not stop[k] and (pos[k] in _NOUNISH or not tokens.knows(k))):
                        break
                    j, words = k, words + 2
                else:
                    break
                window = range(i, j + 1)
                if not any(pos[k] in _NOUNISH or not tokens.knows(k) for k in window) \
                        or any(pos[k] in closed and tokens.knows(k) for k in (i, j)):
                    continue
                if word[:1].isupper() and text[j][:1].isupper():
                    continue  # "Amazon Mechanical": names
                counts[masked[tokens.idx[i]:tokens.idx[j] + len(text[j])]] += 1
        return counts

    @staticmethod
    def _concept(root, members, mentions, cues, glossary, sections_index, doc, words_in_doc) -> Concept:
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
        score = term_score(len(mentions), words_in_doc, variants, cues)
        shown = sorted({_SHOWN_CUE.get(c, c) for c in cues})
        return Concept(id="", label=label, variants=variants, cues=shown, score=score,
                       definition=(glossary or {}).get("definition"), mentions=mentions)


# How much each way of marking a term says that the author means a notion, in the units of the
# keyness below (a quoted term counts like a rare word used twice more).
CUE_WEIGHT = {"glossary": 3.0, "quoted": 0.5, "phrase": 1.0, "defined": 1.0, "gloss": 1.0, "abbreviation": 1.0,
              "heading": 0.25, "emphasis": 1.0, "definition": 1.0, "frequency": 0.0}
_SHOWN_CUE = {"defined": "definition", "abbreviation": "gloss"}  # the contract's names for them
# Cues by which the author names the notion: a capitalised word marked so is still a concept.
_AUTHOR_CUES = {"quoted", "phrase", "defined", "gloss", "abbreviation", "emphasis", "definition"}
# Cues that define a notion: a capitalised word defined so is still a concept ("Anomie : …").
_DEFINING_CUES = {"phrase", "defined", "definition", "abbreviation"}
MAX_CONCEPTS = 60


def term_score(mentions: int, words_in_doc: int, variants: list[str], cues: set[str]) -> float:
    """Term-likeness: how much more the handout uses the term than general French does, weighted
    by how often it does, plus what the author's marks say.

    The handout's use is a Zipf frequency too: log10 of the term's mentions per billion words. A
    word French uses everywhere ("processus", "tendance") gains little however often it recurs;
    a rare one ("anomie", "stigmate") gains from its second mention on. The most common spelling
    among the variants is taken, so that a rare plural or an English gloss does not make a common
    word rare."""
    if mentions <= 0:
        return round(sum(CUE_WEIGHT.get(c, 0.0) for c in cues), 2)
    used = math.log10(mentions / words_in_doc * 1e9)
    general = max((general_zipf(v) for v in variants), default=RARE_ZIPF) if variants else RARE_ZIPF
    # Sublinear in the mentions: the twentieth use of "marché" says less than the second of
    # "credo libéral" (measured: linear counts let generic nouns crowd out the book's phrases).
    phrase = any(" " in v.strip() for v in variants)
    keyness = 0.6 * math.log2(mentions) + (used - general) + (1.0 if phrase else 0.0)
    if cues & {"quoted", "emphasis"} and general <= RARE_ZIPF:
        keyness += 1.5  # a word French does not know, marked by its author: a coinage ("produsager")
    return round(keyness + sum(CUE_WEIGHT.get(c, 0.0) for c in cues), 2)


def _named(mentions: list[Mention], text: str) -> bool:
    """A single word written with a capital inside sentences is a name (a character, a place, a
    publisher's series), not a notion: "Hippolyte", "Quadrige". Words seen only where any word
    takes a capital (a heading, a sentence's start) are names too unless marked as notions."""
    inside = []
    for mention in mentions:
        if " " in mention.text.strip() or not mention.text[:1].isalpha():
            return False
        # Quote marks are skipped too: French capitalises titles in « » («Quarto»), not notions.
        before = text[max(0, mention.span.start - 12):mention.span.start].rstrip(" \t\u00a0*_#>«\"“([-•")
        if before and before[-1] not in ".!?:\n\r" and not before.endswith("..."):
            inside.append(mention.text[:1].isupper())
    # Two thirds: a name may also be a common noun once ("le Panthéon", "son panthéon").
    return sum(inside) * 3 >= 2 * len(inside)


_NUMBERING = re.compile(r"[ \t\u00a0]*(?:n[°o]\s*)?(?:\d+|[IVXLC]+\b)")


def _numbered(mentions: list[Mention], text: str) -> bool:
    """A word most often followed by a number is a label of the handout's parts ("Chapitre 3",
    "Texte 2", "Partie II", "Séance 4"), not a notion."""
    if not mentions or any(" " in m.text.strip() for m in mentions):
        return False
    numbered = sum(1 for m in mentions if _NUMBERING.match(text, m.span.end))
    return numbered * 2 >= len(mentions)


def _inside(mentions: list[Mention], spans: list[tuple[int, int]]) -> bool:
    """Whether every mention lies inside a named entity's span."""
    if not mentions or not spans:
        return False
    starts = [a for a, _ in spans]
    for mention in mentions:
        k = bisect.bisect_right(starts, mention.span.start) - 1
        if k < 0 or spans[k][1] < mention.span.end:
            return False
    return True


def _noun_phrase_end(parsed, start: int, end: int) -> int:
    """End of the noun phrase opening ``[start, end)``: "gamification revient souvent" -> "gamification"."""
    span = parsed.char_span(start, end, alignment_mode="expand")
    if span is None:
        return end
    last = start
    for i, tok in enumerate(span):
        if tok.pos_ in ("NOUN", "PROPN", "ADJ", "X") or (tok.pos_ not in ("VERB", "AUX", "ADV", "PRON", "ADP", "DET",
                                                                         "CCONJ", "SCONJ", "PUNCT") and tok.is_alpha):
            last = tok.idx + len(tok)
        elif tok.pos_ == "ADP" and fold(tok.text) in ("de", "d'", "du") and i + 1 < len(span) \
                and span[i + 1].pos_ in ("NOUN", "PROPN", "X"):
            continue
        else:
            break
    return last if last > start else end


class _Known:
    """Membership in the model's lexicon (forms and lemmas), tolerant of compounds."""

    def __init__(self, lexicon):
        self.lexicon = lexicon

    def knows(self, word: str, lemma: str | None = None) -> bool:
        if not self.lexicon:
            return True  # without a lexicon nothing can be called unknown
        return (word in self.lexicon or (lemma is not None and lemma in self.lexicon)
                or "-" in word and all(part in self.lexicon for part in word.split("-") if part))


class _Tokens:
    """The parsed tokens' attributes, read from spaCy once: the stage looks at each token many
    times, and every attribute access on a spaCy token builds a Python object."""

    def __init__(self, parsed, text: str, known: _Known):
        tokens = list(parsed)
        self.doc_text = text  # the unmasked text: what lies between two words
        self.text = [t.text for t in tokens]
        self.idx = [t.idx for t in tokens]
        self.pos = [t.pos_ for t in tokens]
        self.lemma = [t.lemma_ for t in tokens]
        self.alpha = [t.is_alpha for t in tokens]
        self.punct = [t.is_punct for t in tokens]
        self.space = [t.is_space for t in tokens]
        self.breaks = ["\n" in t.whitespace_ for t in tokens]  # a line ends after the token
        self._known = known
        self._knows: dict[int, bool] = {}
        self._words: tuple | None = None

    def at(self, char: int) -> int:
        """The index of the first token starting at or after character ``char``."""
        return bisect.bisect_left(self.idx, char)

    def _np_word(self, i: int) -> bool:
        return self.alpha[i] or ("-" in self.text[i] and not self.punct[i])

    def phrase_before(self, end: int) -> int | None:
        """Start of the noun phrase that ends at character ``end`` ("… que l'anomie" + " désigne"
        -> "anomie"; "les commérages élogieux" + " (praise gossip)" -> "commérages élogieux"), read
        backwards over nouns, adjectives and "de" between nouns, never over a line break; None when
        no noun ends there."""
        i = self.at(end) - 1
        while i >= 0 and self.space[i]:
            i -= 1
        if i < 0 or self.idx[i] + len(self.text[i]) < end - 2 or self.pos[i] not in _PHRASE_POS or not self._np_word(i):
            return None
        first, words = i, 1
        j = i - 1
        while j >= 0 and words < MAX_TERM_WORDS and not self.breaks[j]:
            if self.pos[j] in _PHRASE_POS and self._np_word(j) and fold(self.text[j]) not in _SPACY_STOP:
                first, words, j = j, words + 1, j - 1
                continue
            # "tragédie de l'aveu", "lieux de mémoire": a linking "de" (and its article) between nouns.
            k = j - 1 if self.pos[j] == "DET" and fold(self.text[j]).rstrip("'") in ("la", "l", "les") else j
            if k > 0 and fold(self.text[k]).rstrip("'") in ("de", "d", "du", "des") and self.pos[k - 1] in _PHRASE_POS \
                    and self._np_word(k - 1) and not self.breaks[k - 1]:
                first, words, j = k - 1, words + 1, k - 2
                continue
            break
        if not any(self.pos[k] in _NOUNISH for k in range(first, i + 1)):
            return None
        return self.idx[first]

    def heading_phrases(self, start: int, end: int) -> list[str]:
        """The noun phrases of a heading: its runs of nouns and adjectives (with "de" between
        nouns), and each noun alone. A heading of one word is a label (Introduction, Repères)."""
        first, last = self.at(start), self.at(end)
        words = [i for i in range(first, last) if self.alpha[i]]
        if len(words) < 2:
            return []
        phrases, run = [], []
        for i in range(first, last + 1):
            if i < last and self._np_word(i) and self.pos[i] in _PHRASE_POS and fold(self.text[i]) not in _SPACY_STOP:
                run.append(i)
                continue
            if i < last and run and fold(self.text[i]).rstrip("'") in ("de", "d", "du", "des") \
                    and i + 1 < last and self.pos[i + 1] in _PHRASE_POS:
                run.append(i)
                continue
            while run and self.pos[run[-1]] not in _PHRASE_POS:
                run.pop()
            if run and len(run) <= MAX_TERM_WORDS and any(self.pos[k] in _NOUNISH for k in run):
                phrases.append(self.doc_text[self.idx[run[0]]:self.idx[run[-1]] + len(self.text[run[-1]])])
                phrases += [self.text[k] for k in run if self.pos[k] == "NOUN"] if len(run) > 1 else []
            run = []
        return phrases

    def knows(self, i: int) -> bool:
        """Whether token ``i`` (its form or its lemma) is in the lexicon."""
        if i not in self._knows:
            self._knows[i] = self._known.knows(self.text[i], self.lemma[i])
        return self._knows[i]

    def words(self) -> tuple[list[int], list[str], list[bool], list[bool]]:
        """Tokens with a letter or digit; their normalised forms; whether each is a stop word at a
        term's edge; whether each may be joined to the next in one term."""
        if self._words is None:
            words = [i for i, w in enumerate(self.text) if any(ch.isalnum() for ch in w)]
            pieces = [normalise(self.text[i]) for i in words]
            stops = [fold(self.text[i]).rstrip("'") in _STOP_EDGE for i in words]
            joinable = [_JOINER.fullmatch(self.doc_text, self.idx[i] + len(self.text[i]), self.idx[j]) is not None
                        for i, j in zip(words, words[1:])]
            self._words = (words, pieces, stops, joinable)
        return self._words


class _MentionMatcher:
    """Finds every mention of every concept in one pass over the tokens (longest match first)."""

    def __init__(self, groups: dict[str, list[_Candidate]]):
        self.by_key: dict[str, str] = {}
        self.exact: dict[str, set[str]] = defaultdict(set)
        self.glossary_keys: set[str] = set()  # aliases given by the glossary, not its labels
        for root, members in groups.items():
            for member in members:
                self.by_key[member.key] = root
                self.exact[root].update(s.lower() for s in member.surfaces)
                if member.glossary and normalise(member.glossary["label"]) != member.key:
                    self.glossary_keys.add(member.key)
        self.long_keys = [k for k in self.by_key if len(k) >= FUZZY_MIN_LENGTH]
        self.prefixes = {key[:n] for key in self.by_key for n in range(1, len(key) + 1)}

    def find(self, tokens: _Tokens, text: str) -> dict[str, list[Mention]]:
        """One left-to-right pass: extend a window word by word while its key is the prefix of a
        concept key (a trie walk on strings), and keep, for each concept, the longest window that is
        one of its keys. A word inside a longer term counts for its own concept too ("vectorialiste"
        in "classe vectorialiste"), as a reader counting the word would; one concept's mentions
        never overlap."""
        found: dict[str, list[Mention]] = defaultdict(list)
        words, pieces, stops, joinable = tokens.words()
        fuzzy_cache: dict[str, tuple[str, float] | None] = {}
        last_end: dict[str, int] = {}  # per concept, the word after its last mention
        covered = 0  # the word after the last mention of any concept
        for i in range(len(words)):
            hits: dict[str, tuple[int, str | None, float]] = {}  # root -> (words, key, score)
            if not stops[i]:
                key = ""
                for j in range(i, min(len(words), i + 2 * MAX_TERM_WORDS)):
                    if j > i and not joinable[j - 1]:
                        break
                    key += pieces[j]
                    if key in self.by_key and not stops[j] and pieces[j]:
                        hits[self.by_key[key]] = (j - i + 1, key, 100.0)
                    if key not in self.prefixes:
                        break
                if not hits and i >= covered and len(pieces[i]) >= FUZZY_MIN_LENGTH and tokens.alpha[words[i]]:
                    if pieces[i] not in fuzzy_cache:
                        hit = process.extractOne(pieces[i], self.long_keys, scorer=fuzz.ratio,
                                                 score_cutoff=FUZZY_THRESHOLD)
                        fuzzy_cache[pieces[i]] = (hit[0], hit[1]) if hit else None
                    if fuzzy_cache[pieces[i]]:
                        other, score = fuzzy_cache[pieces[i]]
                        hits[self.by_key[other]] = (1, None, score)
            for root, (n, key, score) in hits.items():
                if last_end.get(root, 0) > i:
                    continue
                last_end[root] = i + n
                covered = max(covered, i + n)
                first, last = words[i], words[i + n - 1]
                start, end = tokens.idx[first], tokens.idx[last] + len(tokens.text[last])
                surface = text[start:end]
                if key is None:
                    kind = "fuzzy"
                elif key in self.glossary_keys:
                    kind = "glossary"
                elif surface.lower() in self.exact[root]:
                    kind = "exact"
                else:
                    kind = "lemma"
                found[root].append(Mention(text=surface, span=Span(start=start, end=end), section_id=None,
                                           match=kind, score=round(score, 1)))
        return found
