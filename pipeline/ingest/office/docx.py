"""Word handouts (.docx): the WordprocessingML parts read with lxml -> the Markdown-like text.

Read from the XML rather than through python-docx (docs/formats.md compares them): python-docx's
``paragraph.runs`` leaves out the runs of a tracked insertion (``w:ins``) and it has no footnotes or
endnotes, which are where handouts give their page references. The walk is short: paragraphs and
tables in body order, the runs of each (tracked insertions kept, deletions and moved-away text
dropped, comments and field codes skipped), and three parts more: styles (heading levels and names
in English or French, outline levels), footnotes and endnotes.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.document import Document
from pipeline.ingest.office.archive import DEFAULT_EXPANDED_LIMIT, Archive
from pipeline.ingest.office.render import Run, Writer, build

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Containers whose runs are shown: hyperlinks, tracked insertions and moves' destinations, smart
# tags, content controls, simple fields (their result).
_WALK_INTO = {f"{W}{tag}" for tag in ("hyperlink", "ins", "moveTo", "smartTag", "customXml", "sdt", "sdtContent",
                                      "fldSimple", "bdo", "dir")}
# Heading styles: "Heading 2" (Word's built-in name, whatever the interface language), "Titre 2"
# (the name LibreOffice and some French templates write), "heading2" ids.
_HEADING_NAME = re.compile(r"(?:heading|titre|überschrift|título|titolo)\s*(\d)", re.I)
_TITLE_NAMES = {"title", "titre"}
_SUBTITLE_NAMES = {"subtitle", "sous-titre", "soustitre"}
_QUOTE_NAMES = re.compile(r"quote|citation|block text|texte de bloc|quotations", re.I)
_LIST_NAMES = re.compile(r"list|liste", re.I)
_OFF = {"0", "false", "off", "none"}


def read_docx(path: Path, *, limit: int | None = DEFAULT_EXPANDED_LIMIT) -> Document:
    archive = Archive(path, limit=limit)
    try:
        archive.expect(".docx")
        body = archive.xml("word/document.xml").find(f"{W}body")
        if body is None:
            raise archive.error("has no document body: it is damaged.", "Open it and save it again.")
        styles = _Styles(archive.xml("word/styles.xml") if archive.has("word/styles.xml") else None)
        notes = {kind: _notes(archive, f"word/{kind}s.xml", kind) for kind in ("footnote", "endnote")}
        writer = Writer()
        _Body(writer, styles, notes).blocks(body)
    finally:
        archive.close()
    return build(writer, path, archive.data, fmt="docx")


def _on(element) -> bool:
    """A toggle property (``<w:b/>``, ``<w:i w:val="0"/>``) is on unless its value says off."""
    return element is not None and element.get(f"{W}val", "true").lower() not in _OFF


def _notes(archive: Archive, part: str, kind: str) -> dict[str, object]:
    if not archive.has(part):
        return {}
    root = archive.xml(part)
    # The separator "notes" (ids -1 and 0) are the rules Word draws above the notes.
    return {n.get(f"{W}id"): n for n in root.iter(f"{W}{kind}") if n.get(f"{W}type") in (None, "normal")}


class _Styles:
    """Paragraph and character styles: what each says about headings, emphasis, lists, quotations."""

    def __init__(self, root) -> None:
        self._styles: dict[str, object] = {}
        if root is not None:
            self._styles = {s.get(f"{W}styleId"): s for s in root.iter(f"{W}style")}
        self._cache: dict[str, tuple] = {}

    def _chain(self, style_id: str | None):
        seen = set()
        while style_id and style_id in self._styles and style_id not in seen and len(seen) < 20:
            seen.add(style_id)
            style = self._styles[style_id]
            yield style
            based = style.find(f"{W}basedOn")
            style_id = based.get(f"{W}val") if based is not None else None

    def _name(self, style_id: str | None) -> str:
        style = self._styles.get(style_id)
        name = style.find(f"{W}name") if style is not None else None
        return (name.get(f"{W}val") if name is not None else style_id or "") or ""

    def paragraph(self, style_id: str | None) -> tuple[str, int]:
        """``(role, level)``: role is "title", "subtitle", "heading", "quote", "list" or "body"."""
        if style_id in self._cache:
            return self._cache[style_id]
        name = self._name(style_id).strip()
        names = {name.lower(), (style_id or "").lower()}
        role, level = "body", 0
        if names & _TITLE_NAMES:
            role = "title"
        elif names & _SUBTITLE_NAMES:
            role = "subtitle"
        elif m := (_HEADING_NAME.fullmatch(name) or _HEADING_NAME.fullmatch(style_id or "")):
            role, level = "heading", int(m.group(1))
        else:
            for style in self._chain(style_id):
                outline = style.find(f"{W}pPr/{W}outlineLvl")
                if outline is not None and (value := outline.get(f"{W}val", "9")).isdigit() and int(value) < 9:
                    role, level = "heading", int(value) + 1
                    break
                if _QUOTE_NAMES.search(self._name(style.get(f"{W}styleId"))):
                    role = "quote"
                    break
                if _LIST_NAMES.search(self._name(style.get(f"{W}styleId"))) \
                        or style.find(f"{W}pPr/{W}numPr") is not None:
                    role = "list"
                    break
        self._cache[style_id] = (role, level)
        return role, level

    def emphasis(self, style_id: str | None) -> tuple[bool, bool]:
        """A character style's bold and italic ("Emphasis"/"Accentuation", "Strong"/"Élevé")."""
        bold = italic = None
        for style in self._chain(style_id):
            props = style.find(f"{W}rPr")
            if props is None:
                continue
            if bold is None and (b := props.find(f"{W}b")) is not None:
                bold = _on(b)
            if italic is None and (i := props.find(f"{W}i")) is not None:
                italic = _on(i)
        return bool(bold), bool(italic)


