"""People's names as a title block writes them, by their shape: capitalised words with particles and
initials ("Jeanne Doe", "Yannick Le Goff", "Antonio A. Casilli"), several joined by "et", ",", "/";
the book's editor ("sous la direction de …"). No list of names is used."""

from __future__ import annotations

import re


# A capitalised word, hyphenated parts and elided prefixes included ("Nguyen-Vasseur", "O'Donnell").
# A hyphen only between letters: an unanchored match must not stop on "Dupuis-" of "Dupuis-Léger".
_NAME_WORD = r"[A-ZÀ-Ý](?:['’][A-ZÀ-Ý])?[a-zà-ÿ'’]+(?:-[a-zà-ÿ'’]+)*"
_NAME_TOKEN = (rf"(?:{_NAME_WORD}(?:-{_NAME_WORD})*|[A-ZÀ-Ý]\.(?:[A-ZÀ-Ý][a-zà-ÿ'’-]+)?|"
               rf"[A-ZÀ-Ý]{{2,}}(?:-[A-ZÀ-Ý]{{2,}})?)")
# Lower-case particles inside names, and the Irish and Arabic capitalised ones ("Ó Súilleabháin").
_PARTICLE = r"(?:de|du|des|von|van|der|den|le|la|di|da|del|della|dos|das|do|ben|bin|ibn|el|al|zu|ter|ten|y|Ó|Ní|Nic)"
# "d'Arcy", "l'Hermite": an elided particle glued to the next word.
_NAME = re.compile(rf"^{_NAME_TOKEN}(?:\s+(?:{_PARTICLE}\s+|[dl]['’])?{_NAME_TOKEN}){{1,3}}$")
# One surname in capitals ("CHAUVIN/JOUNIN — …"): a name only where authors are expected.
_SURNAME = re.compile(r"^[A-ZÀ-Ý]{2,}(?:[- ][A-ZÀ-Ý]{2,})?$")
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|/|\bet\b|\band\b)\s*")
# Words that make a capitalised line something other than a person's name.
_NOT_NAME = re.compile(r"\b(?:[ÉE]ditions?|[ÉE]d\.|Presses?|Universit[ée]|Institut|Master|Licence|"
                       r"Sciences|Sociologie|Histoire|Philosophie|Introduction|Conclusion|Chapitre|"
                       r"Partie|Fiche|Cours|Groupe|Promo)\b", re.I)

# The book's editor is its author ("sous la direction de Pierre Nora", "Pierre Nora (dir.)").
_EDITOR = re.compile(r"^(?:sous\s+la\s+direction\s+d['’e]\s*|dirig[ée]\s+par\s+|coordonn[ée]\s+par\s+)(?P<value>.+)$"
                     r"|^(?P<before>.+?)\s*\((?:dir|dirs|coord|[ée]ds?)\.?\)\s*$", re.I)

# Civility titles ("M. Paul Roux", "Mme Claire Roux"): teachers and supervisors are written with
# them, a book's authors never are.
_CIVILITY = re.compile(r"(?:M\.|MM\.|Mme|Mmes|Mlle|Dr|Pr|Prof\.|Professeure?)\s")

# A capitalised phrase opening with an article is a title ("Les Résultats", "La Grande Attente"), never
# a person's name; the particles of names ("Yannick Le Goff") never come first.
_ARTICLE = re.compile(r"(?:le|la|les|l['’]|un|une|des|du|au|aux)(?:\s|(?<=['’]))", re.I)


def _is_names(value: str) -> bool:
    parts = [p for p in _NAME_SPLIT.split(value) if p]
    return bool(parts) and not _NOT_NAME.search(value) and \
        all(_NAME.match(p) and not _ARTICLE.match(p) for p in parts)

def _names_or_surnames(value: str) -> bool:
    parts = [p for p in re.split(r"\s*/\s*|" + _NAME_SPLIT.pattern, value) if p]
    return bool(parts) and not _NOT_NAME.search(value) and \
        all((_NAME.match(p) and not _ARTICLE.match(p)) or _SURNAME.match(p) for p in parts)

def _people(value: str) -> str:
    """The student(s) named in a field, without what follows ("Noah Lemaire – Licence 1",
    "Chloé Vasseur (groupe 2)")."""
    value = re.sub(r"\s*\([^()]*\)\s*$", "", _strip_links(value).strip())
    head = re.split(r"\s+[–—|]\s+|\s+-\s+|\s*\(", value)[0].strip(" ,;")
    return head if head and _is_names(head) else value


def _editor_names(value: str) -> str:
    m = _EDITOR.match(value.strip())
    if m:
        value = m.group("value") or m.group("before")
    return re.sub(r"\s*\((?:dir|dirs|coord|[ée]ds?)\.?\)", "", value).strip()


def _strip_links(value: str) -> str:
    """Obsidian wikilinks and Markdown links keep their text: "[[Marcel Mauss]]", "[Nom](url)"."""
    value = re.sub(r"\[\[([^\]|]+)(?:\|[^\]]*)?\]\]", r"\1", value)
    return re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", value)
