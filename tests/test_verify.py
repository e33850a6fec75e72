"""Verification of quotations against the book: reading the source, its page numbers, the verdicts.

Always-on tests use a small book written for them (``BOOK``: printed pages 41-45 with a running
header, a word hyphenated at a line end, a footnote call, a sentence over a page break and a maxim
printed twice), as text with form feeds and as a PDF. The tests marked ``shared`` print pages of
Tocqueville's *De la démocratie en Amérique* (``../shared/sources``) the way a scanned book looks.
"""

from __future__ import annotations

import json

import pytest

import pipeline
from pipeline.errors import SourceError
from pipeline.verify import _printed_numbers, fold, load_source, pieces, words
from tests.bookgen import BookPage, book_pages, read_paged, render_book, write_book_txt
from tests.pdfgen import make_corrupt_pdf, make_encrypted_pdf, make_image_only_pdf

BOOK = {
    "41": """ESSAI SUR LA COMMUNE
La commune est la seule association qui soit si bien dans la nature que
partout où il y a des hommes réunis, elle se forme d'elle-même. Elle
précède les lois qui la reconnaissent, et les lois ne font guère que la
régler après coup.

Dans les villages que j'ai visités, chaque habitant connaît le nom du
magistrat qui répartit l'impôt, et il sait où le trouver le soir. Cette
proximité rend l'adminis-
tration familière sans la rendre méprisable[1].

La liberté communale est la première école du citoyen.""",
    "42": """ESSAI SUR LA COMMUNE
On apprend à obéir en commandant soi-même, et l'on juge mieux les fautes
du pouvoir lorsqu'on a porté une part de ses charges. Le paysan qui a
siégé une année au conseil ne parle plus des affaires publiques comme
d'un orage lointain.

Il faut cependant se garder de croire que tout soit harmonie dans ces
petites républiques. Les querelles de voisinage y deviennent aisément
des affaires d'État, et la rancune d'un meunier peut retarder pendant
dix ans la construction d'un pont dont tout le monde""",
    "43": """ESSAI SUR LA COMMUNE
reconnaît pourtant l'utilité. Le temps finit par user ces résistances,
car la commune dure plus longtemps que les passions de ceux qui la
composent.

Les fonctionnaires communaux ne reçoivent presque aucun salaire. Ils
tirent leur autorité de l'estime de leurs voisins plutôt que de la
crainte qu'ils inspirent, et cette autorité, pour être douce, n'en est
pas moins réelle.""",
    "44": """ESSAI SUR LA COMMUNE
Le comté n'est qu'un cadre administratif ; il n'a point d'existence
morale. Personne ne se dit fier de son comté comme on se dit fier de sa
commune, et les électeurs connaissent rarement les hommes qu'ils y
envoient.

Lorsque le législateur veut contraindre une commune récalcitrante, il
ne lui envoie pas un préfet : il la cite devant un tribunal, et c'est
un juge qui prononce l'amende.""",
    "45": """ESSAI SUR LA COMMUNE
Ainsi le pouvoir se cache sous la forme de la justice, et il n'en
devient que plus fort. Je reviens toujours à la même conclusion, que
j'ai écrite au début de ce chapitre et qu'il faut répéter ici : la
liberté communale est la première école du citoyen.

Et pourtant... la commune demeure, quand les régimes passent. Aucune
constitution ne saurait remplacer ces habitudes, qui se forment
lentement et se perdent vite.""",
}
HEAD = "Sociologie politique\nExposé de Claire Morel\n\nFiche de lecture : *Essai sur la commune*\n\nJean Lefort\n\n"


def handout(*paragraphs: str) -> str:
    return HEAD + "\n\n".join(paragraphs) + "\n"


