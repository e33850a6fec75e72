"""PowerPoint handouts (.pptx), read with python-pptx: one page per slide.

A slide's title placeholder is its title: written as a standalone line marked as a heading (the
deck heuristics of ``stages/slides.py`` then rank it and merge a title repeated on the next slides,
as they do for a deck flattened to text); the first slide's centred title and subtitle are the
title block. The other shapes are read top to bottom, and left to right when side by side; a body
placeholder's paragraphs are list items, as PowerPoint shows them. Speaker notes are not the
slide's text, and not put after the slides either (every element's page must be its slide): they
are left out, and the ``speaker_notes`` issue says which slides had some.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from pipeline.document import Document
from pipeline.ingest.office.archive import DEFAULT_EXPANDED_LIMIT, Archive
from pipeline.ingest.office.render import Run, Writer, build
from pipeline.models import Issue

_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def read_pptx(path: Path, *, limit: int | None = DEFAULT_EXPANDED_LIMIT) -> Document:
    from lxml import etree
    from pptx import Presentation
    from pptx.exc import PackageNotFoundError

    archive = Archive(path, limit=limit)  # the faults python-pptx would report as tracebacks
    try:
        archive.expect(".pptx")
    finally:
        archive.close()
    try:
        deck = Presentation(str(path))
        writer, noted = Writer(), []
        height = deck.slide_height or 6858000
        for number, slide in enumerate(deck.slides, 1):
            writer.start_page(number)
            _slide(writer, slide, number, height)
            if slide.has_notes_slide and (frame := slide.notes_slide.notes_text_frame) is not None \
                    and frame.text.strip():
                noted.append((number, len(frame.text.strip())))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError) as err:
        raise archive.error(f"is a damaged presentation ({type(err).__name__}: {err}).",
                            "Open it in PowerPoint or Impress and save it again.") from err
    issues = []
    if noted:
        issues.append(Issue(code="speaker_notes", severity="info",
                            message=f"the speaker notes of slide(s) {', '.join(str(n) for n, _ in noted)} "
                                    f"({sum(size for _, size in noted)} characters) are not part of the text: "
                                    "what the presenter says is not what the slides show."))
    return build(writer, path, archive.data, fmt="pptx", pages=len(deck.slides), issues=issues)


def _slide(writer: Writer, slide, number: int, height: int) -> None:
    from pptx.enum.shapes import PP_PLACEHOLDER

    titles = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.VERTICAL_TITLE)
    shapes = list(_flat(slide.shapes))
    title = next((s for s in shapes if s.is_placeholder and s.placeholder_format.type in titles
                  and s.has_text_frame and s.text_frame.text.strip()), None)
    cover = title is not None and title.placeholder_format.type == PP_PLACEHOLDER.CENTER_TITLE and number == 1
    if title is not None:
        runs = [r for p in title.text_frame.paragraphs for r in [*_runs(p), Run(" ")]]
        # The cover's title is the handout's title: a title-block line, not a section.
        writer.paragraph(runs, hint=not cover)
    for shape in _reading_order([s for s in shapes if s is not title], height):
        if shape.has_text_frame:
            items = shape.is_placeholder and shape.placeholder_format.type in (
                PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
            for paragraph in shape.text_frame.paragraphs:
                bulleted = items and paragraph._p.find(f"{_A}pPr/{_A}buNone") is None
                writer.paragraph(_runs(paragraph), prefix="- " if bulleted else "")
        elif getattr(shape, "has_table", False) and shape.has_table:
            writer.table([[[r for p in cell.text_frame.paragraphs for r in [*_runs(p), Run(" ")]]
                           for cell in row.cells] for row in shape.table.rows])


def _flat(shapes):
    """Shapes, those of a group in its place."""
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from _flat(shape.shapes)
        else:
            yield shape


def _reading_order(shapes, height: int):
    """Top to bottom; shapes whose tops lie within a twentieth of the slide of each other are one
    row, read left to right (two text boxes side by side)."""
    placed = sorted(shapes, key=lambda s: (s.top or 0, s.left or 0))
    rows: list[list] = []
    for shape in placed:
        if rows and (shape.top or 0) - (rows[-1][0].top or 0) <= height / 20:
            rows[-1].append(shape)
        else:
            rows.append([shape])
    return [shape for row in rows for shape in sorted(row, key=lambda s: s.left or 0)]


def _runs(paragraph) -> list[Run]:
    out = []
    for child in paragraph._p:
        if child.tag == f"{_A}r":
            props = child.find(f"{_A}rPr")
            bold = props is not None and props.get("b") in ("1", "true")
            italic = props is not None and props.get("i") in ("1", "true")
            text = child.find(f"{_A}t")
            out.append(Run(text.text or "" if text is not None else "", bold, italic))
        elif child.tag == f"{_A}br":
            out.append(Run("\n"))
        elif child.tag == f"{_A}fld":  # a slide number, a date: its current text
            text = child.find(f"{_A}t")
            out.append(Run(text.text or "" if text is not None else ""))
    return out
