"""The parsed tokens as the concept stage reads them: noun phrases before a cue or in a heading, the
lexicon, and the one-pass matcher that finds every mention of every concept."""

from __future__ import annotations

import bisect
from collections import defaultdict

from rapidfuzz import fuzz, process

from pipeline.models import Mention, Span
from pipeline.stages.concept_words import (_JOINER, _NOUNISH, _PHRASE_POS, _SPACY_STOP, _STOP_EDGE,
                                           FUZZY_MIN_LENGTH, FUZZY_THRESHOLD, MAX_TERM_WORDS, normalise)
from pipeline.text import fold

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


# "la notion de X", "le concept d'X": the noun that names a term, never part of it.
_NAMING_NOUNS = {fold(w) for w in ("notion", "notions", "concept", "concepts", "terme", "termes", "idée", "idées",
                                   "catégorie", "catégories", "expression", "expressions", "mot", "mots")}


class _Known:
    """Membership in the model's lexicon (forms and lemmas), tolerant of compounds."""

    def __init__(self, lexicon):
        self.lexicon = lexicon

    def knows(self, word: str, lemma: str | None = None) -> bool:
        if not self.lexicon:
            return True  # without a lexicon nothing can be called unknown
        return (word in self.lexicon or (lemma is not None and lemma in self.lexicon)
                or "-" in word and all(part in self.lexicon for part in word.split("-") if part))


    def misspelt(self, word: str) -> bool:
        """A word the lexicon does not know one edit away from a word it knows, or two known
        words glued ("environnemen", "évaluatoin", "ttoxique", "àla"): a slip of the keyboard, not
        a coinage (Norvig's spelling corrector: every string one edit away is looked up). Short
        words are left alone: at five letters, one edit reaches too many words ("hau", "kula")."""
        word = word.lower()
        if not word.isalpha() or not self.lexicon or word in self.lexicon:
            return False
        splits = [(word[:i], word[i:]) for i in range(1, len(word))]
        if any(a in _GLUED and len(b) >= 2 and b in self.lexicon for a, b in splits):
            return True  # "àla", "engros": a space left out after a short word
        if len(word) < 6:
            return False
        splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
        # A letter left out, one too many, two swapped: the slips of typing. Not a letter
        # changed: that is how words derive from each other ("gamification" and "ramification",
        # "interactionnisme" and "interactionniste"), and coinages with them.
        # Not slips: a final "s", "x" or "e" put or left out (inflection: "enclosures"), a letter
        # doubled or not (spelling variants: "interactionisme"), accents (looked up as written).
        edits = {a + b[1:] for a, b in splits if (len(b) > 1 or b and b not in "sxe")
                 and b[:1] not in (a[-1:], b[1:2])}
        edits |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        edits |= {a + c + b for a, b in splits for c in _LETTERS if (b or c not in "sxe") and c not in (a[-1:], b[:1])}
        # The word it was meant to be is a headword ("environnement"), not any inflected form:
        # "habitus" is one letter from "habitués", and is no slip.
        return any(edit in self.lexicon.lemmas for edit in edits if len(edit) >= 5)

    def coined(self, surface: str) -> bool:
        """A hyphenated compound the lexicon does not know whole ("mémoire-archive",
        "contre-mouvement", "non-mixité"): authors coin their notions so, while French's own
        compounds ("après-guerre", "porte-parole") are in the lexicon. Not pronouns ("lui-même"),
        nor inclusive endings ("étudiant-e-s", "utilisateur-ice")."""
        parts = surface.split("-")
        if len(parts) < 2 or not surface[:1].islower() or not all(p.isalpha() and len(p) >= 2 for p in parts):
            return False
        if fold(parts[-1]) in _INCLUSIVE or any(fold(p) in _DEICTIC for p in parts):
            return False
        return bool(self.lexicon) and surface not in self.lexicon and surface.lower() not in self.lexicon


_LETTERS = "abcdefghijklmnopqrstuvwxyzàâäçéèêëîïôöùûüœ"
# Short words that get glued to the next by a missing space ("àla", "engros", "dela").
_GLUED = {"à", "a", "en", "de", "la", "le", "les", "du", "des", "un", "une", "au", "aux", "et", "par", "sur", "pour"}
# Endings of inclusive writing, and the parts of pronoun and place compounds.
_INCLUSIVE = {"e", "es", "s", "ice", "ices", "rice", "rices", "trice", "trices", "euse", "euses", "ne", "nes", "le",
              "les"}
_DEICTIC = {"meme", "memes", "ci", "la", "y", "t", "il", "elle", "on", "ils", "elles", "vous", "nous", "moi", "toi"}


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
            # "tragédie de l'aveu", "lieux de mémoire", "appartenance au monde": a linking "de" or
            # "à" (and its article) between nouns; not "la notion de …", which names the phrase.
            k = j - 1 if self.pos[j] == "DET" and fold(self.text[j]).rstrip("'") in ("la", "l", "les") else j
            if k > 0 and fold(self.text[k]).rstrip("'") in ("de", "d", "du", "des", "au", "aux", "a") \
                    and self.pos[k - 1] in _PHRASE_POS and fold(self.text[k - 1]) not in _NAMING_NOUNS \
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

    def __init__(self, groups: dict[str, list]):
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