def book_txt(path, *, numbers: bool = True, form_feeds: bool = True):
    pages = [f"{text}\n\n{label}\n" if numbers else f"{text}\n" for label, text in BOOK.items()]
    path.write_text(("\f" if form_feeds else "\n").join(pages), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    return load_source(book_txt(tmp_path_factory.mktemp("book") / "essai.txt"))


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TDX_CACHE_DIR", str(tmp_path / "cache"))


def verdicts(text: str, source) -> list:
    return [f for f in pipeline.check(text, source=source) if f.verdict is not None]


def only(text: str, source):
    found = verdicts(text, source)
    assert len(found) == 1, [(f.code, f.message) for f in found]
    return found[0]


# -- verdicts ------------------------------------------------------------------------------------

@pytest.mark.parametrize("quote, verdict, pages", [
    # Typographic apostrophes and a capital the book does not have change nothing.
    ("« Dans les villages que j’ai visités, chaque habitant connaît le nom du magistrat » (p. 41)",
     "verified", ["41"]),
    ("« Dans les villages que j'ai visités, chaque habitant connaît le nom du magistrat » (p. 44)",
     "wrong_page", ["41"]),
    # "adminis-\ntration" at a line end and the footnote call "méprisable[1]" in the source.
    ("« Cette proximité rend l'administration familière sans la rendre méprisable » (p. 41)", "verified", ["41"]),
    # Over the page break 42 -> 43: citing the page it starts on is right, and so is the range.
    ("« la rancune d'un meunier peut retarder pendant dix ans la construction d'un pont dont tout le monde "
     "reconnaît pourtant l'utilité » (p. 42)", "verified", ["42", "43"]),
    ("« la rancune d'un meunier peut retarder pendant dix ans la construction d'un pont dont tout le monde "
     "reconnaît pourtant l'utilité » (pp. 42-43)", "verified", ["42", "43"]),
    ("« la construction d'un pont dont tout le monde reconnaît pourtant l'utilité » (p. 43)", "verified",
     ["42", "43"]),
    # A cut with [...]: each piece is found, in order, close together.
    ("« On apprend à obéir en commandant soi-même [...] le paysan qui a siégé une année au conseil ne parle plus "
     "des affaires publiques » (p. 42)", "verified", ["42"]),
    # Words in brackets stand for the author's ("Elle").
    ("« [La commune] précède les lois qui la reconnaissent, et les lois ne font guère que la régler » (p. 41)",
     "verified", ["41"]),
    # The author's own suspension points.
    ("« Et pourtant... la commune demeure, quand les régimes passent. » (p. 45)", "verified", ["45"]),
    ("« Le comté n'est qu'un cadre politique ; il n'a point d'existence morale. » (p. 44)", "altered", ["44"]),
    ("« Les licornes bleues dansent sur la place du village chaque mardi soir. » (p. 43)", "not_found", []),
])
def test_verdicts(source, quote, verdict, pages):
    finding = only(handout(quote), source)
    assert (finding.verdict, finding.source_pages) == (verdict, pages), finding.message
    assert finding.code == verdict
    assert finding.severity == {"verified": "info", "wrong_page": "error", "altered": "warning",
                                "not_found": "error"}[verdict]


def test_wrong_page_says_the_page_and_the_fix_in_the_handouts_style(source):
    finding = only(handout("« chaque habitant connaît le nom du magistrat qui répartit l'impôt » (p.44)"), source)
    assert finding.verdict == "wrong_page"
    assert finding.source_page == "41" and finding.cited_pages == [44]
    assert "p. 41" in finding.message and "(p.41)" in finding.hint
    assert finding.score == 100


@pytest.mark.parametrize("quote, quoted, in_book", [
    ("« Le comté n'est qu'un cadre politique ; il n'a point d'existence morale. » (p. 44)", "politique",
     "administratif"),
    # A word left out without [...].
    ("« Les fonctionnaires communaux ne reçoivent aucun salaire » (p. 43)", "", "presque"),
    # A word added.
    ("« Le temps finit par user toutes ces résistances » (p. 43)", "toutes", ""),
    # A typing slip is a changed word too.
    ("« Les querelles de voisinage y deviennent aisément des affaires d'Éta » (p. 42)", "Éta", "État"),
])
def test_altered_shows_the_differing_words(source, quote, quoted, in_book):
    text = handout(quote)
    finding = only(text, source)
    assert finding.verdict == "altered", finding.message
    assert [(c.quoted, c.source) for c in finding.diff] == [(quoted, in_book)]
    change = finding.diff[0]
    if change.span is not None:
        assert pipeline.extract(text, concepts=False, entities=False).text[change.span.start:change.span.end] == quoted
    assert 50 < finding.score < 100


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


def test_ibid_repeats_the_page_before_it_and_other_works_are_not_checked(source):
    text = handout(
        "« Lorsque le législateur veut contraindre une commune récalcitrante » (p. 44)",
        "« il la cite devant un tribunal, et c'est un juge qui prononce l'amende » (ibid.)",
        # Another author's work: the book says nothing about it, and nor about the ibid. after it.
        "« Une lecture toujours actuelle des institutions locales du pays » (Loyer 1999: 9-10)",
        "« La décentralisation reste un horizon plus qu'une pratique » (ibid., p. 12)",
        # Under five words: too short to place in a book.
        "« la première école » (p. 41)",
    )
    found = verdicts(text, source)
    assert [(f.verdict, f.cited_pages) for f in found] == [("verified", [44]), ("verified", [44])]


def test_citation_without_page_gets_the_page_from_the_book(source):
    findings = pipeline.check(handout("« Ils tirent leur autorité de l'estime de leurs voisins plutôt que de la "
                                      "crainte qu'ils inspirent. »"), source=source)
    missing = next(f for f in findings if f.code == "missing_reference")
    assert "p. 43" in missing.hint
    located = next(f for f in findings if f.verdict)
    assert located.verdict == "verified" and "gives no page" in located.message


def test_not_found_without_a_page_is_only_information(source):
    finding = only(handout("« Les licornes bleues dansent sur la place du village chaque mardi soir. »"), source)
    assert (finding.verdict, finding.severity) == ("not_found", "info")


def test_ellipsis_the_book_prints_is_the_authors(source):
    text = handout("« Et pourtant... la commune demeure, quand les régimes passent. » (p. 45)")
    assert any(f.code == "bare_ellipsis" for f in pipeline.check(text))
    assert not any(f.code == "bare_ellipsis" for f in pipeline.check(text, source=source))


# -- words and pieces ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("L’Œuvre  a ÉTÉ", ["l", "oeuvre", "a", "ete"]),
    ("l'adminis-\ntration", ["l", "administration"]),
    # A hyphen inside a line is a compound, not a cut word.
    ("peut-être", ["peut", "etre"]),
    # Footnote calls glued to a word are no words; a year standing apart is one.
    ("l'amende[94] fut levée en 1831", ["l", "amende", "fut", "levee", "en", "1831"]),
    ("méprisable¹ et amende2", ["meprisable", "et", "amende"]),
])
def test_words(text, expected):
    assert words(text).norms == expected


