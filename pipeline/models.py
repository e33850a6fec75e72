"""The JSON contract: pydantic models shared by every stage and every consumer.

Every extracted element carries a character ``Span`` into ``Handout.text``; ``text[start:end]`` is
exactly the element's surface text. ``schemas/handout.schema.json`` is generated from these models
(``tdx schema``) and a test fails when the two drift apart.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# Semantic versioning of the JSON contract: bump the minor version for added fields, the major
# version for anything a consumer could trip over (renamed, removed or retyped fields).
SCHEMA_VERSION = "1.8.0"


class Record(BaseModel):
    """Base of every record: unknown fields are refused so typos never pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=False)


class Span(Record):
    """Half-open character range ``[start, end)`` into ``Handout.text``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Box(Record):
    """Where something is printed on a PDF page, in PDF points from the page's top-left corner."""

    page: int = Field(ge=1)
    x0: float
    top: float
    x1: float
    bottom: float


class Page(Record):
    number: int = Field(ge=1, description="1-based PDF page number.")
    span: Span = Field(description="The page's range in `text` (headers and footers removed).")


Severity = Literal["error", "warning", "info"]


class Issue(Record):
    """Something extraction noticed about the document (not a crash)."""

    code: str
    severity: Severity
    message: str
    span: Span | None = None


class Source(Record):
    path: str | None = Field(description="Path of the input file as given, null for in-memory text.")
    sha256: str
    format: Literal["text", "markdown", "pdf", "docx", "pptx", "odt", "odp", "latex"]
    encoding: str | None = Field(description="Detected text encoding (null for PDF and for Word, PowerPoint, OpenDocument and LaTeX files, read as XML or UTF-8).")
    pages: int | None = Field(description="Page count (for slides, the slide count); null for text, Word, OpenDocument text and LaTeX input.")
    size_bytes: int


class Book(Record):
    title: str | None = None
    subtitle: str | None = None
    authors: list[str] = Field(default_factory=list, description="Who wrote the book (the editor of an "
                               "edited volume); never its translator or preface writer.")
    publisher: str | None = Field(default=None, description="Publisher as written ('Gallimard', "
                                  "'Éditions du Seuil').")
    year: int | None = Field(default=None, description="Year of the edition cited (the first year "
                             "given with the publisher).")


class Metadata(Record):
    course: str | None = None
    presenter: str | None = None
    period: str | None = None
    title: str | None = Field(default=None, description="Title of the handout itself.")
    book: Book = Field(default_factory=Book)
    provenance: dict[str, Span] = Field(
        default_factory=dict,
        description="Where each filled field was read, keyed by field name "
        "(course, presenter, period, title, book.title, book.subtitle, book.authors[0], ..., "
        "book.publisher, book.year).",
    )


SectionKind = Literal[
    "markdown", "part", "chapter", "session", "roman", "letter", "decimal", "keyword", "slide"
]


class Section(Record):
    id: str
    title: str = Field(description="Heading text without numbering-independent markup (`#`, `**`).")
    level: int = Field(ge=1, description="1 = top level.")
    parent_id: str | None
    kind: SectionKind = Field(description="The heading convention that was recognised.")
    number: str | None = Field(default=None, description="'2' for 'Chapitre 2', 'II' for 'II.'.")
    span: Span = Field(description="The whole section, heading included, up to the next heading "
                                   "of the same or a higher level.")
    heading_span: Span
    page: int | None = None


ReferenceKind = Literal[
    "page", "page_range", "page_list", "chapter", "location", "ibid", "malformed"
]


class Reference(Record):
    raw: str = Field(description="The reference as written, without enclosing brackets.")
    span: Span = Field(description="Span of `raw`.")
    kind: ReferenceKind
    pages: list[int] = Field(
        default_factory=list,
        description="Cited pages; both ends for a range (abbreviated ends such as 112-14 expanded).")
    page_labels: list[str] = Field(
        default_factory=list, description="Pages as written, including roman numerals (xii).")
    location: str | None = Field(default=None, description="Chapter or part named instead of a page.")
    volume: str | None = Field(default=None, description="Volume (tome) of a multi-volume work, as "
                                                         "written: 'II' in '(t. II, p. 45)'.")
    following: bool = Field(default=False, description="'sq.', 'sqq.', 'et suiv.': and following pages.")
    back_reference: Literal["ibid", "op_cit", "id"] | None = Field(
        default=None, description="The reference points back to an earlier source.")
    author: str | None = Field(default=None, description="Author named in the reference "
                                                         "('Loyer' in '(Loyer 1999: 9-10)').")
    year: int | None = None
    position: Literal["after", "before", "block", "note", "page_heading"] = Field(
        default="after", description="Where the reference stands relative to its quotation: "
                                     "'note' in the footnote its call points to, 'page_heading' "
                                     "on a page line ('**P.26**') the notes below it come from.")
    page: int | None = Field(default=None, description="PDF page the reference is printed on.")


