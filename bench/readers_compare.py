#!/usr/bin/env python3
"""The candidate readers of issue 16 on the same files: fidelity on the issue's points, and time.

Usage: PYTHONPATH=. python bench/readers_compare.py [--repeat N]
The files are built at run time with the test builders (tests/officegen.py and the fixtures of
tests/test_office.py): a Word fiche with "Heading 1/2" styles (and the same with "Titre 1/2"), a
footnote and an endnote, italics and bold, a tracked insertion and deletion, a comment and a table;
the LibreOffice fiche; the four-slide deck (two text boxes side by side, speaker notes); the Impress
deck; a LaTeX fiche with \\section, \\og … \\fg{}, \\footnote{p. 12} and \\emph{}. Each candidate
that reads the format runs on it: tdx (``pipeline.ingest.read``), pandoc (pypandoc, to Markdown),
docx2python (its HTML-marked text), python-docx and python-pptx (their object models rendered the
plainest way: style names, runs, shapes), odfpy (its DOM and teletype), pylatexenc (LatexNodes2Text).
A point is checked on the text each gives, in whatever notation it marks things (``*x*``, ``<i>x</i>``,
``----footnote1----``). Time: best of ``repeat`` reads of the file, in milliseconds; the Word fiche is
also read ``copies`` times over (1,000 paragraphs for 100), where the time is the reader's, not the
start-up's. A library that
is not installed is skipped with a note (the project venv has only tdx's own readers).
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.officegen import make_docx, make_odf, make_pptx  # noqa: E402
from tests.test_office import BECKER, DECK, ODP, ODT  # noqa: E402

CHANGES = ("Normal", ["Le texte ", ("ins", "inséré par le relecteur "), ("del", "effacé par le relecteur "),
                      "reste lisible.", ("comment", "Reformuler ce passage")])
TABLE = [["Concept", "Page"], ["stigmate", "p. 12"]]
TEX = r"""\documentclass{article}
\usepackage[french]{babel}
\begin{document}
\section{Introduction}
Becker définit la \emph{carrière déviante} ainsi : \og la déviance n'est pas une qualité de l'acte commis
\fg{}\footnote{p. 12} et il y revient.
\subsection{Les entrepreneurs de morale}
Le \textbf{créateur de normes} agit.
\end{document}
"""


# --- the points, checked on a text whatever its notation ---------------------------------------------

def heading(text: str, title: str, level: int) -> bool:
    return bool(re.search(rf"(?m)^#{{{level}}} +{re.escape(title)}\s*(\{{.*\}})?$", text)
                or re.search(rf"<h{level}>\s*{re.escape(title)}\s*</h{level}>", text))


def italic(text: str, words: str) -> bool:
    w = re.escape(words)
    return bool(re.search(rf"(?<!\*)\*{w}\*(?!\*)|\b_{w}_\b|<i>{w}</i>|<em>{w}</em>", text))


def bold(text: str, words: str) -> bool:
    w = re.escape(words)
    return bool(re.search(rf"\*\*{w}\*\*|__{w}__|<b>{w}</b>|<strong>{w}</strong>", text))


def note(text: str, after: str, says: str) -> bool:
    """The note's text is there and linked to its call: a call right after ``after`` whose id is
    the one of a note holding ``says``."""
    text, after = (re.sub(r"[ \u00a0\u202f]+", " ", s) for s in (text, after))
    call = re.search(re.escape(after) + r"\s*»?\s*(?:\[\^(\w+)\]|----(?:foot|end)note(\d+)----|\[(\d+)\])", text)
    if not call:
        return False
    ident = next(g for g in call.groups() if g)
    return bool(re.search(rf"(?m)^(?:\[\^{ident}\]:|(?:foot|end)note{ident}\)|\[{ident}\])\s*{re.escape(says)}",
                          text))


def row(text: str, *cells: str) -> bool:
    return any(all(c in line for c in cells) for line in text.splitlines())


def before(text: str, first: str, second: str) -> bool:
    return first in text and second in text and text.index(first) < text.index(second)


def notes_apart(text: str) -> bool:
    """Speaker notes absent from the slide text, or kept in a block marked as notes."""
    if "Dire à l'oral" not in text:
        return True
    return bool(re.search(r"::: notes[\s\S]*?Dire à l'oral[\s\S]*?:::", text))


DOCX_POINTS = {
    "heading 1": lambda t: heading(t, "Introduction", 1),
    "heading 2": lambda t: heading(t, "Les entrepreneurs de morale", 2),
    "footnote+call": lambda t: note(t, "l'acte commis", "Ibid., p. 33."),
    "endnote+call": lambda t: note(t, "mission sacrée", "Outsiders, op. cit., p. 171."),
    "insertion kept": lambda t: "inséré par le relecteur" in t,
    "deletion dropped": lambda t: "effacé par le relecteur" not in t,
    "comment ignored": lambda t: "Reformuler" not in t,
    "italic": lambda t: italic(t, "carrière déviante"),
    "bold": lambda t: bold(t, "créateur de normes"),
    "table rows": lambda t: row(t, "Concept", "Page") and row(t, "stigmate", "p. 12"),
}
ODT_POINTS = {
    "heading 1 (text:h)": lambda t: heading(t, "Introduction", 1),
    "heading 1 (Titre 1 style)": lambda t: heading(t, "Les entrepreneurs de morale", 1),
    "footnote+call": lambda t: note(t, "l'acte commis", "Ibid., p. 33."),
    "deletion dropped": lambda t: "passage effacé" not in t,
    "comment ignored": lambda t: "À revoir" not in t,
    "italic": lambda t: italic(t, "carrière déviante"),
    "bold": lambda t: bold(t, "créateur"),
    "table rows": lambda t: row(t, "Concept", "Page"),
}
PPTX_POINTS = {
    "slide titles": lambda t: heading(t, "Introduction", 1) or heading(t, "Introduction", 2),
    "4 slides apart": lambda t: len(re.findall(r"\n\n\n\n|\{#slide-\d+\}", t)) >= 3 or t.count("\f") >= 3,
    "reading order": lambda t: before(t, "Becker écrit", "La colonne de droite"),
    "notes apart": notes_apart,
    "italic": lambda t: italic(t, "carrière déviante"),
    "bold": lambda t: bold(t, "créateur de normes"),
}
ODP_POINTS = {
    "slide titles": PPTX_POINTS["slide titles"],
    "reading order": PPTX_POINTS["reading order"],
    "notes apart": notes_apart,
    "bold": PPTX_POINTS["bold"],
}
TEX_POINTS = {
    r"\section": lambda t: heading(t, "Introduction", 1),
    r"\subsection": lambda t: heading(t, "Les entrepreneurs de morale", 2),
    r"\og…\fg{}": lambda t: bool(re.search(r"«[\s\u00a0]*la déviance", t)) and "»" in t,
    r"\footnote+call": lambda t: note(t, "acte commis", "p. 12"),
    r"\emph": lambda t: italic(t, "carrière déviante"),
    r"\textbf": lambda t: bold(t, "créateur de normes"),
}


# --- the readers -------------------------------------------------------------------------------------

def has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def tdx(path: Path) -> str:
    """tdx's text; a slide title, which it marks as a standalone line with a heading hint (the deck
    rules then read it, docs/formats.md), is given a ``# `` here for the check to see it."""
    from pipeline.ingest import read

    doc = read(path)
    text = doc.text
    for start in sorted(doc.heading_hints, reverse=True):
        text = text[:start] + "# " + text[start:]
    return text


