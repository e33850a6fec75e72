"""Shared fixtures. Tests reading ../shared skip cleanly where it is absent (a user's clone)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"
# The project's own test corpus: the handouts in raw/ and the tricky ones under tests/data/.
OWN_HANDOUTS = sorted([*ROOT.glob("raw/*.txt"), *ROOT.glob("raw/*.md"), *DATA.glob("*.txt"), *DATA.glob("*.md")])


def pytest_configure(config):
    # The tests (and the tdx processes they start) never write to the user's own cache
    # (~/.cache/tdx): one folder for the session, so the model's tables are cached once.
    config._tdx_cache = os.environ["TDX_CACHE_DIR"] = tempfile.mkdtemp(prefix="tdx-test-cache-")


def pytest_unconfigure(config):
    shutil.rmtree(getattr(config, "_tdx_cache", ""), ignore_errors=True)


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "gold").is_dir():
        pytest.skip("../shared is not present (it only exists in the project's workspace and CI)")
    return SHARED


def assert_spans_exact(handout) -> None:
    """Every span of a handout points at exactly the element's surface text."""
    text = handout.text
    for section in handout.sections:
        assert 0 <= section.span.start <= section.heading_span.start < section.heading_span.end <= section.span.end <= len(text)
        heading = text[section.heading_span.start:section.heading_span.end]
        assert heading == heading.strip() and heading, section
    for quote in handout.quotes:
        assert text[quote.span.start:quote.span.end] == quote.text, quote.id
        assert quote.outer_span.start <= quote.span.start <= quote.span.end <= quote.outer_span.end
        for inner in quote.nested:
            assert quote.outer_span.start <= inner.start < inner.end <= quote.outer_span.end
        if quote.reference is not None:
            ref = quote.reference
            assert text[ref.span.start:ref.span.end] == ref.raw, quote.id
    for issue in handout.issues:
        if issue.span is not None:
            assert 0 <= issue.span.start <= issue.span.end <= len(text)
    for field, span in handout.metadata.provenance.items():
        assert 0 <= span.start < span.end <= len(text), field
