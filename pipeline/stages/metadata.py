"""Metadata from the title block: course, presenter, period, handout title, the book and its authors.

The title block is the run of short lines a handout opens with (or its front matter; or, in some
notes, the lines after a closing rule). Lines are recognised by what they look like — a labelled
field ("Présenté par : …", "**UE :** …"), a period ("Semestre 1 – 2024-2025", "Séance du 28 janvier
2025"), a person's name, a handout title ("TD : *Le livre*"), a bibliographic line ("Auteur, *Titre.
Sous-titre*, Éditeur, année"), an institution line ("Université … – UFR …") — and by their order: a
name before the handout title presents it, names after it wrote the book, a name next to a book title
and its publisher wrote that book. No list of names is used.

When the title block says nothing of the book, the body's first lines are read for it: a labelled
"Auteur : …" line, or the first sentence naming a work and its author ("Phèdre est la dernière
tragédie de Jean Racine"). Fields still missing are reported as ``metadata_missing`` issues.

The stage is spread over sibling modules, one job each: ``title_block`` finds the lines,
``title_lines`` says what each looks like, ``title_reader`` gives each its field, ``book_line``,
``person_names`` and ``dates`` parse the book line, the names and the dates, ``front_matter`` reads
YAML keys, ``book_in_body`` looks for the book in the body, ``metadata_fields`` sets fields with spans.
"""

from __future__ import annotations

from pipeline.document import Block, Document
from pipeline.models import Issue, Metadata
from pipeline.rules import METADATA_RULES
from pipeline.stages.book_in_body import _from_body
from pipeline.stages.title_block import TitleBlock, find_title_block
from pipeline.stages.title_reader import _merge, _Reader

__all__ = ["MetadataExtractor", "TitleBlock", "find_title_block", "missing_fields"]


class MetadataExtractor:
    def __call__(self, doc: Document, title_block: TitleBlock) -> Metadata:
        meta = self.read(doc, title_block.blocks)[0]
        if title_block.closing:
            closing = _Reader(doc, front_matter=False).read(title_block.closing)[0]
            _merge(meta, closing)
        try:
            _from_body(doc, meta, title_block)
        except Exception:  # a fallback never costs the fields already read  # pragma: no cover
            pass
        return meta

    def read(self, doc: Document, blocks: list[Block]) -> tuple[Metadata, set[int]]:
        """The metadata of a title block, and the indices of the blocks that filled a field."""
        return _Reader(doc).read(blocks)



# -- fields not found ---------------------------------------------------------------------------------

_REPORTED = {"course": "the course", "presenter": "the presenter", "period": "the date or period",
             "book.title": "the book's title", "book.authors": "the book's authors"}


def missing_fields(meta: Metadata) -> list[Issue]:
    """One ``metadata_missing`` issue per title-block field extraction could not find."""
    rule = METADATA_RULES["metadata_missing"]
    values = {"course": meta.course, "presenter": meta.presenter, "period": meta.period,
              "book.title": meta.book.title, "book.authors": meta.book.authors}
    return [Issue(code=rule.code, severity=rule.severity, message=f"{what} could not be found (metadata.{name})")
            for name, what in _REPORTED.items() if not values[name]]
