"""The ``tdx`` command: argument handling only; the work is done by the library."""

from __future__ import annotations

import json
import sys
import time
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from pipeline import __version__
from pipeline.batch.runner import (DEFAULT_MAX_BYTES, DEFAULT_MAX_MEMORY_MB, DEFAULT_TIME_LIMIT, RUN_REPORT,
                                   BatchOptions, max_jobs, run_batch)
from pipeline.files import write_atomic
from pipeline.errors import OutputError, TdxError, printable
from pipeline.models import SCHEMA_VERSION
from pipeline.feed.schema import SCHEMAS, render

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help, as click prints it: rich markup would read the brackets of the help texts as
    # tags ("[[concept]]", "tdx[dask]", "[default: all cores]" vanished), and rich's panels kept the
    # docstrings' line breaks at 80 columns.
    rich_markup_mode=None,
)


def _error(message: str) -> None:
    typer.echo(f"Error: {printable(message)}", err=True)


def _limit(value: float, scale: float, option: str, *, ceiling: float) -> float | None:
    """A limit as given on the command line: 0 and ``inf`` mean none; ``nan`` means nothing.
    Past ``ceiling`` a limit is no limit (and would overflow the timer or the byte count)."""
    if value != value:  # nan
        _error(f"{option} nan is not a number. Give a number, or 0 for no limit.")
        raise typer.Exit(2)
    if value == 0 or value * scale > ceiling:
        return None
    return value * scale


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


EXCLUDE_HELP = ("Leave out the files this glob pattern matches: a file or folder name (old, '*.pdf') or "
                "the end of a path ('2023/*.md'); repeatable. A folder's README, SOURCES, LICENSE or "
                "CHANGELOG is left out anyway.")


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


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


class CheckFormat(str, Enum):
    concise = "concise"
    table = "table"
    json = "json"
    github = "github"


def _check_format(given: Optional[CheckFormat], configured: Optional[str]) -> CheckFormat:
    """--format, else the config's, else one line per finding unless stdout is a wide terminal
    (where the table reads best)."""
    import shutil

    if given is not None:
        return given
    if configured:
        return CheckFormat(configured)
    wide = sys.stdout.isatty() and shutil.get_terminal_size().columns >= 100
    return CheckFormat.table if wide else CheckFormat.concise


