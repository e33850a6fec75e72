"""tdx's faster model (factored token_match, set-based lemma index, NER near names) gives what
spaCy's own pipeline gives."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("spacy")

from pipeline import nlp  # noqa: E402
from pipeline.ingest import read  # noqa: E402
from pipeline.text import fold  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NEEDS = frozenset({"lemmas", "entities"})
HANDOUTS = sorted(p for p in [*ROOT.joinpath("raw").iterdir(), *ROOT.joinpath("tests", "data").iterdir()]
                  if p.suffix in (".txt", ".md"))


@pytest.fixture(scope="module")
def reference():
    """spaCy's pipeline as spaCy loads it (its 3.5 s token_match included), without the parser."""
    import spacy

    return spacy.load(nlp.MODEL, exclude=["parser", "senter"])


def test_the_model_carries_the_factored_token_match():
    assert len(nlp.load(NEEDS).tokenizer.token_match.__self__.pattern) < 100_000


@pytest.mark.parametrize("path", HANDOUTS, ids=lambda p: p.name)
def test_tokens_parts_of_speech_and_lemmas_are_spacys(reference, path):
    doc = read(path)
    ours = nlp.parse(doc, NEEDS)
    theirs = reference(nlp.mask(doc))
    def annotations(tokens):
        return [(t.idx, t.text, t.pos_, str(t.morph), t.lemma_) for t in tokens]

    assert annotations(ours) == annotations(theirs)


@pytest.mark.parametrize("path", HANDOUTS, ids=lambda p: p.name)
def test_people_and_concepts_are_those_of_ner_over_the_whole_text(reference, path, monkeypatch):
    """NER runs in windows around capitalized words; the entities stage keeps only names that
    start with a capital, so it finds the same people, organisations and concepts as when NER
    reads the whole text. (The windows do lose some of whole-text NER's junk, "Contexte" or
    "Chapitre 2" at the start of a line, which the stage would throw away anyway.)"""
    from pipeline.extract import extract

    windowed = extract(path)
    monkeypatch.setattr(nlp, "parse", lambda doc, needs: reference(nlp.mask(doc)))
    whole = extract(path)
    assert windowed.entities == whole.entities
    assert windowed.concepts == whole.concepts


def test_entities_without_lemmas_still_run_near_every_capital():
    doc = read(ROOT / "raw" / "casilli-en-attendant-les-robots.txt")
    people = {e.text for e in nlp.parse(doc, frozenset({"entities"})).ents if e.label_ == "PER"}
    assert "Antonio Casilli" in people or "Casilli" in people


def test_lexicon_folds_like_fold():
    lexicon = nlp.lexicon(frozenset({"lemmas"}))
    assert lexicon.folded == frozenset(fold(w) for w in lexicon.lemmas)


def test_lemmatizer_tables_are_spacys():
    """tdx reads the lemmatizer's tables itself (faster): the same entries in the same order, the
    same Bloom filters, the index's word lists as sets."""
    from spacy.lookups import Lookups

    model = nlp.load(frozenset({"lemmas"}))
    folder = model.path / "lemmatizer" / "lookups"
    ours, theirs = nlp.read_lookups(folder / "lookups.bin"), Lookups().from_disk(folder)
    assert ours.tables == theirs.tables == ["lemma_lookup", "lemma_rules", "lemma_exc", "lemma_index"]
    for name in theirs.tables:
        mine, spacys = ours.get_table(name), theirs.get_table(name)
        assert list(mine.keys()) == list(spacys.keys())
        if name == "lemma_index":
            assert all(mine[key] == frozenset(spacys[key]) for key in spacys)
        else:
            assert dict(mine.items()) == dict(spacys.items())
        assert mine.bloom.to_bytes() == spacys.bloom.to_bytes()
    assert "mangeait" in ours.get_table("lemma_lookup") and ours.get_table("lemma_lookup").get("mangeait") == ["manger"]
    assert model.get_pipe("lemmatizer").lookups.get_table("lemma_index") is not None
    assert model.pipe_names == ["tok2vec", "morphologizer", "attribute_ruler", "lemmatizer"]
