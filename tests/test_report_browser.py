"""``tdx report`` in a real browser: headless Chromium driven by Selenium opens the pages from
``file://`` and checks what only a browser can: no console errors, the concept buttons, the outline
links, the sort, the print layout, a hostile handout inert. Screenshots go to the test's folder.

Needs Chromium and its driver (Debian: ``apt-get install chromium chromium-driver``; ``.ci/run``
installs them) and Selenium (``pip install -e '.[dev]'``); skipped with that message otherwise."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import pipeline
from pipeline.feed.report import write_report
from pipeline.feed.report.strings import STRINGS
from tests.conftest import ROOT
from tests.test_report import FICHE, HOSTILE

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
HOW = ("browser tests need Chromium and chromedriver (apt-get install chromium chromium-driver) and "
       "selenium (pip install -e '.[dev]')")

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
except ImportError:  # pragma: no cover - a machine without the dev extras
    webdriver = None

MISSING = webdriver is None or CHROMIUM is None or DRIVER is None
pytestmark = pytest.mark.skipif(MISSING, reason=HOW)


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # The system driver, named: Selenium would otherwise go looking for one on the network.
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_window_size(1300, 900)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fiches")
    (folder / "distinction.md").write_text(FICHE, encoding="utf-8")
    (folder / "hostile.md").write_text(HOSTILE.replace("alert(", "document.title=("), encoding="utf-8")
    done = write_report([folder / "distinction.md", folder / "hostile.md"], folder / "out")
    return folder, done


def _open(browser, path: Path) -> list:
    browser.get(path.as_uri())
    return [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]


def test_pages_load_without_console_errors_and_screenshots(browser, report):
    folder, done = report
    for path in (done.index, *done.pages):
        assert _open(browser, path) == []
    _open(browser, done.index)
    assert browser.save_screenshot(str(folder / "index.png"))
    _open(browser, done.pages[0])
    assert browser.save_screenshot(str(folder / "page.png"))


def test_the_seed_handouts_page_and_index(browser, tmp_path):
    """The seed handout as the project ships its extraction (outputs/), reported and opened: no
    console error on a real-sized page; screenshots (seed-index.png, seed-page.png) to look at."""
    seed = next((ROOT / "outputs").glob("casilli-*.json"))
    done = write_report([seed], tmp_path / "rapport")
    for path, name in ((done.index, "seed-index.png"), (done.pages[0], "seed-page.png")):
        assert _open(browser, path) == []
        assert browser.save_screenshot(str(tmp_path / name))
    assert browser.find_elements(By.CSS_SELECTOR, "main .q") and browser.find_elements(By.CSS_SELECTOR, "nav a")


def test_choosing_a_concept_highlights_exactly_its_mentions(browser, report):
    folder, done = report
    handout = pipeline.extract(folder / "distinction.md")
    _open(browser, done.pages[0])
    for concept in handout.concepts:
        browser.find_element(By.CSS_SELECTOR, f'button[data-concept="{concept.id}"]').click()
        lit = browser.execute_script("return Array.from(document.querySelectorAll('.m.lit'), e => e.textContent)")
        assert "".join(lit) == "".join(m.text for m in sorted(concept.mentions, key=lambda m: m.span.start))
    pressed = browser.find_element(By.CSS_SELECTOR, f'button[data-concept="{handout.concepts[-1].id}"]')
    pressed.click()  # chosen again: the highlighting goes
    assert browser.find_elements(By.CSS_SELECTOR, ".m.lit") == []
    assert pressed.get_attribute("aria-pressed") == "false"


def test_outline_links_land_on_their_sections(browser, report):
    folder, done = report
    handout = pipeline.extract(folder / "distinction.md")
    browser.set_window_size(1300, 300)  # short, so that every jump has somewhere to scroll
    try:
        _open(browser, done.pages[0])
        for section in reversed(handout.sections):
            browser.find_element(By.CSS_SELECTOR, f'nav a[href="#s-{section.id}"]').click()
            top = browser.execute_script(f"return document.getElementById('s-{section.id}')"
                                         ".getBoundingClientRect().top")
            assert abs(top) < 30, section.title
    finally:
        browser.set_window_size(1300, 900)


def test_every_finding_is_shown_next_to_its_quotation(browser, report):
    folder, done = report
    handout = pipeline.extract(folder / "distinction.md")
    findings = pipeline.check(handout, lang="fr")  # the page is French, and so are its findings
    _open(browser, done.pages[0])
    for number, finding in enumerate(findings, 1):
        item = browser.find_element(By.ID, f"finding-{number}")
        assert item.is_displayed() and finding.message in item.text
        if finding.quote_id:
            # The finding's list comes right after the paragraph holding its quotation.
            held = browser.execute_script(
                "var aside = arguments[0].closest('aside'); var p = aside.previousElementSibling;"
                "return p.querySelector('[data-quote=\"' + arguments[1] + '\"]') !== null;", item, finding.quote_id)
            assert held, finding.message


def test_the_hostile_handout_runs_nothing(browser, report):
    folder, done = report
    page = done.pages[1]
    assert _open(browser, page) == []
    # An onerror that ran would have retitled the page; the title is still the handout's, as text.
    assert browser.execute_script("return document.title") == browser.find_element(By.TAG_NAME, "h1").text
    assert browser.find_elements(By.CSS_SELECTOR, "main img, main b, main script") == []
    assert "onerror=document.title=(5)" in browser.find_element(By.TAG_NAME, "main").text


def test_sorting_and_print_layout(browser, report):
    folder, done = report
    _open(browser, done.index)
    header = browser.find_element(By.XPATH, "//table[@id='handouts']//th[4]//button")  # Citations
    header.click()
    counts = [int(td.text) for td in browser.find_elements(By.CSS_SELECTOR, "#handouts tbody td:nth-child(4)")]
    assert counts == sorted(counts)
    header.click()
    counts = [int(td.text) for td in browser.find_elements(By.CSS_SELECTOR, "#handouts tbody td:nth-child(4)")]
    assert counts == sorted(counts, reverse=True)
    _open(browser, done.pages[0])
    assert browser.find_element(By.TAG_NAME, "nav").is_displayed()
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not browser.find_element(By.TAG_NAME, "nav").is_displayed()
        assert browser.find_element(By.ID, "finding-1").is_displayed()  # the findings stay, numbered
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_the_page_works_from_the_keyboard(browser, report):
    from selenium.webdriver.common.keys import Keys

    folder, done = report
    handout = pipeline.extract(folder / "distinction.md")
    _open(browser, done.pages[0])
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)  # the first stop is the skip link, shown when focused
    skip = browser.switch_to.active_element
    assert skip.get_attribute("class") == "skip" and skip.is_displayed()
    skip.send_keys(Keys.ENTER)
    assert browser.execute_script("return location.hash") == "#main"
    # Tabbing on reaches every outline link and concept button, in the order they are shown.
    _open(browser, done.pages[0])
    shown = [b.get_attribute("data-concept") for b in browser.find_elements(By.CSS_SELECTOR, "button[data-concept]")]
    assert sorted(shown) == sorted(c.id for c in handout.concepts)
    reached = []
    for _ in range(60):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        element = browser.switch_to.active_element
        reached.append(element.get_attribute("data-concept") or element.get_attribute("href") or "")
        if reached[-1] == shown[-1]:
            break
    assert [r for r in reached if r.startswith("file:") and "#s-" in r] == \
        [done.pages[0].as_uri() + f"#s-{s.id}" for s in handout.sections]
    assert [r for r in reached if r in shown] == shown
    browser.switch_to.active_element.send_keys(Keys.SPACE)  # a button presses with the space bar
    last = next(c for c in handout.concepts if c.id == shown[-1])
    lit = browser.execute_script("return Array.from(document.querySelectorAll('.m.lit'), e => e.textContent)")
    assert lit and "".join(lit) == "".join(m.text for m in sorted(last.mentions, key=lambda m: m.span.start))


def _accessibility_tree(browser) -> list[dict]:
    """What Chromium hands a screen reader: the page's accessibility tree, nodes left out of it dropped."""
    nodes = browser.execute_cdp_cmd("Accessibility.getFullAXTree", {})["nodes"]
    return [n for n in nodes if not n.get("ignored")]


