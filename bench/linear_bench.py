#!/usr/bin/env python3
"""Is every stage linear? Time of `pipeline.extract` on hostile inputs at 1x, 2x and 4x their size.

Usage: .venv/bin/python bench/linear_bench.py [--scale F] [--profile CASE] [CASE ...]
Cases (issue 14, item 9; the sizes at 1x are the ones that took minutes when the loops were
quadratic):
  nested    10,000 nested « » (60 KB)
  marks     50,000 « in one paragraph (100 KB)
  quoted    50,000 quote marks pairing up: « a » 25,000 times on one line
  headings  30,000 Markdown headings
  glyphs    a one-page PDF holding 300,000 glyphs (reportlab)
Each line prints the seconds at 1x, 2x and 4x and the ratio of each doubling: linear time gives
~2, quadratic ~4. `--scale 0.25` runs them at a quarter of the size (quick look); `--profile CASE`
prints the cProfile of one run at 1x instead.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pipeline  # noqa: E402


def nested(n: int, folder: Path) -> Path:
    path = folder / f"nested-{n}.txt"
    path.write_text("Titre\n\n" + "« " * n + "mot" + " »" * n + "\n", encoding="utf-8")
    return path


def marks(n: int, folder: Path) -> Path:
    """``n`` « in one paragraph (100 KB at 50,000): all unbalanced, masked to one run of blanks."""
    path = folder / f"marks-{n}.txt"
    path.write_text("Titre\n\n" + "«" * n + "\n", encoding="utf-8")
    return path


def quoted(n: int, folder: Path) -> Path:
    """``n`` marks pairing up around one-letter words, « a », all on one line (the title block's
    footer test tried every split of such a line)."""
    path = folder / f"quoted-{n}.txt"
    path.write_text("Titre\n\n" + "« a » " * (n // 2) + "\n", encoding="utf-8")
    return path


def headings(n: int, folder: Path) -> Path:
    path = folder / f"headings-{n}.md"
    path.write_text("".join(f"# Partie {i}\n\nTexte {i}.\n\n" if i % 2 else f"## Titre {i}\n\n" for i in range(n)),
                    encoding="utf-8")
    return path


def glyphs(n: int, folder: Path) -> Path:
    """One page, ``n`` glyphs in 2 pt type: words of five letters in rows across an A0 page."""
    from reportlab.lib.pagesizes import A0
    from reportlab.pdfgen.canvas import Canvas

    path = folder / f"glyphs-{n}.pdf"
    canvas = Canvas(str(path), pagesize=A0)
    width, height = A0
    words_per_row = int((width - 40) / 9)
    rows = n // (words_per_row * 5) + 1
    pitch = (height - 40) / rows
    canvas.setFont("Helvetica", min(2, pitch * 0.8))
    left = n
    for row in range(rows):
        count = min(words_per_row, left // 5)
        if count <= 0:
            break
        canvas.drawString(20, height - 20 - row * pitch, " ".join("lorem" for _ in range(count)))
        left -= count * 5
    canvas.save()
    return path


CASES = {"nested": (nested, 10_000), "marks": (marks, 50_000), "quoted": (quoted, 50_000), "headings": (headings, 30_000),
         "glyphs": (glyphs, 300_000)}


def _seconds(path: Path) -> float:
    start = time.perf_counter()
    pipeline.extract(path)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", default=list(CASES))
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--profile")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tdx-linear-bench-"))
    pipeline.extract("Titre\n\nUn mot.\n")  # the model loads once, outside the timings
    if args.profile:
        make, size = CASES[args.profile]
        path = make(int(size * args.scale), folder)
        profile = cProfile.Profile()
        profile.runcall(pipeline.extract, path)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
        return
    print(f"{'case':10s} {'size 1x':>9s} {'1x s':>7s} {'2x s':>7s} {'4x s':>7s} {'2x/1x':>6s} {'4x/2x':>6s}")
    for name in args.cases:
        make, size = CASES[name]
        base = int(size * args.scale)
        times = [_seconds(make(base * k, folder)) for k in (1, 2, 4)]
        print(f"{name:10s} {base:9d} {times[0]:7.2f} {times[1]:7.2f} {times[2]:7.2f} "
              f"{times[1] / times[0]:6.2f} {times[2] / times[1]:6.2f}", flush=True)


if __name__ == "__main__":
    main()
