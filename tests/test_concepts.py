"""Concepts: discovery cues, grouping of variants, mention counting, non-concepts, glossary."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz

import pipeline
from pipeline.errors import TdxError
from pipeline.stages.concepts import FUZZY_MIN_LENGTH, FUZZY_THRESHOLD, Glossary, normalise


def concepts_of(text: str, **options):
    handout = pipeline.extract(text, entities=False, **options)
    for concept in handout.concepts:
        for mention in concept.mentions:
            assert handout.text[mention.span.start:mention.span.end] == mention.text
    return handout.concepts


def find(concepts, name):
    key = normalise(name)
    hits = [c for c in concepts if any(normalise(v) == key for v in [c.label, *c.variants])]
    return hits[0] if hits else None


@pytest.mark.parametrize(
    "a, b",
    [
        ("micro travail", "microtravail"),  # space, hyphen or joined: one key
        ("micro-travail", "Microtravail"),  # capitals too
        ("les plateformes", "plateforme"),  # article and plural
        ("l'automation", "automation"),  # elision
        ("l’automation", "automation"),  # typographic apostrophe
        ("réintermédiation", "reintermediation"),  # accents missing
        ("**gig economy**", "gig economy"),  # markup residue
    ],
)
def test_normalised_keys_group_variants(a, b):
    assert normalise(a) == normalise(b)


@pytest.mark.parametrize("a, b", [("qualification", "quantification"), ("monétisation", "modélisation"),
                                  ("automation", "automatisation"), ("travail", "travaux")])
def test_different_words_are_not_grouped(a, b):
    assert normalise(a) != normalise(b)
    # The fuzzy threshold sits above what different words score and below spelling slips.
    assert fuzz.ratio(normalise(a), normalise(b)) < FUZZY_THRESHOLD or min(len(a), len(b)) < FUZZY_MIN_LENGTH


def test_threshold_is_between_slips_and_different_words():
    assert fuzz.ratio("tacheronnisation", "tacheronisation") >= FUZZY_THRESHOLD
    assert fuzz.ratio("qualification", "quantification") < FUZZY_THRESHOLD


HANDOUT = """Séminaire de sociologie du travail

Chapitre 1 : La plateforme

- Un concept : la « **plateformisation** » des entreprises.
- Casilli décrit la « tâcheronisation » du travail, puis la tâcheronnisation des services.
- Le « micro travail » se répand ; le micro-travail et le microtravail sont partout, dit Simon.
- Ce type de travail relève du « calcul assisté par l'humain » (human-based computation).
- Les chercheurs parlent de human-based computation depuis longtemps.
- La notion de gamification revient souvent : la gamification du travail, encore la gamification.
- Ce que l'auteur appelle « cybertariat » désigne les travailleurs ; le cybertariat grandit.
- La **qualification** des usagers n'est pas la quantification des tâches.
- **Contexte** : tout ceci se passe en 2019.

Chapitre 2 : Les données

- Le cybertariat et la plateformisation encore, et le microtravail.
"""


def test_marked_concepts_are_found_with_their_variants_and_counts():
    concepts = concepts_of(HANDOUT)
    tach = find(concepts, "tâcheronnisation")
    assert tach and {"tâcheronisation", "tâcheronnisation"} <= set(tach.variants)
    assert any(m.match == "fuzzy" for m in tach.mentions) or len(tach.variants) == 2
    micro = find(concepts, "microtravail")
    assert micro and len(micro.mentions) == 4  # « micro travail », micro-travail, microtravail x2
    hbc = find(concepts, "human-based computation")
    assert hbc and find(concepts, "calcul assisté par l'humain") is hbc  # a gloss groups languages
    assert len(hbc.mentions) == 3
    assert find(concepts, "plateformisation") and len(find(concepts, "plateformisation").mentions) == 2
    assert find(concepts, "gamification") and len(find(concepts, "gamification").mentions) == 3
    cyber = find(concepts, "cybertariat")
    assert cyber and len(cyber.mentions) == 3 and "phrase" in cyber.cues


def test_qualification_is_not_merged_with_quantification():
    qualif = find(concepts_of(HANDOUT), "qualification")
    assert qualif is None or all("quantif" not in m.text for m in qualif.mentions)


@pytest.mark.parametrize("junk", ["Simon", "Chapitre", "Contexte", "Séminaire", "2019", "**", "TD"])
def test_names_labels_ordinary_words_and_markup_are_not_concepts(junk):
    concepts = concepts_of(HANDOUT + "\nTD : **exploratoire**.\n")
    assert find(concepts, junk) is None


def test_mentions_carry_section_and_exact_spans():
    handout = pipeline.extract(HANDOUT, entities=False)
    cyber = find(handout.concepts, "cybertariat")
    sections = {s.id: s.title for s in handout.sections}
    assert {sections[m.section_id] for m in cyber.mentions} == {"Chapitre 1 : La plateforme", "Chapitre 2 : Les données"}


def test_glossary_groups_aliases_and_is_always_reported(tmp_path):
    path = tmp_path / "glossaire.toml"
    path.write_text('[[concept]]\nlabel = "digital labor"\naliases = ["travail numérique"]\n'
                    'definition = "Le travail du clic."\n\n[[concept]]\nlabel = "hétéromation"\n', encoding="utf-8")
    text = "Cours\n\nIntroduction\n\nLe digital labor, ou travail numérique, est partout. Le digital labor encore.\n"
    concepts = concepts_of(text, glossary=path)
    dl = find(concepts, "digital labor")
    assert dl.label == "digital labor" and dl.definition == "Le travail du clic."
    assert len(dl.mentions) == 3 and {m.match for m in dl.mentions} >= {"glossary"}
    hetero = find(concepts, "hétéromation")
    assert hetero is not None and hetero.mentions == []  # glossary concepts are always reported


@pytest.mark.parametrize("content, message", [("label = ", "not valid TOML"), ("[[concept]]\naliases = []\n", "label")])
def test_bad_glossary_is_a_clear_error(tmp_path, content, message):
    path = tmp_path / "g.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TdxError, match=message):
        Glossary.load(path)


def test_seed_concepts_score(shared, tmp_path):
    import json
    import subprocess
    import sys

    out = tmp_path / "seed.json"
    out.write_text(pipeline.extract(shared / "seeds" / "000_6493ecf00d1e5b16.txt").model_dump_json(), encoding="utf-8")
    result = subprocess.run([sys.executable, str(shared / "score.py"), str(out),
                             str(shared / "gold" / "000_6493ecf00d1e5b16.gold.json"), "--json"],
                            capture_output=True, text=True, check=True)
    metrics = json.loads(result.stdout[: result.stdout.rindex("\nquotes R=")])["concepts"]
    line = result.stdout.splitlines()[-1]
    assert metrics["recall"] >= 0.9 and metrics["variants_grouped"] == 1.0, line
    assert metrics["mention_counts_ok"] >= 0.9 and not metrics["junk"], line