def _value(node: dict, key: str) -> str:
    return str((node.get(key) or {}).get("value", ""))


def test_a_screen_reader_gets_headings_landmarks_names_and_the_kind_of_each_quotation(browser, report):
    folder, done = report
    handout = pipeline.extract(folder / "distinction.md")
    _open(browser, done.pages[0])
    tree = _accessibility_tree(browser)
    roles = [_value(n, "role") for n in tree]
    assert {"navigation", "main"} <= set(roles)
    headings = [(_value(n, "name"), next(int(p["value"]["value"]) for p in n.get("properties", [])
                                         if p["name"] == "level"))
                for n in tree if _value(n, "role") == "heading"]
    for section in handout.sections:  # the outline's sections are real headings, one level under the title
        assert any(section.title in name and level == min(section.level + 1, 6) for name, level in headings), \
            section.title
    assert all(_value(n, "name").strip() for n in tree if _value(n, "role") in ("button", "link"))
    # Colour tells the kinds apart on screen; the reader is told in words, at each quotation's ends.
    spoken = " ".join(_value(n, "name") for n in tree if _value(n, "role") == "StaticText")
    for kind in {q.kind for q in handout.quotes}:
        assert spoken.count(f"[{STRINGS['fr']['opens'][kind]}]") == sum(q.kind == kind for q in handout.quotes)
        assert spoken.count(f"[{STRINGS['fr']['closes'][kind]}]") == sum(q.kind == kind for q in handout.quotes)
    _open(browser, done.index)
    tree = _accessibility_tree(browser)
    headers = [n for n in tree if _value(n, "role") == "columnheader"]
    assert headers and all(_value(n, "name").strip() for n in headers)


