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
