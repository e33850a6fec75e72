"""The ``tdx`` command: argument handling only; the work is done by the library."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from pipeline import __version__
from pipeline.batch import DEFAULT_MAX_BYTES, DEFAULT_TIME_LIMIT, RUN_REPORT, BatchOptions, run_batch, write_atomic
from pipeline.errors import TdxError
from pipeline.stages.concepts import Glossary
from pipeline.models import SCHEMA_VERSION
from pipeline.schema import SCHEMAS, render

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _error(message: str) -> None:
    typer.echo(f"Error: {message}", err=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tdx {__version__} (JSON schema {SCHEMA_VERSION})")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True,
                                                    help="Show the version and exit.")] = None,
) -> None:
    """tdx: French seminar handouts (TD, fiches de lecture) in, validated JSON out.

    Example: tdx extract raw/ -o outputs/
    """


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Handout files (.txt, .md, .pdf), folders (searched "
                                                     "recursively) or quoted glob patterns.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the JSON files.")] = Path("outputs"),
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="Worker processes "
                                                "[default: all cores].")] = None,
    force: Annotated[bool, typer.Option("--force", help="Redo files whose output is up to date.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar; print errors and the "
                                                             "summary only.")] = False,
    glossary: Annotated[Optional[Path], typer.Option("--glossary", "-g", help="TOML glossary of the book's "
                                                     "concepts: [[concept]] label, aliases, definition.")] = None,
    concepts: Annotated[bool, typer.Option("--concepts/--no-concepts", help="Find the book's concepts.")] = True,
    entities: Annotated[bool, typer.Option("--entities/--no-entities",
                                           help="Find people, organisations and works.")] = True,
    timeout: Annotated[float, typer.Option("--timeout", min=0, help="Seconds one file may take (0: no "
                                                                    "limit).")] = DEFAULT_TIME_LIMIT,
    max_size: Annotated[float, typer.Option("--max-size", min=0, help="Largest input file in MB (0: no "
                                                                      "limit).")] = DEFAULT_MAX_BYTES / 1e6,
    jsonl: Annotated[Optional[Path], typer.Option("--jsonl", help="Also write the whole corpus as JSON "
                                                                  "Lines to this file.")] = None,
    dask: Annotated[Optional[str], typer.Option("--dask", help="Run on a Dask cluster at this scheduler "
                                                               "address (pip install 'tdx[dask]').")] = None,
) -> None:
    """Extract metadata, sections, quotations, references, concepts and entities into JSON.

    One JSON per handout, named after the input without its extension
    (raw/casilli.txt -> outputs/casilli.json; see the README for colliding names), and a run report
    outputs/_run.json. Files whose output is up to date (same content, same tdx, same options)
    are skipped, so an interrupted run resumes where it stopped.

    Example: tdx extract raw/ -o outputs/ --jobs 2 --glossary casilli.toml
    """
    if glossary is not None:
        try:
            Glossary.load(glossary)  # fail before any work, with the file's name
        except TdxError as err:
            _error(str(err))
            raise typer.Exit(2) from None
    options = BatchOptions(concepts=concepts, entities=entities, glossary=str(glossary) if glossary else None,
                           jobs=jobs, force=force, time_limit=timeout or None,
                           max_bytes=int(max_size * 1e6) or None, jsonl=jsonl, dask=dask)
    progress = _Progress(quiet)
    try:
        with progress:
            report = run_batch(paths, output, options, on_start=progress.start, on_file=progress.advance)
    except KeyboardInterrupt:
        _error(f"interrupted; finished files are in {output}/ and the next run resumes from there.")
        raise typer.Exit(130) from None
    except TdxError as err:
        _error(str(err))
        raise typer.Exit(2) from None
    summary = (f"{report.processed} extracted, {report.skipped} up to date, {report.failed} failed "
               f"in {report.seconds:.1f} s -> {output}/ (report: {output / RUN_REPORT})")
    if report.failed:
        typer.echo(summary, err=True)
        raise typer.Exit(1)
    if not quiet:
        typer.echo(summary)


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
            message = f"Error: {record.error.message}"
            (self.bar.console.print(message, markup=False, highlight=False) if self.bar
             else typer.echo(message, err=True))
        if self.bar is None or record.status == "skipped" and record.seconds is None:
            return
        if record.status == "failed" and record.seconds is None:
            return  # found before extraction (missing, too large): not one of the files to extract
        done = self.bar.tasks[0].completed + 1
        rate = done / max(time.monotonic() - self.started, 1e-6)
        self.bar.update(self.task, advance=1, rate=f"{rate:.1f}", failed=self.failed)


@app.command()
def schema(
    output: Annotated[Optional[Path], typer.Option("--output", "-o",
                                                   help="Folder to write the schema files into "
                                                        "(default: print the handout schema).")] = None,
) -> None:
    """Print or write the JSON Schema of the output.

    Example: tdx schema -o schemas/
    """
    if output is None:
        sys.stdout.write(render())
        return
    for name in SCHEMAS:
        write_atomic(output / name, render(name))
        typer.echo(f"wrote {output / name}")


if __name__ == "__main__":  # pragma: no cover
    app()
