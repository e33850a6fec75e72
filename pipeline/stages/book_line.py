"""The book on one line: "Auteur, *Titre. Sous-titre*, Éditeur, année", "Auteur et Auteur, Titre,
traduit de … par …, Paris, Éditeur, année [original]", "Titre (Auteur, année)"; its publication details."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.stages.dates import _YEAR
from pipeline.stages.person_names import _NAME_SPLIT, _editor_names, _is_names
from pipeline.stages.sections import clean_title

# Translators, preface writers and editors of the text are never authors.
_CONTRIBUTOR = re.compile(r"^(?:traduit|trad\.|traduction|pr[ée]fac[ée]|pr[ée]face|postface|avant-propos|"
                          r"introduction\s+(?:de|par)|[ée]dition\s+(?:[ée]tablie|critique|annot[ée]e)|"
                          r"notes?\s+(?:de\s+(?!lecture)|par)|texte\s+[ée]tabli)\b", re.I)

# Publication details ("Éditions La Découverte, 2019", "Paris, Seuil, coll. …, 1983", "Edition Métailié 1963").
_PUBLISHER = re.compile(r"\b(?:[ÉE]ditions?|[ÉE]d\.|Presses|coll\.|collection|ISBN)\b", re.I)
# "Paris, Gallimard, 1984": a place (one capitalised word) first, a year later.
_PLACE_FIRST = re.compile(rf"^[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý]?[a-zà-ÿ]+)*,\s+\S.*\b{_YEAR}\b")
_EMPHASISED = re.compile(r"\*{1,2}(?P<a>[^*]+?)\*{1,2}|_(?P<b>[^_]+?)_|«\s*(?P<c>[^»]+?)\s*»|\"(?P<d>[^\"]+?)\"|“(?P<e>[^”]+?)”")
# "Titre (Auteur et Auteur, 1996)": the work, then its authors and year in parentheses.
_TITLE_THEN_AUTHORS = re.compile(rf"^(?P<title>.+?)\s*\((?P<authors>[^()]+?),?\s+(?P<year>{_YEAR})\)\s*$")
# "Marie Fontenelle (Éditions du Rocher, 2019)", "Paul Verdier (Seuil, 2011)", "Jeanne Doe (2004)": the
# authors, then the publication details in parentheses (a slide deck's title slide writes the book so,
# under its title). The inverse of "Titre (Auteur, année)": there the parentheses hold names.
_AUTHORS_THEN_PUBLICATION = re.compile(rf"^(?P<authors>[^()]+?)\s*\((?P<publication>[^()]*\b{_YEAR}\b[^()]*)\)\s*$")
# Nouns that name a kind of work: they open a subtitle after a comma ("Outsiders, étude de …") and
# introduce the author in a sentence ("… est un essai de Thibault Le Texier").
_GENRES = (r"livre|ouvrage|essai|[ée]tude|enqu[êe]te|roman|r[ée]cit|trag[ée]die|com[ée]die|drame|pi[èe]ce|"
           r"recueil|trait[ée]|po[èe]me|manifeste|pamphlet|biographie|article|texte|th[èe]se|conf[ée]rence")

_LONG_FIELD = 600  # a bibliographic or labelled line may run long

@dataclass(slots=True)
class _Book:
    """A book read off one line: "Auteur, *Titre. Sous-titre*, Éditeur, année" and its variants."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    publisher: str | None = None
    year: str | None = None

def _split_subtitle(title: str) -> tuple[str, str | None]:
    # "Titre. Sous-titre", never after an initial ("J. Dupin"); a title in capitals ends on capitals
    # ("LES QUAIS. Enquête sur un port").
    m = re.search(rf"(?:(?<![A-ZÀ-Ý])|(?<=[A-ZÀ-Ý]{{2}}))\.\s+(?=\S)|\s*:\s+|,\s+(?=(?:{_GENRES}|essais?|introduction|histoire|"
                  r"recherches?|regards?|analyse)\b)", title)
    if m and m.start() > 0 and title[m.end():].strip(" .").strip():
        return title[:m.start()].strip(), title[m.end():].strip().rstrip(".").strip()
    return title.rstrip(".").strip() if not title.endswith("..") else title, None

# -- the book on one line ----------------------------------------------------------------------------

