"""LaTeX handouts (.tex): the source parsed with pylatexenc, rendered like a Word file.

What LaTeX knows for certain is read, not guessed from a PDF's fonts: ``\\section``/``\\subsection``
(starred or not) are headings, ``\\title``/``\\author``/``\\date`` printed by ``\\maketitle`` are the
title block, ``\\emph``/``\\textit`` and ``\\textbf`` are emphasis, ``\\footnote{p. 12}`` is a note
with its call, French quotation commands (``\\og … \\fg{}``, csquotes' ``\\enquote{…}``) are « ».
Citations are numbered in the order they are first cited, as biblatex's numeric style with
``sorting=none`` prints them ("[1]"); ``\\printbibliography`` is its heading. Figures (graphics and
captions), labels, cross-references, comments and the preamble's settings print nothing here.
A source whose braces or environments do not close is refused with the line at fault.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pipeline.document import Document
from pipeline.errors import UnreadableInputError
from pipeline.ingest.office.render import Run, Writer, build
from pipeline.ingest.text import decode, normalise

# Sectioning commands, highest first: the highest one used is level 1.
_SECTIONS = ("part", "chapter", "section", "subsection", "subsubsection")
_ITALIC = {"emph", "textit", "textsl", "itshape", "em"}
_BOLD = {"textbf", "bfseries"}
# Commands whose last argument is printed as it is.
_TRANSPARENT = {"textsc", "textrm", "textsf", "texttt", "textup", "textnormal", "mbox", "text", "uline",
                "underline", "textmd", "large", "Large", "LARGE", "huge", "Huge", "small", "normalsize",
                "footnotesize", "scriptsize", "tiny", "lowercase", "MakeUppercase", "uppercase", "hbox",
                "foreignlanguage", "textquote", "emph*", "textcolor", "colorbox", "hyperlink"}
# Commands that print nothing (settings, references to what is elsewhere, floats' content).
_SILENT = {"label", "ref", "pageref", "eqref", "includegraphics", "caption", "vspace", "hspace", "addbibresource",
           "bibliography", "bibliographystyle", "usepackage", "documentclass", "newcommand", "renewcommand",
           "setlength", "geometry", "selectlanguage", "pagenumbering", "thispagestyle", "pagestyle", "index",
           "tableofcontents", "centering", "raggedright", "noindent", "indent", "hline", "cline", "toprule",
           "midrule", "bottomrule", "maketitle", "nocite", "phantom", "vfill", "hfill", "smallskip",
           "medskip", "bigskip", "bigbreak", "medbreak", "smallbreak", "par", "newpage", "clearpage",
           "pagebreak", "linebreak", "newline", "item", "footnotemark", "protect", "relax", "color"}
_BREAKS = {"par", "bigbreak", "medbreak", "smallbreak", "bigskip", "medskip", "smallskip", "newpage",
           "clearpage", "pagebreak", "vspace", "vfill"}
_CITES = {"cite", "parencite", "autocite", "footcite", "textcite", "Cite", "Parencite", "Autocite", "supercite",
          "citep", "citet"}
_AUTHOR_CITES = {"citeauthor", "Citeauthor", "citetitle", "Citetitle"}
_DROPPED_ENVIRONMENTS = {"figure", "figure*", "table*", "thebibliography", "comment", "tikzpicture", "equation",
                         "align", "align*", "equation*", "titlepage"}
_QUOTE_ENVIRONMENTS = {"quote", "quotation", "verse", "displayquote", "displaycquote"}
_SPECIALS = {"~": "\u00a0", "``": "“", "''": "”", "--": "–", "---": "—", "!`": "¡", "?`": "¿", "&": " | "}
_SYMBOLS = {",": "\u202f", ";": "\u2009", ":": "\u205f", " ": " ", "\\": "\n", "&": "&", "%": "%", "$": "$",
            "#": "#", "_": "_", "{": "{", "}": "}", "ldots": "…", "dots": "…", "textellipsis": "…",
            "og": "«\u00a0", "fg": "\u00a0»", "guillemotleft": "«", "guillemotright": "»", "LaTeX": "LaTeX",
            "TeX": "TeX", "oe": "œ", "OE": "Œ", "ae": "æ", "AE": "Æ", "ss": "ß", "textendash": "–",
            "textemdash": "—", "S": "§", "textdegree": "°", "degre": "°", "no": "n°", "up": "", "eg": "e.g.",
            "ier": "ier", "ieme": "e", "er": "er", "ere": "re", "nd": "nd", "eme": "e", "textquotesingle": "'"}


def read_latex(path: Path) -> Document:
    data = path.read_bytes()
    source, encoding, issues = decode(data, path=str(path))
    source = normalise(source)
    preamble, body = _split(source)
    walker = _Walker(path, source)
    meta = walker.title_fields(preamble, offset=0)
    walker.levels(body)
    walker.walk(walker.parse(body, offset=len(preamble)), meta=meta)
    walker.flush()
    document = build(walker.writer, path, data, fmt="latex", issues=issues)
    document.source = document.source.model_copy(update={"encoding": encoding})
    return document


def _split(source: str) -> tuple[str, str]:
    """Preamble and body; a fragment without ``\\begin{document}`` is all body."""
    begin = re.search(r"\\begin\s*\{document\}", source)
    if not begin:
        return "", source
    end = re.search(r"\\end\s*\{document\}", source[begin.end():])
    return source[:begin.end()], source[begin.end():begin.end() + end.start() if end else len(source)]


@lru_cache(maxsize=1)
def _context():
    from pylatexenc.latexwalker import get_default_latex_context_db
    from pylatexenc.macrospec import MacroSpec

    db = get_default_latex_context_db().filter_context(keep_categories=None)
    db.add_context_category("tdx", prepend=True, macros=[
        MacroSpec("enquote", "*{"), MacroSpec("textquote", "*[[{"), MacroSpec("textsc", "{"),
        MacroSpec("href", "{{"), MacroSpec("caption", "[{"), MacroSpec("epigraph", "{{"),
        MacroSpec("Citeauthor", "[[{"), MacroSpec("citeauthor", "[[{"), MacroSpec("Cite", "[[{"),
        MacroSpec("textcite", "[[{"), MacroSpec("parencite", "[[{"), MacroSpec("autocite", "[[{"),
        MacroSpec("footcite", "[[{"), MacroSpec("supercite", "{"), MacroSpec("citetitle", "{"),
        MacroSpec("printbibliography", "["), MacroSpec("addbibresource", "[{"), MacroSpec("subtitle", "{"),
        MacroSpec("foreignlanguage", "{{"), MacroSpec("textcolor", "{{"), MacroSpec("colorbox", "{{"),
        MacroSpec("hyperlink", "{{"), MacroSpec("vspace", "*{"), MacroSpec("hspace", "*{"),
        MacroSpec("selectlanguage", "{"), MacroSpec("geometry", "{"), MacroSpec("uline", "{"),
        MacroSpec("pagenumbering", "{"), MacroSpec("color", "{"), MacroSpec("footnotetext", "[{"),
    ])
    return db


class _Walker:
    def __init__(self, path: Path, source: str) -> None:
        self.path, self.source = path, source
        self.writer = Writer()
        self.runs: list[Run] = []
        self.prefix = ""
        self.cites: dict[str, int] = {}
        self.french = bool(re.search(r"\\usepackage\s*\[[^\]]*french|\\selectlanguage\s*\{french", source))
        self.depth = 0  # quotation nesting, for \enquote's marks
        self.top = "section"

    # -- parsing -------------------------------------------------------------------------------
    def parse(self, text: str, *, offset: int, tolerant: bool = False):
        from pylatexenc.latexwalker import LatexWalker, LatexWalkerError

        try:
            nodes, _, _ = LatexWalker(text, latex_context=_context(), tolerant_parsing=tolerant).get_latex_nodes()
        except LatexWalkerError as err:
            # The innermost block left open is where the fault is: pylatexenc reports the end of
            # the file, where it gave up looking for the "}" or \end{…}.
            opened = re.findall(r"@\((\d+),\d+\)\s+(.*)", str(err).split("Open LaTeX blocks:")[-1]) \
                if "Open LaTeX blocks:" in str(err) else []
            line = position = None
            if opened:
                line = self.source.count("\n", 0, offset) + int(opened[-1][0])
            elif isinstance(position := getattr(err, "pos", None), int):
                line = self.source.count("\n", 0, offset + position) + 1
            what = f"{opened[-1][1]} never closed" if opened else str(err).splitlines()[0]
            raise UnreadableInputError(
                f"the LaTeX source does not parse{f' (line {line})' if line else ''}: {what}.", path=str(self.path),
                hint="Check that every brace and \\begin{…} is closed (the file should compile), or extract its PDF.",
            ) from None
        return nodes

    def levels(self, body: str) -> None:
        used = [name for name in _SECTIONS if re.search(rf"\\{name}\*?\s*[\[{{]", body)]
        self.top = used[0] if used else "section"

    def title_fields(self, preamble: str, *, offset: int) -> dict[str, list]:
        """``\\title``, ``\\author``, ``\\date`` of the preamble, as the nodes of their argument."""
        fields: dict[str, list] = {}
        if not preamble:
            return fields
        for node in self.parse(preamble, offset=offset, tolerant=True):
            name = getattr(node, "macroname", None)
            if name in ("title", "subtitle", "author", "date") and (arg := _last_arg(node)) is not None:
                fields[name] = arg
        return fields

    # -- output --------------------------------------------------------------------------------
    def flush(self) -> None:
        if self.runs:
            self.writer.paragraph(self.runs, prefix=self.prefix)
        self.runs = []

    def add(self, text: str, bold: bool = False, italic: bool = False) -> None:
        if text:
            self.runs.append(Run(text, bold, italic))

    def chars(self, text: str, bold: bool, italic: bool) -> None:
        # A blank line ends a paragraph; other line ends and spaces are one space, as TeX reads them.
        for i, piece in enumerate(re.split(r"\n[ \t]*\n\s*", text)):
            if i:
                self.flush()
            self.add(re.sub(r"\s+", " ", piece), bold, italic)

    def walk(self, nodes, *, bold: bool = False, italic: bool = False, meta: dict | None = None) -> None:
        from pylatexenc.latexwalker import (LatexCharsNode, LatexCommentNode, LatexEnvironmentNode, LatexGroupNode,
                                            LatexMacroNode, LatexMathNode, LatexSpecialsNode)

        for node in nodes or []:
            if isinstance(node, LatexCharsNode):
                self.chars(node.chars, bold, italic)
            elif isinstance(node, LatexGroupNode):
                self.walk(node.nodelist, bold=bold, italic=italic)
            elif isinstance(node, LatexSpecialsNode):
                self.add(_SPECIALS.get(node.specials_chars, node.specials_chars), bold, italic)
            elif isinstance(node, LatexMathNode):
                self.add(re.sub(r"[$^_{}]|\\[a-zA-Z]+\s*", "", node.latex_verbatim()).strip(), bold, italic)
            elif isinstance(node, LatexEnvironmentNode):
                self.environment(node, bold, italic)
            elif isinstance(node, LatexMacroNode):
                self.macro(node, bold, italic, meta or {})
            elif isinstance(node, LatexCommentNode):
                continue

    def environment(self, node, bold: bool, italic: bool) -> None:
        name = node.environmentname
        if name in _DROPPED_ENVIRONMENTS:
            return
        if name in ("itemize", "enumerate", "description"):
            self.flush()
            saved, number = self.prefix, 0
            for item in _items(node.nodelist):
                number += 1
                self.prefix = (saved + f"{number}. ") if name == "enumerate" else saved + "- "
                label, content = item
                if label:
                    self.walk(label, bold=True, italic=italic)
                    self.add(" ")
                self.walk(content, bold=bold, italic=italic)
                self.flush()
            self.prefix = saved
            return
        if name in _QUOTE_ENVIRONMENTS:
            self.flush()
            saved, self.prefix = self.prefix, "> "
            self.walk(node.nodelist, bold=bold, italic=italic)
            self.flush()
            self.prefix = saved
            return
        if name in ("tabular", "tabular*", "tabularx", "longtable", "array"):
            self.flush()
            self.table(node.nodelist)
            return
        self.walk(node.nodelist, bold=bold, italic=italic)

    def table(self, nodes) -> None:
        from pylatexenc.latexwalker import LatexCharsNode, LatexMacroNode, LatexSpecialsNode

        rows: list[list[list[Run]]] = [[[]]]
        for node in nodes:
            if isinstance(node, LatexSpecialsNode) and node.specials_chars == "&":
                rows[-1].append([])
            elif isinstance(node, LatexMacroNode) and node.macroname == "\\":
                rows.append([[]])
            elif isinstance(node, LatexCharsNode) and not rows[-1][-1] and not node.chars.strip():
                continue
            else:
                saved, self.runs = self.runs, []
                self.walk([node])
                rows[-1][-1].extend(self.runs)
                self.runs = saved
        self.writer.table([row for row in rows if any(cell for cell in row)])

    def macro(self, node, bold: bool, italic: bool, meta: dict) -> None:
        name = node.macroname
        args = _args(node)
        if name in _SECTIONS:
            self.flush()
            level = max(1, _SECTIONS.index(name) - _SECTIONS.index(self.top) + 1)
            saved, self.runs = self.runs, []
            self.walk(args[-1] if args else [])
            self.writer.heading(level, self.runs)
            self.runs = saved
        elif name == "paragraph":
            self.flush()
            self.walk(args[-1] if args else [], bold=True)
            self.add(" ")
        elif name == "maketitle":
            self.flush()
            for field in ("title", "subtitle", "author", "date"):
                if field in meta:
                    self.title_lines(meta[field])
        elif name in _ITALIC and args:
            self.walk(args[-1], bold=bold, italic=not italic if name == "emph" else True)
        elif name in _BOLD and args:
            self.walk(args[-1], bold=True, italic=italic)
        elif name == "footnote" and args:
            saved, self.runs = self.runs, []
            self.walk(args[-1])
            note = self.writer.note(self.runs)
            self.runs = saved
            self.runs.append(note)
        elif name == "enquote" and args:
            marks = ("«\u00a0", "\u00a0»") if self.french and self.depth == 0 else ("“", "”")
            self.depth += 1
            self.add(marks[0], bold, italic)
            self.walk(args[-1], bold=bold, italic=italic)
            self.add(marks[1], bold, italic)
            self.depth -= 1
        elif name in _CITES and args:
            keys = [k.strip() for k in _plain(args[-1]).split(",") if k.strip()]
            numbers = [str(self.cites.setdefault(k, len(self.cites) + 1)) for k in keys]
            pages = [_plain(a) for a in args[:-1] if a and _plain(a).strip()]
            self.add("[" + ", ".join(numbers + pages[-1:]) + "]", bold, italic)
        elif name in _AUTHOR_CITES and args:
            self.add(_plain(args[-1]), bold, italic)  # the author is in the .bib: its key says who
        elif name == "printbibliography":
            self.flush()
            self.writer.heading(1, [Run("Bibliographie" if self.french else "References")])
        elif name == "url" and args:
            self.add(_plain(args[-1]), bold, italic)
        elif name == "href" and args:
            self.walk(args[-1], bold=bold, italic=italic)
        elif name == "epigraph" and args:
            self.flush()
            for arg in args:
                self.walk(arg, bold=bold, italic=italic)
                self.flush()
        elif name in _BREAKS:
            self.flush()
        elif name == "\\":
            self.add("\n")
        elif name in _SYMBOLS:
            self.add(_SYMBOLS[name], bold, italic)
        elif name in _SILENT:
            return
        elif name in _TRANSPARENT and args:
            self.walk(args[-1], bold=bold, italic=italic)
        elif args:
            self.walk(args[-1], bold=bold, italic=italic)  # an unknown command: its text, if any
        else:
            from pylatexenc.latex2text import LatexNodes2Text

            # Accents (\'e, \^o, \c{c}) and symbols pylatexenc knows; an unknown command prints nothing.
            self.add(LatexNodes2Text(math_mode="verbatim").nodelist_to_text([node]).strip(), bold, italic)

    def title_lines(self, nodes) -> None:
        """A title-block field, one paragraph per ``\\\\`` line (as \\maketitle prints them)."""
        self.walk(nodes)
        runs, self.runs = self.runs, []
        line: list[Run] = []
        for run in [*runs, Run("\n")]:
            parts = run.text.split("\n")
            for i, part in enumerate(parts):
                if i:
                    self.writer.paragraph(line)
                    line = []
                if part:
                    line.append(Run(part, run.bold, run.italic))


def _args(node) -> list:
    """The arguments given to a command, each as a node list (``None`` for an optional one left out)."""
    argd = getattr(node, "nodeargd", None)
    out = []
    for arg in (argd.argnlist if argd is not None and argd.argnlist else []):
        if arg is None:
            out.append(None)
        elif hasattr(arg, "nodelist"):
            out.append(arg.nodelist)
        else:
            out.append([arg])
    # A starred form's "*" is an argument of its own: it prints nothing.
    return [a for a in out if not (a and len(a) == 1 and getattr(a[0], "chars", None) == "*")]


def _last_arg(node):
    args = [a for a in _args(node) if a is not None]
    return args[-1] if args else None


def _plain(nodes) -> str:
    return "".join(n.latex_verbatim() for n in nodes or [])


def _items(nodes):
    """``(label, content)`` of each ``\\item`` of a list environment."""
    items: list[list] = []
    for node in nodes or []:
        if getattr(node, "macroname", None) == "item":
            args = _args(node)
            items.append([args[0] if args and args[0] else None, []])
        elif items:
            items[-1][1].append(node)
    return [tuple(item) for item in items]


__all__ = ["read_latex"]
