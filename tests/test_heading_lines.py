"""Standalone lines that are not headings (pipeline/stages/heading_lines.py): captions, fields,
title-block lines, dates, URLs, sentences and lead-ins, list items. Each sits between two slide
titles, and the outline stays [Le terrain, Les résultats].

All names are invented.
"""

from __future__ import annotations

import pytest

from tests.outlines import HEADER, P, extract, outline

NOT_HEADINGS = [
    # Logo residue of a converted slide: one word or two per line, all capitals.
    pytest.param("L'ÉCOLE\nDES HAUTES\nÉTUDES EN\nSCIENCES\nSOCIALES", id="logo-residue"),
    pytest.param("UNIVERSITÉ\nPARIS CITÉ", id="logo-residue-short"),
    # Figure captions with their source line, and standalone table / source / chart captions.
    pytest.param("Figure 2 - Structure des plateformes de micro-travail «bifaces».\nSource : DiPLab.",
                 id="figure-with-source"),
    pytest.param("Tableau 1 : Répartition des enquêtés", id="table-caption"),
    pytest.param("Source : Enquête Attentes, 2021", id="source-line"),
    pytest.param("Graphique 3 – Évolution des revenus", id="chart-caption"),
    pytest.param("Fig. 4 : La salle d'attente", id="fig-abbrev"),
    # A caption under a picture in a LaTeX-made PDF, ending with its numbered citation.
    pytest.param("Vazken 1 er [2, 1]", id="caption-with-citation"),
    # "LABEL : value" field lines of an author slide (all-capital label).
    pytest.param("DISCIPLINES : sociologie, philosophie", id="field-line"),
    pytest.param("DIRECTRICE : Odile Penvern", id="field-line-name"),
    pytest.param("CO-AUTEUR.ICES FREQUENT.ES : Jules Arnaudet (I3)", id="field-line-dotted-label"),
    pytest.param("THÈSE : Une histoire des salles d'attente, 2011, EHESS.", id="field-line-full-stop"),
    # Numbered list items that are long sentences.
    pytest.param("1. Elle quitte le raisonnement économique classique pour adopter une perspective "
                 "résolument sociologique sur le travail\n\n2. Elle invente une méthode originale fondée "
                 "sur des entretiens répétés avec des annotateurs", id="numbered-sentences"),
    # A loose numbered list (a plan) and a tight one: items, not headings.
    pytest.param("1. Premier argument\n\n2. Second argument\n\n3. Troisième argument", id="loose-numbered-list"),
    pytest.param("1. Un\n2. Deux", id="tight-numbered-list"),
    # Short lines ending with a full stop are sentences.
    pytest.param("Ceci est une phrase courte.", id="full-stop"),
    pytest.param("I. Une phrase numérotée.", id="numbered-full-stop"),
    # URLs, bare or in angle brackets.
    pytest.param("<https://exemple.org/terrain>", id="url-angle"),
    pytest.param("https://www.exemple.org/autre", id="url-bare"),
    pytest.param("www.exemple.fr/page", id="url-www"),
    # A page marker, a short quotation, a hashtag, and a bare number starting a phrase.
    pytest.param("Page 12", id="page-marker"),
    pytest.param("08 mai 2023", id="date"),
    pytest.param("12/03/2025", id="date-numeric"),
    pytest.param("« Une citation courte »", id="quotation"),
    pytest.param("#5 raisons de lire", id="hashtag"),
    pytest.param("12 ans de terrain", id="bare-number"),
    # A lower-case line is a continuation, not a title.
    pytest.param("et ensuite la suite", id="lower-case"),
    # Lower-case lettered questions with no I. / A. / 1. plan above them enumerate, they do not
    # head sections (seen in a real Markdown exercise sheet).
    pytest.param("a) Pourquoi parle-t-on de micro-travail ?\n\nb) Qui en profite ?", id="lettered-questions"),
    # A sentence ending with ":" introduces the quotation or list below it.
    pytest.param("L'autrice le formule sans détour :\n\n« Attendre, c'est déjà obéir. » (p. 12)",
                 id="lead-in-quotation"),
    pytest.param("Et dans l'édition de poche :", id="lead-in-short"),
    # Short, but the quotation or the indented verses right below say what it is.
    pytest.param("Elle conclut :\n\n« Attendre, c'est déjà obéir. » (p. 12)", id="lead-in-short-before-quote"),
    pytest.param("Racine écrit :\n\n    Un vers attendu,\n    Un vers qui répond (v. 3)", id="lead-in-before-verses"),
    pytest.param("Voici les trois étapes de l'argument :\n\n- la file ;\n- le guichet ;\n- le ticket.",
                 id="lead-in-list"),
    pytest.param("Morel distingue deux formes d'attente, subie et choisie\u00a0:", id="lead-in-nbsp-colon"),
    # A lone label with a number names a class, not a numbered section.
    pytest.param("Licence 3 – Sociologie", id="lone-label-number"),
    # Glossary lines in a row, outside any "Glossaire" heading.
    pytest.param("Attente (waiting) : temps passé sans agir\n\nFile (queue) : ordre des arrivants",
                 id="glossary-run"),
    # Title-block lines, wherever the title block sits (here between two slides): labelled fields
    # in ordinary case, "… par <name>", the degree and university, the school year, dates.
    pytest.param("Note de lecture rédigée par Jeanne Morel", id="written-by"),
    pytest.param("Cours : Sociologie du temps", id="course-field"),
    pytest.param("Enseignante\u00a0: Mme Odile Penvern", id="teacher-field-nbsp"),
    pytest.param("Exposé de Jeanne Morel et Paul Aubry", id="expose-by"),
    pytest.param("Traduit de l'allemand par Paul Aubry", id="translated-by"),
    pytest.param("Licence 2 Sociologie – Université de Nantes", id="degree-university"),
    pytest.param("Semestre 2 – 2024-2025", id="semester-school-year"),
    pytest.param("Année universitaire 2024/2025", id="school-year"),
    pytest.param("Rendu le 3 avril 2025", id="handed-in"),
    pytest.param("Séance du 4 février 2025", id="session-date"),
    pytest.param("mardi 4 février", id="weekday-date-without-year"),
    # A line ending with a word cut at the line's end is part of a wrapped paragraph.
    pytest.param("Une ligne coupée en fin de mot par l'expor-", id="hyphen-cut"),
    # An entry of a table of contents, with its dot leaders and page number.
    pytest.param("I. Le cadre ........................ 3", id="toc-entry"),
]


@pytest.mark.parametrize("line", NOT_HEADINGS)
def test_not_a_heading(line):
    text = HEADER + f"Le terrain\n\n{P}\n\n{line}\n\nLes résultats\n\n{P}\n"
    handout = extract(text)
    assert outline(handout) == [("Le terrain", 1, None), ("Les résultats", 1, None)]
    # The line belongs to the first section's span.
    first = handout.sections[0]
    assert line in text[first.span.start:first.span.end]


def test_markdown_bullets_and_quotes_are_not_headings():
    text = f"## Le terrain\n\n- Introduction\n\n> Conclusion\n\n{P}\n"
    assert [s.title for s in extract(text).sections] == ["Le terrain"]
