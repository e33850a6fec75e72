"""Terms that recur without a mark: out-of-lexicon words, hyphenated compounds, every common noun,
and noun phrases of up to four words, read from the parsed tokens in one pass."""

from __future__ import annotations

from collections import Counter

from pipeline.stages.concept_tokens import _Tokens
from pipeline.stages.concept_words import (_ARTICLE_AFTER_DE, _JOINING, _NOUNISH, _SPACY_STOP, _STOP_EDGE,
                                           MAX_TERM_WORDS)
from pipeline.text import fold


def recurring_terms(tokens: _Tokens, masked: str) -> Counter:
    """Surface forms of out-of-lexicon words and multiword noun phrases, with their counts."""
    counts: Counter = Counter()
    text, pos, alpha = tokens.text, tokens.pos, tokens.alpha
    # A word a phrase can hold (letters, or a hyphenated compound), and one it can go on from
    # (no line break after it); fold(word) is a stop word that cannot open or close a phrase.
    inner = [not (tokens.space[k] or tokens.punct[k]) and (alpha[k] or "-" in text[k]) for k in range(len(text))]
    goes_on = [inner[k] and not tokens.breaks[k] for k in range(len(text))]
    stop = [fold(w) in _STOP_EDGE for w in text]
    closed = ("VERB", "AUX", "PRON", "DET", "ADV", "CCONJ", "SCONJ")

    def compound_end(k: int) -> int:
        """The last token of the compound word ``k`` opens when the tokenizer split it at its
        hyphens ("états-majors", "établis-marginaux"): a phrase holds it whole."""
        while k + 2 < len(text) and text[k + 1] == "-" and alpha[k + 2] and not tokens.breaks[k] \
                and tokens.idx[k + 1] == tokens.idx[k] + len(text[k]) \
                and tokens.idx[k + 2] == tokens.idx[k + 1] + 1:
            k += 2
        return k
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
        if alpha[i] and i + 2 < len(text) and text[i + 1] == "-" and alpha[i + 2] and text[i + 2][:1].islower() \
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
        j, words = compound_end(i), 1
        while words < MAX_TERM_WORDS and not tokens.breaks[j]:
            nxt = j + 1
            if nxt < len(text) and inner[nxt] and not stop[nxt]:
                j, words = compound_end(nxt), words + 1
            elif nxt + 1 < len(text) and fold(text[nxt]) in _JOINING and not tokens.breaks[nxt]:
                k = nxt + 1
                if fold(text[k]) in _ARTICLE_AFTER_DE and not tokens.breaks[k] and k + 1 < len(text):
                    k += 1
                if not (inner[k] and not stop[k] and (pos[k] in _NOUNISH or not tokens.knows(k))):
                    break
                j, words = compound_end(k), words + 2
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
