#!/usr/bin/env python3
"""Extraction time per handout, this tree against an earlier commit, measured side by side.

Usage: .venv/bin/python bench/speed_compare.py REV [--rounds 3]

Checks REV out in a temporary git worktree, starts one process per tree (model loaded first, not
timed) and extracts the same handouts (raw/, and ../shared's development set and corpus when
present) in both, alternating file by file and swapping which goes first each round: this
machine's speed drifts within minutes, and interleaving gives both trees the same drift. Prints
the sum of each file's best time and the median of the per-handout ratios (new / REV).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
WORKER = """
import sys, time
sys.path.insert(0, sys.argv[1])
import pipeline
assert pipeline.__file__.startswith(sys.argv[1]), pipeline.__file__
pipeline.extract(sys.argv[2])
print("ready", flush=True)
for line in sys.stdin:
    start = time.perf_counter()
    pipeline.extract(line.strip())
    print(time.perf_counter() - start, flush=True)
"""


def handouts() -> list[Path]:
    found = sorted((ROOT / "raw").iterdir())
    if SHARED.exists():
        found += sorted((SHARED / "devset" / "handouts").iterdir()) + sorted((SHARED / "corpus").glob("*.md"))
    return [p for p in found if p.suffix in (".txt", ".md", ".pdf")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    files = handouts()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(base), args.rev], check=True)
        try:
            trees = {"base": base, "new": ROOT}
            procs = {name: subprocess.Popen([sys.executable, "-c", WORKER, str(tree), str(files[0])],
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=tmp)
                     for name, tree in trees.items()}
            for proc in procs.values():
                assert proc.stdout.readline().strip() == "ready"
            best: dict[str, dict[Path, float]] = {name: {} for name in procs}
            for r in range(args.rounds):
                for file in files:
                    for name in (("base", "new") if r % 2 == 0 else ("new", "base")):
                        procs[name].stdin.write(f"{file}\n")
                        procs[name].stdin.flush()
                        seconds = float(procs[name].stdout.readline())
                        best[name][file] = min(best[name].get(file, float("inf")), seconds)
            for proc in procs.values():
                proc.stdin.close()
                proc.wait()
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=False)
    old, new = sum(best["base"].values()), sum(best["new"].values())
    ratios = [best["new"][f] / best["base"][f] for f in files]
    print(f"{len(files)} handouts, best of {args.rounds} rounds each: {args.rev} {old:.2f} s, this tree {new:.2f} s; "
          f"total ratio {new / old:.2f}, median per-handout ratio {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