def test_fold_groups_spellings_of_one_word():
    assert fold("avénement") == fold("avènement") == "avenement"


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


# -- page numbers --------------------------------------------------------------------------------

def _pages(*pages: str) -> list[list[str]]:
    return [page.split("\n") for page in pages]


@pytest.mark.parametrize("pages, expected", [
    (_pages("texte\n\n12", "texte\n13", "texte\n14"), ["12", "13", "14"]),
    # Running headers with the number at the outer corner, even and odd.
    (_pages("12 DE LA DÉMOCRATIE\ntexte", "CHAPITRE II. 13\ntexte", "14 DE LA DÉMOCRATIE\ntexte"), ["12", "13", "14"]),
    # A header drawn after the body comes last in the page's text.
    (_pages("texte\nsuite\nTITRE 7", "texte\nsuite\n8 TITRE"), ["7", "8"]),
    (_pages("texte\n- 12 -", "texte\n[13]", "texte\nPage 14 / 20", "texte\n15."), ["12", "13", "14", "15"]),
    # Roman front matter, then arabic numbers.
    (_pages("texte\nii", "texte\niii", "texte\n1", "texte\n2"), ["ii", "iii", "1", "2"]),
    # A chapter opening without a number takes it from its neighbours.
    (_pages("texte\n20", "CHAPITRE III\ntexte", "texte\n22", "texte\n23"), ["20", "21", "22", "23"]),
    # A year ending the last line, a footnote number, an upper-case chapter numeral: no page numbers.
    (_pages("texte\nen l'année 1831", "1. Voyez la loi\ntexte", "CHAPITRE IV\ntexte"), [None, None, None]),
    # A page missing from the book: the numbering jumps, each side keeps its own.
    (_pages("texte\n354", "texte\n355", "texte\n357", "texte\n358"), ["354", "355", "357", "358"]),
])
def test_printed_page_numbers(pages, expected):
    labels, _ = _printed_numbers(pages)
    assert labels == expected


def test_txt_source_pages_numbers_and_running_header(tmp_path):
    source = load_source(book_txt(tmp_path / "essai.txt"))
    assert source.numbering == "printed"
    assert [p.label for p in source.pages] == ["41", "42", "43", "44", "45"]
    assert source.last_page == 45
    # The printed numbers and the running header are no part of the text.
    assert "ESSAI SUR LA COMMUNE" not in source.text and "\n41\n" not in source.text


def test_soft_hyphens_in_a_txt_source(tmp_path):
    path = tmp_path / "book.txt"
    path.write_text("Le comté n'est qu'un cadre adminis\u00adtratif ; il n'a point d'exis\u00ad\ntence morale.\n\n44\n"
                    "\fSuite.\n\n45\n", encoding="utf-8")
    finding = only(handout("« Le comté n'est qu'un cadre administratif ; il n'a point d'existence morale » (p. 44)"),
                   load_source(path))
    assert (finding.verdict, finding.diff) == ("verified", [])


