#!/usr/bin/env python3
"""tdx's PDF reading against plain pdfplumber `extract_text()` on the same files, in one run.

Usage: .venv/bin/python bench/pdf_bench.py [PDF ...]
Without arguments it renders test PDFs first (the seed handout, and the seed repeated 12 times for
a ~100-page document) with tests/pdfgen.py. Reports seconds per page for:
  - pdfplumber: `page.extract_text()` on every page (the baseline the target is set against);
  - tdx read:   `pipeline.ingest.read` (words, fonts, boxes, headers/footers, reflow);
  - tdx extract without NLP stages (reading + every rule-based stage).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402

import pipeline  # noqa: E402
from pipeline.ingest import read  # noqa: E402


def _plumber(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def _best(fn, path: Path, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn(path)
        best = min(best, time.perf_counter() - start)
    return best


def main(paths: list[Path], repeat: int = 3) -> None:
    if not paths:
        from tests.pdfgen import render_handout

        folder = Path(tempfile.mkdtemp(prefix="tdx-pdf-bench-"))
        seed = (ROOT / "raw" / "casilli-en-attendant-les-robots.txt").read_text(encoding="utf-8")
        render_handout(seed, folder / "seed.pdf")
        render_handout("\n\n".join([seed] * 12), folder / "seed-x12.pdf")
        paths = [folder / "seed.pdf", folder / "seed-x12.pdf"]
    print(f"{'file':28s} {'pages':>5s} {'pdfplumber s/page':>18s} {'tdx read s/page':>16s} {'ratio':>6s} "
          f"{'tdx extract s/page':>19s} {'ratio':>6s}")
    totals = [0, 0.0, 0.0, 0.0]
    for path in paths:
        pages = _plumber(path)
        base = _best(_plumber, path, repeat)
        ours = _best(read, path, repeat)
        full = _best(lambda p: pipeline.extract(p, concepts=False, entities=False), path, repeat)
        totals = [totals[0] + pages, totals[1] + base, totals[2] + ours, totals[3] + full]
        print(f"{path.name[:28]:28s} {pages:5d} {base / pages:18.4f} {ours / pages:16.4f} {ours / base:6.2f} "
              f"{full / pages:19.4f} {full / base:6.2f}")
    pages, base, ours, full = totals
    print(f"{'all':28s} {pages:5d} {base / pages:18.4f} {ours / pages:16.4f} {ours / base:6.2f} "
          f"{full / pages:19.4f} {full / base:6.2f}")


if __name__ == "__main__":
    main([Path(a) for a in sys.argv[1:]])
