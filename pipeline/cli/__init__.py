"""The ``tdx`` command: argument handling only; the work is done by the library.

One module per group of commands: ``extract``, ``check`` (and ``rule``), ``feed`` (export,
concepts, show, schema), ``report``; this one holds the app, what they share, and ``run``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from pipeline import __version__
from pipeline.errors import printable
from pipeline.models import SCHEMA_VERSION

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


def _source_or_exit(source: Path | list[Path] | None):
    """The book of ``--source`` for the commands that store or show verdicts (export, report), read
    with the limits ``tdx check`` reads it with; a book that cannot be read ends the command (2).
    ``source`` as a list (``--source`` once per volume): the volumes read, volume 1 first."""
    if isinstance(source, list):
        volumes = [_source_or_exit(path) for path in source]
        return volumes[0] if len(volumes) == 1 else volumes or None
    if source is None:
        return None
    from pipeline.batch.runner import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIME_LIMIT
    from pipeline.checks.book import load_source
    from pipeline.errors import TdxError

    try:
        return load_source(source, time_limit=DEFAULT_TIME_LIMIT, max_memory_mb=DEFAULT_MAX_MEMORY_MB)
    except TdxError as err:
        _error(str(err))
        raise typer.Exit(2) from None
    except Exception as err:  # noqa: BLE001 - a malformed book is the user's to replace
        _error(f"{source}: the source cannot be read ({type(err).__name__}: {err}). Re-export it as PDF or .txt.")
        raise typer.Exit(2) from None


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


# The commands, registered on ``app`` as their modules are imported.
from pipeline.cli import extract, check, feed, report  # noqa: E402,F401,I001 - the order of `tdx --help`

if __name__ == "__main__":  # pragma: no cover
    run()