def test_txt_without_numbers_counts_pages_plus_offset(tmp_path):
    path = book_txt(tmp_path / "essai.txt", numbers=False)
    assert [p.label for p in load_source(path).pages] == ["1", "2", "3", "4", "5"]
    shifted = load_source(path, page_offset=40)
    assert shifted.numbering == "index" and [p.label for p in shifted.pages] == ["41", "42", "43", "44", "45"]
    assert only(handout("« Le comté n'est qu'un cadre administratif » (p. 44)"), shifted).verdict == "verified"


def test_a_wrong_offset_is_spotted_and_the_right_one_given(tmp_path):
    source = load_source(book_txt(tmp_path / "essai.txt", numbers=False), page_offset=38)
    found = verdicts(handout("« Le comté n'est qu'un cadre administratif » (p. 44)",
                             "« Les fonctionnaires communaux ne reçoivent presque aucun salaire » (p. 43)",
                             "« On apprend à obéir en commandant soi-même » (p. 42)"), source)
    assert {f.verdict for f in found} == {"wrong_page"}
    assert all("--page-offset 40" in f.hint for f in found), found[0].hint


def test_txt_without_form_feeds_checks_words_but_not_pages(tmp_path):
    source = load_source(book_txt(tmp_path / "essai.txt", form_feeds=False))
    assert source.numbering == "none"
    finding = only(handout("« Le comté n'est qu'un cadre administratif » (p. 12)"), source)
    assert finding.verdict == "verified"


# -- PDF sources ---------------------------------------------------------------------------------

OWN_PAGES = [BookPage(label, text.split("\n", 1)[1]) for label, text in BOOK.items()]


@pytest.mark.parametrize("options, numbering, labels", [
    ({"number": "footer"}, "printed", ["41", "42", "43", "44", "45"]),
    ({"number": "header", "running_title": "ESSAI SUR LA COMMUNE"}, "printed", ["41", "42", "43", "44", "45"]),
    ({"number": "none", "page_labels": True}, "pdf_labels", ["41", "42", "43", "44", "45"]),
    ({"number": "none"}, "index", ["1", "2", "3", "4", "5"]),
], ids=["footer", "header", "pdf-labels", "index"])
def test_pdf_page_numbers(tmp_path, options, numbering, labels):
    source = load_source(render_book(OWN_PAGES, tmp_path / "essai.pdf", **options))
    assert (source.numbering, [p.label for p in source.pages]) == (numbering, labels)
    assert "ESSAI SUR LA COMMUNE" not in source.text


def test_pdf_source_verdicts(tmp_path):
    source = load_source(render_book(OWN_PAGES, tmp_path / "essai.pdf"))
    found = verdicts(handout(
        "« la rancune d'un meunier peut retarder pendant dix ans la construction d'un pont dont tout le monde "
        "reconnaît pourtant l'utilité » (p. 42)",
        "« Le comté n'est qu'un cadre politique ; il n'a point d'existence morale » (p. 44)",
        "« Lorsque le législateur veut contraindre une commune récalcitrante » (p. 45)",
    ), source)
    assert [(f.verdict, f.source_pages) for f in found] == [
        ("verified", ["42", "43"]), ("altered", ["44"]), ("wrong_page", ["44"])]


def test_pdf_text_is_cached_by_hash(tmp_path, monkeypatch):
    path = render_book(OWN_PAGES, tmp_path / "essai.pdf")
    first = load_source(path)
    cached = list((tmp_path / "cache" / "sources").glob("*.json"))
    assert [p.stem for p in cached] == [first.sha256]

    def no_reading(_path):
        raise AssertionError("the cached text should have been used")

    monkeypatch.setattr("pipeline.verify._read_pdf", no_reading)
    again = load_source(path)
    assert again.text == first.text and again.pages == first.pages
    # Another file (other bytes) is read again.
    render_book(OWN_PAGES[:3], path)
    with pytest.raises(AssertionError):
        load_source(path)