def pandoc(path: Path) -> str:
    import pypandoc

    fmt = {".tex": "latex"}.get(path.suffix, path.suffix[1:])
    text = pypandoc.convert_file(str(path), "markdown", format=fmt,
                                 extra_args=["--wrap=none", "--track-changes=accept", "--markdown-headings=atx"])
    return re.sub(r"\\([^\w\s])", r"\1", text)  # its Markdown escapes (n\'est, p\. 12) taken off


def docx2python_text(path: Path) -> str:
    from docx2python import docx2python

    with docx2python(str(path), html=True) as result:
        return result.text


def python_docx(path: Path) -> str:
    """What python-docx's object model gives, rendered plainly: a "Heading N"/"Titre N" style name
    as N #, runs' italic/bold, table rows; there is no API for notes."""
    import docx

    document = docx.Document(str(path))
    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            lines += [" | ".join(c.text for c in r.cells) for r in block.rows]
            continue
        text = "".join(("**" if r.bold else "") + ("*" if r.italic else "") + r.text + ("*" if r.italic else "")
                       + ("**" if r.bold else "") for r in block.runs)
        m = re.match(r"(?:Heading|Titre) (\d)$", block.style.name or "")
        lines.append(("#" * int(m.group(1)) + " " if m else "") + text)
    return "\n\n".join(lines)


def python_pptx(path: Path) -> str:
    """python-pptx's shapes in the order the slide stores them, the title placeholder as a heading;
    notes are on their own notes slide, never in the shapes."""
    from pptx import Presentation

    slides = []
    for slide in Presentation(str(path)).slides:
        lines = []
        for shape in slide.shapes:
            if not shape.has_text_frame:
                continue
            if shape.is_placeholder and shape.placeholder_format.type in (1, 3):  # TITLE, CENTER_TITLE
                lines.append("# " + shape.text_frame.text)
                continue
            for p in shape.text_frame.paragraphs:
                lines.append("".join(("**" if r.font.bold else "") + ("*" if r.font.italic else "") + r.text
                                     + ("*" if r.font.italic else "") + ("**" if r.font.bold else "")
                                     for r in p.runs))
        slides.append("\n\n".join(lines))
    return "\n\n\n\n".join(slides)


