"""The quality rules of ``tdx check``: for each, French handouts that trigger it and near misses
that must not. Each example is a whole (short) handout, extracted as users' handouts are."""

from __future__ import annotations

import re

import pytest

import pipeline
from pipeline.checks import check, load_handout
from pipeline.checks.handout import _typo_fixes
from pipeline.rules import RULES
from tests.conftest import DATA, ROOT

HEAD = ("Histoire des idées politiques\nExposé de Camille Ferrandou\n\nFiche de lecture : *De la démocratie "
        "en Amérique*\n\nAlexis de Tocqueville\n\n")
LONG = "Parmi les objets nouveaux qui ont attiré mon attention, aucun n'a plus vivement frappé mes regards"
OTHER = "Le développement graduel de l'égalité des conditions est donc un fait providentiel"
THIRD = "Je ne connais pas de pays où il règne moins d'indépendance d'esprit qu'en Amérique"


def handout(*paragraphs: str) -> str:
    return HEAD + "\n\n".join(paragraphs) + "\n"


def codes(text: str, code: str, **options) -> list:
    return [f for f in check(handout(text) if not text.startswith(HEAD) else text, **options) if f.code == code]


def count(code: str, *paragraphs: str, **options) -> int:
    return len([f for f in check(handout(*paragraphs), **options) if f.code == code])


# -- what extraction flags on each quotation -------------------------------------------------------

@pytest.mark.parametrize("paragraphs, expected", [
    ([f"« {LONG}. »"], 1),
    ([f"« {LONG}. » (p. 1)"], 0),
    # A book part named instead of a page is a reference.
    ([f"« {LONG}. » (Introduction)"], 0),
    # A short quoted expression is a term, not a citation.
    (["Tocqueville parle de « tyrannie de la majorité » dans ce chapitre."], 0),
    # A gloss after the quotation is no reference: the citation still lacks one.
    ([f"« {LONG}. » (gig economy)"], 1),
])
def test_missing_reference(paragraphs, expected):
    assert count("missing_reference", *paragraphs, all_references=True) == expected


@pytest.mark.parametrize("reference, expected", [
    ("(p.)", 1),
    ("(p. 12-)", 1),
    # Letter O typed for a zero.
    ("(p. 4O)", 1),
    ("(p. 12)", 0),
    ("(pp. 12-14)", 0),
    # Front matter in roman numerals is a page.
    ("(p. xii)", 0),
])
def test_malformed_reference(reference, expected):
    found = codes(f"« {LONG} » {reference}", "malformed_reference")
    assert len(found) == expected
    if found:
        text = load_handout(handout(f"« {LONG} » {reference}")).text
        assert text[found[0].span.start:found[0].span.end] == reference.strip("()")


@pytest.mark.parametrize("paragraph, code, expected", [
    (f"{LONG} » (p. 1)", "missing_opening_mark", 1),
    (f"« {LONG} (p. 1)", "missing_closing_mark", 1),
    (f"« {LONG} » (p. 1)", "missing_opening_mark", 0),
    (f"« {LONG} » (p. 1)", "missing_closing_mark", 0),
    # Inner “ ” that never closes inside « ».
    (f"« Il écrit : “ {LONG} » (p. 1)", "unbalanced_nesting", 1),
    (f"« Il écrit : “ {LONG} ” et conclut. » (p. 1)", "unbalanced_nesting", 0),
    (f"{LONG} et ainsi de suite pendant des pages entières de ce livre (p. 3)", "no_quote_marks", 1),
    # A short paraphrase with a page is not an unmarked quotation.
    ("Voir le tableau (p. 12)", "no_quote_marks", 0),
])
def test_quote_mark_issues(paragraph, code, expected):
    assert count(code, paragraph) == expected


# -- reference style -----------------------------------------------------------------------------

