"""Ranking of concept candidates: keyness against general French plus the author's cues, and the
tests that drop names, numbered labels and entities."""

from __future__ import annotations

import bisect
import math
import re

from pipeline.models import Mention
from pipeline.text import fold
from pipeline.stages.concept_words import RARE_ZIPF, general_zipf

# How much each way of marking a term says that the author means a notion, in the units of the
# keyness below (a quoted term counts like a rare word used twice more).
# A keyword the author declares counts like a glossary entry of the user's, a little less.
CUE_WEIGHT = {"glossary": 3.0, "keyword": 2.0, "quoted": 0.5, "phrase": 1.0, "defined": 1.0, "gloss": 1.0,
              "abbreviation": 1.0, "heading": 0.25, "emphasis": 1.0, "stressed": 1.0, "definition": 1.0,
              "frequency": 0.0}
# The contract's names for them ("stressed": emphasis inside a sentence).
_SHOWN_CUE = {"defined": "definition", "abbreviation": "gloss", "stressed": "emphasis"}
# Cues by which the author names the notion: a capitalised word marked so is still a concept.
_AUTHOR_CUES = {"keyword", "stressed", "quoted", "phrase", "defined", "gloss", "abbreviation", "emphasis",
                "definition"}
# Cues that define a notion: a capitalised word defined so is still a concept ("Anomie : …").
_DEFINING_CUES = {"keyword", "phrase", "defined", "definition", "abbreviation"}
MAX_CONCEPTS = 60


def term_score(mentions: int, words_in_doc: int, variants: list[str], cues: set[str], *,
               coined: bool = False) -> float:
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
    if coined:
        general = min(general, RARE_ZIPF)  # a compound of common words, rare as a whole
    # Sublinear in the mentions: the twentieth use of "marché" says less than the second of
    # "credo libéral" (measured: linear counts let generic nouns crowd out the book's phrases).
    phrase = any(" " in v.strip() for v in variants)
    keyness = 0.6 * math.log2(mentions) + (used - general) + (1.0 if phrase else 0.0)
    if cues & {"quoted", "emphasis", "stressed"} and general <= RARE_ZIPF:
        keyness += 1.5  # a word French does not know, marked by its author: a coinage ("produsager")
    return round(keyness + sum(CUE_WEIGHT.get(c, 0.0) for c in cues), 2)


def _named(mentions: list[Mention], text: str) -> bool:
    """A word or phrase written with a capital inside sentences is a name (a character, a place, a
    publisher's series) or a title (French capitalises a work's first word only: "Condition de
    l'homme moderne", "Route de la servitude"), not a notion: "Hippolyte", "Quadrige". Single
    words seen only where any word takes a capital (a heading, a sentence's start) are names too
    unless marked as notions; a phrase seen only there is left to the other tests ("Domination
    légale : …" in a list of definitions)."""
    inside = []
    for mention in mentions:
        if not mention.text[:1].isalpha():
            return False
        if fold(_WORD_RE.match(mention.text).group()) in _INSTITUTIONS and _WORD_RE.fullmatch(mention.text) is None:
            return False  # "État-providence", "Église primitive": the capital of an institution
        # Quote marks are skipped too: French capitalises titles in « » («Quarto»), not notions.
        before = text[max(0, mention.span.start - 12):mention.span.start].rstrip(" \t\u00a0*_#>«\"“([-•")
        if before and before[-1] not in ".!?:\n\r" and not before.endswith("..."):
            inside.append(mention.text[:1].isupper())
    if not inside and any(" " in m.text.strip() for m in mentions):
        return False
    # Two thirds: a name may also be a common noun once ("le Panthéon", "son panthéon").
    return sum(inside) * 3 >= 2 * len(inside)


# The nouns French typography capitalises when they name the institution ("l'État", "l'Église";
# Lexique des règles typographiques de l'Imprimerie nationale): a phrase they open is a notion
# ("État-providence", "État de droit"), not a title or a name.
_INSTITUTIONS = {"etat", "eglise", "republique", "nation"}
_WORD_RE = re.compile(r"[^\W\d_]+")

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


def _within(mentions: list[Mention], spans: list[tuple[int, int]]) -> int:
    """How many mentions lie inside one of the (sorted, disjoint) spans: a heading's words."""
    starts = [a for a, _ in spans]
    count = 0
    for mention in mentions:
        k = bisect.bisect_right(starts, mention.span.start) - 1
        count += k >= 0 and spans[k][1] >= mention.span.end
    return count


def independent_mentions(found: dict[str, list[Mention]]) -> dict[str, int]:
    """For each term, how many of its mentions do not lie inside a longer mention of another term."""
    spans = sorted((m.span.start, m.span.end, root) for root, mentions in found.items() for m in mentions)
    starts = [s for s, _, _ in spans]
    longest = max((e - s for s, e, _ in spans), default=0)
    alone = {}
    for root, mentions in found.items():
        count = 0
        for m in mentions:
            start, end = m.span.start, m.span.end
            k = bisect.bisect_left(starts, start - longest)
            inside = False
            while k < len(spans) and spans[k][0] <= start:
                s, e, other = spans[k]
                if other != root and e >= end and e - s > end - start:
                    inside = True
                    break
                k += 1
            count += not inside
        alone[root] = count
    return alone

