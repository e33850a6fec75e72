"""The committed JSON Schema must match the pydantic models, and outputs must validate."""

from __future__ import annotations

import json

import pytest

from pipeline.models import Handout, RunReport
from pipeline.feed.schema import SCHEMAS, render
from tests.conftest import ROOT


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_schema_matches_models(name):
    committed = (ROOT / "schemas" / name).read_text(encoding="utf-8")
    assert committed == render(name), f"schemas/{name} is stale: run `tdx schema -o schemas/` and commit it"


@pytest.mark.parametrize("path", sorted((ROOT / "outputs").glob("*.json")), ids=lambda p: p.name)
def test_committed_outputs_validate(path):
    model = RunReport if path.name == "_run.json" else Handout
    model.model_validate(json.loads(path.read_text(encoding="utf-8")))
