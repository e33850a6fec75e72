"""Sections through ``pipeline.extract``: titles, levels, parents, kinds and spans for every heading
convention a handout uses (parts, chapters, sessions, roman/letter/decimal plans, Markdown, Setext,
keywords, PDF fonts). Slide decks are in ``test_slides.py``, the standalone lines that must *not*
become headings in ``test_heading_lines.py``.

Most bodies below are preceded by a title block shaped like the seed's title slide, so the first
heading of the body is where a real handout's first heading is. All names are invented.
"""

from __future__ import annotations

import re

import pytest

import pipeline
from tests.outlines import HEADER, NO_NLP, P, assert_section_spans, extract, outline


# --------------------------------------------------------------------------------------------------
# Outlines: (text, [(title, level, parent title), ...])
# --------------------------------------------------------------------------------------------------

OUTLINES = [
    # Parts and chapters with no title block at all: the first line is a heading, not a course name.
    pytest.param(f"Partie 1 : Les origines\n\nChapitre 1 : Le début\n\n{P}\n\nChapitre 2 : La suite\n\n{P}\n\n"
                 f"Partie 2 : La fin\n\nChapitre 3 : Dernier acte\n\n{P}\n",
                 [("Partie 1 : Les origines", 1, None), ("Chapitre 1 : Le début", 2, "Partie 1 : Les origines"),
                  ("Chapitre 2 : La suite", 2, "Partie 1 : Les origines"), ("Partie 2 : La fin", 1, None),
                  ("Chapitre 3 : Dernier acte", 2, "Partie 2 : La fin")], id="parts-chapters-no-title-block"),
    # Ordinal parts ("Première partie") and abbreviated chapters ("Chap. 3", no colon).
    pytest.param(f"Première partie : Les origines\n\nChap. 3 Le début\n\n{P}\n\n"
                 f"Deuxième partie : La suite\n\n{P}\n",
                 [("Première partie : Les origines", 1, None),
                  ("Chap. 3 Le début", 2, "Première partie : Les origines"),
                  ("Deuxième partie : La suite", 1, None)], id="ordinal-part-chap-abbrev"),
    # Capitalised parts with roman numbers and a dash; "Chapitre premier".
    pytest.param(HEADER + f"PARTIE I – Les origines\n\n{P}\n\nChapitre premier : Le début\n\n{P}\n\n"
                 f"PARTIE II – La suite\n\n{P}\n",
                 [("PARTIE I – Les origines", 1, None), ("Chapitre premier : Le début", 2, "PARTIE I – Les origines"),
                  ("PARTIE II – La suite", 1, None)], id="part-roman-number"),
    # A chapter never holds a part, whichever comes first in the handout.
    pytest.param(HEADER + f"Chapitre 1 : Avant\n\n{P}\n\nPartie 2 : Après\n\nChapitre 2 : Dedans\n\n{P}\n",
                 [("Chapitre 1 : Avant", 1, None), ("Partie 2 : Après", 1, None),
                  ("Chapitre 2 : Dedans", 2, "Partie 2 : Après")], id="chapter-then-part"),
    # Sessions are siblings; a roman plan restarts under each.
    pytest.param(f"Séance 1 : Introduction générale\n\nI. Le don\n\n{P}\n\nII. Le contre-don\n\n{P}\n\n"
                 f"Séance 2 : Méthodes\n\nI. La dette\n\n{P}\n",
                 [("Séance 1 : Introduction générale", 1, None), ("I. Le don", 2, "Séance 1 : Introduction générale"),
                  ("II. Le contre-don", 2, "Séance 1 : Introduction générale"), ("Séance 2 : Méthodes", 1, None),
                  ("I. La dette", 2, "Séance 2 : Méthodes")], id="sessions"),
    # Introduction … I. (A, B) … II. … Conclusion: the keywords are siblings of the roman headings.
    pytest.param(HEADER + f"Introduction\n\n{P}\n\nI. L'attente organisée\n\nA) Un fait générateur\n\n{P}\n\n"
                 f"B) Une révolution lente\n\n{P}\n\nII. Les dangers de l'attente\n\nA) La file\n\n{P}\n\n"
                 f"Conclusion\n\n{P}\n",
                 [("Introduction", 1, None), ("I. L'attente organisée", 1, None),
                  ("A) Un fait générateur", 2, "I. L'attente organisée"),
                  ("B) Une révolution lente", 2, "I. L'attente organisée"),
                  ("II. Les dangers de l'attente", 1, None), ("A) La file", 2, "II. Les dangers de l'attente"),
                  ("Conclusion", 1, None)], id="intro-roman-letters-conclusion"),
    # Same, with no title block: "Introduction" as the very first line still opens the body.
    pytest.param(f"Introduction\n\n{P}\n\nI. Premier temps\n\n{P}\n\nII. Second temps\n\n{P}\n\nConclusion\n\n{P}\n",
                 [("Introduction", 1, None), ("I. Premier temps", 1, None), ("II. Second temps", 1, None),
                  ("Conclusion", 1, None)], id="intro-first-line"),
    # Keyword variants: "Introduction générale", "Conclusion : subtitle", and bold markup.
    pytest.param(HEADER + f"**Introduction générale**\n\n{P}\n\n**I. Premier temps**\n\n{P}\n\n"
                 f"**II. Second temps**\n\n{P}\n\nConclusion : une lecture actuelle\n\n{P}\n",
                 [("Introduction générale", 1, None), ("I. Premier temps", 1, None), ("II. Second temps", 1, None),
                  ("Conclusion : une lecture actuelle", 1, None)], id="keywords-bold-and-subtitled"),
    # The full French plan: I. / A. / 1. / a), and the other separators "II -" and "III/".
    pytest.param(HEADER + f"I. Premier temps\n\nA. Un fait\n\n1. Un détail\n\na) Un point précis\n\n{P}\n\n"
                 f"b) Un autre point\n\n{P}\n\nB. Un autre fait\n\n{P}\n\nII - Second temps\n\n{P}\n\n"
                 f"III/ Troisième temps\n\n{P}\n",
                 [("I. Premier temps", 1, None), ("A. Un fait", 2, "I. Premier temps"),
                  ("1. Un détail", 3, "A. Un fait"), ("a) Un point précis", 4, "1. Un détail"),
                  ("b) Un autre point", 4, "1. Un détail"), ("B. Un autre fait", 2, "I. Premier temps"),
                  ("II - Second temps", 1, None), ("III/ Troisième temps", 1, None)], id="french-plan-4-levels"),
    # Decimal numbering: depth from the number of dots. "1." reads as a list marker to the layout,
    # yet alone between blank lines it is a heading.
    pytest.param(HEADER + f"1. Premier point\n\n{P}\n\n1.1 Sous-point\n\n{P}\n\n1.1.1 Détail\n\n{P}\n\n"
                 f"1.2 Autre sous-point\n\n{P}\n\n2. Deuxième point\n\n{P}\n",
                 [("1. Premier point", 1, None), ("1.1 Sous-point", 2, "1. Premier point"),
                  ("1.1.1 Détail", 3, "1.1 Sous-point"), ("1.2 Autre sous-point", 2, "1. Premier point"),
                  ("2. Deuxième point", 1, None)], id="decimal"),
    pytest.param(HEADER + f"1) Premier point\n\n{P}\n\n2) Second point\n\n{P}\n",
                 [("1) Premier point", 1, None), ("2) Second point", 1, None)], id="decimal-paren"),
    # Decimal numbering with no title block: "1." first in the document is already a heading.
    pytest.param(f"1. Premier point\n\n{P}\n\n2. Deuxième point\n\n{P}\n",
                 [("1. Premier point", 1, None), ("2. Deuxième point", 1, None)], id="decimal-first-line"),
    # Markdown: levels from the number of '#'.
    pytest.param(f"# Les Machines patientes\n\n## Le terrain\n\n{P}\n\n### Une usine\n\n{P}\n\n"
                 f"## Les résultats\n\n{P}\n",
                 [("Les Machines patientes", 1, None), ("Le terrain", 2, "Les Machines patientes"),
                  ("Une usine", 3, "Le terrain"), ("Les résultats", 2, "Les Machines patientes")], id="markdown"),
    # Markdown without a '#' title: '##' is the top level; numbering in the heading is kept.
    pytest.param(f"## I. Premier\n\n{P}\n\n### A) Sous-partie\n\n{P}\n\n## II. Second\n\n{P}\n",
                 [("I. Premier", 1, None), ("A) Sous-partie", 2, "I. Premier"), ("II. Second", 1, None)],
                 id="markdown-no-h1"),
    # A plain "Introduction" line inside a Markdown handout nests in the current '#' section, and the
    # next '##' closes it (plain ranks never outrank '#' levels).
    pytest.param(f"# Les Machines patientes\n\nIntroduction\n\n{P}\n\n## Le terrain\n\n{P}\n",
                 [("Les Machines patientes", 1, None), ("Introduction", 2, "Les Machines patientes"),
                  ("Le terrain", 2, "Les Machines patientes")], id="markdown-with-plain-keyword"),
    # In a Markdown handout short standalone lines are paragraphs, not slide titles; a "Note : …"
    # remark is no keyword heading either (it used to swallow every later section).
    pytest.param(f"# Titre\n\n## A\n\nUne ligne courte\n\n{P}\n\n"
                 "Note : Toute la thèse du livre repose sur la question de la croyance ?\n\n"
                 f"## B\n\n{P}\n",
                 [("Titre", 1, None), ("A", 2, "Titre"), ("B", 2, "Titre")], id="markdown-no-slides-no-note"),
]


