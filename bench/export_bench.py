#!/usr/bin/env python3
"""What the corpus database costs (pipeline/feed/export.py, database.py): export time, file size,
full-text search time, and a re-export after handouts were deleted from the folder.

Usage: .venv/bin/python bench/export_bench.py [--handouts 300] [--checks]

The corpus is the project's own extracted handout (outputs/), copied under as many input names.
Prints seconds and megabytes for the first export, a re-export of every handout, a re-export
after a tenth of the JSON files were deleted (pruned from the database), and the time of an FTS5
query over the handouts and over the quotations.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.feed.export import export_sqlite  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--handouts", type=int, default=300)
    parser.add_argument("--checks", action="store_true", help="store tdx check's findings too")
    args = parser.parse_args()
    seed = json.loads(next(p for p in sorted((ROOT / "outputs").glob("*.json"))
                           if not p.name.startswith("_")).read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        folder, db = Path(tmp) / "outputs", Path(tmp) / "corpus.db"
        folder.mkdir()
        for i in range(args.handouts):
            seed["source"]["path"] = f"raw/td-{i}.txt"
            (folder / f"td-{i}.json").write_text(json.dumps(seed), encoding="utf-8")
        for label in ("first export", "re-export"):
            started = time.perf_counter()
            done = export_sqlite([folder], db, checks=args.checks)
            print(f"{label}: {done.written} handouts in {time.perf_counter() - started:.2f} s, "
                  f"{db.stat().st_size / 1e6:.1f} MB")
        for i in range(0, args.handouts, 10):
            (folder / f"td-{i}.json").unlink()
        started = time.perf_counter()
        done = export_sqlite([folder], db, checks=args.checks)
        print(f"after deleting a tenth: {done.written} written, {len(done.removed)} removed, {done.total} held "
              f"in {time.perf_counter() - started:.2f} s")
        connection = sqlite3.connect(db)
        for table, query in (("handouts_fts", "microtravail"), ("quotations_fts", '"travail à la demande"')):
            started = time.perf_counter()
            hits = connection.execute(f"SELECT COUNT(*) FROM {table} WHERE {table} MATCH ?", (query,)).fetchone()[0]
            print(f"{table} MATCH {query}: {hits} rows in {(time.perf_counter() - started) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
