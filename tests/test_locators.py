"""Citations by line, verse or section checked by the source's own numbering (issue 18,
``pipeline.checks.locators``): margin numbers of a play read and interpolated, a stray number in
the text not taken for one, a treatise's sections, and the verdicts they give.

The sources are generated at test time (``tests/versegen.py``) from the small book of
``tests/essai.py``: its paragraphs laid out as a play (verses of a few words, speakers' names, every
fifth verse numbered in the margin) or as a treatise in numbered sections.
"""

from __future__ import annotations

import json
import random

import pytest

import pipeline
from pipeline.checks.book import load_source
from pipeline.checks.locators import read_numbers, read_place
from tests.essai import BOOK, _private_cache, handout, only  # noqa: F401 (fixture)
from tests.versegen import (paginate, render_numbered, treatise_lines, verse_lines, without_margin,
                            write_numbered_txt)

PARAGRAPHS = [" ".join(p.split()) for text in BOOK.values() for p in text.split("\n", 1)[1].split("\n\n")]
TITLE = ["ESSAI SUR LA COMMUNE", "Jean Lefort"]


def _play(seed: int = 3, **options):
    return verse_lines(PARAGRAPHS, random.Random(seed), count=40, **options)


def _verses(lines):
    return [line for line in lines if line.verse is not None]


def _quote(lines, first: int, count: int = 2) -> str:
    """``count`` verses from the ``first``-th, as a handout quotes them."""
    return " ".join(line.text for line in _verses(lines)[first:first + count])


@pytest.fixture(scope="module")
def play(tmp_path_factory):
    """The play as text (margin numbers at the lines' ends), its lines and the source read."""
    lines = _play()
    path = write_numbered_txt(paginate(lines, per_page=14, title=TITLE), tmp_path_factory.mktemp("play") / "play.txt")
    return lines, load_source(path)


# -- reading the numbers ------------------------------------------------------------------------------

@pytest.mark.parametrize("render", ["txt", "pdf"])
def test_margin_numbers_are_read_and_the_lines_between_counted(tmp_path, render):
    lines = _play()
    pages = paginate(lines, per_page=14, title=TITLE)
    path = write_numbered_txt(pages, tmp_path / "play.txt") if render == "txt" else \
        render_numbered(pages, tmp_path / "play.pdf")
    source = load_source(path)
    numbering = source.numbers.lines
    assert numbering
    # Every verse, numbered in the margin or not, is where the play puts it: the speakers' names in
    # capitals between them are no verses.
    for line in _verses(lines):
        start = source.text.index(line.text)
        assert numbering.at(start, start + len(line.text)) == (line.verse, line.verse), line.text
    # The margin numbers are no words of the book.
    marks = {a for a, _ in source.numbers.marks}
    assert len(marks) == sum(line.margin for line in lines)
    assert not marks & set(source.index.words.starts)


def test_numbering_restarting_with_each_scene(tmp_path):
    lines = verse_lines(PARAGRAPHS * 1, random.Random(5), count=40, restart=True)
    scenes = [line.verse for line in lines if line.verse is not None]
    assert scenes.count(1) >= 1
    source = load_source(write_numbered_txt(paginate(lines, per_page=14, title=TITLE), tmp_path / "p.txt"))
    for line in _verses(lines):
        start = source.text.index(line.text)
        assert source.numbers.lines.at(start, start + len(line.text)) == (line.verse, line.verse)


def _numbered_text(lines: list[str]) -> str:
    """Lines of verse, every fifth with its number at its end."""
    return "\n".join(f"{text:<60} {k}" if k % 5 == 0 else text for k, text in enumerate(lines, 1))


VERSE = ["la commune est la seule association qui soit", "si bien dans la nature que partout",
         "où il y a des hommes réunis elle", "se forme d'elle-même et précède les lois",
         "qui la reconnaissent et les lois ne font", "guère que la régler après coup dans les",
         "villages que j'ai visités chaque habitant connaît", "le nom du magistrat qui répartit l'impôt",
         "et il sait où le trouver le", "soir cette proximité rend l'administration familière",
         "sans la rendre méprisable la liberté communale", "est la première école du citoyen on",
         "apprend à obéir en commandant soi-même et", "l'on juge mieux les fautes du pouvoir",
         "lorsqu'on a porté une part de ses", "charges le paysan qui a siégé une",
         "année au conseil ne parle plus des", "affaires publiques comme d'un orage lointain",
         "il faut cependant se garder de croire", "que tout soit harmonie dans ces petites"]