# Conventions of handouts nobody tuned to (issue 13). Every example is invented.
OUTLINES += [
    # Setext underlines in a plain-text file: "====" is level 1, "----" level 2; the underline is
    # no part of the title.
    pytest.param(HEADER + f"LE CADRE\n========\n\n{P}\n\nLes acteurs\n-----------\n\n{P}\n\n"
                 f"LA MÉTHODE\n==========\n\n{P}\n",
                 [("LE CADRE", 1, None), ("Les acteurs", 2, "LE CADRE"), ("LA MÉTHODE", 1, None)], id="setext"),
    # Setext underlines shorter or longer than the title, with trailing spaces: still underlines.
    pytest.param(f"Les files d'attente\n===\n\n{P}\n\nDans les gares\n---------------------  \n\n{P}\n",
                 [("Les files d'attente", 1, None), ("Dans les gares", 2, "Les files d'attente")],
                 id="setext-uneven-underlines"),
    # "---" under the last line of a paragraph separates; it underlines nothing.
    pytest.param(HEADER + f"Le terrain\n\n{P}\nUne dernière ligne du paragraphe\n---\n\nLes résultats\n\n{P}\n",
                 [("Le terrain", 1, None), ("Les résultats", 1, None)], id="dashes-after-paragraph"),
    # A sentence right above "---" is closed by a separator: Setext needs a title-like line.
    pytest.param(HEADER + f"Le terrain\n\n{P}\n\nOn retiendra surtout la méthode.\n---\n\nLes résultats\n\n{P}\n",
                 [("Le terrain", 1, None), ("Les résultats", 1, None)], id="sentence-over-separator"),
    # "1 – " / "1.1 – " numbering (a dash after the number); "2 –" after "1.1" closes it.
    pytest.param(HEADER + f"1 – Le cadre\n\n{P}\n\n1.1 – Les lieux\n\n{P}\n\n2 – Les usagers\n\n{P}\n",
                 [("1 – Le cadre", 1, None), ("1.1 – Les lieux", 2, "1 – Le cadre"), ("2 – Les usagers", 1, None)],
                 id="decimal-dash"),
    # "1)" under "1." is a second scheme, one level down; "2." closes it.
    pytest.param(HEADER + f"1. Le cadre\n\n{P}\n\n1) Un détail\n\n{P}\n\n2) Un autre détail\n\n{P}\n\n"
                 f"2. La suite\n\n{P}\n",
                 [("1. Le cadre", 1, None), ("1) Un détail", 2, "1. Le cadre"), ("2) Un autre détail", 2, "1. Le cadre"),
                  ("2. La suite", 1, None)], id="decimal-paren-under-dot"),
    pytest.param(HEADER + f"1.1 Les lieux\n\n{P}\n\n2. Les usagers\n\n{P}\n",
                 [("1.1 Les lieux", 1, None), ("2. Les usagers", 1, None)], id="decimal-fewer-dots-closes"),
    # A label and its number ("Texte 1 – …", "Axe 2 : …") repeated: a scheme one level under parts.
    pytest.param(HEADER + f"Partie 1 : Le guichet\n\nTexte 1 – Jeanne Morel, «Attendre son tour»\n\n{P}\n\n"
                 f"Texte 2 – Paul Aubry, «La salle des pas perdus»\n\n{P}\n\nPartie 2 : La file\n\n"
                 f"Texte 3 – Léa Vidal, «Le ticket»\n\n{P}\n",
                 [("Partie 1 : Le guichet", 1, None),
                  ("Texte 1 – Jeanne Morel, «Attendre son tour»", 2, "Partie 1 : Le guichet"),
                  ("Texte 2 – Paul Aubry, «La salle des pas perdus»", 2, "Partie 1 : Le guichet"),
                  ("Partie 2 : La file", 1, None), ("Texte 3 – Léa Vidal, «Le ticket»", 2, "Partie 2 : La file")],
                 id="label-numbering-under-parts"),
    pytest.param(HEADER + f"Axe 1 : le temps subi\n\n{P}\n\nAxe 2 : le temps choisi\n\n{P}\n",
                 [("Axe 1 : le temps subi", 1, None), ("Axe 2 : le temps choisi", 1, None)], id="label-axes"),
    # Headings in capitals, a capitals keyword with a subtitle after a colon (no "LABEL : value"
    # field), and a bare keyword right above its entries with no blank line.
    pytest.param(HEADER + f"INTRODUCTION\n\n{P}\n\nPREMIÈRE PARTIE – LE CADRE\n\n{P}\n\n"
                 f"CONCLUSION : UNE LECTURE ACTUELLE\n\n{P}\n\nBibliographie\nMorel J., Attendre, Paris, 2001.\n"
                 "Aubry P., Les Files, Lyon, 2010.\n",
                 [("INTRODUCTION", 1, None), ("PREMIÈRE PARTIE – LE CADRE", 1, None),
                  ("CONCLUSION : UNE LECTURE ACTUELLE", 1, None), ("Bibliographie", 1, None)], id="capitals"),
    # Emoji and dingbats do not decide what a heading is (Unicode categories, not a list): the
    # keyword under "📌" is a keyword, the roman plan under "✦" a roman plan. Titles keep them.
    pytest.param(HEADER + f"📌 Introduction\n\n{P}\n\nI. ✦ Le cadre ✦\n\n{P}\n\nII. 🧭 Les repères\n\n{P}\n\n"
                 f"★ Conclusion\n\n{P}\n",
                 [("📌 Introduction", 1, None), ("I. ✦ Le cadre ✦", 1, None), ("II. 🧭 Les repères", 1, None),
                  ("★ Conclusion", 1, None)], id="emoji-decoration"),
    # Markdown footnote calls leave the title.
    pytest.param(f"# Notes\n\n## L'avarice[^3]\n\n{P}\n\n[^3]: Une note.\n",
                 [("Notes", 1, None), ("L'avarice", 2, "Notes")], id="markdown-footnote-call"),
    # HTML in a Markdown note: <h2> is a level-2 heading; a whole line in <b> under "# Titre" heads
    # a part of it, like a "##".
    pytest.param(f"# Les files d'attente\n\n<div align=\"left\">\n<b> ⏳ Une attente organisée</b>\n</div>\n\n{P}\n\n"
                 f"<h2>Les usagers</h2>\n\n{P}\n\n## Références\n\n{P}\n",
                 [("Les files d'attente", 1, None), ("⏳ Une attente organisée", 2, "Les files d'attente"),
                  ("Les usagers", 2, "Les files d'attente"), ("Références", 2, "Les files d'attente")],
                 id="html-headings"),
    # A bold page marker or field is no heading, in HTML as in plain text.
    pytest.param(f"# Les files d'attente\n\n<b>P. 12</b>\n\n{P}\n\n<strong>Source : enquête 2021</strong>\n\n{P}\n",
                 [("Les files d'attente", 1, None)], id="html-bold-page-marker"),
    # A note whose title block is at its end: its first line is its first question heading.
    pytest.param(f"Pourquoi attend-on si longtemps ?\n\n{P}\n\nQui fait attendre ?\n\n{P}\n\n"
                 f"Que faire de l'attente ?\n\n{P}\n\n—\n\nNote de lecture rédigée par Jeanne Morel\n"
                 "Cours : Sociologie du temps\n",
                 [("Pourquoi attend-on si longtemps ?", 1, None), ("Qui fait attendre ?", 1, None),
                  ("Que faire de l'attente ?", 1, None)], id="first-line-question"),
    # A title wrapped over two lines is one heading: the continuation starts in lower case, or
    # the first line ends on a word a title cannot end on, or both lines are in capitals.
    pytest.param(HEADER + f"Chapitre 2 – Les années d'attente\net la longue patience des usagers\n\n{P}\n\n"
                 f"DEUXIÈME PARTIE – LES SALLES ET\nLES GUICHETS\n\nChapitre 3 – Une histoire de la\n"
                 f"File indienne\n\n{P}\n",
                 [("Chapitre 2 – Les années d'attente et la longue patience des usagers", 1, None),
                  ("DEUXIÈME PARTIE – LES SALLES ET LES GUICHETS", 1, None),
                  ("Chapitre 3 – Une histoire de la File indienne", 2, "DEUXIÈME PARTIE – LES SALLES ET LES GUICHETS")],
                 id="wrapped-titles"),
    # Word's plain-text export: one paragraph per line, no blank line between them. Headings are
    # lines of the same block, taken when the line before ends a sentence. (Where such a text's
    # title block ends is the metadata stage's business: this one has none.)
    pytest.param(f"Introduction\n{P}\n{P}\nI. Le premier temps\n{P}\nA) Un détail\n{P}\n"
                 f"II. Le second temps\n{P}\nConclusion\n{P}\n",
                 [("Introduction", 1, None), ("I. Le premier temps", 1, None),
                  ("A) Un détail", 2, "I. Le premier temps"), ("II. Le second temps", 1, None),
                  ("Conclusion", 1, None)], id="word-export-single-line-breaks"),
    # A hard-wrapped paragraph whose line happens to start with "II." after an unfinished line,
    # and "b) …" enumerating inside a paragraph: no headings.
    pytest.param(HEADER + f"Le terrain\n\nComme le montre la partie\nII. de l'ouvrage, la file est un ordre.\n"
                 f"On distingue deux cas.\nb) le guichet\n{P}\n\nLes résultats\n\n{P}\n",
                 [("Le terrain", 1, None), ("Les résultats", 1, None)], id="wrapped-paragraph-not-split"),
    # Setext underlines under numbered headings (the "1." is no list marker there).
    pytest.param(f"1. Introduction\n===============\n\n{P}\n\n1.1 Le cadre\n------------\n\n{P}\n\n"
                 f"2. La suite\n===========\n\n{P}\n",
                 [("1. Introduction", 1, None), ("1.1 Le cadre", 2, "1. Introduction"), ("2. La suite", 1, None)],
                 id="setext-numbered"),
    # Two years in a row are a period of history in a slide title, not a school year.
    pytest.param(HEADER + f"La crise de 1929-1933\n\n{P}\n\nLa pandémie de 2020-2021\n\n{P}\n",
                 [("La crise de 1929-1933", 1, None), ("La pandémie de 2020-2021", 1, None)], id="years-in-titles"),
    # A note with its title block at the end, one line per paragraph: the lines are no headings.
    pytest.param(f"Pourquoi attend-on ?\n\n{P}\n\nQui fait attendre ?\n\n{P}\n\n—\n\n"
                 "Fiche de lecture réalisée par Jeanne Morel\n\nCours : Sociologie du temps\n\n"
                 "L2 Sociologie – Université de Tours\n\nRendu le 3 avril 2025\n",
                 [("Pourquoi attend-on ?", 1, None), ("Qui fait attendre ?", 1, None)], id="title-block-at-end"),
    # A glossary: "Terme (english) : définition" lines are entries under "Lexique", not headings.
    pytest.param(HEADER + f"Le terrain\n\n{P}\n\nLexique\n\nAttente (waiting) : temps passé sans agir\n\n"
                 "File (queue) : ordre des arrivants\n\nGuichet : lieu où l'on est servi\n",
                 [("Le terrain", 1, None), ("Lexique", 1, None)], id="glossary-entries"),
]