QuoteKind = Literal["citation", "term", "excerpt"]


class Quote(Record):
    id: str
    text: str = Field(description="The quotation without its outer quote marks.")
    span: Span = Field(description="Span of `text`.")
    outer_span: Span = Field(description="The quotation with its quote marks, when present.")
    open_mark: str | None = Field(description="Opening mark as written ('«', '“', '\"', '>'); "
                                              "null when missing or absent.")
    close_mark: str | None
    kind: QuoteKind
    section_id: str | None
    page: int | None = None
    reference: Reference | None = None
    nested: list[Span] = Field(default_factory=list, description="Quotations inside this one.")
    attribution: str | None = Field(default=None, description="Speaker of an excerpt "
                                                              "('Brigitte, 50 ans, infirmière').")
    boxes: list[Box] = Field(default_factory=list, description="Where the quotation is printed, one box "
                                                               "per line (PDF input).")
    issues: list[str] = Field(default_factory=list)


MatchKind = Literal["exact", "lemma", "fuzzy", "glossary"]
ConceptCue = Literal["keyword", "quoted", "emphasis", "phrase", "definition", "gloss", "heading", "frequency", "glossary"]


class Mention(Record):
    text: str = Field(description="The mention as written (`text[span]`).")
    span: Span
    section_id: str | None
    page: int | None = None
    match: MatchKind = Field(description="exact: a variant as written; lemma: same normalised form "
                                         "(case, accents, plural, hyphens); fuzzy: a spelling slip; "
                                         "glossary: an alias from the glossary.")
    score: float = Field(ge=0, le=100, description="Similarity to the concept's nearest variant (100 = same).")


class Concept(Record):
    id: str
    label: str = Field(description="Canonical form: the variant used most often.")
    variants: list[str] = Field(description="Every surface form seen, markup and articles removed.")
    cues: list[ConceptCue] = Field(description="How the handout marks it as a concept.")
    score: float = Field(description="How term-like and prominent it is; concepts are sorted by it.")
    definition: str | None = Field(default=None, description="From the glossary, when given.")
    mentions: list[Mention]


EntityLabel = Literal["PER", "ORG", "WORK"]


class EntityMention(Record):
    text: str
    span: Span
    section_id: str | None
    page: int | None = None


class Entity(Record):
    id: str
    label: EntityLabel
    text: str = Field(description="Canonical name: the longest form seen (a full name over a surname).")
    mentions: list[EntityMention]


class Extraction(Record):
    """How a handout was extracted: a rerun with the same fingerprint and input hash is skipped."""

    concepts: bool = True
    entities: bool = True
    glossary_sha256: str | None = None
    fingerprint: str = Field(default="", description="Hash of tdx's version and source code, the model's "
                                                     "version, the schema version and the options above.")


class Handout(Record):
    schema_version: str = SCHEMA_VERSION
    tool_version: str
    extraction: Extraction = Field(default_factory=Extraction)
    source: Source
    text: str
    pages: list[Page] = Field(default_factory=list, description="Character range of each PDF page.")
    metadata: Metadata
    sections: list[Section]
    quotes: list[Quote]
    concepts: list[Concept] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    issues: list[Issue]


class FileError(Record):
    code: str
    message: str


class FileRecord(Record):
    path: str = Field(description="The input file.")
    output: str | None = Field(description="The JSON written (or kept), relative to the output folder.")
    status: Literal["processed", "skipped", "failed"]
    sha256: str | None = None
    seconds: float | None = Field(default=None, description="Extraction time, reading included.")
    chars: int | None = None
    tokens: int | None = Field(default=None, description="Whitespace-separated words of the text.")
    worker_peak_rss_mb: float | None = Field(default=None, description="Peak memory of the worker "
                                                                       "process after this file.")
    error: FileError | None = None


