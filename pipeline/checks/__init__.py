"""Checking a handout (``tdx check``): the rules over its quotations and references, and, given
the book, every citation verified against it.

    handout.py   the rules over one handout: references, chapters' pages, quotation typography
    cited.py     which pages of the book each citation cites (``ibid.`` resolved)
    book.py      the book: its pages' text (read once, cached), its word index
    page_numbers.py  the number each page prints, its running headers;  spreads.py  a two-page scan cut
    locators.py  the lines (verses) and sections the book numbers itself; the v./l./§ a reference cites
    words.py     words as the verification compares them
    align.py     a quotation's pieces placed in the book and aligned word by word
    ocr.py       OCR tolerance: the differences a scan's text layer makes that are not changes
    verdicts.py  verified, wrong_page, altered or not_found, with the fix in the handout's style
    findings.py  findings made and ordered alike;  report.py  lines, the table, GitHub annotations
    lint.py      which rules run, the config, ``tdx: ignore`` comments;  run.py  a run over many handouts
    which_book.py  whether a source is the book a handout cites;  volumes.py  a book in several volumes

Every code, its severity, meaning and fix: ``pipeline.rules``.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.checks.book import SourceText, load_source
from pipeline.checks.findings import finding_for_quote, sort_findings
from pipeline.checks.handout import CHECKS, ELLIPSIS, Context
from pipeline.checks.volumes import verify_volumes
from pipeline.errors import InputNotFoundError
from pipeline.i18n import language, t, tn
from pipeline.models import Finding, Handout, Quote


def load_handout(handout: str | Path) -> Handout:
    """A handout file, extracted (without the NLP stages, which no rule needs), the JSON that
    ``tdx extract`` wrote for it, or (a ``str`` naming no file) the handout's text itself."""
    from pipeline.extract import extract

    if isinstance(handout, str) and ("\n" in handout or len(handout) >= 4096 or not Path(handout).exists()):
        return extract(handout, concepts=False, entities=False)
    path = Path(handout)
    if not path.exists():
        raise InputNotFoundError("no such file or folder.", path=str(path), hint="Check the path and try again.")
    if path.suffix.lower() == ".json":
        from pipeline.feed.handouts import read_handout

        return read_handout(path)
    return extract(path, concepts=False, entities=False)


def check(handout: Handout | str | Path, source=None, *, book_pages: int | None = None,
          page_offset: int = 0, metadata: bool = False, all_references: bool = False,
          lang: str | None = None) -> list[Finding]:
    """Every finding about ``handout``, in the order of the text (errors first at one place).

    ``handout``: a ``Handout``, a handout file, the JSON ``tdx extract`` wrote for it, or the
    handout's text.
    ``source``: the book, as a path (``.pdf``, ``.txt`` with form feeds) or a ``SourceText`` from
    ``pipeline.checks.book.load_source`` (load it once to check many handouts); each citation is then
    verified against it. A book in several volumes: a list of them, volume 1 first; a reference
    naming its volume ("t. II, p. 45") is looked up in that one, one naming none in all. ``book_pages``: the book's last page (defaults to the source's).
    ``page_offset``: printed page = PDF page index + offset, for a source PDF without printed
    page numbers or page labels. ``metadata``: also report each title-block field extraction could
    not find (``metadata_missing``, info): off by default, since reading notes often have none.
    ``all_references``: a handout citing no page at all gets one ``no_page_references`` finding
    instead of a ``missing_reference`` per quotation, unless this is set.
    ``lang``: the language of the findings' messages and hints ("en", "fr": ``pipeline.i18n``);
    by default the one in force (``with pipeline.i18n.language("fr"):``), else English. Codes and
    what the handout or the book says (quoted words, page labels) are never translated.
    """
    with language(lang):
        return _check(handout, source, book_pages=book_pages, page_offset=page_offset, metadata=metadata,
                      all_references=all_references)