@pytest.mark.parametrize("references, flagged", [
    (["p. 12", "p. 14", "p.16"], ["p.16"]),
    (["p.12", "p.14", "p. 16"], ["p. 16"]),
    # A tie: the style used first is the handout's convention.
    (["p.12", "p. 14"], ["p. 14"]),
    (["p. 12", "p. 14", "p. 16"], []),
    # A non-breaking space is a space: "p.\u00a012" is written like "p. 14".
    (["p.\u00a012", "p. 14", "p. 16"], []),
    # "p12" without a full stop is a third style.
    (["p. 12", "p. 14", "p16"], ["p16"]),
    # Ranges: pp. is the handout's habit, one range with p. breaks it...
    (["pp. 12-14", "pp. 20-22", "p. 30-32"], ["p. 30-32"]),
    # ... but a single page with p. beside ranges with pp. is right.
    (["pp. 12-14", "pp. 20-22", "p. 30"], []),
    # Roman front matter follows the same style.
    (["p. xii", "p. 14", "p. 16"], []),
])
def test_inconsistent_reference_style(references, flagged):
    quotes = [f"« {LONG} numéro {k} » ({ref})" for k, ref in enumerate(references)]
    text = handout(*quotes)
    found = codes(text, "inconsistent_reference_style")
    extracted = load_handout(text).text
    assert [extracted[f.span.start:f.span.end] for f in found] == flagged


def test_style_message_says_what_the_handout_usually_writes():
    [finding] = codes(handout(*[f"« {LONG} numéro {k} » ({ref})" for k, ref in enumerate(["p. 1", "p. 2", "p.3"])]),
                      "inconsistent_reference_style")
    assert "«p.12»" in finding.message and "«p. 12»" in finding.message and "2 other references" in finding.message


# -- pages and chapters --------------------------------------------------------------------------

def chapters(*groups: tuple[str, list[int]]) -> str:
    """A handout with one heading per (title, pages), each page cited by a distinct quotation."""
    parts, k = [], 0
    for title, pages in groups:
        parts.append(title)
        for page in pages:
            k += 1
            parts.append(f"« {LONG}, citation numéro {k} de ce chapitre » (p. {page})")
    return handout(*parts)


@pytest.mark.parametrize("text, flagged", [
    # A page far beyond its chapter, and beyond where the next chapter begins.
    (chapters(("Chapitre 1 : Le point de départ", [10, 12, 15, 18]),
              ("Chapitre 2 : L'état social", [40, 45, 48, 52, 450]),
              ("Chapitre 3 : La souveraineté du peuple", [60, 65, 70])), [450]),
    # Far before its chapter and before the chapter above it.
    (chapters(("Chapitre 1 : Le point de départ", [10, 12, 15, 18]),
              ("Chapitre 2 : L'état social", [40, 45, 4, 48, 52]),
              ("Chapitre 3 : La souveraineté du peuple", [60, 65, 70])), [4]),
    # Markdown headings naming the book's chapters count as chapters.
    (chapters(("## Chapitre 1", [10, 12, 15, 18]), ("## Chapitre 2", [40, 45, 48, 52, 450]),
              ("## Chapitre 3", [60, 65, 70])), [450]),
    # Near miss: far from the chapter's other pages, but short of the next chapter's: the chapter
    # may simply run longer than its citations show.
    (chapters(("Chapitre 1 : Le point de départ", [10, 12, 15, 38]),
              ("Chapitre 2 : L'état social", [40, 45, 48, 52])), []),
    # Near miss: a chapter that ranges widely.
    (chapters(("Chapitre 1 : Le point de départ", [10, 40, 60, 80, 100, 130]),
              ("Chapitre 2 : L'état social", [140, 150])), []),
    # Near miss: too few other citations to say where the chapter lies.
    (chapters(("Chapitre 1 : Le point de départ", [10, 12, 300]),
              ("Chapitre 2 : L'état social", [40, 45])), []),
    # Near miss: no chapters of the book, only the handout's own plan.
    (chapters(("I. Le contexte", [10, 12, 15, 18]), ("II. L'analyse", [40, 45, 48, 52, 450])), []),
])
def test_page_outside_chapter_inferred(text, flagged):
    found = codes(text, "page_outside_chapter")
    assert [int(re.search(r"p\. (\d+)", f.message).group(1)) for f in found] == flagged


