"""Page references: what ``parse_reference`` reads in a bracket, and what ``find_after`` /
``find_before`` pick up around a quotation.

Every table row is ``(french_text, expected)``. ``expected`` lists only the fields that matter for
the row; ``None`` means "this is not a reference". Every reference found must satisfy the span
contract: ``text[ref.span.start:ref.span.end] == ref.raw``.
"""

from __future__ import annotations

import time

import pytest

from pipeline.stages.footnotes import find_note
from pipeline.stages.reference_parsing import parse_reference
from pipeline.stages.references import find_after, find_after_incise, find_before


def _check(ref, text: str, expected: dict | None) -> None:
    if expected is None:
        assert ref is None, f"{text!r} read as a reference: {ref!r}"
        return
    assert ref is not None, f"{text!r}: no reference found"
    assert text[ref.span.start:ref.span.end] == ref.raw, "span does not point at raw"
    got = {key: getattr(ref, key) for key in expected}
    assert got == expected, f"{text!r}"


# -- parse_reference ----------------------------------------------------------------------------

PARSE = [
    # The everyday forms.
    ("p. 9", {"kind": "page", "pages": [9], "page_labels": ["9"], "following": False}),
    ("p.64", {"kind": "page", "pages": [64]}),  # no space after the dot
    ("p 12", {"kind": "page", "pages": [12]}),  # no dot
    ("p107", {"kind": "page", "pages": [107]}),  # glued, as in reading-note tags
    ("P. 12", {"kind": "page", "pages": [12]}),
    ("page 12", {"kind": "page", "pages": [12]}),
    ("p.\u00a012", {"kind": "page", "pages": [12]}),  # non-breaking space (Word)
    ("p.\u202f12", {"kind": "page", "pages": [12]}),  # narrow no-break space (French typography)
    ("p. 12.", {"kind": "page", "pages": [12]}),  # sentence full stop inside the bracket
    # Ranges.
    ("pp. 12-14", {"kind": "page_range", "pages": [12, 14], "page_labels": ["12-14"]}),
    ("p. 12–14", {"kind": "page_range", "pages": [12, 14]}),  # en dash
    ("p. 12—14", {"kind": "page_range", "pages": [12, 14]}),  # em dash
    ("p. 12 - 14", {"kind": "page_range", "pages": [12, 14]}),  # spaced dash
    ("pages 12-14", {"kind": "page_range", "pages": [12, 14]}),
    # French abbreviated ranges borrow the missing leading digits of the first page.
    ("p. 112-14", {"kind": "page_range", "pages": [112, 114], "page_labels": ["112-14"]}),
    ("p. 112–4", {"kind": "page_range", "pages": [112, 114]}),
    ("p. 12-3", {"kind": "page_range", "pages": [12, 13]}),
    # "and following pages".
    ("p. 45 sq.", {"kind": "page", "pages": [45], "following": True}),
    ("p. 45 sqq.", {"kind": "page", "pages": [45], "following": True}),
    ("p. 45 et suiv.", {"kind": "page", "pages": [45], "following": True}),
    ("p. 45 et suivantes", {"kind": "page", "pages": [45], "following": True}),
    ("p. 45 s.", {"kind": "page", "pages": [45], "following": True}),
    ("p. 45sq.", {"kind": "page", "pages": [45], "following": True}),  # glued
    ("p. 12-13 sq.", {"kind": "page_range", "pages": [12, 13], "following": True}),
    # Lists; the page word may be repeated before each item.
    ("pp. 12, 15", {"kind": "page_list", "pages": [12, 15], "page_labels": ["12", "15"]}),
    ("p. 12 et 15", {"kind": "page_list", "pages": [12, 15]}),
    ("p. 12 ; 15", {"kind": "page_list", "pages": [12, 15]}),
    ("p. 9 ; p. 12", {"kind": "page_list", "pages": [9, 12]}),
    ("p. 9 et p. 12", {"kind": "page_list", "pages": [9, 12]}),
    ("pp. 12-14, 20", {"kind": "page_list", "pages": [12, 14, 20]}),  # a range inside a list
    # Roman numerals: front-matter pages have a label but no page number.
    ("p. xii", {"kind": "page", "pages": [], "page_labels": ["xii"]}),
    ("p. XII", {"kind": "page", "pages": [], "page_labels": ["XII"]}),
    ("p. cix", {"kind": "page", "page_labels": ["cix"]}),
    ("p. xii-xv", {"kind": "page_range", "pages": [], "page_labels": ["xii-xv"]}),
    # A footnote on the page: the page is what counts.
    ("p. 9, note 3", {"kind": "page", "pages": [9]}),
    ("p. 9 n. 3", {"kind": "page", "pages": [9]}),
    # Back references.
    ("ibid.", {"kind": "ibid", "back_reference": "ibid", "pages": []}),
    ("Ibid", {"kind": "ibid", "back_reference": "ibid"}),
    ("ibidem", {"kind": "ibid", "back_reference": "ibid"}),
    ("Id.", {"kind": "ibid", "back_reference": "id"}),
    ("op. cit.", {"kind": "ibid", "back_reference": "op_cit"}),
    ("ibid., p. 50", {"kind": "page", "pages": [50], "back_reference": "ibid"}),
    ("ibid. p. 50", {"kind": "page", "pages": [50], "back_reference": "ibid"}),  # no comma
    ("op. cit., p. 77", {"kind": "page", "pages": [77], "back_reference": "op_cit"}),
    ("op.cit., p.77", {"kind": "page", "pages": [77], "back_reference": "op_cit"}),
    ("Casilli, op. cit., p. 77", {"kind": "page", "pages": [77], "back_reference": "op_cit",
                                  "author": "Casilli"}),
    # Places in the book named instead of a page.
    ("chap. 3", {"kind": "chapter", "location": "chap. 3", "pages": []}),
    ("Chapitre 2", {"kind": "chapter", "location": "Chapitre 2"}),
    ("ch. 4", {"kind": "chapter", "location": "ch. 4"}),
    ("chap. 3, p. 45", {"kind": "page", "pages": [45], "location": "chap. 3"}),
    ("Introduction", {"kind": "location", "location": "Introduction"}),
    ("Conclusion générale", {"kind": "location"}),
    ("deuxième partie", {"kind": "location"}),
    ("partie 2", {"kind": "location", "location": "partie 2"}),
    ("tome II", {"kind": "location"}),
    ("Introduction, p. 12", {"kind": "page", "pages": [12], "location": "Introduction"}),
    # Author-date: the pages come bare after the colon.
    ("Loyer 1999: 9-10", {"kind": "page_range", "pages": [9, 10], "author": "Loyer", "year": 1999}),
    ("Loyer 1999 : 9", {"kind": "page", "pages": [9], "author": "Loyer", "year": 1999}),
    ("Loyer, 1999, p. 9", {"kind": "page", "pages": [9], "author": "Loyer", "year": 1999}),
    ("Casilli, 2019, p. 9", {"kind": "page", "pages": [9], "year": 2019}),
    # Reading-note tags, then the page; several tags before the page too.
    ("non-mixité, p107", {"kind": "page", "pages": [107]}),
    ("tag, p32", {"kind": "page", "pages": [32]}),
    ("capitalisme, engagement, p51", {"kind": "page", "pages": [51]}),
    # "positivisme" starts with p: it must not be read as the page word.
    ("cancer, positivisme, p61", {"kind": "page", "pages": [61]}),
    # A space typed before the dot in quick notes.
    ("p .47", {"kind": "page", "pages": [47]}),
    # A line or a paragraph of the page: the page is what counts.
    ("p. 58, l. 4", {"kind": "page", "pages": [58]}),
    ("p. 58, ll. 4-9", {"kind": "page", "pages": [58]}),
    # Volumes of a multi-volume work: the page is the page, the volume is recorded as written.
    ("t. III, p. 212", {"kind": "page", "pages": [212], "volume": "III", "location": None}),
    ("tome 2, p. 17", {"kind": "page", "pages": [17], "volume": "2"}),
    ("vol. 4, pp. 88-90", {"kind": "page_range", "pages": [88, 90], "volume": "4"}),
    ("Volume II, p. 5", {"kind": "page", "pages": [5], "volume": "II"}),
    # Another work, its volume, then the page (the tag carries the volume).
    ("Le Capital, vol. 3, p. 240", {"kind": "page", "pages": [240], "volume": "3"}),
    ("t. II", {"kind": "location", "location": "t. II", "volume": "II"}),  # a volume alone
    # What qualifies the page without a comma: an abbreviation, a title in initials, "cf.",
    # "voir", the book the quotation was read in.
    ("trad. p. 104", {"kind": "page", "pages": [104]}),  # the page of the translation
    ("trad. fr. p. 104", {"kind": "page", "pages": [104]}),
    ("éd. 2004, p. 31", {"kind": "page", "pages": [31]}),
    ("MEP p. 76", {"kind": "page", "pages": [76]}),  # title initials, no comma
    ("RS, p. 9", {"kind": "page", "pages": [9]}),  # title initials with a comma
    ("cf. p. 212", {"kind": "page", "pages": [212]}),
    ("voir p. 212", {"kind": "page", "pages": [212]}),
    ("v. p. 212", {"kind": "page", "pages": [212]}),  # "v." for "voir" before a page word
    ("cité par Castel, p. 318", {"kind": "page", "pages": [318]}),
    ("cité dans Castel p. 318", {"kind": "page", "pages": [318]}),  # no comma
    ("Castel 1995 p. 318", {"kind": "page", "pages": [318], "author": "Castel", "year": 1995}),
    # Places in texts that have no page to give: verse, lines, paragraphs, theses, fragments,
    # letters, acts and scenes. The location is the reference as written.
    ("v. 88", {"kind": "location", "location": "v. 88", "pages": []}),
    ("vv. 88-91", {"kind": "location", "location": "vv. 88-91"}),
    ("vers 1201", {"kind": "location", "location": "vers 1201"}),
    ("l. 7-11", {"kind": "location", "location": "l. 7-11"}),  # lines of an extract
    ("§ 47", {"kind": "location", "location": "§ 47"}),
    ("§47", {"kind": "location", "location": "§47"}),
    ("§§ 3-5", {"kind": "location", "location": "§§ 3-5"}),
    ("th. 29", {"kind": "location", "location": "th. 29"}),  # numbered theses (Debord)
    ("aphorisme 125", {"kind": "location"}),
    ("fr. 347", {"kind": "location", "location": "fr. 347"}),  # fragments (Pascal)
    ("Lettre XXX", {"kind": "location", "location": "Lettre XXX"}),
    ("III, 2", {"kind": "location", "location": "III, 2"}),  # act III, scene 2
    ("III, 2, v. 945", {"kind": "location", "location": "III, 2, v. 945"}),
    ("V, 3, v. 1460-1462", {"kind": "location", "location": "V, 3, v. 1460-1462"}),
    ("acte I, scène 4", {"kind": "location", "location": "acte I, scène 4"}),
    ("chap. 5, § 2", {"kind": "location", "location": "chap. 5, § 2"}),
    ("Avant-propos", {"kind": "location", "location": "Avant-propos"}),
    # "à" makes a range in prose; "sq." follows places as it follows pages.
    ("p. 12 à 14", {"kind": "page_range", "pages": [12, 14]}),
    ("lignes 3 à 8", {"kind": "location", "location": "lignes 3 à 8"}),
    ("v. 12 sq.", {"kind": "location", "location": "v. 12 sq."}),
    # A bare page after ibid. or op. cit.
    ("ibid. : 45", {"kind": "page", "pages": [45], "back_reference": "ibid"}),
    ("op. cit., 48-50", {"kind": "page_range", "pages": [48, 50], "back_reference": "op_cit"}),
    # The handout's remark on the quotation closes the reference: the page is what counts.
    ("p. 12, je souligne", {"kind": "page", "pages": [12]}),
    ("p. 12, c'est moi qui souligne", {"kind": "page", "pages": [12]}),
    ("p. 45, trad. modifiée", {"kind": "page", "pages": [45]}),
    ("Castel, 1995, p. 318, souligné par l'auteur", {"kind": "page", "pages": [318], "year": 1995}),
    # Back references with a volume or a place of the same work.
    ("ibid., t. II, p. 45", {"kind": "page", "pages": [45], "volume": "II", "back_reference": "ibid"}),
    ("op. cit., vol. 3, p. 9", {"kind": "page", "pages": [9], "volume": "3"}),
    ("ibid., v. 412", {"kind": "location", "location": "ibid., v. 412", "back_reference": "ibid"}),
    # A work named, then a place in it: the location is the reference as written.
    ("Le Cid, III, 4, v. 963", {"kind": "location", "location": "Le Cid, III, 4, v. 963"}),
    ("Pensées, fr. 347", {"kind": "location", "location": "Pensées, fr. 347"}),
    ("Corneille, Le Cid, v. 405", {"kind": "location", "location": "Corneille, Le Cid, v. 405"}),
    # The author named in the sentence, the year and the pages in the bracket.
    ("1995 : 318", {"kind": "page", "pages": [318], "year": 1995}),
    ("2004: 12-14", {"kind": "page_range", "pages": [12, 14], "year": 2004}),
    # A name before the page without a comma; "passim" as "and following".
    ("Le Goff p. 12", {"kind": "page", "pages": [12]}),
    ("p. 12 et passim", {"kind": "page", "pages": [12], "following": True}),
    # Malformed: plainly meant as a page, but unreadable. Flagged, never dropped.
    ("p.", {"kind": "malformed", "pages": []}),
    ("pages", {"kind": "malformed", "pages": []}),
    ("p. 12-", {"kind": "malformed"}),  # open range
    ("p. 12a", {"kind": "malformed"}),  # letter in a page number
    ("p. 4O", {"kind": "malformed"}),  # letter O typed for a zero
    ("p. 0", {"kind": "malformed"}),
    ("p. 14-12", {"kind": "malformed"}),  # range going backwards
    ("p. 12-14-16", {"kind": "malformed"}),
    ("p. xii-15", {"kind": "malformed"}),  # a range mixing roman and arabic numerals
    ("p. iv-ii", {"kind": "malformed"}),  # roman range going backwards
]