class RunReport(Record):
    """``outputs/_run.json``: what a batch run did with each file."""

    schema_version: str = SCHEMA_VERSION
    tool_version: str
    extraction: Extraction
    started_at: str
    finished_at: str
    seconds: float
    jobs: int
    executor: Literal["processes", "dask"]
    interrupted: bool = False
    processed: int
    skipped: int
    failed: int
    files: list[FileRecord]


# -- tdx check: findings about an extracted handout (and, with a source, about its quotations) ------

Verdict = Literal["verified", "wrong_page", "altered", "not_found"]


class WordChange(Record):
    """Words where a quotation and the book differ; an empty side means the words are missing there."""

    quoted: str = Field(description="The words as the handout quotes them ('' when it left words out).")
    source: str = Field(description="The words as the book prints them ('' when the handout added words).")
    span: Span | None = Field(default=None, description="Span of the quoted words in the handout's text.")


class Finding(Record):
    """One problem (or, for `verified`, one confirmation) about a handout, with where and how to fix it."""

    code: str = Field(description="Rule code, e.g. `missing_reference`, `wrong_page` (see the README).")
    severity: Severity
    message: str = Field(description="What is wrong, in one line.")
    hint: str = Field(description="How to fix it.")
    span: Span | None = Field(default=None, description="What the finding is about, in the handout's `text`.")
    line: int | None = Field(default=None, ge=1, description="1-based line of `span.start` in `text`.")
    page: int | None = Field(default=None, description="PDF page of the handout (PDF input only).")
    quote_id: str | None = None
    quote_text: str | None = Field(default=None, description="The quotation concerned, when there is one.")
    # Verification against the source (`--source`): set on the findings coded like their verdict.
    verdict: Verdict | None = None
    cited_pages: list[int] = Field(default_factory=list, description="Pages the reference cites (both "
                                   "ends of a range), `ibid.` resolved to the page it repeats.")
    source_page: str | None = Field(default=None, description="Printed page of the source the passage "
                                    "starts on ('64', 'xii').")
    source_pages: list[str] = Field(default_factory=list, description="Every printed page the passage "
                                    "runs over (two when it crosses a page break).")
    source_index: int | None = Field(default=None, ge=1, description="1-based page of the source file "
                                     "the passage starts on (PDF page index).")
    source_volume: int | None = Field(default=None, ge=1, description="The volume the passage is in, when "
                                      "the book came in several (1 = the first `--source`).")
    source_span: Span | None = Field(default=None, description="The passage in the source's extracted text.")
    source_excerpt: str | None = Field(default=None, description="The passage as the source prints it "
                                       "(shortened past 400 characters).")
    score: float | None = Field(default=None, ge=0, le=100, description="Similarity of quotation and "
                                "passage, in % of words matched (100 = same words).")
    diff: list[WordChange] = Field(default_factory=list, description="Words that differ (altered).")


class CheckedSource(Record):
    path: str
    sha256: str
    pages: int = Field(description="Pages in the source file.")
    numbering: Literal["printed", "pdf_labels", "index", "none"] = Field(
        description="Where page numbers came from: numbers printed in headers/footers, the PDF's page "
                    "labels, the page index plus --page-offset, or none (a text without form feeds).")


class DocumentReport(Record):
    path: str
    findings: list[Finding]


class CheckReport(Record):
    """What `tdx check --format json` prints."""

    schema_version: str = SCHEMA_VERSION
    tool_version: str
    source: CheckedSource | None = Field(default=None, description="The book checked against (with several "
                                         "volumes, volume 1: see `volumes`).")
    volumes: list[CheckedSource] = Field(default_factory=list, description="Every volume of the book, volume 1 "
                                         "first, one per `--source` (a book in one volume: `source` alone).")
    documents: list[DocumentReport]


class CorpusConcept(Record):
    """One concept across a corpus (``tdx concepts``), variants merged as within one handout."""

    label: str
    variants: list[str]
    handout_count: int
    mention_count: int
    handouts: list[str] = Field(description="Input paths of the handouts that use it.")