@app.command()
def check(
    paths: Annotated[Optional[list[Path]], typer.Argument(metavar="HANDOUT",
                                                          help="Handouts (.txt, .md, .pdf), JSON files "
                                                          "written by `tdx extract`, or folders to search.",
                                                          show_default=False)] = None,
    source: Annotated[Optional[Path], typer.Option("--source", "-s", help="The book, to verify every "
                                                   "citation against: a PDF, or a .txt with form feeds "
                                                   "or [[PAGE N]] lines between pages.")] = None,
    sources: Annotated[Optional[Path], typer.Option("--sources", help="A folder of books: each handout is "
                                                    "checked against the one matching its book's title "
                                                    "and author.", metavar="DIR")] = None,
    book_pages: Annotated[Optional[int], typer.Option("--book-pages", min=1, help="The book's last page "
                                                      "(default: the source's).")] = None,
    page_offset: Annotated[int, typer.Option("--page-offset", help="Printed page = PDF page index + K, for "
                                             "a source PDF without printed page numbers or page labels.",
                                             metavar="K")] = 0,
    fail_on: Annotated[Optional[FailOn], typer.Option("--fail-on", help="Exit with 1 when a finding is this "
                                                      "severe or more (default: error).")] = None,
    output_format: Annotated[Optional[CheckFormat], typer.Option(
        "--format", "-f", help="concise (path:line:col: code message; the default unless stdout is a "
        "terminal of 100 columns or more), table, json, or github (GitHub Actions annotations).")] = None,
    select: Annotated[Optional[list[str]], typer.Option(
        "--select", metavar="CODES", help="Report only these codes or severities (comma-separated; 'all').")] = None,
    extend_select: Annotated[Optional[list[str]], typer.Option(
        "--extend-select", metavar="CODES", help="Report these too (e.g. metadata_missing, off by default).")] = None,
    ignore: Annotated[Optional[list[str]], typer.Option(
        "--ignore", metavar="CODES", help="Do not report these codes or severities.")] = None,
    all_references: Annotated[bool, typer.Option("--all-references", help="In a handout citing no page at "
                                                 "all, one missing_reference per quotation instead of one "
                                                 "no_page_references.")] = False,
    statistics: Annotated[bool, typer.Option("--statistics", help="Print how many findings of each code, "
                                             "instead of the findings.")] = False,
    explain: Annotated[Optional[str], typer.Option("--explain", help="Explain a rule (as `tdx rule CODE`) "
                                                   "and exit.", metavar="CODE")] = None,
    metadata: Annotated[bool, typer.Option("--metadata", help="Same as --extend-select metadata_missing: the "
                                           "title-block fields that could not be found.")] = False,
    config_file: Annotated[Optional[Path], typer.Option("--config", help="The tdx.toml or pyproject.toml to "
                                                        "read (default: the first found going up from the "
                                                        "handouts).")] = None,
    timeout: Annotated[float, typer.Option("--timeout", min=0, help="Seconds reading the source, and checking "
                                           "one handout, may take (0: no limit).")] = DEFAULT_TIME_LIMIT,
    exclude: Annotated[Optional[list[str]], typer.Option("--exclude", "-x", metavar="PATTERN", help=EXCLUDE_HELP)
                       ] = None,
) -> None:
    """Check the quotations and page references of handouts, and verify them against the book.

    Exit code: 0 when nothing reaches --fail-on, 1 when something does, 2 when an input or the
    source cannot be read. The rules and their codes: `tdx rule --list`, docs/check.md.

    Example: tdx check raw/ --source book.pdf --ignore info --fail-on warning
    """
    # Imported here: `tdx extract` needs none of the checking machinery.
    from rich.console import Console

    from pipeline.checks.findings import severity_rank
    from pipeline.checks.lint import find_config, load_config, split_codes
    from pipeline.checks.report import concise_lines, github_annotations, render_table, statistics as counts, \
        summary
    from pipeline.checks.run import run_check

    if explain is not None:
        rule(explain)
        return
    if not paths:
        _error("no handout given. Name handouts or folders: tdx check raw/ (or --explain CODE).")
        raise typer.Exit(2)
    try:
        config = load_config(config_file or find_config(paths))
        selection = config.selection
        if select is not None:
            selection.select = split_codes(select)
        selection.extend_select += split_codes(extend_select) or []
        selection.extend_select += ["metadata_missing"] if metadata else []
        selection.ignore += split_codes(ignore) or []
        codes = selection.codes()
    except TdxError as err:
        _error(str(err))
        raise typer.Exit(2)
    run = run_check(paths, config, codes, source=source or config.source,
                    sources_dir=sources or config.sources_dir, book_pages=book_pages, page_offset=page_offset,
                    all_references=all_references or config.all_references, timeout=timeout or None,
                    exclude=tuple(exclude or ()))
    for message in run.errors:
        _error(message)
    for note in run.notes:
        typer.echo(f"Note: {printable(note)}", err=True)
    book = run.report.source
    if book is not None and page_offset and book.numbering not in ("index", "none"):
        typer.echo(f"Note: --page-offset ignored: the pages of {printable(book.path)} carry their numbers "
                   f"({'printed' if book.numbering == 'printed' else 'PDF page labels'}).", err=True)
    report = run.report
    output = _check_format(output_format, config.format)
    if output is not CheckFormat.json:  # JSON escapes control characters itself
        for document in report.documents:
            document.path = printable(document.path)
        if report.source is not None:
            report.source.path = printable(report.source.path)
    if statistics:
        for line in counts(report):
            typer.echo(line)
        typer.echo(summary(report))
    elif output is CheckFormat.json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    elif output is CheckFormat.github:
        for line in github_annotations(report, run.texts):
            typer.echo(line)
    elif output is CheckFormat.concise:
        for line in concise_lines(report, run.texts):
            typer.echo(line)
        typer.echo(summary(report))
    else:
        render_table(report, Console(highlight=False), run.texts)
    if run.failed_inputs:
        raise typer.Exit(2)
    threshold = severity_rank((fail_on.value if fail_on is not None else None) or config.fail_on or "error")
    if any(severity_rank(f.severity) <= threshold for d in report.documents for f in d.findings):
        raise typer.Exit(1)


@app.command()
def rule(
    code: Annotated[Optional[str], typer.Argument(help="A rule code, as `tdx check` prints it.")] = None,
    list_all: Annotated[bool, typer.Option("--list", help="List every code with its severity.")] = False,
) -> None:
    """Explain a rule of `tdx check`: what it means, why it matters, how to fix it, with an example.

    Example: tdx rule wrong_page
    """
    from pipeline.checks.lint import ALL_RULES
    from pipeline.rules import explain

    if list_all or code is None:
        for r in ALL_RULES.values():
            typer.echo(f"{r.code:<30} {r.severity:<8} {r.meaning}" + ("" if r.default else " (off by default)"))
        return
    if code.strip().lower() not in ALL_RULES:
        _error(f"no rule '{code}'. `tdx rule --list` lists the codes.")
        raise typer.Exit(2)
    typer.echo(explain(code.strip().lower()))


