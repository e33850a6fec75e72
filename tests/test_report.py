"""``tdx report`` (``pipeline.feed.report``): the index and the handout pages, read back with
Python's own HTML parser: what is linked, what is marked, and what a hostile handout cannot do."""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

import pipeline
from pipeline.cli import app
from pipeline.feed.report import write_report
from pipeline.feed.report.strings import STRINGS

runner = CliRunner()
VOID = {"meta", "link", "br", "img", "input", "hr", "area", "base", "col", "embed", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict, parent: "Node | None"):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def shown(self) -> str:
        """The text a sighted reader sees: without what is said to screen readers only."""
        return "".join(c if isinstance(c, str) else c.shown() for c in self.children
                       if isinstance(c, str) or c.attrs.get("class") != "sr")

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs) -> list["Node"]:
        return [n for n in self.iter() if (tag is None or n.tag == tag)
                and all(n.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())]

    def elements(self) -> list["Node"]:
        return [c for c in self.children if isinstance(c, Node)]


class _Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#root", {}, None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None, f"</{tag}> closes nothing"
        self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(path: Path) -> Node:
    tree = _Tree()
    tree.feed(path.read_text(encoding="utf-8"))
    tree.close()
    return tree.root


FICHE = """# Fiche de lecture : La Distinction

Présenté par Marie Dupont

## I. Le goût

Bourdieu écrit : « Le goût classe, et classe celui qui classe » (p. 56). L'habitus de classe
organise les pratiques ; l'habitus se voit dans le goût.

## II. L'habitus

L'habitus est un système de dispositions : « principe générateur de pratiques objectivement classables ».

Le « capital culturel » se transmet, et le capital culturel se mesure.

Bourdieu affirme : « la culture est (...) une arme de distinction sociale » (p. 12-).

Il ajoute : « le goût est un marqueur de classe... et de position » (p. 80).
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fiches")
    (folder / "distinction.md").write_text(FICHE, encoding="utf-8")
    (folder / "autre.md").write_text("# Une autre fiche\n\nRien à citer ici, « sauf ceci » (p. 3).\n",
                                     encoding="utf-8")
    out = folder / "rapport"
    done = write_report([folder], out)
    return folder, out, done


def test_index_has_a_row_and_a_link_per_handout(corpus):
    folder, out, done = corpus
    assert done.errors == [] and len(done.pages) == 2
    index = parse(out / "index.html")
    rows = index.find_all("tbody")[0].find_all("tr")
    assert len(rows) == 2
    links = sorted(a.attrs["href"] for row in rows for a in row.find_all("a"))
    assert links == sorted(p.name for p in done.pages) and all((out / link).is_file() for link in links)
    titles = {row.find_all("a")[0].text() for row in rows}
    assert "Une autre fiche" in titles
    # Interface text in French unless told otherwise; every header a sort button.
    assert index.find_all("html")[0].attrs["lang"] == "fr"
    heads = index.find_all("table", id="handouts")[0].find_all("th")
    assert [th.find_all("button") != [] for th in heads] == [True] * len(heads)
    assert "Exposant·e" in index.text()


def _page(out: Path, done, name: str) -> Node:
    return parse(next(p for p in done.pages if name in p.name))


def test_page_shows_every_finding_beside_its_passage(corpus):
    folder, out, done = corpus
    handout = pipeline.extract(folder / "distinction.md")
    findings = pipeline.check(handout, lang="fr")  # the page is French, and so are its findings
    assert findings, "the handout was written to have findings of each severity"
    assert {f.severity for f in findings} == {"error", "warning", "info"}
    main = _page(out, done, "distinction").find_all("main")[0]
    children = main.elements()
    for finding in findings:
        item = main.find_all("li", id=f"finding-{findings.index(finding) + 1}")[0]
        assert finding.message in item.text() and finding.hint in item.text()
        if finding.span is None:
            continue
        aside = item.parent.parent
        assert aside.tag == "aside"
        block = children[children.index(aside) - 1]  # the passage, just before its findings
        assert handout.text[finding.span.start:finding.span.end].strip() in block.text()


def test_outline_links_land_on_their_sections_and_quotations_are_marked_by_kind(corpus):
    folder, out, done = corpus
    handout = pipeline.extract(folder / "distinction.md")
    page = _page(out, done, "distinction")
    outline = [a.attrs["href"] for a in page.find_all("nav")[0].find_all("a")]
    assert outline == [f"#s-{s.id}" for s in handout.sections]
    for section in handout.sections:
        heading = page.find_all(id=f"s-{section.id}")
        assert len(heading) == 1 and heading[0].tag in {"h2", "h3", "h4", "h5", "h6"}
        assert section.title in heading[0].text()
    for quote in handout.quotes:
        marked = "".join(n.text() for n in page.find_all("span") if n.attrs.get("data-quote") == quote.id)
        assert quote.text in marked
        assert all(f"q-{quote.kind}" in n.attrs["class"].split() for n in page.find_all("span")
                   if n.attrs.get("data-quote") == quote.id)
    blocks = [n for n in page.find_all("main")[0].elements() if "block" in n.attrs.get("class", "").split()]
    # A screen reader, which sees no colour, is told where each quotation starts and ends, and which kind.
    stream = [("sr", n.text().strip()) if n.attrs.get("class") == "sr" else ("q", n.attrs.get("data-quote"))
              for b in blocks for n in b.elements() if n.attrs.get("class") == "sr" or n.attrs.get("data-quote")]
    t = STRINGS["fr"]
    for quote in handout.quotes:
        where = [i for i, item in enumerate(stream) if item == ("q", quote.id)]
        before, after = stream[:where[0]], stream[where[-1] + 1:]
        opening = [text for _, text in before[len(before) - next(
            (i for i, item in enumerate(reversed(before)) if item[0] != "sr"), len(before)):]]
        closing = [text for _, text in after[:next((i for i, item in enumerate(after) if item[0] != "sr"), len(after))]]
        assert f"[{t['opens'][quote.kind]}]" in opening, quote.text
        assert f"[{t['closes'][quote.kind]}]" in closing, quote.text
    # The text as written: every character of the handout is on the page, in order.
    for block in blocks:  # the finding numbers are the page's, the spoken labels the reader's
        block.children = [c for c in block.children if not (isinstance(c, Node) and c.attrs.get("class") in ("fnum", "sr"))]
    assert "".join("".join(b.text() for b in blocks).split()) == "".join(handout.text.split())


def test_concepts_listed_with_counts_and_their_mentions_marked(corpus):
    folder, out, done = corpus
    handout = pipeline.extract(folder / "distinction.md")
    assert handout.concepts
    page = _page(out, done, "distinction")
    buttons = {b.attrs["data-concept"]: b for b in page.find_all("button") if "data-concept" in b.attrs}
    assert set(buttons) == {c.id for c in handout.concepts}
    for concept in handout.concepts:
        count = buttons[concept.id].parent.find_all("span")[0].text()
        assert count.startswith(f"{len(concept.mentions)} ")
        marked = "".join(n.text() for n in page.find_all("span")
                         if concept.id in n.attrs.get("data-c", "").split())
        assert marked == "".join(m.text for m in sorted(concept.mentions, key=lambda m: m.span.start))


def test_cli_reports_the_good_handouts_and_names_the_bad_one(tmp_path):
    (tmp_path / "bonne.md").write_text("# Bonne fiche\n\n« Une phrase » (p. 4).\n", encoding="utf-8")
    (tmp_path / "cassee.pdf").write_bytes(b"%PDF-1.4 not a pdf at all")
    result = runner.invoke(app, ["report", str(tmp_path / "bonne.md"), str(tmp_path / "cassee.pdf"),
                                 "-o", str(tmp_path / "out"), "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert "Error: " in result.output and "cassee.pdf" in result.output
    pages = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert pages == ["001-bonne.html", "index.html"]
    index = parse(tmp_path / "out" / "index.html")
    assert index.find_all("html")[0].attrs["lang"] == "en" and "cassee.pdf" in index.text()
    assert "Bonne fiche" in parse(tmp_path / "out" / "001-bonne.html").find_all("h1")[0].text()


def test_cli_reads_extracted_json(tmp_path):
    (tmp_path / "f.md").write_text("# Fiche JSON\n\n« Une phrase » (p. 4).\n", encoding="utf-8")
    assert runner.invoke(app, ["extract", str(tmp_path / "f.md"), "-o", str(tmp_path / "json")]).exit_code == 0
    result = runner.invoke(app, ["report", str(tmp_path / "json"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Fiche JSON" in parse(tmp_path / "out" / "index.html").text()


HOSTILE = """# <script>alert(1)</script> et {{ 7*7 }}