def odfpy(path: Path) -> str:
    """odfpy's DOM: ``text:h`` with its outline level as #, every other paragraph's text by teletype
    (which has no notion of styles, notes, changes or annotations: it gathers the text nodes)."""
    from odf import teletype
    from odf.opendocument import load

    doc = load(str(path))
    body = doc.presentation if path.suffix == ".odp" else doc.text
    lines = []

    def walk(node):
        for child in node.childNodes:
            name = getattr(child, "qname", (None, None))[1]
            if name == "h":
                level = child.getAttribute("outlinelevel") or "1"
                lines.append("#" * int(level) + " " + teletype.extractText(child))
            elif name == "p":
                lines.append(teletype.extractText(child))
            elif name == "page":
                walk(child)
                lines.append("\n\n")
            elif child.nodeType == child.ELEMENT_NODE:
                walk(child)

    walk(body)
    return "\n\n".join(lines)


def pylatexenc_text(path: Path) -> str:
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text().latex_to_text(path.read_text(encoding="utf-8"))


READERS = {  # name: (function, module it needs, formats)
    "tdx (lxml)": (tdx, "lxml", {".docx", ".odt", ".odp"}),
    "tdx (python-pptx)": (tdx, "pptx", {".pptx"}),
    "tdx (pylatexenc)": (tdx, "pylatexenc", {".tex"}),
    "pandoc": (pandoc, "pypandoc", {".docx", ".odt", ".pptx", ".tex"}),
    "docx2python": (docx2python_text, "docx2python", {".docx"}),
    "python-docx": (python_docx, "docx", {".docx"}),
    "python-pptx (bare)": (python_pptx, "pptx", {".pptx"}),
    "odfpy": (odfpy, "odf", {".odt", ".odp"}),
    "pylatexenc (bare)": (pylatexenc_text, "pylatexenc", {".tex"}),
}


def build(folder: Path, copies: int) -> list[tuple[Path, dict]]:
    paragraphs = [*BECKER, CHANGES, ("Normal", ["Après le tableau."])]
    tables = {len(paragraphs) - 1: TABLE}
    return [
        (_as_word_writes(make_docx(folder / "fiche.docx", paragraphs, tables=tables)), DOCX_POINTS),
        (_as_word_writes(make_docx(folder / f"fiche-x{copies}.docx", paragraphs * copies, tables=tables)),
         DOCX_POINTS),
        (_as_word_writes(make_docx(folder / "fiche-titre.docx", paragraphs, tables=tables, french_styles=True)),
         DOCX_POINTS),
        (make_odf(folder / "fiche.odt", ODT), ODT_POINTS),
        (make_pptx(folder / "td.pptx", DECK), PPTX_POINTS),
        (make_odf(folder / "td.odp", ODP, presentation=True), ODP_POINTS),
        (_write(folder / "fiche.tex", TEX), TEX_POINTS),
    ]


def _as_word_writes(path: Path) -> Path:
    """The notes parts with the ``r`` namespace declared on their root, as Word writes them:
    tests/officegen.py declares only ``w``, which is valid XML but makes docx2python 3.7 stop with
    ``KeyError: 'r'`` (its run merging looks the prefix up); the comparison is on Word's form."""
    import zipfile

    parts = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename in ("word/footnotes.xml", "word/endnotes.xml"):
                data = data.replace(b' xmlns:w="', b' xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
                                    b'2006/relationships" xmlns:w="', 1)
            parts[info.filename] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--copies", type=int, default=100, help="the Word fiche this many times over, for the timing")
    parser.add_argument("--show", action="store_true", help="print each reader's text")
    args = parser.parse_args(argv)
    for name, (_, module, _) in READERS.items():
        if not has(module):
            print(f"note: {name} skipped ({module} is not installed)")
    print(f"{'file':<18} {'reader':<20} {'points':>6}  {'ms':>7}  failed")
    with tempfile.TemporaryDirectory() as tmp:
        for path, points in build(Path(tmp), args.copies):
            for name, (reader, module, formats) in READERS.items():
                if path.suffix not in formats or not has(module):
                    continue
                try:
                    text = reader(path)
                except Exception as error:  # a reader that cannot read the file scores nothing
                    print(f"{path.name:<18} {name:<20} {0:>3}/{len(points):<2}  {'-':>7}  "
                          f"error: {type(error).__name__}: {str(error)[:80]}")
                    continue
                best = float("inf")
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    reader(path)
                    best = min(best, time.perf_counter() - start)
                failed = [p for p, check in points.items() if not check(text)]
                print(f"{path.name:<18} {name:<20} {len(points) - len(failed):>3}/{len(points):<2}  "
                      f"{best * 1000:>7.1f}  {', '.join(failed) or '-'}")
                if args.show:
                    print("    " + text.replace("\n", "\n    "))
    return 0


if __name__ == "__main__":
    sys.exit(main())
