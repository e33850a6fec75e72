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
from pipeline.batch.inputs import discover
from pipeline.batch.names import INDEX, RUN_REPORT, Naming, assign_names, name_key
from pipeline.errors import NotRegularFileError, OutputError, TdxError
from pipeline.extract import extract, extraction_options
from pipeline.files import atomic_writer, read_regular, regular_file, write_atomic
from pipeline.limits import TimeLimitExceeded
from pipeline.limits import time_limit as limit_time
from pipeline.ingest.office import expanded_size
from pipeline.models import FileError, FileRecord, RunReport

DEFAULT_TIME_LIMIT = 120.0  # seconds per file; a 100-page PDF handout takes about 15 s
DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # handouts are kilobytes; a 50 MB file is a mistake
_DASK_CONNECT_SECONDS = 10  # a scheduler on the network answers in milliseconds; a wrong address never


def max_jobs() -> int:
    """The most worker processes a run starts: twice the cores. Each worker holds its own model
    (about 0.3 GB); past the cores, more workers only wait for a core while holding memory."""
    return 2 * (os.cpu_count() or 1)

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
            try:
                write_atomic(Path(output), handout.model_dump_json(indent=2) + "\n")
            except OSError as err:  # the output folder's fault (full, read-only), not the input's
                raise OutputError(f"its output {output} cannot be written ({err.strerror or err}).", path=path,
                                  hint=_OUTPUT_HINT) from None
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
    max_memory_mb: float | None = DEFAULT_MAX_MEMORY_MB  # resident memory of one worker
    jsonl: Path | None = None
    dask: str | None = None  # scheduler address
    exclude: tuple[str, ...] = ()  # --exclude: glob patterns of files not to read (inputs.excluded)


def run_batch(paths: list[Path], out_dir: Path, options: BatchOptions | None = None, *,
              on_start: Callable[[int], None] | None = None,
              on_file: Callable[[FileRecord], None] | None = None,
              on_note: Callable[[str], None] | None = None) -> RunReport:
    """Extract every handout under ``paths`` into ``out_dir`` and write ``out_dir/_run.json``.

    ``on_start(n)`` is told how many files will be extracted, ``on_file`` gets every record
    (processed, skipped or failed) as it comes, ``on_note`` what the run did besides (an older
    output of an input removed). Interrupting the run (KeyboardInterrupt) still
    writes the report, marked ``interrupted``, before the exception propagates.
    """
    options = options or BatchOptions()
    started_at, clock = datetime.now(timezone.utc), time.perf_counter()
    glossary = None
    if options.glossary:
        from pipeline.stages.glossary import Glossary

        glossary = Glossary.load(options.glossary)
    extraction = extraction_options(concepts=options.concepts, entities=options.entities, glossary=glossary)
    jobs = min(options.jobs or os.cpu_count() or 1, max_jobs())

    files, failures = discover(paths, exclude=options.exclude, on_note=on_note)
    naming = _prepare_output(out_dir, files, options.jsonl)
    names = naming.names
    for output, file in naming.superseded:
        if on_note:
            on_note(f"{output}: removed, an older output of {file} (now {out_dir / names[file]}).")
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
                    str(file), "too_large", f"{file}: {size / 2**20:.1f} MB is over the "
                                            f"{options.max_bytes / 2**20:.0f} MB "
                                            "limit for one handout. Check the file, or raise --max-size.")
                continue
            if options.max_bytes and (expanded := expanded_size(file)) and expanded > options.max_bytes:
                # An office archive is judged by what it expands to: a zip bomb is small on disk.
                records[str(file)] = _failure(
                    str(file), "too_large", f"{file}: expands to {expanded / 1e6:.1f} MB, over the "
                                            f"{options.max_bytes / 1e6:.0f} MB limit for one handout (a zip bomb, "
                                            "or a file full of images). Check the file, or raise --max-size.")
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
        try:
            write_atomic(out_dir / RUN_REPORT, report.model_dump_json(indent=2) + "\n")
        except OSError as err:
            unwritten = OutputError(f"the run report cannot be written ({err.strerror or err}){_elsewhere(report)}.",
                                    path=str(out_dir / RUN_REPORT), hint=_OUTPUT_HINT)
            unwritten.report = report
            if not interrupted:
                raise unwritten from None
    if options.jsonl:
        try:
            write_jsonl(options.jsonl, [out_dir / r.output for r in report.files if r.output])
        except OSError as err:
            unwritten = OutputError(f"cannot be written ({err.strerror or err}).", path=str(options.jsonl),
                                    hint="Choose a writable file for --jsonl.")
            unwritten.report = report
            raise unwritten from None
    return report


_OUTPUT_HINT = "Check the output folder's permissions and free space, or choose another with -o."


def _elsewhere(report: RunReport) -> str:
    """The run report kept in the temporary folder when the output folder takes nothing more."""
    import tempfile

    try:
        handle, path = tempfile.mkstemp(prefix="tdx-run-", suffix=".json")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(report.model_dump_json(indent=2) + "\n")
    except OSError:
        return ""
    return f"; it is in {path} instead"


def _prepare_output(out_dir: Path, files: list[tuple[Path, Path]], jsonl: Path | None) -> Naming:
    """The output folder made (or refused) and every input's output name, before any work: a
    folder that cannot be written is the run's error, not each file's."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError("is a file, not a folder.", path=str(out_dir),
                          hint="Give -o a folder (it is created if missing).")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        naming = assign_names(files, out_dir)
    except OSError as err:
        raise OutputError(f"the output folder cannot be written ({err.strerror or err}).", path=str(out_dir),
                          hint="Check its permissions and free space, or choose another with -o.") from None
    if jsonl is not None:
        if jsonl.resolve() in {file.resolve() for file, _ in files}:
            raise OutputError("is one of the handouts to extract; --jsonl would overwrite it.", path=str(jsonl),
                              hint="Give --jsonl a new file name, such as corpus.jsonl.")
        if jsonl.is_dir():
            raise OutputError("is a folder; --jsonl wants a file name.", path=str(jsonl),
                              hint="For example: --jsonl corpus.jsonl")
        if not _replaceable_jsonl(jsonl):
            raise OutputError("exists and is not a corpus tdx wrote; --jsonl would overwrite it.", path=str(jsonl),
                              hint="Give --jsonl a new file name, or remove the file first.")
        if jsonl.resolve().parent == out_dir.resolve() and (
                name_key(jsonl.name) in {name_key(n) for n in (*naming.names.values(), RUN_REPORT, INDEX)}
                or jsonl.suffix.lower() == ".json"):
            raise OutputError("would overwrite an output of this folder (or pass for one).", path=str(jsonl),
                              hint="Write the JSON Lines outside the output folder, or name it *.jsonl.")
    return naming


def _replaceable_jsonl(path: Path) -> bool:
    """Whether ``--jsonl`` may replace ``path``: missing, empty, or JSON Lines tdx wrote (each line
    a handout, ``schema_version`` first). Anything else is someone's file."""
    import stat

    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return False  # a FIFO or a device: opening it could block, and it is not ours to replace
        with open(path, "rb") as handle:
            start = handle.read(64)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return not start.strip() or start.startswith(b'{"schema_version":')


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
    try:
        client = Client(address, timeout=_DASK_CONNECT_SECONDS)
    except (OSError, ValueError, TypeError) as err:  # unreachable, or not an address at all
        raise TdxError(f"cannot reach the Dask scheduler at {address!r} ({err}).",
                       hint="Check the address (tcp://host:8786) and that the scheduler is running.") from None
    with client:
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
