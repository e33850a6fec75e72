"""The book's concepts: which ones, how they are spelled, and every place each is used.

Discovery needs no list. Authors mark concepts: a short expression in « » or in bold, "la notion
de …", "ce que X appelle …", a term defined after a colon or an "=", a quoted term glossed in
another language (« calcul assisté par l'humain » (human-based computation)). Terms that recur
are found too: multiword noun phrases and words the model's lexicon does not know (neologisms,
English terms). Variants are grouped on a normalised key (case, accents, articles and elision,
plural, hyphens and spaces), then by rapidfuzz for long spelling slips; mentions are then counted
everywhere, marked or not.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
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
_NOUNISH = {"NOUN", "PROPN", "X"}
_PHRASE_CUES = [
    # "la notion de …", "le concept d'« … »", "le terme de …"
    re.compile(r"\b(?:notions?|concepts?|termes?|n[ée]ologismes?|expressions?|cat[ée]gories?|id[ée]es?)"
               r"\s+(?:de\s+|d['’]\s*|du\s+)(?:la\s+|l['’]\s*|les\s+)?(?P<t>«[^»\n]{1,60}»|[^\s,.;:!?()«»]+(?:[ -][^\s,.;:!?()«»]+){0,3})",
               re.I),
    # "ce que Casilli appelle …", "qu'il nomme « … »", "baptisé « … »"
    re.compile(r"\b(?:appel(?:le|lent|é|ée|és|ées)|nomm(?:e|ent|é|ée|és|ées)|qualifi(?:e|ent)\s+de|baptis(?:e|é|ée)|"
               r"d[ée]sign(?:e|ent)\s+(?:sous\s+le\s+nom\s+de|par))\s+(?:la\s+|le\s+|l['’]\s*|les\s+)?(?P<t>«[^»\n]{1,60}»)",
               re.I),
]
# "Plateforme = hybride", "Tâcheronnisation : découpage du travail" at the start of a line.
_DEFINITION = re.compile(r"^[ \t]*(?:[-*•➔→]\s+)?(?P<t>[^\s=:,.;!?«»()]+(?:[ -][^\s=:,.;!?«»()]+){0,2})\s*(?:=|:)\s+\S",
                         re.M)
# A quoted term glossed in brackets: « économie de petits boulots » (gig economy).
_GLOSS = re.compile(r"[ \t\u00a0]*\((?P<g>[^()\d\n]{2,50})\)")
_EMPHASIS = re.compile(r"(?<![*\w])(\*\*|__)(?P<a>[^*_\n]{2,60}?)\1(?![*\w])|(?<![*\w])[*_](?P<b>[^*_\n]{2,60}?)[*_](?![*\w])")
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.U)
# What may separate the words of one mention: a space, a hyphen, an apostrophe, a line break.
_JOINER = re.compile(r"[ \t\u00a0\u202f'’-]{0,3}|[ \t]*\n[ \t]*")


def _singular(word: str) -> str:
    # French plurals: -s, -x (travaux keeps "travau", which still groups with itself); lemmas from
    # the small model are not reliable enough for this (travaux -> "traval").
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

        # 2. Recurring terms: out-of-lexicon words and multiword noun phrases.
        for surface, count in self._recurring(tokens, masked).items():
            key = normalise(surface)
            if key in candidates or count >= 2:
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
        kept = {}
        for root, members in groups.items():
            cues = set().union(*(m.cues for m in members))
            glossary = next((m.glossary for m in members if m.glossary), None)
            if glossary or self._keep(cues, mentions.get(root, []), members):
                kept[root] = (members, cues, glossary)
        mentions = _MentionMatcher({root: members for root, (members, _, _) in kept.items()}).find(tokens, text)
        sections_index = SectionIndex(sections)
        concepts = []
        for root, (members, cues, glossary) in kept.items():
            found = mentions.get(root, [])
            if not found and not glossary:
                continue
            concepts.append(self._concept(root, members, found, cues, glossary, sections_index, doc))
        concepts.sort(key=lambda c: (-c.score, c.label))
        for n, concept in enumerate(concepts, 1):
            concept.id = f"c{n}"
        return concepts

    # -- what counts -----------------------------------------------------------------------------
    @staticmethod
    def _acceptable(surface: str, key: str, cue: str, known: "_Known", person_names) -> bool:
        words = _WORD.findall(surface)
        if not words or len(words) > MAX_TERM_WORDS or len(key) < 4:
            return False
        if any(ch.isdigit() for ch in surface) or "?" in surface or "!" in surface or "@" in surface:
            return False
        if fold(words[0]) in _STOP_EDGE or fold(words[-1]) in _STOP_EDGE:
            return False
        if surface in person_names or any(w in person_names for w in words if w[:1].isupper()):
            return False  # names of people are entities, not concepts
        if len(words) == 1:
            word = words[0]
            if word.isupper() and len(word) <= 5:
                return False  # acronyms and labels (TD, IA, STS)
            if cue in ("emphasis", "definition", "frequency", "phrase") and known.knows(word):
                # An ordinary word in bold or before a colon ("Contexte :", "**Medialab**") is not
                # a concept unless the author quotes it.
                return False
            if word[:1].isupper() and not known.knows(word) and cue != "quoted":
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
        if "definition" in cues and len(mentions) >= 2:
            return True
        return "frequency" in cues and len(mentions) >= 3

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
            if not goes_on[i] or stop[i]:
                continue
            # Noun phrases of two or three words: NOUN ADJ, ADJ NOUN, NOUN de NOUN, and pairs of
            # out-of-lexicon words (digital labor, gig economy).
            for last in (i + 1, i + 2):
                if last >= len(text) or not inner[last] or stop[last]:
                    continue
                if last == i + 2 and not (goes_on[i + 1] and fold(text[i + 1]) in ("de", "du", "des", "d'", "à")):
                    continue
                window = range(i, last + 1)
                if not any(pos[k] in _NOUNISH or not tokens.knows(k) for k in window) \
                        or any(pos[k] in closed and tokens.knows(k) for k in (i, last)):
                    continue
                if word[:1].isupper() and text[last][:1].isupper():
                    continue  # "Amazon Mechanical": names
                counts[masked[tokens.idx[i]:tokens.idx[last] + len(text[last])]] += 1
        return counts

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
        weight = {"glossary": 3, "quoted": 3, "phrase": 3, "gloss": 2, "emphasis": 2, "definition": 1, "frequency": 1}
        score = sum(weight[c] for c in cues) + len(mentions) + (1 if len(_WORD.findall(label)) > 1 else 0)
        return Concept(id="", label=label, variants=variants, cues=sorted(cues), score=float(score),
                       definition=(glossary or {}).get("definition"), mentions=mentions)


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
        concept key (a trie walk on strings), and keep the longest window that is a whole key."""
        found: dict[str, list[Mention]] = defaultdict(list)
        words, pieces, stops, joinable = tokens.words()
        fuzzy_cache: dict[str, tuple[str, float] | None] = {}
        i = 0
        while i < len(words):
            best: tuple[int, str, str, float] | None = None  # (words, root, kind, score)
            if not stops[i]:
                key = ""
                for j in range(i, min(len(words), i + 2 * MAX_TERM_WORDS)):
                    if j > i and not joinable[j - 1]:
                        break
                    key += pieces[j]
                    if key in self.by_key and not stops[j]:
                        best = (j - i + 1, self.by_key[key], key, 100.0)
                    if key not in self.prefixes:
                        break
                if best is None and len(pieces[i]) >= FUZZY_MIN_LENGTH and tokens.alpha[words[i]]:
                    if pieces[i] not in fuzzy_cache:
                        hit = process.extractOne(pieces[i], self.long_keys, scorer=fuzz.ratio,
                                                 score_cutoff=FUZZY_THRESHOLD)
                        fuzzy_cache[pieces[i]] = (hit[0], hit[1]) if hit else None
                    if fuzzy_cache[pieces[i]]:
                        other, score = fuzzy_cache[pieces[i]]
                        best = (1, self.by_key[other], None, score)
            if best is None:
                i += 1
                continue
            n, root, key, score = best
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
            i += n
        return found