def test_a_stray_number_in_the_text_is_not_a_verse_number():
    verse = list(VERSE)
    verse[11] = "est la première école du citoyen depuis 1789"  # verse 12 ends with a year
    verse[6] = verse[6] + " 3"  # and verse 7 with a number that is not its own
    text = _numbered_text(verse)
    numbers = read_numbers(text)
    for k, line in enumerate(verse, 1):
        start = text.index(line)
        assert numbers.lines.at(start, start + len(line)) == (k, k), line
    marked = {text[a:b] for a, b in numbers.marks}
    assert marked == {"5", "10", "15", "20"}  # the year and the stray 3 stay words of the text


def test_a_verse_in_capitals_keeps_its_number_and_a_heading_does_not():
    """A verse printed in capitals with its margin number is a verse; a heading "SCÈNE 3" ending with
    a number is none. A number glued to the verse's full stop (a long verse running up to it) is
    read too, and is no word of the verse."""
    verse = list(VERSE)
    verse[9] = "SOIR CETTE PROXIMITÉ REND L'ADMINISTRATION FAMILIÈRE"
    lines = [f"{text:<60} {k}" if k % 5 == 0 else text for k, text in enumerate(verse, 1)]
    lines[14] = verse[14] + ".15"
    lines.insert(12, "SCÈNE 3")
    text = "\n".join(lines)
    numbers = read_numbers(text)
    for k, line in enumerate(verse, 1):
        start = text.index(line)
        assert numbers.lines.at(start, start + len(line)) == (k, k), line
    assert sorted(text[a:b] for a, b in numbers.marks) == ["10", "15", "20", "5"]


def test_a_verse_in_capitals_without_a_number_is_counted_where_the_numbers_need_it():
    """Verse 8 in capitals, unnumbered: the numbers 5 and 10 count four verses between them, so the
    line in capitals is verse 8. A speaker's name where the count is right stays no verse."""
    verse = list(VERSE)
    verse[7] = "LE NOM DU MAGISTRAT QUI RÉPARTIT L'IMPÔT"
    lines = [f"{text:<60} {k}" if k % 5 == 0 else text for k, text in enumerate(verse, 1)]
    lines.insert(13, "PHILINTE.")
    text = "\n".join(lines)
    numbers = read_numbers(text)
    for k, line in enumerate(verse, 1):
        start = text.index(line)
        assert numbers.lines.at(start, start + len(line)) == (k, k), line
    start = text.index("PHILINTE.")
    assert numbers.lines.at(start, start + 9) is None


def test_a_passage_printed_twice_is_taken_at_the_verse_cited(tmp_path):
    """As a passage printed twice is taken on the page cited, it is taken at the verse cited."""
    verse = list(VERSE) + [VERSE[2], VERSE[3], VERSE[4]] + [f"et le vers numéro {k} du poème finit ici"
                                                         for k in range(24, 31)]
    lines = _numbered_text(verse).split("\n")
    path = tmp_path / "poeme.txt"
    path.write_text("ESSAI SUR LA COMMUNE\nJean Lefort\n" + "\n".join(lines[:20]) + "\n\n1\n\f"
                    + "\n".join(lines[20:]) + "\n\n2\n", encoding="utf-8")
    quote = f"{VERSE[2]} {VERSE[3]}"
    first = only(handout(f"« {quote} » (vv. 3-4)"), load_source(path))
    second = only(handout(f"« {quote} » (vv. 21-22)"), load_source(path))
    assert (first.verdict, second.verdict) == ("verified", "verified"), (first.message, second.message)
    assert "at vv. 21-22" in second.message and "at vv. 3-4" in first.message


def test_prose_has_no_line_or_section_numbers():
    """A year, a date or a count at the end of a few lines of prose makes no sequence."""
    prose = "\n".join(["Il arriva en Amérique en 1831", "et repartit en 1832", "après un voyage de 9",
                       "mois où il vit 17", "États et 3 territoires."] + VERSE)
    numbers = read_numbers(prose)
    assert not numbers.lines and not numbers.sections and numbers.marks == []


def test_two_numbers_a_step_apart_with_the_lines_counting_it_are_a_sequence():
    text = _numbered_text(VERSE[:12])
    numbers = read_numbers(text)
    start = text.index(VERSE[2])
    assert numbers.lines.at(start, start + 1) == (3, 3)
    # But two numbers whose lines do not count their difference are not.
    wrong = "\n".join(VERSE[:4] + [VERSE[4] + " 5"] + VERSE[5:7] + [VERSE[7] + " 10"])
    assert not read_numbers(wrong).lines


