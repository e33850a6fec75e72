#!/usr/bin/env python3
"""Extraction time per handout with the NLP stages on and off, and which spaCy components run.

Usage: .venv/bin/python bench/concepts_bench.py [HANDOUT ...]   (default: raw/ and tests/data/)

Figures are measured in one run, so their ratios are comparable; the model is loaded once, before
timing (its load time is reported apart).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pipeline  # noqa: E402
from pipeline import nlp  # noqa: E402

CONFIGS = {
    "no NLP stages": dict(concepts=False, entities=False),
    "concepts only": dict(concepts=True, entities=False),
    "entities only": dict(concepts=False, entities=True),
    "concepts + entities": dict(concepts=True, entities=True),
}
NEEDS = {"concepts only": {"lemmas"}, "entities only": {"entities"}, "concepts + entities": {"lemmas", "entities"}}


def main(paths: list[Path], repeat: int = 5) -> None:
    if not paths:
        paths = sorted([*ROOT.glob("raw/*.txt"), *ROOT.glob("raw/*.md"), *ROOT.glob("tests/data/*.md"),
                        *ROOT.glob("tests/data/*.txt")])
    texts = {p: p.read_bytes() for p in paths}
    chars = sum(len(pipeline.extract(p, concepts=False, entities=False).text) for p in paths)
    print(f"{len(paths)} handouts, {chars} characters, best of {repeat} runs each\n")
    for name, needs in NEEDS.items():
        start = time.perf_counter()
        model = nlp.load(frozenset(needs))
        nlp.lexicon(frozenset(needs))
        print(f"model for {name:20s} loaded in {time.perf_counter() - start:5.2f} s; components: {', '.join(model.pipe_names)}")
    print()
    results = {}
    for name, options in CONFIGS.items():
        per_file = []
        for path in texts:
            best = min(_timed(path, options) for _ in range(repeat))
            per_file.append(best)
        results[name] = per_file
        print(f"{name:20s} total {sum(per_file):6.3f} s   per handout: median {statistics.median(per_file) * 1000:7.1f} ms, "
              f"max {max(per_file) * 1000:7.1f} ms")
    base = sum(results["no NLP stages"])
    full = sum(results["concepts + entities"])
    print(f"\nconcept stage cost: {sum(results['concepts only']) - base:.3f} s over {len(paths)} handouts; "
          f"full NLP / no NLP = {full / base:.1f}x")


def _timed(path: Path, options: dict) -> float:
    start = time.perf_counter()
    pipeline.extract(path, **options)
    return time.perf_counter() - start


if __name__ == "__main__":
    main([Path(a) for a in sys.argv[1:]])