@pytest.mark.parametrize("text, expected", OUTLINES)
def test_outline(text, expected):
    handout = extract(text)
    assert outline(handout) == expected
    assert_section_spans(handout)


# --------------------------------------------------------------------------------------------------
# Kinds and numbers: (heading line as written, kind, number)
# --------------------------------------------------------------------------------------------------

KINDS = [
    ("Partie 2 : Trois types d'attente", "part", "2"),
    ("Première partie : Les origines", "part", "Première"),
    ("PARTIE III – Horizons", "part", "III"),
    ("Chapitre 4 : Le microtravail", "chapter", "4"),
    ("Chap. 3 Le début", "chapter", "3"),
    ("Chapitre premier : Le début", "chapter", "premier"),
    ("Séance 4 : Le don", "session", "4"),
    ("Leçon 2 - Les files", "session", "2"),
    ("II. Les dangers de l'attente", "roman", "II"),
    ("IV) La dette", "roman", "IV"),
    ("B) Une révolution lente", "letter", "B"),
    ("1.2 Autre sous-point", "decimal", "1.2"),
    ("2.1.3 Détail", "decimal", "2.1.3"),
    ("Introduction", "keyword", None),
    ("Bibliographie", "keyword", None),
    ("Pour aller plus loin", "keyword", None),
    ("Le terrain", "slide", None),
    ("1 – Le contexte", "decimal", "1"),
    ("2/ Les usagers", "decimal", "2"),  # the slash plans of student notes ("I/ … 1/ …")
    ("IIe partie : Les files", "part", "IIe"),  # a roman ordinal
    ("Ire partie – Le cadre", "part", "Ire"),
    ("📚 Bibliographie", "keyword", None),  # an emoji (So) before a keyword
    ("--- Résumé ---", "keyword", None),  # rule runs framing a keyword
    ("✦ Le terrain ✦", "slide", None),
    ("CONCLUSION : UNE LECTURE ACTUELLE", "keyword", None),
]