class _Body:
    def __init__(self, writer: Writer, styles: _Styles, notes: dict[str, dict[str, object]]) -> None:
        self.writer, self.styles, self.notes = writer, styles, notes

    def blocks(self, parent) -> None:
        for child in parent:
            if child.tag == f"{W}p":
                self.paragraph(child)
            elif child.tag == f"{W}tbl":
                self.writer.table([[self.cell(tc) for tc in row.iter(f"{W}tc")] for row in child.iter(f"{W}tr")])
            elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins", f"{W}moveTo"):
                self.blocks(child)

    def cell(self, tc) -> list[Run]:
        runs: list[Run] = []
        for p in tc.iter(f"{W}p"):
            if runs:
                runs.append(Run(" "))
            runs.extend(self.runs(p))
        return runs

    def paragraph(self, p) -> None:
        props = p.find(f"{W}pPr")
        style = props.find(f"{W}pStyle") if props is not None else None
        role, level = self.styles.paragraph(style.get(f"{W}val") if style is not None else None)
        if props is not None and (outline := props.find(f"{W}outlineLvl")) is not None:
            value = outline.get(f"{W}val", "9")
            if value.isdigit() and int(value) < 9:  # 9 is "body text": a heading style undone
                role, level = "heading", int(value) + 1
            elif role == "heading":
                role = "body"
        runs = self.runs(p)
        if role == "heading":
            self.writer.heading(level, runs)
        elif role == "quote":
            self.writer.paragraph(runs, prefix="> ")
        elif role == "list" or (props is not None and props.find(f"{W}numPr") is not None):
            self.writer.paragraph(runs, prefix="- ")
        else:
            # Title and subtitle are plain lines on top: the title-block stage reads them as it
            # reads a text handout's first lines.
            self.writer.paragraph(runs)
        self.text_boxes(p)

    def text_boxes(self, p) -> None:
        """Text boxes anchored in the paragraph, after it. Word writes each twice (DrawingML in
        ``mc:Choice``, VML in ``mc:Fallback`` for old readers): the fallback copy is skipped, and a
        box inside another box is read with it."""
        for box in p.iter(f"{W}txbxContent"):
            if not any(a.tag in (f"{MC}Fallback", f"{W}txbxContent") for a in box.iterancestors()):
                self.blocks(box)

    def runs(self, parent) -> list[Run]:
        out: list[Run] = []
        for child in parent:
            tag = child.tag
            if tag == f"{W}r":
                out.extend(self.run(child))
            elif tag in _WALK_INTO:
                out.extend(self.runs(child))
            # w:del, w:moveFrom (changes not accepted away), comment ranges, w:pPr: nothing shown.
        return out

    def run(self, r) -> list[Run]:
        props = r.find(f"{W}rPr")
        bold = italic = False
        if props is not None:
            if (style := props.find(f"{W}rStyle")) is not None:
                bold, italic = self.styles.emphasis(style.get(f"{W}val"))
            if (b := props.find(f"{W}b")) is not None:
                bold = _on(b)
            if (i := props.find(f"{W}i")) is not None:
                italic = _on(i)
        out: list[Run] = []
        for child in r:
            tag = child.tag
            if tag == f"{W}t":
                out.append(Run(child.text or "", bold, italic))
            elif tag in (f"{W}tab", f"{W}ptab"):
                out.append(Run("\t", bold, italic))
            elif tag in (f"{W}br", f"{W}cr"):
                out.append(Run("\n"))
            elif tag == f"{W}noBreakHyphen":
                out.append(Run("-", bold, italic))
            elif tag in (f"{W}footnoteReference", f"{W}endnoteReference"):
                kind = "footnote" if tag == f"{W}footnoteReference" else "endnote"
                note = self.notes[kind].get(child.get(f"{W}id"))
                if note is not None:
                    out.append(self.writer.note(self.cell(note)))
            # w:delText (a deletion), w:instrText (a field's code), w:footnoteRef (the note's own
            # number mark), drawings: nothing shown.
        return out
