"""People, organisations and works: NER cleaned of handout noise, surnames linked to full names."""

from __future__ import annotations

import pipeline

TEXT = """Sociologie des plateformes

Comment situer l'auteur ?

DIRECTEUR : Georges Vigarello (histoire du corps)

Une proximité avec les travaux de Dominique Cardon, publiés par l'EHESS. Cardon insiste sur les
plateformes, comme Patrick Flichy. Voir aussi *Les liaisons numériques* et le rapport "Le Micro-travail en France".

➔ Une étude on ne peut plus **exploratoire**. Au fond elle ouvre surtout la porte.
"""


def entities():
    handout = pipeline.extract(TEXT, concepts=False)
    for entity in handout.entities:
        for mention in entity.mentions:
            assert handout.text[mention.span.start:mention.span.end] == mention.text
    return {(e.label, e.text): e for e in handout.entities}


def test_surname_is_linked_to_the_full_name():
    found = entities()
    cardon = found[("PER", "Dominique Cardon")]
    assert [m.text for m in cardon.mentions] == ["Dominique Cardon", "Cardon"]


def test_works_in_italics_and_quotes():
    found = entities()
    assert ("WORK", "Les liaisons numériques") in found
    assert ("WORK", "Le Micro-travail en France") in found


def test_no_markup_residue_labels_or_ordinary_words():
    names = {text for _, text in entities()}
    assert not any("*" in n or "➔" in n for n in names)
    assert "DIRECTEUR" not in names and "Comment" not in names


# --------------------------------------------------------------------------------------------------
# Companies and products, headings in capitals, one person in two casings (issue 13). Invented
# sentences; the brands are real names only where a reader would expect them.
# --------------------------------------------------------------------------------------------------

import re  # noqa: E402

import pytest  # noqa: E402

from pipeline.nlp import Lexicon  # noqa: E402
from pipeline.stages.entities import _companies, _is_capital_title, _name_key  # noqa: E402


def found_in(text: str) -> dict[str, str]:
    handout = pipeline.extract(text, concepts=False)
    for entity in handout.entities:
        for mention in entity.mentions:
            assert handout.text[mention.span.start:mention.span.end] == mention.text
    return {e.text: e.label for e in handout.entities if e.label != "WORK"}


# The conventions are tested on the stage's own decisions, given the mentions the model found (the
# small model finds invented names only now and then), then end to end where it does find them.

def _as_people(text: str, *names: str) -> list[tuple[str, int, int, str]]:
    """Every occurrence of ``names`` as a mention the model labelled PER."""
    found = [("PER", m.start(), m.end(), name) for name in names for m in re.finditer(re.escape(name), text)]
    return sorted(found, key=lambda f: f[1])


ORGANISATIONS = [
    # A noun saying what it is, right before the name (with a complement in between).
    ("Les coursiers sont payés à la tâche par la plateforme Zelivra depuis 2019.", "Zelivra"),
    ("L'assistant vocal Kalisto répond aux questions des enfants.", "Kalisto"),
    ("Le géant du commerce en ligne Tornado contrôle les entrepôts.", "Tornado"),
    ("Elle commande ses repas sur l'application Miamo chaque soir.", "Miamo"),
    # Its workers, users or tools, then "de" / "d'".
    ("Les livreurs de Zelivra ont fait grève en mars.", "Zelivra"),
    ("Les chauffeurs d'Ubirax dénoncent l'algorithme.", "Ubirax"),
    ("L'algorithme de Miamo décide des tournées.", "Miamo"),
    # Working or buying "chez" it.
    ("Avant sa thèse, Julie a travaillé six mois chez Velocargo comme livreuse.", "Velocargo"),
    ("Il achète tout chez Tornado depuis des années.", "Tornado"),
    # Capitals inside the word, or a company's legal form: a brand, never a person.
    ("Les vidéos de recettes circulent surtout sur PlatTube depuis deux ans.", "PlatTube"),
    ("Le rapport de Nordvik Inc. est cité en annexe.", "Nordvik Inc."),
]


@pytest.mark.parametrize("text, name", ORGANISATIONS)
def test_companies_and_products_are_not_people(text, name):
    assert [label for label, *_ in _companies(text, _as_people(text, name))] == ["ORG"] * text.count(name)


PEOPLE = [
    # "chez" an author is where an idea is found, in academic French.
    ("Chez Montreuil, le travail est une relation.", "Montreuil"),
    # Readers, disciples and works of someone are not a company's workers.
    ("Les lecteurs de Montreuil le savent, et les travaux de Montreuil le montrent.", "Montreuil"),
    # A noun naming a person's trade before the name.
    ("La sociologue Hélène Vauclair étudie les plateformes.", "Hélène Vauclair"),
    # "l'application développée par X": the name is the developer, not the application.
    ("L'application développée par Vauclair est gratuite.", "Vauclair"),
    # "le jeune Marx", "le Marx de 1844": a determiner alone says nothing.
    ("Le jeune Montreuil écrit encore des poèmes, et le Montreuil de 1950 les renie.", "Montreuil"),
]


