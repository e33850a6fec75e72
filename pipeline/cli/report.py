"""``tdx report``: the HTML report of handouts, for people (docs/report.md)."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from pipeline.errors import TdxError, printable
from pipeline.cli import EXCLUDE_HELP, _error, _source_or_exit, app


class Lang(str, Enum):
    fr = "fr"
    en = "en"


@app.command()
def report(
    paths: Annotated[list[Path], typer.Argument(metavar="HANDOUT", help="Handouts, JSON files written by `tdx "
                                                "extract`, or folders of either.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write index.html and one page per "
                                         "handout into.", metavar="DIR")] = Path("report"),
    source: Annotated[Optional[list[Path]], typer.Option("--source", "-s", help="The book, to verify every "
                                                         "citation against: a PDF, or a .txt with form feeds "
                                                         "between pages; once per volume, tome 1 first.")
                      ] = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the interface text (the handouts are shown "
                                       "as written).")] = Lang.fr,
    exclude: Annotated[Optional[list[str]], typer.Option("--exclude", "-x", metavar="PATTERN", help=EXCLUDE_HELP)
                       ] = None,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="Processes writing the pages "
                                                "(default: one per CPU core).")] = None,
) -> None:
    """Write an HTML report: index.html (the handouts at a glance, sortable) and one page per handout,
    its text with its quotations, references and the findings of tdx check marked on it.

    The pages work offline (nothing is fetched), and print. Exit code 2 when an input or the source
    cannot be read (the other handouts are still reported).

    Example: tdx report raw/ -o rapport/ --source livre.pdf
    """
    from pipeline.feed.report import write_report

    book = _source_or_exit(source)
    try:
        done = write_report(paths, output, source=book, lang=lang.value, exclude=tuple(exclude or ()),
                            on_error=_error, jobs=jobs or os.cpu_count() or 1)
    except TdxError as err:
        _error(str(err))
        raise typer.Exit(2) from None
    except OSError as err:
        _error(f"{output}: cannot be written ({err.strerror or err}). Choose another folder with -o.")
        raise typer.Exit(2) from None
    typer.echo(f"{len(done.pages)} handout page(s) and {printable(str(done.index))} written")
    if done.errors:
        raise typer.Exit(2)