def _check(handout, source, *, book_pages, page_offset, metadata, all_references) -> list[Finding]:
    if not isinstance(handout, Handout):
        handout = load_handout(handout)
    if source is not None:
        # A book in several volumes comes as a list, volume 1 first.
        volumes = [s if isinstance(s, SourceText) else load_source(s, page_offset=page_offset)
                   for s in (source if isinstance(source, (list, tuple)) else [source])]
        source = volumes[0] if volumes else None
    last_page = book_pages or (max((v.last_page or 0 for v in volumes), default=0) or None
                               if source is not None else None)
    ctx = Context(handout, last_page)
    findings = [finding for rule in CHECKS for finding in rule(ctx)]
    if metadata:
        findings += [finding_for_quote(handout, None, issue.code, issue.severity, issue.message, span=issue.span)
                     for issue in handout.issues if issue.code == "metadata_missing"]
    if not all_references:
        findings = _no_page_references(handout, findings)
    if source is not None:
        verified = [(v.quote, finding_for_quote(handout, v.quote, v.verdict or "found_page_unknown", v.severity,
                                                v.message, v.hint,
                                                verdict=v.verdict, **v.details))
                    for v in verify_volumes(handout, volumes, ctx.citations)]
        findings = _with_verification(findings, verified)
        wrong = _wrong_source(handout, volumes, [f for _, f in verified])
        if wrong is not None:  # said first: every verdict after it is read in its light
            return [wrong] + sort_findings(findings)
    return sort_findings(findings)


def _no_page_references(handout: Handout, findings: list[Finding]) -> list[Finding]:
    """Reading notes that cite no page at all are a normal sight: one finding for the handout,
    not one error per quotation."""
    missing = [f for f in findings if f.code == "missing_reference"]
    if not missing or any(q.reference is not None and (q.reference.pages or q.reference.page_labels)
                          for q in handout.quotes):
        return findings
    note = finding_for_quote(handout, None, "no_page_references",
                             message=tn("no page references in this handout ({n} quotation without one)",
                                        "no page references in this handout ({n} quotations without one)",
                                        len(missing)))
    return [note] + [f for f in findings if f.code != "missing_reference"]


def _wrong_source(handout: Handout, volumes: list[SourceText], verified: list[Finding]) -> Finding | None:
    """The source is not the book the handout cites: another title and author (in none of its
    volumes), or most of the citations not in it."""
    from pipeline.checks.which_book import book_name, match_book

    book = handout.metadata.book
    name = ", ".join(Path(v.path).name for v in volumes)
    checked = [f for f in verified if f.verdict is not None or f.code == "found_page_unknown"]
    missing = sum(f.code == "not_found" for f in checked)
    if all(match_book(book, v.front, v.path).other_book for v in volumes):
        # Citations found in the source outweigh a title block read wrong (a quotation taken for
        # the book's title): the book is said wrong only when the citations do not contradict it.
        if checked and missing < len(checked) / 2:
            return None
        message = t("this handout cites {book}, but the source ({source}) names neither its title nor its "
                    "author", book=book_name(book), source=name)
    elif len(checked) < 3 or missing <= len(checked) / 2:
        return None
    else:
        message = t("{missing} of {checked} citations are not in the source ({source}): is it the book this "
                    "handout cites?", missing=missing, checked=len(checked), source=name)
    return finding_for_quote(handout, None, "wrong_source", message=message)


def _with_verification(findings: list[Finding], verified: list[tuple[Quote, Finding]]) -> list[Finding]:
    """Add the verification findings, and let them sharpen the others: a citation without a page
    that the book has gets the page in its hint, and ``...`` that the book prints too is the
    author's, not a cut."""
    by_quote = {quote.id: finding for quote, finding in verified}
    out = []
    for finding in findings:
        located = by_quote.get(finding.quote_id or "")
        if located is not None and located.source_pages:
            pages = located.source_pages
            where = f"p. {pages[0]}" if len(pages) == 1 else f"pp. {pages[0]}-{pages[-1]}"
            if finding.code == "missing_reference":
                finding = finding.model_copy(
                    update={"hint": t("Add the page: the book prints it on {pages}.", pages=where)})
            if finding.code == "bare_ellipsis" and located.source_excerpt and \
                    ELLIPSIS.search(located.source_excerpt):
                continue
        out.append(finding)
    return out + [finding for _, finding in verified]
