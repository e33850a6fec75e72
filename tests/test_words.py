"""Words as the verification compares them (``pipeline.checks.words``): folded, a word hyphenated
at a line end joined, footnote calls left out."""

from __future__ import annotations

import pytest

from pipeline.checks.words import words
from pipeline.text import fold


@pytest.mark.parametrize("text, expected", [
    ("L’Œuvre  a ÉTÉ", ["l", "oeuvre", "a", "ete"]),
    ("l'adminis-\ntration", ["l", "administration"]),
    # A hyphen inside a line is a compound, not a cut word.
    ("peut-être", ["peut", "etre"]),
    # Footnote calls glued to a word are no words; a year standing apart is one.
    ("l'amende[94] fut levée en 1831", ["l", "amende", "fut", "levee", "en", "1831"]),
    ("méprisable¹ et amende2", ["meprisable", "et", "amende"]),
])
def test_words(text, expected):
    assert words(text).norms == expected


def test_fold_groups_spellings_of_one_word():
    assert fold("avénement") == fold("avènement") == "avenement"
