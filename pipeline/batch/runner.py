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
from pipeline.errors import TdxError
from pipeline.extract import extract, extraction_options
from pipeline.files import atomic_writer, write_atomic
from pipeline.models import FileError, FileRecord, RunReport

RUN_REPORT = "_run.json"
DEFAULT_TIME_LIMIT = 120.0  # seconds per file; a 100-page PDF handout takes about 15 s
DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # handouts are kilobytes; a 50 MB file is a mistake


def sha256_file(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _up_to_date(output: Path, sha256: str, fingerprint: str) -> bool:
    """Whether ``output`` was made from these input bytes with these options by this version."""
    try:
        with open(output, encoding="utf-8") as handle:
            data = json.load(handle)
        return data["source"]["sha256"] == sha256 and data["extraction"]["fingerprint"] == fingerprint
    except (OSError, ValueError, KeyError, TypeError):
        return False  # missing, half-written by an old version, or edited by hand: redo it


def process_one(task: tuple[str, str], *, concepts: bool = True, entities: bool = True,
                glossary: str | None = None, time_limit: float | None = None) -> FileRecord:
    """Extract one file and write its JSON: the unit of work of every executor (in-process,
    worker processes, Dask). Never raises for a bad file: failures are records."""
    import resource
    import signal
    import threading

    path, output = task
    started = time.perf_counter()
    alarm = time_limit and threading.current_thread() is threading.main_thread()
    if alarm:
        def _expired(signum, frame):
            raise TimeoutError

        signal.signal(signal.SIGALRM, _expired)
        signal.setitimer(signal.ITIMER_REAL, time_limit)
    try:
        handout = extract(Path(path), concepts=concepts, entities=entities,
                          glossary=_glossary(glossary) if glossary else None)
        write_atomic(Path(output), handout.model_dump_json(indent=2) + "\n")
        record = FileRecord(path=path, output=Path(output).name, status="processed", sha256=handout.source.sha256,
                            chars=len(handout.text), tokens=len(handout.text.split()))
    except TdxError as err:
        record = _failure(path, err.code, str(err))
    except TimeoutError:
        record = _failure(path, "timeout", f"{path}: extraction did not finish within {time_limit:g} s and was "
                                           "stopped. Raise --timeout if the file is legitimately long.")
    except MemoryError:
        record = _failure(path, "out_of_memory", f"{path}: ran out of memory. Split the file or raise the limit.")
    except OSError as err:
        record = _failure(path, "unreadable", f"{path}: cannot be read ({err.strerror or err}). Check its permissions.")
    except Exception as err:  # noqa: BLE001 - a bug must cost one file, not the batch
        record = _failure(path, "internal_error", f"{path}: tdx failed on this file ({type(err).__name__}: {err}). "
                                                  "Please report it with the file attached.")
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
    record.seconds = round(time.perf_counter() - started, 4)
    record.worker_peak_rss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return record


@lru_cache(maxsize=4)
def _glossary(path: str):
    """The glossary a worker was given, read once per process instead of once per file."""
    from pipeline.stages.glossary import Glossary

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
        from pipeline.stages.glossary import Glossary

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
            size = file.stat().st_size
            if options.max_bytes and size > options.max_bytes:
                records[str(file)] = _failure(
                    str(file), "too_large", f"{file}: {size / 1e6:.1f} MB is over the {options.max_bytes / 1e6:.0f} MB "
                                            "limit for one handout. Check the file, or raise --max-size.")
                continue
            sha = sha256_file(file)
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
        for record in _execute(tasks, worker_options, jobs=jobs, dask=options.dask, time_limit=options.time_limit):
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


def _execute(tasks, worker_options, *, jobs: int, dask: str | None, time_limit: float | None):
    if not tasks:
        return  # nothing to do: no worker is started and no model is loaded
    if dask:
        yield from _execute_dask(tasks, worker_options, dask)
        return
    if len(tasks) == 1:
        # One file (the common `tdx extract handout.pdf`): no worker to spawn; the time limit
        # still holds (an alarm in this main thread).
        yield process_one(tasks[0], **worker_options)
        return
    from pipeline.batch.workers import WorkerPool

    pool = WorkerPool(process_one, jobs=min(jobs, len(tasks)), options=worker_options, time_limit=time_limit,
                      on_lost=lambda task, code, message: _failure(task[0], code, f"{task[0]}: {message}"))
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
