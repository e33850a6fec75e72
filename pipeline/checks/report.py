"""How ``tdx check`` shows its findings: one line each (``path:line:col: code message``, as linters
and editors read them), a table per handout, annotations for GitHub Actions, counts per code.

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
from pipeline.i18n import t, tn
from pipeline.models import CheckReport, Finding

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _listed(findings: list[Finding]) -> list[Finding]:
    return sorted((f for f in findings if f.code != "verified"),
                  key=lambda f: (severity_rank(f.severity), f.span.start if f.span else -1))


def _where(finding: Finding, text: str | None = None) -> str:
    if finding.page is not None:  # a PDF handout: its page is what the reader can find
        return f"p. {finding.page}"
    if finding.line is None:
        return ""
    # The column tells apart two findings of one line.
    return f"l. {finding.line}:{column(finding, text)}" if text is not None else f"l. {finding.line}"


def _quote_start(finding: Finding, width: int = 30) -> str:
    if not finding.quote_text:
        return ""
    text = " ".join(finding.quote_text.split())
    return f"«{text[:width].rstrip()}…»" if len(text) > width else f"«{text}»"


def column(finding: Finding, text: str | None) -> int:
    """1-based column of the finding's start in the handout's text (1 without a span)."""
    if finding.span is None or text is None:
        return 1
    return finding.span.start - (text.rfind("\n", 0, finding.span.start) + 1) + 1


def concise_lines(report: CheckReport, texts: list[str | None]) -> list[str]:
    """``path:line:col: code message «quotation start»``, one per finding, in the order of each
    handout; a PDF handout's ``path:p.3: code message``. The quotation's start tells apart two
    findings of one line; a finding about the whole handout stands at ``path:1:1``."""
    out = []
    for document, text in zip(report.documents, texts):
        for finding in sorted((f for f in document.findings if f.code != "verified"),
                              key=lambda f: (f.span.start if f.span else -1, severity_rank(f.severity))):
            if finding.page is not None:
                where = f"{document.path}:p.{finding.page}"
            else:
                where = f"{document.path}:{finding.line or 1}:{column(finding, text)}"
            quote = _quote_start(finding)
            out.append(f"{where}: {finding.code} {finding.message}" + (f" {quote}" if quote else ""))
    return out


def statistics(report: CheckReport) -> list[str]:
    """Findings per code, most frequent first: ``  12  error    missing_reference``."""
    counts = Counter((f.code, f.severity) for d in report.documents for f in _listed(d.findings))
    width = len(str(max(counts.values(), default=0)))
    return [f"{n:>{width}}  {severity:<7}  {code}"
            for (code, severity), n in sorted(counts.items(),
                                              key=lambda item: (-item[1], severity_rank(item[0][1]), item[0][0]))]


def render_table(report: CheckReport, console: Console, texts: list[str | None] | None = None) -> None:
    """One table per handout, errors first, then warnings, then info; ``texts`` (the handouts'
    texts, in the order of ``report.documents``) add the column to each line number."""
    for document, text in zip(report.documents, texts or [None] * len(report.documents)):
        listed = _listed(document.findings)
        if not listed:
            console.print(Text(t("{path}: no problems found", path=document.path), style="green"), soft_wrap=True)
            continue
        # Every cell is a Text: handout words such as "[rires]" or "[...]" are not rich markup.
        table = Table(title=Text(document.path), title_justify="left", show_lines=False, expand=False)
        # Widths set here, not left to rich, which crops the last border (and cuts a code in the
        # middle) when the columns' minimums add up to more than the terminal: the short columns
        # never wrap, the finding keeps room for its longest code, the quotation gives way first.
        where_w = max(5, *(len(_where(f, text)) for f in listed))
        code_w = max(24, *(len(f.code) for f in listed))
        room = console.width - 13 - where_w - 8  # 5 borders, 4 x 2 padding, the severity column
        quote_w = max(8, min(32, room - code_w))
        table.add_column(t("where"), no_wrap=True, width=where_w)
        table.add_column(t("severity"), no_wrap=True, width=8)
        table.add_column(t("quotation"), width=quote_w, overflow="fold")
        table.add_column(t("finding"), width=max(code_w, room - quote_w) if room - quote_w < 60 else None,
                         min_width=code_w)
        previous = None
        for finding in listed:
            if previous is not None and finding.severity != previous:
                table.add_section()
            previous = finding.severity
            cell = Text(finding.code, style="bold")
            cell.append(f" {finding.message}")
            cell.append(f"\n{finding.hint}", style="dim")
            table.add_row(Text(_where(finding, text)), Text(finding.severity, style=_STYLE[finding.severity]),
                          Text(_quote_start(finding)), cell)
        console.print(table)
    console.print(Text(summary(report)), soft_wrap=True)


def summary(report: CheckReport) -> str:
    """"3 errors, 1 warning, 0 info in 2 handouts; 40 citations checked against book.pdf: 35 verified, …"."""
    counts = Counter(f.severity for d in report.documents for f in _listed(d.findings))
    unpaged = sum(f.code == "found_page_unknown" for d in report.documents for f in d.findings)
    handouts = len(report.documents)
    line = t("{errors}, {warnings}, {infos} in {handouts}",
             errors=tn("{n} error", "{n} errors", counts["error"]),
             warnings=tn("{n} warning", "{n} warnings", counts["warning"]),
             infos=tn("{n} info", "{n} info", counts["info"]),
             handouts=tn("{n} handout", "{n} handouts", handouts))
    against = report.source.path if report.source is not None else t("their books")
    if len(report.volumes) > 1:
        against = t("{n} volumes ({paths})", n=len(report.volumes), paths=", ".join(v.path for v in report.volumes))
    if report.source is not None or any(f.verdict or f.code == "found_page_unknown"
                                        for d in report.documents for f in d.findings):
        verdicts = Counter(f.verdict for d in report.documents for f in d.findings if f.verdict)
        checked = sum(verdicts.values()) + sum(f.code == "found_page_unknown"
                                               for d in report.documents for f in d.findings)
        said = [tn("{n} verified", "{n} verified", verdicts["verified"]),
                tn("{n} wrong page", "{n} wrong page", verdicts["wrong_page"]),
                tn("{n} altered", "{n} altered", verdicts["altered"]),
                tn("{n} not found", "{n} not found", verdicts["not_found"])]
        if unpaged:
            said.append(tn("{n} found on pages unknown", "{n} found on pages unknown", unpaged))
        line = t("{findings}; {citations}: {verdicts}", findings=line, verdicts=", ".join(said),
                 citations=tn("{n} citation checked against {source}", "{n} citations checked against {source}",
                              checked, source=against))
    return line + "."


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotations(report: CheckReport, texts: list[str | None] | None = None) -> list[str]:
    """GitHub Actions workflow commands (``::error file=…,line=…::message``), one per finding.

    A PDF handout's lines are those of its extracted text, which GitHub cannot show: its
    annotations name the file and give the page in the message instead.
    """
    out = []
    for document, text in zip(report.documents, texts or [None] * len(report.documents)):
        for finding in _listed(document.findings):
            props = [f"file={_escape_property(document.path)}"]
            message = f"{finding.message}. {finding.hint}"
            if finding.page is not None:
                message = f"p. {finding.page}: {message}"
            elif finding.line is not None:
                props.append(f"line={finding.line}")
                if text is not None and finding.span is not None:
                    props.append(f"col={column(finding, text)}")
            props.append(f"title={_escape_property('tdx ' + finding.code)}")
            out.append(f"::{_GITHUB_LEVEL[finding.severity]} {','.join(props)}::{_escape_data(message)}")
    return out