@pytest.mark.parametrize("text, name", PEOPLE)
def test_people_stay_people(text, name):
    assert {label for label, *_ in _companies(text, _as_people(text, name))} == {"PER"}


def test_a_surname_written_with_its_first_name_stays_a_person():
    text = "Gérald Montreuil étudie les plateformes. Les livreurs de Montreuil, dit-il, sont des indépendants."
    found = [("PER", 0, 16, "Gérald Montreuil")] + _as_people(text[17:], "Montreuil")
    found = [(l, s + (17 if i else 0), e + (17 if i else 0), k) for i, (l, s, e, k) in enumerate(found)]
    assert {label for label, *_ in _companies(text, found)} == {"PER"}


def test_a_brand_and_its_product():
    # "Tornado" is an organisation for the model: "Tornado Micro Tasks" opens with it, so the product
    # is one too; a person whose first word is no brand stays a person.
    text = "Tornado a lancé Tornado Micro Tasks, que Julie Armand a étudié."
    found = [("ORG", 0, 7, "Tornado"), ("PER", 16, 35, "Tornado Micro Tasks"), ("PER", 41, 53, "Julie Armand")]
    assert [label for label, *_ in _companies(text, found)] == ["ORG", "ORG", "PER"]


def test_companies_end_to_end():
    found = found_in("Notes\n\nL'assistant vocal Kalisto répond aux questions des enfants.\n")
    assert found.get("Kalisto") == "ORG", found


CAPITAL_TITLES = [
    # A numbered title in capitals.
    ("TEXTE 1 — Les mythes du quotidien", "TEXTE 1"),
    ("Voir la PARTIE 2 plus bas.", "PARTIE 2"),
    # A heading line in capitals, one word or several.
    ("DISCUSSION", "DISCUSSION"),
    ("UN DISCOURS ENNUYEUX", "UN DISCOURS ENNUYEUX"),
    ("LA VILLE, ÇA SERT D'ABORD", "ÇA SERT"),
]
NOT_CAPITAL_TITLES = [
    # An acronym inside a sentence.
    ("Le rapport de l'ONU est cité.", "ONU"),
    # A bibliography's surname first.
    ("VAUCLAIR Hélène, Les Voisins, 2011.", "VAUCLAIR"),
    # A surname in capitals beside a title in ordinary case.
    ("Mythologies / MONTREUIL", "MONTREUIL"),
]


@pytest.mark.parametrize("line, mention", CAPITAL_TITLES)
def test_titles_in_capitals_are_not_organisations(line, mention):
    text = f"Notes\n\n{line}\n\nUn paragraphe.\n"
    start = text.index(mention)
    assert _is_capital_title(text, start, start + len(mention), "ORG", Lexicon())


@pytest.mark.parametrize("line, mention", NOT_CAPITAL_TITLES)
def test_names_and_acronyms_in_capitals_stay(line, mention):
    text = f"Notes\n\n{line}\n\nUn paragraphe.\n"
    start = text.index(mention)
    assert not _is_capital_title(text, start, start + len(mention), "ORG", Lexicon())


@pytest.mark.parametrize("surface, key", [
    ("BOURDIEU", "Bourdieu"),
    ("VAUCLAIR Hélène", "Hélène Vauclair"),
    ("LE ROUX Jean-Marc", "Jean-Marc Le Roux"),
    ("Albert O. Hirschman", "Albert O. Hirschman"),
    ("Hélène VAUCLAIR", "Hélène Vauclair"),
])
def test_name_keys_ignore_casing(surface, key):
    assert _name_key(surface) == key


def test_one_person_in_two_casings():
    # The bibliography writes the surname first in capitals ("VAUCLAIR Hélène"); the text writes
    # "Hélène Vauclair" and "Vauclair": one person.
    found = found_in("Notes\n\nHélène Vauclair a étudié les quartiers. Selon Vauclair, le voisinage compte.\n\n"
                     "Bibliographie\n\nVAUCLAIR Hélène, Les Voisins, Paris, Éditions du Pavé, 2011.\n")
    people = [n for n, label in found.items() if label == "PER"]
    assert people == ["Hélène Vauclair"], found


def test_civility_and_next_line_are_not_part_of_a_name():
    found = found_in("Enseignante : Mme Odile Carrasco\nRédigé par Yanis Belhadj\nDate : 12/03/2025\n\n"
                     "Introduction\n\nUn paragraphe de texte suivi.\n")
    assert "Odile Carrasco" in found and "Yanis Belhadj" in found, found