class IndexFormat(str, Enum):
    table = "table"
    json = "json"


@app.command()
def export(
    outputs: Annotated[list[Path], typer.Argument(metavar="OUTPUT",
                                                  help="Extracted handouts (.json) or folders of them.")],
    sqlite: Annotated[Optional[Path], typer.Option("--sqlite", help="SQLite database to create or update.")] = None,
    csv: Annotated[Optional[Path], typer.Option("--csv", help="Folder for quotations.csv and "
                                                               "concept_mentions.csv.")] = None,
    checks: Annotated[bool, typer.Option("--checks", help="Also store the findings of tdx check in the "
                                         "database's findings table.")] = False,
    source: Annotated[Optional[Path], typer.Option("--source", "-s", help="The book, to verify every "
                                                   "citation against (implies --checks): a PDF, or a .txt "
                                                   "with form feeds between pages.")] = None,
) -> None:
    """Export extracted handouts to an SQLite database and/or CSV files for spreadsheets.

    Re-exporting a handout replaces its rows; a handout whose JSON is gone from an exported folder
    is removed from the database. docs/database.md documents the tables and example queries.

    Example: tdx export outputs/ --sqlite corpus.db --checks --csv exports/
    """
    from pipeline.feed.export import export_csv, export_sqlite

    if sqlite is None and csv is None:
        _error("nothing to export to: give --sqlite DB and/or --csv DIR.")
        raise typer.Exit(2)
    if (checks or source is not None) and sqlite is None:
        _error("--checks and --source store findings in the database: give --sqlite DB.")
        raise typer.Exit(2)
    book = None
    if source is not None:
        from pipeline.checks.book import load_source

        try:
            book = load_source(source)
        except TdxError as err:
            _error(str(err))
            raise typer.Exit(2) from None
        except Exception as err:  # noqa: BLE001 - a malformed book is the user's to replace
            _error(f"{source}: the source cannot be read ({type(err).__name__}: {err}). Re-export it as PDF "
                   "or .txt.")
            raise typer.Exit(2) from None
    on_error, failed = _skipping()
    try:
        if sqlite is not None:
            done = export_sqlite(outputs, sqlite, on_error=on_error, checks=checks, source=book)
            if done.rebuilt_from is not None:
                typer.echo(f"Note: {printable(str(sqlite))} had the database schema {done.rebuilt_from} of an "
                           "older tdx: rebuilt (docs/database.md); export again any other folder it held.",
                           err=True)
            for path in done.removed:
                typer.echo(f"removed {printable(path)}: its JSON is gone from the folder")
            typer.echo(f"{done.written} handout(s) exported to {printable(str(sqlite))}"
                       + (f", {len(done.removed)} removed" if done.removed else "")
                       + f"; it holds {done.total} handout(s)")
        if csv is not None:
            # The handouts' errors were said once already, for the database.
            counts = export_csv(outputs, csv, on_error=on_error if sqlite is None else _quiet)
            typer.echo(", ".join(f"{n} rows in {csv / name}" for name, n in counts.items()))
    except TdxError as err:
        _error(str(err))
        raise typer.Exit(1) from None
    if failed:
        raise typer.Exit(1)


def _skipping():
    """``on_error`` for the commands reading extracted handouts: each bad file an Error line (a
    second output of one handout a Note), the others still read; ``failed`` counts the errors."""
    from pipeline.feed.handouts import DuplicateHandoutError

    failed: list[TdxError] = []

    def on_error(err: TdxError) -> None:
        if isinstance(err, DuplicateHandoutError):
            typer.echo(f"Note: {printable(str(err))}", err=True)
            return
        failed.append(err)
        _error(str(err))

    return on_error, failed


def _quiet(err: TdxError) -> None:
    pass


