"""``tdx extract``: handouts in, one JSON each out, with a progress bar and a run report."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from pipeline.batch.runner import (DEFAULT_MAX_BYTES, DEFAULT_MAX_MEMORY_MB, DEFAULT_TIME_LIMIT, RUN_REPORT,
                                   BatchOptions, max_jobs, run_batch)
from pipeline.errors import OutputError, TdxError, printable
from pipeline.cli import EXCLUDE_HELP, _error, _limit, app


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(metavar="PATH",
                                                help="Handout files (.txt, .md, .pdf), folders (searched "
                                                     "recursively) or quoted glob patterns.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the JSON files.")] = Path("outputs"),
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="Worker processes "
                                                "[default: all cores].")] = None,
    force: Annotated[bool, typer.Option("--force", help="Redo files whose output is up to date.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar; print errors and the "
                                                             "one-line summary only.")] = False,
    glossary: Annotated[Optional[Path], typer.Option("--glossary", "-g", help="TOML glossary of the book's "
                                                     "concepts: [[concept]] label, aliases, definition.")] = None,
    concepts: Annotated[bool, typer.Option("--concepts/--no-concepts", help="Find the book's concepts.")] = True,
    entities: Annotated[bool, typer.Option("--entities/--no-entities",
                                           help="Find people, organisations and works.")] = True,
    timeout: Annotated[float, typer.Option("--timeout", min=0, help="Seconds one file may take (0: no "
                                                                    "limit).")] = DEFAULT_TIME_LIMIT,
    max_size: Annotated[float, typer.Option("--max-size", min=0, help="Largest input file in MB of 2^20 "
                                                                      "bytes (0: no limit).")
                        ] = DEFAULT_MAX_BYTES / 2**20,
    max_memory: Annotated[float, typer.Option("--max-memory", min=0, help="Memory one worker may use, in "
                                                                          "MB (0: no limit).")] = DEFAULT_MAX_MEMORY_MB,
    jsonl: Annotated[Optional[Path], typer.Option("--jsonl", help="Also write the whole corpus as JSON "
                                                                  "Lines to this file.")] = None,
    dask: Annotated[Optional[str], typer.Option("--dask", help="Run on a Dask cluster at this scheduler "
                                                               "address (pip install 'tdx[dask]').")] = None,
    exclude: Annotated[Optional[list[str]], typer.Option("--exclude", "-x", metavar="PATTERN", help=EXCLUDE_HELP)
                       ] = None,
) -> None:
    """Extract metadata, sections, quotations, references, concepts and entities into JSON.

    One JSON per handout, named after the input without its extension
    (raw/casilli.txt -> outputs/casilli.json; docs/batch.md for colliding names), a name kept from
    run to run (outputs/_names.jsonl), and a run report outputs/_run.json. Files whose output is up
    to date (same content, same tdx, same options) are skipped, so an interrupted run resumes where
    it stopped.

    Example: tdx extract raw/ -o outputs/ --jobs 2 --glossary casilli.toml
    """
    # A bad glossary stops the run before any work (run_batch reads it first): exit code 2.
    time_limit = _limit(timeout, 1, "--timeout", ceiling=1e9)  # 30 years
    max_bytes = _limit(max_size, 2**20, "--max-size", ceiling=1e18)  # an exabyte
    if jobs and jobs > max_jobs():
        typer.echo(f"Note: --jobs {jobs} lowered to {max_jobs()} (twice the cores): more workers would only "
                   "hold memory while waiting for a core.", err=True)
    options = BatchOptions(concepts=concepts, entities=entities, glossary=str(glossary) if glossary else None,
                           jobs=jobs, force=force, time_limit=time_limit,
                           max_bytes=int(max_bytes) if max_bytes else None, max_memory_mb=max_memory or None,
                           jsonl=jsonl, dask=dask, exclude=tuple(exclude or ()))
    progress = _Progress(quiet)
    try:
        with progress:
            report = run_batch(paths, output, options, on_start=progress.start, on_file=progress.advance,
                               on_note=lambda note: typer.echo(f"Note: {printable(note)}", err=True))
    except KeyboardInterrupt:
        _error(f"interrupted; finished files are in {output}/ and the next run resumes from there.")
        raise typer.Exit(130) from None
    except OutputError as err:
        _error(str(err))
        report = getattr(err, "report", None)
        if report is None:  # refused before any work: the output folder or --jsonl
            raise typer.Exit(2) from None
        typer.echo(f"{report.processed} extracted, {report.skipped} up to date, {report.failed} failed "
                   f"in {report.seconds:.1f} s -> {printable(str(output))}/", err=True)
        raise typer.Exit(1) from None
    except TdxError as err:
        _error(str(err))
        raise typer.Exit(2) from None
    summary = (f"{report.processed} extracted, {report.skipped} up to date, {report.failed} failed "
               f"in {report.seconds:.1f} s -> {output}/ (report: {output / RUN_REPORT})")
    summary = printable(summary)
    if report.failed:
        typer.echo(summary, err=True)
        raise typer.Exit(1)
    typer.echo(summary)  # -q too: its help promises the summary
    if report.skipped and not report.processed:
        # A fresh clone holds outputs/ already: "0 extracted" must not read as "nothing works".
        typer.echo(f"Note: every output in {printable(str(output))}/ is up to date (same input, same tdx, same "
                   "options), so nothing was extracted again; --force extracts them anew.", err=True)


class _Progress:
    """A rich progress bar on stderr: files done, files/s, ETA and failures; errors print above it."""

    def __init__(self, quiet: bool):
        from rich.console import Console

        self.quiet = quiet
        self.console = Console(stderr=True)
        self.bar = None
        self.task = None
        self.failed = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()

    def start(self, total: int) -> None:
        if self.quiet or not total:
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[rate]} files/s"), TextColumn("ETA"), TimeRemainingColumn(),
                            TextColumn("[red]{task.fields[failed]} failed"), console=self.console)
        self.task = self.bar.add_task("extract", total=total, rate="-", failed=0)
        self.started = time.monotonic()
        self.bar.start()

    def advance(self, record) -> None:
        if record.status == "failed":
            self.failed += 1
            message = f"Error: {printable(record.error.message)}"
            if self.bar is not None:
                self.bar.console.print(message, markup=False, highlight=False)
            else:
                typer.echo(message, err=True)
        # Records reported before start() (up-to-date files, files missing or too large) are not
        # among the files to extract; every record after it is one of them, a lost one included.
        if self.bar is None:
            return
        done = self.bar.tasks[0].completed + 1
        rate = done / max(time.monotonic() - self.started, 1e-6)
        self.bar.update(self.task, advance=1, rate=f"{rate:.1f}", failed=self.failed)
