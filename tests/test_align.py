"""Placing a quotation in the book (``pipeline.checks.align``): the pieces a cut or an insertion
makes, and where the alignment puts them in the small book of ``tests/essai.py``."""

from __future__ import annotations

import pytest

from pipeline.checks.align import pieces
from pipeline.checks.book import load_source
from tests.essai import _private_cache, source  # noqa: F401 (fixtures)
from tests.essai import book_txt, handout, only


@pytest.mark.parametrize("quote, expected", [
    ("a b c", [["a", "b", "c"]]),
    ("a b [...] c d", [["a", "b"], ["c", "d"]]),
    ("a b […] c d", [["a", "b"], ["c", "d"]]),
    ("a b (...) c d", [["a", "b"], ["c", "d"]]),
    ("[Elle] précède les lois", [["precede", "les", "lois"]]),
    ("a [sic] b", [["a"], ["b"]]),
])
def test_pieces_split_where_the_handout_cut(quote, expected):
    assert [p.words.norms for p in pieces(quote, 0)] == expected


def test_a_cut_allows_a_wider_gap_than_an_insertion():
    cut, inserted = pieces("a b [...] c d", 0), pieces("a b [les] c d", 0)
    assert cut[1].gap_before > inserted[1].gap_before > 0


def test_passage_printed_twice_is_taken_on_the_cited_page(source):
    # "La liberté communale est la première école du citoyen" is on p. 41 and again on p. 45.
    for page in ("41", "45"):
        finding = only(handout(f"« la liberté communale est la première école du citoyen » (p. {page})"), source)
        assert (finding.verdict, finding.source_page) == ("verified", page)


def test_words_repeated_just_before_the_passage_are_not_a_gap(tmp_path):
    # The chapter title repeats the quotation's first words: aligning them there would leave the
    # whole first sentence "left out".
    path = tmp_path / "book.txt"
    path.write_text("CHAPITRE IV\n\nDe la liberté des anciens.\n\nAutant la liberté des modernes est paisible, "
                    "autant elle diffère de la liberté des anciens. Celle-ci consistait à exercer "
                    "collectivement la souveraineté tout entière.\n\n90\n\fSuite du chapitre.\n\n91\n",
                    encoding="utf-8")
    finding = only(handout("« de la liberté des anciens. Celle-ci consistait à exercer collectivement la "
                           "souveraineté » (p. 90)"), load_source(path))
    assert (finding.verdict, finding.diff) == ("verified", [])


def test_source_span_and_excerpt_point_at_the_passage(source):
    finding = only(handout("« il la cite devant un tribunal, et c'est un juge qui prononce l'amende » (p. 44)"),
                   source)
    passage = source.text[finding.source_span.start:finding.source_span.end]
    assert passage == "il la cite devant un tribunal, et c'est\nun juge qui prononce l'amende"
    assert finding.source_excerpt == " ".join(passage.split())
    assert finding.source_index == 4
