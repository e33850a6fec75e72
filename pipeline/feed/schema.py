"""JSON Schemas of the public contract, generated from the pydantic models."""

from __future__ import annotations

import json

from pipeline.models import SCHEMA_VERSION, CheckReport, Handout, RunReport

SCHEMAS = {"handout.schema.json": Handout, "run-report.schema.json": RunReport,
           "check-report.schema.json": CheckReport}


def render(name: str = "handout.schema.json") -> str:
    """The schema file's exact text (what ``schemas/`` holds and the drift test compares)."""
    schema = SCHEMAS[name].model_json_schema()
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
              "$id": f"https://tdx.invalid/schemas/{name}",
              "x-schema-version": SCHEMA_VERSION, **schema}
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