NOT_REFERENCES = [
    # Glosses, translations and asides that follow quotations in handouts.
    "gig economy",
    "Burrell et Fourcade",
    "2019",
    "pour reprendre Marx",
    "Idées reçues",
    "Loyer 1999",  # cites a work, not a place in it
    "travail numérique",
    # Words starting with "p" are not "p." followed by a malformed page.
    "Pessoa",
    "politique",
    "Paris et Lyon",
    "pic",  # nor "p" followed by a roman numeral "ic"
    "p. ex.",  # "par exemple"
    "p. ex. le travail",
    "p. civil",  # only roman-numeral letters, but not a numeral
    # A part of a book needs a number: these are glosses.
    "livre blanc",
    "section syndicale",
    "Introduction à la sociologie",
    # Near-misses of the new forms: "v." with no number is "voir"; a volume needs its number;
    # an act in roman numerals needs its scene; a lone word before a page is a gloss.
    "v. supra",
    "vol. suivant",
    "XIX",
    "Loyer 1999 et 2001",
    "dit p. 12",  # a lower-case word is no title in initials
    "art. 3 de la loi",  # an article followed by words: not the places read here
    "vers 1900",  # "around 1900": a date, not verse 1900
    "je souligne",  # a remark alone
    "Paris, 1999",  # a place of publication is no place in the text
    "Lyon, Presses universitaires, 2004",
    "",
    "   ",
    "x" * 200,  # too long to be a reference
]


