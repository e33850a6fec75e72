"""The factored union matches exactly the strings the original matches, and the model loads with it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.nlp.regexfactor import factor_union

ROOT = Path(__file__).resolve().parents[1]

SMALL_UNIONS = [
    r"(?:^anti[-‐][a-zé]+$)|(?:^archi[-‐][a-zé]+$)|(?:^a[-‐][a-zé]*$)",
    r"(?i)(?:^re?fox[-]trott[a-z]+$)|(?:^fox[-]trott[a-z]*$)|(?:^x$)|(?:^x$)",
    r"^ab$|^a$|^$|^abc?$|^b(?:c|d)+$",
    r"(?:^[a-z]+-(?:l[èe]s?|la|des?)-(?:l['’])?[a-z]+$)|(?:^[a-z]+-en-(?:l['’])?[a-z]+$)",
    r"(?:^a{2,3}b$)|(?:^a+?b$)|(?:^\.\*$)|(?:^[]a]x$)|(?:^[\]b]x$)",
]


@pytest.mark.parametrize("pattern", SMALL_UNIONS)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(word=st.text(alphabet="abcdefhilnorstuxzé-‐'’.*] ", max_size=14))
def test_small_unions_match_the_same_strings(pattern, word):
    factored = factor_union(pattern)
    assert bool(re.match(pattern, word)) == bool(re.match(factored, word))


@pytest.mark.parametrize("pattern", SMALL_UNIONS)
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_strings_of_each_alternative_still_match(pattern, data):
    word = data.draw(st.from_regex(pattern, fullmatch=True))
    assert re.match(factor_union(pattern), word)


def test_factoring_shares_heads_and_tails():
    assert factor_union(SMALL_UNIONS[0]) == "^a(?:(?:(?:nt|rch)i[-‐][a-zé]+|[-‐][a-zé]*)$)"


@pytest.mark.parametrize("pattern", [
    r"(^ab$)|(^cd$)",  # capturing groups
    r"(?:^a(?=b)b$)|(?:^c$)",  # a lookahead
    r"(?:^(?:a)\1$)|(?:^c$)",  # a backreference
    r"(?:^a$)|(?:^c$))",  # unbalanced
    r"*a|b",
])
def test_what_it_does_not_understand_is_left_alone(pattern):
    assert factor_union(pattern) == pattern


@pytest.fixture(scope="module")
def french_token_match():
    """The pattern the model's tokenizer is saved with, compiled as spaCy compiles it (3.5 s), and
    our factored form. (``spacy.lang.fr``'s own copy may already be the factored one: tdx loads it.)"""
    srsly = pytest.importorskip("srsly")
    from spacy.util import get_package_path

    from pipeline.nlp import MODEL

    [saved] = get_package_path(MODEL).glob("*/tokenizer")
    original = re.compile(srsly.msgpack_loads(saved.read_bytes())["token_match"])
    return original, re.compile(factor_union(original.pattern))


def test_french_pattern_is_factored_to_a_fraction(french_token_match):
    original, factored = french_token_match
    assert len(original.pattern) > 1_000_000
    assert len(factored.pattern) < len(original.pattern) / 50


def _words() -> set[str]:
    words: set[str] = set()
    for path in [*ROOT.joinpath("raw").iterdir(), *ROOT.joinpath("tests", "data").iterdir()]:
        if path.suffix in (".txt", ".md"):
            words.update(path.read_bytes().decode("utf-8", errors="replace").split())
    return words


def test_french_pattern_agrees_on_every_word_of_the_handouts(french_token_match):
    original, factored = french_token_match
    words = _words() | {"anti-robot", "Entr'ouvert", "grand’rue", "saut-de-ski", "pet-en-l'air",
                        "États-Unis", "ÉTATS-UNIS", "burn-out", "burnout", "arc-en-ciel", "faux-vampire",
                        "Aéro-club", "prud'homme", "vis-à-vis", "-", "a-", "l'air", "Jean-Pierre"}
    disagree = [w for w in words if bool(original.match(w)) != bool(factored.match(w))]
    assert not disagree
    assert sum(bool(factored.match(w)) for w in words) >= 15  # the examples above do match


def _french_alternatives():
    pytest.importorskip("spacy")
    from spacy.lang.fr import tokenizer_exceptions

    # Each long Unicode letter class is narrowed to a few of its letters: drawing from the full
    # classes takes minutes, and a word of the narrowed alternative is a word of the original.
    return [re.sub(r"\[[^\]]{100,}\]", "[a-zéèàçœ]", a) for a in tokenizer_exceptions._regular_exp]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=st.data())
def test_french_pattern_agrees_on_generated_words(french_token_match, data):
    """A string drawn from one alternative (in any case), then maybe cut or extended."""
    original, factored = french_token_match
    alternatives = _french_alternatives()
    alternative = data.draw(st.sampled_from(alternatives))
    word = data.draw(st.from_regex(alternative, fullmatch=True))
    word = data.draw(st.sampled_from([word, word.upper(), word.title(), word[:-1], word[1:], word + "-",
                                      word + "'x", "x" + word, word + "\n", word.replace("-", " ")]))
    assert bool(original.match(word)) == bool(factored.match(word))
