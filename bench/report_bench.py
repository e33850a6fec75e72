#!/usr/bin/env python3
"""tdx report against extraction, on the batch benchmark's corpus (issue 17's speed targets).

Usage: .venv/bin/python bench/report_bench.py [--files 200] [--jobs 2] [--workdir DIR]

Builds the corpus of bench/batch_bench.py, extracts it (tdx --jobs N, timed), then times the report
of the extracted folder (every handout checked and its page written, the index too) and prints the
ratio report / extraction (target: at most 0.1). With Chromium and chromedriver installed, also
opens the largest handout's page from file:// and prints the browser's own load time
(PerformanceNavigationTiming loadEventEnd; target: under a second), reported, not asserted.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from batch_bench import build_corpus  # noqa: E402

from pipeline.batch.runner import BatchOptions, run_batch  # noqa: E402
from pipeline.feed.report import write_report  # noqa: E402


def load_time(page: Path) -> float | None:
    """Milliseconds to the load event of ``page`` in headless Chromium, or None without one."""
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        return None
    if chromium is None or driver is None:
        return None
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service(driver), options=options)
    try:
        times = []
        for _ in range(3):  # the first includes the browser's own warm-up
            browser.get(page.as_uri())
            times.append(browser.execute_script(
                "return performance.getEntriesByType('navigation')[0].loadEventEnd"))
        return min(times)
    finally:
        browser.quit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="tdx-report-bench-"))
    corpus = build_corpus(work / "corpus", args.files)
    print(f"corpus: {len(corpus)} handouts in {work / 'corpus'}")
    start = time.perf_counter()
    run = run_batch([work / "corpus"], work / "out", BatchOptions(jobs=args.jobs, force=True))
    extraction = time.perf_counter() - start
    print(f"extraction (--jobs {args.jobs}): {extraction:.1f} s, {run.processed} processed, {run.failed} failed")
    # In one process, then in as many as the extraction had (the target compares like with like).
    for jobs in dict.fromkeys((1, args.jobs)):
        start = time.perf_counter()
        done = write_report([work / "out"], work / f"report-{jobs}", jobs=jobs)
        report = time.perf_counter() - start
        print(f"report (jobs {jobs}): {report:.2f} s for {len(done.pages)} pages, {len(done.errors)} errors "
              f"= {report / extraction:.3f} of the extraction time (target <= 0.1)")
    largest = max(done.pages, key=lambda p: p.stat().st_size)
    print(f"largest page: {largest.name}, {largest.stat().st_size / 1024:.0f} KiB")
    ms = load_time(largest)
    print("load in Chromium: " + (f"{ms:.0f} ms (target < 1000)" if ms is not None else
                                  "skipped (needs chromium, chromedriver and selenium)"))


if __name__ == "__main__":
    main()