@pytest.mark.parametrize("style, opening", [("§", "§ {n}. "), ("n.", "{n}. ")])
def test_treatise_sections_are_read(tmp_path, style, opening):
    lines = treatise_lines(PARAGRAPHS, random.Random(1), sections=6, style=style, per_section=(1, 1))
    source = load_source(write_numbered_txt(paginate(lines, per_page=14, title=TITLE), tmp_path / "t.txt"))
    sections = source.numbers.sections
    for line in lines:
        text = line.text.removeprefix(opening.format(n=line.section))
        start = source.text.index(text)
        assert sections.at(start, start + len(text)) == (line.section, line.section), line.text
    assert not source.numbers.lines
    # A section's number is printed in the text: it stays a word (a handout may quote "4. Chaque…").
    assert len(source.numbers.section_marks) == 6 and source.numbers.marks == []


def test_footnote_like_numbers_are_no_sections():
    """Two "1." lines and a "2." do not number sections: a bare "n." needs three in a row."""
    text = "Un paragraphe.\n1. Voir plus haut.\nUn autre.\n2. Ibid.\nEncore.\n1. Voir plus bas."
    assert not read_numbers(text).sections


@pytest.mark.parametrize("raw, expected", [
    ("v. 23", ("verse", 23, 23, "v.")),
    ("vv. 23-25", ("verse", 23, 25, "vv.")),
    ("vv. 112-14", ("verse", 112, 114, "vv.")),
    ("l. 12-15", ("line", 12, 15, "l.")),
    ("ll. 3 à 5", ("line", 3, 5, "ll.")),
    ("§ 12", ("section", 12, 12, "§")),
    ("§§12-13", ("section", 12, 13, "§§")),
    ("II, 5, v. 634", ("verse", 634, 634, "v.")),  # act and scene named before the verse
    ("p. 45, v. 12", ("verse", 12, 12, "v.")),
    ("v. 12 sq.", ("verse", 12, 16, "v.")),
    ("p. 45", None),
    ("l. II, chap. 3", None),  # "l. II" is a book (livre), not a line
    ("vers 1900", ("verse", 1900, 1900, "vers")),
])
def test_read_place(raw, expected):
    place = read_place(raw)
    assert (place and (place.kind, place.first, place.last, place.word)) == expected


# -- verdicts -----------------------------------------------------------------------------------------

def test_cited_verse_found_there_is_verified(play):
    lines, source = play
    verses = _verses(lines)
    finding = only(handout(f"« {_quote(lines, 11)} » (v. {verses[11].verse})"), source)
    assert finding.verdict == "verified", finding.message
    assert f"at vv. {verses[11].verse}-{verses[12].verse}, as cited" in finding.message
    # A range covering it, and a line reference, likewise.
    finding = only(handout(f"« {_quote(lines, 11)} » (vv. {verses[10].verse}-{verses[12].verse})"), source)
    assert finding.verdict == "verified", finding.message
    assert only(handout(f"« {_quote(lines, 11)} » (l. {verses[12].verse})"), source).verdict == "verified"


def test_a_quotation_over_a_numbered_line_is_not_altered(play):
    """The margin number "5" printed between its words is no word the handout left out."""
    lines, source = play
    verses = _verses(lines)
    k = next(i for i, line in enumerate(verses) if line.margin and verses[i + 1].speech == line.speech
             and verses[i - 1].speech == line.speech)
    finding = only(handout(f"« {_quote(lines, k - 1, 3)} » (v. {verses[k - 1].verse})"), source)
    assert finding.verdict == "verified" and not finding.diff, finding.message


def test_cited_verse_elsewhere_is_a_locator_error_with_the_fix(play):
    lines, source = play
    v = _verses(lines)[20].verse
    finding = only(handout(f"« {_quote(lines, 20, 1)} » (v.{v + 14})"), source)
    assert finding.verdict == "wrong_page" and finding.severity == "error"
    assert finding.message.endswith(f"at v. {v}, not at the verse cited (v.{v + 14})")
    assert finding.hint == f"Cite (v. {v})."


def test_altered_words_are_reported_with_a_wrong_locator_too(play):
    lines, source = play
    v = _verses(lines)[20].verse
    words = _quote(lines, 20, 2).split()
    words[3] = "licornes"
    finding = only(handout(f"« {' '.join(words)} » (v. {v + 14})"), source)
    assert finding.verdict == "wrong_page"
    assert "not at the verse cited" in finding.message and "«licornes»" in finding.message
    right = only(handout(f"« {' '.join(words)} » (v. {v})"), source)
    assert right.verdict == "altered" and f"at vv. {v}-{v + 1} with changed words" in right.message