@pytest.mark.parametrize("heading, kind, number", KINDS)
def test_kind_and_number(heading, kind, number):
    handout = extract(HEADER + f"Avant-dernier mot\n\n{P}\n\n{heading}\n\n{P}\n")
    section = next(s for s in handout.sections if s.title == heading)
    assert (section.kind, section.number) == (kind, number)
    assert section.page is None  # text input has no pages


def test_markdown_heading_keeps_its_number():
    handout = extract(f"## II. L’espace social\n\n{P}\n\n### Chapitre 3\n\n{P}\n")
    assert [(s.kind, s.number) for s in handout.sections] == [("markdown", "II"), ("markdown", "3")]


# --------------------------------------------------------------------------------------------------
# Spans
# --------------------------------------------------------------------------------------------------


def test_parent_span_runs_over_children_to_next_sibling():
    text = f"Introduction\n\n{P}\n\nI. Premier temps\n\nA) Un fait\n\n{P}\n\nB) Un autre\n\nFin de B.\n\n\nII. Second\n\n{P}\n"
    intro, one, a, b, two = extract(text).sections
    assert text[one.span.start:one.span.end].endswith("Fin de B.")  # trailing blank lines excluded
    assert text[b.span.start:b.span.end] == "B) Un autre\n\nFin de B."
    assert text[two.span.start:two.span.end] == f"II. Second\n\n{P}"
    assert text[intro.heading_span.start:intro.heading_span.end] == "Introduction"


