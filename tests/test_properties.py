"""Random and adversarial text: extraction never raises, validates, keeps spans exact, scales linearly."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pipeline
from pipeline.errors import TdxError
from pipeline.models import Handout
from tests.conftest import assert_spans_exact

# Pieces that stress every stage: quote marks of all kinds, references, headings, bullets, fences,
# Markdown markers, non-breaking spaces, control characters and other scripts.
PIECES = ["«", "»", "“", "”", "„", '"', "‹", "›", " ", "\u00a0", "\u202f", "\n", "\n\n", "\r\n", "\t",
          "(p. 12)", "(p.)", "(pp. 3-1)", "(ibid.)", "[...]", "[p. 8]", "p. 34 : ", "Chapitre 2 : ",
          "Partie I", "I. ", "A) ", "1.1 ", "# ", "## ", "> ", "- ", "➔ ", "```", "**", "*", "_",
          "mot", "Texte", "é", "œ", "\u0301", "\x00", "\x07", "\x1b", "\ufeff", "Ελληνικά", "中文", "العربية",
          "🙂", "|", "---", "<div>", "<!--", "-->", ":", ".", "?"]
documents = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=120).map("".join)


def _extract(text: str) -> Handout | None:
    try:
        return pipeline.extract(text)
    except TdxError:
        return None  # empty or binary-looking input is refused with a message, never a crash


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_random_documents_never_crash_and_keep_spans_exact(text):
    handout = _extract(text)
    if handout is not None:
        assert_spans_exact(handout)
        Handout.model_validate_json(handout.model_dump_json())


@pytest.mark.parametrize(
    "text",
    [
        "«" * 5000,
        "»" * 5000,
        "« " * 3000 + "»" * 10,
        "“" * 3000 + "»" * 3000,
        '"' * 4001,
        "« x » " * 3000,
        "mot " * 20000,  # one very long line
        "Titre\n\n" * 3000,
        "- « a\n" * 3000,
        "(p. 1)\n\n" * 3000,
    ],
    ids=lambda t: repr(t[:12]),
)
def test_adversarial_documents(text):
    handout = _extract(text)
    assert handout is not None
    assert_spans_exact(handout)


def _best_time(text: str, runs: int = 3, **options) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        pipeline.extract(text, **options)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("unit", [
    "Chapitre 1 : Titre\n\n- « une citation assez longue pour compter » (p. 12)\n\n",
    "« ouvert sans fermeture\n\n",
    "« a « b « c » d\n\n» e »\n\n",
    "Un paragraphe ordinaire, sans guillemets, qui se termine par une référence (p. 3)\n\n",
])
def test_time_grows_linearly(unit):
    """8x the input must cost far less than 64x the time (quadratic); the bound is loose on purpose.
    The rule-based stages are measured alone here: they are where a scan over quotes or lines could
    hide; spaCy itself is linear and measured at a smaller size below."""
    small, large = unit * 300, unit * 2400
    options = dict(concepts=False, entities=False)
    _best_time(small, **options)  # warm caches
    ratio = _best_time(large, **options) / max(_best_time(small, **options), 1e-4)
    assert ratio < 24, f"8x input took {ratio:.1f}x the time"


def test_time_grows_linearly_with_the_nlp_stages():
    unit = ("Chapitre 1 : Le « microtravail »\n\n- La notion de gamification et le micro-travail "
            "« une citation assez longue pour compter » (p. 12), dit Dominique Cardon.\n\n")
    small, large = unit * 40, unit * 320
    _best_time(small, runs=1)
    ratio = _best_time(large, runs=2) / max(_best_time(small, runs=2), 1e-4)
    assert ratio < 24, f"8x input took {ratio:.1f}x the time"
