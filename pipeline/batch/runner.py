"""Many handouts in one run: skipping what is up to date, extracting the rest in worker processes
(or on a Dask cluster), and reporting on every file. Which files, under which names: ``inputs``.

A bad file never stops the run: its error is recorded in ``_run.json`` and the other files are
still processed. Outputs are written atomically, so an interrupted run leaves no half-written JSON
and the next run resumes where it stopped (finished files are up to date and skipped).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from pipeline import __version__
from pipeline.batch.inputs import discover, output_names
from pipeline.errors import NotRegularFileError, TdxError
from pipeline.extract import extract, extraction_options
from pipeline.files import atomic_writer, read_regular, regular_file, write_atomic
from pipeline.limits import TimeLimitExceeded
from pipeline.limits import time_limit as limit_time
from pipeline.models import FileError, FileRecord, RunReport

RUN_REPORT = "_run.json"
DEFAULT_TIME_LIMIT = 120.0  # seconds per file; a 100-page PDF handout takes about 15 s
DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # handouts are kilobytes; a 50 MB file is a mistake
# The resident memory one worker may use. A worker takes 0.25 GB with the model loaded and about
# 0.75 GB for 2 MB of text (bench/robust_bench.py); what runs over 4 GB is a bomb or a bug.
DEFAULT_MAX_MEMORY_MB = 4000.0


def sha256_file(path: Path) -> str:
    import hashlib

    regular_file(path)  # a FIFO or /dev/zero would be read forever, before any time limit exists
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _up_to_date(output: Path, sha256: str, fingerprint: str) -> bool:
    """Whether ``output`` was made from these input bytes with these options by this version."""
    try:
        data = json.loads(read_regular(output))
        return data["source"]["sha256"] == sha256 and data["extraction"]["fingerprint"] == fingerprint
    except (OSError, ValueError, KeyError, TypeError, NotRegularFileError):
        return False  # missing, half-written by an old version, or edited by hand: redo it


def warm_up(*, concepts: bool = True, entities: bool = True, glossary: str | None = None, **_) -> None:
    """Load what every file of a process needs (the model, its lexicon, the word frequencies, the
    glossary) before the first file's clock starts: its time limit is for the file, not for the
    1-3 s of loading. A failure here is left for the file to report."""
    try:
        needs = frozenset({"lemmas"} if concepts else set()) | frozenset({"entities"} if entities else set())
        if needs:
            from pipeline import nlp

            nlp.lexicon(needs)
        if concepts:
            from pipeline.stages.concept_words import general_zipf

            general_zipf("travail")
        if glossary:
            _glossary(glossary)
    except Exception:  # noqa: BLE001 - the file's own extraction raises it again and reports it
        pass


def process_one(task: tuple[str, str], *, concepts: bool = True, entities: bool = True,
                glossary: str | None = None, time_limit: float | None = None) -> FileRecord:
    """Extract one file and write its JSON: the unit of work of every executor (worker processes,
    Dask). Never raises for a bad file: failures are records."""
    import resource

    path, output = task
    warm_up(concepts=concepts, entities=entities, glossary=glossary)
    started = time.perf_counter()
    try:
        with limit_time(time_limit):
            handout = extract(Path(path), concepts=concepts, entities=entities,
                              glossary=_glossary(glossary) if glossary else None)
            write_atomic(Path(output), handout.model_dump_json(indent=2) + "\n")
        record = FileRecord(path=path, output=Path(output).name, status="processed", sha256=handout.source.sha256,
                            chars=len(handout.text), tokens=len(handout.text.split()))
    except TimeLimitExceeded:
        record = _failure(path, "timeout", timeout_message(path, time_limit))
    except TdxError as err:
        record = _failure(path, err.code, str(err))
    except MemoryError:
        record = _failure(path, "out_of_memory", out_of_memory_message(path))
    except OSError as err:
        record = _failure(path, "unreadable", f"{path}: cannot be read ({err.strerror or err}). Check its permissions.")
    except Exception as err:  # noqa: BLE001 - a bug must cost one file, not the batch
        record = _failure(path, "internal_error", f"{path}: tdx failed on this file ({type(err).__name__}: {err}). "
                                                  "Please report it with the file attached.")
    record.seconds = round(time.perf_counter() - started, 4)
    record.worker_peak_rss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return record


def timeout_message(path: str, seconds: float | None) -> str:
    return (f"{path}: extraction did not finish within {seconds:g} s and was stopped (timeout). "
            "Raise --timeout if the file is legitimately long.")


def out_of_memory_message(path: str) -> str:
    return f"{path}: extraction ran out of memory (out_of_memory). Split the file, or raise --max-memory."


@lru_cache(maxsize=4)
def _glossary(path: str):
    """The glossary a worker was given, read once per process instead of once per file."""
    from pipeline.stages.concepts import Glossary

    return Glossary.load(path)


def _failure(path: str, code: str, message: str) -> FileRecord:
    return FileRecord(path=path, output=None, status="failed", error=FileError(code=code, message=message))


@dataclass
class BatchOptions:
    concepts: bool = True
    entities: bool = True
    glossary: str | None = None  # path to a TOML glossary
    jobs: int | None = None  # None: all cores
    force: bool = False
    time_limit: float | None = DEFAULT_TIME_LIMIT
    max_bytes: int | None = DEFAULT_MAX_BYTES
    max_memory_mb: float | None = DEFAULT_MAX_MEMORY_MB  # resident memory of one worker
    jsonl: Path | None = None
    dask: str | None = None  # scheduler address


def run_batch(paths: list[Path], out_dir: Path, options: BatchOptions | None = None, *,
              on_start: Callable[[int], None] | None = None,
              on_file: Callable[[FileRecord], None] | None = None) -> RunReport:
    """Extract every handout under ``paths`` into ``out_dir`` and write ``out_dir/_run.json``.

    ``on_start(n)`` is told how many files will be extracted, ``on_file`` gets every record
    (processed, skipped or failed) as it comes. Interrupting the run (KeyboardInterrupt) still
    writes the report, marked ``interrupted``, before the exception propagates.
    """
    options = options or BatchOptions()
    started_at, clock = datetime.now(timezone.utc), time.perf_counter()
    glossary = None
    if options.glossary:
        from pipeline.stages.concepts import Glossary

        glossary = Glossary.load(options.glossary)
    extraction = extraction_options(concepts=options.concepts, entities=options.entities, glossary=glossary)
    jobs = options.jobs or os.cpu_count() or 1

    files, failures = discover(paths)
    names = output_names(files)
    records: dict[str, FileRecord] = {}
    order = [str(file) for file, _ in files]
    for failure in failures:
        records[failure.path] = _failure(failure.path, failure.code, failure.message)
        order.append(failure.path)
    tasks: list[tuple[str, str]] = []
    for file, _ in files:
        output = out_dir / names[file]
        try:
            size = regular_file(file).st_size
            if options.max_bytes and size > options.max_bytes:
                records[str(file)] = _failure(
                    str(file), "too_large", f"{file}: {size / 1e6:.1f} MB is over the {options.max_bytes / 1e6:.0f} MB "
                                            "limit for one handout. Check the file, or raise --max-size.")
                continue
            sha = sha256_file(file)
        except NotRegularFileError as err:  # swapped for a FIFO since it was found
            records[str(file)] = _failure(str(file), err.code, str(err))
            continue
        except OSError as err:
            records[str(file)] = _failure(str(file), "unreadable", f"{file}: cannot be read ({err.strerror}).")
            continue
        if not options.force and _up_to_date(output, sha, extraction.fingerprint):
            records[str(file)] = FileRecord(path=str(file), output=output.name, status="skipped", sha256=sha)
        else:
            tasks.append((str(file), str(output)))
    for record in records.values():
        if on_file:
            on_file(record)
    if on_start:
        on_start(len(tasks))

    worker_options = {"concepts": options.concepts, "entities": options.entities, "glossary": options.glossary,
                      "time_limit": options.time_limit}
    interrupted = False
    try:
        for record in _execute(tasks, worker_options, jobs=jobs, dask=options.dask, time_limit=options.time_limit,
                               max_memory_mb=options.max_memory_mb):
            records[record.path] = record
            if on_file:
                on_file(record)
    except KeyboardInterrupt:
        interrupted = True
        raise
    finally:
        report = RunReport(
            tool_version=__version__, extraction=extraction, started_at=started_at.isoformat(timespec="seconds"),
            finished_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            seconds=round(time.perf_counter() - clock, 3), jobs=jobs, executor="dask" if options.dask else "processes",
            interrupted=interrupted,
            processed=sum(r.status == "processed" for r in records.values()),
            skipped=sum(r.status == "skipped" for r in records.values()),
            failed=sum(r.status == "failed" for r in records.values()),
            files=[records[path] for path in order if path in records],
        )
        write_atomic(out_dir / RUN_REPORT, report.model_dump_json(indent=2) + "\n")
        if options.jsonl and not interrupted:
            write_jsonl(options.jsonl, [out_dir / r.output for r in report.files if r.output])
    return report


def _execute(tasks, worker_options, *, jobs: int, dask: str | None, time_limit: float | None,
             max_memory_mb: float | None):
    if not tasks:
        return  # nothing to do: no worker is started and no model is loaded
    if dask:
        yield from _execute_dask(tasks, worker_options, dask)
        return
    from pipeline.batch.workers import WorkerPool

    # One file too (the common `tdx extract handout.pdf`) runs in a worker: only from outside can a
    # process be stopped at its memory ceiling, or in code that never returns to Python, and its
    # failure still be reported (an OOM kill of the process itself would leave no error, no report).
    def lost(task, code, message):
        message = timeout_message(task[0], time_limit) if code == "timeout" else f"{task[0]}: {message}"
        return _failure(task[0], code, message)

    pool = WorkerPool(process_one, jobs=min(jobs, len(tasks)), options=worker_options, time_limit=time_limit,
                      max_memory_mb=max_memory_mb, warm_up=warm_up, on_lost=lost)
    yield from pool.run(tasks)


def _execute_dask(tasks, worker_options, address: str):
    """The same per-file function on a Dask cluster. Each Dask worker process loads the model
    once (it is cached per process). Files go to the workers, so the cluster must see the same
    paths (a shared file system), like any Dask job reading files."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise TdxError("Dask is not installed.", hint="Install the extra: pip install 'tdx[dask]'.") from None
    with Client(address) as client:
        futures = [client.submit(process_one, task, pure=False, **{**worker_options, "time_limit": None})
                   for task in tasks]
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as err:  # noqa: BLE001 - a lost worker or task costs one file
                task = tasks[futures.index(future)]
                yield _failure(task[0], "worker_died", f"{task[0]}: the Dask task failed ({err}).")


def write_jsonl(path: Path, outputs: list[Path]) -> None:
    """The corpus as JSON Lines, one handout a line, streamed file by file (never all in memory)."""
    with atomic_writer(path) as out:
        for output in outputs:
            with open(output, encoding="utf-8") as handle:
                out.write(json.dumps(json.load(handle), ensure_ascii=False, separators=(",", ":")) + "\n")