# An author's initials before the surname are not a page word: "P." in "P. Ricœur" is no "p."
PARSE += [
    ("R. Aron p. 33", {"kind": "page", "pages": [33]}),
    ("J.-C. Chamboredon p. 7", {"kind": "page", "pages": [7]}),  # compound initials
    ("G. Simmel, Sociologie, p. 12", {"kind": "page", "pages": [12]}),
    ("G. Simmel, Sociologie, op. cit. p. 12", {"kind": "page", "pages": [12]}),  # no comma after "cit."
    # The year in brackets after the name, the page after it or inside.
    ("Tarde (1890), p. 73", {"kind": "page", "pages": [73], "author": "Tarde", "year": 1890}),
    ("Tarde (1890 : 73-75)", {"kind": "page_range", "pages": [73, 75], "year": 1890}),
    ("Tarde (1890, p. 73)", {"kind": "page", "pages": [73], "year": 1890}),
]


@pytest.mark.parametrize(("raw", "expected"), PARSE, ids=[r for r, _ in PARSE])
def test_parse_reference(raw, expected):
    text = f"« Une citation. » ({raw})"
    start = text.index("(") + 1
    ref = parse_reference(raw, start)
    _check(ref, text, expected)
    assert ref.position == "after"


@pytest.mark.parametrize("raw", NOT_REFERENCES)
def test_parse_reference_rejects_glosses(raw):
    assert parse_reference(raw, 0) is None