def test_heading_span_with_markup():
    text = f"Cours\n\n**I. Premier temps**\n\n{P}\n\n### Plus loin\n\n{P}\n"
    sections = extract(text).sections
    assert [text[s.heading_span.start:s.heading_span.end] for s in sections] == ["**I. Premier temps**",
                                                                                 "### Plus loin"]
    assert [s.title for s in sections] == ["I. Premier temps", "Plus loin"]


def test_seed_handout_outline_spans(shared):
    handout = extract(shared / "seeds" / "000_6493ecf00d1e5b16.txt")
    assert_section_spans(handout)
    titles = [s.title for s in handout.sections]
    assert titles[0] == "L'auteur" and "Antonio A. Casilli" not in titles
    assert not any("ÉCOLE" in t or t.startswith(("Source", "Figure", "DISCIPLINES")) for t in titles)


# --------------------------------------------------------------------------------------------------
# PDF headings known only by their font
# --------------------------------------------------------------------------------------------------


def _printed(text: str, sizes: dict[str, float], body: float = 10.0):
    """A Document as a PDF reader gives it: one word box per word, the lines of ``sizes`` printed
    in their heading font (a box that tall) and marked as heading hints."""
    from pipeline.document import Document
    from pipeline.models import Source

    boxes, hints, top = [], set(), 0.0
    offset = 0
    for line in text.split("\n"):
        size = sizes.get(line, body)
        if line in sizes:
            hints.add(offset)
        for m in re.finditer(r"\S+", line):
            boxes.append((offset + m.start(), offset + m.end(), 1, 50.0 + m.start() * 5, top, 60.0 + m.end() * 5,
                          top + size))
        top += size * 1.5
        offset += len(line) + 1
    source = Source(path=None, sha256="0" * 64, format="pdf", encoding=None, pages=1, size_bytes=len(text))
    return Document(text=text, source=source, page_starts=[(1, 0)], word_boxes=boxes,
                    heading_hints=frozenset(hints))


