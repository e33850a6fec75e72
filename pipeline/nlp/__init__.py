"""The French spaCy model, and what makes it cheap to start and to run.

    model.py        the model, loaded once per process with only the components the stages need
    parse.py        what the model reads (the text with its markup masked) and NER near names only
    lookups.py      the lemmatizer's tables and the lexicon, read from tdx's cache
    regexfactor.py  the tokenizer's 1.4 MB ``token_match`` rewritten to compile in milliseconds

The extraction calls it as ``nlp.parse`` and ``nlp.lexicon`` (``from pipeline import nlp``).
Importing this package imports neither spaCy nor the tables: loading the model does.
"""

from pipeline.nlp.model import ALL_COMPONENTS, COMPONENTS, MODEL, Lexicon, import_spacy, lexicon, load
from pipeline.nlp.parse import NER_MARGIN, mask, parse

__all__ = ["ALL_COMPONENTS", "COMPONENTS", "MODEL", "NER_MARGIN", "Lexicon", "import_spacy", "lexicon", "load",
           "mask", "parse"]