def test_parse_reference_is_fast_on_a_long_list_failing_at_its_end():
    # A list of 25 pages ending with "!" once took 30 s: nested optional groups backtracked
    # exponentially before the locator was read item by item.
    raw = "p. 1" + ", p1" * 25 + " !"
    t0 = time.perf_counter()
    assert parse_reference(raw, 0) is None
    assert time.perf_counter() - t0 < 0.5


def test_parse_reference_keeps_position():
    ref = parse_reference("p. 34", 10, position="before")
    assert (ref.position, ref.span.start, ref.span.end) == ("before", 10, 15)


# -- find_after: the reference right after a closing mark -------------------------------------

AFTER = [
    ("« x » (p. 9)", {"raw": "p. 9", "pages": [9]}),
    ("« x »(p.64)", {"raw": "p.64", "pages": [64]}),  # glued to the mark
    ("« x ». (p. 9)", {"raw": "p. 9", "pages": [9]}),  # sentence full stop first
    ("« x » (p. 9).", {"raw": "p. 9", "pages": [9]}),
    ("« x » (pp. 12-14)", {"raw": "pp. 12-14", "kind": "page_range", "pages": [12, 14]}),
    ("« x » (p. 12–14)", {"raw": "p. 12–14", "kind": "page_range", "pages": [12, 14]}),
    ("« x » (p. 45 sq.)", {"raw": "p. 45 sq.", "pages": [45], "following": True}),
    ("« x » (p. 45 et suiv.)", {"raw": "p. 45 et suiv.", "pages": [45], "following": True}),
    ("« x » [p. 88]", {"raw": "p. 88", "pages": [88]}),  # square brackets
    ("« x » (ibid.)", {"raw": "ibid.", "kind": "ibid"}),
    ("« x » (ibid., p. 50)", {"raw": "ibid., p. 50", "pages": [50], "back_reference": "ibid"}),
    ("« x » (op. cit., p. 77)", {"raw": "op. cit., p. 77", "pages": [77], "back_reference": "op_cit"}),
    ("« x » (chap. 3)", {"raw": "chap. 3", "kind": "chapter"}),
    ("« x » (Introduction)", {"raw": "Introduction", "kind": "location"}),
    ("« x » (p.)", {"raw": "p.", "kind": "malformed"}),
    ("« x » (p. 12-)", {"raw": "p. 12-", "kind": "malformed"}),
    ("« x » (p. 12a)", {"raw": "p. 12a", "kind": "malformed"}),
    ("« x » (p. xii)", {"raw": "p. xii", "page_labels": ["xii"]}),
    ("« x » (p. 112-14)", {"raw": "p. 112-14", "pages": [112, 114]}),
    ("« x » (pp. 12, 15)", {"raw": "pp. 12, 15", "kind": "page_list", "pages": [12, 15]}),
    ("« x » (Loyer 1999: 9-10)", {"raw": "Loyer 1999: 9-10", "pages": [9, 10], "author": "Loyer"}),
    ("« x » [non-mixité, p107]", {"raw": "non-mixité, p107", "pages": [107]}),
    ("« x » (p.\u00a012)", {"raw": "p.\u00a012", "pages": [12]}),
    # A bare page after the mark, with or without a comma; the sentence may go on.
    ("« x » p. 12", {"raw": "p. 12", "pages": [12]}),
    ("« x », p. 12, dit-il", {"raw": "p. 12", "pages": [12]}),
    ("« x » p. 45 sq. et la suite", {"raw": "p. 45 sq.", "following": True}),
    ("« x » pp. 12-14.", {"raw": "pp. 12-14", "pages": [12, 14]}),
    ("« x » page 3 du livre", {"raw": "page 3", "pages": [3]}),
    # Markdown emphasis closing around the quotation.
    ("*« x »* (p. 3)", {"raw": "p. 3", "pages": [3]}),
    ("**« x »**, p. 3", {"raw": "p. 3", "pages": [3]}),
    # A hard-wrapped line puts the reference on the next line of the same paragraph.
    ("« x »\n(p. 9)", {"raw": "p. 9", "pages": [9]}),
    ("> « x »\n> (p. 9)", {"raw": "p. 9", "pages": [9]}),  # same, inside a block quote
    # Markdown exporters escape brackets.
    ("« x » \\(p. 41\\)", {"raw": "p. 41", "pages": [41]}),
    ("« x » \\[p. 41\\]", {"raw": "p. 41", "pages": [41]}),
    # A dash before a bare page, as slides write it.
    ("« x » – p. 41", {"raw": "p. 41", "pages": [41]}),
    # Author-date without brackets after a quotation of another work; the page is required.
    ("« x » Castel 1995: 318", {"raw": "Castel 1995: 318", "pages": [318], "author": "Castel"}),
    ("« x » Castel, 1995, p. 318", {"raw": "Castel, 1995, p. 318", "pages": [318]}),
    ("« x » Beaud et Pialoux 1999 : 40-41", {"raw": "Beaud et Pialoux 1999 : 40-41", "pages": [40, 41]}),
    ("« x » Castel 1995 le montre", None),  # a work named, no place in it
    ("« x » (v. 1201)", {"raw": "v. 1201", "kind": "location", "location": "v. 1201"}),
    ("« x » (IV, 2, v. 1180)", {"raw": "IV, 2, v. 1180", "kind": "location"}),
    ("« x » (t. II, p. 45)", {"raw": "t. II, p. 45", "pages": [45], "volume": "II"}),
    # One gloss may stand between the quotation and its reference.
    ("« digital labor » (travail numérique) (p. 12)", {"raw": "p. 12", "pages": [12]}),
    # Near-misses: glosses are not references.
    ("« x » (gig economy)", None),
    ("« x » (Burrell et Fourcade)", None),
    ("« x » (2019)", None),
    ("« x » (pour reprendre Marx)", None),
    ("« x » (Idées reçues)", None),
    ("« x » (Pessoa)", None),
    ("« x » (p. ex.)", None),
    ("« x » (livre blanc)", None),
    ("« x » (gig economy) (2019)", None),  # two glosses: nothing to find
    # A bare "p" that is not a page word, or a page number that does not end cleanly.
    ("« x » pour 12 euros", None),
    ("« x » p. 12a", None),
    ("« x » et p. 12", None),  # words between the mark and the page: another sentence
    ("« x »\n\n(p. 9)", None),  # a blank line: another paragraph
    ("« x »", None),
    # Slides set the source beside the quotation after a dash, to the end of the line: the
    # whole of it is the reference, or a full entry closed by its page.
    ("« x » — Simmel, p. 61", {"raw": "Simmel, p. 61", "pages": [61]}),
    ("« x ». – G. Simmel, Philosophie de l'argent, 1900, p. 61.\nSuite.",
     {"raw": "G. Simmel, Philosophie de l'argent, 1900, p. 61", "pages": [61]}),
    ("« x » — G. Simmel, Philosophie de l'argent : une étude, Paris, PUF, p. 61",
     {"raw": "G. Simmel, Philosophie de l'argent : une étude, Paris, PUF, p. 61", "pages": [61]}),
    # A dash then the handout's own words, or a page inside them, is no source.
    ("« x » — Simmel le dit mieux que personne", None),
    ("« x » — ce que Simmel montre p. 61 — et la suite", None),
]