def test_pdf_headings_nest_by_font_size():
    # A LaTeX-made PDF with unnumbered \section (14 pt) and \subsection (12 pt), and the
    # bibliography in a larger chapter font: the sizes give the levels.
    sizes = {"Un livre et son époque": 14.4, "Un auteur discret": 12.0, "Une réception tardive": 12.0,
             "Ce que le livre apporte": 14.4, "Bibliographie": 24.8}
    text = "\n\n".join(f"{h}\n\n{P}" for h in sizes) + "\n"
    sections = pipeline.extract(_printed(text, sizes), **NO_NLP).sections
    assert outline(type("H", (), {"sections": sections})) == [
        ("Un livre et son époque", 1, None), ("Un auteur discret", 2, "Un livre et son époque"),
        ("Une réception tardive", 2, "Un livre et son époque"), ("Ce que le livre apporte", 1, None),
        ("Bibliographie", 1, None)]


def test_pdf_headings_of_one_size_stay_siblings():
    sizes = {"Un livre et son époque": 14.4, "Ce que le livre apporte": 14.4}
    text = "\n\n".join(f"{h}\n\n{P}" for h in sizes) + "\n"
    sections = pipeline.extract(_printed(text, sizes), **NO_NLP).sections
    assert [(s.title, s.level) for s in sections] == [("Un livre et son époque", 1), ("Ce que le livre apporte", 1)]


