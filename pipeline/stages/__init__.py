"""Extraction stages: each reads a ``Document`` and returns pydantic records (see ``pipeline.extract``)."""
