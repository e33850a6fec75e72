"""How the stages compare two spellings of one word: case, accents and ligatures folded."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Ligatures and the typographic apostrophe: "Œuvre" = "oeuvre", "l’écart" = "l'écart".
_FOLD = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ſ": "s", "’": "'"})


@lru_cache(maxsize=1 << 16)  # called per token and per word of a book: words recur
def fold(text: str) -> str:
    """Lower case, ligatures spelt out, accents removed: "Tâcheronnisation" -> "tacheronnisation"."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def fold_words(text: str) -> str:
    """``fold`` with punctuation and spacing ignored, for comparing titles."""
    return re.sub(r"\W+", " ", fold(text)).strip()
