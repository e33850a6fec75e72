"""Metadata through ``pipeline.extract``: the title block read into course, presenter, period, handout
title and the book (title, subtitle, authors), with the span each field was read from.

Every person's name below is invented: the extractor recognises names by their shape and their place in
the title block, never from a list, and these tables prove it.
"""

from __future__ import annotations

import re

import pytest

import pipeline

# Metadata needs no language model: switch off the spaCy stages so the file runs in well under 10 s.
# The NLP stages are not what these tests are about, and loading spaCy would triple their time.
_NO_NLP = {"concepts": False, "entities": False}

P = ("Un paragraphe de texte suivi, qui développe longuement une idée sans jamais prétendre au "
     "statut de titre, et qui se termine comme une phrase.")
FIELDS = ("course", "presenter", "period", "title", "book.title", "book.subtitle", "book.authors",
          "book.publisher", "book.year")


def extract(text):
    return pipeline.extract(text, **_NO_NLP)


def flat(meta) -> dict:
    return {"course": meta.course, "presenter": meta.presenter, "period": meta.period, "title": meta.title,
            "book.title": meta.book.title, "book.subtitle": meta.book.subtitle, "book.authors": meta.book.authors,
            "book.publisher": meta.book.publisher, "book.year": meta.book.year}


def expect(**fields) -> dict:
    """The full expected metadata: every field not given is empty."""
    out = {name: ([] if name == "book.authors" else None) for name in FIELDS}
    out.update({name.replace("__", "."): value for name, value in fields.items()})
    return out


def _squash(text: str) -> str:
    # Whitespace-insensitive, and blind to the emphasis a value is read without
    # ("**TD : *Livre\nwrapped***" holds "TD : Livre wrapped").
    return re.sub(r"[\s*_]+", "", text)


def assert_provenance(handout) -> None:
    """Every filled field has a provenance span, and that span holds the value."""
    meta, text = handout.metadata, handout.text
    values = {k: str(v) for k, v in flat(meta).items() if k != "book.authors" and v}
    values.update({f"book.authors[{i}]": name for i, name in enumerate(meta.book.authors)})
    assert set(values) == set(meta.provenance), (sorted(values), sorted(meta.provenance))
    for field, value in values.items():
        span = meta.provenance[field]
        assert 0 <= span.start < span.end <= len(text)
        written = _squash(text[span.start:span.end])
        # Presenters named on separate lines are joined with ", ": each one is in the span.
        for part in value.split(", ") if field == "presenter" else [value]:
            assert _squash(part) in written, (field, value, text[span.start:span.end])


# --------------------------------------------------------------------------------------------------
# Title blocks: (text, expected metadata)
# --------------------------------------------------------------------------------------------------

SEED_STYLE = (
    "\n\n\n\nAnthropologie des mondes numériques\n\n"
    "Maëlys Ondrejka\n\n"
    "Avril 2025-Juin 2025\n\n"
    "**TD : *Les Machines patientes***\n\n\n\n"
    "Isidore Kervadec\n\n"
    "Les Machines patientes\n\n"
    "Petite enquête sur l'attente\n\n\n\n"
    f"L'auteur\n\n{P}\n"
)
SEED_EXPECTED = expect(course="Anthropologie des mondes numériques", presenter="Maëlys Ondrejka",
                       period="Avril 2025-Juin 2025", title="TD : Les Machines patientes",
                       book__title="Les Machines patientes", book__subtitle="Petite enquête sur l'attente",
                       book__authors=["Isidore Kervadec"])