def test_page_outside_chapter_suggests_the_typo():
    [finding] = codes(chapters(("Chapitre 1 : Le point de départ", [10, 12, 15, 18]),
                               ("Chapitre 2 : L'état social", [40, 44, 48, 52, 640]),
                               ("Chapitre 3 : La souveraineté", [60, 65, 70])), "page_outside_chapter")
    assert "p. 40" in finding.hint and "p. 46" not in finding.hint


@pytest.mark.parametrize("heading, pages, flagged", [
    ("Chapitre 2 (p. 40-80)", [45, 95], [95]),
    ("Chapitre 2 : L'état social (pp. 40 à 80)", [45, 30], [30]),
    # Both ends of the range are in.
    ("Chapitre 2 (p. 40-80)", [40, 80], []),
    ("Partie I — pp. 40 à 80", [45, 95], [95]),
    # Any heading may declare its pages, not only chapters.
    ("Séance 3 — p. 40-80", [45, 95], [95]),
])
def test_page_outside_chapter_declared(heading, pages, flagged):
    found = codes(chapters((heading, pages)), "page_outside_chapter")
    assert [int(re.search(r"p\. (\d+)", f.message).group(1)) for f in found] == flagged
    assert all("40-80" in f.message for f in found)


@pytest.mark.parametrize("text, expected", [
    (chapters(("Chapitre 1 : Le point de départ", [50, 55]), ("Chapitre 2 : L'état social", [20, 25])), 1),
    # The handout discusses chapter 3 before chapter 2 on purpose: its pages go back with it.
    (chapters(("Chapitre 3 : La souveraineté", [50, 55]), ("Chapitre 2 : L'état social", [20, 25])), 0),
    # Overlapping chapters are not backwards.
    (chapters(("Chapitre 1 : Le point de départ", [50, 70]), ("Chapitre 2 : L'état social", [60, 80])), 0),
    # One stray page in a chapter is page_outside_chapter's business, not a backwards chapter.
    (chapters(("Chapitre 1 : Le point de départ", [50, 55, 58, 60]),
              ("Chapitre 2 : L'état social", [65, 70, 75, 2]),
              ("Chapitre 3 : La souveraineté", [90, 95])), 0),
])
def test_pages_backwards(text, expected):
    assert len(codes(text, "pages_backwards")) == expected


@pytest.mark.parametrize("paragraphs, expected", [
    ([f"« {LONG} » (p. 1)", f"« {LONG} » (p. 10)"], 1),
    # A shorter piece of the same quotation.
    ([f"« {LONG} » (p. 1)", "« aucun n'a plus vivement frappé mes regards » (p. 10)"], 1),
    ([f"« {LONG} » (p. 1)", f"« {LONG} » (p. 1)"], 0),
    # Overlapping pages agree.
    ([f"« {LONG} » (p. 12)", f"« {LONG} » (pp. 11-13)"], 0),
    ([f"« {LONG} » (p. 1)", f"« {OTHER} » (p. 10)"], 0),
    # A slogan of a few words may be quoted from two places.
    (["« Liberté, égalité » (p. 1)", "« Liberté, égalité » (p. 10)"], 0),
])
def test_same_quote_different_pages(paragraphs, expected):
    assert count("same_quote_different_pages", *paragraphs) == expected


@pytest.mark.parametrize("paragraphs, expected", [
    ([f"« {LONG} » (ibid., p. 12)"], 1),
    ([f"« {LONG} » (ibid.)", f"« {OTHER} » (p. 3)"], 1),
    ([f"« {LONG} » (op. cit., p. 4)"], 1),
    ([f"« {LONG} » (p. 3)", f"« {OTHER} » (ibid.)"], 0),
    # ibid. after another work's reference refers to that work: it has an antecedent.
    ([f"« {LONG} » (Loyer 1999: 9-10)", f"« {OTHER} » (ibid., p. 12)"], 0),
])
def test_ibid_without_antecedent(paragraphs, expected):
    assert count("ibid_without_antecedent", *paragraphs) == expected


