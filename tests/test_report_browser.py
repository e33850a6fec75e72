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

pytestmark = pytest.mark.skipif(webdriver is None or CHROMIUM is None or DRIVER is None, reason=HOW)


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