CASES = [
    # The seed's title slide: course / presenter / period / "**TD : *Book***" / author / book / subtitle.
    pytest.param(SEED_STYLE, SEED_EXPECTED, id="seed-style"),
    # The same slide converted with wrapped lines: the TD line and the author's name break in two.
    pytest.param(SEED_STYLE.replace("*Les Machines patientes***", "*Les Machines\npatientes***")
                 .replace("Isidore Kervadec", "Isidore\nKervadec"), SEED_EXPECTED, id="seed-style-wrapped"),
    # An initial inside the author's name, split after the initial as in the seed ("Antonio A.\nCasilli").
    pytest.param(SEED_STYLE.replace("Isidore Kervadec", "Isidore B.\nKervadec"),
                 {**SEED_EXPECTED, "book.authors": ["Isidore B. Kervadec"]}, id="seed-style-initial"),
    # The first slide of the body right after the subtitle is not metadata (and not the subtitle).
    pytest.param(SEED_STYLE.replace(f"L'auteur\n\n{P}", f"Méthodes et sources\n\nUn sacré mélange !\n\n- {P}"),
                 SEED_EXPECTED, id="seed-style-first-slide"),
    # Logo residue of the title slide (one or two words per line, all capitals) is skipped, wherever
    # it stands: it neither ends the title block nor fills a field.
    pytest.param("L'ÉCOLE\nDES HAUTES\nÉTUDES EN\nSCIENCES\nSOCIALES\n\n" + SEED_STYLE, SEED_EXPECTED,
                 id="seed-style-logo-first"),
    pytest.param("UNIVERSITÉ\nPARIS NORD\n\n" + SEED_STYLE, SEED_EXPECTED, id="seed-style-two-line-logo"),
    pytest.param(SEED_STYLE.replace("Isidore Kervadec\n\n", "Isidore Kervadec\n\nL'ÉCOLE\nDES HAUTES\nÉTUDES EN\n\n"),
                 SEED_EXPECTED, id="seed-style-logo-inside"),
    # All-capital course and name lines are still a course and a name.
    pytest.param(f"SOCIOLOGIE DU TRAVAIL\n\nJEANNE MARTINEAU\n\n2024-2025\n\n{P}\n",
                 expect(course="SOCIOLOGIE DU TRAVAIL", presenter="JEANNE MARTINEAU", period="2024-2025"),
                 id="all-capitals"),
    # Labelled fields, one per paragraph.
    pytest.param("Cours : Sociologie des organisations\n\nPrésenté par : Éloïse Nguyen-Vasseur\n\n"
                 "Date : 12/03/2025\n\nOuvrage : Les Files invisibles\n\nAuteur : Gaspard Le Quéméner\n\n"
                 f"Introduction\n\n{P}\n",
                 expect(course="Sociologie des organisations", presenter="Éloïse Nguyen-Vasseur", period="12/03/2025",
                        book__title="Les Files invisibles", book__authors=["Gaspard Le Quéméner"]),
                 id="labelled-fields"),
    # Labelled fields typed one per line in a single paragraph (more than three lines), "par" without colon.
    pytest.param("Cours : Sociologie des organisations\nPrésenté par Éloïse Nguyen-Vasseur\nDate : 12/03/2025\n"
                 f"Ouvrage : Les Files invisibles\nAuteur : Gaspard Le Quéméner\n\nIntroduction\n\n{P}\n",
                 expect(course="Sociologie des organisations", presenter="Éloïse Nguyen-Vasseur", period="12/03/2025",
                        book__title="Les Files invisibles", book__authors=["Gaspard Le Quéméner"]),
                 id="labelled-fields-one-block"),
    # Other label spellings: "Titre du cours", "Nom", "Séminaire", "Livre", "Auteurs" with two names.
    pytest.param("Titre du cours : Sociologie urbaine\n\nNom : Ysaline Moreau-Kerbrat\n\n"
                 "Livre : La Ville en attente\n\nAuteurs : Olympe Vautrin et Anselme K. Draguignan\n\n"
                 f"Année universitaire 2024-2025\n\n{P}\n",
                 expect(course="Sociologie urbaine", presenter="Ysaline Moreau-Kerbrat",
                        period="Année universitaire 2024-2025", book__title="La Ville en attente",
                        book__authors=["Olympe Vautrin", "Anselme K. Draguignan"]), id="labelled-variants"),
    # "Cours de …" is a course name, not the label "Cours" (a label needs its colon); "Exposé de X"
    # names the presenter.
    pytest.param(f"Cours de sociologie urbaine\n\nExposé de Ysaline Moreau-Kerbrat\n\nPrintemps 2025\n\n{P}\n",
                 expect(course="Cours de sociologie urbaine", presenter="Ysaline Moreau-Kerbrat",
                        period="Printemps 2025"), id="course-without-label"),
    # A typed title block with no blank lines: one field per line ("Exposé de …" on the second).
    pytest.param("Histoire des techniques\nExposé de Camille Ferrandou-Lestrade\nSemestre 2, 2024-2025\n\n"
                 f"Fiche de lecture : *Le Temps des guichets*\n\nAurore de Kerdrel-Vasquez\n\nIntroduction\n\n{P}\n",
                 expect(course="Histoire des techniques", presenter="Camille Ferrandou-Lestrade",
                        period="Semestre 2, 2024-2025", title="Fiche de lecture : Le Temps des guichets",
                        book__title="Le Temps des guichets", book__authors=["Aurore de Kerdrel-Vasquez"]),
                 id="typed-block-one-field-per-line"),
    # Several authors on one line after the handout title, joined by "et"; the last title-block line
    # before the first paragraph is kept when it reads as a field (here, names).
    pytest.param("Histoire des techniques\n\nTimothée Barbaroux\n\nSemestre 2, 2024-2025\n\n"
                 f"Fiche de lecture : « Le Temps des guichets »\n\nOlympe Vautrin et Anselme K. Draguignan\n\n{P}\n",
                 expect(course="Histoire des techniques", presenter="Timothée Barbaroux", period="Semestre 2, 2024-2025",
                        title="Fiche de lecture : « Le Temps des guichets »", book__title="Le Temps des guichets",
                        book__authors=["Olympe Vautrin", "Anselme K. Draguignan"]), id="two-authors-et"),
    # Three authors with a comma and "&".
    pytest.param("Sociologie urbaine\n\nYsaline Moreau\n\nTD : *Le Marché des heures*\n\n"
                 f"Olympe Vautrin, Anselme K. Draguignan & Léontine Abgrall\n\nIntroduction\n\n{P}\n",
                 expect(course="Sociologie urbaine", presenter="Ysaline Moreau", title="TD : Le Marché des heures",
                        book__title="Le Marché des heures",
                        book__authors=["Olympe Vautrin", "Anselme K. Draguignan", "Léontine Abgrall"]),
                 id="three-authors"),
    # A handout title without emphasis: once names follow it, the title minus "TD :" is the book.
    pytest.param("Sociologie urbaine\n\nYsaline Moreau-Kerbrat\n\nAvril 2025-Juin 2025\n\nTD : Le Marché des heures\n\n"
                 f"Ferdinand Oyelaran\n\nIntroduction\n\n{P}\n",
                 expect(course="Sociologie urbaine", presenter="Ysaline Moreau-Kerbrat", period="Avril 2025-Juin 2025",
                        title="TD : Le Marché des heures", book__title="Le Marché des heures",
                        book__authors=["Ferdinand Oyelaran"]), id="title-without-emphasis"),
    # Two presenters on two lines of one paragraph, before the handout title.
    pytest.param(f"Sociologie urbaine\n\nYsaline Moreau\nTanguy Abgrall\n\nTD : *Le Marché des heures*\n\n{P}\n",
                 expect(course="Sociologie urbaine", presenter="Ysaline Moreau, Tanguy Abgrall",
                        title="TD : Le Marché des heures", book__title="Le Marché des heures"), id="two-presenters"),
    # Name shapes: elided prefix and hyphen, all-capital surname, particle inside the name.
    pytest.param("Sociologie urbaine\n\nYsaline MOREAU-KERBRAT\n\nLe 12 mars 2025\n\nTD : *Le Marché des heures*\n\n"
                 f"Ferdinand O'Donnell-Sy\n\n{P}\n",
                 expect(course="Sociologie urbaine", presenter="Ysaline MOREAU-KERBRAT", period="Le 12 mars 2025",
                        title="TD : Le Marché des heures", book__title="Le Marché des heures",
                        book__authors=["Ferdinand O'Donnell-Sy"]), id="name-shapes"),
    # YAML front matter: title / subtitle / author (the notes' author: no ISBN) / date.
    pytest.param("---\ntitle: Les Guichets du soir\nsubtitle: Une ethnographie de l'attente\n"
                 f"author: Bérénice Quillevéré\ndate: 2025-04-02\n---\n\n# Les Guichets du soir\n\n{P}\n",
                 expect(title="Les Guichets du soir", presenter="Bérénice Quillevéré", period="2025-04-02",
                        book__title="Les Guichets du soir", book__subtitle="Une ethnographie de l'attente"),
                 id="yaml-front-matter"),
    # YAML quoting around the whole value is dropped; quotes inside it name the book.
    pytest.param("---\ntitle: 'Sur \"Le Marché des heures\"'\nauthor: \"Tanguy Abgrall\"\ndate: 2023-01-05\n---\n\n"
                 f"{P}\n",
                 expect(title='Sur "Le Marché des heures"', presenter="Tanguy Abgrall", period="2023-01-05",
                        book__title="Le Marché des heures"), id="yaml-quoted-values"),
    pytest.param(f'---\ntitle: Sur "Le Marché des heures"\nauthor: Tanguy Abgrall\n---\n\n{P}\n',
                 expect(title='Sur "Le Marché des heures"', presenter="Tanguy Abgrall",
                        book__title="Le Marché des heures"), id="yaml-inner-quotes"),
    # Pelican-style "key: value" header without fences; with an ISBN the author wrote the book.
    pytest.param("title: Les Guichets du soir\nauthor: Bérénice Quillevéré\nisbn: 978-2-0000-0000-0\n"
                 f"subtitle: Une ethnographie de l'attente\nread_on: 2024/11\n\n> {P} [attente, p. 12]\n",
                 expect(title="Les Guichets du soir", period="2024/11", book__title="Les Guichets du soir",
                        book__subtitle="Une ethnographie de l'attente", book__authors=["Bérénice Quillevéré"]),
                 id="pelican-header"),
    # Front matter title, then the book's author and its publisher as the first body lines.
    pytest.param("---\ntitle: La Patience des foules\ntags:\n  - socio\n---\n\n"
                 f"Ferdinand Oyelaran\nÉditions du Pré-aux-Clercs, 1998\n\n## Première partie\n\n{P}\n",
                 expect(title="La Patience des foules", book__title="La Patience des foules",
                        book__authors=["Ferdinand Oyelaran"], book__publisher="Éditions du Pré-aux-Clercs",
                        book__year=1998), id="front-matter-then-author-publisher"),
    # A Markdown "# Title" first line titles the handout.
    pytest.param(f"# Les Guichets du soir\n\n{P}\n", expect(title="Les Guichets du soir"), id="markdown-title"),
    pytest.param(f"# Fiche de lecture : *Les Guichets du soir*\n\nPrésentée par Aurèle Tchakounté\n\n## Introduction\n\n{P}\n",
                 expect(title="Fiche de lecture : Les Guichets du soir", book__title="Les Guichets du soir",
                        presenter="Aurèle Tchakounté"), id="markdown-title-with-book"),
    # A course code under the book's title is the course, not the book's subtitle (a real LaTeX
    # reading note: title, book, "SC22", student, date).
    pytest.param("Fiche de lecture\n\nLes Guichets du soir\n\nSC22\n\n22 mai 2017\n\n"
                 f"Source : https://exemple.org/guichets\n\n{P}\n",
                 expect(title="Fiche de lecture", book__title="Les Guichets du soir", course="SC22",
                        period="22 mai 2017"), id="course-code"),
    # A stray lower-case word under the title ("ngrams" in a real note) is no book title.
    pytest.param(f"# Données et statistique \n\nngrams\n\n{P}\n", expect(title="Données et statistique"),
                 id="markdown-title-stray-word"),
    # Only a level-1 "# Title" titles the handout: a first "##" heading is already a section.
    pytest.param(f"## Le terrain\n\n{P}\n", expect(), id="markdown-h2-first"),
    # Under a front-matter title, the first heading opens the body: a bold thesis sentence below it is
    # body text, not the book's title; an "Auteur :" line near the top of the notes names the book's
    # author, and then the note's title is the book's.
    pytest.param("---\ntitle: \"Les Guichets du soir\"\ndate: 2022-07-24\n---\n\n## 2022-07-24 - Introduction\n"
                 "**Thèse : Les guichets induisent différentes transformations de l'attente.**\n\n"
                 f"Auteur : Bérénice Quillevéré\n\n{P}\n",
                 expect(title="Les Guichets du soir", period="2022-07-24", book__title="Les Guichets du soir",
                        book__authors=["Bérénice Quillevéré"]), id="front-matter-then-heading"),
    # No title block at all: the body starts with its first heading.
    pytest.param(f"Introduction\n\n{P}\n\nI. Premier temps\n\n{P}\n", expect(), id="no-title-block"),
    pytest.param(f"Partie 1 : Les origines\n\n{P}\n", expect(), id="no-title-block-part"),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_metadata(text, expected):
    handout = extract(text)
    assert flat(handout.metadata) == expected
    assert_provenance(handout)


# --------------------------------------------------------------------------------------------------
# Periods, in the seed's slot of the title block: (line as written, period)
# --------------------------------------------------------------------------------------------------

PERIODS = [
    "Semestre 2, 2024-2025",
    "12/03/2025",
    "12.03.2025",
    "Avril 2025-Juin 2025",
    "Avril 2025 – Juin 2025",
    "Année universitaire 2024-2025",
    "Printemps 2025",
    "Le 12 mars 2025",
    "08 mai 2023",
    "Mars 2025",
    "2024-2025",
    "S2 2024-2025",
    "Date : 12/03/2025",
    "Période : janvier-avril 2025",
]


@pytest.mark.parametrize("line", PERIODS)
def test_period(line):
    handout = extract(SEED_STYLE.replace("Avril 2025-Juin 2025", line))
    expected = re.sub(r"^(?:Date|Période) : ", "", line)
    assert flat(handout.metadata) == {**SEED_EXPECTED, "period": expected}
    assert_provenance(handout)


# --------------------------------------------------------------------------------------------------
# Names: any capitalised name in the presenter / author slots, none of them known in advance.
# --------------------------------------------------------------------------------------------------

NAMES = [
    "Zéphyrin Abgrall-Oyelaran",
    "Kwabena Ndiaye",
    "Ingrid Ó Súilleabháin",
    "Jean-Baptiste de La Roncière",
    "Yannick Le Goff",
    "Aïcha Ben Salem",
    "Olga VON STRASSBURG",
    "Thi Hoa Nguyen",
    "Élodie d'Arcy",
]


@pytest.mark.parametrize("name", NAMES)
def test_invented_names_in_both_slots(name):
    author = "Anselme K. Draguignan"
    text = SEED_STYLE.replace("Maëlys Ondrejka", name).replace("Isidore Kervadec", author)
    meta = extract(text).metadata
    assert (meta.presenter, meta.book.authors) == (name, [author])
    text = SEED_STYLE.replace("Isidore Kervadec", name)
    meta = extract(text).metadata
    assert (meta.presenter, meta.book.authors) == ("Maëlys Ondrejka", [name])


# Capitalised lines that are not names: an article first, or an institution word.
NOT_NAMES = [
    "Les Résultats",
    "La Grande Attente",
    "Université Paris Nord",
    "Éditions du Seuil",
]


@pytest.mark.parametrize("line", NOT_NAMES)
def test_capitalised_lines_that_are_not_names(line):
    text = f"Sociologie urbaine\n\n{line}\n\nTD : *Le Marché des heures*\n\n{P}\n"
    meta = extract(text).metadata
    assert meta.presenter is None and meta.book.authors == []


def test_seed_metadata_provenance(shared):
    handout = extract(shared / "seeds" / "000_6493ecf00d1e5b16.txt")
    meta = handout.metadata
    assert (meta.course, meta.presenter, meta.period) == ("Sociologie du numérique contemporain", "Cyprien Vanhuyse",
                                                         "Avril 2025-Juin 2025")
    assert (meta.book.title, meta.book.subtitle, meta.book.authors) == (
        "En attendant les robots", "Enquête sur le travail du clic", ["Antonio A. Casilli"])
    assert_provenance(handout)


# --------------------------------------------------------------------------------------------------
# Conventions of typed title blocks, bibliographic lines, front matter and notes (issue 13).
# Every name, course and book below is invented.
# --------------------------------------------------------------------------------------------------

TYPED_BLOCK = (
    "Université de Quimperlé – UFR de Sociologie\n"
    "Licence 2 de sociologie – Semestre 3\n"
    "UE : Sociologie de la famille\n"
    "Enseignante : Mme Odile Carrasco\n"
    "TD n° 2 – Groupe 5\n\n"
    "Fiche de lecture réalisée par Maëlle Kerjean et Sacha Ribeiro\n"
    "Date : 04/02/2025\n\n"
    "Héloïse Marchand et Tiago Ferreira, Les Cuisines partagées. Enquête sur les repas de quartier, "
    "traduit du portugais par Anne Delorme, Lyon, Éditions du Chardon, 2011 [éd. originale : "
    "As cozinhas, 2008].\n\n\n"
    f"1) Le terrain\n\n{P}\n"
)
TYPED_EXPECTED = expect(course="Sociologie de la famille", presenter="Maëlle Kerjean et Sacha Ribeiro",
                        period="04/02/2025", title="TD n° 2 – Groupe 5", book__title="Les Cuisines partagées",
                        book__subtitle="Enquête sur les repas de quartier",
                        book__authors=["Héloïse Marchand", "Tiago Ferreira"], book__publisher="Éditions du Chardon",
                        book__year=2011)

CONVENTIONS = [
    # A Word title block typed with no blank line: university and degree lines fill nothing, the
    # teacher is never the presenter, "Semestre 3" without a year gives way to the dated field, and
    # the book line "Authors, Title. Subtitle, translator, Place, Publisher, year" is cut into its
    # parts (the translator is not an author; the bracketed original edition is not the year).
    pytest.param(TYPED_BLOCK, TYPED_EXPECTED, id="typed-block-book-line"),
    # The same with CRLF line ends (a Word export).
    pytest.param(TYPED_BLOCK.replace("\n", "\r\n"), TYPED_EXPECTED, id="typed-block-crlf"),
    # Markdown bold labels ("**Cours :** …"), the book line with the title in italics and two
    # authors joined by "&".
    pytest.param("**Cours :** Sociologie des marchés\n**Présenté par :** Ana Duval\n**Date :** 3 mars 2025\n"
                 "**Ouvrage :** Romain Tessier & Lou Maréchal, *Le Prix des choses. Essai sur la valeur*, "
                 f"Paris, Éditions du Pavé, 2019\n\n## Introduction\n\n{P}\n",
                 expect(course="Sociologie des marchés", presenter="Ana Duval", period="3 mars 2025",
                        book__title="Le Prix des choses", book__subtitle="Essai sur la valeur",
                        book__authors=["Romain Tessier", "Lou Maréchal"], book__publisher="Éditions du Pavé",
                        book__year=2019), id="markdown-bold-labels"),
    # An exposé: "Séminaire :", a teacher, a semester with its academic year (the only date), a label
    # line in capitals, "Présenté par A et B", the book line naming a preface writer.
    pytest.param("Séminaire : Philosophie de la technique\nEnseignant : M. Paul Rivière\nSemestre 1 – 2024-2025\n\n"
                 "EXPOSÉ\nPrésenté par Jules Amrani et Nadia Fontaine\n\n"
                 "Irène Valcourt, La Main et l'outil, préface de Marc Doucet, Paris, Aubier, 1999.\n\n"
                 f"Introduction\n\n{P}\n",
                 expect(course="Philosophie de la technique", presenter="Jules Amrani et Nadia Fontaine",
                        period="Semestre 1 – 2024-2025", title="EXPOSÉ", book__title="La Main et l'outil",
                        book__authors=["Irène Valcourt"], book__publisher="Aubier", book__year=1999),
                 id="expose-semester-preface"),
    # An edited volume: the title in capitals over "sous la direction de …" (the editor is the
    # author) and a volume line that is no subtitle; a dossier's session line is not the course.
    pytest.param("Master 1 Histoire – Université de Vannes\nCours : Histoire des frontières\n"
                 "Séance 4 – Dossier de lecture\nRédigé par Lucie Tanguy\nAnnée universitaire 2024-2025\n\n\n"
                 "LES PORTS DE L'OUEST\nsous la direction de Bastien Le Roux\nTome II : Les quais\n\n"
                 f"Partie 1 : Les archives\n\n{P}\n",
                 expect(course="Histoire des frontières", presenter="Lucie Tanguy",
                        period="Année universitaire 2024-2025", title="Séance 4 – Dossier de lecture",
                        book__title="LES PORTS DE L'OUEST", book__authors=["Bastien Le Roux"]),
                 id="edited-volume-capitals"),
    # "Pierre Dupin (dir.)" in a book line: the editor is the author.
    pytest.param("Cours : Sociologie du travail\nRédigé par Inès Caradec\n\n"
                 "Claire Fontenay (dir.), *Les Marges du travail*, Rennes, Presses du Bocage, 2018\n\n"
                 f"Introduction\n\n{P}\n",
                 expect(course="Sociologie du travail", presenter="Inès Caradec", book__title="Les Marges du travail",
                        book__authors=["Claire Fontenay"], book__publisher="Presses du Bocage", book__year=2018),
                 id="editor-dir"),
    # "Title. Subtitle (Author et Author, year)", then the publisher's line; "Rédigée par … (groupe 2)"
    # keeps only the student's name.
    pytest.param("Cours : Sociologie de l'enfance\nEnseignante : Mme Agnès Pellerin\nAnnée universitaire 2023-2024\n\n"
                 "FICHE DE LECTURE\nRédigée par Zoé Lemaistre (groupe 2)\n\n"
                 "Les Cours de récréation. Une sociologie du jeu (Paul Amadou et Léa Simonet, 2004)\n"
                 f"Paris, Éditions du Préau, 2004, 240 p.\n\n\nIntroduction\n\n{P}\n",
                 expect(course="Sociologie de l'enfance", presenter="Zoé Lemaistre", period="Année universitaire 2023-2024",
                        title="FICHE DE LECTURE", book__title="Les Cours de récréation",
                        book__subtitle="Une sociologie du jeu", book__authors=["Paul Amadou", "Léa Simonet"],
                        book__publisher="Éditions du Préau", book__year=2004), id="title-then-authors-in-parentheses"),
    # The author alone on a line, "Title. Subtitle" under it, translators and a preface, then the
    # publisher's line; a dash between semester and year.
    pytest.param("Cours : Économie politique\nDossier de lecture rédigé par Yann Gourvennec\nSemestre 2 — 2023/2024\n\n"
                 "Ottilie Brandt\nLa Longue Patience. Aux sources de l'épargne\n"
                 "Traduit de l'allemand par Marc Vidal et Rose Lenoir, préface de Guy Perret\n"
                 f"Paris, Gallimard, coll. « Essais », 1987 [Die lange Geduld, 1961]\n\n\nINTRODUCTION\n\n{P}\n",
                 expect(course="Économie politique", presenter="Yann Gourvennec", period="Semestre 2 — 2023/2024",
                        book__title="La Longue Patience", book__subtitle="Aux sources de l'épargne",
                        book__authors=["Ottilie Brandt"], book__publisher="Gallimard", book__year=1987),
                 id="author-over-title-translators"),
    # A compte rendu opening on the book's title underlined with "===", the author and the publisher
    # under it; then "présenté par X – Licence 1", "UE :" and a session date reduced to the date.
    pytest.param("LA VILLE LENTE, OU L'ART D'ATTENDRE\n===================================\n\n"
                 "Bruno Kervella\nParis, Éditions de la Dune, 1981.\n\n"
                 "Compte rendu présenté par Lina Moal – Licence 1 de géographie\nUE : Géographie urbaine\n"
                 f"Séance du 14 octobre 2024\n\n\nPRÉSENTATION\n============\n\n{P}\n",
                 expect(course="Géographie urbaine", presenter="Lina Moal", period="14 octobre 2024",
                        book__title="LA VILLE LENTE, OU L'ART D'ATTENDRE", book__authors=["Bruno Kervella"],
                        book__publisher="Éditions de la Dune", book__year=1981), id="underlined-book-title-first"),
    # Slides: the date without a year ("jeudi 7 mars"), "Title (Author, year)" as the slide's title,
    # three presenters "A, B et C", and the slide footer with its number (not a field).
    pytest.param("IEP de Rennes – 3e année\nSéminaire : Théorie politique\njeudi 7 mars\n\n"
                 "La Cité des égaux (Armand Vigier, 1932)\n\nExposé de Noé Brun, Alix Perrin et Sam Diallo\n\n"
                 f"Vigier – La Cité des égaux\t1\n\n\n\nPlan\n\n• {P}\n\nVigier – La Cité des égaux\t2\n",
                 expect(course="Théorie politique", presenter="Noé Brun, Alix Perrin et Sam Diallo", period="jeudi 7 mars",
                        title="La Cité des égaux (Armand Vigier, 1932)", book__title="La Cité des égaux",
                        book__authors=["Armand Vigier"], book__year=1932), id="slides-weekday-date"),
    # The title block at the end, after a rule: "Note de lecture rédigée par", "Rendu le …",
    # "Ouvrage étudié : <book line>"; the opening question is the body's first heading.
    pytest.param(f"Pourquoi les files d'attente durent-elles ?\n\n{P}\n\n—\nNote de lecture rédigée par Coline Hardy\n"
                 "L3 Sociologie – Université de Lorient\nCours : Sociologie des services\nRendu le 2 mai 2025\n"
                 "Ouvrage étudié : Victor N. Salaün, Le Guichet. Théorie de l'attente, traduit de l'anglais "
                 "par Eva Morel, Paris, Fayard, 1990 [The Counter, 1984].\n",
                 expect(course="Sociologie des services", presenter="Coline Hardy", period="2 mai 2025",
                        book__title="Le Guichet", book__subtitle="Théorie de l'attente", book__authors=["Victor N. Salaün"],
                        book__publisher="Fayard", book__year=1990), id="closing-title-block"),
    # Obsidian front matter with French keys: "cours", "seance", "ouvrage" (title. subtitle), the
    # author as a wikilink, the edition; the note's title is its own.
    pytest.param('---\ntitle: "Garnier - Le Goût des autres"\nauteur: "[[Julie Garnier]]"\n'
                 'ouvrage: "Le Goût des autres. Essai sur la politesse"\nedition: "PUF, coll. Quadrige, 2010"\n'
                 f"cours: Anthropologie des manières\nseance: 12 novembre 2024\n---\n\n# Le Goût des autres\n\n{P}\n",
                 expect(course="Anthropologie des manières", period="12 novembre 2024", title="Garnier - Le Goût des autres",
                        book__title="Le Goût des autres", book__subtitle="Essai sur la politesse",
                        book__authors=["Julie Garnier"], book__publisher="PUF", book__year=2010), id="obsidian-french-keys"),
    # A book emoji before a note's title: the title is the book's, without the emoji.
    pytest.param(f"---\ntitle: 📗 La Fabrique des voisins\n---\n\n# 📗 La Fabrique des voisins\n\n## 📌 Introduction\n\n{P}\n",
                 expect(title="La Fabrique des voisins", book__title="La Fabrique des voisins"), id="book-emoji-title"),
    # "Fiche : Title : Subtitle" as a note's title, and a datetime reduced to its date.
    pytest.param(f"---\ntitle: \"Fiche : Les Ombres du marché : Une lecture de Jean Tassel\"\ndate: 2023-05-02T10:12:00+02:00\n---\n\n"
                 f"## Résumé\n\n{P}\n",
                 expect(title="Fiche : Les Ombres du marché : Une lecture de Jean Tassel", period="2023-05-02",
                        book__title="Les Ombres du marché", book__subtitle="Une lecture de Jean Tassel"),
                 id="fiche-prefix-title"),
    # A title with a comma before a subtitle that names the kind of work ("…, enquête sur …"); the
    # author and "Édition X année" as the first body lines.
    pytest.param("---\ntitle: Les Veilleurs, enquête sur le travail de nuit\n---\n\nGaëlle Rouxel\nEdition Métis 2003\n\n"
                 f"## Le terrain\n\n{P}\n",
                 expect(title="Les Veilleurs, enquête sur le travail de nuit", book__title="Les Veilleurs",
                        book__subtitle="enquête sur le travail de nuit", book__authors=["Gaëlle Rouxel"],
                        book__publisher="Edition Métis", book__year=2003), id="comma-genre-subtitle"),
    # "AUTHOR/AUTHOR — Title" as a note's first heading.
    pytest.param(f"# DUVAL/MARCHETTI — La Ville lente\n\n## intro\n\n{P}\n",
                 expect(title="DUVAL/MARCHETTI — La Ville lente", book__title="La Ville lente",
                        book__authors=["DUVAL", "MARCHETTI"]), id="surnames-dash-title"),
    # A LaTeX \\maketitle converted to text: title, "analyse de <Book>", the student, the date.
    pytest.param("Les Ponts et les hommes\n\nanalyse de Les Ouvrages d'art du Léon[1]\n\nMaël Cariou\n\n08 mai 2023\n\n"
                 f"Un livre rare\n\n{P}\n",
                 expect(course="Les Ponts et les hommes", presenter="Maël Cariou", period="08 mai 2023",
                        title="analyse de Les Ouvrages d'art du Léon[1]", book__title="Les Ouvrages d'art du Léon"),
                 id="maketitle-analyse-de"),
    # No title block: the first sentence naming a work and its author gives both.
    pytest.param(f"Introduction\n\nÉcrite en 1702, Bérénice aux champs est la dernière comédie pastorale de Jean Dorval. {P}\n",
                 expect(book__title="Bérénice aux champs", book__authors=["Jean Dorval"]), id="work-named-in-text"),
    # The fields as a Markdown list under the note's "# Title".
    pytest.param("# Fiche de lecture\n\n- **Cours :** Sociologie urbaine\n- **Étudiante :** Lou Bernard\n"
                 "- **Date :** 5 mars 2025\n- **Ouvrage :** Marc Auger, *Les Quais*, Seuil, 1992\n\n"
                 f"## Introduction\n\n{P}\n",
                 expect(title="Fiche de lecture", course="Sociologie urbaine", presenter="Lou Bernard",
                        period="5 mars 2025", book__title="Les Quais", book__authors=["Marc Auger"],
                        book__publisher="Seuil", book__year=1992), id="fields-as-list"),
    # Three authors before the title in a book line, commas and "et".
    pytest.param("Cours : Sociologie\nPrésenté par Ana Duval\n\n"
                 f"Jean Dupin, Marie Leclerc et Paul Roy, Le Quartier, Paris, Seuil, 2001.\n\nIntroduction\n\n{P}\n",
                 expect(course="Sociologie", presenter="Ana Duval", book__title="Le Quartier",
                        book__authors=["Jean Dupin", "Marie Leclerc", "Paul Roy"], book__publisher="Seuil",
                        book__year=2001), id="three-authors-book-line"),
    # The book's title in capitals over its author, the course and the student labelled below: the
    # unlabelled lines are the book's.
    pytest.param(f"LE QUARTIER\nJean Dupin\n\nCours : Sociologie\nPrésenté par Ana Duval\n\nIntroduction\n\n{P}\n",
                 expect(course="Sociologie", presenter="Ana Duval", book__title="LE QUARTIER",
                        book__authors=["Jean Dupin"]), id="capitals-over-author-labels-below"),
    # "Fiche de lecture : Title, de Author".
    pytest.param(f"Fiche de lecture : Le Quartier, de Jean Dupin\nPrésenté par Ana Duval\n\nIntroduction\n\n{P}\n",
                 expect(title="Fiche de lecture : Le Quartier, de Jean Dupin", presenter="Ana Duval",
                        book__title="Le Quartier", book__authors=["Jean Dupin"]), id="fiche-title-de-author"),
    # "Author – Title" on a line of its own.
    pytest.param(f"Cours : Sociologie\nPrésenté par Ana Duval\n\nJean Dupin – Le Quartier\n\nIntroduction\n\n{P}\n",
                 expect(course="Sociologie", presenter="Ana Duval", book__title="Le Quartier",
                        book__authors=["Jean Dupin"]), id="author-dash-title"),
    # Emoji around a title line are not part of it.
    pytest.param(f"📚 FICHE DE LECTURE 📚\n\nCours : Sociologie\nPrésenté par Ana Duval\nDate : 3 mars 2025\n\n"
                 f"Introduction\n\n{P}\n",
                 expect(title="FICHE DE LECTURE", course="Sociologie", presenter="Ana Duval", period="3 mars 2025"),
                 id="emoji-around-title"),
    # Inclusive spellings of the labels: "Enseignant(e)" is a teacher, "Rédigé(e) par" a student.
    pytest.param(f"Cours : Sociologie\nEnseignant(e) : Camille Roux\nRédigé(e) par Sam Diallo\nDate : 3 mars 2025\n\n"
                 f"Introduction\n\n{P}\n",
                 expect(course="Sociologie", presenter="Sam Diallo", period="3 mars 2025"), id="inclusive-labels"),
    pytest.param(f"Cours : Sociologie\nÉtudiant·e·s : Sam Diallo et Lou Petit\nAuteur·rice : Camille Roux\n\n"
                 f"Introduction\n\n{P}\n",
                 expect(course="Sociologie", presenter="Sam Diallo et Lou Petit", book__authors=["Camille Roux"]),
                 id="inclusive-middle-dot"),
    # No title block: a work in italics or guillemets beside its author, in the first paragraphs.
    pytest.param(f"Introduction\n\nDans *Les Règles du voisinage* (1998), Hélène Vauclair montre que le quartier compte. {P}\n",
                 expect(book__title="Les Règles du voisinage", book__authors=["Hélène Vauclair"]), id="dans-title-author"),
    pytest.param(f"Introduction\n\nHélène Vauclair, dans « Les Règles du voisinage », montre que le quartier compte. {P}\n",
                 expect(book__title="Les Règles du voisinage", book__authors=["Hélène Vauclair"]), id="author-dans-title"),
    pytest.param(f"Introduction\n\nL'ouvrage de Hélène Vauclair, *Les Règles du voisinage*, montre que le quartier compte. {P}\n",
                 expect(book__title="Les Règles du voisinage", book__authors=["Hélène Vauclair"]), id="ouvrage-de-author-title"),
    pytest.param(f"Introduction\n\nJ'ai lu *Les Règles du voisinage*, vol. 1, de Hélène Vauclair, cet été. {P}\n",
                 expect(book__title="Les Règles du voisinage", book__authors=["Hélène Vauclair"]), id="title-vol-de-author"),
    # A blog note: front matter names the book, the text its author as a link.
    pytest.param('---\ntitle: Sur "Les Règles du voisinage"\nauthor: Ana Duval\n---\n\n'
                 "[Les Règles du voisinage](https://exemple.org/livre) est un livre d'[Hélène Vauclair](https://exemple.org/hv), "
                 f"sociologue. {P}\n",
                 expect(title='Sur "Les Règles du voisinage"', presenter="Ana Duval", book__title="Les Règles du voisinage",
                        book__authors=["Hélène Vauclair"]), id="blog-link-author"),
    # The author as the subject of the work's argument: "Dans cet ouvrage, X montre", "X nous propose
    # dans cet article"; the note's title then names the book.
    pytest.param(f"# Les Quais\n\n## Résumé\n\nDans cet ouvrage publié en 2001, Hélène Vauclair montre que le quartier compte. {P}\n",
                 expect(title="Les Quais", book__title="Les Quais", book__authors=["Hélène Vauclair"]),
                 id="dans-cet-ouvrage-author"),
    pytest.param(f"# Fiche : Les Quais\n\n## Résumé\n\nHélène Vauclair nous propose dans cet article une lecture du quartier. {P}\n",
                 expect(title="Fiche : Les Quais", book__title="Les Quais", book__authors=["Hélène Vauclair"]),
                 id="author-propose-dans-cet-article"),
    # A reference with an author's life dates under a note's title is no publisher line.
    pytest.param(f"# Données et chiffres\n\n**Dupin, J.-P. (1809-1865)** (1840). *Du Chiffre*. https://exemple.org/chiffre\n\n{P}\n",
                 expect(title="Données et chiffres"), id="life-dates-not-publisher"),
    # The book named in the title block with a call to the bibliography: its entry gives the authors,
    # the publisher and the year.
    pytest.param("Les Ponts et les hommes\n\nanalyse de Les Ouvrages d'art du Léon[1]\n\nMaël Cariou\n\n08 mai 2023\n\n"
                 f"Un livre rare\n\n{P}\n\nBibliographie\n\n[1] Yvon Kerhervé. Les Ouvrages d'art du Léon. Éditions du Vent, 1979.\n",
                 expect(course="Les Ponts et les hommes", presenter="Maël Cariou", period="08 mai 2023",
                        title="analyse de Les Ouvrages d'art du Léon[1]", book__title="Les Ouvrages d'art du Léon",
                        book__authors=["Yvon Kerhervé"], book__publisher="Éditions du Vent", book__year=1979),
                 id="authors-from-bibliography"),
    # YAML front matter with the authors as a block list.
    pytest.param(f"---\ntitle: Notes\nouvrage: Le Quartier\nauteurs:\n  - Jean Dupin\n  - Marie Leclerc\ndate: 2024-10-03\n---\n\n{P}\n",
                 expect(title="Notes", period="2024-10-03", book__title="Le Quartier",
                        book__authors=["Jean Dupin", "Marie Leclerc"]), id="yaml-block-list-authors"),
    # "Sous la direction de Mme …" is a supervisor (a civility title), never the book's editor.
    pytest.param(f"Dossier de lecture\nRédigé par Ana Duval\nSous la direction de Mme Claire Roux\nDate : 3 mars 2025\n\n"
                 f"Introduction\n\n{P}\n",
                 expect(title="Dossier de lecture", presenter="Ana Duval", period="3 mars 2025"), id="supervisor-not-editor"),
    # Only a teacher is named: no presenter.
    pytest.param(f"Cours : Sociologie rurale\nEnseignant : M. Hugo Bellec\nDate : 12/03/2025\n\nIntroduction\n\n{P}\n",
                 expect(course="Sociologie rurale", period="12/03/2025"), id="teacher-only"),
]


@pytest.mark.parametrize("text, expected", CONVENTIONS)
def test_title_block_conventions(text, expected):
    handout = extract(text)
    assert flat(handout.metadata) == expected
    assert_provenance(handout)


# Periods written inside a longer line: the date is cut out of it; a line that is only a period is
# kept as written. The most precise date wins over an academic year.
PERIOD_LINES = [
    ("Séance du 14 octobre 2024", "14 octobre 2024"),
    ("Rendu le 2 mai 2025", "2 mai 2025"),
    ("Remis le 1er avril 2025", "1er avril 2025"),
    ("jeudi 7 mars", "jeudi 7 mars"),
    ("Semestre 1 – 2024-2025", "Semestre 1 – 2024-2025"),
    ("Année 2023/2024", "Année 2023/2024"),
]


@pytest.mark.parametrize("line, expected", PERIOD_LINES)
def test_period_inside_line(line, expected):
    text = f"Cours : Sociologie rurale\nRédigé par Hugo Bellec\n{line}\n\nIntroduction\n\n{P}\n"
    assert extract(text).metadata.period == expected


def test_day_beats_academic_year():
    text = f"Cours : Sociologie rurale\nAnnée universitaire 2024-2025\nSéance du 3 février 2025\n\nIntroduction\n\n{P}\n"
    assert extract(text).metadata.period == "3 février 2025"


def test_missing_fields_are_reported():
    # (The message names the field as the contract does: "the presenter could not be found (metadata.presenter)".)
    handout = extract(f"Cours : Sociologie rurale\nDate : 12/03/2025\n\nIntroduction\n\n{P}\n")
    missing = [i for i in handout.issues if i.code == "metadata_missing"]
    assert {i.message.rsplit("(metadata.", 1)[1].rstrip(")") for i in missing} == {"presenter", "book.title", "book.authors"}
    assert all(i.severity == "info" for i in missing)
    full = extract(SEED_STYLE)
    assert not [i for i in full.issues if i.code == "metadata_missing"]


# --------------------------------------------------------------------------------------------------
# Known limitations
# --------------------------------------------------------------------------------------------------


def test_author_field_after_first_heading():
    # The title block ends at the first heading, but an "Auteur : …" line near the top of the notes
    # still names the book's author.
    text = f"---\ntitle: La Patience des foules\n---\n\n## Introduction\n\nAuteur : Ferdinand Oyelaran\n\n{P}\n"
    assert extract(text).metadata.book.authors == ["Ferdinand Oyelaran"]


@pytest.mark.xfail(reason="surname-first names with initials ('Vautrin, O. et Draguignan, A.') split on the "
                          "comma into surname and initial", strict=True)
def test_surname_first_authors():
    text = f"Cours : Sociologie\n\nAuteurs : Vautrin, O. et Draguignan, A.\n\n{P}\n"
    assert extract(text).metadata.book.authors == ["Vautrin, O.", "Draguignan, A."]


def test_metadata_issue_codes_are_declared_once():
    # Extraction's title-block codes live in METADATA_RULES, apart from the tdx check rules (RULES)
    # that the README's table documents: no code means two things.
    from pipeline.rules import METADATA_RULES, RULES

    assert not set(METADATA_RULES) & set(RULES)
    handout = extract(f"{P}\n")
    assert {i.code for i in handout.issues} <= set(METADATA_RULES) | set(RULES)


def test_surname_and_first_name_fields_make_one_presenter():
    # "Nom : …" and "Prénom : …" on two lines of a form: one student, written first name first; the
    # provenance covers both fields.
    handout = extract(f"Nom : Duval\nPrénom : Ana\nCours : Sociologie\n\nIntroduction\n\n{P}\n")
    meta = handout.metadata
    assert (meta.presenter, meta.course) == ("Ana Duval", "Sociologie")
    span = meta.provenance["presenter"]
    assert handout.text[span.start:span.end] == "Duval\nPrénom : Ana"


# -- slide decks flattened to text ----------------------------------------------------------------------
# A deck exported to text opens with its title slide: the book ("Titre. Sous-titre" over "Auteur (Éditeur,
# année)"), the course, the degree and university, the presenters, the date; then each slide ends with a
# footer line repeated with its number. The footer fills no field and the first slide ends at it.

def _deck(title_slide: str, footer: str, *, blank_before_footer: bool = True) -> str:
    slides = ["Plan\n- Les ateliers\n- Les donneurs d'ordre",
              f"Les ateliers\nLes auteurs suivent les ateliers de couture. {P}",
              f"Les donneurs d'ordre\nLes marques fixent les prix. {P}"]
    sep = "\n\n" if blank_before_footer else "\n"
    out = title_slide + sep + footer.format(n=1)
    for n, slide in enumerate(slides, start=2):
        out += f"\n\n{slide}\n\n{footer.format(n=n)}"
    return out + "\n"


_SLIDE = ("L'Atelier du monde. Une histoire de la sous-traitance\nClaire Dumas (La Découverte, 2021)\n"
          "Séminaire : Histoire économique\nMaster 1 Histoire – Université de Tours\n"
          "Inès Garnier, Louis Petit et Nora Haddad\nMercredi 22 janvier 2025")
_SLIDE_FIELDS = dict(course="Histoire économique", presenter="Inès Garnier, Louis Petit et Nora Haddad",
                     period="Mercredi 22 janvier 2025", book__title="L'Atelier du monde",
                     book__subtitle="Une histoire de la sous-traitance", book__authors=["Claire Dumas"],
                     book__publisher="La Découverte", book__year=2021)
SLIDE_DECKS = [
    # Footer with middle dots: initials and surnames, a short title, the slide number.
    pytest.param(_deck(_SLIDE, "I. Garnier, L. Petit, N. Haddad · L'Atelier du monde · {n}"),
                 expect(**_SLIDE_FIELDS), id="footer-middle-dots"),
    # "Titre – N": the title's own words come back on every slide.
    pytest.param(_deck(_SLIDE, "L'Atelier du monde – {n}"), expect(**_SLIDE_FIELDS), id="footer-title-dash"),
    # "names | title | N", and the footer glued to the title slide (no blank line before it).
    pytest.param(_deck(_SLIDE, "Garnier, Petit, Haddad | L'Atelier du monde | {n}", blank_before_footer=False),
                 expect(**_SLIDE_FIELDS), id="footer-bars-no-blank"),
    # Two authors in the parentheses line, a year without a publisher, a plain "Cours :".
    pytest.param(_deck("Les Mots de la tribu. Essai sur le langage politique\nPaul Verdier et Anne Lhomme (2011)\n"
                       "Cours : Théorie politique\nAnna Roux et Théo Blanc\nMardi 8 octobre 2024",
                       "Roux, Blanc · Les Mots de la tribu · {n}"),
                 expect(course="Théorie politique", presenter="Anna Roux et Théo Blanc", period="Mardi 8 octobre 2024",
                        book__title="Les Mots de la tribu", book__subtitle="Essai sur le langage politique",
                        book__authors=["Paul Verdier", "Anne Lhomme"], book__year=2011), id="authors-and-year-only"),
]


@pytest.mark.parametrize("text, expected", SLIDE_DECKS)
def test_slide_deck_title_slide(text, expected):
    handout = extract(text)
    assert flat(handout.metadata) == expected
    assert_provenance(handout)
    # The first slide after the title slide is the body's: "Plan" is not swallowed by the title block.
    assert any(s.title == "Plan" or s.title.startswith("Les ateliers") for s in handout.sections)


# -- genre labels of student work -------------------------------------------------------------------------
# A line that only names the kind of handout is a label: the handout's title, never the book's. In
# capitals the case cannot tell "DE LECTURE" from a book's title; the family of labels can.
GENRE_LABELS = [
    "COMPTE RENDU DE LECTURE",  # once read as the book "LECTURE"
    "Compte-rendu de lecture",
    "FICHE DE LECTURE N° 3",  # numbered
    "NOTE DE SYNTHÈSE",  # "notes de …" would otherwise read as an editor's notes
    "Note de lecture",
    "COMMENTAIRE DE TEXTE",
    "RÉSUMÉ DE L'OUVRAGE",  # "L'OUVRAGE" is no title either
    "EXPOSÉ ORAL",
    "Dossier documentaire",
    "COMPTE RENDU CRITIQUE D'OUVRAGE",
    "DOSSIER",
]


@pytest.mark.parametrize("label", GENRE_LABELS)
def test_genre_label_is_never_the_book(label):
    text = (f"Cours : Sociologie urbaine\n{label}\nLES QUAIS. Enquête sur un port\nHélène Vauclair\n"
            f"Rédigé par Ana Duval\nDate : 3 mars 2025\n\nIntroduction\n\n{P}\n")
    handout = extract(text)
    # A title in capitals keeps its subtitle apart too ("LES QUAIS. Enquête …").
    assert flat(handout.metadata) == expect(course="Sociologie urbaine", presenter="Ana Duval", period="3 mars 2025",
                                            title=label, book__title="LES QUAIS", book__subtitle="Enquête sur un port",
                                            book__authors=["Hélène Vauclair"])
    assert_provenance(handout)


# A label followed by the book: what follows the kind still names it.
@pytest.mark.parametrize("line, book", [
    ("FICHE DE LECTURE : LES QUAIS", "LES QUAIS"),
    ("Compte rendu de Les Quais", "Les Quais"),
])
def test_label_naming_the_book(line, book):
    assert extract(f"{line}\nRédigé par Ana Duval\n\nIntroduction\n\n{P}\n").metadata.book.title == book


# -- a student's signature line: "Prénom Nom – diplôme, université" ---------------------------------------
STUDENT_LINES = [
    ("Ana Duval – Master 1 Sociologie, Université de Nantes", "Ana Duval"),
    ("Ana Duval - Licence 2 Histoire", "Ana Duval"),  # a hyphen for a dash
    ("Ana Duval et Léo Marc | L2 Science politique", "Ana Duval et Léo Marc"),  # a pair, a bar
    ("Yannick Le Goff — Université de Brest, UFR Lettres", "Yannick Le Goff"),  # a particle
]


@pytest.mark.parametrize("line, presenter", STUDENT_LINES)
@pytest.mark.parametrize("first", [False, True], ids=["after-book", "first-line"])
def test_student_signature_line(line, presenter, first):
    book = "COMPTE RENDU DE LECTURE\nLe Deuxième Âge. Essai sur la vieillesse\nHélène Vauclair"
    head = f"{line}\n{book}" if first else f"Cours : Sociologie urbaine\n{book}\n{line}"
    handout = extract(f"{head}\n14 février 2025\n\nIntroduction\n\n{P}\n")
    meta = handout.metadata
    assert (meta.presenter, meta.book.title, meta.book.authors, meta.period) == \
        (presenter, "Le Deuxième Âge", ["Hélène Vauclair"], "14 février 2025")
    assert_provenance(handout)


def test_teacher_signature_line_is_no_presenter():
    # A civility title marks the teacher ("M. Paul Roux – Université de Nantes"): no presenter.
    text = (f"Cours : Sociologie urbaine\nCOMPTE RENDU DE LECTURE\nLe Deuxième Âge\nHélène Vauclair\nM. Paul Roux – Université de Nantes\n"
            f"14 février 2025\n\nIntroduction\n\n{P}\n")
    assert extract(text).metadata.presenter is None


# -- no title block: the first sentence says which book the handout reads -------------------------------
# French titles capitalise their first word only and are often written without italics: the title runs
# up to the last "de"/"d'" that a person's name follows ("Simone de Beauvoir"-style particles kept), or
# up to "(Auteur, année)". Without an author after it, an unmarked phrase is no title.
ANNOUNCED = [
    ("Ces notes portent sur Le Deuxième Âge de Hélène Vauclair, paru chez Gallimard en 2003, et reprennent ses chapitres.",
     ("Le Deuxième Âge", ["Hélène Vauclair"], "Gallimard", 2003)),
    ("Cette fiche présente Les Règles du jeu (Jeanne Doe, 2004), un essai sur le sport amateur.",
     ("Les Règles du jeu", ["Jeanne Doe"], None, 2004)),
    ("Lecture de La Fabrique des classes de Marie Fontenelle.", ("La Fabrique des classes", ["Marie Fontenelle"], None, None)),
    # Two authors; publication year before the publisher.
    ("Ce compte rendu porte sur L'Atelier du monde de Claire Dumas et Yves Ortiz, publié en 2021 à La Découverte.",
     ("L'Atelier du monde", ["Claire Dumas", "Yves Ortiz"], "La Découverte", 2021)),
    # ", de Auteur (Éditeur, année)".
    ("Je présente ici Les Mots de la tribu, de Paul Verdier (Seuil, 2011).",
     ("Les Mots de la tribu", ["Paul Verdier"], "Seuil", 2011)),
    # "d'" before a vowel; "je résume" after a comma.
    ("Dans ces notes, je résume Le Temps des quais d'Hélène Vauclair.", ("Le Temps des quais", ["Hélène Vauclair"], None, None)),
    # A "de" inside the title: the last "de" followed by a name ends it; a particle stays in the name.
    ("Ces notes portent sur Les Lieux de mémoire de Pierre-Yves Le Goff.", ("Les Lieux de mémoire", ["Pierre-Yves Le Goff"], None, None)),
    ("Cette note de lecture analyse Le Pays natal de Marie de La Roche.", ("Le Pays natal", ["Marie de La Roche"], None, None)),
    # Three authors.
    ("Notes sur Le Métier de sociologue de Jean Dupin, Marie Leclerc et Paul Roy.",
     ("Le Métier de sociologue", ["Jean Dupin", "Marie Leclerc", "Paul Roy"], None, None)),
    # In italics the title needs no author.
    ("Cette fiche présente *Le Deuxième Âge*, un essai sur la vieillesse.", ("Le Deuxième Âge", [], None, None)),
    # Unmarked and no author after it: nothing (a person, a topic).
    ("Cette fiche présente Durkheim et ses idées sur la religion.", (None, [], None, None)),
    ("Ces notes portent sur le chapitre trois du livre.", (None, [], None, None)),
]


@pytest.mark.parametrize("sentence, book", ANNOUNCED)
def test_book_announced_in_first_sentence(sentence, book):
    handout = extract(f"{sentence} {P}\n\nIntroduction\n\n{P}\n")
    meta = handout.metadata
    assert (meta.book.title, meta.book.authors, meta.book.publisher, meta.book.year) == book
    assert_provenance(handout)


def test_announcing_sentence_alone_before_the_first_heading():
    # No title block: the first paragraph, a long sentence standing where a title block would be,
    # says what the notes read; a hyphenated surname is one name.
    text = ("Ces notes portent sur La Ville invisible de Marc Dupuis-Léger, paru chez Fayard en 1988, dans "
            "une édition de poche que je cite partout dans la suite sous une forme abrégée.\n\n"
            "Quelle est la thèse du livre ?\n\nTexte du premier paragraphe des notes.\n")
    book = extract(text).metadata.book
    assert (book.title, book.authors, book.publisher, book.year) == \
        ("La Ville invisible", ["Marc Dupuis-Léger"], "Fayard", 1988)


@pytest.mark.parametrize("text, title, subtitle", [
    # The label's closing "**" is not the opening of the emphasised title after it: a title in
    # capitalised words stays the title, not a second author.
    ("# Fiche de lecture\n\n**Ouvrage :** Jean Dupré, *Brumes Lointaines*, Paris, Seuil, 1987.\n\n"
     "## Introduction\n\nTexte.\n", "Brumes Lointaines", None),
    # The title from the note's H1, then the book line with its subtitle: the subtitle is kept.
    ("# Fiche de lecture — Brumes lointaines\n\n**Cours :** Histoire\n**Ouvrage :** Jean Dupré, "
     "*Brumes lointaines. Une enquête*, Paris, Seuil, 1987\n\n## Introduction\n\nTexte.\n",
     "Brumes lointaines", "Une enquête"),
])
def test_labelled_book_line_in_markdown(text, title, subtitle):
    book = extract(text).metadata.book
    assert (book.title, book.subtitle, book.authors, book.publisher) == (title, subtitle, ["Jean Dupré"], "Seuil")


def test_notes_opening_on_a_citation_have_no_title_block():
    # Reading notes often open on a quotation with its page: that is body, not the course.
    handout = extract("« Le comté n'est qu'un cadre administratif ; il n'a point d'existence morale. » (p. 44)\n\n"
                      "Tocqueville oppose la commune au comté.\n")
    assert handout.metadata.course is None and handout.metadata.title is None
