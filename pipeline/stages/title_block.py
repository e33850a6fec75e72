"""Finding the title block: the run of short lines a handout opens with, before its first section,
and a closing one printed after the body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.document import Block, Document
from pipeline.stages.book_line import _LONG_FIELD
from pipeline.stages.person_names import _NOT_NAME
from pipeline.stages.sections import clean_title, is_structural_heading
from pipeline.stages.title_reader import _Reader
from pipeline.stages.title_lines import _SHORT_LINE, _is_footer, _shape, _units

_MAX_TITLE_BLOCKS = 12

@dataclass(frozen=True, slots=True)
class TitleBlock:
    blocks: list[Block]
    body_start: int  # where the handout's body (and its first section) begins
    # A title block printed after the body ("—" then "Note de lecture rédigée par …"), when the
    # handout opens with none.
    closing: list[Block] = field(default_factory=list)


def find_title_block(doc: Document) -> TitleBlock:
    """The short lines a handout opens with, before its first section (and a closing one)."""
    found = _short_run(doc)
    if found.blocks and found.blocks[0].kind != "heading":
        # Short lines that fill no field once the title block is read ("Méthodes et sources" after the
        # book's subtitle) are the first slide titles of the body, not metadata.
        _, used = _Reader(doc).read(found.blocks)
        keep = max(used, default=-1) + 1
        if used and keep < len(found.blocks):
            found = TitleBlock(found.blocks[:keep], found.blocks[keep].start)
    closing = _closing_blocks(doc, found)
    if not closing:
        return found
    if not any(u.shape not in (None, "title", "underline") for b in found.blocks for u in _units(doc, b, 0)):
        # A handout opening on its first heading ("Que faire quand … ?") with its fields at the end:
        # that heading is the body's, not a course.
        return TitleBlock([], doc.blocks[0].start, closing)
    meta, _ = _Reader(doc).read(found.blocks)
    if not (meta.course or meta.presenter or meta.period):
        return TitleBlock(found.blocks, found.body_start, closing)
    return found


def _closing_blocks(doc: Document, opening: TitleBlock) -> list[Block]:
    """The document's last paragraph when it is a title block: two fields or more ("Rédigé par …",
    "Cours : …", "Rendu le …"), often after a rule line."""
    blocks = [b for b in doc.blocks[-2:] if b.kind == "paragraph" and b not in opening.blocks]
    if not blocks:
        return []
    last = blocks[-1]
    if last.end - last.start > 12 * _LONG_FIELD or last.last_line - last.first_line > 12:
        return []  # a paragraph of the body
    units = _units(doc, last, 0)
    # Labelled or signed lines, not book lines: a closing bibliography is no title block.
    fields = [u for u in units if u.shape in ("labelled", "by", "period")]
    return [last] if len(fields) >= 2 else []


def _setext_as_paragraphs(doc: Document) -> list[Block]:
    """The document's blocks, a Setext heading ("Titre" over "=====") read as the two-line paragraph
    it is written as: at the top of a compte rendu that line is the book's title, a field of the
    title block, which the title-block reader recognises by its underline."""
    blocks = []
    for block in doc.blocks:
        under = block.last_line + 1
        if block.kind == "heading" and under < len(doc.lines) and doc.lines[under].kind == "rule" \
                and re.fullmatch(r"={3,}|-{3,}", doc.text[doc.lines[under].start:doc.lines[under].end].strip()):
            block = Block(block.first_line, under, block.start, doc.lines[under].end, "paragraph")
        blocks.append(block)
    return blocks


# A line quoting the book with its page: « … » (p. 44). No title-block field is written so.
_CITED = re.compile(r"[ \t>*_-]*[«“\"].{10,}?[»”\"][ \t\u00a0]*[(\[,]?[ \t]*(?:pp?\.|pages?)[ \t\u00a0]*\d", re.I)


def _short_run(doc: Document) -> TitleBlock:
    run: list[Block] = []
    blocks = _setext_as_paragraphs(doc)
    stop: Block | None = None  # the block that ended the run
    for block in blocks[:_MAX_TITLE_BLOCKS + 1]:
        lines = doc.lines[block.first_line:block.last_line + 1]
        body = doc.text[block.start:block.end]
        if block.kind == "heading":
            if run or _opens_body(doc, block) or doc.lines[block.first_line].heading_level > 1 \
                    or _front_matter_title(doc):
                # Only a "# Title" opening a Markdown handout titles it: "## Introduction", "# I. …",
                # or any heading under a front-matter title is the body's first section.
                stop = block
                break
            run.append(block)
            continue
        if run and block.kind == "paragraph" and \
                _is_footer(doc, doc.text[doc.lines[block.first_line].content_start:doc.lines[block.first_line].end]):
            # The footer of the first slide ("Roux, Blanc · Titre · 1"), written under the title slide
            # after a blank line: the title slide is over, the next slide opens the body.
            stop = block
            break
        if _opens_body(doc, block) or (run and _underlined(doc, block)):
            # A heading underlined with "====" or "----" opens the body, unless it is the first line
            # of the handout (then it is the book's title, as in a plain-text compte rendu).
            stop = block
            break
        if _CITED.match(body):
            stop = block  # a quotation with its page reference: notes that open on a citation
            break
        if _logo_residue(doc, block):
            continue  # "L'ÉCOLE\nDES HAUTES\nÉTUDES EN…" on a converted title slide: no field, no end
        if len(lines) > 12 or block.end - block.start > 12 * _LONG_FIELD:
            stop = block  # a long paragraph: the body has begun
            break
        shapes = [("footer" if _is_footer(doc, doc.text[l.content_start:l.end]) else
                   _shape(clean_title(doc.text[l.content_start:l.end]))) for l in lines]
        long_ok = all(l.end - l.content_start <= _SHORT_LINE or
                      (shape in _LONG_SHAPES and l.end - l.content_start <= _LONG_FIELD)
                      for l, shape in zip(lines, shapes))
        if block.kind == "item" and all(s in ("labelled", "by", "period") for s in shapes):
            run.append(block)  # "- **Cours :** …" as a list: fields all the same
            continue
        if block.kind != "paragraph" or not long_ok or \
                len(lines) > 3 and sum(1 for s in shapes if not s) > 1:
            # More than three lines is a paragraph, unless each line is a field of its own
            # ("Cours : …\nPrésenté par …\nDate : …\nOuvrage : …\nAuteur : …"); one plain line
            # among them is the book's title ("Karl Polanyi\nLa Grande Transformation\nTraduit …").
            stop = block
            break
        if not all(shapes) and re.search(r"[a-zà-ÿ)»]{2}[.;]\s*$", clean_title(body)):
            stop = block  # a sentence, "**…**" or not
            break
        run.append(block)
    else:
        return TitleBlock(run, run[-1].end if run else 0)
    if not run:
        return TitleBlock([], blocks[0].start if blocks else 0)
    if stop is not None and (stop.kind == "heading" or _opens_body(doc, stop) or _underlined(doc, stop) or
                             _is_footer(doc, doc.text[doc.lines[stop.first_line].content_start:doc.lines[stop.first_line].end])):
        # A numbered or keyword heading ("Introduction", "I. …", "Partie 1", "1. …") starts the
        # body on its own: every short line before it belongs to the title block.
        return TitleBlock(run, stop.start)
    if run[0].kind == "heading" or (len(run) == 1 and run[0].start in doc.heading_hints):
        # "# Title", or a PDF line in a heading's font, opening the handout: its title and its
        # first section at once.
        return TitleBlock(run, run[0].start)
    if len(run) >= 2 and not any(u.shape for u in _units(doc, run[-1], 0)):
        # The last short line before the first paragraph heads that paragraph: a section title.
        # Not when it reads as a field (a name, a period, "TD : …"): that one ends the title block.
        return TitleBlock(run[:-1], run[-1].start)
    return TitleBlock(run, run[-1].end)


_LONG_SHAPES = {"labelled", "bookline", "publisher", "by", "titled_by", "contributor", "editor"}


def _underlined(doc: Document, block: Block) -> bool:
    """A Setext heading: a line, then a line of "=" or "-" only."""
    if block.kind != "paragraph" or block.last_line != block.first_line + 1:
        return False
    under = doc.text[doc.lines[block.last_line].content_start:doc.lines[block.last_line].end].strip()
    return bool(re.fullmatch(r"={3,}|-{3,}", under))


def _front_matter_title(doc: Document) -> bool:
    return any(line.kind == "front_matter" and re.match(r"title\s*:", doc.text[line.start:line.end], re.I)
               for line in doc.lines[:80])


def _logo_residue(doc: Document, block: Block) -> bool:
    """An institution's logo converted to text: a word or two per line, all in capitals, over three
    lines or more (or naming an institution), as in "L'ÉCOLE\nDES HAUTES\nÉTUDES EN\nSCIENCES…"."""
    if block.kind != "paragraph" or block.first_line == block.last_line:
        return False
    lines = [doc.text[l.content_start:l.end].strip() for l in doc.lines[block.first_line:block.last_line + 1]]
    if not all(line.isupper() and len(line.split()) <= 3 for line in lines):
        return False
    return len(lines) >= 3 or bool(_NOT_NAME.search(" ".join(lines)))


def _opens_body(doc: Document, block: Block) -> bool:
    """A one-line block shaped like a structural heading: the body starts there."""
    if block.first_line != block.last_line or block.kind not in ("paragraph", "item", "heading"):
        return False
    line = doc.lines[block.first_line]
    if block.kind == "item" and not re.fullmatch(r"\d{1,3}[.)]", line.bullet or ""):
        return False  # a bullet list item; "1." is kept, it may number a heading
    return is_structural_heading(clean_title(doc.text[line.start if block.kind == "item" else
                                                      line.content_start:line.end].strip()))
