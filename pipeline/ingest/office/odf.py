"""OpenDocument handouts (.odt from LibreOffice Writer, .odp from Impress): content.xml read with
lxml, rendered like Word and PowerPoint files.

ODF keeps what a handout needs in plain view: ``text:h`` carries its outline level, a ``text:note``
holds its footnote or endnote where it is called, a tracked deletion is kept apart in
``text:tracked-changes`` (its text is left out: changes accepted) while an insertion is ordinary text.
Emphasis is in the styles a ``text:span`` names (automatic ones in content.xml, named ones in
styles.xml, each possibly based on a parent). An Impress slide is a ``draw:page``; its frames say
what they hold (``presentation:class="title"``, ``"subtitle"``, ``"outline"``), and its speaker
notes (``presentation:notes``) are left out as PowerPoint's are.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.document import Document
from pipeline.ingest.office.archive import DEFAULT_EXPANDED_LIMIT, Archive
from pipeline.ingest.office.render import Run, Writer, build
from pipeline.models import Issue

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "presentation": "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


_HEADING_NAME = re.compile(r"(?:heading|titre)\s*(\d)", re.I)
_QUOTE_NAME = re.compile(r"quotations?|citations?|quote", re.I)
_UNITS = {"cm": 1.0, "mm": 0.1, "in": 2.54, "pt": 2.54 / 72, "pc": 2.54 / 6, "px": 2.54 / 96}


def read_odf(path: Path, *, limit: int | None = DEFAULT_EXPANDED_LIMIT) -> Document:
    archive = Archive(path, limit=limit)
    try:
        if archive.kind() not in (None, ".odt", ".odp"):
            archive.expect(".odt")
        if archive.has("META-INF/manifest.xml") and b"encryption-data" in archive.read("META-INF/manifest.xml"):
            raise archive.error("is protected by a password.",
                                "Open it, save a copy without a password (File > Save As, uncheck "
                                "\"Save with password\") and extract that.")
        content = archive.xml("content.xml")
        styles = _Styles(content, archive.xml("styles.xml") if archive.has("styles.xml") else None)
        body = content.find(f"{_q('office:body')}")
        presentation = body.find(_q("office:presentation")) if body is not None else None
        text = body.find(_q("office:text")) if body is not None else None
        writer, issues, pages = Writer(), [], None
        walker = _Walker(writer, styles)
        if presentation is not None:
            pages, noted = _slides(walker, presentation)
            if noted:
                issues.append(Issue(code="speaker_notes", severity="info",
                                    message=f"the speaker notes of slide(s) {', '.join(map(str, noted))} are not "
                                            "part of the text: what the presenter says is not what the slides show."))
        elif text is not None:
            walker.blocks(text)
        else:
            raise archive.error("holds neither a text document nor a presentation.",
                                "tdx reads .odt and .odp files; export spreadsheets and drawings to PDF.")
    finally:
        archive.close()
    fmt = "odp" if presentation is not None else "odt"
    return build(writer, path, archive.data, fmt=fmt, pages=pages, issues=issues)


class _Styles:
    """Which styles are italic or bold, and what a paragraph style is for (title, quotation…)."""

    def __init__(self, content, named) -> None:
        self._styles: dict[tuple[str, str], object] = {}
        for root in (named, content):  # automatic styles (content.xml) win over named ones
            if root is None:
                continue
            for style in root.iter(_q("style:style")):
                self._styles[(style.get(_q("style:family")), style.get(_q("style:name")))] = style

    def _chain(self, family: str, name: str | None):
        seen = set()
        while name and (family, name) in self._styles and name not in seen and len(seen) < 20:
            seen.add(name)
            style = self._styles[(family, name)]
            yield name, style
            name = style.get(_q("style:parent-style-name"))

    def emphasis(self, name: str | None) -> tuple[bool, bool]:
        bold = italic = None
        for _, style in self._chain("text", name):
            props = style.find(_q("style:text-properties"))
            if props is None:
                continue
            if bold is None and (weight := props.get(_q("fo:font-weight"))):
                bold = weight == "bold" or (weight.isdigit() and int(weight) >= 600)
            if italic is None and (slant := props.get(_q("fo:font-style"))):
                italic = slant in ("italic", "oblique")
        return bool(bold), bool(italic)

    def role(self, name: str | None) -> tuple[str, int]:
        """("title" | "subtitle" | "heading" | "quote" | "body", level) of a paragraph style."""
        for style_name, style in self._chain("paragraph", name):
            shown = (style.get(_q("style:display-name")) or style_name.replace("_20_", " ")).strip()
            lower = {shown.lower(), style_name.replace("_20_", " ").lower()}
            if lower & {"title", "titre"}:
                return "title", 0
            if lower & {"subtitle", "sous-titre"}:
                return "subtitle", 0
            if m := _HEADING_NAME.fullmatch(shown) or _HEADING_NAME.fullmatch(style_name.replace("_20_", " ")):
                return "heading", int(m.group(1))
            if style.get(_q("style:default-outline-level"), "").isdigit():
                return "heading", int(style.get(_q("style:default-outline-level")))
            if any(_QUOTE_NAME.fullmatch(n) for n in lower):
                return "quote", 0
        return "body", 0


class _Walker:
    def __init__(self, writer: Writer, styles: _Styles) -> None:
        self.writer, self.styles = writer, styles

    def blocks(self, parent, *, prefix: str = "") -> None:
        for child in parent:
            tag = child.tag
            if tag == _q("text:h"):
                level = child.get(_q("text:outline-level"))
                self.writer.heading(int(level) if level and level.isdigit() else 1, self.runs(child))
            elif tag == _q("text:p"):
                role, level = self.styles.role(child.get(_q("text:style-name")))
                if role == "heading":
                    self.writer.heading(level, self.runs(child))
                else:
                    self.writer.paragraph(self.runs(child), prefix="> " if role == "quote" and not prefix else prefix)
            elif tag == _q("text:list"):
                for item in child:
                    self.blocks(item, prefix="- ")
            elif tag == _q("table:table"):
                rows = []
                for row in child.iter(_q("table:table-row")):
                    rows.append([self.cell(cell) for cell in row if cell.tag == _q("table:table-cell")])
                self.writer.table(rows)
            elif tag in (_q("text:section"), _q("text:list-item"), _q("text:list-header"), _q("text:index-body")):
                self.blocks(child, prefix=prefix)
            # text:tracked-changes (the deleted text of accepted changes), text:sequence-decls,
            # office:forms: nothing shown.

    def cell(self, cell) -> list[Run]:
        runs: list[Run] = []
        for p in cell.iter(_q("text:p"), _q("text:h")):
            if runs:
                runs.append(Run(" "))
            runs.extend(self.runs(p))
        return runs

    def runs(self, element, bold: bool = False, italic: bool = False) -> list[Run]:
        out: list[Run] = []
        if element.text:
            out.append(Run(element.text, bold, italic))
        for child in element:
            tag = child.tag
            if tag == _q("text:span"):
                b, i = self.styles.emphasis(child.get(_q("text:style-name")))
                out.extend(self.runs(child, bold or b, italic or i))
            elif tag in (_q("text:a"), _q("text:meta"), _q("text:ruby"), _q("text:ruby-base")):
                out.extend(self.runs(child, bold, italic))
            elif tag == _q("text:s"):
                out.append(Run(" " * int(child.get(_q("text:c"), "1") or 1), bold, italic))
            elif tag == _q("text:tab"):
                out.append(Run("\t", bold, italic))
            elif tag == _q("text:line-break"):
                out.append(Run("\n"))
            elif tag == _q("text:note"):
                body = child.find(_q("text:note-body"))
                if body is not None:
                    out.append(self.writer.note(self.cell(body)))
            # office:annotation (a comment), bookmarks, change marks: nothing shown.
            if child.tail:
                out.append(Run(child.tail, bold, italic))
        return out


def _length(value: str | None) -> float:
    """An ODF length ("2.54cm", "1in") in centimetres; 0 when absent."""
    m = re.fullmatch(r"(-?[\d.]+)([a-z]*)", value or "")
    return float(m.group(1)) * _UNITS.get(m.group(2), 1.0) if m else 0.0


def _slides(walker: _Walker, presentation) -> tuple[int, list[int]]:
    noted: list[int] = []
    count = 0
    for number, page in enumerate(presentation.iter(_q("draw:page")), 1):
        count = number
        walker.writer.start_page(number)
        frames = [f for f in page.iter(_q("draw:frame"), _q("draw:custom-shape"), _q("draw:rect"))
                  if not any(a.tag == _q("presentation:notes") for a in f.iterancestors())]
        title = next((f for f in frames if f.get(_q("presentation:class")) == "title"), None)
        if title is not None:
            runs = [r for p in title.iter(_q("text:p")) for r in [*walker.runs(p), Run(" ")]]
            cover = number == 1 and any(f.get(_q("presentation:class")) == "subtitle" for f in frames)
            walker.writer.paragraph(runs, hint=not cover)
        rest = sorted((f for f in frames if f is not title),
                      key=lambda f: (round(_length(f.get(_q("svg:y"))) / 1.0), _length(f.get(_q("svg:x")))))
        for frame in rest:
            box = frame.find(_q("draw:text-box"))
            container = box if box is not None else frame
            outline = frame.get(_q("presentation:class")) == "outline"
            for child in container:  # paragraphs, lists, a table
                if outline and child.tag == _q("text:p"):
                    walker.writer.paragraph(walker.runs(child), prefix="- ")
                else:
                    walker.blocks([child])
        notes = page.find(_q("presentation:notes"))
        if notes is not None and "".join(notes.itertext()).strip():
            noted.append(number)
    return count, noted
