"""``tdx export``, ``tdx concepts``, ``tdx show``, ``tdx schema``: what other programs and people read."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from pipeline.batch.runner import DEFAULT_TIME_LIMIT
from pipeline.files import write_atomic
from pipeline.errors import TdxError, printable
from pipeline.feed.schema import SCHEMAS, render
from pipeline.cli import _error, _source_or_exit, app


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
    source: Annotated[Optional[list[Path]], typer.Option("--source", "-s", help="The book, to verify every "
                                                         "citation against (implies --checks): a PDF, or a .txt "
                                                         "with form feeds between pages; once per volume "
                                                         "(tome 1 first).")] = None,
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
    if (checks or source) and sqlite is None:
        _error("--checks and --source store findings in the database: give --sqlite DB.")
        raise typer.Exit(2)
    book = _source_or_exit(source)
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
