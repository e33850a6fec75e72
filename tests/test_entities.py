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