@pytest.mark.parametrize(("text", "expected"), AFTER, ids=[t for t, _ in AFTER])
def test_find_after(text, expected):
    pos = text.index("»") + 1
    ref = find_after(text, pos, len(text))
    _check(ref, text, expected)
    if ref is not None:
        assert ref.position == "after"


def test_find_after_respects_limit():
    # The reference lies in the next block: the caller's limit stops the search before it.
    text = "- « x »\n- (p. 9)"
    assert find_after(text, text.index("»") + 1, text.index("\n")) is None


# -- find_before: a page announced before the opening mark ------------------------------------

BEFORE = [
    ("… p. 34 : « x »", {"raw": "p. 34", "pages": [34], "position": "before"}),
    ("p. 34, « x »", {"raw": "p. 34", "pages": [34]}),
    ("p.34: « x »", {"raw": "p.34", "pages": [34]}),
    ("Page 34 : « x »", {"raw": "Page 34", "pages": [34]}),
    ("pp. 12-14 : « x »", {"raw": "pp. 12-14", "kind": "page_range", "pages": [12, 14]}),
    ("p.\u00a034\u00a0: « x »", {"raw": "p.\u00a034", "pages": [34]}),  # French spacing before ':'
    ("p. 12 ou p. 34 : « x »", {"raw": "p. 34", "pages": [34]}),  # the nearest page
    ("p. 34 – « x »", {"raw": "p. 34", "pages": [34]}),  # a dash announces it in quick notes
    # A bracketed page followed by a colon announces the quotation after it.
    ("Castel (p. 318) : « x »", {"raw": "p. 318", "pages": [318]}),
    # "(p. 12) « …" closes the previous quotation, it does not announce this one.
    ("« a » (p. 12) « x »", None),
    # Words ending in "p" followed by a number are not pages.
    ("Le top 10 : « x »", None),
    ("Au cap 3 : « x »", None),
    # The page is too far from the mark, or not right before it.
    ("p. 34 et il ajoute : « x »", None),
    ("Il ajoute : « x »", None),
]


