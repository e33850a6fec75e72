#!/usr/bin/env python3
"""What choosing output names costs (pipeline/batch/names.py), on a corpus of empty files.

Usage: .venv/bin/python bench/names_bench.py [--files 10000]

Prints the seconds to name every input of a fresh run (the index written), of a rerun (names
read back from the index), of a run with a tenth more files, and of a first run over a folder of
outputs written before the index (each one's source read once to give it back to its input).
Every input's name sits in many colliding groups (the same stems in many folders).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.batch.names import INDEX, assign_names  # noqa: E402


def corpus(root: Path, count: int, start: int = 0) -> list[tuple[Path, Path]]:
    files = []
    for i in range(start, start + count):
        # One in three has a stem shared with fifty others; the rest are unique.
        name = f"td-{i // 97 % 50}-{i}.md" if i % 3 else f"td-{i % 50}.md"
        path = root / f"groupe-{i % 97}" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        files.append((path, root))
    return files


def timed(label: str, files, out: Path) -> dict:
    started = time.perf_counter()
    names = assign_names(files, out).names
    seconds = time.perf_counter() - started
    assert len({n.casefold() for n in names.values()}) == len(files)
    print(f"{label:<44} {len(files):>6} files  {seconds:6.2f} s")
    return names


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10_000)
    count = parser.parse_args().files
    with tempfile.TemporaryDirectory() as tmp:
        root, out = Path(tmp) / "in", Path(tmp) / "out"
        out.mkdir()
        files = corpus(root, count)
        names = timed("fresh run (index written)", files, out)
        timed("rerun (names from the index)", files, out)
        timed("a tenth more files", files + corpus(root, count // 10, count), out)
        # Outputs written before the index: each records its input; the index is gone.
        (out / INDEX).unlink()
        for file, name in names.items():
            (out / name).write_text(json.dumps({"schema_version": "1.5.0", "source": {"path": str(file)}}))
        timed("first run over outputs without an index", files, out)


if __name__ == "__main__":
    main()
