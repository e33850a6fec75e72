"""Every finding tdx reports, once: its code, severity, what it means and how to fix it.

Extraction flags quotations with some of these codes (``Quote.issues``, mirrored in the
document's ``issues``) and ``tdx check`` reports all of them; both read their severity and
wording here, so a code never means two things. The rules table of docs/check.md is written
from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.i18n import N_, t
from pipeline.models import Severity


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    meaning: str
    fix: str
    why: str = ""  # why it matters to a reader of the handout (``tdx rule CODE``)
    example: str = ""  # a line that breaks the rule, then the line fixed, as "bad\n=> good"
    default: bool = True  # reported unless selected; off-by-default rules need --select


def explain(code: str) -> str:
    """What ``tdx rule CODE`` prints: the meaning, why it matters, how to fix it, an example (in the
    language in force, ``pipeline.i18n.language``; the example is a handout's line, shown as written)."""
    rule = RULES.get(code) or METADATA_RULES[code]
    off = "" if rule.default else t(", off by default: --select it")
    lines = [f"{rule.code} ({rule.severity}{off})", "", t("What it means: {meaning}.", meaning=t(rule.meaning))]
    if rule.why:
        lines.append(t("Why it matters: {why}", why=t(rule.why)))
    lines.append(t("How to fix it: {fix}", fix=t(rule.fix)))
    if rule.example:
        bad, _, good = rule.example.partition("\n=> ")
        lines += ["", t("Example:"), f"  {bad}"] + ([t("Fixed:"), f"  {good}"] if good else [])
    return "\n".join(lines)


RULES: dict[str, Rule] = {r.code: r for r in [
    # What extraction already flags on each quotation.
    Rule("missing_reference", "error", N_("a citation has no page reference"),
         N_(
             "Add the page after the closing mark: « … » (p. 12)."),
         N_("A reader cannot find the passage in the book, nor check that it says what you quote."),
         "« Le comté n'est qu'un cadre administratif. »\n=> « Le comté n'est qu'un cadre administratif. » (p. 44)"),
    Rule("no_page_references", "warning",
         N_("no page references in this handout: none of its quotations cites a page"),
         N_("Add the page after each quotation, or leave it if these are reading notes (--all-references "
            "lists each)."),
         N_("Reading notes often cite no page; one finding says so instead of one error per quotation."),
         "« Le comté n'est qu'un cadre administratif. »\n=> « Le comté n'est qu'un cadre administratif. » (p. 44)"),
    Rule("malformed_reference", "error",
         N_("a page reference cannot be read: (p.), (p. 12-), letters in a page"),
         N_("Write the page as a number or a range: (p. 12), (pp. 12-14)."),
         N_("A page nobody can read sends the reader nowhere, and tdx cannot check it against the book."),
         "« … d'existence morale. » (p. 4O)\n=> « … d'existence morale. » (p. 40)"),
    Rule("missing_opening_mark", "warning", N_("a quotation closes with » but never opens"),
         N_("Add the opening « where the quotation starts."),
         N_("Where the author's words begin is unknown: your words may be read as the author's."),
         "Le comté n'est qu'un cadre administratif » (p. 44)\n=> « Le comté n'est qu'un cadre administratif » (p. 44)"),
    Rule("missing_closing_mark", "warning", N_("a quotation opens with « but never closes"),
         N_("Add the closing » where the quotation ends, before its reference."),
         N_("Your commentary after it is read as the author's words."),
         "« Le comté n'est qu'un cadre administratif (p. 44)\n=> « Le comté n'est qu'un cadre administratif » (p. 44)"),
    Rule("unbalanced_nesting", "warning", N_("quote marks inside a quotation do not pair up"),
         N_("Pair the inner marks: « … “ … ” … »."),
         N_("A quotation inside a quotation must show where the inner one ends."),
         "« Il parle du “ pouvoir local. » (p. 44)\n=> « Il parle du “pouvoir local”. » (p. 44)"),
    Rule("no_quote_marks", "warning", N_("a paragraph quoted with a page reference but no quote marks"),
         N_("Put the quotation between « and », or rephrase it if it is a paraphrase."),
         N_("Without marks, the author's words pass for yours: that is plagiarism, however unwitting."),
         "Le comté n'est qu'un cadre administratif ; il n'a point d'existence morale (p. 44).\n"
         "=> « Le comté n'est qu'un cadre administratif ; il n'a point d'existence morale. » (p. 44)"),
    # Rules over the references of the whole handout.
    Rule("inconsistent_reference_style", "warning",
         N_("references written two ways in one handout: p.64 beside p. 64, p. 12-14 beside pp. 12-14"),
         N_("Write every reference the way most of the handout does."),
         N_("A handout read by others follows one convention; two ways look like two sources."),
         "(p.64) … (p. 65)\n=> (p. 64) … (p. 65)"),
    Rule("page_outside_chapter", "warning",
         N_("a page far outside the pages of its chapter (declared in the heading, or cited elsewhere in it)"),
         N_("Check the page number: a digit may be missing, doubled or swapped."),
         N_("A page far from its chapter's is most often a typo, which sends the reader to the wrong page."),
         "## Chapitre 2 (p. 40-80) … « … » (p. 640)\n=> « … » (p. 64)"),
    Rule("pages_backwards", "warning",
         N_("a chapter cites pages that all come before those of the chapter above it"),
         N_("Check the pages of this chapter, or the order of the chapters."),
         N_("Chapters follow the book; pages going backwards point to a wrong page or a misplaced part."),
         "## Chapitre 3 … (p. 12)   after   ## Chapitre 2 … (p. 80)\n=> check the pages of chapter 3"),
    Rule("same_quote_different_pages", "warning", N_("one quotation cited twice, with different pages"),
         N_("Check both references against the book: one of them is wrong."),
         N_("The same words cannot be on two pages: one reference sends the reader astray."),
         "« On apprend à obéir en commandant soi-même » (p. 42) … (p. 24)\n=> the same page both times"),
    Rule("ibid_without_antecedent", "error", N_("ibid. (or op. cit.) with no earlier reference to refer to"),
         N_("Give the full reference at its first use."),
         N_("ibid. repeats the reference before it: with none, the reader cannot tell what is cited."),
         "« … » (ibid., p. 12)   as the first reference\n=> « … » (Tocqueville, p. 12)"),
    Rule("page_beyond_book", "error", N_("a page beyond the last page of the book"),
         N_("Check the page number against the book (--book-pages or --source gives its length)."),
         N_("That page does not exist in the book: the number is wrong."),
         "« … » (p. 4412)   in a book of 450 pages\n=> « … » (p. 412)"),
    # Typography of quotations.
    Rule("cut_in_parentheses", "warning", N_("a cut written (...) inside a quotation"),
         N_("Write cuts in square brackets: [...]."),
         N_("French scholarly quotation marks a cut with [...]; (...) can be the author's own."),
         "« Le comté (...) n'a point d'existence morale. »\n=> « Le comté […] n'a point d'existence morale. »"),
    Rule("bare_ellipsis", "info", N_("... inside a quotation: the author's, or a cut missing its brackets"),
         N_("If you cut the text here, write [...]; if the author wrote it, leave it."),
         N_("A reader cannot tell your cut from the author's suspension points."),
         "« Et pourtant... la commune demeure »\n=> « Et pourtant […] la commune demeure » (if you cut)"),
    Rule("sic", "info", N_("[sic]: an error of the original kept on purpose"), N_("Nothing to do."),
         N_("Said so that a reader knows the error is the author's, not a typo of yours."),
         "« les lois ne font guère que la réglé [sic] »"),
    # Verification against the book (--source).
    Rule("wrong_source", "error", N_("the source is not the book this handout cites: another title or author, "
         "or most citations not in it"),
         N_("Give the book the handout cites (--source), or several books with --sources DIR."),
         N_("Checked against another book, every citation looks wrong: the verdicts below mean nothing."),
         "metadata.book: *Égologie*, --source tocqueville.pdf\n=> --source egologie.pdf"),
    Rule("verified", "info", N_("the quotation is in the book, on the page cited"), N_("Nothing to do."),
         N_("A confirmation, counted in the summary rather than listed."),
         "« Le comté n'est qu'un cadre administratif » (p. 44)   found on p. 44"),
    Rule("found_page_unknown", "info", N_("the quotation is in the source, whose pages are unknown: the page "
         "cited is not checked"),
         N_("Give the source with its pages: a PDF, a .txt with form feeds or [[PAGE N]] lines."),
         N_("A text without page breaks cannot say on which page of the book a passage is printed."),
         "--source book.txt (no form feeds)\n=> --source book.pdf, or book.txt with [[PAGE 44]] lines"),
    Rule("wrong_page", "error", N_("the quotation is in the book, but on another page (given)"),
         N_("Cite the page the book prints it on."),
         N_("The reader looking for the passage will not find it on the page given."),
         "« Le comté n'est qu'un cadre administratif » (p. 43)\n"
         "=> « Le comté n'est qu'un cadre administratif » (p. 44)"),
    Rule("altered", "warning", N_("the quotation is in the book, with words changed, added or left out (shown)"),
         N_("Quote the book's words as printed; mark a cut with [...] and your own words with [brackets]."),
         N_("A quotation promises the author's exact words; a changed word changes what they said."),
         "« Le comté n'est qu'un simple cadre » (p. 44)\n=> « Le comté n'est qu'un cadre » (p. 44)"),
    Rule("not_found", "error", N_("the quotation is not in the book (info when the handout cites no page)"),
         N_("Check it against the book: misquoted, or from another work (then name it)."),
         N_("A quotation the book does not hold is misquoted, or from another work the reader cannot find."),
         "« La commune est une invention moderne » (p. 41)\n=> the book's words, or (Autre auteur, p. 3)"),
]}


# What extraction reports about the title block (``Handout.issues``): a field it could not find is
# said, never left null in silence. Kept apart from ``RULES`` (the findings of ``tdx check`` about
# quotations and references), which the README's rules table documents.
METADATA_RULES: dict[str, Rule] = {r.code: r for r in [
    Rule("metadata_missing", "info", N_("a title-block field could not be found"),
         N_("Add it as a labelled line at the top: « Cours : … », « Présenté par … », « Date : … », and the "
         "book as « Auteur, *Titre. Sous-titre*, Éditeur, année »."),
         N_("A handout without its book or presenter cannot be filed, searched or matched to its source."),
         "(no title block)\n=> Cours : Sociologie politique / Présenté par Claire Morel / "
         "Tocqueville, *De la démocratie en Amérique*, Pagnerre, 1848",
         default=False),
]}
