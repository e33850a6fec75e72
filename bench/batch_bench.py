#!/usr/bin/env python3
"""Batch throughput, speed-up, memory and rerun cost, all measured in one run on this machine.

Usage: .venv/bin/python bench/batch_bench.py [--files 200] [--rounds 2] [--dask] [--single-only] [--workdir DIR]

Builds a corpus of variations of the project's own handouts (raw/ and tests/data/; one in ten is
rendered as a PDF), then measures, side by side:
  - naive: the full spaCy pipeline (every component), one file at a time, `nlp(text)`;
  - tdx --jobs 1 and --jobs 2 (every stage, outputs written, run report);
  - a rerun with nothing changed;
  - one handout through the `tdx` command from the shell (import and model load included), with
    tdx's cache of the model's tables, on the run that writes it, and where none can be written;
  - peak memory per worker, for the first quarter of the corpus and for all of it;
  - with --dask, the same corpus on a Dask LocalCluster of 2 workers;
  - in each round, the speed-up two independent CPU-bound processes get (the ceiling for --jobs 2).
The three batch runs are repeated in interleaved rounds (naive, 1, 2, naive, 1, 2, ...): this
machine's speed drifts by 20% within minutes, so each ratio is taken within a round and the
median over rounds is reported. Tokens are whitespace-separated words on both sides.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.batch.runner import BatchOptions, run_batch  # noqa: E402

BASES = [ROOT / "raw" / "casilli-en-attendant-les-robots.txt", *sorted((ROOT / "tests" / "data").glob("*.*"))]
FIRST_NAMES = ["Camille", "Louise", "Hugo", "Inès", "Yanis", "Chloé", "Mathis", "Léa", "Noah", "Jade"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Garnier", "Faure", "Rousseau", "Blanc"]


def build_corpus(folder: Path, count: int) -> list[Path]:
    """Variations: another presenter, shifted page numbers, paragraphs dropped or repeated."""
    from tests.pdfgen import render_handout

    rng = random.Random(20261129)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        base = BASES[i % len(BASES)]
        raw = base.read_bytes()
        encoding = "cp1252" if b"\r\n" in raw else "utf-8"
        text = raw.decode(encoding)
        shift = rng.randint(0, 40)
        text = re.sub(r"\(p\. ?(\d+)\)", lambda m, shift=shift: f"(p. {int(m.group(1)) + shift})", text)
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        text = re.sub(r"Cyprien Vanhuyse|Camille Ferrandou-Lestrade|Joséphine Arcand", name, text)
        paragraphs = text.split("\n\n")
        head, body = paragraphs[:8], paragraphs[8:]
        body = [p for p in body if rng.random() > 0.1] + rng.sample(body, k=min(3, len(body)))
        text = "\n\n".join(head + body)
        stem = f"{i:03d}-{base.stem}"
        if i % 10 == 9:
            path = folder / f"{stem}.pdf"
            render_handout(text.replace("\r\n", "\n"), path)
        else:
            path = folder / f"{stem}{base.suffix}"
            path.write_bytes(text.encode(encoding))
        paths.append(path)
    return paths


def naive(paths: list[Path], work: Path) -> tuple[float, int]:
    """The approach tdx replaces: the whole model, one file at a time, in a fresh process (as
    tdx's workers are), so that its import and model load count every round."""
    listing = work / "naive-files.txt"
    listing.write_text("\n".join(map(str, paths)), encoding="utf-8")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--naive-files", str(listing)], check=True,
                          capture_output=True, text=True)
    return time.perf_counter() - start, int(done.stdout.split()[-1])


def dask_run(corpus: list[Path], work: Path) -> None:
    """The same corpus on a Dask LocalCluster of 2 worker processes (one thread each), against
    --jobs 2: what Dask itself costs per file. The cluster's own start is timed apart (a real
    cluster is already running); the first run includes each worker's model load."""
    import distributed

    start = time.perf_counter()
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        started = time.perf_counter() - start
        first, report = tdx_dask(corpus, work / "out-dask", cluster.scheduler_address)
        warm, _ = tdx_dask(corpus, work / "out-dask", cluster.scheduler_address)
    n = len(corpus)
    print(f"\ndask LocalCluster, 2 workers: cluster start {started:.1f} s; first run {first:.1f} s "
          f"({n / first:.2f} handouts/s, model loads included), second run {warm:.1f} s ({n / warm:.2f} handouts/s); "
          f"{sum(f.status == 'failed' for f in report.files)} failures")


def tdx_dask(paths: list[Path], out: Path, address: str):
    start = time.perf_counter()
    report = run_batch(paths, out, BatchOptions(force=True, dask=address))
    return time.perf_counter() - start, report


def _naive_run(listing: Path) -> None:
    import pdfplumber
    import spacy

    nlp = spacy.load("fr_core_news_sm")
    words = 0
    for path in map(Path, listing.read_text(encoding="utf-8").splitlines()):
        if path.suffix == ".pdf":
            with pdfplumber.open(path) as pdf:
                text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        else:
            raw = path.read_bytes()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("cp1252")
        nlp(text)
        words += len(text.split())
    print(words)


_SPIN = "x = 0\nfor i in range(25_000_000):\n    x += i * i\n"


def spin(count: int = 1) -> float:
    """Seconds for ``count`` processes each running the same fixed CPU-bound loop at once."""
    start = time.perf_counter()
    for process in [subprocess.Popen([sys.executable, "-c", _SPIN]) for _ in range(count)]:
        process.wait()
    return time.perf_counter() - start


