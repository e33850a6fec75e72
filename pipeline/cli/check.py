"""``tdx check`` and ``tdx rule``: the linter's options, turned into a run of ``pipeline.checks``."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from pipeline.batch.runner import DEFAULT_TIME_LIMIT
from pipeline.errors import TdxError, printable
from pipeline.cli import EXCLUDE_HELP, _error, _limit, app


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


class Lang(str, Enum):
    en = "en"
    fr = "fr"


LANG_HELP = "Language of the findings' messages and hints (codes never change; the handout is quoted as written)."


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
    source: Annotated[Optional[list[Path]], typer.Option("--source", "-s", help="The book, to verify every "
                                                         "citation against: a PDF, or a .txt with form feeds "
                                                         "or [[PAGE N]] lines between pages. Once per volume "
                                                         "for a book in several (tome 1 first).")] = None,
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
                                           "one handout, may take (0 or inf: no limit).")] = DEFAULT_TIME_LIMIT,
    exclude: Annotated[Optional[list[str]], typer.Option("--exclude", "-x", metavar="PATTERN", help=EXCLUDE_HELP)
                       ] = None,
    lang: Annotated[Lang, typer.Option("--lang", help=LANG_HELP)] = Lang.en,
) -> None:
    """Check the quotations and page references of handouts, and verify them against the book.

    Exit code: 0 when nothing reaches --fail-on, 1 when something does, 2 when an input or the
    source cannot be read. The rules and their codes: `tdx rule --list`, docs/check.md.

    Example: tdx check raw/ --source book.pdf --ignore info --fail-on warning
    """
    # Imported here: `tdx extract` needs none of the checking machinery.
    from pipeline.checks.findings import severity_rank
    from pipeline.checks.lint import find_config, load_config, split_codes
    from pipeline.checks.run import run_check
    from pipeline.i18n import language

    if explain is not None:
        rule(explain, lang=lang)
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
    run = run_check(paths, config, codes, source=source or ([config.source] if config.source else None),
                    sources_dir=sources or config.sources_dir, book_pages=book_pages, page_offset=page_offset,
                    all_references=all_references or config.all_references,
                    timeout=_limit(timeout, 1, "--timeout", ceiling=1e9),  # 0 and inf: no limit
                    exclude=tuple(exclude or ()), lang=lang.value)
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
        for book in filter(None, [report.source, *report.volumes]):
            book.path = printable(book.path)
    with language(lang.value):  # the summary line in the findings' language
        _print_report(run, output, statistics)
    if run.failed_inputs:
        raise typer.Exit(2)
    threshold = severity_rank((fail_on.value if fail_on is not None else None) or config.fail_on or "error")
    if any(severity_rank(f.severity) <= threshold for d in report.documents for f in d.findings):
        raise typer.Exit(1)


def _print_report(run, output: CheckFormat, statistics: bool) -> None:
    """The findings as --format asks (or the counts per code), then the summary line."""
    from rich.console import Console

    from pipeline.checks.report import concise_lines, github_annotations, render_table, statistics as counts, \
        summary

    report = run.report
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

@app.command()
def rule(
    code: Annotated[Optional[str], typer.Argument(help="A rule code, as `tdx check` prints it.")] = None,
    list_all: Annotated[bool, typer.Option("--list", help="List every code with its severity.")] = False,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the explanation (the codes never change).")
                    ] = Lang.en,
) -> None:
    """Explain a rule of `tdx check`: what it means, why it matters, how to fix it, with an example.

    Example: tdx rule wrong_page --lang fr
    """
    from pipeline.checks.lint import ALL_RULES
    from pipeline.i18n import language, t
    from pipeline.rules import explain

    with language(lang.value):
        if list_all or code is None:
            for r in ALL_RULES.values():
                meaning = t(r.meaning) if r.default else t("{meaning} (off by default)", meaning=t(r.meaning))
                typer.echo(f"{r.code:<30} {r.severity:<8} {meaning}")
            return
        if code.strip().lower() not in ALL_RULES:
            _error(f"no rule '{code}'. `tdx rule --list` lists the codes.")
            raise typer.Exit(2)
        typer.echo(explain(code.strip().lower()))
