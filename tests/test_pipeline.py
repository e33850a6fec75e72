"""Whole handouts: the seed against its gold annotation, and exact spans on every test document."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

import pipeline
from pipeline.models import Handout
from tests.conftest import OWN_HANDOUTS, ROOT, assert_spans_exact

SEED_GOLD = "000_6493ecf00d1e5b16.gold.json"


@pytest.mark.parametrize("path", OWN_HANDOUTS, ids=lambda p: p.name)
def test_spans_are_exact_on_own_handouts(path):
    handout = pipeline.extract(path)
    assert_spans_exact(handout)
    Handout.model_validate_json(handout.model_dump_json())


def test_spans_are_exact_on_the_shared_corpus(shared):
    paths = sorted((shared / "corpus").glob("*.md")) + sorted((shared / "seeds").glob("*.txt"))
    assert paths
    for path in paths:
        assert_spans_exact(pipeline.extract(path))


def _score(shared, tmp_path, handout_path, gold_name):
    out = tmp_path / "out.json"
    out.write_text(pipeline.extract(handout_path).model_dump_json(), encoding="utf-8")
    result = subprocess.run([sys.executable, str(shared / "score.py"), str(out), str(shared / "gold" / gold_name),
                             "--json"], capture_output=True, text=True, check=True)
    return json.loads(result.stdout[: result.stdout.rindex("\nquotes R=")]), result.stdout.splitlines()[-1]


def test_seed_scores_against_gold(shared, tmp_path):
    metrics, line = _score(shared, tmp_path, shared / "seeds" / "000_6493ecf00d1e5b16.txt", SEED_GOLD)
    q, s, m = metrics["quotes"], metrics["sections"], metrics["metadata"]
    assert q["recall"] == 1.0 and q["precision"] >= 0.95 and q["reference_accuracy"] == 1.0, line
    assert s["recall"] == 1.0 and s["precision"] >= 0.9 and s["hierarchy"] == 1.0, line
    assert not s["forbidden"], line
    assert m["accuracy"] == 1.0, line


def test_raw_seed_copy_is_the_seed(shared):
    """raw/ holds the seed under a meaningful name; the scored file and the shipped one agree."""
    assert (ROOT / "raw" / "casilli-en-attendant-les-robots.txt").read_bytes() == \
        (shared / "seeds" / "000_6493ecf00d1e5b16.txt").read_bytes()


def test_extract_accepts_text_path_and_str_path():
    path = ROOT / "raw" / "casilli-en-attendant-les-robots.txt"
    by_path = pipeline.extract(path)
    by_str = pipeline.extract(str(path))
    by_text = pipeline.extract(path.read_text(encoding="utf-8"))
    assert by_path.quotes == by_str.quotes == by_text.quotes
    assert by_path.source.path == str(path) and by_text.source.path is None


def test_document_issues_mirror_flagged_quotes():
    handout = pipeline.extract("Titre\n\nIl écrit : « une phrase qui ne finit jamais et continue encore (p. 3)\n")
    codes = {issue.code for issue in handout.issues}
    assert "missing_closing_mark" in codes
    assert all(re.match(r"[a-z_]+$", issue.code) for issue in handout.issues)
