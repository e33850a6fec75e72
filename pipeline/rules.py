"""Every finding tdx reports, once: its code, severity, what it means and how to fix it.

Extraction flags quotations with some of these codes (``Quote.issues``, mirrored in the
document's ``issues``) and ``tdx check`` reports all of them; both read their severity and
wording here, so a code never means two things. The rules table of docs/check.md is written
from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.models import Severity


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    meaning: str
    fix: str


RULES: dict[str, Rule] = {r.code: r for r in [
    # What extraction already flags on each quotation.
    Rule("missing_reference", "error", "a citation has no page reference",
         "Add the page after the closing mark: « … » (p. 12)."),
    Rule("malformed_reference", "error", "a page reference cannot be read: (p.), (p. 12-), letters in a page",
         "Write the page as a number or a range: (p. 12), (pp. 12-14)."),
    Rule("missing_opening_mark", "warning", "a quotation closes with » but never opens",
         "Add the opening « where the quotation starts."),
    Rule("missing_closing_mark", "warning", "a quotation opens with « but never closes",
         "Add the closing » where the quotation ends, before its reference."),
    Rule("unbalanced_nesting", "warning", "quote marks inside a quotation do not pair up",
         "Pair the inner marks: « … “ … ” … »."),
    Rule("no_quote_marks", "warning", "a paragraph quoted with a page reference but no quote marks",
         "Put the quotation between « and », or rephrase it if it is a paraphrase."),
    # Rules over the references of the whole handout.
    Rule("inconsistent_reference_style", "warning",
         "references written two ways in one handout: p.64 beside p. 64, p. 12-14 beside pp. 12-14",
         "Write every reference the way most of the handout does."),
    Rule("page_outside_chapter", "warning",
         "a page far outside the pages of its chapter (declared in the heading, or cited elsewhere in it)",
         "Check the page number: a digit may be missing, doubled or swapped."),
    Rule("pages_backwards", "warning",
         "a chapter cites pages that all come before those of the chapter above it",
         "Check the pages of this chapter, or the order of the chapters."),
    Rule("same_quote_different_pages", "warning", "one quotation cited twice, with different pages",
         "Check both references against the book: one of them is wrong."),
    Rule("ibid_without_antecedent", "error", "ibid. (or op. cit.) with no earlier reference to refer to",
         "Give the full reference at its first use."),
    Rule("page_beyond_book", "error", "a page beyond the last page of the book",
         "Check the page number against the book (--book-pages or --source gives its length)."),
    # Typography of quotations.
    Rule("cut_in_parentheses", "warning", "a cut written (...) inside a quotation",
         "Write cuts in square brackets: [...]."),
    Rule("bare_ellipsis", "info", "... inside a quotation: the author's, or a cut missing its brackets",
         "If you cut the text here, write [...]; if the author wrote it, leave it."),
    Rule("sic", "info", "[sic]: an error of the original kept on purpose", "Nothing to do."),
    # Verification against the book (--source).
    Rule("verified", "info", "the quotation is in the book, on the page cited", "Nothing to do."),
    Rule("wrong_page", "error", "the quotation is in the book, but on another page (given)",
         "Cite the page the book prints it on."),
    Rule("altered", "warning", "the quotation is in the book, with words changed, added or left out (shown)",
         "Quote the book's words as printed; mark a cut with [...] and your own words with [brackets]."),
    Rule("not_found", "error", "the quotation is not in the book (info when the handout cites no page)",
         "Check it against the book: misquoted, or from another work (then name it)."),
]}


# What extraction reports about the title block (``Handout.issues``): a field it could not find is
# said, never left null in silence. Kept apart from ``RULES`` (the findings of ``tdx check`` about
# quotations and references), which the README's rules table documents.
METADATA_RULES: dict[str, Rule] = {r.code: r for r in [
    Rule("metadata_missing", "info", "a title-block field could not be found",
         "Add it as a labelled line at the top: « Cours : … », « Présenté par … », « Date : … », and the "
         "book as « Auteur, *Titre. Sous-titre*, Éditeur, année »."),
]}
