"""Words of a concept: how common a word is in general French (wordfreq), the key variants share,
a term's clean surface, and the lexical tests a candidate passes (stop words, glosses, abbreviations)."""

from __future__ import annotations

import math
import re
from functools import cached_property, lru_cache
from pathlib import Path

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


# A heading's phrase is a notion only when it is term-like on its own. Slide and section titles
# ("Présentation générale", "Question de départ", "Fiche de lecture") are made of words general
# French uses everywhere; Zipf 3 (one in a million words) is where wordfreq's small list stops and
# where the book's vocabulary starts ("exotisme" 3.0, "anomie" unknown), so a phrase whose every
# word is above it is generic and a heading says nothing of it.
GENERIC_ZIPF = 3.0
# A part's label or a date, whatever the words around it: a roman numeral ("Livre IV",
# "Partie IX"), a century ("Fin XVIIIe", "XXe siècle").
_ROMAN = re.compile(r"[IVXLCDM]+(?:e|er|ème|eme)?s?")


@lru_cache(maxsize=1)
def _like_num():
    """spaCy's French number words ("trois", "premier", "vingt-deux"): a closed class the library
    keeps, rather than a hand list."""
    try:
        from pipeline.nlp import import_spacy

        import_spacy()
        from spacy.lang.fr.lex_attrs import like_num
    except Exception:  # noqa: BLE001 - spaCy absent: the concept stage does not run anyway
        return lambda word: word.isdigit()
    return like_num


def label_word(word: str) -> bool:
    """A roman numeral, a century or a number word: "IV", "XVIIIe", "trois", "premier"."""
    return bool(_ROMAN.fullmatch(word)) or _like_num()(word.lower())


def label_phrase(phrase: str) -> bool:
    """Whether a phrase holds a label word or opens on a quantifier or function word ("plusieurs",
    "quelques", "trois"): a part's label or a list's title, never a notion."""
    words = _WORD.findall(phrase)
    return not words or any(label_word(w) for w in words) or fold(words[0]) in _SPACY_STOP


def generic_phrase(phrase: str) -> bool:
    """Whether a phrase is a label or is made only of words common in general French
    ("présentation générale", "tableau récapitulatif")."""
    if label_phrase(phrase):
        return True
    words = _WORD.findall(phrase)
    content = [w for w in words if w.lower() not in _LINKS]
    return all(general_zipf(w) >= GENERIC_ZIPF for w in content)