def _top_level_split(value: str) -> list[str]:
    """Comma-separated parts, commas inside (), [], « » and quotes left alone."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(value):
        if ch in "([«“":
            depth += 1
        elif ch in ")]»”" and depth:
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(value[start:i].strip())
            start = i + 1
    parts.append(value[start:].strip())
    return [p for p in parts if p]


_EMPHASIS_SPAN = re.compile(r"\*\*?(?P<a>[^*]+?)\*\*?|(?<!\w)_(?P<b>[^_]+?)_(?!\w)|«\s*(?P<c>[^»]+?)\s*»")


def _emphasised_title(raw: str) -> tuple[str, str, str] | None:
    """(before, title, after) when a line emphasises or quotes a title after the authors."""
    m = _EMPHASIS_SPAN.search(raw)
    if not m:
        return None
    before = clean_title(raw[:m.start()]).rstrip(" ,:").strip()
    if not before or not _is_names(_editor_names(before)):
        return None
    return before, next(g for g in m.groups() if g), clean_title(raw[m.end():]).lstrip(" ,.")


def _looks_like_book_line(value: str, raw: str = "") -> bool:
    if len(value) > _LONG_FIELD:
        return False
    if (e := _emphasised_title(raw or value)) is not None:
        return bool(re.search(rf"\b{_YEAR}\b", e[2]) or _PUBLISHER.search(e[2]) or not e[2])
    parts = _top_level_split(value)
    k = _leading_names(parts)
    if k == 0 or len(parts) < k + 2 or not parts[k][:1].isupper() and parts[k][:1] not in "«“":
        return False
    rest = ", ".join(parts[k + 1:])
    return bool(re.search(rf"\b{_YEAR}\b", rest) or _PUBLISHER.search(rest) or _CONTRIBUTOR.match(parts[k + 1]))


def _leading_names(parts: list[str]) -> int:
    """How many comma-separated parts open the line with authors ("Jean Dupin, Marie Leclerc et Paul Roy,
    Titre, …" has three); the last part is always left for the title."""
    k = 0
    while k < len(parts) - 1 and _is_names(_editor_names(parts[k])):
        k += 1
    return k


def _book_line(value: str, raw: str = "") -> _Book:
    """"Auteur et Auteur, Titre. Sous-titre, traduit de … par …, Paris, Éditeur, année [original]"."""
    if (e := _emphasised_title(raw or value)) is not None:
        authors, title, rest = e
    else:
        parts = _top_level_split(value)
        k = max(1, _leading_names(parts))
        authors, title_parts, i = " et ".join(parts[:k]), [parts[k]], k + 1
        # A title's own commas are followed by lower-case words ("La géographie, ça sert, d'abord, …");
        # a capitalised part (a place, a publisher) or a translator ends it.
        while i < len(parts) and parts[i][:1].islower() and not _CONTRIBUTOR.match(parts[i]) and \
                not re.match(r"(?:coll|p|pp|r[ée][ée]d|[ée]d|trad|vol|t)\.|\d", parts[i]):
            title_parts.append(parts[i])
            i += 1
        title, rest = ", ".join(title_parts), ", ".join(parts[i:])
    publication = _publication(rest)
    names = [n for n in _NAME_SPLIT.split(_editor_names(authors)) if n]
    return _Book(title=title.strip("«»“” ").strip(), authors=names, publisher=publication.publisher,
                 year=publication.year)


def _publication(value: str) -> _Book:
    """Publisher and year of "Paris, Gallimard, coll. « … », 1983 [1944]" or "Éditions du Seuil, 1996"."""
    year = re.search(rf"\b{_YEAR}\b", value)
    parts = _top_level_split(value.strip(" ."))
    publisher = None
    for n, part in enumerate(parts):
        part = re.sub(rf"\s*(?:\[.*|\(.*|;.*|\b{_YEAR}\b.*)$", "", part).strip(" .")
        if not part or not part[:1].isupper() or _CONTRIBUTOR.match(part) or \
                re.match(r"(?:coll|collection|ISBN|p|pp)\b", part, re.I):
            continue
        following = parts[n + 1].strip() if n + 1 < len(parts) else ""
        if re.fullmatch(r"[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-Za-zà-ÿ]+)*", part) and following[:1].isupper() and \
                not re.match(r"(?:coll|collection)\b", following, re.I):
            continue  # the place ("Paris, Gallimard")
        if len(part.split()) <= 6 and not re.search(r"\d|https?:|www\.|\*", part):
            publisher = part  # a name, not a sentence, a reference or an address
        break
    # The year goes with a publisher: "(1809-1865)" beside a name is a life, not an edition.
    return _Book(publisher=publisher, year=year.group(0) if year and publisher else None)