@pytest.mark.parametrize("reference, book_pages, expected", [
    ("p. 250", 200, 1),
    ("pp. 190-210", 200, 1),
    ("p. 200", 200, 0),
    # Without the book's length there is nothing to compare with.
    ("p. 250", None, 0),
])
def test_page_beyond_book(reference, book_pages, expected):
    assert count("page_beyond_book", f"« {LONG} » ({reference})", book_pages=book_pages) == expected


@pytest.mark.parametrize("quote, code, expected", [
    (f"« {LONG} (...) {OTHER} » (p. 1)", "cut_in_parentheses", 1),
    (f"« {LONG} (…) {OTHER} » (p. 1)", "cut_in_parentheses", 1),
    (f"« {LONG} [...] {OTHER} » (p. 1)", "cut_in_parentheses", 0),
    (f"« {LONG} ... {OTHER} » (p. 1)", "bare_ellipsis", 1),
    (f"« {LONG}… {OTHER} » (p. 1)", "bare_ellipsis", 1),
    # The bracketed cut is the convention.
    (f"« {LONG} […] {OTHER} » (p. 1)", "bare_ellipsis", 0),
    # (...) is reported once, as a cut in parentheses, not again as a bare ellipsis.
    (f"« {LONG} (...) {OTHER} » (p. 1)", "bare_ellipsis", 0),
    # Outside quotations, "..." is the handout's own prose.
    (f"Et ainsi de suite... « {LONG} » (p. 1)", "bare_ellipsis", 0),
    (f"« {LONG} [sic] » (p. 1)", "sic", 1),
    (f"« {LONG} (sic !) » (p. 1)", "sic", 1),
    # "sic" as a word is not the editorial mark.
    (f"« Sic transit gloria mundi, {LONG} » (p. 1)", "sic", 0),
])
def test_quotation_typography(quote, code, expected):
    found = codes(quote, code)
    assert len(found) == expected
    if found:
        text = load_handout(handout(quote)).text
        assert text[found[0].span.start:found[0].span.end] in ("(...)", "(…)", "...", "…", "[sic]", "(sic !)")


# -- findings as records ---------------------------------------------------------------------------

def test_findings_have_rule_severity_line_and_quote():
    text = handout(f"« {LONG}. »", f"« {OTHER} » (p.)")
    findings = check(text, all_references=True)
    assert [f.code for f in findings] == ["missing_reference", "malformed_reference"]
    first, second = findings
    assert (first.severity, first.line, first.quote_id) == ("error", 8, "q1")
    assert first.quote_text == f"{LONG}."
    assert second.line == 10 and second.hint == RULES["malformed_reference"].fix
    assert all(f.verdict is None for f in findings)


def test_check_accepts_a_handout_a_path_a_json_and_text(tmp_path):
    path = DATA / "td-plan-roman-tocqueville.txt"
    extracted = pipeline.extract(path, concepts=False, entities=False)
    (tmp_path / "h.json").write_text(extracted.model_dump_json(), encoding="utf-8")
    expected = check(extracted)
    assert expected, "the handout has problems to find"
    assert check(path) == check(str(path)) == check(tmp_path / "h.json") == expected
    assert check(path.read_text(encoding="utf-8")) == expected


def test_the_seed_handout_only_gets_what_is_really_there():
    found = {(f.code, f.line) for f in check(ROOT / "raw" / "casilli-en-attendant-les-robots.txt")}
    codes_found = {code for code, _ in found}
    # p.64 beside p. 9, a quotation missing its «, two unmarked quotations, the author's "vers...".
    assert codes_found == {"inconsistent_reference_style", "missing_opening_mark", "no_quote_marks", "bare_ellipsis"}
    assert not {"page_outside_chapter", "pages_backwards"} & codes_found


def test_typo_fixes():
    assert _typo_fixes(640, 40, 70) == [40, 60, 64]
    assert _typo_fixes(46, 60, 70) == [64, 66]


def test_every_rule_is_documented_in_docs_check():
    readme = (ROOT / "docs" / "check.md").read_text(encoding="utf-8")
    section = readme[readme.index("# tdx check"):]
    for code, rule in RULES.items():
        assert f"`{code}`" in section, code
        assert re.search(rf"`{code}` \| {rule.severity}", section), f"{code}: severity not as documented"