def test_page_and_verse_are_both_checked(play):
    lines, source = play
    verse = _verses(lines)[20]
    page = next(p.label for p in source.pages if verse.text in source.text[p.start:p.end])
    right = only(handout(f"« {_quote(lines, 20, 1)} » (p. {page}, v. {verse.verse})"), source)
    assert right.verdict == "verified", right.message
    wrong_verse = only(handout(f"« {_quote(lines, 20, 1)} » (p. {page}, v. {verse.verse + 20})"), source)
    assert wrong_verse.verdict == "wrong_page" and "not at the verse cited" in wrong_verse.message
    assert wrong_verse.hint == f"Cite (p. {page}, v. {verse.verse})."
    other = int(page) + 2
    wrong_page = only(handout(f"« {_quote(lines, 20, 1)} » (p. {other}, v. {verse.verse + 20})"), source)
    assert wrong_page.verdict == "wrong_page"
    assert wrong_page.message.startswith(f"found on p. {page} at v. {verse.verse}, not on the page cited")
    assert wrong_page.hint == f"Cite (p. {page}, v. {verse.verse})."


def test_ibid_repeats_the_verse_cited_before(play):
    lines, source = play
    v = _verses(lines)[20].verse
    text = handout(f"« {_quote(lines, 20, 1)} » (v. {v})", f"« {_quote(lines, 21, 1)} » (ibid.)")
    found = [f for f in pipeline.check(text, source=source) if f.verdict]
    assert [f.verdict for f in found] == ["verified", "wrong_page"], [f.message for f in found]
    assert found[1].hint == f"Cite (v. {v + 1})."


def test_a_source_without_numbers_is_checked_by_text_only_and_says_so(tmp_path):
    lines = without_margin(_play())
    source = load_source(write_numbered_txt(paginate(lines, per_page=14, title=TITLE), tmp_path / "plain.txt"))
    assert not source.numbers.lines
    v = _verses(lines)[20].verse
    finding = only(handout(f"« {_quote(lines, 20, 2)} » (v. {v + 14})"), source)
    assert finding.verdict == "verified"
    assert f"the reference (v. {v + 14}) cites a line, verse or section, not checked: the words alone were" \
        in finding.message


def test_pdf_play_verdicts(tmp_path):
    """The same through PDFium, which gives a margin number on the verse's line or on a line of its own."""
    lines = _play()
    source = load_source(render_numbered(paginate(lines, per_page=14, title=TITLE), tmp_path / "play.pdf"))
    verses = _verses(lines)
    assert only(handout(f"« {_quote(lines, 13, 3)} » (vv. {verses[13].verse}-{verses[15].verse})"),
                source).verdict == "verified"
    wrong = only(handout(f"« {_quote(lines, 13, 3)} » (vv. {verses[30].verse}-{verses[32].verse})"), source)
    assert wrong.verdict == "wrong_page" and wrong.hint == f"Cite (vv. {verses[13].verse}-{verses[15].verse})."


@pytest.mark.parametrize("style", ["§", "n."])
def test_sections_verified_and_wrong(tmp_path, style):
    lines = treatise_lines(PARAGRAPHS, random.Random(1), sections=6, style=style, per_section=(1, 1))
    source = load_source(write_numbered_txt(paginate(lines, per_page=14, title=TITLE), tmp_path / "t.txt"))
    fourth = [line for line in lines if line.section == 4]
    words = " ".join(line.text for line in fourth).split()[4:16]
    quote = " ".join(words)
    right = only(handout(f"« {quote} » (§ 4)"), source)
    assert right.verdict == "verified" and "at § 4, as cited" in right.message, right.message
    wrong = only(handout(f"« {quote} » (§ 2)"), source)
    assert wrong.verdict == "wrong_page" and wrong.message.endswith("at § 4, not at the section cited (§ 2)")
    assert wrong.hint == "Cite (§ 4)."


def test_a_poem_without_pages_is_verified_by_its_verses(tmp_path):
    """A .txt without form feeds has no pages to check, but a citation by verse is checked all the
    same: verified (never the found_page_unknown of a citation by page)."""
    path = tmp_path / "poeme.txt"
    path.write_text("ESSAI SUR LA COMMUNE\nJean Lefort\n\n" + _numbered_text(VERSE) + "\n", encoding="utf-8")
    source = load_source(path)
    assert source.numbering == "none"
    quote = f"{VERSE[6]} {VERSE[7]}"
    right = only(handout(f"« {quote} » (vv. 7-8)"), source)
    assert (right.verdict, right.message) == ("verified", "found at vv. 7-8, as cited")
    wrong = only(handout(f"« {quote} » (v. 17)"), source)
    assert (wrong.verdict, wrong.message, wrong.hint) == (
        "wrong_page", "found at vv. 7-8, not at the verse cited (v. 17)", "Cite (vv. 7-8).")