def test_unwritable_cache_only_costs_speed(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TDX_CACHE_DIR", str(blocker / "cache"))
    source = load_source(render_book(OWN_PAGES, tmp_path / "essai.pdf"))
    assert source.numbering == "printed"


def test_no_cache_folder_only_costs_speed(tmp_path, monkeypatch):
    monkeypatch.setattr("pipeline.verify.cache_dir", lambda: None)  # a user without a home
    source = load_source(render_book(OWN_PAGES, tmp_path / "essai.pdf"))
    assert source.numbering == "printed"


@pytest.mark.parametrize("make, message", [
    (lambda d: d / "absent.pdf", "no such source file"),
    (lambda d: d, "is a folder"),
    (lambda d: (d / "book.docx").write_bytes(b"PK") and d / "book.docx", "unsupported source format"),
    (lambda d: make_corrupt_pdf(d / "book.pdf") or d / "book.pdf", "corrupt"),
    (lambda d: make_encrypted_pdf(d / "book.pdf", "Un texte.") and d / "book.pdf", "encrypted"),
    (lambda d: make_image_only_pdf(d / "book.pdf") or d / "book.pdf", "no text"),
    (lambda d: (d / "book.txt").write_text("  \n\f\n") and d / "book.txt", "no text"),
], ids=["missing", "folder", "docx", "corrupt", "encrypted", "scanned", "empty-txt"])
def test_unusable_sources_are_named_errors(tmp_path, make, message):
    path = make(tmp_path)
    with pytest.raises(SourceError) as err:
        load_source(path)
    assert message in str(err.value) and str(path) in str(err.value)


# -- a real book: Tocqueville, printed pages rendered as a scanned book looks -------------------------

@pytest.fixture(scope="module")
def tocqueville(shared, tmp_path_factory):
    pages = read_paged(shared / "sources" / "pd-tocqueville-democratie-amerique-t1.paged.txt")
    chosen = book_pages(pages, "iii", 16)  # iii, iv, then printed pages 1 to 14
    folder = tmp_path_factory.mktemp("tocqueville")
    return {
        "pages": {p.label: p for p in chosen},
        "pdf": render_book(chosen, folder / "tocqueville.pdf"),
        "header-pdf": render_book(chosen, folder / "tocqueville-header.pdf", number="header",
                                  running_title="DE LA DÉMOCRATIE EN AMÉRIQUE."),
        "txt": write_book_txt(chosen, folder / "tocqueville.txt"),
        "other": read_paged(shared / "sources" / "pd-montesquieu-esprit-des-lois-I-V-janet1892.paged.txt"),
    }


def _sentence_of(page: BookPage, n: int = 18, skip: int = 0) -> str:
    words = next(p for p in page.paragraphs if len(p.split()) > n + skip and p[:1].isupper()).split()
    return " ".join(words[skip:skip + n]).strip(",;:")


@pytest.mark.parametrize("kind", ["pdf", "header-pdf", "txt"])
def test_tocqueville_verdicts(tocqueville, kind):
    pages = tocqueville["pages"]
    source = load_source(tocqueville[kind])
    assert source.numbering == "printed"
    assert [p.label for p in source.pages] == list(pages)
    true = _sentence_of(pages["5"])
    words = _sentence_of(pages["9"], 30).split()
    cut = " ".join(words[:10]) + " [...] " + " ".join(words[18:30])
    altered = _sentence_of(pages["7"]).split()
    altered[5] = "gouvernement" if altered[5] != "gouvernement" else "peuple"
    # A sentence running from page 3 onto page 4, in the book's own words.
    tail = pages["3"].paragraphs[-1].split()[-8:]
    head = pages["4"].paragraphs[0].split()[:8]
    absent = _sentence_of(tocqueville["other"][40])
    text = handout(
        f"« {true} » (p. 5)",
        f"« {true} » (p. 12)",
        f"« {cut} » (p. 9)",
        f"« {' '.join(altered)} » (p. 7)",
        f"« {' '.join(tail + head)} » (p. 3)",
        f"« {absent} » (p. 6)",
    )
    found = verdicts(text, source)
    assert [(f.verdict, f.source_pages) for f in found] == [
        ("verified", ["5"]), ("wrong_page", ["5"]), ("verified", ["9"]), ("altered", ["7"]),
        ("verified", ["3", "4"]), ("not_found", [])], [f.message for f in found]


def test_tocqueville_front_matter_in_roman_numerals(tocqueville):
    source = load_source(tocqueville["pdf"])
    page = tocqueville["pages"]["iv"]
    quote = " ".join(page.paragraphs[1].split()[:16]).strip(",;:")
    found = verdicts(handout(f"« {quote} » (p. iv)"), source)
    assert [(f.verdict, f.source_page) for f in found] == [("verified", "iv")]


def test_check_report_json_round_trips(source):
    from pipeline.models import CheckReport, DocumentReport

    findings = pipeline.check(handout("« Le comté n'est qu'un cadre politique » (p. 44)"), source=source)
    report = CheckReport(tool_version=pipeline.__version__, documents=[DocumentReport(path="x.txt",
                                                                                     findings=findings)])
    again = CheckReport.model_validate(json.loads(report.model_dump_json()))
    assert again == report
