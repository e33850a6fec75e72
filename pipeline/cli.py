"""The ``tdx`` command: argument handling only; the work is done by the library."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from pipeline import __version__
from pipeline.batch import run_extract, write_atomic
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
    paths: Annotated[list[Path], typer.Argument(help="Handout files (.txt, .md) or folders to search.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the JSON files.")] = Path("outputs"),
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
    glossary: Annotated[Optional[Path], typer.Option("--glossary", "-g", help="TOML glossary of the book's "
                                                     "concepts: [[concept]] label, aliases, definition.")] = None,
    concepts: Annotated[bool, typer.Option("--concepts/--no-concepts", help="Find the book's concepts.")] = True,
    entities: Annotated[bool, typer.Option("--entities/--no-entities",
                                           help="Find people, organisations and works.")] = True,
) -> None:
    """Extract metadata, sections, quotations and references from handouts into JSON.

    One JSON per handout, named after the input without its extension
    (raw/casilli.txt -> outputs/casilli.json); see the README for colliding names.

    Example: tdx extract raw/ -o outputs/ --glossary casilli.toml
    """
    options = {"concepts": concepts, "entities": entities}
    if glossary is not None:
        try:
            options["glossary"] = Glossary.load(glossary)
        except TdxError as err:
            _error(str(err))
            raise typer.Exit(2) from None

    def report(file: Path, target: Path | None, err) -> None:
        if err is not None:
            _error(str(getattr(err, "message", None) or err))
        elif not quiet:
            typer.echo(f"{file} -> {target}")

    result = run_extract(paths, output, on_file=report, **options)
    for failure in result.failures:
        if failure.code in ("not_found", "no_handouts"):
            _error(failure.message)
    if result.failures:
        typer.echo(f"{len(result.written)} handout(s) written, {len(result.failures)} failed.", err=True)
        raise typer.Exit(1)
    if not quiet:
        typer.echo(f"{len(result.written)} handout(s) written to {output}/")


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
