"""Hostile inputs that made stages quadratic (issue 14, item 9): their structure stays bounded.

Time is measured by bench/linear_bench.py, never here; these tests pin what keeps it linear, on
inputs small enough to run in a blink."""

from __future__ import annotations

import pipeline
from pipeline.stages.quote_marks import MAX_NESTING
from pipeline.stages.title_lines import _FOOTER_MAX, _is_footer
from pipeline.ingest import from_string


def extract(text: str):
    return pipeline.extract(text, concepts=False, entities=False)


def test_nesting_deeper_than_the_limit_is_not_a_quotation_of_its_own_and_is_said():
    # Each nested quotation held the text of all those inside it: records quadratic in size.
    depth = 300
    handout = extract("Titre\n\nIl écrit " + "« " * depth + "mot" + " »" * depth + " (p. 3).\n")
    quote, = handout.quotes
    assert len(quote.nested) == MAX_NESTING - 1
    assert quote.text.split() == ["«"] * (depth - 1) + ["mot"] + ["»"] * (depth - 1)
    issue, = [i for i in handout.issues if i.code == "nesting_too_deep"]
    assert issue.message.startswith(f"{depth - MAX_NESTING} quotation(s)")
    assert handout.text[issue.span.start] == "«" and handout.text[issue.span.end - 1] == "»"


def test_ordinary_nesting_is_untouched():
    handout = extract("Titre\n\nIl écrit « a “ b « c » b ” a » (p. 3).\n")
    quote, = handout.quotes
    assert len(quote.nested) == 2
    assert not [i for i in handout.issues if i.code == "nesting_too_deep"]


def test_many_quotations_on_one_line_each_stay_one_quotation():
    # A 100 KB line of « a » pairs: the footer test of the title block tried every split of it.
    handout = extract("Titre\n\n" + "« a » " * 2000 + "\n")
    assert len(handout.quotes) == 2000
    assert all(handout.text[q.span.start:q.span.end] == "a" for q in handout.quotes)


def test_a_footer_is_a_short_line():
    doc = from_string("Roux · Cours de sociologie · 1\n\nRoux · Cours de sociologie · 2\n")
    assert _is_footer(doc, "Roux · Cours de sociologie · 1")
    long_line = "Roux · " + "Cours de sociologie " * (_FOOTER_MAX // 20) + "· 1"
    assert not _is_footer(from_string(long_line + "\n\n" + long_line + "\n"), long_line)


def test_a_run_of_straight_quotes_is_no_quotation():
    handout = extract("Titre\n\n" + '"' * 5000 + "\n")
    assert handout.quotes == []
