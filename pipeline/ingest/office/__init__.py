"""Word, PowerPoint and OpenDocument files: zip archives of XML, one reader module per kind, all
rendering through ``render.Writer`` to the same Markdown-like text."""

from __future__ import annotations

from pipeline.ingest.office.archive import DEFAULT_EXPANDED_LIMIT, expanded_size
from pipeline.ingest.office.docx import read_docx
from pipeline.ingest.office.odf import read_odf
from pipeline.ingest.office.pptx import read_pptx

__all__ = ["read_docx", "read_pptx", "read_odf", "expanded_size", "DEFAULT_EXPANDED_LIMIT"]