Présenté par "><img src=x onerror=alert(2)>

## II. "><img src=x onerror=alert(3)>

Il écrit : « <script>alert(4)</script> {{ 7*7 }} {% raw %} "><img src=x onerror=alert(5)> » (p. 12-).

Le « <b onclick=alert(6)>terme</b> » revient : <b onclick=alert(6)>terme</b>.
"""


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_hostile_handout_shows_its_characters_and_runs_nothing(tmp_path, lang):
    (tmp_path / "hostile.md").write_text(HOSTILE, encoding="utf-8")
    done = write_report([tmp_path / "hostile.md"], tmp_path / "out", lang=lang)
    assert done.errors == [] and len(done.pages) == 1
    for path in (done.pages[0], done.index):
        page = parse(path)
        # The one script is the report's own, at the end of the body; no element the handout wrote.
        assert [n.tag for n in page.find_all("script")] == ["script"]
        assert "alert" not in page.find_all("script")[0].text()
        assert page.find_all("img") == [] and page.find_all("b") == []
        assert not any(name.startswith("on") for n in page.iter() for name in n.attrs)
    page = parse(done.pages[0])
    text = page.find_all("main")[0].text()
    # Shown as written: the markup as characters, the template syntax not run.
    for written in ("<script>alert(4)</script>", "{{ 7*7 }}", "{% raw %}", '"><img src=x onerror=alert(5)>',
                    "<b onclick=alert(6)>terme</b>"):
        assert written in text
    assert "49" not in page.text()
    # The title as extraction read it (its Markdown markup taken off), its markup characters kept.
    title = pipeline.extract(tmp_path / "hostile.md").metadata.title
    assert "</script>" in title
    assert page.find_all("h1")[0].text() == page.find_all("title")[0].text() == title
    assert title in parse(done.index).find_all("tbody")[0].text()


def test_source_puts_each_verdict_beside_its_citation_with_the_books_passage(tmp_path, monkeypatch):
    from pipeline.checks.book import load_source
    from tests.essai import book_txt, handout

    monkeypatch.setenv("TDX_CACHE_DIR", str(tmp_path / "cache"))
    text = handout(
        "« Dans les villages que j'ai visités, chaque habitant connaît le nom du magistrat » (p. 41)",
        "« chaque habitant connaît le nom du magistrat qui répartit l'impôt » (p. 44)",
        "« Le comté n'est qu'un cadre politique ; il n'a point d'existence morale. » (p. 44)",
        "« Les licornes bleues dansent sur la place du village chaque mardi soir. » (p. 43)")
    (tmp_path / "fiche.md").write_text(text, encoding="utf-8")
    source = load_source(book_txt(tmp_path / "essai.txt"))
    findings = pipeline.check(pipeline.extract(tmp_path / "fiche.md"), source)
    by_verdict = {f.verdict: (number, f) for number, f in enumerate(findings, 1) if f.verdict}
    assert set(by_verdict) == {"verified", "wrong_page", "altered", "not_found"}
    done = write_report([tmp_path / "fiche.md"], tmp_path / "out", source=source)
    page = parse(done.pages[0])
    main = page.find_all("main")[0]
    children = main.elements()

    def item(verdict: str) -> Node:
        number, finding = by_verdict[verdict]
        found = main.find_all("li", id=f"finding-{number}")
        assert len(found) == 1
        aside = found[0].parent.parent
        passage = children[children.index(aside) - 1]
        assert finding.quote_text[:30] in passage.shown()  # beside its citation
        return found[0]

    verified = item("verified")
    assert "vérifiée" in verified.text() and "Dans les villages" in verified.find_all("blockquote")[0].text()
    wrong = item("wrong_page")
    assert "Page juste : p. 41" in wrong.text() and "page citée : 44" in wrong.text()
    assert "magistrat" in wrong.find_all("blockquote")[0].text()
    altered = item("altered")
    _, finding = by_verdict["altered"]
    assert [d.text() for d in altered.find_all("del")] == [c.quoted for c in finding.diff if c.quoted]
    assert [i.text() for i in altered.find_all("ins")] == [c.source for c in finding.diff if c.source]
    assert "administratif" in [i.text() for i in altered.find_all("ins")]
    # The changed words marked in the handout's text too.
    changed = [n.text() for n in main.find_all("span") if "changed" in n.attrs.get("class", "").split()]
    assert changed and changed == [c.quoted for c in finding.diff if c.span is not None and c.quoted]
    spoken = [n.text().strip() for n in main.find_all("span") if n.attrs.get("class") == "sr"]
    assert spoken.count("[mots changés :]") == spoken.count("[fin des mots changés]") == len(changed)
    item("not_found")
    # Counts agree in number, French style: 0 and 1 singular.
    assert "1 vérifiée, 1 mauvaise page, 1 modifiée, 1 introuvable" in page.find_all("dl")[0].text()
    # The index counts the verdicts.
    index = parse(done.index)
    heads = [th.text() for th in index.find_all("th")]
    cells = [td.text() for td in index.find_all("tbody")[0].find_all("td")]
    for verdict in ("Vérifiées", "Mauvaise page", "Modifiées", "Introuvables"):
        assert cells[heads.index(verdict)] == "1"


def test_cli_source_that_cannot_be_read_is_an_error_line(tmp_path):
    (tmp_path / "f.md").write_text("# Fiche\n\n« Une phrase » (p. 4).\n", encoding="utf-8")
    result = runner.invoke(app, ["report", str(tmp_path / "f.md"), "--source", str(tmp_path / "absent.pdf"),
                                 "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output.startswith("Error: ") and "absent.pdf" in result.output
    assert "Traceback" not in result.output


def test_index_grid_gives_each_concepts_mentions_per_handout(corpus):
    folder, out, done = corpus
    from pipeline.stages.concepts import normalise

    handouts = [pipeline.extract(folder / name) for name in ("autre.md", "distinction.md")]  # the order read
    grid = parse(out / "index.html").find_all("table", class_="grid")[0]
    columns = [th.find_all("a")[0].attrs["href"] for th in grid.find_all("thead")[0].find_all("th")[1:]]
    assert columns == [p.name for p in done.pages]
    rows = {tr.find_all("th")[0].text(): [td.text() for td in tr.find_all("td")]
            for tr in grid.find_all("tbody")[0].find_all("tr")}
    assert rows
    for handout, column in zip(handouts, range(2)):
        for concept in handout.concepts:
            label = next(lab for lab in rows if normalise(lab) == normalise(concept.label))
            assert rows[label][column] == str(len(concept.mentions))
    habitus = next(lab for lab in rows if normalise(lab) == normalise("habitus"))
    assert rows[habitus][0] == ""  # not used by the other handout


def test_cli_output_that_is_a_file_is_an_error_line(tmp_path):
    (tmp_path / "f.md").write_text("# Fiche\n", encoding="utf-8")
    (tmp_path / "taken").write_text("not a folder", encoding="utf-8")
    result = runner.invoke(app, ["report", str(tmp_path / "f.md"), "-o", str(tmp_path / "taken")])
    assert result.exit_code == 2
    assert result.output.startswith("Error: ") and "taken" in result.output and "-o" in result.output
    assert (tmp_path / "taken").read_text(encoding="utf-8") == "not a folder"


@pytest.mark.skipif(not os.environ.get("TDX_REQUIRE_BROWSER"), reason="set by .ci/run, which installs them")
def test_ci_has_the_browser_and_the_audit():
    """.ci/run installs Chromium and axe-core, then requires them: were they missing, the browser
    tests would skip and CI would pass without having opened a single page."""
    from tests.test_report_browser import AXE, HOW, MISSING

    assert not MISSING, HOW
    assert AXE is not None, "npm install --no-save axe-core@4"


def test_pages_written_by_several_processes_are_the_pages_one_writes(tmp_path):
    """``jobs``: the pages are shared among forked processes; the report is the same, byte for
    byte, and the errors come in the order of the files."""
    folder = tmp_path / "fiches"
    folder.mkdir()
    for k in range(6):
        (folder / f"fiche{k}.json").write_text(
            pipeline.extract(FICHE.replace("La Distinction", f"La Distinction, tome {k}")).model_dump_json(),
            encoding="utf-8")
    (folder / "fiche2.json").write_text("{ pas du JSON", encoding="utf-8")
    (folder / "fiche4.json").write_text("[]", encoding="utf-8")
    one, two = write_report([folder], tmp_path / "one", jobs=1), write_report([folder], tmp_path / "two", jobs=2)
    assert [p.name for p in one.pages] == [p.name for p in two.pages] and len(one.pages) == 4
    for page in [*one.pages, one.index]:
        assert page.read_bytes() == (tmp_path / "two" / page.name).read_bytes(), page.name
    assert [e.split(":")[0] for e in two.errors] == [str(folder / "fiche2.json"), str(folder / "fiche4.json")]
    assert two.errors == one.errors