@pytest.mark.parametrize(("text", "expected"), BEFORE, ids=[t for t, _ in BEFORE])
def test_find_before(text, expected):
    pos = text.rindex("«")
    ref = find_before(text, pos, 0)
    _check(ref, text, expected)


def test_find_before_respects_floor():
    # The page belongs to an earlier quotation of the block, before the floor.
    text = "p. 34 : « x »"
    assert find_before(text, text.index("«"), text.index("«") - 2) is None


# -- find_note: the page given in the footnote a quotation calls ----------------------------------

NOTES = [
    # Numbered calls in brackets, the notes gathered under "Notes" at the end.
    ("« x »[2] et la suite.\n\nNotes\n[1] Voir plus haut.\n[2] RS, p. 57.\n",
     {"raw": "RS, p. 57", "pages": [57], "position": "note"}),
    # A space before the call.
    ("« x » [2].\n\n[2] Ibid., p. 60.\n", {"raw": "Ibid., p. 60", "pages": [60], "back_reference": "ibid"}),
    # Superscript calls (Word, LibreOffice exports): the note may be numbered plain at the foot.
    ("« x »⁴ puis.\n\n⁴ Ibid., p. 311.\n", {"raw": "Ibid., p. 311", "pages": [311]}),
    ("« x »⁴ puis.\n\n4. Ibid., p. 311.\n", {"raw": "Ibid., p. 311", "pages": [311]}),
    ("« x »<sup>4</sup> puis.\n\n4 Ibid.\n", {"raw": "Ibid.", "kind": "ibid"}),
    # PDF text: the superscript call read as a plain number glued to the mark, the note at the
    # foot of the page numbered plainly.
    ("« x »3 puis la suite.\n3 Ibid., p. 311.\n", {"raw": "Ibid., p. 311", "pages": [311]}),
    ("« x » 3 fois.\n3 Ibid., p. 311.\n", None),  # not glued: a number of the sentence
    # Markdown footnotes.
    ("« x »[^7] puis.\n\n[^7]: Ibid., p. 19.\n", {"raw": "Ibid., p. 19", "pages": [19]}),
    # Word processors' exports write calls and notes as links.
    ("« x »[4](#sdfootnote4sym) puis.\n\n[4](#sdfootnote4anc)Ibid., p. 75.\n",
     {"raw": "Ibid., p. 75", "pages": [75]}),
    ("« x »[[4]](#ftnt4) puis.\n\n[[4]](#ftnt_ref4) Ibid., p. 75.\n", {"pages": [75]}),
    # A full bibliographic note: its last page is the cited one, raw is the note up to it.
    ("« x »[^1]\n\n[^1]: R. Castel, Les Métamorphoses de la question sociale. Une chronique du "
     "salariat, Paris, Fayard, 1995, p. 318.\n",
     {"raw": "R. Castel, Les Métamorphoses de la question sociale. Une chronique du salariat, "
             "Paris, Fayard, 1995, p. 318", "pages": [318]}),
    # A numbered heading between a superscript call and its plainly numbered note is passed over.
    ("« x »² puis.\n\n2. Deuxième partie\n\nTexte.\n\n2 Ibid., p. 6.\n",
     {"raw": "Ibid., p. 6", "pages": [6]}),
    # A bracketed call is answered by a bracketed note only, never by a superscript one; a
    # bibliography entry without page gives nothing.
    ("« x » [1]\n\n¹ Castel, p. 27.\n\n[1] Castel R., Les Métamorphoses, Paris, Fayard, 1995.\n", None),
    # A note without page gives no reference; nor does a call without its note.
    ("« x »[3]\n\n[3] Sur ce point, voir le chapitre suivant.\n", None),
    ("« x »[3]\n", None),
    # A numbered list item is no note for a bracketed call.
    ("« x »[3]\n\n3. Troisième point, p. 12.\n", None),
    # French scholarly notes name the author by initials ("É.", "J.-P.") before the surname, then
    # the title and "op. cit.": the initials are no page word, the page is the note's last one.
    ("« x »[5] puis.\n\n[5] É. Durkheim, Le Suicide, op. cit., p. 264.\n",
     {"raw": "É. Durkheim, Le Suicide, op. cit., p. 264", "pages": [264], "position": "note"}),
    ("« x »[5] puis.\n\n[5] J.-P. Sartre, L'Être et le néant, op. cit., pp. 94-95.\n",
     {"raw": "J.-P. Sartre, L'Être et le néant, op. cit., pp. 94-95", "pages": [94, 95]}),
    # ... with the comma after "op. cit." left out,
    ("« x »⁵ puis.\n\n⁵ M. Mauss, Essai sur le don, op. cit. p. 148.\n",
     {"raw": "M. Mauss, Essai sur le don, op. cit. p. 148", "pages": [148]}),
    # ... with the page bare after "op. cit." (no "p."),
    ("« x »[^5] puis.\n\n[^5]: N. Elias, La Société de cour, op. cit., 87.\n",
     {"raw": "N. Elias, La Société de cour, op. cit., 87", "pages": [87]}),
    # ... with a remark or a second sentence after the page: the page that ends the entry.
    ("« x »[5] puis.\n\n[5] E. Goffman, Asiles, op. cit., p. 41 (nous soulignons).\n",
     {"raw": "E. Goffman, Asiles, op. cit., p. 41", "pages": [41]}),
    ("« x »[5] puis.\n\n[5] E. Goffman, Asiles, op. cit., p. 41. Voir aussi la conclusion, p. 430.\n",
     {"raw": "E. Goffman, Asiles, op. cit., p. 41", "pages": [41]}),
    # Two authors by their initials, the full entry with place and year.
    ("« x »[5] puis.\n\n[5] L. Boltanski et È. Chiapello, Le Nouvel Esprit du capitalisme, Paris, "
     "Gallimard, 1999, p. 58-59.\n", {"pages": [58, 59]}),
    # Notes typed by hand in Markdown: a list item, a stop or a dash after the number.
    ("« x »[5] puis.\n\nNotes :\n\n- [5] É. Durkheim, Le Suicide, op. cit., p. 264.\n", {"pages": [264]}),
    ("« x »[5] puis.\n\n[5]. É. Durkheim, Le Suicide, op. cit., p. 264.\n", {"pages": [264]}),
    ("« x »[5] puis.\n\n[5] – É. Durkheim, Le Suicide, op. cit., p. 264.\n", {"pages": [264]}),
    # A comment that gives no page still gives nothing, initials or not.
    ("« x »[5] puis.\n\n[5] M. Weber, on le sait, ne dit pas autre chose.\n", None),
]