def test_a_wrong_verse_in_a_book_of_several_volumes_keeps_its_hint(play, tmp_path):
    """The hint of a verse found elsewhere names the verse, not a volume and a page."""
    lines, source = play
    second = tmp_path / "t2.txt"
    second.write_text("ESSAI SUR LA COMMUNE\nTome second\n\nLes licornes bleues dansent sur la place du village "
                      "chaque mardi soir.\n\n1\n\fEt les autres jours, elles dorment.\n\n2\n", encoding="utf-8")
    other = load_source(second)
    v = _verses(lines)[20].verse
    found = [f for f in pipeline.check(handout(f"« {_quote(lines, 20, 1)} » (v. {v + 14})"), source=[source, other])
             if f.verdict]
    assert [(f.verdict, f.hint) for f in found] == [("wrong_page", f"Cite (v. {v}).")]
    assert "found in volume 1 on p." in found[0].message


def test_the_command_reports_a_wrong_verse_as_the_library_does(play, tmp_path):
    """``tdx check --source`` on a play: the same finding as ``pipeline.check``, exit code 1 for the
    error, and a second handout of the run checked too."""
    from typer.testing import CliRunner

    from pipeline.cli import app

    lines, source = play
    v = _verses(lines)[20].verse
    book = write_numbered_txt(paginate(lines, per_page=14, title=TITLE), tmp_path / "play.txt")
    wrong = tmp_path / "wrong.txt"
    wrong.write_text(handout(f"« {_quote(lines, 20, 1)} » (v. {v + 14})"), encoding="utf-8")
    right = tmp_path / "right.txt"
    right.write_text(handout(f"« {_quote(lines, 20, 1)} » (v. {v})"), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(wrong), str(right), "--source", str(book), "--format", "json"],
                                env={"COLUMNS": "220"})
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    verdicts = {doc["path"].rsplit("/", 1)[-1]: [f for f in doc["findings"] if f["verdict"]]
                for doc in report["documents"]}
    assert [(f["verdict"], f["hint"]) for f in verdicts["wrong.txt"]] == [("wrong_page", f"Cite (v. {v}).")]
    assert [f["verdict"] for f in verdicts["right.txt"]] == ["verified"]
    library = only(wrong.read_text(encoding="utf-8"), book)
    assert library.message == verdicts["wrong.txt"][0]["message"]


@pytest.mark.parametrize("raw, pages", [("p. 45, v. 12", [45]), ("p. 45, vv. 12-14", [45]), ("p. 12, vers 4", [12]),
                                        ("pp. 45-46, v. 1204", [45, 46])])
def test_a_page_with_its_verse_is_a_page_reference(raw, pages):
    """Once a malformed page: "p. 45, v. 12" is page 45, its verse kept in ``raw`` for the check."""
    from pipeline.stages.reference_parsing import parse_reference

    ref = parse_reference(raw, 0)
    assert (ref.kind in ("page", "page_range"), ref.pages, ref.raw) == (True, pages, raw)
    assert read_place(ref.raw).kind == "verse"


def test_sections_numbered_in_roman_numerals():
    paragraphs = [f"{numeral}. {text}" for numeral, text in zip(["I", "II", "III", "IV"], PARAGRAPHS)]
    text = "\n".join(paragraphs)
    numbers = read_numbers(text)
    for n, paragraph in enumerate(paragraphs, 1):
        start = text.index(paragraph)
        assert numbers.sections.at(start + 5, start + 30) == (n, n)
    # "XI." after "II." is no next section: the sequence stops there.
    broken = read_numbers("\n".join(paragraphs[:2] + ["XI. " + PARAGRAPHS[5]]))
    assert not broken.sections


def test_a_wrong_verse_in_french(play):
    """The place is the book's own ("v. 41"), in any language; the sentence around it is French."""
    lines, source = play
    v = _verses(lines)[20].verse
    text = handout(f"« {_quote(lines, 20, 1)} » (v.{v + 14})")
    found = [f for f in pipeline.check(text, source=source, lang="fr") if f.verdict]
    assert len(found) == 1 and found[0].verdict == "wrong_page"
    assert found[0].message.endswith(f", v. {v}, et non au vers cité (v.{v + 14})"), found[0].message
    assert found[0].hint == f"Citez (v. {v})."