# axe-core, the accessibility rules engine browsers' own audits use, from npm (`npm install --no-save
# axe-core@4` at the root of the clone, as .ci/run does). Its WCAG 2 A and AA rules are checked.
AXE = next((p for p in (Path(__file__).parents[1] / "node_modules/axe-core/axe.min.js",) if p.is_file()), None)



@pytest.mark.skipif(AXE is None, reason="the accessibility audit needs axe-core: npm install --no-save axe-core@4")
def test_pages_pass_the_axe_core_accessibility_audit(browser, report, tmp_path, monkeypatch):
    from pipeline.checks.book import load_source
    from tests.essai import book_txt, handout

    folder, done = report
    # And a report checked against a book: verdicts, the book's passages, changed words.
    monkeypatch.setenv("TDX_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "fiche.md").write_text(handout(
        "« Dans les villages que j'ai visités, chaque habitant connaît le nom du magistrat » (p. 41)",
        "« chaque habitant connaît le nom du magistrat qui répartit l'impôt » (p. 44)",
        "« Le comté n'est qu'un cadre politique ; il n'a point d'existence morale. » (p. 44)"), encoding="utf-8")
    checked = write_report([tmp_path / "fiche.md"], tmp_path / "out", source=load_source(book_txt(tmp_path / "essai.txt")))
    script = AXE.read_text(encoding="utf-8")
    for path in (done.index, *done.pages, checked.index, *checked.pages):
        _open(browser, path)
        browser.execute_script(script)
        result = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
            ".then(r => done(r.violations.map(v => [v.id, v.help, v.nodes.map(n => n.html.slice(0, 120))])),"
            " e => done([['axe failed', String(e), []]]));")
        assert result == [], f"{path.name}: {result}"