@pytest.mark.parametrize(("text", "expected"), NOTES, ids=[t[:30] for t, _ in NOTES])
def test_find_note(text, expected):
    ref = find_note(text, text.index("»") + 1)
    _check(ref, text, expected)


# -- find_after_incise: the reference closing the sentence after an incise ------------------------

INCISE = [
    ("« x », écrit Castel (p. 318).", {"raw": "p. 318", "pages": [318]}),
    ("« x », mot que rapporte son biographe (cité par Castel, p. 318).", {"pages": [318]}),
    ("« x », selon la formule de Racine (v. 1201)", {"raw": "v. 1201", "kind": "location"}),
    # Too long an incise: the bracket belongs to another statement of the sentence.
    ("« x », ce qui rappelle ce que d'autres auteurs avaient déjà noté bien avant lui (p. 3).", None),
    # A quote mark or a sentence end inside: not an incise.
    ("« x ». Castel le dit (p. 318).", None),
    ("« x », et « y » (p. 318).", None),
    # The bracket is a gloss, or the sentence goes on after it.
    ("« x », dit-il (en anglais).", None),
    ("« x », dit-il (p. 3) et ajoute", None),
]


@pytest.mark.parametrize(("text", "expected"), INCISE, ids=[t for t, _ in INCISE])
def test_find_after_incise(text, expected):
    ref = find_after_incise(text, text.index("»") + 1, len(text))
    _check(ref, text, expected)