def parallel_ceiling() -> float:
    """The speed-up this machine gives two independent CPU-bound processes right now: the most
    --jobs 2 can get. (Its 2 vCPUs are shared with other machines: two busy processes have been
    seen to run anywhere from 1.1 to 2 times as fast together as one.)"""
    before, both, after = spin(1), spin(2), spin(1)
    return (before + after) / both


def tdx(paths: list[Path], out: Path, jobs: int, force: bool = True):
    start = time.perf_counter()
    report = run_batch(paths, out, BatchOptions(jobs=jobs, force=force))
    return time.perf_counter() - start, report


def single_handout(work: Path, runs: int = 9) -> None:
    """The seed through the `tdx` command, as a user types it: Python start, imports and model load
    included. The model's tables come from tdx's cache (the usual case from the second run on);
    also timed: the very first run (the cache is written) and runs where no cache can be written.
    A fixed CPU-bound loop is timed alongside, so that figures from different days compare."""
    single = ROOT / "raw" / "casilli-en-attendant-les-robots.txt"
    tdx_bin = Path(sys.executable).with_name("tdx")
    blocker = work / "not-a-folder"
    blocker.write_text("")

    def timed(extra: list[str], cache: Path) -> float:
        start = time.perf_counter()
        subprocess.run([str(tdx_bin), "extract", str(single), "-o", str(work / "single"), "-q", "--force", *extra],
                       check=True, env={**os.environ, "TDX_CACHE_DIR": str(cache)})
        return time.perf_counter() - start

    fresh = work / "fresh-cache"
    print(f"\nsingle handout from the shell, first run (cache written): {timed([], fresh):.2f} s")
    spins = [spin()]
    for label, extra, cache in (("all stages", [], fresh), ("all stages, no cache possible", [], blocker / "cache"),
                                ("--no-entities", ["--no-entities"], fresh),
                                ("--no-concepts --no-entities", ["--no-concepts", "--no-entities"], fresh)):
        times = [timed(extra, cache) for _ in range(runs)]
        print(f"single handout from the shell ({label}): median {statistics.median(times):.2f} s of {len(times)}, "
              f"best {min(times):.2f} s, worst {max(times):.2f} s")
        spins.append(spin())
    print(f"(the machine's speed meanwhile: a fixed CPU-bound loop took {min(spins):.2f}-{max(spins):.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--dask", action="store_true", help="also time a Dask LocalCluster of 2 workers")
    parser.add_argument("--single-only", action="store_true", help="only time the single handout from the shell")
    parser.add_argument("--naive-files", type=Path, help=argparse.SUPPRESS)  # the naive run's own process
    args = parser.parse_args()
    if args.naive_files:
        _naive_run(args.naive_files)
        return
    work = args.workdir or Path(tempfile.mkdtemp(prefix="tdx-batch-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ["TDX_CACHE_DIR"] = str(work / "cache")  # the user's own cache neither helps nor changes
    if args.single_only:
        single_handout(work)
        return
    corpus = build_corpus(work / "corpus", args.files)
    pdfs = sum(p.suffix == ".pdf" for p in corpus)
    n = len(corpus)
    print(f"corpus: {n} handouts ({pdfs} PDF) in {work / 'corpus'}\n")

    print(f"{'round':5s} {'run':28s} {'seconds':>8s} {'handouts/s':>11s} {'words/s':>9s}")
    rounds = []
    for r in range(1, args.rounds + 1):
        naive_s, words = naive(corpus, work)
        one_s, one = tdx(corpus, work / "out1", jobs=1)
        two_s, two = tdx(corpus, work / "out2", jobs=2)
        ceiling = parallel_ceiling()
        for label, seconds in (("naive (full spaCy, 1 file)", naive_s), ("tdx --jobs 1", one_s), ("tdx --jobs 2", two_s)):
            print(f"{r:<5d} {label:28s} {seconds:8.1f} {n / seconds:11.2f} {words / seconds:9.0f}")
        print(f"{r:<5d} two CPU-bound processes at once run {ceiling:.2f}x as fast as one (the machine's ceiling)")
        failed = [f for f in (*one.files, *two.files) if f.status == "failed"]
        rounds.append((naive_s, one_s, two_s, len(failed), ceiling))
    rerun_s, rerun = tdx(corpus, work / "out2", jobs=2, force=False)
    quarter = corpus[: max(1, n // 4)]
    _, small = tdx(quarter, work / "out-quarter", jobs=2)

    def median_ratio(a: int, b: int) -> float:
        return statistics.median(row[a] / row[b] for row in rounds)

    print(f"\nmedian over {len(rounds)} rounds, each ratio taken within its round:")
    print(f"speed-up --jobs 2 / --jobs 1: {median_ratio(1, 2):.2f}x   (per round: "
          + ", ".join(f"{row[1] / row[2]:.2f}" for row in rounds) + "; the machine's ceiling per round: "
          + ", ".join(f"{row[4]:.2f}" for row in rounds) + ")")
    print(f"tdx --jobs 2 / naive:         {median_ratio(0, 2):.2f}x   (per round: "
          + ", ".join(f"{row[0] / row[2]:.2f}" for row in rounds) + f"; --jobs 1 / naive: {median_ratio(0, 1):.2f}x)")
    print(f"rerun, nothing changed:       {rerun_s:.2f} s = {100 * rerun_s / statistics.median(r[2] for r in rounds):.1f} % "
          f"of a --jobs 2 run ({rerun.skipped} skipped, {rerun.processed} redone)")
    print(f"failures: {sum(r[3] for r in rounds)}")

    if args.dask:
        dask_run(corpus, work)

    def peak(report):
        return max((f.worker_peak_rss_mb or 0) for f in report.files)

    print(f"\npeak memory per worker: {peak(small):.0f} MB for {len(quarter)} files, {peak(two):.0f} MB for {n} files")

    single_handout(work)
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
