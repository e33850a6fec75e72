"""Build Word and PowerPoint handouts at test time (python-docx, python-pptx), for the readers of
``pipeline/ingest/office``. A test helper, not a test file.

A paragraph is ``(style, runs)``; a run is a string, or a tuple saying what it is:
``("i", text)`` italic, ``("b", text)`` bold, ``("bi", text)`` both, ``("note", text)`` a footnote
call whose note says ``text``, ``("endnote", text)`` the same as an endnote, ``("ins", text)`` a
tracked insertion, ``("del", text)`` a tracked deletion, ``("comment", text)`` a comment on the
preceding run. python-docx writes neither notes nor tracked changes: their XML is added here the way
Word writes it.
"""

from __future__ import annotations

from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NOTES_XML = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{{kind}}s xmlns:w="{W_NS}">'
              '<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
              '<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
              '</w:{kind}>{{body}}</w:{{kind}}s>')


def _note_xml(kind: str, number: int, text: str) -> str:
    from xml.sax.saxutils import escape

    return (f'<w:{kind} w:id="{number}"><w:p><w:pPr><w:pStyle w:val="{kind.capitalize()}Text"/></w:pPr>'
            f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:{kind}Ref/></w:r>'
            f'<w:r><w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p></w:{kind}>')


def make_docx(path: Path, paragraphs: list[tuple[str, list]], *, tables: dict[int, list[list[str]]] | None = None,
              french_styles: bool = False) -> Path:
    """A .docx of ``paragraphs``; ``tables[i]`` is a table put before paragraph ``i``. With
    ``french_styles``, headings use styles named "Titre 1", "Titre 2"… as LibreOffice writes them."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    notes: dict[str, list[str]] = {"footnote": [], "endnote": []}
    tables = tables or {}
    for index, (style, runs) in enumerate(paragraphs):
        if index in tables:
            rows = tables[index]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
        if french_styles and style.startswith("Heading "):
            style = "Titre " + style.split()[-1]
            if style not in [s.name for s in document.styles]:
                added = document.styles.add_style(style, WD_STYLE_TYPE.PARAGRAPH)
                added.base_style = document.styles["Normal"]
        paragraph = document.add_paragraph(style=style)
        for run in runs:
            kind, text = ("", run) if isinstance(run, str) else run
            if kind in ("note", "endnote"):
                note_kind = "footnote" if kind == "note" else "endnote"
                notes[note_kind].append(text)
                r = paragraph.add_run()
                ref = OxmlElement(f"w:{note_kind}Reference")
                ref.set(qn("w:id"), str(len(notes[note_kind])))
                r._r.append(ref)
            elif kind in ("ins", "del"):
                r = paragraph.add_run(text)
                wrapper = OxmlElement(f"w:{kind}")
                wrapper.set(qn("w:id"), str(100 + index))
                wrapper.set(qn("w:author"), "Relecteur")
                r._r.addprevious(wrapper)
                wrapper.append(r._r)
                if kind == "del":
                    for t in r._r.findall(qn("w:t")):
                        t.tag = qn("w:delText")
            elif kind == "comment":
                previous = paragraph.runs[-1] if paragraph.runs else paragraph.add_run("")
                document.add_comment(previous, text=text, author="Relecteur")
            else:
                r = paragraph.add_run(text)
                r.bold = "b" in kind or None
                r.italic = "i" in kind or None
    for kind, rel in (("footnote", RT.FOOTNOTES), ("endnote", RT.ENDNOTES)):
        if notes[kind]:
            body = "".join(_note_xml(kind, n, text) for n, text in enumerate(notes[kind], 1))
            blob = _NOTES_XML.format(kind=kind).format(kind=kind, body=body).encode("utf-8")
            part = Part(PackURI(f"/word/{kind}s.xml"),
                        f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}s+xml",
                        blob, document.part.package)
            document.part.relate_to(part, rel)
    document.save(str(path))
    return path