@app.command()
def concepts(
    outputs: Annotated[list[Path], typer.Argument(metavar="OUTPUT",
                                                  help="Extracted handouts (.json) or folders of them.")],
    format: Annotated[IndexFormat, typer.Option("--format", "-f", help="table or json.")] = IndexFormat.table,
    top: Annotated[int, typer.Option("--top", min=0, help="Show only the N most used concepts (0: all).")] = 0,
) -> None:
    """The concept index of a corpus: each concept, its variants, how many handouts and mentions.

    Variants are merged across handouts with the same rules as within one handout.

    Example: tdx concepts outputs/ --top 20
    """
    from pipeline.feed.corpus import concept_index

    on_error, failed = _skipping()
    try:
        index = concept_index(outputs, on_error=on_error)
    except TdxError as err:
        _error(str(err))
        raise typer.Exit(1) from None
    if top:
        index = index[:top]
    if format is IndexFormat.json:
        typer.echo(json.dumps([c.model_dump() for c in index], ensure_ascii=False, indent=2))
        if failed:
            raise typer.Exit(1)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(index)} concept(s)", title_justify="left")
    for column in ("concept", "variants", "handouts", "mentions", "in"):
        table.add_column(column, overflow="fold")
    for concept in index:
        names = ", ".join(printable(Path(h).name) for h in concept.handouts[:3])
        names += "…" if len(concept.handouts) > 3 else ""
        table.add_row(concept.label, ", ".join(concept.variants[:4]), str(concept.handout_count),
                      str(concept.mention_count), names)
    Console().print(table)
    if failed:
        raise typer.Exit(1)


@app.command()
def show(
    handout: Annotated[Path, typer.Argument(metavar="HANDOUT", help="A handout (.txt, .md, .pdf), extracted in "
                                            "memory, or its JSON written by tdx extract.")],
    top: Annotated[int, typer.Option("--top", min=0, help="How many concepts to list.")] = 12,
) -> None:
    """A readable summary of one handout: sections, quotations, findings, top concepts.

    Example: tdx show outputs/casilli-en-attendant-les-robots.json   (or: tdx show raw/casilli.txt)
    """
    from rich.console import Console

    from pipeline.feed.handouts import read_handout
    from pipeline.feed.show import summary
    from pipeline.limits import TimeLimitExceeded

    try:
        if handout.is_dir():
            raise TdxError("is a folder; tdx show summarises one handout.", path=str(handout),
                           hint=f"Name one of its files, or run: tdx concepts {handout}")
        if not handout.exists():
            raise TdxError("no such file.", path=str(handout), hint="Check the path and try again.")
        if handout.suffix.lower() == ".json":
            loaded = read_handout(handout)
        else:  # the handout itself: extracted as tdx extract would, kept in memory, in tdx extract's time
            from pipeline import extract
            from pipeline.limits import time_limit

            with time_limit(DEFAULT_TIME_LIMIT):
                loaded = extract(handout)
    except TdxError as err:
        _error(str(err))
        raise typer.Exit(1) from None
    except TimeLimitExceeded:
        _error(f"{handout}: extracting it did not finish within {DEFAULT_TIME_LIMIT:g} s and was stopped "
               f"(timeout). Extract it with tdx extract --timeout 0, then show its JSON.")
        raise typer.Exit(1) from None
    except OSError as err:  # a name too long
        _error(f"{handout}: cannot be read ({err.strerror or err}). Check the name.")
        raise typer.Exit(1) from None
    except Exception as err:  # noqa: BLE001 - a file tdx cannot handle is an Error line, not a traceback
        _error(f"{handout}: cannot be extracted ({type(err).__name__}: {err}). Check that the file opens, or "
               "re-export it.")
        raise typer.Exit(1) from None
    from pipeline import check as run_checks

    Console().print(summary(loaded, findings=run_checks(loaded), top_concepts=top))


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
        try:
            write_atomic(output / name, render(name))
        except OSError as err:  # -o naming a file, or a folder that cannot be written
            _error(f"{output}: cannot write {name} there ({err.strerror or err}). Give -o a writable folder.")
            raise typer.Exit(2) from None
        typer.echo(f"wrote {output / name}")


def run() -> None:
    """The ``tdx`` command: ``app`` run, then an exit without tearing the interpreter down.

    Everything is written and closed by then (outputs go through atomic renames, worker pools are
    joined); what remains is freeing the model's million small objects one by one, 0.7 s of a 3 s
    single-handout run, for nobody. Instagram skips the same teardown for the same reason
    ("Dismissing Python Garbage Collection at Instagram", 2017).
    """
    import os

    try:
        app()
    except SystemExit as stop:
        code = stop.code
    else:
        code = 0
    if isinstance(code, str):  # SystemExit("message"): print it, as Python would
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away (tdx schema | head) wants no more
            pass
    os._exit(code or 0)


if __name__ == "__main__":  # pragma: no cover
    run()
