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


def runs_of_markdown(text: str) -> list:
    """``**bold**``, ``*italic*`` and ``***both***`` of a Markdown line as runs (the seed handout's
    emphasis, put back into the file as the formatting it stood for)."""
    import re

    runs, bold, italic = [], False, False
    for piece in re.split(r"(\*{1,3})", text):
        if piece.startswith("*") and set(piece) == {"*"}:
            if len(piece) >= 2:
                bold = not bold
            if len(piece) != 2:
                italic = not italic
        elif piece:
            runs.append((("b" if bold else "") + ("i" if italic else ""), piece))
    return runs


def make_pptx(path: Path, slides: list[dict]) -> Path:
    """A .pptx, one slide per dict: ``title`` (in the title placeholder; ``cover=True`` puts it
    and ``subtitle`` on a title slide), ``boxes``: text boxes, each a list of paragraphs, each a
    list of runs (see ``make_docx``); ``at``: the boxes' ``(left, top)`` in cm (default: stacked
    down the slide in order); ``notes``: the speaker notes."""
    from pptx import Presentation
    from pptx.util import Cm, Pt

    deck = Presentation()
    for spec in slides:
        layout = deck.slide_layouts[0 if spec.get("cover") else 5 if spec.get("title") else 6]
        slide = deck.slides.add_slide(layout)
        if spec.get("title"):
            slide.shapes.title.text = spec["title"]
        if spec.get("cover"):
            slide.placeholders[1].text = spec.get("subtitle", "")
        boxes = spec.get("boxes", [])
        for index, box in enumerate(boxes):
            left, top = spec["at"][index] if "at" in spec else (1, 4 + 14 * index / max(1, len(boxes)))
            frame = slide.shapes.add_textbox(Cm(left), Cm(top), Cm(22), Cm(1)).text_frame
            for n, paragraph in enumerate(box):
                p = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
                for run in paragraph:
                    kind, text = ("", run) if isinstance(run, str) else run
                    for i, line in enumerate(text.split("\n")):
                        if i:
                            p.add_line_break()
                        r = p.add_run()
                        r.text = line
                        r.font.size = Pt(14)
                        r.font.bold = "b" in kind or None
                        r.font.italic = "i" in kind or None
        if spec.get("notes"):
            slide.notes_slide.notes_text_frame.text = spec["notes"]
    deck.save(str(path))
    return path


def _seed_blocks(text: str):
    """``(block, new_slide)`` of a deck flattened to text: blocks apart by blank lines, a slide
    break where three blank lines or more stand."""
    import re

    new_slide = True
    for piece in re.split(r"(\n(?:[ \t\u00a0]*\n)+)", text):
        if piece.strip():
            yield piece.strip("\n"), new_slide
            new_slide = False
        elif piece.count("\n") >= 4:
            new_slide = True


def seed_slides(text: str, titles: set[str]) -> list[dict]:
    """The seed deck, flattened to text, made slides again: a block that is one of ``titles``
    (the deck's slide titles, which the text lost: the gold annotation names them) opens a slide
    with it in the title placeholder; three blank lines open an untitled one; every other block
    is a text box."""
    slides: list[dict] = []
    for block, new_slide in _seed_blocks(text):
        if block.strip() in titles:
            slides.append({"title": block.strip(), "boxes": []})
            continue
        if new_slide or not slides:
            slides.append({"title": None, "boxes": []})
        slides[-1]["boxes"].append([runs_of_markdown(block)])
    return slides


def seed_document(text: str, levels: dict[str, int], *, note_quote: str) -> list[tuple[str, list]]:
    """The seed as a Word document: the titles in ``levels`` in "Heading N" styles, list items in
    "List Bullet", other blocks in body paragraphs; the page reference after the quotation that
    starts with ``note_quote`` moves into a footnote (``»[^1]`` … ``[^1]: p. 55.``)."""
    import re

    paragraphs: list[tuple[str, list]] = []
    for block, _ in _seed_blocks(text):
        if block.strip() in levels:
            paragraphs.append((f"Heading {levels[block.strip()]}", [block.strip()]))
            continue
        items = block.lstrip().startswith("- ")
        for line in re.split(r"\n(?=- )", block) if items else [block]:
            runs = runs_of_markdown(line.lstrip()[2:] if items else line)
            if note_quote in line and (m := re.search(r"»\s*\((p\.\s*\d+)\)", line)):
                runs = runs_of_markdown(line[2 if items else 0:m.start() + 1]) + [("note", m.group(1) + ".")] \
                    + runs_of_markdown(line[m.end():])
            paragraphs.append(("List Bullet" if items else "Normal", runs))
    return paragraphs


_ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
           'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
           'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/" '
           'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"')
# The styles LibreOffice writes for emphasis: automatic text styles T1 (italic), T2 (bold), and the
# named paragraph styles a French user sees as "Titre", "Sous-titre", "Titre 1", "Citations".
_ODF_STYLES = ('<office:automatic-styles>'
               '<style:style style:name="T1" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>'
               '<style:style style:name="T2" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>'
               '<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Titre_20_1"/>'
               '</office:automatic-styles>')
_ODF_NAMED = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {_ODF_NS}><office:styles>'
              '<style:style style:name="Title" style:display-name="Titre" style:family="paragraph"/>'
              '<style:style style:name="Subtitle" style:display-name="Sous-titre" style:family="paragraph"/>'
              '<style:style style:name="Titre_20_1" style:display-name="Titre 1" style:family="paragraph"/>'
              '<style:style style:name="Quotations" style:display-name="Citations" style:family="paragraph"/>'
              '</office:styles></office:document-styles>')


def make_odf(path: Path, body: str, *, presentation: bool = False, encrypted: bool = False) -> Path:
    """An .odt (or, with ``presentation``, an .odp) whose ``office:text`` (``office:presentation``)
    holds ``body``, written as LibreOffice lays the archive out (mimetype first, stored)."""
    import zipfile

    kind = "presentation" if presentation else "text"
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODF_NS}>{_ODF_STYLES}'
               f'<office:body><office:{kind}>{body}</office:{kind}></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
                + ('<manifest:encryption-data manifest:checksum-type="SHA1/1K"/>' if encrypted else "")
                + '</manifest:file-entry></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", f"application/vnd.oasis.opendocument.{kind}", compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("styles.xml", _ODF_NAMED, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest)
    return path
