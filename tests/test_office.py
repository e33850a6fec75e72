"""Word, PowerPoint and OpenDocument handouts (pipeline/ingest/office): structure read from the
file's own styles, slides, notes and tracked changes; bad files refused with an ``Error:`` line.
The files are built at test time (tests/officegen.py)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

import pipeline
from pipeline.batch.runner import BatchOptions, run_batch
from pipeline.errors import TdxError
from pipeline.ingest import read
from tests.conftest import assert_spans_exact
from tests.officegen import make_docx, make_odf, make_pptx, seed_document, seed_slides

FAST = dict(concepts=False, entities=False)

BECKER = [
    ("Title", ["Fiche de lecture : ", ("i", "Outsiders")]),
    ("Subtitle", ["Howard S. Becker, Métailié, 1985"]),
    ("Heading 1", ["Introduction"]),
    ("Normal", ["Becker définit la ", ("i", "carrière déviante"), " ainsi : « la déviance n'est pas une qualité de "
                "l'acte commis »", ("note", "Ibid., p. 33."), " et il y revient souvent."]),
    ("Heading 2", ["Les entrepreneurs de morale"]),
    ("Normal", ["Le ", ("b", "créateur de normes"), " agit : « il se sent investi d'une mission sacrée »",
                ("endnote", "Outsiders, op. cit., p. 171."), "."]),
    ("Heading 1", ["Conclusion"]),
    ("Normal", ["Une dernière remarque."]),
]


def _docx(tmp_path, paragraphs, name="fiche.docx", **kw) -> Path:
    return make_docx(tmp_path / name, paragraphs, **kw)


@pytest.mark.parametrize("french", [False, True], ids=["Heading 1", "Titre 1"])
def test_docx_headings_come_from_the_styles_in_english_or_french(tmp_path, french):
    handout = pipeline.extract(_docx(tmp_path, BECKER, french_styles=french))
    assert handout.source.format == "docx"
    assert [(s.title, s.level) for s in handout.sections] == [
        ("Introduction", 1), ("Les entrepreneurs de morale", 2), ("Conclusion", 1)]
    # Title and subtitle styles are the title block, not sections.
    assert handout.metadata.book.title == "Outsiders"
    assert handout.metadata.book.authors == ["Howard S. Becker"]
    assert_spans_exact(handout)


def test_docx_footnote_and_endnote_give_the_quotations_their_pages(tmp_path):
    handout = pipeline.extract(_docx(tmp_path, BECKER))
    text = handout.text
    assert "l'acte commis »[^1]" in text and "mission sacrée »[^2]" in text
    assert "\n[^1]: Ibid., p. 33.\n" in text and "\n[^2]: Outsiders, op. cit., p. 171.\n" in text
    refs = {q.text: q.reference for q in handout.quotes}
    first = refs["la déviance n'est pas une qualité de l'acte commis"]
    assert first.pages == [33] and text[first.span.start:first.span.end].startswith("Ibid., p. 33")
    assert refs["il se sent investi d'une mission sacrée"].pages == [171]


def test_docx_emphasis_is_marked_and_feeds_the_concepts(tmp_path):
    handout = pipeline.extract(_docx(tmp_path, BECKER))
    assert "la *carrière déviante* ainsi" in handout.text and "Le **créateur de normes** agit" in handout.text
    assert handout.text.startswith("Fiche de lecture : *Outsiders*\n\nHoward S. Becker")
    labels = {c.label.lower() for c in handout.concepts}
    assert "carrière déviante" in labels or "créateur de normes" in labels, labels


def test_docx_tracked_changes_are_accepted_and_comments_left_out(tmp_path):
    doc = read(_docx(tmp_path, [
        ("Normal", ["Le texte ", ("ins", "inséré par le relecteur "), ("del", "effacé par le relecteur "),
                    "reste lisible.", ("comment", "Reformuler ce passage")]),
    ]))
    assert doc.text == "Le texte inséré par le relecteur reste lisible.\n"


def test_docx_tables_are_rows_and_lists_are_items(tmp_path):
    doc = read(_docx(tmp_path, [("Normal", ["Avant le tableau."]), ("List Bullet", ["un point"]),
                                ("Quote", ["« Un passage cité » (p. 12)"])],
                     tables={1: [["Concept", "Page"], ["stigmate", "p. 12"]]}))
    assert doc.text == ("Avant le tableau.\n\n| Concept | Page |\n| stigmate | p. 12 |\n\n- un point\n\n"
                        "> « Un passage cité » (p. 12)\n")
    assert [b.kind for b in doc.blocks] == ["paragraph", "table", "item", "blockquote"]


def test_docx_outline_level_on_a_paragraph_makes_a_heading(tmp_path):
    path = _docx(tmp_path, [("Normal", ["Première partie"]), ("Normal", ["Du texte courant, assez long pour un paragraphe."])])
    # Word's "Niveau hiérarchique" set on the paragraph itself, the style left at Normal.
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    from lxml import etree

    root = etree.fromstring(parts["word/document.xml"])
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    first = root.find(f"{w}body/{w}p")
    props = first.find(f"{w}pPr")
    if props is None:
        props = etree.SubElement(first, f"{w}pPr")
        first.insert(0, props)
    etree.SubElement(props, f"{w}outlineLvl").set(f"{w}val", "1")
    parts["word/document.xml"] = etree.tostring(root)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert read(path).text.startswith("## Première partie\n\n")


# --- Bad files -------------------------------------------------------------------------------------

def _ole(encrypted: bool) -> bytes:
    """The start of an OLE compound file: an old .doc, or an Office file saved with a password."""
    body = "EncryptedPackage".encode("utf-16-le") if encrypted else "WordDocument".encode("utf-16-le")
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + body + b"\x00" * 500


def _truncated(tmp_path) -> bytes:
    data = _docx(tmp_path, BECKER, name="whole.docx").read_bytes()
    return data[: len(data) // 2]


def _no_body(tmp_path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document xmlns:w='x'><w:body><w:p>")  # cut short
    return buffer.getvalue()


@pytest.mark.parametrize("name, make, message", [
    ("truncated.docx", _truncated, "is not a readable archive"),
    ("locked.docx", lambda _: _ole(True), "is protected by a password. Open it, remove the password"),
    ("old.docx", lambda _: _ole(False), "is an old binary Office file (.doc, .ppt), not a zip archive. "
                                        "Open it and save it as Word (.docx)."),
    ("old.doc", lambda _: _ole(False), "is an old binary Office file (.doc), which tdx does not read. "
                                       "Open it and save it as .docx."),
    ("text.docx", lambda _: b"Just some text", "is not an office archive (no zip signature)"),
    ("damaged.docx", _no_body, "has a damaged word/document.xml part"),
], ids=["truncated", "password", "binary-renamed", "doc", "not-zip", "bad-xml"])
def test_bad_office_files_are_error_lines_and_the_batch_goes_on(tmp_path, name, make, message):
    folder = tmp_path / "in"
    folder.mkdir()
    bad = folder / name
    bad.write_bytes(make(tmp_path))
    good = _docx(folder, BECKER, name="good.docx")
    with pytest.raises(TdxError) as caught:
        read(bad)
    assert str(caught.value).startswith(f"{bad}: {message}"), str(caught.value)
    report = run_batch([bad, good], tmp_path / "out", BatchOptions(jobs=1, **FAST))
    assert [f.status for f in report.files] == ["failed", "processed"]
    assert message in report.files[0].error.message


def test_a_zip_bomb_is_refused_by_what_it_expands_to(tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli import app

    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<a>" + b" " * 3_000_000 + b"</a>")
    assert bomb.stat().st_size < 50_000
    good = _docx(tmp_path, BECKER, name="good.docx")
    result = CliRunner().invoke(app, ["extract", str(bomb), str(good), "-o", str(tmp_path / "out"),
                                      "--max-size", "1", "--no-concepts", "--no-entities"])
    assert result.exit_code == 1, result.output
    assert f"Error: {bomb}: expands to 3.0 MB, over the 1 MB limit" in result.output
    assert (tmp_path / "out" / "good.json").exists() and "Traceback" not in result.output
    # Read without a batch's --max-size, the reader's own ceiling applies.
    from pipeline.ingest.office.docx import read_docx

    with pytest.raises(TdxError, match="expands to 3 MB, over the 1 MB limit"):
        read_docx(bomb, limit=1_000_000)


def test_folders_take_office_files(tmp_path):
    from pipeline.batch.inputs import discover

    _docx(tmp_path, BECKER, name="a.docx")
    (tmp_path / "b.txt").write_text("Un texte.", encoding="utf-8")
    (tmp_path / "~$a.docx").write_bytes(b"lock")  # Word's lock file beside an open document
    found, failures = discover([tmp_path])
    assert sorted(f.name for f, _ in found) == ["a.docx", "b.txt"] and not failures


# --- PowerPoint ------------------------------------------------------------------------------------

DECK = [
    {"cover": True, "title": "TD : Outsiders", "subtitle": "Howard S. Becker"},
    # Two text boxes side by side: the left one, a little lower, is read first.
    {"title": "Introduction", "at": [(14, 5), (1, 5.3)], "notes": "Dire à l'oral : « rien de cité ici » (p. 99).",
     "boxes": [[["La colonne de droite se lit après celle de gauche, qui commence un peu plus bas."]],
               [["Becker écrit : « la déviance est une propriété de la réaction sociale » (p. 12)."]]]},
    {"title": "Introduction", "boxes": [[["La suite de l'introduction parle de la ", ("i", "carrière déviante"),
                                          " en détail."]]]},
    {"title": "Les entrepreneurs de morale",
     "boxes": [[["Le ", ("b", "créateur de normes"), " agit : « il se sent investi d'une mission » (p. 171)."]]]},
]


def test_pptx_one_page_per_slide_and_titles_from_the_placeholders(tmp_path):
    handout = pipeline.extract(make_pptx(tmp_path / "td.pptx", DECK))
    assert handout.source.format == "pptx" and handout.source.pages == 4
    assert [p.number for p in handout.pages] == [1, 2, 3, 4]
    # The title repeated on slide 3 continues the section of slide 2; the cover is the title block.
    assert [(s.title, s.level) for s in handout.sections] == [("Introduction", 1), ("Les entrepreneurs de morale", 1)]
    assert handout.metadata.title == "TD : Outsiders"
    assert [(q.text, q.page, q.reference.pages) for q in handout.quotes] == [
        ("la déviance est une propriété de la réaction sociale", 2, [12]),
        ("il se sent investi d'une mission", 4, [171])]
    for page in handout.pages:  # every element lies in its slide's range
        assert all(page.span.start <= q.span.start < page.span.end for q in handout.quotes if q.page == page.number)
    assert_spans_exact(handout)


def test_pptx_text_boxes_in_reading_order_and_notes_kept_apart(tmp_path):
    doc = read(make_pptx(tmp_path / "td.pptx", DECK))
    text = doc.text
    assert text.index("Becker écrit") < text.index("La colonne de droite")
    assert "Dire à l'oral" not in text and "rien de cité" not in text
    assert [(i.code, i.message.split(" (")[0]) for i in doc.issues] == [
        ("speaker_notes", "the speaker notes of slide(s) 2")]
    # Slides are apart as in a deck flattened to text; emphasis kept.
    assert "Howard S. Becker\n\n\n\nIntroduction\n\n" in text and "la *carrière déviante* en" in text
    assert "Le **créateur de normes** agit" in text


def test_bad_pptx_files_are_error_lines(tmp_path):
    deck = make_pptx(tmp_path / "whole.pptx", DECK).read_bytes()
    (tmp_path / "cut.pptx").write_bytes(deck[: len(deck) // 3])
    (tmp_path / "old.ppt").write_bytes(_ole(False))
    (tmp_path / "renamed.pptx").write_bytes(_ole(False))
    for name, message in (("cut.pptx", "is not a readable archive"),
                          ("old.ppt", "Open it and save it as .pptx."),
                          ("renamed.pptx", "Open it and save it as PowerPoint (.pptx).")):
        with pytest.raises(TdxError, match=re.escape(message)):
            read(tmp_path / name)
    # A zip with no presentation in it.
    with zipfile.ZipFile(tmp_path / "empty.pptx", "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(TdxError, match="is a damaged presentation"):
        read(tmp_path / "empty.pptx")


# --- The seed handout as slides and as a Word document ---------------------------------------------

SEED = "000_6493ecf00d1e5b16"


def _score(shared, source: Path, out: Path) -> dict:
    import json
    import subprocess
    import sys

    out.write_text(pipeline.extract(source).model_dump_json(), encoding="utf-8")
    result = subprocess.run([sys.executable, str(shared / "score.py"), str(out),
                             str(shared / "gold" / f"{SEED}.gold.json"), "--json"],
                            capture_output=True, text=True, check=True)
    return json.JSONDecoder().raw_decode(result.stdout[result.stdout.index("{"):])[0]  # a summary line follows


_SCORES = ("quotes.recall", "quotes.precision", "quotes.reference_accuracy", "sections.recall", "sections.precision",
           "sections.hierarchy", "concepts.recall", "concepts.variants_grouped", "concepts.mention_counts_ok",
           "metadata.accuracy")


def _flat(metrics: dict) -> dict[str, float]:
    return {name: metrics[name.split(".")[0]][name.split(".")[1]] for name in _SCORES}


def test_the_seed_as_pptx_and_docx_scores_at_least_as_well_as_the_text(shared, tmp_path):
    import json

    seed = shared / "seeds" / f"{SEED}.txt"
    text = seed.read_text(encoding="utf-8")
    # The deck's slide titles, which flattening to text lost, are the ones the gold annotation names.
    levels = {s["title"]: s["level"] for s in json.loads((shared / "gold" / f"{SEED}.gold.json")
                                                         .read_text(encoding="utf-8"))["sections"]}
    pptx = make_pptx(tmp_path / "seed.pptx", seed_slides(text, set(levels)))
    docx = make_docx(tmp_path / "seed.docx", seed_document(text, levels, note_quote="Le fantasme de l"))
    assert "[^1]: p. 55." in read(docx).text  # the footnote holding a reference
    baseline = _flat(_score(shared, seed, tmp_path / "txt.json"))
    for source in (pptx, docx):
        scores = _flat(_score(shared, source, tmp_path / f"{source.suffix[1:]}.json"))
        worse = {k: (scores[k], v) for k, v in baseline.items() if v is not None and (scores[k] or 0) < v}
        assert not worse, (source.suffix, worse)


# --- OpenDocument ----------------------------------------------------------------------------------

ODT = (
    '<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><text:p>passage effacé</text:p>'
    '</text:deletion></text:changed-region></text:tracked-changes>'
    '<text:p text:style-name="Title">Fiche de lecture : <text:span text:style-name="T1">Outsiders</text:span></text:p>'
    '<text:p text:style-name="Subtitle">Howard S. Becker, Métailié, 1985</text:p>'
    '<text:h text:outline-level="1">Introduction</text:h>'
    '<text:p>Becker définit la <text:span text:style-name="T1">carrière déviante</text:span> ainsi : « la déviance '
    "n'est pas une qualité de l'acte commis »<text:note text:id=\"ftn1\" text:note-class=\"footnote\">"
    '<text:note-citation>1</text:note-citation><text:note-body><text:p>Ibid., p. 33.</text:p></text:note-body>'
    '</text:note>, dit-il.<text:change text:change-id="c1"/><office:annotation><text:p>À revoir</text:p>'
    '</office:annotation></text:p>'
    '<text:p text:style-name="P1">Les entrepreneurs de morale</text:p>'
    '<text:p>Le <text:span text:style-name="T2">créateur</text:span>  de<text:s text:c="2"/>normes.</text:p>'
    '<text:list><text:list-item><text:p>un point</text:p></text:list-item></text:list>'
    '<table:table><table:table-row><table:table-cell><text:p>Concept</text:p></table:table-cell>'
    '<table:table-cell><text:p>Page</text:p></table:table-cell></table:table-row></table:table>'
    '<text:p text:style-name="Quotations">« Un passage cité en retrait » (p. 12)</text:p>'
)


def test_odt_structure_notes_and_tracked_changes(tmp_path):
    handout = pipeline.extract(make_odf(tmp_path / "fiche.odt", ODT))
    assert handout.source.format == "odt"
    assert handout.text == (
        "Fiche de lecture : *Outsiders*\n\nHoward S. Becker, Métailié, 1985\n\n# Introduction\n\n"
        "Becker définit la *carrière déviante* ainsi : « la déviance n'est pas une qualité de l'acte commis »[^1], "
        "dit-il.\n\n# Les entrepreneurs de morale\n\nLe **créateur**  de  normes.\n\n- un point\n\n"
        "| Concept | Page |\n\n> « Un passage cité en retrait » (p. 12)\n\n[^1]: Ibid., p. 33.\n")
    assert [s.title for s in handout.sections] == ["Introduction", "Les entrepreneurs de morale"]
    assert handout.metadata.book.title == "Outsiders"
    assert [(q.text, q.reference.pages) for q in handout.quotes] == [
        ("la déviance n'est pas une qualité de l'acte commis", [33]), ("Un passage cité en retrait", [12])]
    assert_spans_exact(handout)


ODP = (
    '<draw:page draw:name="p1"><draw:frame presentation:class="title" svg:x="2cm" svg:y="3cm"><draw:text-box>'
    '<text:p>TD : Outsiders</text:p></draw:text-box></draw:frame>'
    '<draw:frame presentation:class="subtitle" svg:x="2cm" svg:y="8cm"><draw:text-box><text:p>Howard S. Becker</text:p>'
    '</draw:text-box></draw:frame></draw:page>'
    '<draw:page draw:name="p2"><draw:frame presentation:class="title" svg:x="1cm" svg:y="1cm"><draw:text-box>'
    '<text:p>Introduction</text:p></draw:text-box></draw:frame>'
    '<draw:frame svg:x="14cm" svg:y="5cm"><draw:text-box><text:p>La colonne de droite se lit après celle de gauche.'
    '</text:p></draw:text-box></draw:frame>'
    '<draw:frame svg:x="1cm" svg:y="5.3cm"><draw:text-box><text:p>Becker écrit : « la déviance est une propriété '
    'de la réaction sociale » (p. 12).</text:p></draw:text-box></draw:frame>'
    '<presentation:notes><draw:frame presentation:class="notes"><draw:text-box><text:p>Dire à l\'oral.</text:p>'
    '</draw:text-box></draw:frame></presentation:notes></draw:page>'
    '<draw:page draw:name="p3"><draw:frame presentation:class="title" svg:x="1cm" svg:y="1cm"><draw:text-box>'
    '<text:p>Les entrepreneurs de morale</text:p></draw:text-box></draw:frame>'
    '<draw:frame presentation:class="outline" svg:x="1cm" svg:y="4cm"><draw:text-box><text:p>Le '
    '<text:span text:style-name="T2">créateur de normes</text:span> agit : « il se sent investi d\'une mission » '
    '(p. 171).</text:p></draw:text-box></draw:frame></draw:page>'
)


def test_odp_slides_titles_reading_order_and_notes(tmp_path):
    handout = pipeline.extract(make_odf(tmp_path / "td.odp", ODP, presentation=True))
    assert handout.source.format == "odp" and handout.source.pages == 3
    assert [p.number for p in handout.pages] == [1, 2, 3]
    assert [(s.title, s.level) for s in handout.sections] == [("Introduction", 1), ("Les entrepreneurs de morale", 1)]
    assert handout.metadata.title == "TD : Outsiders"
    text = handout.text
    assert text.index("Becker écrit") < text.index("La colonne de droite") and "Dire à l'oral" not in text
    assert "- Le **créateur de normes** agit" in text
    assert [(q.page, q.reference.pages) for q in handout.quotes] == [(2, [12]), (3, [171])]
    assert [i.code for i in handout.issues if i.code == "speaker_notes"] == ["speaker_notes"]
    assert_spans_exact(handout)


def test_bad_odf_files_are_error_lines(tmp_path):
    locked = make_odf(tmp_path / "locked.odt", ODT, encrypted=True)
    with pytest.raises(TdxError, match="locked.odt: is protected by a password"):
        read(locked)
    whole = make_odf(tmp_path / "whole.odt", ODT).read_bytes()
    (tmp_path / "cut.odt").write_bytes(whole[:200])
    with pytest.raises(TdxError, match="cut.odt: is not a readable archive"):
        read(tmp_path / "cut.odt")
    with zipfile.ZipFile(tmp_path / "sheet.odt", "w") as archive:
        archive.writestr("content.xml", '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:'
                                        'xmlns:office:1.0"><office:body><office:spreadsheet/></office:body>'
                                        '</office:document-content>')
    with pytest.raises(TdxError, match="holds neither a text document nor a presentation"):
        read(tmp_path / "sheet.odt")


def test_docx_without_heading_styles_falls_back_on_the_text_rules_and_italics_name_works(tmp_path):
    handout = pipeline.extract(_docx(tmp_path, [
        ("Normal", ["TD de sociologie – Licence 2"]),
        # Bold "Normal" paragraphs standing alone: no style says heading, the text rules still do.
        ("Normal", [("b", "Les entrepreneurs de morale")]),
        ("Normal", ["Dans ", ("i", "Les Règles de l'art"), ", Bourdieu étudie le champ littéraire ; il revient "
                    "sur ", ("i", "La Distinction"), " et ses lecteurs."]),
        ("Normal", [("b", "La carrière déviante")]),
        ("Normal", ["La carrière est une suite d'étapes que l'on franchit une à une, avec des moments décisifs."]),
    ]))
    assert [(s.title, s.level) for s in handout.sections] == [("Les entrepreneurs de morale", 1),
                                                              ("La carrière déviante", 1)]
    works = {e.text for e in handout.entities if e.label == "WORK"}
    assert {"Les Règles de l'art", "La Distinction"} <= works, works


@pytest.mark.parametrize("built, named, message", [
    (".docx", "fiche.pptx", "is a Word document, not what its .pptx name says. Rename it to .docx and extract that."),
    (".pptx", "td.docx", "is a PowerPoint presentation, not what its .docx name says. Rename it to .pptx"),
    (".docx", "fiche.odt", "is a Word document, not what its .odt name says. Rename it to .docx"),
])
def test_an_office_file_under_another_kinds_name_is_told_apart(tmp_path, built, named, message):
    source = (_docx(tmp_path, BECKER) if built == ".docx" else make_pptx(tmp_path / "td.pptx", DECK))
    (tmp_path / "renamed").mkdir()
    renamed = source.rename(tmp_path / "renamed" / named)
    with pytest.raises(TdxError) as caught:
        read(renamed)
    assert str(caught.value).startswith(f"{renamed}: {message}")


def test_docx_text_boxes_are_read_once_after_their_paragraph(tmp_path):
    path = _docx(tmp_path, [("Normal", ["Le paragraphe qui porte la zone de texte."]), ("Normal", ["La suite."])])
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    box = ('<w:txbxContent><w:p><w:r><w:t>« Une citation encadrée » (p. 8)</w:t></w:r></w:p></w:txbxContent>')
    # As Word writes a text box: DrawingML for today's readers, the same box in VML as a fallback.
    anchored = (f'<w:r><mc:AlternateContent xmlns:mc="{mc}"><mc:Choice Requires="wps"><w:drawing>{box}</w:drawing>'
                f'</mc:Choice><mc:Fallback><w:pict>{box}</w:pict></mc:Fallback></mc:AlternateContent></w:r>')
    document = parts["word/document.xml"].decode("utf-8")
    first = document.index("Le paragraphe")
    end = document.index("</w:p>", first)
    parts["word/document.xml"] = (document[:end] + anchored + document[end:]).encode("utf-8")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert read(path).text == ("Le paragraphe qui porte la zone de texte.\n\n« Une citation encadrée » (p. 8)\n\n"
                               "La suite.\n")


def test_pptx_tables_groups_and_bulleted_placeholders(tmp_path):
    from pptx import Presentation
    from pptx.util import Cm

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])  # "Title and Content": a body placeholder
    slide.shapes.title.text = "Trois notions"
    body = slide.placeholders[1].text_frame
    body.text = "le stigmate"
    body.add_paragraph().text = "la carrière"
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = "Un tableau"
    table = slide.shapes.add_table(2, 2, Cm(1), Cm(4), Cm(20), Cm(3)).table
    for r, row in enumerate([["Concept", "Page"], ["stigmate", "p. 12"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    group = slide.shapes.add_group_shape()
    group.shapes.add_textbox(Cm(1), Cm(10), Cm(10), Cm(1)).text_frame.text = "Une note groupée sous le tableau."
    deck.save(str(tmp_path / "deck.pptx"))
    doc = read(tmp_path / "deck.pptx")
    assert doc.text == ("Trois notions\n\n- le stigmate\n\n- la carrière\n\n\n\nUn tableau\n\n| Concept | Page |\n"
                        "| stigmate | p. 12 |\n\nUne note groupée sous le tableau.\n")
    assert doc.page_starts == [(1, 0), (2, doc.text.index("Un tableau"))]
