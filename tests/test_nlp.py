"""tdx's faster model (factored token_match, its own reading of the lemmatizer's tables, NER near
names) gives what spaCy's own pipeline gives. The tables themselves: tests/test_lookups.py."""

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


def test_pieces_cover_the_text_and_cut_where_a_word_follows_whitespace():
    from pipeline.nlp.parse import pieces

    text = "Un paragraphe.\n\n" + "mot " * 300 + "\nune ligne\n\n" + "x" * 500 + " fin"
    bounds = pieces(text, size=200)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text) and len(bounds) > 5
    assert all(a == b for (_, a), (b, _) in zip(bounds, bounds[1:]))
    assert all(text[a - 1].isspace() and not text[a].isspace() for a, _ in bounds[1:])
    assert max(b - a for a, b in bounds) <= 501  # only a piece without whitespace may run over


@pytest.mark.parametrize("path", HANDOUTS, ids=lambda p: p.name)
def test_a_text_read_in_small_pieces_is_tagged_as_a_whole(path, monkeypatch):
    """Long texts are read piece by piece (bounded memory); with the context on either side, every
    token gets the tags, lemmas and entities the whole text gives it, at the same offsets."""
    import importlib

    parse = importlib.import_module("pipeline.nlp.parse")
    doc = read(path)
    whole = nlp.parse(doc, NEEDS)
    monkeypatch.setattr(parse, "PIECE_CHARS", 300)
    monkeypatch.setattr(parse, "pieces", lambda text, size=300, cut=parse.pieces: cut(text, size=size))
    pieced = nlp.parse(doc, NEEDS)

    def annotations(parsed):
        return ([(t.idx, t.text, t.whitespace_, t.pos_, str(t.morph), t.lemma_) for t in parsed],
                [(e.start_char, e.end_char, e.label_) for e in parsed.ents])

    assert pieced.text == whole.text == nlp.mask(doc)
    assert annotations(pieced) == annotations(whole)


def test_entities_without_lemmas_still_run_near_every_capital():
    doc = read(ROOT / "raw" / "casilli-en-attendant-les-robots.txt")
    people = {e.text for e in nlp.parse(doc, frozenset({"entities"})).ents if e.label_ == "PER"}
    assert "Antonio Casilli" in people or "Casilli" in people


def test_lexicon_folds_like_fold():
    lexicon = nlp.lexicon(frozenset({"lemmas"}))
    assert lexicon.folded == frozenset(fold(w) for w in lexicon.lemmas)


def _run(code: str, *, path: Path | None = None) -> str:
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(p) for p in (path, ROOT) if p)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_spacy_is_imported_without_its_command_line_which_still_works_afterwards():
    out = _run("import sys\n"
               "from pipeline.nlp import import_spacy\n"
               "spacy = import_spacy()\n"
               "print(sorted(m for m in ('requests', 'weasel', 'httpx', 'spacy.cli') if m in sys.modules))\n"
               "import spacy.cli\n"
               "print(callable(spacy.cli.download), type(spacy.info(silent=True)).__name__)\n")
    assert out.split("\n")[:2] == ["[]", "True dict"]


def test_a_spacy_that_imports_more_of_its_command_line_is_imported_as_usual(tmp_path):
    """Should a spaCy release import more than ``info`` from ``spacy.cli``, the stand-in fails and
    spaCy is imported the ordinary way (here a stand-in package of the same shape)."""
    package = tmp_path / "spacy"
    (package / "cli").mkdir(parents=True)
    (package / "__init__.py").write_text("from .cli.info import info\nfrom .cli import download\n")
    (package / "cli" / "__init__.py").write_text("from .info import info\ndef download():\n    return 'real'\n")
    (package / "cli" / "info.py").write_text("def info():\n    return 'real info'\n")
    out = _run("from pipeline.nlp import import_spacy\n"
               "spacy = import_spacy()\n"
               "print(spacy.download(), spacy.info(), spacy.cli.download())\n", path=tmp_path)
    assert out.strip() == "real real info real"
