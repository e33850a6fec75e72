"""How ``tdx check`` shows its findings: a table per handout for people, annotations for GitHub Actions.

(The JSON form is the ``CheckReport`` model itself.) Verified citations are confirmations, not
problems: the table and the annotations count them in the summary instead of listing them, and
``--format json`` keeps every one.
"""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table
from rich.text import Text

from pipeline.checks.findings import severity_rank
from pipeline.models import CheckReport, Finding

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
_VERDICTS = ("verified", "wrong_page", "altered", "not_found")


def _listed(findings: list[Finding]) -> list[Finding]:
    return sorted((f for f in findings if f.code != "verified"),
                  key=lambda f: (severity_rank(f.severity), f.span.start if f.span else -1))


def _where(finding: Finding) -> str:
    if finding.page is not None:  # a PDF handout: its page is what the reader can find
        return f"p. {finding.page}"
    return f"l. {finding.line}" if finding.line is not None else ""


def _quote_start(finding: Finding, width: int = 30) -> str:
    if not finding.quote_text:
        return ""
    text = " ".join(finding.quote_text.split())
    return f"«{text[:width].rstrip()}…»" if len(text) > width else f"«{text}»"


def render_table(report: CheckReport, console: Console) -> None:
    """One table per handout, errors first, then warnings, then info."""
    for document in report.documents:
        listed = _listed(document.findings)
        if not listed:
            console.print(Text(f"{document.path}: no problems found", style="green"), soft_wrap=True)
            continue
        # Every cell is a Text: handout words such as "[rires]" or "[...]" are not rich markup.
        table = Table(title=Text(document.path), title_justify="left", show_lines=False, expand=False)
        table.add_column("where", no_wrap=True)
        table.add_column("severity", no_wrap=True)
        table.add_column("quotation", max_width=32)
        table.add_column("finding", min_width=30)
        previous = None
        for finding in listed:
            if previous is not None and finding.severity != previous:
                table.add_section()
            previous = finding.severity
            text = Text(finding.code, style="bold")
            text.append(f" {finding.message}")
            text.append(f"\n{finding.hint}", style="dim")
            table.add_row(Text(_where(finding)), Text(finding.severity, style=_STYLE[finding.severity]),
                          Text(_quote_start(finding)), text)
        console.print(table)
    console.print(Text(summary(report)), soft_wrap=True)


def summary(report: CheckReport) -> str:
    """"3 errors, 1 warning, 0 info in 2 handouts; 40 citations checked against book.pdf: 35 verified, …"."""
    counts = Counter(f.severity for d in report.documents for f in _listed(d.findings))
    handouts = len(report.documents)
    line = (f"{_plural(counts['error'], 'error')}, {_plural(counts['warning'], 'warning')}, {counts['info']} info "
            f"in {_plural(handouts, 'handout')}")
    if report.source is not None:
        verdicts = Counter(f.verdict for d in report.documents for f in d.findings if f.verdict)
        checked = sum(verdicts.values())
        line += (f"; {_plural(checked, 'citation')} checked against {report.source.path}: "
                 + ", ".join(f"{verdicts[v]} {v.replace('_', ' ')}" for v in _VERDICTS))
    return line + "."


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotations(report: CheckReport) -> list[str]:
    """GitHub Actions workflow commands (``::error file=…,line=…::message``), one per finding.

    A PDF handout's lines are those of its extracted text, which GitHub cannot show: its
    annotations name the file and give the page in the message instead.
    """
    out = []
    for document in report.documents:
        for finding in _listed(document.findings):
            props = [f"file={_escape_property(document.path)}"]
            message = f"{finding.message}. {finding.hint}"
            if finding.page is not None:
                message = f"p. {finding.page}: {message}"
            elif finding.line is not None:
                props.append(f"line={finding.line}")
            props.append(f"title={_escape_property('tdx ' + finding.code)}")
            out.append(f"::{_GITHUB_LEVEL[finding.severity]} {','.join(props)}::{_escape_data(message)}")
    return out