def test_latex_numbered_sections_in_heading_font():
    # LaTeX numbers \\section "1 Introduction" (no dot); in a heading's font that is a heading,
    # and "1.1" under it a subsection. In body text "12 ans de terrain" stays a phrase.
    sizes = {"1 Introduction": 14.4, "1.1 Le contexte": 12.0, "2 Les résultats": 14.4}
    text = "\n\n".join(f"{h}\n\n{P}" for h in sizes) + "\n\n12 ans de terrain\n\nFin.\n"
    sections = pipeline.extract(_printed(text, sizes), **NO_NLP).sections
    assert [(s.title, s.level, s.kind) for s in sections] == [
        ("1 Introduction", 1, "decimal"), ("1.1 Le contexte", 2, "decimal"), ("2 Les résultats", 1, "decimal")]


def test_pdf_heading_levels_from_the_reader_win():
    # When the PDF reader ranks heading types itself (Document.heading_levels, 1 = largest), the
    # stage follows that ranking rather than measuring the boxes again.
    sizes = {"Un livre et son époque": 12.0, "Un auteur discret": 12.0}
    text = "\n\n".join(f"{h}\n\n{P}" for h in sizes) + "\n"
    doc = _printed(text, sizes)
    doc.heading_levels = {text.index("Un livre"): 1, text.index("Un auteur"): 2}
    sections = pipeline.extract(doc, **NO_NLP).sections
    assert [(s.title, s.level) for s in sections] == [("Un livre et son époque", 1), ("Un auteur discret", 2)]
