"""Findings: made the same way by every rule and by the verification, and ordered for reports."""

from __future__ import annotations

from typing import Iterable

from pipeline.i18n import t
from pipeline.models import Finding, Handout, Quote, Severity, Span
from pipeline.rules import METADATA_RULES, RULES

_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def severity_rank(severity: str) -> int:
    return _SEVERITY_RANK[severity]


def finding_for_quote(handout: Handout, quote: Quote | None, code: str, severity: Severity | None = None,
                      message: str = "", hint: str | None = None, *, span: Span | None = None,
                      **extra) -> Finding:
    """A finding about ``quote`` (or about ``span`` of the handout), located by line and page; the
    rule's meaning and fix, in the language in force, when no message or hint is given."""
    rule = RULES.get(code) or METADATA_RULES[code]
    span = span or (quote.outer_span if quote is not None else None)
    line = handout.text.count("\n", 0, span.start) + 1 if span is not None else None
    page = None
    if span is not None and handout.pages:
        page = next((p.number for p in handout.pages
                     if p.span.start <= span.start < max(p.span.end, p.span.start + 1)),
                    quote.page if quote is not None else None)
    return Finding(code=code, severity=severity or rule.severity, message=message or t(rule.meaning),
                   hint=hint or t(rule.fix), span=span, line=line, page=page,
                   quote_id=quote.id if quote is not None else None,
                   quote_text=quote.text if quote is not None else None, **extra)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.span.start if f.span else -1, severity_rank(f.severity), f.code))
